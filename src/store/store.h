/*
 * store.h: the one door between iom's use-cases (src/app) and persistent storage.
 *
 * A back-end is a table of function pointers (after sqlite3_vfs / sqlite3_io_methods):
 * `version` first, new slots only ever appended at the end, so a back-end written against an
 * older table keeps working. SQL text exists only under src/store/. Nothing above this file
 * knows which back-end runs: SQLite (src/store/sqlite, embedded default) or PostgreSQL
 * (src/store/pg, libpq) implement the same operations with the same semantics (most of them
 * as one SQL layer with a driver per back-end: store/sqlite/sqlite_internal.h):
 *
 *  - Every operation runs inside a transaction opened by begin() and ended by commit() or
 *    rollback(); reads may use a read transaction (write=false). A write transaction
 *    serialises writers (SQLite: BEGIN IMMEDIATE; PostgreSQL: SERIALIZABLE or an advisory
 *    lock), which the audit chain relies on: its head is read and extended in one transaction.
 *  - Strings in returned records are allocated in the caller's arena and live as long as it.
 *    Input records are borrowed for the duration of the call only.
 *  - Errors: IOM_ENOTFOUND for a missing key, IOM_ECONFLICT for a uniqueness violation or a
 *    stale version, IOM_EINVAL when a schema rule (CHECK/trigger) refuses the data (the
 *    message says which), IOM_ESCHEMA for a schema mismatch, IOM_ESTORE for anything else.
 *    The message slot says what exactly failed. After any error inside a write transaction
 *    the caller must rollback().
 *  - Times are UTC seconds since the Unix epoch (int64).
 */
#ifndef IOM_STORE_STORE_H
#define IOM_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/ref.h"
#include "util/arena.h"
#include "util/err.h"

#define IOM_STORE_OPS_VERSION 9

typedef struct iom_region_t {
    char *code;        /* slug, e.g. "yorkshire-humber" */
    char *name;
    int64_t id;        /* read-only: internal id (0 in a region to insert) */
} iom_region_t;

/* A bank holiday (working days skip it): "YYYY-MM-DD" and its name. */
typedef struct iom_holiday_t {
    char *day;
    char *name;
} iom_holiday_t;

typedef struct iom_agency_t {
    int64_t id;            /* internal: never leaves the process */
    char *code;            /* public reference: slug, e.g. "west-yorkshire" */
    int64_t region_id;     /* read-only: internal id of the region, 0 when none */
    char *name;
    iom_agency_kind kind;
    char *region;          /* region code; NULL for national agencies and capabilities */
    bool disabled;
    char *merged_into;     /* agency code this one was merged into, or NULL */
    int64_t created_at;
    bool region_gateway;   /* its users hold its region's Gateway role (the region's ROCU; in
                              London the Metropolitan Police Service). Insert: a ROCU, or an
                              agency given with it true, becomes its region's Gateway agency
                              when the region has none yet */
} iom_agency_t;

typedef struct iom_user_t {
    int64_t id;
    char *name;            /* unique login name */
    char *agency;          /* agency code */
    iom_roles roles;       /* bit set of iom_role; never empty */
    iom_marking clearance;
    char *pw_hash;         /* Argon2id string (crypto_pwhash_str) or NULL: no password set */
    bool disabled;
    int64_t created_at;
    int64_t version;
    /* joined, read-only: */
    iom_agency_kind agency_kind;
    char *agency_region;   /* NULL for national / capability */
    int64_t agency_id;
    int64_t agency_region_id; /* 0 for national / capability */
    bool agency_disabled;  /* the agency is disabled: its users cannot act or sign in */
    /* not stored: set by the user directory's use-cases (app_user_list, app_user_get) for a
       reader who is neither an admin, an auditor nor the user: only name, agency and roles
       are shown, the account's other fields are cleared (review 84 L8) */
    bool directory_only;
} iom_user_t;

typedef struct iom_threat_t {
    int64_t id;
    char *ref;             /* "SOC-000001", assigned by threat_insert */
    char *title;
    iom_threat_type type;
    char *owner;           /* owning agency code */
    char *sio;             /* SIO user name */
    char *force_tasking_ref;
    iom_marking marking;
    iom_threat_status status;
    int64_t version;       /* starts at 1; +1 on every update */
    int64_t created_at;
    int64_t updated_at;
    char *created_by;      /* user name */
    /* joined, read-only: */
    char *owner_name;
    iom_agency_kind owner_kind;
    char *owner_region;    /* NULL for a national owner */
} iom_threat_t;

typedef struct iom_threat_filter {
    const char *owner;     /* agency code or NULL */
    const char *region;    /* owner's region code or NULL */
    int status;            /* -1 any, else iom_threat_status */
    iom_marking max_marking; /* only threats at or below this marking */
    const char *after_ref; /* cursor: refs strictly greater; NULL from the start */
    size_t limit;          /* 0 = no limit */
} iom_threat_filter;

/* One audit entry. `hash` chains it: see src/app/audit.h for the canonical form. */
typedef struct iom_audit_t {
    int64_t seq;           /* 1, 2, 3, ... with no gaps in an intact chain */
    int64_t at;
    char *actor;           /* acting iom user name, or NULL (system, first admin) */
    char *os_user;         /* operating-system user of the process */
    char *via;             /* "cli", "http", "system" */
    char *action;          /* e.g. "threat.add" */
    char *object_ref;      /* e.g. "SOC-000001", "west-yorkshire", user name */
    char *before_json;     /* content before the change, or NULL */
    char *after_json;      /* content after the change, or NULL */
    char hash[65];         /* lower-case hex HMAC-SHA256 */
    bool in_read_chain;    /* an entry of the read chain (store/reads_store.h), not of the
                              change chain; not part of the hash */
} iom_audit_t;

/* Called for each audit row in seq order; return non-zero to stop the scan early. */
typedef int (*iom_audit_cb)(void *cb_data, const iom_audit_t *entry);

typedef struct iom_store iom_store;

typedef struct iom_store_ops {
    int version;           /* IOM_STORE_OPS_VERSION */
    const char *name;      /* "sqlite", "postgresql" */

    void (*close)(iom_store *s);

    /* Transactions. begin() with write=true takes the writer lock at once. */
    iom_err (*begin)(iom_store *s, bool write, iom_error *e);
    iom_err (*commit)(iom_store *s, iom_error *e);
    void (*rollback)(iom_store *s);

    /* Schema: OUT current version of the open database and the latest this binary knows. */
    iom_err (*schema_version)(iom_store *s, int *current, int *latest, iom_error *e);
    /* Applies every migration above the current version, each in its own transaction.
       OUT from/to: versions before and after. Must not be called inside begin(). */
    iom_err (*migrate)(iom_store *s, int *from, int *to, iom_error *e);

    /* Regions and agencies. */
    iom_err (*region_insert)(iom_store *s, const iom_region_t *r, iom_error *e);
    iom_err (*region_list)(iom_store *s, iom_arena *a, iom_region_t **out, size_t *n, iom_error *e);
    iom_err (*agency_insert)(iom_store *s, iom_agency_t *in_out /* id set */, iom_error *e);
    iom_err (*agency_get)(iom_store *s, const char *code, iom_arena *a, iom_agency_t *out,
                          iom_error *e);
    iom_err (*agency_list)(iom_store *s, iom_arena *a, iom_agency_t **out, size_t *n, iom_error *e);
    /* Updates name, disabled and merged_into of the agency with a->code. */
    iom_err (*agency_update)(iom_store *s, const iom_agency_t *a, iom_error *e);
    /* Moves every user and every threat owned by `from` to `into` (the merge itself), and the
       tactical options naming `from` that still wait for a decision (proposed, accepted: their
       version + 1); decided ones keep the agency that decided them. OUT: how many users,
       threats and options moved. */
    iom_err (*agency_move_members)(iom_store *s, const char *from, const char *into,
                                   int64_t *users_moved, int64_t *threats_moved,
                                   int64_t *options_moved, iom_error *e);

    /* Users. */
    iom_err (*user_insert)(iom_store *s, iom_user_t *in_out /* id set */, iom_error *e);
    iom_err (*user_get)(iom_store *s, const char *name, iom_arena *a, iom_user_t *out, iom_error *e);
    iom_err (*user_list)(iom_store *s, iom_arena *a, iom_user_t **out, size_t *n, iom_error *e);
    /* Updates agency, roles, clearance, pw_hash, disabled where version == expected_version;
       increments the version. IOM_ECONFLICT when stale. */
    iom_err (*user_update)(iom_store *s, const iom_user_t *u, int64_t expected_version, iom_error *e);
    /* OUT: number of enabled users holding the admin role whose agency is enabled (an admin of a
       disabled agency cannot sign in), not counting those of agency except_agency_id (0: none). */
    iom_err (*user_count_admins)(iom_store *s, int64_t except_agency_id, int64_t *out, iom_error *e);
    /* OUT: the reference (in a) of the first tasking not ended whose SIA the user is, and of the
       first active threat whose SIO the user is; NULL when none. */
    iom_err (*user_duties)(iom_store *s, int64_t user_id, iom_arena *a, char **sia_of, char **sio_of,
                           iom_error *e);
    /* OUT: the reference (in a) of the first tasking that waits on a part the user holds (the
       Gateway's triage of a submitted bid of its region, the TTCG's decision on a transfer its
       region's owner asked, the FTT's on one escalated, a TOEX manager's on a forwarded bid; and,
       as "toex_manager_sia", a tasking TOEX works on, whose SIA only a manager reallocates), which the user is cleared to act on and
       no other enabled user of an enabled agency could act on (that role, that region, cleared
       for its marking; no user of agency except_agency_id counts, 0: none), *role the role's
       name and *marking its marking; NULL when none. */
    iom_err (*user_last_for)(iom_store *s, int64_t user_id, int64_t except_agency_id, iom_arena *a, char **ref,
                             char **role, iom_marking *marking, iom_error *e);

    /* Threats (the SOC master list). */
    iom_err (*threat_insert)(iom_store *s, iom_threat_t *in_out /* id, ref, version set */,
                             iom_error *e);
    iom_err (*threat_get)(iom_store *s, const char *ref, iom_arena *a, iom_threat_t *out,
                          iom_error *e);
    iom_err (*threat_list)(iom_store *s, const iom_threat_filter *f, iom_arena *a,
                           iom_threat_t **out, size_t *n, iom_error *e);
    /* Updates title, type, owner, sio, force_tasking_ref, marking, status, updated_at where
       version == expected_version; sets t->version to the new version. */
    iom_err (*threat_update)(iom_store *s, iom_threat_t *t, int64_t expected_version, iom_error *e);

    /* Audit chain. OUT head: seq of the last entry (0 when empty) and its hash ("" if none). */
    iom_err (*audit_head)(iom_store *s, int64_t *seq, char hash_out[65], iom_error *e);
    iom_err (*audit_append)(iom_store *s, const iom_audit_t *entry, iom_error *e);
    /* Calls cb for each entry with seq > after_seq in seq order (all, or those with
       object_ref == object); stops early when cb returns non-zero. */
    iom_err (*audit_scan)(iom_store *s, const char *object, int64_t after_seq, iom_audit_cb cb,
                          void *cb_data, iom_error *e);

    /* Areas with tables of their own (each a versioned sub-table, declared in its header). */
    const struct iom_store_tasking_ops *tasking; /* store/tasking_store.h */
    const struct iom_store_work_ops *work;       /* store/work_store.h: contributions,
                                                    intelligence, options, products */
    const struct iom_store_apmis_ops *apmis;     /* store/apmis_store.h */
    const struct iom_store_auth_ops *auth;       /* store/auth_store.h: sessions, API tokens */
    /* ---- version 3 ---- */
    const struct iom_store_reads_ops *reads;     /* store/reads_store.h: the read chain */
    /* Housekeeping that runs beside readers and writers, outside any transaction, for a
       handle whose owner keeps it off its commits (IOM_STORE_MAINTAIN_APART on another
       handle): SQLite: a PASSIVE checkpoint of the WAL (it never waits for readers or
       writers; a busy checkpointer is no error); PostgreSQL: nothing (the server's own). */
    iom_err (*maintain)(iom_store *s, iom_error *e);
    /* ---- version 4 ---- */
    const struct iom_store_settings_ops *settings; /* store/settings_store.h: versioned settings */
    /* Facts a migration noted for the audit trail and not yet audited (a migration cannot sign
       the chain): OUT *out an arena array of *n entries in order, each with seq = the note's
       id, action, object_ref, before_json (may be NULL) and after_json. note_done marks one
       audited; both inside the caller's write transaction. */
    iom_err (*migration_notes)(iom_store *s, iom_arena *a, iom_audit_t **out, size_t *n,
                               iom_error *e);
    iom_err (*migration_note_done)(iom_store *s, int64_t id, iom_error *e);
    /* The references of the taskings not ended (closed, rejected, declined, withdrawn) on
       threats the agency `code` owns or that it requested, in order, at most `max`: OUT arena
       array, *n. */
    iom_err (*agency_live_taskings)(iom_store *s, const char *code, size_t max, iom_arena *a,
                                    char ***out, size_t *n, iom_error *e);
    /* Bank holidays, by day (OUT arena array); insert: IOM_ECONFLICT when the day is listed. */
    iom_err (*holiday_list)(iom_store *s, iom_arena *a, iom_holiday_t **out, size_t *n,
                            iom_error *e);
    iom_err (*holiday_insert)(iom_store *s, const iom_holiday_t *h, iom_error *e);
    /* Deletes the holiday of day ("YYYY-MM-DD"): IOM_ENOTFOUND when it is not listed. */
    iom_err (*holiday_delete)(iom_store *s, const char *day, iom_error *e);
    const struct iom_store_picture_ops *picture; /* store/picture_store.h: datasets,
                                                    entities, links, the review queue */
    const struct iom_store_analysis_ops *analysis; /* store/analysis_store.h: transactions
                                                      and call records (issue 17) */
    const struct iom_store_search_ops *search;   /* store/search_store.h: the search index,
                                                    deconfliction keys and alerts */
    /* ---- version 5 (issue 19 point 5) ---- */
    /* A consistent copy of the whole database, taken while others read and write, at `to`
       (SQLite: the files `to` and `to.reads`, mode 0600; PostgreSQL: the same pair, pg_dump
       archives of one snapshot, store/pg/pg_backup.c). The audit key is never in it.
       IOM_ECONFLICT when `to` exists unless force. Outside any transaction. */
    iom_err (*backup)(iom_store *s, const char *to, bool force, iom_error *e);
    /* Every table of the database with its row count, by name: OUT arena arrays. */
    iom_err (*table_counts)(iom_store *s, iom_arena *a, char ***names, int64_t **counts, size_t *n,
                            iom_error *e);
    /* Replaces everything the database this handle is on holds with the backup `from` (made by
       backup on the same back-end), in one transaction of the database: a failure leaves it as
       it was. NULL for SQLite, whose restore replaces files before any open
       (iom_store_restore). Refused: `from` not an iom backup of this back-end (IOM_EINVAL), a
       newer schema (IOM_ESCHEMA). OUT *schema: the backup's version (older ones then need
       migrate). Outside any transaction; the handle's role must be the one that owns the tables
       (PostgreSQL: the owner role; the servers' grants are re-applied). The caller refuses an
       initialised database without --force and stops the servers first. */
    iom_err (*restore)(iom_store *s, const char *from, int *schema, iom_error *e);
    /* Copies every row of every table of this database into the database of `to` (another
       back-end's handle, or the same's), replacing all `to` holds, in ONE transaction of `to`:
       a failure leaves it as it was. `to` must be at this database's schema version (migrate
       it first) and opened by the role that owns its tables (PostgreSQL: the owner role; its
       identity sequences are set past the copied ids). Rows are read from one snapshot of this
       database. The caller compares the row counts and verifies the chains
       (store/sqlite/sqlite_copy.c). Outside any transaction on either handle. */
    iom_err (*copy_to)(iom_store *s, iom_store *to, iom_error *e);
    /* ---- version 6 (issue 19: a database server restarted under a running iom) ---- */
    /* True when the handle's last failure was its database server being unreachable rather
       than anything about the request: PostgreSQL: the connection was lost (the server
       restarted, the backend was killed or ended, the network cut) -- the transaction open on
       it is lost and its call failed with IOM_ESTORE -- or could not be made again. The next
       begin() makes it again (and clears this when it succeeds): a long-lived handle recovers
       by itself once the server is back. SQLite: always false. `iom serve` answers such a
       failure 503, not 500 (src/http/respond.c). */
    bool (*unreachable)(iom_store *s);
    /* ---- version 7 (issue 19: rows cached per handle while the cache epoch stands) ---- */
    /* Inside a write transaction: moves the cache epoch (migration 18) on by a random jump of
       2^32 to 2^48, so that no handle's cache of the database as it was before a restore or a
       copy over it can match the epoch that the restored rows then count up from.
       IOM_ESTORE on failure. */
    iom_err (*cache_epoch_jump)(iom_store *s, iom_error *e);
    /* ---- version 8 (issue 19: a held read in one round trip) ---- */
    /* Optional (NULL: begin(false) serves). Begins a read transaction for a caller that asks
       read_stale() after its commit() and, when that says true, throws away everything it
       read in it and does it again (app_hold_read, `iom serve`'s GET). The back-end may then
       serve the cached rows of the cache epoch it last saw (the sign-in's token, user and
       security rows) before it has read the snapshot's epoch, and read that epoch with the
       transaction's first statement: on PostgreSQL the BEGIN, the epoch and the first
       statement go in one round trip, and a sign-in served from the cache costs none.
       IOM_ESTORE when a transaction is already open. */
    iom_err (*begin_read_optimistic)(iom_store *s, iom_error *e);
    /* After commit() or rollback() of a transaction begun by begin_read_optimistic: true
       (once) when rows it served came from an epoch older than its snapshot's, so what the
       caller read in it may mix two states of the database. NULL on back-ends without it. */
    bool (*read_stale)(iom_store *s);
    /* Optional (NULL: nothing to end). Outside any transaction: ends what the handle keeps open
       between transactions for speed, if it has kept it for idle_us microseconds or more, and
       returns true when it did. PostgreSQL: a transaction begun by begin_read_optimistic ends
       with a COMMIT that is not sent at commit() but with the handle's next statement (one
       round trip less per request); until then its snapshot is held, so a pool calls this for
       its idle handles (`iom serve`: every 50 ms). */
    bool (*end_idle)(iom_store *s, uint64_t idle_us);
    /* How many request threads per core a server should run by default: 1 for a back-end that
       works in the server's own process (a request uses its core from start to end: more
       threads only queue), 2 for a database server in another process (a request waits on
       its round trips, while its core can serve another request). Measured in
       docs/performance.md ("Server threads per back-end"). 0 counts as 1. */
    unsigned threads_per_core;
} iom_store_ops;

/* Every back-end handle starts with this member, so store->ops->fn(store, ...) works. */
struct iom_buf;

struct iom_store {
    const iom_store_ops *ops;
    /* app/audit.c audit_key_check: a digest of the audit key under which this handle found
       the audit chain's last entry to verify (all zero: not checked yet). Back-ends zero it. */
    unsigned char key_checked[16];
    /* The terms a tasking's search document is indexed under besides its text (its folded
       form: NFKC, case, accents; identifiers' normalised forms), which the store cannot make
       itself: app/search.h search_terms, set by the app before every write transaction
       (app_begin; review 102 L9a). NULL (back-ends zero it): the document has none, as
       before. */
    void (*search_terms)(const char *text, bool person, struct iom_buf *b);
};

enum {
    IOM_STORE_CREATE = 1 << 0,     /* create the database file (mode 0600) if missing */
    IOM_STORE_ANY_SCHEMA = 1 << 1, /* do not refuse an old/new schema (for init and migrate) */
    IOM_STORE_MAINTAIN_APART = 1 << 2, /* no housekeeping inside this handle's commits: the
                                          owner runs maintain() on another handle instead
                                          (SQLite: no WAL auto-checkpoint; the read log's
                                          writer, whose batches must not stall) */
};

/*
 * Opens the store named by `location`: a PostgreSQL URI ("postgresql://..." or "postgres://...",
 * store/pg/pg_store.h) or else a file path for SQLite. Unless IOM_STORE_ANY_SCHEMA,
 * a database whose schema is not exactly the binary's is refused with IOM_ESCHEMA naming the
 * command to run (`iom init` or `iom migrate`).
 * OUT *out: the store; free with iom_store_close.
 */
iom_err iom_store_open(const char *location, int flags, iom_store **out, iom_error *e);

/* True when `file` is a backup of a PostgreSQL database (pg_dump's custom format): it is
   restored through ops->restore of a handle on the target. */
bool iom_store_is_pg_backup(const char *file);

/*
 * Replaces (or creates) the database at `to` with the backup `from` (made by ops->backup), as
 * one step: a failure leaves `to` as it was. `to` a PostgreSQL URI: ops->restore on a handle
 * opened on it (as the owner role). Refused: a `from` that is not an iom backup
 * (IOM_EINVAL), one of a schema newer than the binary's (IOM_ESCHEMA), an existing `to`
 * without force (IOM_ECONFLICT). No store may be open on `to` (stop the servers first).
 * OUT *schema: the backup's schema version (older ones need `iom migrate`).
 */
iom_err iom_store_restore(const char *from, const char *to, bool force, int *schema, iom_error *e);

/* A database location fit for a message or a log line: the password of a URI
   (scheme://user:PASSWORD@host, ?password=...) replaced by ***; out is NUL-terminated. */
void iom_store_redact(const char *location, char *out, size_t cap);
/* Hides, in place, every password of location (as written and percent-decoded) that msg
   quotes (libpq's message of a location it cannot parse quotes the URI or the token it
   stopped at: review 64), by "***". */
void iom_store_redact_message(const char *location, char *msg);

/* Overwrites, in place, the password of a URI location with '*' (the same length): the copy the
   process keeps is its own, and the one in its argument vector is then no longer shown by
   `ps`. */
void iom_store_scrub(char *location);

/* Closes and frees the store; NULL is a no-op. */
void iom_store_close(iom_store *s);

#endif
