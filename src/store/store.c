#include "store/store.h"

#include <string.h>

#include "store/sqlite/sqlite_store.h"

iom_err iom_store_open(const char *location, int flags, iom_store **out, iom_error *e)
{
    *out = NULL;
    if (!location || !*location)
        return iom_fail(e, IOM_EINVAL, "database: no location given (use --db PATH or IOM_DB)");
    if (strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0)
        return iom_fail(e, IOM_EINVAL,
                        "database: '%s': the PostgreSQL back-end is not built into this binary yet",
                        location);
    return store_sqlite_open(location, flags, out, e);
}

static bool is_pg(const char *location)
{
    return strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0;
}

iom_err iom_store_restore(const char *from, const char *to, bool force, int *schema, iom_error *e)
{
    *schema = 0;
    if (!from || !*from || !to || !*to)
        return iom_fail(e, IOM_EINVAL, "restore: give the backup (--from FILE) and the database (--db PATH)");
    if (is_pg(from) || is_pg(to))
        return iom_fail(e, IOM_EINVAL, "restore: the PostgreSQL back-end is not built into this binary yet");
    return store_sqlite_restore(from, to, force, schema, e);
}

void iom_store_close(iom_store *s)
{
    if (s)
        s->ops->close(s);
}
