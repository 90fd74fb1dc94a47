#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "store/pg/pg_store.h"
#include "store/sqlite/sqlite_store.h"

void iom_store_redact(const char *location, char *out, size_t cap)
{
    /* the authority: after "://", up to the first '/', '?' or '#'; its userinfo ends at its
       last '@' and a password follows the userinfo's first ':' */
    const char *auth = strstr(location, "://"), *at = NULL, *colon = NULL;
    if (auth) {
        auth += 3;
        size_t len = strcspn(auth, "/?#");
        for (size_t i = 0; i < len; i++)
            if (auth[i] == '@')
                at = auth + i;
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    }
    size_t k = 0;
    const char *p = location;
    while (*p && k + 13 < cap) {
        if (p == colon) { /* user:PASSWORD@ */
            memcpy(out + k, ":***", 4);
            k += 4;
            p = at;
            continue;
        }
        bool param = p > location && (p[-1] == '?' || p[-1] == '&');
        if (param && strncmp(p, "password=", 9) == 0) { /* ?password=VALUE */
            memcpy(out + k, "password=***", 12);
            k += 12;
            p += 9 + strcspn(p + 9, "&#");
            continue;
        }
        out[k++] = *p++;
    }
    out[k] = '\0';
}

void iom_store_scrub(char *location)
{
    const char *auth = strstr(location, "://"), *at = NULL, *colon = NULL;
    if (auth) {
        auth += 3;
        size_t len = strcspn(auth, "/?#");
        for (size_t i = 0; i < len; i++)
            if (auth[i] == '@')
                at = auth + i;
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    }
    if (colon)
        for (char *p = (char *)colon + 1; p < at; p++)
            *p = '*';
    for (char *p = location + 1; *p; p++)
        if ((p[-1] == '?' || p[-1] == '&') && strncmp(p, "password=", 9) == 0)
            for (p += 9; *p && *p != '&' && *p != '#'; p++)
                *p = '*';
}

iom_err iom_store_open(const char *location, int flags, iom_store **out, iom_error *e)
{
    *out = NULL;
    if (!location || !*location)
        return iom_fail(e, IOM_EINVAL, "database: no location given (use --db PATH or IOM_DB)");
    if (store_is_pg(location))
        return store_pg_open(location, flags, out, e);
    return store_sqlite_open(location, flags, out, e);
}

iom_err iom_store_restore(const char *from, const char *to, bool force, int *schema, iom_error *e)
{
    *schema = 0;
    if (!from || !*from || !to || !*to)
        return iom_fail(e, IOM_EINVAL, "restore: give the backup (--from FILE) and the database (--db PATH)");
    if (store_is_pg(from))
        return iom_fail(e, IOM_EINVAL, "restore: --from is a backup FILE, not a database; `iom copy --from DB "
                        "--to DB` copies a database");
    if (store_is_pg(to))
        return store_pg_restore(from, to, force, schema, e);
    if (store_pg_is_dump(from))
        return iom_fail(e, IOM_EINVAL, "restore: '%s' is a backup of a PostgreSQL database: restore it into "
                        "one (--db postgresql://...); `iom copy` moves a database between back-ends", from);
    return store_sqlite_restore(from, to, force, schema, e);
}

bool iom_store_is_pg_backup(const char *file)
{
    return file && store_pg_is_dump(file);
}

void iom_store_close(iom_store *s)
{
    if (s)
        s->ops->close(s);
}
