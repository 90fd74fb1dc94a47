/*
 * routes.c: THE route table of the API (after GNU Taler's handlers[]). One row per
 * (method, path pattern); `{name}` segments are parameters. The OpenAPI document is
 * generated from these rows (openapi.c), and a test compares the two both ways.
 */
#include "http/internal.h"

static const char *const q_page[] = {"limit", "after", NULL};
static const char *const q_threats[] = {"owner", "region", "status", "limit", "after", NULL};
static const char *const q_taskings[] = {"state", "region", "owner", "limit", "after", NULL};
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
    {.method = "DELETE", .pattern = "/api/v1/session", .fn = h_logout,
     .summary = "Sign out: ends the session", .tag = "session"},
    {.method = "GET", .pattern = "/api/v1/me", .fn = h_me,
     .summary = "The signed-in user", .tag = "session"},

    {.method = "GET", .pattern = "/api/v1/agencies", .fn = h_agencies, .query = q_page,
     .summary = "Agencies: forces, ROCUs, national agencies and capabilities", .tag = "reference"},

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
};
const size_t http_route_count = sizeof http_routes / sizeof http_routes[0];
