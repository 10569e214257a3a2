/* cb-cascade-chart.h — caseload → drug misuse → Class A → tested → referred → started
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-bar-chart.h"
#include "cb-indicators.h"

G_BEGIN_DECLS

#define CB_TYPE_CASCADE_CHART (cb_cascade_chart_get_type ())

G_DECLARE_FINAL_TYPE (CbCascadeChart, cb_cascade_chart, CB, CASCADE_CHART, CbBarChart)

GtkWidget *cb_cascade_chart_new             (void);
void       cb_cascade_chart_set_indicators  (CbCascadeChart *self,
                                             CbIndicators   *indicators);

G_END_DECLS
