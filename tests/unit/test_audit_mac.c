/*
 * The audit chain's security claims (src/app/audit.h), each tested so that the test fails when
 * the claim breaks (issue 11 point 5: a mutation review found that no test caught a MAC made
 * with a constant key, a MAC without before_json, via or prev, or a checkpoint compared by its
 * sequence number only).
 *
 * - The chain rebuilt in the REAL canonical format (audit_entry_hash, the function libiom
 *   writes and verifies with) under a wrong key fails `iom audit verify`; rebuilt under the
 *   key file's key it passes, which proves the rebuild is in the right format. Verify with
 *   another key file fails.
 * - Every input of the MAC (audit.h: prev, seq, at, actor, os_user, via, action, object_ref,
 *   before_json, after_json, and the stored hash itself), edited alone in the file, is
 *   detected and the entry named; NULL and "" are told apart.
 * - Entries spliced from a second chain (its own key, or a copy sharing the key) are detected.
 * - A checkpoint with a different hash at the same sequence number fails `verify --checkpoint`.
 *
 * Tampering is done with SQL directly (the test helpers: SQLite, or PostgreSQL in a run of
 * scripts/test-pg.sh), dropping (PostgreSQL: disabling) the append-only triggers first, as an
 * attacker with write access to the database (but not to the key file) would. Deleted rows and
 * a truncated tail: test_audit.c.
 */
#include "testutil.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/audit.h"

/* ---- the fixture: a database made by the CLI, copied fresh for each test ------------------ */

typedef struct fx {
    char *dir;
    char *db;      /* dir/iom.db, its key dir/iom.db.key */
    char *key;
    long long update_seq; /* the threat.update entry (before_json and after_json both set) */
    long long last;       /* the head of the chain */
} fx;

static char *template_dir;  /* built once by group_setup */

static void run_ok(const char *db, const char *as, const char *what, const char *title)
{
    t_result r;
    static int n; /* each threat its own tasking meeting reference (review 84 L9) */
    char ftm[16];
    snprintf(ftm, sizeof ftm, "WY-%d", ++n);
    if (!strcmp(what, "add"))
        r = t_runv(NULL, "--db", db, "--as", as, "threat", "add", "--title", title, "--type",
                   "labour", "--owner", "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref",
                   ftm, NULL);
    else
        r = t_runv(NULL, "--db", db, "--as", as, "threat", "update", what, "--title", title, NULL);
    if (r.status != 0)
        fprintf(stderr, "threat %s failed (%d): %s\n", what, r.status, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return; /* an optional file (-wal) that is not there */
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(to, 0600), 0);
}

/* Copies the database at dir_from/iom.db with its key (and WAL if any) into dir_to. In a
   PostgreSQL run the file names the database, and the copy's database is made as a clone of it
   on its first open (tests/pg/pgmap.c): the copy is opened here, so that it is the original as
   it is now, not as it is when the copy is first used. */
static void copy_db(const char *dir_from, const char *dir_to)
{
    static const char *const suffix[] = {"", ".key", "-wal"};
    for (size_t i = 0; i < 3; i++) {
        char *a = t_fmt("%s/iom.db%s", dir_from, suffix[i]);
        char *b = t_fmt("%s/iom.db%s", dir_to, suffix[i]);
        copy_file(a, b);
        free(a);
        free(b);
    }
    char *from = t_fmt("%s/iom.db", dir_from), *to = t_fmt("%s/iom.db", dir_to);
    long long n = t_db_scalar(from, "SELECT count(*) FROM audit");
    assert_true(n > 0);
    assert_int_equal(t_db_scalar(to, "SELECT count(*) FROM audit"), n);
    free(from);
    free(to);
}

static int group_setup(void **state)
{
    (void)state;
    template_dir = t_tmpdir();
    char *db = t_make_db(template_dir); /* init (actor NULL) and users added by admin */
    run_ok(db, "wy-spoc", "add", "Threat number 1");
    run_ok(db, "wy-spoc", "add", "Threat number 2");
    run_ok(db, "wy-sio", "SOC-000002", "Threat number 2, renamed");
    run_ok(db, "wy-spoc", "add", "Threat number 3");
    free(db);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    t_tmpdir_free(template_dir);
    return 0;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = t_tmpdir();
    copy_db(template_dir, f->dir);
    f->db = t_fmt("%s/iom.db", f->dir);
    f->key = t_fmt("%s/iom.db.key", f->dir);
    f->update_seq = t_db_scalar(f->db, "SELECT seq FROM audit WHERE action = 'threat.update'");
    f->last = t_db_scalar(f->db, "SELECT max(seq) FROM audit");
    assert_true(f->update_seq > 1 && f->update_seq < f->last);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    t_tmpdir_free(f->dir);
    free(f->db);
    free(f->key);
    free(f);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static t_result verify(const char *db, const char *checkpoint_file)
{
    if (checkpoint_file)
        return t_runv(NULL, "--db", db, "--as", "auditor", "audit", "verify", "--checkpoint",
                      checkpoint_file, NULL);
    return t_runv(NULL, "--db", db, "--as", "auditor", "audit", "verify", NULL);
}

static void expect_intact(const char *db, const char *checkpoint_file)
{
    t_result r = verify(db, checkpoint_file);
    if (r.status != 0)
        fprintf(stderr, "verify: status %d, stderr: %s\n", r.status, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "audit chain intact"));
    t_result_free(&r);
}

/* verify exits 12 (IOM_EINTEGRITY) naming entry seq first ("broken at entry N:"), and its
   message holds `also` when not NULL. */
static void expect_broken_at(const char *db, const char *checkpoint_file, long long seq,
                             const char *also)
{
    char *needle = t_fmt("audit chain broken at entry %lld:", seq);
    t_result r = verify(db, checkpoint_file);
    bool ok = r.status == 12 && strstr(r.err, needle) && (!also || strstr(r.err, also));
    if (!ok)
        fprintf(stderr, "verify: status %d, stdout: %s, stderr: %s (wanted 12, '%s'%s%s)\n",
                r.status, r.out, r.err, needle, also ? " and " : "", also ? also : "");
    assert_int_equal(r.status, 12);
    assert_non_null(strstr(r.err, needle));
    if (also)
        assert_non_null(strstr(r.err, also));
    t_result_free(&r);
    free(needle);
}

/* ---- the audit table, read and written through the test helpers (both back-ends) ---------- */

enum { A_SEQ, A_AT, A_ACTOR, A_OS_USER, A_VIA, A_ACTION, A_OBJECT_REF, A_BEFORE, A_AFTER, A_HASH,
       A_NCOL };
static const char *const audit_col[A_NCOL] = {"seq",        "at",          "actor",      "os_user",
                                              "via",        "action",      "object_ref", "before_json",
                                              "after_json", "hash"};

/* Every column of the entries (all, or the one of seq `only` when > 0), in seq order: col[c][i]
   is column c of the i-th entry, NULL for an SQL NULL (kept apart from ""). */
typedef struct audit_tab {
    size_t n;
    char **col[A_NCOL];
} audit_tab;

static audit_tab audit_read(const char *path, long long only)
{
    audit_tab t = {0};
    for (int c = 0; c < A_NCOL; c++) {
        char *q = only > 0 ? t_fmt("SELECT %s FROM audit WHERE seq = %lld", audit_col[c], only)
                           : t_fmt("SELECT %s FROM audit ORDER BY seq", audit_col[c]);
        size_t n;
        t.col[c] = t_db_column(path, q, &n);
        free(q);
        if (c == 0)
            t.n = n;
        assert_int_equal(n, t.n);
    }
    for (size_t i = 0; i < t.n; i++) /* NOT NULL columns */
        assert_true(t.col[A_SEQ][i] && t.col[A_AT][i] && t.col[A_VIA][i] && t.col[A_ACTION][i] &&
                    t.col[A_HASH][i] && strlen(t.col[A_HASH][i]) == 64);
    return t;
}

static void audit_free(audit_tab *t)
{
    for (int c = 0; c < A_NCOL; c++) {
        for (size_t i = 0; i < t->n; i++)
            free(t->col[c][i]);
        free(t->col[c]);
    }
    t->n = 0;
}

static long long num(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    assert_true(end != s && *end == '\0');
    return v;
}

/* Entry i as the MAC sees it (its strings are the table's). */
static iom_audit_t audit_entry(const audit_tab *t, size_t i)
{
    return (iom_audit_t){
        .seq = num(t->col[A_SEQ][i]),
        .at = num(t->col[A_AT][i]),
        .actor = t->col[A_ACTOR][i],
        .os_user = t->col[A_OS_USER][i],
        .via = t->col[A_VIA][i],
        .action = t->col[A_ACTION][i],
        .object_ref = t->col[A_OBJECT_REF][i],
        .before_json = t->col[A_BEFORE][i],
        .after_json = t->col[A_AFTER][i],
    };
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Entry i of a and entry j of b have every column the same. */
static bool same_entry(const audit_tab *a, size_t i, const audit_tab *b, size_t j)
{
    for (int c = 0; c < A_NCOL; c++)
        if (!same_text(a->col[c][i], b->col[c][j]))
            return false;
    return true;
}

/* The entries of a that b does not hold unchanged (every column, the seq included). */
static size_t entries_not_in(const audit_tab *a, const audit_tab *b)
{
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++) {
        bool found = false;
        for (size_t j = 0; j < b->n && !found; j++)
            found = same_entry(a, i, b, j);
        k += !found;
    }
    return k;
}

/* An SQL literal of v (NULL, a number, or a quoted string), appended to *sql. */
static void append_literal(char **sql, const char *v, bool number)
{
    char *lit;
    if (!v) {
        lit = t_fmt("NULL");
    } else if (number) {
        lit = t_fmt("%lld", num(v));
    } else {
        size_t q = 0;
        for (const char *p = v; *p; p++)
            q += *p == '\'';
        lit = malloc(strlen(v) + q + 3);
        assert_non_null(lit);
        char *o = lit;
        *o++ = '\'';
        for (const char *p = v; *p; p++) {
            if (*p == '\'')
                *o++ = '\'';
            *o++ = *p;
        }
        *o++ = '\'';
        *o = '\0';
    }
    char *s = t_fmt("%s%s", *sql, lit);
    free(*sql);
    free(lit);
    *sql = s;
}

/* Runs SQL on the database with the append-only triggers dropped (PostgreSQL: disabled, by the
   helpers' translation of DROP TRIGGER), as someone with write access to the database but not
   to the key file would. Compares the audit table before and after: *gone is the number of
   entries that are no longer there unchanged (every column), *added of those that were not
   there before (an entry edited in place counts once in each). */
static void tamper(const char *path, const char *sql, size_t *gone, size_t *added)
{
    audit_tab before = audit_read(path, 0);
    char *all = t_fmt("DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS "
                      "audit_no_delete; %s",
                      sql);
    char *msg = NULL;
    int rc = t_db_try(path, all, &msg);
    if (rc != 0)
        fprintf(stderr, "tamper: %s: %s\n", sql, msg ? msg : "?");
    assert_int_equal(rc, 0);
    free(msg);
    free(all);
    audit_tab after = audit_read(path, 0);
    *gone = entries_not_in(&before, &after);
    *added = entries_not_in(&after, &before);
    audit_free(&before);
    audit_free(&after);
}

static void load_key(const char *path, unsigned char key[IOM_AUDIT_KEY_BYTES])
{
    iom_error e;
    iom_error_clear(&e);
    if (audit_key_load(path, key, &e) != IOM_OK)
        fail_msg("%s", e.msg);
}

typedef struct entry_row {
    long long seq;
    char hash[65];  /* as stored */
    char mac[65];   /* as recomputed */
} entry_row;

/* Recomputes the hash of every entry, in seq order, with audit_entry_hash under key, chaining
   each to the previous RECOMPUTED hash from "" (as someone rebuilding the whole chain would).
   Returns a malloc'd array of *n rows. */
static entry_row *recompute(const char *path, const unsigned char key[IOM_AUDIT_KEY_BYTES],
                            size_t *n)
{
    audit_tab t = audit_read(path, 0);
    entry_row *rows = calloc(t.n + 1, sizeof *rows);
    assert_non_null(rows);
    char prev[65] = "";
    for (size_t i = 0; i < t.n; i++) {
        iom_audit_t en = audit_entry(&t, i);
        entry_row *r = &rows[i];
        r->seq = en.seq;
        snprintf(r->hash, sizeof r->hash, "%s", t.col[A_HASH][i]);
        audit_entry_hash(key, prev, &en, r->mac);
        memcpy(prev, r->mac, sizeof prev);
    }
    *n = t.n;
    audit_free(&t);
    return rows;
}

/* Rewrites every stored hash with the chain recomputed under key, in one transaction; checks
   that each stored hash is then the recomputed one. Returns the entry count. */
static size_t rebuild_chain(const char *path, const unsigned char key[IOM_AUDIT_KEY_BYTES])
{
    size_t n;
    entry_row *rows = recompute(path, key, &n);
    char *sql = t_fmt("DROP TRIGGER IF EXISTS audit_no_update; BEGIN;");
    for (size_t i = 0; i < n; i++) {
        char *s = t_fmt("%s UPDATE audit SET hash = '%s' WHERE seq = %lld;", sql, rows[i].mac,
                        rows[i].seq);
        free(sql);
        sql = s;
    }
    char *s = t_fmt("%s COMMIT;", sql);
    free(sql);
    assert_int_equal(t_db_exec(path, s), 0);
    free(s);
    audit_tab t = audit_read(path, 0);
    assert_int_equal(t.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(num(t.col[A_SEQ][i]), rows[i].seq);
        assert_string_equal(t.col[A_HASH][i], rows[i].mac);
    }
    audit_free(&t);
    free(rows);
    return n;
}

/* The stored hash of entry seq (65 bytes into out). */
static void stored_hash(const char *path, long long seq, char out[65])
{
    char *q = t_fmt("SELECT hash FROM audit WHERE seq = %lld", seq);
    char *h = t_db_text(path, q);
    free(q);
    assert_non_null(h);
    assert_int_equal(strlen(h), 64);
    snprintf(out, 65, "%s", h);
    free(h);
}

/* The line `iom audit checkpoint` prints, written to dir/name; returns the malloc'd path. */
static char *take_checkpoint(const char *db, const char *dir, const char *name)
{
    t_result r = t_runv(NULL, "--db", db, "--as", "auditor", "audit", "checkpoint", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "iom-audit-checkpoint seq="));
    char *file = t_fmt("%s/%s", dir, name);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs(r.out, fp);
    fclose(fp);
    t_result_free(&r);
    return file;
}

static void write_text(const char *file, const char *text)
{
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* ---- the key ------------------------------------------------------------------------------ */

/* Control first: recomputed with the key file's key, every stored hash comes out unchanged, so
   the rebuild below speaks the real canonical format. Then a chain rebuilt in that format under
   a wrong key (all zero bytes; another random key) fails verify at its first entry, and the same
   rebuild under the right key verifies again. */
static void rebuilt_with_wrong_key_fails_right_key_passes(void **state)
{
    fx *f = *state;
    unsigned char right[IOM_AUDIT_KEY_BYTES], zero[IOM_AUDIT_KEY_BYTES] = {0},
        other[IOM_AUDIT_KEY_BYTES];
    load_key(f->key, right);
    randombytes_buf(other, sizeof other);
    assert_memory_not_equal(right, zero, sizeof right);
    assert_memory_not_equal(right, other, sizeof right);

    size_t n;
    entry_row *rows = recompute(f->db, right, &n);
    assert_int_equal(n, (size_t)f->last);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(rows[i].mac, rows[i].hash);
    free(rows);

    assert_int_equal(rebuild_chain(f->db, zero), (size_t)f->last);
    expect_broken_at(f->db, NULL, 1, "does not match its keyed hash");
    assert_int_equal(rebuild_chain(f->db, other), (size_t)f->last);
    expect_broken_at(f->db, NULL, 1, "does not match its keyed hash");
    assert_int_equal(rebuild_chain(f->db, right), (size_t)f->last);
    expect_intact(f->db, NULL);
}

/* verify uses the key FILE: an intact chain checked with another key file fails at entry 1. */
static void verify_with_another_key_file_fails(void **state)
{
    fx *f = *state;
    char *saved = t_fmt("%s.saved", f->key);
    assert_int_equal(rename(f->key, saved), 0);
    unsigned char k[IOM_AUDIT_KEY_BYTES];
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(audit_key_create(f->key, k, &e), IOM_OK);
    expect_broken_at(f->db, NULL, 1, "does not match its keyed hash");
    assert_int_equal(rename(saved, f->key), 0);
    expect_intact(f->db, NULL);
    free(saved);
}

/* ---- each input of the MAC, edited alone ------------------------------------------------- */

/* Applies one UPDATE (format with one %lld: the target seq) to exactly one row, then expects
   verify to name that entry. */
static void edit_alone(fx *f, long long seq, const char *sql)
{
    expect_intact(f->db, NULL);
    size_t gone, added;
    tamper(f->db, sql, &gone, &added);
    assert_int_equal(gone, 1); /* one entry changed in place */
    assert_int_equal(added, 1);
    expect_broken_at(f->db, NULL, seq, NULL);
}

#define EDIT_TEST(name, target, sql_fmt)                                                      \
    static void edit_##name##_is_named(void **state)                                          \
    {                                                                                         \
        fx *f = *state;                                                                       \
        long long seq = (target);                                                             \
        char *sql = t_fmt(sql_fmt, seq);                                                      \
        edit_alone(f, seq, sql);                                                              \
        free(sql);                                                                            \
    }

/* On the threat.update entry, which has every field set and entries after it. */
EDIT_TEST(at, f->update_seq, "UPDATE audit SET at = at + 1 WHERE seq = %lld")
EDIT_TEST(actor, f->update_seq, "UPDATE audit SET actor = 'wy-spoc' WHERE seq = %lld")
EDIT_TEST(actor_to_null, f->update_seq, "UPDATE audit SET actor = NULL WHERE seq = %lld")
EDIT_TEST(os_user, f->update_seq, "UPDATE audit SET os_user = os_user || '-x' WHERE seq = %lld")
EDIT_TEST(via, f->update_seq, "UPDATE audit SET via = 'http' WHERE seq = %lld")
EDIT_TEST(action, f->update_seq, "UPDATE audit SET action = 'threat.add' WHERE seq = %lld")
EDIT_TEST(object_ref, f->update_seq,
          "UPDATE audit SET object_ref = 'SOC-000003' WHERE seq = %lld")
EDIT_TEST(before_json, f->update_seq,
          "UPDATE audit SET before_json = replace(before_json, 'Threat number 2', "
          "'Threat number 9') WHERE seq = %lld")
EDIT_TEST(after_json, f->update_seq,
          "UPDATE audit SET after_json = replace(after_json, 'renamed', 'Renamed') "
          "WHERE seq = %lld")
EDIT_TEST(hash, f->update_seq,
          "UPDATE audit SET hash = substr(hash, 2) || substr(hash, 1, 1) WHERE seq = %lld")
/* NULL is "-", "" is "0:": an entry written with no actor (init) or no before_json (an add)
   cannot be given an empty one. */
EDIT_TEST(actor_null_to_empty, 1,
          "UPDATE audit SET actor = '' WHERE seq = %lld AND actor IS NULL")
EDIT_TEST(before_json_null_to_empty, f->update_seq - 1,
          "UPDATE audit SET before_json = '' WHERE seq = %lld AND before_json IS NULL")
/* seq: the head renumbered leaves a gap where it was. */
EDIT_TEST(seq, f->last, "UPDATE audit SET seq = seq + 100 WHERE seq = %lld")

/* prev: the entry is bound to its predecessor. Rehashed with the RIGHT key as if it followed
   another entry (here entry seq - 2), it no longer verifies where it stands. */
static void entry_bound_to_its_predecessor(void **state)
{
    fx *f = *state;
    long long seq = f->update_seq;
    unsigned char key[IOM_AUDIT_KEY_BYTES];
    load_key(f->key, key);
    size_t n;
    entry_row *rows = recompute(f->db, key, &n);
    const char *other_prev = rows[seq - 3].hash; /* entry seq - 2 */
    /* the entry's fields, read back, hashed over the other predecessor */
    audit_tab t = audit_read(f->db, seq);
    assert_int_equal(t.n, 1);
    iom_audit_t en = audit_entry(&t, 0);
    assert_int_equal(en.seq, seq);
    char h[65];
    audit_entry_hash(key, other_prev, &en, h);
    audit_free(&t);
    assert_string_not_equal(h, rows[seq - 1].hash);
    free(rows);
    char *sql = t_fmt("UPDATE audit SET hash = '%s' WHERE seq = %lld", h, seq);
    edit_alone(f, seq, sql);
    free(sql);
}

/* ---- splices from a second chain ---------------------------------------------------------- */

/* Replaces entry seq of database `to` by entry seq of database `from` (every column), read
   from `from` and written into `to` as values (PostgreSQL has no ATTACH DATABASE). */
static void splice(const char *to, const char *from, long long seq)
{
    audit_tab o = audit_read(from, seq);
    assert_int_equal(o.n, 1);
    char *sql = t_fmt("DELETE FROM audit WHERE seq = %lld; INSERT INTO audit(", seq);
    for (int c = 0; c < A_NCOL; c++) {
        char *s = t_fmt("%s%s%s", sql, c ? ", " : "", audit_col[c]);
        free(sql);
        sql = s;
    }
    char *s = t_fmt("%s) VALUES (", sql);
    free(sql);
    sql = s;
    for (int c = 0; c < A_NCOL; c++) {
        if (c) {
            s = t_fmt("%s, ", sql);
            free(sql);
            sql = s;
        }
        append_literal(&sql, o.col[c][0], c == A_SEQ || c == A_AT);
    }
    s = t_fmt("%s);", sql);
    free(sql);
    sql = s;
    size_t gone, added;
    tamper(to, sql, &gone, &added);
    assert_int_equal(gone, 1); /* the entry replaced ... */
    assert_int_equal(added, 1);
    audit_tab now = audit_read(to, seq); /* ... by the other chain's, every column as it was */
    assert_int_equal(now.n, 1);
    assert_true(same_entry(&now, 0, &o, 0));
    audit_free(&now);
    audit_free(&o);
    free(sql);
}

/* A second database with its own key, built by the same commands (other titles): its entry
   at the same seq, put in the first chain, is caught there. */
static void splice_from_chain_with_own_key(void **state)
{
    fx *f = *state;
    char *dir2 = t_tmpdir();
    char *db2 = t_make_db(dir2);
    run_ok(db2, "wy-spoc", "add", "Another threat 1");
    run_ok(db2, "wy-spoc", "add", "Another threat 2");
    long long seq = f->update_seq - 1; /* a threat.add in both */
    assert_int_equal(t_db_scalar(db2, "SELECT count(*) FROM audit"), seq);
    expect_intact(db2, NULL);
    splice(f->db, db2, seq);
    expect_broken_at(f->db, NULL, seq, NULL);
    free(db2);
    t_tmpdir_free(dir2);
}

/* Two copies of one database share the key and the first `base` entries, then each records
   other changes. An entry of one copy spliced into the other is caught: taken from where the
   copies diverge, it verifies (same predecessor), so the next entry is named; taken from
   further on, it is named itself. */
static void splice_from_copy_sharing_the_key(void **state)
{
    fx *f = *state;
    char *dir2 = t_tmpdir(), *dir3 = t_tmpdir();
    copy_db(f->dir, dir2);
    char *db2 = t_fmt("%s/iom.db", dir2);
    long long base = f->last;
    run_ok(f->db, "wy-spoc", "add", "Left 1");
    run_ok(f->db, "wy-spoc", "add", "Left 2");
    run_ok(f->db, "wy-spoc", "add", "Left 3");
    run_ok(db2, "wy-spoc", "add", "Right 1");
    run_ok(db2, "wy-spoc", "add", "Right 2");
    run_ok(db2, "wy-spoc", "add", "Right 3");
    expect_intact(f->db, NULL);
    expect_intact(db2, NULL);
    copy_db(f->dir, dir3); /* a second copy of the first database for the second splice */
    char *db3 = t_fmt("%s/iom.db", dir3);

    splice(f->db, db2, base + 1);
    expect_broken_at(f->db, NULL, base + 2, NULL);

    splice(db3, db2, base + 2);
    expect_broken_at(db3, NULL, base + 2, NULL);

    free(db2);
    free(db3);
    t_tmpdir_free(dir2);
    t_tmpdir_free(dir3);
}

/* ---- checkpoints --------------------------------------------------------------------------- */

/* The checkpoint's hash is compared, not only its sequence number: a checkpoint naming the
   head's seq with another hash fails, at the head and at an earlier entry. */
static void checkpoint_with_other_hash_at_same_seq_fails(void **state)
{
    fx *f = *state;
    char *cp = take_checkpoint(f->db, f->dir, "checkpoint.txt");
    expect_intact(f->db, cp); /* control */
    char head[65];
    stored_hash(f->db, f->last, head);

    char *bad = t_fmt("%s/bad.txt", f->dir);
    char other[65];
    memcpy(other, head, sizeof other);
    other[63] = other[63] == '0' ? '1' : '0';
    char *line = t_fmt("iom-audit-checkpoint seq=%lld hash=%s\n", f->last, other);
    write_text(bad, line);
    free(line);
    expect_broken_at(f->db, bad, f->last, "differs from the checkpoint's hash, though the chain up to it verifies");

    /* An older checkpoint still matches after more entries; with another hash it does not. */
    run_ok(f->db, "wy-spoc", "add", "Later threat");
    expect_intact(f->db, cp);
    expect_broken_at(f->db, bad, f->last, "differs from the checkpoint");
    free(bad);
    free(cp);
}

/* The database replaced by another valid chain of the same length (a copy sharing the key that
   recorded other changes): verify alone cannot tell, the checkpoint can. */
static void checkpoint_catches_other_history_of_same_length(void **state)
{
    fx *f = *state;
    char *dir2 = t_tmpdir();
    copy_db(f->dir, dir2);
    char *db2 = t_fmt("%s/iom.db", dir2);
    run_ok(f->db, "wy-spoc", "add", "Recorded threat");
    run_ok(db2, "wy-spoc", "add", "Forged threat");
    char *cp = take_checkpoint(f->db, f->dir, "checkpoint.txt");
    expect_intact(f->db, cp);
    assert_int_equal(t_db_scalar(db2, "SELECT max(seq) FROM audit"), f->last + 1);
    expect_intact(db2, NULL);
    expect_broken_at(db2, cp, f->last + 1, "differs from the checkpoint");
    free(cp);
    free(db2);
    t_tmpdir_free(dir2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rebuilt_with_wrong_key_fails_right_key_passes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(verify_with_another_key_file_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_at_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_actor_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_actor_to_null_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_actor_null_to_empty_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_os_user_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_via_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_action_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_object_ref_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_before_json_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_before_json_null_to_empty_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_after_json_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_hash_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_seq_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(entry_bound_to_its_predecessor, setup, teardown),
        cmocka_unit_test_setup_teardown(splice_from_chain_with_own_key, setup, teardown),
        cmocka_unit_test_setup_teardown(splice_from_copy_sharing_the_key, setup, teardown),
        cmocka_unit_test_setup_teardown(checkpoint_with_other_hash_at_same_seq_fails, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(checkpoint_catches_other_history_of_same_length, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
