/* The read-purpose log in group commits (app/readlog.h). */
#define _GNU_SOURCE /* pthread_setname_np */
#include "app/readlog.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/json.h"
#include "store/reads_store.h"

/* ---- tickets ----------------------------------------------------------------------------- */

void app_read_ticket_init(app_read_ticket *t, void (*done)(void *), void *data)
{
    atomic_init(&t->pending, 1);
    atomic_init(&t->err, IOM_OK);
    t->msg[0] = '\0';
    t->done = done;
    t->data = data;
}

bool app_read_ticket_idle(app_read_ticket *t) { return atomic_load(&t->pending) <= 1; }

bool app_read_ticket_release(app_read_ticket *t) { return atomic_fetch_sub(&t->pending, 1) == 1; }

iom_err app_read_ticket_result(app_read_ticket *t) { return (iom_err)atomic_load(&t->err); }

/* One entry's outcome. The first failure is kept (its message written before the count drops,
   so whoever sees the count reach zero reads it complete). True when this was the last count. */
static bool ticket_complete(app_read_ticket *t, iom_err err, const char *msg)
{
    if (err) {
        int expected = IOM_OK;
        if (atomic_compare_exchange_strong(&t->err, &expected, (int)IOM_EUNAVAILABLE))
            snprintf(t->msg, sizeof t->msg, "%s", msg);
    }
    return atomic_fetch_sub(&t->pending, 1) == 1;
}

/* ---- the batch ------------------------------------------------------------------------------ */

/* Records the cut-over in the change chain ("audit.read_chain_start") and the read chain's
   start, inside the caller's write transaction. */
static iom_err chain_start(iom_store *s, const unsigned char key[IOM_AUDIT_KEY_BYTES], int64_t at,
                           const char *os_user, iom_read_chain_t *ch, iom_error *e)
{
    int64_t seq;
    char prev[65];
    iom_err err = s->ops->audit_head(s, &seq, prev, e);
    if (err)
        return err;
    iom_audit_t en = {
        .seq = seq + 1,
        .at = at,
        .os_user = (char *)os_user,
        .via = "system",
        .action = "audit.read_chain_start",
        .object_ref = "read-chain",
        .after_json = "{\"read_chain\":\"reads of content from here on are in the read chain\","
                      "\"first_read\":1}",
    };
    audit_entry_hash(key, prev, &en, en.hash);
    if ((err = s->ops->audit_append(s, &en, e)) ||
        (err = s->ops->reads->start(s, en.seq, en.hash, at, e)))
        return err;
    ch->started = true;
    ch->change_seq = en.seq;
    memcpy(ch->change_hash, en.hash, sizeof ch->change_hash);
    ch->started_at = at;
    return IOM_OK;
}

static iom_err begin_batch(iom_store *s, iom_error *e)
{
    return s->ops->reads->begin_batch ? s->ops->reads->begin_batch(s, e) : s->ops->begin(s, true, e);
}

iom_err app_readlog_write(iom_store *s, const unsigned char audit_key[IOM_AUDIT_KEY_BYTES],
                          iom_audit_t *v, size_t n, iom_error *e)
{
    if (n == 0)
        return IOM_OK;
    unsigned char rkey[IOM_AUDIT_KEY_BYTES];
    audit_read_key(audit_key, rkey);
    iom_read_chain_t ch;
    iom_err err = begin_batch(s, e);
    if (!err)
        err = audit_key_check(s, audit_key, e); /* the read chain's key derives from it */
    if (!err && !(err = s->ops->reads->chain(s, &ch, e)) && !ch.started) {
        /* The cut-over first, committed on its own, in a transaction that may write the
           change chain: a back-end may keep the change chain and the read entries where one
           commit is not atomic over both (SQLite: two files). */
        s->ops->rollback(s);
        if ((err = s->ops->begin(s, true, e)))
            goto fail;
        if ((err = s->ops->reads->chain(s, &ch, e)))
            goto fail;
        if (!ch.started && (err = chain_start(s, audit_key, v[0].at, v[0].os_user, &ch, e)))
            goto fail; /* else another writer started it meanwhile */
        if ((err = s->ops->commit(s, e)))
            goto fail;
        if (!(err = begin_batch(s, e)))
            err = s->ops->reads->chain(s, &ch, e);
    }
    if (err)
        goto fail;
    const char *prev = ch.head_seq ? ch.head_hash : ch.change_hash;
    int64_t seq = ch.head_seq;
    for (size_t i = 0; i < n; i++) {
        v[i].seq = ++seq;
        v[i].before_json = NULL;
        v[i].in_read_chain = true;
        audit_entry_hash(rkey, prev, &v[i], v[i].hash);
        prev = v[i].hash;
    }
    if ((err = s->ops->reads->append(s, v, n, e)) || (err = s->ops->commit(s, e)))
        goto fail;
    goto out;
fail:
    s->ops->rollback(s);
out:
    sodium_memzero(rkey, sizeof rkey);
    return err;
}

/* ---- the writer ---------------------------------------------------------------------------- */

typedef struct rl_node {
    struct rl_node *next;
    iom_audit_t en;
    app_read_ticket *t;
} rl_node;

struct app_readlog {
    pthread_mutex_t mu;
    pthread_cond_t work;          /* entries queued, or stopping */
    pthread_cond_t done;          /* a batch was completed (waiters without a `done` callback) */
    rl_node *head, *tail;         /* the queue, oldest first */
    size_t queued, queue_max, batch_max;
    bool stopping;
    bool joined;
    pthread_t thread;
    iom_store *store;             /* the writer's own handle (no housekeeping in its commits) */
    unsigned char key[IOM_AUDIT_KEY_BYTES];
    uint64_t batches, entries;
    uint64_t cpu_ns;              /* the writer thread's CPU time */
    /* The keeper: housekeeping (the WAL checkpoint) on a handle of its own, beside the writer,
       so that no batch waits for it. */
    pthread_t keeper;
    pthread_cond_t keep;
    iom_store *keeper_store;
    unsigned since_keep;          /* batches since the keeper was last called */
    unsigned since_ckpt;          /* batches since the writer's last checkpoint of the read log */
    bool keep_due, keeper_stop;
};

/* The keeper runs after this many batches (~4 pages of WAL each: up to ~32 MB of WAL, a
   checkpoint every ~10 s at 200 batches/s). Every 256 batches cost 15-20% of the logged reads'
   throughput on the shared disk (bench_http, 8 s runs side by side). */
#define KEEP_EVERY 2048

/* The writer checkpoints the read log's WAL itself every CKPT_EVERY batches, between two
   batches. The keeper's checkpoints run beside the writer, which appends all the while, so
   under a steady load of reads a checkpoint never caught up with the WAL's end, SQLite never
   found the moment to start the WAL over, and it grew without bound (660 MB in 20 s of wrk on
   the logged read); each batch then appended to a growing file, which costs about twice the
   CPU and wall time of writing over a WAL already that long (docs/performance.md). Run on the
   writer's own handle between batches, the checkpoint copies everything (no batch is being
   appended meanwhile), and the next batch starts the WAL over. */
#define CKPT_EVERY 256 /* ~770 WAL frames: a WAL of ~5.5 MB, a checkpoint of ~1 ms */

static void *keeper(void *arg)
{
    app_readlog *rl = arg;
    pthread_setname_np(pthread_self(), "iom-rl-keeper"); /* as shown by top -H, perf */
    pthread_mutex_lock(&rl->mu);
    for (;;) {
        while (!rl->keep_due && !rl->keeper_stop)
            pthread_cond_wait(&rl->keep, &rl->mu);
        if (!rl->keep_due)
            break;
        rl->keep_due = false;
        pthread_mutex_unlock(&rl->mu);
        iom_error e = {0};
        rl->keeper_store->ops->maintain(rl->keeper_store, &e); /* best effort: retried later */
        pthread_mutex_lock(&rl->mu);
    }
    pthread_mutex_unlock(&rl->mu);
    return NULL;
}

static atomic_bool bench_unlogged;

void app_readlog_bench_unlogged(bool on) { atomic_store(&bench_unlogged, on); }

static void *writer(void *arg)
{
    app_readlog *rl = arg;
    pthread_setname_np(pthread_self(), "iom-readlog");
    size_t cap = 0;
    iom_audit_t *v = NULL;
    pthread_mutex_lock(&rl->mu);
    for (;;) {
        while (!rl->head && !rl->stopping)
            pthread_cond_wait(&rl->work, &rl->mu);
        if (!rl->head)
            break; /* stopping, and the queue is drained */
        /* Everything queued so far, up to batch_max: the entries that arrived during the
           previous batch's fsync share the next one. */
        rl_node *batch = rl->head, *last = batch;
        size_t n = 1;
        while (last->next && n < rl->batch_max) {
            last = last->next;
            n++;
        }
        rl->head = last->next;
        if (!rl->head)
            rl->tail = NULL;
        last->next = NULL;
        rl->queued -= n;
        pthread_mutex_unlock(&rl->mu);

        iom_error e = {0};
        iom_err err = IOM_OK;
        if (n > cap) {
            iom_audit_t *w = realloc(v, n * sizeof *v);
            if (w) {
                v = w;
                cap = n;
            } else {
                err = iom_fail(&e, IOM_ENOMEM, "read log: out of memory");
            }
        }
        if (!err) {
            size_t i = 0;
            for (rl_node *p = batch; p; p = p->next)
                v[i++] = p->en;
            err = app_readlog_write(rl->store, rl->key, v, n, &e);
        }
        /* Counted before the entries are completed: a reader that saw its read logged sees it
           counted (the ASan run of test_readlog read the counts between the two: 9,999 of
           10,000) */
        if (!err) {
            pthread_mutex_lock(&rl->mu);
            rl->batches++;
            rl->entries += n;
            if (++rl->since_keep >= KEEP_EVERY) {
                rl->since_keep = 0;
                rl->keep_due = true;
                pthread_cond_signal(&rl->keep);
            }
            pthread_mutex_unlock(&rl->mu);
        }
        /* Complete each entry. A ticket reaching zero may let its request free the node: read
           `next` first. */
        for (rl_node *p = batch, *next; p; p = next) {
            next = p->next;
            app_read_ticket *t = p->t;
            if (ticket_complete(t, err, e.msg) && t->done)
                t->done(t->data);
        }
        /* Every CKPT_EVERY batches, once this batch's reads are answered: the read log's WAL
           copied into its file, so that the next batch starts the WAL over instead of growing
           it (see CKPT_EVERY). */
        if (!err && rl->store->ops->reads->checkpoint && ++rl->since_ckpt >= CKPT_EVERY) {
            rl->since_ckpt = 0;
            iom_error ce = {0};
            rl->store->ops->reads->checkpoint(rl->store, &ce); /* best effort: next time */
        }
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        pthread_mutex_lock(&rl->mu);
        rl->cpu_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        pthread_cond_broadcast(&rl->done);
    }
    pthread_mutex_unlock(&rl->mu);
    free(v);
    return NULL;
}

iom_err app_readlog_start(const app_readlog_config *cfg, app_readlog **out, iom_error *e)
{
    *out = NULL;
    if (sodium_init() < 0)
        return iom_fail(e, IOM_EIO, "read log: libsodium could not initialise");
    app_readlog *rl = calloc(1, sizeof *rl);
    if (!rl)
        return iom_fail(e, IOM_ENOMEM, "read log: out of memory");
    rl->queue_max = cfg->queue_max ? cfg->queue_max : APP_READLOG_QUEUE_DEFAULT;
    rl->batch_max = cfg->batch_max ? cfg->batch_max : APP_READLOG_BATCH_DEFAULT;
    memcpy(rl->key, cfg->audit_key, sizeof rl->key);
    iom_err err = iom_store_open(cfg->db_path, IOM_STORE_MAINTAIN_APART, &rl->store, e);
    if (!err && (err = iom_store_open(cfg->db_path, 0, &rl->keeper_store, e)))
        iom_store_close(rl->store);
    if (err) {
        sodium_memzero(rl->key, sizeof rl->key);
        free(rl);
        return err;
    }
    pthread_mutex_init(&rl->mu, NULL);
    pthread_cond_init(&rl->work, NULL);
    pthread_cond_init(&rl->done, NULL);
    pthread_cond_init(&rl->keep, NULL);
    bool writer_up = pthread_create(&rl->thread, NULL, writer, rl) == 0;
    if (!writer_up || pthread_create(&rl->keeper, NULL, keeper, rl) != 0) {
        if (writer_up) {
            pthread_mutex_lock(&rl->mu);
            rl->stopping = true;
            pthread_cond_broadcast(&rl->work);
            pthread_mutex_unlock(&rl->mu);
            pthread_join(rl->thread, NULL);
        }
        iom_store_close(rl->store);
        iom_store_close(rl->keeper_store);
        pthread_mutex_destroy(&rl->mu);
        pthread_cond_destroy(&rl->work);
        pthread_cond_destroy(&rl->done);
        pthread_cond_destroy(&rl->keep);
        sodium_memzero(rl->key, sizeof rl->key);
        free(rl);
        return iom_fail(e, IOM_EIO, "read log: cannot start the writer's threads");
    }
    *out = rl;
    return IOM_OK;
}

void app_readlog_stop(app_readlog *rl)
{
    if (!rl)
        return;
    pthread_mutex_lock(&rl->mu);
    bool join = !rl->joined;
    rl->stopping = true;
    rl->joined = true;
    pthread_cond_broadcast(&rl->work);
    pthread_mutex_unlock(&rl->mu);
    if (!join)
        return;
    pthread_join(rl->thread, NULL); /* returns once the queue is drained */
    pthread_mutex_lock(&rl->mu);
    rl->keeper_stop = true;
    rl->keep_due = true; /* a last checkpoint */
    pthread_cond_signal(&rl->keep);
    pthread_mutex_unlock(&rl->mu);
    pthread_join(rl->keeper, NULL);
}

void app_readlog_free(app_readlog *rl)
{
    if (!rl)
        return;
    app_readlog_stop(rl);
    iom_store_close(rl->store);
    iom_store_close(rl->keeper_store);
    pthread_mutex_destroy(&rl->mu);
    pthread_cond_destroy(&rl->work);
    pthread_cond_destroy(&rl->done);
    pthread_cond_destroy(&rl->keep);
    sodium_memzero(rl->key, sizeof rl->key);
    free(rl);
}

void app_readlog_stats(app_readlog *rl, uint64_t *batches, uint64_t *entries, uint64_t *cpu_ns)
{
    pthread_mutex_lock(&rl->mu);
    if (batches)
        *batches = rl->batches;
    if (entries)
        *entries = rl->entries;
    if (cpu_ns)
        *cpu_ns = rl->cpu_ns;
    pthread_mutex_unlock(&rl->mu);
}

/* Queues the n nodes chained from `nodes` (linked by next), each under its ticket (one more
   pending count each), all or none: a full queue refuses them all (a set larger than the
   queue is taken into an empty one). */
static iom_err enqueue(app_readlog *rl, rl_node *nodes, size_t n, iom_error *e)
{
    pthread_mutex_lock(&rl->mu);
    if (rl->stopping) {
        pthread_mutex_unlock(&rl->mu);
        return iom_fail(e, IOM_EUNAVAILABLE, "read log: the server is stopping; the read was not logged");
    }
    if (rl->queued >= rl->queue_max || (rl->queued > 0 && rl->queued + n > rl->queue_max)) {
        pthread_mutex_unlock(&rl->mu);
        return iom_fail(e, IOM_EBUSY, "read log: %zu reads are waiting to be logged already; try again",
                        rl->queued);
    }
    rl_node *last = nodes;
    for (size_t i = 0; i < n; i++) {
        atomic_fetch_add(&last->t->pending, 1);
        if (i + 1 < n)
            last = last->next;
    }
    last->next = NULL;
    if (rl->tail)
        rl->tail->next = nodes;
    else
        rl->head = nodes;
    rl->tail = last;
    rl->queued += n;
    pthread_cond_signal(&rl->work);
    pthread_mutex_unlock(&rl->mu);
    return IOM_OK;
}

/* Queues the n nodes and waits until they are written. */
static iom_err enqueue_wait(app_readlog *rl, rl_node *nodes, size_t n, iom_error *e)
{
    app_read_ticket t;
    app_read_ticket_init(&t, NULL, NULL);
    rl_node *p = nodes;
    for (size_t i = 0; i < n; i++, p = p->next)
        p->t = &t;
    iom_err err = enqueue(rl, nodes, n, e);
    if (err)
        return err;
    if (!app_read_ticket_release(&t)) {
        pthread_mutex_lock(&rl->mu);
        while (atomic_load(&t.pending) > 0)
            pthread_cond_wait(&rl->done, &rl->mu);
        pthread_mutex_unlock(&rl->mu);
    }
    if (app_read_ticket_result(&t))
        return iom_fail(e, IOM_EUNAVAILABLE, "read log: %s; nothing was shown", t.msg);
    return IOM_OK;
}

/* ---- app_read_log ----------------------------------------------------------------------------- */

static char *dup_or_null(iom_arena *a, const char *s) { return s ? iom_arena_strdup(a, s) : NULL; }

iom_err app_read_log(iom_ctx *c, const char *action, const char *object_ref, const char *after_json)
{
    app_read_entry en = {action, object_ref, after_json};
    return app_read_log_all(c, &en, 1);
}

iom_err app_read_log_all(iom_ctx *c, const app_read_entry *v, size_t n)
{
    if (atomic_load(&bench_unlogged) || n == 0)
        return IOM_OK;
    app_release(c); /* a held read: the result is copied already, the snapshot is not needed */
    if (c->read_stale) /* it was read against rows older than its snapshot: shown never */
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "the rows this read was checked against changed meanwhile; try again");
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EUNAVAILABLE,
                        "read log: no audit key loaded; a read of content must be logged");
    rl_node *nodes = iom_arena_new(c->arena, rl_node, n);
    memset(nodes, 0, n * sizeof *nodes);
    int64_t at = app_now(c);
    const char *actor = c->actor_loaded ? dup_or_null(c->arena, c->actor_name) : NULL;
    const char *os_user = dup_or_null(c->arena, c->os_user);
    const char *via = iom_arena_strdup(c->arena, c->via ? c->via : "system");
    for (size_t i = 0; i < n; i++) {
        nodes[i].en = (iom_audit_t){
            .at = at,
            .actor = (char *)actor,
            .os_user = (char *)os_user,
            .via = (char *)via,
            .action = iom_arena_strdup(c->arena, v[i].action),
            .object_ref = dup_or_null(c->arena, v[i].object_ref),
            .after_json = dup_or_null(c->arena, v[i].after_json),
        };
        nodes[i].next = i + 1 < n ? &nodes[i + 1] : NULL;
    }
    if (!c->readlog) {
        /* One batch, on the caller's store. */
        iom_error e = {0};
        iom_audit_t *ens = iom_arena_new(c->arena, iom_audit_t, n);
        for (size_t i = 0; i < n; i++)
            ens[i] = nodes[i].en;
        if (app_readlog_write(c->store, c->audit_key, ens, n, &e))
            return iom_fail(&c->err, IOM_EUNAVAILABLE, "read log: %s; nothing was shown", e.msg);
        return IOM_OK;
    }
    if (c->read_ticket) {
        for (size_t i = 0; i < n; i++)
            nodes[i].t = c->read_ticket;
        return enqueue(c->readlog, nodes, n, &c->err);
    }
    return enqueue_wait(c->readlog, nodes, n, &c->err);
}

void app_read_log_refused(iom_ctx *c, const char *op, const char *object_ref, iom_err err)
{
    /* stale: the server runs the request again, and that run's refusal is logged */
    if ((err != IOM_EFORBIDDEN && err != IOM_ENOTFOUND) || !c->actor_loaded || !c->actor_name ||
        !c->has_audit_key || !op || c->read_stale || c->refusal_logged)
        return;
    iom_error kept = c->err;
    json_t *j = json_pack("{s:{s:s, s:s}}", "refused", "operation", op, "answer",
                          err == IOM_EFORBIDDEN ? "forbidden" : "not_found");
    char *text = json_text(c->arena, j);
    json_decref(j);
    /* under the request's ticket, as a read's: the server holds the answer (and the request's
       arena, where the entry lives) until the entry is written, its thread serving others */
    /* taken once it is queued (review 93 M1: marked before a write that a stale hold refused,
       the request's rerun logged nothing) */
    if (app_read_log(c, "access.refused", object_ref, text) == IOM_OK)
        c->refusal_logged = true;
    c->err = kept;
}
