/*
 * routes.c: THE route table of the API (after GNU Taler's handlers[]). One row per
 * (method, path pattern); `{name}` segments are parameters. The OpenAPI document is
 * generated from these rows (openapi.c), and a test compares the two both ways.
 */
#include "http/internal.h"

static const char *const q_page[] = {"limit", "after", NULL};
static const char *const q_threats[] = {"owner", "region", "status", "limit", "after", NULL};
static const char *const q_taskings[] = {"state", "region", "owner", "limit", "after", NULL};
static const char *const q_reads[] = {"user", "object", "limit", "after", NULL};
/* Transitions without a document of their own (domain.md §1); the rest come with their
   resources (ToR, reassessment). */
static const char *const tasking_actions[] = {
    "submit", "forward", "return", "reject", "accept", "decline", "start", "complete",
    "remain", "withdraw", "request_transfer", "escalate", "decide_transfer", "agree_tor", NULL};

const http_route http_routes[] = {
    {.method = "GET", .pattern = "/api/health", .fn = h_health, .flags = HTTP_PUBLIC,
     .summary = "Liveness: the process answers (no data)", .tag = "system"},
    {.method = "GET", .pattern = "/api/ready", .fn = h_ready, .flags = HTTP_PUBLIC,
     .summary = "Readiness: the store is reachable", .tag = "system"},
    {.method = "GET", .pattern = "/api/openapi.json", .fn = h_openapi, .flags = HTTP_PUBLIC,
     .summary = "This API as an OpenAPI 3.1 document", .tag = "system"},

    {.method = "POST", .pattern = "/api/v1/session", .fn = h_login,
     .flags = HTTP_PUBLIC | HTTP_BODY | HTTP_CREATED, .body_schema = "Login",
     .summary = "Sign in: sets the session cookie, returns the user and the CSRF token",
     .tag = "session"},
    {.method = "DELETE", .pattern = "/api/v1/session", .fn = h_logout, .flags = HTTP_RESTRICTED_OK,
     .summary = "Sign out: ends the session", .tag = "session"},
    {.method = "GET", .pattern = "/api/v1/me", .fn = h_me, .flags = HTTP_RESTRICTED_OK,
     .summary = "The signed-in user and what it must do first (restriction)", .tag = "session"},
    {.method = "POST", .pattern = "/api/v1/me/password", .fn = h_password_change,
     .flags = HTTP_BODY | HTTP_RESTRICTED_OK, .body_schema = "PasswordChange",
     .summary = "Change your password (the old one required); ends your sessions and tokens",
     .tag = "session"},
    {.method = "POST", .pattern = "/api/v1/me/totp", .fn = h_totp_enrol,
     .flags = HTTP_CREATED | HTTP_TOTP_ENROL,
     .summary = "Start TOTP enrolment: the secret and otpauth URI, shown once", .tag = "session"},
    {.method = "POST", .pattern = "/api/v1/me/totp/confirm", .fn = h_totp_confirm,
     .flags = HTTP_BODY | HTTP_TOTP_ENROL, .body_schema = "TotpCode",
     .summary = "Confirm TOTP enrolment with a first code", .tag = "session"},

    {.method = "GET", .pattern = "/api/v1/users", .fn = h_user_list, .query = q_page,
     .summary = "Users", .tag = "admin"},
    {.method = "POST", .pattern = "/api/v1/users", .fn = h_user_add,
     .flags = HTTP_BODY | HTTP_CREATED, .body_schema = "UserInput",
     .summary = "Add a user (admin)", .tag = "admin"},
    {.method = "GET", .pattern = "/api/v1/users/{name}", .fn = h_user_get,
     .summary = "One user", .tag = "admin"},
    {.method = "POST", .pattern = "/api/v1/users/{name}/disable", .fn = h_user_disable,
     .summary = "Disable a user: its sessions and tokens stop at once (admin)", .tag = "admin"},
    {.method = "POST", .pattern = "/api/v1/users/{name}/password-reset", .fn = h_user_password_reset,
     .flags = HTTP_BODY, .body_schema = "PasswordReset",
     .summary = "Reset a password: the user must change it at next sign-in (admin)", .tag = "admin"},
    {.method = "DELETE", .pattern = "/api/v1/users/{name}/totp", .fn = h_user_totp_reset,
     .summary = "Remove a user's TOTP enrolment (lost device; admin)", .tag = "admin"},

    {.method = "GET", .pattern = "/api/v1/roles", .fn = h_role_list,
     .summary = "Roles and whether each requires TOTP (admin)", .tag = "admin"},
    {.method = "POST", .pattern = "/api/v1/roles/{role}/require-totp", .fn = h_role_totp,
     .flags = HTTP_BODY, .body_schema = "RequireTotp",
     .summary = "Mark a role as requiring TOTP, or not (admin)", .tag = "admin"},

    {.method = "GET", .pattern = "/api/v1/regions", .fn = h_regions,
     .summary = "Regions", .tag = "reference"},
    {.method = "GET", .pattern = "/api/v1/agencies", .fn = h_agencies, .query = q_page,
     .summary = "Agencies: forces, ROCUs, national agencies and capabilities", .tag = "reference"},
    {.method = "POST", .pattern = "/api/v1/agencies", .fn = h_agency_add,
     .flags = HTTP_BODY | HTTP_CREATED, .body_schema = "AgencyInput",
     .summary = "Add an agency (admin)", .tag = "reference"},
    {.method = "GET", .pattern = "/api/v1/agencies/{code}", .fn = h_agency_get,
     .summary = "One agency", .tag = "reference"},
    {.method = "POST", .pattern = "/api/v1/agencies/{code}/rename", .fn = h_agency_rename,
     .flags = HTTP_BODY, .body_schema = "AgencyRename",
     .summary = "Rename an agency (admin)", .tag = "reference"},
    {.method = "POST", .pattern = "/api/v1/agencies/{code}/disable", .fn = h_agency_disable,
     .summary = "Disable an agency (admin)", .tag = "reference"},
    {.method = "POST", .pattern = "/api/v1/agencies/{code}/merge", .fn = h_agency_merge,
     .flags = HTTP_BODY, .body_schema = "AgencyMerge",
     .summary = "Merge an agency into another (admin)", .tag = "reference"},

    {.method = "GET", .pattern = "/api/v1/threats", .fn = h_threat_list, .query = q_threats,
     .summary = "The SOC master list", .tag = "threats"},
    {.method = "POST", .pattern = "/api/v1/threats", .fn = h_threat_add,
     .flags = HTTP_BODY | HTTP_CREATED | HTTP_VERSIONED, .body_schema = "ThreatInput",
     .summary = "Put a threat on the SOC master list (owner's spoc or sio)", .tag = "threats"},
    {.method = "GET", .pattern = "/api/v1/threats/{ref}", .fn = h_threat_get,
     .flags = HTTP_VERSIONED, .summary = "One threat", .tag = "threats"},
    {.method = "PATCH", .pattern = "/api/v1/threats/{ref}", .fn = h_threat_update,
     .flags = HTTP_BODY | HTTP_VERSIONED, .body_schema = "ThreatUpdate",
     .summary = "Change a threat (owner's spoc or sio)", .tag = "threats"},

    {.method = "GET", .pattern = "/api/v1/taskings", .fn = h_tasking_list, .query = q_taskings,
     .summary = "Taskings the user may see", .tag = "taskings"},
    {.method = "POST", .pattern = "/api/v1/taskings", .fn = h_tasking_new,
     .flags = HTTP_BODY | HTTP_CREATED | HTTP_VERSIONED, .body_schema = "Bid",
     .summary = "Draft a bid for TOEX support (spoc)", .tag = "taskings"},
    {.method = "GET", .pattern = "/api/v1/taskings/{ref}", .fn = h_tasking_show,
     .flags = HTTP_VERSIONED,
     .summary = "A tasking with its team, ToR, assessment and history", .tag = "taskings"},
    {.method = "POST", .pattern = "/api/v1/taskings/{ref}/{action}", .fn = h_tasking_act,
     .flags = HTTP_BODY | HTTP_VERSIONED, .body_schema = "Transition", .enums = tasking_actions,
     .summary = "A lifecycle transition (domain.md §1)", .tag = "taskings"},

    {.method = "GET", .pattern = "/api/v1/audit/verify", .fn = h_audit_verify,
     .summary = "Verify the audit chain (auditor, admin)", .tag = "audit"},
    {.method = "GET", .pattern = "/api/v1/audit/reads", .fn = h_audit_reads, .query = q_reads,
     .summary = "The read-purpose log: who read what content, when and why (auditor, admin)",
     .tag = "audit"},
};
const size_t http_route_count = sizeof http_routes / sizeof http_routes[0];
