import { all, get, post, api, ApiError } from '../api.js';
import { h, field, checkboxes, formValues, showProblem, submitOnce } from '../dom.js';
import { SERVICES, words } from '../format.js';
import { markingOrder } from '../marking.js';
import { agencies } from '../pickers.js';
import { assessmentForm, assessmentBody } from './assessment.js';

// The bid's threat assessment (domain.md §7: "The bid carries an assessment"; it is submitted
// with one: review 113 M2), in the reassessment's fields.
function bidAssessment(input) {
  return h('fieldset', { class: 'field', 'data-field': 'assessment' }, h('legend', {}, 'Threat assessment (MoRiLE)'),
    h('p', { class: 'hint' }, 'The force’s assessment of the threat: the Gateway and TOEX weigh the bid by it. A bid is submitted with one.'),
    ...assessmentForm(input));
}

// The threats a SPOC of `agency` may bid on: a bid is requested by the threat's owner, an agency
// of the owner's region or a national agency, and by any force or ROCU for a threat a national
// agency owns (src/domain/bid.c; the API says so otherwise), so a
// force's SPOC is offered its region's threats (review 109 M7: every threat in the country was
// offered and another region's refused only after the whole bid was typed). The directory of
// agencies unreadable: every threat, the API judging.
function biddable(threats, ags, agency) {
  const mine = (ags || []).find((a) => a.code === agency);
  if (!mine) return threats;
  if (!mine.region) return threats; // a national agency requests for any owner
  return threats.filter((t) => t.owner === agency || t.owner_kind === 'national' || t.region === mine.region);
}

// The bid (the tasking request form, domain.md §1 step 2). The API checks every field; its
// message is shown next to the field it names.
export async function bidPage(ctx) {
  if (ctx.args && ctx.args[0]) return editBidPage(ctx, ctx.args[0]);
  // a bid is a SPOC's (domain.md §1): to anyone else the form could only fail on saving
  // (review 109 L8: it rendered whole by its address)
  if (!ctx.hasRole('spoc'))
    return h('div', {}, h('h1', {}, 'New bid for TOEX support'),
      h('p', { class: 'notice', role: 'status' }, 'A bid is prepared by a SPOC of the requesting force or ROCU; your roles do not include spoc.'));
  const [every, ags] = await Promise.all([all('/api/v1/threats'), agencies()]);
  const threats = biddable(every, ags, ctx.me.agency);
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'bid-form' },
    h('h1', {}, 'New bid for TOEX support'),
    h('p', { class: 'hint' }, 'The bid goes to your region\u2019s Gateway when you submit it. The SIO named on the threat holds the risk.'),
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'Threat on the SOC master list', name: 'threat', type: 'select', required: true,
            hint: threats.length < every.length ? `The threats of your region (${threats.length}); another region\u2019s threats are bid on there.` : undefined,
            options: [['', 'Choose a threat…'], ...threats.map((t) => [t.ref, `${t.ref}: ${t.title} (${t.owner}, SIO ${t.sio})`])] }),
    field({ label: 'Date of the force tasking meeting', name: 'ftm_date', type: 'date', required: true }),
    field({ label: 'Reference of the force tasking meeting', name: 'ftm_ref', required: true }),
    field({ label: 'What is asked, in short', name: 'summary', type: 'textarea', required: true }),
    field({ label: 'What is known already', name: 'known', type: 'textarea' }),
    field({ label: 'Intelligence requirements', name: 'requirements', type: 'textarea', required: true, hint: 'One a line.' }),
    checkboxes('services', 'TOEX services wanted', SERVICES),
    field({ label: 'Urgency', name: 'urgency', type: 'select', options: ['routine', 'priority', 'urgent'].map((u) => [u, words(u)]) }),
    field({ label: 'Timeline wished for', name: 'timeline' }),
    field({ label: 'Customer (user name, if not the SIO)', name: 'customer' }),
    field({ label: 'Marking', name: 'marking', type: 'select', options: [['', 'the threat\u2019s'], ...markingOrder().map((m) => [m, m])] }),
    bidAssessment(),
    h('button', { type: 'submit' }, 'Save the bid as a draft'));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = { threat: v.threat, ftm_date: v.ftm_date, ftm_ref: v.ftm_ref, summary: v.summary,
      requirements: v.requirements.split('\n').map((x) => x.trim()).filter(Boolean), services: v.services || [],
      urgency: v.urgency, assessment: assessmentBody(v) };
    for (const k of ['known', 'timeline', 'customer', 'marking']) if (v[k]) body[k] = v[k];
    try {
      const { data } = await post('/api/v1/taskings', body);
      ctx.go(`/tasking/${data.ref}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err, { requesting_agency: ['threat'] }); // "outside the region of the threat's owner"
    }
  });
  return form;
}

// Editing the bid while it is with the requesting agency: a draft, or a bid the Gateway returned
// saying what is missing (domain.md §1). Only what changed is sent (PATCH); the version read
// goes with it, so a bid changed meanwhile is explained (409) instead of overwritten.
async function editBidPage(ctx, ref) {
  const { data: t, etag } = await get(`/api/v1/taskings/${ref}`);
  const b = t.bid || {};
  const returned = (t.history || []).filter((e) => e.action === 'return').pop();
  const selected = new Set(b.services || []);
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'bid-edit-form' },
    h('h1', {}, `Edit the bid ${t.ref}`),
    h('p', { class: 'hint' }, `${t.threat}: ${t.threat_title || ''}. The threat, the requesting agency and the marking were fixed when the bid was drafted.`),
    returned ? h('p', { class: 'note', 'data-testid': 'returned-reason' },
      `Returned by ${returned.by || 'the Gateway'}: ${returned.reason || ''}`) : null,
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'Date of the force tasking meeting', name: 'ftm_date', type: 'date', required: true, value: b.ftm_date || '' }),
    field({ label: 'Reference of the force tasking meeting', name: 'ftm_ref', required: true, value: b.ftm_ref || '' }),
    field({ label: 'What is asked, in short', name: 'summary', type: 'textarea', required: true, value: b.summary || '' }),
    field({ label: 'What is known already', name: 'known', type: 'textarea', value: b.known || '' }),
    field({ label: 'Intelligence requirements', name: 'requirements', type: 'textarea', required: true, hint: 'One a line.',
            value: (b.requirements || []).join('\n') }),
    checkboxes('services', 'TOEX services wanted', SERVICES),
    field({ label: 'Urgency', name: 'urgency', type: 'select', value: t.urgency,
            options: ['routine', 'priority', 'urgent'].map((u) => [u, words(u)]) }),
    field({ label: 'Timeline wished for', name: 'timeline', value: b.timeline || '' }),
    b.assessment ? null : h('p', { class: 'notice', 'data-testid': 'no-assessment' },
      'This bid carries no threat assessment yet: it is submitted with one.'),
    bidAssessment(b.assessment),
    h('button', { type: 'submit' }, 'Save the bid'),
    ' ', h('a', { href: `#/tasking/${t.ref}` }, 'Back without saving'));
  for (const box of form.querySelectorAll('input[name=services]')) box.checked = selected.has(box.value);
  for (const sel of form.querySelectorAll('select[name=urgency] option')) sel.selected = sel.value === t.urgency;
  submitOnce(form, async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = {};
    const reqs = v.requirements.split('\n').map((x) => x.trim()).filter(Boolean);
    for (const k of ['ftm_date', 'ftm_ref', 'summary', 'known', 'timeline']) if ((v[k] || '') !== (b[k] || '')) body[k] = v[k];
    if (reqs.join('\n') !== (b.requirements || []).join('\n')) body.requirements = reqs;
    const svcs = v.services || [];
    if ([...svcs].sort().join() !== [...selected].sort().join()) body.services = svcs;
    if (v.urgency !== t.urgency) body.urgency = v.urgency;
    // the assessment when it is new or its values changed (it is scored again)
    const a = assessmentBody(v), was = b.assessment;
    const same = was && ['scale', 'likelihood', 'confidence', 'capacity', 'capability', 'needs_national_capability',
      'needs_rocu_capability'].every((k) => a[k] === was[k]) && Object.keys(a.harm).every((k) => a.harm[k] === was.harm?.[k]);
    if (!same) body.assessment = a;
    try {
      await api('PATCH', `/api/v1/taskings/${t.ref}`, { body, version: etag || t.version });
      ctx.go(`/tasking/${t.ref}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return form;
}
