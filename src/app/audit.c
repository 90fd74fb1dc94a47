#include "app/audit.h"
#include "app/intel_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/json.h"
#include "app/work.h"
#include "domain/ref.h"
#include "store/auth_store.h"
#include "store/picture_store.h"
#include "store/tasking_store.h"
#include "store/work_store.h"
#include "store/reads_store.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/fsio.h"

const char *audit_key_path(iom_arena *a, const char *db_path)
{
    const char *env = getenv("IOM_AUDIT_KEY");
    if (env && *env)
        return iom_arena_strdup(a, env);
    if (strstr(db_path, "://")) /* a server database: no file beside it */
        return "";
    return iom_arena_printf(a, "%s.key", db_path);
}

/* The key of a database named by a URI (PostgreSQL) has no default place. */
static iom_err no_key_path(iom_error *e)
{
    return iom_fail(e, IOM_EINVAL,
                    "audit key: a PostgreSQL database's key is the file named by IOM_AUDIT_KEY "
                    "(the same file on every server, kept apart from the database and its "
                    "backups: docs/operations.md); set it");
}

iom_err audit_key_create(const char *path, unsigned char key[IOM_AUDIT_KEY_BYTES], iom_error *e)
{
    if (sodium_init() < 0)
        return iom_fail(e, IOM_EIO, "audit key: libsodium could not initialise");
    if (!*path)
        return no_key_path(e);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return iom_fail(e, IOM_ECONFLICT, "audit key '%s' already exists; refusing to replace it", path);
    if (fd < 0)
        return iom_fail(e, IOM_EIO, "audit key '%s': %s", path, strerror(errno));
    randombytes_buf(key, IOM_AUDIT_KEY_BYTES);
    char hex[IOM_AUDIT_KEY_BYTES * 2 + 2];
    sodium_bin2hex(hex, sizeof hex, key, IOM_AUDIT_KEY_BYTES);
    size_t n = strlen(hex);
    hex[n++] = '\n';
    bool ok = write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
    sodium_memzero(hex, sizeof hex);
    if (close(fd) != 0)
        ok = false;
    if (!ok) {
        unlink(path);
        return iom_fail(e, IOM_EIO, "audit key '%s': could not be written", path);
    }
    return IOM_OK;
}

iom_err audit_key_load(const char *path, unsigned char key[IOM_AUDIT_KEY_BYTES], iom_error *e)
{
    if (sodium_init() < 0)
        return iom_fail(e, IOM_EIO, "audit key: libsodium could not initialise");
    if (!*path)
        return no_key_path(e);
    int fd = iom_open_regular(path); /* never waits on a FIFO */
    if (fd < 0)
        return iom_fail(e, IOM_EIO,
                        "audit key '%s': %s (the key is created by `iom init` beside the database, "
                        "or named by IOM_AUDIT_KEY)",
                        path, errno == EINVAL ? "not a regular file" : strerror(errno));
    char hex[IOM_AUDIT_KEY_BYTES * 2 + 8];
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    size_t len = 0;
    if (n > 0) {
        hex[n] = '\0';
        len = strcspn(hex, "\r\n");
    }
    size_t bin_len = 0;
    if (len != IOM_AUDIT_KEY_BYTES * 2 ||
        sodium_hex2bin(key, IOM_AUDIT_KEY_BYTES, hex, len, NULL, &bin_len, NULL) != 0 ||
        bin_len != IOM_AUDIT_KEY_BYTES) {
        sodium_memzero(hex, sizeof hex);
        return iom_fail(e, IOM_EINTEGRITY, "audit key '%s' is malformed (expected %d hex digits)",
                        path, IOM_AUDIT_KEY_BYTES * 2);
    }
    sodium_memzero(hex, sizeof hex);
    return IOM_OK;
}

static void mac_field(crypto_auth_hmacsha256_state *st, const char *s)
{
    char len[24];
    if (!s) {
        crypto_auth_hmacsha256_update(st, (const unsigned char *)"-", 1);
        return;
    }
    size_t n = strlen(s);
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_auth_hmacsha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    crypto_auth_hmacsha256_update(st, (const unsigned char *)s, n);
}

void audit_entry_hash(const unsigned char key[IOM_AUDIT_KEY_BYTES], const char *prev,
                      const iom_audit_t *en, char out[65])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char num[48];
    crypto_auth_hmacsha256_init(&st, key, IOM_AUDIT_KEY_BYTES);
    mac_field(&st, prev);
    snprintf(num, sizeof num, "%lld", (long long)en->seq);
    mac_field(&st, num);
    snprintf(num, sizeof num, "%lld", (long long)en->at);
    mac_field(&st, num);
    mac_field(&st, en->actor);
    mac_field(&st, en->os_user);
    mac_field(&st, en->via);
    mac_field(&st, en->action);
    mac_field(&st, en->object_ref);
    mac_field(&st, en->before_json);
    mac_field(&st, en->after_json);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, 65, mac, sizeof mac);
}

typedef struct key_probe {
    const unsigned char *key;
    int64_t head;
    char prev[65];
    bool seen, ok;
} key_probe;

static int key_probe_one(void *data, const iom_audit_t *en)
{
    key_probe *k = data;
    if (en->seq < k->head) { /* the one before the last: the last's prev */
        snprintf(k->prev, sizeof k->prev, "%s", en->hash);
        return 0;
    }
    char h[65];
    audit_entry_hash(k->key, k->prev, en, h);
    k->seen = true;
    k->ok = strlen(en->hash) == 64 && sodium_memcmp(h, en->hash, 64) == 0;
    return 1;
}

iom_err audit_key_check(iom_store *s, const unsigned char key[IOM_AUDIT_KEY_BYTES], iom_error *e)
{
    unsigned char tag[sizeof s->key_checked];
    crypto_generichash(tag, sizeof tag, key, IOM_AUDIT_KEY_BYTES,
                       (const unsigned char *)"iom audit key check", 19);
    if (sodium_memcmp(tag, s->key_checked, sizeof tag) == 0)
        return IOM_OK;
    int64_t seq;
    char head[65];
    iom_err err = s->ops->audit_head(s, &seq, head, e);
    if (err)
        return err;
    key_probe k = {.key = key, .head = seq};
    if (seq > 0 && (err = s->ops->audit_scan(s, NULL, seq > 1 ? seq - 2 : 0, key_probe_one, &k, e)))
        return err;
    if (seq > 0 && (!k.seen || !k.ok))
        return iom_fail(e, IOM_EINTEGRITY,
                        "audit key: the audit chain's last entry (%lld) does not verify under this "
                        "key: the key file is not this database's (IOM_AUDIT_KEY, or DB.key beside "
                        "the database), or that entry was altered (`iom audit verify` with the "
                        "right key tells which); nothing was changed",
                        (long long)seq);
    memcpy(s->key_checked, tag, sizeof tag);
    return IOM_OK;
}

iom_err audit_record(iom_ctx *c, const char *action, const char *object_ref,
                     const char *before_json, const char *after_json)
{
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY,
                        "audit: no audit key loaded; every change must be audited");
    iom_err err = audit_key_check(c->store, c->audit_key, &c->err);
    if (err)
        return err;
    int64_t seq;
    char prev[65];
    err = c->store->ops->audit_head(c->store, &seq, prev, &c->err);
    if (err)
        return err;
    iom_audit_t en = {
        .seq = seq + 1,
        .at = app_now(c),
        .actor = (char *)c->actor_name,
        .os_user = (char *)c->os_user,
        .via = (char *)(c->via ? c->via : "system"),
        .action = (char *)action,
        .object_ref = (char *)object_ref,
        .before_json = (char *)before_json,
        .after_json = (char *)after_json,
    };
    if (!c->actor_loaded)
        en.actor = NULL;
    audit_entry_hash(c->audit_key, prev, &en, en.hash);
    return c->store->ops->audit_append(c->store, &en, &c->err);
}

iom_err audit_checkpoint_parse(const char *text, audit_checkpoint *out, iom_error *e)
{
    static const char form[] = "checkpoint: expected a line 'iom-audit-checkpoint seq=N hash=<64 hex>' "
                               "(or iom-read-checkpoint for the read chain)";
    const char *p = text;
    if (!p)
        return iom_fail(e, IOM_EINVAL, form);
    while (*p == ' ' || *p == '\t')
        p++;
    bool reads;
    if (strncmp(p, "iom-audit-checkpoint ", 21) == 0)
        reads = false, p += 21;
    else if (strncmp(p, "iom-read-checkpoint ", 20) == 0)
        reads = true, p += 20;
    else
        return iom_fail(e, IOM_EINVAL, form);
    while (*p == ' ')
        p++;
    if (strncmp(p, "seq=", 4) != 0)
        return iom_fail(e, IOM_EINVAL, form);
    p += 4;
    /* digits only: no sign, no leading zero, at most 18 of them (review 83 M2: a seq past
       INT64_MAX was read as the largest number and reported as a truncated chain) */
    size_t nd = strspn(p, "0123456789");
    if (nd == 0 || nd > 18 || (nd > 1 && p[0] == '0'))
        return iom_fail(e, IOM_EINVAL, "checkpoint: seq must be a whole number from %d to "
                                       "999999999999999999, written without sign or leading zero",
                        reads ? 0 : 1);
    long long seq = 0;
    for (size_t i = 0; i < nd; i++)
        seq = seq * 10 + (p[i] - '0');
    p += nd;
    /* the change chain's first entry is written by `iom init`: its checkpoints name entry 1 or
       later (seq 0 matched any hash: review 83 M2); the read chain's head is "" before its
       first entry: "seq=0 hash=" with nothing after it */
    if (seq == 0 && !reads)
        return iom_fail(e, IOM_EINVAL, "checkpoint: seq 0 names no entry of the audit chain, whose "
                                       "first entry is written when the database is made");
    if (*p != ' ')
        return iom_fail(e, IOM_EINVAL, form);
    while (*p == ' ')
        p++;
    if (strncmp(p, "hash=", 5) != 0)
        return iom_fail(e, IOM_EINVAL, form);
    p += 5;
    size_t nh = strspn(p, "0123456789abcdef");
    if (seq == 0 ? nh != 0 : nh != 64)
        return iom_fail(e, IOM_EINVAL, seq == 0 ? "checkpoint: seq 0 names the empty read chain, "
                                                  "whose head is no hash: 'seq=0 hash='"
                                                : "checkpoint: the hash must be 64 lower-case hex digits");
    const char *rest = p + nh;
    while (*rest == ' ' || *rest == '\t' || *rest == '\r' || *rest == '\n')
        rest++;
    if (*rest)
        return iom_fail(e, IOM_EINVAL, "checkpoint: unexpected text after the hash: '%.32s'", p + nh);
    out->seq = seq;
    out->reads = reads;
    memcpy(out->hash, p, nh);
    out->hash[nh] = '\0';
    return IOM_OK;
}

typedef struct verify_state {
    const unsigned char *key;     /* the chain's key */
    audit_verify_result *r;
    char prev[65];
    int64_t expect;
    const audit_checkpoint *cp;
    bool cp_seen;
    char why[400];
} verify_state;

static int verify_one(void *data, const iom_audit_t *en)
{
    verify_state *v = data;
    v->r->entries++;
    if (en->seq != v->expect) {
        v->r->first_bad = en->seq < v->expect ? en->seq : v->expect;
        snprintf(v->why, sizeof v->why,
                 en->seq > v->expect ? "entry %lld is missing (next present is %lld)"
                                     : "entry %lld is out of order (found after %lld)",
                 (long long)(en->seq > v->expect ? v->expect : en->seq),
                 (long long)(en->seq > v->expect ? en->seq : v->expect - 1));
        return 1;
    }
    char h[65];
    audit_entry_hash(v->key, v->prev, en, h);
    if (sodium_memcmp(h, en->hash, 64) != 0 || strlen(en->hash) != 64) {
        v->r->first_bad = en->seq;
        snprintf(v->why, sizeof v->why,
                 "entry %lld (%s %s) does not match its keyed hash: it or an earlier entry was "
                 "altered, removed or reordered",
                 (long long)en->seq, en->action ? en->action : "?", en->object_ref ? en->object_ref : "");
        return 1;
    }
    if (v->cp && en->seq == v->cp->seq) {
        v->cp_seen = true;
        if (strcmp(en->hash, v->cp->hash) != 0) {
            v->r->first_bad = en->seq;
            /* every entry up to here verifies by its keyed hash: either the checkpoint is not
               of this chain (mistyped, another database's) or the chain was written anew with
               the key since it was taken (review 84 L6: the message said only "broken") */
            snprintf(v->why, sizeof v->why,
                     "entry %lld differs from the checkpoint's hash, though the chain up to it "
                     "verifies by its own keyed hashes: the checkpoint is not of this chain (check "
                     "it was copied whole, from this database), or the chain was rewritten with "
                     "the key since it was taken",
                     (long long)en->seq);
            return 1;
        }
    }
    memcpy(v->prev, en->hash, sizeof v->prev);
    memcpy(v->r->head, en->hash, sizeof v->r->head);
    v->expect++;
    return 0;
}

/* Opens the read transaction of a verify or checkpoint and checks the actor. */
static iom_err audit_enter(iom_ctx *c, const char *what, bool need_key)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN) | IOM_ROLE_BIT(IOM_ROLE_AUDITOR), what)))
        return app_end(c, err);
    if (need_key && !c->has_audit_key)
        return app_end(c, iom_fail(&c->err, IOM_EINTEGRITY, "%s: no audit key loaded", what));
    return IOM_OK;
}

/* The outcome of a scan of chain `name` (the checkpoint's entry must have been seen). */
static iom_err verify_outcome(iom_ctx *c, const char *name, const verify_state *v,
                              const audit_checkpoint *cp, audit_verify_result *out)
{
    if (out->first_bad)
        return iom_fail(&c->err, IOM_EINTEGRITY, "%s broken at entry %lld: %s", name,
                        (long long)out->first_bad, v->why);
    if (cp && cp->seq > 0 && !v->cp_seen) {
        out->first_bad = out->entries + 1;
        return iom_fail(&c->err, IOM_EINTEGRITY,
                        "%s truncated: the checkpoint names entry %lld but the chain ends "
                        "at entry %lld; entry %lld onwards were removed",
                        name, (long long)cp->seq, (long long)out->entries, (long long)out->entries + 1);
    }
    return IOM_OK;
}

iom_err app_audit_verify(iom_ctx *c, const audit_checkpoint *cp, audit_verify_result *out)
{
    memset(out, 0, sizeof *out);
    if (cp && cp->reads)
        return iom_fail(&c->err, IOM_EINVAL,
                        "checkpoint: this is a checkpoint of the read chain (iom-read-checkpoint); "
                        "verify it with --reads");
    iom_err err = audit_enter(c, "audit verify", true);
    if (err)
        return err;
    verify_state v = {.key = c->audit_key, .r = out, .expect = 1, .cp = cp};
    err = c->store->ops->audit_scan(c->store, NULL, 0, verify_one, &v, &c->err);
    app_end(c, IOM_OK); /* read-only: nothing to keep */
    if (err)
        return err;
    return verify_outcome(c, "audit chain", &v, cp, out);
}

iom_err app_audit_verify_files(iom_ctx *c, audit_verify_result *out)
{
    memset(out, 0, sizeof *out);
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "audit chain: no audit key loaded");
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    verify_state v = {.key = c->audit_key, .r = out, .expect = 1};
    err = c->store->ops->audit_scan(c->store, NULL, 0, verify_one, &v, &c->err);
    app_end(c, IOM_OK);
    return err ? err : verify_outcome(c, "audit chain", &v, NULL, out);
}

iom_err app_audit_checkpoint(iom_ctx *c, audit_checkpoint *out)
{
    memset(out, 0, sizeof *out);
    iom_err err = audit_enter(c, "audit checkpoint", false);
    if (err)
        return err;
    err = c->store->ops->audit_head(c->store, &out->seq, out->hash, &c->err);
    return app_end(c, err);
}

/* ---- the read chain ------------------------------------------------------------------------ */

#define READ_KDF_ID 1
#define READ_KDF_CONTEXT "iomreads"

void audit_read_key(const unsigned char key[IOM_AUDIT_KEY_BYTES], unsigned char out[IOM_AUDIT_KEY_BYTES])
{
    crypto_kdf_derive_from_key(out, IOM_AUDIT_KEY_BYTES, READ_KDF_ID, READ_KDF_CONTEXT, key);
}

/* The cut-over entry (change_seq) and the one before it, read from the change chain. */
typedef struct anchor_state {
    int64_t want;
    char prev[65];
    bool found;
    bool authentic;
    char hash[65];
    const unsigned char *key;
    char action[40];
} anchor_state;

static int anchor_one(void *data, const iom_audit_t *en)
{
    anchor_state *a = data;
    if (en->seq == a->want - 1) {
        snprintf(a->prev, sizeof a->prev, "%s", en->hash);
        return 0;
    }
    if (en->seq != a->want)
        return 1;
    char h[65];
    audit_entry_hash(a->key, a->prev, en, h);
    a->found = true;
    a->authentic = strlen(en->hash) == 64 && sodium_memcmp(h, en->hash, 64) == 0;
    snprintf(a->hash, sizeof a->hash, "%s", en->hash);
    snprintf(a->action, sizeof a->action, "%s", en->action ? en->action : "?");
    return 1;
}

/* Any change entry with object_ref "read-chain" (the cut-over of a migrated database), or an
   entry 1 declaring the start (a database made by `iom init`): the read chain started. */
typedef struct declared_state {
    bool declared;
    int64_t seq;
} declared_state;

static int declared_one(void *data, const iom_audit_t *en)
{
    declared_state *d = data;
    if ((en->object_ref && strcmp(en->object_ref, "read-chain") == 0) ||
        (en->seq == 1 && en->after_json && strstr(en->after_json, "\"read_chain\""))) {
        d->declared = true;
        d->seq = en->seq;
    }
    return 1;
}

/* Checks where the read chain starts; fills v->prev with the hash read entry 1 chains to. */
static iom_err verify_start(iom_ctx *c, const iom_read_chain_t *ch, verify_state *v)
{
    iom_store *s = c->store;
    iom_err err;
    if (!ch->started) {
        /* No start: there must be no read entry, and the change chain must not say one began. */
        declared_state d = {0};
        if ((err = s->ops->audit_scan(s, "read-chain", 0, declared_one, &d, &c->err)) ||
            (!d.declared && (err = s->ops->audit_scan(s, NULL, 0, declared_one, &d, &c->err))))
            return err;
        if (d.declared) {
            v->r->first_bad = 1;
            snprintf(v->why, sizeof v->why,
                     "change entry %lld started the read chain, but the chain's start is gone "
                     "(its entries were removed)", (long long)d.seq);
        }
        v->prev[0] = '\0';
        return IOM_OK;
    }
    if (ch->entries_lost) {
        v->r->first_bad = 1;
        snprintf(v->why, sizeof v->why,
                 "the read log is not the one the read chain was started in (replaced or lost: "
                 "the reads logged since change entry %lld are missing)",
                 (long long)ch->change_seq);
        return IOM_OK;
    }
    anchor_state a = {.want = ch->change_seq, .key = c->audit_key};
    err = s->ops->audit_scan(s, NULL, ch->change_seq > 2 ? ch->change_seq - 2 : 0, anchor_one, &a,
                             &c->err);
    if (err)
        return err;
    if (!a.found || !a.authentic || strcmp(a.hash, ch->change_hash) != 0) {
        v->r->first_bad = 1;
        snprintf(v->why, sizeof v->why,
                 "the read chain starts at change entry %lld, which is %s",
                 (long long)ch->change_seq,
                 !a.found ? "missing" : !a.authentic ? "altered (its keyed hash does not match)"
                                                     : "not the entry the read chain was started at");
    }
    snprintf(v->prev, sizeof v->prev, "%s", ch->change_hash);
    return IOM_OK;
}

iom_err app_audit_verify_reads(iom_ctx *c, const audit_checkpoint *cp, audit_verify_result *out)
{
    memset(out, 0, sizeof *out);
    if (cp && !cp->reads)
        return iom_fail(&c->err, IOM_EINVAL,
                        "checkpoint: this is a checkpoint of the change chain (iom-audit-checkpoint); "
                        "the read chain's is printed by `audit checkpoint --reads`");
    iom_err err = audit_enter(c, "audit verify", true);
    if (err)
        return err;
    unsigned char rkey[IOM_AUDIT_KEY_BYTES];
    audit_read_key(c->audit_key, rkey);
    verify_state v = {.key = rkey, .r = out, .expect = 1, .cp = cp};
    iom_read_chain_t ch;
    if (!(err = c->store->ops->reads->chain(c->store, &ch, &c->err)) &&
        !(err = verify_start(c, &ch, &v)) && !out->first_bad)
        err = c->store->ops->reads->scan(c->store, 0, verify_one, &v, &c->err);
    app_end(c, IOM_OK);
    sodium_memzero(rkey, sizeof rkey);
    if (err)
        return err;
    if (!ch.started && out->entries > 0 && !out->first_bad) {
        out->first_bad = 1;
        snprintf(v.why, sizeof v.why, "read entries exist but the read chain's start is gone");
    }
    return verify_outcome(c, "read chain", &v, cp, out);
}

iom_err app_audit_checkpoint_reads(iom_ctx *c, audit_checkpoint *out)
{
    memset(out, 0, sizeof *out);
    out->reads = true;
    iom_err err = audit_enter(c, "audit checkpoint", false);
    if (err)
        return err;
    iom_read_chain_t ch;
    err = c->store->ops->reads->chain(c->store, &ch, &c->err);
    if (!err) {
        out->seq = ch.head_seq;
        memcpy(out->hash, ch.head_hash, sizeof out->hash);
    }
    return app_end(c, err);
}

iom_err app_audit_migration_notes(iom_ctx *c, size_t *written)
{
    *written = 0;
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "migration notes: no audit key loaded");
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_audit_t *v;
    size_t n = 0;
    if ((err = c->store->ops->migration_notes(c->store, c->arena, &v, &n, &c->err)))
        return app_end(c, err);
    for (size_t i = 0; i < n && !err; i++)
        if (!(err = audit_record(c, v[i].action, v[i].object_ref, v[i].before_json,
                                 v[i].after_json)))
            err = c->store->ops->migration_note_done(c->store, v[i].seq, &c->err);
    if (!(err = app_end(c, err)))
        *written = n;
    return err;
}

iom_err app_audit_reads_start(iom_ctx *c, bool *started)
{
    *started = false;
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "read chain: no audit key loaded");
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_read_chain_t ch;
    if ((err = c->store->ops->reads->chain(c->store, &ch, &c->err)) || ch.started)
        return app_end(c, err);
    if ((err = audit_record(c, "audit.read_chain_start", "read-chain", NULL,
                            "{\"read_chain\":\"reads of content from here on are in the read chain\","
                            "\"first_read\":1}")))
        return app_end(c, err);
    int64_t cut;
    char hash[65];
    if ((err = c->store->ops->audit_head(c->store, &cut, hash, &c->err)) ||
        (err = c->store->ops->reads->start(c->store, cut, hash, app_now(c), &c->err)))
        return app_end(c, err);
    err = app_end(c, IOM_OK);
    *started = err == IOM_OK;
    return err;
}

typedef struct log_state {
    iom_arena *a;
    iom_audit_t *v;
    size_t n, cap;
    size_t limit;             /* page: stop after limit + 1 entries (0: all) */
} log_state;

static char *adup(iom_arena *a, const char *s) { return iom_arena_strdup(a, s); }

static int log_one(void *data, const iom_audit_t *en)
{
    log_state *s = data;
    if (s->limit && s->n == s->limit + 1)
        return 1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        iom_audit_t *w = iom_arena_new(s->a, iom_audit_t, cap);
        if (s->n)
            memcpy(w, s->v, s->n * sizeof *w);
        s->v = w;
        s->cap = cap;
    }
    iom_audit_t *o = &s->v[s->n++];
    *o = *en;
    o->actor = adup(s->a, en->actor);
    o->os_user = adup(s->a, en->os_user);
    o->via = adup(s->a, en->via);
    o->action = adup(s->a, en->action);
    o->object_ref = adup(s->a, en->object_ref);
    o->before_json = adup(s->a, en->before_json);
    o->after_json = adup(s->a, en->after_json);
    return 0;
}

/* The markings of the objects audit images name, looked up once per answer. */
typedef struct mk_cache {
    const char **ref;
    iom_marking *m;
    size_t n, cap;
} mk_cache;

/* The marking of the object ref names (a tasking, dataset, intelligence item or threat, by its
   prefix), as it is now; OFFICIAL-SENSITIVE, the highest, when it is gone or unknown: an image
   is shown only when everything it belongs to is known to be within the reader's clearance. */
static iom_marking ref_marking(iom_ctx *c, mk_cache *k, const char *ref)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->ref[i], ref) == 0)
            return k->m[i];
    iom_marking m = IOM_MARKING_OFFICIAL_SENSITIVE;
    iom_error saved = c->err;
    if (strncmp(ref, "TOEX-", 5) == 0) {
        iom_tasking_t t;
        if (c->store->ops->tasking->get(c->store, ref, c->arena, &t, &c->err) == IOM_OK)
            m = t.marking;
    } else if (strncmp(ref, "DS-", 3) == 0) {
        iom_dataset_t d;
        if (c->store->ops->picture->dataset_get(c->store, ref, c->arena, &d, &c->err) == IOM_OK)
            m = d.marking;
    } else if (strncmp(ref, "INT-", 4) == 0) {
        iom_intel_t it;
        if (c->store->ops->work->intel_get(c->store, ref, 0, c->arena, &it, &c->err) == IOM_OK)
            m = it.marking;
    } else if (strncmp(ref, "SOC-", 4) == 0) {
        iom_threat_t th;
        if (c->store->ops->threat_get(c->store, ref, c->arena, &th, &c->err) == IOM_OK)
            m = th.marking;
    }
    c->err = saved;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        const char **r = iom_arena_new(c->arena, const char *, cap);
        iom_marking *mv = iom_arena_new(c->arena, iom_marking, cap);
        if (k->n) {
            memcpy(r, k->ref, k->n * sizeof *r);
            memcpy(mv, k->m, k->n * sizeof *mv);
        }
        k->ref = r;
        k->m = mv;
        k->cap = cap;
    }
    k->ref[k->n] = iom_arena_strdup(c->arena, ref);
    k->m[k->n++] = m;
    return m;
}

/* The keys of an image that name what it belongs to (review 49: an option's, a work-log
   entry's or a dataset's image carries no marking of its own but belongs to a tasking or
   dataset that may be marked above the reader). */
static const char *const owner_keys[] = {"tasking", "other_tasking", "dataset", "item", "threat",
                                         "transferred_by"};

/* A string that is wholly a reference to something marked (a tasking, dataset, item or threat),
   whatever its key: an image that names one belongs to it (review 84 H1: a threat's transfer
   image named its OFFICIAL-SENSITIVE tasking under "transferred_by", with the decision's
   reason, and was shown to an OFFICIAL auditor); a new key fails closed. */
static bool marked_ref(const char *v)
{
    size_t n = strlen(v);
    if (strncmp(v, "TOEX-", 5) == 0)
        /* six digits or more: the sequence grows a digit past 999,999 taskings in a year
           (review 86 LOW-2) */
        return n >= 16 && strspn(v + 5, "0123456789") == 4 && v[9] == '-' &&
               strspn(v + 10, "0123456789") == n - 10;
    const char *digits = strncmp(v, "INT-", 4) == 0   ? v + 4
                         : strncmp(v, "DS-", 3) == 0  ? v + 3
                         : strncmp(v, "SOC-", 4) == 0 ? v + 4
                                                      : NULL;
    return digits && *digits && strspn(digits, "0123456789") == strlen(digits);
}

/* The actions whose images belong to a tasking's work: such an image that names nothing it
   belongs to is withheld from a reader below the highest marking (review 50: a review
   decision's, an unlink's, an import removal's images name no tasking). */
static bool tasking_work(const char *action)
{
    static const char *const fam[] = {"entity.", "link.", "dataset.", "finance.", "comms.", "tasking.",
                                      "option.", "contribution.", "product.", "deconflict.", "intel.",
                                      "picture.", "analysis."};
    for (size_t i = 0; action && i < sizeof fam / sizeof fam[0]; i++)
        if (strncmp(action, fam[i], strlen(fam[i])) == 0)
            return true;
    return false;
}

/* The highest marking j holds or names at any depth (a "marking", an owner key's object as
   marked now; an owner named by an internal number counts as the highest); *owned: some
   owner was named. */
static iom_marking image_walk(iom_ctx *c, mk_cache *k, json_t *j, bool *owned, int depth)
{
    iom_marking m = IOM_MARKING_OFFICIAL;
    if (depth > 64)
        return IOM_MARKING_OFFICIAL_SENSITIVE;
    if (json_is_array(j)) {
        size_t i;
        json_t *x;
        json_array_foreach(j, i, x)
        {
            iom_marking o = image_walk(c, k, x, owned, depth + 1);
            if (o > m)
                m = o;
        }
        return m;
    }
    if (json_is_string(j) && marked_ref(json_string_value(j))) { /* a member of a list */
        *owned = true;
        return ref_marking(c, k, json_string_value(j));
    }
    if (!json_is_object(j))
        return m;
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        iom_marking o = IOM_MARKING_OFFICIAL;
        iom_error ignore = {0};
        if (strcmp(key, "marking") == 0 && json_is_string(v)) {
            if (iom_marking_parse(json_string_value(v), &o, &ignore))
                o = IOM_MARKING_OFFICIAL_SENSITIVE;
        } else {
            bool owner = false;
            for (size_t i = 0; i < sizeof owner_keys / sizeof owner_keys[0] && !owner; i++)
                owner = strcmp(key, owner_keys[i]) == 0;
            if (owner && !json_is_null(v)) {
                *owned = true;
                o = json_is_string(v) ? ref_marking(c, k, json_string_value(v)) : IOM_MARKING_OFFICIAL_SENSITIVE;
            } else if (json_is_string(v) && strcmp(key, "ref") != 0 && marked_ref(json_string_value(v))) {
                *owned = true;
                o = ref_marking(c, k, json_string_value(v));
            } else if (json_is_object(v) || json_is_array(v)) {
                o = image_walk(c, k, v, owned, depth + 1);
            }
        }
        if (o > m)
            m = o;
    }
    return m;
}

/* A resolution's counts in an image (dataset.import, dataset.remove, dataset.dispose,
   picture.resolve, a review decision: every "resolution" object at any depth) are of the whole
   tasking, every marking; the API withholds them from a caller not cleared for every marking
   (app/picture.c counts_withheld), and so does the audit view: nulls and "withheld": true, as
   the API shows them (review 94 M3). True when something was withheld. */
static bool withhold_counts(json_t *j, int depth)
{
    static const char *const counts[] = {"records", "entities", "links", "created_entities",
                                         "removed_entities", "removed_links", "review_pairs",
                                         "unusable_values", "decisions"};
    bool done = false;
    if (depth > 64)
        return false;
    if (json_is_array(j)) {
        size_t i;
        json_t *x;
        json_array_foreach(j, i, x) done |= withhold_counts(x, depth + 1);
        return done;
    }
    if (!json_is_object(j))
        return false;
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        if (strcmp(key, "resolution") == 0 && json_is_object(v)) {
            bool had = false;
            for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
                if (json_object_get(v, counts[i])) {
                    json_object_set_new(v, counts[i], json_null());
                    had = true;
                }
            if (had)
                json_object_set_new(v, "withheld", json_true());
            done |= had;
        } else {
            done |= withhold_counts(v, depth + 1);
        }
    }
    return done;
}

/* An image (an entry's before or after) as the reader may see it: withheld, its reference
   kept, when it or anything it belongs to is marked above the reader's clearance: every
   "marking" in it and every tasking, dataset, item or threat it names, at any depth, as marked
   now (a name that is not a reference, such as an internal number, counts as the highest),
   and the entry's own object when it is one of those; an image of a tasking's work that
   names nothing it belongs to is withheld too (fail closed; review 50). Shown, it is without
   a resolution's counts (withhold_counts: the reader is below the highest marking). */
static char *image_for(iom_ctx *c, mk_cache *k, char *image, const char *action, const char *object_ref)
{
    if (!image || iom_clearance_allows(c->actor.clearance, IOM_MARKING_OFFICIAL_SENSITIVE))
        return image;
    json_t *j = json_loads(image, 0, NULL);
    if (!j)
        return image;
    bool owned = false;
    iom_marking m = image_walk(c, k, j, &owned, 0);
    if (object_ref && (strncmp(object_ref, "TOEX-", 5) == 0 || strncmp(object_ref, "DS-", 3) == 0 ||
                       strncmp(object_ref, "INT-", 4) == 0 || strncmp(object_ref, "SOC-", 4) == 0)) {
        iom_marking o = ref_marking(c, k, object_ref);
        owned = true;
        if (o > m)
            m = o;
    }
    if (!owned && tasking_work(action))
        m = IOM_MARKING_OFFICIAL_SENSITIVE;
    if (iom_clearance_allows(c->actor.clearance, m)) {
        char *shown = withhold_counts(j, 0) ? json_text(c->arena, j) : image;
        json_decref(j);
        return shown;
    }
    json_t *ref = json_is_object(j) ? json_object_get(j, "ref") : NULL;
    ref = json_is_string(ref) ? json_incref(ref) : object_ref ? json_string(object_ref) : json_null();
    json_t *w = json_pack("{s:o, s:s}", "ref", ref, "withheld", "marked above the reader's clearance");
    json_decref(j);
    char *text = json_text(c->arena, w);
    json_decref(w);
    return text;
}

/* Intelligence items' images are sealed with the item's key (app/seal.h): the auditor reads
   them opened while the key exists, as erased once the item was disposed of, and withheld when
   the item is marked above the auditor's clearance; any other image marked above it is
   withheld too (review 43). *opened (may be NULL): the references of the items whose content
   was opened, for the read log (a JSON array, owned by the caller; NULL when none). *shown
   (may be NULL): likewise the objects of a tasking's work (a bid, ToR, option, contribution,
   product, picture entry...) whose images the answer shows, one element per object with the
   audit entries that showed it (review 81 M5: the auditor read bids and options in the audit
   log, and no read was logged, where the same content read by its own route was). */
typedef struct shown_set {
    const char **ref;
    iom_buf *seqs;
    size_t n, cap;
} shown_set;

static void shown_add(iom_ctx *c, shown_set *s, const char *ref, int64_t seq)
{
    size_t i = 0;
    while (i < s->n && strcmp(s->ref[i], ref) != 0)
        i++;
    if (i == s->n) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 16;
            const char **r = iom_arena_new(c->arena, const char *, cap);
            iom_buf *b = iom_arena_new(c->arena, iom_buf, cap);
            if (s->n) {
                memcpy(r, s->ref, s->n * sizeof *r);
                memcpy(b, s->seqs, s->n * sizeof *b);
            }
            s->ref = r;
            s->seqs = b;
            s->cap = cap;
        }
        s->ref[i] = ref;
        s->seqs[i] = (iom_buf){0};
        s->n++;
    }
    char num[24];
    int len = snprintf(num, sizeof num, "%s%lld", s->seqs[i].len ? ", " : "", (long long)seq);
    iom_buf_append(&s->seqs[i], num, (size_t)len);
}

static json_t *shown_json(iom_ctx *c, shown_set *s)
{
    json_t *arr = s->n ? json_array() : NULL;
    for (size_t i = 0; i < s->n; i++) {
        const char *view = iom_arena_printf(c->arena, "audit entr%s %s",
                                            strchr(s->seqs[i].data, ',') ? "ies" : "y", s->seqs[i].data);
        json_array_append_new(arr, json_pack("{s:s, s:s}", "ref", s->ref[i], "view", view));
        iom_buf_free(&s->seqs[i]);
    }
    return arr;
}

static bool image_shown(const char *img)
{
    return img && !strstr(img, "\"withheld\"") && !strstr(img, "\"erased\"");
}

static void open_images(iom_ctx *c, iom_audit_t *v, size_t n, json_t **opened, json_t **shown)
{
    if (opened)
        *opened = NULL;
    if (shown)
        *shown = NULL;
    mk_cache mc = {0};
    shown_set ss = {0};
    for (size_t i = 0; i < n; i++) {
        bool intel = v[i].action && strncmp(v[i].action, "intel.", 6) == 0;
        if (intel) {
            for (int k = 0; k < 2; k++) {
                char **img = k ? &v[i].after_json : &v[i].before_json;
                const char *was = *img;
                *img = (char *)intel_image_view(c, *img);
                if (opened && was && *img && was != *img && image_shown(*img)) {
                    if (!*opened)
                        *opened = json_array();
                    json_array_append_new(*opened,
                                          json_pack("{s:s, s:s+}", "ref", v[i].object_ref ? v[i].object_ref : "",
                                                    "view", "audit entry ",
                                                    iom_arena_printf(c->arena, "%lld", (long long)v[i].seq)));
                }
            }
        }
        v[i].before_json = image_for(c, &mc, v[i].before_json, v[i].action, v[i].object_ref);
        v[i].after_json = image_for(c, &mc, v[i].after_json, v[i].action, v[i].object_ref);
        if (shown && !intel && tasking_work(v[i].action) &&
            (image_shown(v[i].before_json) || image_shown(v[i].after_json)))
            shown_add(c, &ss, v[i].object_ref ? v[i].object_ref : "", v[i].seq);
    }
    if (shown)
        *shown = shown_json(c, &ss);
}

/* The items' content an audit log answer opened is a read of intelligence content, logged as
   any (review 43: it was not): one entry, the items by reference and the audit entry shown.
   The rest of a tasking's work it showed is logged with them, or alone as a `tasking.read`:
   one read entry per answer. */
static iom_err log_opened(iom_ctx *c, json_t *opened, json_t *shown)
{
    if (opened && shown) {
        json_array_extend(opened, shown);
        json_decref(shown);
        shown = NULL;
    }
    if (opened)
        return work_log_read(c, "intel.consult", "audit", opened, NULL, "audit");
    if (shown)
        return work_log_read(c, "tasking.read", "audit", shown, NULL, "audit");
    return IOM_OK;
}

iom_err app_audit_log(iom_ctx *c, const char *object, iom_audit_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_AUDITOR), "audit log")))
        return app_end(c, err);
    log_state s = {.a = c->arena};
    json_t *opened = NULL, *shown = NULL;
    err = c->store->ops->audit_scan(c->store, object, 0, log_one, &s, &c->err);
    if (!err)
        open_images(c, s.v, s.n, &opened, &shown);
    *out = s.v;
    *n = s.n;
    if ((err = app_end(c, err))) {
        json_decref(opened);
        json_decref(shown);
        return err;
    }
    return log_opened(c, opened, shown);
}

/* An action's name: lower-case letters, digits, '_' and '.' (a filter of another shape can
   match nothing, and is a mistake to name). */
static bool action_shaped(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.'))
            return false;
    return true;
}

iom_err app_audit_log_page(iom_ctx *c, const app_audit_log_query *q, iom_audit_t **out, size_t *n,
                           int64_t *next)
{
    *out = NULL;
    *n = 0;
    *next = 0;
    size_t limit = q->limit;
    if (limit < 1 || limit > 1000)
        return iom_fail(&c->err, IOM_EINVAL, "limit: must be from 1 to 1000");
    if (q->after_seq < 0)
        return iom_fail(&c->err, IOM_EINVAL, "after: not an entry number");
    if (q->object && strlen(q->object) > 200)
        return iom_fail(&c->err, IOM_EINVAL, "object: too long (at most 200 bytes)");
    if (q->actor && strlen(q->actor) > 64)
        return iom_fail(&c->err, IOM_EINVAL, "actor: too long (at most 64 bytes)");
    if (q->action && !action_shaped(q->action))
        return iom_fail(&c->err, IOM_EINVAL, "action: '%.64s' is not an action's name (such as "
                        "tasking.submit or user.disable: lower-case letters, digits, '_' and '.')",
                        q->action);
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_AUDITOR), "audit log")))
        return app_end(c, err);
    log_state s = {.a = c->arena, .limit = limit};
    if (!q->actor && !q->action && !q->newest) {
        err = c->store->ops->audit_scan(c->store, q->object, q->after_seq, log_one, &s, &c->err);
    } else { /* one more than a page tells whether another follows */
        iom_audit_read_filter f = {.actor = q->actor, .object_ref = q->object, .action = q->action,
                                   .newest = q->newest, .after_seq = q->after_seq, .limit = limit + 1};
        err = c->store->ops->auth->audit_reads(c->store, &f, c->arena, &s.v, &s.n, &c->err);
    }
    if (!err && s.n > limit) {
        s.n = limit;
        *next = s.v[limit - 1].seq;
    }
    json_t *opened = NULL, *shown = NULL;
    if (!err)
        open_images(c, s.v, s.n, &opened, &shown);
    *out = s.v;
    *n = s.n;
    if ((err = app_end(c, err))) {
        json_decref(opened);
        json_decref(shown);
        return err;
    }
    return log_opened(c, opened, shown);
}

/* ---- the read-purpose log ---------------------------------------------------------------- */

const char *const audit_read_actions[] = {"tasking.read", "intel.consult", "product.disclose",
                                          "option.read", NULL};
const char *const audit_reads_filter_actions[] = {"tasking.read", "intel.consult", "product.disclose",
                                                  "option.read", "picture.export", "access.refused",
                                                  NULL};

#define READS_DEFAULT 50
#define READS_MAX 1000

/* Is s a reference iom made (TOEX-2026-000001, ENT-000001, TXN-000001: capitals, then '-'
   and digits)? A phone number (+447700900123), an account key (112233-12345678) or an IBAN
   is not. */
static bool reference_shaped(const char *s)
{
    const char *p = s;
    while (*p >= 'A' && *p <= 'Z')
        p++;
    if (p - s < 2 || *p != '-')
        return false;
    for (; *p; p++)
        if (!(*p == '-' || (*p >= '0' && *p <= '9')))
            return false;
    return p[-1] != '-';
}

/* A read entry's after_json without what it names of the content: the text of the search that
   made it, and the phone numbers and accounts an analysis showed (review 94 M4): logged as
   {"identifier"}, or before that as a {"ref"} that is no reference, in an analysis's entry
   (its first element names the analysis). Unchanged for any other entry; the stored entry,
   which the chain's MAC covers, is never changed. */
/* A read entry's part r (an export's disclosure, an item's grade...): its handling conditions
   are content (a source's protection: a CHIS number, a handler) that the admin role, which
   reads who consulted what, never reads, nor an auditor not cleared for the part's marking;
   for such an auditor or an admin not cleared for it, the size of the picture an export held
   goes too (review 137 H1). Nested objects are walked (a grade inside an item). */
static void without_conditions(iom_ctx *c, json_t *r, bool above_cleared, int depth)
{
    if (depth > 8)
        return;
    size_t i;
    json_t *x;
    if (json_is_array(r)) {
        json_array_foreach(r, i, x) without_conditions(c, x, above_cleared, depth + 1);
        return;
    }
    if (!json_is_object(r))
        return;
    /* a part without a marking of its own is of its parent's (an item's grade) */
    const char *mk = json_string_value(json_object_get(r, "marking"));
    iom_marking m = IOM_MARKING_COUNT;
    iom_error ignored = {0};
    bool cleared = mk ? iom_marking_parse(mk, &m, &ignored) == IOM_OK && iom_clearance_allows(c->actor.clearance, m)
                      : above_cleared;
    if (json_object_get(r, "conditions") && (!app_actor_has(c, IOM_ROLE_AUDITOR) || !cleared))
        json_object_del(r, "conditions");
    if (mk && !cleared) {
        json_object_del(r, "entities");
        json_object_del(r, "links");
    }
    const char *key;
    json_object_foreach(r, key, x) if (json_is_object(x) || json_is_array(x)) without_conditions(c, x, cleared, depth + 1);
}

static char *without_search_text(iom_ctx *c, const iom_audit_t *en)
{
    if (!en->after_json)
        return en->after_json;
    bool search = en->object_ref && strcmp(en->object_ref, "search") == 0;
    bool analysis = strstr(en->after_json, "\"analysis\"") || strstr(en->after_json, "\"identifier\"");
    bool conditions = strstr(en->after_json, "\"conditions\"") != NULL;
    if (!search && !analysis && !conditions)
        return en->after_json;
    json_t *j = json_loads(en->after_json, 0, NULL);
    json_t *read = json_object_get(j, "read");
    size_t i;
    json_t *r;
    if (conditions)
        without_conditions(c, read, false, 0);
    if (search && json_is_array(read))
        json_array_foreach(read, i, r) json_object_del(r, "search");
    else if (search && json_is_object(read))
        json_object_del(read, "search");
    bool of_analysis = json_is_array(read) && json_object_get(json_array_get(read, 0), "analysis");
    for (i = json_is_array(read) ? json_array_size(read) : 0; i-- > 0;) {
        r = json_array_get(read, i);
        const char *ref = json_string_value(json_object_get(r, "ref"));
        if (json_object_get(r, "identifier") || (of_analysis && ref && !reference_shaped(ref)))
            json_array_remove(read, i);
    }
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    char *out = text ? iom_arena_strdup(c->arena, text) : NULL;
    free(text);
    return out;
}

iom_err app_audit_reads(iom_ctx *c, const app_audit_reads_query *q, iom_audit_t **out, size_t *n,
                        const char **next)
{
    *out = NULL;
    *n = 0;
    *next = NULL;
    size_t limit = q->limit ? q->limit : READS_DEFAULT;
    if (limit > READS_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of %d", limit, READS_MAX);
    /* Cursor: "N" after change entry N, "rN" after read entry N. */
    int64_t after = 0;
    bool in_reads = false;
    if (q->after) {
        const char *d = q->after;
        in_reads = *d == 'r';
        d += in_reads;
        if (!iom_parse_cursor(d, INT64_MAX, &after))
            return iom_fail(&c->err, IOM_EINVAL, "after: '%.40s' is not a cursor returned as \"next\"",
                            q->after);
    }
    if ((q->user && strlen(q->user) > 64) || (q->object && strlen(q->object) > 200))
        return iom_fail(&c->err, IOM_EINVAL, "%s: too long", q->object && strlen(q->object) > 200 ? "object" : "user");
    bool in_changes = false; /* the action is one the change chain logged before the cut-over */
    if (q->action) {
        bool known = false;
        for (size_t i = 0; audit_reads_filter_actions[i] && !known; i++)
            known = strcmp(q->action, audit_reads_filter_actions[i]) == 0;
        if (!known)
            return iom_fail(&c->err, IOM_EINVAL, "action: '%.64s' is not an action of the read "
                            "log (tasking.read, intel.consult, product.disclose, option.read, "
                            "picture.export, access.refused)", q->action);
        for (size_t i = 0; audit_read_actions[i] && !in_changes; i++)
            in_changes = strcmp(q->action, audit_read_actions[i]) == 0;
    } else
        in_changes = true;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_AUDITOR) | IOM_ROLE_BIT(IOM_ROLE_ADMIN),
                                "audit reads")))
        return app_end(c, err);
    iom_store *s = c->store;
    iom_read_chain_t ch;
    if ((err = s->ops->reads->chain(s, &ch, &c->err)))
        return app_end(c, err);
    /* One more than a page tells whether another page follows. */
    iom_audit_read_filter f = {.actions = audit_read_actions, .actor = q->user,
                               .object_ref = q->object, .after_seq = after, .limit = limit + 1,
                               .action = q->action, .newest = q->newest};
    iom_audit_t *old = NULL, *fresh = NULL;
    size_t nold = 0, nfresh = 0;
    if (!q->newest) {
        if (!in_reads && in_changes) {
            /* The reads logged in the change chain, all before the cut-over. */
            if ((err = s->ops->auth->audit_reads(s, &f, c->arena, &old, &nold, &c->err)))
                return app_end(c, err);
            while (ch.started && nold > 0 && old[nold - 1].seq >= ch.change_seq)
                nold--;
        }
        if (!in_reads) {
            f.after_seq = 0;
            f.limit = limit + 1 - nold;
        }
        if (f.limit > 0 && ch.started &&
            (err = s->ops->reads->page(s, &f, c->arena, &fresh, &nfresh, &c->err)))
            return app_end(c, err);
    } else {
        /* Newest first: the read chain from its newest entry (or the cursor "rN"), then the
           change chain's reads from the cut-over down (or from the cursor "N"). */
        bool changes_only = q->after && !in_reads;
        if (!changes_only && ch.started &&
            (err = s->ops->reads->page(s, &f, c->arena, &fresh, &nfresh, &c->err)))
            return app_end(c, err);
        if (nfresh < limit + 1 && in_changes) {
            f.after_seq = changes_only ? after : 0;
            if (ch.started && (f.after_seq == 0 || f.after_seq > ch.change_seq))
                f.after_seq = ch.change_seq;
            f.limit = limit + 1 - nfresh;
            if ((err = s->ops->auth->audit_reads(s, &f, c->arena, &old, &nold, &c->err)))
                return app_end(c, err);
        }
    }
    size_t total = nold + nfresh;
    iom_audit_t *v = iom_arena_new(c->arena, iom_audit_t, total ? total : 1);
    /* in the listing's order: oldest first, the change chain's then the read chain's */
    iom_audit_t *first = q->newest ? fresh : old, *second = q->newest ? old : fresh;
    size_t nfirst = q->newest ? nfresh : nold, nsecond = q->newest ? nold : nfresh;
    if (nfirst)
        memcpy(v, first, nfirst * sizeof *v);
    if (nsecond)
        memcpy(v + nfirst, second, nsecond * sizeof *v);
    for (size_t i = 0; i < total; i++)
        v[i].in_read_chain = q->newest ? i < nfresh : i >= nold;
    /* The admin role reads who consulted what, not the content: a search's entries keep the
       references the search showed, without its text (names, numbers, addresses); the
       auditor reads them whole (domain.md §3). */
    /* nor does an auditor not cleared for every marking: a search's words may be those of an
       item above their clearance, next to its reference (review 43); nor the numbers and
       accounts an analysis showed, which may be those of a record above it (review 94 M4) */
    if (!app_actor_has(c, IOM_ROLE_AUDITOR) ||
        !iom_clearance_allows(c->actor.clearance, (iom_marking)(IOM_MARKING_COUNT - 1)))
        for (size_t i = 0; i < total && i < limit; i++)
            v[i].after_json = without_search_text(c, &v[i]);
    if (total > limit) {
        total = limit;
        const iom_audit_t *l = &v[limit - 1];
        *next = iom_arena_printf(c->arena, "%s%lld", l->in_read_chain ? "r" : "", (long long)l->seq);
    }
    *out = v;
    *n = total;
    return app_end(c, IOM_OK);
}

json_t *json_of_read_entry(const iom_audit_t *en)
{
    json_t *after = en->after_json ? json_loads(en->after_json, 0, NULL) : NULL;
    json_t *purpose = json_object_get(after, "purpose");
    json_t *just = json_object_get(after, "justification");
    json_t *read = json_object_get(after, "read");
    json_t *j = json_pack("{s:I, s:s, s:o, s:s?, s:s?, s:s?, s:s?, s:O?, s:O?, s:O?}", "seq",
                          (json_int_t)en->seq, "chain", en->in_read_chain ? "reads" : "changes",
                          "at", json_time(en->at), "user", en->actor, "via",
                          en->via, "action", en->action, "object", en->object_ref, "purpose",
                          purpose ? purpose : json_null(), "justification", just ? just : json_null(),
                          "read", read ? read : json_null());
    json_t *refused = json_object_get(after, "refused"); /* access.refused (review 81 L7) */
    if (json_is_object(refused))
        json_object_set(j, "refused", refused);
    json_decref(after);
    return j;
}
