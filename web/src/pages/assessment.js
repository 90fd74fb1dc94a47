// The assessment input (docs/api.md) as form fields, with the score shown as it is filled in:
// sum(harm) x likelihood x confidence weight (0.6 / 0.8 / 1.0), one decimal, as the API works
// it out; the API's answer gives the band and the recommendation.
import { h, field, nextId } from '../dom.js';

const HARMS = [['physical', 'Physical harm'], ['psychological', 'Psychological harm'], ['financial', 'Financial harm'],
  ['community', 'Harm to the community'], ['victim_vulnerability', 'Victim vulnerability']];
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => [String(a + i), String(a + i)]);
const WEIGHT = { low: 0.6, medium: 0.8, high: 1.0 };

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
  const update = () => {
    const val = (n) => Number(wrap.querySelector(`[name="${n}"]`).value);
    const sum = HARMS.reduce((s, [k]) => s + val(k), 0);
    const w = WEIGHT[wrap.querySelector('[name="confidence"]').value] ?? 1;
    out.textContent = (Math.round(sum * val('likelihood') * w * 10) / 10).toFixed(1);
  };
  wrap.addEventListener('change', update);
  wrap.addEventListener('input', update);
  queueMicrotask(update);
  return [wrap];
}
