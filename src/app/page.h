/*
 * page.h: one shape for every list (issue 11 point 3). A list is ordered by a text key that
 * is unique in it (a reference, a code, a name, a zero-padded number); a page is the items
 * whose key comes after the cursor `after`, at most `limit` of them; the cursor of the next
 * page is the key of the last item returned, NULL on the last page. The CLI (--limit,
 * --after) and the API (?limit=, ?after=, "next") take and give exactly that.
 */
#ifndef IOM_APP_PAGE_H
#define IOM_APP_PAGE_H

#include <stddef.h>

#include "app/app.h"

#define APP_PAGE_DEFAULT 100
#define APP_PAGE_MAX 1000

typedef struct app_page {
    const char *after; /* the `next` of the previous page, or NULL for the first */
    size_t limit;      /* 1..APP_PAGE_MAX; 0 = APP_PAGE_DEFAULT */
} app_page;

/* Sorts items (n of `size` bytes, each with its key, a `const char *` at key_off) by key and
   narrows them to one page: OUT *from and *count (the page is items[from .. from+count)) and
   *next (borrowed from the items; NULL on the last page). IOM_EINVAL for a limit above
   APP_PAGE_MAX. The items are reordered in place. */
iom_err app_page_apply(iom_ctx *c, const app_page *p, void *items, size_t n, size_t size,
                       size_t key_off, size_t *from, size_t *count, const char **next);

/* The same for items already in key order (a store query's ORDER BY): no sorting. */
iom_err app_page_sorted(iom_ctx *c, const app_page *p, void *items, size_t n, size_t size,
                        size_t key_off, size_t *from, size_t *count, const char **next);

/* A list the store pages itself (its ORDER BY ref, `after` bound into its query): `after`, when
   set, must be a reference of the list's kind (`prefix`, e.g. "TOEX-": the prefix then digits
   and '-'), which may have gone since (the page then starts where it stood). IOM_EINVAL
   naming the value otherwise: a mistyped cursor is not the end of the list. */
iom_err app_page_cursor(iom_ctx *c, const char *after, const char *prefix);

/* The same for a list in an order of its own (by date, as stored): keys[i] is the key of item
   i; `after` must be the key of an item of the list (IOM_EINVAL "after: ... is not in this
   list" otherwise) and the page starts after it. */
iom_err app_page_ordered(iom_ctx *c, const app_page *p, const char *const *keys, size_t n,
                         size_t *from, size_t *count, const char **next);

/* The same for a filtered list: keys[0..n) are those of all[0..nall) (the list before its
   filter, in the same order) that pass it. A cursor of the whole list that the filter leaves
   out (an option decided since, under a status filter: review 102) pages on from where it
   stands in the whole list; a cursor in neither is IOM_EINVAL as above. */
iom_err app_page_ordered_within(iom_ctx *c, const app_page *p, const char *const *keys, size_t n,
                                const char *const *all, size_t nall, size_t *from, size_t *count,
                                const char **next);

#endif
