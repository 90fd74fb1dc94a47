/* Versioned settings in SQLite (store/settings_store.h; the table of migration 8). */
#include <string.h>

#include "store/settings_store.h"
#include "store/sqlite/sqlite_internal.h"

#define SETTING_COLS                                                                           \
    "s.name, s.version, s.value_json, s.reason, s.changed_by, s.changed_at, u.name "           \
    "FROM setting s LEFT JOIN \"user\" u ON u.id = s.changed_by "

static void setting_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_setting_t *o = p;
    memset(o, 0, sizeof *o);
    o->name = sqs_col_text(st, 0, a);
    o->version = db_col_int64(st, 1);
    o->value_json = sqs_col_text(st, 2, a);
    o->reason = sqs_col_text(st, 3, a);
    o->changed_by = db_col_int64(st, 4);
    o->changed_at = db_col_int64(st, 5);
    o->changed_by_name = sqs_col_text(st, 6, a);
}

static iom_err st_current(iom_store *is, iom_arena *a, iom_setting_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    /* the latest version of each name: one look-up of UNIQUE(name, version) a name */
    static const char sql[] =
        "SELECT s.name, s.version, s.value_json, s.reason, s.changed_by, s.changed_at, "
        "u.name FROM setting s LEFT JOIN \"user\" u ON u.id = s.changed_by "
        "WHERE s.version = (SELECT max(v.version) FROM setting v WHERE v.name = s.name) "
        "ORDER BY s.name";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    return sqs_collect(s, st, a, sizeof **out, setting_row, (void **)out, n, e, "settings");
}

static iom_err st_history(iom_store *is, const char *name, int64_t before_version, size_t limit,
                          iom_arena *a, iom_setting_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT " SETTING_COLS "WHERE s.name = ?1 AND (?2 = 0 OR s.version < ?2) "
        "ORDER BY s.version DESC LIMIT ?3";
    sq_acache *c = before_version == 0 && limit == 0 ? sqs_acache(s) : NULL; /* every version */
    if (sqs_acache_setting_history(c, name, a, out, n))
        return IOM_OK;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, name);
    db_bind_int64(st, 2, before_version);
    db_bind_int64(st, 3, limit ? (int64_t)limit : INT64_MAX);
    iom_err err = sqs_collect(s, st, a, sizeof **out, setting_row, (void **)out, n, e, "setting history");
    if (!err)
        sqs_acache_setting_history_put(c, name, *out, *n);
    return err;
}

static iom_err st_insert(iom_store *is, const iom_setting_t *x, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO setting(name, version, value_json, reason, changed_by, changed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, x->name);
    db_bind_int64(st, 2, x->version);
    sqs_bind_text(st, 3, x->value_json);
    sqs_bind_text(st, 4, x->reason);
    if (x->changed_by)
        db_bind_int64(st, 5, x->changed_by);
    else
        db_bind_null(st, 5);
    db_bind_int64(st, 6, x->changed_at);
    iom_err err = sqs_step_done(s, st, e, "setting");
    if (err == IOM_ECONFLICT || (err == IOM_EINVAL && e && strstr(e->msg, "next number")))
        return iom_fail(e, IOM_ECONFLICT, "setting %s: version %lld is not the next one "
                                          "(another change came first)",
                        x->name, (long long)x->version);
    return err;
}

const struct iom_store_settings_ops sqlite_settings_ops = {
    .version = 1,
    .current = st_current,
    .history = st_history,
    .insert = st_insert,
};
