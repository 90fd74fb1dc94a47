// The protective marking banner (domain.md §5): the highest marking of what the page holds,
// from the API's X-Iom-Marking headers and the `marking` of the objects shown; a page holding
// nothing marked shows the lowest marking the API knows (its OpenAPI Marking enumeration,
// read once at start). Handling conditions of any `C` intelligence item shown are listed.
let order = [];
let current = null;
let conditions = [];
const listeners = new Set();

export function setMarkingOrder(list) { order = list.slice(); notify(); }
export function markingOrder() { return order; }

// The page being shown: each reset starts another; answers to requests of an earlier page (still
// in flight when the user moved on) mark nothing (review 44: the home page's list raised the
// banner of the page opened next).
let generation = 0;
export function pageGeneration() { return generation; }

export function resetPageMarking() {
  generation++;
  current = null;
  conditions = [];
  notify();
}

// gen: the page generation the request was made for (pageGeneration() then); omitted, the
// current page.
export function noteMarking(m, gen = generation) {
  if (!m || gen !== generation) return;
  if (!order.includes(m)) order.push(m); // unknown: treat as the highest
  if (current === null || order.indexOf(m) > order.indexOf(current)) {
    current = m;
    notify();
  }
}

export function noteConditions(text) {
  if (text && !conditions.includes(text)) {
    conditions.push(text);
    notify();
  }
}

export function pageMarking() { return current ?? order[0] ?? ''; }
export function pageConditions() { return conditions.slice(); }

export function onMarkingChange(fn) { listeners.add(fn); }
function notify() { for (const fn of listeners) fn(); }
