/* Health, readiness, the OpenAPI document, and the read-only reference resources. */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/json.h"
#include "http/internal.h"

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
   web UI reads it at each start for the markings: review 109 M8). */
static char *openapi_text;
static size_t openapi_len;
static char openapi_tag[40];
static pthread_once_t openapi_once = PTHREAD_ONCE_INIT;

static void openapi_make(void)
{
    json_t *doc = http_openapi();
    openapi_text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!openapi_text)
        return;
    openapi_len = strlen(openapi_text);
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)openapi_text, openapi_len, NULL, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(openapi_tag, sizeof openapi_tag, "\"o-%s\"", hex);
}

void h_openapi(http_req *r)
{
    pthread_once(&openapi_once, openapi_make);
    if (!openapi_text) { /* out of memory once: made for this answer alone */
        http_json(r, 200, http_openapi());
        return;
    }
    r->etag_text = openapi_tag;
    r->revalidate = true;
    const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
    if (inm && strstr(inm, openapi_tag))
        http_bytes(r, 304, "application/json", "", 0);
    else
        http_bytes(r, 200, "application/json", openapi_text, openapi_len);
}
