// The iom web UI: hash routes, the page frame (marking banners, navigation, the search box),
// and the pages of the tasking lifecycle. Calls only the JSON API.
import { api, get, session, setSignedOutHandler, setRestrictedHandler, ApiError } from './api.js';
import { h, clear, fill } from './dom.js';
import { keepOnSignedOut, signedOutNotice, forgetSignInNote, returnRoute, restoreInto, forget } from './kept.js';
import { forgetDirectory } from './pickers.js';
import { setMarkingOrder, resetPageMarking, onMarkingChange, pageMarking, pageConditions } from './marking.js';
import { signInPage, passwordPage, totpPage } from './pages/login.js';
import { homePage } from './pages/home.js';
import { taskingPage, taskingsPage } from './pages/tasking.js';
import { bidPage } from './pages/bid.js';
import { socPage, threatPage } from './pages/soc.js';
import { apmisPage } from './pages/apmis.js';
import { datasetsPage } from './pages/datasets.js';
import { usersPage, agenciesPage, tokensPage, auditPage, settingsPage } from './pages/admin.js';
import { reviewQueuePage, mopiPage } from './pages/review.js';
import { searchPage, searchTyped } from './pages/search.js';

const root = document.getElementById('app');
let me = null;

const routes = [
  [/^\/?$/, () => homePage],
  [/^\/taskings$/, () => taskingsPage],
  [/^\/tasking\/([A-Za-z0-9-]+)$/, () => taskingPage],
  [/^\/tasking\/([A-Za-z0-9-]+)\/review$/, () => reviewQueuePage],
  [/^\/tasking\/([A-Za-z0-9-]+)\/datasets$/, () => datasetsPage],
  // the picture's chart pages and Cytoscape.js (most of the script) are a chunk of their own,
  // loaded when one is opened: the sign-in page and the rest do not parse it (review 109 M8)
  [/^\/tasking\/([A-Za-z0-9-]+)\/network$/, () => import('./pages/network.js').then((m) => m.networkPage)],
  [/^\/tasking\/([A-Za-z0-9-]+)\/money$/, () => import('./pages/flows.js').then((m) => m.moneyPage)],
  [/^\/tasking\/([A-Za-z0-9-]+)\/timeline$/, () => import('./pages/flows.js').then((m) => m.timelinePage)],
  [/^\/mopi$/, () => mopiPage],
  [/^\/search\/(.+)$/, () => searchPage],
  [/^\/bid(?:\/([A-Za-z0-9-]+))?$/, () => bidPage],
  [/^\/soc$/, () => socPage],
  [/^\/threat\/([A-Za-z0-9-]+)$/, () => threatPage],
  [/^\/apmis$/, () => apmisPage],
  [/^\/admin\/users$/, () => usersPage],
  [/^\/admin\/agencies$/, () => agenciesPage],
  [/^\/tokens$/, () => tokensPage],
  [/^\/audit$/, () => auditPage],
  [/^\/settings$/, () => settingsPage],
  [/^\/password$/, () => passwordPage],
  [/^\/totp$/, () => totpPage],
];

export function go(path) {
  if (location.hash === `#${path}`) render();
  else location.hash = path;
}

export function currentUser() { return me; }
export function hasRole(...roles) { return !!me && me.roles.some((r) => roles.includes(r)); }

function navLinks() {
  const links = [['/', 'Home'], ['/taskings', 'Taskings'], ['/soc', 'SOC master list']];
  if (hasRole('spoc')) links.push(['/bid', 'New bid']);
  // the roles that may read the APMIS report (src/domain/apmis.c apmis_report_scope; review 63:
  // an SIA and the FTT were sent to a page that could only fail)
  if (hasRole('apmis', 'auditor', 'toex_manager', 'sio', 'gateway', 'ttcg', 'spoc', 'customer'))
    links.push(['/apmis', 'APMIS']);
  if (hasRole('spoc', 'sio', 'customer', 'gateway', 'toex_manager', 'sia', 'analyst', 'ido', 'dia',
              'researcher', 'ttcg', 'ftt', 'auditor')) links.push(['/mopi', 'MoPI review']);
  if (hasRole('auditor')) links.push(['/audit', 'Audit']);
  if (hasRole('admin')) links.push(['/admin/users', 'Users'], ['/admin/agencies', 'Agencies']);
  links.push(['/settings', 'Settings'], ['/tokens', 'API tokens']);
  return links;
}

function banner(where) {
  const el = h('div', { class: 'marking', role: 'note', 'aria-label': `Protective marking (${where})`,
                        'data-testid': `marking-${where}` });
  const paint = () => {
    const m = pageMarking();
    el.className = `marking ${m === 'OFFICIAL-SENSITIVE' ? 'sensitive' : 'official'}`;
    fill(el, h('span', { class: 'marking-word', 'data-testid': where === 'top' ? 'marking' : null }, m));
    const cond = pageConditions();
    if (cond.length) el.append(h('span', { class: 'conditions' }, ` — handling C: ${cond.join('; ')}`));
  };
  onMarkingChange(paint);
  paint();
  return el;
}

// The banners inside the page's landmarks, the top one in its header (the banner landmark) and the
// bottom one in its footer (contentinfo): review 109 L14, axe's `region` on every page.
function frame(content, path) {
  const header = h('div', { class: 'top' },
    h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); document.getElementById('main')?.focus(); } },
      'Skip to content'),
    h('div', { class: 'brand' }, h('a', { href: '#/' }, 'iom'), h('span', { class: 'tag' }, 'TOEX tasking')),
    me ? h('nav', { 'aria-label': 'Main' }, h('ul', {}, navLinks().map(([href, text]) =>
      h('li', {}, h('a', { href: `#${href}`, 'aria-current': path === href ? 'page' : null }, text))))) : null,
    me ? searchBox() : null,
    me ? h('div', { class: 'who' },
      h('span', { 'data-testid': 'who' }, `${me.name} (${me.agency}; ${me.roles.join(', ')})`),
      h('a', { href: '#/password' }, 'Password'),
      h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out')) : null);
  return [h('header', { class: 'page-header' }, banner('top'), header), h('main', { id: 'main', tabindex: '-1' }, content),
    h('footer', { class: 'page-footer' }, banner('bottom'))];
}

// The search box of every page (GET /api/v1/search through the search page).
function searchBox() {
  const input = h('input', { type: 'search', name: 'q', id: 'site-search', maxlength: 200, required: true,
                             placeholder: 'Names, phones, plates, postcodes…' });
  const form = h('form', { role: 'search', class: 'site-search', 'aria-label': 'Search' },
    h('label', { for: 'site-search', class: 'visually-hidden' }, 'Search'), input,
    h('button', { type: 'submit', class: 'small' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    // typed here: the search runs as its page opens (one that arrives by a link waits for a click)
    if (q) { searchTyped(q); go(`/search/${encodeURIComponent(q)}`); }
  });
  return form;
}

async function signOut() {
  try { await api('DELETE', '/api/v1/session'); } catch { /* signed out either way */ }
  session.clear();
  forget();
  forgetDirectory();
  me = null;
  go('/');
}

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  resetPageMarking();
  // a page's state after `?` (the network page's filter): the route matches the path before it
  const [path, search = ''] = (location.hash.replace(/^#/, '') || '/').split(/\?(.*)/s);
  const s = session.get();
  if (!s) {
    me = null;
    fill(root, ...frame(signInPage(onSignedIn, signedOutNotice()), path));
    focusMain();
    return;
  }
  if (!me) me = s.user;
  if (me.name !== s.user?.name) { location.reload(); return; } // another user signed in elsewhere
  if (s.restriction) { // still asked? (an admin may have lifted the TOTP requirement meanwhile)
    try {
      const { data } = await get('/api/v1/me');
      if (seq !== renderSeq) return;
      if ((data.restriction || null) !== s.restriction) {
        session.set({ ...s, user: data.user, restriction: data.restriction });
        if (!data.restriction && (path === '/totp' || path === '/password')) return go('/');
        return render();
      }
    } catch { /* the page says what failed */ }
  }
  if (s.restriction === 'password_change' && path !== '/password') return go('/password');
  if (s.restriction === 'totp_enrolment' && path !== '/totp') return go('/totp');
  let page = null, args = [];
  for (const [re, f] of routes) {
    const m = re.exec(path);
    if (m) { page = f(); args = m.slice(1); break; }
  }
  const content = h('div', { class: 'page' });
  fill(root, ...frame(content, path));
  if (!page) {
    content.append(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Home')));
    return;
  }
  // something shows while a page reads what it needs (review 66: a large picture's network
  // page stayed blank)
  content.append(h('p', { class: 'loading', role: 'status', 'data-testid': 'loading' }, 'Loading…'));
  try {
    page = await page; // a route's module loaded when first opened
    await markingsRead; // the forms offer the markings (read once at start)
    if (seq !== renderSeq) return;
    const node = await page({ args, query: new URLSearchParams(search), me, go, reload: render, hasRole });
    if (seq !== renderSeq) return;
    fill(content, node);
    restoreInto(content, location.hash.replace(/^#/, '') || '/', me.name);
    document.title = `${content.querySelector('h1')?.textContent || 'iom'} — iom`;
    focusMain();
  } catch (err) {
    if (seq !== renderSeq) return;
    // a page the role may not use, opened by its address (a bookmark, a shared link): said so,
    // not "Something went wrong" (review 90 L9)
    fill(content, h('h1', {}, err.status === 404 ? 'Not found' : err.status === 403 ? 'Not available to your role' : 'Something went wrong'),
      h('p', { role: 'alert', class: 'error' }, err instanceof ApiError ? err.detail : String(err)),
      err.status === 403 ? h('p', {}, 'The menu above lists the pages your role may use. ', h('a', { href: '#/' }, 'Home')) : null);
  }
}

function focusMain() {
  const h1 = root.querySelector('main h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
}

function onSignedIn(answer) {
  forgetSignInNote();
  session.set({ csrf: answer.csrf_token, user: answer.user, restriction: answer.restriction });
  me = answer.user;
  // the directory's lists are this user's (review 93 L6: the last user's stayed in the tab)
  forgetDirectory();
  // back to the page the session ended on, where what was typed is filled in again (kept.js);
  // with no page to go back to, nothing typed is kept any longer
  const back = returnRoute(answer.user.name);
  if (!back) forget();
  go(answer.restriction === 'password_change' ? '/password' : answer.restriction === 'totp_enrolment' ? '/totp' : back || '/');
}

// The session ended (401, or the tab's token refused): the page, and the form being sent with
// what was typed in it, are kept for after the sign-in (review 90 H1).
setSignedOutHandler(({ method } = {}) => {
  if (me) keepOnSignedOut(me.name, method);
  me = null;
  render();
});
setRestrictedHandler((restriction) => {
  const s = session.get();
  if (s && s.restriction !== restriction) {
    session.set({ ...s, restriction });
    render();
  }
});

// Another tab of this origin signed out or signed in (review 44: the page stayed on screen after
// "Sign out" elsewhere, and a tab showing one user acted as the next one): signed out, this
// tab goes to the sign-in page at once; another user, it starts again as that user.
window.addEventListener('storage', (e) => {
  if (e.key !== null && e.key !== 'iom.session') return;
  const s = session.get();
  if (!s) {
    if (me) { me = null; render(); }
  } else if (me && s.user?.name !== me.name) {
    location.reload();
  }
});

// The markings in order, from the OpenAPI document's Marking enumeration (the API has no smaller
// answer that lists them; the document is sent with an ETag, so a later load is a 304): read at
// start without holding up the sign-in page; a signed-in page waits for it before it is drawn.
let markingsRead = null;

async function boot() {
  markingsRead = api('GET', '/api/openapi.json', { noMark: true }).then(({ data }) => {
    const m = data?.components?.schemas?.Threat?.properties?.marking?.enum;
    if (Array.isArray(m)) setMarkingOrder(m);
  }).catch(() => { /* the banner then shows the markings the answers carry */ });
  const s = session.get();
  if (s) {
    try {
      const { data } = await get('/api/v1/me');
      me = data.user;
      session.set({ ...s, user: data.user, restriction: data.restriction });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      session.clear();
    }
  }
  window.addEventListener('hashchange', render);
  render();
}

boot();
