/* cb-cli-export-csv.c — casebook-cli export-csv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes every case in the dictionary's CSV format. Like every export, it
 * leaves the free-text notes out unless --notes asks for them: notes may
 * identify a person. Moving cases between databases still works without
 * them, as an import sets only the columns its file has; give --notes to
 * carry the notes too. --no-notes, the old way to leave them out, is still
 * accepted and changes nothing.
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
  gboolean notes = FALSE;
  gboolean no_notes = FALSE;
  const GOptionEntry entries[] = {
    { "notes", 0, 0, G_OPTION_ARG_NONE, &notes,
      N_("Add the free-text notes, which may identify a person"), NULL },
    { "no-notes", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &no_notes,
      NULL, NULL },
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

  if (notes && no_notes)
    {
      g_printerr ("%s\n", _("casebook-cli export-csv: give --notes or --no-notes, not both"));
      return 2;
    }

  if (!cb_csv_writer_write_query (store, NULL, argv[1], notes, NULL, NULL, NULL, &error))
    return cb_cli_fail ("export-csv", error);

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Exported %" G_GINT64_FORMAT " case to %s\n",
                        "Exported %" G_GINT64_FORMAT " cases to %s\n",
                        cb_case_store_count (store)),
           cb_case_store_count (store), argv[1]);
  return 0;
}
