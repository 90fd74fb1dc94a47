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

const op_def op_table[] = {
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
