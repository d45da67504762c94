import { call } from '../api.js';
import { h, field, notice, busy } from '../dom.js';
import { describe, showFieldErrors } from '../errors.js';

const MIN_PASSWORD = 12;

export function render(main) {
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSWORD) });
  const fields = {
    current_password: field('Current password', current),
    new_password: field('New password', next, `At least ${MIN_PASSWORD} characters. Every other session is signed out.`),
  };
  next.addEventListener('input', () => {
    const short = next.value.length > 0 && next.value.length < MIN_PASSWORD;
    fields.new_password.setError(short ? `${MIN_PASSWORD - next.value.length} more character(s) needed.` : null);
  });
  const message = notice();
  const submit = h('button', { type: 'submit' }, 'Change password');
  const form = h('form', {
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      message.clear();
      if (!current.value || next.value.length < MIN_PASSWORD) {
        message.show('error', `Enter your current password and a new one of at least ${MIN_PASSWORD} characters.`);
        return;
      }
      busy(submit, async () => {
        try {
          await call('POST', '/api/v1/auth/password', { current_password: current.value, new_password: next.value });
          current.value = '';
          next.value = '';
          message.show('ok', 'Your password was changed. Your other sessions were signed out.');
        } catch (error) {
          showFieldErrors(error, fields);
          message.show('error', error.code === 'invalid_credentials' ? 'The current password is not right.' : describe(error));
        }
      });
    },
  }, message, fields.current_password, fields.new_password, h('div', { class: 'actions' }, submit));
  main.append(h('h1', {}, 'Change password'), h('div', { class: 'card' }, form));
}
