/* cb-reports-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-case-store.h"
#include "cb-cases-page.h"

G_BEGIN_DECLS

#define CB_TYPE_REPORTS_PAGE (cb_reports_page_get_type ())

G_DECLARE_FINAL_TYPE (CbReportsPage, cb_reports_page, CB, REPORTS_PAGE, AdwBin)

void         cb_reports_page_set_store      (CbReportsPage *self,
                                             CbCaseStore   *store);
void         cb_reports_page_set_cases_page (CbReportsPage *self,
                                             CbCasesPage   *cases_page);
void         cb_reports_page_export         (CbReportsPage *self);
void         cb_reports_page_export_to_path (CbReportsPage *self,
                                             const char    *path);
void         cb_reports_page_cancel_export  (CbReportsPage *self);
gboolean     cb_reports_page_is_busy        (CbReportsPage *self);
CbCaseQuery *cb_reports_page_get_query      (CbReportsPage *self);

G_END_DECLS
