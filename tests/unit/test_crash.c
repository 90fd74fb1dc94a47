/*
 * Crash safety (issue 3 acceptance): a child process runs a long batch of writes through the
 * use-case layer and reports each committed write on a pipe; it is killed with SIGKILL at a
 * random moment, at least 20 times. After each kill the database opens, the audit chain
 * verifies, and every write the child reported as committed is present.
 */
#include "testutil.h"

#include <signal.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/threat.h"

#define KILLS 24

/* The child: adds threats forever, writing each committed reference to fd. */
static void child_writes(const char *db, int fd, int round)
{
    iom_store *s = NULL;
    iom_error e = {0};
    if (iom_store_open(db, 0, &s, &e) != IOM_OK)
        _exit(2);
    iom_arena a;
    iom_arena_init(&a);
    iom_ctx c;
    app_ctx_init(&c, s, &a);
    c.os_user = "crash-test";
    const char *keypath = audit_key_path(&a, db);
    if (audit_key_load(keypath, c.audit_key, &e) != IOM_OK)
        _exit(3);
    c.has_audit_key = true;
    c.actor_name = "wy-spoc";
    for (int i = 0;; i++) {
        char title[64];
        snprintf(title, sizeof title, "round %d write %d", round, i);
        char ftm[48]; /* one threat per escalation (review 84 L9) */
        snprintf(ftm, sizeof ftm, "WY-CRASH-%d-%d", round, i);
        app_threat_input in = {title, "criminal", "west-yorkshire", "wy-sio", ftm, NULL};
        iom_threat_t t;
        if (app_threat_add(&c, &in, &t) != IOM_OK)
            _exit(4);
        char line[32];
        int n = snprintf(line, sizeof line, "%s\n", t.ref);
        if (write(fd, line, (size_t)n) != n)
            _exit(5);
        if (i % 50 == 49)
            iom_arena_free(&a);
    }
}

static void kill_at_random_moments(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    char **committed = NULL;
    size_t ncommitted = 0, cap = 0;
    for (int round = 0; round < KILLS; round++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child_writes(db, p[1], round);
        }
        close(p[1]);
        /* Wait for its first committed write (so each round kills a writer at work, however
           slow the build), let it run 0..60 ms more, then kill it mid-work. */
        FILE *f = fdopen(p[0], "r");
        char line[64];
        bool first = fgets(line, sizeof line, f) != NULL;
        struct timespec ts = {0, (rand() % 61) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        assert_true(first);
        assert_true(WIFSIGNALED(st)); /* it was still writing when killed */
        /* Collect what the child reported as committed. */
        bool have = true;
        while (have) {
            if (!strchr(line, '\n'))
                break; /* a partial report: the write was not reported complete */
            line[strcspn(line, "\n")] = '\0';
            if (ncommitted == cap) {
                cap = cap ? cap * 2 : 256;
                committed = realloc(committed, cap * sizeof *committed);
            }
            committed[ncommitted++] = strdup(line);
            have = fgets(line, sizeof line, f) != NULL;
        }
        fclose(f);
        /* The database opens and the chain verifies. */
        t_result r = t_runv(NULL, "--db", db, "--as", "auditor", "audit", "verify", NULL);
        if (r.status != 0)
            fprintf(stderr, "round %d: %s%s", round, r.out, r.err);
        assert_int_equal(r.status, 0);
        t_result_free(&r);
    }
    /* Every reported write is present, each exactly once, with its audit entry. */
    assert_true(ncommitted >= KILLS);
    for (size_t i = 0; i < ncommitted; i++) {
        char *q = t_fmt("SELECT count(*) FROM threat WHERE ref = '%s'", committed[i]);
        assert_int_equal(t_db_scalar(db, q), 1);
        free(q);
        q = t_fmt("SELECT count(*) FROM audit WHERE object_ref = '%s' AND action = 'threat.add'",
                  committed[i]);
        assert_int_equal(t_db_scalar(db, q), 1);
        free(q);
        free(committed[i]);
    }
    fprintf(stderr, "%d kills, %zu committed writes checked\n", KILLS, ncommitted);
    free(committed);
    free(db);
    t_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(kill_at_random_moments)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
