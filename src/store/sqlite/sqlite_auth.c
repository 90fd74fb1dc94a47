/* SQLite back-end: the authentication area (store/auth_store.h). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "store/auth_store.h"
#include "store/sqlite/sqlite_internal.h"

static void copy_hash(char dst[IOM_TOKEN_HASH_HEX], db_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    snprintf(dst, IOM_TOKEN_HASH_HEX, "%s", t ? (const char *)t : "");
}

static iom_err au_session_insert(iom_store *is, iom_session_t *x, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO auth_session(token_hash, csrf_hash, user_id, created_at, last_seen, expires_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, x->token_hash);
    sqs_bind_text(st, 2, x->csrf_hash);
    db_bind_int64(st, 3, x->user_id);
    db_bind_int64(st, 4, x->created_at);
    db_bind_int64(st, 5, x->last_seen);
    db_bind_int64(st, 6, x->expires_at);
    iom_err err = sqs_step_done(s, st, e, "session");
    if (!err)
        x->id = db_last_id(s);
    return err;
}

static void session_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_session_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = db_col_int64(st, 0);
    copy_hash(o->token_hash, st, 1);
    copy_hash(o->csrf_hash, st, 2);
    o->user_id = db_col_int64(st, 3);
    o->created_at = db_col_int64(st, 4);
    o->last_seen = db_col_int64(st, 5);
    o->expires_at = db_col_int64(st, 6);
    o->user_name = sqs_col_text(st, 7, a);
}

static iom_err au_session_get(iom_store *is, const char *hash, iom_arena *a, iom_session_t *o,
                              iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT se.id, se.token_hash, se.csrf_hash, se.user_id, se.created_at, se.last_seen,"
        " se.expires_at, u.name FROM auth_session se JOIN \"user\" u ON u.id = se.user_id"
        " WHERE se.token_hash = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, hash);
    return sqs_fetch_one(s, st, a, session_row, o, e, "session", "session: no such session");
}

static iom_err au_session_touch(iom_store *is, int64_t id, int64_t now, int64_t expires_at, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "UPDATE auth_session SET last_seen = ?2, expires_at = ?3 WHERE id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, now);
    db_bind_int64(st, 3, expires_at);
    return sqs_step_done(s, st, e, "session touch");
}

static iom_err au_session_delete(iom_store *is, const char *hash, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "DELETE FROM auth_session WHERE token_hash = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, hash);
    return sqs_step_done(s, st, e, "session delete");
}

static iom_err au_session_purge(iom_store *is, int64_t now, int64_t idle_cutoff, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "DELETE FROM auth_session WHERE expires_at <= ?1 OR last_seen < ?2";
    /* and failed sign-ins counted a week ago or more, no longer locking (review 58: every user
       name tried kept a row for ever) */
    static const char fail[] = "DELETE FROM login_failure WHERE locked_until <= ?1 AND first_at < ?1 - 604800";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, now);
    db_bind_int64(st, 2, idle_cutoff);
    iom_err err = sqs_step_done(s, st, e, "session purge");
    if (err || !(st = sqs_prep(s, fail, e)))
        return err ? err : IOM_ESTORE;
    db_bind_int64(st, 1, now);
    return sqs_step_done(s, st, e, "sign-in failures purge");
}

static iom_err au_token_insert(iom_store *is, iom_api_token_t *t, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO api_token(token_hash, user_id, created_by, created_at, expires_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)";
    static const char setref[] =
        "UPDATE api_token SET ref = iom_ref('TOK', id) WHERE id = ?1 RETURNING ref";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, t->token_hash);
    db_bind_int64(st, 2, t->user_id);
    if (t->created_by)
        db_bind_int64(st, 3, t->created_by);
    else
        db_bind_null(st, 3);
    db_bind_int64(st, 4, t->created_at);
    db_bind_int64(st, 5, t->expires_at);
    iom_err err = sqs_step_done(s, st, e, "api token");
    if (err)
        return err;
    t->id = db_last_id(s);
    if (!(st = sqs_prep(s, setref, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->id);
    if (db_step(st) != DB_ROW) {
        err = sqs_fail(s, e, "api token reference");
        sqs_done(s, st);
        return err;
    }
    snprintf(t->ref, sizeof t->ref, "%s", (const char *)db_col_text(st, 0));
    sqs_done(s, st);
    return IOM_OK;
}

static void token_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_api_token_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = db_col_int64(st, 0);
    snprintf(o->ref, sizeof o->ref, "%s", (const char *)db_col_text(st, 1));
    copy_hash(o->token_hash, st, 2);
    o->user_id = db_col_int64(st, 3);
    o->created_by = db_col_int64(st, 4);
    o->created_at = db_col_int64(st, 5);
    o->expires_at = db_col_int64(st, 6);
    o->revoked_at = db_col_int64(st, 7);
    o->user_name = sqs_col_text(st, 8, a);
    o->created_by_name = sqs_col_text(st, 9, a);
}

/* An API token with its user's and creator's names; token_row decodes it. */
#define TOKEN_SELECT                                                                           \
    "SELECT t.id, t.ref, t.token_hash, t.user_id, coalesce(t.created_by, 0), t.created_at,"     \
    " t.expires_at, t.revoked_at, u.name, cb.name FROM api_token t"                             \
    " JOIN \"user\" u ON u.id = t.user_id LEFT JOIN \"user\" cb ON cb.id = t.created_by"

static iom_err au_token_list(iom_store *is, int64_t user_id, iom_arena *a, iom_api_token_t **out,
                             size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = TOKEN_SELECT " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.ref";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, user_id);
    return sqs_collect(s, st, a, sizeof **out, token_row, (void **)out, n, e, "api tokens");
}

static iom_err au_token_get(iom_store *is, const char *hash, const char *ref, iom_arena *a,
                            iom_api_token_t *o, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        TOKEN_SELECT " WHERE (?1 IS NOT NULL AND t.token_hash = ?1) OR (?2 IS NOT NULL AND t.ref = ?2)";
    sq_acache *c = hash && !ref ? sqs_acache(s) : NULL;
    if (sqs_acache_token(c, hash, a, o))
        return IOM_OK;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, hash);
    sqs_bind_text(st, 2, ref);
    iom_err err = sqs_fetch_one(s, st, a, token_row, o, e, "api token", "token: no such API token");
    if (!err)
        sqs_acache_token_put(c, o);
    return err;
}

static iom_err au_token_revoke(iom_store *is, int64_t id, int64_t now, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, now);
    return sqs_step_done(s, st, e, "api token revoke");
}

static iom_err au_failure_get(iom_store *is, const char *key, iom_login_failure_t *o, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT failures, first_at, locked_until FROM login_failure WHERE key = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, key);
    memset(o, 0, sizeof *o);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        o->failures = db_col_int64(st, 0);
        o->first_at = db_col_int64(st, 1);
        o->locked_until = db_col_int64(st, 2);
    }
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "login failures");
    sqs_done(s, st);
    return err;
}

static iom_err au_failure_put(iom_store *is, const char *key, const iom_login_failure_t *f,
                              iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO login_failure(key, failures, first_at, locked_until) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at,"
        " locked_until = excluded.locked_until";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, key);
    db_bind_int64(st, 2, f->failures);
    db_bind_int64(st, 3, f->first_at);
    db_bind_int64(st, 4, f->locked_until);
    return sqs_step_done(s, st, e, "login failures");
}

static iom_err au_failure_clear(iom_store *is, const char *key, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "DELETE FROM login_failure WHERE key = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, key);
    return sqs_step_done(s, st, e, "login failures");
}

/* ---- version 2: account security, TOTP roles, the read log ------------------------------ */

static iom_err au_security_get(iom_store *is, int64_t user_id, iom_arena *a, iom_user_security_t *o,
                               iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT must_change_password, totp_secret, totp_confirmed, totp_last_step"
        " FROM user_security WHERE user_id = ?1";
    sq_acache *c = sqs_acache(s);
    if (sqs_acache_security(c, user_id, a, o))
        return IOM_OK;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, user_id);
    memset(o, 0, sizeof *o);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        o->must_change_password = db_col_int(st, 0) != 0;
        o->totp_secret = sqs_col_text(st, 1, a);
        o->totp_confirmed = db_col_int(st, 2) != 0;
        o->totp_last_step = db_col_int64(st, 3);
    }
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "user security");
    sqs_done(s, st);
    if (!err)
        sqs_acache_security_put(c, user_id, o);
    return err;
}

static iom_err au_security_put(iom_store *is, int64_t user_id, const iom_user_security_t *x,
                               iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO user_security(user_id, must_change_password, totp_secret, totp_confirmed,"
        " totp_last_step) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(user_id) DO UPDATE SET"
        " must_change_password = excluded.must_change_password, totp_secret = excluded.totp_secret,"
        " totp_confirmed = excluded.totp_confirmed, totp_last_step = excluded.totp_last_step";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, x->must_change_password);
    sqs_bind_text(st, 3, x->totp_secret);
    db_bind_int64(st, 4, x->totp_confirmed);
    db_bind_int64(st, 5, x->totp_last_step);
    return sqs_step_done(s, st, e, "user security");
}

static iom_err au_end_user_sessions(iom_store *is, int64_t user_id, int64_t now, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char del[] = "DELETE FROM auth_session WHERE user_id = ?1";
    static const char rev[] =
        "UPDATE api_token SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at = 0";
    db_stmt *st = sqs_prep(s, del, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, user_id);
    iom_err err = sqs_step_done(s, st, e, "end sessions");
    if (err)
        return err;
    if (!(st = sqs_prep(s, rev, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, now);
    return sqs_step_done(s, st, e, "revoke tokens");
}

static iom_err au_totp_roles_get(iom_store *is, iom_roles *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT role FROM role_totp";
    sq_acache *c = sqs_acache(s);
    if (sqs_acache_totp_roles(c, out))
        return IOM_OK;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    *out = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        iom_role r;
        if (iom_role_parse((const char *)db_col_text(st, 0), &r, NULL) == IOM_OK)
            *out |= IOM_ROLE_BIT(r);
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "totp roles");
    sqs_done(s, st);
    if (!err)
        sqs_acache_totp_roles_put(c, *out);
    return err;
}

static iom_err au_totp_role_set(iom_store *is, const char *role, bool on, int64_t now, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char ins[] = "INSERT INTO role_totp(role, set_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
    static const char del[] = "DELETE FROM role_totp WHERE role = ?1";
    db_stmt *st = sqs_prep(s, on ? ins : del, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, role);
    if (on)
        db_bind_int64(st, 2, now);
    return sqs_step_done(s, st, e, "totp role");
}

static void read_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_audit_t *en = out;
    memset(en, 0, sizeof *en);
    en->seq = db_col_int64(st, 0);
    en->at = db_col_int64(st, 1);
    en->actor = sqs_col_text(st, 2, a);
    en->os_user = sqs_col_text(st, 3, a);
    en->via = sqs_col_text(st, 4, a);
    en->action = sqs_col_text(st, 5, a);
    en->object_ref = sqs_col_text(st, 6, a);
    en->before_json = sqs_col_text(st, 7, a);
    en->after_json = sqs_col_text(st, 8, a);
    const char *h = db_col_text(st, 9);
    snprintf(en->hash, sizeof en->hash, "%s", h ? (const char *)h : "");
}

#define READ_ACTIONS_MAX 8
#define READ_COLS "SELECT seq, at, actor, os_user, via, action, object_ref, before_json, after_json, hash FROM audit"

/* True when actions are exactly the reads of SQS_AUDIT_READ_WHERE (the partial index). */
static bool are_read_actions(const char *const *actions, size_t na)
{
    static const char *const known[] = {SQS_AUDIT_READ_ACTIONS};
    const size_t nk = sizeof known / sizeof known[0];
    if (na != nk)
        return false;
    for (size_t k = 0; k < nk; k++) {
        bool found = false;
        for (size_t i = 0; i < na && !found; i++)
            found = strcmp(actions[i], known[k]) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* The parameters every audit statement below shares: ?1 the cursor, ?2 the actor, ?3 the
   object, ?4 the limit. */
static void bind_filter(db_stmt *st, const iom_audit_read_filter *f)
{
    /* newest first from the newest: below any entry number (not "?1 = 0 OR": PostgreSQL then
       typed ?1 as a 32-bit integer, and a cursor past 2^31 failed, review 111 L1) */
    db_bind_int64(st, 1, f->newest && f->after_seq == 0 ? INT64_MAX : f->after_seq);
    sqs_bind_text(st, 2, f->actor);
    sqs_bind_text(st, 3, f->object_ref);
    db_bind_int64(st, 4, (int64_t)f->limit);
}

/* Any filter (auditors' searches of the trail: an action, newest first): one statement made
   for it, a range of audit_object for one object, else of the rowid in the order asked,
   filtered as it goes (the trail of changes is written only by changes). */
static iom_err audit_filtered(sq_store *s, const iom_audit_read_filter *f, size_t na, iom_arena *a,
                              iom_audit_t **out, size_t *n, iom_error *e)
{
    char sql[1024];
    int o = snprintf(sql, sizeof sql, READ_COLS " WHERE %s AND (?2 IS NULL OR actor = ?2)"
                     " AND (?5 IS NULL OR action = ?5)",
                     f->newest ? "seq < ?1" : "seq > ?1");
    /* every parameter appears (PostgreSQL types each from its use) */
    o += snprintf(sql + o, sizeof sql - (size_t)o, f->object_ref ? " AND object_ref = ?3" : " AND ?3 IS NULL");
    if (na) {
        o += snprintf(sql + o, sizeof sql - (size_t)o, " AND action IN (");
        for (size_t i = 0; i < na; i++)
            o += snprintf(sql + o, sizeof sql - (size_t)o, "%s?%zu", i ? ", " : "", 6 + i);
        o += snprintf(sql + o, sizeof sql - (size_t)o, ")");
    }
    snprintf(sql + o, sizeof sql - (size_t)o, " ORDER BY seq%s LIMIT ?4", f->newest ? " DESC" : "");
    db_stmt *st = sqs_prep_once(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    bind_filter(st, f);
    sqs_bind_text(st, 5, f->action);
    for (size_t i = 0; i < na; i++)
        sqs_bind_text(st, 6 + (int)i, f->actions[i]);
    return sqs_collect(s, st, a, sizeof **out, read_row, (void **)out, n, e, "audit entries");
}

static iom_err au_audit_reads(iom_store *is, const iom_audit_read_filter *f, iom_arena *a,
                              iom_audit_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    /* The read actions, one object: its range of audit_object (object_ref, seq). */
    static const char by_object[] =
        READ_COLS " WHERE object_ref = ?3 AND seq > ?1 AND " SQS_AUDIT_READ_WHERE
        " AND (?2 IS NULL OR actor = ?2) ORDER BY seq LIMIT ?4";
    /* The read actions, every object: the partial index audit_reads (migration 6). */
    static const char all[] =
        READ_COLS " INDEXED BY audit_reads WHERE " SQS_AUDIT_READ_WHERE " AND seq > ?1"
        " AND (?2 IS NULL OR actor = ?2) AND ?3 IS NULL ORDER BY seq LIMIT ?4";
    /* Any other set of up to READ_ACTIONS_MAX actions, bound as ?5..?12 (unused ones NULL). */
    static const char any[] =
        READ_COLS " WHERE action IN (?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) AND seq > ?1"
        " AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR object_ref = ?3)"
        " ORDER BY seq LIMIT ?4";
    size_t na = 0;
    while (f->actions && f->actions[na])
        na++;
    if ((f->actions && na == 0) || na > READ_ACTIONS_MAX)
        return iom_fail(e, IOM_EINVAL, "audit reads: 1 to %d actions", READ_ACTIONS_MAX);
    if (!f->actions || f->action || f->newest)
        return audit_filtered(s, f, na, a, out, n, e);
    bool reads = are_read_actions(f->actions, na);
    db_stmt *st = sqs_prep(s, !reads ? any : f->object_ref ? by_object : all, e);
    if (!st)
        return IOM_ESTORE;
    bind_filter(st, f);
    if (!reads)
        for (size_t i = 0; i < na; i++)
            sqs_bind_text(st, 5 + (int)i, f->actions[i]);
    return sqs_collect(s, st, a, sizeof **out, read_row, (void **)out, n, e, "audit reads");
}

const struct iom_store_auth_ops sqlite_auth_ops = {
    .version = 3,
    .session_insert = au_session_insert,
    .session_get = au_session_get,
    .session_touch = au_session_touch,
    .session_delete = au_session_delete,
    .session_purge = au_session_purge,
    .token_insert = au_token_insert,
    .token_get = au_token_get,
    .token_revoke = au_token_revoke,
    .failure_get = au_failure_get,
    .failure_put = au_failure_put,
    .failure_clear = au_failure_clear,
    .security_get = au_security_get,
    .security_put = au_security_put,
    .end_user_sessions = au_end_user_sessions,
    .totp_roles_get = au_totp_roles_get,
    .totp_role_set = au_totp_role_set,
    .audit_reads = au_audit_reads,
    .token_list = au_token_list,
};
