// Pickers for the names and codes a form asks for (review 90 L8: an SIA's user name, TOEX staff,
// the FTT's new owner and SIO, APMIS agencies were typed blind, a wrong guess answered only
// after the submit): an HTML <datalist> on the text box, filled from the directory the API
// gives every signed-in user (GET /api/v1/users: name, agency and roles; GET /api/v1/agencies:
// the enabled agencies). Typing stays free; the list only suggests. A directory that cannot be
// read leaves the plain text box.
import { all, ApiError } from './api.js';
import { h, nextId } from './dom.js';

const TTL_MS = 5 * 60 * 1000;
const cache = new Map();

function cached(key, load) {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.p;
  // a refusal (a role that may not read it) or a failure: no list, the text box as it was
  const p = load().catch((err) => { if (!(err instanceof ApiError)) cache.delete(key); return null; });
  cache.set(key, { p, at: Date.now() });
  return p;
}

// Forgets the lists read (an admin added a user: the next form lists them).
export function forgetDirectory() { cache.clear(); }

// The user directory, optionally by role (the API's `role` filter).
export const directory = (role) => cached(`users:${role || ''}`, () => all('/api/v1/users', role ? { role } : {}));
// The enabled agencies (neither disabled nor merged).
export const agencies = () => cached('agencies', () => all('/api/v1/agencies'));

// The roles of TOEX staff, who join a tasking's team (src/domain/roles.c roles_team_check).
export const TOEX_ROLES = ['sia', 'analyst', 'ido', 'dia', 'researcher', 'toex_manager'];

// A user's line in a list: "toex-sia (toex; sia)".
export const userChoice = (u) => ({ value: u.name, text: `${u.name} (${u.agency}; ${u.roles.join(', ')})`, user: u });
// An agency's line: "nca (National Crime Agency)".
export const agencyChoice = (a) => ({ value: a.code, text: `${a.code} (${a.name})`, agency: a });

// Gives the text box of a field() a datalist of `load()`'s choices ({value, text}), those that
// `keep(choice)` accepts when given (called again on refresh(): a list that depends on another
// field). `multi`: the box takes several values separated by commas; the suggestions complete
// the last one, keeping those before it. Returns the field, with its refresh() at .refreshPicker.
export function picker(fieldEl, load, { keep = null, multi = false } = {}) {
  const input = fieldEl.querySelector('input');
  if (!input) return fieldEl;
  const list = h('datalist', { id: nextId(`list-${input.name}`), 'data-picker-for': input.name });
  let choices = null;
  const refresh = () => {
    if (!choices) return;
    let prefix = '';
    let taken = new Set();
    if (multi) {
      const i = input.value.lastIndexOf(',');
      if (i >= 0) {
        const before = input.value.slice(0, i).split(',').map((x) => x.trim()).filter(Boolean);
        taken = new Set(before);
        prefix = `${before.join(', ')}, `;
      }
    }
    list.replaceChildren(...choices.filter((c) => !taken.has(c.value) && (!keep || keep(c)))
      .map((c) => h('option', { value: prefix + c.value }, c.text)));
  };
  Promise.resolve(load()).then((got) => {
    if (!got) return; // not readable: the plain text box
    choices = got;
    fieldEl.append(list);
    input.setAttribute('list', list.id);
    refresh();
    fieldEl.dataset.picker = 'ready';
  }, () => {});
  if (multi) input.addEventListener('input', refresh);
  fieldEl.refreshPicker = refresh;
  return fieldEl;
}
