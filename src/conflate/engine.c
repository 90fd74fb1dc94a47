/*
 * engine.c: options, reading inputs (header mapping, rows, ids) and normalisation.
 * See conflate.h for the API and docs/conflate.md for the model.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conflate/compare.h"
#include "conflate/csvin.h"
#include "conflate/engine_int.h"
#include "conflate/norm.h"
#include "conflate/notes.h"
#include "util/text.h"

double conflate_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double conflate_bench_now(void) { return conflate_now(); }

double conflate_cpu_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void conflate_msg(const conflate_engine *eng, conflate_msg_kind mk, const char *fmt, ...)
{
    if (!eng->o.message || (mk == CONFLATE_MSG_DEBUG && !eng->o.debug))
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    eng->o.message(eng->o.message_ud, mk, buf);
}

/* ---- a small parallel-for ----------------------------------------------------------------- */

typedef struct par_ctx {
    par_fn fn;
    void *ctx;
    size_t n, chunk;
    size_t next; /* guarded by mu */
    pthread_mutex_t mu;
} par_ctx;

typedef struct par_arg {
    par_ctx *p;
    int tid;
} par_arg;

static void *par_worker(void *arg)
{
    par_arg *a = arg;
    par_ctx *p = a->p;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t b = p->next;
        p->next = b + p->chunk < p->n ? b + p->chunk : p->n;
        size_t e = p->next;
        pthread_mutex_unlock(&p->mu);
        if (b >= e)
            break;
        p->fn(p->ctx, a->tid, b, e);
    }
    return NULL;
}

void conflate_par(int threads, size_t n, size_t chunk, par_fn fn, void *ctx)
{
    if (n == 0)
        return;
    if (chunk == 0)
        chunk = 1;
    if (threads <= 1 || n <= chunk) {
        /* the same chunk boundaries as with threads: work seeded by its range (random
         * pairs for u) gives the same result for any thread count */
        for (size_t b = 0; b < n; b += chunk)
            fn(ctx, 0, b, b + chunk < n ? b + chunk : n);
        return;
    }
    par_ctx p = {fn, ctx, n, chunk, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t th[64];
    par_arg args[64];
    int t = threads > 64 ? 64 : threads;
    int started = 0;
    for (int i = 1; i < t; i++) {
        args[i].p = &p;
        args[i].tid = i;
        if (pthread_create(&th[i], NULL, par_worker, &args[i]) == 0)
            started = i;
        else
            break;
    }
    args[0].p = &p;
    args[0].tid = 0;
    par_worker(&args[0]);
    for (int i = 1; i <= started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&p.mu);
}

/* ---- roles ------------------------------------------------------------------------------ */

static const struct {
    const char *role;
    kind k;
    const char *synonyms; /* space-separated column names mapped automatically */
} roles[] = {
    {"first_name", K_FIRST, "first_name firstname forename forenames forename_s given_name given_names givenname first fname first_forename christian_name name_given_1 name_given given_name_1 name_first forename_1 first_names other_names other_name prenume prenom imie imiona nombre nombres nome vorname voornaam vardas emri etunimi fornavn ime imya imia imja ten voornamen prenoms"},
    {"middle_name", K_MIDDLE, "middle_name middlename middle_names middle second_forename other_forenames forename_2 forename2 name_given_2 given_name_2 middle_names_1 otchestvo postnom ten_dem bashtino_ime"},
    {"surname", K_SUR, "surname last_name lastname family_name familyname lname sname name_family name_last surname_1 nume nume_de_familie nazwisko apellido apellidos sobrenome apelido cognome nachname familienname achternaam pavarde mbiemri sukunimi etternavn nom_de_famille familiya familiia familija prizvyshche prizvishche geslachtsnaam nom ho"},
    {"full_name", K_FULL, "full_name fullname name full_names person_name subject_name nominal_name patient_name client_name customer_name claimant_name tenant_name elector_name account_holder account_holder_name holder_name liable_party passenger_name registered_name child_name childs_name young_person young_persons_name defendant_name defendant offender_name subject nominal individual person guest_name guest lead_guest booker_name employee_name staff_name worker_name legal_name student_name pupil_name resident_name service_user_name service_user applicant_name driver_name owner_name occupant_name person_spoken_to detained_person detained_person_name detainee detainee_name dp_name prisoner prisoner_name arrested_person person_arrested missing_person missing_person_name mp_name offender ho_va_ten ho_ten imena ime_i_familiya fio nom_et_prenom nom_prenom nom_complet naam volledige_naam"},
    {"dob", K_DATE, "dob d_o_b date_of_birth birth_date birthdate dateofbirth dob_date birth_dt data_nasterii data_nastere data_urodzenia fecha_de_nacimiento fecha_nacimiento data_de_nascimento data_nascimento data_di_nascita date_de_naissance geburtsdatum geboortedatum gimimo_data datelindja syntymaaika fodselsdato data_na_razhdane data_rozhdeniya data_rozhdenia data_narodzhennya datum_rodjenja datum_rodenja datum_narozeni datum_narodenia ngay_sinh ngay_thang_nam_sinh dogum_tarihi szuletesi_datum"},
    {"sex", K_SEX, "sex gender sex_cd sex_code gender_cd gender_code sexul sexo plec sesso sexe geschlecht geslacht lytis gjinia sukupuoli kjonn pol gioi_tinh pohlavi pohlavie"},
    {"address", K_ADDRESS, "address address_1 address1 address_line_1 address_line1 street street_address home_address current_address last_known_address addr property_address postal_address residential_address full_address address_line addr_line_1 addr_line1 addr_1 address_line_one res_addr_line_1 res_addr_line1 res_address res_address_line_1 residential_address_line_1 adresa adres adresas direccion domicilio endereco indirizzo adresse domiciliu term_address term_time_address host_address sponsor_address correspondence_address usual_address postoyanen_adres dia_chi adres_registratsii woonadres"},
    {"postcode", K_POSTCODE, "postcode post_code postal_code zip zipcode pcode addr_pcode address_postcode home_postcode current_postcode postcode_district postcode_area_district outward_code postcode_outward district_postcode res_addr_pcode res_addr_postcode res_postcode res_pcode"},
    {"town", K_TOWN, "town city suburb locality post_town town_city woonplaats ville localite"},
    {"phone", K_PHONE, "phone telephone mobile phone_number tel tel_no tel_number telephone_number telephone_no phone_no mobile_number mobile_no contact_number mobile_tel mobile_telephone mobile_phone home_phone home_tel home_telephone landline contact_phone contact_tel contact_no contact_telephone telephone_1 phone_1 tel_no_1 safe_number safe_contact_number safe_phone safe_contact safe_mobile safe_phone_number msisdn mobile_no_msisdn telefon telefono telefone telefonas numer_telefonu"},
    {"email", K_EMAIL, "email e_mail email_address e_mail_address email_addr personal_email home_email uni_email university_email student_email work_email contact_email"},
    {"vehicle", K_ID, "vehicle vrm vrn registration registration_mark vehicle_registration reg_no vehicle_reg vehicle_vrm vehicle_reg_no vehicle_registration_number vehicle_registration_mark"},
    {"card_last4", K_ID, "card_last_4 card_last4 card_last_four last_4_digits last_four_digits card_ending card_last_digits card_no_last_4 last_4"},
    {"account", K_ID, "account account_number account_no acct_no acc_no bank_account bank_account_number bank_account_no account_num"},
    {"ni_number", K_ID, "ni_number nino ni ni_no national_insurance_number national_insurance_no national_insurance ni_num"},
    {"pnc_id", K_ID, "pnc_id pnc pnc_number pnc_no"},
    {"cro_number", K_ID, "cro_number cro cro_no cro_num cro_ref"},
    {"nhs_number", K_ID, "nhs_number nhs nhs_no nhsno nhs_num nhs_id"},
    {"passport", K_ID, "passport passport_number passport_no passportno passport_num travel_document_number travel_document_no travel_doc_no document_number document_no doc_number doc_no passport_document_number so_ho_chieu pasport nomer_pasporta paspoort paspoortnummer"},
    /* a national identity number of another country's register (Bulgaria's EGN, Romania's
       CNP, Poland's PESEL, Ireland's PPS, the Netherlands' BSN, the Nordic personal numbers,
       Italy's codice fiscale, Spain's DNI/NIE, Turkey's kimlik number): one person's */
    {"national_id", K_ID, "national_id national_id_no national_id_number national_identity_number "
                          "national_identification_number national_identity_no identity_card_number "
                          "id_card_number id_card_no identity_card_no personal_number personal_id_number "
                          "personal_identity_number personal_code egn cnp pesel pps pps_no pps_number ppsn "
                          "bsn burgerservicenummer personnummer henkilotunnus fodselsnummer cpr cpr_number "
                          "jmbg oib emso codice_fiscale dni nie isikukood asmens_kodas rodne_cislo "
                          "tc_kimlik_no kimlik_no numar_cnp cod_numeric_personal numer_pesel"},
    {"driving_licence", K_ID, "driving_licence driving_licence_number driving_licence_no driving_license driving_license_number driving_license_no driver_licence driver_license driver_licence_number driver_license_number dl_number dl_no licence_number licence_no license_number license_no dvla_number"},
};
#define NROLES (sizeof roles / sizeof roles[0])

/* The first ID_NAMES_STRICT names are a record id's: a repeated value stops the run (a data
   error); the others a reference's, taken on trial (header). */
#define ID_NAMES_STRICT 4
static const char *const id_names[] = {"id", "record_id", "rec_id", "unique_id", "urn",
                                       "person_ref", "person_id", "nominal_id", "person_urn",
                                       "nominal_urn", "nominal_ref", "subject_id", "mrn", "upn"};

/* Free text read for the values it holds (notes.h): a role of its own, not a compared field. */
#define NOTES_ROLE "notes"
#define NOTES_SYNONYMS "notes note description descriptions narrative free_text freetext remarks comments comment intelligence_text intel_text log_text"

static int is_notes_role(const char *role) { return role && !strcmp(role, NOTES_ROLE); }

/* An age given at the date of a record (a stop or street-encounter log, a referral: notes.h
   conflate_age_read), and the date of the record it was given at: read, not compared; a record
   without a date of birth gets the estimated year of birth they point to (review 112: such a
   source's only evidence of birth was unused, and namesakes ten years apart linked). */
#define AGE_ROLE "age"
#define AGE_SYNONYMS "age age_at_arrival age_on_arrival age_at_attendance age_at_admission age_at_visit age_at_record age_at_event age_at_incident age_at_offence age_at_arrest age_at_stop age_at_referral age_years age_yrs approx_age approximate_age estimated_age est_age age_est age_estimate apparent_age age_approx"
#define HOUSE_SYNONYMS "house_no house_number house_name house_no_name house_name_no house_name_number house_number_name house_name_or_number property property_no property_number property_name building building_name building_number building_no premises flat_no flat_number"
#define RECDATE_ROLE "record_date"
#define RECDATE_SYNONYMS "record_date arrival_date arrival_date_time arrival_datetime date_of_arrival attendance_date date_of_attendance attendance_date_time admission_date date_of_admission date_of_record recorded_date date_recorded record_dt event_date date_of_event incident_date date_of_incident encounter_date date_of_encounter stop_date date_of_stop stop_search_date occurrence_date date_of_occurrence offence_date date_of_offence arrest_date date_of_arrest report_date date_reported referral_date date_of_referral contact_date date_of_contact date log_date date_logged logged date_of_log entry_date date_entered created created_date date_created intel_date date_of_intel submission_date date_submitted episode_date date_reported_missing"

/* A name the person is known by, a form of the first name or another ("Known As" Peggy for
   Margaret, a "Preferred Name" Jenny for Yi-hsuan): read, not compared as a field of its own;
   the first names of two records are "close" when one's is the other's known-as name, or both
   are known by one name (model.c known_pass; review 119's care home and Wade-Giles shapes). */
#define KNOWN_ROLE "known_as"
#define KNOWN_SYNONYMS "known_as preferred_name preferred_first_name preferred_forename preferred_given_name familiar_name aka_first_name alias_first_name known_as_name called_name roepnaam"

static int is_aux_role(const char *role)
{
    return role && (!strcmp(role, NOTES_ROLE) || !strcmp(role, AGE_ROLE) || !strcmp(role, RECDATE_ROLE) ||
                    !strcmp(role, KNOWN_ROLE));
}

int conflate_role_known(const char *role)
{
    if (is_aux_role(role))
        return 1;
    for (size_t i = 0; i < NROLES; i++)
        if (!strcmp(roles[i].role, role))
            return 1;
    return 0;
}

int conflate_role_personal(const char *role)
{
    static const char *const personal[] = {"pnc_id", "cro_number", "ni_number", "nhs_number", "passport",
                                           "driving_licence", "national_id"};
    for (size_t i = 0; role && i < sizeof personal / sizeof personal[0]; i++)
        if (!strcmp(personal[i], role))
            return 1;
    return 0;
}

const char *conflate_roles_list(void)
{
    static char list[512];
    if (!list[0]) {
        size_t o = 0;
        for (size_t i = 0; i < NROLES; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", roles[i].role);
        snprintf(list + o, sizeof list - o, ", %s, %s, %s, %s", NOTES_ROLE, AGE_ROLE, RECDATE_ROLE, KNOWN_ROLE);
    }
    return list;
}

#define GENERIC_PREFIX "generic:"

/* The name of a role as features know it: "generic:NAME" -> "NAME". */
static const char *role_name(const char *role)
{
    return strncmp(role, GENERIC_PREFIX, strlen(GENERIC_PREFIX)) ? role
                                                                   : role + strlen(GENERIC_PREFIX);
}

static kind role_kind(const char *role)
{
    for (size_t i = 0; i < NROLES; i++)
        if (!strcmp(roles[i].role, role))
            return roles[i].k;
    return K_STRING;
}

/* Column name folded for automatic matching: lower case, runs of non-alnum -> '_'. */
static void fold_name(const char *s, size_t n, char *out, size_t cap)
{
    /* a heading of other letters than ASCII's in Latin letters first (`Data naşterii`,
       `Prénom`, `Płeć`: conflate_norm_text strips accents and writes ł as l) */
    char lat[256];
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) {
            size_t l = conflate_norm_text(s, n, lat, sizeof lat);
            if (l != CONFLATE_NORM_BADUTF8) {
                s = lat;
                n = l;
            }
            break;
        }
    size_t o = 0;
    int us = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (us && o)
                out[o++] = '_';
            us = 0;
            out[o++] = c;
        } else {
            us = 1;
        }
    }
    out[o] = 0;
}

static int word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *q = strchr(p, ' ');
        size_t l = q ? (size_t)(q - p) : strlen(p);
        if (l == n && !memcmp(p, word, n))
            return 1;
        p += l;
        if (*p)
            p++;
    }
    return 0;
}

/* word_in for a word of a column's name, a number written onto it dropped (`Parent1`,
   `Contact2`, `NOK1`: review 131, `Parent1 Surname` and `Parent1 DOB` were the child's too, so
   neither the child's surname nor date of birth was compared, and `Contact1 Phone` was the
   person's phone). */
static int col_word_in(const char *word, const char *list)
{
    if (word_in(word, list))
        return 1;
    size_t n = strlen(word), k = n;
    while (k && word[k - 1] >= '0' && word[k - 1] <= '9')
        k--;
    if (k == n || !k || k >= 128)
        return 0;
    char w[128];
    memcpy(w, word, k);
    w[k] = '\0';
    return word_in(w, list);
}

/* ---- options, new, free ------------------------------------------------------------------ */

void conflate_options_default(conflate_options *o)
{
    memset(o, 0, sizeof *o);
    o->mode = CONFLATE_LINK_AND_DEDUPE;
    o->threshold = CONFLATE_DEFAULT_THRESHOLD;
    o->on_error = CONFLATE_ON_ERROR_STOP;
}

static char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *p = conflate_xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

static void add_feature(conflate_engine *eng, const char *role, const char *column)
{
    feature *f = &eng->f[eng->nf++];
    memset(f, 0, sizeof *f);
    f->role = xstrdup(role);
    f->column = xstrdup(column);
    f->k = role_kind(role);
    f->nlevels = conflate_kind_levels(f->k);
    f->tf = f->k != K_SEX;
    conflate_strtab_init(&f->raw);
    conflate_strtab_init(&f->norm);
}

iom_err conflate_new(conflate_engine **out, const conflate_options *opts, iom_error *e)
{
    *out = NULL;
    conflate_options o;
    if (opts)
        o = *opts;
    else
        conflate_options_default(&o);
    if (o.threshold == 0)
        o.threshold = CONFLATE_DEFAULT_THRESHOLD;
    if (!(o.threshold > 0 && o.threshold < 1))
        return iom_fail(e, IOM_EINVAL, "threshold %g: must be a probability strictly between 0 and 1",
                        o.threshold);
    if (o.nfields > CONFLATE_MAX_FEATURES)
        return iom_fail(e, IOM_EINVAL, "%zu fields: at most %d can be compared", o.nfields,
                        CONFLATE_MAX_FEATURES);
    if (o.mode != CONFLATE_LINK_AND_DEDUPE && o.mode != CONFLATE_LINK_ONLY &&
        o.mode != CONFLATE_DEDUPE_ONLY)
        return iom_fail(e, IOM_EINVAL, "mode %d: unknown", (int)o.mode);
    for (size_t i = 0; i < o.nfields; i++) {
        if (!o.fields[i].role || !*o.fields[i].role || !o.fields[i].column || !*o.fields[i].column)
            return iom_fail(e, IOM_EINVAL, "field %zu: role and column must not be empty", i + 1);
        const char *r = o.fields[i].role, *name = role_name(r);
        if (name == r && !conflate_role_known(r))
            return iom_fail(e, IOM_EINVAL,
                            "unknown role '%s' (for column '%s'): the roles are %s; a field of "
                            "another kind is generic:NAME, e.g. generic:occupation=occupation",
                            r, o.fields[i].column, conflate_roles_list());
        if (name != r && (!*name || conflate_role_known(name)))
            return iom_fail(e, IOM_EINVAL, "%s: %s", r,
                            *name ? "a role's own name cannot be generic; map it as the role"
                                  : "a generic field needs a name, e.g. generic:occupation");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(name, role_name(o.fields[j].role)))
                return iom_fail(e, IOM_EINVAL, "field role '%s' is mapped twice", name);
    }
    if (o.delimiter && o.delimiter != ',' && o.delimiter != ';' && o.delimiter != '\t' &&
        o.delimiter != '|')
        return iom_fail(e, IOM_EINVAL, "delimiter '%c': expected , ; tab or |", o.delimiter);
    conflate_engine *eng = conflate_xcalloc(1, sizeof *eng);
    eng->o = o;
    eng->dslip_f = -1;
    eng->o.id_column = xstrdup(o.id_column);
    eng->o.source_column = xstrdup(o.source_column);
    eng->o.debug_hist_path = xstrdup(o.debug_hist_path);
    eng->o.fields = NULL;
    eng->o.nfields = 0;
    if (!eng->o.max_block)
        eng->o.max_block = 100;
    {
        static _Atomic uint32_t memo_gens;
        eng->memo_gen = ++memo_gens;
    }
    eng->threads = o.threads;
    if (eng->threads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        eng->threads = c > 0 ? (int)(c > 64 ? 64 : c) : 1;
    }
    if (eng->threads > 64)
        eng->threads = 64;
    size_t compared = 0;
    for (size_t i = 0; i < o.nfields; i++) {
        if (is_notes_role(o.fields[i].role)) {
            eng->notes_column = xstrdup(o.fields[i].column);
            continue;
        }
        if (!strcmp(o.fields[i].role, AGE_ROLE)) {
            eng->age_column = xstrdup(o.fields[i].column);
            continue;
        }
        if (!strcmp(o.fields[i].role, RECDATE_ROLE)) {
            eng->recdate_column = xstrdup(o.fields[i].column);
            continue;
        }
        if (!strcmp(o.fields[i].role, KNOWN_ROLE)) {
            eng->known_column = xstrdup(o.fields[i].column);
            continue;
        }
        add_feature(eng, role_name(o.fields[i].role), o.fields[i].column);
        compared++;
    }
    /* notes alone (--field notes=description): the compared fields are still found by name */
    eng->auto_fields = compared == 0;
    {
        time_t now = time(NULL);
        struct tm tm;
        eng->notes_year = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2026;
    }
    conflate_strtab_init(&eng->ckeys);
    *out = eng;
    return IOM_OK;
}

/* ---- reading batches ------------------------------------------------------------------- */

/*
 * The compared fields of rows are copied into a batch; a full batch is interned (each
 * feature's raw table in record order, so ids are those of a one-thread run) by a helper
 * thread while the reader fills the other batch. The helper writes only the batch and the
 * raw tables; the ids are copied into eng->vals by the reader after joining it (eng->vals
 * may be reallocated meanwhile).
 */
enum { BATCH_ROWS = 32768 };

typedef struct rbatch {
    conflate_engine *eng;
    char *chars;
    size_t nchars, capchars;
    size_t *off;   /* per row and feature: offset in chars */
    uint32_t *len; /* per row and feature: length (0 = empty) */
    uint32_t *ids; /* per feature and row: interned raw id */
    size_t start, n; /* records start .. start + n - 1 */
    int threads;   /* threads the interning may use */
} rbatch;

static rbatch *batch_new(conflate_engine *eng)
{
    rbatch *b = conflate_xcalloc(1, sizeof *b);
    size_t cells = BATCH_ROWS * (size_t)eng->nf;
    b->eng = eng;
    b->off = conflate_xmalloc(cells * sizeof *b->off);
    b->len = conflate_xmalloc(cells * sizeof *b->len);
    b->ids = conflate_xmalloc(cells * sizeof *b->ids);
    return b;
}

static void batch_free(rbatch *b)
{
    if (!b)
        return;
    free(b->chars);
    free(b->off);
    free(b->len);
    free(b->ids);
    free(b);
}

static void intern_range(void *ctx, int tid, size_t lo, size_t hi)
{
    rbatch *b = ctx;
    (void)tid;
    size_t nf = (size_t)b->eng->nf;
    /* hashed AHEAD rows early and their first slots requested, so the table's cache misses
       overlap instead of following one another */
    enum { AHEAD = 8 };
    uint64_t hs[AHEAD];
    for (size_t f = lo; f < hi; f++) {
        conflate_strtab *t = &b->eng->f[f].raw;
        uint32_t *out = b->ids + f * BATCH_ROWS;
        for (size_t i = 0; i < b->n + AHEAD; i++) {
            if (i >= AHEAD) { /* row k's hash leaves its ring slot before row i takes it */
                size_t k = i - AHEAD;
                uint32_t n = b->len[k * nf + f];
                out[k] = n ? conflate_strtab_intern_h(t, b->chars + b->off[k * nf + f], n,
                                                      hs[k % AHEAD], NULL)
                           : 0;
            }
            if (i < b->n) {
                uint32_t n = b->len[i * nf + f];
                uint64_t h = n ? conflate_hash(b->chars + b->off[i * nf + f], n) : 0;
                hs[i % AHEAD] = h;
                if (n)
                    conflate_strtab_prefetch(t, h);
            }
        }
    }
}

static void *batch_thread(void *arg)
{
    rbatch *b = arg;
    conflate_par(b->threads, (size_t)b->eng->nf, 1, intern_range, b);
    return NULL;
}

/* Copies an interned batch's ids into eng->vals and empties it. */
static void batch_store(conflate_engine *eng, rbatch *b)
{
    size_t nf = (size_t)eng->nf;
    for (size_t i = 0; i < b->n; i++) {
        uint32_t *v = &eng->vals[(b->start + i) * nf];
        for (size_t f = 0; f < nf; f++)
            v[f] = b->ids[f * BATCH_ROWS + i];
    }
    b->n = 0;
    b->nchars = 0;
}

/* Waits for the helper thread, if one runs, and stores its batch. */
static void batch_wait(conflate_engine *eng)
{
    if (!eng->bbusy)
        return;
    pthread_join(eng->bthread, NULL);
    eng->bbusy = 0;
    batch_store(eng, eng->batch[1 - eng->bcur]);
}

/* Hands the current batch to a helper thread (after the previous one is done) and
 * switches to the other batch. With one thread, or when no thread can be started, the
 * batch is interned here. */
static void batch_submit(conflate_engine *eng)
{
    rbatch *b = eng->batch[eng->bcur];
    if (!b || !b->n)
        return;
    batch_wait(eng);
    if (eng->threads > 1) {
        b->threads = eng->threads - 1;
        if (pthread_create(&eng->bthread, NULL, batch_thread, b) == 0) {
            eng->bbusy = 1;
            eng->bcur = 1 - eng->bcur;
            if (!eng->batch[eng->bcur])
                eng->batch[eng->bcur] = batch_new(eng);
            eng->batch[eng->bcur]->start = b->start + b->n;
            return;
        }
    }
    b->threads = 1;
    batch_thread(b);
    size_t next = b->start + b->n;
    batch_store(eng, b);
    b->start = next;
}

/* Interns whatever waits (end of an input): all of it, on all threads. */
static void batch_finish(conflate_engine *eng)
{
    batch_wait(eng);
    rbatch *b = eng->batch[eng->bcur];
    if (!b || !b->n)
        return;
    b->threads = eng->threads;
    batch_thread(b);
    size_t next = b->start + b->n;
    batch_store(eng, b);
    b->start = next;
}

/* Appends record r's compared fields to the current batch. */
enum { NORM_CAP = 1024 };

static int is_placeholder(kind k, const char *role, const char *s, size_t n);

/* Record r's text s (n bytes) in table t, its id in (*of)[r]: the per-record side tables of
   known-as names and name chains (engine_int.h), grown as records come (cap, and records so far
   in *nrec; t is initialised with the first). */
static void record_text_set(conflate_strtab *t, uint32_t **of, size_t *cap, size_t *nrec, size_t r,
                            const char *s, size_t n)
{
    if (!*of)
        conflate_strtab_init(t);
    if (r >= *cap) {
        size_t c = *cap ? *cap : 1024;
        while (c <= r)
            c *= 2;
        *of = conflate_xrealloc(*of, c * sizeof **of);
        memset(*of + *cap, 0, (c - *cap) * sizeof **of);
        *cap = c;
    }
    (*of)[r] = conflate_strtab_intern(t, s, n, NULL);
    if (r + 1 > *nrec)
        *nrec = r + 1;
}

/* Record r's known-as name (KNOWN_ROLE), the raw text s of n bytes: its first word normalised
   as a first name is; nothing for an empty value or a placeholder. */
static void known_set(conflate_engine *eng, size_t r, const char *s, size_t n)
{
    char buf[NORM_CAP + 1];
    size_t len = n ? conflate_norm_name(s, n < NORM_CAP ? n : NORM_CAP, buf, NORM_CAP) : 0;
    if (len == CONFLATE_NORM_BADUTF8 || len == 0)
        return;
    buf[len] = '\0';
    if (is_placeholder(K_FIRST, KNOWN_ROLE, buf, len))
        return;
    size_t w = strcspn(buf, " ");
    record_text_set(&eng->known, &eng->known_of, &eng->known_cap, &eng->known_n, r, buf, w);
}

static void batch_add(conflate_engine *eng, size_t r, const int *col, const conflate_csv_row *row)
{
    if (!eng->batch[eng->bcur]) {
        eng->batch[eng->bcur] = batch_new(eng);
        eng->batch[eng->bcur]->start = r;
    }
    rbatch *b = eng->batch[eng->bcur];
    size_t bi = b->n++ * (size_t)eng->nf;
    for (int f = 0; f < eng->nf; f++) {
        int c = col[f];
        size_t n = c < 0 ? 0 : row->len[c];
        b->len[bi + (size_t)f] = (uint32_t)n;
        b->off[bi + (size_t)f] = b->nchars;
        if (!n)
            continue;
        if (b->nchars + n > b->capchars) {
            size_t cap = b->capchars ? b->capchars : 1u << 20;
            while (cap < b->nchars + n)
                cap *= 2;
            b->chars = conflate_xrealloc(b->chars, cap);
            b->capchars = cap;
        }
        memcpy(b->chars + b->nchars, row->f[c], n);
        b->nchars += n;
    }
    if (b->n == BATCH_ROWS)
        batch_submit(eng);
}

void conflate_free(conflate_engine *eng)
{
    if (!eng)
        return;
    for (int i = 0; i < eng->nf; i++) {
        feature *f = &eng->f[i];
        free(f->role);
        free(f->column);
        free(f->absent_in);
        conflate_strtab_free(&f->raw);
        conflate_strtab_free(&f->norm);
        free(f->raw2norm);
        free(f->raw2gen);
        free(f->slip);
        free(f->raw2slip);
        free(f->vals);
        free(f->tfw);
        free(f->xother);
        free(f->bag);
        free(f->personal_ok);
        free(f->ent);
        free(f->fold);
    }
    for (size_t i = 0; i < eng->nsources; i++) {
        free(eng->sources[i].name);
        conflate_strtab_free(&eng->sources[i].ids);
        free(eng->sources[i].global);
    }
    for (size_t i = 0; i < eng->nskips; i++) {
        free(eng->skips[i].input);
        free(eng->skips[i].why);
    }
    free(eng->skips);
    free(eng->sources);
    free((char *)eng->o.id_column);
    free((char *)eng->o.source_column);
    free((char *)eng->o.debug_hist_path);
    free(eng->id_column_used);
    free(eng->noid_input);
    free(eng->notes_column);
    free(eng->age_column);
    free(eng->recdate_column);
    free(eng->known_column);
    if (eng->known_of)
        conflate_strtab_free(&eng->known);
    free(eng->known_of);
    free(eng->known_fid);
    free(eng->known_aux);
    if (eng->chain_of)
        conflate_strtab_free(&eng->chain);
    free(eng->chain_of);
    free(eng->oth);
    free(eng->oth_of);
    free(eng->in_delim);
    free(eng->in_delim_how);
    for (size_t i = 0; i < eng->ninputs; i++) {
        for (int f = 0; f <= CONFLATE_MAX_FEATURES; f++)
            free(eng->in_cols[i][f]);
        free(eng->in_path[i]);
    }
    free(eng->in_cols);
    free(eng->in_path);
    free(eng->in_multi);
    free(eng->vals);
    free(eng->src);
    free(eng->gen);
    free(eng->dslip);
    free(eng->local);
    free(eng->line);
    batch_wait(eng);
    for (int b = 0; b < 2; b++)
        batch_free(eng->batch[b]);
    conflate_strtab_free(&eng->ckeys);
    free(eng->cons);
    free(eng->pairs);
    free(eng->weight);
    conflate_year_density_free(eng);
    free(eng->cluster);
    free(eng->settled);
    free(eng->accepted);
    free(eng->refused);
    free(eng);
}

/* ---- reading ------------------------------------------------------------------------------- */

#define TITLE_MAX 10
/* The extra values a row may get (put_extra), one per feature: 7 kinds, with room to spare. */
enum { EXTRA_SLOTS = 8 };

typedef struct input_ctx {
    conflate_engine *eng;
    const char *path; /* as given */
    const char *name; /* input name */
    const conflate_input_opts *io;
    int header_done;
    size_t ncols;
    int col[CONFLATE_MAX_FEATURES]; /* column of each feature, -1 = absent */
    int idcol, srccol;
    bool id_trial;    /* idcol is id_candidate's, on trial: id_untry turns it to line numbers */
    bool set_id_used; /* this input's id column is eng->id_column_used */
    size_t rows_in;   /* records taken from this input */
    int fixed_src; /* source index when there is no source column */
    char **colnames;
    int single_byte;         /* read as Latin-1 or Windows-1252 (converted) */
    int notescol;            /* the notes column (notes.h), -1: none */
    /* notes read: values taken per kind (date of birth, age, postcode, phone, e-mail), kinds
       no input compares, notes holding two different values of a kind */
    size_t notes_took[5], notes_unmapped[5], notes_several[5], notes_rows;
    int agecol, reccol;      /* the age column and the record date column (AGE_ROLE), -1: none */
    int knowncol;            /* the known-as column (KNOWN_ROLE), -1: none */
    int titlecol;            /* a title column (`Title`: Mr, Mrs...) giving the sex, -1: none */
    /* ages read: taken as estimated years of birth, too vague, not ages, without a readable
       record date; record dates not read as dates (the first one's line) */
    size_t age_took, age_vague, age_bad, age_nodate, rec_bad, age_bad_line, rec_bad_line;
    size_t rec_odd, rec_odd_line; /* record dates that are placeholders or after this year */
    char agebuf[24];         /* the row's estimated year of birth ("approx YYYY") */
    int housecol;            /* a house number or name column joined before the address, -1 */
    int house_vague;         /* its name may mean something else (Property, Premises, Building):
                                only values with a digit are joined */
    size_t house_joined;     /* the records whose address it completed */
    char addrbuf[1024];      /* the row's address so joined */
    int dlf;                 /* the driving licence feature, read for a date of birth, -1 */
    int fullf;               /* the whole name's feature, read for a date of birth, an age, a
                                sex written in it (conflate_name_subject_split), -1 */
    char subjname[512], subjdob[48], subjsex[2], subjage[24];
    size_t subj_rows, subj_dob, subj_age, subj_sex; /* the names so read, what they gave */
    size_t title_sex;        /* whole names whose title gave the record's sex (title_sex) */
    size_t title_col_sex;    /* records whose title column gave the sex */
    size_t known_read;       /* records whose known-as column gave a name */
    size_t dl_dob, dl_sex;   /* dates of birth and sexes so read */
    char dlbuf[16], dlsex[2];
    const char **nf_;        /* a row with the values taken from its notes as extra fields */
    size_t nf_cap;           /* the entries of nf_ and nlen_ (ncols + EXTRA_SLOTS) */
    size_t *nlen_;
    size_t header_rows, header_row_line; /* rows that repeat the header (a page's): skipped */
    struct {
        char *text;
        size_t len, line;
        unsigned char over;
    } titles[TITLE_MAX];     /* lines of one field held before the header (on_row) */
    size_t ntitles, titles_skipped, title_first_line;
    int titles_off;          /* replayed: the file has one column */
    size_t one_field_rows, one_field_line; /* rows of one field in a file of three or more
                                               columns (a title, a footer): skipped */
    size_t blank_rows, blank_first;         /* rows of empty fields only: skipped */
    size_t short_rows;       /* rows of fewer fields than the header: padded with empty ones */
    size_t short_first, short_fields; /* the first one's line and field count */
    const char **pad_f;      /* such a row padded (ncols fields) */
    size_t *pad_len;
    unsigned char *pad_over;
    size_t long_unused;      /* values over 1 MiB in columns no role uses: ignored */
    size_t long_unused_line; /* the first one's line */
    int long_unused_col;     /* and column */
} input_ctx;

/* Text that is not UTF-8 is most often Latin-1 or Windows-1252 (Excel's default). */
#define ENCODING_HINT " (if the file is Latin-1 or Windows-1252, read it so: --encoding latin1 or cp1252, or --encoding INPUT=cp1252 for this input alone)"

static iom_err bad_line(void *ud, size_t line, const char *why, iom_error *e)
{
    input_ctx *in = ud;
    conflate_engine *eng = in->eng;
    if (!in->header_done) /* the header cannot be skipped: every row is read by it */
        return iom_fail(e, IOM_EINVAL, "%s:%zu: the header row: %s", in->path, line, why);
    if (eng->o.on_error == CONFLATE_ON_ERROR_STOP)
        return iom_fail(e, IOM_EINVAL, "%s:%zu: %s (use --on-error skip to skip such lines)",
                        in->path, line, why);
    eng->skips = conflate_xrealloc(eng->skips, (eng->nskips + 1) * sizeof *eng->skips);
    eng->skips[eng->nskips].input = xstrdup(in->path);
    eng->skips[eng->nskips].why = xstrdup(why);
    eng->skips[eng->nskips].line = line;
    eng->nskips++;
    return IOM_OK;
}

/* The column called name; else the one column whose name differs from it in case alone
   (review 91: `--field dob=DOB` for a header `dob` was refused, where the automatic mapping
   ignores case); -1 when none, or when several differ in case alone (which was meant cannot
   be told). */
/* The end of s without its trailing blanks (spaces, tabs); *start: where it begins without its
   leading ones. */
static size_t blank_trimmed(const char *s, size_t *start)
{
    size_t a = 0, b = strlen(s);
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    *start = a;
    return b;
}

static int find_col(const input_ctx *in, const char *name)
{
    int found = -1;
    for (size_t i = 0; i < in->ncols; i++)
        if (!strcmp(in->colnames[i], name))
            return (int)i;
    for (size_t i = 0; i < in->ncols; i++) /* the same name typed either way (NFC): review 102 */
        if (iom_text_same(in->colnames[i], name))
            return (int)i;
    for (size_t i = 0; i < in->ncols; i++)
        if (!strcasecmp(in->colnames[i], name)) {
            if (found >= 0)
                return -1;
            found = (int)i;
        }
    if (found >= 0)
        return found;
    /* the name without the blanks around it, on either side (a heading `"Ref "` that a
       spreadsheet kept quoted with its trailing space: review 134, `--id INPUT=Ref` found no
       column) */
    size_t a, b = blank_trimmed(name, &a);
    for (size_t i = 0; i < in->ncols && b > a; i++) {
        const char *c = in->colnames[i];
        size_t x, y = blank_trimmed(c, &x);
        if (y - x == b - a && !strncasecmp(c + x, name + a, b - a)) {
            if (found >= 0)
                return -1;
            found = (int)i;
        }
    }
    return found;
}

/* With fields mapped by hand, the columns of `in` the automatic mapping would have compared
   and no field reads (review 91: one `--field` left a year-of-birth column, and every other
   column the run would have found, out of the comparison without a word; the run linked
   nothing): named in one warning per input. */
static int auto_col(const input_ctx *in, const char *role);

/* Whether a record id column may be compared too, as a field of kind k: a number that names
   the record and is also evidence of its person (a phone company's return keyed by the MSISDN,
   a passport office's by the passport number; review 136: `--id csp.csv=MSISDN` left the
   phone out of the comparison without a word). */
static int id_also_compared(kind k, const char *role)
{
    /* a register's own key named as an account (a council tax `Account No`) is no bank
       account: only a person's own numbers */
    return k == K_PHONE || k == K_EMAIL || (k == K_ID && conflate_role_personal(role));
}

static void unmapped_warning(conflate_engine *eng, const input_ctx *in)
{
    char list[512];
    size_t o = 0, n = 0;
    list[0] = '\0';
    for (size_t r = 0; r < NROLES; r++) {
        int c = auto_col(in, roles[r].role);
        if (c < 0 || c == in->idcol || c == in->srccol)
            continue;
        int used = 0;
        for (int f = 0; f < eng->nf && !used; f++)
            used = in->col[f] == c || !strcmp(eng->f[f].role, roles[r].role);
        if (used)
            continue;
        n++;
        if (o + 80 < sizeof list)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s=%.40s", o ? ", " : "", roles[r].role,
                                  in->colnames[c]);
    }
    if (n)
        conflate_msg(eng, CONFLATE_MSG_WARNING,
                     "%s: %zu column%s the automatic mapping would compare %s not compared, as --field "
                     "maps only the fields given: %s (add --field ROLE=COLUMN for %s, or give no "
                     "--field to compare every column found)",
                     in->path, n, n == 1 ? "" : "s", n == 1 ? "is" : "are", list, n == 1 ? "it" : "them");
}

/* With the automatic mapping, the columns of `in` no role's name matches: named in one note
   per input (review 95 M4: "NHS Number", "Passport No" and "Patient Name" were left out
   without a word, and an input ran with no names). */
static void unused_note(conflate_engine *eng, const input_ctx *in)
{
    char list[400];
    size_t o = 0, n = 0;
    list[0] = '\0';
    for (size_t i = 0; i < in->ncols; i++) {
        int used = (int)i == in->idcol || (int)i == in->srccol || (int)i == in->notescol ||
                   (int)i == in->agecol || (int)i == in->reccol || (int)i == in->housecol ||
                   (int)i == in->knowncol || (int)i == in->titlecol;
        for (int f = 0; f < eng->nf && !used; f++)
            used = in->col[f] == (int)i;
        if (used)
            continue;
        n++;
        if (o + 60 < sizeof list)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s'%.40s'", o ? ", " : "", in->colnames[i]);
        else if (o + 6 < sizeof list && !strstr(list, ", ..."))
            o += (size_t)snprintf(list + o, sizeof list - o, ", ...");
    }
    /* the roles listed in the first such note only (review 124: every input's note repeated
       the 24 of them) */
    if (n)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: %zu column%s not compared (no role's name): %s; compare one with --field "
                     "ROLE=COLUMN (roles: %s; or generic:NAME=COLUMN), or per input in a settings "
                     "file's inputs.PATH.fields",
                     in->path, n, n == 1 ? "" : "s", list,
                     eng->roles_listed ? "as listed above" : conflate_roles_list());
    eng->roles_listed |= n > 0;
}

static iom_err no_column(const input_ctx *in, const char *what, const char *col, iom_error *e)
{
    char list[256];
    size_t o = 0;
    list[0] = 0;
    for (size_t i = 0; i < in->ncols && o + 40 < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", in->colnames[i]);
    return iom_fail(e, IOM_EINVAL, "%s: no column '%s' in %s (columns: %s)", what, col, in->path,
                    list);
}

/* A column name without its bracketed parts: "Date of Birth (dd/mm/yyyy)" -> "Date of Birth ",
   "Middle Name(s)" -> "Middle Name" (a format hint or a plural is no part of the name; review 85
   M3: such columns were left unmapped, and a source ran without its dates of birth). */
static void unbracket(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    int depth = 0;
    for (; *s && o + 1 < cap; s++) {
        if (*s == '(' || *s == '[')
            depth++;
        else if ((*s == ')' || *s == ']') && depth > 0)
            depth--;
        else if (!depth)
            out[o++] = *s;
    }
    out[o] = 0;
}

/* The one column whose name (folded, unbracketed) is two words or more and ends with the word
   `last` ("Release Address", "Last Known Address", "Premises Address"), none of its words in
   `not` (space-separated: "Email Address", "IP Address" are no address, and "Hotel Address",
   "Premises Address" or "Incident Address" no home); -1 when there is none
   or more than one (two such columns leave the choice to the user). For a role whose listed
   names no column has (review 124: `Release Address` and `Last Address` were left out, and a
   prison release file compared no homes). */
static int last_word_col(const input_ctx *in, const char *last, const char *not)
{
    int found = -1;
    size_t ll = strlen(last);
    for (size_t i = 0; i < in->ncols; i++) {
        char folded[128], bare[128];
        unbracket(in->colnames[i], bare, sizeof bare);
        fold_name(bare, strlen(bare), folded, sizeof folded);
        size_t n = strlen(folded);
        if (n <= ll + 1 || folded[n - ll - 1] != '_' || strcmp(folded + n - ll, last))
            continue;
        int bad = 0;
        for (size_t a = 0; a < n - ll - 1 && !bad;) { /* the words before the last */
            size_t b = a;
            while (b < n - ll - 1 && folded[b] != '_')
                b++;
            char w[128];
            memcpy(w, folded + a, b - a);
            w[b - a] = '\0';
            bad = col_word_in(w, not);
            a = b + 1;
        }
        if (bad)
            continue;
        if (found >= 0)
            return -1;
        found = (int)i;
    }
    return found;
}

/* Of several `... Name` columns (a transfer's `Sender Name` and `Receiver Name`), the one whose
   words before `Name` also begin a column of the person's details (`Sender DOB`, `Sender
   Address`, `Sender Phone`): the party the record is about (review 134: a money transfer
   extract's records compared no names); -1 when none or several are so. */
/* Whether a word of a folded column name's first n bytes (the words before a role's word or
   a party's noun) makes the column another person's (a word of `not`) or another party's (a
   number but 1: "Applicant 1 Surname" is the record's person, "Applicant 2 Surname" not). */
static int other_qualifier(const char *folded, size_t n, const char *not)
{
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && folded[b] != '_')
            b++;
        char w[128];
        size_t l = b - a < sizeof w - 1 ? b - a : sizeof w - 1;
        memcpy(w, folded + a, l);
        w[l] = '\0';
        int digits = l > 0;
        for (size_t k = 0; k < l; k++)
            digits &= w[k] >= '0' && w[k] <= '9';
        if ((digits && strcmp(w, "1")) || col_word_in(w, not))
            return 1;
        a = b + 1;
    }
    return 0;
}

/* The one column, in an input without any name column, named as the party a register is of
   (`Liable Party 1`, `Account Holder`, `Registered Keeper`, `Tenant`, `Applicant 1`: a council
   tax, tenancy, vehicle or bank register), its whole name: a person's noun, alone or after
   words that are not another person's (OTHER_PERSON), and at most the number 1 after it
   (review 136: a council tax list's `Liable Party 1` and `Liable Party 2` were compared as
   nothing). With several, the one numbered 1, else none. */
static int party_noun_col(const input_ctx *in, const char *not)
{
    static const char nouns[] = "party tenant occupant occupier applicant holder accountholder "
                                "policyholder resident payer billpayer debtor customer subscriber "
                                "member claimant keeper owner lessee leaseholder";
    int found = -1, found1 = -1, many = 0;
    for (size_t i = 0; i < in->ncols; i++) {
        char f[128], b[128];
        unbracket(in->colnames[i], b, sizeof b);
        fold_name(b, strlen(b), f, sizeof f);
        size_t n = strlen(f);
        int one = n > 2 && !strcmp(f + n - 2, "_1");
        if (one)
            f[n -= 2] = '\0';
        size_t w = n;
        while (w > 0 && f[w - 1] != '_')
            w--;
        if (!word_in(f + w, nouns))
            continue;
        if (other_qualifier(f, w, not))
            continue;
        if (one && found1 < 0)
            found1 = (int)i;
        many += found >= 0;
        if (found < 0)
            found = (int)i;
    }
    return found1 >= 0 ? found1 : many ? -1 : found;
}

static int party_name_col(const input_ctx *in)
{
    static const char details[] = "dob d_o_b date_of_birth birth_date address phone mobile telephone "
                                  "postcode post_code email";
    int found = -1;
    for (size_t i = 0; i < in->ncols; i++) {
        char fi[128], bi[128];
        unbracket(in->colnames[i], bi, sizeof bi);
        fold_name(bi, strlen(bi), fi, sizeof fi);
        size_t n = strlen(fi);
        if (n <= 5 || strcmp(fi + n - 5, "_name"))
            continue;
        size_t q = n - 5; /* the qualifier: fi[0, q) */
        int has = 0;
        for (size_t j = 0; j < in->ncols && !has; j++) {
            char fj[128], bj[128];
            if (j == i)
                continue;
            unbracket(in->colnames[j], bj, sizeof bj);
            fold_name(bj, strlen(bj), fj, sizeof fj);
            has = strlen(fj) > q + 1 && !strncmp(fj, fi, q) && fj[q] == '_' && word_in(fj + q + 1, details);
        }
        if (!has)
            continue;
        if (found >= 0)
            return -1;
        found = (int)i;
    }
    return found;
}

/* The one column whose name (folded, unbracketed) is a role's word or words (`surname`,
   `date_of_birth`: one of the space-separated `ends`) after one word or more that says whose
   (`Legal Surname`, `Child Forename`, `Patient Surname`, `Driver DOB`, `Policyholder DOB`),
   none of them in `not` (another person's: `Contact 1 Phone`, `Parent/Carer Name`, `Mother
   DOB`; or another name of the person's: `Preferred Surname`) nor a number; -1 when none or
   several. For a role none of whose listed names a column has (review 128: a school census's
   `Legal Surname` and `Legal Forename`, an emergency department's `Patient Surname`, a stop
   log's `Driver DOB` were left out, and those inputs compared no names or dates of birth). */
static int qualified_col(const input_ctx *in, const char *ends, const char *not)
{
    int found = -1;
    for (size_t i = 0; i < in->ncols; i++) {
        char folded[128], bare[128];
        unbracket(in->colnames[i], bare, sizeof bare);
        fold_name(bare, strlen(bare), folded, sizeof folded);
        size_t n = strlen(folded), cut = 0;
        for (const char *e = ends; *e && !cut;) { /* the longest listed ending first is not
                                                     needed: the endings are whole words */
            const char *sp = strchr(e, ' ');
            size_t el = sp ? (size_t)(sp - e) : strlen(e);
            if (n > el + 1 && folded[n - el - 1] == '_' && !strncmp(folded + n - el, e, el))
                cut = n - el - 1;
            e += el + (sp ? 1 : 0);
        }
        if (!cut)
            continue;
        if (other_qualifier(folded, cut, not))
            continue;
        if (found >= 0)
            return -1;
        found = (int)i;
    }
    return found;
}

/* Words before `Name` in a column that is not the person's whole name (last_word_col): a
   thing's name, a part of a name, another name of the person's, or another person's (and
   `contact`, but in a contact list: auto_col). */
#define NAME_NOT "company business trading premises street road file user account product " \
                 "vessel venue school hotel site shop store brand device network domain host " \
                 "screen display app team group place location town city building property " \
                 "estate organisation organization employer bank branch lender agency " \
                 "first last given family middle fore sur christian maiden previous former " \
                 "birth alias other nick known preferred pet mother mothers father fathers " \
                 "parent parents next kin partner spouse emergency gp doctor referrer " \
                 "reporter reporting"

/* Words before a role's word that make the column another person's, or another name of the
   person's (qualified_col). */
#define OTHER_PERSON "mother mothers father fathers parent parents carer carers guardian guardians " \
                     "next kin nok partner partners spouse spouses husband wife contact contacts " \
                     "emergency gp doctor referrer reporter reporting informant caller witness " \
                     "officer social sibling siblings brother sister son daughter children " \
                     "relative relatives associate associates landlord " \
                     "previous former maiden birth alias aliases other nick known preferred pet " \
                     "second alternative alt old new work business company employer agency " \
                     "joint co secondary additional subsequent " \
                     "office school college hotel premises venue site branch organisation " \
                     "organization police station"

/* Whether the input's settings give the role no column (null: conflate_field_map's ""). */
static int role_off(const input_ctx *in, const char *role)
{
    for (size_t k = 0; in->io && k < in->io->nfields; k++)
        if (!strcmp(role_name(in->io->fields[k].role), role) && !*in->io->fields[k].column)
            return 1;
    return 0;
}

/* The column of the input named as one of the role's listed names; -1 when none. */
static int synonym_col(const input_ctx *in, const char *role)
{
    char folded[128], bare[128];
    for (size_t r = 0; r < NROLES; r++) {
        if (strcmp(roles[r].role, role))
            continue;
        for (int pass = 0; pass < 2; pass++) /* the names as they are first, then unbracketed */
            for (size_t i = 0; i < in->ncols; i++) {
                const char *name = in->colnames[i];
                if (pass) {
                    unbracket(name, bare, sizeof bare);
                    name = bare;
                }
                fold_name(name, strlen(name), folded, sizeof folded);
                if (word_in(folded, roles[r].synonyms))
                    return (int)i;
            }
    }
    return -1;
}

/* Whether the input has an address that is not its contacts' own: a contact list's `Contact
   Address` is the contact's, the record's person (review 132: a PIN-phone list of `Contact
   Name`, `Number` and `Contact Address` was read as no names and no phones). */
static int other_address(const input_ctx *in)
{
    int a = auto_col(in, "address");
    if (a < 0)
        return 0;
    char folded[128], bare[128];
    unbracket(in->colnames[a], bare, sizeof bare);
    fold_name(bare, strlen(bare), folded, sizeof folded);
    return strncmp(folded, "contact_", 8) != 0 && strncmp(folded, "contacts_", 9) != 0;
}

static int auto_col(const input_ctx *in, const char *role)
{
    int syn = synonym_col(in, role);
    if (syn >= 0)
        return syn;
    /* an input with no column of a name's listed names: the one column whose name ends with
       the word Name (`Officer Name` in a Companies House list, `Name on ID` does not end so),
       not of a thing's name (review 126: a list of company officers compared no names) */
    if (!strcmp(role, "full_name") && in->ncols > 1 && auto_col(in, "first_name") < 0 &&
        auto_col(in, "surname") < 0) {
        int c = last_word_col(in, "name", NAME_NOT " contact contacts");
        if (c < 0)
            c = party_name_col(in);
        if (c < 0)
            c = party_noun_col(in, OTHER_PERSON);
        /* a phone's contact list (`Contact Name`, `Number`: review 128, a handset download
           stopped the run, no column matching a role): the contact is the record's person
           where the input has no date of birth and no address (no other subject) */
        if (c < 0 && auto_col(in, "dob") < 0 && !other_address(in))
            c = last_word_col(in, "name", NAME_NOT);
        return c;
    }
    /* ПРЕЗИМЕ, `prezime`: the surname in Serbian, Croatian and Bosnian (Ime, Prezime), the
       father's name in Bulgarian, where the surname is ФАМИЛИЯ (Име, Презиме, Фамилия) */
    if (!strcmp(role, "surname") || !strcmp(role, "middle_name")) {
        int pz = -1;
        for (size_t i = 0; i < in->ncols && pz < 0; i++) {
            char folded[128];
            fold_name(in->colnames[i], strlen(in->colnames[i]), folded, sizeof folded);
            if (!strcmp(folded, "prezime"))
                pz = (int)i;
        }
        if (pz >= 0 && (synonym_col(in, "surname") >= 0) == !strcmp(role, "middle_name"))
            return pz;
    }
    /* a role's word after a word that says whose (qualified_col) */
    static const struct {
        const char *role, *ends;
    } qual[] = {{"first_name", "forename forenames first_name first_names given_name given_names firstname"},
                {"surname", "surname last_name family_name lastname"},
                {"middle_name", "middle_name middle_names"},
                {"dob", "dob d_o_b date_of_birth birth_date"},
                {"sex", "sex gender"},
                {"phone", "phone mobile telephone tel phone_number mobile_number telephone_number tel_no"},
                {"email", "email email_address e_mail"},
                {"postcode", "postcode post_code"},
                /* a payments extract's `Counterparty Account` beside its `Counterparty Name`
                   (review 132: not mapped, and its records were names alone) */
                {"account", "account account_number account_no"}};
    for (size_t q = 0; q < sizeof qual / sizeof *qual && in->ncols > 1; q++)
        if (!strcmp(role, qual[q].role)) {
            int c = qualified_col(in, qual[q].ends, OTHER_PERSON);
            /* the forenames' initials where the input has no forename and no whole name, but a
               surname (`Initials`, `Liable Party Initials` of a council-tax list: review 130 left
               them unmapped, and the list's people were a surname and a home): an initial is
               read as a forename ("J R" is close to John: docs/conflate.md, "Compare") */
            if (c < 0 && !strcmp(role, "first_name") && synonym_col(in, "full_name") < 0 &&
                auto_col(in, "surname") >= 0 && (c = find_col(in, "initials")) < 0)
                c = qualified_col(in, "initials", OTHER_PERSON);
            if (c >= 0 || strcmp(role, "phone"))
                return c;
        }
    /* a contact list's `Number` (review 128): a phone where the input has no address and no
       date of birth, as for its `Contact Name` above (review 131: `Name`, `DOB`, `Number` of a
       custody list, its custody numbers compared as phones) */
    if (!strcmp(role, "phone") && in->ncols > 1 && !other_address(in) &&
        auto_col(in, "dob") < 0) {
        int c = find_col(in, "Number");
        if (c >= 0)
            return c;
    }
    if (!strcmp(role, "address") && in->ncols > 1)
        return last_word_col(in, "address", "email e mail ip mac web url wallet postcode post town city hotel premises business "
                                            "work workplace employer employment company office venue incident offence offense crime "
                                            "event site school college university shop store branch bank");
    /* a generic role: the column of the same name */
    return find_col(in, role);
}

static size_t source_index(conflate_engine *eng, const char *name, size_t n)
{
    for (size_t i = 0; i < eng->nsources; i++)
        if (strlen(eng->sources[i].name) == n && !memcmp(eng->sources[i].name, name, n))
            return i;
    eng->sources = conflate_xrealloc(eng->sources, (eng->nsources + 1) * sizeof *eng->sources);
    source *s = &eng->sources[eng->nsources];
    memset(s, 0, sizeof *s);
    s->name = conflate_xmalloc(n + 1);
    memcpy(s->name, name, n);
    s->name[n] = 0;
    conflate_strtab_init(&s->ids);
    return eng->nsources++;
}

/* Features were added after records were read (from `old` to eng->nf): each record's row of
 * value ids gets the new ones (missing), and the reading batches are made anew for the new
 * width. Called between inputs, when no batch is pending. */
static void widen_records(conflate_engine *eng, int old)
{
    size_t nf = (size_t)eng->nf;
    uint32_t *v = conflate_xcalloc(eng->cap * nf + 1, sizeof *v);
    for (size_t r = 0; r < eng->n; r++)
        memcpy(v + r * nf, eng->vals + r * (size_t)old, (size_t)old * sizeof *v);
    free(eng->vals);
    eng->vals = v;
    batch_wait(eng);
    for (int b = 0; b < 2; b++) {
        batch_free(eng->batch[b]);
        eng->batch[b] = NULL;
    }
    eng->bcur = 0;
}

/* What is wrong with the text s[0..n) of a value, written into why (NULL: nothing): a NUL
 * byte, bytes that are not UTF-8 (with the hint for Latin-1 files), or a character that would
 * hide or reorder what is shown (a control character but tab and a quoted line break, a
 * bidirectional override: util/text.h iom_text_hidden_control), each with its byte offset. */
static const char *text_problem(const char *s, size_t n, char *why, size_t size)
{
    /* most values are printable ASCII (U+0020..U+007E) and tabs only, in which none of the
       checks below can find anything */
    if (iom_text_plain_ascii(s, n))
        return NULL;
    const char *nul = memchr(s, 0, n);
    if (nul) {
        snprintf(why, size, "holds a NUL byte (0x00) at byte %zu", (size_t)(nul - s));
        return why;
    }
    if (!iom_utf8_valid(s, n)) {
        snprintf(why, size, "is not valid UTF-8 text%s", ENCODING_HINT);
        return why;
    }
    size_t at = 0;
    unsigned hidden = iom_text_hidden_control(s, n, &at);
    for (size_t k = 0; k < n && !hidden; k++) {
        unsigned char ch = (unsigned char)s[k];
        if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
            hidden = ch;
            at = k;
        }
    }
    if (!hidden)
        return NULL;
    snprintf(why, size, "holds the %s U+%04X at byte %zu",
             hidden >= 0x2000 ? "bidirectional control" : "control character", hidden, at);
    return why;
}

/* A C1 control character (U+0080..U+009F, UTF-8 C2 80..C2 9F) in s: what UTF-8 text read as
   Latin-1 turns its multi-byte characters into. */
static bool has_c1_control(const char *s, size_t n)
{
    for (size_t k = 0; k + 1 < n; k++)
        if ((unsigned char)s[k] == 0xC2 && (unsigned char)s[k + 1] >= 0x80 &&
            (unsigned char)s[k + 1] <= 0x9F)
            return true;
    return false;
}

/* Whether the last `cut` bytes of a sample (1 to 3) are the start of a UTF-8 sequence the end
   of the sample cut: a lead byte of a longer sequence, then continuation bytes only. */
static bool cut_sequence(const unsigned char *s, size_t cut)
{
    unsigned char b = s[0];
    size_t need = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (cut >= need)
        return false;
    for (size_t i = 1; i < cut; i++)
        if ((s[i] & 0xC0) != 0x80)
            return false;
    return true;
}

/* Text that holds non-ASCII characters and is valid UTF-8: an input that --encoding latin1 or
   cp1252 would misread. A sequence cut at the end is let through only when the sample was
   cut (more of the file follows) and the bytes cut start a sequence: at the real end of the
   text a Latin-1 byte such as the E9 of "Jos\xE9" is no cut sequence (review 89 L3). */
static bool looks_utf8(const char *s, size_t n, bool truncated)
{
    size_t k = 0;
    while (k < n && !((unsigned char)s[k] & 0x80))
        k++;
    if (k == n)
        return false;
    if (iom_utf8_valid(s, n))
        return true;
    for (size_t cut = 1; truncated && cut < 4 && cut <= n; cut++)
        if (cut_sequence((const unsigned char *)s + n - cut, cut) && iom_utf8_valid(s, n - cut))
            return true;
    return false;
}

/* The first bytes of a file (up to 4 MiB, malloc'd in *out), for looks_utf8; *more: the file
   goes on after them. */
static size_t sample_file(const char *path, char **out, bool *more)
{
    *out = NULL;
    *more = false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    enum { SAMPLE = 4 << 20 };
    char *b = conflate_xmalloc(SAMPLE);
    size_t n = fread(b, 1, SAMPLE, f);
    *more = n == SAMPLE && fgetc(f) != EOF;
    fclose(f);
    *out = b;
    return n;
}

/* The notes column of an input: the one its settings name (inputs.PATH.fields notes), else
 * the one --field notes=COLUMN names (an input without it has none), else, with the automatic
 * mapping, the first column of a notes name (NOTES_SYNONYMS) that nothing else uses. */
/* The column read as notes in `in` by those rules, or -1; *given: the column its settings
   name, if any (the caller refuses one that is absent). */
/* The same for any role read but not compared (notes, age, record date): `global` the column
   --field names for every input, `synonyms` the names the automatic mapping finds. */
static int aux_col_of(const input_ctx *in, const char *role, const char *global,
                      const char *synonyms, const char **given)
{
    const conflate_engine *eng = in->eng;
    *given = NULL;
    for (size_t k = 0; in->io && k < in->io->nfields; k++)
        if (!strcmp(in->io->fields[k].role, role))
            *given = in->io->fields[k].column;
    if (*given && !**given) { /* null in the settings: none */
        *given = NULL;
        return -1;
    }
    if (*given)
        return find_col(in, *given);
    if (global)
        return find_col(in, global);
    for (size_t i = 0; eng->auto_fields && i < in->ncols; i++) {
        char folded[128], bare[128];
        unbracket(in->colnames[i], bare, sizeof bare);
        fold_name(bare, strlen(bare), folded, sizeof folded);
        if (word_in(folded, synonyms))
            return (int)i;
    }
    return -1;
}

static int notes_col_of(const input_ctx *in, const char **given)
{
    return aux_col_of(in, NOTES_ROLE, in->eng->notes_column, NOTES_SYNONYMS, given);
}

/* One column read but not compared (role: NOTES_ROLE, AGE_ROLE or RECDATE_ROLE; what: how it is
   read, for errors): its index in *col, -1 when none or when, found by name, another role uses
   it; one given that is absent or used otherwise is refused. */
static iom_err aux_column(input_ctx *in, const char *role, const char *global, const char *synonyms,
                          const char *what, int *col, iom_error *e)
{
    conflate_engine *eng = in->eng;
    const char *given;
    *col = aux_col_of(in, role, global, synonyms, &given);
    if (given && *col < 0)
        return no_column(in, role, given, e);
    if (*col < 0)
        return IOM_OK;
    int c = *col;
    const char *other = c == in->idcol ? "the record id" : c == in->srccol ? "the source" : NULL;
    for (int f = 0; f < eng->nf && !other; f++)
        if (in->col[f] == c)
            other = eng->f[f].role;
    if (!other && col != &in->notescol && c == in->notescol)
        other = "the notes";
    if (!other && col == &in->reccol && c == in->agecol)
        other = "the age";
    if (other && (given || global))
        return iom_fail(e, IOM_EINVAL, "%s: column '%s' is %s and cannot also be read as %s",
                        in->path, in->colnames[c], other, what);
    if (other)
        *col = -1;
    return IOM_OK;
}

static int title_col(const input_ctx *in);

/* In an input with ages (or notes) and no column of a record date's listed names: the one
   column whose name holds the word date (`Visit Date`, `Date Seen`, `Sighting Date`), not of a
   birth, a death, an expiry or an issue, and read as nothing else; -1 when none or several
   (review 124: an inspection log's `Visit Date` was not taken, and its ages went unused). */
static int dated_col(const input_ctx *in)
{
    const conflate_engine *eng = in->eng;
    int found = -1;
    for (size_t i = 0; i < in->ncols; i++) {
        int c = (int)i, used = c == in->idcol || c == in->srccol || c == in->agecol ||
                               c == in->notescol || c == in->knowncol;
        for (int f = 0; f < eng->nf && !used; f++)
            used = in->col[f] == c;
        if (used)
            continue;
        char folded[128], bare[128];
        unbracket(in->colnames[i], bare, sizeof bare);
        fold_name(bare, strlen(bare), folded, sizeof folded);
        int date = 0, bad = 0;
        for (size_t a = 0, n = strlen(folded); a < n;) {
            size_t b = a;
            while (b < n && folded[b] != '_')
                b++;
            char w[128];
            memcpy(w, folded + a, b - a);
            w[b - a] = '\0';
            date |= word_in(w, "date dated datetime timestamp");
            bad |= word_in(w, "birth dob born death died deceased expiry expires expiration issue "
                              "issued valid due start end");
            a = b + 1;
        }
        if (!date || bad)
            continue;
        if (found >= 0)
            return -1;
        found = c;
    }
    return found;
}

/* The notes, age and record date columns of an input (a record date is read only with ages:
   found by name, it is taken only where the input has an age or notes column). */
static iom_err aux_columns(input_ctx *in, iom_error *e)
{
    conflate_engine *eng = in->eng;
    iom_err rc = aux_column(in, NOTES_ROLE, eng->notes_column, NOTES_SYNONYMS, "notes",
                            &in->notescol, e);
    if (rc == IOM_OK)
        rc = aux_column(in, AGE_ROLE, eng->age_column, AGE_SYNONYMS, "an age", &in->agecol, e);
    if (rc == IOM_OK)
        rc = aux_column(in, RECDATE_ROLE, eng->recdate_column, RECDATE_SYNONYMS,
                        "the date of the record", &in->reccol, e);
    if (rc == IOM_OK)
        rc = aux_column(in, KNOWN_ROLE, eng->known_column, KNOWN_SYNONYMS, "a known-as name",
                        &in->knowncol, e);
    if (rc != IOM_OK)
        return rc;
    if (in->reccol < 0 && (in->agecol >= 0 || in->notescol >= 0) && !eng->recdate_column &&
        eng->auto_fields)
        in->reccol = dated_col(in);
    int fw = feature_of_kind(eng, K_FULL); /* a whole name may hold an age (conflate_name_subject_split) */
    if (in->reccol >= 0 && in->agecol < 0 && in->notescol < 0 && !eng->recdate_column &&
        !(fw >= 0 && in->col[fw] >= 0)) {
        int given = 0;
        for (size_t k = 0; in->io && k < in->io->nfields; k++)
            given |= !strcmp(in->io->fields[k].role, RECDATE_ROLE);
        if (!given)
            in->reccol = -1; /* found by name, and nothing counts from it */
    }
    eng->notes_inputs += in->notescol >= 0;
    eng->age_inputs += in->agecol >= 0;
    eng->recdate_inputs += in->reccol >= 0;
    eng->known_inputs += in->knowncol >= 0;
    /* a house number or name column beside the address's (an electoral register's "Property"
       and "Street", a report's "House No/Name"): joined before it (review 115: the address was
       the street alone, one for every house of it) */
    int fa = feature_of_kind(eng, K_ADDRESS);
    in->housecol = -1;
    for (size_t i = 0; fa >= 0 && in->col[fa] >= 0 && i < in->ncols && in->housecol < 0; i++) {
        char folded[128], bare[128];
        unbracket(in->colnames[i], bare, sizeof bare);
        fold_name(bare, strlen(bare), folded, sizeof folded);
        if (!word_in(folded, HOUSE_SYNONYMS))
            continue;
        int other = (int)i == in->idcol || (int)i == in->srccol || (int)i == in->notescol ||
                    (int)i == in->agecol || (int)i == in->reccol || (int)i == in->knowncol;
        for (int f = 0; f < eng->nf && !other; f++)
            other = in->col[f] == (int)i;
        if (!other) {
            in->housecol = (int)i;
            /* "Property" in a crime or incident list is what was stolen ("Mobile phone"), not
               a house (review 118 L8) */
            in->house_vague = word_in(folded, "property premises building");
        }
    }
    /* a title column (`Title`, `Salutation`) in an input without a sex column: the sex its
       titles say (title_word_sex), for the sex field title_feature made */
    int fsx = feature_of_kind(eng, K_SEX);
    in->titlecol = fsx >= 0 && in->col[fsx] < 0 && eng->auto_fields ? title_col(in) : -1;
    /* a driving licence number holds its holder's date of birth and sex (conflate_dl_birth):
       read for records without their own (review 116: a motor insurer's return had no date of
       birth, and its policyholders met namesakes) */
    in->dlf = -1;
    for (int f = 0; f < eng->nf && in->dlf < 0; f++)
        if (!strcmp(eng->f[f].role, "driving_licence") && in->col[f] >= 0 &&
            (feature_of_kind(eng, K_DATE) >= 0 || feature_of_kind(eng, K_SEX) >= 0))
            in->dlf = f;
    /* a whole name may hold a date of birth, an age or a sex (conflate_name_subject_split) */
    in->fullf = -1;
    int ff = feature_of_kind(eng, K_FULL);
    if (ff >= 0 && in->col[ff] >= 0)
        in->fullf = ff;
    if (in->notescol >= 0 || in->agecol >= 0 || in->housecol >= 0 || in->dlf >= 0 || in->fullf >= 0 ||
        in->titlecol >= 0) {
        /* a row's extra values (put_extra): one slot per feature they fill, at most one of
           each kind a row's notes, age, house, licence or whole name may give (whole name,
           date of birth, sex, address, postcode, phone, e-mail) */
        in->nf_cap = in->ncols + EXTRA_SLOTS;
        in->nf_ = conflate_xcalloc(in->nf_cap, sizeof *in->nf_);
        in->nlen_ = conflate_xcalloc(in->nf_cap, sizeof *in->nlen_);
    }
    return IOM_OK;
}

/* The date of birth and sex fields, where none exists yet, for an input whose column of
   `role` (found by name, or named by its settings) may give them (`what`: how the column is
   named in the field's column). */
/* The column of a person's title (`Title`, `Salutation`, `Honorific`, `Name Title`), -1 when
   none: a DVLA, insurer, GP or council record's Mr / Mrs / Miss / Ms, which says the sex. */
static int title_col(const input_ctx *in)
{
    for (size_t i = 0; i < in->ncols; i++) {
        char folded[128], bare[128];
        unbracket(in->colnames[i], bare, sizeof bare);
        fold_name(bare, strlen(bare), folded, sizeof folded);
        if (word_in(folded, "title salutation honorific name_title title_prefix person_title"))
            return (int)i;
    }
    /* `Keeper Title`, `Policyholder Title` (review 128: a DVLA keeper's title was not read, and
       `MISS J LEWIS` and `MR J LEWIS` at one address linked); not a job's or a thing's */
    return qualified_col(in, "title salutation", OTHER_PERSON " job role position post occupation "
                                                "rank course book document film song property "
                                                "case report file");
}

static void birth_features(conflate_engine *eng, const input_ctx *in, const char *role, const char *what)
{
    int l = auto_col(in, role);
    for (size_t k = 0; in->io && k < in->io->nfields; k++)
        if (!strcmp(role_name(in->io->fields[k].role), role))
            l = find_col(in, in->io->fields[k].column);
    static const kind lk[2] = {K_DATE, K_SEX};
    static const char *const lrole[2] = {"dob", "sex"};
    for (int j = 0; l >= 0 && l != in->idcol && l != in->srccol && j < 2 &&
                    eng->nf < CONFLATE_MAX_FEATURES; j++) {
        if (feature_of_kind(eng, lk[j]) >= 0)
            continue;
        char col[200];
        snprintf(col, sizeof col, "%.180s (%s)", in->colnames[l], what);
        add_feature(eng, lrole[j], col);
        eng->f[eng->nf - 1].from_notes = 1;
    }
}

/* With the automatic mapping, an input with a notes column gets the fields its notes can fill
 * (date of birth, postcode, phone, e-mail) that no input read so far has: whatever the order
 * of the inputs, its notes fill them, and another input's own column of the role is found by
 * name as ever. Such a field that no record holds is left out without a warning. */
static void notes_features(conflate_engine *eng, const input_ctx *in)
{
    const char *given;
    int c = notes_col_of(in, &given);
    static const kind kd[4] = {K_DATE, K_POSTCODE, K_PHONE, K_EMAIL};
    static const char *const role[4] = {"dob", "postcode", "phone", "email"};
    for (int j = 0; c >= 0 && c != in->idcol && c != in->srccol && j < 4 && eng->nf < CONFLATE_MAX_FEATURES; j++) {
        if (feature_of_kind(eng, kd[j]) >= 0 || auto_col(in, role[j]) == c)
            continue;
        char col[200];
        snprintf(col, sizeof col, "%.180s (notes)", in->colnames[c]);
        add_feature(eng, role[j], col);
        eng->f[eng->nf - 1].from_notes = 1;
    }
    /* an age column: the estimated years of birth it gives */
    int a = aux_col_of(in, AGE_ROLE, eng->age_column, AGE_SYNONYMS, &given);
    if (a >= 0 && a != in->idcol && a != in->srccol && a != c &&
        feature_of_kind(eng, K_DATE) < 0 && eng->nf < CONFLATE_MAX_FEATURES) {
        char col[200];
        snprintf(col, sizeof col, "%.180s (age)", in->colnames[a]);
        add_feature(eng, "dob", col);
        eng->f[eng->nf - 1].from_notes = 1;
    }
    /* a driving licence column: the date of birth and sex its numbers give (conflate_dl_birth),
       whatever the order of the inputs (review 118: an input of licences read before the
       inputs with dates of birth had neither field, and its numbers gave nothing); a whole
       name: the date of birth and sex it may hold (conflate_name_subject_split), likewise */
    birth_features(eng, in, "driving_licence", "licence");
    birth_features(eng, in, "full_name", "name");
    /* a title column: the sex its titles say */
    int t = eng->auto_fields ? title_col(in) : -1;
    if (t >= 0 && t != in->idcol && t != in->srccol && feature_of_kind(eng, K_SEX) < 0 &&
        auto_col(in, "sex") < 0 && eng->nf < CONFLATE_MAX_FEATURES) {
        char col[200];
        snprintf(col, sizeof col, "%.180s (title)", in->colnames[t]);
        add_feature(eng, "sex", col);
        eng->f[eng->nf - 1].from_notes = 1;
    }
}

/* The sex a whole name's title says ('M' for Mr, Mister, Master, Sir, Lord; 'F' for Mrs, Miss,
   Ms, Madam, Lady, Dame), 0 when it begins with none (or with Dr, Mx, Rev...). The title is its
   first word, with or without a full stop, followed by another word. */
static char title_word_sex(const char *w, size_t n)
{
    static const struct {
        const char *w;
        char sx;
    } t[] = {{"mr", 'M'},   {"mister", 'M'}, {"master", 'M'}, {"mstr", 'M'}, {"sir", 'M'},
             {"lord", 'M'}, {"mrs", 'F'},    {"miss", 'F'},   {"ms", 'F'},   {"madam", 'F'},
             {"lady", 'F'}, {"dame", 'F'},   {"mme", 'F'},    {"mlle", 'F'}};
    while (n && (w[n - 1] == '.' || w[n - 1] == ' '))
        n--;
    while (n && *w == ' ')
        w++, n--;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strlen(t[i].w) == n && !strncasecmp(t[i].w, w, n))
            return t[i].sx;
    return 0;
}

static char title_sex(const char *s, size_t n)
{
    size_t a = 0;
    while (a < n && (s[a] == ' ' || s[a] == '"'))
        a++;
    size_t b = a;
    while (b < n && ((s[b] >= 'a' && s[b] <= 'z') || (s[b] >= 'A' && s[b] <= 'Z')))
        b++;
    size_t w = b - a;
    if (b < n && s[b] == '.')
        b++;
    if (w == 0 || b >= n || (s[b] != ' ' && s[b] != ','))
        return 0;
    return title_word_sex(s + a, w);
}

/* The date of the row's record (its record date column), packed; 0 when none or not a date. */
static int32_t record_date_of(input_ctx *in, const conflate_csv_row *row)
{
    int c = in->reccol;
    if (c < 0 || !row->len[c] || (row->over && row->over[c]))
        return 0;
    int32_t d = conflate_date_parse(row->f[c], row->len[c]);
    /* a system's empty date (1 January 1900 or 1901, 1800) or a date after this year (a
       typing error: 2052 for 2025) is no date to count an age from: an age at it gave a birth
       a century or decades off, "different" from the person's own (review 118) */
    if (d == 19000101 || d == 19010101 || d == 18000101 || d / 10000 > in->eng->notes_year) {
        if (!in->rec_odd++)
            in->rec_odd_line = row->line;
        return 0;
    }
    if (!d && !in->rec_bad++)
        in->rec_bad_line = row->line;
    return d;
}

/* The values a row's notes hold, and the year of birth its age points to, added to the row as
 * extra fields for the features of their kind that the row has no value of; in *cols the
 * columns to read the row's features from. */
/* Value v (n bytes, kept by the caller until the row is added) as feature f's, after the row's
   own fields (the first such value copies the row's fields); *extra counts them. */
static void put_extra(input_ctx *in, const conflate_csv_row *row, size_t *extra, int *cols, int f,
                      const char *v, size_t n)
{
    if (!*extra) {
        memcpy(in->nf_, row->f, row->n * sizeof *row->f);
        memcpy(in->nlen_, row->len, row->n * sizeof *row->len);
    }
    if (cols[f] >= (int)row->n) { /* the feature's extra value already: this one replaces it */
        in->nf_[cols[f]] = v;
        in->nlen_[cols[f]] = n;
        return;
    }
    if (row->n + *extra >= in->nf_cap) /* (cannot happen: one slot per feature of EXTRA_SLOTS) */
        return;
    in->nf_[row->n + *extra] = v;
    in->nlen_[row->n + *extra] = n;
    cols[f] = (int)(row->n + (*extra)++);
}

/* Whether s (n bytes) holds w (ASCII, lower case), case folded. */
static int strcasestr_n(const char *s, size_t n, const char *w)
{
    size_t l = strlen(w);
    for (size_t i = 0; i + l <= n; i++)
        if (!strncasecmp(s + i, w, l))
            return 1;
    return 0;
}

/* Whether s (n bytes) holds a digit. */
static int memchr_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* The record's sex (M or F) as an extra value of feature fs (a title's: title_sex). */
static void put_sex(input_ctx *in, const conflate_csv_row *row, size_t *extra, int *cols, int fs, char sx)
{
    in->subjsex[0] = sx;
    in->subjsex[1] = '\0';
    put_extra(in, row, extra, cols, fs, in->subjsex, 1);
}

static const conflate_csv_row *with_notes(input_ctx *in, const conflate_csv_row *row,
                                          conflate_csv_row *out, conflate_notes *nt, int *cols)
{
    conflate_engine *eng = in->eng;
    memcpy(cols, in->col, sizeof in->col);
    memset(nt, 0, sizeof *nt);
    int32_t recd = record_date_of(in, row);
    size_t extra = 0;
    /* a house number or name in a column of its own, before the street of the address */
    int fa = in->housecol >= 0 ? feature_of_kind(eng, K_ADDRESS) : -1;
    if (fa >= 0 && row->len[in->housecol] && !(row->over && row->over[in->housecol]) &&
        (!in->house_vague || memchr_digit(row->f[in->housecol], row->len[in->housecol]))) {
        const char *h = row->f[in->housecol];
        size_t hn = row->len[in->housecol], an = cols[fa] >= 0 ? row->len[cols[fa]] : 0;
        const char *a = an ? row->f[cols[fa]] : "";
        int has = an > hn && !strncasecmp(a, h, hn) && (a[hn] == ' ' || a[hn] == ',');
        if (!has && hn + an + 2 <= sizeof in->addrbuf) {
            memcpy(in->addrbuf, h, hn);
            size_t k = hn;
            if (an) {
                in->addrbuf[k++] = ' ';
                memcpy(in->addrbuf + k, a, an);
                k += an;
            }
            put_extra(in, row, &extra, cols, fa, in->addrbuf, k);
            in->house_joined++;
        }
    }
    /* a whole name that holds a date of birth, an age or a sex ("SMITH John 01/02/1990 M"):
       the name alone is compared, and the rest fills the record's empty fields */
    int fd0 = feature_of_kind(eng, K_DATE), fs0 = feature_of_kind(eng, K_SEX);
    int fc = in->fullf >= 0 ? cols[in->fullf] : -1;
    int32_t subj_by = 0;
    int subj_d = 0; /* a date of birth (or an age's estimate) taken from the name */
    int subj_s = 0; /* a sex taken from the name */
    if (fc >= 0 && fc < (int)row->n && row->len[fc] && !(row->over && row->over[fc])) {
        const char *v = row->f[fc];
        size_t vn = row->len[fc];
        int age;
        char sx;
        if ((memchr_digit(v, vn) || strcasestr_n(v, vn, "male")) &&
            conflate_name_subject_split(v, vn, in->subjname, sizeof in->subjname, in->subjdob,
                                        sizeof in->subjdob, &age, &sx)) {
            in->subj_rows++;
            put_extra(in, row, &extra, cols, in->fullf, in->subjname, strlen(in->subjname));
            int own_d = fd0 >= 0 && cols[fd0] >= 0 && cols[fd0] < (int)row->n && row->len[cols[fd0]] > 0;
            if (fd0 >= 0 && !own_d && in->subjdob[0]) {
                put_extra(in, row, &extra, cols, fd0, in->subjdob, strlen(in->subjdob));
                in->subj_dob++;
                subj_d = 1;
            } else if (fd0 >= 0 && !own_d && age >= 0) {
                int32_t at = record_date_of(in, row);
                int bm = 0;
                subj_by = at ? conflate_age_birth(age, age, at, &bm) : 0;
                if (subj_by >= 1000) {
                    if (bm)
                        snprintf(in->subjage, sizeof in->subjage, "approx %d-%02d", (int)subj_by, bm);
                    else
                        snprintf(in->subjage, sizeof in->subjage, "approx %d", (int)subj_by);
                    put_extra(in, row, &extra, cols, fd0, in->subjage, strlen(in->subjage));
                    in->subj_age++;
                    subj_d = 1;
                }
            }
            if (fs0 >= 0 && sx && !(cols[fs0] >= 0 && cols[fs0] < (int)row->n && row->len[cols[fs0]] > 0)) {
                in->subjsex[0] = sx;
                in->subjsex[1] = '\0';
                put_extra(in, row, &extra, cols, fs0, in->subjsex, 1);
                in->subj_sex++;
                subj_s = 1;
            }
        }
        if (!subj_s && fs0 >= 0 && !(cols[fs0] >= 0 && cols[fs0] < (int)row->n && row->len[cols[fs0]] > 0)) {
            /* a title says the sex ("MRS R M PATEL", "Mr H Y Patel": a council tax or electoral
               record's whole name; review 124: 81 of a shape's 126 false pairs joined MRS K K
               PARMAR to a man, and the title was all that told them apart), a date of birth
               after the name or not ("Mrs Kiran Parmar 01/02/1960": review 127) */
            char tsx = title_sex(v, vn);
            if (tsx) {
                put_sex(in, row, &extra, cols, fs0, tsx);
                in->title_sex++;
            }
        }
    }
    int tc = in->titlecol;
    if (tc >= 0 && fs0 >= 0 && tc < (int)row->n && row->len[tc] && !(row->over && row->over[tc]) &&
        !(cols[fs0] >= 0 && cols[fs0] < (int)row->n && row->len[cols[fs0]] > 0)) {
        char tsx = title_word_sex(row->f[tc], row->len[tc]);
        if (tsx) {
            put_sex(in, row, &extra, cols, fs0, tsx);
            in->title_col_sex++;
        }
    }
    int c = in->notescol;
    unsigned got = 0;
    if (c >= 0 && row->len[c] && !(row->over && row->over[c])) {
        in->notes_rows++;
        got = conflate_notes_scan(row->f[c], row->len[c], recd ? recd / 10000 : eng->notes_year,
                                  nt);
    }
    /* the age column's estimate: before an age in the notes, after a date of birth written in
       them; the record's own date of birth before all */
    int fd = feature_of_kind(eng, K_DATE);
    if (in->agecol >= 0 && row->len[in->agecol] && !(row->over && row->over[in->agecol])) {
        int lo, hi, k = conflate_age_read(row->f[in->agecol], row->len[in->agecol], &lo, &hi);
        int own = subj_d || (fd >= 0 && cols[fd] >= 0 && cols[fd] < (int)row->n && row->len[cols[fd]] > 0);
        if (k == CONFLATE_AGE_BAD) {
            if (!in->age_bad++)
                in->age_bad_line = row->line;
        } else if (k == CONFLATE_AGE_VAGUE) {
            in->age_vague++;
        } else if (k == CONFLATE_AGE_OK && !own && fd >= 0 && !(got & CONFLATE_NOTE_DOB)) {
            /* without a record's date an age's birth is unknown by as many years as the data
               is old (review 115: ages of episodes three to seven years old, counted from this
               year, were "different" from the children's dates of birth, F1 0.94 -> 0.86) */
            int32_t at = recd;
            int bm = 0, by = at ? conflate_age_birth(lo, hi, at, &bm) : 0;
            if (!at) {
                in->age_nodate++;
            } else if (by >= 1000) {
                if (bm) /* a year around that month (conflate_date_window) */
                    snprintf(in->agebuf, sizeof in->agebuf, "approx %d-%02d", by, bm);
                else
                    snprintf(in->agebuf, sizeof in->agebuf, "approx %d", by);
                put_extra(in, row, &extra, cols, fd, in->agebuf, strlen(in->agebuf));
                in->age_took++;
            }
        }
    }
    /* a driving licence number's date of birth and sex, for a record without its own (after
       one written in the notes, before an age's estimate) */
    int dc = in->dlf >= 0 ? cols[in->dlf] : -1;
    if (dc >= 0 && dc < (int)row->n && row->len[dc] && !(row->over && row->over[dc])) {
        int32_t ymd;
        char sx;
        if (conflate_dl_birth(row->f[dc], row->len[dc], eng->notes_year, &ymd, &sx)) {
            int fs = feature_of_kind(eng, K_SEX);
            int dob_own = fd >= 0 && cols[fd] >= 0 && cols[fd] < (int)row->n && row->len[cols[fd]] > 0;
            if (fd >= 0 && !dob_own && !subj_d && !(got & CONFLATE_NOTE_DOB)) {
                snprintf(in->dlbuf, sizeof in->dlbuf, "%04d-%02d-%02d", (int)(ymd / 10000),
                         (int)(ymd / 100 % 100), (int)(ymd % 100));
                if (cols[fd] >= (int)row->n)
                    in->age_took--; /* a licence's date wins over an age's estimate */
                put_extra(in, row, &extra, cols, fd, in->dlbuf, strlen(in->dlbuf));
                in->dl_dob++;
            }
            if (fs >= 0 && !(cols[fs] >= 0 && cols[fs] < (int)row->n && row->len[cols[fs]] > 0)) {
                in->dlsex[0] = sx;
                in->dlsex[1] = '\0';
                put_extra(in, row, &extra, cols, fs, in->dlsex, 1);
                in->dl_sex++;
            }
        }
    }
    static const unsigned bit[5] = {CONFLATE_NOTE_DOB, CONFLATE_NOTE_AGE, CONFLATE_NOTE_POSTCODE,
                                    CONFLATE_NOTE_PHONE, CONFLATE_NOTE_EMAIL};
    static const kind kd[5] = {K_DATE, K_DATE, K_POSTCODE, K_PHONE, K_EMAIL};
    const char *val[5] = {nt->dob, nt->dob, nt->postcode, nt->phone, nt->email};
    for (int j = 0; j < 5; j++) {
        if (nt->several & bit[j])
            in->notes_several[j]++;
        if (!(got & bit[j]))
            continue;
        int f = feature_of_kind(eng, kd[j]);
        if (f < 0) {
            in->notes_unmapped[j]++;
            continue;
        }
        if (cols[f] >= (int)row->n)
            continue; /* the age column's estimate (or the joined address) wins */
        if (cols[f] >= 0 && row->len[cols[f]] > 0)
            continue; /* the record's own field wins */
        put_extra(in, row, &extra, cols, f, val[j], strlen(val[j]));
        in->notes_took[j]++;
    }
    if (!extra)
        return row;
    out->f = in->nf_;
    out->len = in->nlen_;
    out->n = row->n + extra;
    out->line = row->line;
    out->over = NULL;
    out->printable = 0;
    return out;
}

/* The dates of birth and sexes read from driving licence numbers, in one note. */
static void licence_report(const input_ctx *in)
{
    if (in->dlf < 0 || !in->colnames || (!in->dl_dob && !in->dl_sex))
        return;
    conflate_msg(in->eng, CONFLATE_MSG_NOTE,
                 "%s: %zu dates of birth and %zu sexes read from driving licence numbers ('%s') "
                 "for records without their own (docs/conflate.md, \"Personal identifiers\")",
                 in->path, in->dl_dob, in->dl_sex, in->colnames[in->col[in->dlf]]);
}

/* The whole names that held a date of birth, an age or a sex, in one note. */
static void subject_report(const input_ctx *in)
{
    /* the known-as column said, as the fields line does not list it (review 130: whether a
       `Known As` column was read could not be told) */
    if (in->knowncol >= 0 && in->colnames)
        conflate_msg(in->eng, CONFLATE_MSG_NOTE,
                     "%s: column '%s' read as known-as names: %zu records give one, a name the "
                     "person goes by, \"close\" to a first name that is it (docs/conflate.md, "
                     "\"Known as\")", in->path, in->colnames[in->knowncol], in->known_read);
    if (in->titlecol >= 0 && in->colnames && in->title_col_sex)
        conflate_msg(in->eng, CONFLATE_MSG_NOTE,
                     "%s: column '%s' read as titles: the sex of %zu records without their own so "
                     "read (Mr, Mrs, Miss, Ms...) (docs/conflate.md, \"Names given whole\")", in->path,
                     in->colnames[in->titlecol], in->title_col_sex);
    if (in->fullf >= 0 && in->colnames && in->title_sex)
        conflate_msg(in->eng, CONFLATE_MSG_NOTE,
                     "%s: %zu whole names ('%s') begin with a title of one sex (Mr, Mrs, Miss, Ms...): "
                     "the sex so read for records without their own (docs/conflate.md, \"Names given "
                     "whole\")", in->path, in->title_sex, in->colnames[in->col[in->fullf]]);
    if (in->fullf < 0 || !in->colnames || !in->subj_rows)
        return;
    conflate_msg(in->eng, CONFLATE_MSG_NOTE,
                 "%s: %zu whole names ('%s') held more than a name, taken out and compared as "
                 "the name alone: %zu dates of birth, %zu ages and %zu sexes so read for records "
                 "without their own (docs/conflate.md, \"Names given whole\")",
                 in->path, in->subj_rows, in->colnames[in->col[in->fullf]], in->subj_dob,
                 in->subj_age, in->subj_sex);
}

/* The addresses a house column completed, in one note. */
static void house_report(const input_ctx *in)
{
    if (in->housecol < 0 || !in->colnames)
        return;
    int fa = feature_of_kind(in->eng, K_ADDRESS);
    conflate_msg(in->eng, CONFLATE_MSG_NOTE,
                 "%s: column '%s' joined before the address ('%s'): %zu addresses so completed "
                 "(docs/conflate.md, \"Addresses\")",
                 in->path, in->colnames[in->housecol],
                 fa >= 0 && in->col[fa] >= 0 ? in->colnames[in->col[fa]] : "", in->house_joined);
}

/* What an input's ages gave, in one note. */
static void age_report(const input_ctx *in)
{
    conflate_engine *eng = in->eng;
    if (!in->colnames || (in->agecol < 0 && in->reccol < 0))
        return;
    char more[600] = "";
    size_t o = 0;
    if (in->age_vague)
        o += (size_t)snprintf(more + o, sizeof more - o, "; %zu too vague to use (a range over six "
                              "years, a decade: '40s')", in->age_vague);
    if (in->age_bad)
        o += (size_t)snprintf(more + o, sizeof more - o, "; %zu not ages (the first: line %zu)",
                              in->age_bad, in->age_bad_line);
    if (in->age_nodate)
        o += (size_t)snprintf(more + o, sizeof more - o, "; %zu without a readable record date, "
                              "not used", in->age_nodate);
    if (in->rec_bad && o < sizeof more)
        o += (size_t)snprintf(more + o, sizeof more - o, "; %zu record dates in '%.60s' not dates "
                              "(the first: line %zu)", in->rec_bad, in->colnames[in->reccol],
                              in->rec_bad_line);
    if (in->rec_odd && o < sizeof more)
        o += (size_t)snprintf(more + o, sizeof more - o, "; %zu record dates a placeholder "
                              "(1900-01-01) or after this year, not used (the first: line %zu)",
                              in->rec_odd, in->rec_odd_line);
    if (in->agecol < 0) {
        if (in->rec_bad || in->rec_odd)
            conflate_msg(eng, CONFLATE_MSG_NOTE, "%s: column '%s' read as the date of the record "
                         "(ages in the notes count from it)%s (docs/conflate.md, \"Ages\")", in->path,
                         in->colnames[in->reccol], more);
        return;
    }
    if (in->reccol < 0) {
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: column '%s' holds ages, but the input has no column of the date they were "
                     "given at: not used (an age counted from today is as many years off as the "
                     "data is old; --field record_date=COLUMN names the date) (docs/conflate.md, "
                     "\"Ages\")", in->path, in->colnames[in->agecol]);
        return;
    }
    conflate_msg(eng, CONFLATE_MSG_NOTE,
                 "%s: column '%s' read as ages at the date in '%.60s': %zu taken as estimated "
                 "years of birth into records without a date of birth%s (docs/conflate.md, "
                 "\"Ages\")",
                 in->path, in->colnames[in->agecol], in->colnames[in->reccol], in->age_took, more);
}

/* What an input's notes gave, in one note. */
static void notes_report(const input_ctx *in)
{
    conflate_engine *eng = in->eng;
    if (in->notescol < 0 || !in->colnames)
        return;
    static const char *const what[5] = {"dates of birth", "ages (as estimated years of birth)",
                                        "postcodes", "phone numbers", "e-mail addresses"};
    char took[400] = "", unm[300] = "", sev[300] = "";
    size_t o = 0, u = 0, v = 0;
    for (int j = 0; j < 5; j++) {
        if (in->notes_took[j])
            o += (size_t)snprintf(took + o, sizeof took - o, "%s%zu %s", o ? ", " : "",
                                  in->notes_took[j], what[j]);
        if (in->notes_unmapped[j])
            u += (size_t)snprintf(unm + u, sizeof unm - u, "%s%zu %s", u ? ", " : "",
                                  in->notes_unmapped[j], what[j]);
        if (in->notes_several[j])
            v += (size_t)snprintf(sev + v, sizeof sev - v, "%s%zu two %s or more", v ? ", " : "",
                                  in->notes_several[j], what[j]);
    }
    conflate_msg(eng, CONFLATE_MSG_NOTE,
                 "%s: column '%s' read as notes (free text, %zu non-empty): taken into records "
                 "without their own: %s%s%s%s%s (docs/conflate.md, \"Notes\")",
                 in->path, in->colnames[in->notescol], in->notes_rows, o ? took : "nothing",
                 u ? "; not used, as no input has such a field: " : "", u ? unm : "",
                 v ? "; not taken, as which is the subject's cannot be told: " : "", v ? sev : "");
}

/* A column that, by its name alone, looks like a record id of another name ("Log Ref",
   "Referral ID", "Custody No", "Case Reference"): a name ending in a word of a reference that
   is no role's column and names nothing compared (a phone number, a passport number, a house
   number). Returns its index when there is exactly one, -1 when none; -2 when several (which
   is the id cannot be told). Used only beside an input with an id column, where the input would
   otherwise have line numbers for ids (review 119: six of eight held-out shapes stopped). */
static int id_candidate(const input_ctx *in, char *names, size_t cap)
{
    size_t no = 0;
    names[0] = '\0';
    static const char ends[] = "id ref reference urn no number num";
    static const char notid[] =
        "tel telephone phone mobile fax contact passport licence license dl nhs ni nino "
        "insurance pnc cro account card vehicle vrm vrn reg registration house flat building "
        "property premises door street postcode pcode age sort iban bic imei imsi serial name "
        "company";
    const conflate_engine *eng = in->eng;
    int found = -1;
    for (size_t i = 0; i < in->ncols; i++) {
        char folded[128], bare[128];
        unbracket(in->colnames[i], bare, sizeof bare);
        fold_name(bare, strlen(bare), folded, sizeof folded);
        const char *last = strrchr(folded, '_');
        if (!last || !word_in(last + 1, ends))
            continue;
        bool skip = false;
        for (size_t r = 0; r < NROLES && !skip; r++)
            skip = word_in(folded, roles[r].synonyms);
        /* an account's reference (a council tax or case system's `Account Ref`) is a record's;
           an account's number is compared (review 124: a council tax file's `Account Ref` was
           neither its id nor compared) */
        bool ref = word_in(last + 1, "id ref reference urn");
        for (const char *w = folded; !skip && w < last;) { /* the words before the last */
            char word[128];
            size_t l = strcspn(w, "_");
            memcpy(word, w, l);
            word[l] = '\0';
            skip = word_in(word, notid) && !(ref && !strcmp(word, "account"));
            w += l + 1;
        }
        for (size_t k = 0; !skip && in->io && k < in->io->nfields; k++)
            skip = !strcmp(in->io->fields[k].column, in->colnames[i]);
        for (size_t k = 0; !skip && k < eng->o.nfields; k++)
            skip = !strcmp(eng->o.fields[k].column, in->colnames[i]);
        if (skip)
            continue;
        if (no + 1 < cap) { /* the names, for the note when there are several */
            int w = snprintf(names + no, cap - no, "%s'%.60s'", no ? ", " : "", in->colnames[i]);
            no += w > 0 ? (size_t)w : 0;
            if (no >= cap)
                no = cap - 1;
        }
        found = found == -1 ? (int)i : -2;
    }
    return found;
}

/* Whether the source called name holds records already (another input's of that name). */
static bool source_has_records(const conflate_engine *eng, const char *name)
{
    for (size_t i = 0; i < eng->nsources; i++)
        if (!strcmp(eng->sources[i].name, name))
            return eng->sources[i].ids.n > 0;
    return false;
}

/* The note that an input beside one with ids is named by line numbers (cand: its
   id_candidate, -2 when several columns are named as references, refs their names: review
   132, the note did not say which). */
static void noid_note(conflate_engine *eng, const char *path, int cand, const char *refs)
{
    conflate_msg(eng, CONFLATE_MSG_NOTE,
                 "%s has no record id column%s%s%s: its records are named by line number (name one "
                 "with --id %s=COLUMN)",
                 path, cand == -2 ? " (several are named as references: " : "", cand == -2 ? refs : "",
                 cand == -2 ? ")" : "", path);
}

/* An id column on trial (id_candidate) held a value that is no record's id (why): its records
   so far are named by their line numbers instead, in the order they came, so each keeps its
   place; false when its source also holds another input's records, whose ids would mix. */
static bool id_untry(input_ctx *in, size_t line, const char *why)
{
    conflate_engine *eng = in->eng;
    if (in->srccol >= 0)
        return false;
    source *sr = &eng->sources[in->fixed_src];
    if (sr->ids.n != in->rows_in)
        return false;
    conflate_strtab t;
    conflate_strtab_init(&t);
    for (uint32_t lid = 1; lid <= sr->ids.n; lid++) {
        char b[24];
        int n = snprintf(b, sizeof b, "%u", eng->line[sr->global[lid]]);
        conflate_strtab_intern(&t, b, (size_t)n, NULL);
    }
    conflate_strtab_free(&sr->ids);
    sr->ids = t;
    /* this note says all an input named by line numbers beside one with ids needs (noid_note:
       review 124, three notes of one decision said it three ways) */
    conflate_msg(eng, CONFLATE_MSG_NOTE,
                 "%s: column '%s' is not a record id (line %zu: %s): its records are named by "
                 "line number (name one with --id %s=COLUMN)", in->path, in->colnames[in->idcol], line,
                 why, in->path);
    in->idcol = -1;
    in->id_trial = false;
    if (in->set_id_used) {
        free(eng->id_column_used);
        eng->id_column_used = NULL;
        in->set_id_used = false;
    }
    return true;
}

/* The qualifier of a column's name: its words before `anchor` ("term" in "Term Address", "last_known"
   in "Last Known Address"), into q (cap bytes), "" when there is none among the known ones. */
static void qualifier_of(const char *name, const char *anchor, char *q, size_t cap)
{
    static const char quals[] = "term home current previous prev former correspondence work "
                                "business postal residential usual host sponsor billing "
                                "registered last_known permanent temporary";
    char n[128];
    q[0] = '\0';
    fold_name(name, strlen(name), n, sizeof n);
    const char *at = strstr(n, anchor);
    if (!at || at <= n + 1 || at[-1] != '_' || (size_t)(at - n - 1) >= cap)
        return;
    memcpy(q, n, (size_t)(at - n - 1));
    q[at - n - 1] = '\0';
    if (!word_in(q, quals))
        q[0] = '\0';
}

/* An address and a postcode found by name that name different places ("Term Address" and
   "Home Postcode", a university's list): the postcode of the address's qualifier when the
   input has one ("Term Postcode"), else a note that the two are compared as one home (review
   122: a student's term street was compared with the home postcode, without a word). */
static void home_qualifier(input_ctx *in)
{
    conflate_engine *eng = in->eng;
    int fa = feature_of_kind(eng, K_ADDRESS), fp = feature_of_kind(eng, K_POSTCODE);
    if (fa < 0 || fp < 0 || in->col[fa] < 0)
        return;
    for (size_t k = 0; in->io && k < in->io->nfields; k++)
        if (!strcmp(role_name(in->io->fields[k].role), "postcode"))
            return; /* named by the settings: as given */
    char q[64], qp[64];
    qualifier_of(in->colnames[in->col[fa]], "address", q, sizeof q);
    qp[0] = '\0';
    if (in->col[fp] >= 0)
        qualifier_of(in->colnames[in->col[fp]], "post", qp, sizeof qp);
    if (!q[0] || !strcmp(q, qp))
        return;
    /* a postcode column of the address's qualifier */
    for (size_t i = 0; i < in->ncols; i++) {
        char n[128], want[3][96];
        fold_name(in->colnames[i], strlen(in->colnames[i]), n, sizeof n);
        snprintf(want[0], sizeof want[0], "%s_postcode", q);
        snprintf(want[1], sizeof want[1], "%s_post_code", q);
        snprintf(want[2], sizeof want[2], "%s_postal_code", q);
        if (strcmp(n, want[0]) && strcmp(n, want[1]) && strcmp(n, want[2]))
            continue;
        int used = (int)i == in->idcol || (int)i == in->srccol;
        for (int f = 0; f < eng->nf && !used; f++)
            used = f != fp && in->col[f] == (int)i;
        if (used)
            return;
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: postcode '%s' taken with address '%s' (one home's)%s%s%s", in->path,
                     in->colnames[i], in->colnames[in->col[fa]], in->col[fp] >= 0 ? ", not '" : "",
                     in->col[fp] >= 0 ? in->colnames[in->col[fp]] : "", in->col[fp] >= 0 ? "'" : "");
        in->col[fp] = (int)i;
        return;
    }
    if (qp[0])
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: address '%s' and postcode '%s' name different places, and are compared "
                     "as one home; map another with --field postcode=COLUMN", in->path,
                     in->colnames[in->col[fa]], in->colnames[in->col[fp]]);
}

static iom_err header(input_ctx *in, const conflate_csv_row *row, iom_error *e)
{
    conflate_engine *eng = in->eng;
    in->ncols = row->n;
    in->colnames = conflate_xcalloc(row->n, sizeof *in->colnames);
    for (size_t i = 0; i < row->n; i++) {
        char tw[160];
        if (text_problem(row->f[i], row->len[i], tw, sizeof tw))
            return iom_fail(e, IOM_EINVAL, "%s:%zu: column %zu of the header %s", in->path,
                            row->line, i + 1, tw);
        in->colnames[i] = xstrdup(row->f[i]);
    }
    /* id and source columns */
    const char *idname = in->io && in->io->id_column ? in->io->id_column : eng->o.id_column;
    in->idcol = -1;
    if (idname) {
        in->idcol = find_col(in, idname);
        if (in->idcol < 0)
            return no_column(in, "--id", idname, e);
    } else {
        for (size_t k = 0; k < sizeof id_names / sizeof id_names[0] && in->idcol < 0; k++)
            for (size_t i = 0; i < in->ncols && in->idcol < 0; i++) {
                char folded[128];
                fold_name(in->colnames[i], strlen(in->colnames[i]), folded, sizeof folded);
                if (!strcmp(folded, id_names[k])) {
                    in->idcol = (int)i;
                    /* a reference's name (`URN`, `Person Ref`, `MRN`, `UPN`), not an id's: on
                       trial as id_candidate's are (review 130: a court export's URN is the
                       case's, shared by co-defendants, and the run stopped on a duplicate id);
                       not with a source column, nor in a source that holds another input's
                       records (as below) */
                    in->id_trial = k >= ID_NAMES_STRICT && !eng->o.source_column &&
                                   !source_has_records(eng, in->name);
                }
            }
    }
    if (!idname) {
        /* ids from columns and line numbers must not mix silently: a file whose id column is
         * named otherwise would get line numbers. Beside an input with ids, a column named as
         * a reference ("Log Ref", id_candidate) is taken as the id and a note says so; an input
         * with no such column is named by line numbers, and a note says that (review 119: it
         * stopped the run, and such a file had no way to go on but an edit). */
        /* not with a source column (an input's records may then be in many sources, shared
           with other inputs, and id_untry cannot name them by line), nor in a source that
           holds another input's records already: line numbers, as before (review 123: such
           an input with a repeating "Case Ref", or with the source column itself named "...
           ID", stopped on a duplicate id) */
        char refs[200] = "";
        int cand = in->idcol < 0 && !eng->o.source_column && !source_has_records(eng, in->name)
                       ? id_candidate(in, refs, sizeof refs)
                       : -1;
        if (cand >= 0) {
            /* taken on trial: a value that is empty or repeats turns the input to line
               numbers (id_untried), and a note says which */
            in->idcol = cand;
            in->id_trial = true;
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s: column '%s' taken as the record id (its name is a reference's; "
                         "name another with --id %s=COLUMN)",
                         in->path, in->colnames[cand], in->path);
        }
        if (in->idcol < 0 && eng->id_column_used)
            noid_note(eng, in->path, cand, refs);
        if (in->idcol >= 0 && eng->noid_input) {
            noid_note(eng, eng->noid_input, eng->noid_cand, eng->noid_refs);
            free(eng->noid_input);
            eng->noid_input = NULL;
        }
        if (in->idcol < 0 && !eng->noid_input && !eng->id_column_used) {
            eng->noid_input = xstrdup(in->path);
            eng->noid_cand = cand;
            snprintf(eng->noid_refs, sizeof eng->noid_refs, "%s", refs);
        }
    }
    if (in->idcol >= 0 && !eng->id_column_used) {
        eng->id_column_used = xstrdup(in->colnames[in->idcol]);
        in->set_id_used = true;
    }
    in->srccol = -1;
    if (eng->o.source_column) {
        in->srccol = find_col(in, eng->o.source_column);
        if (in->srccol < 0)
            return no_column(in, "--source-column", eng->o.source_column, e);
    } else {
        in->fixed_src = (int)source_index(eng, in->name, strlen(in->name));
    }
    /* features: automatic, the roles found in any input (sources with different field sets:
     * a role first seen in a later input is added, missing in the records read before) */
    if (eng->auto_fields) {
        int before = eng->nf;
        /* the roles this input maps itself (settings inputs.PATH.fields) are compared too,
           even when no earlier input had them */
        for (size_t k = 0; in->io && k < in->io->nfields && eng->nf < CONFLATE_MAX_FEATURES; k++) {
            const char *rn = role_name(in->io->fields[k].role);
            if (is_aux_role(rn) || !*in->io->fields[k].column)
                continue;
            int have = 0;
            for (int f = 0; f < eng->nf; f++)
                have |= !strcmp(eng->f[f].role, rn);
            if (!have)
                add_feature(eng, rn, in->io->fields[k].column);
        }
        for (size_t r = 0; r < NROLES && eng->nf < CONFLATE_MAX_FEATURES; r++) {
            if (role_off(in, roles[r].role))
                continue;
            int c = auto_col(in, roles[r].role), have = 0;
            for (int f = 0; f < eng->nf; f++)
                have |= !strcmp(eng->f[f].role, roles[r].role);
            if (c >= 0 && (c != in->idcol || id_also_compared(roles[r].k, roles[r].role)) && c != in->srccol && !have)
                add_feature(eng, roles[r].role, in->colnames[c]);
        }
        notes_features(eng, in);
        if (eng->nf > before && eng->n > 0)
            widen_records(eng, before);
        if (eng->nf == 0)
            return iom_fail(e, IOM_EINVAL,
                            "%s: no column matches a role (%s); map columns with --field "
                            "ROLE=COLUMN%s",
                            in->path, conflate_roles_list(),
                            in->ncols == 1 ? ". The header has one column: is the file separated "
                                             "by another delimiter? (, ; tab | are detected; "
                                             "--delimiter names one)" : "");
    }
    for (int f = 0; f < eng->nf; f++) {
        const char *col = NULL;
        if (in->io)
            for (size_t k = 0; k < in->io->nfields; k++)
                if (!strcmp(role_name(in->io->fields[k].role), eng->f[f].role))
                    col = in->io->fields[k].column;
        if (col && !*col) {
            in->col[f] = -1; /* null in the settings: none */
        } else if (col) {
            in->col[f] = find_col(in, col);
            if (in->col[f] < 0)
                return no_column(in, eng->f[f].role, col, e);
        } else if (!eng->auto_fields) {
            /* an input without the column lacks the field (sources with different field sets);
               a column no input has is a mistake, refused when the run starts */
            in->col[f] = find_col(in, eng->f[f].column);
            if (in->col[f] < 0 && !eng->f[f].absent++)
                eng->f[f].absent_in = xstrdup(in->path);
        } else {
            in->col[f] = auto_col(in, eng->f[f].role);
            /* the record id named like a role whose values are not the person's (a council
               tax `Account No`): the id only, as when the fields were made */
            if (in->col[f] >= 0 && in->col[f] == in->idcol && !id_also_compared(eng->f[f].k, eng->f[f].role))
                in->col[f] = -1;
            /* a field first read from another input's names or notes ("Contact Name (name)")
               is named by this input's own column of the role: the messages about the field
               named the pseudo-column, and an analyst looked in the wrong file (review 128) */
            if (in->col[f] >= 0 && in->col[f] != in->idcol && eng->f[f].from_notes &&
                strchr(eng->f[f].column, '(')) {
                free(eng->f[f].column);
                eng->f[f].column = xstrdup(in->colnames[in->col[f]]);
            }
        }
        if (in->col[f] >= 0 && in->col[f] == in->idcol && !id_also_compared(eng->f[f].k, eng->f[f].role))
            return iom_fail(e, IOM_EINVAL, "%s: column '%s' is the record id and cannot also be "
                            "compared as %s", in->path, in->colnames[in->idcol], eng->f[f].role);
        if (in->col[f] >= 0 && in->col[f] == in->idcol)
            conflate_msg(eng, CONFLATE_MSG_NOTE, "%s: column '%s' is the record id and is compared as %s too",
                         in->path, in->colnames[in->idcol], eng->f[f].role);
    }
    if (eng->auto_fields)
        home_qualifier(in);
    iom_err nrc = aux_columns(in, e);
    if (nrc != IOM_OK)
        return nrc;
    if (!eng->auto_fields)
        unmapped_warning(eng, in);
    else
        unused_note(eng, in);
    if (in->io)
        for (size_t k = 0; k < in->io->nfields; k++) {
            int known = is_aux_role(in->io->fields[k].role);
            for (int f = 0; f < eng->nf; f++)
                known |= !strcmp(role_name(in->io->fields[k].role), eng->f[f].role);
            /* null (no column): a role that need not be compared at all, but a role */
            for (size_t r = 0; r < NROLES && !*in->io->fields[k].column; r++)
                known |= !strcmp(role_name(in->io->fields[k].role), roles[r].role);
            known |= !*in->io->fields[k].column && !strncmp(in->io->fields[k].role, "generic:", 8);
            if (!known)
                return iom_fail(e, IOM_EINVAL, "%s: role '%s' is not among the compared fields",
                                in->path, in->io->fields[k].role);
        }
    /* a column used twice over by name (two "first_name" columns): which one was meant cannot
       be told, and the first would be taken without a word */
    for (int f = -2; f < eng->nf; f++) {
        int c = f == -2 ? in->idcol : f == -1 ? in->srccol : in->col[f];
        if (c < 0)
            continue;
        for (size_t j = 0; j < in->ncols; j++)
            if ((int)j != c && !strcmp(in->colnames[j], in->colnames[c]))
                return iom_fail(e, IOM_EINVAL, "%s: column '%s' is in the header twice (columns %d "
                                "and %zu): rename one, or map the other", in->path,
                                in->colnames[c], c + 1, j + 1);
    }
    return IOM_OK;
}

static void grow_records(conflate_engine *eng)
{
    if (eng->n < eng->cap)
        return;
    size_t c = eng->cap ? eng->cap * 2 : 4096;
    eng->vals = conflate_xrealloc(eng->vals, c * (size_t)eng->nf * sizeof *eng->vals);
    eng->src = conflate_xrealloc(eng->src, c * sizeof *eng->src);
    eng->local = conflate_xrealloc(eng->local, c * sizeof *eng->local);
    eng->line = conflate_xrealloc(eng->line, c * sizeof *eng->line);
    eng->cap = c;
}


static iom_err data_row(input_ctx *in, const conflate_csv_row *row, iom_error *e)
{
    conflate_engine *eng = in->eng;
    char why[640];
    conflate_csv_row padded;
    /* a report tool's export: its header repeated every page, a title or a footer line ("Total
       records: 2,840") of one field: not records (review 115: the first repeated header was
       taken as a record, each later one stopped the run as a duplicate id) */
    if (row->n == in->ncols && row->n > 1) {
        size_t same = 0;
        while (same < row->n && row->len[same] == strlen(in->colnames[same]) &&
               !memcmp(row->f[same], in->colnames[same], row->len[same]))
            same++;
        if (same == row->n) {
            if (!in->header_rows++)
                in->header_row_line = row->line;
            return IOM_OK;
        }
    }
    if (row->n == 1 && in->ncols >= 3) {
        if (row->len[0] && !in->one_field_rows++)
            in->one_field_line = row->line;
        return IOM_OK;
    }
    /* a row of separators only (`,,,,`: a spreadsheet's blank row saved as CSV) holds no record
       (review 134: it stopped the run, "record id is empty") */
    if (row->n > 1) {
        size_t c = 0;
        while (c < row->n && row->len[c] == 0)
            c++;
        if (c == row->n) {
            if (!in->blank_rows++)
                in->blank_first = row->line;
            return IOM_OK;
        }
    }
    if (row->n < in->ncols && row->n > 0) {
        /* a row that leaves its last fields off (some exports and hand-edited files do): they
           are empty, and the input's note counts such rows (review 105 M: the run stopped) */
        if (!in->pad_f) {
            in->pad_f = conflate_xcalloc(in->ncols, sizeof *in->pad_f);
            in->pad_len = conflate_xcalloc(in->ncols, sizeof *in->pad_len);
            in->pad_over = conflate_xcalloc(in->ncols, 1);
        }
        for (size_t c = 0; c < in->ncols; c++) {
            in->pad_f[c] = c < row->n ? row->f[c] : "";
            in->pad_len[c] = c < row->n ? row->len[c] : 0;
            in->pad_over[c] = c < row->n && row->over ? row->over[c] : 0;
        }
        if (in->short_rows++ == 0) {
            in->short_first = row->line;
            in->short_fields = row->n;
        }
        padded = (conflate_csv_row){in->pad_f, in->pad_len, in->ncols, row->line,
                                    row->over ? in->pad_over : NULL, row->printable};
        row = &padded;
    }
    if (row->n != in->ncols) {
        snprintf(why, sizeof why, "expected %zu fields as in the header, found %zu", in->ncols,
                 row->n);
        return bad_line(in, row->line, why, e);
    }
    char tw[160];
    if (row->over) { /* a value over 1 MiB: refused in a column used, ignored in another
                        (review 85 L1: a 3 MB notes cell stopped the run) */
        for (size_t c = 0; c < row->n; c++) {
            if (!row->over[c])
                continue;
            bool used = (int)c == in->idcol || (int)c == in->srccol;
            for (int f = 0; f < eng->nf && !used; f++)
                used = in->col[f] == (int)c;
            if (used) {
                snprintf(why, sizeof why, "column '%.40s' holds a value longer than 1 MiB",
                         in->colnames[c]);
                return bad_line(in, row->line, why, e);
            }
            if (in->long_unused++ == 0) {
                in->long_unused_line = row->line;
                in->long_unused_col = (int)c;
            }
        }
    }
    for (int f = 0; f < eng->nf; f++) {
        int c = in->col[f];
        if (c >= 0 && !row->printable && text_problem(row->f[c], row->len[c], tw, sizeof tw)) {
            /* read as Latin-1, a C1 control is most often a Windows-1252 character (curly
               quotes, dashes, the euro: 0x80-0x9F), which Latin-1 reads as a control (review
               105 L: the hint blamed UTF-8 alone, and never named cp1252) */
            snprintf(why, sizeof why, "column '%.40s' %s%s", in->colnames[c], tw,
                     in->single_byte == 1 && has_c1_control(row->f[c], row->len[c])
                         ? " (the input was read as Latin-1: a Windows-1252 file (Excel's: curly "
                           "quotes, dashes, the euro sign) gives such characters, read it as "
                           "cp1252; so does UTF-8 text, give --encoding only for the inputs that "
                           "are not UTF-8, settings inputs.PATH.encoding)"
                     : in->single_byte && has_c1_control(row->f[c], row->len[c])
                         ? " (the input was read as Windows-1252: UTF-8 text read so "
                           "gives such characters; give --encoding only for the inputs that are "
                           "not UTF-8, settings inputs.PATH.encoding)"
                         : "");
            return bad_line(in, row->line, why, e);
        }
    }
    size_t srci = (size_t)in->fixed_src;
    if (in->srccol >= 0) {
        const char *s = row->f[in->srccol];
        size_t n = row->len[in->srccol];
        if (n == 0 || (!row->printable && text_problem(s, n, tw, sizeof tw))) {
            snprintf(why, sizeof why, "source column '%.40s' %s", in->colnames[in->srccol],
                     n ? tw : "is empty");
            return bad_line(in, row->line, why, e);
        }
        srci = source_index(eng, s, n);
        if (srci > 65535)
            return iom_fail(e, IOM_EINVAL, "%s:%zu: more than 65536 distinct sources", in->path,
                            row->line);
    }
    source *sr = &eng->sources[srci];
    char idbuf[32];
    const char *id;
    size_t idn;
    if (in->id_trial && (row->len[in->idcol] == 0 ||
                         conflate_strtab_find(&sr->ids, row->f[in->idcol], row->len[in->idcol]))) {
        char what[160];
        if (row->len[in->idcol] == 0)
            snprintf(what, sizeof what, "empty");
        else
            snprintf(what, sizeof what, "'%.80s' repeats line %u", row->f[in->idcol],
                     eng->line[sr->global[conflate_strtab_find(&sr->ids, row->f[in->idcol],
                                                               row->len[in->idcol])]]);
        id_untry(in, row->line, what);
    }
    if (in->idcol >= 0) {
        id = row->f[in->idcol];
        idn = row->len[in->idcol];
        if (idn == 0 || (!row->printable && text_problem(id, idn, tw, sizeof tw))) {
            snprintf(why, sizeof why, "record id (column '%.40s') %s", in->colnames[in->idcol],
                     idn ? tw : "is empty");
            return bad_line(in, row->line, why, e);
        }
    } else {
        idn = (size_t)snprintf(idbuf, sizeof idbuf, "%zu", row->line);
        id = idbuf;
    }
    int added;
    uint32_t before = sr->ids.n;
    uint32_t lid = conflate_strtab_intern(&sr->ids, id, idn, &added);
    if (!added) {
        snprintf(why, sizeof why, "duplicate record id '%.80s' in %.60s (first on line %u)", id,
                 sr->name, eng->line[sr->global[lid]]);
        return bad_line(in, row->line, why, e);
    }
    (void)before;
    if (lid >= sr->capglobal) {
        sr->capglobal = sr->capglobal ? sr->capglobal * 2 : 1024;
        while (sr->capglobal <= lid)
            sr->capglobal *= 2;
        sr->global = conflate_xrealloc(sr->global, sr->capglobal * sizeof *sr->global);
    }
    if (eng->n >= UINT32_MAX - 1)
        return iom_fail(e, IOM_ETOOBIG, "more than %u records", UINT32_MAX - 2);
    grow_records(eng);
    in->rows_in++;
    size_t r = eng->n++;
    sr->global[lid] = (uint32_t)r;
    eng->src[r] = (uint16_t)srci;
    eng->local[r] = lid;
    eng->line[r] = row->line > UINT32_MAX ? UINT32_MAX : (uint32_t)row->line;
    if (in->knowncol >= 0 && !(row->over && row->over[in->knowncol])) {
        known_set(eng, r, row->f[in->knowncol], row->len[in->knowncol]);
        in->known_read += r < eng->known_n && eng->known_of[r] != 0;
    }
    if (in->notescol < 0 && in->agecol < 0 && in->housecol < 0 && in->dlf < 0 && in->fullf < 0 &&
        in->titlecol < 0) { /* the common case */
        batch_add(eng, r, in->col, row);
        return IOM_OK;
    }
    conflate_csv_row nrow;
    conflate_notes nt;
    int cols[CONFLATE_MAX_FEATURES];
    const conflate_csv_row *use = with_notes(in, row, &nrow, &nt, cols);
    batch_add(eng, r, cols, use);
    return IOM_OK;
}

/* Lines of one field before a header of several (a report's title, its run date): held
   until a line of several fields comes, which is the header, and they are titles; if none comes
   within TITLE_MAX lines, or the input ends, the file has one column, and they are replayed as
   its header and records. */
static iom_err replay_titles(input_ctx *in, iom_error *e);
static iom_err on_row(void *ud, const conflate_csv_row *row, iom_error *e)
{
    input_ctx *in = ud;
    if (!in->header_done && row->n == 1 && in->ntitles < TITLE_MAX && !in->titles_off) {
        in->titles[in->ntitles].text = conflate_xmalloc(row->len[0] + 1);
        memcpy(in->titles[in->ntitles].text, row->f[0], row->len[0]);
        in->titles[in->ntitles].text[row->len[0]] = '\0';
        in->titles[in->ntitles].len = row->len[0];
        in->titles[in->ntitles].line = row->line;
        in->titles[in->ntitles].over = row->over ? row->over[0] : 0;
        in->ntitles++;
        return IOM_OK;
    }
    if (!in->header_done && in->ntitles && row->n == 1) { /* one column after all */
        iom_err rc = replay_titles(in, e);
        if (rc != IOM_OK)
            return rc;
    }
    if (!in->header_done) {
        in->header_done = 1;
        in->titles_skipped = in->ntitles;
        if (in->ntitles)
            in->title_first_line = in->titles[0].line;
        return header(in, row, e);
    }
    iom_err rc = data_row(in, row, e);
    if (rc == IOM_OK && (in->eng->n & 0xFFFF) == 0)
        progress(in->eng, "read", in->eng->n, 0);
    return rc;
}

static iom_err replay_titles(input_ctx *in, iom_error *e)
{
    iom_err rc = IOM_OK;
    size_t k = in->ntitles;
    in->ntitles = 0; /* replayed rows are not held again */
    in->titles_off = 1;
    for (size_t i = 0; i < k; i++) {
        const char *f = in->titles[i].text;
        size_t len = in->titles[i].len;
        unsigned char over = in->titles[i].over;
        conflate_csv_row r = {&f, &len, 1, in->titles[i].line, over ? &over : NULL, 0};
        if (rc == IOM_OK)
            rc = on_row(in, &r, e);
    }
    for (size_t i = 0; i < k; i++)
        free(in->titles[i].text);
    return rc;
}

static iom_err add_input(conflate_engine *eng, const char *path, const char *data, size_t n,
                         int from_file, const conflate_input_opts *io, iom_error *e)
{
    if (eng->ran)
        return iom_fail(e, IOM_EUSAGE, "inputs must be added before conflate_run");
    if (eng->settled)
        return iom_fail(e, IOM_EUSAGE, "inputs must be added before conflate_set_settled");
    input_ctx in;
    memset(&in, 0, sizeof in);
    in.notescol = in.agecol = in.reccol = in.housecol = in.dlf = in.knowncol = in.fullf = in.titlecol = -1;
    in.eng = eng;
    in.path = path;
    in.name = io && io->name ? io->name : path;
    in.io = io;
    double t0 = conflate_now(), c0 = conflate_cpu_now();
    size_t before = eng->n;
    conflate_csv_opts co = {io && io->delimiter ? io->delimiter : eng->o.delimiter,
                            io && io->encoding ? io->encoding : eng->o.encoding, 0, 1};
    if (co.delimiter && co.delimiter != ',' && co.delimiter != ';' && co.delimiter != '\t' &&
        co.delimiter != '|')
        return iom_fail(e, IOM_EINVAL, "%s: delimiter '%c': expected , ; tab or |", path,
                        co.delimiter);
    if ((!io || !io->encoding) &&
        (co.encoding == CONFLATE_ENC_LATIN1 || co.encoding == CONFLATE_ENC_CP1252)) {
        /* an encoding given for every input, and this one is UTF-8 (review 85 L2: read as
           Latin-1, its accented letters became control characters): read it as UTF-8 */
        char *sample = NULL;
        bool more = false;
        size_t sn = from_file ? sample_file(path, &sample, &more) : n;
        if (looks_utf8(from_file ? sample : data, sn, more)) {
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s is UTF-8 text: read as UTF-8, not as %s (the --encoding given for "
                         "every input applies to those that are not UTF-8; settings "
                         "inputs.PATH.encoding gives an input's own)",
                         path, co.encoding == CONFLATE_ENC_LATIN1 ? "latin1" : "cp1252");
            co.encoding = CONFLATE_ENC_UTF8;
        }
        free(sample);
    }
    in.single_byte = co.encoding == CONFLATE_ENC_LATIN1 ? 1 : co.encoding == CONFLATE_ENC_CP1252 ? 2 : 0;
    iom_err rc = from_file ? conflate_csv_read_file_opts(path, &co, on_row, bad_line, &in, e)
                           : conflate_csv_parse_opts(data, n, &co, on_row, bad_line, &in, e);
    if (rc == IOM_OK && !in.header_done && in.ntitles) /* a file of one column, ended */
        rc = replay_titles(&in, e);
    for (size_t i = 0; i < in.ntitles; i++) /* held when the run stopped */
        free(in.titles[i].text);
    if (in.titles_skipped && rc == IOM_OK)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: %zu line%s of one field before the header (a report's title%s, the "
                     "first: line %zu): skipped",
                     path, in.titles_skipped, in.titles_skipped == 1 ? "" : "s",
                     in.titles_skipped == 1 ? "" : "s", in.title_first_line);
    eng->in_delim = conflate_xrealloc(eng->in_delim, (eng->ninputs + 1) * sizeof *eng->in_delim);
    eng->in_delim_how =
        conflate_xrealloc(eng->in_delim_how, (eng->ninputs + 1) * sizeof *eng->in_delim_how);
    eng->in_delim_how[eng->ninputs] = (unsigned char)co.detected_how;
    eng->in_cols = conflate_xrealloc(eng->in_cols, (eng->ninputs + 1) * sizeof *eng->in_cols);
    for (int f = 0; f <= CONFLATE_MAX_FEATURES; f++) {
        int c = !in.header_done ? -1 : f == CONFLATE_MAX_FEATURES ? in.idcol : f < eng->nf ? in.col[f] : -1;
        eng->in_cols[eng->ninputs][f] =
            c >= 0 && (size_t)c < in.ncols && in.colnames ? xstrdup(in.colnames[c]) : NULL;
    }
    eng->in_path = conflate_xrealloc(eng->in_path, (eng->ninputs + 1) * sizeof *eng->in_path);
    eng->in_path[eng->ninputs] = path ? xstrdup(path) : NULL;
    eng->in_multi = conflate_xrealloc(eng->in_multi, eng->ninputs + 1);
    eng->in_multi[eng->ninputs] = in.header_done && in.ncols > 1;
    eng->in_delim[eng->ninputs++] = co.detected;
    batch_finish(eng);
    if (rc == IOM_OK) {
        notes_report(&in);
        age_report(&in);
        house_report(&in);
        licence_report(&in);
        subject_report(&in);
    }
    free(in.nf_);
    free(in.nlen_);
    free(in.pad_f);
    free(in.pad_len);
    free(in.pad_over);
    if (in.header_rows && rc == IOM_OK)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: %zu row%s repeat%s the header (the first: line %zu), as a report's pages "
                     "do: skipped, not records", path, in.header_rows, in.header_rows == 1 ? "" : "s",
                     in.header_rows == 1 ? "s" : "", in.header_row_line);
    if (in.one_field_rows && rc == IOM_OK)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: %zu row%s of one field in a file of %zu columns (the first: line %zu; a "
                     "title or a footer such as \"Total records: N\"?): skipped, not records",
                     path, in.one_field_rows, in.one_field_rows == 1 ? "" : "s", in.ncols,
                     in.one_field_line);
    if (in.blank_rows && rc == IOM_OK)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: %zu row%s of empty fields only (the first: line %zu; a spreadsheet's blank "
                     "row): skipped, not records", path, in.blank_rows, in.blank_rows == 1 ? "" : "s",
                     in.blank_first);
    if (in.short_rows && rc == IOM_OK) /* a run stopped by its input says why, not this */
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: %zu row%s fewer fields than the header's %zu (the first: line %zu, %zu "
                     "field%s): the missing last fields were taken as empty (a value that holds a "
                     "line break must be quoted, or its record is cut in two)",
                     path, in.short_rows, in.short_rows == 1 ? " has" : "s have", in.ncols,
                     in.short_first, in.short_fields, in.short_fields == 1 ? "" : "s");
    if (in.long_unused && in.colnames)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s: %zu value%s longer than 1 MiB in columns no role uses %s ignored "
                     "(the first: column '%.40s', line %zu); the records are read",
                     path, in.long_unused, in.long_unused == 1 ? "" : "s",
                     in.long_unused == 1 ? "was" : "were", in.colnames[in.long_unused_col],
                     in.long_unused_line);
    if (rc == IOM_OK && !in.header_done)
        rc = iom_fail(e, IOM_EINVAL, "%s is empty: a header row is needed", path);
    if (in.colnames) {
        for (size_t i = 0; i < in.ncols; i++)
            free(in.colnames[i]);
        free(in.colnames);
    }
    eng->t_read += conflate_now() - t0;
    eng->c_read += conflate_cpu_now() - c0;
    (void)before;
    return rc;
}

iom_err conflate_add_csv(conflate_engine *eng, const char *path, const conflate_input_opts *io,
                         iom_error *e)
{
    return add_input(eng, path, NULL, 0, 1, io, e);
}

iom_err conflate_add_csv_buffer(conflate_engine *eng, const char *name, const char *data,
                                size_t n, const conflate_input_opts *io, iom_error *e)
{
    return add_input(eng, name, data, n, 0, io, e);
}

/* ---- normalisation ------------------------------------------------------------------------- */


/* A value's full-width forms (U+FF01-U+FF5E: "０７７００", typed with an East Asian input method)
   as their ASCII characters, and the fraction slash (U+2044, a word processor's "07⁄10⁄1973") as
   '/', into buf (n bytes or fewer: each 3-byte form becomes one byte); the new length, or 0 when
   the value holds none (review 105 L: such phones and dates were not read). NFKC does the
   same; dates, phones, postcodes, e-mail addresses and identifiers are read byte by byte. */
static size_t fold_wide(const char *s, size_t n, char *buf)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!memchr(s, 0xEF, n) && !memchr(s, 0xE2, n) && !memchr(s, 0xD9, n) && !memchr(s, 0xDB, n) &&
        !memchr(s, 0xE0, n)) /* most values: no such form, no copy */
        return 0;
    size_t o = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        /* the digits of other scripts (review 132: a Kurdish liaison reply's `١٩٩٩/١٠/١١` was
           no date): Arabic-Indic U+0660-0669, Extended Arabic-Indic (Persian, Urdu)
           U+06F0-06F9, Devanagari U+0966-096F */
        if (i + 1 < n && ((u[i] == 0xD9 && u[i + 1] >= 0xA0 && u[i + 1] <= 0xA9) ||
                          (u[i] == 0xDB && u[i + 1] >= 0xB0 && u[i + 1] <= 0xB9))) {
            buf[o++] = (char)('0' + (u[i + 1] & 0x0F));
            i += 1;
            any = 1;
        } else if (u[i] == 0xE0 && i + 2 < n && u[i + 1] == 0xA5 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xAF) {
            buf[o++] = (char)('0' + (u[i + 2] - 0xA6));
            i += 2;
            any = 1;
        } else if (u[i] == 0xEF && i + 2 < n && ((u[i + 1] == 0xBC && u[i + 2] >= 0x81) ||
                                          (u[i + 1] == 0xBD && u[i + 2] <= 0x9E))) {
            buf[o++] = (char)((u[i + 1] == 0xBC ? 0x21 + (u[i + 2] - 0x81) : 0x60 + (u[i + 2] - 0x80)));
            i += 2;
            any = 1;
        } else if (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x81 && u[i + 2] == 0x84) {
            buf[o++] = '/';
            i += 2;
            any = 1;
        } else {
            buf[o++] = s[i];
        }
    }
    return any ? o : 0;
}

static int two_digit_year(const char *s, size_t n);

static size_t normalise(kind k, const char *s, size_t n, char *out, int *gen)
{
    size_t len;
    *gen = 0;
    char wide[256];
    if (k != K_FIRST && k != K_MIDDLE && k != K_SUR && k != K_FULL && k != K_ADDRESS && k != K_TOWN &&
        k != K_STRING && n <= sizeof wide) {
        size_t w = fold_wide(s, n, wide);
        if (w) {
            s = wide;
            n = w;
        }
    }
    switch (k) {
    case K_FIRST:
    case K_MIDDLE:
    case K_SUR:
        len = conflate_norm_name_gen(s, n, out, NORM_CAP, gen);
        break;
    case K_FULL:
        len = conflate_norm_full_name_gen(s, n, out, NORM_CAP, gen);
        break;
    case K_DATE: {
        int32_t d = conflate_date_parse(s, n);
        if (!d)
            len = 0;
        else if (d % 10000 == 0) /* a year */
            len = (size_t)snprintf(out, NORM_CAP, "%04d", d / 10000);
        else if (conflate_date_window(d)) /* a year around a month: an estimate */
            len = (size_t)snprintf(out, NORM_CAP, "~%04d-%02d", d / 10000, (d / 100) % 100 - 20);
        else if (d % 100 == 0) /* a month */
            len = (size_t)snprintf(out, NORM_CAP, "%04d-%02d", d / 10000, (d / 100) % 100);
        else if (two_digit_year(s, n)) /* its century a guess: date_level_yy (model.c) */
            len = (size_t)snprintf(out, NORM_CAP, "%02d/%02d/%02d", d % 100, (d / 100) % 100,
                                   d / 10000 % 100);
        else
            len = (size_t)snprintf(out, NORM_CAP, "%04d-%02d-%02d", d / 10000, (d / 100) % 100,
                                   d % 100);
        break;
    }
    case K_SEX:
        len = conflate_norm_sex(s, n, out, NORM_CAP);
        break;
    case K_POSTCODE:
        len = conflate_norm_postcode(s, n, out, NORM_CAP);
        break;
    case K_PHONE:
        len = conflate_norm_phone(s, n, out, NORM_CAP);
        break;
    case K_EMAIL:
        len = conflate_norm_email(s, n, out, NORM_CAP);
        break;
    case K_ID:
        len = conflate_norm_id(s, n, out, NORM_CAP);
        break;
    case K_ADDRESS:
        len = conflate_norm_address(s, n, out, NORM_CAP);
        break;
    case K_TOWN:
    case K_STRING:
    default:
        len = conflate_norm_text(s, n, out, NORM_CAP);
        break;
    }
    if (len == CONFLATE_NORM_BADUTF8)
        len = 0;
    out[len] = 0;
    return len;
}

/* Derived data of a new normalised value. */
/* Whether the first word of a given name (w, n bytes, normalised) is one that does not stand
   alone: Abu / Abou / Umm / Oum (a kunya, or a Bangladeshi given name: Abu Taher) and Abd /
   Abdul / Abdel / Abdur / Abdus / Abdal / Abdool ("servant of", before one of God's names). */
static int prefix_given(const char *w, size_t n)
{
    static const char *const pre[] = {"abu", "abou", "umm", "oum", "abd", "abdul", "abdel", "abdur",
                                      "abdus", "abdal", "abdool", "abdoul"};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (strlen(pre[i]) == n && !memcmp(pre[i], w, n))
            return 1;
    return 0;
}

static void derive(kind k, const char *s, size_t n, cval *cv)
{
    memset(cv, 0, sizeof *cv);
    switch (k) {
    case K_FIRST:
    case K_MIDDLE:
    case K_SUR:
    case K_FULL: {
        /* the key of a name: its first word's canonical form; of a surname, the first word of
           the family name proper (conflate_surname_core: "al hamwi" is "hamwi") */
        char gk[128];
        if (k == K_SUR) {
            size_t c0 = conflate_surname_core(s, n);
            s += c0;
            n -= c0;
            size_t g = conflate_surname_gaelic(s, n, gk, sizeof gk);
            if (g) { /* Ni Mhurchu, O Murchu: "omurchu" */
                s = gk;
                n = g;
            }
        }
        size_t t = 0;
        while (t < n && s[t] != ' ')
            t++;
        /* a given name whose first word does not stand alone (Abu Taher, Umm Kulthum, Abdul
           Rahman): the key of its first two words, so Abu Taher and Abu Sayed, or Abdul Rahman
           and Abdul Karim, are two names and not one (review 123) */
        if ((k == K_FIRST || k == K_MIDDLE) && t < n && prefix_given(s, t)) {
            t++;
            while (t < n && s[t] != ' ')
                t++;
        }
        /* a surname's romanisation first (Yi, Rhee: lee), then the table of names as before */
        const char *sc = k == K_SUR ? conflate_surname_canon(s, t) : NULL;
        const char *base = sc ? sc : s;
        size_t bn = sc ? strlen(sc) : t;
        const char *canon = conflate_nickname_canon(base, bn);
        const char *c = canon ? canon : base;
        size_t cn = canon ? strlen(canon) : bn;
        cv->aux = ((uint32_t)conflate_hash(c, cn) & ~NAME_AUX_MULTI) | 1u;
        cv->phon = conflate_soundex(k == K_SUR ? s : c, k == K_SUR ? n : cn);
        cv->init = (unsigned char)c[0];
        for (size_t i = 0; i < 3 && i < n; i++)
            cv->pre = cv->pre << 8 | (unsigned char)s[i];
        cv->pre = cv->pre ? cv->pre : 1;
        if ((k == K_FIRST || k == K_MIDDLE) && conflate_nickname_multi(s, t))
            cv->aux |= NAME_AUX_MULTI;
        break;
    }
    case K_DATE: {
        int32_t d = conflate_date_parse(s, n);
        cv->aux = (uint32_t)d;
        cv->init = (uint32_t)(conflate_date_days(d) + 1000000); /* >= 0 from year 1000 */
        break;
    }
    case K_SEX:
    case K_ADDRESS:
    case K_POSTCODE:
    case K_TOWN:
    case K_PHONE:
    case K_EMAIL:
    case K_ID:
    case K_STRING:
    default:
        cv->phon = conflate_soundex(s, n);
        cv->init = n ? (unsigned char)s[0] : 0;
        /* a UK landline (+44 1, 2 or 3): a home's or an office's, shared by who lives or works
           there, unlike a mobile; its exact agreement is a level of its own */
        if (k == K_PHONE)
            cv->aux = n > 4 && s[0] == '+' && s[1] == '4' && s[2] == '4' &&
                      (s[3] == '1' || s[3] == '2' || s[3] == '3');
        if (k == K_ADDRESS) {
            cv->pre = conflate_house_key(s, n);
            /* the bag signature in place of the codes addresses do not use (compare_values) */
            uint64_t sig = conflate_bag_sig(s, n);
            cv->aux = (uint32_t)sig;
            cv->phon = (uint32_t)(sig >> 32);
        }
        break;
    }
}

typedef struct norm_job {
    feature *f;
    char *out;       /* nraw * NORM_CAP ... too big; we use per-range buffers */
    uint32_t *len;   /* per raw id */
    char **text;     /* per raw id: normalised text (malloc'ed per chunk) */
} norm_job;

typedef struct norm_ctx {
    feature *f;
    char **chunks;   /* per chunk of raw ids: concatenated NUL-terminated texts */
    uint32_t **offs; /* per chunk: offsets */
    size_t chunk;
    uint32_t *mojibake, *mojibake_first; /* per chunk: values repaired, the first's raw id */
    uint32_t *twoyear, *twoyear_first;   /* per chunk: dates of a two-digit year, the first */
    int cro;                             /* a CRO number's role: conflate_norm_cro */
    unsigned char **gens; /* per chunk: per raw id, the generational suffix dropped (names) */
    int account;          /* a bank account's role: conflate_norm_account */
} norm_ctx;

/* Text kinds whose values may come with mojibake (names, addresses, towns, free text). */
static int kind_text(kind k)
{
    return k == K_FIRST || k == K_MIDDLE || k == K_SUR || k == K_FULL || k == K_ADDRESS ||
           k == K_TOWN || k == K_STRING;
}

/* Whether a date's text writes its year in two digits (01/02/25, 1-2-25, 010225, 12 Mar 85):
   no group of four digits or more, and the last group of digits of the date of one or two
   (a time of day after it aside), or the date one group of six digits. */
static int two_digit_year(const char *s, size_t n)
{
    size_t groups = 0, last = 0, big = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '9' &&
            (s[i + 2] == ':' || (s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] == ':')))
            break; /* "12/03/85 00:00": the time of day */
        if (s[i] >= '0' && s[i] <= '9') {
            size_t j = i;
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
            groups++;
            last = j - i;
            big |= last >= 4 && last != 6;
            if (last == 6 && groups == 1 && j == n)
                return 1; /* DDMMYY */
            i = j;
        } else {
            i++;
        }
    }
    return !big && groups >= 2 && last <= 2;
}

/* Normalises raw ids [b, e) chunk by chunk (a range may span several chunks: one thread
 * gets the whole range). */
static void norm_range(void *ctx, int tid, size_t b, size_t e)
{
    norm_ctx *c = ctx;
    (void)tid;
    char buf[NORM_CAP + 1];
    for (size_t cb = b; cb < e; cb += c->chunk) {
        size_t ce = cb + c->chunk < e ? cb + c->chunk : e;
        size_t ci = cb / c->chunk;
        size_t cap = 4096, used = 0;
        char *out = conflate_xmalloc(cap);
        uint32_t *offs = conflate_xmalloc((ce - cb + 1) * sizeof *offs);
        for (size_t id = cb; id < ce; id++) {
            uint32_t rid = (uint32_t)id + 1;
            const char *s = conflate_strtab_str(&c->f->raw, rid);
            size_t sn = c->f->raw.len[rid];
            char fixed[NORM_CAP + 1];
            if (kind_text(c->f->k) && sn < NORM_CAP) {
                size_t fn = conflate_norm_unmojibake(s, sn, fixed, sizeof fixed);
                if (fn) {
                    if (!c->mojibake[ci]++)
                        c->mojibake_first[ci] = rid;
                    s = fixed;
                    sn = fn;
                }
            }
            int g;
            size_t len = c->cro       ? conflate_norm_cro(s, sn, buf, NORM_CAP)
                         : c->account ? conflate_norm_account(s, sn, buf, NORM_CAP)
                                      : normalise(c->f->k, s, sn, buf, &g);
            if (c->cro || c->account)
                g = 0;
            if (c->f->k == K_DATE && len && two_digit_year(s, sn) && !c->twoyear[ci]++)
                c->twoyear_first[ci] = rid;
            if (g) {
                if (!c->gens[ci])
                    c->gens[ci] = conflate_xcalloc(c->chunk, 1);
                c->gens[ci][id - cb] = (unsigned char)g;
            }
            if (used + len + 1 > cap) {
                while (used + len + 1 > cap)
                    cap *= 2;
                out = conflate_xrealloc(out, cap);
            }
            offs[id - cb] = (uint32_t)used;
            memcpy(out + used, buf, len + 1);
            used += len + 1;
        }
        c->chunks[ci] = out;
        c->offs[ci] = offs;
    }
}

/* Normalises each distinct raw value once (in parallel), interns the results, maps records. */
static void normalise_feature(conflate_engine *eng, int fi, int threads)
{
    feature *f = &eng->f[fi];
    size_t nraw = f->raw.n;
    size_t chunk = 4096;
    size_t nchunks = (nraw + chunk - 1) / chunk;
    norm_ctx c = {f, conflate_xcalloc(nchunks + 1, sizeof(char *)),
                  conflate_xcalloc(nchunks + 1, sizeof(uint32_t *)), chunk,
                  conflate_xcalloc(nchunks + 1, sizeof(uint32_t)),
                  conflate_xcalloc(nchunks + 1, sizeof(uint32_t)),
                  conflate_xcalloc(nchunks + 1, sizeof(uint32_t)),
                  conflate_xcalloc(nchunks + 1, sizeof(uint32_t)),
                  0, conflate_xcalloc(nchunks + 1, sizeof(unsigned char *))};
    c.cro = f->k == K_ID && !strcmp(f->role, "cro_number");
    c.account = f->k == K_ID && !strcmp(f->role, "account");
    conflate_par(threads, nraw, chunk, norm_range, &c);
    f->twoyear = 0;
    for (size_t i = 0; i < nchunks; i++) {
        if (c.twoyear[i] && !f->twoyear)
            f->twoyear_first = c.twoyear_first[i];
        f->twoyear += c.twoyear[i];
    }
    free(c.twoyear);
    free(c.twoyear_first);
    f->mojibake = 0;
    for (size_t i = 0; i < nchunks; i++) {
        if (c.mojibake[i] && !f->mojibake)
            f->mojibake_first = c.mojibake_first[i];
        f->mojibake += c.mojibake[i];
    }
    free(c.mojibake);
    free(c.mojibake_first);
    f->raw2norm = conflate_xcalloc(nraw + 1, sizeof *f->raw2norm);
    free(f->raw2gen);
    f->raw2gen = NULL;
    for (size_t i = 0; i < nchunks; i++)
        if (c.gens[i]) {
            if (!f->raw2gen)
                f->raw2gen = conflate_xcalloc(nraw + 1, 1);
            for (size_t id = i * chunk; id < nraw && id < (i + 1) * chunk; id++)
                f->raw2gen[id + 1] = c.gens[i][id - i * chunk];
            free(c.gens[i]);
        }
    free(c.gens);
    for (size_t id = 0; id < nraw; id++) {
        size_t ci = id / chunk;
        const char *s = c.chunks[ci] + c.offs[ci][id - ci * chunk];
        size_t len = strlen(s);
        if (len == 0)
            continue;
        int added;
        uint32_t nid = conflate_strtab_intern(&f->norm, s, len, &added);
        if (added) {
            if (nid >= f->capvals) {
                f->capvals = f->capvals ? f->capvals * 2 : 1024;
                while (f->capvals <= nid)
                    f->capvals *= 2;
                f->vals = conflate_xrealloc(f->vals, f->capvals * sizeof *f->vals);
            }
            derive(f->k, s, len, &f->vals[nid]);
        }
        f->raw2norm[id + 1] = nid;
    }
    for (size_t i = 0; i < nchunks; i++) {
        free(c.chunks[i]);
        free(c.offs[i]);
    }
    free(c.chunks);
    free(c.offs);
    if (!f->vals)
        f->vals = conflate_xcalloc(1, sizeof *f->vals);
    /* a date that could not be read but has the shape of one with a keying slip */
    free(f->slip);
    free(f->raw2slip);
    f->slip = NULL;
    f->raw2slip = NULL;
    f->nslip = 0;
    if (f->k == K_DATE) {
        size_t cap = 0;
        for (size_t id = 1; id <= nraw; id++) {
            conflate_date_slip_t sl;
            if (f->raw2norm[id] || !f->raw.len[id] ||
                !conflate_date_slip(conflate_strtab_str(&f->raw, (uint32_t)id), f->raw.len[id], &sl))
                continue;
            if (!f->raw2slip)
                f->raw2slip = conflate_xcalloc(nraw + 1, sizeof *f->raw2slip);
            if (f->nslip == cap) {
                cap = cap ? cap * 2 : 1024;
                f->slip = conflate_xrealloc(f->slip, cap * sizeof *f->slip);
            }
            f->slip[f->nslip++] = sl;
            f->raw2slip[id] = f->nslip;
        }
    }
}

/* Per chunk of records: values that had text but no usable normalised form (a date that is
 * not a date, a phone of three digits), per feature, and the first such record's raw id. */
typedef struct map_ctx {
    conflate_engine *eng;
    uint64_t (*bad)[CONFLATE_MAX_FEATURES];
    uint32_t (*first)[CONFLATE_MAX_FEATURES]; /* raw id of the first, 0 = none */
} map_ctx;

#define MAP_CHUNK 65536

static void map_range(void *ctx, int tid, size_t b, size_t e)
{
    map_ctx *c = ctx;
    conflate_engine *eng = c->eng;
    (void)tid;
    size_t k = b / MAP_CHUNK;
    for (size_t r = b; r < e; r++)
        for (int f = 0; f < eng->nf; f++) {
            uint32_t *v = &eng->vals[r * (size_t)eng->nf + (size_t)f];
            uint32_t raw = *v;
            *v = eng->f[f].raw2norm[raw];
            if (eng->gen && eng->f[f].raw2gen && raw && !eng->gen[r])
                eng->gen[r] = eng->f[f].raw2gen[raw];
            if (raw && !*v) {
                c->bad[k][f]++;
                if (!c->first[k][f])
                    c->first[k][f] = raw;
                if (f == eng->dslip_f && eng->dslip)
                    eng->dslip[r] = eng->f[f].raw2slip[raw];
            }
        }
}

/* Whether normalised value s of kind k is a placeholder that police extracts put for an
 * unknown (docs/conflate.md, "Placeholders"). Dates are decided in count_range. */
/* A name made only of filler words with at least one that says "unknown" ("Unknown Male",
   "Male Unknown", "Not Recorded", "NK Female", "Unknown Person"): what a system writes for a
   person whose name it does not have. A word of sex or of a person alone ("Male", "Person")
   is no filler: it may be a name. */
static int filler_name(const char *s, size_t n)
{
    /* and what a phone company's subscriber check gives for an unregistered number ("NOT
       REGISTERED", "PAYG CUSTOMER", "UNREGISTERED PREPAY": review 136, such names were read as
       a first name and surname, different from the number's user's) */
    static const char *const core[] = {"unknown", "unk", "nk", "none", "null", "anon",
                                       "anonymous", "unnamed", "refused", "tbc", "tba", "fnu",
                                       "lnu", "x", "xx", "xxx", "zz", "zzz", "unregistered",
                                       "payg", "prepay", "prepaid", "withheld", "unverified"};
    static const char *const extra[] = {"male", "female", "man", "woman", "boy", "girl", "child",
                                        "adult", "person", "juvenile", "baby", "infant", "m", "f",
                                        "u", "customer", "subscriber", "user", "sim", "account",
                                        "holder", "name", "details"};
    static const char *const notw[] = {"known", "recorded", "stated", "given", "provided", "registered",
                                       "supplied", "available", "applicable", "verified"};
    int any_core = 0, prev_not = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i)
            break;
        size_t wn = j - i;
        int ok = 0;
        if (wn == 1 && s[i] == 'n' && j + 2 <= n && s[j] == ' ' && (s[j + 1] == 'k' || s[j + 1] == 'a') &&
            (j + 2 == n || s[j + 2] == ' ')) { /* "N.K.", "N/A" */
            any_core = 1;
            i = j + 2;
            continue;
        }
        for (size_t c = 0; c < sizeof core / sizeof core[0] && !ok; c++)
            ok = strlen(core[c]) == wn && !memcmp(core[c], s + i, wn);
        any_core |= ok;
        if (!ok && wn == 3 && !memcmp(s + i, "not", 3)) {
            ok = 1;
            prev_not = 2;
        } else if (!ok && prev_not) {
            for (size_t c = 0; c < sizeof notw / sizeof notw[0] && !ok; c++)
                ok = strlen(notw[c]) == wn && !memcmp(notw[c], s + i, wn);
            any_core |= ok;
        }
        for (size_t c = 0; c < sizeof extra / sizeof extra[0] && !ok; c++)
            ok = strlen(extra[c]) == wn && !memcmp(extra[c], s + i, wn);
        if (!ok)
            return 0;
        prev_not = prev_not ? prev_not - 1 : 0;
        i = j;
    }
    return any_core;
}

/* An NI number's shape (two letters, six digits, a suffix A-D or none) with a prefix HMRC
   never issues (NIM39110: D F I Q U V as either letter, O second; BG GB KN NK NT TN ZZ): the
   dummies systems write for an unknown number (QQ123456C, TN plus a date of birth, review 91:
   thirty records "holding" QQ123456C were one cluster). */
static int ni_not_issued(const char *s, size_t n)
{
    int tn = n == 9 && s[0] == 'T' && s[1] == 'N' && (s[8] == 'M' || s[8] == 'F'); /* TN ddmmyy M|F */
    if ((n != 8 && n != 9) || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' ||
        (n == 9 && !tn && (s[8] < 'A' || s[8] > 'D')))
        return 0;
    for (size_t i = 2; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    static const char bad[] = "DFIQUV";
    static const char *const pairs[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
    if (strchr(bad, s[0]) || strchr(bad, s[1]) || s[1] == 'O')
        return 1;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!memcmp(pairs[i], s, 2))
            return 1;
    return 0;
}

/* Whether first name s (normalised, n bytes) is a kunya, an Arab parent called after the
   eldest son ("Abu Omar", "Umm Yousef"), or a Bangladeshi given name of that form ("Abu Taher",
   "Abu Sayed"): two words, the first Abu, Abou, Umm or Oum (not "Om": Om Prakash); Abu Bakr is
   a given name. model.c compare_distinct: such a name against one of another form says
   nothing (the parent's own given name is another name of the same person), and against
   another such name it is compared as names are. */
static int is_kunya(const char *s, size_t n)
{
    static const char *const kunya[] = {"abu ", "abou ", "umm ", "oum "};
    for (size_t i = 0; i < sizeof kunya / sizeof kunya[0]; i++) {
        size_t l = strlen(kunya[i]);
        if (n > l + 1 && !memcmp(s, kunya[i], l) && !memchr(s + l, ' ', n - l) &&
            !(n - l >= 4 && !memcmp(s + l, "bak", 3)))
            return 1;
    }
    return 0;
}

/* Whether the words of list entry e, in sorted order as a whole name is normalised
   (conflate_norm_full_name: "joe bloggs" is "bloggs joe"), are s[0..n). */
static int words_sorted_is(const char *e, const char *s, size_t n)
{
    size_t el = strlen(e);
    if (el != n || !memchr(e, ' ', el) || el >= 64)
        return 0;
    const char *w[8];
    size_t wl[8], nw = 0;
    for (size_t i = 0; i < el && nw < 8;) {
        size_t j = i;
        while (j < el && e[j] != ' ')
            j++;
        w[nw] = e + i;
        wl[nw++] = j - i;
        i = j + 1;
    }
    for (size_t a = 1; a < nw; a++) /* insertion sort, byte order */
        for (size_t b = a; b > 0; b--) {
            size_t m = wl[b] < wl[b - 1] ? wl[b] : wl[b - 1];
            int c = memcmp(w[b - 1], w[b], m);
            if (c < 0 || (c == 0 && wl[b - 1] <= wl[b]))
                break;
            const char *t = w[b];
            size_t tl = wl[b];
            w[b] = w[b - 1];
            wl[b] = wl[b - 1];
            w[b - 1] = t;
            wl[b - 1] = tl;
        }
    char buf[64];
    size_t o = 0;
    for (size_t i = 0; i < nw; i++) {
        if (i)
            buf[o++] = ' ';
        memcpy(buf + o, w[i], wl[i]);
        o += wl[i];
    }
    return o == n && !memcmp(buf, s, n);
}

static int is_placeholder(kind k, const char *role, const char *s, size_t n)
{
    /* a sex of none known (norm.c conflate_norm_sex keeps only these beside m and f) */
    if (k == K_SEX)
        return !(n == 1 && (s[0] == 'm' || s[0] == 'f'));
    static const char *const names[] = {
        "unknown", "unk", "nk", "n k", "not known", "person unknown", "unknown person", "n a",
        "none", "null", "x", "xx", "xxx", "zz", "zzz", "tbc", "tba", "refused", "anon",
        "anonymous", "no name", "fnu", "lnu", "unnamed", "not given", "not stated",
        "refused to give", "not disclosed", "withheld", "not provided", "declined",
        "pay as you go", "pay as you go customer",
        /* the names written for no one: a form's examples and the fake names a pay-as-you-go
           SIM is registered under (review 136: 38 "MICKEY MOUSE" numbers of different
           addresses and dates were linked as one person) */
        "john doe", "jane doe", "joe bloggs", "fred bloggs", "joe public", "a n other", "an other",
        "mickey mouse", "minnie mouse", "donald duck", "bugs bunny", "bart simpson",
        "homer simpson", "santa claus", "father christmas", "test test", "test user", "a user",
        "person" /* a first name only: Person is a surname */};
    static const char *const places[] = {"no fixed abode", "nfa", "n f a", "unknown", "not known",
                                         "n k", "nk", "none", "no address", "n a", "x", "xx",
                                         "xxx", "zz", "zzz", "tbc", "refused",
                                         /* what release, custody and outreach records write for
                                            no home (review 124) */
                                         "no fixed address", "of no fixed abode", "no fixed residence",
                                         "no permanent address", "homeless", "street homeless",
                                         "rough sleeper", "rough sleeping", "sleeping rough",
                                         "no address given", "address unknown", "unknown address",
                                         "not given", "not stated",
                                         /* a spreadsheet's ditto (review 134) */
                                         "as above", "same as above", "see above", "ditto", "do",
                                         "as before", "same",
                                         /* what safeguarding records write for an address kept
                                            from the file (a refuge's: review 126) */
                                         "address withheld", "withheld address", "withheld",
                                         "confidential", "address confidential", "not disclosed",
                                         "undisclosed", "refuge", "refuge confidential",
                                         "confidential refuge", "safe house"};
    /* ... and a town after it ("NFA - Leeds", "Homeless Bradford"): no home either */
    static const char *const no_home[] = {"nfa ", "n f a ", "no fixed abode ", "no fixed address ",
                                          "homeless ", "street homeless ", "rough sleeper ",
                                          "refuge ", "confidential ", "withheld ", "address withheld "};
    static const char *const postcodes[] = {"NFA", "NOFIXEDABODE", "NONE", "UNKNOWN", "NK", "NA",
                                            "XX", "XXX", "TBC"};
    /* what a contact list calls someone instead of a name ("Mum", "Babe", "J"): no identity
       (review 95 H2: 94 contacts "Babe" of different handsets were one cluster) */
    static const char *const called[] = {"mum", "mam", "mom", "mummy", "mother", "dad", "daddy",
                                         "father", "bro", "bruv", "brother", "sis", "sister",
                                         "babe", "baby", "bae", "hun", "hubby", "wifey", "nan",
                                         "nana", "nanny", "grandad", "grandma", "uncle", "auntie",
                                         "aunty", "cuz", "cousin", "boss", "work", "home", "me"};
    if (k == K_FULL && n == 1 && s[0] >= 'a' && s[0] <= 'z')
        return 1; /* a letter alone */
    if (k == K_FULL) /* a whole name; in a first name column "Nana" or "Baby" may be one */
        for (size_t i = 0; i < sizeof called / sizeof called[0]; i++)
            if (strlen(called[i]) == n && !memcmp(called[i], s, n))
                return 1;
    /* what a record of a child not yet born or named holds for its first name (a children's
       services or maternity record: "Unborn", "Baby", "Baby of Kelly", "Baby Girl"): no name of
       the child, who is named later (review 105: 3,590 of 3,596 pairs of such a record and the
       child's were missed, the placeholder compared as a name). Twins' "Twin 1" and "Twin 2"
       are not among them: they tell two children apart. */
    static const char *const unnamed[] = {"unborn", "unborn baby", "unborn child", "baby", "baby boy",
                                          "baby girl", "infant", "newborn", "new born", "neonate"};
    if (k == K_FIRST) {
        for (size_t i = 0; i < sizeof unnamed / sizeof unnamed[0]; i++)
            if (strlen(unnamed[i]) == n && !memcmp(unnamed[i], s, n))
                return 1;
        if ((n > 8 && !memcmp(s, "baby of ", 8)) || (n > 10 && !memcmp(s, "unborn of ", 10)) ||
            (n > 16 && !memcmp(s, "unborn child of ", 16)) || (n > 15 && !memcmp(s, "unborn baby of ", 15)))
            return 1;
    }
    switch (k) {
    case K_FIRST:
    case K_MIDDLE:
    case K_SUR:
    case K_FULL:
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if ((strlen(names[i]) == n && !memcmp(names[i], s, n)) || (k == K_FULL && words_sorted_is(names[i], s, n)))
                return k != K_SUR || strcmp(names[i], "person");
        return filler_name(s, n);
    case K_ADDRESS:
    case K_TOWN:
        for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
            if (strlen(places[i]) == n && !memcmp(places[i], s, n))
                return 1;
        /* an address in another's care ("c/o IDVA Service, 1 Civic Centre"): an agency's, no home
           of the person's (review 126: 250 victims' records at one service's address) */
        if (k == K_ADDRESS && ((n > 4 && !memcmp(s, "c o ", 4)) || (n > 8 && !memcmp(s, "care of ", 8))))
            return 1;
        for (size_t i = 0; k == K_ADDRESS && i < sizeof no_home / sizeof no_home[0]; i++) {
            size_t l = strlen(no_home[i]);
            int digit = 0; /* a number: a place of its own ("NFA hostel, 12 York Road") */
            for (size_t j = 0; j < n && !digit; j++)
                digit = s[j] >= '0' && s[j] <= '9';
            if (n > l && !memcmp(no_home[i], s, l) && !digit)
                return 1;
        }
        return 0;
    case K_POSTCODE:
        if (n >= 4 && !memcmp(s, "ZZ99", 4)) /* the NHS pseudo-postcodes of no fixed abode */
            return 1;
        /* no postcode area is AA or XX: the form's example (AA1 1AA) and a filler (XX1 1XX;
           review 48) */
        if (n >= 5 && (!memcmp(s, "AA", 2) || !memcmp(s, "XX", 2)) && s[2] >= '0' && s[2] <= '9')
            return 1;
        for (size_t i = 0; i < sizeof postcodes / sizeof postcodes[0]; i++)
            if (strlen(postcodes[i]) == n && !memcmp(postcodes[i], s, n))
                return 1;
        return 0;
    case K_PHONE:
    case K_ID: {
        /* all one digit or character after a country code, a run such as 1234567890, or
         * the dummy mobile 07000 000000 */
        const char *p = s;
        size_t m = n;
        if (m && *p == '+') {
            p++, m--;
            if (m > 2 && p[0] == '4' && p[1] == '4')
                p += 2, m -= 2;
        }
        if (m == 0)
            return 0;
        int same = 1, up = 1;
        for (size_t i = 1; i < m; i++) {
            same &= p[i] == p[0];
            up &= p[i] == p[i - 1] + 1 || (p[i - 1] == '9' && p[i] == '0');
        }
        /* a telephone number of one digit throughout is a filler when the digit is 0, 1 or 9;
           07777 777777 is a real (vanity) mobile (review 57) */
        if (same && k == K_PHONE && p[0] != '0' && p[0] != '1' && p[0] != '9')
            same = 0;
        if (same || (up && m >= 6))
            return 1;
        if (k == K_PHONE) {
            size_t z = 0;
            for (size_t i = 1; i < m; i++)
                z += p[i] == '0';
            if (z == m - 1) /* 7000000000: 07000 000000 */
                return 1;
        }
        static const char *const ids[] = {"UNKNOWN", "NONE", "NK", "NA", "NIL", "TBC", "TBA", "UNK",
                                          "NULL", "NOTKNOWN", "NOTGIVEN", "REFUSED", "NOVEHICLE", "NOREG"};
        for (size_t i = 0; k == K_ID && i < sizeof ids / sizeof ids[0]; i++)
            if (strlen(ids[i]) == n && !memcmp(ids[i], s, n))
                return 1;
        /* an NI number's dummies, in an NI number's column only (review 93 L2: an account
           GB123456 or a vehicle VU123456 was taken for one) */
        int ni = k == K_ID && role && !strcmp(role, "ni_number");
        return ni && ((n == 9 && !memcmp(s, "AB123456C", 9)) /* HMRC's example */ || ni_not_issued(s, n));
    }
    case K_EMAIL: {
        static const char *const local[] = {"none", "noemail", "unknown", "nomail", "noreply", "no.email",
                                            "no_email", "notknown"};
        /* initials such as nk, na, no are a filler only at a filler's domain (nk@none.com):
           nk@kumarlaw.co.uk is Nita Kumar's (review 57) */
        static const char *const brief[] = {"no", "na", "nk", "x", "xx"};
        static const char *const hosts[] = {"none", "na", "nk", "no", "noemail", "email", "unknown", "nomail",
                                            "example", "test", "x", "xx"};
        const char *at = memchr(s, '@', n);
        if (!at)
            return 0;
        size_t ln = (size_t)(at - s), hn = n - ln - 1;
        const char *h = at + 1, *dot = memchr(h, '.', hn);
        size_t h1 = dot ? (size_t)(dot - h) : hn;
        for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
            if (strlen(local[i]) == ln && !memcmp(local[i], s, ln))
                return 1;
        for (size_t i = 0; i < sizeof brief / sizeof brief[0]; i++)
            if (strlen(brief[i]) == ln && !memcmp(brief[i], s, ln))
                for (size_t j = 0; j < sizeof hosts / sizeof hosts[0]; j++)
                    if (strlen(hosts[j]) == h1 && !memcmp(hosts[j], h, h1))
                        return 1;
        return 0;
    }
    case K_DATE:
    case K_SEX:
    case K_STRING:
    default:
        return 0;
    }
}

int conflate_value_is_placeholder(const char *role, const char *value, size_t n)
{
    if (!role || !value || !conflate_role_known(role))
        return 0;
    kind k = role_kind(role);
    char out[NORM_CAP + 1];
    size_t len = normalise(k, value, n < NORM_CAP ? n : NORM_CAP, out, &(int){0});
    return len > 0 && len != CONFLATE_NORM_BADUTF8 && is_placeholder(k, role, out, len);
}

/* Whether date value v of table t is a year known alone (its normalised text is the year). */
static int year_alone(const conflate_strtab *t, uint32_t v)
{
    const char *s = conflate_strtab_str(t, v);
    return t->len[v] == 4 && s[0] >= '0' && s[0] <= '9' && s[3] >= '0' && s[3] <= '9';
}

/* A share of one column above which a single value is worth a warning (a placeholder the list
 * does not know?); 0: none for this kind (towns and sexes are shared by many). */
static double implausible_share(kind k)
{
    switch (k) {
    case K_FIRST:
    case K_SUR:
    case K_FULL:
        return 0.05;
    case K_MIDDLE:
        return 0.10;
    case K_DATE:
    case K_PHONE:
    case K_EMAIL:
    case K_ID:
        return 0.01;
    case K_POSTCODE:
    case K_ADDRESS:
        return 0.02;
    case K_TOWN:
    case K_SEX:
    case K_STRING:
    default:
        return 0;
    }
}

/* Builds the comparison entries (ventry) of features [b, e). */
static void build_entries(void *ctx, int tid, size_t b, size_t e)
{
    conflate_engine *eng = ctx;
    (void)tid;
    for (size_t fi = b; fi < e; fi++) {
        feature *f = &eng->f[fi];
        switch (f->k) {
        case K_ADDRESS:
        case K_EMAIL:
        case K_FULL:
        case K_STRING:
            f->ent_stride = 64;
            break;
        case K_FIRST:
        case K_MIDDLE:
        case K_SUR:
        case K_DATE:
        case K_SEX:
        case K_POSTCODE:
        case K_TOWN:
        case K_PHONE:
        case K_ID:
        default:
            f->ent_stride = 32;
            break;
        }
        size_t n = (size_t)f->norm.n + 1, st = f->ent_stride;
        f->ent = aligned_alloc(64, (n * st + 63) / 64 * 64);
        if (!f->ent)
            f->ent = conflate_xmalloc(n * st); /* (aborts when memory is out) */
        memset(f->ent, 0, st); /* id 0: null */
        for (uint32_t v = 1; v < n; v++) {
            ventry *en = (ventry *)(void *)(f->ent + (size_t)v * st);
            uint32_t len = f->norm.len[v];
            en->aux = f->vals[v].aux;
            en->phon = f->vals[v].phon;
            en->len = len > 65535 ? 65535 : (uint16_t)len;
            if (len < st - VENTRY_HEAD)
                memcpy(en->s, conflate_strtab_str(&f->norm, v), len + 1);
        }
    }
}

/* Features [b, e): every step of normalising that stays within one feature. */
static void normalise_range(void *ctx, int tid, size_t b, size_t e)
{
    conflate_engine *eng = ctx;
    (void)tid;
    for (size_t f = b; f < e; f++)
        normalise_feature(eng, (int)f, 1);
}

/* Features [b, e): value counts, term-frequency weights; the raw table is freed. */
/* Marks the placeholders among the values of feature f (ph[v] = 1); returns how many. Dates
 * 1900-01-01 and 1901-01-01 (and 1800-01-01) are placeholders unless the column is a
 * historical one (over 5% of its other dates before 1901), where they are only when they
 * stand out: more records than any other date, and at least 3. */
static size_t find_placeholders(const feature *f, unsigned char *ph)
{
    size_t nph = 0;
    uint64_t old = 0, maxother = 0;
    if (f->k == K_DATE)
        for (uint32_t v = 1; v <= f->norm.n; v++) {
            uint32_t d = f->vals[v].aux;
            if (d == 19000101 || d == 19010101 || d == 18000101 ||
                ((d / 10000 < 1800 || d / 10000 > 2099) && f->vals[v].count >= 3))
                continue;
            if (d / 10000 < 1901)
                old += f->vals[v].count;
            if (f->vals[v].count > maxother)
                maxother = f->vals[v].count;
        }
    int historical = f->k == K_DATE && f->nonnull && (double)old > 0.05 * (double)f->nonnull;
    for (uint32_t v = 1; v <= f->norm.n; v++) {
        int p;
        if (f->k == K_DATE) {
            uint32_t d = f->vals[v].aux;
            p = d == 19000101 || d == 19010101 || d == 18000101;
            if (p && historical)
                p = f->vals[v].count > maxother && f->vals[v].count >= 3;
            /* a year no record of a person has, given again and again: a filler (11/11/1111,
               31/12/9999; review 48); once or twice it may be a typing error of a real date */
            if (d && (d / 10000 < 1800 || d / 10000 > 2099) && f->vals[v].count >= 3)
                p = 1;
        } else {
            p = is_placeholder(f->k, f->role, conflate_strtab_str(&f->norm, v), f->norm.len[v]);
        }
        ph[v] = (unsigned char)p;
        nph += (size_t)p;
    }
    return nph;
}

/*
 * Dates of birth estimated to a year: systems that know a year only (an age given at a stop,
 * an arrival without papers) write 1 January of it. In a column where 1 January holds at
 * least 20 records and over ten times its share of the calendar (1/365 of the full dates),
 * every 1 January is read as a year alone (compared at that precision: partial dates, above);
 * read as a whole date, the right year in such a record counted as a date "within a year" or
 * different from the real one (about -6 bits at the same home). Returns the records so read.
 */
static int jan1_estimates(uint64_t jan1, uint64_t full)
{
    return jan1 >= 20 && (double)jan1 * 365.0 > 10.0 * (double)full;
}

static uint64_t estimate_jan1(const conflate_engine *eng, feature *f, int fi)
{
    if (f->k != K_DATE)
        return 0;
    uint64_t full = 0, jan1 = 0;
    for (uint32_t v = 1; v <= f->norm.n; v++) {
        int32_t d = (int32_t)f->vals[v].aux;
        if (!d || conflate_date_partial(d))
            continue;
        full += f->vals[v].count;
        if (d % 10000 == 101)
            jan1 += f->vals[v].count;
    }
    /* or one source's so (review 136: a Home Office's estimated dates were 40 times the
       calendar's share of its own dates, 9.4 times that of all the inputs' together) */
    int any = jan1_estimates(jan1, full);
    if (!any && jan1 >= 20 && eng->nsources > 1 && eng->nsources <= 4096) {
        uint64_t *c = conflate_xcalloc(2 * eng->nsources, sizeof *c);
        for (uint32_t r = 0; r < eng->n; r++) {
            uint32_t v = rec_val(eng, r, fi);
            int32_t d = v ? (int32_t)f->vals[v].aux : 0;
            if (!d || conflate_date_partial(d) || eng->src[r] >= eng->nsources)
                continue;
            c[2 * eng->src[r]]++;
            c[2 * eng->src[r] + 1] += d % 10000 == 101;
        }
        for (size_t s = 0; s < eng->nsources && !any; s++)
            any = jan1_estimates(c[2 * s + 1], c[2 * s]);
        free(c);
    }
    if (!any)
        return 0;
    for (uint32_t v = 1; v <= f->norm.n; v++) {
        int32_t d = (int32_t)f->vals[v].aux;
        if (d && d % 10000 == 101)
            f->vals[v].aux = (uint32_t)(d / 10000 * 10000);
    }
    return jan1;
}

/*
 * Term frequencies of the identity's fields count people, not records. A value's frequency
 * says how many other people a pair agreeing on it might be; one prolific nominal's records (a
 * custody index holds hundreds for one offender, each at another address) made his date of
 * birth the commonest in a file of 40,000 records and his name common, so two of his own
 * records agreeing on both weighed 5 to 7 bits less than a stranger's would (review 105,
 * "skew"), and his records ended in 77 clusters. So for the first name, middle name, surname
 * and date of birth, records of one identity (the same sound codes of first name and surname, a
 * first name's of its canonical form, and the same whole date of birth) count once: the frequencies (and the column's rate of exact
 * agreement between strangers, u) are over identities. A record without a whole date of birth
 * counts alone: namesakes are many, namesakes born the same day few.
 */
typedef struct ident_slot {
    uint32_t k[3];
    uint32_t used;
} ident_slot;

static uint64_t ident_hash(const uint32_t k[3])
{
    uint64_t h = ((uint64_t)k[0] << 32 | k[1]) * 0x9E3779B97F4A7C15ull;
    h ^= (h >> 29) + (uint64_t)k[2] * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

static int ident_field(kind k) { return k == K_FIRST || k == K_MIDDLE || k == K_SUR || k == K_DATE; }

static void identity_frequencies(conflate_engine *eng)
{
    int fF = feature_of_kind(eng, K_FIRST), fS = feature_of_kind(eng, K_SUR),
        fD = feature_of_kind(eng, K_DATE);
    if (fD < 0 || (fF < 0 && fS < 0) || eng->n < 3)
        return;
    size_t cap = 1024;
    while (cap < eng->n * 2)
        cap <<= 1;
    ident_slot *set = conflate_xcalloc(cap, sizeof *set);
    uint32_t *cnt[CONFLATE_MAX_FEATURES] = {NULL};
    double nn[CONFLATE_MAX_FEATURES] = {0};
    size_t dup = 0;
    for (int f = 0; f < eng->nf; f++)
        if (ident_field(eng->f[f].k) && eng->f[f].tf)
            cnt[f] = conflate_xcalloc((size_t)eng->f[f].norm.n + 1, sizeof *cnt[f]);
    for (size_t r = 0; r < eng->n; r++) {
        uint32_t d = rec_val(eng, (uint32_t)r, fD);
        uint32_t vf = fF >= 0 ? rec_val(eng, (uint32_t)r, fF) : 0,
                 vs = fS >= 0 ? rec_val(eng, (uint32_t)r, fS) : 0;
        /* the names' sound codes (a first name's of its canonical form): Dan and Daniel, a
           typo that keeps the sound, are one identity */
        uint32_t k[3] = {vf ? eng->f[fF].vals[vf].phon | 1u : 0, vs ? eng->f[fS].vals[vs].phon | 1u : 0, d};
        if (d && !conflate_date_partial((int32_t)eng->f[fD].vals[d].aux) && (k[0] || k[1])) {
            size_t i = ident_hash(k) & (cap - 1);
            int seen = 0;
            for (;; i = (i + 1) & (cap - 1)) {
                if (!set[i].used) {
                    memcpy(set[i].k, k, sizeof k);
                    set[i].used = 1;
                    break;
                }
                if (!memcmp(set[i].k, k, sizeof k)) {
                    seen = 1;
                    break;
                }
            }
            if (seen) {
                dup++;
                continue;
            }
        }
        for (int f = 0; f < eng->nf; f++) {
            uint32_t v = cnt[f] ? rec_val(eng, (uint32_t)r, f) : 0;
            if (v) {
                cnt[f][v]++;
                nn[f]++;
            }
        }
    }
    free(set);
    for (int f = 0; f < eng->nf; f++) {
        if (!cnt[f])
            continue;
        feature *ft = &eng->f[f];
        if (dup) {
            double s = 0, n = nn[f];
            for (uint32_t v = 1; v <= ft->norm.n && n > 1; v++)
                s += (double)cnt[f][v] * ((double)cnt[f][v] - 1) / (n * (n - 1));
            ft->sum_p2 = s;
            memset(ft->tfw, 0, ((size_t)ft->norm.n + 1) * sizeof *ft->tfw);
            if (n > 2 && s > 0)
                for (uint32_t v = 1; v <= ft->norm.n; v++) /* held by one identity: as rare as can be */
                    if (ft->vals[v].count >= 2)
                        ft->tfw[v] = conflate_tf_weight(s, cnt[f][v] < 2 ? 2.0 : (double)cnt[f][v], n);
        }
        free(cnt[f]);
    }
}

static void count_range(void *ctx, int tid, size_t b, size_t e)
{
    conflate_engine *eng = ctx;
    (void)tid;
    for (size_t fi = b; fi < e; fi++) {
        feature *f = &eng->f[fi];
        for (size_t r = 0; r < eng->n; r++) {
            uint32_t v = rec_val(eng, (uint32_t)r, (int)fi);
            if (v) {
                f->vals[v].count++;
                f->nonnull++;
            }
        }
        /* placeholders are missing values: their records lose the value */
        unsigned char *ph = conflate_xcalloc((size_t)f->norm.n + 1, 1);
        if (find_placeholders(f, ph)) {
            for (size_t r = 0; r < eng->n; r++) {
                uint32_t *v = &eng->vals[r * (size_t)eng->nf + fi];
                if (*v && ph[*v]) {
                    if (!f->ph_count || f->vals[*v].count > f->vals[f->ph_top].count)
                        f->ph_top = *v;
                    f->ph_count++;
                    *v = 0;
                }
            }
            for (size_t i = 0; i < eng->oth_len; i++) /* (this feature's entries only) */
                if (eng->oth[i].f == fi && eng->oth[i].v && ph[eng->oth[i].v])
                    eng->oth[i].v = 0;
            for (uint32_t v = 1; v <= f->norm.n; v++)
                if (ph[v]) {
                    f->ph_top_count = v == f->ph_top ? f->vals[v].count : f->ph_top_count;
                    f->nonnull -= f->vals[v].count;
                    f->vals[v].count = 0;
                }
        }
        free(ph);
        f->estimated = estimate_jan1(eng, f, (int)fi);
        /* a value over an implausible share of the column: reported. A year known alone is
           one of the few years a column of such values spans (review 91: '2003' in 5.6% of a
           referral system's estimated years of birth, all of people aged 16-25, was warned of
           as a placeholder): over three times the mean share of those years, and 1% at least */
        double share = implausible_share(f->k), year_share = share;
        if (f->k == K_DATE && share > 0) {
            /* the years the column's values (whole dates too) fall in */
            static const size_t span = 3000;
            unsigned char *seen = conflate_xcalloc(span, 1);
            size_t years = 0;
            for (uint32_t v = 1; v <= f->norm.n; v++) {
                const char *t = conflate_strtab_str(&f->norm, v);
                if (!f->vals[v].count || f->norm.len[v] < 4)
                    continue;
                size_t y = 0;
                for (int k = 0; k < 4 && y < span; k++)
                    y = t[k] >= '0' && t[k] <= '9' ? y * 10 + (size_t)(t[k] - '0') : span;
                if (y < span && !seen[y]) { /* once: a byte counter wrapped at 256 (review 93 L1) */
                    seen[y] = 1;
                    years++;
                }
            }
            free(seen);
            if (years && 3.0 / (double)years > year_share)
                year_share = 3.0 / (double)years;
        }
        for (uint32_t v = 1; share > 0 && v <= f->norm.n; v++) {
            double limit = f->k == K_DATE && year_alone(&f->norm, v) ? year_share : share;
            if (f->vals[v].count >= 10 && (double)f->vals[v].count > limit * (double)f->nonnull &&
                (!f->over_top || f->vals[v].count > f->vals[f->over_top].count))
                f->over_top = v;
        }
        if (f->mojibake_first && f->mojibake_first <= f->raw.n) {
            size_t l = f->raw.len[f->mojibake_first];
            snprintf(f->mojibake_example, sizeof f->mojibake_example, "%.*s",
                     (int)(l < 40 ? l : 40), conflate_strtab_str(&f->raw, f->mojibake_first));
        }
        if (f->twoyear_first && f->twoyear_first <= f->raw.n) {
            size_t l = f->raw.len[f->twoyear_first];
            snprintf(f->twoyear_example, sizeof f->twoyear_example, "%.*s",
                     (int)(l < 40 ? l : 40), conflate_strtab_str(&f->raw, f->twoyear_first));
        }
        if (f->unusable_first && f->unusable_first <= f->raw.n) {
            size_t l = f->raw.len[f->unusable_first];
            snprintf(f->unusable_example, sizeof f->unusable_example, "%.*s",
                     (int)(l < 40 ? l : 40), conflate_strtab_str(&f->raw, f->unusable_first));
        }
        /* Two distinct records agree on their value with probability sum c(c-1) / N(N-1);
         * given that one holds v, another does with (c_v - 1) / (N - 1). Counting a record
         * with itself (sum p^2) made both look commoner in small files: in 20 records any
         * value was at least 5% of the column. */
        double s = 0, sh = 0, nn = (double)f->nonnull;
        for (uint32_t v = 1; v <= f->norm.n && nn > 1; v++) {
            double c = (double)f->vals[v].count;
            if (f->k == K_PHONE && f->vals[v].aux)
                sh += c * (c - 1) / (nn * (nn - 1)); /* landlines: a level of their own */
            else
                s += c * (c - 1) / (nn * (nn - 1));
        }
        f->sum_p2 = s;
        f->sum_p2_shared = sh;
        f->tfw = conflate_xcalloc((size_t)f->norm.n + 1, sizeof *f->tfw);
        if (f->tf && nn > 2 && s > 0)
            for (uint32_t v = 1; v <= f->norm.n; v++)
                if (f->vals[v].count >= 2)
                    f->tfw[v] = conflate_tf_weight(s, (double)f->vals[v].count, nn);
        conflate_strtab_free(&f->raw); /* raw text is not needed after mapping */
        free(f->raw2norm);
        f->raw2norm = NULL;
        free(f->raw2gen);
        f->raw2gen = NULL;
        free(f->raw2slip);
        f->raw2slip = NULL;
    }
}

/* "column 'X'", or "columns 'X', 'Y'" where the inputs map the feature from columns of other
   names (a warning named the first input's column only: review 132, the values were another
   input's `Date of Birth`), into buf. */
static void columns_of(const conflate_engine *eng, int fi, char *buf, size_t cap)
{
    size_t o = 0, k = 0;
    const char *seen[8];
    for (size_t i = 0; i <= eng->ninputs && o + 1 < cap; i++) {
        const char *c = i < eng->ninputs ? eng->in_cols[i][fi] : NULL;
        if (i == eng->ninputs || !c || !*c) {
            if (i < eng->ninputs)
                continue;
            if (!k) /* no input's own: the feature's */
                c = eng->f[fi].column;
            else
                break;
        }
        size_t j = 0;
        while (j < k && strcmp(seen[j], c))
            j++;
        if (j < k)
            continue;
        if (k == 8)
            break;
        seen[k++] = c;
    }
    for (size_t j = 0; j < k && o + 1 < cap; j++) {
        int w = snprintf(buf + o, cap - o, "%s'%.80s'", j ? ", " : k > 1 ? "columns " : "column ", seen[j]);
        o += w > 0 ? (size_t)w : 0;
    }
    if (!k)
        snprintf(buf, cap, "column '%s'", eng->f[fi].column);
}

/* What reading found in each column, as warnings: never a silent missing value. */
static void report_columns(const conflate_engine *eng)
{
    static const char *const what[] = {
        [K_FIRST] = "names", [K_MIDDLE] = "names", [K_SUR] = "names", [K_FULL] = "names",
        [K_DATE] = "dates (years 1000-2199, day first)", [K_SEX] = "sexes",
        [K_ADDRESS] = "addresses", [K_POSTCODE] = "postcodes", [K_TOWN] = "towns",
        [K_PHONE] = "phone numbers (6 digits or more)", [K_EMAIL] = "e-mail addresses",
        [K_ID] = "identifiers", [K_STRING] = "values"};
    for (int fi = 0; fi < eng->nf; fi++) {
        const feature *f = &eng->f[fi];
        uint64_t all = f->nonnull + f->ph_count + f->unusable;
        char cols[300];
        columns_of(eng, fi, cols, sizeof cols);
        if (f->nonnull == 0 && !f->split && !f->from_notes) /* (a full name split into names
                                                                is not empty) */
            conflate_msg(eng, CONFLATE_MSG_WARNING,
                         "%s (%s) has no usable value in any record: it says nothing "
                         "and is left out of the model",
                         cols, f->role);
        /* a name field also holds the names split from whole names (another input's column):
           said, so that the analyst looks in both (review 128: a contact list's emoji were
           laid at the nominal index's `Forename`) */
        char also[200] = "";
        int FU = feature_of_kind(eng, K_FULL);
        if ((f->k == K_FIRST || f->k == K_SUR || f->k == K_MIDDLE) && FU >= 0 && eng->f[FU].split)
            snprintf(also, sizeof also, ", with the names split from whole names ('%.150s')",
                     eng->f[FU].column);
        if (f->unusable)
            conflate_msg(eng, CONFLATE_MSG_WARNING,
                         "%s (%s%s): %llu of %llu values are not %s (e.g. '%s'): taken as "
                         "missing",
                         cols, f->role, also, (unsigned long long)f->unusable,
                         (unsigned long long)all, what[f->k], f->unusable_example);
        if (f->mojibake)
            conflate_msg(eng, CONFLATE_MSG_WARNING,
                         "%s (%s): %llu distinct values are UTF-8 text once misread as "
                         "Windows-1252 (mojibake, e.g. '%s'): compared as repaired; export the "
                         "input as UTF-8 once",
                         cols, f->role, (unsigned long long)f->mojibake, f->mojibake_example);
        if (f->twoyear) /* review 119: care home residents born in 1925 were read 2025 */
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s (%s): %llu distinct dates written with a two-digit year "
                         "(e.g. '%s'), read as the latest such year not in the future and "
                         "compared by day, month and the year's last two digits (a century may "
                         "be wrong); write years in full (docs/conflate.md, \"Dates\")",
                         cols, f->role, (unsigned long long)f->twoyear, f->twoyear_example);
        if (f->estimated)
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s (%s): %llu records give 1 January, over ten times its share "
                         "of the calendar: dates estimated to a year (an age, no papers), "
                         "compared as the year alone (docs/conflate.md, \"Dates\")",
                         cols, f->role, (unsigned long long)f->estimated);
        if (f->ph_count)
            conflate_msg(eng, CONFLATE_MSG_WARNING,
                         "%s (%s): %llu record%s a placeholder for an unknown "
                         "(commonest '%s', %llu record%s): taken as missing",
                         cols, f->role, (unsigned long long)f->ph_count,
                         f->ph_count == 1 ? " holds" : "s hold", conflate_strtab_str(&f->norm, f->ph_top),
                         (unsigned long long)f->ph_top_count, f->ph_top_count == 1 ? "" : "s");
        /* a name many records share is a community's or a family's (Begum, Kaur, Wojcik in one
           town's extract), not a placeholder: a note, not a warning (review 52) */
        int name = f->k == K_FIRST || f->k == K_MIDDLE || f->k == K_SUR || f->k == K_FULL;
        if (f->over_top && name)
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s (%s): '%s' is in %llu of %llu records (%.1f%%): a common name "
                         "in these inputs, compared as it is",
                         cols, f->role, conflate_strtab_str(&f->norm, f->over_top),
                         (unsigned long long)f->vals[f->over_top].count,
                         (unsigned long long)f->nonnull,
                         100.0 * (double)f->vals[f->over_top].count / (double)f->nonnull);
        /* a 1 January read as a year alone (f->estimated, the note above) is no placeholder
           and is not compared as it is (review 95: the note, then this warning of the same
           dates) */
        /* a postcode district alone (`WF3`: a column of outward codes, as health data gives
           them) is many people's: a note (review 128: it was warned of as a placeholder) */
        else if (f->over_top && f->k == K_POSTCODE && f->norm.len[f->over_top] <= 4 &&
                 !memchr(conflate_strtab_str(&f->norm, f->over_top), ' ', f->norm.len[f->over_top]))
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s (%s): the district '%s' is in %llu of %llu records (%.1f%%): "
                         "an outward code alone, which many people share, compared as a district",
                         cols, f->role, conflate_strtab_str(&f->norm, f->over_top),
                         (unsigned long long)f->vals[f->over_top].count,
                         (unsigned long long)f->nonnull,
                         100.0 * (double)f->vals[f->over_top].count / (double)f->nonnull);
        else if (f->over_top && !(f->k == K_DATE && f->estimated && f->vals[f->over_top].aux % 10000 == 0))
            conflate_msg(eng, CONFLATE_MSG_WARNING,
                         "%s (%s): '%s' is in %llu of %llu records (%.1f%%), more than "
                         "one person's value should be: a placeholder, or one person with many "
                         "records? It is compared as it is",
                         cols, f->role, conflate_strtab_str(&f->norm, f->over_top),
                         (unsigned long long)f->vals[f->over_top].count,
                         (unsigned long long)f->nonnull,
                         100.0 * (double)f->vals[f->over_top].count / (double)f->nonnull);
    }
}

/*
 * A name given whole (full_name) where other inputs give first name and surname: split into
 * those, so that records of both kinds compare by name (a full name beside first names and
 * surnames was never compared with them, and two records whose only names were in different
 * columns looked like strangers who share a date of birth, "names missing"). The forms, in
 * order: "SURNAME, Forenames" (a comma); initials and one other word ("J.L. GREEN", "GREEN J",
 * "J SMITH"), that word the surname (with its particles) and the initials the first and middle
 * names, wherever they stand; one word in capitals among others, the surname
 * ("SMITH John", "John SMITH", as police systems write it); else the last word, with the
 * particles before it (van, de, al, bin...), is the surname and the first word the first
 * name. Titles (Mr, Mrs, Dr...) are dropped; words between are the middle name when a
 * middle_name field is compared. A record with a first name or surname of its own keeps
 * them and its full name is not compared (it would count the same names twice); a full name
 * of one word stays a full name.
 */
static int word_is(const char *w, size_t n, const char *list)
{
    char low[16];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    while (n > 0 && low[n - 1] == '.')
        n--;
    low[n] = 0;
    return n > 0 && word_in(low, list);
}

static int all_caps(const char *w, size_t n)
{
    return conflate_caps_word(w, n); /* review 76 M1: "LÊ" was no word in capitals */
}

typedef struct span {
    const char *p;
    size_t n;
} span;

/* The words of s[0..n): the first cap of them into w; returns how many there are (more than
   cap: a name of that many words is kept whole by its callers, not judged by its first cap
   words: review 76 L2). */
/* The bytes of the space at s[i] (n bytes in all): an ASCII space or tab, or a Unicode space
   in UTF-8 (no-break U+00A0, U+2000-U+200A, narrow no-break U+202F, U+205F, ideographic
   U+3000); 0 when s[i] is no space. A web form's or a word processor's no-break space between
   two names is a space between them (review 105 M: "Emma<NBSP>Adams" was one word, kept
   whole, and the record had neither a first name nor a surname). */
static size_t space_at(const char *s, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = n - i;
    if (u[0] == ' ' || u[0] == '\t')
        return 1;
    if (u[0] == 0xC2 && left >= 2 && u[1] == 0xA0)
        return 2;
    if (u[0] == 0xE2 && left >= 3 &&
        ((u[1] == 0x80 && (u[2] <= 0x8A || u[2] == 0xAF)) || (u[1] == 0x81 && u[2] == 0x9F)))
        return 3;
    if (u[0] == 0xE3 && left >= 3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

static size_t words_of(const char *s, size_t n, span *w, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t sp;
        while (i < n && (sp = space_at(s, i, n)) > 0)
            i += sp;
        size_t j = i;
        while (j < n && space_at(s, j, n) == 0)
            j++;
        if (j > i) {
            if (k < cap)
                w[k] = (span){s + i, j - i};
            k++;
        }
        i = j;
    }
    return k;
}

static uint32_t intern_words(conflate_strtab *t, const span *w, size_t a, size_t b)
{
    char buf[512];
    size_t o = 0;
    for (size_t i = a; i < b && o + w[i].n + 1 < sizeof buf; i++) {
        if (o)
            buf[o++] = ' ';
        memcpy(buf + o, w[i].p, w[i].n);
        o += w[i].n;
    }
    return o ? conflate_strtab_intern(t, buf, o, NULL) : 0;
}

/* The first word of s[0..n) folded into buf: ASCII letters in lower case; a word with other
   characters case-folded with its accents stripped as conflate_norm_text does ("VĂN" and
   "Văn" are "van", as the ASCII "Van" is: review 76 M1, a whole name in capitals with its
   accents was read against counts it never matched). Its length (0: none, or not UTF-8). */
static size_t lower_word(const char *s, size_t n, char *buf, size_t cap)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t e = i;
    int ascii = 1;
    for (; e < n && s[e] != ' ' && s[e] != '\t'; e++)
        ascii &= (unsigned char)s[e] < 0x80;
    if (!ascii) {
        size_t k = cap ? conflate_norm_text(s + i, e - i, buf, cap) : 0;
        return k == CONFLATE_NORM_BADUTF8 ? 0 : k;
    }
    size_t k = 0;
    for (; i < e && k < cap; i++)
        buf[k++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    return k;
}

/*
 * Inputs that write a whole name surname first without marking it (custody and PNC extracts
 * in capitals throughout: "NOWAK PAUL MARK"): per input, the names the default rule (the last
 * word the surname) would split are checked against the first names and surnames the other
 * records hold in their own columns. An input whose first words are surnames others hold (and
 * not their first names) at least 10 times and more than three times as often as first names
 * others hold is read surname first. out[i] = 1 for such an input.
 */
/* The first names (firsts) and surnames (surs) the records hold in their own columns, each
   word lower-cased (lower_word). */
/* The first names or the surnames records hold in their own columns, each with how many hold
   it: the table first, so that a pointer to it is one to the names (name_side reads the counts
   of the tables known_names filled). */
typedef struct name_tab {
    conflate_strtab t;
    uint32_t *count; /* per id */
    size_t cap;
} name_tab;

static void name_tab_add(name_tab *nt, const char *s, size_t n)
{
    uint32_t id = conflate_strtab_intern(&nt->t, s, n, NULL);
    if (id >= nt->cap) {
        size_t cap = nt->cap ? nt->cap * 2 : 1024;
        while (cap <= id)
            cap *= 2;
        nt->count = conflate_xrealloc(nt->count, cap * sizeof *nt->count);
        memset(nt->count + nt->cap, 0, (cap - nt->cap) * sizeof *nt->count);
        nt->cap = cap;
    }
    nt->count[id]++;
}

static uint32_t name_tab_count(const conflate_strtab *t, const char *s, size_t n)
{
    const name_tab *nt = (const name_tab *)(const void *)t;
    uint32_t id = conflate_strtab_find(t, s, n);
    return id && id < nt->cap ? nt->count[id] : 0;
}

static void known_names(const conflate_engine *eng, int F, int S, conflate_strtab *firsts, conflate_strtab *surs)
{
    size_t nf = (size_t)eng->nf;
    char buf[64];
    for (size_t r = 0; r < eng->n; r++) {
        const uint32_t *v = &eng->vals[r * nf];
        if (v[F]) {
            size_t k = lower_word(conflate_strtab_str(&eng->f[F].raw, v[F]), eng->f[F].raw.len[v[F]],
                                  buf, sizeof buf);
            if (k)
                name_tab_add((name_tab *)(void *)firsts, buf, k);
        }
        if (v[S]) {
            size_t k = lower_word(conflate_strtab_str(&eng->f[S].raw, v[S]), eng->f[S].raw.len[v[S]],
                                  buf, sizeof buf);
            if (k)
                name_tab_add((name_tab *)(void *)surs, buf, k);
        }
    }
}

/* Whether word (p, n) is, among the names others hold in their own columns (the name_tabs of
   known_names), a surname (1) or a first name (-1): held as one and never as the other, or as
   one at least NAME_SIDE_RATIO times as often as the other (review 124: Vietnamese given names
   that a fifth of a custody file's records held as surnames, the order swapped, were kept whole
   and compared with nothing); 0 for neither, or both alike. */
#define NAME_SIDE_RATIO 4
static int name_side(const conflate_strtab *firsts, const conflate_strtab *surs, const char *p, size_t n)
{
    char buf[64];
    size_t k = lower_word(p, n, buf, sizeof buf);
    if (!k)
        return 0;
    uint32_t cs = name_tab_count(surs, buf, k), cf = name_tab_count(firsts, buf, k);
    if (cs == cf)
        return 0;
    if (!cs || !cf)
        return cs ? 1 : -1;
    return cs >= NAME_SIDE_RATIO * cf ? 1 : cf >= NAME_SIDE_RATIO * cs ? -1 : 0;
}

/* Whether the whole name w[first..nw) (three words or more) is written family name first
   because its first word is a family name's particle: one of lead (never a given name), its
   last word no surname the other inputs hold (names: whether they hold any; caps: the name is
   in capitals throughout, as custody systems write a name family name first; otherwise the
   last word must be a first name they hold), or one of lead_given (Ben, Al, Van: given names
   too), its last word a first name they hold. The particles (particles) and the word after
   them must leave a given name. */
static int lead_turned(const span *w, size_t first, size_t nw, const conflate_strtab *firsts,
                       const conflate_strtab *surs, int names, int caps, const char *particles,
                       const char *lead, const char *lead_given)
{
    int strict = word_is(w[first].p, w[first].n, lead_given);
    if (!strict && !word_is(w[first].p, w[first].n, lead))
        return 0;
    size_t j = first;
    while (j < nw - 1 && word_is(w[j].p, w[j].n, particles))
        j++;
    if (j + 1 >= nw) /* nothing left for a given name */
        return 0;
    int side = names ? name_side(firsts, surs, w[nw - 1].p, w[nw - 1].n) : 0;
    return side < 0 || (!strict && caps && side == 0);
}

/* Whether the words w[first..nw) of a whole name not in capitals are written family name
   first: the first word a surname the other inputs hold at least FAMILY_FIRST_MIN times and
   NAME_SIDE_RATIO times as often as a first name, no other word held more often as a
   surname than as a first name. */
#define FAMILY_FIRST_MIN 3
static int family_first(const conflate_strtab *firsts, const conflate_strtab *surs, const span *w,
                        size_t first, size_t nw)
{
    char buf[64];
    size_t k = lower_word(w[first].p, w[first].n, buf, sizeof buf);
    if (!k || nw - first < 2)
        return 0;
    uint32_t cs = name_tab_count(surs, buf, k), cf = name_tab_count(firsts, buf, k);
    if (cs < FAMILY_FIRST_MIN || cs < NAME_SIDE_RATIO * cf)
        return 0;
    for (size_t i = first + 1; i < nw; i++) {
        k = lower_word(w[i].p, w[i].n, buf, sizeof buf);
        if (k && name_tab_count(surs, buf, k) > name_tab_count(firsts, buf, k))
            return 0;
    }
    return 1;
}

/* The titles before a name (lower case, space-separated). */
#define NAME_TITLES "mr mrs ms miss mx mstr master dr rev revd sir dame lady lord prof"

static void surname_first_inputs(conflate_engine *eng, int FU, const conflate_strtab *firsts,
                                 const conflate_strtab *surs, int F, int S, unsigned char *out)
{
    /* per source (eng->src: a source column's values, or the inputs' names), as out is */
    size_t nf = (size_t)eng->nf, ns = eng->nsources;
    char buf[64];
    size_t *sf = conflate_xcalloc(ns ? ns : 1, sizeof *sf), *gf = conflate_xcalloc(ns ? ns : 1, sizeof *gf);
    for (size_t r = 0; r < eng->n; r++) {
        const uint32_t *v = &eng->vals[r * nf];
        if (!v[FU] || v[F] || v[S])
            continue;
        const char *t = conflate_strtab_str(&eng->f[FU].raw, v[FU]);
        size_t n = eng->f[FU].raw.len[v[FU]];
        if (memchr(t, ',', n) || !memchr(t, ' ', n))
            continue;
        size_t k = lower_word(t, n, buf, sizeof buf);
        if (!k)
            continue;
        char tw[64];
        size_t tk = k < sizeof tw - 1 ? k : sizeof tw - 1;
        memcpy(tw, buf, tk);
        tw[tk] = '\0';
        if (tk > 1 && tw[tk - 1] == '.')
            tw[--tk] = '\0';
        if (word_in(tw, NAME_TITLES)) {
            gf[eng->src[r]]++; /* "MR DAVID TAYLOR": a title comes before the given names */
            continue;
        }
        int is_sur = conflate_strtab_find(surs, buf, k) != 0;
        int is_first = conflate_strtab_find(firsts, buf, k) != 0;
        sf[eng->src[r]] += is_sur && !is_first;
        gf[eng->src[r]] += is_first && !is_sur;
    }
    for (size_t i = 0; i < ns; i++)
        out[i] = sf[i] >= 10 && sf[i] > 3 * gf[i];
    free(sf);
    free(gf);
}

/* Whether w is a word of initials: one letter ("J"), or letters each followed by a full stop
   ("J.", "J.L.", "J.P.S."): forenames, never a surname. Returns how many letters it has (0:
   not initials); the first cap of them go to out, each a span of one byte. */
static size_t initials_of(const char *w, size_t n, span *out, size_t cap)
{
    int alpha1 = n == 1 && ((w[0] | 0x20) >= 'a' && (w[0] | 0x20) <= 'z');
    if (alpha1) {
        if (cap)
            out[0] = (span){w, 1};
        return 1;
    }
    if (n < 2 || n % 2)
        return 0;
    for (size_t i = 0; i < n; i += 2)
        if (!((w[i] | 0x20) >= 'a' && (w[i] | 0x20) <= 'z') || w[i + 1] != '.')
            return 0;
    for (size_t i = 0, k = 0; i < n && k < cap; i += 2)
        out[k++] = (span){w + i, 1};
    return n / 2;
}

/*
 * Which of several given names is the one a person is called by. Most names put it first
 * ("John Paul"), but some conventions put a middle name before it: Vietnamese "Van Minh" and
 * "Thi Anh" (Nguyen Van Minh is called Minh; Van and Thi follow the sex), some Korean and
 * Chinese generation names. The words cannot say which; the other records can: where inputs
 * give first and middle names in their own columns, a word they hold as a middle name at least
 * GN_RATIO times as often as a (one-word) first name, and at least GN_MIN times, is a middle
 * name; a word they hold as a first name GN_RATIO times as often as a middle name is a first
 * name. A run of given words that starts with such a middle name and ends with such a first
 * name is read with the last word as the first name (review 61: "NGUYEN VAN KHANH" was read
 * first name Van, middle name Khanh, and no custody record met its Home Office record).
 */
#define GN_MIN 10
#define GN_RATIO 3

typedef struct given_counts {
    conflate_strtab words; /* lower-cased words */
    uint32_t *first, *mid; /* per word id: one-word first names, first words of middle names */
    size_t cap;
} given_counts;

static void given_add(given_counts *g, const char *p, size_t n, int mid, uint32_t times)
{
    char buf[64];
    size_t k = lower_word(p, n, buf, sizeof buf);
    if (!k)
        return;
    uint32_t id = conflate_strtab_intern(&g->words, buf, k, NULL);
    if (id >= g->cap) {
        size_t nc = g->cap ? g->cap : 256;
        while (nc <= id)
            nc *= 2;
        g->first = conflate_xrealloc(g->first, nc * sizeof *g->first);
        g->mid = conflate_xrealloc(g->mid, nc * sizeof *g->mid);
        memset(g->first + g->cap, 0, (nc - g->cap) * sizeof *g->first);
        memset(g->mid + g->cap, 0, (nc - g->cap) * sizeof *g->mid);
        g->cap = nc;
    }
    (mid ? g->mid : g->first)[id] += times;
}

/* The counts of the first names and middle names the records hold in their own columns (the
   raw values: before any split); 0 when there is no middle name column or none is held. */
static int given_count(const conflate_engine *eng, int F, int M, given_counts *g)
{
    memset(g, 0, sizeof *g);
    conflate_strtab_init(&g->words);
    if (F < 0 || M < 0)
        return 0;
    /* the records of each distinct value counted first (an array per column), then each
       value's words counted once with its records: a hash look-up per value, not per record */
    size_t nf = (size_t)eng->nf, mids = 0;
    const conflate_strtab *rf = &eng->f[F].raw, *rm = &eng->f[M].raw;
    uint32_t *cf = conflate_xcalloc((size_t)rf->n + 1, sizeof *cf), *cm = conflate_xcalloc((size_t)rm->n + 1, sizeof *cm);
    for (size_t r = 0; r < eng->n; r++) {
        const uint32_t *v = &eng->vals[r * nf];
        if (v[F] && v[F] <= rf->n)
            cf[v[F]]++;
        if (v[M] && v[M] <= rm->n)
            cm[v[M]]++;
    }
    for (uint32_t id = 1; id <= rf->n; id++) {
        span w[2];
        if (cf[id] && words_of(conflate_strtab_str(rf, id), rf->len[id], w, 2) == 1)
            given_add(g, w[0].p, w[0].n, 0, cf[id]);
    }
    for (uint32_t id = 1; id <= rm->n; id++)
        if (cm[id]) {
            given_add(g, conflate_strtab_str(rm, id), rm->len[id], 1, cm[id]);
            mids += cm[id];
        }
    free(cf);
    free(cm);
    return mids > 0;
}

static void given_free(given_counts *g)
{
    conflate_strtab_free(&g->words);
    free(g->first);
    free(g->mid);
}

/* Word w as the counts hold it: *fc first names, *mc middle names. */
static void given_of(const given_counts *g, span w, uint32_t *fc, uint32_t *mc)
{
    char buf[64];
    size_t k = lower_word(w.p, w.n, buf, sizeof buf);
    uint32_t id = k ? conflate_strtab_find(&g->words, buf, k) : 0;
    *fc = id && id < g->cap ? g->first[id] : 0;
    *mc = id && id < g->cap ? g->mid[id] : 0;
}

/* Of the given words gw[0..n), the index of the first name (the name a person is called by):
   0, or n - 1 when gw[0] is a middle name and gw[n - 1] a first name by the counts. */
static size_t given_first(const given_counts *g, const span *gw, size_t n)
{
    if (!g || n < 2)
        return 0;
    uint32_t f0, m0, f1, m1;
    given_of(g, gw[0], &f0, &m0);
    given_of(g, gw[n - 1], &f1, &m1);
    /* the last word a first name by the counts, or one at all when the first word is never
       a first name ("THI VAN": Van is Van the man's middle name as often, but Thi is nobody's
       first name: review 76 M1) */
    return m0 >= GN_MIN && m0 >= GN_RATIO * (f0 + 1) && f1 >= GN_MIN / 2 &&
                   (f1 >= GN_RATIO * (m1 + 1) || f0 == 0)
               ? n - 1
               : 0;
}

/* The given words gw[0..n) as first name (*fid) and middle name (*mid, 0 when none or when
   no middle name is compared): the first name by given_first, the others in order. */
static size_t normalise(kind k, const char *s, size_t n, char *out, int *gen);

/* Record r's chain (conflate_engine.chain): the words w[0..n), each normalised as a surname. */
static void chain_set(conflate_engine *eng, size_t r, const span *w, size_t n)
{
    char buf[512], one[NORM_CAP + 1];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int gen;
        size_t len = normalise(K_SUR, w[i].p, w[i].n, one, &gen);
        if (len == 0 || len == CONFLATE_NORM_BADUTF8 || o + len + 1 >= sizeof buf)
            continue;
        if (o)
            buf[o++] = ' ';
        memcpy(buf + o, one, len);
        o += len;
    }
    if (!o)
        return;
    record_text_set(&eng->chain, &eng->chain_of, &eng->chain_cap, &eng->chain_n, r, buf, o);
}

/* The given names gw[0..n) of a whole name as first name (*fid) and middle name (*mid, when M
   is compared); with r (not SIZE_MAX), the words other than the first name are record r's
   chain too. */
static void given_split(conflate_engine *eng, const given_counts *g, int F, int M, const span *gw,
                        size_t n, uint32_t *fid, uint32_t *mid, size_t r)
{
    size_t at = given_first(g, gw, n);
    /* a given name whose first word does not stand alone (Abu Taher, Abdul Rahman: derive's
       prefix_given) is its two words (review 127: "Abu Taher Miah" was first name "abu") */
    char low[64];
    size_t lw = at < n ? lower_word(gw[at].p, gw[at].n, low, sizeof low) : 0;
    size_t two = at + 1 < n && lw && prefix_given(low, lw) ? 2 : 1;
    *fid = F >= 0 && n ? intern_words(&eng->f[F].raw, gw, at, at + two) : 0;
    *mid = 0;
    if (n < 1 + two || (M < 0 && r == SIZE_MAX))
        return;
    span rest[32];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 32; i++)
        if (i < at || i >= at + two)
            rest[k++] = gw[i];
    if (M >= 0)
        *mid = intern_words(&eng->f[M].raw, rest, 0, k);
    if (r != SIZE_MAX)
        chain_set(eng, r, rest, k);
}

/* Whether word w is a given name among the names others hold in their own columns: a first
   name and never a surname (name_side), or a middle name (gc) and never a surname ("NGUYEN THI
   ANH": Thi is only ever a middle name; review 76 M1). */
static int given_side(const given_counts *gc, const conflate_strtab *firsts, const conflate_strtab *surs, span w)
{
    int side = name_side(firsts, surs, w.p, w.n);
    if (side != 0 || !gc)
        return side < 0;
    uint32_t fc, mc;
    given_of(gc, w, &fc, &mc);
    char buf[64];
    size_t k = lower_word(w.p, w.n, buf, sizeof buf);
    return mc > 0 && k && conflate_strtab_find(surs, buf, k) == 0;
}

/* A first name of several words in its own column whose first word is a middle name and
   last a first name by the counts ("Van Hoang" beside first name Hoang, middle name Van), in
   a record with no middle name of its own: its last word is the first name, the rest the
   middle name. Returns how many were read so. */
static size_t reorder_given(conflate_engine *eng, const given_counts *g, int F, int M, size_t *split)
{
    size_t nf = (size_t)eng->nf, done = 0;
    *split = 0;
    for (size_t r = 0; r < eng->n; r++) {
        uint32_t *v = &eng->vals[r * nf];
        if (!v[F] || v[M])
            continue;
        /* a copy: interning the new first name may move the table's text */
        char t[256];
        size_t len = eng->f[F].raw.len[v[F]];
        if (len >= sizeof t || !memchr(conflate_strtab_str(&eng->f[F].raw, v[F]), ' ', len))
            continue;
        memcpy(t, conflate_strtab_str(&eng->f[F].raw, v[F]), len);
        span w[32];
        size_t n = words_of(t, len, w, 32);
        if (n < 2 || n > 32)
            continue;
        if (given_first(g, w, n) == 0) {
            /* two given names in one column, each a first name other records give alone
               ("Mustafa Ahmet" beside Ahmet, a Home Office's "Given Names"): the first word
               the first name, the others the middle name, so that a record called by the
               second meets it crosswise (middle_pass; review 122: "mustafa ahmet" / "ahmet"
               was "different"); a name whose words are not so given stays whole */
            int all = 1;
            for (size_t i = 0; i < n && all; i++) {
                uint32_t fc, mc;
                given_of(g, w[i], &fc, &mc);
                /* words of five letters or more: a Chinese or Korean given name of two
                   syllables written apart ("Chih Wei", "Seo Yun", whose syllables others
                   also write alone) is one name (review 119's Wade-Giles shape lost 0.008) */
                all = fc >= 2 && w[i].n >= 5;
            }
            /* an Arabic compound name is one name: Abdul Rahman, Abdel Karim, Abu Bakr */
            static const char *const joined[] = {"abdul", "abdel", "abdal", "abdur", "abdus", "abdoul"};
            for (size_t i = 0; all && i < sizeof joined / sizeof *joined; i++)
                all = !(w[0].n == strlen(joined[i]) && !strncasecmp(w[0].p, joined[i], w[0].n));
            if (!all)
                continue;
            (*split)++;
        } else {
            done++;
        }
        uint32_t fid, mid;
        given_split(eng, g, F, M, w, n, &fid, &mid, SIZE_MAX);
        v[F] = fid;
        v[M] = mid;
    }
    return done;
}

/* How many words of s[0..n) are first names or surnames others hold in their own columns. */
static size_t known_words(const conflate_strtab *firsts, const conflate_strtab *surs, const char *s, size_t n)
{
    span w[32];
    size_t nw = words_of(s, n, w, 32), k = 0;
    for (size_t i = 0; i < nw && i < 32; i++) {
        char buf[64];
        size_t m = lower_word(w[i].p, w[i].n, buf, sizeof buf);
        k += m && (conflate_strtab_find(firsts, buf, m) || conflate_strtab_find(surs, buf, m));
    }
    return k;
}

/* A name with a note after it: "BLADE (Samuel PHILLIPS)", "MAD MAX (Nicholas JACKSON)", "TINY
   aka Zachary HALL": police systems write a street name with the person's name beside it as
   often as a name with its alias ("John SMITH (BLADE)", "John SMITH aka BLADE"). The reading
   the record is split by is the one of more names others hold in their own columns: the
   note's name (its brackets and its "aka", "alias", "known as" left out) when it has two
   words or more and more such names than the text before it (review 78: "MAD MAX" was read
   as the name, and seven people of that street name met). *s, *n: the text to split (n:
   before the note, of len in all); buf (cap bytes) holds the note's name when it is taken. */
static void note_name(const conflate_strtab *firsts, const conflate_strtab *surs, const char **s, size_t *n,
                      size_t len, char *buf, size_t cap)
{
    static const char *const lead[] = {"also known as", "known as", "a.k.a.", "a.k.a", "a/k/a", "aka", "alias"};
    const char *t = *s;
    if (*n >= len || cap < 2)
        return;
    size_t k = 0;
    for (size_t i = *n; i < len && k + 1 < cap; i++) /* the note without its brackets */
        buf[k++] = strchr("()[]{}", t[i]) ? ' ' : t[i];
    size_t i = 0;
    while (i < k && (buf[i] == ' ' || buf[i] == ',' || buf[i] == '-' || buf[i] == ';'))
        i++;
    for (size_t l = 0; l < sizeof lead / sizeof *lead; l++) {
        size_t m = strlen(lead[l]);
        if (k - i > m && !strncasecmp(buf + i, lead[l], m) && buf[i + m] == ' ') {
            i += m;
            break;
        }
    }
    span w[3];
    if (words_of(buf + i, k - i, w, 3) < 2) /* a name of one word is no more a name than the other */
        return;
    if (known_words(firsts, surs, buf + i, k - i) > known_words(firsts, surs, t, *n)) {
        *s = buf + i;
        *n = k - i;
    }
}

/*
 * Organisations among the names: a vehicle keeper extract, a company register or a B row of a
 * stop log names firms as keepers and employers ("NORTHGATE VEHICLE HIRE LTD", "D Price
 * Builders", "Yodel Fleet Services Limited"). Split like a person's, "VEOLIA LEASING" was first
 * name "veolia", surname "leasing", and its "Ltd" form had surname "ltd": one firm's records
 * fell apart (review 112's vehicle shape: F1 0.55 over the firms' records). A name is an
 * organisation when it ends with a legal form (Ltd, Limited, PLC, LLP, Inc, CIC, "& Co"), or,
 * of two words or more, holds a trade word (Hire, Leasing, Services, Builders, Motors, Car
 * Wash...) that no input holds as a surname. Its name without the legal form (and a "UK" or
 * "(UK)" before it) is then compared whole, as both its first name and its surname: one firm
 * written with and without "Ltd" agrees on both, and a firm never agrees with a person of its
 * owner's name ("D PRICE BUILDERS" / "David Price").
 */
#define LEGAL_FORMS "ltd limited plc llp lp inc incorporated cic llc gmbh"
#define TRADE_WORDS                                                                                \
    "hire leasing rentals rental services builders construction contractors "                     \
    "motors autos cars vans logistics transport haulage couriers courier freight "                \
    "removals storage trading traders group holdings solutions enterprises developments "          \
    "properties investments management consultants consultancy recruitment staffing agency "     \
    "security cleaning cleaners catering scaffolding roofing plumbing electrical landscaping "     \
    "supplies distribution wholesale wholesalers foods takeaway restaurant cafe salon barbers "    \
    "nails carwash valeting garage taxis cabs warehouse imports exports"

/* Whether word (p, n), without its punctuation (. , ( )), is in the list. */
static int org_word(const char *p, size_t n, const char *list)
{
    char low[24];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '.' || c == ',' || c == '(' || c == ')')
            continue;
        if (k + 1 >= sizeof low)
            return 0;
        low[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    low[k] = 0;
    return k > 0 && word_in(low, list);
}

/* Whether words w[a..b) name an organisation (above); *z: the end of its name, without the
   legal form. surs: the surnames (first words) the inputs hold in their own columns. */
static int organisation_of(const span *w, size_t a, size_t b, const conflate_strtab *surs, size_t *z)
{
    size_t e = b;
    int legal = 0;
    for (;;) {
        if (e > a + 1 && org_word(w[e - 1].p, w[e - 1].n, LEGAL_FORMS)) {
            e--;
            legal = 1;
        } else if (e > a + 2 && org_word(w[e - 1].p, w[e - 1].n, "co company") &&
                   org_word(w[e - 2].p, w[e - 2].n, "& and")) {
            e -= 2;
            legal = 1;
        } else if (legal && e > a + 1 && org_word(w[e - 1].p, w[e - 1].n, "uk")) {
            e--;
        } else {
            break;
        }
    }
    *z = e;
    if (legal)
        return 1;
    if (b - a < 2)
        return 0;
    for (size_t i = a; i < b; i++) {
        if (!org_word(w[i].p, w[i].n, TRADE_WORDS))
            continue;
        char buf[64];
        size_t k = surs ? lower_word(w[i].p, w[i].n, buf, sizeof buf) : 0;
        if (!k || !conflate_strtab_find(surs, buf, k))
            return 1;
    }
    return 0;
}

/* Records whose own name columns name an organisation (a surname column "D PRICE BUILDERS LTD"
   and no first name, or a first name and surname that end with a legal form): the name whole
   as first name and surname. The number of such records. */
/* Whether raw value v of feature f names an organisation alone (2), ends with a legal form
   (bit 4: 3 names one, 7 with a legal form), or not (1); cached per value in c[v] (0: not yet
   known; values interned after the cache was made are not looked at). */
static unsigned char org_value(const conflate_engine *eng, int f, uint32_t v, unsigned char *c,
                               uint32_t nc, const conflate_strtab *surs)
{
    if (v < nc && c[v])
        return c[v];
    span w[32];
    const conflate_strtab *raw = &eng->f[f].raw;
    size_t nw = words_of(conflate_strtab_str(raw, v), raw->len[v], w, 32), z;
    unsigned char r = 1;
    if (nw && nw <= 32 && organisation_of(w, 0, nw, surs, &z))
        r = z < nw ? 7 : 3;
    if (v < nc)
        c[v] = r;
    return r;
}

static size_t organisations_in_columns(conflate_engine *eng, int F, int S, const conflate_strtab *surs)
{
    if (F < 0 || S < 0)
        return 0;
    /* decided per distinct value, not per record (a million records hold a few tens of
       thousands of names: per record this took 1.4 s of a 6 s run) */
    uint32_t nF = eng->f[F].raw.n + 1, nS = eng->f[S].raw.n + 1;
    unsigned char *cF = conflate_xcalloc(nF, 1), *cS = conflate_xcalloc(nS, 1);
    size_t nf = (size_t)eng->nf, orgs = 0;
    for (size_t r = 0; r < eng->n; r++) {
        uint32_t *v = &eng->vals[r * nf];
        if (!v[S] && !v[F])
            continue;
        if (v[F] && v[S]) { /* a person's names unless the surname ends with a legal form */
            const conflate_strtab *rs = &eng->f[S].raw;
            if (v[S] >= nS || (org_value(eng, S, v[S], cS, nS, surs) != 7 &&
                               !org_word(conflate_strtab_str(rs, v[S]), rs->len[v[S]], LEGAL_FORMS)))
                continue;
        } else if (v[S]) {
            if (v[S] >= nS || org_value(eng, S, v[S], cS, nS, surs) == 1)
                continue;
        } else if (v[F] >= nF || org_value(eng, F, v[F], cF, nF, surs) == 1) {
            continue;
        }
        char buf[512];
        size_t o = 0;
        for (int side = 0; side < 2; side++) { /* the first name's words, then the surname's */
            int f = side ? S : F;
            if (!v[f])
                continue;
            size_t n = eng->f[f].raw.len[v[f]];
            if (o + n + 1 >= sizeof buf) {
                o = 0;
                break;
            }
            if (o)
                buf[o++] = ' ';
            memcpy(buf + o, conflate_strtab_str(&eng->f[f].raw, v[f]), n);
            o += n;
        }
        span w[32];
        size_t nw = words_of(buf, o, w, 32), z;
        if (!o || nw > 32 || !organisation_of(w, 0, nw, surs, &z))
            continue;
        if (v[F] && v[S] && z == nw)
            continue; /* a first name and a surname without a legal form: a person's, as written */
        v[F] = intern_words(&eng->f[F].raw, w, 0, z);
        v[S] = intern_words(&eng->f[S].raw, w, 0, z);
        orgs++;
    }
    free(cF);
    free(cS);
    return orgs;
}

/* A whole name's words w[first..*nw) tidied (review 115's bank and credit-reference names):
 * - joint holders ("MR J & MRS K SMITH", "J SMITH AND K JONES", "SMITH, JOHN & JANE"): the
 *   first holder's words; when they are one word or initials alone ("MR J", "John & Mary
 *   Smith"), the last word after the "&" is their surname too, unless the surname was written
 *   apart (`sur_apart`: before a comma, "SMITH, J & M": M is the second holder's initial, no
 *   middle name of the first). With no words of their own ("Mr & Mrs J Smith", "Mr and Mrs
 *   Smith": the "&" right after the title), the holders' names are the words after it. The
 *   second holder's initial had been read as the first's middle name, and counted "different";
 *   "&" and "and" had been read as a first name, and "John & Mary Smith" lost its surname.
 * - an honorific anywhere, not only first ("SMITH J MR", credit-reference order; "JOHN MR
 *   SMITH"): left out, unless nothing else is left. "mr" had been read as a middle name, in 38%
 *   of the records. Only words that are never names (Lord, Master, Lady, Dame, Sir are
 *   surnames too, and are left out only at the front, as before).
 */
#define HONORIFICS "mr mrs ms miss mx mstr dr rev revd prof"
static void tidy_name_words(span *w, size_t first, size_t *nw, int sur_apart)
{
    size_t n = *nw;
    int joint = 0;
    for (size_t j = first; j + 1 < n; j++) {
        if (!word_is(w[j].p, w[j].n, "& and"))
            continue;
        size_t own = 0;
        int named = 0;
        for (size_t i = first; i < j; i++)
            if (!word_is(w[i].p, w[i].n, HONORIFICS)) {
                own++;
                named |= !initials_of(w[i].p, w[i].n, NULL, 0);
            }
        if (own == 0) { /* "MR & MRS J SMITH": the names after the "&" */
            memmove(w + first, w + j + 1, (n - j - 1) * sizeof *w);
            n = first + (n - j - 1);
            joint = 1;
            break;
        }
        span last = w[n - 1];
        n = j;
        if (!sur_apart && (!named || own == 1))
            w[n++] = last;
        break;
    }
    size_t k = first, kept = 0;
    for (size_t i = first; i < n; i++)
        kept += !word_is(w[i].p, w[i].n, HONORIFICS);
    if (kept > 0) {
        for (size_t i = first; i < n; i++)
            if (!word_is(w[i].p, w[i].n, HONORIFICS))
                w[k++] = w[i];
        n = k;
    } else if (joint) {
        n = first; /* "SMITH, MR & MRS": no given name */
    }
    *nw = n;
}

static void split_full_names(conflate_engine *eng, const given_counts *gc)
{
    int F = -1, S = -1, M = -1, FU = -1;
    for (int f = 0; f < eng->nf; f++) {
        kind k = eng->f[f].k;
        if (k == K_FIRST && F < 0)
            F = f;
        else if (k == K_SUR && S < 0)
            S = f;
        else if (k == K_MIDDLE && M < 0)
            M = f;
        else if (k == K_FULL && FU < 0)
            FU = f;
    }
    int any_org = 0; /* a value that may name an organisation (the surnames' check aside) */
    for (int side = 0; F >= 0 && S >= 0 && side < 2 && !any_org; side++) {
        const conflate_strtab *raw = &eng->f[side ? S : F].raw;
        for (uint32_t v = 1; v <= raw->n && !any_org; v++) {
            span w[32];
            size_t nw = words_of(conflate_strtab_str(raw, v), raw->len[v], w, 32), z;
            any_org = nw && nw <= 32 && organisation_of(w, 0, nw, NULL, &z);
        }
    }
    if (any_org) { /* organisations in the inputs' own name columns */
        name_tab surs0 = {0}, firsts0 = {0};
        conflate_strtab_init(&surs0.t);
        conflate_strtab_init(&firsts0.t);
        known_names(eng, F, S, &firsts0.t, &surs0.t);
        size_t own = organisations_in_columns(eng, F, S, &surs0.t);
        conflate_strtab_free(&surs0.t);
        conflate_strtab_free(&firsts0.t);
        free(surs0.count);
        free(firsts0.count);
        if (own)
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%zu records' names are organisations' (a legal form: Ltd, Limited, PLC, "
                         "LLP...; or a trade word: Hire, Leasing, Services, Builders...): compared "
                         "whole, without the legal form, as first name and surname "
                         "(docs/conflate.md, \"Organisations\")", own);
    }
    if (FU < 0 || (F < 0 && S < 0))
        return;
    static const char *titles = NAME_TITLES;
    static const char *particles = "van von der den de del della di da dos das du la le st bin binti ibn ben ould ait bou al el ap";
    /* the particles a family name written first may begin with ("EL AMRANI AMINAH", "BIN ALI
       MOHAMMAD", "DA SILVA JOAO"); of them, those that are also given names or nicknames (Ben,
       Al, Van) need the last word to be a first name the other inputs hold */
    static const char *lead_particles = "el bin binti ibn ould ait bou de da dos das del della von ap";
    static const char *lead_given = "al ben van";
    size_t nf = (size_t)eng->nf, split = 0, kept = 0, turned = 0, filler = 0, orgs = 0, mrz_read = 0,
           quoted = 0;
    /* per source, as eng->src counts them (a source column gives many to one input) */
    unsigned char *sfirst = conflate_xcalloc(eng->nsources ? eng->nsources : 1, 1);
    name_tab firsts_nt = {0}, surs_nt = {0};
    conflate_strtab_init(&firsts_nt.t);
    conflate_strtab_init(&surs_nt.t);
    conflate_strtab *firsts_p = &firsts_nt.t, *surs_p = &surs_nt.t;
    size_t one_turned = 0;
    if (F >= 0 && S >= 0) {
        known_names(eng, F, S, firsts_p, surs_p);
        surname_first_inputs(eng, FU, firsts_p, surs_p, F, S, sfirst);
    }
    for (size_t r = 0; r < eng->n; r++) {
        uint32_t *v = &eng->vals[r * nf];
        if (!v[FU])
            continue;
        if ((F >= 0 && v[F]) || (S >= 0 && v[S])) {
            v[FU] = 0; /* its own names say it */
            continue;
        }
        const conflate_strtab *raw = &eng->f[FU].raw;
        const char *s = conflate_strtab_str(raw, v[FU]);
        size_t slen = raw->len[v[FU]];
        /* a passport's machine-readable zone (API and PNR data): SURNAME<<GIVEN<NAMES<<<, the
           surname's and given names' words joined by '<' (review 115: 1,851 of 4,005 such names
           were one word, kept whole and compared with nothing) */
        char mrz[256];
        const char *dl = NULL;
        /* the zone's whole first line ("P<GBRSMITH<<JOHN<<<"): the document's type and the
           issuing state before the name (review 118: read as the surname "P GBRSMITH") */
        if (slen > 7 && slen < sizeof mrz && s[0] >= 'A' && s[0] <= 'Z' && s[1] == '<') {
            int state = 1, name = 0;
            for (size_t i = 2; i < 6; i++)
                state &= s[i] >= 'A' && s[i] <= 'Z';
            for (size_t i = 6; state && i + 1 < slen && !name; i++)
                name = s[i] == '<' && s[i + 1] == '<';
            if (name) {
                s += 5;
                slen -= 5;
            }
        }
        for (size_t i = 0; slen < sizeof mrz && i + 1 < slen && !dl; i++)
            dl = s[i] == '<' && s[i + 1] == '<' ? s + i : NULL;
        if (dl && dl > s) {
            size_t k = 0;
            for (size_t i = 0; i < slen; i++) {
                if (s + i == dl) {
                    mrz[k++] = ',';
                    mrz[k++] = ' ';
                    i++;
                } else {
                    mrz[k++] = s[i] == '<' ? ' ' : s[i];
                }
            }
            while (k > 0 && (mrz[k - 1] == ' ' || mrz[k - 1] == ','))
                k--;
            mrz[k] = '\0';
            s = mrz;
            slen = k;
            mrz_read++;
        }
        if (conflate_value_is_placeholder("full_name", s, slen)) {
            /* "UNKNOWN, MALE", "Unknown Male": a placeholder as a whole, missing; split, it
               was the name "male" (review 95 M1: unidentified patients linked by it) */
            v[FU] = 0;
            filler++;
            continue;
        }
        {   /* before the note cut: "ACME (UK) LTD" is no name and its note */
            span ow[32];
            size_t onw = words_of(s, slen, ow, 32), oz;
            if (F >= 0 && S >= 0 && onw <= 32 &&
                organisation_of(ow, 0, onw, F >= 0 && S >= 0 ? surs_p : NULL, &oz)) {
                v[F] = intern_words(&eng->f[F].raw, ow, 0, oz);
                v[S] = intern_words(&eng->f[S].raw, ow, 0, oz);
                v[FU] = 0;
                orgs++;
                continue;
            }
        }
        /* a street name in quotes (James "Risky" BROWN, SMITH, Martin 'Tiny'): never the
           surname, which `James "Risky"` made it (review 115); kept as the middle name, where
           `James "Risky" BROWN` put it and where two records of it agree */
        char nq[512], qw[512];
        size_t qk = 0;
        size_t qn = M >= 0 && !v[M] ? conflate_name_quotes_cut(s, slen, nq, sizeof nq, qw, sizeof qw, &qk)
                                    : (size_t)-1;
        if (qn != (size_t)-1) {
            if (qk)
                v[M] = conflate_strtab_intern(&eng->f[M].raw, qw, qk, NULL);
            s = nq;
            slen = qn;
            quoted++;
        }
        size_t n = conflate_name_note_cut(s, slen); /* "NAME (aka OTHER)": NAME */
        char note[256];
        if (F >= 0 && S >= 0)
            note_name(firsts_p, surs_p, &s, &n, slen, note, sizeof note);
        span w[32];
        size_t first = 0, nw, sur_a, sur_b; /* the surname is words [sur_a, sur_b) */
        const char *comma = memchr(s, ',', n);
        /* the PNC's form, SURNAME/FORENAMES ("WEBB/JIM JOHN"), is the comma's: one slash with
           a word on either side (review 112: the slash was kept in a word, or read as the
           first name's) */
        if (!comma) {
            const char *slash = memchr(s, '/', n);
            if (slash && !memchr(slash + 1, '/', n - (size_t)(slash + 1 - s)) && slash > s &&
                slash[-1] != ' ' && slash + 1 < s + n && slash[1] != ' ')
                comma = slash;
        }
        if (comma) {
            span sw[32];
            size_t ns = words_of(s, (size_t)(comma - s), sw, 32);
            nw = words_of(comma + 1, n - (size_t)(comma + 1 - s), w, 32);
            /* over 32 words: kept whole before any is looked at (review 118: 33 titles after
               the comma were read past the 32 stored) */
            while (nw <= 32 && first < nw && word_is(w[first].p, w[first].n, titles))
                first++;
            if (nw <= 32 && first < nw)
                tidy_name_words(w, first, &nw, 1);
            if (ns == 0 || first >= nw || ns > 32 || nw > 32) {
                kept++;
                continue;
            }
            if (S >= 0)
                v[S] = intern_words(&eng->f[S].raw, sw, 0, ns);
            uint32_t cf, cm;
            given_split(eng, gc, F, M >= 0 && !v[M] ? M : -1, w + first, nw - first, &cf, &cm, r);
            if (F >= 0)
                v[F] = cf;
            if (cm)
                v[M] = cm;
            v[FU] = 0;
            split++;
            continue;
        }
        nw = words_of(s, n, w, 32);
        if (nw > 32) {
            kept++;
            continue;
        }
        while (first < nw && word_is(w[first].p, w[first].n, titles))
            first++;
        if (first < nw)
            tidy_name_words(w, first, &nw, 0);
        /* a generational suffix ending the name ("Michael Sherlock Snr"): kept out of the split
           and written after the surname, whose normalisation reads it as the record's
           generation (conflate_norm_name_gen; review 130: it was read as the surname "snr",
           Sherlock the middle name, and a father and son of one name joined) */
        span gen_w = {NULL, 0};
        if (nw - first >= 3) {
            char lw[16];
            size_t k = lower_word(w[nw - 1].p, w[nw - 1].n, lw, sizeof lw);
            while (k && lw[k - 1] == '.')
                k--;
            if (k && conflate_generation_word(lw, k))
                gen_w = w[--nw];
        }
        if (nw - first < 2) {
            /* one word: a first name the other inputs hold and never a surname is a first
               name ("ANDRZEJ" in an intelligence log), a surname never a first name is a
               surname; otherwise it stays whole (review 67: it was compared with nothing) */
            int side = nw - first == 1 && F >= 0 && S >= 0
                           ? name_side(firsts_p, surs_p, w[first].p, w[first].n) : 0;
            if (side < 0 && !initials_of(w[first].p, w[first].n, NULL, 0)) {
                v[F] = intern_words(&eng->f[F].raw, w, first, first + 1);
                v[FU] = 0;
                split++;
            } else if (side > 0) {
                v[S] = intern_words(&eng->f[S].raw, w, first, first + 1);
                v[FU] = 0;
                split++;
            } else {
                kept++;
            }
            continue;
        }
        /* initials ("J.L. GREEN", "GREEN J", "J SMITH"): forenames whatever their place, so
           with one other word (or a surname with its particles), that is the surname */
        span ini[32];
        size_t nini = 0, other = nw, nother = 0; /* nini: letters stored, at most 32 */
        for (size_t i = first; i < nw; i++) {
            size_t room = 32 - nini, k = initials_of(w[i].p, w[i].n, ini + nini, room);
            if (k)
                nini += k < room ? k : room;
            else if (!word_is(w[i].p, w[i].n, particles)) {
                other = i;
                nother++;
            }
        }
        size_t caps = nw, ncaps = 0;
        for (size_t i = first; i < nw; i++)
            if (all_caps(w[i].p, w[i].n) && !initials_of(w[i].p, w[i].n, NULL, 0)) {
                caps = i;
                ncaps++;
            }
        uint32_t fid, mid = 0;
        if (nini == 1 && nother == 1 && nw - first == 2 && other == first && F >= 0 && S >= 0 &&
            name_side(firsts_p, surs_p, w[other].p, w[other].n) < 0) {
            /* "Tommy B": a given name and the surname's initial, as a contact list or a
               witness writes a name (review 95 H2: read first name "b", surname "tommy", it
               was different on both from "Tommy Baker"): only for a word the other inputs hold as
               a first name and never as a surname; "GREEN J", "Smith J" and "Thomas L" (a
               surname too: review 96 M1) stay surname and initial. In capitals too ("ROBERT
               C": review 128, a handset's contact read first name "c", surname "robert", and
               "Robert C" of another handset with the same number the other way round, were
               taken for names swapped, p 0.03): a whole name in one case has no capitals cue */
            sur_a = first + 1;
            sur_b = first + 2;
            fid = intern_words(&eng->f[F].raw, w, first, first + 1);
        } else if (nini && nother == 1) {
            sur_b = other + 1;
            sur_a = other;
            while (sur_a > first && word_is(w[sur_a - 1].p, w[sur_a - 1].n, particles))
                sur_a--;
            fid = F >= 0 ? intern_words(&eng->f[F].raw, ini, 0, 1) : 0;
            if (M >= 0 && !v[M] && nini > 1)
                mid = intern_words(&eng->f[M].raw, ini, 1, nini);
        } else if (ncaps == 1) { /* "SMITH John Paul" or "John Paul SMITH" */
            sur_a = caps;
            sur_b = caps + 1;
            span gw[32];
            size_t k = 0;
            for (size_t i = first; i < nw; i++)
                if (i != caps)
                    gw[k++] = w[i];
            given_split(eng, gc, F, M >= 0 && !v[M] ? M : -1, gw, k, &fid, &mid, r);
        } else if (nw - first >= 3 &&
                   lead_turned(w, first, nw, firsts_p, surs_p, F >= 0 && S >= 0, ncaps == nw - first,
                               particles, lead_particles, lead_given)) {
            /* "EL AMRANI AMINAH", "BIN ALI MOHAMMAD", "OULD ALI MERIEM": a name that begins
               with a family name's particle is written family name first, whatever its input's
               order (no given name is "El" or "Bin"): the particles and the word after them are
               the surname (review 134's Maghrebi shape: read first name "el", surname
               "aminah", such pairs were different on both names, p 0.001) */
            sur_a = first;
            sur_b = first;
            while (sur_b < nw - 1 && word_is(w[sur_b].p, w[sur_b].n, particles))
                sur_b++;
            sur_b++;
            given_split(eng, gc, F, M >= 0 && !v[M] ? M : -1, w + sur_b, nw - sur_b, &fid, &mid, r);
            one_turned++;
        } else if ((sfirst[eng->src[r]] && first == 0) || /* a title: given names first */
                   (F >= 0 && S >= 0 && ncaps == nw - first &&
                    name_side(firsts_p, surs_p, w[first].p, w[first].n) > 0 &&
                    given_side(gc, firsts_p, surs_p, w[first + 1]) &&
                    name_side(firsts_p, surs_p, w[nw - 1].p, w[nw - 1].n) <= 0)) {
            /* "NOWAK PAUL MARK": an input written surname first, or this name alone in an
               input that mixes the orders (review 48: a merged extract's "PATEL MIA CAROL"
               beside "Mia Carol Patel" was split first=patel, surname=carol): in capitals
               throughout, as custody systems write a name surname first, its first word a
               surname others hold and never a first name, its second a first name and never
               a surname, its last no surname only (review 53: "Thomas David Okafor", not in
               capitals, was read surname Thomas; in capitals it still is: the words cannot tell) */
            sur_a = first;
            sur_b = first + 1;
            given_split(eng, gc, F, M >= 0 && !v[M] ? M : -1, w + first + 1, nw - first - 1, &fid, &mid, r);
            if (sfirst[eng->src[r]])
                turned++;
            else
                one_turned++;
        } else if (F >= 0 && S >= 0 && ncaps == 0 && family_first(firsts_p, surs_p, w, first, nw)) {
            /* "Okafor Gloria", "Li Ting Na": not in capitals, its first word a surname the
               other inputs hold (three times and more, four times as often as a first name)
               and no other word held more as a surname than as a first name (review 128: read
               first name Okafor, surname Gloria, p 0.0001 against OKAFOR|AKUAH|GLORIA) */
            sur_a = first;
            sur_b = first + 1;
            given_split(eng, gc, F, M >= 0 && !v[M] ? M : -1, w + first + 1, nw - first - 1, &fid, &mid, r);
            one_turned++;
        } else {
            sur_b = nw;
            sur_a = nw - 1;
            /* a particle that is an English given name too (Ben, Al) before a surname the other
               inputs hold is a middle name: `Oliver Ben Smith`, not the surname "ben smith"
               (review 138); before another word it is the surname's (`Mohamed Ben Ali`). Van
               stays the surname's (`Jan van Dijk`; a Vietnamese `Minh Van Nguyen` lost 0.02 of
               F1 with it a middle name) */
            int last_sur = F >= 0 && S >= 0 && name_side(firsts_p, surs_p, w[nw - 1].p, w[nw - 1].n) > 0;
            while (sur_a > first + 1 && word_is(w[sur_a - 1].p, w[sur_a - 1].n, particles) &&
                   !(last_sur && word_is(w[sur_a - 1].p, w[sur_a - 1].n, "ben al")))
                sur_a--;
            given_split(eng, gc, F, M >= 0 && !v[M] ? M : -1, w + first, sur_a - first, &fid, &mid, r);
        }
        if (S >= 0) {
            span sw[33];
            size_t k = 0;
            for (size_t i = sur_a; i < sur_b && k < 32; i++)
                sw[k++] = w[i];
            if (gen_w.p)
                sw[k++] = gen_w;
            v[S] = intern_words(&eng->f[S].raw, sw, 0, k);
        }
        if (F >= 0)
            v[F] = fid;
        if (mid)
            v[M] = mid;
        v[FU] = 0;
        split++;
        if (!(nini && nother == 1)) /* initials say which word is the surname; else a guess */
            eng->sources[eng->src[r]].guessed_order = eng->any_guessed_order = 1;
    }
    eng->f[FU].split = split;
    if (mrz_read)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu names written as a passport's machine-readable zone "
                     "(SURNAME<<GIVEN<NAMES) read as surname and given names",
                     eng->f[FU].role, eng->f[FU].column, mrz_read);
    if (quoted)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu names hold a nickname in quotes (James \"Risky\" "
                     "BROWN): compared as the middle name, never as the surname (docs/conflate.md, "
                     "\"Names given whole\")",
                     eng->f[FU].role, eng->f[FU].column, quoted);
    if (orgs)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu names are organisations' (a legal form: Ltd, Limited, "
                     "PLC, LLP...; or a trade word: Hire, Leasing, Services, Builders...): compared "
                     "whole, without the legal form, as first name and surname (docs/conflate.md, "
                     "\"Organisations\")",
                     eng->f[FU].role, eng->f[FU].column, orgs);
    if (filler)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu records give a placeholder for the whole name "
                     "(\"UNKNOWN, MALE\", \"Person unknown\"...): read as missing, not split",
                     eng->f[FU].role, eng->f[FU].column, filler);
    for (size_t i = 0; i < eng->nsources && turned; i++)
        if (sfirst[i]) /* the input's own column (review 115: another input's was named) */
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s (column '%s') of %s: names written surname first (their first words "
                         "are the surnames other records hold); %zu read so (docs/conflate.md, "
                         "\"Names given whole\")",
                         eng->f[FU].role,
                         !eng->o.source_column && i < eng->ninputs && eng->in_cols[i][FU]
                             ? eng->in_cols[i][FU]
                             : eng->f[FU].column,
                         eng->sources[i].name, turned);
    if (one_turned)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu names in capitals read surname first one by one (their "
                     "first word a surname other records hold and never a first name, the second a "
                     "first name and never a surname) (docs/conflate.md, \"Names given whole\")",
                     eng->f[FU].role, eng->f[FU].column, one_turned);
    conflate_strtab_free(firsts_p);
    conflate_strtab_free(surs_p);
    free(firsts_nt.count);
    free(surs_nt.count);
    free(sfirst);
    if (split)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu names split into first name and surname to compare "
                     "with the inputs that have them (\"SURNAME, Forenames\", initials and a "
                     "surname, a surname in capitals, else the last word); %zu of one word (or of more than 32) kept whole "
                     "(docs/conflate.md, \"Names given whole\")",
                     eng->f[FU].role, eng->f[FU].column, split, kept);
}

/*
 * Dates written month first (US order, 07/14/1950) in an input: dates are read day first (UK)
 * where both orders are possible, so such an input's dates were misread (03/12/1985 as 3
 * December) or taken as not dates (07/14/1950). Per date field and input, values of three
 * numbers (day, month, year in some order, the year last) whose first number is over 12 can
 * only be day first, those whose second is over 12 only month first. An input with at least
 * three of the latter and more than four times as many as of the former is month first: its
 * values get their first two numbers exchanged before they are read, and a note says so.
 */
typedef struct dmy_tokens {
    size_t at[3], len[3];
    int val[3];
} dmy_tokens;

/* The three numbers of a D/M/Y-like value (the last of 2 or 4 digits), or 0. */
static int dmy_split(const char *s, size_t n, dmy_tokens *t)
{
    int k = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] >= '0' && s[i] <= '9') {
            size_t j = i;
            int v = 0;
            while (j < n && s[j] >= '0' && s[j] <= '9' && j - i < 4)
                v = v * 10 + (s[j++] - '0');
            if (k == 3 || (j < n && s[j] >= '0' && s[j] <= '9'))
                return 0;
            t->at[k] = i;
            t->len[k] = j - i;
            t->val[k++] = v;
            i = j;
        } else if (s[i] == '/' || s[i] == '-' || s[i] == '.' || s[i] == ' ') {
            i++;
        } else {
            return 0;
        }
    }
    return k == 3 && t->len[0] <= 2 && t->len[1] <= 2 && (t->len[2] == 2 || t->len[2] == 4);
}

/* Raw date v read month first: the id of its text with the first two numbers swapped ("07/14/1950"
   as "14/07/1950"), for every such date when `all`, else only for one that can only be read
   so; 0 when it is left as it is. */
static uint32_t month_turned(conflate_strtab *raw, uint32_t v, int all)
{
    const char *s = conflate_strtab_str(raw, v);
    size_t n = raw->len[v];
    dmy_tokens t;
    if (!dmy_split(s, n, &t))
        return 0;
    if (!all && !(t.val[1] > 12 && t.val[1] <= 31 && t.val[0] >= 1 && t.val[0] <= 12))
        return 0;
    char buf[64];
    if (n >= sizeof buf)
        return 0;
    /* the second number, the text between, the first, the rest */
    size_t o = 0;
    memcpy(buf + o, s + t.at[1], t.len[1]);
    o += t.len[1];
    memcpy(buf + o, s + t.at[0] + t.len[0], t.at[1] - (t.at[0] + t.len[0]));
    o += t.at[1] - (t.at[0] + t.len[0]);
    memcpy(buf + o, s + t.at[0], t.len[0]);
    o += t.len[0];
    memcpy(buf + o, s + t.at[1] + t.len[1], n - (t.at[1] + t.len[1]));
    o += n - (t.at[1] + t.len[1]);
    return conflate_strtab_intern(raw, buf, o, NULL);
}

/* Whether dd/mm is a day of a month (29 February always). */
static int day_of_month(int d, int m)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

/* Six digits (a date written without separators and a two-digit year): its two-digit numbers
   in a[0..3), else 0. */
static int six_digits(const char *s, size_t n, int a[3])
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n != 6)
        return 0;
    for (size_t i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    for (int i = 0; i < 3; i++)
        a[i] = (s[2 * i] - '0') * 10 + (s[2 * i + 1] - '0');
    return 1;
}

/*
 * Dates of six digits written year first (YYMMDD: a passport's machine-readable zone, and the
 * advance passenger data that copies it). Read day first (DDMMYY, the UK's way) such a date is
 * no date at all (760209) or, where its year is a day of a month, another one (040106, 6
 * January 2004, read as 4 January 2006; review 128: 3,670 of an API file's 7,583 dates were
 * "not dates" and 382 another date, with no word but the two-digit year's). Per input and
 * date column: when at least 10 such values can only be read year first and over four times
 * as many as can only be read day first, every one that can be read year first is (rewritten
 * DD/MM/YY, the two-digit year then read as any other), and a note says so.
 */
/* Value v of a date column rewritten DD/MM/YY from its YYMMDD digits, interned; 0 when v is
   no such value. */
static uint32_t six_turned(conflate_strtab *raw, uint32_t v)
{
    int a[3];
    if (!v || !six_digits(conflate_strtab_str(raw, v), raw->len[v], a) || !day_of_month(a[2], a[1]))
        return 0;
    char buf[16];
    int len = snprintf(buf, sizeof buf, "%02d/%02d/%02d", a[2], a[1], a[0]);
    return conflate_strtab_intern(raw, buf, (size_t)len, NULL);
}

static void read_year_first_six(conflate_engine *eng)
{
    size_t nf = (size_t)eng->nf, ns = eng->nsources;
    if (!ns)
        return;
    uint64_t *dmy = conflate_xcalloc(ns, sizeof *dmy), *ymd = conflate_xcalloc(ns, sizeof *ymd);
    for (int f = 0; f < eng->nf; f++) {
        if (eng->f[f].k != K_DATE)
            continue;
        conflate_strtab *raw = &eng->f[f].raw;
        int six = 0; /* any value of six digits at all (its distinct values, not its records) */
        for (uint32_t v = 1; v <= raw->n && !six; v++) {
            int a[3];
            six = six_digits(conflate_strtab_str(raw, v), raw->len[v], a);
        }
        if (!six)
            continue;
        memset(dmy, 0, ns * sizeof *dmy);
        memset(ymd, 0, ns * sizeof *ymd);
        int any = 0;
        for (size_t r = 0; r < eng->n; r++) {
            uint32_t v = eng->vals[r * nf + (size_t)f];
            int a[3];
            if (!v || !six_digits(conflate_strtab_str(raw, v), raw->len[v], a))
                continue;
            int d = day_of_month(a[0], a[1]), y = day_of_month(a[2], a[1]);
            dmy[eng->src[r]] += d && !y;
            ymd[eng->src[r]] += y && !d;
            any |= y && !d;
        }
        for (size_t sidx = 0; any && sidx < ns; sidx++) {
            if (ymd[sidx] < 10 || ymd[sidx] <= 4 * dmy[sidx])
                continue;
            size_t turned = 0;
            for (size_t r = 0; r < eng->n; r++) {
                if (eng->src[r] != sidx)
                    continue;
                uint32_t *v = &eng->vals[r * nf + (size_t)f], u = six_turned(raw, *v);
                if (u) {
                    *v = u;
                    turned++;
                }
                /* the cell's further values (several_values) are written in the same order,
                   as read_month_first turns them */
                for (uint32_t i = r < eng->oth_n ? eng->oth_of[r] : 0; i; i++) {
                    struct conflate_other *o = &eng->oth[i - 1];
                    if (o->f == f && (u = six_turned(raw, o->v)) != 0)
                        o->v = u;
                    if (o->last)
                        break;
                }
            }
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "%s (column '%s') of %s: dates of six digits written year first (YYMMDD, "
                         "as a passport's machine-readable zone): %llu values can only be read so "
                         "and %llu only day first; %zu read year first (docs/conflate.md, \"Dates\")",
                         eng->f[f].role, eng->f[f].column, eng->sources[sidx].name,
                         (unsigned long long)ymd[sidx], (unsigned long long)dmy[sidx], turned);
        }
    }
    free(dmy);
    free(ymd);
}

static void read_month_first(conflate_engine *eng)
{
    size_t nf = (size_t)eng->nf, ns = eng->nsources;
    if (!ns)
        return;
    uint64_t *dmy = conflate_xcalloc(ns, sizeof *dmy), *mdy = conflate_xcalloc(ns, sizeof *mdy);
    for (int f = 0; f < eng->nf; f++) {
        if (eng->f[f].k != K_DATE)
            continue;
        conflate_strtab *raw = &eng->f[f].raw;
        memset(dmy, 0, ns * sizeof *dmy);
        memset(mdy, 0, ns * sizeof *mdy);
        for (size_t r = 0; r < eng->n; r++) {
            uint32_t v = eng->vals[r * nf + (size_t)f];
            dmy_tokens t;
            if (!v || !dmy_split(conflate_strtab_str(raw, v), raw->len[v], &t))
                continue;
            if (t.val[0] > 12 && t.val[0] <= 31 && t.val[1] >= 1 && t.val[1] <= 12)
                dmy[eng->src[r]]++;
            else if (t.val[1] > 12 && t.val[1] <= 31 && t.val[0] >= 1 && t.val[0] <= 12)
                mdy[eng->src[r]]++;
        }
        for (size_t sidx = 0; sidx < ns; sidx++) {
            if (!mdy[sidx])
                continue;
            /* month first throughout: every value turned; else (day first, or both orders in
               one input, review 48: half of them were "not dates") only the values that can
               only be read month first */
            int all = mdy[sidx] >= 3 && mdy[sidx] > 4 * dmy[sidx];
            /* a handful against a column written day first (100 values and more, under 1% of
               them): typos of a day-first date (04/16 for 04/06), not dates of another order,
               and read so they compared as another date of birth (review 78 L2) */
            int typos = !all && dmy[sidx] >= 100 && mdy[sidx] * 100 < dmy[sidx];
            size_t turned = 0;
            for (size_t r = 0; r < eng->n; r++) {
                uint32_t *v = &eng->vals[r * nf + (size_t)f];
                if (eng->src[r] != sidx || !*v || typos)
                    continue;
                uint32_t u = month_turned(raw, *v, all);
                if (u) {
                    *v = u;
                    turned++;
                }
                /* the cell's further values (several_values) are written in the same order */
                for (uint32_t i = r < eng->oth_n ? eng->oth_of[r] : 0; i; i++) {
                    struct conflate_other *o = &eng->oth[i - 1];
                    if (o->f == f && o->v && (u = month_turned(raw, o->v, all)) != 0)
                        o->v = u;
                    if (o->last)
                        break;
                }
            }
            if (all)
                conflate_msg(eng, CONFLATE_MSG_NOTE,
                             "%s (column '%s') of %s: dates written month first (US order, as "
                             "07/14/1950): %llu values can only be read so and %llu only day first; "
                             "%zu read month first (docs/conflate.md, \"Dates\")",
                             eng->f[f].role, eng->f[f].column, eng->sources[sidx].name,
                             (unsigned long long)mdy[sidx], (unsigned long long)dmy[sidx], turned);
            else if (!dmy[sidx]) /* one or two: too few to tell the column's order (review 50) */
                conflate_msg(eng, CONFLATE_MSG_WARNING,
                             "%s (column '%s') of %s: %llu value%s can only be read month first (read "
                             "so) and none only day first: too few to tell the column's order; the others "
                             "are read day first (docs/conflate.md, \"Dates\")",
                             eng->f[f].role, eng->f[f].column, eng->sources[sidx].name,
                             (unsigned long long)mdy[sidx], mdy[sidx] == 1 ? "" : "s");
            else if (typos)
                conflate_msg(eng, CONFLATE_MSG_WARNING,
                             "%s (column '%s') of %s: %llu value%s can only be read month first, against "
                             "%llu only day first: taken as typos of day-first dates, not dates (docs/conflate.md, "
                             "\"Dates\")",
                             eng->f[f].role, eng->f[f].column, eng->sources[sidx].name,
                             (unsigned long long)mdy[sidx], mdy[sidx] == 1 ? "" : "s", (unsigned long long)dmy[sidx]);
            else
                conflate_msg(eng, CONFLATE_MSG_WARNING,
                             "%s (column '%s') of %s: both orders of day and month: %llu values can "
                             "only be read month first (read so) and %llu only day first; the "
                             "others are read day first, as most of the column (docs/conflate.md, "
                             "\"Dates\")",
                             eng->f[f].role, eng->f[f].column, eng->sources[sidx].name,
                             (unsigned long long)mdy[sidx], (unsigned long long)dmy[sidx]);
        }
    }
    free(dmy);
    free(mdy);
}

#define PSEP(c) ((c) == ' ' || (c) == ',' || (c) == '.' || (c) == '\t' || (c) == ';' || (c) == '\n' || (c) == '\r')
/* The whole UK postcode s (n bytes) ends with, separators aside ("LS21 2FW": its two last
   words; "LS212FW": its last), normalised into pc (cap bytes): its length, 0 when none; *at
   gets the offset where it starts in s. */
static size_t trailing_postcode(const char *s, size_t n, char *pc, size_t cap, size_t *at)
{
    while (n > 0 && PSEP(s[n - 1]))
        n--;
    size_t b2 = n; /* the last word [b2, n), the one before it [b1, e1) */
    while (b2 > 0 && !PSEP(s[b2 - 1]))
        b2--;
    size_t e1 = b2;
    while (e1 > 0 && PSEP(s[e1 - 1]))
        e1--;
    size_t b1 = e1;
    while (b1 > 0 && !PSEP(s[b1 - 1]))
        b1--;
    if (b1 < e1 && e1 - b1 <= 4 && n - b2 == 3) {
        char two[16];
        memcpy(two, s + b1, e1 - b1);
        two[e1 - b1] = ' ';
        memcpy(two + (e1 - b1) + 1, s + b2, 3);
        size_t k = conflate_norm_postcode(two, e1 - b1 + 4, pc, cap);
        if (k && conflate_postcode_is_uk(pc, k))
            return *at = b1, k;
    }
    if (n - b2 >= 5 && n - b2 <= 7) {
        size_t k = conflate_norm_postcode(s + b2, n - b2, pc, cap);
        if (k && conflate_postcode_is_uk(pc, k))
            return *at = b2, k;
    }
    return 0;
}

/* Whether s (n bytes) ends with a whole UK postcode ("LS21 2FW", "LS212FW"), separators
   aside. */
static int ends_with_postcode(const char *s, size_t n)
{
    char pc[32];
    size_t at;
    return trailing_postcode(s, n, pc, sizeof pc, &at) != 0;
}

static size_t count_digits(const char *s, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += s[i] >= '0' && s[i] <= '9';
    return d;
}

/* A cell that holds several values of its kind (a PND-like export's "07420 923234 / 07250
 * 811233", "a@x.com; b@y.com", addresses one after another each with its postcode, "01/02/1990;
 * 03/02/1990"): the length of the first, else n. Separators: a new line, ';', '|', ' / ', and
 * for phones and e-mails ',' and ' or ' too; each side must be a whole value of the kind (a
 * phone of ten digits and more beside one of six and more, two e-mail addresses, an address
 * that ends with a postcode before another, two dates); a phone cell of more digits than any
 * number has, its numbers apart by a space, is cut where the first number ends. */
/* Whether s[0, n) is six digits and nothing else: a date written YYMMDD, which read day first
   is often no date (read_year_first_six reads such a column year first), so that a cell of
   several such dates is split as one of day-first dates is (review 135: `780712; 100203` was
   not split, and the whole cell was missing). */
static int six_digit_run(const char *s, size_t n)
{
    if (n != 6)
        return 0;
    for (size_t i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static size_t first_of_several(kind k, const char *s, size_t n)
{
    if (k != K_PHONE && k != K_EMAIL && k != K_ADDRESS && k != K_DATE && k != K_POSTCODE)
        return n;
    /* a date written with spaced slashes ("01 / 02 / 1990") is one date, not three values
       (review 123: it was cut to "01", no date) */
    if (k == K_DATE && conflate_date_parse(s, n))
        return n;
    /* (the digits and the '@' before i, and after it, counted as i moves: a cell of a million
       separators is read in linear time; review 127: counted afresh at each separator, a 1 MB
       cell took minutes) */
    size_t total = count_digits(s, n), before = 0, last_at = 0, word_end = 0, pc_end = 0;
    int at_before = 0, pc = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            last_at = i + 1;
    for (size_t i = 0; i < n; before += s[i] >= '0' && s[i] <= '9', at_before |= s[i] == '@',
                word_end = PSEP(s[i]) ? word_end : i + 1, i++) {
        size_t sl = 0;
        char c = s[i];
        if (c == '\n' || c == '\r' || c == ';' || c == '|')
            sl = 1;
        else if (c == ' ' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == ' ')
            sl = 3;
        else if ((k == K_PHONE || k == K_EMAIL) && c == ',')
            sl = 1;
        else if ((k == K_PHONE || k == K_EMAIL) && c == ' ' && i + 4 <= n && !strncasecmp(s + i, " or ", 4))
            sl = 4;
        if (!sl)
            continue;
        size_t a = i, b = i + sl;
        while (a > 0 && (s[a - 1] == ' ' || s[a - 1] == ','))
            a--;
        if (a == 0)
            continue;
        size_t rn = n - b, after = total - before; /* (a separator holds no digit, no '@') */
        int both;
        if (k == K_PHONE)
            both = before >= 10 && after >= 6;
        else if (k == K_EMAIL)
            both = at_before && last_at > b;
        else if (k == K_ADDRESS) {
            /* s[0, a) ends with a postcode as s[0, word_end) does (what ends it is separators) */
            if (after && rn > 5 && word_end != pc_end) {
                pc_end = word_end;
                pc = ends_with_postcode(s, word_end);
            }
            both = after && rn > 5 && pc && pc_end == word_end;
        } else /* dates, postcodes; the first a date of its own */
            both = before >= 2 && after >= 2 && rn >= 4 &&
                   (k != K_DATE || conflate_date_parse(s, a) || six_digit_run(s, a));
        if (both)
            return a;
    }
    if (k == K_PHONE && total > 16) { /* "07420 923234 07250 811233" */
        before = s[0] >= '0' && s[0] <= '9';
        for (size_t i = 1; i < n; before += s[i] >= '0' && s[i] <= '9', i++)
            if (s[i] == ' ' && before >= 10 && before <= 13 && total - before >= 6 &&
                (s[i + 1] == '0' || s[i + 1] == '+'))
                return i;
    }
    return n;
}

/* The values of a cell of several (first_of_several), each interned into raw: up to cap raw ids
   into out, the first first. Returns how many (1 when the cell is one value). */
static size_t values_of_cell(feature *f, uint32_t v, uint32_t *out, size_t cap)
{
    size_t k = 0, n = f->raw.len[v], at = 0;
    while (at < n && k < cap) {
        const char *s = conflate_strtab_str(&f->raw, v) + at; /* (interning may move the table) */
        size_t rest = n - at, l = first_of_several(f->k, s, rest);
        size_t a = 0, b = l;
        while (a < b && (s[a] == ' ' || s[a] == ',' || s[a] == ';' || s[a] == '|' || s[a] == '\n' ||
                         s[a] == '\r' || s[a] == '/'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == ','))
            b--;
        if (b > a) {
            if (k == 0 && a == 0 && b == n) /* the whole cell: one value */
                return out[k++] = v, k;
            char *keep = conflate_xmalloc(b - a + 1); /* s is in the table it is interned to */
            memcpy(keep, s + a, b - a);
            out[k++] = conflate_strtab_intern(&f->raw, keep, b - a, NULL);
            free(keep);
        }
        if (l >= rest)
            break;
        /* past the separator: or, ' / ', ';', a new line... (the next value's own leading
           separators are skipped above) */
        at += l;
        s = conflate_strtab_str(&f->raw, v) + at;
        rest = n - at;
        size_t sk = 0;
        while (sk < rest && (s[sk] == ' ' || s[sk] == ',' || s[sk] == ';' || s[sk] == '|' ||
                             s[sk] == '\n' || s[sk] == '\r' || s[sk] == '/'))
            sk++;
        if (sk < rest && rest - sk >= 3 && !strncasecmp(s + sk, "or ", 3))
            sk += 3;
        at += sk ? sk : 1;
    }
    return k;
}

/* Cells of several values (first_of_several): the first is the record's value, and the others
   are kept beside it (engine_int.h oth: any value of one record agreeing with any of the
   other's is an exact agreement, model.c others_pass); a note per field counts them. */
enum { OTHERS_MAX = 8 }; /* values of one cell kept, the first included */
static void several_values(conflate_engine *eng)
{
    size_t nf = (size_t)eng->nf;
    uint32_t *first[CONFLATE_MAX_FEATURES] = {0};  /* per feature: a cell's raw id -> its first's */
    uint32_t *ostart[CONFLATE_MAX_FEATURES] = {0}; /* -> its others in olist (start, 1-based) */
    uint32_t *olist[CONFLATE_MAX_FEATURES] = {0};  /* the others, each run ended by a 0 */
    size_t recs[CONFLATE_MAX_FEATURES] = {0};
    char example[CONFLATE_MAX_FEATURES][48];
    for (int fi = 0; fi < eng->nf; fi++) {
        feature *f = &eng->f[fi];
        example[fi][0] = '\0';
        if (f->k != K_PHONE && f->k != K_EMAIL && f->k != K_ADDRESS && f->k != K_DATE && f->k != K_POSTCODE)
            continue;
        uint32_t nraw = f->raw.n;
        size_t olen = 0, ocap = 0, cells = 0;
        for (uint32_t v = 1; v <= nraw; v++) {
            size_t n = f->raw.len[v];
            if (first_of_several(f->k, conflate_strtab_str(&f->raw, v), n) >= n)
                continue;
            if (!first[fi]) {
                first[fi] = conflate_xcalloc((size_t)nraw + 1, sizeof *first[fi]);
                ostart[fi] = conflate_xcalloc((size_t)nraw + 1, sizeof *ostart[fi]);
            }
            if (!cells++) {
                const char *s = conflate_strtab_str(&f->raw, v);
                size_t e = 0;
                for (; e < n && e < 40; e++)
                    example[fi][e] = s[e] == '\n' || s[e] == '\r' ? ' ' : s[e];
                example[fi][e] = '\0';
            }
            uint32_t val[OTHERS_MAX];
            size_t k = values_of_cell(f, v, val, OTHERS_MAX);
            if (!k)
                continue;
            first[fi][v] = val[0];
            /* addresses: the first alone (an address's further values are most often its former
               ones, compared with no more than its postcode) */
            if (k < 2 || f->k == K_ADDRESS)
                continue;
            if (olen + k + 1 > ocap) {
                ocap = ocap ? ocap * 2 : 1024;
                while (olen + k + 1 > ocap)
                    ocap *= 2;
                olist[fi] = conflate_xrealloc(olist[fi], ocap * sizeof *olist[fi]);
            }
            ostart[fi][v] = (uint32_t)olen + 1;
            for (size_t i = 1; i < k; i++)
                olist[fi][olen++] = val[i];
            olist[fi][olen++] = 0;
        }
    }
    for (size_t r = 0; r < eng->n; r++) {
        uint32_t *vr = &eng->vals[r * nf];
        for (int fi = 0; fi < eng->nf; fi++) {
            uint32_t v = vr[fi];
            if (!first[fi] || !v || v > eng->f[fi].raw.n || !first[fi][v])
                continue;
            recs[fi]++;
            if (ostart[fi][v]) {
                if (!eng->oth_of) {
                    eng->oth_of = conflate_xcalloc(eng->n + 1, sizeof *eng->oth_of);
                    eng->oth_n = eng->n;
                }
                for (const uint32_t *o = olist[fi] + ostart[fi][v] - 1; *o; o++) {
                    if (eng->oth_len + 1 > eng->oth_cap) {
                        eng->oth_cap = eng->oth_cap ? eng->oth_cap * 2 : 1024;
                        eng->oth = conflate_xrealloc(eng->oth, eng->oth_cap * sizeof *eng->oth);
                    }
                    if (!eng->oth_of[r]) /* this record's first entry */
                        eng->oth_of[r] = (uint32_t)eng->oth_len + 1;
                    else /* the one before is no longer its last */
                        eng->oth[eng->oth_len - 1].last = 0;
                    eng->oth[eng->oth_len++] = (struct conflate_other){*o, (uint16_t)fi, 1};
                }
            }
            vr[fi] = first[fi][v];
        }
    }
    for (int fi = 0; fi < eng->nf; fi++) {
        if (first[fi]) {
            const feature *f = &eng->f[fi];
            conflate_msg(eng, CONFLATE_MSG_NOTE,
                         "column '%s' (%s): %zu records hold several values in one cell (e.g. '%s'): "
                         "%s (docs/conflate.md, \"Several values in a cell\")",
                         f->column, f->role, recs[fi], example[fi],
                         f->k == K_ADDRESS ? "the first is compared"
                                           : "the first is compared, and any of them agreeing is an exact agreement");
        }
        free(first[fi]);
        free(ostart[fi]);
        free(olist[fi]);
    }
}

/* An address written whole with its postcode at the end ("2 Chapel Wlk, Harehills, Leeds LS21
 * 2FW") in a record without a postcode of its own, beside inputs that compare one: the postcode
 * is taken out of the address into the record's postcode, and the address compared without it
 * (review 95 M2: a benefits extract with one free-text address was never better than "similar"
 * against a street line and a postcode, and its postcodes were never compared). Only a whole
 * UK postcode (outward and inward code) that ends the address is taken. Returns how many. */
static size_t postcodes_from_addresses(conflate_engine *eng)
{
    int A = feature_of_kind(eng, K_ADDRESS), P = feature_of_kind(eng, K_POSTCODE);
    if (A < 0 || P < 0)
        return 0;
    size_t nf = (size_t)eng->nf, moved = 0;
    for (size_t r = 0; r < eng->n; r++) {
        uint32_t *v = &eng->vals[r * nf];
        if (!v[A] || v[P])
            continue;
        const conflate_strtab *raw = &eng->f[A].raw;
        const char *s = conflate_strtab_str(raw, v[A]);
        size_t n = raw->len[v[A]];
        char pc[32];
        size_t cut = 0, k = trailing_postcode(s, n, pc, sizeof pc, &cut);
        if (!k || cut == 0)
            continue; /* an address that is a postcode alone stays as it is */
        while (cut > 0 && PSEP(s[cut - 1]))
            cut--;
        if (cut == 0)
            continue;
        char *keep = conflate_xmalloc(cut); /* s is in the table the address is interned to */
        memcpy(keep, s, cut);
        v[P] = conflate_strtab_intern(&eng->f[P].raw, pc, k, NULL);
        v[A] = conflate_strtab_intern(&eng->f[A].raw, keep, cut, NULL);
        free(keep);
        moved++;
    }
    return moved;
}

#undef PSEP

void conflate_normalise_all(conflate_engine *eng);
/* Whether a normalised name holds a letter of a script other than Latin (NAME_OTHER_SCRIPT):
   a character outside the Latin blocks, U+0000-036F (Latin-1, Latin Extended-A and -B, IPA,
   spacing modifier letters: Hausa's ɗ, Uzbek's oʻ), U+1D00-1EFF, U+2C60-2C7F, U+A720-A7FF and
   U+AB30-AB6F. A byte over 0x7F alone said so, and a Latin name the normaliser keeps a letter
   of (Gʻulom, Ɗanjuma) compared as missing against its ASCII spelling. */
static int other_script(const char *t, size_t n)
{
    const unsigned char *u = (const unsigned char *)t;
    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0xC0)
            continue;
        uint32_t cp;
        if (u[i] < 0xE0 && i + 1 < n)
            cp = (uint32_t)(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F);
        else if (u[i] < 0xF0 && i + 2 < n)
            cp = (uint32_t)(u[i] & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
        else
            return 1;
        if (!(cp < 0x0370 || (cp >= 0x1D00 && cp < 0x1F00) || (cp >= 0x2C60 && cp < 0x2C80) ||
              (cp >= 0xA720 && cp < 0xA800) || (cp >= 0xAB30 && cp < 0xAB70)))
            return 1;
    }
    return 0;
}

void conflate_normalise_all(conflate_engine *eng)
{
    /* the given names' counts are taken before any split: from the inputs' own columns */
    int F = -1, M = -1;
    for (int f = eng->nf - 1; f >= 0; f--) {
        F = eng->f[f].k == K_FIRST ? f : F;
        M = eng->f[f].k == K_MIDDLE ? f : M;
    }
    given_counts gcount;
    const given_counts *gc = given_count(eng, F, M, &gcount) ? &gcount : NULL;
    split_full_names(eng, gc);
    several_values(eng);
    size_t moved = postcodes_from_addresses(eng);
    if (moved)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%zu addresses end with a postcode and the record has none of its own: the "
                     "postcode taken out of the address into postcode (docs/conflate.md, \"Addresses\")",
                     moved);
    /* (the counts of first names alone serve the split of two given names even without any
       middle name in the inputs' own columns: the middle name feature may be a whole name's) */
    size_t gsplit = 0, reordered = F >= 0 && M >= 0 ? reorder_given(eng, &gcount, F, M, &gsplit) : 0;
    if (gsplit)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu first names of two given names or more (each a first "
                     "name other records give alone) read as the first name and middle names "
                     "(docs/conflate.md, \"Which given name is the first name\")",
                     eng->f[F].role, eng->f[F].column, gsplit);
    if (reordered)
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "%s (column '%s'): %zu first names of several words read with the last word "
                     "as the first name and the others as middle names (the first word a middle "
                     "name other records hold, the last a first name) (docs/conflate.md, \"Names "
                     "given whole\")",
                     eng->f[F].role, eng->f[F].column, reordered);
    given_free(&gcount);
    read_year_first_six(eng);
    read_month_first(eng);
    progress(eng, "normalise", 0, (uint64_t)eng->nf);
    /* one feature per task when there are enough features to share out; else the values
     * of each feature are shared out */
    if (eng->nf >= 2 * eng->threads)
        conflate_par(eng->threads, (size_t)eng->nf, 1, normalise_range, eng);
    else
        for (int f = 0; f < eng->nf; f++)
            normalise_feature(eng, f, eng->threads);
    free(eng->gen);
    eng->gen = NULL;
    for (int f = 0; f < eng->nf && !eng->gen; f++)
        if (eng->f[f].raw2gen)
            eng->gen = conflate_xcalloc(eng->n + 1, 1);
    free(eng->dslip);
    eng->dslip = NULL;
    eng->dslip_f = -1;
    for (int f = 0; f < eng->nf && eng->dslip_f < 0; f++)
        if (eng->f[f].k == K_DATE) {
            eng->dslip_f = f;
            if (eng->f[f].nslip)
                eng->dslip = conflate_xcalloc(eng->n + 1, sizeof *eng->dslip);
        }
    size_t nchunks = (eng->n + MAP_CHUNK - 1) / MAP_CHUNK;
    map_ctx mc = {eng, conflate_xcalloc(nchunks + 1, sizeof *mc.bad),
                  conflate_xcalloc(nchunks + 1, sizeof *mc.first)};
    conflate_par(eng->threads, eng->n, MAP_CHUNK, map_range, &mc);
    for (size_t i = 0; i < eng->oth_len; i++) /* a cell's further values, as its first's */
        eng->oth[i].v = eng->oth[i].v <= eng->f[eng->oth[i].f].raw.n ? eng->f[eng->oth[i].f].raw2norm[eng->oth[i].v] : 0;
    for (int f = 0; f < eng->nf; f++)
        for (size_t k = 0; k < nchunks; k++) { /* in record order: the first is the first */
            eng->f[f].unusable += mc.bad[k][f];
            if (!eng->f[f].unusable_first)
                eng->f[f].unusable_first = mc.first[k][f];
        }
    free(mc.bad);
    free(mc.first);
    conflate_par(eng->threads, (size_t)eng->nf, 1, count_range, eng);
    identity_frequencies(eng);
    conflate_par(eng->threads, (size_t)eng->nf, 1, build_entries, eng);
    /* first name <-> surname: the same text's id in the other feature's table */
    int fF = feature_of_kind(eng, K_FIRST), fS = feature_of_kind(eng, K_SUR);
    eng->first_other = fS;
    eng->sur_other = fF;
    eng->middle_f = -1;
    for (int fi = 0; fi < eng->nf && eng->middle_f < 0; fi++)
        if (eng->f[fi].k == K_MIDDLE)
            eng->middle_f = fi;
    eng->first_prefixed = 0;
    for (uint32_t v = 1; fF >= 0 && v <= eng->f[fF].norm.n && !eng->first_prefixed; v++)
        eng->first_prefixed = conflate_first_prefixed(conflate_strtab_str(&eng->f[fF].norm, v),
                                                      eng->f[fF].norm.len[v]);
    eng->addr_f = eng->postcode_f = eng->town_f = -1;
    for (int fi = 0; fi < eng->nf; fi++) {
        int *slot = eng->f[fi].k == K_ADDRESS ? &eng->addr_f : eng->f[fi].k == K_POSTCODE ? &eng->postcode_f
                    : eng->f[fi].k == K_TOWN                  ? &eng->town_f
                                                              : NULL;
        if (slot && *slot < 0)
            *slot = fi;
    }
    if (fF >= 0 && fS >= 0)
        for (int side = 0; side < 2; side++) {
            feature *a = &eng->f[side ? fS : fF];
            const feature *b = &eng->f[side ? fF : fS];
            a->xother = conflate_xcalloc((size_t)a->norm.n + 1, sizeof *a->xother);
            for (uint32_t v = 1; v <= a->norm.n; v++)
                a->xother[v] = conflate_strtab_find(&b->norm, conflate_strtab_str(&a->norm, v),
                                                    a->norm.len[v]);
        }
    /* known-as names: the same text among the first names, the canonical form's key */
    if (eng->known_of && fF >= 0) {
        uint32_t nk = eng->known.n;
        eng->known_fid = conflate_xcalloc((size_t)nk + 1, sizeof *eng->known_fid);
        eng->known_aux = conflate_xcalloc((size_t)nk + 1, sizeof *eng->known_aux);
        for (uint32_t v = 1; v <= nk; v++) {
            const char *t = conflate_strtab_str(&eng->known, v);
            size_t l = eng->known.len[v];
            cval cv;
            derive(K_FIRST, t, l, &cv);
            eng->known_aux[v] = cv.aux;
            eng->known_fid[v] = conflate_strtab_find(&eng->f[fF].norm, t, l);
        }
    }
    for (int fi = 0; fi < eng->nf; fi++) {
        feature *a = &eng->f[fi];
        if (a->k != K_FIRST && a->k != K_SUR && a->k != K_MIDDLE)
            continue;
        a->bag = conflate_xcalloc((size_t)a->norm.n + 1, sizeof *a->bag);
        a->fold = conflate_xcalloc((size_t)a->norm.n + 1, 1);
        for (uint32_t v = 1; v <= a->norm.n; v++) {
            const char *t = conflate_strtab_str(&a->norm, v);
            a->bag[v] = conflate_bag_sig(t, a->norm.len[v]);
            char tmp[128];
            int other = other_script(t, a->norm.len[v]),
                initials = a->k == K_FIRST && conflate_name_initials(t, a->norm.len[v]);
            a->fold[v] = (unsigned char)((conflate_name_fold_somali(t, a->norm.len[v], tmp, sizeof tmp) != 0) |
                                         (a->k == K_FIRST && is_kunya(t, a->norm.len[v]) ? NAME_KUNYA : 0) |
                                         (other ? NAME_OTHER_SCRIPT : 0) | (initials ? NAME_INITIALS : 0));
        }
    }
    report_columns(eng);
    progress(eng, "normalise", (uint64_t)eng->nf, (uint64_t)eng->nf);
}

/* ---- accessors ---------------------------------------------------------------------------- */

size_t conflate_record_count(const conflate_engine *eng) { return eng->n; }

const char *conflate_record_input(const conflate_engine *eng, size_t i)
{
    return i < eng->n ? eng->sources[eng->src[i]].name : NULL;
}

const char *conflate_record_id(const conflate_engine *eng, size_t i)
{
    return i < eng->n ? conflate_strtab_str(&eng->sources[eng->src[i]].ids, eng->local[i]) : NULL;
}

uint64_t conflate_record_cluster(const conflate_engine *eng, size_t i)
{
    return i < eng->n && eng->cluster ? eng->cluster[i] : 0;
}

size_t conflate_feature_count(const conflate_engine *eng) { return (size_t)eng->nf; }

const char *conflate_feature_role(const conflate_engine *eng, size_t f)
{
    return f < (size_t)eng->nf ? eng->f[f].role : NULL;
}

const char *conflate_feature_column(const conflate_engine *eng, size_t f)
{
    return f < (size_t)eng->nf ? eng->f[f].column : NULL;
}

const char *conflate_id_column(const conflate_engine *eng) { return eng->id_column_used; }

char conflate_input_delimiter(const conflate_engine *eng, size_t i)
{
    return i < eng->ninputs ? eng->in_delim[i] : 0;
}

int conflate_input_delimiter_how(const conflate_engine *eng, size_t i)
{
    return i < eng->ninputs ? eng->in_delim_how[i] : 0;
}

const char *conflate_input_column(const conflate_engine *eng, size_t i, size_t f)
{
    return i < eng->ninputs && f < (size_t)eng->nf ? eng->in_cols[i][f] : NULL;
}

const char *conflate_input_id_column(const conflate_engine *eng, size_t i)
{
    return i < eng->ninputs ? eng->in_cols[i][CONFLATE_MAX_FEATURES] : NULL;
}

void conflate_feature_counts(const conflate_engine *eng, size_t f, uint64_t *unusable,
                             uint64_t *placeholders)
{
    if (unusable)
        *unusable = f < (size_t)eng->nf ? eng->f[f].unusable : 0;
    if (placeholders)
        *placeholders = f < (size_t)eng->nf ? eng->f[f].ph_count : 0;
}

size_t conflate_skipped_count(const conflate_engine *eng) { return eng->nskips; }

void conflate_skipped_get(const conflate_engine *eng, size_t i, const char **input, size_t *line,
                          const char **why)
{
    *input = i < eng->nskips ? eng->skips[i].input : NULL;
    *line = i < eng->nskips ? eng->skips[i].line : 0;
    *why = i < eng->nskips ? eng->skips[i].why : NULL;
}

size_t conflate_pair_count(const conflate_engine *eng) { return eng->weight ? eng->npairs : 0; }

double conflate_pair_get(const conflate_engine *eng, size_t i, uint32_t *a, uint32_t *b,
                         unsigned *levels)
{
    const pair *p = &eng->pairs[i];
    if (a)
        *a = p->a;
    if (b)
        *b = p->b;
    if (levels)
        for (int f = 0; f < eng->nf; f++)
            levels[f] = pat_level(p->pat, f);
    return eng->weight[i];
}

int conflate_feature_levels(const conflate_engine *eng, size_t f)
{
    return f < (size_t)eng->nf ? eng->f[f].nlevels : 0;
}

void conflate_feature_model(const conflate_engine *eng, size_t f, int l, double *m, double *u,
                            double *w, double *u_random)
{
    const feature *ft = &eng->f[f];
    if (m)
        *m = ft->m[l];
    if (u)
        *u = ft->u[l];
    if (w)
        *w = ft->w[l];
    if (u_random)
        *u_random = ft->u0[l];
}

long conflate_find_record(const conflate_engine *eng, const char *input, const char *id)
{
    for (size_t s = 0; s < eng->nsources; s++) {
        if (input && strcmp(eng->sources[s].name, input))
            continue;
        uint32_t lid = conflate_strtab_find(&eng->sources[s].ids, id, strlen(id));
        if (lid)
            return (long)eng->sources[s].global[lid];
    }
    return -1;
}

void conflate_get_stats(const conflate_engine *eng, conflate_stats *out)
{
    memset(out, 0, sizeof *out);
    out->records = eng->n;
    out->inputs = eng->nsources;
    out->skipped_lines = eng->nskips;
    out->candidate_pairs = eng->npairs;
    out->possible_pairs = eng->possible;
    out->linked_pairs = eng->linked;
    out->clusters = eng->nclusters;
    out->guard_splits = eng->guard_splits;
    out->patterns = eng->npatterns;
    out->em_iterations = eng->em_iter;
    out->lambda = eng->lambda;
    out->seconds_read = eng->t_read;
    out->seconds_normalise = eng->t_norm;
    out->seconds_block = eng->t_block;
    out->seconds_score = eng->t_score;
    out->seconds_estimate = eng->t_est;
    out->seconds_cluster = eng->t_clu;
    out->cpu_read = eng->c_read;
    out->cpu_normalise = eng->c_norm;
    out->cpu_block = eng->c_block;
    out->cpu_score = eng->c_score;
    out->cpu_estimate = eng->c_est;
    out->cpu_cluster = eng->c_clu;
}

/* ---- run --------------------------------------------------------------------------------- */

iom_err conflate_set_settled(conflate_engine *eng, size_t i, uint32_t group, iom_error *e)
{
    if (eng->ran)
        return iom_fail(e, IOM_EUSAGE, "conflate_set_settled after conflate_run");
    if (i >= eng->n || group == 0)
        return iom_fail(e, IOM_EINVAL, "settled record %zu of %zu, group %u: out of range", i, eng->n,
                        (unsigned)group);
    if (!eng->settled) {
        eng->settled = conflate_xcalloc(eng->n + 1, sizeof *eng->settled);
        eng->settled_n = eng->n;
    }
    eng->settled[i] = group;
    if (group > eng->max_group)
        eng->max_group = group;
    return IOM_OK;
}

iom_err conflate_run(conflate_engine *eng, iom_error *e)
{
    if (eng->ran)
        return iom_fail(e, IOM_EUSAGE, "conflate_run called twice");
    if (eng->n == 0)
        return iom_fail(e, IOM_EINVAL, "no records to compare (inputs have only a header%s)",
                        eng->nskips ? " or every line was skipped" : "");
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        if (!ft->absent)
            continue;
        if (ft->absent >= eng->ninputs)
            return iom_fail(e, IOM_EINVAL, "--field %s=%s: no input has a column '%s' (columns of %s: "
                            "see its header)", ft->role, ft->column, ft->column, ft->absent_in);
        conflate_msg(eng, CONFLATE_MSG_NOTE,
                     "--field %s=%s: %s has no column '%s'%s: %s is missing in its records",
                     ft->role, ft->column, ft->absent_in, ft->column,
                     ft->absent > 1 ? " (nor do other inputs)" : "", ft->role);
    }
    /* an input that compares no name: its records can link by what else they share; said, so
       that a name column the mapping did not find is seen (review 126: `Officer Name`, `Name
       on ID`), once every input is read (review 128: read per input, the first input, and any
       read before another input had a name column, were never named) */
    for (size_t i = 0; i < eng->ninputs; i++) {
        int named = 0, anyname = 0;
        for (int f = 0; f < eng->nf; f++)
            if (eng->f[f].k == K_FIRST || eng->f[f].k == K_SUR || eng->f[f].k == K_FULL) {
                anyname = 1;
                named |= eng->in_cols[i][f] != NULL;
            }
        if (anyname && !named && eng->in_multi[i] && eng->in_path[i])
            conflate_msg(eng, CONFLATE_MSG_WARNING,
                         "%s: no column is compared as a name (first_name, surname or full_name): "
                         "its records link only by what else they share; name one with --field "
                         "full_name=COLUMN if it has names", eng->in_path[i]);
    }
    if (eng->notes_column && !eng->notes_inputs)
        return iom_fail(e, IOM_EINVAL, "--field %s=%s: no input has a column '%s'", NOTES_ROLE,
                        eng->notes_column, eng->notes_column);
    if (eng->age_column && !eng->age_inputs)
        return iom_fail(e, IOM_EINVAL, "--field %s=%s: no input has a column '%s'", AGE_ROLE,
                        eng->age_column, eng->age_column);
    if (eng->known_column && !eng->known_inputs)
        return iom_fail(e, IOM_EINVAL, "--field %s=%s: no input has a column '%s'", KNOWN_ROLE,
                        eng->known_column, eng->known_column);
    if (eng->recdate_column && !eng->recdate_inputs)
        return iom_fail(e, IOM_EINVAL, "--field %s=%s: no input has a column '%s'", RECDATE_ROLE,
                        eng->recdate_column, eng->recdate_column);
    eng->ran = 1;
    iom_err rc = conflate_constraints_resolve(eng, e);
    if (rc != IOM_OK)
        return rc;
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "read: %.2f s (cpu %.2f)", eng->t_read, eng->c_read);
    double t = conflate_now(), c = conflate_cpu_now();
#define PHASE_END(wall, cpu)                                                                      \
    do {                                                                                          \
        double t2 = conflate_now(), c2 = conflate_cpu_now();                                      \
        eng->wall = t2 - t;                                                                       \
        eng->cpu = c2 - c;                                                                        \
        t = t2;                                                                                   \
        c = c2;                                                                                   \
    } while (0)
    conflate_normalise_all(eng);
    PHASE_END(t_norm, c_norm);
    conflate_block(eng);
    PHASE_END(t_block, c_block);
    conflate_estimate(eng);
    PHASE_END(t_est, c_est);
    conflate_score(eng);
    PHASE_END(t_score, c_score);
    rc = conflate_cluster(eng, e);
    PHASE_END(t_clu, c_clu);
#undef PHASE_END
    return rc;
}
