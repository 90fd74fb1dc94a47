/*
 * readlog.h: the read-purpose log, written durably in group commits (issue 14; domain.md §10,
 * DPA 2018 Part 3 s.62: a consultation that has been shown must not vanish from the log).
 *
 * Every read of intelligence content (a tasking's full record, history and transfer;
 * intelligence items shown, listed, their history, the due-review list; a product download)
 * is one entry of the READ CHAIN: a keyed hash chain of its own (store/reads_store.h), apart
 * from the change chain, with its own sequence, head and checkpoints (app/audit.h
 * app_audit_verify_reads). Its key is derived from the audit key (audit_read_key).
 *
 * How a read is logged (app_read_log, called by the use-cases after their read transaction):
 *  - with ctx->readlog == NULL (the CLI, tests): the entry is written at once on the caller's
 *    store, in a write transaction of its own (a batch of one), before the use-case returns;
 *  - with a writer (the server): request threads queue their entries; ONE writer thread takes
 *    every entry queued (up to batch_max), writes them in ONE transaction (one fsync), then
 *    releases the waiting requests. Requests never take the store's writer lock themselves,
 *    and a batch locks only the read log (store/reads_store.h begin_batch): a change does not
 *    wait for it. The queue is bounded (queue_max): a full
 *    queue refuses at once with IOM_EBUSY (HTTP 503 `busy`, Retry-After).
 *    With ctx->read_ticket == NULL the use-case waits until its entry is durable; with a
 *    ticket it returns as soon as the entry is queued, and the adapter must send nothing of
 *    the result before the ticket reports every entry written (the HTTP server suspends the
 *    connection; server.c).
 *  - A read whose entry cannot be written (disk full, store error, no key, writer stopped)
 *    fails with IOM_EUNAVAILABLE (HTTP 503): its content is never shown.
 *
 * The first batch written to a database whose read chain has not started yet first records the
 * cut-over entry "audit.read_chain_start" in the change chain, in a transaction of its own
 * committed before the batch's (app_audit_reads_start does it at once; `iom init` anchors the
 * chain at its first entry). The writer's handle does no housekeeping in its commits; a keeper
 * thread runs the store's `maintain` beside it.
 */
#ifndef IOM_APP_READLOG_H
#define IOM_APP_READLOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

#define APP_READLOG_QUEUE_DEFAULT 1024 /* entries waiting for the writer at most */
#define APP_READLOG_BATCH_DEFAULT 1024 /* entries written in one transaction at most */

/* ---- logging a read (the use-cases) --------------------------------------------------- */

/* Logs one read of content by ctx's actor: action ("tasking.read", "intel.consult",
   "product.disclose"), the object read and the entry's JSON ({"read", "justification",
   "purpose"}). Call it after the read transaction ended (app_end); a held read
   (app_hold_read) is released first. Strings are copied. Returns IOM_OK once the entry is
   durable (or queued under ctx->read_ticket, see above); IOM_EBUSY when the writer's queue is
   full; IOM_EUNAVAILABLE when the entry cannot be written (ctx->err says why). The caller must
   then show nothing of what it read. */
iom_err app_read_log(iom_ctx *c, const char *action, const char *object_ref, const char *after_json);

/* One entry of a read shown under several objects (the agency's view of options: each option,
   and each option's tasking). */
typedef struct app_read_entry {
    const char *action;
    const char *object_ref;
    const char *after_json;
} app_read_entry;

/* Logs v[0..n) as app_read_log does one, all or none: written in one transaction (ctx->readlog
   NULL), or queued together (a full queue refuses them all with IOM_EBUSY); the writer may
   still split them over two of its batches, and the read is shown once every one is durable.
   n == 0 logs nothing. Errors as app_read_log. */
iom_err app_read_log_all(iom_ctx *c, const app_read_entry *v, size_t n);

/* Logs a refused attempt of ctx's signed-in actor (review 81 L7: probing was seen only in the
   server's access log): err IOM_EFORBIDDEN (403) or IOM_ENOTFOUND (404: not found, or not the
   actor's to see) of operation `op` ("tasking.show") on object_ref (or NULL) is one entry
   "access.refused" of the read chain, {"refused": {"operation", "answer": "forbidden" |
   "not_found"}}.
   Other errors, and a refusal with no actor read, log nothing. Best effort after the
   refusal, queued as a read is (under ctx->read_ticket when there is one: the server answers
   once it is written); a failure to queue it leaves the refusal's answer as it was (ctx->err
   is kept). */
void app_read_log_refused(iom_ctx *c, const char *op, const char *object_ref, iom_err err);

/* ---- the group-commit writer (the server) ---------------------------------------------- */

typedef struct app_readlog app_readlog;

typedef struct app_readlog_config {
    const char *db_path;               /* the store: the writer opens a handle of its own */
    const unsigned char *audit_key;    /* IOM_AUDIT_KEY_BYTES, copied */
    size_t queue_max;                  /* 0 = APP_READLOG_QUEUE_DEFAULT */
    size_t batch_max;                  /* 0 = APP_READLOG_BATCH_DEFAULT */
} app_readlog_config;

/* Opens the writer's store handle (IOM_STORE_MAINTAIN_APART: no checkpoint ever stalls a
   batch) and starts its thread, and a keeper thread with a handle of its own that runs the
   store's housekeeping (maintain) every 2048 batches, beside the writer. OUT *out: stop with
   app_readlog_stop, free with app_readlog_free. Errors of iom_store_open; IOM_ENOMEM,
   IOM_EIO (no thread). */
iom_err app_readlog_start(const app_readlog_config *cfg, app_readlog **out, iom_error *e);

/* Refuses new entries from now on (IOM_EUNAVAILABLE), writes every entry already queued and
   completes its ticket (the drain), then ends the writer thread. rl stays valid (so late
   callers are refused, not crashed) until app_readlog_free. Idempotent; NULL: no-op. */
void app_readlog_stop(app_readlog *rl);

/* Stops rl if still running, closes its store handle and frees it. NULL: no-op. */
void app_readlog_free(app_readlog *rl);

/* Counters since start (for the bench and the tests): transactions written, entries in them,
   and the writer thread's CPU time in nanoseconds (as of its last batch). Any pointer may be
   NULL. */
void app_readlog_stats(app_readlog *rl, uint64_t *batches, uint64_t *entries, uint64_t *cpu_ns);

/* ---- tickets: waiting for a request's entries without a thread ------------------------- */

/* A request's entries in flight. The adapter owns it (it must outlive every entry queued
   under it) and holds one count itself until app_read_ticket_release. */
typedef struct app_read_ticket {
    atomic_int pending;                /* entries not yet written + the adapter's hold */
    atomic_int err;                    /* IOM_OK, or the first failure (iom_err) */
    char msg[IOM_ERRMSG_MAX];          /* its detail, written before `pending` drops */
    void (*done)(void *data);          /* called by the writer thread when pending reaches 0 */
    void *data;
} app_read_ticket;

/* pending = 1 (the adapter's hold), no failure. done may be NULL. */
void app_read_ticket_init(app_read_ticket *t, void (*done)(void *), void *data);
/* True when no entry of t is waiting to be written (nothing was queued, or all are done). */
bool app_read_ticket_idle(app_read_ticket *t);
/* Drops the adapter's hold. True when it was the last count (every entry is written: `done`
   will NOT be called and the adapter goes on); false when `done(data)` will be called from the
   writer thread once the last entry is written. */
bool app_read_ticket_release(app_read_ticket *t);
/* After idle/release/done: IOM_OK, or IOM_EUNAVAILABLE (t->msg says why). */
iom_err app_read_ticket_result(app_read_ticket *t);

/* ---- the batch itself ------------------------------------------------------------------ */

/* Writes v[0..n) (at, actor, os_user, via, action, object_ref and after_json set; seq and
   hash are assigned here, before_json cleared) as the next entries of the read chain in ONE
   write transaction on s, which must have none open; when the chain has not started, the
   cut-over is committed first in a transaction of its own. Both the writer and the inline path
   use it. Errors of the store (the batch rolled back: none of v written). */
iom_err app_readlog_write(iom_store *s, const unsigned char audit_key[IOM_AUDIT_KEY_BYTES],
                          iom_audit_t *v, size_t n, iom_error *e);

/* ---- for bench/http only ---------------------------------------------------------------- */

/* When on, app_read_log logs nothing and returns IOM_OK: the unlogged baseline of
   bench/http.c (the same read without its log entry). Process-wide. Never called by iom itself:
   there is no option, variable or route that reaches it. */
void app_readlog_bench_unlogged(bool on);

#endif
