/* cmd_conflate.c: argument parsing and rendering for `iom conflate` (see cmd_conflate.h). */
#include "cli/cmd_conflate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "conflate/conflate.h"
#include "conflate/strtab.h"
#include "util/err.h"

void conflate_cli_usage(FILE *out)
{
    fputs("usage: iom conflate [--settings FILE.json] [--field ROLE=COLUMN]...\n"
          "                    [--id COLUMN | --id INPUT=COLUMN]... [--source-column COLUMN]\n"
          "                    [--delimiter ,|;|tab|\\|] [--encoding utf8|latin1|cp1252]\n"
          "                    [--threshold P] [--constraints FILE.csv]\n"
          "                    [--pairs PAIRS.csv] [--explain] [--explain-record INPUT:ID]...\n"
          "                    [--explain-pair INPUT:ID,INPUT:ID]... [--mode MODE] [--threads N]\n"
          "                    [--on-error skip|stop] --out CLUSTERS.csv INPUT.csv [INPUT.csv...]\n"
          "\n"
          "Finds the records of one person across and within CSV inputs (Fellegi-Sunter model\n"
          "estimated by EM, no labels needed) and writes CLUSTERS.csv (input,record_id,cluster_id).\n"
          "\n"
          "  --field INPUT=ROLE=COLUMN  map one input's COLUMN as ROLE, the other inputs' columns\n"
          "                       found as without --field\n"
          "  --field ROLE=COLUMN  compare COLUMN as ROLE: first_name middle_name surname full_name\n"
          "                       dob sex address postcode town phone email vehicle\n"
          "                       card_last4 account\n"
          "                       ni_number pnc_id cro_number nhs_number passport\n"
          "                       driving_licence national_id, or\n"
          "                       generic:NAME for a field of another kind\n"
          "                       (generic:occupation=occupation). Without --field, columns\n"
          "                       named like a role in any input are used (and printed).\n"
          "                       notes=COLUMN: free text whose date of birth (or age), postcode,\n"
          "                       phone and e-mail fill the record's missing fields (found by\n"
          "                       name too: notes, description, narrative, remarks, comments)\n"
          "                       age=COLUMN: an age at the record's date (\"32\", \"approx 40\",\n"
          "                       \"25-30\"), read as an estimated date of birth for records\n"
          "                       without one; record_date=COLUMN: the date it was given at\n"
          "                       (found by name too: age, age_at_arrest...; date_of_record,\n"
          "                       event_date, stop_date...); known_as=COLUMN: a name the person\n"
          "                       is known by, counted in the first name's comparison (found by\n"
          "                       name too: known_as, preferred_name...)\n"
          "  --id COLUMN          record id column of every input (default: id/record_id/rec_id/\n"
          "                       unique_id/urn/person_ref/person_id/nominal_id/person_urn/\n"
          "                       nominal_urn/nominal_ref/subject_id, else a column named as a\n"
          "                       reference, Log Ref, Referral ID..., while its values are\n"
          "                       unique, else line numbers); never compared\n"
          "  --id INPUT=COLUMN    the id column of one input\n"
          "  --delimiter D        field separator: , ; tab or | (default: detected per input)\n"
          "  --encoding E         utf8 (default), latin1 or cp1252: converted as read\n"
          "  --encoding INPUT=E   the encoding of one input\n"
          "  --source-column COL  input name taken from this column instead of the file name\n"
          "  --threshold P        match probability needed to link (default 0.5)\n"
          "  --mode MODE          link_and_dedupe (default), link_only, dedupe_only\n"
          "  --constraints FILE   analyst decisions: kind,input_a,record_a,input_b,record_b with\n"
          "                       kind must_link or cannot_link; they always win\n"
          "  --pairs FILE         write every candidate pair with probability and field weights\n"
          "  --explain            print the model and the weight waterfall of every cluster of\n"
          "                       more than one record (or only those selected below)\n"
          "  --explain-record R   explain the cluster of record R (INPUT:ID, or ID)\n"
          "  --explain-pair R,S   explain the comparison of records R and S\n"
          "  --threads N          worker threads (default: all CPUs)\n"
          "  --on-error MODE      stop (default) or skip malformed lines (counted and listed)\n"
          "  --settings FILE      JSON: threshold, mode, threads, on_error, id, source_column,\n"
          "                       max_block, delimiter, encoding, fields {ROLE: COLUMN},\n"
          "                       inputs {PATH: {fields, id, name, delimiter, encoding}};\n"
          "                       command-line options win\n",
          out);
}

typedef struct cli {
    conflate_options o;
    conflate_field_map fields[CONFLATE_MAX_FEATURES];
    size_t nfields;
    const char *settings, *constraints, *pairs, *out;
    int started, written; /* the run read its inputs; it wrote its outputs */
    int explain;
    const char **inputs;
    size_t ninputs;
    const char **exrec, **expair;
    size_t nexrec, nexpair;
    const char **idarg; /* --id INPUT=COLUMN */
    size_t nidarg;
    const char **encarg; /* --encoding INPUT=E */
    size_t nencarg;
    const char **fieldarg; /* --field INPUT=ROLE=COLUMN (or a ROLE=COLUMN whose column holds '=') */
    size_t nfieldarg;
    /* per-input settings */
    json_t *json;
    int threads_set, threshold_set, mode_set, onerr_set;
} cli;

/* With `iom --json conflate`, errors are the JSON object every command gives (review 47). */
static bool json_errors;

static int fail(iom_err code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(iom_err code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *j = json_errors ? json_pack("{s:s, s:s%, s:i}", "error", iom_err_name(code), "detail", msg, strlen(msg),
                                        "status", iom_err_http_status(code))
                            : NULL;
    char *t = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (t)
        fprintf(stderr, "%s\n", t);
    else
        fprintf(stderr, "iom conflate: %s\n", msg);
    free(t);
    json_decref(j);
    return iom_err_exit_code(code);
}

static int parse_mode(const char *s, conflate_mode *m)
{
    if (!strcmp(s, "link_and_dedupe"))
        *m = CONFLATE_LINK_AND_DEDUPE;
    else if (!strcmp(s, "link_only"))
        *m = CONFLATE_LINK_ONLY;
    else if (!strcmp(s, "dedupe_only"))
        *m = CONFLATE_DEDUPE_ONLY;
    else
        return 0;
    return 1;
}

static int parse_onerr(const char *s, conflate_on_error *m)
{
    if (!strcmp(s, "stop"))
        *m = CONFLATE_ON_ERROR_STOP;
    else if (!strcmp(s, "skip"))
        *m = CONFLATE_ON_ERROR_SKIP;
    else
        return 0;
    return 1;
}

static int parse_prob(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0 && v < 1))
        return 0;
    *out = v;
    return 1;
}

static int parse_delimiter(const char *s, char *out)
{
    if (!strcmp(s, ",") || !strcmp(s, ";") || !strcmp(s, "|"))
        *out = s[0];
    else if (!strcmp(s, "tab") || !strcmp(s, "\\t") || !strcmp(s, "\t"))
        *out = '\t';
    else
        return 0;
    return 1;
}

static int parse_encoding(const char *s, conflate_encoding *out)
{
    if (!strcmp(s, "utf8") || !strcmp(s, "utf-8"))
        *out = CONFLATE_ENC_UTF8;
    else if (!strcmp(s, "latin1") || !strcmp(s, "iso-8859-1"))
        *out = CONFLATE_ENC_LATIN1;
    else if (!strcmp(s, "cp1252") || !strcmp(s, "windows-1252"))
        *out = CONFLATE_ENC_CP1252;
    else
        return 0;
    return 1;
}

static int parse_threads(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 64)
        return 0;
    *out = (int)v;
    return 1;
}

static int add_field(cli *c, const char *role, const char *col)
{
    for (size_t i = 0; i < c->nfields; i++)
        if (!strcmp(c->fields[i].role, role)) {
            c->fields[i].column = col; /* the later mapping wins (command line over settings) */
            return -1;                 /* role not stored */
        }
    if (c->nfields >= CONFLATE_MAX_FEATURES)
        return fail(IOM_EUSAGE, "at most %d fields can be compared", CONFLATE_MAX_FEATURES);
    c->fields[c->nfields].role = role;
    c->fields[c->nfields].column = col;
    c->nfields++;
    return 0;
}

/* Applies the settings file; command-line values are applied afterwards and win. */
static int load_settings(cli *c)
{
    json_error_t je;
    c->json = json_load_file(c->settings, JSON_REJECT_DUPLICATES, &je);
    if (!c->json)
        return fail(IOM_EINVAL, "%s:%d:%d: %s", c->settings, je.line, je.column, je.text);
    if (!json_is_object(c->json))
        return fail(IOM_EINVAL, "%s: settings must be a JSON object", c->settings);
    const char *key;
    json_t *v;
    json_object_foreach(c->json, key, v)
    {
        if (!strcmp(key, "threshold")) {
            if (!json_is_number(v) || !(json_number_value(v) > 0 && json_number_value(v) < 1))
                return fail(IOM_EINVAL, "%s: threshold must be a number between 0 and 1", c->settings);
            c->o.threshold = json_number_value(v);
        } else if (!strcmp(key, "mode")) {
            if (!json_is_string(v) || !parse_mode(json_string_value(v), &c->o.mode))
                return fail(IOM_EINVAL, "%s: mode must be link_and_dedupe, link_only or dedupe_only",
                            c->settings);
        } else if (!strcmp(key, "on_error")) {
            if (!json_is_string(v) || !parse_onerr(json_string_value(v), &c->o.on_error))
                return fail(IOM_EINVAL, "%s: on_error must be skip or stop", c->settings);
        } else if (!strcmp(key, "threads")) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 64)
                return fail(IOM_EINVAL, "%s: threads must be an integer 1..64", c->settings);
            c->o.threads = (int)json_integer_value(v);
        } else if (!strcmp(key, "max_block")) {
            if (!json_is_integer(v) || json_integer_value(v) < 2 || json_integer_value(v) > 1000000)
                return fail(IOM_EINVAL, "%s: max_block must be an integer 2..1000000", c->settings);
            c->o.max_block = (uint32_t)json_integer_value(v);
        } else if (!strcmp(key, "id") || !strcmp(key, "source_column")) {
            if (!json_is_string(v))
                return fail(IOM_EINVAL, "%s: %s must be a string", c->settings, key);
            if (!strcmp(key, "id"))
                c->o.id_column = json_string_value(v);
            else
                c->o.source_column = json_string_value(v);
        } else if (!strcmp(key, "delimiter")) {
            if (!json_is_string(v) || !parse_delimiter(json_string_value(v), &c->o.delimiter))
                return fail(IOM_EINVAL, "%s: delimiter must be \",\", \";\", \"tab\" or \"|\"",
                            c->settings);
        } else if (!strcmp(key, "encoding")) {
            if (!json_is_string(v) || !parse_encoding(json_string_value(v), &c->o.encoding))
                return fail(IOM_EINVAL, "%s: encoding must be utf8, latin1 or cp1252", c->settings);
        } else if (!strcmp(key, "fields")) {
            if (!json_is_object(v))
                return fail(IOM_EINVAL, "%s: fields must be an object {ROLE: COLUMN}", c->settings);
            const char *role;
            json_t *col;
            json_object_foreach(v, role, col)
            {
                if (!json_is_string(col))
                    return fail(IOM_EINVAL, "%s: fields.%s must be a column name", c->settings, role);
                int rc = add_field(c, role, json_string_value(col));
                if (rc > 0)
                    return rc;
            }
        } else if (!strcmp(key, "inputs")) {
            if (!json_is_object(v))
                return fail(IOM_EINVAL, "%s: inputs must be an object {PATH: {...}}", c->settings);
        } else {
            return fail(IOM_EINVAL, "%s: unknown setting '%s'", c->settings, key);
        }
    }
    return 0;
}

static int input_settings(cli *c, const char *path, json_t *in, conflate_input_opts *io,
                          conflate_field_map *maps)
{
    if (!json_is_object(in))
        return fail(IOM_EINVAL, "%s: inputs.%s must be an object", c->settings, path);
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        if (!strcmp(key, "fields") && json_is_object(v)) {
            const char *role;
            json_t *col;
            json_object_foreach(v, role, col)
            {
                /* null: the input has no column of the role, whatever the automatic mapping
                   would find (review 130: a wrongly found column could not be left out for
                   one input) */
                if ((!json_is_string(col) && !json_is_null(col)) || io->nfields >= CONFLATE_MAX_FEATURES ||
                    (json_is_string(col) && !*json_string_value(col)))
                    return fail(IOM_EINVAL, "%s: inputs.%s.fields.%s must be a column name, or null "
                                "for none", c->settings, path, role);
                maps[io->nfields].role = role;
                maps[io->nfields].column = json_is_null(col) ? "" : json_string_value(col);
                io->nfields++;
            }
            io->fields = maps;
        } else if ((!strcmp(key, "id") || !strcmp(key, "name")) && json_is_string(v)) {
            if (!strcmp(key, "id"))
                io->id_column = json_string_value(v);
            else
                io->name = json_string_value(v);
        } else if (!strcmp(key, "delimiter") && json_is_string(v) &&
                   parse_delimiter(json_string_value(v), &io->delimiter)) {
        } else if (!strcmp(key, "encoding") && json_is_string(v) &&
                   parse_encoding(json_string_value(v), &io->encoding)) {
        } else {
            return fail(IOM_EINVAL, "%s: inputs.%s: unknown or mistyped setting '%s'", c->settings,
                        path, key);
        }
    }
    return 0;
}

/* Whether arg[0..eq) is one of the inputs as given (--id INPUT=COLUMN, --encoding INPUT=E). */
static int names_input(const cli *c, const char *arg, const char *eq)
{
    for (size_t j = 0; j < c->ninputs; j++)
        if (strlen(c->inputs[j]) == (size_t)(eq - arg) && !strncmp(c->inputs[j], arg, (size_t)(eq - arg)))
            return 1;
    return 0;
}

/* --id INPUT=COLUMN for this input (the last given wins), else NULL. */
static const char *input_id(const cli *c, const char *path)
{
    const char *id = NULL;
    size_t n = strlen(path);
    for (size_t i = 0; i < c->nidarg; i++)
        if (!strncmp(c->idarg[i], path, n) && c->idarg[i][n] == '=')
            id = c->idarg[i] + n + 1;
    return id;
}

/* Per-input options from settings.inputs[path] and --id INPUT=COLUMN; arrays owned by the
 * caller. */
static int input_opts(cli *c, const char *path, conflate_input_opts *io, conflate_field_map *maps,
                      char (*roles)[64])
{
    memset(io, 0, sizeof *io);
    int rc = 0;
    json_t *inputs = c->json ? json_object_get(c->json, "inputs") : NULL;
    json_t *in = inputs ? json_object_get(inputs, path) : NULL;
    if (in)
        rc = input_settings(c, path, in, io, maps);
    if (input_id(c, path))
        io->id_column = input_id(c, path);
    size_t n = strlen(path);
    for (size_t i = 0; i < c->nencarg; i++) /* --encoding INPUT=E (the last given wins) */
        if (!strncmp(c->encarg[i], path, n) && c->encarg[i][n] == '=')
            parse_encoding(c->encarg[i] + n + 1, &io->encoding);
    for (size_t i = 0; i < c->nfieldarg && !rc; i++) { /* --field INPUT=ROLE=COLUMN */
        const char *a = c->fieldarg[i];
        if (strncmp(a, path, n) || a[n] != '=')
            continue;
        const char *role = a + n + 1, *e2 = strchr(role, '=');
        size_t rl = (size_t)(e2 - role), k = 0; /* (checked shorter than 64 when parsed) */
        while (k < io->nfields && (strlen(maps[k].role) != rl || strncmp(maps[k].role, role, rl)))
            k++; /* the command line wins over the settings file */
        if (k == io->nfields) {
            if (io->nfields >= CONFLATE_MAX_FEATURES)
                return fail(IOM_EUSAGE, "%s: at most %d fields can be mapped", path, CONFLATE_MAX_FEATURES);
            memcpy(roles[k], role, rl); /* the caller's, for this input's reading */
            roles[k][rl] = 0;
            maps[io->nfields++].role = roles[k];
        }
        maps[k].column = e2 + 1;
        io->fields = maps;
    }
    return rc;
}
/* --opt VALUE or --opt=VALUE */
static const char *optval(int argc, char **argv, int *i, const char *name, int *err)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n))
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n])
        return NULL;
    if (*i + 1 >= argc) {
        *err = fail(IOM_EUSAGE, "%s needs a value (see iom conflate --help)", name);
        return NULL;
    }
    return argv[++*i];
}

static const char **push(const char **v, size_t *n, const char *s)
{
    v = conflate_xrealloc(v, (*n + 1) * sizeof *v);
    v[(*n)++] = s;
    return v;
}

static int parse_args(cli *c, int argc, char **argv, int *help)
{
    /* first pass: settings, so command-line options can override them */
    for (int i = 1; i < argc; i++) {
        int err = 0;
        const char *v = optval(argc, argv, &i, "--settings", &err);
        if (err)
            return err;
        if (v)
            c->settings = v;
    }
    if (c->settings) {
        int rc = load_settings(c);
        if (rc)
            return rc;
    }
    int only_inputs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int err = 0;
        if (only_inputs || a[0] != '-' || !strcmp(a, "-")) {
            c->inputs = push(c->inputs, &c->ninputs, a);
            continue;
        }
        if (!strcmp(a, "--")) {
            only_inputs = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *help = 1;
            return 0;
        } else if (!strcmp(a, "--explain")) {
            c->explain = 1;
        } else if ((v = optval(argc, argv, &i, "--settings", &err))) {
            /* done in the first pass */
        } else if ((v = optval(argc, argv, &i, "--field", &err))) {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v || !eq[1])
                return fail(IOM_EUSAGE, "--field %s: expected ROLE=COLUMN or INPUT=ROLE=COLUMN", v);
            if (strchr(eq + 1, '=')) { /* INPUT=ROLE=COLUMN when INPUT is one of the inputs (below) */
                c->fieldarg = push(c->fieldarg, &c->nfieldarg, v);
                continue;
            }
            char *role = conflate_xmalloc((size_t)(eq - v) + 1);
            memcpy(role, v, (size_t)(eq - v));
            role[eq - v] = 0;
            int rc = add_field(c, role, eq + 1);
            if (rc) {
                free(role);
                if (rc > 0)
                    return rc;
            }
            /* role strings are kept for the process lifetime of the command */
        } else if ((v = optval(argc, argv, &i, "--id", &err))) {
            /* INPUT=COLUMN when the part before '=' is one of the inputs (checked below) */
            if (strchr(v, '='))
                c->idarg = push(c->idarg, &c->nidarg, v);
            else
                c->o.id_column = v;
        } else if ((v = optval(argc, argv, &i, "--delimiter", &err))) {
            if (!parse_delimiter(v, &c->o.delimiter))
                return fail(IOM_EUSAGE, "--delimiter %s: expected , ; tab or |", v);
        } else if ((v = optval(argc, argv, &i, "--encoding", &err))) {
            /* INPUT=E for one input (review 134: a Windows-1252 file among UTF-8 ones could be
               read so only through a settings file) */
            const char *eq = strrchr(v, '=');
            conflate_encoding enc;
            if (eq && parse_encoding(eq + 1, &enc))
                c->encarg = push(c->encarg, &c->nencarg, v);
            else if (!parse_encoding(v, &c->o.encoding))
                return fail(IOM_EUSAGE, "--encoding %s: expected utf8, latin1 or cp1252, or "
                            "INPUT=ENCODING for one input", v);
        } else if ((v = optval(argc, argv, &i, "--source-column", &err))) {
            c->o.source_column = v;
        } else if ((v = optval(argc, argv, &i, "--threshold", &err))) {
            if (!parse_prob(v, &c->o.threshold))
                return fail(IOM_EUSAGE, "--threshold %s: expected a probability between 0 and 1 "
                            "(exclusive)", v);
        } else if ((v = optval(argc, argv, &i, "--constraints", &err))) {
            c->constraints = v;
        } else if ((v = optval(argc, argv, &i, "--pairs", &err))) {
            c->pairs = v;
        } else if ((v = optval(argc, argv, &i, "--out", &err))) {
            c->out = v;
        } else if ((v = optval(argc, argv, &i, "--explain-record", &err))) {
            c->exrec = push(c->exrec, &c->nexrec, v);
        } else if ((v = optval(argc, argv, &i, "--explain-pair", &err))) {
            c->expair = push(c->expair, &c->nexpair, v);
        } else if ((v = optval(argc, argv, &i, "--mode", &err))) {
            if (!parse_mode(v, &c->o.mode))
                return fail(IOM_EUSAGE, "--mode %s: expected link_and_dedupe, link_only or "
                            "dedupe_only", v);
        } else if ((v = optval(argc, argv, &i, "--threads", &err))) {
            if (!parse_threads(v, &c->o.threads))
                return fail(IOM_EUSAGE, "--threads %s: expected an integer 1..64", v);
        } else if ((v = optval(argc, argv, &i, "--on-error", &err))) {
            if (!parse_onerr(v, &c->o.on_error))
                return fail(IOM_EUSAGE, "--on-error %s: expected skip or stop", v);
        } else {
            if (err)
                return err;
            return fail(IOM_EUSAGE, "unknown option %s (see iom conflate --help)", a);
        }
        if (err)
            return err;
    }
    if (!c->out)
        return fail(IOM_EUSAGE, "--out CLUSTERS.csv is required (see iom conflate --help)");
    if (c->ninputs == 0)
        return fail(IOM_EUSAGE, "no input CSV given (see iom conflate --help)");
    /* an output over an input (the input lost, without a word), an input given twice (its
       records would all be "duplicate ids") */
    struct stat so, sp, si, sj;
    int have_out = stat(c->out, &so) == 0, have_pairs = c->pairs && stat(c->pairs, &sp) == 0;
    int device = have_out && !S_ISREG(so.st_mode); /* /dev/null twice is no loss */
    if (c->pairs && !device &&
        (strcmp(c->out, c->pairs) == 0 ||
         (have_out && have_pairs && so.st_dev == sp.st_dev && so.st_ino == sp.st_ino)))
        return fail(IOM_EUSAGE, "--out and --pairs name the same file '%s': give each its own",
                    c->pairs);
    /* nor over the settings or the constraints (a failed run would remove it: review 53) */
    const char *others[2][2] = {{"--settings", c->settings}, {"--constraints", c->constraints}};
    for (int k = 0; k < 2; k++) {
        struct stat sx;
        if (!others[k][1] || stat(others[k][1], &sx) != 0)
            continue;
        if (have_out && so.st_dev == sx.st_dev && so.st_ino == sx.st_ino)
            return fail(IOM_EUSAGE, "--out %s is the %s file: it would be overwritten; write the clusters to "
                        "another file", c->out, others[k][0]);
        if (have_pairs && sp.st_dev == sx.st_dev && sp.st_ino == sx.st_ino)
            return fail(IOM_EUSAGE, "--pairs %s is the %s file: it would be overwritten; write the pairs to "
                        "another file", c->pairs, others[k][0]);
    }
    for (size_t i = 0; i < c->ninputs; i++) {
        if (stat(c->inputs[i], &si) != 0)
            continue; /* said when it is read */
        if (have_out && so.st_dev == si.st_dev && so.st_ino == si.st_ino)
            return fail(IOM_EUSAGE, "--out %s is the input %s: it would be overwritten; write the "
                        "clusters to another file", c->out, c->inputs[i]);
        if (have_pairs && sp.st_dev == si.st_dev && sp.st_ino == si.st_ino)
            return fail(IOM_EUSAGE, "--pairs %s is the input %s: it would be overwritten; write "
                        "the pairs to another file", c->pairs, c->inputs[i]);
        for (size_t j = 0; j < i; j++)
            if (stat(c->inputs[j], &sj) == 0 && sj.st_dev == si.st_dev && sj.st_ino == si.st_ino)
                return fail(IOM_EUSAGE, "the input %s is given twice (also as %s): give each file "
                            "once", c->inputs[i], c->inputs[j]);
    }
    /* an output that will be refused is refused now, not after the whole run (review 48:
       --out /dev/null ran to the end first) */
    const char *outs[2] = {c->out, c->pairs};
    for (int k = 0; k < 2; k++) {
        struct stat lo;
        if (outs[k] && lstat(outs[k], &lo) == 0 && !S_ISREG(lo.st_mode))
            return fail(IOM_EIO, "cannot create %s: %s", outs[k],
                        S_ISLNK(lo.st_mode) ? "it is a symbolic link (refused)" : "not a regular file");
    }
    for (size_t k = 0; k < c->nencarg; k++) { /* --encoding INPUT=E must name an input */
        const char *eq = strrchr(c->encarg[k], '=');
        if (!names_input(c, c->encarg[k], eq))
            return fail(IOM_EUSAGE, "--encoding %s: '%.*s' is not one of the inputs (--encoding "
                        "INPUT=E names an input as given, --encoding E is for all)",
                        c->encarg[k], (int)(eq - c->encarg[k]), c->encarg[k]);
    }
    for (size_t k = 0; k < c->nfieldarg; k++) {
        /* --field INPUT=ROLE=COLUMN maps one input's column, the automatic mapping (or the
           --field ROLE=COLUMN given) of the others as it is (review 136: --field replaced the
           mapping of every input); else ROLE=COLUMN of a column whose name holds '=' */
        const char *a = c->fieldarg[k], *eq = strchr(a, '=');
        if (names_input(c, a, eq)) {
            const char *e2 = strchr(eq + 1, '=');
            char role[128];
            size_t rl = (size_t)(e2 - eq - 1);
            if (rl == 0 || rl >= 64 || !e2[1])
                return fail(IOM_EUSAGE, "--field %s: expected INPUT=ROLE=COLUMN", a);
            memcpy(role, eq + 1, rl);
            role[rl] = 0;
            if (!conflate_role_known(role) && strncmp(role, "generic:", 8))
                return fail(IOM_EUSAGE, "--field %s: unknown role '%s' (roles: %s; or generic:NAME)", a, role,
                            conflate_roles_list());
            continue;
        }
        char *role = conflate_xmalloc((size_t)(eq - a) + 1);
        memcpy(role, a, (size_t)(eq - a));
        role[eq - a] = 0;
        int rc = add_field(c, role, eq + 1);
        if (rc > 0) {
            free(role);
            return rc;
        }
        if (rc < 0)
            free(role);
    }
    for (size_t k = 0; k < c->nidarg; k++) { /* --id INPUT=COLUMN must name an input */
        const char *eq = strchr(c->idarg[k], '=');
        if (!names_input(c, c->idarg[k], eq))
            return fail(IOM_EUSAGE, "--id %s: '%.*s' is not one of the inputs (--id INPUT=COLUMN "
                        "names an input as given, --id COLUMN is for all)",
                        c->idarg[k], (int)(eq - c->idarg[k]), c->idarg[k]);
    }
    return 0;
}

/* ---- progress -------------------------------------------------------------------------------- */

static void bar(void *ud, const char *phase, uint64_t done, uint64_t total)
{
    (void)ud;
    if (total) {
        int w = 30, k = (int)(done * (uint64_t)w / total);
        fprintf(stderr, "\r%-10s [%.*s%*s] %3d%%", phase, k, "##############################", w - k,
                "", (int)(done * 100 / total));
    } else {
        fprintf(stderr, "\r%-10s %llu records", phase, (unsigned long long)done);
    }
    if (total && done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* The engine's messages: warnings and notes on stderr, one line each, debug lines as they
 * are (only asked for with IOM_CONFLATE_DEBUG). */
static void message(void *ud, conflate_msg_kind kind, const char *text)
{
    (void)ud;
    switch (kind) {
    case CONFLATE_MSG_WARNING:
        fprintf(stderr, "iom conflate: warning: %s\n", text);
        break;
    case CONFLATE_MSG_NOTE:
        fprintf(stderr, "iom conflate: %s\n", text);
        break;
    case CONFLATE_MSG_DEBUG:
    default:
        fprintf(stderr, "%s\n", text);
        break;
    }
}

/* ---- record references --------------------------------------------------------------------- */

static long find_ref(const conflate_engine *eng, const char *ref)
{
    long r = conflate_find_record(eng, NULL, ref);
    if (r >= 0)
        return r;
    /* INPUT:ID, trying every ':' since both parts may contain one */
    size_t n = strlen(ref);
    char *buf = conflate_xmalloc(n + 1);
    for (size_t k = 0; k < n && r < 0; k++) {
        if (ref[k] != ':')
            continue;
        memcpy(buf, ref, k);
        buf[k] = 0;
        r = conflate_find_record(eng, buf, ref + k + 1);
    }
    free(buf);
    return r;
}

/* The records of --explain-pair v, in *a and *b (-1 when not found). */
static void pair_refs(const conflate_engine *eng, const char *v, long *a, long *b)
{
    *a = *b = -1;
    size_t n = strlen(v);
    char *buf = conflate_xmalloc(n + 1);
    for (size_t k = 0; k < n && (*a < 0 || *b < 0); k++) {
        if (v[k] != ',')
            continue;
        memcpy(buf, v, k);
        buf[k] = 0;
        *a = find_ref(eng, buf);
        *b = find_ref(eng, v + k + 1);
    }
    free(buf);
}

/* Every record --explain-record and --explain-pair name, looked up once the inputs are read:
   a mistyped one is said before the run, not after it. */
static int explain_targets(cli *c, const conflate_engine *eng)
{
    for (size_t i = 0; i < c->nexrec; i++)
        if (find_ref(eng, c->exrec[i]) < 0)
            return fail(IOM_ENOTFOUND, "--explain-record %s: no such record (INPUT:ID or ID)",
                        c->exrec[i]);
    for (size_t i = 0; i < c->nexpair; i++) {
        long a, b;
        pair_refs(eng, c->expair[i], &a, &b);
        if (a < 0 || b < 0)
            return fail(IOM_ENOTFOUND, "--explain-pair %s: expected two known records R,S",
                        c->expair[i]);
    }
    return 0;
}

static int explain(cli *c, conflate_engine *eng)
{
    conflate_explain_model(eng, stdout);
    for (size_t i = 0; i < c->nexrec; i++) {
        long r = find_ref(eng, c->exrec[i]);
        if (r < 0)
            return fail(IOM_ENOTFOUND, "--explain-record %s: no such record", c->exrec[i]);
        conflate_explain_cluster(eng, (size_t)r, stdout);
    }
    for (size_t i = 0; i < c->nexpair; i++) {
        const char *v = c->expair[i];
        long a, b;
        pair_refs(eng, v, &a, &b);
        if (a < 0 || b < 0)
            return fail(IOM_ENOTFOUND, "--explain-pair %s: expected two known records R,S", v);
        conflate_explain_pair(eng, (size_t)a, (size_t)b, stdout);
    }
    if (c->nexrec == 0 && c->nexpair == 0) {
        size_t n = conflate_record_count(eng);
        conflate_stats st;
        conflate_get_stats(eng, &st);
        unsigned char *done = conflate_xcalloc(st.clusters + 2, 1);
        uint64_t *size = conflate_xcalloc(st.clusters + 2, sizeof *size);
        for (size_t i = 0; i < n; i++)
            size[conflate_record_cluster(eng, i)]++;
        for (size_t i = 0; i < n; i++) {
            uint64_t k = conflate_record_cluster(eng, i);
            if (size[k] < 2 || done[k])
                continue;
            done[k] = 1;
            conflate_explain_cluster(eng, i, stdout);
        }
        free(done);
        free(size);
    }
    return 0;
}

static int run(cli *c)
{
    iom_error e;
    iom_error_clear(&e);
    c->o.fields = c->nfields ? c->fields : NULL;
    c->o.nfields = c->nfields;
    if (isatty(STDERR_FILENO)) {
        c->o.progress = bar;
        c->o.progress_ud = NULL;
    }
    c->o.message = message;
    c->o.message_ud = NULL;
    /* diagnostics for developers (docs/conflate.md, "Performance and known limits") */
    c->o.debug = getenv("IOM_CONFLATE_DEBUG") != NULL;
    c->o.debug_hist_path = c->o.debug ? getenv("IOM_CONFLATE_HIST") : NULL;
    conflate_engine *eng = NULL;
    c->started = 1;
    iom_err rc = conflate_new(&eng, &c->o, &e);
    if (rc == IOM_OK && c->constraints)
        rc = conflate_add_constraints(eng, c->constraints, &e);
    for (size_t i = 0; rc == IOM_OK && i < c->ninputs; i++) {
        conflate_input_opts io;
        conflate_field_map maps[CONFLATE_MAX_FEATURES];
        char roles[CONFLATE_MAX_FEATURES][64];
        int bad = input_opts(c, c->inputs[i], &io, maps, roles);
        if (bad) {
            conflate_free(eng);
            c->started = 0; /* the options of an input: a usage error, outputs kept */
            return bad;
        }
        rc = conflate_add_csv(eng, c->inputs[i], &io, &e);
    }
    if (rc == IOM_OK) { /* the mapping, over all inputs: the automatic one, or the --field given */
        fputs("iom conflate: fields:", stderr);
        for (size_t f = 0; f < conflate_feature_count(eng); f++)
            fprintf(stderr, " %s=%s", conflate_feature_role(eng, f), conflate_feature_column(eng, f));
        fprintf(stderr, "; id=%s\n", conflate_id_column(eng) ? conflate_id_column(eng) : "(line number)");
    }
    /* an input read otherwise (its own columns, roles it lacks, its own id): said per input */
    for (size_t i = 0; rc == IOM_OK && c->ninputs > 1 && i < c->ninputs; i++) {
        int differs = 0;
        const char *id = conflate_input_id_column(eng, i), *gid = conflate_id_column(eng);
        for (size_t f = 0; f < conflate_feature_count(eng); f++) {
            const char *col = conflate_input_column(eng, i, f);
            differs |= !col || strcmp(col, conflate_feature_column(eng, f)) != 0;
        }
        differs |= (id == NULL) != (gid == NULL) || (id && gid && strcmp(id, gid) != 0);
        if (!differs)
            continue;
        fprintf(stderr, "iom conflate: %s:", c->inputs[i]);
        int lacks = 0;
        for (size_t f = 0; f < conflate_feature_count(eng); f++) {
            const char *col = conflate_input_column(eng, i, f);
            if (col)
                fprintf(stderr, " %s=%s", conflate_feature_role(eng, f), col);
            else
                lacks++;
        }
        if (lacks == (int)conflate_feature_count(eng)) /* review 91: it printed "a.csv:; lacks ..." */
            fputs(" no compared column", stderr);
        if (lacks) {
            fputs("; lacks", stderr);
            for (size_t f = 0, k = 0; f < conflate_feature_count(eng); f++)
                if (!conflate_input_column(eng, i, f))
                    fprintf(stderr, "%s %s", k++ ? "," : "", conflate_feature_role(eng, f));
        }
        fprintf(stderr, "; id=%s\n", id ? id : "(line number)");
    }
    for (size_t i = 0; rc == IOM_OK && i < c->ninputs; i++) {
        char d = conflate_input_delimiter(eng, i);
        int how = conflate_input_delimiter_how(eng, i);
        if (d && d != ',' && how) /* a delimiter given is not told back */
            fprintf(stderr, "iom conflate: %s: delimiter %s (%s)\n", c->inputs[i],
                    d == '\t' ? "tab" : d == ';' ? "';'" : "'|'",
                    how == 2 ? "named by its sep= first line" : "detected");
    }
    if (rc == IOM_OK && c->o.progress)
        fputc('\n', stderr);
    size_t ns = eng ? conflate_skipped_count(eng) : 0;
    if (ns) {
        fprintf(stderr, "iom conflate: skipped %zu malformed line%s:\n", ns, ns == 1 ? "" : "s");
        for (size_t i = 0; i < ns && i < 50; i++) {
            const char *in, *why;
            size_t line;
            conflate_skipped_get(eng, i, &in, &line, &why);
            fprintf(stderr, "  %s:%zu: %s\n", in, line, why);
        }
        if (ns > 50)
            fprintf(stderr, "  ... and %zu more\n", ns - 50);
    }
    if (rc == IOM_OK) {
        int bad = explain_targets(c, eng);
        if (bad) {
            conflate_free(eng);
            c->started = 0; /* a usage error found once the records are known: outputs kept */
            return bad;
        }
    }
    if (rc == IOM_OK)
        rc = conflate_run(eng, &e);
    if (rc == IOM_OK)
        rc = conflate_write_clusters(eng, c->out, &e);
    if (rc == IOM_OK && c->pairs)
        rc = conflate_write_pairs(eng, c->pairs, &e);
    if (rc != IOM_OK) {
        conflate_free(eng);
        return fail(rc, "%s", e.msg[0] ? e.msg : iom_err_text(rc));
    }
    c->written = 1;
    int xrc = 0;
    if (c->explain || c->nexrec || c->nexpair)
        xrc = explain(c, eng);
    conflate_stats st;
    conflate_get_stats(eng, &st);
    double secs = st.seconds_read + st.seconds_normalise + st.seconds_block + st.seconds_score +
                  st.seconds_estimate + st.seconds_cluster;
    double rr = st.possible_pairs ? 1.0 - (double)st.candidate_pairs / (double)st.possible_pairs : 0;
    fprintf(stderr,
            "iom conflate: %llu records, %llu candidate pairs (reduction ratio %.6f), %llu linked, "
            "%llu clusters, %llu skipped lines, %.2f s\n",
            (unsigned long long)st.records, (unsigned long long)st.candidate_pairs, rr,
            (unsigned long long)st.linked_pairs, (unsigned long long)st.clusters,
            (unsigned long long)st.skipped_lines, secs);
    conflate_free(eng);
    return xrc;
}

int conflate_cli_main(int argc, char **argv, bool json)
{
    json_errors = json;
    cli c;
    memset(&c, 0, sizeof c);
    conflate_options_default(&c.o);
    int help = 0;
    int rc = parse_args(&c, argc, argv, &help);
    if (rc == 0 && help) {
        conflate_cli_usage(stdout);
    } else if (rc == 0) {
        rc = run(&c);
        /* a run that failed after it began leaves no outputs of an earlier run behind, to be
           read as this one's by a script that does not look at the exit code (review 52) */
        const char *outs[2] = {c.out, c.pairs};
        for (int k = 0; rc != 0 && c.started && !c.written && k < 2; k++) {
            struct stat st;
            if (outs[k] && lstat(outs[k], &st) == 0 && S_ISREG(st.st_mode) && unlink(outs[k]) == 0 &&
                !json_errors)
                fprintf(stderr, "iom conflate: removed %s, an earlier run's output: this run wrote none\n",
                        outs[k]);
        }
    }
    for (size_t i = 0; i < c.nfields; i++) {
        /* roles from --field were malloc'ed; those from settings belong to the JSON */
        int from_json = 0;
        json_t *fs = c.json ? json_object_get(c.json, "fields") : NULL;
        const char *k;
        json_t *v;
        if (fs)
            json_object_foreach(fs, k, v) from_json |= k == c.fields[i].role;
        if (!from_json)
            free((char *)c.fields[i].role);
    }
    free(c.inputs);
    free(c.idarg);
    free(c.encarg);
    free(c.fieldarg);
    free(c.exrec);
    free(c.expair);
    if (c.json)
        json_decref(c.json);
    return rc;
}
