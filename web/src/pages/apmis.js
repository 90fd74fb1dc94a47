import { all, get, post, ApiError } from '../api.js';
import { h, field, formValues, showProblem, submitOnce, announce } from '../dom.js';
import { STRANDS, STATES, date, duration, money, month, todayUK, words } from '../format.js';
import { fileLink, section, table } from './common.js';
import { picker, agencies, agencyChoice } from '../pickers.js';

function bars(caption, entries) {
  const max = Math.max(1, ...entries.map(([, v]) => v));
  return h('figure', { class: 'bars' }, h('figcaption', {}, caption),
    h('ul', {}, entries.map(([k, v]) => {
      const id = `bar-${caption}-${k}`.replace(/[^A-Za-z0-9-]/g, '-');
      return h('li', {}, h('label', { for: id }, words(k)),
        h('meter', { id, min: 0, max, value: v }, String(v)), h('span', { class: 'n' }, String(v)));
    })));
}

function count(items, key) {
  const m = new Map();
  for (const x of items) m.set(key(x), (m.get(key(x)) || 0) + 1);
  return [...m.entries()];
}

export async function apmisPage({ hasRole, reload, query }) {
  // whose figures: the requesting and lead agencies' (the default) or the threats' owner's
  const byOwner = query?.get('by') === 'owner';
  const by = byOwner ? '?by=owner' : '';
  const [{ data: r }, records] = await Promise.all([get(`/api/v1/apmis/report${by}`), all('/api/v1/apmis')]);
  const d = r.disruptions;
  const out = h('div', {}, h('h1', {}, 'APMIS: the value TOEX adds'),
    h('p', { class: 'notice', role: 'status', 'data-testid': 'apmis-recorded' }),
    h('p', {}, `Scope: ${r.scope.region ? `region ${r.scope.region}` : r.scope.force ? `agency ${r.scope.force}` : 'all'}, `,
      byOwner ? 'as the threats\' owner (taskings of its threats, disruptions against them), '
        : 'as requester (taskings it requested, disruptions it led), ',
      `${r.scope.from ? date(r.scope.from) : 'from the start'} to ${date(r.scope.to)}. `,
      h('a', { href: byOwner ? '#/apmis' : '#/apmis?by=owner', 'data-testid': 'apmis-by' },
        byOwner ? 'Show as requester' : 'Show as the threats\' owner'), ' ',
      fileLink('Download the report as CSV', `/api/v1/apmis/report?format=csv${byOwner ? '&by=owner' : ''}`, 'apmis-report.csv')),
    h('div', { class: 'dash' },
      bars('Taskings by state', STATES.map((s) => [s, r.taskings.by_state[s] || 0]).filter(([, v]) => v)),
      bars('Disruptions by impact (all)', Object.entries(d.all.by_impact)),
      bars('Disruptions by impact (with TOEX)', Object.entries(d.with_toex.by_impact)),
      bars('Options actioned by 4P strand', STRANDS.map((s) => [s, r.tactical_options.actioned_by_strand[s] || 0])),
      bars('Disruptions by lead agency', count(records, (x) => x.lead)),
      bars('Disruptions by region of the lead', count(records, (x) => x.lead_region ?? 'national')),
      bars('Disruptions by owner of the threat', count(records, (x) => x.owner)),
      bars('Disruptions by month', count(records, (x) => x.date.slice(0, 7)).sort().map(([k, v]) => [month(k), v]))),
    section('Totals', table(null, [['Measure', (x) => x[0]], ['All', (x) => x[1]], ['With TOEX', (x) => x[2]]], [
      ['Disruptions', String(d.all.count), String(d.with_toex.count)],
      ['Arrests', String(d.all.arrests), String(d.with_toex.arrests)],
      ['Victims safeguarded', String(d.all.victims_safeguarded), String(d.with_toex.victims_safeguarded)],
      ['Value seized', money(d.all.seized_pence), money(d.with_toex.seized_pence)],
    ])),
    section('Products', h('p', {}, `${r.products.due} products: delivered on time ${r.products.on_time}, late ${r.products.late}; not delivered by their due day ${r.products.not_delivered}.`),
      h('p', { class: 'hint' }, 'A delivered product counts in the period it was delivered in; one not delivered counts once its due day in the period has passed.')),
    section('Time in each state', table(null, [['State', (x) => words(x[0])], ['Visits', (x) => String(x[1].visits)],
      ['Median', (x) => duration(x[1].median_seconds)], ['90th percentile', (x) => duration(x[1].p90_seconds)]],
    Object.entries(r.time_in_state))),
    section('Disruption records', table(null, [
      ['Record', (x) => x.ref], ['Date', (x) => date(x.date)], ['Threat', (x) => `${x.threat}: ${x.threat_title || ''}`],
      ['Lead', (x) => x.lead], ['Impact', (x) => words(x.impact)], ['Type', (x) => words(x.type)], ['4P', (x) => words(x.strand)],
      ['TOEX', (x) => (x.toex_contributed ? 'contributed' : '—')],
    ], records, 'No disruption recorded.')));
  if (hasRole('apmis')) out.append(recordForm(reload));
  return out;
}

function recordForm(reload) {
  const form = h('form', { class: 'card', novalidate: true, 'data-action': 'apmis-record' },
    h('h2', {}, 'Record a disruption'), h('div', { class: 'form-error', role: 'alert' }),
    // suggested from the SOC master list as this role may read it (review 109 L13: typed blind)
    picker(field({ label: 'Threat (SOC reference)', name: 'threat', required: true,
      hint: 'The threats of the SOC master list you may read are suggested as you type.' }), async () => {
      const threats = await all('/api/v1/threats', { status: 'all' });
      return threats.map((t) => ({ value: t.ref, text: `${t.ref}: ${t.title} (${t.owner}${t.status === 'archived' ? ', archived' : ''})` }));
    }),
    field({ label: 'Date', name: 'date', type: 'date', required: true, value: todayUK() }),
    field({ label: 'Impact', name: 'impact', type: 'select', options: ['major', 'moderate', 'minor', 'none', 'negative'].map((x) => [x, x]) }),
    field({ label: 'Type', name: 'type', type: 'select', options: ['arrest', 'charge', 'conviction', 'seizure', 'victims_safeguarded',
      'order_obtained', 'asset_freeze', 'immigration_action', 'other'].map((x) => [x, words(x)]) }),
    field({ label: '4P strand', name: 'strand', type: 'select', options: STRANDS.map((x) => [x, x]) }),
    // suggested from the agencies (a capability never leads); typing stays free (review 90 L8)
    picker(field({ label: 'Lead agency (code)', name: 'lead', required: true }), async () => {
      const ags = await agencies();
      return ags && ags.filter((a) => a.kind !== 'capability').map(agencyChoice);
    }),
    picker(field({ label: 'Contributing capabilities (codes, comma separated)', name: 'capabilities',
      hint: 'Name toex only where TOEX took on a tasking of this threat (accepted it); otherwise the record is refused.' }),
    async () => { const ags = await agencies(); return ags && ags.map(agencyChoice); }, { multi: true }),
    field({ label: 'Arrests', name: 'arrests', type: 'number', min: 0, value: 0 }),
    field({ label: 'Victims safeguarded', name: 'safeguarded', type: 'number', min: 0, value: 0 }),
    field({ label: 'Value seized (£)', name: 'seized_pence', inputmode: 'decimal', value: '0',
      hint: 'In pounds, with pence after a point if any: 2500 or 2,500.50.' }),
    field({ label: 'What happened', name: 'narrative', type: 'textarea', required: true }),
    h('button', { type: 'submit' }, 'Record'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    // pounds as written (review 63: the field took pence, so 2500 meant for £2,500 recorded £25)
    const pounds = /^\s*£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$/.exec(v.seized_pence || '0');
    if (!pounds) {
      showProblem(form, { detail: `seized_pence: '${v.seized_pence}' is not an amount in pounds (2500 or 2,500.50)` });
      return;
    }
    const pence = Number(pounds[1].replace(/,/g, '')) * 100 + Number((pounds[2] || '0').padEnd(2, '0'));
    try {
      const { data } = await post('/api/v1/apmis', { ...v, arrests: Number(v.arrests), safeguarded: Number(v.safeguarded),
        seized_pence: pence, capabilities: v.capabilities.split(',').map((x) => x.trim()).filter(Boolean) });
      // the page drawn again with the record in it, and the record said (review 109 M8: a full
      // reload of the app, and no word of what was recorded)
      announce(`Recorded ${data?.ref || 'the disruption'}. The report is shown with it.`);
      await reload();
      const done = document.querySelector('[data-testid="apmis-recorded"]');
      if (done) done.textContent = `Recorded ${data?.ref || 'the disruption'}.`;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return form;
}
