import { all, api, get, post, ApiError } from '../api.js';
import { h, field, formValues, showProblem, submitOnce } from '../dom.js';
import { THREAT_TYPES, time, words, label } from '../format.js';
import { markingOrder } from '../marking.js';
import { agencies, agencyChoice, directory, picker, userChoice } from '../pickers.js';
import { section, table, dl } from './common.js';

const typeOptions = () => THREAT_TYPES.map((t) => [t, label(t)]);

// The SIO picker of a form: users holding the sio role, those of the owner named in the form's
// owner box first offered (the risk is held in the owning agency, domain.md §1).
function sioField(form, opts) {
  const el = field({ label: 'SIO (holds the risk)', name: 'sio', ...opts });
  return picker(el, async () => ((await directory('sio')) || []).map(userChoice), {
    keep: (c) => { const owner = form.querySelector('[name=owner]')?.value || opts.owner; return !owner || c.user.agency === owner; },
  });
}

// "Put a threat on the list" (domain.md §3: the SPOC's first step; a bid names a listed threat):
// title, type, the owning force or ROCU (the user's own agency by default), its SIO and the
// force tasking meeting's reference. The API checks every rule (never TOEX as owner, the SIO a
// user of the owner holding the sio role) and its message is shown at the field it names.
function addThreatForm(ctx) {
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'threat-add-form' },
    h('div', { class: 'form-error', role: 'alert' }));
  const owner = picker(field({ label: 'Owner (force, ROCU or national agency code)', name: 'owner', required: true,
                               value: ctx.me.agency }), async () => ((await agencies()) || [])
    .filter((a) => a.kind !== 'capability').map(agencyChoice));
  const sio = sioField(form, { required: true, owner: ctx.me.agency });
  owner.querySelector('input').addEventListener('input', () => sio.refreshPicker && sio.refreshPicker());
  form.append(
    field({ label: 'Title', name: 'title', required: true, hint: 'One line, at most 200 bytes.' }),
    field({ label: 'Exploitation type', name: 'type', type: 'select', required: true,
            options: [['', 'Choose a type…'], ...typeOptions()] }),
    owner, sio,
    field({ label: 'Reference of the force tasking meeting', name: 'force_tasking_ref', required: true }),
    field({ label: 'Marking', name: 'marking', type: 'select', options: [['', 'OFFICIAL (default)'], ...markingOrder().map((m) => [m, m])] }),
    h('button', { type: 'submit' }, 'Put it on the SOC master list'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = { title: v.title, type: v.type, owner: v.owner.trim(), sio: v.sio.trim(), force_tasking_ref: v.force_tasking_ref };
    if (v.marking) body.marking = v.marking;
    try {
      const { data } = await post('/api/v1/threats', body);
      ctx.go(`/threat/${data.ref}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return h('details', { class: 'action', 'data-testid': 'threat-add' }, h('summary', {}, 'Put a threat on the SOC master list'), form);
}

// The SOC master list: every threat the user may see, with its owner and region (the owner
// is always a force, ROCU or national agency, never TOEX), filterable.
export async function socPage(ctx) {
  let threats = await all('/api/v1/threats', { status: 'all' });
  const first = threats;
  const filters = { owner: '', region: '', type: '', status: 'active', q: '' };
  // more threats than one read holds: the owner, region and status filters are asked of the
  // server (the list it answers is then the one filtered), the rest filter what it answered
  const narrow = async () => {
    if (!first.truncated) return;
    threats = await all('/api/v1/threats', { status: filters.status || 'all', owner: filters.owner || undefined,
                                             region: filters.region || undefined });
  };
  const opts = (key) => [...new Set(first.map((t) => t[key] ?? 'national'))].sort();
  const select = (key, label, values) => {
    const id = `filter-${key}`;
    const s = h('select', { id, 'data-filter': key }, h('option', { value: '' }, `every ${label}`),
      values.map((v) => h('option', { value: v, selected: filters[key] === v }, words(v))));
    s.addEventListener('change', async () => {
      filters[key] = s.value;
      if (key !== 'type') await narrow();
      paint();
    });
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
    count.textContent = threats.truncated
      ? `${rows.length} of the first ${threats.length} threats read; more are listed: narrow by owner, region or status`
      : `${rows.length} of ${threats.length} threats`;
    holder.replaceChildren(table(null, [
      ['Threat', (t) => h('a', { href: `#/threat/${t.ref}` }, t.ref)], ['Title', (t) => t.title], ['Type', (t) => words(t.type)],
      ['Owner', (t) => `${t.owner_name} (${t.owner_kind})`], ['Region', (t) => t.region ?? 'national'],
      ['SIO', (t) => t.sio], ['Status', (t) => t.status], ['Marking', (t) => t.marking],
    ], rows, 'No threat matches.'));
  };
  paint();
  return h('div', {}, h('h1', {}, 'SOC master list'),
    ctx.hasRole('spoc', 'sio') ? addThreatForm(ctx) : null,
    h('div', { class: 'filters', role: 'search', 'aria-label': 'Filter the list' },
      select('owner', 'owner', opts('owner')), select('region', 'region', opts('region')),
      select('type', 'type', THREAT_TYPES), select('status', 'status', ['active', 'archived']),
      h('span', { class: 'filter' }, h('label', { for: 'filter-q' }, 'Title contains '), search)),
    count, holder);
}

// A form of the threat page: its fields, the button, what it sends (null: nothing changed) and
// where; the version read goes as If-Match, so a threat changed meanwhile is explained (409).
function threatAction(ctx, t, etag, { title, testid, fields, button, send }) {
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': testid },
    h('div', { class: 'form-error', role: 'alert' }), ...fields(h), h('button', { type: 'submit' }, button));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const [method, path, body] = send(formValues(form));
    if (!body) {
      showProblem(form, new ApiError(400, { detail: 'nothing to change: every field is as it was' }));
      return;
    }
    try {
      await api(method, path, { body, version: etag || t.version });
      ctx.reload();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return h('details', { class: 'action' }, h('summary', {}, title), form);
}

// What the owner's spoc and sio do to a threat (domain.md §3): change it (a new SIO with a
// reason, recorded in its history), archive it when no tasking on it is open, put it back.
// Shown to those roles; the API judges the owner and the state.
function threatActions(ctx, t, etag) {
  const path = `/api/v1/threats/${t.ref}`;
  const out = [];
  if (t.status !== 'archived') {
    out.push(threatAction(ctx, t, etag, {
      title: 'Change the threat', testid: 'threat-update-form', button: 'Save the changes',
      fields: () => {
        const form = { querySelector: () => null };
        return [
          field({ label: 'Title', name: 'title', value: t.title }),
          field({ label: 'Exploitation type', name: 'type', type: 'select', value: t.type, options: typeOptions() }),
          sioField(form, { value: t.sio, owner: t.owner }),
          field({ label: 'Reference of the force tasking meeting', name: 'force_tasking_ref', value: t.force_tasking_ref }),
          field({ label: 'Marking', name: 'marking', type: 'select', value: t.marking, options: markingOrder().map((m) => [m, m]) }),
          field({ label: 'Why', name: 'reason', type: 'textarea', hint: 'Needed when the SIO changes; kept in the ownership history.' }),
        ];
      },
      send: (v) => {
        const body = {};
        for (const k of ['title', 'type', 'sio', 'force_tasking_ref', 'marking']) if ((v[k] || '').trim() !== (t[k] || '')) body[k] = v[k].trim();
        if (!Object.keys(body).length) return ['PATCH', path, null];
        if (v.reason.trim()) body.reason = v.reason;
        return ['PATCH', path, body];
      },
    }));
    out.push(threatAction(ctx, t, etag, {
      title: 'Archive the threat', testid: 'threat-archive-form', button: 'Archive it',
      fields: () => [h('p', { class: 'hint' }, 'Only when no tasking on it is open; it leaves the active list until its owner puts it back.'),
        field({ label: 'Why', name: 'reason', type: 'textarea', required: true })],
      send: (v) => ['POST', `${path}/archive`, { reason: v.reason }],
    }));
  } else {
    out.push(threatAction(ctx, t, etag, {
      title: 'Put the threat back on the active list', testid: 'threat-unarchive-form', button: 'Unarchive it',
      fields: () => [field({ label: 'Why', name: 'reason', type: 'textarea', required: true }),
        sioField({ querySelector: () => null }, { owner: t.owner, hint: `Only when ${t.sio} can no longer hold the risk.` })],
      send: (v) => ['POST', `${path}/unarchive`, v.sio.trim() ? { reason: v.reason, sio: v.sio.trim() } : { reason: v.reason }],
    }));
  }
  return section('Actions', h('div', {}, out));
}

export async function threatPage(ctx) {
  const ref = ctx.args[0];
  const [{ data: t, etag }, { data: hist }] = await Promise.all([get(`/api/v1/threats/${ref}`), get(`/api/v1/threats/${ref}/history`)]);
  return h('div', {}, h('h1', {}, `${t.ref}: ${t.title}`),
    ctx.hasRole('spoc', 'sio') ? threatActions(ctx, t, etag) : null,
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
