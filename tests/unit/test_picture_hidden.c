/*
 * A change of the picture never removes or alters a source its actor may not see (review 87
 * H1): an OFFICIAL analyst's unlink removes only the OFFICIAL sources of a link that
 * OFFICIAL-SENSITIVE intelligence also supports (the link stays for the cleared, and the
 * answer is the one of a link that went); a merge that would delete or move material above
 * the actor's clearance is refused with words that name none of it; the audit entries of
 * these changes are written with every source, marked as they are. Fixture: the work
 * fixture's TOEX-2026-000001 (OFFICIAL), toex-analyst (OFFICIAL-SENSITIVE) and
 * toex-official (OFFICIAL) on its team.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "test_work_fixture.h"

static char official_item[16], sensitive_item[16];

/* The reference of the last intelligence item added. */
static void last_item(char out[16])
{
    snprintf(out, 16, "INT-%06lld", scalar("SELECT substr(ref, 5) FROM intel_item ORDER BY id DESC LIMIT 1"));
}

/* A person added by hand from the OFFICIAL item: its reference (malloc'd). */
static char *person(const char *label)
{
    free(ok("toex-analyst", "entity", "add", T1, "--type", "person", "--label", label, "--item", official_item, NULL));
    return t_fmt("ENT-%06lld", scalar("SELECT max(id) FROM entity"));
}

static char *last_link(void) { return t_fmt("LNK-%06lld", scalar("SELECT max(id) FROM link")); }

/* The after image of the last audit entry of this action (malloc'd). */
static char *last_audit(const char *action, const char *column)
{
    char *q = t_fmt("SELECT %s FROM audit WHERE action = '%s' ORDER BY seq DESC LIMIT 1", column, action);
    char *v = t_db_text(F->db, q);
    free(q);
    return v;
}

static void items(void)
{
    free(ok("toex-analyst", "intel", "add", T1, "--text", "Brady runs Cox as a runner", "--source", "custody",
            "--grade", "1B", "--handling", "P", NULL));
    last_item(official_item);
    free(ok("toex-analyst", "intel", "add", T1, "--text", "Hill is Oakes's aunt", "--source", "CHIS 4471",
            "--grade", "3E", "--handling", "P", "--marking", "OFFICIAL-SENSITIVE", NULL));
    last_item(sensitive_item);
}

static void unlink_removes_only_what_the_actor_sees(void **state)
{
    (void)state;
    items();
    char *brady = person("Darren Brady"), *cox = person("Tyler Cox");
    free(ok("toex-analyst", "entity", "link", brady, cox, "--type", "exploits", "--item", official_item, NULL));
    char *lnk = last_link();
    /* the same item again: refused, no second source (review 87 L1) */
    char *twice = t_fmt("link: %s already has %s among its sources", lnk, official_item);
    refused(EX_CONFLICT, twice, "toex-analyst", "entity", "link", brady, cox, "--type", "exploits", "--item",
            official_item, NULL);
    free(twice);
    free(ok("toex-analyst", "entity", "link", brady, cox, "--type", "exploits", "--item", sensitive_item, NULL));
    char *q = t_fmt("SELECT count(*) FROM link_source WHERE link_id = %lld", atoll(lnk + 4));
    assert_int_equal(scalar(q), 2);
    /* the OFFICIAL analyst sees it with its OFFICIAL source, and unlinks it: answered as gone */
    char *out = ok("toex-official", "--json", "entity", "unlink", lnk, "--reason", "OFFICIAL intel withdrawn", NULL);
    json_t *j = json_loads(out, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "removed")), lnk);
    assert_int_equal(json_object_size(j), 1);
    json_decref(j);
    free(out);
    refused(EX_NOTFOUND, "not found", "toex-official", "entity", "unlink", lnk, "--reason", "again", NULL);
    out = ok("toex-official", "--json", "entity", "show", cox, NULL);
    assert_null(strstr(out, lnk));
    free(out);
    /* the cleared analyst keeps it, with the OFFICIAL-SENSITIVE source only */
    assert_int_equal(scalar(q), 1);
    out = ok("toex-analyst", "--json", "entity", "show", cox, NULL);
    assert_non_null(strstr(out, lnk));
    assert_non_null(strstr(out, sensitive_item));
    free(out);
    char *qs = t_fmt("SELECT count(*) FROM link_source WHERE link_id = %lld AND intel_ref = '%s'", atoll(lnk + 4),
                     sensitive_item);
    assert_int_equal(scalar(qs), 1);
    free(qs);
    /* the entry names every source before, what went and what stays, marked as they are */
    char *before = last_audit("entity.unlink", "before_json"), *after = last_audit("entity.unlink", "after_json");
    assert_non_null(strstr(before, sensitive_item));
    assert_non_null(strstr(before, official_item));
    assert_non_null(strstr(before, "OFFICIAL-SENSITIVE"));
    char *removed = t_fmt("\"removed\":[\"%s\"]", official_item);
    assert_non_null(strstr(after, removed));
    assert_non_null(strstr(after, sensitive_item));
    assert_non_null(strstr(after, "OFFICIAL-SENSITIVE"));
    free(removed);
    free(before);
    free(after);
    /* a link type joins the entity types it is made for (review 87 M2): refused, nothing
       written, naming the types */
    free(ok("toex-analyst", "entity", "add", T1, "--type", "address", "--label", "1 Any Street", "--item",
            official_item, NULL));
    char *addr = t_fmt("ENT-%06lld", scalar("SELECT max(id) FROM entity"));
    refused(EX_INVAL, "type: pays does not link person to address", "toex-analyst", "entity", "link", brady, addr,
            "--type", "pays", "--item", official_item, NULL);
    refused(EX_INVAL, "type: lives_at does not link address to person", "toex-analyst", "entity", "link", addr,
            brady, "--type", "lives_at", "--item", official_item, NULL);
    free(ok("toex-analyst", "entity", "link", brady, addr, "--type", "lives_at", "--item", official_item, NULL));
    free(addr);
    /* a link only the actor's sources support goes, as before */
    free(ok("toex-analyst", "entity", "link", cox, brady, "--type", "associate", "--item", official_item, NULL));
    char *assoc = last_link();
    free(ok("toex-official", "entity", "unlink", assoc, "--reason", "misread", NULL));
    char *q2 = t_fmt("SELECT count(*) FROM link WHERE id = %lld", atoll(assoc + 4));
    assert_int_equal(scalar(q2), 0);
    after = last_audit("entity.unlink", "after_json");
    assert_non_null(strstr(after, "\"link\":null"));
    free(after);
    free(q2);
    free(assoc);
    free(q);
    free(lnk);
    free(brady);
    free(cox);
}

static void merge_refused_over_hidden_material(void **state)
{
    (void)state;
    char *hill = person("Mary Hill"), *zoe = person("Zoe Hill");
    /* a link between the two that only OFFICIAL-SENSITIVE intelligence supports */
    free(ok("toex-analyst", "entity", "link", hill, zoe, "--type", "family", "--item", sensitive_item, NULL));
    char *fam = last_link();
    refused(EX_CONFLICT, "merge: this merge needs a user cleared for all of these entities' material",
            "toex-official", "entity", "merge", hill, zoe, "--reason", "same household nominal", NULL);
    refused(EX_CONFLICT, "merge: this merge needs a user cleared for all of these entities' material",
            "toex-official", "entity", "merge", zoe, hill, "--reason", "same household nominal", NULL);
    /* a hidden source of one of them: the same words */
    char *auntie = person("Auntie");
    char *q = t_fmt("INSERT INTO entity_source(entity_id, intel_ref, label, seen) VALUES (%lld, '%s', 'Auntie',"
                    " '2026-01-01')", atoll(auntie + 4), sensitive_item);
    sql(q);
    free(q);
    char *lee = person("Jordan Lee");
    refused(EX_CONFLICT, "merge: this merge needs a user cleared for all of these entities' material",
            "toex-official", "entity", "merge", lee, auntie, "--reason", "alias", NULL);
    /* the cleared analyst merges, and the entry names the link that went, with its source */
    free(ok("toex-analyst", "entity", "merge", hill, zoe, "--reason", "same household nominal", NULL));
    char *before = last_audit("entity.merge", "before_json");
    assert_non_null(strstr(before, "\"links_removed\":[{"));
    assert_non_null(strstr(before, fam));
    assert_non_null(strstr(before, sensitive_item));
    free(before);
    /* with nothing hidden, the OFFICIAL analyst merges */
    char *ward = person("Shaun Ward");
    free(ok("toex-official", "entity", "merge", lee, ward, "--reason", "alias", NULL));
    free(ward);
    free(lee);
    free(auntie);
    free(fam);
    free(hill);
    free(zoe);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unlink_removes_only_what_the_actor_sees),
        cmocka_unit_test(merge_refused_over_hidden_material),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
