/* cb-importer.h — cases in from CSV files, checked row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-case-store.h"
#include "cb-field.h"
#include "cb-import-report.h"
#include "cb-progress.h"

G_BEGIN_DECLS

#define CB_IMPORT_ERROR (cb_import_error_quark ())

/* Problems with the file as a whole; problems with single rows go in the
 * CbImportReport. Each message says what to change. */
typedef enum
{
  CB_IMPORT_ERROR_NO_HEADER,        /* the file is empty */
  CB_IMPORT_ERROR_MISSING_COLUMNS,  /* a required column is missing */
  CB_IMPORT_ERROR_DUPLICATE_COLUMN, /* two columns hold the same field */
  CB_IMPORT_ERROR_FILE_CHANGED,     /* the header changed since inspection */
  CB_IMPORT_ERROR_ROWS_REJECTED,    /* rows were invalid, so nothing was saved */
} CbImportError;

typedef enum
{
  CB_IMPORT_FLAGS_NONE    = 0,
  CB_IMPORT_SKIP_INVALID  = 1 << 0, /* save the valid rows, report the rest */
  CB_IMPORT_VALIDATE_ONLY = 1 << 1, /* check and count everything, save nothing */
} CbImportFlags;

/* How many data rows cb_importer_inspect() keeps for a preview. */
#define CB_IMPORTER_PREVIEW_ROWS 20

#define CB_TYPE_IMPORTER (cb_importer_get_type ())

G_DECLARE_FINAL_TYPE (CbImporter, cb_importer, CB, IMPORTER, GObject)

GQuark              cb_import_error_quark            (void);

CbImporter         *cb_importer_new                  (CbCaseStore     *store);
CbCaseStore        *cb_importer_get_store            (CbImporter      *self);

gboolean            cb_importer_inspect              (CbImporter      *self,
                                                      GFile           *file,
                                                      GCancellable    *cancellable,
                                                      GError         **error);
GFile              *cb_importer_get_file             (CbImporter      *self);
char                cb_importer_get_delimiter        (CbImporter      *self);
guint               cb_importer_get_n_columns        (CbImporter      *self);
const char         *cb_importer_get_column_name      (CbImporter      *self,
                                                      guint            column);
const CbField      *cb_importer_get_column_field     (CbImporter      *self,
                                                      guint            column);
const char * const *cb_importer_get_unknown_columns  (CbImporter      *self);
guint               cb_importer_get_n_preview_rows   (CbImporter      *self);
const char * const *cb_importer_get_preview_row      (CbImporter      *self,
                                                      guint            row,
                                                      guint           *line);

CbImportReport     *cb_importer_run                  (CbImporter      *self,
                                                      CbImportFlags    flags,
                                                      CbProgressFunc   progress,
                                                      gpointer         progress_data,
                                                      GCancellable    *cancellable,
                                                      GError         **error);
CbImportReport     *cb_importer_get_report           (CbImporter      *self);

G_END_DECLS
