/* static.c: the web UI's files, compiled in (web_assets.h), looked up by exact path. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/web_assets.h"

/* Each file's ETag: "w-" and 128 bits of BLAKE2b of its bytes, quoted; made once. */
static char (*tags)[40];
static pthread_once_t tags_once = PTHREAD_ONCE_INIT;

static void make_tags(void)
{
    tags = calloc(web_asset_count ? web_asset_count : 1, sizeof *tags);
    for (size_t i = 0; tags && i < web_asset_count; i++) {
        unsigned char h[16];
        crypto_generichash(h, sizeof h, web_assets[i].data, web_assets[i].len, NULL, 0);
        char hex[33];
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        snprintf(tags[i], sizeof tags[i], "\"w-%s\"", hex);
    }
}

const char *web_asset_etag(const web_asset *a)
{
    pthread_once(&tags_once, make_tags);
    if (!tags || !a || a < web_assets || a >= web_assets + web_asset_count)
        return NULL;
    return tags[a - web_assets];
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
