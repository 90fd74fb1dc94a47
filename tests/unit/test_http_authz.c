/*
 * Issue 5 acceptance: the authorisation matrix of `iom serve`. Every row of
 * tests/fixtures/http_authz.csv (written from docs/domain.md §1 and §3 by http_authz.py, which
 * never reads src/) is one request by one user (role x relation) on one object, sent over a
 * loopback socket to the server started in-process; the status, and for reads what the user
 * sees, must be the row's. A refused change must leave the object as it was (version, audit
 * trail, number of threats or taskings). Every mismatch is listed before the test fails.
 *
 * Completeness, both ways: every route of http_routes[] (with every value of its {action}
 * enumeration) x every role x every relation has a row, and every row names a route of the
 * table, a role, a relation and a state the test knows how to build.
 *
 * The header of the CSV defines the actors and objects; this file builds them as it says.
 */
#include "test_http_support.h"

#include "app/job.h"

#include <liboath/oath.h>

#include "app/auth.h"
#include "app/totp.h"
#include "app/calendar.h"
#include "domain/calendar.h"
#include "util/timefmt.h"
#include "http/internal.h"

#define FIXTURE IOM_SOURCE_DIR "/tests/fixtures/http_authz.csv"
#define SUMMARY "Hand car washes run by one family"

static const char *const roles[] = {"spoc", "sio", "customer", "gateway", "toex_manager", "sia",
                                    "analyst", "ido", "dia", "researcher", "ttcg", "ftt",
                                    "apmis", "auditor", "admin"};
#define NROLES (sizeof roles / sizeof roles[0])
static const char *const rels[] = {"own", "region", "other"};
#define NRELS 3
static const char *const team_roles[] = {"analyst", "ido", "dia", "researcher"};

/* The walk of docs/domain.md §1 the objects are built along. */
static const char *const walk[] = {"draft", "submitted", "forwarded", "accepted", "tor_agreed",
                                   "in_development", "reassessment", "transfer_requested",
                                   "escalated_ftt"};
#define NWALK (sizeof walk / sizeof walk[0])

static bool is_toex_role(const char *r)
{
    static const char *const t[] = {"toex_manager", "sia", "analyst", "ido", "dia", "researcher"};
    for (size_t i = 0; i < 6; i++)
        if (strcmp(r, t[i]) == 0)
            return true;
    return false;
}

static int index_of(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return (int)i;
    return -1;
}

/* ---- the fixture ---------------------------------------------------------------------- */

typedef struct row {
    int line;
    char *method, *route, *action, *state, *role, *rel, *sees, *why;
    int expect;
} row;

typedef struct fixture {
    row *rows;
    size_t n;
    char *text;
} fixture;

static fixture load_fixture(void)
{
    FILE *f = fopen(FIXTURE, "r");
    assert_non_null(f);
    fixture fx = {0};
    size_t cap = 0, len = 0;
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + k + 1 > cap) {
            cap = (len + k + 1) * 2;
            fx.text = realloc(fx.text, cap);
        }
        memcpy(fx.text + len, buf, k);
        len += k;
    }
    fclose(f);
    assert_non_null(fx.text);
    fx.text[len] = '\0';
    size_t rcap = 0;
    int line = 0;
    bool header = true;
    for (char *p = fx.text; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        line++;
        char *cur = p;
        p = nl ? nl + 1 : NULL;
        if (cur[0] == '#' || cur[0] == '\0')
            continue;
        if (header) { /* the column names */
            assert_true(strncmp(cur, "method,route,action,state,role,relation,expect,sees,why", 55) == 0);
            header = false;
            continue;
        }
        /* Eight plain fields, then `why` (the rest of the line, CSV-quoted when it holds a comma). */
        char *field[9];
        for (int i = 0; i < 8; i++) {
            field[i] = cur;
            char *c = strchr(cur, ',');
            if (!c) {
                fprintf(stderr, "%s:%d: fewer than 9 columns\n", FIXTURE, line);
                fail();
            }
            *c = '\0';
            cur = c + 1;
        }
        if (cur[0] == '"') {
            cur++;
            char *w = cur;
            for (char *r = cur; *r; r++) {
                if (*r == '"' && r[1] == '"')
                    r++;
                else if (*r == '"')
                    break;
                *w++ = *r;
            }
            *w = '\0';
        }
        field[8] = cur;
        if (fx.n == rcap) {
            rcap = rcap ? rcap * 2 : 2048;
            fx.rows = realloc(fx.rows, rcap * sizeof *fx.rows);
        }
        fx.rows[fx.n++] = (row){.line = line, .method = field[0], .route = field[1],
                                .action = field[2], .state = field[3], .role = field[4],
                                .rel = field[5], .expect = atoi(field[6]), .sees = field[7],
                                .why = field[8]};
    }
    assert_true(fx.n > 0);
    return fx;
}

static void free_fixture(fixture *fx)
{
    free(fx->rows);
    free(fx->text);
}

static const http_route *route_of(const row *r)
{
    for (size_t i = 0; i < http_route_count; i++)
        if (strcmp(http_routes[i].method, r->method) == 0 && strcmp(http_routes[i].pattern, r->route) == 0)
            return &http_routes[i];
    return NULL;
}

/* The routes this file knows how to drive: the request for a row (path placeholders are
   filled by expand(), bodies by body_of()) and what is checked beyond the status. A new route
   needs a line here (and, when its object is new, a builder below). */
typedef enum special {
    SP_NONE,
    SP_PUBLIC,   /* sent without a session */
    SP_LOGIN,    /* sign in with the row's user's password */
    SP_LOGOUT,   /* a session of its own is signed out */
    SP_LIST,     /* a list: is the row's object in it (sees listed|unlisted) */
    SP_SHOW,     /* a tasking read: full content or outcome only */
    SP_UPLOAD,   /* raw body */
    SP_PASSWORD, /* own password change: a session of its own, then the password is restored */
    SP_TOTP,     /* own TOTP confirmation: enrol first, answer the code, then an admin resets it */
} special;

typedef struct driver {
    const char *method, *pattern;
    const char *query; /* appended to the path, or NULL */
    const char *body;  /* a fixed body, or NULL (body_of may build one) */
    special sp;
    char look;         /* for SP_LIST: 't' the tasking, 'h' the threat, 'i' the item, 'd' the dataset,
                          'o' the option, 'm' the APMIS record */
} driver;

static const char tor_doc[] =
    "{\"services\":[\"intel_development\"],\"start_date\":\"2026-06-10\",\"end_date\":\"2026-09-30\","
    "\"milestones\":[{\"name\":\"Network mapped\",\"due\":\"2026-07-15\"}],"
    "\"products\":[],\"objectives\":[\"Identify the controllers and their money\"]}";

/* the route's body: a new version (the fixture's accepted tasking holds tor_doc as version 1,
   and the same content again is refused as nothing to change) */
static const char tor_doc2[] =
    "{\"services\":[\"intel_development\"],\"start_date\":\"2026-06-10\",\"end_date\":\"2026-09-30\","
    "\"milestones\":[{\"name\":\"Network mapped\",\"due\":\"2026-07-15\"}],"
    "\"products\":[],\"objectives\":[\"Identify the controllers and their money\",\"Find the victims\"]}";

static const char national[] =
    "{\"harm\":{\"physical\":3,\"psychological\":4,\"financial\":3,\"community\":2,"
    "\"victim_vulnerability\":4},\"scale\":3,\"likelihood\":4,\"confidence\":\"high\","
    "\"capacity\":3,\"capability\":3,\"needs_national_capability\":true,"
    "\"needs_rocu_capability\":false}";

/* A different assessment: a new version either side proposes. */
static const char regional[] =
    "{\"harm\":{\"physical\":2,\"psychological\":3,\"financial\":2,\"community\":2,"
    "\"victim_vulnerability\":3},\"scale\":2,\"likelihood\":3,\"confidence\":\"medium\","
    "\"capacity\":2,\"capability\":2,\"needs_national_capability\":false,"
    "\"needs_rocu_capability\":true}";

static const driver drivers[] = {
    {"GET", "/api/health", NULL, NULL, SP_PUBLIC, 0},
    {"GET", "/api/ready", NULL, NULL, SP_PUBLIC, 0},
    {"GET", "/api/openapi.json", NULL, NULL, SP_PUBLIC, 0},
    {"POST", "/api/v1/session", NULL, NULL, SP_LOGIN, 0},
    {"DELETE", "/api/v1/session", NULL, NULL, SP_LOGOUT, 0},
    {"GET", "/api/v1/me", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/agencies", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/audit/verify", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/threats", "?status=all&limit=1000", NULL, SP_LIST, 'h'},
    {"GET", "/api/v1/threats/{ref}", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/threats", NULL, NULL, SP_NONE, 0},
    {"PATCH", "/api/v1/threats/{ref}", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/threats/{ref}/archive", NULL, "{\"reason\":\"The network was disrupted\"}",
     SP_NONE, 0},
    {"POST", "/api/v1/threats/{ref}/unarchive", NULL, "{\"reason\":\"The network is back\"}",
     SP_NONE, 0},
    {"GET", "/api/v1/threats/{ref}/history", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings", "?limit=1000", NULL, SP_LIST, 't'},
    {"POST", "/api/v1/taskings", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}", NULL, NULL, SP_SHOW, 0},
    {"PATCH", "/api/v1/taskings/{ref}", NULL, "{\"known\":\"A fourth complaint came in.\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/submit", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/forward", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/return", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/reject", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/accept", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/decline", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/start", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/complete", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/remain", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/withdraw", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/request_transfer", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/escalate", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/decide_transfer", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/agree_tor", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/agree_transfer", NULL, NULL, SP_NONE, 0},
    /* lifecycle resources, work, APMIS, audit */
    /* all: every item the user may see (the rows are about need-to-know, not whose it is) */
    {"GET", "/api/v1/taskings/due", "?days=60&all=true&limit=1000", NULL, SP_LIST, 't'},
    {"GET", "/api/v1/taskings/queue", "?limit=1000", NULL, SP_LIST, 't'},
    {"GET", "/api/v1/taskings/{ref}/history", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/actions", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/transfer", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/team", NULL, "{\"user\":\"spare-analyst\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/reallocate", NULL,
     "{\"sia\":\"spare-sia\",\"reason\":\"The allocated SIA is on leave\"}", SP_NONE, 0},
    {"DELETE", "/api/v1/taskings/{ref}/team/{user}", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/tor", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/tor", NULL, tor_doc2, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/milestones-done", NULL, "{\"milestone\":\"Network mapped\"}",
     SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/tor/{version}", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/tor-diff", "?from=1&to=1", NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/reassessment", NULL, regional, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/contributions", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/contributions", NULL,
     "{\"date\":\"2026-06-01\",\"hours\":\"1\",\"text\":\"Work\"}", SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/intelligence", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/intelligence", NULL,
     "{\"text\":\"Second van\",\"source\":\"ANPR\",\"grade\":\"2B\",\"handling\":\"P\"}", SP_NONE, 0},
    {"GET", "/api/v1/intelligence/due-review", "?days=3000&limit=1000", NULL, SP_LIST, 'i'},
    {"GET", "/api/v1/options", "?limit=1000", NULL, SP_LIST, 'o'},
    {"GET", "/api/v1/intelligence/{item}", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/intelligence/{item}/history", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/intelligence/{item}/corrections", NULL, "{\"reason\":\"typo\",\"text\":\"Vans\"}",
     SP_NONE, 0},
    {"PUT", "/api/v1/intelligence/{item}/pnd", NULL, "{\"pnd\":\"not_required\",\"reason\":\"no nominal\"}",
     SP_NONE, 0},
    {"GET", "/api/v1/intelligence/{item}/reviews", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/intelligence/{item}/reviews", NULL,
     "{\"decision\":\"retain\",\"next\":\"2027-06-01\",\"reason\":\"still needed\"}", SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/options", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/options", NULL,
     "{\"strand\":\"prevent\",\"text\":\"Warn the sites\",\"agency\":\"west-yorkshire\"}", SP_NONE, 0},
    {"PATCH", "/api/v1/options/{option}", NULL, "{\"status\":\"accepted\"}", SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/products", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/products", "?type=network_analysis&filename=chart.txt", "chart",
     SP_UPLOAD, 0},
    {"GET", "/api/v1/products/{product}", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/products/{product}/deliver", NULL, "{\"version\":1}", SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/datasets", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/datasets", NULL,
     "{\"name\":\"Local\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\",\"fields\":[\"full_name=name\"],"
     "\"csv\":\"name\\nDan Holt\\n\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/export", NULL, "{\"format\":\"json\",\"recipient\":\"CPS\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/export/png", NULL,
     "{\"png\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\","
     "\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\"}", SP_NONE, 0},
    {"GET", "/api/v1/datasets/{dataset}", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/datasets/{dataset}/remove", NULL, "{\"reason\":\"superseded\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/resolve", NULL, "{\"reason\":\"engine upgrade\"}", SP_NONE, 0},
    {"GET", "/api/v1/datasets/due-review", "?days=3000&limit=1000", NULL, SP_LIST, 'd'},
    {"POST", "/api/v1/taskings/{ref}/dataset-jobs", NULL,
     "{\"name\":\"Job\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\",\"fields\":[\"full_name=name\"],"
     "\"csv\":\"name\\nDan Holt\\n\"}", SP_NONE, 0},
    {"GET", "/api/v1/jobs/{job}", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/datasets/{dataset}/reviews", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/datasets/{dataset}/reviews", NULL,
     "{\"decision\":\"retain\",\"next\":\"2027-06-01\",\"reason\":\"still needed\"}", SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/entities", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/links", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/entities", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/entities/{entity}", NULL, NULL, SP_NONE, 0},
    {"PATCH", "/api/v1/entities/{entity}", NULL, "{\"confidence\":0.5}", SP_NONE, 0},
    {"POST", "/api/v1/entities/{entity}/links", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/links/{link}/remove", NULL, "{\"reason\":\"misread\"}", SP_NONE, 0},
    {"POST", "/api/v1/entities/{entity}/merge", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/entities/{entity}/split", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/review-pairs", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/review-pairs/{pair}", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/review-pairs/{pair}/decide", NULL, "{\"decision\":\"different\",\"reason\":\"twins\"}",
     SP_NONE, 0},
    /* the analysis of the picture (issue 17): on the work tasking's picture (expand, body_of) */
    {"POST", "/api/v1/taskings/{ref}/graph/stats", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/graph/central", NULL, "{\"top\":3}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/graph/communities", NULL, "{\"method\":\"louvain\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/graph/path", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/graph/ego", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/graph/brokers", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/graph/keyplayers", NULL, "{\"k\":1}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/finance/flows", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/finance/mules", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/finance/cycles", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/finance/fans", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/finance/structuring", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/comms/contacts", NULL, "{}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/comms/top", NULL, "{\"phone\":\"07700 900111\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/comms/common", NULL,
     "{\"phone\":\"07700 900111\",\"other\":\"07700 900222\"}", SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/comms/activity", NULL, "{}", SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/finance/imports", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/comms/imports", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/taskings/{ref}/timeline", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/finance/imports", NULL,
     "{\"csv\":\"date,from,to,amount,currency\\n2026-06-01,11-22-33 12345678,40-50-60 87654321,10.00,GBP\\n\"}",
     SP_NONE, 0},
    {"POST", "/api/v1/taskings/{ref}/comms/imports", NULL,
     "{\"csv\":\"caller,callee,start,duration,type\\n07700 900111,07700 900222,2026-06-01T08:00:00Z,61,call\\n\"}",
     SP_NONE, 0},
    {"POST", "/api/v1/finance/imports/{import}/remove", NULL, "{\"reason\":\"a corrected statement\"}", SP_NONE, 0},
    {"POST", "/api/v1/comms/imports/{import}/remove", NULL, "{\"reason\":\"outside the warrant\"}", SP_NONE, 0},
    {"GET", "/api/v1/search", "?q=Dan%20Holt", NULL, SP_NONE, 0},
    {"GET", "/api/v1/deconflictions", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/deconflictions/{alert}/ack", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/apmis", "?threat={threat}&limit=1000", NULL, SP_LIST, 'm'},
    {"POST", "/api/v1/apmis", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/apmis/report", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/apmis/{ref}", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/audit/log", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/audit/checkpoint", NULL, NULL, SP_NONE, 0},
    /* administration, one's own account, the read log */
    {"POST", "/api/v1/me/password", NULL, NULL, SP_PASSWORD, 0},
    {"POST", "/api/v1/me/totp", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/me/totp/confirm", NULL, NULL, SP_TOTP, 0},
    {"GET", "/api/v1/users", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/users", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/users/{name}", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/users/{name}/disable", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/users/{name}/enable", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/users/{name}/password-reset", NULL, "{}", SP_NONE, 0},
    {"DELETE", "/api/v1/users/{name}/totp", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/users/{name}/unlock", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/address-lockouts/unlock", NULL, "{\"address\":\"192.0.2.1\"}", SP_NONE, 0},
    {"POST", "/api/v1/tokens", NULL, "{}", SP_NONE, 0},
    {"GET", "/api/v1/tokens", NULL, NULL, SP_NONE, 0},
    {"DELETE", "/api/v1/tokens/{ref}", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/roles", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/roles/{role}/require-totp", NULL, "{\"required\":false}", SP_NONE, 0},
    {"GET", "/api/v1/regions", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/holidays", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/holidays", NULL, NULL, SP_NONE, 0},
    {"DELETE", "/api/v1/holidays/{day}", NULL, "{\"reason\":\"added by mistake\"}", SP_NONE, 0},
    {"POST", "/api/v1/agencies", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/agencies/{code}", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/agencies/{code}/rename", NULL, "{\"name\":\"Renamed constabulary\"}", SP_NONE, 0},
    {"POST", "/api/v1/agencies/{code}/disable", NULL, NULL, SP_NONE, 0},
    {"POST", "/api/v1/agencies/{code}/merge", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/audit/reads", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/settings", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/settings/{setting}", NULL, NULL, SP_NONE, 0},
    {"GET", "/api/v1/settings/{setting}/history", NULL, NULL, SP_NONE, 0},
    {"PUT", "/api/v1/settings/{setting}", NULL, NULL, SP_NONE, 0},
};

static const driver *driver_of(const row *r)
{
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
        if (strcmp(drivers[i].method, r->method) == 0 && strcmp(drivers[i].pattern, r->route) == 0)
            return &drivers[i];
    return NULL;
}

/* Routes whose rows name a variant of the body in the action column (the route has no
   {action}): the MoPI review's decision. */
static const char *const review_decisions[] = {"retain", "dispose", NULL};
static const char *const *body_variants(const http_route *rt)
{
    if ((strcmp(rt->pattern, "/api/v1/intelligence/{item}/reviews") == 0 ||
         strcmp(rt->pattern, "/api/v1/datasets/{dataset}/reviews") == 0) && strcmp(rt->method, "POST") == 0)
        return review_decisions;
    return NULL;
}

/* Every row names a known route, action, state, role and relation, and its sees value fits. */
static size_t check_rows(const fixture *fx)
{
    size_t bad = 0;
    for (size_t i = 0; i < fx->n; i++) {
        const row *r = &fx->rows[i];
        const http_route *rt = route_of(r);
        const char *why = NULL;
        if (!rt)
            why = "no such route in http_routes[]";
        if (!why && rt) {
            bool listed = false;
            const char *const *values = rt->enums ? rt->enums : body_variants(rt);
            for (const char *const *a = values; a && *a; a++)
                listed = listed || strcmp(*a, r->action) == 0;
            if (values && !listed)
                why = "action is not a value of the route's {action} or body variants";
            else if (!values && strcmp(r->action, "-") != 0)
                why = "action given for a route without {action}";
        }
        if (!why && index_of(roles, NROLES, r->role) < 0)
            why = "unknown role";
        if (!why && index_of(rels, NRELS, r->rel) < 0)
            why = "unknown relation";
        if (!why && strcmp(r->state, "-") != 0 && index_of(walk, NWALK, r->state) < 0)
            why = "unknown state";
        if (!why && !driver_of(r))
            why = "no driver in test_http_authz.c for this route";
        if (!why && (r->expect < 200 || r->expect > 599))
            why = "expect is not an HTTP status";
        if (!why && index_of((const char *const[]){"-", "listed", "unlisted", "full", "outcome"}, 5, r->sees) < 0)
            why = "unknown sees value";
        if (why) {
            fprintf(stderr, "%s:%d: %s %s %s: %s\n", FIXTURE, r->line, r->method, r->route, r->action, why);
            bad++;
        }
    }
    return bad;
}

/* Every route x {action} value x role x relation has at least one row. */
static size_t check_coverage(const fixture *fx)
{
    size_t missing = 0;
    for (size_t i = 0; i < http_route_count; i++) {
        const http_route *rt = &http_routes[i];
        static const char *const none[] = {"-", NULL};
        const char *const *acts = rt->enums ? rt->enums : body_variants(rt) ? body_variants(rt) : none;
        for (const char *const *a = acts; *a; a++)
            for (size_t ro = 0; ro < NROLES; ro++)
                for (size_t re = 0; re < NRELS; re++) {
                    bool found = false;
                    for (size_t k = 0; k < fx->n && !found; k++) {
                        const row *r = &fx->rows[k];
                        found = strcmp(r->method, rt->method) == 0 && strcmp(r->route, rt->pattern) == 0 &&
                                strcmp(r->action, *a) == 0 && strcmp(r->role, roles[ro]) == 0 &&
                                strcmp(r->rel, rels[re]) == 0;
                    }
                    if (!found) {
                        if (missing < 200)
                            fprintf(stderr, "no row for %s %s action %s role %s relation %s\n",
                                    rt->method, rt->pattern, *a, roles[ro], rels[re]);
                        missing++;
                    }
                }
    }
    return missing;
}

static void test_completeness(void **state)
{
    (void)state;
    fixture fx = load_fixture();
    size_t bad = check_rows(&fx), missing = check_coverage(&fx);
    if (bad || missing)
        fprintf(stderr, "http_authz.csv: %zu rows naming nothing known, %zu route/role/relation "
                        "combinations without a row\n", bad, missing);
    assert_int_equal(bad, 0);
    assert_int_equal(missing, 0);
    free_fixture(&fx);
}

/* ---- the world ------------------------------------------------------------------------ */

typedef struct session {
    char cookie[128];
    char csrf[128];
} session;

typedef struct authz {
    hworld *w;
    session sess[NROLES][NRELS];
    bool signed_in[NROLES][NRELS];
    char *tasking[NWALK]; /* the object tasking per state; NULL: build one */
    char *unagreed;       /* the object of agree_transfer: in reassessment, signed by both, the
                             transfer not yet agreed by the SIO (tasking[] has it agreed) */
    char *threat;         /* the threat of GET/PATCH /threats/{ref} and the threat list */
    char *free_threat;    /* a threat without an open tasking, for POST /taskings */
    char *work_tasking;   /* the in_development tasking the work objects below belong to */
    char *item, *option, *product; /* an intelligence item, a tactical option, a product on it */
    /* the picture on it (issue 16): a dataset, a person of two records and another person, a
       location and a link from the item, a review pair, one of the person's records */
    char *ds, *ent, *ent2, *loc, *link, *pair, *rec;
    char *fin_imp, *com_imp; /* a transaction and a call record import on it (issue 17), made
                                when a row needs one */
    char *job;            /* a background import job started by analyst-own on the work tasking */
    char *apmis;          /* an APMIS record: lead west-yorkshire, threat z->threat, TOEX contributed */
    char *spare_user;     /* the object of the user administration routes */
    bool spare_enrolled;  /* ... enrolled in TOTP (for DELETE /users/{name}/totp) */
    char *spare_disabled; /* a disabled user (for POST /users/{name}/enable) */
    char *spare_agency;   /* the object of the agency administration routes */
    int serial;
    char *mismatches;
    size_t nmismatch;
} authz;

static char *user_name(const char *role, const char *rel)
{
    char *s = t_fmt("%s-%s", role, rel);
    for (char *p = s; *p; p++)
        if (*p == '_')
            *p = '-';
    return s;
}

static const char *agency_of(const char *role, const char *rel)
{
    if (is_toex_role(role))
        return "toex";
    /* Issue 12 point 3 (docs/domain.md §3): gateway only at the region's Gateway agency,
       ftt only at a national agency; as tests/fixtures/http_authz.py agency(). */
    if (strcmp(role, "gateway") == 0)
        return strcmp(rel, "other") == 0 ? "met" : "yhrocu";
    if (strcmp(role, "ftt") == 0)
        return "nca";
    return strcmp(rel, "own") == 0 ? "west-yorkshire" : strcmp(rel, "region") == 0 ? "south-yorkshire" : "met";
}

static void as(authz *z, const char *role, const char *rel)
{
    static char name[64];
    char *n = user_name(role, rel);
    snprintf(name, sizeof name, "%s", n);
    free(n);
    z->w->c.actor_name = name;
}

/* The arena of the in-process context grows with every use-case; strings kept are copied. */
static void arena_reset(authz *z)
{
    iom_arena_free(&z->w->arena);
    iom_arena_init(&z->w->arena);
}

static char *new_threat(authz *z, const char *rel)
{
    const char *owner = agency_of("spoc", rel);
    char *title = t_fmt("Car wash network %d", ++z->serial);
    char *ftm = t_fmt("FTM-%d", z->serial);
    char *sio = user_name("sio", rel);
    app_threat_input ti = {title, "labour", owner, sio, ftm, NULL};
    iom_threat_t th;
    as(z, "spoc", rel);
    hw_ok(z->w, app_threat_add(&z->w->c, &ti, &th));
    char *ref = strdup(th.ref);
    free(title);
    free(ftm);
    free(sio);
    arena_reset(z);
    return ref;
}

/* A threat of the agency of `rel`, archived by its spoc (for unarchive). */
static char *new_archived_threat(authz *z, const char *rel)
{
    char *ref = new_threat(z, rel);
    iom_threat_t th;
    as(z, "spoc", rel);
    hw_ok(z->w, app_threat_archive(&z->w->c, ref, "Archived for the test", 0, &th));
    arena_reset(z);
    return ref;
}

static void step(authz *z, const char *ref, const char *role, const char *rel,
                 iom_tasking_action action, const app_act_input *in)
{
    iom_tasking_t t;
    as(z, role, rel);
    hw_ok(z->w, app_tasking_act(&z->w->c, ref, action, in, 0, &t));
}

/* A tasking of the agency of `rel` (west-yorkshire, south-yorkshire or met), walked by the
   right users to `state`, as the CSV header describes. Returns its reference (malloc). */
static char *build_tasking_as(authz *z, const char *rel, const char *state, bool sio_agrees);

static char *build_tasking(authz *z, const char *rel, const char *state)
{
    return build_tasking_as(z, rel, state, true);
}

/* sio_agrees: in reassessment, the SIO agrees to the transfer once both have signed. */
static char *build_tasking_as(authz *z, const char *rel, const char *state, bool sio_agrees)
{
    int target = index_of(walk, NWALK, state);
    assert_true(target >= 0);
    char *threat = new_threat(z, rel);
    char *customer = user_name("customer", rel), *sia = user_name("sia", rel);
    app_bid_input bid = {T_BID_ASSESS, .threat = threat, .customer = customer, .ftm_date = "2026-05-28",
                         .ftm_ref = "FTM-1", .summary = SUMMARY,
                         .requirements = {"Who controls it?"}, .nrequirements = 1,
                         .services = {"intel_development"}, .nservices = 1};
    iom_tasking_t t;
    as(z, "spoc", rel);
    hw_ok(z->w, app_tasking_new(&z->w->c, &bid, &t));
    char *ref = strdup(t.ref);
    free(threat);
    /* The Gateway of the requesting agency's region: south-yorkshire's for Yorkshire. */
    const char *gw_rel = strcmp(rel, "other") == 0 ? "other" : "region";
    app_act_input reason = {.reason = "Recorded by the authorisation matrix test"};
    app_act_input accept = {.sia = sia}, agree = {.tor_version = 1};
    for (int s = 1; s <= target; s++) {
        const char *to = walk[s];
        if (strcmp(to, "submitted") == 0) {
            step(z, ref, "spoc", rel, IOM_TA_SUBMIT, NULL);
        } else if (strcmp(to, "forwarded") == 0) {
            step(z, ref, "gateway", gw_rel, IOM_TA_FORWARD, NULL);
        } else if (strcmp(to, "accepted") == 0) {
            step(z, ref, "toex_manager", "own", IOM_TA_ACCEPT, &accept);
            iom_tor_t tor;
            as(z, "sia", rel);
            hw_ok(z->w, app_tor_propose(&z->w->c, ref, tor_doc, 0, &tor));
        } else if (strcmp(to, "tor_agreed") == 0) {
            step(z, ref, "sia", rel, IOM_TA_AGREE_TOR, &agree);
            step(z, ref, "sio", rel, IOM_TA_AGREE_TOR, &agree);
            for (size_t i = 0; i < 4; i++) {
                char *u = user_name(team_roles[i], rel);
                as(z, "sia", rel);
                hw_ok(z->w, app_tasking_assign(&z->w->c, ref, u, true, 0, &t));
                free(u);
            }
        } else if (strcmp(to, "in_development") == 0) {
            step(z, ref, "sia", rel, IOM_TA_START, NULL);
        } else if (strcmp(to, "reassessment") == 0) {
            step(z, ref, "sia", rel, IOM_TA_COMPLETE, NULL);
            iom_assessment_t a;
            as(z, "sia", rel);
            hw_ok(z->w, app_tasking_reassess(&z->w->c, ref, national, 0, &a));
            as(z, "sio", rel);
            hw_ok(z->w, app_tasking_reassess(&z->w->c, ref, national, 0, &a));
            if (sio_agrees)
                step(z, ref, "sio", rel, IOM_TA_AGREE_TRANSFER, NULL);
        } else if (strcmp(to, "transfer_requested") == 0) {
            step(z, ref, "sia", rel, IOM_TA_REQUEST_TRANSFER, &reason);
        } else if (strcmp(to, "escalated_ftt") == 0) {
            step(z, ref, "ttcg", rel, IOM_TA_ESCALATE, &reason);
        }
    }
    hw_ok(z->w, z->w->store->ops->tasking->get(z->w->store, ref, &z->w->arena, &t, &z->w->c.err));
    assert_string_equal(lifecycle_state_name(t.state), state);
    free(customer);
    free(sia);
    arena_reset(z);
    return ref;
}

static void add_users(authz *z)
{
    for (size_t ro = 0; ro < NROLES; ro++)
        for (size_t re = 0; re < NRELS; re++) {
            char *n = user_name(roles[ro], rels[re]);
            hw_user(z->w, n, agency_of(roles[ro], rels[re]), roles[ro]);
            free(n);
        }
    hw_user(z->w, "spare-analyst", "toex", "analyst"); /* added to a team by POST .../team */
    hw_user(z->w, "spare-sia", "toex", "sia"); /* made the SIA by POST .../reallocate */
}

static session *session_of(authz *z, const char *role, const char *rel)
{
    int ro = index_of(roles, NROLES, role), re = index_of(rels, NRELS, rel);
    if (!z->signed_in[ro][re]) {
        char *n = user_name(role, rel);
        hw_login(z->w, n);
        free(n);
        snprintf(z->sess[ro][re].cookie, sizeof z->sess[ro][re].cookie, "%s", z->w->cookie);
        snprintf(z->sess[ro][re].csrf, sizeof z->sess[ro][re].csrf, "%s", z->w->csrf);
        z->signed_in[ro][re] = true;
    }
    return &z->sess[ro][re];
}

static void session_drop(authz *z, const char *role, const char *rel)
{
    z->signed_in[index_of(roles, NROLES, role)][index_of(rels, NRELS, rel)] = false;
}

static hresp send_as(authz *z, const session *s, const char *method, const char *path, const char *body)
{
    char *h = t_fmt("%s%s", s->cookie, s->csrf);
    hresp r = hw_req(z->w, method, path, h, body);
    free(h);
    return r;
}

static const char *tasking_in(authz *z, const char *state)
{
    int i = index_of(walk, NWALK, state);
    assert_true(i >= 0);
    if (!z->tasking[i])
        z->tasking[i] = build_tasking(z, "own", state);
    return z->tasking[i];
}

/* The object tasking of a row: the one in its state, the unagreed one for agree_transfer. */
static const char *tasking_of_row(authz *z, const row *r)
{
    if (strcmp(r->route, "/api/v1/taskings/{ref}/agree_transfer") == 0) {
        if (!z->unagreed)
            z->unagreed = build_tasking_as(z, "own", r->state, false);
        return z->unagreed;
    }
    return tasking_in(z, r->state);
}

static void tasking_spent(authz *z, const char *state)
{
    int i = index_of(walk, NWALK, state);
    free(z->tasking[i]);
    z->tasking[i] = NULL;
}

static int64_t tasking_version(authz *z, const char *ref)
{
    iom_tasking_t t;
    hw_ok(z->w, z->w->store->ops->tasking->get(z->w->store, ref, &z->w->arena, &t, &z->w->c.err));
    return t.version;
}

static int64_t threat_version(authz *z, const char *ref)
{
    iom_threat_t t;
    hw_ok(z->w, z->w->store->ops->threat_get(z->w->store, ref, &z->w->arena, &t, &z->w->c.err));
    return t.version;
}

/* The sequence number of the last audit entry (the trail is append-only: it grows or not). */
static int64_t audit_seq(authz *z)
{
    int64_t seq = 0;
    char hash[65];
    hw_ok(z->w, z->w->store->ops->audit_head(z->w->store, &seq, hash, &z->w->c.err));
    return seq;
}

static long long count_of(authz *z, const char *what)
{
    char *q = t_fmt("SELECT count(*) FROM %s", what);
    long long n = t_db_scalar(z->w->db, q);
    free(q);
    return n;
}

/* A request by a builder (not a matrix row): must answer `want`; returns the answer's "ref". */
static char *build_call(authz *z, const char *role, const char *rel, const char *method,
                        const char *path, const char *body, int want)
{
    hresp r = send_as(z, session_of(z, role, rel), method, path, body);
    if (r.status != want)
        fprintf(stderr, "building %s %s: %d %s\n", method, path, r.status, r.body ? r.body : "");
    assert_int_equal(r.status, want);
    const char *ref = jstr(&r, "ref");
    char *out = ref ? strdup(ref) : NULL;
    hresp_free(&r);
    return out;
}

/* The intelligence item, option and product of the work routes: on an in_development
   tasking of their own (so that `complete` on the object tasking finds nothing pending),
   recorded over HTTP by its analyst (analyst-own). */
static void work_objects(authz *z)
{
    if (z->work_tasking)
        return;
    z->work_tasking = build_tasking(z, "own", "in_development");
    const char *ref = z->work_tasking;
    char *p = t_fmt("/api/v1/taskings/%s/intelligence", ref);
    z->item = build_call(z, "analyst", "own", "POST", p,
                         "{\"text\":\"Van seen at the wash\",\"source\":\"ANPR\",\"grade\":\"1A\",\"handling\":\"P\"}", 201);
    free(p);
    p = t_fmt("/api/v1/taskings/%s/options", ref);
    z->option = build_call(z, "analyst", "own", "POST", p,
                           "{\"strand\":\"pursue\",\"text\":\"Arrest the controllers\",\"agency\":\"west-yorkshire\"}", 201);
    free(p);
    p = t_fmt("/api/v1/taskings/%s/products?type=network_analysis&filename=chart.txt", ref);
    z->product = build_call(z, "analyst", "own", "POST", p, "chart", 201);
    free(p);
    p = t_fmt("/api/v1/taskings/%s/datasets", ref);
    z->ds = build_call(z, "analyst", "own", "POST", p,
                       "{\"name\":\"Force nominals\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\","
                       "\"fields\":[\"id=id\",\"full_name=name\",\"dob=dob\",\"phone=phone\"],"
                       "\"link_threshold\":\"0.9999\",\"review_threshold\":\"0.01\",\"csv\":\"id,name,dob,phone\\n"
                       "1,Anna Lee,1980-01-01,07700 900111\\n2,Anna Lee,1980-01-01,07700900111\\n"
                       "3,Ana Lee,1980-01-11,\\n4,Bob Ray,1970-02-02,07700 900222\\n\"}", 201);
    free(p);
    p = t_fmt("/api/v1/taskings/%s/review-pairs", ref);
    hresp r = send_as(z, session_of(z, "analyst", "own"), "GET", p, NULL);
    free(p);
    assert_int_equal(r.status, 200);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    assert_non_null(first);
    z->pair = strdup(json_string_value(json_object_get(first, "ref")));
    hresp_free(&r);
    p = t_fmt("/api/v1/taskings/%s/entities?type=person", ref);
    r = send_as(z, session_of(z, "analyst", "own"), "GET", p, NULL);
    free(p);
    assert_int_equal(r.status, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r.json, "items"), i, it) {
        json_t *src = json_object_get(it, "sources");
        const char *eref = json_string_value(json_object_get(it, "ref"));
        if (!z->ent && json_array_size(src) >= 2) {
            z->ent = strdup(eref);
            z->rec = strdup(json_string_value(json_object_get(json_array_get(src, 1), "record")));
        } else if (!z->ent2) {
            z->ent2 = strdup(eref);
        }
    }
    hresp_free(&r);
    assert_non_null(z->ent);
    assert_non_null(z->ent2);
    p = t_fmt("/api/v1/taskings/%s/entities", ref);
    char *b = t_fmt("{\"type\":\"location\",\"label\":\"Unit 4\",\"item\":\"%s\"}", z->item);
    z->loc = build_call(z, "analyst", "own", "POST", p, b, 201);
    free(p);
    free(b);
    p = t_fmt("/api/v1/entities/%s/links", z->ent);
    b = t_fmt("{\"to\":\"%s\",\"type\":\"controls\",\"item\":\"%s\"}", z->loc, z->item);
    z->link = build_call(z, "analyst", "own", "POST", p, b, 201);
    free(p);
    free(b);
}

/* An import of the work tasking (finance or comms), made by its analyst over HTTP. */
static const char *import_of(authz *z, bool comms)
{
    work_objects(z);
    char **imp = comms ? &z->com_imp : &z->fin_imp;
    if (!*imp) {
        char *p = t_fmt("/api/v1/taskings/%s/%s/imports", z->work_tasking, comms ? "comms" : "finance");
        *imp = build_call(z, "analyst", "own", "POST", p,
                          comms ? "{\"csv\":\"caller,callee,start,duration,type\\n07700 900111,07700 900333,"
                                  "2026-06-02T08:00:00Z,30,call\\n\"}"
                                : "{\"csv\":\"date,from,to,amount,currency\\n2026-06-02,11-22-33 12345678,"
                                  "40-50-60 87654321,10.00,GBP\\n\"}",
                          201);
        free(p);
    }
    return *imp;
}

/* A background import job analyst-own started on the work tasking, ended (the object of GET
   /api/v1/jobs/{job}: only its starter sees it). */
static const char *job_of(authz *z)
{
    if (z->job)
        return z->job;
    work_objects(z);
    char *p = t_fmt("/api/v1/taskings/%s/dataset-jobs", z->work_tasking);
    char *b = t_fmt("{\"name\":\"Job %d\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\","
                    "\"fields\":[\"full_name=name\"],\"csv\":\"name\\nJo %d\\n\"}", z->serial + 1, z->serial + 1);
    z->serial++;
    hresp r = send_as(z, session_of(z, "analyst", "own"), "POST", p, b);
    free(p);
    free(b);
    assert_int_equal(r.status, 202);
    z->job = strdup(jstr(&r, "id"));
    hresp_free(&r);
    assert_int_equal(app_jobs_drain(60), 0);
    return z->job;
}

static void work_spent(authz *z)
{
    free(z->work_tasking);
    free(z->item);
    free(z->option);
    free(z->product);
    z->work_tasking = z->item = z->option = z->product = NULL;
    char **pic[] = {&z->ds, &z->ent, &z->ent2, &z->loc, &z->link, &z->pair, &z->rec, &z->fin_imp, &z->com_imp};
    for (size_t i = 0; i < sizeof pic / sizeof *pic; i++) {
        free(*pic[i]);
        *pic[i] = NULL;
    }
}

static const char *apmis_record(authz *z)
{
    if (!z->apmis) {
        /* TOEX is named only on a threat whose tasking it took on: one, closed, for the record */
        char *q = t_fmt("INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id,"
                        " urgency, marking, bid_json, reached_toex, state_since, created_at, updated_at) SELECT"
                        " 'TOEX-2025-000900', th.id, 'closed', th.owner_id, (SELECT id FROM \"user\" WHERE name ="
                        " 'spoc-own'), th.sio_id, (SELECT id FROM \"user\" WHERE name = 'sia-own'), 'routine',"
                        " th.marking, '{}', 1, 1, 1, 1 FROM threat th WHERE th.ref = '%s'",
                        z->threat);
        assert_int_equal(t_db_exec(z->w->db, q), 0);
        free(q);
        assert_int_equal(t_db_exec(z->w->db, "INSERT INTO tasking_event(tasking_id, id, at, action, from_state, to_state)"
                                             " SELECT id, 1, 1, 'accept', 'forwarded', 'accepted' FROM tasking WHERE"
                                             " ref = 'TOEX-2025-000900'"),
                         0);
        char *body = t_fmt("{\"threat\":\"%s\",\"date\":\"2026-06-01\",\"impact\":\"minor\",\"type\":\"seizure\","
                           "\"lead\":\"west-yorkshire\",\"capabilities\":[\"toex\"],\"seized_pence\":5000,"
                           "\"strand\":\"pursue\",\"narrative\":\"Cash seized at a wash.\"}", z->threat);
        z->apmis = build_call(z, "apmis", "own", "POST", "/api/v1/apmis", body, 201);
        free(body);
    }
    return z->apmis;
}

static const char *spare_user(authz *z);

/* A fresh API token of a spare west-yorkshire customer, made by the admin (malloc'd ref). */
static char *new_token(authz *z)
{
    const char *user = spare_user(z);
    app_token_created tc;
    as(z, "admin", "own");
    hw_ok(z->w, app_token_create(&z->w->c, user, 0, &tc));
    return strdup(tc.t.ref);
}

/* A fresh deconfliction alert on the object tasking in `state` (an acknowledged one takes no
   second acknowledgement): raising alerts is test_search's; here only who may acknowledge. */
static char *new_alert(authz *z, const char *state)
{
    const char *ref = tasking_in(z, state);
    int serial = ++z->serial;
    char *q = t_fmt("INSERT INTO deconflict_alert(tasking_id, entity_id, other_tasking_id, other_entity_id,"
                    " entity_type, probability, created_at) SELECT t.id, %d, (SELECT min(o.id) FROM tasking o"
                    " WHERE o.id <> t.id), %d, 'phone', 1, 1 FROM tasking t WHERE t.ref = '%s'",
                    1000000 + serial, 2000000 + serial, ref);
    assert_int_equal(t_db_exec(z->w->db, q), 0);
    free(q);
    long long id = t_db_scalar(z->w->db, "SELECT max(id) FROM deconflict_alert");
    return t_fmt("DCF-%06lld", id);
}

static const char *spare_user(authz *z)
{
    if (!z->spare_user) {
        z->spare_user = t_fmt("spare-user-%d", ++z->serial);
        hw_user(z->w, z->spare_user, "west-yorkshire", "customer");
        arena_reset(z);
    }
    return z->spare_user;
}

/* The code of a TOTP secret (base32, as enrolment shows it) at the server's time. */
static void totp_now(authz *z, const char *b32, char out[16])
{
    char *raw = NULL;
    size_t n = 0;
    assert_int_equal(oath_init(), OATH_OK);
    assert_int_equal(oath_base32_decode(b32, strlen(b32), &raw, &n), OATH_OK);
    iom_error e = {0};
    assert_int_equal(totp_code((const unsigned char *)raw, n, atomic_load(&z->w->now), 6, out, &e), IOM_OK);
    free(raw);
}

/* After a confirmation went through: an admin removes the enrolment, so the user signs in
   with the password alone again. */
static void reset_totp(authz *z, const char *user)
{
    z->w->c.actor_name = "admin";
    hw_ok(z->w, app_totp_reset(&z->w->c, user));
    arena_reset(z);
}

/* A user enrolled in TOTP (the object of DELETE /users/{name}/totp): signs in, enrols and
   confirms over HTTP. */
static const char *spare_enrolled(authz *z)
{
    if (!z->spare_enrolled) {
        const char *name = spare_user(z);
        hw_login(z->w, name);
        hresp e = hw_as(z->w, "POST", "/api/v1/me/totp", NULL, NULL);
        assert_int_equal(e.status, 201);
        char code[16];
        totp_now(z, jstr(&e, "secret"), code);
        hresp_free(&e);
        char *b = t_fmt("{\"totp\":\"%s\"}", code);
        hresp c = hw_as(z->w, "POST", "/api/v1/me/totp/confirm", NULL, b);
        free(b);
        assert_int_equal(c.status, 200);
        hresp_free(&c);
        z->spare_enrolled = true;
    }
    return z->spare_user;
}

/* A disabled user (the object of POST /users/{name}/enable): a user of its own, disabled by
   the admin (the spare user stays enabled for the routes that sign it in). */
static const char *spare_disabled(authz *z)
{
    if (!z->spare_disabled) {
        z->spare_disabled = t_fmt("spare-off-%d", ++z->serial);
        hw_user(z->w, z->spare_disabled, "west-yorkshire", "customer");
        arena_reset(z);
        iom_user_t u;
        z->w->c.actor_name = "admin";
        hw_ok(z->w, app_user_disable(&z->w->c, z->spare_disabled, NULL, &u));
        arena_reset(z);
    }
    return z->spare_disabled;
}

static const char *spare_agency(authz *z)
{
    if (!z->spare_agency) {
        z->spare_agency = t_fmt("spare-force-%d", ++z->serial);
        char *name = t_fmt("Spare constabulary %d", z->serial);
        app_agency_input in = {z->spare_agency, name, "force", "yorkshire-humber"};
        iom_agency_t a;
        z->w->c.actor_name = "admin";
        hw_ok(z->w, app_agency_add(&z->w->c, &in, &a));
        free(name);
        arena_reset(z);
    }
    return z->spare_agency;
}

/* The k-th weekday (k >= 1) of a year's January to March, "YYYY-MM-DD" (malloc): bank holidays
   are weekdays. */
static char *weekday_of(int year, int k)
{
    for (unsigned m = 1; m <= 3; m++)
        for (unsigned d = 1; d <= 28; d++)
            if (calendar_weekday(iom_days_from_civil(year, m, d)) < 5 && --k == 0)
                return t_fmt("%04d-%02u-%02u", year, m, d);
    fail_msg("no weekday %d in %d", k, year);
    return NULL;
}

/* A bank holiday added for a removal row (the object of DELETE /holidays/{day}; malloc). */
static char *new_holiday(authz *z)
{
    static int n;
    char *day = weekday_of(2041, ++n);
    iom_holiday_t h;
    z->w->c.actor_name = "admin";
    hw_ok(z->w, app_holiday_add(&z->w->c, day, "Authorisation row", &h));
    arena_reset(z);
    return day;
}

/* The path of a row: the pattern with each {placeholder} replaced by the row's object. */
static char *expand(authz *z, const row *r, const driver *d, bool change)
{
    const char *p = r->route;
    char *out = strdup("");
    while (*p) {
        const char *open = strchr(p, '{');
        size_t lit = open ? (size_t)(open - p) : strlen(p);
        char *next = t_fmt("%s%.*s", out, (int)lit, p);
        free(out);
        out = next;
        if (!open)
            break;
        const char *close = strchr(open, '}');
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(close - open - 1), open + 1);
        const char *v = NULL;
        char *spare = NULL; /* archive acts on a threat of its own (archived, it takes no change) */
        if (strcmp(name, "ref") == 0 && strcmp(r->route, "/api/v1/threats/{ref}/archive") == 0)
            v = spare = new_threat(z, "own");
        else if (strcmp(name, "ref") == 0 && strcmp(r->route, "/api/v1/threats/{ref}/unarchive") == 0)
            v = spare = new_archived_threat(z, "own");
        else if (strcmp(name, "ref") == 0 && strcmp(r->route, "/api/v1/tokens/{ref}") == 0)
            v = spare = new_token(z); /* revoked, a token takes no second revocation */
        else if (strcmp(name, "ref") == 0 && change && strcmp(r->route, "/api/v1/taskings/{ref}/entities") == 0)
            v = (work_objects(z), z->work_tasking); /* the tasking of the item that supports it */
        else if (strcmp(name, "ref") == 0 && strncmp(r->route, "/api/v1/taskings/{ref}/graph/", 29) == 0)
            v = (work_objects(z), z->work_tasking); /* the picture the entities named belong to */
        else if (strcmp(name, "ref") == 0)
            v = strncmp(r->route, "/api/v1/threats/", 16) == 0  ? z->threat
                : strncmp(r->route, "/api/v1/apmis/", 14) == 0 ? apmis_record(z)
                                                                : tasking_of_row(z, r);
        else if (strcmp(name, "action") == 0)
            v = r->action;
        else if (strcmp(name, "item") == 0)
            v = (work_objects(z), z->item);
        else if (strcmp(name, "option") == 0)
            v = (work_objects(z), z->option);
        else if (strcmp(name, "product") == 0)
            v = (work_objects(z), z->product);
        else if (strcmp(name, "dataset") == 0)
            v = (work_objects(z), z->ds);
        else if (strcmp(name, "import") == 0)
            v = import_of(z, strncmp(r->route, "/api/v1/comms/", 14) == 0);
        else if (strcmp(name, "entity") == 0)
            v = (work_objects(z), z->ent);
        else if (strcmp(name, "link") == 0)
            v = (work_objects(z), z->link);
        else if (strcmp(name, "pair") == 0)
            v = (work_objects(z), z->pair);
        else if (strcmp(name, "job") == 0)
            v = job_of(z);
        else if (strcmp(name, "alert") == 0)
            v = spare = new_alert(z, r->state);
        else if (strcmp(name, "version") == 0)
            v = "1";
        else if (strcmp(name, "user") == 0)
            v = "analyst-own";
        else if (strcmp(name, "name") == 0)
            v = !change ? "spoc-own"
                : strcmp(r->route, "/api/v1/users/{name}/totp") == 0   ? spare_enrolled(z)
                : strcmp(r->route, "/api/v1/users/{name}/enable") == 0 ? spare_disabled(z)
                                                                        : spare_user(z);
        else if (strcmp(name, "code") == 0)
            v = change ? spare_agency(z) : "west-yorkshire";
        else if (strcmp(name, "role") == 0)
            v = "researcher";
        else if (strcmp(name, "setting") == 0)
            v = "intel.review_years";
        else if (strcmp(name, "day") == 0)
            v = spare = new_holiday(z);
        if (!v) {
            fprintf(stderr, "no value for {%s} in %s\n", name, r->route);
            fail();
        }
        next = t_fmt("%s%s", out, v);
        free(spare);
        free(out);
        out = next;
        p = close + 1;
    }
    if (d->query) {
        const char *q = strstr(d->query, "{threat}");
        char *next = q ? t_fmt("%s%.*s%s%s", out, (int)(q - d->query), d->query, z->threat, q + 8)
                       : t_fmt("%s%s", out, d->query);
        free(out);
        out = next;
    }
    return out;
}

static char *act_body(const char *action)
{
    if (strcmp(action, "accept") == 0)
        return strdup("{\"sia\":\"sia-own\"}");
    if (strcmp(action, "agree_tor") == 0)
        return strdup("{\"tor_version\":1}");
    if (strcmp(action, "decide_transfer") == 0)
        return strdup("{\"accept\":false,\"reason\":\"Stays with the owner\"}");
    static const char *const with_reason[] = {"return", "reject", "decline", "withdraw",
                                              "request_transfer", "escalate"};
    if (index_of(with_reason, 6, action) >= 0)
        return strdup("{\"reason\":\"Recorded by the authorisation matrix test\"}");
    return NULL;
}

/* The body of a row: fixed, or built for the creations that need fresh names. */
static char *body_of(authz *z, const row *r, const driver *d, const char *user)
{
    if (strcmp(r->route, "/api/v1/session") == 0 && strcmp(r->method, "POST") == 0)
        return t_fmt("{\"username\":\"%s\",\"password\":\"%s\"}", user, PASSWORD);
    if (strcmp(r->route, "/api/v1/threats") == 0 && strcmp(r->method, "POST") == 0) {
        z->serial++;
        return t_fmt("{\"title\":\"Nail bar network %d\",\"type\":\"labour\",\"owner\":\"west-yorkshire\","
                     "\"sio\":\"sio-own\",\"force_tasking_ref\":\"WY-FTM-%d\"}", z->serial, z->serial);
    }
    if (strcmp(r->route, "/api/v1/threats/{ref}") == 0 && strcmp(r->method, "PATCH") == 0)
        return t_fmt("{\"title\":\"Car wash network, renamed %d\"}", ++z->serial);
    if (strcmp(r->route, "/api/v1/taskings") == 0 && strcmp(r->method, "POST") == 0) {
        if (!z->free_threat)
            z->free_threat = new_threat(z, "own");
        return t_fmt("{\"threat\":\"%s\",\"requesting_agency\":\"west-yorkshire\",\"customer\":\"customer-own\","
                     "\"ftm_date\":\"2026-05-28\",\"ftm_ref\":\"WY-FTM-1\",\"summary\":\"" SUMMARY "\","
                     "\"requirements\":[\"Who controls it?\"],\"services\":[\"intel_development\"],"
                     "\"assessment\":" T_ASSESSMENT "}",
                     z->free_threat);
    }
    static const char acts[] = "/api/v1/taskings/{ref}/"; /* a transition: one route per action */
    if (strncmp(r->route, acts, sizeof acts - 1) == 0 && strcmp(r->method, "POST") == 0) {
        char *b = act_body(r->route + sizeof acts - 1);
        if (b)
            return b;
    }
    /* the analyses that name entities of the work tasking's picture */
    if (strcmp(r->route, "/api/v1/taskings/{ref}/graph/path") == 0)
        return (work_objects(z), t_fmt("{\"entity\":\"%s\",\"other\":\"%s\"}", z->ent, z->ent2));
    if (strcmp(r->route, "/api/v1/taskings/{ref}/graph/ego") == 0)
        return (work_objects(z), t_fmt("{\"entity\":\"%s\",\"k\":2}", z->ent));
    /* the picture's changes that name other objects */
    if (strcmp(r->route, "/api/v1/taskings/{ref}/entities") == 0 && strcmp(r->method, "POST") == 0)
        return (work_objects(z), t_fmt("{\"type\":\"event\",\"label\":\"Pay day\",\"item\":\"%s\"}", z->item));
    if (strcmp(r->route, "/api/v1/entities/{entity}/links") == 0)
        return (work_objects(z), t_fmt("{\"to\":\"%s\",\"type\":\"associate\",\"item\":\"%s\"}", z->ent2, z->item));
    if (strcmp(r->route, "/api/v1/entities/{entity}/merge") == 0)
        return (work_objects(z), t_fmt("{\"other\":\"%s\",\"reason\":\"alias\"}", z->ent2));
    if (strcmp(r->route, "/api/v1/entities/{entity}/split") == 0)
        return (work_objects(z), t_fmt("{\"record\":\"%s\",\"reason\":\"not him\"}", z->rec));
    if ((strcmp(r->route, "/api/v1/intelligence/{item}/reviews") == 0 ||
         strcmp(r->route, "/api/v1/datasets/{dataset}/reviews") == 0) && strcmp(r->action, "dispose") == 0)
        return strdup("{\"decision\":\"dispose\",\"reason\":\"no longer needed\"}");
    if (strcmp(r->route, "/api/v1/apmis") == 0 && strcmp(r->method, "POST") == 0)
        return t_fmt("{\"threat\":\"%s\",\"date\":\"2026-06-01\",\"impact\":\"minor\",\"type\":\"arrest\","
                     "\"lead\":\"west-yorkshire\",\"arrests\":1,\"strand\":\"pursue\",\"narrative\":\"Arrest %d.\"}",
                     z->threat, ++z->serial); /* one disruption each: the same twice is refused */
    if (strcmp(r->route, "/api/v1/users") == 0 && strcmp(r->method, "POST") == 0)
        return t_fmt("{\"name\":\"new-user-%d\",\"agency\":\"west-yorkshire\",\"roles\":[\"customer\"],"
                     "\"clearance\":\"OFFICIAL\",\"password\":\"%s\"}", ++z->serial, PASSWORD);
    if (strcmp(r->route, "/api/v1/agencies") == 0 && strcmp(r->method, "POST") == 0)
    {
        z->serial++;
        return t_fmt("{\"code\":\"new-force-%d\",\"name\":\"New constabulary %d\",\"kind\":\"force\","
                     "\"region\":\"yorkshire-humber\"}", z->serial, z->serial);
    }
    if (strcmp(r->route, "/api/v1/holidays") == 0 && strcmp(r->method, "POST") == 0) {
        static int n; /* a weekday not listed yet each time */
        n++;
        char *day = weekday_of(2040, n);
        char *b = t_fmt("{\"day\":\"%s\",\"name\":\"Authorisation row %d\"}", day, n);
        free(day);
        return b;
    }
    if (strcmp(r->route, "/api/v1/settings/{setting}") == 0 && strcmp(r->method, "PUT") == 0) {
        static int n; /* a value other than the current one each time */
        n++;
        return t_fmt("{\"value\":%d,\"reason\":\"authorisation row %d\"}", 7 + n % 90, n);
    }
    if (strcmp(r->route, "/api/v1/agencies/{code}/rename") == 0) {
        static int n; /* a name no enabled agency has (names are unique: review 102 L9c) */
        return t_fmt("{\"name\":\"Renamed constabulary %d\"}", ++n);
    }
    if (strcmp(r->route, "/api/v1/agencies/{code}/merge") == 0) {
        /* into another spare force of the same region */
        char *into = t_fmt("spare-into-%d", ++z->serial);
        char *name = t_fmt("Spare receiving constabulary %d", z->serial);
        app_agency_input in = {into, name, "force", "yorkshire-humber"};
        iom_agency_t a;
        z->w->c.actor_name = "admin";
        hw_ok(z->w, app_agency_add(&z->w->c, &in, &a));
        char *b = t_fmt("{\"into\":\"%s\",\"reason\":\"Amalgamated\"}", into);
        free(into);
        free(name);
        arena_reset(z);
        return b;
    }
    return d->body ? strdup(d->body) : NULL;
}

static void mismatch(authz *z, const row *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void mismatch(authz *z, const row *r, const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    char *line = t_fmt("%s  line %d: %s %s%s%s%s%s as %s/%s: %s [why: %s]\n", z->mismatches ? z->mismatches : "",
                       r->line, r->method, r->route, strcmp(r->action, "-") ? " action=" : "",
                       strcmp(r->action, "-") ? r->action : "", strcmp(r->state, "-") ? " state=" : "",
                       strcmp(r->state, "-") ? r->state : "", r->role, r->rel, detail, r->why);
    free(z->mismatches);
    z->mismatches = line;
    z->nmismatch++;
}

/* Is `ref` (as "ref" or "tasking" of an item) on any page of the list `path`? */
static bool list_has(authz *z, const session *s, const char *path, const char *ref, int *status)
{
    bool found = false;
    char *after = NULL;
    for (int page = 0; page < 50; page++) {
        char *p = after ? t_fmt("%s&after=%s", path, after) : strdup(path);
        hresp r = send_as(z, s, "GET", p, NULL);
        free(p);
        free(after);
        after = NULL;
        *status = r.status;
        if (r.status != 200) {
            hresp_free(&r);
            break;
        }
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(r.json, "items"), i, it) {
            const char *v = json_string_value(json_object_get(it, "ref"));
            const char *t = json_string_value(json_object_get(it, "tasking"));
            found = found || (v && strcmp(v, ref) == 0) || (t && strcmp(t, ref) == 0);
        }
        const char *next = json_string_value(json_object_get(r.json, "next"));
        if (next)
            after = strdup(next);
        hresp_free(&r);
        if (!after)
            break;
    }
    free(after);
    return found;
}

/* The tasking a change of this row may move (its version must not move when refused). */
static const char *tasking_touched(authz *z, const row *r)
{
    if (strcmp(r->route, "/api/v1/taskings/{ref}/entities") == 0 && strcmp(r->method, "POST") == 0)
        return (work_objects(z), z->work_tasking);
    if (strncmp(r->route, "/api/v1/taskings/{ref}", 22) == 0)
        return tasking_of_row(z, r);
    if (strncmp(r->route, "/api/v1/intelligence/{item}", 27) == 0 ||
        strncmp(r->route, "/api/v1/options/", 16) == 0 || strncmp(r->route, "/api/v1/products/", 17) == 0 ||
        strncmp(r->route, "/api/v1/datasets/", 17) == 0 || strncmp(r->route, "/api/v1/entities/", 17) == 0 ||
        strncmp(r->route, "/api/v1/links/", 14) == 0 || strncmp(r->route, "/api/v1/review-pairs/", 21) == 0 ||
        strncmp(r->route, "/api/v1/finance/imports/", 24) == 0 || strncmp(r->route, "/api/v1/comms/imports/", 22) == 0)
        return (work_objects(z), z->work_tasking);
    return NULL;
}

/* After a change that went through, the objects it used are replaced before the next row. */
static void spend(authz *z, const row *r, const char *tasking)
{
    if (tasking && z->work_tasking && strcmp(tasking, z->work_tasking) == 0) {
        work_spent(z);
        return;
    }
    if (tasking && z->unagreed && strcmp(tasking, z->unagreed) == 0) {
        free(z->unagreed);
        z->unagreed = NULL;
        return;
    }
    for (size_t i = 0; tasking && i < NWALK; i++)
        if (z->tasking[i] && strcmp(z->tasking[i], tasking) == 0) {
            tasking_spent(z, walk[i]); /* frees `tasking` itself */
            break;
        }
    if (strcmp(r->route, "/api/v1/taskings") == 0) {
        free(z->free_threat);
        z->free_threat = NULL;
    }
    if (strncmp(r->route, "/api/v1/users/{name}", 20) == 0) {
        free(z->spare_user);
        z->spare_user = NULL;
        z->spare_enrolled = false;
        free(z->spare_disabled);
        z->spare_disabled = NULL;
    }
    if (strncmp(r->route, "/api/v1/agencies/{code}", 23) == 0) {
        free(z->spare_agency);
        z->spare_agency = NULL;
    }
}

/* After a password change went through: sign in with the new password and change it back. */
static void restore_password(authz *z, const char *user)
{
    char *b = t_fmt("{\"username\":\"%s\",\"password\":\"%s changed\"}", user, PASSWORD);
    hresp r = hw_req(z->w, "POST", "/api/v1/session", NULL, b);
    free(b);
    assert_int_equal(r.status, 201);
    char *sc = hw_header(&r, "Set-Cookie");
    session s;
    snprintf(s.cookie, sizeof s.cookie, "Cookie: %.*s\r\n", (int)strcspn(sc, ";"), sc);
    snprintf(s.csrf, sizeof s.csrf, "X-CSRF-Token: %s\r\n", jstr(&r, "csrf_token"));
    free(sc);
    hresp_free(&r);
    b = t_fmt("{\"old_password\":\"%s changed\",\"new_password\":\"%s\"}", PASSWORD, PASSWORD);
    r = send_as(z, &s, "POST", "/api/v1/me/password", b);
    free(b);
    assert_int_equal(r.status, 200);
    hresp_free(&r);
}

static void run_row(authz *z, const row *r)
{
    const driver *d = driver_of(r);
    if (!d) {
        mismatch(z, r, "no driver for this route");
        return;
    }
    char *user = user_name(r->role, r->rel);
    bool change = strcmp(r->method, "GET") != 0 && d->sp != SP_LOGIN && d->sp != SP_LOGOUT;
    char *path = expand(z, r, d, change);
    char *body = body_of(z, r, d, user);
    const char *tasking = change ? tasking_touched(z, r) : NULL;
    int64_t version = -1;
    if (tasking)
        version = tasking_version(z, tasking);
    else if (change && strcmp(r->route, "/api/v1/threats/{ref}") == 0)
        version = threat_version(z, z->threat);
    const char *count_table = !change ? NULL
                              : strcmp(r->route, "/api/v1/threats") == 0  ? "threat"
                              : strcmp(r->route, "/api/v1/taskings") == 0 ? "tasking"
                                                                          : NULL;
    int64_t audit = change ? audit_seq(z) : 0;
    long long count = count_table ? count_of(z, count_table) : 0;

    session *s = NULL;
    if (d->sp == SP_LOGOUT || d->sp == SP_PASSWORD || d->sp == SP_TOTP)
        hw_login(z->w, user); /* a session of its own (hw_as sends it): the cached one stays */
    else if (d->sp != SP_LOGIN && d->sp != SP_PUBLIC)
        s = session_of(z, r->role, r->rel);
    if (d->sp == SP_TOTP) {
        hresp e = hw_as(z->w, "POST", "/api/v1/me/totp", NULL, NULL);
        assert_int_equal(e.status, 201);
        char code[16];
        totp_now(z, jstr(&e, "secret"), code);
        hresp_free(&e);
        free(body);
        body = t_fmt("{\"totp\":\"%s\"}", code);
    }
    if (d->sp == SP_PASSWORD)
        body = (free(body), t_fmt("{\"old_password\":\"%s\",\"new_password\":\"%s changed\"}", PASSWORD, PASSWORD));

    int status;
    const char *sees = "-";
    hresp resp = {0};
    if (d->sp == SP_LIST) {
        const char *target = d->look == 't' ? tasking_in(z, r->state)
                             : d->look == 'h' ? z->threat
                             : d->look == 'i' ? (work_objects(z), z->item)
                             : d->look == 'd' ? (work_objects(z), z->ds)
                             : d->look == 'o' ? (work_objects(z), z->option)
                                              : apmis_record(z);
        bool has = list_has(z, s, path, target, &status);
        sees = status != 200 ? "-" : has ? "listed" : "unlisted";
    } else {
        if (d->sp == SP_LOGIN || d->sp == SP_PUBLIC)
            resp = hw_req(z->w, r->method, path, NULL, body);
        else if (d->sp == SP_LOGOUT || d->sp == SP_PASSWORD || d->sp == SP_TOTP)
            resp = hw_as(z->w, r->method, path, NULL, body);
        else
            resp = send_as(z, s, r->method, path, body);
        status = resp.status;
        if (status == 202) /* a background job: it ends before the next row (app/job.h) */
            assert_int_equal(app_jobs_drain(60), 0);
        if (d->sp == SP_SHOW && status == 200) {
            json_t *bid = json_object_get(resp.json, "bid");
            sees = bid && !json_is_null(bid) ? "full" : "outcome";
        }
    }
    if (status != r->expect) {
        const char *detail = resp.json ? jstr(&resp, "detail") : NULL;
        mismatch(z, r, "expected %d, got %d%s%s", r->expect, status, detail ? ": " : "", detail ? detail : "");
    } else if (strcmp(sees, r->sees) != 0) {
        mismatch(z, r, "%d as expected, but sees %s instead of %s", status, sees, r->sees);
    }
    bool done = status >= 200 && status < 300;
    if (change && !done && d->sp != SP_PASSWORD && d->sp != SP_TOTP) { /* refused: nothing changed */
        if (version >= 0) {
            int64_t after = tasking ? tasking_version(z, tasking) : threat_version(z, z->threat);
            if (after != version)
                mismatch(z, r, "refused with %d but the version moved from %lld to %lld", status,
                         (long long)version, (long long)after);
        }
        if (audit_seq(z) != audit)
            mismatch(z, r, "refused with %d but the audit trail grew", status);
        if (count_table && count_of(z, count_table) != count)
            mismatch(z, r, "refused with %d but the number of %s rows changed", status, count_table);
    }
    if (change && (done || (tasking && tasking_version(z, tasking) != version)))
        spend(z, r, tasking);
    if (done && d->sp == SP_PASSWORD) { /* the user's sessions ended: set the password back */
        session_drop(z, r->role, r->rel);
        restore_password(z, user);
    }
    if (done && d->sp == SP_TOTP)
        reset_totp(z, user);
    hresp_free(&resp);
    free(path);
    free(body);
    free(user);
    arena_reset(z);
}

static void test_matrix(void **state)
{
    (void)state;
    fixture fx = load_fixture();
    authz z = {.w = hw_new(10)};
    add_users(&z);
    z.threat = new_threat(&z, "own");
    /* The TOEX users of the region and other relations work on taskings of their own. */
    int64_t seq = audit_seq(&z);
    char *sy = build_tasking(&z, "region", "in_development");
    assert_true(audit_seq(&z) > seq); /* the refused-change check below is not vacuous */
    char *met = build_tasking(&z, "other", "in_development");
    for (size_t i = 0; i < fx.n; i++)
        run_row(&z, &fx.rows[i]);
    if (z.nmismatch)
        fprintf(stderr, "http_authz.csv: %zu of %zu rows disagree with the server:\n%s", z.nmismatch,
                fx.n, z.mismatches);
    else
        fprintf(stderr, "http_authz.csv: all %zu rows hold\n", fx.n);
    size_t n = z.nmismatch;
    free(z.mismatches);
    for (size_t i = 0; i < NWALK; i++)
        free(z.tasking[i]);
    free(z.unagreed);
    char *owned[] = {z.threat, z.free_threat, z.work_tasking, z.item, z.option, z.product, z.apmis, z.ds, z.ent,
                     z.ent2, z.loc, z.link, z.pair, z.rec, z.fin_imp, z.com_imp, z.spare_user, z.spare_disabled, z.spare_agency, z.job,
                     sy, met};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        free(owned[i]);
    hw_free(z.w);
    free_fixture(&fx);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_completeness),
        cmocka_unit_test(test_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
