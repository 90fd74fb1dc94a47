/* Checks of input records shared by comms.c and finance.c (input_int.h). */
#include "graph/input_int.h"

#include <ctype.h>
#include <string.h>

#include "util/timefmt.h"

bool graph_i_trimmed(const char *in, char *buf, size_t cap)
{
    if (!in)
        in = "";
    while (isspace((unsigned char)*in))
        in++;
    size_t n = strlen(in);
    while (n && isspace((unsigned char)in[n - 1]))
        n--;
    if (n >= cap)
        return false;
    memcpy(buf, in, n);
    buf[n] = '\0';
    return true;
}

iom_err graph_i_check_time(int64_t t, int64_t valid_from, int64_t valid_to, const char *where,
                           size_t i, const char *field, iom_error *e)
{
    if (t >= valid_from && t < valid_to)
        return IOM_OK;
    char a[32], b[32], c[32];
    iom_time_utc(t, a);
    iom_time_utc(valid_from, b);
    iom_time_utc(valid_to, c);
    return iom_fail(e, IOM_EINVAL, "%s %zu: %s: %s is out of range (%s to before %s)", where, i,
                    field, a, b, c);
}

iom_err graph_i_check_count(size_t n, const void *array, const char *area, const char *items,
                            iom_error *e)
{
    if (n > UINT32_MAX - 1)
        return iom_fail(e, IOM_ETOOBIG, "%s: %zu %s (at most %u)", area, n, items, UINT32_MAX - 1);
    if (n && !array)
        return iom_fail(e, IOM_EINVAL, "%s: %zu %s but no array", area, n, items);
    return IOM_OK;
}
