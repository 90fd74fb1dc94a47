/* Search over taskings, intelligence items and entities (app/search.h; issue 16 point 4). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "app/json.h"
#include "app/search.h"
#include "app/tasking.h"
#include "app/work.h"
#include "conflate/norm.h"
#include "domain/access.h"
#include "domain/picture.h"
#include "util/text.h"

#define SS(c) ((c)->store->ops->search)
#define PS(c) ((c)->store->ops->picture)
#define WS(c) ((c)->store->ops->work)

/* ---- the text of a search ---------------------------------------------------------------- */

/* ASCII punctuation a name, number, address or registration mark may hold; every other ASCII
   punctuation character is refused (it would be query syntax to the FTS engine). */
static bool allowed_punct(char ch) { return strchr(" '-.,/+()@&_#", ch) != NULL; }

/* Splits normalised text (words separated by one space) into at most max words. */
static size_t split_words(char *s, char **w, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *p = strtok_r(s, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        if (n == max)
            return max + 1;
        w[n++] = p;
    }
    return n;
}

static void quoted(iom_buf *b, const char *s)
{
    iom_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            iom_buf_putc(b, '"');
        iom_buf_putc(b, *s);
    }
    iom_buf_putc(b, '"');
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static bool has_alpha_and_digit(const char *s)
{
    bool a = false, d = false;
    for (; *s; s++) {
        a |= (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z');
        d |= *s >= '0' && *s <= '9';
    }
    return a && d;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The identifier forms of a text as a telephone number, a registration mark or a postcode:
   each written to b as a separate term (lower case; a postcode once with its space, once
   without). */
static void identifier_forms(const char *text, size_t words, iom_buf *b, bool as_query)
{
    char key[PIC_KEY_MAX];
    if (picture_norm_phone(text, key, NULL) == IOM_OK) {
        const char *d = key[0] == '+' ? key + 1 : key;
        if (as_query)
            iom_buf_puts(b, " OR ");
        as_query ? quoted(b, d) : (void)(iom_buf_putc(b, ' '), iom_buf_puts(b, d));
        if (strncmp(d, "44", 2) == 0) {
            char nat[PIC_KEY_MAX];
            snprintf(nat, sizeof nat, "0%s", d + 2);
            if (as_query)
                iom_buf_puts(b, " OR ");
            as_query ? quoted(b, nat) : (void)(iom_buf_putc(b, ' '), iom_buf_puts(b, nat));
        }
    }
    if (picture_norm_postcode(text, key, NULL) == IOM_OK) {
        lower(key);
        char compact[PIC_KEY_MAX];
        size_t k = 0;
        for (const char *p = key; *p; p++)
            if (*p != ' ')
                compact[k++] = *p;
        compact[k] = 0;
        if (as_query) {
            iom_buf_puts(b, " OR ");
            quoted(b, key); /* a phrase: the two codes one after the other */
            iom_buf_puts(b, " OR ");
            quoted(b, compact);
        } else {
            iom_buf_printf(b, " %s %s", key, compact);
        }
    } else if (words >= 2 && words <= 3 && picture_norm_vehicle(text, key, NULL) == IOM_OK &&
               has_alpha_and_digit(key) && strlen(key) >= 5) {
        lower(key);
        if (as_query) {
            iom_buf_puts(b, " OR ");
            quoted(b, key);
        } else {
            iom_buf_printf(b, " %s", key);
        }
    }
}

/* The words as typed, as an alternative to their normalised forms (review 45): each a phrase
   that the back-end's own tokenizer splits as it split the documents, so a word is found when
   typed as the document has it, whatever the normalisation makes of it. The documents are
   tokenized by FTS5 unicode61 or PostgreSQL's parser, which split "O'Brien" at the apostrophe
   (o, brien) and keep "Straße", "Ёлкин" or "Σωκράτης" whole, where the normalised query reads
   obrien, strasse, елкин, σωκρατησ. Added as " OR (\"w1\" AND \"w2\" ...)" only when some
   word differs from its normalised form; words without a letter or digit are left out. */
static void raw_words(const char *text, char **norm, size_t nnorm, iom_buf *b)
{
    char copy[APP_SEARCH_MAX_BYTES + 1];
    snprintf(copy, sizeof copy, "%s", text);
    char *w[APP_SEARCH_MAX_WORDS + 1];
    size_t n = 0;
    char *save = NULL;
    for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        bool wordy = false;
        for (const unsigned char *q = (const unsigned char *)p; *q && !wordy; q++)
            wordy = *q >= 0x80 || (*q >= '0' && *q <= '9') || ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z');
        if (!wordy)
            continue;
        if (n == APP_SEARCH_MAX_WORDS)
            return; /* more words as typed than a search takes: the normalised ones only */
        w[n++] = p;
    }
    bool differs = n != nnorm;
    for (size_t i = 0; i < n && !differs; i++) {
        const char *p = w[i], *q = norm[i];
        for (; *p && *q; p++, q++)
            if (((unsigned char)*p >= 'A' && (unsigned char)*p <= 'Z' ? (char)(*p | 0x20) : *p) != *q)
                break;
        differs = *p || *q;
    }
    if (!n || !differs)
        return;
    iom_buf_puts(b, " OR (");
    for (size_t i = 0; i < n; i++) {
        if (i)
            iom_buf_puts(b, " AND ");
        quoted(b, w[i]);
    }
    iom_buf_puts(b, ")");
}

iom_err search_build_match(const char *text, char *out, size_t cap, iom_error *e)
{
    if (!text || !*text)
        return iom_fail(e, IOM_EINVAL, "q: the text to search for is required");
    size_t len = strlen(text);
    if (len > APP_SEARCH_MAX_BYTES)
        return iom_fail(e, IOM_EINVAL, "q: %zu bytes; a search is at most %d bytes", len, APP_SEARCH_MAX_BYTES);
    iom_err err = iom_text_check("q", text, APP_SEARCH_MAX_BYTES, IOM_TEXT_SINGLE_LINE, e);
    if (err)
        return err;
    for (const char *p = text; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x80 && !(ch >= '0' && ch <= '9') && !((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') &&
            !allowed_punct((char)ch))
            return iom_fail(e, IOM_EINVAL, "q: the character '%c' is not allowed in a search (search words, "
                            "names, telephone numbers, registration marks or postcodes; no query syntax)", ch);
    }
    char norm[APP_SEARCH_MAX_BYTES * 4 + 16];
    size_t nn = conflate_norm_text(text, len, norm, sizeof norm);
    if (nn == CONFLATE_NORM_BADUTF8)
        return iom_fail(e, IOM_EINVAL, "q: not valid UTF-8 text");
    char *w[APP_SEARCH_MAX_WORDS + 1];
    size_t nw = split_words(norm, w, APP_SEARCH_MAX_WORDS);
    if (nw == 0)
        return iom_fail(e, IOM_EINVAL, "q: nothing to search for in '%.64s' (give a word, a name or a number)", text);
    if (nw > APP_SEARCH_MAX_WORDS)
        return iom_fail(e, IOM_EINVAL, "q: at most %d words in a search", APP_SEARCH_MAX_WORDS);
    iom_buf b = {0};
    iom_buf_puts(&b, "(");
    for (size_t i = 0; i < nw; i++) {
        if (i)
            iom_buf_puts(&b, " AND ");
        const char *canon = conflate_nickname_canon(w[i], strlen(w[i]));
        if (canon && strcmp(canon, w[i]) != 0) {
            iom_buf_puts(&b, "(");
            quoted(&b, w[i]);
            iom_buf_puts(&b, " OR ");
            quoted(&b, canon);
            iom_buf_puts(&b, ")");
        } else {
            quoted(&b, w[i]);
        }
    }
    iom_buf_puts(&b, ")");
    raw_words(text, w, nw, &b);
    identifier_forms(text, nw, &b, true);
    if (b.len + 1 > cap) {
        iom_buf_free(&b);
        return iom_fail(e, IOM_EINVAL, "q: the search is too long");
    }
    memcpy(out, iom_buf_cstr(&b), b.len + 1);
    iom_buf_free(&b);
    return IOM_OK;
}

void search_terms(const char *text, bool person, iom_buf *b)
{
    if (!text || !*text)
        return;
    size_t len = strlen(text);
    char *norm = malloc(len * 4 + 16);
    if (!norm)
        return;
    size_t nn = conflate_norm_text(text, len, norm, len * 4 + 16);
    if (nn == CONFLATE_NORM_BADUTF8 || nn == 0) {
        free(norm);
        return;
    }
    /* text beyond ASCII is also indexed in its compatibility form (NFKC, case folded, accents
       off, as queries are read): full-width "Ｒｅｖ" is found by "rev", a ligature "ﬁ" by "fi"
       (review 100 L5); the body keeps the text as written */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80) {
            iom_buf_printf(b, " %s", norm);
            break;
        }
    /* nicknames: a person's every word that is a nickname also reads as its formal name */
    char *copy = strdup(norm);
    size_t cap = nn / 2 + 2, nw = 0;
    char **w = malloc(cap * sizeof *w);
    char *save = NULL;
    if (copy && w)
        for (char *p = strtok_r(copy, " ", &save); p && nw < cap; p = strtok_r(NULL, " ", &save))
            w[nw++] = p;
    for (size_t i = 0; person && i < nw; i++) {
        const char *canon = conflate_nickname_canon(w[i], strlen(w[i]));
        if (canon && strcmp(canon, w[i]) != 0)
            iom_buf_printf(b, " %s", canon);
    }
    /* identifiers written over one to four words: "07700 900 123", "ab12 cde", "ls1 1aa" */
    for (size_t i = 0; i < nw; i++) {
        char win[PIC_KEY_MAX];
        size_t k = 0;
        for (size_t j = i; j < nw && j < i + 4; j++) {
            size_t l = strlen(w[j]);
            if (k + l + 2 > sizeof win)
                break;
            if (k)
                win[k++] = ' ';
            memcpy(win + k, w[j], l);
            k += l;
            win[k] = 0;
            size_t words = j - i + 1;
            bool digits = true;
            for (size_t x = i; x <= j; x++)
                digits &= all_digits(w[x]) || (x == i && w[x][0] == '+');
            if (digits && k >= 6)
                identifier_forms(win, words, b, false);
            else if (!digits && words <= 2)
                identifier_forms(win, words, b, false);
        }
    }
    free(w);
    free(copy);
    free(norm);
}

/* ---- the search --------------------------------------------------------------------------- */

typedef struct readable {
    int64_t id;
    const char *purpose;
} readable;

static void append_id(iom_buf *b, int64_t id)
{
    iom_buf_printf(b, "%s%lld", b->len > 1 ? "," : "", (long long)id);
}

static const char *purpose_of(const readable *v, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return v[i].purpose;
    return NULL;
}

/* Adds word to the ","-joined list in b unless already there. */
static void add_purpose(iom_buf *b, const char *word)
{
    if (!word)
        return;
    const char *s = iom_buf_cstr(b);
    size_t n = strlen(word);
    for (const char *p = s; (p = strstr(p, word)); p += n)
        if ((p == s || p[-1] == ',') && (p[n] == ',' || !p[n]))
            return;
    if (b->len)
        iom_buf_putc(b, ',');
    iom_buf_puts(b, word);
}

static iom_err parse_type(iom_ctx *c, const char *type, const char **kind, const char **etype)
{
    *kind = *etype = NULL;
    if (!type)
        return IOM_OK;
    if (!strcmp(type, "tasking") || !strcmp(type, "intelligence") || !strcmp(type, "entity")) {
        *kind = type;
        return IOM_OK;
    }
    picture_entity_type t;
    if (picture_entity_type_parse(type, &t, NULL) != IOM_OK)
        return iom_fail(&c->err, IOM_EINVAL, "type: '%.32s' is not tasking, intelligence, entity or an entity "
                        "type (person organisation address phone vehicle account location online_identity event)",
                        type);
    *kind = "entity";
    *etype = picture_entity_type_name(t);
    return IOM_OK;
}

/* ---- snippets ------------------------------------------------------------------------------
 * The text around the match, made here from the document's body for every back-end alike (FTS5's
 * snippet() and PostgreSQL's ts_headline differ: the latter dropped a leading house number,
 * trailing punctuation, and marked no cut). The body's words are its runs of letters and digits
 * (any byte >= 0x80 belongs to a word, as the index's tokenizer reads letters); a word is marked
 * [word] when its normal form (conflate_norm_text: case and accents folded) is one of the
 * search's words or their formal names. The window is SNIPPET_WORDS words holding the most
 * distinct search words, the first such; "..." marks a cut at either end; the text between the
 * words is kept as written. */
#define SNIPPET_WORDS 12
#define SNIPPET_PART_MAX 64 /* bytes of one word, or of the text between two, shown */
#define QWORDS_MAX (2 * APP_SEARCH_MAX_WORDS)

typedef struct qwords {
    char w[QWORDS_MAX][APP_SEARCH_MAX_BYTES + 1];
    size_t n;
} qwords;

static void qwords_add(qwords *q, const char *w, size_t n)
{
    if (q->n >= QWORDS_MAX || n == 0 || n > APP_SEARCH_MAX_BYTES)
        return;
    for (size_t i = 0; i < q->n; i++)
        if (strlen(q->w[i]) == n && memcmp(q->w[i], w, n) == 0)
            return;
    memcpy(q->w[q->n], w, n);
    q->w[q->n++][n] = '\0';
}

static void query_words(const char *text, qwords *q)
{
    q->n = 0;
    char norm[APP_SEARCH_MAX_BYTES * 4 + 16];
    size_t nn = conflate_norm_text(text, strlen(text), norm, sizeof norm);
    if (nn == CONFLATE_NORM_BADUTF8 || nn == 0)
        return;
    char *w[APP_SEARCH_MAX_WORDS + 1];
    size_t nw = split_words(norm, w, APP_SEARCH_MAX_WORDS);
    if (nw > APP_SEARCH_MAX_WORDS)
        nw = APP_SEARCH_MAX_WORDS;
    for (size_t i = 0; i < nw; i++) {
        qwords_add(q, w[i], strlen(w[i]));
        const char *canon = conflate_nickname_canon(w[i], strlen(w[i]));
        if (canon)
            qwords_add(q, canon, strlen(canon));
    }
}

/* Whether code point cp belongs to a word: a letter, a digit or a mark (utf8proc's categories,
   as the index's unicode61 tokenizer reads them); an apostrophe (' or U+2019) between two word
   characters joins them ("O'Brien" is one word, "obrien" once normalised). */
static bool word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)cp);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

/* The end of the word starting at s[i] (a word character), or i when s[i] starts none. */
static size_t word_end(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n) {
        size_t k = j;
        uint32_t cp = iom_utf8_next(s, n, &k);
        if (word_cp(cp)) {
            j = k;
            continue;
        }
        if ((cp == '\'' || cp == 0x2019) && j > i && k < n) {
            size_t m = k;
            if (word_cp(iom_utf8_next(s, n, &m))) {
                j = k;
                continue;
            }
        }
        break;
    }
    return j;
}

/* The snippet of body for the search words q, in the arena. */
static char *snippet_of(iom_arena *a, const char *body, const qwords *q);

char *search_snippet(iom_arena *a, const char *body, const char *text)
{
    qwords *q = iom_arena_new(a, qwords, 1);
    query_words(text ? text : "", q);
    return snippet_of(a, body, q);
}

static char *snippet_of(iom_arena *a, const char *body, const qwords *q)
{
    if (!body || !*body)
        return "";
    size_t n = strlen(body), nt = 0, cap = 0;
    if (!iom_utf8_valid(body, n))
        return "";
    size_t *tb = NULL, *te = NULL;
    uint64_t *hit = NULL; /* bit i: the word is search word i */
    for (size_t i = 0; i < n;) {
        size_t j = word_end(body, n, i);
        if (j == i) { /* not in a word: the next character */
            iom_utf8_next(body, n, &i);
            continue;
        }
        if (nt == cap) {
            cap = cap ? cap * 2 : 64;
            size_t *nb = realloc(tb, cap * sizeof *tb), *ne = nb ? realloc(te, cap * sizeof *te) : NULL;
            uint64_t *nh = ne ? realloc(hit, cap * sizeof *hit) : NULL;
            if (!nb || !ne || !nh) { /* a failed realloc leaves its block as it was */
                free(nb ? nb : tb);
                free(ne ? ne : te);
                free(nh ? nh : hit);
                return "";
            }
            tb = nb;
            te = ne;
            hit = nh;
        }
        tb[nt] = i;
        te[nt] = j;
        hit[nt] = 0;
        char norm[512];
        size_t nn = j - i < 100 ? conflate_norm_text(body + i, j - i, norm, sizeof norm) : 0;
        if (nn != CONFLATE_NORM_BADUTF8 && nn > 0)
            for (size_t k = 0; k < q->n; k++)
                if (strcmp(norm, q->w[k]) == 0)
                    hit[nt] |= (uint64_t)1 << k;
        nt++;
        i = j;
    }
    /* the window with the most distinct search words, then the most matches, then the one
       whose matches sit nearest its middle (text on both sides of a match), then the first */
    size_t best = 0, span = nt < SNIPPET_WORDS ? nt : SNIPPET_WORDS;
    int best_d = -1, best_h = -1;
    double best_off = 0;
    for (size_t s0 = 0; s0 + span <= nt; s0++) {
        uint64_t m = 0;
        int h = 0;
        double at = 0;
        for (size_t k = s0; k < s0 + span; k++) {
            m |= hit[k];
            h += hit[k] != 0;
            at += hit[k] ? (double)(k - s0) : 0;
        }
        int d = __builtin_popcountll(m);
        double off = h ? at / h - (double)(span - 1) / 2 : 0;
        off = off < 0 ? -off : off;
        if (d > best_d || (d == best_d && (h > best_h || (h == best_h && off < best_off)))) {
            best = s0;
            best_d = d;
            best_h = h;
            best_off = off;
        }
    }
    iom_buf b = {0};
    size_t end = best + span, pos = best ? tb[best] : 0;
    if (best)
        iom_buf_puts(&b, "...");
    for (size_t k = best; k < end; k++) {
        size_t gap = tb[k] - pos;
        if (gap > SNIPPET_PART_MAX) { /* a long run of punctuation: its start, then "..." */
            gap = SNIPPET_PART_MAX;
            while (gap > 0 && ((unsigned char)body[pos + gap] & 0xC0) == 0x80)
                gap--;
            iom_buf_append(&b, body + pos, gap);
            iom_buf_puts(&b, "...");
        } else {
            iom_buf_append(&b, body + pos, gap);
        }
        if (hit[k])
            iom_buf_putc(&b, '[');
        size_t len = te[k] - tb[k];
        if (len > SNIPPET_PART_MAX) { /* a word of kilobytes (a pasted blob): its start */
            len = SNIPPET_PART_MAX;
            while (len > 0 && ((unsigned char)body[tb[k] + len] & 0xC0) == 0x80)
                len--;
            iom_buf_append(&b, body + tb[k], len);
            iom_buf_puts(&b, "...");
        } else {
            iom_buf_append(&b, body + tb[k], len);
        }
        if (hit[k])
            iom_buf_putc(&b, ']');
        pos = te[k];
    }
    if (end < nt)
        iom_buf_puts(&b, "...");
    else if (n - pos > SNIPPET_PART_MAX)
        iom_buf_puts(&b, "...");
    else
        iom_buf_append(&b, body + pos, n - pos);
    char *out = iom_arena_strdup(a, iom_buf_cstr(&b));
    iom_buf_free(&b);
    free(tb);
    free(te);
    free(hit);
    return out;
}

iom_err app_search(iom_ctx *c, const app_search_query *q, app_search_hit **out, size_t *n, const char **next)
{
    *out = NULL;
    *n = 0;
    *next = NULL;
    char *match = iom_arena_alloc(c->arena, APP_SEARCH_MATCH_MAX);
    const char *kind, *etype;
    iom_err err;
    if ((err = search_build_match(q->text, match, APP_SEARCH_MATCH_MAX, &c->err)) ||
        (err = parse_type(c, q->type, &kind, &etype)) ||
        (err = iom_text_check("justification", q->justification, APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE,
                              &c->err)) ||
        (err = app_begin(c, false)))
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    /* need-to-know: the taskings whose documents the actor may see, worked out first */
    iom_search_tasking *tv;
    size_t nt;
    int64_t only = 0;
    if (q->tasking) {
        app_tasking_scope sc;
        if ((err = app_tasking_read(c, q->tasking, IOM_PART_TASKING, &sc)))
            return app_end(c, err);
        only = sc.t.id;
        tv = iom_arena_new(c->arena, iom_search_tasking, 1);
        tv[0] = (iom_search_tasking){sc.t.id, sc.t.ref};
        nt = 1;
    } else if ((err = SS(c)->taskings(c->store, c->arena, &tv, &nt, &c->err))) {
        return app_end(c, err);
    }
    readable *rv = iom_arena_new(c->arena, readable, nt ? nt : 1);
    size_t nr = 0;
    iom_buf tids = {0}, iids = {0};
    iom_buf_putc(&tids, '[');
    iom_buf_putc(&iids, '[');
    iom_error saved = c->err;
    for (size_t i = 0; i < nt; i++) {
        app_tasking_scope sc;
        const char *purpose = NULL;
        if (app_tasking_read(c, tv[i].ref, IOM_PART_TASKING, &sc) == IOM_OK) {
            append_id(&tids, tv[i].id);
            purpose = access_read_purpose(&sc.access);
        }
        if (app_tasking_read(c, tv[i].ref, IOM_PART_INTELLIGENCE, &sc) == IOM_OK) {
            append_id(&iids, tv[i].id);
            purpose = access_read_purpose(&sc.access);
        }
        if (purpose)
            rv[nr++] = (readable){tv[i].id, purpose};
    }
    c->err = saved;
    iom_buf_putc(&tids, ']');
    iom_buf_putc(&iids, ']');
    char markings[64] = "[";
    for (int m = 0; m < IOM_MARKING_COUNT; m++)
        if (iom_clearance_allows(c->actor.clearance, (iom_marking)m))
            snprintf(markings + strlen(markings), sizeof markings - strlen(markings), "%s\"%s\"",
                     strlen(markings) > 1 ? "," : "", iom_marking_name((iom_marking)m));
    strcat(markings, "]");
    iom_search_query sq = {.match = match, .kind = kind, .type = etype, .tasking_id = only,
                           .tasking_ids = iom_arena_strdup(c->arena, iom_buf_cstr(&tids)),
                           .intel_ids = iom_arena_strdup(c->arena, iom_buf_cstr(&iids)),
                           .markings = markings, .limit = APP_SEARCH_SCAN_MAX};
    iom_buf_free(&tids);
    iom_buf_free(&iids);
    iom_search_hit *hv;
    size_t nh;
    if ((err = SS(c)->query(c->store, &sq, c->arena, &hv, &nh, &c->err)))
        return app_end(c, err);
    /* an entity has a document per marking: keep its best */
    qwords *qw = iom_arena_new(c->arena, qwords, 1);
    query_words(q->text, qw);
    app_search_hit *v = iom_arena_new(c->arena, app_search_hit, nh ? nh : 1);
    const char **keys = iom_arena_new(c->arena, const char *, nh ? nh : 1);
    const char **bodies = iom_arena_new(c->arena, const char *, nh ? nh : 1);
    size_t k = 0;
    for (size_t i = 0; i < nh; i++) {
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = strcmp(keys[j], hv[i].ref) == 0;
        if (dup)
            continue;
        v[k] = (app_search_hit){.kind = hv[i].kind, .ref = hv[i].ref, .type = hv[i].type,
                                .tasking = hv[i].tasking_ref, .label = hv[i].label, .snippet = NULL,
                                .marking = hv[i].marking};
        bodies[k] = hv[i].body;
        keys[k++] = hv[i].ref;
    }
    size_t from, count;
    if ((err = app_page_ordered(c, &q->page, keys, k, &from, &count, next)))
        return app_end(c, err);
    for (size_t i = from; i < from + count; i++) /* the snippets of the page shown */
        v[i].snippet = snippet_of(c->arena, bodies[i], qw);
    if ((err = app_end(c, IOM_OK)))
        return err;
    /* the reads shown: taskings' content as tasking.read, items and entities as intel.consult */
    json_t *tw = json_array(), *iw = json_array();
    iom_buf tp = {0}, ip = {0};
    for (size_t i = from; i < from + count; i++) {
        bool t = strcmp(v[i].kind, "tasking") == 0;
        json_array_append_new(t ? tw : iw, json_pack("{s:s, s:s}", "ref", v[i].ref, "search", q->text));
        int64_t tid = 0;
        for (size_t j = 0; j < nh && !tid; j++)
            if (hv[j].ref == v[i].ref)
                tid = hv[j].tasking_id;
        add_purpose(t ? &tp : &ip, purpose_of(rv, nr, tid));
    }
    if (json_array_size(tw))
        err = work_log_read(c, "tasking.read", "search", tw, q->justification,
                            iom_arena_strdup(c->arena, iom_buf_cstr(&tp)));
    else
        json_decref(tw);
    if (!err && json_array_size(iw))
        err = work_log_read(c, "intel.consult", "search", iw, q->justification,
                            iom_arena_strdup(c->arena, iom_buf_cstr(&ip)));
    else
        json_decref(iw);
    iom_buf_free(&tp);
    iom_buf_free(&ip);
    if (err)
        return err;
    *out = v + from;
    *n = count;
    return IOM_OK;
}

json_t *json_of_search_hit(const app_search_hit *h)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "kind", h->kind, "ref", h->ref, "tasking",
                          h->tasking ? h->tasking : "", "marking", iom_marking_name(h->marking));
    json_object_set_new(o, "type", json_str_or_null(h->type));
    json_object_set_new(o, "label", json_str_or_null(h->label));
    json_object_set_new(o, "snippet", json_string(h->snippet ? h->snippet : ""));
    return o;
}

/* ---- indexing ------------------------------------------------------------------------------ */

iom_err search_index_item(iom_ctx *c, const char *ref, const char *text)
{
    iom_intel_t it;
    iom_err err = WS(c)->intel_get(c->store, ref, 0, c->arena, &it, &c->err);
    if (err)
        return err;
    iom_buf b = {0};
    iom_buf_puts(&b, ref);
    search_terms(text, false, &b);
    iom_search_body d = {it.marking, NULL, text ? text : "", iom_buf_cstr(&b)};
    err = SS(c)->doc_set(c->store, "intelligence", ref, it.tasking_id, NULL, NULL, &d, 1, false, &c->err);
    iom_buf_free(&b);
    return err;
}

iom_err search_unindex_item(iom_ctx *c, const char *ref)
{
    return SS(c)->doc_set(c->store, "intelligence", ref, 0, NULL, NULL, NULL, 0, true, &c->err);
}

static int sig_cmp(const void *k, const void *x)
{
    return strcmp((const char *)k, ((const iom_search_sig *)x)->ref);
}

/* The entities of ids (sorted) still there and their sources (by owner), read one by one;
   gone: the references of those no longer there. */
static iom_err read_some(iom_ctx *c, int64_t tasking_id, const int64_t *ids, size_t n, iom_entity_t **ev,
                         size_t *ne, iom_psource_t **sv, size_t *ns, const char ***gone, size_t *ngone)
{
    *ev = iom_arena_new(c->arena, iom_entity_t, n ? n : 1);
    *gone = iom_arena_new(c->arena, const char *, n ? n : 1);
    *ne = *ns = *ngone = 0;
    *sv = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        const char *ref = iom_arena_printf(c->arena, "ENT-%06lld", (long long)ids[i]);
        iom_error e = {0};
        iom_err err = PS(c)->entity_get(c->store, ref, c->arena, &(*ev)[*ne], &e);
        if (err == IOM_ENOTFOUND || (!err && (*ev)[*ne].tasking_id != tasking_id)) {
            if (err == IOM_ENOTFOUND)
                (*gone)[(*ngone)++] = ref;
            continue;
        }
        if (err)
            return iom_fail(&c->err, err, "%s", e.msg);
        iom_psource_t *one;
        size_t k;
        if ((err = PS(c)->source_list(c->store, false, tasking_id, ids[i], c->arena, &one, &k, &c->err)))
            return err;
        if (*ns + k > cap) {
            size_t ncap = (*ns + k) * 2 + 64;
            iom_psource_t *nv = iom_arena_new(c->arena, iom_psource_t, ncap);
            if (*ns)
                memcpy(nv, *sv, *ns * sizeof *nv);
            *sv = nv;
            cap = ncap;
        }
        if (k)
            memcpy(*sv + *ns, one, k * sizeof *one);
        *ns += k;
        (*ne)++;
    }
    return IOM_OK;
}

static iom_err changed(iom_ctx *c, int64_t tasking_id, const int64_t *only, size_t nonly, const iom_precord_t *rv,
                       size_t nr, int64_t *raised)
{
    if (raised)
        *raised = 0;
    iom_entity_t *ev;
    iom_psource_t *sv;
    iom_search_sig *old = NULL;
    const char **gone = NULL;
    size_t ne, ns, no = 0, ngone = 0;
    iom_err err;
    if (only) {
        if ((err = read_some(c, tasking_id, only, nonly, &ev, &ne, &sv, &ns, &gone, &ngone)))
            return err;
    } else if ((err = PS(c)->entity_list(c->store, tasking_id, c->arena, &ev, &ne, &c->err)) ||
               (err = PS(c)->source_list(c->store, false, tasking_id, 0, c->arena, &sv, &ns, &c->err))) {
        return err;
    }
    /* the digests of the documents there (by ref): an entity whose documents come out the same
       is not written again; read for the whole tasking, so only when many are named (a change of
       a few entities writes their few documents again, review 99 L5) */
    bool have_sigs = !only || nonly >= 256;
    if (have_sigs && (err = SS(c)->doc_sigs(c->store, "entity", tasking_id, c->arena, &old, &no, &c->err)))
        return err;
    bool *kept = calloc(no ? no : 1, sizeof *kept);
    if (!kept)
        return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    iom_buf body[IOM_MARKING_COUNT] = {{0}}, terms[IOM_MARKING_COUNT] = {{0}};
    size_t pos = 0;
    for (size_t i = 0; i < ne && !err; i++) {
        while (pos < ns && sv[pos].owner_id < ev[i].id)
            pos++;
        size_t from = pos;
        while (pos < ns && sv[pos].owner_id == ev[i].id)
            pos++;
        bool person = strcmp(ev[i].type, "person") == 0, records = false;
        for (size_t x = from; x < pos && !records; x++)
            records = sv[x].record_id != 0;
        iom_search_body docs[IOM_MARKING_COUNT];
        size_t nd = 0;
        for (int m = 0; m < IOM_MARKING_COUNT; m++) {
            iom_buf *b = &body[m], *t = &terms[m];
            iom_buf_reset(b);
            iom_buf_reset(t);
            const char *label = NULL;
            bool any = false;
            /* the label a reader cleared for m sees: as the entity view gives it (an
               identifier with a source above m: as its first source at or below m wrote it) */
            bool hidden = false;
            for (size_t s = from; s < pos; s++)
                hidden = hidden || sv[s].marking > (iom_marking)m;
            /* the first visible source: of the least record id, as picture.c's view takes it
               (an incremental resolution re-adds moved sources last; review 50 L3) */
            size_t first = pos;
            for (size_t s = from; s < pos; s++)
                if (sv[s].marking <= (iom_marking)m &&
                    (first == pos || (sv[s].record_id && (!sv[first].record_id ||
                                                         sv[s].record_id < sv[first].record_id))))
                    first = s;
            if (first < pos) {
                label = !ev[i].key && sv[first].record_id ? sv[first].label : ev[i].label;
                if (ev[i].key && hidden && sv[first].label && *sv[first].label)
                    label = sv[first].label;
            }
            for (size_t s = from; s < pos; s++) {
                if (sv[s].marking != (iom_marking)m || !sv[s].label)
                    continue;
                any = true;
                /* each name, number or address once: the aliases */
                bool seen = false;
                for (size_t x = from; x < s && !seen; x++)
                    seen = sv[x].marking == sv[s].marking && sv[x].label && strcmp(sv[x].label, sv[s].label) == 0;
                if (seen)
                    continue;
                iom_buf_printf(b, "%s%s", b->len ? "; " : "", sv[s].label);
                search_terms(sv[s].label, person, t);
            }
            if (!any)
                continue;
            /* the entity's own label only when no record made it (a record's label is among
               the sources, at its own marking); the key is every source's value normalised */
            const char *own = records ? NULL : ev[i].label;
            iom_buf_printf(t, " %s %s %s", ev[i].ref, own ? own : "", ev[i].key ? ev[i].key : "");
            search_terms(own, person, t);
            search_terms(ev[i].key, false, t);
            docs[nd++] = (iom_search_body){(iom_marking)m, label, iom_buf_cstr(b), iom_buf_cstr(t)};
        }
        /* the digest of the documents made: the same documents are not written again (an
           address or phone gaining a source that writes it as another did changes nothing) */
        unsigned char h[16];
        crypto_generichash_state hs;
        crypto_generichash_init(&hs, NULL, 0, sizeof h);
        crypto_generichash_update(&hs, (const unsigned char *)ev[i].type, strlen(ev[i].type) + 1);
        for (size_t d = 0; d < nd; d++) {
            unsigned char mk = (unsigned char)docs[d].marking;
            crypto_generichash_update(&hs, &mk, 1);
            const char *parts[] = {docs[d].label, docs[d].text, docs[d].terms};
            for (int x = 0; x < 3; x++)
                crypto_generichash_update(&hs, (const unsigned char *)(parts[x] ? parts[x] : ""),
                                          parts[x] ? strlen(parts[x]) + 1 : 1);
        }
        crypto_generichash_final(&hs, h, sizeof h);
        char sig[33];
        sodium_bin2hex(sig, sizeof sig, h, sizeof h);
        const iom_search_sig *o = no ? bsearch(ev[i].ref, old, no, sizeof *old, sig_cmp) : NULL;
        if (o)
            kept[o - old] = true;
        if ((o && o->sig && strcmp(o->sig, sig) == 0) || (have_sigs && !o && nd == 0))
            continue;
        err = SS(c)->doc_set(c->store, "entity", ev[i].ref, tasking_id, ev[i].type, sig, docs, nd, false, &c->err);
    }
    for (int m = 0; m < IOM_MARKING_COUNT; m++) {
        iom_buf_free(&body[m]);
        iom_buf_free(&terms[m]);
    }
    /* entities that went (pruned, merged): of all of them, or of those named */
    for (size_t i = 0; i < no && !err && !only; i++)
        if (!kept[i])
            err = SS(c)->doc_set(c->store, "entity", old[i].ref, tasking_id, NULL, NULL, NULL, 0, false, &c->err);
    for (size_t i = 0; i < ngone && !err; i++)
        err = SS(c)->doc_set(c->store, "entity", gone[i], tasking_id, NULL, NULL, NULL, 0, false, &c->err);
    free(kept);
    if (!err)
        err = only || rv ? search_deconflict_keys_of(c, tasking_id, ev, ne, sv, ns, only, nonly, rv, nr, raised)
                         : search_deconflict_keys(c, tasking_id, ev, ne, sv, ns, raised);
    return err;
}

iom_err search_picture_changed(iom_ctx *c, int64_t tasking_id, int64_t *raised)
{
    return changed(c, tasking_id, NULL, 0, NULL, 0, raised);
}

iom_err search_picture_changed_with(iom_ctx *c, int64_t tasking_id, const iom_precord_t *rv, size_t nr,
                                   int64_t *raised)
{
    return changed(c, tasking_id, NULL, 0, rv, nr, raised);
}

iom_err search_picture_changed_of(iom_ctx *c, int64_t tasking_id, const int64_t *ids, size_t n,
                                  const iom_precord_t *rv, size_t nr, int64_t *raised)
{
    if (raised)
        *raised = 0;
    if (n == 0) /* nothing changed */
        return IOM_OK;
    return changed(c, tasking_id, ids, n, rv, nr, raised);
}
