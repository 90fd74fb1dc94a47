/* The analysis of a tasking's picture (issue 17; docs/analysis.md): network analysis, money,
   communications data and the timeline. Each run maps the decoded input onto the use-case of
   app/analysis.h. The row's arg picks the analysis (its index in the words below). */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "app/analysis.h"
#include "ops/internal.h"
#include "util/heap.h"

static const char *const graph_words[] = {"stats", "central", "communities", "path", "ego", "brokers",
                                          "keyplayers"};
static const char *const finance_words[] = {"flows", "mules", "cycles", "fans", "structuring"};
static const char *const comms_words[] = {"contacts", "top", "common", "activity"};

/* An analysis reads the whole picture into memory (a graph of a million-record picture took a
   server to 6.3 GB, review 108): through the server at most OP_ANALYSES_AT_ONCE run at a time;
   another waits for a turn (the network page asks for several at once: refused, they failed,
   make test on PostgreSQL), up to OP_ANALYSIS_WAIT_S seconds, then is 503 busy. The heap's free
   memory goes back to the system after each. Small pictures take milliseconds, so only large
   ones ever wait. The command line is a process of its own. */
#define OP_ANALYSES_AT_ONCE 2
#define OP_ANALYSIS_WAIT_S 60
static pthread_mutex_t analyses_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t analyses_cv = PTHREAD_COND_INITIALIZER;
static int analyses_running;

static iom_err analysis_enter(iom_ctx *c, bool *entered)
{
    *entered = c->via && strcmp(c->via, "http") == 0;
    if (!*entered)
        return IOM_OK;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += OP_ANALYSIS_WAIT_S;
    pthread_mutex_lock(&analyses_mu);
    int rc = 0;
    while (analyses_running >= OP_ANALYSES_AT_ONCE && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&analyses_cv, &analyses_mu, &until);
    bool got = analyses_running < OP_ANALYSES_AT_ONCE;
    if (got)
        analyses_running++;
    pthread_mutex_unlock(&analyses_mu);
    if (!got) {
        *entered = false;
        return iom_fail(&c->err, IOM_EBUSY, "analysis: %d analyses have been running on this server for "
                        "%d s, as many as run at once; try again in a moment", OP_ANALYSES_AT_ONCE,
                        OP_ANALYSIS_WAIT_S);
    }
    return IOM_OK;
}

static void analysis_leave(bool entered)
{
    if (!entered)
        return;
    pthread_mutex_lock(&analyses_mu);
    analyses_running--;
    pthread_cond_signal(&analyses_cv);
    pthread_mutex_unlock(&analyses_mu);
    iom_heap_give_back();
}

static size_t copy_strings(const op_value *v, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; v && i < v->nv && n < max; i++)
        out[n++] = v->v[i];
    return n;
}

static void result_out(iom_ctx *c, op_out *out, json_t *j, const char *tasking)
{
    out->json = j;
    out->ref = tasking;
    /* the answer's own marking first (the highest of what it was built from, an_picture's, never
       below the tasking's): its items are stamped with it */
    iom_marking m;
    const char *ms = json_string_value(json_object_get(j, "marking"));
    if (ms && iom_marking_parse(ms, &m, NULL) == IOM_OK)
        op_mark(out, (int)m);
    op_mark_tasking(c, out, tasking);
}

iom_err op_graph(iom_ctx *c, const op_in *in, op_out *out)
{
    app_graph_query q = {.tasking = op_str(in, "ref"), .analysis = graph_words[in->op->arg],
                         .from = op_str(in, "from"), .to = op_str(in, "to"), .min_grade = op_str(in, "min_grade"),
                         .min_grade_any = op_bool(in, "min_grade_any"), .drop_isolated = op_bool(in, "drop_isolated"),
                         .method = op_str(in, "method"), .sort = op_str(in, "sort"), .entity = op_str(in, "entity"),
                         .other = op_str(in, "other"), .k = op_int(in, "k", 0), .top = op_int(in, "top", 0),
                         .weighted = op_bool(in, "weighted"), .directed = op_bool(in, "directed"),
                         .save = op_str(in, "save"), .justification = op_str(in, "justification")};
    const op_value *et = op_get(in, "entity_types"), *lt = op_get(in, "link_types");
    if ((et && et->nv > APP_ANALYSIS_MAX_TYPES) || (lt && lt->nv > APP_ANALYSIS_MAX_TYPES))
        return iom_fail(&c->err, IOM_EINVAL, "entity_types, link_types: at most %d each", APP_ANALYSIS_MAX_TYPES);
    q.n_entity_types = copy_strings(et, q.entity_types, APP_ANALYSIS_MAX_TYPES);
    q.n_link_types = copy_strings(lt, q.link_types, APP_ANALYSIS_MAX_TYPES);
    json_t *j;
    bool entered;
    iom_err err = analysis_enter(c, &entered);
    if (err)
        return err;
    err = app_graph(c, &q, &j);
    analysis_leave(entered);
    if (!err)
        result_out(c, out, j, q.tasking);
    return err;
}

static void money_query(const op_in *in, app_money_query *q)
{
    *q = (app_money_query){.tasking = op_str(in, "ref"), .from = op_str(in, "from"), .to = op_str(in, "to"),
                           .phone = op_str(in, "phone"), .other = op_str(in, "other"), .top = op_int(in, "top", 0),
                           .save = op_str(in, "save"), .justification = op_str(in, "justification")};
}

iom_err op_finance(iom_ctx *c, const op_in *in, op_out *out)
{
    app_money_query q;
    money_query(in, &q);
    q.analysis = finance_words[in->op->arg];
    json_t *j;
    bool entered;
    iom_err err = analysis_enter(c, &entered);
    if (err)
        return err;
    err = app_finance(c, &q, &j);
    analysis_leave(entered);
    if (!err)
        result_out(c, out, j, q.tasking);
    return err;
}

iom_err op_comms(iom_ctx *c, const op_in *in, op_out *out)
{
    app_money_query q;
    money_query(in, &q);
    q.analysis = comms_words[in->op->arg];
    json_t *j;
    bool entered;
    iom_err err = analysis_enter(c, &entered);
    if (err)
        return err;
    err = app_comms(c, &q, &j);
    analysis_leave(entered);
    if (!err)
        result_out(c, out, j, q.tasking);
    return err;
}

iom_err op_timeline(iom_ctx *c, const op_in *in, op_out *out)
{
    app_timeline_query q = {.tasking = op_str(in, "ref"), .entity = op_str(in, "entity"), .from = op_str(in, "from"),
                            .to = op_str(in, "to"), .limit = op_int(in, "limit", 0),
                            .justification = op_str(in, "justification")};
    json_t *j;
    bool entered;
    iom_err err = analysis_enter(c, &entered);
    if (err)
        return err;
    err = app_timeline(c, &q, &j);
    analysis_leave(entered);
    if (!err)
        result_out(c, out, j, q.tasking);
    return err;
}

/* arg: 0 finance, 1 comms */
iom_err op_analysis_import(iom_ctx *c, const op_in *in, op_out *out)
{
    app_aimport_input ai = {.tasking = op_str(in, "ref"), .kind = in->op->arg ? "comms" : "finance",
                            .marking = op_str(in, "marking"), .grade = op_str(in, "grade"),
                            .handling = op_str(in, "handling"), .conditions = op_str(in, "conditions"),
                            .replace = op_str(in, "replace"),
                            .path = op_str(in, "file"), .data = op_str(in, "csv")};
    if (ai.data && ai.path)
        return iom_fail(&c->err, IOM_EINVAL, "csv: give the file or its text, not both");
    if (ai.data)
        ai.size = strlen(ai.data);
    const op_value *f = op_get(in, "fields");
    if (f && f->nv > APP_ANALYSIS_MAX_FIELDS)
        return iom_fail(&c->err, IOM_EINVAL, "field: at most %d", APP_ANALYSIS_MAX_FIELDS);
    ai.nfields = copy_strings(f, ai.fields, APP_ANALYSIS_MAX_FIELDS);
    iom_aimport_t *r = iom_arena_new(c->arena, iom_aimport_t, 1);
    app_aimport_picture pic;
    iom_err err = app_analysis_import(c, &ai, op_int(in, "if_version", 0), r, &pic);
    if (!err) {
        out->json = json_of_aimport(r);
        json_object_set_new(out->json, "picture", json_of_aimport_picture(&pic));
        out->obj = r;
        out->ref = r->ref;
    }
    return err;
}

iom_err op_analysis_remove(iom_ctx *c, const op_in *in, op_out *out)
{
    int64_t ne = 0, nl = 0;
    const char *ref = op_str(in, "import");
    iom_err err = app_analysis_remove(c, in->op->arg ? "comms" : "finance", ref, op_str(in, "reason"),
                                      op_int(in, "if_version", 0), &ne, &nl);
    if (!err) {
        out->json = json_pack("{s:s, s:I, s:I}", "removed", ref, "removed_entities", (json_int_t)ne,
                              "removed_links", (json_int_t)nl);
        out->ref = ref;
    }
    return err;
}

iom_err op_analysis_imports(iom_ctx *c, const op_in *in, op_out *out)
{
    app_page p = {op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
    iom_aimport_t *v;
    size_t n;
    const char *next;
    iom_err err = app_analysis_imports(c, op_str(in, "ref"), in->op->arg ? "comms" : "finance", &p, &v, &n, &next);
    if (!err) {
        OP_LIST_OUT(out, v, n, next, json_of_aimport);
        op_mark_tasking(c, out, op_str(in, "ref"));
    }
    return err;
}
