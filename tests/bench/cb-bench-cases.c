/* cb-bench-cases.c — the Cases page's filters and sorts, model only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cases page runs its list's query again on every filter change, on
 * the main thread: each row here times one change, from the setter on the
 * CbCaseQuery to the CbCaseList reporting its new count (the page's "N of
 * M"), with no display. The list is built first, untimed, as the page
 * would have it; the figure is the median of several changes, each undone
 * between runs, and the note gives the slowest and the undo.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cb-bench.h"
#include "cb-case-list.h"
#include "cb-case-store-private.h"

#define REPEATS 7

typedef void (*ApplyFunc) (CbCaseQuery *query,
                           gboolean     on);

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* @setup, when given, is applied once before the list is built. */
static double
time_change_in (CbBenchContext *context,
                const char     *path,
                ApplyFunc       setup,
                ApplyFunc       apply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseStore) store = cb_case_store_open (path, &error);
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbCaseList) list = NULL;
  double on[REPEATS], off[REPEATS];
  guint shown = 0;

  cb_bench_check (store != NULL, "open", error);
  if (setup != NULL)
    setup (query, TRUE);
  list = cb_case_list_new (store, query);

  for (guint i = 0; i < REPEATS; i++)
    {
      double start = cb_bench_now ();

      apply (query, TRUE);
      shown = g_list_model_get_n_items (G_LIST_MODEL (list));
      on[i] = cb_bench_now () - start;

      start = cb_bench_now ();
      apply (query, FALSE);
      g_assert (g_list_model_get_n_items (G_LIST_MODEL (list)) == cb_case_list_get_total (list));
      off[i] = cb_bench_now () - start;
    }

  qsort (on, REPEATS, sizeof (double), compare_doubles);
  qsort (off, REPEATS, sizeof (double), compare_doubles);
  g_snprintf (context->note, context->note_size,
              "%u of %u; slowest %.1f ms, undo %.1f ms",
              shown, cb_case_list_get_total (list),
              on[REPEATS - 1] * 1000, off[REPEATS / 2] * 1000);

  return on[REPEATS / 2];
}

static double
time_change (CbBenchContext *context,
             ApplyFunc       apply)
{
  g_autofree char *path = cb_bench_demo_db (context);

  return time_change_in (context, path, NULL, apply);
}

/* The demo cases are saved in the order of their references and close to
 * that of their dates, so walking either index reads the table nearly in
 * file order. A real caseload comes in any order: the "shuffled" rows time
 * the same changes on the same cases saved in a scattered order, where a
 * plan that fetches rows through an index shows. */
static char *
shuffled_db (const CbBenchContext *context)
{
  return g_strdup_printf ("%s/shuffled-%u.db", context->dir, context->n_cases);
}

static double
prepare_shuffled (CbBenchContext *context)
{
  g_autofree char *demo = cb_bench_demo_db (context);
  g_autofree char *path = shuffled_db (context);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseStore) store = NULL;
  sqlite3 *db = NULL;
  char *columns;
  double start = cb_bench_now ();

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;

  /* The store makes the file with its schema; the rows are copied in the
   * order of a multiplicative hash of their ids. */
  store = cb_case_store_open (path, &error);
  cb_bench_check (store != NULL, "open", error);
  g_clear_object (&store);

  columns = g_strdup (_cb_case_store_select_columns () + strlen ("id, "));
  sql = g_strdup_printf ("ATTACH '%s' AS demo;"
                         "INSERT INTO cases (%s, gaps, gap_count) "
                         "SELECT %s, gaps, gap_count FROM demo.cases "
                         "ORDER BY (id * 2654435761) %% 4294967291;",
                         demo, columns, columns);
  g_free (columns);
  cb_bench_check (sqlite3_open (path, &db) == SQLITE_OK &&
                  sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK,
                  sqlite3_errmsg (db), NULL);
  sqlite3_close (db);

  return cb_bench_now () - start;
}

static double
time_change_shuffled (CbBenchContext *context,
                      ApplyFunc       setup,
                      ApplyFunc       apply)
{
  g_autofree char *path = shuffled_db (context);

  return time_change_in (context, path, setup, apply);
}

static void
apply_text (CbCaseQuery *query,
            gboolean     on)
{
  cb_case_query_set_text (query, on ? "north" : NULL);
}

static void
apply_gap (CbCaseQuery *query,
           gboolean     on)
{
  cb_case_query_set_gaps (query, on ? CB_GAP_NOT_REFERRED : 0);
}

static void
apply_two_gaps (CbCaseQuery *query,
                gboolean     on)
{
  cb_case_query_set_gaps (query, on ? CB_GAP_NOT_TESTED | CB_GAP_OPIATE_NO_NALOXONE : 0);
}

static void
apply_area (CbCaseQuery *query,
            gboolean     on)
{
  static const char *leeds[] = { "Leeds", NULL };

  cb_case_query_set_areas (query, on ? leeds : NULL);
}

static void
apply_active (CbCaseQuery *query,
              gboolean     on)
{
  cb_case_query_set_status (query, on ? CB_CASE_STATUS_ACTIVE : CB_CASE_STATUS_ANY);
}

/* Header clicks: an indexed column, and two that have no index. */
static void
apply_sort_start (CbCaseQuery *query,
                  gboolean     on)
{
  cb_case_query_set_sort (query, on ? CB_FIELD_START_DATE : CB_FIELD_CASE_REF, on);
}

static void
apply_sort_gaps (CbCaseQuery *query,
                 gboolean     on)
{
  cb_case_query_set_sort (query, on ? CB_SORT_GAP_COUNT : CB_FIELD_CASE_REF, on);
}

static void
apply_sort_substance (CbCaseQuery *query,
                      gboolean     on)
{
  cb_case_query_set_sort (query, on ? CB_FIELD_MAIN_SUBSTANCE : CB_FIELD_CASE_REF, FALSE);
}

static void
apply_closed (CbCaseQuery *query,
              gboolean     on)
{
  cb_case_query_set_status (query, on ? CB_CASE_STATUS_CLOSED : CB_CASE_STATUS_ANY);
}

/* The list sorted by a column with an index of its own, newest first. */
static void
sort_by_start (CbCaseQuery *query,
               gboolean     on)
{
  cb_case_query_set_sort (query, CB_FIELD_START_DATE, TRUE);
}

static double run_text (CbBenchContext *c) { return time_change (c, apply_text); }
static double run_gap (CbBenchContext *c) { return time_change (c, apply_gap); }
static double run_two_gaps (CbBenchContext *c) { return time_change (c, apply_two_gaps); }
static double run_area (CbBenchContext *c) { return time_change (c, apply_area); }
static double run_active (CbBenchContext *c) { return time_change (c, apply_active); }
static double run_sort_start (CbBenchContext *c) { return time_change (c, apply_sort_start); }
static double run_sort_gaps (CbBenchContext *c) { return time_change (c, apply_sort_gaps); }
static double run_sort_substance (CbBenchContext *c) { return time_change (c, apply_sort_substance); }
static double run_shuffled_text (CbBenchContext *c) { return time_change_shuffled (c, NULL, apply_text); }
static double run_shuffled_gap (CbBenchContext *c) { return time_change_shuffled (c, NULL, apply_gap); }
static double run_shuffled_active (CbBenchContext *c) { return time_change_shuffled (c, NULL, apply_active); }
static double run_shuffled_closed (CbBenchContext *c) { return time_change_shuffled (c, NULL, apply_closed); }
static double run_shuffled_gap_by_start (CbBenchContext *c) { return time_change_shuffled (c, sort_by_start, apply_gap); }

static double
run_gap_by_start (CbBenchContext *context)
{
  g_autofree char *path = cb_bench_demo_db (context);

  return time_change_in (context, path, sort_by_start, apply_gap);
}

void cb_bench_register_cases (void);

void
cb_bench_register_cases (void)
{
  cb_bench_register ("cases: search \"north\"", NULL, run_text);
  cb_bench_register ("cases: gap filter (not referred)", NULL, run_gap);
  cb_bench_register ("cases: two gap filters", NULL, run_two_gaps);
  cb_bench_register ("cases: area filter (Leeds)", NULL, run_area);
  cb_bench_register ("cases: status filter (active)", NULL, run_active);
  cb_bench_register ("cases: sort by start date", NULL, run_sort_start);
  cb_bench_register ("cases: sort by practice gaps", NULL, run_sort_gaps);
  cb_bench_register ("cases: sort by main substance", NULL, run_sort_substance);
  cb_bench_register ("cases: gap filter, sorted by start", NULL, run_gap_by_start);
  cb_bench_register ("cases, shuffled: search \"north\"", prepare_shuffled, run_shuffled_text);
  cb_bench_register ("cases, shuffled: gap filter", prepare_shuffled, run_shuffled_gap);
  cb_bench_register ("cases, shuffled: status active", prepare_shuffled, run_shuffled_active);
  cb_bench_register ("cases, shuffled: status closed", prepare_shuffled, run_shuffled_closed);
  cb_bench_register ("cases, shuffled: gap filter, by start", prepare_shuffled, run_shuffled_gap_by_start);
}
