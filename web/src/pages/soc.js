import { all, get } from '../api.js';
import { h } from '../dom.js';
import { THREAT_TYPES, time, words } from '../format.js';
import { section, table, dl } from './common.js';

// The SOC master list: every threat the user may see, with its owner and region (the owner
// is always a force, ROCU or national agency, never TOEX), filterable.
export async function socPage() {
  const threats = await all('/api/v1/threats', { status: 'all' });
  const filters = { owner: '', region: '', type: '', status: 'active', q: '' };
  const opts = (key) => [...new Set(threats.map((t) => t[key] ?? 'national'))].sort();
  const select = (key, label, values) => {
    const id = `filter-${key}`;
    const s = h('select', { id, 'data-filter': key }, h('option', { value: '' }, `every ${label}`),
      values.map((v) => h('option', { value: v, selected: filters[key] === v }, words(v))));
    s.addEventListener('change', () => { filters[key] = s.value; paint(); });
    return h('span', { class: 'filter' }, h('label', { for: id }, `${label[0].toUpperCase()}${label.slice(1)} `), s);
  };
  const search = h('input', { id: 'filter-q', type: 'search' });
  search.addEventListener('input', () => { filters.q = search.value.toLowerCase(); paint(); });
  const holder = h('div', {});
  const count = h('p', { role: 'status', class: 'count' });
  const paint = () => {
    const rows = threats.filter((t) => (!filters.owner || t.owner === filters.owner)
      && (!filters.region || (t.region ?? 'national') === filters.region)
      && (!filters.type || t.type === filters.type) && (!filters.status || t.status === filters.status)
      && (!filters.q || `${t.ref} ${t.title}`.toLowerCase().includes(filters.q)));
    count.textContent = `${rows.length} of ${threats.length} threats`;
    holder.replaceChildren(table(null, [
      ['Threat', (t) => h('a', { href: `#/threat/${t.ref}` }, t.ref)], ['Title', (t) => t.title], ['Type', (t) => words(t.type)],
      ['Owner', (t) => `${t.owner_name} (${t.owner_kind})`], ['Region', (t) => t.region ?? 'national'],
      ['SIO', (t) => t.sio], ['Status', (t) => t.status], ['Marking', (t) => t.marking],
    ], rows, 'No threat matches.'));
  };
  paint();
  return h('div', {}, h('h1', {}, 'SOC master list'),
    h('div', { class: 'filters', role: 'search', 'aria-label': 'Filter the list' },
      select('owner', 'owner', opts('owner')), select('region', 'region', opts('region')),
      select('type', 'type', THREAT_TYPES), select('status', 'status', ['active', 'archived']),
      h('span', { class: 'filter' }, h('label', { for: 'filter-q' }, 'Title contains '), search)),
    count, holder);
}

export async function threatPage(ctx) {
  const ref = ctx.args[0];
  const [{ data: t }, { data: hist }] = await Promise.all([get(`/api/v1/threats/${ref}`), get(`/api/v1/threats/${ref}/history`)]);
  return h('div', {}, h('h1', {}, `${t.ref}: ${t.title}`),
    dl([['Type', words(t.type)], ['Owner', `${t.owner_name} (${t.owner_kind})`], ['Region', t.region ?? 'national'],
      ['SIO (holds the risk)', t.sio], ['Force tasking meeting', t.force_tasking_ref], ['Status', t.status], ['Marking', t.marking],
      ['Listed', time(t.created_at)]]),
    section('Ownership history', table(null, [
      ['When', (c) => time(c.at)], ['Change', (c) => words(c.decision)], ['By', (c) => c.by || '—'],
      ['Owner', (c) => (c.from_owner ? `${c.from_owner} → ${c.owner}` : c.owner)],
      ['SIO', (c) => (c.from_sio ? `${c.from_sio} → ${c.sio}` : c.sio)],
      ['Tasking', (c) => (c.tasking ? h('a', { href: `#/tasking/${c.tasking}` }, c.tasking) : '—')],
      ['Why', (c) => c.reason || '—'],
    ], hist.history)));
}
