/* domain/mopi.h: who records a MoPI review and when a review is valid (pure rules). */
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "domain/mopi.h"

#define R(x) IOM_ROLE_BIT(IOM_ROLE_##x)

static mopi_facts base(iom_roles roles, iom_tasking_rels rels)
{
    return (mopi_facts){.roles = roles, .rels = rels, .reason_given = true,
                        .next_date = "2027-06-01", .today = "2026-12-02",
                        .latest_next = "2032-12-02"};
}

static void who_reviews(void **state)
{
    (void)state;
    struct {
        iom_roles roles;
        iom_tasking_rels rels;
        iom_err want, live_dispose; /* retain; dispose while the tasking is live (review 84 M5) */
    } cases[] = {
        {R(TOEX_MANAGER), 0, IOM_OK, IOM_OK},                               /* any toex_manager */
        {R(SIA), IOM_REL_TASKING_SIA, IOM_OK, IOM_OK},                      /* the SIA who led it */
        {R(SIA), IOM_REL_ASSIGNED, IOM_EFORBIDDEN, IOM_EFORBIDDEN},         /* another SIA on the team */
        {R(SIO), IOM_REL_OWNING, IOM_OK, IOM_EFORBIDDEN},                   /* an SIO of the owner */
        {R(SIO), IOM_REL_OWNING | IOM_REL_THREAT_SIO, IOM_OK, IOM_OK},      /* the threat's SIO */
        {R(SIO), IOM_REL_REQUESTING, IOM_EFORBIDDEN, IOM_EFORBIDDEN},       /* the requester's SIO only */
        /* the threat's SIO at a force of a ROCU owner's region holds its risk for the owner
           (review 100 M3: refused before, while an SIO of the ROCU who held nothing could) */
        {R(SIO), IOM_REL_THREAT_SIO | IOM_REL_REQUESTING, IOM_OK, IOM_OK},
        {R(SIO), IOM_REL_THREAT_SIO, IOM_OK, IOM_OK},
        {R(SPOC), IOM_REL_THREAT_SIO, IOM_EFORBIDDEN, IOM_EFORBIDDEN},
        {R(SPOC), IOM_REL_OWNING, IOM_EFORBIDDEN, IOM_EFORBIDDEN},
        {R(ANALYST), IOM_REL_ASSIGNED, IOM_EFORBIDDEN, IOM_EFORBIDDEN},
        {R(AUDITOR), IOM_REL_ALL, IOM_EFORBIDDEN, IOM_EFORBIDDEN},          /* the auditor reads only */
        {R(ADMIN), IOM_REL_ALL, IOM_EFORBIDDEN, IOM_EFORBIDDEN},
        {R(TTCG), IOM_REL_OWNER_REGION, IOM_EFORBIDDEN, IOM_EFORBIDDEN},
        {R(AUDITOR) | R(SIO), IOM_REL_OWNING, IOM_OK, IOM_EFORBIDDEN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mopi_facts f = base(cases[i].roles, cases[i].rels);
        iom_error e = {0};
        iom_err got = mopi_review_check(MOPI_RETAIN, &f, &e);
        if (got != cases[i].want)
            fprintf(stderr, "case %zu: %d (%s)\n", i, got, e.msg);
        assert_int_equal(got, cases[i].want);
        f.next_date = NULL;
        assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), cases[i].live_dispose);
        f.tasking_ended = true; /* ended: every reviewer may dispose */
        assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), cases[i].want);
    }
}

static void what_is_valid(void **state)
{
    (void)state;
    iom_error e = {0};
    mopi_facts f = base(R(TOEX_MANAGER), 0);
    f.next_date = NULL;
    assert_int_equal(mopi_review_check(MOPI_RETAIN, &f, &e), IOM_EINVAL); /* retain needs a date */
    assert_non_null(strstr(e.msg, "next"));
    f.next_date = "2026-12-02";
    assert_int_equal(mopi_review_check(MOPI_RETAIN, &f, &e), IOM_EINVAL); /* not after today */
    f.next_date = "2032-12-02";
    assert_int_equal(mopi_review_check(MOPI_RETAIN, &f, &e), IOM_OK);     /* the last day allowed */
    f.next_date = "2032-12-03";
    assert_int_equal(mopi_review_check(MOPI_RETAIN, &f, &e), IOM_EINVAL); /* beyond one period */
    assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), IOM_EINVAL); /* dispose: no date */
    f.next_date = NULL;
    f.reason_given = false;
    assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), IOM_EINVAL);
    f.reason_given = true;
    /* The PND gate: pending on a live tasking cannot go; on an ended one it can. */
    f.pnd_pending = true;
    assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), IOM_ECONFLICT);
    f.tasking_ended = true;
    assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), IOM_OK);
    /* A disposed item takes no review at all, and the rule of who comes first. */
    f.disposed = true;
    assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), IOM_ECONFLICT);
    f.roles = R(AUDITOR);
    assert_int_equal(mopi_review_check(MOPI_DISPOSE, &f, &e), IOM_EFORBIDDEN);
    mopi_decision d;
    assert_int_equal(mopi_decision_parse("destroy", &d, &e), IOM_EINVAL);
    assert_int_equal(mopi_decision_parse("dispose", &d, &e), IOM_OK);
    assert_int_equal(d, MOPI_DISPOSE);
    assert_int_equal(mopi_decision_parse(NULL, &d, &e), IOM_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(who_reviews), cmocka_unit_test(what_is_valid)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
