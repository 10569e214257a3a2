/* cb-cascade-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The care cascade: how many of the caseload are left at each step on the
 * way into treatment. Every bar is on the same scale, the caseload, so the
 * drop from one step to the next is seen as it is; the words after each
 * bar give the count and the step's own percentage (of its denominator,
 * which is not always the step before: testing and referral are counted
 * among all with drug misuse, not among Class A users).
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-cascade-chart.h"
#include "cb-dashboard-util.h"

struct _CbCascadeChart
{
  CbBarChart  parent_instance;
};

G_DEFINE_FINAL_TYPE (CbCascadeChart, cb_cascade_chart, CB_TYPE_BAR_CHART)

static gint64
step_count (const CbIndicator *step)
{
  return step->kind == CB_INDICATOR_CASELOAD ? step->denominator : step->numerator;
}

static char *
step_value (const CbIndicator *step)
{
  g_autofree char *count = cb_format_count (step_count (step));
  g_autofree char *percentage = NULL;

  if (step->kind == CB_INDICATOR_CASELOAD)
    return g_steal_pointer (&count);

  percentage = cb_format_percentage (cb_indicator_get_percentage (step));
  /* Translators: a count and its percentage, e.g. "85 · 17%" */
  return g_strdup_printf (_("%s · %s"), count, percentage);
}

static void
add_step (CbBarChart        *chart,
          const CbIndicator *step,
          gint64             caseload)
{
  g_autofree char *value = step_value (step);
  g_autofree char *spoken = NULL;
  g_autofree char *full = cb_format_indicator (step);
  double fraction = caseload > 0 ? (double) step_count (step) / (double) caseload : 0.0;

  /* Translators: a step of the chart, e.g. "Tested for drugs: 17% (85 / 500)" */
  spoken = g_strdup_printf (_("%s: %s"), step->label, full);
  cb_bar_chart_add_row (chart, step->label, fraction, value, "accent_bg_color", FALSE, spoken);
}

/**
 * cb_cascade_chart_set_indicators:
 * @indicators: (nullable): the counts, or %NULL to show none
 */
void
cb_cascade_chart_set_indicators (CbCascadeChart *self,
                                 CbIndicators   *indicators)
{
  CbBarChart *chart = CB_BAR_CHART (self);
  g_autoptr(GPtrArray) steps = NULL;
  gint64 caseload;

  g_return_if_fail (CB_IS_CASCADE_CHART (self));
  g_return_if_fail (indicators == NULL || CB_IS_INDICATORS (indicators));

  cb_bar_chart_clear (chart);
  if (indicators == NULL || (caseload = cb_indicators_get_caseload (indicators)) == 0)
    return;

  steps = cb_indicators_get_cascade (indicators);
  for (guint i = 0; i < steps->len; i++)
    add_step (chart, g_ptr_array_index (steps, i), caseload);
}

GtkWidget *
cb_cascade_chart_new (void)
{
  return g_object_new (CB_TYPE_CASCADE_CHART, NULL);
}

static void
cb_cascade_chart_class_init (CbCascadeChartClass *klass)
{
}

static void
cb_cascade_chart_init (CbCascadeChart *self)
{
  cb_bar_chart_set_title (CB_BAR_CHART (self), _("Care cascade"));
  cb_bar_chart_set_empty_text (CB_BAR_CHART (self), _("No cases in this period"));
}
