/*
 * The tasking lifecycle (docs/domain.md §1) against tests/fixtures/transitions.csv, which
 * tests/fixtures/domain_transitions.py writes from the domain text without reading src/.
 * Every row: state x action x roles x relations x facts -> next state or error code; on error
 * the outputs must be untouched and the message must name the state and the action.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/lifecycle.h"

#define FIXTURE IOM_SOURCE_DIR "/tests/fixtures/transitions.csv"

/* The test's own vocabulary for the fixture's relation and fact words. */
static const struct {
    const char *word;
    unsigned bit;
} rel_words[] = {
    {"requesting", IOM_REL_REQUESTING},         {"owning", IOM_REL_OWNING},
    {"requesting_region", IOM_REL_REQUESTING_REGION}, {"owner_region", IOM_REL_OWNER_REGION},
    {"assigned", IOM_REL_ASSIGNED},             {"tasking_sia", IOM_REL_TASKING_SIA},
    {"threat_sio", IOM_REL_THREAT_SIO},
};

#define FACT(f) {#f, offsetof(lifecycle_facts, f)}
static const struct {
    const char *word;
    size_t off;
} fact_words[] = {
    FACT(reason_given),        FACT(threat_has_sio),       FACT(sia_given),
    FACT(sia_eligible),        FACT(tor_version_exists),   FACT(tor_both_agreed),
    FACT(tor_products_delivered), FACT(no_intel_pending),  FACT(assessment_signed),
    FACT(sio_agrees_transfer), FACT(transfer_accept),      FACT(new_owner_given),
    FACT(new_sio_given),       FACT(new_owner_can_own),    FACT(new_owner_differs),
    FACT(new_owner_in_region), FACT(new_sio_of_new_owner), FACT(transfer_agreement_open),
    FACT(bid_has_assessment),
};
#define N_FACTS (sizeof fact_words / sizeof fact_words[0])

static bool *fact_field(lifecycle_facts *f, const char *word)
{
    for (size_t i = 0; i < N_FACTS; i++)
        if (strcmp(fact_words[i].word, word) == 0)
            return (bool *)((char *)f + fact_words[i].off);
    fail_msg("unknown fact word '%s' in fixture", word);
    return NULL;
}

static unsigned parse_rels(char *spec)
{
    if (strcmp(spec, "none") == 0)
        return 0;
    if (strcmp(spec, "all") == 0)
        return IOM_REL_ALL;
    unsigned bits = 0;
    for (char *save = NULL, *w = strtok_r(spec, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
        size_t i = 0;
        while (i < sizeof rel_words / sizeof rel_words[0] && strcmp(rel_words[i].word, w) != 0)
            i++;
        if (i == sizeof rel_words / sizeof rel_words[0])
            fail_msg("unknown relation word '%s' in fixture", w);
        bits |= rel_words[i].bit;
    }
    return bits;
}

static void parse_facts(char *spec, lifecycle_facts *f)
{
    memset(f, 0, sizeof *f);
    bool value;
    const char *sep;
    if (strncmp(spec, "all", 3) == 0) {
        for (size_t i = 0; i < N_FACTS; i++)
            *(bool *)((char *)f + fact_words[i].off) = true;
        value = false, sep = "-", spec += 3;
    } else if (strncmp(spec, "none", 4) == 0) {
        value = true, sep = "+", spec += 4;
    } else {
        fail_msg("bad facts spec '%s'", spec);
        return;
    }
    for (char *save = NULL, *w = strtok_r(spec, sep, &save); w; w = strtok_r(NULL, sep, &save))
        *fact_field(f, w) = value;
}

static iom_roles parse_roles(char *spec)
{
    iom_roles roles = 0;
    for (char *save = NULL, *w = strtok_r(spec, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
        iom_role r;
        assert_int_equal(iom_role_parse(w, &r, NULL), IOM_OK);
        roles |= IOM_ROLE_BIT(r);
    }
    return roles;
}

static iom_err expect_code(const char *word)
{
    if (strcmp(word, "forbidden") == 0)
        return IOM_EFORBIDDEN;
    if (strcmp(word, "conflict") == 0)
        return IOM_ECONFLICT;
    if (strcmp(word, "invalid") == 0)
        return IOM_EINVAL;
    return IOM_OK;
}

static void test_fixture_every_row(void **state)
{
    (void)state;
    FILE *fp = fopen(FIXTURE, "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "state,action,roles,relations,facts,expect\n");
    int rows = 0, failures = 0;
    while (fgets(line, sizeof line, fp)) {
        rows++;
        char copy[512];
        snprintf(copy, sizeof copy, "%s", line);
        copy[strcspn(copy, "\n")] = '\0';
        char *f[6], *save = NULL;
        int n = 0;
        for (char *w = strtok_r(copy, ",", &save); w && n < 6; w = strtok_r(NULL, ",", &save))
            f[n++] = w;
        assert_int_equal(n, 6);
        char st_word[64], ac_word[64], exp_word[64];
        snprintf(st_word, sizeof st_word, "%s", f[0]);
        snprintf(ac_word, sizeof ac_word, "%s", f[1]);
        snprintf(exp_word, sizeof exp_word, "%s", f[5]);

        iom_tasking_state from, want_next = IOM_TS_COUNT;
        iom_tasking_action action;
        assert_int_equal(lifecycle_state_parse(f[0], &from, NULL), IOM_OK);
        assert_int_equal(lifecycle_action_parse(f[1], &action, NULL), IOM_OK);
        lifecycle_actor who = {.roles = parse_roles(f[2]), .rels = parse_rels(f[3])};
        lifecycle_facts facts;
        parse_facts(f[4], &facts);
        iom_err want = expect_code(exp_word);
        if (want == IOM_OK)
            assert_int_equal(lifecycle_state_parse(exp_word, &want_next, NULL), IOM_OK);

        /* Sentinels: on failure the outputs must be left exactly as they were. */
        iom_tasking_state next = IOM_TS_COUNT;
        iom_role role = IOM_ROLE_COUNT;
        iom_error err = {0};
        iom_err got = lifecycle_decide(&next, &role, from, action, &who, &facts, &err);
        bool ok = got == want;
        if (ok && want == IOM_OK)
            ok = next == want_next && role < IOM_ROLE_COUNT && iom_roles_has(who.roles, role) &&
                 err.code == IOM_OK && err.msg[0] == '\0';
        if (ok && want != IOM_OK) {
            char q_st[80], q_ac[80];
            snprintf(q_st, sizeof q_st, "'%s'", st_word);
            snprintf(q_ac, sizeof q_ac, "'%s'", ac_word);
            ok = next == IOM_TS_COUNT && role == IOM_ROLE_COUNT && err.code == want &&
                 strstr(err.msg, q_st) && strstr(err.msg, q_ac) && strstr(err.msg, "rule");
        }
        if (!ok) {
            failures++;
            print_error("row %d: %s -> got %s next=%s (%s)\n", rows + 1, line, iom_err_name(got),
                        lifecycle_state_name(next), err.msg);
        }
    }
    fclose(fp);
    print_message("transitions.csv: %d rows checked\n", rows);
    assert_true(rows > 12000);
    assert_int_equal(failures, 0);
}

/* Every state x action x role appears in the fixture (exhaustiveness of the fixture itself). */
static void test_fixture_is_exhaustive(void **state)
{
    (void)state;
    static unsigned char seen[IOM_TS_COUNT][IOM_TA_COUNT][IOM_ROLE_COUNT];
    memset(seen, 0, sizeof seen);
    FILE *fp = fopen(FIXTURE, "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    while (fgets(line, sizeof line, fp)) {
        char *save = NULL;
        char *st = strtok_r(line, ",", &save), *ac = strtok_r(NULL, ",", &save);
        char *ro = strtok_r(NULL, ",", &save);
        iom_tasking_state s;
        iom_tasking_action a;
        iom_role r;
        if (strchr(ro, '|'))
            continue;
        assert_int_equal(lifecycle_state_parse(st, &s, NULL), IOM_OK);
        assert_int_equal(lifecycle_action_parse(ac, &a, NULL), IOM_OK);
        assert_int_equal(iom_role_parse(ro, &r, NULL), IOM_OK);
        seen[s][a][r] = 1;
    }
    fclose(fp);
    for (int s = 0; s < IOM_TS_COUNT; s++)
        for (int a = 0; a < IOM_TA_COUNT; a++)
            for (int r = 0; r < IOM_ROLE_COUNT; r++)
                if (!seen[s][a][r])
                    fail_msg("fixture lacks %s x %s x %s", lifecycle_state_name(s),
                             lifecycle_action_name(a), iom_role_name(r));
}

static void test_names_round_trip(void **state)
{
    (void)state;
    static const char *const states[] = {
        "draft",      "submitted",      "returned",     "forwarded",          "accepted",
        "tor_agreed", "in_development", "reassessment", "transfer_requested", "escalated_ftt",
        "closed",     "rejected",       "declined",     "withdrawn"};
    static const char *const actions[] = {
        "submit",   "forward", "return",           "reject",   "accept",          "decline",
        "propose_tor", "agree_tor", "start",       "complete", "reassess",        "remain",
        "request_transfer", "escalate", "decide_transfer", "withdraw", "assign", "unassign",
        "contribute", "record_intel", "record_option", "record_product", "agree_transfer"};
    assert_int_equal(sizeof states / sizeof states[0], IOM_TS_COUNT);
    assert_int_equal(sizeof actions / sizeof actions[0], IOM_TA_COUNT);
    for (int i = 0; i < IOM_TS_COUNT; i++) {
        iom_tasking_state s;
        assert_string_equal(lifecycle_state_name((iom_tasking_state)i), states[i]);
        assert_int_equal(lifecycle_state_parse(states[i], &s, NULL), IOM_OK);
        assert_int_equal(s, i);
    }
    for (int i = 0; i < IOM_TA_COUNT; i++) {
        iom_tasking_action a;
        assert_string_equal(lifecycle_action_name((iom_tasking_action)i), actions[i]);
        assert_int_equal(lifecycle_action_parse(actions[i], &a, NULL), IOM_OK);
        assert_int_equal(a, i);
    }
    assert_string_equal(lifecycle_state_name(IOM_TS_COUNT), "?");
    assert_string_equal(lifecycle_action_name(IOM_TA_COUNT), "?");
    assert_string_equal(lifecycle_pre_name(IOM_PRE_COUNT), "?");
    for (int p = 0; p < IOM_PRE_COUNT; p++)
        assert_string_not_equal(lifecycle_pre_name((iom_lifecycle_pre)p), "?");
}

static void test_parse_refuses_unknown(void **state)
{
    (void)state;
    iom_tasking_state s = IOM_TS_DRAFT;
    iom_tasking_action a = IOM_TA_SUBMIT;
    iom_error e = {0};
    assert_int_equal(lifecycle_state_parse("Draft", &s, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "state: 'Draft' is not one of: draft, submitted"));
    assert_int_equal(s, IOM_TS_DRAFT);
    assert_int_equal(lifecycle_state_parse(NULL, &s, &e), IOM_EINVAL);
    assert_int_equal(lifecycle_state_parse("", &s, &e), IOM_EINVAL);
    assert_int_equal(lifecycle_action_parse("approve", &a, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "action: 'approve'"));
    assert_non_null(strstr(e.msg, "decide_transfer"));
    assert_int_equal(lifecycle_action_parse("submit ", &a, &e), IOM_EINVAL);
    assert_int_equal(a, IOM_TA_SUBMIT);
}

static void test_ended_states(void **state)
{
    (void)state;
    for (int s = 0; s < IOM_TS_COUNT; s++) {
        bool ended = s == IOM_TS_CLOSED || s == IOM_TS_REJECTED || s == IOM_TS_DECLINED ||
                     s == IOM_TS_WITHDRAWN;
        assert_int_equal(lifecycle_state_ended((iom_tasking_state)s), ended);
    }
    lifecycle_actor all = {.roles = (1u << IOM_ROLE_COUNT) - 1, .rels = IOM_REL_ALL};
    iom_error e = {0};
    iom_tasking_state next;
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_CLOSED, IOM_TA_WITHDRAW, &all, NULL, &e),
                     IOM_ECONFLICT);
    assert_non_null(strstr(e.msg, "ended taskings"));
    assert_int_equal(lifecycle_allowed_actions(IOM_TS_DECLINED, &all), 0);
}

/* Messages name state, action and rule in words a person can act on. */
static void test_messages(void **state)
{
    (void)state;
    iom_error e = {0};
    iom_tasking_state next;
    lifecycle_actor spoc = {IOM_ROLE_BIT(IOM_ROLE_SPOC), IOM_REL_REQUESTING};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_DRAFT, IOM_TA_FORWARD, &spoc, NULL, &e),
                     IOM_ECONFLICT);
    assert_string_equal(e.msg, "action 'forward' in state 'draft': not allowed in this state; "
                               "rule: 'forward' is allowed only from: submitted");
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_SUBMITTED, IOM_TA_FORWARD, &spoc, NULL,
                                      &e), IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "actor roles: spoc"));
    assert_non_null(strstr(e.msg, "only gateway (the requesting agency's region) may forward"));
    lifecycle_actor gw = {IOM_ROLE_BIT(IOM_ROLE_GATEWAY), IOM_REL_OWNER_REGION};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_SUBMITTED, IOM_TA_REJECT, &gw, NULL, &e),
                     IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "not its relation"));
    gw.rels = IOM_REL_REQUESTING_REGION;
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_SUBMITTED, IOM_TA_REJECT, &gw, NULL, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "reason missing"));
    lifecycle_facts f = {.tor_products_delivered = true};
    lifecycle_actor sia = {IOM_ROLE_BIT(IOM_ROLE_SIA), IOM_REL_TASKING_SIA};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_IN_DEVELOPMENT, IOM_TA_COMPLETE, &sia,
                                      &f, &e), IOM_ECONFLICT);
    assert_non_null(strstr(e.msg, "pending on PND"));
    /* withdraw lists every open state */
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_CLOSED, IOM_TA_START, &sia, NULL, &e),
                     IOM_ECONFLICT);
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_DRAFT, IOM_TA_START, &sia, NULL, &e),
                     IOM_ECONFLICT);
    assert_non_null(strstr(e.msg, "only from: tor_agreed"));
    /* out-of-range inputs */
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_COUNT, IOM_TA_START, &sia, NULL, &e),
                     IOM_EINVAL);
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_DRAFT, IOM_TA_COUNT, &sia, NULL, &e),
                     IOM_EINVAL);
    /* review 113 M2: a bid is submitted with its assessment (a draft may lack it), and the
       refusal names what is missing */
    lifecycle_facts nb = {.threat_has_sio = true};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_DRAFT, IOM_TA_SUBMIT, &spoc, &nb, &e),
                     IOM_ECONFLICT);
    assert_string_equal(e.msg, "action 'submit' in state 'draft': the bid carries no threat assessment; "
                               "rule: a bid is submitted with its assessment (harm, scale, likelihood, "
                               "confidence, the owner's capacity and capability: domain.md section 7); "
                               "add it with tasking edit (its assessment)");
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_RETURNED, IOM_TA_SUBMIT, &spoc, &nb, &e),
                     IOM_ECONFLICT);
    nb.bid_has_assessment = true;
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_DRAFT, IOM_TA_SUBMIT, &spoc, &nb, &e), IOM_OK);
    assert_int_equal(next, IOM_TS_SUBMITTED);
    /* review 113 L8: a role granted whatever the relation is named as the body it is */
    lifecycle_actor ttcg = {IOM_ROLE_BIT(IOM_ROLE_TTCG), IOM_REL_ALL};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_ESCALATED_FTT, IOM_TA_DECIDE_TRANSFER, &ttcg,
                                      NULL, &e), IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "rule: only the Federated Tasking Team (ftt) may decide_transfer"));
    assert_null(strstr(e.msg, "any tasking"));
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_FORWARDED, IOM_TA_ACCEPT, &ttcg, NULL, &e),
                     IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "rule: only a TOEX manager (toex_manager) may accept"));
    /* NULL actor is nobody */
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_DRAFT, IOM_TA_SUBMIT, NULL, NULL, &e),
                     IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "actor roles: none"));
}

/* The role reported for the audit is the granting one. */
static void test_granting_role(void **state)
{
    (void)state;
    lifecycle_actor who = {IOM_ROLE_BIT(IOM_ROLE_SIA) | IOM_ROLE_BIT(IOM_ROLE_ANALYST),
                           IOM_REL_ASSIGNED};
    iom_tasking_state next;
    iom_role role = IOM_ROLE_COUNT;
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_REASSESSMENT, IOM_TA_CONTRIBUTE, &who,
                                      NULL, NULL), IOM_OK);
    assert_int_equal(role, IOM_ROLE_SIA);
    who.roles = IOM_ROLE_BIT(IOM_ROLE_SIO) | IOM_ROLE_BIT(IOM_ROLE_SPOC);
    who.rels = IOM_REL_REQUESTING;
    lifecycle_facts f = {.reason_given = true};
    assert_int_equal(lifecycle_decide(&next, &role, IOM_TS_ACCEPTED, IOM_TA_WITHDRAW, &who, &f,
                                      NULL), IOM_OK);
    assert_int_equal(role, IOM_ROLE_SPOC);
    assert_int_equal(next, IOM_TS_WITHDRAWN);
}

/* agree_tor in accepted: the first agreement stays, the second (same version) moves on. */
static void test_tor_agreement_sequence(void **state)
{
    (void)state;
    lifecycle_actor sia = {IOM_ROLE_BIT(IOM_ROLE_SIA), IOM_REL_TASKING_SIA};
    lifecycle_actor sio = {IOM_ROLE_BIT(IOM_ROLE_SIO), IOM_REL_THREAT_SIO | IOM_REL_OWNING};
    lifecycle_facts f = {.tor_version_exists = true};
    iom_tasking_state next;
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sia, &f,
                                      NULL), IOM_OK);
    assert_int_equal(next, IOM_TS_ACCEPTED);
    f.tor_both_agreed = true;
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sio, &f,
                                      NULL), IOM_OK);
    assert_int_equal(next, IOM_TS_TOR_AGREED);
}

/* The table: one row per (state, action), none from an ended state, every grant a real role,
 * and lifecycle_allowed_actions agrees with lifecycle_decide on role and relation. */
static void test_table_shape_and_hints(void **state)
{
    (void)state;
    size_t n = 0;
    const lifecycle_rule *r = lifecycle_rules(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_false(lifecycle_state_ended(r[i].from));
        assert_true(r[i].n_grants >= 1 && r[i].n_grants <= LIFECYCLE_MAX_GRANTS);
        for (size_t j = i + 1; j < n; j++)
            assert_false(r[i].from == r[j].from && r[i].action == r[j].action);
    }
    static const lifecycle_facts all_facts = {
        true, true, true, true, true, true, true, true, true,
        true, true, true, true, true, true, true, true, .transfer_agreement_open = true,
        .bid_has_assessment = true};
    for (int s = 0; s < IOM_TS_COUNT; s++)
        for (int ro = 0; ro < IOM_ROLE_COUNT; ro++)
            for (unsigned rels = 0; rels <= IOM_REL_ALL; rels++) {
                lifecycle_actor who = {IOM_ROLE_BIT(ro), rels};
                unsigned hint = lifecycle_allowed_actions((iom_tasking_state)s, &who);
                for (int a = 0; a < IOM_TA_COUNT; a++) {
                    iom_tasking_state next;
                    iom_err rc = lifecycle_decide(&next, NULL, (iom_tasking_state)s,
                                                  (iom_tasking_action)a, &who, &all_facts, NULL);
                    assert_int_equal((hint >> a) & 1u, rc == IOM_OK);
                }
            }
}

/* lifecycle_action_open agrees with lifecycle_decide given the command's own inputs (a
 * reason, an eligible SIA, the latest ToR version, a decline): for every state, role,
 * relation and action, under state facts that allow everything and under facts that allow
 * nothing (each state fact false, each side's ToR agreement made). */
static void test_action_open_is_decide_with_inputs(void **state)
{
    (void)state;
    lifecycle_facts open_facts = {
        .threat_has_sio = true, .tor_version_exists = true, .tor_products_delivered = true,
        .no_intel_pending = true, .assessment_signed = true, .sio_agrees_transfer = true,
        .transfer_agreement_open = true, .bid_has_assessment = true,
        .tor_latest_version = 2};
    lifecycle_facts shut_facts = {.tor_version_exists = true, .tor_latest_version = 2,
                                  .tor_sia_agreed = true, .tor_sio_agreed = true};
    const lifecycle_facts *cases[] = {&open_facts, &shut_facts};
    unsigned opened = 0, shut = 0;
    for (size_t k = 0; k < 2; k++)
        for (int s = 0; s < IOM_TS_COUNT; s++)
            for (int ro = 0; ro < IOM_ROLE_COUNT; ro++)
                for (unsigned rels = 0; rels <= IOM_REL_ALL; rels++) {
                    lifecycle_actor who = {IOM_ROLE_BIT(ro), rels};
                    unsigned hint = lifecycle_allowed_actions((iom_tasking_state)s, &who);
                    for (int a = 0; a < IOM_TA_COUNT; a++) {
                        lifecycle_facts f = *cases[k];
                        f.reason_given = f.sia_given = f.sia_eligible = true;
                        iom_tasking_state next;
                        bool ok = lifecycle_decide(&next, NULL, (iom_tasking_state)s,
                                                   (iom_tasking_action)a, &who, &f,
                                                   NULL) == IOM_OK;
                        bool open = lifecycle_action_open((iom_tasking_state)s,
                                                          (iom_tasking_action)a, &who, cases[k]);
                        assert_int_equal(open, ok);
                        if (open)
                            assert_true((hint >> a) & 1u); /* never more than role and relation */
                        if ((hint >> a) & 1u)
                            (*(open ? &opened : &shut))++;
                    }
                }
    assert_true(opened > 0);
    assert_true(shut > 0); /* some actions the role allows are shut by the facts */
    /* Facts NULL: all false. submit needs the threat's SIO. */
    lifecycle_actor spoc = {IOM_ROLE_BIT(IOM_ROLE_SPOC), IOM_REL_REQUESTING};
    assert_false(lifecycle_action_open(IOM_TS_DRAFT, IOM_TA_SUBMIT, &spoc, NULL));
    assert_true(lifecycle_action_open(IOM_TS_DRAFT, IOM_TA_WITHDRAW, &spoc, NULL));
    lifecycle_facts sio = {.threat_has_sio = true};
    assert_false(lifecycle_action_open(IOM_TS_DRAFT, IOM_TA_SUBMIT, &spoc, &sio)); /* no assessment */
    sio.bid_has_assessment = true;
    assert_true(lifecycle_action_open(IOM_TS_DRAFT, IOM_TA_SUBMIT, &spoc, &sio));
}

/* Review 84 M6: who sets a tactical option's status, in which states (domain.md §8). */
static void test_option_status_may(void **state)
{
    (void)state;
    iom_role role = IOM_ROLE_COUNT;
    iom_error e = {0};
    lifecycle_actor analyst = {IOM_ROLE_BIT(IOM_ROLE_ANALYST), IOM_REL_ASSIGNED};
    lifecycle_actor sia = {IOM_ROLE_BIT(IOM_ROLE_SIA), IOM_REL_TASKING_SIA};
    lifecycle_actor sio = {IOM_ROLE_BIT(IOM_ROLE_SIO), IOM_REL_THREAT_SIO | IOM_REL_OWNING};
    lifecycle_actor owner_sio = {IOM_ROLE_BIT(IOM_ROLE_SIO), IOM_REL_OWNING};
    lifecycle_actor spoc = {IOM_ROLE_BIT(IOM_ROLE_SPOC), IOM_REL_REQUESTING};
    lifecycle_actor customer = {IOM_ROLE_BIT(IOM_ROLE_CUSTOMER), IOM_REL_REQUESTING};
    lifecycle_actor gateway = {IOM_ROLE_BIT(IOM_ROLE_GATEWAY), IOM_REL_REQUESTING_REGION};
    /* the team and the SIA while the work is open, not after */
    assert_int_equal(lifecycle_option_status_may(IOM_TS_IN_DEVELOPMENT, &analyst, false, &role, &e), IOM_OK);
    assert_int_equal(role, IOM_ROLE_ANALYST);
    assert_int_equal(lifecycle_option_status_may(IOM_TS_REASSESSMENT, &sia, false, &role, &e), IOM_OK);
    assert_int_equal(lifecycle_option_status_may(IOM_TS_CLOSED, &sia, false, &role, &e), IOM_ECONFLICT);
    assert_non_null(strstr(e.msg, "has ended"));
    assert_int_equal(lifecycle_option_status_may(IOM_TS_TRANSFER_REQUESTED, &analyst, false, &role, &e),
                     IOM_ECONFLICT);
    /* the threat's SIO, in any state, the ended ones too */
    iom_tasking_state states[] = {IOM_TS_IN_DEVELOPMENT, IOM_TS_TRANSFER_REQUESTED, IOM_TS_CLOSED,
                                  IOM_TS_WITHDRAWN};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        role = IOM_ROLE_COUNT;
        assert_int_equal(lifecycle_option_status_may(states[i], &sio, false, &role, &e), IOM_OK);
        assert_int_equal(role, IOM_ROLE_SIO);
        /* the spoc and sio of the option's agency */
        assert_int_equal(lifecycle_option_status_may(states[i], &spoc, true, &role, &e), IOM_OK);
        assert_int_equal(role, IOM_ROLE_SPOC);
        assert_int_equal(lifecycle_option_status_may(states[i], &owner_sio, true, &role, &e), IOM_OK);
        /* not of the option's agency, not the threat's SIO, or another role of its agency */
        assert_int_equal(lifecycle_option_status_may(states[i], &spoc, false, &role, &e), IOM_EFORBIDDEN);
        assert_non_null(strstr(e.msg, "option's agency"));
        assert_int_equal(lifecycle_option_status_may(states[i], &owner_sio, false, &role, &e), IOM_EFORBIDDEN);
        assert_int_equal(lifecycle_option_status_may(states[i], &customer, true, &role, &e), IOM_EFORBIDDEN);
        assert_int_equal(lifecycle_option_status_may(states[i], &gateway, true, &role, &e), IOM_EFORBIDDEN);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_every_row),
        cmocka_unit_test(test_fixture_is_exhaustive),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_parse_refuses_unknown),
        cmocka_unit_test(test_ended_states),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_granting_role),
        cmocka_unit_test(test_tor_agreement_sequence),
        cmocka_unit_test(test_table_shape_and_hints),
        cmocka_unit_test(test_action_open_is_decide_with_inputs),
        cmocka_unit_test(test_option_status_may),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
