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

#include "cb-bench.h"
#include "cb-case-list.h"

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

static double
time_change (CbBenchContext *context,
             ApplyFunc       apply)
{
  g_autofree char *path = cb_bench_demo_db (context);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseStore) store = cb_case_store_open (path, &error);
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbCaseList) list = NULL;
  double on[REPEATS], off[REPEATS];
  guint shown = 0;

  cb_bench_check (store != NULL, "open", error);
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

static double run_text (CbBenchContext *c) { return time_change (c, apply_text); }
static double run_gap (CbBenchContext *c) { return time_change (c, apply_gap); }
static double run_two_gaps (CbBenchContext *c) { return time_change (c, apply_two_gaps); }
static double run_area (CbBenchContext *c) { return time_change (c, apply_area); }
static double run_active (CbBenchContext *c) { return time_change (c, apply_active); }
static double run_sort_start (CbBenchContext *c) { return time_change (c, apply_sort_start); }
static double run_sort_gaps (CbBenchContext *c) { return time_change (c, apply_sort_gaps); }
static double run_sort_substance (CbBenchContext *c) { return time_change (c, apply_sort_substance); }

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
}
