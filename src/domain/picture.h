/*
 * picture.h: the rules of a tasking's intelligence picture (issue 16; docs/picture.md):
 * entity and link types, the roles a dataset's columns can play, the normalised identifiers
 * that make identifier entities (telephone numbers, registration marks, bank accounts, e-mail
 * addresses, postcodes), and how the grades and markings of several sources combine.
 *
 * Pure: no I/O, no allocation. Output strings go into the caller's buffers.
 * Errors: IOM_EINVAL with a message naming the field, the value and the rule.
 */
#ifndef IOM_DOMAIN_PICTURE_H
#define IOM_DOMAIN_PICTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/grade.h"
#include "domain/lifecycle.h"
#include "domain/ref.h"
#include "util/err.h"

/* Entity types. Order is stable: the words are stored. */
typedef enum picture_entity_type {
    PIC_PERSON,
    PIC_ORGANISATION,
    PIC_ADDRESS,
    PIC_PHONE,
    PIC_VEHICLE,
    PIC_ACCOUNT,
    PIC_LOCATION,
    PIC_ONLINE_IDENTITY,
    PIC_EVENT,
    PIC_ENTITY_TYPE_COUNT
} picture_entity_type;

/* Link types. Order is stable: the words are stored. */
typedef enum picture_link_type {
    PIC_ASSOCIATE,     /* undirected */
    PIC_FAMILY,        /* undirected */
    PIC_EMPLOYS,       /* organisation -> person */
    PIC_LIVES_AT,      /* person -> address */
    PIC_USES_PHONE,    /* person -> phone */
    PIC_USES,          /* person -> online identity (e-mail, online identity) */
    PIC_USES_VEHICLE,  /* person -> vehicle */
    PIC_HOLDS_ACCOUNT, /* person -> account */
    PIC_PAYS,          /* directed: payer -> payee */
    PIC_CONTROLS,      /* directed: controller -> controlled */
    PIC_TRAVELS_WITH,  /* undirected */
    PIC_VICTIM_OF,     /* directed: victim -> offender or event */
    PIC_EXPLOITS,      /* directed: exploiter -> exploited */
    PIC_LOCATED_AT,    /* directed: anything -> location or address */
    PIC_ATTENDED,      /* directed: person -> event */
    PIC_CONTACTS,      /* undirected: phone -- phone in contact (call data records) */
    PIC_LINK_TYPE_COUNT
} picture_link_type;

const char *picture_entity_type_name(picture_entity_type t);
iom_err picture_entity_type_parse(const char *s, picture_entity_type *out, iom_error *e);
const char *picture_link_type_name(picture_link_type t);
iom_err picture_link_type_parse(const char *s, picture_link_type *out, iom_error *e);
/* Whether links of type t have a direction (from -> to); the others are symmetric. */
bool picture_link_directed(picture_link_type t);
/* The entity types a link of type t joins (review 87 M2: a person `pays` an address, an
   address `lives_at` a phone were accepted): from -> to for a directed type, either way round
   for an undirected one. IOM_EINVAL naming the two types and those the link type joins. The
   links a dataset's roles, a transactions or a call-records import make are all allowed. */
iom_err picture_link_allowed(picture_link_type t, picture_entity_type from, picture_entity_type to, iom_error *e);

/* Dataset levels (issue 16: national, regional, local). */
typedef enum picture_level { PIC_NATIONAL, PIC_REGIONAL, PIC_LOCAL, PIC_LEVEL_COUNT } picture_level;
const char *picture_level_name(picture_level l);
iom_err picture_level_parse(const char *s, picture_level *out, iom_error *e);

/* The roles a dataset's column can play (`--field ROLE=COLUMN`). The person roles are
   compared by the conflation engine; the identifier roles also make entities of their own and
   a link from the person (PIC_ROLE_LINK). `id` names the record's own identifier, `date` the
   date the record was made (first and last seen). Order is stable. */
typedef enum picture_role {
    PIC_R_ID,
    PIC_R_FIRST_NAME,
    PIC_R_MIDDLE_NAME,
    PIC_R_SURNAME,
    PIC_R_FULL_NAME,
    PIC_R_DOB,
    PIC_R_SEX,
    PIC_R_NI_NUMBER,
    PIC_R_PNC_ID,
    PIC_R_ADDRESS,
    PIC_R_POSTCODE,
    PIC_R_TOWN,
    PIC_R_PHONE,
    PIC_R_EMAIL,
    PIC_R_ONLINE_ID,
    PIC_R_VEHICLE,
    PIC_R_SORT_CODE,
    PIC_R_ACCOUNT,
    PIC_R_ORGANISATION,
    PIC_R_DATE,
    PIC_R_AGE, /* an age at the record's date: an estimated date of birth for the comparison */
    PIC_ROLE_COUNT
} picture_role;

const char *picture_role_name(picture_role r);
/* IOM_EINVAL "field: unknown role 'X' (roles: ...)" for anything else. */
iom_err picture_role_parse(const char *s, picture_role *out, iom_error *e);

/* What a role makes besides the person: the entity type and the link (person -> it, or for
   an organisation, it -> person); false for the person's own roles (and postcode, town,
   sort code and date, which qualify another role). */
bool picture_role_entity(picture_role r, picture_entity_type *type, picture_link_type *link);

/* Who may change a tasking's picture (issue 16), once the actor may do the tasking's work
   steps at all (lifecycle record_intel: the assigned TOEX staff and the SIA, in tor_agreed,
   in_development and reassessment): in in_development, all of them; in tor_agreed and
   reassessment only the tasking's SIA (`sia`). IOM_EFORBIDDEN naming the state and who may;
   IOM_ECONFLICT in any other state. */
iom_err picture_may_write(iom_tasking_state st, bool sia, iom_error *e);

/* The most bytes a mapped cell of a dataset may hold: its value becomes a label, a search
   document and a line of every export (a name, an address, a number; a hand-made label is at
   most 200). A dataset with a longer value is refused, naming the line and column. */
#define PIC_CELL_MAX 1000

/* ---- normalised identifiers (keys of identifier entities, search terms) --------------- */

#define PIC_KEY_MAX 256

/* A UK telephone number in any usual format ("020 7946 0958", "(020) 7946-0958",
   "+44 (0)20 7946 0958", "0044 20 7946 0958", "447700900123") to E.164 ("+442079460958");
   another country's number given with + or 00 is kept as +digits (8-15 digits). */
iom_err picture_norm_phone(const char *in, char out[PIC_KEY_MAX], iom_error *e);
/* A registration mark: letters and digits only, upper case ("ab12 cde" -> "AB12CDE"),
   2-8 characters. */
iom_err picture_norm_vehicle(const char *in, char out[PIC_KEY_MAX], iom_error *e);
/* A bank account by sort code and number: "11-22-33" and "12345678" -> "112233-12345678"
   (6-digit sort code; 6-10 digit account number, 6 and 7 digit numbers padded to 8 with
   leading zeros as UK banks do). */
iom_err picture_norm_account(const char *sort_code, const char *number, char out[PIC_KEY_MAX],
                             iom_error *e);
/* An e-mail address: trimmed, lower case, one '@' with a dotted domain. */
iom_err picture_norm_email(const char *in, char out[PIC_KEY_MAX], iom_error *e);
/* A UK postcode: upper case, one space before the inward code ("ls11aa" -> "LS1 1AA").
   Shape: outward code of 2-4 (letter first), inward code digit letter letter. */
iom_err picture_norm_postcode(const char *in, char out[PIC_KEY_MAX], iom_error *e);
/* Free text (an address, an organisation's name, an online identity): upper case letters and
   digits, runs of anything else as one space, trimmed. Empty text is IOM_EINVAL. */
iom_err picture_norm_text(const char *field, const char *in, char out[PIC_KEY_MAX], iom_error *e);

/* ---- combining sources ----------------------------------------------------------------- */

/*
 * The grade of something supported by n >= 1 sources, per axis (issue 16): the worst source
 * evaluation (1 best, 3 worst), the worst intelligence assessment (A best, E worst), and
 * handling C when any source is C, with the conditions of every C source (distinct, in the
 * order given, joined by "; ") written into cond (cap bytes; cut short at a whole condition
 * with "; ..." when it does not fit). out->conditions points at cond for C, NULL for P.
 * IOM_EINVAL when n is 0 or a source's grade is invalid (grade_check).
 */
iom_err picture_grade_combine(const iom_grade *src, size_t n, char *cond, size_t cap,
                              iom_grade *out, iom_error *e);

/* The most restrictive marking of n sources (OFFICIAL when n is 0). */
iom_marking picture_marking_combine(const iom_marking *m, size_t n);

/* Sources by their markings as a bit mask (1 << marking; store owner_markings).
   picture_cleared_for_all: a reader of this clearance may see every one of them (a change
   that deletes or moves them is theirs to make: review 87 H1, a change never removes or
   alters a source its actor cannot see). picture_sees_some: they may see at least one (the
   entity or link is visible to them). */
bool picture_cleared_for_all(iom_marking clearance, unsigned mask);
bool picture_sees_some(iom_marking clearance, unsigned mask);

#endif
