import { all, api, get, ApiError } from '../api.js';
import { h, showProblem } from '../dom.js';
import { date, time, todayUK, words, label } from '../format.js';
import { dueTable, fileLink, section, taskingTable, table } from './common.js';

const OPEN = ['draft', 'submitted', 'returned', 'forwarded', 'accepted', 'tor_agreed', 'in_development',
  'reassessment', 'transfer_requested', 'escalated_ftt'];

// Working days after a time (Monday to Friday), as a date: the Gateway's default triage times
// (domain.md §1: 10, 5 or 1 working days for routine, priority and urgent bids).
function triageDue(since, urgency) {
  let n = { routine: 10, priority: 5, urgent: 1 }[urgency] ?? 10;
  const d = new Date(since);
  while (n > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) n -= 1;
  }
  return d.toISOString().slice(0, 10);
}

export async function homePage({ me, hasRole, reload }) {
  const out = h('div', {}, h('h1', {}, `What needs you now, ${me.name}`));
  const readsTaskings = !hasRole('admin') || me.roles.length > 1;
  const taskings = readsTaskings ? await all('/api/v1/taskings') : [];
  const mine = (pred) => taskings.filter(pred);
  const by = (states) => (t) => states.includes(t.state);
  // the server's queue: the lifecycle steps that are this user's to take now (their role,
  // their relation and each step's precondition, as the tasking page's actions)
  const queue = readsTaskings ? await all('/api/v1/taskings/queue') : [];
  const steps = new Map(queue.map((q) => [q.tasking, q.actions]));
  const waits = (...acts) => (t) => (steps.get(t.ref) || []).some((a) => acts.includes(a));
  if (queue.length) {
    out.append(section('Waiting on you', table(null, [
      ['Tasking', (q) => h('a', { href: `#/tasking/${q.tasking}` }, q.tasking)],
      ['State', (q) => label(q.state)],
      ['Since', (q) => `${time(q.since)} (${q.days_waiting} days)`],
      ['Yours to do', (q) => q.actions.map(words).join(', ')],
    ], queue)));
  }

  if (hasRole('spoc')) {
    // the agency's, not only those this user wrote: any SPOC of the agency may submit a draft
    // or a returned bid, and "Waiting on you" lists them (review 109 L3)
    out.append(section('Your bids: drafts and returned bids',
      taskingTable(null, mine((t) => ['draft', 'returned'].includes(t.state)
        && (t.spoc === me.name || t.requesting_agency === me.agency))),
      h('p', {}, h('a', { class: 'button', href: '#/bid' }, 'Write a new bid'))));
  }
  if (hasRole('spoc', 'sio')) {
    // §8: an option names the agency that would act; its spoc and sio accept, decline and mark
    // it actioned, also on taskings they do not otherwise see (review 100 M4: the option alone)
    const open = (await all('/api/v1/options')).filter((o) => o.may_set);
    if (open.length) {
      const buttons = (o) => ({ proposed: ['accepted', 'declined'], accepted: ['actioned', 'declined'] }[o.status] || []).map((st) => {
        const f = h('form', { class: 'inline', 'data-action': `option-${st}` }, h('div', { class: 'form-error', role: 'alert' }),
          h('button', { type: 'submit', class: 'small secondary', 'aria-label': `Mark ${st}: ${o.ref}` }, `Mark ${st}`));
        f.addEventListener('submit', async (e) => {
          e.preventDefault();
          const b = f.querySelector('button');
          b.disabled = true;
          try {
            await api('PATCH', `/api/v1/options/${o.ref}`, { body: { status: st, version: o.version } });
            reload();
          } catch (err) {
            b.disabled = false;
            showProblem(f, err instanceof ApiError ? err : { detail: `Not sent, or no answer came: ${err?.message || err}` });
          }
        });
        return f;
      });
      out.append(section('Tactical options for your agency to act on', table(null, [
        // a link where the reader sees the tasking; the option alone otherwise
        ['Option', (o) => o.ref],
        ['Tasking', (o) => taskings.some((t) => t.ref === o.tasking) ? h('a', { href: `#/tasking/${o.tasking}` }, o.tasking) : o.tasking],
        ['4P strand', (o) => words(o.strand)],
        ['What would be done', (o) => o.text], ['Status', (o) => h('span', { class: `opt opt-${o.status}` }, o.status)],
        ['Marking', (o) => o.marking], ['', (o) => h('span', {}, ...buttons(o))],
      ], open)));
    }
  }
  if (hasRole('gateway')) {
    // the server's due date (its working days skip bank holidays; the target days are a
    // setting), most overdue first, an overdue one marked (review 70: two months late, unmarked)
    const today = todayUK(); // the UK's date, not UTC's (an hour apart under BST: review 109 L16)
    const due = (t) => t.triage_due || triageDue(t.state_since, t.urgency);
    const bids = mine(by(['submitted'])).sort((a, b) => due(a).localeCompare(due(b)));
    out.append(section('Bids to triage in your region',
      taskingTable(null, bids, [['Triage due', (t) => due(t) < today
        ? h('span', { class: 'overdue' }, `${date(due(t))}: overdue`) : date(due(t))]])));
  }
  if (hasRole('toex_manager')) {
    out.append(section('Bids to consider', taskingTable(null, mine(by(['forwarded'])))));
    const load = {};
    for (const t of taskings) if (t.sia && OPEN.includes(t.state)) load[t.sia] = (load[t.sia] || 0) + 1;
    out.append(section('Team load (open taskings per SIA)',
      table(null, [['SIA', (r) => r[0]], ['Open taskings', (r) => String(r[1])]], Object.entries(load))));
  }
  if (hasRole('sia')) {
    out.append(section('Terms of reference to agree', taskingTable(null, mine(waits('propose_tor', 'agree_tor')))),
      section('Your taskings in progress', taskingTable(null, mine((t) => ['tor_agreed', 'in_development', 'reassessment'].includes(t.state) && t.sia === me.name))));
  }
  if (hasRole('sio')) {
    out.append(section('Terms of reference and reassessments to agree',
      taskingTable(null, mine(waits('agree_tor', 'reassess', 'remain', 'agree_transfer')))));
  }
  if (hasRole('analyst', 'ido', 'dia', 'researcher')) {
    out.append(section('Your assigned work', taskingTable(null, mine(by(['tor_agreed', 'in_development', 'reassessment'])))));
  }
  if (hasRole('ttcg')) out.append(section('Transfer decisions for your TTCG', taskingTable(null, mine(by(['transfer_requested'])))));
  if (hasRole('ftt')) out.append(section('Escalations to the FTT', taskingTable(null, mine(by(['escalated_ftt'])))));
  if (hasRole('customer')) {
    const yours = mine((t) => t.customer === me.name || t.sio === me.name || t.bid_sio === me.name);
    out.append(section('Your taskings', taskingTable(null, yours)));
    // the products TOEX delivered on them (domain.md §1 step 4: the product anticipated)
    const delivered = [];
    for (const t of yours.slice(0, 50)) {
      try {
        const items = await all(`/api/v1/taskings/${t.ref}/products`);
        for (const p of items) if (p.delivered) delivered.push(p);
      } catch (err) { if (err.status !== 404) throw err; /* no sight of its products */ }
    }
    delivered.sort((a, b) => String(b.delivered_at).localeCompare(String(a.delivered_at)));
    out.append(section('Products delivered to you', table(null, [
      ['Tasking', (p) => h('a', { href: `#/tasking/${p.tasking}` }, p.tasking)], ['Product', (p) => words(p.type)],
      ['Version', (p) => String(p.version)], ['Delivered', (p) => time(p.delivered_at)], ['Marking', (p) => p.marking],
      ['File', (p) => fileLink(`${p.filename} (${p.size} bytes)`, `/api/v1/products/${p.ref}?version=${p.version}`, p.filename)],
    ], delivered, 'No product delivered yet.')));
  }
  if (hasRole('apmis')) {
    out.append(section('APMIS', h('p', {}, 'Record disruptions and see the value measures on the ',
      h('a', { href: '#/apmis' }, 'APMIS page'), '.'),
      taskingTable('Closed taskings (their disruptions may need recording)', mine(by(['closed'])))));
  }
  if (hasRole('auditor')) {
    out.append(section('Audit', h('p', {}, 'Verify the audit chains and read the read log on the ',
      h('a', { href: '#/audit' }, 'audit page'), '.')));
  }
  if (hasRole('admin')) {
    out.append(section('Administration', h('ul', {},
      h('li', {}, h('a', { href: '#/admin/users' }, 'Users and roles (unlock, reset)')),
      h('li', {}, h('a', { href: '#/admin/agencies' }, 'Agencies')))));
  }
  if (hasRole('spoc', 'sia', 'sio', 'analyst', 'ido', 'dia', 'researcher', 'toex_manager', 'customer')) {
    // every item of the taskings the user sees, each said whose it is (review 113 L8)
    const { data } = await get('/api/v1/taskings/due', { days: 30, all: true });
    out.append(section('Milestones and products due in 30 days', dueTable(data.items)));
  }
  if (readsTaskings) {
    out.append(section('Open taskings you can see', taskingTable(null, mine(by(OPEN)))));
  }
  return out;
}
export { words };
