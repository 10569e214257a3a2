/* test-indicators.c — the commissioning indicators against hand counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture below is 27 cases written out by hand; every expected count
 * in these tests was worked out from it by hand (the working is in the
 * comments), not with the code under test. A second test counts 10,000
 * demo cases again in C, case by case through CbCase, and compares.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cb-case-list.h"
#include "cb-case-store.h"
#include "cb-demo-data.h"
#include "cb-error.h"
#include "cb-indicators.h"
#include "cb-test-util.h"

#ifndef CLI_PATH
#define CLI_PATH BUILD_ROOT "/src/cli/casebook-cli"
#endif

/* The report period of the fixture: the year 2025. */
#define FROM "2025-01-01"
#define TO   "2025-12-31"

typedef struct
{
  const char *ref;
  const char *area;
  const char *sentence_type;
  const char *start;
  const char *end;
  const char *more;   /* "field=value" pairs, space-separated */
} FixtureCase;

/* Default start 2024-06-01 (before the period), no end: active all year.
 * Ages are 2025 − birth_year. */
static const FixtureCase cases_2025[] = {
  /* Drug misuse identified: C01–C08. */
  { "C01", "North", "community_order", "2024-06-01", NULL,
    "birth_year=2000 gender=male ethnicity=white drug_misuse=yes substances=heroin;crack "
    "main_substance=heroin use_frequency=daily injecting=currently priority_factor=yes "
    "motivation=partial tested=yes referred_on=2025-02-01 treatment_started_on=2025-02-22 "
    "intervention=opioid_substitution naloxone=yes requirements=drr drr_consent=yes" },
  { "C02", "North", "licence", "2024-06-01", NULL,
    "birth_year=1990 gender=male ethnicity=white drug_misuse=yes substances=crack "
    "main_substance=crack use_frequency=weekly injecting=never priority_factor=yes "
    "motivation=none tested=no referred_on=2025-03-01 treatment_started_on=2025-03-23 "
    "intervention=none released_on=2025-01-10 custody_treatment=yes "
    "community_treatment_on=2025-01-31" },
  { "C03", "South", "licence", "2024-06-01", NULL,
    "birth_year=1970 gender=female ethnicity=black drug_misuse=yes substances=cannabis;alcohol "
    "main_substance=cannabis use_frequency=daily injecting=never priority_factor=no "
    "motivation=full tested=yes released_on=2025-02-01 custody_treatment=yes "
    "community_treatment_on=2025-02-23" },
  { "C04", "South", "licence", "2024-06-01", NULL,
    "birth_year=1996 gender=male ethnicity=asian drug_misuse=yes substances=cocaine "
    "main_substance=cocaine injecting=previously priority_factor=yes motivation=unknown "
    "tested=yes intervention=psychosocial released_on=2025-03-01 custody_treatment=yes "
    "community_treatment_on=2025-02-28" },
  { "C05", "North", "community_order", "2024-06-01", NULL,
    "birth_year=2007 gender=non_binary ethnicity=mixed drug_misuse=yes "
    "substances=methadone_not_prescribed main_substance=methadone_not_prescribed "
    "use_frequency=daily injecting=never priority_factor=yes motivation=partial tested=no "
    "naloxone=no referred_on=2025-04-01" },
  { "C06", "North", "suspended_sentence_order", "2024-06-01", NULL,
    "birth_year=2008 drug_misuse=yes substances=ketamine" },
  { "C07", "South", "community_order", "2024-06-01", NULL,
    "gender=male ethnicity=white drug_misuse=yes substances=ecstasy main_substance=ecstasy "
    "use_frequency=occasional injecting=never priority_factor=no motivation=none tested=yes "
    "referred_on=2025-05-01 treatment_started_on=2025-05-01" },
  { "C08", "North", "community_order", "2024-06-01", NULL,
    "birth_year=1985 gender=female ethnicity=white drug_misuse=yes" },
  /* No drug misuse identified, or not recorded: C09–C23. */
  { "C09", "North", "community_order", "2024-06-01", NULL,
    "birth_year=1980 gender=male ethnicity=white drug_misuse=no substances=alcohol" },
  { "C10", "South", "suspended_sentence_order", "2024-06-01", NULL,
    "birth_year=1999 gender=male ethnicity=black drug_misuse=no requirements=atr" },
  { "C11", "South", "community_order", "2024-06-01", NULL,
    "birth_year=1960 gender=female ethnicity=white substances=heroin naloxone=yes" },
  { "C12", "North", "community_order", "2024-06-01", NULL,
    "birth_year=2001 gender=male ethnicity=other requirements=drr;mhtr" },
  { "C13", "North", "pre_sentence", "2024-06-01", NULL,
    "birth_year=1992 gender=male ethnicity=white drug_misuse=no priority_factor=yes "
    "intervention=brief_intervention" },
  { "C14", "South", "licence", "2024-06-01", NULL,
    "birth_year=1988 gender=male ethnicity=white drug_misuse=no released_on=2025-06-01 "
    "custody_treatment=no community_treatment_on=2025-06-05" },
  { "C15", "South", "licence", "2024-06-01", NULL,
    "birth_year=1975 gender=male ethnicity=white released_on=2025-07-01 custody_treatment=yes" },
  { "C16", "North", "community_order", "2024-06-01", NULL,
    "birth_year=1995 gender=male ethnicity=white requirements=drug_testing;licence_drug_testing" },
  { "C17", "North", "licence", "2024-06-01", NULL,
    "birth_year=1990 gender=male ethnicity=white requirements=licence_drug_testing" },
  { "C18", "North", "community_order", "2024-06-01", "2025-08-01",
    "birth_year=1983 gender=male ethnicity=white died_on=2025-08-01 death_drug_related=yes" },
  { "C19", "South", "community_order", "2024-06-01", "2025-09-01",
    "birth_year=1983 gender=female ethnicity=white died_on=2025-09-01 death_drug_related=suspected" },
  { "C20", "South", "community_order", "2024-06-01", "2025-10-01",
    "birth_year=1983 gender=male ethnicity=white died_on=2025-10-01 death_drug_related=no" },
  { "C21", "North", "community_order", "2024-06-01", NULL,
    "birth_year=1983 gender=male ethnicity=white death_drug_related=yes" },
  { "C22", "North", "post_sentence_supervision", "2024-06-01", NULL,
    "birth_year=2003 gender=male ethnicity=white requirements=drr drr_consent=yes" },
  { "C23", "South", "community_order", "2024-06-01", NULL,
    "birth_year=1990 gender=not_stated ethnicity=not_stated requirements=drr drr_consent=no" },
  /* The edges of the period. E1 ends on its first day and E3 starts on
   * its last: both in. E2 ends the day before and E4 starts the day
   * after: both out, though they have drug misuse, which would show. */
  { "E1", "East", "community_order", "2024-01-01", "2025-01-01",
    "birth_year=1990 gender=male ethnicity=white" },
  { "E2", "West", "community_order", "2024-01-01", "2024-12-31",
    "birth_year=1990 gender=male ethnicity=white drug_misuse=yes" },
  { "E3", "East", "suspended_sentence_order", "2025-12-31", NULL, "" },
  { "E4", "West", "community_order", "2026-01-01", NULL,
    "birth_year=1990 gender=male ethnicity=white drug_misuse=yes" },
};

/* In the report: C01–C23, E1 and E3. */
#define CASELOAD 25

typedef struct
{
  char        *folder;
  char        *path;
  CbCaseStore *store;
} Fixture;

static CbCase *
make_case (const FixtureCase *spec)
{
  g_autoptr(CbCase) record = cb_case_new ();
  g_auto(GStrv) pairs = g_strsplit (spec->more, " ", -1);
  g_autoptr(GError) error = NULL;

  cb_case_set (record, CB_FIELD_CASE_REF, spec->ref);
  cb_case_set (record, CB_FIELD_AREA, spec->area);
  cb_case_set (record, CB_FIELD_SENTENCE_TYPE, spec->sentence_type);
  cb_case_set (record, CB_FIELD_START_DATE, spec->start);
  cb_case_set (record, CB_FIELD_END_DATE, spec->end);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = NULL;
      const CbField *field;

      if (pairs[i][0] == '\0')
        continue;
      pair = g_strsplit (pairs[i], "=", 2);
      field = cb_field_lookup (pair[0]);
      g_assert_nonnull (field);
      cb_case_set_from_text (record, field->id, pair[1], &error);
      g_assert_no_error (error);
    }

  cb_case_validate (record, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&record);
}

static void
open_store (Fixture *fixture)
{
  fixture->folder = cb_test_make_temp_dir ("indicators");
  fixture->path = g_build_filename (fixture->folder, "cases.db", NULL);
  fixture->store = cb_test_open_store (fixture->path);
}

static void
save_cases (CbCaseStore       *store,
            const FixtureCase *specs,
            guint              n_specs)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_specs; i++)
    g_ptr_array_add (records, make_case (&specs[i]));

  cb_case_store_save_all (store, records, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  open_store (fixture);
  save_cases (fixture->store, cases_2025, G_N_ELEMENTS (cases_2025));
}

static void
empty_set_up (Fixture       *fixture,
              gconstpointer  data)
{
  open_store (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  cb_test_remove_tree (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
}

static CbIndicators *
compute (CbCaseStore        *store,
         const char         *from,
         const char         *to,
         const char * const *areas)
{
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(GError) error = NULL;
  CbIndicators *indicators;

  cb_case_query_set_period (query, from, to);
  cb_case_query_set_areas (query, areas);
  indicators = cb_indicators_compute (store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (indicators);

  return indicators;
}

static void
assert_counts (CbIndicators *indicators,
               const char   *id,
               gint64        numerator,
               gint64        denominator)
{
  const CbIndicator *indicator = cb_indicators_lookup (indicators, id);

  g_assert_nonnull (indicator);
  if (indicator->numerator != numerator || indicator->denominator != denominator)
    g_error ("%s: expected %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
             ", counted %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
             id, numerator, denominator, indicator->numerator, indicator->denominator);
}

static const CbBreakdownRow *
find_row (CbIndicators    *indicators,
          CbBreakdownKind  kind,
          const char      *key)
{
  GPtrArray *rows = cb_indicators_get_breakdown (indicators, kind);

  for (guint i = 0; i < rows->len; i++)
    {
      const CbBreakdownRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->key, key))
        return row;
    }

  return NULL;
}

/* A row that must exist. */
static const CbBreakdownRow *
get_row (CbIndicators    *indicators,
         CbBreakdownKind  kind,
         const char      *key)
{
  static const CbBreakdownRow missing;
  const CbBreakdownRow *row = find_row (indicators, kind, key);

  if (row == NULL)
    {
      g_test_message ("no row “%s” in the %s breakdown", key, cb_breakdown_kind_get_id (kind));
      g_test_fail ();
      return &missing;
    }

  return row;
}

static gint64
row_caseload (CbIndicators    *indicators,
              CbBreakdownKind  kind,
              const char      *key)
{
  return get_row (indicators, kind, key)->values[CB_INDICATOR_CASELOAD].denominator;
}

/* The indicators of the fixture, each worked out by hand. */
static void
test_fixture_indicators (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);

  g_assert_cmpstr (cb_indicators_get_from (indicators), ==, FROM);
  g_assert_cmpstr (cb_indicators_get_to (indicators), ==, TO);
  g_assert_cmpuint (cb_indicators_get_n (indicators), ==, CB_N_INDICATORS);

  /* C01–C23, E1, E3. */
  g_assert_cmpint (cb_indicators_get_caseload (indicators), ==, CASELOAD);
  assert_counts (indicators, "caseload", 25, 25);
  /* drug_misuse yes: C01–C08. */
  assert_counts (indicators, "drug_misuse", 8, 25);
  /* Class A among C01–C08: C01 heroin+crack, C02 crack, C04 cocaine,
   * C05 methadone, C07 ecstasy; not C03 cannabis, C06 ketamine, C08
   * none. C11's heroin does not count: no drug misuse recorded. */
  assert_counts (indicators, "class_a", 5, 8);
  /* tested yes among C01–C08: C01, C03, C04, C07 (C02, C05 no; C06, C08
   * not recorded). */
  assert_counts (indicators, "tested", 4, 8);
  /* referred_on among C01–C08: C01, C02, C05, C07. */
  assert_counts (indicators, "referred", 4, 8);
  /* referred: C01, C02, C05, C07; started: C01, C02, C07. */
  assert_counts (indicators, "started", 3, 4);
  /* Both dates: C01 (21 days, in), C02 (22 days, out), C07 (0, in). */
  assert_counts (indicators, "waited_21", 2, 3);
  /* priority yes: C01, C02, C04, C05, C13; intervention set and not none:
   * C01, C04, C13 (C02 none, C05 not recorded). */
  assert_counts (indicators, "priority_intervention", 3, 5);
  /* Released with custody treatment: C02, C03, C04, C15 (C14 had none);
   * community contact 0–21 days: C02 (21) only; C03 22, C04 −1, C15 none. */
  assert_counts (indicators, "continuity", 1, 4);
  /* Opiate users: C01, C05, C11; naloxone yes: C01, C11. */
  assert_counts (indicators, "naloxone", 2, 3);
  /* DRR: C01, C12, C22, C23; consent yes: C01, C22. */
  assert_counts (indicators, "drr_consent", 2, 4);
  assert_counts (indicators, "req_drr", 4, 25);
  /* ATR: C10. MHTR: C12. Drug testing requirement: C16 (C16's and C17's
   * licence_drug_testing is a licence condition, not the requirement). */
  assert_counts (indicators, "req_atr", 1, 25);
  assert_counts (indicators, "req_mhtr", 1, 25);
  assert_counts (indicators, "req_drug_testing", 1, 25);
  /* C18 yes, C19 suspected; C20 not drug-related; C21 has no death date. */
  assert_counts (indicators, "drug_deaths", 2, 25);
  /* Complete among C01–C08: C01, C02, C03, C05, C07; C04 lacks the
   * frequency, C06 and C08 most fields. */
  assert_counts (indicators, "complete", 5, 8);
}

static void
test_fixture_descriptions (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);
  const CbIndicator *tested = cb_indicators_get (indicators, CB_INDICATOR_TESTED);
  const CbIndicator *started = cb_indicators_lookup (indicators, "started");
  CbIndicatorKind kind;

  g_assert_true (tested == cb_indicators_lookup (indicators, "tested"));
  g_assert_cmpint (tested->kind, ==, CB_INDICATOR_TESTED);
  g_assert_cmpstr (tested->id, ==, "tested");
  g_assert_cmpstr (tested->label, ==, "Tested for drugs");
  g_assert_cmpstr (tested->national_text, ==, "1 in 6 of the inspected sample");
  g_assert_cmpfloat_with_epsilon (tested->national_value, 1.0 / 6.0, 1e-12);
  g_assert_true (tested->higher_is_better);
  g_assert_true (strlen (tested->description) > 20);

  g_assert_cmpstr (started->national_text, ==, "");
  g_assert_true (isnan (started->national_value));

  g_assert_cmpstr (cb_indicators_lookup (indicators, "drug_misuse")->national_text, ==, "~48% (≈75,000)");
  g_assert_false (cb_indicators_lookup (indicators, "drug_misuse")->higher_is_better);
  g_assert_false (cb_indicators_lookup (indicators, "drug_deaths")->higher_is_better);
  g_assert_cmpfloat_with_epsilon (cb_indicators_lookup (indicators, "referred")->national_value, 0.04, 1e-12);
  g_assert_cmpfloat_with_epsilon (cb_indicators_lookup (indicators, "priority_intervention")->national_value,
                                  0.47, 1e-12);
  g_assert_cmpfloat_with_epsilon (cb_indicators_lookup (indicators, "continuity")->national_value,
                                  1.0 / 3.0, 1e-12);
  g_assert_null (cb_indicators_lookup (indicators, "no_such_indicator"));

  /* The fixed descriptions, without a computation. */
  for (guint i = 0; i < CB_N_INDICATORS; i++)
    {
      const CbIndicator *info = cb_indicator_kind_get_info (i);

      g_assert_cmpint (info->kind, ==, i);
      g_assert_true (cb_indicator_kind_from_id (info->id, &kind));
      g_assert_cmpint (kind, ==, i);
      g_assert_cmpstr (info->label, !=, "");
      g_assert_cmpstr (info->description, !=, "");
      g_assert_cmpint (info->numerator, ==, 0);
    }
  g_assert_false (cb_indicator_kind_from_id ("nope", NULL));
}

/* 8/25 = 32%; tested 4/8 = 50% against 1 in 6: better. */
static void
test_fixture_percentages (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);

  g_assert_cmpfloat_with_epsilon (cb_indicator_get_percentage (cb_indicators_lookup (indicators, "drug_misuse")),
                                  32.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cb_indicator_get_proportion (cb_indicators_lookup (indicators, "waited_21")),
                                  2.0 / 3.0, 1e-12);
  g_assert_cmpint (cb_indicator_compare_national (cb_indicators_lookup (indicators, "tested")), ==,
                   CB_COMPARISON_BETTER);
  /* 1/4 against about 1 in 3: worse. */
  g_assert_cmpint (cb_indicator_compare_national (cb_indicators_lookup (indicators, "continuity")), ==,
                   CB_COMPARISON_WORSE);
  /* 32% against 48%: prevalence, neither better nor worse. */
  g_assert_cmpint (cb_indicator_compare_national (cb_indicators_lookup (indicators, "drug_misuse")), ==,
                   CB_COMPARISON_NONE);
  g_assert_cmpint (cb_indicator_compare_national (cb_indicators_lookup (indicators, "started")), ==,
                   CB_COMPARISON_NONE);
}

static void
test_comparison (void)
{
  CbIndicator indicator = *cb_indicator_kind_get_info (CB_INDICATOR_PRIORITY_INTERVENTION);

  /* National 47%, higher is better. */
  indicator.denominator = 100;
  indicator.numerator = 45;
  g_assert_cmpint (cb_indicator_compare_national (&indicator), ==, CB_COMPARISON_SIMILAR);
  indicator.numerator = 49;
  g_assert_cmpint (cb_indicator_compare_national (&indicator), ==, CB_COMPARISON_SIMILAR);
  indicator.numerator = 50;
  g_assert_cmpint (cb_indicator_compare_national (&indicator), ==, CB_COMPARISON_BETTER);
  indicator.numerator = 44;
  g_assert_cmpint (cb_indicator_compare_national (&indicator), ==, CB_COMPARISON_WORSE);

  /* Drug-related deaths have no national proportion. */
  indicator = *cb_indicator_kind_get_info (CB_INDICATOR_DRUG_DEATHS);
  indicator.numerator = 1;
  indicator.denominator = 10;
  g_assert_cmpint (cb_indicator_compare_national (&indicator), ==, CB_COMPARISON_NONE);
  g_assert_cmpfloat_with_epsilon (cb_indicator_get_percentage (&indicator), 10.0, 1e-9);
}

static void
test_fixture_areas (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *north[] = { "North", NULL };
  const char *edges[] = { "East", "West", NULL };
  g_autoptr(CbIndicators) all = compute (fixture->store, FROM, TO, NULL);
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, north);
  g_autoptr(CbIndicators) edge = compute (fixture->store, FROM, TO, edges);
  GPtrArray *areas = cb_indicators_get_breakdown (all, CB_BREAKDOWN_AREA);

  /* North: C01, C02, C05, C06, C08, C09, C12, C13, C16, C17, C18, C21,
   * C22. Drug misuse: C01, C02, C05, C06, C08; tested: C01 only. */
  assert_counts (indicators, "caseload", 13, 13);
  assert_counts (indicators, "drug_misuse", 5, 13);
  assert_counts (indicators, "tested", 1, 5);
  /* DRR in North: C01, C12, C22; consent C01, C22. */
  assert_counts (indicators, "drr_consent", 2, 3);

  /* East and West: E1 and E3 are in, E2 and E4 out. */
  assert_counts (edge, "caseload", 2, 2);
  assert_counts (edge, "drug_misuse", 0, 2);

  /* Only areas with cases, alphabetically; West has none in 2025. */
  g_assert_cmpuint (areas->len, ==, 3);
  g_assert_cmpstr (((CbBreakdownRow *) g_ptr_array_index (areas, 0))->key, ==, "East");
  g_assert_cmpstr (((CbBreakdownRow *) g_ptr_array_index (areas, 1))->key, ==, "North");
  g_assert_cmpstr (((CbBreakdownRow *) g_ptr_array_index (areas, 2))->key, ==, "South");
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_AREA, "East"), ==, 2);
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_AREA, "North"), ==, 13);
  /* South: C03, C04, C07, C10, C11, C14, C15, C19, C20, C23. */
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_AREA, "South"), ==, 10);
  g_assert_cmpint (get_row (all, CB_BREAKDOWN_AREA, "South")->values[CB_INDICATOR_DRUG_MISUSE].numerator,
                   ==, 3);
}

static void
test_fixture_sentence_types (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *licences[] = { "licence", NULL };
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbIndicators) indicators = NULL;
  g_autoptr(CbIndicators) all = compute (fixture->store, FROM, TO, NULL);
  g_autoptr(GError) error = NULL;

  cb_case_query_set_period (query, FROM, TO);
  cb_case_query_set_sentence_types (query, licences);
  indicators = cb_indicators_compute (fixture->store, query, NULL, &error);
  g_assert_no_error (error);

  /* Licences: C02, C03, C04, C14, C15, C17; drug misuse C02, C03, C04;
   * continuity as in the whole report (all four were on licence). */
  assert_counts (indicators, "caseload", 6, 6);
  assert_counts (indicators, "drug_misuse", 3, 6);
  assert_counts (indicators, "continuity", 1, 4);

  /* Community orders: C01, C05, C07, C08, C09, C11, C12, C16, C18–C21,
   * C23, E1. */
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_SENTENCE_TYPE, "community_order"), ==, 14);
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_SENTENCE_TYPE, "suspended_sentence_order"), ==, 3);
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_SENTENCE_TYPE, "licence"), ==, 6);
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_SENTENCE_TYPE, "post_sentence_supervision"), ==, 1);
  g_assert_cmpint (row_caseload (all, CB_BREAKDOWN_SENTENCE_TYPE, "pre_sentence"), ==, 1);
  /* Required, so no "not recorded" row. */
  g_assert_null (find_row (all, CB_BREAKDOWN_SENTENCE_TYPE, CB_BREAKDOWN_KEY_NOT_RECORDED));
}

static void
test_fixture_substance_groups (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);
  GPtrArray *rows = cb_indicators_get_breakdown (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP);
  const CbBreakdownRow *opiate = get_row (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP, "opiate");
  static const char *order[] = {
    "opiate", "non_opiate_and_alcohol", "non_opiate_only", "alcohol_only", "none",
  };

  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (((CbBreakdownRow *) g_ptr_array_index (rows, i))->key, ==, order[i]);

  /* Opiate: C01 (heroin with crack), C05, C11. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP, "opiate"), ==, 3);
  /* Cannabis with alcohol: C03. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP, "non_opiate_and_alcohol"), ==, 1);
  /* C02 crack, C04 cocaine, C06 ketamine, C07 ecstasy. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP, "non_opiate_only"), ==, 4);
  /* C09. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP, "alcohol_only"), ==, 1);
  /* The other 16. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP, "none"), ==, 16);

  /* Within the opiate row: drug misuse C01, C05 of 3; naloxone C01, C11
   * of 3. */
  g_assert_cmpint (opiate->values[CB_INDICATOR_DRUG_MISUSE].numerator, ==, 2);
  g_assert_cmpint (opiate->values[CB_INDICATOR_NALOXONE].numerator, ==, 2);
  g_assert_cmpint (opiate->values[CB_INDICATOR_NALOXONE].denominator, ==, 3);
  g_assert_cmpstr (opiate->values[CB_INDICATOR_NALOXONE].id, ==, "naloxone");
}

static void
test_fixture_age_bands (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);
  GPtrArray *rows = cb_indicators_get_breakdown (indicators, CB_BREAKDOWN_AGE_BAND);
  const CbBreakdownRow *young = get_row (indicators, CB_BREAKDOWN_AGE_BAND, "18-25");
  static const char *order[] = {
    CB_BREAKDOWN_KEY_UNDER_18, "18-25", "26-29", "30-49", "50+", CB_BREAKDOWN_KEY_NOT_RECORDED,
  };

  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (((CbBreakdownRow *) g_ptr_array_index (rows, i))->key, ==, order[i]);

  /* At 2025: C06 is 17. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_AGE_BAND, "under-18"), ==, 1);
  /* C05 18, C22 22, C12 24, C01 25. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_AGE_BAND, "18-25"), ==, 4);
  /* C10 26, C04 29. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_AGE_BAND, "26-29"), ==, 2);
  /* C16 30 … C09 45: C02, C08, C09, C13, C14, C16, C17, C18–C21, C23, E1. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_AGE_BAND, "30-49"), ==, 13);
  /* C15 50, C03 55, C11 65. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_AGE_BAND, "50+"), ==, 3);
  /* C07, E3. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_AGE_BAND, "not-recorded"), ==, 2);

  /* 18–25 with drug misuse: C01, C05; tested: C01. */
  g_assert_cmpint (young->values[CB_INDICATOR_TESTED].numerator, ==, 1);
  g_assert_cmpint (young->values[CB_INDICATOR_TESTED].denominator, ==, 2);
}

/* The same people a year on: each band is taken at the period's last
 * day. */
static void
test_age_bands_at_to (Fixture       *fixture,
                      gconstpointer  data)
{
  static const FixtureCase people[] = {
    { "A1", "North", "licence", "2020-01-01", NULL, "birth_year=2000" },
    { "A2", "North", "licence", "2020-01-01", NULL, "birth_year=1996" },
    { "A3", "North", "licence", "2020-01-01", NULL, "birth_year=2008" },
    { "A4", "North", "licence", "2020-01-01", NULL, "birth_year=1976" },
  };
  g_autoptr(CbIndicators) before = NULL;
  g_autoptr(CbIndicators) after = NULL;

  save_cases (fixture->store, people, G_N_ELEMENTS (people));
  before = compute (fixture->store, "2025-06-30", "2025-06-30", NULL);
  after = compute (fixture->store, "2025-06-30", "2026-06-30", NULL);

  /* 2025: A1 25, A2 29, A3 17, A4 49. */
  g_assert_cmpint (row_caseload (before, CB_BREAKDOWN_AGE_BAND, "under-18"), ==, 1);
  g_assert_cmpint (row_caseload (before, CB_BREAKDOWN_AGE_BAND, "18-25"), ==, 1);
  g_assert_cmpint (row_caseload (before, CB_BREAKDOWN_AGE_BAND, "26-29"), ==, 1);
  g_assert_cmpint (row_caseload (before, CB_BREAKDOWN_AGE_BAND, "30-49"), ==, 1);
  g_assert_cmpint (row_caseload (before, CB_BREAKDOWN_AGE_BAND, "50+"), ==, 0);

  /* 2026: A1 26, A2 30, A3 18, A4 50. */
  g_assert_cmpint (row_caseload (after, CB_BREAKDOWN_AGE_BAND, "under-18"), ==, 0);
  g_assert_cmpint (row_caseload (after, CB_BREAKDOWN_AGE_BAND, "18-25"), ==, 1);
  g_assert_cmpint (row_caseload (after, CB_BREAKDOWN_AGE_BAND, "26-29"), ==, 1);
  g_assert_cmpint (row_caseload (after, CB_BREAKDOWN_AGE_BAND, "30-49"), ==, 1);
  g_assert_cmpint (row_caseload (after, CB_BREAKDOWN_AGE_BAND, "50+"), ==, 1);
}

static void
test_fixture_gender_ethnicity (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);
  GPtrArray *genders = cb_indicators_get_breakdown (indicators, CB_BREAKDOWN_GENDER);
  const CbBreakdownRow *last = g_ptr_array_index (genders, genders->len - 1);

  /* Female: C03, C08, C11, C19. Non-binary: C05. Not stated: C23. Not
   * recorded: C06, E3. Male: the other 17. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_GENDER, "male"), ==, 17);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_GENDER, "female"), ==, 4);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_GENDER, "non_binary"), ==, 1);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_GENDER, "not_stated"), ==, 1);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_GENDER, "not-recorded"), ==, 2);
  g_assert_cmpstr (last->key, ==, CB_BREAKDOWN_KEY_NOT_RECORDED);
  g_assert_cmpstr (last->label, ==, "Not recorded");

  /* Black: C03, C10. Asian: C04. Mixed: C05. Other: C12. Not stated:
   * C23. Not recorded: C06, E3. White: the other 17. */
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_ETHNICITY, "white"), ==, 17);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_ETHNICITY, "black"), ==, 2);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_ETHNICITY, "asian"), ==, 1);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_ETHNICITY, "mixed"), ==, 1);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_ETHNICITY, "other"), ==, 1);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_ETHNICITY, "not_stated"), ==, 1);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_ETHNICITY, "not-recorded"), ==, 2);
}

/* Every case falls in exactly one row of each breakdown. */
static void
assert_breakdowns_add_up (CbIndicators *indicators)
{
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    {
      GPtrArray *rows = cb_indicators_get_breakdown (indicators, kind);

      for (guint i = 0; i < CB_N_INDICATORS; i++)
        {
          const CbIndicator *total = cb_indicators_get (indicators, i);
          gint64 numerator = 0, denominator = 0;

          for (guint r = 0; r < rows->len; r++)
            {
              const CbBreakdownRow *row = g_ptr_array_index (rows, r);

              numerator += row->values[i].numerator;
              denominator += row->values[i].denominator;
            }

          if (numerator != total->numerator || denominator != total->denominator)
            g_error ("%s by %s: rows add up to %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                     total->id, cb_breakdown_kind_get_id (kind), numerator, denominator);
        }
    }
}

static void
test_fixture_breakdowns_add_up (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);

  assert_breakdowns_add_up (indicators);
}

static void
test_fixture_cascade (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);
  g_autoptr(GPtrArray) steps = cb_indicators_get_cascade (indicators);
  static const char *ids[] = { "caseload", "drug_misuse", "class_a", "tested", "referred", "started" };
  /* From test_fixture_indicators. */
  static const gint64 counts[] = { 25, 8, 5, 4, 4, 3 };

  g_assert_cmpuint (steps->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < steps->len; i++)
    {
      const CbIndicator *step = g_ptr_array_index (steps, i);

      g_assert_cmpstr (step->id, ==, ids[i]);
      g_assert_cmpint (step->numerator, ==, counts[i]);
    }
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, FROM, TO, NULL);

  g_assert_cmpint (cb_indicators_get_caseload (indicators), ==, 0);
  for (guint i = 0; i < CB_N_INDICATORS; i++)
    {
      const CbIndicator *indicator = cb_indicators_get (indicators, i);

      g_assert_cmpint (indicator->numerator, ==, 0);
      g_assert_cmpint (indicator->denominator, ==, 0);
      g_assert_false (cb_indicator_has_percentage (indicator));
      g_assert_true (isnan (cb_indicator_get_percentage (indicator)));
      g_assert_cmpint (cb_indicator_compare_national (indicator), ==, CB_COMPARISON_NONE);
    }

  /* No areas; the fixed rows are there, empty. */
  g_assert_cmpuint (cb_indicators_get_breakdown (indicators, CB_BREAKDOWN_AREA)->len, ==, 0);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_SUBSTANCE_GROUP, "none"), ==, 0);
  g_assert_cmpint (row_caseload (indicators, CB_BREAKDOWN_AGE_BAND, "50+"), ==, 0);
  assert_breakdowns_add_up (indicators);
}

/* A period with no active case in a full store is empty too. */
static void
test_fixture_empty_period (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CbIndicators) indicators = compute (fixture->store, "2010-01-01", "2010-12-31", NULL);

  g_assert_cmpint (cb_indicators_get_caseload (indicators), ==, 0);
  assert_counts (indicators, "tested", 0, 0);
}

static void
test_fixture_period_forms (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *today = NULL;
  g_autoptr(CbIndicators) uk = compute (fixture->store, "01/01/2025", "31/12/2025", NULL);
  g_autoptr(CbIndicators) now = compute (fixture->store, NULL, NULL, NULL);
  g_autoptr(CbIndicators) last_day = compute (fixture->store, NULL, "2025-12-31", NULL);
  g_autoptr(CbIndicators) everything = NULL;
  g_autoptr(GError) error = NULL;

  /* UK dates are read and given back as ISO. */
  g_assert_cmpstr (cb_indicators_get_from (uk), ==, FROM);
  g_assert_cmpstr (cb_indicators_get_to (uk), ==, TO);
  g_assert_cmpint (cb_indicators_get_caseload (uk), ==, CASELOAD);

  /* No period: today at both ends. */
  today = cb_today_iso ();
  g_assert_cmpstr (cb_indicators_get_from (now), ==, today);
  g_assert_cmpstr (cb_indicators_get_to (now), ==, today);

  /* Only a last day: a one-day report. On 2025-12-31, C18–C20 have
   * ended and E1 too; E3 starts that day: 25 − 4 = 21. */
  g_assert_cmpstr (cb_indicators_get_from (last_day), ==, "2025-12-31");
  g_assert_cmpint (cb_indicators_get_caseload (last_day), ==, 21);

  /* A NULL query is every area, today. */
  everything = cb_indicators_compute (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_indicators_get_to (everything), ==, today);
}

static void
test_fixture_bad_period (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbIndicators) indicators = NULL;
  g_autoptr(GError) error = NULL;

  cb_case_query_set_period (query, "2025-02-30", TO);
  indicators = cb_indicators_compute (fixture->store, query, NULL, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_null (indicators);
  g_assert_nonnull (strstr (error->message, "2025-02-30"));
  g_clear_error (&error);

  cb_case_query_set_period (query, TO, FROM);
  indicators = cb_indicators_compute (fixture->store, query, NULL, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_null (indicators);
}

static void
test_fixture_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CbIndicators) indicators = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  indicators = cb_indicators_compute (fixture->store, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (indicators);
}

/* The Cases page's own filters carry into the report. */
static void
test_fixture_query_filters (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbIndicators) indicators = NULL;
  g_autoptr(GError) error = NULL;

  cb_case_query_set_period (query, FROM, TO);
  cb_case_query_set_gaps (query, CB_GAP_NOT_TESTED);
  indicators = cb_indicators_compute (fixture->store, query, NULL, &error);
  g_assert_no_error (error);

  /* Drug misuse but not tested: C02, C05, C06, C08. */
  assert_counts (indicators, "caseload", 4, 4);
  assert_counts (indicators, "tested", 0, 4);
}

/* An independent count of a demo store, case by case in C */

typedef struct
{
  gint64 numerator[CB_N_INDICATORS];
  gint64 denominator[CB_N_INDICATORS];
} Counts;

static gboolean
yes (CbCase    *record,
     CbFieldId  field)
{
  return cb_case_get_yes_no (record, field) == CB_YES_NO_YES;
}

static gboolean
is_set (CbCase    *record,
        CbFieldId  field)
{
  return cb_case_get (record, field) != NULL;
}

static gboolean
within_days (CbCase    *record,
             CbFieldId  from,
             CbFieldId  to,
             int        max_days)
{
  int days = cb_date_days_between (cb_case_get (record, from), cb_case_get (record, to));

  return days != G_MININT && days >= 0 && days <= max_days;
}

static void
tick (Counts          *counts,
      CbIndicatorKind  kind,
      gboolean         in_denominator,
      gboolean         in_numerator)
{
  if (!in_denominator)
    return;
  counts->denominator[kind]++;
  if (in_numerator)
    counts->numerator[kind]++;
}

static gboolean
complete (CbCase *record)
{
  static const CbFieldId fields[] = {
    CB_FIELD_SUBSTANCES, CB_FIELD_MAIN_SUBSTANCE, CB_FIELD_USE_FREQUENCY, CB_FIELD_INJECTING,
    CB_FIELD_PRIORITY_FACTOR, CB_FIELD_MOTIVATION, CB_FIELD_TESTED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!is_set (record, fields[i]))
      return FALSE;

  return TRUE;
}

/* The dictionary's table, read again. */
static void
count_case (Counts *counts,
            CbCase *record)
{
  gboolean misuse = yes (record, CB_FIELD_DRUG_MISUSE);
  gboolean referred = is_set (record, CB_FIELD_REFERRED_ON);
  gboolean started = is_set (record, CB_FIELD_TREATMENT_STARTED_ON);
  gboolean released = is_set (record, CB_FIELD_RELEASED_ON) && yes (record, CB_FIELD_CUSTODY_TREATMENT);
  const char *intervention = cb_case_get (record, CB_FIELD_INTERVENTION);
  const char *death = cb_case_get (record, CB_FIELD_DEATH_DRUG_RELATED);

  tick (counts, CB_INDICATOR_CASELOAD, TRUE, TRUE);
  tick (counts, CB_INDICATOR_DRUG_MISUSE, TRUE, misuse);
  tick (counts, CB_INDICATOR_CLASS_A, misuse, cb_case_is_class_a (record));
  tick (counts, CB_INDICATOR_TESTED, misuse, yes (record, CB_FIELD_TESTED));
  tick (counts, CB_INDICATOR_REFERRED, misuse, referred);
  tick (counts, CB_INDICATOR_STARTED, referred, started);
  tick (counts, CB_INDICATOR_WAITED_21, referred && started,
        within_days (record, CB_FIELD_REFERRED_ON, CB_FIELD_TREATMENT_STARTED_ON, 21));
  tick (counts, CB_INDICATOR_PRIORITY_INTERVENTION, yes (record, CB_FIELD_PRIORITY_FACTOR),
        intervention != NULL && !g_str_equal (intervention, "none"));
  tick (counts, CB_INDICATOR_CONTINUITY, released,
        within_days (record, CB_FIELD_RELEASED_ON, CB_FIELD_COMMUNITY_TREATMENT_ON, 21));
  tick (counts, CB_INDICATOR_NALOXONE, cb_case_is_opiate_user (record), yes (record, CB_FIELD_NALOXONE));
  tick (counts, CB_INDICATOR_DRR_CONSENT, cb_case_has_code (record, CB_FIELD_REQUIREMENTS, "drr"),
        yes (record, CB_FIELD_DRR_CONSENT));
  tick (counts, CB_INDICATOR_REQ_DRR, TRUE, cb_case_has_code (record, CB_FIELD_REQUIREMENTS, "drr"));
  tick (counts, CB_INDICATOR_REQ_ATR, TRUE, cb_case_has_code (record, CB_FIELD_REQUIREMENTS, "atr"));
  tick (counts, CB_INDICATOR_REQ_MHTR, TRUE, cb_case_has_code (record, CB_FIELD_REQUIREMENTS, "mhtr"));
  tick (counts, CB_INDICATOR_REQ_DRUG_TESTING, TRUE,
        cb_case_has_code (record, CB_FIELD_REQUIREMENTS, "drug_testing"));
  tick (counts, CB_INDICATOR_DRUG_DEATHS, TRUE,
        is_set (record, CB_FIELD_DIED_ON) && death != NULL &&
        (g_str_equal (death, "yes") || g_str_equal (death, "suspected")));
  tick (counts, CB_INDICATOR_COMPLETE, misuse, complete (record));
}

static gboolean
active_in (CbCase     *record,
           const char *from,
           const char *to)
{
  const char *end = cb_case_get (record, CB_FIELD_END_DATE);

  return strcmp (cb_case_get (record, CB_FIELD_START_DATE), to) <= 0 &&
         (end == NULL || strcmp (end, from) >= 0);
}

static char *
age_band (CbCase *record,
          int     year)
{
  const char *birth_year = cb_case_get (record, CB_FIELD_BIRTH_YEAR);
  int age;

  if (birth_year == NULL)
    return g_strdup ("not-recorded");

  age = year - atoi (birth_year);
  return g_strdup (age < 18 ? "under-18" : age <= 25 ? "18-25" : age <= 29 ? "26-29" :
                   age <= 49 ? "30-49" : "50+");
}

static char *
breakdown_key (CbCase          *record,
               CbBreakdownKind  kind,
               int              year)
{
  static const CbFieldId fields[CB_N_BREAKDOWNS] = {
    [CB_BREAKDOWN_AREA] = CB_FIELD_AREA,
    [CB_BREAKDOWN_SENTENCE_TYPE] = CB_FIELD_SENTENCE_TYPE,
    [CB_BREAKDOWN_GENDER] = CB_FIELD_GENDER,
    [CB_BREAKDOWN_ETHNICITY] = CB_FIELD_ETHNICITY,
  };
  const char *value;

  if (kind == CB_BREAKDOWN_SUBSTANCE_GROUP)
    return g_strdup (cb_substance_group_get_code (cb_case_get_substance_group (record)));
  if (kind == CB_BREAKDOWN_AGE_BAND)
    return age_band (record, year);

  value = cb_case_get (record, fields[kind]);
  return g_strdup (value ? value : "not-recorded");
}

typedef struct
{
  Counts      total;
  GHashTable *rows[CB_N_BREAKDOWNS];  /* key → Counts */
} Recount;

static void
recount_free (Recount *recount)
{
  for (guint i = 0; i < CB_N_BREAKDOWNS; i++)
    g_hash_table_unref (recount->rows[i]);
  g_free (recount);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recount, recount_free)

static Recount *
recount (CbCaseStore        *store,
         const char         *from,
         const char         *to,
         const char * const *areas)
{
  g_autoptr(CbCaseList) list = cb_case_list_new (store, NULL);
  Recount *result = g_new0 (Recount, 1);
  int year = atoi (to);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < CB_N_BREAKDOWNS; i++)
    result->rows[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_cmpuint (n, ==, cb_case_store_count (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCase) record = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (!active_in (record, from, to) ||
          (areas && !g_strv_contains (areas, cb_case_get (record, CB_FIELD_AREA))))
        continue;

      count_case (&result->total, record);
      for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
        {
          char *key = breakdown_key (record, kind, year);
          Counts *counts = g_hash_table_lookup (result->rows[kind], key);

          if (counts == NULL)
            g_hash_table_insert (result->rows[kind], key, (counts = g_new0 (Counts, 1)));
          else
            g_free (key);
          count_case (counts, record);
        }
    }

  return result;
}

static void
assert_same_counts (const CbIndicator *values,
                    const Counts      *counts,
                    const char        *where)
{
  for (guint i = 0; i < CB_N_INDICATORS; i++)
    if (values[i].numerator != counts->numerator[i] ||
        values[i].denominator != counts->denominator[i])
      g_error ("%s, %s: SQL counted %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
               ", C counted %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
               where, values[i].id, values[i].numerator, values[i].denominator,
               counts->numerator[i], counts->denominator[i]);
}

static void
cross_check (CbCaseStore        *store,
             const char         *from,
             const char         *to,
             const char * const *areas)
{
  g_autoptr(CbIndicators) indicators = compute (store, from, to, areas);
  g_autoptr(Recount) expected = recount (store, from, to, areas);
  CbIndicator totals[CB_N_INDICATORS];

  for (guint i = 0; i < CB_N_INDICATORS; i++)
    totals[i] = *cb_indicators_get (indicators, i);
  assert_same_counts (totals, &expected->total, "total");
  g_assert_cmpint (cb_indicators_get_caseload (indicators), >, 0);

  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    {
      GPtrArray *rows = cb_indicators_get_breakdown (indicators, kind);
      guint n_non_empty = 0;

      for (guint r = 0; r < rows->len; r++)
        {
          const CbBreakdownRow *row = g_ptr_array_index (rows, r);
          const Counts *counts = g_hash_table_lookup (expected->rows[kind], row->key);
          static const Counts none;
          g_autofree char *where = g_strdup_printf ("%s %s", cb_breakdown_kind_get_id (kind), row->key);

          assert_same_counts (row->values, counts ? counts : &none, where);
          n_non_empty += counts != NULL;
        }

      /* No key of the C count is missing from the breakdown. */
      g_assert_cmpuint (n_non_empty, ==, g_hash_table_size (expected->rows[kind]));
    }

  assert_breakdowns_add_up (indicators);
}

static void
test_demo_cross_check (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *two_areas[] = { "Leeds", "Lambeth", NULL };
  g_autoptr(GError) error = NULL;

  cb_demo_data_generate (fixture->store, 10000, CB_DEMO_DEFAULT_SEED, CB_DEMO_DEFAULT_ANCHOR,
                         NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The caseload on the demo's day, a year up to it, and two areas. */
  cross_check (fixture->store, CB_DEMO_DEFAULT_ANCHOR, CB_DEMO_DEFAULT_ANCHOR, NULL);
  cross_check (fixture->store, "2025-04-01", CB_DEMO_DEFAULT_ANCHOR, NULL);
  cross_check (fixture->store, "2025-04-01", CB_DEMO_DEFAULT_ANCHOR, two_areas);
}

/* casebook-cli stats --json, read back with a small JSON reader */

typedef struct
{
  const char *p;
} Json;

static GVariant *json_value (Json *json);

static void
json_space (Json *json)
{
  while (*json->p == ' ' || *json->p == '\n' || *json->p == '\t' || *json->p == '\r')
    json->p++;
}

static gboolean
json_take (Json       *json,
           const char *token)
{
  json_space (json);
  if (!g_str_has_prefix (json->p, token))
    return FALSE;
  json->p += strlen (token);
  return TRUE;
}

static char *
json_string (Json *json)
{
  GString *text = g_string_new (NULL);

  g_assert_true (json_take (json, "\""));
  for (; *json->p != '"'; json->p++)
    {
      g_assert_cmpint (*json->p, !=, '\0');
      g_assert_cmpint ((guchar) *json->p, >=, 0x20);
      if (*json->p != '\\')
        {
          g_string_append_c (text, *json->p);
          continue;
        }
      switch (*++json->p)
        {
        case 'n': g_string_append_c (text, '\n'); break;
        case 't': g_string_append_c (text, '\t'); break;
        case 'r': g_string_append_c (text, '\r'); break;
        case '"': case '\\': case '/': g_string_append_c (text, *json->p); break;
        case 'u':
          {
            char hex[5] = { 0 };

            memcpy (hex, json->p + 1, 4);
            g_string_append_unichar (text, g_ascii_strtoull (hex, NULL, 16));
            json->p += 4;
          }
          break;
        default:
          g_error ("bad escape \\%c", *json->p);
        }
    }
  json->p++;

  return g_string_free (text, FALSE);
}

static GVariant *
json_member (Json     *json,
             gboolean  object)
{
  g_autofree char *name = NULL;

  if (!object)
    return g_variant_new_variant (json_value (json));

  name = json_string (json);
  g_assert_true (json_take (json, ":"));
  return g_variant_new_dict_entry (g_variant_new_string (name),
                                   g_variant_new_variant (json_value (json)));
}

/* After the opening bracket: members up to the closing one. */
static GVariant *
json_container (Json     *json,
                gboolean  object)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (object ? G_VARIANT_TYPE ("a{sv}")
                                                                    : G_VARIANT_TYPE ("av"));
  const char *close = object ? "}" : "]";

  if (json_take (json, close))
    return g_variant_builder_end (builder);

  do
    g_variant_builder_add_value (builder, json_member (json, object));
  while (json_take (json, ","));

  g_assert_true (json_take (json, close));
  return g_variant_builder_end (builder);
}

static GVariant *
json_number (Json *json)
{
  char *end = NULL;
  double value = g_ascii_strtod (json->p, &end);

  g_assert_true (end > json->p);
  json->p = end;
  if (value == floor (value) && fabs (value) < 1e15)
    return g_variant_new_int64 ((gint64) value);
  return g_variant_new_double (value);
}

static GVariant *
json_value (Json *json)
{
  json_space (json);
  if (json_take (json, "{"))
    return json_container (json, TRUE);
  if (json_take (json, "["))
    return json_container (json, FALSE);
  if (*json->p == '"')
    {
      g_autofree char *text = json_string (json);
      return g_variant_new_string (text);
    }
  if (json_take (json, "null"))
    return g_variant_new ("()");
  if (json_take (json, "true"))
    return g_variant_new_boolean (TRUE);
  if (json_take (json, "false"))
    return g_variant_new_boolean (FALSE);
  return json_number (json);
}

static GVariant *
json_parse (const char *text)
{
  Json json = { text };
  GVariant *value = g_variant_ref_sink (json_value (&json));

  json_space (&json);
  g_assert_cmpstr (json.p, ==, "");
  return value;
}

static int
run_cli (const char  *db,
         const char **args,
         char       **out,
         char       **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (char *) CLI_PATH);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  g_ptr_array_add (argv, (char *) "stats");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static GVariant *
lookup_indicator (GVariant   *indicators,
                  const char *id)
{
  for (gsize i = 0; i < g_variant_n_children (indicators); i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (indicators, i);
      g_autoptr(GVariant) object = g_variant_get_variant (item);
      const char *item_id = NULL;

      if (g_variant_lookup (object, "id", "&s", &item_id) && g_str_equal (item_id, id))
        return g_steal_pointer (&object);
    }

  return NULL;
}

static void
test_cli_json (Fixture       *fixture,
               gconstpointer  data)
{
  const char *args[] = { "--from", FROM, "--to", TO, "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) indicators = NULL;
  g_autoptr(GVariant) tested = NULL;
  g_autoptr(GVariant) started = NULL;
  gint64 value;

  /* The test build always builds the CLI: its absence is a failure. */
  g_assert_true (g_file_test (CLI_PATH, G_FILE_TEST_IS_EXECUTABLE));

  /* The child opens the file on its own. */
  g_clear_object (&fixture->store);
  g_assert_cmpint (run_cli (fixture->path, args, &out, &err), ==, 0);
  json = json_parse (out);

  g_assert_true (g_variant_lookup (json, "caseload", "x", &value));
  g_assert_cmpint (value, ==, CASELOAD);
  indicators = g_variant_lookup_value (json, "indicators", G_VARIANT_TYPE ("av"));
  g_assert_nonnull (indicators);
  g_assert_cmpuint (g_variant_n_children (indicators), ==, CB_N_INDICATORS);

  /* As test_fixture_indicators worked out. */
  tested = lookup_indicator (indicators, "tested");
  g_assert_true (g_variant_lookup (tested, "numerator", "x", &value));
  g_assert_cmpint (value, ==, 4);
  g_assert_true (g_variant_lookup (tested, "denominator", "x", &value));
  g_assert_cmpint (value, ==, 8);
  started = lookup_indicator (indicators, "started");
  g_assert_true (g_variant_lookup (started, "numerator", "x", &value));
  g_assert_cmpint (value, ==, 3);
}

static void
test_cli_json_escaping (Fixture       *fixture,
                        gconstpointer  data)
{
  static const FixtureCase odd[] = {
    { "Q1", "Quote \"q\" back\\slash\ttab", "licence", "2024-01-01", NULL, "drug_misuse=yes" },
  };
  const char *args[] = { "--to", TO, "--json", "--breakdowns", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) breakdowns = NULL;
  g_autoptr(GVariant) areas = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) area = NULL;
  const char *key = NULL;

  /* The test build always builds the CLI: its absence is a failure. */
  g_assert_true (g_file_test (CLI_PATH, G_FILE_TEST_IS_EXECUTABLE));

  save_cases (fixture->store, odd, G_N_ELEMENTS (odd));
  g_clear_object (&fixture->store);
  g_assert_cmpint (run_cli (fixture->path, args, &out, &err), ==, 0);
  json = json_parse (out);

  breakdowns = g_variant_lookup_value (json, "breakdowns", G_VARIANT_TYPE ("a{sv}"));
  g_assert_nonnull (breakdowns);
  areas = g_variant_lookup_value (breakdowns, "area", G_VARIANT_TYPE ("av"));
  g_assert_cmpuint (g_variant_n_children (areas), ==, 1);
  first = g_variant_get_child_value (areas, 0);
  area = g_variant_get_variant (first);
  g_assert_true (g_variant_lookup (area, "key", "&s", &key));
  g_assert_cmpstr (key, ==, "Quote \"q\" back\\slash\ttab");
}

static void
test_cli_bad_dates (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *bad[] = { "--from", "2025-13-01", NULL };
  const char *reversed[] = { "--from", TO, "--to", FROM, NULL };
  const char *uk[] = { "--from", "01/01/2025", "--to", "31/12/2025", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* The test build always builds the CLI: its absence is a failure. */
  g_assert_true (g_file_test (CLI_PATH, G_FILE_TEST_IS_EXECUTABLE));

  g_clear_object (&fixture->store);
  g_assert_cmpint (run_cli (fixture->path, bad, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "2025-13-01"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture->path, reversed, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture->path, uk, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"caseload\": 25"));
}

#define ADD(name, set_up, func) \
  g_test_add (name, Fixture, NULL, set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/indicators/fixture/counts", fixture_set_up, test_fixture_indicators);
  ADD ("/indicators/fixture/descriptions", fixture_set_up, test_fixture_descriptions);
  ADD ("/indicators/fixture/percentages", fixture_set_up, test_fixture_percentages);
  g_test_add_func ("/indicators/comparison", test_comparison);
  ADD ("/indicators/fixture/areas", fixture_set_up, test_fixture_areas);
  ADD ("/indicators/fixture/sentence-types", fixture_set_up, test_fixture_sentence_types);
  ADD ("/indicators/fixture/substance-groups", fixture_set_up, test_fixture_substance_groups);
  ADD ("/indicators/fixture/age-bands", fixture_set_up, test_fixture_age_bands);
  ADD ("/indicators/age-bands-at-to", empty_set_up, test_age_bands_at_to);
  ADD ("/indicators/fixture/gender-ethnicity", fixture_set_up, test_fixture_gender_ethnicity);
  ADD ("/indicators/fixture/breakdowns-add-up", fixture_set_up, test_fixture_breakdowns_add_up);
  ADD ("/indicators/fixture/cascade", fixture_set_up, test_fixture_cascade);
  ADD ("/indicators/fixture/empty-period", fixture_set_up, test_fixture_empty_period);
  ADD ("/indicators/fixture/period-forms", fixture_set_up, test_fixture_period_forms);
  ADD ("/indicators/fixture/bad-period", fixture_set_up, test_fixture_bad_period);
  ADD ("/indicators/fixture/cancelled", fixture_set_up, test_fixture_cancelled);
  ADD ("/indicators/fixture/query-filters", fixture_set_up, test_fixture_query_filters);
  ADD ("/indicators/empty", empty_set_up, test_empty);
  ADD ("/indicators/demo-cross-check", empty_set_up, test_demo_cross_check);
  ADD ("/indicators/cli/json", fixture_set_up, test_cli_json);
  ADD ("/indicators/cli/json-escaping", empty_set_up, test_cli_json_escaping);
  ADD ("/indicators/cli/bad-dates", fixture_set_up, test_cli_bad_dates);

  return g_test_run ();
}
