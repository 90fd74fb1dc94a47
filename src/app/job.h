/*
 * job.h: long use-cases run in the background of `iom serve` (issue 16 point 1: a dataset
 * import over the API is a job with progress, GET /api/v1/jobs/{job}).
 *
 * A job runs on a thread of its own, with a store connection of its own (opened on the
 * database the server serves) and a context that acts as the user who started it: the
 * use-case does every check and writes in its own transaction, exactly as in the foreground,
 * so a refused or failed job changes nothing. The registry is per process and in memory: a
 * job is seen only by the user who started it (anyone else: not found), from the server
 * that runs it, while it is among the APP_JOBS_MAX most recent (an ended job makes room for a
 * new one: the oldest of the user who holds the most ended jobs, so one user's many jobs push
 * out their own first; the audit trail keeps what it did). A server that stops waits for its
 * running jobs (app_jobs_drain).
 *
 * Ids are 128 random bits in hex (unguessable). Thread-safe.
 */
#ifndef IOM_APP_JOB_H
#define IOM_APP_JOB_H

#include <jansson.h>

#include "app/app.h"

#define APP_JOB_ID_LEN 32
#define APP_JOBS_MAX 64          /* jobs held (running and ended) per process */
#define APP_JOBS_RUNNING_MAX 2   /* running at once per process (the machines have 2 cores) */

/* Progress of a job: its phase ("read", "store", "compare", "entities", ...) and counts. */
typedef void (*app_job_progress)(void *job, const char *phase, uint64_t done, uint64_t total);

/* The work of a job: runs on the job's thread with ctx c (store, arena, actor as the
   starter); reports progress through progress(job, ...); on success sets *result (a new JSON
   reference, taken by the registry) and returns IOM_OK, else the error with c->err set. */
typedef iom_err (*app_job_fn)(iom_ctx *c, void *payload, app_job_progress progress, void *job,
                              json_t **result);

/* Starts a job of `kind` ("dataset.import") on tasking `tasking` (for the answer's marking)
   for the actor of c (c->actor_name), on the database c->db_path. payload is taken: freed by
   free_payload (may be NULL) when the job ends, also when it cannot start. OUT id (NUL-
   terminated) and *started the job as it starts (a new JSON reference, as app_job_get:
   running, phase "queued"). IOM_EUNAVAILABLE when c has no database path (the CLI: jobs belong to `iom
   serve`), IOM_EBUSY when APP_JOBS_RUNNING_MAX jobs run, IOM_ENOMEM, IOM_EAUTH without an
   actor. */
iom_err app_job_start(iom_ctx *c, const char *kind, const char *tasking, app_job_fn fn, void *payload,
                      void (*free_payload)(void *), char id[APP_JOB_ID_LEN + 1], json_t **started);

/* The job as JSON (a new reference): {id, kind, tasking, state: running|done|failed, phase,
   done, total, started_at, finished_at, result, error: {code, detail} | null}. OUT *tasking
   its tasking (arena). IOM_ENOTFOUND unless c's actor started it. */
iom_err app_job_get(iom_ctx *c, const char *id, json_t **out, const char **tasking);

/* Waits up to `seconds` for the running jobs to end; returns how many still run. */
int app_jobs_drain(int seconds);

#endif
