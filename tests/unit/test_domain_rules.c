/*
 * test_domain_rules.c: the rules issue 11 (point 2) moved from app/ into the domain, each
 * asked directly: roles per agency kind and the TOEX team (domain/roles.h), the bid
 * (domain/bid.h), the ToR agreement and the one-question decision of the lifecycle
 * (domain/lifecycle.h, lifecycle_decide_gather), the APMIS read scope (domain/apmis.h).
 * The messages are those the CLI and the API show (tests/golden/cli.out, api.out).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/access.h"
#include "domain/apmis.h"
#include "domain/bid.h"
#include "domain/calendar.h"
#include "util/timefmt.h"
#include "domain/lifecycle.h"
#include "domain/roles.h"

#define R(x) IOM_ROLE_BIT(IOM_ROLE_##x)

/* ---- roles ---- */

static void test_roles_per_agency_kind(void **state)
{
    (void)state;
    iom_error e = {0};
    assert_int_equal(roles_agency_check(R(SIA) | R(ANALYST), IOM_AGENCY_CAPABILITY, "toex", false,
                                        &e), IOM_OK);
    assert_int_equal(roles_agency_check(R(SPOC) | R(SIO) | R(GATEWAY) | R(TTCG),
                                        IOM_AGENCY_ROCU, "yhrocu", true, &e), IOM_OK);
    assert_int_equal(roles_agency_check(R(ADMIN) | R(APMIS), IOM_AGENCY_FORCE, "met", true, &e),
                     IOM_OK);
    assert_int_equal(roles_agency_check(R(AUDITOR) | R(APMIS), IOM_AGENCY_FORCE, "met", true, &e),
                     IOM_OK);
    /* separation of duties: the auditor oversees the administrators */
    assert_int_equal(roles_agency_check(R(ADMIN) | R(AUDITOR), IOM_AGENCY_NATIONAL, "nca", false,
                                        &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "'admin' and 'auditor' are not held by one user"));
    assert_int_equal(roles_agency_check(R(ANALYST), IOM_AGENCY_FORCE, "met", true, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "role: 'analyst' is a TOEX role, held only by TOEX users; agency "
                               "'met' is a force");
    assert_int_equal(roles_agency_check(R(GATEWAY), IOM_AGENCY_NATIONAL, "nca", false, &e),
                     IOM_EINVAL);
    assert_string_equal(e.msg, "role: 'gateway' is a regional role, held only at a force or ROCU; "
                               "agency 'nca' is a national");
    /* Issue 12 point 3: gateway only at the region's Gateway agency (the ROCU; London: the
       Met); ttcg at the ROCU or a force of the region; ftt only at a national agency. */
    assert_int_equal(roles_agency_check(R(GATEWAY), IOM_AGENCY_FORCE, "west-yorkshire", false, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "'gateway' is held only by users of the region's Gateway agency"));
    assert_non_null(strstr(e.msg, "'west-yorkshire'"));
    assert_int_equal(roles_agency_check(R(GATEWAY) | R(TTCG), IOM_AGENCY_FORCE, "met", true, &e),
                     IOM_OK);
    assert_int_equal(roles_agency_check(R(TTCG), IOM_AGENCY_FORCE, "west-yorkshire", false, &e),
                     IOM_OK);
    assert_int_equal(roles_agency_check(R(FTT), IOM_AGENCY_NATIONAL, "nca", false, &e), IOM_OK);
    assert_int_equal(roles_agency_check(R(FTT), IOM_AGENCY_ROCU, "yhrocu", true, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "users of a national agency"));
    assert_int_equal(roles_agency_check(R(FTT), IOM_AGENCY_FORCE, "met", true, &e), IOM_EINVAL);
    assert_int_equal(roles_agency_check(R(CUSTOMER), IOM_AGENCY_CAPABILITY, "toex", false, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "TOEX never owns risk"));
    assert_int_equal(roles_agency_check(R(FTT), IOM_AGENCY_CAPABILITY, "toex", false, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "Federated Tasking Team"));
    /* The first refused role in iom_role order is named. */
    assert_int_equal(roles_agency_check(R(TTCG) | R(SPOC), IOM_AGENCY_CAPABILITY, "toex", false,
                                        &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "'spoc'"));
}

static void test_team(void **state)
{
    (void)state;
    iom_error e = {0};
    roles_user analyst = {"toex-analyst", R(ANALYST), IOM_AGENCY_CAPABILITY, false};
    roles_user manager = {"toex-manager", R(TOEX_MANAGER), IOM_AGENCY_CAPABILITY, false};
    roles_user admin = {"admin", R(ADMIN), IOM_AGENCY_CAPABILITY, false};
    roles_user spoc = {"wy-spoc", R(SPOC), IOM_AGENCY_FORCE, false};
    roles_user gone = {"old-analyst", R(ANALYST), IOM_AGENCY_CAPABILITY, true};
    assert_int_equal(roles_team_check(&analyst, true, false, &e), IOM_OK);
    assert_int_equal(roles_team_check(&manager, true, false, &e), IOM_OK);
    assert_int_equal(roles_team_check(&admin, true, false, &e), IOM_EINVAL);
    assert_int_equal(roles_team_check(&spoc, true, false, &e), IOM_EINVAL);
    assert_int_equal(roles_team_check(&gone, true, false, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "user: 'old-analyst' is not active TOEX staff (sia, analyst, ido, "
                               "dia, researcher, toex_manager); only TOEX staff join a tasking team");
    assert_int_equal(roles_team_check(&spoc, false, false, &e), IOM_OK);
    assert_int_equal(roles_team_check(&analyst, false, true, &e), IOM_ECONFLICT);
    assert_string_equal(e.msg, "user: 'toex-analyst' is the tasking's SIA and stays on the team");

    roles_user sia = {"toex-sia", R(SIA), IOM_AGENCY_CAPABILITY, false};
    assert_true(roles_sia_eligible(&sia));
    sia.disabled = true;
    assert_false(roles_sia_eligible(&sia));
    assert_false(roles_sia_eligible(&analyst));
    roles_user moved = {"ex-sia", R(SIA), IOM_AGENCY_FORCE, false};
    assert_false(roles_sia_eligible(&moved));
}

/* Every role the transition table grants a team or work step is a TOEX staff role, and every
   TOEX staff role is granted one: the team rule and the table name the same people. */
static void test_team_roles_match_the_table(void **state)
{
    (void)state;
    size_t n;
    const lifecycle_rule *r = lifecycle_rules(&n);
    iom_roles granted = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].action < IOM_TA_ASSIGN || r[i].action > IOM_TA_RECORD_PRODUCT)
            continue; /* the lifecycle's steps, agree_transfer among them (appended last) */
        for (unsigned g = 0; g < r[i].n_grants; g++)
            granted |= IOM_ROLE_BIT(r[i].grants[g].role);
    }
    assert_int_equal(granted, IOM_ROLES_TOEX);
}

/* ---- the bid ---- */

static bid_request good_bid(void)
{
    return (bid_request){.actor_name = "wy-spoc", .actor_roles = R(SPOC), .actor_agency_id = 10,
                         .actor_clearance = IOM_MARKING_OFFICIAL_SENSITIVE,
                         .threat_ref = "SOC-000001", .threat_marking = IOM_MARKING_OFFICIAL,
                         .owner = {10, "west-yorkshire", IOM_AGENCY_FORCE, 3, false},
                         .requesting = {10, "west-yorkshire", IOM_AGENCY_FORCE, 3, false},
                         .marking = IOM_MARKING_OFFICIAL};
}

static void test_bid(void **state)
{
    (void)state;
    iom_error e = {0};
    bid_request r = good_bid();
    assert_int_equal(bid_check(&r, &e), IOM_OK);
    /* Who may ask for help on the threat: the owner, an agency of its region, a national one. */
    r.requesting = (bid_agency){11, "yhrocu", IOM_AGENCY_ROCU, 3, false};
    r.actor_agency_id = 11;
    assert_int_equal(bid_check(&r, &e), IOM_OK);
    r.requesting = (bid_agency){12, "nca", IOM_AGENCY_NATIONAL, 0, false};
    r.actor_agency_id = 12;
    assert_int_equal(bid_check(&r, &e), IOM_OK);
    r.requesting = (bid_agency){13, "met", IOM_AGENCY_FORCE, 9, false};
    r.actor_agency_id = 13;
    assert_int_equal(bid_check(&r, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "requesting_agency: 'met' is outside the region of SOC-000001's "
                               "owner 'west-yorkshire'; the owner, an agency of its region or the "
                               "NCA requests support (any force or ROCU for a threat the NCA owns)");
    /* A threat the NCA owns: any force or ROCU may ask (issue 12 point 1). */
    bid_agency owner = r.owner;
    r.owner = (bid_agency){12, "nca", IOM_AGENCY_NATIONAL, 0, false};
    assert_int_equal(bid_check(&r, &e), IOM_OK);
    /* The region of the bid: a force's own; the NCA's named, or its threat's owner's. */
    int64_t region = 0;
    assert_int_equal(bid_region(&r.requesting, &r.owner, 0, NULL, &region, &e), IOM_OK);
    assert_int_equal(region, 9);
    assert_int_equal(bid_region(&r.requesting, &r.owner, 3, "yorkshire-humber", &region, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "region: 'yorkshire-humber' is not the region of 'met'"));
    bid_agency nca = {12, "nca", IOM_AGENCY_NATIONAL, 0, false};
    assert_int_equal(bid_region(&nca, &r.owner, 0, NULL, &region, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "names the region where the threat operates"));
    assert_int_equal(bid_region(&nca, &r.owner, 4, "east-midlands", &region, &e), IOM_OK);
    assert_int_equal(region, 4);
    assert_int_equal(bid_region(&nca, &owner, 0, NULL, &region, &e), IOM_OK);
    assert_int_equal(region, owner.region_id);
    /* the NCA's bid on a force's threat goes to the owner's region's Gateway, named or not
       (review 100 L1: any region could be named) */
    assert_int_equal(bid_region(&nca, &owner, owner.region_id, "owner's", &region, &e), IOM_OK);
    assert_int_equal(region, owner.region_id);
    assert_int_equal(bid_region(&nca, &owner, owner.region_id + 1, "london", &region, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "region: 'london' is not the region of the threat's owner"));
    r.owner = owner;
    r.requesting = (bid_agency){14, "toex", IOM_AGENCY_CAPABILITY, 0, false};
    assert_int_equal(bid_check(&r, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "cannot request TOEX support"));
    r = good_bid();
    r.requesting.disabled = true;
    assert_int_equal(bid_check(&r, &e), IOM_EINVAL);
    /* Only a spoc of the requesting agency. */
    r = good_bid();
    r.actor_roles = R(SIO);
    assert_int_equal(bid_check(&r, &e), IOM_EFORBIDDEN);
    assert_string_equal(e.msg, "tasking new: only a spoc of the requesting agency "
                               "'west-yorkshire' prepares a bid");
    r = good_bid();
    r.actor_agency_id = 11;
    assert_int_equal(bid_check(&r, &e), IOM_EFORBIDDEN);
    /* The marking: not below the threat's, and within the actor's clearance. */
    r = good_bid();
    r.threat_marking = IOM_MARKING_OFFICIAL_SENSITIVE;
    assert_int_equal(bid_check(&r, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "marking: OFFICIAL is below the threat's marking OFFICIAL-SENSITIVE");
    r = good_bid();
    r.marking = IOM_MARKING_OFFICIAL_SENSITIVE;
    r.actor_clearance = IOM_MARKING_OFFICIAL;
    assert_int_equal(bid_check(&r, &e), IOM_EFORBIDDEN);
    assert_string_equal(e.msg, "marking: user 'wy-spoc' is not cleared for OFFICIAL-SENSITIVE");
    /* Order: an archived threat first, then the agency, then the actor, then the marking. */
    r.threat_archived = true;
    r.actor_roles = 0;
    assert_int_equal(bid_check(&r, &e), IOM_ECONFLICT);
    assert_string_equal(e.msg, "threat SOC-000001 is archived; no new bid on it");
    r.threat_archived = false;
    assert_int_equal(bid_check(&r, &e), IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "only a spoc"));
}

/* ---- the lifecycle: ToR agreement and the one question ---- */

static void test_tor_agreement(void **state)
{
    (void)state;
    iom_error e = {0};
    iom_tasking_state next;
    iom_role role;
    lifecycle_actor sia = {R(SIA), IOM_REL_TASKING_SIA};
    lifecycle_actor sio = {R(SIO), IOM_REL_THREAT_SIO | IOM_REL_OWNING};
    lifecycle_facts f = {.tor_version_exists = true, .tor_latest_version = 2};
    /* Not the latest version. */
    f.tor_version_asked = 1;
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sia, &f, &e),
                     IOM_ECONFLICT);
    assert_string_equal(e.msg, "version: 1 is not the latest terms of reference (version 2); "
                               "agree the latest");
    f.tor_version_asked = 2;
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sia, &f, &e),
                     IOM_OK);
    assert_int_equal(next, IOM_TS_ACCEPTED);
    assert_int_equal(role, IOM_ROLE_SIA);
    /* The SIA has agreed: again is a conflict; the SIO's agreement moves on. */
    f.tor_sia_agreed = true;
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sia, &f, &e),
                     IOM_ECONFLICT);
    assert_string_equal(e.msg, "agree: the sia has already agreed version 2");
    f.tor_version_asked = 0; /* the latest */
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sio, &f, &e),
                     IOM_OK);
    assert_int_equal(next, IOM_TS_TOR_AGREED);
    assert_int_equal(role, IOM_ROLE_SIO);
    /* A new version agreed by both after agreement: the state stays. */
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_IN_DEVELOPMENT, IOM_TA_AGREE_TOR, &sio,
                                      &f, &e), IOM_OK);
    assert_int_equal(next, IOM_TS_IN_DEVELOPMENT);
    /* No version proposed comes first. */
    f = (lifecycle_facts){.tor_version_asked = 3};
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sio, &f, &e),
                     IOM_ECONFLICT);
    assert_non_null(strstr(e.msg, "no such ToR version proposed"));
}

typedef struct probe {
    int calls;
    iom_role granted;
    iom_err answer;
    lifecycle_facts facts;
    iom_error *e;
} probe;

static iom_err probe_gather(void *data, iom_role granted, lifecycle_facts *out)
{
    probe *p = data;
    p->calls++;
    p->granted = granted;
    *out = p->facts;
    if (p->answer)
        return iom_fail(p->e, p->answer, "gatherer: its own error");
    return IOM_OK;
}

static void test_decide_gather(void **state)
{
    (void)state;
    iom_error e = {0};
    iom_tasking_state next;
    iom_role role;
    lifecycle_actor gw = {R(GATEWAY), IOM_REL_REQUESTING_REGION};
    lifecycle_actor spoc = {R(SPOC), IOM_REL_REQUESTING};
    probe p = {.e = &e};
    /* Wrong state, wrong role, wrong relation: answered without gathering. */
    assert_int_equal(lifecycle_decide_gather(&next, &role, IOM_TS_DRAFT, IOM_TA_FORWARD, &gw,
                                             probe_gather, &p, &e), IOM_ECONFLICT);
    assert_int_equal(lifecycle_decide_gather(&next, &role, IOM_TS_SUBMITTED, IOM_TA_FORWARD, &spoc,
                                             probe_gather, &p, &e), IOM_EFORBIDDEN);
    lifecycle_actor far = {R(GATEWAY), IOM_REL_OWNING};
    assert_int_equal(lifecycle_decide_gather(&next, &role, IOM_TS_SUBMITTED, IOM_TA_REJECT, &far,
                                             probe_gather, &p, &e), IOM_EFORBIDDEN);
    assert_int_equal(p.calls, 0);
    /* Allowed: gathered once, with the granted role; the facts decide. */
    assert_int_equal(lifecycle_decide_gather(&next, &role, IOM_TS_SUBMITTED, IOM_TA_REJECT, &gw,
                                             probe_gather, &p, &e), IOM_EINVAL);
    assert_int_equal(p.calls, 1);
    assert_int_equal(p.granted, IOM_ROLE_GATEWAY);
    assert_non_null(strstr(e.msg, "reason missing"));
    p.facts.reason_given = true;
    assert_int_equal(lifecycle_decide_gather(&next, &role, IOM_TS_SUBMITTED, IOM_TA_REJECT, &gw,
                                             probe_gather, &p, &e), IOM_OK);
    assert_int_equal(next, IOM_TS_REJECTED);
    assert_int_equal(role, IOM_ROLE_GATEWAY);
    /* The gatherer's own error is the answer, unchanged. */
    p.answer = IOM_ECONFLICT;
    assert_int_equal(lifecycle_decide_gather(&next, &role, IOM_TS_SUBMITTED, IOM_TA_REJECT, &gw,
                                             probe_gather, &p, &e), IOM_ECONFLICT);
    assert_string_equal(e.msg, "gatherer: its own error");
    /* Same answers as lifecycle_decide over every state, action and single role. */
    lifecycle_facts all = {.reason_given = true, .threat_has_sio = true, .sia_given = true,
                           .sia_eligible = true, .tor_version_exists = true,
                           .tor_products_delivered = true, .no_intel_pending = true,
                           .assessment_signed = true, .sio_agrees_transfer = true};
    probe q = {.facts = all, .e = &e};
    for (int s = 0; s < IOM_TS_COUNT; s++)
        for (int a = 0; a < IOM_TA_COUNT; a++)
            for (int ro = 0; ro < IOM_ROLE_COUNT; ro++) {
                lifecycle_actor who = {IOM_ROLE_BIT(ro), IOM_REL_ALL};
                iom_tasking_state n1 = IOM_TS_COUNT, n2 = IOM_TS_COUNT;
                iom_role r1 = IOM_ROLE_COUNT, r2 = IOM_ROLE_COUNT;
                iom_err a1 = lifecycle_decide(&n1, &r1, (iom_tasking_state)s,
                                              (iom_tasking_action)a, &who, &all, NULL);
                iom_err a2 = lifecycle_decide_gather(&n2, &r2, (iom_tasking_state)s,
                                                     (iom_tasking_action)a, &who, probe_gather,
                                                     &q, NULL);
                assert_int_equal(a1, a2);
                assert_int_equal(n1, n2);
                assert_int_equal(r1, r2);
            }
}

/* ---- APMIS: one read scope for the list and the record ---- */

static void test_apmis_scope(void **state)
{
    (void)state;
    int64_t caps[] = {30};
    apmis_record_facts rec = {.lead_agency_id = 10, .lead_region_id = 3, .owner_agency_id = 11,
                              .owner_region_id = 3, .capability_ids = caps, .ncapabilities = 1,
                              .marking = IOM_MARKING_OFFICIAL};
    apmis_actor admin = {R(ADMIN), IOM_AGENCY_FORCE, 10, 3, IOM_MARKING_OFFICIAL_SENSITIVE};
    apmis_read_scope s = apmis_read_scope_of(&admin);
    assert_int_equal(s.agency_id, 0); /* an admin is not a member */
    assert_false(apmis_scope_admits(&s, &rec));
    apmis_actor spoc = {R(SPOC) | R(ADMIN), IOM_AGENCY_FORCE, 10, 3, IOM_MARKING_OFFICIAL};
    s = apmis_read_scope_of(&spoc);
    assert_int_equal(s.agency_id, 10);
    assert_int_equal(s.region_id, 0); /* a force's spoc reads its agency only */
    assert_true(apmis_scope_admits(&s, &rec));
    rec.marking = IOM_MARKING_OFFICIAL_SENSITIVE;
    assert_false(apmis_scope_admits(&s, &rec));
    apmis_actor gw = {R(GATEWAY), IOM_AGENCY_ROCU, 20, 3, IOM_MARKING_OFFICIAL_SENSITIVE};
    s = apmis_read_scope_of(&gw);
    assert_int_equal(s.region_id, 3);
    assert_true(apmis_scope_admits(&s, &rec));
    apmis_actor cap = {R(SIA), IOM_AGENCY_CAPABILITY, 30, 0, IOM_MARKING_OFFICIAL_SENSITIVE};
    s = apmis_read_scope_of(&cap);
    assert_true(apmis_scope_admits(&s, &rec));
    apmis_actor mgr = {R(TOEX_MANAGER), IOM_AGENCY_CAPABILITY, 30, 0, IOM_MARKING_OFFICIAL};
    s = apmis_read_scope_of(&mgr);
    assert_true(s.all);
    assert_false(apmis_scope_admits(&s, &rec)); /* clearance still applies */
    /* apmis_may_read is the scope's answer, for each actor above. */
    const apmis_actor *actors[] = {&admin, &spoc, &gw, &cap, &mgr};
    for (size_t i = 0; i < 5; i++) {
        apmis_read_scope si = apmis_read_scope_of(actors[i]);
        assert_int_equal(apmis_may_read(actors[i], &rec), apmis_scope_admits(&si, &rec));
    }
}

/* Issue 12 point 4: working days skip weekends and the bank holidays given. */
static void test_working_days(void **state)
{
    (void)state;
#define D(y, m, d) iom_days_from_civil(y, m, d)
    const int64_t hol[] = {D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)};
    size_t nh = sizeof hol / sizeof hol[0];
    assert_int_equal(calendar_weekday(D(2026, 12, 2)), 2); /* a Wednesday */
    assert_int_equal(calendar_weekday(D(1970, 1, 1)), 3);
    assert_int_equal(calendar_weekday(D(1969, 12, 29)), 0);
    assert_false(calendar_is_working_day(D(2026, 12, 5), hol, nh)); /* Saturday */
    assert_false(calendar_is_working_day(D(2026, 12, 25), hol, nh));
    assert_true(calendar_is_working_day(D(2026, 12, 24), hol, nh));
    /* Friday before the Summer bank holiday, one working day: Tuesday. */
    assert_int_equal(calendar_add_working_days(D(2026, 8, 28), 1, hol, nh), D(2026, 9, 1));
    /* Ten working days from 16 December over Christmas and New Year: 4 January 2027. */
    assert_int_equal(calendar_add_working_days(D(2026, 12, 16), 10, hol, nh), D(2027, 1, 4));
    /* Christmas Eve, urgent: the 29th (25th, weekend and the substitute 28th skipped). */
    assert_int_equal(calendar_add_working_days(D(2026, 12, 24), 1, hol, nh), D(2026, 12, 29));
    /* Without holidays: only weekends. */
    assert_int_equal(calendar_add_working_days(D(2026, 12, 24), 1, NULL, 0), D(2026, 12, 25));
    assert_int_equal(calendar_add_working_days(D(2026, 12, 2), 0, hol, nh), D(2026, 12, 2));
#undef D
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_working_days),
        cmocka_unit_test(test_roles_per_agency_kind),
        cmocka_unit_test(test_team),
        cmocka_unit_test(test_team_roles_match_the_table),
        cmocka_unit_test(test_bid),
        cmocka_unit_test(test_tor_agreement),
        cmocka_unit_test(test_decide_gather),
        cmocka_unit_test(test_apmis_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
