/*
 * The incremental import (issue 16; docs/picture.md "Incremental import"): a dataset added to
 * a tasking is resolved against the persons already there (settled) instead of the whole
 * tasking again. Seeded synthetic people (tests/support/synth) in three files imported one
 * after the other; the partition of the records into persons is scored pairwise against the
 * generator's truth and against the whole-tasking resolution of the same records (a replaced
 * dataset resolves the whole tasking), and an analyst's split made between two imports holds
 * through the next incremental one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "synth/synth.h"
#include "test_work_fixture.h"

#define FIELDS "--field", "id=record_id", "--field", "first_name=first_name", "--field",          \
    "middle_name=middle_name", "--field", "surname=surname", "--field", "dob=dob", "--field",     \
    "sex=sex", "--field", "address=address", "--field", "postcode=postcode", "--field",          \
    "town=town", "--field", "phone=phone", "--field", "email=email"

static char *gen; /* the synthetic files' directory */
static conflate_synth_truth *truth;

/* The records of tasking T1 (by record id) with the person each supports (0: none). */
typedef struct part {
    size_t n;
    char **rkey;
    uint64_t *person;
} part;

static part partition(void)
{
    part p = {0};
    /* "PERSON RKEY" per record (t_db_column reads one column; a record's key has no space) */
    char **v = t_db_column(F->db,
                           "SELECT coalesce((SELECT min(x.entity_id) FROM entity_source x"
                           " JOIN entity e ON e.id = x.entity_id WHERE x.record_id = r.id AND"
                           " e.type = 'person'), 0) || ' ' || r.rkey FROM dataset_record r JOIN dataset d"
                           " ON d.id = r.dataset_id JOIN tasking t ON t.id = d.tasking_id WHERE"
                           " t.ref = '" T1 "' ORDER BY r.rkey",
                           &p.n);
    p.rkey = calloc(p.n + 1, sizeof *p.rkey);
    p.person = calloc(p.n + 1, sizeof *p.person);
    assert_non_null(p.rkey);
    assert_non_null(p.person);
    for (size_t i = 0; i < p.n; i++) {
        assert_non_null(v[i]);
        char *end;
        p.person[i] = strtoull(v[i], &end, 10);
        assert_true(end != v[i] && *end == ' ');
        p.rkey[i] = strdup(end + 1);
        assert_null(strchr(p.rkey[i], ' '));
        free(v[i]);
    }
    free(v);
    return p;
}

static void part_free(part *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->rkey[i]);
    free(p->rkey);
    free(p->person);
}

/* The non-NULL values of the first column of q, in order, joined by sep (malloc'd), as
   SQLite's group_concat over an ordered subquery gives them (t_db_column: both back-ends);
   asserts there is one at least (group_concat would be NULL). */
static char *joined(const char *q, const char *sep)
{
    size_t n, len = 1, k = 0;
    char **v = t_db_column(F->db, q, &n);
    for (size_t i = 0; i < n; i++)
        len += v[i] ? strlen(v[i]) + strlen(sep) : 0;
    char *s = malloc(len), *o = s;
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        if (!v[i])
            continue;
        if (k++)
            o = stpcpy(o, sep);
        o = stpcpy(o, v[i]);
        free(v[i]);
    }
    *o = '\0';
    free(v);
    assert_true(k > 0);
    return s;
}

static conflate_synth_score against_truth(const part *p)
{
    uint64_t *who = calloc(p->n + 1, sizeof *who);
    assert_non_null(who);
    for (size_t i = 0; i < p->n; i++) {
        who[i] = conflate_synth_truth_person(truth, p->rkey[i]);
        assert_true(who[i] > 0);
        assert_true(p->person[i] > 0); /* every record supports a person */
    }
    conflate_synth_score s;
    iom_error e = {0};
    assert_int_equal(conflate_synth_pairwise(who, p->person, p->n, &s, &e), IOM_OK);
    free(who);
    return s;
}

static char *import(int source, const char *level, const char *extra)
{
    char *file = t_fmt("%s/%s", gen, conflate_synth_source_file(source));
    char *name = t_fmt("Synthetic %s", level);
    char *out = extra ? ok("toex-analyst", "--json", "dataset", "import", T1, file, "--name", name, "--level", level,
                           "--grade", "2B", "--handling", "P", FIELDS, extra, NULL)
                      : ok("toex-analyst", "--json", "dataset", "import", T1, file, "--name", name, "--level", level,
                           "--grade", "2B", "--handling", "P", FIELDS, NULL);
    free(file);
    free(name);
    return out;
}

static int setup(void **state)
{
    int r = group_setup(state);
    gen = t_tmpdir();
    conflate_synth_config cfg = conflate_synth_config_default();
    cfg.n_people = 800;
    cfg.seed = 7;
    iom_error e = {0};
    if (r || conflate_synth_write(&cfg, gen, NULL, &e) != IOM_OK)
        return -1;
    char *t = t_fmt("%s/truth.csv", gen);
    iom_err err = conflate_synth_truth_load(&truth, t, &e);
    free(t);
    return err ? -1 : 0;
}

static int teardown(void **state)
{
    conflate_synth_truth_free(truth);
    t_tmpdir_free(gen);
    return group_teardown(state);
}

/* Three files imported one after the other: each import is incremental; the persons they
   make score as well against the truth as the whole-tasking resolution of the same records,
   and nearly every pair of records agrees with it. */
static void incremental_matches_whole_resolution(void **state)
{
    (void)state;
    static const char *const levels[] = {"national", "regional", "local"};
    for (int s = 0; s < 3; s++) {
        char *out = import(s, levels[s], NULL);
        assert_non_null(strstr(out, "\"mode\": \"incremental\""));
        free(out);
    }
    /* a person of one record has nothing to doubt: confidence 1, also the half an import's
       model split off a person (review 80 L1: it kept the pair's 0.95) */
    assert_int_equal(scalar("SELECT count(*) FROM entity e WHERE e.type = 'person' AND e.confidence < 1 AND"
                            " (SELECT count(*) FROM entity_source x WHERE x.entity_id = e.id AND"
                            " x.record_id IS NOT NULL) = 1"), 0);
    part inc = partition();
    assert_int_equal(inc.n, conflate_synth_truth_count(truth));
    conflate_synth_score si = against_truth(&inc);

    /* the whole-tasking resolution of the same records: the last file replaced by itself */
    char *out = import(2, "local", "--replace");
    assert_non_null(strstr(out, "\"mode\": \"full\""));
    free(out);
    part full = partition();
    assert_int_equal(full.n, inc.n);
    conflate_synth_score sf = against_truth(&full);
    for (size_t i = 0; i < inc.n; i++)
        assert_string_equal(inc.rkey[i], full.rkey[i]);
    conflate_synth_score agree;
    iom_error e = {0};
    assert_int_equal(conflate_synth_pairwise(full.person, inc.person, inc.n, &agree, &e), IOM_OK);
    printf("incremental vs truth: P %.4f R %.4f F1 %.4f (%llu records)\n", si.precision, si.recall, si.f1,
           (unsigned long long)inc.n);
    printf("whole resolution vs truth: P %.4f R %.4f F1 %.4f\n", sf.precision, sf.recall, sf.f1);
    printf("incremental vs whole resolution: P %.4f R %.4f F1 %.4f\n", agree.precision, agree.recall,
           agree.f1);
    assert_true(si.f1 >= sf.f1 - 0.005);
    assert_true(si.precision >= 0.95 && si.recall >= 0.95);
    assert_true(agree.f1 >= 0.99);
    part_free(&inc);
    part_free(&full);
}

/* An analyst's split made between two imports holds through the next incremental import,
   and every import leaves the picture whole: each record a person, no person without a
   source, no link without one. */
static void split_holds_through_incremental_import(void **state)
{
    (void)state;
    /* start again: a tasking of its own is T4 (tor_agreed: toex-analyst may not import), so
       the datasets of T1 are removed (each removal resolves the whole tasking) */
    char *list = ok("toex-analyst", "--json", "dataset", "list", T1, NULL);
    for (int id = 1; id <= 4; id++) {
        char *ref = t_fmt("DS-%06d", id);
        if (strstr(list, ref))
            free(ok("toex-analyst", "dataset", "remove", ref, "--reason", "test starts again", NULL));
        free(ref);
    }
    free(list);
    assert_int_equal(scalar("SELECT count(*) FROM entity e JOIN tasking t ON t.id = e.tasking_id"
                            " WHERE t.ref = '" T1 "' AND e.type = 'person'"), 0);
    free(import(0, "national", NULL));
    free(import(1, "regional", NULL));
    /* a person of two records or more: one record split off */
    long long ent = scalar("SELECT x.entity_id FROM entity_source x JOIN entity e ON e.id = x.entity_id"
                           " WHERE e.type = 'person' AND x.record_id IS NOT NULL GROUP BY x.entity_id"
                           " HAVING count(*) >= 2 ORDER BY x.entity_id LIMIT 1");
    assert_true(ent > 0);
    char *q = t_fmt("SELECT min(record_id) FROM entity_source WHERE entity_id = %lld", ent);
    long long rec = scalar(q);
    free(q);
    /* the other records of that person, as a list for IN ( ) */
    q = t_fmt("SELECT record_id FROM entity_source WHERE entity_id = %lld AND record_id <> %lld ORDER BY record_id",
              ent, rec);
    char *others = joined(q, ",");
    free(q);
    char *eref = t_fmt("ENT-%06lld", ent), *rref = t_fmt("REC-%06lld", rec);
    free(ok("toex-analyst", "entity", "split", eref, "--record", rref, "--reason", "not the same man", NULL));
    /* apart: no person holds the record and one of the others */
    char *with = t_fmt("SELECT count(*) FROM entity_source x JOIN entity_source y ON y.entity_id = x.entity_id"
                       " JOIN entity e ON e.id = x.entity_id WHERE e.type = 'person' AND x.record_id = %lld"
                       " AND y.record_id IN (%s)", rec, others);
    assert_int_equal(scalar(with), 0);
    char *out = import(2, "local", NULL);
    assert_non_null(strstr(out, "\"mode\": \"incremental\""));
    free(out);
    assert_int_equal(scalar(with), 0); /* still apart after the incremental import */
    free(with);
    free(others);
    free(eref);
    free(rref);

    /* a small fourth file (30 records of the first, under new ids): few entities change, so
       their search documents and deconfliction keys are written one by one; they are what a
       pass over the whole tasking makes (it finds nothing to change) */
    char *src = t_fmt("%s/%s", gen, conflate_synth_source_file(0)), *extra = t_fmt("%s/extra.csv", gen);
    FILE *in = fopen(src, "r"), *xo = fopen(extra, "w");
    assert_non_null(in);
    assert_non_null(xo);
    char line[4096];
    for (int l = 0; l < 31 && fgets(line, sizeof line, in); l++)
        fprintf(xo, "%s%s", l ? "X" : "", line);
    fclose(in);
    fclose(xo);
    out = ok("toex-analyst", "--json", "dataset", "import", T1, extra, "--name", "Synthetic extra", "--level",
             "local", "--grade", "2B", "--handling", "P", FIELDS, NULL);
    assert_non_null(strstr(out, "\"mode\": \"incremental\""));
    free(out);
    free(src);
    free(extra);
    /* the search documents of the tasking's entities and its deconfliction keys, in order (the
       FTS row of a document: SQLite's rowid, PostgreSQL's id) */
    char *docs_q = t_fmt("SELECT d.ref || ':' || coalesce(d.sig, '') || ':' || d.marking || ':' ||"
                         " coalesce(d.label, '') || ':' || f.body || ':' || f.terms FROM search_doc d JOIN"
                         " search_fts f ON f.%s = d.id JOIN tasking t ON t.id = d.tasking_id WHERE d.kind ="
                         " 'entity' AND t.ref = '" T1 "' ORDER BY d.ref, d.marking",
                         t_pg() ? "id" : "rowid");
    static const char keys_q[] =
        "SELECT k.entity_id || ':' || k.type || ':' || k.key || ':' || coalesce(k.features, '') FROM"
        " deconflict_key k JOIN tasking t ON t.id = k.tasking_id WHERE t.ref = '" T1 "' ORDER BY k.entity_id,"
        " k.type, k.key";
    char *docs = joined(docs_q, ";"), *keys = joined(keys_q, ";");
    /* every entity of the tasking has its documents */
    assert_int_equal(scalar("SELECT count(*) FROM entity e JOIN tasking t ON t.id = e.tasking_id WHERE t.ref = '" T1
                            "' AND NOT EXISTS (SELECT 1 FROM search_doc d WHERE d.kind = 'entity' AND d.ref ="
                            " printf('ENT-%06d', e.id))"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM search_doc d JOIN tasking t ON t.id = d.tasking_id WHERE t.ref = '" T1
                            "' AND d.kind = 'entity' AND NOT EXISTS (SELECT 1 FROM entity e WHERE d.ref ="
                            " printf('ENT-%06d', e.id))"), 0);
    /* an entity added by hand: the whole tasking's documents and keys are checked again */
    free(ok("toex-analyst", "intel", "add", T1, "--text", "A van waits in the layby on the A64 at night",
            "--source", "CHIS 2", "--grade", "2B", "--handling", "P", NULL));
    char *item = t_fmt("INT-%06lld", scalar("SELECT substr(ref, 5) FROM intel_item ORDER BY id DESC LIMIT 1"));
    free(ok("toex-analyst", "entity", "add", T1, "--type", "location", "--label", "Layby on the A64", "--item",
            item, NULL));
    free(item);
    long long loc = scalar("SELECT max(id) FROM entity WHERE type = 'location'");
    char *docs2 = joined(docs_q, ";"), *keys2 = joined(keys_q, ";");
    assert_string_equal(keys, keys2);
    /* the same documents but the new entity's */
    char *lref = t_fmt("ENT-%06lld:", loc);
    assert_true(strlen(docs2) > strlen(docs));
    assert_null(strstr(docs, lref));
    assert_non_null(strstr(docs2, lref));
    char *start = strstr(docs2, lref), *end = strchr(start, ';');
    size_t cut = end ? (size_t)(end - start) + 1 : strlen(start);
    if (!end && start > docs2 && start[-1] == ';')
        start--, cut++;
    memmove(start, start + cut, strlen(start + cut) + 1);
    assert_string_equal(docs, docs2);
    free(lref);
    free(docs);
    free(docs2);
    free(keys);
    free(keys2);
    free(docs_q);
    assert_int_equal(scalar("SELECT count(*) FROM dataset_record r JOIN dataset d ON d.id = r.dataset_id"
                            " JOIN tasking t ON t.id = d.tasking_id WHERE t.ref = '" T1 "' AND NOT EXISTS"
                            " (SELECT 1 FROM entity_source x JOIN entity e ON e.id = x.entity_id WHERE"
                            " x.record_id = r.id AND e.type = 'person')"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM entity e WHERE NOT EXISTS (SELECT 1 FROM entity_source x"
                            " WHERE x.entity_id = e.id) AND NOT EXISTS (SELECT 1 FROM entity_import_source y"
                            " WHERE y.entity_id = e.id)"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM link l WHERE NOT EXISTS (SELECT 1 FROM link_source x"
                            " WHERE x.link_id = l.id) AND NOT EXISTS (SELECT 1 FROM link_import_source y"
                            " WHERE y.link_id = l.id)"), 0);
    /* each record supports one person only */
    assert_int_equal(scalar("SELECT count(*) FROM (SELECT x.record_id FROM entity_source x JOIN entity e ON"
                            " e.id = x.entity_id WHERE e.type = 'person' AND x.record_id IS NOT NULL GROUP BY"
                            " x.record_id HAVING count(*) > 1) AS shared"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incremental_matches_whole_resolution),
        cmocka_unit_test(split_holds_through_incremental_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
