import { all, api, get, post, ApiError } from '../api.js';
import { h, field, formValues, showProblem } from '../dom.js';
import { time } from '../format.js';
import { section, table } from './common.js';

function button(text, label, fn) {
  const b = h('button', { type: 'button', class: 'small secondary', 'aria-label': label }, text);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try { await fn(); } catch (err) { b.after(h('span', { role: 'alert', class: 'error' }, ` ${err.detail || err}`)); b.disabled = false; }
  });
  return b;
}

export async function usersPage(ctx) {
  const users = await all('/api/v1/users');
  return h('div', {}, h('h1', {}, 'Users and roles'), table(null, [
    ['User', (u) => u.name], ['Agency', (u) => u.agency], ['Roles', (u) => u.roles.join(', ')], ['Clearance', (u) => u.clearance],
    ['Status', (u) => (u.disabled ? 'disabled' : 'active')],
    ['', (u) => [button('Unlock', `Unlock ${u.name}`, async () => { await post(`/api/v1/users/${u.name}/unlock`, {}); ctx.reload(); }), ' ',
      u.disabled ? null : button('Disable', `Disable ${u.name}`, async () => { await post(`/api/v1/users/${u.name}/disable`, {}); ctx.reload(); })]],
  ], users));
}

export async function agenciesPage() {
  const agencies = await all('/api/v1/agencies');
  return h('div', {}, h('h1', {}, 'Agencies'), table(null, [
    ['Code', (a) => a.code], ['Name', (a) => a.name], ['Kind', (a) => a.kind], ['Region', (a) => a.region ?? '—'],
  ], agencies));
}

export async function tokensPage(ctx) {
  const tokens = await all('/api/v1/tokens');
  const shown = h('div', { role: 'status' });
  const form = h('form', { class: 'card narrow', novalidate: true }, h('h2', {}, 'New API token'), h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'Valid for (days)', name: 'days', type: 'number', min: 1, max: 3650, value: 90 }),
    h('button', { type: 'submit' }, 'Create'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const { data } = await post('/api/v1/tokens', { days: Number(formValues(form).days) });
      shown.replaceChildren(h('p', {}, 'Your new token (shown once): ', h('code', {}, data.token || data.secret || JSON.stringify(data))));
    } catch (err) { if (!(err instanceof ApiError)) throw err; showProblem(form, err); }
  });
  return h('div', {}, h('h1', {}, 'API tokens'), table(null, [
    ['Token', (t) => t.ref], ['User', (t) => t.user], ['Expires', (t) => time(t.expires_at)], ['Revoked', (t) => (t.revoked_at ? time(t.revoked_at) : 'no')],
    ['', (t) => (t.revoked_at ? null : button('Revoke', `Revoke ${t.ref}`, async () => { await api('DELETE', `/api/v1/tokens/${t.ref}`); ctx.reload(); }))],
  ], tokens, 'No tokens.'), form, shown);
}

export async function auditPage() {
  const result = h('div', { role: 'status' });
  const verify = button('Verify the audit chain', 'Verify the audit chain', async () => {
    const { data } = await get('/api/v1/audit/verify');
    result.replaceChildren(h('p', { class: data.intact ? 'ok' : 'error', 'data-testid': 'audit-verify' },
      data.intact ? `Intact: ${data.entries} entries.` : `BROKEN at entry ${data.first_bad}: ${data.detail}`));
    verify.disabled = false;
  });
  const { data: reads } = await get('/api/v1/audit/reads', { limit: 50 });
  return h('div', {}, h('h1', {}, 'Audit'), section('Tamper evidence', verify, result),
    section('Read log (first 50)', table(null, [
      ['#', (r) => String(r.seq)], ['When', (r) => time(r.at)], ['Who', (r) => r.user || '—'], ['What', (r) => r.action || '—'],
      ['Object', (r) => r.object || '—'], ['Purpose', (r) => r.purpose || '—'],
    ], reads.items)));
}
