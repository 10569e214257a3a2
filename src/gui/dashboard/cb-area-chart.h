/* cb-area-chart.h — one indicator, area by area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-bar-chart.h"
#include "cb-indicators.h"

G_BEGIN_DECLS

#define CB_TYPE_AREA_CHART (cb_area_chart_get_type ())

G_DECLARE_FINAL_TYPE (CbAreaChart, cb_area_chart, CB, AREA_CHART, CbBarChart)

GtkWidget       *cb_area_chart_new            (void);
void             cb_area_chart_set_indicators (CbAreaChart     *self,
                                               CbIndicators    *indicators);
void             cb_area_chart_set_kind       (CbAreaChart     *self,
                                               CbIndicatorKind  kind);
CbIndicatorKind  cb_area_chart_get_kind       (CbAreaChart     *self);

G_END_DECLS
