/* The analysis of a tasking's picture (issue 17; docs/analysis.md): network analysis, money,
   communications data and the timeline. Each run maps the decoded input onto the use-case of
   app/analysis.h. The row's arg picks the analysis (its index in the words below). */
#include <pthread.h>
#include <string.h>
#include <stdio.h>

#include "app/analysis.h"
#include "ops/internal.h"
#include "util/heap.h"

static const char *const graph_words[] = {"stats", "central", "communities", "path", "ego", "brokers",
                                          "keyplayers"};
static const char *const finance_words[] = {"flows", "mules", "cycles", "fans", "structuring"};
static const char *const comms_words[] = {"contacts", "top", "common", "activity"};

/* An analysis reads the whole picture into memory (a graph of a million-record picture took a
   server to 6.3 GB, review 108) and holds one of the server's request threads while it runs.
   Through the server at most two run at a time, and one fewer than the server's threads (one
   on a two-thread server), so that a thread is always left for every other request; and one
   per user at a time. Another is refused at once, 503 busy with Retry-After (the web UI asks
   again then, and asks for its analyses one after another). Waiting for a turn inside the
   request, as it did first, parked the server's threads: a reader of a large picture sending
   more analyses than the server had threads stopped every other user's requests for as long
   as they ran (review 111 M2: /api/health took 26.8 s). The heap's free memory goes back to the
   system after each. The command line is a process of its own, not gated. */
#define OP_ANALYSES_AT_ONCE 2
static pthread_mutex_t analyses_mu = PTHREAD_MUTEX_INITIALIZER;
static int analyses_cap = OP_ANALYSES_AT_ONCE, analyses_running;
static char analysis_user[OP_ANALYSES_AT_ONCE][80]; /* whose analysis a slot runs ("" free) */

void op_analyses_threads(unsigned threads)
{
    pthread_mutex_lock(&analyses_mu);
    analyses_cap = threads > OP_ANALYSES_AT_ONCE ? OP_ANALYSES_AT_ONCE : threads > 1 ? (int)threads - 1 : 1;
    pthread_mutex_unlock(&analyses_mu);
}

/* *slot: the slot taken (-1 none: not through the server, or refused). */
iom_err op_analysis_enter(iom_ctx *c, int *slot)
{
    *slot = -1;
    if (!c->via || strcmp(c->via, "http") != 0)
        return IOM_OK;
    const char *who = c->actor_name ? c->actor_name : "";
    pthread_mutex_lock(&analyses_mu);
    bool mine = false;
    for (int i = 0; i < OP_ANALYSES_AT_ONCE && !mine; i++)
        mine = analysis_user[i][0] && strncmp(analysis_user[i], who, sizeof analysis_user[i] - 1) == 0;
    if (!mine && analyses_running < analyses_cap)
        for (int i = 0; i < OP_ANALYSES_AT_ONCE && *slot < 0; i++)
            if (!analysis_user[i][0]) {
                *slot = i;
                snprintf(analysis_user[i], sizeof analysis_user[i], "%s", who[0] ? who : "?");
                analyses_running++;
            }
    int cap = analyses_cap;
    pthread_mutex_unlock(&analyses_mu);
    if (mine)
        return iom_fail(&c->err, IOM_EBUSY, "analysis: one of yours is still running on this server; "
                        "ask for the next when it is done (one at a time per user)");
    if (*slot < 0)
        return iom_fail(&c->err, IOM_EBUSY, "analysis: %d %s running on this server, as many as run "
                        "at once beside its other requests; try again in a moment", cap,
                        cap == 1 ? "analysis is" : "analyses are");
    return IOM_OK;
}

void op_analysis_leave(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&analyses_mu);
    analysis_user[slot][0] = '\0';
    analyses_running--;
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
    int slot;
    iom_err err = op_analysis_enter(c, &slot);
    if (err)
        return err;
    err = app_graph(c, &q, &j);
    op_analysis_leave(slot);
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
    int slot;
    iom_err err = op_analysis_enter(c, &slot);
    if (err)
        return err;
    err = app_finance(c, &q, &j);
    op_analysis_leave(slot);
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
    int slot;
    iom_err err = op_analysis_enter(c, &slot);
    if (err)
        return err;
    err = app_comms(c, &q, &j);
    op_analysis_leave(slot);
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
    int slot;
    iom_err err = op_analysis_enter(c, &slot);
    if (err)
        return err;
    err = app_timeline(c, &q, &j);
    op_analysis_leave(slot);
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
