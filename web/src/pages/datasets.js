// A tasking's datasets (docs/picture.md): the list with their provenance, an import of a CSV
// file with its columns' roles, a removal with a reason, and the picture resolved again after
// an upgrade of the engine. The import runs as a job of the server (POST .../dataset-jobs,
// then GET /api/v1/jobs/{id}): a large file resolves for seconds, and the page shows how far.
import { all, get, post, ApiError } from '../api.js';
import { h, clear, fill, field, formValues, showProblem, submitOnce } from '../dom.js';
import { time, date, words } from '../format.js';
import { section, table, subNav } from './common.js';
import { noteConditions } from '../marking.js';

// The roles a column can have, and the column names each is found by (as the engine's own
// table: src/conflate/engine.c roles[], and id_names[] for the record id).
export const ROLES = [
  ['id', 'record id', 'id record_id rec_id unique_id urn person_ref person_id nominal_id ref reference record_ref '
    + 'custody_ref custody_id nominal_ref case_ref pnd_ref stop_id crime_ref intel_ref log_ref'],
  ['first_name', 'first name', 'first_name firstname forename forenames given_name given_names givenname first fname christian_name'],
  ['middle_name', 'middle name', 'middle_name middlename middle_names middle second_forename other_forenames forename_2 forename2'],
  ['surname', 'surname', 'surname last_name lastname family_name familyname lname'],
  ['full_name', 'whole name', 'full_name fullname name full_names person_name subject_name nominal_name'],
  ['dob', 'date of birth', 'dob d_o_b date_of_birth birth_date birthdate dateofbirth'],
  ['sex', 'sex', 'sex gender'],
  ['address', 'address', 'address address_1 address1 address_line_1 address_line1 street street_address home_address current_address last_known_address addr'],
  ['postcode', 'postcode', 'postcode post_code postal_code zip zipcode pcode'],
  ['town', 'town', 'town city suburb locality post_town town_city'],
  ['phone', 'phone', 'phone telephone mobile phone_number tel tel_no tel_number telephone_number telephone_no phone_no mobile_number mobile_no contact_number'],
  ['email', 'e-mail', 'email e_mail email_address e_mail_address email_addr'],
  ['online_id', 'online identity', 'online_id username user_name handle social_media'],
  ['vehicle', 'vehicle', 'vehicle vrm vrn registration registration_mark vehicle_registration reg_no'],
  ['sort_code', 'sort code', 'sort_code sortcode'],
  ['account', 'account', 'account account_number'],
  ['ni_number', 'NI number', 'ni_number nino ni ni_no national_insurance_number'],
  ['pnc_id', 'PNC id', 'pnc_id pnc pnc_number pnc_no'],
  ['organisation', 'organisation', 'organisation organization company employer business'],
  ['date', 'date seen', 'date date_seen seen event_date date_of_record record_date stop_date encounter_date'],
  ['age', 'age at that date', 'age age_at_record age_at_event age_at_arrest age_at_stop approx_age estimated_age age_est'],
];

// The role a header names, or '' (left out).
export function guessRole(column, taken) {
  const key = column.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  for (const [role, , names] of ROLES)
    if (!taken.has(role) && names.split(' ').includes(key)) return role;
  return '';
}

// The delimiter of a CSV text as the server finds it (src/conflate/csvin.c): of , ; TAB |,
// the one its header line holds most of outside quotes (a comma when none).
export function csvDelimiter(text) {
  const counts = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') q = !q;
    else if (!q && (c === '\n' || c === '\r')) break;
    else if (!q && c in counts) counts[c]++;
  }
  return Object.entries(counts).reduce((best, [d, n]) => (n > counts[best] ? d : best), ',');
}

// The first `rows` lines of a CSV text (the header first), split on the delimiter outside
// quotes; a quoted field keeps its spaces, as the server reads it.
export function csvRows(text, rows = 1) {
  const d = csvDelimiter(text);
  const out = [];
  let line = [], cur = '', q = false, quoted = false;
  const end = () => { line.push(quoted ? cur : cur.trim()); cur = ''; quoted = false; };
  for (let i = 0; i < text.length && out.length < rows; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c;
    } else if (c === '"') { q = true; quoted = true; }
    else if (c === d) end();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      end();
      out.push(line);
      line = [];
    } else cur += c;
  }
  if (out.length < rows && (line.length || cur)) { end(); out.push(line); }
  if (out[0]?.length) out[0][0] = out[0][0].replace(/^\uFEFF/, '');
  return out;
}

export function csvHeader(text) { return csvRows(text, 1)[0] || []; }

function resolutionText(r) {
  if (!r || r.withheld) return 'Resolved (the counts are of the whole picture, which you are not cleared to see whole).';
  return `Resolved (${r.mode}): ${r.records} records; ${r.entities} entities (${r.created_entities} new, ` +
    `${r.removed_entities} removed), ${r.links} links; ${r.review_pairs} near matches to review` +
    `${r.unusable_values ? `; ${r.unusable_values} values unusable (placeholders or not identifiers)` : ''}.`;
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

export async function datasetsPage(ctx) {
  const ref = ctx.args[0];
  const wrap = h('div', { class: 'datasets' });
  const status = h('div', { role: 'status', 'data-testid': 'datasets-status' });
  const load = async () => {
    const [{ data: t }, sets] = await Promise.all([get(`/api/v1/taskings/${ref}/actions`), all(`/api/v1/taskings/${ref}/datasets`)]);
    const may = new Set(t.actions || []).has('record_intel');
    // a C dataset's conditions go with what the page shows of it (review 70)
    for (const d of sets) if (d.grade?.handling === 'C' && d.grade.conditions) noteConditions(d.grade.conditions);
    fill(wrap, 
      h('h1', {}, `${ref}: datasets`),
      subNav(ref, 'datasets'),
      h('p', { class: 'lede' },
        'Each dataset is conflated into the picture when it is imported: records of one person become one ',
        'entity, with the identifiers, addresses and links they hold.',
        may ? '' : ' You may read them; the tasking\u2019s TOEX team imports and removes them.'),
      status,
      section('Imported', table(null, [
        ['Dataset', (d) => [d.ref, h('br'), h('small', {}, d.name), d.filename ? [h('br'), h('small', {}, `file ${d.filename}`)] : null]],
        ['Level', (d) => words(d.level)],
        ['Grade', (d) => [d.grade?.display || '', d.grade?.handling === 'C' && d.grade.conditions ? [h('br'), h('small', {}, d.grade.conditions)] : null]],
        ['Marking', (d) => d.marking],
        ['Records', (d) => String(d.records)],
        ['Imported', (d) => [time(d.imported_at), h('br'), h('small', {}, d.imported_by || '')]],
        ['MoPI review', (d) => date(d.review_date)],
        ['', (d) => (may ? removeForm(d, load, status) : '')],
      ], sets, 'No dataset imported yet.')),
      may ? importForm(t, load, status) : null,
      may && sets.length ? resolveForm(t, load, status) : null);
  };
  await load();
  return wrap;
}

function removeForm(d, reload, status) {
  const form = h('form', { class: 'action-form', novalidate: true, 'data-action': 'dataset-remove' },
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: `Why ${d.ref} is removed`, name: 'reason', required: true }),
    h('button', { type: 'submit', class: 'danger' }, `Remove ${d.ref}`));
  submitOnce(form, async () => {
    const v = formValues(form);
    if (!window.confirm(`Remove ${d.ref} (${d.name})? Its records and what only they support leave the picture.`)) return;
    try {
      const { data } = await post(`/api/v1/datasets/${d.ref}/remove`, { reason: v.reason });
      await reload();
      status.textContent = `${d.ref} removed. ${resolutionText(data.resolution)}`;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return h('details', { class: 'action' }, h('summary', {}, 'Remove'), form);
}

function resolveForm(t, reload, status) {
  const form = h('form', { class: 'card', novalidate: true, 'data-action': 'dataset-resolve' },
    h('h2', {}, 'Resolve the picture again'), h('div', { class: 'form-error', role: 'alert' }),
    h('p', { class: 'hint' }, 'From every record and the decisions made, with this version of the engine ',
      '(after an upgrade: what an older version made, such as an entity of a placeholder, is made again).'),
    field({ label: 'Why', name: 'reason', required: true }),
    h('button', { type: 'submit', class: 'secondary' }, 'Resolve again'));
  submitOnce(form, async () => {
    try {
      const { data } = await post(`/api/v1/taskings/${t.ref}/resolve`, { reason: formValues(form).reason });
      await reload();
      status.textContent = `Engine ${data.engine} (before: ${data.engine_before}). ${resolutionText(data.resolution)}`;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    }
  });
  return form;
}

function importForm(t, reload, status) {
  const file = h('input', { type: 'file', id: 'ds-file', name: 'file', accept: '.csv,text/csv', required: true,
                            'aria-describedby': 'ds-file-hint' });
  const mapping = h('fieldset', { class: 'field roles', 'data-field': 'fields' },
    h('legend', {}, 'What each column holds'),
    h('p', { class: 'hint' }, 'Choose a file: its columns are listed here, with the role their names suggest.'),
    h('p', { class: 'field-error', role: 'alert', 'data-error-for': 'fields' }));
  const progress = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
  let text = null, fileName = null, autoName = null;
  const form = h('form', { class: 'card', novalidate: true, 'data-action': 'dataset-import' },
    h('h2', {}, 'Import a dataset'), h('div', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'field', 'data-field': 'csv' },
      h('label', { for: 'ds-file' }, 'CSV file', h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      h('p', { class: 'hint', id: 'ds-file-hint' }, 'A header line, then one record a line (UTF-8).'),
      file, h('p', { class: 'field-error', role: 'alert', 'data-error-for': 'csv' })),
    field({ label: 'Name', name: 'name', required: true, hint: 'Unique in the tasking, e.g. "PND nominals, March".' }),
    field({ label: 'Level', name: 'level', type: 'select', options: [['local', 'local'], ['regional', 'regional'], ['national', 'national']] }),
    field({ label: 'Source evaluation', name: 'source', type: 'select', options: [['1', '1: reliable'], ['2', '2: untested'], ['3', '3: not reliable']], value: '2' }),
    field({ label: 'Intelligence assessment', name: 'assessment', type: 'select', value: 'B',
      options: [['A', 'A: known directly'], ['B', 'B: known indirectly, corroborated'], ['C', 'C: known indirectly'],
        ['D', 'D: not known'], ['E', 'E: suspected false']] }),
    field({ label: 'Handling', name: 'handling', type: 'select', options: [['P', 'P: lawful sharing permitted'], ['C', 'C: sharing subject to conditions']] }),
    field({ label: 'Handling conditions (with C)', name: 'conditions', type: 'textarea', rows: 2 }),
    h('div', { class: 'field check', 'data-field': 'replace' },
      h('input', { type: 'checkbox', id: 'ds-replace', name: 'replace' }),
      h('label', { for: 'ds-replace' }, 'Replace the dataset of the same name or file (its records and what only they support go)')),
    field({ label: 'Marking', name: 'marking', type: 'select', value: t.marking,
      options: [['OFFICIAL', 'OFFICIAL'], ['OFFICIAL-SENSITIVE', 'OFFICIAL-SENSITIVE']],
      hint: `Not below the tasking's (${t.marking}).` }),
    mapping, progress,
    h('button', { type: 'submit' }, 'Import and resolve'));
  const fileError = (msg) => {
    const slot = form.querySelector('[data-error-for="csv"]');
    slot.textContent = msg;
    file.setAttribute('aria-invalid', msg ? 'true' : 'false');
  };
  file.addEventListener('change', async () => {
    const f = file.files[0];
    text = null;
    fileName = null;
    fileError('');
    for (const el of mapping.querySelectorAll('.role-row')) el.remove();
    if (!f) return;
    if (f.size > 64 * 1024 * 1024) {
      fileError(`csv: the file is ${(f.size / 1048576).toFixed(1)} MiB, above the limit of 64 MiB for a dataset`);
      return;
    }
    try {
      // UTF-8 only, as the server reads it: another encoding is refused, not turned into "�"
      // (review 65, 66: a Latin-1 "José" was stored as "Jos�")
      text = new TextDecoder('utf-8', { fatal: true }).decode(await f.arrayBuffer());
    } catch {
      fileError('csv: the file is not UTF-8 text; save it as "CSV UTF-8" and choose it again');
      return;
    }
    const name = form.querySelector('[name="name"]');
    // named after the file, unless the user named it (review 70: another file kept the first name)
    if (!name.value || name.value === autoName) name.value = autoName = f.name.replace(/\.csv$/i, '');
    fileName = f.name;
    const taken = new Set();
    const [header = [], ...sample] = csvRows(text, 4);
    header.forEach((col, i) => {
      const role = guessRole(col, taken);
      if (role) taken.add(role);
      const id = `ds-role-${i}`;
      const seen = sample.map((r) => r[i]).filter((v) => v);
      mapping.insertBefore(h('div', { class: 'role-row' },
        h('label', { for: id }, `Column ${i + 1}: ${col || '(no name)'}`),
        h('select', { id, 'data-column': col, 'aria-describedby': `${id}-sample` }, h('option', { value: '' }, '— left out —'),
          ROLES.map(([r, label]) => h('option', { value: r, selected: r === role }, label))),
        h('span', { class: 'sample', id: `${id}-sample` }, seen.length ? `e.g. ${seen.slice(0, 3).join(' · ')}` : '')),
      mapping.querySelector('.field-error'));
    });
  });
  submitOnce(form, async () => {
    const v = formValues(form);
    if (text === null) {
      showProblem(form, { detail: 'csv: choose a CSV file' });
      return;
    }
    const fields = [...mapping.querySelectorAll('select[data-column]')].filter((s) => s.value)
      .map((s) => `${s.value}=${s.dataset.column}`);
    // what the page can tell before sending the file (review 70: found only after the upload)
    const roles = fields.map((x) => x.split('=')[0]);
    const twice = roles.find((r, i) => roles.indexOf(r) !== i);
    if (!roles.some((r) => ['first_name', 'surname', 'full_name'].includes(r)) || twice) {
      showProblem(form, { detail: twice ? `fields: the role ${twice} is given to two columns; a role takes one column`
        : 'fields: no column holds a name: give first name, surname or whole name to a column' });
      return;
    }
    const body = { name: v.name, level: v.level, grade: `${v.source}${v.assessment}`, handling: v.handling,
      conditions: v.handling === 'C' ? v.conditions : undefined, marking: v.marking, fields, csv: text,
      replace: form.querySelector('#ds-replace').checked || undefined,
      // a name the server keeps (255 bytes at most, review 68): a longer one is not sent
      filename: fileName && new TextEncoder().encode(fileName).length <= 255 ? fileName : undefined };
    try {
      const { data: job } = await post(`/api/v1/taskings/${t.ref}/dataset-jobs`, body);
      let j = job;
      while (j.state === 'running') {
        progress.textContent = `${words(j.phase || 'queued')}${j.total ? `: ${j.done} of ${j.total}` : ''}…`;
        await sleep(400);
        j = (await get(`/api/v1/jobs/${job.id}`)).data;
      }
      progress.textContent = '';
      if (j.state === 'failed') {
        showProblem(form, { status: 400, detail: byField(j.error?.detail || 'the import failed; nothing was stored') });
        return;
      }
      await reload();
      status.textContent = `${j.result?.ref || 'The dataset'} imported. ${resolutionText(j.result?.resolution)}`;
    } catch (err) {
      progress.textContent = '';
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, { ...err, detail: byField(err.detail) });
    }
  });
  return form;
}

// The server names the file "file" and a column's role "field": this form's fields are the
// file (csv) and the roles (fields), so its message goes by them (review 70).
function byField(detail) {
  return String(detail).replace(/^file:/, 'csv:').replace(/^field(\[\d+\])?:/, 'fields:').replace(/^grade:/, 'source:');
}
