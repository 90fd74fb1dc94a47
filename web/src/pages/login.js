import { api, post, session, ApiError } from '../api.js';
import qrcode from 'qrcode-generator';
import { h, field, formValues, showProblem, submitOnce } from '../dom.js';
import { noteForSignIn } from '../kept.js';

// The otpauth URI as a QR code, drawn as SVG elements (no markup string, no inline style).
function qrSvg(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `-4 -4 ${n + 8} ${n + 8}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'QR code of the key for your authenticator app');
  const bg = document.createElementNS(NS, 'rect');
  for (const [k, v] of [['x', -4], ['y', -4], ['width', n + 8], ['height', n + 8], ['fill', '#fff']]) bg.setAttribute(k, v);
  svg.appendChild(bg);
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c} ${r}h1v1h-1z`;
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.appendChild(path);
  return svg;
}

export function signInPage(onSignedIn, notice = null) {
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'signin-h', novalidate: true },
    h('h1', { id: 'signin-h' }, 'Sign in to iom'),
    notice ? h('p', { class: 'notice', role: 'status', 'data-testid': 'signed-out-notice' }, notice) : null,
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'User name', name: 'username', required: true, autocomplete: 'username' }),
    field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    field({ label: 'Authenticator code', name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code',
            hint: 'Only if your role requires two-factor sign-in.' }),
    h('button', { type: 'submit' }, 'Sign in'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = { username: v.username, password: v.password };
    if (v.totp) body.totp = v.totp;
    try {
      const { data } = await post('/api/v1/session', body, { signIn: true });
      onSignedIn(data);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return form;
}

export async function passwordPage(ctx) {
  const s = session.get();
  const form = h('form', { class: 'card narrow', novalidate: true, 'data-testid': 'password-form' },
    h('h1', {}, 'Change your password'),
    s?.restriction === 'password_change'
      ? h('p', { class: 'notice' }, 'An administrator reset your password: choose a new one before you go on.') : null,
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'Current password', name: 'old_password', type: 'password', required: true, autocomplete: 'current-password' }),
    field({ label: 'New password', name: 'new_password', type: 'password', required: true, autocomplete: 'new-password',
            // the API counts bytes (UTF-8), and says so in its message (review 90 L4)
            hint: '12 to 256 bytes: a plain letter, digit or sign is one byte; é or ł two; some other characters three or four.' }),
    field({ label: 'Repeat the new password', name: 'new_password_again', type: 'password', required: true,
            autocomplete: 'new-password' }),
    h('button', { type: 'submit' }, 'Change password'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    // a typing slip in the one new-password field locked the user out until an admin reset it
    // (review 90 L7): the two must match before anything is sent
    if (v.new_password !== v.new_password_again) {
      showProblem(form, { detail: 'new_password_again: the two new passwords differ; type the same new password in both fields' });
      return;
    }
    try {
      await post('/api/v1/me/password', { old_password: v.old_password, new_password: v.new_password });
      session.clear(); // every session of the user ends: sign in again with the new password
      noteForSignIn('Password changed: sign in with the new one.');
      ctx.go('/');
    } catch (err) {
      showProblem(form, err);
    }
  });
  return form;
}

export async function totpPage(ctx) {
  const box = h('div', { class: 'card narrow' }, h('h1', {}, 'Set up two-factor sign-in'),
    h('p', {}, 'Your role requires an authenticator app. Start the enrolment, add the key to your app, then ',
      'enter the code it shows.'));
  const out = h('div', {});
  const start = h('button', { type: 'button' }, 'Start enrolment');
  start.addEventListener('click', async () => {
    try {
      const { data } = await post('/api/v1/me/totp', {});
      out.replaceChildren(h('p', {}, 'Scan the code with your authenticator app, or enter the key by hand.'),
        qrSvg(data.otpauth_uri),
        h('p', {}, 'Key: ', h('code', { 'data-testid': 'totp-secret' }, data.secret)));
      const form = h('form', { novalidate: true }, h('div', { class: 'form-error', role: 'alert' }),
        field({ label: 'Code from your app', name: 'totp', required: true, inputmode: 'numeric' }),
        h('button', { type: 'submit' }, 'Confirm'));
      submitOnce(form, async (e) => {
        e.preventDefault();
        try {
          await post('/api/v1/me/totp/confirm', { totp: formValues(form).totp });
          const s = session.get();
          session.set({ ...s, restriction: null });
          ctx.go('/');
        } catch (err) { showProblem(form, err); }
      });
      out.append(form);
    } catch (err) { out.replaceChildren(h('p', { role: 'alert' }, err.detail || String(err))); }
  });
  box.append(start, out);
  return box;
}
export { api };
