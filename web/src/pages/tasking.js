import { all, api, get, post, ApiError } from '../api.js';
import { h, clear, fill, field, checkboxes, formValues, showProblem, problemMessage, isStale, plainDetail, announce } from '../dom.js';
import { ROUTE, ENDED, SERVICES, STRANDS, PRODUCT_TYPES, time, date, words, label, actionWords, todayUK } from '../format.js';
import { noteConditions, markingOrder } from '../marking.js';
import { section, dl, table, taskingTable, stateBadge, fileLink } from './common.js';
import { assessmentForm, assessmentBody } from './assessment.js';
import { torDiffPanel } from './tordiff.js';
import { picker, directory, agencies, userChoice, agencyChoice, TOEX_ROLES } from '../pickers.js';

export async function taskingsPage() {
  const items = await all('/api/v1/taskings');
  const states = items.truncated ? ROUTE.map((r) => r.state).concat(Object.keys(ENDED)) : [...new Set(items.map((t) => t.state))];
  const filter = h('select', { id: 'state-filter' }, h('option', { value: '' }, 'every state'),
    [...new Set(states)].map((s) => h('option', { value: s }, label(s))));
  const count = h('p', { role: 'status', class: 'count', 'data-testid': 'taskings-count' });
  const holder = h('div', {});
  const paint = (list) => {
    holder.replaceChildren(taskingTable(null, list));
    count.textContent = list.truncated ? `The first ${list.length} taskings; more are listed: choose a state to narrow the list.`
      : `${list.length} taskings.`;
  };
  paint(items);
  // more taskings than one read holds: the state is asked of the server (review 109 M1)
  filter.addEventListener('change', async () => {
    if (items.truncated) paint(filter.value ? await all('/api/v1/taskings', { state: filter.value }) : items);
    else {
      const list = items.filter((t) => !filter.value || t.state === filter.value);
      paint(list);
    }
  });
  return h('div', {}, h('h1', {}, 'Taskings'),
    h('p', { class: 'filters' }, h('label', { for: 'state-filter' }, 'State '), filter), count, holder);
}

// The route of domain.md §1 with the tasking's place on it.
function routeView(t) {
  const visited = new Set(t.history.map((e) => e.to));
  const idx = ROUTE.findIndex((r) => r.state === t.state);
  return h('div', { class: 'route-wrap' },
    h('ol', { class: 'route', 'aria-label': 'Where this tasking is on its route' },
      ROUTE.map((r, i) => {
        const cur = r.state === t.state;
        const done = !cur && (visited.has(r.state) && (idx < 0 || i < idx));
        const skipped = !cur && !done && ((r.state === 'transfer_requested' || r.state === 'escalated_ftt') && t.state === 'closed');
        return h('li', { class: `step ${cur ? 'current' : done ? 'done' : skipped ? 'skipped' : 'todo'}`,
                         'aria-current': cur ? 'step' : null, 'data-state': r.state },
          h('span', { class: 'step-name' }, r.step),
          h('span', { class: 'step-who' }, r.who),
          h('span', { class: 'visually-hidden' }, cur ? ' (current step)' : done ? ' (done)' : ''));
      })),
    ENDED[t.state] ? h('p', { class: `ended state-${t.state}`, role: 'status' }, `${ENDED[t.state]}.`) : null);
}

const PLAIN = { submit: 'Submit to the Gateway', forward: 'Forward to TOEX', start: 'Start development',
  complete: 'Complete development', remain: 'Keep ownership and close' };
// The one-click actions that cannot be undone ask first (review 90 M2: closed in one click).
const ASK = {
  complete: (t) => `Complete development of ${t.ref}? The team's work ends and the tasking goes to reassessment; this cannot be undone.`,
  remain: (t) => `Keep ownership of the threat and close ${t.ref}? The tasking is closed for good.`,
};
const REASONED = { return: 'Return for more information', reject: 'Reject', decline: 'Decline',
  withdraw: 'Withdraw', request_transfer: 'Request a transfer of ownership', escalate: 'Escalate to the FTT' };

export async function taskingPage(ctx) {
  const ref = ctx.args[0];
  const wrap = h('div', { class: 'tasking' });
  const load = async () => {
    const [{ data: t }] = await Promise.all([get(`/api/v1/taskings/${ref}`)]);
    const parts = await loadParts(t);
    fill(wrap, ...renderTasking(t, parts, { ...ctx, reloadTasking: () => load().catch(showLoadError) }));
  };
  const showLoadError = (err) => fill(wrap, h('p', { role: 'alert' }, err.detail || String(err)));
  await load();
  return wrap;
}

async function loadParts(t) {
  const ref = t.ref;
  const work = t.bid && ['tor_agreed', 'in_development', 'reassessment', 'transfer_requested', 'escalated_ftt', 'closed'].includes(t.state)
    || (t.bid && t.history.some((e) => e.to === 'tor_agreed'));
  const p = { tors: [], contributions: [], intel: [], options: [], products: [] };
  if (!t.bid) return p; // an outcome-only reader (APMIS)
  const jobs = [];
  if (t.tor) jobs.push(all(`/api/v1/taskings/${ref}/tor`).then((x) => { p.tors = x; }));
  if (work) {
    jobs.push(all(`/api/v1/taskings/${ref}/contributions`).then((x) => { p.contributions = x; }));
    jobs.push(all(`/api/v1/taskings/${ref}/intelligence`).then((x) => { p.intel = x; }));
    jobs.push(all(`/api/v1/taskings/${ref}/options`).then((x) => { p.options = x; }));
    jobs.push(all(`/api/v1/taskings/${ref}/products`).then((x) => { p.products = x; }));
  }
  await Promise.all(jobs);
  if (p.tors.length >= 2) { // the latest version against the one before (the panel compares any two)
    const [a, b] = p.tors.map((v) => v.version).sort((x, y) => x - y).slice(-2);
    p.torDiff = (await get(`/api/v1/taskings/${ref}/tor-diff`, { from: a, to: b })).data;
  }
  return p;
}

function renderTasking(t, p, ctx) {
  const can = new Set(t.actions || []);
  const act = actionRunner(t, ctx);
  const out = [
    h('h1', {}, `${t.ref}: ${t.threat_title || t.threat}`),
    h('p', { class: 'lede' }, 'State ', stateBadge(t.state), ` since ${time(t.state_since)}. `,
      h('strong', {}, `Risk held by ${t.sio || '—'} (${t.owner})`), '.'),
    routeView(t),
    section('Summary', dl([
      ['Threat', h('a', { href: `#/threat/${t.threat}` }, `${t.threat} (${words(t.type)})`)],
      ['Owner', `${t.owner}${t.owner_region ? ` · ${t.owner_region}` : ' · national'}`],
      ['SIO (holds the risk)', t.sio],
      ['Requesting agency', `${t.requesting_agency}${t.requesting_region ? ` · ${t.requesting_region}` : ''}`],
      ['SPOC', t.spoc], ['Customer', t.customer], ['SIA', t.sia],
      ['Urgency', words(t.urgency)], ['Marking', t.marking],
      t.access ? ['Your access', words(t.access)] : null,
      p.intel.length || can.has('record_intel')
        ? ['Picture', [h('a', { href: `#/tasking/${t.ref}/datasets` }, 'Datasets'), ' · ',
          h('a', { href: `#/tasking/${t.ref}/network` }, 'Network'), ' · ',
          h('a', { href: `#/tasking/${t.ref}/money` }, 'Money flows'), ' · ',
          h('a', { href: `#/tasking/${t.ref}/timeline` }, 'Timeline'), ' · ',
          h('a', { href: `#/tasking/${t.ref}/review` }, 'Near matches to review')]] : null,
    ])),
  ];
  out.push(actionsPanel(t, can, act, ctx));
  if (t.bid) out.push(bidSection(t));
  if (t.tor || p.tors.length) out.push(torSection(t, p.tors, p.torDiff));
  if (t.team) out.push(teamSection(t, can, act, ctx));
  if (t.bid && (p.contributions.length || can.has('contribute'))) out.push(contribSection(t, p.contributions, can, act));
  if (t.bid && (p.intel.length || can.has('record_intel'))) out.push(intelSection(t, p.intel, can, act));
  if (t.bid && (p.options.length || can.has('record_option'))) out.push(optionSection(t, p.options, can, act));
  if (t.bid && (p.products.length || can.has('record_product'))) out.push(productSection(t, p.products, can, act, ctx.me));
  if (t.reassessment || can.has('reassess')) out.push(reassessSection(t, can, act, ctx.me));
  if (t.transfer) out.push(transferSection(t));
  out.push(section('History', table(null, [
    ['When', (e) => time(e.at)], ['Action', (e) => label(actionWords(e.action))], ['By', (e) => `${e.by || '—'}${e.role ? ` (${e.role})` : ''}`],
    ['From → to', (e) => `${words(e.from)} → ${words(e.to)}`], ['Reason', (e) => e.reason || ''],
  ], t.history)));
  return out;
}

// Runs one change with the tasking's version (If-Match); 409 explains and offers a reload.
function actionRunner(t, ctx) {
  return async (form, fn) => {
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    // what was done, in the words of the button pressed (or the form's title)
    const what = (button?.getAttribute('aria-label') || button?.textContent || form.closest('details')?.querySelector('summary')?.textContent || 'Change').trim();
    try {
      await fn(t.version);
      await ctx.reloadTasking();
      // the page is drawn anew: focus to its heading, not lost to the body, and the result said
      // (review 109 M6: a keyboard or screen-reader user heard nothing and started from the top)
      const h1 = document.querySelector('.tasking h1');
      if (h1) {
        h1.setAttribute('tabindex', '-1');
        h1.focus();
      }
      announce(`Done: ${what}. The tasking is shown as it is now.`);
    } catch (err) {
      if (button) button.disabled = false;
      // the network failed or the server did not answer (review 90 M1: the button stayed
      // disabled, no word, an uncaught rejection): said in the form, the button usable again
      if (!(err instanceof ApiError)) {
        showProblem(form, { detail: `Not sent, or no answer came: ${err?.message || err}. Check the connection; reload to see whether it was done.` });
        return;
      }
      if (isStale(err)) {
        const slot = form.querySelector('.form-error');
        fill(slot, problemMessage(err, ctx.reloadTasking));
      } else {
        showProblem(form, err);
      }
    }
  };
}

function miniForm(name, title, fields, submitText, onSubmit, open = false) {
  const form = h('form', { class: 'action-form', 'data-action': name, novalidate: true },
    h('div', { class: 'form-error', role: 'alert' }), ...fields,
    h('button', { type: 'submit' }, submitText));
  form.addEventListener('submit', (e) => { e.preventDefault(); onSubmit(form, formValues(form)); });
  return h('details', { class: 'action', open: open || null }, h('summary', {}, title), form);
}

function actionsPanel(t, can, act, ctx) {
  const items = [];
  // the requesting agency's SPOC, who submits the bid, edits it first (draft or returned)
  // (also while submit waits on the bid, e.g. for its assessment: review 113 M2)
  if (can.has('submit') || (t.blocked || []).some((b) => b.action === 'submit'))
    items.push(h('a', { class: 'button secondary', href: `#/bid/${t.ref}`, 'data-action': 'edit' }, 'Edit the bid'));
  const path = (a) => `/api/v1/taskings/${t.ref}/${a}`;
  for (const [a, label] of Object.entries(PLAIN)) {
    if (!can.has(a)) continue;
    const form = h('form', { class: 'action-form inline', 'data-action': a },
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, label));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (ASK[a] && !window.confirm(ASK[a](t))) return;
      act(form, (v) => post(path(a), {}, { version: v }));
    });
    items.push(form);
  }
  for (const [a, label] of Object.entries(REASONED)) {
    if (!can.has(a)) continue;
    items.push(miniForm(a, label, [field({ label: a === 'request_transfer' || a === 'escalate' ? 'Rationale' : 'Reason',
      name: 'reason', type: 'textarea', required: true, hint: 'Recorded with the decision.' })], label,
    (form, v) => act(form, (ver) => post(path(a), { reason: v.reason }, { version: ver }))));
  }
  if (can.has('accept')) {
    // suggested: the users holding role sia at TOEX (a capability agency), as the API requires
    const sia = picker(field({ label: 'Senior Intelligence Analyst (user name)', name: 'sia', required: true,
      hint: 'TOEX staff holding the SIA role are suggested as you type.' }), () => toexStaff('sia'));
    items.push(miniForm('accept', 'Accept and allocate an SIA', [sia],
      'Accept', (form, v) => act(form, (ver) => post(path('accept'), { sia: v.sia }, { version: ver }))));
  }
  if (can.has('agree_tor') && t.tor) {
    const who = t.tor.agreements;
    items.push(miniForm('agree_tor', `Agree terms of reference version ${t.tor.version}`,
      [h('p', {}, `SIA: ${who.sia ? `agreed by ${who.sia.by}` : 'not yet'}; SIO: ${who.sio ? `agreed by ${who.sio.by}` : 'not yet'}.`)],
      `Agree version ${t.tor.version}`, (form) => act(form, (ver) => post(path('agree_tor'), { tor_version: t.tor.version }, { version: ver })), true));
  }
  if (can.has('propose_tor')) items.push(torForm(t, act));
  if (can.has('decide_transfer')) {
    // suggested: agencies that may own a threat (not a capability, not the owner now), and the
    // SIOs of the owner typed (for a ROCU: the ROCU's and its region's forces')
    // a TTCG moves ownership within the owner's region (its ROCU, then its forces: domain.md
    // §1); the FTT names any owner, the national agencies first, then ROCUs, then forces
    // (review 109 L12: every force in England and Wales was suggested to a TTCG)
    const byTtcg = t.state === 'transfer_requested';
    // the TTCG's region: the owner's; for a national owner (no region), the bid's (review 113 L2)
    const ttcgRegion = t.owner_region || t.requesting_region;
    const rank = { national: 0, rocu: 1, force: 2 };
    const owner = picker(field({ label: 'New owner (agency code)', name: 'new_owner',
      hint: byTtcg ? `Within ${ttcgRegion || 'the TTCG\u2019s region'}: its ROCU or one of its forces. Beyond it, escalate to the FTT.`
        : 'The NCA and other national agencies first, then the ROCUs and forces.' }), async () => {
      const ags = await agencies();
      return ags && ags.filter((a) => rank[a.kind] !== undefined && a.code !== t.owner
          && (!byTtcg || (!!a.region && a.region === ttcgRegion && a.kind !== 'national')))
        .sort((a, b) => rank[a.kind] - rank[b.kind] || (a.region || '').localeCompare(b.region || '') || a.code.localeCompare(b.code))
        .map(agencyChoice);
    });
    let byCode = new Map();
    const sio = picker(field({ label: 'New SIO (user name)', name: 'new_sio', hint: 'The SIOs of the new owner are suggested.' }), async () => {
      const [us, ags] = await Promise.all([directory('sio'), agencies()]);
      byCode = new Map((ags || []).map((a) => [a.code, a]));
      return us && us.filter((u) => u.roles.includes('sio')).map(userChoice);
    }, { keep: (c) => {
      const o = byCode.get(owner.querySelector('input').value.trim());
      if (!o) return true;
      const a = byCode.get(c.user.agency);
      return c.user.agency === o.code || (o.kind === 'rocu' && !!a && a.kind === 'force' && a.region === o.region);
    } });
    owner.querySelector('input').addEventListener('input', () => sio.refreshPicker());
    const f = miniForm('decide_transfer', 'Decide the transfer', [
      h('fieldset', { class: 'field' }, h('legend', {}, 'Decision'),
        h('div', { class: 'check' }, h('input', { type: 'radio', name: 'decision', id: 'dec-accept', value: 'accept', checked: true }),
          h('label', { for: 'dec-accept' }, 'Accept: name the new owner and its SIO')),
        h('div', { class: 'check' }, h('input', { type: 'radio', name: 'decision', id: 'dec-decline', value: 'decline' }),
          h('label', { for: 'dec-decline' }, 'Decline: ownership stays'))),
      owner, sio,
      field({ label: 'Reason', name: 'reason', type: 'textarea', required: true })], 'Record the decision',
    (form, v) => act(form, (ver) => post(path('decide_transfer'), v.decision === 'accept'
      ? { accept: true, new_owner: v.new_owner, new_sio: v.new_sio, reason: v.reason }
      : { accept: false, reason: v.reason }, { version: ver })));
    items.push(f);
  }
  // what an action of the user's waits for (review 63: "Complete development" was hidden with
  // no word of the undelivered product or the item pending on PND)
  const LABELS = { ...PLAIN, ...REASONED, accept: 'Accept', agree_tor: 'Agree the terms of reference',
    agree_transfer: 'Agree to a transfer of ownership',
    decide_transfer: 'Decide the transfer', propose_tor: 'Propose terms of reference' };
  const waits = (t.blocked || []).filter((b) => b.action !== 'agree_tor');
  const notYet = waits.length ? h('ul', { class: 'not-yet', 'data-testid': 'not-yet' }, waits.map((b) =>
    h('li', { 'data-action': b.action }, h('strong', {}, `${LABELS[b.action] || label(actionWords(b.action))}: not yet. `),
      plainDetail(b.why)))) : null;
  // no lifecycle step, but maybe work: say which (review 109 L2: "Nothing for you to do" sat
  // above an analyst's forms for contributions, intelligence, options and products)
  const work = ['contribute', 'record_intel', 'record_option', 'record_product'].some((a) => can.has(a));
  return section('What you can do now', items.length ? h('div', { class: 'actions' }, items)
    : h('p', { class: 'empty', 'data-testid': 'no-actions' }, 'No step of the route waits on you now.',
      work ? ' Your work on this tasking is in the sections below.' : ''), notYet);
}

function bidSection(t) {
  const b = t.bid;
  return section('The bid', dl([
    ['Summary', b.summary], ['Known already', b.known], ['Requirements', h('ul', {}, b.requirements.map((r) => h('li', {}, r)))],
    ['Services', b.services.map(words).join(', ')], ['Timeline', b.timeline],
    ['Force tasking meeting', `${b.ftm_ref}, ${date(b.ftm_date)}`],
    ['Threat assessment', b.assessment
      ? `score ${Number(b.assessment.score).toFixed(1)} (${b.assessment.band}); recommends ${words(b.assessment.recommendation)}`
      : 'none yet (the bid is submitted with one)'],
  ]));
}

function torContent(c) {
  return dl([
    ['Services', c.services.map(words).join(', ')], ['From – to', `${date(c.start_date)} – ${date(c.end_date)}`],
    ['Milestones', h('ul', {}, c.milestones.map((m) => h('li', {}, `${m.name}: ${date(m.due)}`)))],
    ['Products', h('ul', {}, c.products.map((m) => h('li', {}, `${words(m.type)}: ${date(m.due)}`)))],
    ['Objectives', h('ul', {}, c.objectives.map((o) => h('li', {}, o)))],
  ]);
}

function torSection(t, tors, diff) {
  const versions = tors.length ? tors : [t.tor];
  return section('Terms of reference', h('div', { class: 'tor-versions' }, versions.map((v) =>
    h('article', { class: `tor ${v.version === t.tor_agreed_version ? 'in-force' : ''}`, 'data-tor-version': v.version },
      h('h3', {}, `Version ${v.version}`, v.version === t.tor_agreed_version ? ' (in force)' : ''),
      h('p', { class: 'meta' }, `Proposed by ${v.proposed_by}, ${time(v.proposed_at)}`),
      torContent(v.content),
      h('p', { class: 'agreements' },
        `SIA: ${v.agreements.sia ? `${v.agreements.sia.by}, ${time(v.agreements.sia.at)}` : 'not agreed'}`, h('br'),
        `SIO: ${v.agreements.sio ? `${v.agreements.sio.by}, ${time(v.agreements.sio.at)}` : 'not agreed'}`)))),
    versions.length >= 2 ? torDiffPanel(t.ref, versions, diff) : null);
}

// Rows of a list of the ToR (milestones, products): each row its own labelled fields, named as
// the API names them ("milestones[0].due"), so that its message is shown at the row's field
// (review 109 L1: codes typed in a text box, and "milestones[0].due: '' is not a date" in the
// form's banner). `cells(i)` makes a row's fields; the row's values set by `set`.
function rowList(kind, legend, hint, noun, cells, initial) {
  const rows = h('div', { class: 'rows' });
  const renumber = () => [...rows.children].forEach((row, i) => row.number(i));
  const add = (v) => {
    const made = cells();
    const remove = h('button', { type: 'button', class: 'small secondary remove-row' }, 'Remove');
    const row = h('div', { class: 'row', role: 'group' }, made.fields, remove);
    row.number = (i) => {
      row.setAttribute('aria-label', `${noun} ${i + 1}`);
      remove.setAttribute('aria-label', `Remove ${noun.toLowerCase()} ${i + 1}`);
      made.number(i);
    };
    row.read = made.read;
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      (next?.querySelector('input, select') || addButton).focus();
    });
    if (v) made.set(v);
    rows.append(row);
    renumber();
    return row;
  };
  const addButton = h('button', { type: 'button', class: 'small secondary' }, `Add a ${noun.toLowerCase()}`);
  addButton.addEventListener('click', () => add().querySelector('input, select').focus());
  (initial.length ? initial : [null]).forEach(add);
  const el = h('fieldset', { class: 'field rowlist', 'data-field': kind }, h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null, rows, addButton,
    h('p', { class: 'field-error', role: 'alert', 'data-error-for': kind }));
  // the rows filled in, the empty ones taken away first (the API's indexes are then the rows')
  el.values = () => {
    for (const row of [...rows.children]) if (!row.read().some(Boolean) && rows.children.length > 1) row.remove();
    renumber();
    return [...rows.children].map((row) => row.read()).filter((v) => v.some(Boolean));
  };
  return el;
}

// One cell of a row: a field() whose name, label and error slot follow the row's number.
function rowCell(kind, key, text, spec) {
  const f = field({ ...spec, label: text(0), name: `${kind}[0].${key}` });
  const input = f.querySelector('input, select');
  return {
    el: f, input,
    number: (i) => {
      const name = `${kind}[${i}].${key}`;
      input.name = name;
      f.dataset.field = name;
      f.querySelector('.field-error').dataset.errorFor = name;
      f.querySelector('label').firstChild.textContent = text(i);
    },
  };
}

function torForm(t, act) {
  const c = t.tor?.content;
  const today = todayUK();
  const milestoneCells = () => {
    const name = rowCell('milestones', 'name', (i) => `Milestone ${i + 1}: name`, {});
    const due = rowCell('milestones', 'due', (i) => `Milestone ${i + 1}: due`, { type: 'date' });
    return { fields: [name.el, due.el], number: (i) => { name.number(i); due.number(i); },
      read: () => [name.input.value.trim(), due.input.value], set: (m) => { name.input.value = m.name; due.input.value = m.due; } };
  };
  const productCells = () => {
    const type = rowCell('products', 'type', (i) => `Product ${i + 1}: type`, { type: 'select',
      options: [['', 'choose a product'], ...PRODUCT_TYPES.map((x) => [x, label(x)])] });
    const due = rowCell('products', 'due', (i) => `Product ${i + 1}: due`, { type: 'date' });
    return { fields: [type.el, due.el], number: (i) => { type.number(i); due.number(i); },
      read: () => [type.input.value, due.input.value], set: (m) => { type.input.value = m.type; due.input.value = m.due; } };
  };
  const milestones = rowList('milestones', 'Milestones', 'A name and its due date, one a row.', 'Milestone', milestoneCells, c?.milestones || []);
  const products = rowList('products', 'Products', 'The NIM products to deliver, each with its due date.', 'Product', productCells, c?.products || []);
  const fields = [
    checkboxes('services', 'Services', SERVICES, c?.services || t.bid?.services || []),
    field({ label: 'Start date', name: 'start_date', type: 'date', required: true, value: c?.start_date || today }),
    field({ label: 'End date', name: 'end_date', type: 'date', required: true, value: c?.end_date }),
    milestones, products,
    field({ label: 'Objectives of the SIO\u2019s investigation strategy served', name: 'objectives', type: 'textarea', required: true,
            hint: 'One a line.', value: c ? c.objectives.join('\n') : '' }),
  ];
  return miniForm('propose_tor', t.tor ? `Propose a new ToR version (now ${t.tor.version})` : 'Propose the terms of reference', fields, 'Propose',
    (form, v) => {
      const ms = milestones.values();
      const ps = products.values();
      // a half-filled row is said at its field before anything is sent
      const missing = [
        ...ms.map(([n, d], i) => (!n ? `milestones[${i}].name: the name of the milestone due on ${date(d)} is missing` : !d ? `milestones[${i}].due: the due date of “${n}” is missing` : null)),
        ...ps.map(([ty, d], i) => (!ty ? `products[${i}].type: choose the product due on ${date(d)}` : !d ? `products[${i}].due: the due date of the ${words(ty)} is missing` : null)),
      ].filter(Boolean);
      if (missing.length) {
        showProblem(form, missing.length > 1 ? { errors: missing.map((detail) => ({ detail })) } : { detail: missing[0] });
        return;
      }
      act(form, (ver) => post(`/api/v1/taskings/${t.ref}/tor`, {
        services: v.services || [], start_date: v.start_date, end_date: v.end_date,
        milestones: ms.map(([name, due]) => ({ name, due })), products: ps.map(([type, due]) => ({ type, due })),
        objectives: v.objectives.split('\n').map((x) => x.trim()).filter(Boolean),
      }, { version: ver }));
    }, !t.tor);
}

function teamSection(t, can, act, ctx) {
  const list = h('ul', { class: 'team' }, t.team.map((u) => {
    const li = h('li', {}, u);
    if (can.has('unassign') && u !== t.sia) {
      const f = h('form', { class: 'inline', 'data-action': 'unassign' }, h('div', { class: 'form-error', role: 'alert' }),
        h('button', { type: 'submit', class: 'secondary small', 'aria-label': `Remove ${u} from the team` }, 'Remove'));
      f.addEventListener('submit', (e) => {
        e.preventDefault();
        if (!window.confirm(`Remove ${u} from the team of ${t.ref}? They lose access to its work at once.`)) return;
        act(f, (ver) => api('DELETE', `/api/v1/taskings/${t.ref}/team/${u}`, { version: ver }));
      });
      li.append(' ', f);
    }
    return li;
  }));
  return section('Team', t.team.length ? list : h('p', { class: 'empty' }, 'No one assigned yet.'),
    can.has('assign') ? miniForm('assign', 'Assign TOEX staff', [picker(field({ label: 'User name(s)', name: 'user', required: true,
      hint: 'Separate several with commas. TOEX staff not yet on the team are suggested as you type.' }),
    async () => (await toexStaff()).filter((c) => !t.team.includes(c.value)), { multi: true })],
      'Assign', (form, v) => act(form, (ver) => post(`/api/v1/taskings/${t.ref}/team`,
        { user: v.user.split(',').map((x) => x.trim()).filter(Boolean) }, { version: ver }))) : null,
    // a TOEX manager gives the tasking another SIA (the one allocated leaves or is ill: domain.md
    // §1; review 109 M5: the API had it, the page did not); the API judges the state
    t.sia && !ENDED[t.state] && ctx?.hasRole('toex_manager') ? miniForm('reallocate', 'Allocate another SIA', [
      picker(field({ label: 'Senior Intelligence Analyst', name: 'sia', required: true,
                     hint: `Instead of ${t.sia}; they join the team.` }),
             async () => (await toexStaff('sia'))?.filter((c) => c.value !== t.sia) ?? null),
      field({ label: 'Why the SIA changes', name: 'reason', type: 'textarea', required: true })],
    'Allocate', (form, v) => act(form, (ver) => post(`/api/v1/taskings/${t.ref}/reallocate`,
      { sia: v.sia.trim(), reason: v.reason }, { version: ver }))) : null);
}

// TOEX staff (users of a capability agency holding a TOEX role, or the one role given) as
// picker choices; null when the directory cannot be read (the plain text box stays).
async function toexStaff(role) {
  const [us, ags] = await Promise.all([directory(role), agencies()]);
  if (!us) return null;
  const caps = ags ? new Set(ags.filter((a) => a.kind === 'capability').map((a) => a.code)) : null;
  return us.filter((u) => (!caps || caps.has(u.agency)) && u.roles.some((r) => (role ? r === role : TOEX_ROLES.includes(r))))
    .map(userChoice);
}

function contribSection(t, items, can, act) {
  return section('Contributions', table(null, [
    ['Date', (c) => date(c.date)], ['Who', (c) => c.user], ['Hours', (c) => String(c.hours)], ['What', (c) => c.text],
  ], items, 'No contributions yet.'),
  can.has('contribute') ? miniForm('contribute', 'Log a contribution', [
    field({ label: 'Date', name: 'date', type: 'date', required: true, value: todayUK() }),
    field({ label: 'Hours', name: 'hours', required: true, inputmode: 'decimal', hint: 'Decimal hours, e.g. 1.5' }),
    field({ label: 'What was done', name: 'text', type: 'textarea', required: true })], 'Log it',
  (form, v) => act(form, (ver) => post(`/api/v1/taskings/${t.ref}/contributions`, v, { version: ver }))) : null);
}

function intelSection(t, items, can, act) {
  for (const i of items) if (i.grade?.handling === 'C' && i.grade.conditions) noteConditions(i.grade.conditions);
  const pndCell = (i) => {
    const s = h('span', { class: `pnd pnd-${i.pnd.status}` }, words(i.pnd.status),
      i.pnd.ref ? ` (${i.pnd.ref}, ${date(i.pnd.date)})` : '', i.pnd.reason ? ` (${i.pnd.reason})` : '');
    if (i.pnd.status !== 'pending' || !(i.may_set_pnd ?? can.has('record_intel'))) return s;
    const f = h('form', { class: 'pnd-form', 'data-action': 'pnd', novalidate: true }, h('div', { class: 'form-error', role: 'alert' }),
      field({ label: `PND reference for ${i.ref}`, name: 'pnd_ref', required: true }),
      field({ label: 'Recorded on', name: 'pnd_date', type: 'date', required: true, value: todayUK() }),
      h('button', { type: 'submit', class: 'small' }, 'Record on PND'));
    f.addEventListener('submit', (e) => { e.preventDefault(); const v = formValues(f);
      act(f, (ver) => api('PUT', `/api/v1/intelligence/${i.ref}/pnd`, { body: { pnd: 'recorded', pnd_ref: v.pnd_ref, pnd_date: v.pnd_date }, version: ver })); });
    // an item that is not for PND (already held there, or unsuitable): not required, with the
    // reason (domain.md §4); else it stays pending and development cannot complete (review 109 M2)
    const nr = h('form', { class: 'pnd-form', 'data-action': 'pnd-not-required', novalidate: true }, h('div', { class: 'form-error', role: 'alert' }),
      field({ label: `Why ${i.ref} is not for PND`, name: 'reason', required: true }),
      h('button', { type: 'submit', class: 'small secondary' }, 'Not required on PND'));
    nr.addEventListener('submit', (e) => { e.preventDefault(); const v = formValues(nr);
      act(nr, (ver) => api('PUT', `/api/v1/intelligence/${i.ref}/pnd`, { body: { pnd: 'not_required', reason: v.reason }, version: ver })); });
    return [s, f, h('details', { class: 'pnd-other' }, h('summary', {}, 'Not for PND?'), nr)];
  };
  // a correction by the team while the work is open (domain.md §4: a new version with the
  // reason, the earlier kept; review 109 M5: the API had it, the page did not). One form under
  // the table, the item chosen in it (a form in a cell of the table squeezed its words).
  const correctable = items.filter((i) => !i.disposed);
  const correctForm = () => {
    const f = h('form', { class: 'card', 'data-action': 'correct', novalidate: true }, h('div', { class: 'form-error', role: 'alert' }),
      field({ label: 'Item', name: 'item', type: 'select', options: correctable.map((i) => [i.ref, `${i.ref} v${i.version}`]) }),
      field({ label: 'Intelligence', name: 'text', type: 'textarea' }),
      field({ label: 'Source (a description)', name: 'source' }),
      field({ label: 'Grade (3x5x2)', name: 'grade' }),
      field({ label: 'Handling', name: 'handling', type: 'select', options: [['P', 'P: lawful sharing permitted'], ['C', 'C: sharing subject to conditions']] }),
      field({ label: 'Conditions (for C)', name: 'conditions' }),
      field({ label: 'Why it is corrected', name: 'reason', type: 'textarea', required: true }),
      h('button', { type: 'submit', class: 'small' }, 'Correct it'));
    const el = (n) => f.querySelector(`[name="${n}"]`);
    const grade = (i) => (i.grade?.source && i.grade?.assessment ? `${i.grade.source}${i.grade.assessment}` : '');
    const chosen = () => correctable.find((i) => i.ref === el('item').value);
    const show = () => {
      const i = chosen();
      if (!i) return;
      el('text').value = i.text || '';
      el('source').value = i.source || '';
      el('grade').value = grade(i);
      el('handling').value = i.grade?.handling || 'P';
      el('conditions').value = i.grade?.conditions || '';
    };
    el('item').addEventListener('change', show);
    queueMicrotask(show);
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      const i = chosen();
      const v = formValues(f);
      const body = { reason: v.reason };
      if (v.text !== (i.text || '')) body.text = v.text;
      if (v.source !== (i.source || '')) body.source = v.source;
      if (v.grade.trim() !== grade(i) || v.handling !== (i.grade?.handling || 'P') || v.conditions !== (i.grade?.conditions || '')) {
        body.grade = v.grade.trim();
        body.handling = v.handling;
        if (v.handling === 'C') body.conditions = v.conditions;
      }
      act(f, (ver) => post(`/api/v1/intelligence/${i.ref}/corrections`, body, { version: ver }));
    });
    return h('details', { class: 'action' }, h('summary', {}, 'Correct an intelligence item'), f);
  };
  return section('Intelligence', table(null, [
    ['Item', (i) => `${i.ref} v${i.version}`], ['Grade', (i) => h('span', { class: 'grade' }, i.grade?.display || i.legacy_grade || '—')],
    ['Handling conditions', (i) => i.grade?.conditions || ''],
    ['Intelligence', (i) => (i.disposed ? h('em', {}, 'disposed of: content erased') : i.text)],
    ['Source', (i) => i.source ?? ''], ['Marking', (i) => i.marking], ['PND', pndCell],
    // the MoPI review each item is due (review 109 L7: shown only on #/mopi and in the network
    // page's panel)
    ['MoPI review', (i) => (i.review_date ? date(i.review_date) : '—')],
  ], items, 'No intelligence recorded yet.'),
  can.has('record_intel') && correctable.length ? correctForm() : null,
  can.has('record_intel') ? miniForm('record_intel', 'Record an intelligence item', [
    field({ label: 'Intelligence', name: 'text', type: 'textarea', required: true }),
    field({ label: 'Source (a description)', name: 'source', required: true }),
    field({ label: 'Grade (3x5x2: source 1-3 and assessment A-E)', name: 'grade', required: true, hint: 'For example 1B.' }),
    field({ label: 'Handling', name: 'handling', type: 'select', options: [['P', 'P: lawful sharing permitted'], ['C', 'C: sharing subject to conditions']], value: 'P' }),
    field({ label: 'Conditions (for C)', name: 'conditions' }),
    field({ label: 'Marking', name: 'marking', type: 'select', options: [['', 'the tasking\u2019s'], ...markingOrder().map((m) => [m, m])] }),
  ], 'Record', (form, v) => {
    const body = { text: v.text, source: v.source, grade: v.grade, handling: v.handling };
    if (v.conditions) body.conditions = v.conditions;
    if (v.marking) body.marking = v.marking;
    act(form, (ver) => post(`/api/v1/taskings/${t.ref}/intelligence`, body, { version: ver }));
  }) : null);
}

function optionSection(t, items, can, act) {
  const byStrand = STRANDS.map((s) => [s, items.filter((o) => o.strand === s)]);
  return section('Tactical options (4P)', h('div', { class: 'four-p' }, byStrand.map(([s, list]) =>
    h('div', { class: 'strand' }, h('h3', {}, label(s)), list.length ? h('ul', {}, list.map((o) => {
      const li = h('li', {}, `${o.ref}: ${o.text} — ${o.agency} `, h('span', { class: `opt opt-${o.status}` }, o.status),
        o.marking && o.marking !== t.marking ? h('small', { class: 'marked' }, ` ${o.marking}`) : null);
      // the server says who may set each (the team while the work is open; the option's agency
      // and the threat's SIO at any time, after closure too)
      if (o.may_set) {
        // the domain's moves (docs/domain.md §8): proposed -> accepted or declined, accepted ->
        // actioned or declined; declined and actioned are final (review 109 L4: Home offered
        // "declined" for an accepted option, this page did not)
        const next = { proposed: ['accepted', 'declined'], accepted: ['actioned', 'declined'] }[o.status] || [];
        for (const st of next) {
          const f = h('form', { class: 'inline', 'data-action': `option-${st}` }, h('div', { class: 'form-error', role: 'alert' }),
            h('button', { type: 'submit', class: 'small secondary', 'aria-label': `Mark ${st}: ${o.ref}` }, `Mark ${st}`));
          f.addEventListener('submit', (e) => { e.preventDefault(); act(f, (ver) => api('PATCH', `/api/v1/options/${o.ref}`, { body: { status: st, version: o.version }, version: ver })); });
          li.append(' ', f);
        }
      }
      return li;
    })) : h('p', { class: 'empty' }, 'None.')))),
  can.has('record_option') ? miniForm('record_option', 'Propose a tactical option', [
    field({ label: '4P strand', name: 'strand', type: 'select', options: STRANDS.map((s) => [s, label(s)]) }),
    field({ label: 'What would be done', name: 'text', type: 'textarea', required: true }),
    field({ label: 'Agency that would act (code)', name: 'agency', required: true, value: t.owner }),
    // its own marking: above the tasking's when it draws on intelligence so marked; the agency
    // named reads it only when cleared for it (review 102 M2)
    field({ label: 'Marking', name: 'marking', type: 'select', options: [['', 'the tasking\u2019s'], ...markingOrder().map((m) => [m, m])] })], 'Propose',
  (form, v) => act(form, (ver) => post(`/api/v1/taskings/${t.ref}/options`,
    { strand: v.strand, text: v.text, agency: v.agency, ...(v.marking ? { marking: v.marking } : {}) }, { version: ver }))) : null);
}

// The document chosen in a product form, or a problem said at its field before any byte is
// sent: none chosen, or above the server's limit (review 109 L9: a 60 MB file was refused after
// minutes of upload).
const PRODUCT_MAX = 50 * 1024 * 1024;
function chosenDocument(f) {
  const file = f.querySelector('input[type=file]').files[0];
  if (!file) { showProblem(f, { detail: 'file: choose the document to upload' }); return null; }
  if (file.size > PRODUCT_MAX) {
    showProblem(f, { detail: `file: ${file.name} is ${(file.size / 1048576).toFixed(1)} MiB, above the limit of 50 MiB for a product` });
    return null;
  }
  return file;
}

function productSection(t, items, can, act, me) {
  const due = t.tor ? t.tor.content.products.map((p) => p.type) : [];
  // the versions of one product together, the latest first (the API lists each version:
  // PRD-000001 v1, v2…; review 109 M5: a revision was a new product, the history unused)
  const latest = new Map();
  for (const p of items) if (!latest.has(p.ref) || latest.get(p.ref).version < p.version) latest.set(p.ref, p);
  const sorted = [...items].sort((a, b) => (a.ref === b.ref ? b.version - a.version : a.ref < b.ref ? -1 : 1));
  const rows = table(null, [
    ['Product', (p) => {
      const many = latest.get(p.ref).version > 1;
      return [`${p.ref} v${p.version}`, many ? h('small', { class: 'version-note' },
        p.version === latest.get(p.ref).version ? ' (latest version)' : ` (superseded by v${latest.get(p.ref).version})`) : null];
    }],
    ['Type', (p) => words(p.type)], ['Marking', (p) => p.marking],
    ['File', (p) => fileLink(`${p.filename} (${p.size} bytes)`, `/api/v1/products/${p.ref}?version=${p.version}`, p.filename)],
    ['Added', (p) => `${time(p.created_at)}${p.created_by ? ` by ${p.created_by}` : ''}`],
    ['Delivered', (p) => {
      if (p.delivered) return `${time(p.delivered_at)} by ${p.delivered_by}`;
      // the tasking's SIA delivers the latest version: the handover to the customer (the team
      // adds versions; an older one superseded is not handed over)
      if (!can.has('record_product') || !me || me.name !== t.sia) return 'not yet';
      if (p.version !== latest.get(p.ref).version) return 'not delivered (superseded)';
      const f = h('form', { class: 'inline', 'data-action': 'deliver' }, h('div', { class: 'form-error', role: 'alert' }),
        h('button', { type: 'submit', class: 'small', 'aria-label': `Deliver ${p.ref}` }, 'Deliver'));
      f.addEventListener('submit', (e) => {
        e.preventDefault();
        if (!window.confirm(`Deliver ${p.ref} version ${p.version} (${p.filename}) to the customer${t.customer ? `, ${t.customer}` : ''}? A delivery cannot be undone.`)) return;
        act(f, (ver) => post(`/api/v1/products/${p.ref}/deliver`, { version: p.version }, { version: ver }));
      });
      return f;
    }],
  ], sorted, 'No products uploaded yet.');
  let form = null;
  const versionForms = [];
  if (can.has('record_product')) {
    const types = [...new Set([...due, ...PRODUCT_TYPES])];
    form = miniForm('record_product', 'Upload a product', [
      field({ label: 'Product type', name: 'type', type: 'select', options: types.map((x) => [x, label(x)]) }),
      field({ label: 'Marking', name: 'marking', type: 'select', options: markingOrder().map((m) => [m, m]), value: t.marking }),
      field({ label: 'Document', name: 'file', type: 'file', required: true })], 'Upload',
    (f, v) => {
      const file = chosenDocument(f);
      if (!file) return;
      act(f, async (ver) => api('POST', `/api/v1/taskings/${t.ref}/products`, {
        raw: await file.arrayBuffer(), contentType: file.type || 'application/octet-stream', version: ver,
        query: { type: v.type, filename: file.name, marking: v.marking } }));
    });
    // a revision of a product (after the customer's comments, a correction after delivery): the
    // next version of the same product, its type kept, its marking never below the last one's
    // (the API's `replaces`; docs/api.md "product")
    for (const p of latest.values()) {
      const order = markingOrder();
      const from = Math.max(0, order.indexOf(p.marking));
      versionForms.push(miniForm('product-version', `Upload a new version of ${p.ref} (${words(p.type)}, now v${p.version})`, [
        field({ label: 'Marking', name: 'marking', type: 'select', options: order.slice(from).map((m) => [m, m]), value: p.marking,
                hint: `Not below ${p.marking}, the marking of v${p.version}. A copy sanitised for wider use is a new product.` }),
        field({ label: 'Document', name: 'file', type: 'file', required: true, hint: 'At most 50 MiB.' })], `Upload v${p.version + 1}`,
      (f, v) => {
        const file = chosenDocument(f);
        if (!file) return;
        act(f, async (ver) => api('POST', `/api/v1/taskings/${t.ref}/products`, {
          raw: await file.arrayBuffer(), contentType: file.type || 'application/octet-stream', version: ver,
          query: { replaces: p.ref, filename: file.name, marking: v.marking } }));
      }));
      versionForms[versionForms.length - 1].querySelector('form').dataset.product = p.ref;
    }
  }
  return section('Products', rows, versionForms.length ? h('div', { class: 'product-versions' }, versionForms) : null, form);
}

function reassessSection(t, can, act, me) {
  const r = t.reassessment;
  // the SIO's agreement to hand the risk on is its own act, whatever the recommendation (a
  // decision aid for the TTCG/FTT: domain.md §7, review 113 M1)
  const agreed = r && r.transfer_agreed;
  const shown = r ? h('div', { class: 'assessment' },
    h('p', { class: 'score', 'data-testid': 'reassessment-score' }, `Version ${r.version}: score ${Number(r.score).toFixed(1)} (${r.band}); recommendation: `,
      h('strong', {}, words(r.recommendation)), ' (a decision aid: the TTCG or the FTT decides)'),
    h('p', {}, r.rationale),
    h('p', {}, `Signed by the SIA: ${r.signed_by_sia ? 'yes' : 'no'}; by the SIO: ${r.signed_by_sio ? 'yes' : 'no'}.`),
    h('p', { 'data-testid': 'transfer-agreement' }, agreed
      ? `The SIO agreed to a transfer of the risk: ${agreed.by}, ${time(agreed.at)}.`
      : 'The SIO has not agreed to a transfer of the risk.')) : null;
  let agree = null;
  if (can.has('agree_transfer')) {
    // the SIO who holds the risk agrees to hand it on; the SIA then requests the transfer
    agree = h('form', { class: 'action-form inline', 'data-action': 'agree_transfer' },
      h('div', { class: 'form-error', role: 'alert' }),
      h('p', {}, `You hold the risk. Agree that it is handed on? The SIA then asks the TTCG for the transfer, whatever the recommendation (${words(r.recommendation)}).`),
      h('button', { type: 'submit' }, 'Agree to a transfer of ownership'));
    agree.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!window.confirm(`Agree to a transfer of the risk of ${t.threat}? The SIA may then request it from the TTCG.`)) return;
      act(agree, (v) => post(`/api/v1/taskings/${t.ref}/agree_transfer`, {}, { version: v }));
    });
  }
  let form = null, signedNote = null;
  if (can.has('reassess')) {
    // the part this user signs (the tasking's SIA, else the SIO who holds the risk) and whether
    // it is signed already (review 90 M3: "Sign this assessment" was offered again, then 409)
    const side = me && me.name === t.sia ? 'sia' : 'sio';
    const signed = !!r && !!r[`signed_by_${side}`];
    if (signed) {
      signedNote = h('p', { class: 'notice', 'data-testid': 'reassessment-signed' },
        `You have signed version ${r.version}${(side === 'sia' ? r.signed_by_sio : r.signed_by_sia) ? '' : `; it waits for the ${side === 'sia' ? 'SIO' : 'SIA'}’s signature`}. `,
        'A revision with other values is a new version, to be signed again by both.');
    }
    form = miniForm('reassess', !r ? 'Reassess the threat' : signed ? 'Revise the reassessment' : 'Sign or revise the reassessment',
      assessmentForm(r?.input), !r ? 'Propose' : signed ? 'Propose the revision' : 'Sign this assessment',
      (f, v) => act(f, (ver) => post(`/api/v1/taskings/${t.ref}/reassessment`, assessmentBody(v), { version: ver })), !signed);
  }
  return section('Reassessment', shown || h('p', { class: 'empty' }, 'Not yet reassessed.'), signedNote, agree, form);
}


// Each step with who and when (review 113 L3: who decided and when was in the history only).
function transferSection(t) {
  const x = t.transfer;
  return section('Transfer of ownership', dl([
    ['From', x.from_owner], ['Rationale', x.rationale],
    ['Requested', `${x.requested_by || '—'}, ${time(x.requested_at)}`],
    ['Agreed by the SIO', x.agreed_by ? `${x.agreed_by}, ${time(x.agreed_at)}` : 'not recorded'],
    x.escalated_at ? ['Escalated to the FTT', `${x.escalated_by || '—'}, ${time(x.escalated_at)}: ${x.escalation_rationale || ''}`] : null,
    ['Decision', x.decision ? `${x.decision} by ${x.decided_by || '—'} (the ${(x.decided_as || '').toUpperCase()}), ${time(x.decided_at)}: ${x.decision_reason || ''}` : 'pending'],
    x.new_owner ? ['New owner and SIO', `${x.new_owner}, ${x.new_sio}`] : null,
  ]));
}
export { todayUK };
