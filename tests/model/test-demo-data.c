/* test-demo-data.c — the synthetic caseload: repeatable, realistic, valid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-test-demo"

#include <glib/gstdio.h>
#include <libglib-testing/signal-logger.h>
#include <stdlib.h>
#include <string.h>

#include "cb-case-list.h"
#include "cb-case-store.h"
#include "cb-demo-data.h"
#include "cb-error.h"
#include "cb-test-util.h"

#define N_CASES 10000
#define N_SMALL 1500

/* Every row and column as stored, to compare two databases. */
#define ALL_CASES_BY_REF "SELECT * FROM cases ORDER BY case_ref"

/* The 10,000-case caseload of the default seed, made once in main(). */
static char      *tmp_dir;
static GPtrArray *caseload;

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static char *
temp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
generate (CbCaseStore *store,
          guint        n,
          guint32      seed)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_demo_data_generate (store, n, seed, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Every case of a store, in reference order, through the model. */
static GPtrArray *
read_all (CbCaseStore *store)
{
  g_autoptr(CbCaseList) list = cb_case_list_new (store, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  GPtrArray *cases = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (cases, g_list_model_get_item (G_LIST_MODEL (list), i));

  return cases;
}

static void
assert_same_cases (GPtrArray *a,
                   GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    for (guint f = 0; f < CB_N_FIELDS; f++)
      {
        const char *va = cb_case_get (g_ptr_array_index (a, i), f);
        const char *vb = cb_case_get (g_ptr_array_index (b, i), f);

        if (g_strcmp0 (va, vb) != 0)
          g_error ("case %u, %s: “%s” and “%s” differ", i, cb_field_get (f)->name, va, vb);
      }
}

static gboolean
is_yes (CbCase    *c,
        CbFieldId  field)
{
  return g_strcmp0 (cb_case_get (c, field), "yes") == 0;
}

static void
assert_share (const char *what,
              guint       numerator,
              guint       denominator,
              double      expected,
              double      tolerance)
{
  double share;

  g_assert_cmpuint (denominator, >, 0);
  share = (double) numerator / denominator;
  g_test_message ("%s: %u / %u = %.3f (expected %.3f +/- %.3f)",
                  what, numerator, denominator, share, expected, tolerance);
  g_assert_cmpfloat_with_epsilon (share, expected, tolerance);
}

/* ------------------------------------------------------------------ */
/* Repeatability                                                      */
/* ------------------------------------------------------------------ */

static void
test_same_seed_same_rows (void)
{
  g_autofree char *path_a = temp_path ("seed-a.db");
  g_autofree char *path_b = temp_path ("seed-b.db");
  g_autoptr(CbCaseStore) a = cb_test_open_store (path_a);
  g_autoptr(CbCaseStore) b = cb_test_open_store (path_b);
  g_autoptr(GPtrArray) cases_a = NULL;
  g_autoptr(GPtrArray) cases_b = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;

  generate (a, N_SMALL, 7);
  generate (b, N_SMALL, 7);

  cases_a = read_all (a);
  cases_b = read_all (b);
  g_assert_cmpuint (cases_a->len, ==, N_SMALL);
  assert_same_cases (cases_a, cases_b);

  /* And in the files, derived columns included. */
  dump_a = cb_test_dump_file (path_a, ALL_CASES_BY_REF);
  dump_b = cb_test_dump_file (path_b, ALL_CASES_BY_REF);
  g_assert_cmpstr (dump_a, ==, dump_b);

  g_clear_object (&a);
  g_clear_object (&b);
  cb_test_remove_db (path_a);
  cb_test_remove_db (path_b);
}

static void
test_different_seeds_differ (void)
{
  g_autofree char *path_a = temp_path ("seed-7.db");
  g_autofree char *path_b = temp_path ("seed-8.db");
  g_autoptr(CbCaseStore) a = cb_test_open_store (path_a);
  g_autoptr(CbCaseStore) b = cb_test_open_store (path_b);
  g_autoptr(GPtrArray) cases_a = NULL;
  g_autoptr(GPtrArray) cases_b = NULL;
  guint n_different = 0;

  generate (a, N_SMALL, 7);
  generate (b, N_SMALL, 8);
  cases_a = read_all (a);
  cases_b = read_all (b);
  g_assert_cmpuint (cases_a->len, ==, cases_b->len);

  for (guint i = 0; i < cases_a->len; i++)
    {
      CbCase *ca = g_ptr_array_index (cases_a, i);
      CbCase *cb = g_ptr_array_index (cases_b, i);

      /* Same references, different people. */
      g_assert_cmpstr (cb_case_get (ca, CB_FIELD_CASE_REF), ==, cb_case_get (cb, CB_FIELD_CASE_REF));
      if (!cb_case_equal (ca, cb))
        n_different++;
    }
  g_assert_cmpuint (n_different, >, cases_a->len * 9 / 10);

  g_clear_object (&a);
  g_clear_object (&b);
  cb_test_remove_db (path_a);
  cb_test_remove_db (path_b);
}

/* Generating again updates by reference instead of adding. */
static void
test_same_seed_twice_upserts (void)
{
  g_autofree char *path = temp_path ("twice.db");
  g_autoptr(CbCaseStore) store = cb_test_open_store (path);
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  gt_signal_logger_connect (logger, store, "changed");

  generate (store, N_SMALL, 11);
  gt_signal_logger_assert_emission_pop (logger, store, "changed", NULL);
  gt_signal_logger_assert_no_emissions (logger);
  first = cb_test_dump_file (path, ALL_CASES_BY_REF);

  generate (store, N_SMALL, 11);
  gt_signal_logger_assert_emission_pop (logger, store, "changed", NULL);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpint (cb_case_store_count (store), ==, N_SMALL);
  second = cb_test_dump_file (path, ALL_CASES_BY_REF);
  g_assert_cmpstr (first, ==, second);

  /* A longer run with the same seed adds only the new references. */
  generate (store, N_SMALL + 100, 11);
  gt_signal_logger_assert_emission_pop (logger, store, "changed", NULL);
  g_assert_cmpint (cb_case_store_count (store), ==, N_SMALL + 100);

  gt_signal_logger_free (g_steal_pointer (&logger));
  g_clear_object (&store);
  cb_test_remove_db (path);
}

static void
record_progress (double   fraction,
                 gpointer data)
{
  GArray *seen = data;

  g_array_append_val (seen, fraction);
}

static void
test_progress_and_cancel (void)
{
  g_autofree char *path = temp_path ("cancel.db");
  g_autoptr(CbCaseStore) store = cb_test_open_store (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_demo_data_generate (store, 2500, 3, "2025-01-01",
                                        record_progress, seen, cancellable, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, >=, 2);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >, g_array_index (seen, double, i - 1));
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);

  /* A cancelled run writes nothing. */
  g_cancellable_cancel (cancellable);
  g_assert_false (cb_demo_data_generate (store, 100, 4, NULL, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (cb_case_store_count (store), ==, 2500);

  /* So does one with a day that is not a date. */
  g_assert_false (cb_demo_data_generate (store, 100, 4, "2025-02-30", NULL, NULL, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_cmpint (cb_case_store_count (store), ==, 2500);

  g_clear_object (&store);
  cb_test_remove_db (path);
}

/* ------------------------------------------------------------------ */
/* The default caseload                                               */
/* ------------------------------------------------------------------ */

static void
test_distributions (void)
{
  guint misuse = 0, tested = 0, referred = 0;
  guint priority = 0, priority_helped = 0;
  guint eligible = 0, continuity = 0;

  for (guint i = 0; i < caseload->len; i++)
    {
      CbCase *c = g_ptr_array_index (caseload, i);
      const char *intervention = cb_case_get (c, CB_FIELD_INTERVENTION);

      if (is_yes (c, CB_FIELD_DRUG_MISUSE))
        {
          misuse++;
          tested += is_yes (c, CB_FIELD_TESTED);
          referred += cb_case_get (c, CB_FIELD_REFERRED_ON) != NULL;
        }

      if (is_yes (c, CB_FIELD_PRIORITY_FACTOR))
        {
          priority++;
          priority_helped += intervention != NULL && !g_str_equal (intervention, "none");
        }

      if (cb_case_get (c, CB_FIELD_RELEASED_ON) != NULL && is_yes (c, CB_FIELD_CUSTODY_TREATMENT))
        {
          int days = cb_date_days_between (cb_case_get (c, CB_FIELD_RELEASED_ON),
                                           cb_case_get (c, CB_FIELD_COMMUNITY_TREATMENT_ON));
          eligible++;
          continuity += days >= 0 && days <= 21;
        }
    }

  /* The inspection's national picture. */
  assert_share ("drug misuse / caseload", misuse, caseload->len, 0.48, 0.04);
  assert_share ("tested / misuse", tested, misuse, 1.0 / 6.0, 0.04);
  g_test_message ("referred / misuse: %u / %u", referred, misuse);
  g_assert_cmpuint (referred, >, 0);
  g_assert_cmpuint (referred * 20, <, misuse);
  assert_share ("intervention / priority", priority_helped, priority, 0.47, 0.06);
  assert_share ("continuity / eligible", continuity, eligible, 1.0 / 3.0, 0.08);
}

static void
test_every_field_set_and_unset (void)
{
  for (guint f = 0; f < CB_N_FIELDS; f++)
    {
      const CbField *field = cb_field_get (f);
      guint set = 0;

      for (guint i = 0; i < caseload->len; i++)
        set += cb_case_get (g_ptr_array_index (caseload, i), f) != NULL;

      g_test_message ("%s: set in %u of %u", field->name, set, caseload->len);
      if (field->required)
        g_assert_cmpuint (set, ==, caseload->len);
      else
        {
          g_assert_cmpuint (set, >, 0);
          g_assert_cmpuint (set, <, caseload->len);
        }
    }
}

/* The things an import and an export must survive are in the data. */
static void
test_awkward_values (void)
{
  static const CbFieldId texts[] = { CB_FIELD_TEAM, CB_FIELD_PROVIDER, CB_FIELD_NOTES };
  gboolean quote = FALSE, comma = FALSE, newline = FALSE, non_ascii = FALSE;
  gboolean starts[4] = { FALSE, FALSE, FALSE, FALSE };
  const char *formula_starts = "=-+@";

  for (guint i = 0; i < caseload->len; i++)
    for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
      {
        const char *value = cb_case_get (g_ptr_array_index (caseload, i), texts[t]);

        if (value == NULL)
          continue;
        quote |= strchr (value, '"') != NULL;
        comma |= strchr (value, ',') != NULL;
        newline |= strchr (value, '\n') != NULL;
        for (const char *p = value; *p; p++)
          non_ascii |= (guchar) *p >= 0x80;
        for (guint s = 0; s < 4; s++)
          starts[s] |= value[0] == formula_starts[s];
      }

  g_assert_true (quote);
  g_assert_true (comma);
  g_assert_true (newline);
  g_assert_true (non_ascii);
  for (guint s = 0; s < 4; s++)
    if (!starts[s])
      g_error ("no text starts with “%c”", formula_starts[s]);
}

static void
test_every_case_valid (void)
{
  GDate anchor, start;
  int max_year = cb_field_birth_year_max ();

  g_assert_true (cb_date_parse (CB_DEMO_DEFAULT_ANCHOR, &anchor));

  for (guint i = 0; i < caseload->len; i++)
    {
      CbCase *c = g_ptr_array_index (caseload, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *ref = g_strdup_printf ("DEMO-%06u", i + 1);
      const char *year = cb_case_get (c, CB_FIELD_BIRTH_YEAR);

      if (!cb_case_validate (c, &error))
        g_error ("%s is not valid: %s", cb_case_get (c, CB_FIELD_CASE_REF), error->message);

      g_assert_cmpstr (cb_case_get (c, CB_FIELD_CASE_REF), ==, ref);

      /* Dated within the three years before the anchor day. */
      g_assert_true (cb_date_parse (cb_case_get (c, CB_FIELD_START_DATE), &start));
      g_assert_cmpint (g_date_days_between (&start, &anchor), >=, 0);
      g_assert_cmpint (g_date_days_between (&start, &anchor), <, 3 * 365);
      if (cb_case_get (c, CB_FIELD_END_DATE) != NULL)
        g_assert_cmpint (cb_date_days_between (cb_case_get (c, CB_FIELD_END_DATE), CB_DEMO_DEFAULT_ANCHOR), >=, 0);
      if (year != NULL)
        {
          g_assert_cmpint (atoi (year), >=, CB_BIRTH_YEAR_MIN);
          g_assert_cmpint (atoi (year), <=, max_year);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CbCaseStore *store;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = cb_test_make_temp_dir ("demo");
  path = temp_path ("default.db");
  store = cb_test_open_store (path);
  generate (store, N_CASES, CB_DEMO_DEFAULT_SEED);
  caseload = read_all (store);
  g_assert_cmpuint (caseload->len, ==, N_CASES);
  g_object_unref (store);

  g_test_add_func ("/demo/same-seed-same-rows", test_same_seed_same_rows);
  g_test_add_func ("/demo/different-seeds-differ", test_different_seeds_differ);
  g_test_add_func ("/demo/same-seed-twice-upserts", test_same_seed_twice_upserts);
  g_test_add_func ("/demo/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/demo/distributions", test_distributions);
  g_test_add_func ("/demo/every-field-set-and-unset", test_every_field_set_and_unset);
  g_test_add_func ("/demo/awkward-values", test_awkward_values);
  g_test_add_func ("/demo/every-case-valid", test_every_case_valid);

  status = g_test_run ();

  g_ptr_array_unref (caseload);
  cb_test_remove_db (path);
  cb_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
