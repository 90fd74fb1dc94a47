/*
 * block.c: candidate pairs by several blocking rules, deduplicated across rules, then
 * compared.
 *
 * Each rule gives every record a 64-bit key (0 = the record is not blocked by this rule:
 * a part of the key is missing). Records are radix-sorted by key; a run of equal keys is a
 * block, and every pair of a block allowed by the mode is a candidate. Blocks larger than
 * max_block are skipped to keep the pair count near-linear; the other rules still reach
 * those records. Every rule's pairs are emitted (threads over blocks) as packed 64-bit keys
 * (a << 32 | b, a < b), radix-sorted and made unique, so a pair made by several rules is
 * compared once; the distinct pairs are then compared on threads over ranges of the sorted
 * array, each writing its own slots. The pairs come out sorted by (a, b) whatever the
 * number of threads, and comparing in that order reuses record a's values from cache.
 */
#include <stdlib.h>
#include <string.h>

#include "conflate/compare.h"
#include "conflate/engine_int.h"
#include "conflate/radix.h"

typedef enum part_type { PT_VAL, PT_PHON, PT_INIT, PT_YEAR, PT_DOBU, PT_NAMEPAIR, PT_PREFIX, PT_HOUSE, PT_CODE5, PT_HALF } part_type;

typedef struct part {
    part_type t;
    int f, g; /* g: second feature of PT_NAMEPAIR; which half of PT_HALF (0-3) */
} part;

typedef struct rule {
    part p[3];
    int np;
    uint32_t max_block; /* 0: the engine's max_block */
    int dated;          /* a part is the date: large blocks are ordered by surname, not date */
    int sparse;         /* pairs only where a record lacks a field of the identity triple */
    int verify;         /* every pair of a block (up to VERIFY_BLOCK), kept when the two
                         * records agree closely on one more field (see agree_more) */
    int edit1;          /* PT_HALF: every pair of a block, kept when its two values are at
                         * most one typo apart (the halves find them, this checks them) */
    int whole;          /* keyed on the identity alone: a block over max_block is windowed
                         * (whatever its size), not skipped */
} rule;

#define MAX_RULES 96
#define KEY_BATCH 24 /* rules whose keys are made at a time (n * 8 bytes each) */
#define FULL_BLOCK 8u /* blocks up to this size give all their pairs (see gen_range) */
#define EDIT1_BLOCK 16u  /* an edit1 rule checks every pair of blocks up to this size */
#define VERIFY_BLOCK 64u /* a verify rule checks every pair of blocks up to this size */
/* A block of one identity (names' codes with the date of birth or its year) larger than
 * max_block is most often one prolific person (a hundred custody or intelligence records of
 * one offender are common in police data; placeholder values are missing, not keys): it is
 * windowed like the blocks under max_block, so its records still meet their neighbours in
 * the second key's order, however large it is (its pairs grow with its records, three each).
 * Review 48: such blocks were skipped beyond 65,536 records, and then 66,000 copies of one
 * person stayed 66,000 clusters, and their random pairs (nearly all alike, and none a
 * candidate) turned the estimate against every agreement: nothing else linked either. */

typedef struct kv {
    uint64_t key;
    uint32_t rec;
    uint32_t pad;
} kv;

/* The first feature of kind k that has a value in some record: a mapped column empty in every
 * record chooses no rule, as if it were not mapped (engine.c warns of it). */
static int find_kind(const conflate_engine *eng, kind k)
{
    for (int i = 0; i < eng->nf; i++)
        if (eng->f[i].k == k && eng->f[i].nonnull > 0)
            return i;
    return -1;
}

static void add_rule(rule *r, int *nr, part a, part b, part c, int np)
{
    if (*nr >= MAX_RULES)
        return;
    r[*nr].p[0] = a;
    r[*nr].p[1] = b;
    r[*nr].p[2] = c;
    r[*nr].np = np;
    r[*nr].max_block = 0;
    r[*nr].dated = 0;
    r[*nr].sparse = 0;
    r[*nr].edit1 = 0;
    r[*nr].verify = 0;
    r[*nr].whole = 0;
    (*nr)++;
}

#define P(t, f) ((part){(t), (f), -1})

/* Whether a rule among r[0..nr) keys on exactly the parts a and b (the unordered pair of
 * name codes is the first name's and the surname's codes together). */
static int covered(const rule *r, int nr, part a, part b)
{
    for (int k = 0; k < nr; k++) {
        const part *p = r[k].p;
        if (r[k].np == 1 && p[0].t == PT_NAMEPAIR && a.t == PT_PHON && b.t == PT_PHON &&
            ((p[0].f == a.f && p[0].g == b.f) || (p[0].f == b.f && p[0].g == a.f)))
            return 1;
        if (r[k].np == 2 && ((p[0].t == a.t && p[0].f == a.f && p[1].t == b.t && p[1].f == b.f) ||
                             (p[0].t == b.t && p[0].f == b.f && p[1].t == a.t && p[1].f == a.f)))
            return 1;
    }
    return 0;
}

static int make_rules(const conflate_engine *eng, rule *r)
{
    int nr = 0;
    int F = find_kind(eng, K_FIRST), S = find_kind(eng, K_SUR), D = find_kind(eng, K_DATE);
    int PC = find_kind(eng, K_POSTCODE), FU = find_kind(eng, K_FULL), T = find_kind(eng, K_TOWN);
    part none = P(PT_VAL, -1);
    /* sound codes, not initials: a date of birth is shared by dozens of people in a
     * million records; the first name's code is that of its canonical form (nicknames) */
    if (D >= 0 && F >= 0)
        add_rule(r, &nr, P(PT_DOBU, D), P(PT_PHON, F), none, 2);
    if (D >= 0 && S >= 0)
        add_rule(r, &nr, P(PT_DOBU, D), P(PT_PHON, S), none, 2);
    if (D >= 0 && FU >= 0)
        add_rule(r, &nr, P(PT_DOBU, D), P(PT_INIT, FU), none, 2);
    if (S >= 0 && D >= 0 && F >= 0)
        add_rule(r, &nr, P(PT_PHON, S), P(PT_YEAR, D), P(PT_INIT, F), 3);
    for (int k = 0; k < nr; k++)
        r[k].whole = 1;
    if (F >= 0 && S >= 0 && D >= 0) {
        /* the unordered pair of name codes also catches swapped names; alone it makes
         * blocks of namesakes that grow with the data, so with the birth year or postcode */
        add_rule(r, &nr, (part){PT_NAMEPAIR, F, S}, P(PT_YEAR, D), none, 2);
        r[nr - 1].whole = 1;
        if (PC >= 0) {
            add_rule(r, &nr, (part){PT_NAMEPAIR, F, S}, P(PT_VAL, PC), none, 2);
            r[nr - 1].whole = 1;
        }
        /* and alone for rare name pairs (a wrong date and a move together) */
        add_rule(r, &nr, (part){PT_NAMEPAIR, F, S}, none, none, 1);
        if (nr > 0)
            r[nr - 1].max_block = 12;
        /* with the town, for records that lack part of the triple (a pair is made only
         * with such a record; blocks of at most 2 * FULL_BLOCK): the blocks of a name pair
         * alone grow with the data past the cap above, and a person without a date of birth
         * who moved within a town met no other rule; such pairs were the commonest that
         * blocking missed at 1,000,000 and 3,000,000 records (IOM_CONFLATE_MISSED) */
        if (T >= 0) {
            add_rule(r, &nr, (part){PT_NAMEPAIR, F, S}, P(PT_VAL, T), none, 2);
            r[nr - 1].max_block = 2 * FULL_BLOCK;
            r[nr - 1].sparse = 1;
            r[nr - 1].whole = 1;
        }
    } else if (F >= 0 && S >= 0)
        add_rule(r, &nr, (part){PT_NAMEPAIR, F, S}, none, none, 1);
    /* one name's code and the other's first three letters: a typo late in a name (wrigh,
     * kirety) changes its code; with no date, for records that lack it */
    if (F >= 0 && S >= 0) {
        add_rule(r, &nr, P(PT_PHON, F), P(PT_PREFIX, S), none, 2);
        add_rule(r, &nr, P(PT_PREFIX, F), P(PT_PHON, S), none, 2);
    }
    /* Two fields of the identity at a time, for records that lack the others (many missing
     * values, a source with fewer fields): surname or first name with the birth year, first
     * name with middle name, middle name with surname, first name or surname with the town.
     * Their pairs are only those where a record lacks a field of the identity triple (two
     * records that hold all of it meet by the rules above), and only blocks of at most
     * 2 * FULL_BLOCK records are used, like the broad rules below (a window over their big
     * blocks adds mostly look-alikes: at 1,000,000 records, without both limits, they doubled
     * the pairs and cost 0.012 of F1; at 200,000 records, with them, they add 10% pairs). */
    {
        int M = find_kind(eng, K_MIDDLE);
        part two[6][2] = {{P(PT_PHON, S), P(PT_YEAR, D)}, {P(PT_PHON, F), P(PT_YEAR, D)},
                          {P(PT_PHON, F), P(PT_PHON, M)}, {P(PT_PHON, M), P(PT_PHON, S)},
                          {P(PT_PHON, F), P(PT_VAL, T)},  {P(PT_PHON, S), P(PT_VAL, T)}};
        for (int i = 0; i < 6; i++)
            if (two[i][0].f >= 0 && two[i][1].f >= 0) {
                add_rule(r, &nr, two[i][0], two[i][1], none, 2);
                r[nr - 1].max_block = 2 * FULL_BLOCK;
                r[nr - 1].sparse = 1;
            }
    }
    /* The broad single-field rules below (date of birth alone, postcode alone, house alone)
     * are for records whose names are missing or garbled: their blocks of more than
     * 2 * FULL_BLOCK records are skipped. In large data those blocks are many, and what a
     * window over them adds is mostly strangers (200,000 records: 18% of the pairs, F1
     * 0.9868 -> 0.9865; at 8 records FEBRL4 lost two true pairs). */
    /* the date of birth alone, for records whose names are missing or garbled */
    if (D >= 0)
    {
        add_rule(r, &nr, P(PT_DOBU, D), none, none, 1);
        r[nr - 1].max_block = 2 * FULL_BLOCK;
    }
    if (FU >= 0)
        add_rule(r, &nr, P(PT_VAL, FU), none, none, 1);
    if (D >= 0 && PC >= 0)
        add_rule(r, &nr, P(PT_DOBU, D), P(PT_VAL, PC), none, 2);
    if (D >= 0 && T >= 0)
        add_rule(r, &nr, P(PT_DOBU, D), P(PT_VAL, T), none, 2);
    if (PC >= 0 && F >= 0)
        add_rule(r, &nr, P(PT_VAL, PC), P(PT_INIT, F), none, 2);
    if (PC >= 0 && S >= 0)
        add_rule(r, &nr, P(PT_VAL, PC), P(PT_PHON, S), none, 2);
    /* the postcode alone, for records whose names or date are missing (a household's or a
     * street's records: large blocks are windowed) */
    if (PC >= 0)
    {
        add_rule(r, &nr, P(PT_VAL, PC), none, none, 1);
        r[nr - 1].max_block = 2 * FULL_BLOCK;
    }
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        double distinct = ft->nonnull ? (double)ft->norm.n / (double)ft->nonnull : 0;
        if (ft->k == K_ADDRESS) /* house number and street word: the type written any way */
        {
            add_rule(r, &nr, P(PT_HOUSE, f), none, none, 1);
            r[nr - 1].max_block = 2 * FULL_BLOCK;
        }
        if (ft->k == K_PHONE || ft->k == K_EMAIL || ft->k == K_ID) {
            add_rule(r, &nr, P(PT_VAL, f), none, none, 1);
            /* one typo: the first or the last half of the value is intact (value_codes) */
            for (int h = 0; h < 4; h++) {
                add_rule(r, &nr, (part){PT_HALF, f, h}, none, none, 1);
                r[nr - 1].max_block = EDIT1_BLOCK;
                r[nr - 1].sparse = 1;
                r[nr - 1].edit1 = 1;
            }
            if (ft->k == K_EMAIL) { /* the user name, whatever the domain, checked */
                add_rule(r, &nr, P(PT_CODE5, f), none, none, 1);
                r[nr - 1].max_block = VERIFY_BLOCK;
                r[nr - 1].sparse = 1;
                r[nr - 1].verify = 1;
            }
        }
        else if (ft->k == K_STRING && distinct >= 0.5)
            add_rule(r, &nr, P(PT_VAL, f), none, none, 1);
    }
    /* Every other two of the fields that tell people apart, for records that lack some
     * fields: a pair of records that agrees on any two of them (a name's code, the date of
     * birth, the house key of the address, the postcode, the town) is a
     * candidate, whichever two they hold. */
    {
        int M = find_kind(eng, K_MIDDLE), A = find_kind(eng, K_ADDRESS);
        part tell[7] = {P(PT_PHON, F),  P(PT_PHON, M), P(PT_PHON, S), P(PT_DOBU, D),
                        P(PT_HOUSE, A), P(PT_VAL, PC), P(PT_VAL, T)};
        for (int i = 0; i < 7; i++)
            for (int j = i + 1; j < 7; j++) {
                if (tell[i].f < 0 || tell[j].f < 0 || covered(r, nr, tell[i], tell[j]) ||
                    (i >= 4 && j >= 4)) /* two of one home: one piece of evidence */
                    continue;
                add_rule(r, &nr, tell[i], tell[j], none, 2);
                r[nr - 1].max_block = 2 * FULL_BLOCK;
                r[nr - 1].sparse = 1;
            }
    }
    /* One field alone (a name's code, the town), checked: in blocks of at most VERIFY_BLOCK
     * records, a pair where a record lacks a field of the identity triple is kept when it
     * agrees closely on one more field (agree_more), so a typo in the other field (which the
     * exact two-field keys above miss) still finds it. The house key and the postcode have
     * their rules alone above (blocks of at most 2 * FULL_BLOCK, unchecked); checked in
     * blocks up to VERIFY_BLOCK they added no true pair in the test shapes and 3.9 million
     * checks at 1,000,000 records. */
    {
        int M = find_kind(eng, K_MIDDLE);
        part one[4] = {P(PT_PHON, F), P(PT_PHON, M), P(PT_PHON, S), P(PT_VAL, T)};
        for (int i = 0; i < 4; i++)
            if (one[i].f >= 0) {
                add_rule(r, &nr, one[i], none, none, 1);
                r[nr - 1].max_block = VERIFY_BLOCK;
                r[nr - 1].sparse = 1;
                r[nr - 1].verify = 1;
            }
    }
    if (nr == 0) /* nothing better known: one rule per feature */
        for (int f = 0; f < eng->nf; f++)
            add_rule(r, &nr, P(PT_VAL, f), none, none, 1);
    return nr;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
}

/* Codes read from a value's text (PT_HALF, PT_CODE5): NCODE per value id of a feature,
 * made once per distinct value before the keys (reading the texts record by record, rule by
 * rule, was a random memory access each). */
#define NCODE 5 /* the four halves, then the district */

static uint64_t part_value(const conflate_engine *eng, const part *p, uint32_t r,
                           uint32_t *const *codes)
{
    uint32_t v = rec_val(eng, r, p->f);
    if (!v)
        return 0;
    const cval *cv = &eng->f[p->f].vals[v];
    switch (p->t) {
    case PT_VAL:
        return v;
    case PT_PHON:
        return cv->phon;
    case PT_PREFIX: /* names: the first three bytes */
    case PT_HOUSE:  /* addresses: the house number and the word after it */
        return cv->pre;
    case PT_INIT:
        return cv->init;
    case PT_HALF:
        return codes[p->f][(size_t)v * NCODE + (unsigned)p->g];
    case PT_CODE5: /* a postcode's district, an e-mail's user name */
        return codes[p->f][(size_t)v * NCODE + 4];
    case PT_YEAR:
        return cv->aux / 10000;
    case PT_DOBU: {
        uint32_t y = cv->aux / 10000, m = (cv->aux / 100) % 100, d = cv->aux % 100;
        if (!d) /* a partial date is no date of birth to block on (its year still is) */
            return 0;
        return (uint64_t)y * 10000 + (m < d ? m * 100 + d : d * 100 + m);
    }
    case PT_NAMEPAIR: {
        uint32_t w = rec_val(eng, r, p->g);
        if (!w)
            return 0;
        uint64_t a = cv->phon, b = eng->f[p->g].vals[w].phon;
        if (!a || !b)
            return 0;
        return a < b ? (a << 32) | b : (b << 32) | a;
    }
    default:
        return 0;
    }
}

/* The NCODE codes of a value of a text feature: halves 0-3 (phone, e-mail, identifier) and
 * a fifth code (the postcode's district, the e-mail's user name).
 *
 * Two values one typo apart (a letter changed, dropped, added, or two next to each other
 * swapped) share the first or the last h letters, for h = floor((L - 1) / 2) and for
 * h = floor(L / 2), L the length of either (the typo lies in the other half; for lengths L and
 * L + 1 the two share h = floor(L / 2); for equal lengths a swap across the middle leaves
 * floor((L - 1) / 2) intact): halves 0 and 1 are the first and last floor((L - 1) / 2) letters,
 * 2 and 3 the first and last floor(L / 2) (none when L is odd: they are 0 and 1). The halves
 * are of the part that tells people apart: an e-mail's user name (the domain is shared by
 * millions, and "hotmail.co.uk" would be the last half of many), a phone's number after its
 * country code (`+44`); a half of fewer than 3 letters is none. The e-mail's user name is
 * also a code of its own (a typo in the domain, another domain). */
static void value_codes(kind k, const char *t, uint32_t *c)
{
    size_t n = strlen(t);
    memset(c, 0, NCODE * sizeof *c);
    if (k == K_POSTCODE) { /* the district: the outward code, a typo in the inward code aside */
        size_t d = 0;
        while (d < n && t[d] != ' ')
            d++;
        c[4] = d ? (uint32_t)conflate_hash(t, d) | 1u : 0;
        return;
    }
    if (k == K_EMAIL) {
        const char *at = strchr(t, '@');
        if (at) {
            n = (size_t)(at - t);
            c[4] = n ? (uint32_t)conflate_hash(t, n) | 1u : 0;
        }
    } else if (k == K_PHONE && n > 3 && t[0] == '+') { /* the country code: '+' and 2 digits */
        t += 3;
        n -= 3;
    }
    for (int g = 0; g < 4 && n >= 1; g++) {
        size_t h = g < 2 ? (n - 1) / 2 : n / 2;
        if (h < 4 || (g >= 2 && h == (n - 1) / 2))
            continue;
        c[g] = (uint32_t)conflate_hash(g & 1 ? t + n - h : t, h) | 1u;
    }
}

typedef struct codes_ctx {
    const feature *ft;
    uint32_t *out;
} codes_ctx;

static void codes_range(void *ctx, int tid, size_t b, size_t e)
{
    codes_ctx *c = ctx;
    (void)tid;
    for (size_t v = b; v < e; v++)
        value_codes(c->ft->k, conflate_strtab_str(&c->ft->norm, (uint32_t)(v + 1)),
                    c->out + (v + 1) * NCODE);
}

/* codes[f] for every feature a rule reads codes of (NULL for the others). */
static void make_codes(const conflate_engine *eng, const rule *rules, int nr, uint32_t **codes)
{
    for (int k = 0; k < nr; k++)
        for (int q = 0; q < rules[k].np; q++) {
            const part *p = &rules[k].p[q];
            if ((p->t != PT_HALF && p->t != PT_CODE5) || codes[p->f])
                continue;
            const feature *ft = &eng->f[p->f];
            codes[p->f] = conflate_xcalloc(((size_t)ft->norm.n + 1) * NCODE, sizeof(uint32_t));
            codes_ctx cc = {ft, codes[p->f]};
            conflate_par(eng->threads, ft->norm.n, 4096, codes_range, &cc);
        }
}

#define KEY_AHEAD 16 /* records whose value entries are requested ahead (key_range) */

typedef struct key_ctx {
    const conflate_engine *eng;
    const rule *rules;
    int nr;
    uint64_t **keys;
    uint32_t *const *codes;
    int k0; /* the rules [k0, nr) of this batch */
} key_ctx;

static void key_range(void *ctx, int tid, size_t b, size_t e)
{
    key_ctx *c = ctx;
    (void)tid;
    /* record by record, every rule: a record's value entries are read from memory once and
     * are in cache for its other rules (rule by rule, each rule missed them again). Those
     * entries are anywhere in their features' tables (records are numbered for comparing, not
     * by value): the entries (and codes) of record i + KEY_AHEAD are requested ahead, so that
     * the waits overlap (without, at 1M records, the keys of 45 rules took 1.3 s of one core,
     * most of it waiting for memory) */
    const conflate_engine *eng = c->eng;
    int nf = eng->nf;
    for (size_t i = b; i < e; i++) {
        if (i + KEY_AHEAD < e) {
            const uint32_t *row = &eng->vals[(i + KEY_AHEAD) * (size_t)nf];
            for (int f = 0; f < nf; f++)
                if (row[f]) {
                    __builtin_prefetch(&eng->f[f].vals[row[f]]);
                    if (c->codes[f])
                        __builtin_prefetch(&c->codes[f][(size_t)row[f] * NCODE]);
                }
        }
        for (int k = c->k0; k < c->nr; k++) {
            const rule *r = &c->rules[k];
            uint64_t h = 0x243F6A8885A308D3ull + (uint64_t)k;
            int ok = 1;
            for (int p = 0; p < r->np && ok; p++) {
                uint64_t v = part_value(c->eng, &r->p[p], (uint32_t)i, c->codes);
                ok = v != 0;
                h = mix(h, v);
            }
            c->keys[k][i] = ok ? (h ? h : 1) : 0;
        }
    }
}

#define KV_KEY(x) ((x).key)
#define U64_KEY(x) (x)
#define PAIR_KEY(x) ((uint64_t)(x).a << 32 | (x).b)
RADIX_SORT(radix_sort_kv, kv, KV_KEY)
RADIX_SORT(radix_sort_u64, uint64_t, U64_KEY)
RADIX_SORT(radix_sort_pairs, pair, PAIR_KEY)

/* The digits of a pair key (a << 32 | b) whose halves are below `records`: each half in as
   few digits as its significant bits need. */
static radix_digits pair_digits(size_t records)
{
    int bits = 1;
    while (bits < 32 && ((uint64_t)1 << bits) < records)
        bits++;
    radix_digits lo = radix_digits_of(0, bits), hi = radix_digits_of(32, bits), dg = lo;
    for (int i = 0; i < hi.n; i++) {
        dg.shift[dg.n] = hi.shift[i];
        dg.width[dg.n] = hi.width[i];
        dg.n++;
    }
    return dg;
}

/* By key, then by record (unique): the order a stable sort by key gives records that come in
   ascending order. */
static int kv_rec_cmp(const void *x, const void *y)
{
    const kv *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->rec > b->rec) - (a->rec < b->rec);
}

/*
 * A rule's keys are hashes: uniform over 64 bits, and equal only within a block. So the
 * records (in ascending order) are sorted by the top bits alone, as many 11-bit digits as
 * give at least two buckets a record (two passes up to 2^21 records a rule, three up to 2^32,
 * instead of six), which leaves runs that share those bits: a block (every key equal, already
 * in order) or keys that differ further down, sorted then by key and record (an insertion sort:
 * such runs are short). The result is what a stable sort by the whole key gives.
 */
static int top_bits(size_t m)
{
    int bits = 1; /* at least two buckets a record */
    while (bits < 64 && ((size_t)1 << (bits - 1)) < m)
        bits++;
    int nd = (bits + RADIX_BITS - 1) / RADIX_BITS;
    return nd * RADIX_BITS > 64 ? 64 : nd * RADIX_BITS;
}

static void sort_hashed(kv *a, size_t m)
{
    if (m < 2)
        return;
    int top = top_bits(m);
    radix_digits dg = radix_digits_of(64 - top, top);
    radix_sort_kv(a, m, &dg, 1); /* one thread: the rules are sorted on threads */
    int shift = 64 - top;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        int sorted = 1;
        uint64_t t = shift < 64 ? a[i].key >> shift : 0;
        while (j < m && (shift < 64 ? a[j].key >> shift : 0) == t) {
            sorted &= a[j - 1].key <= a[j].key;
            j++;
        }
        if (!sorted && j - i > 32) {
            qsort(a + i, j - i, sizeof *a, kv_rec_cmp);
        } else if (!sorted) { /* stable: equal keys keep their (ascending) records */
            for (size_t x = i + 1; x < j; x++) {
                kv v = a[x];
                size_t y = x;
                while (y > i && a[y - 1].key > v.key) {
                    a[y] = a[y - 1];
                    y--;
                }
                a[y] = v;
            }
        }
        i = j;
    }
}

/*
 * Blocks of at most FULL_BLOCK records give all their pairs. Larger blocks (up to
 * max_block) are sorted by a second key (date of birth, then first name) and each record is
 * paired with the WINDOW records after it (sorted neighbourhood), so pairs per record stay
 * bounded however common a key is.
 */
#define WINDOW 3u

typedef struct block {
    uint32_t rule;
    uint32_t len;
    size_t start;
} block;

/* Per-thread growable buffer of packed pair keys (a << 32 | b, a < b). */
typedef struct tkeys {
    uint64_t *k;
    size_t n, cap;
} tkeys;

typedef struct gen_ctx {
    const conflate_engine *eng;
    const rule *rules;
    kv **sorted;
    const block *blocks;
    const unsigned char *lacks; /* per record: lacks a field of the identity triple */
    tkeys tk[64];
    uint64_t per_rule[64][MAX_RULES];
    uint64_t checked[64][MAX_RULES]; /* pairs a check (verify, edit1) was asked of */
} gen_ctx;

static inline void push_key(tkeys *t, uint64_t k)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1u << 16;
        t->k = conflate_xrealloc(t->k, t->cap * sizeof *t->k);
    }
    t->k[t->n++] = k;
}

/* Whether record r lacks a field of the identity triple (first name, surname, date of
 * birth: those mapped, and with a value in some record). A date known to its year (or month)
 * only is part of one (review 78 L3: a stop-and-search record of first name, surname and year
 * whose surname's code a typo had changed met no rule: the two-field rules of name and year
 * pair only records that lack part of the triple, and a year was counted as a whole date). */
static int lacks_triple(const conflate_engine *eng, uint32_t r)
{
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        if ((k != K_FIRST && k != K_SUR && k != K_DATE) || eng->f[f].nonnull == 0)
            continue;
        uint32_t v = rec_val(eng, r, f);
        if (!v || (k == K_DATE && eng->f[f].vals[v].aux % 100 == 0))
            return 1;
    }
    return 0;
}

static int home_kind(kind k) { return k == K_ADDRESS || k == K_POSTCODE || k == K_TOWN; }

/* Whether records x and y, which share a value (or code) of field fr, agree closely on one
 * more field: another field at its level "close" or better (a name, middle name, date of
 * birth, address, postcode, town or generic field at its third level of those listed in
 * docs/conflate.md, "Compare"; a phone or an identifier at one typo; an e-mail at one typo),
 * sex aside. The address, postcode and town are one home: when fr is one of them, the other
 * two are no more evidence (a household, a street, shares all three). */
static int agree_more(const conflate_engine *eng, uint32_t x, uint32_t y, int fr)
{
    int home = home_kind(eng->f[fr].k);
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        if (f == fr || ft->k == K_SEX || (home && home_kind(ft->k)) || !rec_val(eng, x, f) ||
            !rec_val(eng, y, f))
            continue;
        unsigned l = conflate_compare_feature(eng, f, x, y);
        if (l != LEVEL_NULL && l >= (ft->k == K_PHONE || ft->k == K_ID ? 1u
                                     : ft->k == K_DATE                 ? (unsigned)CONFLATE_DATE_CLOSE
                                                                       : 2u))
            return 1;
    }
    return 0;
}

/* Emits the pairs of blocks [b, e): only keys here; duplicates across rules are removed
 * afterwards by sorting, and comparing happens once per distinct pair. */
/* Whether the pair x, y of a block of rule r is a candidate under the rule's checks and the
 * mode (the sparse condition is the caller's). */
static int keep_pair(const conflate_engine *eng, const rule *r, uint32_t x, uint32_t y)
{
    if (eng->stl && eng->stl[x] && eng->stl[y]) /* both settled: their clustering stands */
        return 0;
    if (r->verify && !agree_more(eng, x, y, r->p[0].f))
        return 0;
    if (r->edit1) {
        int f = r->p[0].f;
        const conflate_strtab *t = &eng->f[f].norm;
        uint32_t vx = rec_val(eng, x, f), vy = rec_val(eng, y, f);
        if (!conflate_within_one_edit(conflate_strtab_str(t, vx), conflate_strtab_len(t, vx),
                                      conflate_strtab_str(t, vy), conflate_strtab_len(t, vy)))
            return 0;
    }
    if (eng->o.mode != CONFLATE_LINK_AND_DEDUPE) { /* sources read only when they matter */
        int same = eng->src[x] == eng->src[y];
        if ((eng->o.mode == CONFLATE_LINK_ONLY && same) ||
            (eng->o.mode == CONFLATE_DEDUPE_ONLY && !same))
            return 0;
    }
    return 1;
}

/* For a rule whose pairs are checked (verify: agree_more reads the records' values): the rows
 * of block bi's first records (rows), or the value entries those rows name (!rows), requested
 * ahead. The records of a block are anywhere in the table, and a check of their pairs waited
 * for each in turn. */
#define GEN_PREFETCH 16 /* records of a block */
static void gen_prefetch(const gen_ctx *c, size_t bi, int rows)
{
    const block *bl = &c->blocks[bi];
    if (!c->rules[bl->rule].verify)
        return;
    const conflate_engine *eng = c->eng;
    const kv *m = c->sorted[bl->rule] + bl->start;
    size_t nf = (size_t)eng->nf, n = bl->len < GEN_PREFETCH ? bl->len : GEN_PREFETCH;
    for (size_t t = 0; t < n; t++) {
        const uint32_t *row = &eng->vals[(size_t)m[t].rec * nf];
        if (rows) {
            __builtin_prefetch(row);
            continue;
        }
        for (size_t f = 0; f < nf; f++)
            if (row[f] && eng->f[f].ent)
                __builtin_prefetch(feature_entry(&eng->f[f], row[f]));
    }
}

static void gen_range(void *ctx, int tid, size_t b, size_t e)
{
    gen_ctx *c = ctx;
    const conflate_engine *eng = c->eng;
    tkeys *tk = &c->tk[tid];
    const unsigned char *lk = c->lacks;
    for (size_t bi = b; bi < e; bi++) {
        if (bi + 2 < e)
            gen_prefetch(c, bi + 2, 1);
        if (bi + 1 < e)
            gen_prefetch(c, bi + 1, 0);
        const block *bl = &c->blocks[bi];
        const kv *m = c->sorted[bl->rule] + bl->start;
        const rule *r = &c->rules[bl->rule];
        int all = bl->len <= FULL_BLOCK || r->edit1 || r->verify; /* every pair, no window */
        uint64_t made = 0, checked = 0;
        if (r->sparse && all) {
            /* only pairs with a record that lacks part of the triple: from those records,
             * each such pair once (two lacking records: from the first) */
            for (uint32_t i = 0; i < bl->len; i++) {
                uint32_t x = m[i].rec;
                if (!lk[x])
                    continue;
                for (uint32_t j = 0; j < bl->len; j++) {
                    uint32_t y = m[j].rec;
                    if (j == i || (lk[y] && j < i))
                        continue;
                    checked++;
                    if (!keep_pair(eng, r, x, y))
                        continue;
                    push_key(tk, x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x);
                    made++;
                }
            }
        } else
            for (uint32_t i = 0; i < bl->len; i++) {
                uint32_t x = m[i].rec;
                uint32_t jend = all ? bl->len : (i + 1 + WINDOW < bl->len ? i + 1 + WINDOW : bl->len);
                for (uint32_t j = i + 1; j < jend; j++) {
                    uint32_t y = m[j].rec;
                    if ((r->sparse && !(lk[x] || lk[y])) || !keep_pair(eng, r, x, y))
                        continue;
                    push_key(tk, x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x);
                    made++;
                }
            }
        c->per_rule[tid][bl->rule] += made;
        c->checked[tid][bl->rule] += checked;
    }
}

typedef struct cmp_ctx {
    conflate_engine *eng;
    const unsigned char *rows; /* comparison rows (conflate_row_fill), or NULL */
    size_t stride;
} cmp_ctx;

/* Compares pairs [b, e) of eng->pairs in place: each pair's slot is fixed by its sorted
 * position, so the result does not depend on the number of threads or their timing. */
/*
 * Comparing is bound by memory latency (record b and the value entries of a pair are rarely
 * in cache), so loads are requested ahead: the records of pair i + 2 * AHEAD, then the
 * entries of the values of pair i + AHEAD, whose records have arrived by then.
 */
#define AHEAD 16
static void cmp_range(void *ctx, int tid, size_t b, size_t e)
{
    cmp_ctx *c = ctx;
    const conflate_engine *eng = c->eng;
    (void)tid;
    pair *p = eng->pairs;
    size_t nf = (size_t)eng->nf;
    if (c->rows) { /* two rows per pair: requested AHEAD pairs early, every line of them */
        const unsigned char *rows = c->rows;
        size_t st = c->stride;
        for (size_t i = b; i < e; i++) {
            if (i + AHEAD < e) {
                const unsigned char *ra = rows + (size_t)p[i + AHEAD].a * st;
                const unsigned char *rb = rows + (size_t)p[i + AHEAD].b * st;
                __builtin_prefetch(&eng->vals[(size_t)p[i + AHEAD].b * nf]);
                for (size_t o = 0; o < st; o += 64) {
                    __builtin_prefetch(ra + o);
                    __builtin_prefetch(rb + o);
                }
            }
            p[i].pat = conflate_compare_rows(eng, p[i].a, p[i].b, rows + (size_t)p[i].a * st,
                                             rows + (size_t)p[i].b * st);
        }
        return;
    }
    for (size_t i = b; i < e; i++) {
        if (i + 2 * AHEAD < e) {
            __builtin_prefetch(&eng->vals[(size_t)p[i + 2 * AHEAD].a * nf]);
            __builtin_prefetch(&eng->vals[(size_t)p[i + 2 * AHEAD].b * nf]);
        }
        if (i + AHEAD < e) {
            const uint32_t *ra = &eng->vals[(size_t)p[i + AHEAD].a * nf];
            const uint32_t *rb = &eng->vals[(size_t)p[i + AHEAD].b * nf];
            for (size_t f = 0; f < nf; f++) {
                const feature *ft = &eng->f[f];
                if (ra[f] != rb[f] && ra[f] && rb[f] && ft->ent) {
                    __builtin_prefetch(feature_entry(ft, ra[f]));
                    __builtin_prefetch(feature_entry(ft, rb[f]));
                }
            }
        }
        p[i].pat = conflate_compare_records(eng, p[i].a, p[i].b);
    }
}

static uint64_t possible_pairs(const conflate_engine *eng)
{
    uint64_t n = eng->n, all = n * (n - 1) / 2, within = 0;
    for (size_t s = 0; s < eng->nsources; s++) {
        uint64_t k = eng->sources[s].ids.n;
        within += k * (k ? k - 1 : 0) / 2;
    }
    switch (eng->o.mode) {
    case CONFLATE_LINK_ONLY:
        return all - within;
    case CONFLATE_DEDUPE_ONLY:
        return within;
    case CONFLATE_LINK_AND_DEDUPE:
    default:
        return all;
    }
}


/* Small inputs: every allowed pair is a candidate (blocking could only lose recall). */
#define FULL_COMPARE_PAIRS 1000000u

typedef struct full_ctx {
    const conflate_engine *eng;
    tkeys tk[64];
} full_ctx;

static void full_range(void *ctx, int tid, size_t b, size_t e)
{
    full_ctx *c = ctx;
    const conflate_engine *eng = c->eng;
    tkeys *tk = &c->tk[tid];
    for (size_t x = b; x < e; x++)
        for (size_t y = x + 1; y < eng->n; y++) {
            int same = eng->src[x] == eng->src[y];
            if ((eng->o.mode == CONFLATE_LINK_ONLY && same) ||
                (eng->o.mode == CONFLATE_DEDUPE_ONLY && !same) || (eng->stl && eng->stl[x] && eng->stl[y]))
                continue;
            push_key(tk, (uint64_t)x << 32 | y);
        }
}

/* Concatenates the per-thread keys, sorts them, drops duplicates (a pair made by several
 * rules) and compares each distinct pair once, on eng->threads threads. */
static void gather_compare(conflate_engine *eng, tkeys *tk, const unsigned char *rows, size_t stride)
{
    size_t total = 0;
    for (int t = 0; t < 64; t++)
        total += tk[t].n;
    uint64_t *keys = conflate_xmalloc((total + 1) * sizeof *keys);
    size_t n = 0;
    for (int t = 0; t < 64; t++) {
        if (tk[t].n)
            memcpy(keys + n, tk[t].k, tk[t].n * sizeof *keys);
        n += tk[t].n;
        free(tk[t].k);
        tk[t].k = NULL;
    }
    double t0 = conflate_now(), c0 = conflate_cpu_now();
    radix_digits dg = pair_digits(eng->n);
    radix_sort_u64(keys, n, &dg, eng->threads);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || keys[i] != keys[u - 1])
            keys[u++] = keys[i];
    eng->pairs = conflate_xmalloc((u + 1) * sizeof *eng->pairs);
    for (size_t i = 0; i < u; i++) {
        eng->pairs[i].a = (uint32_t)(keys[i] >> 32);
        eng->pairs[i].b = (uint32_t)keys[i];
        eng->pairs[i].pat = 0;
    }
    free(keys);
    eng->npairs = u;
    double t1 = conflate_now(), c1 = conflate_cpu_now();
    cmp_ctx cc = {eng, rows, stride};
    conflate_par(eng->threads, u, 4096, cmp_range, &cc);
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "pairs: %zu made, %zu distinct; sort+unique %.2f s (cpu %.2f), compare %.2f s "
                        "(cpu %.2f)",
                n, u, t1 - t0, c1 - c0, conflate_now() - t1, conflate_cpu_now() - c1);
}

/* By key, then by the original record index (in pad: records are renumbered meanwhile, and
   the window of a large block must not depend on that numbering). */
static int kv_cmp(const void *x, const void *y)
{
    const kv *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->pad > b->pad) - (a->pad < b->pad);
}

/* Second key inside a large block: date of birth, then first name (canonical), so that the
 * records of one person sit side by side. */
static uint64_t second_key(const conflate_engine *eng, int D, int F, int S, uint32_t r)
{
    uint64_t d = 0, f = 0;
    if (D >= 0) {
        uint32_t v = rec_val(eng, r, D);
        d = v ? eng->f[D].vals[v].aux : 0;
    } else if (S >= 0) {
        uint32_t v = rec_val(eng, r, S);
        d = v ? eng->f[S].vals[v].phon : 0;
    }
    if (F >= 0) {
        uint32_t v = rec_val(eng, r, F);
        f = v ? eng->f[F].vals[v].aux : 0;
    } else if (eng->nf > 0) {
        f = rec_val(eng, r, 0);
    }
    return d << 32 | (f & 0xFFFFFFFFull);
}

typedef struct rule_ctx {
    const conflate_engine *eng;
    const rule *rules;
    uint64_t **keys;
    kv **sorted;
    block *blocks[MAX_RULES];
    size_t nblocks[MAX_RULES];
    int D2, F2, S2;
    const uint32_t *order; /* renumbering: new index -> original (NULL: none) */
    const unsigned char *lacks; /* per record: lacks a field of the identity triple */
    int k0;                     /* task i is rule k0 + i */
} rule_ctx;

/* A sparse rule pairs only where a record lacks a field of the identity triple, so the
 * only blocks that matter hold such a record: the keys of the other records are cleared
 * unless a lacking record has the same key (an open-addressing set of the lacking records'
 * keys). The blocks that matter keep all their records, so the pairs are the same; the sort
 * is of far fewer records when few lack anything. The set counts the records of each of its
 * keys, so that the keys of blocks no rule would use (one record; more than mb records, the
 * rule not `whole`) are cleared too: a rule of a common first name kept 835,763 records of
 * 1M to sort for 1,409 in usable blocks. */
typedef struct lack_slot {
    uint64_t key;
    uint64_t n; /* records with the key */
} lack_slot;

static lack_slot *lack_find(lack_slot *set, size_t cap, int shift, uint64_t key)
{
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> shift);
    while (set[h].key && set[h].key != key)
        h = (h + 1) & (cap - 1);
    return &set[h];
}

static void keep_lacking_keys(const conflate_engine *eng, const unsigned char *lacks,
                              uint64_t *keys, uint32_t mb, int whole)
{
    size_t nl = 0;
    for (size_t i = 0; i < eng->n; i++)
        nl += lacks[i] && keys[i];
    size_t cap = 16;
    while (cap < 2 * nl + 1)
        cap *= 2;
    lack_slot *set = conflate_xcalloc(cap, sizeof *set);
    int shift = 64 - __builtin_ctzll(cap);
    for (size_t i = 0; i < eng->n; i++)
        if (lacks[i] && keys[i]) {
            lack_slot *sl = lack_find(set, cap, shift, keys[i]);
            sl->key = keys[i];
            sl->n++;
        }
    /* a bitmap of the set's keys by their top bits first (at most 1 MB, 16 bits a lacking
       record): most keys are not in the set, and the bitmap stays in cache where the set
       does not */
    int bbits = 16;
    while (bbits < 23 && ((size_t)1 << bbits) < 16 * nl)
        bbits++;
    uint64_t *bm = conflate_xcalloc(((size_t)1 << bbits) / 64, sizeof *bm);
    for (size_t h = 0; h < cap; h++)
        if (set[h].key) {
            uint64_t t = set[h].key >> (64 - bbits);
            bm[t >> 6] |= (uint64_t)1 << (t & 63);
        }
    for (size_t i = 0; i < eng->n; i++)
        if (!lacks[i] && keys[i]) {
            uint64_t t = keys[i] >> (64 - bbits);
            if (!(bm[t >> 6] >> (t & 63) & 1)) {
                keys[i] = 0;
                continue;
            }
            lack_slot *sl = lack_find(set, cap, shift, keys[i]);
            if (!sl->key)
                keys[i] = 0;
            else
                sl->n++;
        }
    /* the blocks rule_range would not use: as it tells them (len >= 2, len <= mb unless whole) */
    for (size_t i = 0; i < eng->n; i++)
        if (keys[i]) {
            uint64_t n = lack_find(set, cap, shift, keys[i])->n;
            if (n < 2 || (n > mb && !whole))
                keys[i] = 0;
        }
    free(bm);
    free(set);
}

/* Sorts the records of rules [b, e) by key and lists their usable blocks (one rule per
 * task: each writes only its own sorted[k], blocks[k] and frees its keys[k]). */
static void rule_range(void *ctx, int tid, size_t b, size_t e)
{
    rule_ctx *c = ctx;
    const conflate_engine *eng = c->eng;
    (void)tid;
    for (size_t k = b + (size_t)c->k0; k < e + (size_t)c->k0; k++) {
        uint64_t *keys = c->keys[k];
        uint32_t mb = c->rules[k].max_block && c->rules[k].max_block < eng->o.max_block
                          ? c->rules[k].max_block : eng->o.max_block;
        if (c->rules[k].sparse)
            keep_lacking_keys(eng, c->lacks, keys, mb, c->rules[k].whole);
        size_t m = 0;
        for (size_t i = 0; i < eng->n; i++)
            m += keys[i] != 0;
        kv *a = conflate_xmalloc((m + 1) * sizeof *a);
        m = 0;
        for (size_t i = 0; i < eng->n; i++)
            if (keys[i]) {
                a[m].key = keys[i];
                a[m].rec = (uint32_t)i;
                a[m].pad = 0;
                m++;
            }
        sort_hashed(a, m);
        block *blocks = NULL;
        size_t nblocks = 0, capblocks = 0;
        size_t w = 0; /* keep only members of usable blocks, compacted */
        for (size_t i = 0; i < m;) {
            size_t j = i;
            while (j < m && a[j].key == a[i].key)
                j++;
            size_t len = j - i;
            if (len >= 2 && (len <= mb || c->rules[k].whole)) {
                if (nblocks == capblocks) {
                    capblocks = capblocks ? capblocks * 2 : 1024;
                    blocks = conflate_xrealloc(blocks, capblocks * sizeof *blocks);
                }
                blocks[nblocks++] = (block){(uint32_t)k, (uint32_t)len, w};
                memmove(a + w, a + i, len * sizeof *a);
                if (len > FULL_BLOCK && !c->rules[k].edit1 && !c->rules[k].verify) { /* edit1: every pair anyway */
                    kv *bk = a + w;
                    for (size_t t = 0; t < len; t++) { /* sort by the second key */
                        bk[t].key = second_key(eng, c->rules[k].dated ? -1 : c->D2, c->F2,
                                               c->rules[k].dated ? c->S2 : -1, bk[t].rec);
                        bk[t].pad = c->order ? c->order[bk[t].rec] : bk[t].rec;
                    }
                    qsort(bk, len, sizeof *bk, kv_cmp);
                }
                w += len;
            }
            i = j;
        }
        c->sorted[k] = conflate_xrealloc(a, (w + 1) * sizeof *a);
        c->blocks[k] = blocks;
        c->nblocks[k] = nblocks;
        free(c->keys[k]);
        c->keys[k] = NULL;
    }
}

/*
 * Renumbering for locality. Comparing a pair reads both records' rows of value ids; pairs
 * sorted by (a, b) read row a in order but row b anywhere in n * nf * 4 bytes (400 MB at ten
 * million records), and on this kind of virtual machine a random row costs a TLB miss and
 * a memory access that prefetching does not hide (at 10M, 60% of the comparing time was the
 * wait for row b). Most candidate pairs share a surname code and a date of birth, so while
 * blocking and comparing, records are numbered in (surname code, date of birth) order: the
 * rows of a pair are then mostly a few kilobytes apart. Afterwards the pairs are numbered
 * back and sorted by (a, b) again, so everything downstream (and every output) is exactly
 * what it was; comparing is symmetric (conflate_compare_feature orders the values), so
 * which record of a pair comes first does not change its pattern.
 */
typedef struct renum {
    uint32_t *order;     /* new index -> original record index */
    uint32_t *vals;      /* the engine's own arrays, restored afterwards */
    uint16_t *src;
    uint32_t *dslip;
    uint32_t *pvals;     /* the renumbered copies in use meanwhile */
    uint16_t *psrc;
    uint32_t *pdslip;
    uint32_t *known, *pknown; /* the records' known-as names (engine_int.h known_of) */
    size_t known_n;
    uint32_t *oth, *poth; /* the records' cells' further values (engine_int.h oth_of) */
    size_t oth_n;
    uint32_t *chain, *pchain; /* the records' name chains (engine_int.h chain_of) */
    size_t chain_n;
    unsigned char *rows; /* comparison rows in the new order (conflate_row_fill) */
    size_t stride;
} renum;

typedef struct renum_ctx {
    const conflate_engine *eng;
    const renum *rn;
    const uint32_t *vals;
    const uint16_t *src;
    kv *kv;
    int S, D;
} renum_ctx;

static void renum_keys(void *ctx, int tid, size_t b, size_t e)
{
    renum_ctx *c = ctx;
    (void)tid;
    for (size_t i = b; i < e; i++) {
        uint64_t hi = 0, lo = 0;
        if (c->S >= 0) {
            uint32_t v = rec_val(c->eng, (uint32_t)i, c->S);
            hi = v ? c->eng->f[c->S].vals[v].phon : 0;
        }
        if (c->D >= 0) {
            uint32_t v = rec_val(c->eng, (uint32_t)i, c->D);
            lo = v ? c->eng->f[c->D].vals[v].aux : 0;
        }
        c->kv[i] = (kv){hi << 32 | lo, (uint32_t)i, 0};
    }
}

static void renum_copy(void *ctx, int tid, size_t b, size_t e)
{
    renum_ctx *c = ctx;
    (void)tid;
    size_t nf = (size_t)c->eng->nf;
    for (size_t i = b; i < e; i++) {
        uint32_t o = c->rn->order[i];
        memcpy(c->rn->pvals + i * nf, c->vals + (size_t)o * nf, nf * sizeof *c->vals);
        c->rn->psrc[i] = c->src[o];
        if (c->rn->pdslip)
            c->rn->pdslip[i] = c->rn->dslip[o];
        if (c->rn->pknown)
            c->rn->pknown[i] = o < c->rn->known_n ? c->rn->known[o] : 0;
        if (c->rn->poth)
            c->rn->poth[i] = o < c->rn->oth_n ? c->rn->oth[o] : 0;
        if (c->rn->pchain)
            c->rn->pchain[i] = o < c->rn->chain_n ? c->rn->chain[o] : 0;
    }
}

/* Rows of records [b, e) in the new order: run after the engine uses the renumbered values. */
static void rows_range(void *ctx, int tid, size_t b, size_t e)
{
    renum_ctx *c = ctx;
    (void)tid;
    const conflate_engine *eng = c->eng;
    enum { AHEAD_ROWS = 8 };
    for (size_t i = b; i < e; i++) {
        if (i + AHEAD_ROWS < e) /* the value entries a row copies are anywhere: ask early */
            for (int f = 0; f < eng->nf; f++) {
                uint32_t v = rec_val(eng, (uint32_t)(i + AHEAD_ROWS), f);
                if (v && eng->f[f].ent)
                    __builtin_prefetch(feature_entry(&eng->f[f], v));
            }
        conflate_row_fill(eng, (uint32_t)i, c->rn->rows + i * c->rn->stride, c->rn->stride);
    }
}

static void renumber(conflate_engine *eng, renum *rn)
{
    size_t n = eng->n, nf = (size_t)eng->nf;
    renum_ctx c = {eng, rn, eng->vals, eng->src, NULL, find_kind(eng, K_SUR), find_kind(eng, K_DATE)};
    if (c.S < 0)
        c.S = find_kind(eng, K_FULL) >= 0 ? find_kind(eng, K_FULL) : find_kind(eng, K_FIRST);
    c.kv = conflate_xmalloc((n + 1) * sizeof *c.kv);
    conflate_par(eng->threads, n, 65536, renum_keys, &c);
    radix_digits all = radix_digits_of(0, 64);
    radix_sort_kv(c.kv, n, &all, eng->threads); /* stable: equal keys keep their reading order */
    rn->order = conflate_xmalloc((n + 1) * sizeof *rn->order);
    for (size_t i = 0; i < n; i++)
        rn->order[i] = c.kv[i].rec;
    free(c.kv);
    rn->pvals = conflate_xmalloc((n * nf + 1) * sizeof *rn->pvals);
    rn->psrc = conflate_xmalloc((n + 1) * sizeof *rn->psrc);
    rn->dslip = eng->dslip;
    rn->pdslip = eng->dslip ? conflate_xmalloc((n + 1) * sizeof *rn->pdslip) : NULL;
    rn->known = eng->known_of;
    rn->known_n = eng->known_n;
    rn->pknown = eng->known_of ? conflate_xmalloc((n + 1) * sizeof *rn->pknown) : NULL;
    rn->oth = eng->oth_of;
    rn->oth_n = eng->oth_n;
    rn->poth = eng->oth_of ? conflate_xmalloc((n + 1) * sizeof *rn->poth) : NULL;
    rn->chain = eng->chain_of;
    rn->chain_n = eng->chain_n;
    rn->pchain = eng->chain_of ? conflate_xmalloc((n + 1) * sizeof *rn->pchain) : NULL;
    conflate_par(eng->threads, n, 65536, renum_copy, &c);
    if (rn->pchain) {
        eng->chain_of = rn->pchain;
        eng->chain_n = n;
    }
    if (rn->pknown) {
        eng->known_of = rn->pknown;
        eng->known_n = n;
    }
    if (rn->poth) {
        eng->oth_of = rn->poth;
        eng->oth_n = n;
    }
    rn->vals = eng->vals;
    rn->src = eng->src;
    eng->vals = rn->pvals;
    eng->src = rn->psrc;
    eng->dslip = rn->pdslip;
    rn->stride = conflate_row_stride(eng);
    rn->rows = conflate_xmalloc(n * rn->stride + 64);
    conflate_par(eng->threads, n, 16384, rows_range, &c);
}

typedef struct back_ctx {
    pair *p;
    const uint32_t *order;
} back_ctx;

static void back_range(void *ctx, int tid, size_t b, size_t e)
{
    back_ctx *c = ctx;
    (void)tid;
    for (size_t i = b; i < e; i++) {
        uint32_t x = c->order[c->p[i].a], y = c->order[c->p[i].b];
        c->p[i].a = x < y ? x : y;
        c->p[i].b = x < y ? y : x;
    }
}

/* Back to the original record numbers, pairs in (a, b) order, the engine's arrays restored. */
static void renumber_back(conflate_engine *eng, renum *rn)
{
    back_ctx c = {eng->pairs, rn->order};
    conflate_par(eng->threads, eng->npairs, 1u << 16, back_range, &c);
    radix_digits dg = pair_digits(eng->n);
    radix_sort_pairs(eng->pairs, eng->npairs, &dg, eng->threads);
    eng->vals = rn->vals;
    eng->src = rn->src;
    eng->dslip = rn->dslip;
    if (rn->pknown) {
        eng->known_of = rn->known;
        eng->known_n = rn->known_n;
        free(rn->pknown);
    }
    if (rn->poth) {
        eng->oth_of = rn->oth;
        eng->oth_n = rn->oth_n;
        free(rn->poth);
    }
    if (rn->pchain) {
        eng->chain_of = rn->chain;
        eng->chain_n = rn->chain_n;
        free(rn->pchain);
    }
    free(rn->pvals);
    free(rn->psrc);
    free(rn->pdslip);
    free(rn->order);
    memset(rn, 0, sizeof *rn);
}

/* Debugging (bench_conflate, IOM_CONFLATE_MISSED): whether records a and b share a key of each
 * rule (a part missing in either: not shared), as bits of *mask (rule k: bit k, the first 64
 * rules); desc (cap bytes, may be NULL) names rule `which` (its parts' types and features, cap and
 * flags). Returns the number of rules. */
int conflate_block_debug_shared(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t *mask,
                                int which, char *desc, size_t cap)
{
    rule r[MAX_RULES];
    int nr = make_rules(eng, r);
    *mask = 0;
    for (int k = 0; k < nr && k < 64; k++) {
        int same = 1;
        for (int q = 0; q < r[k].np && same; q++) {
            const part *p = &r[k].p[q];
            uint64_t v[2];
            uint32_t rec[2] = {a, b};
            for (int i = 0; i < 2; i++) {
                if (p->t == PT_HALF || p->t == PT_CODE5) {
                    uint32_t val = rec_val(eng, rec[i], p->f), c[NCODE] = {0};
                    if (val)
                        value_codes(eng->f[p->f].k, conflate_strtab_str(&eng->f[p->f].norm, val), c);
                    v[i] = c[p->t == PT_HALF ? p->g : 4];
                } else
                    v[i] = part_value(eng, p, rec[i], NULL);
            }
            same = v[0] && v[0] == v[1];
        }
        if (same)
            *mask |= 1ull << k;
    }
    if (desc && which >= 0 && which < nr) {
        static const char *const tn[] = {"val", "phon", "init", "year", "dob", "namepair", "prefix",
                                         "house", "code5", "half"};
        size_t o = 0;
        desc[0] = 0;
        for (int q = 0; q < r[which].np && o < cap; q++)
            o += (size_t)snprintf(desc + o, cap - o, "%s%s(%s)", q ? "+" : "", tn[r[which].p[q].t],
                                  conflate_feature_role(eng, (size_t)r[which].p[q].f));
        if (o < cap)
            snprintf(desc + o, cap - o, " max %u%s%s%s%s", r[which].max_block ? r[which].max_block : eng->o.max_block,
                     r[which].sparse ? " sparse" : "", r[which].verify ? " verify" : "",
                     r[which].edit1 ? " edit1" : "", r[which].whole ? " whole" : "");
    }
    return nr;
}

void conflate_block(conflate_engine *eng)
{
    rule rules[MAX_RULES];
    int nr = make_rules(eng, rules);
    eng->possible = possible_pairs(eng);
    if (eng->settled) {
        eng->stl = conflate_xmalloc(eng->n + 1);
        for (size_t i = 0; i < eng->n; i++)
            eng->stl[i] = eng->settled[i] != 0;
    }
    if (eng->possible <= FULL_COMPARE_PAIRS) {
        full_ctx *fc = conflate_xcalloc(1, sizeof *fc);
        fc->eng = eng;
        progress(eng, "compare", 0, 1);
        conflate_par(eng->threads, eng->n, 64, full_range, fc);
        gather_compare(eng, fc->tk, NULL, 0);
        free(fc);
        free(eng->stl);
        eng->stl = NULL;
        progress(eng, "compare", 1, 1);
        return;
    }
    double tk0 = conflate_now(), ck0 = conflate_cpu_now();
    renum rn;
    renumber(eng, &rn);
    if (eng->stl) /* in the new numbering */
        for (size_t i = 0; i < eng->n; i++)
            eng->stl[i] = eng->settled[rn.order[i]] != 0;
    conflate_msg(eng, CONFLATE_MSG_DEBUG,
                 "renumbered for locality, comparison rows of %zu bytes: %.2f s (cpu %.2f)",
                rn.stride, conflate_now() - tk0, conflate_cpu_now() - ck0);
    uint64_t *keys[MAX_RULES] = {NULL};
    tk0 = conflate_now();
    ck0 = conflate_cpu_now();
    uint32_t *codes[CONFLATE_MAX_FEATURES] = {NULL};
    make_codes(eng, rules, nr, codes);
    kv *sorted[MAX_RULES];
    for (int k = 0; k < nr; k++)
        for (int q = 0; q < rules[k].np; q++)
            rules[k].dated |= rules[k].p[q].t == PT_DOBU || rules[k].p[q].t == PT_YEAR;
    unsigned char *lacks = conflate_xmalloc(eng->n + 1);
    for (size_t i = 0; i < eng->n; i++)
        lacks[i] = (unsigned char)lacks_triple(eng, (uint32_t)i);
    rule_ctx rc = {eng, rules, keys, sorted, {NULL}, {0}, find_kind(eng, K_DATE),
                   find_kind(eng, K_FIRST), find_kind(eng, K_SUR), rn.order, lacks, 0};
    progress(eng, "block", 0, (uint64_t)nr);
    /* KEY_BATCH rules at a time: the keys of a batch (n * 8 bytes a rule) are freed as its
     * rules are sorted, so memory holds at most one batch of them */
    for (int k0 = 0; k0 < nr; k0 += KEY_BATCH) {
        int k1 = k0 + KEY_BATCH < nr ? k0 + KEY_BATCH : nr;
        for (int k = k0; k < k1; k++)
            keys[k] = conflate_xmalloc((eng->n + 1) * sizeof(uint64_t));
        key_ctx kc = {eng, rules, k1, keys, codes, k0};
        conflate_par(eng->threads, eng->n, 65536, key_range, &kc);
        rc.k0 = k0;
        conflate_par(eng->threads, (size_t)(k1 - k0), 1, rule_range, &rc);
    }
    for (int f = 0; f < eng->nf; f++)
        free(codes[f]);
    size_t nblocks = 0;
    for (int k = 0; k < nr; k++)
        nblocks += rc.nblocks[k];
    block *blocks = conflate_xmalloc((nblocks + 1) * sizeof *blocks);
    nblocks = 0;
    for (int k = 0; k < nr; k++) { /* in rule order, whatever thread built them */
        if (rc.nblocks[k])
            memcpy(blocks + nblocks, rc.blocks[k], rc.nblocks[k] * sizeof *blocks);
        nblocks += rc.nblocks[k];
        free(rc.blocks[k]);
    }
    progress(eng, "block", (uint64_t)nr, (uint64_t)nr);
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "keys and blocks of %d rules: %.2f s (cpu %.2f)", nr,
                conflate_now() - tk0, conflate_cpu_now() - ck0);
    tk0 = conflate_now();
    ck0 = conflate_cpu_now();
    gen_ctx *gc = conflate_xcalloc(1, sizeof *gc);
    gc->eng = eng;
    gc->rules = rules;
    gc->sorted = sorted;
    gc->blocks = blocks;
    gc->lacks = lacks;
    progress(eng, "compare", 0, nblocks);
    conflate_par(eng->threads, nblocks, 256, gen_range, gc);
    for (int k = 0; k < nr; k++) {
        free(sorted[k]);
        sorted[k] = NULL;
    }
    free(blocks);
    free(lacks);
    free(eng->stl);
    eng->stl = NULL;
    blocks = NULL;
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "pairs of %zu blocks made: %.2f s (cpu %.2f)", nblocks,
                conflate_now() - tk0, conflate_cpu_now() - ck0);
    gather_compare(eng, gc->tk, rn.rows, rn.stride);
    free(rn.rows);
    rn.rows = NULL;
    tk0 = conflate_now();
    ck0 = conflate_cpu_now();
    renumber_back(eng, &rn);
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "pairs numbered back and sorted: %.2f s (cpu %.2f)",
                 conflate_now() - tk0,
                conflate_cpu_now() - ck0);
    progress(eng, "compare", nblocks, nblocks);
    if (eng->o.debug)
        for (int k = 0; k < nr; k++) {
            uint64_t t = 0, ch = 0;
            for (int th = 0; th < 64; th++) {
                t += gc->per_rule[th][k];
                ch += gc->checked[th][k];
            }
            conflate_msg(eng, CONFLATE_MSG_DEBUG,
                         "rule %d (%d parts, first %d/%d): %llu pairs made (before removing "
                         "duplicates), %llu looked at", k, rules[k].np,
                    (int)rules[k].p[0].t, rules[k].p[0].f, (unsigned long long)t,
                    (unsigned long long)ch);
        }
    free(gc);
}
