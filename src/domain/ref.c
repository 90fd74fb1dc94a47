#include "domain/ref.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[IOM_ROLE_COUNT] = {
    "spoc", "sio", "customer", "gateway", "toex_manager", "sia", "analyst", "ido",
    "dia", "researcher", "ttcg", "ftt", "apmis", "auditor", "admin",
};
static const char *const marking_names[IOM_MARKING_COUNT] = {"OFFICIAL", "OFFICIAL-SENSITIVE"};
static const char *const kind_names[IOM_AGENCY_KIND_COUNT] = {"force", "rocu", "national",
                                                              "capability"};
static const char *const type_names[IOM_THREAT_TYPE_COUNT] = {
    "labour", "sexual", "criminal", "cse", "domestic_servitude", "organ_harvesting", "oic", "other",
};

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static iom_err unknown(iom_error *e, const char *what, const char *s, const char *const *names, int n)
{
    char list[512];
    size_t j = 0;
    for (int i = 0; i < n && j < sizeof list; i++)
        j += (size_t)snprintf(list + j, sizeof list - j, "%s%s", i ? ", " : "", names[i]);
    return iom_fail(e, IOM_EINVAL, "%s: '%s' is not one of: %s", what, s ? s : "", list);
}

const char *iom_role_name(iom_role r) { return (unsigned)r < IOM_ROLE_COUNT ? role_names[r] : "?"; }

iom_err iom_role_parse(const char *s, iom_role *out, iom_error *e)
{
    int i = lookup(role_names, IOM_ROLE_COUNT, s);
    if (i < 0)
        return unknown(e, "role", s, role_names, IOM_ROLE_COUNT);
    *out = (iom_role)i;
    return IOM_OK;
}

const char *iom_marking_name(iom_marking m)
{
    return (unsigned)m < IOM_MARKING_COUNT ? marking_names[m] : "?";
}

iom_err iom_marking_parse(const char *s, iom_marking *out, iom_error *e)
{
    int i = lookup(marking_names, IOM_MARKING_COUNT, s);
    if (i >= 0) {
        *out = (iom_marking)i;
        return IOM_OK;
    }
    if (s && (strcmp(s, "SECRET") == 0 || strcmp(s, "TOP SECRET") == 0 || strcmp(s, "TOP-SECRET") == 0))
        return iom_fail(e, IOM_EINVAL,
                        "marking: '%s' is above OFFICIAL-SENSITIVE; iom must not hold such material",
                        s);
    return unknown(e, "marking", s, marking_names, IOM_MARKING_COUNT);
}

const char *iom_agency_kind_name(iom_agency_kind k)
{
    return (unsigned)k < IOM_AGENCY_KIND_COUNT ? kind_names[k] : "?";
}

iom_err iom_agency_kind_parse(const char *s, iom_agency_kind *out, iom_error *e)
{
    int i = lookup(kind_names, IOM_AGENCY_KIND_COUNT, s);
    if (i < 0)
        return unknown(e, "kind", s, kind_names, IOM_AGENCY_KIND_COUNT);
    *out = (iom_agency_kind)i;
    return IOM_OK;
}

const char *iom_threat_type_name(iom_threat_type t)
{
    return (unsigned)t < IOM_THREAT_TYPE_COUNT ? type_names[t] : "?";
}

iom_err iom_threat_type_parse(const char *s, iom_threat_type *out, iom_error *e)
{
    int i = lookup(type_names, IOM_THREAT_TYPE_COUNT, s);
    if (i < 0)
        return unknown(e, "type", s, type_names, IOM_THREAT_TYPE_COUNT);
    *out = (iom_threat_type)i;
    return IOM_OK;
}

const char *iom_threat_status_name(iom_threat_status s)
{
    return s == IOM_THREAT_ARCHIVED ? "archived" : "active";
}
