// Two sibling views of the network page (issue 18 point 5): the money flows between holders
// and accounts (POST …/finance/flows) drawn with Cytoscape.js, edge width by amount, and the
// timeline of every dated source, link, transaction and call (GET …/timeline) by month and
// as a list. Both with their table, the export panel and the marking of the API's answers.
import cytoscape from 'cytoscape';
import { analysis, get, post, ApiError } from '../api.js';
import { h, clear, fill, field, formValues, showProblem, submitOnce } from '../dom.js';
import { section, table } from './common.js';
import { time, words } from '../format.js';
import { subNav, graphStyle, layoutPositions, fitNodes, iconOf, TYPES, markedPng, exportPanel, clearProblem, keepCoords } from './network.js';

const money = (amount, currency) => {
  const n = Number(amount);
  if (Number.isNaN(n)) return `${currency} ${amount}`;
  try { return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(n); } catch { return `${currency} ${amount}`; }
};

function party(p) {
  if (p.entity) return { id: p.entity.ref, label: p.entity.label, type: p.entity.type };
  const holders = (p.holders || []).map((x) => x.label).join(', ');
  return { id: `acct-${p.account}`, label: holders ? `${p.account} (${holders})` : p.account, type: 'account' };
}

function partyText(p) { const x = party(p); return p.entity ? `${x.label} (${p.entity.ref})` : x.label; }

export async function moneyPage(ctx) {
  const ref = ctx.args[0];
  const { data } = await analysis(`/api/v1/taskings/${ref}/finance/flows`, { top: 500 });
  const items = data.items || [];
  const page = h('div', { class: 'network-page money-page' },
    h('h1', {}, `${ref}: money flows`),
    subNav(ref, 'money'),
    h('p', { class: 'lede' }, `${items.length} flows between holders and accounts over ${data.transactions} `,
      'transactions you may see. Width: the amount; each flow lists its evidence transactions.'));
  if (!items.length) {
    page.append(h('p', { class: 'empty' }, 'No transactions have been imported for this tasking, or none you may see.'));
    return page;
  }
  const nodes = new Map();
  for (const f of items) for (const p of [f.from, f.to]) { const x = party(p); nodes.set(x.id, x); }
  const most = Math.max(...items.map((f) => Math.log10(1 + Number(f.total) || 1)));
  const elements = [
    ...[...nodes.values()].map((x) => ({ group: 'nodes', data: { id: x.id, label: x.label, type: x.type,
      shape: TYPES[x.type] || 'ellipse', icon: iconOf(x.type), colour: x.type === 'account' ? '#E69F00' : '#0072B2', size: 34 } })),
    ...items.map((f, i) => ({ group: 'edges', data: { id: `flow-${i}`, source: party(f.from).id, target: party(f.to).id,
      directed: true, label: `${money(f.total, f.currency)} ×${f.count}`,
      w: 1.5 + 8 * (Math.log10(1 + Number(f.total) || 1) / most) } })),
  ];
  const box = h('div', { class: 'cy', role: 'img', 'data-testid': 'money-graph',
    'aria-label': `Money flows of ${ref}: ${nodes.size} holders and accounts, ${items.length} flows; the table below lists them.` });
  const status = h('p', { class: 'graph-status', role: 'status' }, 'Drawing the flows…');
  page.append(status, box,
    section('Flows', table(null, [
      ['From', (f) => partyText(f.from)], ['To', (f) => partyText(f.to)],
      ['Total', (f) => money(f.total, f.currency)], ['Transactions', (f) => String(f.count)],
      ['First', (f) => time(f.first)], ['Last', (f) => time(f.last)],
      ['Evidence', (f) => h('small', {}, f.transactions.join(', '))]], items)));
  const style = graphStyle();
  style.push({ selector: 'edge', style: { width: 'data(w)', 'font-size': 9, 'min-zoomed-font-size': 6, 'line-color': '#5b6670',
    'target-arrow-color': '#5b6670' } });
  // as on the network page: once the page is shown, laid out headless, then Cytoscape with the
  // positions and the viewport fitted from them
  let cy = null;
  page.append(section('Export', exportPanel(ref, async () => {
    if (!cy) throw new ApiError(0, { detail: 'format: the flows are still being drawn; try again in a moment' });
    return { blob: await markedPng(cy, `${ref} · money flows · ${time(new Date().toISOString())}`), view: 'money flows' };
  })));
  const until = performance.now() + 10000; // a page replaced before it was shown: give up
  const check = () => {
    if (!(box.isConnected && box.clientWidth > 0)) { if (performance.now() < until) requestAnimationFrame(check); return; }
    const pos = layoutPositions(elements, nodes.size, { idealEdgeLength: 140, nodeRepulsion: 12000 });
    for (const e of elements) if (e.group === 'nodes') e.position = pos.get(e.data.id);
    cy = cytoscape({ container: box, elements, layout: { name: 'preset', fit: false }, style, minZoom: 0.1, maxZoom: 4, pixelRatio: 1 });
    keepCoords(cy, box);
    fitNodes(cy, elements.filter((e) => e.group === 'nodes').map((e) => ({ ...e.position, size: e.data.size })), 24);
    fill(status, `${nodes.size} holders and accounts, ${items.length} flows.`);
    box.classList.add('drawn');
  };
  requestAnimationFrame(check);
  return page;
}

function describe(it) {
  switch (it.kind) {
    case 'entity': return `${words(it.entity.type)} ${it.entity.label} (${it.entity.ref}) recorded`;
    case 'link': return `${it.from.label} ${words(it.type)} ${it.to.label} (${it.ref})`;
    case 'transaction': return `${money(it.amount, it.currency)} from ${it.from} to ${it.to}${it.reference ? ` — ${it.reference}` : ''} (${it.ref})`;
    case 'call': return `Call ${it.caller} → ${it.callee}, ${it.duration} s${it.cell ? `, cell ${it.cell}` : ''} (${it.ref})`;
    case 'sms': return `SMS ${it.caller} → ${it.callee} (${it.ref})`;
    default: return it.ref || '';
  }
}

function source(it) {
  const s = it.source;
  if (!s) return '—';
  return s.record ? `${s.record} (${s.dataset})` : s.item || '—';
}

const KINDS = ['entity', 'link', 'transaction', 'call', 'sms'];
const LIST_STEP = 100;

export async function timelinePage(ctx) {
  const ref = ctx.args[0];
  const wrap = h('div', { class: 'timeline-page' });
  const form = h('form', { class: 'filters', novalidate: true },
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'Entity (ENT-…)', name: 'entity', hint: 'Only what concerns this entity: its sources and links, its accounts\u2019 transactions, its phones\u2019 calls.' }),
    field({ label: 'From', name: 'from', type: 'date' }),
    field({ label: 'To', name: 'to', type: 'date' }),
    field({ label: 'Kind', name: 'kind', type: 'select', options: [['', 'every kind'], ...KINDS.map((k) => [k, words(k)])] }),
    h('button', { type: 'submit' }, 'Show'));
  const out = h('div', { 'data-testid': 'timeline' });
  const load = async (v) => {
    const { data } = await get(`/api/v1/taskings/${ref}/timeline`, { entity: v.entity?.trim(), from: v.from, to: v.to, limit: 100000 }, { retryBusy: 60 });
    const items = v.kind ? data.items.filter((i) => i.kind === v.kind) : data.items;
    // by month (UTC), per kind
    const months = new Map();
    for (const it of items) {
      const m = it.at.slice(0, 7);
      if (!months.has(m)) months.set(m, Object.fromEntries(KINDS.map((k) => [k, 0])));
      months.get(m)[it.kind] = (months.get(m)[it.kind] || 0) + 1;
    }
    const most = Math.max(1, ...[...months.values()].map((c) => KINDS.reduce((a, k) => a + c[k], 0)));
    const rows = [...months.entries()].sort(([a], [b]) => a.localeCompare(b));
    const list = h('div', {});
    const bars = (c) => h('div', { class: 'tbar' }, KINDS.filter((k) => c[k]).map((k) => {
      const s = h('span', { class: `seg k-${k}`, title: `${words(k)}: ${c[k]}` });
      s.style.width = `${(c[k] / most) * 100}%`;
      return s;
    }));
    fill(out, 
      h('p', {}, `${items.length} events${data.truncated ? ' (the first ones: narrow the period)' : ''}.`),
      h('ul', { class: 'tkeys', 'aria-label': 'Kinds' }, KINDS.map((k) => h('li', {}, h('span', { class: `seg k-${k}`, 'aria-hidden': 'true' }), ` ${words(k)}`))),
      table('Events by month', [['Month', ([m]) => m], ['Events', ([, c]) => bars(c)],
        ...KINDS.map((k) => [words(k), ([, c]) => String(c[k])])], rows, 'Nothing dated in this period.'),
      section('Events', list));
    let shown = 0;
    const more = () => {
      shown = Math.min(items.length, shown + LIST_STEP);
      fill(list, 
        h('p', { class: 'hint' }, `${shown} of ${items.length} events.`),
        table(null, [['When', (it) => time(it.at)], ['Kind', (it) => words(it.kind)], ['What', describe], ['Source', source],
          ['Marking', (it) => it.marking]], items.slice(0, shown), 'Nothing dated in this period.'),
        shown < items.length ? h('button', { type: 'button', class: 'secondary', onclick: more },
          `Show ${Math.min(LIST_STEP, items.length - shown)} more`) : null);
    };
    more();
  };
  submitOnce(form, async (e) => {
    e.preventDefault();
    clearProblem(form);
    try { await load(formValues(form)); } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  await load({});
  wrap.append(h('h1', {}, `${ref}: timeline`), subNav(ref, 'timeline'),
    h('p', { class: 'lede' }, 'Every dated source, link, transaction and call of the picture you may see, in order (UK time).'),
    form, out);
  return wrap;
}
