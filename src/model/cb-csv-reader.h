/* cb-csv-reader.h — a streaming RFC 4180 reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CB_CSV_READER_ERROR (cb_csv_reader_error_quark ())

/* Every one of these is a problem in the file, never in the program: the
 * message names the file and the physical line, and says what to check.
 * Failures of the stream itself are reported in G_IO_ERROR.
 */
typedef enum
{
  CB_CSV_READER_ERROR_UNTERMINATED_QUOTE, /* a quoted field runs to end of file */
  CB_CSV_READER_ERROR_BAD_QUOTE,          /* text after a closing quote */
  CB_CSV_READER_ERROR_INVALID_UTF8,       /* not UTF-8, or a NUL byte */
  CB_CSV_READER_ERROR_RECORD_TOO_LARGE,   /* a record over CB_CSV_READER_MAX_RECORD_BYTES */
  CB_CSV_READER_ERROR_TOO_MANY_FIELDS,    /* a record over CB_CSV_READER_MAX_FIELDS */
} CbCsvReaderError;

/* Limits that protect against garbage input (a binary file, a missing
 * closing quote that swallows the rest of the file).
 */
#define CB_CSV_READER_MAX_RECORD_BYTES (1024 * 1024)
#define CB_CSV_READER_MAX_FIELDS       1000

#define CB_TYPE_CSV_READER (cb_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (CbCsvReader, cb_csv_reader, CB, CSV_READER, GObject)

GQuark       cb_csv_reader_error_quark      (void);

CbCsvReader *cb_csv_reader_new              (GInputStream  *stream,
                                             const char    *display_name);
CbCsvReader *cb_csv_reader_new_for_path     (const char    *path,
                                             GError       **error);

gboolean     cb_csv_reader_next             (CbCsvReader   *self,
                                             GPtrArray    **fields_out,
                                             GCancellable  *cancellable,
                                             GError       **error);
gboolean     cb_csv_reader_next_packed      (CbCsvReader   *self,
                                             char        ***fields_out,
                                             guint         *n_fields_out,
                                             GCancellable  *cancellable,
                                             GError       **error);

guint        cb_csv_reader_get_line         (CbCsvReader   *self);
char         cb_csv_reader_get_delimiter    (CbCsvReader   *self);
void         cb_csv_reader_set_delimiter    (CbCsvReader   *self,
                                             char           delimiter);
goffset      cb_csv_reader_get_bytes_read   (CbCsvReader   *self);
const char  *cb_csv_reader_get_display_name (CbCsvReader   *self);

G_END_DECLS
