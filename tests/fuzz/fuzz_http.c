/*
 * libFuzzer harness: request routing and body decoding of `iom serve` on arbitrary bytes.
 * Input: "METHOD PATH\n" then the body. The router matches (method, path) against the route
 * table; the body goes through the strict JSON loader, the field decoder of the session,
 * threat and transition handlers, and the bid decoder, as a request would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/tasking.h"
#include "http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t line = nl ? (size_t)(nl - (const char *)data) : size;
    char head[512];
    if (line >= sizeof head)
        line = sizeof head - 1;
    memcpy(head, data, line);
    head[line] = '\0';
    char *sp = strchr(head, ' ');
    const char *method = head, *path = "/";
    if (sp) {
        *sp = '\0';
        path = sp + 1;
    }
    http_req r;
    memset(&r, 0, sizeof r);
    iom_arena_init(&r.arena);
    bool known;
    const http_route *rt = http_route_find(method, path, &r.arena, r.names, r.values, &r.nparams, &known);
    if (rt) {
        for (int i = 0; i < r.nparams; i++)
            if (!r.values[i] || !*r.values[i] || strlen(r.values[i]) > HTTP_PARAM_MAX || strchr(r.values[i], '/'))
                __builtin_trap();
    } else if (known) {
        (void)http_route_allow(path, &r.arena);
    }

    const char *body = nl ? nl + 1 : "";
    size_t blen = nl ? size - line - 1 : 0;
    json_error_t je;
    json_t *j = json_loadb(body, blen, JSON_REJECT_DUPLICATES, &je);
    if (json_is_object(j)) {
        const char *s1 = NULL, *s2 = NULL, *s3 = NULL;
        int64_t n = 0;
        bool b = false;
        http_field f[] = {{"reason", HF_STRING, false, &s1}, {"sia", HF_STRING, true, &s2},
                          {"tor_version", HF_INT, false, &n}, {"accept", HF_BOOL, false, &b},
                          {"new_owner", HF_STRING, false, &s3}, {0}};
        (void)http_fields(&r, j, f);
        char *text = malloc(blen + 1);
        memcpy(text, body, blen);
        text[blen] = '\0';
        iom_ctx c;
        app_ctx_init(&c, NULL, &r.arena);
        json_t *root = NULL;
        app_bid_input in;
        (void)app_bid_from_json(&c, text, &root, &in);
        json_decref(root);
        free(text);
    }
    json_decref(j);
    json_decref(r.out);
    iom_arena_free(&r.arena);
    return 0;
}
