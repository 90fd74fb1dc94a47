/*
 * Issue 16 point 7: imported datasets and their entities carry a MoPI review date and appear in
 * the due-review list; a review retains a dataset (its entities and links follow) or disposes
 * of it (its records and every entity and link only it supports go, audited); a removed or
 * disposed dataset's reference is never given again. Through the CLI (the built binary).
 * Fixtures: tests/data/picture (synthetic).
 *
 *   entities_follow_their_sources  an entity's review date is the latest of its sources':
 *                                  the national-only entities have the national dataset's.
 *   due_list                       who sees which rows (need-to-know, clearance, kind filter),
 *                                  by owner and date; days out of range refused.
 *   hidden_sources_date_nothing    an entity's or link's review date, shown and in the due
 *                                  list, is the latest of the sources the reader may see: an
 *                                  OFFICIAL reader is not told that OFFICIAL-SENSITIVE material
 *                                  due later supports it (review 94 M2).
 *   retain                         who may review (not an analyst, not another region: 404);
 *                                  bad dates; a retain moves the dataset's and its entities'
 *                                  dates; the review history; audited.
 *   dispose                        the dataset, its records and what only it supports go; what
 *                                  another source supports stays; the history outlives it;
 *                                  audit verify; a second disposal is refused; the next import
 *                                  gets a new reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "test_work_fixture.h"

#define DATA IOM_SOURCE_DIR "/tests/data/picture/"
#define NAT_FIELDS "--field", "id=id", "--field", "first_name=forename", "--field", "surname=surname", \
    "--field", "dob=dob", "--field", "phone=phone", "--field", "address=address", "--field",          \
    "postcode=postcode", "--field", "vehicle=vehicle"
#define LOC_FIELDS "--field", "id=id", "--field", "first_name=first", "--field", "surname=last",        \
    "--field", "dob=dob", "--field", "phone=phone", "--field", "address=address", "--field",          \
    "postcode=postcode", "--field", "date=date"

static int setup(void **state)
{
    int r = group_setup(state);
    free(ok("admin", "user", "add", "toex-manager", "--agency", "toex", "--role", "toex_manager",
            "--clearance", "OFFICIAL-SENSITIVE", NULL));
    free(ok("toex-analyst", "dataset", "import", T1, DATA "national.csv", "--name", "PND extract", "--level",
            "national", "--grade", "1B", "--handling", "P", NAT_FIELDS, NULL));
    free(ok("toex-analyst", "dataset", "import", T1, DATA "local.csv", "--name", "Force stop checks",
            "--level", "local", "--grade", "3A", "--handling", "P", "--marking", "OFFICIAL-SENSITIVE",
            LOC_FIELDS, NULL));
    /* the two datasets fall due at different dates */
    sql("UPDATE dataset SET review_date = '2026-01-10' WHERE name = 'PND extract'");
    sql("UPDATE dataset SET review_date = '2026-02-20' WHERE name = 'Force stop checks'");
    /* a retain (or any import) recomputes the entities' dates from their sources: one more
       import of nothing new would do; here the dates are made as the store makes them */
    char next[11];
    today_plus_years(1, next);
    free(ok("toex-manager", "dataset", "review", "DS-000002", "--retain", "--next", next, "--reason",
            "set up", NULL));
    sql("UPDATE dataset SET review_date = '2026-02-20' WHERE name = 'Force stop checks'");
    char *q = t_fmt("UPDATE entity SET review_date = '2026-02-20' WHERE review_date = '%s'", next);
    sql(q);
    free(q);
    q = t_fmt("UPDATE link SET review_date = '2026-02-20' WHERE review_date = '%s'", next);
    sql(q);
    free(q);
    return r;
}

static long long count(const char *q) { return scalar(q); }

/* Entities only the national dataset supports carry its date; those the local one supports
   too carry the later of the two. */
static void entities_follow_their_sources(void **state)
{
    (void)state;
    assert_true(count("SELECT count(*) FROM entity") > 0);
    assert_int_equal(count("SELECT count(*) FROM entity e WHERE review_date <> (SELECT max(ds.review_date)"
                           " FROM entity_source s JOIN dataset_record r ON r.id = s.record_id JOIN dataset"
                           " ds ON ds.id = r.dataset_id WHERE s.entity_id = e.id)"),
                     0);
    assert_true(count("SELECT count(*) FROM entity WHERE review_date = '2026-01-10'") > 0);
    assert_true(count("SELECT count(*) FROM entity WHERE review_date = '2026-02-20'") > 0);
    assert_int_equal(count("SELECT count(*) FROM link l WHERE review_date <> (SELECT max(ds.review_date)"
                           " FROM link_source s JOIN dataset_record r ON r.id = s.record_id JOIN dataset"
                           " ds ON ds.id = r.dataset_id WHERE s.link_id = l.id)"),
                     0);
}

static void due_list(void **state)
{
    (void)state;
    /* the SIO of the owner: both datasets and every entity are due now */
    char *out = ok("wy-sio", "--json", "dataset", "due-review", "--limit", "1000", NULL);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    assert_non_null(j);
    json_t *items = json_object_get(j, "items");
    long long entities = count("SELECT count(*) FROM entity");
    assert_int_equal(json_array_size(items), (size_t)entities + 2);
    /* by date: the national dataset and its entities first */
    json_t *first = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(first, "kind")), "dataset");
    assert_string_equal(json_string_value(json_object_get(first, "ref")), "DS-000001");
    assert_string_equal(json_string_value(json_object_get(first, "owner")), "west-yorkshire");
    assert_int_equal(json_integer_value(json_object_get(first, "records")), 6);
    /* entity rows carry no content: no label, no key */
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        if (strcmp(json_string_value(json_object_get(it, "kind")), "entity") == 0) {
            assert_null(json_object_get(it, "label"));
            assert_null(json_object_get(it, "key"));
            assert_true(json_integer_value(json_object_get(it, "sources")) >= 1);
        }
    }
    json_decref(j);
    free(out);
    /* a toex_manager, not on the team, lists them too: every tasking that reached TOEX is
       its need-to-know (review 108 L2: its list was empty) */
    out = ok("toex-manager", "--json", "dataset", "due-review", "--limit", "1000", NULL);
    j = json_loads(out, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "items")), (size_t)entities + 2);
    json_decref(j);
    free(out);
    /* nothing is read from the content: no read-log entry */
    assert_int_equal(count("SELECT count(*) FROM reads.read_log WHERE action LIKE '%due%'"), 0);
    /* --kind */
    out = ok("wy-sio", "--json", "dataset", "due-review", "--kind", "dataset", NULL);
    assert_non_null(strstr(out, "DS-000001"));
    assert_non_null(strstr(out, "DS-000002"));
    assert_null(strstr(out, "ENT-"));
    free(out);
    refused(EX_INVAL, "kind", "wy-sio", "dataset", "due-review", "--kind", "vehicle", NULL);
    refused(EX_INVAL, "days", "wy-sio", "dataset", "due-review", "--days", "-1", NULL);
    /* clearance: an OFFICIAL reader of the requesting force sees the OFFICIAL dataset only, and
       no entity only the OFFICIAL-SENSITIVE dataset supports */
    out = ok("wy-official", "--json", "dataset", "due-review", "--limit", "1000", NULL);
    assert_non_null(strstr(out, "DS-000001"));
    assert_null(strstr(out, "DS-000002"));
    assert_null(strstr(out, "OFFICIAL-SENSITIVE"));
    long long only_local = count("SELECT min(e.id) FROM entity e WHERE NOT EXISTS (SELECT 1 FROM entity_source s"
                                 " JOIN dataset_record r ON r.id = s.record_id WHERE s.entity_id = e.id AND"
                                 " r.dataset_id = 1)");
    assert_true(only_local > 0);
    char *ref = t_fmt("\"ENT-%06lld\"", only_local);
    assert_null(strstr(out, ref));
    free(out);
    out = ok("wy-sio", "--json", "dataset", "due-review", "--limit", "1000", NULL);
    assert_non_null(strstr(out, ref));
    free(out);
    free(ref);
    /* an entity both datasets support: the OFFICIAL reader counts only the sources they may
       see (an API review: the count told them hidden sources exist) */
    long long both = count("SELECT min(s.entity_id) FROM entity_source s JOIN dataset_record r ON r.id ="
                           " s.record_id WHERE r.dataset_id = 2 AND s.entity_id IN (SELECT s2.entity_id FROM"
                           " entity_source s2 JOIN dataset_record r2 ON r2.id = s2.record_id WHERE"
                           " r2.dataset_id = 1)");
    assert_true(both > 0);
    char *q = t_fmt("SELECT count(*) FROM entity_source s JOIN dataset_record r ON r.id = s.record_id WHERE"
                    " s.entity_id = %lld AND r.dataset_id = 1", both);
    long long seen = count(q);
    free(q);
    q = t_fmt("SELECT count(*) FROM entity_source WHERE entity_id = %lld", both);
    long long all = count(q);
    free(q);
    assert_true(seen < all);
    char *both_ref = t_fmt("ENT-%06lld", both);
    const char *who[2] = {"wy-official", "wy-sio"};
    for (int w = 0; w < 2; w++) {
        out = ok(who[w], "--json", "dataset", "due-review", "--limit", "1000", NULL);
        j = json_loads(out, 0, &je);
        long long got = -1;
        json_array_foreach(json_object_get(j, "items"), i, it)
            if (!strcmp(json_string_value(json_object_get(it, "ref")), both_ref))
                got = json_integer_value(json_object_get(it, "sources"));
        assert_int_equal(got, w == 0 ? seen : all);
        json_decref(j);
        free(out);
    }
    free(both_ref);
    /* another region sees nothing; paging */
    out = ok("met-sio", "--json", "dataset", "due-review", NULL);
    assert_non_null(strstr(out, "\"items\": []"));
    free(out);
    out = ok("wy-sio", "--json", "dataset", "due-review", "--limit", "1", NULL);
    assert_non_null(strstr(out, "\"next\": \""));
    free(out);
    /* today + 0 days: a date in the future is not due yet */
    sql("UPDATE dataset SET review_date = '2999-01-01' WHERE id = 2");
    out = ok("wy-sio", "--json", "dataset", "due-review", "--kind", "dataset", NULL);
    assert_null(strstr(out, "DS-000002"));
    free(out);
    sql("UPDATE dataset SET review_date = '2026-02-20' WHERE id = 2");
}

/* The smallest id of an entity (link: true, a link) that a record of each dataset supports. */
static long long supported_by_both(bool link)
{
    const char *tab = link ? "link_source" : "entity_source", *col = link ? "link_id" : "entity_id";
    char *q = t_fmt("SELECT coalesce(min(s.%s), 0) FROM %s s JOIN dataset_record r ON r.id = s.record_id WHERE"
                    " r.dataset_id = 2 AND s.%s IN (SELECT s2.%s FROM %s s2 JOIN dataset_record r2 ON"
                    " r2.id = s2.record_id WHERE r2.dataset_id = 1)",
                    col, tab, col, col, tab);
    long long id = count(q);
    free(q);
    return id;
}

/* The review date `user` is shown of entity ENT (show) or, with link, of its link LNK. */
static char *shown_date(const char *user, const char *ent, const char *lnk)
{
    char *text = ok(user, "--json", "entity", "show", ent, NULL);
    json_t *j = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(j);
    json_t *o = j;
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(j, "links"), i, l) if (lnk && !strcmp(json_string_value(json_object_get(l, "ref")), lnk)) o = l;
    if (lnk)
        assert_ptr_not_equal(o, j);
    const char *d = json_string_value(json_object_get(o, "review_date"));
    char *out = d ? strdup(d) : NULL;
    json_decref(j);
    return out;
}

static void hidden_sources_date_nothing(void **state)
{
    (void)state;
    long long both = supported_by_both(false);
    assert_true(both > 0);
    /* the OFFICIAL-SENSITIVE dataset falls due long after the OFFICIAL one: the stored dates of
       what it supports are its */
    sql("UPDATE dataset SET review_date = '2099-01-01' WHERE id = 2");
    char *q = t_fmt("UPDATE entity SET review_date = '2099-01-01' WHERE id = %lld", both);
    sql(q);
    free(q);
    long long lboth = supported_by_both(true);
    if (lboth) {
        q = t_fmt("UPDATE link SET review_date = '2099-01-01' WHERE id = %lld", lboth);
        sql(q);
        free(q);
    }
    char *ref = t_fmt("ENT-%06lld", both);
    char *d = shown_date("wy-official", ref, NULL);
    assert_string_equal(d, "2026-01-10"); /* its OFFICIAL dataset's */
    free(d);
    d = shown_date("wy-sio", ref, NULL);
    assert_string_equal(d, "2099-01-01");
    free(d);
    if (lboth) {
        char *lref = t_fmt("LNK-%06lld", lboth);
        q = t_fmt("SELECT from_id FROM link WHERE id = %lld", lboth);
        char *from = t_fmt("ENT-%06lld", count(q));
        free(q);
        d = shown_date("wy-official", from, lref);
        assert_string_equal(d, "2026-01-10");
        free(d);
        d = shown_date("wy-sio", from, lref);
        assert_string_equal(d, "2099-01-01");
        free(d);
        char *links = ok("wy-official", "--json", "link", "list", T1, NULL);
        assert_null(strstr(links, "2099-01-01"));
        free(links);
        free(from);
        free(lref);
    } else {
        print_message("# no link both datasets support: links not checked\n");
    }
    /* the due list: due now for the OFFICIAL reader, by the date they see; not yet for the
       cleared reader */
    char *quoted = t_fmt("\"%s\"", ref);
    char *out = ok("wy-official", "--json", "dataset", "due-review", "--kind", "entity", "--limit", "1000", NULL);
    char *at = strstr(out, quoted);
    assert_non_null(at);
    assert_null(strstr(out, "2099-01-01"));
    free(out);
    out = ok("wy-sio", "--json", "dataset", "due-review", "--kind", "entity", "--limit", "1000", NULL);
    assert_null(strstr(out, quoted));
    free(out);
    out = ok("wy-sio", "--json", "dataset", "due-review", "--kind", "entity", "--days", "36600", "--limit",
             "1000", NULL);
    assert_non_null(strstr(out, quoted));
    free(out);
    free(quoted);
    free(ref);
    sql("UPDATE dataset SET review_date = '2026-02-20' WHERE id = 2");
    sql("UPDATE entity SET review_date = '2026-02-20' WHERE review_date = '2099-01-01'");
    sql("UPDATE link SET review_date = '2026-02-20' WHERE review_date = '2099-01-01'");
}

/* Review 96 L1: an entity whose visible sources are imports alone (call records, which carry
   no review date) beside a hidden dataset source shows a date, as one of imports alone does:
   null told the OFFICIAL reader that a hidden source exists. */
static void imports_only_visible_show_a_date(void **state)
{
    (void)state;
    /* a phone only an OFFICIAL-SENSITIVE list holds, then OFFICIAL call records of it */
    char *dir = t_tmpdir();
    char *list = t_fmt("%s/hidden.csv", dir), *csv = t_fmt("%s/calls.csv", dir);
    FILE *f = fopen(list, "w");
    assert_non_null(f);
    fprintf(f, "id,first,last,dob,phone\nH1,Hidden,Person,01/02/1980,07700 900987\n");
    fclose(f);
    free(ok("toex-analyst", "dataset", "import", T1, list, "--name", "Hidden list", "--level", "local", "--grade",
            "2B", "--handling", "P", "--marking", "OFFICIAL-SENSITIVE", "--field", "id=id", "--field",
            "first_name=first", "--field", "surname=last", "--field", "dob=dob", "--field", "phone=phone", NULL));
    f = fopen(csv, "w");
    assert_non_null(f);
    fprintf(f, "caller,callee,start,duration,type\n07700 900987,07700 900999,2026-06-01T08:00:00Z,61,call\n");
    fclose(f);
    free(ok("toex-analyst", "comms", "import", csv, "--tasking", T1, "--marking", "OFFICIAL", NULL));
    long long ph = count("SELECT coalesce(min(e.id), 0) FROM entity e JOIN entity_import_source i ON i.entity_id = e.id"
                         " JOIN entity_source s ON s.entity_id = e.id JOIN dataset_record r ON r.id = s.record_id"
                         " JOIN dataset d ON d.id = r.dataset_id WHERE e.type = 'phone' AND d.name = 'Hidden list'");
    assert_true(ph > 0);
    char *q = t_fmt("UPDATE entity SET review_date = '2099-01-01' WHERE id = %lld", ph);
    sql(q);
    free(q);
    char *ref = t_fmt("ENT-%06lld", ph);
    char *d = shown_date("wy-official", ref, NULL); /* the call records only */
    assert_non_null(d);
    assert_int_equal(strlen(d), 10);
    assert_string_not_equal(d, "2099-01-01");
    free(d);
    d = shown_date("wy-sio", ref, NULL); /* every source */
    assert_string_equal(d, "2099-01-01");
    free(d);
    free(ref);
    free(list);
    free(csv);
    t_tmpdir_free(dir);
}

static void retain(void **state)
{
    (void)state;
    char next[11];
    today_plus_years(1, next);
    refused(EX_FORBIDDEN, "toex_manager", "toex-analyst", "dataset", "review", "DS-000001", "--retain", "--next",
            next, "--reason", "still needed", NULL);
    refused(EX_NOTFOUND, "not found", "met-sio", "dataset", "review", "DS-000001", "--retain", "--next", next,
            "--reason", "still needed", NULL);
    refused(EX_INVAL, "reason", "wy-sio", "dataset", "review", "DS-000001", "--retain", "--next", next, NULL);
    refused(EX_INVAL, "next", "wy-sio", "dataset", "review", "DS-000001", "--retain", "--next", "2020-01-01",
            "--reason", "x", NULL);
    refused(EX_INVAL, "next", "wy-sio", "dataset", "review", "DS-000001", "--retain", "--next", "2999-01-01",
            "--reason", "x", NULL);
    refused(EX_INVAL, "next", "wy-sio", "dataset", "review", "DS-000001", "--dispose", "--next", next,
            "--reason", "x", NULL);
    refused(EX_INVAL, "decision", "wy-sio", "dataset", "review", "DS-000001", "--reason", "x", NULL);
    refused(EX_NOTFOUND, "not found", "wy-official", "dataset", "review", "DS-000002", "--retain", "--next",
            next, "--reason", "x", NULL);
    free(ok("wy-sio", "dataset", "review", "DS-000001", "--retain", "--next", next, "--reason",
            "the prosecution continues", NULL));
    char *q = t_fmt("SELECT count(*) FROM dataset WHERE id = 1 AND review_date = '%s'", next);
    assert_int_equal(count(q), 1);
    free(q);
    /* its entities now carry the later date; those of the local dataset only keep theirs */
    q = t_fmt("SELECT count(*) FROM entity WHERE review_date = '%s'", next);
    assert_true(count(q) > 0);
    free(q);
    assert_true(count("SELECT count(*) FROM entity WHERE review_date = '2026-02-20'") > 0);
    assert_int_equal(count("SELECT count(*) FROM entity WHERE review_date = '2026-01-10'"), 0);
    char *out = ok("wy-sio", "--json", "dataset", "due-review", "--kind", "dataset", NULL);
    assert_null(strstr(out, "DS-000001"));
    free(out);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'dataset.review' AND object_ref = 'DS-000001'"
                           " AND after_json LIKE '%the prosecution continues%'"),
                     1);
    out = ok("auditor", "--json", "dataset", "reviews", "DS-000001", NULL);
    assert_non_null(strstr(out, "\"decision\": \"retain\""));
    assert_non_null(strstr(out, "\"due_date\": \"2026-01-10\""));
    free(out);
    refused(EX_NOTFOUND, "not found", "met-spoc", "dataset", "reviews", "DS-000001", NULL);
}

static void dispose(void **state)
{
    (void)state;
    /* entities of the local dataset: those the national one supports too stay */
    long long both = count("SELECT count(DISTINCT s.entity_id) FROM entity_source s JOIN dataset_record r ON"
                           " r.id = s.record_id WHERE r.dataset_id = 2 AND s.entity_id IN (SELECT s2.entity_id"
                           " FROM entity_source s2 JOIN dataset_record r2 ON r2.id = s2.record_id WHERE"
                           " r2.dataset_id = 1)");
    long long national = count("SELECT count(DISTINCT s.entity_id) FROM entity_source s JOIN dataset_record r ON"
                               " r.id = s.record_id WHERE r.dataset_id = 1");
    assert_true(both > 0);
    free(ok("toex-manager", "dataset", "review", "DS-000002", "--dispose", "--reason", "no longer necessary",
            NULL));
    assert_int_equal(count("SELECT count(*) FROM dataset WHERE id = 2"), 0);
    assert_int_equal(count("SELECT count(*) FROM dataset_record WHERE dataset_id = 2"), 0);
    assert_int_equal(count("SELECT count(*) FROM entity"), national);
    assert_int_equal(count("SELECT count(*) FROM entity e WHERE NOT EXISTS (SELECT 1 FROM entity_source s"
                           " WHERE s.entity_id = e.id)"),
                     0);
    assert_int_equal(count("SELECT count(*) FROM link l WHERE NOT EXISTS (SELECT 1 FROM link_source s"
                           " WHERE s.link_id = l.id)"),
                     0);
    /* the erasure is audited without content */
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'dataset.dispose' AND object_ref ="
                           " 'DS-000002' AND after_json LIKE '%\"erased\":true%'"),
                     1);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'dataset.dispose' AND (after_json LIKE"
                           " '%Wisniewski%' OR before_json LIKE '%Wisniewski%')"),
                     0);
    /* the history outlives the dataset, for those with need-to-know */
    char *out = ok("wy-sio", "--json", "dataset", "reviews", "DS-000002", NULL);
    assert_non_null(strstr(out, "\"decision\": \"dispose\""));
    assert_non_null(strstr(out, "\"decision\": \"retain\""));
    free(out);
    refused(EX_NOTFOUND, "not found", "met-sio", "dataset", "reviews", "DS-000002", NULL);
    /* its marking went with it: its reviews are read as the highest marking's, not by a reader
       cleared below it (review 137 H1: an OFFICIAL-SENSITIVE dataset's reasons reached them) */
    refused(EX_NOTFOUND, "not found", "wy-official", "dataset", "reviews", "DS-000002", NULL);
    refused(EX_NOTFOUND, "not found", "wy-sio", "dataset", "review", "DS-000002", "--dispose", "--reason",
            "again", NULL);
    free(ok("auditor", "audit", "verify", NULL));
    /* a new import never takes the disposed dataset's reference */
    out = ok("toex-analyst", "--json", "dataset", "import", T1, DATA "local.csv", "--name", "Force stop checks",
             "--level", "local", "--grade", "3A", "--handling", "P", LOC_FIELDS, NULL);
    assert_non_null(strstr(out, "DS-000003"));
    free(out);
    free(ok("toex-analyst", "dataset", "remove", "DS-000003", "--reason", "imported by mistake", NULL));
    out = ok("toex-analyst", "--json", "dataset", "import", T1, DATA "local.csv", "--name", "Force stop checks",
             "--level", "local", "--grade", "3A", "--handling", "P", LOC_FIELDS, NULL);
    assert_non_null(strstr(out, "DS-000004"));
    free(out);
}

/* A disposed intelligence item supports nothing (docs/work.md): the entity and the link only it
   supported go with it, out of lists, search and the deconfliction keys; an entity a dataset
   record supports too stays, without the item among its sources (an API review: they stayed,
   citing the erased item, and could never be reviewed or disposed of themselves). */
static void item_disposal(void **state)
{
    (void)state;
    char *out = ok("toex-analyst", "--json", "intel", "add", T1, "--text", "Quokkaman Probe seen at the depot",
                   "--source", "CHIS 1", "--grade", "2C", "--handling", "C", "--conditions",
                   "Condition-Kestrel-42 only", "--pnd", "not_required", "--pnd-reason", "test", NULL);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    char *item = strdup(json_string_value(json_object_get(j, "ref")));
    json_decref(j);
    free(out);
    out = ok("toex-analyst", "--json", "entity", "add", T1, "--type", "person", "--label", "Quokkaman Probe",
             "--item", item, NULL);
    j = json_loads(out, 0, NULL);
    char *ent = strdup(json_string_value(json_object_get(j, "ref")));
    json_decref(j);
    free(out);
    /* a person the datasets support, linked to the new one by the item */
    long long other_id = count("SELECT min(entity_id) FROM entity_source WHERE record_id IS NOT NULL");
    char *other = t_fmt("ENT-%06lld", other_id);
    free(ok("toex-analyst", "entity", "link", other, ent, "--type", "associate", "--item", item, NULL));
    /* and the item cited for the dataset's person too */
    char *cite = t_fmt("INSERT INTO entity_source(entity_id, intel_ref, label, seen) VALUES (%lld, '%s', 'x',"
                       " NULL)", other_id, item);
    sql(cite);
    free(cite);
    long long entities = count("SELECT count(*) FROM entity"), links = count("SELECT count(*) FROM link");
    out = ok("toex-analyst", "--json", "search", "quokkaman", "--justification", "test", NULL);
    assert_non_null(strstr(out, ent));
    free(out);
    free(ok("wy-sio", "intel", "review", item, "--dispose", "--reason", "no longer necessary", NULL));
    char *gone = t_fmt("SELECT count(*) FROM entity_source WHERE intel_ref = '%s'", item);
    assert_int_equal(count(gone), 0);
    free(gone);
    gone = t_fmt("SELECT count(*) FROM link_source WHERE intel_ref = '%s'", item);
    assert_int_equal(count(gone), 0);
    free(gone);
    assert_int_equal(count("SELECT count(*) FROM entity"), entities - 1);
    assert_int_equal(count("SELECT count(*) FROM link"), links - 1);
    char *kept = t_fmt("SELECT count(*) FROM entity WHERE id = %lld", other_id);
    assert_int_equal(count(kept), 1);
    free(kept);
    refused(EX_NOTFOUND, "not found", "toex-analyst", "entity", "show", ent, NULL);
    out = ok("toex-analyst", "--json", "search", "quokkaman", "--justification", "test", NULL);
    assert_null(strstr(out, ent));
    free(out);
    /* no copy of what the item said is left in the change chain: the entity's label and the
       link's, the item's handling conditions (review 39 read them in entity.add and entity.link
       entries after the disposal) */
    assert_int_equal(count("SELECT count(*) FROM audit WHERE before_json LIKE '%Quokkaman%' OR after_json LIKE"
                           " '%Quokkaman%' OR before_json LIKE '%Kestrel%' OR after_json LIKE '%Kestrel%'"),
                     0);
    free(ok("auditor", "audit", "verify", NULL));
    free(other);
    free(ent);
    free(item);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entities_follow_their_sources),
        cmocka_unit_test(due_list),
        cmocka_unit_test(hidden_sources_date_nothing),
        cmocka_unit_test(retain),
        cmocka_unit_test(dispose),
        cmocka_unit_test(item_disposal),
        cmocka_unit_test(imports_only_visible_show_a_date), /* last: it adds a dataset */
    };
    return cmocka_run_group_tests(tests, setup, group_teardown);
}
