/* cb-import-dialog.h — checking a CSV file, then importing its valid rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-case-store.h"

G_BEGIN_DECLS

#define CB_TYPE_IMPORT_DIALOG (cb_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CbImportDialog, cb_import_dialog, CB, IMPORT_DIALOG, AdwWindow)

CbImportDialog *cb_import_dialog_new                  (GtkWindow      *parent,
                                                       CbCaseStore    *store,
                                                       GFile          *file);
const char     *cb_import_dialog_get_summary          (CbImportDialog *self);
guint           cb_import_dialog_get_n_errors_shown   (CbImportDialog *self);
gboolean        cb_import_dialog_is_checked           (CbImportDialog *self);
gboolean        cb_import_dialog_has_failed           (CbImportDialog *self);
void            cb_import_dialog_import_valid         (CbImportDialog *self);
gboolean        cb_import_dialog_save_rejects_to_path (CbImportDialog *self,
                                                       const char     *path,
                                                       GError        **error);
void            cb_import_dialog_install_drop_target  (GtkWidget      *widget);

G_END_DECLS
