/* cb-csv-writer.c — cases and rows out as CSV in the dictionary format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format is the one DATA-DICTIONARY.md describes and CbImporter reads:
 * UTF-8 without a BOM, ',' between cells, a header of the field names in
 * table order, RFC 4180 quoting. Lines end in LF, not the CRLF of RFC 4180:
 * every spreadsheet and our own reader take both, and LF keeps exports
 * comparable with the usual text tools.
 *
 * A writer never leaves half a file where the user asked for one: it writes
 * to a hidden temporary file in the target folder and renames it into place
 * on close (see CbTempFile, which also clears away the leftovers of killed
 * exports). Dropping a writer without closing it removes the temporary file.
 * Files are created 0600, as the cases are health and offending data.
 */
#define G_LOG_DOMAIN "casebook-csv-writer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cb-case-query-private.h"
#include "cb-case-store-private.h"
#include "cb-csv-writer.h"
#include "cb-temp-file.h"

#define FLUSH_SIZE (64 * 1024)

struct _CbCsvWriter
{
  GObject   parent_instance;

  char       *path;
  CbTempFile *temp;   /* NULL once closed or abandoned */
  GString  *buffer;
  GString  *line;
  gboolean  include_notes;
  gboolean  closed;
};

G_DEFINE_FINAL_TYPE (CbCsvWriter, cb_csv_writer, G_TYPE_OBJECT)

static void
abandon (CbCsvWriter *self)
{
  g_clear_pointer (&self->temp, cb_temp_file_free);
}

static void
cb_csv_writer_finalize (GObject *object)
{
  CbCsvWriter *self = (CbCsvWriter *)object;

  abandon (self);
  g_clear_pointer (&self->path, g_free);
  g_string_free (self->buffer, TRUE);
  g_string_free (self->line, TRUE);

  G_OBJECT_CLASS (cb_csv_writer_parent_class)->finalize (object);
}

static void
cb_csv_writer_class_init (CbCsvWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_csv_writer_finalize;
}

static void
cb_csv_writer_init (CbCsvWriter *self)
{
  self->buffer = g_string_sized_new (FLUSH_SIZE + 4096);
  self->line = g_string_sized_new (1024);
}

static gboolean
set_errno_error (CbCsvWriter  *self,
                 int           saved_errno,
                 GError      **error)
{
  g_autofree char *name = g_filename_display_name (self->path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot write “%s”: %s"), name, g_strerror (saved_errno));
  return FALSE;
}

/**
 * cb_csv_writer_new:
 * @path: the file to write; replaced only when the writer is closed
 * @include_notes: whether cb_csv_writer_write_case() writes the notes
 *
 * Returns: (transfer full) (nullable): a writer with its temporary file
 *   open, or %NULL when the folder cannot be written
 */
CbCsvWriter *
cb_csv_writer_new (const char  *path,
                   gboolean     include_notes,
                   GError     **error)
{
  g_autoptr(CbCsvWriter) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CB_TYPE_CSV_WRITER, NULL);
  self->path = g_strdup (path);
  self->include_notes = include_notes;

  if (!(self->temp = cb_temp_file_new_beside (path, CB_TEMP_FILE_MODE_PRIVATE, error)))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cb_csv_writer_get_path (CbCsvWriter *self)
{
  g_return_val_if_fail (CB_IS_CSV_WRITER (self), NULL);

  return self->path;
}

static gboolean
flush_buffer (CbCsvWriter  *self,
              GError      **error)
{
  gsize done = 0;

  while (done < self->buffer->len)
    {
      gssize n = write (cb_temp_file_get_fd (self->temp),
                        self->buffer->str + done, self->buffer->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (self, errno, error);
      done += n;
    }

  g_string_truncate (self->buffer, 0);
  return TRUE;
}

static gboolean
check_open (CbCsvWriter  *self,
            GError      **error)
{
  if (self->temp != NULL)
    return TRUE;

  /* An earlier failure abandoned the file: say so rather than write into
   * nothing. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
               _("The file is already closed"));
  return FALSE;
}

static gboolean
end_line (CbCsvWriter  *self,
          const char   *text,
          gsize         len,
          GError      **error)
{
  if (!check_open (self, error))
    return FALSE;

  g_string_append_len (self->buffer, text, len);
  g_string_append_c (self->buffer, '\n');

  if (self->buffer->len >= FLUSH_SIZE && !flush_buffer (self, error))
    {
      abandon (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_csv_needs_guard:
 * @text: a text value
 *
 * The dictionary's spreadsheet-safety rule: a value a spreadsheet would
 * run as a formula (it begins with = + - or @), or one that already begins
 * with the guard ' before such a character or another ', is written with
 * one more leading '.
 */
gboolean
cb_csv_needs_guard (const char *text)
{
  if (text == NULL)
    return FALSE;

  switch (text[0])
    {
    case '=':
    case '+':
    case '-':
    case '@':
      return TRUE;
    case '\'':
      return text[1] != '\0' && strchr ("=+-@'", text[1]) != NULL;
    default:
      return FALSE;
    }
}

/**
 * cb_csv_strip_guard:
 * @text: a text value as read from a CSV file
 *
 * The import half of the rule: one leading ' goes when the next character
 * is one of = + - @ '. Exactly undoes what export adds, so a value
 * survives export then import unchanged.
 *
 * Returns: (transfer none): @text, or @text past its guard
 */
const char *
cb_csv_strip_guard (const char *text)
{
  if (text != NULL && text[0] == '\'' && text[1] != '\0' &&
      strchr ("=+-@'", text[1]) != NULL)
    return text + 1;

  return text;
}

static gboolean
needs_quotes (const char *value)
{
  gsize len;

  if (value[0] == '\0')
    return FALSE;

  /* Leading and trailing blanks are quoted so spreadsheets keep them. */
  len = strlen (value);
  if (value[0] == ' ' || value[0] == '\t' ||
      value[len - 1] == ' ' || value[len - 1] == '\t')
    return TRUE;

  return strpbrk (value, ",\"\r\n") != NULL;
}

/**
 * cb_csv_append_cell:
 * @line: the line being built
 * @value: (nullable): the cell, %NULL and "" both written as nothing
 *
 * Appends one cell, quoted by RFC 4180 when it holds a comma, a quote or a
 * line break, or begins or ends with a blank. The caller adds the commas.
 */
void
cb_csv_append_cell (GString    *line,
                    const char *value)
{
  g_return_if_fail (line != NULL);

  if (value == NULL)
    return;

  if (!needs_quotes (value))
    {
      g_string_append (line, value);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static gboolean
is_written (CbCsvWriter *self,
            CbFieldId    field)
{
  return field != CB_FIELD_NOTES || self->include_notes;
}

/**
 * cb_csv_writer_write_header:
 *
 * Writes the field names in table order, with `notes` only when the
 * writer was made to include them.
 */
gboolean
cb_csv_writer_write_header (CbCsvWriter  *self,
                            GError      **error)
{
  g_return_val_if_fail (CB_IS_CSV_WRITER (self), FALSE);

  g_string_truncate (self->line, 0);
  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      if (!is_written (self, i))
        continue;
      if (i > 0)
        g_string_append_c (self->line, ',');
      g_string_append (self->line, cb_field_get (i)->name);
    }

  return end_line (self, self->line->str, self->line->len, error);
}

/**
 * cb_csv_writer_write_case:
 * @record: a case, written in the header's column order
 *
 * Text values get the spreadsheet guard (see cb_csv_needs_guard()); codes,
 * dates and numbers never begin with a formula character.
 */
gboolean
cb_csv_writer_write_case (CbCsvWriter  *self,
                          CbCase       *record,
                          GError      **error)
{
  g_return_val_if_fail (CB_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (CB_IS_CASE (record), FALSE);

  g_string_truncate (self->line, 0);
  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const char *value = cb_case_get (record, i);

      if (!is_written (self, i))
        continue;
      if (i > 0)
        g_string_append_c (self->line, ',');

      if (cb_field_get (i)->type == CB_FIELD_TYPE_TEXT && cb_csv_needs_guard (value))
        {
          g_autofree char *guarded = g_strconcat ("'", value, NULL);
          cb_csv_append_cell (self->line, guarded);
        }
      else
        cb_csv_append_cell (self->line, value);
    }

  return end_line (self, self->line->str, self->line->len, error);
}

/**
 * cb_csv_writer_write_row:
 * @cells: (array length=n_cells): the cells, written as they are (quoted
 *   where needed, never guarded)
 *
 * Writes a row of any shape, such as a rejected row with its reason.
 */
gboolean
cb_csv_writer_write_row (CbCsvWriter        *self,
                         const char * const *cells,
                         guint               n_cells,
                         GError            **error)
{
  g_return_val_if_fail (CB_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (cells != NULL || n_cells == 0, FALSE);

  g_string_truncate (self->line, 0);
  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (self->line, ',');
      cb_csv_append_cell (self->line, cells[i]);
    }

  return end_line (self, self->line->str, self->line->len, error);
}

/**
 * cb_csv_writer_write_line:
 * @line: cells already joined and quoted with cb_csv_append_cell(), without
 *   the line end
 */
gboolean
cb_csv_writer_write_line (CbCsvWriter  *self,
                          const char   *line,
                          GError      **error)
{
  g_return_val_if_fail (CB_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  return end_line (self, line, strlen (line), error);
}

/**
 * cb_csv_writer_close:
 *
 * Flushes the file to disk and puts it in place of the target. After a
 * failure the target is untouched and the temporary file removed.
 */
gboolean
cb_csv_writer_close (CbCsvWriter  *self,
                     GError      **error)
{
  g_return_val_if_fail (CB_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (!self->closed, FALSE);

  if (!check_open (self, error))
    return FALSE;

  if (!flush_buffer (self, error))
    {
      abandon (self);
      return FALSE;
    }

  /* The commit removes the temporary file itself when it fails. */
  self->closed = cb_temp_file_commit (self->temp, error);
  abandon (self);
  return self->closed;
}

static gint64
count_rows (CbCaseQuery *query,
            sqlite3     *db)
{
  sqlite3_stmt *stmt = _cb_case_query_prepare (query, db, "count(*)", FALSE, NULL);
  gint64 count = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

static gboolean
write_rows (CbCsvWriter     *writer,
            sqlite3         *db,
            sqlite3_stmt    *stmt,
            gint64           total,
            CbProgressFunc   progress,
            gpointer         progress_data,
            GCancellable    *cancellable,
            GError         **error)
{
  gint64 done = 0;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CbCase) record = _cb_case_store_read_row (stmt);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !cb_csv_writer_write_case (writer, record, error))
        return FALSE;

      if (progress != NULL && ++done % 1000 == 0 && total > 0)
        progress (MIN (1.0, (double) done / total), progress_data);
    }

  if (rc != SQLITE_DONE)
    return _cb_sql_set_error (db, rc, error);

  return TRUE;
}

/**
 * cb_csv_writer_write_query:
 * @store: the cases
 * @query: (nullable): which cases and in which order; %NULL for all cases
 *   by reference
 * @path: the file to write (replaced atomically)
 * @include_notes: write the free-text notes too
 * @progress: (nullable) (scope call): told the share of cases written
 * @cancellable: (nullable): stops the export, leaving @path as it was
 *
 * Exports cases in the dictionary's CSV format, which CbImporter reads back
 * into the same values.
 */
gboolean
cb_csv_writer_write_query (CbCaseStore     *store,
                           CbCaseQuery     *query,
                           const char      *path,
                           gboolean         include_notes,
                           CbProgressFunc   progress,
                           gpointer         progress_data,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr(CbCaseQuery) all = NULL;
  g_autoptr(CbCsvWriter) writer = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 total;
  gboolean ok;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), FALSE);
  g_return_val_if_fail (query == NULL || CB_IS_CASE_QUERY (query), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (query == NULL)
    query = all = cb_case_query_new ();

  db = _cb_case_store_get_db (store);
  total = count_rows (query, db);

  if (!(writer = cb_csv_writer_new (path, include_notes, error)) ||
      !cb_csv_writer_write_header (writer, error))
    return FALSE;

  stmt = _cb_case_query_prepare (query, db, _cb_case_store_select_columns (), TRUE, error);
  if (stmt == NULL)
    return FALSE;

  ok = write_rows (writer, db, stmt, total, progress, progress_data, cancellable, error);
  sqlite3_finalize (stmt);

  if (!ok || !cb_csv_writer_close (writer, error))
    return FALSE;

  if (progress != NULL)
    progress (1.0, progress_data);
  return TRUE;
}
