/*
 * libFuzzer harness, differential: util/jsonr against jansson on the same text. jsonr accepts
 * the objects jansson loads (but those nested past IOM_JSONR_DEPTH), and refuses what jansson
 * refuses (but numbers jansson cannot hold, which jsonr checks for their form only: jsonr.h);
 * each wanted member reads as jansson's string value (the last of a member given twice).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/jsonr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static const char *const keys[] = {"first_name", "surname", "dob", "town", "a", ""};
    const char *v[6];
    iom_arena a;
    iom_arena_init(&a);
    iom_error e = {0};
    iom_err err = iom_jsonr_strings(&a, text, keys, 6, v, &e);
    json_error_t je;
    json_t *j = strlen(text) == size ? json_loads(text, 0, &je) : NULL;
    int jansson_ok = json_is_object(j);
    if (j && !jansson_ok) /* a text of another type: jsonr refuses it */
        jansson_ok = 0;
    /* jansson also refuses numbers it cannot hold (jsonr checks their form only) */
    if (!j && strlen(text) == size && (strstr(je.text, "too big") || strstr(je.text, "overflow"))) {
        iom_arena_free(&a);
        free(text);
        return 0;
    }
    /* jansson's depth limit is 2048: deeper than jsonr's 64 is refused by jsonr only */
    if (!err && !jansson_ok && strlen(text) == size)
        abort(); /* jsonr accepted what jansson refuses */
    if (err && jansson_ok && !strstr(e.msg, "nested too deep"))
        abort(); /* jsonr refused an object jansson loads */
    if (!err && jansson_ok)
        for (size_t k = 0; k < 6; k++) {
            const char *s = json_string_value(json_object_get(j, keys[k]));
            if ((s == NULL) != (v[k] == NULL) || (s && strcmp(s, v[k]) != 0))
                abort();
        }
    json_decref(j);
    iom_arena_free(&a);
    free(text);
    return 0;
}
