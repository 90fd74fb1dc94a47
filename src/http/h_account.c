/* The signed-in user's password and second factor, and the read-purpose log for auditors. */
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/json.h"
#include "http/internal.h"

/* Every session ends with a password change, this one too: the cookie is cleared. */
void h_password_change(http_req *r)
{
    json_t *body;
    const char *old_pw = NULL, *new_pw = NULL;
    http_field f[] = {{"old_password", HF_STRING, true, &old_pw},
                      {"new_password", HF_STRING, true, &new_pw}, {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_user_t u;
    iom_err err = app_auth_password_change(&r->ctx, &r->srv->cfg.auth, old_pw, new_pw, &u);
    if (err)
        return http_fail(r, err);
    r->set_cookie = "iom_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
    http_json(r, 200, json_pack("{s:o, s:b}", "user", json_of_user(&u), "signed_out", 1));
}

void h_totp_enrol(http_req *r)
{
    app_totp_enrolment en;
    iom_err err = app_totp_enrol(&r->ctx, &en);
    if (err)
        return http_fail(r, err);
    http_json(r, 201, json_pack("{s:s, s:s, s:s, s:i, s:i}", "secret", en.secret, "otpauth_uri",
                                en.uri, "algorithm", "SHA1", "digits", 6, "period", 30));
    sodium_memzero(&en, sizeof en);
}

void h_totp_confirm(http_req *r)
{
    json_t *body;
    const char *code = NULL;
    http_field f[] = {{"totp", HF_STRING, true, &code}, {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_err err = app_totp_confirm(&r->ctx, code);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_pack("{s:s}", "totp", "enrolled"));
}
