// The filter of the network page (issue 18 point 5): entity types, a period and the minimum
// grade of a link, as the graph analyses of the API take them (`entity_types`, `from`, `to`,
// `min_grade`, `drop_isolated`: docs/api.md "the analysis of the picture"). The state lives in
// the page's address
// (#/tasking/REF/network?types=person,phone&from=2026-09-01&to=2026-09-30&grade=1B&isolated=hide),
// so a reload or a shared link shows the same view.
import { ApiError } from '../api.js';
import { h, field, formValues, showProblem, nextId, submitOnce } from '../dom.js';
import { date, words } from '../format.js';

export const GRADES = [];
for (const s of ['1', '2', '3']) for (const a of ['A', 'B', 'C', 'D', 'E']) GRADES.push(`${s}${a}`);

const YMD = /^\d{4}-\d{2}-\d{2}$/;

// The filter in the address (ctx.query): unknown entity types, malformed dates and grades are
// dropped here (the form shows what is kept); the API judges the rest (a period that ends
// before it starts).
export function parseFilter(query, types) {
  const f = { types: [], from: '', to: '', grade: '', gradeAny: false, hideIsolated: false };
  if (!query) return f;
  const t = (query.get('types') || '').split(',').map((x) => x.trim()).filter((x) => types.includes(x));
  f.types = [...new Set(t)].sort((a, b) => types.indexOf(a) - types.indexOf(b));
  if (f.types.length === types.length) f.types = []; // every type: no filter
  const from = query.get('from') || '', to = query.get('to') || '';
  if (YMD.test(from)) f.from = from;
  if (YMD.test(to)) f.to = to;
  const g = (query.get('grade') || '').toUpperCase();
  if (GRADES.includes(g)) f.grade = g;
  f.gradeAny = !!f.grade && query.get('grade_of') === 'any';
  f.hideIsolated = query.get('isolated') === 'hide';
  return f;
}

export function isFiltered(f) { return !!(f.types.length || f.from || f.to || f.grade || f.hideIsolated); }

// The body keys of a graph analysis for this filter.
export function filterBody(f) {
  const b = {};
  if (f.types.length) b.entity_types = f.types;
  if (f.from) b.from = f.from;
  if (f.to) b.to = f.to;
  if (f.grade) b.min_grade = f.grade;
  if (f.grade && f.gradeAny) b.min_grade_any = true;
  if (f.hideIsolated) b.drop_isolated = true;
  return b;
}

export function filterHash(ref, f) {
  const q = new URLSearchParams();
  if (f.types.length) q.set('types', f.types.join(','));
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.grade) q.set('grade', f.grade);
  if (f.grade && f.gradeAny) q.set('grade_of', 'any');
  if (f.hideIsolated) q.set('isolated', 'hide');
  const s = q.toString().replace(/%2C/g, ',');
  return `/tasking/${ref}/network${s ? `?${s}` : ''}`;
}

export function gradeWords(g) {
  return g === '1A' ? 'graded 1A' : `graded ${g} or better (source 1${g[0] > '1' ? `\u2013${g[0]}` : ''}, assessment A${g[1] > 'A' ? `\u2013${g[1]}` : ''})`;
}

// The filter in words, one part a line: [[what, words]].
export function filterParts(f) {
  const parts = [];
  if (f.types.length) parts.push(['Entity types', f.types.map(words).join(', ')]);
  if (f.from || f.to) {
    parts.push(['Period', f.from && f.to ? `${date(f.from)} to ${date(f.to)}`
      : f.from ? `from ${date(f.from)}` : `up to ${date(f.to)}`]);
  }
  if (f.grade) parts.push(['Links', gradeWords(f.grade)]);
  if (f.hideIsolated) parts.push(['Entities without a link', 'hidden']);
  return parts;
}

// Whether the API's filter keeps a link whose ends it keeps (src/graph/net.c select_items):
// its grade at least the minimum (source and assessment each), and its period, a day at each
// end, overlapping the filter's (undated ends are open). The page checks its count against
// the API's (graph/stats `links`).
const DAY = 86399000;
export function linkKept(l, f) {
  if (f.grade) {
    const s = l.grade?.source || '', a = l.grade?.assessment || '';
    if (s > f.grade[0] || a > f.grade[1]) return false;
  }
  if (f.from || f.to) {
    const start = l.first_seen ? Date.parse(l.first_seen) : null;
    const end = l.last_seen ? Date.parse(l.last_seen) + DAY : null;
    if (f.from && end !== null && end < Date.parse(f.from)) return false;
    if (f.to && start !== null && start > Date.parse(f.to) + DAY) return false;
  }
  return true;
}

// The filter form: entity types (with how many of each the picture holds), the period, the
// minimum grade; Apply checks the filter with the API (graph/stats) and puts it in the address;
// Reset goes back to the whole picture.
export function filterForm({ ref, f, typeCounts, check, go }) {
  const types = Object.keys(typeCounts);
  const fsId = nextId('ftypes');
  const form = h('form', { class: 'network-filter', novalidate: true, 'data-testid': 'network-filter',
    'aria-labelledby': `${fsId}-h` },
    h('h2', { id: `${fsId}-h` }, 'Filter the network'),
    h('div', { class: 'form-error', role: 'alert' }),
    h('fieldset', { class: 'field checks types', 'data-field': 'entity_types' },
      h('legend', {}, 'Entity types'),
      types.map((t) => {
        const id = nextId('ft');
        return h('div', { class: 'check' },
          h('input', { type: 'checkbox', id, name: 'entity_types', value: t, checked: !f.types.length || f.types.includes(t) }),
          h('label', { for: id }, `${words(t)} (${typeCounts[t]})`));
      }),
      h('p', { class: 'field-error', role: 'alert', 'data-error-for': 'entity_types' })),
    h('div', { class: 'row' },
      field({ label: 'Seen from', name: 'from', type: 'date', value: f.from, hint: 'Entities and links known on or after this day.' }),
      field({ label: 'Seen up to', name: 'to', type: 'date', value: f.to, hint: 'Known on or before this day.' }),
      field({ label: 'Minimum grade of a link', name: 'min_grade', type: 'select', value: f.grade,
        hint: 'Source evaluation and assessment of the link\u2019s intelligence (3x5x2).',
        options: [['', 'Any grade'], ...GRADES.map((g) => [g, g === '1A' ? '1A only' : `${g} or better`])] })),
    (() => {
      // by one source graded so, not the link's grade (the worst of its sources): a weaker
      // corroborating source then does not drop a link (docs/analysis.md, --min-grade-any)
      const id = nextId('fany');
      return h('div', { class: 'field', 'data-field': 'min_grade_any' }, h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, name: 'min_grade_any', value: 'any', checked: f.gradeAny }),
        h('label', { for: id }, 'Keep a link when any one of its sources has the minimum grade')));
    })(),
    (() => {
      const id = nextId('fiso');
      return h('div', { class: 'field', 'data-field': 'drop_isolated' }, h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, name: 'drop_isolated', value: 'hide', checked: f.hideIsolated }),
        h('label', { for: id }, 'Hide entities the filter leaves without a link')));
    })(),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit' }, 'Apply filter'),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'filter-reset', disabled: !isFiltered(f),
        onclick: () => go(filterHash(ref, { types: [], from: '', to: '', grade: '', gradeAny: false, hideIsolated: false })) }, 'Reset filter')));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const chosen = v.entity_types || [];
    if (!chosen.length) {
      showProblem(form, { detail: 'entity_types: choose at least one entity type' });
      return;
    }
    const next = { types: chosen.length === types.length ? [] : chosen, from: v.from, to: v.to, grade: v.min_grade,
      gradeAny: (v.min_grade_any || []).includes('any'), hideIsolated: (v.drop_isolated || []).includes('hide') };
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await check(next); // the API's refusal (a period that ends before it starts) by its field
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
      return;
    } finally {
      button.disabled = false;
    }
    go(filterHash(ref, next));
  });
  return form;
}

// What is filtered, in words, with the counts shown against the whole picture.
export function filterSummary(f, shown, total) {
  const parts = filterParts(f);
  const counts = `${shown.entities} of ${total.entities} entities and ${shown.links} of ${total.links} links`;
  return h('div', { class: `filter-summary${parts.length ? ' on' : ''}`, 'data-testid': 'filter-summary' },
    parts.length
      ? [h('p', {}, h('strong', {}, 'Filtered: '), `showing ${counts}.`),
        h('ul', {}, parts.map(([k, v]) => h('li', {}, h('span', { class: 'k' }, `${k}: `), v)))]
      : h('p', {}, h('strong', {}, 'Not filtered: '), `showing the whole picture you may see, ${counts}.`));
}
