/* cb-csv-writer.h — cases and rows out as CSV in the dictionary format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-case-query.h"
#include "cb-case-store.h"
#include "cb-progress.h"

G_BEGIN_DECLS

#define CB_TYPE_CSV_WRITER (cb_csv_writer_get_type ())

G_DECLARE_FINAL_TYPE (CbCsvWriter, cb_csv_writer, CB, CSV_WRITER, GObject)

CbCsvWriter *cb_csv_writer_new          (const char          *path,
                                         gboolean             include_notes,
                                         GError             **error);
const char  *cb_csv_writer_get_path     (CbCsvWriter         *self);
gboolean     cb_csv_writer_write_header (CbCsvWriter         *self,
                                         GError             **error);
gboolean     cb_csv_writer_write_case   (CbCsvWriter         *self,
                                         CbCase              *record,
                                         GError             **error);
gboolean     cb_csv_writer_write_row    (CbCsvWriter         *self,
                                         const char * const  *cells,
                                         guint                n_cells,
                                         GError             **error);
gboolean     cb_csv_writer_write_line   (CbCsvWriter         *self,
                                         const char          *line,
                                         GError             **error);
gboolean     cb_csv_writer_close        (CbCsvWriter         *self,
                                         GError             **error);

gboolean     cb_csv_writer_write_query  (CbCaseStore         *store,
                                         CbCaseQuery         *query,
                                         const char          *path,
                                         gboolean             include_notes,
                                         CbProgressFunc       progress,
                                         gpointer             progress_data,
                                         GCancellable        *cancellable,
                                         GError             **error);

void         cb_csv_append_cell         (GString             *line,
                                         const char          *value);
gboolean     cb_csv_needs_guard         (const char          *text);
const char  *cb_csv_strip_guard         (const char          *text);

G_END_DECLS
