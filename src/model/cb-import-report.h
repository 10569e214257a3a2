/* cb-import-report.h — what an import did, row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CB_TYPE_IMPORT_REPORT (cb_import_report_get_type ())

typedef struct _CbImportReport CbImportReport;

/* One reason a row was rejected. */
typedef struct
{
  guint  line;    /* physical line of the file where the row starts */
  char  *column;  /* the column's header as in the file, the field name
                   * when the field has no column, or NULL for the row */
  char  *value;   /* the cell as in the file, or NULL */
  char  *reason;  /* translated, says what to change; may quote the value */
  char  *case_ref; /* the row's case reference when it is a valid one,
                    * else NULL */
} CbImportRowError;

/* How many rejected rows and errors a report keeps in memory; the counts
 * go on past them. See cb_import_report_get_rejects_complete(). */
#define CB_IMPORT_REPORT_MAX_ERRORS       100000
#define CB_IMPORT_REPORT_MAX_REJECT_BYTES (64 * 1024 * 1024)

GType           cb_import_report_get_type          (void) G_GNUC_CONST;
CbImportReport *cb_import_report_ref               (CbImportReport  *self);
void            cb_import_report_unref             (CbImportReport  *self);

const char     *cb_import_report_get_display_name  (CbImportReport  *self);
gboolean        cb_import_report_get_validate_only (CbImportReport  *self);
guint           cb_import_report_get_n_added       (CbImportReport  *self);
guint           cb_import_report_get_n_updated     (CbImportReport  *self);
guint           cb_import_report_get_n_unchanged   (CbImportReport  *self);
guint           cb_import_report_get_n_rejected    (CbImportReport  *self);
guint           cb_import_report_get_n_valid       (CbImportReport  *self);
const char * const *cb_import_report_get_unknown_columns (CbImportReport *self);

guint           cb_import_report_get_n_errors      (CbImportReport  *self);
guint           cb_import_report_get_n_errors_kept (CbImportReport  *self);
const CbImportRowError *cb_import_report_get_error (CbImportReport  *self,
                                                    guint            index);
gboolean        cb_import_report_get_rejects_complete (CbImportReport *self);

char           *cb_import_report_dup_summary       (CbImportReport  *self);
char           *cb_import_report_dup_details       (CbImportReport  *self);
gboolean        cb_import_report_save_rejects      (CbImportReport  *self,
                                                    const char      *path,
                                                    GError         **error);

char           *cb_import_row_error_dup_reason_without_value (const CbImportRowError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbImportReport, cb_import_report_unref)

G_END_DECLS
