/* Sign-in, sign-out and the signed-in user. */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "app/json.h"
#include "app/settings.h"
#include "http/internal.h"

iom_err http_net_parse(const char *text, http_net *out, iom_error *e)
{
    char buf[INET6_ADDRSTRLEN + 8];
    size_t n = text ? strlen(text) : 0;
    memset(out, 0, sizeof *out);
    const char *slash = n < sizeof buf ? memchr(text, '/', n) : NULL;
    size_t alen = slash ? (size_t)(slash - text) : n;
    if (n == 0 || n >= sizeof buf)
        goto bad;
    memcpy(buf, text, alen);
    buf[alen] = '\0';
    unsigned max;
    if (inet_pton(AF_INET, buf, out->addr) == 1) {
        out->family = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
        out->family = AF_INET6;
        max = 128;
    } else
        goto bad;
    out->prefix = max;
    if (slash) {
        const char *p = slash + 1;
        unsigned v = 0;
        if (!*p || strlen(p) > 3)
            goto bad;
        for (; *p; p++) {
            if (*p < '0' || *p > '9')
                goto bad;
            v = v * 10 + (unsigned)(*p - '0');
        }
        if (v > max)
            goto bad;
        out->prefix = v;
    }
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (out->family == AF_INET6 && out->prefix >= 96 && memcmp(out->addr, mapped, sizeof mapped) == 0) {
        memmove(out->addr, out->addr + 12, 4);
        memset(out->addr + 4, 0, 12);
        out->family = AF_INET;
        out->prefix -= 96;
    }
    return IOM_OK;
bad:
    return iom_fail(e, IOM_EINVAL,
                    "trusted-proxy: '%.80s' is not an IPv4 or IPv6 address or network (ADDRESS or "
                    "ADDRESS/PREFIX)", text ? text : "");
}

/* An address in binary (4 or 16 bytes as family says), an IPv4-mapped IPv6 one made IPv4. */
typedef struct bin_addr {
    int family;
    unsigned char a[16];
} bin_addr;

static bool addr_parse(const char *text, bin_addr *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->a) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->a) != 1)
        return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    out->family = AF_INET6;
    if (memcmp(out->a, mapped, sizeof mapped) == 0) {
        memmove(out->a, out->a + 12, 4);
        memset(out->a + 4, 0, 12);
        out->family = AF_INET;
    }
    return true;
}

static bool addr_trusted(const http_shared *srv, const bin_addr *x)
{
    for (size_t i = 0; i < srv->nproxies; i++) {
        const http_net *n = &srv->proxies[i];
        if (n->family != x->family)
            continue;
        unsigned full = n->prefix / 8, rest = n->prefix % 8;
        if (memcmp(n->addr, x->a, full) != 0)
            continue;
        if (rest && ((n->addr[full] ^ x->a[full]) & (unsigned char)(0xFF << (8 - rest))))
            continue;
        return true;
    }
    return false;
}

typedef struct xff_acc {
    iom_buf all; /* every X-Forwarded-For line, in order, joined by commas (RFC 9110 5.3) */
} xff_acc;

static enum MHD_Result xff_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    xff_acc *x = cls;
    if (key && value && strcasecmp(key, "X-Forwarded-For") == 0)
        iom_buf_printf(&x->all, "%s%s", x->all.len ? "," : "", value);
    return MHD_YES;
}

/* The client's address for the sign-in lockout: the TCP peer, unless the peer is a trusted
   proxy (`iom serve --trusted-proxy`): then the last address of X-Forwarded-For (every line
   of it, in order) that is not itself a trusted proxy, walking from the right, as each proxy
   appends the address it was reached from. A value there that is no address ends the walk at
   the hop that appended it (whatever is left of it came from the client, and is not
   believed). Never a forwarded header from an untrusted peer: a client could name any
   address, and so dodge the count or lock out another. */
static const char *client_addr(http_req *r)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "unknown";
    bin_addr peer = {0};
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, sizeof buf);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, sizeof buf);
    }
    if (!r->srv->nproxies || !addr_parse(buf, &peer) || !addr_trusted(r->srv, &peer))
        return iom_arena_strdup(&r->arena, buf);
    xff_acc x = {{0}};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, xff_iter, &x);
    const char *client = iom_arena_strdup(&r->arena, buf);
    char *all = x.all.len ? iom_arena_strdup(&r->arena, iom_buf_cstr(&x.all)) : NULL;
    iom_buf_free(&x.all);
    while (all && *all) {
        char *comma = strrchr(all, ',');
        char *item = comma ? comma + 1 : all;
        if (comma)
            *comma = '\0';
        else
            all = NULL;
        while (*item == ' ' || *item == '\t')
            item++;
        size_t n = strlen(item);
        while (n && (item[n - 1] == ' ' || item[n - 1] == '\t'))
            item[--n] = '\0';
        bin_addr hop;
        if (n >= INET6_ADDRSTRLEN || !addr_parse(item, &hop))
            break; /* not an address: the hop before it (client) is as far as is known */
        client = item;
        if (!addr_trusted(r->srv, &hop))
            break;
    }
    return client;
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
