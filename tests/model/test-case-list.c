/* test-case-list.c — CbCaseList and CbCaseQuery over 10,000 demo cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each query's result is checked two ways that share nothing with the
 * query builder: a WHERE clause written here by hand, run through a
 * connection of our own, and a predicate over every case read through the
 * C accessors.
 */
#define G_LOG_DOMAIN "casebook-test-list"

#include <glib/gstdio.h>
#include <libglib-testing/signal-logger.h>
#include <sqlite3.h>
#include <string.h>

#include "cb-case-list.h"
#include "cb-case-query.h"
#include "cb-case-store.h"
#include "cb-demo-data.h"
#include "cb-error.h"
#include "cb-practice-gaps.h"
#include "cb-test-util.h"

#define N_CASES 10000
#define REFERENCE_DAY "2025-06-30"

/* Shared by every test: generated once in main(). */
static char        *tmp_dir;
static char        *db_path;
static CbCaseStore *store;
static sqlite3     *raw;          /* our own read-only connection */
static GPtrArray   *all_cases;    /* every case, in case_ref order */

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static gint64
raw_count (const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cases WHERE %s", where);

  return cb_test_sql_int (raw, sql);
}

static GArray *
raw_ids (const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM cases WHERE %s ORDER BY case_ref, id", where);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (raw));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  return ids;
}

static void
assert_list_ids (CbCaseList *list,
                 GArray     *expected,
                 const char *how)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (n != expected->len)
    g_error ("%s: the list has %u cases, expected %u", how, n, expected->len);
  for (guint i = 0; i < n; i++)
    if (cb_case_list_get_id (list, i) != g_array_index (expected, gint64, i))
      g_error ("%s: position %u holds case %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
               how, i, cb_case_list_get_id (list, i), g_array_index (expected, gint64, i));
}

static void
load_all_cases (void)
{
  g_autoptr(CbCaseList) list = cb_case_list_new (store, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  g_assert_cmpuint (n, ==, N_CASES);
  all_cases = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (all_cases, g_list_model_get_item (G_LIST_MODEL (list), i));
}

static gboolean
contains_folded (const char *value,
                 const char *needle)
{
  g_autofree char *v = NULL;
  g_autofree char *n = NULL;

  if (value == NULL)
    return FALSE;

  v = g_ascii_strdown (value, -1);
  n = g_ascii_strdown (needle, -1);
  return strstr (v, n) != NULL;
}

static gboolean
is_yes (CbCase    *c,
        CbFieldId  field)
{
  return g_strcmp0 (cb_case_get (c, field), "yes") == 0;
}

static gboolean
is_set (CbCase    *c,
        CbFieldId  field)
{
  return cb_case_get (c, field) != NULL;
}

static gboolean
has_code (CbCase     *c,
          CbFieldId   field,
          const char *code)
{
  g_auto(GStrv) codes = NULL;

  if (cb_case_get (c, field) == NULL)
    return FALSE;
  codes = g_strsplit (cb_case_get (c, field), ";", -1);
  return g_strv_contains ((const char * const *) codes, code);
}

/* ------------------------------------------------------------------ */
/* Queries                                                            */
/* ------------------------------------------------------------------ */

static gboolean match_text_north (CbCase *c)
{
  return contains_folded (cb_case_get (c, CB_FIELD_CASE_REF), "north") ||
         contains_folded (cb_case_get (c, CB_FIELD_AREA), "north") ||
         contains_folded (cb_case_get (c, CB_FIELD_TEAM), "north") ||
         contains_folded (cb_case_get (c, CB_FIELD_PROVIDER), "north");
}

static gboolean match_text_trust (CbCase *c)
{
  return contains_folded (cb_case_get (c, CB_FIELD_CASE_REF), "TRUST") ||
         contains_folded (cb_case_get (c, CB_FIELD_AREA), "TRUST") ||
         contains_folded (cb_case_get (c, CB_FIELD_TEAM), "TRUST") ||
         contains_folded (cb_case_get (c, CB_FIELD_PROVIDER), "TRUST");
}

static gboolean match_text_ref (CbCase *c)
{
  return g_str_has_prefix (cb_case_get (c, CB_FIELD_CASE_REF), "DEMO-0012");
}

static gboolean match_areas (CbCase *c)
{
  return g_str_equal (cb_case_get (c, CB_FIELD_AREA), "Leeds") ||
         g_str_equal (cb_case_get (c, CB_FIELD_AREA), "Lambeth");
}

static gboolean match_released_types (CbCase *c)
{
  return g_str_equal (cb_case_get (c, CB_FIELD_SENTENCE_TYPE), "licence") ||
         g_str_equal (cb_case_get (c, CB_FIELD_SENTENCE_TYPE), "post_sentence_supervision");
}

static gboolean match_active (CbCase *c)
{
  const char *end = cb_case_get (c, CB_FIELD_END_DATE);

  return cb_date_days_between (cb_case_get (c, CB_FIELD_START_DATE), REFERENCE_DAY) >= 0 &&
         (end == NULL || cb_date_days_between (REFERENCE_DAY, end) >= 0);
}

static gboolean match_closed (CbCase *c)
{
  const char *end = cb_case_get (c, CB_FIELD_END_DATE);

  return end != NULL && cb_date_days_between (end, REFERENCE_DAY) > 0;
}

static gboolean match_period (CbCase *c)
{
  const char *end = cb_case_get (c, CB_FIELD_END_DATE);

  return cb_date_days_between (cb_case_get (c, CB_FIELD_START_DATE), "2024-03-31") >= 0 &&
         (end == NULL || cb_date_days_between ("2024-01-01", end) >= 0);
}

/* The practice gaps, written out again from the dictionary. */
static gboolean gap_not_tested (CbCase *c)
{
  return is_yes (c, CB_FIELD_DRUG_MISUSE) && !is_yes (c, CB_FIELD_TESTED);
}

static gboolean gap_priority (CbCase *c)
{
  const char *intervention = cb_case_get (c, CB_FIELD_INTERVENTION);

  return is_yes (c, CB_FIELD_PRIORITY_FACTOR) &&
         (intervention == NULL || g_str_equal (intervention, "none"));
}

static gboolean gap_not_referred (CbCase *c)
{
  return is_yes (c, CB_FIELD_DRUG_MISUSE) && !is_set (c, CB_FIELD_REFERRED_ON);
}

static gboolean gap_drr (CbCase *c)
{
  return has_code (c, CB_FIELD_REQUIREMENTS, "drr") && !is_yes (c, CB_FIELD_DRR_CONSENT);
}

static gboolean gap_naloxone (CbCase *c)
{
  return (has_code (c, CB_FIELD_SUBSTANCES, "heroin") ||
          has_code (c, CB_FIELD_SUBSTANCES, "methadone_not_prescribed") ||
          has_code (c, CB_FIELD_SUBSTANCES, "other_opiates")) &&
         !is_yes (c, CB_FIELD_NALOXONE);
}

static gboolean gap_continuity (CbCase *c)
{
  int days;

  if (!is_set (c, CB_FIELD_RELEASED_ON) || !is_yes (c, CB_FIELD_CUSTODY_TREATMENT))
    return FALSE;
  if (!is_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON))
    return TRUE;
  days = cb_date_days_between (cb_case_get (c, CB_FIELD_RELEASED_ON),
                               cb_case_get (c, CB_FIELD_COMMUNITY_TREATMENT_ON));
  return days < 0 || days > 21;
}

static gboolean gap_incomplete (CbCase *c)
{
  if (!is_set (c, CB_FIELD_DRUG_MISUSE))
    return TRUE;
  if (!is_yes (c, CB_FIELD_DRUG_MISUSE))
    return FALSE;
  return !is_set (c, CB_FIELD_SUBSTANCES) || !is_set (c, CB_FIELD_MAIN_SUBSTANCE) ||
         !is_set (c, CB_FIELD_USE_FREQUENCY) || !is_set (c, CB_FIELD_INJECTING) ||
         !is_set (c, CB_FIELD_PRIORITY_FACTOR) || !is_set (c, CB_FIELD_MOTIVATION) ||
         !is_set (c, CB_FIELD_TESTED);
}

static gboolean match_two_gaps (CbCase *c)
{
  return gap_not_tested (c) && gap_not_referred (c);
}

static gboolean match_combined (CbCase *c)
{
  return match_text_north (c) && match_released_types (c) && match_active (c) &&
         gap_not_tested (c);
}

static const char *two_areas[] = { "Leeds", "Lambeth", NULL };
static const char *released_types[] = { "licence", "post_sentence_supervision", NULL };

static void set_north (CbCaseQuery *q) { cb_case_query_set_text (q, "north"); }
static void set_trust (CbCaseQuery *q) { cb_case_query_set_text (q, "  TRUST "); }
static void set_ref (CbCaseQuery *q) { cb_case_query_set_text (q, "demo-0012"); }
static void set_areas (CbCaseQuery *q) { cb_case_query_set_areas (q, two_areas); }
static void set_types (CbCaseQuery *q) { cb_case_query_set_sentence_types (q, released_types); }
static void set_active (CbCaseQuery *q)
{
  cb_case_query_set_status (q, CB_CASE_STATUS_ACTIVE);
  cb_case_query_set_reference_date (q, REFERENCE_DAY);
}
static void set_closed (CbCaseQuery *q)
{
  cb_case_query_set_status (q, CB_CASE_STATUS_CLOSED);
  cb_case_query_set_reference_date (q, REFERENCE_DAY);
}
static void set_period (CbCaseQuery *q) { cb_case_query_set_period (q, "2024-01-01", "2024-03-31"); }
static void set_gap_not_tested (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_NOT_TESTED); }
static void set_gap_priority (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_PRIORITY_NO_INTERVENTION); }
static void set_gap_not_referred (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_NOT_REFERRED); }
static void set_gap_drr (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_DRR_NO_CONSENT); }
static void set_gap_naloxone (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_OPIATE_NO_NALOXONE); }
static void set_gap_continuity (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_CONTINUITY_MISSED); }
static void set_gap_incomplete (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_INCOMPLETE); }
static void set_two_gaps (CbCaseQuery *q) { cb_case_query_set_gaps (q, CB_GAP_NOT_TESTED | CB_GAP_NOT_REFERRED); }
static void set_combined (CbCaseQuery *q)
{
  set_north (q);
  set_types (q);
  set_active (q);
  set_gap_not_tested (q);
}

#define TEXT_WHERE(s) \
  "(instr(lower(case_ref), '" s "') OR instr(lower(area), '" s "') OR " \
  "instr(lower(coalesce(team, '')), '" s "') OR instr(lower(coalesce(provider, '')), '" s "'))"

/* Bits of the stored sets, in the dictionary's code order. */
#define SQL_OPIATE "(substances & 7) != 0"
#define SQL_DRR "(requirements & 1) != 0"

static const struct {
  const char *name;
  void      (*set) (CbCaseQuery *query);
  const char *where;
  gboolean  (*match) (CbCase *c);
} queries[] = {
  { "text-north", set_north, TEXT_WHERE ("north"), match_text_north },
  { "text-provider", set_trust, TEXT_WHERE ("trust"), match_text_trust },
  { "text-reference", set_ref, "case_ref >= 'DEMO-0012' AND case_ref < 'DEMO-0013'", match_text_ref },
  { "areas", set_areas, "area = 'Leeds' OR area = 'Lambeth'", match_areas },
  { "sentence-types", set_types, "sentence_type IN ('licence', 'post_sentence_supervision')", match_released_types },
  { "active", set_active, "start_date <= '" REFERENCE_DAY "' AND coalesce(end_date, '9999') >= '" REFERENCE_DAY "'", match_active },
  { "closed", set_closed, "end_date IS NOT NULL AND end_date < '" REFERENCE_DAY "'", match_closed },
  { "period", set_period, "start_date <= '2024-03-31' AND coalesce(end_date, '9999') >= '2024-01-01'", match_period },
  { "gap-not-tested", set_gap_not_tested, "drug_misuse = 1 AND tested IS NOT 1", gap_not_tested },
  { "gap-priority", set_gap_priority,
    "priority_factor = 1 AND (intervention IS NULL OR intervention = 'none')", gap_priority },
  { "gap-not-referred", set_gap_not_referred, "drug_misuse = 1 AND referred_on IS NULL", gap_not_referred },
  { "gap-drr", set_gap_drr, SQL_DRR " AND drr_consent IS NOT 1", gap_drr },
  { "gap-naloxone", set_gap_naloxone, SQL_OPIATE " AND naloxone IS NOT 1", gap_naloxone },
  { "gap-continuity", set_gap_continuity,
    "released_on IS NOT NULL AND custody_treatment = 1 AND (community_treatment_on IS NULL OR "
    "julianday(community_treatment_on) - julianday(released_on) NOT BETWEEN 0 AND 21)", gap_continuity },
  { "gap-incomplete", set_gap_incomplete,
    "drug_misuse IS NULL OR (drug_misuse = 1 AND (substances IS NULL OR main_substance IS NULL OR "
    "use_frequency IS NULL OR injecting IS NULL OR priority_factor IS NULL OR motivation IS NULL OR "
    "tested IS NULL))", gap_incomplete },
  { "two-gaps", set_two_gaps, "drug_misuse = 1 AND tested IS NOT 1 AND referred_on IS NULL", match_two_gaps },
  { "combined", set_combined,
    TEXT_WHERE ("north") " AND sentence_type IN ('licence', 'post_sentence_supervision') AND "
    "start_date <= '" REFERENCE_DAY "' AND coalesce(end_date, '9999') >= '" REFERENCE_DAY "' AND "
    "drug_misuse = 1 AND tested IS NOT 1", match_combined },
};

static void
test_query (gconstpointer data)
{
  guint index = GPOINTER_TO_UINT (data);
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbCaseList) list = NULL;
  g_autoptr(GArray) by_sql = NULL;
  g_autoptr(GArray) by_accessors = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n;

  queries[index].set (query);
  g_assert_true (cb_case_query_is_filtered (query));
  list = cb_case_list_new (store, query);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_test_message ("%s: %u of %u cases", queries[index].name, n, N_CASES);

  /* A filter that keeps all or nothing would prove little. */
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, N_CASES);
  g_assert_cmpuint (cb_case_list_get_total (list), ==, N_CASES);
  g_assert_cmpint (raw_count (queries[index].where), ==, n);

  by_sql = raw_ids (queries[index].where);
  assert_list_ids (list, by_sql, "hand-written SQL");

  for (guint i = 0; i < all_cases->len; i++)
    {
      CbCase *c = g_ptr_array_index (all_cases, i);

      if (queries[index].match (c))
        {
          gint64 id = cb_case_get_id (c);
          g_array_append_val (by_accessors, id);
        }
    }
  assert_list_ids (list, by_accessors, "C accessors");

  /* The items are the cases the ids name. */
  for (guint pos = 0; pos < n; pos += MAX (1, n / 7))
    {
      g_autoptr(CbCase) item = g_list_model_get_item (G_LIST_MODEL (list), pos);

      g_assert_cmpint (cb_case_get_id (item), ==, cb_case_list_get_id (list, pos));
      g_assert_true (queries[index].match (item));
      g_assert_cmpint (cb_case_list_find (list, cb_case_get_id (item)), ==, pos);
    }
}

/* The stored gap columns agree with the rules for every case. */
static void
test_stored_gaps (void)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) stored = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT id, gaps, gap_count FROM cases", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint gaps = sqlite3_column_int (stmt, 1);

      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, cb_practice_gaps_count (gaps));
      g_hash_table_insert (stored, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (gaps));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < all_cases->len; i++)
    {
      CbCase *c = g_ptr_array_index (all_cases, i);
      gint64 id = cb_case_get_id (c);

      g_assert_cmphex (GPOINTER_TO_UINT (g_hash_table_lookup (stored, &id)), ==,
                       cb_practice_gaps_for_case (c));
    }
}

/* ------------------------------------------------------------------ */
/* Laziness                                                           */
/* ------------------------------------------------------------------ */

static void
test_lazy_items (void)
{
  guint base = cb_case_get_n_alive ();
  g_autoptr(CbCaseList) list = cb_case_list_new (store, NULL);
  CbCase *first, *middle, *last, *again;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CASES);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == CB_TYPE_CASE);
  /* Ten thousand rows, and not one case built yet. */
  g_assert_cmpuint (cb_case_get_n_alive (), ==, base);

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  middle = g_list_model_get_item (G_LIST_MODEL (list), N_CASES / 2);
  last = g_list_model_get_item (G_LIST_MODEL (list), N_CASES - 1);
  g_assert_cmpuint (cb_case_get_n_alive (), ==, base + 3);
  g_assert_cmpstr (cb_case_get (first, CB_FIELD_CASE_REF), ==, "DEMO-000001");
  g_assert_cmpstr (cb_case_get (last, CB_FIELD_CASE_REF), ==, "DEMO-010000");
  g_assert_cmpint (cb_case_get_id (middle), ==, cb_case_list_get_id (list, N_CASES / 2));

  /* Asking again while held gives the same object, not a new one. */
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (again == first);
  g_assert_cmpuint (cb_case_get_n_alive (), ==, base + 3);
  g_object_unref (again);

  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_CASES));

  g_object_unref (first);
  g_object_unref (middle);
  g_object_unref (last);
  g_assert_cmpuint (cb_case_get_n_alive (), ==, base);

  /* Once dropped, a row is built afresh. */
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpuint (cb_case_get_n_alive (), ==, base + 1);
  g_object_unref (first);
  g_assert_cmpuint (cb_case_get_n_alive (), ==, base);

  /* The list outlives nothing: dropping it with items held is safe. */
  first = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_clear_object (&list);
  g_assert_cmpstr (cb_case_get (first, CB_FIELD_CASE_REF), ==, "DEMO-000002");
  g_object_unref (first);
  g_assert_cmpuint (cb_case_get_n_alive (), ==, base);
}

/* A refresh forgets built cases, so edits made elsewhere show. */
static void
test_refresh_shows_edits (void)
{
  g_autoptr(CbCaseList) list = cb_case_list_new (store, NULL);
  g_autoptr(CbCaseStore) other = NULL;
  g_autoptr(CbCase) held = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_autoptr(CbCase) edit = NULL;
  g_autoptr(CbCase) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_team = g_strdup (cb_case_get (held, CB_FIELD_TEAM));

  other = cb_case_store_open (db_path, &error);
  g_assert_no_error (error);
  edit = cb_case_copy (held);
  cb_case_set (edit, CB_FIELD_TEAM, "Edited elsewhere");
  g_assert_true (cb_case_store_save (other, edit, &error));
  g_assert_no_error (error);

  g_assert_true (cb_case_list_refresh (list, &error));
  g_assert_no_error (error);
  fresh = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (fresh != held);
  g_assert_cmpstr (cb_case_get (fresh, CB_FIELD_TEAM), ==, "Edited elsewhere");

  cb_case_set (edit, CB_FIELD_TEAM, old_team);
  g_assert_true (cb_case_store_save (other, edit, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ */
/* Signals                                                            */
/* ------------------------------------------------------------------ */

static void
assert_items_changed (GtSignalLogger *logger,
                      CbCaseList     *list,
                      guint           removed,
                      guint           added)
{
  guint position = G_MAXUINT, got_removed = G_MAXUINT, got_added = G_MAXUINT;

  gt_signal_logger_assert_emission_pop (logger, list, "items-changed",
                                        &position, &got_removed, &got_added);
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpuint (got_removed, ==, removed);
  g_assert_cmpuint (got_added, ==, added);
  /* One emission per change, never one per row. */
  gt_signal_logger_assert_no_emissions (logger);
}

static void
test_items_changed (void)
{
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbCaseList) list = cb_case_list_new (store, query);
  g_autoptr(CbCase) extra = cb_case_new ();
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(GError) error = NULL;
  guint n_north;
  gint64 extra_id;

  gt_signal_logger_connect (logger, list, "items-changed");

  g_assert_true (cb_case_list_refresh (list, &error));
  g_assert_no_error (error);
  assert_items_changed (logger, list, N_CASES, N_CASES);

  /* Changing the query runs it again: once. */
  cb_case_query_set_text (query, "north");
  n_north = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpint (n_north, ==, raw_count (TEXT_WHERE ("north")));
  assert_items_changed (logger, list, N_CASES, n_north);

  /* Setting what is already set changes nothing. */
  cb_case_query_set_text (query, "north ");
  gt_signal_logger_assert_no_emissions (logger);

  /* A new matching case saved in the store: the list grows by one. */
  cb_case_set (extra, CB_FIELD_CASE_REF, "ZZ-EXTRA-1");
  cb_case_set (extra, CB_FIELD_AREA, "Northumbria");
  cb_case_set (extra, CB_FIELD_SENTENCE_TYPE, "licence");
  cb_case_set (extra, CB_FIELD_START_DATE, "2025-01-01");
  g_assert_true (cb_case_store_save (store, extra, &error));
  g_assert_no_error (error);
  extra_id = cb_case_get_id (extra);
  assert_items_changed (logger, list, n_north, n_north + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_north + 1);
  g_assert_cmpuint (cb_case_list_get_total (list), ==, N_CASES + 1);
  /* Sorted by reference, "ZZ-…" comes last. */
  g_assert_cmpint (cb_case_list_find (list, extra_id), ==, n_north);

  /* A case that does not match still changes the store: one emission,
   * same rows. */
  cb_case_set (extra, CB_FIELD_AREA, "Leeds");
  g_assert_true (cb_case_store_save (store, extra, &error));
  g_assert_no_error (error);
  assert_items_changed (logger, list, n_north + 1, n_north);
  g_assert_cmpint (cb_case_list_find (list, extra_id), ==, -1);

  g_assert_true (cb_case_store_delete (store, extra_id, &error));
  g_assert_no_error (error);
  assert_items_changed (logger, list, n_north, n_north);
  g_assert_cmpuint (cb_case_list_get_total (list), ==, N_CASES);

  /* A failed save changes nothing and says nothing. */
  cb_case_set_id (extra, 0);
  cb_case_set (extra, CB_FIELD_CASE_REF, "DEMO-000001");
  g_assert_false (cb_case_store_save (store, extra, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_DUPLICATE);
  gt_signal_logger_assert_no_emissions (logger);
}

/* ------------------------------------------------------------------ */
/* Sorting                                                            */
/* ------------------------------------------------------------------ */

static int
compare_text (const char *a,
              const char *b)
{
  /* SQLite puts NULL first in ascending order. */
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return strcmp (a, b);
}

static int
compare_number (const char *a,
                const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return (int) CLAMP (g_ascii_strtoll (a, NULL, 10) - g_ascii_strtoll (b, NULL, 10), -1, 1);
}

static int
compare_key (CbCase    *a,
             CbCase    *b,
             CbFieldId  sort)
{
  if (sort == CB_SORT_GAP_COUNT)
    {
      int ga = cb_practice_gaps_count (cb_practice_gaps_for_case (a));
      int gb = cb_practice_gaps_count (cb_practice_gaps_for_case (b));
      return (ga > gb) - (ga < gb);
    }
  if (cb_field_get (sort)->type == CB_FIELD_TYPE_INTEGER)
    return compare_number (cb_case_get (a, sort), cb_case_get (b, sort));
  return compare_text (cb_case_get (a, sort), cb_case_get (b, sort));
}

static void
check_sort (CbFieldId sort,
            gboolean  descending)
{
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbCaseList) list = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint n, n_ties = 0;
  int sign = descending ? -1 : 1;

  for (guint i = 0; i < all_cases->len; i++)
    {
      CbCase *c = g_ptr_array_index (all_cases, i);
      gint64 id = cb_case_get_id (c);

      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), c);
    }

  cb_case_query_set_sort (query, sort, descending);
  list = cb_case_list_new (store, query);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, N_CASES);

  for (guint i = 0; i < n; i++)
    {
      gint64 id = cb_case_list_get_id (list, i);
      g_assert_nonnull (g_hash_table_lookup (by_id, &id));
      g_assert_true (g_hash_table_add (seen, g_hash_table_lookup (by_id, &id)));
    }

  for (guint i = 0; i + 1 < n; i++)
    {
      gint64 id_a = cb_case_list_get_id (list, i);
      gint64 id_b = cb_case_list_get_id (list, i + 1);
      CbCase *a = g_hash_table_lookup (by_id, &id_a);
      CbCase *b = g_hash_table_lookup (by_id, &id_b);
      int order = compare_key (a, b, sort) * sign;

      if (order > 0)
        g_error ("sorted by %s%s: case %" G_GINT64_FORMAT " comes before %" G_GINT64_FORMAT " wrongly",
                 sort == CB_SORT_GAP_COUNT ? "gap count" : cb_field_get (sort)->name,
                 descending ? " descending" : "", id_a, id_b);
      if (order == 0)
        {
          /* Ties keep a stable order by row id, in the same direction. */
          g_assert_cmpint ((id_a > id_b) - (id_a < id_b), ==, -sign);
          n_ties++;
        }
    }

  /* Every key here has ties at 10,000 cases except the reference. */
  if (sort != CB_FIELD_CASE_REF)
    g_assert_cmpuint (n_ties, >, 0);
}

static void
test_sort (void)
{
  static const CbFieldId keys[] = {
    CB_FIELD_CASE_REF, CB_FIELD_START_DATE, CB_FIELD_END_DATE, CB_FIELD_AREA,
    CB_FIELD_BIRTH_YEAR, CB_FIELD_SENTENCE_TYPE, CB_SORT_GAP_COUNT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      check_sort (keys[i], FALSE);
      check_sort (keys[i], TRUE);
    }
}

/* ------------------------------------------------------------------ */
/* Query plans                                                        */
/* ------------------------------------------------------------------ */

/* SQLite's plan for the list's query, one step a line. */
static char *
query_plan (CbCaseQuery *query)
{
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *sql = cb_case_query_build_sql (query, "id", TRUE, &params);
  g_autofree char *explain = g_strdup_printf ("EXPLAIN QUERY PLAN %s", sql);
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (raw, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);

  return g_string_free (plan, FALSE);
}

/* How the list reads 156,000 cases fast in any order they were saved:
 * unfiltered, the sort column's index alone gives the ids in order;
 * filtered, the matching rows are found first (by an area index, or one
 * pass over the table) and then sorted, never fetched one by one along
 * the sort index or a date index, which took 0.4 s when references or
 * dates did not follow the order of saving. */
static void
test_query_plans (void)
{
  static const CbFieldId sorts[] = { CB_FIELD_CASE_REF, CB_FIELD_START_DATE, CB_SORT_GAP_COUNT };
  static const char *leeds[] = { "Leeds", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      g_autoptr(CbCaseQuery) query = cb_case_query_new ();
      g_autofree char *unfiltered = NULL;
      g_autofree char *searched = NULL;
      g_autofree char *gaps = NULL;
      g_autofree char *active = NULL;
      g_autofree char *closed = NULL;
      g_autofree char *area = NULL;

      cb_case_query_set_sort (query, sorts[i], i % 2 == 1);
      unfiltered = query_plan (query);
      g_test_message ("unfiltered: %s", unfiltered);
      g_assert_nonnull (strstr (unfiltered, "COVERING INDEX"));
      g_assert_null (strstr (unfiltered, "TEMP B-TREE"));

      cb_case_query_set_text (query, "north");
      searched = query_plan (query);
      cb_case_query_set_text (query, NULL);
      cb_case_query_set_gaps (query, CB_GAP_NOT_REFERRED);
      gaps = query_plan (query);
      cb_case_query_set_gaps (query, 0);
      cb_case_query_set_status (query, CB_CASE_STATUS_ACTIVE);
      active = query_plan (query);
      cb_case_query_set_status (query, CB_CASE_STATUS_CLOSED);
      closed = query_plan (query);
      cb_case_query_set_status (query, CB_CASE_STATUS_ANY);

      for (const char * const *plan = (const char * const[]) { searched, gaps, active, closed, NULL };
           *plan != NULL; plan++)
        {
          g_test_message ("filtered: %s", *plan);
          g_assert_nonnull (strstr (*plan, "SCAN cases\n"));
          g_assert_nonnull (strstr (*plan, "USE TEMP B-TREE FOR ORDER BY"));
        }

      /* A selective filter still uses its own index. */
      cb_case_query_set_areas (query, leeds);
      area = query_plan (query);
      g_test_message ("area: %s", area);
      g_assert_nonnull (strstr (area, "USING INDEX cases_area"));
    }
}

/* ------------------------------------------------------------------ */
/* Hostile text                                                       */
/* ------------------------------------------------------------------ */

static guint
count_for_text (const char *text)
{
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbCaseList) list = NULL;

  cb_case_query_set_text (query, text);
  list = cb_case_list_new (store, query);
  return g_list_model_get_n_items (G_LIST_MODEL (list));
}

static CbCase *
save_case (const char *ref,
           const char *team)
{
  CbCase *record = cb_case_new ();
  g_autoptr(GError) error = NULL;

  cb_case_set (record, CB_FIELD_CASE_REF, ref);
  cb_case_set (record, CB_FIELD_AREA, "Test area");
  cb_case_set (record, CB_FIELD_TEAM, team);
  cb_case_set (record, CB_FIELD_SENTENCE_TYPE, "community_order");
  cb_case_set (record, CB_FIELD_START_DATE, "2025-02-03");
  g_assert_true (cb_case_store_save (store, record, &error));
  g_assert_no_error (error);

  return record;
}

static void
test_sql_injection (void)
{
  static const char *hostile[] = {
    "'; DROP TABLE cases; --",
    "\"; DROP TABLE cases; --",
    "') OR 1=1 --",
    "%", "_", "\\", "%%", "__", "\\%",
  };
  const char *hostile_areas[] = { "Leeds') OR ('1'='1", NULL };
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbCaseList) list = NULL;
  g_autoptr(CbCase) percent = NULL;
  g_autoptr(CbCase) near_percent = NULL;
  g_autoptr(GError) error = NULL;

  /* None of the demo values holds these characters: nothing matches. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    g_assert_cmpuint (count_for_text (hostile[i]), ==, 0);

  cb_case_query_set_areas (query, hostile_areas);
  list = cb_case_list_new (store, query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* The table is intact. */
  g_assert_cmpint (raw_count ("1"), ==, N_CASES);
  g_assert_cmpint (cb_case_store_count (store), ==, N_CASES);

  /* % and _ match themselves, not any text or any character. */
  percent = save_case ("PCT_1", "100% effort_a");
  near_percent = save_case ("PCTX1", "1000 effortXa");
  g_assert_cmpuint (count_for_text ("%"), ==, 1);
  g_assert_cmpuint (count_for_text ("0% effort_"), ==, 1);
  g_assert_cmpuint (count_for_text ("T_1"), ==, 1);
  g_assert_cmpuint (count_for_text ("pct"), ==, 2);
  g_assert_cmpuint (count_for_text ("effort_a"), ==, 1);

  g_assert_true (cb_case_store_delete (store, cb_case_get_id (percent), &error));
  g_assert_no_error (error);
  g_assert_true (cb_case_store_delete (store, cb_case_get_id (near_percent), &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count ("1"), ==, N_CASES);
}

/* ------------------------------------------------------------------ */

static void
set_up_store (void)
{
  g_autoptr(GError) error = NULL;

  tmp_dir = cb_test_make_temp_dir ("list");
  db_path = g_build_filename (tmp_dir, "demo.db", NULL);

  store = cb_test_open_store (db_path);
  g_assert_true (cb_demo_data_generate (store, N_CASES, CB_DEMO_DEFAULT_SEED, NULL,
                                        NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open_v2 (db_path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
}

static void
tear_down_store (void)
{
  g_clear_pointer (&all_cases, g_ptr_array_unref);
  g_clear_pointer (&raw, sqlite3_close);
  g_clear_object (&store);
  cb_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&db_path, g_free);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  set_up_store ();
  load_all_cases ();

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *name = g_strdup_printf ("/list/query/%s", queries[i].name);
      g_test_add_data_func (name, GUINT_TO_POINTER (i), test_query);
    }
  g_test_add_func ("/list/stored-gaps", test_stored_gaps);
  g_test_add_func ("/list/lazy-items", test_lazy_items);
  g_test_add_func ("/list/refresh-shows-edits", test_refresh_shows_edits);
  g_test_add_func ("/list/items-changed", test_items_changed);
  g_test_add_func ("/list/sort", test_sort);
  g_test_add_func ("/list/query-plans", test_query_plans);
  g_test_add_func ("/list/sql-injection", test_sql_injection);

  status = g_test_run ();

  tear_down_store ();
  return status;
}
