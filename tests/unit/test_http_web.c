/*
 * Issue 18: `iom serve` serves the web UI compiled into the binary (src/http/web_assets.h)
 * at /, with the security headers of every answer; nothing else is served from outside the
 * API: other paths, traversal and other methods stay 404/405 problems, and the API's own
 * 404s are unchanged.
 */
#include "test_http_support.h"

#include "http/web_assets.h"

static int setup(void **state)
{
    *state = hw_new(0);
    return 0;
}

static int teardown(void **state)
{
    hw_free(*state);
    return 0;
}

static void expect_header(const hresp *r, const char *name, const char *value)
{
    char *v = hw_header(r, name);
    if (!v || strcmp(v, value) != 0)
        fprintf(stderr, "%s: expected '%s', got '%s'\n", name, value, v ? v : "(none)");
    assert_non_null(v);
    assert_string_equal(v, value);
    free(v);
}

/* Every file of the table is served byte for byte with its type and the security headers. */
static void test_assets_served(void **state)
{
    hworld *w = *state;
    assert_true(web_asset_count >= 3);
    assert_non_null(web_asset_find("/"));
    assert_non_null(web_asset_find("/assets/main.js"));
    assert_non_null(web_asset_find("/assets/app.css"));
    for (size_t i = 0; i < web_asset_count; i++) {
        const web_asset *a = &web_assets[i];
        hresp r = hw_req(w, "GET", a->path, NULL, NULL);
        hw_expect(&r, 200);
        expect_header(&r, "Content-Type", a->content_type);
        expect_header(&r, "Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'");
        expect_header(&r, "X-Content-Type-Options", "nosniff");
        expect_header(&r, "X-Frame-Options", "DENY");
        assert_int_equal(strlen(r.body), a->len); /* text files: no NUL inside */
        assert_memory_equal(r.body, a->data, a->len);
        hresp_free(&r);
    }
    /* The page loads its script as a module from this origin, and has no inline script. */
    const web_asset *page = web_asset_find("/");
    char *html = strndup((const char *)page->data, page->len);
    assert_non_null(strstr(html, "<script type=\"module\" src=\"/assets/main.js\"></script>"));
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    free(html);
    /* HEAD answers the headers alone. */
    hresp r = hw_req(w, "HEAD", "/", NULL, NULL);
    hw_expect(&r, 200);
    assert_string_equal(r.body, "");
    hresp_free(&r);
}

/* One GET of path with extra header lines; the whole answer's bytes (binary: a gzipped body
   holds NULs), *n its length. */
static char *raw_get(hworld *w, const char *path, const char *headers, size_t *n)
{
    char *req = t_fmt("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n", path,
                      headers ? headers : "");
    int fd = hw_connect(w);
    send_all(fd, req, strlen(req));
    free(req);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (len == cap)
            buf = realloc(buf, (cap *= 2) + 1);
        ssize_t k = recv(fd, buf + len, cap - len, 0);
        if (k <= 0)
            break;
        len += (size_t)k;
    }
    close(fd);
    buf[len] = '\0';
    *n = len;
    return buf;
}

/* review 109 M8: a file is sent gzipped to a client that takes gzip (its own ETag, Vary on
   Accept-Encoding), as it is to one that does not or refuses it with q=0. */
static void test_assets_gzipped(void **state)
{
    hworld *w = *state;
    assert_true(web_accepts_gzip("gzip"));
    assert_true(web_accepts_gzip("gzip, deflate, br, zstd"));
    assert_true(web_accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    assert_true(web_accepts_gzip("*"));
    assert_false(web_accepts_gzip(NULL));
    assert_false(web_accepts_gzip(""));
    assert_false(web_accepts_gzip("identity"));
    assert_false(web_accepts_gzip("gzip;q=0"));
    assert_false(web_accepts_gzip("gzip; q=0.000, identity"));
    assert_false(web_accepts_gzip("x-gzip2"));
    const web_asset *js = web_asset_find("/assets/main.js");
    assert_non_null(js->gz);
    assert_true(js->gz_len < js->len / 2);
    size_t zipped = 0;
    for (size_t i = 0; i < web_asset_count; i++) {
        const web_asset *a = &web_assets[i];
        size_t n;
        char *raw = raw_get(w, a->path, "Accept-Encoding: gzip, deflate, br\r\n", &n);
        char *sep = strstr(raw, "\r\n\r\n");
        assert_non_null(sep);
        *sep = '\0';
        hresp h = {.head = raw};
        char *ce = hw_header(&h, "Content-Encoding"), *vary = hw_header(&h, "Vary"), *tag = hw_header(&h, "ETag");
        const unsigned char *body = (const unsigned char *)sep + 4;
        size_t blen = n - (size_t)(sep + 4 - raw);
        if (a->gz) {
            zipped++;
            assert_string_equal(ce, "gzip");
            assert_string_equal(vary, "Accept-Encoding");
            assert_string_equal(tag, web_asset_etag_gz(a));
            assert_int_equal(blen, a->gz_len);
            assert_memory_equal(body, a->gz, a->gz_len);
            /* the bytes are a gzip of the file (gzip(1) reads them back) */
            char *zf = t_fmt("%s/asset.gz", w->dir), *pf = t_fmt("%s/asset", w->dir);
            FILE *f = fopen(zf, "wb");
            assert_int_equal(fwrite(body, 1, blen, f), blen);
            fclose(f);
            f = fopen(pf, "wb");
            assert_int_equal(fwrite(a->data, 1, a->len, f), a->len);
            fclose(f);
            char *cmd = t_fmt("gzip -dc '%s' | cmp -s - '%s'", zf, pf);
            assert_int_equal(system(cmd), 0);
            free(cmd);
            free(zf);
            free(pf);
            /* revalidated by its own tag; the plain file's tag is another representation */
            char *hdr = t_fmt("Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", web_asset_etag_gz(a));
            hresp r = hw_req(w, "GET", a->path, hdr, NULL);
            free(hdr);
            assert_int_equal(r.status, 304);
            hresp_free(&r);
            hdr = t_fmt("Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", web_asset_etag(a));
            r = hw_req(w, "GET", a->path, hdr, NULL);
            free(hdr);
            assert_int_equal(r.status, 200);
            hresp_free(&r);
            /* refused with q=0, or not offered: the file as it is */
            r = hw_req(w, "GET", a->path, "Accept-Encoding: gzip;q=0, identity\r\n", NULL);
            assert_int_equal(r.status, 200);
            char *ce2 = hw_header(&r, "Content-Encoding");
            assert_null(ce2);
            assert_int_equal(strlen(r.body), a->len);
            char *v2 = hw_header(&r, "Vary");
            assert_string_equal(v2, "Accept-Encoding");
            free(v2);
            hresp_free(&r);
        } else {
            assert_null(ce);
            assert_int_equal(blen, a->len);
            assert_memory_equal(body, a->data, a->len);
        }
        free(ce);
        free(vary);
        free(tag);
        free(raw);
    }
    assert_true(zipped >= 3); /* main.js, app.css, the chart chunk at least */
    /* the OpenAPI document (made at run time) likewise: gzip(1) reads back the plain answer */
    hresp plain = hw_req(w, "GET", "/api/openapi.json", NULL, NULL);
    hw_expect(&plain, 200);
    char *ptag = hw_header(&plain, "ETag");
    size_t n;
    char *raw = raw_get(w, "/api/openapi.json", "Accept-Encoding: gzip\r\n", &n);
    char *sep = strstr(raw, "\r\n\r\n");
    assert_non_null(sep);
    *sep = '\0';
    hresp h = {.head = raw};
    char *ce = hw_header(&h, "Content-Encoding"), *ztag = hw_header(&h, "ETag"), *vary = hw_header(&h, "Vary");
    assert_string_equal(ce, "gzip");
    assert_string_equal(vary, "Accept-Encoding");
    assert_string_not_equal(ztag, ptag);
    size_t blen = n - (size_t)(sep + 4 - raw);
    assert_true(blen < strlen(plain.body) / 4);
    char *zf = t_fmt("%s/openapi.gz", w->dir), *pf = t_fmt("%s/openapi.json", w->dir);
    FILE *f = fopen(zf, "wb");
    assert_int_equal(fwrite(sep + 4, 1, blen, f), blen);
    fclose(f);
    f = fopen(pf, "wb");
    fputs(plain.body, f);
    fclose(f);
    char *cmd = t_fmt("gzip -dc '%s' | cmp -s - '%s'", zf, pf);
    assert_int_equal(system(cmd), 0);
    char *hdr = t_fmt("Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", ztag);
    hresp r = hw_req(w, "GET", "/api/openapi.json", hdr, NULL);
    assert_int_equal(r.status, 304);
    hresp_free(&r);
    free(hdr);
    free(cmd);
    free(zf);
    free(pf);
    free(ce);
    free(ztag);
    free(vary);
    free(ptag);
    free(raw);
    hresp_free(&plain);
}

/* Only the exact paths of the table: no directory, traversal, query trick or other method. */
static void test_nothing_else(void **state)
{
    hworld *w = *state;
    static const char *const paths[] = {"/index.html", "/assets/", "/assets", "/assets/../assets/main.js",
                                        "/assets/%2e%2e/main.js", "/../etc/passwd", "//", "/web/index.html",
                                        "/assets/main.js/", "/ASSETS/MAIN.JS"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        hresp r = hw_req(w, "GET", paths[i], NULL, NULL);
        if (r.status != 404)
            fprintf(stderr, "%s: %d\n", paths[i], r.status);
        assert_int_equal(r.status, 404);
        assert_non_null(r.json);
        assert_string_equal(jstr(&r, "type"), "urn:iom:problem:not_found");
        hresp_free(&r);
    }
    /* A write to a file is no route: 404, nothing changed. */
    hresp r = hw_req(w, "POST", "/", NULL, "{}");
    assert_int_equal(r.status, 404);
    hresp_free(&r);
    r = hw_req(w, "DELETE", "/assets/main.js", NULL, NULL);
    assert_int_equal(r.status, 404);
    hresp_free(&r);
    /* A query string does not change the file (MHD strips it from the path). */
    r = hw_req(w, "GET", "/?x=1", NULL, NULL);
    assert_int_equal(r.status, 200);
    hresp_free(&r);
    /* The API's unknown paths stay API problems. */
    r = hw_req(w, "GET", "/api/v1/nothing", NULL, NULL);
    assert_int_equal(r.status, 404);
    assert_string_equal(jstr(&r, "type"), "urn:iom:problem:not_found");
    hresp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_assets_served, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assets_gzipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_else, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
