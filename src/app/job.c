/* Background jobs of `iom serve` (app/job.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app/job.h"
#include "app/json.h"
#include "util/arena.h"
#include "util/text.h"

typedef enum job_state { JOB_RUNNING, JOB_DONE, JOB_FAILED } job_state;

typedef struct job {
    bool used;
    char id[APP_JOB_ID_LEN + 1];
    char kind[40];
    char tasking[40];
    char *user;             /* heap: the starter */
    job_state state;
    char phase[24];
    uint64_t done, total;
    int64_t started_at, finished_at;
    json_t *result;         /* done: owned */
    iom_err err;            /* failed */
    char detail[IOM_ERRMSG_MAX];
    /* the work, until it ends */
    app_job_fn fn;
    void *payload;
    void (*free_payload)(void *);
    iom_ctx base;           /* a copy of the starter's context (strings below are heap copies) */
    char *db_path, *os_user, *purpose;
} job;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ended = PTHREAD_COND_INITIALIZER;
static job jobs[APP_JOBS_MAX];
static int running;

static int64_t now_of(const iom_ctx *c)
{
    return c->clock ? c->clock(c->clock_data) : (int64_t)time(NULL);
}

static void release(job *j)
{
    free(j->user);
    json_decref(j->result);
    if (j->free_payload && j->payload)
        j->free_payload(j->payload);
    free(j->db_path);
    free(j->os_user);
    free(j->purpose);
    sodium_memzero(&j->base, sizeof j->base);
    memset(j, 0, sizeof *j);
}

static void progress(void *p, const char *phase, uint64_t done, uint64_t total)
{
    job *j = p;
    pthread_mutex_lock(&mu);
    snprintf(j->phase, sizeof j->phase, "%s", phase ? phase : "");
    j->done = done;
    j->total = total;
    pthread_mutex_unlock(&mu);
}

/* An injected clock (tests, golden transcripts) is read once, when the job is accepted: the
   job then runs at that instant, whatever the injector does meanwhile. The system clock runs. */
static int64_t frozen(void *data) { return *(const int64_t *)data; }

static void *run(void *p)
{
    job *j = p;
    iom_arena arena;
    iom_arena_init(&arena);
    iom_ctx c = j->base;
    iom_store *st = NULL;
    json_t *result = NULL;
    iom_err err = iom_store_open(j->db_path, 0, &st, &c.err);
    if (!err) {
        c.store = st;
        c.arena = &arena;
        c.actor_loaded = false;
        c.held = false;
        err = j->fn(&c, j->payload, progress, j, &result);
    }
    pthread_mutex_lock(&mu);
    j->finished_at = now_of(&c);
    if (err) {
        j->state = JOB_FAILED;
        j->err = err;
        snprintf(j->detail, sizeof j->detail, "%s", c.err.msg[0] ? c.err.msg : iom_err_text(err));
        iom_utf8_repair(j->detail); /* a value cut inside a character: JSON takes UTF-8 only (review 65:
                                       the job answered 503 "out of memory" at every read) */
        json_decref(result);
    } else {
        j->state = JOB_DONE;
        j->result = result;
        if (j->total)
            j->done = j->total;
    }
    if (j->free_payload && j->payload)
        j->free_payload(j->payload);
    j->payload = NULL;
    running--;
    pthread_cond_broadcast(&ended);
    pthread_mutex_unlock(&mu);
    if (st)
        iom_store_close(st);
    iom_arena_free(&arena);
    sodium_memzero(&c, sizeof c);
    return NULL;
}

/* Under mu: a free slot; else the one of the job that ended longest ago among those of the
   user who holds the most ended jobs (the registry keeps recent jobs' states: a job pushed out
   by newer ones reads as not found, its work and audit entry stay; review 83 L5: one user's 80
   quick jobs pushed out every other user's, so a flood now pushes out its own first). NULL
   only when every slot holds a running job. */
static job *slot(void)
{
    job *pick = NULL;
    int pick_count = 0;
    for (int i = 0; i < APP_JOBS_MAX; i++) {
        if (!jobs[i].used)
            return &jobs[i];
        if (jobs[i].state == JOB_RUNNING)
            continue;
        int count = 0; /* ended jobs of this one's user */
        for (int k = 0; k < APP_JOBS_MAX; k++)
            count += jobs[k].used && jobs[k].state != JOB_RUNNING && jobs[k].user && jobs[i].user &&
                     strcmp(jobs[k].user, jobs[i].user) == 0;
        if (!pick || count > pick_count ||
            (count == pick_count && jobs[i].finished_at < pick->finished_at)) {
            pick = &jobs[i];
            pick_count = count;
        }
    }
    if (pick)
        release(pick);
    return pick;
}

static const char *state_name(job_state s)
{
    return s == JOB_RUNNING ? "running" : s == JOB_DONE ? "done" : "failed";
}

static json_t *time_or_null(int64_t t) { return t ? json_time(t) : json_null(); }

/* Under mu: the job as JSON (a new reference; NULL when out of memory). */
static json_t *view(const job *j)
{
    json_t *err = j->state == JOB_FAILED
                      ? json_pack("{s:s, s:s}", "code", iom_err_name(j->err), "detail", j->detail)
                      : json_null();
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:O?, s:o}", "id", j->id, "kind", j->kind,
                     "tasking", j->tasking, "state", state_name(j->state), "phase", j->phase, "done",
                     (json_int_t)j->done, "total", (json_int_t)j->total, "started_at", time_or_null(j->started_at),
                     "finished_at", time_or_null(j->finished_at), "result", j->result, "error", err);
}

iom_err app_job_start(iom_ctx *c, const char *kind, const char *tasking, app_job_fn fn, void *payload,
                      void (*free_payload)(void *), char id[APP_JOB_ID_LEN + 1], json_t **started)
{
    iom_err err = IOM_OK;
    id[0] = '\0';
    *started = NULL;
    if (!c->db_path)
        err = iom_fail(&c->err, IOM_EUNAVAILABLE, "jobs: a background job runs in `iom serve` only "
                                                  "(the CLI imports in the foreground: dataset import)");
    else if (!c->actor_name)
        err = iom_fail(&c->err, IOM_EAUTH, "jobs: no user to act as");
    if (err) {
        if (free_payload && payload)
            free_payload(payload);
        return err;
    }
    pthread_mutex_lock(&mu);
    job *j = running >= APP_JOBS_RUNNING_MAX ? NULL : slot();
    if (!j) {
        pthread_mutex_unlock(&mu);
        if (free_payload && payload)
            free_payload(payload);
        return iom_fail(&c->err, IOM_EBUSY, "jobs: %d jobs are running, as many as the server runs at "
                        "once; try again shortly", running);
    }
    memset(j, 0, sizeof *j);
    j->used = true;
    unsigned char raw[APP_JOB_ID_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(j->id, sizeof j->id, raw, sizeof raw);
    snprintf(j->kind, sizeof j->kind, "%s", kind);
    snprintf(j->tasking, sizeof j->tasking, "%s", tasking ? tasking : "");
    snprintf(j->phase, sizeof j->phase, "queued");
    j->user = strdup(c->actor_name);
    j->db_path = strdup(c->db_path);
    j->os_user = c->os_user ? strdup(c->os_user) : NULL;
    j->purpose = c->purpose ? strdup(c->purpose) : NULL;
    j->fn = fn;
    j->payload = payload;
    j->free_payload = free_payload;
    j->started_at = now_of(c);
    j->state = JOB_RUNNING;
    j->base = *c;
    j->base.actor_name = j->user;
    j->base.os_user = j->os_user;
    j->base.purpose = j->purpose;
    j->base.db_path = j->db_path;
    if (j->base.clock) {
        j->base.clock = frozen;
        j->base.clock_data = &j->started_at;
    }
    j->base.readlog = NULL; /* reads, if any, are logged on the job's own store */
    j->base.read_ticket = NULL;
    memset(&j->base.err, 0, sizeof j->base.err);
    *started = view(j); /* as it starts: running, queued */
    pthread_attr_t at;
    pthread_t th;
    bool ok = *started && j->user && j->db_path && (!c->os_user || j->os_user) && (!c->purpose || j->purpose) &&
              pthread_attr_init(&at) == 0;
    if (ok) {
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&th, &at, run, j) == 0;
        pthread_attr_destroy(&at);
    }
    if (!ok) {
        release(j);
        pthread_mutex_unlock(&mu);
        json_decref(*started);
        *started = NULL;
        return iom_fail(&c->err, IOM_ENOMEM, "jobs: cannot start a job");
    }
    running++;
    memcpy(id, j->id, sizeof j->id);
    pthread_mutex_unlock(&mu);
    return IOM_OK;
}

iom_err app_job_get(iom_ctx *c, const char *id, json_t **out, const char **tasking)
{
    *out = NULL;
    *tasking = NULL;
    if (!c->actor_name)
        return iom_fail(&c->err, IOM_EAUTH, "jobs: no user");
    pthread_mutex_lock(&mu);
    job *j = NULL;
    for (int i = 0; id && i < APP_JOBS_MAX && !j; i++)
        if (jobs[i].used && strcmp(jobs[i].id, id) == 0 && strcmp(jobs[i].user, c->actor_name) == 0)
            j = &jobs[i];
    if (!j) {
        pthread_mutex_unlock(&mu);
        return iom_fail(&c->err, IOM_ENOTFOUND, "job: '%.40s' not found", id ? id : "");
    }
    *out = view(j);
    *tasking = iom_arena_strdup(c->arena, j->tasking);
    pthread_mutex_unlock(&mu);
    if (!*out)
        return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    return IOM_OK;
}

int app_jobs_drain(int seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&mu);
    while (running > 0)
        if (pthread_cond_timedwait(&ended, &mu, &until) != 0)
            break;
    int left = running;
    pthread_mutex_unlock(&mu);
    return left;
}
