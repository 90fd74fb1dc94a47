#include "util/words.h"

#include "util/text.h"

#include <stdio.h>
#include <string.h>

iom_err iom_word_parse(const char *field, const char *s, const char *const *words, int n,
                       int *out, iom_error *e)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(words[i], s) == 0) {
            *out = i;
            return IOM_OK;
        }
    char list[420];
    size_t j = 0;
    list[0] = '\0';
    for (int i = 0; i < n && j < sizeof list; i++)
        j += (size_t)snprintf(list + j, sizeof list - j, "%s%s", i ? ", " : "", words[i]);
    char shown[80]; /* a hostile value shown safely: controls, bidi overrides (review 102) */
    iom_text_shown(s ? s : "", shown, sizeof shown);
    return iom_fail(e, IOM_EINVAL, "%s: '%s' is not one of: %s", field, shown, list);
}

const char *iom_word_name(const char *const *words, int n, int v)
{
    return v >= 0 && v < n ? words[v] : "?";
}
