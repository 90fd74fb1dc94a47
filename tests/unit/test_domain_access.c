/*
 * Need-to-know (docs/domain.md §3, §5) against tests/fixtures/domain_access.csv, which
 * tests/fixtures/domain_access.py writes from the domain text without reading src/; plus
 * hand cases for the decision flags, the master list and the lifecycle relations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/access.h"

#define FIXTURE IOM_SOURCE_DIR "/tests/fixtures/domain_access.csv"

static iom_roles roles_of(const char *spec)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", spec);
    if (strcmp(buf, "-") == 0)
        return 0;
    iom_roles roles = 0;
    for (char *save = NULL, *w = strtok_r(buf, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
        iom_role r;
        assert_int_equal(iom_role_parse(w, &r, NULL), IOM_OK);
        roles |= IOM_ROLE_BIT(r);
    }
    return roles;
}

static iom_marking marking_of(const char *s)
{
    iom_marking m;
    assert_int_equal(iom_marking_parse(s, &m, NULL), IOM_OK);
    return m;
}

static iom_access_part part_of(const char *s)
{
    for (int p = 0; p < IOM_PART_COUNT; p++)
        if (strcmp(access_part_name((iom_access_part)p), s) == 0)
            return (iom_access_part)p;
    fail_msg("unknown part '%s'", s);
    return IOM_PART_COUNT;
}

static void test_fixture_every_row(void **state)
{
    (void)state;
    FILE *fp = fopen(FIXTURE, "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_non_null(strstr(line, "req_agency,"));
    int rows = 0, failures = 0;
    while (fgets(line, sizeof line, fp)) {
        rows++;
        char copy[512];
        snprintf(copy, sizeof copy, "%s", line);
        copy[strcspn(copy, "\n")] = '\0';
        char *f[20], *save = NULL;
        int n = 0;
        for (char *w = strtok_r(copy, ",", &save); w && n < 20; w = strtok_r(NULL, ",", &save))
            f[n++] = w;
        assert_int_equal(n, 20);

        int64_t team[8];
        size_t n_team = 0;
        for (char *s2 = NULL, *w = strtok_r(f[6], "|", &s2); w && n_team < 8;
             w = strtok_r(NULL, "|", &s2))
            team[n_team++] = atoll(w);
        access_tasking t = {
            .requesting_agency_id = atoll(f[0]), .requesting_region_id = atoll(f[1]),
            .owning_agency_id = atoll(f[2]),     .owning_region_id = atoll(f[3]),
            .reached_toex = atoi(f[4]) != 0,     .escalated_ftt = atoi(f[5]) != 0,
            .assigned_ids = team,                .n_assigned = n_team,
            .sia_id = atoll(f[7]),               .sio_id = atoll(f[8]),
            .marking = marking_of(f[9]),
        };
        iom_agency_kind kind = IOM_AGENCY_FORCE;
        if (strcmp(f[12], "none") != 0)
            assert_int_equal(iom_agency_kind_parse(f[12], &kind, NULL), IOM_OK);
        access_actor a = {
            .user_id = atoll(f[10]), .roles = roles_of(f[11]), .agency_kind = kind,
            .agency_id = atoll(f[13]), .region_id = atoll(f[14]), .clearance = marking_of(f[15]),
        };
        iom_access_part part = part_of(f[16]);
        iom_marking rec = marking_of(f[17]);
        bool want_ok = strcmp(f[19], "ok") == 0;

        access_decision d;
        iom_error e = {0};
        iom_err rc = access_part_check(&d, &a, &t, part, rec, &e);
        bool ok = (rc == IOM_OK) == want_ok &&
                  strcmp(access_relation_name(d.relation), f[18]) == 0;
        if (ok && want_ok)
            ok = d.content == (d.relation != IOM_ACCESS_APMIS) &&
                 d.read_only == (d.relation == IOM_ACCESS_AUDIT ||
                                 d.relation == IOM_ACCESS_APMIS);
        if (ok && !want_ok)
            ok = rc == IOM_EFORBIDDEN && strstr(e.msg, "rule") && !d.content;
        if (!ok) {
            failures++;
            print_error("row %d: %s -> %s relation=%s (%s)\n", rows + 1, line, iom_err_name(rc),
                        access_relation_name(d.relation), e.msg);
        }
    }
    fclose(fp);
    print_message("domain_access.csv: %d rows checked\n", rows);
    assert_true(rows > 10000);
    assert_int_equal(failures, 0);
}

/* A tasking in region 1 asked and owned by force 11, team 501|502, SIA 500, SIO 600. */
static const int64_t team[] = {501, 502};
static access_tasking tasking(void)
{
    return (access_tasking){11, 1, 11, 1, true, false, team, 2, false, 500, 600,
                            IOM_MARKING_OFFICIAL_SENSITIVE};
}

static access_actor actor(iom_roles roles, iom_agency_kind kind, int64_t agency, int64_t region)
{
    return (access_actor){42, roles, kind, agency, region, IOM_MARKING_OFFICIAL_SENSITIVE};
}

static void test_tasking_level(void **state)
{
    (void)state;
    access_tasking t = tasking();
    access_decision d;
    iom_error e = {0};
    /* apmis sees the tasking (its outcome), not its content, read-only */
    access_actor ap = actor(IOM_ROLE_BIT(IOM_ROLE_APMIS), IOM_AGENCY_NATIONAL, 80, 0);
    assert_int_equal(access_tasking_check(&d, &ap, &t, &e), IOM_OK);
    assert_int_equal(d.relation, IOM_ACCESS_APMIS);
    assert_false(d.content);
    assert_true(d.read_only);
    assert_int_equal(access_part_check(&d, &ap, &t, IOM_PART_PRODUCTS, IOM_MARKING_OFFICIAL, &e),
                     IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "products of a tasking, relation apmis"));
    /* auditor: everything, read-only */
    access_actor au = actor(IOM_ROLE_BIT(IOM_ROLE_AUDITOR), IOM_AGENCY_NATIONAL, 80, 0);
    assert_int_equal(access_tasking_check(&d, &au, &t, &e), IOM_OK);
    assert_true(d.content && d.read_only && d.relation == IOM_ACCESS_AUDIT);
    /* the requesting force's customer: full, not read-only */
    access_actor cu = actor(IOM_ROLE_BIT(IOM_ROLE_CUSTOMER), IOM_AGENCY_FORCE, 11, 1);
    assert_int_equal(access_tasking_check(&d, &cu, &t, &e), IOM_OK);
    assert_true(d.content && !d.read_only && d.relation == IOM_ACCESS_OWNER);
    /* clearance short of the tasking's marking */
    cu.clearance = IOM_MARKING_OFFICIAL;
    assert_int_equal(access_tasking_check(&d, &cu, &t, &e), IOM_EFORBIDDEN);
    assert_int_equal(d.relation, IOM_ACCESS_NONE);
    assert_non_null(strstr(e.msg, "marked OFFICIAL-SENSITIVE, actor cleared to OFFICIAL "
                                  "(relation owner)"));
    /* a gateway of another region */
    access_actor gw = actor(IOM_ROLE_BIT(IOM_ROLE_GATEWAY), IOM_AGENCY_ROCU, 30, 3);
    assert_int_equal(access_tasking_check(&d, &gw, &t, &e), IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "no need-to-know relation"));
    /* review 81 L1: the gateway and TTCG of its region see a bid once it was submitted, not
       while its SPOC is still writing it; its own agency sees the draft */
    access_actor rg = actor(IOM_ROLE_BIT(IOM_ROLE_GATEWAY), IOM_AGENCY_ROCU, 10, 1);
    access_actor rt = actor(IOM_ROLE_BIT(IOM_ROLE_TTCG), IOM_AGENCY_ROCU, 10, 1);
    assert_int_equal(access_tasking_check(&d, &rg, &t, &e), IOM_OK);
    assert_int_equal(d.relation, IOM_ACCESS_GATEWAY);
    t.draft = true;
    assert_int_equal(access_tasking_check(&d, &rg, &t, &e), IOM_EFORBIDDEN);
    assert_int_equal(access_tasking_check(&d, &rt, &t, &e), IOM_EFORBIDDEN);
    assert_int_equal(access_tasking_check(&d, &cu, &t, &e), IOM_EFORBIDDEN); /* cleared OFFICIAL */
    cu.clearance = IOM_MARKING_OFFICIAL_SENSITIVE;
    assert_int_equal(access_tasking_check(&d, &cu, &t, &e), IOM_OK);
    assert_int_equal(d.relation, IOM_ACCESS_OWNER);
    assert_int_equal(access_tasking_check(&d, &au, &t, &e), IOM_OK);
    t.draft = false;
    /* admin of the owning force: nothing by role alone */
    access_actor ad = actor(IOM_ROLE_BIT(IOM_ROLE_ADMIN), IOM_AGENCY_FORCE, 11, 1);
    assert_int_equal(access_tasking_check(&d, &ad, &t, &e), IOM_EFORBIDDEN);
    /* NULLs and an unknown part are refusals, not crashes */
    assert_int_equal(access_tasking_check(&d, NULL, &t, &e), IOM_EFORBIDDEN);
    assert_int_equal(access_part_check(&d, &cu, NULL, IOM_PART_THREAT, IOM_MARKING_OFFICIAL, &e),
                     IOM_EFORBIDDEN);
    assert_int_equal(access_part_check(&d, &au, &t, IOM_PART_COUNT, IOM_MARKING_OFFICIAL, &e),
                     IOM_EFORBIDDEN);
    /* the actor_assigned flag stands in for the id list */
    access_actor tx = actor(IOM_ROLE_BIT(IOM_ROLE_ANALYST), IOM_AGENCY_CAPABILITY, 90, 0);
    assert_int_equal(access_tasking_check(&d, &tx, &t, &e), IOM_EFORBIDDEN);
    t.actor_assigned = true;
    assert_int_equal(access_tasking_check(&d, &tx, &t, &e), IOM_OK);
    assert_int_equal(d.relation, IOM_ACCESS_ASSIGNED);
}

static void test_master_list(void **state)
{
    (void)state;
    for (int k = 0; k < IOM_AGENCY_KIND_COUNT; k++) {
        access_actor a = actor(IOM_ROLE_BIT(IOM_ROLE_CUSTOMER), (iom_agency_kind)k, 5, 0);
        assert_true(access_master_list(&a));
    }
    access_actor none = actor(IOM_ROLE_BIT(IOM_ROLE_ADMIN), IOM_AGENCY_FORCE, 0, 0);
    assert_false(access_master_list(&none));
    assert_false(access_master_list(NULL));
}

static void test_lifecycle_relations(void **state)
{
    (void)state;
    access_tasking t = tasking();
    t.owning_agency_id = 20, t.owning_region_id = 2; /* owned by a region-2 ROCU */
    access_actor spoc = actor(IOM_ROLE_BIT(IOM_ROLE_SPOC), IOM_AGENCY_FORCE, 11, 1);
    assert_int_equal(access_lifecycle_relations(&spoc, &t),
                     IOM_REL_REQUESTING | IOM_REL_REQUESTING_REGION);
    access_actor sio = actor(IOM_ROLE_BIT(IOM_ROLE_SIO), IOM_AGENCY_ROCU, 20, 2);
    sio.user_id = 600;
    assert_int_equal(access_lifecycle_relations(&sio, &t),
                     IOM_REL_OWNING | IOM_REL_OWNER_REGION | IOM_REL_THREAT_SIO);
    access_actor sia = actor(IOM_ROLE_BIT(IOM_ROLE_SIA), IOM_AGENCY_CAPABILITY, 90, 0);
    sia.user_id = 500;
    assert_int_equal(access_lifecycle_relations(&sia, &t),
                     IOM_REL_ASSIGNED | IOM_REL_TASKING_SIA);
    access_actor an = actor(IOM_ROLE_BIT(IOM_ROLE_ANALYST), IOM_AGENCY_CAPABILITY, 90, 0);
    an.user_id = 502;
    assert_int_equal(access_lifecycle_relations(&an, &t), IOM_REL_ASSIGNED);
    /* region 0 (national, TOEX) never matches a national tasking's region 0 */
    access_tasking nat = {80, 0, 80, 0, true, true, NULL, 0, false, 0, 0, IOM_MARKING_OFFICIAL};
    access_actor ttcg = actor(IOM_ROLE_BIT(IOM_ROLE_TTCG), IOM_AGENCY_NATIONAL, 81, 0);
    assert_int_equal(access_lifecycle_relations(&ttcg, &nat), 0);
    assert_int_equal(access_lifecycle_relations(NULL, &nat), 0);
    /* and the relations feed the lifecycle: a TTCG of the owner's region decides */
    access_actor tt = actor(IOM_ROLE_BIT(IOM_ROLE_TTCG), IOM_AGENCY_ROCU, 20, 2);
    lifecycle_actor who = {tt.roles, access_lifecycle_relations(&tt, &t)};
    lifecycle_facts f = {.reason_given = true};
    iom_tasking_state next;
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_TRANSFER_REQUESTED, IOM_TA_ESCALATE,
                                      &who, &f, NULL), IOM_OK);
    assert_int_equal(next, IOM_TS_ESCALATED_FTT);
    /* the TTCG of the requesting region (1) does not */
    access_actor tt1 = actor(IOM_ROLE_BIT(IOM_ROLE_TTCG), IOM_AGENCY_FORCE, 12, 1);
    who = (lifecycle_actor){tt1.roles, access_lifecycle_relations(&tt1, &t)};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_TRANSFER_REQUESTED, IOM_TA_ESCALATE,
                                      &who, &f, NULL), IOM_EFORBIDDEN);
    /* review 113 L2: a national owner (no region) has no TTCG of its own; the TTCG of the bid's
       region (the requesting region: the one an NCA bid names) handles its transfer */
    access_tasking ncat = t;
    ncat.requesting_agency_id = 80, ncat.requesting_region_id = 1; /* an NCA bid naming region 1 */
    ncat.owning_agency_id = 80, ncat.owning_region_id = 0;        /* the NCA owns the threat */
    assert_int_equal(access_lifecycle_relations(&tt1, &ncat),
                     IOM_REL_REQUESTING_REGION | IOM_REL_OWNER_REGION);
    who = (lifecycle_actor){tt1.roles, access_lifecycle_relations(&tt1, &ncat)};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_TRANSFER_REQUESTED, IOM_TA_ESCALATE,
                                      &who, &f, NULL), IOM_OK);
    who = (lifecycle_actor){tt.roles, access_lifecycle_relations(&tt, &ncat)}; /* region 2 */
    assert_int_equal(who.rels & IOM_REL_OWNER_REGION, 0);
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_TRANSFER_REQUESTED, IOM_TA_ESCALATE,
                                      &who, &f, NULL), IOM_EFORBIDDEN);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const rel[] = {"none", "owner", "requesting", "sio", "assigned", "gateway",
                                      "ttcg", "toex_manager", "ftt", "audit", "apmis"};
    assert_int_equal(sizeof rel / sizeof rel[0], IOM_ACCESS_RELATION_COUNT);
    for (int i = 0; i < IOM_ACCESS_RELATION_COUNT; i++)
        assert_string_equal(access_relation_name((iom_access_relation)i), rel[i]);
    assert_string_equal(access_relation_name(IOM_ACCESS_RELATION_COUNT), "?");
    assert_string_equal(access_part_name(IOM_PART_INTELLIGENCE), "intelligence");
    assert_string_equal(access_part_name(IOM_PART_COUNT), "?");
}

/* review 100 M4: the narrow view of an option by the agency it names */
static void test_option_agency(void **state)
{
    (void)state;
    access_actor spoc = actor(IOM_ROLE_BIT(IOM_ROLE_SPOC), IOM_AGENCY_FORCE, 11, 1);
    access_actor sio = actor(IOM_ROLE_BIT(IOM_ROLE_SIO), IOM_AGENCY_FORCE, 11, 1);
    access_actor cust = actor(IOM_ROLE_BIT(IOM_ROLE_CUSTOMER), IOM_AGENCY_FORCE, 11, 1);
    access_actor admin_spoc = actor(IOM_ROLE_BIT(IOM_ROLE_SPOC) | IOM_ROLE_BIT(IOM_ROLE_ADMIN),
                                    IOM_AGENCY_FORCE, 11, 1);
    assert_true(access_option_agency(&spoc, 11, IOM_MARKING_OFFICIAL_SENSITIVE));
    assert_true(access_option_agency(&sio, 11, IOM_MARKING_OFFICIAL));
    assert_true(access_option_agency(&admin_spoc, 11, IOM_MARKING_OFFICIAL));
    assert_false(access_option_agency(&spoc, 12, IOM_MARKING_OFFICIAL)); /* another agency's */
    assert_false(access_option_agency(&spoc, 0, IOM_MARKING_OFFICIAL));
    assert_false(access_option_agency(&cust, 11, IOM_MARKING_OFFICIAL)); /* not spoc or sio */
    assert_false(access_option_agency(NULL, 11, IOM_MARKING_OFFICIAL));
    spoc.clearance = IOM_MARKING_OFFICIAL; /* clearance short of the tasking's marking */
    assert_false(access_option_agency(&spoc, 11, IOM_MARKING_OFFICIAL_SENSITIVE));
    assert_true(access_option_agency(&spoc, 11, IOM_MARKING_OFFICIAL));
    access_actor none = actor(IOM_ROLE_BIT(IOM_ROLE_SPOC), IOM_AGENCY_FORCE, 0, 0); /* no agency */
    assert_false(access_option_agency(&none, 0, IOM_MARKING_OFFICIAL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_every_row),
        cmocka_unit_test(test_tasking_level),
        cmocka_unit_test(test_master_list),
        cmocka_unit_test(test_lifecycle_relations),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_option_agency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
