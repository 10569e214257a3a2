/* cb-cli-export-csv.c — casebook-cli export-csv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes every case in the dictionary's CSV format. The notes are included
 * unless --no-notes is given: this export is the way to move cases between
 * databases, so it must carry every field (the commissioning exports are
 * the ones that leave notes out).
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-cli.h"
#include "cb-csv-writer.h"

int
cb_cli_export_csv (CbCaseStore  *store,
                   int           argc,
                   char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("OUT.csv — write every case as CSV"));
  g_autoptr(GError) error = NULL;
  gboolean no_notes = FALSE;
  const GOptionEntry entries[] = {
    { "no-notes", 0, 0, G_OPTION_ARG_NONE, &no_notes,
      N_("Leave out the free-text notes"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse (context, &argc, &argv))
    return 2;

  if (argc != 2)
    {
      g_printerr ("%s\n", _("casebook-cli export-csv: give the CSV file to write"));
      return 2;
    }

  if (!cb_csv_writer_write_query (store, NULL, argv[1], !no_notes, NULL, NULL, NULL, &error))
    return cb_cli_fail ("export-csv", error);

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Exported %" G_GINT64_FORMAT " case to %s\n",
                        "Exported %" G_GINT64_FORMAT " cases to %s\n",
                        cb_case_store_count (store)),
           cb_case_store_count (store), argv[1]);
  return 0;
}
