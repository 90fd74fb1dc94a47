/*
 * The network page's two API rows (issue 18 point 5; docs/api.md "Picture"), over the demo
 * database through `iom serve` in-process:
 *  - GET /api/v1/taskings/{ref}/links (link.list): every link of the demo picture, paged, each
 *    with both ends in the entity list, filtered by type; a bad type and a bad page are
 *    refused naming the field; another region gets 404; the read is in the read log.
 *  - POST /api/v1/taskings/{ref}/export/png (picture.image): the client's PNG with its marking
 *    drawn in is logged as a disclosure (format png, recipient, purpose, the image's SHA-256);
 *    a marking below the picture's, a file that is not a PNG, bad base64, no recipient and
 *    another region are refused and log nothing; the route takes a body up to its own limit
 *    (APP_EXPORT_PNG_BODY_MAX, above the server's 1 MiB): a 3 MiB image is accepted, a larger
 *    body is 413 naming the route's limit, and other routes keep the 1 MiB limit.
 */
#include "test_http_support.h"

#include <sodium.h>

#include "app/demo.h"
#include "app/picture.h"

#define DEMO_NOW 1795608000 /* 2026-11-25T12:00:00Z */
#define T1 "TOEX-2026-000001"

/* A 1x1 PNG (transparent pixel) in base64. */
#define PNG_1X1 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

static hworld *W;

static int setup(void **state)
{
    (void)state;
    (void)hw_new; /* of test_http_support.h, not used here */
    W = hw_open("demo.db", DEMO_NOW, true, "links-http-test");
    app_demo_result r;
    hw_ok(W, app_demo(&W->c, PASSWORD, &r));
    hw_serve(W, 5);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hw_free(W);
    return 0;
}

static json_t *call(const char *user, const char *method, const char *path, const char *body, int status)
{
    hw_login(W, user);
    hresp r = hw_as(W, method, path, NULL, body);
    hw_expect(&r, status);
    json_t *j = json_incref(r.json);
    hresp_free(&r);
    return j;
}

static void refused(const char *user, const char *method, const char *path, const char *body, int status,
                    const char *detail)
{
    hw_login(W, user);
    hresp r = hw_as(W, method, path, NULL, body);
    hw_expect_problem(&r, status, detail);
}

static long long count(const char *sql)
{
    char *db = t_fmt("%s", W->db);
    long long v = t_db_scalar(db, sql);
    free(db);
    return v;
}

/* Every item of a paged list (pages of `limit`), as one array (owned). */
static json_t *all_pages(const char *user, const char *path, int limit, size_t *pages)
{
    json_t *out = json_array();
    char *after = NULL;
    *pages = 0;
    do {
        char *p = after ? t_fmt("%s%climit=%d&after=%s", path, strchr(path, '?') ? '&' : '?', limit, after)
                        : t_fmt("%s%climit=%d", path, strchr(path, '?') ? '&' : '?', limit);
        json_t *j = call(user, "GET", p, NULL, 200);
        free(p);
        free(after);
        after = NULL;
        json_array_extend(out, json_object_get(j, "items"));
        json_t *next = json_object_get(j, "next");
        if (json_is_string(next))
            after = strdup(json_string_value(next));
        json_decref(j);
        (*pages)++;
    } while (after);
    return out;
}

static void links_list_the_picture(void **state)
{
    (void)state;
    long long consulted = count("SELECT count(*) FROM read_log WHERE action = 'intel.consult'");
    size_t pages;
    json_t *links = all_pages("toex-analyst", "/api/v1/taskings/" T1 "/links", 200, &pages);
    long long want = count("SELECT count(*) FROM link l JOIN tasking t ON t.id = l.tasking_id WHERE t.ref = '" T1 "'");
    assert_true(want >= 200);
    assert_int_equal(json_array_size(links), want);
    assert_int_equal(pages, (size_t)(want + 199) / 200);
    json_t *ents = all_pages("toex-analyst", "/api/v1/taskings/" T1 "/entities", 1000, &pages);
    json_t *seen = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(ents, i, e)
        json_object_set_new(seen, json_string_value(json_object_get(e, "ref")), json_true());
    const char *prev = "";
    json_array_foreach(links, i, e) {
        const char *ref = json_string_value(json_object_get(e, "ref"));
        assert_true(strcmp(prev, ref) < 0); /* in reference order, no repeat */
        prev = ref;
        assert_non_null(json_object_get(seen, json_string_value(json_object_get(e, "from"))));
        assert_non_null(json_object_get(seen, json_string_value(json_object_get(e, "to"))));
        assert_non_null(json_string_value(json_object_get(e, "marking")));
        assert_true(json_array_size(json_object_get(e, "sources")) > 0);
    }
    json_decref(seen);
    json_decref(ents);
    json_decref(links);
    /* by type */
    links = all_pages("toex-analyst", "/api/v1/taskings/" T1 "/links?type=lives_at", 1000, &pages);
    assert_int_equal(json_array_size(links),
                     count("SELECT count(*) FROM link l JOIN tasking t ON t.id = l.tasking_id WHERE t.ref = '" T1
                           "' AND l.type = 'lives_at'"));
    assert_true(json_array_size(links) > 0);
    json_array_foreach(links, i, e)
        assert_string_equal(json_string_value(json_object_get(e, "type")), "lives_at");
    json_decref(links);
    /* the reads are logged, naming the links read */
    assert_true(count("SELECT count(*) FROM read_log WHERE action = 'intel.consult'") > consulted);
    assert_true(count("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND actor = 'toex-analyst'"
                      " AND object_ref = '" T1 "' AND after_json LIKE '%LNK-000001%'") >= 1);
}

static void links_refusals(void **state)
{
    (void)state;
    long long consulted = count("SELECT count(*) FROM read_log WHERE action <> 'access.refused'");
    long long tried = count("SELECT count(*) FROM read_log WHERE action = 'access.refused'");
    refused("toex-analyst", "GET", "/api/v1/taskings/" T1 "/links?type=knows", NULL, 400, "type");
    refused("toex-analyst", "GET", "/api/v1/taskings/" T1 "/links?limit=5000", NULL, 400, "limit");
    refused("met-spoc", "GET", "/api/v1/taskings/" T1 "/links", NULL, 404, "not found");
    refused("toex-analyst", "GET", "/api/v1/taskings/TOEX-2026-999999/links", NULL, 404, "not found");
    assert_int_equal(count("SELECT count(*) FROM read_log WHERE action <> 'access.refused'"), consulted);
    /* the two 404s are refused attempts the auditor sees (review 81 L7); the 400s are not */
    assert_int_equal(count("SELECT count(*) FROM read_log WHERE action = 'access.refused'"), tried + 2);
    assert_int_equal(count("SELECT count(*) FROM read_log WHERE action = 'access.refused' AND actor = 'met-spoc'"
                           " AND object_ref = '" T1 "' AND after_json LIKE '%not_found%'"),
                     1);
}

static void png_is_logged(void **state)
{
    (void)state;
    json_t *j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/export/png",
                     "{\"png\":\"data:image/png;base64," PNG_1X1 "\",\"marking\":\"OFFICIAL-SENSITIVE\","
                     "\"recipient\":\"CPS Yorkshire\",\"purpose\":\"charging advice\",\"view\":\"network\"}",
                     200);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "png");
    assert_string_equal(json_string_value(json_object_get(j, "media_type")), "image/png");
    assert_string_equal(json_string_value(json_object_get(j, "marking")), "OFFICIAL-SENSITIVE");
    assert_string_equal(json_string_value(json_object_get(j, "filename")), T1 "-network.png");
    assert_int_equal(json_integer_value(json_object_get(j, "entities")),
                     count("SELECT count(*) FROM entity e JOIN tasking t ON t.id = e.tasking_id WHERE t.ref = '" T1
                           "'"));
    /* the SHA-256 is of the decoded bytes */
    unsigned char bin[256], hash[crypto_hash_sha256_BYTES];
    size_t n;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, PNG_1X1, strlen(PNG_1X1), NULL, &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "size")), (json_int_t)n);
    crypto_hash_sha256(hash, bin, n);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    assert_string_equal(json_string_value(json_object_get(j, "sha256")), hex);
    json_decref(j);
    char *q = t_fmt("SELECT count(*) FROM read_log WHERE action = 'picture.export' AND actor = 'toex-analyst' AND"
                    " object_ref = '" T1 "' AND after_json LIKE '%%\"format\":\"png\"%%' AND after_json LIKE"
                    " '%%CPS Yorkshire%%' AND after_json LIKE '%%charging advice%%' AND after_json LIKE '%%%s%%'",
                    hex);
    assert_int_equal(count(q), 1);
    free(q);
}

static void png_refusals_log_nothing(void **state)
{
    (void)state;
    long long logged = count("SELECT count(*) FROM read_log WHERE action <> 'access.refused'");
    long long tried = count("SELECT count(*) FROM read_log WHERE action = 'access.refused'");
    const char *p = "/api/v1/taskings/" T1 "/export/png";
    /* nobody signed in: refused before the body is read (review 58: 11 MB bodies of anonymous
       connections took the server's whole body budget); only the headers are sent, and the
       answer comes without them */
    char *raw = t_fmt("POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                      "Content-Length: 11000000\r\n\r\n{\"png\":\"",
                      p);
    hresp a = hw_raw(W, raw, strlen(raw));
    free(raw);
    hw_expect_problem(&a, 401, NULL);
    /* signed in, the large bodies of a route are read only from who may do it on that tasking
       now (review 65: any signed-in user held 96 MiB import bodies): answered at once, the
       body unread; another region's SPOC does not see the tasking (404), the analyst sees it
       closed (409: no import into a closed tasking's picture) */
    const char *big[][3] = {{"met-spoc", "/export/png", "404"}, {"met-spoc", "/dataset-jobs", "404"},
                            {"met-spoc", "/datasets", "404"}, {"toex-analyst", "/dataset-jobs", "409"}};
    for (size_t i = 0; i < 4; i++) {
        hw_login(W, big[i][0]);
        char *rq = t_fmt("POST /api/v1/taskings/" T1 "%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s%s"
                         "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"csv\":\"",
                         big[i][1], W->cookie, W->csrf, i ? 90000000 : 11000000);
        hresp b = hw_raw(W, rq, strlen(rq));
        free(rq);
        hw_expect_problem(&b, atoi(big[i][2]), NULL);
    }
    /* the demo tasking is OFFICIAL-SENSITIVE: an image marked OFFICIAL is under-marked */
    refused("toex-analyst", "POST", p,
            "{\"png\":\"" PNG_1X1 "\",\"marking\":\"OFFICIAL\",\"recipient\":\"CPS\"}", 400,
            "marking: the image must carry OFFICIAL-SENSITIVE");
    refused("toex-analyst", "POST", p, "{\"png\":\"" PNG_1X1 "\",\"marking\":\"SECRET-ISH\",\"recipient\":\"CPS\"}",
            400, "marking");
    refused("toex-analyst", "POST", p, "{\"png\":\"not base64!\",\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\"}",
            400, "png: not base64");
    /* base64 of "GIF89a..." (not a PNG) */
    refused("toex-analyst", "POST", p,
            "{\"png\":\"R0lGODlhAQABAAAAACwAAAAAAQABAAAC\",\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\"}",
            400, "png: not a PNG");
    refused("toex-analyst", "POST", p, "{\"png\":\"" PNG_1X1 "\",\"marking\":\"OFFICIAL-SENSITIVE\"}", 400,
            "recipient");
    /* review 97 L6: a signature and an IHDR alone, or bytes after IEND, are no PNG image; a view
       naming an entity the picture does not hold is not what was drawn */
    refused("toex-analyst", "POST", p,
            "{\"png\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ\",\"marking\":\"OFFICIAL-SENSITIVE\","
            "\"recipient\":\"CPS\"}", 400, "png: not a whole PNG image (no image data");
    refused("toex-analyst", "POST", p,
            "{\"png\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggmp1bms=\","
            "\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\"}", 400, "png: not");
    /* review 99 L1: 57 bytes, every CRC right, an empty IDAT: no image */
    refused("toex-analyst", "POST", p,
            "{\"png\":\"iVBORw0KGgoAAAANSUhEUgAAQAAAAEAACAYAAACpyBCEAAAAAElEQVQ1rwYeAAAAAElFTkSuQmCC\","
            "\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\"}", 400, "png: not");
    refused("toex-analyst", "POST", p,
            "{\"png\":\"" PNG_1X1 "\",\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\","
            "\"view\":\"ego ENT-999999 k 2\"}", 400, "view: ENT-999999 is not an entity of the picture");
    refused("toex-analyst", "POST", p,
            "{\"png\":\"" PNG_1X1 "\",\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"two\\nlines\"}", 400,
            "recipient");
    refused("met-spoc", "POST", p, "{\"png\":\"" PNG_1X1 "\",\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\"}",
            404, "not found");
    /* nothing read is logged; the four 404s, three of them answered before the body, are
       attempts the auditor sees (review 92 M2), the 401, 409 and 400s are not */
    assert_int_equal(count("SELECT count(*) FROM read_log WHERE action <> 'access.refused'"), logged);
    assert_int_equal(count("SELECT count(*) FROM read_log WHERE action = 'access.refused'"), tried + 4);
    assert_int_equal(count("SELECT count(*) FROM read_log WHERE action = 'access.refused' AND actor = 'met-spoc' "
                           "AND object_ref = '" T1 "' AND after_json LIKE '%\"dataset.import-job\"%'"),
                     1);
}

/* The JSON body of an image: a PNG signature and IHDR (4000x3000) followed by `size` bytes, in base64. */
/* CRC-32 as PNG chunks carry it, over n bytes at p, written big-endian at out. */
static void put_crc(const unsigned char *p, size_t n, unsigned char *out)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    c ^= 0xffffffffu;
    out[0] = (unsigned char)(c >> 24), out[1] = (unsigned char)(c >> 16), out[2] = (unsigned char)(c >> 8);
    out[3] = (unsigned char)c;
}

static char *big_png_body(size_t size, size_t *png_bytes)
{
    /* the signature, an IHDR of 4000x3000, an IDAT of `size` bytes (a zlib header, then noise),
       IEND, each chunk with its CRC */
    static const unsigned char head[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                           0, 0, 0x0f, 0xa0, 0, 0, 0x0b, 0xb8, 8, 6, 0, 0, 0, 1, 2, 3, 4};
    size_t n = sizeof head + 12 + size + 12;
    unsigned char *bin = calloc(n, 1);
    memcpy(bin, head, sizeof head);
    unsigned char *idat = bin + sizeof head;
    idat[0] = (unsigned char)(size >> 24), idat[1] = (unsigned char)(size >> 16);
    idat[2] = (unsigned char)(size >> 8), idat[3] = (unsigned char)size;
    memcpy(idat + 4, "IDAT", 4);
    for (size_t i = 0; i < size; i++)
        idat[8 + i] = (unsigned char)(i * 2654435761u >> 13);
    idat[8] = 0x78, idat[9] = 0x01; /* deflate, no dictionary, the check bits right */
    memcpy(bin + n - 8, "IEND", 4); /* its length 0 (calloc), its CRC after */
    put_crc(bin + 12, 17, bin + 29);
    put_crc(idat + 4, 4 + size, idat + 8 + size);
    put_crc(bin + n - 8, 4, bin + n - 4);
    size_t b64 = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *text = malloc(b64);
    sodium_bin2base64(text, b64, bin, n, sodium_base64_VARIANT_ORIGINAL);
    char *body = t_fmt("{\"png\":\"%s\",\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\",\"view\":\"network\"}",
                       text);
    free(text);
    free(bin);
    *png_bytes = n;
    return body;
}

static void png_route_has_its_own_body_limit(void **state)
{
    (void)state;
    const char *p = "/api/v1/taskings/" T1 "/export/png";
    /* a 3 MiB image (4 MiB of base64): above the server's 1 MiB, within the route's limit */
    size_t n;
    char *body = big_png_body(3u << 20, &n);
    assert_true(strlen(body) > (1u << 20));
    json_t *j = call("toex-analyst", "POST", p, body, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "size")), (json_int_t)n);
    json_decref(j);
    free(body);
    /* one byte over the route's limit: 413 naming the limit and the route, nothing logged */
    long long logged = count("SELECT count(*) FROM read_log");
    size_t over = APP_EXPORT_PNG_BODY_MAX + 1;
    char *huge = malloc(over + 1);
    memset(huge, ' ', over);
    huge[over] = 0;
    huge[0] = '{';
    huge[over - 1] = '}';
    char *want = t_fmt("body: at most %zu bytes (10.7 MiB) on POST /api/v1/taskings/{ref}/export/png",
                       (size_t)APP_EXPORT_PNG_BODY_MAX);
    refused("toex-analyst", "POST", p, huge, 413, want);
    free(want);
    assert_int_equal(count("SELECT count(*) FROM read_log"), logged);
    /* another route keeps the server's limit */
    huge[(2u << 20)] = 0;
    huge[(2u << 20) - 1] = '}';
    refused("toex-analyst", "POST", "/api/v1/taskings/" T1 "/graph/stats", huge, 413,
            "body: at most 1048576 bytes (1.0 MiB) on POST /api/v1/taskings/{ref}/graph/stats");
    free(huge);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(links_list_the_picture),
        cmocka_unit_test(links_refusals),
        cmocka_unit_test(png_is_logged),
        cmocka_unit_test(png_refusals_log_nothing),
        cmocka_unit_test(png_route_has_its_own_body_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
