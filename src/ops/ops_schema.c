/*
 * ops_schema.c: the JSON schemas of the objects the operations return (docs/api.md), for the
 * OpenAPI document's response schemas. Each object is one line of "name:type" properties,
 * derived from the code that builds the JSON (app/json.c, app/tasking_json.c, app/work.c,
 * app/apmis.c, app/audit.c, ops/ops_*.c and the handlers still in http/):
 *   string integer number boolean object   the JSON types (number includes integers)
 *   string(a|b|c)                          one of these strings
 *   T?                                     T or null
 *   [T]                                    an array of T
 *   A|B                                    A or B (with a final ?: or null)
 *   Name                                   another object of this table ($ref)
 *   any                                    any value, null included
 * A property is required unless its name ends in '?' ("bid?:Bid": the key may be absent);
 * "a,b,c:integer" gives several properties one type. Objects are closed (additionalProperties
 * false) unless the form ends with " ..." (free-form content: the bid document, ToR content).
 *
 * A type used in a list (flag OP_LIST) is the type of one item: op_schema(name, true) wraps it
 * as {items: [Name], next}.
 */
#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

/* ---- the words of the enumerations (domain/ref.c, lifecycle.c, products.c, ...) ---- */
#define MARKING "string(OFFICIAL|OFFICIAL-SENSITIVE)"
#define THREAT_TYPE "string(labour|sexual|criminal|cse|domestic_servitude|organ_harvesting|oic|other)"
#define AGENCY_KIND "string(force|rocu|national|capability)"
#define OWNER_KIND "string(force|rocu|national)"
#define ROLE                                                                                   \
    "string(spoc|sio|customer|gateway|toex_manager|sia|analyst|ido|dia|researcher|ttcg|ftt|"    \
    "apmis|auditor|admin)"
#define STATE_WORDS                                                                            \
    "draft|submitted|returned|forwarded|accepted|tor_agreed|in_development|reassessment|"       \
    "transfer_requested|escalated_ftt|closed|rejected|declined|withdrawn"
#define STATE "string(" STATE_WORDS ")"
#define ACTION_WORDS                                                                           \
    "submit|forward|return|reject|accept|decline|propose_tor|agree_tor|start|complete|"         \
    "reassess|remain|request_transfer|escalate|decide_transfer|withdraw|assign|unassign|"      \
    "contribute|record_intel|record_option|record_product|agree_transfer"
#define RELATION "string(owner|requesting|assigned|gateway|ttcg|toex_manager|ftt|audit|apmis)"
#define URGENCY "string(routine|priority|urgent)"
#define SERVICE                                                                                \
    "string(tasked_support|rocu_capability|apmis|intel_development|financial_intelligence|"     \
    "ownership_support)"
#define PRODUCT_TYPE                                                                           \
    "string(strategic_assessment|tactical_assessment|subject_profile|problem_profile|"         \
    "crime_pattern_analysis|demographic_social_trend_analysis|network_analysis|"               \
    "market_profile|criminal_business_profile|risk_analysis|target_profile_analysis|"          \
    "operational_intelligence_assessment|results_analysis|financial_analysis|"                 \
    "intelligence_report)"
#define STRAND "string(pursue|prevent|protect|prepare)"
#define OPTION_STATUS "string(proposed|accepted|declined|actioned)"
#define IMPACT "string(major|moderate|minor|none|negative)"
#define DISRUPTION                                                                             \
    "string(arrest|charge|conviction|seizure|victims_safeguarded|order_obtained|asset_freeze|"  \
    "immigration_action|other)"
#define LEVEL "string(low|medium|high)"
#define RECOMMENDATION "string(remain|regional|national)"
#define VIA "string(cli|http|system)"
#define SETTING_NAMES                                                                          \
    "assessment.scoring|grade.legacy_map|intel.review_years|triage.target_days|auth.session|"  \
    "auth.lockout|analysis.finance"
#define ENTITY_TYPE                                                                            \
    "string(person|organisation|address|phone|vehicle|account|location|online_identity|event)"
#define LINK_TYPE                                                                              \
    "string(associate|family|employs|lives_at|uses_phone|uses|uses_vehicle|holds_account|pays|" \
    "controls|travels_with|victim_of|exploits|located_at|attended|contacts)"
#define DATASET_BASE                                                                           \
    "ref,tasking,name:string level:string(national|regional|local) grade:Grade "              \
    "marking:" MARKING " filename:string? sha256:string records:integer roles:object "          \
    "imported_by:string? imported_at:string review_date:string"
#define DATASET DATASET_BASE " resolution:object"

/* json_of_tasking(t, content): the summary of lists, and the bid with content access. */
#define TASKING                                                                                \
    "ref:string state:" STATE " threat:string threat_title:string? type:" THREAT_TYPE " "      \
    "requesting_agency:string requesting_region:string? owner:string owner_region:string? "    \
    "sio:string? bid_sio:string? spoc:string? customer:string? sia:string? "                   \
    "urgency:" URGENCY " marking:" MARKING " reached_toex,escalated_ftt:boolean "              \
    "version:integer state_since,created_at,updated_at:string triage_due:string? bid?:Bid? "

/* json_of_intel: one version of an intelligence item. */
#define INTEL                                                                                  \
    "ref:string version:integer current:boolean tasking:string marking:" MARKING " "           \
    "text,source:string? grade:Grade legacy_grade:string? pnd:IntelPnd "                       \
    "review_date:string correction_reason:string? created_by:string? created_at:string "       \
    "grade_map_version:integer? owner:string? disposed:boolean disposed_at:string? "           \
    "may_set_pnd?:boolean"

/* The object types, X(name, form): the table below and op_schema_names[] both come from it. */
#define OBJECTS(X)                                                                             \
    /* ---- reference data, users and roles (app/json.c, ops/ops_admin.c) ---- */              \
    X("Region", "ref,code,name:string")                                                        \
    X("Holiday", "ref,day,name:string")                                                        \
    X("Agency", "ref,code,name:string kind:" AGENCY_KIND " region:string? disabled:boolean "   \
                "merged_into:string?")                                                         \
    X("User", "ref,name,agency:string roles:[" ROLE "] clearance?:" MARKING " "                \
              "disabled?,has_password?:boolean created_at?:string version?:integer")           \
    X("PasswordReset", "user:User must_change_password:boolean temporary_password:string?")    \
    X("TotpReset", "user:string totp:string(none)")                                            \
    X("AddressUnlock", "address:string failures:integer locked_until:string?")                 \
    X("ApiToken", "ref:string user:string? created_at:string expires_at,revoked_at:string? "    \
                  "created_by:string?")                                                        \
    X("ApiTokenCreated", "ref:string user:string? created_at:string "                          \
                         "expires_at,revoked_at:string? created_by:string? token:string")      \
    X("Health", "status:string(ok|ready)")                                                     \
    X("Session", "user:User csrf_token:string expires_at:string "                              \
                 "restriction:string(password_change|totp_enrolment)?")                        \
    X("SignedOut", "signed_out:boolean")                                                       \
    X("Me", "user:User auth:string(session|token) "                                            \
            "restriction:string(password_change|totp_enrolment)?")                             \
    X("PasswordChanged", "user:User signed_out:boolean")                                       \
    X("TotpEnrolment", "secret:string otpauth_uri:string algorithm:string(SHA1) "              \
                       "digits:integer period:integer")                                        \
    X("TotpEnrolled", "totp:string(enrolled)")                                                 \
    X("OpenApi", "openapi:string info:object paths:object components:object ...")              \
    X("RoleSetting", "role:" ROLE " require_totp:boolean")                                     \
    X("Setting", "name:string(" SETTING_NAMES ") version:integer value:any reason:string "    \
                 "changed_by,changed_at:string? description:string")                         \
    /* ---- the SOC master list (app/json.c, ops/ops_threat.c) ---- */                         \
    X("Threat", "ref,title:string type:" THREAT_TYPE " owner,owner_name:string "               \
                "owner_kind:" OWNER_KIND " region:string? sio,force_tasking_ref:string "       \
                "marking:" MARKING " status:string(active|archived) version:integer "          \
                "created_at,updated_at:string created_by:string?")                             \
    X("OwnershipChange", "seq:integer at:string "                                              \
                         "decision:string(listed|sio_changed|transfer|agency_merge|archived|unarchived|marking_changed) " \
                         "by:string? owner,sio:string from_owner,from_sio,tasking,reason:string? " \
                         "from_marking?:" MARKING " to_marking?:" MARKING)                     \
    X("OwnershipHistory", "ref:string history:[OwnershipChange] marking?:" MARKING)                              \
    /* ---- the tasking lifecycle (app/tasking_json.c, ops/ops_tasking.c) ---- */              \
    X("Tasking", TASKING)                                                                      \
    X("Bid", "ftm_date,ftm_ref,summary:string known:string? requirements:[string] "            \
             "services:[" SERVICE "] timeline:string? type?:" THREAT_TYPE " customer?:string " \
             "assessment?:BidAssessment ...")                                                  \
    X("Harm", "physical,psychological,financial,community,victim_vulnerability:integer")       \
    X("BidAssessment", "harm:Harm scale,likelihood:integer confidence:" LEVEL " "              \
                       "capacity,capability:integer "                                          \
                       "needs_national_capability,needs_rocu_capability:boolean "              \
                       "score:number band:" LEVEL " recommendation:" RECOMMENDATION " "        \
                       "rationale:string scoring_version?:integer")                            \
    X("AssessmentInput", "harm:Harm scale,likelihood:integer confidence:" LEVEL " "            \
                         "capacity,capability:integer "                                        \
                         "needs_national_capability?,needs_rocu_capability?:boolean")          \
    X("Assessment", "kind:string(reassessment) version:integer input:AssessmentInput "         \
                    "score:number band:" LEVEL " recommendation:" RECOMMENDATION " "           \
                    "rationale:string signed_by_sia,signed_by_sio:boolean proposed_at:string "  \
                    "scoring_version:integer transfer_agreed:TorAgreement? marking?:" MARKING) \
    X("TaskingView", TASKING "access:" RELATION " team?:[string] tor?:TermsOfReference? "      \
                     "tor_agreed_version?:integer? reassessment?:Assessment? "                 \
                     "transfer:Transfer? history:[TaskingEvent] actions:[string(" ACTION_WORDS \
                     ")] blocked:[BlockedAction]")                                             \
    X("TaskingActions", "ref:string state:" STATE " version:integer actions:[string(" ACTION_WORDS \
                        ")] blocked:[BlockedAction] marking?:" MARKING)                            \
    X("BlockedAction", "action:string(" ACTION_WORDS ") why:string")                           \
    X("TaskingEvent", "at:string action:string(new|edit|reallocate|sio_changed|" ACTION_WORDS ") by:string? role:" ROLE    \
                      "? from:" STATE "? to:" STATE " reason:string?")                         \
    X("TaskingHistory", "ref:string history:[TaskingEvent] marking?:" MARKING)                                   \
    X("Transfer", "from_owner,requested_at:string rationale,requested_by,agreed_by,agreed_at:string? " \
                  "escalated_by,escalated_at,decided_by,decided_at:string? "                   \
                  "escalation_rationale:string? decided_as:string(ttcg|ftt)? "                 \
                  "decision:string(accept|decline)? decision_reason,new_owner,new_sio:string? marking?:" MARKING) \
    X("DueItem", "tasking:string kind:string(milestone|product|triage) name,due:string "              \
                 "days_left:integer overdue:boolean whose:string(sia|team|gateway) yours:boolean "     \
                 "marking?:" MARKING)                                                                  \
    X("QueueItem", "tasking:string state:" STATE " since:string days_waiting:integer "      \
                   "actions:[string(" ACTION_WORDS ")] marking?:" MARKING)                     \
    X("TermsOfReference", "version:integer content:TorContent proposed_by:string? "            \
                          "proposed_at:string agreements:TorAgreements agreed_by_both:boolean "                     \
                          "milestones_done:[MilestoneDone] marking?:" MARKING)                 \
    X("MilestoneDone", "name,at,by:string")                                                    \
    X("TorContent", "services:[" SERVICE "] start_date,end_date:string "                       \
                    "milestones?:[TorMilestone] products?:[TorProduct] objectives:[string] ...") \
    X("TorMilestone", "name,due:string")                                                       \
    X("TorProduct", "type:" PRODUCT_TYPE " due:string")                                        \
    X("TorAgreements", "sia,sio:TorAgreement?")                                                \
    X("TorAgreement", "by,at:string")                                                          \
    X("TorDiff", "from,to:integer changes:TorChanges marking?:" MARKING)                                         \
    X("TorChanges", "services?,start_date?,end_date?,milestones?,products?,objectives?:TorChange") \
    X("TorChange", "from,to:any")                                                              \
    /* ---- the work on a tasking (app/work.c; routes still in http/h_work.c, h_product.c) */  \
    X("Contribution", "ref,tasking,user,date:string minutes:integer hours:number text:string " \
                      "created_at:string marking?:" MARKING)                                                     \
    X("Grade", "source:string(1|2|3) assessment:string(A|B|C|D|E) handling:string(P|C) "       \
               "conditions:string? display:string")                                            \
    /* ---- the intelligence picture (app/picture.c, ops/ops_picture.c) ---- */                \
    X("Resolution", "mode:string(incremental|full) records,entities,links,created_entities,removed_entities,removed_links,"   \
                    "review_pairs,unusable_values,decisions:integer? "                          \
                    "link_threshold,review_threshold:number withheld?:boolean")                 \
    X("Dataset", DATASET)                                                                      \
    X("DatasetImport", DATASET_BASE " resolution:Resolution replaced:string?")                 \
    X("DatasetRemoved", "removed:string resolution:Resolution")                                \
    X("PictureResolved", "tasking:string engine_before,engine:integer resolution:Resolution")  \
    X("PictureSource", "kind:string(record|intelligence|import) label:string grade:Grade "      \
                       "marking:" MARKING " seen:string? record?,dataset?,record_id?,item?:string " \
                       "row?:integer import?:string import_kind?:string(finance|comms) "       \
                       "seen_last?:string? attributes?:object")                                \
    X("Entity", "ref,tasking:string type:" ENTITY_TYPE " label:string key:string? "            \
                "confidence:number grade:Grade marking:" MARKING " first_seen,last_seen:string? " \
                "review_date:string? sources:[PictureSource] links?:[Link]")                    \
    X("Link", "ref:string type:" LINK_TYPE " from,to:string directed:boolean confidence:number " \
              "grade:Grade marking:" MARKING " first_seen,last_seen:string? review_date:string? " \
              "sources:[PictureSource]")                                                       \
    X("LinkRemoved", "removed:string")                                                         \
    X("PictureExport", "tasking_ref:string format:string(anx|graphml|csv|json|png) filename,media_type:string " \
                       "size:integer sha256:string marking:" MARKING " handling:string(P|C) "    \
                       "conditions:[string] entities,links:integer out?:string")                \
    X("ReviewRecord", "record,dataset,record_id:string values:object grade:Grade")             \
    X("ReviewPair", "ref:string record_a,record_b:ReviewRecord probability:number "            \
                    "explanation:object marking:" MARKING)                                  \
    /* ---- the analysis of the picture (app/analysis*.c, ops/ops_analysis.c) ---- */         \
    X("AnalysisImport", "ref,tasking:string kind:string(finance|comms) filename:string? "      \
                        "sha256:string rows:integer marking:" MARKING " grade:Grade fields:object " \
                        "imported_by:string? imported_at:string picture?:AnalysisPicture")     \
    X("AnalysisPicture", "entities,created_entities,links,created_links,holders,"              \
                         "unmatched_holders:integer replaced:string? "                          \
                         "removed_entities,removed_links,duplicates:integer duplicate_of:string?") \
    X("AnalysisImportRemoved", "removed:string removed_entities,removed_links:integer")        \
    X("GraphResult", "analysis:string(stats|central|communities|path|ego|brokers|keyplayers) " \
                     "tasking:string marking:" MARKING " filter:object weighted,directed:boolean " \
                     "product?:object ...")                                                    \
    X("FinanceResult", "analysis:string(flows|mules|cycles|fans|structuring) tasking:string "  \
                       "marking:" MARKING " from,to:string? settings:object transactions:integer " \
                       "count:integer items:[object] truncated?:boolean product?:object")      \
    X("CommsResult", "analysis:string(contacts|top|common|activity) tasking:string "           \
                     "marking:" MARKING " from,to:string? records:integer product?:object ...") \
    X("Timeline", "tasking:string marking:" MARKING " entity,from,to:string? count:integer "   \
                  "truncated:boolean items:[object]")                                          \
    X("SearchResult", "kind:string(tasking|intelligence|entity) ref,tasking:string type,label:string? "   \
                      "snippet:string marking:" MARKING)                          \
    X("DeconflictionContact", "sia:string? agency,agency_name:string")                         \
    X("Deconfliction", "ref,tasking,entity:string entity_type:string(person|phone|vehicle|account|online_identity) " \
                       "probability:number contact:DeconflictionContact marking:" MARKING " raised_at:string " \
                       "acknowledged_by,acknowledged_at:string?")                              \
    X("IntelPnd", "status:string(pending|recorded|not_required) ref,date,reason:string?")      \
    X("IntelItem", INTEL)                                                                      \
    X("IntelHistory", INTEL) /* an item of GET /intelligence/{item}/history: one version */    \
    X("IntelReview", INTEL)  /* an item of GET /intelligence/due-review */                     \
    X("MopiReview", "id:integer item:string decision:string(retain|dispose) reason:string "     \
                    "due_date:string next_date:string? by:string? at:string "                   \
                    "erased?:boolean purged?:boolean marking?:" MARKING " "                      \
                    "resolution?:Resolution")                                                   \
    X("Job", "id,kind,tasking:string state:string(running|done|failed) phase:string "           \
             "done,total:integer started_at:string finished_at:string? result:DatasetImport? "       \
             "error:JobError? result_gone?:string marking?:" MARKING)                                \
    X("JobError", "code,detail:string")                                                        \
    X("PictureDue", "kind:string(dataset|entity) ref,tasking:string owner:string? "             \
                    "review_date:string marking:" MARKING " type:string name?:string "         \
                    "records?:integer sources?:integer")                                       \
    X("Option", "ref,tasking:string strand:" STRAND " text,agency:string "                     \
                "status:" OPTION_STATUS " version:integer created_by:string? "                 \
                "created_at,updated_at:string may_set?:boolean marking?:" MARKING)                               \
    X("Product", "ref:string version:integer tasking:string type:" PRODUCT_TYPE " "            \
                 "marking:" MARKING " filename:string size:integer sha256:string "             \
                 "created_by:string? created_at:string delivered:boolean "                     \
                 "delivered_at,delivered_by:string?")                                          \
    /* ---- APMIS (app/apmis.c; routes still in http/h_apmis.c) ---- */                        \
    X("ApmisRecord", "ref,threat:string threat_title,owner:string? date,lead:string "          \
                     "lead_region:string? impact:" IMPACT " type:" DISRUPTION " "              \
                     "strand:" STRAND " arrests,safeguarded,seized_pence:integer "             \
                     "capabilities:[string] toex_contributed:boolean narrative:string "        \
                     "marking:" MARKING " created_at:string created_by:string?")               \
    X("ApmisReport", "marking:" MARKING " scope:ApmisScope taskings:ApmisTaskings "            \
                     "time_in_state:ApmisStateTimes products:ApmisProducts "                   \
                     "tactical_options:ApmisOptions disruptions:ApmisDisruptions "             \
                     "intelligence:ApmisIntel")                                                \
    X("ApmisScope", "region,force,from:string? by:string(requester|owner) to,end:string")       \
    X("ApmisTaskings", "total:integer by_state:ApmisStateCounts")                              \
    X("ApmisStateCounts", "draft,submitted,returned,forwarded,accepted,tor_agreed,"            \
                          "in_development,reassessment,transfer_requested,escalated_ftt,"      \
                          "closed,rejected,declined,withdrawn:integer")                        \
    X("ApmisStateTimes", "draft,submitted,returned,forwarded,accepted,tor_agreed,"             \
                         "in_development,reassessment,transfer_requested,"                     \
                         "escalated_ftt:ApmisStateTime")                                       \
    X("ApmisStateTime", "visits,total_seconds,median_seconds,p90_seconds:integer")             \
    X("ApmisProducts", "due,on_time,late,not_delivered:integer")                               \
    X("ApmisOptions", "recorded,actioned:integer by_status:ApmisOptionCounts "                 \
                      "actioned_by_strand:ApmisStrandCounts")                                  \
    X("ApmisOptionCounts", "proposed,accepted,declined,actioned:integer")                      \
    X("ApmisStrandCounts", "pursue,prevent,protect,prepare:integer")                           \
    X("ApmisDisruptions", "all,with_toex:ApmisDisruptionTotals")                               \
    X("ApmisDisruptionTotals", "count:integer by_impact:ApmisImpactCounts "                    \
                               "arrests,victims_safeguarded,seized_pence:integer")             \
    X("ApmisImpactCounts", "major,moderate,minor,none,negative:integer")                       \
    X("ApmisIntel", "items,recorded_on_pnd,not_required,pending:integer")                      \
    /* ---- the audit trail (app/json.c, app/audit.c; routes still in http/) ---- */           \
    X("AuditEntry", "seq:integer at:string actor,os_user:string? via:" VIA " action:string "   \
                    "object:string? before,after:object? hash:string")                         \
    X("AuditVerify", "intact:boolean entries:integer head:string first_bad:integer? "          \
                     "detail:string? checkpoint_matched:boolean? reads:boolean")                              \
    X("AuditCheckpoint", "seq:integer hash:string reads?:boolean")                                            \
    X("ReadEntry", "seq:integer chain:string(changes|reads) at:string user:string? via:" VIA "? "                          \
                   "action:string(tasking.read|intel.consult|product.disclose|picture.export|"              \
                   "option.read|access.refused)? object,purpose,justification:string? read:ReadRef|[ReadRef]? " \
                   "refused?:ReadRefusal")                                                      \
    X("ReadRefusal", "operation:string answer:string(forbidden|not_found)")                      \
    X("ReadRef", "ref:string version?:integer sha256?:string format?:string(anx|graphml|csv|json|png) " \
                 "recipient?,purpose?,view?:string marking?:" MARKING " handling?:string(P|C) "  \
                 "conditions?:[string] entities?,links?,size?:integer analysis?:string search?:string " \
                 "tasking?:string")

#define OBJECT_ROW(n, f) {n, f},
#define OBJECT_NAME(n, f) n,

static const struct {
    const char *name;
    const char *form;
} objects[] = {OBJECTS(OBJECT_ROW)};

const char *const op_schema_names[] = {OBJECTS(OBJECT_NAME) NULL};

static json_t *ref_schema(const char *name, size_t n)
{
    char ref[96];
    snprintf(ref, sizeof ref, "#/components/schemas/%.*s", (int)n, name);
    return json_pack("{s:s}", "$ref", ref);
}

/* The length of t's first alternative: up to a '|' outside () and []. */
static size_t alternative(const char *t, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '(' || t[i] == '[')
            depth++;
        else if (t[i] == ')' || t[i] == ']')
            depth--;
        else if (t[i] == '|' && depth == 0)
            return i;
    }
    return n;
}

static json_t *type_schema(const char *t, size_t n);

/* One alternative, not nullable: [T], any, a JSON type (with its enumeration) or a Name. */
static json_t *single_schema(const char *t, size_t n)
{
    if (n >= 2 && t[0] == '[' && t[n - 1] == ']')
        return json_pack("{s:s, s:o}", "type", "array", "items", type_schema(t + 1, n - 2));
    if (n == 3 && memcmp(t, "any", 3) == 0)
        return json_object();
    if (n == 0 || !(t[0] >= 'a' && t[0] <= 'z'))
        return ref_schema(t, n);
    const char *open = memchr(t, '(', n);
    size_t tn = open ? (size_t)(open - t) : n;
    json_t *s = json_pack("{s:s%}", "type", t, tn);
    if (open && t[n - 1] == ')') {
        json_t *en = json_array();
        for (const char *w = open + 1, *end = t + n - 1; w <= end;) {
            size_t wn = strcspn(w, "|)");
            if (w + wn > end)
                wn = (size_t)(end - w);
            json_array_append_new(en, json_stringn(w, wn));
            w += wn + 1;
        }
        json_object_set_new(s, "enum", en);
    }
    return s;
}

static json_t *type_schema(const char *t, size_t n)
{
    bool nullable = n && t[n - 1] == '?';
    if (nullable)
        n--;
    size_t first = alternative(t, n);
    if (first == n && n == 3 && memcmp(t, "any", 3) == 0)
        return json_object(); /* null included */
    if (first == n && !nullable)
        return single_schema(t, n);
    json_t *any = json_array();
    for (size_t at = 0; at < n;) {
        size_t len = alternative(t + at, n - at);
        json_array_append_new(any, single_schema(t + at, len));
        at += len + 1;
    }
    if (nullable)
        json_array_append_new(any, json_pack("{s:s}", "type", "null"));
    return json_pack("{s:o}", "anyOf", any);
}

static json_t *object_schema(const char *form)
{
    json_t *props = json_object(), *req = json_array();
    bool open = false;
    for (const char *p = form; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        if (len == 3 && memcmp(p, "...", 3) == 0) {
            open = true;
            p += len;
            continue;
        }
        const char *colon = memchr(p, ':', len);
        if (!colon)
            break;
        const char *type = colon + 1;
        size_t tlen = len - (size_t)(type - p);
        for (const char *name = p; name < colon;) { /* "a,b?,c:T" */
            size_t nlen = strcspn(name, ",:");
            bool optional = nlen && name[nlen - 1] == '?';
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)(nlen - optional), name);
            json_object_set_new(props, key, type_schema(type, tlen));
            if (!optional)
                json_array_append_new(req, json_string(key));
            name += nlen + 1;
        }
        p += len;
    }
    return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required", req,
                     "additionalProperties", open);
}

json_t *op_schema(const char *name, bool list)
{
    for (size_t i = 0; name && i < sizeof objects / sizeof objects[0]; i++) {
        if (strcmp(objects[i].name, name) != 0)
            continue;
        if (!list)
            return object_schema(objects[i].form);
        char ref[96];
        snprintf(ref, sizeof ref, "#/components/schemas/%s", name);
        return json_pack("{s:s, s:{s:{s:s, s:{s:s}}, s:{s:[s, s]}}, s:[s, s], s:b}", "type", "object",
                         "properties", "items", "type", "array", "items", "$ref", ref, "next", "type",
                         "string", "null", "required", "items", "next", "additionalProperties", 0);
    }
    return NULL;
}
