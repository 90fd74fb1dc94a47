#include "app/agency.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <string.h>

#include "app/audit.h"
#include "app/user.h"
#include "app/json.h"
#include "domain/refdata.h"
#include "store/reads_store.h"
#include "util/text.h"

#define NAME_MAX_BYTES 200
#define CODE_MAX_BYTES 40

static char *agency_json(iom_ctx *c, const iom_agency_t *a)
{
    json_t *j = json_of_agency(a);
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

iom_err app_init_reference(iom_ctx *c)
{
    iom_store *s = c->store;
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    int64_t seq;
    char head[65];
    if ((err = s->ops->audit_head(s, &seq, head, &c->err)))
        return app_end(c, err);
    if (seq > 0)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "init: the database is already initialised"));
    int64_t now = app_now(c);
    json_t *summary = json_pack("{s:[], s:[]}", "regions", "agencies");
    for (size_t i = 0; !err && i < refdata_region_count; i++) {
        iom_region_t r = {(char *)refdata_regions[i].code, (char *)refdata_regions[i].name};
        err = s->ops->region_insert(s, &r, &c->err);
        json_array_append_new(json_object_get(summary, "regions"), json_of_region(&r));
    }
    for (size_t i = 0; !err && i < refdata_agency_count; i++) {
        const refdata_agency *d = &refdata_agencies[i];
        iom_agency_t a = {.code = (char *)d->code, .name = (char *)d->name, .kind = d->kind,
                          .region = (char *)d->region, .created_at = now,
                          .region_gateway = d->gateway};
        err = s->ops->agency_insert(s, &a, &c->err);
        json_array_append_new(json_object_get(summary, "agencies"), json_string(d->code));
    }
    /* This first entry of the change chain is also where the read chain starts (issue 14):
       read entry 1 will be chained to its hash. */
    json_object_set_new(summary, "read_chain", json_string("starts at this entry"));
    if (!err)
        err = audit_record(c, "reference.init", "reference-data", NULL, json_text(c->arena, summary));
    int64_t first;
    char hash[65];
    if (!err && !(err = s->ops->audit_head(s, &first, hash, &c->err)))
        err = s->ops->reads->start(s, first, hash, now, &c->err);
    json_decref(summary);
    return app_end(c, err);
}

iom_err app_agency_list(iom_ctx *c, const app_agency_query *q, iom_agency_t **out, size_t *n,
                        const char **next)
{
    iom_agency_kind kind = IOM_AGENCY_FORCE;
    if (q->kind && iom_agency_kind_parse(q->kind, &kind, &c->err))
        return IOM_EINVAL;
    iom_agency_t *v;
    size_t nv, kept = 0, from, count;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    err = c->store->ops->agency_list(c->store, c->arena, &v, &nv, &c->err);
    iom_region_t *rs = NULL;
    size_t nr = 0;
    if (!err && q->region)
        err = c->store->ops->region_list(c->store, c->arena, &rs, &nr, &c->err);
    if ((err = app_end(c, err)))
        return err;
    bool known = !q->region;
    for (size_t i = 0; i < nr && !known; i++)
        known = strcmp(rs[i].code, q->region) == 0;
    if (!known) /* an unknown region is a mistake to name, not an empty region */
        return iom_fail(&c->err, IOM_EINVAL, "region: '%s' is not a known region (iom region "
                                             "list)", q->region);
    for (size_t i = 0; i < nv; i++)
        if ((!q->kind || v[i].kind == kind) &&
            (!q->region || (v[i].region && strcmp(v[i].region, q->region) == 0)) &&
            (q->all || !v[i].disabled))
            v[kept++] = v[i];
    err = app_page_apply(c, &q->page, v, kept, sizeof *v, offsetof(iom_agency_t, code), &from,
                         &count, next);
    *out = v + from;
    *n = count;
    return err;
}

iom_err app_region_list(iom_ctx *c, iom_region_t **out, size_t *n)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    err = c->store->ops->region_list(c->store, c->arena, out, n, &c->err);
    return app_end(c, err);
}

iom_err app_agency_get(iom_ctx *c, const char *code, iom_agency_t *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    err = c->store->ops->agency_get(c->store, code ? code : "", c->arena, out, &c->err);
    return app_end(c, err);
}

static iom_err admin_tx(iom_ctx *c, const char *action)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    if ((err = app_actor(c)) || (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), action)))
        return app_end(c, err);
    return IOM_OK;
}

/* An agency's name as stored: runs of spaces inside it made one (review 104 L8: "Test  Force"
   was kept as typed, shown so on every picker, while uniqueness compared it collapsed). An
   arena copy; NULL stays NULL. */
static const char *one_spaced(iom_ctx *c, const char *name)
{
    char *t = iom_text_one_spaced(name); /* Unicode spaces too (review 106 L2) */
    if (!t)
        return name; /* NULL, or text iom_text_check refused before */
    const char *out = iom_arena_strdup(c->arena, t);
    free(t);
    return out;
}

/* Review 102 L9c: two enabled agencies of one name were two identical choices on every owner
   picker. Inside the caller's transaction: IOM_ECONFLICT naming the enabled agency other than
   `self_id` (0: none) whose name is `name` once both are keyed by iom_text_name_key (NFKC, case
   folded, accents off, look-alike letters of other scripts as Latin, spaces and punctuation
   collapsed: review 133 L2). Disabled and merged agencies do not count: they are on
   no picker and never act again (a merged agency's successor may take its name). */
static iom_err name_free(iom_ctx *c, const char *name, int64_t self_id)
{
    iom_agency_t *v;
    size_t n = 0;
    iom_err err = c->store->ops->agency_list(c->store, c->arena, &v, &n, &c->err);
    if (err)
        return err;
    char *key = iom_text_name_key(name);
    if (!key)
        return iom_fail(&c->err, IOM_ENOMEM, "name: out of memory");
    for (size_t i = 0; i < n && !err; i++) {
        if (v[i].id == self_id || v[i].disabled || !v[i].name)
            continue;
        char *other = iom_text_name_key(v[i].name);
        /* a name of punctuation alone has an empty key: it clashes only with itself as typed
           (review 106 L1: "..." and "-" clashed) */
        if (other && (*key ? strcmp(other, key) == 0 : iom_text_same(name, v[i].name)))
            err = iom_fail(&c->err, IOM_ECONFLICT,
                           "name: '%s' is the name of agency '%s' ('%s'); two agencies in use "
                           "may not share a name (compared regardless of case, spacing and punctuation)",
                           name, v[i].code, v[i].name);
        free(other);
    }
    free(key);
    return err;
}

iom_err app_agency_add(iom_ctx *c, const app_agency_input *in, iom_agency_t *out)
{
    iom_agency_t a = {0};
    iom_err err;
    if ((err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "agency add")))
        return err;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    iom_err kerr;
    if ((err = app_problem_noted(c, "code", iom_slug_check("code", in->code, CODE_MAX_BYTES, &c->err))) ||
        (err = app_problem_noted(c, "name", iom_text_check("name", in->name, NAME_MAX_BYTES,
                                                           IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE,
                                                           &c->err))) ||
        (err = app_problem_noted(c, "kind", kerr = iom_agency_kind_parse(in->kind, &a.kind, &c->err))))
        return err;
    bool regional = a.kind == IOM_AGENCY_FORCE || a.kind == IOM_AGENCY_ROCU;
    if (!kerr && regional && (!in->region || !*in->region))
        app_problem(c, "region", "region: a %s must belong to a region (--region CODE)",
                    iom_agency_kind_name(a.kind));
    if (!kerr && !regional && in->region && *in->region)
        app_problem(c, "region", "region: a %s agency has no region", iom_agency_kind_name(a.kind));
    if ((err = app_problems_end(c)))
        return err;
    if ((err = admin_tx(c, "agency add")))
        return err;
    a.code = (char *)in->code;
    a.name = (char *)one_spaced(c, in->name);
    a.region = regional ? (char *)in->region : NULL;
    a.created_at = app_now(c);
    /* a code in use is named first (the insert's conflict below) */
    iom_agency_t same;
    iom_error ignore = {0};
    if (c->store->ops->agency_get(c->store, in->code, c->arena, &same, &ignore) == IOM_ENOTFOUND &&
        (err = name_free(c, a.name, 0)))
        return app_end(c, err);
    err = c->store->ops->agency_insert(c->store, &a, &c->err);
    if (err == IOM_ECONFLICT)
        err = iom_fail(&c->err, IOM_ECONFLICT, "code: agency '%s' already exists", in->code);
    if (!err)
        err = c->store->ops->agency_get(c->store, in->code, c->arena, out, &c->err);
    if (!err)
        err = audit_record(c, "agency.add", out->code, NULL, agency_json(c, out));
    return app_end(c, err);
}

/* Loads an agency for change inside an admin transaction; EINVAL for unknown codes, since
   the code is a user-supplied argument, and reference data is not secret. */
static iom_err load(iom_ctx *c, const char *code, iom_agency_t *a)
{
    iom_err err = c->store->ops->agency_get(c->store, code ? code : "", c->arena, a, &c->err);
    return err;
}

iom_err app_agency_rename(iom_ctx *c, const char *code, const char *name, iom_agency_t *out)
{
    iom_err err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "agency rename");
    if (!err)
        err = iom_text_check("name", name, NAME_MAX_BYTES, IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE,
                             &c->err);
    if (!err)
        name = one_spaced(c, name);
    if (err || (err = admin_tx(c, "agency rename")))
        return err;
    iom_agency_t a;
    if ((err = load(c, code, &a)))
        return app_end(c, err);
    /* review 104: the name it has already is no rename (it answered 200 and audited an
       agency.rename that changed nothing); the same name in other capitals or spacing is one */
    if (a.name && strcmp(a.name, name) == 0)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "name: agency '%s' is already named '%s' (nothing to change)",
                                   a.code, a.name));
    if ((err = name_free(c, name, a.id)))
        return app_end(c, err);
    char *before = agency_json(c, &a);
    a.name = (char *)name;
    if (!(err = c->store->ops->agency_update(c->store, &a, &c->err)) &&
        !(err = load(c, code, out)))
        err = audit_record(c, "agency.rename", code, before, agency_json(c, out));
    return app_end(c, err);
}

/* Issue 12 point 7: ownership moves only by a recorded decision. While the agency owns a
   threat whose tasking has not ended, the risk goes through the TTCG/FTT route first; and a
   tasking it requested that has not ended would be stranded (its requesters see it through
   their agency), so it ends (or is withdrawn) first (an API review). */
static iom_err no_live_taskings(iom_ctx *c, const iom_agency_t *a, const char *what)
{
    char **refs;
    size_t n = 0;
    iom_err err = c->store->ops->agency_live_taskings(c->store, a->code, 6, c->arena, &refs, &n,
                                                      &c->err);
    if (err || n == 0)
        return err;
    char list[400] = "";
    for (size_t i = 0; i < n && i < 5; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", refs[i]);
    return iom_fail(&c->err, IOM_ECONFLICT,
                    "%s: agency '%s' owns the threats of, or requested, taskings that have not "
                    "ended (%s%s); rule: ownership changes only by a recorded decision and a "
                    "requester keeps its bids: move the risk through the TTCG/FTT route, withdraw "
                    "the bids, or let the taskings end, first",
                    what, a->code, list, n > 5 ? ", ..." : "");
}

/* Every threat keeps an identified owner who can act and an SIO who holds its risk: an agency
   is not disabled while it owns an active threat or one of its users is the SIO of one (the
   rule `user disable` holds one user to). */
static iom_err no_user_duties(iom_ctx *c, const iom_agency_t *a, const char *what);

static iom_err no_active_duties(iom_ctx *c, const iom_agency_t *a, const char *what)
{
    iom_threat_filter tf = {.owner = a->code, .status = IOM_THREAT_ACTIVE,
                            .max_marking = IOM_MARKING_OFFICIAL_SENSITIVE, .limit = 6};
    iom_threat_t *owned;
    size_t n = 0;
    iom_err err = c->store->ops->threat_list(c->store, &tf, c->arena, &owned, &n, &c->err);
    if (err)
        return err;
    if (n) {
        char list[200] = "";
        for (size_t i = 0; i < n && i < 5; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", owned[i].ref);
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "%s: agency '%s' owns active threats (%s%s); rule: every threat has an "
                        "owner who can act: move the risk through the TTCG/FTT route, or archive "
                        "the threats, first",
                        what, a->code, list, n > 5 ? ", ..." : "");
    }
    return no_user_duties(c, a, what);
}

/* No enabled user of agency a is the SIO of an active threat or the SIA of a live tasking. */
static iom_err no_user_duties(iom_ctx *c, const iom_agency_t *a, const char *what)
{
    iom_user_t *users;
    size_t nu = 0;
    iom_err err = c->store->ops->user_list(c->store, c->arena, &users, &nu, &c->err);
    if (err)
        return err;
    for (size_t i = 0; i < nu; i++) {
        if (users[i].disabled || strcmp(users[i].agency, a->code) != 0)
            continue;
        char *sia_of = NULL, *sio_of = NULL;
        if ((err = c->store->ops->user_duties(c->store, users[i].id, c->arena, &sia_of, &sio_of,
                                              &c->err)))
            return err;
        if (sio_of || sia_of)
            return iom_fail(&c->err, IOM_ECONFLICT,
                            "%s: user '%s' of agency '%s' is the %s of %s %s; hand the part over "
                            "first (as `user disable` asks)",
                            what, users[i].name, a->code, sio_of ? "SIO" : "SIA",
                            sio_of ? "threat" : "tasking", sio_of ? sio_of : sia_of);
    }
    return IOM_OK;
}

/* Nor are its users the last who can move a waiting tasking on (a region's Gateway, its TTCG,
   the FTT, TOEX's managers: `user disable`'s rule), the agency's other users not counted, as they go with it;
   the tasking named only to an admin cleared for it. */
static iom_err no_last_part(iom_ctx *c, const iom_agency_t *a, const char *what)
{
    iom_user_t *users;
    size_t nu = 0;
    iom_err err = c->store->ops->user_list(c->store, c->arena, &users, &nu, &c->err);
    for (size_t i = 0; !err && i < nu; i++) {
        if (users[i].disabled || strcmp(users[i].agency, a->code) != 0)
            continue;
        char *waits = NULL, *part = NULL;
        iom_marking m = IOM_MARKING_OFFICIAL;
        if ((err = c->store->ops->user_last_for(c->store, users[i].id, a->id, c->arena, &waits, &part, &m,
                                                &c->err)) || !waits)
            continue;
        bool named = iom_clearance_allows(c->actor.clearance, m);
        const char *role = !strcmp(part, "toex_manager_sia") ? "toex_manager" : part;
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "%s: the users of agency '%s' are the last enabled %s users cleared to act on %s%s; "
                        "add or enable another %s user elsewhere first",
                        what, a->code, role, named ? "tasking " : "a tasking above your clearance",
                        named ? waits : "", role);
    }
    return err;
}

iom_err app_agency_disable(iom_ctx *c, const char *code, iom_agency_t *out)
{
    iom_err err = admin_tx(c, "agency disable");
    if (err)
        return err;
    iom_agency_t a;
    if ((err = load(c, code, &a)))
        return app_end(c, err);
    if (a.disabled)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "agency '%s' is already disabled", code));
    if (a.kind == IOM_AGENCY_CAPABILITY) {
        /* a unit of TOEX (or one added by mistake) may go, as long as TOEX remains: an
           enabled capability agency other than it (review 97 L2: one added could never be
           disabled, and its managers saw every tasking nationally) */
        iom_agency_t *v;
        size_t nv, others = 0;
        if ((err = c->store->ops->agency_list(c->store, c->arena, &v, &nv, &c->err)))
            return app_end(c, err);
        for (size_t i = 0; i < nv; i++)
            others += v[i].kind == IOM_AGENCY_CAPABILITY && !v[i].disabled && !v[i].merged_into &&
                      strcmp(v[i].code, a.code) != 0;
        if (others == 0)
            return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                       "agency disable: '%s' is TOEX, the capability every tasking's "
                                       "team belongs to (the last enabled agency of kind capability); "
                                       "it is not disabled", code));
    }
    if ((err = no_live_taskings(c, &a, "agency disable")) ||
        (err = no_active_duties(c, &a, "agency disable")) || (err = no_last_part(c, &a, "agency disable")))
        return app_end(c, err);
    /* its admins sign in no more: some admin of an enabled agency must remain (review 41: a
       disable left none, and nothing could undo it) */
    int64_t others = 0;
    if ((err = c->store->ops->user_count_admins(c->store, a.id, &others, &c->err)))
        return app_end(c, err);
    if (others == 0)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "agency disable: '%s' holds every enabled admin; add an admin in "
                                   "another agency first", code));
    /* nor every auditor, who oversees what administrators do (review 74: an agency disabled
       under the second auditor, then the first disabled, left none) */
    size_t auditors = 0, all_auditors = 0;
    if ((err = app_enabled_auditors(c, a.id, &auditors)) || (err = app_enabled_auditors(c, 0, &all_auditors)))
        return app_end(c, err);
    if (auditors == 0 && all_auditors > 0)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "agency disable: '%s' holds every enabled auditor, who oversees what "
                                   "administrators do; add an auditor in another agency first (on the "
                                   "command line)", code));
    /* the region's Gateway: its forces' bids are triaged there, and no other agency of the
       region can take the role over but by a merge (review 55: a disable left the region
       without one for good) */
    if (a.region_gateway)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "agency disable: '%s' is the Gateway of region %s, where its forces' bids "
                                   "are triaged; merge it into the agency that takes over (`agency merge %s "
                                   "--into CODE`: the Gateway goes with it)",
                                   code, a.region ? a.region : "?", code));
    char *before = agency_json(c, &a);
    a.disabled = true;
    if (!(err = c->store->ops->agency_update(c->store, &a, &c->err)) &&
        !(err = load(c, code, out)))
        err = audit_record(c, "agency.disable", code, before, agency_json(c, out));
    return app_end(c, err);
}

/* One ownership change per threat the merge moves, in its history and the audit trail. */
static iom_err audit_threats_moved(iom_ctx *c, iom_threat_t *v, size_t n, const char *into,
                                   const char *reason)
{
    iom_err err = IOM_OK;
    for (size_t i = 0; i < n && !err; i++) {
        json_t *jb = json_of_threat(&v[i]);
        char *before = json_text(c->arena, jb);
        json_decref(jb);
        iom_threat_t now;
        if ((err = c->store->ops->threat_get(c->store, v[i].ref, c->arena, &now, &c->err)))
            break;
        json_t *ja = json_of_threat(&now);
        json_object_set_new(ja, "merged_from", json_string(v[i].owner));
        json_object_set_new(ja, "reason", json_string(reason));
        (void)into;
        err = audit_record(c, "threat.merge", now.ref, before, json_text(c->arena, ja));
        json_decref(ja);
    }
    return err;
}

iom_err app_agency_merge(iom_ctx *c, const char *from, const char *into, const char *reason,
                         iom_agency_t *out)
{
    iom_err err = admin_tx(c, "agency merge");
    if (err)
        return err;
    if ((err = iom_text_check("reason", reason, 2000, IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE,
                              &c->err)))
        return app_end(c, err);
    iom_agency_t f, t;
    if ((err = load(c, from, &f)) || (err = load(c, into, &t)))
        return app_end(c, err);
    if (strcmp(f.code, t.code) == 0)
        err = iom_fail(&c->err, IOM_EINVAL, "merge: an agency cannot be merged into itself");
    else if (f.merged_into)
        err = iom_fail(&c->err, IOM_ECONFLICT, "merge: '%s' was already merged into '%s'", f.code,
                       f.merged_into);
    else if (t.disabled)
        err = iom_fail(&c->err, IOM_ECONFLICT, "merge: target agency '%s' is disabled", t.code);
    else if (f.kind == IOM_AGENCY_CAPABILITY || t.kind == IOM_AGENCY_CAPABILITY)
        err = iom_fail(&c->err, IOM_EINVAL,
                       "merge: '%s' is a capability; capabilities are not merged (TOEX never owns "
                       "threats)",
                       f.kind == IOM_AGENCY_CAPABILITY ? f.code : t.code);
    else if (f.kind != t.kind)
        err = iom_fail(&c->err, IOM_EINVAL, "merge: '%s' is a %s and '%s' a %s; only agencies of one kind merge",
                       f.code, iom_agency_kind_name(f.kind), t.code, iom_agency_kind_name(t.kind));
    else if (f.region && t.region && strcmp(f.region, t.region) != 0)
        err = iom_fail(&c->err, IOM_EINVAL, "merge: '%s' (%s) and '%s' (%s) are in different regions",
                       f.code, f.region, t.code, t.region);
    if (err || (err = no_live_taskings(c, &f, "agency merge")))
        return app_end(c, err);
    iom_threat_filter tf = {.owner = f.code, .status = -1,
                            .max_marking = IOM_MARKING_OFFICIAL_SENSITIVE};
    iom_threat_t *owned;
    size_t nowned = 0;
    if ((err = c->store->ops->threat_list(c->store, &tf, c->arena, &owned, &nowned, &c->err)))
        return app_end(c, err);
    /* The users of a disabled agency stay disabled in the agency they move to: disabling the
       agency ended their access, and a merge is no re-enabling (an admin re-enables a user
       with `user enable`, one by one). */
    iom_user_t *members = NULL;
    size_t nmembers = 0;
    if (f.disabled && ((err = no_user_duties(c, &f, "agency merge")) ||
                       (err = c->store->ops->user_list(c->store, c->arena, &members, &nmembers,
                                                       &c->err))))
        return app_end(c, err);
    char *before = agency_json(c, &f);
    int64_t users = 0, threats = 0, options = 0;
    if ((err = c->store->ops->agency_move_members(c->store, f.code, t.code, &users, &threats,
                                                  &options, &c->err)))
        return app_end(c, err);
    for (size_t i = 0; i < nmembers && !err; i++) {
        if (members[i].disabled || strcmp(members[i].agency, f.code) != 0)
            continue;
        iom_user_t u;
        if ((err = c->store->ops->user_get(c->store, members[i].name, c->arena, &u, &c->err)))
            break;
        json_t *jb = json_of_user(&u);
        char *ub = json_text(c->arena, jb);
        json_decref(jb);
        u.disabled = true;
        if ((err = c->store->ops->user_update(c->store, &u, u.version, &c->err)) ||
            (err = c->store->ops->user_get(c->store, members[i].name, c->arena, &u, &c->err)))
            break;
        json_t *ja = json_of_user(&u);
        json_object_set_new(ja, "reason", json_sprintf("agency '%s' was disabled and merged into '%s'",
                                                       f.code, t.code));
        err = audit_record(c, "user.disable", u.name, ub, json_text(c->arena, ja));
        json_decref(ja);
    }
    if (err)
        return app_end(c, err);
    f.disabled = true;
    f.merged_into = t.code;
    if ((err = c->store->ops->agency_update(c->store, &f, &c->err)) || (err = load(c, from, out)))
        return app_end(c, err);
    json_t *after = json_of_agency(out);
    json_object_set_new(after, "users_moved", json_integer(users));
    json_object_set_new(after, "threats_moved", json_integer(threats));
    json_object_set_new(after, "options_moved", json_integer(options));
    if (f.region_gateway && f.region) /* the Gateway went with it (review 57: nothing said so) */
        json_object_set_new(after, "gateway_of_region_moved_to", json_pack("{s:s, s:s}", "region", f.region,
                                                                            "agency", t.code));
    json_object_set_new(after, "reason", json_string(reason));
    err = audit_record(c, "agency.merge", f.code, before, json_text(c->arena, after));
    json_decref(after);
    if (!err)
        err = audit_threats_moved(c, owned, nowned, t.code, reason);
    return app_end(c, err);
}
