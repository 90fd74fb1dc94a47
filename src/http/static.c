/* static.c: the web UI's files, compiled in (web_assets.h), looked up by exact path. */
#include <string.h>

#include "http/web_assets.h"

const web_asset *web_asset_find(const char *path)
{
    if (!path)
        return NULL;
    for (size_t i = 0; i < web_asset_count; i++)
        if (strcmp(web_assets[i].path, path) == 0)
            return &web_assets[i];
    return NULL;
}
