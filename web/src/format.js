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

export function words(s) {
  if (s === null || s === undefined) return '—';
  return String(s).replace(/_/g, ' ');
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
