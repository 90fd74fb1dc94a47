/*
 * igraph glue: one process-wide lock around every igraph call, and error / warning handlers
 * that neither print nor abort (igraph's defaults do both; an engine must do neither).
 *
 * Why a lock: Debian 12's libigraph is built with IGRAPH_THREAD_SAFE 0, so its error-cleanup
 * stack (IGRAPH_FINALLY), its handlers and its default random number generator are plain
 * globals. Two threads inside igraph at once would corrupt them.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "graph/graph_int.h"

static pthread_mutex_t ig_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ig_once = PTHREAD_ONCE_INIT;
/* igraph's last error reason; written and read only under ig_mutex. */
static char ig_reason[256];

static void ig_error(const char *reason, const char *file, int line, igraph_error_t err)
{
    (void)file;
    (void)line;
    snprintf(ig_reason, sizeof ig_reason, "%s (%s)", reason ? reason : "",
             igraph_strerror(err));
    /* The contract of an igraph error handler: free what the failing call had stacked. */
    IGRAPH_FINALLY_FREE();
}

static void ig_warning(const char *reason, const char *file, int line)
{
    (void)reason; /* warnings (e.g. "graph is disconnected") are not errors; never printed */
    (void)file;
    (void)line;
}

static void ig_init(void)
{
    igraph_set_error_handler(ig_error);
    igraph_set_warning_handler(ig_warning);
}

void graph_ig_lock(void)
{
    pthread_once(&ig_once, ig_init);
    pthread_mutex_lock(&ig_mutex);
    ig_reason[0] = '\0';
}

void graph_ig_unlock(void)
{
    pthread_mutex_unlock(&ig_mutex);
}

iom_err graph_ig_fail(igraph_error_t rc, const char *what, iom_error *e)
{
    const char *why = ig_reason[0] ? ig_reason : igraph_strerror(rc);
    if (rc == IGRAPH_ENOMEM)
        return iom_fail(e, IOM_ENOMEM, "graph: %s: igraph: %s", what, why);
    return iom_fail(e, IOM_EINVAL, "graph: %s: igraph: %s", what, why);
}
