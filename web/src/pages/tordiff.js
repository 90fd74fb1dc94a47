// What changed between two versions of a tasking's terms of reference (issue 18 point 3), from
// the API's diff (GET /api/v1/taskings/{ref}/tor-diff?from=A&to=B: {"from", "to", "changes":
// {field: {"from", "to"}}}), item by item and in words: services, objectives, milestones and
// products added or removed, a date moved. Every change says what it is ("Added", "Removed",
// "Changed") in its own column, and the old and new values are <del> and <ins>: the colours of
// app.css only repeat what the words say.
import { get, ApiError } from '../api.js';
import { h, clear, fill, field, nextId, submitOnce } from '../dom.js';
import { date, words, SERVICES } from '../format.js';

const SERVICE_NAMES = new Map(SERVICES);
const FIELD_NAMES = { services: 'Service', start_date: 'Start date', end_date: 'End date', milestones: 'Milestone',
  products: 'Product', objectives: 'Objective' };
const ORDER = ['services', 'start_date', 'end_date', 'milestones', 'products', 'objectives'];

// Items of a list keyed so that the same item in both versions meets: a milestone by its name, a
// product by its type (the 2nd product of a type as "type#2"), a service or objective by itself.
function keyed(list, key) {
  const seen = new Map();
  return (list || []).map((x) => {
    const k = key(x);
    const n = (seen.get(k) || 0) + 1;
    seen.set(k, n);
    return [n > 1 ? `${k}#${n}` : k, x];
  });
}

// The rows of one field's change: {what, change, before, after}.
export function changeRows(name, c) {
  const rows = [];
  if (name === 'start_date' || name === 'end_date') {
    rows.push({ what: FIELD_NAMES[name], change: 'Changed', before: date(c.from), after: date(c.to) });
    return rows;
  }
  const spec = {
    services: [(s) => s, (s) => SERVICE_NAMES.get(s) || words(s), null],
    objectives: [(s) => s, (s) => s, null],
    milestones: [(m) => m.name, (m) => m.name, (m) => m.due],
    products: [(p) => p.type, (p) => words(p.type), (p) => p.due],
  }[name];
  if (!spec) { // a field this page does not know: its values as they are
    rows.push({ what: words(name), change: 'Changed', before: JSON.stringify(c.from), after: JSON.stringify(c.to) });
    return rows;
  }
  const [key, label, due] = spec;
  const a = new Map(keyed(c.from, key)), b = new Map(keyed(c.to, key));
  const what = (x) => `${FIELD_NAMES[name]}: ${label(x)}`;
  const withDue = (x) => (due ? `due ${date(due(x))}` : label(x));
  for (const [k, x] of a) {
    if (!b.has(k)) rows.push({ what: what(x), change: 'Removed', before: withDue(x), after: null });
    else if (due && due(x) !== due(b.get(k))) {
      rows.push({ what: what(x), change: 'Due date changed', before: `due ${date(due(x))}`, after: `due ${date(due(b.get(k)))}` });
    }
  }
  for (const [k, x] of b) if (!a.has(k)) rows.push({ what: what(x), change: 'Added', before: null, after: withDue(x) });
  return rows;
}

export function diffRows(changes) {
  const names = [...ORDER.filter((n) => n in changes), ...Object.keys(changes).filter((n) => !ORDER.includes(n))];
  return names.flatMap((n) => changeRows(n, changes[n]));
}

function summary(rows) {
  const count = (re) => rows.filter((r) => re.test(r.change)).length;
  const parts = [[count(/^Added$/), 'added'], [count(/^Removed$/), 'removed'], [count(/[Cc]hanged/), 'changed']]
    .filter(([n]) => n).map(([n, w]) => `${n} ${w}`);
  return `${rows.length} ${rows.length === 1 ? 'change' : 'changes'}: ${parts.join(', ')}.`;
}

// The diff of the API's answer d.
export function diffView(d) {
  const rows = diffRows(d.changes || {});
  const id = nextId('tordiff');
  const box = h('div', { class: 'tor-diff-result', 'data-from': d.from, 'data-to': d.to, 'data-changes': rows.length });
  if (!rows.length) {
    box.append(h('p', {}, `No change: versions ${d.from} and ${d.to} hold the same terms of reference.`));
    return box;
  }
  box.append(
    h('p', { class: 'diff-summary', id }, h('strong', {}, `Version ${d.from} to version ${d.to}: `), summary(rows)),
    h('table', { class: 'tor-diff-table', 'aria-describedby': id },
      h('caption', {}, `What changed from version ${d.from} to version ${d.to}`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Change'),
        h('th', { scope: 'col' }, `Version ${d.from}`), h('th', { scope: 'col' }, `Version ${d.to}`))),
      h('tbody', {}, rows.map((r) => h('tr', { class: `chg-${r.change.split(' ').pop().toLowerCase()}`, 'data-change': r.change },
        h('th', { scope: 'row' }, r.what),
        h('td', {}, h('span', { class: 'chg' }, r.change)),
        h('td', {}, r.before === null ? h('span', { class: 'none' }, 'not in this version') : h('del', {}, r.before)),
        h('td', {}, r.after === null ? h('span', { class: 'none' }, 'not in this version') : h('ins', {}, r.after)))))));
  return box;
}

// The panel: two versions to compare (default: the latest against the one before) and their diff.
export function torDiffPanel(ref, versions, initial) {
  const nums = versions.map((v) => v.version).sort((a, b) => a - b);
  const last = nums[nums.length - 1], before = nums[nums.length - 2];
  const out = h('div', { 'aria-live': 'polite' }, initial ? diffView(initial) : null);
  const options = nums.map((n) => [String(n), `Version ${n}`]);
  const form = h('form', { class: 'tor-diff-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'From version', name: 'from', type: 'select', value: String(before), options }),
    field({ label: 'To version', name: 'to', type: 'select', value: String(last), options }),
    h('button', { type: 'submit', class: 'secondary' }, 'Compare'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const a = form.elements.from.value, b = form.elements.to.value;
    const slot = form.querySelector('.form-error');
    clear(slot);
    if (a === b) { slot.append(`Choose two different versions (both are version ${a}).`); return; }
    try {
      const { data } = await get(`/api/v1/taskings/${ref}/tor-diff`, { from: a, to: b });
      fill(out, diffView(data));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      slot.append(err.detail);
    }
  });
  const hid = nextId('tordiff-h');
  return h('section', { class: 'tor-diff', 'data-testid': 'tor-diff', 'aria-labelledby': hid },
    h('h3', { id: hid }, 'Changes between versions'), form, out);
}
