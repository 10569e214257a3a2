/* cb-bench-core.c — demo generation, opening the store, the case list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cb-bench.h"
#include "cb-case-list.h"
#include "cb-demo-data.h"
#include "cb-indicators.h"

/* Writes the demo database the later operations of this size read. */
static double
run_demo (CbBenchContext *context)
{
  g_autofree char *path = cb_bench_demo_db (context);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  double start;
  gboolean ok;

  g_unlink (path);
  start = cb_bench_now ();
  store = cb_case_store_open (path, &error);
  cb_bench_check (store != NULL, "open", error);
  ok = cb_demo_data_generate (store, context->n_cases, CB_DEMO_DEFAULT_SEED, NULL,
                              NULL, NULL, NULL, &error);
  cb_bench_check (ok, "demo", error);
  return cb_bench_now () - start;
}

static double
run_open (CbBenchContext *context)
{
  g_autofree char *path = cb_bench_demo_db (context);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  double start = cb_bench_now ();
  gint64 count;

  store = cb_case_store_open (path, &error);
  cb_bench_check (store != NULL, "open", error);
  count = cb_case_store_count (store);
  g_snprintf (context->note, context->note_size, "%" G_GINT64_FORMAT " cases", count);
  return cb_bench_now () - start;
}

/* The list model at national scale: ids only, objects on demand; a
 * screenful of rows is fetched as a list view would. */
static double
run_case_list (CbBenchContext *context)
{
  g_autofree char *path = cb_bench_demo_db (context);
  g_autoptr(CbCaseStore) store = cb_case_store_open (path, NULL);
  g_autoptr(CbCaseList) list = NULL;
  double start = cb_bench_now ();
  guint n;

  list = cb_case_list_new (store, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < MIN (n, 200); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));

  g_snprintf (context->note, context->note_size, "%u rows, 200 built", n);
  return cb_bench_now () - start;
}

/* cb-bench-reports.c */
void cb_bench_register_reports (void);
/* cb-bench-cases.c */
void cb_bench_register_cases (void);
/* cb-bench-import.c */
void cb_bench_register_import (void);

/* The full indicator set with every breakdown, for the demo caseload's
 * last day (the report a dashboard opens on). */
static double
run_indicators (CbBenchContext *context)
{
  g_autofree char *path = cb_bench_demo_db (context);
  g_autoptr(CbCaseStore) store = cb_case_store_open (path, NULL);
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbIndicators) indicators = NULL;
  g_autoptr(GError) error = NULL;
  double start;

  cb_case_query_set_period (query, CB_DEMO_DEFAULT_ANCHOR, CB_DEMO_DEFAULT_ANCHOR);
  start = cb_bench_now ();
  indicators = cb_indicators_compute (store, query, NULL, &error);
  cb_bench_check (indicators != NULL, "indicators", error);
  g_snprintf (context->note, context->note_size, "caseload %" G_GINT64_FORMAT ", 6 breakdowns",
              cb_indicators_get_caseload (indicators));
  return cb_bench_now () - start;
}

void
cb_bench_register_all (void)
{
  cb_bench_register ("demo data: generate", NULL, run_demo);
  cb_bench_register ("store: open", NULL, run_open);
  cb_bench_register ("case list: load (sorted by ref)", NULL, run_case_list);
  cb_bench_register ("indicators: full set + breakdowns", NULL, run_indicators);
  cb_bench_register_reports ();
  cb_bench_register_cases ();
  cb_bench_register_import ();
}
