/* cb-cli-import.c — casebook-cli import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit status: 0 when everything asked for was done: all rows imported,
 * or with --skip-invalid the valid rows saved (and the rejected ones
 * written to --rejects when that was given). 1 when nothing was imported
 * (a rejected row without --skip-invalid, a file that cannot be read, a
 * database failure) or when the rejects could not all be saved. 2 for a
 * wrong command line.
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-cli.h"
#include "cb-importer.h"

/* FILE:LINE: column: reason (case REF), the form compilers use, so editors
 * can jump to the line. The value itself is left out: a terminal's
 * scrollback or a cron job's mail is no place for case data. The rejects
 * file and the app's import window show it. */
static void
print_error (const char             *path,
             const CbImportRowError *error)
{
  g_autofree char *reason = cb_import_row_error_dup_reason_without_value (error);
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%s:%u: ", path, error->line);
  if (error->column != NULL)
    g_string_append_printf (line, "%s: ", error->column);
  g_string_append (line, reason);
  if (error->case_ref != NULL)
    {
      g_string_append_c (line, ' ');
      /* Translators: after an import error; %s is a case reference */
      g_string_append_printf (line, _("(case %s)"), error->case_ref);
    }

  g_printerr ("%s\n", line->str);
}

static void
print_errors (const char     *path,
              CbImportReport *report)
{
  guint n_kept = cb_import_report_get_n_errors_kept (report);
  guint n_all = cb_import_report_get_n_errors (report);

  for (guint i = 0; i < n_kept; i++)
    print_error (path, cb_import_report_get_error (report, i));

  if (n_all > n_kept)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%s: and %u more error, not listed\n",
                             "%s: and %u more errors, not listed\n",
                             n_all - n_kept),
                path, n_all - n_kept);
}

static void
print_unknown_columns (const char *path,
                       CbImporter *importer)
{
  const char * const *unknown = cb_importer_get_unknown_columns (importer);
  g_autofree char *list = NULL;

  if (unknown == NULL || unknown[0] == NULL)
    return;

  list = g_strjoinv (", ", (char **) unknown);
  g_printerr (_("%s: columns not imported (not in the data dictionary): %s\n"), path, list);
}

/* Returns FALSE when rejects were asked for and not all could be saved. */
static gboolean
save_rejects (CbImportReport *report,
              const char     *rejects)
{
  g_autoptr(GError) error = NULL;
  guint n = cb_import_report_get_n_rejected (report);

  if (rejects == NULL || n == 0)
    return TRUE;

  if (!cb_import_report_save_rejects (report, rejects, &error))
    {
      cb_cli_fail ("import", error);
      return FALSE;
    }

  if (!cb_import_report_get_rejects_complete (report))
    {
      g_printerr (_("casebook-cli: import: too many rejected rows to keep them all; "
                    "%s holds the first ones only\n"), rejects);
      return FALSE;
    }

  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "%u rejected row saved to %s\n",
                           "%u rejected rows saved to %s\n", n),
              n, rejects);
  return TRUE;
}

int
cb_cli_import (CbCaseStore  *store,
               int           argc,
               char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — add or update cases from a CSV file"));
  g_autoptr(CbImporter) importer = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects = NULL;
  g_autofree char *details = NULL;
  gboolean skip_invalid = FALSE;
  const char *path;
  gboolean rejects_ok;
  const GOptionEntry entries[] = {
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid,
      N_("Save the valid rows even when some rows are rejected"), NULL },
    { "rejects", 0, 0, G_OPTION_ARG_FILENAME, &rejects,
      N_("Write the rejected rows, with a reason column, to this CSV file"), "OUT.csv" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Errors are listed on stderr as FILE:LINE: column: reason (case REF),\n"
      "without the rejected value; --rejects saves the rows themselves.\n"
      "Without --skip-invalid, one rejected row means nothing is imported.\n"
      "Exit status: 0 when everything asked for was done (with --skip-invalid:\n"
      "the valid rows saved, and the rejected ones written to --rejects if given);\n"
      "1 when nothing was imported or the rejects could not be saved; 2 for usage."));
  if (!cb_cli_parse (context, &argc, &argv))
    return 2;

  if (argc != 2)
    {
      g_printerr ("%s\n", _("casebook-cli import: give one CSV file to import"));
      return 2;
    }

  path = argv[1];
  file = g_file_new_for_commandline_arg (path);
  importer = cb_importer_new (store);

  if (!cb_importer_inspect (importer, file, NULL, &error))
    return cb_cli_fail ("import", error);
  print_unknown_columns (path, importer);

  report = cb_importer_run (importer, skip_invalid ? CB_IMPORT_SKIP_INVALID : CB_IMPORT_FLAGS_NONE,
                            NULL, NULL, NULL, &error);
  /* The rows were all read, though maybe not saved: list what is wrong. */
  if (report != NULL || g_error_matches (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_ROWS_REJECTED))
    {
      print_errors (path, cb_importer_get_report (importer));
      rejects_ok = save_rejects (cb_importer_get_report (importer), rejects);
    }
  else
    rejects_ok = TRUE;

  if (report == NULL)
    return cb_cli_fail ("import", error);

  details = cb_import_report_dup_details (report);
  g_print (_("%s: %s\n"), path, details);
  return rejects_ok ? 0 : 1;
}
