/* The intelligence picture (issue 16; docs/picture.md): datasets, entities, links and the
   review queue. Each run maps the decoded input onto the use-case of app/picture.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/job.h"
#include "app/picture.h"
#include "ops/internal.h"
#include "util/heap.h"
#include "util/text.h"

static app_page page_of(const op_in *in)
{
    return (app_page){op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
}

/* A progress bar on a terminal (the CLI's standard error), nothing otherwise. */
static void bar(void *ud, const char *phase, uint64_t done, uint64_t total)
{
    (void)ud;
    if (!isatty(2) || total == 0)
        return;
    int pct = (int)(done * 100 / total);
    fprintf(stderr, "\r%-10s [%-40.*s] %3d%%", phase, pct * 40 / 100,
            "########################################", pct);
    if (done >= total)
        fputc('\n', stderr);
}

static iom_err threshold(iom_ctx *c, const char *name, const char *s, double *out)
{
    *out = 0;
    if (!s)
        return IOM_OK;
    char *end = NULL;
    double v = iom_plain_decimal(s) ? strtod(s, &end) : -1;
    if (v < 0 || *end || !(v > 0 && v < 1))
        return iom_fail(&c->err, IOM_EINVAL, "%s: '%.32s' is not a probability strictly between 0 and 1",
                        name, s);
    *out = v;
    return IOM_OK;
}

/* One dataset import at a time in a process. An import resolves the whole tasking's picture in
   one write transaction, so a second one at the same time gains nothing (it waits for the
   write lock) and only adds its own picture in memory (four at once on a server: 1.8 GB).
   A request's import is refused while another runs (503 busy, try again); a job waits its turn.
   After each, the heap's free memory goes back to the system (a server otherwise kept the
   peak of its largest import). */
static pthread_mutex_t import_gate = PTHREAD_MUTEX_INITIALIZER;

static void import_done(void)
{
    pthread_mutex_unlock(&import_gate);
    iom_heap_give_back();
}

iom_err op_dataset_import(iom_ctx *c, const op_in *in, op_out *out)
{
    app_dataset_input di = {.tasking = op_str(in, "ref"), .name = op_str(in, "name"),
                            .level = op_str(in, "level"), .grade = op_str(in, "grade"),
                            .handling = op_str(in, "handling"), .conditions = op_str(in, "conditions"),
                            .marking = op_str(in, "marking"), .path = op_str(in, "file"),
                            .data = op_str(in, "csv"), .filename = op_str(in, "filename"),
                            .replace = op_bool(in, "replace"),
                            .progress = bar};
    if (di.data)
        di.size = strlen(di.data);
    if (di.data && di.path)
        return iom_fail(&c->err, IOM_EINVAL, "csv: give the file or its text, not both");
    const op_value *f = op_get(in, "fields");
    for (size_t i = 0; i < f->nv && i < APP_DATASET_MAX_FIELDS; i++)
        di.fields[di.nfields++] = f->v[i];
    if (f->nv > APP_DATASET_MAX_FIELDS)
        return iom_fail(&c->err, IOM_EINVAL, "field: at most %d", (int)APP_DATASET_MAX_FIELDS);
    iom_err err;
    if ((err = threshold(c, "link_threshold", op_str(in, "link_threshold"), &di.link_threshold)) ||
        (err = threshold(c, "review_threshold", op_str(in, "review_threshold"), &di.review_threshold)))
        return err;
    app_import_result *r = iom_arena_new(c->arena, app_import_result, 1);
    if (pthread_mutex_trylock(&import_gate) != 0)
        return iom_fail(&c->err, IOM_EBUSY,
                        "dataset import: another import is running; one runs at a time, try again "
                        "when it has ended (an import started as a job waits its turn)");
    err = app_dataset_import(c, &di, op_int(in, "if_version", 0), r);
    import_done();
    if (!err) {
        out->json = json_of_import(r);
        out->obj = r;
        out->ref = r->dataset.ref;
    }
    return err;
}

/* ---- the import as a background job (API only; app/job.h) ------------------------------- */

typedef struct import_job {
    app_dataset_input in;
    char *strs[10 + APP_DATASET_MAX_FIELDS];
    size_t nstrs;
    int64_t if_version;
} import_job;

static void import_job_free(void *p)
{
    import_job *j = p;
    for (size_t i = 0; i < j->nstrs; i++)
        free(j->strs[i]);
    free(j);
}

/* a heap copy kept by the job (NULL stays NULL); false when out of memory */
static bool keep(import_job *j, const char **field)
{
    if (!*field)
        return true;
    char *d = strdup(*field);
    if (!d)
        return false;
    j->strs[j->nstrs++] = d;
    *field = d;
    return true;
}

static iom_err import_job_run(iom_ctx *c, void *payload, app_job_progress progress, void *job, json_t **result)
{
    import_job *j = payload;
    j->in.progress = progress;
    j->in.progress_ud = job;
    app_import_result r;
    pthread_mutex_lock(&import_gate);
    iom_err err = app_dataset_import(c, &j->in, j->if_version, &r);
    if (!err)
        *result = json_of_import(&r);
    import_done();
    return err;
}

iom_err op_dataset_import_job(iom_ctx *c, const op_in *in, op_out *out)
{
    import_job *j = calloc(1, sizeof *j);
    if (!j)
        return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    app_dataset_input *di = &j->in;
    *di = (app_dataset_input){.tasking = op_str(in, "ref"), .name = op_str(in, "name"),
                              .level = op_str(in, "level"), .grade = op_str(in, "grade"),
                              .handling = op_str(in, "handling"), .conditions = op_str(in, "conditions"),
                              .marking = op_str(in, "marking"), .data = op_str(in, "csv"),
                              .filename = op_str(in, "filename"), .replace = op_bool(in, "replace")};
    j->if_version = op_int(in, "if_version", 0);
    const op_value *f = op_get(in, "fields");
    iom_err err = IOM_OK;
    if (f->nv > APP_DATASET_MAX_FIELDS)
        err = iom_fail(&c->err, IOM_EINVAL, "field: at most %d", (int)APP_DATASET_MAX_FIELDS);
    else if (!di->data)
        err = iom_fail(&c->err, IOM_EINVAL, "csv: required (the CSV text)");
    for (size_t i = 0; !err && i < f->nv; i++)
        di->fields[di->nfields++] = f->v[i];
    if (!err)
        err = threshold(c, "link_threshold", op_str(in, "link_threshold"), &di->link_threshold);
    if (!err)
        err = threshold(c, "review_threshold", op_str(in, "review_threshold"), &di->review_threshold);
    /* refused now what can be: the tasking's need-to-know and the picture's write rule */
    if (!err)
        err = app_dataset_may_import(c, di->tasking);
    bool ok = !err;
    const char **own[] = {&di->tasking, &di->name, &di->level, &di->grade, &di->handling, &di->conditions,
                          &di->marking, &di->filename};
    for (size_t i = 0; ok && i < sizeof own / sizeof own[0]; i++)
        ok = keep(j, own[i]);
    for (size_t i = 0; ok && i < di->nfields; i++)
        ok = keep(j, &di->fields[i]);
    ok = ok && keep(j, &di->data);
    if (!err && !ok)
        err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    if (err) {
        import_job_free(j);
        return err;
    }
    di->size = strlen(di->data);
    char id[APP_JOB_ID_LEN + 1];
    const char *tasking = iom_arena_strdup(c->arena, di->tasking);
    json_t *js;
    if ((err = app_job_start(c, "dataset.import", di->tasking, import_job_run, j, import_job_free, id, &js)))
        return err;
    out->json = js;
    out->ref = iom_arena_strdup(c->arena, id);
    op_mark_tasking(c, out, tasking);
    return IOM_OK;
}

iom_err op_job_show(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *tasking;
    json_t *js;
    iom_err err = app_job_get(c, op_str(in, "job"), &js, &tasking);
    if (err)
        return err;
    /* need-to-know is checked again: a job of a tasking the user no longer sees is not found */
    if (*tasking && (err = app_dataset_may_read(c, tasking))) {
        json_decref(js);
        return err;
    }
    /* an import's result names its dataset (name, conditions, roles, checksum): once the
       dataset is removed or disposed of (MoPI: nothing of it is kept), the job shows no result
       (review 42 read a disposed dataset's name and conditions here) */
    json_t *res = json_object_get(js, "result");
    const char *ds = json_string_value(json_object_get(res, "ref"));
    /* shown, the dataset is read as `dataset show` reads it: logged (review 137 L7: through the
       job it was not) */
    iom_dataset_t *d = ds ? iom_arena_new(c->arena, iom_dataset_t, 1) : NULL;
    iom_error keep = c->err;
    if (ds && app_dataset_show(c, ds, d) != IOM_OK) {
        json_object_set_new(js, "result", json_null());
        json_object_set_new(js, "result_gone", json_string("the dataset was removed or disposed of since"));
        d = NULL;
    }
    c->err = keep;
    out->json = js;
    op_mark_tasking(c, out, tasking);
    /* the answer is marked as the most restrictive thing it shows: a dataset marked above its
       tasking (its name, conditions and roles) marks the body too, not only the header */
    iom_marking body = IOM_MARKING_OFFICIAL;
    iom_error ignored = {0};
    const char *bm = json_string_value(json_object_get(js, "marking"));
    if (d && (!bm || iom_marking_parse(bm, &body, &ignored) != IOM_OK || d->marking > body)) {
        json_object_set_new(js, "marking", json_string(iom_marking_name(d->marking)));
        op_mark(out, (int)d->marking);
    }
    return IOM_OK;
}

iom_err op_dataset_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_page p = page_of(in);
    iom_dataset_t *v;
    size_t n;
    const char *next;
    iom_err err = app_dataset_list(c, op_str(in, "ref"), &p, &v, &n, &next);
    if (!err) {
        OP_LIST_OUT(out, v, n, next, json_of_dataset);
        op_mark_tasking(c, out, op_str(in, "ref"));
    }
    return err;
}

iom_err op_dataset_show(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_dataset_t *d = iom_arena_new(c->arena, iom_dataset_t, 1);
    iom_err err = app_dataset_show(c, op_str(in, "dataset"), d);
    if (!err) {
        out->json = json_of_dataset(d);
        out->obj = d;
        out->ref = d->ref;
    }
    return err;
}

iom_err op_dataset_remove(iom_ctx *c, const op_in *in, op_out *out)
{
    app_import_result *r = iom_arena_new(c->arena, app_import_result, 1);
    iom_err err = app_dataset_remove(c, op_str(in, "dataset"), op_str(in, "reason"),
                                     op_int(in, "if_version", 0), r);
    if (!err) {
        out->json = json_pack("{s:s, s:o}", "removed", r->dataset.ref, "resolution",
                              json_of_resolution(&r->res));
        out->obj = r;
        out->ref = r->dataset.ref;
    }
    return err;
}

iom_err op_dataset_resolve(iom_ctx *c, const op_in *in, op_out *out)
{
    app_resolution *r = iom_arena_new(c->arena, app_resolution, 1);
    int before = 0;
    iom_err err = app_dataset_resolve(c, op_str(in, "ref"), op_str(in, "reason"), op_int(in, "if_version", 0), r,
                                      &before);
    if (!err) {
        out->json = json_pack("{s:s, s:i, s:i, s:o}", "tasking", op_str(in, "ref"), "engine_before", before,
                              "engine", APP_PICTURE_ENGINE, "resolution", json_of_resolution(r));
        out->obj = r;
        out->ref = op_str(in, "ref");
    }
    return err;
}

iom_err op_dataset_review(iom_ctx *c, const op_in *in, op_out *out)
{
    app_intel_review_input ri;
    iom_err err = op_review_input(c, in, &ri);
    iom_intel_review_t *r = iom_arena_new(c->arena, iom_intel_review_t, 1);
    app_resolution *res = iom_arena_new(c->arena, app_resolution, 1);
    bool purged = false;
    if (err || (err = app_dataset_review(c, op_str(in, "dataset"), &ri, r, res, &purged)))
        return err;
    op_review_out(c, out, r, purged);
    if (r->dispose) /* and what the re-resolution did */
        json_object_set_new(out->json, "resolution", json_of_resolution(res));
    return IOM_OK;
}

iom_err op_dataset_reviews(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_intel_review_t *v;
    size_t n;
    const char *tasking = NULL;
    iom_err err = app_dataset_reviews(c, op_str(in, "dataset"), &v, &n, &tasking);
    if (!err) {
        OP_LIST_OUT(out, v, n, NULL, json_of_intel_review);
        op_mark_reviews(c, out, v, n, tasking);
    }
    return err;
}

iom_err op_picture_due(iom_ctx *c, const op_in *in, op_out *out)
{
    app_page p = page_of(in);
    iom_pdue_t *v;
    size_t n;
    const char *next;
    iom_err err = app_picture_due(c, op_int_sat(in, "days", 0), op_str(in, "kind"), &p, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_pdue);
    return err;
}

iom_err op_entity_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_entity_query q = {op_str(in, "ref"), op_str(in, "type"), op_str(in, "justification"), page_of(in)};
    app_entity_view *v;
    size_t n;
    const char *next;
    iom_err err = app_entity_list(c, &q, &v, &n, &next);
    if (!err) {
        OP_LIST_OUT(out, v, n, next, json_of_entity_view);
        op_mark_tasking(c, out, q.tasking);
    }
    return err;
}

iom_err op_link_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_link_query q = {op_str(in, "ref"), op_str(in, "type"), op_str(in, "justification"), page_of(in)};
    app_link_view *v;
    size_t n;
    const char *next;
    iom_err err = app_link_list(c, &q, &v, &n, &next);
    if (!err) {
        OP_LIST_OUT(out, v, n, next, json_of_link_view);
        op_mark_tasking(c, out, q.tasking);
    }
    return err;
}

static void entity_out(op_out *out, app_entity_view *v)
{
    out->json = json_of_entity_view(v);
    out->obj = v;
    out->ref = v->e.ref;
}

iom_err op_entity_show(iom_ctx *c, const op_in *in, op_out *out)
{
    app_entity_view *v = iom_arena_new(c->arena, app_entity_view, 1);
    iom_err err = app_entity_show(c, op_str(in, "entity"), op_str(in, "justification"), v);
    if (!err)
        entity_out(out, v);
    return err;
}

iom_err op_entity_add(iom_ctx *c, const op_in *in, op_out *out)
{
    app_entity_input ei = {op_str(in, "ref"), op_str(in, "type"), op_str(in, "label"), op_str(in, "item"),
                           op_str(in, "confidence"), op_int(in, "if_version", 0)};
    app_entity_view *v = iom_arena_new(c->arena, app_entity_view, 1);
    iom_err err = app_entity_add(c, &ei, v);
    if (!err)
        entity_out(out, v);
    return err;
}

iom_err op_entity_update(iom_ctx *c, const op_in *in, op_out *out)
{
    app_entity_input ei = {NULL, NULL, op_str(in, "label"), NULL, op_str(in, "confidence"),
                           op_int(in, "if_version", 0)};
    app_entity_view *v = iom_arena_new(c->arena, app_entity_view, 1);
    iom_err err = app_entity_update(c, op_str(in, "entity"), &ei, v);
    if (!err)
        entity_out(out, v);
    return err;
}

iom_err op_entity_link(iom_ctx *c, const op_in *in, op_out *out)
{
    app_link_view *v = iom_arena_new(c->arena, app_link_view, 1);
    iom_err err = app_entity_link(c, op_str(in, "entity"), op_str(in, "to"), op_str(in, "type"),
                                  op_str(in, "item"), op_str(in, "confidence"),
                                  op_int(in, "if_version", 0), v);
    if (!err) {
        out->json = json_of_link_view(v);
        out->obj = v;
        out->ref = v->l.ref;
    }
    return err;
}

iom_err op_entity_unlink(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *ref = op_str(in, "link");
    iom_err err = app_entity_unlink(c, ref, op_str(in, "reason"), op_int(in, "if_version", 0));
    if (!err) {
        out->json = json_pack("{s:s}", "removed", ref);
        out->ref = ref;
    }
    return err;
}

iom_err op_entity_merge(iom_ctx *c, const op_in *in, op_out *out)
{
    app_entity_view *v = iom_arena_new(c->arena, app_entity_view, 1);
    iom_err err = app_entity_merge(c, op_str(in, "entity"), op_str(in, "other"), op_str(in, "reason"),
                                   op_int(in, "if_version", 0), v);
    if (!err)
        entity_out(out, v);
    return err;
}

iom_err op_entity_split(iom_ctx *c, const op_in *in, op_out *out)
{
    app_entity_view *v = iom_arena_new(c->arena, app_entity_view, 1);
    iom_err err = app_entity_split(c, op_str(in, "entity"), op_str(in, "record"), op_str(in, "reason"),
                                   op_int(in, "if_version", 0), v);
    if (!err)
        entity_out(out, v);
    return err;
}

iom_err op_review_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_page p = page_of(in);
    iom_review_t *v;
    size_t n;
    const char *next;
    iom_err err = app_review_list(c, op_str(in, "ref"), op_str(in, "justification"), &p, &v, &n, &next);
    if (!err) {
        OP_LIST_OUT(out, v, n, next, json_of_review);
        op_mark_tasking(c, out, op_str(in, "ref"));
    }
    return err;
}

iom_err op_review_show(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_review_t *r = iom_arena_new(c->arena, iom_review_t, 1);
    iom_err err = app_review_show(c, op_str(in, "pair"), op_str(in, "justification"), r);
    if (!err) {
        out->json = json_of_review(r);
        out->obj = r;
        out->ref = r->ref;
    }
    return err;
}

iom_err op_review_decide(iom_ctx *c, const op_in *in, op_out *out)
{
    app_resolution *r = iom_arena_new(c->arena, app_resolution, 1);
    const char *pair = op_str(in, "pair");
    iom_err err = app_review_decide(c, pair, op_str(in, "decision"), op_str(in, "reason"),
                                    op_int(in, "if_version", 0), r);
    if (!err) {
        out->json = json_of_resolution(r);
        out->obj = r;
        out->ref = pair;
    }
    return err;
}

/* An export is made whole in memory, several times its file's size: through the server, one at
   a time (503 busy for another meanwhile) and of a picture of at most OP_EXPORT_MAX_ITEMS
   entities and links (review 108 H1: four readers' exports at once took a server from 2.5 to
   7.6 GB, one of a million-record picture past 11 GB); the command line, a process of its own
   on the server, has neither limit. The heap's free memory goes back to the system after. */
#define OP_EXPORT_MAX_ITEMS 250000
static pthread_mutex_t export_gate = PTHREAD_MUTEX_INITIALIZER;

iom_err op_picture_export(iom_ctx *c, const op_in *in, op_out *out)
{
    bool server = c->via && strcmp(c->via, "http") == 0;
    app_export_input ei = {.tasking = op_str(in, "ref"), .format = op_str(in, "format"),
                           .recipient = op_str(in, "recipient"), .purpose = op_str(in, "purpose"),
                           .max_items = server ? OP_EXPORT_MAX_ITEMS : 0};
    const op_value *d = op_get(in, "detail");
    iom_err err = IOM_OK;
    for (size_t i = 0; d && d->set && i < d->nv && !err; i++)
        err = app_export_detail(c, d->v[i], &ei);
    if (err)
        return err;
    app_export_result *r = iom_arena_new(c->arena, app_export_result, 1);
    if (server && pthread_mutex_trylock(&export_gate) != 0)
        return iom_fail(&c->err, IOM_EBUSY,
                        "export: another export is being made on this server; one at a time, try "
                        "again in a moment");
    err = app_picture_export(c, &ei, r);
    if (server) {
        pthread_mutex_unlock(&export_gate);
        iom_heap_give_back();
    }
    if (err)
        return err;
    iom_buf_append(&out->text, r->data, r->size);
    out->content_type = r->media_type;
    out->filename = r->filename;
    out->marking = (int)r->marking;
    out->obj = r;
    out->ref = r->tasking_ref;
    return IOM_OK;
}

iom_err op_picture_image(iom_ctx *c, const op_in *in, op_out *out)
{
    app_image_input ii = {.tasking = op_str(in, "ref"), .png = op_str(in, "png"), .marking = op_str(in, "marking"),
                          .recipient = op_str(in, "recipient"), .purpose = op_str(in, "purpose"),
                          .view = op_str(in, "view")};
    app_export_result *r = iom_arena_new(c->arena, app_export_result, 1);
    iom_err err = app_picture_image(c, &ii, r);
    if (err)
        return err;
    out->json = json_of_export(r);
    out->obj = r;
    out->ref = r->tasking_ref;
    return IOM_OK;
}
