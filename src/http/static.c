/* static.c: the web UI's files, compiled in (web_assets.h), looked up by exact path. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "http/web_assets.h"

/* Each file's ETag: "w-" and 128 bits of BLAKE2b of its bytes, quoted; its gzipped bytes'
   "g-" and theirs; made once. */
static char (*tags)[2][40];
static pthread_once_t tags_once = PTHREAD_ONCE_INIT;

void web_etag_of(char out[40], char kind, const void *data, size_t len)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, 40, "\"%c-%s\"", kind, hex);
}

static void make_tags(void)
{
    tags = calloc(web_asset_count ? web_asset_count : 1, sizeof *tags);
    for (size_t i = 0; tags && i < web_asset_count; i++) {
        web_etag_of(tags[i][0], 'w', web_assets[i].data, web_assets[i].len);
        if (web_assets[i].gz)
            web_etag_of(tags[i][1], 'g', web_assets[i].gz, web_assets[i].gz_len);
    }
}

const char *web_asset_etag(const web_asset *a)
{
    pthread_once(&tags_once, make_tags);
    if (!tags || !a || a < web_assets || a >= web_assets + web_asset_count)
        return NULL;
    return tags[a - web_assets][0];
}

const char *web_asset_etag_gz(const web_asset *a)
{
    pthread_once(&tags_once, make_tags);
    if (!tags || !a || a < web_assets || a >= web_assets + web_asset_count || !a->gz)
        return NULL;
    return tags[a - web_assets][1];
}

int web_accepts_gzip(const char *ae)
{
    for (const char *p = ae; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *name = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - name);
        int coding = (n == 4 && strncasecmp(name, "gzip", 4) == 0) || (n == 1 && *name == '*');
        double q = 1;
        while (*p && *p != ',') { /* parameters: q=VALUE */
            if (*p == ';') {
                p++;
                while (*p == ' ' || *p == '\t')
                    p++;
                if ((*p == 'q' || *p == 'Q') && p[1] == '=')
                    q = strtod(p + 2, NULL);
                continue;
            }
            p++;
        }
        if (coding)
            return q > 0;
    }
    return 0;
}

const web_asset *web_asset_find(const char *path)
{
    if (!path)
        return NULL;
    for (size_t i = 0; i < web_asset_count; i++)
        if (strcmp(web_assets[i].path, path) == 0)
            return &web_assets[i];
    return NULL;
}
