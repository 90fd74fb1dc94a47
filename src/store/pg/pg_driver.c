/* The libpq driver of the SQL layer (pg_internal.h). */
#define _GNU_SOURCE /* strcasestr */
#include "store/pg/pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <endian.h>
#include <time.h>

#define BYTEAOID 17
#define BOOLOID 16

/* How a column of a prepared statement's rows is read. A statement that returns a bytea
   column, all of whose columns are of these kinds, has its rows sent in PostgreSQL's binary
   format (network byte order integers, text as it is, bytea as its bytes): bytea's text form
   is hex, twice its bytes, encoded by the backend and decoded here. Other statements stay in
   text: for integers the binary form costs the backend more than the text one (int8send
   allocates a buffer per value; measured on the tasking list, ~3 us more per request of 20
   rows) and saves the driver only its strtoll. Any other type (numeric, float, dates, json...)
   keeps the whole statement in text, so every value reads as it always did. */
enum { K_OTHER, K_INT8, K_INT4, K_INT2, K_BOOL, K_TEXT, K_BYTEA };

typedef struct pg_stmt {
    db_stmt base;
    sq_store *s;
    char *sql;             /* with $N parameters */
    int nparams;
    bool persistent;       /* prepared on the server under `name` at its first run */
    bool auto_id;          /* an INSERT given "RETURNING id" by the driver: its row is last_id */
    bool prepared;
    unsigned epoch;        /* the connection (pg_conn.epoch) it was prepared on */
    char name[16];
    char **vals;           /* nparams each: malloc'd text / bytes, NULL for NULL */
    int *lens, *fmts;
    Oid *types;            /* text (also a NULL bound as text) and bytea; 0: PostgreSQL infers
                              it (integers: a bigint, or a boolean where one is expected) */
    PGresult *res;         /* of the current run, NULL before it */
    int row, nrows;
    int nfields;           /* of res */
    bool bin_rows;         /* res's rows are binary (binary, and the server sent them so) */
    bool kinds_now;        /* kinds describes res's columns (a described statement's result) */
    unsigned char *blob;   /* a bytea column decoded, until the next call */
    /* A persistent statement, described when prepared: its columns' kinds (K_*), and whether
       its rows come in binary (every column of a kind above K_OTHER). */
    int ncols;
    unsigned char *kinds;
    bool binary;
    char (*num)[24];       /* ncols: an integer column's text, for col_text/col_bytes (binary) */
    /* Run ahead (pgd_ahead): the result, the values it was bound with and the read
       transaction (pg_conn.read_serial) it ran in; taken by the statement's next run with the
       same values in that transaction, else dropped. */
    PGresult *ahead;
    char **ahead_vals;
    int *ahead_lens, *ahead_fmts;
    uint64_t ahead_serial;
} pg_stmt;

static pg_stmt *PS(db_stmt *st) { return (pg_stmt *)st; }
static struct pg_conn *PC(sq_store *s) { return s->pg; }

char *pg_sql_params(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 1); /* "?" -> "$NNN" at most */
    if (!out)
        return NULL;
    size_t k = 0;
    int next = 0, max = 0;
    for (size_t i = 0; i < n;) {
        char c = sql[i];
        if (c == '\'' || c == '"') { /* quoted text or name: copied as is ('' and "" inside) */
            out[k++] = sql[i++];
            while (i < n) {
                out[k++] = sql[i];
                if (sql[i++] == c) {
                    if (i < n && sql[i] == c) {
                        out[k++] = sql[i++];
                        continue;
                    }
                    break;
                }
            }
            continue;
        }
        if (c == '-' && i + 1 < n && sql[i + 1] == '-') { /* comment to the end of the line */
            while (i < n && sql[i] != '\n')
                out[k++] = sql[i++];
            continue;
        }
        if ((c == 'I' || c == 'N') && i > 0 && sql[i - 1] == ' ') {
            /* SQLite's planner hints, "INDEXED BY name" and "NOT INDEXED": PostgreSQL plans
               for itself */
            if (strncmp(sql + i, "INDEXED BY ", 11) == 0) {
                i += 11;
                while (i < n && sql[i] != ' ' && sql[i] != ')')
                    i++;
                continue;
            }
            if (strncmp(sql + i, "NOT INDEXED", 11) == 0 && (i + 11 == n || sql[i + 11] == ' ')) {
                i += 11;
                continue;
            }
        }
        if (c == '?') {
            i++;
            int num = 0;
            if (i < n && sql[i] >= '0' && sql[i] <= '9') {
                while (i < n && sql[i] >= '0' && sql[i] <= '9')
                    num = num * 10 + (sql[i++] - '0');
            } else {
                num = ++next;
            }
            if (num > max)
                max = num;
            k += (size_t)sprintf(out + k, "$%d", num);
            continue;
        }
        out[k++] = sql[i++];
    }
    out[k] = '\0';
    *nparams = max;
    return out;
}

bool pg_conn_lost(sq_store *s)
{
    return !PC(s)->conn || PQstatus(PC(s)->conn) != CONNECTION_OK;
}

bool pg_conn_suspect(sq_store *s) { return PC(s)->down || pg_conn_lost(s); }

/* A failure that is the server being unreachable, not the statement's: libpq found the
   connection broken; a failure without a SQLSTATE (libpq's own: the server answers every
   statement it refuses with one), e.g. "server closed the connection unexpectedly" after a
   send to a backend that died, while PQstatus still says CONNECTION_OK; a connection exception
   (class 08); or the server ending the session (57P01 terminated by an administrator, 57P02
   crash of another server process, 57P03 cannot connect now). */
static bool unreachable_failure(sq_store *s, const char *sqlstate)
{
    return pg_conn_lost(s) || !*sqlstate || strncmp(sqlstate, "08", 2) == 0 ||
           strcmp(sqlstate, "57P01") == 0 || strcmp(sqlstate, "57P02") == 0 ||
           strcmp(sqlstate, "57P03") == 0;
}

int pg_note_failure(sq_store *s, const PGresult *res)
{
    struct pg_conn *p = PC(s);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg)
        msg = PQerrorMessage(p->conn);
    snprintf(p->sqlstate, sizeof p->sqlstate, "%s", state ? state : "");
    p->down = unreachable_failure(s, p->sqlstate);
    /* libpq's own messages may run over lines ("server closed the connection
       unexpectedly\n\tThis probably means..."): the first line */
    const char *m = msg && *msg ? msg : "no connection";
    if (p->down)
        snprintf(p->msg, sizeof p->msg, "the connection to the database server was lost (%.*s)",
                 (int)strcspn(m, "\n"), m);
    else
        snprintf(p->msg, sizeof p->msg, "%s", msg && *msg ? msg : "connection lost");
    size_t l = strlen(p->msg);
    while (l && (p->msg[l - 1] == '\n' || p->msg[l - 1] == ' '))
        p->msg[--l] = '\0';
    if (strcmp(p->sqlstate, "23505") == 0)
        return DB_CONSTRAINT_UNIQUE;
    if (strcmp(p->sqlstate, "23514") == 0)
        return DB_CONSTRAINT_CHECK;
    if (strcmp(p->sqlstate, "23503") == 0)
        return DB_CONSTRAINT_FOREIGNKEY;
    if (strcmp(p->sqlstate, "23502") == 0)
        return DB_CONSTRAINT_NOTNULL;
    if (strncmp(p->sqlstate, "23", 2) == 0)
        return DB_CONSTRAINT;
    if (strcmp(p->sqlstate, "40001") == 0 || strcmp(p->sqlstate, "40P01") == 0 ||
        strcmp(p->sqlstate, "55P03") == 0)
        return DB_BUSY;
    return DB_ERROR;
}

static iom_err pgd_fail(sq_store *s, iom_error *e, const char *what)
{
    struct pg_conn *p = PC(s);
    const char *st = p->sqlstate, *msg = p->msg[0] ? p->msg : "unknown failure";
    if (strcmp(st, "23505") == 0)
        return iom_fail(e, IOM_ECONFLICT, "%s: already exists (%s)", what, msg);
    if (strncmp(st, "23", 2) == 0)
        return iom_fail(e, IOM_EINVAL, "%s: refused by a data rule: %s", what, msg);
    if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0)
        return iom_fail(e, IOM_EBUSY, "%s: the database is busy (%s); try again", what, msg);
    return iom_fail(e, IOM_ESTORE, "%s: %s", what, msg);
}

static void clear_run(pg_stmt *p)
{
    if (p->res)
        PQclear(p->res);
    p->res = NULL;
    p->row = -1;
    p->nrows = 0;
    p->nfields = 0;
    p->bin_rows = p->kinds_now = false;
    if (p->blob)
        PQfreemem(p->blob);
    p->blob = NULL;
}

/* Reads once per connection the tables that have an `id` column. */
void pg_forget_tables(sq_store *s)
{
    struct pg_conn *c = PC(s);
    for (size_t i = 0; i < c->n_id_tables; i++)
        free(c->id_tables[i]);
    free(c->id_tables);
    c->id_tables = NULL;
    c->n_id_tables = 0;
    c->id_tables_read = false;
}

static void read_id_tables(sq_store *s)
{
    struct pg_conn *c = PC(s);
    pg_forget_tables(s);
    PGresult *r = PQexec(c->conn, "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                                  " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attname = 'id'"
                                  " AND c.relkind = 'r' AND n.nspname IN ('public', 'reads')");
    c->id_tables_read = PQresultStatus(r) == PGRES_TUPLES_OK; /* else: again at the next INSERT */
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
        (c->id_tables = calloc((size_t)PQntuples(r), sizeof *c->id_tables))) {
        for (int i = 0; i < PQntuples(r); i++)
            if ((c->id_tables[c->n_id_tables] = strdup(PQgetvalue(r, i, 0))))
                c->n_id_tables++;
    }
    PQclear(r);
}

/* SQLite's last_insert_rowid() on PostgreSQL: an INSERT into a table with an `id` column and
   no RETURNING of its own gets " RETURNING id", whose row sets last_id instead of being
   returned (no second round trip, whatever made the id: a sequence or the statement). */
static char *with_returning_id(sq_store *s, const char *sql)
{
    const char *p = sql;
    while (*p == ' ' || *p == '\n')
        p++;
    if (strncasecmp(p, "INSERT INTO ", 12) != 0 || strcasestr(p, " RETURNING "))
        return NULL;
    p += 12;
    while (*p == ' ')
        p++;
    char name[64];
    size_t k = 0;
    for (; *p && *p != '(' && *p != ' ' && k + 1 < sizeof name; p++)
        if (*p != '"')
            name[k++] = *p;
    name[k] = '\0';
    const char *dot = strchr(name, '.');
    const char *table = dot ? dot + 1 : name;
    if (!PC(s)->id_tables_read)
        read_id_tables(s);
    for (size_t i = 0; i < PC(s)->n_id_tables; i++)
        if (strcmp(PC(s)->id_tables[i], table) == 0) {
            size_t n = strlen(sql);
            char *out = malloc(n + sizeof " RETURNING id");
            if (out) {
                memcpy(out, sql, n);
                while (n && (out[n - 1] == ' ' || out[n - 1] == ';'))
                    n--;
                memcpy(out + n, " RETURNING id", sizeof " RETURNING id");
            }
            return out;
        }
    return NULL;
}

static db_stmt *pgd_prepare(sq_store *s, const char *sql, bool persistent)
{
    pg_stmt *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(PC(s)->msg, sizeof PC(s)->msg, "out of memory");
        PC(s)->sqlstate[0] = '\0';
        return NULL;
    }
    p->base.drv = &pg_driver;
    p->s = s;
    p->row = -1;
    p->persistent = persistent;
    char *returning = with_returning_id(s, sql);
    p->auto_id = returning != NULL;
    p->sql = pg_sql_params(returning ? returning : sql, &p->nparams);
    free(returning);
    if (p->nparams) {
        p->vals = calloc((size_t)p->nparams, sizeof *p->vals);
        p->lens = calloc((size_t)p->nparams, sizeof *p->lens);
        p->fmts = calloc((size_t)p->nparams, sizeof *p->fmts);
        p->types = calloc((size_t)p->nparams, sizeof *p->types);
    }
    if (!p->sql || (p->nparams && (!p->vals || !p->lens || !p->fmts || !p->types))) {
        free(p->types);
        free(p->sql);
        free(p->vals);
        free(p->lens);
        free(p->fmts);
        free(p);
        snprintf(PC(s)->msg, sizeof PC(s)->msg, "out of memory");
        PC(s)->sqlstate[0] = '\0';
        return NULL;
    }
    return &p->base;
}

static void drop_ahead(pg_stmt *p)
{
    if (!p->ahead)
        return;
    PQclear(p->ahead);
    p->ahead = NULL;
    for (int i = 0; i < p->nparams; i++) {
        free(p->ahead_vals[i]);
        p->ahead_vals[i] = NULL;
    }
}

/* Whether the statement's bound values are those it ran ahead with. */
static bool ahead_binds_match(const pg_stmt *p)
{
    for (int i = 0; i < p->nparams; i++) {
        const char *a = p->vals[i], *b = p->ahead_vals[i];
        if (!a || !b) {
            if (a != b)
                return false;
        } else if (p->fmts[i] != p->ahead_fmts[i] ||
                   (p->fmts[i] ? p->lens[i] != p->ahead_lens[i] || memcmp(a, b, (size_t)p->lens[i])
                               : strcmp(a, b) != 0)) {
            return false;
        }
    }
    return true;
}

static void clear_binds(pg_stmt *p)
{
    for (int i = 0; i < p->nparams; i++) {
        free(p->vals[i]);
        p->vals[i] = NULL;
        p->lens[i] = 0;
        p->fmts[i] = 0;
    }
}

static void pgd_reset(db_stmt *st)
{
    clear_run(PS(st));
    clear_binds(PS(st));
}

static void pgd_finalize(db_stmt *st)
{
    pg_stmt *p = PS(st);
    clear_run(p);
    clear_binds(p);
    if (p->prepared && p->epoch == PC(p->s)->epoch && !pg_conn_suspect(p->s) &&
        PQtransactionStatus(PC(p->s)->conn) != PQTRANS_INERROR) {
        char q[40];
        snprintf(q, sizeof q, "DEALLOCATE %s", p->name);
        PQclear(PQexec(PC(p->s)->conn, q));
    }
    free(p->sql);
    free(p->vals);
    free(p->lens);
    free(p->fmts);
    free(p->types);
    free(p->kinds);
    free(p->num);
    drop_ahead(p);
    free(p->ahead_vals);
    free(p->ahead_lens);
    free(p->ahead_fmts);
    free(p);
}

#define TEXTOID 25

static void set_param(pg_stmt *p, int i, char *v, int len, int fmt, Oid type)
{
    if (i < 1 || i > p->nparams) { /* as SQLite: an index out of range binds nothing */
        free(v);
        return;
    }
    free(p->vals[i - 1]);
    p->vals[i - 1] = v;
    p->lens[i - 1] = len;
    p->fmts[i - 1] = fmt;
    if (!p->prepared) /* a prepared statement keeps the types of its first run */
        p->types[i - 1] = type;
}

static void pgd_bind_int64(db_stmt *st, int i, int64_t v)
{
    char *t = malloc(24);
    if (t)
        snprintf(t, 24, "%lld", (long long)v);
    set_param(PS(st), i, t, 0, 0, 0);
}

static void pgd_bind_double(db_stmt *st, int i, double v)
{
    char *t = malloc(32);
    if (t)
        snprintf(t, 32, "%.17g", v);
    set_param(PS(st), i, t, 0, 0, 0);
}

static void pgd_bind_text(db_stmt *st, int i, const char *v)
{
    set_param(PS(st), i, v ? strdup(v) : NULL, 0, 0, TEXTOID);
}

static void pgd_bind_blob(db_stmt *st, int i, const void *v, size_t n)
{
    char *b = malloc(n ? n : 1);
    if (b && n)
        memcpy(b, v, n);
    set_param(PS(st), i, b, (int)n, 1, BYTEAOID);
}

static void pgd_bind_null(db_stmt *st, int i) { set_param(PS(st), i, NULL, 0, 0, 0); }

/* Makes a lost connection again before a statement that nothing of an open transaction has
   run before (no transaction, or a read transaction whose BEGIN is not yet sent, which stays
   open and pending on the new connection). DB_OK or DB_ERROR. */
static int reconnect_idle(sq_store *s)
{
    struct pg_conn *c = PC(s);
    bool in_tx = s->in_tx, pending = c->begin_pending;
    if (pg_reconnect(s, NULL))
        return DB_ERROR;
    s->in_tx = in_tx;
    c->begin_pending = pending;
    return DB_OK;
}

static unsigned char column_kind(Oid t)
{
    switch (t) {
    case 20: return K_INT8;
    case 23: return K_INT4;
    case 21: return K_INT2;
    case BOOLOID: return K_BOOL;
    case 25: case 1043: case 1042: case 19: return K_TEXT; /* text, varchar, char(n), name */
    case BYTEAOID: return K_BYTEA;
    default: return K_OTHER;
    }
}

/* The integer of a binary column of kind k (K_INT8, K_INT4, K_INT2, K_BOOL). */
static int64_t bin_int(const char *v, unsigned char k)
{
    switch (k) {
    case K_INT8: {
        uint64_t u;
        memcpy(&u, v, 8);
        return (int64_t)be64toh(u);
    }
    case K_INT4: {
        uint32_t u;
        memcpy(&u, v, 4);
        return (int32_t)be32toh(u);
    }
    case K_INT2: {
        uint16_t u;
        memcpy(&u, v, 2);
        return (int16_t)be16toh(u);
    }
    default: return v[0] != 0; /* K_BOOL */
    }
}

/* Prepares the statement on this connection at its first run (persistent statements), and
   describes its columns (pg_stmt.kinds, binary). */
static int prepare_once(pg_stmt *p)
{
    struct pg_conn *c = PC(p->s);
    if (p->prepared && p->epoch != c->epoch)
        p->prepared = false; /* prepared on a connection since lost */
    if (!p->persistent || p->prepared)
        return DB_OK;
    snprintf(p->name, sizeof p->name, "i%u", c->next_name++);
    p->epoch = c->epoch;
    PGresult *r = PQprepare(c->conn, p->name, p->sql, p->nparams, p->types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = pg_note_failure(p->s, r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    /* its columns: once per connection, as the prepare (a statement's types never change) */
    r = PQdescribePrepared(c->conn, p->name);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = pg_note_failure(p->s, r);
        PQclear(r);
        return rc;
    }
    int n = PQnfields(r);
    if (n != p->ncols || (n && !p->kinds)) {
        free(p->kinds);
        free(p->num);
        p->kinds = n ? calloc((size_t)n, 1) : NULL;
        p->num = n ? calloc((size_t)n, sizeof *p->num) : NULL;
        p->ncols = n;
    }
    bool decodable = p->kinds && p->num, bytea = false;
    for (int i = 0; i < n && p->kinds; i++) {
        p->kinds[i] = column_kind(PQftype(r, i));
        decodable = decodable && p->kinds[i] != K_OTHER;
        bytea = bytea || p->kinds[i] == K_BYTEA;
    }
    p->binary = decodable && bytea;
    PQclear(r);
    p->prepared = true;
    return DB_OK;
}

static int send_stmt(pg_stmt *p)
{
    PGconn *conn = PC(p->s)->conn;
    if (p->persistent)
        return PQsendQueryPrepared(conn, p->name, p->nparams, (const char *const *)p->vals, p->lens,
                                   p->fmts, p->binary);
    return PQsendQueryParams(conn, p->sql, p->nparams, p->types, (const char *const *)p->vals,
                             p->lens, p->fmts, 0);
}

/* Reads the results of a pipeline of n queries and its sync point: out[i] each query's result
   (NULL when it never came). True when every one came and the pipeline ended; the connection
   is out of pipeline mode then. */
static bool pipe_collect(PGconn *conn, PGresult **out, int n)
{
    for (int i = 0; i < n; i++) {
        if (!(out[i] = PQgetResult(conn)))
            return false;
        for (PGresult *extra; (extra = PQgetResult(conn)) != NULL;) /* NULL ends a query's results */
            PQclear(extra);
    }
    PGresult *sync = PQgetResult(conn);
    bool ok = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    return ok && PQexitPipelineMode(conn) == 1;
}

/* The first statement of a read transaction whose BEGIN is pending: BEGIN, the cache epoch's
   read (when the schema has it) and the statement in one pipeline, one round trip. When the
   previous read's COMMIT is owed, `COMMIT AND CHAIN` ends that one and begins this one with
   the same characteristics (REPEATABLE READ; its snapshot is taken at the epoch's read): one
   statement where COMMIT and BEGIN were two. *begun: whether the BEGIN (or the chain) itself
   succeeded (else nothing of the transaction ran). */
static int run_first(pg_stmt *p, PGresult **stmt_res, bool *begun)
{
    sq_store *s = p->s;
    struct pg_conn *c = PC(s);
    *begun = false;
    bool epoch = s->acache_ok;
    if (!c->epoch_prepared) { /* once per connection: no parsing at every read */
        static const char *const stmts[][2] = {
            {"iom_begin", "BEGIN ISOLATION LEVEL REPEATABLE READ"},
            {"iom_chain", "COMMIT AND CHAIN"},
            {"iom_epoch", "SELECT n FROM cache_epoch WHERE one = 1"},
        };
        for (int i = 0; i < (epoch ? 3 : 2); i++) {
            PGresult *r = PQprepare(c->conn, stmts[i][0], stmts[i][1], 0, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                int rc = pg_note_failure(s, r);
                PQclear(r);
                return rc;
            }
            PQclear(r);
        }
        c->epoch_prepared = true; /* acache_ok is the handle's for its life */
    }
    c->begin_pending = false;
    /* An owed COMMIT is only ever a read's that ran without failing (pg_commit): its chain
       cannot carry an aborted transaction over. */
    bool owed = c->commit_owed;
    c->commit_owed = false;
    PGresult *res[3] = {NULL, NULL, NULL};
    int n = epoch ? 3 : 2;
    bool sent = PQenterPipelineMode(c->conn) == 1 &&
                PQsendQueryPrepared(c->conn, owed ? "iom_chain" : "iom_begin", 0, NULL, NULL, NULL,
                                    0) == 1 &&
                (!epoch || PQsendQueryPrepared(c->conn, "iom_epoch", 0, NULL, NULL, NULL, 0) == 1) &&
                send_stmt(p) == 1 && PQpipelineSync(c->conn) == 1;
    bool whole = sent && pipe_collect(c->conn, res, n);
    int rc = DB_OK;
    PGresult *bad = NULL;
    for (int i = 0; i < n && !bad; i++) {
        ExecStatusType st = res[i] ? PQresultStatus(res[i]) : PGRES_FATAL_ERROR;
        if (i == 0 ? st != PGRES_COMMAND_OK : (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK))
            bad = res[i] ? res[i] : (PGresult *)-1;
        else if (i == 0)
            *begun = true;
    }
    if (bad) {
        rc = pg_note_failure(s, bad == (PGresult *)-1 ? NULL : bad);
    } else if (!whole) { /* every answer came, and then the pipeline did not end cleanly */
        rc = pg_note_failure(s, NULL);
        c->down = true; /* made again before the next transaction */
    }
    /* the snapshot's epoch checks a guess even when the statement after it failed */
    if (epoch && res[1] && PQresultStatus(res[1]) == PGRES_TUPLES_OK && PQntuples(res[1]) == 1 &&
        !PQgetisnull(res[1], 0, 0))
        pg_epoch_seen(s, strtoll(PQgetvalue(res[1], 0, 0), NULL, 10));
    if (!sent || !whole)
        c->down = c->down || pg_conn_lost(s) || PQpipelineStatus(c->conn) != PQ_PIPELINE_OFF;
    for (int i = 0; i < n - 1; i++)
        PQclear(res[i]);
    if (rc == DB_OK)
        *stmt_res = res[n - 1];
    else
        PQclear(res[n - 1]);
    return rc;
}

static int take_result(pg_stmt *p, PGresult *r);

static int run(pg_stmt *p)
{
    struct pg_conn *c = PC(p->s);
    PGresult *r = NULL;
    if (p->ahead) { /* run ahead in this read transaction with these values: its result */
        bool mine = p->s->in_tx && !p->s->tx_write && p->ahead_serial == c->read_serial &&
                    ahead_binds_match(p);
        if (mine) {
            r = p->ahead;
            p->ahead = NULL;
        }
        drop_ahead(p);
        if (r)
            return take_result(p, r);
    }
    if (c->begin_pending)
        pg_settle_sent(p->s); /* an owed COMMIT goes with the pipeline (run_first) */
    else
        pg_settle(p->s);
    /* Outside a transaction, or before anything of a pending read transaction ran, a lost
       connection is made again first (inside one, the transaction is lost: the statement
       fails) */
    if ((!p->s->in_tx || c->begin_pending) && pg_conn_suspect(p->s) && reconnect_idle(p->s))
        return DB_ERROR;
    int rc = prepare_once(p);
    if (rc != DB_OK)
        return rc;
    if (c->begin_pending) {
        /* A connection lost while it was idle (the server restarted meanwhile) shows only
           now: nothing of the transaction ran, so once more on a new one (as pg_begin). */
        unsigned epoch = c->epoch;
        bool begun;
        rc = run_first(p, &r, &begun);
        if (rc != DB_OK && !begun && c->down && c->epoch == epoch) {
            c->begin_pending = true;
            if (reconnect_idle(p->s) || (rc = prepare_once(p)) != DB_OK)
                return rc != DB_OK ? rc : DB_ERROR;
            rc = run_first(p, &r, &begun);
        }
        if (rc != DB_OK)
            return rc;
    } else {
        if (p->persistent)
            r = PQexecPrepared(c->conn, p->name, p->nparams, (const char *const *)p->vals, p->lens,
                               p->fmts, p->binary);
        else
            r = PQexecParams(c->conn, p->sql, p->nparams, p->types, (const char *const *)p->vals,
                             p->lens, p->fmts, 0);
    }
    return take_result(p, r);
}

/* The statement's result r (taken): its rows, or its failure noted in the handle. */
static int take_result(pg_stmt *p, PGresult *r)
{
    struct pg_conn *c = PC(p->s);
    ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        int rc = pg_note_failure(p->s, r);
        PQclear(r);
        return rc;
    }
    const char *tuples = PQcmdTuples(r);
    c->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
    p->res = r;
    p->nrows = status == PGRES_TUPLES_OK ? PQntuples(r) : 0;
    p->nfields = p->nrows ? PQnfields(r) : 0;
    p->kinds_now = p->persistent && p->kinds && p->nfields == p->ncols;
    p->bin_rows = p->binary && p->kinds_now && PQbinaryTuples(r);
    p->row = -1;
    if (p->auto_id) { /* the driver's RETURNING id: last_id, no rows for the caller */
        if (p->nrows > 0)
            c->last_id = PQfformat(r, 0) == 1
                             ? bin_int(PQgetvalue(r, p->nrows - 1, 0), column_kind(PQftype(r, 0)))
                             : strtoll(PQgetvalue(r, p->nrows - 1, 0), NULL, 10);
        p->nrows = 0;
    }
    return DB_OK;
}

/* db_driver.ahead: the statements, bound, sent in one pipeline and their results kept for
   their next run (run). Only inside a read transaction whose BEGIN has gone, i.e. after its
   first statement (its snapshot then gives the same rows at the statements' own runs);
   elsewhere it does nothing. Returns how many results it keeps. A
   statement that fails keeps its failure for its own run; those after it in the pipeline
   keep nothing (PostgreSQL skipped them, and the transaction is aborted anyway). */
static int pgd_ahead(sq_store *s, db_stmt **sts, int n)
{
    struct pg_conn *c = PC(s);
    if (n <= 0 || !s->in_tx || s->tx_write || c->begin_pending || c->commit_sent ||
        c->commit_owed || pg_conn_suspect(s) || PQtransactionStatus(c->conn) != PQTRANS_INTRANS)
        return 0;
    enum { MAX_AHEAD = 16 };
    if (n > MAX_AHEAD)
        n = MAX_AHEAD;
    pg_stmt *ps[MAX_AHEAD];
    int k = 0;
    for (int i = 0; i < n; i++) {
        pg_stmt *p = PS(sts[i]);
        if (!p || p->res || !p->persistent)
            continue; /* already run, or not prepared by name: runs at its step */
        drop_ahead(p);
        size_t np = (size_t)p->nparams;
        if (np && !p->ahead_vals)
            p->ahead_vals = calloc(np, sizeof *p->ahead_vals);
        if (np && !p->ahead_lens)
            p->ahead_lens = calloc(np, sizeof *p->ahead_lens);
        if (np && !p->ahead_fmts)
            p->ahead_fmts = calloc(np, sizeof *p->ahead_fmts);
        if ((np && (!p->ahead_vals || !p->ahead_lens || !p->ahead_fmts)) || prepare_once(p) != DB_OK)
            return 0; /* out of memory, or the prepare failed (noted): each runs at its step */
        ps[k++] = p;
    }
    if (!k || PQenterPipelineMode(c->conn) != 1)
        return 0;
    bool sent = true;
    for (int i = 0; i < k && sent; i++)
        sent = send_stmt(ps[i]) == 1;
    sent = sent && PQpipelineSync(c->conn) == 1;
    PGresult *res[MAX_AHEAD] = {0};
    bool whole = sent && pipe_collect(c->conn, res, k);
    if (!whole) { /* the connection failed under it: each statement finds out at its step */
        for (int i = 0; i < k; i++)
            PQclear(res[i]);
        c->down = c->down || pg_conn_lost(s) || PQpipelineStatus(c->conn) != PQ_PIPELINE_OFF;
        return 0;
    }
    bool failed = false;
    int kept = 0;
    for (int i = 0; i < k; i++) {
        pg_stmt *p = ps[i];
        ExecStatusType st = PQresultStatus(res[i]);
        if (failed) {
            PQclear(res[i]);
            continue;
        }
        failed = st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK;
        bool copied = true;
        for (int j = 0; j < p->nparams; j++) {
            p->ahead_lens[j] = p->lens[j];
            p->ahead_fmts[j] = p->fmts[j];
            if (!p->vals[j])
                continue;
            size_t len = p->fmts[j] ? (size_t)p->lens[j] : strlen(p->vals[j]) + 1;
            if (!(p->ahead_vals[j] = malloc(len ? len : 1)))
                copied = false;
            else
                memcpy(p->ahead_vals[j], p->vals[j], len);
        }
        p->ahead = res[i];
        p->ahead_serial = c->read_serial;
        if (!copied)
            drop_ahead(p);
        else
            kept++;
    }
    return kept;
}

static int pgd_step(db_stmt *st)
{
    pg_stmt *p = PS(st);
    if (p->blob) {
        PQfreemem(p->blob);
        p->blob = NULL;
    }
    if (!p->res) {
        int rc = run(p);
        if (rc != DB_OK)
            return rc;
    }
    if (p->row + 1 < p->nrows) {
        p->row++;
        return DB_ROW;
    }
    p->row = p->nrows;
    return DB_DONE;
}

static bool has_value(pg_stmt *p, int i)
{
    return p->row >= 0 && p->row < p->nrows && i >= 0 && i < p->nfields &&
           !PQgetisnull(p->res, p->row, i);
}

/* An integer column's text as PostgreSQL writes it (an optional '-', then digits): what
   strtoll reads, without its locale and base handling (the list's rows are mostly integers). */
static int64_t dec_int(const char *v)
{
    bool neg = *v == '-';
    uint64_t u = 0;
    for (v += neg; *v >= '0' && *v <= '9'; v++)
        u = u * 10 + (uint64_t)(*v - '0');
    return neg ? (int64_t)(0 - u) : (int64_t)u;
}

/* A binary integer column's text, kept in p->num[i] until the column is read again. */
static const char *bin_num_text(pg_stmt *p, int i)
{
    snprintf(p->num[i], sizeof p->num[i], "%lld",
             (long long)bin_int(PQgetvalue(p->res, p->row, i), p->kinds[i]));
    return p->num[i];
}

static int64_t pgd_col_int64(db_stmt *st, int i)
{
    pg_stmt *p = PS(st);
    if (!has_value(p, i))
        return 0;
    const char *v = PQgetvalue(p->res, p->row, i);
    if (p->bin_rows) { /* p->kinds[i] says how to read it */
        unsigned char k = p->kinds[i];
        return k == K_TEXT || k == K_BYTEA ? strtoll(v, NULL, 10) : bin_int(v, k);
    }
    if (p->kinds_now) {
        unsigned char k = p->kinds[i];
        if (k == K_BOOL)
            return v[0] == 't';
        if (k == K_INT8 || k == K_INT4 || k == K_INT2)
            return dec_int(v);
        return strtoll(v, NULL, 10);
    }
    if (PQftype(p->res, i) == BOOLOID)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pgd_col_double(db_stmt *st, int i)
{
    pg_stmt *p = PS(st);
    if (!has_value(p, i))
        return 0.0;
    const char *v = PQgetvalue(p->res, p->row, i);
    if (p->bin_rows) { /* p->kinds[i] says how to read it */
        unsigned char k = p->kinds[i];
        return k == K_TEXT || k == K_BYTEA ? strtod(v, NULL) : (double)bin_int(v, k);
    }
    return strtod(v, NULL);
}

static const char *pgd_col_text(db_stmt *st, int i)
{
    pg_stmt *p = PS(st);
    if (!has_value(p, i))
        return NULL;
    if (p->bin_rows) { /* p->kinds[i] says how to read it */
        unsigned char k = p->kinds[i];
        if (k == K_BOOL) /* as SQLite gives a comparison: 1 or 0 */
            return PQgetvalue(p->res, p->row, i)[0] ? "1" : "0";
        /* text as it is; bytea's bytes (libpq ends every value with a NUL) */
        return k == K_TEXT || k == K_BYTEA ? PQgetvalue(p->res, p->row, i) : bin_num_text(p, i);
    }
    if (p->kinds_now ? p->kinds[i] == K_BOOL : PQftype(p->res, i) == BOOLOID) /* as SQLite: 1 or 0 */
        return PQgetvalue(p->res, p->row, i)[0] == 't' ? "1" : "0";
    return PQgetvalue(p->res, p->row, i);
}

static const void *pgd_col_blob(db_stmt *st, int i)
{
    pg_stmt *p = PS(st);
    if (!has_value(p, i))
        return NULL;
    if (p->bin_rows) { /* p->kinds[i] says how to read it */
        unsigned char k = p->kinds[i];
        if (k == K_BOOL)
            return PQgetvalue(p->res, p->row, i)[0] ? "1" : "0";
        return k == K_TEXT || k == K_BYTEA ? PQgetvalue(p->res, p->row, i) : bin_num_text(p, i);
    }
    if (PQftype(p->res, i) != BYTEAOID)
        return PQgetvalue(p->res, p->row, i);
    if (p->blob)
        PQfreemem(p->blob);
    size_t n = 0;
    p->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(p->res, p->row, i), &n);
    return p->blob;
}

static size_t pgd_col_bytes(db_stmt *st, int i)
{
    pg_stmt *p = PS(st);
    if (!has_value(p, i))
        return 0;
    if (p->bin_rows) { /* p->kinds[i] says how to read it */
        unsigned char k = p->kinds[i];
        if (k == K_BOOL)
            return 1;
        return k == K_TEXT || k == K_BYTEA ? (size_t)PQgetlength(p->res, p->row, i)
                                           : strlen(bin_num_text(p, i));
    }
    if (PQftype(p->res, i) == BOOLOID)
        return 1;
    if (PQftype(p->res, i) != BYTEAOID)
        return (size_t)PQgetlength(p->res, p->row, i);
    /* the hex form "\x..." of bytea: two digits a byte */
    size_t l = (size_t)PQgetlength(p->res, p->row, i);
    return l >= 2 ? (l - 2) / 2 : 0;
}

static bool pgd_col_null(db_stmt *st, int i)
{
    pg_stmt *p = PS(st);
    return !has_value(p, i);
}

static int pgd_col_count(db_stmt *st)
{
    pg_stmt *p = PS(st);
    return p->res ? PQnfields(p->res) : 0;
}

static int64_t pgd_last_id(sq_store *s) { return PC(s)->last_id; }

static int64_t pgd_changes(sq_store *s) { return PC(s)->changes; }

uint64_t pg_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void pg_settle_sent(sq_store *s)
{
    struct pg_conn *c = PC(s);
    if (!c->commit_sent)
        return;
    c->commit_sent = false;
    /* a read transaction's COMMIT: nothing of it to lose; a failure that is the connection
       shows at the next statement */
    for (PGresult *r; (r = PQgetResult(c->conn)) != NULL;)
        PQclear(r);
}

void pg_settle(sq_store *s)
{
    struct pg_conn *c = PC(s);
    pg_settle_sent(s);
    if (!c->commit_owed)
        return;
    c->commit_owed = false;
    PQclear(PQexec(c->conn, "COMMIT")); /* as above: a read's; a lost connection shows next */
}

iom_err pg_exec(sq_store *s, const char *sql, iom_error *e, const char *what)
{
    iom_err err = IOM_OK;
    pg_settle(s);
    if (!s->in_tx && pg_conn_suspect(s) && (err = pg_reconnect(s, e)))
        return err; /* as run(): outside a transaction, a lost connection is made again */
    if (s->in_tx && PC(s)->begin_pending && (err = pg_begin_now(s, e)))
        return err;
    PGresult *r = PQexec(PC(s)->conn, sql);
    ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        pg_note_failure(s, r);
        err = pgd_fail(s, e, what);
    } else {
        const char *tuples = PQcmdTuples(r);
        PC(s)->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
    }
    PQclear(r);
    return err;
}

iom_err pg_exec_int64(sq_store *s, const char *sql, int64_t *out, iom_error *e, const char *what)
{
    iom_err err = IOM_OK;
    pg_settle(s);
    if (!s->in_tx && pg_conn_suspect(s) && (err = pg_reconnect(s, e)))
        return err;
    if (s->in_tx && PC(s)->begin_pending && (err = pg_begin_now(s, e)))
        return err;
    PGresult *r = PQexec(PC(s)->conn, sql); /* the last statement's result */
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_note_failure(s, r);
        err = pgd_fail(s, e, what);
    } else if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
        err = iom_fail(e, IOM_ESTORE, "%s: no value", what);
    } else {
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    }
    PQclear(r);
    return err;
}

/* PostgreSQL keeps a deleted row's bytes in its heap pages until VACUUM reclaims them and in
   its write-ahead log until a checkpoint recycles it; autovacuum and checkpoints are the
   server's own (docs/operations.md). Nothing to do from a connection. */
static iom_err pgd_purge(sq_store *s, iom_error *e)
{
    (void)s;
    (void)e;
    return IOM_OK;
}

/* sqlite_internal.h guess_epoch: only before the first statement of a read transaction begun
   optimistic; run_first's pipeline reads the epoch and pg_epoch_seen checks the guess. */
static bool pgd_guess_epoch(sq_store *s, int64_t known)
{
    struct pg_conn *c = PC(s);
    if (!s->in_tx || s->tx_write || !c->begin_pending || !c->optimistic || known < 0)
        return false;
    c->guessed = true;
    c->guess = known;
    return true;
}

const db_driver pg_driver = {
    .name = "postgresql",
    .prepare = pgd_prepare,
    .reset = pgd_reset,
    .finalize = pgd_finalize,
    .step = pgd_step,
    .bind_int64 = pgd_bind_int64,
    .bind_double = pgd_bind_double,
    .bind_text = pgd_bind_text,
    .bind_blob = pgd_bind_blob,
    .bind_null = pgd_bind_null,
    .col_int64 = pgd_col_int64,
    .col_double = pgd_col_double,
    .col_text = pgd_col_text,
    .col_bytes = pgd_col_bytes,
    .col_blob = pgd_col_blob,
    .col_null = pgd_col_null,
    .col_count = pgd_col_count,
    .last_id = pgd_last_id,
    .changes = pgd_changes,
    .fail = pgd_fail,
    .exec = pg_exec,
    .purge = pgd_purge,
    .guess_epoch = pgd_guess_epoch,
    .ahead = pgd_ahead,
};
