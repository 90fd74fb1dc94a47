// Conflation review (issue 18 point 6): a tasking's near matches, each with the engine's
// per-field waterfall, decided same or different with a reason; and the MoPI review of
// intelligence items (issue 12 point 6): what is due, by owning agency, retained or disposed of.
import { get, post, all, ApiError } from '../api.js';
import { h, clear, clearProblem, fill, field, formValues, showProblem, submitOnce } from '../dom.js';
import { noteConditions } from '../marking.js';
import { section, table, dl } from './common.js';
import { time, date, words } from '../format.js';
import { ROLES } from './datasets.js';

const pct = (p) => `${(p * 100).toFixed(p > 0.999 || p < 0.001 ? 3 : 1)}%`;

// The waterfall: one row per compared field, its weight (log2 odds) as a bar to the left
// (against) or the right (for) of zero, scaled to the largest weight of the pair. Widths are set
// through the CSSOM (the Content-Security-Policy forbids style attributes, not this).
function waterfall(x) {
  const fields = x?.fields || [];
  const most = Math.max(1, ...fields.map((f) => Math.abs(f.weight || 0)));
  const bar = (w, side) => {
    const el = h('span', { class: `wbar ${side}` });
    el.style.width = `${(Math.abs(w) / most) * 100}%`;
    return el;
  };
  // what the fields do not say: the prior (how often candidate pairs match), how rare the
  // agreeing values are, and how likely a household or look-alike would show the same (review
  // 63: the bars did not add up to the caption's weight)
  const rest = (x?.match_weight ?? 0) - fields.reduce((a, f) => a + (f.weight || 0), 0);
  const row = (name, comparison, w, key) => h('tr', { 'data-field': key },
    h('th', { scope: 'row' }, name), h('td', {}, comparison),
    h('td', { class: 'wcell against' }, w < 0 ? bar(w, 'neg') : null),
    h('td', { class: 'wcell for' }, w > 0 ? bar(w, 'pos') : null),
    h('td', { class: 'num' }, (w > 0 ? '+' : '') + (w ?? 0).toFixed(2)));
  return h('table', { class: 'waterfall' },
    h('caption', {}, `Match weight ${x?.match_weight?.toFixed(1) ?? '—'} (log2 odds) → probability ${pct(x?.probability ?? 0)}`),
    h('thead', {}, h('tr', {}, ['Field', 'Comparison', 'Against', 'For', 'Weight'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, row('Prior and the rest', 'how often pairs like this match; rare values; households and look-alikes', rest, '_rest'),
      fields.map((f) => row(words(f.field), f.comparison, f.weight, f.field))));
}

// The two records side by side, role by role, the values that differ marked (review 63: the
// analyst had to decide without seeing the people compared).
function sideBySide(p) {
  const a = p.record_a?.values || {}, b = p.record_b?.values || {};
  // in the order and with the names of the import's roles (review 70: raw keys, alphabetical)
  const order = ROLES.map(([r]) => r);
  const label = (r) => ROLES.find(([x]) => x === r)?.[1] || words(r);
  const rank = (r) => (order.indexOf(r) < 0 ? order.length : order.indexOf(r));
  const roles = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((r) => r !== 'id')
    .sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  const norm = (v) => String(v ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  return h('table', { class: 'side-by-side' },
    h('caption', {}, 'The two records'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'),
      h('th', { scope: 'col' }, `A: ${record(p.record_a)}${p.record_a?.grade ? ` · ${p.record_a.grade.display}` : ''}`),
      h('th', { scope: 'col' }, `B: ${record(p.record_b)}${p.record_b?.grade ? ` · ${p.record_b.grade.display}` : ''}`))),
    h('tbody', {}, roles.map((r) => {
      const same = norm(a[r]) === norm(b[r]);
      const missing = !a[r] || !b[r];
      return h('tr', { class: same ? 'same' : missing ? 'missing' : 'differs', 'data-role': r },
        h('th', { scope: 'row' }, label(r),
          // said, not only shown by colour (review 70)
          h('span', { class: 'visually-hidden' }, same ? ' (the same)' : missing ? ' (one missing)' : ' (differs)')),
        h('td', {}, shown(r, a[r])), h('td', {}, shown(r, b[r])));
    })));
}

// a date of birth written ISO (1999-04-06) read as the UK writes it (review 109 L7); any other
// value as the record holds it
function shown(role, v) {
  if (v == null || v === '') return '—';
  return role === 'dob' && /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? date(String(v)) : v;
}

function record(r) {
  return r ? `${r.dataset} · ${r.record_id} (${r.record})` : '—';
}

function pairCard(p, reload, may = true) {
  // a C dataset's conditions go with its values (the page's banner carries them: review 68)
  for (const r of [p.record_a, p.record_b]) if (r?.grade?.handling === 'C' && r.grade.conditions) noteConditions(r.grade.conditions);
  const form = h('form', { class: 'action-form', 'data-pair': p.ref, novalidate: true },
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: `Decision on ${p.ref}`, name: 'decision', type: 'select', required: true,
            options: [['', 'choose…'], ['same', 'Same person or thing (merge)'], ['different', 'Different (keep apart)']] }),
    field({ label: 'Reason', name: 'reason', type: 'textarea', required: true, rows: 2 }),
    h('button', { type: 'submit' }, 'Record the decision'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await post(`/api/v1/review-pairs/${p.ref}/decide`, { decision: v.decision, reason: v.reason });
      await reload();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      button.disabled = false;
      if (err.status === 409) clear(form.querySelector('.form-error')).append(h('p', {}, err.detail));
      else showProblem(form, err);
    }
  });
  return h('article', { class: 'card pair', 'data-testid': `pair-${p.ref}`, 'aria-labelledby': `h-${p.ref}` },
    h('h2', { id: `h-${p.ref}` }, `${p.ref}: ${pct(p.probability)} likely the same`),
    dl([['Record A', record(p.record_a)], ['Record B', record(p.record_b)], ['Marking', p.marking]]),
    sideBySide(p),
    waterfall(p.explanation),
    may ? h('details', { class: 'action' }, h('summary', {}, 'Decide'), form) : null);
}

// Cards drawn at a time (review 70: 1,118 cards took 3.5 s to draw, and every decision drew
// them all again).
const QUEUE_PAGE = 50;

export async function reviewQueuePage(ctx) {
  const ref = ctx.args[0];
  const wrap = h('div', { class: 'review-queue' });
  let before = null;
  // who may decide: the tasking's own answer (review 70: the form was offered to every reader,
  // and each attempt ended in 403), from its actions, which log no read of the bid (review 93 L5)
  const { data: t } = await get(`/api/v1/taskings/${ref}/actions`);
  const may = new Set(t.actions || []).has('record_intel');
  const load = async (decided, at = 0) => {
    const pairs = await all(`/api/v1/taskings/${ref}/review-pairs`, {}, 100000);
    // what a decision did to the queue (review 66: one decision took five cards away unsaid,
    // the page jumped and the focus was lost): said, and the focus on the next card
    const gone = before === null ? [] : before.filter((p) => !pairs.some((q) => q.ref === p.ref)).map((p) => p.ref);
    before = pairs;
    const status = h('p', { role: 'status', class: 'queue-status', 'data-testid': 'queue-status' },
      decided ? `${decided} decided.${gone.length > 1 ? ` ${gone.length - 1} other pair${gone.length > 2 ? 's' : ''} about the same ` +
        `records ${gone.length > 2 ? 'were' : 'was'} settled by it (${gone.filter((r) => r !== decided).slice(0, 20).join(', ')}` +
        `${gone.length > 21 ? ', …' : ''}).` : ''}` + ` ${pairs.length} left.` : `${pairs.length} waiting.`);
    const list = h('div', { class: 'pairs' });
    let shown = 0;
    const more = h('button', { type: 'button', class: 'secondary', 'data-testid': 'queue-more' }, '');
    const showMore = (upto) => {
      const base = shown, next = pairs.slice(shown, Math.max(shown + QUEUE_PAGE, upto));
      list.append(...next.map((p, i) => pairCard(p, () => load(p.ref, base + i), may)));
      shown += next.length;
      more.textContent = `Show ${Math.min(QUEUE_PAGE, pairs.length - shown)} more of ${pairs.length - shown}`;
      more.hidden = shown >= pairs.length;
    };
    more.addEventListener('click', () => showMore(0));
    fill(wrap, 
      h('h1', {}, `${ref}: near matches to review`),
      h('p', { class: 'lede' }, h('a', { href: `#/tasking/${ref}` }, `Back to ${ref}`), '. ',
        'Pairs the conflation engine scored between the review and the link thresholds, most likely first. ',
        may ? 'A decision is kept and applied on every later import; a reason is required. A decision may settle '
          + 'other pairs of the same records (the records of one person against another record).'
          : 'You may read them; the tasking\u2019s TOEX team decides them.'),
      status,
      pairs.length ? list : h('p', { class: 'empty' }, 'No near matches waiting for a decision.'),
      more);
    showMore(at + 1);
    if (decided) {
      // the card that now stands where the decided one stood
      const cards = wrap.querySelectorAll('article.pair h2');
      const next = cards[Math.min(at, cards.length - 1)];
      if (next) { next.setAttribute('tabindex', '-1'); next.focus(); }
    }
  };
  await load(null);
  return wrap;
}

// ---- MoPI review --------------------------------------------------------------------------

const addYears = (ymd, n) => `${Number(ymd.slice(0, 4)) + n}${ymd.slice(4)}`;

// kind: 'intelligence' (an item: disposal erases its content) or 'datasets' (a dataset:
// disposal deletes it, its records and every entity and link only they support).
function reviewForm(item, reload, slot, kind = 'intelligence') {
  const dataset = kind === 'datasets';
  const form = h('form', { class: 'action-form', 'data-item': item.ref, novalidate: true },
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: `Decision on ${item.ref}`, name: 'decision', type: 'select', required: true,
            options: [['retain', 'Retain until a next review'],
                      ['dispose', dataset ? 'Dispose of it (delete its records)' : 'Dispose of it (erase its content)']] }),
    field({ label: 'Next review date (retain)', name: 'next', type: 'date', value: addYears(new Date().toISOString().slice(0, 10), 1) }),
    field({ label: 'Reason', name: 'reason', type: 'textarea', required: true, rows: 2 }),
    h('button', { type: 'submit' }, 'Record the review'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = { decision: v.decision, reason: v.reason };
    if (v.decision === 'retain') body.next = v.next;
    if (v.decision === 'dispose' &&
        !window.confirm(dataset ? `Dispose of ${item.ref}? Its records and every entity and link only they support are deleted for good.`
          : `Dispose of ${item.ref}? Its content is erased for good, in every version.`)) return;
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const { data } = await post(`/api/v1/${kind}/${item.ref}/reviews`, body);
      fill(slot, h('p', { class: 'ok', role: 'status' },
        data.decision === 'dispose' ? `${item.ref} disposed of: ${dataset ? 'it is deleted' : 'its content is erased'}.`
          : `${item.ref} retained until ${date(data.next_date)}.`));
      await reload();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      button.disabled = false;
      if (err.status === 409) clear(form.querySelector('.form-error')).append(h('p', {}, err.detail));
      else showProblem(form, err);
    }
  });
  return form;
}

async function historyOf(ref, into, kind = 'intelligence') {
  const { data } = await get(`/api/v1/${kind}/${ref}/reviews`);
  fill(into, table(`Reviews of ${ref}`, [
    ['When', (r) => time(r.at)], ['Decision', (r) => words(r.decision)], ['By', (r) => r.by || '—'],
    ['Was due', (r) => date(r.due_date)], ['Next', (r) => (r.next_date ? date(r.next_date) : '—')],
    ['Reason', (r) => r.reason],
  ], data.items, 'No review recorded yet.'));
}

export async function mopiPage(ctx) {
  const wrap = h('div', { class: 'mopi' });
  const may = ctx.hasRole('toex_manager', 'sia', 'sio');
  const status = h('div', { 'aria-live': 'polite' });
  const daysField = field({ label: 'Due within (days)', name: 'days', type: 'number', min: 0, max: 36600, value: 90 });
  const list = h('div', {});
  const load = async () => {
    const days = Number(daysField.querySelector('input').value || 0);
    const items = await all('/api/v1/intelligence/due-review', { days });
    for (const i of items) if (i.grade?.conditions) noteConditions(i.grade.conditions);
    const owners = [...new Set(items.map((i) => i.owner || '—'))];
    fill(list, ...(owners.length ? owners.map((o) => section(`Owned by ${o}`, table(null, [
      ['Item', (i) => `${i.ref} v${i.version}`],
      ['Tasking', (i) => h('a', { href: `#/tasking/${i.tasking}` }, i.tasking)],
      ['Review date', (i) => date(i.review_date)],
      ['Grade', (i) => h('span', { class: 'grade' }, i.grade?.display || '—')],
      ['PND', (i) => words(i.pnd.status)], ['Marking', (i) => i.marking],
      ['Intelligence', (i) => i.text ?? '(erased)'],
      ['Review', (i) => {
        const slot = h('div', { class: 'review-slot' });
        const hist = h('div', {});
        const show = h('button', { type: 'button', class: 'secondary small',
                                   onclick: () => historyOf(i.ref, hist).catch((err) => fill(hist, h('p', { role: 'alert' }, err.detail || String(err)))) },
                       `History of ${i.ref}`);
        return [may ? h('details', { class: 'action' }, h('summary', {}, `Review ${i.ref}`), reviewForm(i, reloadAll, status)) : null,
                show, hist, slot];
      }],
    ], items.filter((i) => (i.owner || '—') === o))))
      : [h('p', { class: 'empty' }, 'No intelligence due for review in that period.')]));
  };
  // Imported datasets (issue 16 point 7): reviewed like items; their entities and links are
  // kept while any of their sources is, so they fall due with them (counted, not listed).
  const records = h('div', {});
  const loadRecords = async () => {
    const days = Number(daysField.querySelector('input').value || 0);
    const rows = await all('/api/v1/datasets/due-review', { days });
    const sets = rows.filter((r) => r.kind === 'dataset');
    const entities = rows.filter((r) => r.kind === 'entity');
    const perTasking = new Map();
    for (const e of entities) perTasking.set(e.tasking, (perTasking.get(e.tasking) || 0) + 1);
    fill(records, section('Imported datasets', sets.length ? table(null, [
      ['Dataset', (d) => d.ref], ['Name', (d) => d.name],
      ['Tasking', (d) => h('a', { href: `#/tasking/${d.tasking}` }, d.tasking)],
      ['Owner', (d) => d.owner || '—'], ['Level', (d) => words(d.type)], ['Records', (d) => String(d.records)],
      ['Review date', (d) => date(d.review_date)], ['Marking', (d) => d.marking],
      ['Review', (d) => {
        const slot = h('div', { class: 'review-slot' });
        const hist = h('div', {});
        const show = h('button', { type: 'button', class: 'secondary small',
                                   onclick: () => historyOf(d.ref, hist, 'datasets').catch((err) => fill(hist, h('p', { role: 'alert' }, err.detail || String(err)))) },
                       `History of ${d.ref}`);
        return [may ? h('details', { class: 'action' }, h('summary', {}, `Review ${d.ref}`), reviewForm(d, reloadAll, status, 'datasets')) : null,
                show, hist, slot];
      }],
    ], sets) : h('p', { class: 'empty' }, 'No dataset due for review in that period.'),
    perTasking.size ? h('p', {}, 'Entities falling due with their sources: ',
      [...perTasking].map(([t, n], i) => [i ? '; ' : '', h('a', { href: `#/tasking/${t}` }, t), ` ${n}`])) : null));
  };
  const reloadAll = async () => { await load(); await loadRecords(); };
  const fail = (into) => (err) => fill(into, h('p', { role: 'alert' }, err.detail || String(err)));
  const filter = h('form', { class: 'filters', novalidate: true }, h('div', { class: 'form-error', role: 'alert' }), daysField, h('button', { type: 'submit' }, 'Show'));
  // a bad period is said once, at its field (review 109 L10: each list said it again)
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    clearProblem(filter);
    load().then(() => loadRecords().catch(fail(records)), (err) => {
      if (err instanceof ApiError && err.status === 400) {
        showProblem(filter, err);
        fill(list);
        fill(records);
      } else fail(list)(err);
    });
  });
  await load();
  await loadRecords();
  wrap.append(h('h1', {}, 'MoPI review'),
    h('p', { class: 'lede' }, 'Intelligence is kept only while a policing purpose needs it. These items reach their ',
      'review date: retain each until a next review (at most one review period ahead), or dispose of it. ',
      'A disposal erases the content of every version for good; the review history and the audit trail remain.'),
    filter, status, list, records);
  return wrap;
}
