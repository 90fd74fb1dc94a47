import { all, post, ApiError } from '../api.js';
import { h, field, checkboxes, formValues, showProblem } from '../dom.js';
import { SERVICES, words } from '../format.js';
import { markingOrder } from '../marking.js';

// The bid (the tasking request form, domain.md §1 step 2). The API checks every field; its
// message is shown next to the field it names.
export async function bidPage(ctx) {
  const threats = await all('/api/v1/threats');
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'bid-form' },
    h('h1', {}, 'New bid for TOEX support'),
    h('p', { class: 'hint' }, 'The bid goes to your region\u2019s Gateway when you submit it. The SIO named on the threat holds the risk.'),
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'Threat on the SOC master list', name: 'threat', type: 'select', required: true,
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
    h('button', { type: 'submit' }, 'Save the bid as a draft'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = { threat: v.threat, ftm_date: v.ftm_date, ftm_ref: v.ftm_ref, summary: v.summary,
      requirements: v.requirements.split('\n').map((x) => x.trim()).filter(Boolean), services: v.services || [],
      urgency: v.urgency };
    for (const k of ['known', 'timeline', 'customer', 'marking']) if (v[k]) body[k] = v[k];
    try {
      const { data } = await post('/api/v1/taskings', body);
      ctx.go(`/tasking/${data.ref}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return form;
}
