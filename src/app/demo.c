#include "app/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/apmis.h"
#include "app/analysis.h"
#include "app/picture.h"
#include "app/work.h"
#include "util/timefmt.h"

#include "app/tasking.h"
#include "app/threat.h"
#include "app/user.h"

typedef struct demo_user {
    const char *name;
    const char *agency;
    const char *roles[3];
    const char *clearance;
} demo_user;

#define OS "OFFICIAL-SENSITIVE"
static const demo_user users[] = {
    {"admin", "toex", {"admin"}, "OFFICIAL-SENSITIVE"},
    {"auditor", "nca", {"auditor"}, OS},
    /* Yorkshire and the Humber */
    {"west-yorkshire-spoc", "west-yorkshire", {"spoc"}, OS},
    {"west-yorkshire-sio", "west-yorkshire", {"sio", "customer"}, OS},
    {"south-yorkshire-spoc", "south-yorkshire", {"spoc"}, OS},
    {"south-yorkshire-sio", "south-yorkshire", {"sio"}, OS},
    {"yhrocu-gateway", "yhrocu", {"gateway"}, OS},
    {"yhrocu-ttcg", "yhrocu", {"ttcg"}, OS},
    {"yhrocu-sio", "yhrocu", {"sio"}, OS},
    /* North West */
    {"greater-manchester-spoc", "greater-manchester", {"spoc"}, OS},
    {"greater-manchester-sio", "greater-manchester", {"sio"}, OS},
    {"titan-gateway", "titan", {"gateway"}, OS},
    {"titan-ttcg", "titan", {"ttcg"}, OS},
    /* London: Gateway and TTCG roles held at the Met (domain.md §2) */
    {"met-spoc", "met", {"spoc"}, OS},
    {"met-sio", "met", {"sio"}, OS},
    {"met-gateway", "met", {"gateway"}, OS},
    {"met-ttcg", "met", {"ttcg"}, OS},
    /* TOEX */
    {"toex-manager", "toex", {"toex_manager"}, OS},
    {"toex-sia", "toex", {"sia"}, OS},
    {"toex-analyst", "toex", {"analyst"}, OS},
    {"toex-ido", "toex", {"ido"}, OS},
    {"toex-dia", "toex", {"dia"}, OS},
    {"toex-researcher", "toex", {"researcher"}, OS},
    /* National */
    {"nca-ftt", "nca", {"ftt"}, OS},
    {"nca-sio", "nca", {"sio"}, OS},
    {"nca-apmis", "nca", {"apmis"}, OS},
};

typedef struct demo_threat {
    const char *actor;
    app_threat_input in;
} demo_threat;

static const demo_threat threats[] = {
    {"west-yorkshire-spoc",
     {"Car wash labour exploitation network, Leeds and Bradford", "labour", "west-yorkshire",
      "west-yorkshire-sio", "WY-FTM-2026-041", "OFFICIAL-SENSITIVE"}},
    {"west-yorkshire-sio",
     {"County line 'Brady' supplying Wakefield from Merseyside", "criminal", "west-yorkshire",
      "west-yorkshire-sio", "WY-FTM-2026-052", "OFFICIAL"}},
    {"south-yorkshire-spoc",
     {"Online grooming of looked-after children, Sheffield", "cse", "south-yorkshire",
      "south-yorkshire-sio", "SY-TASK-0193", "OFFICIAL-SENSITIVE"}},
    {"greater-manchester-spoc",
     {"Sexual exploitation in pop-up brothels across the region", "sexual", "greater-manchester",
      "greater-manchester-sio", "GMP-TTCG-26-17", "OFFICIAL-SENSITIVE"}},
    {"greater-manchester-sio",
     {"Domestic servitude in multi-occupancy homes, Oldham", "domestic_servitude",
      "greater-manchester", "greater-manchester-sio", "GMP-TTCG-26-22", "OFFICIAL"}},
    {"met-spoc",
     {"Small-boat facilitation network with London safe houses", "oic", "met", "met-sio",
      "MPS-FTM-2026-310", "OFFICIAL-SENSITIVE"}},
    {"met-sio",
     {"Nail bar forced labour across East London", "labour", "met", "met-sio",
      "MPS-FTM-2026-318", "OFFICIAL"}},
    {"yhrocu-sio",
     {"International trafficking group moving victims via Humber ports", "sexual", "yhrocu",
      "yhrocu-sio", "YHROCU-RTCG-2026-007", "OFFICIAL-SENSITIVE"}},
    {"west-yorkshire-spoc",
     {"Cannabis farm gardeners trafficked from Vietnam, Huddersfield", "criminal", "west-yorkshire",
      "west-yorkshire-sio", "WY-FTM-2026-060", "OFFICIAL"}},
    {"south-yorkshire-spoc",
     {"Begging ring exploiting disabled adults, Doncaster", "labour", "south-yorkshire",
      "south-yorkshire-sio", "SY-TASK-0201", "OFFICIAL"}},
    {"greater-manchester-spoc",
     {"Sham marriage facilitation, Bolton", "oic", "greater-manchester",
      "greater-manchester-sio", "GMP-TTCG-26-31", "OFFICIAL"}},
    {"met-spoc",
     {"Child criminal exploitation in south London drug markets", "criminal", "met", "met-sio",
      "MPS-FTM-2026-333", "OFFICIAL-SENSITIVE"}},
    {"west-yorkshire-spoc",
     {"Recruitment agency debt bondage, Bradford textiles", "labour", "west-yorkshire",
      "west-yorkshire-sio", "WY-FTM-2026-066", "OFFICIAL"}},
    {"greater-manchester-spoc",
     {"Organ harvesting rumours linked to a travel agent, Salford", "organ_harvesting",
      "greater-manchester", "greater-manchester-sio", "GMP-TTCG-26-40", "OFFICIAL"}},
    {"met-spoc",
     {"Au pair domestic servitude, Barnet", "domestic_servitude", "met", "met-sio",
      "MPS-FTM-2026-351", "OFFICIAL"}},
    {"south-yorkshire-spoc",
     {"Cross-force county line into Rotherham and Barnsley", "criminal", "south-yorkshire",
      "south-yorkshire-sio", "SY-TASK-0219", "OFFICIAL-SENSITIVE"}},
};

/* ---- taskings in every state of domain.md §1 ------------------------------------------ */

typedef enum demo_route { ROUTE_REMAIN, ROUTE_TTCG, ROUTE_FTT } demo_route;

typedef struct demo_tasking {
    int threat;                  /* index into threats[] (SOC-00000N is threats[N-1]) */
    const char *spoc, *gateway, *ttcg;
    iom_tasking_state target;
    demo_route route;
    const char *new_owner, *new_sio; /* for a transfer accepted */
    const char *summary;
} demo_tasking;

static const demo_tasking taskings[] = {
    {0, "west-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_CLOSED, ROUTE_FTT, "nca",
     "nca-sio", "Map the controllers and money behind 14 hand car washes; victims from Romania."},
    {1, "west-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_IN_DEVELOPMENT, ROUTE_REMAIN,
     NULL, NULL, "Identify the line holders and the cuckooed addresses in Wakefield."},
    {2, "south-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_REASSESSMENT, ROUTE_REMAIN,
     NULL, NULL, "Link online accounts grooming children in care to offenders."},
    {3, "greater-manchester-spoc", "titan-gateway", "titan-ttcg", IOM_TS_TRANSFER_REQUESTED,
     ROUTE_TTCG, NULL, NULL, "Pop-up brothels moving weekly between North West towns."},
    {4, "greater-manchester-spoc", "titan-gateway", "titan-ttcg", IOM_TS_TOR_AGREED, ROUTE_REMAIN,
     NULL, NULL, "Workers held in houses in multiple occupation, Oldham."},
    {5, "met-spoc", "met-gateway", "met-ttcg", IOM_TS_ESCALATED_FTT, ROUTE_FTT, NULL, NULL,
     "Safe houses used by a small-boat facilitation network."},
    {6, "met-spoc", "met-gateway", "met-ttcg", IOM_TS_CLOSED, ROUTE_REMAIN, NULL, NULL,
     "Nail bar workers' passports held by the owners."},
    {7, "west-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_ACCEPTED, ROUTE_REMAIN, NULL,
     NULL, "Victims moved through Humber ports to Leeds addresses."},
    {8, "west-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_DRAFT, ROUTE_REMAIN, NULL,
     NULL, "Gardeners found at three cannabis farms; same phone numbers."},
    {9, "south-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_SUBMITTED, ROUTE_REMAIN,
     NULL, NULL, "Disabled adults placed to beg at the same pitches daily."},
    {10, "greater-manchester-spoc", "titan-gateway", "titan-ttcg", IOM_TS_RETURNED, ROUTE_REMAIN,
     NULL, NULL, "Registrar concerns about repeat witnesses at marriages."},
    {11, "met-spoc", "met-gateway", "met-ttcg", IOM_TS_FORWARDED, ROUTE_REMAIN, NULL, NULL,
     "Children recruited through music videos into drug markets."},
    {12, "west-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_REJECTED, ROUTE_REMAIN,
     NULL, NULL, "Agency charging recruitment fees repaid from wages."},
    {13, "greater-manchester-spoc", "titan-gateway", "titan-ttcg", IOM_TS_DECLINED, ROUTE_REMAIN,
     NULL, NULL, "Unverified reports about a travel agent."},
    {14, "met-spoc", "met-gateway", "met-ttcg", IOM_TS_WITHDRAWN, ROUTE_REMAIN, NULL, NULL,
     "Au pair unable to leave employer's home."},
    {15, "south-yorkshire-spoc", "yhrocu-gateway", "yhrocu-ttcg", IOM_TS_CLOSED, ROUTE_TTCG,
     "yhrocu", "yhrocu-sio", "Line running from Manchester into Rotherham and Barnsley."},
};

/* The demo's history spreads over the last weeks: each step moves the clock on. */
typedef struct demo_clock {
    int64_t t;
    int64_t limit;   /* never reaches the real present */
    uint64_t seed;
} demo_clock;

static int64_t demo_now(void *data)
{
    demo_clock *k = data;
    return k->t;
}

static void tick(demo_clock *k)
{
    k->seed = k->seed * 6364136223846793005ULL + 1442695040888963407ULL;
    k->t += 3600 * (2 + (int64_t)((k->seed >> 33) % 30)); /* 2 to 31 hours */
    if (k->t > k->limit)
        k->t = k->limit;
}

static void as(iom_ctx *c, demo_clock *k, const char *user);

/* The demo clock's day as YYYY-MM-DD. */
static const char *day_of(iom_ctx *c, const demo_clock *k)
{
    char buf[32];
    iom_time_utc(k->t, buf);
    return iom_arena_strndup(c->arena, buf, 10);
}

/* The UK day of the demo clock, moved by `days`, as YYYY-MM-DD: the dates people enter (a
   tasking meeting before the bid, a ToR from the day it is proposed: review 113 L4, L5). */
static const char *uk_day_plus(iom_ctx *c, const demo_clock *k, int days)
{
    char buf[32];
    int64_t day = 0;
    iom_time_uk(k->t, buf);
    buf[10] = '\0';
    iom_day_number(buf, &day);
    iom_time_utc((day + days) * 86400, buf);
    return iom_arena_strndup(c->arena, buf, 10);
}

/* Development work: contributions, graded intelligence recorded on PND, tactical options
   and the ToR's product (delivered when `finish`), each by the right TOEX user. */

/* ---- the picture of the first tasking (issue 16): three synthetic datasets ------------- */

static const char *const forenames[] = {"Adam", "Bogdan", "Cristina", "Daniel", "Elena", "Florin",
                                        "Gabriela", "Ionut", "Jana", "Karol", "Lucia", "Marek",
                                        "Nicoleta", "Ovidiu", "Petra", "Radu", "Simona", "Tomas",
                                        "Ursula", "Viorel"};
static const char *const surnames[] = {"Albu", "Balan", "Ciobanu", "Dobre", "Enache", "Florea",
                                       "Gheorghe", "Horvath", "Ionescu", "Jurca", "Kovac", "Lupu",
                                       "Moldovan", "Novak", "Oprea", "Popa", "Rusu", "Stan"};
static const char *const streets[] = {"Mill Lane", "Canal Street", "Park Road", "Church Lane",
                                      "Station Road", "Victoria Street", "Albert Road", "King Street"};
static const char *const towns[][2] = {{"Leeds", "LS"}, {"Bradford", "BD"}, {"Wakefield", "WF"},
                                       {"Halifax", "HX"}, {"Huddersfield", "HD"}};
static const char *const employers[] = {"Sparkle Hand Car Wash Ltd", "Northern Valet Services",
                                        "Kirkstall Auto Spa", "Bright Nails Leeds"};

/* Person i of the demo's population (all invented; phones in Ofcom's drama range). */
typedef struct demo_person {
    char first[24], last[24], dob[24], phone[24], address[64], postcode[24], vehicle[24];
    const char *employer;
} demo_person;

static void demo_person_of(int i, demo_person *p)
{
    snprintf(p->first, sizeof p->first, "%s", forenames[(i * 7) % 20]);
    snprintf(p->last, sizeof p->last, "%s", surnames[(i * 5 + i / 20) % 18]);
    snprintf(p->dob, sizeof p->dob, "%04d-%02d-%02d", 1960 + (i * 13) % 45, 1 + (i * 5) % 12, 1 + (i * 11) % 28);
    snprintf(p->phone, sizeof p->phone, "07700 900%03d", (i * 37) % 1000);
    int h = i / 3; /* three to a house */
    snprintf(p->address, sizeof p->address, "%d %s %s", 1 + h % 90, streets[h % 8], towns[h % 5][0]);
    snprintf(p->postcode, sizeof p->postcode, "%s%d %dA%c", towns[h % 5][1], 1 + h % 9, 1 + h % 9,
             'A' + h % 20);
    snprintf(p->vehicle, sizeof p->vehicle, "%s%02d%c%c%c", i % 2 ? "YX" : "YK", 10 + i % 60, 'A' + i % 23,
             'B' + i % 19, 'C' + i % 17);
    p->employer = employers[i % 4];
}

/* The three datasets: national (people 0-99), regional (60-159, names written whole, another
   phone format, employers and accounts), local (130-179 and some of the others again, with
   typing errors: the review queue). */
static char *demo_dataset(iom_arena *a, int level)
{
    iom_buf b = {0};
    demo_person p;
    if (level == 0) {
        iom_buf_puts(&b, "urn,forename,surname,dob,phone,address,postcode,vrm\n");
        for (int i = 0; i < 100; i++) {
            demo_person_of(i, &p);
            iom_buf_printf(&b, "PND%04d,%s,%s,%s,%s,%s,%s,%s\n", i, p.first, p.last, p.dob, p.phone,
                           p.address, p.postcode, i % 3 == 0 ? p.vehicle : "");
        }
    } else if (level == 1) {
        iom_buf_puts(&b, "nominal,name,born,mobile,sort_code,account,employer\n");
        for (int i = 60; i < 160; i++) {
            demo_person_of(i, &p);
            iom_buf_printf(&b, "ROCU-%d,%s %s,%s,+44 %s,%s,%08d,%s\n", 5000 + i, p.first, p.last, p.dob,
                           p.phone + 1, i % 4 == 0 ? "40-11-62" : "", i % 4 == 0 ? 31000000 + i * 7 : 0,
                           i % 5 == 0 ? "" : p.employer);
        }
    } else {
        iom_buf_puts(&b, "id,first,last,dob,address,postcode,stopped\n");
        for (int i = 130; i < 195; i++) {
            int who = i < 180 ? i : (i - 180) * 9 + 3; /* the last ones: people seen nationally */
            demo_person_of(who, &p);
            if (i >= 188) /* typing errors: a letter and the day of birth */
                p.last[1] = p.last[1] == 'a' ? 'e' : 'a', p.dob[9] = p.dob[9] == '1' ? '2' : '1';
            iom_buf_printf(&b, "L%d,%s,%s,%s,%s,%s,2026-%02d-%02d\n", i, p.first, p.last, p.dob, p.address,
                           p.postcode, 1 + i % 9, 1 + i % 27);
        }
    }
    char *s = iom_arena_strndup(a, b.data ? b.data : "", b.len);
    iom_buf_free(&b);
    return s;
}

/* ---- money and calls of the first tasking (issue 17; docs/analysis.md) ------------------ */

/* Person i's account as the regional dataset gives it (people 60-159 with i % 4 == 0). */
static void demo_account(int i, char out[32])
{
    snprintf(out, 32, "40-11-62 %08d", 31000000 + i * 7);
}

/* The statement: victims' wages (people 60-80) paid into two mule accounts (84, 92) that pass
   nearly all of it on within a day to the controller (88); a cycle controller -> an offshore
   account -> 96 -> controller; and 100 paying the controller four amounts just under
   GBP 10,000. Every amount in pence-free pounds. */
static char *demo_statement(iom_arena *a)
{
    iom_buf b = {0};
    char x[32], y[32];
    iom_buf_puts(&b, "date,from,to,amount,currency,reference\n");
    for (int m = 0; m < 2; m++) {
        int mule = m ? 92 : 84;
        demo_account(mule, y);
        for (int v = 0; v < 6; v++) {
            demo_account(60 + 4 * v + (m && v == 5 ? 40 : 0), x);
            iom_buf_printf(&b, "2026-08-%02dT09:%02d:00Z,%s,%s,1500.00,GBP,WAGES W%d\n", 1 + 7 * m, 10 + v, x, y, 40 + v);
        }
        demo_account(88, x);
        iom_buf_printf(&b, "2026-08-%02dT16:30:00Z,%s,%s,8650.00,GBP,TRANSFER\n", 2 + 7 * m, y, x);
    }
    demo_account(88, x);
    demo_account(96, y);
    iom_buf_printf(&b, "2026-08-12T10:00:00Z,%s,GB33 BUKB 2020 1555 5555 55,20000.00,GBP,INVOICE 311\n", x);
    iom_buf_printf(&b, "2026-08-15T11:00:00Z,GB33 BUKB 2020 1555 5555 55,%s,19500.00,GBP,CONSULTANCY\n", y);
    iom_buf_printf(&b, "2026-08-19T12:00:00Z,%s,%s,19000.00,GBP,LOAN REPAYMENT\n", y, x);
    demo_account(100, y);
    static const char *const under[] = {"9500.00", "9800.00", "9250.00", "9900.00"};
    for (int i = 0; i < 4; i++)
        iom_buf_printf(&b, "2026-08-%02d,%s,%s,%s,GBP,CASH DEPOSIT\n", 5 + 3 * i, y, x, under[i]);
    char *s = iom_arena_strndup(a, b.data ? b.data : "", b.len);
    iom_buf_free(&b);
    return s;
}

/* Call records: the two mules (84, 92) call the controller (88) and an unknown number
   ("Auntie") around the transfers; the controller calls the man at the offshore account's
   end (96). Evenings and mornings, UK time. */
static char *demo_calls(iom_arena *a)
{
    iom_buf b = {0};
    demo_person p[4];
    const int who[4] = {84, 92, 88, 96};
    for (int i = 0; i < 4; i++)
        demo_person_of(who[i], &p[i]);
    const char *auntie = "07700 900999";
    iom_buf_puts(&b, "caller,callee,start,duration,type,cell\n");
    for (int d = 0; d < 10; d++) {
        for (int m = 0; m < 2; m++) {
            iom_buf_printf(&b, "%s,%s,2026-08-%02dT%02d:%02d:00Z,%d,call,LDS-%03d\n", p[m].phone, p[2].phone, 1 + d,
                           7 + m, 5 * d, 60 + 17 * d, 100 + m);
            iom_buf_printf(&b, "%s,%s,2026-08-%02dT19:%02d:00Z,,sms,\n", p[m].phone, auntie, 1 + d, 3 * d + m);
        }
        if (d % 3 == 0)
            iom_buf_printf(&b, "%s,%s,2026-08-%02dT21:15:00Z,0:04:30,call,LDS-200\n", p[2].phone, p[3].phone, 2 + d);
    }
    char *s = iom_arena_strndup(a, b.data ? b.data : "", b.len);
    iom_buf_free(&b);
    return s;
}

static iom_err demo_money(iom_ctx *c, demo_clock *k, const char *ref)
{
    as(c, k, "toex-analyst");
    iom_aimport_t imp;
    app_aimport_input fi = {.tasking = ref, .kind = "finance", .data = demo_statement(c->arena)};
    fi.size = strlen(fi.data);
    iom_err err = app_analysis_import(c, &fi, 0, &imp, NULL);
    tick(k);
    if (err)
        return err;
    app_aimport_input ci = {.tasking = ref, .kind = "comms", .data = demo_calls(c->arena)};
    ci.size = strlen(ci.data);
    err = app_analysis_import(c, &ci, 0, &imp, NULL);
    tick(k);
    return err;
}

static iom_err demo_picture(iom_ctx *c, demo_clock *k, const char *ref, const char *item)
{
    static const char *const nat[] = {"id=urn", "first_name=forename", "surname=surname", "dob=dob",
                                      "phone=phone", "address=address", "postcode=postcode", "vehicle=vrm"};
    static const char *const reg[] = {"id=nominal", "full_name=name", "dob=born", "phone=mobile",
                                      "sort_code=sort_code", "account=account", "organisation=employer"};
    static const char *const loc[] = {"id=id", "first_name=first", "surname=last", "dob=dob",
                                      "address=address", "postcode=postcode", "date=stopped"};
    static const struct {
        const char *name, *level, *grade, *handling, *conditions;
        const char *const *fields;
        size_t n;
    } sets[] = {
        {"PND nominals extract", "national", "1B", "P", NULL, nat, 8},
        {"ROCU nominal index", "regional", "2B", "C", "Not to be shared outside the ROCU without the "
         "SIO's consent.", reg, 7},
        {"West Yorkshire stop checks", "local", "2C", "P", NULL, loc, 7},
    };
    iom_err err = IOM_OK;
    as(c, k, "toex-analyst");
    for (int i = 0; i < 3 && !err; i++) {
        app_dataset_input in = {.tasking = ref, .name = sets[i].name, .level = sets[i].level,
                                .grade = sets[i].grade, .handling = sets[i].handling,
                                .conditions = sets[i].conditions, .link_threshold = 0.99,
                                .review_threshold = 0.3};
        for (size_t f = 0; f < sets[i].n; f++)
            in.fields[in.nfields++] = sets[i].fields[f];
        in.data = demo_dataset(c->arena, i);
        in.size = strlen(in.data);
        app_import_result r;
        err = app_dataset_import(c, &in, 0, &r);
        tick(k);
    }
    if (err)
        return err;
    /* an intelligence-sourced link: the controller and a car wash */
    app_entity_view v;
    app_entity_input ei = {.tasking = ref, .type = "location", .label = "Sparkle Hand Car Wash, "
                           "Kirkstall Road", .item = item};
    if ((err = app_entity_add(c, &ei, &v)))
        return err;
    app_entity_query q = {.tasking = ref, .type = "person", .page = {NULL, 1}};
    app_entity_view *pv;
    size_t n;
    const char *next;
    app_link_view lv;
    if ((err = app_entity_list(c, &q, &pv, &n, &next)) || n == 0)
        return err ? err : iom_fail(&c->err, IOM_ESTORE, "demo: no person in the picture");
    if ((err = app_entity_link(c, pv[0].e.ref, v.e.ref, "controls", item, "0.8", 0, &lv)))
        return err;
    return demo_money(c, k, ref);
}

/* Another region's picture (issue 16 point 8): a Metropolitan Police tasking's nail bar
   referrals, one of whom (with his mobile) is also in the Leeds car wash picture: the import
   raises a deconfliction alert on both taskings (app/search.h). */
static iom_err demo_other_picture(iom_ctx *c, demo_clock *k, const char *ref)
{
    static const char *const fields[] = {"id=ref", "first_name=first", "surname=last", "dob=dob",
                                         "phone=phone", "address=address", "postcode=postcode"};
    demo_person p;
    demo_person_of(4, &p); /* PND0004 of the Leeds picture */
    char *csv = iom_arena_printf(c->arena,
                                 "ref,first,last,dob,phone,address,postcode\n"
                                 "MPS-NB-01,%s,%s,%s,%s,14 Green Street London,E7 8LH\n"
                                 "MPS-NB-02,Thi Lan,Nguyen,1996-04-12,020 7946 0311,14 Green Street London,E7 8LH\n"
                                 "MPS-NB-03,Van Minh,Tran,1989-10-03,020 7946 0312,22 Barking Road London,E6 1PW\n"
                                 "MPS-NB-04,Hoa,Pham,1999-01-27,020 7946 0313,22 Barking Road London,E6 1PW\n",
                                 p.first, p.last, p.dob, p.phone);
    app_dataset_input in = {.tasking = ref, .name = "Nail bar referrals", .level = "local", .grade = "2B",
                            .handling = "P", .data = csv, .size = strlen(csv)};
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
        in.fields[in.nfields++] = fields[f];
    as(c, k, "toex-analyst");
    app_import_result r;
    return app_dataset_import(c, &in, 0, &r);
}

static iom_err work(iom_ctx *c, demo_clock *k, const char *ref, const demo_tasking *d, bool finish)
{
    iom_err err;
    iom_contribution_t con;
    as(c, k, "toex-analyst");
    app_contribution_input ca = {day_of(c, k), "6.5", "Conflated force, ROCU and PND records; "
                                                      "built the association chart."};
    if ((err = app_contribution_add(c, ref, &ca, 0, &con)))
        return err;
    as(c, k, "toex-researcher");
    app_contribution_input cr = {day_of(c, k), "3", "Open-source research on the businesses."};
    if ((err = app_contribution_add(c, ref, &cr, 0, &con)))
        return err;
    iom_intel_t item;
    as(c, k, "toex-analyst");
    app_intel_input i1 = {.text = "Two vehicles registered to the suspected controller are seen at "
                                  "every site on pay day.",
                          .source = "ANPR and partner agency referral", .grade = "1B",
                          .handling = "P"};
    if ((err = app_intel_add(c, ref, &i1, 0, &item)))
        return err;
    char *first = iom_arena_strdup(c->arena, item.ref);
    if (d->threat == 0 && (err = demo_picture(c, k, ref, first)))
        return err;
    /* A MoPI review brought forward (docs/work.md "Review and disposal"): the SIA retains the
       item for a year, to look at it again once the tasking has run its course. */
    as(c, k, "toex-sia");
    char next[11];
    work_review_date(app_now(c), 1, next);
    app_intel_review_input rv = {"retain", next, "Central to the live tasking: review again in a "
                                                 "year, once the tasking has run its course."};
    iom_intel_review_t review;
    if ((err = app_intel_review(c, first, &rv, &review, NULL)))
        return err;
    if (d->threat == 6 && (err = demo_other_picture(c, k, ref)))
        return err;
    as(c, k, "toex-ido");
    app_intel_input i2 = {.text = "Victims say their passports are kept by a woman known as 'Auntie'.",
                          .source = "Safeguarding interviews", .grade = "2C", .handling = "C",
                          .conditions = "Not to be disclosed to the employer or housing provider."};
    if ((err = app_intel_add(c, ref, &i2, 0, &item)))
        return err;
    char *second = iom_arena_strdup(c->arena, item.ref);
    as(c, k, "toex-dia");
    app_intel_input i3 = {.legacy = "B24", .text = "Historic intelligence: the family ran labour "
                                                   "gangs in 2019.", .source = "Legacy force system"};
    if ((err = app_intel_add(c, ref, &i3, 0, &item)))
        return err;
    char *third = iom_arena_strdup(c->arena, item.ref);
    iom_option_t opt;
    as(c, k, "toex-sia");
    /* the agency that would act: the threat's owner, who sees the tasking and sets the options'
       status (review 100: every demo option named west-yorkshire, on the Met's and Greater
       Manchester's taskings too, an agency that cannot see them) */
    const char *acts = threats[d->threat].in.owner;
    app_option_input o1 = {"pursue", "Warrants at the two control addresses on a pay day.", acts};
    app_option_input o2 = {"protect", "Safeguarding reception with the NGO partner at each site.", acts};
    if ((err = app_option_add(c, ref, &o1, 0, &opt)))
        return err;
    char *opt1 = iom_arena_strdup(c->arena, opt.ref);
    if ((err = app_option_add(c, ref, &o2, 0, &opt)))
        return err;
    if (!finish)
        return IOM_OK;
    as(c, k, "toex-analyst");
    const char *day = day_of(c, k);
    if ((err = app_intel_pnd(c, first, "recorded", iom_arena_printf(c->arena, "PND/%s/%s", day, first),
                             day, NULL, 0, &item)) ||
        (err = app_intel_pnd(c, second, "recorded", iom_arena_printf(c->arena, "PND/%s/%s", day, second),
                             day, NULL, 0, &item)) ||
        (err = app_intel_pnd(c, third, "not_required", NULL, NULL,
                             "Already on PND from the legacy system.", 0, &item)))
        return err;
    as(c, k, "toex-sia");
    if ((err = app_option_set(c, opt1, "accepted", 0, 0, &opt)) ||
        (err = app_option_set(c, opt1, "actioned", 0, 0, &opt)))
        return err;
    /* The product document, given as bytes with a name of its own (it was a temporary file,
       whose random name became the product's file name: review 45) */
    const char *doc = "NETWORK ANALYSIS (demo)\nPrincipal subjects, associates, addresses, "
                      "vehicles and money flows.\n";
    iom_product_t prod;
    app_product_input pi = {.type = "network_analysis",
                            .data = (const unsigned char *)doc,
                            .size = strlen(doc),
                            .filename = iom_arena_printf(c->arena, "%s-network-analysis.txt", ref)};
    as(c, k, "toex-analyst");
    if ((err = app_product_add(c, ref, &pi, 0, &prod)))
        return err;
    as(c, k, "toex-sia");
    return app_product_deliver(c, prod.ref, 0, 0, &prod);
}

static const char tor_json[] =
    "{\"services\":[\"intel_development\",\"financial_intelligence\"],"
    "\"start_date\":\"%s\",\"end_date\":\"%s\","
    "\"milestones\":[{\"name\":\"Network mapped\",\"due\":\"%s\"}],"
    "\"products\":[{\"type\":\"network_analysis\",\"due\":\"%s\"}],"
    "\"objectives\":[\"Identify and evidence the controllers\",\"Safeguard the victims\"]}";

static const char assessment_national[] =
    "{\"harm\":{\"physical\":3,\"psychological\":4,\"financial\":3,\"community\":2,"
    "\"victim_vulnerability\":4},\"scale\":3,\"likelihood\":4,\"confidence\":\"high\","
    "\"capacity\":3,\"capability\":3,\"needs_national_capability\":true,"
    "\"needs_rocu_capability\":true}";
static const char assessment_regional[] =
    "{\"harm\":{\"physical\":2,\"psychological\":3,\"financial\":2,\"community\":2,"
    "\"victim_vulnerability\":3},\"scale\":2,\"likelihood\":4,\"confidence\":\"medium\","
    "\"capacity\":2,\"capability\":3,\"needs_national_capability\":false,"
    "\"needs_rocu_capability\":true}";
static const char assessment_remain[] =
    "{\"harm\":{\"physical\":1,\"psychological\":2,\"financial\":1,\"community\":1,"
    "\"victim_vulnerability\":2},\"scale\":1,\"likelihood\":3,\"confidence\":\"medium\","
    "\"capacity\":1,\"capability\":1,\"needs_national_capability\":false,"
    "\"needs_rocu_capability\":false}";

static void as(iom_ctx *c, demo_clock *k, const char *user)
{
    tick(k);
    c->actor_name = user;
}

static iom_err act(iom_ctx *c, demo_clock *k, const char *user, const char *ref,
                   iom_tasking_action a, const app_act_input *in)
{
    iom_tasking_t t;
    as(c, k, user);
    return app_tasking_act(c, ref, a, in, 0, &t);
}

/* Drives one tasking along its route until it reaches its target state. */
static iom_err drive(iom_ctx *c, demo_clock *k, const demo_tasking *d, const char *sio)
{
    iom_tasking_t t;
    char ref[32];
    iom_err err;
    char *threat_ref = iom_arena_printf(c->arena, "SOC-%06d", d->threat + 1);
    /* the force tasking meeting escalated the threat a few days before the bid */
    app_bid_input bid = {.threat = threat_ref, .ftm_date = uk_day_plus(c, k, -4),
                         .ftm_ref = threats[d->threat].in.force_tasking_ref,
                         .summary = d->summary, .known = "Intelligence from force systems and partner referrals.",
                         .requirements = {"Who organises and profits from the exploitation?",
                                          "Where are the victims housed and moved?"},
                         .nrequirements = 2,
                         .services = {"intel_development", "financial_intelligence"},
                         .nservices = 2,
                         .urgency = d->threat % 3 == 0 ? "priority" : "routine",
                         .timeline = "Within three months",
                         /* the force's own assessment: a bid carries one (domain.md §7) */
                         .has_assessment = true,
                         .assessment = {.harm = {3, 3, 2, 2, 3},
                                        .scale = d->route == ROUTE_FTT ? 3 : d->route == ROUTE_TTCG ? 2 : 1,
                                        .likelihood = 4, .confidence = IOM_CONFIDENCE_MEDIUM,
                                        .capacity = 2, .capability = 2}};
    as(c, k, d->spoc);
    if ((err = app_tasking_new(c, &bid, &t)))
        return err;
    snprintf(ref, sizeof ref, "%s", t.ref);
    iom_tasking_state target = d->target;
    if (target == IOM_TS_DRAFT)
        return IOM_OK;
    if (target == IOM_TS_WITHDRAWN) {
        app_act_input w = {.reason = "The force is pursuing this with local resources."};
        return act(c, k, d->spoc, ref, IOM_TA_WITHDRAW, &w);
    }
    if ((err = act(c, k, d->spoc, ref, IOM_TA_SUBMIT, NULL)) || target == IOM_TS_SUBMITTED)
        return err;
    if (target == IOM_TS_RETURNED) {
        app_act_input r = {.reason = "Please add the registrar referrals and dates of the marriages."};
        return act(c, k, d->gateway, ref, IOM_TA_RETURN, &r);
    }
    if (target == IOM_TS_REJECTED) {
        app_act_input r = {.reason = "A regulatory matter for the GLAA, not organised exploitation."};
        return act(c, k, d->gateway, ref, IOM_TA_REJECT, &r);
    }
    if ((err = act(c, k, d->gateway, ref, IOM_TA_FORWARD, NULL)) || target == IOM_TS_FORWARDED)
        return err;
    if (target == IOM_TS_DECLINED) {
        app_act_input r = {.reason = "Not enough to develop; refer back when corroborated."};
        return act(c, k, "toex-manager", ref, IOM_TA_DECLINE, &r);
    }
    app_act_input acc = {.sia = "toex-sia"};
    if ((err = act(c, k, "toex-manager", ref, IOM_TA_ACCEPT, &acc)))
        return err;
    /* from the day it is proposed: the network mapped in ten weeks, its analysis in six
       months, the support over eight */
    char *tor = iom_arena_printf(c->arena, tor_json, uk_day_plus(c, k, 0), uk_day_plus(c, k, 240),
                                 uk_day_plus(c, k, 70), uk_day_plus(c, k, 180));
    iom_tor_t tv;
    as(c, k, "toex-sia");
    if ((err = app_tor_propose(c, ref, tor, 0, &tv)))
        return err;
    if (target == IOM_TS_ACCEPTED)
        return IOM_OK;
    app_act_input agree = {.tor_version = tv.version};
    if ((err = act(c, k, "toex-sia", ref, IOM_TA_AGREE_TOR, &agree)) ||
        (err = act(c, k, sio, ref, IOM_TA_AGREE_TOR, &agree)))
        return err;
    as(c, k, "toex-sia");
    if ((err = app_tasking_assign(c, ref, "toex-analyst", true, 0, &t)))
        return err;
    as(c, k, "toex-manager");
    if ((err = app_tasking_assign(c, ref, "toex-researcher", true, 0, &t)) ||
        (err = app_tasking_assign(c, ref, "toex-ido", true, 0, &t)) ||
        (err = app_tasking_assign(c, ref, "toex-dia", true, 0, &t)) || target == IOM_TS_TOR_AGREED)
        return err;
    if ((err = act(c, k, "toex-sia", ref, IOM_TA_START, NULL)))
        return err;
    if ((err = work(c, k, ref, d, target != IOM_TS_IN_DEVELOPMENT)) || target == IOM_TS_IN_DEVELOPMENT)
        return err;
    if ((err = act(c, k, "toex-sia", ref, IOM_TA_COMPLETE, NULL)))
        return err;
    const char *assessment = d->route == ROUTE_FTT ? assessment_national
                             : d->route == ROUTE_TTCG ? assessment_regional : assessment_remain;
    iom_assessment_t a;
    as(c, k, "toex-sia");
    if ((err = app_tasking_reassess(c, ref, assessment, 0, &a)))
        return err;
    as(c, k, sio);
    if ((err = app_tasking_reassess(c, ref, assessment, 0, &a)) || target == IOM_TS_REASSESSMENT)
        return err;
    if (d->route == ROUTE_REMAIN)
        return act(c, k, sio, ref, IOM_TA_REMAIN, NULL);
    /* the SIO who holds the risk agrees to hand it on (its own act: domain.md §1), then the SIA
       requests the transfer */
    if ((err = act(c, k, sio, ref, IOM_TA_AGREE_TRANSFER, NULL)))
        return err;
    app_act_input rq = {.reason = "Reassessment recommends a new owner; the SIO has agreed to the transfer."};
    if ((err = act(c, k, "toex-sia", ref, IOM_TA_REQUEST_TRANSFER, &rq)) ||
        target == IOM_TS_TRANSFER_REQUESTED)
        return err;
    if (d->route == ROUTE_TTCG) {
        app_act_input dec = {.reason = "Regional reach: the ROCU takes ownership.", .accept = true,
                             .new_owner = d->new_owner, .new_sio = d->new_sio};
        return act(c, k, d->ttcg, ref, IOM_TA_DECIDE_TRANSFER, &dec);
    }
    app_act_input esc = {.reason = "Several regions and national capability needed."};
    if ((err = act(c, k, d->ttcg, ref, IOM_TA_ESCALATE, &esc)) || target == IOM_TS_ESCALATED_FTT)
        return err;
    app_act_input dec = {.reason = "National ownership agreed at the Federated Tasking Team.",
                         .accept = true, .new_owner = d->new_owner, .new_sio = d->new_sio};
    return act(c, k, "nca-ftt", ref, IOM_TA_DECIDE_TRANSFER, &dec);
}

iom_err app_demo(iom_ctx *c, const char *password, app_demo_result *out)

{
    const char *saved_actor = c->actor_name;
    iom_err err = IOM_OK;
    out->users = out->threats = out->taskings = out->disruptions = 0;
    /* The whole scenario runs on a clock of the demo's own over the last months, never
       reaching the present: users first, then the threats, then each tasking starting
       three days after the previous one. */
    int64_t now = app_now(c);
    demo_clock k = {.t = now - 120 * 86400, .limit = now - 3600, .seed = 20261125};
    iom_clock_fn saved_clock = c->clock;
    void *saved_data = c->clock_data;
    c->clock = demo_now;
    c->clock_data = &k;
    out->admin = users[0].name;
    for (size_t i = 0; !err && i < sizeof users / sizeof users[0]; i++) {
        const demo_user *d = &users[i];
        app_user_input in = {.name = d->name, .agency = d->agency, .clearance = d->clearance,
                             .password = password, .own_password = true};
        for (size_t r = 0; r < 3 && d->roles[r]; r++)
            in.roles[in.nroles++] = d->roles[r];
        iom_user_t u;
        c->actor_name = i == 0 ? NULL : users[0].name; /* the first is the bootstrap admin */
        err = app_user_add(c, &in, &u);
        out->users += !err;
    }
    for (size_t i = 0; !err && i < sizeof threats / sizeof threats[0]; i++) {
        iom_threat_t t;
        c->actor_name = threats[i].actor;
        k.t += 3600;
        err = app_threat_add(c, &threats[i].in, &t);
        out->threats += !err;
    }
    for (size_t i = 0; !err && i < sizeof taskings / sizeof taskings[0]; i++) {
        k.t = now - (100 - 3 * (int64_t)i) * 86400;
        err = drive(c, &k, &taskings[i], threats[taskings[i].threat].in.sio);
        out->taskings += !err;
    }
    /* APMIS disruptions, TOEX among the capabilities where it helped (domain.md §9). */
    static const struct {
        const char *threat, *impact, *type, *lead, *cap1, *cap2;
        int64_t arrests, safeguarded, pence;
        const char *strand, *narrative;
        int days_ago;
    } disruptions[] = {
        {"SOC-000001", "major", "arrest", "nca", "toex", "west-yorkshire", 6, 14, 4250000, "pursue",
         "Warrants at two control addresses; six arrested for modern slavery offences; fourteen "
         "victims safeguarded.", 9},
        {"SOC-000001", "moderate", "asset_freeze", "nca", "toex", NULL, 0, 0, 18000000, "pursue",
         "Account freezing orders on the controllers' accounts.", 4},
        {"SOC-000007", "minor", "victims_safeguarded", "met", "toex", NULL, 0, 3, 0, "protect",
         "Three nail bar workers moved to safe accommodation.", 20},
        {"SOC-000016", "moderate", "charge", "yhrocu", "toex", "south-yorkshire", 4, 2, 0, "pursue",
         "Four line holders charged with conspiracy to supply and s.45 offences.", 12},
        {"SOC-000002", "minor", "seizure", "west-yorkshire", NULL, NULL, 1, 0, 320000, "pursue",
         "Cash and drugs seized at a cuckooed address.", 6},
    };
    for (size_t i = 0; !err && i < sizeof disruptions / sizeof disruptions[0]; i++) {
        k.t = now - disruptions[i].days_ago * 86400;
        c->actor_name = "nca-apmis";
        char day[32];
        iom_time_utc(k.t, day);
        day[10] = '\0';
        apmis_input in = {.threat = disruptions[i].threat, .date = day, .impact = disruptions[i].impact,
                          .type = disruptions[i].type, .lead = disruptions[i].lead,
                          .arrests = disruptions[i].arrests, .safeguarded = disruptions[i].safeguarded,
                          .seized_pence = disruptions[i].pence, .strand = disruptions[i].strand,
                          .narrative = disruptions[i].narrative};
        if (disruptions[i].cap1)
            in.capabilities[in.ncapabilities++] = disruptions[i].cap1;
        if (disruptions[i].cap2)
            in.capabilities[in.ncapabilities++] = disruptions[i].cap2;
        iom_apmis_t rec;
        err = app_apmis_record(c, &in, &rec);
        out->disruptions += !err;
    }
    c->clock = saved_clock;
    c->clock_data = saved_data;
    c->actor_name = saved_actor;
    return err;
}
