// Tiny DOM helpers: every text goes in as a text node (never HTML), so API content cannot
// inject markup; no inline styles or scripts (the Content-Security-Policy forbids them).

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'required' || k === 'multiple')
      el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// clear(el), then its new children as h() takes them: null, undefined and false are left out
// (the DOM's own append prints them: "null", "nullnull" under a table, review 90 L3) and
// arrays are flattened.
export function fill(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled form field: { label, name, type, value, required, options: [[value, text]], hint }.
// The error slot (id = field id + "-error") receives the API's message for this field.
export function field(f) {
  const id = f.id || nextId(`f-${f.name}`);
  const errId = `${id}-error`;
  const hintId = f.hint ? `${id}-hint` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  const common = { id, name: f.name, required: f.required, 'aria-describedby': describedBy,
                   autocomplete: f.autocomplete || 'off' };
  let input;
  if (f.type === 'select') {
    input = h('select', common, (f.options || []).map(([v, t]) =>
      h('option', { value: v, selected: String(f.value ?? '') === String(v) }, t)));
  } else if (f.type === 'textarea') {
    input = h('textarea', { ...common, rows: f.rows || 3 });
    if (f.value !== undefined && f.value !== null) input.value = f.value;
  } else {
    input = h('input', { ...common, type: f.type || 'text', value: f.value, min: f.min, max: f.max,
                         step: f.step, inputmode: f.inputmode, list: f.list });
  }
  return h('div', { class: 'field', 'data-field': f.name },
    h('label', { for: id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    f.hint ? h('p', { class: 'hint', id: hintId }, f.hint) : null,
    input,
    h('p', { class: 'field-error', id: errId, role: 'alert', 'data-error-for': f.name }));
}

export function checkboxes(name, legend, options, checked = []) {
  return h('fieldset', { class: 'field checks', 'data-field': name },
    h('legend', {}, legend),
    options.map(([v, t]) => {
      const id = nextId(`c-${name}`);
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, name, value: v, checked: checked.includes(v) }),
        h('label', { for: id }, t));
    }),
    h('p', { class: 'field-error', role: 'alert', 'data-error-for': name }));
}

export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') {
      (out[el.name] ||= []);
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    } else if (el.type !== 'file' && el.type !== 'submit' && el.type !== 'button') {
      out[el.name] = el.value;
    }
  }
  return out;
}

// A problem's detail in the user's terms: without the lifecycle's developer prefix
// "action 'withdraw' in state 'reassessment': " (review 90 L4; the not-yet list drops it too).
export function plainDetail(detail) {
  return String(detail ?? '').replace(/^action '[a-z_]+' in state '[a-z_]+': /, '');
}

// The API names some fields otherwise than the forms that send them (the FTT's decision:
// `owner: …`, `sio: …` for the form's new_owner and new_sio).
const FIELD_ALIASES = { owner: ['new_owner'], sio: ['new_sio'] };

// The field a detail concerns, among the form's: the name before its first colon
// ("summary: at most 4000 bytes", "milestones[0].due: …") or an alias of it; or, in a
// lifecycle rule's words ("reason missing; rule: …", "new SIO does not belong to the new
// owner; …", "the named sia is disabled; …"), the one or two words it begins with.
function problemField(form, detail, lifecycle, aliases) {
  const has = (name) => form.querySelector(`[data-error-for="${CSS.escape(name)}"]`) ? name : null;
  // a field of a row named as the API names it ("milestones[1].due"), then the list's own
  const path = /^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)+):\s*/.exec(detail);
  if (path && has(path[1])) return path[1];
  const m = /^([a-z_]+)(?:\[\d+\])?(?:\.[a-z_]+)*:\s*/.exec(detail);
  if (m) {
    const found = has(m[1]) || (aliases?.[m[1]] || FIELD_ALIASES[m[1]] || []).map(has).find(Boolean);
    if (found) return found;
  }
  if (!lifecycle) return null;
  const w = /^(?:the )?(?:named )?([a-z]+)(?: ([a-z]+))?/i.exec(detail);
  if (!w) return null;
  const one = w[1].toLowerCase();
  return (w[2] && has(`${one}_${w[2].toLowerCase()}`)) || has(one);
}

// A message shown at a row's own field ("milestones[1].due"): without that path, which the
// field's label says in words ("Milestone 2: due").
function atRow(name, detail) {
  return name.includes('[') ? detail.replace(/^[a-z_]+\[\d+\](?:\.[a-z_]+)*:\s*/, '') : detail;
}

// Takes the messages of a previous problem off the form.
export function clearProblem(form) {
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const general = form.querySelector('.form-error');
  if (general) clear(general);
}

// Shows a problem's detail next to the field it names ("summary: at most 4000 bytes"), or in
// the form's general alert when no field of the form matches. `aliases` (optional): this
// form's own names for what the API's message names ({ user: ['name'] }). Returns the field
// name or null.
//
// A problem of several fields (err.errors, the API's "errors") shows each next to its field,
// those no field of the form matches together in the general alert, and focuses the first
// field named (review 90: a form of three bad fields took three submits).
export function showProblem(form, err, aliases = null) {
  clearProblem(form);
  const general = form.querySelector('.form-error');
  const list = Array.isArray(err?.errors) && err.errors.length > 1 ? err.errors : null;
  if (list) {
    let first = null;
    const unplaced = [];
    for (const e of list) {
      const detail = plainDetail(e.detail || '');
      const name = problemField(form, detail, false, aliases);
      const slot = name && form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (slot && !slot.textContent) {
        slot.textContent = atRow(name, detail);
        const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
        if (input) input.setAttribute('aria-invalid', 'true');
        first = first || name;
      } else if (slot) {
        slot.textContent += ` ${detail}`;
      } else {
        unplaced.push(detail);
      }
    }
    if (unplaced.length && general) general.append(h('ul', {}, ...unplaced.map((d) => h('li', {}, d))));
    if (first) form.querySelector(`[name="${CSS.escape(first)}"]`)?.focus();
    return first;
  }
  const raw = err.detail || err.message || String(err);
  const detail = plainDetail(raw);
  const name = problemField(form, detail, detail !== raw, aliases);
  if (name) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    slot.textContent = atRow(name, detail);
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    return name;
  }
  if (general) general.append(problemMessage(err));
  return null;
}

// Whether a 409 says the version the page showed is out of date (an If-Match that no longer
// holds), not that the change breaks a rule of the current state (review 63: "a threat has one
// open tasking at a time" was shown as "someone else changed this").
export function isStale(err) {
  return err.status === 409 && /you read version|version \d+ was read|now at version/.test(err.detail || '');
}

// The text of an API failure for a person: a stale version explained, with a reload.
export function problemMessage(err, reload) {
  if (isStale(err)) {
    return h('div', { class: 'conflict', 'data-testid': 'conflict' },
      h('p', {}, h('strong', {}, 'Someone else changed this since you opened it. '),
        'Nothing was saved: the version you saw is out of date. Reload to see the current ',
        'version, then try again.'),
      h('p', { class: 'detail' }, err.detail || ''),
      h('button', { type: 'button', class: 'secondary', onclick: () => (reload ? reload() : location.reload()) },
        'Reload'));
  }
  return h('p', {}, plainDetail(err.detail || err.message || String(err)));
}

// A form's submit handler that runs once at a time (review 44: a double click on "Record"
// made two APMIS records, on "Create" two API tokens): its submit buttons are disabled until
// the handler ends, a second submit meanwhile is ignored, and a failure that is not the API's
// answer (the network, the server unreachable) is shown in the form rather than lost.
export function submitOnce(form, handler) {
  let busy = false;
  let doneAt = -Infinity; // when the last submit ended, unless the form was edited since
  let lastBy = null; // the button that made it
  const edited = () => { doneAt = -Infinity; };
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    // the second click of a double click can reach a loaded page after the first one's answer
    // (web_ui saw two records sent so): a submit by the same button within half a second of
    // the last one's end, the form not edited since, is that click, not a new intent
    if (busy || (e.submitter === lastBy && performance.now() - doneAt < 500)) return;
    lastBy = e.submitter || null;
    busy = true;
    const buttons = [...form.querySelectorAll('button:not([type]), button[type=submit]')];
    const was = buttons.map((b) => b.disabled);
    for (const b of buttons) b.disabled = true;
    try {
      await handler(e);
      doneAt = performance.now();
    } catch (err) {
      showProblem(form, { detail: `Not sent, or no answer came: ${err?.message || err}. Check the connection; reload to see whether it was saved.` });
    } finally {
      busy = false;
      buttons.forEach((b, i) => { if (b.isConnected) b.disabled = was[i]; });
    }
  });
}

// Says `text` to a screen reader (a polite live region of the document, made once) without
// moving anything on screen (WCAG 4.1.3).
export function announce(text) {
  let region = document.getElementById('announce');
  if (!region) {
    region = h('div', { id: 'announce', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50); // a change after the clear is read out
}
