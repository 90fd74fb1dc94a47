/*
 * analysis_store.h: the store's analysis area (store->ops->analysis; issue 17,
 * docs/analysis.md): money transactions and call data records imported into a tasking, each
 * import with its provenance. Same contract as store.h: results in the caller's arena,
 * IOM_ENOTFOUND / IOM_ECONFLICT / IOM_EINVAL / IOM_ESTORE with the detail in *e; every call
 * inside a transaction opened by begin(). References are derived from row ids: IMP-000001
 * (an import), TXN-000001 (a transaction), CDR-000001 (a call data record).
 */
#ifndef IOM_STORE_ANALYSIS_STORE_H
#define IOM_STORE_ANALYSIS_STORE_H

#include "domain/grade.h"
#include "store/store.h"

/* One imported file of transactions ("finance") or call data records ("comms"). */
typedef struct iom_aimport_t {
    int64_t id;
    char *ref;               /* IMP-000001 (set by insert and reads) */
    int64_t tasking_id;
    char *kind;              /* finance | comms */
    char *filename;          /* base name as imported, or NULL */
    char sha256[65];
    int64_t rows;
    iom_marking marking;
    iom_grade grade;         /* of the file (migration 15); conditions: arena or borrowed */
    char *fields_json;       /* {"role": "column", ...} as mapped */
    int64_t imported_by;
    int64_t imported_at;
    /* joined, read-only: */
    char *tasking_ref;
    char *importer;
} iom_aimport_t;

/* A transfer of money. Accounts are normalised keys (as picture_norm_account, or the
   letters and digits of another identifier, upper case). */
typedef struct iom_txn_t {
    int64_t id;
    char *ref;               /* TXN-000001 */
    int64_t import_id;
    int64_t rownum;          /* the row of the file (1 = the first after the header) */
    int64_t at;              /* UTC seconds */
    char *from_account, *to_account;
    int64_t amount;          /* minor units, > 0 */
    char currency[4];
    char *reference;         /* or NULL */
    iom_marking marking;     /* joined: the import's */
} iom_txn_t;

/* A call data record. Phones are E.164 (picture_norm_phone). */
typedef struct iom_cdr_t {
    int64_t id;
    char *ref;               /* CDR-000001 */
    int64_t import_id;
    int64_t rownum;
    char *caller, *callee;
    int64_t start;           /* UTC seconds */
    int64_t duration;        /* seconds (0 for SMS) */
    char *kind;              /* call | sms */
    char *cell;              /* the caller's cell site, or NULL */
    iom_marking marking;     /* joined: the import's */
} iom_cdr_t;

struct iom_store_analysis_ops {
    int version;
    /* Imports. insert sets id and ref. find: the id of the tasking's import of kind with this
       checksum, 0 when none. list: the tasking's imports (kind NULL: both), by id. */
    iom_err (*import_insert)(iom_store *s, iom_aimport_t *in_out, iom_arena *a, iom_error *e);
    iom_err (*import_find)(iom_store *s, int64_t tasking_id, const char *kind, const char *sha256,
                           int64_t *id, iom_error *e);
    iom_err (*import_list)(iom_store *s, int64_t tasking_id, const char *kind, iom_arena *a,
                           iom_aimport_t **out, size_t *n, iom_error *e);
    /* get: by ref (IOM_ENOTFOUND; a removed import too). delete: the import, its rows and
       the picture sources it gave (the caller prunes the picture after), keeping its id, kind,
       checksum and `at` (removal time) so that its reference is never given again: insert
       takes the next id after every import ever made. */
    iom_err (*import_get)(iom_store *s, const char *ref, iom_arena *a, iom_aimport_t *out,
                          iom_error *e);
    iom_err (*import_delete)(iom_store *s, int64_t id, int64_t at, iom_error *e);
    /* Rows. insert sets id (ref is not set). list: every row of the tasking's imports, by
       time, then id. */
    iom_err (*txn_insert)(iom_store *s, iom_txn_t *in_out, iom_error *e);
    iom_err (*txn_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_txn_t **out,
                        size_t *n, iom_error *e);
    iom_err (*cdr_insert)(iom_store *s, iom_cdr_t *in_out, iom_error *e);
    iom_err (*cdr_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_cdr_t **out,
                        size_t *n, iom_error *e);
};

#endif
