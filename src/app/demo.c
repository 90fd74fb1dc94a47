#include "app/demo.h"

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
    {"admin", "toex", {"admin"}, "OFFICIAL"},
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
    {"nca-apmis", "nca", {"apmis"}, "OFFICIAL"},
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
    {"nca-sio",
     {"International trafficking group moving victims via Humber ports", "sexual", "nca",
      "nca-sio", "NCA-NTCG-2026-007", "OFFICIAL-SENSITIVE"}},
};

iom_err app_demo(iom_ctx *c, const char *password, app_demo_result *out)
{
    const char *saved_actor = c->actor_name;
    iom_err err = IOM_OK;
    out->users = out->threats = 0;
    out->admin = users[0].name;
    for (size_t i = 0; !err && i < sizeof users / sizeof users[0]; i++) {
        const demo_user *d = &users[i];
        app_user_input in = {.name = d->name, .agency = d->agency, .clearance = d->clearance,
                             .password = password};
        for (size_t k = 0; k < 3 && d->roles[k]; k++)
            in.roles[in.nroles++] = d->roles[k];
        iom_user_t u;
        c->actor_name = i == 0 ? NULL : users[0].name; /* the first is the bootstrap admin */
        err = app_user_add(c, &in, &u);
        out->users += !err;
    }
    for (size_t i = 0; !err && i < sizeof threats / sizeof threats[0]; i++) {
        iom_threat_t t;
        c->actor_name = threats[i].actor;
        err = app_threat_add(c, &threats[i].in, &t);
        out->threats += !err;
    }
    c->actor_name = saved_actor;
    return err;
}
