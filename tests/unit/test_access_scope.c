/*
 * test_access_scope.c: one need-to-know scope for the list and the read (issue 11 point 2,
 * docs/domain.md §3), on the demo data (`iom demo`, app_demo) plus a few users the demo
 * lacks (an admin at a force, an admin who is also a spoc, a spoc cleared only to OFFICIAL,
 * a gateway who is also ttcg, a TOEX analyst on no team, an apmis recorder who is also a
 * gateway).
 *
 * For every user and every tasking of the demo, four answers must agree with the domain's C
 * predicate (access_tasking_check over the tasking's facts with its whole team, read from the
 * store independently of the use-cases):
 *   sql      the store's list query filtered by the user's scope value (access_scope_of),
 *            without any re-check: the SQL translation of the scope is the predicate;
 *   list     app_tasking_list, the use-case (store filter, then the re-check);
 *   recheck  app_tasking_list_store_scope with a store scope that admits every tasking: the
 *            store's filter bypassed, the re-check alone removes exactly what the SQL removes;
 *   read     app_tasking_read of the tasking's outcome: what may be listed may be read, and
 *            nothing else (a refusal reads as IOM_ENOTFOUND).
 * A fifth check keeps the comparison honest: the re-check alone must have removed rows, for
 * most users, or "recheck" would compare nothing.
 */
#include "testutil.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/agency.h"
#include "app/audit.h"
#include "app/demo.h"
#include "app/tasking.h"
#include "app/threat.h"
#include "app/user.h"
#include "store/store.h"
#include "store/tasking_store.h"

#define MAX_TASKINGS 64
#define MAX_USERS 64

typedef struct world {
    char *dir, *db;
    iom_store *store;
    iom_arena arena;
    iom_ctx c;
    size_t demo_users, demo_taskings;
} world;

static int64_t fixed_clock(void *data)
{
    (void)data;
    return 1795600000; /* 2026-11-24T07:06:40Z: the demo's history ends before it */
}

static void ok(world *w, iom_err err)
{
    if (err != IOM_OK)
        fail_msg("error %d: %s", (int)err, w->c.err.msg);
}

/* Users the demo lacks, each for a rule of domain.md §3 the demo does not exercise. */
static const struct {
    const char *name, *agency, *roles[2], *clearance;
} extra_users[] = {
    {"scope-admin-wy", "west-yorkshire", {"admin"}, "OFFICIAL-SENSITIVE"},
    {"scope-admin-spoc-wy", "west-yorkshire", {"admin", "spoc"}, "OFFICIAL-SENSITIVE"},
    {"scope-wy-official", "west-yorkshire", {"spoc"}, "OFFICIAL"},
    {"scope-titan-gw-ttcg", "titan", {"gateway", "ttcg"}, "OFFICIAL-SENSITIVE"},
    {"scope-idle-analyst", "toex", {"analyst"}, "OFFICIAL-SENSITIVE"},
    {"scope-yh-apmis-gw", "yhrocu", {"apmis", "gateway"}, "OFFICIAL-SENSITIVE"},
};
#define N_EXTRA (sizeof extra_users / sizeof extra_users[0])

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = t_tmpdir();
    w->db = t_fmt("%s/scope.db", w->dir);
    iom_error e = {0};
    assert_int_equal(iom_store_open(w->db, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &w->store, &e),
                     IOM_OK);
    iom_arena_init(&w->arena);
    app_ctx_init(&w->c, w->store, &w->arena);
    w->c.clock = fixed_clock;
    w->c.os_user = "scope-test";
    w->c.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
    w->c.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
    char *key = t_fmt("%s.key", w->db);
    assert_int_equal(audit_key_create(key, w->c.audit_key, &e), IOM_OK);
    free(key);
    w->c.has_audit_key = true;
    int from, to;
    assert_int_equal(w->store->ops->migrate(w->store, &from, &to, &e), IOM_OK);
    ok(w, app_init_reference(&w->c));
    app_demo_result r;
    ok(w, app_demo(&w->c, "scope test password", &r));
    w->demo_users = r.users;
    w->demo_taskings = r.taskings;
    w->c.actor_name = r.admin;
    for (size_t i = 0; i < N_EXTRA; i++) {
        app_user_input in = {.name = extra_users[i].name, .agency = extra_users[i].agency,
                             .clearance = extra_users[i].clearance};
        for (size_t k = 0; k < 2 && extra_users[i].roles[k]; k++)
            in.roles[in.nroles++] = extra_users[i].roles[k];
        iom_user_t u;
        ok(w, app_user_add(&w->c, &in, &u));
    }
    /* A threat the ROCU owns with an SIO of one of its region's forces, bid for by another
       force: the SIO is of neither the owning nor the requesting agency, and sees the tasking
       as the threat's SIO (review 38: it read as not found, and the ToR could never be
       agreed). */
    w->c.actor_name = "yhrocu-sio";
    app_threat_input tin = {"Scope test: ROCU threat with a force SIO", "labour", "yhrocu",
                            "west-yorkshire-sio", "FTM-SCOPE-1", "OFFICIAL"};
    iom_threat_t th;
    ok(w, app_threat_add(&w->c, &tin, &th));
    app_bid_input bid = {T_BID_ASSESS, .threat = th.ref, .ftm_date = "2026-11-20", .ftm_ref = "FTM-SCOPE-1",
                         .summary = "A bid by a force that neither owns the threat nor employs its SIO.",
                         .known = "Partner referrals.",
                         .requirements = {"Who controls the network?"}, .nrequirements = 1,
                         .services = {"intel_development"}, .nservices = 1,
                         .urgency = "routine", .timeline = "Within three months"};
    iom_tasking_t bt;
    w->c.actor_name = "south-yorkshire-spoc";
    ok(w, app_tasking_new(&w->c, &bid, &bt));
    w->demo_taskings++;
    w->c.actor_name = r.admin;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    iom_store_close(w->store);
    iom_arena_free(&w->arena);
    t_tmpdir_free(w->dir);
    free(w->db);
    free(w);
    return 0;
}

/* A scope that admits every tasking, whatever its marking: the store's filter bypassed. */
static const access_scope every_tasking = {.all = IOM_ACCESS_AUDIT,
                                           .clearance = IOM_MARKING_OFFICIAL_SENSITIVE};

/* Every tasking as the store holds it, with its team, read straight from the store. */
typedef struct tasking_facts {
    iom_tasking_t t;
    int64_t team[16];
    size_t nteam;
    bool sent;           /* its history holds a submission (read apart from the store's flag) */
} tasking_facts;

static size_t all_taskings(world *w, tasking_facts *out)
{
    iom_store *s = w->store;
    iom_tasking_filter f = {.scope = every_tasking, .state = -1, .limit = 1000};
    iom_tasking_t *v;
    size_t n;
    ok(w, s->ops->begin(s, false, &w->c.err));
    ok(w, s->ops->tasking->list(s, &f, &w->arena, &v, &n, &w->c.err));
    assert_true(n <= MAX_TASKINGS);
    for (size_t i = 0; i < n; i++) {
        iom_member_t *m;
        size_t nm;
        out[i] = (tasking_facts){.t = v[i]};
        ok(w, s->ops->tasking->members(s, v[i].id, &w->arena, &m, &nm, &w->c.err));
        assert_true(nm <= 16);
        for (size_t k = 0; k < nm; k++)
            out[i].team[out[i].nteam++] = m[k].user_id;
        iom_tasking_event_t *ev;
        size_t ne;
        ok(w, s->ops->tasking->events(s, v[i].id, &w->arena, &ev, &ne, &w->c.err));
        for (size_t k = 0; k < ne; k++)
            out[i].sent |= ev[k].to_state == IOM_TS_SUBMITTED;
    }
    s->ops->rollback(s);
    return n;
}

/* The user as the predicate sees it, built from the user's row (not by the use-cases). */
static access_actor actor_from(const iom_user_t *u)
{
    return (access_actor){.user_id = u->id, .roles = u->roles, .agency_kind = u->agency_kind,
                          .agency_id = u->agency_id, .region_id = u->agency_region_id,
                          .clearance = u->clearance};
}

static bool predicate(const access_actor *a, const tasking_facts *tf)
{
    const iom_tasking_t *t = &tf->t;
    access_tasking at = {.requesting_agency_id = t->requesting_agency_id,
                         .requesting_region_id = t->requesting_region_id,
                         .owning_agency_id = t->owner_id, .owning_region_id = t->owner_region_id,
                         .reached_toex = t->reached_toex, .escalated_ftt = t->escalated_ftt,
                         .assigned_ids = tf->team, .n_assigned = tf->nteam,
                         .sia_id = t->sia_id, .sio_id = t->threat_sio_id, .marking = t->marking,
                         /* a draft, or a draft withdrawn, is its agency's until it is sent
                            (review 111 M1) */
                         .draft = !tf->sent};
    access_decision d;
    iom_error ignore = {0};
    return access_tasking_check(&d, a, &at, &ignore) == IOM_OK;
}

static bool has_ref(iom_tasking_t *v, size_t n, const char *ref)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].ref, ref) == 0)
            return true;
    return false;
}

/* One list as a set of references, each at most once. */
typedef struct seen {
    iom_tasking_t *v;
    size_t n;
} seen;

static seen store_filtered(world *w, const access_scope *scope)
{
    iom_store *s = w->store;
    iom_tasking_filter f = {.scope = *scope, .state = -1, .limit = 1000};
    seen r;
    ok(w, s->ops->begin(s, false, &w->c.err));
    ok(w, s->ops->tasking->list(s, &f, &w->arena, &r.v, &r.n, &w->c.err));
    s->ops->rollback(s);
    return r;
}

static seen use_case(world *w, const access_scope *store_scope)
{
    app_tasking_query q = {.limit = 1000};
    const char *next = NULL;
    seen r;
    if (store_scope)
        ok(w, app_tasking_list_store_scope(&w->c, &q, store_scope, &r.v, &r.n, &next));
    else
        ok(w, app_tasking_list(&w->c, &q, &r.v, &r.n, &next));
    assert_null(next);
    return r;
}

static bool readable(world *w, const char *ref)
{
    app_tasking_scope sc;
    ok(w, app_begin(&w->c, false));
    iom_err err = app_tasking_read(&w->c, ref, IOM_PART_OUTCOME, &sc);
    if (err != IOM_OK && err != IOM_ENOTFOUND)
        fail_msg("read %s: %d %s", ref, (int)err, w->c.err.msg);
    app_end(&w->c, IOM_OK);
    return err == IOM_OK;
}

static void test_every_user_every_tasking(void **state)
{
    world *w = *state;
    static tasking_facts tf[MAX_TASKINGS];
    size_t nt = all_taskings(w, tf);
    assert_int_equal(nt, w->demo_taskings);
    iom_user_t *users;
    size_t nu;
    ok(w, w->store->ops->begin(w->store, false, &w->c.err));
    ok(w, w->store->ops->user_list(w->store, &w->arena, &users, &nu, &w->c.err));
    w->store->ops->rollback(w->store);
    assert_int_equal(nu, w->demo_users + N_EXTRA);
    assert_true(nu <= MAX_USERS);

    size_t pairs = 0, visible = 0, removed_by_recheck = 0, users_with_removals = 0;
    int mismatches = 0;
    for (size_t u = 0; u < nu; u++) {
        access_actor a = actor_from(&users[u]);
        access_scope scope = access_scope_of(&a);
        w->c.actor_name = users[u].name;
        seen sql = store_filtered(w, &scope);
        seen list = use_case(w, NULL);
        seen recheck = use_case(w, &every_tasking);
        if (recheck.n < nt) {
            removed_by_recheck += nt - recheck.n;
            users_with_removals++;
        }
        for (size_t i = 0; i < nt; i++) {
            const char *ref = tf[i].t.ref;
            bool want = predicate(&a, &tf[i]);
            bool got[4] = {has_ref(sql.v, sql.n, ref), has_ref(list.v, list.n, ref),
                           has_ref(recheck.v, recheck.n, ref), readable(w, ref)};
            static const char *const what[4] = {"sql", "list", "recheck", "read"};
            for (int k = 0; k < 4; k++)
                if (got[k] != want) {
                    mismatches++;
                    fprintf(stderr, "%s %s: predicate %s, %s %s\n", users[u].name, ref,
                            want ? "sees" : "refuses", what[k], got[k] ? "sees" : "refuses");
                }
            pairs++;
            visible += want;
        }
        /* Each list holds each reference once: no row twice from the store's joins. */
        for (seen *s = (seen[]){sql, list, recheck}, *end = s + 3; s < end; s++)
            for (size_t i = 0; i < s->n; i++)
                for (size_t j = i + 1; j < s->n; j++)
                    assert_string_not_equal(s->v[i].ref, s->v[j].ref);
    }
    fprintf(stderr, "access scope: %zu users x %zu taskings = %zu pairs, %zu visible; the re-check "
                    "alone removed %zu rows for %zu users; %d mismatches\n",
            nu, nt, pairs, visible, removed_by_recheck, users_with_removals, mismatches);
    assert_int_equal(mismatches, 0);
    /* The comparison compares something: both answers occur, and the bypassed store filter
       left rows that only the re-check removed, for most users. */
    assert_true(visible > 0 && visible < pairs);
    assert_true(users_with_removals * 2 > nu);
}

/* The scope value itself on hand-made actors: each clause and the admin rule. */
/* The store's list at every limit (its text carries the limit rounded up to a bucket and drops
   the rows past it: sqlite_tasking.c list_limit_bucket): each limit gives that many rows (0:
   all), the prefix of the whole list; pages walked as the API walks them (limit + 1 rows, the
   cursor after the last) give the whole list once, in order. */
static void test_list_limits(void **state)
{
    world *w = *state;
    iom_store *s = w->store;
    iom_tasking_filter all = {.scope = every_tasking, .state = -1, .limit = 0};
    iom_tasking_t *v;
    size_t nt;
    ok(w, s->ops->begin(s, false, &w->c.err));
    ok(w, s->ops->tasking->list(s, &all, &w->arena, &v, &nt, &w->c.err));
    assert_int_equal(nt, w->demo_taskings);
    assert_true(nt >= 12); /* past the buckets 2, 6 and 11 */
    for (size_t limit = 1; limit <= nt + 2; limit++) {
        iom_tasking_filter f = all;
        f.limit = limit;
        iom_tasking_t *p;
        size_t n;
        ok(w, s->ops->tasking->list(s, &f, &w->arena, &p, &n, &w->c.err));
        assert_int_equal(n, limit < nt ? limit : nt);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(p[i].ref, v[i].ref);
        /* the API's walk: pages of `limit`, each asked with one more row */
        size_t got = 0, pages = 0;
        const char *after = NULL;
        for (;;) {
            f.limit = limit + 1;
            f.after_ref = after;
            ok(w, s->ops->tasking->list(s, &f, &w->arena, &p, &n, &w->c.err));
            size_t take = n > limit ? limit : n;
            for (size_t i = 0; i < take; i++)
                assert_string_equal(p[i].ref, v[got + i].ref);
            got += take;
            pages++;
            if (n <= limit)
                break;
            after = p[limit - 1].ref;
        }
        assert_int_equal(got, nt);
        assert_int_equal(pages, (nt + limit - 1) / limit);
    }
    s->ops->rollback(s);
}

static void test_scope_values(void **state)
{
    (void)state;
    access_actor admin = {.user_id = 1, .roles = IOM_ROLE_BIT(IOM_ROLE_ADMIN),
                          .agency_kind = IOM_AGENCY_FORCE, .agency_id = 7, .region_id = 3,
                          .clearance = IOM_MARKING_OFFICIAL_SENSITIVE};
    access_scope s = access_scope_of(&admin);
    assert_int_equal(s.agency_id, 0);
    assert_int_equal(s.user_id, 0);
    assert_int_equal(s.region_id, 0);
    assert_int_equal(s.all, IOM_ACCESS_NONE);
    assert_false(access_operational(IOM_ROLE_BIT(IOM_ROLE_ADMIN)));
    assert_false(access_operational(0));
    assert_true(access_operational(IOM_ROLE_BIT(IOM_ROLE_ADMIN) | IOM_ROLE_BIT(IOM_ROLE_SPOC)));

    access_actor gw = {.user_id = 2,
                       .roles = IOM_ROLE_BIT(IOM_ROLE_TTCG) | IOM_ROLE_BIT(IOM_ROLE_GATEWAY) |
                                IOM_ROLE_BIT(IOM_ROLE_APMIS),
                       .agency_kind = IOM_AGENCY_ROCU, .agency_id = 8, .region_id = 3,
                       .clearance = IOM_MARKING_OFFICIAL};
    s = access_scope_of(&gw);
    assert_int_equal(s.agency_id, 8);
    assert_int_equal(s.region_id, 3);
    assert_int_equal(s.region_as, IOM_ACCESS_GATEWAY);
    assert_int_equal(s.all, IOM_ACCESS_APMIS);
    access_tasking in_region = {.requesting_agency_id = 9, .requesting_region_id = 3,
                                .owning_agency_id = 9, .owning_region_id = 3,
                                .marking = IOM_MARKING_OFFICIAL};
    access_tasking elsewhere = {.requesting_agency_id = 10, .requesting_region_id = 4,
                                .owning_agency_id = 10, .owning_region_id = 4,
                                .marking = IOM_MARKING_OFFICIAL_SENSITIVE};
    assert_int_equal(access_scope_relation(&s, &in_region), IOM_ACCESS_GATEWAY);
    assert_int_equal(access_scope_relation(&s, &elsewhere), IOM_ACCESS_APMIS);
    assert_true(access_scope_admits(&s, &in_region));
    assert_false(access_scope_admits(&s, &elsewhere)); /* cleared to OFFICIAL only */

    access_actor analyst = {.user_id = 5, .roles = IOM_ROLE_BIT(IOM_ROLE_ANALYST),
                            .agency_kind = IOM_AGENCY_CAPABILITY, .agency_id = 1,
                            .clearance = IOM_MARKING_OFFICIAL_SENSITIVE};
    s = access_scope_of(&analyst);
    assert_int_equal(s.user_id, 5);
    int64_t team[] = {4, 5};
    access_tasking on = {.requesting_agency_id = 9, .owning_agency_id = 9, .assigned_ids = team,
                         .n_assigned = 2, .marking = IOM_MARKING_OFFICIAL};
    access_tasking off = on;
    off.n_assigned = 1;
    assert_int_equal(access_scope_relation(&s, &on), IOM_ACCESS_ASSIGNED);
    assert_int_equal(access_scope_relation(&s, &off), IOM_ACCESS_NONE);
    off.actor_assigned = true;
    assert_int_equal(access_scope_relation(&s, &off), IOM_ACCESS_ASSIGNED);
    /* A team membership found for a user of another agency kind grants nothing. */
    access_actor moved = analyst;
    moved.agency_kind = IOM_AGENCY_FORCE;
    s = access_scope_of(&moved);
    assert_int_equal(access_scope_relation(&s, &on), IOM_ACCESS_NONE);
    assert_int_equal(access_scope_relation(NULL, &on), IOM_ACCESS_NONE);

    /* The threat's SIO, of neither the owning nor the requesting agency: relation sio. Only
       an operational user holding the sio role is that clause (an admin who was named SIO and
       lost the role later is not). */
    access_actor sio = {.user_id = 21, .roles = IOM_ROLE_BIT(IOM_ROLE_SIO),
                        .agency_kind = IOM_AGENCY_FORCE, .agency_id = 11, .region_id = 3,
                        .clearance = IOM_MARKING_OFFICIAL_SENSITIVE};
    s = access_scope_of(&sio);
    assert_int_equal(s.sio_user_id, 21);
    access_tasking rocu = {.requesting_agency_id = 12, .requesting_region_id = 3,
                           .owning_agency_id = 8, .owning_region_id = 3, .sio_id = 21,
                           .marking = IOM_MARKING_OFFICIAL};
    assert_int_equal(access_scope_relation(&s, &rocu), IOM_ACCESS_SIO);
    assert_true(access_scope_admits(&s, &rocu));
    rocu.sio_id = 22;
    assert_int_equal(access_scope_relation(&s, &rocu), IOM_ACCESS_NONE);
    rocu.sio_id = 21;
    sio.roles = IOM_ROLE_BIT(IOM_ROLE_SPOC);
    s = access_scope_of(&sio);
    assert_int_equal(s.sio_user_id, 0);
    assert_int_equal(access_scope_relation(&s, &rocu), IOM_ACCESS_NONE);
    sio.roles = IOM_ROLE_BIT(IOM_ROLE_SIO) | IOM_ROLE_BIT(IOM_ROLE_ADMIN);
    s = access_scope_of(&sio);
    assert_int_equal(access_scope_relation(&s, &rocu), IOM_ACCESS_SIO);
    s = access_scope_of(NULL);
    assert_false(access_scope_admits(&s, &on));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope_values),
        cmocka_unit_test_setup_teardown(test_every_user_every_tasking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_limits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
