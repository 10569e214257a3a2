/* cb-dashboard-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard, its charts and the reports page say the same numbers in
 * the same way: counts with the locale's thousands separator, and
 * percentages with one decimal below 10% (where a whole number would
 * round 0.4% to 0%) and none above.
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cb-dashboard-util.h"
#include "cb-field.h"

char *
cb_format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

char *
cb_format_percentage (double percentage)
{
  if (isnan (percentage))
    return g_strdup ("—");

  if (percentage > 0 && percentage < 9.95)
    return g_strdup_printf (_("%.1f%%"), percentage);

  return g_strdup_printf (_("%.0f%%"), percentage);
}

/* "85 / 500": the counts behind a percentage, always shown beside it. */
char *
cb_format_fraction (const CbIndicator *indicator)
{
  g_autofree char *numerator = NULL;
  g_autofree char *denominator = NULL;

  g_return_val_if_fail (indicator != NULL, NULL);

  numerator = cb_format_count (indicator->numerator);
  denominator = cb_format_count (indicator->denominator);

  /* Translators: a count out of a total, e.g. "85 / 500" */
  return g_strdup_printf (_("%s / %s"), numerator, denominator);
}

/* "17% (85 / 500)", or the count alone for the caseload. */
char *
cb_format_indicator (const CbIndicator *indicator)
{
  g_autofree char *percentage = NULL;
  g_autofree char *fraction = NULL;

  g_return_val_if_fail (indicator != NULL, NULL);

  if (indicator->kind == CB_INDICATOR_CASELOAD)
    return cb_format_count (indicator->denominator);

  percentage = cb_format_percentage (cb_indicator_get_percentage (indicator));
  fraction = cb_format_fraction (indicator);

  /* Translators: a percentage and the counts behind it, e.g. "17% (85 / 500)" */
  return g_strdup_printf (_("%s (%s)"), percentage, fraction);
}

/* "1 April 2025" from "2025-04-01"; the text unchanged if not a date. */
char *
cb_format_date (const char *iso)
{
  GDate date;
  char buffer[128];

  g_return_val_if_fail (iso != NULL, NULL);

  if (!cb_date_parse (iso, &date) ||
      g_date_strftime (buffer, sizeof buffer, "%-d %B %Y", &date) == 0)
    return g_strdup (iso);

  return g_strdup (buffer);
}

char *
cb_format_period (const char *from,
                  const char *to)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (from == NULL && to == NULL)
    return g_strdup (_("Today"));

  first = cb_format_date (from ? from : to);
  last = cb_format_date (to ? to : from);
  if (g_str_equal (first, last))
    return g_steal_pointer (&first);

  /* Translators: a period of time, e.g. "1 April 2025 to 31 March 2026" */
  return g_strdup_printf (_("%s to %s"), first, last);
}

/* libadwaita's own classes: they follow the light and dark styles. */
const char *
cb_comparison_get_style_class (CbComparison comparison)
{
  switch (comparison)
    {
    case CB_COMPARISON_BETTER:
      return "success";
    case CB_COMPARISON_SIMILAR:
      return "warning";
    case CB_COMPARISON_WORSE:
      return "error";
    case CB_COMPARISON_NONE:
    default:
      return NULL;
    }
}

/* Words for what the colour says, so colour is never the only sign. */
const char *
cb_comparison_get_text (CbComparison comparison)
{
  switch (comparison)
    {
    case CB_COMPARISON_BETTER:
      return _("Better than national");
    case CB_COMPARISON_SIMILAR:
      return _("Similar to national");
    case CB_COMPARISON_WORSE:
      return _("Worse than national");
    case CB_COMPARISON_NONE:
    default:
      return _("No national figure to compare");
    }
}

/* The tile and badge classes of cb-dashboard.css. */
const char *
cb_comparison_get_name (CbComparison comparison)
{
  switch (comparison)
    {
    case CB_COMPARISON_BETTER:
      return "better";
    case CB_COMPARISON_SIMILAR:
      return "similar";
    case CB_COMPARISON_WORSE:
      return "worse";
    case CB_COMPARISON_NONE:
    default:
      return "none";
    }
}

/* The report views' style sheet, once per process: the application's own
 * style.css is loaded by AdwApplication, this one by the views that use
 * it, so the views stay self-contained. */
void
cb_dashboard_load_css (void)
{
  static GtkCssProvider *provider;
  GdkDisplay *display = gdk_display_get_default ();

  if (provider != NULL || display == NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/ui/cb-dashboard.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* A named colour of the theme (e.g. "accent_bg_color"); the text colour
 * when the theme does not define it. */
void
cb_chart_lookup_color (GtkWidget  *widget,
                       const char *name,
                       GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    gtk_style_context_get_color (context, color);
}

void
cb_chart_get_foreground (GtkWidget *widget,
                         double     alpha,
                         GdkRGBA   *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  color->alpha *= alpha;
}

void
cb_chart_draw_text (GtkSnapshot   *snapshot,
                    PangoLayout   *layout,
                    float          x,
                    float          y,
                    const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}
