/* cb-bar-chart.h — horizontal bars with labels, drawn with GtkSnapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CB_TYPE_BAR_CHART (cb_bar_chart_get_type ())

G_DECLARE_DERIVABLE_TYPE (CbBarChart, cb_bar_chart, CB, BAR_CHART, GtkWidget)

struct _CbBarChartClass
{
  GtkWidgetClass parent_class;
};

void        cb_bar_chart_clear           (CbBarChart *self);
void        cb_bar_chart_add_row         (CbBarChart *self,
                                          const char *label,
                                          double      fraction,
                                          const char *value_text,
                                          const char *color_name,
                                          gboolean    total,
                                          const char *spoken);
void        cb_bar_chart_set_marker      (CbBarChart *self,
                                          double      fraction,
                                          const char *label);
void        cb_bar_chart_set_empty_text  (CbBarChart *self,
                                          const char *text);
void        cb_bar_chart_set_title       (CbBarChart *self,
                                          const char *title);
guint       cb_bar_chart_get_n_rows      (CbBarChart *self);
const char *cb_bar_chart_get_row_label   (CbBarChart *self,
                                          guint       row);
const char *cb_bar_chart_get_description (CbBarChart *self);

G_END_DECLS
