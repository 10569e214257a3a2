/* cb-import-report.c — what an import did, row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report counts the rows that were added, updated, left unchanged and
 * rejected, and keeps the reasons for the rejected ones. So that the user
 * can fix those rows and import them again, it also keeps each rejected
 * row as it was in the file, already joined into one CSV line: one
 * allocation a row, and nothing at all for the rows that were fine. Both
 * lists stop growing at fixed limits so a file of garbage cannot use up
 * the memory; the counts go on.
 */
#define G_LOG_DOMAIN "casebook-import-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cb-csv-writer.h"
#include "cb-field.h"
#include "cb-import-report-private.h"

struct _CbImportReport
{
  gatomicrefcount  ref_count;

  char            *display_name;
  GPtrArray       *header;         /* the file's header cells */
  int              case_ref_column; /* in @header, or -1 */
  GStrv            unknown_columns;
  gboolean         validate_only;

  guint            n_added;
  guint            n_updated;
  guint            n_unchanged;
  guint            n_rejected;
  guint            n_errors;

  GPtrArray       *errors;         /* CbImportRowError, at most MAX_ERRORS */
  GPtrArray       *reject_lines;   /* CSV lines with the reason last */
  gsize            reject_bytes;
  gboolean         rejects_complete;
};

G_DEFINE_BOXED_TYPE (CbImportReport, cb_import_report,
                     cb_import_report_ref, cb_import_report_unref)

CbImportRowError *
_cb_import_row_error_new (guint       line,
                          const char *column,
                          const char *value,
                          const char *reason)
{
  CbImportRowError *error = g_new0 (CbImportRowError, 1);

  error->line = line;
  error->column = g_strdup (column);
  error->value = g_strdup (value);
  error->reason = g_strdup (reason);
  return error;
}

void
_cb_import_row_error_free (CbImportRowError *error)
{
  if (error == NULL)
    return;

  g_free (error->column);
  g_free (error->value);
  g_free (error->reason);
  g_free (error->case_ref);
  g_free (error);
}

/* The importer matches headers with cb_field_lookup() and refuses a file
 * with two columns for one field, so the first match is the one. */
static int
find_case_ref_column (GPtrArray *header)
{
  for (guint i = 0; i < header->len; i++)
    {
      const CbField *field = cb_field_lookup (g_ptr_array_index (header, i));

      if (field != NULL && field->id == CB_FIELD_CASE_REF)
        return (int) i;
    }

  return -1;
}

CbImportReport *
_cb_import_report_new (const char         *display_name,
                       GPtrArray          *header,
                       const char * const *unknown_columns,
                       gboolean            validate_only)
{
  CbImportReport *self = g_new0 (CbImportReport, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->display_name = g_strdup (display_name);
  self->header = g_ptr_array_new_full (header->len, g_free);
  for (guint i = 0; i < header->len; i++)
    g_ptr_array_add (self->header, g_strdup (g_ptr_array_index (header, i)));
  self->case_ref_column = find_case_ref_column (self->header);
  self->unknown_columns = g_strdupv ((char **) unknown_columns);
  self->validate_only = validate_only;
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) _cb_import_row_error_free);
  self->reject_lines = g_ptr_array_new_with_free_func (g_free);
  self->rejects_complete = TRUE;

  return self;
}

CbImportReport *
cb_import_report_ref (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cb_import_report_unref (CbImportReport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->display_name);
  g_ptr_array_unref (self->header);
  g_strfreev (self->unknown_columns);
  g_ptr_array_unref (self->errors);
  g_ptr_array_unref (self->reject_lines);
  g_free (self);
}

void
_cb_import_report_count (CbImportReport  *self,
                         CbImportOutcome  outcome)
{
  switch (outcome)
    {
    case CB_IMPORT_OUTCOME_ADDED:
      self->n_added++;
      break;
    case CB_IMPORT_OUTCOME_UPDATED:
      self->n_updated++;
      break;
    case CB_IMPORT_OUTCOME_UNCHANGED:
      self->n_unchanged++;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* "column: reason; column: reason", the last cell of a saved reject. */
static char *
join_reasons (GPtrArray *row_errors)
{
  GString *reasons = g_string_new (NULL);

  for (guint i = 0; i < row_errors->len; i++)
    {
      const CbImportRowError *error = g_ptr_array_index (row_errors, i);

      if (i > 0)
        g_string_append (reasons, "; ");
      if (error->column != NULL)
        g_string_append_printf (reasons, "%s: ", error->column);
      g_string_append (reasons, error->reason);
    }

  return g_string_free (reasons, FALSE);
}

/* The row as the file had it, padded to the header's width so that the
 * reason lands in its own column. */
static char *
pack_row (CbImportReport     *self,
          const char * const *cells,
          guint               n_cells,
          const char         *reasons)
{
  GString *line = g_string_new (NULL);
  guint width = MAX (n_cells, self->header->len);

  for (guint i = 0; i < width; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      if (i < n_cells)
        cb_csv_append_cell (line, cells[i]);
    }

  g_string_append_c (line, ',');
  cb_csv_append_cell (line, reasons);
  return g_string_free (line, FALSE);
}

static void
keep_row (CbImportReport     *self,
          const char * const *cells,
          guint               n_cells,
          GPtrArray          *row_errors)
{
  g_autofree char *reasons = NULL;
  char *line;
  gsize len;

  if (!self->rejects_complete)
    return;

  reasons = join_reasons (row_errors);
  line = pack_row (self, cells, n_cells, reasons);
  len = strlen (line);

  if (self->reject_bytes + len > CB_IMPORT_REPORT_MAX_REJECT_BYTES)
    {
      /* Keep the rows in file order without holes: once one is dropped,
       * the rest are too. */
      self->rejects_complete = FALSE;
      g_free (line);
      return;
    }

  self->reject_bytes += len;
  g_ptr_array_add (self->reject_lines, line);
}

/* The row's reference, so that a message about the row can name the case
 * without quoting any of its data. An invalid reference is not given: it
 * may be something else typed in the wrong column, such as a name. */
static char *
dup_valid_case_ref (CbImportReport     *self,
                    const char * const *cells,
                    guint               n_cells)
{
  const char *cell;
  char *canonical = NULL;

  if (self->case_ref_column < 0 || (guint) self->case_ref_column >= n_cells)
    return NULL;

  cell = cb_csv_strip_guard (cells[self->case_ref_column]);
  if (!cb_field_parse (cb_field_get (CB_FIELD_CASE_REF), cell, &canonical, NULL))
    return NULL;

  return canonical;
}

/**
 * _cb_import_report_reject:
 * @cells: (array length=n_cells): the row's cells as read
 * @row_errors: (element-type CbImportRowError): every reason the row was
 *   rejected; the report takes them and empties the array
 */
void
_cb_import_report_reject (CbImportReport     *self,
                          const char * const *cells,
                          guint               n_cells,
                          GPtrArray          *row_errors)
{
  g_autofree char *case_ref = NULL;

  g_assert (row_errors->len > 0);

  self->n_rejected++;
  self->n_errors += row_errors->len;
  keep_row (self, cells, n_cells, row_errors);

  if (self->errors->len < CB_IMPORT_REPORT_MAX_ERRORS)
    case_ref = dup_valid_case_ref (self, cells, n_cells);

  for (guint i = 0; i < row_errors->len; i++)
    {
      CbImportRowError *error = g_ptr_array_index (row_errors, i);

      if (self->errors->len >= CB_IMPORT_REPORT_MAX_ERRORS)
        break;
      g_free (error->case_ref);
      error->case_ref = g_strdup (case_ref);
      g_ptr_array_add (self->errors, g_steal_pointer (&row_errors->pdata[i]));
    }

  g_ptr_array_set_size (row_errors, 0);
}

/**
 * cb_import_report_get_display_name:
 *
 * Returns: the name of the imported file, as used in messages
 */
const char *
cb_import_report_get_display_name (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->display_name;
}

/**
 * cb_import_report_get_validate_only:
 *
 * Returns: %TRUE when the counts are what an import would do; nothing
 *   was saved
 */
gboolean
cb_import_report_get_validate_only (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->validate_only;
}

guint
cb_import_report_get_n_added (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_added;
}

guint
cb_import_report_get_n_updated (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_updated;
}

guint
cb_import_report_get_n_unchanged (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_unchanged;
}

guint
cb_import_report_get_n_rejected (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rejected;
}

/* Rows that passed every check: added, updated or unchanged. */
guint
cb_import_report_get_n_valid (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_added + self->n_updated + self->n_unchanged;
}

/**
 * cb_import_report_get_unknown_columns:
 *
 * Returns: (transfer none): the headers that name no field, as in the file;
 *   their cells were not imported
 */
const char * const *
cb_import_report_get_unknown_columns (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->unknown_columns;
}

/* Every error found, also past the ones kept. */
guint
cb_import_report_get_n_errors (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_errors;
}

guint
cb_import_report_get_n_errors_kept (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->errors->len;
}

/**
 * cb_import_report_get_error:
 * @index: below cb_import_report_get_n_errors_kept()
 *
 * Returns: (transfer none): an error, in the order of the file
 */
const CbImportRowError *
cb_import_report_get_error (CbImportReport *self,
                            guint           index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->errors->len, NULL);

  return g_ptr_array_index (self->errors, index);
}

/**
 * cb_import_report_get_rejects_complete:
 *
 * Returns: %FALSE when there were so many rejected rows that only the
 *   first ones could be kept for cb_import_report_save_rejects()
 */
gboolean
cb_import_report_get_rejects_complete (CbImportReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->rejects_complete;
}

/* "9,812" in a locale that groups digits. */
static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

/**
 * cb_import_report_dup_summary:
 *
 * Returns: (transfer full): the short outcome, such as
 *   "9,812 valid, 14 with errors"
 */
char *
cb_import_report_dup_summary (CbImportReport *self)
{
  guint n_valid;
  g_autofree char *valid = NULL;
  g_autofree char *n_text = NULL;
  g_autofree char *r_text = NULL;
  g_autofree char *rejected = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  n_valid = cb_import_report_get_n_valid (self);
  n_text = format_count (n_valid);
  /* Translators: %s is a number of rows, such as 9,812 */
  valid = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s valid", "%s valid", n_valid),
                           n_text);
  if (self->n_rejected == 0)
    return g_steal_pointer (&valid);

  r_text = format_count (self->n_rejected);
  /* Translators: %s is a number of rows, such as 14 */
  rejected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s with errors", "%s with errors",
                                           self->n_rejected),
                              r_text);
  /* Translators: the two halves of "9,812 valid, 14 with errors" */
  return g_strdup_printf (_("%s, %s"), valid, rejected);
}

static void
append_part (GString *text,
             char    *part)
{
  if (text->len > 0)
    g_string_append (text, _(", "));
  g_string_append (text, part);
  g_free (part);
}

/**
 * cb_import_report_dup_details:
 *
 * Returns: (transfer full): every count, such as "12 added, 3 updated,
 *   9,797 unchanged, 14 rejected", or in the future tense of a check
 */
char *
cb_import_report_dup_details (CbImportReport *self)
{
  g_autofree char *added = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *unchanged = NULL;
  g_autofree char *rejected = NULL;
  GString *text;

  g_return_val_if_fail (self != NULL, NULL);

  added = format_count (self->n_added);
  updated = format_count (self->n_updated);
  unchanged = format_count (self->n_unchanged);
  rejected = format_count (self->n_rejected);
  text = g_string_new (NULL);

  /* Translators: each %s is a number of rows, such as 9,812 */
  if (self->validate_only)
    {
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s to add", "%s to add",
                                                       self->n_added), added));
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s to update", "%s to update",
                                                       self->n_updated), updated));
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s unchanged", "%s unchanged",
                                                       self->n_unchanged), unchanged));
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s with errors", "%s with errors",
                                                       self->n_rejected), rejected));
    }
  else
    {
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s added", "%s added",
                                                       self->n_added), added));
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s updated", "%s updated",
                                                       self->n_updated), updated));
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s unchanged", "%s unchanged",
                                                       self->n_unchanged), unchanged));
      append_part (text, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s rejected", "%s rejected",
                                                       self->n_rejected), rejected));
    }

  return g_string_free (text, FALSE);
}

/**
 * cb_import_report_save_rejects:
 * @path: the CSV file to write
 *
 * Writes the rejected rows as they were in the file, in its column order,
 * with a last column `reason`, so that the user can correct them and
 * import the file again (the `reason` column is then reported as unknown
 * and ignored). Cells are written back byte for byte, without the
 * spreadsheet guard of exports: the guard is already there when the
 * original had it, and adding one would change what a second import
 * reads. When the report could not keep every rejected row (see
 * cb_import_report_get_rejects_complete()) the first ones are written.
 */
gboolean
cb_import_report_save_rejects (CbImportReport  *self,
                               const char      *path,
                               GError         **error)
{
  g_autoptr(CbCsvWriter) writer = NULL;
  g_autoptr(GPtrArray) header = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* A view of the cells, owned by self->header. */
  header = g_ptr_array_sized_new (self->header->len + 1);
  for (guint i = 0; i < self->header->len; i++)
    g_ptr_array_add (header, g_ptr_array_index (self->header, i));
  g_ptr_array_add (header, (gpointer) "reason");

  if (!(writer = cb_csv_writer_new (path, FALSE, error)) ||
      !cb_csv_writer_write_row (writer, (const char * const *) header->pdata, header->len, error))
    return FALSE;

  for (guint i = 0; i < self->reject_lines->len; i++)
    if (!cb_csv_writer_write_line (writer, g_ptr_array_index (self->reject_lines, i), error))
      return FALSE;

  return cb_csv_writer_close (writer, error);
}

/**
 * cb_import_row_error_dup_reason_without_value:
 * @error: a reason a row was rejected
 *
 * The reason in words that do not repeat the cell's value, for a terminal
 * or a log: the value is case data, which belongs in the rejects file and
 * the import window, where the user asked to see it. A value that does not
 * read is explained again without quoting it; the other reasons (a rule
 * between two fields, a missing value, a row cut wrongly) quote nothing
 * but a repeated case reference, which may be shown.
 *
 * Returns: (transfer full): the reason
 */
char *
cb_import_row_error_dup_reason_without_value (const CbImportRowError *error)
{
  const CbField *field;
  const char *input;
  g_autofree char *canonical = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  field = error->column != NULL ? cb_field_lookup (error->column) : NULL;
  if (field == NULL || error->value == NULL)
    return g_strdup (error->reason);

  /* As the importer reads it: the export's spreadsheet guard comes off
   * text values. */
  input = field->type == CB_FIELD_TYPE_TEXT ? cb_csv_strip_guard (error->value) : error->value;
  if (!cb_field_parse_without_quoting (field, input, &canonical, &local_error))
    return g_strdup (local_error->message);

  return g_strdup (error->reason);
}
