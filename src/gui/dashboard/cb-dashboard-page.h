/* cb-dashboard-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-case-store.h"
#include "cb-indicators.h"

G_BEGIN_DECLS

#define CB_TYPE_DASHBOARD_PAGE (cb_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (CbDashboardPage, cb_dashboard_page, CB, DASHBOARD_PAGE, AdwBin)

void          cb_dashboard_page_set_store      (CbDashboardPage *self,
                                                CbCaseStore     *store);
CbIndicators *cb_dashboard_page_get_indicators (CbDashboardPage *self);
CbCaseQuery  *cb_dashboard_page_get_query      (CbDashboardPage *self);
gboolean      cb_dashboard_page_is_busy        (CbDashboardPage *self);

G_END_DECLS
