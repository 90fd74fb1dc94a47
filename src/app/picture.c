/* Use-cases of the intelligence picture (app/picture.h): datasets, entities, links, the
   review queue and the analysts' decisions. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/intel_int.h"
#include "app/picture_int.h"
#include "app/search.h"
#include "app/settings.h"
#include "util/text.h"
#include "util/fsio.h"

#define PS(c) ((c)->store->ops->picture)
#define WS(c) ((c)->store->ops->work)

static bool blank(const char *s) { return !s || !*s; }

/* ---- shared steps ------------------------------------------------------------------------ */

/* Inside a write transaction: the tasking for a change of its picture (need-to-know, the
   work-step rule of the lifecycle, then picture_may_write). */
static iom_err enter(iom_ctx *c, const char *what, const char *ref, const char *tasking_ref,
                     int64_t if_version, app_tasking_scope *sc)
{
    iom_err err = work_enter(c, what, ref, tasking_ref, IOM_TA_RECORD_INTEL, if_version, sc);
    if (err)
        return err;
    bool sia = (access_lifecycle_relations(&sc->actor, &sc->at) & IOM_REL_TASKING_SIA) != 0;
    return picture_may_write(sc->t.state, sia, &c->err);
}

/* Inside a transaction: may the actor read the tasking's intelligence? */
static iom_err may_read(iom_ctx *c, const char *what, const char *ref, const char *tasking_ref,
                        app_tasking_scope *sc)
{
    return work_read(c, what, ref, tasking_ref, IOM_PART_INTELLIGENCE, IOM_MARKING_OFFICIAL, sc);
}

static iom_err check_reason(iom_ctx *c, const char *reason)
{
    if (blank(reason))
        return iom_fail(&c->err, IOM_EINVAL, "reason: required (--reason TEXT)");
    return iom_text_check("reason", reason, APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err);
}

static iom_err check_justification(iom_ctx *c, const char *j)
{
    return iom_text_check("justification", j, APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err);
}

/* The tasking's thresholds (defaults when none are set), overridden by given ones. */
static iom_err thresholds(iom_ctx *c, int64_t tasking_id, double link, double review, pic_resolve_opts *o)
{
    bool found = false;
    o->link = APP_PICTURE_LINK_DEFAULT;
    o->review = APP_PICTURE_REVIEW_DEFAULT;
    o->engine = APP_PICTURE_ENGINE;
    iom_err err = PS(c)->settings_get(c->store, tasking_id, &o->link, &o->review, &o->engine, &found, &c->err);
    if (err)
        return err;
    if (link > 0)
        o->link = link;
    if (review > 0)
        o->review = review;
    if (!(o->link > 0 && o->link < 1))
        return iom_fail(&c->err, IOM_EINVAL, "link_threshold: %g is not a probability strictly between 0 and 1", o->link);
    if (!(o->review > 0 && o->review < o->link))
        return iom_fail(&c->err, IOM_EINVAL, "review_threshold: %g must be above 0 and below the link "
                        "threshold %g", o->review, o->link);
    return IOM_OK;
}

iom_err pic_resolve_tasking(iom_ctx *c, int64_t tasking_id, app_progress_fn pf, void *pud,
                            app_resolution *res)
{
    pic_resolve_opts o = {.progress = pf, .progress_ud = pud};
    iom_err err = thresholds(c, tasking_id, 0, 0, &o);
    if (!err)
        err = pic_resolve(c, tasking_id, &o, res);
    /* MoPI: each entity and link is reviewed with its sources (picture_store.h review_dates) */
    return err ? err : PS(c)->review_dates(c->store, tasking_id, &c->err);
}

static int rec_id_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

iom_err pic_resolve_decided(iom_ctx *c, int64_t tasking_id, const int64_t *records, size_t n,
                            int64_t merged_away, app_resolution *res)
{
    int64_t *ids = iom_arena_new(c->arena, int64_t, n ? n : 1);
    if (n)
        memcpy(ids, records, n * sizeof *ids);
    qsort(ids, n, sizeof *ids, rec_id_cmp);
    pic_resolve_opts o = {.reopen = ids, .nreopen = n, .merged_away = merged_away};
    iom_err err = thresholds(c, tasking_id, 0, 0, &o);
    if (!err)
        err = pic_resolve(c, tasking_id, &o, res);
    /* incremental: the review dates of what it touched are made already */
    return err || res->incremental ? err : PS(c)->review_dates(c->store, tasking_id, &c->err);
}

/* ---- datasets ----------------------------------------------------------------------------- */

static iom_err read_path(iom_ctx *c, const char *path, char **data, size_t *n)
{
    int fd = iom_open_regular(path); /* never waits on a FIFO */
    if (fd < 0 && errno == EINVAL)
        return iom_fail(&c->err, IOM_EINVAL, "file: '%s' is not a regular file", path);
    if (fd < 0)
        return iom_fail(&c->err, IOM_EIO, "file: cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    iom_err err = IOM_OK;
    if (fstat(fd, &st) != 0)
        err = iom_fail(&c->err, IOM_EIO, "file: cannot read '%s': %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        err = iom_fail(&c->err, IOM_EINVAL, "file: '%s' is not a regular file", path);
    else if ((unsigned long long)st.st_size > APP_DATASET_MAX_BYTES)
        err = iom_fail(&c->err, IOM_ETOOBIG, "file: '%s' is %lld bytes, above the dataset size limit "
                       "of %u bytes (64 MiB)", path, (long long)st.st_size, APP_DATASET_MAX_BYTES);
    if (err) {
        close(fd);
        return err;
    }
    size_t want = (size_t)st.st_size, got = 0;
    char *buf = iom_arena_alloc(c->arena, want + 1);
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            err = iom_fail(&c->err, IOM_EIO, "file: cannot read '%s': %s", path,
                           r < 0 ? strerror(errno) : "it shrank while being read");
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    *data = buf;
    *n = got;
    return err;
}

static iom_err parse_mapping(iom_ctx *c, const app_dataset_input *in, pic_mapping *m)
{
    memset(m, 0, sizeof *m);
    if (in->nfields == 0)
        return iom_fail(&c->err, IOM_EINVAL, "field: give the columns' roles (--field ROLE=COLUMN, "
                        "e.g. --field surname=Surname)");
    for (size_t i = 0; i < in->nfields; i++) {
        const char *f = in->fields[i] ? in->fields[i] : "";
        const char *eq = strchr(f, '=');
        if (!eq || eq == f || !eq[1])
            return iom_fail(&c->err, IOM_EINVAL, "field: '%.64s' is not ROLE=COLUMN", f);
        char role[32];
        snprintf(role, sizeof role, "%.*s", (int)(eq - f < 31 ? eq - f : 31), f);
        picture_role r;
        iom_err err = picture_role_parse(role, &r, &c->err);
        if (err)
            return err;
        if (m->column[r])
            return iom_fail(&c->err, IOM_EINVAL, "field: role %s is given twice", role);
        if ((err = iom_text_check("field", eq + 1, 200, IOM_TEXT_SINGLE_LINE, &c->err)))
            return err;
        m->column[r] = eq + 1;
    }
    if (!m->column[PIC_R_FULL_NAME] && !m->column[PIC_R_SURNAME] && !m->column[PIC_R_FIRST_NAME])
        return iom_fail(&c->err, IOM_EINVAL, "field: a dataset of people needs a name role "
                        "(full_name, or first_name and surname)");
    if (m->column[PIC_R_ACCOUNT] && !m->column[PIC_R_SORT_CODE])
        return iom_fail(&c->err, IOM_EINVAL, "field: account needs sort_code (a UK account is its "
                        "sort code and number)");
    return IOM_OK;
}

static json_t *mapping_json(const pic_mapping *m)
{
    json_t *o = json_object();
    for (int k = 0; k < PIC_ROLE_COUNT; k++)
        if (m->column[k])
            json_object_set_new(o, picture_role_name((picture_role)k), json_string(m->column[k]));
    return o;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int hint_cmp(const void *x, const void *y)
{
    return strcmp(((const pic_hint *)x)->rkey, ((const pic_hint *)y)->rkey);
}

/* The persons the records of a dataset about to be replaced support, so that its new records
   keep them (and their references) on the resolution that follows. */
static iom_err replaced_people(iom_ctx *c, int64_t tasking_id, const char *ds_ref, const char *name,
                               pic_resolve_opts *o)
{
    iom_psource_t *sv;
    size_t ns;
    iom_err err = picture_source_list(c, false, tasking_id, 0, c->arena, &sv, &ns, &c->err);
    if (err)
        return err;
    pic_hint *h = iom_arena_new(c->arena, pic_hint, ns ? ns : 1);
    size_t k = 0;
    for (size_t i = 0; i < ns; i++)
        if (sv[i].dataset_ref && strcmp(sv[i].dataset_ref, ds_ref) == 0 && strcmp(sv[i].owner_type, "person") == 0)
            h[k++] = (pic_hint){sv[i].rkey, sv[i].owner_id};
    qsort(h, k, sizeof *h, hint_cmp);
    o->hint_dataset = name;
    o->hints = h;
    o->nhints = k;
    return IOM_OK;
}

static void dataset_for_caller(iom_ctx *c, iom_dataset_t *d);

/* A resolution of the whole picture moves records between entities whatever their marking:
   started by a user below some of the tasking's material, it would change what that user may
   not see, as a refused split or merge would (picture.md "Who may": a change never removes or
   alters a source its actor may not see; review 137 M3). what names the change refused. */
static iom_err whole_resolution_allowed(iom_ctx *c, const app_tasking_scope *sc, const char *what)
{
    unsigned held = 0;
    iom_err err = c->store->ops->picture->tasking_markings(c->store, sc->t.id, &held, &c->err);
    if (err)
        return err;
    for (int m = 0; m < (int)IOM_MARKING_COUNT; m++)
        if ((held & (1u << m)) && !iom_clearance_allows(c->actor.clearance, (iom_marking)m))
            return iom_fail(&c->err, IOM_ECONFLICT, "%s: this resolves the whole picture of %s again, which "
                            "needs a user cleared for all that the tasking holds (its SIA); an import that "
                            "adds a dataset at the picture's thresholds does not", what, sc->t.ref);
    return IOM_OK;
}

iom_err app_dataset_import(iom_ctx *c, const app_dataset_input *in, int64_t if_version,
                           app_import_result *out)
{
    memset(out, 0, sizeof *out);
    iom_err err;
    picture_level level;
    iom_grade grade;
    pic_mapping map;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    iom_err ferr;
    if ((err = app_problem_noted(c, "name", iom_text_check("name", in->name, 200,
                                                           IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &c->err))) ||
        (err = app_problem_noted(c, "filename", ferr = iom_text_check("filename", in->filename, 255,
                                                                      IOM_TEXT_SINGLE_LINE, &c->err))))
        return err;
    if (!ferr && in->filename && *in->filename &&
        (strchr(in->filename, '/') || strchr(in->filename, '\\') || !strcmp(in->filename, ".") ||
         !strcmp(in->filename, "..")))
        app_problem(c, "filename", "filename: '%s' is %s; give the file's own name", in->filename,
                    strchr(in->filename, '/') || strchr(in->filename, '\\')
                        ? "a path (a folder, '/' or '\\')"
                        : "a folder's name, not a file's");
    if ((err = app_problem_noted(c, "level", picture_level_parse(in->level ? in->level : "", &level, &c->err))) ||
        (err = app_problem_noted(c, "conditions", iom_text_check("conditions", in->conditions, APP_WORK_REASON_MAX,
                                                                 IOM_TEXT_MULTI_LINE, &c->err))))
        return err;
    if (blank(in->grade))
        app_problem(c, "grade", "grade: required (--grade 2B --handling P|C)");
    else if ((err = app_problem_noted(c, NULL, grade_parse(&grade, in->grade, in->handling, in->conditions,
                                                           &c->err))))
        return err;
    if ((err = app_problem_noted(c, "field", parse_mapping(c, in, &map))))
        return err;
    if ((in->link_threshold != 0 && !(in->link_threshold > 0 && in->link_threshold < 1)) ||
        (in->review_threshold != 0 && !(in->review_threshold > 0 && in->review_threshold < 1)))
        app_problem(c, "threshold", "threshold: a probability strictly between 0 and 1");
    if (!in->data && blank(in->path))
        app_problem(c, "file", "file: required (the CSV file to import)");
    if ((err = app_problems_end(c)))
        return err;
    char *data = (char *)in->data;
    size_t size = in->size;
    if (!data) {
        if ((err = read_path(c, in->path, &data, &size)))
            return err;
    } else if (size > APP_DATASET_MAX_BYTES) {
        return iom_fail(&c->err, IOM_ETOOBIG, "csv: %zu bytes, above the dataset size limit of %u bytes",
                        size, APP_DATASET_MAX_BYTES);
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data, size);
    char sha[65];
    sodium_bin2hex(sha, sizeof sha, h, sizeof h);
    pic_rows rows;
    if (in->progress)
        in->progress(in->progress_ud, "read", 0, size);
    if ((err = pic_read_rows(c, data, size, &map, &rows)))
        return err;
    if ((err = app_begin(c, true))) {
        pic_rows_free(&rows);
        return err;
    }
    app_tasking_scope sc;
    iom_dataset_t *d = &out->dataset;
    int64_t by_sha = 0, by_name = 0;
    pic_resolve_opts o = {.progress = in->progress, .progress_ud = in->progress_ud, .whole_cleared = true};
    pic_renewal renew = {0};
    double was_link = 0, was_review = 0;
    int was_engine = APP_PICTURE_ENGINE;
    bool was_set = false;
    if ((err = enter(c, "tasking", in->tasking, in->tasking, if_version, &sc)) ||
        (err = work_marking(c, "marking", in->marking, &sc.t, &d->marking)) ||
        (err = PS(c)->settings_get(c->store, sc.t.id, &was_link, &was_review, &was_engine, &was_set, &c->err)) ||
        (err = thresholds(c, sc.t.id, in->link_threshold, in->review_threshold, &o)) ||
        (err = PS(c)->dataset_find(c->store, sc.t.id, sha, in->name, &by_sha, &by_name, &c->err)))
        goto fail;
    /* a dataset of the same file or name above the actor's clearance is neither replaced nor
       named: replacing it would delete what the actor may not see (and its conditions), and
       its reference would tell them it exists */
    for (int k = 0; k < 2 && !err; k++) {
        int64_t id = k ? by_name : by_sha;
        iom_dataset_t other;
        if (!id)
            continue;
        const char *ref = iom_arena_printf(c->arena, "DS-%06lld", (long long)id);
        if ((err = PS(c)->dataset_get(c->store, ref, c->arena, &other, &c->err)))
            goto fail;
        if (iom_clearance_allows(c->actor.clearance, other.marking))
            continue;
        err = in->replace ? iom_fail(&c->err, IOM_ENOTFOUND, "dataset: no dataset of this %s in %s that "
                                     "you may replace", k ? "name" : "file", sc.t.ref)
              : k ? iom_fail(&c->err, IOM_ECONFLICT, "name: '%s' is taken in %s; choose another name",
                             in->name, sc.t.ref)
                  : iom_fail(&c->err, IOM_ECONFLICT, "file: this file is already imported into %s",
                             sc.t.ref);
        goto fail;
    }
    /* a name written like another dataset's of the tasking (a Cyrillic е, full-width letters,
       other accents or capitals: iom_text_name_key) is refused as that name would be, so that
       the datasets page and provenance never show two names alike (review 133: `t2sеt` beside
       `t2set` was a new dataset) */
    if (!by_name && in->name) {
        iom_dataset_t *all = NULL;
        size_t nall = 0;
        char *key = iom_text_name_key(in->name);
        if (!key)
            err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        else
            err = PS(c)->dataset_list(c->store, sc.t.id, c->arena, &all, &nall, &c->err);
        for (size_t i = 0; !err && i < nall; i++) {
            char *other = all[i].name ? iom_text_name_key(all[i].name) : NULL;
            bool same = other && !strcmp(other, key);
            free(other);
            if (!same)
                continue;
            err = iom_clearance_allows(c->actor.clearance, all[i].marking)
                      ? iom_fail(&c->err, IOM_ECONFLICT, "name: '%s' is written like '%s', the name of %s in %s; "
                                 "choose another name, or give that one (with --replace to replace it)",
                                 in->name, all[i].name, all[i].ref, sc.t.ref)
                      : iom_fail(&c->err, IOM_ECONFLICT, "name: '%s' is taken in %s; choose another name",
                                 in->name, sc.t.ref);
        }
        free(key);
        if (err)
            goto fail;
    }
    if ((by_sha || by_name) && !in->replace) {
        err = iom_fail(&c->err, IOM_ECONFLICT, by_sha ? "file: this file (sha256 %.12s...) is already "
                       "imported into %s as DS-%06lld; give --replace to import it again"
                       : "name: '%s' is already a dataset of %s (DS-%06lld); give --replace to replace it",
                       by_sha ? sha : in->name, sc.t.ref, (long long)(by_sha ? by_sha : by_name));
        goto fail;
    }
    /* --replace replaces one dataset: a file that is one dataset's under the name of another
       would delete both, and the answer and the audit would name one (review 137 M2) */
    if (in->replace && by_sha && by_name && by_sha != by_name) {
        iom_dataset_t other;
        const char *ref = iom_arena_printf(c->arena, "DS-%06lld", (long long)by_sha);
        if (!(err = PS(c)->dataset_get(c->store, ref, c->arena, &other, &c->err)))
            err = iom_fail(&c->err, IOM_ECONFLICT, "file: this file is %s ('%s') of %s, and the name '%s' is "
                           "DS-%06lld's; --replace replaces one dataset: give the name '%s' to import this "
                           "file again, or remove one of them first",
                           ref, other.name ? other.name : "", sc.t.ref, in->name, (long long)by_name,
                           other.name ? other.name : "");
        goto fail;
    }
    if ((in->replace && (by_sha || by_name)) || (was_set && (was_link != o.link || was_review != o.review))) {
        if ((err = whole_resolution_allowed(c, &sc, in->replace && (by_sha || by_name) ? "replace" : "thresholds")))
            goto fail;
    }
    /* what readers below a source's marking have seen of the picture, before the replaced
       dataset's records go with it (pic_renew_hidden) */
    /* at the least marking: the resolution writes again the sources of every marking */
    if ((err = pic_renewal_before(c, &renew, sc.t.id, IOM_MARKING_OFFICIAL)))
        goto fail;
    o.renew = &renew;
    for (int k = 0; k < 2 && !err; k++) {
        int64_t id = k ? by_name : by_sha;
        if (!id || (k && id == by_sha))
            continue;
        out->replaced = iom_arena_printf(c->arena, "DS-%06lld", (long long)id);
        if (!k || !by_sha)
            err = replaced_people(c, sc.t.id, out->replaced, in->name, &o);
        if (!err)
            err = PS(c)->dataset_delete(c->store, id, &c->err);
    }
    if (err)
        goto fail;
    int64_t now = app_now(c);
    char review[11];
    if ((err = app_settings_review_date(c, now, review)))
        goto fail;
    d->tasking_id = sc.t.id;
    d->name = (char *)in->name;
    d->level = (char *)picture_level_name(level);
    d->grade = grade;
    d->filename = in->path ? (char *)base_name(in->path) : in->filename && *in->filename ? (char *)in->filename : NULL;
    memcpy(d->sha256, sha, sizeof sha);
    d->roles_json = work_json_text(c, mapping_json(&map));
    d->settings_json = "{}";
    d->records = (int64_t)rows.n;
    d->imported_by = c->actor.id;
    d->imported_at = now;
    d->review_date = review;
    if ((err = PS(c)->dataset_insert(c->store, d, c->arena, &c->err)))
        goto fail;
    /* An import that only adds a dataset, with the thresholds the picture was resolved with,
       is resolved incrementally (pic_resolve); a replacement or new thresholds resolve the
       whole tasking again. */
    if (!out->replaced && (!was_set || (was_link == o.link && was_review == o.review))) {
        o.new_dataset = d->id;
        o.new_review = d->review_date;
    }
    for (size_t i = 0; i < rows.n && !err; i++) {
        int64_t id;
        err = PS(c)->record_insert(c->store, d->id, rows.v[i].rownum, rows.v[i].rkey, rows.v[i].fields, &id,
                                   &c->err);
        if (err == IOM_ECONFLICT)
            err = iom_fail(&c->err, IOM_EINVAL, "file: record id '%.64s' is given twice", rows.v[i].rkey);
    }
    if (err || (err = pic_resolve(c, sc.t.id, &o, &out->res)))
        goto fail;
    /* what the resolution did not renew as it wrote (the records of a replaced dataset are
       deleted before it) is renewed now, and the search index follows */
    size_t in_run = renew.nmap;
    if ((out->replaced && (err = pic_renewal_sweep(c, &renew, sc.t.id, now))) ||
        (renew.nmap > in_run && (err = search_picture_changed(c, sc.t.id, NULL))) ||
        (err = pic_renewal_audit(c, &renew, sc.t.ref)) ||
        (!out->res.incremental && (err = PS(c)->review_dates(c->store, sc.t.id, &c->err))))
        goto fail;
    json_t *settings = json_of_resolution(&out->res);
    d->settings_json = work_json_text(c, json_incref(settings));
    if ((err = PS(c)->dataset_set_records(c->store, d->id, d->records, d->settings_json, &c->err)) ||
        (err = PS(c)->dataset_get(c->store, d->ref, c->arena, d, &c->err)) ||
        (err = app_tasking_touch(c, &sc.t))) {
        json_decref(settings);
        goto fail;
    }
    /* one audit entry per import (DPA 2018 s.62: the combination of datasets is logged) */
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o}", "dataset", d->ref,
                              "tasking", sc.t.ref, "name", d->name, "level", d->level, "sha256", d->sha256,
                              "records", (json_int_t)d->records, "replaced", json_str_or_null(out->replaced),
                              "resolution", settings, "roles", mapping_json(&map));
    err = audit_record(c, "dataset.import", d->ref, NULL, work_json_text(c, after));
    pic_rows_free(&rows);
    pic_renewal_free(&renew);
    pic_resolution_for_caller(c, &out->res);
    dataset_for_caller(c, d);
    return app_end(c, err);
fail:
    pic_rows_free(&rows);
    pic_renewal_free(&renew);
    return app_end(c, err);
}

iom_err app_dataset_list(iom_ctx *c, const char *tasking, const app_page *p, iom_dataset_t **out,
                         size_t *n, const char **next)
{
    *n = 0;
    *next = NULL;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    iom_dataset_t *v;
    size_t m;
    if ((err = app_actor(c)) || (err = may_read(c, "tasking", tasking, tasking, &sc)) ||
        (err = PS(c)->dataset_list(c->store, sc.t.id, c->arena, &v, &m, &c->err)))
        return app_end(c, err);
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (iom_clearance_allows(c->actor.clearance, v[i].marking))
            v[k++] = v[i];
    size_t from, count;
    err = app_page_apply(c, p, v, k, sizeof *v, offsetof(iom_dataset_t, ref), &from, &count, next);
    *out = v + from;
    *n = count;
    for (size_t i = 0; i < count && !err; i++)
        dataset_for_caller(c, &v[from + i]);
    if ((err = app_end(c, err)))
        return err;
    json_t *refs = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(refs, json_pack("{s:s}", "ref", v[from + i].ref));
    return work_log_tasking_part(c, sc.t.ref, &sc.access, refs);
}

/* Inside a transaction: the dataset if the actor may see it (else not found). */
static iom_err load_dataset(iom_ctx *c, const char *ref, iom_dataset_t *d)
{
    iom_err err = app_actor(c);
    if (err || (err = PS(c)->dataset_get(c->store, ref ? ref : "", c->arena, d, &c->err)))
        return err;
    if (!iom_clearance_allows(c->actor.clearance, d->marking))
        return iom_fail(&c->err, IOM_ENOTFOUND, "dataset: '%s' not found", ref);
    return IOM_OK;
}

/* A resolution's counts are of the whole tasking: its records, entities, links and review pairs
   of every marking, and the entities new to the picture whether the caller could see them
   before or not. Shown to a caller not cleared for every marking, they would count what they
   may not see (an API review read a hidden phone's existence from `created_entities`), so such
   a caller gets them withheld, whatever the tasking holds today (withholding them only where
   something is hidden would itself tell). */
static bool counts_withheld(const iom_ctx *c)
{
    return !iom_clearance_allows(c->actor.clearance, (iom_marking)(IOM_MARKING_COUNT - 1));
}

void pic_resolution_for_caller(const iom_ctx *c, app_resolution *r)
{
    r->withheld = counts_withheld(c);
}

/* The resolution stored with a dataset (its settings), as the caller may see it. */
static void dataset_for_caller(iom_ctx *c, iom_dataset_t *d)
{
    if (!counts_withheld(c) || !d->settings_json)
        return;
    json_t *o = json_loads(d->settings_json, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return;
    }
    static const char *const counts[] = {"records", "entities", "links", "created_entities",
                                         "removed_entities", "removed_links", "review_pairs",
                                         "unusable_values", "decisions"};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (json_object_get(o, counts[i]))
            json_object_set_new(o, counts[i], json_null());
    json_object_set_new(o, "withheld", json_true());
    d->settings_json = work_json_text(c, o);
}

iom_err app_dataset_may_import(iom_ctx *c, const char *tasking)
{
    iom_err err = app_begin(c, true);
    app_tasking_scope sc;
    if (err || (err = app_actor(c)) || (err = enter(c, "tasking", tasking, tasking, 0, &sc)))
        return err ? app_end(c, err) : err;
    return app_end(c, IOM_OK); /* nothing written */
}

iom_err app_dataset_may_read(iom_ctx *c, const char *tasking)
{
    iom_err err = app_begin(c, false);
    app_tasking_scope sc;
    if (err || (err = app_actor(c)) || (err = may_read(c, "tasking", tasking, tasking, &sc)))
        return err ? app_end(c, err) : err;
    return app_end(c, IOM_OK);
}

iom_err app_dataset_show(iom_ctx *c, const char *ref, iom_dataset_t *out)
{
    iom_err err = app_begin(c, false);
    app_tasking_scope sc;
    if (err || (err = load_dataset(c, ref, out)) ||
        (err = may_read(c, "dataset", ref, out->tasking_ref, &sc)))
        return err ? app_end(c, err) : err;
    dataset_for_caller(c, out);
    if ((err = app_end(c, IOM_OK)))
        return err;
    return work_log_tasking_part(c, sc.t.ref, &sc.access, json_pack("{s:s}", "ref", out->ref));
}

bool app_dataset_visible(iom_ctx *c, const char *ref)
{
    iom_error keep = c->err;
    iom_dataset_t d;
    app_tasking_scope sc;
    iom_err err = app_begin(c, false);
    if (!err)
        err = app_end(c, (err = load_dataset(c, ref, &d)) ? err : may_read(c, "dataset", ref, d.tasking_ref, &sc));
    c->err = keep;
    return err == IOM_OK;
}

iom_err app_dataset_remove(iom_ctx *c, const char *ref, const char *reason, int64_t if_version,
                           app_import_result *out)
{
    memset(out, 0, sizeof *out);
    iom_err err = check_reason(c, reason);
    if (err || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    iom_dataset_t *d = &out->dataset;
    if ((err = load_dataset(c, ref, d)) || (err = enter(c, "dataset", ref, d->tasking_ref, if_version, &sc)) ||
        (err = PS(c)->dataset_delete(c->store, d->id, &c->err)) ||
        (err = pic_resolve_tasking(c, sc.t.id, NULL, NULL, &out->res)) || (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    json_t *before = json_of_dataset(d);
    json_t *after = json_pack("{s:s, s:s, s:o}", "removed", d->ref, "reason", reason, "resolution",
                              json_of_resolution(&out->res));
    err = audit_record(c, "dataset.remove", d->ref, work_json_text(c, before), work_json_text(c, after));
    pic_resolution_for_caller(c, &out->res);
    dataset_for_caller(c, d);
    return app_end(c, err);
}

iom_err app_dataset_resolve(iom_ctx *c, const char *tasking_ref, const char *reason, int64_t if_version,
                            app_resolution *out, int *engine_before)
{
    memset(out, 0, sizeof *out);
    *engine_before = APP_PICTURE_ENGINE;
    iom_err err = check_reason(c, reason);
    if (err || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    double link = 0, review = 0;
    bool found = false;
    memset(&sc, 0, sizeof sc);
    /* resolved again as any change of the picture is; and a picture an older engine made is
       repaired in any state (review 65: a closed tasking kept its placeholder entities for
       ever), by its SIA or a TOEX manager: nothing of its records or decisions changes, only
       what the engine derives from them */
    err = enter(c, "tasking", tasking_ref, tasking_ref, if_version, &sc);
    if ((!err || err == IOM_ECONFLICT || err == IOM_EFORBIDDEN) && sc.t.id > 0) {
        iom_error held = c->err;
        iom_err e2 = PS(c)->settings_get(c->store, sc.t.id, &link, &review, engine_before, &found, &c->err);
        if (e2)
            return app_end(c, e2);
        c->err = held;
        if (!found)
            *engine_before = APP_PICTURE_ENGINE;
    }
    /* the repair: refused as a change of the picture (its state, or who may change it now),
       not as a stale version (review 68: a stale page got "only the SIA"), by the SIA or a
       TOEX manager who may read the tasking's intelligence */
    bool stale = if_version > 0 && sc.t.id > 0 && if_version != sc.t.version;
    bool sia = sc.t.sia_id != 0 && sc.t.sia_id == c->actor.id;
    bool may_repair = (err == IOM_ECONFLICT || err == IOM_EFORBIDDEN) && sc.t.id > 0 &&
                      *engine_before < APP_PICTURE_ENGINE && (sia || iom_roles_has(c->actor.roles, IOM_ROLE_TOEX_MANAGER));
    bool repair = may_repair && !stale;
    if (may_repair && stale)
        err = iom_fail(&c->err, IOM_ECONFLICT, "tasking %s: you read version %lld but it is now version %lld; "
                       "reload and retry", sc.t.ref, (long long)if_version, (long long)sc.t.version);
    if (repair) {
        iom_error_clear(&c->err);
        app_tasking_scope rd;
        err = may_read(c, "tasking", tasking_ref, tasking_ref, &rd);
    }
    /* (an ended tasking takes no change of its own row: its version stays) */
    if (err || (err = whole_resolution_allowed(c, &sc, "resolve")) || (err = pic_resolve_tasking(c, sc.t.id, NULL, NULL, out)) ||
        (!repair && (err = app_tasking_touch(c, &sc.t))))
        return app_end(c, err);
    json_t *after = json_pack("{s:s, s:s, s:i, s:i, s:o}", "tasking", sc.t.ref, "reason", reason, "engine_before",
                              *engine_before, "engine", APP_PICTURE_ENGINE, "resolution", json_of_resolution(out));
    err = audit_record(c, "picture.resolve", sc.t.ref, NULL, work_json_text(c, after));
    pic_resolution_for_caller(c, out);
    return app_end(c, err);
}

/* ---- views: what the reader may see ------------------------------------------------------ */

typedef struct seen_range {
    const char *first, *last;
    const char *review; /* the latest review date of the visible sources that have one */
    bool all;           /* no source was hidden */
} seen_range;

/* The review date an owner shows its reader (review 94 M2: the stored one is the latest of
   every source's, hidden ones included, and told an OFFICIAL reader that later
   OFFICIAL-SENSITIVE material supports what they see): the stored date when the reader sees
   every source, else the latest of the visible sources'; when none of them has one (only
   imports, which have no review date, are visible), the date set at its creation, from its
   creation time and the review period (review 96 L1: null there told the reader a hidden source
   exists, where an entity of imports alone shows that date). */
static char *review_shown(iom_ctx *c, const seen_range *r, char *stored, int64_t created_at)
{
    if (r->all)
        return stored;
    if (r->review)
        return (char *)r->review;
    iom_settings s;
    if (app_settings_load(c, &s) != IOM_OK)
        return NULL;
    char *out = iom_arena_alloc(c->arena, 11);
    work_review_date(created_at, s.review_years, out);
    return out;
}

/* The clearance of an image for the change chain: every source, whoever the actor (review 87
   H1: the images of an unlink and a merge were the actor's view, and the loss of the sources
   hidden from them was recorded nowhere). audit.c withholds an image marked above its reader. */
#define PIC_ALL ((iom_marking)(IOM_MARKING_COUNT - 1))

/* Keeps the sources a reader of this clearance may see (in place) and works out the grade,
   marking and dates from them. false when none is left. */
static bool visible_to(iom_ctx *c, iom_marking clearance, iom_psource_t *s, size_t *n, iom_grade *g,
                       iom_marking *m, seen_range *r)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (iom_clearance_allows(clearance, s[i].marking) && grade_check(&s[i].grade, NULL) == IOM_OK)
            s[k++] = s[i];
    r->all = k == *n;
    r->review = NULL;
    *n = k;
    if (k == 0)
        return false;
    iom_grade *gv = iom_arena_new(c->arena, iom_grade, k);
    iom_marking *mv = iom_arena_new(c->arena, iom_marking, k);
    r->first = r->last = NULL;
    for (size_t i = 0; i < k; i++) {
        gv[i] = s[i].grade;
        mv[i] = s[i].marking;
        if (s[i].seen && (!r->first || strcmp(s[i].seen, r->first) < 0))
            r->first = s[i].seen;
        const char *last = s[i].seen_last ? s[i].seen_last : s[i].seen; /* an import's last date */
        if (last && (!r->last || strcmp(last, r->last) > 0))
            r->last = last;
        if (s[i].review_date && (!r->review || strcmp(s[i].review_date, r->review) > 0))
            r->review = s[i].review_date;
    }
    char *cond = iom_arena_alloc(c->arena, 1024);
    picture_grade_combine(gv, k, cond, 1024, g, NULL);
    *m = picture_marking_combine(mv, k);
    return true;
}

/* The same for the actor. */
static bool visible(iom_ctx *c, iom_psource_t *s, size_t *n, iom_grade *g, iom_marking *m, seen_range *r)
{
    return visible_to(c, c->actor.clearance, s, n, g, m, r);
}

static void entity_view_to(iom_ctx *c, iom_marking clearance, const iom_entity_t *e, iom_psource_t *s, size_t n,
                           app_entity_view *v, bool *ok)
{
    memset(v, 0, sizeof *v);
    v->e = *e;
    v->sources = s;
    v->nsources = n;
    seen_range r;
    *ok = visible_to(c, clearance, v->sources, &v->nsources, &v->grade, &v->marking, &r);
    v->first_seen = r.first;
    v->last_seen = r.last;
    v->e.review_date = review_shown(c, &r, e->review_date, e->created_at);
    /* a person made from records is called what its first visible record calls it; an
       identifier by its normalised key's label, written as its first visible source wrote it
       when a source is hidden from the reader (the stored label is its first writer's, which
       the reader may not see: an API review read a hidden record's "0044 7700 900654" where
       the reader's own import wrote "07700900654"); an entity added by hand by its label */
    v->label = e->label;
    /* the first: the visible record source of the least record id (whatever order the sources
       were written in: an incremental resolution re-adds the moved ones last) */
    size_t first = 0;
    for (size_t i = 1; *ok && i < v->nsources; i++)
        if (v->sources[i].record_id &&
            (!v->sources[first].record_id || v->sources[i].record_id < v->sources[first].record_id))
            first = i;
    if (*ok && !e->key && v->sources[first].record_id)
        v->label = v->sources[first].label;
    else if (*ok && e->key && v->nsources < n && v->sources[first].label && *v->sources[first].label)
        v->label = v->sources[first].label;
    /* a person of one record the reader may see is, to them, that record: certain, as any
       entity of one record is; the resolution's confidence of a merge with records hidden from
       them would tell them such records exist (an API review) */
    if (*ok && v->nsources == 1 && n > 1 && !e->key)
        v->e.confidence = 1.0;
}

static void entity_view(iom_ctx *c, const iom_entity_t *e, iom_psource_t *s, size_t n, app_entity_view *v,
                        bool *ok)
{
    entity_view_to(c, c->actor.clearance, e, s, n, v, ok);
}

bool pic_visible(iom_ctx *c, iom_psource_t *s, size_t *n, iom_grade *g, iom_marking *m, const char **first,
                 const char **last)
{
    seen_range r = {0};
    bool ok = visible(c, s, n, g, m, &r);
    *first = r.first;
    *last = r.last;
    return ok;
}

bool pic_entity_view(iom_ctx *c, const iom_entity_t *e, iom_psource_t *s, size_t n, app_entity_view *v)
{
    bool ok;
    entity_view(c, e, s, n, v, &ok);
    return ok;
}

/* Groups the tasking's sources (ordered by owner) by owner: *from[i], *cnt[i] for owner ids. */
static void source_range(iom_psource_t *s, size_t n, int64_t owner, size_t *pos, size_t *from, size_t *cnt)
{
    while (*pos < n && s[*pos].owner_id < owner)
        (*pos)++;
    *from = *pos;
    while (*pos < n && s[*pos].owner_id == owner)
        (*pos)++;
    *cnt = *pos - *from;
}

static iom_err log_read(iom_ctx *c, const char *object, json_t *what, const char *justification,
                        const app_tasking_scope *sc)
{
    if (json_array_size(what) == 0) {
        json_decref(what);
        return IOM_OK; /* nothing was consulted */
    }
    return work_log_read(c, "intel.consult", object, what, justification, access_read_purpose(&sc->access));
}

iom_err app_entity_list(iom_ctx *c, const app_entity_query *q, app_entity_view **out, size_t *n,
                        const char **next)
{
    *n = 0;
    *next = NULL;
    picture_entity_type want = PIC_ENTITY_TYPE_COUNT;
    iom_err err = check_justification(c, q->justification);
    if (err || (q->type && (err = picture_entity_type_parse(q->type, &want, &c->err))) ||
        (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    iom_entity_t *ev;
    iom_psource_t *sv;
    size_t ne, ns;
    if ((err = app_actor(c)) || (err = may_read(c, "tasking", q->tasking, q->tasking, &sc)) ||
        (err = PS(c)->entity_list(c->store, sc.t.id, c->arena, &ev, &ne, &c->err)) ||
        (err = picture_source_list(c, false, sc.t.id, 0, c->arena, &sv, &ns, &c->err)))
        return app_end(c, err);
    app_entity_view *v = iom_arena_new(c->arena, app_entity_view, ne ? ne : 1);
    size_t k = 0, pos = 0;
    for (size_t i = 0; i < ne; i++) {
        size_t from, cnt;
        bool ok;
        source_range(sv, ns, ev[i].id, &pos, &from, &cnt);
        if (want != PIC_ENTITY_TYPE_COUNT && strcmp(ev[i].type, picture_entity_type_name(want)) != 0)
            continue;
        entity_view(c, &ev[i], sv + from, cnt, &v[k], &ok);
        if (ok)
            k++;
    }
    size_t from, count;
    err = app_page_apply(c, &q->page, v, k, sizeof *v, offsetof(app_entity_view, e.ref), &from, &count, next);
    if ((err = app_end(c, err)))
        return err;
    *out = v + from;
    *n = count;
    json_t *what = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(what, json_pack("{s:s}", "ref", v[from + i].e.ref));
    return log_read(c, sc.t.ref, what, q->justification, &sc);
}

/* The index of the entity with this id in ev (sorted by id), or ne. */
static size_t entity_index(const iom_entity_t *ev, size_t ne, int64_t id)
{
    size_t lo = 0, hi = ne;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ne && ev[lo].id == id ? lo : ne;
}

iom_err app_link_list(iom_ctx *c, const app_link_query *q, app_link_view **out, size_t *n, const char **next)
{
    *n = 0;
    *next = NULL;
    picture_link_type want = PIC_LINK_TYPE_COUNT;
    iom_err err = check_justification(c, q->justification);
    if (err || (q->type && (err = picture_link_type_parse(q->type, &want, &c->err))) ||
        (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    iom_entity_t *ev;
    iom_plink_t *lv;
    iom_psource_t *es, *ls;
    size_t ne, nl, nes, nls;
    if ((err = app_actor(c)) || (err = may_read(c, "tasking", q->tasking, q->tasking, &sc)) ||
        (err = PS(c)->entity_list(c->store, sc.t.id, c->arena, &ev, &ne, &c->err)) ||
        (err = picture_source_list(c, false, sc.t.id, 0, c->arena, &es, &nes, &c->err)) ||
        (err = PS(c)->link_list(c->store, sc.t.id, 0, c->arena, &lv, &nl, &c->err)) ||
        (err = picture_source_list(c, true, sc.t.id, 0, c->arena, &ls, &nls, &c->err)))
        return app_end(c, err);
    /* the entities the actor may see (a link shows only when both its ends do) */
    bool *shown = iom_arena_new(c->arena, bool, ne ? ne : 1);
    size_t pos = 0;
    for (size_t i = 0; i < ne; i++) {
        size_t from, cnt;
        source_range(es, nes, ev[i].id, &pos, &from, &cnt);
        app_entity_view ent;
        entity_view(c, &ev[i], es + from, cnt, &ent, &shown[i]);
    }
    app_link_view *v = iom_arena_new(c->arena, app_link_view, nl ? nl : 1);
    size_t k = 0;
    pos = 0;
    for (size_t i = 0; i < nl; i++) {
        size_t from, cnt;
        source_range(ls, nls, lv[i].id, &pos, &from, &cnt);
        if (want != PIC_LINK_TYPE_COUNT && strcmp(lv[i].type, picture_link_type_name(want)) != 0)
            continue;
        size_t a = entity_index(ev, ne, lv[i].from_id), b = entity_index(ev, ne, lv[i].to_id);
        if (a == ne || b == ne || !shown[a] || !shown[b])
            continue;
        app_link_view *w = &v[k];
        memset(w, 0, sizeof *w);
        w->l = lv[i];
        w->sources = ls + from;
        w->nsources = cnt;
        seen_range r;
        if (!visible(c, w->sources, &w->nsources, &w->grade, &w->marking, &r))
            continue;
        w->first_seen = r.first;
        w->last_seen = r.last;
        w->l.review_date = review_shown(c, &r, w->l.review_date, w->l.created_at);
        k++;
    }
    size_t from, count;
    err = app_page_apply(c, &q->page, v, k, sizeof *v, offsetof(app_link_view, l.ref), &from, &count, next);
    if ((err = app_end(c, err)))
        return err;
    *out = v + from;
    *n = count;
    json_t *what = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(what, json_pack("{s:s}", "ref", v[from + i].l.ref));
    return log_read(c, sc.t.ref, what, q->justification, &sc);
}

/* Inside a transaction: the entity with its visible sources, or not found. */
bool pic_entity_hidden(iom_ctx *c, const char *ref, iom_marking *marking)
{
    iom_entity_t e;
    iom_psource_t *sv;
    size_t ns = 0;
    bool ok = true;
    app_entity_view v;
    iom_error keep = c->err;
    if (ref && PS(c)->entity_get(c->store, ref, c->arena, &e, &c->err) == IOM_OK &&
        picture_source_list(c, false, e.tasking_id, e.id, c->arena, &sv, &ns, &c->err) == IOM_OK && ns)
        entity_view(c, &e, sv, ns, &v, &ok);
    c->err = keep;
    if (ok && ns && marking)
        *marking = v.marking;
    return !ok;
}

static iom_err load_entity(iom_ctx *c, const char *ref, app_entity_view *v, app_tasking_scope *sc, bool write,
                           int64_t if_version)
{
    iom_entity_t e;
    iom_psource_t *sv;
    size_t ns;
    bool ok;
    iom_err err = app_actor(c);
    if (err || (err = PS(c)->entity_get(c->store, ref ? ref : "", c->arena, &e, &c->err)))
        return err;
    /* found first: an entity the actor sees none of is not found, before the state, role or
       version of a write is judged (review 137 M5: a write's 403 or 409 told an OFFICIAL
       reader which references of their tasking were hidden entities) */
    err = may_read(c, "entity", ref, e.tasking_ref, sc);
    if (err == IOM_ENOTFOUND || (err && !write))
        return err;
    if (!err) {
        if ((err = picture_source_list(c, false, e.tasking_id, e.id, c->arena, &sv, &ns, &c->err)))
            return err;
        entity_view(c, &e, sv, ns, v, &ok);
        if (!ok)
            return iom_fail(&c->err, IOM_ENOTFOUND, "entity: '%s' not found", ref);
    }
    iom_error_clear(&c->err);
    if (!write)
        return IOM_OK;
    bool seen = !err;
    if ((err = enter(c, "entity", ref, e.tasking_ref, if_version, sc)))
        return err;
    if (!seen) { /* (a writer who may not read the tasking's intelligence: enter refuses them) */
        if ((err = picture_source_list(c, false, e.tasking_id, e.id, c->arena, &sv, &ns, &c->err)))
            return err;
        entity_view(c, &e, sv, ns, v, &ok);
        if (!ok)
            return iom_fail(&c->err, IOM_ENOTFOUND, "entity: '%s' not found", ref);
    }
    return IOM_OK;
}

/* The visible links of an entity (both ends visible). */
static iom_err entity_links(iom_ctx *c, app_entity_view *v)
{
    iom_plink_t *lv;
    size_t nl;
    iom_err err = PS(c)->link_list(c->store, v->e.tasking_id, v->e.id, c->arena, &lv, &nl, &c->err);
    if (err)
        return err;
    v->links = iom_arena_new(c->arena, app_link_view, nl ? nl : 1);
    v->nlinks = 0;
    for (size_t i = 0; i < nl; i++) {
        int64_t other = lv[i].from_id == v->e.id ? lv[i].to_id : lv[i].from_id;
        iom_psource_t *s;
        size_t n;
        if ((err = picture_source_list(c, false, v->e.tasking_id, other, c->arena, &s, &n, &c->err)))
            return err;
        iom_grade g;
        iom_marking m;
        seen_range r;
        if (!visible(c, s, &n, &g, &m, &r))
            continue;
        app_link_view *lw = &v->links[v->nlinks];
        memset(lw, 0, sizeof *lw);
        lw->l = lv[i];
        if ((err = picture_source_list(c, true, v->e.tasking_id, lv[i].id, c->arena, &lw->sources,
                                      &lw->nsources, &c->err)))
            return err;
        if (!visible(c, lw->sources, &lw->nsources, &lw->grade, &lw->marking, &r))
            continue;
        lw->first_seen = r.first;
        lw->last_seen = r.last;
        lw->l.review_date = review_shown(c, &r, lw->l.review_date, lw->l.created_at);
        v->nlinks++;
    }
    return IOM_OK;
}

static json_t *read_what(const app_entity_view *v)
{
    json_t *what = json_array();
    json_array_append_new(what, json_pack("{s:s}", "ref", v->e.ref));
    for (size_t i = 0; i < v->nlinks; i++)
        json_array_append_new(what, json_pack("{s:s}", "ref", v->links[i].l.ref));
    return what;
}

iom_err app_entity_show(iom_ctx *c, const char *ref, const char *justification, app_entity_view *out)
{
    iom_err err = check_justification(c, justification);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    if ((err = load_entity(c, ref, out, &sc, false, 0)) || (err = entity_links(c, out)))
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK)))
        return err;
    return log_read(c, out->e.ref, read_what(out), justification, &sc);
}

static iom_err parse_confidence(iom_ctx *c, const char *s, double def, double *out)
{
    if (!s) {
        *out = def;
        return IOM_OK;
    }
    char *end = NULL;
    errno = 0;
    double v = iom_plain_decimal(s) ? strtod(s, &end) : -1;
    if (v < 0 || *end || errno || !(v >= 0 && v <= 1))
        return iom_fail(&c->err, IOM_EINVAL, "confidence: '%.32s' is not a number from 0 to 1 "
                                             "(a decimal such as 0.8)", s);
    *out = v;
    return IOM_OK;
}

/* Inside a write transaction: the item, of the tasking, that the actor is cleared for. */
static iom_err load_item(iom_ctx *c, const char *ref, int64_t tasking_id, iom_intel_t *it)
{
    if (blank(ref))
        return iom_fail(&c->err, IOM_EINVAL, "item: the intelligence item that supports it is required "
                        "(--item INT-...)");
    iom_err err = WS(c)->intel_get(c->store, ref, 0, c->arena, it, &c->err);
    if (err == IOM_ENOTFOUND || (!err && (it->tasking_id != tasking_id ||
                                          !iom_clearance_allows(c->actor.clearance, it->marking))))
        return iom_fail(&c->err, IOM_ENOTFOUND, "item: '%s' is not an intelligence item of this tasking", ref);
    if (!err && it->disposed_at)
        return iom_fail(&c->err, IOM_ECONFLICT, "item: %s was disposed of (MoPI); it supports nothing", ref);
    return err;
}

/* The change chain keeps of an entity or a link its references, type, grade codes, marking,
   confidence, dates and sources by reference, never what they say: labels, identifiers, handling
   conditions, a record's own id, an import's attributes. The chain is append-only and cannot
   forget, and the disposal of an item or a dataset (MoPI) leaves no copy of what it said
   (docs/work.md "Review and disposal"; review 39 found the names and conditions of disposed
   sources in entity.add, entity.link and entity.split entries). */
static void strip_content(json_t *o)
{
    static const char *const content[] = {"label", "key", "conditions", "record_id", "attributes"};
    if (json_is_object(o)) {
        for (size_t i = 0; i < sizeof content / sizeof content[0]; i++)
            json_object_del(o, content[i]);
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v)
            strip_content(v);
    } else if (json_is_array(o)) {
        size_t i;
        json_t *v;
        json_array_foreach(o, i, v)
            strip_content(v);
    }
}

/* o (owned) as the change chain keeps it. */
static char *audit_text(iom_ctx *c, json_t *o)
{
    strip_content(o);
    return work_json_text(c, o);
}

static char *entity_text(iom_ctx *c, const app_entity_view *v) { return audit_text(c, json_of_entity_view(v)); }

/* An entity's or a link's image for the change chain: with every source, whoever the actor
   (PIC_ALL), so that an auditor cleared for it reads what changed and what went; marked as
   its sources are, so that audit.c withholds it from one who is not. JSON null when it is
   gone or has no source. */
static iom_err entity_image(iom_ctx *c, const char *ref, json_t **out)
{
    *out = NULL;
    iom_entity_t e;
    iom_psource_t *sv;
    size_t ns;
    iom_error keep = c->err;
    iom_err err = PS(c)->entity_get(c->store, ref, c->arena, &e, &c->err);
    if (err == IOM_ENOTFOUND) {
        c->err = keep;
        *out = json_null();
        return IOM_OK;
    }
    if (err || (err = picture_source_list(c, false, e.tasking_id, e.id, c->arena, &sv, &ns, &c->err)))
        return err;
    app_entity_view v;
    bool ok;
    entity_view_to(c, PIC_ALL, &e, sv, ns, &v, &ok);
    *out = ok ? json_of_entity_view(&v) : json_null();
    return IOM_OK;
}

static iom_err link_image(iom_ctx *c, const char *ref, json_t **out)
{
    *out = NULL;
    app_link_view v;
    memset(&v, 0, sizeof v);
    iom_error keep = c->err;
    iom_err err = PS(c)->link_get(c->store, ref, c->arena, &v.l, &c->err);
    if (err == IOM_ENOTFOUND) {
        c->err = keep;
        *out = json_null();
        return IOM_OK;
    }
    if (err || (err = picture_source_list(c, true, v.l.tasking_id, v.l.id, c->arena, &v.sources, &v.nsources,
                                         &c->err)))
        return err;
    seen_range r;
    if (!visible_to(c, PIC_ALL, v.sources, &v.nsources, &v.grade, &v.marking, &r)) {
        *out = json_null();
        return IOM_OK;
    }
    v.first_seen = r.first;
    v.last_seen = r.last;
    *out = json_of_link_view(&v);
    return IOM_OK;
}

iom_err app_entity_add(iom_ctx *c, const app_entity_input *in, app_entity_view *out)
{
    picture_entity_type t;
    double conf = 1.0;
    iom_err err;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    if ((err = app_problem_noted(c, "type", picture_entity_type_parse(in->type ? in->type : "", &t, &c->err))) ||
        (err = app_problem_noted(c, "label", iom_text_check("label", in->label, 200,
                                                            IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &c->err))) ||
        (err = app_problem_noted(c, "confidence", parse_confidence(c, in->confidence, 1.0, &conf))) ||
        (err = app_problems_end(c)) || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    iom_intel_t it;
    if ((err = app_actor(c)) || (err = enter(c, "tasking", in->tasking, in->tasking, in->if_version, &sc)) ||
        (err = load_item(c, in->item, sc.t.id, &it)))
        return app_end(c, err);
    int64_t now = app_now(c);
    char review[11], seen[11];
    if ((err = app_settings_review_date(c, now, review)))
        return app_end(c, err);
    work_today(it.created_at, seen);
    iom_entity_t e = {.tasking_id = sc.t.id, .type = (char *)picture_entity_type_name(t),
                      .label = (char *)in->label, .confidence = conf, .review_date = review,
                      .created_at = now, .updated_at = now};
    if ((err = PS(c)->entity_insert(c->store, &e, c->arena, &c->err)) ||
        (err = PS(c)->source_add(c->store, false, e.id, 0, it.ref, in->label, seen, &c->err)) ||
        (err = PS(c)->review_dates(c->store, sc.t.id, &c->err)) ||
        (err = load_entity(c, e.ref, out, &sc, false, 0)) || (err = search_picture_changed(c, sc.t.id, NULL)) ||
        (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    err = audit_record(c, "entity.add", out->e.ref, NULL, entity_text(c, out));
    return app_end(c, err);
}

iom_err app_entity_update(iom_ctx *c, const char *ref, const app_entity_input *in, app_entity_view *out)
{
    double conf = 0;
    iom_err err;
    if ((err = iom_text_check("label", in->label, 200, IOM_TEXT_SINGLE_LINE, &c->err)) ||
        (err = parse_confidence(c, in->confidence, -1, &conf)) || (err = app_begin(c, true)))
        return err;
    if (blank(in->label) && conf < 0)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "entity update: give --label or --confidence"));
    app_tasking_scope sc;
    app_entity_view cur;
    if ((err = load_entity(c, ref, &cur, &sc, true, in->if_version)))
        return app_end(c, err);
    if (!blank(in->label) && cur.e.key)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "label: %s is a %s known by its identifier '%s'; "
                                   "its label cannot change", cur.e.ref, cur.e.type, cur.e.key));
    /* a person made from records is called what its first record calls it (entity_view): a
       label given here would be stored and never shown (review 39: 200, and nothing changed) */
    if (!blank(in->label) && cur.nsources && cur.sources[0].record_id)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "label: %s is a %s made from dataset records and "
                                   "called what its first record calls it ('%s'); its label cannot change",
                                   cur.e.ref, cur.e.type, cur.label ? cur.label : ""));
    /* Review 104: an update whose every field already has the value given changes nothing; it
       would raise the tasking's version (every other If-Match stale) and audit a change that is
       none, so it is refused, as a threat's update or a tasking's edit is. */
    bool new_label = !blank(in->label) && (!cur.e.label || strcmp(cur.e.label, in->label) != 0);
    bool new_conf = conf >= 0 && conf != cur.e.confidence;
    if (!new_label && !new_conf)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "entity update %s: nothing to change (every field given already has "
                                   "that value)", cur.e.ref));
    json_t *bj;
    if ((err = entity_image(c, cur.e.ref, &bj)))
        return app_end(c, err);
    char *before = audit_text(c, bj);
    iom_entity_t e = cur.e;
    int64_t now = app_now(c);
    if (!blank(in->label))
        e.label = (char *)in->label;
    if (conf >= 0)
        e.confidence = conf;
    e.updated_at = now; /* the review date stays: it is its sources' (MoPI) */
    if ((err = PS(c)->entity_update(c->store, &e, &c->err)) || (err = load_entity(c, e.ref, out, &sc, false, 0)) ||
        (err = search_picture_changed(c, sc.t.id, NULL)) || (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    json_t *after, *changed;
    if ((err = entity_image(c, out->e.ref, &after)))
        return app_end(c, err);
    changed = json_array(); /* what changed, not what was given (review 106 L6) */
    if (new_label)
        json_array_append_new(changed, json_string("label"));
    if (new_conf)
        json_array_append_new(changed, json_string("confidence"));
    json_object_set_new(after, "changed", changed);
    err = audit_record(c, "entity.update", out->e.ref, before, audit_text(c, after));
    return app_end(c, err);
}

static iom_err load_link_view(iom_ctx *c, const char *ref, app_link_view *v)
{
    iom_err err = PS(c)->link_get(c->store, ref, c->arena, &v->l, &c->err);
    if (err || (err = picture_source_list(c, true, v->l.tasking_id, v->l.id, c->arena, &v->sources,
                                         &v->nsources, &c->err)))
        return err;
    seen_range r;
    if (!visible(c, v->sources, &v->nsources, &v->grade, &v->marking, &r))
        return iom_fail(&c->err, IOM_ENOTFOUND, "link: '%s' not found", ref);
    v->first_seen = r.first;
    v->last_seen = r.last;
    v->l.review_date = review_shown(c, &r, v->l.review_date, v->l.created_at);
    return IOM_OK;
}

iom_err app_entity_link(iom_ctx *c, const char *a, const char *b, const char *type, const char *item,
                        const char *confidence, int64_t if_version, app_link_view *out)
{
    picture_link_type t;
    double conf = 1.0;
    iom_err err;
    memset(out, 0, sizeof *out);
    if ((err = picture_link_type_parse(type ? type : "", &t, &c->err)) ||
        (err = parse_confidence(c, confidence, 1.0, &conf)) || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc, sc2;
    app_entity_view va, vb;
    iom_intel_t it;
    if ((err = load_entity(c, a, &va, &sc, true, if_version)) || (err = load_entity(c, b, &vb, &sc2, false, 0)))
        return app_end(c, err);
    if (va.e.tasking_id != vb.e.tasking_id)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "link: %s and %s are entities of different taskings",
                                   va.e.ref, vb.e.ref));
    if (va.e.id == vb.e.id)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "link: an entity cannot be linked with itself"));
    picture_entity_type ta, tb;
    if ((err = picture_entity_type_parse(va.e.type, &ta, &c->err)) ||
        (err = picture_entity_type_parse(vb.e.type, &tb, &c->err)) ||
        (err = picture_link_allowed(t, ta, tb, &c->err)) || (err = load_item(c, item, sc.t.id, &it)))
        return app_end(c, err);
    int64_t from = va.e.id, to = vb.e.id, id = 0;
    if (!picture_link_directed(t) && from > to) { /* symmetric: one way only */
        from = vb.e.id;
        to = va.e.id;
    }
    int64_t now = app_now(c);
    char review[11], seen[11];
    if ((err = app_settings_review_date(c, now, review)))
        return app_end(c, err);
    work_today(it.created_at, seen);
    const char *tn = picture_link_type_name(t);
    if ((err = PS(c)->link_find(c->store, sc.t.id, tn, from, to, &id, &c->err)))
        return app_end(c, err);
    if (id) { /* an item supports a link once (review 87 L1: a second source of the same item
                 read as two corroborating pieces of intelligence); the item is the caller's,
                 so the link it supports is one they see */
        iom_psource_t *ls;
        size_t nls;
        if ((err = picture_source_list(c, true, sc.t.id, id, c->arena, &ls, &nls, &c->err)))
            return app_end(c, err);
        for (size_t i = 0; i < nls; i++)
            if (ls[i].intel_ref && strcmp(ls[i].intel_ref, it.ref) == 0)
                return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "link: LNK-%06lld already has %s among its "
                                           "sources (an item supports a link once)", (long long)id, it.ref));
    }
    pic_renewal renew = {0};
    if (!id) {
        iom_plink_t l = {.tasking_id = sc.t.id, .type = (char *)tn, .from_id = from, .to_id = to,
                         .directed = picture_link_directed(t), .confidence = conf, .review_date = review,
                         .created_at = now, .updated_at = now};
        if ((err = PS(c)->link_insert(c->store, &l, c->arena, &c->err)))
            return app_end(c, err);
        id = l.id;
    } else if ((err = pic_renew_hidden(c, &renew, true, sc.t.id, &id, it.marking, now, NULL)) ||
               (err = pic_renewal_audit(c, &renew, sc.t.ref))) {
        /* a link no reader of the item's marking has seen: a new reference first (review 79
           H1: an OFFICIAL analyst's link answered with the hidden link's reference) */
        pic_renewal_free(&renew);
        return app_end(c, err);
    }
    pic_renewal_free(&renew);
    char *lref = iom_arena_printf(c->arena, "LNK-%06lld", (long long)id);
    if ((err = PS(c)->source_add(c->store, true, id, 0, it.ref,
                                 iom_arena_printf(c->arena, "%s %s %s", va.label, tn, vb.label), seen, &c->err)) ||
        (err = PS(c)->review_dates(c->store, sc.t.id, &c->err)) || (err = load_link_view(c, lref, out)) || (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    json_t *after;
    if ((err = link_image(c, lref, &after)))
        return app_end(c, err);
    err = audit_record(c, "entity.link", lref, NULL, audit_text(c, after));
    return app_end(c, err);
}

/* Removes the sources of a link that the actor may see; a source hidden from them is never
   removed or altered (review 87 H1: an OFFICIAL analyst's unlink deleted a link that
   OFFICIAL-SENSITIVE intelligence also supported). The link goes when no source is left;
   else it stays with the hidden ones, and the actor, who sees none of them, is answered as
   if it went: the answer is the same either way, so it tells them nothing of what they may
   not see. A source the actor sees that a dataset or an import gives is not removed by hand
   (409, naming it); one hidden from them is never named. */
iom_err app_entity_unlink(iom_ctx *c, const char *ref, const char *reason, int64_t if_version)
{
    iom_err err = check_reason(c, reason);
    if (err || (err = app_begin(c, true)))
        return err;
    app_link_view v;
    app_tasking_scope sc;
    if ((err = app_actor(c)) || (err = load_link_view(c, ref ? ref : "", &v)) ||
        (err = enter(c, "link", ref, v.l.tasking_ref, if_version, &sc)))
        return app_end(c, err);
    iom_psource_t *all;
    size_t n;
    if ((err = picture_source_list(c, true, v.l.tasking_id, v.l.id, c->arena, &all, &n, &c->err)))
        return app_end(c, err);
    size_t hidden = 0;
    for (size_t i = 0; i < n; i++)
        if (!iom_clearance_allows(c->actor.clearance, all[i].marking))
            hidden++;
        else if (all[i].record_id)
            return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "unlink: %s comes from dataset rows (%s row "
                                       "%lld); remove the dataset or split the entity instead", v.l.ref,
                                       all[i].dataset_ref, (long long)all[i].rownum));
        else if (all[i].import_id)
            return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "unlink: %s comes from the %s import %s; remove "
                                       "the import instead", v.l.ref, all[i].import_kind, all[i].import_ref));
    json_t *before, *removed = json_array(), *after = NULL;
    if ((err = link_image(c, v.l.ref, &before))) {
        json_decref(removed);
        return app_end(c, err);
    }
    /* the items the actor sees, each once (an item may support the link twice) */
    for (size_t i = 0; i < n; i++) {
        if (!iom_clearance_allows(c->actor.clearance, all[i].marking) || !all[i].intel_ref)
            continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = all[k].intel_ref && strcmp(all[k].intel_ref, all[i].intel_ref) == 0 &&
                   iom_clearance_allows(c->actor.clearance, all[k].marking);
        if (!seen)
            json_array_append_new(removed, json_string(all[i].intel_ref));
    }
    if (!hidden)
        err = PS(c)->link_delete(c->store, v.l.id, &c->err);
    for (size_t i = 0; hidden && i < json_array_size(removed) && !err; i++)
        err = PS(c)->link_item_source_remove(c->store, v.l.id, json_string_value(json_array_get(removed, i)),
                                             &c->err);
    if (!err && hidden)
        err = PS(c)->review_dates_of(c->store, true, &v.l.id, 1, &c->err);
    if (!err && hidden)
        err = link_image(c, v.l.ref, &after);
    if (err || (err = app_tasking_touch(c, &sc.t))) {
        json_decref(before);
        json_decref(removed);
        json_decref(after);
        return app_end(c, err);
    }
    /* the entry: the link before and after (null when it went) with every source, and the
       items removed; marked as they are (an auditor not cleared for the sources that stay
       reads it withheld) */
    err = audit_record(c, "entity.unlink", v.l.ref, audit_text(c, before),
                       audit_text(c, json_pack("{s:s, s:o, s:o}", "reason", reason, "removed", removed, "link",
                                               after ? after : json_null())));
    return app_end(c, err);
}

/* The records among an entity's visible sources. */
static size_t records_of(const app_entity_view *v, const iom_psource_t **out, iom_arena *a)
{
    const iom_psource_t **r = iom_arena_new(a, const iom_psource_t *, v->nsources ? v->nsources : 1);
    size_t k = 0;
    for (size_t i = 0; i < v->nsources; i++)
        if (v->sources[i].record_id)
            r[k++] = &v->sources[i];
    *out = (const iom_psource_t *)r;
    return k;
}

static iom_err decide(iom_ctx *c, int64_t tasking_id, const char *kind, const char *made_by, const char *reason,
                      const char *ia, const char *ka, const char *ib, const char *kb)
{
    iom_decision_t d = {.tasking_id = tasking_id, .kind = (char *)kind, .input_a = (char *)ia, .key_a = (char *)ka,
                        .input_b = (char *)ib, .key_b = (char *)kb, .made_by = (char *)made_by,
                        .reason = (char *)reason, .decided_by = c->actor.id, .decided_at = app_now(c)};
    return PS(c)->decision_insert(c->store, &d, &c->err);
}

/* Whether dv holds a `same` decision on the records (ia, ka) and (ib, kb), either way round. */
static bool decided_same(const iom_decision_t *dv, size_t nd, const char *ia, const char *ka, const char *ib,
                         const char *kb)
{
    for (size_t d = 0; d < nd; d++)
        if (!strcmp(dv[d].kind, "same") &&
            ((!strcmp(dv[d].input_a, ia) && !strcmp(dv[d].key_a, ka) && !strcmp(dv[d].input_b, ib) &&
              !strcmp(dv[d].key_b, kb)) ||
             (!strcmp(dv[d].input_a, ib) && !strcmp(dv[d].key_a, kb) && !strcmp(dv[d].input_b, ia) &&
              !strcmp(dv[d].key_b, ka))))
            return true;
    return false;
}

/* Whether the actor is cleared for all of an entity's material a merge moves, deletes or
   decides on: its sources, and each of its links' sources and other end (review 87 H1: an
   OFFICIAL analyst's merge deleted an OFFICIAL-SENSITIVE link between the two, moved a hidden
   record and stored a `same` decision on it that later imports applied). */
static iom_err cleared_for_entity(iom_ctx *c, const iom_entity_t *e, bool *ok)
{
    unsigned m = 0;
    iom_plink_t *lv;
    size_t nl;
    *ok = false;
    iom_err err = PS(c)->owner_markings(c->store, false, e->id, &m, &c->err);
    if (err || !picture_cleared_for_all(c->actor.clearance, m) ||
        (err = PS(c)->link_list(c->store, e->tasking_id, e->id, c->arena, &lv, &nl, &c->err)))
        return err;
    for (size_t i = 0; i < nl; i++) {
        int64_t other = lv[i].from_id == e->id ? lv[i].to_id : lv[i].from_id;
        if ((err = PS(c)->owner_markings(c->store, true, lv[i].id, &m, &c->err)) ||
            !picture_cleared_for_all(c->actor.clearance, m))
            return err;
        if ((err = PS(c)->owner_markings(c->store, false, other, &m, &c->err)) ||
            !picture_sees_some(c->actor.clearance, m))
            return err;
    }
    *ok = true;
    return IOM_OK;
}

/* The refusal of a change that would delete or move material above its actor's clearance:
   the same words whatever the material is, and whichever entity holds it. */
static iom_err needs_cleared(iom_ctx *c, const char *what)
{
    return iom_fail(&c->err, IOM_ECONFLICT, "%s: this %s needs a user cleared for all of these entities' "
                    "material", what, what);
}

iom_err app_entity_merge(iom_ctx *c, const char *a, const char *b, const char *reason, int64_t if_version,
                         app_entity_view *out)
{
    iom_err err = check_reason(c, reason);
    if (err || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc, sc2;
    app_entity_view va, vb;
    if ((err = load_entity(c, a, &va, &sc, true, if_version)) || (err = load_entity(c, b, &vb, &sc2, false, 0)))
        return app_end(c, err);
    if (va.e.tasking_id != vb.e.tasking_id || va.e.id == vb.e.id || strcmp(va.e.type, vb.e.type) != 0)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "merge: %s and %s must be two entities of the same "
                                   "type and tasking", va.e.ref, vb.e.ref));
    if (va.e.key || vb.e.key)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "merge: a %s is known by its identifier (%s); two "
                                   "different identifiers are two %ss: merge the people who use them",
                                   va.e.type, va.e.key ? va.e.key : vb.e.key, va.e.type));
    bool oka = false, okb = false;
    if ((err = cleared_for_entity(c, &va.e, &oka)) || (err = cleared_for_entity(c, &vb.e, &okb)))
        return app_end(c, err);
    if (!oka || !okb)
        return app_end(c, needs_cleared(c, "merge"));
    /* the one readers of a lower marking see is kept: were B kept, a reader who sees only
       A would see A's records move to B's reference, which they never saw, and learn that
       A is joined with material above their clearance (review 80 M2) */
    unsigned ma = 0, mb = 0;
    if ((err = PS(c)->owner_markings(c->store, false, va.e.id, &ma, &c->err)) ||
        (err = PS(c)->owner_markings(c->store, false, vb.e.id, &mb, &c->err)))
        return app_end(c, err);
    if (mb && (!ma || (mb & -mb) < (ma & -ma))) {
        app_entity_view t = va;
        va = vb;
        vb = t;
    }
    /* every source of B, also those the actor cannot see, goes to A */
    iom_psource_t *sb;
    size_t nb;
    if ((err = picture_source_list(c, false, vb.e.tasking_id, vb.e.id, c->arena, &sb, &nb, &c->err)))
        return app_end(c, err);
    const iom_psource_t *ra;
    size_t nra = records_of(&va, &ra, c->arena);
    const iom_psource_t **rap = (const iom_psource_t **)ra;
    for (size_t i = 0; i < nb && nra && !err; i++)
        if (sb[i].record_id)
            err = decide(c, va.e.tasking_id, "same", "merge", reason, rap[0]->dataset_name, rap[0]->rkey,
                         sb[i].dataset_name, sb[i].rkey);
    /* and A's own records, all of them: the analyst says A and B are one person, not that B is
       the person of A's first record (with B's records joined to that one only, A's others,
       held by links alone, could no longer join a person whose names or date of birth B's
       records contradict, and became a new person: Maria Popescu's two other records when
       Piotr Nowak was merged into her) */
    iom_psource_t *sa = NULL;
    size_t na = 0;
    iom_decision_t *dv = NULL;
    size_t nd = 0;
    if (!err && nra && !(err = picture_source_list(c, false, va.e.tasking_id, va.e.id, c->arena, &sa, &na, &c->err)))
        err = PS(c)->decision_list(c->store, va.e.tasking_id, c->arena, &dv, &nd, &c->err);
    for (size_t i = 0; i < na && !err; i++)
        if (sa[i].record_id && sa[i].record_id != rap[0]->record_id &&
            !decided_same(dv, nd, rap[0]->dataset_name, rap[0]->rkey, sa[i].dataset_name, sa[i].rkey))
            err = decide(c, va.e.tasking_id, "same", "merge", reason, rap[0]->dataset_name, rap[0]->rkey,
                         sa[i].dataset_name, sa[i].rkey); /* one made already keeps who made it and why */
    /* the entry's images have every source and name the links between the two, which go */
    json_t *ia = NULL, *ib = NULL, *gone = json_array();
    iom_plink_t *lv = NULL;
    size_t nl = 0;
    if (!err && !(err = entity_image(c, va.e.ref, &ia)) && !(err = entity_image(c, vb.e.ref, &ib)))
        err = PS(c)->link_list(c->store, va.e.tasking_id, vb.e.id, c->arena, &lv, &nl, &c->err);
    for (size_t i = 0; i < nl && !err; i++)
        if (lv[i].from_id == va.e.id || lv[i].to_id == va.e.id) {
            json_t *li = NULL;
            if (!(err = link_image(c, lv[i].ref, &li)))
                json_array_append_new(gone, li);
        }
    char *before = err ? NULL
                       : audit_text(c, json_pack("{s:O, s:O, s:O}", "into", ia, "merged", ib, "links_removed", gone));
    json_decref(ia);
    json_decref(ib);
    json_decref(gone);
    /* the persons resolved again: A, which holds B's records once they are moved */
    int64_t *recs = iom_arena_new(c->arena, int64_t, nb + 2);
    size_t nrecs = 0;
    for (size_t i = 0; i < nb; i++)
        if (sb[i].record_id)
            recs[nrecs++] = sb[i].record_id;
    if (nra)
        recs[nrecs++] = rap[0]->record_id;
    app_resolution res;
    /* what each marking's readers saw before the move: a link of B's that a link of A's (seen
       by none of B's readers) takes over is renewed after it (review 79 H2) */
    pic_renewal renew = {0};
    if (!err)
        err = pic_renewal_before(c, &renew, va.e.tasking_id, IOM_MARKING_OFFICIAL);
    if (err || (err = PS(c)->entity_move(c->store, vb.e.id, va.e.id, &c->err)) ||
        (err = pic_resolve_decided(c, va.e.tasking_id, recs, nrecs, vb.e.id, &res)) ||
        (err = pic_renewal_sweep(c, &renew, va.e.tasking_id, app_now(c))) ||
        (renew.nmap && (err = search_picture_changed(c, va.e.tasking_id, NULL))) ||
        (err = pic_renewal_audit(c, &renew, sc.t.ref))) {
        pic_renewal_free(&renew);
        return app_end(c, err);
    }
    const char *kept = va.e.ref;
    for (size_t i = 0; i < renew.nmap; i++)
        if (!renew.map[i].link && renew.map[i].from == va.e.id)
            kept = iom_arena_printf(c->arena, "ENT-%06lld", (long long)renew.map[i].to);
    pic_renewal_free(&renew);
    if ((err = load_entity(c, kept, out, &sc2, false, 0)) || (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    json_t *kept_image;
    if ((err = entity_image(c, out->e.ref, &kept_image)))
        return app_end(c, err);
    err = audit_record(c, "entity.merge", out->e.ref, before,
                       audit_text(c, json_pack("{s:o, s:s, s:s}", "entity", kept_image, "merged", vb.e.ref,
                                               "reason", reason)));
    return app_end(c, err);
}

/* The material of some entities hidden from the actor, taken before a decision resolves
   them again (a split, a review decision) and checked after it: each hidden source by what it
   is and the entity that holds it, and each of their links that the actor may not wholly see
   (a hidden source or other end) by its type and ends, with its hidden sources. A decision
   may not move or delete any of it (review 87 H1): it is refused as a merge is. */
typedef struct hidden_src {
    bool link;
    int64_t owner;
    int64_t record_id, import_id;
    const char *intel_ref;
} hidden_src;

typedef struct hidden_lnk {
    const char *type;
    int64_t from, to, id;
} hidden_lnk;

typedef struct hidden_set {
    hidden_src *s;
    size_t ns, caps;
    hidden_lnk *l;
    size_t nl, capl;
} hidden_set;

static void hidden_add_src(iom_ctx *c, hidden_set *h, bool link, const iom_psource_t *x)
{
    if (h->ns == h->caps) {
        size_t cap = h->caps ? 2 * h->caps : 16;
        hidden_src *v = iom_arena_new(c->arena, hidden_src, cap);
        if (h->ns)
            memcpy(v, h->s, h->ns * sizeof *v);
        h->s = v;
        h->caps = cap;
    }
    h->s[h->ns++] = (hidden_src){.link = link, .owner = x->owner_id, .record_id = x->record_id,
                                 .import_id = x->import_id, .intel_ref = x->intel_ref};
}

static iom_err hidden_take(iom_ctx *c, int64_t tasking_id, int64_t entity, hidden_set *h)
{
    iom_psource_t *sv;
    size_t ns;
    iom_plink_t *lv;
    size_t nl;
    unsigned m;
    iom_err err = picture_source_list(c, false, tasking_id, entity, c->arena, &sv, &ns, &c->err);
    for (size_t i = 0; !err && i < ns; i++)
        if (!iom_clearance_allows(c->actor.clearance, sv[i].marking))
            hidden_add_src(c, h, false, &sv[i]);
    if (err || (err = PS(c)->link_list(c->store, tasking_id, entity, c->arena, &lv, &nl, &c->err)))
        return err;
    for (size_t i = 0; i < nl; i++) {
        int64_t other = lv[i].from_id == entity ? lv[i].to_id : lv[i].from_id;
        if ((err = PS(c)->owner_markings(c->store, false, other, &m, &c->err)))
            return err;
        bool whole = picture_sees_some(c->actor.clearance, m);
        if ((err = picture_source_list(c, true, tasking_id, lv[i].id, c->arena, &sv, &ns, &c->err)))
            return err;
        for (size_t k = 0; k < ns; k++)
            whole = whole && iom_clearance_allows(c->actor.clearance, sv[k].marking);
        if (whole)
            continue;
        if (h->nl == h->capl) {
            size_t cap = h->capl ? 2 * h->capl : 16;
            hidden_lnk *v = iom_arena_new(c->arena, hidden_lnk, cap);
            if (h->nl)
                memcpy(v, h->l, h->nl * sizeof *v);
            h->l = v;
            h->capl = cap;
        }
        h->l[h->nl++] = (hidden_lnk){.type = lv[i].type, .from = lv[i].from_id, .to = lv[i].to_id, .id = lv[i].id};
        for (size_t k = 0; k < ns; k++)
            if (!iom_clearance_allows(c->actor.clearance, sv[k].marking))
                hidden_add_src(c, h, true, &sv[k]);
    }
    return IOM_OK;
}

static bool same_source(const hidden_src *h, const iom_psource_t *x)
{
    return h->record_id ? x->record_id == h->record_id
           : h->import_id ? x->import_id == h->import_id
                          : h->intel_ref && x->intel_ref && strcmp(h->intel_ref, x->intel_ref) == 0;
}

/* After the change: *ok when every hidden source is still held by the entity (or by the link
   of the same type and ends) that held it, and every such link is still there. */
static iom_err hidden_kept(iom_ctx *c, int64_t tasking_id, const hidden_set *h, bool *ok)
{
    *ok = true;
    iom_err err = IOM_OK;
    int64_t *now = iom_arena_new(c->arena, int64_t, h->nl ? h->nl : 1); /* each link's id now */
    for (size_t i = 0; i < h->nl && !err && *ok; i++) {
        now[i] = 0;
        err = PS(c)->link_find(c->store, tasking_id, h->l[i].type, h->l[i].from, h->l[i].to, &now[i], &c->err);
        *ok = now[i] != 0;
    }
    for (size_t i = 0; i < h->ns && !err && *ok; i++) {
        int64_t owner = h->s[i].owner;
        for (size_t k = 0; h->s[i].link && k < h->nl; k++)
            if (h->l[k].id == owner)
                owner = now[k];
        iom_psource_t *sv;
        size_t ns;
        if ((err = picture_source_list(c, h->s[i].link, tasking_id, owner, c->arena, &sv, &ns, &c->err)))
            break;
        bool found = false;
        for (size_t k = 0; k < ns && !found; k++)
            found = same_source(&h->s[i], &sv[k]);
        *ok = found;
    }
    return err;
}

iom_err app_entity_split(iom_ctx *c, const char *ref, const char *record, const char *reason, int64_t if_version,
                         app_entity_view *out)
{
    iom_err err = check_reason(c, reason);
    if (err || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    app_entity_view v;
    if ((err = load_entity(c, ref, &v, &sc, true, if_version)))
        return app_end(c, err);
    /* as a merge: an identifier is one because its records give one number; the person who
       uses it is what an analyst splits (review 54: a split of a phone split the person who
       shared it, and the audit named the phone) */
    if (v.e.key)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "split: a %s is known by its identifier (%s); its "
                                   "records give that one number: split the person who uses it",
                                   v.e.type, v.e.key));
    iom_psource_t *all;
    size_t n;
    if ((err = picture_source_list(c, false, v.e.tasking_id, v.e.id, c->arena, &all, &n, &c->err)))
        return app_end(c, err);
    const iom_psource_t *r = NULL;
    size_t nrec = 0;
    /* the records counted are those the actor may see: with one visible and others hidden, a
       split would leave them an entity they may not see (a 404 where a person of one record
       gives a 409: review 51, an oracle of hidden records) */
    for (size_t i = 0; i < n; i++) {
        bool seen = iom_clearance_allows(c->actor.clearance, all[i].marking);
        nrec += all[i].record_id != 0 && seen;
        if (all[i].record_ref && record && strcasecmp(all[i].record_ref, record) == 0 && seen)
            r = &all[i];
    }
    if (!r)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL, "record: '%.32s' is not a record of %s (its records "
                                   "are listed by entity show)", record ? record : "", v.e.ref));
    if (nrec < 2)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "split: %s has one record only", v.e.ref));
    json_t *bj;
    hidden_set hs = {0};
    if ((err = entity_image(c, v.e.ref, &bj)))
        return app_end(c, err);
    if ((err = hidden_take(c, v.e.tasking_id, v.e.id, &hs))) {
        json_decref(bj); /* the before-image is the caller's until audit_text takes it */
        return app_end(c, err);
    }
    char *before = audit_text(c, bj);
    /* "different" against the records the actor sees only: a decision on a record they never
       saw would outlive the split and bind every later resolution, and an analyst cleared for
       it could not undo it (review 137 L6) */
    for (size_t i = 0; i < n && !err; i++)
        if (all[i].record_id && &all[i] != r && iom_clearance_allows(c->actor.clearance, all[i].marking))
            err = decide(c, v.e.tasking_id, "different", "split", reason, r->dataset_name, r->rkey,
                         all[i].dataset_name, all[i].rkey);
    int64_t *recs = iom_arena_new(c->arena, int64_t, n + 1);
    size_t nrecs = 0;
    for (size_t i = 0; i < n; i++)
        if (all[i].record_id)
            recs[nrecs++] = all[i].record_id;
    app_resolution res;
    bool kept = true;
    if (err || (err = pic_resolve_decided(c, v.e.tasking_id, recs, nrecs, 0, &res)) ||
        (err = hidden_kept(c, v.e.tasking_id, &hs, &kept)))
        return app_end(c, err);
    if (!kept) /* the record held hidden material to the entity: the split would move it */
        return app_end(c, needs_cleared(c, "split"));
    json_t *aj;
    if ((err = load_entity(c, v.e.ref, out, &sc, false, 0)) || (err = app_tasking_touch(c, &sc.t)) ||
        (err = entity_image(c, out->e.ref, &aj)))
        return app_end(c, err);
    err = audit_record(c, "entity.split", out->e.ref, before,
                       audit_text(c, json_pack("{s:o, s:s, s:s}", "entity", aj, "record", r->record_ref, "reason",
                                               reason)));
    return app_end(c, err);
}

/* ---- the review queue -------------------------------------------------------------------- */

static bool review_visible(iom_ctx *c, const iom_review_t *r)
{
    return iom_clearance_allows(c->actor.clearance, r->marking_a) &&
           iom_clearance_allows(c->actor.clearance, r->marking_b);
}

iom_err app_review_list(iom_ctx *c, const char *tasking, const char *justification, const app_page *p,
                        iom_review_t **out, size_t *n, const char **next)
{
    *n = 0;
    *next = NULL;
    iom_err err = check_justification(c, justification);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    iom_review_t *v;
    size_t m;
    if ((err = app_actor(c)) || (err = may_read(c, "tasking", tasking, tasking, &sc)) ||
        (err = PS(c)->review_list(c->store, sc.t.id, c->arena, &v, &m, &c->err)))
        return app_end(c, err);
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (review_visible(c, &v[i]))
            v[k++] = v[i];
    size_t from, count;
    err = app_page_apply(c, p, v, k, sizeof *v, offsetof(iom_review_t, ref), &from, &count, next);
    if ((err = app_end(c, err)))
        return err;
    *out = v + from;
    *n = count;
    json_t *what = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(what, json_pack("{s:s}", "ref", v[from + i].ref));
    return log_read(c, sc.t.ref, what, justification, &sc);
}

static iom_err load_review(iom_ctx *c, const char *ref, iom_review_t *r, app_tasking_scope *sc, bool write,
                           int64_t if_version)
{
    iom_err err = app_actor(c);
    if (err || (err = PS(c)->review_get(c->store, ref ? ref : "", c->arena, r, &c->err)))
        return err;
    if (!review_visible(c, r))
        return iom_fail(&c->err, IOM_ENOTFOUND, "review pair: '%s' not found", ref);
    return write ? enter(c, "review pair", ref, r->tasking_ref, if_version, sc)
                 : may_read(c, "review pair", ref, r->tasking_ref, sc);
}

iom_err app_review_show(iom_ctx *c, const char *ref, const char *justification, iom_review_t *out)
{
    iom_err err = check_justification(c, justification);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    if ((err = load_review(c, ref, out, &sc, false, 0)) || (err = app_end(c, IOM_OK)))
        return err ? app_end(c, err) : err;
    json_t *what = json_array();
    json_array_append_new(what, json_pack("{s:s}", "ref", out->ref));
    return log_read(c, out->ref, what, justification, &sc);
}

/* The hidden material of the persons the two records of a pair support (hidden_take). */
static iom_err review_hidden(iom_ctx *c, const iom_review_t *r, hidden_set *h)
{
    if (picture_cleared_for_all(c->actor.clearance, (1u << IOM_MARKING_COUNT) - 1u))
        return IOM_OK; /* nothing is hidden from them */
    iom_precord_t *rv;
    size_t n;
    int64_t pa = 0, pb = 0;
    iom_err err = PS(c)->record_list(c->store, r->tasking_id, c->arena, &rv, &n, &c->err);
    for (size_t i = 0; !err && i < n; i++) {
        if (rv[i].id == r->record_a)
            pa = rv[i].person_id;
        if (rv[i].id == r->record_b)
            pb = rv[i].person_id;
    }
    if (!err && pa)
        err = hidden_take(c, r->tasking_id, pa, h);
    if (!err && pb && pb != pa)
        err = hidden_take(c, r->tasking_id, pb, h);
    return err;
}

iom_err app_review_decide(iom_ctx *c, const char *ref, const char *decision, const char *reason,
                          int64_t if_version, app_resolution *out)
{
    iom_err err = check_reason(c, reason);
    if (err)
        return err;
    if (!decision || (strcmp(decision, "same") != 0 && strcmp(decision, "different") != 0))
        return iom_fail(&c->err, IOM_EINVAL, "decision: '%.32s' must be same or different",
                        decision ? decision : "");
    if ((err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    iom_review_t r;
    hidden_set hs = {0};
    bool kept = true;
    if ((err = load_review(c, ref, &r, &sc, true, if_version)) ||
        (err = review_hidden(c, &r, &hs)) ||
        (err = decide(c, r.tasking_id, decision, "review", reason, r.input_a, r.key_a, r.input_b, r.key_b)) ||
        (err = pic_resolve_decided(c, r.tasking_id, (int64_t[]){r.record_a, r.record_b}, 2, 0, out)) ||
        (err = hidden_kept(c, r.tasking_id, &hs, &kept)))
        return app_end(c, err);
    if (!kept) /* the persons of the pair hold material hidden from the actor that would move */
        return app_end(c, needs_cleared(c, "decision"));
    if ((err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "pair", r.ref, "decision", decision, "record_a",
                              r.ref_a, "record_b", r.ref_b, "reason", reason, "resolution", json_of_resolution(out));
    err = audit_record(c, "entity.review.decide", r.ref, NULL, work_json_text(c, after));
    pic_resolution_for_caller(c, out);
    return app_end(c, err);
}

/* ---- JSON -------------------------------------------------------------------------------- */

json_t *json_of_dataset(const iom_dataset_t *d)
{
    json_t *roles = json_loads(d->roles_json ? d->roles_json : "{}", 0, NULL);
    json_t *settings = json_loads(d->settings_json ? d->settings_json : "{}", 0, NULL);
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:I, s:o, s:o, s:o, s:o, s:s}", "ref", d->ref,
                     "tasking", d->tasking_ref ? d->tasking_ref : "", "name", d->name, "level", d->level,
                     "grade", json_of_grade(&d->grade), "marking", iom_marking_name(d->marking), "filename",
                     json_str_or_null(d->filename), "sha256", d->sha256, "records", (json_int_t)d->records,
                     "roles", roles ? roles : json_object(), "resolution", settings ? settings : json_object(),
                     "imported_by", json_str_or_null(d->importer), "imported_at", json_time(d->imported_at),
                     "review_date", d->review_date ? d->review_date : "");
}

json_t *json_of_resolution(const app_resolution *r)
{
    if (r->withheld)
        return json_pack("{s:s, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:f, s:f, s:b}", "mode",
                         r->incremental ? "incremental" : "full", "records", "entities", "links",
                         "created_entities", "removed_entities", "removed_links", "review_pairs",
                         "unusable_values", "decisions", "link_threshold", r->link_threshold,
                         "review_threshold", r->review_threshold, "withheld", 1);
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f}", "mode",
                     r->incremental ? "incremental" : "full", "records", (json_int_t)r->records,
                     "entities", (json_int_t)r->entities, "links", (json_int_t)r->links, "created_entities",
                     (json_int_t)r->created_entities, "removed_entities", (json_int_t)r->removed_entities,
                     "removed_links", (json_int_t)r->removed_links, "review_pairs", (json_int_t)r->review_pairs,
                     "unusable_values", (json_int_t)r->unusable, "decisions", (json_int_t)r->decisions,
                     "link_threshold", r->link_threshold, "review_threshold", r->review_threshold);
}

json_t *json_of_import(const app_import_result *r)
{
    json_t *o = json_of_dataset(&r->dataset);
    json_object_set_new(o, "replaced", json_str_or_null(r->replaced));
    json_object_set_new(o, "resolution", json_of_resolution(&r->res));
    return o;
}

static json_t *json_of_source(const iom_psource_t *s)
{
    json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o}", "kind",
                          s->record_id ? "record" : s->import_id ? "import" : "intelligence", "label",
                          s->label ? s->label : "", "grade", json_of_grade(&s->grade), "marking",
                          iom_marking_name(s->marking), "seen", json_str_or_null(s->seen));
    if (s->import_id) {
        json_t *at = json_loads(s->attrs_json ? s->attrs_json : "{}", 0, NULL);
        json_object_set_new(o, "import", json_string(s->import_ref ? s->import_ref : ""));
        json_object_set_new(o, "import_kind", json_string(s->import_kind ? s->import_kind : ""));
        json_object_set_new(o, "seen_last", json_str_or_null(s->seen_last));
        json_object_set_new(o, "attributes", at ? at : json_object());
    } else if (s->record_id) {
        json_object_set_new(o, "record", json_string(s->record_ref));
        json_object_set_new(o, "dataset", json_string(s->dataset_ref));
        json_object_set_new(o, "row", json_integer(s->rownum));
        json_object_set_new(o, "record_id", json_string(s->rkey));
    } else {
        json_object_set_new(o, "item", json_string(s->intel_ref));
    }
    return o;
}

static json_t *sources_json(const iom_psource_t *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_of_source(&s[i]));
    return a;
}

json_t *json_of_link_view(const app_link_view *v)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:f, s:o, s:s, s:o, s:o, s:o, s:o}", "ref", v->l.ref, "type",
                     v->l.type, "from", v->l.from_ref, "to", v->l.to_ref, "directed", v->l.directed, "confidence",
                     v->l.confidence, "grade", json_of_grade(&v->grade), "marking", iom_marking_name(v->marking),
                     "first_seen", json_str_or_null(v->first_seen), "last_seen", json_str_or_null(v->last_seen),
                     "review_date", json_str_or_null(v->l.review_date), "sources",
                     sources_json(v->sources, v->nsources));
}

json_t *json_of_entity_view(const app_entity_view *v)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:f, s:o, s:s, s:o, s:o, s:o, s:o}", "ref", v->e.ref,
                          "tasking", v->e.tasking_ref ? v->e.tasking_ref : "", "type", v->e.type, "label",
                          v->label ? v->label : "", "key", json_str_or_null(v->e.key), "confidence",
                          v->e.confidence, "grade", json_of_grade(&v->grade), "marking",
                          iom_marking_name(v->marking), "first_seen", json_str_or_null(v->first_seen),
                          "last_seen", json_str_or_null(v->last_seen), "review_date",
                          json_str_or_null(v->e.review_date), "sources", sources_json(v->sources, v->nsources));
    if (v->links) {
        json_t *a = json_array();
        for (size_t i = 0; i < v->nlinks; i++)
            json_array_append_new(a, json_of_link_view(&v->links[i]));
        json_object_set_new(o, "links", a);
    }
    return o;
}

json_t *json_of_review(const iom_review_t *r)
{
    json_t *ex = json_loads(r->explanation_json ? r->explanation_json : "{}", 0, NULL);
    iom_marking m = r->marking_a > r->marking_b ? r->marking_a : r->marking_b;
    /* the two records' values by role, so that the analyst sees the people compared (review
       63: only the weights were shown); the reader is cleared for both (review_visible) */
    json_t *va = r->fields_a ? json_loads(r->fields_a, 0, NULL) : NULL;
    json_t *vb = r->fields_b ? json_loads(r->fields_b, 0, NULL) : NULL;
    /* with each record, its dataset's grade: a handling code C's conditions go with the values
       (review 68) */
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:o, s:o}, s:{s:s, s:s, s:s, s:o, s:o}, s:f, s:o, s:s}", "ref", r->ref,
                     "record_a", "record", r->ref_a, "dataset", r->input_a, "record_id", r->key_a, "values",
                     va ? va : json_object(), "grade", json_of_grade(&r->grade_a), "record_b", "record", r->ref_b,
                     "dataset", r->input_b, "record_id", r->key_b, "values", vb ? vb : json_object(), "grade",
                     json_of_grade(&r->grade_b), "probability", r->probability, "explanation",
                     ex ? ex : json_object(), "marking", iom_marking_name(m));
}

iom_err picture_source_list(iom_ctx *c, bool link, int64_t tasking_id, int64_t owner, iom_arena *a,
                            iom_psource_t **out, size_t *n, iom_error *e)
{
    iom_err err = PS(c)->source_list(c->store, link, tasking_id, owner, a, out, n, e);
    const char *last_ref = NULL, *last_sealed = NULL;
    char *last_plain = NULL;
    for (size_t i = 0; !err && i < *n; i++) {
        iom_psource_t *s = &(*out)[i];
        if (!s->intel_ref || !seal_is_sealed(s->grade.conditions))
            continue;
        if (last_ref && strcmp(last_ref, s->intel_ref) == 0 && strcmp(last_sealed, s->grade.conditions) == 0) {
            s->grade.conditions = last_plain; /* the same item again: open it once */
            continue;
        }
        char *plain;
        last_ref = s->intel_ref;
        last_sealed = s->grade.conditions;
        if (!(err = intel_open_field(c, s->intel_ref, "conditions", s->grade.conditions, &plain)))
            s->grade.conditions = last_plain = plain;
    }
    return err;
}
