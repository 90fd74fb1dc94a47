/* SQLite back-end: the tasking area (store/tasking_store.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite/sqlite_internal.h"
#include "store/tasking_store.h"

/* The columns tasking_row reads; BID is "t.bid_json", or "NULL" where the content is not
   wanted (lists of summaries). The names of the agencies, regions and users the row refers to
   come from the handle's cache (sqs_names_tasking), not from nine more joins. */
/* A tasking never sent to the Gateway: a draft, or a draft withdrawn (review 111 M1: a draft
   withdrawn unsent was read as sent, by the region's Gateway and TTCG). CASE evaluates its
   branches in order on both back-ends, so the event is looked up for withdrawn taskings only. */
#define TASKING_UNSENT                                                                         \
    "CASE WHEN t.state = 'draft' THEN 1 WHEN t.state <> 'withdrawn' THEN 0 WHEN EXISTS (SELECT "\
    "1 FROM tasking_event ue WHERE ue.tasking_id = t.id AND ue.to_state = 'withdrawn' AND "     \
    "ue.from_state = 'draft') THEN 1 ELSE 0 END"
/* UNSENT: TASKING_UNSENT for one tasking's row; 0 in a list (a list row's unsent is its draft
   state: the list's scope leaves the withdrawn unsent out where they matter, and the use-case's
   re-check reads such a row whole where its answer depends on it, app/tasking_read.c). On
   PostgreSQL the subquery in a list's columns made the auditor's list of 2,000 taskings 5x
   dearer inside the database (0.040 -> 0.202 ms a page) and halved its throughput. */
#define TASKING_COLS_WITH(BID, UNSENT)                                                         \
    "t.id, t.ref, t.threat_id, t.state, t.requesting_agency_id, t.spoc_id, t.customer_id, "    \
    "t.sio_id, t.sia_id, t.urgency, t.marking, " BID ", t.reached_toex, t.escalated_ftt, "     \
    "t.version, t.state_since, t.created_at, t.updated_at, t.created_by, "                     \
    "th.ref, th.title, th.type, t.region_id, th.owner_id, th.sio_id, " UNSENT " "              \
    "FROM tasking t JOIN threat th ON th.id = t.threat_id "
#define TASKING_COLS TASKING_COLS_WITH("t.bid_json", TASKING_UNSENT)

/* The statements of a tasking view's parts: file scope, so that view_ahead runs the very
   statements (the cache's key is the text's address) that the functions below run. */
static const char SQL_EVENTS[] =
        "SELECT ev.id, ev.at, ev.action, ev.actor_id, u.name, ev.role, ev.from_state, ev.to_state, ev.reason"
        " FROM tasking_event ev LEFT JOIN \"user\" u ON u.id = ev.actor_id WHERE ev.tasking_id = ?1 ORDER BY ev.id";
static const char SQL_MEMBERS[] =
        "SELECT m.user_id, u.name, u.roles, m.added_at FROM tasking_member m JOIN \"user\" u ON u.id = m.user_id"
        " WHERE m.tasking_id = ?1 ORDER BY u.name";
static const char SQL_TOR_GET[] =
        "SELECT r.id, r.version, r.content_json, r.start_date, r.end_date, r.proposed_by, r.proposed_at,"
        " ga.user_id, ga.at, gs.user_id, gs.at, up.name, ua.name, us.name"
        " FROM tor r LEFT JOIN tor_agreement ga ON ga.tor_id = r.id AND ga.role = 'sia'"
        " LEFT JOIN tor_agreement gs ON gs.tor_id = r.id AND gs.role = 'sio'"
        " LEFT JOIN \"user\" up ON up.id = r.proposed_by LEFT JOIN \"user\" ua ON ua.id = ga.user_id"
        " LEFT JOIN \"user\" us ON us.id = gs.user_id"
        " WHERE r.tasking_id = ?1 AND (?2 = 0 OR r.version = ?2) ORDER BY r.version DESC LIMIT 1";
static const char SQL_TOR_AGREED[] =
        "SELECT max(r.version) FROM tor r WHERE r.tasking_id = ?1"
        " AND (SELECT count(*) FROM tor_agreement g WHERE g.tor_id = r.id) = 2";
static const char SQL_ASSESSMENT_LATEST[] =
        "SELECT a.id, a.tasking_id, a.kind, a.version, a.content_json, a.score_tenths, a.band,"
        " a.recommendation, a.rationale, a.proposed_by, a.proposed_at, a.sia_signed_by,"
        " a.sia_signed_at, a.sio_signed_by, a.sio_signed_at,"
        " coalesce((SELECT s.scoring_version FROM assessment_scoring s WHERE s.assessment_id = a.id), 1),"
        " g.agreed_by, g.agreed_at, gu.name"
        " FROM assessment a LEFT JOIN transfer_agreement g ON g.assessment_id = a.id"
        " LEFT JOIN \"user\" gu ON gu.id = g.agreed_by"
        " WHERE a.tasking_id = ?1 AND a.kind = ?2 ORDER BY a.version DESC LIMIT 1";
/* The SIO's agreement is recorded on the reassessment the request rests on: the tasking's
   latest (none is made once the tasking has left reassessment). */
static const char SQL_TRANSFER_LATEST[] =
        "SELECT x.id, x.tasking_id, x.from_owner_id, x.rationale, x.requested_by, x.requested_at,"
        " x.escalated_by, x.escalated_at, x.escalation_rationale, x.decided_by, x.decided_at,"
        " x.decided_as, x.decision, x.decision_reason, x.new_owner_id, x.new_sio_id,"
        " fo.code, no.code, ns.name, g.agreed_by, g.agreed_at, gu.name, rq.name, es.name, dc.name"
        " FROM transfer x JOIN agency fo ON fo.id = x.from_owner_id"
        " LEFT JOIN \"user\" rq ON rq.id = x.requested_by LEFT JOIN \"user\" es ON es.id = x.escalated_by"
        " LEFT JOIN \"user\" dc ON dc.id = x.decided_by"
        " LEFT JOIN agency no ON no.id = x.new_owner_id LEFT JOIN \"user\" ns ON ns.id = x.new_sio_id"
        " LEFT JOIN transfer_agreement g ON g.assessment_id = (SELECT a.id FROM assessment a"
        " WHERE a.tasking_id = x.tasking_id AND a.kind = 'reassessment' ORDER BY a.version DESC LIMIT 1)"
        " LEFT JOIN \"user\" gu ON gu.id = g.agreed_by"
        " WHERE x.tasking_id = ?1 ORDER BY x.id DESC LIMIT 1";
static const char SQL_MILESTONES_DONE[] = "SELECT m.name, m.done_at, u.name FROM milestone_done m JOIN \"user\" u"
                              " ON u.id = m.done_by WHERE m.tasking_id = ?1"
                              " ORDER BY m.done_at, m.name";

static int64_t i64(db_stmt *st, int i) { return db_col_int64(st, i); }

/* The row's own columns; the names are filled in afterwards (sqs_names_tasking). */
static void tasking_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_tasking_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->threat_id = i64(st, 2);
    lifecycle_state_parse((const char *)db_col_text(st, 3), &o->state, NULL);
    o->requesting_agency_id = i64(st, 4);
    o->spoc_id = i64(st, 5);
    o->customer_id = i64(st, 6);
    o->sio_id = i64(st, 7);
    o->sia_id = i64(st, 8);
    products_urgency_parse((const char *)db_col_text(st, 9), &o->urgency, NULL);
    iom_marking_parse((const char *)db_col_text(st, 10), &o->marking, NULL);
    o->bid_json = sqs_col_text(st, 11, a);
    o->reached_toex = db_col_int(st, 12) != 0;
    o->escalated_ftt = db_col_int(st, 13) != 0;
    o->version = i64(st, 14);
    o->state_since = i64(st, 15);
    o->created_at = i64(st, 16);
    o->updated_at = i64(st, 17);
    o->created_by = i64(st, 18);
    o->threat_ref = sqs_col_text(st, 19, a);
    o->threat_title = sqs_col_text(st, 20, a);
    iom_threat_type_parse((const char *)db_col_text(st, 21), &o->threat_type, NULL);
    o->requesting_region_id = i64(st, 22);
    o->owner_id = i64(st, 23);
    o->threat_sio_id = i64(st, 24);
    o->unsent = o->state == IOM_TS_DRAFT || db_col_int(st, 25) != 0;
}

static void bind_id(db_stmt *st, int i, int64_t id)
{
    if (id)
        db_bind_int64(st, i, id);
    else
        db_bind_null(st, i);
}

static iom_err t_insert(iom_store *is, iom_tasking_t *t, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO tasking(threat_id, state, requesting_agency_id, spoc_id, customer_id, sio_id,"
        " sia_id, urgency, marking, bid_json, reached_toex, escalated_ftt, state_since, created_at,"
        " updated_at, created_by, region_id)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13,?13,?14,?15)";
    static const char setref[] =
        "UPDATE tasking SET ref = iom_ref(?2, id) WHERE id = ?1 RETURNING ref";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->threat_id);
    sqs_bind_text(st, 2, lifecycle_state_name(t->state));
    db_bind_int64(st, 3, t->requesting_agency_id);
    db_bind_int64(st, 4, t->spoc_id);
    bind_id(st, 5, t->customer_id);
    db_bind_int64(st, 6, t->sio_id);
    bind_id(st, 7, t->sia_id);
    sqs_bind_text(st, 8, products_urgency_name(t->urgency));
    sqs_bind_text(st, 9, iom_marking_name(t->marking));
    sqs_bind_text(st, 10, t->bid_json);
    db_bind_int64(st, 11, t->reached_toex);
    db_bind_int64(st, 12, t->escalated_ftt);
    db_bind_int64(st, 13, t->created_at);
    bind_id(st, 14, t->created_by);
    bind_id(st, 15, t->requesting_region_id);
    iom_err err = sqs_step_done(s, st, e, "tasking");
    /* The tasking_one_open triggers (migration 4) raise a constraint failure. */
    if (err == IOM_ECONFLICT || (err == IOM_EINVAL && e && strstr(e->msg, "already has an open tasking")))
        return iom_fail(e, IOM_ECONFLICT, "threat already has an open tasking; a threat has one open tasking at a time");
    if (err)
        return err;
    t->id = db_last_id(s);
    t->version = 1;
    t->state_since = t->updated_at = t->created_at;
    if (!(st = sqs_prep(s, setref, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->id);
    /* TOEX-<year of creation, UTC>-<id> */
    time_t made = (time_t)t->created_at;
    struct tm tm;
    char prefix[24];
    snprintf(prefix, sizeof prefix, "TOEX-%04d", gmtime_r(&made, &tm) ? tm.tm_year + 1900 : 1970);
    sqs_bind_text(st, 2, prefix);
    if (db_step(st) != DB_ROW) {
        err = sqs_fail(s, e, "tasking reference");
        sqs_done(s, st);
        return err;
    }
    t->ref = sqs_col_text(st, 0, a);
    sqs_done(s, st);
    return s->index_tasking(s, t->id, e);
}

static iom_err t_get(iom_store *is, const char *ref, iom_arena *a, iom_tasking_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " TASKING_COLS "WHERE t.ref = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    iom_err err = sqs_fetch_one(s, st, a, tasking_row, out, e, "tasking", "tasking: '%s' not found", ref);
    return err ? err : sqs_names_tasking(s, out, 1, a, e);
}

/* Whether an update of tasking id to this bid and marking changes its search document (the
   bid's text, the marking) or the tasking has none yet (rows written by other means, e.g. an
   older iom); a state change alone leaves the document as it is. Rewriting it at every
   transition was most of a transition's time (bench_lifecycle: 0.40 against 0.20 ms CPU). */
static iom_err search_text_changes(sq_store *s, const iom_tasking_t *t, bool *out, iom_error *e)
{
    static const char sql[] =
        "SELECT CASE WHEN t.bid_json IS NOT DISTINCT FROM ?2 AND t.marking = ?3 AND EXISTS"
        " (SELECT 1 FROM search_doc d WHERE d.tasking_id = t.id AND d.kind = 'tasking')"
        " THEN 0 ELSE 1 END FROM tasking t WHERE t.id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->id);
    sqs_bind_text(st, 2, t->bid_json);
    sqs_bind_text(st, 3, iom_marking_name(t->marking));
    int rc = db_step(st);
    *out = rc != DB_ROW || db_col_int(st, 0) != 0; /* no row: the update reports it */
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "tasking search document");
    sqs_done(s, st);
    return err;
}

static iom_err t_update(iom_store *is, iom_tasking_t *t, int64_t expected, iom_error *e)
{
    sq_store *s = SQ(is);
    bool reindex = true;
    iom_err cerr = search_text_changes(s, t, &reindex, e);
    if (cerr)
        return cerr;
    static const char sql[] =
        "UPDATE tasking SET state = ?2, sia_id = ?3, customer_id = ?4, urgency = ?5, marking = ?6,"
        " bid_json = ?7, reached_toex = ?8, escalated_ftt = ?9, state_since = ?10, updated_at = ?11,"
        " version = version + 1 WHERE id = ?1 AND version = ?12";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->id);
    sqs_bind_text(st, 2, lifecycle_state_name(t->state));
    bind_id(st, 3, t->sia_id);
    bind_id(st, 4, t->customer_id);
    sqs_bind_text(st, 5, products_urgency_name(t->urgency));
    sqs_bind_text(st, 6, iom_marking_name(t->marking));
    sqs_bind_text(st, 7, t->bid_json);
    db_bind_int64(st, 8, t->reached_toex);
    db_bind_int64(st, 9, t->escalated_ftt);
    db_bind_int64(st, 10, t->state_since);
    db_bind_int64(st, 11, t->updated_at);
    db_bind_int64(st, 12, expected);
    iom_err err = sqs_step_done(s, st, e, "tasking update");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT,
                        "tasking %s: version %lld is not the current version (changed meanwhile)",
                        t->ref ? t->ref : "?", (long long)expected);
    if (!err)
        t->version = expected + 1;
    return err || !reindex ? err : s->index_tasking(s, t->id, e);
}

/* The list's statement is built from the shape of the request: which clauses of the user's
   scope grant anything and which filters are set. A statement with parameter switches
   ("?1 OR ...", "? IS NULL OR ...") has one text for every user, but PostgreSQL then plans it
   at every execution (a custom plan folds the switches, so it always looks cheaper than the
   generic one) and the 11-way join made planning the larger part of a list request. Each
   shape below is its own text, with no switch left in it, so a prepared statement keeps one
   generic plan; SQLite gains a WHERE it can read as it is. The texts are built once per
   process and never freed (at most LIST_SHAPES of them, a few in practice), so their
   addresses can key the statement cache. */
enum {
    LIST_ALL = 1 << 0,      /* every tasking (audit): no scope clause */
    LIST_AGENCY = 1 << 1,   /* the requesting or owning agency */
    LIST_REGION = 1 << 2,   /* the requesting or owning agency's region */
    LIST_USER = 1 << 3,     /* the SIA or on the team */
    LIST_TOEX = 1 << 4,     /* reached TOEX */
    LIST_FTT = 1 << 5,      /* escalated to the FTT */
    LIST_STATE = 1 << 6,    /* filter: state */
    LIST_RCODE = 1 << 7,    /* filter: region code (requesting or owning) */
    LIST_OWNER = 1 << 8,    /* filter: owner agency */
    LIST_OS = 1 << 9,       /* cleared for OFFICIAL-SENSITIVE: no marking filter */
    LIST_AFTER = 1 << 10,   /* the cursor */
    LIST_SIO = 1 << 11,     /* the threat's SIO */
    LIST_NODRAFT = 1 << 12, /* every tasking but drafts (apmis: a draft has no outcome yet) */
    LIST_SHAPES = 1 << 13
};

/* The LIMIT of a list statement is written into its text, rounded up to one of these (the
   rows past the caller's limit are dropped): with `LIMIT $n` PostgreSQL's generic plan assumes
   a tenth of the table is fetched, finds it dearer than a plan made for the value, and so plans
   the statement again at every execution (0.38 of the list's 0.70 ms inside PostgreSQL,
   docs/performance.md); with a number its generic plan is as cheap, and after five executions
   it keeps that one. The API asks for its page size plus one (51 by default, 1001 at most). A
   limit of 0 (every row) or one past the last bucket is bound as a parameter. */
static const size_t list_limits[] = {2, 6, 11, 21, 26, 51, 101, 251, 501, 1001};
#define LIST_LIMITS (sizeof list_limits / sizeof *list_limits)

/* The bucket of limit: its index in list_limits, or LIST_LIMITS for a bound parameter. */
static size_t list_limit_bucket(size_t limit)
{
    for (size_t i = 0; limit && i < LIST_LIMITS; i++)
        if (limit <= list_limits[i])
            return i;
    return LIST_LIMITS;
}

static const char *list_sql(unsigned shape, size_t bucket)
{
    static const char *texts[LIST_SHAPES][LIST_LIMITS + 1];
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&mu);
    const char *t = texts[shape][bucket];
    if (!t) {
        char buf[4096], *p = buf;
        size_t left = sizeof buf;
        int n = 0; /* parameters so far: numbered in order of appearance, none skipped */
#define ADD(...)                                                                               \
    do {                                                                                       \
        int k_ = snprintf(p, left, __VA_ARGS__);                                               \
        p += k_;                                                                               \
        left -= (size_t)k_;                                                                    \
    } while (0)
        const char *and = " WHERE ";
        ADD("SELECT " TASKING_COLS_WITH("NULL", "0"));
        if (shape & (LIST_REGION | LIST_RCODE)) /* the owner's region */
            ADD("JOIN agency o ON o.id = th.owner_id ");
        if (!(shape & LIST_OS)) {
            ADD("%st.marking = 'OFFICIAL'", and);
            and = " AND ";
        }
        if (!(shape & LIST_ALL)) {
            const char *or = "";
            ADD("%s(", and);
            and = " AND ";
            if (shape & LIST_AGENCY) {
                n++;
                ADD("t.requesting_agency_id = ?%d OR th.owner_id = ?%d", n, n);
                or = " OR ";
            }
            if (shape & LIST_SIO) {
                n++;
                ADD("%sth.sio_id = ?%d", or, n);
                or = " OR ";
            }
            if (shape & LIST_REGION) {
                n++;
                /* a draft is its SPOC's until submitted (domain/access.h) */
                ADD("%s((t.region_id = ?%d OR o.region_id = ?%d) AND (" TASKING_UNSENT ") = 0)", or, n, n);
                or = " OR ";
            }
            if (shape & LIST_USER) {
                n++;
                ADD("%st.sia_id = ?%d OR EXISTS (SELECT 1 FROM tasking_member m"
                    " WHERE m.tasking_id = t.id AND m.user_id = ?%d)", or, n, n);
                or = " OR ";
            }
            if (shape & LIST_TOEX) {
                ADD("%st.reached_toex <> 0", or);
                or = " OR ";
            }
            if (shape & LIST_FTT) {
                ADD("%st.escalated_ftt <> 0", or);
                or = " OR ";
            }
            if (shape & LIST_NODRAFT)
                ADD("%s(" TASKING_UNSENT ") = 0", or);
            ADD(")");
        }
        if (shape & LIST_STATE) {
            ADD("%st.state = ?%d", and, ++n);
            and = " AND ";
        }
        if (shape & LIST_RCODE) {
            n++;
            ADD("%s(t.region_id = (SELECT id FROM region WHERE code = ?%d)"
                " OR o.region_id = (SELECT id FROM region WHERE code = ?%d))", and, n, n);
            and = " AND ";
        }
        if (shape & LIST_OWNER) {
            ADD("%sth.owner_id = ?%d", and, ++n);
            and = " AND ";
        }
        if (shape & LIST_AFTER) /* seekable: the scan starts at the cursor */
            ADD("%st.ref > ?%d", and, ++n);
        if (bucket < LIST_LIMITS)
            ADD(" ORDER BY t.ref LIMIT %zu", list_limits[bucket]);
        else
            ADD(" ORDER BY t.ref LIMIT ?%d", ++n);
#undef ADD
        t = texts[shape][bucket] = strdup(buf); /* NULL when out of memory: tried again next time */
    }
    pthread_mutex_unlock(&mu);
    return t;
}

static iom_err t_list(iom_store *is, const iom_tasking_filter *f, iom_arena *a, iom_tasking_t **out,
                      size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    /* The scope's clauses as access_scope_relation reads them; a zero id grants nothing. */
    const access_scope *sc = &f->scope;
    bool region = sc->region_as != IOM_ACCESS_NONE && sc->region_id;
    unsigned shape = sc->all == IOM_ACCESS_AUDIT
                         ? LIST_ALL
                         : (sc->agency_id ? LIST_AGENCY : 0) | (region ? LIST_REGION : 0) |
                               (sc->user_id ? LIST_USER : 0) | (sc->sio_user_id ? LIST_SIO : 0) |
                               (sc->reached_toex ? LIST_TOEX : 0) |
                               (sc->escalated_ftt ? LIST_FTT : 0) |
                               (sc->all == IOM_ACCESS_APMIS ? LIST_NODRAFT : 0);
    *out = NULL;
    *n = 0;
    if (!shape)
        return IOM_OK; /* a scope that grants nothing */
    shape |= (f->state >= 0 ? LIST_STATE : 0) | (f->region ? LIST_RCODE : 0) |
             (f->owner_id ? LIST_OWNER : 0) |
             (sc->clearance == IOM_MARKING_OFFICIAL_SENSITIVE ? LIST_OS : 0) |
             (f->after_ref ? LIST_AFTER : 0);
    size_t bucket = list_limit_bucket(f->limit);
    const char *sql = list_sql(shape, bucket);
    if (!sql)
        return iom_fail(e, IOM_ENOMEM, "tasking list: out of memory");
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    int k = 0; /* bound in the order list_sql numbered them */
    if (shape & LIST_AGENCY)
        db_bind_int64(st, ++k, sc->agency_id);
    if (shape & LIST_SIO)
        db_bind_int64(st, ++k, sc->sio_user_id);
    if (shape & LIST_REGION)
        db_bind_int64(st, ++k, sc->region_id);
    if (shape & LIST_USER)
        db_bind_int64(st, ++k, sc->user_id);
    if (shape & LIST_STATE)
        sqs_bind_text(st, ++k, lifecycle_state_name((iom_tasking_state)f->state));
    if (shape & LIST_RCODE)
        sqs_bind_text(st, ++k, f->region);
    if (shape & LIST_OWNER)
        db_bind_int64(st, ++k, f->owner_id);
    if (shape & LIST_AFTER)
        sqs_bind_text(st, ++k, f->after_ref);
    if (bucket == LIST_LIMITS)
        db_bind_int64(st, ++k, f->limit ? (int64_t)f->limit : INT64_MAX);
    iom_err err = sqs_collect(s, st, a, sizeof **out, tasking_row, (void **)out, n, e, "tasking list");
    if (!err && f->limit && *n > f->limit)
        *n = f->limit; /* the bucket's extra rows */
    return err ? err : sqs_names_tasking(s, *out, *n, a, e);
}

/* A single integer from a one-row query with one int64 parameter (0 when no row). */
static iom_err scalar(sq_store *s, const char *sql, int64_t p1, int64_t *out, iom_error *e,
                      const char *what)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, p1);
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

static iom_err t_open_for_threat(iom_store *is, int64_t threat_id, int64_t *out, iom_error *e)
{
    static const char sql[] =
        "SELECT id FROM tasking WHERE threat_id = ?1 AND NOT (state = 'closed' OR "
        "state = 'rejected' OR state = 'declined' OR state = 'withdrawn')"; /* = the tasking_one_open triggers */
    return scalar(SQ(is), sql, threat_id, out, e, "open tasking");
}

static iom_err t_supported_for_threat(iom_store *is, int64_t threat_id, iom_marking max_marking, int64_t *out,
                                      iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT coalesce(min(ev.at), 0) FROM tasking_event ev JOIN tasking t ON t.id ="
                              " ev.tasking_id WHERE t.threat_id = ?1 AND ev.action = 'accept'"
                              " AND (t.marking = 'OFFICIAL' OR ?2)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, threat_id);
    db_bind_int64(st, 2, max_marking == IOM_MARKING_OFFICIAL_SENSITIVE);
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "taskings TOEX took on");
    sqs_done(s, st);
    return err;
}

static iom_err t_requested_for_threat(iom_store *is, int64_t threat_id, int64_t agency_id, bool *out,
                                      iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT count(*) FROM tasking t JOIN tasking_event ev ON ev.tasking_id = t.id"
                              " WHERE t.threat_id = ?1 AND t.requesting_agency_id = ?2 AND ev.action = 'accept'";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, threat_id);
    db_bind_int64(st, 2, agency_id);
    int rc = db_step(st);
    *out = rc == DB_ROW && db_col_int64(st, 0) > 0;
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "taskings an agency requested");
    sqs_done(s, st);
    return err;
}

static iom_err t_marked_for_threat(iom_store *is, int64_t threat_id, const char *marking, bool open_only,
                                   iom_arena *a, char **out, iom_error *e)
{
    sq_store *s = SQ(is);
    *out = NULL;
    static const char any[] = "SELECT ref FROM tasking WHERE threat_id = ?1 AND marking = ?2 ORDER BY id LIMIT 1";
    static const char open[] = "SELECT ref FROM tasking WHERE threat_id = ?1 AND marking = ?2 AND NOT (state ="
                               " 'closed' OR state = 'rejected' OR state = 'declined' OR state = 'withdrawn')"
                               " ORDER BY id LIMIT 1";
    db_stmt *st = sqs_prep(s, open_only ? open : any, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, threat_id);
    sqs_bind_text(st, 2, marking);
    return sqs_text1(s, st, a, out, e, "taskings of a threat");
}

static iom_err t_event_add(iom_store *is, const iom_tasking_event_t *ev, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO tasking_event(tasking_id, id, at, action, actor_id, role, from_state, to_state, reason)"
        " VALUES (?1, (SELECT coalesce(max(id), 0) + 1 FROM tasking_event WHERE tasking_id = ?1),"
        " ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, ev->tasking_id);
    db_bind_int64(st, 2, ev->at);
    sqs_bind_text(st, 3, ev->action);
    bind_id(st, 4, ev->actor_id);
    sqs_bind_text(st, 5, ev->role);
    sqs_bind_text(st, 6, ev->from_state >= 0 ? lifecycle_state_name((iom_tasking_state)ev->from_state) : NULL);
    sqs_bind_text(st, 7, lifecycle_state_name(ev->to_state));
    sqs_bind_text(st, 8, ev->reason);
    return sqs_step_done(s, st, e, "tasking event");
}

static iom_err t_events(iom_store *is, int64_t tasking_id, iom_arena *a, iom_tasking_event_t **out,
                        size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const sql = SQL_EVENTS;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    size_t cap = 16, k = 0;
    iom_tasking_event_t *v = iom_arena_new(a, iom_tasking_event_t, cap);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap) {
            iom_tasking_event_t *w = iom_arena_new(a, iom_tasking_event_t, cap * 2);
            memcpy(w, v, k * sizeof *v);
            v = w;
            cap *= 2;
        }
        iom_tasking_event_t *o = &v[k++];
        o->id = i64(st, 0);
        o->tasking_id = tasking_id;
        o->at = i64(st, 1);
        o->action = sqs_col_text(st, 2, a);
        o->actor_id = i64(st, 3);
        o->actor = sqs_col_text(st, 4, a);
        o->role = sqs_col_text(st, 5, a);
        iom_tasking_state fs;
        o->from_state = db_col_null(st, 6) ||
                                lifecycle_state_parse((const char *)db_col_text(st, 6), &fs, NULL)
                            ? -1
                            : (int)fs;
        lifecycle_state_parse((const char *)db_col_text(st, 7), &o->to_state, NULL);
        o->reason = sqs_col_text(st, 8, a);
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "tasking history");
    sqs_done(s, st);
    *out = v;
    *n = k;
    return err;
}

static iom_err t_member_add(iom_store *is, int64_t tasking_id, int64_t user_id, int64_t at,
                            int64_t by, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO tasking_member(tasking_id, user_id, added_at, added_by) VALUES (?1, ?2, ?3, ?4)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_int64(st, 2, user_id);
    db_bind_int64(st, 3, at);
    bind_id(st, 4, by);
    iom_err err = sqs_step_done(s, st, e, "team member");
    if (err == IOM_ECONFLICT)
        return iom_fail(e, IOM_ECONFLICT, "user: already on the tasking's team");
    return err;
}

static iom_err t_member_remove(iom_store *is, int64_t tasking_id, int64_t user_id, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "DELETE FROM tasking_member WHERE tasking_id = ?1 AND user_id = ?2";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_int64(st, 2, user_id);
    iom_err err = sqs_step_done(s, st, e, "team member");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ENOTFOUND, "user: not on the tasking's team");
    return err;
}

static iom_err t_members(iom_store *is, int64_t tasking_id, iom_arena *a, iom_member_t **out,
                         size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const sql = SQL_MEMBERS;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    size_t cap = 8, k = 0;
    iom_member_t *v = iom_arena_new(a, iom_member_t, cap);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap) {
            iom_member_t *w = iom_arena_new(a, iom_member_t, cap * 2);
            memcpy(w, v, k * sizeof *v);
            v = w;
            cap *= 2;
        }
        v[k].user_id = i64(st, 0);
        v[k].user = sqs_col_text(st, 1, a);
        v[k].roles = (iom_roles)db_col_int(st, 2);
        v[k].added_at = i64(st, 3);
        k++;
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "team");
    sqs_done(s, st);
    *out = v;
    *n = k;
    return err;
}

static iom_err t_is_member(iom_store *is, int64_t tasking_id, int64_t user_id, bool *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT 1 FROM tasking_member WHERE tasking_id = ?1 AND user_id = ?2";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_int64(st, 2, user_id);
    int rc = db_step(st);
    *out = rc == DB_ROW;
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "team");
    sqs_done(s, st);
    return err;
}

static iom_err t_tor_insert(iom_store *is, iom_tor_t *t, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO tor(tasking_id, version, content_json, start_date, end_date, proposed_by, proposed_at)"
        " VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM tor WHERE tasking_id = ?1), ?2, ?3, ?4, ?5, ?6)"
        " RETURNING id, version";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->tasking_id);
    sqs_bind_text(st, 2, t->content_json);
    sqs_bind_text(st, 3, t->start_date);
    sqs_bind_text(st, 4, t->end_date);
    bind_id(st, 5, t->proposed_by);
    db_bind_int64(st, 6, t->proposed_at);
    iom_err err = IOM_OK;
    if (db_step(st) == DB_ROW) {
        t->id = i64(st, 0);
        t->version = i64(st, 1);
    } else
        err = sqs_fail(s, e, "terms of reference");
    sqs_done(s, st);
    return err;
}

static iom_err t_tor_get(iom_store *is, int64_t tasking_id, int64_t version, iom_arena *a,
                         iom_tor_t *o, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const sql = SQL_TOR_GET;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_int64(st, 2, version);
    int rc = db_step(st);
    iom_err err = IOM_OK;
    if (rc == DB_ROW) {
        memset(o, 0, sizeof *o);
        o->id = i64(st, 0);
        o->tasking_id = tasking_id;
        o->version = i64(st, 1);
        o->content_json = sqs_col_text(st, 2, a);
        o->start_date = sqs_col_text(st, 3, a);
        o->end_date = sqs_col_text(st, 4, a);
        o->proposed_by = i64(st, 5);
        o->proposed_at = i64(st, 6);
        o->sia_agreed_by = i64(st, 7);
        o->sia_agreed_at = i64(st, 8);
        o->sio_agreed_by = i64(st, 9);
        o->sio_agreed_at = i64(st, 10);
        o->proposer = sqs_col_text(st, 11, a);
        o->sia_agreed = sqs_col_text(st, 12, a);
        o->sio_agreed = sqs_col_text(st, 13, a);
    } else if (rc == DB_DONE) {
        err = version ? iom_fail(e, IOM_ENOTFOUND, "version: terms of reference version %lld does not exist",
                                 (long long)version)
                      : iom_fail(e, IOM_ENOTFOUND, "terms of reference: none proposed yet");
    } else
        err = sqs_fail(s, e, "terms of reference");
    sqs_done(s, st);
    return err;
}

static iom_err t_tor_agree(iom_store *is, int64_t tor_id, const char *role, int64_t user_id,
                           int64_t at, iom_error *e)
{
    sq_store *s = SQ(is);
    /* One agreement per part; another user's agreement for the part (a former SIO's, after the
       threat's SIO changed) is replaced by this one, the same user's is a conflict. Who may
       agree is the use-case's rule (app/tasking_act.c). */
    static const char sql[] =
        "INSERT INTO tor_agreement(tor_id, role, user_id, at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT(tor_id, role) DO UPDATE SET user_id = excluded.user_id, at = excluded.at"
        " WHERE tor_agreement.user_id <> excluded.user_id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tor_id);
    sqs_bind_text(st, 2, role);
    db_bind_int64(st, 3, user_id);
    db_bind_int64(st, 4, at);
    iom_err err = sqs_step_done(s, st, e, "agreement");
    if (err == IOM_ECONFLICT || (!err && db_changes(s) != 1))
        return iom_fail(e, IOM_ECONFLICT, "agreement: the %s has already agreed this version", role);
    return err;
}

static iom_err t_tor_agreed_version(iom_store *is, int64_t tasking_id, int64_t *out, iom_error *e)
{
    static const char *const sql = SQL_TOR_AGREED;
    return scalar(SQ(is), sql, tasking_id, out, e, "agreed terms of reference");
}

static void assessment_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_assessment_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->tasking_id = i64(st, 1);
    o->kind = sqs_col_text(st, 2, a);
    o->version = i64(st, 3);
    o->content_json = sqs_col_text(st, 4, a);
    o->score_tenths = db_col_int(st, 5);
    o->band = sqs_col_text(st, 6, a);
    o->recommendation = sqs_col_text(st, 7, a);
    o->rationale = sqs_col_text(st, 8, a);
    o->proposed_by = i64(st, 9);
    o->proposed_at = i64(st, 10);
    o->sia_signed_by = i64(st, 11);
    o->sia_signed_at = i64(st, 12);
    o->sio_signed_by = i64(st, 13);
    o->sio_signed_at = i64(st, 14);
    o->scoring_version = i64(st, 15);
    o->transfer_agreed_by = i64(st, 16);
    o->transfer_agreed_at = i64(st, 17);
    o->transfer_agreed = sqs_col_text(st, 18, a);
}

static iom_err t_assessment_insert(iom_store *is, iom_assessment_t *x, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO assessment(tasking_id, kind, version, content_json, score_tenths, band,"
        " recommendation, rationale, proposed_by, proposed_at)"
        " VALUES (?1, ?2, (SELECT coalesce(max(version), 0) + 1 FROM assessment WHERE tasking_id = ?1"
        " AND kind = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id, version";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, x->tasking_id);
    sqs_bind_text(st, 2, x->kind);
    sqs_bind_text(st, 3, x->content_json);
    db_bind_int64(st, 4, x->score_tenths);
    sqs_bind_text(st, 5, x->band);
    sqs_bind_text(st, 6, x->recommendation);
    sqs_bind_text(st, 7, x->rationale);
    bind_id(st, 8, x->proposed_by);
    db_bind_int64(st, 9, x->proposed_at);
    iom_err err = IOM_OK;
    if (db_step(st) == DB_ROW) {
        x->id = i64(st, 0);
        x->version = i64(st, 1);
    } else
        err = sqs_fail(s, e, "assessment");
    sqs_done(s, st);
    if (err)
        return err;
    static const char scoring[] =
        "INSERT INTO assessment_scoring(assessment_id, scoring_version) VALUES (?1, ?2)";
    if (!(st = sqs_prep(s, scoring, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, x->id);
    db_bind_int64(st, 2, x->scoring_version > 0 ? x->scoring_version : 1);
    return sqs_step_done(s, st, e, "assessment scoring version");
}

static iom_err t_assessment_latest(iom_store *is, int64_t tasking_id, const char *kind, iom_arena *a,
                                   iom_assessment_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const sql = SQL_ASSESSMENT_LATEST;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, kind);
    return sqs_fetch_one(s, st, a, assessment_row, out, e, "assessment",
                         "assessment: no %s assessment yet", kind);
}

static iom_err t_assessment_sign(iom_store *is, int64_t id, const char *role, int64_t user_id,
                                 int64_t at, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sia[] =
        "UPDATE assessment SET sia_signed_by = ?2, sia_signed_at = ?3 WHERE id = ?1"
        " AND (sia_signed_by IS NULL OR sia_signed_by <> ?2)";
    /* a former SIO's signature is replaced by the current SIO's (who may sign: the use-case) */
    static const char sio[] =
        "UPDATE assessment SET sio_signed_by = ?2, sio_signed_at = ?3 WHERE id = ?1"
        " AND (sio_signed_by IS NULL OR sio_signed_by <> ?2)";
    db_stmt *st = sqs_prep(s, strcmp(role, "sia") == 0 ? sia : sio, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, user_id);
    db_bind_int64(st, 3, at);
    iom_err err = sqs_step_done(s, st, e, "assessment signature");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT, "assessment: the %s has already signed it", role);
    return err;
}

static iom_err t_tor_withdraw(iom_store *is, int64_t tor_id, const char *role, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "DELETE FROM tor_agreement WHERE tor_id = ?1 AND role = ?2";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tor_id);
    sqs_bind_text(st, 2, role);
    return sqs_step_done(s, st, e, "agreement withdrawn");
}

static iom_err t_assessment_unsign(iom_store *is, int64_t id, const char *role, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sia[] =
        "UPDATE assessment SET sia_signed_by = NULL, sia_signed_at = NULL WHERE id = ?1";
    static const char sio[] =
        "UPDATE assessment SET sio_signed_by = NULL, sio_signed_at = NULL WHERE id = ?1";
    db_stmt *st = sqs_prep(s, strcmp(role, "sia") == 0 ? sia : sio, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    return sqs_step_done(s, st, e, "signature withdrawn");
}

static iom_err t_assessment_agree_transfer(iom_store *is, int64_t id, int64_t user_id, int64_t at,
                                           iom_error *e)
{
    sq_store *s = SQ(is);
    static const char add[] =
        "INSERT INTO transfer_agreement(assessment_id, agreed_by, agreed_at) VALUES (?1, ?2, ?3)";
    static const char clear[] = "DELETE FROM transfer_agreement WHERE assessment_id = ?1";
    db_stmt *st = sqs_prep(s, user_id ? add : clear, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    if (user_id) {
        db_bind_int64(st, 2, user_id);
        db_bind_int64(st, 3, at);
    }
    iom_err err = sqs_step_done(s, st, e, "transfer agreement");
    if (err == IOM_ECONFLICT)
        return iom_fail(e, IOM_ECONFLICT, "agree_transfer: the SIO has already agreed to a transfer "
                                          "on this reassessment");
    return err;
}

static void transfer_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_transfer_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->tasking_id = i64(st, 1);
    o->from_owner_id = i64(st, 2);
    o->rationale = sqs_col_text(st, 3, a);
    o->requested_by = i64(st, 4);
    o->requested_at = i64(st, 5);
    o->escalated_by = i64(st, 6);
    o->escalated_at = i64(st, 7);
    o->escalation_rationale = sqs_col_text(st, 8, a);
    o->decided_by = i64(st, 9);
    o->decided_at = i64(st, 10);
    o->decided_as = sqs_col_text(st, 11, a);
    o->decision = sqs_col_text(st, 12, a);
    o->decision_reason = sqs_col_text(st, 13, a);
    o->new_owner_id = i64(st, 14);
    o->new_sio_id = i64(st, 15);
    o->from_owner = sqs_col_text(st, 16, a);
    o->new_owner = sqs_col_text(st, 17, a);
    o->new_sio = sqs_col_text(st, 18, a);
    o->agreed_by = i64(st, 19);
    o->agreed_at = i64(st, 20);
    o->agreed = sqs_col_text(st, 21, a);
    o->requester = sqs_col_text(st, 22, a);
    o->escalator = sqs_col_text(st, 23, a);
    o->decider = sqs_col_text(st, 24, a);
}

static iom_err t_transfer_insert(iom_store *is, iom_transfer_t *t, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO transfer(tasking_id, from_owner_id, rationale, requested_by, requested_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->tasking_id);
    db_bind_int64(st, 2, t->from_owner_id);
    sqs_bind_text(st, 3, t->rationale);
    bind_id(st, 4, t->requested_by);
    db_bind_int64(st, 5, t->requested_at);
    iom_err err = sqs_step_done(s, st, e, "transfer");
    if (!err)
        t->id = db_last_id(s);
    return err;
}

static iom_err t_transfer_latest(iom_store *is, int64_t tasking_id, iom_arena *a, iom_transfer_t *out,
                                 iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const sql = SQL_TRANSFER_LATEST;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_fetch_one(s, st, a, transfer_row, out, e, "transfer",
                         "transfer: none requested");
}

static iom_err t_transfer_update(iom_store *is, const iom_transfer_t *t, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE transfer SET escalated_by = ?2, escalated_at = ?3, escalation_rationale = ?4,"
        " decided_by = ?5, decided_at = ?6, decided_as = ?7, decision = ?8, decision_reason = ?9,"
        " new_owner_id = ?10, new_sio_id = ?11 WHERE id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->id);
    bind_id(st, 2, t->escalated_by);
    if (t->escalated_at)
        db_bind_int64(st, 3, t->escalated_at);
    sqs_bind_text(st, 4, t->escalation_rationale);
    bind_id(st, 5, t->decided_by);
    if (t->decided_at)
        db_bind_int64(st, 6, t->decided_at);
    sqs_bind_text(st, 7, t->decided_as);
    sqs_bind_text(st, 8, t->decision);
    sqs_bind_text(st, 9, t->decision_reason);
    bind_id(st, 10, t->new_owner_id);
    bind_id(st, 11, t->new_sio_id);
    return sqs_step_done(s, st, e, "transfer");
}

/* ---- milestones done ---------------------------------------------------------------- */

static iom_err t_milestone_done_add(iom_store *is, int64_t tasking_id, const char *name,
                                    int64_t at, int64_t by, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "INSERT INTO milestone_done(tasking_id, name, done_at, done_by)"
                              " VALUES (?1, ?2, ?3, ?4)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, name);
    db_bind_int64(st, 3, at);
    db_bind_int64(st, 4, by);
    iom_err err = sqs_step_done(s, st, e, "milestone done");
    if (err == IOM_ECONFLICT)
        return iom_fail(e, IOM_ECONFLICT, "milestone: '%s' is already marked done", name);
    return err;
}

static void milestone_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_milestone_done_t *o = out;
    o->name = sqs_col_text(st, 0, a);
    o->done_at = db_col_int64(st, 1);
    o->done_by = sqs_col_text(st, 2, a);
}

static iom_err t_milestones_done(iom_store *is, int64_t tasking_id, iom_arena *a,
                                 iom_milestone_done_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const sql = SQL_MILESTONES_DONE;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, milestone_row, (void **)out, n, e,
                       "milestones done");
}

/* tasking_store.h view_ahead: the statements of the view's parts bound as the functions above
   bind them, and handed to the back-end to run now (sqs_read_ahead: PostgreSQL pipelines them;
   SQLite does nothing). */
static int t_view_ahead(iom_store *is, int64_t tasking_id, bool content)
{
    sq_store *s = SQ(is);
    if (!s->drv->ahead)
        return 0;
    const char *const texts[] = {SQL_EVENTS, SQL_TRANSFER_LATEST, SQL_MEMBERS, SQL_TOR_AGREED,
                                 SQL_TOR_GET, SQL_MILESTONES_DONE, SQL_ASSESSMENT_LATEST};
    int n = content ? 7 : 2;
    db_stmt *st[7];
    int k = 0;
    iom_error ignore = {0};
    for (int i = 0; i < n; i++) {
        if (!(st[k] = sqs_prep(s, texts[i], &ignore)))
            continue;
        db_bind_int64(st[k], 1, tasking_id);
        if (texts[i] == SQL_TOR_GET)
            db_bind_int64(st[k], 2, 0); /* the latest */
        else if (texts[i] == SQL_ASSESSMENT_LATEST)
            sqs_bind_text(st[k], 2, "reassessment");
        k++;
    }
    int ran = sqs_read_ahead(s, st, k);
    for (int i = 0; i < k; i++)
        sqs_done(s, st[i]);
    return ran;
}

const struct iom_store_tasking_ops sqlite_tasking_ops = {
    .version = 1,
    .insert = t_insert,
    .get = t_get,
    .update = t_update,
    .list = t_list,
    .open_for_threat = t_open_for_threat,
    .supported_for_threat = t_supported_for_threat,
    .requested_for_threat = t_requested_for_threat,
    .marked_for_threat = t_marked_for_threat,
    .event_add = t_event_add,
    .events = t_events,
    .member_add = t_member_add,
    .member_remove = t_member_remove,
    .members = t_members,
    .is_member = t_is_member,
    .tor_insert = t_tor_insert,
    .tor_get = t_tor_get,
    .tor_agree = t_tor_agree,
    .tor_agreed_version = t_tor_agreed_version,
    .assessment_insert = t_assessment_insert,
    .assessment_latest = t_assessment_latest,
    .assessment_sign = t_assessment_sign,
    .tor_withdraw = t_tor_withdraw,
    .assessment_unsign = t_assessment_unsign,
    .transfer_insert = t_transfer_insert,
    .transfer_latest = t_transfer_latest,
    .transfer_update = t_transfer_update,
    .milestone_done_add = t_milestone_done_add,
    .milestones_done = t_milestones_done,
    .view_ahead = t_view_ahead,
    .assessment_agree_transfer = t_assessment_agree_transfer,
};
