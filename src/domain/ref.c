#include "domain/ref.h"

#include "util/words.h"

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

const char *iom_role_name(iom_role r) { return iom_word_name(role_names, IOM_ROLE_COUNT, (int)r); }

iom_err iom_role_parse(const char *s, iom_role *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("role", s, role_names, IOM_ROLE_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_role)i;
    return rc;
}

const char *iom_marking_name(iom_marking m)
{
    return iom_word_name(marking_names, IOM_MARKING_COUNT, (int)m);
}

iom_err iom_marking_parse(const char *s, iom_marking *out, iom_error *e)
{
    if (s && (strcmp(s, "SECRET") == 0 || strcmp(s, "TOP SECRET") == 0 || strcmp(s, "TOP-SECRET") == 0))
        return iom_fail(e, IOM_EINVAL,
                        "marking: '%s' is above OFFICIAL-SENSITIVE; iom must not hold such material",
                        s);
    int i = 0;
    iom_err rc = iom_word_parse("marking", s, marking_names, IOM_MARKING_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_marking)i;
    return rc;
}

const char *iom_agency_kind_name(iom_agency_kind k)
{
    return iom_word_name(kind_names, IOM_AGENCY_KIND_COUNT, (int)k);
}

iom_err iom_agency_kind_parse(const char *s, iom_agency_kind *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("kind", s, kind_names, IOM_AGENCY_KIND_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_agency_kind)i;
    return rc;
}

const char *iom_threat_type_name(iom_threat_type t)
{
    return iom_word_name(type_names, IOM_THREAT_TYPE_COUNT, (int)t);
}

iom_err iom_threat_type_parse(const char *s, iom_threat_type *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("type", s, type_names, IOM_THREAT_TYPE_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_threat_type)i;
    return rc;
}

const char *iom_threat_status_name(iom_threat_status s)
{
    return s == IOM_THREAT_ARCHIVED ? "archived" : "active";
}
