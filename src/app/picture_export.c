/* picture_export.c: the tasking's picture as the reader may see it, written by src/export in
   one format, with the disclosure logged first (app/picture.h app_picture_export). */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/picture_int.h"
#include "app/readlog.h"
#include "export/export.h"
#include "util/text.h"

#define PS(c) ((c)->store->ops->picture)

/* The sources of one owner in the tasking's list (ordered by owner): s[*from .. *from+*cnt). */
static void owner_sources(const iom_psource_t *s, size_t n, int64_t owner, size_t *pos, size_t *from,
                          size_t *cnt)
{
    while (*pos < n && s[*pos].owner_id < owner)
        (*pos)++;
    *from = *pos;
    while (*pos < n && s[*pos].owner_id == owner)
        (*pos)++;
    *cnt = *pos - *from;
}

static export_source *sources_of(iom_ctx *c, const iom_psource_t *s, size_t n)
{
    export_source *v = iom_arena_new(c->arena, export_source, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        v[i].kind = s[i].record_id   ? EXPORT_SOURCE_DATASET_ROW
                    : s[i].import_id ? EXPORT_SOURCE_IMPORT
                                     : EXPORT_SOURCE_INTEL_ITEM;
        v[i].ref = s[i].record_id ? s[i].record_ref : s[i].import_id ? s[i].import_ref : s[i].intel_ref;
        if (!v[i].ref)
            v[i].ref = "?";
    }
    return v;
}

/* The attributes of an entity: its normalised key. */
static export_attr *entity_attrs(iom_ctx *c, const app_entity_view *v, size_t *n)
{
    export_attr *a = iom_arena_new(c->arena, export_attr, 1);
    *n = 0;
    if (v->e.key && *v->e.key)
        a[(*n)++] = (export_attr){"key", v->e.key};
    return a;
}

/* The reference of the entity with this id when it is shown, else NULL (ev sorted by id). */
static const char *shown_ref(const iom_entity_t *ev, const char *const *shown, size_t ne, int64_t id)
{
    size_t lo = 0, hi = ne;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ne && ev[lo].id == id ? shown[lo] : NULL;
}

static iom_err check_input(iom_ctx *c, const app_export_input *in, export_format *f)
{
    if (!in->format || !*in->format)
        return iom_fail(&c->err, IOM_EINVAL, "format: required (anx, graphml, csv or json)");
    iom_err err = export_format_parse(in->format, f, &c->err);
    if (err)
        return err;
    if (!in->recipient || !*in->recipient)
        return iom_fail(&c->err, IOM_EINVAL, "recipient: required (--recipient TEXT: who receives the export)");
    if ((err = iom_text_check("recipient", in->recipient, APP_EXPORT_TEXT_MAX, IOM_TEXT_SINGLE_LINE, &c->err)))
        return err;
    if (in->purpose && !in->purpose[strspn(in->purpose, " \t\r\n")])
        return iom_fail(&c->err, IOM_EINVAL, "purpose: blank; say why the picture is disclosed, or leave "
                                             "the purpose out");
    return iom_text_check("purpose", in->purpose, APP_EXPORT_TEXT_MAX, IOM_TEXT_MULTI_LINE, &c->err);
}

/* Logs the disclosure (DPA 2018 s.62): the purpose the export states is its read's purpose
   when no other was stated (X-Iom-Purpose, --purpose) and it is one (a line of at most
   APP_PURPOSE_MAX bytes), else the relation that granted the read (review 72: the stated
   purpose was only the justification, and the entry's purpose read "owner"). */
static iom_err log_disclosure(iom_ctx *c, const char *ref, json_t *what, const char *purpose,
                              const char *relation)
{
    /* the command line's --purpose is the read's (ctx): it is the disclosure's too (review 75:
       a CLI export logged no purpose in the disclosure) */
    if ((!purpose || !*purpose) && c->purpose && *c->purpose) {
        purpose = c->purpose;
        json_t *had = json_is_object(what) ? json_object_get(what, "purpose") : NULL;
        if (json_is_object(what) && (!had || json_is_null(had)))
            json_object_set_new(what, "purpose", json_string(purpose));
    }
    const char *saved = c->purpose;
    iom_error ignored = {0};
    if (!saved && purpose && *purpose && app_purpose_check(purpose, &ignored) == IOM_OK)
        c->purpose = purpose;
    iom_err err = work_log_read(c, "picture.export", ref, what, purpose, relation);
    c->purpose = saved;
    return err;
}

/* Inside the read transaction: the chart of what the actor may see. */
static iom_err load_chart(iom_ctx *c, const app_tasking_scope *sc, export_chart *ch)
{
    iom_entity_t *ev;
    iom_plink_t *lv;
    iom_psource_t *es, *ls;
    size_t ne, nl, nes, nls;
    iom_err err;
    if ((err = PS(c)->entity_list(c->store, sc->t.id, c->arena, &ev, &ne, &c->err)) ||
        (err = picture_source_list(c, false, sc->t.id, 0, c->arena, &es, &nes, &c->err)) ||
        (err = PS(c)->link_list(c->store, sc->t.id, 0, c->arena, &lv, &nl, &c->err)) ||
        (err = picture_source_list(c, true, sc->t.id, 0, c->arena, &ls, &nls, &c->err)))
        return err;
    export_entity *ents = iom_arena_new(c->arena, export_entity, ne ? ne : 1);
    const char **shown = iom_arena_new(c->arena, const char *, ne ? ne : 1); /* by index of ev */
    size_t k = 0, pos = 0;
    for (size_t i = 0; i < ne; i++) {
        size_t from, cnt;
        owner_sources(es, nes, ev[i].id, &pos, &from, &cnt);
        app_entity_view v;
        shown[i] = NULL;
        if (!pic_entity_view(c, &ev[i], es + from, cnt, &v))
            continue;
        export_entity *x = &ents[k++];
        memset(x, 0, sizeof *x);
        x->id = ev[i].ref;
        if ((err = export_entity_type_parse(ev[i].type, &x->type, &c->err)))
            return err;
        x->f.label = v.label ? v.label : ev[i].ref;
        x->f.attrs = entity_attrs(c, &v, &x->f.nattrs);
        x->f.first_seen = v.first_seen;
        x->f.last_seen = v.last_seen;
        x->f.confidence = v.e.confidence; /* as the reader's entity view shows it (review 49) */
        x->f.grade = v.grade;
        x->f.marking = v.marking;
        x->f.sources = sources_of(c, v.sources, v.nsources);
        x->f.nsources = v.nsources;
        shown[i] = ev[i].ref;
    }
    export_link *links = iom_arena_new(c->arena, export_link, nl ? nl : 1);
    size_t m = 0;
    pos = 0;
    for (size_t i = 0; i < nl; i++) {
        size_t from, cnt;
        owner_sources(ls, nls, lv[i].id, &pos, &from, &cnt);
        /* both ends must be shown (the entities are listed by id) */
        const char *a = shown_ref(ev, shown, ne, lv[i].from_id), *b = shown_ref(ev, shown, ne, lv[i].to_id);
        if (!a || !b)
            continue;
        iom_psource_t *s = ls + from;
        size_t n = cnt;
        iom_grade g;
        iom_marking mk;
        const char *first, *last;
        if (!pic_visible(c, s, &n, &g, &mk, &first, &last))
            continue;
        export_link *x = &links[m++];
        memset(x, 0, sizeof *x);
        x->id = lv[i].ref;
        x->end1 = a;
        x->end2 = b;
        x->type = lv[i].type;
        x->directed = lv[i].directed;
        x->f.label = lv[i].type;
        x->f.first_seen = first;
        x->f.last_seen = last;
        x->f.confidence = lv[i].confidence;
        x->f.grade = g;
        x->f.marking = mk;
        x->f.sources = sources_of(c, s, n);
        x->f.nsources = n;
    }
    *ch = (export_chart){.tasking_ref = sc->t.ref, .title = sc->t.threat_title, .generated_at = app_now(c),
                         .marking = sc->t.marking, .entities = ents, .nentities = k, .links = links,
                         .nlinks = m};
    return IOM_OK;
}

iom_err app_picture_export(iom_ctx *c, const app_export_input *in, app_export_result *out)
{
    memset(out, 0, sizeof *out);
    export_format f;
    iom_err err = check_input(c, in, &f);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    export_chart ch;
    if ((err = app_actor(c)) ||
        (err = work_read(c, "tasking", in->tasking, in->tasking, IOM_PART_INTELLIGENCE, IOM_MARKING_OFFICIAL, &sc)) ||
        (err = load_chart(c, &sc, &ch)))
        return app_end(c, err);
    iom_buf b = IOM_BUF_INIT;
    export_handling h;
    if ((err = export_handling_of(&ch, &h, &c->err)))
        return app_end(c, err);
    if ((err = export_write(f, &ch, &b, &c->err))) {
        iom_buf_free(&b);
        export_handling_free(&h);
        return app_end(c, err);
    }
    if ((err = app_end(c, IOM_OK))) {
        iom_buf_free(&b);
        export_handling_free(&h);
        return err;
    }
    out->format = (int)f;
    out->tasking_ref = sc.t.ref;
    out->size = b.len;
    unsigned char *data = iom_arena_alloc(c->arena, b.len + 1);
    memcpy(data, b.data ? b.data : "", b.len);
    data[b.len] = 0;
    out->data = data;
    iom_buf_free(&b);
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, out->data, out->size);
    sodium_bin2hex(out->sha256, sizeof out->sha256, hash, sizeof hash);
    static const char *const ext[] = {"anx", "graphml", "csv", "json"};
    out->filename = iom_arena_printf(c->arena, "%s-picture.%s", sc.t.ref, ext[f]);
    out->media_type = export_format_media_type(f);
    out->marking = h.marking;
    out->conditional = h.conditional;
    out->conditions = iom_arena_new(c->arena, const char *, h.nconditions ? h.nconditions : 1);
    for (size_t i = 0; i < h.nconditions; i++)
        out->conditions[i] = h.conditions[i]; /* borrowed from the chart: in the arena */
    out->nconditions = h.nconditions;
    export_handling_free(&h);
    out->entities = ch.nentities;
    out->links = ch.nlinks;

    /* The disclosure, logged before anything leaves (DPA 2018 s.62). */
    json_t *conds = json_array();
    for (size_t i = 0; i < out->nconditions; i++)
        json_array_append_new(conds, json_string(out->conditions[i]));
    json_t *what = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:o, s:I, s:I, s:s}", "ref", sc.t.ref, "format",
                             export_format_name(f), "recipient", in->recipient, "purpose", in->purpose,
                             "marking", iom_marking_name(out->marking), "handling",
                             out->conditional ? "C" : "P", "conditions", conds, "entities",
                             (json_int_t)out->entities, "links", (json_int_t)out->links, "sha256",
                             out->sha256);
    return log_disclosure(c, sc.t.ref, what, in->purpose, access_read_purpose(&sc.access));
}

/* ---- an image of the picture made by the client (the web UI's PNG) -------------------- */

static const char b64_prefix[] = "data:image/png;base64,";

/* The PNG's bytes from its base64 text (a data: URL prefix allowed), checked: the PNG
   signature, an IHDR chunk first, width and height 1..APP_EXPORT_PNG_SIDE_MAX. */
static iom_err decode_png(iom_ctx *c, const char *text, unsigned char **out, size_t *n)
{
    if (!text || !*text)
        return iom_fail(&c->err, IOM_EINVAL, "png: required (the PNG image, base64)");
    if (strncmp(text, b64_prefix, sizeof b64_prefix - 1) == 0)
        text += sizeof b64_prefix - 1;
    size_t len = strlen(text);
    if (len / 4 * 3 > APP_EXPORT_PNG_MAX + 3)
        return iom_fail(&c->err, IOM_ETOOBIG, "png: at most %u bytes", APP_EXPORT_PNG_MAX);
    unsigned char *bin = iom_arena_alloc(c->arena, len / 4 * 3 + 4);
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(bin, len / 4 * 3 + 4, text, len, "\r\n", &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || (end && *end))
        return iom_fail(&c->err, IOM_EINVAL, "png: not base64 text");
    if (got > APP_EXPORT_PNG_MAX)
        return iom_fail(&c->err, IOM_ETOOBIG, "png: at most %u bytes", APP_EXPORT_PNG_MAX);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (got < 24 || memcmp(bin, sig, 8) != 0 || memcmp(bin + 12, "IHDR", 4) != 0)
        return iom_fail(&c->err, IOM_EINVAL, "png: not a PNG image");
    uint32_t w = (uint32_t)bin[16] << 24 | (uint32_t)bin[17] << 16 | (uint32_t)bin[18] << 8 | bin[19];
    uint32_t h = (uint32_t)bin[20] << 24 | (uint32_t)bin[21] << 16 | (uint32_t)bin[22] << 8 | bin[23];
    if (w == 0 || h == 0 || w > APP_EXPORT_PNG_SIDE_MAX || h > APP_EXPORT_PNG_SIDE_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "png: %" PRIu32 "x%" PRIu32 " pixels (each side 1 to %d)", w, h,
                        APP_EXPORT_PNG_SIDE_MAX);
    *out = bin;
    *n = got;
    return IOM_OK;
}

iom_err app_picture_image(iom_ctx *c, const app_image_input *in, app_export_result *out)
{
    memset(out, 0, sizeof *out);
    iom_marking drawn;
    unsigned char *png = NULL;
    size_t size = 0;
    iom_err err;
    if (!in->marking || !*in->marking)
        return iom_fail(&c->err, IOM_EINVAL, "marking: required (the marking drawn into the image)");
    if ((err = iom_marking_parse(in->marking, &drawn, &c->err)))
        return err;
    if (!in->recipient || !*in->recipient)
        return iom_fail(&c->err, IOM_EINVAL, "recipient: required (who receives the image)");
    if ((err = iom_text_check("recipient", in->recipient, APP_EXPORT_TEXT_MAX, IOM_TEXT_SINGLE_LINE, &c->err)) ||
        (err = iom_text_check("purpose", in->purpose, APP_EXPORT_TEXT_MAX, IOM_TEXT_MULTI_LINE, &c->err)) ||
        (err = iom_text_check("view", in->view, APP_EXPORT_VIEW_MAX, IOM_TEXT_SINGLE_LINE, &c->err)) ||
        (err = decode_png(c, in->png, &png, &size)) || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    export_chart ch;
    export_handling h;
    if ((err = app_actor(c)) ||
        (err = work_read(c, "tasking", in->tasking, in->tasking, IOM_PART_INTELLIGENCE, IOM_MARKING_OFFICIAL, &sc)) ||
        (err = load_chart(c, &sc, &ch)) || (err = export_handling_of(&ch, &h, &c->err)))
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK))) {
        export_handling_free(&h);
        return err;
    }
    if (drawn < h.marking) {
        err = iom_fail(&c->err, IOM_EINVAL,
                       "marking: the image must carry %s, the highest marking of the picture it is drawn "
                       "from (it carries %s)", iom_marking_name(h.marking), iom_marking_name(drawn));
        export_handling_free(&h);
        return err;
    }
    out->format = APP_EXPORT_FORMAT_PNG;
    out->tasking_ref = sc.t.ref;
    out->data = png;
    out->size = size;
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, png, size);
    sodium_bin2hex(out->sha256, sizeof out->sha256, hash, sizeof hash);
    out->filename = iom_arena_printf(c->arena, "%s-network.png", sc.t.ref);
    out->media_type = "image/png";
    out->marking = drawn;
    out->conditional = h.conditional;
    out->conditions = iom_arena_new(c->arena, const char *, h.nconditions ? h.nconditions : 1);
    for (size_t i = 0; i < h.nconditions; i++)
        out->conditions[i] = h.conditions[i]; /* borrowed from the chart: in the arena */
    out->nconditions = h.nconditions;
    export_handling_free(&h);
    out->entities = ch.nentities;
    out->links = ch.nlinks;

    json_t *conds = json_array();
    for (size_t i = 0; i < out->nconditions; i++)
        json_array_append_new(conds, json_string(out->conditions[i]));
    json_t *what = json_pack("{s:s, s:s, s:s, s:s*, s:s*, s:s, s:s, s:o, s:I, s:I, s:I, s:s}", "ref", sc.t.ref,
                             "format", "png", "recipient", in->recipient, "purpose", in->purpose, "view",
                             in->view && *in->view ? in->view : NULL, "marking", iom_marking_name(out->marking),
                             "handling", out->conditional ? "C" : "P", "conditions", conds, "entities",
                             (json_int_t)out->entities, "links", (json_int_t)out->links, "size",
                             (json_int_t)out->size, "sha256", out->sha256);
    return log_disclosure(c, sc.t.ref, what, in->purpose, access_read_purpose(&sc.access));
}

json_t *json_of_export(const app_export_result *r)
{
    json_t *conds = json_array();
    for (size_t i = 0; i < r->nconditions; i++)
        json_array_append_new(conds, json_string(r->conditions[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:I, s:I}", "tasking_ref", r->tasking_ref,
                     "format", r->format == APP_EXPORT_FORMAT_PNG ? "png" : export_format_name((export_format)r->format), "filename", r->filename,
                     "media_type", r->media_type, "size", (json_int_t)r->size, "sha256", r->sha256, "marking",
                     iom_marking_name(r->marking), "handling", r->conditional ? "C" : "P", "conditions", conds,
                     "entities", (json_int_t)r->entities, "links", (json_int_t)r->links);
}
