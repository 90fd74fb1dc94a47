/* router.c: matches (method, path) against the route table. */
#include <string.h>

#include "http/internal.h"

/* A parameter value: 1..HTTP_PARAM_MAX bytes of [A-Za-z0-9._-], never "." or "..", so a
   hostile segment (traversal, NUL, control characters, SQL) never reaches a use-case. */
static bool param_ok(const char *s, size_t n)
{
    if (n == 0 || n > HTTP_PARAM_MAX)
        return false;
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* Matches path against pattern; fills params (values in a) when a is not NULL. */
static bool match(const char *pattern, const char *path, iom_arena *a, const char **names,
                  const char **values, int *n)
{
    const char *p = pattern, *q = path;
    int k = 0;
    while (*p && *q) {
        if (*p != '/' || *q != '/')
            return false;
        p++, q++;
        const char *pe = strchr(p, '/'), *qe = strchr(q, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), ql = qe ? (size_t)(qe - q) : strlen(q);
        if (pl > 2 && p[0] == '{' && p[pl - 1] == '}') {
            if (!param_ok(q, ql) || k >= HTTP_MAX_PARAMS)
                return false;
            if (a) {
                names[k] = iom_arena_strndup(a, p + 1, pl - 2);
                values[k] = iom_arena_strndup(a, q, ql);
            }
            k++;
        } else if (pl != ql || memcmp(p, q, pl) != 0) {
            return false;
        }
        p += pl, q += ql;
    }
    if (*p || *q)
        return false;
    if (n)
        *n = k;
    return true;
}

unsigned http_path_segments(const char *s)
{
    unsigned n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

const http_route *http_route_find(const char *method, const char *path, iom_arena *a,
                                  const char **names, const char **values, int *nparams,
                                  bool *path_known)
{
    *path_known = false;
    *nparams = 0;
    if (!path || path[0] != '/')
        return NULL;
    /* A literal segment is more specific than a parameter: of the routes matching under the
       method, the one with the fewest parameters wins (GET /api/v1/apmis/report before
       GET /api/v1/apmis/{ref}, POST .../{ref}/tor before POST .../{ref}/{action}). */
    const http_route *best = NULL;
    int best_k = HTTP_MAX_PARAMS + 1;
    /* a segment (literal or parameter) holds no '/': only routes with the path's count of '/'
       can match, which spares matching the other ~90% of the table's patterns (its strchr
       calls were 2.7% of a list request's CPU, perf) */
    unsigned segments = http_path_segments(path);
    /* HEAD is GET without the body (RFC 9110 9.3.2; libmicrohttpd sends no body for it) */
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    for (size_t i = 0; i < http_route_count; i++) {
        const http_route *rt = &http_routes[i];
        int k;
        if (rt->segments != segments || !match(rt->pattern, path, NULL, NULL, NULL, &k))
            continue;
        *path_known = true;
        if (strcmp(rt->method, method) == 0 && k < best_k) {
            best = rt;
            best_k = k;
        }
    }
    if (best)
        match(best->pattern, path, a, names, values, nparams);
    return best;
}

char *http_route_allow(const char *path, iom_arena *a)
{
    /* In one fixed order, whatever the order of the table's rows. */
    static const char *const order[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    char *out = "";
    for (size_t m = 0; m < sizeof order / sizeof order[0]; m++)
        for (size_t i = 0; i < http_route_count; i++)
            if (strcmp(http_routes[i].method, order[m]) == 0 &&
                match(http_routes[i].pattern, path, NULL, NULL, NULL, NULL)) {
                out = iom_arena_printf(a, "%s%s%s%s", out, *out ? ", " : "", order[m],
                                       m == 0 ? ", HEAD" : "");
                break;
            }
    return out;
}
