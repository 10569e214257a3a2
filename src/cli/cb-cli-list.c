/* cb-cli-list.c — casebook-cli list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-case-list.h"
#include "cb-cli.h"

static const CbFieldId listed[] = {
  CB_FIELD_CASE_REF, CB_FIELD_AREA, CB_FIELD_SENTENCE_TYPE, CB_FIELD_START_DATE,
  CB_FIELD_END_DATE, CB_FIELD_DRUG_MISUSE, CB_FIELD_MAIN_SUBSTANCE,
  CB_FIELD_TESTED, CB_FIELD_REFERRED_ON,
};

static void
print_row (CbCase *record)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (listed); i++)
    {
      const char *value = record ? cb_case_get (record, listed[i]) : cb_field_get (listed[i])->name;

      if (i > 0)
        g_string_append_c (line, '\t');
      g_string_append (line, value ? value : "");
    }

  g_print ("%s\n", line->str);
}

int
cb_cli_list (CbCaseStore  *store,
             int           argc,
             char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— print cases, tab-separated"));
  g_autoptr(CbCaseList) list = NULL;
  int limit = -1;
  guint n;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Print at most N cases"), "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse (context, &argc, &argv))
    return 2;

  list = cb_case_list_new (store, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  if (limit >= 0)
    n = MIN (n, (guint) limit);

  print_row (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCase) record = g_list_model_get_item (G_LIST_MODEL (list), i);
      print_row (record);
    }

  return 0;
}
