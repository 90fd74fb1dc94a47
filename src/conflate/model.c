/*
 * model.c: comparison levels per role, the model and its EM estimation over the histogram of
 * comparison vectors, and pair scoring.
 *
 * Model ("the bounded, identifiable estimate" below; docs/conflate.md, "Estimation"): four
 * classes (matches, households, look-alikes, others) told apart by the identity triple
 * (first name, surname, date of birth). The match weight of a pair with comparison vector g
 * is log2 P(M | g) / P(not M | g). EM runs over the distinct comparison vectors with their
 * counts, never over pairs, so its cost does not grow with the data. The term-frequency term
 * of an exact agreement on value v is log2(u / p_v) (u: two distinct records agree; p_v:
 * another record holds v): it scales the classes whose agreements are coincidences, so a
 * rare shared value is stronger evidence than a common one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conflate/compare.h"
#include "conflate/romanise.h"
#include "conflate/engine_int.h"
#include "conflate/norm.h"

int conflate_kind_levels(kind k)
{
    switch (k) {
    case K_FIRST:
    case K_SUR:
        return 5;
    case K_DATE:
        return 7;
    case K_SEX:
        return 2;
    case K_PHONE:
        return 4; /* different, one edit, the same landline, the same (personal) number */
    case K_ID:
        return 3;
    case K_MIDDLE:
    case K_FULL:
    case K_ADDRESS:
    case K_POSTCODE:
    case K_TOWN:
    case K_EMAIL:
    case K_STRING:
    default:
        return 4;
    }
}

const char *conflate_level_label(kind k, int level)
{
    if (level == (int)LEVEL_NULL)
        return "missing";
    if (level == conflate_kind_levels(k) - 1)
        return "exact";
    if (level == 0)
        return "different";
    switch (k) {
    case K_FIRST:
    case K_SUR:
        return level == 3   ? "swapped first/surname"
               : level == 2 ? (k == K_FIRST ? "close (JW>=0.92, nickname or its initial)"
                                            : "close (JW>=0.92 or nickname)")
                            : "similar (JW>=0.80 or sound)";
    case K_MIDDLE:
        return level == 2 ? "close (JW>=0.92 or nickname)" : "initial";
    case K_FULL:
        return level == 2 ? "close (JW>=0.94)" : "similar (tokens or JW>=0.85)";
    case K_DATE:
        return level == CONFLATE_DATE_TRANSPOSED ? "day/month swapped"
               : level == CONFLATE_DATE_CLOSE    ? "one digit or <=31 days"
               : level == CONFLATE_DATE_YEAR     ? "two digits or <=1 year"
               : level == CONFLATE_DATE_YEAR_ONLY ? "the year (a year only known)"
                                                  : "a year next to it (a year only known)";
    case K_POSTCODE:
        return level == 2 ? "same sector / one edit" : "same district";
    case K_TOWN:
    case K_STRING:
        return level == 2 ? "close (JW>=0.92 or one edit)" : "similar (JW>=0.80)";
    case K_ADDRESS:
        return level == 2 ? "close (JW>=0.94 or two edits)" : "similar (tokens or JW>=0.85)";
    case K_EMAIL:
        return level == 2 ? "one edit" : "same user name";
    case K_PHONE:
        return level == 2 ? "the same landline (a home's)" : "one edit";
    case K_ID:
        return "one edit";
    case K_SEX:
    default:
        return "?";
    }
}

/* Whether a and b have a whole word of at least three letters in common (particles such as de,
   da, y aside). */
static int shares_word(const char *a, size_t na, const char *b, size_t nb)
{
    for (size_t i = 0; i < na;) {
        size_t j = i;
        while (j < na && a[j] != ' ')
            j++;
        size_t wl = j - i;
        if (wl >= 3)
            for (size_t p = 0; p < nb;) {
                size_t q = p;
                while (q < nb && b[q] != ' ')
                    q++;
                if (q - p == wl && !memcmp(a + i, b + p, wl))
                    return 1;
                p = q + 1;
            }
        i = j + 1;
    }
    return 0;
}

/* A surname with its leading particle joined and in one spelling, into out (cap bytes): spaces
   and hyphens dropped, "bin" and "ibn" (son of) as "ben", the article "el" or "al" as "l"
   (Maghrebi spellings: El Arbi, Larbi; Bin Ali, Benali). Returns the length, 0 if it does not
   fit. */
static size_t particle_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    if (n >= 4 && (!memcmp(s, "bin", 3) || !memcmp(s, "ibn", 3)) && (s[3] == ' ' || s[3] == '-')) {
        memcpy(out, "ben", 3);
        o = 3;
        i = 3;
    } else if (n >= 4 && (s[0] == 'e' || s[0] == 'a') && s[1] == 'l' && (s[2] == ' ' || s[2] == '-')) {
        out[o++] = 'l';
        i = 2;
    }
    for (; i < n; i++) {
        if (s[i] == ' ' || s[i] == '-')
            continue;
        if (o + 1 >= cap)
            return 0;
        out[o++] = s[i];
    }
    return o;
}

/* Whether surnames a and b are one name written with its particle apart in one of them and
   joined, or in another spelling, in the other (Bin Ali, Ben Ali, Benali; El Arbi, Larbi;
   Ould Ali, Ouldali; Ait Ahmed, Aitahmed). */
static int particle_same(const char *a, size_t na, const char *b, size_t nb)
{
    const char *sa = memchr(a, ' ', na < 5 ? na : 5), *sb = memchr(b, ' ', nb < 5 ? nb : 5);
    const char *ha = memchr(a, '-', na < 5 ? na : 5), *hb = memchr(b, '-', nb < 5 ? nb : 5);
    if (!sa && !sb && !ha && !hb)
        return 0;
    char fa[64], fb[64];
    size_t la = particle_fold(a, na, fa, sizeof fa), lb = particle_fold(b, nb, fb, sizeof fb);
    return la >= 4 && la == lb && !memcmp(fa, fb, la);
}

/* Whether a normalised name is initials only, at least two letters: "j r", "j l p", "jr". */
static int only_initials(const char *s, size_t n) { return n >= 2 && conflate_name_initials(s, n); }

/*
 * Given names of several words in one cell (a Vietnamese `THI LAN`, `VAN HUNG`, `XUAN MINH`; a
 * British `MARY ANN`, `JOHN PAUL`), compared word by word: the words of one all among the
 * other's (`lan` and `thi lan`, `john` and `john paul`) are "close"; two of several words
 * that begin alike and go on differently (`xuan minh` and `xuan thanh`, `mary ann` and `mary
 * jane`) are as their other words are (close at Jaro-Winkler 0.92, similar at 0.80, else
 * different), where the name's key and Jaro-Winkler over the whole made them "close" for the
 * shared first word (review 136's Vietnamese shape: strangers of one surname and year linked
 * on it, and `thi lan` against `lan` was "different"). -1: not decided here.
 */
static int given_words_level(const char *a, size_t na, const char *b, size_t nb)
{
    enum { MAXW = 8 };
    const char *wa[MAXW], *wb[MAXW];
    size_t la[MAXW], lb[MAXW], ka = 0, kb = 0;
    for (int side = 0; side < 2; side++) {
        const char *s = side ? b : a;
        size_t n = side ? nb : na, *k = side ? &kb : &ka;
        const char **w = side ? wb : wa;
        size_t *l = side ? lb : la;
        for (size_t i = 0; i < n;) {
            while (i < n && (s[i] == ' ' || s[i] == '-'))
                i++;
            size_t j = i;
            while (j < n && s[j] != ' ' && s[j] != '-')
                j++;
            if (j > i) {
                if (*k == MAXW)
                    return -1;
                w[*k] = s + i;
                l[(*k)++] = j - i;
            }
            i = j;
        }
    }
    if (!ka || !kb || (ka == 1 && kb == 1))
        return -1;
    /* one's words all among the other's */
    const char **ws = ka <= kb ? wa : wb, **wl = ka <= kb ? wb : wa;
    const size_t *ls = ka <= kb ? la : lb, *ll = ka <= kb ? lb : la;
    size_t ks = ka <= kb ? ka : kb, kl = ka <= kb ? kb : ka, in = 0;
    unsigned char used[MAXW] = {0}; /* a word met once only: `lan lan` is not within `lan hoa` */
    for (size_t i = 0; i < ks; i++)
        for (size_t j = 0; j < kl; j++)
            if (!used[j] && ls[i] == ll[j] && !memcmp(ws[i], wl[j], ls[i])) {
                used[j] = 1;
                in++;
                break;
            }
    if (in == ks && (ls[0] > 1 || ks > 1))
        return 2;
    /* several words each, the first the same: as the rest are */
    if (ka >= 2 && kb >= 2 && la[0] == lb[0] && !memcmp(wa[0], wb[0], la[0])) {
        const char *ra = wa[1], *rb = wb[1];
        size_t rna = (size_t)(a + na - ra), rnb = (size_t)(b + nb - rb);
        double jw = conflate_jaro_winkler(ra, rna, rb, rnb);
        return jw >= 0.92 ? 2 : jw >= 0.80 ? 1 : 0;
    }
    return -1;
}

/* Value-pair part of a name comparison: 2 close, 1 similar, 0 different. */
static unsigned cmp_name_pure(kind k, const char *a, size_t na, const char *b, size_t nb,
                              const cval *ca, const cval *cb, uint64_t sa, uint64_t sb)
{
    /* forenames given as initials only ("J R", "J.R.", normalised "j r": a council-tax or
     * electoral list's `Initials`): their first is the first name's; against a name, close
     * when it is the name's initial; against other initials, close when one's are the first
     * of the other's ("j" is a prefix of "j r"), similar when only the first agrees (they
     * were compared as written, and "j r" was "different" from John) */
    int ia = k == K_FIRST && only_initials(a, na), ib = k == K_FIRST && only_initials(b, nb);
    if (ia || ib) {
        if (a[0] != b[0])
            return 0;
        if (!(ia && ib))
            return 2;
        size_t m = na < nb ? na : nb;
        return !memcmp(a, b, m) ? 2 : 1;
    }
    if ((k == K_FIRST || k == K_MIDDLE) && (memchr(a, ' ', na) || memchr(b, ' ', nb))) {
        int w = given_words_level(a, na, b, nb);
        if (w >= 0)
            return (unsigned)w;
    }
    if (name_aux_same(ca->aux, cb->aux))
        return 2;
    /* an initial against a name (J and Jason): close when it is the name's initial, different
     * otherwise. A record that keeps only initials says all it knows of the name, and it
     * agrees: "similar" (a near miss of two written names) weighed it near nothing, so a
     * source of initials ("J.L. GREEN") linked only where everything else agreed (held-out
     * shape of initials 0.917 / 0.922 -> 0.946 / 0.950, every other shape unchanged); the
     * random-pair rate of "close" counts the initials' chance agreements too. */
    if (k == K_FIRST && (na == 1 || nb == 1))
        return na && nb && a[0] == b[0] ? 2 : 0;
    /* names of one canonical form met above; a nickname of several formal names needs the
     * table (rare: "mo", "al", "pat") */
    if (k != K_SUR && ((ca->aux | cb->aux) & NAME_AUX_MULTI) &&
        conflate_nickname_related(a, na, b, nb))
        return 2;
    /* most unlike names: too few letters in common to reach 0.80, whatever Jaro-Winkler says */
    double jw = conflate_jw_below(sa, sb, a, na, b, nb, 0.80) ? 0 : conflate_jaro_winkler(a, na, b, nb);
    if (jw >= 0.92 || (k == K_SUR && particle_same(a, na, b, nb)))
        return 2;
    if (jw >= 0.80 || (ca->phon && ca->phon == cb->phon))
        return 1;
    /* one part of a compound surname against the whole (Silva, Alvarez-Silva; Santos, Pereira
     * Santos; Smith, Smith-Jones): similar, not different (review 85 M1: as "different" such
     * pairs made that level common among matches, and a different surname then weighed -1.8
     * for everyone, so strangers of one first name and date of birth linked) */
    if (k == K_SUR && (memchr(a, ' ', na) || memchr(b, ' ', nb)) && shares_word(a, na, b, nb))
        return 1;
    return 0;
}

/*
 * Swapped first name and surname: a's name fits b's other name closely (the same text, the
 * same canonical name, or Jaro-Winkler >= 0.92) and b's name is like a's other name
 * (close, similar: Jaro-Winkler >= 0.80; a name missing: see swap_pass), or the reverse.
 * A one-sided
 * coincidence ("Thomas" as a first name here, a surname there, the other names unlike) is
 * not a swap: it is common between strangers.
 */
static int cross_agrees(const conflate_engine *eng, int f1, uint32_t v1, int f2, uint32_t v2)
{
    if (!v1 || !v2)
        return -1; /* nothing to say */
    const feature *a = &eng->f[f1], *b = &eng->f[f2];
    if (a->xother && a->xother[v1] == v2)
        return 1;
    const cval *c1 = &a->vals[v1], *c2 = &b->vals[v2];
    if (name_aux_same(c1->aux, c2->aux))
        return 1;
    const char *t1 = conflate_strtab_str(&a->norm, v1), *t2 = conflate_strtab_str(&b->norm, v2);
    /* an initial against a name of that letter fits, loosely: "S. Kumaran", the father's
       initial and the given name, against Kumaran Sivalingam (review 122's Tamil shape: the
       initial was "different" from the surname, and the swap was never seen) */
    if (a->norm.len[v1] == 1 || b->norm.len[v2] == 1)
        return t1[0] == t2[0] ? 2 : 0;
    /* as a straight comparison does: a typo in the first letter ("oanne") still fits */
    if (a->bag && b->bag &&
        conflate_jw_below(a->bag[v1], b->bag[v2], t1, a->norm.len[v1], t2, b->norm.len[v2], 0.80))
        return 0;
    double jw = conflate_jaro_winkler(t1, a->norm.len[v1], t2, b->norm.len[v2]);
    return jw >= 0.92 ? 1 : jw >= 0.80 ? 2 : 0;
}

/* Whether records ra and rb have their names swapped (first name feature F, surname S). */
static int names_swapped(const conflate_engine *eng, int F, int S, uint32_t ra, uint32_t rb)
{
    int c1 = cross_agrees(eng, F, rec_val(eng, ra, F), S, rec_val(eng, rb, S));
    if (c1 == 0)
        return 0;
    int c2 = cross_agrees(eng, F, rec_val(eng, rb, F), S, rec_val(eng, ra, S));
    return (c1 == 1 && c2 != 0) || (c2 == 1 && c1 != 0);
}

/* The swap check on a pattern: only when neither name agrees on its own (at least close) is
 * a swap looked for, once for both fields, which then both get the level "swapped"; when a
 * name is missing on either side, a swap cannot be told from a coincidence, and both name
 * fields are "missing". */
static uint64_t swap_pass(const conflate_engine *eng, uint32_t ra, uint32_t rb, uint64_t pat)
{
    int F = eng->sur_other, S = eng->first_other;
    if (F < 0 || S < 0)
        return pat;
    unsigned lf = pat_level(pat, F), ls = pat_level(pat, S);
    if ((lf != LEVEL_NULL && lf >= 2) || (ls != LEVEL_NULL && ls >= 2) ||
        (lf == LEVEL_NULL && ls == LEVEL_NULL) || !names_swapped(eng, F, S, ra, rb))
        return pat;
    /* seen from one side only (a name missing): a name that fits the other's other name is
     * as likely a coincidence ("Thomas", a first name here and a surname there) as a swap,
     * and not the event whose rates the level "swapped" carries: the names say nothing */
    if (lf == LEVEL_NULL || ls == LEVEL_NULL)
        return pat | 0xFull << (4 * F) | 0xFull << (4 * S);
    pat = (pat & ~(0xFull << (4 * F))) | 3ull << (4 * F);
    return (pat & ~(0xFull << (4 * S))) | 3ull << (4 * S);
}

/* Whether name value v1 of feature f1 and v2 of f2 are one name: the same text, or the same
 * canonical form (a nickname, a spelling variant). */
static int names_same(const conflate_engine *eng, int f1, uint32_t v1, int f2, uint32_t v2)
{
    const feature *a = &eng->f[f1], *b = &eng->f[f2];
    size_t na = a->norm.len[v1], nb = b->norm.len[v2];
    const char *ta = conflate_strtab_str(&a->norm, v1), *tb = conflate_strtab_str(&b->norm, v2);
    if (na == nb && !memcmp(ta, tb, na))
        return 1;
    /* the canonical form of one name each (a name of several words has its first word's:
       "thi anh" is no "thi") */
    return a->vals[v1].aux && name_aux_same(a->vals[v1].aux, b->vals[v2].aux) && !memchr(ta, ' ', na) &&
           !memchr(tb, ' ', nb);
}

/* A first name that is the other record's middle name: a person known by a middle name
 * ("Mohammed Imran Khan" called Imran; "John Paul Smith" called Paul) or names written in
 * another order (a Vietnamese "NGUYEN VAN MINH", family, middle and given names, read first
 * name Van, middle Minh, against first name Minh, middle Van): only when the first names are
 * unlike (different or similar): one name crossing makes the first names "similar" (no
 * longer evidence against: -7 bits before), both exchanged make them "close" and the middle
 * names "exact" (review 61: such pairs were different on both, -12.6). One crossing as
 * "close" cost the held-out shapes 0.0003 of F1 on average (a father's first name his son's
 * middle name), "similar" 0.0001, for the same gain on review 61's shapes.
 * Every comparison of a pair (scoring, the cluster guard, explain) applies it. */
/* Whether text a then text m (a given name and a middle name) is text b, spaces and hyphens
   aside: "min" + "jun" is "minjun", "om" + "bahadur" "om bahadur", "mohammad" + "reza"
   "mohammadreza" (review 126: a given name of two syllables or two words split over the
   first and middle name columns in one source and joined in another, "different"). */
static int joined_same(const char *a, size_t na, const char *m, size_t nm, const char *b, size_t nb)
{
    if (nb + 2 < na + nm || nb > na + nm + 2) /* (a space or two either way) */
        return 0;
    size_t j = 0;
    for (int part = 0; part < 2; part++) {
        const char *t = part ? m : a;
        size_t n = part ? nm : na;
        for (size_t i = 0; i < n; i++) {
            if (t[i] == ' ' || t[i] == '-')
                continue;
            while (j < nb && (b[j] == ' ' || b[j] == '-'))
                j++;
            if (j >= nb || b[j] != t[i])
                return 0;
            j++;
        }
    }
    while (j < nb && (b[j] == ' ' || b[j] == '-'))
        j++;
    return j == nb;
}

/* Whether first name v1 of feature f1 (one word) is a word of middle names v2 of f2 (several
   words): "Stephen" of "Stephen Kwesi" (review 128: a police record's `KELECHI | STEPHEN KWESI`
   and a social care record's `STEPHEN | KELECHI KWESI`, the same given names in another order,
   were different on both). */
static int word_of(const conflate_engine *eng, int f1, uint32_t v1, int f2, uint32_t v2)
{
    const feature *a = &eng->f[f1], *b = &eng->f[f2];
    size_t na = a->norm.len[v1], nb = b->norm.len[v2];
    const char *ta = conflate_strtab_str(&a->norm, v1), *tb = conflate_strtab_str(&b->norm, v2);
    if (na < 2 || nb <= na || memchr(ta, ' ', na))
        return 0;
    for (size_t i = 0; i + na <= nb; i++)
        if ((i == 0 || tb[i - 1] == ' ') && (i + na == nb || tb[i + na] == ' ') && !memcmp(tb + i, ta, na))
            return 1;
    return 0;
}

/* Whether first name a (several words) is a Muhammad-family prefix and then first name b:
   `Muhammad Abdul` and `Abdul`, `Md Ruhul` and `Ruhul` (review 130: a Bangladeshi name's
   Mohammed, Md or Muhammad before the name the person goes by was compared as the first name,
   and such pairs were "different"). */
int conflate_first_prefixed(const char *a, size_t na)
{
    static const char *const pre[] = {"muhammad", "mohammad", "mohammed", "muhammed", "mohamed",
                                      "mohamad", "mohammod", "muhammod", "md", "mohd", "mhd", "muhd"};
    const char *sp = memchr(a, ' ', na);
    if (!sp)
        return 0;
    size_t w = (size_t)(sp - a);
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
        if (strlen(pre[i]) == w && !memcmp(pre[i], a, w))
            return 1;
    return 0;
}

static int prefixed_same(const char *a, size_t na, const char *b, size_t nb)
{
    if (nb < 2 || !conflate_first_prefixed(a, na))
        return 0;
    const char *sp = memchr(a, ' ', na);
    size_t w = (size_t)(sp - a);
    return na - w - 1 == nb && !memcmp(sp + 1, b, nb);
}

/*
 * A surname left empty and the whole name in the first name: a passport with no surname (UKVI
 * writes an Indian passport's "RESHMI SEBASTIAN" as given names, the father's given name last,
 * which other records give as the surname; review 132's care-worker shape, where such pairs
 * ended at p 0.33 on a close first name alone). Where one record has no surname and a first
 * name of several words, and the other has a surname that is that first name's last word, the
 * surnames are "exact" (they were missing). Nothing else: a last given word unlike the other's
 * surname leaves the surname missing, as before.
 */
static uint64_t given_surname_pass(const conflate_engine *eng, uint32_t ra, uint32_t rb, uint64_t pat)
{
    int F = eng->sur_other, S = eng->first_other;
    if (F < 0 || S < 0 || pat_level(pat, S) != LEVEL_NULL)
        return pat;
    uint32_t sa = rec_val(eng, ra, S), sb = rec_val(eng, rb, S);
    if (!sa == !sb)
        return pat;
    uint32_t fx = rec_val(eng, sa ? rb : ra, F), sy = sa ? sa : sb;
    if (!fx)
        return pat;
    const conflate_strtab *nf = &eng->f[F].norm, *ns = &eng->f[S].norm;
    const char *t = conflate_strtab_str(nf, fx), *st = conflate_strtab_str(ns, sy);
    size_t n = nf->len[fx], sl = ns->len[sy], k = n;
    while (k > 0 && t[k - 1] != ' ')
        k--;
    if (k < 2 || n - k != sl || memcmp(t + k, st, sl))
        return pat;
    return (pat & ~(0xFull << (4 * S))) | (uint64_t)(eng->f[S].nlevels - 1) << (4 * S);
}

/*
 * A name chain cut at another place. Where names are a chain (given name, father's given
 * name, grandfather's, a family or tribal name: Kurdish, Arabic, Eritrean, Somali, Afghan
 * names), one source writes the father's name as the surname (`REBWAR | BAKHTIYAR`), another
 * the whole chain (`REBWAR BAKHTIYAR AHMED`), split to first name Rebwar and surname Ahmed.
 * When the first names agree (similar or better) and the surnames are different, a surname
 * that is one of the other record's given names beyond its first (its chain: engine.c
 * chain_set, from whole names only), the same text or Jaro-Winkler >= 0.92 for four letters
 * or more, makes the surnames "close": both records name the same father (review 132's
 * Kurdish shape: such pairs were different on the surname, -6 bits, and 390 of its 1,319 true
 * pairs missed stayed apart; as "similar", which weighs about +2, most of them still did:
 * F1 0.693 -> 0.770 as similar, 0.886 as close, seed 1). A Spanish whole name's first surname
 * (`MARIA GARCIA LOPEZ`, split surname Lopez) meets `MARIA | GARCIA` the same way.
 */
static int chain_has(const conflate_engine *eng, uint32_t x, const char *t, size_t n)
{
    uint32_t c = x < eng->chain_n ? eng->chain_of[x] : 0;
    if (!c)
        return 0;
    const char *w = conflate_strtab_str(&eng->chain, c);
    size_t len = eng->chain.len[c];
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && w[j] != ' ')
            j++;
        if ((j - i == n && !memcmp(w + i, t, n)) ||
            (n >= 4 && j - i >= 4 && conflate_jaro_winkler(w + i, j - i, t, n) >= 0.92))
            return 1;
        i = j + 1;
    }
    return 0;
}

static uint64_t chain_pass(const conflate_engine *eng, uint32_t ra, uint32_t rb, uint64_t pat)
{
    int F = eng->sur_other, S = eng->first_other;
    if (!eng->chain_of || F < 0 || S < 0 || pat_level(pat, S) != 0)
        return pat;
    unsigned lf = pat_level(pat, F);
    if (lf == LEVEL_NULL || lf < 1)
        return pat;
    const conflate_strtab *ns = &eng->f[S].norm;
    for (int d = 0; d < 2; d++) {
        uint32_t x = d ? rb : ra, sy = rec_val(eng, d ? ra : rb, S);
        if (sy && chain_has(eng, x, conflate_strtab_str(ns, sy), ns->len[sy]))
            return (pat & ~(0xFull << (4 * S))) | 2ull << (4 * S);
    }
    return pat;
}

static uint64_t middle_pass(const conflate_engine *eng, uint32_t ra, uint32_t rb, uint64_t pat)
{
    int F = eng->sur_other, M = eng->middle_f;
    if (F < 0)
        return pat;
    unsigned lf = pat_level(pat, F);
    if (lf == LEVEL_NULL || lf >= 2)
        return pat;
    if (eng->first_prefixed) { /* (no such first name: no look-up, most data) */
        uint32_t xa = rec_val(eng, ra, F), xb = rec_val(eng, rb, F);
        const conflate_strtab *nf = &eng->f[F].norm;
        if (xa && xb &&
            (prefixed_same(conflate_strtab_str(nf, xa), nf->len[xa], conflate_strtab_str(nf, xb), nf->len[xb]) ||
             prefixed_same(conflate_strtab_str(nf, xb), nf->len[xb], conflate_strtab_str(nf, xa), nf->len[xa])))
            return (pat & ~(0xFull << (4 * F))) | 2ull << (4 * F);
    }
    if (M < 0)
        return pat;
    uint32_t fa = rec_val(eng, ra, F), fb = rec_val(eng, rb, F), ma = rec_val(eng, ra, M), mb = rec_val(eng, rb, M);
    /* one record's first and middle names joined are the other's first name: "close" */
    if (fa && fb && (ma || mb)) {
        const conflate_strtab *nf = &eng->f[F].norm, *nm = &eng->f[M].norm;
        int j = (ma && joined_same(conflate_strtab_str(nf, fa), nf->len[fa], conflate_strtab_str(nm, ma),
                                   nm->len[ma], conflate_strtab_str(nf, fb), nf->len[fb])) ||
                (mb && joined_same(conflate_strtab_str(nf, fb), nf->len[fb], conflate_strtab_str(nm, mb),
                                   nm->len[mb], conflate_strtab_str(nf, fa), nf->len[fa]));
        if (j)
            return (pat & ~(0xFull << (4 * F))) | 2ull << (4 * F);
    }
    int x1 = fa && mb && (names_same(eng, F, fa, M, mb) || word_of(eng, F, fa, M, mb)),
        x2 = ma && fb && (names_same(eng, M, ma, F, fb) || word_of(eng, F, fb, M, ma));
    /* one name crossing counts from a record that gives no middle name of its own ("Imran
     * Khan" against "Mohammed Imran Khan"); where both give one, only both crossing does: a
     * middle name many share (Van, Thi; Mary, John) met as the other's first name alone is a
     * coincidence, and counted so it chained different people into one (review 61) */
    if (!(x1 && x2) && !(x1 && !ma) && !(x2 && !mb))
        return pat;
    unsigned lv = x1 && x2 ? 2 : 1;
    pat = (pat & ~(0xFull << (4 * F))) | (uint64_t)lv << (4 * F);
    if (x1 && x2)
        pat = (pat & ~(0xFull << (4 * M))) | (uint64_t)(eng->f[M].nlevels - 1) << (4 * M);
    return pat;
}

/* Whether known-as name k (engine.c known_set) is first name v of feature F: the same text
   or, for a name of one word, the same canonical form (Peggy and Margaret). */
static int known_is(const conflate_engine *eng, uint32_t k, int F, uint32_t v)
{
    if (eng->known_fid[k] == v)
        return 1;
    const feature *ft = &eng->f[F];
    return name_aux_same(eng->known_aux[k], ft->vals[v].aux) &&
           !memchr(conflate_strtab_str(&ft->norm, v), ' ', ft->norm.len[v]);
}

/* A name a person is known by ("Known As", "Preferred Name": KNOWN_ROLE): when the first names
 * are not alike already (missing, different or similar), they are "close" if one record's
 * known-as name is the other's first name, or both records give one known-as name (Margaret
 * known as Peggy against Peggy; Yi-hsuan known as Jenny against Jenny). A known-as name never
 * counts against: a record's first name is still its own. */
static uint64_t known_pass(const conflate_engine *eng, uint32_t ra, uint32_t rb, uint64_t pat)
{
    int F = eng->sur_other;
    if (!eng->known_of || !eng->known_fid || F < 0)
        return pat;
    unsigned lf = pat_level(pat, F);
    if (lf != LEVEL_NULL && lf >= 2)
        return pat;
    uint32_t ka = ra < eng->known_n ? eng->known_of[ra] : 0, kb = rb < eng->known_n ? eng->known_of[rb] : 0;
    if (!ka && !kb)
        return pat;
    uint32_t fa = rec_val(eng, ra, F), fb = rec_val(eng, rb, F);
    int same = (ka && fb && known_is(eng, ka, F, fb)) || (kb && fa && known_is(eng, kb, F, fa)) ||
               (ka && kb && (ka == kb || name_aux_same(eng->known_aux[ka], eng->known_aux[kb])));
    if (!same)
        return pat;
    return (pat & ~(0xFull << (4 * F))) | 2ull << (4 * F);
}

/* The words of record r's first, middle and surname (normalised text), at most cap. */
static size_t name_words(const conflate_engine *eng, uint32_t r, const char **w, size_t *wl, size_t cap)
{
    int fs[3] = {eng->sur_other, eng->middle_f, eng->first_other};
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        if (fs[i] < 0)
            continue;
        uint32_t v = rec_val(eng, r, fs[i]);
        if (!v)
            continue;
        const feature *ft = &eng->f[fs[i]];
        const char *t = conflate_strtab_str(&ft->norm, v);
        size_t len = ft->norm.len[v];
        for (size_t k = 0; k < len;) {
            while (k < len && t[k] == ' ')
                k++;
            size_t j = k;
            while (j < len && t[j] != ' ')
                j++;
            if (j > k) {
                if (n == cap)
                    return cap + 1; /* too many to say */
                w[n] = t + k;
                wl[n++] = j - k;
            }
            k = j;
        }
    }
    return n;
}

/*
 * The same names in another order. A whole name split by a guess of its order (no comma, no
 * initials: "ALVAREZ PEREZ MARIA DEL CARMEN", Korean "CHOI SEO YU", "SINGH PANKAJ KUMAR")
 * compared slot by slot with names given in their own columns met as different on every
 * name when the guess was wrong, a pair of one date of birth and postcode at p 0.0007-0.26
 * (review 73). When one record's names were split so, both first name and surname are unlike,
 * and the words of its first, middle and surname are the other's in another order (each side
 * at least three, all the words of the record with fewer, at most one more on the other), the
 * first name and surname are "swapped" (names given in another order) and the middle names
 * "close". Two words are the swap's (swap_pass); with two, a Tamil son named after his father
 * ("Karthik Raja", "Raja Karthik") met his father as one person.
 */
#define ORDER_WORDS 8
static uint64_t order_pass(const conflate_engine *eng, uint32_t ra, uint32_t rb, uint64_t pat)
{
    int F = eng->sur_other, S = eng->first_other;
    if (!eng->any_guessed_order || F < 0 || S < 0 ||
        (!eng->sources[eng->src[ra]].guessed_order && !eng->sources[eng->src[rb]].guessed_order))
        return pat;
    unsigned lf = pat_level(pat, F), ls = pat_level(pat, S);
    if (lf == LEVEL_NULL || ls == LEVEL_NULL || lf >= 2 || ls >= 2)
        return pat;
    const char *wa[ORDER_WORDS], *wb[ORDER_WORDS];
    size_t la[ORDER_WORDS], lb[ORDER_WORDS];
    size_t na = name_words(eng, ra, wa, la, ORDER_WORDS), nb = name_words(eng, rb, wb, lb, ORDER_WORDS);
    if (na < 3 || nb < 3 || na > ORDER_WORDS || nb > ORDER_WORDS || na > nb + 1 || nb > na + 1)
        return pat;
    unsigned used = 0;
    size_t common = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (!(used >> j & 1) && la[i] == lb[j] && !memcmp(wa[i], wb[j], la[i])) {
                used |= 1u << j;
                common++;
                break;
            }
    if (common < 3 || common < (na < nb ? na : nb))
        return pat;
    pat = (pat & ~(0xFull << (4 * F))) | 3ull << (4 * F);
    pat = (pat & ~(0xFull << (4 * S))) | 3ull << (4 * S);
    /* the middle names are among those words too: "close", not a disagreement (counted one,
       the true pairs taught EM that an exact middle name was evidence against a match) */
    int M = eng->middle_f;
    unsigned lm = M >= 0 ? pat_level(pat, M) : LEVEL_NULL;
    if (lm != LEVEL_NULL && lm < 2)
        pat = (pat & ~(0xFull << (4 * M))) | 2ull << (4 * M);
    return pat;
}

/*
 * Per-thread memo of value-pair comparisons (direct mapped): names and towns repeat across
 * pairs, and a string comparison costs far more than a lookup. Thread-local storage
 * outlives an engine (the calling thread runs work too), so every entry carries the memo
 * generation of the engine that wrote it: another engine's entries never match.
 */
#define MEMO_BITS 14
typedef struct memo_ent {
    uint64_t key;
    uint32_t level; /* level + 1; 0 = empty */
    uint32_t gen;   /* eng->memo_gen of the writer */
} memo_ent;
static _Thread_local memo_ent memo[1u << MEMO_BITS];

static inline uint64_t memo_key(int f, uint32_t va, uint32_t vb)
{
    if (va > vb) {
        uint32_t t = va;
        va = vb;
        vb = t;
    }
    return ((uint64_t)(unsigned)f << 58) ^ ((uint64_t)va << 29) ^ (uint64_t)vb ^
           ((uint64_t)va >> 35);
}

/* A UK outward code alone ("SR4", "M1", "EC1A"): 2 to 4 letters and digits, a letter first,
   a digit among them. */
static int outward_only(const char *s, size_t n)
{
    if (n < 2 || n > 4 || !(s[0] >= 'A' && s[0] <= 'Z'))
        return 0;
    int digit = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = 1;
        else if (!(s[i] >= 'A' && s[i] <= 'Z'))
            return 0;
    }
    return digit;
}

static unsigned cmp_postcode(const char *a, size_t na, const char *b, size_t nb)
{
    /* a district alone against a whole postcode in it: the same district (review 112: "SR4"
       against "SR4 9TT" was "different", -1.8) */
    if (outward_only(a, na) && conflate_postcode_is_uk(b, nb) && nb - 4 == na && !memcmp(a, b, na))
        return 1;
    if (outward_only(b, nb) && conflate_postcode_is_uk(a, na) && na - 4 == nb && !memcmp(a, b, nb))
        return 1;
    if (conflate_postcode_is_uk(a, na) && conflate_postcode_is_uk(b, nb)) {
        size_t oa = na - 4, ob = nb - 4; /* outward lengths */
        if (oa == ob && !memcmp(a, b, oa)) {
            if (a[oa + 1] == b[ob + 1])
                return 2; /* same sector */
            return 1;     /* same district */
        }
        return conflate_osa_distance(a, na, b, nb, 1) <= 1 ? 2 : 0;
    }
    if (conflate_osa_distance(a, na, b, nb, 1) <= 1)
        return 2;
    if (na == nb && na >= 3 && !memcmp(a, b, na - 1))
        return 1;
    return 0;
}

/* Two dates' level (conflate_date_level), where one written with a two-digit year (its
 * normalised text "dd/mm/yy": engine.c normalise) agrees with the other in its day, month and
 * the year's last two digits: exact, whatever the century. Its century is a guess (the latest
 * not in the future), and a care home's resident born in 1925 written 01/02/25 was read as born
 * in 2025 (review 119: 65 of 76 such true pairs missed); across a century almost only one
 * person agrees so. */
static unsigned date_level_yy(int32_t a, const char *ta, size_t na, int32_t b, const char *tb, size_t nb)
{
    unsigned l = (unsigned)conflate_date_level(a, b);
    if (l < CONFLATE_DATE_EXACT && a != b && a % 1000000 == b % 1000000 && !conflate_date_partial(a) &&
        !conflate_date_partial(b) && ((na == 8 && ta[2] == '/') || (nb == 8 && tb[2] == '/')))
        return CONFLATE_DATE_EXACT;
    return l;
}

static unsigned compare_values(const feature *ft, const char *a, size_t na, const char *b,
                               size_t nb, const cval *ca, const cval *cb, uint64_t bag_a, uint64_t bag_b);

/* The level of two distinct non-null values va, vb of feature f (records ra, rb), given their
   aux/phon and texts: what conflate_compare_feature and conflate_compare_rows share. */
static unsigned compare_distinct(const conflate_engine *eng, int f, uint32_t ra, uint32_t rb,
                                 uint32_t va, uint32_t vb, uint32_t auxa, uint32_t phona,
                                 const char *ta, size_t na, uint32_t auxb, uint32_t phonb,
                                 const char *tb, size_t nb)
{
    const feature *ft = &eng->f[f];
    /* a kunya ("Abu Omar") against a name of another form: the parent's own given name is
       another name of the same person, so the pair says nothing (engine.c is_kunya) */
    if (ft->k == K_FIRST && ft->fold && ((ft->fold[va] ^ ft->fold[vb]) & NAME_KUNYA))
        return LEVEL_NULL;
    /* a name in a script the normaliser does not romanise (Chinese characters, Thai, Bengali,
       Tigrinya...) against one in Latin letters: nothing can be told (review 132: Arabic script
       against Latin was "different" at -11 bits, and a liaison reply's records met none of
       their own; Arabic and Cyrillic are romanised, norm.c) */
    if (ft->fold && ((ft->fold[va] ^ ft->fold[vb]) & NAME_OTHER_SCRIPT))
        return LEVEL_NULL;
    /* values in id order, so a comparison that is not symmetric (Jaro-Winkler's greedy
     * matching) gives one answer per value pair, memo or not, whatever the pair order */
    if (va > vb) {
        uint32_t t = va;
        va = vb;
        vb = t;
        t = ra;
        ra = rb;
        rb = t;
        t = auxa;
        auxa = auxb;
        auxb = t;
        t = phona;
        phona = phonb;
        phonb = t;
        const char *ts = ta;
        ta = tb;
        tb = ts;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (ft->k == K_DATE)
        return date_level_yy((int32_t)auxa, ta, na, (int32_t)auxb, tb, nb);
    unsigned pure;
    /* the memo pays only where values repeat across pairs (names, towns) */
    int use_memo = ft->k == K_FIRST || ft->k == K_SUR || ft->k == K_MIDDLE || ft->k == K_TOWN;
    memo_ent *me = NULL;
    uint64_t key = 0;
    if (use_memo) {
        key = memo_key(f, va, vb);
        me = &memo[(key * 0x9E3779B97F4A7C15ull) >> (64 - MEMO_BITS)];
    }
    if (me && me->level && me->key == key && me->gen == eng->memo_gen) {
        pure = me->level - 1;
    } else {
        /* init: whether the name has a Somali spelling to fold (compare_values) */
        cval ca = {0, auxa, phona, ft->fold ? ft->fold[va] & 1u : 1u, 0},
             cb = {0, auxb, phonb, ft->fold ? ft->fold[vb] & 1u : 1u, 0};
        pure = compare_values(ft, ta, na, tb, nb, &ca, &cb, ft->bag ? ft->bag[va] : 0,
                              ft->bag ? ft->bag[vb] : 0);
        if (me) {
            me->key = key;
            me->level = pure + 1;
            me->gen = eng->memo_gen;
        }
    }
    (void)ra;
    (void)rb;
    return pure;
}

/* The level of records ra and rb's dates of birth (feature f) where one could not be read
   but has a keying slip's shape (eng->dslip) and the other is a whole date: by the slips
   between them (conflate_date_slip_level); LEVEL_NULL otherwise, as a missing date. */
static unsigned slip_level(const conflate_engine *eng, int f, uint32_t ra, uint32_t rb, uint32_t va,
                           uint32_t vb)
{
    if (f != eng->dslip_f || !eng->dslip || (!va && !vb))
        return LEVEL_NULL;
    uint32_t s = va ? eng->dslip[rb] : eng->dslip[ra];
    if (!s)
        return LEVEL_NULL;
    int l = conflate_date_slip_level(&eng->f[f].slip[s - 1], (int32_t)eng->f[f].vals[va ? va : vb].aux);
    return l < 0 ? LEVEL_NULL : (unsigned)l;
}

/* The level of feature f between records ra and rb, the swap of names aside. */
static unsigned feature_pure(const conflate_engine *eng, int f, uint32_t ra, uint32_t rb)
{
    uint32_t va = rec_val(eng, ra, f), vb = rec_val(eng, rb, f);
    if (!va || !vb)
        return slip_level(eng, f, ra, rb, va, vb);
    const feature *ft = &eng->f[f];
    if (va == vb) /* a partial date agrees only at its precision; a landline is a home's */
        return ft->k == K_DATE && conflate_date_partial((int32_t)ft->vals[va].aux)
                   ? (unsigned)conflate_date_level((int32_t)ft->vals[va].aux,
                                                   (int32_t)ft->vals[va].aux)
               : ft->k == K_PHONE && ft->vals[va].aux ? 2u
                                                      : (unsigned)ft->nlevels - 1;
    /* cheap kinds first: no strings, no memo */
    if (ft->k == K_SEX)
        return 0;
    if (!ft->ent) { /* entries not built (only before normalising ends) */
        cval ca = ft->vals[va], cb = ft->vals[vb];
        return compare_values(ft, conflate_strtab_str(&ft->norm, va), ft->norm.len[va],
                              conflate_strtab_str(&ft->norm, vb), ft->norm.len[vb], &ca, &cb, 0, 0);
    }
    const ventry *ea = feature_entry(ft, va), *eb = feature_entry(ft, vb);
    size_t na = ea->len < 65535 ? ea->len : ft->norm.len[va];
    size_t nb = eb->len < 65535 ? eb->len : ft->norm.len[vb];
    return compare_distinct(eng, f, ra, rb, va, vb, ea->aux, ea->phon, entry_text(ft, ea, va), na,
                            eb->aux, eb->phon, entry_text(ft, eb, vb), nb);
}

/* An address alike in two places: "54 Broadway Drive" in Manchester and in Liverpool are two
 * homes, not one written twice. When both records give a postcode and the two lie in
 * different areas (level 0: not the same district, no typo between them) and their towns
 * are not alike (different, or one missing), an address that agreed is "different" (review
 * 78: ~100 such pairs a shape, none one person, each +10.7 to +12.8 for the address). */
static uint64_t locality_pass(const conflate_engine *eng, uint64_t pat)
{
    int A = eng->addr_f, P = eng->postcode_f, T = eng->town_f;
    if (A < 0 || P < 0)
        return pat;
    unsigned la = pat_level(pat, A), lp = pat_level(pat, P), lt = T >= 0 ? pat_level(pat, T) : LEVEL_NULL;
    if (la == LEVEL_NULL || la == 0 || lp != 0 || (lt != LEVEL_NULL && lt != 0))
        return pat;
    return pat & ~(0xFull << (4 * A));
}

unsigned conflate_compare_feature(const conflate_engine *eng, int f, uint32_t ra, uint32_t rb)
{
    int F = eng->sur_other, S = eng->first_other, M = eng->middle_f;
    if (f == eng->addr_f && eng->postcode_f >= 0) { /* as conflate_compare_rows: the locality */
        uint64_t pat = (uint64_t)feature_pure(eng, f, ra, rb) << (4 * f) |
                       (uint64_t)feature_pure(eng, eng->postcode_f, ra, rb) << (4 * eng->postcode_f);
        if (eng->town_f >= 0)
            pat |= (uint64_t)feature_pure(eng, eng->town_f, ra, rb) << (4 * eng->town_f);
        return pat_level(locality_pass(eng, pat), f);
    }
    if (F < 0 || (f != F && f != S && f != M))
        return feature_pure(eng, f, ra, rb);
    /* as conflate_compare_rows: the swap, then the middle name pass (which reads the middle
       names only when the first names are unlike: blocking asks this for every candidate) */
    uint64_t pat = (uint64_t)feature_pure(eng, F, ra, rb) << (4 * F);
    if (S >= 0)
        pat = swap_pass(eng, ra, rb, pat | (uint64_t)feature_pure(eng, S, ra, rb) << (4 * S));
    /* without a guessed name order the surname is final here (the middle name pass changes
       only the first and middle names): blocking asks this of every candidate */
    if (f == S && !eng->any_guessed_order)
        return pat_level(chain_pass(eng, ra, rb, pat), f); /* (a comma's whole name has a chain) */
    unsigned lf = pat_level(pat, F);
    if (lf != LEVEL_NULL && lf >= 2) /* first names alike: only the chain pass may change one */
        return f == M ? feature_pure(eng, M, ra, rb) : pat_level(chain_pass(eng, ra, rb, pat), f);
    if (M >= 0 && lf != LEVEL_NULL)
        pat = middle_pass(eng, ra, rb, pat | (uint64_t)feature_pure(eng, M, ra, rb) << (4 * M));
    else if (f == M)
        return feature_pure(eng, M, ra, rb);
    return pat_level(chain_pass(eng, ra, rb, known_pass(eng, ra, rb, order_pass(eng, ra, rb, pat))), f);
}

/* The level of values va and vb (both non-zero) of feature f, for others_pass: as the record's
   own values compare when equal; a date against another date by conflate_date_level; else
   LEVEL_NULL (no agreement beyond what the records' own values give). */
static unsigned other_level(const feature *ft, uint32_t va, uint32_t vb)
{
    if (ft->k == K_DATE)
        return (unsigned)conflate_date_level((int32_t)ft->vals[va].aux, (int32_t)ft->vals[vb].aux);
    if (va != vb)
        return LEVEL_NULL;
    return ft->k == K_PHONE && ft->vals[va].aux ? 2u : (unsigned)ft->nlevels - 1;
}

/* Record r's values of feature f: its own and its cell's further ones (engine_int.h oth), up to
   cap, non-zero. */
static size_t values_of(const conflate_engine *eng, uint32_t r, int f, uint32_t *out, size_t cap)
{
    size_t k = 0;
    uint32_t v = rec_val(eng, r, f);
    if (v)
        out[k++] = v;
    uint32_t i = r < eng->oth_n ? eng->oth_of[r] : 0;
    for (; i && k < cap; i++) {
        const struct conflate_other *o = &eng->oth[i - 1];
        if (o->f == f && o->v)
            out[k++] = o->v;
        if (o->last)
            break;
    }
    return k;
}

/* Cells of several values ("07420 923234 / 07250 811233", two dates of birth a system holds for
 * one person): a pair's level of such a field is the best of any value of one record against
 * any of the other's, where it is better than their first values' (engine.c several_values).
 * So a mobile a person gave in one system agrees with the same number listed second in
 * another. Only exact agreements count beyond the first values (and, for dates, the date
 * levels): a further value is never compared by its spelling. */
static uint64_t others_pass(const conflate_engine *eng, uint32_t ra, uint32_t rb, uint64_t pat)
{
    if (!eng->oth_of)
        return pat;
    uint32_t ia = ra < eng->oth_n ? eng->oth_of[ra] : 0, ib = rb < eng->oth_n ? eng->oth_of[rb] : 0;
    if (!ia && !ib)
        return pat;
    uint32_t done = 0; /* features seen (at most 32 of them with several values matter) */
    for (int side = 0; side < 2; side++)
        for (uint32_t i = side ? ib : ia; i; i++) {
            const struct conflate_other *o = &eng->oth[i - 1];
            int f = o->f;
            if (f < 32 && !(done & 1u << f)) {
                done |= f < 32 ? 1u << f : 0;
                const feature *ft = &eng->f[f];
                unsigned cur = pat_level(pat, f), best = cur == LEVEL_NULL ? 0 : cur;
                int better = 0;
                if (cur == LEVEL_NULL || cur < (unsigned)ft->nlevels - 1) {
                    uint32_t xa[8], xb[8];
                    size_t na = values_of(eng, ra, f, xa, 8), nb = values_of(eng, rb, f, xb, 8);
                    for (size_t x = 0; x < na; x++)
                        for (size_t y = 0; y < nb; y++) {
                            unsigned l = other_level(ft, xa[x], xb[y]);
                            if (l != LEVEL_NULL && (l > best || (cur == LEVEL_NULL && !better))) {
                                best = l;
                                better = 1;
                            }
                        }
                }
                if (better)
                    pat = (pat & ~(0xFull << (4 * f))) | (uint64_t)best << (4 * f);
            }
            if (o->last)
                break;
        }
    return pat;
}

/* ---- comparison rows ------------------------------------------------------------------- */

/* One value in a comparison row: its aux and phon, then its text when `inl` (NUL included). */
typedef struct rentry {
    uint32_t aux, phon;
    uint16_t len; /* 65535: longer, see the norm table */
    uint8_t inl;
    char s[];
} rentry;
#define RENTRY_HEAD 11u

/* Whether comparisons of kind k read the text (dates read aux, sex nothing). */
static int kind_reads_text(kind k) { return k != K_DATE && k != K_SEX; }

static inline size_t rentry_size(const rentry *r)
{
    return (RENTRY_HEAD + (r->inl ? (size_t)r->len + 1 : 0) + 3) & ~(size_t)3;
}

/* Bytes the row entry of value v (entry e, NULL for null) of feature f needs with its text
   inline. */
static size_t rentry_need(const feature *ft, const ventry *e)
{
    if (!e || !kind_reads_text(ft->k) || e->len >= 65535)
        return RENTRY_HEAD + 1;
    return (RENTRY_HEAD + (size_t)e->len + 1 + 3) & ~(size_t)3;
}

size_t conflate_row_stride(const conflate_engine *eng)
{
    /* the 99th percentile of row sizes over up to 65,536 records spread over the input;
     * a longer row keeps some texts in the norm tables (correct, only slower); capped */
    enum { SAMPLE = 65536 };
    size_t n = eng->n, k = n < SAMPLE ? n : SAMPLE, hist[1025] = {0};
    if (k == 0)
        return 16;
    for (size_t i = 0; i < k; i++) {
        uint32_t r = (uint32_t)(i * (n / k));
        size_t need = 0;
        for (int f = 0; f < eng->nf; f++) {
            const feature *ft = &eng->f[f];
            uint32_t v = rec_val(eng, r, f);
            need += rentry_need(ft, v && ft->ent ? feature_entry(ft, v) : NULL);
        }
        hist[need < 1024 ? need : 1024]++;
    }
    size_t want = (k * 99 + 99) / 100, seen = 0, p99 = 1024;
    for (size_t b = 0; b <= 1024; b++)
        if ((seen += hist[b]) >= want) {
            p99 = b;
            break;
        }
    /* at most ROW_MAX bytes (a row per record: 3.2 GB at ten million records), at least
       the heads of every feature */
    enum { ROW_MAX = 320 };
    if (p99 > ROW_MAX)
        p99 = ROW_MAX;
    size_t least = (size_t)eng->nf * ((RENTRY_HEAD + 1 + 3) & ~(size_t)3);
    if (p99 < least)
        p99 = least;
    return (p99 + 15) & ~(size_t)15;
}

void conflate_row_fill(const conflate_engine *eng, uint32_t r, unsigned char *row, size_t stride)
{
    size_t used = 0, nf = (size_t)eng->nf;
    size_t head = (RENTRY_HEAD + 3) & ~(size_t)3;
    for (size_t f = 0; f < nf; f++) {
        const feature *ft = &eng->f[f];
        uint32_t v = rec_val(eng, r, (int)f);
        rentry *re = (rentry *)(void *)(row + used);
        size_t left_for_rest = (nf - f - 1) * head; /* every later entry fits its head */
        if (!v || !ft->ent) {
            memset(re, 0, head);
            used += head;
            continue;
        }
        const ventry *e = feature_entry(ft, v);
        re->aux = e->aux;
        re->phon = e->phon;
        re->len = e->len;
        size_t need = rentry_need(ft, e);
        re->inl = need > head && used + need + left_for_rest <= stride;
        if (re->inl) /* the text from the entry, or from the norm table when it is longer */
            memcpy(re->s, entry_text(ft, e, v), (size_t)e->len + 1);
        used += rentry_size(re);
    }
}

uint64_t conflate_compare_rows(const conflate_engine *eng, uint32_t a, uint32_t b,
                               const unsigned char *rowa, const unsigned char *rowb)
{
    uint64_t pat = 0;
    const uint32_t *xa = &eng->vals[(size_t)a * (size_t)eng->nf];
    const uint32_t *xb = &eng->vals[(size_t)b * (size_t)eng->nf];
    for (int f = 0; f < eng->nf; f++) {
        const rentry *ea = (const rentry *)(const void *)rowa, *eb = (const rentry *)(const void *)rowb;
        rowa += rentry_size(ea);
        rowb += rentry_size(eb);
        uint32_t va = xa[f], vb = xb[f];
        const feature *ft = &eng->f[f];
        unsigned level;
        if (!va || !vb)
            level = slip_level(eng, f, a, b, va, vb);
        else if (va == vb)
            level = ft->k == K_DATE && conflate_date_partial((int32_t)ea->aux)
                        ? (unsigned)conflate_date_level((int32_t)ea->aux, (int32_t)ea->aux)
                    : ft->k == K_PHONE && ea->aux ? 2u
                                                  : (unsigned)ft->nlevels - 1;
        else if (ft->k == K_SEX)
            level = 0;
        else if (!ft->ent)
            level = feature_pure(eng, f, a, b);
        else {
            size_t na = ea->len < 65535 ? ea->len : ft->norm.len[va];
            size_t nb = eb->len < 65535 ? eb->len : ft->norm.len[vb];
            const char *ta = ea->inl ? ea->s : conflate_strtab_str(&ft->norm, va);
            const char *tb = eb->inl ? eb->s : conflate_strtab_str(&ft->norm, vb);
            level = compare_distinct(eng, f, a, b, va, vb, ea->aux, ea->phon, ta, na, eb->aux,
                                     eb->phon, tb, nb);
        }
        pat |= (uint64_t)level << (4 * f);
    }
    return locality_pass(eng, chain_pass(eng, a, b, known_pass(eng, a, b, order_pass(eng, a, b, middle_pass(eng, a, b, swap_pass(eng, a, b, given_surname_pass(eng, a, b, others_pass(eng, a, b, pat))))))));
}

/* The numbers written in an address (house, flat), up to 8, as values. */
static int address_numbers(const char *s, size_t n, unsigned long *out)
{
    int k = 0;
    for (size_t i = 0; i < n && k < 8;) {
        if (s[i] >= '0' && s[i] <= '9') {
            unsigned long v = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                v = v < 100000000ul ? v * 10 + (unsigned long)(s[i] - '0') : v;
                i++;
            }
            out[k++] = v;
        } else {
            i++;
        }
    }
    return k;
}

/* Whether two addresses both carry numbers and share none: 64 and 49 Stanley Road are two
 * homes of one street, not one home written twice, however alike the texts ("Flat 2, 64" and
 * "64" share 64). They are at most "similar". */
/* Whether one address is the other with one or two words more after it, none with a digit:
   a town written before the postcode (`68 DUKE STREET, BIRKENHEAD CH7 7TU`, the postcode taken
   out, against `68 Duke Street`; review 128: a keeper's address was "similar" to the same
   house written without the town). The shorter must hold a house number and a word after it. */
static int town_after(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > nb) {
        const char *t = a;
        size_t tn = na;
        a = b, na = nb, b = t, nb = tn;
    }
    if (na < 4 || nb <= na + 1 || memcmp(a, b, na) || b[na] != ' ')
        return 0;
    int digit = 0, words = 1;
    for (size_t i = 0; i < na; i++) {
        digit |= a[i] >= '0' && a[i] <= '9';
        words += a[i] == ' ';
    }
    if (!digit || words < 2)
        return 0;
    int extra = 0;
    for (size_t i = na; i < nb; i++) {
        if (b[i] >= '0' && b[i] <= '9')
            return 0;
        extra += b[i] == ' ' && i + 1 < nb && b[i + 1] != ' ';
    }
    return extra >= 1 && extra <= 2;
}

static int numbers_apart(const char *a, size_t na, const char *b, size_t nb)
{
    unsigned long x[8], y[8];
    int nx = address_numbers(a, na, x), ny = address_numbers(b, nb, y);
    if (!nx || !ny)
        return 0;
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++)
            if (x[i] == y[j])
                return 0;
    return 1;
}

/* Whether the bytes where a and b differ (after their common start and end) hold a digit:
 * paul.marshall and paul.marshall6 are one edit apart, and numbered addresses are as a rule
 * two accounts (a father's and his son's, review 78), not a typo of one. */
static int edit_has_digit(const char *a, size_t na, const char *b, size_t nb)
{
    size_t p = 0, lo = na < nb ? na : nb;
    while (p < lo && a[p] == b[p])
        p++;
    size_t q = 0;
    while (q < lo - p && a[na - 1 - q] == b[nb - 1 - q])
        q++;
    for (size_t i = p; i < na - q; i++)
        if (a[i] >= '0' && a[i] <= '9')
            return 1;
    for (size_t i = p; i < nb - q; i++)
        if (b[i] >= '0' && b[i] <= '9')
            return 1;
    return 0;
}

/* Two distinct phone numbers (norm.c conflate_norm_phone): one edit apart, 1; a number kept
 * as written nationally ("0865259220": another country's, or of a length no UK number has) and
 * one written with its country code ("+353865259220") whose digits after the code are those
 * after the 0: the same number, 3 (exact), or 2 where it is a UK landline (landline: the same
 * landline, a home's, as equal values are); such a national number one edit from a UK number
 * read as UK's (a mobile keyed with a digit dropped), 1; else 0. */
static unsigned cmp_phone(const char *a, size_t na, const char *b, size_t nb, int landline)
{
    if (conflate_osa_distance(a, na, b, nb, 1) <= 1)
        return 1;
    if (na && nb && a[0] == '+' && b[0] == '0') {
        const char *t = a;
        size_t tn = na;
        a = b, na = nb, b = t, nb = tn;
    }
    if (!(na > 1 && nb > 1 && a[0] == '0' && b[0] == '+'))
        return 0;
    size_t nl = na - 1; /* the national number's digits after its 0 */
    if (nb > nl + 1 && nb - nl <= 4 && !memcmp(b + nb - nl, a + 1, nl))
        return landline ? 2 : 3;
    char uk[48];
    if (nl + 3 >= sizeof uk)
        return 0;
    memcpy(uk, "+44", 3);
    memcpy(uk + 3, a + 1, nl);
    return conflate_osa_distance(uk, nl + 3, b, nb, 1) <= 1 ? 1 : 0;
}

/* The comparison of two distinct non-null values, without the swapped-names check. */
static unsigned compare_values(const feature *ft, const char *a, size_t na, const char *b,
                               size_t nb, const cval *ca, const cval *cb, uint64_t bag_a, uint64_t bag_b)
{
    switch (ft->k) {
    case K_FIRST:
    case K_SUR:
    case K_MIDDLE: {
        /* an initial: of a middle name, or of a surname ("Tommy B" in a contact list): no
           more than similar, and different when it is another letter */
        if ((ft->k == K_MIDDLE || ft->k == K_SUR) && (na == 1 || nb == 1))
            return a[0] == b[0] ? 1 : 0;
        /* one family name in its forms by sex or marriage (Kowalski / Kowalska, Balog /
           Balogová, Kazlauskas / Kazlauskienė): the same surname, as Smith and Smith are for a
           husband and wife (review 116: "close" at best, +2.9 bits against +5.1) */
        if (ft->k == K_SUR && conflate_surname_gendered(a, na, b, nb))
            return (unsigned)ft->nlevels - 1;
        unsigned l = cmp_name_pure(ft->k, a, na, b, nb, ca, cb, bag_a, bag_b);
        /* a Chinese name in Wade-Giles and in pinyin (Chang / Zhang, Chih-wei / Zhiwei: a
           Taiwanese passport against an interpreter's spelling, review 119): close, as a
           nickname is; most names are told apart by their letters at once (romanise.h) */
        if (l < 2 && conflate_wg_pinyin_equiv(a, na, b, nb))
            l = 2;
        /* a name in Somali orthography against its English spelling (Faarax / Farah, Xuseen /
           Hussein, Cali / Ali: review 122), compared as the English spelling */
        if (l < 2 && (ca->init || cb->init)) { /* (init: a foldable name, or not known) */
            char fa[128], fb[128];
            size_t ka = conflate_name_fold_somali(a, na, fa, sizeof fa);
            size_t kb = conflate_name_fold_somali(b, nb, fb, sizeof fb);
            if (ka || kb) {
                const char *xa = ka ? fa : a, *xb = kb ? fb : b;
                size_t la = ka ? ka : na, lb = kb ? kb : nb;
                /* where the fold dropped a first letter (Cali, Cismaan), the other name must
                   begin with a vowel too, or the spellings meet whole: letter by letter, Cooper
                   folded "ooper" was close to Hooper; an x read h keeps its place (Xuseen /
                   Hussein) */
                unsigned lf = la == lb && !memcmp(xa, xb, la) ? 2
                              : (ka && a[0] == 'c' && xa[0] != 'c' && !strchr("aeiou", xb[0])) ||
                                        (kb && b[0] == 'c' && xb[0] != 'c' && !strchr("aeiou", xa[0]))
                                  ? 0
                                  : cmp_name_pure(ft->k, xa, la, xb, lb, ca, cb, 0, 0);
                if (lf > l && lf <= 2)
                    l = lf;
            }
        }
        return l;
    }
    case K_FULL: {
        double jw = conflate_jaro_winkler(a, na, b, nb);
        if (jw >= 0.94)
            return 2;
        return (jw >= 0.85 || conflate_token_jaccard(a, na, b, nb) >= 0.5) ? 1 : 0;
    }
    case K_DATE:
        return date_level_yy((int32_t)ca->aux, a, na, (int32_t)cb->aux, b, nb);
    case K_SEX:
        return 0;
    case K_POSTCODE:
        return cmp_postcode(a, na, b, nb);
    case K_PHONE:
        return cmp_phone(a, na, b, nb, ca->aux || cb->aux);
    case K_ID:
        return conflate_osa_distance(a, na, b, nb, 1) <= 1 ? 1 : 0;
    case K_EMAIL: {
        if (conflate_osa_distance(a, na, b, nb, 1) <= 1 && !edit_has_digit(a, na, b, nb))
            return 2;
        const char *ata = memchr(a, '@', na), *atb = memchr(b, '@', nb);
        if (ata && atb && ata - a == atb - b && !memcmp(a, b, (size_t)(ata - a)))
            return 1;
        return 0;
    }
    case K_ADDRESS: {
        /* most pairs of different addresses have too few bytes in common to be close or
         * similar by Jaro-Winkler or two edits: the bag bound says so without either */
        uint64_t sa = (uint64_t)ca->phon << 32 | ca->aux, sb = (uint64_t)cb->phon << 32 | cb->aux;
        if (sa && sb && na <= 255 && nb <= 255) {
            size_t c = (size_t)conflate_bag_common(sa, sb), lo = na < nb ? na : nb;
            c = c < lo ? c : lo;
            size_t l = 0;
            while (l < 4 && l < lo && a[l] == b[l])
                l++;
            double jaro = ((double)c / (double)na + (double)c / (double)nb + 1.0) / 3.0;
            double jw_max = jaro + (double)l * 0.1 * (1.0 - jaro);
            if (jw_max < 0.85 && (na > nb ? na : nb) - c > 2)
                return conflate_token_jaccard(a, na, b, nb) >= 0.5 ? 1 : 0;
        }
        double jw = conflate_jaro_winkler(a, na, b, nb);
        if (jw >= 0.94 || conflate_osa_distance(a, na, b, nb, 2) <= 2 || town_after(a, na, b, nb))
            return numbers_apart(a, na, b, nb) ? 1 : 2;
        return (jw >= 0.85 || conflate_token_jaccard(a, na, b, nb) >= 0.5) ? 1 : 0;
    }
    case K_TOWN:
    case K_STRING:
    default: {
        double jw = conflate_jaro_winkler(a, na, b, nb);
        if (jw >= 0.92 || conflate_osa_distance(a, na, b, nb, 1) <= 1)
            return 2;
        return jw >= 0.80 ? 1 : 0;
    }
    }
}

uint64_t conflate_compare_records(const conflate_engine *eng, uint32_t a, uint32_t b)
{
    uint64_t pat = 0;
    for (int f = 0; f < eng->nf; f++)
        pat |= (uint64_t)feature_pure(eng, f, a, b) << (4 * f);
    return locality_pass(eng, chain_pass(eng, a, b, known_pass(eng, a, b, order_pass(eng, a, b, middle_pass(eng, a, b, swap_pass(eng, a, b, given_surname_pass(eng, a, b, others_pass(eng, a, b, pat))))))));
}

/* ---- estimation ---------------------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random pair allowed by the mode, or 0 when none was found. */
static int random_pair(const conflate_engine *eng, uint64_t *seed, uint32_t *a, uint32_t *b)
{
    for (int tries = 0; tries < 32; tries++) {
        uint32_t i = (uint32_t)(splitmix(seed) % eng->n);
        uint32_t j;
        if (eng->o.mode == CONFLATE_DEDUPE_ONLY) {
            const source *s = &eng->sources[eng->src[i]];
            if (s->ids.n < 2)
                continue;
            j = s->global[1 + splitmix(seed) % s->ids.n];
        } else {
            j = (uint32_t)(splitmix(seed) % eng->n);
        }
        if (i == j)
            continue;
        if (eng->o.mode == CONFLATE_LINK_ONLY && eng->src[i] == eng->src[j])
            continue;
        *a = i;
        *b = j;
        return 1;
    }
    return 0;
}

typedef struct u_ctx {
    const conflate_engine *eng;
    double (*cnt)[CONFLATE_MAX_FEATURES][MAX_LEVELS]; /* per thread */
} u_ctx;

/* The value entries of records i and j (of a random pair to come), requested ahead. */
static void u_prefetch(const conflate_engine *eng, uint32_t i, uint32_t j)
{
    const uint32_t *ri = &eng->vals[(size_t)i * (size_t)eng->nf], *rj = &eng->vals[(size_t)j * (size_t)eng->nf];
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        if (ri[f] && rj[f] && ri[f] != rj[f] && ft->ent) {
            __builtin_prefetch(feature_entry(ft, ri[f]));
            __builtin_prefetch(feature_entry(ft, rj[f]));
        }
    }
}

static void u_range(void *ctx, int tid, size_t b, size_t e)
{
    u_ctx *c = ctx;
    const conflate_engine *eng = c->eng;
    uint64_t seed = 0x5EED0000ull + b;
    /* the pairs drawn U_AHEAD ahead, in the order drawn (the same pairs as drawing each when
       it is compared): two random records' rows, then their value entries, are requested
       early, so that the waits for memory overlap */
    enum { U_AHEAD = 16 };
    uint32_t ri[U_AHEAD], rj[U_AHEAD];
    unsigned char ok[U_AHEAD];
    for (size_t k = b; k < e + U_AHEAD; k++) {
        size_t s = k % U_AHEAD; /* pair k - U_AHEAD's slot: compared, then pair k's */
        if (k >= b + U_AHEAD && ok[s])
            for (int f = 0; f < eng->nf; f++) {
                unsigned l = conflate_compare_feature(eng, f, ri[s], rj[s]);
                if (l != LEVEL_NULL)
                    c->cnt[tid][f][l] += 1;
            }
        if (k >= e)
            continue;
        ok[s] = (unsigned char)random_pair(eng, &seed, &ri[s], &rj[s]);
        if (ok[s]) {
            __builtin_prefetch(&eng->vals[(size_t)ri[s] * (size_t)eng->nf]);
            __builtin_prefetch(&eng->vals[(size_t)rj[s] * (size_t)eng->nf]);
        }
        size_t h = (k + U_AHEAD / 2) % U_AHEAD; /* drawn U_AHEAD / 2 ago: its rows have come */
        if (k >= b + U_AHEAD / 2 && ok[h])
            u_prefetch(eng, ri[h], rj[h]);
    }
}

/* u from random pairs: what agreement looks like between records of different entities. */
static void init_u(conflate_engine *eng)
{
    /* enough random pairs for rare levels, never many more than exist */
    size_t samples = 200000;
    if (eng->possible < samples)
        samples = eng->possible < 1000 ? 1000 : (size_t)eng->possible;
    u_ctx c = {eng, conflate_xcalloc(64, sizeof *c.cnt)};
    conflate_par(eng->threads, samples, 8192, u_range, &c);
    for (int f = 0; f < eng->nf; f++) {
        feature *ft = &eng->f[f];
        double tot = 0, cnt[MAX_LEVELS] = {0};
        for (int t = 0; t < 64; t++)
            for (int l = 0; l < ft->nlevels; l++)
                cnt[l] += c.cnt[t][f][l];
        for (int l = 0; l < ft->nlevels; l++)
            tot += cnt[l];
        for (int l = 0; l < ft->nlevels; l++)
            ft->u[l] = (cnt[l] + 0.5) / (tot + 0.5 * ft->nlevels);
        /* exact agreement between strangers: the value frequencies say it best */
        if (ft->sum_p2 > 0)
            ft->u[ft->nlevels - 1] = ft->sum_p2;
        if (ft->k == K_PHONE && ft->sum_p2_shared > 0)
            ft->u[2] = ft->sum_p2_shared;
        double s = 0;
        for (int l = 0; l < ft->nlevels; l++)
            s += ft->u[l];
        for (int l = 0; l < ft->nlevels; l++) {
            ft->u[l] /= s;
            ft->u0[l] = ft->u[l];
        }
    }
    free(c.cnt);
}

/*
 * The middle name among namesakes. A look-alike is a stranger who shares a name, and a middle
 * name is held at the look-alikes' prior (lookalike_fixed). Two random records share a middle
 * name rarely, but two people of one first name may share it often: where the middle name
 * follows the sex or the family's custom (Vietnamese Van and Thi, Kaur and Singh, a father's
 * name), every namesake has it. Held at the random-pair rate, such a middle name counted as
 * strong evidence that two namesakes born years apart were one person (review 61: 24 women
 * named Anh Thi Nguyen, each with her own date of birth, were one cluster). So the prior is
 * measured: pairs drawn uniformly from the pairs of records of one first name whose dates of
 * birth both exist and differ (so, different people), their middle names compared; with fewer
 * than NS_MIN such pairs, or no date of birth to tell people apart, the random-pair rates stand.
 * NS_KAPPA pseudo-pairs at the random-pair rates keep a few draws from ruling.
 */
#define NS_SAMPLES 20000
#define NS_MIN 200.0
#define NS_KAPPA 50.0

static int first_of_kind(const conflate_engine *eng, kind k)
{
    for (int f = 0; f < eng->nf; f++)
        if (eng->f[f].k == k && eng->f[f].nonnull > 0)
            return f;
    return -1;
}

static void init_namesakes(conflate_engine *eng)
{
    int fm = first_of_kind(eng, K_MIDDLE), ff = first_of_kind(eng, K_FIRST),
        fd = first_of_kind(eng, K_DATE);
    if (fm < 0 || ff < 0 || fd < 0)
        return;
    size_t nf = (size_t)eng->nf;
    uint32_t nv = eng->f[ff].norm.n;
    /* the records with a first name, a middle name and a date, grouped by first name
       (a counting sort: linear in the records) */
    uint32_t *start = conflate_xcalloc((size_t)nv + 2, sizeof *start);
    size_t m = 0;
    for (size_t i = 0; i < eng->n; i++) {
        const uint32_t *v = eng->vals + i * nf;
        if (v[ff] && v[fm] && v[fd] && v[ff] <= nv) {
            start[v[ff] + 1]++;
            m++;
        }
    }
    if (m < 2) {
        free(start);
        return;
    }
    for (uint32_t g = 1; g <= nv + 1; g++)
        start[g] += start[g - 1];
    uint32_t *rec = conflate_xmalloc(m * sizeof *rec);
    uint32_t *fill = conflate_xmalloc(((size_t)nv + 1) * sizeof *fill);
    memcpy(fill, start, ((size_t)nv + 1) * sizeof *fill);
    for (size_t i = 0; i < eng->n; i++) {
        const uint32_t *v = eng->vals + i * nf;
        if (v[ff] && v[fm] && v[fd] && v[ff] <= nv)
            rec[fill[v[ff]]++] = (uint32_t)i;
    }
    free(fill);
    /* the groups of two or more and their pairs, cumulated: a draw picks a pair uniformly */
    uint32_t ng = 0;
    for (uint32_t g = 1; g <= nv; g++)
        ng += start[g + 1] - start[g] >= 2;
    uint32_t *gid = conflate_xmalloc(((size_t)ng + 1) * sizeof *gid);
    double *cum = conflate_xmalloc(((size_t)ng + 1) * sizeof *cum);
    double total = 0;
    ng = 0;
    for (uint32_t g = 1; g <= nv; g++) {
        double k = start[g + 1] - start[g];
        if (k < 2)
            continue;
        total += k * (k - 1) / 2;
        gid[ng] = g;
        cum[ng++] = total;
    }
    feature *ft = &eng->f[fm];
    double cnt[MAX_LEVELS] = {0}, tot = 0;
    uint64_t seed = 0x4E414D45ull;
    for (int t = 0; ng && t < NS_SAMPLES; t++) {
        double r = (double)(splitmix(&seed) >> 11) * 0x1.0p-53 * total;
        uint32_t lo = 0, hi = ng - 1;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (cum[mid] <= r)
                lo = mid + 1;
            else
                hi = mid;
        }
        uint32_t g = gid[lo], k = start[g + 1] - start[g];
        uint32_t a = (uint32_t)(splitmix(&seed) % k), b = (uint32_t)(splitmix(&seed) % (k - 1));
        if (b >= a)
            b++;
        uint32_t i = rec[start[g] + a], j = rec[start[g] + b];
        if (eng->o.mode == CONFLATE_LINK_ONLY && eng->src[i] == eng->src[j])
            continue;
        if (eng->o.mode == CONFLATE_DEDUPE_ONLY && eng->src[i] != eng->src[j])
            continue;
        if (conflate_compare_feature(eng, fd, i, j) != CONFLATE_DATE_OTHER)
            continue; /* perhaps one person: only pairs whose dates differ count */
        unsigned l = conflate_compare_feature(eng, fm, i, j);
        if (l == LEVEL_NULL)
            continue;
        cnt[l] += 1;
        tot += 1;
    }
    free(start);
    free(rec);
    free(gid);
    free(cum);
    if (tot < NS_MIN)
        return;
    for (int l = 0; l < ft->nlevels; l++)
        ft->un[l] = (cnt[l] + NS_KAPPA * ft->u[l]) / (tot + NS_KAPPA);
    ft->has_un = 1;
}

/* Histogram of comparison vectors: built by block.c into eng via these globals-free arrays. */
typedef struct hist {
    uint64_t *pat;
    double *cnt;
    size_t n;
} hist;

static hist build_hist(const conflate_engine *eng)
{
    /* open addressing on the pattern; distinct patterns are few (hundreds to thousands) */
    size_t cap = 1 << 10, used = 0;
    uint64_t *key = conflate_xmalloc(cap * sizeof *key);
    double *cnt = conflate_xcalloc(cap, sizeof *cnt);
    unsigned char *full = conflate_xcalloc(cap, 1);
    for (size_t i = 0; i < eng->npairs; i++) {
        uint64_t k = eng->pairs[i].pat;
        size_t h = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
        while (full[h] && key[h] != k)
            h = (h + 1) & (cap - 1);
        if (!full[h]) {
            full[h] = 1;
            key[h] = k;
            used++;
        }
        cnt[h] += 1;
        if (used * 2 > cap) {
            size_t nc = cap * 2;
            uint64_t *nk = conflate_xmalloc(nc * sizeof *nk);
            double *nn = conflate_xcalloc(nc, sizeof *nn);
            unsigned char *nf = conflate_xcalloc(nc, 1);
            for (size_t j = 0; j < cap; j++) {
                if (!full[j])
                    continue;
                size_t g = (size_t)((key[j] * 0x9E3779B97F4A7C15ull) >> 20) & (nc - 1);
                while (nf[g])
                    g = (g + 1) & (nc - 1);
                nf[g] = 1;
                nk[g] = key[j];
                nn[g] = cnt[j];
            }
            free(key);
            free(cnt);
            free(full);
            key = nk;
            cnt = nn;
            full = nf;
            cap = nc;
        }
    }
    hist h = {conflate_xmalloc((used + 1) * sizeof(uint64_t)), conflate_xmalloc((used + 1) * sizeof(double)), 0};
    for (size_t j = 0; j < cap; j++)
        if (full[j]) {
            h.pat[h.n] = key[j];
            h.cnt[h.n] = cnt[j];
            h.n++;
        }
    free(key);
    free(cnt);
    free(full);
    return h;
}

/* ---- the bounded, identifiable estimate ------------------------------------------------------
 *
 * docs/conflate.md, "Estimation", gives the reasons and the sources. Candidate pairs are a
 * mixture of four classes, told apart by the identity triple (first name or full name,
 * surname, date of birth: the fields compared of the three):
 *   M   matches: fields independent; m estimated by EM as the posterior mode under a
 *       Dirichlet prior of KAPPA_M pseudo-pairs centred on the documented defaults
 *       (conflate_default_m), with bounds: no level below M_FLOOR; "different" of a field
 *       that changes over a life (address, postcode, town, phone, e-mail) never below
 *       M_LIFE_DIFF, so a move is weak evidence against a match, never strong; a field of
 *       the triple disagrees in at most M_MAX_DISAGREE of matches, two of them together in
 *       at most M_MAX_BOTH_DISAGREE;
 *   H1  household non-matches and H2 look-alike non-matches: they agree on part of the
 *       triple (a family shares a surname, twins a date of birth, a son his father's name,
 *       namesakes their names); H1 also shares a home, H2 does not (one class cannot be
 *       both: within it, fields are independent). The triple is modelled jointly in each
 *       (not field by field); with a date of birth and a name compared the cells where all
 *       agree strongly hold at most H_SAME_PERSON (different people rarely share name and
 *       birthday), and at most what chance gives: SAME_DEPENDENCE times the pairs of
 *       strangers of the whole comparison space expected to agree so by chance (the product
 *       of the random-pair rates u of those levels), at its Poisson upper limit, over the
 *       class's pairs (same_person_caps). H2's cells where every field disagrees are empty (that is U); H1's triple
 *       is the documented household composition (default_h), not learned: whether a match
 *       with a mistyped first name or a twin, the data cannot say, demography can. Other
 *       fields independent. Priors of KAPPA_H pseudo-pairs at the documented defaults;
 *       H2's middle name is held at the random-pair rates (lookalike_fixed);
 *   U   other non-matches: every field of the triple disagrees (strangers, neighbours, a
 *       spouse of another name); the other fields free, prior at the random-pair rates.
 * So no class can take another's place: matches agree on the triple, U never does, H1 and
 * H2 never wholly. After EM, an exact agreement on a name, date of birth or identifier must
 * be evidence for a match against random pairs (log2(m/u) > 0, above a disagreement);
 * otherwise m falls back to the defaults. With too few obvious matches for EM, m and h are
 * the defaults and EM finds only the class shares and U.
 */
#define KAPPA_M 20.0
#define KAPPA_H 20.0
#define KAPPA_U 20.0
#define M_FLOOR 1e-3
#define M_LIFE_DIFF 0.10
#define H_SAME_PERSON 0.01
#define SAME_DEPENDENCE CONFLATE_SAME_DEPENDENCE
#define M_MAX_DISAGREE 0.30
#define M_MAX_BOTH_DISAGREE 0.01
#define MIN_SEED_PAIRS 200.0
/* A match shows another home (the home fields: address, postcode, town): prior share MV0
 * (about one in five: roughly one person in ten moves in a year, ONS, and extracts are made
 * years apart) with KAPPA_M pseudo-pairs, bounded to [MV_MIN, MV_MAX]; at another home
 * the address and postcode agree (close or exact) in at most MO_SAME of matches. */
#define HOME_BASE (MAX_LEVELS + 1) /* a home field's levels and "missing" */
#define MV0 0.20
#define HV0 0.35
#define MV_MIN 0.01
#define MV_MAX 0.75
#define MO_SAME 0.05
#define MIN_PAIRS_NO_SEED 2000.0

int conflate_kind_changes(kind k)
{
    return k == K_ADDRESS || k == K_POSTCODE || k == K_TOWN || k == K_PHONE || k == K_EMAIL;
}

/* The home fields: the address and what follows from it (postcode, town). */
static int kind_home(kind k) { return k == K_ADDRESS || k == K_POSTCODE || k == K_TOWN; }

/* The share of a class's pairs at two homes, from EM's expected counts (n of d), under a
 * prior of kappa pseudo-pairs at v0; bounded to [MV_MIN, MV_MAX]. */
static double home_share(double n, double d, double v0, double kappa)
{
    double v = (n + kappa * v0) / (d + kappa);
    return v < MV_MIN ? MV_MIN : v > MV_MAX ? MV_MAX : v;
}

int conflate_kind_identity(kind k)
{
    return k == K_FIRST || k == K_MIDDLE || k == K_SUR || k == K_FULL || k == K_DATE || k == K_ID;
}

void conflate_default_m(kind k, double *m0)
{
    /* levels from "different" (0) to "exact" (last); docs/conflate.md, "Estimation" */
    static const double m[K_STRING + 1][MAX_LEVELS] = {
        [K_FIRST] = {0.04, 0.04, 0.10, 0.02, 0.80},
        [K_SUR] = {0.03, 0.03, 0.07, 0.02, 0.85},
        [K_MIDDLE] = {0.10, 0.15, 0.05, 0.70},
        [K_FULL] = {0.05, 0.07, 0.13, 0.75},
        [K_DATE] = {0.015, 0.01, 0.01, 0.03, 0.05, 0.02, 0.865},
        [K_SEX] = {0.03, 0.97},
        /* the home fields: a match at the same home (a move is the mixture's other part) */
        [K_ADDRESS] = {0.125, 0.06, 0.125, 0.69},
        [K_POSTCODE] = {0.125, 0.035, 0.09, 0.75},
        [K_TOWN] = {0.10, 0.035, 0.085, 0.78},
        [K_PHONE] = {0.40, 0.05, 0.05, 0.50},
        [K_EMAIL] = {0.35, 0.05, 0.05, 0.55},
        [K_ID] = {0.04, 0.06, 0.90},
        [K_STRING] = {0.15, 0.05, 0.10, 0.70},
    };
    memcpy(m0, m[k <= K_STRING ? k : K_STRING], (size_t)conflate_kind_levels(k) * sizeof *m0);
}

/*
 * The default m of a date's levels where a share q of its records know the date to its year
 * only (an age at a record's date, an estimate). conflate_default_m's rates are those of two
 * whole dates; a match with one side known to its year only can show nothing but "the year",
 * "a year next to it" or "different", and shows them in a share s = 1 - (1 - q)^2 of the pairs
 * (one side or both so known). There an age or an estimate is of the right year about half the
 * time, one to three years off a third of it (an age given a year early or late, a guess), else
 * further: so "a year next to it" gets 0.35 s and "the year" 0.50 s, every level scaled by
 * 1 - 0.85 s to make room. "Different" is not raised: it is one level for both kinds of pair,
 * and raised, two whole dates fifteen years apart stopped telling namesakes apart. Without
 * this, in a file too small to estimate from, "the year" weighed -3 bits: an age that fitted
 * counted against the pair (docs/conflate.md, "Ages").
 */
static void year_only_defaults(double q, double *m0)
{
    if (!(q > 0))
        return;
    double s = 1 - (1 - q) * (1 - q);
    for (int l = 0; l < conflate_kind_levels(K_DATE); l++)
        m0[l] *= 1 - 0.85 * s;
    m0[CONFLATE_DATE_YEAR_NEAR] += 0.35 * s;
    m0[CONFLATE_DATE_YEAR_ONLY] += 0.50 * s;
}

/*
 * The documented default h of the related classes (docs/conflate.md, "Estimation"): c = 0
 * households (people of one home or family), c = 1 look-alikes (namesakes, people of one
 * birthday: for the fields outside the triple, the random-pair rates). Generic fields: the
 * random-pair rates. Used as the priors of h, and as h itself when there are too few pairs
 * to estimate it.
 */
static void default_h(int c, kind k, const double *u, double *h0)
{
    if (c == 1) { /* look-alikes: what they share is a name or a date, not a home */
        static const double lfirst[5] = {0.55, 0.10, 0.05, 0.002, 0.298};
        static const double lsur[5] = {0.40, 0.05, 0.05, 0.01, 0.49};
        static const double ldate[7] = {0.49, 0.03, 0.02, 0.32, 0.10, 0.01, 0.03};
        const double *l = k == K_FIRST || k == K_FULL ? lfirst : k == K_SUR ? lsur
                        : k == K_DATE ? ldate : u;
        memcpy(h0, l, (size_t)conflate_kind_levels(k) * sizeof *h0);
        return;
    }
    static const double h[K_STRING][MAX_LEVELS] = {
        [K_FIRST] = {0.70, 0.05, 0.05, 0.002, 0.198},
        [K_SUR] = {0.15, 0.04, 0.05, 0.01, 0.75},
        [K_MIDDLE] = {0.85, 0.05, 0.02, 0.08},
        [K_FULL] = {0.70, 0.08, 0.04, 0.18},
        [K_DATE] = {0.59, 0.01, 0.01, 0.29, 0.04, 0.01, 0.05},
        [K_SEX] = {0.50, 0.50},
        [K_ADDRESS] = {0.40, 0.05, 0.10, 0.45},
        [K_POSTCODE] = {0.40, 0.05, 0.05, 0.50},
        [K_TOWN] = {0.30, 0.02, 0.03, 0.65},
        [K_PHONE] = {0.85, 0.02, 0.09, 0.04},
        [K_EMAIL] = {0.93, 0.02, 0.02, 0.03},
        [K_ID] = {0.995, 0.004, 0.001},
    }; /* generic fields: the random-pair rates */
    memcpy(h0, k < K_STRING ? h[k] : u, (size_t)conflate_kind_levels(k) * sizeof *h0);
}

/* The M-step of one table: the posterior mode of n rates under a Dirichlet prior of kappa
 * pseudo-counts centred on prior, from the expected counts cnt (their total, or computed when
 * total < 0). Every estimate of m, h, u and the joint tables goes through it. */
static void post_mode(const double *cnt, const double *prior, double kappa, int n, double total,
                      double *out)
{
    if (total < 0) {
        total = 0;
        for (int l = 0; l < n; l++)
            total += cnt[l];
    }
    for (int l = 0; l < n; l++)
        out[l] = (cnt[l] + kappa * prior[l]) / (total + kappa);
}

/* Whether level l of a triple field is an agreement (close or better, swapped names, a
 * transposed or close date). */
static int agrees(kind k, unsigned l)
{
    return l != LEVEL_NULL && (k == K_DATE ? l >= CONFLATE_DATE_CLOSE : l >= 2);
}

/* Whether feature f is a field of the identity triple. */
static int in_triple(const conflate_model *md, int f)
{
    for (int i = 0; i < md->nt; i++)
        if (md->t[i] == f)
            return 1;
    return 0;
}

/* Whether the look-alikes' rates of a field outside the triple are held at their prior, the
 * random-pair rates, not learned: a look-alike is a stranger who shares a name or a date of
 * birth by coincidence, and a middle name only as often as two random records do. Learned,
 * the class takes in the matches whose date of birth or a name is missing (nothing in the
 * triple then tells them from namesakes) and learns their middle names as its own. */
static int lookalike_fixed(kind k) { return k == K_MIDDLE; }

/* Raises every level below its floor to it, taking the mass from the levels above theirs. */
static void apply_floors(double *p, int n, const double *floor)
{
    for (int pass = 0; pass < 3; pass++) {
        double need = 0, free_mass = 0;
        for (int l = 0; l < n; l++) {
            if (p[l] < floor[l])
                need += floor[l] - p[l];
            else
                free_mass += p[l] - floor[l];
        }
        if (need <= 0 || free_mass <= 0)
            return;
        double scale = need >= free_mass ? 0 : (free_mass - need) / free_mass;
        for (int l = 0; l < n; l++)
            p[l] = p[l] < floor[l] ? floor[l] : floor[l] + (p[l] - floor[l]) * scale;
    }
}

static void constrain_m(const conflate_model *md, int f, double *m)
{
    double floor[MAX_LEVELS];
    for (int l = 0; l < md->nlev[f]; l++)
        floor[l] = M_FLOOR;
    if (conflate_kind_changes(md->k[f]))
        floor[0] = M_LIFE_DIFF;
    apply_floors(m, md->nlev[f], floor);
    /* a closer date never counts less than a looser one: the year of a date known to its year
       only against a whole date no less than the year next to it; two whole dates within 31
       days no less than within a year, one date no less than within 31 days (review 122:
       adverts' ages understate by 1-5 years, EM made "a year next to it" +2.11 and "the year"
       -1.63, and the estimated year of an advert's age linked strangers of one working name) */
    if (md->k[f] == K_DATE && md->nlev[f] > CONFLATE_DATE_EXACT) {
        static const int yr[] = {CONFLATE_DATE_YEAR_NEAR, CONFLATE_DATE_YEAR_ONLY};
        static const int whole[] = {CONFLATE_DATE_YEAR, CONFLATE_DATE_CLOSE, CONFLATE_DATE_EXACT};
        conflate_pool_violators(md->u[f], m, yr, 2);
        conflate_pool_violators(md->u[f], m, whole, 3);
    }
}

static void cap_mass(double *p, int n, const unsigned char *sel, double cap);

/* A match at another home: its address and postcode agree (close or exact) in at most
 * MO_SAME (the town may: people often move within one). A near level (neither different
 * nor exact: the same sector or district, the same street) is at least as common as it is
 * between two random records: most moves are short, so a person who moved is no further from
 * the old home than a stranger is from it. Without that floor, EM learns the near levels of a
 * move from the data as a whole, where movers go anywhere, and a move round the corner in one
 * neighbourhood (where strangers share a sector) weighed far below a move to another city
 * (review 116, the Roma and Bangladeshi neighbourhoods). */
static void constrain_mo(const conflate_model *md, int f, double *mo)
{
    int n = md->nlev[f], ex = n - 1;
    if (md->k[f] != K_TOWN) {
        unsigned char sel[MAX_LEVELS] = {0};
        for (int l = 2; l < n; l++)
            sel[l] = 1;
        cap_mass(mo, n, sel, MO_SAME);
    }
    double floor[MAX_LEVELS];
    for (int l = 0; l < n; l++) {
        floor[l] = M_FLOOR * 1e-3;
        if (l > 0 && l < ex && md->u[f][l] > floor[l])
            floor[l] = md->u[f][l];
    }
    apply_floors(mo, n, floor); /* the cap first: what the floors add is a stranger's rate */
}

/* Scales the cells selected by sel down to `cap` in all when they hold more, the others up. */
static void cap_mass(double *p, int n, const unsigned char *sel, double cap)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += sel[i] ? p[i] : 0;
    if (s <= cap || s >= 1)
        return;
    for (int i = 0; i < n; i++)
        p[i] *= sel[i] ? cap / s : (1 - cap) / (1 - s);
}

static void constrain_h(const conflate_model *md, int f, double *h)
{
    if (md->k[f] != K_ID) /* different people share an identifier no more than a name+date */
        return;
    unsigned char sel[MAX_LEVELS] = {0};
    for (int l = 1; l < md->nlev[f]; l++)
        sel[l] = 1;
    cap_mass(h, md->nlev[f], sel, H_SAME_PERSON);
}

/* Cells of the triple's joint table, and the levels of cell c. */
static int triple_cells(const conflate_model *md)
{
    int c = 1;
    for (int i = 0; i < md->nt; i++)
        c *= md->tl[i];
    return c;
}

static void cell_levels(const conflate_model *md, int c, unsigned *l)
{
    for (int i = md->nt - 1; i >= 0; i--) {
        l[i] = (unsigned)(c % md->tl[i]);
        c /= md->tl[i];
    }
}

/* A strong agreement, for the cap on H: a name close or better, a date exact or with day and
 * month swapped (people of one name born within a month of each other are common at
 * national scale; of one name and birthday, not). */
static int agrees_strongly(kind k, unsigned l)
{
    return l != LEVEL_NULL && (k == K_DATE ? l >= CONFLATE_DATE_TRANSPOSED : l >= 2);
}

/* A related class's joint table under its constraints: with a date and a name in the triple,
 * at most H_SAME_PERSON where all agree strongly; for look-alikes (what they share is
 * names or dates) no mass where every field disagrees, which is U's. A household may share
 * nothing of the triple (a spouse of another name, a surname mistyped). Renormalised. */
static void constrain_hj(const conflate_model *md, int lookalike, double *hj)
{
    int nc = triple_cells(md), dated = 0;
    for (int i = 0; i < md->nt; i++)
        dated |= md->k[md->t[i]] == K_DATE;
    unsigned char sel[CONFLATE_JOINT_MAX] = {0};
    double s = 0;
    for (int c = 0; c < nc; c++) {
        unsigned l[3];
        cell_levels(md, c, l);
        int a = 0, st = 0;
        for (int i = 0; i < md->nt; i++) {
            a += agrees(md->k[md->t[i]], l[i]);
            st += agrees_strongly(md->k[md->t[i]], l[i]);
        }
        if (a == 0 && lookalike)
            hj[c] = 0;
        sel[c] = st == md->nt && dated && md->nt >= 2;
        s += hj[c];
    }
    for (int c = 0; c < nc; c++)
        hj[c] = s > 0 ? hj[c] / s : 1.0 / nc;
    if (md->hyear[lookalike] > 0) { /* names agreeing strongly, the year only known and the same */
        unsigned char sy[CONFLATE_JOINT_MAX] = {0};
        for (int c = 0; c < nc; c++) {
            unsigned l[3];
            cell_levels(md, c, l);
            int names = 0, year = 0;
            for (int i = 0; i < md->nt; i++) {
                kind k = md->k[md->t[i]];
                if (k == K_DATE)
                    year = l[i] == CONFLATE_DATE_YEAR_ONLY;
                else
                    names += agrees_strongly(k, l[i]);
            }
            sy[c] = year && names == md->nt - 1;
        }
        cap_mass(hj, nc, sy, md->hyear[lookalike]);
    }
    cap_mass(hj, nc, sel, md->hsame[lookalike] > 0 ? md->hsame[lookalike] : H_SAME_PERSON);
}

/* The caps of the related classes' same-person cells (constrain_hj) at the current class
 * shares: two strangers agree strongly on a name and a date of birth by chance at the
 * product q of the random-pair rates of those levels, so the comparison space of P pairs
 * holds about e = P q such pairs, SAME_DEPENDENCE times more for names that go with birth
 * years. A class of N pairs holds at most the Poisson upper limit of that count,
 * (e + 2 sqrt(e) + 3) / N of its pairs, never more than H_SAME_PERSON. In a file of
 * thousands, one namesake born the same day is not to be expected; without this, a class
 * of thousands of look-alikes took in a person's records at two homes as namesakes. */
static void same_person_caps(conflate_fit *fit, double total, int learned)
{
    conflate_model *md = &fit->md;
    md->hsame[0] = md->hsame[1] = H_SAME_PERSON;
    int dated = 0;
    double q = 1;
    for (int i = 0; i < md->nt; i++) {
        int f = md->t[i];
        dated |= md->k[f] == K_DATE;
        double s = 0;
        for (int l = 0; l < md->nlev[f]; l++)
            s += agrees_strongly(md->k[f], (unsigned)l) ? md->u[f][l] : 0;
        q *= s;
    }
    md->hsame_room = -1;
    if (!dated || md->nt < 2 || !(fit->possible > 0))
        return;
    double e = SAME_DEPENDENCE * fit->possible * q;
    md->hsame_e = e;
    /* Chance over the whole comparison space counts every pair a file holds, matches possible
       or not: a deduplicated national index of 20,000 (2 10^8 pairs, one record a person)
       against a local list of 150 gave e = 88, more strangers "agreeing on everything" than
       the 41 candidate pairs that do (35 of them one person's), and no exact name and date of
       birth linked (review 95 H1). Every such pair is a candidate (name and date block), so
       the strangers among them are at most those pairs less the matches among them; with
       the defaults in place (too few obvious matches to learn m and h) only: where EM learns
       them, the cap would follow its own estimate of the matches (a file of Vietnamese names,
       few and shared, then took 220 namesakes in as matches) */
    if (!learned && fit->n_full > 0) {
        /* the obvious matches among them (the seeds: the date exact) do not depend on this
           cap, as EM's share of matches would (review 96 H1: undated duplicates raised that
           share, the bound fell to 0 and namesakes born the same day were linked); never
           below chance with names independent of birth years */
        double room = fmax(fit->n_same - fit->n_same_seed, 0), e0 = fit->possible * q;
        if (room < e) {
            e = fmax(room, e0);
            md->hsame_room = e;
        }
    }
    /* the Poisson upper limit of the count of strangers agreeing so, for both related classes
       together: each holds its share of it (each held all of it, twice the limit in all) */
    double bound = e + 2 * sqrt(e) + 3;
    double n12 = (md->pi[1] + md->pi[2]) * total;
    for (int k = 0; k < 2; k++) {
        double nk = md->pi[1 + k] * total;
        if (nk > 0 && n12 > bound)
            md->hsame[k] = fmin(H_SAME_PERSON, bound / n12);
    }
    /* the same where the date is known to its year only and is the other's year: strangers
       of one name share a birth year at its random-pair rate (about one in eighty), far more
       often than a birthday, so this cap is looser; without it the look-alikes of a source of
       ages took in a person's records at two homes (names exact, the year) as namesakes */
    double qy = 1, uy = 0;
    for (int i = 0; i < md->nt; i++) {
        int f = md->t[i];
        if (md->k[f] == K_DATE) {
            uy = md->u[f][CONFLATE_DATE_YEAR_ONLY];
            continue;
        }
        double s = 0;
        for (int l = 0; l < md->nlev[f]; l++)
            s += agrees_strongly(md->k[f], (unsigned)l) ? md->u[f][l] : 0;
        qy *= s;
    }
    md->hyear[0] = md->hyear[1] = 0;
    if (!(uy > 0))
        return;
    double ey = SAME_DEPENDENCE * fit->possible * qy * uy, by = ey + 2 * sqrt(ey) + 3;
    for (int k = 0; k < 2; k++) {
        double nk = md->pi[1 + k] * total;
        if (nk > by)
            md->hyear[k] = by / nk;
    }
}

/* Whether U (strangers) may show level l of a triple field: the names' "swapped" level. */
static int u_may_show(kind k, int l) { return (k == K_FIRST || k == K_SUR) && l == 3; }

/* U: the triple fields never agree (those levels are 0, but a names' swap), renormalised. */
/* The most the "other" class may agree on a personal identifier, as a multiple of the random
 * pairs' rate (one person's PNC id or NI number is nobody else's: review 67, EM explained one
 * person under an alias as two strangers sharing a PNC id, "others" agreeing on it in 0.13 of
 * pairs, and no identifier evidence could link them). */
#define U_PERSONAL_X 4.0

static void constrain_u(const conflate_model *md, int f, double *u)
{
    if (md->personal >> f & 1) {
        kind k = md->k[f];
        double s = 0, capped = 0;
        for (int l = 0; l < md->nlev[f]; l++)
            if (agrees(k, (unsigned)l)) {
                double cap = U_PERSONAL_X * md->u[f][l] + 1e-9;
                if (u[l] > cap) {
                    capped += u[l] - cap;
                    u[l] = cap;
                }
            }
        if (capped > 0) { /* the mass taken goes to disagreement */
            for (int l = 0; l < md->nlev[f]; l++)
                s += agrees(k, (unsigned)l) ? 0 : u[l];
            for (int l = 0; l < md->nlev[f]; l++)
                if (!agrees(k, (unsigned)l))
                    u[l] = s > 0 ? u[l] + capped * u[l] / s : (l == 0 ? u[l] + capped : u[l]);
        }
    }
    if (!in_triple(md, f))
        return;
    /* a swap of first name and surname is not an agreement of the field with itself: two
       strangers show it by coincidence (Robert Jackson, Jason Roberts), at its own rate; with
       none, a swap could only be a match or a related pair, and a loose one outweighed a
       different date of birth by twenty bits */
    kind k = md->k[f];
    double s = 0;
    for (int l = 0; l < md->nlev[f]; l++) {
        if (agrees(k, (unsigned)l) && !u_may_show(k, l))
            u[l] = 0;
        s += u[l];
    }
    for (int l = 0; l < md->nlev[f]; l++)
        u[l] = s > 0 ? u[l] / s : (agrees(k, (unsigned)l) && !u_may_show(k, l) ? 0 : 1);
}

/* Whether level l of a triple field is a disagreement: not an agreement, and not a date known
 * to its year only of the other's year (what it knows agrees; it says nothing of the rest). */
static int disagrees(kind k, unsigned l)
{
    return !agrees(k, l) && !(k == K_DATE && (l == CONFLATE_DATE_YEAR_ONLY || l == CONFLATE_DATE_YEAR_NEAR));
}

/* Scales the disagreeing levels of triple field f (in m) to hold `mass` in all, the
 * others to hold the rest. */
static void set_disagree(const conflate_model *md, int f, double *m, double mass)
{
    double d = 0;
    for (int l = 0; l < md->nlev[f]; l++)
        d += disagrees(md->k[f], (unsigned)l) ? m[l] : 0;
    if (d <= 0 || d >= 1)
        return;
    for (int l = 0; l < md->nlev[f]; l++)
        m[l] *= disagrees(md->k[f], (unsigned)l) ? mass / d : (1 - mass) / (1 - d);
}

static double disagree_mass(const conflate_model *md, int f, const double *m)
{
    double d = 0;
    for (int l = 0; l < md->nlev[f]; l++)
        d += disagrees(md->k[f], (unsigned)l) ? m[l] : 0;
    return d;
}

/* M's triple: a match disagrees on a field of the triple in at most M_MAX_DISAGREE of
 * pairs, and on two of them together in at most M_MAX_BOTH_DISAGREE (errors in a record
 * are few; a pair that differs in first name and date of birth is siblings, not one person).
 * Without this, M can take in a household (other first names, birth years a year apart). */
#define YEAR_SLACK 1.15
static void constrain_m_triple(const conflate_model *md, double m[][MAX_LEVELS])
{
    for (int i = 0; i < md->nt; i++) {
        int f = md->t[i];
        /* a date known to its year only (an age, an estimate) on one side is what the levels
           "the year" and "a year next to it" need: matches show them in no more pairs than
           have such a side, about 1 - (1 - q)^2 of them for a share q of such records (with
           YEAR_SLACK for a person whose every record is estimated). EM let them take 0.81 of
           M where such a side was in 0.36 of pairs: the match class became people of one
           surname born in one year, and two whole, equal dates weighed little (review 136's
           Vietnamese shape, m of an exact date 0.086) */
        if (md->k[f] == K_DATE && md->yshare[f] > 0) {
            double q = md->yshare[f], cap = YEAR_SLACK * (md->ypairs[f] > 0 ? md->ypairs[f] : 1 - (1 - q) * (1 - q));
            double y = m[f][CONFLATE_DATE_YEAR_ONLY] + m[f][CONFLATE_DATE_YEAR_NEAR];
            if (cap < 0.95 && y > cap) {
                double rest = 1 - y;
                for (int l = 0; l < md->nlev[f]; l++) {
                    if (l == CONFLATE_DATE_YEAR_ONLY || l == CONFLATE_DATE_YEAR_NEAR)
                        m[f][l] *= cap / y;
                    else if (rest > 0)
                        m[f][l] *= (1 - cap) / rest;
                }
            }
        }
        if (disagree_mass(md, f, m[f]) > M_MAX_DISAGREE)
            set_disagree(md, f, m[f], M_MAX_DISAGREE);
        /* the "different" level (no likeness at all: not a typo, a nickname or a near date)
           at most what pairs known to be one person show (anchored_caps, movers_cap) */
        double cap = md->mdis[i] > 0 ? md->mdis[i] : 1;
        if (md->mdis_mv[i] > 0 && md->mdis_mv[i] < cap)
            cap = md->mdis_mv[i];
        int L = md->nlev[f];
        if (cap < 1 && m[f][0] > cap) {
            double rest = 1 - m[f][0];
            for (int l = 1; l < L && rest > 0; l++)
                m[f][l] *= (1 - cap) / rest;
            m[f][0] = cap;
        }
    }
    for (int pass = 0; pass < 3; pass++)
        for (int i = 0; i < md->nt; i++)
            for (int j = i + 1; j < md->nt; j++) {
                int a = md->t[i], b = md->t[j];
                double da = disagree_mass(md, a, m[a]), db = disagree_mass(md, b, m[b]);
                if (da * db <= M_MAX_BOTH_DISAGREE)
                    continue;
                double sc = sqrt(M_MAX_BOTH_DISAGREE / (da * db));
                set_disagree(md, a, m[a], da * sc);
                set_disagree(md, b, m[b], db * sc);
            }
}

/*
 * Anchored bounds on the triple's errors. EM can let the match class take in look-alikes
 * (namesakes) when the triple cannot tell them apart in most pairs (one input without dates
 * of birth): it then learns that matches often have another date of birth (m of "different"
 * 0.16 where no true match had one) and links namesakes born decades apart. How often a
 * field of the triple is "different" (no likeness at all) within one person can be read off
 * pairs that other evidence shows to be one person: pairs sharing two things strangers rarely
 * share, the home (address or postcode exact) and a personal contact (phone or e-mail exact),
 * or an identifier (exact), and agreeing on the rest of the triple (which leaves out most of a
 * household: a sibling or spouse has another first name, a parent another date of birth).
 * Within a match a record's errors do not depend on whether the other fields agree (the
 * independence the match class assumes anyway), so the share of those pairs "different" on
 * the field estimates its rate. The bound on m of "different" is that share's upper 97.5%
 * Wilson limit (the surname's never below its default), never above M_MAX_DISAGREE; with fewer than ANCHOR_MIN such pairs, no bound. It only lowers a ceiling:
 * EM still estimates m below it. (Doubled, the limit let twins and same-name parents through:
 * 0.947 and 0.932 on held-out shapes against 0.955 and 0.955 undoubled, the rest the same.)
 * ANCHOR_MIN was 50 until 2026-12-05: the Wilson limit already widens as the pairs are fewer
 * (20 pairs none different: 0.16, half the ceiling), and a dominant source without home
 * fields showed 45 and 35 such pairs, so no bound held and EM let matches take in namesakes
 * (held-out unbalanced3 0.921 / 0.913; 0.965 / 0.961 at 20, every other shape unchanged).
 */
#define ANCHOR_MIN 20.0
#define ANCHOR_Z 1.96

/* The upper 97.5% Wilson limit of d "different" of n, at most M_MAX_DISAGREE: the bounds
 * below; for the surname, at least its default m of "different".
 *
 * Until 2026-12-07 every field's bound was at least its default. The limit is already wide
 * where the pairs are few (20 pairs, none different: 0.16), and where they are many the
 * default overrode them: on a held-out shape with 15% twins, 3 of 1,595 anchored pairs had
 * another first name (limit 0.0055), the default 0.04 held instead, and a twin pair (surname,
 * date of birth, home and landline agreeing, first names Kevin and Nathan) weighed +3.0 and
 * linked. The surname keeps its default as a floor: its anchored pairs are those sharing a
 * personal contact or an identifier (marriage changes the home too), which are adults', and a
 * child known under the mother's and then the father's surname has no phone; without the floor
 * a children's-services shape (pre-birth records under the mother's surname, the named child
 * under the father's 40% of the time) fell 0.840 -> 0.794. Without the floor for the first
 * name and the date of birth: twins 0.948 -> 0.980 (seed 1; seeds 2, 3 alike), same-name
 * parents +0.001, Irish Traveller families +0.009, age-disputed children +0.006, that
 * children's shape -0.008 (the first name: "Baby", "Unborn" taken as missing, then the named
 * child's), every other held-out shape (45) and every test shape unchanged. */
static double wilson_cap(const conflate_fit *fit, int f, double d, double n)
{
    double ph = d / n, z2 = ANCHOR_Z * ANCHOR_Z;
    double ub = (ph + z2 / (2 * n) + ANCHOR_Z * sqrt(ph * (1 - ph) / n + z2 / (4 * n * n))) /
                (1 + z2 / n);
    if (fit->md.k[f] == K_SUR && ub < fit->m0[f][0])
        ub = fit->m0[f][0];
    return ub < M_MAX_DISAGREE ? ub : M_MAX_DISAGREE;
}

static void anchored_caps(conflate_fit *fit, const uint64_t *pat, const double *cnt, size_t n)
{
    conflate_model *md = &fit->md;
    double nn[3] = {0, 0, 0}, dd[3] = {0, 0, 0};
    for (size_t p = 0; p < n; p++) {
        int home = 0, contact = 0, ident = 0;
        for (int f = 0; f < md->nf; f++) {
            unsigned l = pat_level(pat[p], f);
            if (l == LEVEL_NULL || l != (unsigned)(md->nlev[f] - 1))
                continue;
            kind k = md->k[f];
            home |= k == K_ADDRESS || k == K_POSTCODE;
            contact |= k == K_PHONE || k == K_EMAIL;
            ident |= k == K_ID;
        }
        if (!ident && !contact)
            continue;
        for (int i = 0; i < md->nt; i++) {
            unsigned li = pat_level(pat[p], md->t[i]);
            if (li == LEVEL_NULL)
                continue;
            /* a surname changes with a marriage, and so does the home: pairs anchored by the
               home hold none of those changes, so the surname's are anchored by an identifier
               or a contact alone (review 59: the brides' pairs, other surname, same mobile,
               date of birth and first name, were capped out of M at 0.06 and left apart) */
            if (!ident && !home && md->k[md->t[i]] != K_SUR)
                continue;
            int rest = 1;
            for (int j = 0; j < md->nt && rest; j++)
                if (j != i)
                    rest = agrees(md->k[md->t[j]], pat_level(pat[p], md->t[j]));
            if (!rest)
                continue;
            nn[i] += cnt[p];
            dd[i] += li == 0 ? cnt[p] : 0;
        }
    }
    for (int i = 0; i < md->nt; i++) {
        md->anchor_n[i] = nn[i];
        md->anchor_d[i] = dd[i];
        md->mdis[i] = M_MAX_DISAGREE;
        if (nn[i] < ANCHOR_MIN)
            continue;
        md->mdis[i] = wilson_cap(fit, md->t[i], dd[i], nn[i]);
    }
}

/*
 * The movers' bound on the triple's errors. Within a match a record's errors do not depend on
 * whether the person moved, so M's pairs at two homes show the triple's error rates as well as
 * those at one home; related people who share a home (twins: other first names; a father and
 * his son of the same name: other dates of birth) are at one home only. When the household
 * class cannot hold them (its triple is the documented composition), EM puts them into M at
 * one home and learns their difference as a match's error (m of "first name different" 0.11
 * where 0.002 of true matches had one; "date of birth different" 0.23 where none had), and
 * links twins. So each field's m of "different" is at most what M's movers show: the upper
 * 97.5% Wilson limit of their share; with fewer than
 * ANCHOR_MIN movers (expected) showing the field, no bound.
 */
static void movers_cap(conflate_fit *fit, double mt[3][MAX_LEVELS])
{
    conflate_model *md = &fit->md;
    for (int i = 0; i < md->nt; i++) {
        int f = md->t[i];
        double n = 0, d = 0;
        for (int l = 0; l < md->nlev[f]; l++) {
            n += mt[i][l];
            d += l == 0 ? mt[i][l] : 0;
        }
        md->mover_n[i] = n;
        md->mover_d[i] = d;
        md->mdis_mv[i] = n >= ANCHOR_MIN && md->households && md->home ? wilson_cap(fit, f, d, n) : 0;
    }
}

/* The marginal tables of hj for every presence mask of the triple (bit i: field t[i] has a
 * value); hm[mask] indexed by the present fields' levels in triple order. */
static void hj_marginals(const conflate_model *md, const double *hj,
                         double hm[][CONFLATE_JOINT_MAX])
{
    int nc = triple_cells(md);
    for (unsigned mask = 0; mask < (1u << md->nt); mask++) {
        memset(hm[mask], 0, sizeof hm[mask]);
        for (int c = 0; c < nc; c++) {
            unsigned l[3];
            cell_levels(md, c, l);
            int idx = 0;
            for (int i = 0; i < md->nt; i++)
                if (mask & (1u << i))
                    idx = idx * md->tl[i] + (int)l[i];
            hm[mask][idx] += hj[c];
        }
    }
}

/* The marginals of hj per field into h (for display and the debug output). */
static void hj_field_marginals(conflate_model *md)
{
    int nc = triple_cells(md);
    for (int c = 0; c < 2; c++) {
        for (int i = 0; i < md->nt; i++)
            memset(md->h[c][md->t[i]], 0, sizeof md->h[c][0]);
        for (int x = 0; x < nc; x++) {
            unsigned l[3];
            cell_levels(md, x, l);
            for (int i = 0; i < md->nt; i++)
                md->h[c][md->t[i]][l[i]] += md->hj[c][x];
        }
    }
}

/* The home fields' table of a model (conflate_mlog.lhome): for every combination of their
 * levels, log2((1 - v) * prod m + v * prod mo) over the fields compared, v = mv for M and hv
 * for H1, and the share of the second term. */
static void home_table(const conflate_model *md, conflate_mlog *lg)
{
    lg->nhome = 0;
    for (int f = 0; f < md->nf && md->home; f++)
        if (md->home >> f & 1)
            lg->homef[lg->nhome++] = f;
    int n = 1;
    for (int i = 0; i < lg->nhome; i++)
        n *= HOME_BASE;
    for (int hx = 0; hx < n; hx++) {
        double ps = 1, po = 1;
        for (int i = lg->nhome - 1, x = hx; i >= 0; i--, x /= HOME_BASE) {
            int f = lg->homef[i], l = x % HOME_BASE;
            if (l == MAX_LEVELS)
                continue;
            if (l >= md->nlev[f]) { /* no such level: never looked up */
                ps = po = 0;
                break;
            }
            ps *= md->m[f][l];
            po *= md->mo[f][l];
        }
        for (int k = 0; k < 2; k++) {
            double v = k ? md->hv : md->mv, t = (1 - v) * ps + v * po;
            lg->lhome[k][hx] = t > 0 ? log2(t) : -INFINITY;
            lg->mvhome[k][hx] = t > 0 ? v * po / t : 0;
        }
    }
}

void conflate_model_logs(const conflate_model *md, conflate_mlog *lg)
{
    memset(lg, 0, sizeof *lg);
    for (int f = 0; f < md->nf; f++)
        for (int l = 0; l < md->nlev[f]; l++) {
            lg->lm[f][l] = log2(md->m[f][l]);
            lg->luc[f][l] = md->uc[f][l] > 0 ? log2(md->uc[f][l]) : -INFINITY;
            lg->lu[f][l] = md->u[f][l] > 0 ? log2(md->u[f][l]) : -INFINITY;
            for (int c = 0; c < 2; c++)
                lg->lh[c][f][l] = log2(md->h[c][f][l]);
        }
    double (*hm)[CONFLATE_JOINT_MAX] = conflate_xmalloc(8 * sizeof *hm);
    for (int c = 0; c < 2; c++) {
        hj_marginals(md, md->hj[c], hm);
        for (unsigned mask = 0; mask < (1u << md->nt); mask++)
            for (int x = 0; x < CONFLATE_JOINT_MAX; x++)
                lg->lhm[c][mask][x] = hm[mask][x] > 0 ? log2(hm[mask][x]) : -INFINITY;
    }
    free(hm);
    for (int k = 0; k < CONFLATE_NCLASS; k++)
        lg->lpi[k] = md->pi[k] > 0 ? log2(md->pi[k]) : -INFINITY;
    lg->lnm = md->pi[0] < 1 ? log2(1 - md->pi[0]) : -INFINITY;
    home_table(md, lg);
    lg->in_triple = 0;
    for (int i = 0; i < md->nt; i++)
        lg->in_triple |= 1u << md->t[i];
}

/* log2(2^a + 2^b) */
static double log2_add(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    return a > b ? a + conflate_log2_1p_exp2(b - a) : b + conflate_log2_1p_exp2(a - b);
}

/* The classes' log2-likelihoods of levels lv (LEVEL_NULL: missing), skipping the features
 * whose bit is set in skip; the triple cell's mask and index in *mask, *idx; in moved[0]
 * and moved[1] (when not NULL) the share of M's and of H1's likelihood that comes from a
 * pair at two homes (0 when no home field is compared). */
static void class_logs(const conflate_model *md, const conflate_mlog *lg, const unsigned *lv,
                       unsigned skip, double out[CONFLATE_NCLASS], unsigned *mask, int *idx,
                       double moved[2])
{
    double x = lg->lpi[0], y1 = lg->lpi[1], y2 = lg->lpi[2], z = lg->lpi[3];
    int sw = md->swf >= 0 && lv[md->swf] == 3 && lv[md->sws] == 3; /* names swapped: one event */
    for (int f = 0; f < md->nf; f++) {
        unsigned l = lv[f];
        if (l == LEVEL_NULL || (skip >> f & 1))
            continue;
        if (!(md->home >> f & 1))
            x += lg->lm[f][sw && f == md->sws ? 4 : l];
        z += lg->luc[f][l];
        if (!(lg->in_triple >> f & 1)) {
            if (!(md->home >> f & 1))
                y1 += lg->lh[0][f][l];
            y2 += lg->lh[1][f][l];
        }
    }
    unsigned mk = 0;
    int ix = 0;
    for (int i = 0; i < md->nt; i++) {
        unsigned l = lv[md->t[i]];
        if (l == LEVEL_NULL || (skip >> md->t[i] & 1))
            continue;
        mk |= 1u << i;
        ix = ix * md->tl[i] + (int)l;
    }
    if (lg->nhome) { /* the home fields: one table entry (a skipped field is missing) */
        int hx = 0;
        for (int i = 0; i < lg->nhome; i++) {
            int f = lg->homef[i];
            unsigned l = (skip >> f & 1) ? LEVEL_NULL : lv[f];
            hx = hx * HOME_BASE + (l == LEVEL_NULL ? MAX_LEVELS : (int)l);
        }
        x += lg->lhome[0][hx];
        y1 += lg->lhome[1][hx];
        if (moved) {
            moved[0] = lg->mvhome[0][hx];
            moved[1] = lg->mvhome[1][hx];
        }
    } else if (moved) {
        moved[0] = moved[1] = 0;
    }
    out[0] = x;
    out[1] = y1 + lg->lhm[0][mk][ix];
    out[2] = y2 + lg->lhm[1][mk][ix];
    out[3] = z;
    if (mask)
        *mask = mk;
    if (idx)
        *idx = ix;
}

/* The level a match's field counts at: for a swap of first name and surname (both fields at
 * the "swapped" level) the surname counts as exact, the first name carrying the swap, so the
 * one event is not counted twice. */
static inline unsigned m_level(const conflate_model *md, const unsigned *lv, int f)
{
    return f == md->sws && md->swf >= 0 && lv[md->swf] == 3 && lv[md->sws] == 3 ? 4 : lv[f];
}


/*
 * The floor of the non-match classes' likelihood of levels lv: the share of non-matches times
 * the pattern's rate among random pairs (the product of the u's of its fields, skip's aside).
 * The classes are fitted to candidate pairs and hold what EM put in them: a household's or a
 * look-alike's joint cells of the triple, strangers who disagree on all of it. A stranger who
 * agrees on part of it by chance (a similar first name, the year of birth, the surname
 * different) fell in a cell none of them filled, so the non-match likelihood of the pattern was
 * far below its chance rate and the mixture counted as evidence FOR a match (review 119: +9.6
 * bits, 107 false links of one shape, all with that term positive). Among all pairs, the u's
 * are by definition the pattern's rate, so the non-matches together show it at least so often.
 */
static double random_log(const conflate_model *md, const conflate_mlog *lg, const unsigned *lv,
                         unsigned skip)
{
    double r = lg->lnm;
    for (int f = 0; f < md->nf; f++)
        if (lv[f] != LEVEL_NULL && !(skip >> f & 1))
            r += lg->lu[f][lv[f]];
    return r;
}

/* The match weight from the classes' log-likelihoods c, the random-pair floor r (random_log)
   and the term-frequency term tf. */
static double weight_from_logs(const double *c, double r, double tf)
{
    /* a coincidental agreement (look-alikes, strangers) is as likely as the value is common;
     * a match's or a household's is not: the term frequency scales those two classes, and
     * the floor, whose agreements are all coincidences */
    double nm = log2_add(log2_add(c[1], c[2] - tf), c[3] - tf);
    if (r - tf > nm)
        nm = r - tf;
    double w = c[0] - nm;
    return w < -1000 ? -1000 : w > 1000 ? 1000 : w;
}

double conflate_model_weight(const conflate_model *md, const conflate_mlog *lg,
                             const unsigned *lv, double tf, unsigned skip)
{
    double c[CONFLATE_NCLASS];
    class_logs(md, lg, lv, skip, c, NULL, NULL, NULL);
    return weight_from_logs(c, random_log(md, lg, lv, skip), tf);
}

/* One E-step chunk's sums: expected counts per class and level, the related classes'
 * joint cells, the class totals and the log-likelihood. */
typedef struct em_acc {
    double M[CONFLATE_MAX_FEATURES][MAX_LEVELS], H[2][CONFLATE_MAX_FEATURES][MAX_LEVELS],
        U[CONFLATE_MAX_FEATURES][MAX_LEVELS];
    double MO[CONFLATE_MAX_FEATURES][MAX_LEVELS], mvn, mvd, hvn, hvd; /* two homes */
    double MT[3][MAX_LEVELS]; /* M's pairs at two homes: the triple's levels (movers_cap) */
    double HJ[2][8][CONFLATE_JOINT_MAX]; /* per presence mask of the triple, marginal cell */
    double s[CONFLATE_NCLASS], ll;
} em_acc;

typedef struct em_ctx {
    const conflate_model *md;
    const unsigned char *lv; /* n * nf levels, unpacked */
    const double *cnt;
    conflate_mlog lg;
    double hm[2][8][CONFLATE_JOINT_MAX];
    em_acc *acc; /* per chunk */
} em_ctx;

#define EM_CHUNK 2048

/* Whether a pair whose triple fields present are those of mask can be told from a
 * look-alike by the triple: with a date in the triple, the date and a name; otherwise the
 * whole triple. */
static int triple_identifies(const conflate_model *md, unsigned mask)
{
    int dated = -1, names = 0;
    for (int i = 0; i < md->nt; i++)
        if (md->k[md->t[i]] == K_DATE)
            dated = i;
        else
            names += (int)(mask >> i & 1);
    if (dated < 0)
        return mask == (1u << md->nt) - 1;
    return (mask >> dated & 1) && names >= 1;
}

static void em_range(void *ctx, int tid, size_t b, size_t e)
{
    em_ctx *c = ctx;
    (void)tid;
    const conflate_model *md = c->md;
    int nf = md->nf;
    em_acc *acc = &c->acc[b / EM_CHUNK];
    memset(acc, 0, sizeof *acc);
    unsigned lv[CONFLATE_MAX_FEATURES];
    for (size_t p = b; p < e; p++) {
        const unsigned char *pl = c->lv + p * (size_t)nf;
        for (int f = 0; f < nf; f++)
            lv[f] = pl[f];
        double cl[CONFLATE_NCLASS], post[CONFLATE_NCLASS];
        unsigned mask;
        int idx;
        double moved[2];
        class_logs(md, &c->lg, lv, 0, cl, &mask, &idx, moved);
        double mx = fmax(fmax(cl[0], cl[1]), fmax(cl[2], cl[3])), t = 0;
        for (int k = 0; k < CONFLATE_NCLASS; k++)
            t += post[k] = exp2(cl[k] - mx);
        double w = c->cnt[p];
        for (int k = 0; k < CONFLATE_NCLASS; k++) {
            post[k] *= w / t;
            acc->s[k] += post[k];
        }
        acc->ll += w * (mx + log2(t));
        /* with m_complete, a pair missing part of the triple teaches M nothing */
        double pm = md->m_complete && !triple_identifies(md, mask) ? 0 : post[0];
        int anyhome = 0;
        for (int f = 0; f < nf; f++) {
            unsigned l = lv[f];
            if (l == LEVEL_NULL)
                continue;
            if (md->home >> f & 1) { /* one home or two: M's and H1's pairs alike */
                anyhome = 1;
                acc->M[f][l] += pm * (1 - moved[0]) + post[1] * (1 - moved[1]);
                acc->MO[f][l] += pm * moved[0] + post[1] * moved[1];
            } else {
                acc->M[f][m_level(md, lv, f)] += pm;
            }
            acc->H[0][f][l] += post[1]; /* used for fields outside the triple only */
            acc->H[1][f][l] += post[2];
            acc->U[f][l] += post[3];
        }
        if (anyhome && md->households)
            for (int i = 0; i < md->nt; i++)
                if (lv[md->t[i]] != LEVEL_NULL)
                    acc->MT[i][lv[md->t[i]]] += pm * moved[0];
        if (anyhome) {
            acc->mvn += pm * moved[0];
            acc->mvd += pm;
            acc->hvn += post[1] * moved[1];
            acc->hvd += post[1];
        }
        if (md->nt)
            for (int k = 0; k < 2; k++)
                acc->HJ[k][mask][idx] += post[1 + k];
    }
}

/* One EM step from md: the E-step at md (its log-likelihood in *ll), then md replaced by the
 * M-step's estimate under the priors and bounds above; m is held when fix_m, h (and the joint
 * tables) when fix_h. The E-step runs on `threads` threads over fixed chunks summed in order,
 * so the result is the same for any thread count. */
static void em_step(conflate_fit *fit, em_ctx *c, size_t n, int fix_m, int fix_h, double *ll)
{
    conflate_model *md = &fit->md;
    int nf = md->nf, nc = triple_cells(md);
    size_t nchunks = (n + EM_CHUNK - 1) / EM_CHUNK;
    conflate_model_logs(md, &c->lg);
    for (int k = 0; k < 2; k++)
        hj_marginals(md, md->hj[k], c->hm[k]);
    conflate_par(fit->threads, n, EM_CHUNK, em_range, c);
    em_acc *A = &c->acc[0];
    for (size_t q = 1; q < nchunks; q++) { /* in chunk order: the same sums on any threads */
        const em_acc *B = &c->acc[q];
        for (int f = 0; f < nf; f++)
            for (int l = 0; l < md->nlev[f]; l++) {
                A->M[f][l] += B->M[f][l];
                A->H[0][f][l] += B->H[0][f][l];
                A->H[1][f][l] += B->H[1][f][l];
                A->U[f][l] += B->U[f][l];
                A->MO[f][l] += B->MO[f][l];
            }
        for (int i = 0; i < 3; i++)
            for (int l = 0; l < MAX_LEVELS; l++)
                A->MT[i][l] += B->MT[i][l];
        A->mvn += B->mvn;
        A->mvd += B->mvd;
        A->hvn += B->hvn;
        A->hvd += B->hvd;
        for (int k = 0; k < 2; k++)
            for (unsigned mk = 0; mk < (1u << md->nt); mk++)
                for (int i = 0; i < nc; i++)
                    A->HJ[k][mk][i] += B->HJ[k][mk][i];
        for (int k = 0; k < CONFLATE_NCLASS; k++)
            A->s[k] += B->s[k];
        A->ll += B->ll;
    }
    double tot = 0;
    for (int k = 0; k < CONFLATE_NCLASS; k++)
        tot += A->s[k];
    for (int k = 0; k < CONFLATE_NCLASS; k++)
        md->pi[k] = (A->s[k] + 1e-3) / (tot + 4e-3);
    if (!md->households) {
        md->pi[1] = 0;
        double r = md->pi[0] + md->pi[2] + md->pi[3];
        for (int k = 0; k < CONFLATE_NCLASS; k++)
            md->pi[k] /= r;
    }
    /* With too few obvious matches to learn m, the share of matches is at least theirs: EM
       with m fixed could drive it to nothing when a small file of strangers holds one match
       among a thousand pairs and the look-alikes a fifth of them (review 50: two records of
       one name and birthday, nothing else, p 0.02 in a file of 52). */
    if (fit->fallback == CONFLATE_FIT_FEW_PAIRS && fit->seed_pairs > 0 && tot > 0) {
        double fl = fit->seed_pairs / (tot + fit->seed_pairs);
        if (md->pi[0] < fl) {
            double rest = 1 - md->pi[0];
            for (int k = 1; k < CONFLATE_NCLASS; k++)
                md->pi[k] = rest > 0 ? md->pi[k] * (1 - fl) / rest : 0;
            md->pi[0] = fl;
        }
    }
    same_person_caps(fit, tot, !(fix_m && fix_h));
    if (md->nt) /* the tables not learned: their priors under this step's caps */
        for (int k = 0; k < 2; k++)
            if (k == 0 || fix_h) {
                memcpy(md->hj[k], fit->hj0[k], sizeof md->hj[k]);
                constrain_hj(md, k, md->hj[k]);
            }
    if (!fix_m && md->home)
        md->mv = home_share(A->mvn, A->mvd, MV0, KAPPA_M);
    if (!fix_m)
        movers_cap(fit, A->MT);
    if (!fix_h && md->home && md->households)
        md->hv = home_share(A->hvn, A->hvd, HV0, KAPPA_H);
    for (int f = 0; f < nf; f++) {
        int L = md->nlev[f];
        if (!fix_m) {
            post_mode(A->M[f], fit->m0[f], KAPPA_M, L, -1, md->m[f]);
            constrain_m(md, f, md->m[f]);
            if (f == nf - 1)
                constrain_m_triple(md, md->m);
            if (md->home >> f & 1) {
                post_mode(A->MO[f], fit->mo0[f], KAPPA_M, L, -1, md->mo[f]);
                constrain_mo(md, f, md->mo[f]);
            }
        }
        post_mode(A->U[f], md->u[f], KAPPA_U, L, -1, md->uc[f]);
        constrain_u(md, f, md->uc[f]);
        if (fix_h || in_triple(md, f))
            continue;
        for (int k = 0; k < 2; k++) {
            if (k == 1 && lookalike_fixed(md->k[f]))
                continue; /* held at its prior, the random-pair rates */
            if (k == 0 && (md->home >> f & 1))
                continue; /* a household's home fields: m and mo, at share hv */
            post_mode(A->H[k][f], fit->h0[k][f], KAPPA_H, L, -1, md->h[k][f]);
            constrain_h(md, f, md->h[k][f]);
        }
    }
    if (md->nt && !fix_h)
        for (int k = 1; k < 2; k++) { /* H2 only: H1's triple is the documented one */
            /* the expected cells: a pattern with a triple field missing is shared out over
             * the cells that agree with it, in proportion to the current table */
            double cells[CONFLATE_JOINT_MAX] = {0}, th = 0;
            unsigned full = (1u << md->nt) - 1;
            for (int x = 0; x < nc; x++) {
                unsigned l[3];
                cell_levels(md, x, l);
                for (unsigned mk = 0; mk <= full; mk++) {
                    int ix = 0;
                    for (int i = 0; i < md->nt; i++)
                        if (mk & (1u << i))
                            ix = ix * md->tl[i] + (int)l[i];
                    double cnt_m = A->HJ[k][mk][ix], mg = c->hm[k][mk][ix];
                    if (cnt_m > 0 && mg > 0)
                        cells[x] += cnt_m * md->hj[k][x] / mg;
                }
                th += cells[x];
            }
            post_mode(cells, fit->hj0[k], KAPPA_H, nc, th, md->hj[k]);
            constrain_hj(md, k, md->hj[k]);
        }
    *ll = A->ll;
}

/* The parameters that EM moves, as spans of doubles (SQUAREM extrapolates over them). */
typedef struct em_span {
    double *p;
    size_t n;
} em_span;

static int em_spans(conflate_model *md, em_span sp[8])
{
#define EM_SPAN(i, a) (sp[i].p = (double *)(a), sp[i].n = sizeof(a) / sizeof(double))
    EM_SPAN(0, md->m);
    EM_SPAN(1, md->uc);
    EM_SPAN(2, md->mo);
    EM_SPAN(3, md->h);
    EM_SPAN(4, md->hj);
    EM_SPAN(5, md->pi);
    sp[6].p = &md->mv, sp[6].n = 1;
    sp[7].p = &md->hv, sp[7].n = 1;
#undef EM_SPAN
    return 8;
}

/* md = the SQUAREM point of t0, t1 = F(t0), t2 = F(t1) at step length alpha (<= -1):
 * t0 - 2 alpha r + alpha^2 v, r = t1 - t0, v = t2 - 2 t1 + t0, an affine combination, so every
 * table still sums to 1. Returns 0 when the point leaves the parameter space (a rate below 0,
 * or 0 where t2 has one above it, or above 1; a home share outside its bounds). */
static int em_extrapolate(conflate_model *md, conflate_model *t0, conflate_model *t1,
                          conflate_model *t2, double alpha)
{
    em_span s[8], s0[8], s1[8], s2[8];
    int ns = em_spans(md, s);
    em_spans(t0, s0);
    em_spans(t1, s1);
    em_spans(t2, s2);
    for (int i = 0; i < ns; i++)
        for (size_t j = 0; j < s[i].n; j++) {
            double a = s0[i].p[j], b = s1[i].p[j], d = s2[i].p[j];
            double x = a == b && b == d ? d : a - 2 * alpha * (b - a) + alpha * alpha * (d - 2 * b + a);
            if (!(x >= 0 && x <= 1) || (x == 0 && d > 0))
                return 0;
            s[i].p[j] = x;
        }
    if (md->home && (md->mv < MV_MIN || md->mv > MV_MAX ||
                     (md->households && (md->hv < MV_MIN || md->hv > MV_MAX))))
        return 0;
    return 1;
}

/* The distance |a - b| between two models over the parameters EM moves. */
static double em_residual(conflate_model *a, conflate_model *b)
{
    em_span sa[8], sb[8];
    int ns = em_spans(a, sa);
    em_spans(b, sb);
    double d = 0;
    for (int i = 0; i < ns; i++)
        for (size_t j = 0; j < sa[i].n; j++) {
            double x = sa[i].p[j] - sb[i].p[j];
            d += x * x;
        }
    return sqrt(d);
}

/* The SQUAREM step length (Varadhan and Roland 2008, scheme S3): -|r| / |v|. */
static double em_alpha(conflate_model *t0, conflate_model *t1, conflate_model *t2)
{
    em_span s0[8], s1[8], s2[8];
    int ns = em_spans(t0, s0);
    em_spans(t1, s1);
    em_spans(t2, s2);
    double rr = 0, vv = 0;
    for (int i = 0; i < ns; i++)
        for (size_t j = 0; j < s0[i].n; j++) {
            double r = s1[i].p[j] - s0[i].p[j], v = s2[i].p[j] - 2 * s1[i].p[j] + s0[i].p[j];
            rr += r * r;
            vv += v * v;
        }
    return vv > 0 ? -sqrt(rr / vv) : -1;
}

/* Whether two successive log-likelihoods say EM has converged: a change of less than 1e-9 of
 * itself, either way (the bounded M-step is a projection, so the likelihood need not rise
 * monotonically). */
static int em_converged(double ll, double last)
{
    return fabs(ll - last) <= 1e-9 * fabs(ll);
}

/*
 * EM over the pattern histogram (em_step), accelerated by SQUAREM (Varadhan and Roland,
 * "Simple and globally convergent methods for accelerating the convergence of any EM
 * algorithm", Scand. J. Statistics 35, 2008): two EM steps t1 = F(t0), t2 = F(t1) give the
 * direction of the slow tail; the point t0 - 2 alpha r + alpha^2 v is taken (alpha in
 * [-step_max, -1], halved towards -1 while it leaves the parameter space), then one EM step
 * from it, which also applies every bound again. If that step moves the model further than
 * the plain step t1 -> t2 did (the fixed-point residual |F(x) - x|, the safeguard of
 * residual-based SQUAREM), t2 is kept instead and the largest step shrinks. Not the
 * likelihood: the bounds make the M-step a projection, under which the likelihood may fall
 * from step to step near the fixed point, and a likelihood test then refused nearly every
 * extrapolation (113 E-steps at 1,000,000 records; 42 with the residual, the same estimate to
 * the sixth digit). The fixed point is EM's own, so the estimate is the one EM alone reaches.
 * Stops when two successive E-steps' log-likelihoods differ by less than 1e-9 of themselves,
 * or after max_iter E-steps. Returns the E-steps run.
 */
static int em_fit(conflate_fit *fit, const uint64_t *pat, const double *cnt, size_t n,
                  int fix_m, int fix_h, int max_iter)
{
    conflate_model *md = &fit->md;
    int nf = md->nf, it = 0;
    if (n == 0)
        return 0;
    em_ctx *c = conflate_xcalloc(1, sizeof *c);
    unsigned char *lv = conflate_xmalloc(n * (size_t)nf + 1);
    for (size_t p = 0; p < n; p++)
        for (int f = 0; f < nf; f++)
            lv[p * (size_t)nf + (size_t)f] = (unsigned char)pat_level(pat[p], f);
    size_t nchunks = (n + EM_CHUNK - 1) / EM_CHUNK;
    c->md = md;
    c->lv = lv;
    c->cnt = cnt;
    c->acc = conflate_xmalloc(nchunks * sizeof *c->acc);
    conflate_model *t = conflate_xmalloc(3 * sizeof *t);
    double last_ll = 0, step_max = 1;
    for (;;) {
        double ll0, ll1, llp;
        t[0] = *md;
        em_step(fit, c, n, fix_m, fix_h, &ll0);
        if ((++it > 1 && em_converged(ll0, last_ll)) || it >= max_iter)
            break;
        last_ll = ll0;
        t[1] = *md;
        em_step(fit, c, n, fix_m, fix_h, &ll1);
        if (em_converged(ll1, last_ll) || ++it >= max_iter)
            break;
        last_ll = ll1;
        t[2] = *md;
        double raw = em_alpha(&t[0], &t[1], &t[2]);
        double alpha = raw > -1 ? -1 : raw < -step_max ? -step_max : raw;
        int capped = raw < -step_max;
        while (alpha < -1 && !em_extrapolate(md, &t[0], &t[1], &t[2], alpha)) {
            alpha = alpha > -1.01 ? -1 : (alpha - 1) / 2;
            capped = 0;
        }
        if (alpha >= -1) {
            *md = t[2]; /* the plain EM step */
            if (capped)
                step_max *= 4;
            continue;
        }
        conflate_model xp = *md;
        em_step(fit, c, n, fix_m, fix_h, &llp);
        ++it;
        /* judged by the fixed-point residual |F(x) - x|, not the likelihood: the bounds make
           the M-step a projection, under which the likelihood may fall from step to step */
        if (em_residual(md, &xp) > em_residual(&t[2], &t[1])) { /* worse: keep t2 */
            *md = t[2];
            step_max = step_max / 4 < 1 ? 1 : step_max / 4;
        } else {
            if (capped)
                step_max *= 4;
            if (em_converged(llp, last_ll))
                break;
            last_ll = llp;
        }
        if (it >= max_iter)
            break;
    }
    hj_field_marginals(md);
    free(t);
    free(c->acc);
    free(c);
    free(lv);
    return it;
}

/* Whether a pattern shares a home: the address close or exact, or the postcode exact or of
 * one sector. */
static int shares_home(const conflate_model *md, uint64_t pat)
{
    for (int f = 0; f < md->nf; f++) {
        unsigned l = pat_level(pat, f);
        if (l != LEVEL_NULL && (md->k[f] == K_ADDRESS || md->k[f] == K_POSTCODE) && l >= 2)
            return 1;
    }
    return 0;
}

/*
 * The start: when the triple has a date and a name, the split given by an obvious rule
 * (every field of the triple agreeing, the date exactly) gives m (with the prior); the other
 * candidates that agree on part of the triple give H1 (those sharing a home) and H2, those
 * that agree on none give U. The rule decides nothing itself. Without it, the defaults.
 * Returns the pairs the rule picked (-1 when it does not apply).
 */
static double fit_start(conflate_fit *fit, const uint64_t *pat, const double *cnt, size_t n)
{
    conflate_model *md = &fit->md;
    int nf = md->nf, nc = triple_cells(md), dated = -1;
    for (int i = 0; i < md->nt; i++)
        if (md->k[md->t[i]] == K_DATE)
            dated = md->t[i];
    int seeded = dated >= 0 && md->nt >= 2;
    double (*C)[CONFLATE_MAX_FEATURES][MAX_LEVELS] = conflate_xcalloc(CONFLATE_NCLASS, sizeof *C);
    double (*HJ)[CONFLATE_JOINT_MAX] = conflate_xcalloc(2, sizeof *HJ);
    double s[CONFLATE_NCLASS] = {0, 0, 0, 0};
    for (size_t p = 0; p < n; p++) {
        int all = md->nt > 0, some = 0, full = 1, idx = 0, present = 0;
        for (int i = 0; i < md->nt; i++) {
            unsigned l = pat_level(pat[p], md->t[i]);
            int a = agrees(md->k[md->t[i]], l);
            all &= a || l == LEVEL_NULL; /* a missing value says nothing */
            some |= a;
            full &= l != LEVEL_NULL;
            present += l != LEVEL_NULL;
            idx = idx * md->tl[i] + (int)(l == LEVEL_NULL ? 0 : l);
        }
        all &= present >= 2;
        int seed = seeded && all &&
                   pat_level(pat[p], dated) == (unsigned)(md->nlev[dated] - 1);
        if (seeded && full) { /* for same_person_caps */
            int st = 1;
            for (int i = 0; i < md->nt; i++)
                st &= agrees_strongly(md->k[md->t[i]], pat_level(pat[p], md->t[i]));
            fit->n_full += cnt[p];
            fit->n_same += st ? cnt[p] : 0;
            fit->n_same_seed += st && seed ? cnt[p] : 0;
        }
        int cls = seed ? 0 : !some ? 3 : md->households && shares_home(md, pat[p]) ? 1 : 2;
        s[cls] += cnt[p];
        for (int f = 0; f < nf; f++) {
            unsigned l = pat_level(pat[p], f);
            if (l != LEVEL_NULL)
                C[cls][f][l] += cnt[p];
        }
        if ((cls == 1 || cls == 2) && full)
            HJ[cls - 1][idx] += cnt[p];
    }
    for (int f = 0; f < nf; f++) {
        int L = md->nlev[f];
        post_mode(C[0][f], fit->m0[f], KAPPA_M, L, -1, md->m[f]);
        post_mode(C[3][f], md->u[f], KAPPA_U, L, -1, md->uc[f]);
        for (int k = 0; k < 2; k++)
            if (k == 0 || !lookalike_fixed(md->k[f]) || in_triple(md, f))
                post_mode(C[1 + k][f], fit->h0[k][f], KAPPA_H, L, -1, md->h[k][f]);
            else
                memcpy(md->h[k][f], fit->h0[k][f], (size_t)L * sizeof *md->h[k][f]);
        constrain_m(md, f, md->m[f]);
        constrain_h(md, f, md->h[0][f]);
        constrain_h(md, f, md->h[1][f]);
        constrain_u(md, f, md->uc[f]);
    }
    constrain_m_triple(md, md->m);
    if (md->nt) {
        for (int k = 0; k < 2; k++) {
            post_mode(HJ[k], fit->hj0[k], KAPPA_H, nc, -1, md->hj[k]);
            if (k == 0) /* households: the documented composition, not learned */
                memcpy(md->hj[0], fit->hj0[0], sizeof md->hj[0]);
            constrain_hj(md, k, md->hj[k]);
        }
        hj_field_marginals(md);
    }
    free(C);
    free(HJ);
    double tot = s[0] + s[1] + s[2] + s[3];
    if (seeded && tot > 0) {
        for (int k = 0; k < CONFLATE_NCLASS; k++)
            md->pi[k] = (s[k] + 0.5) / (tot + 2);
    } else {
        md->pi[0] = 0.1;
        md->pi[1] = md->pi[2] = md->pi[3] = 0.3;
    }
    if (!md->households) {
        md->pi[2] += md->pi[1];
        md->pi[1] = 0;
    }
    fit->seed_lambda = md->pi[0];
    return seeded ? s[0] : -1;
}

/* The field whose model fails the identity check (an exact agreement is evidence for a
 * match against random pairs, stronger than a disagreement), or -1. Partial levels may
 * outweigh the exact one: a nickname or a swap is rarer among strangers than an exact
 * common name. */
static int identity_check(const conflate_model *md, double *bad_w)
{
    for (int f = 0; f < md->nf; f++) {
        if (!conflate_kind_identity(md->k[f]))
            continue;
        int ex = md->nlev[f] - 1;
        /* a field on which most pairs of strangers agree (a middle name nearly everyone
           holds: Kumar, Van) says little either way, and m near u is no collapse: the clamp
           after the fit keeps its exact agreement from counting against. Checked, it threw
           away every field's learned rates (review 73's Indian shape: u 0.87, F1 -0.035). */
        if (md->u[f][ex] >= 0.5)
            continue;
        double we = log2(md->m[f][ex] / md->u[f][ex]);
        if (we <= 0 || we <= log2(md->m[f][0] / md->u[f][0])) {
            *bad_w = we;
            return f;
        }
    }
    return -1;
}

/* The first feature of kind k among those in the set `present`, or -1. */
static int kind_index_in(const conflate_model *md, kind k, unsigned present)
{
    for (int f = 0; f < md->nf; f++)
        if (md->k[f] == k && (present >> f & 1))
            return f;
    return -1;
}

void conflate_fit_hist(conflate_fit *fit, const uint64_t *pat, const double *cnt, size_t n)
{
    conflate_model *md = &fit->md;
    /* A field compared in no candidate pair (a mapped column empty in every record, or filled
       in one input only) says nothing: it is left out of the triple, the homes and the swap,
       as if it were not mapped. Kept in, an empty date of birth made the triple's obvious
       rule (an exact date) pick no pair, and the model fell back to its defaults. */
    unsigned present = 0;
    for (size_t p = 0; p < n && present != (1u << md->nf) - 1; p++)
        for (int f = 0; f < md->nf; f++)
            if (cnt[p] > 0 && pat_level(pat[p], f) != LEVEL_NULL)
                present |= 1u << f;
    md->households = 0;
    md->home = 0;
    for (int f = 0; f < md->nf; f++)
        if (kind_home(md->k[f]) && (present >> f & 1))
            md->home |= 1u << f;
    if (!(md->home & (md->home - 1)))
        md->home = 0; /* fewer than two home fields: nothing moves together */
    md->mv = md->home ? MV0 : 0;
    md->hv = md->home ? HV0 : 0;
    for (int f = 0; f < md->nf; f++) {
        conflate_default_m(md->k[f], fit->m0[f]);
        if (md->k[f] == K_DATE)
            year_only_defaults(md->yshare[f], fit->m0[f]);
        if (kind_home(md->k[f])) {
            /* another home: a stranger's rates, half the moves within the town; a home
             * field alone: the mixture's marginal */
            memcpy(md->mo[f], md->u[f], sizeof md->mo[f]);
            if (md->k[f] == K_TOWN) {
                int ex = md->nlev[f] - 1;
                for (int l = 0; l < md->nlev[f]; l++)
                    md->mo[f][l] = 0.5 * md->mo[f][l] + (l == ex ? 0.5 : 0);
            }
            constrain_mo(md, f, md->mo[f]);
            memcpy(fit->mo0[f], md->mo[f], sizeof md->mo[f]);
            if (!(md->home >> f & 1))
                for (int l = 0; l < md->nlev[f]; l++)
                    fit->m0[f][l] = (1 - MV0) * fit->m0[f][l] + MV0 * md->mo[f][l];
        }
        for (int c = 0; c < 2; c++)
            default_h(c, md->k[f], c == 1 && (md->has_un >> f & 1) ? md->un[f] : md->u[f],
                      fit->h0[c][f]);
        if (md->k[f] == K_DATE && md->yshare[f] > 0) {
            /* households' dates known to the year (an age, an estimate): siblings and the
               children of one home are born a few years apart, so "a year next to it" and "the
               year" are common among them where such dates are (review 115's care homes: ages
               one to three years apart linked the children of one home) */
            double q = md->yshare[f], s = 1 - (1 - q) * (1 - q), *h = fit->h0[0][f];
            for (int l = 0; l < conflate_kind_levels(K_DATE); l++)
                h[l] *= 1 - 0.45 * s;
            h[CONFLATE_DATE_YEAR_NEAR] += 0.30 * s;
            h[CONFLATE_DATE_YEAR_ONLY] += 0.15 * s;
        }
        md->households |= (md->k[f] == K_ADDRESS || md->k[f] == K_POSTCODE) && (present >> f & 1);
    }
    md->swf = kind_index_in(md, K_FIRST, present);
    md->sws = kind_index_in(md, K_SUR, present);
    if (md->swf < 0 || md->sws < 0)
        md->swf = md->sws = -1;
    /* the identity triple: first name (or full name), surname, date of birth */
    int tf = kind_index_in(md, K_FIRST, present) >= 0 ? kind_index_in(md, K_FIRST, present)
                                                     : kind_index_in(md, K_FULL, present);
    int ts[3] = {tf, kind_index_in(md, K_SUR, present), kind_index_in(md, K_DATE, present)};
    md->nt = 0;
    for (int i = 0; i < 3; i++)
        if (ts[i] >= 0) {
            md->t[md->nt] = ts[i];
            md->tl[md->nt] = md->nlev[ts[i]];
            md->nt++;
        }
    if (md->nt) {
        int nc = triple_cells(md);
        for (int k = 0; k < 2; k++) {
            for (int c = 0; c < nc; c++) {
                unsigned l[3];
                cell_levels(md, c, l);
                fit->hj0[k][c] = 1;
                for (int i = 0; i < md->nt; i++)
                    fit->hj0[k][c] *= fit->h0[k][md->t[i]][l[i]];
            }
            constrain_hj(md, k, fit->hj0[k]);
        }
    }
    double total = 0;
    for (size_t p = 0; p < n; p++)
        total += cnt[p];
    anchored_caps(fit, pat, cnt, n);
    fit->seed_pairs = fit_start(fit, pat, cnt, n);
    fit->fallback = CONFLATE_FIT_OK;
    fit->bad_feature = -1;
    int few = fit->seed_pairs >= 0 ? fit->seed_pairs < MIN_SEED_PAIRS : total < MIN_PAIRS_NO_SEED;
    if (few) {
        /* too little to estimate m and h: the defaults, and EM finds the shares and U */
        for (int f = 0; f < md->nf; f++) {
            memcpy(md->m[f], fit->m0[f], sizeof md->m[f]);
            for (int k = 0; k < 2; k++)
                memcpy(md->h[k][f], fit->h0[k][f], sizeof md->h[k][f]);
        }
        memcpy(md->hj, fit->hj0, sizeof md->hj);
        fit->fallback = CONFLATE_FIT_FEW_PAIRS;
    }
    /* A pair missing part of the triple cannot be told from a look-alike by it, so what M
     * learns from such pairs is what M was assumed to be: with most dates of birth missing in
     * one input, namesakes taken into M taught it that matches mostly live elsewhere (mv 0.55
     * where 0.25 of the true matches did), which took in more namesakes. With enough obvious
     * matches whose whole triple is compared, M's rates are learned from pairs with the whole
     * triple only (missing at random, they are the same rates); the shares of the classes and
     * the other classes still learn from every pair. */
    double complete = 0;
    if (!few && md->nt >= 2) {
        for (size_t p = 0; p < n; p++) {
            unsigned mk = 0;
            int all = 1, exact_date = 1;
            for (int i = 0; i < md->nt; i++) {
                unsigned l = pat_level(pat[p], md->t[i]);
                if (l == LEVEL_NULL)
                    continue;
                mk |= 1u << i;
                all &= agrees(md->k[md->t[i]], l);
                if (md->k[md->t[i]] == K_DATE)
                    exact_date = l == (unsigned)(md->nlev[md->t[i]] - 1);
            }
            if (triple_identifies(md, mk) && all && exact_date)
                complete += cnt[p];
        }
    }
    md->m_complete = complete >= MIN_SEED_PAIRS;
    conflate_fit start = *fit;
    fit->iter = em_fit(fit, pat, cnt, n, few, few, 1000);
    fit->m_trained = !few;
    double bw = 0;
    int bad = identity_check(md, &bw);
    if (bad >= 0 && !few) {
        /* EM landed where an exact name, date or identifier counts against a match: the
         * defaults instead, and the rest refitted around them */
        int iter = fit->iter;
        *fit = start;
        for (int f = 0; f < md->nf; f++)
            memcpy(md->m[f], fit->m0[f], sizeof md->m[f]);
        fit->iter = iter + em_fit(fit, pat, cnt, n, 1, 0, 1000);
        fit->fallback = CONFLATE_FIT_NOT_IDENTIFIABLE;
        fit->bad_feature = bad;
        fit->bad_weight = bw;
        fit->m_trained = 0;
    }
    /* shown for households' home fields: what a household pair shows, at one home or two */
    for (int f = 0; f < md->nf; f++)
        if (md->home >> f & 1)
            for (int l = 0; l < md->nlev[f]; l++)
                md->h[0][f][l] = (1 - md->hv) * md->m[f][l] + md->hv * md->mo[f][l];
    /* whatever the data: an exact identity agreement is never evidence against */
    for (int f = 0; f < md->nf; f++) {
        int ex = md->nlev[f] - 1;
        if (conflate_kind_identity(md->k[f]) && md->m[f][ex] < md->u[f][ex]) {
            double d = md->u[f][ex] - md->m[f][ex];
            md->m[f][ex] = md->u[f][ex];
            for (int l = 0; l < ex; l++)
                md->m[f][l] *= (1 - md->m[f][ex]) / (1 - md->m[f][ex] + d);
        }
    }
}

/* options.debug: the estimate as debug messages; options.debug_hist_path also gets the
 * pattern histogram (hex pattern, count per line) so EM can be replayed offline. */
static void debug_model(const conflate_engine *eng, const hist *h, const conflate_fit *fit)
{
    const conflate_model *md = &fit->md;
    conflate_msg(eng, CONFLATE_MSG_DEBUG,
                 "estimate: %zu pairs, %zu patterns, seed pairs %.0f (share %.6g), m trained %d, "
                 "fallback %d, EM iterations %d, pi M %.6g H1 %.6g H2 %.6g U %.6g",
                 eng->npairs, h->n, fit->seed_pairs, fit->seed_lambda, fit->m_trained,
                 fit->fallback, eng->em_iter, md->pi[0], md->pi[1], md->pi[2], md->pi[3]);
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        char line[1024];
        size_t o = (size_t)snprintf(line, sizeof line, "  f%d %s:", f, ft->role);
        for (int l = 0; l < ft->nlevels && o < sizeof line; l++)
            o += (size_t)snprintf(line + o, sizeof line - o,
                                  " [%d m %.4g h1 %.4g h2 %.4g U %.4g u %.4g w %.2f]", l,
                                  md->m[f][l], md->h[0][f][l], md->h[1][f][l], md->uc[f][l],
                                  md->u[f][l], ft->w[l]);
        conflate_msg(eng, CONFLATE_MSG_DEBUG, "%s", line);
        if (md->home >> f & 1) {
            o = (size_t)snprintf(line, sizeof line, "    %s of a match at another home:", ft->role);
            for (int l = 0; l < ft->nlevels && o < sizeof line; l++)
                o += (size_t)snprintf(line + o, sizeof line - o, " [%d %.4g]", l, md->mo[f][l]);
            conflate_msg(eng, CONFLATE_MSG_DEBUG, "%s", line);
        }
    }
    if (md->home)
        conflate_msg(eng, CONFLATE_MSG_DEBUG, "  pairs at two homes: matches %.4g, households %.4g",
                     md->mv, md->hv);
    /* the related classes' joint tables over the triple: the cells holding over 0.5% */
    for (int k = 0; k < 2 && md->nt; k++) {
        char line[2048];
        size_t o = (size_t)snprintf(line, sizeof line, "  %s triple cells (levels in order",
                                    k ? "look-alike" : "household");
        for (int i = 0; i < md->nt && o < sizeof line; i++)
            o += (size_t)snprintf(line + o, sizeof line - o, " %s", eng->f[md->t[i]].role);
        o += (size_t)snprintf(line + o, sizeof line - o, "):");
        for (int c = 0; c < triple_cells(md) && o < sizeof line; c++) {
            if (md->hj[k][c] < 0.005)
                continue;
            unsigned l[3];
            cell_levels(md, c, l);
            o += (size_t)snprintf(line + o, sizeof line - o, " [");
            for (int i = 0; i < md->nt && o < sizeof line; i++)
                o += (size_t)snprintf(line + o, sizeof line - o, "%u", l[i]);
            if (o < sizeof line)
                o += (size_t)snprintf(line + o, sizeof line - o, " %.4f]", md->hj[k][c]);
        }
        conflate_msg(eng, CONFLATE_MSG_DEBUG, "%s", line);
    }
    const char *path = eng->o.debug_hist_path;
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (path && !fp)
        conflate_msg(eng, CONFLATE_MSG_WARNING, "cannot write the histogram to %s", path);
    if (fp) {
        fprintf(fp, "# nf %d\n", eng->nf);
        fprintf(fp, "# possible %llu\n", (unsigned long long)eng->possible);
        for (int f = 0; f < eng->nf; f++) {
            fprintf(fp, "# f %d kind %d nlev %d u", f, (int)eng->f[f].k, eng->f[f].nlevels);
            for (int l = 0; l < eng->f[f].nlevels; l++)
                fprintf(fp, " %.17g", md->u[f][l]);
            fprintf(fp, "\n");
        }
        for (size_t i = 0; i < h->n; i++)
            fprintf(fp, "%016llx %.0f\n", (unsigned long long)h->pat[i], h->cnt[i]);
        fclose(fp);
    }
}

/*
 * A personal identifier held by more than PERSONAL_MAX records is a filler the lists do not know,
 * an id copied onto many people, or one person's with many records: a prolific offender's PNC
 * id, under which the PNC keeps his aliases (review 98: 17 of 25 such offenders, 40 to 120
 * records each, were split into a cluster per alias, their PNC id counted for nothing). The
 * holders tell which: one person's records mostly give one date of birth (aliases vary it
 * now and then), or, without dates, one surname; people who share a filler give as many dates
 * as there are people. One person's: the commonest date of birth among the holders that give
 * one is at least ONE_PERSON_SHARE of them (at least 3 such holders), else the commonest
 * surname is; at most ONE_PERSON_MAX holders.
 */
#define PERSONAL_MAX 30
/* Holders from which a value of a personal identifier is checked for being many people's. */
#define FEW_HOLDERS 4
#define ONE_PERSON_SHARE 0.5
#define ONE_PERSON_MAX 2000

typedef struct holder {
    uint32_t v, key;
} holder;

static int holder_cmp(const void *x, const void *y)
{
    const holder *a = x, *b = y;
    return a->v != b->v ? (a->v < b->v ? -1 : 1) : a->key != b->key ? (a->key < b->key ? -1 : 1) : 0;
}

/* Per value of hv (sorted by v, key; key 0 = none given): *given holders with a key and *top
   the commonest key's count, from hv[*i], advancing *i past the value. */
static uint32_t holder_run(const holder *hv, size_t n, size_t *i, uint32_t *given, uint32_t *top)
{
    uint32_t v = hv[*i].v;
    *given = *top = 0;
    while (*i < n && hv[*i].v == v) {
        size_t j = *i;
        while (j < n && hv[j].v == v && hv[j].key == hv[*i].key)
            j++;
        if (hv[*i].key) {
            *given += (uint32_t)(j - *i);
            if (j - *i > *top)
                *top = (uint32_t)(j - *i);
        }
        *i = j;
    }
    return v;
}

/* Whether normalised value s (n bytes: upper-case letters and digits) of a personal identifier's
   role has that identifier's shape (review 99 M1: a `passport` column of YES / NO joined twenty
   people into two): an NHS number ten digits whose last is its modulus 11 check digit; a
   passport number 6 to 12 characters with at least 5 digits; a driving licence number 8 to 18
   with at least 5 (the UK's 16, others' mostly digits); a CRO number in conflate_norm_cro's
   form (serial/YY and a letter). A PNC id and an NI number are as read
   (their fillers are placeholders, engine.c). */
static int personal_shape(const char *role, const char *s, size_t n)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++)
        digits += s[i] >= '0' && s[i] <= '9';
    if (!strcmp(role, "nhs_number")) {
        if (n != 10 || digits != 10)
            return 0;
        int sum = 0;
        for (int i = 0; i < 9; i++)
            sum += (s[i] - '0') * (10 - i);
        int check = 11 - sum % 11;
        return check != 10 && (check == 11 ? 0 : check) == s[9] - '0';
    }
    if (!strcmp(role, "passport"))
        return n >= 6 && n <= 12 && digits >= 5;
    if (!strcmp(role, "driving_licence"))
        return n >= 8 && n <= 18 && digits >= 5;
    if (!strcmp(role, "national_id")) /* EGN 10, PESEL 11, CNP 13, PPS 8-9, codice fiscale 16 */
        return n >= 6 && n <= 20 && digits >= 5;
    if (!strcmp(role, "cro_number")) /* conflate_norm_cro's form: serial/YYL */
        return n >= 5 && s[n - 4] == '/' && digits == n - 2;
    return 1;
}

static void mark_personal(conflate_engine *eng, unsigned personal)
{
    int fd = feature_of_kind(eng, K_DATE), fs = feature_of_kind(eng, K_SUR);
    for (int f = 0; f < eng->nf; f++) {
        feature *ft = &eng->f[f];
        free(ft->personal_ok);
        ft->personal_ok = NULL;
        if (!(personal >> f & 1))
            continue;
        ft->personal_ok = conflate_xcalloc((size_t)ft->norm.n + 1, 1);
        for (uint32_t v = 1; v <= ft->norm.n; v++)
            ft->personal_ok[v] = ft->vals[v].count <= PERSONAL_MAX &&
                                 personal_shape(ft->role, conflate_strtab_str(&ft->norm, v), ft->norm.len[v]);
        size_t n = 0;
        for (uint32_t r = 0; r < eng->n; r++) {
            uint32_t v = rec_val(eng, r, f);
            n += v && ft->vals[v].count >= FEW_HOLDERS && ft->vals[v].count <= ONE_PERSON_MAX;
        }
        if (!n)
            continue;
        holder *hd = conflate_xcalloc(n, sizeof *hd), *hs = conflate_xcalloc(n, sizeof *hs);
        size_t k = 0;
        for (uint32_t r = 0; r < eng->n; r++) {
            uint32_t v = rec_val(eng, r, f);
            if (!v || ft->vals[v].count < FEW_HOLDERS || ft->vals[v].count > ONE_PERSON_MAX)
                continue;
            hd[k] = (holder){v, fd >= 0 ? rec_val(eng, r, fd) : 0};
            hs[k++] = (holder){v, fs >= 0 ? rec_val(eng, r, fs) : 0};
        }
        qsort(hd, n, sizeof *hd, holder_cmp);
        qsort(hs, n, sizeof *hs, holder_cmp);
        size_t i = 0, j = 0;
        while (i < n) {
            uint32_t dg, dt, sg, st;
            uint32_t v = holder_run(hd, n, &i, &dg, &dt);
            holder_run(hs, n, &j, &sg, &st); /* the same values in the same order */
            if (ft->vals[v].count <= PERSONAL_MAX) {
                /* a few holders: many people's only when their dates of birth (or, without,
                   surnames) are plainly many people's (review 130: an HMO licence number in a
                   `Licence No` column, shared by a house's 4-12 tenants, floored every pair of
                   them: 13,818 of its 15,068 false pairs); a person's few records with an alias
                   date or a typo keep the floor */
                int many = dg >= FEW_HOLDERS ? dt * 3 < dg : sg >= FEW_HOLDERS && st * 3 < sg;
                if (many)
                    ft->personal_ok[v] = 0;
                continue;
            }
            ft->personal_ok[v] = (dg >= 3 ? dt >= ONE_PERSON_SHARE * dg : sg >= 3 && st >= ONE_PERSON_SHARE * sg) &&
                                 personal_shape(ft->role, conflate_strtab_str(&ft->norm, v), ft->norm.len[v]);
        }
        free(hd);
        free(hs);
    }
}

/* Records from which a model that could not be estimated is a warning, not a note. */
#define FEW_PAIRS_WARN_RECORDS 1000

/* How many of the pairs that may be matches can show the year levels of date feature f: the
   mean, over the candidate pairs with both dates given, of 1 - (1 - q_a)(1 - q_b), q the share
   of a record's source whose dates are known to the year only (an age, an estimate). Such
   dates are often one source's (a Home Office's estimates, a referral's ages), and most
   matches are pairs of two sources, where the pooled 1 - (1 - q)^2 is too low; the candidates'
   own vague share is too high (the year rules bring namesakes of one year in). */
static double vague_pair_share(const conflate_engine *eng, int f)
{
    const feature *ft = &eng->f[f];
    size_t ns = eng->nsources ? eng->nsources : 1;
    double *cnt = conflate_xcalloc(2 * ns, sizeof *cnt), *q = cnt + ns;
    for (uint32_t r = 0; r < eng->n; r++) {
        uint32_t v = rec_val(eng, r, f);
        if (!v)
            continue;
        size_t s = eng->src[r] < ns ? eng->src[r] : 0;
        cnt[s] += 1;
        q[s] += ft->vals[v].aux && conflate_date_vague((int32_t)ft->vals[v].aux);
    }
    for (size_t s = 0; s < ns; s++)
        q[s] = cnt[s] > 0 ? q[s] / cnt[s] : 0;
    double sum = 0;
    uint64_t both = 0;
    for (size_t p = 0; p < eng->npairs; p++) {
        uint32_t a = eng->pairs[p].a, b = eng->pairs[p].b;
        if (!rec_val(eng, a, f) || !rec_val(eng, b, f))
            continue;
        size_t sa = eng->src[a] < ns ? eng->src[a] : 0, sb = eng->src[b] < ns ? eng->src[b] : 0;
        sum += 1 - (1 - q[sa]) * (1 - q[sb]);
        both++;
    }
    free(cnt);
    return both ? sum / (double)both : 0;
}

void conflate_estimate(conflate_engine *eng)
{
    progress(eng, "estimate", 0, 3);
    double t0 = conflate_now(), c0 = conflate_cpu_now();
    init_u(eng);
    double t1 = conflate_now(), c1 = conflate_cpu_now();
    init_namesakes(eng);
    double t2 = conflate_now(), c2 = conflate_cpu_now();
    progress(eng, "estimate", 1, 3);
    hist h = build_hist(eng);
    double t3 = conflate_now(), c3 = conflate_cpu_now();
    eng->npatterns = h.n;
    conflate_fit *fit = conflate_xcalloc(1, sizeof *fit);
    conflate_model *md = &fit->md;
    md->nf = eng->nf;
    fit->blocked = eng->npairs < eng->possible;
    fit->possible = (double)eng->possible;
    fit->threads = eng->threads;
    for (int f = 0; f < eng->nf; f++) {
        md->k[f] = eng->f[f].k;
        md->nlev[f] = eng->f[f].nlevels;
        memcpy(md->u[f], eng->f[f].u, sizeof md->u[f]);
        if (eng->f[f].has_un) {
            memcpy(md->un[f], eng->f[f].un, sizeof md->un[f]);
            md->has_un |= 1u << f;
        }
        if (eng->f[f].k == K_ID && conflate_role_personal(eng->f[f].role))
            md->personal |= 1u << f;
        if (eng->f[f].k == K_DATE && eng->f[f].nonnull > 0) {
            uint64_t y = 0;
            for (uint32_t v = 1; v <= eng->f[f].norm.n; v++)
                if (eng->f[f].vals[v].aux && conflate_date_vague((int32_t)eng->f[f].vals[v].aux))
                    y += eng->f[f].vals[v].count;
            md->yshare[f] = (double)y / (double)eng->f[f].nonnull;
            if (y > 0)
                md->ypairs[f] = vague_pair_share(eng, f);
        }
    }
    mark_personal(eng, md->personal);
    progress(eng, "estimate", 2, 3);
    conflate_fit_hist(fit, h.pat, h.cnt, h.n);
    conflate_msg(eng, CONFLATE_MSG_DEBUG,
                 "estimate: u from random pairs %.2f s (cpu %.2f), namesakes %.2f s (cpu %.2f), "
                 "patterns %.2f s (cpu %.2f), fit %.2f s (cpu %.2f)",
                 t1 - t0, c1 - c0, t2 - t1, c2 - c1, t3 - t2, c3 - c2, conflate_now() - t3,
                 conflate_cpu_now() - c3);
    /* whatever the data: a disagreement is never evidence for a match. Matches show a field
       different at most as often as random pairs do; an estimate that says otherwise learned
       it from pairs it took for matches wrongly (review 85 M4: "a different postcode" +12 and
       "a different phone" +17), and is held there, with a warning */
    for (int f = 0; f < md->nf; f++) {
        double over = md->m[f][0] - md->u[f][0];
        if (over <= 0 || md->u[f][0] >= 1 || eng->f[f].nonnull == 0) /* an empty field is out */
            continue;
        double w = log2(md->m[f][0] / md->u[f][0]);
        md->m[f][0] = md->u[f][0];
        for (int l = 1; l < md->nlev[f]; l++)
            md->m[f][l] *= (1 - md->m[f][0]) / (1 - md->m[f][0] - over);
        conflate_msg(eng, CONFLATE_MSG_WARNING,
                     "the estimate made a different %s count for a match (weight %+.2f): held at "
                     "0, as often as random pairs (docs/conflate.md, \"Estimation\")",
                     eng->f[f].role, w);
    }
    eng->em_iter += fit->iter;
    eng->fit_status = fit->fallback;
    eng->fit_bad_feature = fit->bad_feature;
    eng->fit_bad_weight = fit->bad_weight;
    eng->seed_pairs = fit->seed_pairs;
    eng->md = *md;
    conflate_model_logs(&eng->md, &eng->mlog);
    /* too few pairs for EM: the classes are the documented defaults and the u's come from a
       handful of pairs (in a file of six records, Anna Lee and Ana Lee themselves make
       "similar" first names common), so they set no floor (random_log) */
    if (fit->fallback == CONFLATE_FIT_FEW_PAIRS)
        eng->mlog.lnm = -INFINITY;
    for (int f = 0; f < eng->nf; f++) {
        feature *ft = &eng->f[f];
        memcpy(ft->m, md->m[f], sizeof ft->m);
        if (md->home >> f & 1) /* shown: what a match shows, at its home or another */
            for (int l = 0; l < ft->nlevels; l++)
                ft->m[l] = (1 - md->mv) * md->m[f][l] + md->mv * md->mo[f][l];
        for (int l = 0; l < ft->nlevels; l++)
            ft->w[l] = log2(ft->m[l] / ft->u[l]);
    }
    eng->lambda = md->pi[0];
    eng->prior = log2(md->pi[0] / (1 - md->pi[0]));
    /* a warning where the inputs are large enough that an estimate was expected (review 128:
       7,000 records whose names and dates of birth no input held together, said as a note) */
    if (fit->fallback == CONFLATE_FIT_FEW_PAIRS)
        conflate_msg(eng, eng->n >= FEW_PAIRS_WARN_RECORDS ? CONFLATE_MSG_WARNING : CONFLATE_MSG_NOTE,
                     "too few candidate pairs to estimate the model (%.0f obvious matches, %d "
                     "needed): the documented default m and h values are used "
                     "(docs/conflate.md, \"Estimation\")%s",
                     fit->seed_pairs < 0 ? 0 : fit->seed_pairs, (int)MIN_SEED_PAIRS,
                     eng->n >= FEW_PAIRS_WARN_RECORDS
                         ? "; in inputs this large, check that each input's names and dates of "
                           "birth were found (the fields line below)"
                         : "");
    else if (fit->fallback == CONFLATE_FIT_NOT_IDENTIFIABLE)
        conflate_msg(eng, CONFLATE_MSG_WARNING,
                     "the estimate made an exact %s count against a match (weight %+.2f): the "
                     "documented default m values are used instead (docs/conflate.md, "
                     "\"Estimation\")",
                     eng->f[fit->bad_feature].role, fit->bad_weight);
    if (eng->o.debug)
        debug_model(eng, &h, fit);
    free(fit);
    free(h.pat);
    free(h.cnt);
    progress(eng, "estimate", 3, 3);
}

/* log2(1 + 2^x) without overflow */
double conflate_log2_1p_exp2(double x)
{
    if (x > 40)
        return x;
    if (x < -40)
        return 0;
    return log2(1 + exp2(x));
}

/* The value whose term frequency records a and b's exact agreement on feature f carries: a's,
   unless the two records' own values differ and the agreement is a further value of a cell
   (others_pass): then the value they share (a's first one might be a number a hostel gives
   everyone, or one nobody else holds, and says nothing of how common the agreeing one is). */
static uint32_t tf_value(const conflate_engine *eng, int f, uint32_t a, uint32_t b)
{
    uint32_t va = rec_val(eng, a, f);
    if (!va) /* an agreement a pass made with a's value missing (given_surname_pass): b's */
        return rec_val(eng, b, f);
    if (!eng->oth_of || a == b || va == rec_val(eng, b, f))
        return va;
    uint32_t xa[8], xb[8];
    size_t na = values_of(eng, a, f, xa, 8), nb = values_of(eng, b, f, xb, 8);
    for (size_t x = 0; x < na; x++)
        for (size_t y = 0; y < nb; y++)
            if (xa[x] == xb[y])
                return xa[x];
    return va;
}

static double tf_of_value(const feature *ft, uint32_t v);

double conflate_tf_adjust(const conflate_engine *eng, int f, uint32_t r)
{
    return tf_of_value(&eng->f[f], rec_val(eng, r, f));
}

double conflate_tf_adjust_pair(const conflate_engine *eng, int f, uint32_t a, uint32_t b)
{
    return tf_of_value(&eng->f[f], tf_value(eng, f, a, b));
}

static double tf_of_value(const feature *ft, uint32_t v)
{
    if (ft->tfw && v)
        return ft->tfw[v];
    if (!ft->tf || !v || ft->nonnull < 3 || ft->sum_p2 <= 0 || ft->vals[v].count < 2)
        return 0;
    return conflate_tf_weight(ft->sum_p2, (double)ft->vals[v].count, (double)ft->nonnull);
}

double conflate_tf_weight(double u, double c, double n)
{
    /* the pair's own two records are why v was picked, so they say nothing of how common it
       is: the other n - 2 records do, shrunk towards the column's average u by one
       pseudo-record (a Beta prior of mean u and weight 1/u) */
    double p = (c - 2 + 1) / (n - 2 + 1 / u);
    return log2(u / p);
}

/* The term-frequency term of a pair on its exact agreements, for the match class: an exact
 * name, date of birth or identifier never ends below 0 against random pairs. */
/* The features of levels lv (but those in skip) whose exact agreement carries a term
 * frequency, as a bit set. */
static uint32_t tf_mask(const conflate_engine *eng, const unsigned *lv, unsigned skip)
{
    uint32_t m = 0;
    for (int f = 0; f < eng->nf; f++)
        if (lv[f] != LEVEL_NULL && (int)lv[f] == eng->f[f].nlevels - 1 && eng->f[f].tf &&
            !(skip >> f & 1))
            m |= 1u << f;
    return m;
}

/* The term-frequency term of records a and b's agreements on the features in mask, in feature
   order: a's values (tf_value; b == a: a's own). */
static double tf_sum_mask(const conflate_engine *eng, uint32_t a, uint32_t b, uint32_t mask)
{
    double t = 0;
    for (uint32_t m = mask; m; m &= m - 1) {
        int f = __builtin_ctz(m);
        const feature *ft = &eng->f[f];
        double x = conflate_tf_adjust_pair(eng, f, a, b);
        int top = ft->nlevels - 1;
        if (conflate_kind_identity(ft->k) && ft->w[top] + x < 0)
            x = -ft->w[top];
        t += x;
    }
    return t;
}

static double tf_sum(const conflate_engine *eng, uint32_t a, uint32_t b, const unsigned *lv, unsigned skip)
{
    return tf_sum_mask(eng, a, b, tf_mask(eng, lv, skip));
}

/*
 * A swap of first name and surname (both fields at the level "swapped") is evidence at most
 * as strong as the same two names in the same order: the pair's weight with both names exact
 * (their term frequencies included) caps it. The level's rates are learned like any other,
 * but strangers almost never show a swap, and a swap carries no term frequency, so common
 * names written the other way round ("Ming Ling Yang" / "Yang Ling Ming") outweighed the
 * same names in order, and linked strangers of family-name-first names.
 */
static int names_swapped_at(const conflate_engine *eng, const unsigned *lv)
{
    const conflate_model *md = &eng->md;
    return md->swf >= 0 && lv[md->swf] == 3 && lv[md->sws] == 3;
}

/* lv with the swapped names at their exact level, in lx. */
static void swap_as_exact(const conflate_engine *eng, const unsigned *lv, unsigned *lx)
{
    const conflate_model *md = &eng->md;
    for (int f = 0; f < eng->nf; f++)
        lx[f] = lv[f];
    lx[md->swf] = (unsigned)eng->f[md->swf].nlevels - 1;
    lx[md->sws] = (unsigned)eng->f[md->sws].nlevels - 1;
}

/* The cap takes the smaller of the two records' names in order (each record's first name and
   surname, their term frequencies): the same whichever record comes first. */
/*
 * A personal identifier (a PNC id, an NI number: conflate_model.personal) agreed exactly
 * decides a pair: one person's id is nobody else's, and the PNC records a person's aliases
 * (other names, other dates of birth) under the one id. The pair's weight is then at least
 * PERSONAL_WEIGHT, whatever the names and dates say (review 67: an alias with the same PNC id
 * and mobile scored p 0.13, as the model's classes cannot hold one person under two names),
 * unless more than PERSONAL_MAX records hold the value (a filler the lists do not know, or
 * one id copied onto many people). An analyst's cannot_link still keeps them apart, and so
 * does the cluster guard: an alias is not joined to a record of the person without the id
 * whose names and date of birth strongly disagree with it (a must_link of such pairs left
 * none of review 67's same-id pairs apart, 150 of 1,408 before, but split records of the
 * same name and date of birth off the person: F1 0.8798 -> 0.8765; this rule 29 left apart,
 * F1 0.8787).
 */
static double weight_of_model(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat, unsigned skip,
                              int *capped);
static int personal_agrees(const conflate_engine *eng, uint32_t a, uint64_t pat);
#define PERSONAL_WEIGHT 10.0

/* Whether records a and b's dates of birth (the first date feature's, whole or known to the
   year) are a generation apart: GENERATION_YEARS or more. A personal identifier shared by
   such records is not one person's under two names but a parent's written on a child's record
   (a baby's hospital or referral record under the mother's NHS number; review 124: 159 of 160
   false pairs of its NHS shape were a child's record floored into the mother's cluster, which
   then kept the child's own records away), so it decides nothing. An alias's date of birth is
   a few years off at most. */
#define GENERATION_YEARS 14
static int generation_apart(const conflate_engine *eng, uint32_t a, uint32_t b)
{
    for (int f = 0; f < eng->nf; f++) {
        if (eng->f[f].k != K_DATE)
            continue;
        uint32_t va = rec_val(eng, a, f), vb = rec_val(eng, b, f);
        if (!va || !vb)
            return 0;
        int ya = (int)(eng->f[f].vals[va].aux / 10000), yb = (int)(eng->f[f].vals[vb].aux / 10000);
        return ya > 999 && yb > 999 && (ya - yb >= GENERATION_YEARS || yb - ya >= GENERATION_YEARS);
    }
    return 0;
}

static int personal_agrees(const conflate_engine *eng, uint32_t a, uint64_t pat)
{
    unsigned per = eng->md.personal;
    for (int f = 0; per && f < eng->nf; f++)
        if ((per >> f & 1) && pat_level(pat, f) == (unsigned)eng->f[f].nlevels - 1) {
            uint32_t v = rec_val(eng, a, f);
            if (v && eng->f[f].personal_ok && eng->f[f].personal_ok[v])
                return 1;
        }
    return 0;
}

/*
 * Generational suffixes that say two people (review 78 M3): a name ending "Jnr" and one of
 * the same name ending "Snr" (or "II" and "III") are a son and his father, whatever else they
 * share (one home, one landline, often one name and e-mail stem). The suffix is dropped from
 * the name it ended (conflate_norm_name_gen: "Marshall Jnr" is the surname Marshall, no
 * near miss of it) and kept per record (eng->gen); two records whose suffixes conflict weigh
 * at most GENERATION_WEIGHT, below the cluster guard's limit (cluster.c), so no chain of links
 * joins them either. A suffix on one record only says nothing: a son writes "Jnr" on some
 * forms and not on others.
 */
#define GENERATION_WEIGHT (-12.0)

static int generations_conflict(const conflate_engine *eng, uint32_t a, uint32_t b)
{
    return eng->gen && conflate_generations_conflict(eng->gen[a], eng->gen[b]);
}

/*
 * A first name and nothing else that tells people apart: the first names agree, no surname is
 * compared (one record has none: a log's "Courtney, approx 19", an advert's working name), and
 * no date of birth agrees as a whole date, no identifier, contact or home agrees. A year
 * estimated from an age, a town or a sex agreeing besides is what strangers of one first name
 * share (review 119: two log entries "Courtney", ages 19 and 20, at two flats, p 0.59; review
 * 122: two "Vanessa" adverts in one city, ages 22 and 26, p 0.99). Such a pair weighs at most
 * THIN_WEIGHT, below the threshold; it still links through records that have more.
 */
#define THIN_WEIGHT (-1.0)
static int thin_identity(const conflate_engine *eng, uint64_t pat)
{
    int F = eng->sur_other, S = eng->first_other;
    /* (a pair with no name compared at all and only a date of birth agreeing is not capped: tried
       at stop 60, review 112's initials-and-dates shape fell 0.962 -> 0.856, whose initials are
       all its names) */
    if (F < 0 || S < 0 || pat_level(pat, S) != LEVEL_NULL || !agrees(K_FIRST, pat_level(pat, F)))
        return 0;
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        if (f == F || k == K_SEX || k == K_TOWN || k == K_MIDDLE)
            continue;
        if (agrees(k, pat_level(pat, f)))
            return 0; /* a whole date of birth, a whole name, an identifier, a contact, a home */
    }
    return 1;
}

/*
 * An initial and a surname and nothing else that tells people apart: the first names agree
 * where one of them is initials only ("S", "J R": a bank's counterparty, a council-tax list),
 * the surnames agree, and no date of birth agrees as a whole date, no identifier, contact or
 * home agrees. An initial is one of some twenty letters most people share with a twentieth of
 * the population; with a surname it is what thousands of strangers in a national file have in
 * common (review 132: a bank's payments named `C LEWIS` and `C LEWIS` on other accounts, and
 * a counterparty `S BARRETT` against a police nominal Susan Barrett, linked at p 0.84-0.96, and
 * fed those pairs, the match class learnt that a different account says nothing: precision
 * 0.50). Such a pair weighs at most THIN_WEIGHT; it still links through records that have more.
 * A surname held by fewer than INITIAL_SHARED records is not capped: with an initial it is
 * shared by less than one other record, and tells (review 132's bank: 0.655 -> 0.864 F1 with
 * the cap; gen3's initials shape 0.949 -> 0.943 with it on every surname).
 */
#define INITIAL_SHARED 10
static int initial_thin(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat)
{
    int F = eng->sur_other, S = eng->first_other;
    if (F < 0 || S < 0 || !eng->f[F].fold || !agrees(K_FIRST, pat_level(pat, F)) ||
        !agrees(K_SUR, pat_level(pat, S)))
        return 0;
    uint32_t va = rec_val(eng, a, F), vb = rec_val(eng, b, F);
    if (!va || !vb || !((eng->f[F].fold[va] | eng->f[F].fold[vb]) & NAME_INITIALS))
        return 0;
    /* a surname of fewer than INITIAL_SHARED records is shared with an initial by less than
       one other (an initial is at most a tenth of people's): rare enough to tell */
    uint32_t sa = rec_val(eng, a, S), sb = rec_val(eng, b, S);
    uint64_t ca = sa ? eng->f[S].vals[sa].count : 0, cb = sb ? eng->f[S].vals[sb].count : 0;
    if ((ca > cb ? ca : cb) < INITIAL_SHARED)
        return 0;
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        if (f == F || f == S || k == K_SEX || k == K_TOWN || k == K_MIDDLE)
            continue;
        if (agrees(k, pat_level(pat, f)))
            return 0;
    }
    return 1;
}

/*
 * A date of birth and nothing else that tells people apart, under the documented default model
 * (too few obvious matches to estimate one): no name compared (one record has none, or its
 * input's names are in columns the mapping did not find), and no identifier, contact or home
 * agreeing. The defaults weigh a date of birth as the population does; the candidates of such
 * inputs are the records blocking paired on that date, among whom it is far commoner (review
 * 128: a school census, a missing-person log and a social care file whose names were not all
 * found linked different children of one birthday at p 0.93, 8,749 false pairs). Such a pair
 * weighs at most THIN_WEIGHT. With an estimated model the cap is not applied: review 112's
 * initials-and-dates shape, whose initials are all its names, fell 0.962 -> 0.856 with it.
 */
static int dob_alone(const conflate_engine *eng, uint64_t pat)
{
    if (eng->fit_status != CONFLATE_FIT_FEW_PAIRS)
        return 0;
    int dob = 0;
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        unsigned l = pat_level(pat, f);
        if ((k == K_FIRST || k == K_SUR || k == K_FULL) && l != LEVEL_NULL)
            return 0;
        if (k == K_DATE) {
            dob |= agrees(k, l);
            continue;
        }
        if (k == K_SEX || k == K_TOWN || k == K_MIDDLE)
            continue;
        if (agrees(k, l))
            return 0;
    }
    return dob;
}

/* The bounds on a pair's weight w from the model: a thin identity or a date of birth alone
   (at most THIN_WEIGHT), a personal identifier (at least PERSONAL_WEIGHT), generations that
   conflict (at most GENERATION_WEIGHT). One function for weight_of and score_range. */
static double bounded(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat, double w)
{
    if (w > THIN_WEIGHT && (thin_identity(eng, pat) || dob_alone(eng, pat) || initial_thin(eng, a, b, pat)))
        w = THIN_WEIGHT;
    if (w < PERSONAL_WEIGHT && personal_agrees(eng, a, pat) && !generation_apart(eng, a, b))
        w = PERSONAL_WEIGHT;
    return w > GENERATION_WEIGHT && generations_conflict(eng, a, b) ? GENERATION_WEIGHT : w;
}

static double weight_of(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat, unsigned skip,
                        int *capped)
{
    return bounded(eng, a, b, pat, weight_of_model(eng, a, b, pat, skip, capped));
}

static double weight_of_model(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat, unsigned skip,
                              int *capped)
{
    unsigned lv[CONFLATE_MAX_FEATURES];
    for (int f = 0; f < eng->nf; f++)
        lv[f] = pat_level(pat, f);
    double ytf = conflate_year_density(eng, a, pat, NULL);
    double w = conflate_model_weight(&eng->md, &eng->mlog, lv, tf_sum(eng, a, b, lv, skip) + ytf, skip);
    if (capped)
        *capped = 0;
    if (names_swapped_at(eng, lv)) {
        unsigned lx[CONFLATE_MAX_FEATURES];
        swap_as_exact(eng, lv, lx);
        double ca[CONFLATE_NCLASS];
        class_logs(&eng->md, &eng->mlog, lx, skip, ca, NULL, NULL, NULL);
        double rx = random_log(&eng->md, &eng->mlog, lx, skip);
        double wa = weight_from_logs(ca, rx, tf_sum(eng, a, a, lx, skip));
        double wb = weight_from_logs(ca, rx, tf_sum(eng, b, b, lx, skip));
        double wx = wa < wb ? wa : wb;
        if (wx < w) {
            w = wx;
            if (capped)
                *capped = 1;
        }
    }
    return w;
}

int conflate_pair_swap_capped(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat)
{
    int capped;
    weight_of(eng, a, b, pat, 0, &capped);
    return capped;
}

double conflate_pair_weight(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat)
{
    return weight_of(eng, a, b, pat, 0, NULL);
}

double conflate_pair_weight_identity(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat)
{
    unsigned skip = 0;
    for (int f = 0; f < eng->nf; f++)
        if (conflate_kind_changes(eng->f[f].k))
            skip |= 1u << f;
    return weight_of(eng, a, b, pat, skip, NULL);
}

int conflate_pair_id_tied(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat)
{
    return personal_agrees(eng, a, pat) && !generation_apart(eng, a, b);
}

int conflate_pair_names_differ(const conflate_engine *eng, uint64_t pat)
{
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        unsigned l = pat_level(pat, f);
        if ((k == K_FIRST || k == K_SUR || k == K_FULL) && l != LEVEL_NULL && !agrees(k, l))
            return 1;
    }
    return 0;
}

int conflate_pair_names_agree(const conflate_engine *eng, uint64_t pat)
{
    int first = 0, sur = 0;
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        unsigned l = pat_level(pat, f);
        if ((k != K_FIRST && k != K_SUR && k != K_FULL) || l == LEVEL_NULL)
            continue;
        if (!agrees(k, l))
            return 0;
        first |= k != K_SUR;
        sur |= k != K_FIRST;
    }
    return first && sur;
}

double conflate_pair_weight_unnamed(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat,
                                    int identity)
{
    unsigned skip = 0;
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        if (k == K_FIRST || k == K_SUR || k == K_MIDDLE || k == K_FULL ||
            (identity && conflate_kind_changes(k)))
            skip |= 1u << f;
    }
    return weight_of(eng, a, b, pat, skip, NULL);
}

/*
 * Namesake density of a year of birth (review 78 H2). A date known to its year only agrees
 * with the other's year at the level "the year", weighed by its rates over all pairs: two
 * strangers share a birth year about one time in sixty, whatever their names. But a pair
 * that agrees on one name and a year (the other name missing or unlike) is told from a
 * namesake by how many other people hold that name and were born that year: a common first
 * name in a town-sized file has several such namesakes, a rare one none. As the term
 * frequency of an exact agreement scales the classes of coincidences by how common the value
 * is, this term scales them by how common the year is among the records of that name:
 * log2(u / p), u the rate at which two records with dates share a year, p the year's share
 * among the other records of the name (the pair's own two left out, one pseudo-record at u:
 * conflate_tf_weight). It applies when the date is at "the year" and exactly one of first
 * name and surname is exact (both exact: the two names together are rarely shared, and the
 * density of one of them would count against the pair what the other rules out), and, as for
 * an exact name, it never leaves the year's weight below 0 (nor below itself, when the year
 * weighs against a match).
 */
static uint64_t yd_hash(uint64_t k) { return (k * 0x9E3779B97F4A7C15ull) >> 20; }

static uint64_t yd_make(int f, uint32_t v, int year)
{
    return (uint64_t)(f + 1) << 56 | (uint64_t)v << 16 | (uint64_t)(year & 0xffff);
}

static uint32_t yd_get(const conflate_engine *eng, uint64_t k)
{
    if (!eng->yd_cap)
        return 0;
    for (size_t i = yd_hash(k) & (eng->yd_cap - 1);; i = (i + 1) & (eng->yd_cap - 1)) {
        if (eng->yd_key[i] == k)
            return eng->yd_cnt[i];
        if (!eng->yd_key[i])
            return 0;
    }
}

static void yd_inc(conflate_engine *eng, uint64_t k)
{
    for (size_t i = yd_hash(k) & (eng->yd_cap - 1);; i = (i + 1) & (eng->yd_cap - 1)) {
        if (eng->yd_key[i] == k) {
            eng->yd_cnt[i]++;
            return;
        }
        if (!eng->yd_key[i]) {
            eng->yd_key[i] = k;
            eng->yd_cnt[i] = 1;
            return;
        }
    }
}

void conflate_year_density_free(conflate_engine *eng)
{
    free(eng->yd_key);
    free(eng->yd_cnt);
    eng->yd_key = NULL;
    eng->yd_cnt = NULL;
    eng->yd_cap = 0;
}

/* Counts the records of each (name, year) and (name, any year); only when some date is known
   to its year only (else the level "the year" never occurs). */
static void year_density_build(conflate_engine *eng)
{
    conflate_year_density_free(eng);
    int fd = feature_of_kind(eng, K_DATE);
    int fn[2] = {feature_of_kind(eng, K_FIRST), feature_of_kind(eng, K_SUR)};
    if (fd < 0 || (fn[0] < 0 && fn[1] < 0))
        return;
    const feature *dt = &eng->f[fd];
    int partial = 0;
    for (uint32_t v = 1; v <= dt->norm.n && !partial; v++)
        partial = conflate_date_vague((int32_t)dt->vals[v].aux) && dt->vals[v].count > 0;
    if (!partial)
        return;
    size_t cap = 1024;
    while (cap < (size_t)eng->n * 8)
        cap <<= 1;
    eng->yd_key = conflate_xcalloc(cap, sizeof *eng->yd_key);
    eng->yd_cnt = conflate_xcalloc(cap, sizeof *eng->yd_cnt);
    eng->yd_cap = cap;
    double *ycount = conflate_xcalloc(2200, sizeof *ycount);
    double dated = 0;
    for (size_t r = 0; r < eng->n; r++) {
        uint32_t dv = rec_val(eng, (uint32_t)r, fd);
        if (!dv)
            continue;
        int year = (int)(dt->vals[dv].aux / 10000);
        if (year <= 0 || year >= 2200)
            continue;
        ycount[year]++;
        dated++;
        for (int i = 0; i < 2; i++) {
            if (fn[i] < 0)
                continue;
            uint32_t nv = rec_val(eng, (uint32_t)r, fn[i]);
            if (!nv)
                continue;
            yd_inc(eng, yd_make(fn[i], nv, year));
            yd_inc(eng, yd_make(fn[i], nv, 0));
        }
    }
    double u = 0;
    for (int y = 0; y < 2200; y++)
        u += dated > 0 ? (ycount[y] / dated) * (ycount[y] / dated) : 0;
    free(ycount);
    eng->yd_u = u;
}

double conflate_year_density(const conflate_engine *eng, uint32_t a, uint64_t pat, int *f_out)
{
    if (f_out)
        *f_out = -1;
    if (!eng->yd_cap || eng->yd_u <= 0)
        return 0;
    int fd = -1, fx = -1, exact = 0;
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        unsigned l = pat_level(pat, f);
        if (k == K_DATE)
            fd = l == CONFLATE_DATE_YEAR_ONLY ? f : -2;
        else if ((k == K_FIRST || k == K_SUR) && l != LEVEL_NULL && (int)l == eng->f[f].nlevels - 1) {
            fx = f;
            exact++;
        }
    }
    if (fd < 0 || exact != 1)
        return 0;
    uint32_t nv = rec_val(eng, a, fx), dv = rec_val(eng, a, fd);
    if (!nv || !dv)
        return 0;
    int year = (int)(eng->f[fd].vals[dv].aux / 10000);
    double c = yd_get(eng, yd_make(fx, nv, year)), n = yd_get(eng, yd_make(fx, nv, 0));
    if (c < 2 || n < 3)
        return 0;
    if (f_out)
        *f_out = fx;
    double x = conflate_tf_weight(eng->yd_u, c, n);
    /* the year's weight never ends below 0 when it was above, nor below itself when not */
    double w = eng->f[fd].w[CONFLATE_DATE_YEAR_ONLY], floor = w > 0 ? -w : 0;
    return x < floor ? floor : x;
}

/*
 * Scoring. The classes' log-likelihoods depend on the pattern alone, and a few thousand
 * patterns hold most pairs: they are kept per pattern in a direct-mapped cache per thread,
 * with the features whose exact agreement carries a term frequency (tf_sum's). The numbers
 * are the ones conflate_pair_weight computes, added in the same order, so the weights are the
 * same.
 */
enum { SC_BITS = 14 };
typedef struct sc_ent {
    uint64_t pat;
    double c[CONFLATE_NCLASS], r; /* r: random_log's floor */
    uint32_t tfmask; /* bit f: feature f exact, with term frequencies */
    int used;
    int swap;        /* names swapped: cx and tfmask_x are the same names in order (the cap) */
    double cx[CONFLATE_NCLASS], rx;
    uint32_t tfmask_x;
} sc_ent;

typedef struct score_ctx {
    conflate_engine *eng;
    sc_ent *sc[64]; /* per thread */
} score_ctx;

static void score_range(void *ctx, int tid, size_t b, size_t e)
{
    score_ctx *c = ctx;
    conflate_engine *eng = c->eng;
    sc_ent *sc = c->sc[tid];
    for (size_t i = b; i < e; i++) {
        const pair *p = &eng->pairs[i];
        sc_ent *x = &sc[(p->pat * 0x9E3779B97F4A7C15ull) >> (64 - SC_BITS)];
        if (!x->used || x->pat != p->pat) {
            unsigned lv[CONFLATE_MAX_FEATURES];
            for (int f = 0; f < eng->nf; f++)
                lv[f] = pat_level(p->pat, f);
            class_logs(&eng->md, &eng->mlog, lv, 0, x->c, NULL, NULL, NULL);
            x->r = random_log(&eng->md, &eng->mlog, lv, 0);
            x->tfmask = tf_mask(eng, lv, 0);
            x->swap = names_swapped_at(eng, lv);
            if (x->swap) {
                unsigned lx[CONFLATE_MAX_FEATURES];
                swap_as_exact(eng, lv, lx);
                class_logs(&eng->md, &eng->mlog, lx, 0, x->cx, NULL, NULL, NULL);
                x->rx = random_log(&eng->md, &eng->mlog, lx, 0);
                x->tfmask_x = tf_mask(eng, lx, 0);
            }
            x->pat = p->pat;
            x->used = 1;
        }
        double w = weight_from_logs(x->c, x->r, tf_sum_mask(eng, p->a, p->b, x->tfmask) +
                                                    conflate_year_density(eng, p->a, p->pat, NULL));
        if (x->swap) { /* the cap: as weight_of, the smaller of the two records' */
            double wa = weight_from_logs(x->cx, x->rx, tf_sum_mask(eng, p->a, p->a, x->tfmask_x));
            double wb = weight_from_logs(x->cx, x->rx, tf_sum_mask(eng, p->b, p->b, x->tfmask_x));
            double wx = wa < wb ? wa : wb;
            if (wx < w)
                w = wx;
        }
        eng->weight[i] = (float)bounded(eng, p->a, p->b, p->pat, w);
    }
}

void conflate_score(conflate_engine *eng)
{
    progress(eng, "score", 0, eng->npairs);
    year_density_build(eng);
    eng->weight = conflate_xmalloc((eng->npairs + 1) * sizeof *eng->weight);
    score_ctx c = {eng, {NULL}};
    int nt = eng->threads < 1 ? 1 : eng->threads > 64 ? 64 : eng->threads;
    for (int t = 0; t < nt; t++)
        c.sc[t] = conflate_xcalloc((size_t)1 << SC_BITS, sizeof(sc_ent));
    conflate_par(eng->threads, eng->npairs, 1 << 16, score_range, &c);
    for (int t = 0; t < nt; t++)
        free(c.sc[t]);
    progress(eng, "score", eng->npairs, eng->npairs);
}
