/* cb-bench-reports.c — the commissioning workbook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The export with the case list (every demo case, constant-memory mode),
 * compared in the same run with Debian's python3-xlsxwriter writing the
 * same case rows with xlsxwriter-cases.py. The Python run happens in
 * prepare(), in the parent, so that its time is taken on the same machine
 * state but its memory is not counted as the export's.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cb-bench.h"
#include "cb-demo-data.h"
#include "cb-report-writer.h"

/* Wide enough for every demo case: they start within three years of the
 * anchor. */
#define PERIOD_FROM "2000-01-01"
#define PERIOD_TO CB_DEMO_DEFAULT_ANCHOR

/* Set by prepare() in the parent; the child forked for run() inherits it. */
static double python_seconds = -1;

static char *
report_path (const CbBenchContext *context,
             const char           *what)
{
  return g_strdup_printf ("%s/report-%s-%u.xlsx", context->dir, what, context->n_cases);
}

/* The columns of the Cases sheet for the Python script: name:kind, with
 * the code list for code sets, whose bits it has to spell out. */
static void
add_column_specs (GPtrArray *argv)
{
  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);
      g_autoptr(GString) spec = g_string_new (field->name);

      if (i == CB_FIELD_NOTES)
        continue;

      switch (field->type)
        {
        case CB_FIELD_TYPE_DATE:
          g_string_append (spec, ":date");
          break;
        case CB_FIELD_TYPE_YES_NO:
          g_string_append (spec, ":yesno");
          break;
        case CB_FIELD_TYPE_INTEGER:
          g_string_append (spec, ":integer");
          break;
        case CB_FIELD_TYPE_CODES:
          g_string_append (spec, ":codes:");
          for (guint c = 0; c < field->n_codes; c++)
            g_string_append_printf (spec, "%s%s", c ? "," : "", field->codes[c].code);
          break;
        case CB_FIELD_TYPE_TEXT:
        case CB_FIELD_TYPE_CODE:
        default:
          g_string_append (spec, ":text");
          break;
        }
      g_ptr_array_add (argv, g_string_free (g_steal_pointer (&spec), FALSE));
    }
}

static double
run_python (CbBenchContext *context)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = report_path (context, "python");
  g_autoptr(GError) error = NULL;
  double start;
  int status;

  python_seconds = -1;
  g_ptr_array_add (argv, g_strdup (BENCH_PYTHON3));
  g_ptr_array_add (argv, g_strdup (XLSXWRITER_CASES_PY));
  g_ptr_array_add (argv, cb_bench_demo_db (context));
  g_ptr_array_add (argv, g_strdup (out));
  g_ptr_array_add (argv, g_strdup (PERIOD_FROM));
  g_ptr_array_add (argv, g_strdup (PERIOD_TO));
  add_column_specs (argv);
  g_ptr_array_add (argv, NULL);

  start = cb_bench_now ();
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("casebook-bench: python3-xlsxwriter did not run: %s\n", error->message);
      return -1;
    }

  python_seconds = cb_bench_now () - start;
  g_unlink (out);
  return python_seconds;
}

static double
export (CbBenchContext *context,
        gboolean        cases,
        const char     *what)
{
  g_autofree char *db = cb_bench_demo_db (context);
  g_autofree char *out = report_path (context, what);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbReportOptions) options = cb_report_options_new ();
  g_autoptr(GError) error = NULL;
  double start, seconds;
  gboolean ok;

  store = cb_case_store_open (db, &error);
  cb_bench_check (store != NULL, "open", error);
  cb_case_query_set_period (query, PERIOD_FROM, PERIOD_TO);
  cb_report_options_set_query (options, query);
  cb_report_options_set_include_cases (options, cases);

  start = cb_bench_now ();
  ok = cb_report_writer_write (store, options, out, NULL, NULL, NULL, &error);
  seconds = cb_bench_now () - start;
  cb_bench_check (ok, "export", error);
  g_unlink (out);

  return seconds;
}

static double
run_export_cases (CbBenchContext *context)
{
  double seconds = export (context, TRUE, "cases");

  if (python_seconds > 0)
    g_snprintf (context->note, context->note_size, "python xlsxwriter %.2f s, %.1fx",
                python_seconds, python_seconds / seconds);
  else
    g_snprintf (context->note, context->note_size, "python xlsxwriter not available");

  return seconds;
}

static double
run_export_tables (CbBenchContext *context)
{
  g_snprintf (context->note, context->note_size, "summary, cascade, breakdowns, gaps");
  return export (context, FALSE, "tables");
}

void cb_bench_register_reports (void);

void
cb_bench_register_reports (void)
{
  cb_bench_register ("report: export without cases", NULL, run_export_tables);
  cb_bench_register ("report: export with cases", run_python, run_export_cases);
}
