/* cb-cli-export.c — casebook-cli export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The commissioning workbook from the command line: the same file the
 * Reports page writes. Exit status 2 for a mistake in the command, 1 when
 * the workbook could not be written.
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-cli.h"
#include "cb-report-writer.h"
#include "cb-suppression.h"

typedef struct
{
  char     *from;
  char     *to;
  GStrv     areas;
  GStrv     sentence_types;
  char     *title;
  gboolean  cases;
  gboolean  notes;
  int       threshold;
} ExportOptions;

static void
export_options_clear (ExportOptions *options)
{
  g_free (options->from);
  g_free (options->to);
  g_strfreev (options->areas);
  g_strfreev (options->sentence_types);
  g_free (options->title);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportOptions, export_options_clear)

static void
usage_error (const char *message)
{
  g_printerr ("casebook-cli export: %s\n", message);
}

/* Both dates canonical: ISO dates compare as strings. A missing last day
 * is today, as in the report itself. */
static gboolean
check_period (ExportOptions *options)
{
  g_autofree char *today = cb_today_iso ();
  const char *to = options->to ? options->to : today;
  g_autofree char *message = NULL;

  if (options->from == NULL || strcmp (options->from, to) <= 0)
    return TRUE;

  message = g_strdup_printf (_("the period starts on %s, after it ends on %s; swap the two dates"),
                             options->from, to);
  usage_error (message);
  return FALSE;
}

static gboolean
check_choices (ExportOptions *options)
{
  g_autofree char *message = NULL;

  if (options->threshold < CB_REPORT_THRESHOLD_MIN || options->threshold > CB_REPORT_THRESHOLD_MAX)
    {
      message = g_strdup_printf (_("--threshold must be from %d to %d (the NDTMS convention is %d)"),
                                 CB_REPORT_THRESHOLD_MIN, CB_REPORT_THRESHOLD_MAX,
                                 CB_SUPPRESSION_DEFAULT_THRESHOLD);
      usage_error (message);
      return FALSE;
    }

  /* Notes live in the case list only; asking for them without it is
   * most likely a slip, and silently dropping them would hide it. */
  if (options->notes && !options->cases)
    {
      usage_error (_("--notes adds the notes to the case list; give --cases as well"));
      return FALSE;
    }

  return cb_cli_canonicalise_date ("export", "--from", &options->from) &&
         cb_cli_canonicalise_date ("export", "--to", &options->to) &&
         check_period (options) &&
         cb_cli_canonicalise_sentence_types ("export", options->sentence_types);
}

static gboolean
parse_options (ExportOptions   *options,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("OUT.xlsx — the commissioning workbook of the cases active in a period"));
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &options->from,
      N_("First day of the period (default: the last day)"), "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options->to,
      N_("Last day of the period (default: today)"), "DATE" },
    { "area", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->areas,
      N_("Only this area; repeat for several"), "AREA" },
    { "sentence-type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->sentence_types,
      N_("Only this sentence type; repeat for several"), "CODE" },
    { "cases", 0, 0, G_OPTION_ARG_NONE, &options->cases,
      N_("Add the case list, one row per case (never suppressed)"), NULL },
    { "notes", 0, 0, G_OPTION_ARG_NONE, &options->notes,
      N_("Add the free-text notes to the case list"), NULL },
    { "threshold", 0, 0, G_OPTION_ARG_INT, &options->threshold,
      N_("Show counts below N as * (default 5)"), "N" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &options->title,
      N_("Title on the Summary sheet"), "TEXT" },
    { NULL }
  };

  options->threshold = CB_SUPPRESSION_DEFAULT_THRESHOLD;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse (context, argc, argv))
    return FALSE;

  if (*argc != 2)
    {
      usage_error (*argc < 2 ? _("give the workbook to write, e.g. report.xlsx")
                             : _("give one workbook to write, and options before or after it"));
      return FALSE;
    }

  return check_choices (options);
}

static CbReportOptions *
report_options (ExportOptions *options)
{
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  CbReportOptions *report = cb_report_options_new ();

  cb_case_query_set_period (query, options->from, options->to);
  cb_case_query_set_areas (query, (const char * const *) options->areas);
  cb_case_query_set_sentence_types (query, (const char * const *) options->sentence_types);

  cb_report_options_set_query (report, query);
  cb_report_options_set_include_cases (report, options->cases);
  cb_report_options_set_include_notes (report, options->notes);
  cb_report_options_set_threshold (report, options->threshold);
  cb_report_options_set_title (report, options->title);

  return report;
}

int
cb_cli_export (CbCaseStore  *store,
               int           argc,
               char        **argv)
{
  g_auto(ExportOptions) options = { 0 };
  g_autoptr(CbReportOptions) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  if (!parse_options (&options, &argc, &argv))
    return 2;

  path = argv[1];
  report = report_options (&options);

  if (!cb_report_writer_write (store, report, path, NULL, NULL, NULL, &error))
    return cb_cli_fail ("export", error);

  g_print (_("Saved the workbook %s\n"), path);
  return 0;
}
