/* `iom backup`, `iom restore`, `iom copy`: the whole database (app/backup.h; issue 19 point 5;
   docs/operations.md). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/backup.h"
#include "app/json.h"
#include <sodium.h>
#include "cli/commands.h"

static int cmd_backup(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom [--db PATH] backup --out FILE [--force]\n"
        "Writes a consistent copy of the database to FILE and its read chain to FILE.reads (mode\n"
        "0600) while servers go on, and records the backup (store.backup) in the audit trail.\n"
        "The audit key is not in the backup: keep <db>.key (IOM_AUDIT_KEY) backed up apart.\n"
        "PostgreSQL: FILE and FILE.reads are pg_dump archives of one snapshot. --force\n"
        "replaces an existing FILE.\n";
    cli_opt opts[] = {{"out", true, false}, {"force", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    if (!opts[0].value)
        return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "out: required (--out FILE)"));
    app_backup_result r;
    /* never over the audit key (kept apart: a backup written there would destroy it) */
    char have[PATH_MAX], want[PATH_MAX];
    const char *key = audit_key_path(&cli->arena, cli->db);
    for (int k = 0; k < 2; k++) {
        const char *t = k ? iom_arena_printf(&cli->arena, "%s.reads", opts[0].value) : opts[0].value;
        if (strcmp(t, key) == 0 || (realpath(t, want) && realpath(key, have) && strcmp(have, want) == 0))
            return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "backup: '%s' is the audit key; write "
                                          "the backup elsewhere", opts[0].value));
    }
    iom_err err = app_backup(&cli->ctx, opts[0].value, opts[1].value != NULL, &r);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s, s:s, s:s, s:I, s:i}", "file", opts[0].value, "reads",
                                      iom_arena_printf(&cli->arena, "%s.reads", opts[0].value), "sha256", r.sha256,
                                      "bytes", (json_int_t)r.bytes, "schema", r.schema));
    else
        fprintf(cli->out, "backup %s (and %s.reads): %lld bytes, schema %d, sha256 %s\n"
                          "the audit key is not in it: back up %s apart\n",
                opts[0].value, opts[0].value, (long long)r.bytes, r.schema, r.sha256, key);
    return 0;
}

/* Opens the database at path (migrating an older schema) with its key beside it: *c over
   *st. The caller closes *st. */
static iom_err open_with_key(cli_t *cli, const char *path, iom_ctx *c, iom_store **st, iom_arena *a,
                             int *from, int *to)
{
    *st = NULL;
    app_ctx_init(c, NULL, a);
    c->os_user = cli->ctx.os_user;
    c->via = "cli";
    c->clock = cli->ctx.clock;
    c->clock_data = cli->ctx.clock_data;
    iom_err err = iom_store_open(path, IOM_STORE_ANY_SCHEMA, st, &c->err);
    if (!err)
        err = (*st)->ops->migrate(*st, from, to, &c->err);
    if (err)
        return err;
    c->store = *st;
    const char *key = audit_key_path(a, path);
    if ((err = audit_key_load(key, c->audit_key, &c->err)))
        return iom_fail(&c->err, err, "audit key '%s' not found: put the database's key back beside it (it is "
                        "kept apart from backups) to verify its audit chain", key);
    c->has_audit_key = true;
    return IOM_OK;
}

/* A PostgreSQL backup (pg_dump files) is restored by a handle on the target (ops->restore, as
   the owner role: the open of init and migrate). *done false: the target is no PostgreSQL
   database (iom_store_restore then refuses the file, naming why); a file this open made is
   removed again. */
static iom_err restore_pg(cli_t *cli, const char *from, bool force, int *schema, bool *done)
{
    *done = false;
    struct stat sb;
    bool existed = stat(cli->db, &sb) == 0;
    iom_store *st;
    iom_err err = iom_store_open(cli->db, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &st, &cli->ctx.err);
    if (err)
        return err;
    if (!st->ops->restore) {
        iom_store_close(st);
        if (!existed) {
            const char *suffix[] = {"", "-wal", "-shm", ".reads", ".reads-wal", ".reads-shm"};
            for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++)
                unlink(iom_arena_printf(&cli->arena, "%s%s", cli->db, suffix[i]));
        }
        return IOM_OK;
    }
    *done = true;
    int current = 0, latest = 0;
    err = st->ops->schema_version(st, &current, &latest, &cli->ctx.err);
    if (!err && current > 0 && !force)
        err = iom_fail(&cli->ctx.err, IOM_ECONFLICT, "restore: '%s' exists; --force replaces it (take a backup of "
                       "it first)", cli->db_shown);
    if (!err)
        err = st->ops->restore(st, from, schema, &cli->ctx.err);
    iom_store_close(st);
    return err;
}

static int cmd_restore(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom [--db PATH] restore --from FILE [--force]\n"
        "Puts the backup FILE (and FILE.reads) in place as the database, in one step (a failure\n"
        "leaves the database as it was); an older schema is migrated. Then the audit chain is\n"
        "verified with the key beside the database (<db>.key, restored apart; IOM_AUDIT_KEY)\n"
        "and the restore is recorded (store.restore). An existing database is replaced only\n"
        "with --force. Stop the servers first. A backup from a newer iom is refused.\n"
        "PostgreSQL: run it as the role that owns the tables (the one of `iom init`).\n";
    cli_opt opts[] = {{"from", true, false}, {"force", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    if (!opts[0].value)
        return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "from: required (--from FILE)"));
    char sha[65];
    int64_t bytes;
    /* the key first: a restore whose chain cannot be verified is not made */
    unsigned char probe[IOM_AUDIT_KEY_BYTES];
    const char *key = audit_key_path(&cli->arena, cli->db);
    iom_err err = audit_key_load(key, probe, &cli->ctx.err);
    sodium_memzero(probe, sizeof probe);
    if (err)
        return cli_fail(cli, iom_fail(&cli->ctx.err, err, "restore: audit key '%s' not found: put the "
                                      "database's key there first (it is kept apart from backups)", key));
    err = app_file_sha256(opts[0].value, sha, &bytes, &cli->ctx.err);
    int schema = 0;
    bool done = false;
    if (!err && iom_store_is_pg_backup(opts[0].value))
        err = restore_pg(cli, opts[0].value, opts[1].value != NULL, &schema, &done);
    if (!err && !done)
        err = iom_store_restore(opts[0].value, cli->db, opts[1].value != NULL, &schema, &cli->ctx.err);
    if (err)
        return cli_fail(cli, err);
    iom_arena a;
    iom_arena_init(&a);
    iom_ctx c;
    iom_store *st;
    int from = 0, to = 0;
    app_backup_result r = {.schema = schema};
    err = open_with_key(cli, cli->db, &c, &st, &a, &from, &to);
    if (!err)
        err = app_backup_settle(&c, "store.restore",
                                json_pack("{s:s, s:s, s:i, s:i}", "from", opts[0].value, "sha256", sha,
                                          "schema", schema, "migrated_to", to),
                                &r);
    if (err)
        cli->ctx.err = c.err;
    iom_store_close(st);
    iom_arena_free(&a);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s, s:s, s:s, s:i, s:i, s:I}", "database", cli->db_shown, "from", opts[0].value,
                                      "sha256", sha, "schema", schema, "migrated_to", to, "audit_entries",
                                      (json_int_t)r.audit_entries));
    else
        fprintf(cli->out, "restored %s from %s (schema %d%s); audit chain intact: %lld entries\n", cli->db_shown,
                opts[0].value, schema, to != schema ? ", migrated" : "", (long long)r.audit_entries);
    return 0;
}

/* The key file of `from` copied beside `to` (mode 0600), unless `to` has one already. */
static iom_err copy_key(cli_t *cli, const char *from, const char *to, iom_error *e)
{
    const char *src = audit_key_path(&cli->arena, from), *dst = audit_key_path(&cli->arena, to);
    struct stat sb;
    if (stat(dst, &sb) == 0)
        return IOM_OK;
    unsigned char key[IOM_AUDIT_KEY_BYTES];
    iom_err err = audit_key_load(src, key, e);
    if (err)
        return err;
    int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return iom_fail(e, IOM_EIO, "copy: cannot create the key '%s': %s", dst, strerror(errno));
    /* the key file holds the key as 64 hex digits and a newline (app/audit.h audit_key_create) */
    char hex[2 * IOM_AUDIT_KEY_BYTES + 2];
    sodium_bin2hex(hex, sizeof hex - 1, key, sizeof key);
    strcat(hex, "\n");
    bool ok = write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) && fsync(fd) == 0;
    close(fd);
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    if (!ok) {
        unlink(dst);
        return iom_fail(e, IOM_EIO, "copy: cannot write the key '%s'", dst);
    }
    return IOM_OK;
}

/* The database of s1 copied to `to` (opened here as the role that owns its tables): between
   back-ends through the store (ops->copy_to, every row in one target transaction); PostgreSQL
   to PostgreSQL the source's backup (one snapshot, into a private temporary directory) restored
   into the target in one transaction (ops->restore), then the files removed. SQLite to a file
   copies files instead (ops->backup at `to`, in cmd_copy). */
static iom_err copy_by_store(cli_t *cli, iom_store *s1, const char *to, bool force, iom_error *e)
{
    iom_store *s2 = NULL;
    iom_err err = iom_store_open(to, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &s2, e);
    if (err)
        return err;
    int current = 0, latest = 0;
    err = s2->ops->schema_version(s2, &current, &latest, e);
    if (!err && current > 0 && !force)
        err = iom_fail(e, IOM_ECONFLICT, "copy: '%s' exists; give another name, or --force to replace it", to);
    if (!err && (strcmp(s1->ops->name, s2->ops->name) != 0 || !s1->ops->restore || !s2->ops->restore)) {
        /* between back-ends (or one without restore): the target gets the schema, then every
           row through the store */
        int from_v = 0, to_v = 0;
        err = s2->ops->migrate(s2, &from_v, &to_v, e);
        if (!err)
            err = s1->ops->copy_to(s1, s2, e);
        iom_store_close(s2);
        return err;
    }
    /* PostgreSQL to PostgreSQL: the source's backup (one snapshot, in a private directory)
       restored into the target in one transaction */
    char dir[] = "/tmp/iom-copy-XXXXXX";
    if (!err && !mkdtemp(dir))
        err = iom_fail(e, IOM_EIO, "copy: cannot make a temporary directory: %s", strerror(errno));
    else if (!err) {
        const char *file = iom_arena_printf(&cli->arena, "%s/backup", dir);
        int schema = 0;
        err = s1->ops->backup(s1, file, false, e);
        if (!err)
            err = s2->ops->restore(s2, file, &schema, e);
        unlink(file);
        unlink(iom_arena_printf(&cli->arena, "%s.reads", file));
        rmdir(dir);
    }
    iom_store_close(s2);
    return err;
}

static int cmd_copy(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom copy --from DB --to DB [--force]\n"
        "Copies a whole database (and its read chain) to another location while servers go on;\n"
        "then checks that every table holds as many rows in the copy, verifies the copy's audit\n"
        "chain and records the copy (store.copy) in it. The audit key: a copy of DB.key is put\n"
        "beside the copy (TO.key); when IOM_AUDIT_KEY names the key (kept apart from the\n"
        "database, as for PostgreSQL), that one file serves the copy too and none is written:\n"
        "open the copy with the same IOM_AUDIT_KEY.\n"
        "--force replaces an existing copy.\n";
    cli_opt opts[] = {{"from", true, false}, {"to", true, false}, {"force", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    if (!opts[0].value || !opts[1].value)
        return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "copy: give --from DB and --to DB"));
    iom_arena a1, a2;
    iom_arena_init(&a1);
    iom_arena_init(&a2);
    iom_ctx src, dst;
    iom_store *s1 = NULL, *s2 = NULL;
    int f1, t1, f2, t2;
    app_backup_result r = {0};
    bool force = opts[2].value != NULL;
    iom_err err = open_with_key(cli, opts[0].value, &src, &s1, &a1, &f1, &t1);
    iom_error *e = &src.err;
    if (!err && f1 == 0)
        err = iom_fail(e, IOM_EINVAL, "copy: '%s' is not an iom database", opts[0].value);
    struct stat sb;
    if (!err && strcmp(s1->ops->name, "sqlite") == 0 && !strstr(opts[1].value, "://")) {
        if (!force && (stat(opts[1].value, &sb) == 0 ||
                       stat(iom_arena_printf(&cli->arena, "%s.reads", opts[1].value), &sb) == 0))
            err = iom_fail(e, IOM_ECONFLICT, "copy: '%s' exists; give another name, or --force to replace it",
                           opts[1].value);
        else if ((err = s1->ops->backup(s1, opts[1].value, force, e)) && !strncmp(e->msg, "backup: ", 8)) {
            /* the store's check speaks of a backup: this is a copy (review 83 L7) */
            char msg[sizeof e->msg];
            memcpy(msg, "copy: ", 6);
            size_t n = strlen(e->msg + 8);
            if (n > sizeof msg - 7)
                n = sizeof msg - 7;
            memcpy(msg + 6, e->msg + 8, n);
            msg[6 + n] = '\0';
            iom_fail(e, err, "%s", msg);
        }
    }
    else if (!err)
        err = copy_by_store(cli, s1, opts[1].value, force, e);
    if (!err)
        err = copy_key(cli, opts[0].value, opts[1].value, e);
    if (!err) {
        e = &dst.err;
        err = open_with_key(cli, opts[1].value, &dst, &s2, &a2, &f2, &t2);
        if (!err)
            err = app_copy_compare(&src, &dst, &r);
        if (!err)
            err = app_backup_settle(&dst, "store.copy",
                                    json_pack("{s:s, s:I, s:I}", "from", opts[0].value, "tables",
                                              (json_int_t)r.tables, "rows", (json_int_t)r.rows),
                                    &r);
    }
    if (err)
        cli->ctx.err = *e;
    iom_store_close(s1);
    iom_store_close(s2);
    iom_arena_free(&a1);
    iom_arena_free(&a2);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s, s:s, s:I, s:I, s:I}", "from", opts[0].value, "to", opts[1].value,
                                      "tables", (json_int_t)r.tables, "rows", (json_int_t)r.rows,
                                      "audit_entries", (json_int_t)r.audit_entries));
    else
        fprintf(cli->out, "copied %s to %s: %lld tables, %lld rows, the same in both; audit chain intact: "
                          "%lld entries\n",
                opts[0].value, opts[1].value, (long long)r.tables, (long long)r.rows, (long long)r.audit_entries);
    return 0;
}

const cli_command cli_store_commands[] = {
    {"backup", NULL, cmd_backup, CLI_NEED_STORE | CLI_NEED_KEY,
     "a consistent copy of the database while servers go on (not the audit key)"},
    {"restore", NULL, cmd_restore, 0, "put a backup in place as the database (--force to replace one)"},
    {"copy", NULL, cmd_copy, 0, "copy a whole database to another location, verified"},
    {NULL, NULL, NULL, 0, NULL},
};
