/* cb-dashboard-util.h — number formats and drawing shared by the report views
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-indicators.h"

G_BEGIN_DECLS

char        *cb_format_count          (gint64             count);
char        *cb_format_percentage     (double             percentage);
char        *cb_format_fraction       (const CbIndicator *indicator);
char        *cb_format_indicator      (const CbIndicator *indicator);
char        *cb_format_date           (const char        *iso);
char        *cb_format_period         (const char        *from,
                                       const char        *to);
const char  *cb_comparison_get_style_class (CbComparison comparison);
const char  *cb_comparison_get_text   (CbComparison       comparison);
const char  *cb_comparison_get_name   (CbComparison       comparison);
void         cb_dashboard_load_css    (void);

void         cb_chart_lookup_color    (GtkWidget         *widget,
                                       const char        *name,
                                       GdkRGBA           *color);
void         cb_chart_get_foreground  (GtkWidget         *widget,
                                       double             alpha,
                                       GdkRGBA           *color);
void         cb_chart_draw_text       (GtkSnapshot       *snapshot,
                                       PangoLayout       *layout,
                                       float              x,
                                       float              y,
                                       const GdkRGBA     *color);

G_END_DECLS
