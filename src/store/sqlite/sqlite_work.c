/* SQLite back-end: the work area (store/work_store.h). */
#include "store/sqlite/sqlite_internal.h"
#include "store/work_store.h"

static iom_err count1(sq_store *s, const char *sql, int64_t id, const char *text, int64_t *out,
                      iom_error *e, const char *what)
{
    sqlite3_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    if (text)
        sqs_bind_text(st, 2, text);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    iom_err err = rc == SQLITE_ROW ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

static iom_err w_intel_pending_count(iom_store *is, int64_t tasking_id, int64_t *out, iom_error *e)
{
    static const char sql[] = "SELECT count(*) FROM intel_item WHERE tasking_id = ?1 AND is_current = 1"
                              " AND pnd_status = 'pending'";
    return count1(SQ(is), sql, tasking_id, NULL, out, e, "pending intelligence");
}

static iom_err w_products_delivered(iom_store *is, int64_t tasking_id, const char *type, int64_t *out,
                                    iom_error *e)
{
    static const char sql[] = "SELECT count(*) FROM product WHERE tasking_id = ?1 AND type = ?2"
                              " AND delivered_at IS NOT NULL";
    return count1(SQ(is), sql, tasking_id, type, out, e, "delivered products");
}

const struct iom_store_work_ops sqlite_work_ops = {
    .version = 1,
    .intel_pending_count = w_intel_pending_count,
    .products_delivered = w_products_delivered,
};
