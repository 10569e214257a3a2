/* cb-cli-demo.c — casebook-cli demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-cli.h"
#include "cb-demo-data.h"

int
cb_cli_demo (CbCaseStore  *store,
             int           argc,
             char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— add synthetic demo cases"));
  g_autoptr(GError) error = NULL;
  g_autofree char *anchor = NULL;
  int n_cases = -1;
  int seed = CB_DEMO_DEFAULT_SEED;
  const GOptionEntry entries[] = {
    { "cases", 0, 0, G_OPTION_ARG_INT, &n_cases, N_("How many cases to add"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed (same seed, same cases)"), "S" },
    { "anchor", 0, 0, G_OPTION_ARG_STRING, &anchor,
      N_("Day the caseload is seen from (default " CB_DEMO_DEFAULT_ANCHOR ")"), "YYYY-MM-DD" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse (context, &argc, &argv))
    return 2;

  if (n_cases < 0 || argc > 1)
    {
      g_printerr ("%s\n", _("casebook-cli demo: give the number of cases with --cases N"));
      return 2;
    }

  if (!cb_demo_data_generate (store, n_cases, seed, anchor, NULL, NULL, NULL, &error))
    return cb_cli_fail ("demo", error);

  g_print (_("Added %d demo cases to %s (seed %d); the database holds %d cases.\n"),
           n_cases, cb_case_store_get_path (store), seed, (int) cb_case_store_count (store));
  return 0;
}
