#include "app/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/json.h"
#include "domain/ref.h"
#include "store/auth_store.h"

const char *audit_key_path(iom_arena *a, const char *db_path)
{
    const char *env = getenv("IOM_AUDIT_KEY");
    if (env && *env)
        return iom_arena_strdup(a, env);
    return iom_arena_printf(a, "%s.key", db_path);
}

iom_err audit_key_create(const char *path, unsigned char key[IOM_AUDIT_KEY_BYTES], iom_error *e)
{
    if (sodium_init() < 0)
        return iom_fail(e, IOM_EIO, "audit key: libsodium could not initialise");
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
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return iom_fail(e, IOM_EIO,
                        "audit key '%s': %s (the key is created by `iom init` beside the database, "
                        "or named by IOM_AUDIT_KEY)",
                        path, strerror(errno));
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

iom_err audit_record(iom_ctx *c, const char *action, const char *object_ref,
                     const char *before_json, const char *after_json)
{
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY,
                        "audit: no audit key loaded; every change must be audited");
    int64_t seq;
    char prev[65];
    iom_err err = c->store->ops->audit_head(c->store, &seq, prev, &c->err);
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
    long long seq;
    char hash[65];
    int used = 0;
    if (!text || sscanf(text, " iom-audit-checkpoint seq=%lld hash=%64[0-9a-f]%n", &seq, hash, &used) != 2 ||
        strlen(hash) != 64 || seq < 0)
        return iom_fail(e, IOM_EINVAL,
                        "checkpoint: expected a line 'iom-audit-checkpoint seq=N hash=<64 hex>'");
    out->seq = seq;
    memcpy(out->hash, hash, sizeof hash);
    return IOM_OK;
}

typedef struct verify_state {
    iom_ctx *c;
    audit_verify_result *r;
    char prev[65];
    int64_t expect;
    const audit_checkpoint *cp;
    bool cp_seen;
    char why[256];
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
    audit_entry_hash(v->c->audit_key, v->prev, en, h);
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
            snprintf(v->why, sizeof v->why, "entry %lld differs from the checkpoint's hash",
                     (long long)en->seq);
            return 1;
        }
    }
    memcpy(v->prev, en->hash, sizeof v->prev);
    memcpy(v->r->head, en->hash, sizeof v->r->head);
    v->expect++;
    return 0;
}

iom_err app_audit_verify(iom_ctx *c, const audit_checkpoint *cp, audit_verify_result *out)
{
    memset(out, 0, sizeof *out);
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN) | IOM_ROLE_BIT(IOM_ROLE_AUDITOR),
                                "audit verify")))
        return app_end(c, err);
    if (!c->has_audit_key)
        return app_end(c, iom_fail(&c->err, IOM_EINTEGRITY, "audit verify: no audit key loaded"));
    verify_state v = {.c = c, .r = out, .expect = 1, .cp = cp};
    err = c->store->ops->audit_scan(c->store, NULL, 0, verify_one, &v, &c->err);
    app_end(c, IOM_OK); /* read-only: nothing to keep */
    if (err)
        return err;
    if (out->first_bad)
        return iom_fail(&c->err, IOM_EINTEGRITY, "audit chain broken at entry %lld: %s",
                        (long long)out->first_bad, v.why);
    if (cp && cp->seq > 0 && !v.cp_seen) {
        out->first_bad = out->entries + 1;
        return iom_fail(&c->err, IOM_EINTEGRITY,
                        "audit chain truncated: the checkpoint names entry %lld but the chain ends "
                        "at entry %lld; entry %lld onwards were removed",
                        (long long)cp->seq, (long long)out->entries, (long long)out->entries + 1);
    }
    return IOM_OK;
}

iom_err app_audit_checkpoint(iom_ctx *c, audit_checkpoint *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN) | IOM_ROLE_BIT(IOM_ROLE_AUDITOR),
                                "audit checkpoint")))
        return app_end(c, err);
    err = c->store->ops->audit_head(c->store, &out->seq, out->hash, &c->err);
    return app_end(c, err);
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
    err = c->store->ops->audit_scan(c->store, object, 0, log_one, &s, &c->err);
    *out = s.v;
    *n = s.n;
    return app_end(c, err);
}

iom_err app_audit_log_page(iom_ctx *c, const char *object, int64_t after_seq, size_t limit,
                           iom_audit_t **out, size_t *n, int64_t *next)
{
    *out = NULL;
    *n = 0;
    *next = 0;
    if (limit < 1 || limit > 1000)
        return iom_fail(&c->err, IOM_EINVAL, "limit: must be from 1 to 1000");
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_AUDITOR), "audit log")))
        return app_end(c, err);
    log_state s = {.a = c->arena, .limit = limit};
    err = c->store->ops->audit_scan(c->store, object, after_seq, log_one, &s, &c->err);
    if (!err && s.n > limit) {
        s.n = limit;
        *next = s.v[limit - 1].seq;
    }
    *out = s.v;
    *n = s.n;
    return app_end(c, err);
}

/* ---- the read-purpose log ---------------------------------------------------------------- */

const char *const audit_read_actions[] = {"tasking.read", "intel.consult", "product.disclose", NULL};

#define READS_DEFAULT 50
#define READS_MAX 1000

iom_err app_audit_reads(iom_ctx *c, const app_audit_reads_query *q, iom_audit_t **out, size_t *n,
                        const char **next)
{
    *out = NULL;
    *n = 0;
    *next = NULL;
    size_t limit = q->limit ? q->limit : READS_DEFAULT;
    if (limit > READS_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of %d", limit, READS_MAX);
    int64_t after = 0;
    if (q->after) {
        char *end;
        errno = 0;
        long long v = strtoll(q->after, &end, 10);
        if (!*q->after || *end || errno || v < 0)
            return iom_fail(&c->err, IOM_EINVAL, "after: '%.40s' is not a cursor returned as \"next\"",
                            q->after);
        after = v;
    }
    if ((q->user && strlen(q->user) > 64) || (q->object && strlen(q->object) > 200))
        return iom_fail(&c->err, IOM_EINVAL, "%s: too long", q->object && strlen(q->object) > 200 ? "object" : "user");
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_AUDITOR) | IOM_ROLE_BIT(IOM_ROLE_ADMIN),
                                "audit reads")))
        return app_end(c, err);
    /* One more than a page tells whether another page follows. */
    iom_audit_read_filter f = {.actions = audit_read_actions, .actor = q->user,
                               .object_ref = q->object, .after_seq = after, .limit = limit + 1};
    err = c->store->ops->auth->audit_reads(c->store, &f, c->arena, out, n, &c->err);
    if (!err && *n > limit) {
        *n = limit;
        *next = iom_arena_printf(c->arena, "%lld", (long long)(*out)[limit - 1].seq);
    }
    return app_end(c, err);
}

json_t *json_of_read_entry(const iom_audit_t *en)
{
    json_t *after = en->after_json ? json_loads(en->after_json, 0, NULL) : NULL;
    json_t *purpose = json_object_get(after, "purpose");
    json_t *just = json_object_get(after, "justification");
    json_t *read = json_object_get(after, "read");
    json_t *j = json_pack("{s:I, s:o, s:s?, s:s?, s:s?, s:s?, s:O?, s:O?, s:O?}", "seq",
                          (json_int_t)en->seq, "at", json_time(en->at), "user", en->actor, "via",
                          en->via, "action", en->action, "object", en->object_ref, "purpose",
                          purpose ? purpose : json_null(), "justification", just ? just : json_null(),
                          "read", read ? read : json_null());
    json_decref(after);
    return j;
}
