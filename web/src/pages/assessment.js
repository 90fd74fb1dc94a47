// The assessment input (docs/api.md) as form fields, with the score and its band shown as it is
// filled in: sum(harm) x likelihood x confidence weight, one decimal rounded half up, as the API
// works it out (src/domain/assess.c), with the weights and bands of the `assessment.scoring`
// setting in force (review 109 M3: hard-coded weights showed 21.6 where the tasking recorded
// 13.5 once an admin had changed them); the API's answer gives the recommendation.
import { get } from '../api.js';
import { h, field, nextId } from '../dom.js';

const HARMS = [['physical', 'Physical harm'], ['psychological', 'Psychological harm'], ['financial', 'Financial harm'],
  ['community', 'Harm to the community'], ['victim_vulnerability', 'Victim vulnerability']];
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => [String(a + i), String(a + i)]);
// the seeded setting, until the one in force is read
const SEEDED = { confidence_weight_percent: { low: 60, medium: 80, high: 100 },
  bands: { low: { from: 0 }, medium: { from: 30 }, high: { from: 60 } } };

export function assessmentForm(input) {
  const harm = input?.harm || {};
  const fields = [
    h('fieldset', { class: 'field grid' }, h('legend', {}, 'Harm (0 to 4 each)'),
      HARMS.map(([k, l]) => field({ label: l, name: k, type: 'select', options: range(0, 4), value: harm[k] ?? 2 }))),
    field({ label: 'Scale (1 to 4)', name: 'scale', type: 'select', options: range(1, 4), value: input?.scale ?? 2 }),
    field({ label: 'Likelihood (1 to 5)', name: 'likelihood', type: 'select', options: range(1, 5), value: input?.likelihood ?? 3 }),
    field({ label: 'Confidence', name: 'confidence', type: 'select', options: [['low', 'low'], ['medium', 'medium'], ['high', 'high']], value: input?.confidence ?? 'medium' }),
    field({ label: 'Owner\u2019s capacity (0 to 4)', name: 'capacity', type: 'select', options: range(0, 4), value: input?.capacity ?? 2 }),
    field({ label: 'Owner\u2019s capability (0 to 4)', name: 'capability', type: 'select', options: range(0, 4), value: input?.capability ?? 2 }),
    h('fieldset', { class: 'field checks' }, h('legend', {}, 'Capabilities needed'),
      ...[['national', 'A national capability', input?.needs_national_capability], ['rocu', 'A ROCU capability', input?.needs_rocu_capability]]
        .map(([v, l, c]) => { const id = nextId('need'); return h('div', { class: 'check' },
          h('input', { type: 'checkbox', id, name: 'needs', value: v, checked: !!c }), h('label', { for: id }, l)); })),
  ];
  const out = h('output', { class: 'live-score', 'aria-live': 'polite', 'data-testid': 'live-score' });
  const wrap = h('div', { class: 'assessment-fields' }, fields, h('p', {}, 'Score: ', out));
  let scoring = SEEDED;
  const update = () => {
    const val = (n) => Number(wrap.querySelector(`[name="${n}"]`).value);
    const sum = HARMS.reduce((s, [k]) => s + val(k), 0);
    const pct = scoring.confidence_weight_percent[wrap.querySelector('[name="confidence"]').value] ?? 100;
    const milli = Math.round(pct * 10);
    const tenths = Math.floor((sum * val('likelihood') * milli + 50) / 100); // as assess.c
    const from = (b) => Math.round((scoring.bands[b]?.from ?? 0) * 10);
    const band = tenths >= from('high') ? 'high' : tenths >= from('medium') ? 'medium' : 'low';
    out.textContent = `${(tenths / 10).toFixed(1)} (${band} band)`;
  };
  wrap.addEventListener('change', update);
  wrap.addEventListener('input', update);
  queueMicrotask(update);
  get('/api/v1/settings/assessment.scoring', undefined, { noMark: true })
    .then(({ data }) => { if (data?.value?.confidence_weight_percent && data.value.bands) { scoring = data.value; update(); } })
    .catch(() => {}); // unreadable: the seeded values stand
  return [wrap];
}

// The form's values as the API's assessment input (docs/api.md).
export function assessmentBody(v) {
  const n = (x) => Number(x);
  return { harm: { physical: n(v.physical), psychological: n(v.psychological), financial: n(v.financial),
    community: n(v.community), victim_vulnerability: n(v.victim_vulnerability) },
  scale: n(v.scale), likelihood: n(v.likelihood), confidence: v.confidence, capacity: n(v.capacity), capability: n(v.capability),
  needs_national_capability: (v.needs || []).includes('national'), needs_rocu_capability: (v.needs || []).includes('rocu') };
}
