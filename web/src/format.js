// Times in UK local time with the zone (GMT or BST); names of the domain's words.
const dt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric',
  hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});
const d = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

export function time(iso) {
  if (!iso) return '—';
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : dt.format(t);
}

export function date(ymd) {
  if (!ymd) return '—';
  const t = new Date(`${ymd}T00:00:00Z`);
  return Number.isNaN(t.getTime()) ? ymd : d.format(t);
}

// A month "2026-11" as "Nov 2026" (review 90 L2).
const mo = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' });
export function month(ym) {
  if (!ym) return '—';
  const t = new Date(`${ym}-01T00:00:00Z`);
  return Number.isNaN(t.getTime()) ? ym : mo.format(t);
}

export function todayUK() {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  return p; // YYYY-MM-DD
}

// The domain's codes in people's words where the code alone reads wrong once its underscores
// are spaces (review 109 L5: "tor agreed", "escalated ftt", "cse", "oic"): states, lifecycle
// actions, threat types, services, product types and the other coded values of docs/domain.md
// and docs/api.md. A code not listed reads as its words ("in_development": "in development").
export const LABELS = {
  // states and actions of the lifecycle (domain.md §1)
  tor_agreed: 'ToR agreed', escalated_ftt: 'escalated to the FTT', in_development: 'in development',
  transfer_requested: 'transfer requested',
  propose_tor: 'propose the ToR', agree_tor: 'agree the ToR', decide_transfer: 'decide the transfer',
  request_transfer: 'request a transfer', agree_transfer: 'agree to a transfer', record_intel: 'record intelligence', record_option: 'propose an option',
  record_product: 'upload a product', sia_allocated: 'SIA allocated',
  // threat types (domain.md §2)
  cse: 'CSE (child sexual exploitation)', oic: 'OIC (organised immigration crime)',
  // TOEX services
  rocu_capability: 'ROCU capability', apmis: 'APMIS recording', intel_development: 'intelligence development',
  // NIM products (domain.md §6)
  demographic_social_trend_analysis: 'demographic and social trend analysis',
  // PND and the rest
  not_required: 'not required', pnd: 'PND', ftt: 'FTT', ttcg: 'TTCG', sio: 'SIO', sia: 'SIA', spoc: 'SPOC',
  toex_manager: 'TOEX manager', ido: 'IDO', dia: 'DIA',
};

export function words(s) {
  if (s === null || s === undefined) return '—';
  const k = String(s);
  return Object.hasOwn(LABELS, k) ? LABELS[k] : k.replace(/_/g, ' ');
}

// A lifecycle action in words (the tasking's history, what waits): the generic codes ("accept",
// "return") are said in full only here, where they are actions of the route.
const ACTIONS = { accept: 'accept and allocate an SIA', forward: 'forward to TOEX', submit: 'submit to the Gateway',
  return: 'return for more information', escalate: 'escalate to the FTT', remain: 'keep ownership and close',
  start: 'start development', complete: 'complete development', reallocate: 'allocate another SIA',
  assign: 'assign TOEX staff', unassign: 'remove from the team', contribute: 'log a contribution' };
export function actionWords(a) {
  return Object.hasOwn(ACTIONS, a) ? ACTIONS[a] : words(a);
}

// words() with a capital first letter: a label standing alone (a badge, a choice in a list).
export function label(s) {
  const w = words(s);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

export const STATES = ['draft', 'submitted', 'returned', 'forwarded', 'accepted', 'tor_agreed',
  'in_development', 'reassessment', 'transfer_requested', 'escalated_ftt', 'closed', 'rejected',
  'declined', 'withdrawn'];

// The route of domain.md §1, step by step (the states a tasking passes through).
export const ROUTE = [
  { state: 'draft', step: 'Bid written', who: 'SPOC' },
  { state: 'submitted', step: 'Gateway triage', who: 'Regional Gateway' },
  { state: 'forwarded', step: 'TOEX decision', who: 'TOEX managers' },
  { state: 'accepted', step: 'Terms of reference', who: 'SIA and SIO' },
  { state: 'tor_agreed', step: 'Team formed', who: 'SIA' },
  { state: 'in_development', step: 'Intelligence development', who: 'TOEX team' },
  { state: 'reassessment', step: 'Reassessment', who: 'SIA and SIO' },
  { state: 'transfer_requested', step: 'TTCG decision', who: 'Regional TTCG' },
  { state: 'escalated_ftt', step: 'FTT decision', who: 'Federated Tasking Team' },
  { state: 'closed', step: 'Closed', who: '' },
];

export const ENDED = { rejected: 'Rejected by the Gateway', declined: 'Declined by TOEX',
  withdrawn: 'Withdrawn by the requesting agency', returned: 'Returned to the SPOC for more information' };

export const SERVICES = [
  ['tasked_support', 'Tasked support'], ['rocu_capability', 'ROCU capability'], ['apmis', 'APMIS recording'],
  ['intel_development', 'Intelligence development'], ['financial_intelligence', 'Financial intelligence'],
  ['ownership_support', 'Ownership support'],
];

export const THREAT_TYPES = ['labour', 'sexual', 'criminal', 'cse', 'domestic_servitude',
  'organ_harvesting', 'oic', 'other'];

export const STRANDS = ['pursue', 'prevent', 'protect', 'prepare'];

export const PRODUCT_TYPES = ['strategic_assessment', 'tactical_assessment', 'subject_profile',
  'problem_profile', 'crime_pattern_analysis', 'demographic_social_trend_analysis', 'network_analysis',
  'market_profile', 'criminal_business_profile', 'risk_analysis', 'target_profile_analysis',
  'operational_intelligence_assessment', 'results_analysis', 'financial_analysis', 'intelligence_report'];

export function money(pence) {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 })
    .format((pence || 0) / 100);
}

export function duration(seconds) {
  if (!seconds) return '0';
  const days = seconds / 86400;
  return days >= 1 ? `${days.toFixed(1)} days` : `${(seconds / 3600).toFixed(1)} hours`;
}
