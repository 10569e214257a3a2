/* cb-report-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The commissioning workbook, written with libxlsxwriter. Three rules shape
 * this file:
 *
 *  - Disclosure control. Every count a commissioner sees goes through
 *    CbSuppression: a small count is shown as "*", and in a breakdown table
 *    a second count of the same column is hidden with it so that the total
 *    does not give it away. A percentage is shown only when both of its
 *    counts are. Nothing else in the workbook (chart, About sheet, document
 *    properties) repeats a count, so nothing can leak around the rule.
 *
 *  - Text is text. Every text cell is written with worksheet_write_string(),
 *    whatever it begins with: an area called "=HYPERLINK(…)" must never
 *    become a live formula in a commissioner's spreadsheet.
 *
 *  - Constant memory. The case list can hold the national caseload, so the
 *    workbook is written in libxlsxwriter's constant_memory mode: each sheet
 *    is written row by row, top to bottom, and finished before the next is
 *    started. libxlsxwriter 1.1.4 refuses tables in that mode, hence the
 *    autofilter on the case list.
 *
 * libxlsxwriter prints numbers with the C library's printf, which follows
 * LC_NUMERIC: under a German or French locale it would write "0,5", which
 * Excel rejects as a damaged file. The writing thread therefore switches to
 * the C numeric locale with uselocale() for the duration, leaving the
 * process's locale and the other threads alone.
 */
#define G_LOG_DOMAIN "casebook-report"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cb-case-query-private.h"
#include "cb-case-store-private.h"
#include "cb-indicators.h"
#include "cb-practice-gaps.h"
#include "cb-report-writer.h"
#include "cb-suppression.h"
#include "cb-temp-file.h"

/* How often the case list checks for Cancel and reports progress. */
#define CASE_ROWS_PER_CHECK 1000

/* The share of the progress bar each stage takes. Closing the workbook
 * compresses every sheet and takes about half of the time with a case
 * list, with no way to report from inside it. */
#define PROGRESS_COUNTED   0.05
#define PROGRESS_TABLES    0.10
#define PROGRESS_ROWS_DONE 0.50

/* Excel's limit for a sheet name. */
#define SHEET_NAME_MAX 31

struct _CbReportOptions
{
  CbCaseQuery       *query;      /* nullable: every case */
  CbGuidanceLibrary *guidance;   /* nullable: card ids instead of titles */
  char              *title;      /* nullable: the default title */
  guint              threshold;
  gboolean           include_cases;
  gboolean           include_notes;
};

/* The counts of a breakdown table. Besides the caseload and the
 * numerators of the main indicators, the denominators that are not
 * themselves a column are shown, so that every percentage is made of two
 * counts the reader can see (and that suppression has vetted). */
typedef struct
{
  CbIndicatorKind  kind;
  gboolean         denominator;
  const char      *label;        /* NULL: the indicator's own label */
} CountColumn;

enum {
  COL_CASELOAD,
  COL_MISUSE,
  COL_CLASS_A,
  COL_TESTED,
  COL_REFERRED,
  COL_STARTED,
  COL_PRIORITY,
  COL_INTERVENTION,
  COL_RELEASED,
  COL_CONTINUITY,
  N_COUNT_COLUMNS
};

static const CountColumn count_columns[N_COUNT_COLUMNS] = {
  [COL_CASELOAD] = { CB_INDICATOR_CASELOAD, TRUE, NULL },
  [COL_MISUSE] = { CB_INDICATOR_DRUG_MISUSE, FALSE, NULL },
  [COL_CLASS_A] = { CB_INDICATOR_CLASS_A, FALSE, NULL },
  [COL_TESTED] = { CB_INDICATOR_TESTED, FALSE, NULL },
  [COL_REFERRED] = { CB_INDICATOR_REFERRED, FALSE, NULL },
  [COL_STARTED] = { CB_INDICATOR_STARTED, FALSE, NULL },
  [COL_PRIORITY] = { CB_INDICATOR_PRIORITY_INTERVENTION, TRUE, N_("Drug misuse a priority") },
  [COL_INTERVENTION] = { CB_INDICATOR_PRIORITY_INTERVENTION, FALSE, NULL },
  [COL_RELEASED] = { CB_INDICATOR_CONTINUITY, TRUE, N_("Released, treated in custody") },
  [COL_CONTINUITY] = { CB_INDICATOR_CONTINUITY, FALSE, NULL },
};

/* Each percentage of a breakdown table: numerator column / denominator
 * column, which are the indicator's own numerator and denominator. */
static const struct {
  CbIndicatorKind kind;
  guint           numerator;
  guint           denominator;
} percentage_columns[] = {
  { CB_INDICATOR_DRUG_MISUSE, COL_MISUSE, COL_CASELOAD },
  { CB_INDICATOR_CLASS_A, COL_CLASS_A, COL_MISUSE },
  { CB_INDICATOR_TESTED, COL_TESTED, COL_MISUSE },
  { CB_INDICATOR_REFERRED, COL_REFERRED, COL_MISUSE },
  { CB_INDICATOR_STARTED, COL_STARTED, COL_REFERRED },
  { CB_INDICATOR_PRIORITY_INTERVENTION, COL_INTERVENTION, COL_PRIORITY },
  { CB_INDICATOR_CONTINUITY, COL_CONTINUITY, COL_RELEASED },
};

/* The sheet of each breakdown. */
static const char * const breakdown_sheets[CB_N_BREAKDOWNS] = {
  [CB_BREAKDOWN_AREA] = N_("By area"),
  [CB_BREAKDOWN_SUBSTANCE_GROUP] = N_("By substance group"),
  [CB_BREAKDOWN_SENTENCE_TYPE] = N_("By sentence type"),
  [CB_BREAKDOWN_AGE_BAND] = N_("By age band"),
  [CB_BREAKDOWN_GENDER] = N_("By gender"),
  [CB_BREAKDOWN_ETHNICITY] = N_("By ethnicity"),
};

typedef struct
{
  lxw_format *title;
  lxw_format *heading;
  lxw_format *header;
  lxw_format *key;
  lxw_format *text;
  lxw_format *note;
  lxw_format *code;
  lxw_format *count;
  lxw_format *hidden;
  lxw_format *percent;
  lxw_format *percent_better;
  lxw_format *percent_worse;
  lxw_format *better;
  lxw_format *worse;
  lxw_format *total_key;
  lxw_format *total_count;
  lxw_format *total_hidden;
  lxw_format *total_percent;
  lxw_format *date;
  lxw_format *datetime;
  lxw_format *year;
} Formats;

typedef struct
{
  lxw_workbook          *workbook;
  const CbReportOptions *options;
  CbCaseStore           *store;
  CbIndicators          *indicators;
  CbCaseQuery           *selection;   /* the options' query over the report's period */
  GDateTime             *now;
  Formats                f;
  CbProgressFunc         progress;
  gpointer               progress_data;
  GCancellable          *cancellable;
  lxw_error              failure;     /* the first error libxlsxwriter reported */
} Writer;

/* Options */

static CbReportOptions *
options_boxed_copy (CbReportOptions *self)
{
  return cb_report_options_copy (self);
}

G_DEFINE_BOXED_TYPE (CbReportOptions, cb_report_options,
                     options_boxed_copy, cb_report_options_free)

/**
 * cb_report_options_new:
 *
 * Every case active today, threshold 5, no case list, no notes.
 */
CbReportOptions *
cb_report_options_new (void)
{
  CbReportOptions *self = g_new0 (CbReportOptions, 1);

  self->threshold = CB_SUPPRESSION_DEFAULT_THRESHOLD;

  return self;
}

CbReportOptions *
cb_report_options_copy (const CbReportOptions *self)
{
  CbReportOptions *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (CbReportOptions, 1);
  copy->query = self->query ? cb_case_query_copy (self->query) : NULL;
  copy->guidance = self->guidance ? g_object_ref (self->guidance) : NULL;
  copy->title = g_strdup (self->title);
  copy->threshold = self->threshold;
  copy->include_cases = self->include_cases;
  copy->include_notes = self->include_notes;

  return copy;
}

void
cb_report_options_free (CbReportOptions *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->query);
  g_clear_object (&self->guidance);
  g_free (self->title);
  g_free (self);
}

/**
 * cb_report_options_set_query:
 * @query: (nullable): the selection: period, areas, sentence types and any
 *   other filter; %NULL for today's whole caseload
 *
 * The query is copied, so later changes to it do not reach the report.
 */
void
cb_report_options_set_query (CbReportOptions *self,
                             CbCaseQuery     *query)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (query == NULL || CB_IS_CASE_QUERY (query));

  g_clear_object (&self->query);
  if (query != NULL)
    self->query = cb_case_query_copy (query);
}

/**
 * cb_report_options_get_query:
 *
 * Returns: (transfer none) (nullable): the options' own copy of the query
 */
CbCaseQuery *
cb_report_options_get_query (const CbReportOptions *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->query;
}

void
cb_report_options_set_include_cases (CbReportOptions *self,
                                     gboolean         include)
{
  g_return_if_fail (self != NULL);

  self->include_cases = !!include;
}

gboolean
cb_report_options_get_include_cases (const CbReportOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->include_cases;
}

/* Notes are free text about a person: they appear in the case list only
 * when asked for, and never without the case list. */
void
cb_report_options_set_include_notes (CbReportOptions *self,
                                     gboolean         include)
{
  g_return_if_fail (self != NULL);

  self->include_notes = !!include;
}

gboolean
cb_report_options_get_include_notes (const CbReportOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->include_notes;
}

void
cb_report_options_set_threshold (CbReportOptions *self,
                                 guint            threshold)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (threshold >= CB_REPORT_THRESHOLD_MIN);
  g_return_if_fail (threshold <= CB_REPORT_THRESHOLD_MAX);

  self->threshold = threshold;
}

guint
cb_report_options_get_threshold (const CbReportOptions *self)
{
  g_return_val_if_fail (self != NULL, CB_SUPPRESSION_DEFAULT_THRESHOLD);

  return self->threshold;
}

/* %NULL or "" for the default title. */
void
cb_report_options_set_title (CbReportOptions *self,
                             const char      *title)
{
  g_return_if_fail (self != NULL);

  g_free (self->title);
  self->title = (title != NULL && title[0] != '\0') ? g_strdup (title) : NULL;
}

const char *
cb_report_options_get_title (const CbReportOptions *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title ? self->title : _("Drug work on probation: commissioning report");
}

/**
 * cb_report_options_set_guidance:
 * @library: (nullable): the guidance cards, for the titles on the
 *   Practice gaps sheet; without it the sheet names the cards by id
 */
void
cb_report_options_set_guidance (CbReportOptions   *self,
                                CbGuidanceLibrary *library)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (library == NULL || CB_IS_GUIDANCE_LIBRARY (library));

  g_set_object (&self->guidance, library);
}

/* Cells */

static void
check (Writer    *w,
       lxw_error  result)
{
  if (result != LXW_NO_ERROR && w->failure == LXW_NO_ERROR)
    w->failure = result;
}

static void
put_text (Writer        *w,
          lxw_worksheet *sheet,
          lxw_row_t      row,
          lxw_col_t      col,
          const char    *text,
          lxw_format    *format)
{
  check (w, worksheet_write_string (sheet, row, col, text ? text : "", format));
}

static void
put_number (Writer        *w,
            lxw_worksheet *sheet,
            lxw_row_t      row,
            lxw_col_t      col,
            double         value,
            lxw_format    *format)
{
  check (w, worksheet_write_number (sheet, row, col, value, format));
}

/* A count, or the mark when it is hidden: a string, so that no hidden
 * value sits in the file under a format that merely looks like "*". */
static void
put_count (Writer        *w,
           lxw_worksheet *sheet,
           lxw_row_t      row,
           lxw_col_t      col,
           gint64         count,
           gboolean       hidden,
           gboolean       total)
{
  if (hidden)
    put_text (w, sheet, row, col, CB_SUPPRESSION_MARK, total ? w->f.total_hidden : w->f.hidden);
  else
    put_number (w, sheet, row, col, (double) count, total ? w->f.total_count : w->f.count);
}

/* A proportion under a percentage format; the mark when either count is
 * hidden; a dash when there is nothing to divide by. */
static void
put_percentage (Writer        *w,
                lxw_worksheet *sheet,
                lxw_row_t      row,
                lxw_col_t      col,
                gint64         numerator,
                gint64         denominator,
                gboolean       hidden,
                lxw_format    *format)
{
  if (hidden)
    put_text (w, sheet, row, col, CB_SUPPRESSION_MARK, w->f.hidden);
  else if (denominator <= 0)
    put_text (w, sheet, row, col, "—", w->f.hidden);
  else
    put_number (w, sheet, row, col, (double) numerator / (double) denominator, format);
}

/* The stored form YYYY-MM-DD, checked. */
static gboolean
parse_iso_date (const char   *text,
                lxw_datetime *date)
{
  static const guint digits[] = { 0, 1, 2, 3, 5, 6, 8, 9 };

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (digits); i++)
    if (!g_ascii_isdigit (text[digits[i]]))
      return FALSE;

  memset (date, 0, sizeof *date);
  date->year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  date->month = (text[5] - '0') * 10 + (text[6] - '0');
  date->day = (text[8] - '0') * 10 + (text[9] - '0');

  return g_date_valid_dmy (date->day, date->month, date->year);
}

/* A real Excel date; the text itself if it is not a date after all. */
static void
put_date (Writer        *w,
          lxw_worksheet *sheet,
          lxw_row_t      row,
          lxw_col_t      col,
          const char    *iso)
{
  lxw_datetime date;

  if (parse_iso_date (iso, &date))
    check (w, worksheet_write_datetime (sheet, row, col, &date, w->f.date));
  else
    put_text (w, sheet, row, col, iso, NULL);
}

static void
put_datetime (Writer        *w,
              lxw_worksheet *sheet,
              lxw_row_t      row,
              lxw_col_t      col,
              GDateTime     *time)
{
  lxw_datetime value = {
    g_date_time_get_year (time), g_date_time_get_month (time),
    g_date_time_get_day_of_month (time), g_date_time_get_hour (time),
    g_date_time_get_minute (time), g_date_time_get_second (time),
  };

  check (w, worksheet_write_datetime (sheet, row, col, &value, w->f.datetime));
}

/* Sheets */

/* Excel refuses some characters in sheet names and more than 31 of them;
 * a translation might hold either. */
static char *
sheet_name (const char *name)
{
  g_autofree char *cut = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), SHEET_NAME_MAX));

  for (char *p = cut; *p; p++)
    if (strchr ("[]:*?/\\", *p) != NULL)
      *p = '-';
  if (cut[0] == '\'')
    cut[0] = '-';
  if (cut[0] != '\0' && cut[strlen (cut) - 1] == '\'')
    cut[strlen (cut) - 1] = '-';

  return g_steal_pointer (&cut);
}

static lxw_worksheet *
add_sheet (Writer     *w,
           const char *name)
{
  g_autofree char *safe = sheet_name (name);
  lxw_worksheet *sheet = workbook_add_worksheet (w->workbook, safe);

  /* Two translated names that came out the same: let libxlsxwriter
   * number the second rather than lose it. */
  if (sheet == NULL)
    sheet = workbook_add_worksheet (w->workbook, NULL);
  if (sheet == NULL)
    g_error ("libxlsxwriter could not add the sheet “%s”", safe);

  return sheet;
}

static void
set_widths (Writer        *w,
            lxw_worksheet *sheet,
            const double  *widths,
            guint          n_widths)
{
  for (guint i = 0; i < n_widths; i++)
    check (w, worksheet_set_column (sheet, i, i, widths[i], NULL));
}

/* A label in column A and its value in column B. */
static void
put_key_text (Writer        *w,
              lxw_worksheet *sheet,
              lxw_row_t      row,
              const char    *key,
              const char    *value)
{
  put_text (w, sheet, row, 0, key, w->f.key);
  put_text (w, sheet, row, 1, value, w->f.text);
}

static void
put_key_date (Writer        *w,
              lxw_worksheet *sheet,
              lxw_row_t      row,
              const char    *key,
              const char    *iso)
{
  put_text (w, sheet, row, 0, key, w->f.key);
  put_date (w, sheet, row, 1, iso);
}

static guint
threshold (Writer *w)
{
  return w->options->threshold;
}

/* What suppression did, in one line for the Summary. */
static char *
describe_rule (Writer *w)
{
  return g_strdup_printf (_("Counts from 1 to %u are shown as *; so are percentages with a hidden count (threshold %u)"),
                          threshold (w) - 1, threshold (w));
}

static void
report_progress (Writer *w,
                 double  fraction)
{
  if (w->progress != NULL)
    w->progress (CLAMP (fraction, 0.0, 1.0), w->progress_data);
}

/* Summary */

static char *
describe_areas (Writer *w)
{
  CbCaseQuery *query = w->options->query;
  const char * const *areas = query ? cb_case_query_get_areas (query) : NULL;

  if (areas == NULL)
    return g_strdup (_("All areas"));

  return g_strjoinv ("; ", (char **) areas);
}

static char *
describe_sentence_types (Writer *w)
{
  CbCaseQuery *query = w->options->query;
  const char * const *codes = query ? cb_case_query_get_sentence_types (query) : NULL;
  const CbField *field = cb_field_get (CB_FIELD_SENTENCE_TYPE);
  g_autoptr(GString) text = NULL;

  if (codes == NULL)
    return g_strdup (_("All sentence types"));

  text = g_string_new (NULL);
  for (guint i = 0; codes[i] != NULL; i++)
    g_string_append_printf (text, "%s%s", i ? "; " : "", cb_field_get_code_label (field, codes[i]));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The filters of the Cases page beyond period, areas and sentence types,
 * when the report was made from its selection; NULL when there are none. */
static char *
describe_other_filters (Writer *w)
{
  CbCaseQuery *query = w->options->query;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *day = NULL;

  if (query == NULL)
    return NULL;

  if (cb_case_query_get_text (query) != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("matching “%s”"), cb_case_query_get_text (query)));

  day = cb_case_query_get_reference_date (query);
  if (cb_case_query_get_status (query) == CB_CASE_STATUS_ACTIVE)
    g_ptr_array_add (parts, g_strdup_printf (_("active on %s"), day));
  else if (cb_case_query_get_status (query) == CB_CASE_STATUS_CLOSED)
    g_ptr_array_add (parts, g_strdup_printf (_("closed before %s"), day));

  for (guint i = 0; i < CB_N_GAPS; i++)
    if (cb_case_query_get_gaps (query) & cb_practice_gaps_get_info (i)->flag)
      g_ptr_array_add (parts, g_strdup_printf (_("gap: %s"), _(cb_practice_gaps_get_info (i)->title)));

  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

static const char *
comparison_text (CbComparison comparison)
{
  switch (comparison)
    {
    case CB_COMPARISON_BETTER:
      return _("Better");
    case CB_COMPARISON_WORSE:
      return _("Worse");
    case CB_COMPARISON_SIMILAR:
      return _("Similar");
    case CB_COMPARISON_NONE:
    default:
      return "";
    }
}

/* The colour says how the local figure compares; the text beside it says
 * the same in words, for anyone who cannot tell the colours apart. */
static void
put_comparison (Writer        *w,
                lxw_worksheet *sheet,
                lxw_row_t      row,
                lxw_col_t      col,
                CbComparison   comparison)
{
  lxw_format *format = comparison == CB_COMPARISON_BETTER ? w->f.better
                       : comparison == CB_COMPARISON_WORSE ? w->f.worse : w->f.text;

  put_text (w, sheet, row, col, comparison_text (comparison), format);
}

static lxw_format *
percent_format (Writer       *w,
                CbComparison  comparison)
{
  if (comparison == CB_COMPARISON_BETTER)
    return w->f.percent_better;
  if (comparison == CB_COMPARISON_WORSE)
    return w->f.percent_worse;
  return w->f.percent;
}

enum {
  SUMMARY_LABEL,
  SUMMARY_N,
  SUMMARY_D,
  SUMMARY_PERCENT,
  SUMMARY_NATIONAL,
  SUMMARY_COMPARED,
  SUMMARY_ID,
};

static void
write_summary_indicator (Writer            *w,
                         lxw_worksheet     *sheet,
                         lxw_row_t          row,
                         const CbIndicator *indicator)
{
  gboolean n_hidden = cb_suppression_count_is_hidden (indicator->numerator, threshold (w));
  gboolean d_hidden = cb_suppression_count_is_hidden (indicator->denominator, threshold (w));
  gboolean p_hidden = cb_suppression_percentage_is_hidden (indicator->numerator,
                                                           indicator->denominator,
                                                           threshold (w));
  /* How a hidden percentage compares would narrow it down. */
  CbComparison comparison = p_hidden ? CB_COMPARISON_NONE
                                     : cb_indicator_compare_national (indicator);

  put_text (w, sheet, row, SUMMARY_LABEL, indicator->label, w->f.text);
  put_count (w, sheet, row, SUMMARY_N, indicator->numerator, n_hidden, FALSE);
  /* The caseload is the count itself, not a share of anything. */
  if (indicator->kind != CB_INDICATOR_CASELOAD)
    {
      put_count (w, sheet, row, SUMMARY_D, indicator->denominator, d_hidden, FALSE);
      put_percentage (w, sheet, row, SUMMARY_PERCENT, indicator->numerator,
                      indicator->denominator, p_hidden, percent_format (w, comparison));
    }
  put_text (w, sheet, row, SUMMARY_NATIONAL, indicator->national_text, w->f.text);
  put_comparison (w, sheet, row, SUMMARY_COMPARED, comparison);
  put_text (w, sheet, row, SUMMARY_ID, indicator->id, w->f.code);
}

static lxw_row_t
write_summary_heading (Writer        *w,
                       lxw_worksheet *sheet)
{
  g_autofree char *areas = describe_areas (w);
  g_autofree char *types = describe_sentence_types (w);
  g_autofree char *filters = describe_other_filters (w);
  g_autofree char *rule = describe_rule (w);
  lxw_row_t row = 0;

  put_text (w, sheet, row, 0, cb_report_options_get_title (w->options), w->f.title);
  row += 2;
  put_key_date (w, sheet, row++, _("Period from"), cb_indicators_get_from (w->indicators));
  put_key_date (w, sheet, row++, _("Period to"), cb_indicators_get_to (w->indicators));
  put_key_text (w, sheet, row++, _("Areas"), areas);
  put_key_text (w, sheet, row++, _("Sentence types"), types);
  if (filters != NULL)
    put_key_text (w, sheet, row++, _("Selection"), filters);
  put_text (w, sheet, row, 0, _("Generated"), w->f.key);
  put_datetime (w, sheet, row++, 1, w->now);
  put_key_text (w, sheet, row++, _("Disclosure control"), rule);

  return row + 1;
}

static void
write_summary (Writer *w)
{
  static const double widths[] = { 40, 12, 12, 10, 44, 14, 24 };
  const char *headers[] = {
    [SUMMARY_LABEL] = _("Indicator"),
    [SUMMARY_N] = _("Local n"),
    [SUMMARY_D] = _("N"),
    [SUMMARY_PERCENT] = _("Local %"),
    [SUMMARY_NATIONAL] = _("National figure"),
    [SUMMARY_COMPARED] = _("Compared with national"),
    [SUMMARY_ID] = _("Id"),
  };
  lxw_worksheet *sheet = add_sheet (w, _("Summary"));
  lxw_row_t row;

  set_widths (w, sheet, widths, G_N_ELEMENTS (widths));
  row = write_summary_heading (w, sheet);

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    put_text (w, sheet, row, i, headers[i], w->f.header);
  row++;

  for (guint i = 0; i < cb_indicators_get_n (w->indicators); i++)
    write_summary_indicator (w, sheet, row++, cb_indicators_get (w->indicators, i));

  put_text (w, sheet, row + 1, 0,
            _("Green: better than the national figure; amber: worse; within two percentage points: similar. "
              "The national figures are the inspection's (2019/20 to 2021)."),
            w->f.note);
}

/* Care cascade */

static gint64
step_count (const CbIndicator *step)
{
  return step->kind == CB_INDICATOR_CASELOAD ? step->denominator : step->numerator;
}

static void
write_cascade_step (Writer            *w,
                    lxw_worksheet     *sheet,
                    lxw_row_t          row,
                    const CbIndicator *step)
{
  gint64 count = step_count (step);

  put_text (w, sheet, row, 0, step->label, w->f.text);
  put_count (w, sheet, row, 1, count, cb_suppression_count_is_hidden (count, threshold (w)), FALSE);
  if (step->kind == CB_INDICATOR_CASELOAD)
    return;

  put_count (w, sheet, row, 2, step->denominator,
             cb_suppression_count_is_hidden (step->denominator, threshold (w)), FALSE);
  put_percentage (w, sheet, row, 3, step->numerator, step->denominator,
                  cb_suppression_percentage_is_hidden (step->numerator, step->denominator,
                                                       threshold (w)),
                  w->f.percent);
}

/* A native bar chart of the counts column. A hidden count is the text
 * "*" in that column, which Excel draws as no bar: the chart holds
 * references only, never a value of its own. */
static void
add_cascade_chart (Writer        *w,
                   lxw_worksheet *sheet,
                   const char    *sheet_title,
                   lxw_row_t      header_row,
                   lxw_row_t      first,
                   lxw_row_t      last)
{
  lxw_chart *chart = workbook_add_chart (w->workbook, LXW_CHART_BAR);
  lxw_chart_series *series = chart_add_series (chart, NULL, NULL);

  chart_series_set_categories (series, sheet_title, first, 0, last, 0);
  /* In constant_memory mode libxlsxwriter cannot look at the cells and
   * takes the categories for numbers; they are the steps' names. */
  series->categories->has_string_cache = LXW_TRUE;
  chart_series_set_values (series, sheet_title, first, 1, last, 1);
  chart_series_set_name_range (series, sheet_title, header_row, 1);
  chart_title_set_name (chart, _("Care cascade"));
  chart_legend_set_position (chart, LXW_CHART_LEGEND_NONE);
  /* In libxlsxwriter's bar charts the y axis is the vertical one, which
   * holds the categories: reversed, the bars read top-down in the order
   * of the table. */
  chart_axis_set_reverse (chart->y_axis);
  chart_axis_set_min (chart->x_axis, 0);

  check (w, worksheet_insert_chart (sheet, header_row, 5, chart));
}

static void
write_cascade (Writer *w)
{
  static const double widths[] = { 30, 12, 12, 10 };
  g_autofree char *title = sheet_name (_("Care cascade"));
  g_autoptr(GPtrArray) steps = cb_indicators_get_cascade (w->indicators);
  lxw_worksheet *sheet = add_sheet (w, title);
  lxw_row_t header_row = 3;
  lxw_row_t row;

  set_widths (w, sheet, widths, G_N_ELEMENTS (widths));
  put_text (w, sheet, 0, 0, _("Care cascade"), w->f.title);
  put_text (w, sheet, 1, 0,
            _("From the caseload to treatment. Each step is a share of its own denominator: Class A users, "
              "tested and referred of those with drug misuse identified; started treatment of those referred."),
            w->f.note);

  put_text (w, sheet, header_row, 0, _("Step"), w->f.header);
  put_text (w, sheet, header_row, 1, _("Cases"), w->f.header);
  put_text (w, sheet, header_row, 2, _("Out of"), w->f.header);
  put_text (w, sheet, header_row, 3, _("%"), w->f.header);

  row = header_row + 1;
  for (guint i = 0; i < steps->len; i++)
    write_cascade_step (w, sheet, row++, g_ptr_array_index (steps, i));

  put_text (w, sheet, row + 1, 0,
            _("A count shown as * is too small to publish and has no bar in the chart."),
            w->f.note);

  add_cascade_chart (w, sheet, title, header_row, header_row + 1, row - 1);
}

/* Breakdowns */

static gint64
column_count (const CbBreakdownRow *row,
              guint                 column)
{
  const CountColumn *c = &count_columns[column];
  const CbIndicator *value = &row->values[c->kind];

  return c->denominator ? value->denominator : value->numerator;
}

static const char *
column_label (CbIndicators *indicators,
              guint         column)
{
  const CountColumn *c = &count_columns[column];

  if (c->label != NULL)
    return _(c->label);
  if (c->kind == CB_INDICATOR_CASELOAD)
    return _("Caseload");

  return cb_indicators_get (indicators, c->kind)->label;
}

/* One table per column, each with its column total: the rows of a
 * breakdown partition the cases, so each column adds up to its total, but
 * the counts of a row (caseload, drug misuse, Class A…) are nested, not
 * parts of a whole, and have no meaningful row total to protect. A table
 * of one column gives exactly the column's protection: no hidden count is
 * left alone in its column with the total shown. */
typedef struct
{
  CbSuppressionTable *columns[N_COUNT_COLUMNS];
  guint               n_rows;
} Suppressed;

static void
suppressed_clear (Suppressed *s)
{
  for (guint c = 0; c < N_COUNT_COLUMNS; c++)
    g_clear_pointer (&s->columns[c], cb_suppression_table_unref);
}

static void
suppress_breakdown (Suppressed *s,
                    GPtrArray  *rows,
                    guint       threshold_value)
{
  s->n_rows = rows->len;
  if (rows->len == 0)
    return;

  for (guint c = 0; c < N_COUNT_COLUMNS; c++)
    {
      s->columns[c] = cb_suppression_table_new (rows->len, 1);
      for (guint r = 0; r < rows->len; r++)
        cb_suppression_table_set (s->columns[c], r, 0, column_count (g_ptr_array_index (rows, r), c));
      cb_suppression_table_apply (s->columns[c], threshold_value);
    }
}

/* r == n_rows is the Total row. */
static gint64
suppressed_get (Suppressed *s,
                guint       r,
                guint       c,
                gboolean   *hidden)
{
  CbSuppressionTable *t = s->columns[c];

  if (t == NULL)
    {
      *hidden = FALSE;
      return 0;
    }
  if (r == s->n_rows)
    {
      *hidden = cb_suppression_table_is_col_total_suppressed (t, 0);
      return cb_suppression_table_get_col_total (t, 0);
    }

  *hidden = cb_suppression_table_is_suppressed (t, r, 0);
  return cb_suppression_table_get (t, r, 0);
}

static void
write_breakdown_counts (Writer        *w,
                        lxw_worksheet *sheet,
                        lxw_row_t      row,
                        Suppressed    *s,
                        guint          r)
{
  gboolean total = r == s->n_rows;

  for (guint c = 0; c < N_COUNT_COLUMNS; c++)
    {
      gboolean hidden;
      gint64 count = suppressed_get (s, r, c, &hidden);

      put_count (w, sheet, row, 1 + c, count, hidden, total);
    }

  /* From the counts as shown: a percentage of a hidden count is hidden. */
  for (guint p = 0; p < G_N_ELEMENTS (percentage_columns); p++)
    {
      gboolean n_hidden, d_hidden;
      gint64 n = suppressed_get (s, r, percentage_columns[p].numerator, &n_hidden);
      gint64 d = suppressed_get (s, r, percentage_columns[p].denominator, &d_hidden);

      put_percentage (w, sheet, row, 1 + N_COUNT_COLUMNS + p, n, d, n_hidden || d_hidden,
                      total ? w->f.total_percent : w->f.percent);
    }
}

static void
write_breakdown_header (Writer          *w,
                        lxw_worksheet   *sheet,
                        lxw_row_t        row,
                        CbBreakdownKind  kind)
{
  put_text (w, sheet, row, 0, cb_breakdown_kind_get_label (kind), w->f.header);
  for (guint c = 0; c < N_COUNT_COLUMNS; c++)
    put_text (w, sheet, row, 1 + c, column_label (w->indicators, c), w->f.header);
  for (guint p = 0; p < G_N_ELEMENTS (percentage_columns); p++)
    {
      const CbIndicator *indicator = cb_indicators_get (w->indicators, percentage_columns[p].kind);
      g_autofree char *label = g_strdup_printf (_("%s (%%)"), indicator->label);

      put_text (w, sheet, row, 1 + N_COUNT_COLUMNS + p, label, w->f.header);
    }
}

static void
write_breakdown (Writer          *w,
                 CbBreakdownKind  kind)
{
  GPtrArray *rows = cb_indicators_get_breakdown (w->indicators, kind);
  lxw_worksheet *sheet = add_sheet (w, _(breakdown_sheets[kind]));
  Suppressed s = { { NULL }, 0 };
  g_autofree char *note = g_strdup_printf (_("Counts from 1 to %u are shown as *. Where a hidden count could be worked out "
                                             "from its column's total, the next smallest count of that column is hidden too. "
                                             "A percentage is shown only when both of its counts are."),
                                           threshold (w) - 1);
  lxw_row_t header_row = 3;
  lxw_row_t row;

  suppress_breakdown (&s, rows, threshold (w));

  check (w, worksheet_set_column (sheet, 0, 0, 30, NULL));
  check (w, worksheet_set_column (sheet, 1, N_COUNT_COLUMNS + G_N_ELEMENTS (percentage_columns), 13, NULL));
  put_text (w, sheet, 0, 0, cb_breakdown_kind_get_label (kind), w->f.title);
  put_text (w, sheet, 1, 0, note, w->f.note);
  write_breakdown_header (w, sheet, header_row, kind);
  worksheet_freeze_panes (sheet, header_row + 1, 1);

  row = header_row + 1;
  for (guint r = 0; r < rows->len; r++)
    {
      const CbBreakdownRow *breakdown_row = g_ptr_array_index (rows, r);

      put_text (w, sheet, row, 0, breakdown_row->label, w->f.text);
      write_breakdown_counts (w, sheet, row++, &s, r);
    }

  put_text (w, sheet, row, 0, _("Total"), w->f.total_key);
  write_breakdown_counts (w, sheet, row, &s, rows->len);

  suppressed_clear (&s);
}

/* Practice gaps */

/* One pass over the report's cases: per gap, how many fail it. */
static gboolean
count_gaps (Writer   *w,
            gint64    counts[CB_N_GAPS],
            GError  **error)
{
  g_autoptr(GString) columns = g_string_new (NULL);
  sqlite3 *db = _cb_case_store_get_db (w->store);
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < CB_N_GAPS; i++)
    g_string_append_printf (columns, "%scoalesce(sum((gaps & %d) != 0), 0)",
                            i ? ", " : "", (int) cb_practice_gaps_get_info (i)->flag);

  if (!(stmt = _cb_case_query_prepare (w->selection, db, columns->str, FALSE, error)))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < CB_N_GAPS; i++)
      counts[i] = sqlite3_column_int64 (stmt, i);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW || _cb_sql_set_error (db, rc, error);
}

static const char *
card_title (Writer          *w,
            const CbGapInfo *gap)
{
  CbGuidanceCard *card = NULL;

  if (w->options->guidance != NULL)
    card = cb_guidance_library_find (w->options->guidance, gap->card_id);

  return card ? cb_guidance_card_get_title (card) : gap->card_id;
}

static gboolean
write_gaps (Writer  *w,
            GError **error)
{
  static const double widths[] = { 32, 56, 10, 12, 44 };
  gint64 caseload = cb_indicators_get_caseload (w->indicators);
  gint64 counts[CB_N_GAPS] = { 0 };
  lxw_worksheet *sheet;
  lxw_row_t row = 3;

  if (!count_gaps (w, counts, error))
    return FALSE;

  sheet = add_sheet (w, _("Practice gaps"));
  set_widths (w, sheet, widths, G_N_ELEMENTS (widths));
  put_text (w, sheet, 0, 0, _("Practice gaps"), w->f.title);
  put_text (w, sheet, 1, 0,
            _("Cases in the report that fail each check; a case can fail several. "
              "Each gap links to the guidance card that addresses it."),
            w->f.note);

  put_text (w, sheet, row, 0, _("Practice gap"), w->f.header);
  put_text (w, sheet, row, 1, _("What the check looks at"), w->f.header);
  put_text (w, sheet, row, 2, _("Cases"), w->f.header);
  put_text (w, sheet, row, 3, _("% of caseload"), w->f.header);
  put_text (w, sheet, row, 4, _("Guidance card"), w->f.header);

  for (guint i = 0; i < CB_N_GAPS; i++)
    {
      const CbGapInfo *gap = cb_practice_gaps_get_info (i);

      row++;
      put_text (w, sheet, row, 0, _(gap->title), w->f.text);
      put_text (w, sheet, row, 1, _(gap->detail), w->f.text);
      put_count (w, sheet, row, 2, counts[i], cb_suppression_count_is_hidden (counts[i], threshold (w)), FALSE);
      put_percentage (w, sheet, row, 3, counts[i], caseload,
                      cb_suppression_percentage_is_hidden (counts[i], caseload, threshold (w)),
                      w->f.percent);
      put_text (w, sheet, row, 4, card_title (w, gap), w->f.text);
    }

  return TRUE;
}

/* Cases */

typedef struct
{
  const CbField *fields[CB_N_FIELDS];
  guint          n_fields;
} CaseColumns;

static void
case_columns_init (CaseColumns *columns,
                   gboolean     notes)
{
  columns->n_fields = 0;
  for (guint i = 0; i < CB_N_FIELDS; i++)
    if (i != CB_FIELD_NOTES || notes)
      columns->fields[columns->n_fields++] = cb_field_get (i);
}

static char *
case_columns_sql (const CaseColumns *columns)
{
  GString *sql = g_string_new (NULL);

  for (guint i = 0; i < columns->n_fields; i++)
    g_string_append_printf (sql, "%s%s", i ? ", " : "", columns->fields[i]->name);

  return g_string_free (sql, FALSE);
}

static double
case_column_width (const CbField *field)
{
  switch (field->type)
    {
    case CB_FIELD_TYPE_DATE:
      return 11;
    case CB_FIELD_TYPE_YES_NO:
    case CB_FIELD_TYPE_INTEGER:
      return 9;
    case CB_FIELD_TYPE_TEXT:
      return field->id == CB_FIELD_NOTES ? 60 : 16;
    case CB_FIELD_TYPE_CODE:
    case CB_FIELD_TYPE_CODES:
    default:
      return 18;
    }
}

/* Codes as the dictionary writes them, "heroin;crack", in code-list
 * order, into a buffer reused for every row. */
static const char *
mask_text (const CbField *field,
           guint64        mask,
           GString       *buffer)
{
  g_string_truncate (buffer, 0);
  for (guint i = 0; i < field->n_codes; i++)
    if (mask & (G_GUINT64_CONSTANT (1) << i))
      g_string_append_printf (buffer, "%s%s", buffer->len ? ";" : "", field->codes[i].code);

  return buffer->str;
}

/* One stored value: text as text, dates as dates, years as numbers. */
static void
put_case_value (Writer        *w,
                lxw_worksheet *sheet,
                lxw_row_t      row,
                lxw_col_t      col,
                const CbField *field,
                sqlite3_stmt  *stmt,
                GString       *buffer)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return;

  switch (field->type)
    {
    case CB_FIELD_TYPE_DATE:
      put_date (w, sheet, row, col, (const char *) sqlite3_column_text (stmt, col));
      break;
    case CB_FIELD_TYPE_YES_NO:
      put_text (w, sheet, row, col, sqlite3_column_int (stmt, col) ? "yes" : "no", NULL);
      break;
    case CB_FIELD_TYPE_INTEGER:
      put_number (w, sheet, row, col, (double) sqlite3_column_int64 (stmt, col), w->f.year);
      break;
    case CB_FIELD_TYPE_CODES:
      put_text (w, sheet, row, col, mask_text (field, sqlite3_column_int64 (stmt, col), buffer), NULL);
      break;
    case CB_FIELD_TYPE_TEXT:
    case CB_FIELD_TYPE_CODE:
    default:
      put_text (w, sheet, row, col, (const char *) sqlite3_column_text (stmt, col), NULL);
      break;
    }
}

static void
write_cases_header (Writer            *w,
                    lxw_worksheet     *sheet,
                    const CaseColumns *columns)
{
  for (guint i = 0; i < columns->n_fields; i++)
    {
      check (w, worksheet_set_column (sheet, i, i, case_column_width (columns->fields[i]), NULL));
      /* The dictionary's column names, so the sheet saved as CSV imports
       * back as it is. */
      put_text (w, sheet, 0, i, columns->fields[i]->name, w->f.header);
    }
  worksheet_freeze_panes (sheet, 1, 1);
}

static gboolean
write_case_rows (Writer            *w,
                 lxw_worksheet     *sheet,
                 const CaseColumns *columns,
                 sqlite3_stmt      *stmt,
                 lxw_row_t         *last_row,
                 GError           **error)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  double expected = MAX (1, cb_indicators_get_caseload (w->indicators));
  lxw_row_t row = 0;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (row == LXW_ROW_MAX - 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The case list has more rows than a spreadsheet can hold; export it as CSV or narrow the selection"));
          return FALSE;
        }

      row++;
      for (guint i = 0; i < columns->n_fields; i++)
        put_case_value (w, sheet, row, i, columns->fields[i], stmt, buffer);

      if (row % CASE_ROWS_PER_CHECK == 0)
        {
          if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
            return FALSE;
          report_progress (w, PROGRESS_TABLES + (PROGRESS_ROWS_DONE - PROGRESS_TABLES) * row / expected);
        }
    }

  *last_row = row;
  if (rc != SQLITE_DONE)
    return _cb_sql_set_error (_cb_case_store_get_db (w->store), rc, error);

  return TRUE;
}

static gboolean
write_cases (Writer  *w,
             GError **error)
{
  CaseColumns columns;
  g_autofree char *sql_columns = NULL;
  lxw_worksheet *sheet;
  sqlite3_stmt *stmt;
  lxw_row_t last_row = 0;
  gboolean ok;

  case_columns_init (&columns, w->options->include_notes);
  sql_columns = case_columns_sql (&columns);
  stmt = _cb_case_query_prepare (w->selection, _cb_case_store_get_db (w->store),
                                 sql_columns, TRUE, error);
  if (stmt == NULL)
    return FALSE;

  sheet = add_sheet (w, _("Cases"));
  write_cases_header (w, sheet, &columns);
  ok = write_case_rows (w, sheet, &columns, stmt, &last_row, error);
  sqlite3_finalize (stmt);

  if (ok)
    check (w, worksheet_autofilter (sheet, 0, 0, last_row, columns.n_fields - 1));

  return ok;
}

/* About */

static lxw_row_t
write_about_indicators (Writer        *w,
                        lxw_worksheet *sheet,
                        lxw_row_t      row)
{
  put_text (w, sheet, row++, 0, _("Indicators"), w->f.heading);
  put_text (w, sheet, row, 0, _("Indicator"), w->f.header);
  put_text (w, sheet, row, 1, _("Id"), w->f.header);
  put_text (w, sheet, row, 2, _("Definition"), w->f.header);
  put_text (w, sheet, row, 3, _("National figure"), w->f.header);
  row++;

  for (guint i = 0; i < cb_indicators_get_n (w->indicators); i++)
    {
      const CbIndicator *indicator = cb_indicators_get (w->indicators, i);

      put_text (w, sheet, row, 0, indicator->label, w->f.text);
      put_text (w, sheet, row, 1, indicator->id, w->f.code);
      put_text (w, sheet, row, 2, indicator->description, w->f.text);
      put_text (w, sheet, row, 3, indicator->national_text, w->f.text);
      row++;
    }

  return row + 1;
}

static lxw_row_t
write_about_rule (Writer        *w,
                  lxw_worksheet *sheet,
                  lxw_row_t      row)
{
  g_autofree char *primary =
    g_strdup_printf (_("A count from 1 to %u is shown as *; a count of 0 is shown."), threshold (w) - 1);
  g_autofree char *number = g_strdup_printf ("%u", threshold (w));

  put_text (w, sheet, row++, 0, _("Disclosure control"), w->f.heading);
  put_key_text (w, sheet, row++, _("Threshold"), number);
  put_key_text (w, sheet, row++, _("Primary suppression"), primary);
  put_key_text (w, sheet, row++, _("Secondary suppression"),
                _("In a breakdown table, where a hidden count could be worked out from its column's total, "
                  "the next smallest count of that column (or the total) is hidden as well."));
  put_key_text (w, sheet, row++, _("Percentages"),
                _("A percentage is shown as * when its numerator or its denominator is hidden."));
  put_key_text (w, sheet, row++, _("Case list"),
                !w->options->include_cases ? _("Not included.")
                : w->options->include_notes ? _("Included, one row per case, not suppressed; with notes, as asked.")
                : _("Included, one row per case, not suppressed; without notes."));

  return row + 1;
}

static void
write_about (Writer *w)
{
  static const double widths[] = { 30, 22, 90, 40 };
  lxw_worksheet *sheet = add_sheet (w, _("About"));
  g_autofree char *database = g_path_get_basename (cb_case_store_get_path (w->store));
  g_autofree char *application = g_strdup_printf ("Casebook %s", PACKAGE_VERSION);
  lxw_row_t row = 2;

  set_widths (w, sheet, widths, G_N_ELEMENTS (widths));
  put_text (w, sheet, 0, 0, _("About this report"), w->f.title);

  row = write_about_indicators (w, sheet, row);
  row = write_about_rule (w, sheet, row);

  put_text (w, sheet, row++, 0, _("Source"), w->f.heading);
  put_key_text (w, sheet, row++, _("Database"), database);
  put_key_text (w, sheet, row++, _("Application"), application);
  put_text (w, sheet, row, 0, _("Generated"), w->f.key);
  put_datetime (w, sheet, row++, 1, w->now);
  put_key_text (w, sheet, row++, _("Definitions"),
                _("The data dictionary of Casebook; the national figures are from HM Inspectorate of Probation's "
                  "thematic inspection of drug work (2019/20 to 2021)."));
}

/* The workbook */

static lxw_format *
new_format (lxw_workbook *workbook)
{
  lxw_format *format = workbook_add_format (workbook);

  format_set_align (format, LXW_ALIGN_VERTICAL_TOP);
  return format;
}

static lxw_format *
new_number_format (lxw_workbook *workbook,
                   const char   *number_format,
                   gboolean      bold)
{
  lxw_format *format = new_format (workbook);

  format_set_num_format (format, number_format);
  if (bold)
    {
      format_set_bold (format);
      format_set_top (format, LXW_BORDER_THIN);
    }
  return format;
}

static lxw_format *
new_coloured (lxw_workbook *workbook,
              const char   *number_format,
              lxw_color_t   fill,
              lxw_color_t   font)
{
  lxw_format *format = new_format (workbook);

  if (number_format != NULL)
    format_set_num_format (format, number_format);
  format_set_bg_color (format, fill);
  format_set_font_color (format, font);
  return format;
}

/* Green for better and amber for worse, in the shades spreadsheet users
 * know from conditional formatting. */
#define FILL_GOOD 0xC6EFCE
#define FONT_GOOD 0x006100
#define FILL_BAD  0xFFEB9C
#define FONT_BAD  0x9C5700

static void
create_formats (Writer *w)
{
  lxw_workbook *wb = w->workbook;
  Formats *f = &w->f;

  f->title = new_format (wb);
  format_set_bold (f->title);
  format_set_font_size (f->title, 14);
  f->heading = new_format (wb);
  format_set_bold (f->heading);
  format_set_font_size (f->heading, 12);
  f->header = new_format (wb);
  format_set_bold (f->header);
  format_set_text_wrap (f->header);
  format_set_bottom (f->header, LXW_BORDER_THIN);
  f->key = new_format (wb);
  format_set_bold (f->key);
  f->text = new_format (wb);
  format_set_text_wrap (f->text);
  f->note = new_format (wb);
  format_set_italic (f->note);
  format_set_font_color (f->note, 0x595959);
  f->code = new_format (wb);
  format_set_font_color (f->code, 0x595959);
  f->count = new_number_format (wb, "#,##0", FALSE);
  f->hidden = new_format (wb);
  format_set_align (f->hidden, LXW_ALIGN_RIGHT);
  f->percent = new_number_format (wb, "0.0%", FALSE);
  f->percent_better = new_coloured (wb, "0.0%", FILL_GOOD, FONT_GOOD);
  f->percent_worse = new_coloured (wb, "0.0%", FILL_BAD, FONT_BAD);
  f->better = new_coloured (wb, NULL, FILL_GOOD, FONT_GOOD);
  f->worse = new_coloured (wb, NULL, FILL_BAD, FONT_BAD);
  f->total_key = new_format (wb);
  format_set_bold (f->total_key);
  format_set_top (f->total_key, LXW_BORDER_THIN);
  f->total_count = new_number_format (wb, "#,##0", TRUE);
  f->total_hidden = new_format (wb);
  format_set_bold (f->total_hidden);
  format_set_top (f->total_hidden, LXW_BORDER_THIN);
  format_set_align (f->total_hidden, LXW_ALIGN_RIGHT);
  f->total_percent = new_number_format (wb, "0.0%", TRUE);
  f->date = workbook_add_format (wb);
  format_set_num_format (f->date, "yyyy-mm-dd");
  f->datetime = new_number_format (wb, "yyyy-mm-dd hh:mm", FALSE);
  format_set_align (f->datetime, LXW_ALIGN_LEFT);
  f->year = workbook_add_format (wb);
  format_set_num_format (f->year, "0");
}

static void
set_properties (Writer *w)
{
  g_autofree char *title = g_strdup (cb_report_options_get_title (w->options));
  g_autofree char *subject = g_strdup_printf (_("Drug work on probation: indicators for the cases active from %s to %s"),
                                              cb_indicators_get_from (w->indicators),
                                              cb_indicators_get_to (w->indicators));
  g_autofree char *author = g_strdup ("Casebook");
  g_autofree char *keywords = g_strdup (_("probation; drugs; commissioning"));
  lxw_doc_properties properties = {
    .title = title,
    .subject = subject,
    .author = author,
    .keywords = keywords,
    .created = (time_t) g_date_time_to_unix (w->now),
  };

  check (w, workbook_set_properties (w->workbook, &properties));
}

static gboolean
write_sheets (Writer  *w,
              GError **error)
{
  create_formats (w);
  set_properties (w);

  write_summary (w);
  write_cascade (w);
  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    write_breakdown (w, kind);
  if (!write_gaps (w, error))
    return FALSE;
  report_progress (w, PROGRESS_TABLES);

  if (w->options->include_cases && !write_cases (w, error))
    return FALSE;

  write_about (w);

  if (w->failure != LXW_NO_ERROR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The workbook could not be written: %s"), lxw_strerror (w->failure));
      return FALSE;
    }

  return !g_cancellable_set_error_if_cancelled (w->cancellable, error);
}

/* Files */

static gboolean
close_workbook (lxw_workbook  *workbook,
                GError       **error)
{
  lxw_error result;
  int saved;

  errno = 0;
  result = workbook_close (workbook);
  saved = errno;
  if (result == LXW_NO_ERROR)
    return TRUE;

  if (saved != 0 && (result == LXW_ERROR_CREATING_XLSX_FILE ||
                     result == LXW_ERROR_CREATING_TMPFILE ||
                     result == LXW_ERROR_ZIP_FILE_OPERATION))
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("Cannot save the workbook: %s; check that the disk has room and try again"),
                 g_strerror (saved));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("Cannot save the workbook: %s"), lxw_strerror (result));
  return FALSE;
}

/* The report's selection: the options' filters over the period the
 * indicators resolved (today when none was given), so that every sheet
 * counts the same cases. */
static CbCaseQuery *
report_selection (const CbReportOptions *options,
                  CbIndicators          *indicators)
{
  CbCaseQuery *selection = options->query ? cb_case_query_copy (options->query)
                                          : cb_case_query_new ();

  cb_case_query_set_period (selection, cb_indicators_get_from (indicators),
                            cb_indicators_get_to (indicators));
  return selection;
}

/* For a workbook that is not to be written. lxw_workbook_free() leaves
 * the temporary file of each constant_memory sheet open, which would cost
 * the application a handful of descriptors at every Cancel. */
static void
discard_workbook (lxw_workbook *workbook)
{
  lxw_worksheet *sheet;

  STAILQ_FOREACH (sheet, workbook->worksheets, list_pointers)
    if (sheet->optimize_tmpfile != NULL)
      {
        fclose (sheet->optimize_tmpfile);
        sheet->optimize_tmpfile = NULL;
        sheet->file = NULL;
      }

  lxw_workbook_free (workbook);
}

static gboolean
write_workbook (Writer      *w,
                const char  *temp,
                GError     **error)
{
  lxw_workbook_options workbook_options = { .constant_memory = LXW_TRUE };

  w->workbook = workbook_new_opt (temp, &workbook_options);
  if (w->workbook == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot start the workbook; check that the temporary folder is writable"));
      return FALSE;
    }

  if (!write_sheets (w, error))
    {
      discard_workbook (w->workbook);
      return FALSE;
    }

  report_progress (w, PROGRESS_ROWS_DONE);
  return close_workbook (w->workbook, error);
}

static gboolean
write_report (CbCaseStore           *store,
              const CbReportOptions *options,
              const char            *path,
              CbProgressFunc         progress,
              gpointer               progress_data,
              GCancellable          *cancellable,
              GError               **error)
{
  g_autoptr(CbIndicators) indicators = NULL;
  g_autoptr(CbCaseQuery) selection = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(CbTempFile) temp = NULL;
  Writer w = { 0 };

  indicators = cb_indicators_compute (store, options->query, cancellable, error);
  if (indicators == NULL)
    return FALSE;
  selection = report_selection (options, indicators);

  w.options = options;
  w.store = store;
  w.indicators = indicators;
  w.selection = selection;
  w.now = now;
  w.progress = progress;
  w.progress_data = progress_data;
  w.cancellable = cancellable;
  report_progress (&w, PROGRESS_COUNTED);

  /* Owner-only from the start: the workbook may list cases. */
  if (!(temp = cb_temp_file_new_beside (path, CB_TEMP_FILE_MODE_PRIVATE, error)))
    return FALSE;

  /* libxlsxwriter opens the file by name and truncates it, which keeps
   * the mode it was created with; freeing @temp on failure removes it. */
  if (!write_workbook (&w, cb_temp_file_get_path (temp), error) ||
      !cb_temp_file_commit (temp, error))
    return FALSE;

  report_progress (&w, 1.0);
  return TRUE;
}

/* A copy of the thread's locale with C number formatting; everything else
 * (messages above all) stays as the user has it. */
static locale_t
new_c_numeric_locale (void)
{
  locale_t base = duplocale (uselocale ((locale_t) 0));
  locale_t numeric;

  if (base == (locale_t) 0)
    return (locale_t) 0;

  numeric = newlocale (LC_NUMERIC_MASK, "C", base);
  if (numeric == (locale_t) 0)
    freelocale (base);

  return numeric;
}

/**
 * cb_report_writer_write:
 * @store: the cases; a store opened in the calling thread
 * @options: what to put in the workbook
 * @path: the file to write; replaced only once the new one is complete
 * @progress: (nullable) (scope call): told the share done, in this thread
 * @cancellable: (nullable): stops the export, leaving no file behind
 *
 * Writes the commissioning workbook: Summary, Care cascade, one sheet per
 * breakdown, Practice gaps, the case list when asked for, and About. The
 * workbook is written to a temporary file in @path's folder and renamed
 * over @path when complete; on failure or cancellation the temporary file
 * is removed and @path is left as it was.
 *
 * Returns: %TRUE when the workbook was saved
 */
gboolean
cb_report_writer_write (CbCaseStore           *store,
                        const CbReportOptions *options,
                        const char            *path,
                        CbProgressFunc         progress,
                        gpointer               progress_data,
                        GCancellable          *cancellable,
                        GError               **error)
{
  locale_t numeric;
  locale_t previous;
  gboolean ok;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL && path[0] != '\0', FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  numeric = new_c_numeric_locale ();
  if (numeric == (locale_t) 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot prepare the number format of the workbook: %s"), g_strerror (saved));
      return FALSE;
    }

  previous = uselocale (numeric);
  ok = write_report (store, options, path, progress, progress_data, cancellable, error);
  uselocale (previous);
  freelocale (numeric);

  return ok;
}
