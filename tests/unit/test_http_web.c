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
        cmocka_unit_test_setup_teardown(test_nothing_else, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
