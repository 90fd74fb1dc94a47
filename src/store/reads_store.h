/*
 * reads_store.h: the read chain's sub-table of the store (issue 14; app/readlog.h, app/audit.h).
 *
 * Reads of intelligence content are logged in a keyed hash chain of their own, apart from the
 * change chain (store.h audit_*): its own sequence 1, 2, 3, ..., its own head and checkpoints.
 * Entries are iom_audit_t records (before_json always NULL; after_json is the read's
 * {"read", "justification", "purpose"}), hashed by app/audit.h audit_entry_hash under the read
 * chain's key. The chain starts at a cut-over entry of the CHANGE chain ("audit.read_chain_start"):
 * read entry 1 is chained to that entry's hash, so the change chain records where the read chain
 * begins and the read chain cannot be replaced by another one.
 *
 * The same contract as store.h (transactions, arena ownership, error codes). Semantics that a
 * second back-end (PostgreSQL, several `iom serve` processes writing one database) must keep:
 *
 *  - ONE CHAIN, SEVERAL WRITERS: `chain` called inside a write transaction returns the head
 *    and holds it until that transaction ends, so two writers never chain two batches to the
 *    same head. SQLite: the write transaction (BEGIN IMMEDIATE) already excludes every other
 *    writer. PostgreSQL: `SELECT ... FROM read_chain WHERE id = 1 FOR UPDATE` on the one row
 *    that holds the start and the head (kept current by `append`), so batches of several
 *    servers serialise on that row while changes, which never touch it, proceed.
 *  - Entries are appended only after the head returned by `chain` in the same transaction,
 *    with consecutive sequence numbers; nothing updates or deletes them (SQLite: triggers).
 */
#ifndef IOM_STORE_READS_STORE_H
#define IOM_STORE_READS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/auth_store.h"
#include "store/store.h"

/* The read chain's start and head. */
typedef struct iom_read_chain_t {
    bool started;             /* false: no cut-over recorded yet (no read entry either) */
    int64_t change_seq;       /* the cut-over entry in the change chain */
    char change_hash[65];     /* its hash: the "previous hash" of read entry 1 */
    int64_t started_at;
    bool entries_lost;        /* the entries are not kept where they were when the chain
                                 started (SQLite: the file <db>.reads was replaced or lost);
                                 the reads verify reports it */
    int64_t head_seq;         /* the last read entry, 0 when none */
    char head_hash[65];       /* its hash, "" when none */
} iom_read_chain_t;

struct iom_store_reads_ops {
    int version;              /* 1 */

    /* OUT *out: the start and head of the read chain. Inside a write transaction the head is
       held for this transaction (see above); in a read transaction it is a snapshot. */
    iom_err (*chain)(iom_store *s, iom_read_chain_t *out, iom_error *e);

    /* Inside the write transaction that appended the cut-over entry (change_seq, change_hash)
       to the change chain: records it as the start of the read chain. IOM_ECONFLICT when the
       chain was already started. */
    iom_err (*start)(iom_store *s, int64_t change_seq, const char *change_hash, int64_t at,
                     iom_error *e);

    /* Inside a write transaction, after `chain`: appends v[0..n) (seq, hash and every field
       set; seq consecutive from the head + 1). Strings are borrowed for the call. */
    iom_err (*append)(iom_store *s, const iom_audit_t *v, size_t n, iom_error *e);

    /* Calls cb for each read entry with seq > after_seq, in seq order, until cb returns
       non-zero. Entries are valid during the callback only. */
    iom_err (*scan)(iom_store *s, int64_t after_seq, iom_audit_cb cb, void *cb_data, iom_error *e);

    /* The entries matching f (actor, object_ref, action, after_seq, limit, newest; f->actions
       is ignored: every entry is a read), in f's order, in a (arena). */
    iom_err (*page)(iom_store *s, const iom_audit_read_filter *f, iom_arena *a, iom_audit_t **out,
                    size_t *n, iom_error *e);
    /* New slots are appended below this line. */

    /* Opens the write transaction of a batch of read entries: it holds the read chain's head
       (as begin(s, true) does) and writes nothing but the read log. A back-end keeping the read
       log apart (SQLite: the file <db>.reads) locks that alone, so a batch never holds back a
       change; NULL: begin(s, true). */
    iom_err (*begin_batch)(iom_store *s, iom_error *e);

    /* Outside any transaction: copies what the read log's own write-ahead log holds into its
       file, so that the next batch writes that log again from its start instead of growing it
       (SQLite: a passive checkpoint of `reads` alone; under a steady load of reads the WAL
       otherwise never found a moment with nothing left to copy, and grew by ~33 MB/s). A
       reader holding an older snapshot may leave part of it for the next call. NULL: nothing to
       do (PostgreSQL keeps its own WAL). */
    iom_err (*checkpoint)(iom_store *s, iom_error *e);
};

#endif
