/*
 * export_fixture.c: the hostile chart of export_fixture.h.
 */
#include "export_fixture.h"

#include <string.h>

#define COND_A "Not to be disclosed outside <Op> & \"partners\"\nwithout the SIO's consent"
#define COND_B "Handling: SIO only; no onward sharing"
#define COND_C "Link-only condition: not for use in court"

const char tx_title[] = "Op \"Nightjar\" <b>&amp; 'x'\t\x01\xc0\xaf end\nline 2";

/* raw, xml, utf8 */
static const char *const table[][3] = {
    {"Bob\x01\x02 bell\x07 \xff\xfe invalid",
     "Bob\xEF\xBF\xBD\xEF\xBF\xBD bell\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD invalid",
     "Bob\x01\x02 bell\x07 \xEF\xBF\xBD\xEF\xBF\xBD invalid"},
    {tx_title,
     "Op \"Nightjar\" <b>&amp; 'x'\t\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end\nline 2",
     "Op \"Nightjar\" <b>&amp; 'x'\t\x01\xEF\xBF\xBD\xEF\xBF\xBD end\nline 2"},
    {"nonchar \xEF\xBF\xBF here\x1b[0m",
     "nonchar \xEF\xBF\xBD here\xEF\xBF\xBD[0m",
     "nonchar \xEF\xBF\xBF here\x1b[0m"},
    {"\xF0\x9F\x93\xB1 user\xE2\x84\xA2 cut short \xE2\x82",
     "\xF0\x9F\x93\xB1 user\xE2\x84\xA2 cut short \xEF\xBF\xBD\xEF\xBF\xBD",
     "\xF0\x9F\x93\xB1 user\xE2\x84\xA2 cut short \xEF\xBF\xBD\xEF\xBF\xBD"},
};

const char *tx_xml(const char *raw)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i][0], raw) == 0)
            return table[i][1];
    return raw;
}

const char *tx_utf8(const char *raw)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i][0], raw) == 0)
            return table[i][2];
    return raw;
}

const char *const tx_conditions[] = {COND_A, COND_B, COND_C};
const size_t tx_nconditions = 3;

static const export_attr a_alice[] = {
    {"date_of_birth", "1990-02-03"},
    {"nickname", "=HYPERLINK(\"http://evil.example/\",\"click\")"},
    {"First seen", "a key that is one of ours"},
    {"label", "also ours in GraphML"},
};
static const export_attr a_bob[] = {
    {"note", "nonchar \xEF\xBF\xBF here\x1b[0m"},
    {"key <with> \"quotes\" & 'amp'", "value, with \"commas\"\r\nand CRLF"},
};
static const export_attr a_pays[] = {
    {"amount", "\xC2\xA3" "1,000"},
    {"id", "a key igraph uses"},
    {"transactions", "3", true},
    {"amount_GBP", "1500.50", true},
};
/* "transactions" is a number on L4 and text here: the key is text in ANX and GraphML */
static const export_attr a_phone_mixed[] = {{"format", "+44 mobile"}, {"transactions", "n/a"}};

#define G(s, a, h, c) {.source = s, .assessment = a, .handling = h, .conditions = c}

/* each source graded and dated (an ANX Card per source with its own indices, review 87 M3) */
static const export_source s_alice[] = {
    {EXPORT_SOURCE_DATASET_ROW, "NAT-PNC-2026-01 row 17", G('1', 'A', 'P', NULL), "2024-01-15"},
    {EXPORT_SOURCE_INTEL_ITEM, "INT-2026-000123", G('2', 'D', 'C', "Source's own <condition>"), "2024-03-05"},
};
static const export_source s_bob[] = {{EXPORT_SOURCE_DATASET_ROW, "REG-NW <&> \"row\" 4"}};
static const export_source s_phone[] = {{EXPORT_SOURCE_DATASET_ROW, "LOC-CAD row 9"}};
static const export_source s_addr[] = {
    {EXPORT_SOURCE_DATASET_ROW, "LOC-CAD row 10"},
    {EXPORT_SOURCE_DATASET_ROW, "NAT-PNC-2026-01 row 18"},
};
static const export_source s_item[] = {{EXPORT_SOURCE_INTEL_ITEM, "INT-2026-000124"}};

static const export_entity entities[] = {
    {"E1", EXPORT_PERSON,
     {.label = "Alice \"Ali\" <Smith> & Co's", .attrs = a_alice, .nattrs = 4,
      .first_seen = "2024-01-15", .last_seen = "2025-03-01", .confidence = 0.97,
      .grade = G('1', 'A', 'P', NULL), .marking = IOM_MARKING_OFFICIAL, .sources = s_alice,
      .nsources = 2}},
    {"E2", EXPORT_PERSON,
     {.label = "Bob\x01\x02 bell\x07 \xff\xfe invalid", .attrs = a_bob, .nattrs = 2,
      .first_seen = "2023-11-30", .confidence = 0.8125, .grade = G('2', 'B', 'C', COND_A),
      .marking = IOM_MARKING_OFFICIAL_SENSITIVE, .sources = s_bob, .nsources = 1}},
    {"E3", EXPORT_PHONE,
     {.label = "+44 7700 900123", .attrs = a_phone_mixed, .nattrs = 2, .confidence = 0.4,
      .grade = G('3', 'E', 'P', NULL), .marking = IOM_MARKING_OFFICIAL, .sources = s_phone,
      .nsources = 1}},
    {"E4", EXPORT_ADDRESS,
     {.label = "-1 Main St, Leeds\r\nLS1 1AA", .first_seen = "2022-02-28",
      .last_seen = "2022-02-28", .confidence = 1, .grade = G('1', 'C', 'C', COND_B),
      .marking = IOM_MARKING_OFFICIAL, .sources = s_addr, .nsources = 2}},
    {"E5", EXPORT_VEHICLE,
     {.label = "@AB12 CDE", .confidence = 0.5, .grade = G('2', 'D', 'P', NULL),
      .marking = IOM_MARKING_OFFICIAL, .sources = s_phone, .nsources = 1}},
    {"E6 \xF0\x9F\x93\xB1", EXPORT_ONLINE_IDENTITY,
     {.label = "\xF0\x9F\x93\xB1 user\xE2\x84\xA2 cut short \xE2\x82", .confidence = 0.66,
      .grade = G('2', 'E', 'C', COND_A), .marking = IOM_MARKING_OFFICIAL,
      .sources = s_item, .nsources = 1}},
    {"E7", EXPORT_ACCOUNT,
     {.label = "12-34-56 12345678", .confidence = 0.99, .grade = G('1', 'B', 'P', NULL),
      .marking = IOM_MARKING_OFFICIAL}},
};

static const export_link links[] = {
    {"L1", "E1", "E2", "associate", false,
     {.label = "associate", .first_seen = "2024-02-01", .last_seen = "2024-06-30",
      .confidence = 0.9, .grade = G('2', 'A', 'P', NULL), .marking = IOM_MARKING_OFFICIAL,
      .sources = s_item, .nsources = 1}},
    {"L2", "E1", "E3", "uses_phone", true,
     {.label = "uses phone", .confidence = 0.6, .grade = G('1', 'B', 'C', COND_C),
      .marking = IOM_MARKING_OFFICIAL_SENSITIVE, .sources = s_phone, .nsources = 1}},
    {"L3", "E2", "E4", "lives_at", true,
     {.label = "lives \"at\" <here> & 'there'", .first_seen = "2021-01-01", .time = "23:59:07", .confidence = 0.2,
      .grade = G('3', 'C', 'P', NULL), .marking = IOM_MARKING_OFFICIAL, .sources = s_addr,
      .nsources = 2}},
    {"L4", "E1", "E2", "pays", true,
     {.label = "pays", .attrs = a_pays, .nattrs = 4, .first_seen = "2024-03-05",
      .last_seen = "2024-03-05", .confidence = 0.75, .grade = G('2', 'C', 'C', COND_B),
      .marking = IOM_MARKING_OFFICIAL, .sources = s_alice, .nsources = 2}},
    {"L5", "E6 \xF0\x9F\x93\xB1", "E6 \xF0\x9F\x93\xB1", "controls", false,
     {.label = "", .confidence = 0.3, .grade = G('3', 'D', 'P', NULL),
      .marking = IOM_MARKING_OFFICIAL}},
};

static const export_chart chart = {
    .tasking_ref = "OP-2026-0042",
    .title = tx_title,
    .generated_at = 1795000000, /* 2026-11-18T11:06:40Z */
    .marking = IOM_MARKING_OFFICIAL,
    .entities = entities,
    .nentities = sizeof entities / sizeof *entities,
    .links = links,
    .nlinks = sizeof links / sizeof *links,
};

const export_chart *tx_chart(void) { return &chart; }

static const export_entity plain_entities[] = {
    {"P1", EXPORT_ORGANISATION,
     {.label = "Acme Ltd", .confidence = 1, .grade = G('1', 'A', 'P', NULL),
      .marking = IOM_MARKING_OFFICIAL}},
    {"P2", EXPORT_EVENT,
     {.label = "Meeting", .first_seen = "2025-05-05", .confidence = 0.5,
      .grade = G('2', 'B', 'P', NULL), .marking = IOM_MARKING_OFFICIAL}},
    {"P3", EXPORT_LOCATION,
     {.label = "Car park", .confidence = 0.5, .grade = G('2', 'B', 'P', NULL),
      .marking = IOM_MARKING_OFFICIAL}},
};
static const export_link plain_links[] = {
    {"Q1", "P1", "P2", "attended", false,
     {.label = "attended", .confidence = 0.5, .grade = G('2', 'B', 'P', NULL),
      .marking = IOM_MARKING_OFFICIAL}},
};
static const export_chart plain = {
    .tasking_ref = "OP-2026-0007",
    .title = "Plain",
    .generated_at = 1795000000,
    .marking = IOM_MARKING_OFFICIAL,
    .entities = plain_entities,
    .nentities = 3,
    .links = plain_links,
    .nlinks = 1,
};

const export_chart *tx_chart_plain(void) { return &plain; }
