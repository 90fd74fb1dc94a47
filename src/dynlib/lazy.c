/*
 * lazy.c: libpq, libmicrohttpd and libigraph loaded on first use (see util/dynlib.h for why).
 *
 * Linked into the `iom` binary (and `iom-pgmap`, its test twin) instead of the three libraries;
 * never into libiom, whose other users (tests, benches, fuzzers) link the libraries themselves.
 * Each function iom calls from them is defined here with the prototype of the library's own
 * header (the compiler checks every definition against it), as a trampoline: it makes sure the
 * library is loaded, then calls the real function through a pointer resolved by dlsym().
 *
 * A library is opened by its SONAME (IOM_SONAME_PQ, ..._MHD, ..._IGRAPH: CMakeLists.txt reads
 * them from the development libraries the binary was built against, so the ABI is the one the
 * headers describe) with RTLD_LAZY | RTLD_LOCAL, and never closed. Every symbol of a library is
 * resolved when it is loaded: a library that lacks one is reported as a failed load, never as a
 * crash later.
 *
 * Adding a function: one T() or V() line in its library's list below. A function missing from
 * the lists fails the link of `iom` with an undefined reference, never at run time.
 */
#include <dlfcn.h>
#include <igraph/igraph.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/dynlib.h"

#ifndef IOM_SONAME_PQ
#error "IOM_SONAME_PQ (libpq's SONAME) is set by CMakeLists.txt"
#endif

/* T(lib, return type, name, (parameters), (arguments)) and V(...) for functions returning void:
   each expands, per use of the list, to a pointer declaration, a resolver entry or a
   trampoline. */
#define PQ_FUNCS(T, V)                                                                                         \
    T(IOM_LIB_PQ, int, PQbinaryTuples, (const PGresult *res), (res))                                           \
    V(IOM_LIB_PQ, PQclear, (PGresult * res), (res))                                                            \
    T(IOM_LIB_PQ, char *, PQcmdStatus, (PGresult * res), (res))                                                \
    T(IOM_LIB_PQ, char *, PQcmdTuples, (PGresult * res), (res))                                                \
    T(IOM_LIB_PQ, PGconn *, PQconnectdb, (const char *conninfo), (conninfo))                                   \
    T(IOM_LIB_PQ, PGconn *, PQconnectdbParams,                                                                 \
      (const char *const *keywords, const char *const *values, int expand_dbname),                             \
      (keywords, values, expand_dbname))                                                                       \
    T(IOM_LIB_PQ, PQconninfoOption *, PQconninfo, (PGconn * conn), (conn))                                     \
    V(IOM_LIB_PQ, PQconninfoFree, (PQconninfoOption * options), (options))                                     \
    T(IOM_LIB_PQ, PGresult *, PQdescribePrepared, (PGconn * conn, const char *name), (conn, name))            \
    T(IOM_LIB_PQ, int, PQenterPipelineMode, (PGconn * conn), (conn))                                          \
    T(IOM_LIB_PQ, char *, PQerrorMessage, (const PGconn *conn), (conn))                                        \
    T(IOM_LIB_PQ, PGresult *, PQexec, (PGconn * conn, const char *query), (conn, query))                       \
    T(IOM_LIB_PQ, PGresult *, PQexecParams,                                                                    \
      (PGconn * conn, const char *command, int n, const Oid *types, const char *const *values,                \
       const int *lengths, const int *formats, int result_format),                                             \
      (conn, command, n, types, values, lengths, formats, result_format))                                      \
    T(IOM_LIB_PQ, PGresult *, PQexecPrepared,                                                                  \
      (PGconn * conn, const char *name, int n, const char *const *values, const int *lengths,                 \
       const int *formats, int result_format),                                                                 \
      (conn, name, n, values, lengths, formats, result_format))                                                \
    T(IOM_LIB_PQ, int, PQexitPipelineMode, (PGconn * conn), (conn))                                           \
    T(IOM_LIB_PQ, int, PQfformat, (const PGresult *res, int field), (res, field))                              \
    V(IOM_LIB_PQ, PQfinish, (PGconn * conn), (conn))                                                           \
    V(IOM_LIB_PQ, PQfreemem, (void *ptr), (ptr))                                                               \
    T(IOM_LIB_PQ, Oid, PQftype, (const PGresult *res, int field), (res, field))                                \
    T(IOM_LIB_PQ, PGresult *, PQgetResult, (PGconn * conn), (conn))                                            \
    T(IOM_LIB_PQ, int, PQgetisnull, (const PGresult *res, int row, int field), (res, row, field))              \
    T(IOM_LIB_PQ, int, PQgetlength, (const PGresult *res, int row, int field), (res, row, field))              \
    T(IOM_LIB_PQ, char *, PQgetvalue, (const PGresult *res, int row, int field), (res, row, field))            \
    T(IOM_LIB_PQ, int, PQnfields, (const PGresult *res), (res))                                                \
    T(IOM_LIB_PQ, int, PQntuples, (const PGresult *res), (res))                                                \
    T(IOM_LIB_PQ, PGpipelineStatus, PQpipelineStatus, (const PGconn *conn), (conn))                            \
    T(IOM_LIB_PQ, int, PQpipelineSync, (PGconn * conn), (conn))                                               \
    T(IOM_LIB_PQ, PGresult *, PQprepare,                                                                       \
      (PGconn * conn, const char *name, const char *query, int n, const Oid *types),                          \
      (conn, name, query, n, types))                                                                           \
    V(IOM_LIB_PQ, PQreset, (PGconn * conn), (conn))                                                            \
    T(IOM_LIB_PQ, char *, PQresultErrorField, (const PGresult *res, int code), (res, code))                    \
    T(IOM_LIB_PQ, char *, PQresultErrorMessage, (const PGresult *res), (res))                                  \
    T(IOM_LIB_PQ, ExecStatusType, PQresultStatus, (const PGresult *res), (res))                                \
    T(IOM_LIB_PQ, int, PQsendQuery, (PGconn * conn, const char *query), (conn, query))                         \
    T(IOM_LIB_PQ, int, PQsendQueryParams,                                                                      \
      (PGconn * conn, const char *command, int n, const Oid *types, const char *const *values,                \
       const int *lengths, const int *formats, int result_format),                                             \
      (conn, command, n, types, values, lengths, formats, result_format))                                      \
    T(IOM_LIB_PQ, int, PQsendQueryPrepared,                                                                    \
      (PGconn * conn, const char *name, int n, const char *const *values, const int *lengths,                 \
       const int *formats, int result_format),                                                                 \
      (conn, name, n, values, lengths, formats, result_format))                                                \
    T(IOM_LIB_PQ, int, PQserverVersion, (const PGconn *conn), (conn))                                          \
    T(IOM_LIB_PQ, PQnoticeProcessor, PQsetNoticeProcessor, (PGconn * conn, PQnoticeProcessor proc, void *arg), \
      (conn, proc, arg))                                                                                       \
    T(IOM_LIB_PQ, ConnStatusType, PQstatus, (const PGconn *conn), (conn))                                      \
    T(IOM_LIB_PQ, PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn))                  \
    T(IOM_LIB_PQ, unsigned char *, PQunescapeBytea, (const unsigned char *text, size_t *len), (text, len))

/* MHD_start_daemon, MHD_get_connection_info and MHD_get_daemon_info are variadic: they have
   trampolines of their own below. */
#define MHD_FUNCS(T, V)                                                                                        \
    T(IOM_LIB_MHD, enum MHD_Result, MHD_add_response_header,                                                   \
      (struct MHD_Response * response, const char *header, const char *content), (response, header, content))  \
    T(IOM_LIB_MHD, struct MHD_Response *, MHD_create_response_from_buffer,                                     \
      (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode))                     \
    V(IOM_LIB_MHD, MHD_destroy_response, (struct MHD_Response * response), (response))                         \
    T(IOM_LIB_MHD, int, MHD_get_connection_values,                                                             \
      (struct MHD_Connection * connection, enum MHD_ValueKind kind, MHD_KeyValueIterator iterator,             \
       void *iterator_cls),                                                                                    \
      (connection, kind, iterator, iterator_cls))                                                              \
    T(IOM_LIB_MHD, int, MHD_get_connection_values_n,                                                           \
      (struct MHD_Connection * connection, enum MHD_ValueKind kind, MHD_KeyValueIteratorN iterator,            \
       void *iterator_cls),                                                                                    \
      (connection, kind, iterator, iterator_cls))                                                              \
    T(IOM_LIB_MHD, const char *, MHD_lookup_connection_value,                                                  \
      (struct MHD_Connection * connection, enum MHD_ValueKind kind, const char *key), (connection, kind, key)) \
    T(IOM_LIB_MHD, enum MHD_Result, MHD_queue_response,                                                        \
      (struct MHD_Connection * connection, unsigned int status_code, struct MHD_Response *response),          \
      (connection, status_code, response))                                                                     \
    T(IOM_LIB_MHD, MHD_socket, MHD_quiesce_daemon, (struct MHD_Daemon * daemon), (daemon))                     \
    V(IOM_LIB_MHD, MHD_resume_connection, (struct MHD_Connection * connection), (connection))                  \
    V(IOM_LIB_MHD, MHD_stop_daemon, (struct MHD_Daemon * daemon), (daemon))                                    \
    V(IOM_LIB_MHD, MHD_suspend_connection, (struct MHD_Connection * connection), (connection))

#define MHD_VARIADIC(T, V)                                                                                     \
    T(IOM_LIB_MHD, struct MHD_Daemon *, MHD_start_daemon_va,                                                   \
      (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,                         \
       MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap),                                                \
      (flags, port, apc, apc_cls, dh, dh_cls, ap))                                                             \
    T(IOM_LIB_MHD, const union MHD_ConnectionInfo *, MHD_get_connection_info,                                  \
      (struct MHD_Connection * connection, enum MHD_ConnectionInfoType info_type, ...), (connection, info_type)) \
    T(IOM_LIB_MHD, const union MHD_DaemonInfo *, MHD_get_daemon_info,                                          \
      (struct MHD_Daemon * daemon, enum MHD_DaemonInfoType info_type, ...), (daemon, info_type))

#define IGRAPH_FUNCS(T, V)                                                                                     \
    V(IOM_LIB_IGRAPH, IGRAPH_FINALLY_FREE, (void), ())                                                         \
    V(IOM_LIB_IGRAPH, igraph_arpack_options_init, (igraph_arpack_options_t * o), (o))                          \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_community_leiden,                                                 \
      (const igraph_t *graph, const igraph_vector_t *edge_weights, const igraph_vector_t *node_weights,       \
       const igraph_real_t resolution, const igraph_real_t beta, const igraph_bool_t start,                    \
       const igraph_integer_t n_iterations, igraph_vector_int_t *membership, igraph_integer_t *nb_clusters,   \
       igraph_real_t *quality),                                                                                \
      (graph, edge_weights, node_weights, resolution, beta, start, n_iterations, membership, nb_clusters,     \
       quality))                                                                                               \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_create,                                                           \
      (igraph_t * graph, const igraph_vector_int_t *edges, igraph_integer_t n, igraph_bool_t directed),        \
      (graph, edges, n, directed))                                                                             \
    V(IOM_LIB_IGRAPH, igraph_destroy, (igraph_t * graph), (graph))                                             \
    T(IOM_LIB_IGRAPH, igraph_integer_t, igraph_ecount, (const igraph_t *graph), (graph))                       \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_eigenvector_centrality,                                           \
      (const igraph_t *graph, igraph_vector_t *vector, igraph_real_t *value, igraph_bool_t directed,           \
       igraph_bool_t scale, const igraph_vector_t *weights, igraph_arpack_options_t *options),                 \
      (graph, vector, value, directed, scale, weights, options))                                               \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_modularity,                                                       \
      (const igraph_t *graph, const igraph_vector_int_t *membership, const igraph_vector_t *weights,          \
       const igraph_real_t resolution, const igraph_bool_t directed, igraph_real_t *modularity),               \
      (graph, membership, weights, resolution, directed, modularity))                                          \
    T(IOM_LIB_IGRAPH, igraph_rng_t *, igraph_rng_default, (void), ())                                          \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_rng_seed, (igraph_rng_t * rng, igraph_uint_t seed), (rng, seed))  \
    T(IOM_LIB_IGRAPH, igraph_error_handler_t *, igraph_set_error_handler, (igraph_error_handler_t * handler),  \
      (handler))                                                                                               \
    T(IOM_LIB_IGRAPH, igraph_warning_handler_t *, igraph_set_warning_handler,                                  \
      (igraph_warning_handler_t * handler), (handler))                                                         \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_strength,                                                         \
      (const igraph_t *graph, igraph_vector_t *res, const igraph_vs_t vids, igraph_neimode_t mode,             \
       igraph_bool_t loops, const igraph_vector_t *weights),                                                   \
      (graph, res, vids, mode, loops, weights))                                                                \
    T(IOM_LIB_IGRAPH, const char *, igraph_strerror, (const igraph_error_t code), (code))                      \
    V(IOM_LIB_IGRAPH, igraph_vector_destroy, (igraph_vector_t * v), (v))                                       \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_vector_init, (igraph_vector_t * v, igraph_integer_t size),        \
      (v, size))                                                                                               \
    V(IOM_LIB_IGRAPH, igraph_vector_int_destroy, (igraph_vector_int_t * v), (v))                               \
    T(IOM_LIB_IGRAPH, igraph_error_t, igraph_vector_int_init, (igraph_vector_int_t * v, igraph_integer_t size), \
      (v, size))                                                                                               \
    T(IOM_LIB_IGRAPH, igraph_real_t, igraph_vector_sum, (const igraph_vector_t *v), (v))                       \
    T(IOM_LIB_IGRAPH, igraph_vs_t, igraph_vss_all, (void), ())

#define ALL_FUNCS(T, V) PQ_FUNCS(T, V) MHD_FUNCS(T, V) MHD_VARIADIC(T, V) IGRAPH_FUNCS(T, V)

/* The pointers to the real functions, set by load() before the library is marked loaded. */
#define PTR_T(lib, ret, name, params, args) static ret(*real_##name) params;
#define PTR_V(lib, name, params, args) static void(*real_##name) params;
ALL_FUNCS(PTR_T, PTR_V)

struct sym {
    iom_lib lib;
    const char *name;
    void **slot;
};

/* Writing a function pointer through a void ** is what POSIX's dlsym() contract allows. */
#define SYM_T(lib, ret, name, params, args) {lib, #name, (void **)&real_##name},
#define SYM_V(lib, name, params, args) {lib, #name, (void **)&real_##name},
static const struct sym syms[] = {ALL_FUNCS(SYM_T, SYM_V)};

static const struct {
    const char *soname;
    const char *what;
    const char *package;
} libs[] = {
    [IOM_LIB_PQ] = {IOM_SONAME_PQ, "the PostgreSQL client library", "libpq5"},
    [IOM_LIB_MHD] = {IOM_SONAME_MHD, "the HTTP server library", "libmicrohttpd12"},
    [IOM_LIB_IGRAPH] = {IOM_SONAME_IGRAPH, "the network analysis library", "libigraph3"},
};
#define NLIBS (sizeof libs / sizeof libs[0])

static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
static int loaded[NLIBS];           /* 1 once every symbol is set; read with acquire */
static char failure[NLIBS][IOM_ERRMSG_MAX]; /* why a load failed (kept: it is not retried) */

/* Loads lib under load_mu: 0 or -1 with failure[lib] set. A failure is final for the process. */
static int load_locked(iom_lib lib)
{
    if (loaded[lib])
        return 0;
    if (failure[lib][0])
        return -1;
    void *h = dlopen(libs[lib].soname, RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(failure[lib], sizeof failure[lib], "%s %s could not be loaded: %s (Debian package %s)",
                 libs[lib].what, libs[lib].soname, why ? why : "unknown reason", libs[lib].package);
        return -1;
    }
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        if (syms[i].lib != lib)
            continue;
        dlerror();
        void *f = dlsym(h, syms[i].name);
        if (!f) {
            snprintf(failure[lib], sizeof failure[lib],
                     "%s %s has no function %s: it is not the version iom was built with (Debian "
                     "package %s)",
                     libs[lib].what, libs[lib].soname, syms[i].name, libs[lib].package);
            return -1; /* the handle stays open: some pointers may be set, none is used */
        }
        *syms[i].slot = f;
    }
    __atomic_store_n(&loaded[lib], 1, __ATOMIC_RELEASE);
    return 0;
}

iom_err iom_lib_need(iom_lib lib, iom_error *e)
{
    if ((unsigned)lib >= NLIBS)
        return iom_fail(e, IOM_EINVAL, "iom_lib_need: no library %d", (int)lib);
    if (__atomic_load_n(&loaded[lib], __ATOMIC_ACQUIRE))
        return IOM_OK;
    pthread_mutex_lock(&load_mu);
    int rc = load_locked(lib);
    pthread_mutex_unlock(&load_mu);
    if (rc)
        return iom_fail(e, IOM_EIO, "%s", failure[lib]);
    return IOM_OK;
}

/* The trampolines' path: a load that fails here had no iom_lib_need before it (a missing check)
   or lost its library since; there is no error to return through the library's API. */
static void need_or_abort(iom_lib lib)
{
    if (__atomic_load_n(&loaded[lib], __ATOMIC_ACQUIRE))
        return;
    iom_error e = {0};
    if (iom_lib_need(lib, &e) != IOM_OK) {
        fprintf(stderr, "iom: %s\n", e.msg);
        abort();
    }
}

#define TRAMP_T(lib, ret, name, params, args)                                                                  \
    ret name params                                                                                            \
    {                                                                                                          \
        need_or_abort(lib);                                                                                    \
        return real_##name args;                                                                               \
    }
#define TRAMP_V(lib, name, params, args)                                                                       \
    void name params                                                                                           \
    {                                                                                                          \
        need_or_abort(lib);                                                                                    \
        real_##name args;                                                                                      \
    }
PQ_FUNCS(TRAMP_T, TRAMP_V)
MHD_FUNCS(TRAMP_T, TRAMP_V)
IGRAPH_FUNCS(TRAMP_T, TRAMP_V)

struct MHD_Daemon *MHD_start_daemon_va(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                       void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap)
{
    need_or_abort(IOM_LIB_MHD);
    return real_MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

/* The two info functions are declared variadic ("depends on info_type"), but libmicrohttpd
   reads no argument after info_type for any type (daemon.c and connection.c never call
   va_start) and iom passes none: the trampolines pass the two fixed ones. */
const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
                                                        enum MHD_ConnectionInfoType info_type, ...)
{
    need_or_abort(IOM_LIB_MHD);
    return real_MHD_get_connection_info(connection, info_type);
}

const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon, enum MHD_DaemonInfoType info_type,
                                                ...)
{
    need_or_abort(IOM_LIB_MHD);
    return real_MHD_get_daemon_info(daemon, info_type);
}
