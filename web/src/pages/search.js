// Search (issue 18 point 8; the picture issue's search): taskings, intelligence items and
// entities the user may read, best first. Need-to-know and clearance are the API's: nothing
// the user may not read is counted or shown. A page of results is a logged read.
import { get, ApiError } from '../api.js';
import { h } from '../dom.js';
import { table } from './common.js';
import { words } from '../format.js';

// "[Karol] Kovac": the matched words in brackets, shown marked (text nodes only: no HTML).
function snippet(s) {
  if (!s) return '';
  const out = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0, m;
  while ((m = re.exec(s))) {
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(h('mark', {}, m[1]));
    last = re.lastIndex;
  }
  if (last < s.length) out.push(s.slice(last));
  return h('span', {}, out);
}

function where(r) {
  if (r.kind === 'tasking') return h('a', { href: `#/tasking/${r.ref}` }, r.ref);
  if (r.kind === 'entity') return h('a', { href: `#/tasking/${r.tasking}/network` }, `${r.ref} (${r.tasking})`);
  return h('a', { href: `#/tasking/${r.tasking}` }, `${r.ref} (${r.tasking})`);
}

// The query typed in this tab's search box (main.js): the one search run as the page opens. A
// search arriving otherwise (a link sent to the user, a bookmark, a reload) waits for a click:
// each search is a logged read, and a link must not make one in the user's name without their
// intent (review 109 L15).
let typed = null;
export function searchTyped(q) { typed = q; }

// A page of 100 at a time; "Show more" reads the next (each page a logged read, as the API
// says), and the count says when more match (review 109 M4: the rest were dropped unsaid).
export async function searchPage(ctx) {
  let q = ctx.args[0] || '';
  try { q = decodeURIComponent(q); } catch { /* a malformed %-escape: the text as it is (review 44) */ }
  const wrap = h('div', { class: 'search' }, h('h1', {}, `Search: ${q}`));
  const items = [];
  let next = null;
  if (typed !== q) {
    const run = h('button', { type: 'button', 'data-testid': 'search-run' }, 'Run the search');
    run.addEventListener('click', () => { typed = q; ctx.reload(); });
    wrap.append(h('p', { class: 'notice', 'data-testid': 'search-ask' },
      `This search for “${q}” came from a link or an address, not from your search box. `,
      'A search is a logged read in your name: it runs only when you ask.'), run);
    return wrap;
  }
  typed = null;
  const more = async () => {
    const { data } = await get('/api/v1/search', { q, limit: 100, after: next || undefined });
    items.push(...data.items);
    next = data.next || null;
  };
  try {
    await more();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400) throw err;
    wrap.append(h('p', { role: 'alert', class: 'error' }, err.detail));
    return wrap;
  }
  const holder = h('div', {});
  const count = h('p', { role: 'status', class: 'count', 'data-testid': 'search-count' });
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'search-more' }, 'Show more results');
  const paint = () => {
    holder.replaceChildren(table(null, [
      ['Found', (r) => words(r.kind)], ['Where', where], ['Type', (r) => (r.type ? words(r.type) : '—')],
      ['Name', (r) => r.label || '—'], ['Matching text', (r) => snippet(r.snippet)], ['Marking', (r) => r.marking],
    ], items, 'Nothing found that you may read.'));
    count.textContent = next ? `${items.length} shown, best first; more match.` : `${items.length} found.`;
    button.hidden = !next;
  };
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await more(); } finally { button.disabled = false; }
    paint();
  });
  paint();
  wrap.append(
    h('p', { class: 'lede' }, 'Taskings, intelligence and entities you may read, best first. Reading them here is logged.'),
    count, holder, button);
  return wrap;
}
