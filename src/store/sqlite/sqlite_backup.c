/* SQLite back-end: backup, restore and row counts (store.h; issue 19 point 5). A database is
   two files, `PATH` and the read chain's `PATH.reads` (sqlite_store.c attach_reads); a backup
   is the same pair, `FILE` and `FILE.reads`, copied with SQLite's online backup API inside one
   read transaction of the source, so both are one consistent snapshot while writers go on.
   The audit key is never in either file (it lives beside the database, kept apart). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/sqlite_store.h"

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0; /* a link counts, dangling or not */
}

/* Refuses a target that is there and is no regular file: a symbolic link (written through, it
   put the copy wherever it pointed), a device (a failed copy unlinked /dev/full), a directory
   (review 47). */
static iom_err target_ok(const char *path, const char *what, iom_error *e)
{
    struct stat sb;
    if (lstat(path, &sb) != 0 || S_ISREG(sb.st_mode))
        return IOM_OK;
    return iom_fail(e, IOM_EINVAL, "%s: '%s' is not a regular file (%s); refusing to write there", what, path,
                    S_ISLNK(sb.st_mode) ? "a symbolic link" : S_ISDIR(sb.st_mode) ? "a directory" : "a device or special file");
}

static char *reads_of(const char *path)
{
    size_t n = strlen(path) + sizeof ".reads";
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s.reads", path);
    return p;
}

/* A new empty file beside path, mode 0600, made with O_EXCL (mkstemp): "PATH.tmp-XXXXXX",
   malloc'd; NULL with errno set. */
static char *temp_beside(const char *path)
{
    size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
    char *t = malloc(n);
    if (!t)
        return NULL;
    snprintf(t, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(t);
    if (fd < 0) {
        int keep = errno;
        free(t);
        errno = keep;
        return NULL;
    }
    close(fd);
    return t;
}

/* Copies schema `name` of src into the main schema of a new connection on `to`, a new empty
   file of ours (temp_beside), opened without following a link. */
static iom_err copy_schema(sqlite3 *src, const char *name, const char *to, iom_error *e)
{
    sqlite3 *dst = NULL;
    sqs_library_init();
    if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
        iom_err err = iom_fail(e, IOM_EIO, "backup: cannot open '%s': %s", to,
                               dst ? sqlite3_errmsg(dst) : "out of memory");
        sqlite3_close(dst);
        return err;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, name);
    iom_err err = IOM_OK;
    if (!b)
        err = iom_fail(e, IOM_ESTORE, "backup of '%s': %s", to, sqlite3_errmsg(dst));
    else {
        int rc = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE)
            err = iom_fail(e, IOM_ESTORE, "backup to '%s': %s", to, sqlite3_errstr(rc));
    }
    /* the copy in one file, no write-ahead log beside it */
    if (!err && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        err = iom_fail(e, IOM_ESTORE, "backup '%s': %s", to, sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return err;
}

/* The pair is written into new files of its own beside the target (mode 0600, O_EXCL) and
   renamed over it only once both are complete: a failure half-way leaves what was at the
   target as it was, and removes only the files this call made (review 47: a failed --force
   deleted the previous backup; an existing file kept its mode, 0666 included; a link at the
   target was followed). */
iom_err sqlite_backup_to(sqlite3 *db, const char *to, bool force, iom_error *e)
{
    char *to_reads = reads_of(to);
    if (!to_reads)
        return iom_fail(e, IOM_ENOMEM, "backup: out of memory");
    iom_err err = target_ok(to, "backup", e);
    if (!err)
        err = target_ok(to_reads, "backup", e);
    if (!err && !force && (exists(to) || exists(to_reads)))
        err = iom_fail(e, IOM_ECONFLICT, "backup: '%s' exists (or its .reads file); give another name, or "
                       "--force to replace it", to);
    char *tmp = NULL, *tmp_reads = NULL;
    if (!err && (!(tmp = temp_beside(to)) || !(tmp_reads = temp_beside(to_reads))))
        err = iom_fail(e, IOM_EIO, "backup: cannot create a file beside '%s': %s", to, strerror(errno));
    /* one snapshot of both files: a read transaction over main and reads */
    if (!err && sqlite3_exec(db, "BEGIN; SELECT count(*) FROM main.sqlite_master; SELECT count(*) FROM"
                                 " reads.sqlite_master;", NULL, NULL, NULL) != SQLITE_OK)
        err = iom_fail(e, IOM_ESTORE, "backup: cannot read the database: %s", sqlite3_errmsg(db));
    else if (!err) {
        err = copy_schema(db, "main", tmp, e);
        if (!err)
            err = copy_schema(db, "reads", tmp_reads, e);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (!err && (rename(tmp_reads, to_reads) != 0 || rename(tmp, to) != 0))
            err = iom_fail(e, IOM_EIO, "backup: cannot put the copy in place at '%s': %s", to, strerror(errno));
    }
    if (err) { /* only what this call made */
        if (tmp)
            unlink(tmp);
        if (tmp_reads)
            unlink(tmp_reads);
    }
    free(tmp);
    free(tmp_reads);
    free(to_reads);
    return err;
}

/* The schema version (PRAGMA user_version) of the database file `path`, opened read-only:
   -1 when it is not an SQLite database. */
static int version_of(const char *path, iom_error *e, iom_err *err)
{
    sqlite3 *db = NULL;
    int v = -1;
    *err = IOM_OK;
    sqs_library_init();
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                v = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        /* an iom database has its audit table */
        if (v >= 0 && sqlite3_prepare_v2(db, "SELECT count(*) FROM audit", -1, &st, NULL) != SQLITE_OK)
            v = -1;
        else if (v >= 0)
            sqlite3_finalize(st);
    }
    sqlite3_close(db);
    if (v < 0)
        *err = iom_fail(e, IOM_EINVAL, "restore: '%s' is not an iom database", path);
    return v;
}

iom_err store_sqlite_restore(const char *from, const char *to, bool force, int *schema, iom_error *e)
{
    *schema = 0;
    if (!exists(from))
        return iom_fail(e, IOM_EINVAL, "restore: no backup '%s'", from);
    char *from_reads = reads_of(from), *to_reads = reads_of(to);
    iom_err err = IOM_OK;
    if (!from_reads || !to_reads)
        err = iom_fail(e, IOM_ENOMEM, "restore: out of memory");
    int v = err ? -1 : version_of(from, e, &err);
    if (!err && v == 0)
        err = iom_fail(e, IOM_EINVAL, "restore: '%s' is an empty database, not an iom backup", from);
    if (!err && v > sqlite_migration_count)
        err = iom_fail(e, IOM_ESCHEMA, "restore: '%s' has schema %d, newer than this binary's %d; restore "
                       "it with a newer iom", from, v, sqlite_migration_count);
    if (!err && !exists(from_reads))
        err = iom_fail(e, IOM_EINVAL, "restore: '%s' lacks its read chain '%s' (a backup is both files)",
                       from, from_reads);
    if (!err && !force && (exists(to) || exists(to_reads)))
        err = iom_fail(e, IOM_ECONFLICT, "restore: '%s' exists; --force replaces it (take a backup of it "
                       "first)", to);
    sqlite3 *src = NULL;
    sqs_library_init();
    if (!err && sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        err = iom_fail(e, IOM_EIO, "restore: cannot open '%s'", from);
    if (!err) {
        char *sql = sqlite3_mprintf("ATTACH DATABASE %Q AS reads", from_reads);
        if (!sql || sqlite3_exec(src, sql, NULL, NULL, NULL) != SQLITE_OK)
            err = iom_fail(e, IOM_EIO, "restore: cannot open '%s'", from_reads);
        sqlite3_free(sql);
    }
    if (!err) {
        /* into a new pair beside the target, then renamed over it: a failure half-way leaves
           the target as it was */
        size_t n = strlen(to) + sizeof ".restoring";
        char *tmp = malloc(n);
        char *tmp_reads = NULL;
        if (tmp) {
            snprintf(tmp, n, "%s.restoring", to);
            tmp_reads = reads_of(tmp);
        }
        if (!tmp || !tmp_reads)
            err = iom_fail(e, IOM_ENOMEM, "restore: out of memory");
        if (!err)
            err = sqlite_backup_to(src, tmp, true, e);
        if (!err) {
            /* the target's write-ahead logs and shared memory go with it */
            const char *suffix[] = {"-wal", "-shm"};
            for (int i = 0; i < 2; i++) {
                char *a = sqlite3_mprintf("%s%s", to, suffix[i]), *b = sqlite3_mprintf("%s%s", to_reads, suffix[i]);
                if (a)
                    unlink(a);
                if (b)
                    unlink(b);
                sqlite3_free(a);
                sqlite3_free(b);
            }
            if (rename(tmp_reads, to_reads) != 0 || rename(tmp, to) != 0)
                err = iom_fail(e, IOM_EIO, "restore: cannot put the database in place at '%s': %s", to,
                               strerror(errno));
        }
        if (err && tmp) {
            unlink(tmp);
            if (tmp_reads)
                unlink(tmp_reads);
        }
        free(tmp);
        free(tmp_reads);
    }
    sqlite3_close(src);
    free(from_reads);
    free(to_reads);
    if (!err)
        *schema = v;
    return err;
}
