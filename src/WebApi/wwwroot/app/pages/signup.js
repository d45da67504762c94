import { register, login } from '../api.js';
import { h, field, notice, busy } from '../dom.js';
import { describe, showFieldErrors } from '../errors.js';
import { signedIn } from '../main.js';

const MIN_PASSWORD = 12;

export function render(main) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true, maxlength: '100' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSWORD) });
  const fields = {
    email: field('Email', email),
    name: field('Name', name),
    password: field('Password', password, `At least ${MIN_PASSWORD} characters. A passphrase of a few unrelated words is easy to remember and hard to guess.`),
  };
  password.addEventListener('input', () => {
    const short = password.value.length > 0 && password.value.length < MIN_PASSWORD;
    fields.password.setError(short ? `${MIN_PASSWORD - password.value.length} more character(s) needed.` : null);
  });
  email.addEventListener('blur', () => fields.email.setError(email.value && !email.validity.valid ? 'Enter an email address like name@example.com.' : null));
  const message = notice();
  const submit = h('button', { type: 'submit' }, 'Create account');
  const form = h('form', {
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      message.clear();
      if (!email.value.trim() || !name.value.trim() || password.value.length < MIN_PASSWORD) {
        message.show('error', 'Fill in every field; the password needs at least 12 characters.');
        return;
      }
      busy(submit, async () => {
        try {
          await register(email.value.trim(), password.value, name.value.trim());
          await login(email.value.trim(), password.value);
          signedIn();
        } catch (error) {
          showFieldErrors(error, fields);
          message.show('error', describe(error));
        }
      });
    },
  }, message, fields.email, fields.name, fields.password, h('div', { class: 'actions' }, submit));
  main.append(h('div', { class: 'card narrow' },
    h('h1', {}, 'Create your account'),
    form,
    h('p', { class: 'muted' }, 'Already have an account? ', h('a', { href: '#/signin' }, 'Sign in'))));
  email.focus();
}
