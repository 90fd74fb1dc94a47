/* The keys and sealed fields of intelligence items (intel_int.h, app/seal.h). */
#include <string.h>

#include <sodium.h>

#include "app/intel_int.h"
#include "app/work.h"

#define WS(c) ((c)->store->ops->work)

static iom_err kek_of(iom_ctx *c, unsigned char kek[SEAL_KEY_BYTES])
{
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY,
                        "intelligence: the audit key is needed to read or write intelligence content");
    seal_kek(c->audit_key, kek);
    return IOM_OK;
}

static iom_err unwrap(iom_ctx *c, const char *ref, const unsigned char *w, size_t len,
                      unsigned char key[SEAL_KEY_BYTES])
{
    unsigned char kek[SEAL_KEY_BYTES];
    iom_err err = kek_of(c, kek);
    if (!err)
        err = seal_unwrap(kek, ref, w, len, key, &c->err);
    sodium_memzero(kek, sizeof kek);
    return err;
}

iom_err intel_key_store(iom_ctx *c, const char *ref, const unsigned char key[SEAL_KEY_BYTES])
{
    unsigned char kek[SEAL_KEY_BYTES], wrapped[SEAL_WRAPPED_BYTES];
    iom_err err = kek_of(c, kek);
    if (err)
        return err;
    seal_wrap(kek, ref, key, wrapped);
    sodium_memzero(kek, sizeof kek);
    return WS(c)->intel_key_put(c->store, ref, wrapped, sizeof wrapped, &c->err);
}

void intel_seal_fields(iom_ctx *c, const unsigned char key[SEAL_KEY_BYTES], iom_intel_t *it)
{
    it->text = seal_text(c->arena, key, "text", it->text);
    it->source = seal_text(c->arena, key, "source", it->source);
    it->grade.conditions = seal_text(c->arena, key, "conditions", it->grade.conditions);
    it->pnd_reason = seal_text(c->arena, key, "pnd_reason", it->pnd_reason);
    it->correction_reason = seal_text(c->arena, key, "correction_reason", it->correction_reason);
}

static iom_err open_fields(iom_ctx *c, const unsigned char key[SEAL_KEY_BYTES], iom_intel_t *it)
{
    iom_err err;
    char *t, *s, *k, *p, *r;
    if ((err = seal_open(c->arena, key, "text", it->text, &t, &c->err)) ||
        (err = seal_open(c->arena, key, "source", it->source, &s, &c->err)) ||
        (err = seal_open(c->arena, key, "conditions", it->grade.conditions, &k, &c->err)) ||
        (err = seal_open(c->arena, key, "pnd_reason", it->pnd_reason, &p, &c->err)) ||
        (err = seal_open(c->arena, key, "correction_reason", it->correction_reason, &r, &c->err))) {
        char why[IOM_ERRMSG_MAX];
        memcpy(why, c->err.msg, sizeof why);
        return iom_fail(&c->err, err, "intelligence item %s version %lld: %s", it->ref,
                        (long long)it->version, why);
    }
    it->text = t;
    it->source = s;
    it->grade.conditions = k;
    it->pnd_reason = p;
    it->correction_reason = r;
    return IOM_OK;
}

iom_err intel_item_key(iom_ctx *c, const iom_intel_t *it, bool create,
                       unsigned char key[SEAL_KEY_BYTES])
{
    if (it->disposed_at)
        return iom_fail(&c->err, IOM_ECONFLICT, "intelligence item %s: it was disposed of", it->ref);
    if (it->key_wrapped)
        return unwrap(c, it->ref, it->key_wrapped, it->key_len, key);
    if (!create)
        return iom_fail(&c->err, IOM_ENOTFOUND, "intelligence item %s: it has no key", it->ref);
    /* Recorded before migration 11: seal every version now, under a new key. */
    unsigned char kek[SEAL_KEY_BYTES], wrapped[SEAL_WRAPPED_BYTES];
    iom_err err = kek_of(c, kek);
    if (err)
        return err;
    iom_intel_t *v;
    size_t n;
    if ((err = WS(c)->intel_history(c->store, it->ref, c->arena, &v, &n, &c->err)))
        return err;
    seal_key_new(key);
    for (size_t i = 0; i < n && !err; i++)
        if (!seal_is_sealed(v[i].text)) {
            intel_seal_fields(c, key, &v[i]);
            err = WS(c)->intel_reseal(c->store, &v[i], &c->err);
        }
    seal_wrap(kek, it->ref, key, wrapped);
    sodium_memzero(kek, sizeof kek);
    if (!err)
        err = WS(c)->intel_key_put(c->store, it->ref, wrapped, sizeof wrapped, &c->err);
    return err;
}

iom_err intel_open(iom_ctx *c, iom_intel_t *v, size_t n)
{
    unsigned char key[SEAL_KEY_BYTES];
    const char *key_ref = NULL; /* versions of one item come together: unwrap once */
    iom_err err = IOM_OK;
    for (size_t i = 0; i < n && !err; i++) {
        iom_intel_t *it = &v[i];
        if (it->disposed_at) {
            it->text = it->source = it->pnd_reason = it->correction_reason = NULL;
            it->grade.conditions = NULL;
            continue;
        }
        if (!it->key_wrapped)
            continue; /* plain: recorded before migration 11 */
        if (!key_ref || strcmp(key_ref, it->ref) != 0) {
            if ((err = unwrap(c, it->ref, it->key_wrapped, it->key_len, key)))
                break;
            key_ref = it->ref;
        }
        err = open_fields(c, key, it);
    }
    sodium_memzero(key, sizeof key);
    return err;
}

iom_err intel_open_field(iom_ctx *c, const char *ref, const char *field, const char *sealed,
                         char **plain)
{
    *plain = (char *)sealed;
    if (!seal_is_sealed(sealed))
        return IOM_OK;
    iom_intel_t it;
    unsigned char key[SEAL_KEY_BYTES];
    iom_err err = WS(c)->intel_get(c->store, ref, 0, c->arena, &it, &c->err);
    if (err)
        return err;
    if (it.disposed_at || !it.key_wrapped) {
        *plain = NULL;
        return IOM_OK;
    }
    if (!(err = unwrap(c, ref, it.key_wrapped, it.key_len, key)))
        err = seal_open(c->arena, key, field, sealed, plain, &c->err);
    sodium_memzero(key, sizeof key);
    return err;
}

char *intel_sealed_image(iom_ctx *c, const unsigned char key[SEAL_KEY_BYTES], const iom_intel_t *it)
{
    char *plain = work_json_text(c, json_of_intel(it));
    char *sealed = seal_text(c->arena, key, "audit", plain);
    sodium_memzero(plain, strlen(plain));
    return work_json_text(c, json_pack("{s:s, s:I, s:s}", "ref", it->ref, "version",
                                       (json_int_t)it->version, "sealed", sealed));
}

const char *intel_image_view(iom_ctx *c, const char *image)
{
    if (!image || !strstr(image, "\"sealed\""))
        return image;
    json_t *j = json_loads(image, 0, NULL);
    const char *ref = json_string_value(json_object_get(j, "ref"));
    const char *sealed = json_string_value(json_object_get(j, "sealed"));
    if (!j || !ref || !seal_is_sealed(sealed) || json_object_size(j) != 3) {
        json_decref(j);
        return image;
    }
    const char *out = image;
    iom_intel_t it;
    iom_error saved = c->err;
    unsigned char key[SEAL_KEY_BYTES];
    if (WS(c)->intel_get(c->store, ref, 0, c->arena, &it, &c->err) == IOM_OK) {
        char *plain = NULL;
        if (!iom_clearance_allows(c->actor.clearance, it.marking)) {
            /* the item as it is now is marked above the reader: none of its versions is theirs
               (review 43: an OFFICIAL-cleared auditor read OFFICIAL-SENSITIVE text here) */
            json_object_del(j, "sealed");
            json_object_set_new(j, "withheld", json_string("marked above the reader's clearance"));
            out = work_json_text(c, json_incref(j));
        } else if (it.disposed_at) {
            json_object_del(j, "sealed");
            json_object_set_new(j, "erased", json_true());
            out = work_json_text(c, json_incref(j));
        } else if (it.key_wrapped && unwrap(c, ref, it.key_wrapped, it.key_len, key) == IOM_OK &&
                   seal_open(c->arena, key, "audit", sealed, &plain, &c->err) == IOM_OK) {
            out = plain;
        }
    }
    sodium_memzero(key, sizeof key);
    c->err = saved;
    json_decref(j);
    return out;
}
