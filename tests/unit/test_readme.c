/*
 * README.md runs as written (issue 13 point 3).
 *
 * Every fenced block of README.md preceded by the line `<!-- test: run -->` is run, block
 * after block in file order, by one /bin/sh in a fresh temporary directory laid out like the
 * repository: `docs/examples/` (a copy) and `build/` (a link to the directory of the built
 * iom, IOM_BINARY, so the README's own `export PATH="$PWD/build:$PATH"` finds it). Nothing
 * else is set up: no database, no users, no PATH entry, IOM_DB, IOM_USER, IOM_AUDIT_KEY and
 * IOM_TZ unset. One shell keeps what a line sets (`export IOM_DB=...`, `T=$(...)`) for the
 * lines after it.
 *
 * Each command (a line, with its `\` continuations joined; blank and `#` lines skipped) runs
 * with its output to a file of its own and stdin from /dev/null (a pipe inside the command,
 * `echo x | iom ...`, feeds it); it must exit 0, or N when the line says `# expect exit N`.
 * The first that does not stops the run, and the test fails naming the block, the README line,
 * the command, its status and its output. Heredocs are refused: keep README commands simple.
 *
 * Also checked: a `sh` block that runs iom is marked `<!-- test: run -->` or, on purpose,
 * `<!-- test: skip -->`; every docs/examples/ file the README names exists; and the runner
 * itself reports a failing line and honours `# expect exit N` (a small README of its own).
 */
#define _GNU_SOURCE /* strdup, asprintf */
#include "testutil.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK_RUN "<!-- test: run -->"
#define MARK_SKIP "<!-- test: skip -->"

typedef struct rcmd {
    int block;   /* 1-based among the marked blocks */
    int line;    /* README line of the command's first line */
    char *text;  /* continuations joined */
    int expect;  /* exit status expected */
} rcmd;

typedef struct plan {
    rcmd *v;
    size_t n, cap;
    int blocks;
} plan;

static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].text);
    free(p->v);
    memset(p, 0, sizeof *p);
}

static void plan_add(plan *p, int block, int line, char *text)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        assert_non_null(p->v);
    }
    int expect = 0;
    const char *e = strstr(text, "# expect exit ");
    if (e)
        expect = atoi(e + strlen("# expect exit "));
    p->v[p->n++] = (rcmd){block, line, text, expect};
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&s, &n);
    assert_non_null(m);
    char buf[8192];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, r, m);
    fclose(f);
    fclose(m);
    return s;
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* The line without trailing spaces, as a malloc'd copy. */
static char *rtrim_dup(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return strndup(s, n);
}

/* Splits markdown into lines (malloc'd array of malloc'd strings, right-trimmed). */
static char **split_lines(const char *md, size_t *count)
{
    size_t cap = 64, n = 0;
    char **v = malloc(cap * sizeof *v);
    assert_non_null(v);
    const char *p = md;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            assert_non_null(v);
        }
        v[n++] = rtrim_dup(p, len);
        p += len + (nl ? 1 : 0);
    }
    *count = n;
    return v;
}

/* Reads the marked blocks of md into p. Returns NULL, or a malloc'd message saying why the
   README cannot be run as it stands. */
static char *parse(const char *md, plan *p)
{
    size_t nl;
    char **L = split_lines(md, &nl);
    char *err = NULL;
    int mark = 0; /* 1 run, 2 skip: the marker line just before */
    int mark_line = 0;
    for (size_t i = 0; i < nl && !err; i++) {
        const char *t = skip_space(L[i]);
        if (strcmp(t, MARK_RUN) == 0 || strcmp(t, MARK_SKIP) == 0) {
            mark = strcmp(t, MARK_RUN) == 0 ? 1 : 2;
            mark_line = (int)i + 1;
            continue;
        }
        bool fence = strncmp(t, "```", 3) == 0;
        if (mark && !fence) {
            err = t_fmt("README line %d: the marker is not followed by a code fence", mark_line);
            break;
        }
        if (!fence)
            continue;
        const char *lang = t + 3;
        size_t open = i, close = i + 1;
        while (close < nl && strncmp(skip_space(L[close]), "```", 3) != 0)
            close++;
        if (close >= nl) {
            err = t_fmt("README line %zu: a code fence that is never closed", open + 1);
            break;
        }
        if (mark == 1) {
            int block = ++p->blocks;
            char *acc = NULL;
            int first = 0;
            for (size_t j = open + 1; j < close && !err; j++) {
                const char *s = L[j];
                if (!acc) {
                    const char *u = skip_space(s);
                    if (*u == '\0' || *u == '#')
                        continue;
                    acc = strdup("");
                    first = (int)j + 1;
                }
                size_t len = strlen(s);
                bool cont = len > 0 && s[len - 1] == '\\';
                char *joined = t_fmt("%s%.*s", acc, (int)(cont ? len - 1 : len), s);
                free(acc);
                acc = joined;
                if (cont)
                    continue;
                if (strstr(acc, "<<"))
                    err = t_fmt("README line %d: a heredoc or here-string; the README runner "
                                "takes simple commands (use a pipe)", first);
                else
                    plan_add(p, block, first, acc);
                if (err)
                    free(acc);
                acc = NULL;
            }
            if (acc && !err) {
                err = t_fmt("README line %d: a `\\` continuation runs past the end of its block",
                            first);
                free(acc);
            }
        } else if (mark == 0 && strcmp(lang, "sh") == 0) {
            for (size_t j = open + 1; j < close && !err; j++)
                if (strncmp(skip_space(L[j]), "iom ", 4) == 0)
                    err = t_fmt("README line %zu: this sh block runs iom (line %zu) but is not "
                                "marked " MARK_RUN " (or " MARK_SKIP ")", open + 1, j + 1);
        }
        mark = 0;
        i = close;
    }
    for (size_t i = 0; i < nl; i++)
        free(L[i]);
    free(L);
    return err;
}

static void copy_file(const char *from, const char *to)
{
    char *s = slurp(from);
    assert_non_null(s);
    struct stat sb;
    assert_int_equal(stat(from, &sb), 0);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, (size_t)sb.st_size, f), (size_t)sb.st_size);
    assert_int_equal(fclose(f), 0);
    free(s);
}

/* A directory laid out like the repository for the README's relative paths. */
static char *make_work(const char *dir)
{
    char *work = t_fmt("%s/work", dir);
    char *docs = t_fmt("%s/docs", work);
    char *ex = t_fmt("%s/docs/examples", work);
    assert_int_equal(mkdir(work, 0700), 0);
    assert_int_equal(mkdir(docs, 0700), 0);
    assert_int_equal(mkdir(ex, 0700), 0);
    DIR *d = opendir(IOM_SOURCE_DIR "/docs/examples");
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        char *src = t_fmt("%s/docs/examples/%s", IOM_SOURCE_DIR, de->d_name);
        struct stat sb;
        if (de->d_name[0] != '.' && stat(src, &sb) == 0 && S_ISREG(sb.st_mode)) {
            char *dst = t_fmt("%s/%s", ex, de->d_name);
            copy_file(src, dst);
            free(dst);
        }
        free(src);
    }
    closedir(d);
    char *bin = strdup(IOM_BINARY);
    char *link = t_fmt("%s/build", work);
    assert_int_equal(symlink(dirname(bin), link), 0);
    free(bin);
    free(link);
    free(docs);
    free(ex);
    return work;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Runs the plan; returns NULL when every command exited as expected, else a malloc'd
   message naming the block, the line, the command, its status and its output. */
static char *run_plan(const plan *p)
{
    char *dir = t_tmpdir();
    char *work = make_work(dir);
    char *out = t_fmt("%s/out", dir);
    assert_int_equal(mkdir(out, 0700), 0);
    char *script = t_fmt("%s/readme.sh", dir);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, "unset IOM_DB IOM_USER IOM_AUDIT_KEY IOM_TZ\n");
    for (size_t i = 0; i < p->n; i++)
        fprintf(f,
                "{ %s\n} >'%s/%zu' 2>&1 </dev/null\n"
                "s=$?; if [ \"$s\" -ne %d ]; then echo \"%zu $s\" >'%s/fail'; exit 1; fi\n",
                p->v[i].text, out, i, p->v[i].expect, i, out);
    fprintf(f, ": >'%s/done'\n", out);
    assert_int_equal(fclose(f), 0);

    char *log = t_fmt("%s/sh.log", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int in = open("/dev/null", O_RDONLY);
        if (fd < 0 || in < 0 || chdir(work) != 0)
            _exit(126);
        dup2(in, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execl("/bin/sh", "sh", script, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);

    char *msg = NULL;
    char *failpath = t_fmt("%s/fail", out);
    char *fail = slurp(failpath);
    if (fail) {
        size_t i = 0;
        int status = -1;
        assert_int_equal(sscanf(fail, "%zu %d", &i, &status), 2);
        assert_true(i < p->n);
        char *cpath = t_fmt("%s/%zu", out, i);
        char *output = slurp(cpath);
        msg = t_fmt("README.md block %d, line %d: exit status %d, expected %d\n  $ %s\n"
                    "--- output:\n%s--- end of output",
                    p->v[i].block, p->v[i].line, status, p->v[i].expect, p->v[i].text,
                    output ? output : "(none)\n");
        free(output);
        free(cpath);
        free(fail);
    } else {
        char *donepath = t_fmt("%s/done", out);
        if (!exists(donepath) || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            char *shlog = slurp(log);
            msg = t_fmt("the README script did not finish (wait status %d):\n%s", st,
                        shlog ? shlog : "");
            free(shlog);
        }
        free(donepath);
    }
    free(failpath);
    free(log);
    free(script);
    free(out);
    free(work);
    t_tmpdir_free(dir);
    return msg;
}

static char *readme(void)
{
    char *md = slurp(IOM_SOURCE_DIR "/README.md");
    assert_non_null(md);
    return md;
}

/* The marked blocks of README.md, in order, on a fresh database. */
static void readme_runs_as_written(void **state)
{
    (void)state;
    char *md = readme();
    plan p = {0};
    char *err = parse(md, &p);
    if (err)
        fail_msg("%s", err);
    assert_true(p.blocks >= 2);
    assert_true(p.n >= 20);
    char *msg = run_plan(&p);
    if (msg)
        fail_msg("%s", msg);
    plan_free(&p);
    free(md);
}

/* Every docs/examples/ file the README names is committed. */
static void readme_examples_exist(void **state)
{
    (void)state;
    char *md = readme();
    size_t seen = 0;
    for (const char *s = strstr(md, "docs/examples/"); s; s = strstr(s + 1, "docs/examples/")) {
        const char *name = s + strlen("docs/examples/");
        size_t n = 0;
        while (isalnum((unsigned char)name[n]) || name[n] == '.' || name[n] == '_' ||
               name[n] == '-')
            n++;
        while (n > 0 && name[n - 1] == '.') /* a sentence's full stop */
            n--;
        if (n == 0)
            continue; /* the directory itself */
        char *path = t_fmt("%s/docs/examples/%.*s", IOM_SOURCE_DIR, (int)n, name);
        if (!exists(path))
            fail_msg("README.md names %s, which does not exist", path);
        free(path);
        seen++;
    }
    assert_true(seen >= 3);
    free(md);
}

/* The runner itself: a failing line is reported with its block, line and output; an
   expected refusal passes; unmarked iom blocks, heredocs and dangling markers are refused. */
static void runner_reports_and_refuses(void **state)
{
    (void)state;
    const char *md =
        "# a README\n"
        "\n"
        "```sh\n"
        "make test   # not marked, not iom\n"
        "```\n"
        MARK_RUN "\n"
        "```sh\n"
        "export PATH=\"$PWD/build:$PATH\" IOM_DB=\"$PWD/x.db\"\n"
        "# a comment line\n"
        "iom init\n"
        "iom no-such-command        # expect exit 13\n"
        "```\n"
        "\n"
        MARK_RUN "\n"
        "```sh\n"
        "V=$(iom help \\\n"
        "    | head -1); echo \"$V\" | grep -q iom\n"
        "iom --as nobody threat list\n"
        "iom help\n"
        "```\n";
    plan p = {0};
    char *err = parse(md, &p);
    assert_null(err);
    assert_int_equal(p.blocks, 2);
    assert_int_equal(p.n, 6);
    assert_int_equal(p.v[3].expect, 0);
    assert_int_equal(p.v[2].expect, 13);
    assert_int_equal(p.v[3].line, 16);
    assert_string_equal(p.v[3].text, "V=$(iom help     | head -1); echo \"$V\" | grep -q iom");
    char *msg = run_plan(&p);
    assert_non_null(msg);
    if (!strstr(msg, "block 2, line 18: exit status 10, expected 0") ||
        !strstr(msg, "$ iom --as nobody threat list") || !strstr(msg, "'nobody'"))
        fail_msg("unexpected report:\n%s", msg);
    free(msg);
    plan_free(&p);

    const char *bad[] = {
        "```sh\niom help\n```\n",                          /* unmarked iom block */
        MARK_RUN "\ntext\n```sh\niom help\n```\n",         /* marker without a fence */
        MARK_RUN "\n```sh\ncat <<EOF\nx\nEOF\n```\n",      /* heredoc */
        MARK_RUN "\n```sh\niom help \\\n```\n",            /* dangling continuation */
        MARK_RUN "\n```sh\niom help\n",                    /* unclosed fence */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        plan q = {0};
        char *e = parse(bad[i], &q);
        if (!e)
            fail_msg("accepted: %s", bad[i]);
        free(e);
        plan_free(&q);
    }
    plan q = {0};
    assert_null(parse(MARK_SKIP "\n```sh\niom help\n```\n", &q)); /* skipped on purpose */
    assert_int_equal(q.n, 0);
    plan_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readme_examples_exist),
        cmocka_unit_test(runner_reports_and_refuses),
        cmocka_unit_test(readme_runs_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
