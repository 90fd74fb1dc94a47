/*
 * dynlib: the three heavy shared libraries the `iom` binary loads only when a command needs them.
 *
 * libpq (a PostgreSQL store), libmicrohttpd (`iom serve`) and libigraph (network analysis) bring
 * about 45 further shared libraries with them (OpenSSL, Kerberos, LDAP, GnuTLS, BLAS, LAPACK,
 * ICU, libstdc++...). Loading and relocating those at every start cost ~17 ms of the ~22 ms an
 * `iom help` took, on every CLI command (docs/performance.md, "Starting the CLI"). The `iom`
 * binary is therefore not linked against them: src/dynlib/lazy.c defines each function iom calls
 * from them as a small trampoline that dlopen()s the library (by its SONAME, read from the
 * development library at configure time) on first use and calls the real function.
 *
 * Programs linked with the libraries themselves (the test and bench programs) get the default
 * iom_lib_need below, which has nothing to load.
 */
#ifndef IOM_UTIL_DYNLIB_H
#define IOM_UTIL_DYNLIB_H

#include "util/err.h"

typedef enum iom_lib {
    IOM_LIB_PQ = 0,     /* libpq: the PostgreSQL client */
    IOM_LIB_MHD = 1,    /* libmicrohttpd: the HTTP server */
    IOM_LIB_IGRAPH = 2, /* libigraph: network analysis */
} iom_lib;

/* Loads `lib` if it is not loaded yet (thread-safe; later calls cost one atomic load).
   IOM_OK, or IOM_EIO ("the PostgreSQL client library libpq.so.5 could not be loaded: ...",
   naming the library, dlerror()'s reason and the Debian package) with the message in *e.
   Callers check it where a clean error can be returned (opening a PostgreSQL store, starting the
   server, building a network): a trampoline called while its library cannot be loaded prints the
   same message and aborts, as that is a missing check, not an input error. */
iom_err iom_lib_need(iom_lib lib, iom_error *e);

#endif
