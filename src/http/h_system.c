/* Health, readiness, the OpenAPI document, and the read-only reference resources. */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "app/json.h"
#include "http/internal.h"
#include "http/web_assets.h"

void h_health(http_req *r) { http_json(r, 200, json_pack("{s:s}", "status", "ok")); }

void h_ready(http_req *r)
{
    int cur = 0, latest = 0;
    iom_error e = {0};
    iom_err err = r->store->ops->schema_version(r->store, &cur, &latest, &e);
    if (err || cur != latest) {
        http_problem(r, 503, "unavailable", "Not ready", "the store is not reachable or not migrated");
        return;
    }
    http_json(r, 200, json_pack("{s:s}", "status", "ready"));
}

/* The OpenAPI document is the same for the life of the binary: made once, with a strong ETag
   of its bytes, kept by the browser and asked again (If-None-Match: 304 without its 220 KB; the
   web UI reads it at each start for the markings: review 109 M8). Gzipped once too, for the
   clients that take gzip (a ninth of its size), with a tag of its own. */
static char *openapi_text;
static size_t openapi_len;
static char openapi_tag[40];
static unsigned char *openapi_gz;
static size_t openapi_gz_len;
static char openapi_gz_tag[40];
static pthread_once_t openapi_once = PTHREAD_ONCE_INIT;

/* text gzipped (RFC 1952, no name or time in the header), malloc'd; NULL on failure. */
static unsigned char *gzip_of(const char *text, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)len) + 32;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = out ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}


static void openapi_make(void)
{
    json_t *doc = http_openapi();
    openapi_text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!openapi_text)
        return;
    openapi_len = strlen(openapi_text);
    web_etag_of(openapi_tag, 'o', openapi_text, openapi_len);
    openapi_gz = gzip_of(openapi_text, openapi_len, &openapi_gz_len);
    if (openapi_gz)
        web_etag_of(openapi_gz_tag, 'z', openapi_gz, openapi_gz_len);
}

void h_openapi(http_req *r)
{
    pthread_once(&openapi_once, openapi_make);
    if (!openapi_text) { /* out of memory once: made for this answer alone */
        http_json(r, 200, http_openapi());
        return;
    }
    bool gz = openapi_gz && web_accepts_gzip(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                                        "Accept-Encoding"));
    const char *tag = gz ? openapi_gz_tag : openapi_tag;
    r->etag_text = tag;
    r->revalidate = true;
    if (openapi_gz)
        http_header(r, "Vary", "Accept-Encoding");
    const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
    if (inm && strstr(inm, tag))
        http_bytes(r, 304, "application/json", "", 0);
    else if (gz) {
        http_header(r, "Content-Encoding", "gzip");
        http_bytes(r, 200, "application/json", openapi_gz, openapi_gz_len);
    } else
        http_bytes(r, 200, "application/json", openapi_text, openapi_len);
}
