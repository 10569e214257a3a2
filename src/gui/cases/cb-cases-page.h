/* cb-cases-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-case-query.h"
#include "cb-case-store.h"

G_BEGIN_DECLS

#define CB_TYPE_CASES_PAGE (cb_cases_page_get_type ())

G_DECLARE_FINAL_TYPE (CbCasesPage, cb_cases_page, CB, CASES_PAGE, AdwBin)

void         cb_cases_page_set_store    (CbCasesPage *self,
                                         CbCaseStore *store);
CbCaseQuery *cb_cases_page_get_query    (CbCasesPage *self);
void         cb_cases_page_new_case     (CbCasesPage *self);
void         cb_cases_page_focus_search (CbCasesPage *self);
void         cb_cases_page_import_file  (CbCasesPage *self,
                                         GFile       *file);

G_END_DECLS
