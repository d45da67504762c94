import { login, loginSecondFactor } from '../api.js';
import { h, field, notice, busy } from '../dom.js';
import { describe } from '../errors.js';
import { signedIn, takeEndedNotice } from '../main.js';

export function render(main) {
  const box = h('div', { class: 'card narrow' });
  main.append(box);
  passwordStep(box, takeEndedNotice());
}

function passwordStep(box, ended) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const message = notice();
  if (ended) message.show('warn', ended);
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', {
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      if (!email.value.trim() || !password.value) { message.show('error', 'Enter your email and password.'); return; }
      busy(submit, async () => {
        try {
          const result = await login(email.value.trim(), password.value);
          if (result.challenge) secondStep(box, result.challenge); else signedIn();
        } catch (error) {
          message.show('error', describe(error));
          password.value = '';
          password.focus();
        }
      });
    },
  },
  message,
  field('Email', email),
  field('Password', password),
  h('div', { class: 'actions' }, submit));
  box.replaceChildren(
    h('h1', {}, 'Sign in'),
    form,
    h('p', { class: 'muted' }, 'New here? ', h('a', { href: '#/signup' }, 'Create an account')));
  email.focus();
}

function secondStep(box, mfaToken) {
  let useRecovery = false;
  const message = notice();
  const input = h('input', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, maxlength: '8' });
  const recovery = h('input', { type: 'text', name: 'recovery_code', autocomplete: 'off', required: true, spellcheck: 'false' });
  const codeField = field('Authentication code', input, 'The 6-digit code from your authenticator app.');
  const recoveryField = field('Recovery code', recovery, 'One of the recovery codes you saved when you turned on two-factor authentication.');
  recoveryField.hidden = true;
  const toggle = h('button', {
    type: 'button', class: 'link', onclick: () => {
      useRecovery = !useRecovery;
      codeField.hidden = useRecovery;
      recoveryField.hidden = !useRecovery;
      toggle.textContent = useRecovery ? 'Use a code from your app' : 'Use a recovery code';
      (useRecovery ? recovery : input).focus();
    },
  }, 'Use a recovery code');
  const submit = h('button', { type: 'submit' }, 'Verify');
  const form = h('form', {
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      const value = (useRecovery ? recovery : input).value.trim();
      if (!value) { message.show('error', useRecovery ? 'Enter a recovery code.' : 'Enter the code from your app.'); return; }
      busy(submit, async () => {
        try {
          await loginSecondFactor(mfaToken, useRecovery ? { recoveryCode: value } : { code: value });
          signedIn();
        } catch (error) {
          if (error.code === 'invalid_token' || error.code === 'unauthenticated' || error.code === 'token_expired') {
            passwordStep(box, 'The sign-in took too long. Please enter your password again.');
            return;
          }
          message.show('error', describe(error));
          (useRecovery ? recovery : input).select();
        }
      });
    },
  },
  message, codeField, recoveryField,
  h('div', { class: 'actions' }, submit, toggle));
  box.replaceChildren(h('h1', {}, 'Two-step verification'), h('p', {}, 'Your account has two-factor authentication on.'), form);
  input.focus();
}
