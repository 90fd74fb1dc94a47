/*
 * table.c: THE operation table (ops.h). One row per operation; the CLI, the HTTP router and
 * the OpenAPI document are made from these rows. Keep rows of an area together, in the order
 * `iom help` should list them.
 */
#include "domain/lifecycle.h"
#include "app/picture.h"
#include "ops/internal.h"

#define REF_PATH(what) {"ref", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, what, .meta = "REF"}

static const char *const threat_status[] = {"active", "archived", "all", NULL};

static const op_field f_threat_add[] = {
    {"title", OT_STRING, OF_NEEDED, "the threat's title (one line, at most 200 bytes)", .meta = "TEXT"},
    {"type", OT_STRING, OF_NEEDED,
     "exploitation type: labour sexual criminal cse domestic_servitude organ_harvesting oic other",
     .meta = "TYPE"},
    {"owner", OT_STRING, OF_NEEDED, "the owning agency's code (never TOEX)", .meta = "CODE"},
    {"sio", OT_STRING, OF_NEEDED, "the SIO, a user of the owner, who holds the risk", .meta = "USER"},
    {"force_tasking_ref", OT_STRING, OF_NEEDED, "reference of the force tasking meeting",
     .meta = "TEXT"},
    {"marking", OT_STRING, 0, "OFFICIAL (default) or OFFICIAL-SENSITIVE", .meta = "M"},
    {NULL}};
static const op_field f_threat_list[] = {
    {"owner", OT_STRING, OF_QUERY, "only threats of this owning agency", .meta = "CODE"},
    {"region", OT_STRING, OF_QUERY, "only threats owned in this region", .meta = "CODE"},
    {"status", OT_STRING, OF_QUERY, "active (default), archived or all", .values = threat_status},
    OP_PAGE_FIELDS,
    {NULL}};
static const op_field f_threat_ref[] = {REF_PATH("the threat's SOC reference"), {NULL}};
static const op_field f_threat_update[] = {
    REF_PATH("the threat's SOC reference"),
    {"title", OT_STRING, 0, "a new title", .meta = "TEXT"},
    {"type", OT_STRING, 0, "a new exploitation type", .meta = "TYPE"},
    {"sio", OT_STRING, 0, "a new SIO of the owner", .meta = "USER"},
    {"force_tasking_ref", OT_STRING, 0, "a new force tasking reference", .meta = "TEXT"},
    {"marking", OT_STRING, 0, "a new marking", .meta = "M"},
    {"reason", OT_STRING, 0, "why (required when the SIO changes; recorded in the history)",
     .meta = "TEXT"},
    OP_IF_VERSION,
    {NULL}};
static const op_field f_threat_archive[] = {
    REF_PATH("the threat's SOC reference"),
    {"reason", OT_STRING, OF_NEEDED, "why (recorded in the threat's history)", .meta = "TEXT"},
    OP_IF_VERSION, {NULL}};
static const op_field f_threat_unarchive[] = {
    REF_PATH("the threat's SOC reference"),
    {"reason", OT_STRING, OF_NEEDED, "why (recorded in the threat's history)", .meta = "TEXT"},
    {"sio", OT_STRING, 0, "a new SIO of the owner, when the one it had can no longer hold the risk",
     .meta = "USER"},
    OP_IF_VERSION, {NULL}};


static const op_field f_none[] = {{NULL}};
static const op_field f_agency_list[] = {
    {"kind", OT_STRING, OF_QUERY, "only agencies of this kind: force, rocu, national or capability",
     .meta = "KIND"},
    {"region", OT_STRING, OF_QUERY, "only agencies of this region", .meta = "CODE"},
    {"all", OT_BOOL, OF_QUERY, "also disabled and merged agencies"},
    OP_PAGE_FIELDS,
    {NULL}};
#define CODE_PATH {"code", OT_STRING, OF_PATH | OF_REQUIRED, "the agency's code", .meta = "CODE"}
static const op_field f_agency_code[] = {CODE_PATH, {NULL}};
static const op_field f_holiday_list[] = {
    {"year", OT_INT, OF_QUERY, "only the holidays of this year", .meta = "YYYY", .min = 1900,
     .max = 2999}, {NULL}};
static const op_field f_holiday_add[] = {
    {"day", OT_STRING, OF_ARG | OF_NEEDED, "the day", .meta = "YYYY-MM-DD"},
    {"name", OT_STRING, OF_NEEDED, "its name", .meta = "NAME"}, {NULL}};
static const op_field f_holiday_remove[] = {
    {"day", OT_STRING, OF_PATH | OF_REQUIRED, "the day", .meta = "YYYY-MM-DD"},
    {"reason", OT_STRING, 0, "why (a day added by mistake)", .meta = "TEXT"}, {NULL}};
static const op_field f_agency_add[] = {
    {"code", OT_STRING, OF_NEEDED, "a new lower-case slug (a-z, 0-9, -)", .meta = "CODE"},
    {"name", OT_STRING, OF_NEEDED, "the agency's name", .meta = "NAME"},
    {"kind", OT_STRING, OF_NEEDED, "force, rocu, national or capability", .meta = "KIND"},
    {"region", OT_STRING, 0, "its region's code (forces and ROCUs only)", .meta = "CODE"},
    {NULL}};
static const op_field f_agency_rename[] = {
    CODE_PATH, {"name", OT_STRING, OF_REQUIRED, "the new name", .meta = "NAME"}, {NULL}};
static const op_field f_agency_merge[] = {
    CODE_PATH, {"into", OT_STRING, OF_REQUIRED, "the agency that takes over", .meta = "CODE"},
    {"reason", OT_STRING, OF_NEEDED, "why (recorded in each moved threat's history)", .meta = "TEXT"},
    {NULL}};

#define NAME_PATH {"name", OT_STRING, OF_PATH | OF_REQUIRED, "the user's login name", .meta = "NAME"}
static const op_field f_user_add[] = {
    {"name", OT_STRING, OF_ARG | OF_REQUIRED, "login name: 2-64 of a-z 0-9 . _ -, the first a-z or 0-9",
     .meta = "NAME"},
    {"agency", OT_STRING, OF_NEEDED, "the user's agency", .meta = "CODE"},
    {"roles", OT_STRINGS, OF_NEEDED,
     "a role: spoc sio customer gateway toex_manager sia analyst ido dia researcher ttcg ftt "
     "apmis auditor admin", .cli = "role", .meta = "ROLE"},
    {"clearance", OT_STRING, OF_NEEDED, "the highest marking the user may read: OFFICIAL or "
     "OFFICIAL-SENSITIVE", .meta = "M"},
    {"password", OT_STRING, OF_SECRET, "password (12-256 bytes); without one the user cannot sign in "
     "to the server"},
    {NULL}};
static const op_field f_user_list[] = {
    {"agency", OT_STRING, OF_QUERY, "only users of this agency", .meta = "CODE"},
    {"role", OT_STRING, OF_QUERY, "only users holding this role", .meta = "ROLE"},
    OP_PAGE_FIELDS,
    {NULL}};
static const op_field f_user_name[] = {NAME_PATH, {NULL}};
static const op_field f_address_unlock[] = {
    {"address", OT_STRING, OF_ARG | OF_REQUIRED,
     "the client address (IPv4 or IPv6; an IPv6 address stands for its /64, as the lockout counts it)",
     .meta = "ADDRESS"},
    {NULL}};
static const op_field f_user_disable[] = {
    NAME_PATH,
    {"reason", OT_STRING, 0, "why the account stops (a leaver, a suspension, a compromise: recorded "
                             "in the audit)", .meta = "TEXT"},
    {NULL}};
static const op_field f_user_reset_password[] = {
    NAME_PATH,
    {"password", OT_STRING, OF_SECRET, "the temporary password; without it one is generated and "
     "shown once"},
    {NULL}};
static const op_field f_token_create[] = {
    {"user", OT_STRING, 0, "whose token (default: yours; another user's: admin)", .cli = "for",
     .meta = "USER"},
    {"days", OT_INT, 0, "valid this many days (default 90)", .cli = "expires", .min = 1, .max = 3650},
    {NULL}};
static const op_field f_token_list[] = {
    {"user", OT_STRING, OF_QUERY, "whose tokens (default: yours; admin: anyone's, all without it)",
     .meta = "USER"},
    OP_PAGE_FIELDS, {NULL}};
static const op_field f_token_ref[] = {
    {"ref", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the token (TOK-...)", .meta = "TOK-REF"},
    {NULL}};

static const op_field f_me_password[] = {
    {"old_password", OT_STRING, OF_SECRET | OF_NEEDED, "your current password"},
    {"new_password", OT_STRING, OF_SECRET | OF_NEEDED, "the new one (12-256 bytes)"},
    {NULL}};
static const op_field f_me_totp_confirm[] = {
    {"totp", OT_STRING, OF_ARG | OF_REQUIRED, "the current code of your authenticator app",
     .meta = "CODE"},
    {NULL}};

static const op_field f_role_totp[] = {
    {"role", OT_STRING, OF_PATH | OF_REQUIRED, "a role of domain.md §3", .meta = "ROLE"},
    {"required", OT_BOOL, OF_NEGATE, "whether the role requires TOTP (CLI: --off = no longer)",
     .cli = "off"},
    {NULL}};

/* ---- the tasking lifecycle ---- */
#define TASKING_REF {"ref", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the tasking's reference", .meta = "REF"}
#define REASON(doc) {"reason", OT_STRING, OF_NEEDED, doc, .meta = "TEXT"}
static const op_field f_bid[] = {
    {"threat", OT_STRING, OF_NEEDED | OF_REF, "the SOC master list threat (SOC-...)", .meta = "SOC-REF"},
    {"summary", OT_STRING, OF_NEEDED, "what is asked, in short", .meta = "TEXT"},
    {"ftm_date", OT_STRING, OF_NEEDED, "date of the force tasking meeting", .meta = "YYYY-MM-DD"},
    {"ftm_ref", OT_STRING, OF_NEEDED, "reference of the force tasking meeting", .meta = "REF"},
    {"requirements", OT_STRINGS, OF_NEEDED, "an intelligence requirement", .cli = "requirement",
     .meta = "TEXT"},
    {"services", OT_STRINGS, OF_NEEDED,
     "a TOEX service: tasked_support rocu_capability apmis intel_development "
     "financial_intelligence ownership_support", .cli = "service", .meta = "NAME"},
    {"known", OT_STRING, 0, "what is known already", .meta = "TEXT"},
    {"customer", OT_STRING, 0, "the officer who asked for help (a user)", .meta = "USER"},
    {"requesting_agency", OT_STRING, 0, "the requesting agency (default: yours)", .meta = "CODE"},
    {"region", OT_STRING, 0,
     "NCA bids: the region where the threat operates, whose Gateway triages the bid "
     "(default: the owner's); a force or ROCU bid is triaged in its own region", .meta = "REGION"},
    {"type", OT_STRING, 0, "exploitation type (default: the threat's)", .meta = "TYPE"},
    {"urgency", OT_STRING, 0, "routine (default), priority or urgent", .meta = "U"},
    {"timeline", OT_STRING, 0, "the timeline wished for", .meta = "TEXT"},
    {"marking", OT_STRING, 0, "default: the threat's (never lower)", .meta = "M"},
    {"assessment", OT_OBJECT, 0, "the threat assessment (docs/api.md)"},
    {NULL}};
static const op_field f_bid_edit[] = {
    TASKING_REF,
    {"summary", OT_STRING, 0, "what is asked, in short", .meta = "TEXT"},
    {"ftm_date", OT_STRING, 0, "date of the force tasking meeting", .meta = "YYYY-MM-DD"},
    {"ftm_ref", OT_STRING, 0, "reference of the force tasking meeting", .meta = "REF"},
    {"requirements", OT_STRINGS, 0, "an intelligence requirement (the list given replaces the bid's)",
     .cli = "requirement", .meta = "TEXT"},
    {"services", OT_STRINGS, 0, "a TOEX service (the list given replaces the bid's)", .cli = "service",
     .meta = "NAME"},
    {"known", OT_STRING, 0, "what is known already", .meta = "TEXT"},
    {"customer", OT_STRING, 0, "the officer who asked for help (a user)", .meta = "USER"},
    {"type", OT_STRING, 0, "exploitation type", .meta = "TYPE"},
    {"urgency", OT_STRING, 0, "routine, priority or urgent", .meta = "U"},
    {"timeline", OT_STRING, 0, "the timeline wished for", .meta = "TEXT"},
    {"assessment", OT_OBJECT, 0, "the threat assessment (docs/api.md), scored again"},
    OP_IF_VERSION, {NULL}};
static const op_field f_act_plain[] = {TASKING_REF, OP_IF_VERSION, {NULL}};
/* a decision whose reason may be given (review 100 L3: the Gateway's forward could not say why) */
#define NOTE(doc) {"reason", OT_STRING, 0, doc, .meta = "TEXT"}
static const op_field f_act_note[] = {TASKING_REF, NOTE("why, if you wish (kept in the history)"),
                                      OP_IF_VERSION, {NULL}};
static const op_field f_act_reason[] = {TASKING_REF, REASON("why (recorded with the decision)"),
                                        OP_IF_VERSION, {NULL}};
static const op_field f_act_rationale[] = {
    TASKING_REF, {"reason", OT_STRING, OF_NEEDED, "the rationale", .cli = "rationale", .meta = "TEXT"},
    OP_IF_VERSION, {NULL}};
static const op_field f_act_accept[] = {
    TASKING_REF, {"sia", OT_STRING, OF_NEEDED, "the Senior Intelligence Analyst allocated", .meta = "USER"},
    NOTE("why, if you wish (kept in the history)"), OP_IF_VERSION, {NULL}};
static const op_field f_act_agree[] = {
    TASKING_REF, {"tor_version", OT_INT, OF_NEEDED, "the ToR version agreed (the latest)", .cli = "version",
                  .min = 1, .max = INT32_MAX},
    OP_IF_VERSION, {NULL}};
static const op_field f_act_decide[] = {
    TASKING_REF,
    {"accept", OT_BOOL, 0, "accept the transfer (API: true, or false to decline)"},
    {"decline", OT_BOOL, 0, "decline it (CLI)"},
    {"new_owner", OT_STRING, 0, "accept: the new owning agency", .cli = "owner", .meta = "CODE"},
    {"new_sio", OT_STRING, 0, "accept: the new owner's SIO", .cli = "sio", .meta = "USER"},
    REASON("why"), OP_IF_VERSION, {NULL}};
static const op_field f_team_add[] = {
    TASKING_REF, {"user", OT_STRINGS, OF_REQUIRED | OF_ONE_OK, "TOEX staff to add", .meta = "USER"},
    OP_IF_VERSION,
    {NULL}};
static const op_field f_reallocate[] = {
    TASKING_REF, {"sia", OT_STRING, OF_NEEDED, "the Senior Intelligence Analyst allocated instead", .meta = "USER"},
    REASON("why the SIA changes (recorded in the history)"), OP_IF_VERSION, {NULL}};
static const op_field f_team_remove[] = {
    TASKING_REF, {"user", OT_STRING, OF_PATH | OF_CLI_OPT, "the member to remove", .meta = "USER"},
    OP_IF_VERSION, {NULL}};
static const op_field f_tor_propose[] = {
    TASKING_REF,
    {"tor", OT_DOC, OF_REQUIRED, "the terms of reference document (docs/api.md): services, "
     "start_date, end_date, milestones, products, objectives"},
    OP_IF_VERSION, {NULL}};
static const op_field f_tor_show[] = {
    TASKING_REF, {"version", OT_INT, OF_PATH | OF_CLI_OPT, "the version (CLI default: the latest)",
                  .min = 1, .max = INT32_MAX},
    {NULL}};
static const op_field f_tor_list[] = {TASKING_REF, OP_PAGE_FIELDS, {NULL}};
static const op_field f_tor_diff[] = {
    TASKING_REF, {"from", OT_INT, OF_ARG | OF_QUERY | OF_REQUIRED, "one version", .meta = "A",
                  .min = 1, .max = INT32_MAX},
    {"to", OT_INT, OF_ARG | OF_QUERY | OF_REQUIRED, "another version", .meta = "B", .min = 1,
     .max = INT32_MAX}, {NULL}};
static const op_field f_reassess[] = {
    TASKING_REF,
    {"assessment", OT_DOC, OF_REQUIRED, "the assessment input (docs/api.md): harm, scale, "
     "likelihood, confidence, capacity, capability, needs"},
    OP_IF_VERSION, {NULL}};
static const op_field f_tasking_ref[] = {TASKING_REF, {NULL}};
static const op_field f_tor_milestone[] = {
    TASKING_REF, {"milestone", OT_STRING, OF_NEEDED, "the milestone's name, as in the ToR", .meta = "NAME"},
    {NULL}};
static const op_field f_tasking_list[] = {
    {"state", OT_STRING, OF_QUERY, "only taskings in this state", .meta = "STATE"},
    {"region", OT_STRING, OF_QUERY, "only taskings requested or owned in this region", .meta = "CODE"},
    {"owner", OT_STRING, OF_QUERY, "only taskings on threats of this owner", .meta = "CODE"},
    OP_PAGE_FIELDS, {NULL}};
static const op_field f_tasking_queue[] = {OP_PAGE_FIELDS, {NULL}};
static const op_field f_tasking_due[] = {
    {"days", OT_INT, OF_QUERY, "due within this many days (default 14)", .min = 0, .max = 3660},
    {"all", OT_BOOL, OF_QUERY, "also the items others act on, each marked whose it is"},
    OP_PAGE_FIELDS, {NULL}};

/* ---- the work on a tasking ---- */
#define ITEM_PATH {"item", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the intelligence item (INT-...)", .meta = "ITEM"}
#define JUSTIFICATION {"justification", OT_STRING, OF_PURPOSE, "why you read it (logged with the read)", .meta = "TEXT"}
#define INTEL_FIELDS(req)                                                                      \
    {"text", OT_STRING, req, "the intelligence", .meta = "TEXT"},                              \
    {"source", OT_STRING, req, "a description of the source", .meta = "TEXT"},                 \
    {"grade", OT_STRING, 0, "3x5x2: source 1-3 and assessment A-E (1B)", .meta = "1B"},         \
    {"handling", OT_STRING, 0, "P, or C with its conditions", .meta = "P|C"},                   \
    {"conditions", OT_STRING, 0, "the conditions of a C item", .meta = "TEXT"},                 \
    {"legacy", OT_STRING, 0, "a 5x5x5 code (B24) instead: mapped, the original kept", .meta = "CODE"}, \
    {"marking", OT_STRING, 0, "default: the tasking's, never below it", .meta = "M"},           \
    {"pnd", OT_STRING, 0, "pending (default), recorded or not_required", .meta = "S"},         \
    {"pnd_ref", OT_STRING, 0, "the PND reference (recorded)", .meta = "R"},                     \
    {"pnd_date", OT_STRING, 0, "when it was recorded on PND", .meta = "YYYY-MM-DD"},            \
    {"pnd_reason", OT_STRING, 0, "why PND is not required", .meta = "TEXT"}
static const op_field f_contribution_add[] = {
    TASKING_REF,
    {"date", OT_STRING, OF_NEEDED, "the day of the work, not in the future", .meta = "YYYY-MM-DD"},
    {"hours", OT_STRING, OF_NEEDED | OF_NUMBER_OK, "decimal hours, 0 < H <= 24 (kept as minutes)",
     .meta = "H"},
    {"text", OT_STRING, OF_NEEDED, "what was done", .meta = "TEXT"},
    OP_IF_VERSION, {NULL}};
static const op_field f_tasking_page[] = {TASKING_REF, OP_PAGE_FIELDS, {NULL}};
static const op_field f_intel_add[] = {TASKING_REF, INTEL_FIELDS(OF_NEEDED), OP_IF_VERSION, {NULL}};
static const op_field f_intel_correct[] = {
    ITEM_PATH, {"reason", OT_STRING, OF_NEEDED, "why it is corrected", .meta = "TEXT"},
    INTEL_FIELDS(0), OP_IF_VERSION, {NULL}};
static const op_field f_intel_pnd[] = {
    ITEM_PATH,
    {"pnd", OT_STRING, OF_API_ONLY, "recorded or not_required"},
    {"recorded", OT_BOOL, OF_CLI_ONLY, "it is recorded on PND (with --pnd-ref and --pnd-date)"},
    {"not_required", OT_BOOL, OF_CLI_ONLY, "PND is not required (with --reason)"},
    {"pnd_ref", OT_STRING, 0, "the PND reference", .meta = "R"},
    {"pnd_date", OT_STRING, 0, "when it was recorded", .meta = "YYYY-MM-DD"},
    {"reason", OT_STRING, 0, "why PND is not required", .meta = "TEXT"},
    OP_IF_VERSION, {NULL}};
static const op_field f_intel_show[] = {
    ITEM_PATH, {"version", OT_INT, OF_QUERY, "a version (default: the current one)", .min = 1,
                .max = (int64_t)1 << 53},
    JUSTIFICATION, {NULL}};
static const op_field f_intel_history[] = {ITEM_PATH, JUSTIFICATION, OP_PAGE_FIELDS, {NULL}};
static const op_field f_intel_list[] = {
    TASKING_REF, {"pnd", OT_STRING, OF_QUERY, "only items with this PND status", .meta = "S"},
    JUSTIFICATION, OP_PAGE_FIELDS, {NULL}};
static const op_field f_intel_due[] = {
    {"days", OT_INT, OF_QUERY, "due within this many days (default 0: due now)", .min = 0, .max = 36600},
    {"pnd", OT_STRING, OF_QUERY, "only items with this PND status", .meta = "S"},
    JUSTIFICATION, OP_PAGE_FIELDS, {NULL}};
static const op_field f_intel_review[] = {
    ITEM_PATH,
    {"decision", OT_STRING, OF_API_ONLY, "retain or dispose"},
    {"retain", OT_BOOL, OF_CLI_ONLY, "keep the item until the next review (with --next)"},
    {"dispose", OT_BOOL, OF_CLI_ONLY, "erase the item's content for good"},
    {"next", OT_STRING, 0, "retain: the next review date", .meta = "YYYY-MM-DD"},
    {"reason", OT_STRING, OF_NEEDED, "why the item is retained or disposed of", .meta = "TEXT"},
    {NULL}};
static const op_field f_intel_reviews[] = {ITEM_PATH, JUSTIFICATION, {NULL}};
static const op_field f_option_add[] = {
    TASKING_REF,
    {"strand", OT_STRING, OF_NEEDED, "pursue, prevent, protect or prepare", .meta = "4P"},
    {"text", OT_STRING, OF_NEEDED, "what would be done", .meta = "TEXT"},
    {"agency", OT_STRING, OF_NEEDED, "the agency that would act", .meta = "CODE"},
    {"marking", OT_STRING, 0, "default: the tasking's, never below it (the agency named reads "
                              "the option only when cleared for it)", .meta = "M"},
    OP_IF_VERSION, {NULL}};
static const op_field f_option_set[] = {
    {"option", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the option (OPT-...)", .meta = "OPT"},
    {"status", OT_STRING, OF_NEEDED, "accepted, declined or actioned", .meta = "S"},
    {"version", OT_INT, 0, "the option's version as you read it (option list): refused if it "
                           "changed since; required once the tasking has ended", .meta = "N", .min = 1,
     .max = INT32_MAX},
    OP_IF_VERSION, {NULL}};
static const op_field f_option_list[] = {
    TASKING_REF, {"status", OT_STRING, OF_QUERY, "only options with this status", .meta = "S"},
    {"strand", OT_STRING, OF_QUERY, "only options of this 4P strand", .meta = "4P"},
    OP_PAGE_FIELDS, {NULL}};
static const op_field f_option_agency[] = {
    {"status", OT_STRING, OF_QUERY, "only options with this status", .meta = "S"},
    {"strand", OT_STRING, OF_QUERY, "only options of this 4P strand", .meta = "4P"},
    OP_PAGE_FIELDS, {NULL}};
static const op_field f_product_deliver[] = {
    {"product", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the product (PRD-...)", .meta = "PROD"},
    {"version", OT_INT, 0, "the version delivered (default: the latest)", .min = 1,
     .max = (int64_t)1 << 53},
    OP_IF_VERSION, {NULL}};
static const op_field f_product_list[] = {
    TASKING_REF, {"type", OT_STRING, OF_QUERY, "only products of this type", .meta = "TYPE"},
    OP_PAGE_FIELDS, {NULL}};


/* ---- the analysis of the picture (issue 17; docs/analysis.md) ---- */
#define AN_TASKING {"ref", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF | OF_CLI_OPT, "the tasking's reference", \
                    .cli = "tasking", .meta = "REF"}
#define AN_PERIOD                                                                              \
    {"from", OT_STRING, 0, "period start: YYYY-MM-DD or a UTC time", .meta = "DATE"},          \
    {"to", OT_STRING, 0, "period end (a date: to its end)", .meta = "DATE"}
#define AN_SAVE {"save", OT_STRING, 0, "also save the result as a product of this type (network_analysis, " \
                 "financial_analysis, ...)", .meta = "TYPE"}
#define AN_TOP {"top", OT_INT, 0, "at most this many (default 20)", .meta = "N", .min = 1, .max = 10000}
#define AN_GRAPH_FILTER                                                                        \
    AN_TASKING,                                                                                \
    {"entity_types", OT_STRINGS, 0, "keep entities of this type (repeatable)", .cli = "entity-type", .meta = "TYPE"}, \
    {"link_types", OT_STRINGS, 0, "keep links of this type (repeatable)", .cli = "link-type", .meta = "TYPE"}, \
    AN_PERIOD,                                                                                 \
    {"min_grade", OT_STRING, 0, "keep links graded at least this (2B: source 1-2 and assessment A-B)", \
     .meta = "GRADE"},                                                                         \
    {"min_grade_any", OT_BOOL, 0, "judge min_grade (needed) on each source of a link: kept when " \
     "one is graded so (default: the link's grade, the worst of its sources)"},                \
    {"drop_isolated", OT_BOOL, 0, "leave out the entities the filter leaves without a link"}, \
    {"weighted", OT_BOOL, 0, "weigh links by confidence (times an import's transactions or contacts)"}, \
    {"directed", OT_BOOL, 0, "keep the direction of directed links (pays, controls, ...)"},    \
    AN_SAVE, JUSTIFICATION
static const char *const an_methods[] = {"leiden", "louvain", NULL};
static const char *const an_sorts[] = {"degree", "betweenness", "closeness", "eigenvector", "pagerank", NULL};
#define AN_METHOD {"method", OT_STRING, 0, "leiden (default) or louvain", .values = an_methods}
#define AN_ENTITY(doc) {"entity", OT_STRING, OF_NEEDED | OF_REF, doc, .meta = "ENT"}
static const op_field f_graph_stats[] = {AN_GRAPH_FILTER, {NULL}};
static const op_field f_graph_central[] = {
    AN_GRAPH_FILTER, AN_TOP,
    {"sort", OT_STRING, 0, "rank by degree, betweenness, closeness, eigenvector or pagerank (default)",
     .values = an_sorts},
    {NULL}};
static const op_field f_graph_communities[] = {AN_GRAPH_FILTER, AN_METHOD, {NULL}};
static const op_field f_graph_path[] = {
    AN_GRAPH_FILTER, AN_ENTITY("from this entity"),
    {"other", OT_STRING, OF_NEEDED | OF_REF, "to this entity", .cli = "to-entity", .meta = "ENT"}, {NULL}};
static const op_field f_graph_ego[] = {
    AN_GRAPH_FILTER, AN_ENTITY("the centre"),
    {"k", OT_INT, 0, "steps from the centre (default 1)", .meta = "K", .min = 1, .max = 6}, {NULL}};
static const op_field f_graph_brokers[] = {AN_GRAPH_FILTER, AN_METHOD, AN_TOP, {NULL}};
static const op_field f_graph_keyplayers[] = {
    AN_GRAPH_FILTER, {"k", OT_INT, 0, "how many to remove (default 3)", .meta = "K", .min = 1, .max = 50}, {NULL}};
#define AN_IMPORT(roles)                                                                       \
    AN_TASKING,                                                                                \
    {"fields", OT_STRINGS, OF_RAW, "a role's column when not named as the role: " roles, .cli = "field", \
     .meta = "ROLE=COLUMN"},                                                                   \
    {"marking", OT_STRING, 0, "default: the tasking's, never below it", .meta = "M"},          \
    {"grade", OT_STRING, 0, "3x5x2 of the file: source 1-3 and assessment A-E (default 1A)", .meta = "1A"}, \
    {"handling", OT_STRING, 0, "P (default), or C with its conditions", .meta = "P|C"},       \
    {"conditions", OT_STRING, 0, "the conditions of a C file", .meta = "TEXT"},                \
    {"replace", OT_STRING, 0, "an import (IMP-...) this file replaces, in the same transaction", .meta = "IMP"}, \
    {"file", OT_STRING, OF_ARG | OF_CLI_ONLY | OF_RAW, "the CSV file (header line, then one row a line)", .meta = "FILE.csv"}, \
    {"csv", OT_STRING, OF_API_ONLY | OF_RAW, "the CSV text (header line, then one row a line)"}, \
    OP_IF_VERSION
static const op_field f_finance_import[] = {AN_IMPORT("date from to amount currency reference from_holder to_holder"), {NULL}};
#define IMPORT_PATH {"import", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the import (IMP-...)", .meta = "IMP"}
static const op_field f_an_remove[] = {IMPORT_PATH, REASON("why it is removed"), OP_IF_VERSION, {NULL}};
static const op_field f_comms_import[] = {AN_IMPORT("caller callee start duration type cell"), {NULL}};
static const op_field f_an_imports[] = {AN_TASKING, OP_PAGE_FIELDS, {NULL}};
static const op_field f_finance[] = {AN_TASKING, AN_PERIOD, AN_TOP, AN_SAVE, JUSTIFICATION, {NULL}};
#define AN_PHONE(doc) {"phone", OT_STRING, OF_NEEDED, doc, .meta = "PHONE"}
static const op_field f_comms_contacts[] = {AN_TASKING, AN_PERIOD, AN_TOP, AN_SAVE, JUSTIFICATION, {NULL}};
static const op_field f_comms_top[] = {
    AN_TASKING, AN_PHONE("the phone: a number or its phone entity (ENT-...)"), AN_PERIOD, AN_TOP, AN_SAVE,
    JUSTIFICATION, {NULL}};
static const op_field f_comms_common[] = {
    AN_TASKING, AN_PHONE("one phone: a number or its phone entity"),
    {"other", OT_STRING, OF_NEEDED, "the other phone", .meta = "PHONE"}, AN_PERIOD, AN_TOP, AN_SAVE,
    JUSTIFICATION, {NULL}};
static const op_field f_comms_activity[] = {
    AN_TASKING, {"phone", OT_STRING, 0, "only this phone (default: every phone)", .meta = "PHONE"}, AN_PERIOD,
    AN_SAVE, JUSTIFICATION, {NULL}};
static const op_field f_timeline[] = {
    AN_TASKING,
    {"entity", OT_STRING, OF_QUERY | OF_REF, "only what concerns this entity", .meta = "ENT"},
    {"from", OT_STRING, OF_QUERY, "period start: YYYY-MM-DD or a UTC time", .meta = "DATE"},
    {"to", OT_STRING, OF_QUERY, "period end (a date: to its end)", .meta = "DATE"},
    {"limit", OT_INT, OF_QUERY, "at most this many events (default 1000)", .meta = "N", .min = 1, .max = 100000},
    JUSTIFICATION, {NULL}};

/* ---- the intelligence picture (issue 16) ---- */
static const char *const pic_levels[] = {"national", "regional", "local", NULL};
static const char *const pic_decisions[] = {"same", "different", NULL};
#define ENTITY_PATH {"entity", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the entity (ENT-...)", .meta = "ENT"}
#define DATASET_PATH {"dataset", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the dataset (DS-...)", .meta = "DS"}
#define PAIR_PATH {"pair", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the review pair (REV-...)", .meta = "REV"}
static const op_field f_dataset_import[] = {
    TASKING_REF,
    {"name", OT_STRING, OF_NEEDED, "the dataset's name, unique in the tasking", .meta = "NAME"},
    {"level", OT_STRING, OF_NEEDED, "national, regional or local", .values = pic_levels},
    {"grade", OT_STRING, OF_NEEDED, "3x5x2 of the whole dataset: source 1-3 and assessment A-E (2B)",
     .meta = "1B"},
    {"handling", OT_STRING, OF_NEEDED, "P, or C with its conditions", .meta = "P|C"},
    {"conditions", OT_STRING, 0, "the conditions of a C dataset", .meta = "TEXT"},
    {"marking", OT_STRING, 0, "default: the tasking's, never below it", .meta = "M"},
    {"fields", OT_STRINGS, OF_NEEDED | OF_RAW, "a column's role: id first_name middle_name surname full_name dob "
     "sex ni_number pnc_id address postcode town phone email online_id vehicle sort_code account "
     "organisation date age", .cli = "field", .meta = "ROLE=COLUMN"},
    {"file", OT_STRING, OF_ARG | OF_CLI_ONLY | OF_RAW, "the CSV file (header line, then one record a line)",
     .meta = "FILE.csv"},
    {"csv", OT_STRING, OF_API_ONLY | OF_RAW, "the CSV text (header line, then one record a line)"},
    {"filename", OT_STRING, OF_API_ONLY, "with csv: the file's name, kept as the dataset's provenance"},
    {"replace", OT_BOOL, 0, "replace the dataset with the same file or name"},
    {"link_threshold", OT_STRING, OF_NUMBER_OK, "match probability that joins two records (default "
     "0.9, then the tasking's last)", .meta = "P"},
    {"review_threshold", OT_STRING, OF_NUMBER_OK, "from this probability up to the link threshold a "
     "pair goes to the review queue (default 0.3)", .meta = "P"},
    OP_IF_VERSION, {NULL}};
static const op_field f_dataset_ref[] = {DATASET_PATH, {NULL}};
static const op_field f_job_show[] = {
    {"job", OT_STRING, OF_PATH | OF_REQUIRED, "the job's id", .meta = "JOB"}, {NULL}};
static const op_field f_dataset_remove[] = {DATASET_PATH, REASON("why it is removed"), OP_IF_VERSION, {NULL}};
static const op_field f_dataset_resolve[] = {TASKING_REF, REASON("why it is resolved again"), OP_IF_VERSION, {NULL}};
static const op_field f_dataset_review[] = {
    DATASET_PATH,
    {"decision", OT_STRING, OF_API_ONLY, "retain or dispose"},
    {"retain", OT_BOOL, OF_CLI_ONLY, "keep the dataset until the next review (with --next)"},
    {"dispose", OT_BOOL, OF_CLI_ONLY, "delete the dataset, its records and what only they support"},
    {"next", OT_STRING, 0, "retain: the next review date", .meta = "YYYY-MM-DD"},
    {"reason", OT_STRING, OF_NEEDED, "why the dataset is retained or disposed of", .meta = "TEXT"},
    {NULL}};
static const char *const due_kinds[] = {"dataset", "entity", NULL};
static const op_field f_picture_due[] = {
    {"days", OT_INT, OF_QUERY, "due within this many days (default 0: due now)", .min = 0, .max = 36600},
    {"kind", OT_STRING, OF_QUERY, "only datasets or only entities", .values = due_kinds},
    OP_PAGE_FIELDS, {NULL}};
static const op_field f_entity_list[] = {
    TASKING_REF, {"type", OT_STRING, OF_QUERY, "only entities of this type", .meta = "TYPE"},
    JUSTIFICATION, OP_PAGE_FIELDS, {NULL}};
static const op_field f_entity_show[] = {ENTITY_PATH, JUSTIFICATION, {NULL}};
static const char *const export_formats[] = {"anx", "graphml", "csv", "json", NULL};
static const char *const export_details[] = {"transactions", "calls", NULL};
static const op_field f_picture_export[] = {
    TASKING_REF,
    {"format", OT_STRING, OF_REQUIRED, "anx (i2 Analyst's Notebook), graphml, csv or json", .values = export_formats,
     .meta = "FORMAT"},
    {"recipient", OT_STRING, OF_REQUIRED, "who receives the export (logged)", .meta = "TEXT"},
    {"purpose", OT_STRING, 0, "why it is disclosed (logged)", .meta = "TEXT"},
    {"detail", OT_STRINGS, 0,
     "also each transaction or call record you may see as a dated link (repeatable: transactions, calls)",
     .values = export_details, .meta = "WHAT"},
    {NULL}};
static const op_field f_link_list[] = {
    TASKING_REF, {"type", OT_STRING, OF_QUERY, "only links of this type", .meta = "TYPE"},
    JUSTIFICATION, OP_PAGE_FIELDS, {NULL}};
static const op_field f_picture_image[] = {
    TASKING_REF,
    {"png", OT_STRING, OF_REQUIRED, "the PNG image, base64 (a data:image/png;base64, prefix allowed)"},
    {"marking", OT_STRING, OF_REQUIRED, "the marking drawn into the image: not below the picture's", .meta = "M"},
    {"recipient", OT_STRING, OF_REQUIRED, "who receives the image (logged)", .meta = "TEXT"},
    {"purpose", OT_STRING, 0, "why it is disclosed (logged)", .meta = "TEXT"},
    {"view", OT_STRING, 0, "what the image shows: network, ego ENT-... k 2, path A B (logged)", .meta = "TEXT"},
    {NULL}};
static const op_field f_entity_add[] = {
    TASKING_REF,
    {"type", OT_STRING, OF_NEEDED, "person organisation address phone vehicle account location "
     "online_identity event", .meta = "TYPE"},
    {"label", OT_STRING, OF_NEEDED, "what it is called", .meta = "TEXT"},
    {"item", OT_STRING, OF_NEEDED | OF_REF, "the intelligence item that supports it", .meta = "INT"},
    {"confidence", OT_STRING, OF_NUMBER_OK, "0 to 1 (default 1)", .meta = "P"},
    OP_IF_VERSION, {NULL}};
static const op_field f_entity_update[] = {
    ENTITY_PATH, {"label", OT_STRING, 0, "a new label", .meta = "TEXT"},
    {"confidence", OT_STRING, OF_NUMBER_OK, "a new confidence, 0 to 1", .meta = "P"}, OP_IF_VERSION, {NULL}};
static const op_field f_entity_link[] = {
    ENTITY_PATH, {"to", OT_STRING, OF_ARG | OF_REQUIRED | OF_REF, "the other entity", .meta = "ENT"},
    {"type", OT_STRING, OF_NEEDED, "associate family employs lives_at uses_phone uses uses_vehicle "
     "holds_account pays controls travels_with victim_of exploits located_at attended contacts", .meta = "TYPE"},
    {"item", OT_STRING, OF_NEEDED | OF_REF, "the intelligence item that supports it", .meta = "INT"},
    {"confidence", OT_STRING, OF_NUMBER_OK, "0 to 1 (default 1)", .meta = "P"},
    OP_IF_VERSION, {NULL}};
static const op_field f_entity_unlink[] = {
    {"link", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the link (LNK-...)", .meta = "LNK"},
    REASON("why it is removed"), OP_IF_VERSION, {NULL}};
static const op_field f_entity_merge[] = {
    ENTITY_PATH, {"other", OT_STRING, OF_ARG | OF_REQUIRED | OF_REF, "the entity merged into it", .meta = "ENT"},
    REASON("why they are the same"), OP_IF_VERSION, {NULL}};
static const op_field f_entity_split[] = {
    ENTITY_PATH, {"record", OT_STRING, OF_NEEDED | OF_REF, "the record that leaves it (REC-...)", .meta = "REC"},
    REASON("why it is someone else"), OP_IF_VERSION, {NULL}};
static const op_field f_review_list[] = {TASKING_REF, JUSTIFICATION, OP_PAGE_FIELDS, {NULL}};
static const op_field f_review_show[] = {PAIR_PATH, JUSTIFICATION, {NULL}};
static const op_field f_review_decide[] = {
    PAIR_PATH, {"decision", OT_STRING, OF_ARG | OF_REQUIRED, "same or different", .values = pic_decisions,
                .meta = "same|different"},
    REASON("why"), OP_IF_VERSION, {NULL}};
static const op_field f_search[] = {
    {"q", OT_STRING, OF_ARG | OF_QUERY | OF_REQUIRED, "what to search for: words, names, telephone numbers, "
     "registration marks, postcodes (at most 200 bytes; no query syntax)", .meta = "TEXT"},
    {"tasking", OT_STRING, OF_QUERY | OF_REF, "only this tasking", .meta = "REF"},
    {"type", OT_STRING, OF_QUERY, "only tasking, intelligence, entity or entities of one type (person, phone, ...)",
     .meta = "T"},
    JUSTIFICATION, OP_PAGE_FIELDS, {NULL}};
static const op_field f_deconflict_list[] = {
    {"open", OT_BOOL, OF_QUERY, "only alerts not yet acknowledged"}, OP_PAGE_FIELDS, {NULL}};
static const op_field f_deconflict_ack[] = {
    {"alert", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the deconfliction alert (DCF-...)", .meta = "DCF"},
    {NULL}};

/* ---- APMIS and the audit trail ---- */
static const op_field f_apmis_record[] = {
    {"threat", OT_STRING, OF_NEEDED | OF_REF, "the SOC master list threat", .meta = "SOC-REF"},
    {"date", OT_STRING, OF_NEEDED, "the day of the disruption, not in the future", .meta = "YYYY-MM-DD"},
    {"impact", OT_STRING, OF_NEEDED, "major, moderate, minor, none or negative", .meta = "I"},
    {"type", OT_STRING, OF_NEEDED, "arrest charge conviction seizure victims_safeguarded "
     "order_obtained asset_freeze immigration_action other", .meta = "TYPE"},
    {"lead", OT_STRING, OF_NEEDED, "the lead agency", .meta = "CODE"},
    {"capabilities", OT_STRINGS, 0, "a contributing capability (toex when TOEX helped)",
     .cli = "capability", .meta = "CODE"},
    {"arrests", OT_INT, 0, "arrests (0 or more)"},
    {"safeguarded", OT_INT, 0, "victims safeguarded (0 or more)"},
    {"seized_pence", OT_INT, 0, "value seized in whole pence (0 or more)"},
    {"strand", OT_STRING, OF_NEEDED, "pursue, prevent, protect or prepare", .meta = "4P"},
    {"narrative", OT_STRING, OF_NEEDED, "what happened", .meta = "TEXT"},
    {NULL}};
static const op_field f_apmis_ref[] = {
    {"ref", OT_STRING, OF_PATH | OF_REQUIRED | OF_REF, "the record (APM-...)", .meta = "APM-REF"}, {NULL}};
static const op_field f_apmis_list[] = {
    {"threat", OT_STRING, OF_QUERY | OF_REF, "only records of this threat", .meta = "SOC-REF"},
    OP_PAGE_FIELDS, {NULL}};
static const op_field f_apmis_report[] = {
    {"region", OT_STRING, OF_QUERY, "only this region", .meta = "CODE"},
    {"force", OT_STRING, OF_QUERY, "only this agency", .meta = "CODE"},
    {"by", OT_STRING, OF_QUERY,
     "requester (default: taskings the scope requested, disruptions it led) or owner (taskings of "
     "the threats it owns, disruptions against them)", .meta = "requester|owner"},
    {"from", OT_STRING, OF_QUERY, "from this day", .meta = "YYYY-MM-DD"},
    {"to", OT_STRING, OF_QUERY, "to this day (default: today)", .meta = "YYYY-MM-DD"},
    {"format", OT_STRING, OF_QUERY | OF_API_ONLY, "json (default) or csv"},
    {"csv", OT_BOOL, OF_CLI_ONLY, "the same figures as CSV"},
    {NULL}};
static const op_field f_audit_log[] = {
    {"object", OT_STRING, OF_QUERY, "only entries about this object", .meta = "REF"},
    {"actor", OT_STRING, OF_QUERY, "only entries made by this user", .meta = "NAME"},
    {"action", OT_STRING, OF_QUERY, "only entries of this action (tasking.submit, user.disable...)",
     .meta = "ACTION"},
    {"newest", OT_BOOL, OF_QUERY, "newest first (the cursor then pages back in time)"},
    OP_PAGE_FIELDS, {NULL}};
static const op_field f_audit_verify[] = {
    {"checkpoint", OT_STRING, OF_QUERY | OF_FILE | OF_RAW,
     "a line printed by `iom audit checkpoint` (CLI: a file holding it): also detects entries "
     "removed from the end", .meta = "FILE"},
    {"reads", OT_BOOL, OF_QUERY, "the read chain (the log of content reads) instead of the changes"},
    {NULL}};
static const op_field f_audit_checkpoint[] = {
    {"reads", OT_BOOL, OF_QUERY, "the head of the read chain instead of the change chain"},
    {NULL}};
static const char *const read_log_actions[] = {"tasking.read", "intel.consult", "product.disclose",
                                              "option.read", "picture.export", "access.refused",
                                              NULL};
static const op_field f_audit_reads[] = {
    {"user", OT_STRING, OF_QUERY, "only this user's reads", .meta = "NAME"},
    {"object", OT_STRING, OF_QUERY, "only reads of this object", .meta = "REF"},
    {"action", OT_STRING, OF_QUERY, "only entries of this action (access.refused: refused accesses)",
     .values = read_log_actions, .meta = "ACTION"},
    {"newest", OT_BOOL, OF_QUERY, "newest first (the cursor then pages back in time)"},
    OP_PAGE_FIELDS, {NULL}};

static const char *const setting_names[] = {"assessment.scoring", "grade.legacy_map",
                                            "intel.review_years", "triage.target_days",
                                            "auth.session", "auth.lockout", "analysis.finance", NULL};
#define SETTING_PATH                                                                           \
    {"setting", OT_STRING, OF_PATH | OF_REQUIRED, "the setting's name", .values = setting_names, \
     .meta = "NAME"}
static const op_field f_setting_name[] = {SETTING_PATH, {NULL}};
static const op_field f_setting_history[] = {SETTING_PATH, OP_PAGE_FIELDS, {NULL}};
static const op_field f_setting_set[] = {
    SETTING_PATH,
    {"value", OT_STRING, OF_REQUIRED | OF_JSON, "the new value, as JSON (its shape: `settings "
     "show NAME`; docs/settings.md)", .meta = "JSON"},
    {"reason", OT_STRING, OF_REQUIRED, "why it changes (kept with the version and audited)",
     .meta = "TEXT"},
    OP_IF_VERSION, {NULL}};

#define ACT(nm, grp, cm, actn, fl, who, hlp, act)                                              \
    {.name = nm, .group = grp, .cmd = cm, .method = "POST",                                    \
     .path = "/api/v1/taskings/{ref}/" actn, .fields = fl, .returns = "Tasking",                \
     .flags = OP_WRITE, .tag = "taskings", .summary = who, .help = hlp,                        \
     .run = op_tasking_act, .arg = act}

const op_def op_table[] = {
    {.name = "region.list", .group = "region", .cmd = "list", .method = "GET",
     .path = "/api/v1/regions", .fields = f_none, .returns = "Region", .flags = OP_LIST,
     .tag = "reference", .summary = "list the regions", .run = op_region_list},
    {.name = "holiday.list", .group = "holiday", .cmd = "list", .method = "GET",
     .path = "/api/v1/holidays", .fields = f_holiday_list, .returns = "Holiday", .flags = OP_LIST,
     .tag = "reference", .summary = "list the bank holidays that working days skip",
     .help = "England and Wales, seeded for 2020-2030; the Gateway's triage targets are in\n"
             "working days (weekdays that are not bank holidays).",
     .run = op_holiday_list},
    {.name = "holiday.add", .group = "holiday", .cmd = "add", .method = "POST",
     .path = "/api/v1/holidays", .fields = f_holiday_add, .returns = "Holiday",
     .flags = OP_ADMIN | OP_WRITE | OP_CREATED, .tag = "reference", .summary = "add a bank holiday (admin)",
     .help = "A weekday: weekends are never working days.", .run = op_holiday_add},
    {.name = "holiday.remove", .group = "holiday", .cmd = "remove", .method = "DELETE",
     .path = "/api/v1/holidays/{day}", .fields = f_holiday_remove, .returns = "Holiday",
     .flags = OP_ADMIN | OP_WRITE, .tag = "reference", .summary = "remove a bank holiday (admin)",
     .help = "A day added by mistake: every Gateway triage deadline past it moves back.",
     .run = op_holiday_remove},
    {.name = "agency.list", .group = "agency", .cmd = "list", .method = "GET",
     .path = "/api/v1/agencies", .fields = f_agency_list, .returns = "Agency", .flags = OP_LIST,
     .tag = "reference", .summary = "list agencies (forces, ROCUs, national, capability)",
     .help = "Enabled agencies by code (with --all also disabled and merged ones).",
     .run = op_agency_list},
    {.name = "agency.show", .group = "agency", .cmd = "show", .method = "GET",
     .path = "/api/v1/agencies/{code}", .fields = f_agency_code, .returns = "Agency",
     .tag = "reference", .summary = "show one agency", .run = op_agency_show},
    {.name = "agency.add", .group = "agency", .cmd = "add", .method = "POST",
     .path = "/api/v1/agencies", .fields = f_agency_add, .returns = "Agency",
     .flags = OP_ADMIN | OP_WRITE | OP_CREATED, .tag = "reference", .summary = "add an agency (admin)",
     .help = "The name may not be that of another enabled agency (compared in NFC, regardless of\n"
             "case, spacing and punctuation: 409 naming it); a disabled or merged agency's name is\n"
             "free. Runs of spaces inside the name are stored as one.",
     .run = op_agency_add},
    {.name = "agency.rename", .group = "agency", .cmd = "rename", .method = "POST",
     .path = "/api/v1/agencies/{code}/rename", .fields = f_agency_rename, .returns = "Agency",
     .flags = OP_ADMIN | OP_WRITE, .tag = "reference", .summary = "rename an agency (admin)",
     .help = "The new name may not be that of another enabled agency (as agency add: 409 naming it).",
     .run = op_agency_rename},
    {.name = "agency.disable", .group = "agency", .cmd = "disable", .method = "POST",
     .path = "/api/v1/agencies/{code}/disable", .fields = f_agency_code, .returns = "Agency",
     .flags = OP_ADMIN | OP_WRITE, .tag = "reference", .summary = "disable an agency (admin)",
     .run = op_agency_disable},
    {.name = "agency.merge", .group = "agency", .cmd = "merge", .method = "POST",
     .path = "/api/v1/agencies/{code}/merge", .fields = f_agency_merge, .returns = "Agency",
     .flags = OP_ADMIN | OP_WRITE, .tag = "reference", .summary = "merge one agency into another (admin)",
     .help = "Moves the agency's users and owned threats to the other and disables it, keeping "
             "its record.",
     .run = op_agency_merge},

    {.name = "settings.list", .group = "settings", .cmd = "list", .method = "GET",
     .path = "/api/v1/settings", .fields = f_none, .returns = "Setting", .flags = OP_LIST,
     .tag = "reference", .summary = "list the settings: scoring, grade mapping, review period, "
     "triage targets, session and lockout limits",
     .help = "The current version of each (any signed-in user). docs/settings.md.",
     .run = op_settings_list},
    {.name = "settings.show", .group = "settings", .cmd = "show", .method = "GET",
     .path = "/api/v1/settings/{setting}", .fields = f_setting_name, .returns = "Setting",
     .tag = "reference", .summary = "show a setting's current value and version",
     .run = op_settings_show},
    {.name = "settings.history", .group = "settings", .cmd = "history", .method = "GET",
     .path = "/api/v1/settings/{setting}/history", .fields = f_setting_history,
     .returns = "Setting", .flags = OP_LIST, .tag = "reference",
     .summary = "every version of a setting, newest first, with who changed it and why",
     .run = op_settings_history},
    {.name = "settings.set", .group = "settings", .cmd = "set", .method = "PUT",
     .path = "/api/v1/settings/{setting}", .fields = f_setting_set, .returns = "Setting",
     .flags = OP_ADMIN | OP_WRITE, .tag = "reference",
     .summary = "set a new version of a setting, with a reason (admin)",
     .help = "The value is checked (refused with the rule it breaks; nothing changes then) and\n"
             "becomes the next version, audited as setting.set. It applies to records made\n"
             "after it; records already made keep the version they were made with.",
     .run = op_settings_set},

    {.name = "user.add", .group = "user", .cmd = "add", .method = "POST", .path = "/api/v1/users",
     .fields = f_user_add, .returns = "User", .flags = OP_ADMIN | OP_WRITE | OP_CREATED, .tag = "admin",
     .summary = "add a user (admin; the first one without --as)",
     .help = "The first user may be added without --as while no admin exists.\n"
             "--password-stdin reads the password from the first line of standard input. A\n"
             "password an admin gives is temporary: the user changes it at the first sign-in.\n"
             "An auditor is added on the command line only, not over the API.",
     .run = op_user_add},
    {.name = "user.list", .group = "user", .cmd = "list", .method = "GET", .path = "/api/v1/users",
     .fields = f_user_list, .returns = "User", .flags = OP_LIST, .tag = "admin",
     .summary = "list users", .run = op_user_list},
    {.name = "user.show", .group = "user", .cmd = "show", .method = "GET",
     .path = "/api/v1/users/{name}", .fields = f_user_name, .returns = "User", .tag = "admin",
     .summary = "show one user", .run = op_user_show},
    {.name = "user.disable", .group = "user", .cmd = "disable", .method = "POST",
     .path = "/api/v1/users/{name}/disable", .fields = f_user_disable, .returns = "User",
     .flags = OP_ADMIN | OP_WRITE, .tag = "admin",
     .summary = "disable a user: its sessions and tokens stop at once (admin)",
     .run = op_user_disable},
    {.name = "user.enable", .group = "user", .cmd = "enable", .method = "POST",
     .path = "/api/v1/users/{name}/enable", .fields = f_user_name, .returns = "User",
     .flags = OP_ADMIN | OP_WRITE, .tag = "admin",
     .summary = "enable a disabled user again; it signs in anew (admin)",
     .help = "Sessions and API tokens the user held end: none made before the user was disabled\n"
             "comes back. A user of a disabled agency stays disabled (409).",
     .run = op_user_enable},
    {.name = "user.reset-password", .group = "user", .cmd = "reset-password", .method = "POST",
     .path = "/api/v1/users/{name}/password-reset", .fields = f_user_reset_password,
     .returns = "PasswordReset", .flags = OP_ADMIN | OP_WRITE, .tag = "admin",
     .summary = "reset a password; changed at next sign-in (admin)",
     .help = "Sets a temporary password (read from standard input with --password-stdin, or\n"
             "generated and printed once) that the user must change at the next sign-in; ends\n"
             "the user's sessions and tokens.",
     .run = op_user_reset_password},
    {.name = "user.reset-totp", .group = "user", .cmd = "reset-totp", .method = "DELETE",
     .path = "/api/v1/users/{name}/totp", .fields = f_user_name, .returns = "TotpReset",
     .flags = OP_ADMIN | OP_WRITE, .tag = "admin", .summary = "remove a user's TOTP enrolment (admin)",
     .help = "For a lost device: the user enrols again.", .run = op_user_reset_totp},
    {.name = "user.unlock", .group = "user", .cmd = "unlock", .method = "POST",
     .path = "/api/v1/users/{name}/unlock", .fields = f_user_name, .returns = "User",
     .flags = OP_ADMIN | OP_WRITE, .tag = "admin",
     .summary = "end a user's lockout after failed sign-ins (admin)",
     .help = "A password reset ends the lockout too.", .run = op_user_unlock},
    {.name = "user.unlock-address", .group = "user", .cmd = "unlock-address", .method = "POST",
     .path = "/api/v1/address-lockouts/unlock", .fields = f_address_unlock, .returns = "AddressUnlock",
     .flags = OP_ADMIN | OP_WRITE, .tag = "admin",
     .summary = "end a client address's lockout after failed sign-ins (admin)",
     .help = "20 failed sign-ins from one address within 15 minutes (the auth.lockout setting) lock\n"
             "it, whatever the user names: behind a proxy not named with `iom serve\n"
             "--trusted-proxy`, every user's address. An IPv6 address is counted by its /64.\n"
             "Answers the counter as it was (failures 0: nothing to clear, nothing written).",
     .run = op_user_unlock_address},
    {.name = "user.password", .group = "user", .cmd = "password", .method = "POST",
     .path = "/api/v1/me/password", .fields = f_me_password, .returns = "PasswordChanged",
     .flags = OP_WRITE | OP_RESTRICTED_OK | OP_ENDS_SESSION, .tag = "session",
     .summary = "change your password (the old one required)",
     .help = "The CLI reads the current password, then the new one, one per line of standard\n"
             "input (prompted without echo on a terminal). Ends every session and API token of\n"
             "the user.",
     .run = op_me_password},
    {.name = "user.totp-enrol", .group = "user", .cmd = "totp-enrol", .method = "POST",
     .path = "/api/v1/me/totp", .fields = f_none, .returns = "TotpEnrolment",
     .flags = OP_WRITE | OP_CREATED | OP_TOTP_ENROL, .tag = "session",
     .summary = "start your TOTP second factor (prints the secret once)",
     .help = "RFC 6238 (SHA1, 6 digits, 30 s): the secret and an otpauth:// URI, shown once, for\n"
             "an authenticator app; then `user totp-confirm CODE`. Running it again before\n"
             "confirming starts over with a new secret.",
     .run = op_me_totp_enrol},
    {.name = "user.totp-confirm", .group = "user", .cmd = "totp-confirm", .method = "POST",
     .path = "/api/v1/me/totp/confirm", .fields = f_me_totp_confirm, .returns = "TotpEnrolled",
     .flags = OP_WRITE | OP_TOTP_ENROL, .tag = "session",
     .summary = "confirm your TOTP enrolment with a code", .run = op_me_totp_confirm},
    {.name = "token.create", .group = "token", .cmd = "create", .method = "POST",
     .path = "/api/v1/tokens", .fields = f_token_create, .returns = "ApiTokenCreated",
     .flags = OP_WRITE | OP_CREATED, .tag = "session",
     .summary = "create a Bearer API token (printed once)",
     .help = "For yourself, or (admin) for another user. Only its hash is kept.",
     .run = op_token_create},
    {.name = "token.list", .group = "token", .cmd = "list", .method = "GET", .path = "/api/v1/tokens",
     .fields = f_token_list, .returns = "ApiToken", .flags = OP_LIST, .tag = "session",
     .summary = "API tokens and whether each is revoked or expired (never the token)",
     .run = op_token_list},
    {.name = "token.revoke", .group = "token", .cmd = "revoke", .method = "DELETE",
     .path = "/api/v1/tokens/{ref}", .fields = f_token_ref, .returns = "ApiToken",
     .flags = OP_WRITE, .tag = "session",
     .summary = "revoke an API token (its user, or an admin)", .run = op_token_revoke},
    {.name = "role.list", .group = "role", .cmd = "list", .method = "GET", .path = "/api/v1/roles",
     .fields = f_none, .returns = "RoleSetting", .flags = OP_LIST, .tag = "admin",
     .summary = "roles and whether each requires TOTP (admin)", .run = op_role_list},
    {.name = "role.require-totp", .group = "role", .cmd = "require-totp", .method = "POST",
     .path = "/api/v1/roles/{role}/require-totp", .fields = f_role_totp, .returns = "RoleSetting",
     .flags = OP_ADMIN | OP_WRITE | OP_LIST, .tag = "admin",
     .summary = "make a role require TOTP, or --off (admin)",
     .help = "Users holding the role must enrol a TOTP second factor before using the API.",
     .run = op_role_require_totp},

    {.name = "threat.add", .group = "threat", .cmd = "add", .method = "POST",
     .path = "/api/v1/threats", .fields = f_threat_add, .returns = "Threat",
     .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "threats",
     .summary = "put a threat on the SOC master list (owner's spoc or sio)",
     .help = "Run by a spoc or sio of the owning agency; prints the new SOC reference.",
     .run = op_threat_add},
    {.name = "threat.list", .group = "threat", .cmd = "list", .method = "GET",
     .path = "/api/v1/threats", .fields = f_threat_list, .returns = "Threat", .flags = OP_LIST,
     .tag = "threats", .summary = "the SOC master list",
     .help = "Each threat with the agency and region that own it.", .run = op_threat_list},
    {.name = "threat.show", .group = "threat", .cmd = "show", .method = "GET",
     .path = "/api/v1/threats/{ref}", .fields = f_threat_ref, .returns = "Threat",
     .tag = "threats", .summary = "show one threat", .run = op_threat_show},
    {.name = "threat.update", .group = "threat", .cmd = "update", .method = "PATCH",
     .path = "/api/v1/threats/{ref}", .fields = f_threat_update, .returns = "Threat",
     .flags = OP_WRITE, .tag = "threats", .summary = "change a threat (owner's spoc or sio)",
     .help = "The owner's spoc or sio changes a threat. Ownership moves only by a transfer decision.",
     .run = op_threat_update},
    {.name = "threat.archive", .group = "threat", .cmd = "archive", .method = "POST",
     .path = "/api/v1/threats/{ref}/archive", .fields = f_threat_archive, .returns = "Threat",
     .flags = OP_WRITE, .tag = "threats", .summary = "archive a threat (owner's spoc or sio)",
     .help = "Only when no tasking on it is open; it leaves the active master list until its owner "
             "unarchives it.",
     .run = op_threat_archive},
    {.name = "threat.unarchive", .group = "threat", .cmd = "unarchive", .method = "POST",
     .path = "/api/v1/threats/{ref}/unarchive", .fields = f_threat_unarchive, .returns = "Threat",
     .flags = OP_WRITE, .tag = "threats",
     .summary = "put an archived threat back on the active master list (owner's spoc or sio)",
     .help = "Its SIO must still be able to hold the risk; name a new one with --sio otherwise.",
     .run = op_threat_unarchive},
    {.name = "threat.history", .group = "threat", .cmd = "history", .method = "GET",
     .path = "/api/v1/threats/{ref}/history", .fields = f_threat_ref,
     .returns = "OwnershipHistory", .tag = "threats",
     .summary = "every owner and SIO a threat had, when and by which decision",
     .run = op_threat_history},
    {.name = "tasking.new", .group = "tasking", .cmd = "new", .method = "POST",
     .path = "/api/v1/taskings", .fields = f_bid, .returns = "Tasking",
     .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "taskings",
     .summary = "draft a bid for TOEX support (spoc)",
     .help = "A spoc of the requesting agency drafts the bid; the threat's SIO is recorded with it.",
     .run = op_tasking_new},
    {.name = "tasking.edit", .group = "tasking", .cmd = "edit", .method = "PATCH",
     .path = "/api/v1/taskings/{ref}", .fields = f_bid_edit, .returns = "Tasking", .flags = OP_WRITE,
     .tag = "taskings", .summary = "edit the bid while draft or returned (spoc of the requesting agency)",
     .help = "The fields given replace the bid's (a list replaces the whole list); the rest stays.\n"
             "A returned bid is edited with what the Gateway asked for, then submitted again.",
     .run = op_tasking_edit},
    ACT("tasking.submit", "tasking", "submit", "submit", f_act_plain,
        "send the bid to the regional Gateway (spoc)",
        "Sends the bid to the Gateway of the requesting agency's region.", IOM_TA_SUBMIT),
    ACT("tasking.forward", "tasking", "forward", "forward", f_act_note,
        "pass a bid to TOEX managers (gateway)", NULL, IOM_TA_FORWARD),
    ACT("tasking.return", "tasking", "return", "return", f_act_reason,
        "return a bid for more information (gateway)",
        "Returns the bid to the SPOC saying what is missing.", IOM_TA_RETURN),
    ACT("tasking.reject", "tasking", "reject", "reject", f_act_reason,
        "reject a bid with a reason (gateway)", NULL, IOM_TA_REJECT),
    ACT("tasking.accept", "tasking", "accept", "accept", f_act_accept,
        "accept a bid and allocate the SIA (toex_manager)", NULL, IOM_TA_ACCEPT),
    ACT("tasking.decline", "tasking", "decline", "decline", f_act_reason,
        "decline a bid with a reason (toex_manager)", NULL, IOM_TA_DECLINE),
    {.name = "tasking.assign", .group = "tasking", .cmd = "assign", .method = "POST",
     .path = "/api/v1/taskings/{ref}/team", .fields = f_team_add, .returns = "Tasking",
     .flags = OP_WRITE, .tag = "taskings", .summary = "add TOEX staff to the team (toex_manager, sia)",
     .run = op_tasking_team, .arg = 1},
    {.name = "tasking.unassign", .group = "tasking", .cmd = "unassign", .method = "DELETE",
     .path = "/api/v1/taskings/{ref}/team/{user}", .fields = f_team_remove, .returns = "Tasking",
     .flags = OP_WRITE, .tag = "taskings",
     .summary = "remove a member from the team (toex_manager, sia)", .run = op_tasking_team},
    {.name = "tasking.reallocate", .group = "tasking", .cmd = "reallocate", .method = "POST",
     .path = "/api/v1/taskings/{ref}/reallocate", .fields = f_reallocate, .returns = "Tasking",
     .flags = OP_WRITE, .tag = "taskings",
     .summary = "give an accepted tasking another SIA (toex_manager)",
     .help = "The SIA allocated on acceptance leaves, is ill or is to be disabled: a toex_manager\n"
             "allocates another (an enabled TOEX user with the sia role), who joins the team. From\n"
             "then on the new SIA's ToR agreement and reassessment signature are the ones that count.",
     .run = op_tasking_reallocate},
    ACT("tasking.start", "tasking", "start", "start", f_act_plain,
        "start intelligence development (sia)", NULL, IOM_TA_START),
    ACT("tasking.complete", "tasking", "complete", "complete", f_act_plain,
        "finish development, go to reassessment (sia)",
        "Needs every product of the agreed ToR delivered and no intelligence item pending on PND.",
        IOM_TA_COMPLETE),
    {.name = "tasking.reassess", .group = "tasking", .cmd = "reassess", .method = "POST",
     .path = "/api/v1/taskings/{ref}/reassessment", .fields = f_reassess, .returns = "Assessment",
     .flags = OP_WRITE, .tag = "taskings", .summary = "propose or sign the reassessment (sia, sio)",
     .help = "The SIA proposes; the SIO signs the same content (either may propose a new version,\n"
             "which the other must sign).",
     .run = op_tasking_reassess},
    ACT("tasking.remain", "tasking", "remain", "remain", f_act_plain,
        "close with ownership remaining (sio)",
        "Closes the tasking with ownership staying with the current owner.", IOM_TA_REMAIN),
    ACT("tasking.withdraw", "tasking", "withdraw", "withdraw", f_act_reason,
        "withdraw the bid (requesting spoc or sio)", NULL, IOM_TA_WITHDRAW),
    {.name = "tasking.show", .group = "tasking", .cmd = "show", .method = "GET",
     .path = "/api/v1/taskings/{ref}", .fields = f_tasking_ref, .returns = "TaskingView",
     .flags = OP_CONTENT_READ, .tag = "taskings",
     .summary = "a tasking with its team, ToR, assessment and history", .run = op_tasking_show},
    {.name = "tasking.history", .group = "tasking", .cmd = "history", .method = "GET",
     .path = "/api/v1/taskings/{ref}/history", .fields = f_tasking_ref, .returns = "TaskingHistory",
     .flags = OP_CONTENT_READ, .tag = "taskings", .summary = "a tasking's transitions",
     .run = op_tasking_show, .arg = 1},
    {.name = "tasking.transfer", .group = "tasking", .cmd = "transfer", .method = "GET",
     .path = "/api/v1/taskings/{ref}/transfer", .fields = f_tasking_ref, .returns = "Transfer",
     .flags = OP_CONTENT_READ, .tag = "taskings", .summary = "the tasking's latest risk transfer",
     .run = op_tasking_show, .arg = 2},
    {.name = "tasking.actions", .group = "tasking", .cmd = "actions", .method = "GET",
     .path = "/api/v1/taskings/{ref}/actions", .fields = f_tasking_ref, .returns = "TaskingActions",
     .tag = "taskings", .summary = "what you may do with a tasking now",
     .help = "The lifecycle actions open to you now, and those your role allows but a rule holds\n"
             "back (with what they wait for): the `actions` and `blocked` of `tasking show`,\n"
             "without the bid. Nothing of the tasking's content is read, so no read is logged.",
     .run = op_tasking_actions},
    {.name = "tasking.list", .group = "tasking", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings", .fields = f_tasking_list, .returns = "Tasking", .flags = OP_LIST,
     .tag = "taskings", .summary = "taskings you may see",
     .help = "Taskings the user may see (domain.md §3), by reference.", .run = op_tasking_list},
    {.name = "tasking.due", .group = "tasking", .cmd = "due", .method = "GET",
     .path = "/api/v1/taskings/due", .fields = f_tasking_due, .returns = "DueItem",
     .flags = OP_LIST, .tag = "taskings",
     .summary = "due and overdue ToR milestones, products and triage that are yours",
     .help = "The items your role acts on, due within N days (default 14) or overdue: as a\n"
             "tasking's SIA its ToR milestones (you mark them done), on its TOEX team its\n"
             "undelivered products, as a Gateway member the triage of its region's submitted bids.\n"
             "--all lists every such item of the taskings you may see, marked whose it is.",
     .run = op_tasking_due},
    {.name = "tasking.queue", .group = "tasking", .cmd = "queue", .method = "GET",
     .path = "/api/v1/taskings/queue", .fields = f_tasking_queue, .returns = "QueueItem",
     .flags = OP_LIST, .tag = "taskings", .summary = "the lifecycle steps waiting on you",
     .help = "Taskings you may see with a step of the lifecycle that is yours to take now: a bid to\n"
             "submit, triage or consider, a ToR to propose or agree, development to start or\n"
             "complete, a reassessment to propose or sign, a remain-or-transfer decision, a\n"
             "transfer to escalate or decide. Longest waiting first.",
     .run = op_tasking_queue},
    {.name = "tor.propose", .group = "tor", .cmd = "propose", .method = "POST",
     .path = "/api/v1/taskings/{ref}/tor", .fields = f_tor_propose, .returns = "TermsOfReference",
     .flags = OP_WRITE | OP_CREATED, .tag = "taskings",
     .summary = "propose a terms of reference version (sia)", .run = op_tor_propose},
    ACT("tor.agree", "tor", "agree", "agree_tor", f_act_agree, "agree a ToR version (sia, sio)",
        "Both the SIA and the SIO agree the same (latest) version.", IOM_TA_AGREE_TOR),
    {.name = "tor.milestone_done", .group = "tor", .cmd = "milestone-done", .method = "POST",
     .path = "/api/v1/taskings/{ref}/milestones-done", .fields = f_tor_milestone,
     .returns = "TermsOfReference", .flags = OP_WRITE, .tag = "taskings",
     .summary = "mark a ToR milestone done (sia)",
     .help = "The tasking's SIA marks a milestone of the ToR in force done; `tasking due` stops\n"
             "listing it and every ToR version shows it done, when and by whom.",
     .run = op_tor_milestone_done},
    {.name = "tor.show", .group = "tor", .cmd = "show", .method = "GET",
     .path = "/api/v1/taskings/{ref}/tor/{version}", .fields = f_tor_show,
     .returns = "TermsOfReference", .tag = "taskings", .summary = "show a ToR version",
     .run = op_tor_show},
    {.name = "tor.list", .group = "tor", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/tor", .fields = f_tor_list, .returns = "TermsOfReference",
     .flags = OP_LIST, .tag = "taskings", .summary = "every terms of reference version",
     .run = op_tor_list},
    {.name = "tor.diff", .group = "tor", .cmd = "diff", .method = "GET",
     .path = "/api/v1/taskings/{ref}/tor-diff", .fields = f_tor_diff, .returns = "TorDiff",
     .tag = "taskings", .summary = "what changed between two ToR versions", .run = op_tor_diff},
    ACT("transfer.agree", "transfer", "agree", "agree_transfer", f_act_plain,
        "agree to a risk transfer (the threat's sio)",
        "The SIO who holds the risk records that it agrees to hand the risk on, on the\n"
        "reassessment the SIA and the SIO both signed, whatever it recommends (the\n"
        "recommendation is a decision aid for the TTCG/FTT). A new signature of the\n"
        "reassessment clears the agreement.",
        IOM_TA_AGREE_TRANSFER),
    ACT("transfer.request", "transfer", "request", "request_transfer", f_act_rationale,
        "request a risk transfer (sia, with the sio's agreement)",
        "Needs the reassessment signed by the SIA and the SIO, and the SIO's recorded agreement\n"
        "(transfer agree), whatever the reassessment recommends.",
        IOM_TA_REQUEST_TRANSFER),
    ACT("transfer.escalate", "transfer", "escalate", "escalate", f_act_rationale,
        "escalate to the Federated Tasking Team (ttcg)",
        "The TTCG of the owner's region (for a national owner: of the bid's region) escalates\n"
        "the transfer to the Federated Tasking Team.",
        IOM_TA_ESCALATE),
    ACT("transfer.decide", "transfer", "decide", "decide_transfer", f_act_decide,
        "decide a transfer (ttcg, ftt)",
        "The TTCG of the owner's region (for a national owner: of the bid's region) moves\n"
        "ownership within its region; the FTT decides escalated transfers and may name any\n"
        "owner but TOEX. The decision records why.",
        IOM_TA_DECIDE_TRANSFER),
    {.name = "contribution.add", .group = "contribution", .cmd = "add", .method = "POST",
     .path = "/api/v1/taskings/{ref}/contributions", .fields = f_contribution_add,
     .returns = "Contribution", .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "work",
     .summary = "record work on a tasking (assigned staff)",
     .help = "Assigned analysts, IDOs, DIAs, researchers and the tasking's SIA, while the tasking\n"
             "is in tor_agreed, in_development or reassessment.",
     .run = op_contribution_add},
    {.name = "contribution.list", .group = "contribution", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/contributions", .fields = f_tasking_page,
     .returns = "Contribution", .flags = OP_LIST, .tag = "work", .summary = "a tasking's work log",
     .run = op_contribution_list},
    {.name = "intel.add", .group = "intel", .cmd = "add", .method = "POST",
     .path = "/api/v1/taskings/{ref}/intelligence", .fields = f_intel_add, .returns = "IntelItem",
     .flags = OP_WRITE | OP_CREATED, .tag = "work",
     .summary = "record a graded intelligence item (3x5x2, PND status)",
     .help = "C handling needs its conditions. PND defaults to pending (recorded when --pnd-ref and\n"
             "--pnd-date are given, not_required when --pnd-reason is). MoPI review date: six\n"
             "years after the last update.",
     .run = op_intel_add},
    {.name = "intel.correct", .group = "intel", .cmd = "correct", .method = "POST",
     .path = "/api/v1/intelligence/{item}/corrections", .fields = f_intel_correct,
     .returns = "IntelItem", .flags = OP_WRITE | OP_CREATED, .tag = "work",
     .summary = "correct an item: a new version with a reason",
     .help = "The previous versions are kept; fields not given keep their value. The marking may\n"
             "be raised, never lowered: a copy sanitised for wider use is a new item.",
     .run = op_intel_correct},
    {.name = "intel.pnd", .group = "intel", .cmd = "pnd", .method = "PUT",
     .path = "/api/v1/intelligence/{item}/pnd", .fields = f_intel_pnd, .returns = "IntelItem",
     .flags = OP_WRITE, .tag = "work", .summary = "record an item's PND status",
     .help = "A tasking cannot complete while any of its items is pending.", .run = op_intel_pnd},
    {.name = "intel.show", .group = "intel", .cmd = "show", .method = "GET",
     .path = "/api/v1/intelligence/{item}", .fields = f_intel_show, .returns = "IntelItem",
     .flags = OP_CONTENT_READ, .tag = "work",
     .summary = "show an item (or one version); the read is logged", .run = op_intel_show},
    {.name = "intel.history", .group = "intel", .cmd = "history", .method = "GET",
     .path = "/api/v1/intelligence/{item}/history", .fields = f_intel_history,
     .returns = "IntelHistory", .flags = OP_CONTENT_READ | OP_LIST, .tag = "work",
     .summary = "every version of an item; the read is logged", .run = op_intel_history},
    {.name = "intel.list", .group = "intel", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/intelligence", .fields = f_intel_list, .returns = "IntelItem",
     .flags = OP_CONTENT_READ | OP_LIST, .tag = "work",
     .summary = "a tasking's intelligence items; the read is logged", .run = op_intel_list},
    {.name = "intel.due-review", .group = "intel", .cmd = "due-review", .method = "GET",
     .path = "/api/v1/intelligence/due-review", .fields = f_intel_due, .returns = "IntelReview",
     .flags = OP_CONTENT_READ | OP_LIST, .tag = "work", .summary = "MoPI reviews due (--days N)",
     .help = "Items whose review date is past or within N days, of taskings your agency requested\n"
             "or owns or that you work on (an auditor: all).",
     .run = op_intel_due_review},
    {.name = "intel.review", .group = "intel", .cmd = "review", .method = "POST",
     .path = "/api/v1/intelligence/{item}/reviews", .fields = f_intel_review,
     .returns = "MopiReview", .flags = OP_WRITE | OP_CREATED, .tag = "work",
     .summary = "MoPI review: retain an item until a next review, or dispose of it",
     .help = "--retain --next DATE keeps the item and sets its review date; --dispose erases its\n"
             "content for good (every version, and its images in the audit trail), also on a\n"
             "closed tasking. A toex_manager, the SIA who led the tasking or an SIO of the owner.",
     .run = op_intel_review},
    {.name = "intel.reviews", .group = "intel", .cmd = "reviews", .method = "GET",
     .path = "/api/v1/intelligence/{item}/reviews", .fields = f_intel_reviews,
     .returns = "MopiReview", .flags = OP_LIST | OP_CONTENT_READ, .tag = "work",
     .summary = "an item's MoPI reviews, oldest first; the read is logged", .run = op_intel_reviews},
    {.name = "option.add", .group = "option", .cmd = "add", .method = "POST",
     .path = "/api/v1/taskings/{ref}/options", .fields = f_option_add, .returns = "Option",
     .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "work",
     .summary = "propose a tactical option (4P)", .run = op_option_add},
    {.name = "option.set", .group = "option", .cmd = "set", .method = "PATCH",
     .path = "/api/v1/options/{option}", .fields = f_option_set, .returns = "Option",
     .flags = OP_WRITE, .tag = "work", .summary = "accept, decline or action a tactical option",
     .help = "proposed -> accepted | declined; accepted -> actioned | declined. The tasking's SIA and\n"
             "team while its work is open; the spoc or sio of the option's agency and the threat's\n"
             "SIO at any time, also after the tasking has ended.",
     .run = op_option_set},
    {.name = "option.list", .group = "option", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/options", .fields = f_option_list, .returns = "Option",
     .flags = OP_LIST, .tag = "work", .summary = "a tasking's tactical options", .run = op_option_list},
    {.name = "option.agency", .group = "option", .cmd = "agency", .method = "GET",
     .path = "/api/v1/options", .fields = f_option_agency, .returns = "Option",
     .flags = OP_LIST, .tag = "work", .summary = "the tactical options naming your agency",
     .help = "For the spoc or sio of the agency an option names (the agency that would act), across\n"
             "taskings, also those the agency does not otherwise see: the option itself (strand,\n"
             "text, status, version, tasking reference), nothing else of the tasking. Set a status\n"
             "with `option set` and the option's version. Each page shown is logged as a read.",
     .run = op_option_agency},
    {.name = "product.deliver", .group = "product", .cmd = "deliver", .method = "POST",
     .path = "/api/v1/products/{product}/deliver", .fields = f_product_deliver, .returns = "Product",
     .flags = OP_WRITE, .tag = "work", .summary = "mark a product version delivered",
     .run = op_product_deliver},
    {.name = "product.list", .group = "product", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/products", .fields = f_product_list, .returns = "Product",
     .flags = OP_LIST, .tag = "work", .summary = "a tasking's products and versions (no content)",
     .run = op_product_list},
#define GRAPH_ROW(word, n, f, sum)                                                             \
    {.name = "graph." word, .group = "graph", .cmd = word, .method = "POST",                   \
     .path = "/api/v1/taskings/{ref}/graph/" word, .fields = f, .returns = "GraphResult",      \
     .flags = OP_CONTENT_READ, .tag = "analysis", .summary = sum,                              \
     .help = "Over the entities and links of the tasking's picture you may see (need-to-know\n" \
             "of its intelligence), filtered; the read is logged. --save TYPE also stores the\n"  \
             "result as a product of the tasking (docs/analysis.md).",                          \
     .run = op_graph, .arg = n}
    GRAPH_ROW("stats", 0, f_graph_stats, "size, components, density and diameter of a tasking's network"),
    GRAPH_ROW("central", 1, f_graph_central,
              "degree, betweenness, closeness, eigenvector and PageRank of each entity"),
    GRAPH_ROW("communities", 2, f_graph_communities, "communities (Leiden or Louvain) and their modularity"),
    GRAPH_ROW("path", 3, f_graph_path, "every shortest path between two entities"),
    GRAPH_ROW("ego", 4, f_graph_ego, "the k-step network around an entity"),
    GRAPH_ROW("brokers", 5, f_graph_brokers, "entities that bridge communities"),
    GRAPH_ROW("keyplayers", 6, f_graph_keyplayers,
              "the k entities whose removal fragments the network most (Pursue options)"),
#undef GRAPH_ROW
    {.name = "finance.import", .group = "finance", .cmd = "import", .method = "POST",
     .path = "/api/v1/taskings/{ref}/finance/imports", .fields = f_finance_import, .returns = "AnalysisImport",
     .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "analysis",
     .summary = "import money transactions (CSV) into a tasking",
     .help = "Columns date, from, to, amount, currency, reference (map others with --field\n"
             "ROLE=COLUMN). As a dataset import: the assigned TOEX team while in_development\n"
             "(the SIA also in tor_agreed and reassessment). One transaction: a bad row refuses\n"
             "the whole file, naming the row and the field. Prints the import's reference.",
     .run = op_analysis_import, .arg = 0},
    {.name = "finance.remove", .group = "finance", .cmd = "remove", .method = "POST",
     .path = "/api/v1/finance/imports/{import}/remove", .fields = f_an_remove, .returns = "AnalysisImportRemoved",
     .flags = OP_WRITE, .tag = "analysis",
     .summary = "remove a transaction import and what only it supports in the picture",
     .run = op_analysis_remove, .arg = 0},
    {.name = "finance.imports", .group = "finance", .cmd = "imports", .method = "GET",
     .path = "/api/v1/taskings/{ref}/finance/imports", .fields = f_an_imports, .returns = "AnalysisImport",
     .flags = OP_LIST, .tag = "analysis", .summary = "a tasking's transaction imports",
     .run = op_analysis_imports, .arg = 0},
#define FIN_ROW(word, n, sum)                                                                  \
    {.name = "finance." word, .group = "finance", .cmd = word, .method = "POST",               \
     .path = "/api/v1/taskings/{ref}/finance/" word, .fields = f_finance, .returns = "FinanceResult", \
     .flags = OP_CONTENT_READ, .tag = "analysis", .summary = sum,                              \
     .help = "Over the transactions you may see, with the thresholds of the setting\n"          \
             "analysis.finance. Every finding lists its evidence transactions. The read is\n"   \
             "logged.",                                                                        \
     .run = op_finance, .arg = n}
    FIN_ROW("flows", 0, "money between holders (or accounts) per currency over a period"),
    FIN_ROW("mules", 1, "pass-through accounts: most money out soon after it came in"),
    FIN_ROW("cycles", 2, "money that went round a cycle of accounts"),
    FIN_ROW("fans", 3, "fan-in and fan-out: many counterparties within a window"),
    FIN_ROW("structuring", 4, "repeated amounts just under the reporting threshold"),
#undef FIN_ROW
    {.name = "comms.import", .group = "comms", .cmd = "import", .method = "POST",
     .path = "/api/v1/taskings/{ref}/comms/imports", .fields = f_comms_import, .returns = "AnalysisImport",
     .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "analysis",
     .summary = "import call data records (CSV) into a tasking",
     .help = "Columns caller, callee, start, duration, type (call or sms), cell (optional); map\n"
             "others with --field ROLE=COLUMN. Who may and the refusal as finance import.",
     .run = op_analysis_import, .arg = 1},
    {.name = "comms.remove", .group = "comms", .cmd = "remove", .method = "POST",
     .path = "/api/v1/comms/imports/{import}/remove", .fields = f_an_remove, .returns = "AnalysisImportRemoved",
     .flags = OP_WRITE, .tag = "analysis",
     .summary = "remove a call record import and what only it supports in the picture",
     .run = op_analysis_remove, .arg = 1},
    {.name = "comms.imports", .group = "comms", .cmd = "imports", .method = "GET",
     .path = "/api/v1/taskings/{ref}/comms/imports", .fields = f_an_imports, .returns = "AnalysisImport",
     .flags = OP_LIST, .tag = "analysis", .summary = "a tasking's call record imports",
     .run = op_analysis_imports, .arg = 1},
#define COMMS_ROW(word, n, f, sum)                                                             \
    {.name = "comms." word, .group = "comms", .cmd = word, .method = "POST",                   \
     .path = "/api/v1/taskings/{ref}/comms/" word, .fields = f, .returns = "CommsResult",      \
     .flags = OP_CONTENT_READ, .tag = "analysis", .summary = sum,                              \
     .help = "Over the call records you may see; phones are named by number and by the\n"      \
             "picture's phone entity and its users where known. The read is logged.",          \
     .run = op_comms, .arg = n}
    COMMS_ROW("contacts", 0, f_comms_contacts, "pairs of phones in contact, by count and duration"),
    COMMS_ROW("top", 1, f_comms_top, "a phone's top contacts"),
    COMMS_ROW("common", 2, f_comms_common, "contacts two phones have in common, with the records"),
    COMMS_ROW("activity", 3, f_comms_activity, "calls and SMS by hour of day and day of week"),
#undef COMMS_ROW
    {.name = "timeline", .group = "timeline", .cmd = "", .method = "GET",
     .path = "/api/v1/taskings/{ref}/timeline", .fields = f_timeline, .returns = "Timeline",
     .flags = OP_CONTENT_READ, .tag = "analysis",
     .summary = "every dated source, link, transaction and call of a tasking, in order",
     .help = "Filter with --entity ENT (its sources and links, its accounts' transactions, its\n"
             "phones' calls) and --from/--to. The read is logged.",
     .run = op_timeline},
    {.name = "dataset.import", .group = "dataset", .cmd = "import", .method = "POST",
     .path = "/api/v1/taskings/{ref}/datasets", .fields = f_dataset_import, .returns = "DatasetImport",
     .flags = OP_WRITE | OP_CREATED, .tag = "picture",
     .summary = "import a CSV dataset into a tasking and resolve its picture",
     .help = "The assigned TOEX team while in_development (the SIA also in tor_agreed and\n"
             "reassessment). One transaction: a refused or failed import leaves nothing.",
     .run = op_dataset_import, .body_max = APP_DATASET_BODY_MAX, .early = app_dataset_may_import},
    {.name = "dataset.import-job", .method = "POST", .path = "/api/v1/taskings/{ref}/dataset-jobs",
     .fields = f_dataset_import, .returns = "Job", .flags = OP_WRITE | OP_ACCEPTED, .tag = "picture",
     .summary = "start a dataset import in the background (202); follow it at /api/v1/jobs/{job}",
     .help = "The import of POST .../datasets run as a job of the server: who may and what is\n"
             "refused are the same; need-to-know and the write rule are checked before it starts,\n"
             "the rest when it runs (the job then ends failed, with the problem, and nothing stored).",
     .run = op_dataset_import_job, .body_max = APP_DATASET_BODY_MAX, .early = app_dataset_may_import},
    {.name = "job.show", .method = "GET", .path = "/api/v1/jobs/{job}", .fields = f_job_show,
     .returns = "Job", .tag = "picture",
     .summary = "a background job's state and progress (only the user who started it sees it)",
     .run = op_job_show},
    {.name = "dataset.list", .group = "dataset", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/datasets", .fields = f_tasking_page, .returns = "Dataset",
     .flags = OP_LIST, .tag = "picture", .summary = "a tasking's datasets", .run = op_dataset_list},
    {.name = "dataset.show", .group = "dataset", .cmd = "show", .method = "GET",
     .path = "/api/v1/datasets/{dataset}", .fields = f_dataset_ref, .returns = "Dataset",
     .tag = "picture", .summary = "a dataset's provenance and counts", .run = op_dataset_show},
    {.name = "dataset.remove", .group = "dataset", .cmd = "remove", .method = "POST",
     .path = "/api/v1/datasets/{dataset}/remove", .fields = f_dataset_remove, .returns = "DatasetRemoved",
     .flags = OP_WRITE, .tag = "picture",
     .summary = "remove a dataset, its records and what only they support", .run = op_dataset_remove},
    {.name = "dataset.resolve", .group = "dataset", .cmd = "resolve", .method = "POST",
     .path = "/api/v1/taskings/{ref}/resolve", .fields = f_dataset_resolve, .returns = "PictureResolved",
     .flags = OP_WRITE, .tag = "picture",
     .summary = "resolve a tasking's picture again in full, with this version's engine",
     .help = "From all its records and the analysts' decisions, with the tasking's thresholds.\n"
             "After an upgrade of the conflation engine: what an older version made (an entity\n"
             "of a placeholder value such as UNKNOWN, a pair it linked) is made again; a picture\n"
             "resolved by an older version is also resolved in full at its next import. Who may:\n"
             "as dataset import. One transaction.",
     .run = op_dataset_resolve},
    {.name = "dataset.due-review", .group = "dataset", .cmd = "due-review", .method = "GET",
     .path = "/api/v1/datasets/due-review", .fields = f_picture_due, .returns = "PictureDue",
     .flags = OP_LIST, .tag = "picture", .summary = "MoPI reviews due of datasets and entities (--days N)",
     .help = "Datasets and entities whose review date is past or within N days, of taskings your\n"
             "agency requested or owns or that you work on (an auditor: all). An entity's review\n"
             "date is the latest of its sources': it is reviewed with its datasets and items.",
     .run = op_picture_due},
    {.name = "dataset.review", .group = "dataset", .cmd = "review", .method = "POST",
     .path = "/api/v1/datasets/{dataset}/reviews", .fields = f_dataset_review, .returns = "MopiReview",
     .flags = OP_WRITE | OP_CREATED, .tag = "picture",
     .summary = "MoPI review: retain a dataset until a next review, or dispose of it",
     .help = "--retain --next DATE keeps the dataset (its entities and links are reviewed with it);\n"
             "--dispose deletes it, its records and every entity and link only they support, also\n"
             "on a closed tasking. A toex_manager, the SIA who led the tasking or an SIO of the owner.",
     .run = op_dataset_review},
    {.name = "dataset.reviews", .group = "dataset", .cmd = "reviews", .method = "GET",
     .path = "/api/v1/datasets/{dataset}/reviews", .fields = f_dataset_ref, .returns = "MopiReview",
     .flags = OP_LIST, .tag = "picture", .summary = "a dataset's MoPI reviews, oldest first (also once disposed)",
     .run = op_dataset_reviews},
    {.name = "entity.add", .group = "entity", .cmd = "add", .method = "POST",
     .path = "/api/v1/taskings/{ref}/entities", .fields = f_entity_add, .returns = "Entity",
     .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "picture",
     .summary = "an entity an intelligence item supports", .run = op_entity_add},
    {.name = "entity.list", .group = "entity", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/entities", .fields = f_entity_list, .returns = "Entity",
     .flags = OP_CONTENT_READ | OP_LIST, .tag = "picture",
     .summary = "a tasking's entities; the read is logged", .run = op_entity_list},
    {.name = "link.list", .group = "link", .cmd = "list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/links", .fields = f_link_list, .returns = "Link",
     .flags = OP_CONTENT_READ | OP_LIST, .tag = "picture",
     .summary = "a tasking's links (both ends visible); the read is logged", .run = op_link_list},
    {.name = "entity.show", .group = "entity", .cmd = "show", .method = "GET",
     .path = "/api/v1/entities/{entity}", .fields = f_entity_show, .returns = "Entity",
     .flags = OP_CONTENT_READ, .tag = "picture",
     .summary = "an entity with its sources and links; the read is logged", .run = op_entity_show},
    {.name = "picture.export", .method = "POST", .path = "/api/v1/taskings/{ref}/export",
     .fields = f_picture_export, .returns = "PictureExport", .flags = OP_CONTENT_READ | OP_DOCUMENT, .tag = "picture",
     .summary = "the picture you may see as an ANX, GraphML, CSV or JSON file; the disclosure is logged",
     .help = "The answer is the file itself (Content-Type of the format, Content-Disposition:\n"
             "attachment; X-Iom-Marking its highest marking). CLI: iom export FORMAT REF --out FILE.",
     .run = op_picture_export},
    {.name = "picture.image", .method = "POST", .path = "/api/v1/taskings/{ref}/export/png",
     .fields = f_picture_image, .returns = "PictureExport", .flags = OP_CONTENT_READ, .tag = "picture",
     .summary = "log the disclosure of a PNG of the picture made by the client, with its marking drawn in",
     .help = "The web UI draws the network and its marking into a PNG and sends it here before\n"
             "offering it: the marking may not be below the picture's; the disclosure is logged\n"
             "as picture.export (format png) with recipient, purpose and the image's SHA-256.\n"
             "Its body may be up to 11,250,348 bytes (an 8 MiB PNG in base64), above the\n"
             "server's body limit; a larger body is 413 naming the limit.",
     .run = op_picture_image, .body_max = APP_EXPORT_PNG_BODY_MAX, .early = app_dataset_may_read},
    {.name = "entity.update", .group = "entity", .cmd = "update", .method = "PATCH",
     .path = "/api/v1/entities/{entity}", .fields = f_entity_update, .returns = "Entity",
     .flags = OP_WRITE, .tag = "picture", .summary = "change an entity's label or confidence",
     .run = op_entity_update},
    {.name = "entity.link", .group = "entity", .cmd = "link", .method = "POST",
     .path = "/api/v1/entities/{entity}/links", .fields = f_entity_link, .returns = "Link",
     .flags = OP_WRITE | OP_CREATED, .tag = "picture",
     .summary = "a link between two entities that an intelligence item supports", .run = op_entity_link},
    {.name = "entity.unlink", .group = "entity", .cmd = "unlink", .method = "POST",
     .path = "/api/v1/links/{link}/remove", .fields = f_entity_unlink, .returns = "LinkRemoved",
     .flags = OP_WRITE, .tag = "picture", .summary = "remove a link intelligence items made",
     .run = op_entity_unlink},
    {.name = "entity.merge", .group = "entity", .cmd = "merge", .method = "POST",
     .path = "/api/v1/entities/{entity}/merge", .fields = f_entity_merge, .returns = "Entity",
     .flags = OP_WRITE, .tag = "picture",
     .summary = "merge another entity into this one (kept on every later import)", .run = op_entity_merge},
    {.name = "entity.split", .group = "entity", .cmd = "split", .method = "POST",
     .path = "/api/v1/entities/{entity}/split", .fields = f_entity_split, .returns = "Entity",
     .flags = OP_WRITE, .tag = "picture",
     .summary = "take a record out of an entity (kept on every later import)", .run = op_entity_split},
    {.name = "entity.review.list", .group = "entity", .cmd = "review list", .method = "GET",
     .path = "/api/v1/taskings/{ref}/review-pairs", .fields = f_review_list, .returns = "ReviewPair",
     .flags = OP_CONTENT_READ | OP_LIST, .tag = "picture",
     .summary = "near matches waiting for a decision; the read is logged", .run = op_review_list},
    {.name = "entity.review.show", .group = "entity", .cmd = "review show", .method = "GET",
     .path = "/api/v1/review-pairs/{pair}", .fields = f_review_show, .returns = "ReviewPair",
     .flags = OP_CONTENT_READ, .tag = "picture",
     .summary = "a near match with its explanation; the read is logged", .run = op_review_show},
    {.name = "entity.review.decide", .group = "entity", .cmd = "review decide", .method = "POST",
     .path = "/api/v1/review-pairs/{pair}/decide", .fields = f_review_decide, .returns = "Resolution",
     .flags = OP_WRITE, .tag = "picture",
     .summary = "decide a near match: same or different (kept on every later import)",
     .run = op_review_decide},
    {.name = "search", .group = "search", .cmd = "", .method = "GET", .path = "/api/v1/search",
     .fields = f_search, .returns = "SearchResult", .flags = OP_CONTENT_READ | OP_LIST, .tag = "picture",
     .summary = "search taskings, intelligence and entities you may read, best first; the read is logged",
     .help = "Words match in any order; a nickname also finds the formal name (bob: Robert); a telephone\n"
             "number in any format, a registration mark or a postcode also matches its normalised form.\n"
             "Only what you may read is searched (need-to-know, clearance): no totals are given.",
     .run = op_search},
    {.name = "deconflict.list", .group = "deconflict", .cmd = "list", .method = "GET",
     .path = "/api/v1/deconflictions", .fields = f_deconflict_list, .returns = "Deconfliction",
     .flags = OP_LIST, .tag = "picture",
     .summary = "deconfliction alerts for the taskings you are SIA or SIO of",
     .help = "An entity of your tasking matched one of another tasking (probability >= 0.95): the alert\n"
             "names the entity type, the probability and the other tasking's SIA and owning agency to\n"
             "contact, never the other tasking or its content.",
     .run = op_deconflict_list},
    {.name = "deconflict.ack", .group = "deconflict", .cmd = "ack", .method = "POST",
     .path = "/api/v1/deconflictions/{alert}/ack", .fields = f_deconflict_ack, .returns = "Deconfliction",
     .flags = OP_WRITE, .tag = "picture", .summary = "acknowledge a deconfliction alert (its SIA or SIO)",
     .run = op_deconflict_ack},
    {.name = "apmis.record", .group = "apmis", .cmd = "record", .method = "POST",
     .path = "/api/v1/apmis", .fields = f_apmis_record, .returns = "ApmisRecord",
     .flags = OP_WRITE | OP_CREATED | OP_CLI_REF, .tag = "apmis",
     .summary = "record a disruption on a threat (APMIS recorder, lead agency's spoc or sio)",
     .help = "Whatever the state of the threat's taskings. Name TOEX with --capability toex when it\n"
             "contributed: only on a threat with a tasking TOEX took on (accepted), 409 otherwise.\n"
             "Prints the APM reference.",
     .run = op_apmis_record},
    {.name = "apmis.list", .group = "apmis", .cmd = "list", .method = "GET", .path = "/api/v1/apmis",
     .fields = f_apmis_list, .returns = "ApmisRecord", .flags = OP_LIST, .tag = "apmis",
     .summary = "list disruption records", .help = "Records you may read, oldest reference first.",
     .run = op_apmis_list},
    {.name = "apmis.show", .group = "apmis", .cmd = "show", .method = "GET",
     .path = "/api/v1/apmis/{ref}", .fields = f_apmis_ref, .returns = "ApmisRecord", .tag = "apmis",
     .summary = "show one disruption record", .run = op_apmis_show},
    {.name = "apmis.report", .group = "apmis", .cmd = "report", .method = "GET",
     .path = "/api/v1/apmis/report", .fields = f_apmis_report, .returns = "ApmisReport",
     .tag = "apmis", .summary = "value measures per region, force and period (text, --json or --csv)",
     .help = "Taskings by state, time in each state, products on time, tactical options actioned,\n"
             "disruptions with TOEX contribution by impact, victims safeguarded, intelligence on PND\n"
             "(definitions in docs/apmis.md). apmis, toex_manager and auditor read any scope; spoc,\n"
             "sio, customer, gateway and ttcg users their own agency (gateway, ttcg and ROCU users:\n"
             "their region).",
     .run = op_apmis_report},
    {.name = "audit.log", .group = "audit", .cmd = "log", .method = "GET", .path = "/api/v1/audit/log",
     .fields = f_audit_log, .returns = "AuditEntry", .flags = OP_LIST, .tag = "audit",
     .summary = "the audit trail, oldest or newest first, by object, user or action (auditor)",
     .help = "A page at a time by entry number; --after takes the cursor printed at the end.\n"
             "--newest lists the latest first; --actor and --action narrow it (e.g. --action\n"
             "user.disable).",
     .run = op_audit_log},
    {.name = "audit.verify", .group = "audit", .cmd = "verify", .method = "GET",
     .path = "/api/v1/audit/verify", .fields = f_audit_verify, .returns = "AuditVerify",
     .tag = "audit", .summary = "verify the audit chain (admin, auditor)",
     .help = "Exits 0 when the keyed hash chain is intact; otherwise names the first broken entry\n"
             "(exit 12). The API answers the same object with intact false.",
     .run = op_audit_verify},
    {.name = "audit.checkpoint", .group = "audit", .cmd = "checkpoint", .method = "GET",
     .path = "/api/v1/audit/checkpoint", .fields = f_audit_checkpoint, .returns = "AuditCheckpoint",
     .tag = "audit", .summary = "print the chain head to keep elsewhere (admin, auditor)",
     .help = "Keep the line outside the database host, and give it later to `iom audit verify\n"
             "--checkpoint FILE`.",
     .run = op_audit_checkpoint},
    {.name = "audit.reads", .group = "audit", .cmd = "reads", .method = "GET",
     .path = "/api/v1/audit/reads", .fields = f_audit_reads, .returns = "ReadEntry",
     .flags = OP_LIST, .tag = "audit",
     .summary = "the read-purpose log: who read what, when, why (auditor, admin)",
     .help = "Every read of intelligence content with who, when, what and why (the purpose given\n"
             "with --purpose / X-Iom-Purpose, else the relation that granted access), and every\n"
             "refused access (--action access.refused). --newest lists the latest first.",
     .run = op_audit_reads},
    {.name = NULL},
};
