/* cb-area-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One indicator for each area, with the report's total below and the
 * national figure as a line across: which areas are behind, at a glance.
 * Percentages are drawn on a 0–100% scale and coloured as the tiles are;
 * the caseload, a count, is drawn against the largest area.
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cb-area-chart.h"
#include "cb-dashboard-util.h"

struct _CbAreaChart
{
  CbBarChart       parent_instance;

  CbIndicators    *indicators;
  CbIndicatorKind  kind;
};

G_DEFINE_FINAL_TYPE (CbAreaChart, cb_area_chart, CB_TYPE_BAR_CHART)

static const char *
bar_color (const CbIndicator *value)
{
  switch (cb_indicator_compare_national (value))
    {
    case CB_COMPARISON_BETTER:
      return "success_bg_color";
    case CB_COMPARISON_SIMILAR:
      return "warning_bg_color";
    case CB_COMPARISON_WORSE:
      return "error_bg_color";
    case CB_COMPARISON_NONE:
    default:
      return "accent_bg_color";
    }
}

static void
add_row (CbAreaChart       *self,
         const char        *label,
         const CbIndicator *value,
         gint64             largest,
         gboolean           total)
{
  g_autofree char *text = cb_format_indicator (value);
  g_autofree char *spoken = NULL;
  double fraction;

  if (self->kind == CB_INDICATOR_CASELOAD)
    fraction = largest > 0 ? (double) value->denominator / (double) largest : 0.0;
  else
    fraction = cb_indicator_get_proportion (value);

  /* Translators: a row of a chart, e.g. "Leeds: 17% (85 / 500)" */
  spoken = g_strdup_printf (_("%s: %s"), label, text);
  cb_bar_chart_add_row (CB_BAR_CHART (self), label, fraction, text,
                        bar_color (value), total, spoken);
}

static gint64
largest_caseload (GPtrArray *rows)
{
  gint64 largest = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      CbBreakdownRow *row = g_ptr_array_index (rows, i);

      largest = MAX (largest, row->values[CB_INDICATOR_CASELOAD].denominator);
    }

  return largest;
}

static void
set_national_marker (CbAreaChart       *self,
                     const CbIndicator *total)
{
  g_autofree char *percentage = NULL;
  g_autofree char *label = NULL;

  if (self->kind == CB_INDICATOR_CASELOAD || isnan (total->national_value))
    return;

  percentage = cb_format_percentage (100.0 * total->national_value);
  /* Translators: the label of the national figure's line on a chart */
  label = g_strdup_printf (_("National %s"), percentage);
  cb_bar_chart_set_marker (CB_BAR_CHART (self), total->national_value, label);
}

static void
rebuild (CbAreaChart *self)
{
  CbBarChart *chart = CB_BAR_CHART (self);
  const CbIndicator *total;
  GPtrArray *rows;
  gint64 largest;

  cb_bar_chart_clear (chart);
  if (self->indicators == NULL || cb_indicators_get_caseload (self->indicators) == 0)
    return;

  rows = cb_indicators_get_breakdown (self->indicators, CB_BREAKDOWN_AREA);
  total = cb_indicators_get (self->indicators, self->kind);
  largest = largest_caseload (rows);

  for (guint i = 0; i < rows->len; i++)
    {
      CbBreakdownRow *row = g_ptr_array_index (rows, i);

      add_row (self, row->label, &row->values[self->kind], largest, FALSE);
    }

  /* The total of several areas: on the same scale for percentages, and
   * for counts only when it is the one area (a sum would dwarf them). */
  if (rows->len > 1 && self->kind != CB_INDICATOR_CASELOAD)
    add_row (self, _("Total"), total, largest, TRUE);

  set_national_marker (self, total);
}

/**
 * cb_area_chart_set_indicators:
 * @indicators: (nullable): the counts, or %NULL to show none
 */
void
cb_area_chart_set_indicators (CbAreaChart  *self,
                              CbIndicators *indicators)
{
  g_return_if_fail (CB_IS_AREA_CHART (self));
  g_return_if_fail (indicators == NULL || CB_IS_INDICATORS (indicators));

  g_set_object (&self->indicators, indicators);
  rebuild (self);
}

void
cb_area_chart_set_kind (CbAreaChart     *self,
                        CbIndicatorKind  kind)
{
  g_autofree char *title = NULL;

  g_return_if_fail (CB_IS_AREA_CHART (self));
  g_return_if_fail (kind < CB_N_INDICATORS);

  self->kind = kind;
  /* Translators: the name of a chart, e.g. "Tested for drugs by area" */
  title = g_strdup_printf (_("%s by area"), cb_indicator_kind_get_info (kind)->label);
  cb_bar_chart_set_title (CB_BAR_CHART (self), title);
  rebuild (self);
}

CbIndicatorKind
cb_area_chart_get_kind (CbAreaChart *self)
{
  g_return_val_if_fail (CB_IS_AREA_CHART (self), CB_INDICATOR_CASELOAD);

  return self->kind;
}

GtkWidget *
cb_area_chart_new (void)
{
  return g_object_new (CB_TYPE_AREA_CHART, NULL);
}

static void
cb_area_chart_dispose (GObject *object)
{
  CbAreaChart *self = CB_AREA_CHART (object);

  g_clear_object (&self->indicators);

  G_OBJECT_CLASS (cb_area_chart_parent_class)->dispose (object);
}

static void
cb_area_chart_class_init (CbAreaChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_area_chart_dispose;
}

static void
cb_area_chart_init (CbAreaChart *self)
{
  cb_bar_chart_set_empty_text (CB_BAR_CHART (self), _("No cases in this period"));
  cb_area_chart_set_kind (self, CB_INDICATOR_TESTED);
}
