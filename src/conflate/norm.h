/*
 * norm.h: normalisers for the values `iom conflate` compares.
 *
 * Every function is pure (no globals written, thread-safe) and writes into a caller buffer:
 * `out` of `cap` bytes (cap >= 1) always receives a NUL-terminated string, and the return
 * value is its length. A return of 0 means "nothing left", which the engine treats as a
 * missing value. Inputs are (pointer, length) pairs and need not be NUL-terminated.
 * Output longer than cap - 1 is cut at a UTF-8 character boundary (values that long are
 * not names or dates; comparing their first kilobyte is enough).
 *
 * Errors: conflate_norm_text returns CONFLATE_NORM_BADUTF8 for ill-formed UTF-8; the role
 * normalisers built on it do the same. Callers validate UTF-8 at read time, so this only
 * guards direct use.
 */
#ifndef IOM_CONFLATE_NORM_H
#define IOM_CONFLATE_NORM_H

#include <stddef.h>
#include <stdint.h>

#define CONFLATE_NORM_BADUTF8 ((size_t)-1)

/*
 * Generic text: NFKC, case folding, accents stripped (utf8proc), apostrophes removed
 * ("O'Brien" -> "obrien"), every other non-letter/non-digit becomes a separator, runs of
 * separators collapse to one space, no leading/trailing space. ASCII input takes a fast path
 * with identical results.
 */
size_t conflate_norm_text(const char *in, size_t n, char *out, size_t cap);

/* An address: conflate_norm_text, then a street type written short at the end expanded
 * ("128 Park St" -> "128 park street"; "Rd", "Ave", "Ln", "Cl", "Cres", "Gdns", ...). */
size_t conflate_norm_address(const char *in, size_t n, char *out, size_t cap);

/* The blocking key of a normalised address: a hash of its house number and the word after
 * it ("23 stanley" of "flat 23 23 stanley street"), or of the whole address when it has no
 * house number. Never 0. */
uint32_t conflate_house_key(const char *addr, size_t n);

/* A personal name: conflate_norm_text, then a generational suffix that ends the name after
 * another word dropped ("Marshall Jnr" -> "marshall"), then honorifics (mr, mrs, dr, ...)
 * dropped when another token remains. */
size_t conflate_norm_name(const char *in, size_t n, char *out, size_t cap);
/* Generational suffixes (conflate_generation_word): Snr/Sr/Senior, Jnr/Jr/Junior, II, III, IV. */
enum { CONFLATE_GEN_SENIOR = 1, CONFLATE_GEN_JUNIOR, CONFLATE_GEN_II, CONFLATE_GEN_III, CONFLATE_GEN_IV };
/* The generation of the normalised word a[0..n) (a CONFLATE_GEN_ value), or 0. */
int conflate_generation_word(const char *a, size_t n);
/* Whether two generations (0 = none) say two people: both given and different, but for Jr
 * and II (a son named after his father is written either way). */
int conflate_generations_conflict(int a, int b);
/* conflate_norm_name, and the generation of the suffix it dropped in *gen (0 none). */
size_t conflate_norm_name_gen(const char *in, size_t n, char *out, size_t cap, int *gen);

/* The length of a name written with a note after it, the note left out: a bracket ("Marian
 * Dumitru (aka MARIAN)", "Ali [DOB tbc]") or a word that starts another name ("aka", "a.k.a.",
 * "alias", "also known as", "known as", "nee", "née"), or a relation ("S/O", "D/O", "W/O",
 * "C/O", "son of", "daughter of", "wife of", "husband of", "widow of": the parent's or
 * husband's name follows), ends the name, when something is left before it; else n. Free-text intelligence logs write names so (review 67: the note's words
 * became a middle name and a surname, and chained 22 people into one). */
size_t conflate_name_note_cut(const char *s, size_t n);

/* A whole name that holds a date of birth, an age or a sex besides the name, as intelligence
 * logs and briefing sheets write a subject ("SMITH John 01/02/1990 M", "SMITH, John
 * (01/02/1990)", "John SMITH DOB 01/02/90", "SMITH John b.1990", "John Smith aged 34", "SMITH
 * John 01.02.1990 Female"): the name alone into name (ncap bytes, NUL-terminated), the date's
 * text into dob (dcap bytes, "" when none: a whole date, or a year after "b." or "born"), the
 * age into *age (-1 when none: a number after "aged" or "age", or alone in brackets after the
 * name) and the sex into *sex ('m' or 'f', 0 when none: "male"/"female" anywhere, a letter M or
 * F only after a date or an age, where it is no initial). The words that only announce them
 * (DOB, D.O.B., born, aged) go too. Returns 1 when anything was taken out, else 0 (and the
 * outputs are empty). */
int conflate_name_subject_split(const char *s, size_t n, char *name, size_t ncap, char *dob,
                                size_t dcap, int *age, char *sex);

/* A name with a nickname in quotes, as intelligence logs and gang matrices write a street
 * name inside it (`James "Risky" BROWN`, `SMITH, Martin 'Tiny'`, `Ryan “Rizzy” O'Neill`): the
 * name without the quoted words, written to out (cap bytes, NUL-terminated), its length
 * returned. A quote opens at the start of a word and closes at the end of one, so O'Neill and
 * D'Souza are names, not quotes; the quoted words must hold a letter, and so must what is left.
 * (size_t)-1 when nothing is cut (out is then unspecified) or n >= cap. When quoted is not
 * NULL, the quoted words (without their quotes, spans joined by a space, NUL-terminated, at most
 * qcap - 1 bytes) go there and their length to *qlen. Review 115: `James "Risky"` was the first
 * name James and the surname Risky. */
size_t conflate_name_quotes_cut(const char *s, size_t n, char *out, size_t cap, char *quoted,
                                size_t qcap, size_t *qlen);

/* Mojibake: UTF-8 text that was read as Windows-1252 (or Latin-1) and written out again as
 * UTF-8, so each accented letter became two or three ("Ã“rla" for "Órla", "JosÃ©" for
 * "José"). When every character of in[0..n) is one byte in Windows-1252 and those bytes are
 * valid UTF-8 holding at least one character above U+007F, writes that UTF-8 text to out
 * (at most cap bytes, NUL-terminated) and returns its length; otherwise returns 0 (text
 * that is not such: "Ångström" as bytes is no UTF-8). */
size_t conflate_norm_unmojibake(const char *in, size_t n, char *out, size_t cap);

/* A full name: conflate_norm_name with its tokens sorted, so "Smith John" == "John Smith". */
size_t conflate_norm_full_name(const char *in, size_t n, char *out, size_t cap);
size_t conflate_norm_full_name_gen(const char *in, size_t n, char *out, size_t cap, int *gen);

/* Whether the word in[0..n) (UTF-8) is written in capitals: at least two upper-case letters
   (any script with case: "LÊ", "ĐỨC") and no lower-case one; 0 for text that is not UTF-8. */
int conflate_caps_word(const char *in, size_t n);

/* True when the normalised token (a, n) is an honorific. */
int conflate_is_honorific(const char *a, size_t n);

/*
 * Canonical first name for a normalised name's first token: "bob" -> "robert",
 * "peggy" -> "margaret"; NULL when the token is not a known nickname (the name is then its
 * own canonical form). Static storage. Table in nicknames.c.
 */
const char *conflate_nickname_canon(const char *tok, size_t n);

/* A surname's one form among its romanisations (Korean: Yi, Rhee, Ri -> lee; Pak, Bak -> park;
 * Gim -> kim; Choe -> choi; Jeong -> jung; Rim -> lim; Yoon -> yun), a static string, or NULL when
 * tok (n bytes, lower case) is no variant. The surname's key (engine.c derive) is its form, so
 * two romanisations are "close". */
const char *conflate_surname_canon(const char *tok, size_t n);

/* Whether the first tokens of two normalised names are the same name: equal, or sharing a
 * canonical name (a name being its own; "kate"/"kathryn", "mo"/"mohammed", "al"/"alan"). */
int conflate_nickname_related(const char *a, size_t na, const char *b, size_t nb);

/* Whether a normalised name's first token is a nickname of several formal names ("mo":
 * maurice, maureen, mohammed): only then can conflate_nickname_related find more than the
 * equality of canonical forms. */
int conflate_nickname_multi(const char *tok, size_t n);

/* Number of entries of the nickname table and entry i (for tests and docs). */
size_t conflate_nickname_count(void);
void conflate_nickname_entry(size_t i, const char **nick, const char **canon);

/*
 * Dates in the common UK forms: 12/03/1985, 12-03-1985, 12.3.85, 1985-03-12, 1985/03/12,
 * 12031985, 19850312, 12 Mar 1985, 12th March 1985, 12-Mar-1985, March 12 1985,
 * 1985-03-12T10:00:00Z, 12/03/1985 00:00 (a time of day after the date is dropped), and a
 * spreadsheet's date serial of five digits (31118 -> 1985-03-12). Day before month when
 * ambiguous (UK; an input written month first is found and turned before parsing: see
 * conflate_date_month_first). Two-digit years: the latest year so written that is not in
 * the future (27 -> 1927 in 2026, 05 -> 2005). Returns y*10000 + m*100 + d (a real calendar date, years
 * CONFLATE_DATE_MIN_YEAR..CONFLATE_DATE_MAX_YEAR), or 0 when the text is not such a date.
 * Partial dates keep the precision they have: a year (1985 -> 19850000) or a month
 * (03/1985, 1985-03, Mar 1985 -> 19850300); conflate_date_level compares them so. An estimate
 * ("c.1974", "approx 1974": a year) is a year alone; an estimate to the month ("approx
 * 1968-04", what an age at a record's date gives: notes.h conflate_age_birth) is a window of
 * a year around that month, packed with the month plus 20 (19682400).
 */
#define CONFLATE_DATE_MIN_YEAR 1000
#define CONFLATE_DATE_MAX_YEAR 2199
int32_t conflate_date_parse(const char *in, size_t n);

/* Whether a packed date is partial (a year, a month of a year, or a window). */
static inline int conflate_date_partial(int32_t ymd) { return ymd % 100 == 0; }
/* Whether a packed date is a window: a year around a month, estimated (an age at a date). */
static inline int conflate_date_window(int32_t ymd) { return ymd % 100 == 0 && ymd / 100 % 100 > 20; }
/* Whether a packed date is an estimate or a year alone: a year, or a window. */
static inline int conflate_date_vague(int32_t ymd)
{
    return ymd % 10000 == 0 || conflate_date_window(ymd);
}

/* Days since 1970-01-01 of a packed date from conflate_date_parse (proleptic Gregorian); of
 * its first day for a partial date. */
int32_t conflate_date_days(int32_t ymd);

/*
 * UK postcode: "sw1a1aa", " SW1A  1AA " -> "SW1A 1AA" (outward, space, inward). Text that is
 * not a UK postcode keeps only its letters and digits, upper-cased ("4011" stays "4011").
 */
size_t conflate_norm_postcode(const char *in, size_t n, char *out, size_t cap);

/* True when a normalised postcode has the UK "OUTWARD INWARD" shape. */
int conflate_postcode_is_uk(const char *pc, size_t n);

/*
 * Phone to E.164: "07700 900123" -> "+447700900123", "+44 (0)7700 900123" ->
 * "+447700900123", "0044 7700..." -> "+447700...". Other numbers keep their digits (and a
 * leading + when given). Fewer than 6 digits -> "" (missing).
 */
size_t conflate_norm_phone(const char *in, size_t n, char *out, size_t cap);

/* E-mail: trimmed and lower-cased (ASCII); "" unless it contains one '@' with text both
 * sides. */
size_t conflate_norm_email(const char *in, size_t n, char *out, size_t cap);

/* A CRO number (the Criminal Records Office number of a person's fingerprint record, held with
 * the PNC id in prison, probation and police records) in one form whatever way it was written:
 * `012345/85X`, `12345/85X`, `CRO 012345/85X` and `01234585X` are all `12345/85X` (the serial
 * without leading zeros, a slash, the year's two digits, the check letter). Anything else is
 * conflate_norm_id's upper-case letters and digits. Returns the length written to out (cap). */
size_t conflate_norm_cro(const char *in, size_t n, char *out, size_t cap);

/* A UK bank account as one form: the 8-digit account number alone (a 7-digit one with its
 * leading zero back; a sort code before it, "20-45-67 12345678", "204567 12345678",
 * "20456712345678", dropped), so an account written with its sort code and one without meet
 * (review 122: never equal, an agreeing account weighed -0.04). Anything else (an IBAN, a
 * card number, letters) as conflate_norm_id gives it. */
size_t conflate_norm_account(const char *in, size_t n, char *out, size_t cap);

/* Identifier (NI number, PNC id, vehicle, account): letters and digits only, upper-cased; a
 * PNC id written year/serial (`2007/0759467P`, `07/759467P`) as the year's last two digits, the
 * serial without leading zeros and the letter ("07759467P"). */
size_t conflate_norm_id(const char *in, size_t n, char *out, size_t cap);

/*
 * A GB driving licence number (DVLA: `TAYLO903260LA9C7`, spaces allowed, an issue number after
 * it ignored): the first five letters of the surname (padded with 9), the decade of birth, the
 * month (plus 50 for a woman), the day, the year's last digit, two initials (9 when none), a
 * digit and two check characters. Returns 1 and the date of birth (packed as
 * conflate_date_parse: the century the one that makes the holder at least 16 in `year_now`,
 * and 0-119 years old) and sex ('m' or 'f') when in[0..n) is such a number holding a real date;
 * 0 otherwise. Pure.
 */
int conflate_dl_birth(const char *in, size_t n, int year_now, int32_t *ymd, char *sex);

/* Sex: "m"/"male"/"man" -> "m", "f"/"female"/"woman" -> "f", else the normalised text. */
size_t conflate_norm_sex(const char *in, size_t n, char *out, size_t cap);

/*
 * Soundex of the letters of a normalised (ASCII) string, packed as
 * (first letter << 24) | (d1 << 16) | (d2 << 8) | d3, digits '0'..'6'; 0 when there is no
 * letter. Non-ASCII bytes are ignored.
 */
uint32_t conflate_soundex(const char *s, size_t n);

#endif
