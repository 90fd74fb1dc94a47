/* Communications data: validation, contact links, top and common contacts, activity. */
#include "graph/comms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "graph/input_int.h"
#include "util/timefmt.h"

#define TIME_MIN 0LL          /* 1970-01-01T00:00:00Z */
#define TIME_MAX 4102444800LL /* 2100-01-01T00:00:00Z */

void comms_settings_default(comms_settings *s)
{
    memset(s, 0, sizeof *s);
    s->from = s->to = COMMS_TIME_NONE;
    s->valid_from = TIME_MIN;
    s->valid_to = TIME_MAX;
}

static const comms_settings *use(const comms_settings *s, comms_settings *def)
{
    if (s)
        return s;
    comms_settings_default(def);
    return def;
}

static iom_err check_settings(const comms_settings *s, iom_error *e)
{
    if (s->from != COMMS_TIME_NONE && s->to != COMMS_TIME_NONE && s->to < s->from)
        return iom_fail(e, IOM_EINVAL, "comms settings: to: the period ends before it starts");
    if (s->valid_to <= s->valid_from)
        return iom_fail(e, IOM_EINVAL, "comms settings: valid_to: must be after valid_from");
    return IOM_OK;
}

static iom_err check_time(const comms_settings *s, const char *where, size_t i, int64_t t,
                          iom_error *e)
{
    return graph_i_check_time(t, s->valid_from, s->valid_to, where, i, "start", e);
}

iom_err comms_check(const comms_record *r, size_t n, size_t n_phones, const comms_settings *s,
                    iom_error *e)
{
    comms_settings def;
    s = use(s, &def);
    iom_err rc = check_settings(s, e);
    if (rc)
        return rc;
    if ((rc = graph_i_check_count(n, r, "comms", "records", e)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        const comms_record *x = &r[i];
        if (x->caller >= n_phones)
            return iom_fail(e, IOM_EINVAL, "record %zu: caller: phone %u is out of range (%zu phones)",
                            i, x->caller, n_phones);
        if (x->callee >= n_phones)
            return iom_fail(e, IOM_EINVAL, "record %zu: callee: phone %u is out of range (%zu phones)",
                            i, x->callee, n_phones);
        if (x->caller == x->callee)
            return iom_fail(e, IOM_EINVAL, "record %zu: callee: the same phone as the caller (%u)",
                            i, x->callee);
        if (x->kind != COMMS_CALL && x->kind != COMMS_SMS)
            return iom_fail(e, IOM_EINVAL, "record %zu: kind: %d is not call or sms", i, (int)x->kind);
        if (x->duration > COMMS_MAX_DURATION)
            return iom_fail(e, IOM_EINVAL, "record %zu: duration: %u s is longer than a day", i,
                            x->duration);
        if ((rc = check_time(s, "record", i, x->start, e)))
            return rc;
    }
    return IOM_OK;
}

/* "75", "1:15", "0:01:15" -> seconds. */
static bool parse_duration(const char *s, uint32_t *out)
{
    uint64_t parts[3];
    int np = 0;
    const char *p = s;
    while (np < 3) {
        if (*p < '0' || *p > '9')
            return false;
        uint64_t v = 0;
        int digits = 0;
        for (; *p >= '0' && *p <= '9'; p++, digits++) {
            v = v * 10 + (uint64_t)(*p - '0');
            if (v > COMMS_MAX_DURATION * 10ull)
                return false;
        }
        parts[np++] = v;
        if (*p != ':')
            break;
        p++;
    }
    if (*p)
        return false;
    uint64_t total = parts[0];
    if (np > 1) { /* minutes and seconds below 60 after the first part */
        for (int i = 1; i < np; i++)
            if (parts[i] >= 60)
                return false;
        total = np == 2 ? parts[0] * 60 + parts[1] : parts[0] * 3600 + parts[1] * 60 + parts[2];
    }
    if (total > COMMS_MAX_DURATION)
        return false;
    *out = (uint32_t)total;
    return true;
}

iom_err comms_parse_row(const comms_row_text *r, size_t row, const comms_settings *s,
                        comms_record *out, iom_error *e)
{
    comms_settings def;
    s = use(s, &def);
    comms_record x;
    memset(&x, 0, sizeof x);
    char buf[40], field[32];
    if (!graph_i_trimmed(r->kind, buf, sizeof buf))
        return iom_fail(e, IOM_EINVAL, "row %zu: kind: '%.20s...' is not call or sms", row, r->kind);
    if (!strcasecmp(buf, "call") || !strcasecmp(buf, "voice"))
        x.kind = COMMS_CALL;
    else if (!strcasecmp(buf, "sms") || !strcasecmp(buf, "text"))
        x.kind = COMMS_SMS;
    else
        return iom_fail(e, IOM_EINVAL, "row %zu: kind: '%s' is not call or sms", row, buf);
    snprintf(field, sizeof field, "row %zu: start", row);
    if (!graph_i_trimmed(r->start, buf, sizeof buf))
        return iom_fail(e, IOM_EINVAL, "%s: '%.32s...' is not a UTC time", field, r->start);
    iom_err rc = iom_time_parse(field, buf, &x.start, e);
    if (rc)
        return rc;
    if ((rc = check_time(s, "row", row, x.start, e)))
        return rc;
    if (!graph_i_trimmed(r->duration, buf, sizeof buf))
        return iom_fail(e, IOM_EINVAL, "row %zu: duration: '%.20s...' is not seconds or H:MM:SS",
                        row, r->duration);
    if (buf[0] == '\0' && x.kind == COMMS_SMS)
        x.duration = 0;
    else if (!parse_duration(buf, &x.duration))
        return iom_fail(e, IOM_EINVAL, "row %zu: duration: '%s' is not seconds or H:MM:SS of at "
                        "most a day", row, buf);
    if (r->caller == r->callee)
        return iom_fail(e, IOM_EINVAL, "row %zu: callee: the same phone as the caller (%u)", row,
                        r->callee);
    x.caller = r->caller;
    x.callee = r->callee;
    x.cell = r->cell;
    *out = x;
    return IOM_OK;
}

static bool in_period(const comms_settings *s, int64_t t)
{
    return (s->from == COMMS_TIME_NONE || t >= s->from) && (s->to == COMMS_TIME_NONE || t <= s->to);
}

static iom_err begin(const comms_record *r, size_t n, size_t n_phones, const comms_settings **s,
                     comms_settings *def, iom_error *e)
{
    *s = use(*s, def);
    return comms_check(r, n, n_phones, *s, e);
}

static iom_err check_phone(uint32_t p, size_t n_phones, const char *what, iom_error *e)
{
    if (p >= n_phones)
        return iom_fail(e, IOM_EINVAL, "comms: %s: phone %u is out of range (%zu phones)", what, p,
                        n_phones);
    return IOM_OK;
}

/* ---- contacts ---- */

typedef struct pair_ev {
    uint64_t key; /* a * n_phones + b, a < b */
    uint32_t idx;
} pair_ev;

static int pair_cmp(const void *pa, const void *pb)
{
    const pair_ev *x = pa, *y = pb;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int contact_cmp(const void *pa, const void *pb)
{
    const comms_contact *x = pa, *y = pb;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->duration != y->duration)
        return x->duration > y->duration ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

static void count_record(const comms_record *x, bool forward, uint32_t *calls_f, uint32_t *calls_b,
                         uint32_t *sms_f, uint32_t *sms_b, uint64_t *duration)
{
    if (x->kind == COMMS_CALL) {
        (*(forward ? calls_f : calls_b))++;
        *duration += x->duration;
    } else {
        (*(forward ? sms_f : sms_b))++;
    }
}

iom_err comms_contacts_get(const comms_record *r, size_t n, size_t n_phones,
                           const comms_settings *s, iom_arena *a, comms_contacts *out,
                           iom_error *e)
{
    comms_settings def;
    iom_err rc = begin(r, n, n_phones, &s, &def, e);
    if (rc)
        return rc;
    pair_ev *ev = malloc((n ? n : 1) * sizeof *ev);
    if (!ev)
        return iom_fail(e, IOM_ENOMEM, "comms: out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!in_period(s, r[i].start))
            continue;
        uint64_t lo = r[i].caller < r[i].callee ? r[i].caller : r[i].callee;
        uint64_t hi = r[i].caller < r[i].callee ? r[i].callee : r[i].caller;
        ev[k++] = (pair_ev){lo * n_phones + hi, (uint32_t)i};
    }
    qsort(ev, k, sizeof *ev, pair_cmp);
    size_t groups = 0;
    for (size_t i = 0; i < k; i++)
        groups += i == 0 || ev[i].key != ev[i - 1].key;
    comms_contact *items = iom_arena_new(a, comms_contact, groups ? groups : 1);
    size_t g = 0;
    for (size_t i = 0, j; i < k; i = j) {
        comms_contact *c = &items[g++];
        c->a = (uint32_t)(ev[i].key / n_phones);
        c->b = (uint32_t)(ev[i].key % n_phones);
        c->first = c->last = r[ev[i].idx].start;
        for (j = i; j < k && ev[j].key == ev[i].key; j++) {
            const comms_record *x = &r[ev[j].idx];
            count_record(x, x->caller == c->a, &c->calls_ab, &c->calls_ba, &c->sms_ab, &c->sms_ba,
                         &c->duration);
            c->count++;
            if (x->start < c->first)
                c->first = x->start;
            if (x->start > c->last)
                c->last = x->start;
        }
    }
    free(ev);
    qsort(items, g, sizeof *items, contact_cmp);
    out->count = g;
    out->items = items;
    return IOM_OK;
}

void comms_contacts_links(const comms_contacts *c, uint32_t type, iom_arena *a, graph_link **out)
{
    graph_link *l = iom_arena_new(a, graph_link, c->count ? c->count : 1);
    for (size_t i = 0; i < c->count; i++)
        l[i] = (graph_link){.from = c->items[i].a, .to = c->items[i].b, .type = type,
                            .weight = c->items[i].count, .start = c->items[i].first,
                            .end = c->items[i].last};
    *out = l;
}

/* ---- one phone's contacts ---- */

static int peer_cmp(const void *pa, const void *pb)
{
    const comms_peer *x = pa, *y = pb;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->duration != y->duration)
        return x->duration > y->duration ? -1 : 1;
    return x->phone < y->phone ? -1 : x->phone > y->phone;
}

iom_err comms_top_contacts(const comms_record *r, size_t n, size_t n_phones, uint32_t phone,
                           size_t top, const comms_settings *s, iom_arena *a,
                           comms_peers *out, iom_error *e)
{
    comms_settings def;
    iom_err rc = begin(r, n, n_phones, &s, &def, e);
    if (rc == IOM_OK)
        rc = check_phone(phone, n_phones, "phone", e);
    if (rc)
        return rc;
    uint32_t *slot = malloc((n_phones ? n_phones : 1) * sizeof *slot);
    comms_peer *p = malloc((n ? n : 1) * sizeof *p);
    if (!slot || !p) {
        free(slot);
        free(p);
        return iom_fail(e, IOM_ENOMEM, "comms: out of memory");
    }
    memset(slot, 0xff, n_phones * sizeof *slot);
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        const comms_record *x = &r[i];
        if (!in_period(s, x->start) || (x->caller != phone && x->callee != phone))
            continue;
        bool out_going = x->caller == phone;
        uint32_t other = out_going ? x->callee : x->caller;
        if (slot[other] == UINT32_MAX) {
            slot[other] = (uint32_t)np;
            p[np++] = (comms_peer){.phone = other, .first = x->start, .last = x->start};
        }
        comms_peer *q = &p[slot[other]];
        count_record(x, out_going, &q->calls_out, &q->calls_in, &q->sms_out, &q->sms_in, &q->duration);
        q->count++;
        if (x->start < q->first)
            q->first = x->start;
        if (x->start > q->last)
            q->last = x->start;
    }
    qsort(p, np, sizeof *p, peer_cmp);
    size_t keep = top && top < np ? top : np;
    out->count = keep;
    out->items = iom_arena_new(a, comms_peer, keep ? keep : 1);
    memcpy(out->items, p, keep * sizeof *p);
    free(slot);
    free(p);
    return IOM_OK;
}

/* ---- common contacts ---- */

static int common_cmp(const void *pa, const void *pb)
{
    const comms_common_item *x = pa, *y = pb;
    uint32_t mx = x->with_a < x->with_b ? x->with_a : x->with_b;
    uint32_t my = y->with_a < y->with_b ? y->with_a : y->with_b;
    if (mx != my)
        return mx > my ? -1 : 1;
    if (x->with_a + x->with_b != y->with_a + y->with_b)
        return x->with_a + x->with_b > y->with_a + y->with_b ? -1 : 1;
    return x->phone < y->phone ? -1 : x->phone > y->phone;
}

iom_err comms_common_contacts(const comms_record *r, size_t n, size_t n_phones, uint32_t pa,
                              uint32_t pb, const comms_settings *s, iom_arena *a,
                              comms_common *out, iom_error *e)
{
    comms_settings def;
    iom_err rc = begin(r, n, n_phones, &s, &def, e);
    if (rc == IOM_OK)
        rc = check_phone(pa, n_phones, "a", e);
    if (rc == IOM_OK)
        rc = check_phone(pb, n_phones, "b", e);
    if (rc == IOM_OK && pa == pb)
        rc = iom_fail(e, IOM_EINVAL, "comms: b: the same phone as a (%u)", pa);
    if (rc)
        return rc;
    /* per other phone: records with a, with b (counts, seconds) */
    uint32_t *wa = calloc(n_phones, sizeof *wa), *wb = calloc(n_phones, sizeof *wb);
    uint64_t *da = calloc(n_phones, sizeof *da), *db = calloc(n_phones, sizeof *db);
    if (!wa || !wb || !da || !db) {
        free(wa);
        free(wb);
        free(da);
        free(db);
        return iom_fail(e, IOM_ENOMEM, "comms: out of memory");
    }
    comms_common c;
    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < n; i++) {
        const comms_record *x = &r[i];
        if (!in_period(s, x->start))
            continue;
        bool ia = x->caller == pa || x->callee == pa, ib = x->caller == pb || x->callee == pb;
        if (ia && ib) {
            c.direct++;
            continue;
        }
        uint32_t secs = x->kind == COMMS_CALL ? x->duration : 0;
        if (ia) {
            uint32_t o = x->caller == pa ? x->callee : x->caller;
            wa[o]++;
            da[o] += secs;
        } else if (ib) {
            uint32_t o = x->caller == pb ? x->callee : x->caller;
            wb[o]++;
            db[o] += secs;
        }
    }
    size_t cnt = 0;
    for (uint32_t p = 0; p < n_phones; p++)
        cnt += wa[p] && wb[p];
    c.items = iom_arena_new(a, comms_common_item, cnt ? cnt : 1);
    uint32_t *slot = wa; /* reuse: phone -> item + 1 once counted */
    for (uint32_t p = 0; p < n_phones; p++) {
        if (!(wa[p] && wb[p])) {
            slot[p] = 0;
            continue;
        }
        comms_common_item *it = &c.items[c.count++];
        *it = (comms_common_item){.phone = p, .with_a = wa[p], .with_b = wb[p],
                                  .duration_a = da[p], .duration_b = db[p]};
        it->records = iom_arena_new(a, uint32_t, wa[p] + wb[p]);
        slot[p] = (uint32_t)c.count;
    }
    for (size_t i = 0; i < n; i++) { /* evidence, in index order */
        const comms_record *x = &r[i];
        if (!in_period(s, x->start))
            continue;
        bool ia = x->caller == pa || x->callee == pa, ib = x->caller == pb || x->callee == pb;
        if (ia == ib)
            continue;
        uint32_t me = ia ? pa : pb, o = x->caller == me ? x->callee : x->caller;
        if (slot[o]) {
            comms_common_item *it = &c.items[slot[o] - 1];
            it->records[it->n_records++] = (uint32_t)i;
        }
    }
    qsort(c.items, c.count, sizeof *c.items, common_cmp);
    free(wa);
    free(wb);
    free(da);
    free(db);
    *out = c;
    return IOM_OK;
}

/* ---- activity ---- */

/* UTC instant of 01:00 on the last Sunday of `month` (the EU/UK clock change). */
static int64_t last_sunday_0100(int64_t year, unsigned month)
{
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t day = iom_days_from_civil(year, month, mdays[month - 1]);
    int64_t weekday = ((day + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
    return (day - weekday) * 86400 + 3600;
}

/* Seconds to add to UTC for UK local time (BST +1 h from the last Sunday of March to the last
 * Sunday of October, 01:00 UTC each). */
static int64_t uk_offset(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t y = 1970 + days / 366; /* low guess, then step up */
    while (iom_days_from_civil(y + 1, 1, 1) <= days)
        y++;
    return t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10) ? 3600 : 0;
}

iom_err comms_activity_get(const comms_record *r, size_t n, size_t n_phones, uint32_t phone,
                           const comms_settings *s, comms_activity *out, iom_error *e)
{
    comms_settings def;
    iom_err rc = begin(r, n, n_phones, &s, &def, e);
    if (rc == IOM_OK && phone != COMMS_ALL_PHONES)
        rc = check_phone(phone, n_phones, "phone", e);
    if (rc)
        return rc;
    comms_activity act;
    memset(&act, 0, sizeof act);
    act.utc = s->utc;
    for (size_t i = 0; i < n; i++) {
        const comms_record *x = &r[i];
        if (!in_period(s, x->start) ||
            (phone != COMMS_ALL_PHONES && x->caller != phone && x->callee != phone))
            continue;
        int64_t local = x->start + (s->utc ? 0 : uk_offset(x->start));
        int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
        int hour = (int)((local - days * 86400) / 3600);
        int dow = (int)(((days + 3) % 7 + 7) % 7); /* 1970-01-01, a Thursday, is 3 (Monday 0) */
        act.by_hour[hour]++;
        act.by_day[dow]++;
        act.grid[dow][hour]++;
        if (x->kind == COMMS_CALL) {
            act.calls++;
            act.call_seconds_by_hour[hour] += x->duration;
        } else {
            act.sms++;
        }
    }
    *out = act;
    return IOM_OK;
}
