/*
 * pgmap.h: what tests/pg/pgmap.c (the PostgreSQL run's store mapping) offers the test support.
 */
#ifndef IOM_TESTS_PGMAP_H
#define IOM_TESTS_PGMAP_H

#include <stddef.h>

/* The application_name of the test support's kept connection (testutil.c pg_warm): pgmap ends
   such connections to a database it must clone, which CREATE DATABASE ... TEMPLATE needs idle. */
#define PGMAP_WARM_APP "iom-test-warm"

/* In a PostgreSQL run (IOM_TEST_PG_SOCKDIR set): the libpq conninfo of the database mapped to
   `path`, as `user`, into out (cap bytes; the database is cloned first when path is a copy of
   another's file), and 0. -1 in an SQLite run. */
int pgmap_conninfo(const char *path, const char *user, char *out, size_t cap);

#endif
