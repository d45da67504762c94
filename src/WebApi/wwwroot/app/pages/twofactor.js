import { call, image } from '../api.js';
import { h, field, notice, busy, modal, download } from '../dom.js';
import { describe } from '../errors.js';

export async function render(main) {
  const message = notice();
  const body = h('div');
  main.append(h('h1', {}, 'Two-factor authentication'), message, body);
  await show(body, message);
}

async function show(body, message) {
  let status;
  try {
    status = await call('GET', '/api/v1/auth/2fa');
  } catch (error) {
    message.show('error', describe(error));
    return;
  }
  if (!status.enabled) {
    const start = h('button', { type: 'button' }, 'Set up two-factor authentication');
    start.addEventListener('click', () => passwordStep(body, message));
    body.replaceChildren(h('div', { class: 'card' },
      h('p', {}, 'Two-factor authentication is ', h('strong', {}, 'off'), '. With it on, signing in needs your password and a 6-digit code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Aegis …).'),
      h('div', { class: 'actions' }, start)));
    return;
  }
  const regenerate = h('button', { type: 'button', class: 'secondary' }, 'Regenerate recovery codes');
  const disable = h('button', { type: 'button', class: 'danger' }, 'Turn off two-factor authentication');
  regenerate.addEventListener('click', async () => {
    const code = await askCode('Regenerate recovery codes', 'Your current recovery codes stop working.', false);
    if (!code) return;
    await busy(regenerate, async () => {
      try {
        const answer = await call('POST', '/api/v1/auth/2fa/recovery-codes', { code: code.code });
        message.clear();
        recoveryCodes(body, message, answer.recovery_codes, 'New recovery codes');
      } catch (error) { message.show('error', describe(error)); }
    });
  });
  disable.addEventListener('click', async () => {
    const code = await askCode('Turn off two-factor authentication', 'Signing in will need only your password.', true);
    if (!code) return;
    await busy(disable, async () => {
      try {
        await call('POST', '/api/v1/auth/2fa/disable', code.recovery ? { recovery_code: code.code } : { code: code.code });
        message.show('ok', 'Two-factor authentication is off.');
        await show(body, message);
      } catch (error) { message.show('error', describe(error)); }
    });
  });
  body.replaceChildren(h('div', { class: 'card' },
    h('p', {}, 'Two-factor authentication is ', h('strong', {}, 'on'), `. ${status.recovery_codes_left} recovery code${status.recovery_codes_left === 1 ? '' : 's'} left.`),
    status.recovery_codes_left < 3 ? h('p', { class: 'notice warn' }, 'You are running out of recovery codes: regenerate them.') : null,
    h('div', { class: 'actions' }, regenerate, disable)));
}

function askCode(title, text, allowRecovery) {
  return modal(title, (close) => {
    const input = h('input', { type: 'text', autocomplete: 'one-time-code', required: true, maxlength: '20', spellcheck: 'false' });
    const recovery = h('input', { type: 'checkbox', id: 'use-recovery' });
    const form = h('form', {
      onsubmit: (event) => { event.preventDefault(); if (input.value.trim()) close({ code: input.value.trim(), recovery: recovery.checked }); },
    },
    h('p', {}, text),
    field('Authentication code', input),
    allowRecovery ? h('label', { class: 'check', for: 'use-recovery' }, recovery, 'This is a recovery code') : null,
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Continue'),
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel')));
    queueMicrotask(() => input.focus());
    return form;
  });
}

function passwordStep(body, message) {
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Continue');
  body.replaceChildren(h('form', {
    class: 'card',
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      if (!password.value) { message.show('error', 'Enter your password.'); return; }
      busy(submit, async () => {
        try {
          const setup = await call('POST', '/api/v1/auth/2fa/setup', { current_password: password.value });
          const qr = await image('/api/v1/auth/2fa/qr.png');
          message.clear();
          scanStep(body, message, setup, qr, password.value);
        } catch (error) {
          message.show('error', error.code === 'invalid_credentials' ? 'That password is not right.' : describe(error));
        }
      });
    },
  }, h('h2', {}, 'Step 1 of 3: confirm your password'), field('Current password', password), h('div', { class: 'actions' }, submit)));
  password.focus();
}

function scanStep(body, message, setup, qr, currentPassword) {
  const code = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, maxlength: '6', pattern: '[0-9]{6}' });
  const codeField = field('Code from your app', code, 'The 6 digits your app shows now.');
  code.addEventListener('input', () => codeField.setError(code.value && !/^\d{0,6}$/.test(code.value) ? 'Only digits.' : null));
  const submit = h('button', { type: 'submit' }, 'Turn on');
  body.replaceChildren(h('form', {
    class: 'card',
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      if (!/^\d{6}$/.test(code.value.trim())) { codeField.setError('Enter the 6-digit code.'); return; }
      busy(submit, async () => {
        try {
          const answer = await call('POST', '/api/v1/auth/2fa/enable', { code: code.value.trim(), current_password: currentPassword });
          message.show('ok', 'Two-factor authentication is on.');
          recoveryCodes(body, message, answer.recovery_codes, 'Step 3 of 3: save your recovery codes');
        } catch (error) {
          message.show('error', describe(error));
          code.select();
        }
      });
    },
  },
  h('h2', {}, 'Step 2 of 3: scan the QR code'),
  h('p', {}, 'Open your authenticator app, add an account, and scan this code.'),
  h('img', { class: 'qr', src: qr, alt: 'QR code for your authenticator app', width: '220', height: '220' }),
  h('p', {}, 'Cannot scan it? Enter this key by hand (time-based, 6 digits, 30 seconds):'),
  h('p', {}, h('code', { 'aria-label': 'Secret key' }, setup.secret)),
  codeField,
  h('div', { class: 'actions' }, submit)));
  code.focus();
}

function recoveryCodes(body, message, codes, title) {
  const text = `AuthPlatform recovery codes\n${new Date().toISOString()}\n\n${codes.join('\n')}\n\nEach code works once.\n`;
  body.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'rc-title' },
    h('h2', { id: 'rc-title' }, title),
    h('p', { class: 'notice warn' }, 'If you lose your phone, these codes are the only way in. They are shown only once: download or print them now and keep them somewhere safe.'),
    h('ol', { class: 'codes', 'aria-label': 'Recovery codes' }, codes.map((c) => h('li', {}, c))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => download('authplatform-recovery-codes.txt', text) }, 'Download'),
      h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, 'Print'),
      h('button', { type: 'button', onclick: () => show(body, message) }, 'Done'))));
  body.querySelector('h2').setAttribute('tabindex', '-1');
  body.querySelector('h2').focus();
}
