#include "domain/calendar.h"

int calendar_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (3 with Monday 0). */
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static bool is_holiday(int64_t day, const int64_t *h, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && h[lo] == day;
}

bool calendar_is_working_day(int64_t day, const int64_t *holidays, size_t n)
{
    return calendar_weekday(day) < 5 && !is_holiday(day, holidays, n);
}

int64_t calendar_add_working_days(int64_t day, int n, const int64_t *holidays, size_t nh)
{
    for (int k = 0; k < n;)
        if (calendar_is_working_day(++day, holidays, nh))
            k++;
    return day;
}
