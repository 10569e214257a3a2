/* test-report-writer.c — the commissioning workbook, written and read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test writes a real workbook from a real database and reads it back
 * with read-workbook.py (openpyxl for the cells, zipfile for the raw XML
 * parts), then compares what a commissioner would see with CbIndicators
 * and the disclosure rule.
 */
#define G_LOG_DOMAIN "casebook-test-report"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cb-case-store.h"
#include "cb-demo-data.h"
#include "cb-indicators.h"
#include "cb-practice-gaps.h"
#include "cb-report-writer.h"
#include "cb-suppression.h"
#include "cb-test-util.h"

#define READ_WORKBOOK SOURCE_ROOT "/tests/model/read-workbook.py"

/* The period of every report here: it holds every tiny and demo case. */
#define PERIOD_FROM "2020-04-01"
#define PERIOD_TO CB_DEMO_DEFAULT_ANCHOR

#define HYPERLINK_AREA "=HYPERLINK(\"https://example.org\",\"click\")"

/* ------------------------------------------------------------------ */
/* Files                                                              */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Databases                                                          */
/* ------------------------------------------------------------------ */

/* A case from "name=value" strings, NULL-terminated. */
static CbCase *
make_case (const char *ref,
           const char *area,
           ...)
{
  CbCase *record = cb_case_new ();
  g_autoptr(GError) error = NULL;
  const char *spec;
  va_list args;

  g_assert_true (cb_case_set_from_text (record, CB_FIELD_CASE_REF, ref, &error));
  g_assert_true (cb_case_set_from_text (record, CB_FIELD_AREA, area, &error));
  g_assert_true (cb_case_set_from_text (record, CB_FIELD_SENTENCE_TYPE, "community_order", &error));
  g_assert_true (cb_case_set_from_text (record, CB_FIELD_START_DATE, "2025-01-15", &error));

  va_start (args, area);
  while ((spec = va_arg (args, const char *)) != NULL)
    {
      const char *equals = strchr (spec, '=');
      g_autofree char *name = g_strndup (spec, equals - spec);
      const CbField *field = cb_field_lookup (name);

      g_assert_nonnull (field);
      if (!cb_case_set_from_text (record, field->id, equals + 1, &error))
        g_error ("%s: %s", spec, error->message);
    }
  va_end (args);

  return record;
}

/* Twelve cases in three areas, made so that the report has small counts
 * everywhere: Leeds 7, Bradford 3 and an area named like a formula, 2.
 * Drug misuse 6 (Leeds 5, Bradford 1), Class A 3, tested 2, referred 0. */
static GPtrArray *
tiny_cases (void)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (cases, make_case ("L1", "Leeds", "drug_misuse=yes", "substances=heroin;crack",
                                     "tested=yes", "last_test_on=2025-05-02", "birth_year=1990",
                                     "gender=male", "provider=@SUM(A1)", "notes==1+2", NULL));
  g_ptr_array_add (cases, make_case ("L2", "Leeds", "drug_misuse=yes", "substances=crack",
                                     "tested=yes", "gender=female", "notes=-3 cases", NULL));
  g_ptr_array_add (cases, make_case ("L3", "Leeds", "drug_misuse=yes", "substances=cannabis",
                                     "tested=no", "team=+44 113", NULL));
  g_ptr_array_add (cases, make_case ("L4", "Leeds", "drug_misuse=yes", "substances=cannabis",
                                     "tested=no", NULL));
  g_ptr_array_add (cases, make_case ("L5", "Leeds", "drug_misuse=yes", "substances=cannabis",
                                     "tested=no", "end_date=2025-12-31", NULL));
  g_ptr_array_add (cases, make_case ("L6", "Leeds", "drug_misuse=no", NULL));
  g_ptr_array_add (cases, make_case ("L7", "Leeds", "drug_misuse=no", "sentence_type=licence", NULL));
  g_ptr_array_add (cases, make_case ("B1", "Bradford", "drug_misuse=yes", "substances=cocaine",
                                     "tested=no", "notes=secret note text", NULL));
  g_ptr_array_add (cases, make_case ("B2", "Bradford", "drug_misuse=no", NULL));
  g_ptr_array_add (cases, make_case ("B3", "Bradford", NULL));
  g_ptr_array_add (cases, make_case ("X1", HYPERLINK_AREA, "drug_misuse=no", NULL));
  g_ptr_array_add (cases, make_case ("X2", HYPERLINK_AREA, NULL));

  return cases;
}

static char *
make_tiny_db (const char *dir)
{
  char *path = g_build_filename (dir, "tiny.db", NULL);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GPtrArray) cases = tiny_cases ();
  g_autoptr(GError) error = NULL;

  store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_case_store_save_all (store, cases, &error));
  g_assert_no_error (error);

  return path;
}

/* The 10,000-case demo database, made once for the whole run. */
static const char *
demo_db (void)
{
  static char *path;

  if (path == NULL)
    {
      g_autofree char *dir = cb_test_make_temp_dir ("report");
      g_autoptr(CbCaseStore) store = NULL;
      g_autoptr(GError) error = NULL;

      path = g_build_filename (dir, "demo.db", NULL);
      store = cb_case_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (cb_demo_data_generate (store, 10000, CB_DEMO_DEFAULT_SEED, NULL,
                                            NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  return path;
}

static CbCaseQuery *
report_query (void)
{
  CbCaseQuery *query = cb_case_query_new ();

  cb_case_query_set_period (query, PERIOD_FROM, PERIOD_TO);
  return query;
}

static CbReportOptions *
report_options (gboolean cases,
                gboolean notes)
{
  g_autoptr(CbCaseQuery) query = report_query ();
  CbReportOptions *options = cb_report_options_new ();

  cb_report_options_set_query (options, query);
  cb_report_options_set_include_cases (options, cases);
  cb_report_options_set_include_notes (options, notes);
  return options;
}

static CbIndicators *
compute (CbCaseStore *store)
{
  g_autoptr(CbCaseQuery) query = report_query ();
  g_autoptr(GError) error = NULL;
  CbIndicators *indicators = cb_indicators_compute (store, query, NULL, &error);

  g_assert_no_error (error);
  return indicators;
}

static void
write_report (CbCaseStore           *store,
              const CbReportOptions *options,
              const char            *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_report_writer_write (store, options, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ */
/* Reading a workbook back                                            */
/* ------------------------------------------------------------------ */

typedef struct
{
  char *type;     /* openpyxl's data_type: s, n, d, b, f */
  char *format;   /* number format */
  char *fill;     /* ARGB of a solid fill, or "" */
  char *value;
} Cell;

typedef struct
{
  GPtrArray  *sheets;
  GPtrArray  *files;
  GPtrArray  *commas;
  GHashTable *cells;     /* "sheet\trow\tcol" → Cell */
  GHashTable *last_row;  /* sheet → GUINT_TO_POINTER (last row + 1) */
  GHashTable *props;
  GHashTable *freeze;
  GHashTable *filter;
  guint       formulas;
} Workbook;

static void
cell_free (Cell *cell)
{
  g_free (cell->type);
  g_free (cell->format);
  g_free (cell->fill);
  g_free (cell->value);
  g_free (cell);
}

static void
workbook_free (Workbook *wb)
{
  g_ptr_array_unref (wb->sheets);
  g_ptr_array_unref (wb->files);
  g_ptr_array_unref (wb->commas);
  g_hash_table_unref (wb->cells);
  g_hash_table_unref (wb->last_row);
  g_hash_table_unref (wb->props);
  g_hash_table_unref (wb->freeze);
  g_hash_table_unref (wb->filter);
  g_free (wb);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Workbook, workbook_free)

static GHashTable *
string_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
add_cell (Workbook  *wb,
          char     **fields)
{
  Cell *cell = g_new0 (Cell, 1);
  guint row = (guint) g_ascii_strtoull (fields[2], NULL, 10);
  guint last = GPOINTER_TO_UINT (g_hash_table_lookup (wb->last_row, fields[1]));

  cell->type = g_strdup (fields[4]);
  cell->format = g_strdup (fields[5]);
  cell->fill = g_strdup (fields[6]);
  cell->value = g_strdup (fields[7]);
  g_hash_table_insert (wb->cells, g_strdup_printf ("%s\t%s\t%s", fields[1], fields[2], fields[3]), cell);
  if (row + 1 > last)
    g_hash_table_insert (wb->last_row, g_strdup (fields[1]), GUINT_TO_POINTER (row + 1));
}

static void
parse_line (Workbook   *wb,
            const char *line)
{
  g_auto(GStrv) raw = g_strsplit (line, "\t", -1);
  guint n = g_strv_length (raw);
  g_auto(GStrv) fields = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    fields[i] = g_strcompress (raw[i]);

  if (g_str_equal (fields[0], "sheet"))
    g_ptr_array_add (wb->sheets, g_strdup (fields[1]));
  else if (g_str_equal (fields[0], "file"))
    g_ptr_array_add (wb->files, g_strdup (fields[1]));
  else if (g_str_equal (fields[0], "comma"))
    g_ptr_array_add (wb->commas, g_strdup_printf ("%s: %s", fields[1], fields[2]));
  else if (g_str_equal (fields[0], "formulas"))
    wb->formulas = (guint) g_ascii_strtoull (fields[1], NULL, 10);
  else if (g_str_equal (fields[0], "prop") && n == 3)
    g_hash_table_insert (wb->props, g_strdup (fields[1]), g_strdup (fields[2]));
  else if (g_str_equal (fields[0], "freeze"))
    g_hash_table_insert (wb->freeze, g_strdup (fields[1]), g_strdup (fields[2]));
  else if (g_str_equal (fields[0], "filter"))
    g_hash_table_insert (wb->filter, g_strdup (fields[1]), g_strdup (fields[2]));
  else if (g_str_equal (fields[0], "cell") && n == 8)
    add_cell (wb, fields);
  else
    g_error ("read-workbook.py printed an unexpected line: %s", line);
}

/* Reads @path with read-workbook.py; @sheets (NULL-terminated, may be
 * empty) limits the cells read to those sheets. */
static Workbook *
workbook_read (const char *path,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  Workbook *wb;
  const char *sheet;
  va_list args;
  int status;

  g_ptr_array_add (argv, (char *) PYTHON3);
  g_ptr_array_add (argv, (char *) READ_WORKBOOK);
  g_ptr_array_add (argv, (char *) path);
  va_start (args, path);
  while ((sheet = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) sheet);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("read-workbook.py could not read %s: %s", path, err);

  wb = g_new0 (Workbook, 1);
  wb->sheets = g_ptr_array_new_with_free_func (g_free);
  wb->files = g_ptr_array_new_with_free_func (g_free);
  wb->commas = g_ptr_array_new_with_free_func (g_free);
  wb->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cell_free);
  wb->last_row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  wb->props = string_table ();
  wb->freeze = string_table ();
  wb->filter = string_table ();

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      parse_line (wb, lines[i]);

  return wb;
}

static Cell *
cell_at (Workbook   *wb,
         const char *sheet,
         guint       row,
         guint       col)
{
  g_autofree char *key = g_strdup_printf ("%s\t%u\t%u", sheet, row, col);

  return g_hash_table_lookup (wb->cells, key);
}

static guint
n_rows (Workbook   *wb,
        const char *sheet)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (wb->last_row, sheet));
}

static const char *
text_at (Workbook   *wb,
         const char *sheet,
         guint       row,
         guint       col)
{
  Cell *cell = cell_at (wb, sheet, row, col);

  g_assert_nonnull (cell);
  g_assert_cmpstr (cell->type, ==, "s");
  return cell->value;
}

static double
number_at (Workbook   *wb,
           const char *sheet,
           guint       row,
           guint       col)
{
  Cell *cell = cell_at (wb, sheet, row, col);

  if (cell == NULL || !g_str_equal (cell->type, "n"))
    g_error ("%s row %u column %u: expected a number, found %s “%s”", sheet, row, col,
             cell ? cell->type : "nothing", cell ? cell->value : "");
  return g_ascii_strtod (cell->value, NULL);
}

static gboolean
is_mark (Cell *cell)
{
  return cell != NULL && g_str_equal (cell->type, "s") && g_str_equal (cell->value, CB_SUPPRESSION_MARK);
}

/* The first row whose cell in @col is the text @text; -1 when none. */
static int
find_row (Workbook   *wb,
          const char *sheet,
          guint       col,
          const char *text)
{
  for (guint r = 0; r < n_rows (wb, sheet); r++)
    {
      Cell *cell = cell_at (wb, sheet, r, col);

      if (cell != NULL && g_str_equal (cell->type, "s") && g_str_equal (cell->value, text))
        return (int) r;
    }

  return -1;
}

static gboolean
has_string (GPtrArray  *strings,
            const char *wanted)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), wanted))
      return TRUE;

  return FALSE;
}

static gboolean
any_cell_contains (Workbook   *wb,
                   const char *text)
{
  GHashTableIter iter;
  Cell *cell;

  g_hash_table_iter_init (&iter, wb->cells);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &cell))
    if (strstr (cell->value, text) != NULL)
      return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* What a sheet must show                                             */
/* ------------------------------------------------------------------ */

/* A count as shown: the number, or the mark when it must be hidden. */
static void
assert_count (Workbook   *wb,
              const char *sheet,
              guint       row,
              guint       col,
              gint64      count,
              guint       threshold)
{
  Cell *cell = cell_at (wb, sheet, row, col);

  if (cb_suppression_count_is_hidden (count, threshold))
    {
      if (!is_mark (cell))
        g_error ("%s row %u column %u: the count %" G_GINT64_FORMAT " is shown", sheet, row, col, count);
      return;
    }

  g_assert_cmpfloat (number_at (wb, sheet, row, col), ==, (double) count);
}

/* A percentage cell: "*" when either count is hidden, "—" with nothing to
 * divide by, else the proportion as a number under a percentage format. */
static void
assert_percentage (Workbook   *wb,
                   const char *sheet,
                   guint       row,
                   guint       col,
                   gint64      numerator,
                   gint64      denominator,
                   gboolean    hidden)
{
  Cell *cell = cell_at (wb, sheet, row, col);

  g_assert_nonnull (cell);
  if (hidden)
    g_assert_true (is_mark (cell));
  else if (denominator == 0)
    g_assert_cmpstr (text_at (wb, sheet, row, col), ==, "—");
  else
    {
      g_assert_cmpstr (cell->format, ==, "0.0%");
      g_assert_cmpfloat_with_epsilon (number_at (wb, sheet, row, col),
                                      (double) numerator / (double) denominator, 1e-12);
    }
}

static const char *
expected_fill (CbComparison comparison)
{
  switch (comparison)
    {
    case CB_COMPARISON_BETTER:
      return "FFC6EFCE";
    case CB_COMPARISON_WORSE:
      return "FFFFEB9C";
    case CB_COMPARISON_SIMILAR:
    case CB_COMPARISON_NONE:
    default:
      return "";
    }
}

/* Every indicator's row of the Summary, found by its id. */
static void
check_summary (Workbook     *wb,
               CbIndicators *indicators,
               guint         threshold)
{
  for (guint i = 0; i < CB_N_INDICATORS; i++)
    {
      const CbIndicator *indicator = cb_indicators_get (indicators, i);
      int row = find_row (wb, "Summary", 6, indicator->id);
      gboolean hidden = cb_suppression_percentage_is_hidden (indicator->numerator,
                                                             indicator->denominator, threshold);

      g_assert_cmpint (row, >, 0);
      g_assert_cmpstr (text_at (wb, "Summary", row, 0), ==, indicator->label);
      assert_count (wb, "Summary", row, 1, indicator->numerator, threshold);
      if (i == CB_INDICATOR_CASELOAD)
        {
          g_assert_null (cell_at (wb, "Summary", row, 2));
          continue;
        }

      assert_count (wb, "Summary", row, 2, indicator->denominator, threshold);
      assert_percentage (wb, "Summary", row, 3, indicator->numerator, indicator->denominator, hidden);
      if (indicator->national_text[0] != '\0')
        g_assert_cmpstr (text_at (wb, "Summary", row, 4), ==, indicator->national_text);
      if (!hidden && indicator->denominator > 0)
        g_assert_cmpstr (cell_at (wb, "Summary", row, 3)->fill, ==,
                         expected_fill (cb_indicator_compare_national (indicator)));
    }
}

/* The count columns of a breakdown sheet, in order. */
static const struct {
  const char      *header;
  CbIndicatorKind  kind;
  gboolean         denominator;
} breakdown_columns[] = {
  { "Caseload", CB_INDICATOR_CASELOAD, TRUE },
  { "Drug misuse identified", CB_INDICATOR_DRUG_MISUSE, FALSE },
  { "Class A users", CB_INDICATOR_CLASS_A, FALSE },
  { "Tested for drugs", CB_INDICATOR_TESTED, FALSE },
  { "Referred to treatment", CB_INDICATOR_REFERRED, FALSE },
  { "Started treatment", CB_INDICATOR_STARTED, FALSE },
  { "Drug misuse a priority", CB_INDICATOR_PRIORITY_INTERVENTION, TRUE },
  { "Intervention where a priority", CB_INDICATOR_PRIORITY_INTERVENTION, FALSE },
  { "Released, treated in custody", CB_INDICATOR_CONTINUITY, TRUE },
  { "Continuity of care", CB_INDICATOR_CONTINUITY, FALSE },
};

#define N_BREAKDOWN_COLUMNS G_N_ELEMENTS (breakdown_columns)
#define BREAKDOWN_HEADER_ROW 3

static gint64
true_count (const CbBreakdownRow *row,
            guint                 column)
{
  const CbIndicator *value = &row->values[breakdown_columns[column].kind];

  return breakdown_columns[column].denominator ? value->denominator : value->numerator;
}

static const char * const breakdown_sheet_names[CB_N_BREAKDOWNS] = {
  "By area", "By substance group", "By sentence type", "By age band", "By gender", "By ethnicity",
};

/* One column of a breakdown: shown counts are the true ones, every small
 * count is hidden, the total is right, and no column has a single hidden
 * entry (which the total would give away). Returns which are hidden. */
static void
check_breakdown_column (Workbook   *wb,
                        const char *sheet,
                        GPtrArray  *rows,
                        guint       column,
                        guint       threshold,
                        gboolean   *hidden)
{
  guint n_hidden = 0;
  gint64 total = 0;

  for (guint r = 0; r <= rows->len; r++)
    {
      guint sheet_row = BREAKDOWN_HEADER_ROW + 1 + r;
      Cell *cell = cell_at (wb, sheet, sheet_row, 1 + column);
      gint64 count = 0;

      if (r < rows->len)
        total += count = true_count (g_ptr_array_index (rows, r), column);
      else
        count = total;

      hidden[r] = is_mark (cell);
      n_hidden += hidden[r];
      if (hidden[r])
        continue;
      if (cb_suppression_count_is_hidden (count, threshold))
        g_error ("%s, %s: the small count %" G_GINT64_FORMAT " on row %u is shown",
                 sheet, breakdown_columns[column].header, count, sheet_row);
      g_assert_cmpfloat (number_at (wb, sheet, sheet_row, 1 + column), ==, (double) count);
    }

  if (n_hidden == 1)
    g_error ("%s, %s: a single hidden count, which the total gives away",
             sheet, breakdown_columns[column].header);
}

static void
check_breakdown_percentages (Workbook   *wb,
                             const char *sheet,
                             GPtrArray  *rows,
                             gboolean    hidden[][N_BREAKDOWN_COLUMNS])
{
  static const struct { guint numerator, denominator; } percentages[] = {
    { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 1 }, { 5, 4 }, { 7, 6 }, { 9, 8 },
  };

  for (guint r = 0; r <= rows->len; r++)
    for (guint p = 0; p < G_N_ELEMENTS (percentages); p++)
      {
        guint sheet_row = BREAKDOWN_HEADER_ROW + 1 + r;
        guint n = percentages[p].numerator, d = percentages[p].denominator;
        gboolean is_hidden = hidden[r][n] || hidden[r][d];
        gint64 numerator = 0, denominator = 0;

        if (!is_hidden)
          {
            numerator = (gint64) number_at (wb, sheet, sheet_row, 1 + n);
            denominator = (gint64) number_at (wb, sheet, sheet_row, 1 + d);
          }
        assert_percentage (wb, sheet, sheet_row, 1 + N_BREAKDOWN_COLUMNS + p,
                           numerator, denominator, is_hidden);
      }
}

static void
check_breakdown (Workbook        *wb,
                 CbIndicators    *indicators,
                 CbBreakdownKind  kind,
                 guint            threshold)
{
  const char *sheet = breakdown_sheet_names[kind];
  GPtrArray *rows = cb_indicators_get_breakdown (indicators, kind);
  g_autofree gboolean (*hidden)[N_BREAKDOWN_COLUMNS] = g_malloc0_n (rows->len + 1, sizeof *hidden);
  g_autofree gboolean *column_hidden = g_new0 (gboolean, rows->len + 1);

  g_assert_cmpstr (text_at (wb, sheet, BREAKDOWN_HEADER_ROW, 0), ==, cb_breakdown_kind_get_label (kind));
  for (guint c = 0; c < N_BREAKDOWN_COLUMNS; c++)
    g_assert_cmpstr (text_at (wb, sheet, BREAKDOWN_HEADER_ROW, 1 + c), ==, breakdown_columns[c].header);

  for (guint r = 0; r < rows->len; r++)
    g_assert_cmpstr (text_at (wb, sheet, BREAKDOWN_HEADER_ROW + 1 + r, 0), ==,
                     ((CbBreakdownRow *) g_ptr_array_index (rows, r))->label);
  g_assert_cmpstr (text_at (wb, sheet, BREAKDOWN_HEADER_ROW + 1 + rows->len, 0), ==, "Total");

  for (guint c = 0; c < N_BREAKDOWN_COLUMNS; c++)
    {
      check_breakdown_column (wb, sheet, rows, c, threshold, column_hidden);
      for (guint r = 0; r <= rows->len; r++)
        hidden[r][c] = column_hidden[r];
    }

  check_breakdown_percentages (wb, sheet, rows, hidden);
}

/* The Total row repeats the Summary's counts; had suppression hidden a
 * total the Summary shows, the Summary would give its column away. */
static void
check_totals_match_summary (Workbook     *wb,
                            CbIndicators *indicators,
                            guint         threshold)
{
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    {
      const char *sheet = breakdown_sheet_names[kind];
      guint total_row = BREAKDOWN_HEADER_ROW + 1 + cb_indicators_get_breakdown (indicators, kind)->len;

      for (guint c = 0; c < N_BREAKDOWN_COLUMNS; c++)
        {
          const CbIndicator *indicator = cb_indicators_get (indicators, breakdown_columns[c].kind);
          gint64 count = breakdown_columns[c].denominator ? indicator->denominator : indicator->numerator;

          assert_count (wb, sheet, total_row, 1 + c, count, threshold);
        }
    }
}

static gint64
count_gap (const char *db_path,
           CbGapFlags  flag)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM cases WHERE (gaps & ?) != 0",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, flag);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

/* Every case of these databases is in the report's period, so the gaps
 * can be counted over the whole table. */
static void
check_gaps (Workbook   *wb,
            const char *db_path,
            guint       threshold)
{
  for (guint i = 0; i < CB_N_GAPS; i++)
    {
      const CbGapInfo *gap = cb_practice_gaps_get_info (i);
      int row = find_row (wb, "Practice gaps", 0, gap->title);

      g_assert_cmpint (row, >, 0);
      assert_count (wb, "Practice gaps", row, 2, count_gap (db_path, gap->flag), threshold);
    }
}

/* ------------------------------------------------------------------ */
/* Tests                                                              */
/* ------------------------------------------------------------------ */

static void
test_sheets (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (dir);
  g_autofree char *with = g_build_filename (dir, "with-cases.xlsx", NULL);
  g_autofree char *without = g_build_filename (dir, "without-cases.xlsx", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (TRUE, FALSE);
  g_autoptr(Workbook) wb = NULL;
  g_autoptr(Workbook) summary_only = NULL;
  const char *expected[] = {
    "Summary", "Care cascade", "By area", "By substance group", "By sentence type",
    "By age band", "By gender", "By ethnicity", "Practice gaps", "Cases", "About",
  };

  cb_report_options_set_title (options, "Leeds and Bradford, 2025/26");
  write_report (store, options, with);
  wb = workbook_read (with, NULL);

  g_assert_cmpuint (wb->sheets->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (wb->sheets, i), ==, expected[i]);

  /* The cascade's chart is a native one, drawn on its sheet. */
  g_assert_true (has_string (wb->files, "xl/charts/chart1.xml"));
  g_assert_true (has_string (wb->files, "xl/drawings/drawing1.xml"));
  g_assert_true (has_string (wb->files, "xl/worksheets/_rels/sheet2.xml.rels"));

  g_assert_cmpstr (g_hash_table_lookup (wb->props, "title"), ==, "Leeds and Bradford, 2025/26");
  g_assert_cmpstr (g_hash_table_lookup (wb->props, "creator"), ==, "Casebook");
  g_assert_nonnull (strstr (g_hash_table_lookup (wb->props, "subject"), PERIOD_FROM));
  g_assert_nonnull (g_hash_table_lookup (wb->props, "created"));
  g_assert_cmpstr (text_at (wb, "Summary", 0, 0), ==, "Leeds and Bradford, 2025/26");

  /* The period as real dates, the rule in force, the version. */
  g_assert_cmpint (find_row (wb, "Summary", 0, "Period from"), ==, 2);
  g_assert_cmpstr (cell_at (wb, "Summary", 2, 1)->type, ==, "d");
  g_assert_cmpstr (cell_at (wb, "Summary", 2, 1)->value, ==, PERIOD_FROM "T00:00:00");
  g_assert_cmpstr (cell_at (wb, "Summary", 3, 1)->value, ==, PERIOD_TO "T00:00:00");
  g_assert_cmpstr (text_at (wb, "About", find_row (wb, "About", 0, "Threshold"), 1), ==, "5");
  g_assert_cmpstr (text_at (wb, "About", find_row (wb, "About", 0, "Database"), 1), ==, "tiny.db");
  g_assert_nonnull (strstr (text_at (wb, "About", find_row (wb, "About", 0, "Application"), 1), "Casebook "));

  g_clear_pointer (&options, cb_report_options_free);
  options = report_options (FALSE, FALSE);
  write_report (store, options, without);
  summary_only = workbook_read (without, "Summary", NULL);
  g_assert_false (has_string (summary_only->sheets, "Cases"));
  g_assert_cmpuint (summary_only->sheets->len, ==, G_N_ELEMENTS (expected) - 1);

  cb_test_remove_tree (dir);
}

/* At scale: every Summary cell against CbIndicators, every breakdown
 * against the disclosure rule, the gaps against SQL. */
static void
test_demo_database (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *path = g_build_filename (dir, "demo.xlsx", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (demo_db ());
  g_autoptr(CbReportOptions) options = report_options (FALSE, FALSE);
  g_autoptr(CbIndicators) indicators = compute (store);
  g_autoptr(Workbook) wb = NULL;

  write_report (store, options, path);
  wb = workbook_read (path, NULL);

  g_assert_cmpint (cb_indicators_get_caseload (indicators), ==, 10000);
  check_summary (wb, indicators, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    check_breakdown (wb, indicators, kind, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  check_totals_match_summary (wb, indicators, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  check_gaps (wb, demo_db (), CB_SUPPRESSION_DEFAULT_THRESHOLD);

  /* A higher threshold hides more, by the same rule. */
  g_clear_pointer (&wb, workbook_free);
  cb_report_options_set_threshold (options, 60);
  write_report (store, options, path);
  wb = workbook_read (path, NULL);
  check_summary (wb, indicators, 60);
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    check_breakdown (wb, indicators, kind, 60);
  check_gaps (wb, demo_db (), 60);
  g_assert_cmpstr (text_at (wb, "About", find_row (wb, "About", 0, "Threshold"), 1), ==, "60");

  cb_test_remove_tree (dir);
}

static void
test_suppression_tiny (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (dir);
  g_autofree char *path = g_build_filename (dir, "tiny.xlsx", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (FALSE, FALSE);
  g_autoptr(CbIndicators) indicators = compute (store);
  g_autoptr(Workbook) wb = NULL;
  int row;

  write_report (store, options, path);
  wb = workbook_read (path, NULL);

  check_summary (wb, indicators, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    check_breakdown (wb, indicators, kind, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  check_totals_match_summary (wb, indicators, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  check_gaps (wb, db, CB_SUPPRESSION_DEFAULT_THRESHOLD);

  /* The hand-made counts, as the reader sees them. */
  row = find_row (wb, "Summary", 6, "caseload");
  g_assert_cmpfloat (number_at (wb, "Summary", row, 1), ==, 12);
  row = find_row (wb, "Summary", 6, "class_a");
  g_assert_true (is_mark (cell_at (wb, "Summary", row, 1)));   /* 3 */
  g_assert_cmpfloat (number_at (wb, "Summary", row, 2), ==, 6);
  g_assert_true (is_mark (cell_at (wb, "Summary", row, 3)));
  g_assert_null (cell_at (wb, "Summary", row, 5));             /* no comparison either */
  row = find_row (wb, "Summary", 6, "tested");
  g_assert_true (is_mark (cell_at (wb, "Summary", row, 1)));   /* 2 */
  row = find_row (wb, "Summary", 6, "referred");
  g_assert_cmpfloat (number_at (wb, "Summary", row, 1), ==, 0);
  g_assert_cmpfloat (number_at (wb, "Summary", row, 3), ==, 0);

  /* By area: 2 and 3 hidden, 7 and the total of 12 shown; of drug
   * misuse (0, 1, 5) the 1 and, with it, the 5. */
  g_assert_cmpstr (text_at (wb, "By area", 4, 0), ==, HYPERLINK_AREA);
  g_assert_cmpstr (text_at (wb, "By area", 5, 0), ==, "Bradford");
  g_assert_cmpstr (text_at (wb, "By area", 6, 0), ==, "Leeds");
  g_assert_true (is_mark (cell_at (wb, "By area", 4, 1)));
  g_assert_true (is_mark (cell_at (wb, "By area", 5, 1)));
  g_assert_cmpfloat (number_at (wb, "By area", 6, 1), ==, 7);
  g_assert_cmpfloat (number_at (wb, "By area", 7, 1), ==, 12);
  g_assert_cmpfloat (number_at (wb, "By area", 4, 2), ==, 0);
  g_assert_true (is_mark (cell_at (wb, "By area", 5, 2)));
  g_assert_true (is_mark (cell_at (wb, "By area", 6, 2)));
  g_assert_cmpfloat (number_at (wb, "By area", 7, 2), ==, 6);

  /* The cascade hides its small steps; the chart only refers to them. */
  g_assert_true (is_mark (cell_at (wb, "Care cascade", find_row (wb, "Care cascade", 0, "Class A users"), 1)));
  g_assert_true (is_mark (cell_at (wb, "Care cascade", find_row (wb, "Care cascade", 0, "Tested for drugs"), 1)));

  cb_test_remove_tree (dir);
}

/* No cases at all: every sheet still there, nothing divided by zero. */
static void
test_empty_database (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *path = g_build_filename (dir, "empty.xlsx", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (TRUE, TRUE);
  g_autoptr(CbIndicators) indicators = compute (store);
  g_autoptr(Workbook) wb = NULL;

  write_report (store, options, path);
  wb = workbook_read (path, NULL);

  g_assert_cmpuint (wb->sheets->len, ==, 11);
  check_summary (wb, indicators, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    check_breakdown (wb, indicators, kind, CB_SUPPRESSION_DEFAULT_THRESHOLD);
  g_assert_cmpstr (text_at (wb, "By area", BREAKDOWN_HEADER_ROW + 1, 0), ==, "Total");
  g_assert_cmpuint (n_rows (wb, "Cases"), ==, 1);
  check_gaps (wb, db, CB_SUPPRESSION_DEFAULT_THRESHOLD);

  cb_test_remove_tree (dir);
}

/* Text that a spreadsheet would run, stored as plain strings. */
static void
test_text_never_formula (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (dir);
  g_autofree char *path = g_build_filename (dir, "text.xlsx", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (TRUE, TRUE);
  g_autoptr(CbCaseQuery) query = report_query ();
  const char *areas[] = { HYPERLINK_AREA, "Leeds", NULL };
  g_autoptr(Workbook) wb = NULL;
  int l1, area_col, notes_col, team_col, provider_col;

  cb_case_query_set_areas (query, areas);
  cb_report_options_set_query (options, query);
  cb_report_options_set_title (options, "=1+1");
  write_report (store, options, path);
  wb = workbook_read (path, NULL);

  g_assert_cmpuint (wb->formulas, ==, 0);
  g_assert_cmpstr (text_at (wb, "Summary", 0, 0), ==, "=1+1");
  g_assert_cmpstr (text_at (wb, "Summary", 4, 1), ==, HYPERLINK_AREA "; Leeds");
  g_assert_cmpstr (text_at (wb, "By area", 4, 0), ==, HYPERLINK_AREA);

  l1 = find_row (wb, "Cases", 0, "L1");
  area_col = cb_field_get (CB_FIELD_AREA)->id;
  team_col = cb_field_get (CB_FIELD_TEAM)->id;
  provider_col = cb_field_get (CB_FIELD_PROVIDER)->id;
  notes_col = cb_field_get (CB_FIELD_NOTES)->id;
  g_assert_cmpint (l1, >, 0);
  g_assert_cmpstr (text_at (wb, "Cases", 0, notes_col), ==, "notes");
  g_assert_cmpstr (text_at (wb, "Cases", l1, notes_col), ==, "=1+2");
  g_assert_cmpstr (text_at (wb, "Cases", l1, provider_col), ==, "@SUM(A1)");
  g_assert_cmpstr (text_at (wb, "Cases", find_row (wb, "Cases", 0, "L2"), notes_col), ==, "-3 cases");
  g_assert_cmpstr (text_at (wb, "Cases", find_row (wb, "Cases", 0, "L3"), team_col), ==, "+44 113");
  g_assert_cmpstr (text_at (wb, "Cases", find_row (wb, "Cases", 0, "X1"), area_col), ==, HYPERLINK_AREA);

  cb_test_remove_tree (dir);
}

/* The case list: dictionary columns in order, notes only when asked,
 * real dates, yes/no and codes as text, frozen header, autofilter. */
static void
test_cases_sheet (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (dir);
  g_autofree char *path = g_build_filename (dir, "cases.xlsx", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (TRUE, FALSE);
  g_autoptr(Workbook) wb = NULL;
  g_autofree char *filter = NULL;
  int l1;

  write_report (store, options, path);
  wb = workbook_read (path, NULL);

  for (guint i = 0; i < CB_FIELD_NOTES; i++)
    g_assert_cmpstr (text_at (wb, "Cases", 0, i), ==, cb_field_get (i)->name);
  g_assert_null (cell_at (wb, "Cases", 0, CB_FIELD_NOTES));
  g_assert_cmpuint (n_rows (wb, "Cases"), ==, 13);
  g_assert_false (any_cell_contains (wb, "secret note text"));
  g_assert_false (any_cell_contains (wb, "=1+2"));

  g_assert_cmpstr (g_hash_table_lookup (wb->freeze, "Cases"), ==, "B2");
  filter = g_strdup_printf ("A1:%c%c13", 'A' + (CB_FIELD_NOTES - 1) / 26 - 1,
                            'A' + (CB_FIELD_NOTES - 1) % 26);
  g_assert_cmpstr (g_hash_table_lookup (wb->filter, "Cases"), ==, filter);

  l1 = find_row (wb, "Cases", 0, "L1");
  g_assert_cmpint (l1, >, 0);
  g_assert_cmpstr (cell_at (wb, "Cases", l1, CB_FIELD_START_DATE)->type, ==, "d");
  g_assert_cmpstr (cell_at (wb, "Cases", l1, CB_FIELD_START_DATE)->value, ==, "2025-01-15T00:00:00");
  g_assert_cmpstr (cell_at (wb, "Cases", l1, CB_FIELD_LAST_TEST_ON)->value, ==, "2025-05-02T00:00:00");
  g_assert_cmpstr (cell_at (wb, "Cases", find_row (wb, "Cases", 0, "L5"), CB_FIELD_END_DATE)->type, ==, "d");
  g_assert_null (cell_at (wb, "Cases", l1, CB_FIELD_END_DATE));
  g_assert_cmpstr (text_at (wb, "Cases", l1, CB_FIELD_DRUG_MISUSE), ==, "yes");
  g_assert_cmpstr (text_at (wb, "Cases", find_row (wb, "Cases", 0, "L6"), CB_FIELD_DRUG_MISUSE), ==, "no");
  g_assert_cmpstr (text_at (wb, "Cases", l1, CB_FIELD_SUBSTANCES), ==, "heroin;crack");
  g_assert_cmpstr (text_at (wb, "Cases", l1, CB_FIELD_SENTENCE_TYPE), ==, "community_order");
  g_assert_cmpfloat (number_at (wb, "Cases", l1, CB_FIELD_BIRTH_YEAR), ==, 1990);
  g_assert_null (cell_at (wb, "Cases", find_row (wb, "Cases", 0, "B3"), CB_FIELD_DRUG_MISUSE));

  /* With notes asked for: the last column. */
  g_clear_pointer (&wb, workbook_free);
  cb_report_options_set_include_notes (options, TRUE);
  write_report (store, options, path);
  wb = workbook_read (path, "Cases", NULL);
  g_assert_cmpstr (text_at (wb, "Cases", 0, CB_FIELD_NOTES), ==, "notes");
  g_assert_cmpstr (text_at (wb, "Cases", find_row (wb, "Cases", 0, "B1"), CB_FIELD_NOTES), ==, "secret note text");

  /* Notes without the case list: nowhere. */
  g_clear_pointer (&wb, workbook_free);
  cb_report_options_set_include_cases (options, FALSE);
  write_report (store, options, path);
  wb = workbook_read (path, NULL);
  g_assert_false (any_cell_contains (wb, "secret note text"));

  cb_test_remove_tree (dir);
}

static void
test_guidance_titles (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (dir);
  g_autofree char *path = g_build_filename (dir, "gaps.xlsx", NULL);
  g_autofree char *xml = NULL;
  gsize length;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CbGuidanceLibrary) library = NULL;
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (FALSE, FALSE);
  g_autoptr(Workbook) wb = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a library, the card ids. */
  write_report (store, options, path);
  wb = workbook_read (path, "Practice gaps", NULL);
  for (guint i = 0; i < CB_N_GAPS; i++)
    {
      const CbGapInfo *gap = cb_practice_gaps_get_info (i);

      g_assert_cmpstr (text_at (wb, "Practice gaps", find_row (wb, "Practice gaps", 0, gap->title), 4),
                       ==, gap->card_id);
    }

  g_assert_true (g_file_get_contents (SOURCE_ROOT "/data/guidance/cards.xml", &xml, &length, &error));
  bytes = g_bytes_new_take (g_steal_pointer (&xml), length);
  library = cb_guidance_library_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  cb_report_options_set_guidance (options, library);

  g_clear_pointer (&wb, workbook_free);
  write_report (store, options, path);
  wb = workbook_read (path, "Practice gaps", NULL);
  for (guint i = 0; i < CB_N_GAPS; i++)
    {
      const CbGapInfo *gap = cb_practice_gaps_get_info (i);
      CbGuidanceCard *card = cb_guidance_library_find (library, gap->card_id);

      g_assert_nonnull (card);
      g_assert_cmpstr (text_at (wb, "Practice gaps", find_row (wb, "Practice gaps", 0, gap->title), 4),
                       ==, cb_guidance_card_get_title (card));
    }

  cb_test_remove_tree (dir);
}

/* ------------------------------------------------------------------ */
/* Locale                                                             */
/* ------------------------------------------------------------------ */

/* glibc's setlocale() keeps a copy of LOCPATH it never frees: not ours to
 * fix, so LeakSanitizer is told to pass over it, here and in the command
 * line run under the same locale. */
#define GLIBC_LOCPATH_LEAK "leak:__argz_add_sep\nleak:__argz_create_sep\n"

const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return GLIBC_LOCPATH_LEAK;
}

static gboolean
decimal_comma_active (void)
{
  char buffer[16];

  g_snprintf (buffer, sizeof buffer, "%.1f", 0.5);
  return g_str_equal (buffer, "0,5");
}

/* A locale that writes 0,5: an installed one, or one compiled into a
 * folder of the test's own with localedef (the build machine has only
 * C and POSIX). Returns the locale's name, and the folder for LOCPATH. */
static const char *
make_comma_locale (const char  *dir,
                   char       **locpath)
{
  static const char * const candidates[][2] = {
    { "de_DE.UTF-8", "de_DE" }, { "fr_FR.UTF-8", "fr_FR" },
  };

  *locpath = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (setlocale (LC_ALL, candidates[i][0]) != NULL)
      return candidates[i][0];

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *folder = g_build_filename (dir, "locales", NULL);
      g_autofree char *target = g_build_filename (folder, candidates[i][0], NULL);
      const char *argv[] = { "localedef", "-i", candidates[i][1], "-f", "UTF-8", target, NULL };
      int status = -1;

      g_mkdir_with_parents (folder, 0700);
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                         NULL, NULL, NULL, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL))
        continue;

      g_setenv ("LOCPATH", folder, TRUE);
      if (setlocale (LC_ALL, candidates[i][0]) != NULL)
        {
          *locpath = g_steal_pointer (&folder);
          return candidates[i][0];
        }
      g_unsetenv ("LOCPATH");
    }

  return NULL;
}

static void
assert_dot_decimals (Workbook *wb)
{
  for (guint i = 0; i < wb->commas->len; i++)
    g_printerr ("decimal comma in %s\n", (char *) g_ptr_array_index (wb->commas, i));
  g_assert_cmpuint (wb->commas->len, ==, 0);
}

/* libxlsxwriter prints numbers with the C library, so under a German or
 * French locale it would write 0,5: Excel then calls the file damaged. */
static void
test_comma_locale (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (dir);
  g_autofree char *path = g_build_filename (dir, "de.xlsx", NULL);
  g_autofree char *cli_path = g_build_filename (dir, "de-cli.xlsx", NULL);
  g_autofree char *locpath = NULL;
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (TRUE, TRUE);
  g_autoptr(Workbook) wb = NULL;
  g_autoptr(Workbook) cli_wb = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  const char *locale_name = make_comma_locale (dir, &locpath);
  const char *cli_argv[] = { CB_TEST_CLI, "--db", db, "export", cli_path,
                             "--from", PERIOD_FROM, "--to", PERIOD_TO, "--cases", NULL };
  int status;
  int row;

  if (locale_name == NULL)
    {
      g_test_skip ("no locale with a decimal comma is installed and localedef could not make "
                   "de_DE.UTF-8 or fr_FR.UTF-8 (install Debian's locales package)");
      cb_test_remove_tree (dir);
      return;
    }
  g_test_message ("writing under %s%s%s", locale_name, locpath ? " from " : "", locpath ? locpath : "");
  g_assert_true (decimal_comma_active ());

  g_assert_true (cb_report_writer_write (store, options, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* The writer gave the thread its locale back. */
  g_assert_true (decimal_comma_active ());

  /* The command line, started under that locale. */
  env = g_get_environ ();
  env = g_environ_setenv (env, "LC_ALL", locale_name, TRUE);
  if (locpath != NULL)
    {
      g_autofree char *suppressions = g_build_filename (dir, "lsan.supp", NULL);
      g_autofree char *lsan = g_strdup_printf ("suppressions=%s", suppressions);

      g_assert_true (g_file_set_contents (suppressions, GLIBC_LOCPATH_LEAK, -1, NULL));
      env = g_environ_setenv (env, "LOCPATH", locpath, TRUE);
      env = g_environ_setenv (env, "LSAN_OPTIONS", lsan, TRUE);
    }
  g_spawn_sync (NULL, (char **) cli_argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  setlocale (LC_ALL, "C.UTF-8");
  g_unsetenv ("LOCPATH");

  wb = workbook_read (path, NULL);
  cli_wb = workbook_read (cli_path, NULL);
  assert_dot_decimals (wb);
  assert_dot_decimals (cli_wb);

  /* 6 of 12: the number itself, not 0 and not a string. */
  row = find_row (wb, "Summary", 6, "drug_misuse");
  g_assert_cmpfloat (number_at (wb, "Summary", row, 3), ==, 0.5);
  g_assert_cmpfloat (number_at (cli_wb, "Summary", row, 3), ==, 0.5);
  g_assert_cmpstr (cell_at (cli_wb, "Cases", 1, CB_FIELD_START_DATE)->type, ==, "d");

  cb_test_remove_tree (dir);
}

/* ------------------------------------------------------------------ */
/* Temporary files, failure and cancel                                */
/* ------------------------------------------------------------------ */

static void
test_success_leaves_one_file (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db_dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (db_dir);
  g_autofree char *path = g_build_filename (dir, "report.xlsx", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (TRUE, FALSE);

  /* Over an older file too. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  write_report (store, options, path);

  listing = cb_test_list_folder (dir, NULL);
  g_assert_cmpstr (listing, ==, "report.xlsx");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "PK"));

  cb_test_remove_tree (dir);
  cb_test_remove_tree (db_dir);
}

/* The target is a folder: the workbook is written in full, then cannot
 * take its name. */
static void
test_failure_cleans_up (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db_dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (db_dir);
  g_autofree char *target = g_build_filename (dir, "report.xlsx", NULL);
  g_autofree char *inside = g_build_filename (target, "keep", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "report.xlsx", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(CbCaseStore) store = cb_test_open_store (db);
  g_autoptr(CbReportOptions) options = report_options (TRUE, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (target, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inside, "x", -1, NULL));

  g_assert_false (cb_report_writer_write (store, options, target, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "report.xlsx"));
  g_clear_error (&error);
  listing = cb_test_list_folder (dir, NULL);
  g_assert_cmpstr (listing, ==, "report.xlsx");
  g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));

  g_assert_false (cb_report_writer_write (store, options, missing, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_pointer (&listing, g_free);
  listing = cb_test_list_folder (dir, NULL);
  g_assert_cmpstr (listing, ==, "report.xlsx");

  cb_test_remove_tree (dir);
  cb_test_remove_tree (db_dir);
}

/* A folder the user may not write: the store is opened first, as the
 * application has it open, then the process loses the right to write. */
static void
test_unwritable_folder (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *locked = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *marker = NULL;

  if (g_test_subprocess ())
    {
      const char *db = g_getenv ("CB_TEST_DB");
      g_autofree char *target = g_build_filename (g_getenv ("CB_TEST_LOCKED"), "report.xlsx", NULL);
      g_autoptr(CbCaseStore) store = cb_test_open_store (db);
      g_autoptr(CbReportOptions) options = report_options (FALSE, FALSE);
      g_autoptr(GError) error = NULL;

      if (!cb_test_become_nobody ())
        {
          /* A note for the parent: a skip cannot cross processes. */
          g_file_set_contents (g_getenv ("CB_TEST_MARKER"), "", 0, NULL);
          return;
        }
      g_assert_false (cb_report_writer_write (store, options, target, NULL, NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "choose a folder you can write to"));
      g_printerr ("refused\n");
      return;
    }

  dir = cb_test_make_temp_dir ("report");
  locked = g_build_filename (dir, "locked", NULL);
  g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
  {
    g_autofree char *db = make_tiny_db (dir);

    g_setenv ("CB_TEST_DB", db, TRUE);
  }
  marker = g_build_filename (dir, "cannot-drop", NULL);
  g_setenv ("CB_TEST_LOCKED", locked, TRUE);
  g_setenv ("CB_TEST_MARKER", marker, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("CB_TEST_DB");
  g_unsetenv ("CB_TEST_LOCKED");
  g_unsetenv ("CB_TEST_MARKER");

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    g_test_skip ("running as root without the right to become nobody, so a folder cannot be made unwritable");
  else
    {
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*refused*");
      listing = cb_test_list_folder (locked, NULL);
      g_assert_cmpstr (listing, ==, "");
    }

  cb_test_remove_tree (dir);
}

static guint
count_open_files (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

typedef struct
{
  GCancellable *cancellable;
  double        cancel_at;
  double        last;
  guint         calls;
  gboolean      decreased;
} Progress;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  Progress *progress = user_data;

  if (fraction < progress->last)
    progress->decreased = TRUE;
  progress->last = fraction;
  progress->calls++;
  if (progress->cancellable != NULL && fraction >= progress->cancel_at)
    g_cancellable_cancel (progress->cancellable);
}

/* Cancelled while writing the case list, or before starting: no file,
 * and the older one untouched. */
static void
test_cancel (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *path = g_build_filename (dir, "report.xlsx", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(CbCaseStore) store = cb_test_open_store (demo_db ());
  g_autoptr(CbReportOptions) options = report_options (TRUE, TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIndicators) warm_up = compute (store);   /* SQLite opens its WAL files */
  Progress progress = { cancellable, 0.2, 0, 0, FALSE };
  guint open_files = count_open_files ();

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));

  g_assert_false (cb_report_writer_write (store, options, path, on_progress, &progress,
                                          cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpfloat (progress.last, <, 0.5);
  listing = cb_test_list_folder (dir, NULL);
  g_assert_cmpstr (listing, ==, "report.xlsx");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  /* The sheets' temporary files were closed with the workbook. */
  g_assert_cmpuint (count_open_files (), ==, open_files);

  /* Already cancelled. */
  g_assert_false (cb_report_writer_write (store, options, path, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_pointer (&listing, g_free);
  listing = cb_test_list_folder (dir, NULL);
  g_assert_cmpstr (listing, ==, "report.xlsx");

  cb_test_remove_tree (dir);
}

static void
test_progress (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *path = g_build_filename (dir, "report.xlsx", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (demo_db ());
  g_autoptr(CbReportOptions) options = report_options (TRUE, FALSE);
  g_autoptr(GError) error = NULL;
  Progress progress = { NULL, 0, 0, 0, FALSE };

  g_assert_true (cb_report_writer_write (store, options, path, on_progress, &progress, NULL, &error));
  g_assert_no_error (error);
  /* 10,000 rows: a report every 1,000, besides the stages. */
  g_assert_cmpuint (progress.calls, >=, 10);
  g_assert_false (progress.decreased);
  g_assert_cmpfloat (progress.last, ==, 1.0);

  cb_test_remove_tree (dir);
}

/* ------------------------------------------------------------------ */
/* The command line                                                   */
/* ------------------------------------------------------------------ */

static int
run_cli (const char  *db,
         char       **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (char *) CB_TEST_CLI);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  g_ptr_array_add (argv, (char *) "export");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));

  return WEXITSTATUS (status);
}

static void
assert_cli (const char *db,
            int         expected_status,
            const char *expected_message,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;
  int status;

  va_start (args, expected_message);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);

  /* Up to six arguments are enough for these cases. */
  while (argv->len < 6)
    g_ptr_array_add (argv, NULL);
  status = run_cli (db, &err, argv->pdata[0], argv->pdata[1], argv->pdata[2],
                    argv->pdata[3], argv->pdata[4], argv->pdata[5], NULL);

  if (status != expected_status || strstr (err, expected_message) == NULL)
    g_error ("casebook-cli export: expected status %d and “%s”, got %d: %s",
             expected_status, expected_message, status, err);
}

static void
test_cli (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("report");
  g_autofree char *db = make_tiny_db (dir);
  g_autofree char *path = g_build_filename (dir, "cli.xlsx", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "missing", "cli.xlsx", NULL);
  g_autofree char *err = NULL;
  g_autoptr(Workbook) wb = NULL;

  g_assert_cmpint (run_cli (db, &err, path, "--from", "01/04/2020", "--to", PERIOD_TO,
                            "--area", "Leeds", "--cases", "--notes", "--threshold", "3", NULL), ==, 0);
  wb = workbook_read (path, "Summary", "Cases", "Practice gaps", NULL);
  g_assert_true (has_string (wb->sheets, "Cases"));
  g_assert_cmpstr (cell_at (wb, "Summary", 2, 1)->value, ==, PERIOD_FROM "T00:00:00");
  g_assert_cmpstr (text_at (wb, "Summary", 4, 1), ==, "Leeds");
  g_assert_cmpuint (n_rows (wb, "Cases"), ==, 8);
  g_assert_cmpstr (text_at (wb, "Cases", 0, CB_FIELD_NOTES), ==, "notes");
  /* Threshold 3: Leeds' 2 Class A users are hidden, its 3 cases of drug
   * misuse without a test shown (the default threshold would hide them). */
  g_assert_true (is_mark (cell_at (wb, "Summary", find_row (wb, "Summary", 6, "class_a"), 1)));
  g_assert_cmpfloat (number_at (wb, "Practice gaps", find_row (wb, "Practice gaps", 0, "Drug misuse, not tested"), 2),
                     ==, 3);

  assert_cli (db, 2, "give the workbook to write", NULL);
  assert_cli (db, 2, "not a date", path, "--from", "2025-02-30", NULL);
  assert_cli (db, 2, "swap the two dates", path, "--from", "2026-01-01", "--to", "2025-01-01", NULL);
  assert_cli (db, 2, "--threshold must be from 2 to 100", path, "--threshold", "1", NULL);
  assert_cli (db, 2, "give --cases as well", path, "--notes", NULL);
  assert_cli (db, 2, "unknown sentence type", path, "--sentence-type", "parole", NULL);
  assert_cli (db, 1, "Cannot write in the folder", nowhere, NULL);

  cb_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-writer/sheets", test_sheets);
  g_test_add_func ("/report-writer/demo-database", test_demo_database);
  g_test_add_func ("/report-writer/suppression-tiny", test_suppression_tiny);
  g_test_add_func ("/report-writer/empty-database", test_empty_database);
  g_test_add_func ("/report-writer/text-never-formula", test_text_never_formula);
  g_test_add_func ("/report-writer/cases-sheet", test_cases_sheet);
  g_test_add_func ("/report-writer/guidance-titles", test_guidance_titles);
  g_test_add_func ("/report-writer/comma-locale", test_comma_locale);
  g_test_add_func ("/report-writer/success-leaves-one-file", test_success_leaves_one_file);
  g_test_add_func ("/report-writer/failure-cleans-up", test_failure_cleans_up);
  g_test_add_func ("/report-writer/unwritable-folder", test_unwritable_folder);
  g_test_add_func ("/report-writer/cancel", test_cancel);
  g_test_add_func ("/report-writer/progress", test_progress);
  g_test_add_func ("/report-writer/cli", test_cli);

  return g_test_run ();
}
