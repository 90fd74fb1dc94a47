/* Rows a request reads again and again, kept per store handle while the cache epoch stands
   (sqlite_internal.h: sqs_acache_*; migration 18, schema_cache.c). Both back-ends.

   Only read transactions use it: a write transaction may change the very rows (and move the
   epoch) before it reads them, so it always reads the tables. A read transaction reads the
   epoch once, in its own snapshot; when it differs from the one the cached rows were read at,
   the cache is emptied first. So whatever a read transaction is served from here is what it
   would have read from the tables in its snapshot. One exception, on PostgreSQL only: a read
   transaction begun optimistic (store.h begin_read_optimistic) is served at the epoch the
   handle last saw before its own is read (the driver's guess_epoch); its first round trip
   reads the epoch, and when the guess was wrong the cache is rebased (sqs_acache_rebase) and
   the caller told to throw away what it read (read_stale). The rows are copied out into the caller's
   arena: nothing returned points into the cache. A user's security row holds the sealed TOTP
   secret (never the clear one); the cache wipes it when it drops it. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sqlite_internal.h"

enum { ACACHE_MAX = 256 }; /* rows of one kind; the cache is emptied when one kind is full */

typedef struct setting_hist {
    char *name;
    iom_setting_t *v;
    size_t n;
} setting_hist;

struct sq_acache {
    int64_t epoch;                        /* cache_epoch.n the rows were read at */
    iom_user_t users[ACACHE_MAX];
    size_t nusers;
    iom_api_token_t tokens[ACACHE_MAX];   /* looked up by hash */
    size_t ntokens;
    struct {
        int64_t user_id;
        iom_user_security_t sec;
    } secs[ACACHE_MAX];
    size_t nsecs;
    bool have_totp_roles;
    iom_roles totp_roles;
    bool have_holidays;
    iom_holiday_t *holidays;
    size_t nholidays;
    setting_hist hist[32];
    size_t nhist;
};

static char *dup(const char *s) { return s ? strdup(s) : NULL; }
static char *adup(iom_arena *a, const char *s) { return s ? iom_arena_strdup(a, s) : NULL; }

static void free_user(iom_user_t *u)
{
    free(u->name);
    free(u->agency);
    if (u->pw_hash) { /* an Argon2id string: wiped as the sealed TOTP secret is */
        sodium_memzero(u->pw_hash, strlen(u->pw_hash));
        free(u->pw_hash);
    }
    free(u->agency_region);
}

static void free_settings(iom_setting_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].value_json);
        free(v[i].reason);
        free(v[i].changed_by_name);
    }
    free(v);
}

static void empty(sq_acache *c)
{
    for (size_t i = 0; i < c->nusers; i++)
        free_user(&c->users[i]);
    for (size_t i = 0; i < c->ntokens; i++) {
        free(c->tokens[i].user_name);
        free(c->tokens[i].created_by_name);
    }
    for (size_t i = 0; i < c->nsecs; i++)
        if (c->secs[i].sec.totp_secret) {
            sodium_memzero(c->secs[i].sec.totp_secret, strlen(c->secs[i].sec.totp_secret));
            free(c->secs[i].sec.totp_secret);
        }
    for (size_t i = 0; i < c->nholidays; i++) {
        free(c->holidays[i].day);
        free(c->holidays[i].name);
    }
    free(c->holidays);
    for (size_t i = 0; i < c->nhist; i++) {
        free(c->hist[i].name);
        free_settings(c->hist[i].v, c->hist[i].n);
    }
    int64_t epoch = c->epoch;
    sodium_memzero(c, sizeof *c);
    c->epoch = epoch;
}

void sqs_acache_free(sq_store *s)
{
    if (!s->acache)
        return;
    empty(s->acache);
    free(s->acache);
    s->acache = NULL;
}

sq_acache *sqs_acache(sq_store *s)
{
    if (!s->acache_ok || !s->in_tx || s->tx_write)
        return NULL;
    if (s->tx_epoch < 0 && s->acache && s->drv->guess_epoch && s->drv->guess_epoch(s, s->acache->epoch))
        s->tx_epoch = s->acache->epoch; /* checked by the back-end in its first round trip */
    if (s->tx_epoch < 0) {
        iom_error e = {0};
        db_stmt *st = sqs_prep(s, "SELECT n FROM cache_epoch WHERE one = 1", &e);
        if (!st)
            return NULL;
        int rc = db_step(st);
        if (rc == DB_ROW)
            s->tx_epoch = db_col_int64(st, 0);
        sqs_done(s, st);
        if (rc != DB_ROW)
            return NULL; /* the statement's failure is the next one's to report */
    }
    if (!s->acache && !(s->acache = calloc(1, sizeof *s->acache)))
        return NULL;
    if (s->acache->epoch != s->tx_epoch) {
        empty(s->acache);
        s->acache->epoch = s->tx_epoch;
    }
    return s->acache;
}

void sqs_acache_rebase(sq_store *s, int64_t epoch)
{
    if (s->acache && s->acache->epoch != epoch) {
        empty(s->acache);
        s->acache->epoch = epoch;
    }
}

/* ---- users ---- */

bool sqs_acache_user(sq_acache *c, const char *name, iom_arena *a, iom_user_t *out)
{
    for (size_t i = 0; c && name && i < c->nusers; i++)
        if (c->users[i].name && strcmp(c->users[i].name, name) == 0) {
            const iom_user_t *u = &c->users[i];
            *out = *u;
            out->name = adup(a, u->name);
            out->agency = adup(a, u->agency);
            out->pw_hash = adup(a, u->pw_hash);
            out->agency_region = adup(a, u->agency_region);
            out->directory_only = false;
            return true;
        }
    return false;
}

void sqs_acache_user_put(sq_acache *c, const iom_user_t *u)
{
    if (!c || !u->name)
        return;
    if (c->nusers == ACACHE_MAX)
        empty(c);
    iom_user_t *d = &c->users[c->nusers++];
    *d = *u;
    d->name = dup(u->name);
    d->agency = dup(u->agency);
    d->pw_hash = dup(u->pw_hash);
    d->agency_region = dup(u->agency_region);
}

/* ---- API tokens, by hash ---- */

bool sqs_acache_token(sq_acache *c, const char *hash, iom_arena *a, iom_api_token_t *out)
{
    for (size_t i = 0; c && hash && i < c->ntokens; i++)
        if (strcmp(c->tokens[i].token_hash, hash) == 0) {
            *out = c->tokens[i];
            out->user_name = adup(a, c->tokens[i].user_name);
            out->created_by_name = adup(a, c->tokens[i].created_by_name);
            return true;
        }
    return false;
}

void sqs_acache_token_put(sq_acache *c, const iom_api_token_t *t)
{
    if (!c)
        return;
    if (c->ntokens == ACACHE_MAX)
        empty(c);
    iom_api_token_t *d = &c->tokens[c->ntokens++];
    *d = *t;
    d->user_name = dup(t->user_name);
    d->created_by_name = dup(t->created_by_name);
}

/* ---- a user's security row ---- */

bool sqs_acache_security(sq_acache *c, int64_t user_id, iom_arena *a, iom_user_security_t *out)
{
    for (size_t i = 0; c && i < c->nsecs; i++)
        if (c->secs[i].user_id == user_id) {
            *out = c->secs[i].sec;
            out->totp_secret = adup(a, c->secs[i].sec.totp_secret);
            return true;
        }
    return false;
}

void sqs_acache_security_put(sq_acache *c, int64_t user_id, const iom_user_security_t *x)
{
    if (!c)
        return;
    if (c->nsecs == ACACHE_MAX)
        empty(c);
    c->secs[c->nsecs].user_id = user_id;
    c->secs[c->nsecs].sec = *x;
    c->secs[c->nsecs].sec.totp_secret = dup(x->totp_secret);
    c->nsecs++;
}

/* ---- the roles that need TOTP ---- */

bool sqs_acache_totp_roles(sq_acache *c, iom_roles *out)
{
    if (!c || !c->have_totp_roles)
        return false;
    *out = c->totp_roles;
    return true;
}

void sqs_acache_totp_roles_put(sq_acache *c, iom_roles r)
{
    if (c) {
        c->totp_roles = r;
        c->have_totp_roles = true;
    }
}

/* ---- holidays ---- */

bool sqs_acache_holidays(sq_acache *c, iom_arena *a, iom_holiday_t **out, size_t *n)
{
    if (!c || !c->have_holidays)
        return false;
    iom_holiday_t *v = iom_arena_alloc(a, (c->nholidays ? c->nholidays : 1) * sizeof *v);
    for (size_t i = 0; i < c->nholidays; i++)
        v[i] = (iom_holiday_t){adup(a, c->holidays[i].day), adup(a, c->holidays[i].name)};
    *out = v;
    *n = c->nholidays;
    return true;
}

void sqs_acache_holidays_put(sq_acache *c, const iom_holiday_t *v, size_t n)
{
    if (!c || c->have_holidays)
        return;
    if (n && !(c->holidays = calloc(n, sizeof *c->holidays)))
        return;
    for (size_t i = 0; i < n; i++)
        c->holidays[i] = (iom_holiday_t){dup(v[i].day), dup(v[i].name)};
    c->nholidays = n;
    c->have_holidays = true;
}

/* ---- every version of one setting ---- */

bool sqs_acache_setting_history(sq_acache *c, const char *name, iom_arena *a, iom_setting_t **out,
                                size_t *n)
{
    for (size_t i = 0; c && name && i < c->nhist; i++)
        if (c->hist[i].name && strcmp(c->hist[i].name, name) == 0) {
            const setting_hist *h = &c->hist[i];
            iom_setting_t *v = iom_arena_alloc(a, (h->n ? h->n : 1) * sizeof *v);
            for (size_t k = 0; k < h->n; k++) {
                v[k] = h->v[k];
                v[k].name = adup(a, h->v[k].name);
                v[k].value_json = adup(a, h->v[k].value_json);
                v[k].reason = adup(a, h->v[k].reason);
                v[k].changed_by_name = adup(a, h->v[k].changed_by_name);
            }
            *out = v;
            *n = h->n;
            return true;
        }
    return false;
}

void sqs_acache_setting_history_put(sq_acache *c, const char *name, const iom_setting_t *v, size_t n)
{
    if (!c || !name)
        return;
    if (c->nhist == sizeof c->hist / sizeof c->hist[0])
        empty(c);
    setting_hist *h = &c->hist[c->nhist];
    h->v = n ? calloc(n, sizeof *h->v) : NULL;
    if (n && !h->v)
        return;
    h->name = dup(name);
    for (size_t k = 0; k < n; k++) {
        h->v[k] = v[k];
        h->v[k].name = dup(v[k].name);
        h->v[k].value_json = dup(v[k].value_json);
        h->v[k].reason = dup(v[k].reason);
        h->v[k].changed_by_name = dup(v[k].changed_by_name);
    }
    h->n = n;
    c->nhist++;
}
