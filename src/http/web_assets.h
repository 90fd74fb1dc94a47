/*
 * web_assets.h: the web UI's files (web/), bundled by web/build.mjs at build time and
 * compiled into the binary as a table (the generated build/web/web_assets.c), so `iom serve`
 * is one binary with nothing to install beside it. Served by src/http/static.c.
 */
#ifndef IOM_HTTP_WEB_ASSETS_H
#define IOM_HTTP_WEB_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
    const char *path;            /* "/", "/assets/app.js": the URL path it is served at */
    const char *content_type;    /* "text/html; charset=utf-8" */
    const unsigned char *data;   /* static storage */
    size_t len;
    const unsigned char *gz;     /* the same bytes gzipped (RFC 1952), or NULL when that saves
                                    little (small or already compressed files) */
    size_t gz_len;
} web_asset;

/* The table (generated); web_asset_count rows. */
extern const web_asset web_assets[];
extern const size_t web_asset_count;

/* The asset served at path (exact match, no query), or NULL. */
const web_asset *web_asset_find(const char *path);

/* The asset's strong ETag, quoted ("\"w-<32 hex>\"": a hash of its bytes, static storage), or
   NULL when a is no row of the table or memory ran out. */
const char *web_asset_etag(const web_asset *a);

/* The strong ETag of its gzipped bytes ("\"g-<32 hex>\"": another representation, another
   tag), or NULL when it has none (a->gz NULL) or as web_asset_etag. */
const char *web_asset_etag_gz(const web_asset *a);

/* A strong ETag of len bytes at data: "\"<kind>-<32 hex>\"" (128 bits of BLAKE2b), in out. */
void web_etag_of(char out[40], char kind, const void *data, size_t len);

/* Whether an Accept-Encoding header's value (NULL: none) accepts gzip: a "gzip" or "*" coding
   whose q is not 0 (RFC 9110 12.5.3). */
int web_accepts_gzip(const char *accept_encoding);

#endif
