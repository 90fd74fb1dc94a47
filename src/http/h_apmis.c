/* APMIS (docs/apmis.md): disruption records against SOC master list threats, and the
   value-measure report (JSON, or CSV with format=csv). */
#include <string.h>

#include "app/apmis.h"
#include "app/json.h"
#include "http/internal.h"

void h_apmis_list(http_req *r)
{
    app_apmis_query q = {.threat = http_query(r, "threat"), .after = http_query(r, "after")};
    if (!http_query_limit(r, 1000, &q.limit))
        return;
    iom_apmis_t *v;
    size_t n;
    const char *next;
    iom_err err = app_apmis_list(&r->ctx, &q, &v, &n, &next);
    if (err)
        return http_fail(r, err);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_of_apmis(&v[i]));
    http_json(r, 200, json_list(items, next));
}

void h_apmis_record(http_req *r)
{
    json_t *body, *caps = NULL;
    apmis_input in = {0};
    http_field f[] = {{"threat", HF_STRING, true, &in.threat},
                      {"date", HF_STRING, true, &in.date},
                      {"impact", HF_STRING, true, &in.impact},
                      {"type", HF_STRING, true, &in.type},
                      {"lead", HF_STRING, true, &in.lead},
                      {"capabilities", HF_ARRAY, false, &caps},
                      {"arrests", HF_INT, false, &in.arrests},
                      {"safeguarded", HF_INT, false, &in.safeguarded},
                      {"seized_pence", HF_INT, false, &in.seized_pence},
                      {"strand", HF_STRING, true, &in.strand},
                      {"narrative", HF_STRING, true, &in.narrative},
                      {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    size_t i;
    json_t *c;
    json_array_foreach(caps, i, c) {
        if (!json_is_string(c)) {
            http_problem(r, 400, "invalid", "Wrong type", "capabilities[%zu]: must be a string", i);
            return;
        }
        if (i >= APMIS_MAX_CAPABILITIES) {
            http_problem(r, 400, "invalid", "Invalid request", "capabilities: at most %d",
                         (int)APMIS_MAX_CAPABILITIES);
            return;
        }
        in.capabilities[in.ncapabilities++] = json_string_value(c);
    }
    iom_apmis_t rec;
    iom_err err = app_apmis_record(&r->ctx, &in, &rec);
    if (err)
        return http_fail(r, err);
    http_json(r, 201, json_of_apmis(&rec));
}

void h_apmis_get(http_req *r)
{
    iom_apmis_t rec;
    iom_err err = app_apmis_get(&r->ctx, http_param(r, "ref"), &rec);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_of_apmis(&rec));
}

void h_apmis_report(http_req *r)
{
    const char *format = http_query(r, "format");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        http_problem(r, 400, "invalid", "Invalid request", "format: must be json or csv");
        return;
    }
    app_apmis_report_query q = {http_query(r, "region"), http_query(r, "force"), http_query(r, "from"),
                                http_query(r, "to")};
    app_apmis_report_t rep;
    iom_err err = app_apmis_report(&r->ctx, &q, &rep);
    if (err)
        return http_fail(r, err);
    if (format && strcmp(format, "csv") == 0) {
        char *csv = app_apmis_report_csv(&r->arena, &rep);
        http_bytes(r, 200, "text/csv; charset=utf-8", csv, strlen(csv));
        return;
    }
    http_json(r, 200, json_of_apmis_report(&rep));
}
