/* casebook-cli.c — Casebook's model for scripts and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "cb-cli.h"

typedef struct
{
  const char   *name;
  CbCliCommand  run;
  const char   *usage;
} Command;

static const Command commands[] = {
  { "demo", cb_cli_demo, N_("demo --cases N [--seed S]   add N synthetic demo cases") },
  { "list", cb_cli_list, N_("list [--limit N]            print cases, one a line") },
  { "import", cb_cli_import,
    N_("import FILE [--skip-invalid] [--rejects OUT.csv]   add or update cases from CSV") },
  { "export-csv", cb_cli_export_csv,
    N_("export-csv OUT.csv [--notes]   every case as CSV, without the notes unless --notes") },
  { "stats", cb_cli_stats, N_("stats [--from D] [--to D] [--area A]... [--json]   the commissioning indicators") },
  { "export", cb_cli_export,
    N_("export OUT.xlsx [--from D] [--to D] [--area A]... [--cases] [--notes] [--threshold N]   the commissioning workbook") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: casebook-cli [--db PATH] COMMAND [OPTIONS]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %s\n", _(commands[i].usage));
  fprintf (out, "\n%s\n", _("--db PATH uses that database instead of the default one."));
  fprintf (out, "%s\n", _("Run “casebook-cli COMMAND --help” for a command's options."));
}

gboolean
cb_cli_parse (GOptionContext   *context,
              int              *argc,
              char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;

  g_printerr ("casebook-cli: %s\n", error->message);
  return FALSE;
}

int
cb_cli_fail (const char   *what,
             const GError *error)
{
  if (what != NULL)
    g_printerr ("casebook-cli: %s: %s\n", what, error->message);
  else
    g_printerr ("casebook-cli: %s\n", error->message);
  return 1;
}

gboolean
cb_cli_canonicalise_date (const char  *command,
                          const char  *option,
                          char       **value)
{
  GDate date;

  if (*value == NULL)
    return TRUE;

  if (!cb_date_parse (*value, &date))
    {
      g_printerr ("casebook-cli %s: ", command);
      g_printerr (_("%s “%s” is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"), option, *value);
      g_printerr ("\n");
      return FALSE;
    }

  g_free (*value);
  *value = cb_date_format (&date);
  return TRUE;
}

/* Sentence types by code or label, as the CSV import accepts them. */
gboolean
cb_cli_canonicalise_sentence_types (const char *command,
                                    GStrv       codes)
{
  const CbField *field = cb_field_get (CB_FIELD_SENTENCE_TYPE);

  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    {
      int index = cb_field_find_code (field, codes[i]);

      if (index < 0)
        {
          g_printerr ("casebook-cli %s: ", command);
          g_printerr (_("unknown sentence type “%s”; use one of the dictionary's codes, e.g. community_order"),
                      codes[i]);
          g_printerr ("\n");
          return FALSE;
        }

      g_free (codes[i]);
      codes[i] = g_strdup (field->codes[index].code);
    }

  return TRUE;
}

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *db_path = NULL;
  const Command *command;
  int first = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options come before the command. */
  while (first < argc && argv[first][0] == '-')
    {
      if (g_str_equal (argv[first], "--db") && first + 1 < argc)
        db_path = argv[(first += 2) - 1];
      else if (g_str_has_prefix (argv[first], "--db="))
        db_path = argv[first++] + strlen ("--db=");
      else if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h"))
        {
          print_usage (stdout);
          return 0;
        }
      else
        {
          g_printerr (_("casebook-cli: unknown option “%s”\n"), argv[first]);
          print_usage (stderr);
          return 2;
        }
    }

  if (first >= argc)
    {
      print_usage (stderr);
      return 2;
    }

  if (!(command = find_command (argv[first])))
    {
      g_printerr (_("casebook-cli: unknown command “%s”\n"), argv[first]);
      print_usage (stderr);
      return 2;
    }

  if (!(store = cb_case_store_open (db_path, &error)))
    return cb_cli_fail (NULL, error);

  return command->run (store, argc - first, argv + first);
}
