/*
 * anx.c: i2 Analyst's Notebook exchange XML (ANX), the chart format ANB opens with File > Open.
 *
 * Element and attribute names follow i2's chart schema ("Analyst's Notebook 7.xsd", shipped
 * with ANB under Common Files\i2 Shared\XML\Schema) as public ANX writers use it; we checked
 * them against gustavo-gkmi/anxwritter (a Python ANX writer validated against that XSD:
 * builder.py, docs/reference/cards-and-grades.md), lumifyio/lumify's analysts-notebook-export
 * plugin (model/Chart.java, ChartItem.java) and the Portland Police Bureau's SQL ANX example.
 * docs/export.md lists what goes where. Our own code; nothing of theirs is copied.
 *
 * Layout of the document:
 *   Chart (IdReferenceLinking: links name their ends by EntityId)
 *     ApplicationVersion, StrengthCollection (link line styles by confidence),
 *     GradeOne / GradeTwo / GradeThree (source evaluation 1-3, intelligence assessment A-E,
 *       handling P/C) and SourceHints (dataset record, intelligence item), each a
 *       StringCollection whose String Ids are ID-typed,
 *     AttributeClassCollection, EntityTypeCollection, LinkTypeCollection,
 *     Summary (title, tasking, the marking as the Classification property, the handling and
 *       every condition of the C items),
 *     ChartItemCollection: one ChartItem per entity (End/Entity with EntityId, Icon, Cards)
 *       then one per link (Link End1Id/End2Id, Cards, LinkStyle), each with its grade indices,
 *       SourceReference, SourceType, DateTime (first seen) and AttributeCollection,
 *     PrintSettings (the Classification in every printed page's header and footer).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "export/export_int.h"

/* Our own attribute classes, in the order they appear on items. */
enum {
    AC_IOM_ID,
    AC_FIRST_SEEN,
    AC_LAST_SEEN,
    AC_CONFIDENCE,
    AC_GRADE,
    AC_MARKING,
    AC_CONDITIONS,
    AC_SOURCES,
    AC_COUNT
};
static const char *const ac_names[AC_COUNT + 1] = {
    "iom id", "First seen", "Last seen", "Confidence", "Grade", "Marking",
    "Handling conditions", "Sources", NULL,
};
static const char *const ac_types[AC_COUNT] = {
    "AttText", "AttTime", "AttTime", "AttNumber", "AttText", "AttText", "AttText", "AttText",
};

/* Entity types with the standard i2 icon file named in public ANX charts; others get ANB's
   default icon for a type it does not know. */
static const char *const type_icons[EXPORT_ENTITY_TYPE_COUNT] = {
    [EXPORT_PERSON] = "Person",
    [EXPORT_PHONE] = "Phone",
    [EXPORT_VEHICLE] = "Car",
    [EXPORT_ACCOUNT] = "Account",
};

static const char *const strengths[3] = {"Confirmed", "Unconfirmed", "Tentative"};
static const char *const strength_dots[3] = {"DotStyleSolid", "DotStyleDashed",
                                             "DotStyleDotted"};

/* Document-wide xsd:ID values "ID1", "ID2", ... */
typedef struct anx {
    iom_buf *b;
    unsigned next_id;
    unsigned ac_id[AC_COUNT];
    unsigned *user_ac_id;           /* per interned user key (entities and links share) */
    unsigned type_id[EXPORT_ENTITY_TYPE_COUNT];
    conflate_strtab link_types;
    unsigned *link_type_id;
    ex_keys keys;                   /* user attribute keys of entities and links together */
} anx;

static unsigned anx_id(anx *a) { return ++a->next_id; }

static void attr(iom_buf *b, const char *name, const char *value)
{
    iom_buf_printf(b, " %s=\"", name);
    ex_xml(b, value, true);
    iom_buf_putc(b, '"');
}

static void attr_id(iom_buf *b, const char *name, unsigned id)
{
    iom_buf_printf(b, " %s=\"ID%u\"", name, id);
}

static int strength_of(double confidence)
{
    return confidence >= 0.8 ? 0 : confidence >= 0.5 ? 1 : 2;
}

static void grade_collection(anx *a, const char *tag, int n, const char *const *texts)
{
    iom_buf_printf(a->b, "  <%s>\n    <StringCollection>\n", tag);
    for (int i = 0; i < n; i++) {
        iom_buf_printf(a->b, "      <String Id=\"ID%u\"", anx_id(a));
        attr(a->b, "Text", texts[i]);
        iom_buf_puts(a->b, "/>\n");
    }
    iom_buf_printf(a->b, "    </StringCollection>\n  </%s>\n", tag);
}

static void attribute_class(anx *a, unsigned id, const char *name, const char *type)
{
    iom_buf_printf(a->b, "    <AttributeClass Id=\"ID%u\"", id);
    attr(a->b, "Name", name);
    iom_buf_printf(a->b, " Type=\"%s\" IsUser=\"true\" UserCanAdd=\"true\" UserCanRemove=\"true\""
                         " ShowValue=\"true\"", type);
    if (strcmp(type, "AttTime") == 0)
        iom_buf_puts(a->b, " ShowDate=\"true\" ShowTime=\"false\"");
    if (strcmp(type, "AttNumber") == 0)
        iom_buf_puts(a->b, " DecimalPlaces=\"2\"");
    iom_buf_puts(a->b, "/>\n");
}

/* "Dataset record: REF" lines; one per source. */
static void sources_text(iom_buf *t, const export_facts *f)
{
    for (size_t i = 0; i < f->nsources; i++) {
        if (i)
            iom_buf_putc(t, '\n');
        iom_buf_printf(t, "%s: ", export_source_kind_title(f->sources[i].kind));
        iom_buf_puts(t, f->sources[i].ref);
    }
}

/* The ChartItem's opening tag (without '>'); x < 0: no XPosition (links). */
static void item_open(anx *a, const char *label, const export_facts *f, double x)
{
    iom_buf *b = a->b;
    iom_buf t = IOM_BUF_INIT;
    char g[GRADE_DISPLAY_MAX];
    iom_buf_printf(b, "    <ChartItem Id=\"ID%u\"", anx_id(a));
    attr(b, "Label", label ? label : "");
    iom_buf_printf(&t, "Grade %s; %s", grade_format(&f->grade, g), iom_marking_name(f->marking));
    if (f->grade.handling == 'C') {
        iom_buf_puts(&t, "; handling conditions: ");
        iom_buf_puts(&t, f->grade.conditions);
    }
    attr(b, "Description", iom_buf_cstr(&t));
    if (f->first_seen)
        iom_buf_printf(b, " DateSet=\"true\" TimeSet=\"%s\"", f->time ? "true" : "false");
    else
        iom_buf_puts(b, " DateSet=\"false\"");
    /* One ChartItem holds one SourceReference / SourceType: every reference, and the kinds
       present; each source also has a Card of its own. */
    iom_buf_reset(&t);
    bool kinds[EXPORT_SOURCE_KIND_COUNT] = {false};
    for (size_t i = 0; i < f->nsources; i++) {
        if (i)
            iom_buf_puts(&t, "; ");
        iom_buf_puts(&t, f->sources[i].ref);
        kinds[f->sources[i].kind] = true;
    }
    if (f->nsources) {
        attr(b, "SourceReference", iom_buf_cstr(&t));
        iom_buf_reset(&t);
        for (int k = 0; k < EXPORT_SOURCE_KIND_COUNT; k++)
            if (kinds[k]) {
                if (t.len)
                    iom_buf_puts(&t, "; ");
                iom_buf_puts(&t, export_source_kind_title((export_source_kind)k));
            }
        attr(b, "SourceType", iom_buf_cstr(&t));
    }
    iom_buf_printf(b, " GradeOneIndex=\"%d\" GradeTwoIndex=\"%d\" GradeThreeIndex=\"%d\"",
                   ex_grade_one(&f->grade), ex_grade_two(&f->grade), ex_grade_three(&f->grade));
    if (f->first_seen)
        iom_buf_printf(b, " DateTime=\"%.10sT%.8s.000\"", f->first_seen, f->time ? f->time : "00:00:00");
    if (x >= 0)
        iom_buf_printf(b, " XPosition=\"%.0f\"", x);
    iom_buf_free(&t);
}

/* One Card per source (review 87 M3): its reference and kind, its own grade (indices into the
   chart's GradeOne/GradeTwo/GradeThree, and in words in its Text with its handling
   conditions) and the date it saw the item, so ANB shows each source's evaluation rather than
   only the item's combined grade. */
static void cards(anx *a, const char *indent, const export_facts *f)
{
    if (!f->nsources)
        return;
    iom_buf *b = a->b;
    iom_buf t = IOM_BUF_INIT;
    iom_buf_printf(b, "%s<CardCollection>\n", indent);
    for (size_t i = 0; i < f->nsources; i++) {
        const export_source *s = &f->sources[i];
        iom_buf_reset(&t);
        iom_buf_printf(&t, "%s ", export_source_kind_title(s->kind));
        iom_buf_puts(&t, s->ref);
        iom_buf_printf(b, "%s  <Card", indent);
        attr(b, "Summary", iom_buf_cstr(&t));
        if (s->seen)
            iom_buf_printf(b, " DateSet=\"true\" TimeSet=\"false\" DateTime=\"%.10sT00:00:00.000\"", s->seen);
        if (s->grade.source)
            iom_buf_printf(b, " GradeOneIndex=\"%d\" GradeTwoIndex=\"%d\" GradeThreeIndex=\"%d\"",
                           ex_grade_one(&s->grade), ex_grade_two(&s->grade), ex_grade_three(&s->grade));
        attr(b, "SourceReference", s->ref);
        attr(b, "SourceType", export_source_kind_title(s->kind));
        if (s->grade.source) {
            char g[GRADE_DISPLAY_MAX];
            iom_buf_reset(&t);
            iom_buf_printf(&t, "Grade %s", grade_format(&s->grade, g));
            if (s->grade.handling == 'C') {
                iom_buf_puts(&t, "; handling conditions: ");
                iom_buf_puts(&t, s->grade.conditions);
            }
            attr(b, "Text", iom_buf_cstr(&t));
        }
        iom_buf_puts(b, "/>\n");
    }
    iom_buf_printf(b, "%s</CardCollection>\n", indent);
    iom_buf_free(&t);
}

static void one_attribute(anx *a, unsigned ac, const char *name, const char *value)
{
    iom_buf_puts(a->b, "        <Attribute");
    attr(a->b, "AttributeClass", name);
    attr_id(a->b, "AttributeClassReference", ac);
    attr(a->b, "Value", value);
    iom_buf_puts(a->b, "/>\n");
}

static void attributes(anx *a, const char *id, const export_facts *f)
{
    iom_buf t = IOM_BUF_INIT;
    char date[40];
    iom_buf_puts(a->b, "      <AttributeCollection>\n");
    one_attribute(a, a->ac_id[AC_IOM_ID], ac_names[AC_IOM_ID], id);
    if (f->first_seen) {
        snprintf(date, sizeof date, "%.10sT00:00:00.000", f->first_seen);
        one_attribute(a, a->ac_id[AC_FIRST_SEEN], ac_names[AC_FIRST_SEEN], date);
    }
    if (f->last_seen) {
        snprintf(date, sizeof date, "%.10sT00:00:00.000", f->last_seen);
        one_attribute(a, a->ac_id[AC_LAST_SEEN], ac_names[AC_LAST_SEEN], date);
    }
    ex_double(&t, f->confidence);
    one_attribute(a, a->ac_id[AC_CONFIDENCE], ac_names[AC_CONFIDENCE], iom_buf_cstr(&t));
    char g[GRADE_DISPLAY_MAX];
    one_attribute(a, a->ac_id[AC_GRADE], ac_names[AC_GRADE], grade_format(&f->grade, g));
    one_attribute(a, a->ac_id[AC_MARKING], ac_names[AC_MARKING], iom_marking_name(f->marking));
    if (f->grade.handling == 'C')
        one_attribute(a, a->ac_id[AC_CONDITIONS], ac_names[AC_CONDITIONS], f->grade.conditions);
    if (f->nsources) {
        iom_buf_reset(&t);
        sources_text(&t, f);
        one_attribute(a, a->ac_id[AC_SOURCES], ac_names[AC_SOURCES], iom_buf_cstr(&t));
    }
    for (size_t i = 0; i < f->nattrs; i++) {
        uint32_t k = ex_keys_id(&a->keys, f->attrs[i].key);
        one_attribute(a, a->user_ac_id[k - 1], a->keys.names[k - 1],
                      f->attrs[i].value ? f->attrs[i].value : "");
    }
    iom_buf_puts(a->b, "      </AttributeCollection>\n");
    iom_buf_free(&t);
}

static void summary(anx *a, const export_chart *c, const export_handling *h)
{
    iom_buf *b = a->b;
    iom_buf t = IOM_BUF_INIT;
    char when[32];
    ex_generated(c, when);
    const char *marking = iom_marking_name(h->marking);

    iom_buf_puts(b, "  <Summary>\n    <FieldCollection>\n");
    iom_buf_puts(b, "      <Field Type=\"SummaryFieldTitle\"");
    attr(b, "Field", c->title ? c->title : "");
    iom_buf_puts(b, "/>\n      <Field Type=\"SummaryFieldSubject\"");
    iom_buf_puts(&t, "Tasking ");
    iom_buf_puts(&t, c->tasking_ref ? c->tasking_ref : "");
    attr(b, "Field", iom_buf_cstr(&t));
    iom_buf_puts(b, "/>\n      <Field Type=\"SummaryFieldCategory\"");
    attr(b, "Field", marking);
    iom_buf_puts(b, "/>\n      <Field Type=\"SummaryFieldComments\"");
    iom_buf_reset(&t);
    iom_buf_printf(&t, "%s. ", marking);
    if (h->conditional) {
        iom_buf_puts(&t, "Handling C: items of this chart are shared only under these "
                         "conditions:");
        for (size_t i = 0; i < h->nconditions; i++) {
            iom_buf_printf(&t, "\n%zu. ", i + 1);
            iom_buf_puts(&t, h->conditions[i]);
        }
    } else {
        iom_buf_puts(&t, "Handling P: lawful sharing permitted.");
    }
    attr(b, "Field", iom_buf_cstr(&t));
    iom_buf_puts(b, "/>\n      <Field Type=\"SummaryFieldAuthor\" Field=\"iom\"/>\n");
    iom_buf_puts(b, "    </FieldCollection>\n    <CustomPropertyCollection>\n");
    iom_buf_puts(b, "      <CustomProperty Name=\"Classification\" Type=\"String\"");
    attr(b, "Value", marking);
    iom_buf_printf(b, "/>\n      <CustomProperty Name=\"Handling\" Type=\"String\" Value=\"%c\"/>\n",
                   h->conditional ? 'C' : 'P');
    for (size_t i = 0; i < h->nconditions; i++) {
        iom_buf_printf(b, "      <CustomProperty Name=\"Handling condition %zu\" Type=\"String\"",
                       i + 1);
        attr(b, "Value", h->conditions[i]);
        iom_buf_puts(b, "/>\n");
    }
    iom_buf_puts(b, "      <CustomProperty Name=\"Tasking\" Type=\"String\"");
    attr(b, "Value", c->tasking_ref ? c->tasking_ref : "");
    iom_buf_printf(b, "/>\n      <CustomProperty Name=\"Generated\" Type=\"String\" Value=\"%s\"/>\n",
                   when);
    iom_buf_puts(b, "    </CustomPropertyCollection>\n");
    when[19] = '\0'; /* drop the Z: i2's dates are xsd:dateTime without a zone */
    iom_buf_printf(b, "    <Origin CreatedDate=\"%s\" EditTime=\"0\" RevisionNumber=\"1\"/>\n", when);
    iom_buf_puts(b, "  </Summary>\n");
    iom_buf_free(&t);
}

static void grid(size_t i, size_t n, double *x, double *y)
{
    size_t cols = (size_t)ceil(sqrt((double)(n ? n : 1)));
    *x = (double)(i % cols) * 120.0;
    *y = (double)(i / cols) * 120.0;
}

iom_err export_write_anx(const export_chart *c, iom_buf *out, iom_error *e)
{
    export_handling h;
    iom_err rc = export_handling_of(c, &h, e);
    if (rc != IOM_OK)
        return rc;
    anx a = {.b = out};
    iom_buf *b = out;
    const char *marking = iom_marking_name(h.marking);

    iom_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- %s -->\n", marking);
    iom_buf_puts(b, "<Chart IdReferenceLinking=\"true\" Rigorous=\"true\">\n");
    iom_buf_puts(b, "  <ApplicationVersion Major=\"9\" Minor=\"0\" Point=\"0\" Build=\"0\"/>\n");

    iom_buf_puts(b, "  <StrengthCollection>\n");
    for (int i = 0; i < 3; i++)
        iom_buf_printf(b, "    <Strength Id=\"ID%u\" Name=\"%s\" DotStyle=\"%s\"/>\n", anx_id(&a),
                       strengths[i], strength_dots[i]);
    iom_buf_puts(b, "  </StrengthCollection>\n");

    char texts[5][96];
    const char *tp[5];
    for (int i = 0; i < 3; i++) {
        snprintf(texts[i], sizeof texts[i], "%c: %s", '1' + i, grade_source_text((char)('1' + i)));
        tp[i] = texts[i];
    }
    grade_collection(&a, "GradeOne", 3, tp);
    for (int i = 0; i < 5; i++) {
        snprintf(texts[i], sizeof texts[i], "%c: %s", 'A' + i,
                 grade_assessment_text((char)('A' + i)));
        tp[i] = texts[i];
    }
    grade_collection(&a, "GradeTwo", 5, tp);
    snprintf(texts[0], sizeof texts[0], "P: %s", grade_handling_text('P'));
    snprintf(texts[1], sizeof texts[1], "C: %s", grade_handling_text('C'));
    tp[0] = texts[0], tp[1] = texts[1];
    grade_collection(&a, "GradeThree", 2, tp);
    for (int k = 0; k < EXPORT_SOURCE_KIND_COUNT; k++)
        tp[k] = export_source_kind_title((export_source_kind)k);
    grade_collection(&a, "SourceHints", EXPORT_SOURCE_KIND_COUNT, tp);

    /* Attribute classes: ours, then every user key of entities and links. */
    ex_keys_build(&a.keys, c, true, true, ac_names);
    iom_buf_puts(b, "  <AttributeClassCollection>\n");
    for (int i = 0; i < AC_COUNT; i++) {
        a.ac_id[i] = anx_id(&a);
        attribute_class(&a, a.ac_id[i], ac_names[i], ac_types[i]);
    }
    a.user_ac_id = calloc(a.keys.n ? a.keys.n : 1, sizeof *a.user_ac_id);
    if (!a.user_ac_id)
        abort();
    for (uint32_t k = 0; k < a.keys.n; k++) {
        a.user_ac_id[k] = anx_id(&a);
        attribute_class(&a, a.user_ac_id[k], a.keys.names[k], a.keys.number[k] ? "AttNumber" : "AttText");
    }
    iom_buf_puts(b, "  </AttributeClassCollection>\n");

    iom_buf_puts(b, "  <EntityTypeCollection>\n");
    for (int t = 0; t < EXPORT_ENTITY_TYPE_COUNT; t++) {
        a.type_id[t] = anx_id(&a);
        iom_buf_printf(b, "    <EntityType Id=\"ID%u\" Name=\"%s\" PreferredRepresentation="
                          "\"RepresentAsIcon\"",
                       a.type_id[t], export_entity_type_title((export_entity_type)t));
        if (type_icons[t])
            iom_buf_printf(b, " IconFile=\"%s\"", type_icons[t]);
        iom_buf_puts(b, "/>\n");
    }
    iom_buf_puts(b, "  </EntityTypeCollection>\n");

    conflate_strtab_init(&a.link_types);
    for (size_t i = 0; i < c->nlinks; i++) {
        int added = 0;
        (void)conflate_strtab_intern(&a.link_types, c->links[i].type, strlen(c->links[i].type),
                                     &added);
    }
    a.link_type_id = calloc(a.link_types.n ? a.link_types.n : 1, sizeof *a.link_type_id);
    if (!a.link_type_id)
        abort();
    iom_buf_puts(b, "  <LinkTypeCollection>\n");
    for (uint32_t k = 1; k <= a.link_types.n; k++) {
        a.link_type_id[k - 1] = anx_id(&a);
        iom_buf_printf(b, "    <LinkType Id=\"ID%u\"", a.link_type_id[k - 1]);
        attr(b, "Name", a.link_types.chars + a.link_types.off[k]);
        iom_buf_puts(b, " Colour=\"0\"/>\n");
    }
    iom_buf_puts(b, "  </LinkTypeCollection>\n");

    summary(&a, c, &h);

    iom_buf_puts(b, "  <ChartItemCollection>\n");
    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        double x, y;
        grid(i, c->nentities, &x, &y);
        item_open(&a, en->f.label, &en->f, x);
        iom_buf_printf(b, ">\n      <End X=\"%.0f\" Y=\"%.0f\" Z=\"0\">\n        <Entity", x, y);
        attr(b, "EntityId", en->id);
        attr(b, "Identity", en->id);
        iom_buf_puts(b, " LabelIsIdentity=\"false\">\n          <Icon>\n            <IconStyle");
        attr(b, "Type", export_entity_type_title(en->type));
        attr_id(b, "EntityTypeReference", a.type_id[en->type]);
        iom_buf_puts(b, "/>\n          </Icon>\n");
        cards(&a, "          ", &en->f);
        iom_buf_puts(b, "        </Entity>\n      </End>\n");
        attributes(&a, en->id, &en->f);
        iom_buf_puts(b, "    </ChartItem>\n");
    }
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        item_open(&a, l->f.label, &l->f, -1);
        iom_buf_puts(b, ">\n      <Link");
        attr(b, "End1Id", l->end1);
        attr(b, "End2Id", l->end2);
        iom_buf_puts(b, ">\n");
        cards(&a, "        ", &l->f);
        int added = 0;
        uint32_t lt = conflate_strtab_intern(&a.link_types, l->type, strlen(l->type), &added);
        iom_buf_printf(b, "        <LinkStyle Strength=\"%s\" ArrowStyle=\"%s\"",
                       strengths[strength_of(l->f.confidence)],
                       l->directed ? "ArrowOnHead" : "ArrowNone");
        attr(b, "Type", l->type);
        attr_id(b, "LinkTypeReference", a.link_type_id[lt - 1]);
        iom_buf_puts(b, "/>\n      </Link>\n");
        attributes(&a, l->id, &l->f);
        iom_buf_puts(b, "    </ChartItem>\n");
    }
    iom_buf_puts(b, "  </ChartItemCollection>\n");

    iom_buf_puts(b, "  <PrintSettings>\n    <HeaderCollection>\n"
                    "      <Header Position=\"HeaderFooterPositionCenter\" Property=\"Classification\""
                    " Visible=\"true\"/>\n    </HeaderCollection>\n    <FooterCollection>\n"
                    "      <Footer Position=\"HeaderFooterPositionCenter\" Property=\"Classification\""
                    " Visible=\"true\"/>\n    </FooterCollection>\n  </PrintSettings>\n");
    iom_buf_puts(b, "</Chart>\n");

    free(a.link_type_id);
    conflate_strtab_free(&a.link_types);
    free(a.user_ac_id);
    ex_keys_free(&a.keys);
    export_handling_free(&h);
    return IOM_OK;
}
