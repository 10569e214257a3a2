/* cb-import-report-private.h — how CbImporter fills a report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-import-report.h"

G_BEGIN_DECLS

typedef enum
{
  CB_IMPORT_OUTCOME_ADDED,
  CB_IMPORT_OUTCOME_UPDATED,
  CB_IMPORT_OUTCOME_UNCHANGED,
} CbImportOutcome;

CbImportReport   *_cb_import_report_new          (const char         *display_name,
                                                  GPtrArray          *header,
                                                  const char * const *unknown_columns,
                                                  gboolean            validate_only);
void              _cb_import_report_count        (CbImportReport     *self,
                                                  CbImportOutcome     outcome);
CbImportRowError *_cb_import_row_error_new       (guint               line,
                                                  const char         *column,
                                                  const char         *value,
                                                  const char         *reason);
void              _cb_import_row_error_free      (CbImportRowError   *error);
void              _cb_import_report_reject       (CbImportReport     *self,
                                                  const char * const *cells,
                                                  guint               n_cells,
                                                  GPtrArray          *row_errors);

G_END_DECLS
