import { all, api, get, post, ApiError } from '../api.js';
import { h, checkboxes, clear, clearProblem, field, fill, formValues, showProblem, submitOnce } from '../dom.js';
import { agencies, agencyChoice, forgetDirectory, picker } from '../pickers.js';
import { time, words } from '../format.js';
import { section, table } from './common.js';

function button(text, label, fn) {
  const b = h('button', { type: 'button', class: 'small secondary', 'aria-label': label }, text);
  const note = h('span', { role: 'alert', class: 'error' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    note.textContent = '';
    try { await fn(); } catch (err) { note.textContent = ` ${err.detail || err.message || err}`; } finally { b.disabled = false; }
  });
  return h('span', {}, b, note);
}

// Users and roles. An admin adds a user and resets a password here (review 90 L8: both needed
// the CLI). The API's user add takes no generated password, so the page adds the user without
// one, then asks for a password reset, whose temporary password the server makes (libsodium)
// and the user must change at the first sign-in. That password is shown once, in this page's
// DOM only: never kept in storage, taken away by "Hide it", by the next add or reset, and when
// the admin leaves the page (another page, or the browser's pagehide).
const USER_ALIASES = { user: ['name'], role: ['roles'] }; // "user: 'x' already exists", "role: …"

export async function usersPage(ctx) {
  // the actions are an admin's: to anyone else they could only fail (review 63)
  const admin = ctx.hasRole('admin');
  const me = ctx.me?.name;
  const list = h('div', {});
  const secret = h('section', { class: 'one-time', tabindex: '-1', 'aria-labelledby': 'one-time-title', 'data-testid': 'one-time' });
  secret.hidden = true;
  const hideSecret = () => { clear(secret); secret.hidden = true; };
  window.addEventListener('hashchange', hideSecret, { once: true });
  window.addEventListener('pagehide', hideSecret, { once: true });
  const showSecret = (name, password, added) => {
    fill(secret,
      h('h2', { id: 'one-time-title' }, added ? `${name} added: their temporary password` : `New temporary password of ${name}`),
      h('p', {}, h('code', { class: 'secret', 'data-testid': 'temporary-password' }, password)),
      h('p', {}, h('strong', {}, 'Shown once: '), 'it is not shown again and this page does not keep it. ',
        `Give it to ${name} by a secure route (in person or by phone, not with the user name in one message). `,
        'They must change it when they first sign in with it.'),
      h('button', { type: 'button', class: 'small secondary', onclick: hideSecret }, 'I have passed it on: hide it'));
    secret.hidden = false;
    secret.focus();
  };
  // the list is read again in place (not the whole page: a temporary password on show stays)
  const act = (path, body = {}) => async () => { await post(path, body); await refresh(); };
  const columns = [
    ['User', (u) => u.name], ['Agency', (u) => u.agency], ['Roles', (u) => u.roles.join(', ')], ['Clearance', (u) => u.clearance],
    // what only an admin is told (review 109 L8: everyone read "active", the disabled too)
    ['Status', (u) => (!admin ? '—' : u.disabled ? 'disabled' : u.has_password === false ? 'active, no password' : 'active')],
    ['', (u) => !admin ? '' : [button('Unlock', `Unlock ${u.name}`, act(`/api/v1/users/${u.name}/unlock`)), ' ',
      u.disabled
        ? button('Enable', `Enable ${u.name}`, act(`/api/v1/users/${u.name}/enable`))
        : button('Disable', `Disable ${u.name}`, async () => {
          // one click would end the user's sessions and tokens at once (review 44): asked first
          if (!window.confirm(`Disable ${u.name}? Their sessions and API tokens stop at once.`)) return;
          await act(`/api/v1/users/${u.name}/disable`)();
        }),
      // not an auditor's (reset on the command line only: the API refuses it), nor your own
      // (changed on the password page), nor a disabled user's (the API refuses it)
      u.disabled || u.name === me || u.roles.includes('auditor') ? null : [' ',
        button('Reset password', `Reset password of ${u.name}`, async () => {
          if (!window.confirm(`Reset the password of ${u.name}? Their sessions and API tokens end at once; `
            + 'a temporary password is shown here once, which they must change at their next sign-in.')) return;
          hideSecret();
          const { data } = await post(`/api/v1/users/${u.name}/password-reset`, {});
          showSecret(u.name, data.temporary_password, false);
          await refresh();
        })]]],
  ];
  const refresh = async () => list.replaceChildren(table(null, columns, await all('/api/v1/users')));
  await refresh();
  if (!admin) return h('div', {}, h('h1', {}, 'Users and roles'), list);
  return h('div', {}, h('h1', {}, 'Users and roles'), await addUserForm(hideSecret, showSecret, refresh), secret, list);
}

async function addUserForm(hideSecret, showSecret, refresh) {
  const { data: { items: roles } } = await get('/api/v1/roles'); // the roles the API knows (admin)
  const form = h('form', { class: 'action-form', novalidate: true, 'data-action': 'user-add' },
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'User name', name: 'name', required: true,
      hint: 'The login name: 2 to 64 of a-z, 0-9, dot, underscore and hyphen, starting with a letter or digit.' }),
    picker(field({ label: 'Agency (code)', name: 'agency', required: true }), async () => {
      const ags = await agencies();
      return ags && ags.map(agencyChoice);
    }),
    checkboxes('roles', 'Roles', roles.filter((r) => r.role !== 'auditor')
      .map((r) => [r.role, r.require_totp ? `${r.role} (two-factor sign-in required)` : r.role])),
    h('p', { class: 'hint' }, 'An auditor, who oversees what administrators do, is added on the command line.'),
    field({ label: 'Clearance', name: 'clearance', type: 'select',
      options: [['OFFICIAL', 'OFFICIAL'], ['OFFICIAL-SENSITIVE', 'OFFICIAL-SENSITIVE']],
      hint: 'The highest marking they may read; at most your own.' }),
    h('button', { type: 'submit' }, 'Add the user'));
  submitOnce(form, async () => {
    hideSecret(); // the previous one goes before another is made
    const v = formValues(form);
    let user;
    try {
      ({ data: user } = await post('/api/v1/users',
        { name: v.name.trim(), agency: v.agency.trim(), roles: v.roles || [], clearance: v.clearance }));
    } catch (err) { if (!(err instanceof ApiError)) throw err; showProblem(form, err, USER_ALIASES); return; }
    clearProblem(form);
    forgetDirectory();
    try {
      const { data } = await post(`/api/v1/users/${user.name}/password-reset`, {});
      form.reset();
      showSecret(user.name, data.temporary_password, true);
    } catch (err) {
      // the user exists: said so, not "not sent"
      fill(form.querySelector('.form-error'), h('p', {}, `${user.name} was added, but no password was set `
        + `(${err?.detail || err?.message || err}): use \u201cReset password\u201d on their row.`));
    }
    await refresh();
  });
  return h('details', { class: 'action' }, h('summary', {}, 'Add a user'), form);
}

// Agencies (reference data, admin): add, rename, disable, merge into another (its users and the
// threats it owns move; each moved threat's history records the reason). TOEX never owns a
// threat: the API refuses what would make it so, and its message is shown by the form.
export async function agenciesPage(ctx) {
  const agencies = await all('/api/v1/agencies', { all: true });
  const { data: { items: regions } } = await get('/api/v1/regions');
  const done = h('div', { role: 'status' });
  const name_ = (code) => agencies.find((a) => a.code === code)?.name || code;
  // `ask`: the question a final change asks first (review 90 M2: disable and merge went at once)
  const form = (name, title, fields, submit, send, ask = null) => {
    const f = h('form', { class: 'action-form', novalidate: true, 'data-action': name },
      h('div', { class: 'form-error', role: 'alert' }), ...fields, h('button', { type: 'submit' }, submit));
    submitOnce(f, async (e) => {
      e.preventDefault();
      if (ask && !window.confirm(ask(formValues(f)))) return;
      try { await send(formValues(f)); ctx.reload(); } catch (err) { if (!(err instanceof ApiError)) throw err; showProblem(f, err); }
    });
    return h('details', { class: 'action' }, h('summary', {}, title), f);
  };
  const live = agencies.filter((a) => !a.disabled && !a.merged_into);
  const codes = live.map((a) => [a.code, `${a.code}: ${a.name}`]);
  const actions = h('div', { class: 'actions' },
    form('agency-add', 'Add an agency', [
      field({ label: 'Code (a-z, 0-9, -)', name: 'code', required: true }),
      field({ label: 'Name', name: 'name', required: true }),
      field({ label: 'Kind', name: 'kind', type: 'select', options: ['force', 'rocu', 'national', 'capability'].map((k) => [k, k]) }),
      field({ label: 'Region (forces and ROCUs)', name: 'region', type: 'select',
              options: [['', '—'], ...regions.map((r) => [r.code, r.name])] })],
    'Add', (v) => post('/api/v1/agencies', Object.fromEntries(Object.entries(v).filter(([, x]) => x)))),
    form('agency-rename', 'Rename an agency', [
      field({ label: 'Agency to rename', name: 'code', type: 'select', options: codes }),
      field({ label: 'New name', name: 'name', required: true })],
    'Rename', (v) => post(`/api/v1/agencies/${v.code}/rename`, { name: v.name })),
    form('agency-disable', 'Disable an agency', [field({ label: 'Agency to disable', name: 'code', type: 'select', options: codes })],
      'Disable', (v) => post(`/api/v1/agencies/${v.code}/disable`, {}),
      (v) => `Disable ${name_(v.code)} (${v.code})? Its users' sessions and API tokens stop at once.`),
    form('agency-merge', 'Merge an agency into another', [
      field({ label: 'Agency merged', name: 'code', type: 'select', options: codes }),
      field({ label: 'Into', name: 'into', type: 'select', options: codes }),
      field({ label: 'Reason', name: 'reason', type: 'textarea', required: true, hint: 'Recorded in each moved threat\u2019s history.' })],
    'Merge', (v) => post(`/api/v1/agencies/${v.code}/merge`, { into: v.into, reason: v.reason }),
    (v) => `Merge ${name_(v.code)} (${v.code}) into ${name_(v.into)} (${v.into})? Its users and the threats it owns move, and it cannot be undone.`));
  return h('div', {}, h('h1', {}, 'Agencies'), ctx.hasRole('admin') ? actions : null, done, table(null, [
    ['Code', (a) => a.code], ['Name', (a) => a.name], ['Kind', (a) => a.kind], ['Region', (a) => a.region ?? '—'],
    ['Status', (a) => (a.merged_into ? `merged into ${a.merged_into}` : a.disabled ? 'disabled' : 'active')],
  ], agencies));
}

export async function tokensPage(ctx) {
  const list = h('div', {});
  const columns = [
    ['Token', (t) => t.ref], ['User', (t) => t.user], ['Expires', (t) => time(t.expires_at)], ['Revoked', (t) => (t.revoked_at ? time(t.revoked_at) : 'no')],
    ['', (t) => (t.revoked_at ? null : button('Revoke', `Revoke ${t.ref}`, async () => {
      // a revoked token stops at once and cannot be used again (review 90 M2): asked first
      if (!window.confirm(`Revoke ${t.ref}? Whatever uses it stops working at once; this cannot be undone.`)) return;
      await api('DELETE', `/api/v1/tokens/${t.ref}`); ctx.reload();
    }))],
  ];
  // the list as it is now (after a create too: review 44 saw it stale, the new token missing)
  const refresh = async () => list.replaceChildren(table(null, columns, await all('/api/v1/tokens'), 'No tokens.'));
  await refresh();
  const shown = h('div', { role: 'status' });
  const form = h('form', { class: 'card narrow', novalidate: true }, h('h2', {}, 'New API token'), h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'Valid for (days)', name: 'days', type: 'number', min: 1, max: 3650, value: 90 }),
    h('button', { type: 'submit' }, 'Create'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    try {
      const { data } = await post('/api/v1/tokens', { days: Number(formValues(form).days) });
      shown.replaceChildren(h('p', {}, `Your new token ${data.ref || ''} (shown once): `, h('code', {}, data.token || data.secret || JSON.stringify(data))));
      await refresh();
    } catch (err) { if (!(err instanceof ApiError)) throw err; showProblem(form, err); }
  });
  return h('div', {}, h('h1', {}, 'API tokens'), list, form, shown);
}

export async function auditPage() {
  const result = h('div', { role: 'status' });
  const verify = button('Verify the audit chain', 'Verify the audit chain', async () => {
    const { data } = await get('/api/v1/audit/verify');
    result.replaceChildren(h('p', { class: data.intact ? 'ok' : 'error', 'data-testid': 'audit-verify' },
      data.intact ? `Intact: ${data.entries} entries.` : `BROKEN at entry ${data.first_bad}: ${data.detail}`));
  });
  return h('div', {}, h('h1', {}, 'Audit'), section('Tamper evidence', verify, result),
    await browser('Audit trail', '/api/v1/audit/log', 'audit-log', [
      ['#', (r) => String(r.seq)], ['When', (r) => time(r.at)], ['Who', (r) => r.actor || '(system)'],
      ['Via', (r) => (r.os_user ? `${r.via} (${r.os_user})` : r.via)], ['What', (r) => r.action], ['Object', (r) => r.object || '—'],
      ['Change', (r) => (r.before || r.after ? h('details', {}, h('summary', {}, `Before and after of entry ${r.seq}`),
        h('pre', { class: 'json' }, JSON.stringify({ before: r.before, after: r.after }, null, 2))) : '—')],
    ], [{ name: 'object', label: 'Object (reference)' }, { name: 'actor', label: 'User' },
      { name: 'action', label: 'Action', hint: 'As listed under What, e.g. tasking.submit or user.disable' }]),
    await browser('Read log', '/api/v1/audit/reads', 'read-log', [
      ['#', (r) => String(r.seq)], ['When', (r) => time(r.at)], ['Who', (r) => r.user || '—'], ['What', (r) => r.action || '—'],
      ['Object', (r) => r.object || '—'],
      ['Purpose', (r) => r.purpose || r.justification || (r.refused ? `Refused: ${r.refused.operation} (${words(r.refused.answer)})` : '—')],
    ], [{ name: 'user', label: 'User' }, { name: 'object', label: 'Object (reference)' },
      { name: 'action', label: 'Action', type: 'select', options: [['', 'Any'], ['access.refused', 'Refused accesses'],
        ['tasking.read', 'Tasking reads'], ['intel.consult', 'Intelligence consulted'], ['product.disclose', 'Products disclosed'],
        ['option.read', 'Options read'], ['picture.export', 'Pictures exported']] }]));
}

// A paged list with filters, newest first unless asked otherwise (review 109 M9: an auditor
// looks for recent activity): 50 entries a page, "Show more" follows the API's `next`.
async function browser(title, path, id, columns, filters) {
  const out = h('div', {});
  const more = h('button', { type: 'button', class: 'small secondary' }, `Show more of the ${title.toLowerCase()}`);
  let query = { newest: 'true' }, next = null, rows = [];
  const load = async (reset) => {
    if (reset) { rows = []; next = null; }
    const { data } = await get(path, { ...query, limit: 50, after: next || undefined });
    rows = rows.concat(data.items);
    next = data.next;
    out.replaceChildren(table(null, columns, rows, 'Nothing recorded.'));
    more.hidden = !next;
  };
  more.addEventListener('click', () => load(false).catch((err) => out.append(h('p', { role: 'alert', class: 'error' }, err.detail || String(err)))));
  const form = h('form', { class: 'filters', novalidate: true, 'data-testid': `${id}-filters` },
    ...filters.map((f) => field({ ...f, id: `${id}-${f.name}` })),
    field({ label: 'Order', name: 'order', id: `${id}-order`, type: 'select', value: 'newest',
            options: [['newest', 'Newest first'], ['oldest', 'Oldest first']] }),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const { order, ...rest } = formValues(form);
    query = Object.fromEntries(Object.entries(rest).filter(([, v]) => v));
    if (order !== 'oldest') query.newest = 'true';
    load(true).catch((err) => out.replaceChildren(h('p', { role: 'alert', class: 'error' }, err.detail || String(err))));
  });
  await load(true);
  return section(title, form, out, more);
}

// Settings (docs/settings.md): every setting with its version, value and who set it; an admin
// sets a new version with a reason (PUT with the version read: a change meanwhile is a 409).
export async function settingsPage(ctx) {
  const { data: { items: settings } } = await get('/api/v1/settings'); /* all of them: not paged */
  const admin = ctx.hasRole('admin');
  const cards = settings.map((st) => {
    const hist = h('div', {});
    const showHist = button(`History of ${st.name}`, `History of ${st.name}`, async () => {
      const { data } = await get(`/api/v1/settings/${st.name}/history`);
      hist.replaceChildren(table(`Versions of ${st.name}`, [
        ['Version', (v) => String(v.version)], ['When', (v) => (v.changed_at ? time(v.changed_at) : '—')],
        ['By', (v) => v.changed_by || '—'], ['Reason', (v) => v.reason],
      ], data.items));
    });
    let form = null;
    if (admin) {
      form = h('form', { class: 'action-form', novalidate: true, 'data-setting': st.name },
        h('div', { class: 'form-error', role: 'alert' }),
        field({ label: `New value of ${st.name} (JSON)`, name: 'value', type: 'textarea', rows: 4, value: JSON.stringify(st.value, null, 2) }),
        field({ label: `Why ${st.name} changes`, name: 'reason', type: 'textarea', rows: 2, required: true }),
        h('button', { type: 'submit' }, `Set ${st.name}`));
      submitOnce(form, async (e) => {
        e.preventDefault();
        const v = formValues(form);
        let value;
        try { value = JSON.parse(v.value); } catch (err) {
          showProblem(form, { detail: `value: not JSON (${err.message})` });
          return;
        }
        try {
          await api('PUT', `/api/v1/settings/${st.name}`, { body: { value, reason: v.reason }, version: st.version });
          ctx.reload();
        } catch (err) { if (!(err instanceof ApiError)) throw err; showProblem(form, err); }
      });
    }
    return h('article', { class: 'card', 'data-testid': `setting-${st.name}` },
      h('h2', {}, st.name), h('p', {}, st.description),
      h('p', {}, `Version ${st.version}`, st.changed_by ? `, set by ${st.changed_by} ${time(st.changed_at)}` : '', `: ${st.reason}`),
      h('pre', { class: 'json' }, JSON.stringify(st.value, null, 2)),
      admin ? h('details', { class: 'action' }, h('summary', {}, `Change ${st.name}`), form) : null,
      showHist, hist);
  });
  return h('div', {}, h('h1', {}, 'Settings'),
    h('p', { class: 'lede' }, 'Each change is a new version with its reason, audited; taskings keep the version they were scored or graded with.'),
    ...cards);
}
