/* Products (docs/work.md): the upload of a document, its delivery, the download with its
   checksum, and the list of versions.

   Upload: POST /api/v1/taskings/{ref}/products?type=T&filename=F[&replaces=PRD][&marking=M]
   with the document's bytes as the body (any Content-Type; at most APP_PRODUCT_MAX_BYTES,
   413 above). Download: GET /api/v1/products/{ref}[?version=N] answers the bytes with the
   Content-Type of the file name's extension, Content-Disposition: attachment, and the
   SHA-256 in X-Iom-Sha256 (hex) and Repr-Digest (RFC 9530). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "app/json.h"
#include "app/work.h"
#include "http/internal.h"
#include "ops/ops.h"
#include "util/text.h"

/* A reference of the path in upper case, as the operations take them in any case (review 92
   L3: prd-000007 was not found here, where int-000024 is found by its route). */
static const char *ref_of(http_req *r, const char *name)
{
    return op_ref_upper(&r->arena, http_param(r, name));
}

/* Text s in Unicode NFC (in r's arena; s itself when it needs no change, is NULL or is not UTF-8), as
   op_execute makes every text of the operations; when NFC changed its length, the composed
   length is added to composed[*n] (one slot), for iom_text_length_composed. */
static const char *composed_text(http_req *r, const char *s, size_t *composed, size_t *n)
{
    char *nfc = iom_text_nfc(s);
    if (!nfc)
        return s;
    if (strlen(nfc) != strlen(s))
        composed[(*n)++] = strlen(nfc);
    const char *out = iom_arena_strdup(&r->arena, nfc);
    free(nfc);
    return out;
}

void h_product_add(http_req *r)
{
    int64_t ver;
    if (!http_if_match(r, &ver))
        return;
    if (r->body.len == 0) {
        http_problem(r, 400, "invalid", "Invalid request", "body: the document's bytes are required");
        return;
    }
    const char *filename = http_query(r, "filename");
    if (!filename) {
        http_problem(r, 400, "invalid", "Invalid request", "filename: required (query parameter)");
        return;
    }
    size_t composed[1], ncomposed = 0; /* a name as every text: composed (review 102) */
    filename = composed_text(r, filename, composed, &ncomposed);
    app_product_input in = {.type = http_query(r, "type"), .replaces = http_query(r, "replaces"),
                            .marking = http_query(r, "marking"),
                            .data = (const unsigned char *)r->body.data, .size = r->body.len,
                            .filename = filename};
    const char *ref = ref_of(r, "ref");
    iom_product_t p;
    iom_err err = app_product_add(&r->ctx, ref, &in, ver, &p);
    if (err == IOM_EINVAL) /* a limit measured on the composed name says so (review 102 L7) */
        iom_text_length_composed(&r->ctx.err, composed, ncomposed);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, ref, ver);
    http_header(r, "X-Iom-Marking", iom_marking_name(p.marking));
    http_json(r, 201, json_of_product(&p));
}

/* Before the body: may the user add a product to that tasking now (404 / 403 / 409 at once)? */
bool h_product_add_early(http_req *r)
{
    iom_err err = app_product_may_add(&r->ctx, ref_of(r, "ref"));
    if (err)
        http_fail(r, err);
    return !err;
}

static const char *media_type(const char *filename)
{
    static const char *const types[][2] = {
        {".pdf", "application/pdf"},
        {".txt", "text/plain; charset=utf-8"},
        {".csv", "text/csv; charset=utf-8"},
        {".json", "application/json"},
        {".doc", "application/msword"},
        {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {".odt", "application/vnd.oasis.opendocument.text"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
    };
    const char *dot = filename ? strrchr(filename, '.') : NULL;
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

/* attachment; filename="..." with anything outside [A-Za-z0-9._ -] replaced by '_'. */
/* Content-Disposition of a product's file name (RFC 6266): filename="..." of its letters,
   digits, '.', '_', '-' and spaces, any other character one '_'; a name beyond ASCII also as
   filename*=UTF-8''... (RFC 8187), so a browser saves "Réseau.pdf" as it was named (review
   102: it became "R__seau.pdf"). */
static const char *disposition(iom_arena *a, const char *filename)
{
    const char *name = filename && *filename ? filename : "product";
    size_t n = strlen(name);
    char *safe = iom_arena_alloc(a, n + 1), *enc = iom_arena_alloc(a, 3 * n + 1);
    size_t k = 0, e = 0;
    bool ascii = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '_' || c == '-';
        ascii = ascii && c < 0x80;
        if (c < 0x80 || (c & 0xC0) != 0x80) /* one '_' for each character, not each byte */
            safe[k++] = plain || c == ' ' ? (char)c : '_';
        if (plain) {
            enc[e++] = (char)c;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            enc[e++] = '%';
            enc[e++] = hex[c >> 4];
            enc[e++] = hex[c & 15];
        }
    }
    safe[k] = enc[e] = '\0';
    if (ascii)
        return iom_arena_printf(a, "attachment; filename=\"%s\"", safe);
    return iom_arena_printf(a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", safe, enc);
}

void h_product_get(http_req *r)
{
    int64_t version;
    if (!http_query_int(r, "version", 1, INT64_C(1) << 53, 0, &version))
        return;
    iom_product_t p;
    const char *purpose = http_purpose(r);
    size_t composed[1], ncomposed = 0; /* as the operations' purpose (op_execute): composed */
    purpose = composed_text(r, purpose, composed, &ncomposed);
    iom_err err = app_product_get(&r->ctx, ref_of(r, "product"), version, purpose, &p);
    if (err == IOM_EINVAL)
        iom_text_length_composed(&r->ctx.err, composed, ncomposed);
    if (err)
        return http_fail(r, err);
    unsigned char bin[32];
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
    const char *digest = NULL;
    if (sodium_hex2bin(bin, sizeof bin, p.sha256, 64, NULL, NULL, NULL) == 0) {
        sodium_bin2base64(b64, sizeof b64, bin, sizeof bin, sodium_base64_VARIANT_ORIGINAL);
        digest = iom_arena_printf(&r->arena, "sha-256=:%s:", b64);
    }
    http_header(r, "Content-Disposition", disposition(&r->arena, p.filename));
    http_header(r, "X-Iom-Sha256", iom_arena_strdup(&r->arena, p.sha256));
    http_header(r, "X-Iom-Marking", iom_marking_name(p.marking));
    http_header(r, "X-Iom-Product-Version", iom_arena_printf(&r->arena, "%lld", (long long)p.version));
    if (digest)
        http_header(r, "Repr-Digest", digest);
    http_bytes(r, 200, media_type(p.filename), p.content, (size_t)p.size);
}
