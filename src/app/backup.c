/* Backup, restore and copy of a whole database (app/backup.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/backup.h"
#include "app/work.h"

iom_err app_file_sha256(const char *path, char out[65], int64_t *bytes, iom_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return iom_fail(e, IOM_EIO, "'%s': %s", path, strerror(errno));
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536];
    size_t n;
    *bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crypto_hash_sha256_update(&st, buf, n);
        *bytes += (int64_t)n;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad)
        return iom_fail(e, IOM_EIO, "'%s': read error", path);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
    return IOM_OK;
}

iom_err app_backup(iom_ctx *c, const char *file, bool force, app_backup_result *out)
{
    memset(out, 0, sizeof *out);
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "backup: no audit key loaded (it records the backup)");
    int latest;
    iom_err err;
    if ((err = c->store->ops->schema_version(c->store, &out->schema, &latest, &c->err)) ||
        (err = c->store->ops->backup(c->store, file, force, &c->err)) ||
        (err = app_file_sha256(file, out->sha256, &out->bytes, &c->err)))
        return err;
    if ((err = app_begin(c, true)))
        return err;
    json_t *after = json_pack("{s:s, s:s, s:I, s:i}", "file", file, "sha256", out->sha256, "bytes",
                              (json_int_t)out->bytes, "schema", out->schema);
    err = audit_record(c, "store.backup", "database", NULL, work_json_text(c, after));
    return app_end(c, err);
}

iom_err app_backup_settle(iom_ctx *c, const char *action, json_t *what, app_backup_result *out)
{
    audit_verify_result v;
    iom_err err = app_audit_verify_files(c, &v);
    if (err) {
        json_decref(what);
        return err;
    }
    out->audit_entries = v.entries;
    if ((err = app_begin(c, true))) {
        json_decref(what);
        return err;
    }
    /* a restore or a copy over a database: no server's cache of it as it was can match */
    err = c->store->ops->cache_epoch_jump(c->store, &c->err);
    if (!err)
        err = audit_record(c, action, "database", NULL, work_json_text(c, what));
    else
        json_decref(what);
    return app_end(c, err);
}

iom_err app_copy_compare(iom_ctx *from, iom_ctx *to, app_backup_result *out)
{
    char **na, **nb;
    int64_t *ca, *cb;
    size_t n, m;
    iom_err err;
    if ((err = from->store->ops->table_counts(from->store, from->arena, &na, &ca, &n, &from->err)))
        return err;
    if ((err = to->store->ops->table_counts(to->store, to->arena, &nb, &cb, &m, &to->err)))
        return err;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < m && strcmp(nb[j], na[i]) != 0)
            j++;
        if (j == m)
            return iom_fail(&to->err, IOM_EINTEGRITY, "copy: table %s is missing from the copy", na[i]);
        if (ca[i] != cb[j])
            return iom_fail(&to->err, IOM_EINTEGRITY, "copy: table %s holds %lld rows in the copy, %lld in the "
                            "original", na[i], (long long)cb[j], (long long)ca[i]);
        out->rows += ca[i];
    }
    out->tables = (int64_t)n;
    return IOM_OK;
}
