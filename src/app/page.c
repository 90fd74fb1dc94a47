/* page.c: paging of lists by a text key (page.h). */
#include "app/page.h"

#include <stdlib.h>
#include <string.h>

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
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
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

iom_err app_page_sorted(iom_ctx *c, const app_page *p, void *items, size_t n, size_t size,
                        size_t key_off, size_t *from, size_t *count, const char **next)
{
    size_t limit = p && p->limit ? p->limit : APP_PAGE_DEFAULT;
    if (limit > APP_PAGE_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of %d", limit,
                        APP_PAGE_MAX);
    size_t i = 0;
    if (p && p->after)
        while (i < n && strcmp(key_at(items, i, size, key_off), p->after) <= 0)
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
