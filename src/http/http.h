/*
 * http.h: `iom serve`, the JSON API over the use-cases (issue 5; docs/serve.md).
 *
 * libmicrohttpd with an internal epoll thread pool; one request = one arena, one store
 * handle from a pool (SQLite handles are single-threaded), one use-case call with the
 * authenticated user as actor and via "http". See src/http/routes.c for the route table.
 * Content reads are logged by one group-commit writer (app/readlog.h): the response of a
 * request whose read entry is queued is held (its connection suspended, no worker thread
 * waits) until the entry is durable; when it cannot be written the answer is 503 instead.
 */
#ifndef IOM_HTTP_HTTP_H
#define IOM_HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "app/auth.h"
#include "util/err.h"

#define HTTP_MAX_PROXIES 16

typedef struct http_config {
    const char *db_path;          /* the database (its audit key beside it or $IOM_AUDIT_KEY) */
    const char *listen;           /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any free port */
    unsigned threads;             /* worker threads (0 = per online core: 1 on SQLite, 2 on
                                     PostgreSQL; store.h threads_per_core) */
    const char *tls_cert;         /* PEM files; both or neither */
    const char *tls_key;
    unsigned conn_timeout;        /* seconds a connection may stay idle or slow (0 = 30) */
    unsigned max_connections;     /* 0 = 1000 */
    unsigned max_per_ip;          /* 0 = 100 */
    size_t conn_memory;           /* per-connection memory: bounds headers (0 = 64 KiB) */
    size_t body_limit;            /* request body bytes (0 = 1 MiB); more: 413 */
    size_t bodies_limit;          /* body bytes held by all requests in flight together
                                     (0 = 256 MiB); a body that would pass it: 503. A body
                                     over 64 KiB may hold the limit less an eighth (kept for
                                     small bodies), and one user's such bodies a quarter */
    unsigned body_rate_window_ms; /* a body over 64 KiB must come at 8 KiB/s at least over each
                                     window of this many ms (0 = 30,000); slower: 408 */
    unsigned shutdown_grace;      /* seconds to let requests in flight finish (0 = 5) */
    size_t read_queue_max;        /* content-read log entries waiting for the writer at most
                                     (0 = APP_READLOG_QUEUE_DEFAULT); more: 503 busy */
    const char *const *trusted_proxies; /* NULL-terminated (or NULL): ADDRESS or ADDRESS/PREFIX
                                     of proxies in front of the server. From such a peer the
                                     client of a sign-in (the lockout's per-address count) is
                                     the last address of X-Forwarded-For that is no trusted
                                     proxy; from any other peer, the peer. At most
                                     HTTP_MAX_PROXIES; a bad one: IOM_EINVAL at start */
    app_auth_policy auth;         /* overrides of the stored auth.session and auth.lockout
                                     settings (app_settings_auth_policy): a field > 0 wins, 0
                                     takes the setting (`iom serve --idle-minutes`) */
    /* For tests: injected clock and lowered Argon2id cost (0 = defaults). */
    iom_clock_fn clock;
    void *clock_data;
    unsigned long long pwhash_opslimit;
    size_t pwhash_memlimit;
    FILE *access_log;             /* NULL = stderr; one JSON line per request */
} http_config;

typedef struct http_server http_server;

/* Starts the server (returns once it listens). OUT *out: stop with http_server_stop.
   Errors: IOM_EINVAL (bad listen address, TLS files), IOM_EIO (cannot listen, no key file),
   IOM_ESCHEMA / IOM_ESTORE (database). */
iom_err http_server_start(const http_config *cfg, http_server **out, iom_error *e);

/* The TCP port the server listens on (useful with port 0). */
uint16_t http_server_port(const http_server *s);

/* The read log's counters since start (app_readlog_stats): transactions, entries in them, the
   writer thread's CPU time (ns). */
void http_server_read_stats(http_server *s, uint64_t *batches, uint64_t *entries, uint64_t *cpu_ns);

/* Stops accepting, lets requests in flight finish (up to the grace period), drains the read
   log (every content read already queued is written and answered), closes every connection
   and store handle, frees the server. NULL is a no-op. */
void http_server_stop(http_server *s);

/* `iom serve`: starts, prints the address to stderr, waits for SIGINT or SIGTERM, stops.
   Returns IOM_OK after a clean shutdown. */
iom_err http_serve(const http_config *cfg, iom_error *e);

#endif
