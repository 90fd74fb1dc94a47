/* Sign-in, sign-out and the signed-in user. */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "app/json.h"
#include "app/settings.h"
#include "http/internal.h"

/* The client's address (never a forwarded header: only the peer is known for certain). */
static const char *client_addr(http_req *r)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "unknown";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, sizeof buf);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, sizeof buf);
    }
    return iom_arena_strdup(&r->arena, buf);
}

/* null, "password_change" or "totp_enrolment": what the session must do first. */
static json_t *restriction_json(const app_principal *p)
{
    const char *why;
    switch (app_auth_restriction(p, &why)) {
    case APP_RESTRICT_PASSWORD: return json_string("password_change");
    case APP_RESTRICT_TOTP: return json_string("totp_enrolment");
    case APP_RESTRICT_NONE: break;
    }
    return json_null();
}

void h_login(http_req *r)
{
    json_t *body;
    const char *name = NULL, *password = NULL, *totp = NULL;
    http_field f[] = {{"username", HF_STRING, true, &name}, {"password", HF_STRING, true, &password},
                      {"totp", HF_STRING, false, &totp}, {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    app_login lg = {0};
    app_auth_policy pol; /* the stored settings, with the server's overrides */
    iom_err err = app_settings_auth_policy(&r->ctx, &r->srv->cfg.auth, &pol);
    if (!err)
        err = app_auth_login(&r->ctx, &pol, name, password, totp, client_addr(r), &lg);
    if (err) {
        if (lg.retry_after > 0) {
            r->retry_after = lg.retry_after;
            http_problem(r, 429, "locked", "Too many failed sign-ins",
                         "too many failed attempts: try again in %lld s", (long long)lg.retry_after);
            return;
        }
        return http_fail(r, err);
    }
    /* a browser session's cookie: gone when the browser closes (review 58: a persistent one
       kept a shared terminal's user signed in after it was closed); the session itself ends
       at its idle and absolute limits whatever the browser keeps */
    r->set_cookie = iom_arena_printf(&r->arena, "iom_session=%s; HttpOnly; SameSite=Strict; Path=/%s", lg.session,
                                     r->srv->tls ? "; Secure" : "");
    r->authed = true;
    r->who.user = lg.user;
    r->who.must_change_password = lg.must_change_password;
    r->who.totp_enrolment_required = lg.totp_enrolment_required;
    http_json(r, 201, json_pack("{s:o, s:s, s:o, s:o}", "user", json_of_user(&lg.user), "csrf_token",
                                lg.csrf, "expires_at", json_time(lg.expires_at), "restriction",
                                restriction_json(&r->who)));
    memset(lg.session, 0, sizeof lg.session);
    memset(lg.csrf, 0, sizeof lg.csrf);
}

void h_logout(http_req *r)
{
    if (r->who.session) {
        const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "iom_session");
        iom_err err = app_auth_logout(&r->ctx, cookie);
        if (err)
            return http_fail(r, err);
    }
    r->set_cookie = http_cookie_clear(r);
    http_json(r, 200, json_pack("{s:b}", "signed_out", r->who.session));
}

const char *http_cookie_clear(const http_req *r)
{
    return r->srv->tls ? "iom_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure"
                       : "iom_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
}

void h_me(http_req *r)
{
    http_json(r, 200, json_pack("{s:o, s:s, s:o}", "user", json_of_user(&r->who.user), "auth",
                                r->who.session ? "session" : "token", "restriction",
                                restriction_json(&r->who)));
}
