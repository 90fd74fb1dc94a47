/* SQLite back-end: the APMIS area (store/apmis_store.h). */
#include <string.h>

#include "store/sqlite/sqlite_internal.h"
#include "store/apmis_store.h"

static int64_t i64(db_stmt *st, int i) { return db_col_int64(st, i); }
static const char *txt(db_stmt *st, int i) { return (const char *)db_col_text(st, i); }

/* Grows an arena array of `type` (*v with *cap slots, k used) by doubling. */
#define GROW(a, type, v, cap, k)                                                               \
    do {                                                                                       \
        if ((k) == (cap)) {                                                                    \
            type *w_ = iom_arena_new((a), type, (cap) * 2);                                    \
            memcpy(w_, (v), (k) * sizeof *(v));                                                \
            (v) = w_;                                                                          \
            (cap) *= 2;                                                                        \
        }                                                                                      \
    } while (0)

#define RECORD_COLS                                                                            \
    "r.id, r.ref, r.threat_id, r.disruption_date, r.lead_agency_id, r.impact, r.type, "        \
    "r.arrests, r.safeguarded, r.seized_pence, r.strand, r.narrative, r.created_by, "          \
    "r.created_at, th.ref, th.title, th.marking, o.id, o.code, o.region_id, la.code, "         \
    "la.region_id, lr.code, u.name "                                                           \
    "FROM apmis_record r JOIN threat th ON th.id = r.threat_id "                               \
    "JOIN agency o ON o.id = th.owner_id JOIN agency la ON la.id = r.lead_agency_id "          \
    "LEFT JOIN region lr ON lr.id = la.region_id LEFT JOIN \"user\" u ON u.id = r.created_by "

static void record_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_apmis_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->threat_id = i64(st, 2);
    o->date = sqs_col_text(st, 3, a);
    o->lead_agency_id = i64(st, 4);
    products_impact_parse(txt(st, 5), &o->impact, NULL);
    products_disruption_parse(txt(st, 6), &o->type, NULL);
    o->arrests = i64(st, 7);
    o->safeguarded = i64(st, 8);
    o->seized_pence = i64(st, 9);
    products_strand_parse(txt(st, 10), &o->strand, NULL);
    o->narrative = sqs_col_text(st, 11, a);
    o->created_by = i64(st, 12);
    o->created_at = i64(st, 13);
    o->threat_ref = sqs_col_text(st, 14, a);
    o->threat_title = sqs_col_text(st, 15, a);
    iom_marking_parse(txt(st, 16), &o->threat_marking, NULL);
    o->owner_id = i64(st, 17);
    o->owner = sqs_col_text(st, 18, a);
    o->owner_region_id = i64(st, 19);
    o->lead_agency = sqs_col_text(st, 20, a);
    o->lead_region_id = i64(st, 21);
    o->lead_region = sqs_col_text(st, 22, a);
    o->created_by_name = sqs_col_text(st, 23, a);
}

static iom_err load_capabilities(sq_store *s, iom_apmis_t *r, iom_arena *a, iom_error *e)
{
    static const char sql[] =
        "SELECT ag.id, ag.code, ag.kind FROM apmis_capability c JOIN agency ag ON ag.id = c.agency_id"
        " WHERE c.record_id = ?1 ORDER BY ag.code";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, r->id);
    size_t cap = 4, k = 0;
    int64_t *ids = iom_arena_new(a, int64_t, cap);
    char **codes = iom_arena_new(a, char *, cap);
    iom_agency_kind *kinds = iom_arena_new(a, iom_agency_kind, cap);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap) {
            size_t c2 = cap;
            GROW(a, int64_t, ids, c2, k);
            c2 = cap;
            GROW(a, char *, codes, c2, k);
            GROW(a, iom_agency_kind, kinds, cap, k);
        }
        ids[k] = i64(st, 0);
        codes[k] = sqs_col_text(st, 1, a);
        iom_agency_kind_parse(txt(st, 2), &kinds[k], NULL);
        k++;
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "apmis capabilities");
    sqs_done(s, st);
    r->capability_ids = ids;
    r->capabilities = codes;
    r->capability_kinds = kinds;
    r->ncapabilities = k;
    return err;
}

static iom_err a_insert(iom_store *is, iom_apmis_t *r, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO apmis_record(threat_id, disruption_date, lead_agency_id, impact, type, arrests,"
        " safeguarded, seized_pence, strand, narrative, created_by, created_at)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
    static const char setref[] =
        "UPDATE apmis_record SET ref = iom_ref('APM', id) WHERE id = ?1 RETURNING ref";
    static const char capsql[] = "INSERT INTO apmis_capability(record_id, agency_id) VALUES (?1, ?2)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, r->threat_id);
    sqs_bind_text(st, 2, r->date);
    db_bind_int64(st, 3, r->lead_agency_id);
    sqs_bind_text(st, 4, products_impact_name(r->impact));
    sqs_bind_text(st, 5, products_disruption_name(r->type));
    db_bind_int64(st, 6, r->arrests);
    db_bind_int64(st, 7, r->safeguarded);
    db_bind_int64(st, 8, r->seized_pence);
    sqs_bind_text(st, 9, products_strand_name(r->strand));
    sqs_bind_text(st, 10, r->narrative);
    if (r->created_by)
        db_bind_int64(st, 11, r->created_by);
    else
        db_bind_null(st, 11);
    db_bind_int64(st, 12, r->created_at);
    iom_err err = sqs_step_done(s, st, e, "apmis record");
    if (err)
        return err;
    r->id = db_last_id(s);
    if (!(st = sqs_prep(s, setref, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, r->id);
    if (db_step(st) != DB_ROW) {
        err = sqs_fail(s, e, "apmis reference");
        sqs_done(s, st);
        return err;
    }
    sqs_done(s, st);
    for (size_t i = 0; i < r->ncapabilities; i++) {
        if (!(st = sqs_prep(s, capsql, e)))
            return IOM_ESTORE;
        db_bind_int64(st, 1, r->id);
        db_bind_int64(st, 2, r->capability_ids[i]);
        if ((err = sqs_step_done(s, st, e, "apmis capability")))
            return err == IOM_ECONFLICT
                       ? iom_fail(e, IOM_EINVAL, "capability: an agency is named twice")
                       : err;
    }
    return IOM_OK;
}

static iom_err a_get(iom_store *is, const char *ref, iom_arena *a, iom_apmis_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " RECORD_COLS "WHERE r.ref = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    iom_err err = sqs_fetch_one(s, st, a, record_row, out, e, "apmis record",
                         "apmis record: '%s' not found", ref);
    return err ? err : load_capabilities(s, out, a, e);
}

static iom_err a_list(iom_store *is, const iom_apmis_filter *f, iom_arena *a, iom_apmis_t **out,
                      size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT " RECORD_COLS
        "WHERE (?1 OR la.id = ?2 OR o.id = ?2"
        "       OR EXISTS (SELECT 1 FROM apmis_capability c WHERE c.record_id = r.id AND c.agency_id = ?2)"
        "       OR (?3 <> 0 AND (la.region_id = ?3 OR o.region_id = ?3)))"
        "  AND (th.marking = 'OFFICIAL' OR ?4)"
        "  AND (?5 = 0 OR r.threat_id = ?5)"
        "  AND r.ref > coalesce(?6, '') "
        "ORDER BY r.ref LIMIT ?7";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    /* The scope's clauses as apmis_scope_admits reads them; a zero id grants nothing. */
    db_bind_int64(st, 1, f->scope.all);
    db_bind_int64(st, 2, f->scope.agency_id ? f->scope.agency_id : -1);
    db_bind_int64(st, 3, f->scope.region_id);
    db_bind_int64(st, 4, f->scope.clearance == IOM_MARKING_OFFICIAL_SENSITIVE);
    db_bind_int64(st, 5, f->threat_id);
    sqs_bind_text(st, 6, f->after_ref);
    db_bind_int64(st, 7, f->limit ? (int64_t)f->limit : INT64_MAX);
    size_t cap = 16, k = 0;
    iom_apmis_t *v = iom_arena_new(a, iom_apmis_t, cap);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        GROW(a, iom_apmis_t, v, cap, k);
        record_row(st, a, &v[k++]);
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "apmis list");
    sqs_done(s, st);
    for (size_t i = 0; !err && i < k; i++)
        err = load_capabilities(s, &v[i], a, e);
    *out = v;
    *n = err ? 0 : k;
    return err;
}

/* ---- report rows ---- */

/* Taskings whose requesting agency is in scope (?5 = 0), or whose threat's owner is (?5 = 1:
   the owner's view): ?1 region, ?2 agency, ?3 cleared for OFFICIAL-SENSITIVE, ?4 end. */
#define TASKING_SCOPE                                                                          \
    " FROM tasking t JOIN agency ra ON ra.id = t.requesting_agency_id"                         \
    " JOIN threat tth ON tth.id = t.threat_id JOIN agency tow ON tow.id = tth.owner_id"        \
    " WHERE (CASE WHEN ?5 = 1 THEN (?1 = 0 OR tow.region_id = ?1) AND (?2 = 0 OR tow.id = ?2)"  \
    "        ELSE (?1 = 0 OR t.region_id = ?1) AND (?2 = 0 OR ra.id = ?2) END)"                 \
    "   AND (t.marking = 'OFFICIAL' OR ?3) AND t.created_at < ?4"

static db_stmt *prep_scope(sq_store *s, const char *sql, const iom_apmis_report_filter *f,
                                iom_error *e)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return NULL;
    db_bind_int64(st, 1, f->region_id);
    db_bind_int64(st, 2, f->agency_id);
    db_bind_int64(st, 3, f->max_marking == IOM_MARKING_OFFICIAL_SENSITIVE);
    db_bind_int64(st, 4, f->end);
    db_bind_int64(st, 5, f->by_owner != 0);
    return st;
}

/* Runs a prepared report query, calling `row` on each result into a growing array. */
#define COLLECT(s, st, a, type, out, n, e, what, ...)                                          \
    do {                                                                                       \
        size_t cap_ = 64, k_ = 0;                                                              \
        type *v_ = iom_arena_new((a), type, cap_);                                             \
        int rc_;                                                                               \
        while ((rc_ = db_step(st)) == DB_ROW) {                                       \
            GROW((a), type, v_, cap_, k_);                                                     \
            type *o = &v_[k_++];                                                               \
            __VA_ARGS__                                                                        \
        }                                                                                      \
        iom_err err_ = rc_ == DB_DONE ? IOM_OK : sqs_fail((s), (e), (what));               \
        sqs_done((s), (st));                                                                   \
        *(out) = v_;                                                                           \
        *(n) = err_ ? 0 : k_;                                                                  \
        return err_;                                                                           \
    } while (0)

static iom_err r_taskings(iom_store *is, const iom_apmis_report_filter *f, iom_arena *a,
                          apmis_tasking_row **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT t.id, t.created_at, t.state, t.marking, t.reached_toex" TASKING_SCOPE
                              " ORDER BY t.id";
    db_stmt *st = prep_scope(s, sql, f, e);
    if (!st)
        return IOM_ESTORE;
    COLLECT(s, st, a, apmis_tasking_row, out, n, e, "report taskings", {
        o->id = i64(st, 0);
        o->created_at = i64(st, 1);
        lifecycle_state_parse(txt(st, 2), &o->state, NULL);
        iom_marking_parse(txt(st, 3), &o->marking, NULL);
        o->reached_toex = db_col_int(st, 4) != 0;
    });
}

static iom_err r_events(iom_store *is, const iom_apmis_report_filter *f, iom_arena *a,
                        apmis_event_row **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT ev.tasking_id, ev.at, ev.to_state FROM tasking_event ev"
        " WHERE ev.at < ?4 AND ev.tasking_id IN (SELECT t.id" TASKING_SCOPE ")"
        " ORDER BY ev.tasking_id, ev.at, ev.id";
    db_stmt *st = prep_scope(s, sql, f, e);
    if (!st)
        return IOM_ESTORE;
    COLLECT(s, st, a, apmis_event_row, out, n, e, "report events", {
        o->tasking_id = i64(st, 0);
        o->at = i64(st, 1);
        lifecycle_state_parse(txt(st, 2), &o->to_state, NULL);
    });
}

static iom_err r_tors(iom_store *is, const iom_apmis_report_filter *f, iom_arena *a,
                      iom_apmis_tor_row **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT x.tasking_id, x.content_json FROM tor x"
        " WHERE x.tasking_id IN (SELECT t.id" TASKING_SCOPE ")"
        "   AND x.version = (SELECT max(y.version) FROM tor y WHERE y.tasking_id = x.tasking_id"
        "     AND EXISTS (SELECT 1 FROM tor_agreement g WHERE g.tor_id = y.id AND g.role = 'sia' AND g.at < ?4)"
        "     AND EXISTS (SELECT 1 FROM tor_agreement g WHERE g.tor_id = y.id AND g.role = 'sio' AND g.at < ?4))"
        " ORDER BY x.tasking_id";
    db_stmt *st = prep_scope(s, sql, f, e);
    if (!st)
        return IOM_ESTORE;
    COLLECT(s, st, a, iom_apmis_tor_row, out, n, e, "report terms of reference", {
        o->tasking_id = i64(st, 0);
        o->content_json = sqs_col_text(st, 1, a);
    });
}

static iom_err r_deliveries(iom_store *is, const iom_apmis_report_filter *f, iom_arena *a,
                            apmis_delivery_row **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT p.tasking_id, p.type, coalesce(min(p.delivered_at), 0), max(p.marking) FROM product p"
        " WHERE p.tasking_id IN (SELECT t.id" TASKING_SCOPE ")"
        /* a version marked above the reader's clearance is not counted, as it is not listed */
        "   AND (p.marking = 'OFFICIAL' OR ?3)"
        " GROUP BY p.tasking_id, p.ref, p.type ORDER BY p.tasking_id";
    db_stmt *st = prep_scope(s, sql, f, e);
    if (!st)
        return IOM_ESTORE;
    COLLECT(s, st, a, apmis_delivery_row, out, n, e, "report products", {
        o->tasking_id = i64(st, 0);
        if (products_type_parse(txt(st, 1), &o->type, NULL)) {
            k_--; /* a type outside §6 cannot match a ToR product */
            continue;
        }
        o->delivered_at = i64(st, 2);
        o->marking = IOM_MARKING_OFFICIAL;
        iom_marking_parse(txt(st, 3), &o->marking, NULL);
    });
}

static iom_err r_options(iom_store *is, const iom_apmis_report_filter *f, iom_arena *a,
                         apmis_option_row **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT o.created_at, o.status, o.strand,"
        " coalesce(om.marking, (SELECT tt.marking FROM tasking tt WHERE tt.id = o.tasking_id))"
        " FROM tactical_option o LEFT JOIN option_marking om ON om.option_id = o.id"
        " WHERE o.tasking_id IN (SELECT t.id" TASKING_SCOPE ")"
        /* an option's own marking (migration 21; none: its tasking's, in TASKING_SCOPE) */
        "   AND (om.marking IS NULL OR om.marking = 'OFFICIAL' OR ?3)";
    db_stmt *st = prep_scope(s, sql, f, e);
    if (!st)
        return IOM_ESTORE;
    COLLECT(s, st, a, apmis_option_row, out, n, e, "report options", {
        o->created_at = i64(st, 0);
        o->status = IOM_OPTION_PROPOSED;
        o->strand = IOM_STRAND_PURSUE;
        products_option_status_parse(txt(st, 1), &o->status, NULL);
        products_strand_parse(txt(st, 2), &o->strand, NULL);
        o->marking = IOM_MARKING_OFFICIAL;
        iom_marking_parse(txt(st, 3), &o->marking, NULL);
    });
}

static iom_err r_intel(iom_store *is, const iom_apmis_report_filter *f, iom_arena *a,
                       apmis_intel_row **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT coalesce((SELECT min(v.created_at) FROM intel_item v WHERE v.ref = i.ref), i.created_at),"
        " i.pnd_status, i.marking FROM intel_item i"
        " WHERE i.is_current = 1 AND (i.marking = 'OFFICIAL' OR ?3)"
        "   AND i.tasking_id IN (SELECT t.id" TASKING_SCOPE ")";
    db_stmt *st = prep_scope(s, sql, f, e);
    if (!st)
        return IOM_ESTORE;
    COLLECT(s, st, a, apmis_intel_row, out, n, e, "report intelligence", {
        o->created_at = i64(st, 0);
        const char *p = txt(st, 1);
        o->pnd = p && strcmp(p, "recorded") == 0 ? 1 : p && strcmp(p, "not_required") == 0 ? 2 : 0;
        iom_marking_parse(txt(st, 2), &o->marking, NULL);
    });
}

static iom_err r_disruptions(iom_store *is, const iom_apmis_report_filter *f, iom_arena *a,
                             apmis_disruption_row **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT r.disruption_date, r.impact,"
        " EXISTS (SELECT 1 FROM apmis_capability c JOIN agency ca ON ca.id = c.agency_id"
        "         WHERE c.record_id = r.id AND ca.kind = 'capability'),"
        " r.arrests, r.safeguarded, r.seized_pence, th.marking,"
        /* when TOEX first took on a tasking of the threat: a record naming it before (or with
           none) is not counted with TOEX, also when it was stored before the rule (review 57) */
        " (SELECT coalesce(min(ev.at), 0) FROM tasking_event ev JOIN tasking t ON t.id = ev.tasking_id"
        "  WHERE t.threat_id = r.threat_id AND ev.action = 'accept' AND (t.marking = 'OFFICIAL' OR ?3))"
        " FROM apmis_record r JOIN agency la ON la.id = r.lead_agency_id"
        " JOIN threat th ON th.id = r.threat_id JOIN agency ow ON ow.id = th.owner_id"
        " WHERE (CASE WHEN ?5 = 1 THEN (?1 = 0 OR ow.region_id = ?1) AND (?2 = 0 OR ow.id = ?2)"
        "        ELSE (?1 = 0 OR la.region_id = ?1) AND (?2 = 0 OR la.id = ?2) END)"
        "   AND (th.marking = 'OFFICIAL' OR ?3)"
        "   AND (?6 IS NULL OR r.disruption_date >= ?6) AND (?7 IS NULL OR r.disruption_date <= ?7)"
        "   AND ?4 = ?4"
        " ORDER BY r.id";
    db_stmt *st = prep_scope(s, sql, f, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 6, f->from_date);
    sqs_bind_text(st, 7, f->to_date);
    COLLECT(s, st, a, apmis_disruption_row, out, n, e, "report disruptions", {
        if (apmis_day_parse("date", txt(st, 0), &o->day, NULL) ||
            products_impact_parse(txt(st, 1), &o->impact, NULL)) {
            k_--;
            continue;
        }
        int64_t taken = i64(st, 7);
        o->toex = db_col_int(st, 2) != 0 && taken > 0 && apmis_day_of(taken) <= o->day;
        o->arrests = i64(st, 3);
        o->safeguarded = i64(st, 4);
        o->seized_pence = i64(st, 5);
        iom_marking_parse(txt(st, 6), &o->marking, NULL);
    });
}

const struct iom_store_apmis_ops sqlite_apmis_ops = {
    .version = 1,
    .insert = a_insert,
    .get = a_get,
    .list = a_list,
    .report_taskings = r_taskings,
    .report_events = r_events,
    .report_tors = r_tors,
    .report_deliveries = r_deliveries,
    .report_options = r_options,
    .report_intel = r_intel,
    .report_disruptions = r_disruptions,
};
