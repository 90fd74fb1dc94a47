#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/text.h"

int64_t iom_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The civil date of a day number (days since 1970-01-01): the inverse of
   iom_days_from_civil (H. Hinnant's algorithm). Pure arithmetic: gmtime_r takes glibc's
   time-zone lock, which every server thread formatting a date contended for. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void iom_time_utc(int64_t t, char out[32])
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t y;
    unsigned mo, d;
    civil_from_days(days, &y, &mo, &d);
    if (y < 1000 || y > 9999) { /* outside four-digit years: as strftime prints them */
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return;
    }
    const int f[6] = {(int)y, (int)mo, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
    char *p = out;
    *p++ = (char)('0' + f[0] / 1000);
    *p++ = (char)('0' + f[0] / 100 % 10);
    *p++ = (char)('0' + f[0] / 10 % 10);
    *p++ = (char)('0' + f[0] % 10);
    static const char sep[] = "--T::Z";
    for (int i = 1; i < 6; i++) {
        *p++ = sep[i - 1];
        *p++ = (char)('0' + f[i] / 10);
        *p++ = (char)('0' + f[i] % 10);
    }
    *p++ = sep[5];
    *p = '\0';
}

/* The UTC instant of 01:00 on the last Sunday of `month` in `year`. */
static int64_t last_sunday_0100(int year, unsigned month)
{
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t day = iom_days_from_civil(year, month, mdays[month - 1]);
    int64_t weekday = (day + 4) % 7; /* 1970-01-01 was a Thursday (4); 0 = Sunday */
    if (weekday < 0)
        weekday += 7;
    return (day - weekday) * 86400 + 3600;
}

/* Whether t (UTC) is in British Summer Time, by the EU/UK rule. */
static bool uk_bst(int64_t t)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400), &y, &m, &d);
    return t >= last_sunday_0100((int)y, 3) && t < last_sunday_0100((int)y, 10);
}

int64_t iom_uk_day_start(int64_t day)
{
    /* Midnight is 00:00 BST (23:00Z the day before) when the clocks are forward at that
       instant; the clocks change at 01:00Z, so no day starts in the hour that is skipped or
       repeated and the test is not ambiguous. */
    int64_t bst_midnight = day * 86400 - 3600;
    return uk_bst(bst_midnight) ? bst_midnight : day * 86400;
}

void iom_time_uk(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    int year = tm.tm_year + 1900;
    bool bst = t >= last_sunday_0100(year, 3) && t < last_sunday_0100(year, 10);
    tt = (time_t)(t + (bst ? 3600 : 0));
    gmtime_r(&tt, &tm);
    char buf[24];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    snprintf(out, 32, "%s %s", buf, bst ? "BST" : "GMT");
}

iom_err iom_time_parse(const char *field, const char *s, int64_t *out, iom_error *e)
{
    int Y, M, D, h = 0, mi = 0, sec = 0;
    char z = 0, tail;
    size_t n = s ? strlen(s) : 0;
    if (n == 10) {
        iom_err err = iom_date_check(field, s, e);
        if (err)
            return err;
        sscanf(s, "%d-%d-%d", &Y, &M, &D);
    } else if (n == 20 && sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%c", &Y, &M, &D, &h, &mi, &sec, &z,
                                 &tail) == 7 &&
               z == 'Z' && h < 24 && mi < 60 && sec < 60 && h >= 0 && mi >= 0 && sec >= 0) {
        char d[11];
        memcpy(d, s, 10);
        d[10] = '\0';
        iom_err err = iom_date_check(field, d, e);
        if (err)
            return err;
    } else {
        return iom_fail(e, IOM_EINVAL, "%s: '%s' is not a UTC time (YYYY-MM-DDTHH:MM:SSZ) or date",
                        field, s ? s : "");
    }
    *out = iom_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + mi * 60 + sec;
    return IOM_OK;
}

static bool display_other; /* a zone other than Europe/London is set (TZ) */

iom_err iom_time_set_zone(const char *zone, iom_error *e)
{
    if (!zone || !*zone || strcmp(zone, "Europe/London") == 0) {
        display_other = false;
        return IOM_OK;
    }
    /* A zone name: letters, digits, "/", "_", "-", "+"; never a path outside the data. */
    bool ok = zone[0] != '/' && strstr(zone, "..") == NULL && strlen(zone) < 64;
    for (const char *p = zone; *p && ok; p++)
        ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
             *p == '/' || *p == '_' || *p == '-' || *p == '+';
    char path[128];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
    if (!ok || (access(path, R_OK) != 0 && strcmp(zone, "UTC") != 0))
        return iom_fail(e, IOM_EINVAL, "tz: '%.64s' is not a time zone this system knows (e.g. "
                                       "Europe/London, UTC)", zone);
    setenv("TZ", zone, 1);
    tzset();
    display_other = true;
    return IOM_OK;
}

void iom_time_display(int64_t t, char out[32])
{
    if (!display_other) {
        iom_time_uk(t, out);
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M %Z", &tm))
        iom_time_utc(t, out);
}

bool iom_day_number(const char *s, int64_t *out)
{
    *out = 0;
    if (!s)
        return false;
    static const unsigned char shape[10] = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1}; /* 1: a digit */
    for (int i = 0; i < 10; i++)
        if (shape[i] ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *out = iom_days_from_civil(y, m, d);
    return true;
}
