/* Use-cases of products (app/work.h): NIM products (domain.md §6) as versioned documents
   with a SHA-256 checksum, their delivery, and logged downloads (§10). */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/work.h"
#include "util/text.h"
#include "util/timefmt.h"
#include "util/fsio.h"

#define WS(c) ((c)->store->ops->work)
#define PRODUCT "product"

static void sha256_hex(const unsigned char *data, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Reads the whole file into the arena: IOM_EIO when it cannot be read, IOM_ETOOBIG above
   APP_PRODUCT_MAX_BYTES, IOM_EINVAL when empty or not a regular file. */
static iom_err read_file(iom_ctx *c, const char *path, unsigned char **data, size_t *n)
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
    else if ((unsigned long long)st.st_size > APP_PRODUCT_MAX_BYTES)
        err = iom_fail(&c->err, IOM_ETOOBIG,
                       "file: '%s' is %lld bytes, above the product size limit of %u bytes (50 MiB)",
                       path, (long long)st.st_size, APP_PRODUCT_MAX_BYTES);
    else if (st.st_size == 0)
        err = iom_fail(&c->err, IOM_EINVAL, "file: '%s' is empty; a product is a document", path);
    if (err) {
        close(fd);
        return err;
    }
    size_t want = (size_t)st.st_size, got = 0;
    unsigned char *buf = iom_arena_alloc(c->arena, want + 1);
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
    *data = buf;
    *n = got;
    return err;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

static char *product_text(iom_ctx *c, const iom_product_t *p)
{
    return work_json_text(c, json_of_product(p));
}

iom_err app_product_add(iom_ctx *c, const char *tasking_ref, const app_product_input *in,
                        int64_t if_version, iom_product_t *out)
{
    iom_product_type type = IOM_PRODUCT_TYPE_COUNT;
    iom_err err;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    if (!in->replaces && (!in->type || !*in->type))
        app_problem(c, "type", "type: required (--type TYPE, a NIM product of domain.md §6)");
    if (in->type && *in->type && (err = app_problem_noted(c, "type", products_type_parse(in->type, &type, &c->err))))
        return err;
    const unsigned char *data = NULL;
    size_t n = 0;
    const char *name = NULL;
    if (in->data) {
        name = in->filename;
        if (!name || !*name) {
            app_problem(c, "filename", "filename: required (the document's file name)");
            name = NULL;
        } else if (strpbrk(name, "/\\") || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
            /* '\\' too: a path on the systems the document may be saved to (an API review) */
            app_problem(c, "filename", "filename: '%.64s' must be a file name, not a path", name);
            name = NULL;
        }
        if (in->size == 0)
            app_problem(c, "document", "document: empty; a product is a document");
        if (in->size > APP_PRODUCT_MAX_BYTES) /* told alone, as too big (413) */
            return iom_fail(&c->err, IOM_ETOOBIG,
                            "document: %zu bytes, above the product size limit of %u bytes (50 MiB)",
                            in->size, APP_PRODUCT_MAX_BYTES);
    } else if (!in->path || !*in->path)
        app_problem(c, "file", "file: required (--file PATH)");
    else
        name = base_name(in->path);
    if (name && (err = app_problem_noted(c, in->data ? "filename" : "file",
                                         iom_text_check("file name", name, APP_WORK_SHORT_MAX,
                                                        IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &c->err))))
        return err;
    if ((err = app_problems_end(c)))
        return err;
    if (in->data) {
        data = in->data;
        n = in->size;
    } else {
        unsigned char *buf = NULL;
        if ((err = read_file(c, in->path, &buf, &n)))
            return err;
        data = buf;
    }
    if (sodium_init() < 0)
        return iom_fail(&c->err, IOM_EIO, "product: libsodium could not initialise");
    iom_product_t p = {.content = data, .size = (int64_t)n, .filename = (char *)name};
    sha256_hex(data, n, p.sha256);
    if ((err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    if ((err = app_tasking_enter(c, tasking_ref, IOM_TA_RECORD_PRODUCT, if_version, &sc)))
        return app_end(c, err);
    iom_marking floor = sc.t.marking, last = IOM_MARKING_OFFICIAL;
    if (in->replaces) {
        iom_product_t prev;
        err = WS(c)->product_get(c->store, in->replaces, 0, false, c->arena, &prev, &c->err);
        if (err == IOM_ENOTFOUND || (!err && (prev.tasking_id != sc.t.id ||
                                              !iom_clearance_allows(c->actor.clearance, prev.marking))))
            err = iom_fail(&c->err, IOM_EINVAL, "replaces: '%s' is not a product of %s", in->replaces,
                           sc.t.ref);
        else if (!err && in->type && *in->type && prev.type != type)
            err = iom_fail(&c->err, IOM_EINVAL,
                           "type: %s is a %s; a new version keeps its product's type (not %s)",
                           prev.ref, products_type_name(prev.type), in->type);
        if (err)
            return app_end(c, err);
        type = prev.type;
        p.ref = prev.ref;
        last = prev.marking;
        if (prev.marking > floor)
            floor = prev.marking; /* a new version is marked as the last one unless told */
    }
    if ((err = work_marking(c, "marking", in->marking ? in->marking : iom_marking_name(floor),
                            &sc.t, &p.marking)))
        return app_end(c, err);
    /* A new version is never marked below the last one (review 97 M2): a reader cleared only for
       the lower marking would be shown "version 3" of a product whose versions 1 and 2 are hidden
       from them, a count of records they may not see. A copy sanitised for wider use is a new
       product. (The actor is cleared for the last version: it was found above.) */
    if (in->replaces && p.marking < last)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "marking: %s is below the marking of the latest version of %s (%s); a "
                                   "new version is not marked below the last one: add a copy sanitised "
                                   "for wider use as a new product (without replaces)",
                                   iom_marking_name(p.marking), p.ref, iom_marking_name(last)));
    p.tasking_id = sc.t.id;
    p.type = type;
    p.created_by = c->actor.id;
    p.created_at = app_now(c);
    if ((err = WS(c)->product_insert(c->store, &p, c->arena, &c->err)) ||
        (err = WS(c)->product_get(c->store, p.ref, p.version, false, c->arena, out, &c->err)) ||
        (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    err = audit_record(c, "product.add", out->ref, NULL, product_text(c, out));
    return app_end(c, err);
}

iom_err app_product_may_add(iom_ctx *c, const char *tasking_ref)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if (!(err = app_actor(c)))
        err = app_tasking_enter(c, tasking_ref ? tasking_ref : "", IOM_TA_RECORD_PRODUCT, 0, &sc);
    return app_end(c, err);
}

iom_err app_product_deliver(iom_ctx *c, const char *product_ref, int64_t version,
                            int64_t if_version, iom_product_t *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_product_t p;
    app_tasking_scope sc;
    /* the product as it is now decides who may see it before any version is looked up (whether
       a hidden product has a version N reads as its absence does: an API review) */
    if ((err = app_actor(c)) ||
        (err = WS(c)->product_get(c->store, product_ref ? product_ref : "", 0, false, c->arena, &p,
                                  &c->err)))
        return app_end(c, err);
    if (!iom_clearance_allows(c->actor.clearance, p.marking))
        return app_end(c, iom_fail(&c->err, IOM_ENOTFOUND, PRODUCT ": '%s' not found", product_ref));
    /* the version is checked after the SIA-only right below: an analyst of the team, who never
       delivers, is told so rather than "reload and retry" (review 89 L2). A state refusal
       (the work is over) waits for the version, as work_enter orders them (review 81 M3);
       work_enter has loaded the tasking whenever it says ECONFLICT. */
    err = work_enter(c, PRODUCT, product_ref, p.tasking_ref, IOM_TA_RECORD_PRODUCT, 0, &sc);
    if (err && err != IOM_ECONFLICT)
        return app_end(c, err);
    iom_error state_err = c->err;
    /* delivery is the handover to the customer, and it can finish the ToR: the tasking's SIA,
       who leads the development and answers for its products, delivers (review 81 L6: any
       analyst of the team could) */
    if (!(access_lifecycle_relations(&sc.actor, &sc.at) & IOM_REL_TASKING_SIA))
        return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN,
                                   "deliver: the tasking's SIA (%s) delivers a product to the customer, "
                                   "after reviewing it; user '%s' may add versions",
                                   sc.t.sia ? sc.t.sia : "none allocated", c->actor.name));
    iom_err verr = app_tasking_check_version(c, &sc.t, if_version);
    if (verr)
        return app_end(c, verr);
    if (err) {
        c->err = state_err;
        return app_end(c, err);
    }
    /* a version that does not exist reads as one the actor may not see (review 97 M2) */
    if (version && version != p.version)
        err = WS(c)->product_get(c->store, p.ref, version, false, c->arena, &p, &c->err);
    if (err == IOM_ENOTFOUND || (!err && !iom_clearance_allows(c->actor.clearance, p.marking)))
        return app_end(c, iom_fail(&c->err, IOM_ENOTFOUND, PRODUCT ": '%s' not found", product_ref));
    if (err)
        return app_end(c, err);
    if (p.delivered_at) {
        char when[32];
        iom_time_utc(p.delivered_at, when);
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "product %s version %lld was already delivered at %s by %s",
                                   p.ref, (long long)p.version, when, p.deliverer ? p.deliverer : "?"));
    }
    char *before = product_text(c, &p);
    if ((err = WS(c)->product_deliver(c->store, p.id, app_now(c), c->actor.id, &c->err)) ||
        (err = WS(c)->product_get(c->store, p.ref, p.version, false, c->arena, out, &c->err)) ||
        (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    err = audit_record(c, "product.deliver", out->ref, before, product_text(c, out));
    return app_end(c, err);
}

/* The TOEX side of a tasking (its team and SIA, toex_managers) works on a product's versions
   before one is delivered, and auditors read everything; every other reader (the requesting
   and owning agencies, the SIO, the region's Gateway and TTCG, the FTT) is the customer, and
   reads only what was handed over (review 81 M4: the SIO downloaded an undelivered draft as
   "the" product). */
static bool toex_side(const app_tasking_scope *sc)
{
    iom_access_relation r = sc->access.relation;
    return r == IOM_ACCESS_ASSIGNED || r == IOM_ACCESS_TOEX_MANAGER || r == IOM_ACCESS_AUDIT;
}

/* The latest delivered version of product REF at or below version FROM that the actor is
   cleared for, into *out (with its content when asked); IOM_ENOTFOUND when none was delivered
   (review 135: a delivered OFFICIAL version, listed to an OFFICIAL customer, was "not found"
   without --version where a later OFFICIAL-SENSITIVE one had been delivered). */
static iom_err latest_delivered(iom_ctx *c, const char *ref, int64_t from, bool content,
                                iom_product_t *out)
{
    for (int64_t v = from; v >= 1; v--) {
        iom_product_t p;
        iom_err err = WS(c)->product_get(c->store, ref, v, false, c->arena, &p, &c->err);
        if (err == IOM_ENOTFOUND)
            continue;
        if (err)
            return err;
        if (p.delivered_at && iom_clearance_allows(c->actor.clearance, p.marking)) {
            if (!content) {
                *out = p;
                return IOM_OK;
            }
            return WS(c)->product_get(c->store, ref, v, true, c->arena, out, &c->err);
        }
    }
    return iom_fail(&c->err, IOM_ENOTFOUND, PRODUCT ": '%s' not found", ref);
}

iom_err app_product_get(iom_ctx *c, const char *product_ref, int64_t version,
                        const char *justification, iom_product_t *out)
{
    iom_err err = iom_text_check("justification", justification, APP_WORK_REASON_MAX,
                                 IOM_TEXT_MULTI_LINE, &c->err);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    /* who reads: the tasking's products part first, whatever the product's marking */
    if ((err = app_actor(c)) ||
        (err = WS(c)->product_get(c->store, product_ref ? product_ref : "", 0, false, c->arena, out,
                                  &c->err)) ||
        (err = work_read(c, PRODUCT, product_ref, out->tasking_ref, IOM_PART_PRODUCTS,
                         IOM_MARKING_OFFICIAL, &sc)))
        return app_end(c, err);
    iom_marking latest = out->marking;
    if (!toex_side(&sc)) {
        /* the customer's side: delivered versions only, the latest of them by default, judged by
           the marking of the version it receives (review 84 M2: an OFFICIAL-SENSITIVE draft
           hid the delivered OFFICIAL version from OFFICIAL readers); every miss reads as a
           missing product, so drafts cannot be counted (review 84 M1) */
        char ref[32];
        snprintf(ref, sizeof ref, "%s", out->ref);
        if (!version)
            err = latest_delivered(c, ref, out->version, true, out);
        else if (!(err = WS(c)->product_get(c->store, ref, version, true, c->arena, out, &c->err)) &&
                 !out->delivered_at)
            err = IOM_ENOTFOUND;
        if (!err && !iom_clearance_allows(c->actor.clearance, out->marking))
            err = IOM_ENOTFOUND;
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_ENOTFOUND, PRODUCT ": '%s' not found", product_ref);
        if (err)
            return app_end(c, err);
    } else {
        /* the TOEX side: the latest version decides who may see the product before the one
           asked for is looked up (whether a hidden product has a version N reads as its
           absence does: an API review); then a version that does not exist reads as one above
           the reader's clearance (review 97 M2: "has no version 4" told it from "not found") */
        if ((err = work_read(c, PRODUCT, product_ref, out->tasking_ref, IOM_PART_PRODUCTS, latest, &sc)))
            return app_end(c, err);
        err = WS(c)->product_get(c->store, out->ref, version, true, c->arena, out, &c->err);
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_ENOTFOUND, PRODUCT ": '%s' not found", product_ref);
        else if (!err && out->marking > latest)
            err = work_read(c, PRODUCT, product_ref, out->tasking_ref, IOM_PART_PRODUCTS, out->marking, &sc);
        if (err)
            return app_end(c, err);
    }
    if (sodium_init() < 0)
        return app_end(c, iom_fail(&c->err, IOM_EIO, "product: libsodium could not initialise"));
    char h[65];
    sha256_hex(out->content, (size_t)out->size, h);
    if (strcmp(h, out->sha256) != 0)
        return app_end(c, iom_fail(&c->err, IOM_EINTEGRITY,
                                   "product %s version %lld: the stored document does not match its "
                                   "SHA-256 (stored %s, computed %s); it was altered",
                                   out->ref, (long long)out->version, out->sha256, h));
    if ((err = app_end(c, IOM_OK)))
        return err;
    json_t *what = json_pack("{s:s, s:I, s:s}", "ref", out->ref, "version", (json_int_t)out->version,
                             "sha256", out->sha256);
    return work_log_read(c, "product.disclose", out->ref, what, justification,
                         access_read_purpose(&sc.access));
}

iom_err app_product_list(iom_ctx *c, const char *tasking_ref, const app_work_query *q,
                         iom_product_t **out, size_t *n, const char **next,
                         int64_t *tasking_version)
{
    *n = 0;
    *next = NULL;
    iom_product_type want = IOM_PRODUCT_TYPE_COUNT;
    if (q && q->type && products_type_parse(q->type, &want, &c->err))
        return IOM_EINVAL;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if ((err = app_tasking_read(c, tasking_ref, IOM_PART_PRODUCTS, &sc)) ||
        (err = WS(c)->product_list(c->store, sc.t.id, c->arena, out, n, &c->err)))
        return app_end(c, err);
    *tasking_version = sc.t.version;
    size_t k = 0;
    const char **keys = iom_arena_new(c->arena, const char *, *n ? *n : 1);
    bool customer = !toex_side(&sc);
    /* the TOEX side: a product's latest version decides whether any of its versions is listed,
       as app_product_get decides (review 133 M1: the earlier OFFICIAL versions of a product
       whose latest is OFFICIAL-SENSITIVE were listed to an OFFICIAL reader, who could open
       none of them, and learnt that a hidden version exists); the customer's side judges each
       delivered version by its own marking, as app_product_get does there (review 84 M2) */
    iom_marking *latest = iom_arena_new(c->arena, iom_marking, *n ? *n : 1);
    for (size_t i = *n; i-- > 0;) /* by ref and version (work_store.h): the last of a ref is its latest */
        latest[i] = i + 1 < *n && !strcmp((*out)[i + 1].ref, (*out)[i].ref) ? latest[i + 1] : (*out)[i].marking;
    for (size_t i = 0; i < *n; i++) {
        /* the customer's side sees the versions delivered to it, no draft */
        if (customer && !(*out)[i].delivered_at)
            continue;
        if (!customer && !iom_clearance_allows(c->actor.clearance, latest[i]))
            continue;
        if (iom_clearance_allows(c->actor.clearance, (*out)[i].marking) &&
            (!q || !q->type || (*out)[i].type == want)) {
            (*out)[k] = (*out)[i];
            keys[k] = iom_arena_printf(c->arena, "%s.%lld", (*out)[k].ref, (long long)(*out)[k].version);
            k++;
        }
    }
    *n = k;
    err = work_page(c, q, *out, sizeof **out, keys, n, next);
    return app_end(c, err);
}
