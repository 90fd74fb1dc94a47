// The network page of a tasking's picture (issue 18 point 5): Cytoscape.js with the fcose
// layout over the entities and links the reader may see (GET …/entities and …/links), an icon
// and a shape by entity type, link labels, node size by PageRank (graph/central) and colour
// by community (graph/communities); a node's sources and grade (GET /api/v1/entities/{ref});
// ego and path views (graph/ego, graph/path); a filter by entity type, period and link grade
// (netfilter.js: the analyses' own filter, kept in the address); exports: ANX, GraphML and CSV
// through the export route (the whole picture: it takes no filter), and a PNG of what is shown
// with the page's marking drawn into it, logged through POST …/export/png before it is offered. Every call is the JSON API's; the banner's marking
// comes from its answers.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { all, analysis, get, post, fetchFile, offerFile, ApiError } from '../api.js';
import { h, clear, fill, field, formValues, showProblem, nextId, submitOnce } from '../dom.js';
import { noteConditions, pageMarking, pageConditions } from '../marking.js';
import { section, table, dl, subNav } from './common.js';

export { subNav };
import { time, date, words } from '../format.js';
import { parseFilter, filterBody, filterForm, filterSummary, isFiltered, linkKept } from './netfilter.js';

cytoscape.use(fcose);
// Cytoscape inserts a <style> element for its container unless an element with this id
// exists; the Content-Security-Policy forbids inline styles, so app.css holds that rule
// (.__________cytoscape_container) and this placeholder stops the insertion.
if (!document.getElementById('__________cytoscape_stylesheet')) {
  const m = document.createElement('meta');
  m.id = '__________cytoscape_stylesheet';
  m.name = 'cytoscape-container-style';
  m.content = 'in app.css';
  document.head.append(m);
}

export const TYPES = {
  person: 'ellipse', organisation: 'round-rectangle', address: 'round-pentagon', phone: 'round-tag',
  vehicle: 'barrel', account: 'rectangle', location: 'round-diamond', online_identity: 'round-hexagon',
  event: 'round-octagon',
};
const SHAPE_WORDS = { ellipse: 'circle', 'round-rectangle': 'rounded square', 'round-pentagon': 'pentagon',
  'round-tag': 'tag', barrel: 'barrel', rectangle: 'square', 'round-diamond': 'diamond',
  'round-hexagon': 'hexagon', 'round-octagon': 'octagon' };
// Colour by community: the Okabe–Ito palette and further distinct colours; beyond them, grey.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#8C6D1F',
  '#6A3D9A', '#B15928', '#1B9E77', '#E7298A', '#66A61E', '#7570B3', '#A6761D', '#E6AB02', '#1F78B4'];
const OTHER = '#9AA0A6';

export function iconOf(type) { return `/assets/icons/${TYPES[type] ? type : 'event'}.svg`; }

export function graphStyle() {
  return [
    { selector: 'node', style: {
      'background-color': 'data(colour)', width: 'data(size)', height: 'data(size)', shape: 'data(shape)',
      'background-image': 'data(icon)', 'background-fit': 'none', 'background-width': '62%',
      'background-height': '62%', 'background-clip': 'none', 'border-width': 1, 'border-color': '#1b1b1b',
      label: 'data(label)', 'font-size': 9, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#1b1b1b',
      'text-background-color': '#ffffff', 'text-background-opacity': 0.75, 'text-background-padding': 1,
      'min-zoomed-font-size': 7 } },
    { selector: 'edge', style: {
      width: 1.3, 'line-color': '#7d858d', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 7,
      'text-rotation': 'autorotate', color: '#3d4349', 'min-zoomed-font-size': 9,
      'text-background-color': '#ffffff', 'text-background-opacity': 0.7 } },
    { selector: 'edge[?directed]', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': '#7d858d',
      'arrow-scale': 0.8 } },
    { selector: 'node:selected', style: { 'border-width': 5, 'border-color': '#ffbf47' } },
    { selector: '.centre', style: { 'border-width': 4, 'border-color': '#a4161a' } },
    { selector: 'edge.hl', style: { width: 3.5, 'line-color': '#a4161a', 'target-arrow-color': '#a4161a' } },
    { selector: '.off', style: { display: 'none' } },
  ];
}

// Cytoscape caches where its container is on the screen and forgets it on a scroll of the
// container's ancestors as they were when it started. When it started before the page was in
// the document, a scroll of the window left clicks landing off their node; it now starts once
// the page is shown, and pointing into the chart still refreshes the cache (cy.resize: the
// public way) in case the layout of the page moves the chart without a scroll.
export function keepCoords(cy, box) {
  for (const ev of ['pointerenter', 'pointerdown', 'wheel']) box.addEventListener(ev, () => cy.resize(), { capture: true, passive: true });
}

// fcose's node positions for element definitions (Cytoscape JSON: nodes with data.size, edges
// whose ends are among the nodes), computed on a headless instance styled with the node sizes
// only: the layout fcose makes of the drawn chart (labels are not part of a node's size there
// either), without measuring every label for the bounding boxes it asks for. A Map id → {x, y}.
export function layoutPositions(elements, n, options = {}) {
  const hc = cytoscape({ headless: true, styleEnabled: true, elements,
    style: [{ selector: 'node', style: { width: 'data(size)', height: 'data(size)', shape: 'data(shape)' } },
      { selector: 'edge', style: { 'curve-style': 'haystack' } }] });
  hc.layout({ ...layoutOf(n), ...options, fit: false }).run();
  const pos = new Map();
  hc.nodes().forEach((x) => { const p = x.position(); pos.set(x.id(), { x: p.x, y: p.y }); });
  hc.destroy();
  return pos;
}

// Cytoscape's fit without its bounding boxes (which measure every label and edge: about half a
// second for the demo picture, before the first paint measures them again): the viewport that
// shows every node ({x, y, size}: its position and diameter, with room for its label below)
// with a margin of padding pixels.
export function fitNodes(cy, nodes, padding) {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const n of nodes) {
    const r = (n.size || 30) / 2;
    x1 = Math.min(x1, n.x - r); x2 = Math.max(x2, n.x + r);
    y1 = Math.min(y1, n.y - r); y2 = Math.max(y2, n.y + r + 14);
  }
  if (!(x2 > x1)) return;
  const w = Math.max(1, cy.width() - 2 * padding), hgt = Math.max(1, cy.height() - 2 * padding);
  const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min(w / (x2 - x1), hgt / (y2 - y1))));
  cy.viewport({ zoom, pan: { x: padding + (w - zoom * (x2 - x1)) / 2 - zoom * x1,
    y: padding + (hgt - zoom * (y2 - y1)) / 2 - zoom * y1 } });
}

export function layoutOf(n) {
  return { name: 'fcose', quality: n > 1500 ? 'draft' : 'default', randomize: true, animate: false, fit: true,
    padding: 24, packComponents: true, nodeRepulsion: 6500, idealEdgeLength: 70, nodeSeparation: 60 };
}

// The chart as a PNG with the marking (and the handling conditions of C content) drawn into
// it above and below, and a caption: a Blob. The image travels as base64 in a JSON body to
// POST …/export/png, whose own body limit (11,250,348 bytes, docs/api.md) takes an 8 MiB PNG:
// the chart is drawn up to 4800 x 3600 pixels (labels readable when printed on A3) and only
// drawn smaller if the PNG would pass PNG_BUDGET.
export const PNG_BUDGET = 7 * 1024 * 1024; // bytes of PNG: under the route's 8 MiB, base64 included
export const PNG_MAX = [4800, 3600];
export async function markedPng(cy, caption) {
  let [w, hgt] = PNG_MAX, blob;
  for (let i = 0; i < 8; i++) {
    blob = await composePng(cy, caption, w, hgt);
    if (blob.size <= PNG_BUDGET) break;
    w = Math.round(w * 0.8);
    hgt = Math.round(hgt * 0.8);
  }
  return blob;
}

async function composePng(cy, caption, maxWidth, maxHeight) {
  const marking = pageMarking();
  const conditions = pageConditions();
  // full: the elements shown (display: none ones, outside an ego or path view, have no box),
  // scaled to fit maxWidth x maxHeight
  const shot = cy.png({ output: 'blob', full: true, bg: '#ffffff', maxWidth, maxHeight });
  const img = await createImageBitmap(shot);
  // bands and text in proportion to the image (20 px type on a 1400 px wide picture)
  const u = Math.max(1, Math.min(img.width, maxWidth) / 1400);
  const band = Math.round(36 * u);
  const condH = conditions.length ? Math.round(22 * u) : 0;
  const capH = Math.round(24 * u);
  const pad = Math.round(20 * u);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(img.width + 2 * pad, 720);
  canvas.height = img.height + 2 * band + condH + capH + pad;
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  const colour = marking === 'OFFICIAL-SENSITIVE' ? '#8a1c1c' : '#2e5e2e';
  const bandAt = (y) => {
    g.fillStyle = colour;
    g.fillRect(0, y, canvas.width, band);
    g.fillStyle = '#ffffff';
    g.font = `bold ${Math.round(20 * u)}px "DejaVu Sans", sans-serif`;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(marking, canvas.width / 2, y + band / 2);
  };
  bandAt(0);
  g.fillStyle = '#1b1b1b';
  g.font = `${Math.round(13 * u)}px "DejaVu Sans", sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  if (condH) g.fillText(`Handling C: ${conditions.join('; ')}`, canvas.width / 2, band + condH / 2);
  g.drawImage(img, (canvas.width - img.width) / 2, band + condH + pad / 2);
  g.fillStyle = '#3d4349';
  g.fillText(caption, canvas.width / 2, canvas.height - band - capH / 2);
  bandAt(canvas.height - band);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG: the browser made no image'))), 'image/png'));
}

export function clearProblem(form) {
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const g = form.querySelector('.form-error');
  if (g) clear(g);
}

function base64Of(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}


// The export form: recipient and purpose (both logged), one button per format. `png()` makes
// the image (a Blob) and says what it shows.
export function exportPanel(ref, png, note) {
  const status = h('div', { class: 'export-status', role: 'status', 'data-testid': 'export-status' });
  const form = h('form', { class: 'action-form export', novalidate: true },
    h('div', { class: 'form-error', role: 'alert' }),
    h('p', { class: 'hint' }, 'Every export is a disclosure: it is logged with who receives it and why, ',
      'and carries the marking of what it holds.'),
    note ? h('p', { class: 'notice', 'data-testid': 'export-note' }, note) : null,
    field({ label: 'Recipient', name: 'recipient', required: true, hint: 'Who receives the export (logged).' }),
    field({ label: 'Purpose', name: 'purpose', type: 'textarea', rows: 2, hint: 'Why it is disclosed (logged).' }),
    h('div', { class: 'buttons' },
      [['anx', 'Export ANX (i2)'], ['graphml', 'Export GraphML'], ['csv', 'Export CSV'], ['png', 'Export PNG']]
        .map(([f, t]) => h('button', { type: 'submit', name: 'format', value: f, 'data-format': f }, t))));
  submitOnce(form, async (e) => {
    e.preventDefault();
    const format = e.submitter?.value || 'csv';
    const v = formValues(form);
    if (!v.recipient.trim()) { showProblem(form, { detail: 'recipient: required (who receives the export)' }); return; }
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    fill(status, 'Exporting…');
    try {
      let done;
      if (format === 'png') {
        const { blob, view } = await png();
        const { data } = await post(`/api/v1/taskings/${ref}/export/png`, {
          png: await base64Of(blob), marking: pageMarking(), recipient: v.recipient, purpose: v.purpose || undefined, view });
        offerFile(blob, data.filename);
        done = `${data.filename}: ${data.size} bytes, marked ${data.marking}, SHA-256 ${data.sha256}`;
      } else {
        const f = await fetchFile('POST', `/api/v1/taskings/${ref}/export`,
          { format, recipient: v.recipient, purpose: v.purpose || undefined });
        offerFile(f.blob, f.filename);
        done = `${f.filename}: ${f.blob.size} bytes, marked ${f.marking || '—'}`;
      }
      clearProblem(form);
      fill(status, h('p', {}, h('strong', {}, 'Exported and logged. '), done));
    } catch (err) {
      clear(status);
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
  return h('div', {}, form, status);
}

function entityOptions(entities) {
  return [...entities].sort((a, b) => (a.label || a.ref).localeCompare(b.label || b.ref))
    .map((e) => {
      // what tells two of one name apart (review 66: "Adam Jones (ENT-000581)" and "Adam Jones
      // (ENT-243926)" looked the same): how many sources, when seen
      const n = Array.isArray(e.sources) ? `, ${e.sources.length} source${e.sources.length === 1 ? '' : 's'}` : '';
      const seen = e.first_seen ? `, seen ${date(e.first_seen)}${e.last_seen && e.last_seen !== e.first_seen ? ` to ${date(e.last_seen)}` : ''}` : '';
      return [e.ref, `${e.label || e.ref} (${words(e.type)}, ${e.ref}${n}${seen})`];
    });
}

function sourceText(s) {
  return s.kind === 'record'
    ? `Record ${s.record}: ${s.label || '—'}${s.seen ? `, seen ${date(s.seen)}` : ''} (dataset ${s.dataset}, row ${s.row}, id ${s.record_id})`
    : `Intelligence item ${s.item}`;
}

// The panel of one entity: what GET /api/v1/entities/{ref} answers.
async function entityPanel(panel, ref, names, actions) {
  fill(panel, h('p', {}, `Loading ${ref}…`));
  const { data: e } = await get(`/api/v1/entities/${ref}`);
  if (e.grade?.handling === 'C' && e.grade.conditions) noteConditions(e.grade.conditions);
  for (const s of e.sources || []) if (s.grade?.handling === 'C' && s.grade.conditions) noteConditions(s.grade.conditions);
  const id = nextId('ent');
  fill(panel, 
    h('h2', { id }, e.label || e.ref),
    dl([['Reference', e.ref], ['Type', words(e.type)], ['Grade', e.grade?.display], ['Marking', e.marking],
      e.key ? ['Identifier', e.key] : null, ['Confidence', `${Math.round(e.confidence * 1000) / 10}%`],
      ['First seen', date(e.first_seen?.slice(0, 10))], ['Last seen', date(e.last_seen?.slice(0, 10))],
      ['Review by', date(e.review_date)]]),
    h('h3', {}, `Sources (${e.sources.length})`),
    table(null, [['Source', sourceText], ['Says', (s) => s.label], ['Grade', (s) => s.grade?.display],
      ['Marking', (s) => s.marking], ['Seen', (s) => date(s.seen?.slice(0, 10))]], e.sources, 'No source you may see.'),
    h('h3', {}, `Links (${(e.links || []).length})`),
    table(null, [['Type', (l) => words(l.type)],
      ['Other end', (l) => { const o = l.from === e.ref ? l.to : l.from; return `${names.get(o) || o} (${o})`; }],
      ['Grade', (l) => l.grade?.display], ['Sources', (l) => String(l.sources.length)]], e.links || [], 'No link you may see.'),
    actions(e));
  panel.setAttribute('data-entity', e.ref);
  panel.setAttribute('aria-labelledby', id);
}

// The states in which a tasking has ended (nothing more is recorded on it).
const ENDED_STATES = new Set(['closed', 'rejected', 'declined', 'withdrawn']);
// The states in which its team works on it (docs/domain.md §1: record_intel, merge and split).
const WORK_STATES = new Set(['tor_agreed', 'in_development', 'reassessment']);

// The most entities the page draws (Cytoscape's layout in the browser: a few seconds at this size).
const DRAW_MAX = 5000;

export async function networkPage(ctx) {
  const ref = ctx.args[0];
  const t0 = performance.now();
  const f = parseFilter(ctx.query, Object.keys(TYPES));
  const fb = filterBody(f);
  // the analyses with the filter: a filter the API refuses (from the address) is shown on the form
  // one after another: a server runs one analysis per user at a time (review 111 M2)
  const analysesOf = () => (async () => [
    await analysis(`/api/v1/taskings/${ref}/graph/central`, { ...fb, top: 10000 }),
    await analysis(`/api/v1/taskings/${ref}/graph/communities`, fb),
    await analysis(`/api/v1/taskings/${ref}/graph/stats`, fb),
  ])().then((r) => ({ r }), (err) => { if (err instanceof ApiError && err.status === 400) return { err }; throw err; });
  // a picture too large to draw whole is not read whole either (review 66: 243,000 entities,
  // 490 pages read one after another, the page blank for minutes): past DRAW_MAX entities the
  // page says so, and where to go instead
  const firstPage = (await get(`/api/v1/taskings/${ref}/entities`, { limit: 1000 })).data;
  let entities = firstPage.items;
  for (let after = firstPage.next; after && entities.length <= DRAW_MAX;) {
    const { data } = await get(`/api/v1/taskings/${ref}/entities`, { limit: 1000, after });
    entities = entities.concat(data.items);
    after = data.next;
  }
  if (entities.length > DRAW_MAX) {
    return h('div', { class: 'network-page' }, h('h1', {}, `${ref}: network`), subNav(ref, 'network'),
      h('p', { class: 'too-large', role: 'status', 'data-testid': 'too-large' },
        `This picture holds more than ${DRAW_MAX.toLocaleString('en-GB')} entities you may see: too many to draw `,
        'and read at once in a browser. Export it for i2 Analyst\u2019s Notebook or Gephi (iom export anx|graphml, ',
        `or POST /api/v1/taskings/${ref}/export), search it from the header, or work from its `,
        h('a', { href: `#/tasking/${ref}/datasets` }, 'datasets'), ' and ',
        h('a', { href: `#/tasking/${ref}/review` }, 'near matches'), '.'));
  }
  // nothing to draw (no dataset imported yet, or none of its entities this reader is cleared
  // for): said so, with the way to a picture, and no export of an empty one (review 109 L11: an
  // empty chart, zero counts and export buttons that worked)
  if (!entities.length) {
    const ex = exportPanel(ref, async () => null);
    for (const el of ex.querySelectorAll('button, input, textarea')) el.disabled = true;
    return h('div', { class: 'network-page' }, h('h1', {}, `${ref}: network`), subNav(ref, 'network'),
      h('p', { class: 'notice empty-picture', role: 'status', 'data-testid': 'network-empty' },
        'No picture yet: no entity you may see. Import a dataset on the ',
        h('a', { href: `#/tasking/${ref}/datasets` }, 'Datasets'), ' page, or record intelligence on the tasking; ',
        'entities of datasets marked above your clearance are not shown.'),
      section('Export', h('p', { class: 'hint' }, 'Nothing to export until the picture holds an entity.'), ex));
  }
  // the tasking's own view: whether it takes merges and splits from this user now (its
  // `actions`, as the datasets page decides its import form, without reading the bid: review 93
  // L5); unread, none are offered
  const [links, got, tasking] = await Promise.all([all(`/api/v1/taskings/${ref}/links`, {}, 50000), analysesOf(),
    get(`/api/v1/taskings/${ref}/actions`).then((r) => r.data, (err) => { if (err instanceof ApiError) return null; throw err; })]);
  const fetched = performance.now() - t0;
  for (const x of [...entities, ...links]) if (x.grade?.handling === 'C' && x.grade.conditions) noteConditions(x.grade.conditions);
  const typeCounts = {};
  for (const t of Object.keys(TYPES)) typeCounts[t] = 0;
  for (const e of entities) typeCounts[e.type] = (typeCounts[e.type] || 0) + 1;
  const check = (next) => analysis(`/api/v1/taskings/${ref}/graph/stats`, filterBody(next));
  const filter = filterForm({ ref, f, typeCounts, check, go: ctx.go });
  if (got.err) {
    const page = h('div', { class: 'network-page' }, h('h1', {}, `${ref}: network`), subNav(ref, 'network'), filter);
    showProblem(filter, got.err);
    return page;
  }
  const [central, communities, stats] = got.r;
  // what the API's filter keeps: every entity is in one community; a link, when both its ends
  // are kept and it passes the grade and the period (checked against graph/stats below)
  const kept = new Set();
  for (const c of communities.data.communities) for (const m of c.members) kept.add(m.ref);
  const shownEntities = entities.filter((e) => kept.has(e.ref));
  const shownLinks = links.filter((l) => kept.has(l.from) && kept.has(l.to) && linkKept(l, f));
  const apiLinks = stats.data.links;
  const names = new Map(entities.map((e) => [e.ref, e.label || e.ref]));
  const rank = new Map(central.data.items.map((c) => [c.entity.ref, c.pagerank]));
  const maxRank = Math.max(1e-9, ...rank.values());
  const community = new Map();
  const comms = [...communities.data.communities].sort((a, b) => b.size - a.size);
  comms.forEach((c, i) => c.members.forEach((m) => community.set(m.ref, i)));
  const colourOf = (r) => { const i = community.get(r); return i !== undefined && i < PALETTE.length ? PALETTE[i] : OTHER; };
  const filtered = isFiltered(f);
  const filterText = filtered ? [f.types.length ? `types ${f.types.join(',')}` : null,
    f.from || f.to ? `period ${f.from || '…'} to ${f.to || '…'}` : null, f.grade ? `links ${f.grade} or better${f.gradeAny ? " (by any one source)" : ""}` : null, f.hideIsolated ? 'no entity without a link' : null]
    .filter(Boolean).join('; ') : '';
  const viewLine = (v) => (filtered ? `${v}; ${filterText}` : v).slice(0, 200);

  const status = h('p', { class: 'graph-status', role: 'status', 'data-testid': 'graph-status' }, 'Drawing the network…');
  const box = h('div', { class: 'cy', id: 'network', role: 'img', 'data-testid': 'network',
    'aria-label': `Network chart of ${shownEntities.length} entities and ${shownLinks.length} links of ${ref}` +
      `${filtered ? ` (filtered: ${filterText})` : ''}. ` +
      'Choose an entity in the form beside it to read its sources.' });
  const panel = h('section', { class: 'entity-panel card', 'data-testid': 'entity-panel', 'aria-live': 'polite' },
    h('p', {}, 'Select an entity (click a node, or choose it below) to see its sources and grade.'));

  const page = h('div', { class: 'network-page' },
    h('h1', {}, `${ref}: network`),
    subNav(ref, 'network'),
    h('p', { class: 'lede' }, `${entities.length} entities and ${links.length} links you may see. `,
      'Shape and icon: entity type; size: PageRank; colour: community ',
      `(${words(communities.data.method)}, ${communities.data.count} communities, modularity `,
      `${Number(communities.data.modularity).toFixed(2)}${filtered ? ', in the filtered network' : ''}).`),
    filterSummary(f, { entities: shownEntities.length, links: shownLinks.length }, { entities: entities.length, links: links.length }),
    status);
  const note = sessionStorage.getItem('iom.network.note'); // what a merge or split just did
  if (note) {
    sessionStorage.removeItem('iom.network.note');
    page.insertBefore(h('p', { class: 'notice', role: 'status', 'data-testid': 'curation-done' }, note), status);
  }
  if (shownLinks.length !== apiLinks) {
    // the page's reading of the filter and the API's disagree: say so rather than hide it
    page.append(h('p', { class: 'notice', role: 'alert', 'data-testid': 'filter-mismatch' },
      `The API's filter keeps ${apiLinks} links; this page draws ${shownLinks.length}.`));
  }

  const elements = [
    ...shownEntities.map((e) => ({ group: 'nodes', data: { id: e.ref, label: e.label || e.ref, type: e.type,
      shape: TYPES[e.type] || 'ellipse', icon: iconOf(e.type), colour: colourOf(e.ref),
      size: Math.round(18 + 40 * Math.sqrt((rank.get(e.ref) || 0) / maxRank)) } })),
    ...shownLinks.map((l) => ({ group: 'edges', data: { id: l.ref, source: l.from, target: l.to, label: words(l.type),
      directed: !!l.directed, grade: `${l.grade?.source || ''}${l.grade?.assessment || ''}` } })),
  ];

  // the controls: view (whole, ego, path), zoom, one entity's details
  const opts = entityOptions(shownEntities);
  const viewForm = h('form', { class: 'graph-controls', novalidate: true, 'data-testid': 'view-form' },
    h('div', { class: 'form-error', role: 'alert' }),
    field({ label: 'View', name: 'view', type: 'select', value: 'all',
      options: [['all', 'Whole network'], ['ego', 'Ego network of an entity'], ['path', 'Shortest paths between two entities']] }),
    field({ label: 'Entity (ego centre or path start)', name: 'entity', type: 'select', options: [['', 'choose…'], ...opts] }),
    field({ label: 'Steps from the centre (ego)', name: 'k', type: 'number', value: 1, min: 1, max: 6 }),
    field({ label: 'Other entity (path end)', name: 'other', type: 'select', options: [['', 'choose…'], ...opts] }),
    h('button', { type: 'submit' }, 'Show'));
  const pick = h('form', { class: 'graph-pick', novalidate: true },
    field({ label: 'Read an entity\u2019s sources', name: 'pick', type: 'select', options: [['', 'choose…'], ...opts] }),
    h('button', { type: 'submit', class: 'secondary' }, 'Show its sources'));
  const zoom = h('div', { class: 'zoom', role: 'group', 'aria-label': 'Zoom' },
    h('button', { type: 'button', class: 'secondary small', 'data-zoom': 'in' }, 'Zoom in'),
    h('button', { type: 'button', class: 'secondary small', 'data-zoom': 'out' }, 'Zoom out'),
    h('button', { type: 'button', class: 'secondary small', 'data-zoom': 'fit' }, 'Fit'));

  const legend = h('div', { class: 'legend' },
    h('h2', {}, 'Legend'),
    h('ul', { class: 'types' }, Object.entries(TYPES).map(([t, s]) => h('li', {},
      h('img', { src: iconOf(t), alt: '', width: 20, height: 20 }), ` ${words(t)}: ${SHAPE_WORDS[s]}`))),
    h('ul', { class: 'communities' }, comms.slice(0, PALETTE.length).map((c, i) => {
      const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.backgroundColor = PALETTE[i];
      return h('li', {}, sw, ` community ${c.community}: ${c.size} entities`);
    }), comms.length > PALETTE.length ? h('li', {}, (() => { const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' }); sw.style.backgroundColor = OTHER; return sw; })(),
      ` ${comms.length - PALETTE.length} smaller communities`) : null));

  let viewText = viewLine('network');
  page.append(
    h('div', { class: 'graph-layout' },
      h('div', { class: 'graph-main' }, zoom, box),
      h('div', { class: 'graph-side' }, filter, viewForm, pick, legend)),
    panel,
    section('Export', exportPanel(ref, async () => {
      if (!cy) throw new ApiError(0, { detail: 'format: the network is still being drawn; try again in a moment' });
      return { blob: await markedPng(cy, `${ref} · ${viewText} · ${time(new Date().toISOString())}`), view: viewText };
    },
      filtered ? 'The PNG shows the filtered view. ANX, GraphML and CSV hold the whole picture you may see: the export route takes no filter.' : null)));

  // Once the page is shown (the router attaches it after this returns) with its status line,
  // the layout runs on a headless copy (layoutPositions), then Cytoscape starts with the nodes
  // where the layout put them and the viewport fitted from their positions (fitNodes). Created
  // before the page was shown, it drew (and cached the textures of) every element at the origin
  // in a frame before the layout; fcose on the styled chart, and Cytoscape's fit, measured every
  // label and edge, which the first paint does again. Until then the controls wait (`cy` is null).
  let cy = null;
  // times of the first drawing (data-timing, reported by the browser test)
  const timing = { fetch: Math.round(fetched), prepare: Math.round(performance.now() - t0 - fetched) };
  const start = () => {
    const t = performance.now();
    const first = layoutPositions(elements, shownEntities.length);
    for (const e of elements) if (e.group === 'nodes') e.position = first.get(e.data.id);
    timing.layout = Math.round(performance.now() - t);
    cy = cytoscape({ container: box, elements, layout: { name: 'preset', fit: false }, style: graphStyle(), minZoom: 0.05, maxZoom: 4,
      pixelRatio: 1, headless: false, styleEnabled: true });
    keepCoords(cy, box);
    box.cy = cy; // for the browser tests (tests/web/ui.test.mjs): node positions to click
    cy.on('tap', 'node', (ev) => select(ev.target.id()));
  };
  // a view (ego, path, the whole network again): laid out headless, moved, fitted, then two
  // frames for the paint
  const painted = (t, done) => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));
  const draw = (eles, done) => {
    const t = performance.now();
    const pos = layoutPositions(eles.jsons(), eles.nodes().length);
    cy.batch(() => eles.nodes().forEach((n) => { const p = pos.get(n.id()); if (p) n.position(p); }));
    fitNodes(cy, eles.nodes().map((n) => ({ ...n.position(), size: n.data('size') })), 24);
    painted(t, done);
  };
  const mounted = () => new Promise((resolve) => {
    const until = performance.now() + 10000; // a page replaced before it was shown: give up
    const check = () => {
      if (box.isConnected && box.clientWidth > 0) resolve();
      else if (performance.now() < until) requestAnimationFrame(check);
    };
    check();
  });

  const panelActions = (e) => h('div', {},
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'secondary', onclick: () => {
        viewForm.elements.view.value = 'ego';
        viewForm.elements.entity.value = e.ref;
        viewForm.requestSubmit();
      } }, `Ego network of ${e.label || e.ref}`)),
    curates ? curation(e) : curationClosed());
  // merge and split are changes to the picture (record_intel): offered only where the tasking
  // takes them from this user now (review 90 L5: offered on a closed tasking, then refused 409)
  const curates = new Set(tasking?.actions || []).has('record_intel');
  const curationClosed = () => {
    if (curates || !ctx.hasRole('analyst', 'ido', 'dia', 'researcher', 'sia')) return null;
    const why = !tasking ? 'the tasking could not be read'
      : ENDED_STATES.has(tasking.state) ? `${ref} has ended (${words(tasking.state)}): its picture is kept as it was`
        : WORK_STATES.has(tasking.state) ? `only the TOEX team of ${ref} merges or splits its entities`
          : `${ref} is ${words(tasking.state)}: entities are merged or split while its TOEX team works on it`;
    return h('p', { class: 'notice', 'data-testid': 'curation-closed' }, `No merge or split here: ${why}.`);
  };
  // Merge another entity into this one, or take a record out of it (POST /api/v1/entities/{ref}/
  // merge and /split), each with a reason; the API keeps the decision on every later import and
  // refuses what the tasking's state or the actor's part does not allow (shown by the form).
  const curation = (e) => {
    const records = (e.sources || []).filter((x) => x.kind === 'record');
    const others = entityOptions(entities.filter((x) => x.type === e.type && x.ref !== e.ref));
    const act = (form, path, body, done) => submitOnce(form, async (ev) => {
      ev.preventDefault();
      clearProblem(form);
      const v = formValues(form);
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        const { data } = await post(path(v), body(v));
        done(data, v);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        button.disabled = false;
        showProblem(form, err);
      }
    });
    const after = (text) => {
      sessionStorage.setItem('iom.network.note', text);
      ctx.go(location.hash.slice(1)); // the network again, redrawn from the API
    };
    const split = h('form', { class: 'action-form', 'data-action': 'split', novalidate: true },
      h('h3', {}, 'Split a record out'),
      h('div', { class: 'form-error', role: 'alert' }),
      field({ label: 'Record that is someone else', name: 'record', type: 'select',
              options: [['', 'choose…'], ...records.map((x) => [x.record, sourceText(x)])] }),
      field({ label: 'Reason for the split', name: 'reason', type: 'textarea', rows: 2 }),
      h('button', { type: 'submit', class: 'secondary' }, 'Split it out'));
    act(split, () => `/api/v1/entities/${e.ref}/split`, (v) => ({ record: v.record, reason: v.reason }),
      (data, v) => after(`${v.record} split out of ${e.ref}; the decision is kept on every later import.`));
    const merge = h('form', { class: 'action-form', 'data-action': 'merge', novalidate: true },
      h('h3', {}, `Merge another ${words(e.type)} into this one`),
      h('div', { class: 'form-error', role: 'alert' }),
      field({ label: 'The same as', name: 'other', type: 'select', options: [['', 'choose…'], ...others] }),
      field({ label: 'Reason for the merge', name: 'reason', type: 'textarea', rows: 2 }),
      h('button', { type: 'submit', class: 'secondary' }, 'Merge'));
    act(merge, () => `/api/v1/entities/${e.ref}/merge`, (v) => ({ other: v.other, reason: v.reason }),
      (data, v) => after(`${v.other} merged into ${data.ref || e.ref}; the decision is kept on every later import.`));
    return h('section', { class: 'curation', 'aria-label': 'Merge or split' }, split, merge);
  };
  const select = async (r) => {
    cy.$(':selected').unselect();
    const n = cy.getElementById(r);
    if (n.nonempty()) { n.select(); }
    try { await entityPanel(panel, r, names, panelActions); } catch (err) {
      fill(panel, h('p', { role: 'alert', class: 'error' }, err instanceof ApiError ? err.detail : String(err)));
    }
  };
  pick.addEventListener('submit', (e) => {
    e.preventDefault();
    const r = pick.elements.pick.value;
    if (!cy) return;
    if (r) { const n = cy.getElementById(r); if (n.nonempty() && !n.hasClass('off')) cy.animate({ center: { eles: n }, duration: 0 }); select(r); }
  });
  zoom.addEventListener('click', (e) => {
    const z = e.target.closest('button')?.dataset.zoom;
    if (!cy) return;
    if (z === 'fit') cy.fit(cy.elements(':visible'), 24);
    else if (z) cy.zoom({ level: cy.zoom() * (z === 'in' ? 1.4 : 1 / 1.4), renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } });
  });

  const showOnly = (nodeRefs, linkRefs, centre) => {
    cy.batch(() => {
      cy.elements().removeClass('off hl centre');
      if (nodeRefs) {
        const keep = new Set(nodeRefs);
        cy.nodes().forEach((n) => { if (!keep.has(n.id())) n.addClass('off'); });
        const hl = new Set(linkRefs || []);
        cy.edges().forEach((ed) => {
          if (ed.source().hasClass('off') || ed.target().hasClass('off')) ed.addClass('off');
          else if (hl.has(ed.id())) ed.addClass('hl');
        });
        for (const c of centre || []) cy.getElementById(c).addClass('centre');
      }
    });
  };
  submitOnce(viewForm, async (e) => {
    e.preventDefault();
    const v = formValues(viewForm);
    clearProblem(viewForm);
    if (!cy) { showProblem(viewForm, { detail: 'view: the network is still being drawn' }); return; }
    try {
      if (v.view === 'all') {
        showOnly(null);
        viewText = viewLine('network');
      } else if (v.view === 'ego') {
        if (!v.entity) { showProblem(viewForm, { detail: 'entity: choose the centre of the ego network' }); return; }
        const { data } = await analysis(`/api/v1/taskings/${ref}/graph/ego`, { ...fb, entity: v.entity, k: Number(v.k) || 1 });
        showOnly(data.entities.map((x) => x.entity.ref), data.links.map((l) => l.ref), [v.entity]);
        viewText = viewLine(`ego ${v.entity} k ${data.k}`);
      } else {
        if (!v.entity || !v.other) { showProblem(viewForm, { detail: 'other: choose both ends of the path' }); return; }
        const { data } = await analysis(`/api/v1/taskings/${ref}/graph/path`, { ...fb, entity: v.entity, other: v.other });
        if (!data.paths.length) {
          showProblem(viewForm, { detail: `other: no path between ${names.get(v.entity)} and ${names.get(v.other)} in the picture you may see${filtered ? ' under this filter' : ''}` });
          return;
        }
        const nodes = new Set();
        const ls = new Set();
        for (const p of data.paths) { p.entities.forEach((x) => nodes.add(x.ref)); p.links.forEach((l) => ls.add(l)); }
        showOnly([...nodes], [...ls], [v.entity, v.other]);
        viewText = viewLine(`path ${v.entity} ${v.other}`);
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(viewForm, err);
      return;
    }
    const eles = cy.elements().not('.off');
    draw(eles, (ms) => {
      fill(status, `Showing ${eles.nodes().length} entities and ${eles.edges().length} links (${viewText}); laid out and drawn in ${Math.round(ms)} ms.`);
      box.setAttribute('data-view', viewText);
      box.setAttribute('data-visible-nodes', String(eles.nodes().length));
    });
  });

  mounted().then(() => {
    timing.mount = Math.round(performance.now() - t0 - timing.fetch - timing.prepare);
    const t = performance.now();
    start();
    fitNodes(cy, elements.filter((e) => e.group === 'nodes').map((e) => ({ ...e.position, size: e.data.size })), 24);
    timing.cy = Math.round(performance.now() - t - timing.layout);
    painted(t, (ms) => {
      const total = performance.now() - t0;
      timing.paint = Math.round(ms - timing.layout - timing.cy);
      box.setAttribute('data-timing', JSON.stringify(timing));
      box.setAttribute('data-nodes', String(cy.nodes().length));
      box.setAttribute('data-edges', String(cy.edges().length));
      box.setAttribute('data-visible-nodes', String(cy.nodes().length));
      box.setAttribute('data-view', 'network');
      box.setAttribute('data-api-entities', String(central.data.nodes));
      box.setAttribute('data-api-links', String(apiLinks));
      box.setAttribute('data-filter', filterText);
      box.setAttribute('data-draw-ms', String(Math.round(ms)));
      box.setAttribute('data-total-ms', String(Math.round(total)));
      fill(status, `Drew ${cy.nodes().length} entities and ${cy.edges().length} links: `,
        `data in ${Math.round(fetched)} ms, layout and drawing in ${Math.round(ms)} ms.`);
      box.classList.add('drawn');
    });
  });
  return page;
}
