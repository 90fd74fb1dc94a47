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

void iom_store_close(iom_store *s)
{
    if (s)
        s->ops->close(s);
}
