/*
 * `iom conflate` engine and command: CSV quirks, bad inputs (each a clear error or a counted
 * skip), constraints (must/cannot link, contradictions), modes, and the CLI entry point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "testutil.h"

#include "conflate/compare.h"
#include "conflate/conflate.h"
#include "cli/cmd_conflate.h"
#include "conflate/csvin.h"

static char dir[64];

static const char *path(const char *name)
{
    static char p[8][256];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(path(name), "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "/tmp/iom-conflate-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* People: two records of Robert Smith (one as Bob, swapped dob day/month), two of Margaret
 * Jones, one Alan Brown. */
static const char *people =
    "id,first_name,surname,dob,postcode,phone\n"
    "1,Robert,Smith,1980-04-03,SW1A 1AA,07700 900123\n"
    "2,Bob,Smith,03/04/1980,sw1a1aa,+44 7700 900123\n"
    "3,Margaret,Jones,12 Mar 1975,M1 1AE,07700 900456\n"
    "4,Peggy,Jones,1975-03-12,M1 1AE,\n"
    "5,Alan,Brown,1990-01-01,B33 8TH,07700 900789\n";

typedef struct msgs {
    int warnings, notes, debug;
} msgs;

static void on_message(void *ud, conflate_msg_kind kind, const char *text)
{
    msgs *m = ud;
    assert_non_null(text);
    assert_null(strchr(text, '\n')); /* one line each, the caller adds the newline */
    if (kind == CONFLATE_MSG_WARNING)
        m->warnings++;
    else if (kind == CONFLATE_MSG_NOTE)
        m->notes++;
    else
        m->debug++;
}

static conflate_engine *engine(conflate_mode mode, conflate_on_error oe)
{
    conflate_options o;
    conflate_options_default(&o);
    o.mode = mode;
    o.on_error = oe;
    o.threads = 2;
    conflate_engine *eng;
    assert_int_equal(conflate_new(&eng, &o, NULL), IOM_OK);
    return eng;
}

/* An engine run over one input's text (link and dedupe, stop on error). */
static conflate_engine *run_text(const char *name, const char *text)
{
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, name, text, strlen(text), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    return eng;
}

/* The level of feature f in the candidate pair (a, b), a < b; fails when it is no candidate. */
static unsigned pair_level(const conflate_engine *eng, uint32_t a, uint32_t b, size_t f)
{
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t x, y;
        unsigned lv[16];
        conflate_pair_get(eng, i, &x, &y, lv);
        if (x == a && y == b)
            return lv[f];
    }
    fail_msg("(%u, %u) is not a candidate pair", a, b);
    return 0;
}

static void test_small_dedupe(void **st)
{
    (void)st;
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_int_equal(conflate_record_count(eng), 5);
    assert_int_equal(conflate_feature_count(eng), 5); /* first, surname, dob, postcode, phone */
    assert_string_equal(conflate_id_column(eng), "id");
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 2), conflate_record_cluster(eng, 3));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    assert_int_not_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 0));
    assert_int_equal(conflate_find_record(eng, "p.csv", "4"), 3);
    assert_int_equal(conflate_find_record(eng, "p.csv", "9"), -1);
    /* outputs */
    assert_int_equal(conflate_write_clusters(eng, path("c.csv"), &e), IOM_OK);
    assert_int_equal(conflate_write_pairs(eng, path("pairs.csv"), &e), IOM_OK);
    FILE *f = fopen(path("c.csv"), "r");
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "input,record_id,cluster_id\n");
    int rows = 0;
    while (fgets(line, sizeof line, f))
        rows++;
    fclose(f);
    assert_int_equal(rows, 5);
    FILE *x = fopen(path("x.txt"), "w");
    conflate_explain_pair(eng, 0, 1, x);
    conflate_explain_cluster(eng, 0, x);
    conflate_explain_model(eng, x);
    fclose(x);
    conflate_free(eng);
}

/* Swapped first name and surname: seen from both sides, both name fields are "swapped"; seen
 * from one side only (a name missing), it cannot be told from a coincidence ("Thomas" is a
 * first name and a surname): both name fields are missing, neither evidence for nor against. */
static void test_swapped_names(void **st)
{
    (void)st;
    const char *t = "id,first_name,surname,dob\n"
                    "1,John,Thomas,1980-04-03\n"
                    "2,Thomas,John,1980-04-03\n" /* swapped: both sides fit */
                    "3,Thomas,,1962-11-20\n"      /* fits record 1 from one side only */
                    "4,Jon,Thomas,1980-04-03\n";  /* first name close: no swap looked for */
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "s.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_string_equal(conflate_feature_role(eng, 0), "first_name");
    assert_string_equal(conflate_feature_role(eng, 1), "surname");
    int seen = 0;
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t a, b;
        unsigned lv[8];
        conflate_pair_get(eng, i, &a, &b, lv);
        if (a == 0 && b == 1) {
            assert_int_equal(lv[0], 3);
            assert_int_equal(lv[1], 3);
            seen |= 1;
        } else if (a == 0 && b == 2) {
            assert_int_equal(lv[0], CONFLATE_LEVEL_MISSING);
            assert_int_equal(lv[1], CONFLATE_LEVEL_MISSING);
            seen |= 2;
        } else if (a == 0 && b == 3) {
            assert_true(lv[0] >= 1 && lv[0] != 3);
            assert_int_equal(lv[1], 4);
            seen |= 4;
        }
    }
    assert_int_equal(seen, 7);
    conflate_free(eng);
}

/* A first name that is the other record's middle name (review 61): a person known by the
 * middle name ("Mohammed Imran Khan", called Imran) is "similar" on the first name, not
 * different; names exchanged whole (Vietnamese family, middle, given names read in another
 * order: first Van, middle Minh against first Minh, middle Van) also agree on the middle name;
 * unlike names with no such crossing stay different. */
static void test_middle_name_crossing(void **st)
{
    (void)st;
    const char *t = "id,first_name,middle_name,surname,dob\n"
                    "1,Mohammed,Imran,Khan,1990-03-04\n"
                    "2,Imran,,Khan,1990-03-04\n"     /* called by the middle name */
                    "3,Minh,Van,Nguyen,1985-06-07\n"
                    "4,Van,Minh,Nguyen,1985-06-07\n" /* exchanged whole */
                    "5,Tariq,,Khan,1990-03-04\n";    /* neither crosses: different */
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "m.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_string_equal(conflate_feature_role(eng, 0), "first_name");
    assert_string_equal(conflate_feature_role(eng, 1), "middle_name");
    int seen = 0;
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t a, b;
        unsigned lv[8];
        conflate_pair_get(eng, i, &a, &b, lv);
        if (a == 0 && b == 1) {
            assert_int_equal(lv[0], 1); /* similar: one name crossing */
            assert_int_equal(lv[1], CONFLATE_LEVEL_MISSING);
            seen |= 1;
        } else if (a == 2 && b == 3) {
            assert_int_equal(lv[0], 2);
            assert_int_equal(lv[1], 3); /* the middle name exact */
            seen |= 2;
        } else if ((a == 0 && b == 4) || (a == 1 && b == 4)) {
            assert_true(lv[0] < 2);
            seen |= 4;
        }
    }
    assert_int_equal(seen, 7);
    conflate_free(eng);
}

/* A PNC id agreed exactly decides a pair (review 67): an alias (another name and date of
 * birth under the person's one PNC id, as the PNC records it) is the same person; a PNC id
 * given to many records is not taken so. */
static void test_personal_identifier_decides(void **st)
{
    (void)st;
    const char *t = "id,first_name,surname,dob,pnc_id\n"
                    "1,Joshua,Robinson,1969-04-08,23/300138M\n"
                    "2,Paul,Davies,1971-04-08,23/300138M\n"   /* an alias: same PNC id */
                    "3,Joshua,Robinson,1969-04-08,23/300138M\n"
                    "4,Mary,Jones,1980-01-01,11/111111A\n";
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    conflate_free(eng);
    /* ... but not between records a generation apart: a child's record under the mother's NHS
       number (review 124) is not the mother's alias */
    const char *u = "id,first_name,surname,dob,nhs_number\n"
                    "1,Joanne,Edwards,1993-01-03,7820873647\n"
                    "2,Lily,Edwards,2020-11-27,7820873647\n"
                    "3,Joanne,Edwards,1993-01-03,7820873647\n"
                    "4,Lily,Edwards,2020-11-27,4857773456\n";
    eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "n.csv", u, strlen(u), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 1), conflate_record_cluster(eng, 3));
    conflate_free(eng);
}

/* A change of name by deed poll: the person's records under the old name and under the new
 * are two groups whose names disagree throughout, and one PNC id ties them. The id explains the
 * names, so the cluster guard weighs the pairs between the groups without them: one cluster
 * (review 126: such groups stayed two clusters, 0.989 F1 on its deed-poll shape). A record of
 * another date of birth and other names, without the id, is still kept out. */
static void test_deed_poll_identifier(void **st)
{
    (void)st;
    const char *t = "id,first_name,surname,dob,pnc_id,address,postcode\n"
                    "1,Gary,Payne,1966-10-16,17/296343V,83 Green Street,S10 4TD\n"
                    "2,Gary,Payne,1966-10-16,,166 Mile End Road,RG5 5PD\n"
                    "3,Garry,Payne,1966-10-16,,166 Mile End Road,RG5 5PD\n"
                    "4,Daniel,Davies,1966-10-16,2017/296343V,12 Hope Street,LS2 7AB\n"
                    "5,Daniel,Davies,1966-10-16,,12 Hope Street,LS2 7AB\n"
                    "6,Daniel,Davies,1966-10-16,,9 Mill Road,LS4 2CD\n"
                    "7,Paul,Davies,1981-05-02,,12 Hope Street,LS2 7AB\n"
                    "8,Mary,Jones,1980-01-01,11/111111A,1 High Street,M1 1AA\n"
                    "9,Mary,Jones,1980-01-01,,1 High Street,M1 1AA\n";
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "d.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    for (size_t i = 1; i < 6; i++)
        assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, i));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 6));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 7));
    assert_int_equal(conflate_record_cluster(eng, 7), conflate_record_cluster(eng, 8));
    conflate_free(eng);
}

/* A whole name of one word is a first name when the other inputs hold it as one and never as
 * a surname ("ANDRZEJ" in an intelligence log), and is compared so (review 67: it was compared
 * with nothing); a word both or neither stays whole. */
static conflate_engine *run_two(const char *a, const char *b);

/* A whole name whose words a no-break space (or another Unicode space) separates is split as
 * one whose words a space separates (review 105 M: "Emma<NBSP>Adams" was kept whole, and
 * against first-name and surname columns both names were missing: p 0.18). */
static void test_whole_name_unicode_spaces(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n1,Emma,Adams,01/12/1990\n2,Lee,Park,02/03/1991\n"
                    "3,Ann,Ward,05/06/1970\n";
    const char *b = "id,full_name,dob\nB1,Emma\xc2\xa0" "Adams,01/12/1990\nB2,Lee\xe2\x80\xaf" "Park,02/03/1991\n"
                    "B3,Ann\xe3\x80\x80" "Ward,05/06/1970\n";
    conflate_engine *eng = run_two(a, b);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(conflate_record_cluster(eng, i), conflate_record_cluster(eng, 3 + i));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
}

/* A record of a child not yet born or named ("Unborn", "Baby of Kelly") has no first name: the
 * placeholder is missing, not a name that differs from the child's (review 105: such pairs were
 * missed). */
static void test_unborn_first_name(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,address,postcode\n"
                    "m1,Unborn,Hartley,2024-05-01,14 Mill Lane,LS6 2QT\n"
                    "m2,Baby of Kelly,Ormerod,2024-06-02,3 Rose Street,BD7 1AB\n"
                    "m3,Amy,Castle,1990-02-03,9 Holly Road,HX1 2CD\n";
    const char *b = "id,first_name,surname,dob,address,postcode\n"
                    "c1,Oliver,Hartley,2024-05-01,14 Mill Lane,LS6 2QT\n"
                    "c2,Isla,Ormerod,2024-06-02,3 Rose Street,BD7 1AB\n"
                    "c3,Amy,Castle,1990-02-03,9 Holly Road,HX1 2CD\n";
    conflate_engine *eng = run_two(a, b);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(conflate_record_cluster(eng, i), conflate_record_cluster(eng, 3 + i));
    /* the pairs of the placeholder's records compare their first names as missing, the others
       as names */
    size_t F = 0;
    while (strcmp(conflate_feature_role(eng, F), "first_name"))
        F++;
    unsigned lv[CONFLATE_MAX_FEATURES];
    int seen = 0;
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t x, y;
        conflate_pair_get(eng, i, &x, &y, lv);
        if ((x == 0 && y == 3) || (x == 1 && y == 4))
            seen++, assert_int_equal(lv[F], CONFLATE_LEVEL_MISSING);
        if (x == 2 && y == 5)
            seen++, assert_int_not_equal(lv[F], CONFLATE_LEVEL_MISSING);
    }
    assert_int_equal(seen, 3);
    assert_int_equal(conflate_value_is_placeholder("first_name", "Baby Girl", 9), 1);
    assert_int_equal(conflate_value_is_placeholder("first_name", "Twin 1", 6), 0);
    /* a phone company's names for an unregistered number, and names written for no one
       (review 136); a name with such a word and a real one is a name */
    static const char *const none[] = {"N/A", "NOT REGISTERED", "UNREGISTERED PREPAY", "PAYG CUSTOMER",
                                       "Prepaid Subscriber", "MICKEY MOUSE", "Joe Bloggs", "A USER"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++)
        assert_int_equal(conflate_value_is_placeholder("full_name", none[i], strlen(none[i])), 1);
    assert_int_equal(conflate_value_is_placeholder("full_name", "MARK CUSTOMER", 13), 0);
    assert_int_equal(conflate_value_is_placeholder("full_name", "MOUSE/MICKEY", 12), 1);
    assert_int_equal(conflate_value_is_placeholder("full_name", "SMITH/JOHN", 10), 0);
    /* a kunya is no placeholder since stop 60: it says nothing against another form of name,
       and is compared with another kunya (test_kunya_first_name); "Abu Taher" is a Bangladeshi
       given name */
    assert_int_equal(conflate_value_is_placeholder("first_name", "Abu Omar", 8), 0);
    assert_int_equal(conflate_value_is_placeholder("first_name", "UMM YOUSEF", 10), 0);
    assert_int_equal(conflate_value_is_placeholder("first_name", "Abu-Khaled", 10), 0);
    assert_int_equal(conflate_value_is_placeholder("first_name", "Abu Bakr", 8), 0);
    assert_int_equal(conflate_value_is_placeholder("first_name", "Abu", 3), 0);
    assert_int_equal(conflate_value_is_placeholder("first_name", "Omar", 4), 0);
    assert_int_equal(conflate_value_is_placeholder("first_name", "Om Prakash", 10), 0);
    /* no home, as release, custody and outreach records write it (review 124), and a town after
       it; an address with a number is a place */
    assert_int_equal(conflate_value_is_placeholder("address", "No Fixed Abode", 14), 1);
    assert_int_equal(conflate_value_is_placeholder("address", "No fixed address", 16), 1);
    assert_int_equal(conflate_value_is_placeholder("address", "Street Homeless", 15), 1);
    assert_int_equal(conflate_value_is_placeholder("address", "NFA - Leeds", 11), 1);
    assert_int_equal(conflate_value_is_placeholder("address", "Homeless Hostel, 12 York Road", 29), 0);
    assert_int_equal(conflate_value_is_placeholder("address", "12 Homeless Lane", 16), 0);
    /* an address kept from a safeguarding file, or an agency's in whose care (review 126) */
    assert_int_equal(conflate_value_is_placeholder("address", "REFUGE - CONFIDENTIAL", 21), 1);
    assert_int_equal(conflate_value_is_placeholder("address", "Address withheld", 16), 1);
    assert_int_equal(conflate_value_is_placeholder("address", "c/o IDVA Service, 1 Civic Centre", 32), 1);
    assert_int_equal(conflate_value_is_placeholder("address", "12 Refuge Street", 16), 0);
    assert_int_equal(conflate_value_is_placeholder("surname", "Abu Omar", 8), 0);
    assert_int_equal(conflate_value_is_placeholder("surname", "Baby", 4), 0);
    conflate_free(eng);
}

static void test_one_word_name(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,phone\n1,Andrzej,Nowak,07700 900111\n2,Marta,Nowak,07700 900222\n"
                    "3,Piotr,Lis,07700 900333\n";
    const char *b = "id,name,phone\nI1,ANDRZEJ,07700 900111\nI2,NOWAK,07700 900222\n";
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "a.csv", a, strlen(a), NULL, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    int F = -1, S = -1;
    for (size_t f = 0; f < conflate_feature_count(eng); f++) {
        if (!strcmp(conflate_feature_role(eng, f), "first_name"))
            F = (int)f;
        if (!strcmp(conflate_feature_role(eng, f), "surname"))
            S = (int)f;
    }
    assert_true(F >= 0 && S >= 0);
    int seen = 0;
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t x, y;
        unsigned lv[8];
        conflate_pair_get(eng, i, &x, &y, lv);
        if (x == 0 && y == 3) { /* Andrzej Nowak ~ ANDRZEJ: the first names agree */
            assert_int_equal(lv[F], 4);
            assert_int_equal(lv[S], CONFLATE_LEVEL_MISSING);
            seen |= 1;
        } else if (x == 1 && y == 4) { /* Marta Nowak ~ NOWAK: the surnames agree */
            assert_int_equal(lv[S], 4);
            assert_int_equal(lv[F], CONFLATE_LEVEL_MISSING);
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
    conflate_free(eng);
}

/* The feature of role `role`; fails when the run has none. */
static size_t role_feature(const conflate_engine *eng, const char *role)
{
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        if (!strcmp(conflate_feature_role(eng, f), role))
            return f;
    fail_msg("no feature of role %s", role);
    return 0;
}

/* Inputs a.csv and b.csv (texts a and b) linked and deduplicated at the defaults. */
static conflate_engine *run_two(const char *a, const char *b)
{
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "a.csv", a, strlen(a), NULL, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    return eng;
}

/* The probability of candidate pair (a, b), a < b; fails when it is no candidate. */
static double pair_prob(const conflate_engine *eng, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t x, y;
        unsigned lv[16];
        double p = conflate_pair_get(eng, i, &x, &y, lv);
        if (x == a && y == b)
            return p;
    }
    fail_msg("(%u, %u) is not a candidate pair", a, b);
    return 0;
}

/* A first name and a year of birth, the surname missing on one side (review 78 H2): the year
 * says less where many records of that first name were born that year. Michael and Oliver are
 * six records each (one term frequency), but four other Michaels were born in 1970 and no
 * other Oliver: Michael's pair weighs less than Oliver's (the same before the year's
 * namesake density). */
static void test_year_namesake_density(void **st)
{
    (void)st;
    conflate_engine *eng = run_text("a.csv", "id,first_name,surname,dob\n"
                                              "1,Michael,,1970-11-26\n"
                                              "2,Michael,Patel,1970\n"
                                              "3,Michael,Cook,1970-03-02\n"
                                              "4,Michael,Jones,1970-07-08\n"
                                              "5,Michael,Brown,1970-01-09\n"
                                              "6,Michael,Green,1985-04-04\n"
                                              "7,Oliver,,1970-05-05\n"
                                              "8,Oliver,Khan,1970\n"
                                              "9,Oliver,Hart,1961-02-03\n"
                                              "10,Oliver,Reed,1992-06-07\n"
                                              "11,Oliver,Shaw,1979-08-09\n"
                                              "12,Oliver,Ward,2001-10-11\n"
                                              "13,Alan,Price,1966-12-01\n"
                                              "14,Ruth,Lloyd,1988-02-14\n");
    size_t D = role_feature(eng, "dob");
    assert_int_equal(pair_level(eng, 0, 1, D), CONFLATE_DATE_YEAR_ONLY);
    assert_int_equal(pair_level(eng, 6, 7, D), CONFLATE_DATE_YEAR_ONLY);
    double pm = pair_prob(eng, 0, 1), po = pair_prob(eng, 6, 7);
    assert_true(pm < po);
    conflate_free(eng);
}

/* A date known to its year only is not a whole date of birth for blocking (review 78 L3): a
 * record of first name, surname and year whose surname a typo changed (Thlmpson: another code
 * and another first three letters) is paired with the whole record by the first name's code and
 * the year, a rule for records that lack part of the triple; it met no rule before. */
static void test_year_only_blocks_as_lacking(void **st)
{
    (void)st;
    /* 800 other Lauras and 800 other Thompsons, none born in 1984: the names' blocks are too
       large to pair all their records, so only the name-and-year rules can find the pair */
    static const char *const sur[] = {"Adams", "Baker", "Clark", "Dixon", "Evans", "Fisher", "Grant", "Hughes",
                                      "Irwin", "Jones", "Kerr", "Lewis", "Moore", "Nash", "Owen", "Price"};
    iom_buf b = {0};
    const char head[] = "id,first_name,surname,dob\n1,Laura,Thompson,1984-12-06\n2,Laura,Thlmpson,1984\n";
    iom_buf_append(&b, head, sizeof head - 1);
    static const char *const first[] = {"Amy", "Ben", "Cara", "Dan", "Emma", "Finn", "Gail", "Hugo",
                                        "Iris", "Jack", "Kate", "Liam", "Mia", "Ned", "Olga", "Paul"};
    for (int i = 0; i < 800; i++) { /* 1,602 records: past the size compared whole */
        char line[96];
        int n = snprintf(line, sizeof line, "%d,Laura,%s%c%c,%d-%02d-%02d\n", i + 3, sur[i % 16],
                         'a' + (i / 16) % 26, 'a' + i / 416, 1950 + i % 30, 1 + i % 12, 1 + i % 28);
        iom_buf_append(&b, line, (size_t)n);
        n = snprintf(line, sizeof line, "%d,%s%c%c,Thompson,%d-%02d-%02d\n", i + 1000, first[i % 16],
                     'a' + (i / 16) % 26, 'a' + i / 416, 1950 + i % 30, 1 + i % 12, 1 + i % 28);
        iom_buf_append(&b, line, (size_t)n);
    }
    conflate_engine *eng = run_text("a.csv", b.data);
    iom_buf_free(&b);
    size_t D = role_feature(eng, "dob");
    assert_int_equal(pair_level(eng, 0, 1, D), CONFLATE_DATE_YEAR_ONLY); /* a candidate */
    conflate_free(eng);
}

/* One part of a compound surname against the whole is "similar", not "different" (review 85
 * M1); two surnames that share no word of three letters or more stay different. */
static void test_compound_surname_part(void **st)
{
    (void)st;
    conflate_engine *eng = run_text("a.csv", "id,first_name,surname,dob\n"
                                              "1,Diego,Alvarez-Silva,1958-01-14\n"
                                              "2,Diego,Silva,1958-01-14\n"
                                              "3,Diego,Torres Fernandez,1958-01-14\n"
                                              "4,Diego,Perez,1958-01-14\n");
    size_t S = role_feature(eng, "surname");
    assert_int_equal(pair_level(eng, 0, 1, S), 1); /* Silva, Alvarez-Silva */
    assert_int_equal(pair_level(eng, 2, 3, S), 0); /* Torres Fernandez, Perez */
    assert_int_equal(pair_level(eng, 0, 2, S), 0); /* no word in common */
    conflate_free(eng);
}

/* One address written in two towns is two homes (review 78 M2: "54 Broadway Drive" in
 * Manchester and in Liverpool weighed +11 as one address): with postcodes of different
 * districts and towns not alike (or one missing), an address that agreed compares as
 * different; with the postcode's district in common, or no postcode, it stays. */
static void test_address_in_another_town(void **st)
{
    (void)st;
    conflate_engine *eng = run_text("a.csv", "id,first_name,surname,address,postcode,town\n"
                                              "1,Amy,Cole,54 Broadway Drive,M1 1AA,Manchester\n"
                                              "2,Ben,Hart,54 Broadway Drive,L3 2BB,Liverpool\n"
                                              "3,Cal,Reed,54 Broadway Drive,M1 1AB,Manchester\n"
                                              "4,Dee,Shaw,54 Broadway Drive,L9 9ZZ,\n"
                                              "5,Eve,Ward,54 Broadway Drive,,Leeds\n");
    size_t A = role_feature(eng, "address");
    unsigned top = (unsigned)conflate_feature_levels(eng, A) - 1;
    assert_int_equal(pair_level(eng, 0, 1, A), 0);   /* Manchester, Liverpool: two homes */
    assert_int_equal(pair_level(eng, 0, 2, A), top); /* one district */
    assert_int_equal(pair_level(eng, 0, 3, A), 0);   /* another district, no town */
    assert_int_equal(pair_level(eng, 0, 4, A), top); /* no postcode: the town cannot tell */
    conflate_free(eng);
}

/* An e-mail address one edit from another is a typo of it, unless the edit is a digit:
 * paul.marshall@ and paul.marshall6@ are a father's and his son's (review 78 M3: +11.8 for
 * "one edit", as much as nearly the same address). */
static void test_email_numbered(void **st)
{
    (void)st;
    conflate_engine *eng = run_text("a.csv", "id,first_name,surname,email\n"
                                              "1,Paul,Marshall,paul.marshall@icloud.com\n"
                                              "2,Paul,Marshall,paul.marshall6@icloud.com\n"
                                              "3,Paul,Marshall,paul.marshal@icloud.com\n");
    size_t E = role_feature(eng, "email");
    assert_int_equal(pair_level(eng, 0, 1, E), 0); /* a digit: different */
    assert_int_equal(pair_level(eng, 0, 2, E), 2); /* a letter: one edit */
    conflate_free(eng);
}

/* Generational suffixes (review 78 M3): "Marshall Jnr" is the surname Marshall (no near miss
 * of it), and a Jnr and a Snr of one name at one home are two people, a son and his father,
 * whatever else they share: their pair weighs at most GENERATION_WEIGHT and no chain joins
 * them. A suffix on one record only says nothing of the pair (a son writes it on some forms). */
static void test_generation_suffix(void **st)
{
    (void)st;
    static const char *const first[] = {"John", "Mary", "Peter", "Susan", "David", "Helen", "Mark", "Karen",
                                        "Alan", "Janet", "Simon", "Ruth", "Colin", "Lynn", "Brian", "Joan"};
    static const char *const sur[] = {"Clarke", "Hughes", "Turner", "Wood", "Hall", "Walker", "Young", "King",
                                      "Wright", "Scott", "Green", "Baker", "Adams", "Hill", "Moore", "Price"};
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "id,first_name,surname,dob,address,postcode,phone\n");
    for (int i = 0; i < 32; i++) /* sixteen people of two records each */
        n += (size_t)snprintf(text + n, sizeof text - n, "%d,%s,%s,19%02d-%02d-%02d,%d Mill Road,LS%d %dAB,0113%07d\n",
                              i + 1, first[i / 2], sur[i / 2], 40 + i / 2 * 3, 1 + i / 2 % 12, 1 + i / 2,
                              10 + i / 2, 1 + i / 2, 1 + i / 2 % 9, 1000000 + i / 2 * 7919);
    snprintf(text + n, sizeof text - n,
             "33,Paul,Marshall Jnr,,69 Tennyson Street,NG9 7ZB,01158441405\n"
             "34,Paul,Marshall Snr,,69 Tennyson Street,NG9 7ZB,01158441405\n"
             "35,Paul,Marshall,,69 Tennyson Street,NG9 7ZB,01158441405\n"
             "36,Henry,Ford III,,1 Lake Road,M1 1AA,01619990000\n"
             "37,Henry,Ford II,,1 Lake Road,M1 1AA,01619990000\n"
             "38,Henry,Ford,,1 Lake Road,M1 1AA,01619990000\n");
    conflate_engine *eng = run_text("a.csv", text);
    size_t S = role_feature(eng, "surname");
    unsigned top = (unsigned)conflate_feature_levels(eng, S) - 1;
    assert_int_equal(pair_level(eng, 32, 34, S), top); /* Marshall Jnr / Marshall: the surname */
    assert_int_equal(pair_level(eng, 32, 33, S), top);
    /* (pair_prob gives the pair's weight) */
    assert_true(pair_prob(eng, 32, 33) < -8.0); /* Jnr / Snr: two people (+15.9 before) */
    assert_true(pair_prob(eng, 35, 36) < -8.0); /* III / II */
    assert_int_not_equal(conflate_record_cluster(eng, 32), conflate_record_cluster(eng, 33));
    assert_int_not_equal(conflate_record_cluster(eng, 35), conflate_record_cluster(eng, 36));
    assert_true(pair_prob(eng, 32, 34) > 8.0); /* a suffix on one side only: no evidence */
    assert_true(pair_prob(eng, 35, 37) > 8.0);
    conflate_free(eng);
    /* ... and at the end of a whole name, split: the surname before it, the suffix the record's
       generation (review 130: "Michael Sherlock Snr" was read surname "snr", and a father and
       son of one name joined) */
    eng = run_two("id,first_name,surname,dob\n1,Michael,Sherlock,1986-01-16\n2,Anna,Lee,1990-01-01\n",
                  "id,name,phone\nB1,Michael Sherlock Snr,07316 905770\nB2,MICHAEL SHERLOCK JNR,07454 398757\n"
                  "B3,Anna Lee,07700 900001\n");
    S = role_feature(eng, "surname");
    top = (unsigned)conflate_feature_levels(eng, S) - 1;
    assert_int_equal(pair_level(eng, 0, 2, S), top);
    assert_int_equal(pair_level(eng, 0, 3, S), top);
    assert_true(pair_prob(eng, 2, 3) <= -12.0);
    assert_int_not_equal(conflate_record_cluster(eng, 2), conflate_record_cluster(eng, 3));
    conflate_free(eng);
}

/* A street name with the person's name in a note ("BLADE (Samuel PHILLIPS)", "TINY aka
 * Zachary HALL") is split by the note's name when it holds more of the names others hold
 * (review 78 H1: seven people recorded as "MAD MAX (...)" were one); a name with its alias
 * ("John SMITH (BLADE)") keeps the name. */
static void test_street_name_with_real_name(void **st)
{
    (void)st;
    conflate_engine *eng = run_two("id,first_name,surname,dob\n1,Samuel,Phillips,1990-01-01\n"
                                   "2,Sean,Stevens,1972-02-02\n3,Zachary,Hall,1985-03-03\n4,John,Smith,1979-04-04\n",
                                   "id,name,dob\nB1,BLADE (Samuel PHILLIPS),\nB2,BLADE (Sean STEVENS),\n"
                                   "B3,TINY aka Zachary HALL,\nB4,John SMITH (BLADE),\n");
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname");
    unsigned topf = (unsigned)conflate_feature_levels(eng, F) - 1, tops = (unsigned)conflate_feature_levels(eng, S) - 1;
    for (uint32_t i = 0; i < 4; i++) { /* each A record against its B record: both names agree */
        assert_int_equal(pair_level(eng, i, i + 4, F), topf);
        assert_int_equal(pair_level(eng, i, i + 4, S), tops);
    }
    assert_int_not_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 5));
    conflate_free(eng);
}

/* A street name in quotes in a whole name is never its surname (review 115): `James "Risky"` was
 * read first name James, surname Risky, and met `James "Risky" BROWN` as a different surname
 * (-6.4); both now hold the middle name Risky, and the first name agrees. */
static void test_quoted_street_name(void **st)
{
    (void)st;
    conflate_engine *eng = run_two("id,first_name,middle_name,surname,dob\n1,James,,Brown,1981-02-03\n"
                                   "2,Martin,,Smith,1990-01-01\n3,Paul,,White,1975-05-05\n",
                                   "id,name,dob\nB1,\"James \"\"Risky\"\" BROWN\",\nB2,\"James \"\"Risky\"\"\",\n"
                                   "B3,\"SMITH, Martin 'Tiny'\",\nB4,Ryan O'Neill,\n");
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname"),
           M = role_feature(eng, "middle_name");
    unsigned topm = (unsigned)conflate_feature_levels(eng, M) - 1, tops = (unsigned)conflate_feature_levels(eng, S) - 1;
    assert_int_equal(pair_level(eng, 3, 4, M), topm);                      /* Risky, Risky */
    assert_int_equal(pair_level(eng, 3, 4, S), CONFLATE_LEVEL_MISSING);    /* Brown, none */
    assert_int_equal(pair_level(eng, 3, 4, F), (unsigned)conflate_feature_levels(eng, F) - 1);
    assert_int_equal(pair_level(eng, 0, 3, S), tops);                      /* Brown, BROWN */
    assert_int_equal(pair_level(eng, 1, 5, S), tops);                      /* Smith, SMITH */
    conflate_free(eng);
}

/* In a column written day first (100 values and more that can only be read so), the odd value
 * that can only be read month first is a typo of a day-first date, not a date: 04/16/1980
 * (from 04/06/1980) was read as 16 April and met another person's date of birth (review 78
 * L2). */
static void test_month_first_typo(void **st)
{
    (void)st;
    size_t cap = 8192;
    char *a = malloc(cap);
    assert_non_null(a);
    size_t n = (size_t)snprintf(a, cap, "id,first_name,surname,dob\n");
    for (int i = 0; i < 120; i++)
        n += (size_t)snprintf(a + n, cap - n, "A%d,Name%c%c,Family%c,%02d/%02d/19%02d\n", i, 'a' + i % 26,
                              'a' + i / 26, 'a' + i % 7, 13 + i % 15, 1 + i % 12, 40 + i % 50);
    snprintf(a + n, cap - n, "X,Ruth,Brand,04/16/1980\n");
    conflate_engine *eng = run_two(a, "id,first_name,surname,dob\nY,Ruth,Brand,1980-04-16\n");
    /* not a date, but compared by its keying slips (test_dob_slips) with the other date as
       this column writes it, 16/04/1980: four digits apart, "different" (level 0), never
       the same date */
    assert_int_equal(pair_level(eng, 120, 121, role_feature(eng, "dob")), 0);
    conflate_free(eng);
    free(a);
}

/* A date of birth keyed with a slip that makes it no date ("19845-03-16": a digit too many;
 * "1985-13-01", "32/03/1985": one changed or two exchanged; "1203195": one dropped) is
 * compared by the slips between it and the other record's date, where it was missing: one
 * slip is "one digit", two "two digits", more "different" (docs/conflate.md, "Dates"). */
/* Full-width digits (an East Asian input method) and a fraction slash (a word processor) in a
 * phone and a date of birth read as their ASCII forms (review 105 L: "not phone numbers", "not
 * dates"): the pair's phone and date are exact. */
static void test_full_width_digits(void **st)
{
    (void)st;
    conflate_engine *eng = run_two(
        "id,first_name,surname,dob,phone\n1,Ann,Lee,07/10/1973,07700 900123\n",
        "id,first_name,surname,dob,phone\n2,Ann,Lee,07\xe2\x81\x84" "10\xe2\x81\x84" "1973,"
        "\xef\xbc\x90\xef\xbc\x97\xef\xbc\x97\xef\xbc\x90\xef\xbc\x90 "
        "\xef\xbc\x99\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\n");
    size_t D = role_feature(eng, "dob"), P = role_feature(eng, "phone");
    assert_int_equal(pair_level(eng, 0, 1, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    assert_int_equal(pair_level(eng, 0, 1, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    conflate_free(eng);
}

static void test_dob_slips(void **st)
{
    (void)st;
    conflate_date_slip_t s;
    assert_true(conflate_date_slip("19845-03-16", 11, &s));
    assert_int_equal(s.layout, CONFLATE_SLIP_YMD);
    assert_string_equal(s.digits, "198450316");
    assert_int_equal(conflate_date_slip_level(&s, 19450316), CONFLATE_DATE_CLOSE);
    assert_int_equal(conflate_date_slip_level(&s, 19850316), CONFLATE_DATE_CLOSE);
    assert_int_equal(conflate_date_slip_level(&s, 19800103), CONFLATE_DATE_OTHER);
    assert_int_equal(conflate_date_slip_level(&s, 19450000), -1); /* a year alone: no level */
    assert_true(conflate_date_slip("32/03/1985", 10, &s));
    assert_int_equal(s.layout, CONFLATE_SLIP_DMY);
    assert_int_equal(conflate_date_slip_level(&s, 19850323), CONFLATE_DATE_CLOSE); /* exchanged */
    assert_int_equal(conflate_date_slip_level(&s, 19850312), CONFLATE_DATE_CLOSE); /* changed */
    assert_int_equal(conflate_date_slip_level(&s, 19850321), CONFLATE_DATE_YEAR);  /* two */
    assert_int_equal(conflate_date_slip_level(&s, 19721109), CONFLATE_DATE_OTHER);
    assert_true(conflate_date_slip("1203195", 7, &s)); /* one run, a digit dropped */
    assert_int_equal(s.layout, CONFLATE_SLIP_RUN);
    assert_int_equal(conflate_date_slip_level(&s, 19850312), CONFLATE_DATE_CLOSE);
    assert_true(conflate_date_slip("5/13/85", 7, &s) == 0);  /* five digits: too few to say */
    assert_true(conflate_date_slip("12 Mr 1985", 10, &s) == 0); /* a word: read as it is */
    assert_true(conflate_date_slip("unknown", 7, &s) == 0);
    assert_true(conflate_date_slip("1985-03-12 10:00", 16, &s) == 0);
    /* in the engine: the same person's slipped date meets hers; another's is "different" */
    conflate_engine *eng = run_two("id,first_name,surname,dob\n1,Mary,Jones,19845-03-16\n"
                                   "2,Anne,Lees,19845-03-16\n3,Ruth,Moss,nk\n",
                                   "id,first_name,surname,dob\nB1,Mary,Jones,16/03/1945\n"
                                   "B2,Anne,Lees,03/01/1980\nB3,Ruth,Moss,03/01/1980\n");
    size_t D = role_feature(eng, "dob");
    assert_int_equal(pair_level(eng, 0, 3, D), CONFLATE_DATE_CLOSE);
    assert_int_equal(pair_level(eng, 1, 4, D), CONFLATE_DATE_OTHER);
    assert_int_equal(pair_level(eng, 2, 5, D), CONFLATE_LEVEL_MISSING); /* no date's shape */
    conflate_free(eng);
}

/* A whole name of more than 32 words is kept whole, not judged by its first 32 (review 76
 * L2: "Van" x 40 and "Khanh" was read first name Van, surname Van, and met every Van). */
static void test_name_of_many_words(void **st)
{
    (void)st;
    char b[600] = "id,name,dob\nB1,";
    for (int i = 0; i < 40; i++)
        strcat(b, "Van ");
    strcat(b, "Khanh,1970-03-03\n");
    conflate_engine *eng = run_two("id,first_name,surname,dob\n1,Van,Nguyen,1980-01-01\n2,Minh,Tran,1975-05-05\n", b);
    /* Van Nguyen ~ the long name: no first name of its own */
    assert_int_equal(pair_level(eng, 0, 2, role_feature(eng, "first_name")), CONFLATE_LEVEL_MISSING);
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    conflate_free(eng);
}

/*
 * Vietnamese names (review 61): family name, a middle name that follows the sex (Van, Thi),
 * the given name last. 600 people of few names, each in a Home Office extract (first, middle
 * and surname in their own columns) and a custody extract ("NGUYEN VAN KHANH" or "Van Khanh
 * NGUYEN") with the same date of birth, and in a third source with first name "Van Khanh".
 * The custody names are read with the last given word as the first name, as the other records
 * hold it; namesakes (one name, dates of birth years apart) stay apart because the middle name
 * is measured among namesakes, where every Khanh is a Van, not among random pairs. Before:
 * custody records met their Home Office records 99 times in 3,150 and women named Anh Thi
 * Nguyen of 24 birthdays were one cluster (F1 0.49).
 */
static void vietnamese_names(int accents)
{
    static const char *men_a[] = {"Khanh", "Minh", "Hung", "Tuan", "Duc", "Nam", "Quang", "Long",
                                  "Binh", "Cuong", "Dung", "Hai", "Hieu", "Phong", "Son", "Thang"};
    static const char *women_a[] = {"Anh", "Linh", "Mai", "Thu", "Hoa", "Lan", "Huong", "Ngoc",
                                    "Trang", "Yen", "Nhung", "Phuong", "Thao", "Van", "Xuan", "Dao"};
    static const char *fam_a[] = {"Nguyen", "Nguyen", "Nguyen", "Tran", "Le", "Pham", "Hoang",
                                  "Vu", "Dang", "Bui"};
    /* the same names as Vietnamese writes them, and in capitals (review 76 M1) */
    static const char *men_u[] = {"Khánh", "Minh", "Hùng", "Tuấn", "Đức", "Nam", "Quang", "Long",
                                  "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Phong", "Sơn", "Thắng"};
    static const char *women_u[] = {"Anh", "Linh", "Mai", "Thu", "Hoa", "Lan", "Hương", "Ngọc",
                                    "Trang", "Yến", "Nhung", "Phương", "Thảo", "Vân", "Xuân", "Đào"};
    static const char *fam_u[] = {"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
                                  "Vũ", "Đặng", "Bùi"};
    static const char *men_c[] = {"KHÁNH", "MINH", "HÙNG", "TUẤN", "ĐỨC", "NAM", "QUANG", "LONG",
                                  "BÌNH", "CƯỜNG", "DŨNG", "HẢI", "HIẾU", "PHONG", "SƠN", "THẮNG"};
    static const char *women_c[] = {"ANH", "LINH", "MAI", "THU", "HOA", "LAN", "HƯƠNG", "NGỌC",
                                    "TRANG", "YẾN", "NHUNG", "PHƯƠNG", "THẢO", "VÂN", "XUÂN", "ĐÀO"};
    static const char *fam_c[] = {"NGUYỄN", "NGUYỄN", "NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG",
                                  "VŨ", "ĐẶNG", "BÙI"};
    const char *const *men = accents ? men_u : men_a, *const *women = accents ? women_u : women_a,
                      *const *fam = accents ? fam_u : fam_a;
    enum { N = 600 };
    size_t cap = 96 * N;
    char *ho = malloc(cap), *cu = malloc(cap), *nr = malloc(cap);
    assert_non_null(ho);
    assert_non_null(cu);
    assert_non_null(nr);
    size_t a = (size_t)snprintf(ho, cap, "id,first_name,middle_name,surname,dob,sex\n");
    size_t b = (size_t)snprintf(cu, cap, "id,name,dob\n");
    size_t c = (size_t)snprintf(nr, cap, "id,first_name,surname,dob\n");
    uint32_t x = 12345;
    const char *given[N];
    int year[N];
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        int woman = (x >> 16) & 1;
        const char *g = (woman ? women : men)[(x >> 8) % 16];
        unsigned fi = (x >> 20) % 10;
        const char *sn = fam[fi];
        const char *mn = woman ? (accents ? "Thị" : "Thi") : (accents ? "Văn" : "Van");
        /* the custody extract's words in capitals */
        const char *gc = accents ? (woman ? women_c : men_c)[(x >> 8) % 16] : g;
        const char *mc = accents ? (woman ? "THỊ" : "VĂN") : mn;
        x = x * 1103515245u + 12345u;
        int y = 1960 + (int)((x >> 8) % 45), m = 1 + (int)((x >> 16) % 12), d = 1 + (int)((x >> 20) % 28);
        given[i] = g;
        year[i] = y;
        char up[32];
        size_t k = 0;
        for (; sn[k] && k < sizeof up - 1; k++)
            up[k] = (char)(sn[k] >= 'a' ? sn[k] - 32 : sn[k]);
        up[k] = 0;
        if (accents)
            snprintf(up, sizeof up, "%s", fam_c[fi]);
        a += (size_t)snprintf(ho + a, cap - a, "H%d,%s,%s,%s,%04d-%02d-%02d,%s\n", i, g, mn, sn, y, m,
                              d, woman ? "F" : "M");
        if (i % 2)
            b += (size_t)snprintf(cu + b, cap - b, "C%d,%s %s %s,%02d/%02d/%04d\n", i, up, mc, gc, d, m, y);
        else
            b += (size_t)snprintf(cu + b, cap - b, "C%d,%s %s %s,%02d/%02d/%04d\n", i, mc, gc, up, d, m, y);
        if (i % 3 == 0)
            c += (size_t)snprintf(nr + c, cap - c, "R%d,%s %s,%s,%04d-%02d-%02d\n", i, mn, g, sn, y, m, d);
    }
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "ho.csv", ho, a, NULL, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "cu.csv", cu, b, NULL, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "nr.csv", nr, c, NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    int met = 0, nr_met = 0, nr_n = 0;
    for (int i = 0; i < N; i++) {
        char id[16];
        snprintf(id, sizeof id, "H%d", i);
        long h = conflate_find_record(eng, "ho.csv", id);
        snprintf(id, sizeof id, "C%d", i);
        long k = conflate_find_record(eng, "cu.csv", id);
        assert_true(h >= 0 && k >= 0);
        met += conflate_record_cluster(eng, (size_t)h) == conflate_record_cluster(eng, (size_t)k);
        if (i % 3 == 0) {
            snprintf(id, sizeof id, "R%d", i);
            long r = conflate_find_record(eng, "nr.csv", id);
            assert_true(r >= 0);
            nr_n++;
            nr_met += conflate_record_cluster(eng, (size_t)h) == conflate_record_cluster(eng, (size_t)r);
        }
    }
    /* namesakes (one given name) born two years apart or more hardly ever share a cluster */
    int wrong = 0, namesakes = 0;
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            if (strcmp(given[i], given[j]) || abs(year[i] - year[j]) < 2)
                continue;
            namesakes++;
            char p[16], q[16];
            snprintf(p, sizeof p, "H%d", i);
            snprintf(q, sizeof q, "H%d", j);
            int w1 = conflate_record_cluster(eng, (size_t)conflate_find_record(eng, "ho.csv", p)) ==
                     conflate_record_cluster(eng, (size_t)conflate_find_record(eng, "ho.csv", q));
            wrong += w1;
        }
    print_message("vietnamese%s: custody met %d of %d, third source %d of %d, namesakes joined %d of %d\n",
                  accents ? " (accents)" : "", met, N, nr_met, nr_n, wrong, namesakes);
    assert_true(met >= N * 95 / 100);
    assert_true(nr_met >= nr_n * 95 / 100);
    /* in capitals with accents, "LÊ" and "ĐỨC" are words in capitals and "THỊ" a given name
       others hold: every custody record meets its own (597 of 600 before review 76 M1's fix,
       its surname taken from the wrong word) */
    if (accents)
        assert_true(met >= N - 1);
    assert_true(namesakes > 5000);
    assert_true(wrong * 500 <= namesakes); /* at most 0.2% */
    conflate_free(eng);
    free(ho);
    free(cu);
    free(nr);
}

static void test_vietnamese_names(void **st)
{
    (void)st;
    vietnamese_names(0);
}

/* The same with the names as Vietnamese writes them, the custody extract's in capitals
   ("NGUYỄN VĂN KHÁNH"): review 76 M1, the counts of first and middle names were keyed on
   ASCII-only lower case, so "VĂN" never met the "Văn" others hold (1,965 of 2,000 and 0 of
   2,000 custody records met their own in the review's runs). */
static void test_vietnamese_names_accents(void **st)
{
    (void)st;
    vietnamese_names(1);
}

/*
 * Whole names of three words in capitals in both orders within one input ("KIM SEO YU" and
 * "SEO YU KIM"), of words that are given names and family names both (Korean Seo, Yu, Han):
 * the order cannot be guessed from the words, and a wrong guess compared every name slot
 * with the wrong one (review 73: p 0.26 for one person of one date of birth). The words of
 * all three names agreeing in another order make the names "swapped", the middle name
 * "close". 600 people, a Home Office extract with first, middle and surname, a custody one
 * with whole names, half each way round: before, 446 custody records met their own.
 */
static void test_names_in_another_order(void **st)
{
    (void)st;
    static const char *fam[] = {"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho",
                                "Yoon", "Jang", "Lim", "Seo", "Yu", "Han", "Shin"};
    static const char *syl[] = {"Seo", "Yu", "Min", "Ji", "Hye", "Jin", "Soo",
                                "Young", "Hyun", "Eun", "Han", "Shin", "Woo", "Ha"};
    enum { N = 600 };
    size_t cap = 64 * N;
    char *ho = malloc(cap), *cu = malloc(cap);
    assert_non_null(ho);
    assert_non_null(cu);
    size_t a = (size_t)snprintf(ho, cap, "id,first_name,middle_name,surname,dob\n");
    size_t b = (size_t)snprintf(cu, cap, "id,name,dob\n");
    uint32_t x = 4242;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        const char *f = fam[(x >> 8) % 14], *g1 = syl[(x >> 12) % 14], *g2 = syl[(x >> 16) % 14];
        if (g2 == g1)
            g2 = syl[((x >> 16) % 14 + 1) % 14];
        x = x * 1103515245u + 12345u;
        int y = 1960 + (int)((x >> 8) % 45), m = 1 + (int)((x >> 16) % 12), d = 1 + (int)((x >> 20) % 28);
        char F[16], G1[16], G2[16];
        const char *src[3] = {f, g1, g2};
        char *dst[3] = {F, G1, G2};
        for (int k = 0; k < 3; k++) {
            size_t j = 0;
            for (; src[k][j] && j < 15; j++)
                dst[k][j] = (char)(src[k][j] >= 'a' ? src[k][j] - 32 : src[k][j]);
            dst[k][j] = 0;
        }
        a += (size_t)snprintf(ho + a, cap - a, "H%d,%s,%s,%s,%04d-%02d-%02d\n", i, g1, g2, f, y, m, d);
        if (i % 2)
            b += (size_t)snprintf(cu + b, cap - b, "C%d,%s %s %s,%02d/%02d/%04d\n", i, F, G1, G2, d, m, y);
        else
            b += (size_t)snprintf(cu + b, cap - b, "C%d,%s %s %s,%02d/%02d/%04d\n", i, G1, G2, F, d, m, y);
    }
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "ho.csv", ho, a, NULL, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "cu.csv", cu, b, NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    int met = 0, joined = 0;
    uint64_t *cl = calloc(N, sizeof *cl);
    assert_non_null(cl);
    /* each person's three words, as indices (family, given, given) to compare as sets */
    int wf[N], w1[N], w2[N];
    x = 4242;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        wf[i] = (int)((x >> 8) % 14);
        w1[i] = (int)((x >> 12) % 14);
        w2[i] = (int)((x >> 16) % 14);
        if (w2[i] == w1[i])
            w2[i] = (w2[i] + 1) % 14;
        x = x * 1103515245u + 12345u;
    }
    for (int i = 0; i < N; i++) {
        char id[16];
        snprintf(id, sizeof id, "H%d", i);
        long h = conflate_find_record(eng, "ho.csv", id);
        snprintf(id, sizeof id, "C%d", i);
        long k = conflate_find_record(eng, "cu.csv", id);
        assert_true(h >= 0 && k >= 0);
        cl[i] = conflate_record_cluster(eng, (size_t)h);
        met += cl[i] == conflate_record_cluster(eng, (size_t)k);
    }
    /* two people of the Home Office extract whose names are not one set of words (namesakes,
       in either order, born years apart, are a weakness of their own: docs/conflate.md "Not
       done") */
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            int same = strcmp(fam[wf[i]], fam[wf[j]]) == 0 &&
                       ((strcmp(syl[w1[i]], syl[w1[j]]) == 0 && strcmp(syl[w2[i]], syl[w2[j]]) == 0) ||
                        (strcmp(syl[w1[i]], syl[w2[j]]) == 0 && strcmp(syl[w2[i]], syl[w1[j]]) == 0));
            joined += cl[i] == cl[j] && !same;
        }
    print_message("names in another order: custody met %d of %d, people of other names joined %d\n", met, N,
                  joined);
    assert_true(met >= N * 95 / 100);
    assert_true(joined <= 2);
    free(cl);
    conflate_free(eng);
    free(ho);
    free(cu);
}

/* An engine run over the n bytes of one generated input, "f.csv" (link and dedupe). */
static conflate_engine *run_buffer(const char *t, size_t n)
{
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "f.csv", t, n, NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    return eng;
}

/* Common given names and surnames (18 and 20) for the larger generated files below. */
static const char *const common_first[] = {"Oliver", "Amelia", "Harry",  "Isla",  "George", "Ava",
                                    "Noah",   "Mia",    "Jack",   "Ivy",   "Leo",    "Grace",
                                    "Arthur", "Freya",  "Oscar",  "Lily",  "Charlie", "Ella"};
static const char *const common_sur[] = {"Taylor", "Brown", "Wilson", "Evans",  "Thomas", "Roberts",
                                  "Walker", "Wright", "Hughes", "Green", "Hall",   "Wood",
                                  "Clarke", "Lewis",  "Harris", "King",  "Baker",  "Turner",
                                  "Hill",   "Moore"};

/* A prolific person: 150 records of one name and date of birth (custody and intelligence
 * records of one offender), at 150 addresses, among 1,500 other people. Every block of
 * that identity is over max_block (100); they are windowed, not skipped, so the person is one
 * cluster (docs/conflate.md, "Blocking"). */
static void test_prolific_person(void **st)
{
    (void)st;
    size_t cap = 1 << 17, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "id,first_name,surname,dob,address,postcode\n");
    for (int i = 0; i < 150; i++) /* a home of its own each time: only the identity links */
        n += (size_t)snprintf(t + n, cap - n, "P%d,Jennifer,Edwards,18/03/1991,%d %s Lane,CF%d %dFT\n",
                              i, 1 + i, common_first[i % 18], 10 + i % 90, i / 90);
    for (int i = 0; i < 1500; i++) /* over a million possible pairs: blocking is used */
        n += (size_t)snprintf(t + n, cap - n, "O%d,%s,%s,%02d/%02d/%d,%d Mill Road,LS%d 4AP\n", i,
                              common_first[i % 18], common_sur[(i / 18) % 20], 1 + i % 28, 1 + i % 12,
                              1950 + i % 50, i, i % 30);
    assert_true(n < cap - 1);
    conflate_engine *eng = run_buffer(t, n);
    uint64_t c0 = conflate_record_cluster(eng, 0);
    for (size_t i = 0; i < 150; i++)
        assert_true(conflate_record_cluster(eng, i) == c0);
    for (size_t i = 150; i < conflate_record_count(eng); i++)
        assert_true(conflate_record_cluster(eng, i) != c0);
    conflate_free(eng);
    free(t);
}

/* More records of one person than the old cap on an identity's block (65,536; review 48):
 * they were all left apart, and their random pairs (nearly all alike, none a candidate)
 * turned the estimate against every agreement, so nobody else linked either. Now the block
 * is windowed whatever its size: one cluster, and the others link as they would. */
static void test_person_beyond_the_block_cap(void **st)
{
    (void)st;
    enum { COPIES = 66000, OTHERS = 600 };
    size_t cap = (size_t)(COPIES + 2 * OTHERS) * 64 + 128, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "id,first_name,surname,dob,postcode\n");
    for (int i = 0; i < COPIES; i++)
        n += (size_t)snprintf(t + n, cap - n, "J%d,Jason,Walker,19/01/1969,HG7 1DS\n", i);
    for (int pass = 0; pass < 2; pass++) /* each other person twice, at two homes */
        for (int i = 0; i < OTHERS; i++)
            n += (size_t)snprintf(t + n, cap - n, "%c%d,%s,%s,%02d/%02d/%d,%s%d %dAB\n", pass ? 'B' : 'A', i,
                                  common_first[i % 18], common_sur[(i / 18) % 20], 1 + i % 28, 1 + i % 12,
                                  1940 + i % 60, pass ? "CF" : "LS", 1 + i % 99, i % 9 + 1);
    assert_true(n < cap - 1);
    conflate_engine *eng = run_buffer(t, n);
    uint64_t c0 = conflate_record_cluster(eng, 0);
    for (size_t i = 0; i < COPIES; i++)
        assert_true(conflate_record_cluster(eng, i) == c0);
    size_t together = 0;
    for (size_t i = 0; i < OTHERS; i++) {
        uint64_t a = conflate_record_cluster(eng, COPIES + i), b = conflate_record_cluster(eng, COPIES + OTHERS + i);
        assert_true(a != c0);
        together += a == b;
    }
    assert_true(together >= OTHERS * 95 / 100);
    conflate_free(eng);
    free(t);
}

/* Fillers the list did not know (review 48): a date of birth no person has, given again and
 * again (11/11/1111), postcodes of no postcode area (XX1 1XX, the form's AA1 1AA) and "refused
 * to give" as a name are placeholders (missing), not evidence; a year before 1800 given once
 * is a typing error of a real date and still compared. */
static void test_unlisted_fillers(void **st)
{
    (void)st;
    const char *t = "id,first_name,surname,dob,postcode\n"
                    "1,Cynthia,Hicks,11/11/1111,XX1 1XX\n"
                    "2,Cynthia,Hicks,11/11/1111,LS1 4AP\n"
                    "3,Mark,Owen,11/11/1111,AA1 1AA\n"
                    "4,Refused to give,Price,02/03/1985,BD1 2AB\n"
                    "5,Jane,Price,02/03/1985,BD1 2AB\n"
                    "6,Paul,Moss,04/05/1088,WF1 3CD\n";
    conflate_engine *eng = run_buffer(t, strlen(t));
    uint64_t unusable = 0, ph = 0;
    conflate_feature_counts(eng, 0, &unusable, &ph); /* first_name */
    assert_int_equal(ph, 1);
    conflate_feature_counts(eng, 2, &unusable, &ph); /* dob: the three 1111s; 1088 once is a date */
    assert_int_equal(ph, 3);
    conflate_feature_counts(eng, 3, &unusable, &ph); /* postcode */
    assert_int_equal(ph, 2);
    conflate_free(eng);
}

/* Two records of one name and birthday (nothing else) among 48 strangers: too few obvious
 * matches to learn m, and EM drove the share of matches to nothing (1e-6), so the pair read
 * p 0.02 (review 50: an analyst's small import left exact duplicates apart, not even in the
 * review queue). The share of matches is at least the obvious matches'. */
static void test_duplicate_in_a_small_file(void **st)
{
    (void)st;
    size_t cap = 1 << 13, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "id,first_name,surname,dob\nd1,Anna,Lee,1980-02-02\nd2,Anna,Lee,1980-02-02\n");
    static const char *const fn[] = {"Oliver", "Amelia", "Harry", "Isla", "George", "Freya", "Noah", "Ivy"};
    static const char *const sn[] = {"Taylor", "Brown", "Wilson", "Evans", "Hughes", "Green"};
    for (int i = 0; i < 48; i++)
        n += (size_t)snprintf(t + n, cap - n, "p%d,%s,%s,19%02d-%02d-%02d\n", i, fn[i % 8], sn[i / 8], 40 + i,
                              1 + i % 12, 1 + i % 28);
    assert_true(n < cap - 1);
    conflate_engine *eng = run_buffer(t, n);
    assert_true(conflate_record_cluster(eng, 0) == conflate_record_cluster(eng, 1));
    for (size_t i = 2; i < conflate_record_count(eng); i++)
        assert_true(conflate_record_cluster(eng, i) != conflate_record_cluster(eng, 0));
    conflate_free(eng);
    free(t);
}

/* A file of thousands of people with one record each, and 120 of them again at a new home
   with a new phone (nothing shared but name and date of birth): too few obvious matches for
   EM, so the documented defaults hold m, among many look-alikes (18 first names, 20
   surnames). Among 3,000 people no two strangers share name and birthday, so those 120 are
   one person each and link; namesakes born on another day stay apart. (The histogram test
   test_fit_tiny_file holds the chance cap that a held-out file of this kind needed.) */
static void test_movers_among_thousands(void **st)
{
    (void)st;
    enum { PEOPLE = 3000, MOVERS = 120 };
    size_t cap = 1 << 20, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "id,first_name,surname,dob,address,postcode,phone\n");
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < (pass ? MOVERS : PEOPLE); i++) {
            int p = pass ? i * (PEOPLE / MOVERS) : i; /* a mover is every 25th person */
            /* a birthday of its own for each person (23,725 days from 1940), names shared */
            int d = (int)((unsigned)p * 7919u % 23725u);
            int y = 1940 + d / 365, doy = d % 365, mo = doy / 31 % 12 + 1, dd = doy % 28 + 1;
            int home = pass ? PEOPLE + p : p;
            n += (size_t)snprintf(t + n, cap - n,
                                  "%c%d,%s,%s,%02d/%02d/%d,%d %s Road,%s%d %dAB,07700 %06d\n",
                                  pass ? 'M' : 'P', p, common_first[p % 18], common_sur[(p / 18) % 20], dd, mo, y,
                                  1 + home % 200, common_sur[home % 20], pass ? "CF" : "LS", 1 + home % 99,
                                  home / 99 % 10, 100000 + home);
        }
    assert_true(n < cap - 1);
    conflate_engine *eng = run_buffer(t, n);
    assert_int_equal(conflate_record_count(eng), PEOPLE + MOVERS);
    size_t linked = 0;
    for (size_t i = 0; i < MOVERS; i++)
        linked += conflate_record_cluster(eng, PEOPLE + i) ==
                  conflate_record_cluster(eng, i * (PEOPLE / MOVERS));
    /* and no two people of the first pass in one cluster */
    size_t wrong = 0;
    for (size_t i = 1; i < PEOPLE; i++)
        for (size_t j = i >= 40 ? i - 40 : 0; j < i; j++) /* namesakes are 360 records apart: */
            wrong += conflate_record_cluster(eng, i) == conflate_record_cluster(eng, j);
    for (size_t i = 360; i < PEOPLE; i++)                /* ...so compare those too */
        wrong += conflate_record_cluster(eng, i) == conflate_record_cluster(eng, i - 360);
    if (linked < MOVERS * 95 / 100 || wrong)
        fail_msg("%zu of %d movers linked, %zu pairs of people joined", linked, MOVERS, wrong);
    conflate_free(eng);
    free(t);
}

/* Column names as police systems write them map to their roles without --field. */
static void test_police_headers(void **st)
{
    (void)st;
    const char *t = "Person Ref,Surname,Forename(s),Middle Name,D.O.B.,Gender,Home Address,Town,"
                    "Post Code,Tel No,VRM\n"
                    "P1,Smith,John,Paul,01/02/1980,M,1 High St,Leeds,LS1 4AP,07700 900123,AB12 CDE\n";
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", t, strlen(t), NULL, &e), IOM_OK);
    static const char *want[][2] = {{"first_name", "Forename(s)"}, {"middle_name", "Middle Name"},
                                    {"surname", "Surname"},        {"dob", "D.O.B."},
                                    {"sex", "Gender"},             {"address", "Home Address"},
                                    {"postcode", "Post Code"},     {"town", "Town"},
                                    {"phone", "Tel No"},           {"vehicle", "VRM"}};
    assert_int_equal(conflate_feature_count(eng), sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        size_t f = 0;
        while (f < conflate_feature_count(eng) && strcmp(conflate_feature_role(eng, f), want[i][0]))
            f++;
        assert_true(f < conflate_feature_count(eng));
        assert_string_equal(conflate_feature_column(eng, f), want[i][1]);
    }
    assert_string_equal(conflate_id_column(eng), "Person Ref");
    conflate_free(eng);
    /* a format hint or a plural in brackets, a mobile (review 85 M3: left unmapped, a source
       ran without its dates of birth and phones) */
    const char *t2 = "Nominal ID,Forename,Middle Name(s),Surname,Date of Birth (dd/mm/yyyy),Mobile Tel\n"
                     "N1,John,Paul,Smith,01/02/1980,07700 900123\n";
    eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    assert_int_equal(conflate_add_csv_buffer(eng, "n.csv", t2, strlen(t2), NULL, &e), IOM_OK);
    static const char *want2[][2] = {{"first_name", "Forename"}, {"middle_name", "Middle Name(s)"},
                                     {"surname", "Surname"}, {"dob", "Date of Birth (dd/mm/yyyy)"},
                                     {"phone", "Mobile Tel"}};
    assert_int_equal(conflate_feature_count(eng), sizeof want2 / sizeof *want2);
    for (size_t i = 0; i < sizeof want2 / sizeof *want2; i++) {
        size_t f = 0;
        while (f < conflate_feature_count(eng) && strcmp(conflate_feature_role(eng, f), want2[i][0]))
            f++;
        assert_true(f < conflate_feature_count(eng));
        assert_string_equal(conflate_feature_column(eng, f), want2[i][1]);
    }
    conflate_free(eng);
}

/* One input with first name and surname, another with the name whole: the whole names are
 * split and compared with them (before, the names of the two inputs were never compared, and
 * a date of birth alone joined strangers). */
static void test_full_name_split(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,sex,postcode\n"
                    "a1,Thomas,Lewis,15/07/1967,M,E13 3AA\n"
                    "a2,Joshua,Legum,15/07/1967,M,E18 3TS\n"
                    "a3,Mary,Jones,01/02/1980,F,LS1 4AP\n"
                    "a4,Sarah,Brown,03/04/1970,F,M1 1AA\n";
    const char *b = "id,name,dob,sex,postcode\n"
                    "b1,\"LEWIS, Thomas\",15/07/1967,M,E13 3AA\n"
                    "b2,Mr Joshua LEGUM,15/07/1967,M,E18 3TS\n"
                    "b3,Sarah van den Brown,03/04/1970,F,LS1 4AP\n"
                    "b4,Peter Smith,01/02/1980,F,M1 1AA\n";
    conflate_engine *eng = run_two(a, b);
    /* records 0-3 are a1-a4, 4-7 b1-b4 */
    assert_true(conflate_record_cluster(eng, 0) == conflate_record_cluster(eng, 4));
    assert_true(conflate_record_cluster(eng, 1) == conflate_record_cluster(eng, 5));
    assert_true(conflate_record_cluster(eng, 0) != conflate_record_cluster(eng, 1));
    assert_true(conflate_record_cluster(eng, 2) != conflate_record_cluster(eng, 7));
    assert_true(conflate_record_cluster(eng, 3) != conflate_record_cluster(eng, 7));
    /* Joshua Legum / Mr Joshua LEGUM: both names exact */
    assert_int_equal(pair_level(eng, 1, 5, 0), conflate_feature_levels(eng, 0) - 1);
    assert_int_equal(pair_level(eng, 1, 5, 1), conflate_feature_levels(eng, 1) - 1);
    conflate_free(eng);
}

/* Whole names of initials and a surname ("J.L. GREEN", "GREEN J", "J SMITH"): the initials are
 * forenames wherever they stand, in an input read surname first too (before, "J.L. GREEN"
 * there became first name "green" and surname "j l": held-out shape 0.846), and an initial
 * that is the other record's first name's agrees at the level "close". */
static void test_full_name_initials(void **st)
{
    (void)st;
    static const char *const first[] = {"Jonathan", "Neil", "Ryan", "Grace", "Paul", "Anna",
                                        "Tomasz", "Kevin", "Aisha", "Martin", "Chloe", "Imran"};
    static const char *const mid[] = {"Lee", "Mark", "John", "Ann", "James", "May",
                                      "Jan", "Paul", "Noor", "Luke", "Rose", "Ali"};
    static const char *const sur[] = {"Green", "Williams", "Smith", "Hopper", "Nowak", "Lewis",
                                      "Kowalski", "Walsh", "Khan", "Lee", "Barnes", "Hussain"};
    char a[4096] = "id,first_name,middle_name,surname,dob,postcode\n", b[4096] = "id,name,dob,postcode\n";
    for (int i = 0; i < 12; i++) {
        char us[32], line[200];
        snprintf(us, sizeof us, "%s", sur[i]);
        for (char *q = us; *q; q++)
            *q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
        snprintf(line, sizeof line, "a%d,%s,%s,%s,%02d/03/19%02d,LS%d 2WB\n", i, first[i], mid[i], sur[i],
                 i + 1, 60 + i, i + 1);
        strcat(a, line);
        /* four forms in turn; the SURNAME-first ones make the input read surname first */
        if (i % 4 == 0)
            snprintf(line, sizeof line, "b%d,%c.%c. %s,%02d/03/19%02d,LS%d 2WB\n", i, first[i][0], mid[i][0],
                     us, i + 1, 60 + i, i + 1);
        else if (i % 4 == 1)
            snprintf(line, sizeof line, "b%d,%s %c,%02d/03/19%02d,LS%d 2WB\n", i, us, first[i][0], i + 1,
                     60 + i, i + 1);
        else if (i % 4 == 2)
            snprintf(line, sizeof line, "b%d,%s %c %c,%02d/03/19%02d,LS%d 2WB\n", i, us, first[i][0],
                     mid[i][0], i + 1, 60 + i, i + 1);
        else
            snprintf(line, sizeof line, "b%d,%c %s,%02d/03/19%02d,LS%d 2WB\n", i, first[i][0], us, i + 1,
                     60 + i, i + 1);
        strcat(b, line);
    }
    /* more initials than a name holds (a review crafted one: the split wrote past its
       array): read, and only the first 32 letters kept */
    char *long_b = malloc(strlen(b) + 8192);
    strcpy(long_b, b);
    strcat(long_b, "b12,");
    for (int i = 0; i < 33; i++)
        strcat(long_b, "A.");
    strcat(long_b, " X ");
    for (int i = 0; i < 200; i++)
        strcat(long_b, "B.C.D.E.F.G.H.I.J.K.");
    strcat(long_b, " SMITH,01/01/1950,LS99 9ZZ\n");
    conflate_engine *eng = run_two(a, long_b);
    free(long_b);
    /* records 0-11 are a0-a11, 12-23 b0-b11 */
    for (size_t i = 0; i < 12; i++) {
        if (conflate_record_cluster(eng, i) != conflate_record_cluster(eng, 12 + i))
            fprintf(stderr, "record %zu not linked: levels first %u surname %u\n", i,
                    pair_level(eng, i, 12 + i, 0), pair_level(eng, i, 12 + i, 2));
        assert_true(conflate_record_cluster(eng, i) == conflate_record_cluster(eng, 12 + i));
        assert_int_equal(pair_level(eng, i, 12 + i, 2), conflate_feature_levels(eng, 2) - 1); /* surname exact */
        assert_int_equal(pair_level(eng, i, 12 + i, 0), 2); /* the initial: close */
    }
    conflate_free(eng);
}

/* Twelve people with first names and surnames (input a) and as whole names (input b), one
 * form per person from forms (cycled): 's' SURNAME FIRST JAMES, 'g' FIRST JAMES SURNAME, 'm'
 * First James Surname; the twelve pairs must be joined, names exact. */
static void whole_names_meet(const char *forms)
{
    static const char *const first[] = {"Paul", "Anna", "Tomasz", "Grace", "Ryan", "Nicola",
                                        "Kevin", "Aisha", "Martin", "Chloe", "Imran", "Laura"};
    static const char *const sur[] = {"Nowak", "Lewis", "Kowalski", "Hopper", "Walker", "Smith",
                                      "Walsh", "Khan", "Lee", "Barnes", "Hussain", "Price"};
    char a[2048] = "id,first_name,surname,dob\n", b[2048] = "id,name,dob\n";
    size_t nf = strlen(forms);
    for (int i = 0; i < 12; i++) {
        char ua[32], ub[32], line[160];
        snprintf(ua, sizeof ua, "%s", sur[i]);
        snprintf(ub, sizeof ub, "%s", first[i]);
        for (char *q = ua; *q; q++)
            *q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
        for (char *q = ub; *q; q++)
            *q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
        snprintf(line, sizeof line, "a%d,%s,%s,%02d/03/19%02d\n", i, first[i], sur[i], i + 1, 60 + i);
        strcat(a, line);
        char form = forms[(size_t)i % nf];
        if (form == 's')
            snprintf(line, sizeof line, "b%d,%s %s JAMES,%02d/03/19%02d\n", i, ua, ub, i + 1, 60 + i);
        else if (form == 'g')
            snprintf(line, sizeof line, "b%d,%s JAMES %s,%02d/03/19%02d\n", i, ub, ua, i + 1, 60 + i);
        else
            snprintf(line, sizeof line, "b%d,%s James %s,%02d/03/19%02d\n", i, first[i], sur[i], i + 1, 60 + i);
        strcat(b, line);
    }
    conflate_engine *eng = run_two(a, b);
    /* records 0-11 are a0-a11, 12-23 b0-b11: NOWAK PAUL JAMES is Paul Nowak */
    for (size_t i = 0; i < 12; i++) {
        assert_true(conflate_record_cluster(eng, i) == conflate_record_cluster(eng, 12 + i));
        assert_int_equal(pair_level(eng, i, 12 + i, 0), conflate_feature_levels(eng, 0) - 1);
        assert_int_equal(pair_level(eng, i, 12 + i, 1), conflate_feature_levels(eng, 1) - 1);
    }
    conflate_free(eng);
}

/* An input that writes whole names surname first in capitals throughout (custody and PNC
 * extracts: "NOWAK PAUL MARK") is found by its first words being the surnames the other input
 * holds, and read so (before, the last word was taken for the surname: F1 0.87 on a held-out
 * shape); an input written given name first stays so. */
static void test_full_name_surname_first(void **st)
{
    (void)st;
    whole_names_meet("s");
}

/* An input that mixes the orders (a merged extract: review 48, "PATEL MIA CAROL" beside
 * "Mia Carol Patel", 48% of the former missed): a name in capitals whose first word is a
 * surname the other input holds and never a first name, and whose second is a first name and
 * never a surname, is read surname first on its own; the others as before. */
static void test_full_name_mixed_orders(void **st)
{
    (void)st;
    whole_names_meet("sgm");
    /* a name not in capitals stays given name first (review 53: "Thomas David Okafor" became
       David Thomas, born the same day) */
    conflate_engine *eng = run_two("id,first_name,surname,dob\na0,David,Thomas,01/02/1980\n",
                                   "id,name,dob\nb0,Thomas David Okafor,01/02/1980\n");
    assert_true(conflate_record_cluster(eng, 0) != conflate_record_cluster(eng, 1));
    conflate_free(eng);
}


/* A woman's surname changes at marriage, and her home with it: her records then agree on
 * first name, date of birth and often a mobile or e-mail. How often a match's surname differs
 * is bounded by the pairs an identifier or a contact shows to be one person, not only those at
 * one home (review 59: anchored by the home, the bound was 0.06 and such pairs were left
 * apart: F1 0.828 on this set, 0.933 with the bound). tests/data/conflate/marriage: 3,000
 * people in three sources (README there). */
static void test_married_names(void **st)
{
    (void)st;
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    static const char *const src[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/conflate/marriage/%s.csv", IOM_TEST_DATA_DIR, src[i]);
        size_t n;
        char *text = t_slurp(path, &n);
        assert_int_equal(conflate_add_csv_buffer(eng, src[i], text, n, NULL, &e), IOM_OK);
        free(text);
    }
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    /* pairwise against the truth: records of one person, and of one cluster */
    char tp[512];
    snprintf(tp, sizeof tp, "%s/conflate/marriage/truth.csv", IOM_TEST_DATA_DIR);
    size_t tn;
    char *truth = t_slurp(tp, &tn);
    size_t nr = conflate_record_count(eng);
    long *person = calloc(nr, sizeof *person);
    for (char *line = strchr(truth, '\n') + 1; *line;) {
        char *end = strchr(line, '\n'), in[8], id[32];
        long pid;
        assert_int_equal(sscanf(line, "%7[^,],%31[^,],%ld", in, id, &pid), 3);
        long r = conflate_find_record(eng, in, id);
        assert_true(r >= 0);
        person[r] = pid;
        line = end ? end + 1 : line + strlen(line);
    }
    free(truth);
    uint64_t tp_pairs = 0, pred = 0, true_pairs = 0;
    for (size_t a = 0; a < nr; a++)
        for (size_t b = a + 1; b < nr; b++) {
            bool same = person[a] == person[b], joined = conflate_record_cluster(eng, a) == conflate_record_cluster(eng, b);
            true_pairs += same;
            pred += joined;
            tp_pairs += same && joined;
        }
    free(person);
    double p = pred ? (double)tp_pairs / (double)pred : 1, r = (double)tp_pairs / (double)true_pairs;
    fprintf(stderr, "married names: P %.4f R %.4f F1 %.4f\n", p, r, 2 * p * r / (p + r));
    assert_true(p >= 0.99);
    assert_true(r >= 0.85);
    conflate_free(eng);
}

/* Two house numbers of one street are two homes: at most "similar", never "close". */
static void test_house_numbers(void **st)
{
    (void)st;
    conflate_engine *eng = run_text("h.csv", "id,first_name,surname,address\n"
                                             "1,John,Smith,64 Stanley Road\n"
                                             "2,John,Smith,49 Stanley Road\n"
                                             "3,John,Smith,64 Stanley Raod\n"); /* one home: close */
    assert_string_equal(conflate_feature_role(eng, 2), "address");
    assert_int_equal(pair_level(eng, 0, 1, 2), 1);
    assert_int_equal(pair_level(eng, 1, 2, 2), 1);
    assert_int_equal(pair_level(eng, 0, 2, 2), 2);
    conflate_free(eng);
}

/* An input written month first (US order) is found and read so; the other stays day first. */
static void test_month_first_input(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "a1,John,Smith,03/12/1985\n"
                    "a2,Mary,Jones,25/01/1970\n";
    const char *b = "id,first_name,surname,dob\n"
                    "b1,John,Smith,12/03/1985\n" /* 3 December: month first */
                    "b2,Mary,Jones,01/25/1970\n"
                    "b3,Alan,Brown,07/14/1950\n"
                    "b4,Ann,Green,11/30/1961\n";
    conflate_engine *eng = run_two(a, b);
    uint64_t unusable = 1;
    conflate_feature_counts(eng, 2, &unusable, NULL);
    assert_int_equal(unusable, 0); /* 07/14/1950 and 11/30/1961 are dates */
    assert_int_equal(pair_level(eng, 0, 2, 2), conflate_feature_levels(eng, 2) - 1); /* exact */
    assert_int_equal(pair_level(eng, 1, 3, 2), conflate_feature_levels(eng, 2) - 1);
    conflate_free(eng);
}

/* Both orders in one input (review 48: a merged extract; the values that can only be read
 * month first were "not dates", taken as missing): those are read month first, the others
 * day first as most of the column. */
static void test_both_orders_in_one_input(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "a1,John,Smith,30/12/1973\n"
                    "a2,Mary,Jones,25/01/1970\n"
                    "a3,Alan,Brown,14/07/1950\n";
    const char *b = "id,first_name,surname,dob\n"
                    "b1,John,Smith,12/30/1973\n" /* month first: only so is it a date */
                    "b2,Mary,Jones,25/01/1970\n"
                    "b3,Alan,Brown,14/07/1950\n"
                    "b4,Ann,Green,21/11/1961\n"
                    "b5,Ian,Gray,28/02/1944\n";
    conflate_engine *eng = run_two(a, b);
    uint64_t unusable = 1;
    conflate_feature_counts(eng, 2, &unusable, NULL);
    assert_int_equal(unusable, 0);
    assert_int_equal(pair_level(eng, 0, 3, 2), conflate_feature_levels(eng, 2) - 1); /* exact */
    conflate_free(eng);
}

/* Roles mapped by one input only (settings inputs.PATH.fields), without engine-wide fields:
 * compared, whichever input comes first (before, "not among the compared fields" unless an
 * earlier input had the role by its column name). */
static void test_per_input_fields(void **st)
{
    (void)st;
    const char *a = "Person Ref,Surname,Forename(s),Born\n"
                    "P1,Smith,John,01/02/1980\n";
    const char *b = "id,surname,first_name,dob\n"
                    "B1,Smith,John,01/02/1980\n";
    conflate_field_map fm[] = {{"first_name", "Forename(s)"}, {"dob", "Born"}};
    conflate_input_opts io = {.fields = fm, .nfields = 2, .id_column = "Person Ref"};
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "a.csv", a, strlen(a), &io, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_int_equal(conflate_feature_count(eng), 3);
    assert_true(conflate_record_cluster(eng, 0) == conflate_record_cluster(eng, 1));
    /* what each input was read by (iom conflate prints it for inputs read otherwise) */
    assert_string_equal(conflate_input_column(eng, 0, 0), "Forename(s)");
    assert_string_equal(conflate_input_column(eng, 1, 0), "first_name");
    assert_string_equal(conflate_input_id_column(eng, 0), "Person Ref");
    assert_string_equal(conflate_input_id_column(eng, 1), "id");
    assert_null(conflate_input_column(eng, 2, 0));
    conflate_free(eng);
}

/* A first name's initial against the name: close (all the record knows of it, and it agrees);
   against another name: different. */
static void test_first_initial(void **st)
{
    (void)st;
    conflate_engine *eng = run_text("i.csv", "id,first_name,surname\n"
                                             "1,J,Smith\n"
                                             "2,Jason,Smith\n"
                                             "3,Kevin,Smith\n");
    assert_int_equal(pair_level(eng, 0, 1, 0), 2);
    assert_int_equal(pair_level(eng, 0, 2, 0), 0);
    conflate_free(eng);
}

/* A loose swap between strangers (Robert Jackson, Jason Roberts) with another date of birth
 * is no match (it was, at p 0.9999: strangers could not show a swap); a real swap with the
 * same date of birth still is. */
static void test_swap_strangers(void **st)
{
    (void)st;
    conflate_engine *eng = run_text("w.csv", "id,first_name,surname,dob,sex,postcode\n"
                                             "1,Gary,Stevens,14/07/1991,M,S4 0TL\n"
                                             "2,Peter,Smith,05/06/1990,M,B1 1AA\n"
                                             "3,Robert,Jackson,04/05/1977,M,BD15 0NY\n"
                                             "4,Jason,Roberts,04/11/1978,M,E13 2GF\n"
                                             "5,Mary,Jones,01/02/1980,F,LS1 4AP\n"
                                             "6,Sarah,Brown,03/04/1970,F,M1 1AA\n"
                                             "7,Smith,Peter,05/06/1990,M,B1 1AA\n"
                                             "8,Helen,Wood,07/08/1965,F,CF10 1AA\n");
    assert_true(conflate_record_cluster(eng, 2) != conflate_record_cluster(eng, 3));
    assert_true(conflate_record_cluster(eng, 1) == conflate_record_cluster(eng, 6));
    conflate_free(eng);
}

/* A mapped column empty in every record is said, and left out of the model: it does not keep
 * the triple's obvious rule (an exact date of birth) from picking the matches EM starts from. */
static void test_empty_column_left_out(void **st)
{
    (void)st;
    static const char *first[] = {"Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia"};
    static const char *sur[] = {"Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker"};
    size_t cap = 1 << 16, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "id,first_name,surname,dob,postcode\n");
    for (int i = 0; i < 400; i++)
        for (int k = 0; k < 2; k++)
            n += (size_t)snprintf(t + n, cap - n, "R%d_%d,%s,%s,,LS%d %dAB\n", i, k, first[i % 8],
                                  sur[(i / 8) % 7], 1 + i % 29, (i / 56) % 10);
    assert_true(n < cap - 1);
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "e.csv", t, n, NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    char *text = NULL;
    size_t len = 0;
    FILE *x = open_memstream(&text, &len);
    conflate_explain_model(eng, x);
    fclose(x);
    /* estimated, not the defaults for too few obvious matches */
    assert_null(strstr(text, "too few candidate pairs"));
    free(text);
    conflate_free(eng);
    free(t);
}

/* Names written the other way round weigh no more than the same names in order: among people
 * whose names come from a few common ones (family name first in one source, given name first
 * in another), a swap is no rarer than those names agreeing in order. Before the cap the
 * swapped level's rates (learned, no term frequency) gave "Yang Ming" / "Ming Yang" more
 * weight than "Ming Yang" / "Ming Yang". */
static void test_swap_no_more_than_exact(void **st)
{
    (void)st;
    static const char *given[] = {"Ming", "Wei", "Jing", "Hui", "Lei", "Yan"};
    static const char *family[] = {"Yang", "Wang", "Zhang", "Chen", "Liu", "Huang"};
    size_t cap = 1 << 16, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "id,first_name,surname,dob,postcode\n");
    for (int i = 0; i < 600; i++) /* two records a person, the second's day of birth off at times */
        for (int k = 0; k < 2; k++)
            n += (size_t)snprintf(t + n, cap - n, "P%d_%d,%s,%s,%02d/%02d/%d,M%d %dAB\n", i, k,
                                  given[i % 6], family[(i / 6) % 6], 1 + (i + (k && i % 5 == 0)) % 28,
                                  1 + i % 12, 1940 + i % 60, 1 + i % 40, i % 9);
    n += (size_t)snprintf(t + n, cap - n, "A,Ming,Yang,05/05/1971,B1 1AA\n"
                                          "B,Yang,Ming,05/05/1971,B1 1AA\n"
                                          "C,Ming,Yang,05/05/1971,B1 1AA\n");
    assert_true(n < cap - 1);
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "cn.csv", t, n, NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    long a = conflate_find_record(eng, "cn.csv", "A"), b = conflate_find_record(eng, "cn.csv", "B"),
         c = conflate_find_record(eng, "cn.csv", "C");
    assert_true(a >= 0 && b > a && c > b);
    double wab = 0, wac = 0;
    int seen = 0;
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t x, y;
        unsigned lv[8];
        double w = conflate_pair_get(eng, i, &x, &y, lv);
        if (x == (uint32_t)a && y == (uint32_t)b) {
            assert_int_equal(lv[0], 3); /* swapped */
            assert_int_equal(lv[1], 3);
            wab = w;
            seen |= 1;
        } else if (x == (uint32_t)a && y == (uint32_t)c) {
            wac = w;
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
    assert_true(wab <= wac + 1e-6);
    char *text = NULL;
    size_t len = 0;
    FILE *x = open_memstream(&text, &len);
    conflate_explain_pair(eng, (size_t)a, (size_t)b, x);
    fclose(x);
    assert_non_null(strstr(text, "the same names in order (capped)"));
    /* the same whichever record comes first */
    char *tb = NULL;
    size_t lb = 0;
    x = open_memstream(&tb, &lb);
    conflate_explain_pair(eng, (size_t)b, (size_t)a, x);
    fclose(x);
    assert_string_equal(strstr(text, "total weight"), strstr(tb, "total weight"));
    free(tb);
    free(text);
    conflate_free(eng);
    free(t);
}

/* A field mapped for every input (--field) that one input lacks: missing in its records, said
 * in a note (sources with different field sets); no input having it is an error (above). */
static void test_field_absent_in_one(void **st)
{
    (void)st;
    conflate_options o;
    conflate_options_default(&o);
    o.threads = 2;
    conflate_field_map fm[] = {{"first_name", "first_name"}, {"surname", "surname"},
                               {"middle_name", "middle"}};
    o.fields = fm;
    o.nfields = 3;
    conflate_engine *eng;
    assert_int_equal(conflate_new(&eng, &o, NULL), IOM_OK);
    const char *a = "id,first_name,middle,surname\nA1,John,Paul,Smith\n";
    const char *b = "id,first_name,surname\nB1,John,Smith\n";
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "a.csv", a, strlen(a), NULL, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_null(conflate_input_column(eng, 1, 2));
    assert_string_equal(conflate_input_column(eng, 0, 2), "middle");
    conflate_free(eng);
}

static void test_csv_quirks(void **st)
{
    (void)st;
    /* ", " separators, CRLF, quoted fields with commas and newlines, no final newline */
    const char *t = "\xEF\xBB\xBFid, first_name, surname\r\n"
                    "a, \"Smith, Jr\", x\r\n"
                    "b,\"multi\nline\",y\r\n"
                    "\r\n"
                    "c,  zac, z";
    conflate_engine *eng = engine(CONFLATE_DEDUPE_ONLY, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "q.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_record_count(eng), 3);
    assert_string_equal(conflate_record_id(eng, 2), "c");
    conflate_free(eng);
}

static void expect_fail_n(const char *text, size_t n, conflate_on_error oe, const char *needle)
{
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, oe);
    iom_error e;
    iom_error_clear(&e);
    iom_err rc = conflate_add_csv_buffer(eng, "bad.csv", text, n, NULL, &e);
    if (rc == IOM_OK)
        rc = conflate_run(eng, &e);
    assert_int_equal(rc, IOM_EINVAL);
    if (!strstr(e.msg, needle))
        fail_msg("message '%s' lacks '%s'", e.msg, needle);
    conflate_free(eng);
}

static void expect_fail(const char *text, conflate_on_error oe, const char *needle)
{
    expect_fail_n(text, strlen(text), oe, needle);
}

static void test_bad_inputs(void **st)
{
    (void)st;
    /* a NUL is named as such (not "not UTF-8", whose hint would not help); a control character
       or a bidirectional override in a value is refused like in a dataset, with its offset */
    static const char nul[] = "id,first_name\n1,ab\0c\n";
    expect_fail_n(nul, sizeof nul - 1, CONFLATE_ON_ERROR_STOP,
                  "bad.csv:2: column 'first_name' holds a NUL byte (0x00) at byte 2");
    expect_fail("id,first_name\n1,an\x1b[31mn\n", CONFLATE_ON_ERROR_STOP,
                "bad.csv:2: column 'first_name' holds the control character U+001B at byte 2");
    expect_fail("id,first_name\n1,an\xE2\x80\xAEn\n", CONFLATE_ON_ERROR_STOP,
                "holds the bidirectional control U+202E at byte 2");
    expect_fail("id,first_name\nx\x07,ann\n", CONFLATE_ON_ERROR_STOP,
                "record id (column 'id') holds the control character U+0007 at byte 1");
    expect_fail("", CONFLATE_ON_ERROR_STOP, "empty");
    expect_fail("id,first_name\n", CONFLATE_ON_ERROR_STOP, "no records");
    expect_fail("id,first_name\n1,a\n2,b,c\n", CONFLATE_ON_ERROR_STOP, "bad.csv:3: expected 2 fields");
    expect_fail("id,first_name\n1,a\"b\n", CONFLATE_ON_ERROR_STOP, "bad.csv:2: malformed quoting");
    expect_fail("id,first_name\n1,\"open\n", CONFLATE_ON_ERROR_STOP, "unterminated");
    expect_fail("id,first_name\n1,\xC3\x28\n", CONFLATE_ON_ERROR_STOP, "bad.csv:2: column 'first_name' is not valid UTF-8");
    expect_fail("id,first_name\n1,a\n1,b\n", CONFLATE_ON_ERROR_STOP, "duplicate record id '1'");
    expect_fail("id,colour\n1,a\n", CONFLATE_ON_ERROR_STOP, "no column matches a role");
    expect_fail("id,first_name\n,a\n", CONFLATE_ON_ERROR_STOP, "record id");
    expect_fail("\xFF\xFEi\x01d\x01", CONFLATE_ON_ERROR_STOP, "UTF-16");
    expect_fail("id,first_name,surname,first_name\n1,a,b,c\n", CONFLATE_ON_ERROR_STOP,
                "column 'first_name' is in the header twice (columns 2 and 4)");
    expect_fail("id,\"first\"x\n1,a\n", CONFLATE_ON_ERROR_SKIP, "bad.csv:1: the header row: malformed");
    { /* from a file, the message names it */
        write_file("u16.csv", "\xFE\xFF\x01i\x01d");
        conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_SKIP);
        iom_error e;
        iom_error_clear(&e);
        assert_int_equal(conflate_add_csv(eng, path("u16.csv"), NULL, &e), IOM_EINVAL);
        assert_non_null(strstr(e.msg, "u16.csv: the file is UTF-16"));
        conflate_free(eng);
    }
    /* skip mode: counted and listed, the run goes on */
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_SKIP);
    const char *t = "id,first_name,surname\n1,ann,lee\n2,a\"b,x\n3,x,y,z\n4,ann,lee\n4,dup,id\n";
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_add_csv_buffer(eng, "s.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_record_count(eng), 2);
    assert_int_equal(conflate_skipped_count(eng), 3);
    const char *in, *why;
    size_t line;
    conflate_skipped_get(eng, 1, &in, &line, &why);
    assert_string_equal(in, "s.csv");
    assert_int_equal(line, 4);
    assert_non_null(strstr(why, "expected 3 fields"));
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    conflate_free(eng);
    { /* rows that leave their last fields off: read, those fields empty, and a note says so
         (review 105 M: the run stopped at the first) */
        msgs m = {0, 0, 0};
        conflate_options so;
        conflate_options_default(&so);
        so.message = on_message;
        so.message_ud = &m;
        conflate_engine *se;
        assert_int_equal(conflate_new(&se, &so, NULL), IOM_OK);
        const char *r = "id,first_name,surname,dob,postcode\n1,ann,lee,1980-01-02,LS1 1AA\n2,bob,ray\n"
                        "3,cat,fox,1975-05-06\n";
        iom_error_clear(&e);
        assert_int_equal(conflate_add_csv_buffer(se, "r.csv", r, strlen(r), NULL, &e), IOM_OK);
        assert_int_equal(conflate_record_count(se), 3);
        assert_int_equal(conflate_skipped_count(se), 0);
        assert_int_equal(m.notes, 1);
        assert_int_equal(conflate_run(se, &e), IOM_OK);
        conflate_free(se);
    }
    /* unknown column in a field mapping, missing file */
    conflate_options o;
    conflate_options_default(&o);
    conflate_field_map fm[] = {{"first_name", "nope"}};
    o.fields = fm;
    o.nfields = 1;
    assert_int_equal(conflate_new(&eng, &o, NULL), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "u.csv", people, strlen(people), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_EINVAL); /* no input has it: a mistake */
    assert_non_null(strstr(e.msg, "--field first_name=nope: no input has a column 'nope'"));
    assert_int_equal(conflate_add_csv(eng, path("missing.csv"), NULL, &e), IOM_EIO);
    conflate_free(eng);
    o.threshold = 1.5;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_EINVAL);
}

static void test_constraints(void **st)
{
    (void)st;
    iom_error e;
    iom_error_clear(&e);
    /* cannot_link splits Robert/Bob; must_link joins Alan to Margaret */
    write_file("k.csv", "kind,input_a,record_a,input_b,record_b\n"
                        "cannot_link,p.csv,1,p.csv,2\n"
                        "must_link,p.csv,5,p.csv,3\n");
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    assert_int_equal(conflate_add_constraints(eng, path("k.csv"), &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 2));
    conflate_free(eng);
    /* a contradiction is reported before any work, naming the pair and the chain */
    write_file("bad.csv", "kind,input_a,record_a,input_b,record_b\n"
                          "must_link,p.csv,1,p.csv,3\n"
                          "must_link,p.csv,3,p.csv,5\n"
                          "cannot_link,p.csv,5,p.csv,1\n");
    eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    assert_int_equal(conflate_add_constraints(eng, path("bad.csv"), &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "contradict"));
    assert_non_null(strstr(e.msg, "p.csv:5 / p.csv:1 (line 4)"));
    assert_non_null(strstr(e.msg, "p.csv:3"));
    conflate_free(eng);
    /* unknown record and bad kind */
    write_file("unk.csv", "kind,input_a,record_a,input_b,record_b\nmust_link,p.csv,1,p.csv,77\n");
    eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    assert_int_equal(conflate_add_constraints(eng, path("unk.csv"), &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "no record '77'"));
    conflate_free(eng);
    write_file("kind.csv", "kind,input_a,record_a,input_b,record_b\nmaybe,p.csv,1,p.csv,2\n");
    eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    assert_int_equal(conflate_add_constraints(eng, path("kind.csv"), &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "must_link or cannot_link"));
    conflate_free(eng);
}

static void test_link_only_one_per_input(void **st)
{
    (void)st;
    /* b.csv holds two near-identical records; link_only lets only one join a.csv's record */
    const char *a = people;
    const char *b = "id,first_name,surname,dob,postcode,phone\n"
                    "b1,Robert,Smith,1980-04-03,SW1A 1AA,07700 900123\n"
                    "b2,Robert,Smith,1980-04-03,SW1A 1AA,07700 900123\n"
                    "b3,Margaret,Jones,1975-03-12,M1 1AE,07700 900456\n"
                    "b5,Alan,Brown,1990-01-01,B33 8TH,07700 900789\n";
    /* with 68 more inputs (70 in all: more than a 64-bit mask of inputs holds; review 105
       HIGH: the rule was dropped then, and b1 and b2 were clustered) the rule holds the same */
    for (int extra = 0; extra <= 68; extra += 68) {
        conflate_options o;
        conflate_options_default(&o);
        o.mode = CONFLATE_LINK_ONLY;
        o.threshold = 0.01; /* so that a.csv:1 reaches both b1 and b2 */
        conflate_engine *eng;
        assert_int_equal(conflate_new(&eng, &o, NULL), IOM_OK);
        iom_error e;
        iom_error_clear(&e);
        assert_int_equal(conflate_add_csv_buffer(eng, "a.csv", a, strlen(a), NULL, &e), IOM_OK);
        assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
        for (int k = 0; k < extra; k++) {
            char name[32], text[200];
            snprintf(name, sizeof name, "x%02d.csv", k);
            snprintf(text, sizeof text,
                     "id,first_name,surname,dob,postcode,phone\n"
                     "x%d,Person%c%c,Other%c%c,19%02d-0%d-1%d,LS%d 1AA,07700 95%04d\n",
                     k, 'a' + k % 26, 'a' + k / 26, 'a' + k / 26, 'a' + k % 26, 40 + k % 50, 1 + k % 9,
                     k % 10, k % 20, k);
            assert_int_equal(conflate_add_csv_buffer(eng, name, text, strlen(text), NULL, &e), IOM_OK);
        }
        assert_int_equal(conflate_run(eng, &e), IOM_OK);
        int same = (conflate_record_cluster(eng, 0) == conflate_record_cluster(eng, 5)) +
                   (conflate_record_cluster(eng, 0) == conflate_record_cluster(eng, 6));
        assert_int_equal(same, 1);
        assert_int_not_equal(conflate_record_cluster(eng, 5), conflate_record_cluster(eng, 6));
        conflate_free(eng);
    }
}

/* The engine never prints: what it says goes to the message callback, debug lines only when
 * asked for. */
static void test_messages_through_callback(void **st)
{
    (void)st;
    for (int debug = 0; debug < 2; debug++) {
        msgs m = {0, 0, 0};
        conflate_options o;
        conflate_options_default(&o);
        o.message = on_message;
        o.message_ud = &m;
        o.debug = debug;
        conflate_engine *eng;
        iom_error e;
        iom_error_clear(&e);
        assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
        assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_OK);
        assert_int_equal(conflate_run(eng, &e), IOM_OK);
        if (debug)
            assert_true(m.debug > 0);
        else
            assert_int_equal(m.debug, 0);
        conflate_free(eng);
    }
}

static char said[8192];

static void keep_message(void *ud, conflate_msg_kind kind, const char *text)
{
    (void)ud;
    size_t n = strlen(said);
    snprintf(said + n, sizeof said - n, "%s: %s\n", kind == CONFLATE_MSG_WARNING ? "warning" : "note", text);
}

/* An engine run at the defaults over inputs a (named an) and b (bn, or none when NULL), its
   messages in `said`; freed by the caller (conflate_free). */
static conflate_engine *run_inputs(const char *an, const char *a, size_t na, const char *bn, const char *b)
{
    conflate_options o;
    conflate_options_default(&o);
    o.message = keep_message;
    said[0] = '\0';
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, an, a, na, NULL, &e), IOM_OK);
    if (b)
        assert_int_equal(conflate_add_csv_buffer(eng, bn, b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    print_message("%s", said);
    return eng;
}

/* Runs the engine on one input (name, csv of n bytes), keeping what it says in `said`. */
static void run_saying(const char *name, const char *csv, size_t n)
{
    conflate_free(run_inputs(name, csv, n, NULL, NULL));
}

/* A name one record in ten holds is a community's (Begum in a Bradford extract), said as a
 * note; an identifier as widely held is a warning, a placeholder? (review 52: the surname was
 * a warning, noise that teaches analysts to pass over the real ones). */
static void test_common_names_are_noted(void **st)
{
    (void)st;
    char *csv = malloc(20000);
    size_t n = (size_t)sprintf(csv, "id,first_name,surname,dob,phone\n");
    static const char *const first[] = {"Amina", "Rukhsana", "Shazia", "Nasreen", "Farzana"};
    for (int i = 0; i < 200; i++)
        n += (size_t)sprintf(csv + n, "R%d,%s%d,%s%d,19%02d-%02d-%02d,07700 9%05d\n", i, first[i % 5], i,
                             i % 8 == 0 ? "Begum" : "Surname", i % 8 == 0 ? 0 : i, 50 + i % 40, 1 + i % 12,
                             1 + i % 28, i % 8 == 1 ? 1 : i);
    run_saying("b.csv", csv, n);
    free(csv);
    assert_non_null(strstr(said, "note: column 'surname' (surname): 'begum0' is in"));
    assert_non_null(strstr(said, "a common name in these inputs"));
    assert_null(strstr(said, "warning: column 'surname'"));
    assert_non_null(strstr(said, "warning: column 'phone' (phone):"));
    assert_non_null(strstr(said, "a placeholder, or one person with many records?"));
}

/* One value that can only be read month first and none only day first: too few to tell the
 * column's order, said so (review 50: the warning spoke of both orders). */
static void test_one_month_first_value(void **st)
{
    (void)st;
    const char *csv = "id,first_name,surname,dob\n1,Ann,Lee,03/04/1980\n2,Bob,Ray,05/06/1981\n3,Cy,Ox,04/25/1982\n";
    run_saying("m.csv", csv, strlen(csv));
    assert_non_null(strstr(said, "1 value can only be read month first (read so) and none only day first: too "
                                 "few to tell the column's order"));
    assert_null(strstr(said, "both orders"));
}

/* Review 91: a year known alone is one of the few years its column spans: a year in 12% of a
 * column of ten years is no placeholder; one year alone in half of a column of whole dates
 * over eighty years is worth the warning. */
static void test_years_alone_share(void **st)
{
    (void)st;
    char *csv = malloc(40000);
    size_t n = (size_t)sprintf(csv, "id,first_name,surname,dob\n");
    for (int i = 0; i < 600; i++)
        n += (size_t)sprintf(csv + n, "%d,N%d,S%d,%d\n", i, i % 97, i % 89, i < 72 ? 2009 : 2001 + i % 10);
    run_saying("y.csv", csv, n);
    assert_null(strstr(said, "a placeholder, or one person with many records?"));
    n = (size_t)sprintf(csv, "id,first_name,surname,dob\n");
    for (int i = 0; i < 600; i++)
        if (i < 300)
            n += (size_t)sprintf(csv + n, "%d,A%d,B%d,1985\n", i, i, i);
        else
            n += (size_t)sprintf(csv + n, "%d,A%d,B%d,%d-0%d-1%d\n", i, i, i, 1910 + i % 80, 1 + i % 9, i % 9);
    run_saying("z.csv", csv, n);
    assert_non_null(strstr(said, "column 'dob' (dob): '1985' is in 300 of 600 records (50.0%)"));
    free(csv);
}

/* Review 91: NI numbers HMRC never issues are the dummies systems write for an unknown one. */
static void test_ni_dummies_are_missing(void **st)
{
    (void)st;
    assert_true(conflate_value_is_placeholder("ni_number", "QQ 12 34 56 C", 13));
    assert_true(conflate_value_is_placeholder("ni_number", "AB123456C", 9));
    assert_true(conflate_value_is_placeholder("ni_number", "TN010180M", 9));
    assert_true(conflate_value_is_placeholder("ni_number", "GB123456A", 9));
    assert_true(conflate_value_is_placeholder("ni_number", "JO123456", 8));
    assert_false(conflate_value_is_placeholder("ni_number", "JK123456C", 9));
    assert_false(conflate_value_is_placeholder("ni_number", "OA123456", 8));
    assert_false(conflate_value_is_placeholder("ni_number", "QQ12345", 7)); /* not of the shape */
    assert_false(conflate_value_is_placeholder("vehicle", "DU12ABC", 7));
    /* in an NI number's column only (review 93 L2) */
    assert_false(conflate_value_is_placeholder("account", "GB123456", 8));
    assert_false(conflate_value_is_placeholder("vehicle", "VU123456", 8));
    assert_false(conflate_value_is_placeholder("pnc_id", "AB123456C", 9));
}

/* Review 91: with fields mapped by hand, the columns the automatic mapping would compare and
 * no field reads are named in a warning (one --field left every other column out, without a
 * word); a --field column is found whatever its case. */
static void test_fields_by_hand_name_the_rest(void **st)
{
    (void)st;
    conflate_options o;
    conflate_options_default(&o);
    o.message = keep_message;
    conflate_field_map two[] = {{"first_name", "FIRST_NAME"}, {"surname", "surname"}};
    o.fields = two;
    o.nfields = 2;
    said[0] = '\0';
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_OK);
    assert_string_equal(conflate_feature_column(eng, 0), "FIRST_NAME");
    assert_non_null(strstr(said, "warning: p.csv: 3 columns the automatic mapping would compare are not "
                                 "compared, as --field maps only the fields given: dob=dob, postcode=postcode, "
                                 "phone=phone"));
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    conflate_free(eng);
    /* every such column mapped: nothing to say */
    conflate_field_map all[] = {{"first_name", "first_name"}, {"surname", "surname"}, {"dob", "dob"},
                                {"postcode", "postcode"}, {"phone", "phone"}};
    o.fields = all;
    o.nfields = 5;
    said[0] = '\0';
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_OK);
    assert_null(strstr(said, "automatic mapping"));
    conflate_free(eng);
    /* two columns differing in case alone: which one was meant cannot be told */
    const char *twice = "id,Surname,SURNAME,first_name\n1,Lee,Lee,Ann\n";
    conflate_field_map one[] = {{"surname", "surname"}};
    o.fields = one;
    o.nfields = 1;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "t.csv", twice, strlen(twice), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "no input has a column 'surname'"));
    conflate_free(eng);
}

/* Issue 15, "no silent traps": a mistyped role, ids that would mix with line numbers, a
 * file with another delimiter, text that is not UTF-8. */
static void test_no_silent_traps(void **st)
{
    (void)st;
    iom_error e;
    iom_error_clear(&e);
    conflate_options o;
    conflate_options_default(&o);
    conflate_engine *eng;
    /* an unknown role is an error listing the roles; generic:NAME is a generic field */
    conflate_field_map typo[] = {{"firstname", "first_name"}};
    o.fields = typo;
    o.nfields = 1;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "unknown role 'firstname'"));
    assert_non_null(strstr(e.msg, "first_name, middle_name, surname"));
    assert_non_null(strstr(e.msg, "generic:NAME"));
    conflate_field_map gen[] = {{"first_name", "first_name"}, {"generic:colour", "surname"}};
    o.fields = gen;
    o.nfields = 2;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_OK);
    assert_string_equal(conflate_feature_role(eng, 1), "colour");
    conflate_free(eng);
    conflate_field_map bad[] = {{"generic:surname", "surname"}};
    o.fields = bad;
    o.nfields = 1;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_EINVAL);
    /* one input with an id column and one without any: its records are named by line number,
       and a note says so (review 119: the run stopped, with no way on but an edit) */
    const char *noid = "first_name,surname\nAnn,Lee\n";
    eng = run_inputs("p.csv", people, strlen(people), "noid.csv", noid);
    assert_non_null(strstr(said, "noid.csv has no record id column: its records are named by line number"));
    assert_null(conflate_input_id_column(eng, 1));
    conflate_free(eng);
    eng = run_inputs("noid.csv", noid, strlen(noid), "p.csv", people);
    assert_non_null(strstr(said, "noid.csv has no record id column: its records are named by line number"));
    conflate_free(eng);
    /* --id naming a column an input lacks: an error naming the input */
    conflate_options_default(&o);
    o.id_column = "ref";
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "p.csv", people, strlen(people), NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "no column 'ref' in p.csv"));
    conflate_free(eng);
    /* the delimiter is detected: ; tab | */
    const char *seps[] = {";", "\t", "|"};
    for (int k = 0; k < 3; k++) {
        char text[256];
        snprintf(text, sizeof text, "id%sfirst_name%ssurname\n1%sAnn%sLee\n2%sAnne%sLee\n", seps[k],
                 seps[k], seps[k], seps[k], seps[k], seps[k]);
        conflate_options_default(&o);
        assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
        assert_int_equal(conflate_add_csv_buffer(eng, "s.csv", text, strlen(text), NULL, &e), IOM_OK);
        assert_int_equal(conflate_feature_count(eng), 2);
        assert_int_equal(conflate_input_delimiter(eng, 0), seps[k][0]);
        assert_int_equal(conflate_input_delimiter_how(eng, 0), 1); /* detected */
        conflate_free(eng);
    }
    /* Excel's "sep=;" first line: the delimiter it names, the line skipped (review 105 L: it was
       the header, and no column matched a role); a bad line after it keeps its physical number */
    const char *excel = "\xEF\xBB\xBFsep=;\r\nid;first_name;surname\r\n1;Ann;Lee\r\n2;Anne;Lee;x\r\n";
    conflate_options_default(&o);
    o.on_error = CONFLATE_ON_ERROR_SKIP;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "x.csv", excel, strlen(excel), NULL, &e), IOM_OK);
    assert_int_equal(conflate_feature_count(eng), 2);
    assert_int_equal(conflate_input_delimiter(eng, 0), ';');
    assert_int_equal(conflate_input_delimiter_how(eng, 0), 2); /* named (review 106 L8) */
    assert_int_equal(conflate_record_count(eng), 1);
    {
        const char *in, *why;
        size_t line;
        conflate_skipped_get(eng, 0, &in, &line, &why);
        assert_int_equal(line, 4);
    }
    conflate_free(eng);
    /* a one-column header names the delimiter in the error */
    const char *odd = "id^first_name\n1^Ann\n";
    conflate_options_default(&o);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "odd.csv", odd, strlen(odd), NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "delimiter"));
    conflate_free(eng);
    /* Latin-1 and Windows-1252: a hint, then converted on read */
    const char *lat = "id,first_name,surname\n1,Jos\xe9" ",N\xfa\xf1" "ez\n2,Jose,Nunez\n";
    conflate_options_default(&o);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "lat.csv", lat, strlen(lat), NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "--encoding latin1 or cp1252"));
    conflate_free(eng);
    o.encoding = CONFLATE_ENC_LATIN1;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "lat.csv", lat, strlen(lat), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    /* accents are folded: José Núñez and Jose Nunez are one name */
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
    const char *win = "id,first_name,surname\n1,\x93" "Ann\x94" ",Lee\n";
    conflate_input_opts io;
    memset(&io, 0, sizeof io);
    io.encoding = CONFLATE_ENC_CP1252;
    conflate_options_default(&o);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "w.csv", win, strlen(win), &io, &e), IOM_OK);
    conflate_free(eng);
    /* the same Windows-1252 file read as Latin-1: its curly quotes are C1 controls, and the
       error names cp1252 (review 105 L: it blamed UTF-8 alone) */
    io.encoding = CONFLATE_ENC_LATIN1;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "w.csv", win, strlen(win), &io, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "read it as cp1252"));
    conflate_free(eng);
}

/* Names made of filler words with one that says "unknown" are placeholders ("Unknown Male",
 * "N.K. Female", "Not Recorded", "Male Unknown"); a word of sex or person alone, or with a name,
 * is not ("Male", "Person", "Mark Person"). A held-out shape's "Unknown Male" was compared as a
 * first name. */
static void test_filler_names(void **st)
{
    (void)st;
    const char *t = "id,first_name,surname,dob\n"
                    "1,Unknown Male,Lee,01/02/1980\n"
                    "2,N.K. Female,Lee,01/02/1981\n"
                    "3,Not Recorded,Lee,01/02/1982\n"
                    "4,Male Unknown,Lee,01/02/1983\n"
                    "5,UNKNOWN PERSON,Lee,01/02/1984\n"
                    "6,Male,Lee,01/02/1985\n"
                    "7,Mark,Person,01/02/1986\n"
                    "8,Not,Lee,01/02/1987\n"
                    "9,Known,Lee,01/02/1988\n";
    conflate_engine *eng = run_text("n.csv", t);
    size_t ff = 99, fs = 99;
    for (size_t f = 0; f < conflate_feature_count(eng); f++) {
        if (!strcmp(conflate_feature_role(eng, f), "first_name"))
            ff = f;
        if (!strcmp(conflate_feature_role(eng, f), "surname"))
            fs = f;
    }
    uint64_t unusable, ph;
    conflate_feature_counts(eng, ff, &unusable, &ph);
    assert_int_equal(ph, 5); /* records 1-5 */
    conflate_feature_counts(eng, fs, &unusable, &ph);
    assert_int_equal(ph, 0); /* Person is a surname */
    conflate_free(eng);
}

/* Dates from year 1000 are read; a value that is no date is counted, not silently missing;
 * placeholders are missing values; a partial date agrees at its precision. */
static void test_dates_and_placeholders(void **st)
{
    (void)st;
    const char *t = "id,first_name,surname,dob,postcode,phone\n"
                    "1,Edward,Long,17/06/1939,NFA,07000000000\n"
                    "2,Edward,Long,1939-06-17,NFA,07000000000\n"
                    "3,Ann,Lee,31/02/1985,ZZ99 3VZ,\n"
                    "4,UNKNOWN,Lee,01/01/1900,SW1A 1AA,\n"
                    "5,Ann,Lee,01/01/1900,SW1A 1AA,\n"
                    "6,Bo,Kay,1985,M1 1AE,\n"
                    "7,Bo,Kay,03/1985,M1 1AE,\n";
    msgs m = {0, 0, 0};
    conflate_options o;
    conflate_options_default(&o);
    o.message = on_message;
    o.message_ud = &m;
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "d.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    size_t fd = 99, fp = 99, fpc = 99, ff = 99;
    for (size_t f = 0; f < conflate_feature_count(eng); f++) {
        if (!strcmp(conflate_feature_role(eng, f), "dob"))
            fd = f;
        if (!strcmp(conflate_feature_role(eng, f), "phone"))
            fp = f;
        if (!strcmp(conflate_feature_role(eng, f), "postcode"))
            fpc = f;
        if (!strcmp(conflate_feature_role(eng, f), "first_name"))
            ff = f;
    }
    uint64_t unusable, ph;
    conflate_feature_counts(eng, fd, &unusable, &ph);
    assert_int_equal(unusable, 1); /* 31/02/1985 */
    assert_int_equal(ph, 2);       /* 01/01/1900 twice */
    conflate_feature_counts(eng, fp, &unusable, &ph);
    assert_int_equal(ph, 2);
    conflate_feature_counts(eng, fpc, &unusable, &ph);
    assert_int_equal(ph, 3); /* NFA twice, ZZ99 3VZ */
    conflate_feature_counts(eng, ff, &unusable, &ph);
    assert_int_equal(ph, 1); /* UNKNOWN */
    assert_true(m.warnings >= 4); /* each reported */
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    /* pair 6/7: a year against a month of that year agrees only as far as the year goes:
       the level of its own, "the year" (neither exact nor "within a year", a difference of
       two dates; compared as missing until 2026-12-05) */
    size_t np = conflate_pair_count(eng);
    unsigned lv[CONFLATE_MAX_FEATURES];
    int seen = 0;
    for (size_t i = 0; i < np; i++) {
        uint32_t a, b;
        conflate_pair_get(eng, i, &a, &b, lv);
        if (a == 5 && b == 6) {
            assert_int_equal(lv[fd], CONFLATE_DATE_YEAR_ONLY);
            seen = 1;
        }
        if (a == 3 && b == 4) /* the placeholder date is missing, not an agreement */
            assert_int_equal(lv[fd], CONFLATE_LEVEL_MISSING);
    }
    assert_true(seen);
    conflate_free(eng);
    /* a historical set: dates of 1239 are read and compared; there, 01/01/1900 is a date */
    const char *h = "id,first_name,surname,dob\n"
                    "1,Edward,Longshanks,17/06/1239\n"
                    "2,Edward,Longshanks,1239-06-17\n"
                    "3,Eleanor,Castile,01/01/1900\n";
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "h.csv", h, strlen(h), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    conflate_feature_counts(eng, 2, &unusable, &ph);
    assert_int_equal(unusable + ph, 0);
    unsigned lv2[CONFLATE_MAX_FEATURES];
    conflate_pair_get(eng, 0, NULL, NULL, lv2);
    assert_int_equal(lv2[2], CONFLATE_DATE_EXACT); /* 1239-06-17 both: exact */
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
}

static int cli(const char *a0, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, a0);
    for (const char *s = a0; s && argc < 31; s = va_arg(ap, const char *))
        argv[argc++] = (char *)s;
    va_end(ap);
    argv[argc] = NULL;
    return conflate_cli_main(argc, argv, false);
}

static void test_cli(void **st)
{
    (void)st;
    write_file("people.csv", people);
    assert_int_equal(cli("conflate", "--help", NULL), 0);
    assert_int_not_equal(cli("conflate", "--bogus", NULL), 0);
    assert_int_not_equal(cli("conflate", path("people.csv"), NULL), 0); /* no --out */
    assert_int_not_equal(cli("conflate", "--threshold", "2", "--out", path("o.csv"), path("people.csv"), NULL), 0);
    assert_int_not_equal(cli("conflate", "--mode", "sideways", "--out", path("o.csv"), path("people.csv"), NULL), 0);
    assert_int_not_equal(cli("conflate", "--out", path("o.csv"), path("nope.csv"), NULL), 0);
    assert_int_equal(cli("conflate", "--field", "first_name=first_name", "--field", "surname=surname",
                         "--field", "dob=dob", "--threads", "2", "--pairs", path("pp.csv"),
                         "--explain-pair", "1,2", "--out", path("o.csv"), path("people.csv"), NULL), 0);
    write_file("s.json", "{\"threshold\": 0.6, \"mode\": \"dedupe_only\", \"fields\": "
                         "{\"first_name\": \"first_name\", \"surname\": \"surname\"}}");
    assert_int_equal(cli("conflate", "--settings", path("s.json"), "--out", path("o2.csv"),
                         path("people.csv"), NULL), 0);
    write_file("bad.json", "{\"colour\": 1}");
    assert_int_not_equal(cli("conflate", "--settings", path("bad.json"), "--out", path("o2.csv"),
                             path("people.csv"), NULL), 0);
    /* an output over an input is refused before anything is written; so is an input given
       twice (also through another spelling of its path), and --out and --pairs alike */
    assert_int_not_equal(cli("conflate", "--out", path("people.csv"), path("people.csv"), NULL), 0);
    char dotted[300];
    snprintf(dotted, sizeof dotted, "%s/./people.csv", dir);
    assert_int_not_equal(cli("conflate", "--out", path("o4.csv"), "--pairs", dotted, path("people.csv"), NULL), 0);
    assert_int_not_equal(cli("conflate", "--out", path("o4.csv"), path("people.csv"), dotted, NULL), 0);
    assert_int_not_equal(cli("conflate", "--out", path("o4.csv"), "--pairs", path("o4.csv"), path("people.csv"), NULL), 0);
    FILE *f = fopen(path("people.csv"), "rb");
    assert_non_null(f);
    char back[512];
    size_t n = fread(back, 1, sizeof back - 1, f);
    fclose(f);
    back[n] = '\0';
    assert_string_equal(back, people);
    /* review 47: an output is never written through a symbolic link, and is 0600 whatever the
       umask (it links people across datasets) */
    write_file("victim.txt", "precious\n");
    unlink(path("o5.csv"));
    assert_int_equal(symlink(path("victim.txt"), path("o5.csv")), 0);
    assert_int_not_equal(cli("conflate", "--out", path("o5.csv"), path("people.csv"), NULL), 0);
    f = fopen(path("victim.txt"), "rb");
    n = fread(back, 1, sizeof back - 1, f);
    fclose(f);
    back[n] = '\0';
    assert_string_equal(back, "precious\n");
    mode_t um = umask(0);
    unlink(path("o6.csv"));
    unlink(path("p6.csv"));
    int rc6 = cli("conflate", "--out", path("o6.csv"), "--pairs", path("p6.csv"), path("people.csv"), NULL);
    umask(um);
    assert_int_equal(rc6, 0);
    struct stat sb6;
    assert_int_equal(stat(path("o6.csv"), &sb6), 0);
    assert_int_equal(sb6.st_mode & 0777, 0600);
    assert_int_equal(stat(path("p6.csv"), &sb6), 0);
    assert_int_equal(sb6.st_mode & 0777, 0600);
    /* an unknown record to explain is said before the run: no clusters are written */
    unlink(path("o4.csv"));
    assert_int_not_equal(cli("conflate", "--explain-record", "people.csv:99", "--out", path("o4.csv"),
                             path("people.csv"), NULL), 0);
    assert_int_not_equal(cli("conflate", "--explain-pair", "1,99", "--out", path("o4.csv"),
                             path("people.csv"), NULL), 0);
    assert_int_not_equal(access(path("o4.csv"), F_OK), 0);
}

/* Review 95: a whole name that is a placeholder ("UNKNOWN, MALE", "Unknown Male") is missing,
 * not the name "male"; "Tommy B" is a given name and the surname's initial, compared with "Tommy
 * Baker" as such; "Patient Name" is a whole name; columns no role's name matches are
 * noted in the automatic mapping, not dropped without a word. */
/* Review 98 HIGH 1: a PNC id held by more than 30 records is one person's when its holders
   mostly give one date of birth (a prolific offender under aliases: the id links them), and a
   filler when they give as many dates as there are people (an id copied onto forty strangers
   links none of them). */
static void test_prolific_personal_id(void **st)
{
    (void)st;
    static const char *const first[] = {"John", "Mark", "Paul", "Dean", "Carl", "Lee", "Gary", "Ian"};
    static const char *const sur[] = {"Wood", "Wilson", "Murphy", "Hill", "Cole", "Shaw", "Ward", "Fox"};
    iom_buf b = {0};
    iom_buf_puts(&b, "id,forename,surname,dob,pnc\n");
    /* the offender: 48 custody records under 8 aliases, one date of birth in 40 of them */
    for (int i = 0; i < 48; i++)
        iom_buf_printf(&b, "P%d,%s,%s,%s,99/254815U\n", i, first[i % 8], sur[(i / 8) % 8],
                       i % 6 ? "14/11/1990" : "11/04/1990");
    /* forty strangers with one id copied onto them, and their own second records */
    for (int i = 0; i < 40; i++)
        iom_buf_printf(&b, "S%d,%s,%s%c,%02d/%02d/%d,12/999999Z\n", i, first[i % 8], sur[i % 8], 'a' + i / 8,
                       1 + i % 28, 1 + i % 12, 1950 + i);
    conflate_engine *eng = run_inputs("custody.csv", iom_buf_cstr(&b), b.len, NULL, NULL);
    /* every alias of the offender is him */
    for (size_t i = 1; i < 48; i++)
        assert_int_equal(conflate_record_cluster(eng, i), conflate_record_cluster(eng, 0));
    /* no two strangers joined by the copied id */
    for (size_t i = 48; i < 88; i++)
        for (size_t j = i + 1; j < 88; j++)
            assert_int_not_equal(conflate_record_cluster(eng, i), conflate_record_cluster(eng, j));
    conflate_free(eng);
    iom_buf_free(&b);
}

/* Review 98 M2: an intelligence log holds a person's date of birth, postcode and phone only in
   its free-text description. The notes column (found by name, or --field notes=COLUMN) gives
   them to the records that lack them: the log entry links to its subject, not to the
   subject's namesake; the counts are said. */
static void test_notes_column(void **st)
{
    (void)st;
    const char *custody = "id,forename,surname,dob,postcode,phone\n"
                          "C1,Kieran,Walsh,14/02/1991,LS6 2QT,07700 900461\n"
                          "C2,Kieran,Walsh,30/09/1987,BD3 8HN,07700 900872\n"
                          "C3,Aisha,Begum,02/05/1995,M14 5RA,\n"
                          "C4,Aisha,Begum,19/11/1979,OL9 6DS,\n";
    const char *intel = "id,name,narrative,grading\n"
                        "I1,WALSH Kieran,\"Seen driving a grey Astra. Subject (D.O.B. 30.09.1987) "
                        "now of 12 Lark Hill, Bradford BD3 8HN; phone 07700900872.\",B2\n"
                        "I2,Aisha BEGUM,\"Aged 31, believed to reside at M14 5RA with two others\",C3\n"
                        "I3,Kieran WALSH,\"Female associate, DOB 03/04/1990; dob 02/02/1992; calls "
                        "from LS6 2QT or BD3 8HN\",C3\n";
    conflate_engine *eng = run_inputs("custody.csv", custody, strlen(custody), "intel.csv", intel);
    assert_int_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 1));
    assert_int_not_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 0));
    assert_int_equal(conflate_record_cluster(eng, 5), conflate_record_cluster(eng, 2));
    assert_int_not_equal(conflate_record_cluster(eng, 5), conflate_record_cluster(eng, 3));
    /* I3: two dates, two postcodes: whose cannot be told, none taken */
    conflate_free(eng);
    /* the log read first, before any input with a date of birth, postcode or phone column:
       the same links (the fields its notes can fill are made for it) */
    said[0] = '\0';
    eng = run_inputs("intel.csv", intel, strlen(intel), "custody.csv", custody);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 4));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    assert_int_equal(conflate_record_cluster(eng, 1), conflate_record_cluster(eng, 5));
    assert_int_not_equal(conflate_record_cluster(eng, 1), conflate_record_cluster(eng, 6));
    assert_non_null(strstr(said, "taken into records without their own: 1 dates of birth, 1 ages "
                                 "(as estimated years of birth), 2 postcodes, 1 phone numbers"));
    assert_null(strstr(said, "no usable value")); /* e-mail: no record holds one, no warning */
    assert_non_null(strstr(said, "intel.csv: column 'narrative' read as notes (free text, 3 "
                                 "non-empty): taken into records without their own: 1 dates of "
                                 "birth, 1 ages (as estimated years of birth), 2 postcodes, 1 "
                                 "phone numbers; not taken, as which is the subject's cannot be "
                                 "told: 1 two dates of birth or more, 1 two postcodes or more"));
    conflate_free(eng);

    /* --field notes=COLUMN: given for every input, it must be in one; it cannot also be a
       compared field */
    conflate_options o;
    conflate_options_default(&o);
    conflate_field_map fm[2] = {{"full_name", "name"}, {"notes", "remarks"}};
    o.fields = fm;
    o.nfields = 2;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "intel.csv", intel, strlen(intel), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "--field notes=remarks: no input has a column 'remarks'"));
    conflate_free(eng);
    fm[1].column = "name";
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "intel.csv", intel, strlen(intel), NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "column 'name' is full_name and cannot also be read as notes"));
    conflate_free(eng);
}

/* An age given at the date of a record (a stop log's "age" and "date_of_record") is an
 * estimated year of birth counted from that date: the namesake born ten years apart is told
 * from the one whose age fits, and what is not an age is counted (review 112: such a source's
 * only evidence of birth was unused, and a namesake ten years apart linked at p 0.76). */
static void test_age_column(void **st)
{
    (void)st;
    const char *custody = "id,forename,surname,dob,postcode\n"
                          "C1,Kyle,Begum,23/12/1960,HU4 3UN\n"
                          "C2,Kyle,Begum,14/03/1971,S16 5GJ\n"
                          "C3,Nicola,Price,02/02/1988,LS8 3HD\n"
                          "C4,Daniel,Moss,05/05/1992,M1 1AA\n"
                          "C5,Aaron,Shaw,09/09/1999,BD7 1AA\n"
                          "C6,Aaron,Shaw,11/06/1984,BD7 4ZZ\n";
    const char *stops = "id,forename,surname,age,date_of_record,postcode\n"
                        "S1,Kyle,Begum,52,05/07/2023,S7 1AB\n"
                        "S2,Kyle,Begum,62,2023-02-01,HU5 1XX\n"
                        "S3,Nicola,Price,approx 35,10/10/2023,LS8 3HD\n"
                        "S4,Daniel,Moss,unknown,01/01/2024,M1 1AA\n"
                        "S5,Liam,Hart,tall,01/01/2024,WF1 2AB\n"
                        "S6,Aaron,Shaw,24,21/12/2023,BD7 3CD\n";
    conflate_engine *eng = run_inputs("custody.csv", custody, strlen(custody), "stops.csv", stops);
    /* S1 (born about 1971) is C2's, not C1's; S2 (about 1960) C1's */
    assert_int_equal(conflate_record_cluster(eng, 6), conflate_record_cluster(eng, 1));
    assert_int_not_equal(conflate_record_cluster(eng, 6), conflate_record_cluster(eng, 0));
    assert_int_equal(conflate_record_cluster(eng, 7), conflate_record_cluster(eng, 0));
    assert_int_not_equal(conflate_record_cluster(eng, 7), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 8), conflate_record_cluster(eng, 2));
    /* S6, aged 24 at the end of 2023 (born about 1999), is C5's, not C6's (born 1984) */
    assert_int_equal(conflate_record_cluster(eng, 11), conflate_record_cluster(eng, 4));
    assert_int_not_equal(conflate_record_cluster(eng, 11), conflate_record_cluster(eng, 5));
    assert_non_null(strstr(said, "stops.csv: column 'age' read as ages at the date in "
                                 "'date_of_record': 4 taken as estimated years of birth into "
                                 "records without a date of birth; 1 not ages (the first: line 6)"));
    assert_null(strstr(said, "not compared (no role's name)"));
    conflate_free(eng);

    /* the date of the record alone (no age, no notes) is not read by name: not compared */
    const char *dated = "id,forename,surname,dob,date_of_record\n"
                        "D1,Kyle,Begum,23/12/1960,05/07/2023\n";
    eng = run_inputs("custody.csv", custody, strlen(custody), "dated.csv", dated);
    assert_non_null(strstr(said, "'date_of_record'"));
    conflate_free(eng);

    /* an age without a record date column is not used (counted from today it is as many years
       off as the data is old: review 115), and the note says so */
    const char *undated = "id,forename,surname,age,postcode\n"
                          "U1,Kyle,Begum,40,S7 1AB\n";
    eng = run_inputs("custody.csv", custody, strlen(custody), "undated.csv", undated);
    assert_non_null(strstr(said, "undated.csv: column 'age' holds ages, but the input has no column "
                                 "of the date they were given at: not used"));
    conflate_free(eng);

    /* --field age=COLUMN: it must be in an input, and cannot also be a compared field */
    conflate_options o;
    conflate_options_default(&o);
    conflate_field_map fm[3] = {{"first_name", "forename"}, {"surname", "surname"}, {"age", "age_est"}};
    o.fields = fm;
    o.nfields = 3;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "stops.csv", stops, strlen(stops), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "--field age=age_est: no input has a column 'age_est'"));
    conflate_free(eng);
    fm[2].column = "surname";
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "stops.csv", stops, strlen(stops), NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "column 'surname' is surname and cannot also be read as an age"));
    conflate_free(eng);
    assert_true(conflate_role_known("age"));
    assert_true(conflate_role_known("record_date"));
    assert_non_null(strstr(conflate_roles_list(), "notes, age, record_date"));
}

/* Organisations among the names (a vehicle keeper extract's firms): one firm written with and
 * without "Ltd" is one entity, its name never split into a first name and a surname, and a
 * firm never links with a person of its owner's name (review 112's vehicle shape). */
static void test_organisations(void **st)
{
    (void)st;
    const char *keepers = "id,name,address,postcode\n"
                          "K1,VEOLIA LEASING,88 Elm Grove,LS8 3HD\n"
                          "K2,VEOLIA LEASING LTD,88 Elm Grove,LS8 3HD\n"
                          "K3,Veolia Leasing Limited,88 Elm Grove,LS8 3HD\n"
                          "K4,D PRICE BUILDERS,4 Mill Lane,BD7 1AA\n"
                          "K5,DAVID PRICE,4 Mill Lane,BD7 1AA\n"
                          "K6,ACME (UK) LTD,1 Dock Road,HU1 1AA\n";
    const char *stops = "id,forename,surname,postcode\n"
                        "S1,,D PRICE BUILDERS LTD,BD7 1AA\n"
                        "S2,David,Price,BD7 1AA\n"
                        "S3,Acme,UK Limited,HU1 1AA\n"
                        "S4,Mark,Hire,WF1 1AA\n";
    conflate_engine *eng = run_inputs("keepers.csv", keepers, strlen(keepers), "stops.csv", stops);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    assert_int_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 6));
    assert_int_not_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 4));
    assert_int_not_equal(conflate_record_cluster(eng, 6), conflate_record_cluster(eng, 7));
    assert_int_equal(conflate_record_cluster(eng, 5), conflate_record_cluster(eng, 8));
    assert_non_null(strstr(said, "full_name (column 'name'): 5 names are organisations'"));
    assert_non_null(strstr(said, "2 records' names are organisations'"));
    conflate_free(eng);
}

static bool has_role(const conflate_engine *eng, const char *role);

/* A report tool's export (review 115): title lines before the header, the header repeated on
 * every page, a footer of one field; none of them is a record. A file of one column keeps its
 * header and records however many lines it has. */
static void test_report_export(void **st)
{
    (void)st;
    const char *rep = "Nominal Search Report - Records Management System\n"
                      "Run on 03/12/2026 by PC 1234\n"
                      "\n"
                      "Nominal ID,Surname,Forename(s),D.O.B,Post Code\n"
                      "N1,Smith,John,12/03/1985,LS1 1AA\n"
                      "N2,Jones,Mary,01/02/1990,LS2 2BB\n"
                      "Nominal ID,Surname,Forename(s),D.O.B,Post Code\n"
                      "N3,Patel,Amir,05/06/1970,BD1 1AA\n"
                      "Nominal ID,Surname,Forename(s),D.O.B,Post Code\n"
                      "N4,Smith,John,12/03/1985,LS1 1AA\n"
                      "Total records: 4\n";
    conflate_engine *eng = run_inputs("report.csv", rep, strlen(rep), NULL, NULL);
    assert_int_equal(conflate_record_count(eng), 4);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    assert_string_equal(conflate_input_id_column(eng, 0), "Nominal ID");
    assert_non_null(strstr(said, "report.csv: 2 lines of one field before the header (a report's titles, the first: line 1): skipped"));
    assert_non_null(strstr(said, "report.csv: 2 rows repeat the header (the first: line 7)"));
    assert_non_null(strstr(said, "report.csv: 1 row of one field in a file of 5 columns (the first: line 11"));
    conflate_free(eng);
    /* one column: its header and every record, past the lines held as possible titles */
    char one[512] = "name\n";
    for (int i = 0; i < 14; i++)
        snprintf(one + strlen(one), sizeof one - strlen(one), "%s Person%c\n", i % 2 ? "Jane" : "John", 'a' + i / 2);
    eng = run_inputs("one.csv", one, strlen(one), NULL, NULL);
    assert_int_equal(conflate_record_count(eng), 14);
    assert_null(strstr(said, "before the header"));
    conflate_free(eng);
    const char *few = "name\nJohn Smith\nMary Jones\n";
    eng = run_inputs("few.csv", few, strlen(few), NULL, NULL);
    assert_int_equal(conflate_record_count(eng), 2);
    conflate_free(eng);
}

/* Bank and credit-reference names (review 115): a title anywhere, joint holders. "SMITH J MR"
 * has no middle name "mr"; "MR J & MRS K SMITH" is J Smith, and K is no middle name of his. A
 * database's column names are found (NAME_FAMILY, NAME_GIVEN_1, PERSON_URN...), a house
 * number column is joined before the street, and a log's "Date" is the date of its ages. */
static void test_names_tidied(void **st)
{
    (void)st;
    const char *a = "id,forename,surname,dob,postcode\n"
                    "A1,John,Smith,12/03/1985,LS1 1AA\n"
                    "A2,Kelly,Smith,01/02/1987,LS1 1AA\n"
                    "A3,Ravi,Patel,05/06/1970,BD1 1AA\n";
    const char *b = "id,name,dob,postcode\n"
                    "B1,MR J & MRS K SMITH,12/03/1985,LS1 1AA\n"
                    "B2,SMITH J MR,12/03/1985,LS1 1AA\n"
                    "B3,PATEL R MR,05/06/1970,BD1 1AA\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_int_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 0));
    assert_int_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 0));
    assert_int_not_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 5), conflate_record_cluster(eng, 2));
    assert_null(strstr(said, "'mr' is in"));
    conflate_free(eng);

    /* a driving licence number's date of birth and sex for records without their own: the
       policyholder joins the nominal of that birthday, not the namesake */
    const char *ins = "id,forename,surname,Licence Number,postcode\n"
                      "I1,John,Smith,SMITH803125J99AB,LS9 9ZZ\n"
                      "I2,Kelly,Smith,SMITH852017K99CD,LS9 9ZZ\n";
    const char *nom = "id,forename,surname,dob,sex,postcode\n"
                      "N1,John,Smith,12/03/1985,M,LS1 1AA\n"
                      "N2,John,Smith,27/08/1971,M,BD1 1AA\n"
                      "N3,Kelly,Smith,01/02/1987,F,LS1 1AA\n";
    eng = run_inputs("nom.csv", nom, strlen(nom), "ins.csv", ins);
    assert_int_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 0));
    assert_int_not_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 1));
    assert_int_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 2));
    assert_non_null(strstr(said, "ins.csv: 2 dates of birth and 2 sexes read from driving licence numbers ('Licence Number')"));
    conflate_free(eng);

    /* a passport's machine-readable zone: SURNAME<<GIVEN<NAMES */
    const char *api = "id,Passenger Name,dob\n"
                      "P1,SMITH<<JOHN<<<<<<<<,12/03/1985\n"
                      "P2,PATEL<<RAVI<KUMAR,05/06/1970\n";
    eng = run_inputs("a.csv", a, strlen(a), "api.csv", api);
    assert_int_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 0));
    assert_int_equal(conflate_record_cluster(eng, 4), conflate_record_cluster(eng, 2));
    assert_non_null(strstr(said, "2 names written as a passport's machine-readable zone"));
    conflate_free(eng);

    const char *db = "PERSON_URN|NAME_FAMILY|NAME_GIVEN_1|NAME_GIVEN_2|BIRTH_DT|SEX_CD|ADDR_LINE_1|ADDR_PCODE|CONTACT_NO\n"
                     "P1|SMITH|JOHN|PAUL|1985-03-12|M|1 HIGH ST|LS1 1AA|07700900123\n";
    eng = run_inputs("db.csv", db, strlen(db), NULL, NULL);
    static const char *const roles[] = {"first_name", "middle_name", "surname", "dob", "sex", "address", "postcode", "phone"};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (!has_role(eng, roles[i]))
            fail_msg("%s not mapped", roles[i]);
    assert_string_equal(conflate_input_id_column(eng, 0), "PERSON_URN");
    conflate_free(eng);

    const char *reg = "id,Elector Name,Property,Street,Postcode\n"
                      "E1,\"SMITH, John\",12,Station Road,LS1 1AA\n"
                      "E2,\"SMITH, John\",14,Station Road,LS1 1AA\n"
                      "E3,\"JONES, Mary\",12,12 Station Road,LS1 1AA\n";
    eng = run_inputs("reg.csv", reg, strlen(reg), NULL, NULL);
    assert_non_null(strstr(said, "reg.csv: column 'Property' joined before the address ('Street'): 2 addresses so completed"));
    conflate_free(eng);
    /* a crime list's Property is what was stolen: only a value with a digit is a house (review
       118 L8: "Mobile phone 12 High St") */
    const char *crime = "id,first_name,surname,Property,Address,Postcode\n"
                        "C1,John,Smith,Mobile phone,12 High St,LS1 1AA\n"
                        "C2,Jane,Smith,Flat 3,High St,LS1 1AA\n"
                        "C3,Amir,Khan,Bicycle,4 Mill Lane,LS2 2BB\n";
    eng = run_inputs("crime.csv", crime, strlen(crime), NULL, NULL);
    assert_non_null(strstr(said, "crime.csv: column 'Property' joined before the address ('Address'): 1 addresses so completed"));
    conflate_free(eng);

    const char *log = "id,forename,surname,Age,Date\n"
                      "L1,Sarah,Singh,approx 32,05/09/2022\n";
    eng = run_inputs("a.csv", a, strlen(a), "log.csv", log);
    assert_non_null(strstr(said, "log.csv: column 'Age' read as ages at the date in 'Date'"));
    conflate_free(eng);
}

/* The explanation of record r's cluster (its records' values, one line each), for the
   caller to free. */
static char *cluster_text(const conflate_engine *eng, size_t r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    conflate_explain_cluster(eng, r, f);
    fclose(f);
    return text;
}

/* Joint holders written with the "&" right after a title, or with one given name: "Mr & Mrs
 * J Smith" is J Smith (its first name was "&"), "Mr and Mrs Smith" a Smith with no given name
 * (its first name was "and"), "John & Mary Smith" John Smith (its surname was lost); with the
 * surname before a comma, the word after the "&" is the second holder's, no middle name of the
 * first ("SMITH, J & M" had middle name "m"). */
static void test_joint_holders(void **st)
{
    (void)st;
    const char *a = "id,forename,middle_name,surname,dob\n"
                    "A1,John,Paul,Smith,12/03/1985\n"
                    "A2,Kelly,,Smith,01/02/1987\n"
                    "A3,Ravi,,Patel,05/06/1970\n";
    const char *b = "id,name,dob\n"
                    "B1,Mr & Mrs J Smith,12/03/1985\n"
                    "B2,Mr and Mrs Smith,12/03/1985\n"
                    "B3,John & Mary Smith,12/03/1985\n"
                    "B4,\"SMITH, J & M\",12/03/1985\n"
                    "B5,\"SMITH, MR J & MRS K\",12/03/1985\n"
                    "B6,\"SMITH, JOHN & MARY\",12/03/1985\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    static const char *const want[] = {"b.csv:B1 | j |  | smith |", "b.csv:B2 |  |  | smith |",
                                       "b.csv:B3 | john |  | smith |", "b.csv:B4 | j |  | smith |",
                                       "b.csv:B5 | j |  | smith |", "b.csv:B6 | john |  | smith |"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *t = cluster_text(eng, 3 + i);
        if (!strstr(t, want[i]))
            fail_msg("'%s' not in:\n%s", want[i], t);
        free(t);
    }
    assert_null(strstr(said, "are not names"));
    conflate_free(eng);
}

/* A whole name of more than 32 words after its comma, all of them titles, is kept whole: the
 * titles were skipped past the 32 words stored (an out-of-bounds read the sanitizers stop). */
static void test_titles_past_the_stored_words(void **st)
{
    (void)st;
    const char *a = "id,forename,surname,dob\n"
                    "A1,John,Smith,12/03/1985\n";
    char b[1024] = "id,name,dob\nB1,\"Smith,";
    for (int i = 0; i < 40; i++)
        strcat(b, " Mr");
    strcat(b, "\",12/03/1985\nB2,\"Smith,");
    for (int i = 0; i < 33; i++)
        strcat(b, " Mrs");
    strcat(b, " John\",12/03/1985\n");
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_int_equal(conflate_record_count(eng), 3);
    assert_null(strstr(said, "names split into first name and surname")); /* both kept whole */
    conflate_free(eng);
}

/* A record date that is a system's empty date (01/01/1900) or after this year (2052 typed for
 * 2025) is no date to count an age from: the birth an age at it gave was a century or decades
 * off (~1861-07, ~2019-08), "different" from the person's own, and the pair was not linked. */
static void test_record_date_placeholder(void **st)
{
    (void)st;
    const char *a = "id,forename,surname,dob\n"
                    "A1,John,Smith,12/03/1985\n"
                    "A2,Mary,Jones,02/02/1990\n";
    const char *b = "id,forename,surname,age,date_of_record\n"
                    "B1,John,Smith,38,01/01/1900\n"
                    "B2,Mary,Jones,33,2052-03-01\n"
                    "B3,John,Smith,38,2023-09-01\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    char *t1 = cluster_text(eng, 2), *t2 = cluster_text(eng, 3), *t3 = cluster_text(eng, 4);
    if (strstr(t1, "~18") || strstr(t2, "~20") || !strstr(t3, "~1985"))
        fail_msg("estimated births:\n%s\n%s\n%s", t1, t2, t3);
    free(t1);
    free(t2);
    free(t3);
    assert_non_null(strstr(said, "b.csv: column 'age' read as ages at the date in 'date_of_record': "
                                 "1 taken as estimated years of birth"));
    assert_non_null(strstr(said, "2 record dates a placeholder (1900-01-01) or after this year, not "
                                 "used (the first: line 2)"));
    conflate_free(eng);
}

/* A report export separated by tabs or semicolons, its title lines before the header: the
 * delimiter is the header's, not the title's (a line holding none was read as commas: the
 * header was one column and the run stopped). */
static void test_report_export_delimiters(void **st)
{
    (void)st;
    const char *tab = "Nominal Search Report\n"
                      "Run on 03/12/2026 by PC 1234\n"
                      "\n"
                      "Nominal ID\tSurname\tForename(s)\tD.O.B\n"
                      "N1\tSmith\tJohn\t12/03/1985\n"
                      "N2\tJones\tMary\t01/02/1990\n"
                      "Nominal ID\tSurname\tForename(s)\tD.O.B\n"
                      "N3\tSmith\tJohn\t12/03/1985\n";
    conflate_engine *eng = run_inputs("report.tsv", tab, strlen(tab), NULL, NULL);
    assert_int_equal(conflate_record_count(eng), 3);
    assert_string_equal(conflate_input_id_column(eng, 0), "Nominal ID");
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    assert_non_null(strstr(said, "report.tsv: 2 lines of one field before the header"));
    conflate_free(eng);
    const char *semi = "\"Stop and Search Report\"\nid;forename;surname;dob\n"
                       "1;John;Smith;1980-01-01\n2;Mary;Jones;1981-01-01\n";
    eng = run_inputs("semi.csv", semi, strlen(semi), NULL, NULL);
    assert_int_equal(conflate_record_count(eng), 2);
    conflate_free(eng);
    assert_int_equal(conflate_csv_detect_delimiter("Title\n\nRun on 1 May\na|b|c\n1,2|3|4\n", 34), '|');
    assert_int_equal(conflate_csv_detect_delimiter("a;b;c\nx,y,z,w\n", 14), ';');
    assert_int_equal(conflate_csv_detect_delimiter("name\nSmith\n", 11), ',');
    /* a title with a comma above tab-separated rows (review 118 L1), a stray semicolon in a
       comma-separated value, a quoted comma in a tab-separated one */
    const char *t1 = "Stop Search Report, Q1 2024\nid\tforename\tsurname\n1\tJohn\tSmith\n2\tMary\tJones\n";
    assert_int_equal(conflate_csv_detect_delimiter(t1, strlen(t1)), '\t');
    const char *t2 = "id,name,note\n1,John,a;b\n2,Mary,c\n3,Ann,d\n";
    assert_int_equal(conflate_csv_detect_delimiter(t2, strlen(t2)), ',');
    const char *t3 = "id\tname\n1\t\"Smith, John\"\n2\t\"Jones, Mary\"\n";
    assert_int_equal(conflate_csv_detect_delimiter(t3, strlen(t3)), '\t');
    eng = run_inputs("title.tsv", t1, strlen(t1), NULL, NULL);
    assert_int_equal(conflate_record_count(eng), 2);
    conflate_free(eng);
}

/* Dates written with a two-digit year are read as the latest such year not in the future, and
 * said so with an example (review 119: care home residents born in 1925, written 01/02/25, were
 * read 2025 without a word); four-digit years, ISO dates, spreadsheet serials and times of day
 * are not counted. */
static void test_two_digit_years_said(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "1,Edith,Hall,01/02/25\n"
                    "2,Arthur,Bell,3-4-26\n"
                    "3,Mabel,Shaw,12 Mar 24 00:00\n"
                    "4,Ivy,Webb,150327\n"
                    "5,Ada,Cole,1925-02-01\n"
                    "6,Joan,Hart,01/02/1925\n"
                    "7,Ruth,Ford,31118\n";
    conflate_engine *eng = run_inputs("home.csv", a, strlen(a), NULL, NULL);
    assert_non_null(strstr(said, "column 'dob' (dob): 4 distinct dates written with a two-digit year (e.g. '01/02/25')"));
    conflate_free(eng);
    const char *b = "id,first_name,surname,dob\n1,Ada,Cole,1925-02-01\n2,Joan,Hart,01/02/1925\n";
    eng = run_inputs("home.csv", b, strlen(b), NULL, NULL);
    assert_null(strstr(said, "two-digit year"));
    conflate_free(eng);
    /* a two-digit year's century is a guess: 01/02/25 (read 2025) agrees with 1925-02-01 in
       all it says, exact; not with 1925-02-02, nor a 1925 known to its year only */
    eng = run_text("ppn.csv", "id,first_name,surname,dob\n"
                              "1,Edith,Hall,01/02/25\n"
                              "2,Edith,Hall,1925-02-01\n"
                              "3,Edith,Hall,1925-02-02\n"
                              "4,Edith,Hall,1925\n"
                              "5,Edith,Hall,01/02/2025\n");
    size_t D = role_feature(eng, "dob");
    assert_int_equal(pair_level(eng, 0, 1, D), CONFLATE_DATE_EXACT);
    assert_int_equal(pair_level(eng, 0, 4, D), CONFLATE_DATE_EXACT);
    assert_true(pair_level(eng, 0, 2, D) < CONFLATE_DATE_EXACT);
    assert_true(pair_level(eng, 0, 3, D) < CONFLATE_DATE_EXACT);
    assert_true(pair_level(eng, 1, 4, D) < CONFLATE_DATE_EXACT);
    conflate_free(eng);
}

/* An input whose id column has another name ("Log Ref", "Referral ID"): taken as the record
 * id, on either side of an input with an `id` column; a column of that kind whose values repeat
 * or are empty turns its input back to line numbers, every record kept; a phone or house number
 * is never taken (review 119). */
static void test_id_named_as_reference(void **st)
{
    (void)st;
    const char *log = "Log Ref,first_name,surname,Mobile No\n"
                      "L-7,Ann,Lee,07700 900111\nL-9,Bob,Hall,07700 900222\n";
    conflate_engine *eng = run_inputs("p.csv", people, strlen(people), "log.csv", log);
    assert_non_null(strstr(said, "log.csv: column 'Log Ref' taken as the record id"));
    assert_string_equal(conflate_input_id_column(eng, 1), "Log Ref");
    bool seen = false;
    for (size_t i = 0; i < conflate_record_count(eng); i++)
        seen |= !strcmp(conflate_record_id(eng, i), "L-9");
    assert_true(seen);
    conflate_free(eng);
    eng = run_inputs("log.csv", log, strlen(log), "p.csv", people);
    assert_string_equal(conflate_input_id_column(eng, 0), "Log Ref");
    assert_null(strstr(said, "line number"));
    conflate_free(eng);
    /* a case reference shared by a family: not an id */
    const char *cases = "Case Ref,first_name,surname\nC1,Ann,Lee\nC2,Bob,Hall\nC1,Cat,Lee\nC3,Dan,Ray\n";
    eng = run_inputs("cases.csv", cases, strlen(cases), "p.csv", people);
    assert_non_null(strstr(said, "cases.csv: column 'Case Ref' is not a record id (line 4: 'C1' repeats line 2)"));
    /* ... in one note that says how to name another (review 124: a second note said the input
       "has no record id column", which the first had just tried) */
    assert_non_null(strstr(said, "its records are named by line number (name one with --id cases.csv=COLUMN)"));
    assert_null(strstr(said, "cases.csv has no record id column"));
    assert_null(conflate_input_id_column(eng, 0));
    assert_int_equal(conflate_record_count(eng), 9);
    assert_string_equal(conflate_record_id(eng, 0), "2");
    assert_string_equal(conflate_record_id(eng, 3), "5");
    conflate_free(eng);
    /* an account's reference is a record id (a council tax file's), an account's number not */
    const char *ct = "Account Ref,first_name,surname\nCT1,Ann,Lee\nCT2,Bob,Hall\n";
    eng = run_inputs("ct.csv", ct, strlen(ct), "p.csv", people);
    assert_string_equal(conflate_input_id_column(eng, 0), "Account Ref");
    conflate_free(eng);
    /* a house number, a phone number: never a record id */
    const char *house = "House No,first_name,surname,Tel No\n1,Ann,Lee,07700 900111\n1,Bob,Hall,\n";
    eng = run_inputs("p.csv", people, strlen(people), "h.csv", house);
    assert_null(strstr(said, "taken as the record id"));
    assert_non_null(strstr(said, "h.csv has no record id column"));
    conflate_free(eng);
}

/* A name the person is known by ("Known As", "Preferred Name"): read, not compared on its own;
 * the first names are close when one's known-as name is the other's first name (a Western
 * name beside a Chinese one, review 119), never different for it; renumbering for blocking
 * keeps each record's own. */
static void test_known_as(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,Preferred Name\n"
                    "A1,Yi-hsuan,Lin,1990-01-02,Jenny\n"
                    "A2,Wei,Chen,1985-05-06,\n"
                    "A3,Margaret,Bell,1931-07-08,Unknown\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,Jenny,Lin,1990-01-02\n"
                    "B2,David,Chen,1985-05-06\n"
                    "B3,Mary,Bell,1931-07-08\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    /* not among the columns not compared, in any place of any such note */
    for (const char *l = said; (l = strstr(l, "not compared")) != NULL; l++) {
        const char *end = strchr(l, '\n');
        const char *hit = strstr(l, "'Preferred Name'");
        assert_true(!hit || (end && hit > end));
    }
    /* ... and said as read (review 130: whether it was could not be told) */
    assert_non_null(strstr(said, "a.csv: column 'Preferred Name' read as known-as names: 1 records"));
    assert_false(has_role(eng, "known_as"));        /* no field of its own */
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 3, F), 2);
    assert_int_equal(pair_level(eng, 1, 4, F), 0);
    assert_true(pair_level(eng, 2, 5, F) < 2);      /* a placeholder is no name */
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    conflate_free(eng);
}

/* A title before a whole name puts the given names first, in an input that writes its names
 * surname first (review 122's bank reports: "MR DAVID TAYLOR" was read surname David). */
static void test_title_given_first(void **st)
{
    (void)st;
    const char *p = "id,first_name,surname,dob\n"
                    "1,John,Smith,1970-01-10\n"
                    "2,Paul,Jones,1971-02-11\n"
                    "3,Mark,Brown,1972-03-12\n"
                    "4,Gary,Wilson,1973-04-13\n"
                    "5,Ian,Evans,1974-05-14\n"
                    "6,Neil,Walker,1975-06-15\n"
                    "7,Carl,Wright,1976-07-16\n"
                    "8,Dean,Hughes,1977-08-17\n"
                    "9,Sean,Clarke,1978-09-18\n"
                    "10,Adam,Turner,1979-01-10\n"
                    "11,Ryan,Parker,1980-02-11\n"
                    "12,David,Taylor,1981-03-12\n"
                    ;
    const char *h = "id,full_name,dob\n"
                    "H1,SMITH JOHN,1970-01-10\n"
                    "H2,JONES PAUL,1971-02-11\n"
                    "H3,BROWN MARK,1972-03-12\n"
                    "H4,WILSON GARY,1973-04-13\n"
                    "H5,EVANS IAN,1974-05-14\n"
                    "H6,WALKER NEIL,1975-06-15\n"
                    "H7,WRIGHT CARL,1976-07-16\n"
                    "H8,HUGHES DEAN,1977-08-17\n"
                    "H9,CLARKE SEAN,1978-09-18\n"
                    "H10,TURNER ADAM,1979-01-10\n"
                    "H11,PARKER RYAN,1980-02-11\n"
                    "H12,MR DAVID TAYLOR,1981-03-12\n";
    conflate_engine *eng = run_inputs("p.csv", p, strlen(p), "h.csv", h);
    assert_non_null(strstr(said, "names written surname first"));
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname");
    assert_int_equal(pair_level(eng, 0, 12, F), 4);  /* SMITH JOHN: surname first */
    assert_int_equal(pair_level(eng, 11, 23, F), 4); /* MR DAVID TAYLOR: given name first */
    assert_int_equal(pair_level(eng, 11, 23, S), 4);
    conflate_free(eng);
}

/* A cell of several values of its kind (a PND-like export's phones and addresses, review
 * 122): the first is compared, and a note counts them; one address over several lines, or a
 * phone with a comma in its text, is one value. */
static void test_several_values(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,phone,address,email\n"
                    "A1,Ann,Lee,1980-01-02,07700 900111 / 07700 900222,\"12 High St, Leeds, LS1 1AA; 3 Low Rd, York, YO1 7HH\",ann@x.org; ann2@y.org\n"
                    "A2,Bob,Hall,1970-03-04,07700 900333 07700 900444,\"4 Mill Lane\nLeeds\nLS2 2BB\",\n";
    const char *b = "id,first_name,surname,dob,phone,address,postcode,email\n"
                    "B1,Ann,Lee,1980-01-02,07700900111,12 High St Leeds,LS1 1AA,ann@x.org\n"
                    "B2,Bob,Hall,1970-03-04,07700900333,4 Mill Lane Leeds,LS2 2BB,\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "column 'phone' (phone): 2 records hold several values in one cell"));
    assert_non_null(strstr(said, "column 'address' (address): 1 records hold several values"));
    assert_non_null(strstr(said, "column 'email' (email): 1 records hold several values"));
    size_t P = role_feature(eng, "phone"), E = role_feature(eng, "email"), C = role_feature(eng, "postcode");
    assert_int_equal(pair_level(eng, 0, 2, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    assert_int_equal(pair_level(eng, 1, 3, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    assert_int_equal(pair_level(eng, 0, 2, E), (unsigned)conflate_feature_levels(eng, E) - 1);
    assert_int_equal(pair_level(eng, 0, 2, C), (unsigned)conflate_feature_levels(eng, C) - 1);
    assert_int_equal(pair_level(eng, 1, 3, C), (unsigned)conflate_feature_levels(eng, C) - 1);
    conflate_free(eng);
}

/* Columns found by their last word or by a word of their name (review 124): an address named
 * by its kind (`Release Address`) is the address when no column has a listed name and no other
 * column so ends; a custody record's `Detained Person` is a whole name; in an input with ages,
 * the one column whose name holds "date" (`Visit Date`) dates them. `Email Address` is no
 * address, nor a hotel's or premises' address, and two such address columns leave the choice
 * to the user. */
static void test_columns_by_last_word(void **st)
{
    (void)st;
    const char *a = "Custody Ref,Detained Person,DOB,Release Address,Email Address\n"
                    "C1,John Smith,1980-01-02,12 High Street,js@x.org\n"
                    "C2,Ann Jones,1975-03-04,4 Low Road,aj@x.org\n";
    const char *b = "Visit Ref,Worker Name,Age,Visit Date,Date of Birth\n"
                    "V1,John Smith,44,2024-06-01,\n"
                    "V2,Ann Jones,49,2024-06-01,\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t A = role_feature(eng, "address"), N = role_feature(eng, "full_name");
    assert_string_equal(conflate_feature_column(eng, A), "Release Address");
    assert_string_equal(conflate_feature_column(eng, N), "Detained Person");
    assert_non_null(strstr(said, "b.csv: column 'Age' read as ages at the date in 'Visit Date'"));
    conflate_free(eng);
    const char *c = "id,name,dob,Release Address,Last Address\n"
                    "1,John Smith,1980-01-02,12 High Street,3 Mill Lane\n";
    eng = run_text("c.csv", c);
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        assert_string_not_equal(conflate_feature_role(eng, f), "address");
    conflate_free(eng);
    /* a place that is not the person's home: a hotel's, a workplace's (review 122's hotel shape
       fell 0.71 -> 0.65 when its `Hotel Address` was compared as a home) */
    const char *d = "id,name,dob,Hotel Address,Premises Address\n"
                    "1,John Smith,1980-01-02,12 High Street,3 Mill Lane\n";
    eng = run_text("d.csv", d);
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        assert_string_not_equal(conflate_feature_role(eng, f), "address");
    conflate_free(eng);
    /* an input with no name column of a listed name: its one `... Name` column is the whole
       name (a Companies House list's `Officer Name`); `Officer ID` is its id, and `Name on ID`
       is no id; `Safe Number` is a phone; `MRN` a hospital's record id (review 126) */
    const char *o = "Officer ID,Officer Name,Date of Birth,Company Number,Safe Number\n"
                    "OF1,\"WATSON, Claire\",1980-07-01,12609703,07700 900123\n";
    const char *h = "MRN,Surname,Forename,DOB,Name on ID\n"
                    "M1,Watson,Claire,1980-07-01,WATSON CLAIRE\n";
    eng = run_inputs("o.csv", o, strlen(o), "h.csv", h);
    assert_string_equal(conflate_input_id_column(eng, 0), "Officer ID");
    assert_string_equal(conflate_input_id_column(eng, 1), "MRN");
    assert_string_equal(conflate_feature_column(eng, role_feature(eng, "full_name")), "Officer Name");
    assert_string_equal(conflate_feature_column(eng, role_feature(eng, "phone")), "Safe Number");
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
    /* two people's names in one row (a crime record's victim and suspect): neither taken */
    const char *v = "id,Victim Name,Suspect Name,dob\n1,Ann Lee,Bob Hall,1980-01-02\n";
    const char *w = "id,first_name,surname,dob\n1,Ann,Lee,1980-01-02\n";
    eng = run_inputs("w.csv", w, strlen(w), "v.csv", v);
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        assert_string_not_equal(conflate_feature_role(eng, f), "full_name");
    conflate_free(eng);
}

/* A whole name with the father's or husband's name after S/O, D/O or W/O (a visa or a
 * Pakistani identity document's form) is the person's own name: before, the slash was read as
 * the PNC's SURNAME/FORENAMES, the first name 'o' and the surname "sana w" (review 124). */
static void test_name_relation_cut(void **st)
{
    (void)st;
    const char *a = "id,Full Name,Date of Birth,Postcode\n"
                    "A1,SANA W/O KASHIF,1985-03-04,BD8 5WD\n"
                    "A2,AYESHA D/O TARIQ MAHMOOD,1999-01-01,OL6 1HE\n";
    const char *b = "id,Forename,Surname,DOB,Postcode\n"
                    "B1,Sana,BIBI,04/03/1985,BD8 5WD\n"
                    "B2,Ayesha,MAHMOOD,01/01/1999,OL6 1HE\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 2, F), (unsigned)conflate_feature_levels(eng, F) - 1);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    conflate_free(eng);
}

/* A whole name's title says the record's sex when it has none of its own (review 124: a council
 * tax file's MRS K K PARMAR joined a man of the family, the title all that told them apart);
 * Dr says nothing. */
static void test_title_gives_sex(void **st)
{
    (void)st;
    const char *a = "id,Liable Party,Address\n"
                    "A1,MRS K K PARMAR,12 Green Lane\n"
                    "A2,Mr. Hetal Patel,4 Mill Road\n"
                    "A3,DR R SHAH,9 Ash Grove\n";
    const char *b = "id,Forename,Surname,Sex,Address\n"
                    "B1,Kamlesh,PARMAR,M,12 Green Lane\n"
                    "B2,Hetal,PATEL,F,4 Mill Road\n"
                    "B3,Rita,SHAH,F,9 Ash Grove\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t X = role_feature(eng, "sex");
    assert_int_equal(pair_level(eng, 0, 3, X), 0); /* Mrs / M */
    assert_int_equal(pair_level(eng, 1, 4, X), 0); /* Mr / F */
    assert_int_equal(pair_level(eng, 2, 5, X), CONFLATE_LEVEL_MISSING);
    assert_non_null(strstr(said, "a.csv: 2 whole names ('Liable Party') begin with a title of one sex"));
    conflate_free(eng);
    /* ... and so does a column of titles (a DVLA or insurer's `Title`), in an input without a
       sex column: the sex field is made for it when no input has one */
    const char *c = "id,Title,Forename,Surname,Postcode\n"
                    "1,Mrs,K,PARMAR,LE1 1AA\n"
                    "2,MR.,Kamlesh,Parmar,LE1 1AA\n"
                    "3,Dr,R,Shah,LE2 2BB\n";
    const char *d = "id,Title,Forename,Surname,Postcode\n"
                    "4,Ms,Ann,Lee,LS1 1AA\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    X = role_feature(eng, "sex");
    assert_int_equal(pair_level(eng, 0, 1, X), 0);
    assert_non_null(strstr(said, "column 'Title' read as titles: the sex of 2 records"));
    conflate_free(eng);
    /* ... with a date of birth after the name too (taken out of it: the title was read only
       from a name that held nothing more, and Mrs and Mr Kiran Parmar of one date of birth
       were one person at p 0.999; review 127) */
    const char *e = "id,Liable Party,Address\n"
                    "E1,Mrs Kiran Parmar 01/02/1960,12 Green Lane\n"
                    "E2,Mr Kiran Parmar 01/02/1960,12 Green Lane\n";
    const char *g = "id,Forename,Surname,DOB,Sex\n"
                    "G1,Kiran,Parmar,01/02/1960,F\n";
    eng = run_inputs("e.csv", e, strlen(e), "g.csv", g);
    X = role_feature(eng, "sex");
    assert_int_equal(pair_level(eng, 0, 1, X), 0);
    assert_int_equal(pair_level(eng, 0, 2, X), (unsigned)conflate_feature_levels(eng, X) - 1);
    assert_non_null(strstr(said, "e.csv: 2 whole names ('Liable Party') begin with a title of one sex"));
    conflate_free(eng);
}

/* A first name agreeing, no surname on one side, and only an estimated year of birth and a town
 * besides: strangers of one first name (review 119's log entries "Courtney", review 122's
 * adverts), never linked on that alone; with a phone in common they are. */
static void test_first_name_alone_links_nothing(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,town,phone\n"
                    "A1,Courtney,,2005,Leeds,07700 900001\n"
                    "A2,Vanessa,,1998,Bradford,07700 900002\n"
                    "A3,Jade,,2001,Hull,07700 900003\n";
    const char *b = "id,first_name,surname,dob,town,phone\n"
                    "B1,Courtney,,2005,Leeds,07700 900101\n"
                    "B2,Vanessa,,1998,Bradford,07700 900002\n"
                    "B3,Jade,Smith,2001-04-05,Hull,07700 900103\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    assert_int_equal(conflate_record_cluster(eng, 1), conflate_record_cluster(eng, 4)); /* the phone */
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t x, y;
        unsigned lv[16];
        double w = conflate_pair_get(eng, i, &x, &y, lv);
        if (x == 0 && y == 3)
            assert_true(w <= -1.0);
    }
    conflate_free(eng);
    /* no name compared at all (an input whose names no column gives): the input is named in a
       warning (review 126) */
    const char *c = "id,first_name,surname,dob,sex\n"
                    "C1,Anna,Kovacs,1980-03-04,F\nC2,Eva,Nagy,1975-06-07,F\n";
    const char *d = "id,Name on ID,dob,sex\n"
                    "D1,KOVACS ANNA,1980-03-04,F\nD2,NAGY EVA,1975-06-07,F\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    assert_non_null(strstr(said, "d.csv: no column is compared as a name"));
    assert_null(strstr(said, "c.csv: no column is compared as a name"));
    conflate_free(eng);
    /* ... the first input too, said once every input is read (review 128: checked as each was
       read, an input read before any name column was found was never named) */
    eng = run_inputs("d.csv", d, strlen(d), "c.csv", c);
    assert_non_null(strstr(said, "d.csv: no column is compared as a name"));
    assert_null(strstr(said, "c.csv: no column is compared as a name"));
    conflate_free(eng);
}

/* An initial and a common surname and nothing else (review 132: a bank's payments named
   `C LEWIS` on other accounts, and a counterparty against a police nominal of that surname,
   linked at p 0.84-0.96): not linked on that alone; with the account in common they are. The
   payments' `Counterparty Account` is their account. (In a file this small the default model
   and the surname's frequency keep such pairs apart without model.c's initial_thin cap; what the
   cap does under an estimated model is measured on review 132's bank shape,
   bench/foreign_shapes/run-all4.sh: F1 0.655 -> 0.864.) */
static void test_initial_and_surname_alone(void **st)
{
    (void)st;
    char a[2048] = "Transaction Ref,Counterparty Name,Counterparty Account\n";
    for (int i = 1; i <= 12; i++)
        snprintf(a + strlen(a), sizeof a - strlen(a), "T%d,C LEWIS,%d\n", i, 41000000 + i * 7);
    snprintf(a + strlen(a), sizeof a - strlen(a), "T13,C LEWIS,%d\n", 41000000 + 7);
    /* a list of names alone (records 13 and 14) */
    const char *b = "id,first_name,surname\nR1,C,LEWIS\nR2,Claire,Lewis\n";
    conflate_engine *eng = run_inputs("t.csv", a, strlen(a), "r.csv", b);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "account")), "Counterparty Account");
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 12)); /* the account */
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    size_t thin = 0;
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t x, y;
        unsigned lv[16];
        double w = conflate_pair_get(eng, i, &x, &y, lv);
        if (y < 13)
            continue;
        assert_true(w <= -1.0); /* an initial and a surname, nothing else (+18 before) */
        thin++;
    }
    assert_true(thin > 0);
    for (uint32_t r = 0; r < 13; r++) {
        assert_int_not_equal(conflate_record_cluster(eng, r), conflate_record_cluster(eng, 13));
        assert_int_not_equal(conflate_record_cluster(eng, r), conflate_record_cluster(eng, 14));
    }
    conflate_free(eng);
}

/* A record id that is also a number of the person's (a phone company's return keyed by the
   MSISDN) is compared as that role too, and said so (review 136: `--id csp.csv=MSISDN` left
   the phone out of the comparison without a word); a name column cannot be the id and a field. */
static void test_id_also_compared(void **st)
{
    (void)st;
    conflate_options o;
    conflate_options_default(&o);
    o.message = keep_message;
    said[0] = '\0';
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    const char *a = "MSISDN,Subscriber Name,Subscriber DOB\n447700900123,AMY LEE,1990-01-02\n";
    const char *b = "id,first_name,surname,phone\n1,Amy,Lee,07700 900123\n";
    conflate_input_opts io = {.id_column = "MSISDN"};
    assert_int_equal(conflate_add_csv_buffer(eng, "csp.csv", a, strlen(a), &io, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_non_null(strstr(said, "column 'MSISDN' is the record id and is compared as phone too"));
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "phone")), "MSISDN");
    size_t P = role_feature(eng, "phone");
    assert_int_equal(pair_level(eng, 0, 1, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    conflate_free(eng);
}

/* Two parties in one row: a tenancy's `Lead Tenant …` beside `Joint Tenant …` columns are
   the record's (the joint tenant's are another person's), `Applicant 1 Surname` beside
   `Applicant 2 Surname` the first; a council tax list's `Liable Party 1` beside `Liable Party
   2` is the whole name (review 136: none of them was mapped, F1 0.11). */
static void test_two_parties(void **st)
{
    (void)st;
    const char *a = "Tenancy Ref,Lead Tenant Forename,Lead Tenant Surname,Lead Tenant DOB,Joint Tenant Forename,"
                    "Joint Tenant Surname,Joint Tenant DOB\n"
                    "T1,Amy,Lee,2010-01-02,Bob,Hall,2009-03-04\n";
    const char *b = "Account Ref,Liable Party 1,Liable Party 2,Postcode\nC1,MS AMY LEE,MR BOB HALL,LS1 1AA\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "first_name")), "Lead Tenant Forename");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "dob")), "Lead Tenant DOB");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "surname")), "Lead Tenant Surname");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "full_name")), "Liable Party 1");
    conflate_free(eng);
    const char *c = "id,Applicant 1 Surname,Applicant 2 Surname,Applicant 1 Forename,Applicant 2 Forename\n"
                    "A1,Lee,Hall,Amy,Bob\n";
    const char *d = "id,first_name,surname\n1,Amy,Lee\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "surname")), "Applicant 1 Surname");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "first_name")), "Applicant 1 Forename");
    conflate_free(eng);
}

/* A role's word after a word that says whose is the role's column where no column has one of
   its listed names: a school census's `Legal Surname` and `Legal Forename` (not its `Preferred
   Surname`, nor `Contact 1 Phone` and `Parent/Carer Phone`, another person's), a stop log's
   `Driver Surname` and `Driver DOB`; `UPN` is a record id, `Document Number` a passport's; a
   phone's contact list's `Contact Name` and `Number` are its person's name and phone
   (review 128: those inputs compared no names or dates of birth, and the contact list stopped
   the run: no column matched a role). */
static void test_qualified_columns(void **st)
{
    (void)st;
    const char *a = "UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,DOB,"
                    "Contact 1 Name,Contact 1 Phone,Parent/Carer Phone\n"
                    "U1,Lee,Amy,Lee,Amy,2010-01-02,Jo Lee,07700 900001,07700 900002\n";
    const char *b = "Stop ID,Driver Surname,Driver Forename,Driver DOB,Document Number\n"
                    "S1,Lee,Amy,2010-01-02,123456789\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_string_equal(conflate_input_id_column(eng, 0), "UPN");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "surname")), "Legal Surname");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "first_name")), "Legal Forename");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "dob")), "DOB");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "surname")), "Driver Surname");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "dob")), "Driver DOB");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "passport")), "Document Number");
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        assert_string_not_equal(conflate_feature_role(eng, f), "phone");
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
    const char *c = "Entry ID,Handset Exhibit,Contact Name,Number\n"
                    "E1,EX1,Amy Lee,07700 900123\nE2,EX1,Bob Hall,07700 900456\n";
    const char *d = "id,first_name,surname,dob,phone\n1,Amy,Lee,2010-01-02,07700 900123\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "full_name")), "Contact Name");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "phone")), "Number");
    conflate_free(eng);
    /* a contact list with the contacts' own address (review 132: a PIN-phone list's `Contact
       Address` made it read no names and no phones) */
    const char *e = "PIN Contact ID,Prisoner No,Contact Name,Relationship,Number,Contact Address\n"
                    "P1,A1234BC,Amy Lee,Partner,07700 900123,\"8 Brook Gr, LE5 6JT\"\n";
    eng = run_inputs("e.csv", e, strlen(e), "d.csv", d);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "full_name")), "Contact Name");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "phone")), "Number");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "address")), "Contact Address");
    conflate_free(eng);
}

/* Names and dates written in other scripts (review 132: a Kurdish liaison reply's names in
   Arabic script met their own Latin records in no pair, each "different" at full weight, and its
   dates in Arabic-Indic digits were no dates; the warning named another input's column): Arabic
   script is romanised, Arabic-Indic digits are digits, a name left in a script not romanised
   (Han) against Latin letters is missing, not different. */
static void test_other_scripts(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,Date of Birth,phone\n"
                    "L1,\xd8\xb9\xd8\xb2\xd9\x8a\xd8\xb2,\xd9\x87\xdb\x95\xd9\x88\xd8\xb1\xd8\xa7\xd9\x85\xdb\x8c,"
                    "\xd9\xa1\xd9\xa9\xd9\xa9\xd9\xa0/\xd9\xa0\xd9\xa5/\xd9\xa0\xd9\xa5,086 525 9220\n"
                    "L2,\xe4\xbc\x9f,\xe7\x8e\x8b,1991-02-03,0770090012\nL3,Amy,Lee,not a date,\n";
    const char *b = "id,first_name,surname,DOB,phone\nC1,Aziz,Hawrami,05/05/1990,+353 86 525 9220\n"
                    "C2,Wei,Wang,03/02/1991,07700 900123\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname"), D = role_feature(eng, "dob");
    unsigned top = (unsigned)conflate_feature_levels(eng, F) - 1;
    assert_int_equal(pair_level(eng, 0, 3, F), top);
    assert_int_equal(pair_level(eng, 0, 3, S), (unsigned)conflate_feature_levels(eng, S) - 1);
    assert_int_equal(pair_level(eng, 0, 3, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    assert_int_equal(pair_level(eng, 1, 4, F), CONFLATE_LEVEL_MISSING);
    assert_int_equal(pair_level(eng, 1, 4, S), CONFLATE_LEVEL_MISSING);
    /* a number of another country written nationally and with its country code: one number */
    size_t P = role_feature(eng, "phone");
    assert_int_equal(pair_level(eng, 0, 3, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    assert_int_equal(pair_level(eng, 1, 4, P), 1); /* a UK mobile keyed with a digit dropped */
    /* the warning names both inputs' columns */
    assert_non_null(strstr(said, "columns 'Date of Birth', 'DOB' (dob): 1 of"));
    conflate_free(eng);
}

/* Column names of forces' own systems (review 132): `Sname` beside `Fname`, a Niche-like
   `RES_ADDR_LINE_1` and `RES_ADDR_PCODE`; an input with several columns named as references
   says which. */
static void test_force_headings(void **st)
{
    (void)st;
    const char *a = "PERSON_ID,Fname,Sname,BIRTH_DATE,RES_ADDR_LINE_1,RES_ADDR_PCODE\n"
                    "P1,Amy,Lee,1990-01-02,1 High Street,AB1 2CD\n";
    const char *b = "Log Ref,Case Ref,first_name,surname,dob\nL1,C1,Amy,Lee,1990-01-02\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "surname")), "Sname");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "address")), "RES_ADDR_LINE_1");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "postcode")), "RES_ADDR_PCODE");
    assert_non_null(strstr(said, "b.csv has no record id column (several are named as references: 'Log Ref', "
                                 "'Case Ref')"));
    conflate_free(eng);
    /* a reply in another language: a Romanian police reply's `NUME`, `PRENUME`, `Data
       naşterii` (with its cedilla), `Domiciliu`, `Telefon`; Polish `Nazwisko`, `Imię`, `Data
       urodzenia`, `Płeć` (review 132: no column was mapped, F1 0.657 -> 0.992) */
    const char *c = "id,NUME,PRENUME,Data na\xc5\x9fterii,Domiciliu,Telefon\n"
                    "R1,RADU,LUCIAN,18.01.1996,\"Str. Unirii 114, Suceava\",+40 722 123 456\n";
    const char *d = "id,Nazwisko,Imi\xc4\x99,Data urodzenia,P\xc5\x82""e\xc4\x87\nP1,Nowak,Anna,1990-01-02,K\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "surname")), "NUME");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "first_name")), "PRENUME");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "dob")), "Data na\xc5\x9fterii");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "address")), "Domiciliu");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "phone")), "Telefon");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "surname")), "Nazwisko");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "first_name")), "Imi\xc4\x99");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "dob")), "Data urodzenia");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "sex")), "P\xc5\x82""e\xc4\x87");
    conflate_free(eng);
    /* of a transfer's `Sender Name` and `Receiver Name`, the sender's: the party whose details
       the input gives (`Sender DOB`, `Sender Address`; review 134: no name was compared) */
    const char *t = "Transaction Ref,Sender Name,Sender DOB,Sender Address,Receiver Name,Receiver Country\n"
                    "T1,AMY LEE,1990-01-02,\"1 High St, Leeds\",Bo Lee,Nigeria\n";
    eng = run_inputs("t.csv", t, strlen(t), "d.csv", d);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "full_name")), "Sender Name");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "dob")), "Sender DOB");
    conflate_free(eng);
    /* Cyrillic, Dutch, French and Vietnamese replies (review 136: a Bulgarian reply stopped the
       run, no column matching a role): ИМЕ, ПРЕЗИМЕ (the father's name beside ФАМИЛИЯ), ДАТА НА
       РАЖДАНЕ with its "г." (year), ПОЛ М/Ж, ЕГН (a national identity number); Serbian
       Prezime beside Ime is the surname; Geslachtsnaam, Voornamen, Roepnaam; NOM, POSTNOM,
       Prénom; Họ và tên, Ngày sinh, Giới tính Nam/Nữ */
    const char *bg = "id,\xd0\x98\xd0\x9c\xd0\x95,\xd0\x9f\xd0\xa0\xd0\x95\xd0\x97\xd0\x98\xd0\x9c\xd0\x95,"
                     "\xd0\xa4\xd0\x90\xd0\x9c\xd0\x98\xd0\x9b\xd0\x98\xd0\xaf,"
                     "\xd0\x94\xd0\x90\xd0\xa2\xd0\x90 \xd0\x9d\xd0\x90 \xd0\xa0\xd0\x90\xd0\x96\xd0\x94\xd0\x90\xd0\x9d\xd0\x95,"
                     "\xd0\x9f\xd0\x9e\xd0\x9b,\xd0\x95\xd0\x93\xd0\x9d\n"
                     "B1,Martin,Dimitrov,Atanasov,23.12.1990 \xd0\xb3.,\xd0\x9c,9012234567\n";
    const char *sr = "id,Ime,Prezime,Datum rodjenja,Pol,JMBG\nS1,Martin,Atanasov,1990-12-23,M,9012234567\n";
    eng = run_inputs("bg.csv", bg, strlen(bg), "sr.csv", sr);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "first_name")), "\xd0\x98\xd0\x9c\xd0\x95");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "middle_name")),
                        "\xd0\x9f\xd0\xa0\xd0\x95\xd0\x97\xd0\x98\xd0\x9c\xd0\x95");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "surname")),
                        "\xd0\xa4\xd0\x90\xd0\x9c\xd0\x98\xd0\x9b\xd0\x98\xd0\xaf");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "national_id")), "\xd0\x95\xd0\x93\xd0\x9d");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "surname")), "Prezime");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "national_id")), "JMBG");
    size_t D = role_feature(eng, "dob"), X = role_feature(eng, "sex");
    assert_int_equal(pair_level(eng, 0, 1, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    assert_int_equal(pair_level(eng, 0, 1, X), (unsigned)conflate_feature_levels(eng, X) - 1);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
    const char *nl = "id,Geslachtsnaam,Voornamen,Roepnaam,Geboortedatum,Geslacht\nN1,Berg,Johanna Maria,Anja,1990-01-02,V\n";
    const char *fr = "id,NOM,POSTNOM,Pr\xc3\xa9nom,Date de naissance\nF1,KABILA,KABANGE,Joseph,1971-06-04\n";
    eng = run_inputs("nl.csv", nl, strlen(nl), "fr.csv", fr);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "surname")), "Geslachtsnaam");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "first_name")), "Voornamen");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "surname")), "NOM");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "middle_name")), "POSTNOM");
    conflate_free(eng);
    const char *vn = "id,H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan,Ng\xc3\xa0y sinh,Gi\xe1\xbb\x9bi t\xc3\xadnh\n"
                     "V1,Nguyen Van Hung,1990-01-02,Nam\n";
    const char *en = "id,first_name,surname,dob,sex\nE1,Hung,Nguyen,1990-01-02,M\n";
    eng = run_inputs("vn.csv", vn, strlen(vn), "en.csv", en);
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "full_name")), "H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan");
    assert_string_equal(conflate_input_column(eng, 0, role_feature(eng, "dob")), "Ng\xc3\xa0y sinh");
    X = role_feature(eng, "sex");
    assert_int_equal(pair_level(eng, 0, 1, X), (unsigned)conflate_feature_levels(eng, X) - 1);
    conflate_free(eng);
}

/* A surname left empty and the whole name in the first name (a passport with no surname, as
   UKVI writes it: review 132) against a record whose surname is that name's last word: the
   surnames are exact (they were missing, and such pairs ended at p 0.33); against another
   surname they stay missing. */
static void test_surname_in_given_names(void **st)
{
    (void)st;
    const char *a = "id,Given Names,Surname,dob\nU1,RESHMI SEBASTIAN,,1987-12-21\nU2,ANU JOSEPH,,1990-02-03\n";
    const char *b = "id,first_name,surname,dob\nW1,Reshmi,Sebastian,1987-12-21\nW2,Anu,Thomas,1990-02-03\n";
    conflate_engine *eng = run_inputs("u.csv", a, strlen(a), "w.csv", b);
    size_t S = role_feature(eng, "surname");
    assert_int_equal(pair_level(eng, 0, 2, S), (unsigned)conflate_feature_levels(eng, S) - 1);
    assert_int_equal(pair_level(eng, 1, 3, S), CONFLATE_LEVEL_MISSING);
    conflate_free(eng);
}

/* The surname given_surname_pass makes exact carries its term frequency whichever record of
   the pair has it (tf_value read the first record's value, 0 when it was the one without a
   surname: the pair weighed more one way round than the other), and a Latin name with a letter
   the normaliser keeps (Uzbek's oʻ, Hausa's ɗ) is no name of another script. */
static void test_given_surname_tf_symmetric(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\nU1,RESHMI SEBASTIAN,,1987-12-21\nU2,G\xca\xbbulom,Karimov,1985-04-03\n"
                    "U3,\xc6\x8a" "anjuma,Bello,1979-02-01\n";
    const char *b = "id,first_name,surname,dob\nW1,Reshmi,Sebastian,1987-12-21\nW2,Anu,Sebastian,1990-02-03\n"
                    "W3,Bindu,Sebastian,1961-05-06\nW4,Gini,Sebastian,1972-08-09\nW5,Gulom,Karimov,1985-04-03\n"
                    "W6,Danjuma,Bello,1979-02-01\n";
    conflate_engine *eng = run_inputs("u.csv", a, strlen(a), "w.csv", b);
    char *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    FILE *f = open_memstream(&x, &nx);
    conflate_explain_pair(eng, 0, 3, f);
    fclose(f);
    f = open_memstream(&y, &ny);
    conflate_explain_pair(eng, 3, 0, f);
    fclose(f);
    const char *tx = strstr(x, "total weight"), *ty = strstr(y, "total weight");
    assert_non_null(tx);
    assert_non_null(ty);
    assert_memory_equal(tx, ty, 20);
    free(x);
    free(y);
    size_t F = role_feature(eng, "first_name");
    assert_int_not_equal(pair_level(eng, 1, 7, F), CONFLATE_LEVEL_MISSING);
    assert_int_not_equal(pair_level(eng, 2, 8, F), CONFLATE_LEVEL_MISSING);
    conflate_free(eng);
}

/* A spreadsheet's mechanics (review 134): a blank row saved as separators only is skipped with
   a note, not a record whose id is empty (it stopped the run), and a heading kept with blanks
   around it ("Ref ") is found by its name. */
static void test_blank_rows_and_padded_headings(void **st)
{
    (void)st;
    const char *a = "\"Ref \",first_name,surname,dob\nR1,Amy,Lee,1990-01-02\n,,,\nR2,Bob,Hall,1980-02-03\n";
    const char *b = "id,first_name,surname,dob\nP1,Amy,Lee,1990-01-02\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_int_equal(conflate_record_count(eng), 3);
    assert_non_null(strstr(said, "a.csv: 1 row of empty fields only (the first: line 3"));
    conflate_free(eng);
    conflate_options o;
    conflate_options_default(&o);
    o.message = keep_message;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    conflate_input_opts io = {0};
    io.id_column = "Ref";
    assert_int_equal(conflate_add_csv_buffer(eng, "a.csv", a, strlen(a), &io, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_string_equal(conflate_input_id_column(eng, 0), "Ref ");
    assert_string_equal(conflate_record_id(eng, 1), "R2");
    conflate_free(eng);
}

/* Forenames as initials only: a council-tax list's `Liable Party Initials` beside its `Liable
   Party Surname` is the first name's column (review 130: no role), `Initials` too, but not where
   the input has a forename (nor `Officer Initials`, another person's); initials compare by
   their first letter: "J R" is close to John, different from Paula, close to "J", similar to
   "J P" (it was compared as written, "different" from John). */
static void test_initials_column(void **st)
{
    (void)st;
    const char *a = "Account Ref,Liable Party Surname,Liable Party Initials,Officer Initials,Property Address\n"
                    "CT1,SMITH,J R,AB,12 High Street\nCT2,SMITH,J,AB,12 High Street\nCT3,SMITH,J P,AB,12 High Street\n";
    const char *b = "id,first_name,surname,address\nP1,John,Smith,12 High Street\nP2,Paula,Smith,12 High Street\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name");
    assert_string_equal(conflate_input_column(eng, 0, F), "Liable Party Initials");
    assert_int_equal(pair_level(eng, 0, 3, F), 2);
    assert_int_equal(pair_level(eng, 0, 4, F), 0);
    assert_int_equal(pair_level(eng, 0, 1, F), 2);
    assert_int_equal(pair_level(eng, 0, 2, F), 1);
    conflate_free(eng);
    /* initials run together ("JR", review 135: "different" from John) */
    const char *e = "Ref,Surname,Initials\nE1,Smith,JR\nE2,Smith,PK\n";
    const char *g = "id,first_name,surname\nG1,John,Smith\n";
    eng = run_inputs("e.csv", e, strlen(e), "g.csv", g);
    F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 2, F), 2);
    assert_int_equal(pair_level(eng, 1, 2, F), 0);
    conflate_free(eng);
    const char *c = "id,Surname,Initials,Forename\n1,Smith,J,John\n";
    const char *d = "id,Surname,Initials\n1,Smith,J\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    F = role_feature(eng, "first_name");
    assert_string_equal(conflate_input_column(eng, 0, F), "Forename");
    assert_string_equal(conflate_input_column(eng, 1, F), "Initials");
    conflate_free(eng);
}

/* A number written onto the word that says whose (`Parent1`, `Contact1`) still says another
   person's (review 131: `Parent1 Surname` and `Parent1 DOB` beside `Child Surname` and `Child
   DOB` made two of each, and neither the child's surname nor date of birth was compared;
   `Parent1 Phone` was compared as the child's phone, `Contact1 Name` beside `Child Name` left
   the input without a name). */
static void test_numbered_other_person(void **st)
{
    (void)st;
    const char *a = "Ref,Child Surname,Child Forename,Child DOB,Parent1 Surname,Parent1 DOB,Parent1 Phone\n"
                    "R1,Lee,Amy,2010-01-02,Lee,1980-03-04,07700 900001\n"
                    "R2,Hall,Bob,2011-05-06,Hall,1979-07-08,07700 900002\n";
    const char *b = "id,first_name,surname,dob\n1,Amy,Lee,2010-01-02\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    const char *sur = conflate_input_column(eng, 0, role_feature(eng, "surname"));
    const char *dob = conflate_input_column(eng, 0, role_feature(eng, "dob"));
    assert_non_null(sur);
    assert_string_equal(sur, "Child Surname");
    assert_non_null(dob);
    assert_string_equal(dob, "Child DOB");
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        assert_string_not_equal(conflate_feature_role(eng, f), "phone");
    conflate_free(eng);
    const char *c = "Ref,Contact1 Name,Child Name,DOB\nR1,Jo Lee,Amy Lee,2010-01-02\n"
                    "R2,Al Hall,Bob Hall,2011-05-06\n";
    const char *d = "id,full_name,dob\n1,Amy Lee,2010-01-02\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    const char *full = conflate_input_column(eng, 0, role_feature(eng, "full_name"));
    assert_non_null(full);
    assert_string_equal(full, "Child Name");
    conflate_free(eng);
    /* a `Number` beside a date of birth is no contact list's phone (a custody number) */
    const char *e = "Custody Ref,Name,DOB,Number\nC1,Amy Lee,2010-01-02,07700900001\n"
                    "C2,Bob Hall,2011-05-06,07700900002\n";
    const char *f = "id,full_name,dob\n1,Amy Lee,2010-01-02\n";
    eng = run_inputs("e.csv", e, strlen(e), "f.csv", f);
    for (size_t k = 0; k < conflate_feature_count(eng); k++)
        assert_string_not_equal(conflate_feature_role(eng, k), "phone");
    conflate_free(eng);
}

/* Under the default model (too few obvious matches to estimate one), a pair that agrees on a
   date of birth and nothing else that tells people apart, no name compared, weighs at most -1
   (review 128: children of one birthday whose names one input's columns did not give linked at
   p 0.93); with the home agreeing besides, it links. A contact list's "ROBERT C" is the first
   name Robert and a surname's initial, as "Robert C" is (review 128: read surname Robert, the
   pair was taken for names swapped). */
static void test_default_model_bounds(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,address\n"
                    "A1,Peter,White,2009-04-14,14 Church Street\nA2,Amy,Lee,2010-01-02,3 Mill Lane\n"
                    "A3,Bob,Hall,2011-05-06,9 Rose Road\n";
    const char *b = "id,dob,address\nB1,2009-04-14,172 Church Street\nB2,2010-01-02,3 Mill Lane\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "too few candidate pairs"));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    assert_int_equal(conflate_record_cluster(eng, 1), conflate_record_cluster(eng, 4));
    conflate_free(eng);
    const char *c = "id,first_name,surname,phone\n1,Robert,Cole,07700 900001\n2,Robert,Hall,07700 900002\n"
                    "3,Anna,Robertson,07700 900003\n";
    const char *d = "id,name,phone\nX1,ROBERT C,07700 900001\nX2,Robert C,07700 900001\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 3, 4, F), (unsigned)conflate_feature_levels(eng, F) - 1);
    assert_int_equal(conflate_record_cluster(eng, 3), conflate_record_cluster(eng, 4));
    conflate_free(eng);
}

/* An address with its town written before the postcode is "close" to the same house without
   the town (review 128: a DVLA keeper's `68 DUKE STREET, BIRKENHEAD CH7 7TU` was only
   "similar" to `68 Duke Street`); another house of the street stays "similar". A qualified
   `Keeper Title` is read as titles (the sex), a `Job Title` is not. */
static void test_town_after_street(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,address\n"
                    "A1,John,Smith,1990-01-02,\"68 DUKE STREET, BIRKENHEAD CH7 7TU\"\n"
                    "A2,Ann,Lee,1980-01-01,\"12 Mill Lane, Leeds\"\n";
    const char *b = "id,first_name,surname,dob,address,postcode\n"
                    "B1,John,Smith,1990-01-02,68 Duke Street,CH7 7TU\n"
                    "B2,Ann,Lee,1980-01-01,14 Mill Lane,LS1 1AA\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t A = role_feature(eng, "address");
    assert_int_equal(pair_level(eng, 0, 2, A), 2);
    assert_true(pair_level(eng, 1, 3, A) < 2);
    conflate_free(eng);
    const char *c = "Keeper Ref,Keeper Title,Keeper Name,Job Title\nK1,Miss,J LEWIS,Nurse\nK2,Mr,J LEWIS,Driver\n";
    const char *d = "id,first_name,surname,sex\n1,Jane,Lewis,F\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    assert_non_null(strstr(said, "column 'Keeper Title' read as titles"));
    assert_null(strstr(said, "'Job Title' read as titles"));
    conflate_free(eng);
}

/* A whole name not in capitals whose first word the other inputs hold as a surname (three
   times and more, four times as often as a first name), and none of its other words more often
   as a surname, is written family name first: "Okafor Gloria" (review 128: read first name
   Okafor); "Gloria Okafor" and "Mary Smith" stay given name first. */
static void test_family_name_first(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Gloria,Okafor,1990-01-02\nA2,Emeka,Okafor,1985-03-04\nA3,Ada,Okafor,1970-05-06\n"
                    "A4,Mary,Smith,1980-01-01\nA5,John,Smith,1981-02-02\nA6,Ann,Smith,1982-03-03\n";
    const char *b = "id,name,dob\nB1,Okafor Gloria,1990-01-02\nB2,Emeka Okafor,1985-03-04\nB3,Mary Smith,1980-01-01\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname");
    unsigned tf = (unsigned)conflate_feature_levels(eng, F) - 1, ts = (unsigned)conflate_feature_levels(eng, S) - 1;
    assert_int_equal(pair_level(eng, 0, 6, F), tf);
    assert_int_equal(pair_level(eng, 0, 6, S), ts);
    assert_int_equal(pair_level(eng, 1, 7, F), tf);
    assert_int_equal(pair_level(eng, 3, 8, F), tf);
    conflate_free(eng);
}

/* A whole name that begins with a family name's particle is written family name first: "EL
   AMRANI AMINAH" is surname El Amrani, first name Aminah; "BIN ALI MOHAMMAD" surname Bin Ali
   (review 134's Maghrebi shape: read first name "el", surname "aminah"). "BEN JAMES SMITH" (Ben
   a given name too, Smith no first name) stays given name first; Bin Ali, Ben Ali and Benali,
   El Arbi and Larbi are one surname ("close"). */
static void test_particle_name_first(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Amina,Amrani,1986-03-14\nA2,Mohammad,Benali,1991-06-20\nA3,Said,Larbi,1994-12-31\n"
                    "A4,James,Smith,1980-01-01\nA5,Ben,Smith,1979-05-05\nA6,Oliver,Smith,1985-06-07\n"
                    "A7,Maria,Dos Santos,1988-08-08\n";
    const char *b = "id,name,dob\nB1,EL AMRANI AMINAH,1986-03-14\nB2,BIN ALI MOHAMMAD,1991-06-20\n"
                    "B3,EL ARBI SAID,1994-12-31\nB4,BEN JAMES SMITH,1979-05-05\nB5,Oliver Ben Smith,1985-06-07\n"
                    "B6,DOS SANTOS MARIA,1988-08-08\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname");
    unsigned tf = (unsigned)conflate_feature_levels(eng, F) - 1;
    assert_true(pair_level(eng, 0, 7, F) >= 2); /* amina / aminah */
    assert_true(pair_level(eng, 0, 7, S) >= 2); /* amrani / el amrani */
    assert_int_equal(pair_level(eng, 1, 8, F), tf);
    assert_int_equal(pair_level(eng, 1, 8, S), 2); /* benali / bin ali */
    assert_int_equal(pair_level(eng, 2, 9, F), tf);
    assert_int_equal(pair_level(eng, 2, 9, S), 2); /* larbi / el arbi */
    assert_int_equal(pair_level(eng, 4, 10, F), tf); /* Ben, given name first */
    assert_int_equal(pair_level(eng, 4, 10, S), (unsigned)conflate_feature_levels(eng, S) - 1);
    /* Ben a middle name before a surname others hold (review 138) */
    assert_int_equal(pair_level(eng, 5, 11, S), (unsigned)conflate_feature_levels(eng, S) - 1);
    assert_int_equal(conflate_record_cluster(eng, 1), conflate_record_cluster(eng, 8));
    /* DOS SANTOS MARIA: the particles and the word after them (review 138) */
    assert_int_equal(pair_level(eng, 6, 12, S), (unsigned)conflate_feature_levels(eng, S) - 1);
    assert_int_equal(pair_level(eng, 6, 12, F), tf);
    conflate_free(eng);
}

/* Given names of several words compared word by word: `Thi Lan` and `Lan` are close (one's
   words among the other's), `Xuan Minh` and `Xuan Thanh` different (a shared first word and
   other names after it), `Xuan Minh` and `Xuan Mihn` close (a typo in the second); review
   136's Vietnamese shape. */
static void test_given_words(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Thi Lan,Nguyen,1990-01-02\nA2,Xuan Minh,Tran,1991-02-03\nA3,Xuan Minh,Le,1992-03-04\n"
                    "A4,Lan Lan,Pham,1993-04-05\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,Lan,Nguyen,1990-01-02\nB2,Xuan Thanh,Tran,1991-02-03\nB3,Xuan Mihn,Le,1992-03-04\n"
                    "B4,Lan Hoa,Pham,1993-04-05\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 4, F), 2);
    assert_int_equal(pair_level(eng, 1, 5, F), 0);
    assert_int_equal(pair_level(eng, 2, 6, F), 2);
    assert_int_equal(pair_level(eng, 3, 7, F), 0); /* a word met once only (review 138) */
    conflate_free(eng);
}

/* A name chain cut at another place: `REBWAR | BAKHTIYAR` (the father's name as the surname)
   against the whole `REBWAR BAKHTIYAR AHMED` (split first name Rebwar, surname Ahmed): the
   surname is one of the other's given names, "close" where the first names agree (review
   132's Kurdish shape: "different"); with first names unlike, it stays "different". */
static void test_name_chain(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Rebwar,Bakhtiyar,1997-12-24\nA2,Kawa,Bakhtiyar,1990-01-01\n";
    const char *b = "id,name,dob\nB1,REBWAR BAKHTIYAR AHMED,1997-12-24\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t S = role_feature(eng, "surname");
    assert_int_equal(pair_level(eng, 0, 2, S), 2);
    assert_int_equal(pair_level(eng, 1, 2, S), 0);
    conflate_free(eng);
}

/* The same given names in another order over the first and middle names, a middle name of
   several words: "Stephen" + "Kelechi Kwesi" against "Kelechi" + "Stephen Kwesi" is "close"
   (review 128: different on both). */
static void test_given_names_reordered(void **st)
{
    (void)st;
    const char *a = "id,first_name,middle_name,surname,dob\n"
                    "A1,Stephen,Kelechi Kwesi,Olawale,1990-01-02\nA2,Ama,Serwaa,Mensah,1985-03-04\n";
    const char *b = "id,first_name,middle_name,surname,dob\n"
                    "B1,Kelechi,Stephen Kwesi,Olawale,1990-01-02\nB2,Ama,Serwaa,Mensah,1985-03-04\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 2, F), 2);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    conflate_free(eng);
}

/* Review 130: a court export's `URN` is the case's, shared by co-defendants: taken on trial as
   a reference's name is, its input named by line numbers when a value repeats (the run
   stopped on a duplicate id); an HMO register's `Licence Number`, one per house, held by its
   tenants of different dates of birth, is not one person's and decides no pair (each pair of a
   house's tenants was floored at +10); `Tenant Email`, `Property Postcode` and `Vehicle Reg`
   are found. */
static void test_review130_columns(void **st)
{
    (void)st;
    const char *a = "URN,Defendant Name,DOB\n"
                    "34MC1,Adam BELL,1990-01-02\n34MC1,Carl DUNN,1985-03-04\n35MC2,Eve FOX,1970-05-06\n";
    const char *b = "id,first_name,surname,dob\n1,Adam,Bell,1990-01-02\n2,Carl,Dunn,1985-03-04\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "column 'URN' is not a record id"));
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
    const char *c = "Schedule Line,Licence Number,Occupant Name,DOB\n"
                    "1,HMO2021004212,Adam Bell,1990-01-02\n2,HMO2021004212,Carl Dunn,1985-03-04\n"
                    "3,HMO2021004212,Eve Fox,1970-05-06\n4,HMO2021004212,Ian Gold,1995-07-08\n"
                    "5,HMO2021004212,Joe Hart,1999-09-10\n";
    const char *d = "Deposit ID,Tenant First Name,Tenant Last Name,Tenant Email,Property Postcode,Vehicle Reg\n"
                    "D1,Adam,Bell,adam.bell@example.com,LS6 2QT,AB12 CDE\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    for (uint32_t i = 1; i < 5; i++)
        assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, i));
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "email")), "Tenant Email");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "postcode")), "Property Postcode");
    assert_string_equal(conflate_input_column(eng, 1, role_feature(eng, "vehicle")), "Vehicle Reg");
    conflate_free(eng);
}

/* An input's own field given no column ("" in conflate_input_opts, null in a settings file):
   that input has none of the role, whatever the automatic mapping finds (review 130). */
static void test_field_off_per_input(void **st)
{
    (void)st;
    const char *a = "id,name,Licence Number,dob\n1,Adam Bell,HMO1,1990-01-02\n2,Carl Dunn,HMO1,1985-03-04\n";
    const char *b = "id,first_name,surname,dob,Licence Number\n1,Adam,Bell,1990-01-02,BELL9901020AB9CD\n";
    conflate_engine *eng = engine(CONFLATE_LINK_AND_DEDUPE, CONFLATE_ON_ERROR_STOP);
    iom_error e;
    iom_error_clear(&e);
    conflate_field_map off[1] = {{"driving_licence", ""}};
    conflate_input_opts io;
    memset(&io, 0, sizeof io);
    io.fields = off;
    io.nfields = 1;
    assert_int_equal(conflate_add_csv_buffer(eng, "a.csv", a, strlen(a), &io, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "b.csv", b, strlen(b), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    size_t L = role_feature(eng, "driving_licence");
    assert_null(conflate_input_column(eng, 0, L));
    assert_string_equal(conflate_input_column(eng, 1, L), "Licence Number");
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
}

/* A Muhammad-family prefix before the name a person goes by: `Muhammad Abdul` and `Abdul`,
   `Md Ruhul` and `Ruhul` are "close" first names (review 130); `Muhammad Ali` and `Ali Khan`
   are not. */
static void test_muhammad_prefix(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Muhammad Abdul,Basit,1980-01-02\nA2,Md Ruhul,Amin,1975-03-04\nA3,Muhammad Ali,Khan,1990-05-06\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,Abdul,Basit,1980-01-02\nB2,Ruhul,Amin,1975-03-04\nB3,Ali Khan,Khan,1990-05-06\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 3, F), 2);
    assert_int_equal(pair_level(eng, 1, 4, F), 2);
    assert_true(pair_level(eng, 2, 5, F) < 2);
    conflate_free(eng);
}

/* Dates of six digits written year first (YYMMDD, a passport's machine-readable zone) are read
   so in an input where many can only be read so: 760209 is 9 February 1976, and 040106 6
   January 2004, not 4 January 2006 (review 128: read day first, half an API file's dates were
   "not dates" and some another date). */
static void test_year_first_six(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Amy,Lee,760209\nA2,Bob,Hall,040106\nA3,Cy,Ray,851231\nA4,Di,Fox,900715\n"
                    "A5,Ed,Cole,881122\nA6,Flo,Dean,790330\nA7,Gus,Ash,830817\nA8,Hal,Bird,920528\n"
                    "A9,Ivy,Moss,870919\nA10,Jo,Kemp,950613\nA11,Kit,Lamb,780924\nA12,Lu,Pike,860428\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,Amy,Lee,1976-02-09\nB2,Bob,Hall,2004-01-06\nB3,Cy,Ray,1985-12-31\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "written year first (YYMMDD"));
    size_t D = role_feature(eng, "dob");
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(pair_level(eng, i, 12 + i, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    conflate_free(eng);
    /* a cell of two dates: the second is read year first too (it was left as written, 780712
       no date read day first, and the pair's dates compared "different") */
    const char *c = "id,first_name,surname,dob\n"
                    "A1,Amy,Lee,100203; 780712\nA2,Bob,Hall,040106\nA3,Cy,Ray,851231\nA4,Di,Fox,900715\n"
                    "A5,Ed,Cole,881122\nA6,Flo,Dean,790330\nA7,Gus,Ash,830817\nA8,Hal,Bird,920528\n"
                    "A9,Ivy,Moss,870919\nA10,Jo,Kemp,950613\nA11,Kit,Lamb,780924\nA12,Lu,Pike,860428\n";
    const char *d = "id,first_name,surname,dob\nB1,Amy,Lee,1978-07-12\n";
    eng = run_inputs("a.csv", c, strlen(c), "b.csv", d);
    assert_non_null(strstr(said, "written year first (YYMMDD"));
    D = role_feature(eng, "dob");
    assert_int_equal(pair_level(eng, 0, 12, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    conflate_free(eng);
    /* ... whichever comes first (review 135: a first value that is no date read day first left
       the cell unsplit, and missing) */
    const char *c2 = "id,first_name,surname,dob\n"
                     "A1,Amy,Lee,780712; 100203\nA2,Bob,Hall,040106\nA3,Cy,Ray,851231\nA4,Di,Fox,900715\n"
                     "A5,Ed,Cole,881122\nA6,Flo,Dean,790330\nA7,Gus,Ash,830817\nA8,Hal,Bird,920528\n"
                     "A9,Ivy,Moss,870919\nA10,Jo,Kemp,950613\nA11,Kit,Lamb,780924\nA12,Lu,Pike,860428\n";
    const char *d2 = "id,first_name,surname,dob\nB1,Amy,Lee,2010-02-03\n";
    eng = run_inputs("a.csv", c2, strlen(c2), "b.csv", d2);
    D = role_feature(eng, "dob");
    assert_int_equal(pair_level(eng, 0, 12, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    conflate_free(eng);
}

/* A given name split over the first and middle name columns in one source and joined in
 * another ("Min" + "Jun" / "Minjun", "Om" + "Bahadur" / "Ombahadur"): "close" (review 126). */
static void test_given_name_joined(void **st)
{
    (void)st;
    const char *a = "id,first_name,middle_name,surname,dob\n"
                    "A1,Min,Jun,Park,1991-01-01\nA2,Om,Bahadur,Gurung,1980-02-03\nA3,Ann,Marie,Lee,1970-04-05\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,Minjun,Park,1991-01-01\nB2,Om-Bahadur,Gurung,1980-02-03\nB3,Annabel,Lee,1970-04-05\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 3, F), 2);
    assert_int_equal(pair_level(eng, 1, 4, F), 2);
    assert_true(pair_level(eng, 2, 5, F) < 2); /* Ann Marie is no Annabel */
    conflate_free(eng);
}

/* A kunya ("Abu Omar": an Arab parent called after the eldest son) or a Bangladeshi given name
 * of that form ("Abu Taher"): against a name of another form the first names say nothing (the
 * parent's own name is another name of the same person: review 119); against another such name
 * they are compared, so two brothers Abu Taher and Abu Sayed Miah differ (review 123: as a
 * placeholder it was missing in both, and only the surname and the home were compared). */
static void test_kunya_first_name(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Abu Omar,Haddad,1970-01-02\n"
                    "A2,Abu Taher,Miah,1980-03-04\n"
                    "A3,Abu Taher,Uddin,1975-05-06\n"
                    "A4,Abu Bakr,Salem,1965-07-08\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,Khaled,Haddad,1970-01-02\n"
                    "B2,Abu Sayed,Miah,1980-03-04\n"
                    "B3,Abu Taher,Uddin,1975-05-06\n"
                    "B4,Omar,Salem,1965-07-08\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 4, F), CONFLATE_LEVEL_MISSING); /* Abu Omar / Khaled */
    assert_true(pair_level(eng, 1, 5, F) < 2); /* Abu Taher / Abu Sayed: not close (JW: similar) */
    assert_int_equal(pair_level(eng, 2, 6, F), (unsigned)conflate_feature_levels(eng, F) - 1);
    assert_int_equal(pair_level(eng, 3, 7, F), 0); /* Abu Bakr is a given name: not Omar */
    conflate_free(eng);
    /* a whole name's given name of two such words is split as one (review 127: "Abu Taher
       Miah" was first name "abu", and met "Abu Sayed Miah" as the same first name) */
    const char *c = "id,full_name,dob\nC1,Abu Taher Miah,1980-01-01\nC2,Abdul Rahman Khan,1970-02-03\n";
    const char *d = "id,first_name,surname,dob\nD1,Abu Sayed,Miah,1980-01-01\nD2,Abdul Rahman,Khan,1970-02-03\n";
    eng = run_inputs("c.csv", c, strlen(c), "d.csv", d);
    F = role_feature(eng, "first_name");
    assert_true(pair_level(eng, 0, 2, F) < 2);
    assert_int_equal(pair_level(eng, 1, 3, F), (unsigned)conflate_feature_levels(eng, F) - 1);
    conflate_free(eng);
}

/* The further values of a cell compared too: a number, an e-mail address or a date of birth
 * listed second in one system and alone in another agree exactly; none of them agreeing leaves
 * the first values' level (stop 59 compared only the first). */
static void test_several_values_all_compared(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,phone,email\n"
                    "A1,Ann,Lee,1980-01-02; 1981-02-03,07700 900111 / 07700 900222,ann@x.org; ann2@y.org\n"
                    "A2,Bob,Hall,1970-03-04,07700 900333 or 07700 900444,bob@x.org\n"
                    "A3,Cy,Dunn,1960-05-06,07700 900555 / 07700 900666,cy@x.org; cy2@y.org\n";
    const char *b = "id,first_name,surname,dob,phone,email\n"
                    "B1,Ann,Lee,1981-02-03,07700900222,ann2@y.org\n"
                    "B2,Bob,Hall,1970-03-04,07700900444,bob@x.org\n"
                    "B3,Cy,Dunn,1960-05-06,07700900777,cy3@z.org\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "any of them agreeing is an exact agreement"));
    size_t P = role_feature(eng, "phone"), E = role_feature(eng, "email"), D = role_feature(eng, "dob");
    unsigned top_p = (unsigned)conflate_feature_levels(eng, P) - 1, top_e = (unsigned)conflate_feature_levels(eng, E) - 1,
             top_d = (unsigned)conflate_feature_levels(eng, D) - 1;
    assert_int_equal(pair_level(eng, 0, 3, P), top_p); /* the second number of A1 */
    assert_int_equal(pair_level(eng, 0, 3, E), top_e);
    assert_int_equal(pair_level(eng, 0, 3, D), top_d); /* the second date of birth */
    assert_int_equal(pair_level(eng, 1, 4, P), top_p); /* "... or 07700 900444" */
    assert_int_not_equal(pair_level(eng, 2, 5, P), top_p); /* none of Cy's numbers */
    assert_int_not_equal(pair_level(eng, 2, 5, E), top_e);
    assert_int_not_equal(pair_level(eng, 0, 5, P), top_p);
    conflate_free(eng);
}

/* A cell's further dates of birth in an input written month first are read month first too, as
 * its first is: "11/03/1990; 03/04/1985" holds 4 March 1985 (the further value was read day
 * first, 3 April, and did not agree with the same date written 04/03/1985 day first). */
static void test_several_values_month_first(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "a1,John,Smith,03/12/1985\n"
                    "a2,Mary,Jones,25/01/1970\n"
                    "a3,Cat,Wood,04/03/1985\n";
    const char *b = "id,first_name,surname,dob\n"
                    "b1,John,Smith,12/03/1985\n"
                    "b2,Mary,Jones,01/25/1970\n"
                    "b3,Alan,Brown,07/14/1950\n"
                    "b4,Ann,Green,11/30/1961\n"
                    "b5,Cat,Wood,11/03/1990; 03/04/1985\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "dates written month first"));
    size_t D = role_feature(eng, "dob");
    assert_int_equal(pair_level(eng, 2, 7, D), (unsigned)conflate_feature_levels(eng, D) - 1); /* exact */
    conflate_free(eng);
}

/* An exact agreement on a cell's further value carries that value's term frequency, not that of
 * the first record's own value: A's first number is one twenty others share, and A and B agree
 * on A's second; C and D agree the same way the other way round (the pair weighed 0.9 less than
 * C and D's, the common number's frequency counted against it). */
static void test_several_values_term_frequency(void **st)
{
    (void)st;
    char t[4096];
    size_t o = (size_t)snprintf(t, sizeof t, "id,surname,phone\n"
                                             "A,Quill,07700 900000 / 07700 900123\n"
                                             "B,Quill,07700 900123\n"
                                             "C,Zenn,07700 900124\n"
                                             "D,Zenn,07700 900000 / 07700 900124\n");
    static const char *const sn[] = {"Smith", "Jones", "Khan", "Patel", "Brown", "Wilson", "Taylor", "Evans"};
    for (int i = 0; i < 40; i++)
        o += (size_t)snprintf(t + o, sizeof t - o, "r%d,%s,07700 9%05d\n", i, sn[i % 8], i < 20 ? 0 : i + 1000);
    conflate_engine *eng = run_text("x.csv", t);
    size_t P = role_feature(eng, "phone");
    assert_int_equal(pair_level(eng, 0, 1, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    assert_int_equal(pair_level(eng, 2, 3, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    double d = pair_prob(eng, 0, 1) - pair_prob(eng, 2, 3);
    assert_true(d > -1e-9 && d < 1e-9);
    conflate_free(eng);
}

/* A cell of a megabyte of separators, of each kind several values are looked for in, is read in
 * linear time: each separator counted the digits (or looked for an '@', or a postcode) of the
 * whole cell afresh, and a 1 MB phone cell "07420 923234; x;x;x;..." took over five minutes
 * (review 127). Well under a second now; 20 s of CPU is the bound. */
static void test_several_values_huge_cell(void **st)
{
    (void)st;
    enum { N = 1 << 20 };
    static const struct {
        const char *col, *start;
        char fill; /* the cell: start, then fill and ';' by turns to 1 MB (0: ';' alone), then "1" */
    } cells[] = {{"phone", "07420 923234; ", 'x'}, {"email", "a@b.org; ", 'a'}, {"dob", "", '1'},
                 {"postcode", "", 'x'}, {"address", "1", 0}};
    for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
        char *t = malloc(N + 256);
        assert_non_null(t);
        size_t o = (size_t)snprintf(t, 256, "id,surname,%s\n1,Smith,\"%s", cells[c].col, cells[c].start);
        for (size_t i = 0; o < N; i++)
            t[o++] = i % 2 || !cells[c].fill ? ';' : cells[c].fill;
        o += (size_t)snprintf(t + o, 64, "1\"\n2,Smith,\n");
        clock_t t0 = clock();
        conflate_engine *eng = run_text("x.csv", t);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        assert_int_equal(conflate_record_count(eng), 2);
        assert_true(secs < 20.0);
        conflate_free(eng);
        free(t);
    }
}

/* A father's initial and the given name in the surname box, as Tamil names are written ("S.
 * Kumaran" for Kumaran son of Sivalingam): the names swapped, the initial fitting the other's
 * surname (review 122: "different" on both, 0.835 F1). Another initial is no swap. */
static void test_initial_swapped(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Kumaran,Sivalingam,1990-01-02\n"
                    "A2,Priya,Rajan,1985-05-06\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,S.,Kumaran,1990-01-02\n"
                    "B2,K,Priya,1985-05-06\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname");
    assert_int_equal(pair_level(eng, 0, 2, F), 3);
    assert_int_equal(pair_level(eng, 0, 2, S), 3);
    assert_int_not_equal(pair_level(eng, 1, 3, F), 3); /* K is no initial of Rajan */
    conflate_free(eng);
}


/* A row that fills every field it can from elsewhere: a house number joined to the address, a
 * whole name holding a sex, an age with the record's date, a driving licence's date of birth
 * and sex, and the postcode, phone and e-mail of its notes. Each field takes one extra value
 * (a later one replaces an earlier one): nine values put for seven fields ran past the row's
 * extra slots (ncols + 8; AddressSanitizer: heap-buffer-overflow in put_extra). */
static void test_extra_values_bounded(void **st)
{
    (void)st;
    const char *t = "id,name,house_no,address,age,date,driving_licence,notes\n"
                    "1,John Smith Male,12,High Street,34,2024-05-01,SMITH701155JJ9AB,"
                    "seen at LS1 1AA tel 07700 900123 email jo@example.com\n"
                    "2,John Smith Male,12,High Street,34,2024-05-01,SMITH701155JJ9AB,"
                    "seen at LS1 1AA tel 07700 900123 email jo@example.com\n"
                    "3,Jane Doe Female,4,Low Road,40,2024-05-01,DOEXX751155JJ9AB,"
                    "seen at LS2 2BB tel 07700 900456 email jd@example.com\n";
    conflate_engine *eng = run_text("x.csv", t);
    assert_int_equal(conflate_record_count(eng), 3);
    size_t D = role_feature(eng, "dob");
    /* the licence's date of birth (1975-01-15), not the age's estimate, is the record's */
    assert_int_equal(pair_level(eng, 0, 1, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
}


/* Whole names beside first names and surnames in an input of several sources named by a source
 * column (one input, five sources): the counts of which inputs write the surname first are per
 * source, and were kept in an array of one per input (AddressSanitizer: heap-buffer-overflow in
 * surname_first_inputs and split_full_names). */
static void test_surname_first_per_source(void **st)
{
    (void)st;
    const char *t = "source,full_name,first_name,surname,dob\n"
                    "s0,,Ann,Lee,1990-01-02\n"
                    "s1,MR Tom BROWN,,,1991-01-01\n"
                    "s2,GREEN Sam,,,1992-01-01\n"
                    "s3,WHITE Joe,,,1993-01-01\n"
                    "s4,BLACK Jim,,,1994-01-01\n"
                    "s4,LEE Ann,,,1990-01-02\n";
    conflate_options o;
    conflate_options_default(&o);
    o.source_column = "source";
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "s.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_int_equal(conflate_record_count(eng), 6);
    conflate_free(eng);
}


/* A column named as a reference is no record id on trial with a source column: the input's
 * records are in several sources, which id_untry cannot name by line, so a repeating "Case Ref"
 * (or the source column itself, "Source ID") stopped the run on a duplicate id; they are named
 * by line number, as before the trial. */
static void test_id_trial_with_source_column(void **st)
{
    (void)st;
    static const char *const text[2] = {
        "source,Case Ref,first_name,surname,dob\n"
        "a,C1,Ann,Lee,1990-01-02\na,C1,Bob,Lee,1992-03-04\nb,C2,Ann,Lee,1990-01-02\n",
        "Source ID,first_name,surname,dob\n"
        "sysA,Ann,Lee,1990-01-02\nsysA,Bob,Lee,1992-03-04\nsysB,Ann,Lee,1990-01-02\n"};
    static const char *const column[2] = {"source", "Source ID"};
    for (int k = 0; k < 2; k++) {
        conflate_options o;
        conflate_options_default(&o);
        o.source_column = column[k];
        conflate_engine *eng;
        iom_error e;
        iom_error_clear(&e);
        assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
        if (conflate_add_csv_buffer(eng, "c.csv", text[k], strlen(text[k]), NULL, &e) != IOM_OK)
            fail_msg("%s: %s", column[k], e.msg);
        assert_int_equal(conflate_run(eng, &e), IOM_OK);
        assert_int_equal(conflate_record_count(eng), 3);
        assert_string_equal(conflate_record_id(eng, 1), "3");
        conflate_free(eng);
    }
}


/* A date written with spaced slashes is one date, not several values (review 123: "01 / 02 /
 * 1990" was cut at its first " / " to "01", no date); two dates in a cell still give the
 * first. */
static void test_spaced_date_is_one_value(void **st)
{
    (void)st;
    const char *t = "id,first_name,surname,dob\n"
                    "1,Ann,Lee,01 / 02 / 1990\n"
                    "2,Ann,Lee,01/02/1990\n"
                    "3,Bob,Hall,03/04/1970; 04/04/1970\n"
                    "4,Bob,Hall,1970-04-03\n";
    conflate_engine *eng = run_inputs("d.csv", t, strlen(t), NULL, NULL);
    size_t D = role_feature(eng, "dob");
    assert_null(strstr(said, "not dates"));
    assert_int_equal(pair_level(eng, 0, 1, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    assert_int_equal(pair_level(eng, 2, 3, D), (unsigned)conflate_feature_levels(eng, D) - 1);
    conflate_free(eng);
}

/* Two given names in one first name column, each a first name others give alone ("Mustafa
 * Ahmet" in a Home Office's Given Names, called Ahmet elsewhere): the first name and a middle
 * name, so that a record of the second meets it crosswise (review 122: "different"); a name
 * whose words others never give alone stays whole. */
static void test_two_given_names(void **st)
{
    (void)st;
    const char *a = "id,Given Names,surname,dob\n"
                    "A1,Mustafa Ahmet,Kaya,1980-01-02\n"
                    "A2,Chih Wei,Chang,1990-03-04\n"
                    "A3,Abdul Rahman,Khan,1975-03-04\n"; /* one name: stays whole */
    const char *b = "id,first_name,middle_name,surname,dob\n"
                    "B6,Abdul,,Ali,1971-01-02\nB7,Abdul,,Shah,1972-01-02\n"
                    "B8,Rahman,,Ali,1973-01-02\nB9,Rahman,,Shah,1974-01-02\n"
                    "B1,Ahmet,,Kaya,1980-01-02\n"
                    "B2,Mustafa,,Yilmaz,1981-01-02\n"
                    "B3,Ahmet,,Celik,1982-01-02\n"
                    "B4,Mustafa,,Sahin,1983-01-02\n"
                    "B5,Chihwei,,Chang,1990-03-04\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "1 first names of two given names or more"));
    size_t F = role_feature(eng, "first_name");
    assert_int_equal(pair_level(eng, 0, 7, F), 1); /* mustafa / ahmet, crossing: similar */
    conflate_free(eng);
}

/* An address and a postcode of different places by their names ("Term Address", "Home
 * Postcode"): the postcode of the address's qualifier where the input has one, else a note
 * (review 122: a term street was compared with a home postcode without a word). */
static void test_home_qualifier(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob,address,postcode\n"
                    "A1,Ann,Lee,1990-01-02,12 Oak Road,M1 1AA\n";
    const char *u = "id,first_name,surname,dob,Term Address,Home Postcode,Term Postcode\n"
                    "U1,Ann,Lee,1990-01-02,12 Oak Road,LS9 9ZZ,M1 1AA\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "u.csv", u);
    assert_non_null(strstr(said, "u.csv: postcode 'Term Postcode' taken with address 'Term Address' (one home's), not 'Home Postcode'"));
    size_t P = role_feature(eng, "postcode");
    assert_int_equal(pair_level(eng, 0, 1, P), (unsigned)conflate_feature_levels(eng, P) - 1);
    conflate_free(eng);
    const char *v = "id,first_name,surname,dob,Term Address,Home Postcode\n"
                    "V1,Ann,Lee,1990-01-02,12 Oak Road,LS9 9ZZ\n";
    eng = run_inputs("a.csv", a, strlen(a), "v.csv", v);
    assert_non_null(strstr(said, "v.csv: address 'Term Address' and postcode 'Home Postcode' name different places"));
    conflate_free(eng);
    const char *w = "id,first_name,surname,dob,Home Address,Home Postcode\n"
                    "W1,Ann,Lee,1990-01-02,12 Oak Road,M1 1AA\n";
    eng = run_inputs("a.csv", a, strlen(a), "w.csv", w);
    assert_null(strstr(said, "different places"));
    assert_null(strstr(said, "taken with address"));
    conflate_free(eng);
}

/* Somali orthography against the English spelling (review 122): Xasan / Hasan close, Cali /
 * Ali close; an English name that begins with c is not made close to another by dropping it
 * (Cooper / Hooper stay as their letters make them). */
static void test_somali_spelling(void **st)
{
    (void)st;
    const char *a = "id,first_name,surname,dob\n"
                    "A1,Xasan,Cali,1980-01-02\n"
                    "A2,Cooper,Dunn,1970-03-04\n";
    const char *b = "id,first_name,surname,dob\n"
                    "B1,Hasan,Ali,1980-01-02\n"
                    "B2,Hooper,Dunn,1970-03-04\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    size_t F = role_feature(eng, "first_name"), S = role_feature(eng, "surname");
    assert_int_equal(pair_level(eng, 0, 2, F), 2);
    assert_int_equal(pair_level(eng, 0, 2, S), 2);
    assert_true(pair_level(eng, 1, 3, F) < 2);
    conflate_free(eng);
}

/* A payment card's last four digits (a hotel's or a short let's bookings, review 122): a field
 * of its own, found by its name, an identifier (the same guest's bookings meet on it). */
static void test_card_last4(void **st)
{
    (void)st;
    const char *a = "id,Guest Name,Card Last 4,Email\n"
                    "A1,J Smith,4821,js@x.example\n"
                    "A2,John Smith,4821,\n"
                    "A3,Mary Jones,1177,mj@y.example\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), NULL, NULL);
    assert_true(has_role(eng, "card_last4"));
    size_t C = role_feature(eng, "card_last4");
    assert_int_equal(pair_level(eng, 0, 1, C), (unsigned)conflate_feature_levels(eng, C) - 1);
    conflate_free(eng);
}

/* An input of driving licences read before the inputs with dates of birth and sexes: its
 * numbers still give them (the fields did not exist when its header was read, and nothing was
 * read: the policyholders met no nominal). */
static void test_licence_input_first(void **st)
{
    (void)st;
    const char *ins = "id,forename,surname,Licence Number,postcode\n"
                      "I1,John,Smith,SMITH803125J99AB,LS9 9ZZ\n"
                      "I2,Kelly,Smith,SMITH852017K99CD,LS9 9ZZ\n";
    const char *nom = "id,forename,surname,dob,sex,postcode\n"
                      "N1,John,Smith,12/03/1985,M,LS1 1AA\n"
                      "N2,John,Smith,27/08/1971,M,BD1 1AA\n"
                      "N3,Kelly,Smith,01/02/1987,F,LS1 1AA\n";
    conflate_engine *eng = run_inputs("ins.csv", ins, strlen(ins), "nom.csv", nom);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 2));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 3));
    assert_int_equal(conflate_record_cluster(eng, 1), conflate_record_cluster(eng, 4));
    assert_non_null(strstr(said, "ins.csv: 2 dates of birth and 2 sexes read from driving licence numbers ('Licence Number')"));
    assert_true(has_role(eng, "dob") && has_role(eng, "sex"));
    conflate_free(eng);
}

/* A passport's machine-readable zone given as its whole first line (the document's type and
 * issuing state before the name: "P<GBRSMITH<<JOHN<<<"): the name is Smith, John, not the
 * surname "p gbrsmith". */
static void test_mrz_whole_line(void **st)
{
    (void)st;
    const char *a = "id,forename,surname,dob\n"
                    "A1,John,Smith,12/03/1985\n"
                    "A2,Ravi,Patel,05/06/1970\n";
    const char *api = "id,Passenger Name,dob\n"
                      "P1,P<GBRSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<,12/03/1985\n"
                      "P2,PATEL<<RAVI,05/06/1970\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "api.csv", api);
    char *t = cluster_text(eng, 2);
    if (!strstr(t, "api.csv:P1 | john | smith |"))
        fail_msg("%s", t);
    free(t);
    assert_int_equal(conflate_record_cluster(eng, 2), conflate_record_cluster(eng, 0));
    conflate_free(eng);
}

/* Whether a feature of eng has that role. */
static bool has_role(const conflate_engine *eng, const char *role)
{
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        if (!strcmp(conflate_feature_role(eng, f), role))
            return true;
    return false;
}

/* An NHS number, a passport number and a driving licence number are personal identifiers, as
   a PNC id and an NI number are (one person's, nobody else's): mapped from their usual column
   names, and an exact agreement links an alias whose names and date of birth differ (review 95:
   a hospital's NHS numbers were compared only as text under a generic role given by hand). */
static void test_more_personal_identifiers(void **st)
{
    (void)st;
    assert_true(conflate_role_known("nhs_number"));
    assert_true(conflate_role_personal("passport"));
    assert_true(conflate_role_personal("driving_licence"));
    assert_true(conflate_role_personal("pnc_id"));
    assert_false(conflate_role_personal("vehicle"));
    assert_false(conflate_role_personal(NULL));
    const char *a = "id,forename,surname,dob,NHS No,Passport No,Driving Licence Number\n"
                    "A1,Jonathan,Smyth,01/02/1980,943 476 5919,,\n"
                    "A2,Maria,Kowalska,03/04/1985,,502135326,\n"
                    "A3,Peter,Dunn,05/06/1990,,,DUNNP905060PD9AB\n"
                    "A4,Sarah,Hill,07/08/1975,,,\n"
                    "A5,Amir,Khan,09/10/1988,,,\n"
                    "A6,Grace,Obi,11/12/1992,,,\n";
    const char *b = "id,Patient Name,Date of Birth,NHS Number,passport_number,driving_licence\n"
                    "B1,\"SMITH, John\",05/06/1979,9434765919,,\n"
                    "B2,\"NOWAK, Maria\",04/03/1985,,502 135 326,\n"
                    "B3,\"DUNNE, Pete\",06/05/1990,,,dunnp 905060 pd9ab\n"
                    "B4,\"HILL, Sarah\",07/08/1975,,,\n"
                    "B5,\"KHAN, Amir\",09/10/1988,,,\n"
                    "B6,\"OBI, Grace\",11/12/1992,,,\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_true(has_role(eng, "nhs_number"));
    assert_true(has_role(eng, "passport"));
    assert_true(has_role(eng, "driving_licence"));
    assert_null(strstr(said, "not compared"));
    for (size_t i = 0; i < 3; i++) /* A1-B1, A2-B2, A3-B3: one person each, by the identifier */
        assert_int_equal(conflate_record_cluster(eng, i), conflate_record_cluster(eng, 6 + i));
    assert_int_not_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    conflate_free(eng);
    /* only a value of the identifier's shape decides (review 99 M1: a passport column of YES and
       NO joined twenty strangers into two clusters; an NHS number whose check digit fails is a
       slip, not a person's number) */
    static const char *const fn[] = {"Amy", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jon"};
    static const char *const sn[] = {"Ash", "Bell"};
    iom_buf c = {0};
    iom_buf_puts(&c, "id,forename,surname,dob,passport,nhs_number\n");
    for (int i = 0; i < 20; i++)
        iom_buf_printf(&c, "P%d,%s,%s,%02d/%02d/19%02d,%s,9434765918\n", i, fn[i % 10], sn[i / 10], 1 + i,
                       1 + i % 12, 60 + i, i % 2 ? "YES" : "NO");
    eng = run_inputs("passports.csv", iom_buf_cstr(&c), c.len, NULL, NULL);
    for (size_t i = 0; i < 20; i++)
        for (size_t j = i + 1; j < 20; j++)
            assert_int_not_equal(conflate_record_cluster(eng, i), conflate_record_cluster(eng, j));
    conflate_free(eng);
    iom_buf_free(&c);
}

/* review 112: a district alone ("SR4") against a whole postcode in it is the same district */
static void test_outward_code_alone(void **st)
{
    (void)st;
    const char *a = "id,forename,surname,dob,postcode\n"
                    "A1,Anna,Shaw,01/02/1980,SR4 9TT\n"
                    "A2,Ben,Ross,01/02/1981,NE1 4ST\n";
    const char *b = "id,forename,surname,dob,postcode\n"
                    "B1,Anna,Shaw,01/02/1980,SR4\n"
                    "B2,Ben,Ross,01/02/1981,SR4\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    conflate_explain_pair(eng, 0, 2, f);
    conflate_explain_pair(eng, 1, 3, f);
    fclose(f);
    char *first = strstr(text, "\"SR4 9TT\" / \"SR4\""), *second = strstr(text, "\"NE1 4ST\" / \"SR4\"");
    if (!first || !second)
        fprintf(stderr, "%s\n", text);
    assert_non_null(first);
    assert_non_null(second);
    assert_non_null(strstr(first, "same district"));
    assert_true(strstr(first, "same district") < second); /* the first pair's line */
    assert_non_null(strstr(second, "different"));
    free(text);
    conflate_free(eng);
}

static void test_review95_names_and_columns(void **st)
{
    (void)st;
    const char *a = "id,forename,surname,dob,mobile\n"
                    "A1,Kyle,Smith,01/02/1980,07700900111\n"
                    "A2,Tommy,Baker,01/02/1981,07700900222\n"
                    "A3,John,Smith,01/02/1982,07700900555\n";
    const char *b = "id,Patient Name,dob,NHS Number,Phone Number,Ward\n"
                    "B1,\"UNKNOWN, MALE\",01/01/1990,,,A\n"
                    "B2,\"UNKNOWN, MALE\",01/06/1990,,,A\n"
                    "B3,Unknown Male,03/03/1991,,,B\n"
                    "B4,Unknown Male,03/08/1991,,,B\n"
                    "B5,Tommy B,,943 476 5919,07700900222,C\n"
                    "B6,\"SMITH, John\",01/02/1982,,07700900555,C\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    /* the unidentified patients are four people as far as anyone can tell: no two linked */
    for (size_t i = 3; i < 7; i++)
        for (size_t j = i + 1; j < 7; j++)
            assert_int_not_equal(conflate_record_cluster(eng, i), conflate_record_cluster(eng, j));
    assert_non_null(strstr(said, "4 records give a placeholder for the whole name"));
    /* Tommy B against Tommy Baker: the same first name, the surname's initial (a file this
       small says too little of phones to link them: the words are what is checked) */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    conflate_explain_pair(eng, 1, 7, f);
    fclose(f);
    assert_non_null(strstr(text, "\"tommy\" / \"tommy\""));
    assert_non_null(strstr(text, "\"baker\" / \"b\""));
    assert_non_null(strstr(text, "similar"));
    free(text);
    /* John Smith is SMITH, John */
    assert_int_equal(conflate_record_cluster(eng, 8), conflate_record_cluster(eng, 2));
    /* what a contact list calls someone is no name; in a first name column it may be one */
    assert_true(conflate_value_is_placeholder("full_name", "Mum", 3));
    assert_true(conflate_value_is_placeholder("full_name", "BABE", 4));
    assert_true(conflate_value_is_placeholder("full_name", "J", 1));
    assert_false(conflate_value_is_placeholder("full_name", "Jo", 2));
    assert_false(conflate_value_is_placeholder("first_name", "Nana", 4));
    /* the column of no role is named; an NHS number is an identifier of its own (it was not
       compared at all before a role took it) */
    assert_non_null(strstr(said, "b.csv: 1 column not compared (no role's name): 'Ward'"));
    assert_true(has_role(eng, "nhs_number"));
    conflate_free(eng);
    /* ... and SMITH/JOHN, the PNC's form, and a boy's title (review 112) */
    const char *pnc = "id,Name,dob,mobile\n"
                      "P1,SMITH/JOHN,01/02/1982,07700900555\n"
                      "P2,BAKER/TOMMY LEE,01/02/1981,07700900222\n"
                      "P3,\"EVANS, MSTR KYLE\",01/02/1980,07700900111\n";
    said[0] = '\0';
    conflate_engine *pe = run_inputs("a.csv", a, strlen(a), "pnc.csv", pnc);
    assert_int_equal(conflate_record_cluster(pe, 3), conflate_record_cluster(pe, 2)); /* John Smith */
    assert_int_equal(conflate_record_cluster(pe, 4), conflate_record_cluster(pe, 1)); /* Tommy Baker */
    f = open_memstream(&text, &len);
    conflate_explain_pair(pe, 1, 4, f);
    fclose(f);
    assert_non_null(strstr(text, "\"tommy\" / \"tommy\""));
    assert_non_null(strstr(text, "\"baker\" / \"baker\""));
    free(text);
    f = open_memstream(&text, &len);
    conflate_explain_pair(pe, 0, 5, f);
    fclose(f);
    assert_non_null(strstr(text, "\"kyle\" / \"kyle\""));
    free(text);
    conflate_free(pe);
    /* a crime record's suspect and victim are two people: neither name column is taken for the
       record's whole name (review 96 M2: the first of them was, without a word), both are named */
    const char *crime = "id,Suspect Name,Victim Name,dob\n1,John Smith,Ann Lee,01/02/1980\n"
                        "2,Mark Hall,Ann Lee,03/04/1981\n";
    said[0] = '\0';
    conflate_options o;
    conflate_options_default(&o);
    o.message = keep_message;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "crime.csv", crime, strlen(crime), NULL, &e), IOM_OK);
    assert_int_equal(conflate_feature_count(eng), 1); /* dob alone */
    assert_non_null(strstr(said, "'Suspect Name', 'Victim Name'"));
    conflate_free(eng);
}

/* Review 95 M2: a postcode at the end of an address written whole, in a record without one of
 * its own, is that record's postcode, compared with the other inputs' postcodes; an address
 * that is a postcode alone stays as it is. */
static void test_postcode_in_address(void **st)
{
    (void)st;
    const char *a = "id,forename,surname,dob,address,postcode\n"
                    "1,Amy,Clark,01/02/1980,2 Chapel Wlk,LS21 2FW\n"
                    "2,Ben,Ross,03/04/1975,9 Mill Lane,M1 1AE\n";
    const char *b = "id,forename,surname,Property Address\n"
                    "1,Amy,Clark,\"2 Chapel Wlk, Harehills, Leeds LS21 2FW\"\n"
                    "2,Ben,Ross,\"9 Mill Lane M11AE\"\n"
                    "3,Cat,Ross,LS1 4AP\n";
    conflate_engine *eng = run_inputs("a.csv", a, strlen(a), "b.csv", b);
    assert_non_null(strstr(said, "2 addresses end with a postcode"));
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    conflate_explain_pair(eng, 0, 2, f);
    conflate_explain_pair(eng, 1, 3, f);
    fclose(f);
    assert_non_null(strstr(text, "\"LS21 2FW\" / \"LS21 2FW\""));
    assert_non_null(strstr(text, "\"M1 1AE\" / \"M1 1AE\""));
    assert_non_null(strstr(text, "\"9 mill lane\" / \"9 mill lane\""));
    free(text);
    conflate_free(eng);
}

/* Review 95: a column whose 1 January dates are read as years alone (estimated dates) is not
 * also warned of, for the same dates, as holding a placeholder "compared as it is". */
static void test_estimated_years_not_placeholders(void **st)
{
    (void)st;
    char csv[4096];
    size_t o = (size_t)snprintf(csv, sizeof csv, "id,first_name,surname,dob\n");
    static const char *const names[] = {"Amir", "Bilal", "Dawit", "Elias", "Farah", "Goran", "Hana",
                                        "Idris", "Jamal", "Karim", "Lina", "Musa", "Nadia", "Omar",
                                        "Rania", "Samir", "Tariq", "Yusuf", "Zain", "Aziz", "Basel",
                                        "Dina", "Emre", "Fadi", "Ghazi"};
    for (int i = 0; i < 25; i++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "%d,%s,Haddad,01/01/1981\n", i + 1, names[i]);
    for (int i = 0; i < 15; i++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "%d,%s,Saleh,%02d/%02d/19%02d\n", i + 26, names[i],
                              i + 3, i % 12 + 1, 60 + i);
    conflate_options o2;
    conflate_options_default(&o2);
    o2.message = keep_message;
    said[0] = '\0';
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o2, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "ho.csv", csv, o, NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_non_null(strstr(said, "25 records give 1 January"));
    assert_null(strstr(said, "a placeholder, or one person with many records? It is compared as it is"));
    conflate_free(eng);
}

/* One source's estimated dates read as years though the inputs together hold too few 1 January
   dates (review 136: a Home Office's were 40 times the calendar's share of its own dates, 9.4
   times that of all the inputs' together, under the rule's 10). */
static void test_estimated_years_one_source(void **st)
{
    (void)st;
    iom_buf a = {0}, b = {0};
    iom_buf_puts(&a, "id,first_name,surname,dob\n");
    iom_buf_puts(&b, "id,first_name,surname,dob\n");
    for (int i = 0; i < 100; i++)
        iom_buf_printf(&a, "A%d,Name%d,Singh,%s\n", i, i,
                       i < 30 ? "01/01/1985" : (i % 2 ? "12/03/1980" : "05/07/1990"));
    for (int i = 0; i < 3000; i++)
        iom_buf_printf(&b, "B%d,Name%d,Kaur,%02d/%02d/%d\n", i, i, 1 + i % 28, 1 + i % 12, 1950 + i % 50);
    conflate_engine *eng = run_inputs("ho.csv", iom_buf_cstr(&a), a.len, "police.csv", iom_buf_cstr(&b));
    assert_non_null(strstr(said, "records give 1 January"));
    conflate_free(eng);
    iom_buf_free(&a);
    iom_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_dedupe),   cmocka_unit_test(test_csv_quirks),
        cmocka_unit_test(test_bad_inputs),     cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_link_only_one_per_input), cmocka_unit_test(test_cli),
        cmocka_unit_test(test_messages_through_callback),
        cmocka_unit_test(test_common_names_are_noted),
        cmocka_unit_test(test_married_names),
        cmocka_unit_test(test_full_name_mixed_orders),
        cmocka_unit_test(test_one_month_first_value),
        cmocka_unit_test(test_years_alone_share),
        cmocka_unit_test(test_ni_dummies_are_missing),
        cmocka_unit_test(test_fields_by_hand_name_the_rest),
        cmocka_unit_test(test_no_silent_traps),
        cmocka_unit_test(test_dates_and_placeholders),
        cmocka_unit_test(test_swapped_names),
        cmocka_unit_test(test_middle_name_crossing),
        cmocka_unit_test(test_personal_identifier_decides),
        cmocka_unit_test(test_deed_poll_identifier),
        cmocka_unit_test(test_qualified_columns),
        cmocka_unit_test(test_two_parties),
        cmocka_unit_test(test_id_also_compared),
        cmocka_unit_test(test_numbered_other_person),
        cmocka_unit_test(test_year_first_six),
        cmocka_unit_test(test_initials_column),
        cmocka_unit_test(test_other_scripts),
        cmocka_unit_test(test_force_headings),
        cmocka_unit_test(test_initial_and_surname_alone),
        cmocka_unit_test(test_surname_in_given_names),
        cmocka_unit_test(test_given_surname_tf_symmetric),
        cmocka_unit_test(test_blank_rows_and_padded_headings),
        cmocka_unit_test(test_default_model_bounds),
        cmocka_unit_test(test_town_after_street),
        cmocka_unit_test(test_family_name_first),
        cmocka_unit_test(test_particle_name_first),
        cmocka_unit_test(test_name_chain),
        cmocka_unit_test(test_given_words),
        cmocka_unit_test(test_given_names_reordered),
        cmocka_unit_test(test_review130_columns),
        cmocka_unit_test(test_muhammad_prefix),
        cmocka_unit_test(test_field_off_per_input),
        cmocka_unit_test(test_one_word_name),
        cmocka_unit_test(test_unborn_first_name),
        cmocka_unit_test(test_whole_name_unicode_spaces),
        cmocka_unit_test(test_name_of_many_words),
        cmocka_unit_test(test_address_in_another_town),
        cmocka_unit_test(test_year_only_blocks_as_lacking),
        cmocka_unit_test(test_compound_surname_part),
        cmocka_unit_test(test_email_numbered),
        cmocka_unit_test(test_generation_suffix),
        cmocka_unit_test(test_street_name_with_real_name),
        cmocka_unit_test(test_month_first_typo),
        cmocka_unit_test(test_dob_slips),
        cmocka_unit_test(test_full_width_digits),
        cmocka_unit_test(test_vietnamese_names),
        cmocka_unit_test(test_vietnamese_names_accents),
        cmocka_unit_test(test_names_in_another_order),
        cmocka_unit_test(test_prolific_person),
        cmocka_unit_test(test_person_beyond_the_block_cap),
        cmocka_unit_test(test_unlisted_fillers),
        cmocka_unit_test(test_duplicate_in_a_small_file),
        cmocka_unit_test(test_movers_among_thousands),
        cmocka_unit_test(test_police_headers),
        cmocka_unit_test(test_full_name_split),
        cmocka_unit_test(test_full_name_initials),
        cmocka_unit_test(test_filler_names),
        cmocka_unit_test(test_full_name_surname_first),
        cmocka_unit_test(test_house_numbers),
        cmocka_unit_test(test_month_first_input),
        cmocka_unit_test(test_both_orders_in_one_input),
        cmocka_unit_test(test_per_input_fields),
        cmocka_unit_test(test_first_initial),
        cmocka_unit_test(test_swap_strangers),
        cmocka_unit_test(test_swap_no_more_than_exact),
        cmocka_unit_test(test_year_namesake_density),
        cmocka_unit_test(test_empty_column_left_out),
        cmocka_unit_test(test_field_absent_in_one),
        cmocka_unit_test(test_review95_names_and_columns),
        cmocka_unit_test(test_outward_code_alone),
        cmocka_unit_test(test_more_personal_identifiers),
        cmocka_unit_test(test_prolific_personal_id),
        cmocka_unit_test(test_notes_column),
        cmocka_unit_test(test_age_column),
        cmocka_unit_test(test_organisations),
        cmocka_unit_test(test_report_export),
        cmocka_unit_test(test_names_tidied),
        cmocka_unit_test(test_joint_holders),
        cmocka_unit_test(test_titles_past_the_stored_words),
        cmocka_unit_test(test_record_date_placeholder),
        cmocka_unit_test(test_report_export_delimiters),
        cmocka_unit_test(test_licence_input_first),
        cmocka_unit_test(test_mrz_whole_line),
        cmocka_unit_test(test_postcode_in_address),
        cmocka_unit_test(test_estimated_years_not_placeholders),
        cmocka_unit_test(test_estimated_years_one_source),
        cmocka_unit_test(test_quoted_street_name),
        cmocka_unit_test(test_two_digit_years_said),
        cmocka_unit_test(test_id_named_as_reference),
        cmocka_unit_test(test_known_as),
        cmocka_unit_test(test_title_given_first),
        cmocka_unit_test(test_several_values),
        cmocka_unit_test(test_several_values_all_compared),
        cmocka_unit_test(test_several_values_month_first),
        cmocka_unit_test(test_several_values_term_frequency),
        cmocka_unit_test(test_several_values_huge_cell),
        cmocka_unit_test(test_kunya_first_name),
        cmocka_unit_test(test_columns_by_last_word),
        cmocka_unit_test(test_name_relation_cut),
        cmocka_unit_test(test_title_gives_sex),
        cmocka_unit_test(test_first_name_alone_links_nothing),
        cmocka_unit_test(test_given_name_joined),
        cmocka_unit_test(test_initial_swapped),
        cmocka_unit_test(test_two_given_names),
        cmocka_unit_test(test_home_qualifier),
        cmocka_unit_test(test_somali_spelling),
        cmocka_unit_test(test_card_last4),
        cmocka_unit_test(test_extra_values_bounded),
        cmocka_unit_test(test_surname_first_per_source),
        cmocka_unit_test(test_id_trial_with_source_column),
        cmocka_unit_test(test_spaced_date_is_one_value),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
