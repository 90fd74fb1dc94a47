// The protective marking banner (domain.md §5): the highest marking of what the page holds,
// from the API's X-Iom-Marking headers and the `marking` of the objects shown; a page holding
// nothing marked shows the lowest marking the API knows (its OpenAPI Marking enumeration,
// read once at start). Handling conditions of any `C` intelligence item shown are listed.
let order = [];
let current = null;
let conditions = [];
const listeners = new Set();

export function setMarkingOrder(list) { order = list.slice(); }
export function markingOrder() { return order; }

export function resetPageMarking() {
  current = null;
  conditions = [];
  notify();
}

export function noteMarking(m) {
  if (!m) return;
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
