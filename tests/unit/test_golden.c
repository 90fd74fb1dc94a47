/*
 * test_golden.c: golden outputs (issue 11, point 0), after igraph's tests/unit/NAME.c and
 * NAME.out pairs.
 *
 * Two scripts of data drive libiom in-process with a fixed clock and their transcripts are
 * compared with committed files (tests/golden/README.md says how to read and update them):
 *
 *   tests/golden/cli.script -> cli.out   `iom` commands run through cli_run() (src/cli/cli.h)
 *                                        with injected streams, clock, OS user and getenv
 *   tests/golden/api.script -> api.out   requests to `iom serve` started in-process on
 *                                        127.0.0.1 port 0 with an injected clock
 *
 * The clock is set here, through libiom (cli_env.clock, http_config.clock): never through an
 * option or environment variable of the shipped binary. It is fixed during a step and
 * advances by one second after each step (not per read of the clock: a refactor that reads
 * the clock more or less often must not move every later time). `clock TIME` in a script
 * sets it, so that adding a step only moves the times up to the next `clock` line.
 *
 * Script lines (both scripts):
 *   # note                 ignored            ## heading          copied to the transcript
 *   clock 2026-11-25T09:00:00Z                sets the clock (copied)
 *   let NAME = TEXT        sets ${NAME} (TEXT expanded); not copied
 *   file NAME <<< TEXT     writes NAME (TEXT with \n escapes, plus a final newline) in the
 *                          run's directory (copied as `file NAME`); `file NAME`: empty
 *   cat NAME               copies a file a step wrote into the transcript (`file| `)
 *   as USER: ARGS [<<< STDIN]   `iom --db iom.db --as USER ARGS` (STDIN: \n escapes, a final
 *   run: ARGS [<<< STDIN]       newline added); `run:` without --as
 * api.script only:
 *   serve                  starts the server on iom.db (copied)
 *   settle                 waits until the server's background jobs have ended (copied)
 *   login USER [password=P] [totp=CODE]   POST /api/v1/session; on 201 USER's cookie and
 *                          CSRF token are kept for the lines below (default password: DEMO_PW)
 *   WHO METHOD PATH [OPTION...] [BODY]    one request. WHO: a signed-in user, `-` (no
 *                          credentials) or bearer:TOKEN. OPTION: if-match=V, purpose=V
 *                          (X-Iom-Purpose), content-type=V, no-csrf, csrf=V. BODY: the rest of
 *                          the line from a `{` or `[` (JSON), or raw:TEXT (\n escapes).
 * Arguments split as a shell does: quotes '..' and ".." (in which \n and \t are escapes),
 * backslash. ${...} expands: a `let` name, ${etag} (the last ETag answered), ${stdout} (the
 * last CLI step's standard output), ${last.KEY.0.KEY} (a value of the last JSON answer or
 * --json output; null is an error), ${totp:NAME} (the TOTP code now of the base32 secret in
 * ${NAME}). Values are taken before normalisation.
 * A line ending in a backslash continues on the next (the backslash, the newline and the
 * next line's indentation are dropped).
 *
 * Transcripts: each step is its script line (as written, before expansion) then, for the CLI,
 * `exit N` and its streams, one line each: `out| ` standard output, `err| ` standard error,
 * and `OUT| ` / `ERR| ` for anything written to the PROCESS's stdout/stderr instead of the
 * injected streams (file descriptors 1 and 2 are redirected around each step to catch it);
 * `out\ no newline at end` when the output does not end with one. For the API: `status N`,
 * the headers (see record_headers), then the body: JSON pretty-printed with sorted keys
 * (see record_body for why), anything else as sent (`body| `).
 *
 * Normalisation, ONLY of what is random by design (everything else is exact; the clock is
 * fixed). Each rule is applied where the value appears, in any step after it was seen:
 *   N1 <mac>          every audit entry's HMAC (read from the `audit` table of each *.db of
 *                     the run after every step; matched as a whole 64-hex-digit word), so
 *                     audit log hashes, `audit verify` heads and checkpoint lines. A product's
 *                     SHA-256 is also 64 hex digits but is not in the table: it stays.
 *   N2 iomt_<token>   API tokens (iomt_ + base64url), printed once by `token create`.
 *   N3 <token>        session tokens (Set-Cookie iom_session=...) and CSRF tokens
 *                     (csrf_token in the sign-in answer).
 *   N4 <totp-secret>  TOTP secrets: the secret= of every otpauth:// URI and the `secret` of
 *                     the enrolment's JSON, wherever that value appears again.
 *   N5 <password>     generated temporary passwords (`temporary_password`, and the line
 *                     after "temporary password of ..." in the CLI's text).
 *   N6 <request-id>   X-Request-Id (a random per-server prefix and a counter), wherever it
 *                     appears again (problem bodies' request_id).
 *   N7 <cursor>       opaque list cursors: the `next` of a JSON list when not null, and the
 *                     CLI's "(more: --after CURSOR)" line: issue 11 lets them change.
 *   N9 <job>          background job ids (128 random bits): the `id` of a job's answer.
 *   N10 <backup-sha256>  the SHA-256 of a backup (`iom backup`): the database holds salts,
 *                     wrapped keys and tokens drawn at random, so its bytes differ per run.
 *   N11 <backup-bytes>  the size of a backup (`iom backup`, the text's "N bytes" and the
 *                     "bytes" of its JSON): the SQLite run writes database pages, the
 *                     PostgreSQL run (scripts/test-pg.sh) pg_dump's compressed archives, whose
 *                     size also varies with the random bytes above. Both runs share cli.out.
 *   N8 <seconds>      the wall-clock duration `iom conflate` prints ("..., 0.01 s"): the
 *                     conflate engine measures real time and takes no injected clock.
 * Dropped headers: Date (libmicrohttpd's wall clock), Connection and Content-Length (checked
 * against the body instead), the eight constant security headers and X-Request-Id when they
 * have their constant value / form (a deviation is recorded).
 *
 * A source of non-determinism is removed at its root instead of masked (`iom demo` names its
 * product after its tasking, no longer after a temporary file):
 *   - `iom serve` records the process's OS user (getpwuid(getuid())) in audit entries; the
 *     http_config has no field for it. This program defines getpwuid to answer a fixed
 *     user, "golden-os-user" (the CLI's is injected through cli_env.os_user: "golden-cli").
 * A step that runs for more than 60 s ends the program with a message (`iom serve` would
 * block until a signal; the scripts only run its refusals).
 * Also for hermeticity: IOM_AUDIT_KEY is unset (audit_key_path reads the process
 * environment, not cli_env.getenv).
 *
 * Completeness (fails the test, listing what is missing):
 *   CLI: every command listed by `iom help` (parsed from its output, so the check follows the
 *   command table) has a step that succeeds and one that fails (exit != 0), each both in text
 *   and with --json. Exemption: `serve` need not succeed (it serves until a signal).
 *   API: every row of http_routes[] is answered at least once with 2xx and once with 4xx/5xx
 *   (the route matched by http_route_find), and every value of an {action} enum succeeds.
 *
 * IOM_GOLDEN_UPDATE=1 build/test_golden rewrites tests/golden/cli.out and api.out (a variable
 * of this test harness only); review with `git diff tests/golden`.
 */
#define _GNU_SOURCE
/* test_http_support.h defines its helpers static; this program uses a few of them. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "test_http_support.h"

#include <ctype.h>
#include <fcntl.h>
#include <glob.h>
#include <liboath/oath.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "app/job.h"
#include "store/reads_store.h"
#include "app/totp.h"
#include "cli/cli.h"
#include "http/internal.h"
#include "util/buf.h"
#include "util/timefmt.h"

#define DEMO_PW "golden demo password"
#define GOLDEN_DIR IOM_SOURCE_DIR "/tests/golden"

/* ---- the two interposed libc functions (see the header comment) -------------------------- */


/* The process's stderr while a CLI step runs with file descriptor 2 redirected; the
   watchdog writes there. */
static int real_stderr = -1;

/* A step must not block (`serve` would, until a signal): after STEP_TIMEOUT seconds the
   watchdog ends the test program with a message instead of letting ctest wait. */
#define STEP_TIMEOUT 60
static void on_watchdog(int sig)
{
    (void)sig;
    static const char msg[] = "golden: a step ran for more than 60 s (did `iom serve` start?)\n";
    ssize_t w = write(real_stderr >= 0 ? real_stderr : 2, msg, sizeof msg - 1);
    (void)w;
    _exit(2);
}

struct passwd *getpwuid(uid_t uid)
{
    static char name[] = "golden-os-user", pw_passwd[] = "x", dir[] = "/", shell[] = "/bin/false";
    static struct passwd pw;
    pw = (struct passwd){.pw_name = name, .pw_passwd = pw_passwd, .pw_uid = uid, .pw_gid = uid,
                         .pw_gecos = name, .pw_dir = dir, .pw_shell = shell};
    return &pw;
}

/* ---- state of one run ---------------------------------------------------------------------- */

typedef struct kv {
    char *name;
    char *value;
} kv;

typedef struct secret {
    char *value;
    const char *placeholder;
} secret;

typedef struct session {
    char *user;
    char *cookie; /* the iom_session value */
    char *csrf;
} session;

typedef struct dbseen {
    char *path;
    int64_t seq;      /* audit entries read up to */
    int64_t read_seq; /* read-chain entries read up to */
    iom_store *st;    /* PostgreSQL: kept open between steps (a connection per step and
                         database made half the run's time); NULL on SQLite */
} dbseen;

enum { COV_TEXT_OK = 1, COV_TEXT_FAIL = 2, COV_JSON_OK = 4, COV_JSON_FAIL = 8 };
enum { COV_OK = 1, COV_REFUSED = 2 };

typedef struct golden {
    const char *name;           /* "cli" or "api" */
    const char *script;         /* path */
    int line;                   /* script line of the step running */
    char *dir;
    char *oldcwd;
    _Atomic int64_t now;        /* the clock of the step running */
    iom_buf out;                /* the transcript */
    kv *vars;
    size_t nvars;
    secret *secrets;
    size_t nsecrets;
    char **macs;
    size_t nmacs;
    dbseen *dbs;
    size_t ndbs;
    char *last_stdout;
    json_t *last_json;
    char *etag;
    /* CLI coverage: the commands of `iom help` */
    char **cmds;
    unsigned *cmd_cov;
    size_t ncmds;
    /* API */
    http_server *srv;
    uint16_t port;
    FILE *access_log;
    session *sessions;
    size_t nsessions;
    unsigned route_cov[256];
    unsigned action_cov[256][32];
} golden;

static int64_t golden_clock(void *data)
{
    return atomic_load(&((golden *)data)->now);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    iom_buf b = IOM_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        iom_buf_append(&b, chunk, n);
    fclose(f);
    if (len)
        *len = b.len;
    return b.data ? b.data : strdup("");
}

static void write_all(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void die(golden *g, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(golden *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: ", g->script, g->line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    const char *update = getenv("IOM_GOLDEN_UPDATE");
    if (update && strcmp(update, "1") == 0) { /* the transcript so far, to see what went wrong */
        char *path = t_fmt("%s/%s.out", GOLDEN_DIR, g->name);
        write_all(path, g->out.data, g->out.len);
        fprintf(stderr, "golden: wrote the transcript up to this line to %s\n", path);
        free(path);
    }
    fail();
    abort(); /* not reached */
}

/* ---- variables and expansion ---------------------------------------------------------------- */

static const char *var_get(golden *g, const char *name)
{
    for (size_t i = 0; i < g->nvars; i++)
        if (strcmp(g->vars[i].name, name) == 0)
            return g->vars[i].value;
    return NULL;
}

static void var_set(golden *g, const char *name, const char *value)
{
    for (size_t i = 0; i < g->nvars; i++)
        if (strcmp(g->vars[i].name, name) == 0) {
            free(g->vars[i].value);
            g->vars[i].value = strdup(value);
            return;
        }
    g->vars = realloc(g->vars, (g->nvars + 1) * sizeof *g->vars);
    g->vars[g->nvars++] = (kv){strdup(name), strdup(value)};
}

/* ${last.a.0.b}: a value of the last JSON answer, as text (strings unquoted). */
static char *json_path_value(golden *g, const char *path)
{
    json_t *j = g->last_json;
    char *copy = strdup(path);
    for (char *save = NULL, *k = strtok_r(copy, ".", &save); j && k; k = strtok_r(NULL, ".", &save)) {
        if (json_is_array(j)) {
            char *end;
            long i = strtol(k, &end, 10);
            j = *end ? NULL : json_array_get(j, (size_t)i);
        } else {
            j = json_object_get(j, k);
        }
    }
    free(copy);
    if (!j || json_is_null(j)) /* a null `next` is the end of a list: a script error */
        die(g, "${last.%s}: no such value (or null) in the last JSON answer", path);
    if (json_is_string(j))
        return strdup(json_string_value(j));
    if (json_is_integer(j))
        return t_fmt("%" JSON_INTEGER_FORMAT, json_integer_value(j));
    return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

static char *totp_now(golden *g, const char *b32)
{
    char *raw = NULL;
    size_t n = 0;
    if (oath_base32_decode(b32, strlen(b32), &raw, &n) != OATH_OK)
        die(g, "${totp:...}: '%s' is not base32", b32);
    char code[16];
    iom_error e = {0};
    assert_int_equal(totp_code((const unsigned char *)raw, n, atomic_load(&g->now), 6, code, &e), IOM_OK);
    free(raw);
    return strdup(code);
}

/* The value of ${name}; malloc'd. */
static char *resolve(golden *g, const char *name)
{
    if (strcmp(name, "etag") == 0) {
        if (!g->etag)
            die(g, "${etag}: no ETag answered yet");
        return strdup(g->etag);
    }
    if (strcmp(name, "stdout") == 0)
        return strdup(g->last_stdout ? g->last_stdout : "");
    if (strncmp(name, "last.", 5) == 0)
        return json_path_value(g, name + 5);
    if (strncmp(name, "totp:", 5) == 0) {
        const char *s = var_get(g, name + 5);
        if (!s)
            die(g, "${%s}: no variable '%s'", name, name + 5);
        return totp_now(g, s);
    }
    const char *v = var_get(g, name);
    if (!v)
        die(g, "${%s}: not set", name);
    return strdup(v);
}

/* At p == "${": appends the value to b; returns the position after the closing brace. */
static const char *expand_at(golden *g, const char *p, iom_buf *b)
{
    const char *end = strchr(p, '}');
    if (!end)
        die(g, "unterminated ${");
    char *name = strndup(p + 2, (size_t)(end - p - 2));
    char *v = resolve(g, name);
    iom_buf_puts(b, v);
    free(v);
    free(name);
    return end + 1;
}

/* Expands ${...} in s; with unescape, also \n \t \\ \$ (for <<< and raw: texts). */
static char *expand(golden *g, const char *s, bool unescape)
{
    iom_buf b = IOM_BUF_INIT;
    iom_buf_puts(&b, "");
    for (const char *p = s; *p;) {
        if (p[0] == '$' && p[1] == '{') {
            p = expand_at(g, p, &b);
        } else if (unescape && p[0] == '\\' && p[1]) {
            char c = p[1] == 'n' ? '\n' : p[1] == 't' ? '\t' : p[1];
            iom_buf_putc(&b, c);
            p += 2;
        } else {
            iom_buf_putc(&b, *p++);
        }
    }
    return b.data;
}

/* One shell-like word at *pp (quotes, backslash, ${}); NULL at the end of the line. */
static char *next_word(golden *g, const char **pp)
{
    const char *p = *pp;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) {
        *pp = p;
        return NULL;
    }
    iom_buf b = IOM_BUF_INIT;
    iom_buf_puts(&b, "");
    while (*p && *p != ' ' && *p != '\t') {
        if (*p == '\'') {
            const char *q = strchr(p + 1, '\'');
            if (!q)
                die(g, "unterminated '");
            iom_buf_append(&b, p + 1, (size_t)(q - p - 1));
            p = q + 1;
        } else if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (p[0] == '$' && p[1] == '{')
                    p = expand_at(g, p, &b);
                else if (p[0] == '\\' && p[1]) {
                    iom_buf_putc(&b, p[1] == 'n' ? '\n' : p[1] == 't' ? '\t' : p[1]);
                    p += 2;
                } else
                    iom_buf_putc(&b, *p++);
            }
            if (*p != '"')
                die(g, "unterminated \"");
            p++;
        } else if (p[0] == '$' && p[1] == '{') {
            p = expand_at(g, p, &b);
        } else if (p[0] == '\\' && p[1]) {
            iom_buf_putc(&b, p[1]);
            p += 2;
        } else {
            iom_buf_putc(&b, *p++);
        }
    }
    *pp = p;
    return b.data;
}

/* ---- normalisation ---------------------------------------------------------------------------- */

static void learn(golden *g, const char *value, const char *placeholder)
{
    if (!value || strlen(value) < 8)
        return;
    for (size_t i = 0; i < g->nsecrets; i++)
        if (strcmp(g->secrets[i].value, value) == 0)
            return;
    g->secrets = realloc(g->secrets, (g->nsecrets + 1) * sizeof *g->secrets);
    g->secrets[g->nsecrets++] = (secret){strdup(value), placeholder};
}

/* N4: the secret= of every otpauth:// URI in text. */
static void learn_otpauth(golden *g, const char *text)
{
    for (const char *p = text; (p = strstr(p, "otpauth://")) != NULL; p++) {
        const char *s = strstr(p, "secret=");
        if (!s)
            break;
        s += 7;
        size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        char *v = strndup(s, n);
        learn(g, v, "<totp-secret>");
        free(v);
    }
}

/* N3, N4, N5 from a JSON document (CLI --json output or API body). */
static void learn_json(golden *g, json_t *j)
{
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) learn_json(g, v);
        return;
    }
    if (!json_is_object(j))
        return;
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        if (json_is_string(v)) {
            if (strcmp(k, "csrf_token") == 0)
                learn(g, json_string_value(v), "<token>");
            else if (strcmp(k, "secret") == 0)
                learn(g, json_string_value(v), "<totp-secret>");
            else if (strcmp(k, "temporary_password") == 0)
                learn(g, json_string_value(v), "<password>");
            else if (strcmp(k, "sha256") == 0 && json_object_get(j, "reads")) /* N10: a backup */
                learn(g, json_string_value(v), "<backup-sha256>");
            else if (strcmp(k, "id") == 0 && json_is_string(json_object_get(j, "kind")) &&
                     json_object_get(j, "phase"))
                learn(g, json_string_value(v), "<job>");
        } else {
            learn_json(g, v);
        }
    }
}

/* N5 in the CLI's text: the line after "temporary password of ...". */
static void learn_text(golden *g, const char *text)
{
    const char *p = strstr(text, "temporary password of ");
    if (p && (p = strchr(p, '\n')) != NULL) {
        p++;
        char *v = strndup(p, strcspn(p, "\n"));
        learn(g, v, "<password>");
        free(v);
    }
    /* N10: "backup FILE (and FILE.reads): N bytes, schema S, sha256 HEX" */
    if (strncmp(text, "backup ", 7) == 0 && (p = strstr(text, ", sha256 ")) != NULL) {
        p += 9;
        char *v = strndup(p, strspn(p, "0123456789abcdef"));
        learn(g, v, "<backup-sha256>");
        free(v);
    }
    learn_otpauth(g, text);
}

typedef struct mac_sink {
    golden *g;
    int64_t *seq;
} mac_sink;

static int mac_seen(void *data, const iom_audit_t *en)
{
    mac_sink *k = data;
    *k->seq = en->seq;
    k->g->macs = realloc(k->g->macs, (k->g->nmacs + 1) * sizeof *k->g->macs);
    k->g->macs[k->g->nmacs++] = strdup(en->hash);
    return 0;
}

/* N1 in a PostgreSQL run (tests/pg/pgmap.c): the database behind the path, through the store. */
static void read_macs_store(golden *g, dbseen *d)
{
    iom_error e = {0};
    mac_sink change = {g, &d->seq}, reads = {g, &d->read_seq};
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!d->st && iom_store_open(d->path, IOM_STORE_ANY_SCHEMA, &d->st, &e) != IOM_OK) {
            d->st = NULL;
            return;
        }
        /* each scan its own statement: it sees every step committed before it */
        if (d->st->ops->audit_scan(d->st, NULL, d->seq, mac_seen, &change, &e) == IOM_OK &&
            d->st->ops->reads->scan(d->st, d->read_seq, mac_seen, &reads, &e) == IOM_OK)
            return;
        iom_store_close(d->st); /* the database was restored over, say: open it again */
        d->st = NULL;
    }
}

/* N1: the audit MACs of every database of the run, read after each step. */
static void read_macs(golden *g)
{
    glob_t gl;
    if (glob("*.db", 0, NULL, &gl) != 0)
        return;
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        dbseen *d = NULL;
        for (size_t k = 0; k < g->ndbs; k++)
            if (strcmp(g->dbs[k].path, gl.gl_pathv[i]) == 0)
                d = &g->dbs[k];
        if (!d) {
            g->dbs = realloc(g->dbs, (g->ndbs + 1) * sizeof *g->dbs);
            d = &g->dbs[g->ndbs++];
            *d = (dbseen){strdup(gl.gl_pathv[i]), 0, 0};
        }
        if (getenv("IOM_TEST_PG_SOCKDIR")) {
            read_macs_store(g, d);
            continue;
        }
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        if (sqlite3_open_v2(d->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit WHERE seq > ? ORDER BY seq", -1, &st,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, d->seq);
            while (sqlite3_step(st) == SQLITE_ROW) {
                d->seq = sqlite3_column_int64(st, 0);
                g->macs = realloc(g->macs, (g->nmacs + 1) * sizeof *g->macs);
                g->macs[g->nmacs++] = strdup((const char *)sqlite3_column_text(st, 1));
            }
        }
        sqlite3_finalize(st);
        st = NULL;
        /* the read chain's MACs (issue 14), in <db>.reads */
        char *reads = t_fmt("%s.reads", d->path);
        sqlite3_close(db);
        db = NULL;
        if (sqlite3_open_v2(reads, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT seq, hash FROM read_log WHERE seq > ? ORDER BY seq", -1,
                               &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, d->read_seq);
            while (sqlite3_step(st) == SQLITE_ROW) {
                d->read_seq = sqlite3_column_int64(st, 0);
                g->macs = realloc(g->macs, (g->nmacs + 1) * sizeof *g->macs);
                g->macs[g->nmacs++] = strdup((const char *)sqlite3_column_text(st, 1));
            }
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        free(reads);
    }
    globfree(&gl);
}

static bool is_mac(golden *g, const char *p)
{
    for (size_t i = g->nmacs; i-- > 0;)
        if (memcmp(g->macs[i], p, 64) == 0)
            return true;
    return false;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Applies N1..N11 to text; malloc'd. */
static char *normalise(golden *g, const char *text)
{
    iom_buf b = IOM_BUF_INIT;
    iom_buf_puts(&b, "");
    const char *p = text;
    while (*p) {
        bool start = p == text || !word_char(p[-1]);
        /* N1 */
        if (start && isxdigit((unsigned char)*p)) {
            size_t n = 0;
            while (isxdigit((unsigned char)p[n]))
                n++;
            if (n == 64 && !word_char(p[64]) && is_mac(g, p)) {
                iom_buf_puts(&b, "<mac>");
                p += 64;
                continue;
            }
        }
        /* N2 */
        if (start && strncmp(p, "iomt_", 5) == 0) {
            size_t n = 5;
            while (word_char(p[n]))
                n++;
            if (n > 5) {
                iom_buf_puts(&b, "iomt_<token>");
                p += n;
                continue;
            }
        }
        /* N3..N6 */
        bool hit = false;
        for (size_t i = 0; i < g->nsecrets && !hit; i++) {
            size_t n = strlen(g->secrets[i].value);
            if (strncmp(p, g->secrets[i].value, n) == 0) {
                iom_buf_puts(&b, g->secrets[i].placeholder);
                p += n;
                hit = true;
            }
        }
        if (hit)
            continue;
        /* N7, the CLI's text and its JSON as printed */
        static const char *const cursor_marks[] = {"(more: --after ", "\"next\": \""};
        for (size_t i = 0; i < 2 && !hit; i++) {
            size_t n = strlen(cursor_marks[i]);
            if (strncmp(p, cursor_marks[i], n) == 0) {
                size_t v = strcspn(p + n, i == 0 ? ")\n" : "\"\n");
                iom_buf_append(&b, p, n);
                iom_buf_puts(&b, "<cursor>");
                p += n + v;
                hit = true;
            }
        }
        if (hit)
            continue;
        /* N11: "backup F (and F.reads): N bytes, schema ..." and a backup's JSON "bytes" */
        if (strncmp(p, ".reads): ", 9) == 0 && isdigit((unsigned char)p[9])) {
            size_t n = 9 + strspn(p + 9, "0123456789");
            if (strncmp(p + n, " bytes, schema ", 15) == 0) {
                iom_buf_puts(&b, ".reads): <backup-bytes>");
                p += n;
                continue;
            }
        }
        if (strncmp(p, "\"bytes\": ", 9) == 0 && isdigit((unsigned char)p[9])) {
            const char *open = p;
            while (open > text && *open != '{')
                open--;
            const char *reads = strstr(open, "\"reads\": \"");
            if (reads && reads < p) {
                iom_buf_puts(&b, "\"bytes\": <backup-bytes>");
                p += 9 + strspn(p + 9, "0123456789");
                continue;
            }
        }
        /* N8: "iom conflate: ... skipped lines, 0.01 s" */
        if (strncmp(p, " skipped lines, ", 16) == 0 && isdigit((unsigned char)p[16])) {
            size_t n = 16 + strspn(p + 16, "0123456789.");
            if (strncmp(p + n, " s\n", 3) == 0) {
                iom_buf_puts(&b, " skipped lines, <seconds>");
                p += n;
                continue;
            }
        }
        iom_buf_putc(&b, *p++);
    }
    return b.data;
}

/* Appends text to the transcript, each line prefixed; marks a missing final newline. */
static void record_lines(golden *g, const char *prefix, const char *text)
{
    if (!text || !*text)
        return;
    char *norm = normalise(g, text);
    const char *p = norm;
    while (*p) {
        size_t n = strcspn(p, "\n");
        iom_buf_printf(&g->out, "%s| %.*s\n", prefix, (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
        else
            iom_buf_printf(&g->out, "%s\\ no newline at end\n", prefix);
    }
    free(norm);
}

/* ---- CLI steps --------------------------------------------------------------------------------- */

static char *stream_text(FILE *f, char **buf)
{
    fclose(f);
    return *buf ? *buf : strdup("");
}

/* The command of `iom help` that args (without global options) name, or -1. */
static long command_of(golden *g, char **args, int n, bool *json)
{
    const char *w[3] = {NULL, NULL, NULL};
    int nw = 0;
    *json = false;
    for (int i = 0; i < n; i++) {
        const char *a = args[i];
        if (strcmp(a, "--json") == 0) {
            *json = true;
        } else if (strcmp(a, "--db") == 0 || strcmp(a, "--as") == 0 || strcmp(a, "--purpose") == 0) {
            i++;
        } else if (strncmp(a, "--db=", 5) == 0 || strncmp(a, "--as=", 5) == 0 ||
                   strncmp(a, "--purpose=", 10) == 0) {
            continue;
        } else if (nw < 3) {
            w[nw++] = a;
        }
    }
    if (nw == 0)
        w[0] = "help";
    for (size_t i = 0; nw == 3 && i < g->ncmds; i++) { /* `entity review list` */
        char *three = t_fmt("%s %s %s", w[0], w[1], w[2]);
        bool eq = strcmp(g->cmds[i], three) == 0;
        free(three);
        if (eq)
            return (long)i;
    }
    for (size_t i = 0; nw >= 2 && i < g->ncmds; i++) {
        char *two = t_fmt("%s %s", w[0], w[1]);
        bool eq = strcmp(g->cmds[i], two) == 0;
        free(two);
        if (eq)
            return (long)i;
    }
    for (size_t i = 0; i < g->ncmds; i++)
        if (strcmp(g->cmds[i], w[0]) == 0)
            return (long)i;
    return -1;
}

typedef struct cli_out {
    int rc;
    char *out, *err, *leak_out, *leak_err;
} cli_out;

/* Runs `iom --db iom.db [--as user] args...` in-process with the golden clock. */
static cli_out cli_exec(golden *g, const char *user, char **args, int nargs, const char *in_text)
{
    char **argv = calloc((size_t)nargs + 6, sizeof *argv);
    int argc = 0;
    argv[argc++] = "iom";
    argv[argc++] = "--db";
    argv[argc++] = "iom.db";
    if (user) {
        argv[argc++] = "--as";
        argv[argc++] = (char *)user;
    }
    for (int i = 0; i < nargs; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;

    char *obuf = NULL, *ebuf = NULL;
    size_t olen = 0, elen = 0;
    FILE *o = open_memstream(&obuf, &olen), *e = open_memstream(&ebuf, &elen);
    FILE *in = in_text ? fmemopen((void *)in_text, strlen(in_text), "r") : fopen("/dev/null", "r");
    assert_non_null(o);
    assert_non_null(e);
    assert_non_null(in);
    cli_env env = {.in = in, .out = o, .err = e, .clock = golden_clock, .clock_data = g,
                   .os_user = "golden-cli", .getenv = NULL,
                   .pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN,
                   .pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN};
    /* Anything written to the process's own stdout/stderr lands in these files. */
    fflush(stdout);
    fflush(stderr);
    int saved1 = dup(1), saved2 = dup(2);
    int f1 = open(".leak-stdout", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int f2 = open(".leak-stderr", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(saved1 >= 0 && saved2 >= 0 && f1 >= 0 && f2 >= 0);
    dup2(f1, 1);
    dup2(f2, 2);
    real_stderr = saved2;
    alarm(STEP_TIMEOUT);
    cli_out r = {0};
    r.rc = cli_run(&env, argc, argv);
    alarm(0);
    real_stderr = -1;
    fflush(stdout);
    fflush(stderr);
    dup2(saved1, 1);
    dup2(saved2, 2);
    close(saved1);
    close(saved2);
    close(f1);
    close(f2);
    fclose(in);
    r.out = stream_text(o, &obuf);
    r.err = stream_text(e, &ebuf);
    r.leak_out = read_all(".leak-stdout", NULL);
    r.leak_err = read_all(".leak-stderr", NULL);
    unlink(".leak-stdout");
    unlink(".leak-stderr");
    free(argv);
    return r;
}

static void free_words(char **w, int n)
{
    for (int i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

/* `as USER: ARGS [<<< STDIN]` or `run: ARGS`. */
static void cli_step(golden *g, const char *line, const char *user, const char *rest)
{
    char **args = NULL;
    int nargs = 0;
    char *in_text = NULL;
    const char *p = rest;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "<<<", 3) == 0 && (p[3] == ' ' || p[3] == '\0')) {
            char *t = expand(g, p[3] ? p + 4 : p + 3, true);
            in_text = t_fmt("%s\n", t);
            free(t);
            break;
        }
        char *w = next_word(g, &p);
        if (!w)
            break;
        args = realloc(args, (size_t)(nargs + 1) * sizeof *args);
        args[nargs++] = w;
    }
    bool json;
    long cmd = command_of(g, args, nargs, &json);

    cli_out r = cli_exec(g, user, args, nargs, in_text);
    free(in_text);

    json_decref(g->last_json);
    g->last_json = json_loads(r.out, JSON_DECODE_ANY, NULL);
    free(g->last_stdout);
    g->last_stdout = strdup(r.out);
    if (g->last_json)
        learn_json(g, g->last_json);
    learn_text(g, r.out);
    learn_text(g, r.err);
    learn_text(g, r.leak_out);
    read_macs(g);

    iom_buf_printf(&g->out, "$ %s\nexit %d\n", line, r.rc);
    record_lines(g, "out", r.out);
    record_lines(g, "err", r.err);
    record_lines(g, "OUT", r.leak_out);
    record_lines(g, "ERR", r.leak_err);
    iom_buf_puts(&g->out, "\n");

    if (cmd >= 0)
        g->cmd_cov[cmd] |= json ? (r.rc ? COV_JSON_FAIL : COV_JSON_OK) : (r.rc ? COV_TEXT_FAIL : COV_TEXT_OK);
    free(r.out);
    free(r.err);
    free(r.leak_out);
    free(r.leak_err);
    free_words(args, nargs);
}

/* The commands listed by `iom help`: the lines between "commands:" and the blank line. */
static void load_commands(golden *g)
{
    char *args[] = {"help"};
    cli_out r = cli_exec(g, NULL, args, 1, NULL);
    assert_int_equal(r.rc, 0);
    const char *p = strstr(r.out, "\ncommands:\n");
    assert_non_null(p);
    p += strlen("\ncommands:\n");
    while (*p && *p != '\n') {
        const char *end = strchr(p, '\n');
        assert_non_null(end);
        /* "  tasking new          summary": the name ends at two spaces */
        const char *name = p + strspn(p, " ");
        const char *stop = strstr(name, "  ");
        if (!stop || stop > end)
            stop = end;
        char *key = strndup(name, (size_t)(stop - name));
        char *br = strstr(key, " ["); /* "help [COMMAND]" */
        if (br)
            *br = '\0';
        g->cmds = realloc(g->cmds, (g->ncmds + 1) * sizeof *g->cmds);
        g->cmds[g->ncmds++] = key;
        p = end + 1;
    }
    g->cmd_cov = calloc(g->ncmds, sizeof *g->cmd_cov);
    free(r.out);
    free(r.err);
    free(r.leak_out);
    free(r.leak_err);
}

/* ---- API steps --------------------------------------------------------------------------------- */

static session *session_of(golden *g, const char *user, bool create)
{
    for (size_t i = 0; i < g->nsessions; i++)
        if (strcmp(g->sessions[i].user, user) == 0)
            return &g->sessions[i];
    if (!create)
        return NULL;
    g->sessions = realloc(g->sessions, (g->nsessions + 1) * sizeof *g->sessions);
    session *s = &g->sessions[g->nsessions++];
    *s = (session){strdup(user), NULL, NULL};
    return s;
}

static void serve(golden *g)
{
    char *logp = t_fmt("%s/access.log", g->dir);
    g->access_log = fopen(logp, "w+");
    free(logp);
    assert_non_null(g->access_log);
    /* One worker thread: the client sends one request at a time anyway (Connection: close). */
    http_config cfg = {.db_path = "iom.db", .listen = "127.0.0.1:0", .threads = 1,
                       .conn_timeout = 10, .clock = golden_clock, .clock_data = g,
                       .pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN,
                       .pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN, .access_log = g->access_log,
                       .shutdown_grace = 1};
    iom_error e = {0};
    iom_err err = http_server_start(&cfg, &g->srv, &e);
    if (err)
        die(g, "server: %s", e.msg);
    g->port = http_server_port(g->srv);
}

typedef struct header {
    char *name, *value;
} header;

static int header_cmp(const void *a, const void *b)
{
    return strcasecmp(((const header *)a)->name, ((const header *)b)->name);
}

/* Headers of the answer, in name order, recorded except those of the rule in the header
   comment: the constant ones (a missing or different one is recorded), Date, Connection,
   Content-Length (checked against the body). */
static void record_headers(golden *g, const hresp *r)
{
    static const char *const constant[][2] = {
        {"Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cache-Control", "no-store"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
        {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
    };
    bool seen[sizeof constant / sizeof constant[0]] = {false};
    header *h = NULL;
    size_t n = 0;
    const char *p = strstr(r->head, "\r\n");
    while (p) {
        const char *line = p + 2;
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *colon = memchr(line, ':', len);
        if (colon) {
            char *name = strndup(line, (size_t)(colon - line));
            const char *v = colon + 1;
            while (*v == ' ')
                v++;
            char *value = strndup(v, len - (size_t)(v - line));
            bool keep = true;
            for (size_t i = 0; i < sizeof constant / sizeof constant[0]; i++)
                if (strcasecmp(name, constant[i][0]) == 0 && strcmp(value, constant[i][1]) == 0)
                    seen[i] = true, keep = false;
            if (strcasecmp(name, "Date") == 0 || strcasecmp(name, "Connection") == 0)
                keep = false;
            if (strcasecmp(name, "Content-Length") == 0 &&
                strtoull(value, NULL, 10) == strlen(r->body))
                keep = false;
            if (strcasecmp(name, "X-Request-Id") == 0 && strlen(value) == 16 &&
                strspn(value, "0123456789abcdef") == 16)
                keep = false;
            if (keep) {
                h = realloc(h, (n + 1) * sizeof *h);
                h[n++] = (header){name, value};
            } else {
                free(name);
                free(value);
            }
        }
        p = end;
    }
    qsort(h, n, sizeof *h, header_cmp);
    for (size_t i = 0; i < sizeof constant / sizeof constant[0]; i++)
        if (!seen[i])
            iom_buf_printf(&g->out, "(missing or changed: %s)\n", constant[i][0]);
    for (size_t i = 0; i < n; i++) {
        char *line = t_fmt("%s: %s", h[i].name, h[i].value);
        char *norm = normalise(g, line);
        iom_buf_printf(&g->out, "%s\n", norm);
        free(norm);
        free(line);
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
}

/* N7 for API bodies: a list's `next`, when not null. */
static void cursor_placeholders(json_t *j)
{
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_array(j)) {
        json_array_foreach(j, i, v) cursor_placeholders(v);
    } else if (json_is_object(j)) {
        json_object_foreach(j, k, v) {
            if (strcmp(k, "next") == 0 && !json_is_null(v))
                json_object_set_new(j, k, json_string("<cursor>"));
            else
                cursor_placeholders(v);
        }
    }
}

/* Every answer iom itself makes (issue 13 point 6) carries the security headers, and every
   refusal is an RFC 9457 problem: application/problem+json with type, title and status equal
   to the HTTP status. A breach fails the test at once, whatever the transcript says. */
static void answer_contract(golden *g, const hresp *r)
{
    static const char *const must[] = {"Content-Security-Policy", "X-Content-Type-Options",
                                       "Referrer-Policy", "X-Frame-Options", "Cache-Control",
                                       "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy",
                                       "Permissions-Policy"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
        char *v = hw_header(r, must[i]);
        if (!v)
            die(g, "the answer has no %s header", must[i]);
        free(v);
    }
    if (r->status < 400)
        return;
    char *ct = hw_header(r, "Content-Type");
    bool problem = ct && strcmp(ct, "application/problem+json") == 0;
    free(ct);
    json_t *j = problem ? json_loads(r->body, 0, NULL) : NULL;
    bool ok = j && json_is_string(json_object_get(j, "type")) &&
              json_is_string(json_object_get(j, "title")) &&
              json_integer_value(json_object_get(j, "status")) == r->status;
    json_decref(j);
    if (!ok)
        die(g, "status %d is not an application/problem+json body with type, title and status",
            r->status);
}

/* The body. JSON is pretty-printed with sorted keys: key order is not part of a JSON
   object's meaning and the refactor will produce the objects from one table (possibly in
   another order); one value per line makes a diff name the field that changed. Reals with
   15 significant digits (17.6, not 17.600000000000001). Anything else as sent. The CLI's
   --json output, by contrast, is recorded byte for byte: it is what a user sees. */
static void record_body(golden *g, const hresp *r)
{
    char *ct = hw_header(r, "Content-Type");
    bool is_json = ct && (strcmp(ct, "application/json") == 0 || strcmp(ct, "application/problem+json") == 0);
    free(ct);
    if (!*r->body)
        return;
    if (is_json) {
        json_error_t je;
        json_t *j = json_loads(r->body, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
        if (j) {
            cursor_placeholders(j);
            char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
            char *nl = t_fmt("%s\n", s); /* re-serialised: whether the sender ended it with a
                                            newline is not recorded */
            record_lines(g, "body", nl);
            free(nl);
            free(s);
            json_decref(j);
            return;
        }
        iom_buf_printf(&g->out, "(not valid JSON: %s, line %d column %d)\n", je.text, je.line, je.column);
    }
    record_lines(g, "body", r->body);
}

static bool is_method(const char *w)
{
    static const char *const m[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(w, m[i]) == 0)
            return true;
    return false;
}

/* Sends one request (Connection: close) and reads the answer. */
static hresp send_request(golden *g, const char *method, const char *path, const char *headers,
                          const char *body, size_t blen)
{
    iom_buf req = IOM_BUF_INIT;
    iom_buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                         "Content-Length: %zu\r\n\r\n", method, path, headers, blen);
    if (blen)
        iom_buf_append(&req, body, blen);
    hworld w = {.port = g->port};
    alarm(STEP_TIMEOUT);
    hresp r = hw_raw(&w, req.data, req.len);
    alarm(0);
    iom_buf_free(&req);
    if (!r.head) {
        r.head = strdup("");
        r.body = strdup("");
    }
    return r;
}

static void api_coverage(golden *g, const char *method, const char *target, int status)
{
    char *path = strndup(target, strcspn(target, "?"));
    iom_arena a;
    iom_arena_init(&a);
    const char *names[HTTP_MAX_PARAMS], *values[HTTP_MAX_PARAMS];
    int np = 0;
    bool known = false;
    const http_route *rt = http_route_find(method, path, &a, names, values, &np, &known);
    if (rt) {
        size_t i = (size_t)(rt - http_routes);
        bool ok = status >= 200 && status < 300;
        g->route_cov[i] |= ok ? COV_OK : status >= 400 ? COV_REFUSED : 0;
        for (int k = 0; ok && rt->enums && k < np; k++)
            if (strcmp(names[k], "action") == 0)
                for (size_t e = 0; rt->enums[e]; e++)
                    if (strcmp(rt->enums[e], values[k]) == 0)
                        g->action_cov[i][e] |= COV_OK;
    }
    iom_arena_free(&a);
    free(path);
}

/* After an answer: learn its random values (N3..N6), keep ETag and JSON for ${...}, record. */
static void api_record(golden *g, const char *line, hresp *r)
{
    char *cookie = hw_header(r, "Set-Cookie");
    if (cookie && strncmp(cookie, "iom_session=", 12) == 0) {
        char *v = strndup(cookie + 12, strcspn(cookie + 12, ";"));
        learn(g, v, "<token>");
        free(v);
    }
    free(cookie);
    char *rid = hw_header(r, "X-Request-Id");
    learn(g, rid, "<request-id>");
    free(rid);
    char *etag = hw_header(r, "ETag");
    if (etag) {
        free(g->etag);
        g->etag = etag;
    }
    json_decref(g->last_json);
    g->last_json = json_loads(r->body, JSON_DECODE_ANY, NULL);
    if (g->last_json)
        learn_json(g, g->last_json);
    learn_otpauth(g, r->body);
    read_macs(g);

    iom_buf_printf(&g->out, "> %s\nstatus %d\n", line, r->status);
    record_headers(g, r);
    record_body(g, r);
    answer_contract(g, r);
    iom_buf_puts(&g->out, "\n");
}

/* `login USER [password=P] [totp=CODE]` */
static void api_login(golden *g, const char *line, const char *rest)
{
    const char *p = rest;
    char *user = next_word(g, &p), *password = strdup(DEMO_PW), *totp = NULL;
    if (!user)
        die(g, "login: a user name is needed");
    for (char *w; (w = next_word(g, &p)) != NULL; free(w)) {
        if (strncmp(w, "password=", 9) == 0) {
            free(password);
            password = strdup(w + 9);
        } else if (strncmp(w, "totp=", 5) == 0) {
            free(totp);
            totp = strdup(w + 5);
        } else
            die(g, "login: unknown option '%s'", w);
    }
    json_t *body = json_pack("{s:s, s:s}", "username", user, "password", password);
    if (totp)
        json_object_set_new(body, "totp", json_string(totp));
    char *text = json_dumps(body, JSON_COMPACT);
    hresp r = send_request(g, "POST", "/api/v1/session", "Content-Type: application/json\r\n", text,
                           strlen(text));
    api_coverage(g, "POST", "/api/v1/session", r.status);
    if (r.status == 201) {
        session *s = session_of(g, user, true);
        char *c = hw_header(&r, "Set-Cookie");
        json_t *j = json_loads(r.body, 0, NULL);
        assert_non_null(c);
        assert_non_null(j);
        free(s->cookie);
        free(s->csrf);
        s->cookie = strndup(c + 12, strcspn(c + 12, ";"));
        s->csrf = strdup(json_string_value(json_object_get(j, "csrf_token")));
        json_decref(j);
        free(c);
    }
    api_record(g, line, &r);
    hresp_free(&r);
    free(text);
    json_decref(body);
    free(user);
    free(password);
    free(totp);
}

/* `WHO METHOD PATH [OPTION...] [BODY]` */
static void api_step(golden *g, const char *line)
{
    const char *p = line;
    char *who = next_word(g, &p), *method = next_word(g, &p), *path = next_word(g, &p);
    if (!path)
        die(g, "a request needs WHO METHOD PATH");
    iom_buf h = IOM_BUF_INIT;
    iom_buf_puts(&h, "");
    bool csrf = true; /* with a session cookie, every request carries the CSRF token (reads too) */
    const char *csrf_value = NULL;
    char *ctype = NULL, *body = NULL, *csrf_opt = NULL;
    bool raw = false;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == '{' || *p == '[') {
            body = expand(g, p, false);
            break;
        }
        if (strncmp(p, "raw:", 4) == 0) {
            body = expand(g, p + 4, true);
            raw = true;
            break;
        }
        char *w = next_word(g, &p);
        if (!w)
            break;
        if (strncmp(w, "if-match=", 9) == 0)
            iom_buf_printf(&h, "If-Match: %s\r\n", w + 9);
        else if (strncmp(w, "purpose=", 8) == 0)
            iom_buf_printf(&h, "X-Iom-Purpose: %s\r\n", w + 8);
        else if (strncmp(w, "content-type=", 13) == 0) {
            free(ctype);
            ctype = strdup(w + 13);
        } else if (strcmp(w, "no-csrf") == 0)
            csrf = false;
        else if (strncmp(w, "csrf=", 5) == 0) {
            free(csrf_opt);
            csrf_opt = strdup(w + 5);
        } else
            die(g, "unknown request option '%s'", w);
        free(w);
    }
    if (strncmp(who, "bearer:", 7) == 0) {
        iom_buf_printf(&h, "Authorization: Bearer %s\r\n", who + 7);
    } else if (strcmp(who, "-") != 0) {
        session *s = session_of(g, who, false);
        if (!s)
            die(g, "'%s' has not signed in (login %s)", who, who);
        iom_buf_printf(&h, "Cookie: iom_session=%s\r\n", s->cookie);
        csrf_value = s->csrf;
    }
    if (csrf && (csrf_opt || csrf_value))
        iom_buf_printf(&h, "X-CSRF-Token: %s\r\n", csrf_opt ? csrf_opt : csrf_value);
    if (body)
        iom_buf_printf(&h, "Content-Type: %s\r\n", ctype ? ctype : raw ? "application/octet-stream" : "application/json");
    hresp r = send_request(g, method, path, h.data, body, body ? strlen(body) : 0);
    api_coverage(g, method, path, r.status);
    api_record(g, line, &r);
    hresp_free(&r);
    iom_buf_free(&h);
    free(who);
    free(method);
    free(path);
    free(ctype);
    free(body);
    free(csrf_opt);
}

/* ---- the script ------------------------------------------------------------------------------ */

static void set_clock(golden *g, const char *text)
{
    int64_t t;
    iom_error e = {0};
    if (iom_time_parse("clock", text, &t, &e))
        die(g, "%s", e.msg);
    atomic_store(&g->now, t);
}

/* `file NAME <<< TEXT` */
static void make_file(golden *g, const char *line, const char *rest)
{
    const char *p = rest;
    char *name = next_word(g, &p);
    while (*p == ' ')
        p++;
    if (!name || (*p && strncmp(p, "<<<", 3) != 0))
        die(g, "file NAME [<<< TEXT]");
    char *text = expand(g, *p ? p + 3 + (p[3] == ' ') : p, true);
    char *withnl = *p ? t_fmt("%s\n", text) : strdup(""); /* `file NAME`: an empty file */
    write_all(name, withnl, strlen(withnl));
    iom_buf_printf(&g->out, "$ file %s\n\n", name);
    (void)line;
    free(withnl);
    free(text);
    free(name);
}

static void run_line(golden *g, const char *line)
{
    if (!*line || (line[0] == '#' && line[1] != '#'))
        return;
    if (strncmp(line, "##", 2) == 0) {
        iom_buf_printf(&g->out, "%s\n\n", line);
        return;
    }
    if (strncmp(line, "clock ", 6) == 0) {
        set_clock(g, line + 6);
        iom_buf_printf(&g->out, "%s\n\n", line);
        return;
    }
    if (strncmp(line, "let ", 4) == 0) {
        const char *eq = strstr(line, " = ");
        if (!eq)
            die(g, "let NAME = TEXT");
        char *name = strndup(line + 4, (size_t)(eq - line - 4));
        char *v = expand(g, eq + 3, false);
        var_set(g, name, v);
        free(v);
        free(name);
        return;
    }
    if (strncmp(line, "file ", 5) == 0) {
        make_file(g, line, line + 5);
        return;
    }
    if (strncmp(line, "cat ", 4) == 0) { /* a file a step wrote */
        char *text = read_all(line + 4, NULL);
        iom_buf_printf(&g->out, "$ %s\n", line);
        if (!text)
            iom_buf_puts(&g->out, "(no such file)\n");
        record_lines(g, "file", text);
        iom_buf_puts(&g->out, "\n");
        free(text);
        return;
    }
    /* the steps: each runs at the clock, which then moves on by one second */
    if (strncmp(line, "as ", 3) == 0) {
        const char *colon = strstr(line, ": ");
        if (!colon)
            die(g, "as USER: ARGS");
        char *user = strndup(line + 3, (size_t)(colon - line - 3));
        cli_step(g, line, user, colon + 2);
        free(user);
    } else if (strncmp(line, "run: ", 5) == 0) {
        cli_step(g, line, NULL, line + 5);
    } else if (strcmp(line, "settle") == 0) { /* the background jobs have ended */
        assert_int_equal(app_jobs_drain(60), 0);
        iom_buf_printf(&g->out, "%s\n\n", line);
        return;
    } else if (strcmp(line, "serve") == 0) {
        serve(g);
        iom_buf_printf(&g->out, "%s\n\n", line);
        return;
    } else if (strncmp(line, "login ", 6) == 0) {
        api_login(g, line, line + 6);
    } else {
        const char *p = line;
        char *w1 = next_word(g, &p), *w2 = next_word(g, &p);
        bool req = w2 && is_method(w2);
        free(w1);
        free(w2);
        if (!req)
            die(g, "unknown line: %s", line);
        api_step(g, line);
    }
    atomic_fetch_add(&g->now, 1);
}

static void run_script(golden *g)
{
    char *text = read_all(g->script, NULL);
    if (!text)
        die(g, "cannot read the script");
    iom_buf logical = IOM_BUF_INIT;
    int lineno = 0, start = 0;
    for (char *p = text; *p;) {
        char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        lineno++;
        if (!logical.len)
            start = lineno;
        const char *seg = p;
        if (logical.len) /* a continuation: drop its indentation */
            while (n && (*seg == ' ' || *seg == '\t'))
                seg++, n--;
        bool cont = n && seg[n - 1] == '\\';
        iom_buf_append(&logical, seg, cont ? n - 1 : n);
        p = end ? end + 1 : p + strlen(p);
        if (cont)
            continue;
        g->line = start;
        run_line(g, iom_buf_cstr(&logical));
        iom_buf_reset(&logical);
    }
    iom_buf_free(&logical);
    free(text);
}

/* ---- comparison ------------------------------------------------------------------------------ */

static bool compare_or_update(golden *g)
{
    char *path = t_fmt("%s/%s.out", GOLDEN_DIR, g->name);
    const char *update = getenv("IOM_GOLDEN_UPDATE");
    if (update && strcmp(update, "1") == 0) {
        write_all(path, g->out.data, g->out.len);
        fprintf(stderr, "golden: wrote %s (review with git diff)\n", path);
        free(path);
        return true;
    }
    size_t len = 0;
    char *want = read_all(path, &len);
    bool same = want && len == g->out.len && memcmp(want, g->out.data, len) == 0;
    if (!same) {
        char *actual = t_fmt("%s/%s.out.actual", g->dir, g->name);
        write_all(actual, g->out.data, g->out.len);
        char *cmd = t_fmt("diff -u --label 'tests/golden/%s.out (committed)' --label '%s.out (this "
                          "build)' '%s' '%s'", g->name, g->name, want ? path : "/dev/null", actual);
        fflush(stdout);
        FILE *d = popen(cmd, "r");
        char buf[4096];
        size_t n;
        while (d && (n = fread(buf, 1, sizeof buf, d)) > 0)
            fwrite(buf, 1, n, stdout);
        if (d)
            pclose(d);
        printf("golden: the %s transcript differs from tests/golden/%s.out (diff above). If the "
               "change is intended: IOM_GOLDEN_UPDATE=1 build/test_golden, then review git diff.\n",
               g->name, g->name);
        fflush(stdout);
        free(cmd);
        free(actual);
    }
    free(want);
    free(path);
    return same;
}

static golden *golden_new(const char *name)
{
    golden *g = calloc(1, sizeof *g);
    g->name = name;
    g->script = t_fmt("%s/%s.script", GOLDEN_DIR, name);
    g->dir = t_tmpdir();
    g->oldcwd = getcwd(NULL, 0);
    assert_int_equal(chdir(g->dir), 0);
    unsetenv("IOM_AUDIT_KEY");
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_watchdog);
    assert_int_equal(oath_init(), OATH_OK);
    iom_buf_puts(&g->out, "");
    return g;
}

static void golden_free(golden *g)
{
    http_server_stop(g->srv);
    if (g->access_log)
        fclose(g->access_log);
    for (size_t i = 0; i < g->ndbs; i++) /* before the directory (and its databases) go */
        if (g->dbs[i].st)
            iom_store_close(g->dbs[i].st), g->dbs[i].st = NULL;
    assert_int_equal(chdir(g->oldcwd), 0);
    free(g->oldcwd);
    t_tmpdir_free(g->dir);
    free((char *)g->script);
    iom_buf_free(&g->out);
    for (size_t i = 0; i < g->nvars; i++)
        free(g->vars[i].name), free(g->vars[i].value);
    free(g->vars);
    for (size_t i = 0; i < g->nsecrets; i++)
        free(g->secrets[i].value);
    free(g->secrets);
    for (size_t i = 0; i < g->nmacs; i++)
        free(g->macs[i]);
    free(g->macs);
    for (size_t i = 0; i < g->ndbs; i++)
        free(g->dbs[i].path);
    free(g->dbs);
    free(g->last_stdout);
    json_decref(g->last_json);
    free(g->etag);
    for (size_t i = 0; i < g->ncmds; i++)
        free(g->cmds[i]);
    free(g->cmds);
    free(g->cmd_cov);
    for (size_t i = 0; i < g->nsessions; i++)
        free(g->sessions[i].user), free(g->sessions[i].cookie), free(g->sessions[i].csrf);
    free(g->sessions);
    oath_done();
    free(g);
}

/* ---- the tests ------------------------------------------------------------------------------- */

/* Frees the run when a test failed half-way (cmocka jumps out of the test function). */
static int teardown(void **state)
{
    if (*state)
        golden_free(*state);
    *state = NULL;
    return 0;
}

static void test_cli_golden(void **state)
{
    golden *g = *state = golden_new("cli");
    load_commands(g);
    run_script(g);
    /* Completeness: every command of `iom help`, text and --json, success and refusal. */
    int missing = 0;
    for (size_t i = 0; i < g->ncmds; i++) {
        unsigned want = COV_TEXT_OK | COV_TEXT_FAIL | COV_JSON_OK | COV_JSON_FAIL;
        if (strcmp(g->cmds[i], "serve") == 0) /* serves until a signal: refusals only */
            want = COV_TEXT_FAIL | COV_JSON_FAIL;
        unsigned lack = want & ~g->cmd_cov[i];
        if (lack) {
            fprintf(stderr, "cli.script lacks `%s`:%s%s%s%s\n", g->cmds[i],
                    lack & COV_TEXT_OK ? " success (text)" : "", lack & COV_JSON_OK ? " success (--json)" : "",
                    lack & COV_TEXT_FAIL ? " refusal (text)" : "", lack & COV_JSON_FAIL ? " refusal (--json)" : "");
            missing++;
        }
    }
    bool same = compare_or_update(g);
    golden_free(g);
    *state = NULL;
    assert_int_equal(missing, 0);
    assert_true(same);
}

static void test_api_golden(void **state)
{
    golden *g = *state = golden_new("api");
    run_script(g);
    int missing = 0;
    assert_true(http_route_count <= sizeof g->route_cov / sizeof g->route_cov[0]);
    for (size_t i = 0; i < http_route_count; i++) {
        const http_route *rt = &http_routes[i];
        unsigned lack = (COV_OK | COV_REFUSED) & ~g->route_cov[i];
        if (lack) {
            fprintf(stderr, "api.script lacks %s %s:%s%s\n", rt->method, rt->pattern,
                    lack & COV_OK ? " a success (2xx)" : "", lack & COV_REFUSED ? " a refusal (4xx/5xx)" : "");
            missing++;
        }
        for (size_t e = 0; rt->enums && rt->enums[e]; e++) {
            assert_true(e < 32);
            if (!(g->action_cov[i][e] & COV_OK)) {
                fprintf(stderr, "api.script lacks a success of %s %s with %s\n", rt->method, rt->pattern,
                        rt->enums[e]);
                missing++;
            }
        }
    }
    bool same = compare_or_update(g);
    golden_free(g);
    *state = NULL;
    assert_int_equal(missing, 0);
    assert_true(same);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_cli_golden, teardown),
        cmocka_unit_test_teardown(test_api_golden, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
