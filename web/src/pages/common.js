import { h } from '../dom.js';
import { time, words, label, date } from '../format.js';
import { fetchFile, offerFile, ApiError } from '../api.js';

// A control that downloads path (a GET of the API) as filename: fetched with the session's CSRF
// token (the server refuses the cookie alone), then handed to the browser. A failure is shown
// beside the link.
export function fileLink(text, path, filename) {
  const note = h('span', { class: 'error', role: 'alert' });
  // a button, not a link to the API: opened in a new tab or saved, such a link went without
  // the CSRF token and got a 403 page (review 46)
  const a = h('button', { type: 'button', class: 'file-link', title: `Download ${filename}` }, text);
  a.addEventListener('click', async (ev) => {
    ev.preventDefault();
    note.textContent = '';
    try {
      const f = await fetchFile('GET', path);
      offerFile(f.blob, filename || f.filename);
    } catch (err) {
      note.textContent = err instanceof ApiError ? err.detail : `The download failed: ${err.message}`;
    }
  });
  return h('span', {}, a, ' ', note);
}

export function stateBadge(state) {
  return h('span', { class: `state state-${state}` }, label(state));
}

export function table(caption, columns, rows, empty = 'None.') {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('table', {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(([title]) => h('th', { scope: 'col' },
      title || h('span', { class: 'visually-hidden' }, 'Actions'))))), // no empty header (review 70)
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(r)))))));
}

export function taskingTable(caption, rows, extra = []) {
  return table(caption, [
    ['Tasking', (t) => h('a', { href: `#/tasking/${t.ref}` }, t.ref)],
    ['Threat', (t) => [t.threat_title || t.threat, h('br'), h('small', {}, `${t.threat} · ${words(t.type)}`)]],
    ['State', (t) => stateBadge(t.state)],
    ['Owner (holds the risk)', (t) => [t.owner, t.sio ? h('small', {}, ` SIO ${t.sio}`) : null]],
    ['Requested by', (t) => t.requesting_agency],
    ['Urgency', (t) => words(t.urgency)],
    ['Since', (t) => time(t.state_since)],
    ...extra,
  ], rows, 'Nothing here.');
}

const WHOSE = { sia: 'the SIA\u2019s', team: 'the TOEX team\u2019s', gateway: 'the Gateway\u2019s' };

export function dueTable(items) {
  return table(null, [
    ['Tasking', (d) => h('a', { href: `#/tasking/${d.tasking}` }, d.tasking)],
    ['What', (d) => `${words(d.kind)}: ${words(d.name)}`],
    ['Due', (d) => date(d.due)],
    ['', (d) => d.overdue ? h('span', { class: 'overdue' }, `overdue by ${-d.days_left} days`) : `in ${d.days_left} days`],
    ['Whose', (d) => d.yours ? 'yours' : (WHOSE[d.whose] || d.whose || '—')],
  ], items, 'Nothing due.');
}

export function section(title, ...children) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
}

// The links between the views of a tasking's picture (the datasets page is in the main chunk;
// the network and flows pages, with Cytoscape, are loaded when opened: review 109 M8).
export function subNav(ref, here) {
  const links = [['datasets', 'Datasets'], ['network', 'Network'], ['money', 'Money flows'], ['timeline', 'Timeline']];
  return h('nav', { class: 'subnav', 'aria-label': 'Views of the picture' },
    h('a', { href: `#/tasking/${ref}` }, `Back to ${ref}`),
    links.map(([k, t]) => h('a', { href: `#/tasking/${ref}/${k}`, 'aria-current': k === here ? 'page' : null }, t)),
    h('a', { href: `#/tasking/${ref}/review` }, 'Near matches'));
}
