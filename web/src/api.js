// The JSON API client: session cookie (HttpOnly, set by the server) plus the CSRF token of
// the sign-in answer on every request (the server refuses the cookie without it, reads too:
// the cookie reaches every port of the host, the token only this origin); If-Match for versions.
// Every answer's X-Iom-Marking raises the marking of the page being shown (marking.js).
import { noteMarking, pageGeneration } from './marking.js';

const KEY = 'iom.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.detail = problem?.detail || this.message;
    this.title = problem?.title || '';
    this.kind = problem?.type ? problem.type.replace('urn:iom:problem:', '') : '';
    // every problem of the request's fields when there were several ({ field, detail }; the
    // first is `detail` too), else empty
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

export const session = {
  get() {
    try { return JSON.parse(localStorage.getItem(KEY) || 'null'); } catch { return null; }
  },
  set(s) { localStorage.setItem(KEY, JSON.stringify(s)); },
  clear() { localStorage.removeItem(KEY); },
};

let onSignedOut = () => {};
export function setSignedOutHandler(fn) { onSignedOut = fn; }
let onRestricted = () => {};
export function setRestrictedHandler(fn) { onRestricted = fn; }

export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['Content-Type'] = opts.contentType || 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  const s = session.get();
  if (s?.csrf) headers['X-CSRF-Token'] = s.csrf;
  if (opts.version) headers['If-Match'] = `"${opts.version}"`;
  const gen = pageGeneration();
  let url = path;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const qs = q.toString();
    if (qs) url += `?${qs}`;
  }
  const res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  const marking = res.headers.get('X-Iom-Marking');
  if (marking && !opts.noMark) noteMarking(marking, gen);
  const etag = res.headers.get('ETag');
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) data = await res.json();
  else if (opts.text) data = await res.text();
  // a server busy with as many analyses as it runs at once (503 `busy`, Retry-After): asked
  // again after the wait it names, where the caller allows it (an analysis; review 111 M2)
  if (res.status === 503 && opts.retryBusy > 0 && data?.type === 'urn:iom:problem:busy') {
    const wait = Math.min(5, Math.max(1, Number(res.headers.get('Retry-After')) || 1));
    await new Promise((ok) => setTimeout(ok, wait * 1000));
    return api(method, path, { ...opts, retryBusy: opts.retryBusy - 1 });
  }
  if (!res.ok) {
    // signed out; or the token this tab holds is not the session's (the cookie was replaced by
    // a sign-in elsewhere): either way, sign in again (review 46: "Something went wrong" on every page)
    const csrfRefused = res.status === 403 && data?.type === 'urn:iom:problem:csrf';
    if ((res.status === 401 || csrfRefused) && !opts.signIn) {
      session.clear();
      onSignedOut({ method });
    }
    // a password change or TOTP enrolment now asked of this session (an admin made the role
    // require TOTP, or switched it off meanwhile): the session's restriction as the server
    // has it, and the page that goes with it (review 44: "Something went wrong" on every page)
    const kind = data?.type?.replace('urn:iom:problem:', '');
    if (res.status === 403 && (kind === 'totp_enrolment_required' || kind === 'password_change_required')) {
      onRestricted(kind === 'totp_enrolment_required' ? 'totp_enrolment' : 'password_change');
    }
    throw new ApiError(res.status, data);
  }
  return { data, marking, etag: etag ? Number(etag.replace(/"/g, '')) : null, status: res.status };
}

export const get = (path, query, opts) => api('GET', path, { ...opts, query });
export const post = (path, body, opts) => api('POST', path, { ...opts, body });
// An analysis of a picture (graph, finance, comms, timeline): asked again while the server is
// busy with others, up to a minute.
export const analysis = (path, body) => post(path, body, { retryBusy: 60 });

// Every page of a list (`next` cursors), at most `max` items (a page more at worst). When more
// are listed than were read, the array says so (`truncated`): a page shows it and narrows the
// list on the server (review 109 M1: the SOC list said "5000 of 5000" of 5,237).
export async function all(path, query = {}, max = 5000) {
  const items = [];
  let after;
  do {
    const { data } = await get(path, { ...query, limit: 1000, after });
    items.push(...data.items);
    after = data.next;
  } while (after && items.length < max);
  if (after) items.truncated = true;
  return items;
}

// A request whose answer is a file (the picture export, a product, the APMIS CSV):
// { blob, filename, marking }. A failure is an ApiError with the problem's detail, as for api().
export async function fetchFile(method, path, body) {
  const s = session.get();
  const headers = { Accept: '*/*' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (s?.csrf) headers['X-CSRF-Token'] = s.csrf;
  const gen = pageGeneration();
  const res = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
  });
  const marking = res.headers.get('X-Iom-Marking');
  if (marking) noteMarking(marking, gen);
  if (!res.ok) {
    const type = res.headers.get('Content-Type') || '';
    const problem = type.includes('json') ? await res.json() : null;
    if (res.status === 401 || (res.status === 403 && problem?.type === 'urn:iom:problem:csrf')) {
      session.clear();
      onSignedOut({ method });
    }
    throw new ApiError(res.status, problem);
  }
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(cd);
  return { blob: await res.blob(), filename: m ? m[1] : 'export', marking };
}

// Hands a blob to the browser as a download named filename.
export function offerFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.className = 'hidden-link';
  a.textContent = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
