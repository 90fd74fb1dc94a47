// What was typed when the session ended (review 90 H1: a 401 on a form's submit sent the user to
// the sign-in page with no word, everything typed lost, and back to Home after signing in).
// On a 401 the page (hash route) is remembered and, when it came from a form's submit, the
// form's values are kept in this tab's sessionStorage (never a password, a code or a file);
// after signing in again as the same user the page is opened again and the form filled in.
const KEY = 'iom.kept';
const SECRET = /password|totp|secret|token|csrf/i;
const WINDOW_MS = 10 * 60 * 1000; // a submit whose request could still be answering
// What was typed is kept for this long at most (review 93 M4: kept with no end, intelligence
// text stayed in the tab's storage when the page after the sign-in failed to show).
const KEEP_MS = 30 * 60 * 1000;

let lastSubmit = null; // { form, at }

// Every form's submit, noted before its own handler runs (capture phase).
document.addEventListener('submit', (e) => {
  if (e.target instanceof HTMLFormElement) lastSubmit = { form: e.target, at: Date.now() };
}, true);

// The form's identity on its page: its data-action (the tasking page's forms, most others),
// its data-testid, or else its place among the page's forms.
function formKey(form) {
  const forms = [...document.querySelectorAll('main form')];
  return form.dataset.action || form.dataset.testid || `#${forms.indexOf(form)}`;
}

function fieldsOf(form) {
  const out = [];
  for (const el of form.elements) {
    if (!el.name || el.disabled || SECRET.test(el.name)) continue;
    const type = el.type || '';
    if (['password', 'file', 'hidden', 'submit', 'button', 'reset'].includes(type)) continue;
    if (type === 'checkbox' || type === 'radio') out.push({ name: el.name, value: el.value, checked: el.checked });
    else out.push({ name: el.name, value: el.value });
  }
  return out;
}

function typedSomething(fields) {
  return fields.some((f) => (f.checked === undefined ? f.value.trim() !== '' : f.checked));
}

// Called when the API answers 401 (or refuses the tab's CSRF token) to a request of the
// signed-in user `user`; `method` is the request's. Returns whether a form's values were kept.
export function keepOnSignedOut(user, method) {
  const route = location.hash.replace(/^#/, '') || '/';
  const kept = { user: user || null, route, form: null, at: Date.now() };
  const s = lastSubmit;
  if (method !== 'GET' && s && s.form.isConnected && Date.now() - s.at < WINDOW_MS && !SECRET.test(s.form.dataset.action || '')) {
    const fields = fieldsOf(s.form);
    if (typedSomething(fields)) kept.form = { key: formKey(s.form), fields };
  }
  lastSubmit = null;
  try { sessionStorage.setItem(KEY, JSON.stringify(kept)); } catch { /* storage refused: nothing kept */ }
  return !!kept.form;
}

function read() {
  let k = null;
  try { k = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch { return null; }
  if (k && !(typeof k.at === 'number' && Date.now() - k.at < KEEP_MS)) { forget(); return null; }
  return k;
}

// A word for the next sign-in page of this tab (review 90 L7: after a password change the
// sign-in page said nothing), shown until someone signs in.
const NOTE = 'iom.signin.note';
export function noteForSignIn(text) {
  try { sessionStorage.setItem(NOTE, text); } catch { /* storage refused: no word */ }
}
export function forgetSignInNote() {
  try { sessionStorage.removeItem(NOTE); } catch { /* nothing to forget */ }
}

// What the sign-in page says after a session ended, or a password change, or null.
export function signedOutNotice() {
  let note = null;
  try { note = sessionStorage.getItem(NOTE); } catch { /* none */ }
  if (note) return note;
  const k = read();
  if (!k) return null;
  return k.form ? 'Your session ended; sign in again — what you typed is kept.'
    : 'Your session ended; sign in again to go back to the page you were on.';
}

// Where to go after signing in as `user`: the page the session ended on, when it was this
// user's (another user signing in on the same tab gets neither the page nor the text).
export function returnRoute(user) {
  const k = read();
  if (!k) return null;
  if (k.user && k.user !== user) { forget(); return null; }
  return k.route && k.route !== '/' ? k.route : null;
}

export function forget() {
  try { sessionStorage.removeItem(KEY); } catch { /* nothing to forget */ }
}

// After a page of `route` is shown to `user`: its kept form filled in again, its <details>
// opened, and a note above it. Returns whether a form was filled in.
export function restoreInto(container, route, user) {
  const k = read();
  if (!k) return false;
  if (k.user && k.user !== user) { forget(); return false; }
  if (k.route !== route) return false;
  forget();
  if (!k.form) return false;
  const forms = [...container.querySelectorAll('form')];
  const form = forms.find((f) => (f.dataset.action || f.dataset.testid || `#${forms.indexOf(f)}`) === k.form.key);
  if (!form) return false;
  for (const f of k.form.fields) {
    for (const el of form.querySelectorAll(`[name="${CSS.escape(f.name)}"]`)) {
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.value === f.value) el.checked = f.checked;
      } else if (el.type !== 'file' && el.type !== 'password') {
        el.value = f.value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
  }
  for (let d = form.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
  const note = document.createElement('p');
  note.className = 'notice';
  note.setAttribute('role', 'status');
  note.dataset.testid = 'kept-restored';
  note.textContent = 'What you typed before your session ended is back in the form. Check it, then send it again.';
  form.prepend(note);
  return true;
}
