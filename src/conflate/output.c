/* output.c: CLUSTERS.csv, PAIRS.csv and the --explain waterfalls. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conflate/compare.h"
#include "conflate/engine_int.h"

/* An output file (it links people across datasets): mode 0600, a file already there (a
   regular one) replaced, never written through a symbolic link (review 47: a link at --out
   overwrote the file it pointed to, and new files were 0666 under umask 000). */
static FILE *open_out(const char *path, iom_error *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    struct stat sb;
    if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
        close(fd);
        iom_fail(e, IOM_EIO, "cannot create %s: not a regular file", path);
        return NULL;
    }
    if (fd >= 0 && fchmod(fd, 0600) != 0) {
        int keep = errno;
        close(fd);
        iom_fail(e, IOM_EIO, "cannot create %s: %s", path, strerror(keep));
        return NULL;
    }
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int keep = errno;
        if (fd >= 0)
            close(fd);
        iom_fail(e, IOM_EIO, "cannot create %s: %s", path,
                 keep == ELOOP ? "it is a symbolic link (refused)" : strerror(keep));
    }
    return f;
}

static void csv_put(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static iom_err finish(FILE *f, const char *path, iom_error *e)
{
    int bad = ferror(f);
    int saved = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad) {
        unlink(path); /* a file cut short is no answer */
        return iom_fail(e, IOM_EIO, "cannot write %s: %s", path, strerror(saved));
    }
    return IOM_OK;
}

iom_err conflate_write_clusters(const conflate_engine *eng, const char *path, iom_error *e)
{
    if (!eng->cluster)
        return iom_fail(e, IOM_EUSAGE, "conflate_run has not completed");
    FILE *f = open_out(path, e);
    if (!f)
        return IOM_EIO;
    static char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("input,record_id,cluster_id\n", f);
    for (size_t i = 0; i < eng->n; i++) {
        csv_put(f, conflate_record_input(eng, i));
        fputc(',', f);
        csv_put(f, conflate_record_id(eng, i));
        fprintf(f, ",%llu\n", (unsigned long long)eng->cluster[i]);
    }
    iom_err rc = finish(f, path, e);
    return rc;
}

static double prob(double w) { return 1.0 / (1.0 + exp2(-w)); }

iom_err conflate_write_pairs(const conflate_engine *eng, const char *path, iom_error *e)
{
    if (!eng->weight)
        return iom_fail(e, IOM_EUSAGE, "conflate_run has not completed");
    FILE *f = open_out(path, e);
    if (!f)
        return IOM_EIO;
    fputs("input_a,record_a,input_b,record_b,match_probability,match_weight", f);
    for (int k = 0; k < eng->nf; k++)
        fprintf(f, ",l_%s,w_%s", eng->f[k].role, eng->f[k].role);
    fputc('\n', f);
    for (size_t i = 0; i < eng->npairs; i++) {
        const pair *p = &eng->pairs[i];
        csv_put(f, conflate_record_input(eng, p->a));
        fputc(',', f);
        csv_put(f, conflate_record_id(eng, p->a));
        fputc(',', f);
        csv_put(f, conflate_record_input(eng, p->b));
        fputc(',', f);
        csv_put(f, conflate_record_id(eng, p->b));
        fprintf(f, ",%.6g,%.3f", prob(eng->weight[i]), eng->weight[i]);
        for (int k = 0; k < eng->nf; k++) {
            unsigned l = pat_level(p->pat, k);
            if (l == LEVEL_NULL) {
                fputs(",,0", f);
                continue;
            }
            double w = eng->f[k].w[l];
            if ((int)l == eng->f[k].nlevels - 1 && eng->f[k].tf) {
                w += conflate_tf_adjust_pair(eng, k, p->a, p->b);
                if (w < 0 && conflate_kind_identity(eng->f[k].k))
                    w = 0; /* an exact name, date or identifier never counts against */
            }
            fprintf(f, ",%u,%.3f", l, w);
        }
        fputc('\n', f);
    }
    return finish(f, path, e);
}

/* Record r's normalised value of feature f; a date of birth that is no date but compared by
   its slips as its digits after '~' (in buf, of 16 bytes); "" when missing. */
static const char *value_in(const conflate_engine *eng, uint32_t r, int f, char *buf)
{
    uint32_t v = rec_val(eng, r, f);
    if (v)
        return conflate_strtab_str(&eng->f[f].norm, v);
    if (f == eng->dslip_f && eng->dslip && eng->dslip[r]) {
        snprintf(buf, 16, "~%s", eng->f[f].slip[eng->dslip[r] - 1].digits);
        return buf;
    }
    return "";
}
#define value(eng, r, f) value_in((eng), (r), (f), (char[16]){0})

void conflate_explain_pair(const conflate_engine *eng, size_t a, size_t b, FILE *out)
{
    if (a >= eng->n || b >= eng->n || !eng->ran)
        return;
    uint64_t pat = conflate_compare_records(eng, (uint32_t)a, (uint32_t)b);
    double run = eng->prior;
    fprintf(out, "pair %s:%s <-> %s:%s\n", conflate_record_input(eng, a), conflate_record_id(eng, a),
            conflate_record_input(eng, b), conflate_record_id(eng, b));
    fprintf(out, "  %-12s %-41s %-30s %8s %8s %7s %8s\n", "field", "values (normalised)", "level",
            "m", "u", "weight", "running");
    fprintf(out, "  %-12s %-41s %-30s %8s %8s %+7.2f %+8.2f\n", "prior", "P(match) among candidates",
            "", "", "", eng->prior, run);
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        unsigned l = pat_level(pat, f);
        char vals[128];
        snprintf(vals, sizeof vals, "\"%.18s\" / \"%.18s\"", value(eng, (uint32_t)a, f),
                 value(eng, (uint32_t)b, f));
        if (l == LEVEL_NULL) {
            fprintf(out, "  %-12s %-41s %-30s %8s %8s %+7.2f %+8.2f\n", ft->role, vals, "missing",
                    "", "", 0.0, run);
            continue;
        }
        double w = ft->w[l];
        run += w;
        fprintf(out, "  %-12s %-41s %-30s %8.4g %8.4g %+7.2f %+8.2f\n", ft->role, vals,
                conflate_level_label(ft->k, (int)l), ft->m[l], ft->u[l], w, run);
        if ((int)l == ft->nlevels - 1 && ft->tf) {
            double t = conflate_tf_adjust_pair(eng, f, (uint32_t)a, (uint32_t)b);
            if (conflate_kind_identity(ft->k) && w + t < 0)
                t = -w; /* an exact name, date or identifier never counts against */
            run += t;
            fprintf(out, "  %-12s %-41s %-30s %8s %8s %+7.2f %+8.2f\n", "", "  term frequency",
                    "(rare values count more)", "", "", t, run);
        }
        if (ft->k == K_DATE && (int)l == CONFLATE_DATE_YEAR_ONLY) {
            int fx;
            double t = conflate_year_density(eng, (uint32_t)a, pat, &fx);
            if (fx >= 0) {
                run += t;
                fprintf(out, "  %-12s %-41s %-30s %8s %8s %+7.2f %+8.2f\n", "",
                        "  namesakes born that year", "(of the exact name)", "", "", t, run);
            }
        }
    }
    /* the weights above are against random pairs; the score is against the two non-match
     * classes, related (households, namesakes) and other: the difference is one line */
    double total = conflate_pair_weight(eng, (uint32_t)a, (uint32_t)b, pat);
    if (conflate_pair_swap_capped(eng, (uint32_t)a, (uint32_t)b, pat))
        fprintf(out, "  %-12s %s\n", "names",
                "swapped: the pair weighs no more than with the same names in order (capped)");
    fprintf(out, "  %-12s %-41s %-30s %8s %8s %+7.2f %+8.2f\n", "non-match", "against households, look-alikes, others",
            "", "", "", total - run, total);
    double p = prob(total);
    fprintf(out, "  total weight %+.2f  match probability %.6f  %s threshold %.3g\n", total, p,
            p >= eng->o.threshold ? ">=" : "<", eng->o.threshold);
}

void conflate_explain_cluster(const conflate_engine *eng, size_t r, FILE *out)
{
    if (r >= eng->n || !eng->cluster)
        return;
    uint64_t c = eng->cluster[r];
    size_t members = 0;
    for (size_t i = 0; i < eng->n; i++)
        members += eng->cluster[i] == c;
    fprintf(out, "cluster %llu: %zu record%s\n", (unsigned long long)c, members,
            members == 1 ? "" : "s");
    for (size_t i = 0; i < eng->n; i++)
        if (eng->cluster[i] == c) {
            fprintf(out, "  %s:%s", conflate_record_input(eng, i), conflate_record_id(eng, i));
            for (int f = 0; f < eng->nf; f++)
                fprintf(out, " | %s", value(eng, (uint32_t)i, f));
            fputc('\n', out);
        }
    for (size_t i = 0; i < eng->ncons; i++) {
        const constraint *k = &eng->cons[i];
        if (eng->cluster[k->ra] == c || eng->cluster[k->rb] == c)
            fprintf(out, "constraint (line %zu): %s %s:%s %s:%s\n", k->line,
                    k->must ? "must_link" : "cannot_link", conflate_record_input(eng, (size_t)k->ra),
                    conflate_record_id(eng, (size_t)k->ra), conflate_record_input(eng, (size_t)k->rb),
                    conflate_record_id(eng, (size_t)k->rb));
    }
    for (size_t k = 0; k < eng->naccepted; k++) {
        const pair *p = &eng->pairs[eng->accepted[k]];
        if (eng->cluster[p->a] != c)
            continue;
        fprintf(out, "link:\n");
        conflate_explain_pair(eng, p->a, p->b, out);
    }
    for (size_t k = 0; k < eng->nrefused; k++) {
        const pair *p = &eng->pairs[eng->refused[k]];
        if (eng->cluster[p->a] != c && eng->cluster[p->b] != c)
            continue;
        fprintf(out, "refused link (would join records that must stay apart: a cannot_link, "
                     "strong disagreement, or two records of one input in link_only mode):\n");
        conflate_explain_pair(eng, p->a, p->b, out);
    }
}

void conflate_explain_model(const conflate_engine *eng, FILE *out)
{
    const conflate_model *md = &eng->md;
    fprintf(out, "model: class shares among candidate pairs: match %.6g, household non-match "
                 "%.6g, look-alike non-match %.6g, other non-match %.6g; prior weight %+.3f; EM "
                 "iterations %d, comparison patterns %llu\n",
            md->pi[0], md->pi[1], md->pi[2], md->pi[3], eng->prior, eng->em_iter,
            (unsigned long long)eng->npatterns);
    if (eng->fit_status == CONFLATE_FIT_FEW_PAIRS)
        fprintf(out, "  estimate: too few candidate pairs (%.0f obvious matches): m and h are the "
                     "documented defaults (docs/conflate.md, \"Estimation\")\n",
                eng->seed_pairs < 0 ? 0 : eng->seed_pairs);
    else if (eng->fit_status == CONFLATE_FIT_NOT_IDENTIFIABLE)
        fprintf(out, "  estimate: EM made an exact %s count against a match (weight %+.2f): m is "
                     "the documented defaults (docs/conflate.md, \"Estimation\")\n",
                eng->f[eng->fit_bad_feature].role, eng->fit_bad_weight);
    else
        fprintf(out, "  estimate: EM within the documented bounds\n");
    for (int i = 0; i < md->nt; i++)
        if (md->anchor_n[i] > 0)
            fprintf(out, "  %s is \"different\" in at most %.3g of matches (%.0f pairs shown to be one "
                         "person by their home and a contact or an identifier, %.0f of them "
                         "different)\n",
                    eng->f[md->t[i]].role, md->mdis[i], md->anchor_n[i], md->anchor_d[i]);
    for (int i = 0; i < md->nt; i++)
        if (md->mdis_mv[i] > 0)
            fprintf(out, "  %s is \"different\" in at most %.3g of matches (what matches at two homes show: "
                         "%.0f pairs expected, %.1f different)\n",
                    eng->f[md->t[i]].role, md->mdis_mv[i], md->mover_n[i], md->mover_d[i]);
    if (md->hsame_e > 0)
        fprintf(out, "  strangers agreeing on name and date of birth by chance: about %.3g pairs "
                     "expected in the comparison space (x%.0f for names that go with birth "
                     "years), so look-alikes show it in at most %.3g of their pairs, households "
                     "in at most %.3g\n",
                md->hsame_e / CONFLATE_SAME_DEPENDENCE, CONFLATE_SAME_DEPENDENCE, md->hsame[1],
                md->hsame[0]);
    if (md->hsame_e > 0 && md->hsame_room >= 0)
        fprintf(out, "  ... but the candidates hold fewer such pairs than that: strangers among them "
                     "counted as at most %.3g (those pairs less the obvious matches among them, at least "
                     "chance with names independent of birth years)\n",
                md->hsame_room);
    if (md->m_complete)
        fprintf(out, "  matches' rates learned from the pairs with a date of birth and a name "
                     "(the others cannot be told from look-alikes by them)\n");
    if (md->home)
        fprintf(out, "  home fields (address, postcode, town) change together: %.3g of matches show "
                     "another home, one event, not one per field (m below: at either home)\n",
                md->mv);
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        fprintf(out, "  %s (column %s)\n", ft->role, ft->column);
        for (int l = ft->nlevels - 1; l >= 0; l--)
            fprintf(out, "    %-32s m=%-10.4g u=%-10.4g weight %+7.2f   household=%-10.4g "
                         "look-alike=%-10.4g other=%-10.4g\n",
                    conflate_level_label(ft->k, l), ft->m[l], ft->u[l], ft->w[l],
                    md->h[0][f][l], md->h[1][f][l], md->uc[f][l]);
    }
}
