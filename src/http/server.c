/*
 * server.c: libmicrohttpd glue. The call sequence per request (after MHD's post_example.c):
 * the first call of the access handler sets up the request (route, id, clock), later calls
 * consume the body, the last one dispatches to the handler and queues the response, and the
 * completion callback writes the access log line and frees everything the request held.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/job.h"
#include "app/settings.h"
#include "http/internal.h"
#include "ops/ops.h"
#include "util/text.h"
#include "http/web_assets.h"
#include "util/dynlib.h"
#include "util/jsonw.h"
#include "util/timefmt.h"

/* The budget for request bodies in flight (cfg.bodies_limit) is shared fairly (body_take):
   a body up to BODY_SMALL bytes is small (a sign-in, an ordinary change); users tracked for
   their share; a large body's least rate over each window of cfg.body_rate_window_ms
   (body_too_slow). */
#define BODY_SMALL ((size_t)64 << 10)
#define BODY_SHARE_USERS 64
#define BODY_LEAST_RATE ((size_t)8 << 10)

struct http_server {
    http_shared sh;               /* first: handlers see it through r->srv */
    struct MHD_Daemon *d;
    uint16_t port;
    pthread_mutex_t pool_mu;      /* store handles: one per request in flight */
    iom_store **pool;
    size_t npool, cap_pool;
    size_t nopen;
    iom_store **all;              /* every handle opened, closed at stop */
    pthread_mutex_t log_mu;
    char *cert_pem, *key_pem;
    /* Request ids: a random prefix drawn at start, then a counter (unique, and no system call
       per request). */
    uint32_t id_prefix;
    atomic_uint_fast32_t id_next;
    /* Request-body bytes held by all requests in flight (cfg.bodies_limit at most): one
       signed-in user with many connections cannot make the server hold gigabytes. */
    atomic_size_t body_bytes;
    /* The bytes each signed-in user's requests hold (body_share): a user's large bodies may
       hold a quarter of the budget at most, so one user's uploads leave room for the others'
       (review 83 H1: six uploads of one user held the whole budget, and every other user's
       sign-in and writes were refused). A user not in the table when it is full holds no
       large body until one is freed. */
    pthread_mutex_t share_mu;
    struct body_share {
        int64_t user;
        size_t bytes;
    } share[BODY_SHARE_USERS];
    /* The read log's group-commit writer, and the requests suspended for it (from the
       suspension to their completion callback). */
    app_readlog *readlog;
    atomic_int read_waiting;
    /* The idle sweeper: every IDLE_SWEEP_MS it ends what idle pooled handles keep open
       (store.h end_idle: on PostgreSQL an optimistic GET's owed COMMIT and its snapshot). */
    pthread_t sweeper;
    bool sweeping;
    pthread_mutex_t sweep_mu;
    pthread_cond_t sweep_cv;
    bool sweep_stop;
    /* The connection watch (conn_watch): every open connection, its network (per_net), and
       whether a request is coming in on it and since when; a thread cuts those whose request
       has not come whole within cfg.conn_timeout seconds. */
    pthread_mutex_t watch_mu;
    struct conn_watch *watch_head;
    pthread_t watcher;
    bool watching;
    pthread_cond_t watch_cv;
    bool watch_stop;
    uint64_t watch_said_us;       /* when a connection over the cap was last said (watch_mu) */
};

/* How long a pooled handle may keep a finished read's snapshot open (store.h end_idle). */
#define IDLE_SWEEP_MS 50

/* Gives back what request r counted in the server's budget for bodies. */
static void body_release(http_server *s, http_req *r)
{
    if (r->body_held) {
        atomic_fetch_sub(&s->body_bytes, r->body_held);
        if (r->body_user) {
            pthread_mutex_lock(&s->share_mu);
            for (size_t i = 0; i < BODY_SHARE_USERS; i++)
                if (s->share[i].user == r->body_user) {
                    s->share[i].bytes -= r->body_held;
                    if (!s->share[i].bytes)
                        s->share[i].user = 0;
                    break;
                }
            pthread_mutex_unlock(&s->share_mu);
        }
    }
    r->body_held = 0;
    r->body_user = 0;
}

/* Counts n more bytes of r's body in the budget: false (nothing counted) when the body may not
   hold them. Every body may use the whole budget while it is small (sign-ins and ordinary
   changes); a large one (past BODY_SMALL) only what leaves a reserve of an eighth for the small
   ones, and within its user's share: a quarter of the budget, or one whole body of its route
   when that is more. */
static bool body_take(http_server *s, http_req *r, size_t n)
{
    size_t limit = s->sh.cfg.bodies_limit;
    bool large = r->body.len + n > BODY_SMALL;
    size_t cap = large ? limit - limit / 8 : limit;
    /* one user's share: a quarter, or one whole body of the route when that is more (a
       dataset's import may be larger than a quarter of a small budget) */
    size_t share = limit / 4, one = http_body_limit(r->route, s->sh.cfg.body_limit);
    if (one > share)
        share = one < cap ? one : cap;
    if (atomic_fetch_add(&s->body_bytes, n) + n > cap) {
        atomic_fetch_sub(&s->body_bytes, n);
        return false;
    }
    int64_t user = r->authed ? r->who.user.id : 0;
    bool ok = true;
    if (user && (r->body_user || !r->body_held)) {
        pthread_mutex_lock(&s->share_mu);
        size_t at = BODY_SHARE_USERS, free_at = BODY_SHARE_USERS;
        for (size_t i = 0; i < BODY_SHARE_USERS && at == BODY_SHARE_USERS; i++) {
            if (s->share[i].user == user)
                at = i;
            else if (!s->share[i].user && free_at == BODY_SHARE_USERS)
                free_at = i;
        }
        if (at == BODY_SHARE_USERS && free_at < BODY_SHARE_USERS) {
            at = free_at;
            s->share[at] = (struct body_share){user, 0};
        }
        if (at == BODY_SHARE_USERS)
            ok = !large; /* the table is full: small bodies pass, counted for nobody */
        else if (large && s->share[at].bytes + n > share)
            ok = false;
        else {
            s->share[at].bytes += n;
            r->body_user = user;
        }
        if (!ok && at < BODY_SHARE_USERS && !s->share[at].bytes)
            s->share[at].user = 0; /* taken for this body alone: free again */
        pthread_mutex_unlock(&s->share_mu);
    } else if (user && large) {
        ok = false; /* its first bytes were counted for nobody (a full table): no large body */
    }
    if (!ok) {
        atomic_fetch_sub(&s->body_bytes, n);
        return false;
    }
    r->body_held += n;
    return true;
}

/* A large body must keep coming: at least BODY_LEAST_RATE bytes a second over each window of
   BODY_RATE_WINDOW_US (review 83 H1: a client that sent a byte every 10 s held its share of
   the budget for good, the server's idle timeout being per byte). */
static bool body_too_slow(const http_server *s, http_req *r, size_t n, uint64_t now)
{
    /* a body reserved whole as it was admitted is held to the rate from then on (review 86
       HIGH-1: one that trickled below BODY_SMALL kept its reservation for good); another
       counts only from BODY_SMALL on, when it starts to hold more than a small body */
    if (!r->body_reserved && r->body.len + n <= BODY_SMALL)
        return false;
    if (!r->body_win_us) {
        r->body_win_us = now;
        r->body_win_len = r->body.len;
        return false;
    }
    uint64_t span = now - r->body_win_us;
    if (span < (uint64_t)s->sh.cfg.body_rate_window_ms * 1000)
        return false;
    size_t came = r->body.len + n - r->body_win_len;
    if ((double)came < (double)BODY_LEAST_RATE * ((double)span / 1e6))
        return true;
    r->body_win_us = now;
    r->body_win_len = r->body.len + n;
    return false;
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- store pool ------------------------------------------------------------------------- */

static iom_store *pool_get(http_server *s, iom_error *e)
{
    pthread_mutex_lock(&s->pool_mu);
    iom_store *st = s->npool ? s->pool[--s->npool] : NULL;
    pthread_mutex_unlock(&s->pool_mu);
    if (st)
        return st;
    if (iom_store_open(s->sh.cfg.db_path, 0, &st, e))
        return NULL;
    pthread_mutex_lock(&s->pool_mu);
    if (s->nopen == s->cap_pool) {
        size_t cap = s->cap_pool ? s->cap_pool * 2 : 8;
        iom_store **a = realloc(s->all, cap * sizeof *a), **p = a ? realloc(s->pool, cap * sizeof *p) : NULL;
        if (a)
            s->all = a;
        if (!a || !p) {
            pthread_mutex_unlock(&s->pool_mu);
            iom_store_close(st);
            iom_fail(e, IOM_ENOMEM, "store pool: out of memory");
            return NULL;
        }
        s->pool = p;
        s->cap_pool = cap;
    }
    s->all[s->nopen++] = st;
    pthread_mutex_unlock(&s->pool_mu);
    return st;
}

static void pool_put(http_server *s, iom_store *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&s->pool_mu);
    s->pool[s->npool++] = st; /* npool <= nopen <= cap_pool */
    pthread_mutex_unlock(&s->pool_mu);
}

/* Waits on cv (held mu; a condition on the monotonic clock: cond_init_monotonic) for ms
   milliseconds at most. */
static void wait_ms(pthread_cond_t *cv, pthread_mutex_t *mu, long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* a step of the wall clock pauses nothing */
    ts.tv_nsec += ms * 1000000L;
    while (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(cv, mu, &ts);
}

/* A condition whose timed waits count on the monotonic clock (wait_ms). */
static void cond_init_monotonic(pthread_cond_t *cv)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
}

/* Ends what idle handles in the pool keep open, every IDLE_SWEEP_MS, until told to stop. A
   handle is taken out of the pool while it is swept (a request meanwhile takes another). */
static void *sweep_run(void *arg)
{
    http_server *s = arg;
    pthread_mutex_lock(&s->sweep_mu);
    while (!s->sweep_stop) {
        wait_ms(&s->sweep_cv, &s->sweep_mu, IDLE_SWEEP_MS);
        if (s->sweep_stop)
            break;
        pthread_mutex_unlock(&s->sweep_mu);
        /* the handles in the pool now, from the least recently used (the stack's bottom) */
        for (size_t i = 0;; i++) {
            pthread_mutex_lock(&s->pool_mu);
            iom_store *st = NULL;
            if (i < s->npool) {
                st = s->pool[i];
                s->pool[i] = s->pool[--s->npool]; /* out while it is swept */
            }
            pthread_mutex_unlock(&s->pool_mu);
            if (!st)
                break;
            st->ops->end_idle(st, IDLE_SWEEP_MS * 1000u);
            pool_put(s, st);
        }
        pthread_mutex_lock(&s->sweep_mu);
    }
    pthread_mutex_unlock(&s->sweep_mu);
    return NULL;
}

/* Stops a periodic thread (the idle sweeper, the connection watch): its stop flag set under
   its mutex, its condition signalled, the thread joined. Nothing when it is not running. */
static void thread_stop(pthread_t t, bool *running, pthread_mutex_t *mu, pthread_cond_t *cv, bool *stop)
{
    if (!*running)
        return;
    pthread_mutex_lock(mu);
    *stop = true;
    pthread_cond_signal(cv);
    pthread_mutex_unlock(mu);
    pthread_join(t, NULL);
    *running = false;
}

static void sweep_stop(http_server *s)
{
    thread_stop(s->sweeper, &s->sweeping, &s->sweep_mu, &s->sweep_cv, &s->sweep_stop);
}

/* ---- the connection watch ---------------------------------------------------------------- */

/*
 * libmicrohttpd's connection timeout (cfg.conn_timeout) counts idle time only: every byte that
 * comes resets it. A client that sent a request's headers a line every 10-25 s, or a sign-in's
 * small body a byte every 10 s, held its connection for as long as it liked, and a thousand
 * such connections (ten addresses at the per-address cap) held every slot the server has
 * (review 129 M1); the rate rule for bodies (body_too_slow) starts at BODY_SMALL bytes. So a
 * request must come whole, its headers and a body up to BODY_SMALL, within cfg.conn_timeout
 * seconds of its first byte being awaited (the connection's opening, or the end of the
 * previous request on it); a large body is held to the rate rule from then on, and the answer
 * is the server's own time. A connection past that is cut (shutdown: libmicrohttpd then closes
 * it as a client that went away, and tells conn_notify, which unlists it before the socket is
 * closed, so a socket number is never cut once it may have been reused).
 *
 * The per-address cap (cfg.max_per_ip) counts an IPv6 client by its /64, the network one host
 * is given, as the sign-in lockout does (libmicrohttpd counts each whole address, and one host
 * has 2^64 of them); a connection over the cap is cut as it opens.
 */
struct conn_watch {
    int fd;
    atomic_uint_fast64_t since_us; /* when the request now awaited began to be awaited */
    atomic_int receiving;          /* a request is coming in and under the deadline */
    bool cut;
    unsigned char net[16];         /* IPv4 (mapped) or the IPv6 /64, the rest zero */
    struct conn_watch *prev, *next;
};

/* How often the watch looks (ms). */
#define WATCH_MS 250
/* An IPv6 /64's connections, as a multiple of the per-address cap. */
#define NET64_SHARE 4

static void net_of(const struct sockaddr *sa, unsigned char net[16])
{
    memset(net, 0, 16);
    if (!sa)
        return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)sa;
        net[10] = net[11] = 0xff;
        memcpy(net + 12, &v4->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)sa;
        const unsigned char *a = v6->sin6_addr.s6_addr;
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (!memcmp(a, mapped, 12))
            memcpy(net, a, 16); /* an IPv4 client on a dual-stack socket: its address */
        else
            memcpy(net, a, 8); /* the /64 */
    }
}

/* Ends the JSON line b (its closing brace and newline), writes it to the access log whole,
   and frees it. */
static void log_line(http_server *s, iom_buf *b)
{
    iom_buf_puts(b, "}\n");
    FILE *f = s->sh.cfg.access_log ? s->sh.cfg.access_log : stderr;
    pthread_mutex_lock(&s->log_mu);
    fwrite(b->data, 1, b->len, f);
    fflush(f);
    pthread_mutex_unlock(&s->log_mu);
    iom_buf_free(b);
}

/* One line in the access log for a connection the watch cut (no request reached a route). */
static void watch_log(http_server *s, const char *why)
{
    char when[32];
    iom_time_utc((int64_t)time(NULL), when);
    iom_buf b = {0};
    iom_buf_puts(&b, "{");
    jsonw_key(&b, "time");
    jsonw_str(&b, when);
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "event");
    jsonw_str(&b, "connection_cut");
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "reason");
    jsonw_str(&b, why);
    log_line(s, &b);
}

/* MHD_OPTION_NOTIFY_CONNECTION: lists a connection as it opens (cut at once over the per-network
   cap), unlists it as it closes (before libmicrohttpd closes its socket). */
static void conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                        enum MHD_ConnectionNotificationCode toe)
{
    http_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        struct conn_watch *w = calloc(1, sizeof *w);
        *socket_context = w;
        if (!w)
            return;
        const union MHD_ConnectionInfo *fi = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ai = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        w->fd = fi ? fi->connect_fd : -1;
        net_of(ai ? ai->client_addr : NULL, w->net);
        atomic_init(&w->since_us, now_us());
        atomic_init(&w->receiving, 1);
        unsigned same = 0;
        pthread_mutex_lock(&s->watch_mu);
        for (struct conn_watch *o = s->watch_head; o; o = o->next)
            same += !o->cut && !memcmp(o->net, w->net, sizeof w->net);
        w->next = s->watch_head;
        if (s->watch_head)
            s->watch_head->prev = w;
        s->watch_head = w;
        /* an IPv4 address holds max_per_ip (as libmicrohttpd counts it); an IPv6 /64, a network
           an office's hosts may share, NET64_SHARE times that (review 131: the same cap for a
           /64 left an office LAN about sixteen browsers) */
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        uint64_t cap = s->sh.cfg.max_per_ip;
        if (memcmp(w->net, mapped, sizeof mapped))
            cap *= NET64_SHARE;
        bool over = same >= cap;
        bool say = false;
        if (over && w->fd >= 0) {
            w->cut = true;
            shutdown(w->fd, SHUT_RDWR);
            uint64_t now = now_us(); /* said once a second at most (review 131: a flood of lines) */
            say = now - s->watch_said_us >= 1000000u || !s->watch_said_us;
            if (say)
                s->watch_said_us = now;
        }
        pthread_mutex_unlock(&s->watch_mu);
        if (say)
            watch_log(s, "over the connections one address (an IPv6 /64) may hold; more may "
                         "follow this second unsaid");
        return;
    }
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn_watch *w = *socket_context;
        *socket_context = NULL;
        if (!w)
            return;
        pthread_mutex_lock(&s->watch_mu);
        if (w->prev)
            w->prev->next = w->next;
        else
            s->watch_head = w->next;
        if (w->next)
            w->next->prev = w->prev;
        pthread_mutex_unlock(&s->watch_mu);
        free(w);
    }
}

/* The connection's entry in the watch (NULL: none). */
static struct conn_watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

bool http_watch_overdue(uint64_t since_us, uint64_t now_us, uint64_t limit_us)
{
    /* since_us may be later than now_us: a worker's on_completed stores it while a pass runs
       (unsigned, now - since wrapped to 2^64 and the watch cut a keep-alive connection that had
       just been answered: review 131) */
    return since_us < now_us && now_us - since_us > limit_us;
}

static void *watch_run(void *arg)
{
    http_server *s = arg;
    uint64_t limit = (uint64_t)s->sh.cfg.conn_timeout * 1000000u;
    pthread_mutex_lock(&s->watch_mu);
    while (!s->watch_stop) {
        wait_ms(&s->watch_cv, &s->watch_mu, WATCH_MS);
        if (s->watch_stop)
            break;
        uint64_t now = now_us();
        unsigned cut = 0;
        for (struct conn_watch *w = s->watch_head; w; w = w->next) {
            if (w->cut || w->fd < 0 || !atomic_load(&w->receiving))
                continue;
            if (http_watch_overdue(atomic_load(&w->since_us), now, limit)) {
                w->cut = true;
                shutdown(w->fd, SHUT_RDWR);
                cut++;
            }
        }
        if (cut) {
            pthread_mutex_unlock(&s->watch_mu);
            for (unsigned i = 0; i < cut; i++)
                watch_log(s, "a request's headers and small body did not come whole within the "
                             "timeout (or the connection sent nothing for that long)");
            pthread_mutex_lock(&s->watch_mu);
        }
    }
    pthread_mutex_unlock(&s->watch_mu);
    return NULL;
}

static void watch_stop(http_server *s)
{
    thread_stop(s->watcher, &s->watching, &s->watch_mu, &s->watch_cv, &s->watch_stop);
}

/* ---- request set-up and dispatch -------------------------------------------------------- */

/* The method as a static string; anything unknown is logged as "OTHER". */
static const char *known_method(const char *m)
{
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(m, known[i]) == 0)
            return known[i];
    return "OTHER";
}

typedef struct query_check {
    http_req *r;
    const char *bad;
    const char *value;  /* with bad: its value, when that is what is wrong */
    const char *why;    /* ... and why */
    int count[8];
} query_check;

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    query_check *q = cls;
    const char *const *allowed = q->r->route->query;
    for (int i = 0; allowed && allowed[i] && i < 8; i++)
        if (strcmp(allowed[i], key) == 0) {
            if (++q->count[i] > 1) {
                q->bad = allowed[i];
                return MHD_NO;
            }
            /* every value is text: checked once here, before any handler or store sees it
               (PostgreSQL refuses bytes that are not UTF-8, and a NUL cuts a C string) */
            if (value && (memchr(value, '\0', value_size) || value_size != strlen(value))) {
                q->bad = allowed[i];
                q->value = value;
                q->why = "contains a NUL byte";
                return MHD_NO;
            }
            if (value && !iom_utf8_valid(value, value_size)) {
                q->bad = allowed[i];
                q->value = value;
                q->why = "is not valid UTF-8";
                return MHD_NO;
            }
            if (!value) { /* `?limit` without `=`: as `?limit=` (no value given) */
                q->bad = allowed[i];
                q->value = "";
                q->why = "has no value (write name=value)";
                return MHD_NO;
            }
            return MHD_YES;
        }
    q->bad = key;
    return MHD_NO;
}

static bool query_ok(http_req *r)
{
    query_check q = {.r = r};
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
    if (!q.bad)
        return true;
    if (q.why) {
        char b[200];
        iom_text_shown(q.value, b, sizeof b);
        http_problem(r, 400, "invalid", "Invalid request", "%s: '%s' %s", q.bad, b, q.why);
        return false;
    }
    bool known = false;
    for (int i = 0; r->route->query && r->route->query[i]; i++)
        known = known || strcmp(r->route->query[i], q.bad) == 0;
    if (known)
        http_problem(r, 400, "invalid", "Invalid request", "%s: given more than once", q.bad);
    else
        http_problem(r, 400, "invalid", "Invalid request",
                     "%.64s: unknown query parameter", q.bad);
    return false;
}

/* MHD_KeyValueIterator: counts into (int *)cls the Content-Length (n[0]), Authorization (n[1])
   and Transfer-Encoding (n[2]) headers, and the Transfer-Encoding headers whose value is not
   exactly `chunked` (n[3]). */
static enum MHD_Result count_cl(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    int *n = cls;
    if (strcasecmp(key, "Content-Length") == 0)
        ++n[0];
    else if (strcasecmp(key, "Authorization") == 0)
        ++n[1];
    else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        ++n[2];
        n[3] += !value || strcasecmp(value, "chunked") != 0;
    }
    return MHD_YES;
}

/* The handler has answered (a jansson tree, JSON text or raw bytes). */
static bool answered(const http_req *r) { return r->out || r->text.data || r->raw; }

static bool safe_method(const char *m) { return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0; }


/* Whether a browser's Origin ("http://host:port") names the host the request was sent to
   (its Host header), compared without case; "null" and anything unparsable are not. Its scheme
   is https when this server speaks TLS itself; without TLS it may be either: behind a proxy
   that ends TLS (docs/operations.md) the browser's page is https and this server's link http
   (review 104 L5). */
static bool same_origin(const char *origin, const char *host, bool tls)
{
    const char *p = strstr(origin, "://");
    if (!p || !host)
        return false;
    size_t sn = (size_t)(p - origin);
    bool https = sn == 5 && strncasecmp(origin, "https", 5) == 0;
    bool http = sn == 4 && strncasecmp(origin, "http", 4) == 0;
    if (!(https || (http && !tls)))
        return false;
    p += 3;
    size_t n = strlen(p);
    if (n && p[n - 1] == '/')
        n--;
    return n == strlen(host) && strncasecmp(p, host, n) == 0;
}

/* Resolves the session cookie or Bearer token; a cookie request also needs the session's CSRF
   token in X-CSRF-Token, reads included. */
static bool authenticate(http_req *r)
{
    const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    iom_err err;
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0) {
            r->www_authenticate = true;
            http_problem(r, 401, "unauthenticated", "Not signed in", "Authorization: only Bearer API tokens are accepted");
            return false;
        }
        err = app_auth_bearer(&r->ctx, authz + 7, &r->who);
        r->ctx.by_token = true;
    } else {
        const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "iom_session");
        if (!cookie) {
            r->www_authenticate = true;
            http_problem(r, 401, "unauthenticated", "Not signed in",
                         "sign in with POST /api/v1/session or send a Bearer API token");
            return false;
        }
        /* the cookie without its CSRF token: refused before the session is looked up, so such
           a request neither keeps the session alive (its last use is not moved) nor tells a
           live session from a dead one (review 46) */
        const char *csrf0 = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!csrf0 || !*csrf0) {
            http_problem(r, 403, "csrf", "CSRF token missing or wrong",
                         "X-CSRF-Token: a request signed in with the session cookie needs the CSRF "
                         "token returned at sign-in (reads too)");
            return false;
        }
        app_auth_policy pol; /* the stored settings, with the server's overrides */
        err = app_settings_auth_policy(&r->ctx, &r->srv->cfg.auth, &pol);
        if (!err)
            err = app_auth_session(&r->ctx, &pol, cookie, &r->who);
        if (err == IOM_EAUTH) /* the browser forgets a session that has ended (review 97 M3) */
            r->set_cookie = http_cookie_clear(r);
    }
    if (err) {
        http_fail(r, err);
        return false;
    }
    /* Every request signed in with the session cookie carries the CSRF token too, reads
       included (review 44): a content read is a write to the read log, and the cookie alone
       goes to every page and service of the same host name whatever its port (an <img> on
       another port logged reads and searches in the user's name; a service on another port
       received the cookie and read with it). The token is in the UI's localStorage, which is
       kept apart by origin: with it, only the UI's own pages can use the session. */
    if (r->who.session) {
        const char *csrf = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (http_header_count(r, "X-CSRF-Token") > 1) { /* which one counts would be a guess, as for Authorization (review 49) */
            http_problem(r, 400, "invalid", "Invalid request", "X-CSRF-Token: given more than once");
            return false;
        }
        /* and, beside the token, a browser's Origin must be this server's (review 49: defence
           in depth; requests without Origin, a script's or an old browser's, rest on the token) */
        const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
        const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
        if (origin && !same_origin(origin, host, r->srv->tls)) {
            http_problem(r, 403, "csrf", "CSRF token missing or wrong",
                         "Origin: a request signed in with the session cookie must come from this server's "
                         "own pages");
            return false;
        }
        if (!app_auth_csrf_ok(&r->who, csrf)) {
            http_problem(r, 403, "csrf", "CSRF token missing or wrong",
                         "X-CSRF-Token: a request signed in with the session cookie needs the CSRF "
                         "token returned at sign-in (reads too)");
            return false;
        }
    }
    r->authed = true;
    r->ctx.actor_name = r->who.user.name;
    if (r->ctx.held) { /* read in the held snapshot the handler reads from: no second read */
        r->ctx.actor = r->who.user;
        r->ctx.actor_loaded = true;
    }
    return true;
}

/* A store handle from the pool and the use-cases' context for it. */
static bool prepare(http_server *s, http_req *r)
{
    iom_error e = {0};
    if (!(r->store = pool_get(s, &e))) {
        http_problem(r, 503, "unavailable", "Service unavailable", "the store cannot be opened");
        return false;
    }
    app_ctx_init(&r->ctx, r->store, &r->arena);
    r->ctx.via = "http";
    r->ctx.auth_policy = &s->sh.cfg.auth;
    r->ctx.os_user = s->sh.os_user;
    r->ctx.clock = s->sh.cfg.clock;
    r->ctx.clock_data = s->sh.cfg.clock_data;
    r->ctx.pwhash_opslimit = s->sh.cfg.pwhash_opslimit;
    r->ctx.pwhash_memlimit = s->sh.cfg.pwhash_memlimit;
    memcpy(r->ctx.audit_key, s->sh.audit_key, sizeof r->ctx.audit_key);
    r->ctx.has_audit_key = true;
    r->ctx.readlog = s->readlog;
    r->ctx.read_ticket = &r->read_ticket;
    r->ctx.db_path = s->sh.cfg.db_path;
    /* HEAD answers the GET's headers alone, and is logged as the GET is where it reads content:
       its ETag (the version) and Content-Length (the size) tell of the content, and were
       polled without a trace when HEAD was not logged (review 51) */
    return true;
}

/* A request that comes with a body authenticates (and checks CSRF) before the body is read,
   on every route but the public ones (whose bodies are small: HTTP_PUBLIC_BODY_MAX), so
   nobody unauthenticated can make the server buffer anything (review 58: anonymous bodies of
   24 connections to the PNG export took the whole body budget, and every sign-in and write
   was 503 busy; review 62: 257 anonymous 1 MiB bodies to ordinary routes did the same);
   then the route's own check (http_route.early: the product upload asks whether the user may
   add a product to that tasking now, the refusal the handler would give after the body), so
   nobody can make it buffer 50 MiB for a tasking they cannot work on. The store handle goes
   back to the pool while the body arrives. False after answering. */
static bool authenticate_early(http_server *s, http_req *r, bool has_body)
{
    if (!has_body || !r->route || (r->route->flags & HTTP_PUBLIC))
        return true;
    bool ok = prepare(s, r) && authenticate(r);
    /* a refusal here is answered at once, without waiting on the read log's ticket: its
       access.refused entry is written before the answer (no ticket), as it lives in the
       request's arena */
    struct app_read_ticket *ticket = r->ctx.read_ticket;
    r->ctx.read_ticket = NULL;
    if (ok && r->route->early)
        ok = r->route->early(r);
    /* a large body (an import, a PNG): may the caller do this on the path's object now? */
    const op_def *op = r->route->op;
    if (ok && op && op->early && op->body_max > 0) {
        iom_err err = op->early(&r->ctx, http_param(r, "ref"));
        if (err) {
            http_fail(r, err);
            ok = false;
        }
    }
    r->ctx.read_ticket = ticket;
    pool_put(s, r->store);
    r->store = NULL;
    return ok;
}

/* Before a request runs again (an optimistic hold found stale): no answer, nobody signed in.
   Nothing was sent or logged: a content read refuses to log from a stale hold (app_read_log). */
static void forget_answer(http_req *r)
{
    json_decref(r->out);
    r->out = NULL;
    iom_buf_free(&r->text);
    r->status = 0;
    r->content_type = NULL;
    r->etag = 0;
    r->set_cookie = NULL;
    r->allow = NULL;
    r->retry_after = 0;
    r->www_authenticate = false;
    r->problem_set = false;
    r->raw = NULL;
    r->raw_len = 0;
    r->nhdr = 0;
    r->authed = false;
    memset(&r->who, 0, sizeof r->who);
    r->ctx.actor_name = NULL;
    memset(&r->ctx.actor, 0, sizeof r->ctx.actor);
    r->ctx.actor_loaded = false;
    r->ctx.purpose = NULL;
    memset(&r->ctx.err, 0, sizeof r->ctx.err);
    r->ctx.read_stale = false;
    r->ctx.by_token = false;
}


/* Sign-in, restrictions, stated purpose, then the route's handler; answers on every path. */
static void run_route(http_req *r)
{
    if (r->authed) { /* signed in before the body was read: again now, in the handler's
                        context (a token revoked or a user disabled while the body came is
                        seen; the sign-in's flags, such as by_token, are this context's) */
        r->authed = false;
        memset(&r->who, 0, sizeof r->who);
    }
    if (!(r->route->flags & HTTP_PUBLIC) && !authenticate(r))
        return;
    const char *why = NULL;
    app_restriction rs = r->authed ? app_auth_restriction(&r->who, &why) : APP_RESTRICT_NONE;
    bool allowed = (r->route->flags & HTTP_RESTRICTED_OK) ||
                   (rs == APP_RESTRICT_TOTP && (r->route->flags & HTTP_TOTP_ENROL));
    if (rs != APP_RESTRICT_NONE && !allowed) {
        bool pw = rs == APP_RESTRICT_PASSWORD;
        http_problem(r, 403, pw ? "password_change_required" : "totp_enrolment_required",
                     pw ? "Password change required" : "TOTP enrolment required", "%s (%s)", why,
                     pw ? "POST /api/v1/me/password" : "POST /api/v1/me/totp, then /api/v1/me/totp/confirm");
        return;
    }
    /* The stated purpose of reading (issue 5 point 7), logged with every content read; stated
       once (two would log the first and drop the second unseen). */
    const char *purpose = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Iom-Purpose");
    if (purpose && http_header_count(r, "X-Iom-Purpose") > 1) {
        http_problem(r, 400, "invalid", "Invalid request",
                     "X-Iom-Purpose: given more than once; state one purpose");
        return;
    }
    if (purpose) {
        iom_error pe = {0};
        if (app_purpose_check(purpose, &pe)) {
            http_problem(r, 400, "invalid", "Invalid request", "X-Iom-Purpose: %s", pe.msg);
            return;
        }
        r->ctx.purpose = purpose;
    }
    r->route->fn(r);
}

static void dispatch(http_server *s, http_req *r, bool path_known, const char *url)
{
    const web_asset *asset;
    if (!r->route) {
        if (path_known) {
            r->allow = http_route_allow(url, &r->arena);
            http_problem(r, 405, "method_not_allowed", "Method not allowed",
                         "this resource answers to: %s", r->allow);
        } else if ((strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) &&
                   (asset = web_asset_find(url))) {
            /* The web UI (web/): public files, compiled in; it calls the API like any client.
               The browser keeps them and asks again with If-None-Match: an unchanged file is
               304 without its bytes (review 109 M8: 730 KB at every load). */
            /* Gzipped where the client takes it (a third of main.js), a representation with
               its own ETag; Vary tells caches that the answer depends on Accept-Encoding. */
            bool gz = asset->gz && web_accepts_gzip(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                                               "Accept-Encoding"));
            const char *tag = gz ? web_asset_etag_gz(asset) : web_asset_etag(asset),
                       *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
            r->etag_text = tag;
            r->revalidate = tag != NULL;
            if (asset->gz)
                http_header(r, "Vary", "Accept-Encoding");
            if (tag && inm && (strstr(inm, tag) || strcmp(inm, "*") == 0))
                http_bytes(r, 304, asset->content_type, "", 0);
            else if (gz) {
                http_header(r, "Content-Encoding", "gzip");
                http_bytes(r, 200, asset->content_type, asset->gz, asset->gz_len);
            } else
                http_bytes(r, 200, asset->content_type, asset->data, asset->len);
        } else {
            http_problem(r, 404, "not_found", "Not found", "no such resource");
        }
        return;
    }
    if (r->body_too_big) {
        size_t limit = http_body_limit(r->route, s->sh.cfg.body_limit);
        if (r->route)
            http_problem(r, 413, "too_big", "Request body too large",
                         limit >= (1u << 20) ? "body: at most %zu bytes (%.1f MiB) on %s %s"
                                             : "body: at most %zu bytes (%.0f KiB) on %s %s",
                         limit, limit >= (1u << 20) ? (double)limit / (1u << 20) : (double)limit / 1024,
                         r->route->method, r->route->pattern);
        else
            http_problem(r, 413, "too_big", "Request body too large", "body: at most %zu bytes", limit);
        return;
    }
    if (r->body_slow) {
        http_problem(r, 408, "too_slow", "Request body too slow",
                     "body: a body over %zu KiB must come at %zu KiB/s at least (over each %d s); "
                     "this one came slower and was dropped",
                     BODY_SMALL >> 10, BODY_LEAST_RATE >> 10,
                     (int)((s->sh.cfg.body_rate_window_ms + 999) / 1000));
        return;
    }
    if (r->body_busy) {
        r->retry_after = 5;
        http_problem(r, 503, "busy", "Service unavailable",
                     "body: the server is receiving too many request bodies at once (%zu bytes "
                     "in flight at most, a quarter of it, or one body, for one user's large bodies); try "
                     "again",
                     s->sh.cfg.bodies_limit);
        return;
    }
    /* (an admin's operation asks for the role first: h_op, OP_ADMIN) */
    if (!(r->route->flags & HTTP_BODY) && r->body.len && !(r->route->op && (r->route->op->flags & OP_ADMIN))) {
        http_problem(r, 400, "invalid", "Invalid request", "body: this request takes no body");
        return;
    }
    if (!query_ok(r))
        return;
    if (!prepare(s, r))
        return;
    /* A read answers from one snapshot: the sign-in check and the use-case share one read
       transaction (app_hold_read); a use-case that writes (a read-log entry) ends it first.
       The hold is optimistic (store.h begin_read_optimistic: on PostgreSQL one round trip):
       when it proves to have served cached rows older than its snapshot, the answer is thrown
       away and the request runs again, once, on a plain hold. */
    bool hold = safe_method(r->method) && !(r->route->flags & HTTP_PUBLIC);
    for (int attempt = 0;; attempt++) {
        if (hold) {
            r->ctx.optimistic = attempt == 0;
            app_hold_read(&r->ctx); /* on failure nothing is held and each step begins its own */
        }
        run_route(r);
        app_release(&r->ctx);
        if (!r->ctx.read_stale || attempt > 0)
            break;
        forget_answer(r);
    }
    if (!answered(r))
        http_problem(r, 500, "internal", "Internal error", "the handler gave no answer");
}

/* ---- responses -------------------------------------------------------------------------- */

static enum MHD_Result send_response(http_req *r)
{
    struct MHD_Response *resp;
    char *text = NULL;
    if (r->text.data && !r->out) { /* JSON already serialised (http_json_text): MHD takes it */
        size_t len = r->text.len;
        text = r->text.data;
        r->text = (iom_buf)IOM_BUF_INIT;
        resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    } else if (r->raw && !r->out) {
        resp = MHD_create_response_from_buffer(r->raw_len, (void *)r->raw, MHD_RESPMEM_MUST_COPY);
    } else {
        iom_buf out = IOM_BUF_INIT; /* json_dumps(r->out, JSON_COMPACT | JSON_PRESERVE_ORDER) */
        if (r->out)
            jsonw_json(&out, r->out);
        text = out.data;
        size_t len = out.len;
        resp = MHD_create_response_from_buffer(len, text ? text : (char *)"",
                                               text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "application/json");
    MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    /* hardening (review 44): no window of another origin keeps a handle on ours, no other
       origin may load our answers as resources, and no powerful feature is wanted */
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
    MHD_add_response_header(resp, "Cache-Control", r->revalidate ? "no-cache" : "no-store");
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    if (r->srv->tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    char num[40];
    if (r->etag_text) {
        MHD_add_response_header(resp, "ETag", r->etag_text);
    } else if (r->etag > 0) {
        snprintf(num, sizeof num, "\"%lld\"", (long long)r->etag);
        MHD_add_response_header(resp, "ETag", num);
    }
    if (r->set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->allow)
        MHD_add_response_header(resp, "Allow", r->allow);
    if (r->retry_after > 0) {
        snprintf(num, sizeof num, "%lld", (long long)r->retry_after);
        MHD_add_response_header(resp, "Retry-After", num);
    }
    if (r->www_authenticate)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"iom\"");
    for (int i = 0; i < r->nhdr && !r->problem_set; i++)
        MHD_add_response_header(resp, r->hdr_name[i], r->hdr_value[i]);
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The read log's callback (its writer thread): the request's last entry is written. */
static void read_logged(void *data)
{
    http_req *r = data;
    MHD_resume_connection(r->conn);
}

/* Sends the answer, unless a content read of the request could not be logged: then 503 and
   nothing of the content (DPA 2018 s.62: no read shown without its log entry). A refusal
   (403, 404) whose access.refused entry could not be written shows no content: it is sent as
   it is, the failure said in the server's log. */
static enum MHD_Result send_logged(http_req *r)
{
    if (app_read_ticket_result(&r->read_ticket) != IOM_OK && (r->status == 403 || r->status == 404)) {
        pthread_mutex_t *mu = &((http_server *)r->srv)->log_mu;
        pthread_mutex_lock(mu);
        fprintf(stderr, "iom serve: request %s: the refusal was not logged: %s\n", r->request_id,
                r->read_ticket.msg);
        pthread_mutex_unlock(mu);
    } else if (app_read_ticket_result(&r->read_ticket) != IOM_OK) {
        pthread_mutex_t *mu = &((http_server *)r->srv)->log_mu;
        pthread_mutex_lock(mu);
        fprintf(stderr, "iom serve: request %s: %s\n", r->request_id, r->read_ticket.msg);
        pthread_mutex_unlock(mu);
        r->raw = NULL;
        r->raw_len = 0;
        r->etag = 0;
        r->set_cookie = NULL;
        http_problem(r, 503, "unavailable", "Service unavailable",
                     "the read could not be logged, so nothing is shown; try again later");
    }
    return send_response(r);
}

static size_t parse_size(const char *s, bool *ok)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    *ok = *s >= '0' && *s <= '9' && !*end && !errno;
    return (size_t)v;
}

/* The most query parameters a request may carry: a route reads at most 8 (query_check), so
   a request with more is refused whatever they are. MHD keeps every parameter as a record in
   the connection's memory pool (HTTP_QUERY_MAX at 56 bytes is nothing; ~1,000 of them filled
   the 64 KiB pool, and MHD 0.9.75 then closed the connection with no answer at all). */
#define HTTP_QUERY_MAX 64

/* Given in place of a request's context by uri_seen: its query string was cut (too many
   parameters), or its path holds an encoded slash. Never freed. */
static char query_cut_marker, path_slash_marker;

/* MHD_OPTION_URI_LOG_CALLBACK: called with the request line's URI before MHD splits the query
   string into its pool. A query string of more than HTTP_QUERY_MAX parameters is cut to
   nothing here (MHD has already found the '?' and splits what follows it, in this same
   buffer: the read buffer, writable, which MHD itself rewrites in place), and the request is
   marked so that on_request answers 400 naming the count. A path with %2F (or %5C) is marked
   too: decoded, it would be routed as two segments (`TOEX-2026-000001%2Fhistory` as the
   history route), which a proxy that allows or denies by path would not see; no path
   parameter can hold a slash, so it is refused. */
static struct conn_watch *watch_of(struct MHD_Connection *conn);
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    /* the request's deadline counts from its request line (review 131: counted from the end of
       the previous request, one that came late in the keep-alive's idle window had no time) */
    struct conn_watch *w = conn ? watch_of(conn) : NULL;
    if (w)
        atomic_store(&w->since_us, now_us());
    char *q = strchr(uri, '?');
    for (const char *p = uri; *p && p != q; p++)
        if (p[0] == '%' && ((p[1] == '2' && (p[2] | 0x20) == 'f') || (p[1] == '5' && (p[2] | 0x20) == 'c')))
            return &path_slash_marker; /* %2F %2f %5C %5c */
    if (!q)
        return NULL;
    size_t n = 1;
    for (const char *p = q + 1; *p; p++)
        n += *p == '&';
    if (n <= HTTP_QUERY_MAX)
        return NULL;
    q[1] = '\0';
    return &query_cut_marker;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    bool query_cut = *con_cls == &query_cut_marker, path_slash = *con_cls == &path_slash_marker;
    http_req *r = query_cut || path_slash ? NULL : *con_cls;
    if (!r) {
        if (!(r = calloc(1, sizeof *r)))
            return MHD_NO;
        *con_cls = r;
        /* the headers came: the request is under the watch's deadline only while a small body
           comes (below; every answer given now is the server's own time) */
        struct conn_watch *w = watch_of(conn);
        if (w)
            atomic_store(&w->receiving, 0);
        iom_arena_init(&r->arena);
        r->srv = &s->sh;
        r->conn = conn;
        app_read_ticket_init(&r->read_ticket, read_logged, r);
        r->start_us = now_us();
        snprintf(r->request_id, sizeof r->request_id, "%08" PRIx32 "%08" PRIx32, s->id_prefix,
                 (uint32_t)atomic_fetch_add(&s->id_next, 1));
        r->method = known_method(method);
        bool path_known;
        r->route = http_route_find(method, url, &r->arena, r->names, r->values, &r->nparams, &path_known);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int ncl[4] = {0, 0, 0, 0};
        MHD_get_connection_values(conn, MHD_HEADER_KIND, count_cl, ncl);
        if (ncl[2] && (ncl[0] || ncl[2] > 1 || ncl[3])) {
            /* a length and chunks, two codings, or a coding other than chunked: which bytes
               are the body is the proxy's guess or ours (request smuggling), and a coding
               libmicrohttpd does not decode left it waiting for a body it could not frame
               until the connection timed out; refused, the body unread, the connection
               closed */
            r->body_too_big = true;
            if (ncl[0])
                http_problem(r, 400, "invalid", "Invalid request",
                             "Transfer-Encoding with Content-Length: send one of them");
            else if (ncl[2] > 1)
                http_problem(r, 400, "invalid", "Invalid request",
                             "Transfer-Encoding: given more than once");
            else
                http_problem(r, 501, "not_implemented", "Not implemented",
                             "Transfer-Encoding: only chunked is accepted");
            return send_response(r);
        }
        if (ncl[0] > 1) {
            /* two lengths: which one frames the body is the proxy's guess or ours (request
               smuggling); refused, the body unread, the connection closed */
            r->body_too_big = true;
            http_problem(r, 400, "invalid", "Invalid request",
                         "Content-Length: given more than once");
            return send_response(r);
        }
        if (query_cut) {
            /* refused before anything else: the parameters were dropped unread */
            r->body_too_big = true;
            http_problem(r, 400, "invalid", "Invalid request",
                         "query string: more than %d parameters", HTTP_QUERY_MAX);
            return send_response(r);
        }
        if (path_slash) {
            r->body_too_big = true;
            http_problem(r, 400, "invalid", "Invalid request",
                         "path: an encoded slash (%%2F or %%5C) is not accepted; no reference holds one");
            return send_response(r);
        }
        if (ncl[1] > 1) {
            /* two credentials: which one acts is a guess (the first, for MHD); refused, the
               body unread */
            r->body_too_big = true;
            http_problem(r, 400, "invalid", "Invalid request",
                         "Authorization: given more than once; send one credential");
            return send_response(r);
        }
        bool ok = true;
        size_t limit = http_body_limit(r->route, s->sh.cfg.body_limit);
        if (cl && parse_size(cl, &ok) > limit && ok) {
            /* Answer at once without reading the body: MHD then closes the connection. */
            r->body_too_big = true;
            dispatch(s, r, path_known, url);
            r->status = r->status ? r->status : 413;
            return send_response(r);
        }
        /* a body comes: a length above 0, or chunks */
        bool has_body = (cl && !(parse_size(cl, &ok) == 0 && ok)) || ncl[2];
        if (!r->route && has_body) {
            /* 404/405 at once, the body unread (review 62: an unknown path's bodies counted
               against the body budget), the connection closed */
            r->body_too_big = true;
            dispatch(s, r, path_known, url);
            return send_response(r);
        }
        if (!r->route)
            dispatch(s, r, path_known, url); /* 404/405 at the end */
        else if (!authenticate_early(s, r, has_body))
            return send_response(r);
        else if (cl && ok) {
            /* a large body of a declared length is reserved whole as it is admitted, first come
               first served, or refused before it is read (review 84 M4: two uploads of one user
               counted as they came crossed its share together, and both were refused after most
               of them was sent) */
            size_t len = parse_size(cl, &ok);
            if (ok && len > BODY_SMALL) {
                if (!body_take(s, r, len)) {
                    r->body_busy = true; /* answered now, the body unread */
                    dispatch(s, r, path_known, url);
                    return send_response(r);
                }
                r->body_reserved = true;
                r->body_win_us = now_us(); /* its rate counts from now */
                r->body_win_len = 0;
            }
        }
        if (w && has_body && !r->body_reserved)
            atomic_store(&w->receiving, 1); /* a small body (or chunks) must come in time */
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        if (!r->body_too_big && !r->body_busy && !r->body_slow) {
            bool over = r->body.len + n > http_body_limit(r->route, s->sh.cfg.body_limit);
            bool slow = !over && body_too_slow(s, r, n, now_us());
            bool busy = !over && !slow && !r->body_reserved && !body_take(s, r, n);
            if (over || busy || slow) { /* the rest of the body is read and dropped */
                r->body_too_big = over;
                r->body_busy = busy;
                r->body_slow = slow;
                if (r->body.data)
                    sodium_memzero(r->body.data, r->body.len);
                iom_buf_free(&r->body);
                r->body = (iom_buf)IOM_BUF_INIT;
                body_release(s, r);
                /* the rest is read only to answer: no rate rule holds a dropped body (a trickle
                   held the connection for good), so a large one's rest must come within the
                   timeout from now; a small one keeps the deadline it has */
                struct conn_watch *w = watch_of(conn);
                if (w && !atomic_load(&w->receiving)) {
                    atomic_store(&w->since_us, now_us());
                    atomic_store(&w->receiving, 1);
                }
            } else {
                iom_buf_append(&r->body, upload_data, n);
            }
        }
        *upload_size = 0;
        if (r->body.len > BODY_SMALL) { /* a large body: the rate rule from now on */
            struct conn_watch *w = watch_of(conn);
            if (w)
                atomic_store(&w->receiving, 0);
        }
        return MHD_YES;
    }
    {
        struct conn_watch *w = watch_of(conn); /* the request came whole */
        if (w)
            atomic_store(&w->receiving, 0);
    }
    if (r->read_suspended) /* resumed: every read entry of the request is written, or failed */
        return send_logged(r);
    if (!answered(r))
        dispatch(s, r, false, url);
    if (app_read_ticket_idle(&r->read_ticket))
        return send_logged(r); /* no read logged, or already written */
    /* Hold the answer until the read log has written this request's entries: the connection
       is suspended (this worker thread serves others) and resumed by the writer's callback,
       or here when the last entry was written in between. */
    pool_put(s, r->store); /* the answer is made: its store handle can serve others meanwhile */
    r->store = NULL;
    MHD_suspend_connection(conn);
    r->read_suspended = true;
    atomic_fetch_add(&s->read_waiting, 1);
    if (app_read_ticket_release(&r->read_ticket))
        MHD_resume_connection(conn);
    return MHD_YES;
}

/* ---- completion: access log and clean-up ------------------------------------------------ */

/* One JSON line per request (the same keys and order as a jansson object would print),
   written with util/jsonw: no tree per request on the hot path. Never a body, a password, a
   token or intelligence text: only the route's pattern, the status, the user's name. */
static void access_log(http_server *s, http_req *r, enum MHD_RequestTerminationCode toe)
{
    char when[32];
    iom_time_utc((int64_t)time(NULL), when);
    iom_buf b = {0};
    iom_buf_reserve(&b, 256);
    iom_buf_putc(&b, '{');
    jsonw_key(&b, "time");
    jsonw_str(&b, when);
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "method");
    jsonw_str(&b, r->method && jsonw_utf8_ok(r->method) ? r->method : "(invalid)");
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "path");
    jsonw_str(&b, r->route ? r->route->pattern : "(unmatched)");
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "status");
    jsonw_int(&b, r->status);
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "duration_us");
    jsonw_int(&b, (int64_t)(now_us() - r->start_us));
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "user");
    if (r->authed && r->who.user.name && jsonw_utf8_ok(r->who.user.name))
        jsonw_str(&b, r->who.user.name);
    else
        iom_buf_puts(&b, "null");
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "request_id");
    jsonw_str(&b, r->request_id);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK) {
        iom_buf_putc(&b, ',');
        jsonw_key(&b, "aborted");
        jsonw_bool(&b, true);
    }
    log_line(s, &b);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_server *s = cls;
    http_req *r = *con_cls;
    *con_cls = NULL;
    struct conn_watch *w = conn ? watch_of(conn) : NULL;
    if (w) { /* the next request on the connection is awaited from now */
        atomic_store(&w->since_us, now_us());
        atomic_store(&w->receiving, 1);
    }
    if (!r || r == (void *)&query_cut_marker || r == (void *)&path_slash_marker)
        return;
    if (r->read_suspended)
        atomic_fetch_sub(&s->read_waiting, 1);
    access_log(s, r, toe);
    pool_put(s, r->store);
    json_decref(r->out);
    iom_buf_free(&r->text);
    json_decref(r->input);
    if (r->body.data)
        sodium_memzero(r->body.data, r->body.len); /* may hold a password */
    iom_buf_free(&r->body);
    body_release(s, r);
    sodium_memzero(&r->who, sizeof r->who);
    iom_arena_free(&r->arena);
    free(r);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes %HH in the path and query, except %00: a NUL never enters a string. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (const char *p = s; *p; p++) {
        int hi, lo;
        if (p[0] == '%' && p[1] && p[2] && (hi = hexval(p[1])) >= 0 &&
            (lo = hexval(p[2])) >= 0 && (hi | lo) != 0) {
            *w++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* ---- start and stop --------------------------------------------------------------------- */

typedef union listen_addr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
} listen_addr;

/* "127.0.0.1:8080" or "[::1]:8080". */
static iom_err parse_listen(const char *s, listen_addr *out, bool *v6, iom_error *e)
{
    memset(out, 0, sizeof *out);
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof host)
        return iom_fail(e, IOM_EINVAL, "listen: '%s' is not ADDRESS:PORT", s);
    size_t hl = (size_t)(colon - s);
    memcpy(host, s, hl);
    host[hl] = '\0';
    bool ok;
    size_t port = parse_size(colon + 1, &ok);
    if (!ok || port > 65535)
        return iom_fail(e, IOM_EINVAL, "listen: '%s' is not a port from 0 to 65535", colon + 1);
    *v6 = host[0] == '[';
    if (*v6) {
        if (hl < 3 || host[hl - 1] != ']')
            return iom_fail(e, IOM_EINVAL, "listen: '%s' is not an IPv6 address in brackets", host);
        host[hl - 1] = '\0';
        out->v6.sin6_family = AF_INET6;
        out->v6.sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &out->v6.sin6_addr) != 1)
            return iom_fail(e, IOM_EINVAL, "listen: '%s' is not an IPv6 address", host + 1);
    } else {
        out->v4.sin_family = AF_INET;
        out->v4.sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &out->v4.sin_addr) != 1)
            return iom_fail(e, IOM_EINVAL, "listen: '%s' is not an IPv4 address", host);
    }
    return IOM_OK;
}

static char *read_file(const char *path, iom_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        iom_fail(e, IOM_EIO, "tls: cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    iom_buf b = IOM_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 20))
        iom_buf_append(&b, chunk, n);
    fclose(f);
    if (!b.data)
        iom_fail(e, IOM_EIO, "tls: '%s' is empty", path);
    return b.data;
}

static void defaults(http_config *c)
{
    if (!c->listen)
        c->listen = "127.0.0.1:8080";
    if (!c->conn_timeout)
        c->conn_timeout = 30;
    if (!c->max_connections)
        c->max_connections = 1000;
    if (!c->max_per_ip)
        c->max_per_ip = 100;
    if (!c->conn_memory)
        c->conn_memory = 64 * 1024;
    if (!c->body_limit)
        c->body_limit = 1u << 20;
    if (!c->bodies_limit)
        c->bodies_limit = (size_t)256 << 20;
    if (!c->body_rate_window_ms)
        c->body_rate_window_ms = 30000;
    if (!c->shutdown_grace)
        c->shutdown_grace = 5;
}

static const char *process_user(void)
{
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? pw->pw_name : "unknown";
}

static void server_free(http_server *s)
{
    sweep_stop(s);
    watch_stop(s);
    app_readlog_free(s->readlog);
    for (size_t i = 0; i < s->nopen; i++)
        iom_store_close(s->all[i]);
    free(s->all);
    free(s->pool);
    free(s->cert_pem);
    free(s->key_pem);
    pthread_mutex_destroy(&s->pool_mu);
    pthread_mutex_destroy(&s->log_mu);
    pthread_mutex_destroy(&s->sweep_mu);
    pthread_mutex_destroy(&s->share_mu);
    pthread_cond_destroy(&s->sweep_cv);
    pthread_mutex_destroy(&s->watch_mu);
    pthread_cond_destroy(&s->watch_cv);
    sodium_memzero(s->sh.audit_key, sizeof s->sh.audit_key);
    free(s);
}

/* Why the daemon could not listen: a bind of our own on the same address tells (errno). */
static iom_err listen_failure(const char *listen, const listen_addr *addr, bool v6, bool tls,
                              iom_error *e)
{
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1, why = 0;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, &addr->sa, v6 ? sizeof addr->v6 : sizeof addr->v4) != 0)
            why = errno;
        close(fd);
    }
    if (why == EADDRINUSE)
        return iom_fail(e, IOM_EIO, "listen: address in use: %s already has a server (stop it, or "
                                    "give another --listen ADDRESS:PORT)", listen);
    if (why == EACCES)
        return iom_fail(e, IOM_EIO, "listen: %s: permission denied (ports below 1024 need "
                                    "privileges)", listen);
    if (why == EADDRNOTAVAIL)
        return iom_fail(e, IOM_EIO, "listen: %s is not an address of this machine", listen);
    if (why)
        return iom_fail(e, IOM_EIO, "listen: cannot serve on %s: %s", listen, strerror(why));
    return iom_fail(e, IOM_EIO, "listen: cannot serve on %s%s", listen,
                    tls ? " (check the TLS certificate and key)" : "");
}

iom_err http_server_start(const http_config *cfg, http_server **out, iom_error *e)
{
    *out = NULL;
    if (sodium_init() < 0)
        return iom_fail(e, IOM_ESTORE, "libsodium could not initialise");
    iom_err loaded = iom_lib_need(IOM_LIB_MHD, e);
    if (loaded)
        return loaded;
    http_server *s = calloc(1, sizeof *s);
    if (!s)
        return iom_fail(e, IOM_ENOMEM, "server: out of memory");
    s->id_prefix = randombytes_random();
    atomic_init(&s->id_next, 0);
    atomic_init(&s->body_bytes, 0);
    pthread_mutex_init(&s->share_mu, NULL);
    atomic_init(&s->read_waiting, 0);
    pthread_mutex_init(&s->pool_mu, NULL);
    pthread_mutex_init(&s->log_mu, NULL);
    pthread_mutex_init(&s->sweep_mu, NULL);
    cond_init_monotonic(&s->sweep_cv);
    pthread_mutex_init(&s->watch_mu, NULL);
    cond_init_monotonic(&s->watch_cv);
    s->sh.cfg = *cfg;
    defaults(&s->sh.cfg);
    s->sh.os_user = process_user();
    http_config *c = &s->sh.cfg;
    listen_addr addr;
    bool v6 = false;
    iom_err err = parse_listen(c->listen, &addr, &v6, e);
    for (size_t i = 0; !err && c->trusted_proxies && c->trusted_proxies[i]; i++) {
        if (i == HTTP_MAX_PROXIES)
            err = iom_fail(e, IOM_EINVAL, "trusted-proxy: at most %d (name a network: ADDRESS/PREFIX)",
                           HTTP_MAX_PROXIES);
        else if (!(err = http_net_parse(c->trusted_proxies[i], &s->sh.proxies[i], e)))
            s->sh.nproxies = i + 1;
    }
    c->trusted_proxies = NULL; /* parsed: the caller's strings are not kept */
    if (!err && (!c->tls_cert) != (!c->tls_key))
        err = iom_fail(e, IOM_EINVAL, "tls: give both --tls-cert and --tls-key");
    if (!err && c->tls_cert && (!(s->cert_pem = read_file(c->tls_cert, e)) || !(s->key_pem = read_file(c->tls_key, e))))
        err = IOM_EIO;
    iom_arena a;
    iom_arena_init(&a);
    if (!err)
        err = audit_key_load(audit_key_path(&a, c->db_path), s->sh.audit_key, e);
    iom_arena_free(&a);
    iom_store *probe = NULL;
    if (!err && !(probe = pool_get(s, e)))
        err = e && e->code ? e->code : IOM_ESTORE;
    if (!err) { /* the key must be this database's: refuse to start rather than sign entries
                   that every verification will call tampering (app/audit.h audit_key_check) */
        if (!(err = probe->ops->begin(probe, false, e))) {
            err = audit_key_check(probe, s->sh.audit_key, e);
            probe->ops->rollback(probe);
        }
    }
    if (!err && !c->threads) { /* per core, as the back-end says (store.h threads_per_core):
                                  each request runs to the end on its thread */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        unsigned per = probe->ops->threads_per_core ? probe->ops->threads_per_core : 1;
        cores = cores < 1 ? 1 : cores > 64 ? 64 : cores;
        c->threads = (unsigned)cores * per;
    }
    pool_put(s, probe);
    if (!err && probe && probe->ops->end_idle) { /* a back-end that keeps something open */
        if (pthread_create(&s->sweeper, NULL, sweep_run, s) != 0)
            err = iom_fail(e, IOM_ENOMEM, "server: cannot start the idle sweeper thread");
        else
            s->sweeping = true;
    }
    if (!err) {
        if (pthread_create(&s->watcher, NULL, watch_run, s) != 0)
            err = iom_fail(e, IOM_ENOMEM, "server: cannot start the connection watch thread");
        else
            s->watching = true;
    }
    app_readlog_config rc = {.db_path = c->db_path, .audit_key = s->sh.audit_key,
                             .queue_max = c->read_queue_max};
    if (!err)
        err = app_readlog_start(&rc, &s->readlog, e);
    if (err) {
        server_free(s);
        return err;
    }
    s->sh.tls = c->tls_cert != NULL;
    /* TURBO: MHD tries reads, writes and accepts before polling (non-blocking sockets), and
       skips some fcntl calls; measured with bench/http.
       poll, not epoll (review 101): libmicrohttpd's epoll loop (0.9.75, and its master as of
       2025) takes at most 128 events per epoll_wait and, when it got 128, calls epoll_wait
       again with the timeout it computed before the first call (the time left to the earliest
       connection timeout) before serving any of them. A worker thread that found exactly 128
       connections ready at once (a burst arriving while it ran a request) slept until that
       timeout, and then its timeout pass, which runs before the ready connections are served,
       closed all 128 with their requests unread: the clients saw their connections reset
       (test_http_concurrency, on either back-end: 72 answered, 128 reset at its 120 s
       timeout).
       MHD's poll loop has no such cap: one poll() over the worker's connections, each ready
       one served before its timeout is checked. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_TURBO |
                     MHD_ALLOW_SUSPEND_RESUME |
                     (v6 ? MHD_USE_IPv6 : 0) | (s->sh.tls ? MHD_USE_TLS : 0);
    op_analyses_threads(c->threads); /* a thread always left for other requests (review 111 M2) */
    struct MHD_OptionItem ops[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &addr.sa},
        {MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)c->threads, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)c->max_connections, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)c->max_per_ip, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)c->conn_timeout, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)c->conn_memory, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)conn_notify, s},
        {MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)uri_seen, NULL},
        {s->sh.tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, s->cert_pem},
        {s->sh.tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, s->key_pem},
        /* TLS 1.2 and 1.3 only (NCSC guidance; RFC 8996 deprecates 1.0 and 1.1): GnuTLS's
           default priorities on Debian 12 still let a client handshake at 1.0 or 1.1
           (test_http_tls) */
        {s->sh.tls ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, 0,
         (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
        {MHD_OPTION_END, 0, NULL},
    };
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
    if (!s->d) {
        /* The message first: c may point into s, which server_free releases. */
        iom_err failed = listen_failure(c->listen ? c->listen : "127.0.0.1:8080", &addr, v6,
                                        s->sh.tls, e);
        server_free(s);
        return failed;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return IOM_OK;
}

uint16_t http_server_port(const http_server *s) { return s->port; }

void http_server_read_stats(http_server *s, uint64_t *batches, uint64_t *entries, uint64_t *cpu_ns)
{
    app_readlog_stats(s->readlog, batches, entries, cpu_ns);
}

void http_server_stop(http_server *s)
{
    if (!s)
        return;
    MHD_quiesce_daemon(s->d); /* stop accepting; connections in progress go on */
    uint64_t until = now_us() + (uint64_t)s->sh.cfg.shutdown_grace * 1000000u;
    while (now_us() < until) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* Drain the read log: every entry queued is written (or fails) and its request resumed;
       reads arriving from now on are refused (503). Then let those answers go out. */
    app_readlog_stop(s->readlog);
    until = now_us() + (uint64_t)s->sh.cfg.shutdown_grace * 1000000u;
    while (atomic_load(&s->read_waiting) > 0 && now_us() < until) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->d);
    /* background jobs (app/job.h) end their transaction before the store goes */
    app_jobs_drain(s->sh.cfg.shutdown_grace > 0 ? (int)s->sh.cfg.shutdown_grace * 30 : 60);
    server_free(s);
}

iom_err http_serve(const http_config *cfg, iom_error *e)
{
    /* Block the signals before the worker threads exist, so only sigwait sees them. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    signal(SIGPIPE, SIG_IGN);
    http_server *s;
    iom_err err = http_server_start(cfg, &s, e);
    if (err) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return err;
    }
    const http_config *c = &s->sh.cfg;
    fprintf(stderr, "iom serve: listening on %s://%.*s:%u (%u threads); stop with Ctrl-C or SIGTERM\n",
            s->sh.tls ? "https" : "http", (int)(strrchr(c->listen, ':') - c->listen), c->listen,
            s->port, c->threads);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "iom serve: %s received, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_server_stop(s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    fprintf(stderr, "iom serve: stopped\n");
    return IOM_OK;
}
