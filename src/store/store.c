#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "store/pg/pg_store.h"
#include "store/sqlite/sqlite_store.h"

/* The password of a URI location's authority (after "://", up to the first '/', '?' or '#'):
   its userinfo ends at its last '@', and the password follows the userinfo's first ':'.
   *colon and *at bound it (NULL, NULL: none). */
static void userinfo(const char *location, const char **colon, const char **at)
{
    const char *auth = strstr(location, "://");
    *at = *colon = NULL;
    if (!auth)
        return;
    auth += 3;
    size_t len = strcspn(auth, "/?#");
    for (size_t i = 0; i < len; i++)
        if (auth[i] == '@')
            *at = auth + i;
    *colon = *at ? memchr(auth, ':', (size_t)(*at - auth)) : NULL;
}

void iom_store_redact(const char *location, char *out, size_t cap)
{
    const char *at, *colon;
    userinfo(location, &colon, &at);
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

/* Replaces in s[0..) every occurrence of the n bytes of secret by "***", in place (s grows
   no longer: n >= 3 is asked of a secret worth hiding; a shorter one is replaced by as many
   '*'). */
static void hide_in(char *s, const char *secret, size_t n)
{
    if (n == 0)
        return;
    size_t put = n < 3 ? n : 3;
    for (char *p = s; *p;) {
        if (strncmp(p, secret, n) != 0) {
            p++;
            continue;
        }
        memset(p, '*', put);
        memmove(p + put, p + n, strlen(p + n) + 1);
        p += put;
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Hides secret (n bytes as written in the location) in msg, as written and percent-decoded. */
static void hide_both(char *msg, const char *secret, size_t n)
{
    char dec[512];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof dec; i++) {
        int a, b;
        if (secret[i] == '%' && i + 2 < n && (a = hexval(secret[i + 1])) >= 0 && (b = hexval(secret[i + 2])) >= 0) {
            dec[k++] = (char)(a * 16 + b);
            i += 2;
        } else {
            dec[k++] = secret[i];
        }
    }
    hide_in(msg, secret, n);
    if (k && (k != n || memcmp(dec, secret, n) != 0))
        hide_in(msg, dec, k);
}

void iom_store_redact_message(const char *location, char *msg)
{
    const char *at, *colon;
    userinfo(location, &colon, &at);
    if (colon)
        hide_both(msg, colon + 1, (size_t)(at - colon - 1));
    for (const char *p = location + 1; *p; p++)
        if ((p[-1] == '?' || p[-1] == '&') && strncmp(p, "password=", 9) == 0)
            hide_both(msg, p + 9, strcspn(p + 9, "&#"));
    /* a conninfo string ("host=... password=SECRET"): its value up to the next space */
    for (const char *p = location; (p = strstr(p, "password=")); p += 9)
        if (p == location || p[-1] == ' ')
            hide_both(msg, p + 9, strcspn(p + 9, " "));
}

void iom_store_scrub(char *location)
{
    const char *at, *colon;
    userinfo(location, &colon, &at);
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
