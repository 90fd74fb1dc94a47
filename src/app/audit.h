/*
 * audit.h: the tamper-evident audit trail.
 *
 * Every change writes, in the same transaction, one entry: actor, operating-system user,
 * channel, time, action, object reference and the object's content before and after. Entry
 * n carries hash_n = HMAC-SHA256(key, canonical(hash_{n-1}, entry_n)) in lower-case hex, with
 * hash_0 = "". canonical() concatenates, each as "len:bytes" (decimal byte length, a colon, the
 * bytes; NULL as "-"), hash_{n-1}, seq and at (decimal), actor, os_user, via, action,
 * object_ref, before_json, after_json: every column of the entry but its own hash (see
 * audit_entry_hash). The key lives outside the database (a 0600 file, by default
 * "<database>.key", or the path in $IOM_AUDIT_KEY), so someone who can write the database file
 * can neither forge an entry nor rebuild the chain.
 * A checkpoint (seq and hash of the head) kept elsewhere also detects a truncated tail.
 */
#ifndef IOM_APP_AUDIT_H
#define IOM_APP_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"

/* Key file path for a database: $IOM_AUDIT_KEY if set, else "<db_path>.key" for an SQLite file
   and "" for a URI (PostgreSQL: no default place; audit_key_load and _create then refuse with
   IOM_EINVAL asking for IOM_AUDIT_KEY). Returns an arena (or static) string. */
const char *audit_key_path(iom_arena *a, const char *db_path);

/* Creates a new random key file (mode 0600, refuses to overwrite: IOM_ECONFLICT). */
iom_err audit_key_create(const char *path, unsigned char key[IOM_AUDIT_KEY_BYTES], iom_error *e);

/* Loads a key file. IOM_EIO when missing or unreadable, IOM_EINTEGRITY when malformed. */
iom_err audit_key_load(const char *path, unsigned char key[IOM_AUDIT_KEY_BYTES], iom_error *e);

/* Inside an open write transaction: appends one entry chained to the current head. The
   context must hold the key (IOM_EINTEGRITY otherwise). Strings are borrowed. */
iom_err audit_record(iom_ctx *c, const char *action, const char *object_ref,
                     const char *before_json, const char *after_json);

/* The keyed hash of one entry, as audit_record writes it and app_audit_verify checks it:
   HMAC-SHA256 under key of canonical(prev, *en) above, as 64 lower-case hex digits and a NUL
   in out. prev: the previous entry's hash ("" before the first entry); en->hash is not read.
   Public so that tests can rebuild a chain in the real format (tests/unit/test_audit_mac.c). */
void audit_entry_hash(const unsigned char key[IOM_AUDIT_KEY_BYTES], const char *prev,
                      const iom_audit_t *en, char out[65]);

/* Whether `key` is this database's audit key: the audit chain's last entry must verify under
   it (an empty chain proves nothing and passes). Checked once per store handle and key (the
   handle remembers it), inside the caller's transaction: audit_record and the read log's
   writer call it before they append, `iom serve` before it starts, so a server or command
   given another key file (well-formed, but not this database's) changes nothing instead of
   signing entries that every later verification reports as tampering. IOM_EINTEGRITY with
   a message naming the key file as the likely cause; IOM_ESTORE. */
iom_err audit_key_check(iom_store *s, const unsigned char key[IOM_AUDIT_KEY_BYTES], iom_error *e);

typedef struct audit_checkpoint {
    int64_t seq;
    char hash[65];
    bool reads;            /* a checkpoint of the read chain ("iom-read-checkpoint ...") */
} audit_checkpoint;

/* Parses the line printed by `iom audit checkpoint`: "iom-audit-checkpoint seq=N hash=HEX"
   (the change chain) or "iom-read-checkpoint seq=N hash=HEX" (the read chain: out->reads). */
iom_err audit_checkpoint_parse(const char *text, audit_checkpoint *out, iom_error *e);

typedef struct audit_verify_result {
    int64_t entries;       /* entries read */
    char head[65];         /* hash of the last entry read */
    int64_t first_bad;     /* 0 when intact, else the seq of the first broken entry */
} audit_verify_result;

/* Use-case `audit verify` (admin, auditor): the CHANGE chain. IOM_OK when the whole chain
   verifies (and matches *cp when given); IOM_EINTEGRITY naming the first broken entry
   otherwise. Read entries written since the read chain started are not in it, so its cost
   does not grow with reads. IOM_EINVAL for a checkpoint of the read chain. */
iom_err app_audit_verify(iom_ctx *c, const audit_checkpoint *cp, audit_verify_result *out);

/* The change chain verified for whoever holds the database's files and key (`iom restore`,
   `iom copy`: no user of the database acts); as app_audit_verify otherwise. */
iom_err app_audit_verify_files(iom_ctx *c, audit_verify_result *out);

/* Use-case `audit checkpoint` (admin, auditor): the head of the change chain. */
iom_err app_audit_checkpoint(iom_ctx *c, audit_checkpoint *out);

/* ---- the read chain (issue 14; app/readlog.h, store/reads_store.h) ----------------------
 * Reads of content since the cut-over are entries of the read chain: the same canonical form
 * and MAC as above (audit_entry_hash) under the read chain's key audit_read_key(audit key),
 * entry 1 chained to the hash of the cut-over entry of the change chain (the "previous hash"
 * of read entry 1), which is either the cut-over entry "audit.read_chain_start" (object
 * "read-chain") of a database migrated to schema 7, or entry 1 "reference.init" of a database
 * created by `iom init` since (its after_json says "read_chain"). */

/* The read chain's key: crypto_kdf_derive_from_key(out, 32, 1, "iomreads", audit key). */
void audit_read_key(const unsigned char key[IOM_AUDIT_KEY_BYTES], unsigned char out[IOM_AUDIT_KEY_BYTES]);

/* Use-case `audit verify --reads [--checkpoint FILE]` (admin, auditor): checks the cut-over
   entry in the change chain (present, its hash the one read entry 1 is chained to, and
   authentic: its MAC against the entry before it), then every read entry in order under the
   read key, and *cp (a checkpoint of the read chain: cp->reads) when given: a read entry
   edited, removed, reordered, spliced in from elsewhere, or a tail cut off (with cp) is
   IOM_EINTEGRITY naming the first bad read entry (out->first_bad) and why. out->entries counts
   read entries. IOM_EINVAL for a checkpoint of the change chain; IOM_EFORBIDDEN, IOM_EAUTH;
   IOM_EINTEGRITY also when no key is loaded. */
iom_err app_audit_verify_reads(iom_ctx *c, const audit_checkpoint *cp, audit_verify_result *out);

/* Use-case `audit checkpoint --reads` (admin, auditor): the head of the read chain
   (out->reads set; seq 0 and hash "" before the first read). Printed as
   "iom-read-checkpoint seq=N hash=HEX". */
iom_err app_audit_checkpoint_reads(iom_ctx *c, audit_checkpoint *out);

/* Records the cut-over now (`iom migrate` may call it after migrating to schema 7; otherwise
   the first logged read does it, in its batch's transaction). OUT *started: true when it was
   recorded by this call, false when the chain had started already. Needs the audit key
   (IOM_EINTEGRITY); no actor (a system entry). */
iom_err app_audit_reads_start(iom_ctx *c, bool *started);

/* After a migration: writes the facts the migrations noted (store.h migration_notes: users
   whose roles broke a rule, ...) into the audit trail, one entry each, as "system", in one
   write transaction. Needs the key (IOM_EINTEGRITY). OUT *written: entries written. */
iom_err app_audit_migration_notes(iom_ctx *c, size_t *written);

/* Use-case `audit log` (auditor): entries, all or for one object, oldest first; arena. */
iom_err app_audit_log(iom_ctx *c, const char *object, iom_audit_t **out, size_t *n);

/* The auditor's search of the trail: one page of entries. */
typedef struct app_audit_log_query {
    const char *object;   /* only entries about this object reference, or NULL */
    const char *actor;    /* only entries made by this user, or NULL */
    const char *action;   /* only this action ("tasking.submit", "user.disable"...), or NULL */
    bool newest;          /* newest first (else oldest first) */
    int64_t after_seq;    /* cursor: the *next of the previous page, 0 for the first */
    size_t limit;         /* 1..1000 */
} app_audit_log_query;

/* One page of app_audit_log's entries matching q, in q's order, at most q->limit; *next is the
   cursor (an entry number) of the next page, 0 on the last one. Arena. IOM_EINVAL for a bad
   limit or a filter too long or not of a name's shape. */
iom_err app_audit_log_page(iom_ctx *c, const app_audit_log_query *q, iom_audit_t **out, size_t *n,
                           int64_t *next);
/* ---- the read-purpose log (issue 5 point 7, issue 14; domain.md §10, DPA 2018 s.62) ------
 * Every read of intelligence content is one entry (app/readlog.h app_read_log): in the change
 * chain before the cut-over, in the read chain since. Its after_json is {"read": what was read,
 * "justification": text|null, "purpose": the stated purpose or the granting relation}. The
 * actions below are the reads. */
extern const char *const audit_read_actions[]; /* "tasking.read", "intel.consult",
                                                  "product.disclose", "option.read", NULL */

typedef struct app_audit_reads_query {
    const char *user;      /* only this user's reads, or NULL */
    const char *object;    /* only reads of this object reference, or NULL */
    size_t limit;          /* 1..1000; 0 = 50 */
    const char *after;     /* cursor: the "next" of the previous page, or NULL */
    const char *action;    /* only this action (audit_reads_filter_actions), or NULL */
    bool newest;           /* newest first: the read chain's newest entry first, then the
                              reads logged in the change chain before the cut-over */
} app_audit_reads_query;

/* The actions of entries of the read-purpose log (a filter's values): the reads, a picture's
   export and a refused access ("access.refused"). NULL-terminated. */
extern const char *const audit_reads_filter_actions[];

/* `audit reads` (auditor, admin): read entries oldest first (newest first: q->newest, the
   chains in the other order), a page at a time: first those in
   the change chain (before the cut-over), then those of the read chain (en->in_read_chain).
   OUT *next: the cursor of the next page (arena; "N" after change entry N, "rN" after read
   entry N) or NULL at the end. IOM_EINVAL for a bad limit or cursor. */
iom_err app_audit_reads(iom_ctx *c, const app_audit_reads_query *q, iom_audit_t **out, size_t *n,
                        const char **next);

/* {"seq", "chain", "at", "user", "via", "action", "object", "purpose", "justification",
   "read"}: a read entry for auditors; chain is "changes" or "reads" (seq numbers that chain).
   New reference. */
json_t *json_of_read_entry(const iom_audit_t *en);

#endif
