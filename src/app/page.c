/* page.c: paging of lists by a text key (page.h). */
#include "app/page.h"

#include <stdlib.h>
#include <string.h>

static size_t ref_prefix(const char *s);
static int ref_cmp(const char *a, const char *b);

static const char *key_at(const void *items, size_t i, size_t size, size_t key_off)
{
    const char *k;
    memcpy(&k, (const char *)items + i * size + key_off, sizeof k);
    return k ? k : "";
}

typedef struct keyed {
    const char *key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    const char *x = ((const keyed *)a)->key, *y = ((const keyed *)b)->key;
    return ref_prefix(x) && ref_prefix(y) ? ref_cmp(x, y) : strcmp(x, y);
}

iom_err app_page_apply(iom_ctx *c, const app_page *p, void *items, size_t n, size_t size,
                       size_t key_off, size_t *from, size_t *count, const char **next)
{
    if (n > 1) {
        keyed *k = iom_arena_new(c->arena, keyed, n);
        for (size_t i = 0; i < n; i++)
            k[i] = (keyed){key_at(items, i, size, key_off), i};
        qsort(k, n, sizeof *k, by_key);
        char *copy = iom_arena_alloc(c->arena, n * size);
        for (size_t i = 0; i < n; i++)
            memcpy(copy + i * size, (char *)items + k[i].index * size, size);
        memcpy(items, copy, n * size);
    }
    return app_page_sorted(c, p, items, n, size, key_off, from, count, next);
}

/* The length of a reference's prefix (`ENT-`, `TOEX-`: capitals and '-' up to its first
   digit) when the whole of s is such a reference (the rest digits and '-'), else 0. */
static size_t ref_prefix(const char *s)
{
    size_t i = 0;
    while ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-')
        i++;
    if (i == 0 || s[i - 1] != '-' || !(s[i] >= '0' && s[i] <= '9'))
        return 0;
    for (size_t j = i; s[j]; j++)
        if (!((s[j] >= '0' && s[j] <= '9') || s[j] == '-' || s[j] == '.'))
            return 0;
    return i;
}

iom_err app_page_cursor(iom_ctx *c, const char *after, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (!after || (ref_prefix(after) == pl && strncmp(after, prefix, pl) == 0))
        return IOM_OK;
    return iom_fail(&c->err, IOM_EINVAL, "after: '%.64s' is not in this list (its cursors are "
                                         "references %s...)", after, prefix);
}

/* Reference order: runs of digits compare as numbers (leading zeros aside), the rest byte by
   byte, so ENT-1 is ENT-000001 and ENT-1000000 follows ENT-999999 (review 111 L2: a cursor
   compared as text, ENT-1, gave an empty last page although ENT-1 names ENT-000001). */
static int ref_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t la = 0, lb = 0;
            while (a[la] >= '0' && a[la] <= '9')
                la++;
            while (b[lb] >= '0' && b[lb] <= '9')
                lb++;
            if (la != lb)
                return la < lb ? -1 : 1;
            int d = strncmp(a, b, la);
            if (d)
                return d;
            a += la;
            b += lb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return (*a != 0) - (*b != 0);
}

iom_err app_page_sorted(iom_ctx *c, const app_page *p, void *items, size_t n, size_t size,
                        size_t key_off, size_t *from, size_t *count, const char **next)
{
    size_t limit = p && p->limit ? p->limit : APP_PAGE_DEFAULT;
    if (limit > APP_PAGE_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of %d", limit,
                        APP_PAGE_MAX);
    /* a list of references pages after a reference of its kind, which may have gone since
       (the page then starts where it stood), written as a path takes it (any case, any zero
       padding); anything else is no cursor of this list */
    const char *after = p ? p->after : NULL;
    if (after) {
        char *up = iom_arena_strdup(c->arena, after);
        for (char *q = up; *q; q++)
            if (*q >= 'a' && *q <= 'z')
                *q = (char)(*q - 'a' + 'A');
        after = up;
    }
    if (after && n) {
        const char *k0 = key_at(items, 0, size, key_off);
        size_t pl = ref_prefix(k0);
        if (pl && (ref_prefix(after) != pl || strncmp(after, k0, pl) != 0))
            return iom_fail(&c->err, IOM_EINVAL, "after: '%.64s' is not in this list (its cursors are "
                                                 "references %.*s...)",
                            p->after, (int)pl, k0);
        if (!pl)
            after = p->after; /* keys that are no references: as given */
    }
    size_t i = 0;
    bool refs = n && ref_prefix(key_at(items, 0, size, key_off));
    if (after)
        while (i < n && (refs ? ref_cmp(key_at(items, i, size, key_off), after)
                              : strcmp(key_at(items, i, size, key_off), after)) <= 0)
            i++;
    *from = i;
    *count = n - i < limit ? n - i : limit;
    *next = i + *count < n && *count ? key_at(items, i + *count - 1, size, key_off) : NULL;
    return IOM_OK;
}

iom_err app_page_ordered(iom_ctx *c, const app_page *p, const char *const *keys, size_t n,
                         size_t *from, size_t *count, const char **next)
{
    size_t limit = p && p->limit ? p->limit : APP_PAGE_DEFAULT;
    if (limit > APP_PAGE_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of %d", limit,
                        APP_PAGE_MAX);
    size_t i = 0;
    if (p && p->after) {
        while (i < n && strcmp(keys[i], p->after) != 0)
            i++;
        if (i == n)
            return iom_fail(&c->err, IOM_EINVAL, "after: '%.64s' is not in this list", p->after);
        i++;
    }
    *from = i;
    *count = n - i < limit ? n - i : limit;
    *next = i + *count < n && *count ? keys[i + *count - 1] : NULL;
    return IOM_OK;
}

iom_err app_page_ordered_within(iom_ctx *c, const app_page *p, const char *const *keys, size_t n,
                                const char *const *all, size_t nall, size_t *from, size_t *count,
                                const char **next)
{
    if (p && p->after && all) {
        size_t i = 0;
        while (i < n && strcmp(keys[i], p->after) != 0)
            i++;
        if (i == n) { /* not in the page's list: in the whole one? */
            size_t at = 0;
            while (at < nall && strcmp(all[at], p->after) != 0)
                at++;
            if (at < nall) {
                /* keys is a subsequence of all: the first key after position `at` */
                size_t k = 0;
                for (size_t j = 0; j < nall && k < n; j++)
                    if (strcmp(all[j], keys[k]) == 0) {
                        if (j > at)
                            break;
                        k++;
                    }
                app_page q = *p;
                q.after = k ? keys[k - 1] : NULL;
                return app_page_ordered(c, &q, keys, n, from, count, next);
            }
        }
    }
    return app_page_ordered(c, p, keys, n, from, count, next);
}
