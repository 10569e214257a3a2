/* cb-cli-stats.c — casebook-cli stats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The commissioning indicators as a table for people or as JSON for
 * scripts. The JSON is written by hand (json-glib is not a dependency);
 * every string goes through json_append_string().
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "cb-cli.h"
#include "cb-error.h"
#include "cb-indicators.h"

/* The indicators a breakdown table shows beside the caseload. */
static const CbIndicatorKind breakdown_columns[] = {
  CB_INDICATOR_DRUG_MISUSE, CB_INDICATOR_CLASS_A, CB_INDICATOR_TESTED,
  CB_INDICATOR_REFERRED, CB_INDICATOR_PRIORITY_INTERVENTION,
  CB_INDICATOR_CONTINUITY,
};

typedef struct
{
  char     *from;
  char     *to;
  GStrv     areas;
  GStrv     sentence_types;
  gboolean  json;
  gboolean  breakdowns;
} StatsOptions;

static void
stats_options_clear (StatsOptions *options)
{
  g_free (options->from);
  g_free (options->to);
  g_strfreev (options->areas);
  g_strfreev (options->sentence_types);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StatsOptions, stats_options_clear)

/* JSON */

static void
json_append_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text ? text : ""; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* JSON numbers use '.', whatever the locale. */
static void
json_append_percentage (GString           *out,
                        const CbIndicator *indicator)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!cb_indicator_has_percentage (indicator))
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.2f",
                                         cb_indicator_get_percentage (indicator)));
}

static void
json_append_indicator (GString           *out,
                       const CbIndicator *indicator,
                       gboolean           full)
{
  g_string_append (out, "{\"id\": ");
  json_append_string (out, indicator->id);
  g_string_append_printf (out, ", \"numerator\": %" G_GINT64_FORMAT
                          ", \"denominator\": %" G_GINT64_FORMAT ", \"percentage\": ",
                          indicator->numerator, indicator->denominator);
  json_append_percentage (out, indicator);
  if (full)
    {
      g_string_append (out, ", \"label\": ");
      json_append_string (out, indicator->label);
      g_string_append (out, ", \"national\": ");
      json_append_string (out, indicator->national_text);
    }
  g_string_append_c (out, '}');
}

static void
json_append_indicators (GString           *out,
                        const CbIndicator *values,
                        gboolean           full)
{
  g_string_append (out, "[");
  for (guint i = 0; i < CB_N_INDICATORS; i++)
    {
      g_string_append (out, i ? ",\n    " : "\n    ");
      json_append_indicator (out, &values[i], full);
    }
  g_string_append (out, "\n  ]");
}

static void
json_append_breakdowns (GString      *out,
                        CbIndicators *indicators)
{
  g_string_append (out, ",\n  \"breakdowns\": {");
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    {
      GPtrArray *rows = cb_indicators_get_breakdown (indicators, kind);

      g_string_append (out, kind ? ",\n  " : "\n  ");
      json_append_string (out, cb_breakdown_kind_get_id (kind));
      g_string_append (out, ": [");
      for (guint i = 0; i < rows->len; i++)
        {
          const CbBreakdownRow *row = g_ptr_array_index (rows, i);

          g_string_append (out, i ? ",\n  {\"key\": " : "\n  {\"key\": ");
          json_append_string (out, row->key);
          g_string_append (out, ", \"label\": ");
          json_append_string (out, row->label);
          g_string_append (out, ", \"indicators\": ");
          json_append_indicators (out, row->values, FALSE);
          g_string_append (out, "}");
        }
      g_string_append (out, "]");
    }
  g_string_append (out, "}");
}

static void
print_json (CbIndicators *indicators,
            gboolean      breakdowns)
{
  g_autoptr(GString) out = g_string_new (NULL);
  CbIndicator values[CB_N_INDICATORS];

  for (guint i = 0; i < CB_N_INDICATORS; i++)
    values[i] = *cb_indicators_get (indicators, i);

  g_string_append_printf (out, "{\"caseload\": %" G_GINT64_FORMAT ",\n  \"from\": ",
                          cb_indicators_get_caseload (indicators));
  json_append_string (out, cb_indicators_get_from (indicators));
  g_string_append (out, ",\n  \"to\": ");
  json_append_string (out, cb_indicators_get_to (indicators));
  g_string_append (out, ",\n  \"indicators\": ");
  json_append_indicators (out, values, TRUE);
  if (breakdowns)
    json_append_breakdowns (out, indicators);
  g_string_append (out, "}\n");

  fputs (out->str, stdout);
}

/* Table */

/* Pads by characters, not bytes, so labels with accents line up. */
static void
append_padded (GString    *line,
               const char *text,
               int         width,
               gboolean    right)
{
  int n = (int) g_utf8_strlen (text, -1);

  if (right)
    for (; n < width; n++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (; n < width; n++)
      g_string_append_c (line, ' ');
}

static char *
format_percentage (const CbIndicator *indicator)
{
  if (!cb_indicator_has_percentage (indicator))
    return g_strdup ("—");

  return g_strdup_printf ("%.1f%%", cb_indicator_get_percentage (indicator));
}

static void
print_indicator_line (const CbIndicator *indicator)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *counts = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                                             indicator->numerator, indicator->denominator);
  g_autofree char *percentage = format_percentage (indicator);

  append_padded (line, indicator->id, 23, FALSE);
  append_padded (line, indicator->label, 38, FALSE);
  append_padded (line, counts, 17, TRUE);
  append_padded (line, percentage, 8, TRUE);
  g_string_append (line, "  ");
  g_string_append (line, indicator->national_text);

  g_print ("%s\n", g_strchomp (line->str));
}

static void
print_breakdown (CbIndicators    *indicators,
                 CbBreakdownKind  kind)
{
  GPtrArray *rows = cb_indicators_get_breakdown (indicators, kind);
  g_autoptr(GString) header = g_string_new (NULL);

  append_padded (header, cb_breakdown_kind_get_label (kind), 30, FALSE);
  append_padded (header, _("cases"), 8, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (breakdown_columns); i++)
    append_padded (header, cb_indicator_kind_get_info (breakdown_columns[i])->id, 23, TRUE);
  g_print ("\n%s\n", header->str);

  for (guint r = 0; r < rows->len; r++)
    {
      const CbBreakdownRow *row = g_ptr_array_index (rows, r);
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *caseload =
        g_strdup_printf ("%" G_GINT64_FORMAT, row->values[CB_INDICATOR_CASELOAD].denominator);

      append_padded (line, row->label, 30, FALSE);
      append_padded (line, caseload, 8, TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (breakdown_columns); i++)
        {
          const CbIndicator *value = &row->values[breakdown_columns[i]];
          g_autofree char *percentage = format_percentage (value);
          g_autofree char *cell = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " %7s",
                                                   value->numerator, value->denominator, percentage);

          append_padded (line, cell, 23, TRUE);
        }
      g_print ("%s\n", line->str);
    }
}

static void
print_table (CbIndicators *indicators,
             gboolean      breakdowns)
{
  g_print (_("Indicators for the cases active from %s to %s\n\n"),
           cb_indicators_get_from (indicators), cb_indicators_get_to (indicators));

  for (guint i = 0; i < cb_indicators_get_n (indicators); i++)
    print_indicator_line (cb_indicators_get (indicators, i));

  if (breakdowns)
    for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
      print_breakdown (indicators, kind);
}

/* Options */

/* Replaces a date option with its canonical form; FALSE when it is not a
 * date. */
static gboolean
parse_options (StatsOptions   *options,
               int            *argc,
               char         ***argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— the commissioning indicators of the cases active in a period"));
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &options->from,
      N_("First day of the period (default: the last day)"), "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options->to,
      N_("Last day of the period (default: today)"), "DATE" },
    { "area", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->areas,
      N_("Only this area; repeat for several"), "AREA" },
    { "sentence-type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->sentence_types,
      N_("Only this sentence type; repeat for several"), "CODE" },
    { "breakdowns", 0, 0, G_OPTION_ARG_NONE, &options->breakdowns,
      N_("Also break the counts down by area, substance group, sentence type, age band, gender and ethnicity"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print JSON instead of a table"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse (context, argc, argv))
    return FALSE;

  if (*argc > 1)
    {
      g_printerr (_("casebook-cli stats: unexpected argument “%s”\n"), (*argv)[1]);
      return FALSE;
    }

  return cb_cli_canonicalise_date ("stats", "--from", &options->from) &&
         cb_cli_canonicalise_date ("stats", "--to", &options->to) &&
         cb_cli_canonicalise_sentence_types ("stats", options->sentence_types);
}

int
cb_cli_stats (CbCaseStore  *store,
              int           argc,
              char        **argv)
{
  g_auto(StatsOptions) options = { 0 };
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(CbIndicators) indicators = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (&options, &argc, &argv))
    return 2;

  cb_case_query_set_period (query, options.from, options.to);
  cb_case_query_set_areas (query, (const char * const *) options.areas);
  cb_case_query_set_sentence_types (query, (const char * const *) options.sentence_types);

  indicators = cb_indicators_compute (store, query, NULL, &error);
  if (indicators == NULL)
    {
      /* A period that ends before it starts is a usage error. */
      cb_cli_fail ("stats", error);
      return g_error_matches (error, CB_ERROR, CB_ERROR_INVALID) ? 2 : 1;
    }

  if (options.json)
    print_json (indicators, options.breakdowns);
  else
    print_table (indicators, options.breakdowns);

  return 0;
}
