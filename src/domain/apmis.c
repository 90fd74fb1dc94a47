#include "domain/apmis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "util/text.h"
#include "util/timefmt.h"

#define DAY 86400

int64_t apmis_day_of(int64_t t)
{
    /* the UK day (review 93 L3: a tasking taken on at 00:30 BST counted from the day before):
       the day after midnight UTC + 1 h, unless that day has not begun in the UK */
    int64_t u = t + 3600, d = u >= 0 ? u / DAY : -((-u + DAY - 1) / DAY);
    return t >= iom_uk_day_start(d) ? d : d - 1;
}

iom_err apmis_day_parse(const char *field, const char *s, int64_t *out, iom_error *e)
{
    iom_err err = iom_date_check(field, s, e);
    if (err)
        return err;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    *out = iom_days_from_civil(y, (unsigned)m, (unsigned)d);
    return IOM_OK;
}

void apmis_day_format(int64_t day, char out[16])
{
    /* Howard Hinnant's civil_from_days. */
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    snprintf(out, 16, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

static iom_err required(const char *field, const char *v, const char *hint, iom_error *e)
{
    if (v && *v)
        return IOM_OK;
    return iom_fail(e, IOM_EINVAL, "%s: required (%s)", field, hint);
}

static iom_err count_check(const char *field, int64_t v, int64_t max, iom_error *e)
{
    if (v < 0)
        return iom_fail(e, IOM_EINVAL, "%s: %lld is negative; counts are 0 or more", field, (long long)v);
    if (v > max)
        return iom_fail(e, IOM_EINVAL, "%s: %lld is above the maximum of %lld per record", field,
                        (long long)v, (long long)max);
    return IOM_OK;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* A field's check failed with err: with a note function, an IOM_EINVAL is told to it and
   checking goes on (*bad set); anything else (or no note function) stops with err. */
#define CHECK(field, expr)                                                                     \
    do {                                                                                       \
        iom_err err_ = (expr);                                                                 \
        if (err_) {                                                                            \
            if (err_ != IOM_EINVAL || !note)                                                   \
                return err_;                                                                   \
            note(ud, field, e);                                                                \
            bad = true;                                                                        \
        }                                                                                      \
    } while (0)

iom_err apmis_validate_each(const apmis_input *in, int64_t today, apmis_fields *out,
                            apmis_note_fn note, void *ud, iom_error *e)
{
    apmis_fields f = {0};
    bool bad = false;
    CHECK("threat", required("threat", in->threat, "a SOC master list reference, SOC-...", e));
    bool dated = in->date && *in->date;
    CHECK("date", required("date", in->date, "the disruption date, YYYY-MM-DD", e));
    if (dated) {
        iom_err derr = apmis_day_parse("date", in->date, &f.day, e);
        CHECK("date", derr);
        if (!derr && strcmp(in->date, "2000-01-01") < 0)
            CHECK("date", iom_fail(e, IOM_EINVAL, "date: %s is before 2000-01-01; it is the day the "
                                   "disruption happened", in->date));
        else if (!derr && f.day > today) {
            char t[16];
            apmis_day_format(today, t);
            CHECK("date", iom_fail(e, IOM_EINVAL, "date: %s is in the future (today is %s in the UK); "
                                   "record a disruption once it has happened", in->date, t));
        }
    }
    if (in->impact && *in->impact)
        CHECK("impact", products_impact_parse(in->impact, &f.impact, e));
    else
        CHECK("impact", required("impact", in->impact, "major, moderate, minor, none or negative", e));
    if (in->type && *in->type)
        CHECK("type", products_disruption_parse(in->type, &f.type, e));
    else
        CHECK("type", required("type", in->type, "the disruption type", e));
    CHECK("lead", required("lead", in->lead, "the lead agency code", e));
    if (in->strand && *in->strand)
        CHECK("strand", products_strand_parse(in->strand, &f.strand, e));
    else
        CHECK("strand", required("strand", in->strand, "pursue, prevent, protect or prepare", e));
    CHECK("arrests", count_check("arrests", in->arrests, APMIS_COUNT_MAX, e));
    CHECK("safeguarded", count_check("safeguarded", in->safeguarded, APMIS_COUNT_MAX, e));
    CHECK("seized_pence", count_check("seized_pence", in->seized_pence, APMIS_PENCE_MAX, e));
    if (!in->narrative || !*in->narrative)
        CHECK("narrative", required("narrative", in->narrative, "what was disrupted and how", e));
    else {
        iom_err terr = iom_text_check("narrative", in->narrative, APMIS_NARRATIVE_MAX,
                                      IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE, e);
        CHECK("narrative", terr);
        if (!terr && blank(in->narrative))
            CHECK("narrative", iom_fail(e, IOM_EINVAL, "narrative: must not be blank"));
    }
    if (in->ncapabilities > APMIS_MAX_CAPABILITIES)
        CHECK("capability", iom_fail(e, IOM_EINVAL, "capability: at most %d contributing capabilities",
                                     APMIS_MAX_CAPABILITIES));
    else
        for (size_t i = 0; i < in->ncapabilities; i++) {
            const char *c = in->capabilities[i];
            if (!c || !*c) {
                CHECK("capability", iom_fail(e, IOM_EINVAL, "capability: an agency code must not be empty"));
                continue;
            }
            for (size_t j = 0; j < i; j++)
                if (in->capabilities[j] && strcmp(in->capabilities[j], c) == 0) {
                    CHECK("capability", iom_fail(e, IOM_EINVAL, "capability: '%.48s' is named twice", c));
                    break;
                }
        }
    if (bad)
        return IOM_EINVAL; /* every problem told to note; e holds the last */
    *out = f;
    return IOM_OK;
}

#undef CHECK

iom_err apmis_validate(const apmis_input *in, int64_t today, apmis_fields *out, iom_error *e)
{
    return apmis_validate_each(in, today, out, NULL, NULL, e);
}

/* ---- access ---- */

#define R(x) IOM_ROLE_BIT(IOM_ROLE_##x)

bool apmis_reads_all(const apmis_actor *a)
{
    return (a->roles & (R(APMIS) | R(TOEX_MANAGER) | R(AUDITOR))) != 0;
}

iom_err apmis_may_record(const apmis_actor *a, int64_t lead_agency_id, iom_error *e)
{
    if (a->roles & R(APMIS))
        return IOM_OK;
    if ((a->roles & (R(SPOC) | R(SIO))) && a->agency_id != 0 && a->agency_id == lead_agency_id)
        return IOM_OK;
    return iom_fail(e, IOM_EFORBIDDEN,
                    "apmis record: only an APMIS recorder (role apmis), or a spoc or sio of the "
                    "lead agency, records a disruption");
}

static bool regional(const apmis_actor *a)
{
    return a->region_id != 0 &&
           ((a->roles & (R(GATEWAY) | R(TTCG))) || a->agency_kind == IOM_AGENCY_ROCU);
}

apmis_read_scope apmis_read_scope_of(const apmis_actor *a)
{
    apmis_read_scope s = {.clearance = a->clearance};
    s.all = apmis_reads_all(a);
    if (access_operational(a->roles) && a->agency_id != 0) {
        s.agency_id = a->agency_id;
        s.region_id = regional(a) ? a->region_id : 0;
    }
    return s;
}

bool apmis_scope_admits(const apmis_read_scope *s, const apmis_record_facts *r)
{
    if (!iom_clearance_allows(s->clearance, r->marking))
        return false;
    if (s->all)
        return true;
    if (s->agency_id == 0)
        return false;
    if (s->agency_id == r->lead_agency_id || s->agency_id == r->owner_agency_id)
        return true;
    for (size_t i = 0; i < r->ncapabilities; i++)
        if (r->capability_ids[i] == s->agency_id)
            return true;
    return s->region_id != 0 &&
           (s->region_id == r->lead_region_id || s->region_id == r->owner_region_id);
}

bool apmis_may_read(const apmis_actor *a, const apmis_record_facts *r)
{
    apmis_read_scope s = apmis_read_scope_of(a);
    return apmis_scope_admits(&s, r);
}

iom_err apmis_report_scope(const apmis_actor *a, const apmis_scope *asked, apmis_scope *out,
                           iom_error *e)
{
    if (asked->region_id && asked->agency_id && asked->agency_region_id != asked->region_id)
        return iom_fail(e, IOM_EINVAL, "force: the agency is not in the region asked for");
    if (apmis_reads_all(a)) {
        *out = *asked;
        return IOM_OK;
    }
    if (!(a->roles & (R(SPOC) | R(SIO) | R(CUSTOMER) | R(GATEWAY) | R(TTCG))) || a->agency_id == 0)
        return iom_fail(e, IOM_EFORBIDDEN,
                        "apmis report: readable by apmis, toex_manager and auditor, and by spoc, "
                        "sio, customer, gateway and ttcg users for their own agency or region");
    apmis_scope s = {0};
    if (regional(a)) {
        if ((asked->region_id && asked->region_id != a->region_id) ||
            (asked->agency_id && asked->agency_region_id != a->region_id))
            return iom_fail(e, IOM_EFORBIDDEN,
                            "apmis report: you may read the report for your own region only");
        s.region_id = a->region_id;
        s.agency_id = asked->agency_id;
        s.agency_region_id = asked->agency_region_id;
    } else {
        if ((asked->agency_id && asked->agency_id != a->agency_id) ||
            (asked->region_id && asked->region_id != a->region_id))
            return iom_fail(e, IOM_EFORBIDDEN,
                            "apmis report: you may read the report for your own agency only");
        s.region_id = asked->region_id;
        s.agency_id = a->agency_id;
        s.agency_region_id = a->region_id;
    }
    *out = s;
    return IOM_OK;
}

/* ---- statistics ---- */

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

void apmis_sort(int64_t *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_i64);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t apmis_percentile(const int64_t *v, size_t n, unsigned p)
{
    if (n == 0)
        return 0;
    if (p > 100)
        p = 100;
    uint64_t num = (uint64_t)(n - 1) * p;
    size_t k = (size_t)(num / 100);
    int64_t rem = (int64_t)(num % 100);
    if (rem == 0 || k + 1 >= n)
        return v[k];
    /* v[k] + (v[k+1] - v[k]) * rem / 100, rounded half up, exactly. */
    int64_t scaled = (v[k + 1] - v[k]) * rem + 50;
    return v[k] + floor_div(scaled, 100);
}

/* ---- period ---- */

iom_err apmis_period_make(const char *from, const char *to, int64_t now, int64_t today,
                          apmis_period *out, iom_error *e)
{
    apmis_period p = {0};
    iom_err err;
    if (from && (err = apmis_day_parse("from", from, &p.from_day, e)))
        return err;
    p.has_from = from != NULL;
    p.to_day = today;
    if (to && (err = apmis_day_parse("to", to, &p.to_day, e)))
        return err;
    if (p.has_from && p.from_day > p.to_day)
        return iom_fail(e, IOM_EINVAL, "from: %s is after the end of the period", from);
    /* a period that starts after today has nothing in it yet, and its products would count as
       not delivered before they are due (review 81 L4) */
    if (p.has_from && p.from_day > today) {
        char t[16];
        apmis_day_format(today, t);
        return iom_fail(e, IOM_EINVAL, "from: %s is after today (%s in the UK); a report counts "
                                       "what has happened",
                        from, t);
    }
    /* The days are the UK's (today is): a day runs from its 00:00 in Europe/London, so that
       at 00:30 BST a period from today starts an hour ago, not 23.5 hours on (review 89 L1). */
    p.start = p.has_from ? iom_uk_day_start(p.from_day) : INT64_MIN;
    p.end = p.limit = iom_uk_day_start(p.to_day + 1);
    if (p.end > now) { /* ends now: what happened in this very second is in it */
        p.end = now;
        p.limit = now + 1;
    }
    *out = p;
    return IOM_OK;
}

/* ---- the report ---- */

static void taskings_and_times(const apmis_report_input *in, const apmis_period *p, iom_arena *a,
                               apmis_report *r)
{
    /* Durations of every visit counted, grouped by state after the pass. */
    size_t cap = in->nevents + in->ntaskings + 1;
    int64_t *dur = iom_arena_new(a, int64_t, cap);
    int *st = iom_arena_new(a, int, cap);
    size_t nd = 0, ev = 0;
    for (size_t i = 0; i < in->ntaskings; i++) {
        const apmis_tasking_row *t = &in->taskings[i];
        while (ev < in->nevents && in->events[ev].tasking_id < t->id)
            ev++;
        size_t first = ev;
        while (ev < in->nevents && in->events[ev].tasking_id == t->id)
            ev++;
        apmis_event_row only = {t->id, t->created_at, t->state};
        const apmis_event_row *evs = first < ev ? &in->events[first] : &only;
        size_t nev = first < ev ? ev - first : 1;
        bool have_state = false;
        iom_tasking_state at_end = IOM_TS_DRAFT;
        int64_t at_end_since = 0;
        for (size_t k = 0; k < nev;) {
            /* One visit: a run of events into the same state (stays do not split it). */
            iom_tasking_state s = evs[k].to_state;
            int64_t begin = evs[k].at;
            size_t j = k + 1;
            while (j < nev && evs[j].to_state == s)
                j++;
            bool open = j >= nev;
            int64_t leave = open ? INT64_MAX : evs[j].at;
            if (begin < p->limit) {
                have_state = true;
                at_end = s;
                at_end_since = begin;
                if (!lifecycle_state_ended(s) && leave > p->start) {
                    int64_t stop = leave < p->end ? leave : p->end;
                    dur[nd] = stop - begin;
                    st[nd++] = (int)s;
                }
            }
            k = j;
        }
        if (!have_state || (lifecycle_state_ended(at_end) && at_end_since < p->start))
            continue;
        r->taskings++;
        r->by_state[at_end]++;
    }
    int64_t *buf = iom_arena_new(a, int64_t, nd + 1);
    for (int s = 0; s < IOM_TS_COUNT; s++) {
        size_t n = 0;
        int64_t total = 0;
        for (size_t i = 0; i < nd; i++)
            if (st[i] == s) {
                buf[n++] = dur[i];
                total += dur[i];
            }
        apmis_sort(buf, n);
        r->time[s] = (apmis_state_time){(int64_t)n, total, apmis_percentile(buf, n, 50),
                                        apmis_percentile(buf, n, 90)};
    }
}

static int cmp_due(const void *x, const void *y)
{
    const apmis_due_row *a = x, *b = y;
    if (a->tasking_id != b->tasking_id)
        return (a->tasking_id > b->tasking_id) - (a->tasking_id < b->tasking_id);
    if (a->type != b->type)
        return (a->type > b->type) - (a->type < b->type);
    return (a->due_day > b->due_day) - (a->due_day < b->due_day);
}

static int cmp_del(const void *x, const void *y)
{
    const apmis_delivery_row *a = x, *b = y;
    if (a->tasking_id != b->tasking_id)
        return (a->tasking_id > b->tasking_id) - (a->tasking_id < b->tasking_id);
    if (a->type != b->type)
        return (a->type > b->type) - (a->type < b->type);
    return (a->delivered_at > b->delivered_at) - (a->delivered_at < b->delivered_at);
}

static bool day_in(const apmis_period *p, int64_t day)
{
    return (!p->has_from || day >= p->from_day) && day <= p->to_day;
}

static void products(const apmis_report_input *in, const apmis_period *p, iom_arena *a,
                     apmis_report *r)
{
    apmis_due_row *d = iom_arena_new(a, apmis_due_row, in->ndues + 1);
    apmis_delivery_row *v = iom_arena_new(a, apmis_delivery_row, in->ndeliveries + 1);
    if (in->ndues)
        memcpy(d, in->dues, in->ndues * sizeof *d);
    /* A delivery at or after the report's end is not yet a delivery: it sorts last. */
    for (size_t i = 0; i < in->ndeliveries; i++) {
        v[i] = in->deliveries[i];
        if (v[i].delivered_at <= 0 || v[i].delivered_at >= p->limit)
            v[i].delivered_at = INT64_MAX;
    }
    qsort(d, in->ndues, sizeof *d, cmp_due);
    qsort(v, in->ndeliveries, sizeof *v, cmp_del);
    /* Pair, per tasking and type, the i-th earliest due with the i-th earliest delivery. */
    size_t j = 0;
    for (size_t i = 0; i < in->ndues;) {
        size_t g = i;
        while (g < in->ndues && d[g].tasking_id == d[i].tasking_id && d[g].type == d[i].type)
            g++;
        while (j < in->ndeliveries && (v[j].tasking_id < d[i].tasking_id ||
                                       (v[j].tasking_id == d[i].tasking_id && v[j].type < d[i].type)))
            j++;
        for (size_t k = i; k < g; k++) {
            int64_t got = INT64_MAX;
            iom_marking got_marking = IOM_MARKING_OFFICIAL;
            if (j < in->ndeliveries && v[j].tasking_id == d[k].tasking_id && v[j].type == d[k].type) {
                got_marking = v[j].marking;
                got = v[j++].delivered_at;
            }
            /* by the due day's end in the UK (00:00 Europe/London of the day after) */
            int64_t due_end = iom_uk_day_start(d[k].due_day + 1);
            if (got != INT64_MAX) {
                /* delivered: counted in the period it was delivered in, whenever it was due
                   (review 113 M3: one delivered early counted nowhere until its due day) */
                if (got < p->start)
                    continue;
                /* the report tells of the delivery: it is marked as high as the product */
                if (got_marking > r->marking)
                    r->marking = got_marking;
                r->products.due++;
                if (got < due_end)
                    r->products.on_time++;
                else
                    r->products.late++;
            } else if (day_in(p, d[k].due_day) && due_end <= p->end) {
                /* not delivered by the end: counted once its due day has passed, in the
                   period that day is in (not before it is due: a --to after today counted
                   products not yet due) */
                r->products.due++;
                r->products.not_delivered++;
            }
        }
        i = g;
    }
}

static int64_t sat_add(int64_t a, int64_t b)
{
    int64_t s;
    return __builtin_add_overflow(a, b, &s) ? INT64_MAX : s;
}

static void add_disruption(apmis_disruption_totals *t, const apmis_disruption_row *d)
{
    t->count++;
    t->by_impact[d->impact]++;
    t->arrests = sat_add(t->arrests, d->arrests);
    t->safeguarded = sat_add(t->safeguarded, d->safeguarded);
    t->seized_pence = sat_add(t->seized_pence, d->seized_pence);
}

static bool in_period(const apmis_period *p, int64_t t)
{
    return t >= p->start && t < p->limit;
}

void apmis_report_compute(const apmis_report_input *in, const apmis_period *p, iom_arena *a,
                          apmis_report *out)
{
    apmis_report r;
    memset(&r, 0, sizeof r);
    r.period = *p;
    r.marking = IOM_MARKING_OFFICIAL;
    for (size_t i = 0; i < in->ntaskings; i++)
        if (in->taskings[i].marking > r.marking)
            r.marking = in->taskings[i].marking;
    taskings_and_times(in, p, a, &r);
    products(in, p, a, &r);
    for (size_t i = 0; i < in->noptions; i++) {
        const apmis_option_row *o = &in->options[i];
        if (!in_period(p, o->created_at) || o->status >= IOM_OPTION_STATUS_COUNT)
            continue;
        if (o->marking > r.marking) /* review 125 L2: what is counted marks the report */
            r.marking = o->marking;
        r.options.recorded++;
        r.options.by_status[o->status]++;
        if (o->status == IOM_OPTION_ACTIONED && o->strand < IOM_STRAND_COUNT)
            r.options.actioned_by_strand[o->strand]++;
    }
    for (size_t i = 0; i < in->nintel; i++) {
        const apmis_intel_row *it = &in->intel[i];
        if (!in_period(p, it->created_at))
            continue;
        if (it->marking > r.marking)
            r.marking = it->marking;
        r.pnd.items++;
        if (it->pnd == 1)
            r.pnd.recorded++;
        else if (it->pnd == 2)
            r.pnd.not_required++;
        else
            r.pnd.pending++;
    }
    for (size_t i = 0; i < in->ndisruptions; i++) {
        const apmis_disruption_row *d = &in->disruptions[i];
        if (!day_in(p, d->day) || d->impact >= IOM_IMPACT_COUNT)
            continue;
        if (d->marking > r.marking)
            r.marking = d->marking;
        add_disruption(&r.disruptions_all, d);
        if (d->toex)
            add_disruption(&r.disruptions_toex, d);
    }
    *out = r;
}
