/*
 * table.c: THE operation table (ops.h). One row per operation; the CLI, the HTTP router and
 * the OpenAPI document are made from these rows. Keep rows of an area together, in the order
 * `iom help` should list them.
 */
#include "ops/internal.h"

#define REF_PATH(what) {"ref", OT_STRING, OF_PATH | OF_REQUIRED, what, .meta = "REF"}

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
    OP_IF_VERSION,
    {NULL}};
static const op_field f_threat_archive[] = {REF_PATH("the threat's SOC reference"), OP_IF_VERSION,
                                            {NULL}};


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
static const op_field f_agency_add[] = {
    {"code", OT_STRING, OF_NEEDED, "a new lower-case slug (a-z, 0-9, -)", .meta = "CODE"},
    {"name", OT_STRING, OF_NEEDED, "the agency's name", .meta = "NAME"},
    {"kind", OT_STRING, OF_NEEDED, "force, rocu, national or capability", .meta = "KIND"},
    {"region", OT_STRING, 0, "its region's code (forces and ROCUs only)", .meta = "CODE"},
    {NULL}};
static const op_field f_agency_rename[] = {
    CODE_PATH, {"name", OT_STRING, OF_REQUIRED, "the new name", .meta = "NAME"}, {NULL}};
static const op_field f_agency_merge[] = {
    CODE_PATH, {"into", OT_STRING, OF_REQUIRED, "the agency that takes over", .meta = "CODE"}, {NULL}};

#define NAME_PATH {"name", OT_STRING, OF_PATH | OF_REQUIRED, "the user's login name", .meta = "NAME"}
static const op_field f_user_add[] = {
    {"name", OT_STRING, OF_ARG | OF_REQUIRED, "login name: 2-64 of a-z 0-9 . _ -", .meta = "NAME"},
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
static const op_field f_user_reset_password[] = {
    NAME_PATH,
    {"password", OT_STRING, OF_SECRET, "the temporary password; without it one is generated and "
     "shown once"},
    {NULL}};
static const op_field f_role_totp[] = {
    {"role", OT_STRING, OF_PATH | OF_REQUIRED, "a role of domain.md §3", .meta = "ROLE"},
    {"required", OT_BOOL, OF_NEGATE, "whether the role requires TOTP (CLI: --off = no longer)",
     .cli = "off"},
    {NULL}};

const op_def op_table[] = {
    {.name = "region.list", .group = "region", .cmd = "list", .method = "GET",
     .path = "/api/v1/regions", .fields = f_none, .returns = "Region", .flags = OP_LIST,
     .tag = "reference", .summary = "list the regions", .run = op_region_list},
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
     .flags = OP_WRITE | OP_CREATED, .tag = "reference", .summary = "add an agency (admin)",
     .run = op_agency_add},
    {.name = "agency.rename", .group = "agency", .cmd = "rename", .method = "POST",
     .path = "/api/v1/agencies/{code}/rename", .fields = f_agency_rename, .returns = "Agency",
     .flags = OP_WRITE, .tag = "reference", .summary = "rename an agency (admin)",
     .run = op_agency_rename},
    {.name = "agency.disable", .group = "agency", .cmd = "disable", .method = "POST",
     .path = "/api/v1/agencies/{code}/disable", .fields = f_agency_code, .returns = "Agency",
     .flags = OP_WRITE, .tag = "reference", .summary = "disable an agency (admin)",
     .run = op_agency_disable},
    {.name = "agency.merge", .group = "agency", .cmd = "merge", .method = "POST",
     .path = "/api/v1/agencies/{code}/merge", .fields = f_agency_merge, .returns = "Agency",
     .flags = OP_WRITE, .tag = "reference", .summary = "merge one agency into another (admin)",
     .help = "Moves the agency's users and owned threats to the other and disables it, keeping "
             "its record.",
     .run = op_agency_merge},

    {.name = "user.add", .group = "user", .cmd = "add", .method = "POST", .path = "/api/v1/users",
     .fields = f_user_add, .returns = "User", .flags = OP_WRITE | OP_CREATED, .tag = "admin",
     .summary = "add a user (admin; the first one without --as)",
     .help = "The first user may be added without --as while no admin exists.\n"
             "--password-stdin reads the password from the first line of standard input.",
     .run = op_user_add},
    {.name = "user.list", .group = "user", .cmd = "list", .method = "GET", .path = "/api/v1/users",
     .fields = f_user_list, .returns = "User", .flags = OP_LIST, .tag = "admin",
     .summary = "list users", .run = op_user_list},
    {.name = "user.show", .group = "user", .cmd = "show", .method = "GET",
     .path = "/api/v1/users/{name}", .fields = f_user_name, .returns = "User", .tag = "admin",
     .summary = "show one user", .run = op_user_show},
    {.name = "user.disable", .group = "user", .cmd = "disable", .method = "POST",
     .path = "/api/v1/users/{name}/disable", .fields = f_user_name, .returns = "User",
     .flags = OP_WRITE, .tag = "admin",
     .summary = "disable a user: its sessions and tokens stop at once (admin)",
     .run = op_user_disable},
    {.name = "user.reset-password", .group = "user", .cmd = "reset-password", .method = "POST",
     .path = "/api/v1/users/{name}/password-reset", .fields = f_user_reset_password,
     .returns = "PasswordReset", .flags = OP_WRITE, .tag = "admin",
     .summary = "reset a password; changed at next sign-in (admin)",
     .help = "Sets a temporary password (read from standard input with --password-stdin, or\n"
             "generated and printed once) that the user must change at the next sign-in; ends\n"
             "the user's sessions and tokens.",
     .run = op_user_reset_password},
    {.name = "user.reset-totp", .group = "user", .cmd = "reset-totp", .method = "DELETE",
     .path = "/api/v1/users/{name}/totp", .fields = f_user_name, .returns = "TotpReset",
     .flags = OP_WRITE, .tag = "admin", .summary = "remove a user's TOTP enrolment (admin)",
     .help = "For a lost device: the user enrols again.", .run = op_user_reset_totp},
    {.name = "role.list", .group = "role", .cmd = "list", .method = "GET", .path = "/api/v1/roles",
     .fields = f_none, .returns = "RoleSetting", .flags = OP_LIST, .tag = "admin",
     .summary = "roles and whether each requires TOTP (admin)", .run = op_role_list},
    {.name = "role.require-totp", .group = "role", .cmd = "require-totp", .method = "POST",
     .path = "/api/v1/roles/{role}/require-totp", .fields = f_role_totp, .returns = "RoleSetting",
     .flags = OP_WRITE | OP_LIST, .tag = "admin",
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
     .help = "Only when no tasking on it is open.", .run = op_threat_archive},
    {.name = "threat.history", .group = "threat", .cmd = "history", .method = "GET",
     .path = "/api/v1/threats/{ref}/history", .fields = f_threat_ref,
     .returns = "OwnershipHistory", .tag = "threats",
     .summary = "every owner and SIO a threat had, when and by which decision",
     .run = op_threat_history},
    {.name = NULL},
};
