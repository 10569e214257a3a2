/* cb-importer.c — cases in from CSV files, checked row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import has two steps, as the import dialog has. cb_importer_inspect()
 * reads the header and the first rows: which column holds which field,
 * which columns are unknown, whether a required one is missing; nothing
 * is written. cb_importer_run() then streams every row through the field
 * table's parsers and the case's own rules, and inserts or updates by
 * case_ref, all in one transaction that is rolled back on any failure or
 * cancellation, so the database is either fully imported or untouched.
 *
 * Memory stays flat in the size of the file: rows come in small batches,
 * and what the run remembers is per database row (a bit per existing case,
 * to spot a case_ref given twice) or per rejected row, never per good row.
 * A case_ref seen twice in one file is found through the database itself:
 * new rows are written as they come, so a later row with the same
 * reference finds a row id above the largest one before the import.
 *
 * A run uses two threads: a reading thread reads and parses the rows (no
 * database there), the calling thread looks them up, checks them and
 * writes them on the store's connection, which never leaves it. Batches
 * of rows go back and forth through two queues. The check of a file
 * (CB_IMPORT_VALIDATE_ONLY) is a full import that is rolled back, so its
 * counts are exactly what the import will do.
 */
#define G_LOG_DOMAIN "casebook-importer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cb-case-store-private.h"
#include "cb-csv-reader.h"
#include "cb-csv-writer.h"
#include "cb-import-report-private.h"
#include "cb-importer.h"

/* Above this many ids the seen-set is a hash table, not a bit set. */
#define ID_SET_MAX_BITS (G_GINT64_CONSTANT (1) << 27)

/* Progress is told every this many rows, at most. */
#define PROGRESS_ROWS 256

struct _CbImporter
{
  GObject         parent_instance;

  CbCaseStore    *store;

  /* What cb_importer_inspect() found. */
  GFile          *file;
  char           *display_name;
  char            delimiter;
  GPtrArray      *header;          /* the header cells, as in the file */
  const CbField **column_fields;   /* per header cell; NULL when unknown */
  int             field_columns[CB_N_FIELDS]; /* per field; -1 when absent */
  GStrv           unknown_columns;
  GPtrArray      *preview;         /* GStrv per row */
  GArray         *preview_lines;   /* guint per row */
  gboolean        ready;           /* inspected and fit to import */

  CbImportReport *report;          /* of the last run */
};

G_DEFINE_FINAL_TYPE (CbImporter, cb_importer, G_TYPE_OBJECT)

G_DEFINE_QUARK (cb-import-error-quark, cb_import_error)

static void
reset (CbImporter *self)
{
  g_clear_object (&self->file);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->header, g_ptr_array_unref);
  g_clear_pointer (&self->column_fields, g_free);
  g_clear_pointer (&self->unknown_columns, g_strfreev);
  g_ptr_array_set_size (self->preview, 0);
  g_array_set_size (self->preview_lines, 0);
  g_clear_pointer (&self->report, cb_import_report_unref);
  self->delimiter = 0;
  self->ready = FALSE;

  for (guint i = 0; i < CB_N_FIELDS; i++)
    self->field_columns[i] = -1;
}

static void
cb_importer_finalize (GObject *object)
{
  CbImporter *self = (CbImporter *)object;

  reset (self);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->preview_lines, g_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cb_importer_parent_class)->finalize (object);
}

static void
cb_importer_class_init (CbImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_importer_finalize;
}

static void
cb_importer_init (CbImporter *self)
{
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->preview_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < CB_N_FIELDS; i++)
    self->field_columns[i] = -1;
}

/**
 * cb_importer_new:
 * @store: where the cases go; the importer uses its connection, so a
 *   worker thread gives it a store of its own
 */
CbImporter *
cb_importer_new (CbCaseStore *store)
{
  CbImporter *self;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), NULL);

  self = g_object_new (CB_TYPE_IMPORTER, NULL);
  self->store = g_object_ref (store);
  return self;
}

CbCaseStore *
cb_importer_get_store (CbImporter *self)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);

  return self->store;
}

/* ------------------------------------------------------------------ */
/* Inspection: the header, the column map and the preview               */
/* ------------------------------------------------------------------ */

static char *
file_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return basename ? g_filename_display_name (basename) : g_file_get_parse_name (file);
}

static CbCsvReader *
open_reader (CbImporter    *self,
             goffset       *size,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (self->file, cancellable, error);

  if (stream == NULL)
    return NULL;

  if (size != NULL)
    {
      g_autoptr(GFileInfo) info =
        g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);

      *size = info != NULL ? g_file_info_get_size (info) : 0;
    }

  return cb_csv_reader_new (G_INPUT_STREAM (stream), self->display_name);
}

/* "case_ref, area, sentence_type, start_date": spelled from the table. */
static char *
list_field_names (gboolean (*wanted) (CbImporter *, const CbField *),
                  CbImporter *self)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);

      if (!wanted (self, field))
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, field->name);
    }

  return g_string_free (names, FALSE);
}

static gboolean
is_required (CbImporter    *self,
             const CbField *field)
{
  return field->required;
}

static gboolean
is_missing (CbImporter    *self,
            const CbField *field)
{
  return field->required && self->field_columns[field->id] < 0;
}

static GPtrArray *
read_header (CbImporter    *self,
             CbCsvReader   *reader,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *required = NULL;
  GPtrArray *cells = NULL;

  if (cb_csv_reader_next (reader, &cells, cancellable, &local_error))
    return cells;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  required = list_field_names (is_required, self);
  g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_NO_HEADER,
               _("%s is empty; its first line must name the columns, such as %s"),
               self->display_name, required);
  return NULL;
}

static void
add_unknown (GStrvBuilder *unknown,
             const char   *header,
             guint         column)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (header));

  if (trimmed[0] != '\0')
    {
      g_strv_builder_add (unknown, header);
      return;
    }

  {
    /* Translators: a column whose header cell is empty; %u counts from 1 */
    g_autofree char *unnamed = g_strdup_printf (_("column %u (no name)"), column + 1);
    g_strv_builder_add (unknown, unnamed);
  }
}

/* Fills the column map; fails when two columns hold one field. */
static gboolean
map_columns (CbImporter  *self,
             GError     **error)
{
  g_autoptr(GStrvBuilder) unknown = g_strv_builder_new ();
  gboolean ok = TRUE;

  self->column_fields = g_new0 (const CbField *, self->header->len);

  for (guint i = 0; i < self->header->len; i++)
    {
      const char *name = g_ptr_array_index (self->header, i);
      const CbField *field = cb_field_lookup (name);

      if (field == NULL)
        {
          add_unknown (unknown, name, i);
          continue;
        }

      if (self->field_columns[field->id] >= 0)
        {
          if (ok)
            g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_DUPLICATE_COLUMN,
                         _("The columns “%s” and “%s” both hold %s; delete one of them and try again"),
                         (const char *) g_ptr_array_index (self->header, self->field_columns[field->id]),
                         name, _(field->label));
          ok = FALSE;
          continue;
        }

      self->field_columns[field->id] = i;
      self->column_fields[i] = field;
    }

  self->unknown_columns = g_strv_builder_end (unknown);
  return ok;
}

static gboolean
check_required_columns (CbImporter  *self,
                        GError     **error)
{
  g_autofree char *missing = list_field_names (is_missing, self);
  guint n_missing = 0;

  if (missing[0] == '\0')
    return TRUE;

  for (guint i = 0; i < CB_N_FIELDS; i++)
    n_missing += is_missing (self, cb_field_get (i));

  g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_MISSING_COLUMNS,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s has no %s column, which every case needs; add it and try again",
                            "%s lacks the columns %s, which every case needs; add them and try again",
                            n_missing),
               self->display_name, missing);
  return FALSE;
}

static gboolean
read_preview (CbImporter    *self,
              CbCsvReader   *reader,
              GCancellable  *cancellable,
              GError       **error)
{
  while (self->preview->len < CB_IMPORTER_PREVIEW_ROWS)
    {
      g_autoptr(GError) local_error = NULL;
      GPtrArray *cells = NULL;
      guint line;

      if (!cb_csv_reader_next (reader, &cells, cancellable, &local_error))
        {
          if (local_error == NULL)
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      line = cb_csv_reader_get_line (reader);
      g_ptr_array_add (cells, NULL);
      g_ptr_array_add (self->preview, g_ptr_array_free (cells, FALSE));
      g_array_append_val (self->preview_lines, line);
    }

  return TRUE;
}

/**
 * cb_importer_inspect:
 * @file: a CSV file in the dictionary's format
 * @cancellable: (nullable): stops the reading
 *
 * Reads the header and the first %CB_IMPORTER_PREVIEW_ROWS rows and maps
 * the columns to fields; writes nothing. When two columns hold one field
 * or a required column is missing, this fails with %CB_IMPORT_ERROR and
 * the map and preview stay readable, so a dialog can show what is wrong.
 *
 * Returns: %TRUE when the file can be imported with cb_importer_run()
 */
gboolean
cb_importer_inspect (CbImporter    *self,
                     GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(CbCsvReader) reader = NULL;
  g_autoptr(GError) map_error = NULL;

  g_return_val_if_fail (CB_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reset (self);
  self->file = g_object_ref (file);
  self->display_name = file_display_name (file);

  if (!(reader = open_reader (self, NULL, cancellable, error)) ||
      !(self->header = read_header (self, reader, cancellable, error)))
    return FALSE;

  self->delimiter = cb_csv_reader_get_delimiter (reader);
  map_columns (self, &map_error);

  if (!read_preview (self, reader, cancellable, error))
    return FALSE;

  if (map_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&map_error));
      return FALSE;
    }

  if (!check_required_columns (self, error))
    return FALSE;

  self->ready = TRUE;
  return TRUE;
}

/**
 * cb_importer_get_file:
 *
 * Returns: (transfer none) (nullable): the file last inspected
 */
GFile *
cb_importer_get_file (CbImporter *self)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);

  return self->file;
}

/* The delimiter found in the header: ',' ';' or TAB; 0 before inspection. */
char
cb_importer_get_delimiter (CbImporter *self)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), 0);

  return self->delimiter;
}

guint
cb_importer_get_n_columns (CbImporter *self)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), 0);

  return self->header != NULL ? self->header->len : 0;
}

/* The header cell of @column, as in the file. */
const char *
cb_importer_get_column_name (CbImporter *self,
                             guint       column)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (column < cb_importer_get_n_columns (self), NULL);

  return g_ptr_array_index (self->header, column);
}

/**
 * cb_importer_get_column_field:
 *
 * Returns: (nullable): the field @column is imported into; %NULL for an
 *   unknown column (and for the second of two columns for one field)
 */
const CbField *
cb_importer_get_column_field (CbImporter *self,
                              guint       column)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (column < cb_importer_get_n_columns (self), NULL);

  return self->column_fields[column];
}

/**
 * cb_importer_get_unknown_columns:
 *
 * Returns: (transfer none) (nullable): the headers that name no field;
 *   their cells are not imported
 */
const char * const *
cb_importer_get_unknown_columns (CbImporter *self)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);

  return (const char * const *) self->unknown_columns;
}

guint
cb_importer_get_n_preview_rows (CbImporter *self)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), 0);

  return self->preview->len;
}

/**
 * cb_importer_get_preview_row:
 * @row: below cb_importer_get_n_preview_rows()
 * @line: (out) (optional): the line of the file where the row starts
 *
 * Returns: (transfer none): the row's cells as in the file, %NULL-ended;
 *   a malformed row may have more or fewer cells than there are columns
 */
const char * const *
cb_importer_get_preview_row (CbImporter *self,
                             guint       row,
                             guint      *line)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (row < self->preview->len, NULL);

  if (line != NULL)
    *line = g_array_index (self->preview_lines, guint, row);

  return g_ptr_array_index (self->preview, row);
}

/* ------------------------------------------------------------------ */
/* The run                                                              */
/* ------------------------------------------------------------------ */

/* Existing row ids met in this file: a bit each, as ids are dense. */
typedef struct
{
  guint8     *bits;
  gint64      n_bits;
  GHashTable *sparse;
} IdSet;

static void
id_set_init (IdSet  *set,
             gint64  max_id)
{
  if (max_id < ID_SET_MAX_BITS)
    {
      set->n_bits = max_id + 1;
      set->bits = g_malloc0 (set->n_bits / 8 + 1);
    }
  else
    set->sparse = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
id_set_clear (IdSet *set)
{
  g_clear_pointer (&set->bits, g_free);
  g_clear_pointer (&set->sparse, g_hash_table_unref);
}

static gboolean
id_set_contains (IdSet  *set,
                 gint64  id)
{
  if (set->sparse != NULL)
    return g_hash_table_contains (set->sparse, &id);

  g_assert (id >= 0 && id < set->n_bits);
  return (set->bits[id / 8] & (1u << (id % 8))) != 0;
}

static void
id_set_add (IdSet  *set,
            gint64  id)
{
  if (set->sparse != NULL)
    g_hash_table_add (set->sparse, g_memdup2 (&id, sizeof id));
  else
    set->bits[id / 8] |= 1u << (id % 8);
}

/* A data row as the reading thread hands it over: the cells, and the
 * values of the mapped columns already parsed. */
typedef struct
{
  char     **cells;                /* one block: cb_csv_reader_next_packed() */
  guint      n_cells;
  guint      line;
  gboolean   blank;
  gboolean   bad_width;
  gboolean   any_failed;
  gboolean   failed[CB_N_FIELDS];
  CbCase    *fresh;                /* the row as a new case */
  CbGapFlags fresh_gaps;
  GPtrArray *errors;               /* CbImportRowError; NULL while none */
  guint      n_value_errors;       /* errors[] before the case's own rules */
} Row;

#define BATCH_ROWS 256
#define N_BATCHES  4

typedef struct
{
  Row      rows[BATCH_ROWS];
  guint    n_rows;
  goffset  bytes_read;
  gboolean last;                   /* no batch follows this one */
  GError  *error;                  /* why the reading stopped early */
} Batch;

typedef struct
{
  CbImporter     *self;
  CbImportFlags   flags;
  CbCsvReader    *reader;
  goffset         size;
  CbImportReport *report;
  GCancellable   *cancellable;

  /* The reading thread fills batches from free_batches and queues them
   * on full_batches; a fixed number of batches keeps memory flat. */
  GAsyncQueue    *free_batches;
  GAsyncQueue    *full_batches;
  gint            stop;            /* atomic: the reading thread must end */

  sqlite3        *db;
  sqlite3_stmt   *find_stmt;
  gint64          max_id_before;
  IdSet           seen_ids;        /* existing cases met in this file */
  GHashTable     *rejected_refs;   /* references of rejected rows */
  GPtrArray      *index_sql;       /* indexes dropped for a bulk load */

  CbProgressFunc  progress;
  gpointer        progress_data;
  double          last_fraction;
} Run;

/* The case is emptied first, as it may borrow values from the cells, and
 * kept for the slot's next row: making and finalising an object a row
 * was a tenth of the reading thread. */
static void
row_clear (Row *row)
{
  if (row->fresh != NULL)
    cb_case_replace_values (row->fresh, 0, NULL, 0);
  g_clear_pointer (&row->errors, g_ptr_array_unref);
  g_clear_pointer (&row->cells, g_free);
}

static void
batch_clear (Batch *batch)
{
  for (guint i = 0; i < batch->n_rows; i++)
    row_clear (&batch->rows[i]);
  batch->n_rows = 0;
  batch->last = FALSE;
  g_clear_error (&batch->error);
}

static void
batch_free (Batch *batch)
{
  batch_clear (batch);
  for (guint i = 0; i < BATCH_ROWS; i++)
    g_clear_object (&batch->rows[i].fresh);
  g_free (batch);
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->reader);
  g_clear_pointer (&run->report, cb_import_report_unref);
  g_clear_pointer (&run->free_batches, g_async_queue_unref);
  g_clear_pointer (&run->full_batches, g_async_queue_unref);
  g_clear_pointer (&run->find_stmt, sqlite3_finalize);
  id_set_clear (&run->seen_ids);
  g_clear_pointer (&run->rejected_refs, g_hash_table_unref);
  g_clear_pointer (&run->index_sql, g_ptr_array_unref);
}

static const char *
cell_of (Run       *run,
         Row       *row,
         CbFieldId  field)
{
  int column = run->self->field_columns[field];

  if (column < 0 || (guint) column >= row->n_cells)
    return NULL;

  return row->cells[column];
}

/* @field is -1 for a problem with the whole row. Called from both
 * threads, each on rows it holds; the column map is only read. */
static void
add_error (Run        *run,
           Row        *row,
           int         field,
           const char *value,
           const char *reason)
{
  const char *column = NULL;

  if (field >= 0 && run->self->field_columns[field] >= 0)
    column = g_ptr_array_index (run->self->header, run->self->field_columns[field]);
  else if (field >= 0)
    column = cb_field_get (field)->name;

  if (row->errors == NULL)
    row->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) _cb_import_row_error_free);
  g_ptr_array_add (row->errors, _cb_import_row_error_new (row->line, column, value, reason));
}

static void
reject (Run        *run,
        Row        *row,
        const char *case_ref)
{
  if (case_ref != NULL)
    g_hash_table_add (run->rejected_refs, g_strdup (case_ref));

  _cb_import_report_reject (run->report, (const char * const *) row->cells, row->n_cells,
                            row->errors);
}

/* Excel leaves rows of empty cells below the data; they carry nothing. */
static gboolean
is_blank (char **cells)
{
  for (guint i = 0; cells[i] != NULL; i++)
    if (cells[i][strspn (cells[i], " \t")] != '\0')
      return FALSE;

  return TRUE;
}

/* Empty cells past the header's width are harmless (spreadsheets write
 * them); anything else means the row is not cut as the header is. */
static gboolean
check_width (Run *run,
             Row *row)
{
  guint width = run->self->header->len;
  guint n = row->n_cells;
  g_autofree char *reason = NULL;

  if (n == width)
    return TRUE;

  if (n > width)
    {
      guint i = width;

      while (i < n && row->cells[i][0] == '\0')
        i++;
      if (i == n)
        return TRUE;
    }

  reason = g_strdup_printf (_("The row has %u values but the header names %u columns; "
                              "check for a comma or line break inside a value without quotes"),
                            n, width);
  add_error (run, row, -1, NULL, reason);
  return FALSE;
}

/* Reads every cell into the row's new case. Values already in canonical
 * form are the cells themselves, and codes and yes/no values the field
 * table's own strings: the case lives no longer than the row's cells. */
static void
parse_cells (Run *run,
             Row *row)
{
  char *values[CB_N_FIELDS] = { NULL, };
  guint64 borrowed_fields = 0;

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);
      const char *raw = cell_of (run, row, i);
      const char *input = raw;
      const char *borrowed;
      g_autoptr(GError) local_error = NULL;

      if (raw == NULL)
        continue;

      /* The spreadsheet guard of exports is undone on text only: a code
       * or a date never carries one. */
      if (field->type == CB_FIELD_TYPE_TEXT)
        input = cb_csv_strip_guard (raw);

      if (!cb_field_parse_borrowing (field, input, &borrowed, &values[i], &local_error))
        {
          row->failed[i] = row->any_failed = TRUE;
          add_error (run, row, i, raw, local_error->message);
        }
      else if (borrowed != NULL)
        {
          values[i] = (char *) borrowed;
          borrowed_fields |= G_GUINT64_CONSTANT (1) << i;
        }
    }

  if (row->fresh == NULL)
    row->fresh = cb_case_new_with_values (0, values, borrowed_fields);
  else
    cb_case_replace_values (row->fresh, 0, values, borrowed_fields);
}

/* The case's own rules: required values and the cross-field checks.
 * While some value did not read, only the empty required values are
 * added: a rule between two fields is judged once both read. */
static void
check_record (Run    *run,
              Row    *row,
              CbCase *record)
{
  g_autoptr(GPtrArray) problems = cb_case_collect_problems (record, FALSE);

  for (guint i = 0; i < problems->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);

      if (row->failed[problem->field])
        continue;
      if (row->any_failed && cb_case_get (record, problem->field) != NULL)
        continue;

      add_error (run, row, problem->field, cell_of (run, row, problem->field), problem->message);
    }
}

/* The row as a case of its own, checked against the rules: what it will
 * be saved as when its reference is new, as most are. Checking it here
 * rather than in the importing thread shares the work between the two. */
static void
check_fresh_case (Run *run,
                  Row *row)
{
  row->n_value_errors = row->errors != NULL ? row->errors->len : 0;
  check_record (run, row, row->fresh);
  row->fresh_gaps = cb_practice_gaps_for_case (row->fresh);
}

/* In the reading thread: everything about a row that needs no database. */
static void
prepare_row (Run *run,
             Row *row)
{
  row->blank = is_blank (row->cells);
  row->any_failed = FALSE;
  memset (row->failed, 0, sizeof row->failed);

  if (row->blank)
    return;

  row->bad_width = !check_width (run, row);
  if (!row->bad_width)
    {
      parse_cells (run, row);
      check_fresh_case (run, row);
    }
}

/* Fills one batch; returns TRUE when it is the last. The batch comes
 * back as the importing thread left it and is emptied here: memory is
 * freed by the thread that allocated it, as glibc is much slower when
 * threads free each other's blocks. */
static gboolean
fill_batch (Run   *run,
            Batch *batch)
{
  batch_clear (batch);

  while (batch->n_rows < BATCH_ROWS && !batch->last)
    {
      char **cells = NULL;
      guint n_cells;
      Row *row;

      if (g_atomic_int_get (&run->stop) ||
          !cb_csv_reader_next_packed (run->reader, &cells, &n_cells,
                                      run->cancellable, &batch->error))
        {
          batch->last = TRUE;
          break;
        }

      row = &batch->rows[batch->n_rows++];
      row->cells = cells;
      row->n_cells = n_cells;
      row->line = cb_csv_reader_get_line (run->reader);
      prepare_row (run, row);
    }

  batch->bytes_read = cb_csv_reader_get_bytes_read (run->reader);
  return batch->last;
}

/* The reading thread: reading and parsing take about as long as the
 * database work, so on two cores the one overlaps the other. */
static gpointer
read_rows (gpointer data)
{
  Run *run = data;
  gboolean last = FALSE;

  while (!last)
    {
      Batch *batch = g_async_queue_pop (run->free_batches);

      last = fill_batch (run, batch);
      g_async_queue_push (run->full_batches, batch);
    }

  return NULL;
}

static void
add_duplicate_error (Run        *run,
                     Row        *row,
                     const char *ref)
{
  g_autofree char *reason =
    g_strdup_printf (_("The case reference “%s” is on an earlier row of this file too; "
                       "keep one row per case"),
                     ref);

  add_error (run, row, CB_FIELD_CASE_REF, cell_of (run, row, CB_FIELD_CASE_REF), reason);
}

/* Most files have no rejected row, and then no reference needs hashing. */
static gboolean
was_rejected (Run        *run,
              const char *ref)
{
  return g_hash_table_size (run->rejected_refs) > 0 &&
         g_hash_table_contains (run->rejected_refs, ref);
}

/* Finds the case's row id, and whether the reference came earlier in
 * this file (then it is a duplicate, rejected). Returns FALSE on a
 * database failure only. */
static gboolean
look_up (Run       *run,
         Row       *row,
         gint64    *id,
         gboolean  *duplicate,
         GError   **error)
{
  const char *ref = cb_case_get (row->fresh, CB_FIELD_CASE_REF);
  int rc;

  *id = 0;
  *duplicate = FALSE;
  if (ref == NULL)
    return TRUE;

  /* Into an empty table no reference can be found; a second row for one
   * case is then caught by the reference's unique index (see save()). */
  if (run->max_id_before == 0)
    {
      if ((*duplicate = was_rejected (run, ref)))
        add_duplicate_error (run, row, ref);
      return TRUE;
    }

  sqlite3_bind_text (run->find_stmt, 1, ref, -1, SQLITE_STATIC);
  rc = sqlite3_step (run->find_stmt);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (run->find_stmt, 0);
  sqlite3_reset (run->find_stmt);
  sqlite3_clear_bindings (run->find_stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cb_sql_set_error (run->db, rc, error);

  *duplicate = was_rejected (run, ref) ||
               *id > run->max_id_before ||
               (*id > 0 && id_set_contains (&run->seen_ids, *id));

  if (*duplicate)
    add_duplicate_error (run, row, ref);

  return TRUE;
}

/* An update: only the columns present in the file are set, as importing
 * a partial extract must not wipe the fields it does not carry (a present
 * but empty cell does set "not recorded"). The rules judged on the row
 * alone give way to the rules judged on the case it becomes. */
static CbCase *
merge_into_stored (Run    *run,
                   Row    *row,
                   CbCase *stored)
{
  CbCase *record = cb_case_copy (stored);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    if (run->self->field_columns[i] >= 0)
      cb_case_set (record, i, cb_case_get (row->fresh, i));

  if (row->errors != NULL)
    g_ptr_array_set_size (row->errors, row->n_value_errors);
  check_record (run, row, record);

  return record;
}

static gboolean
save (Run     *run,
      Row     *row,
      CbCase  *record,
      CbCase  *stored,
      GError **error)
{
  if (stored != NULL)
    {
      id_set_add (&run->seen_ids, cb_case_get_id (stored));
      if (cb_case_equal (stored, record))
        {
          _cb_import_report_count (run->report, CB_IMPORT_OUTCOME_UNCHANGED);
          return TRUE;
        }
    }

  if (!_cb_case_store_write_with_gaps (run->self->store, record,
                                       record == row->fresh ? row->fresh_gaps
                                                            : cb_practice_gaps_for_case (record),
                                       error))
    {
      if (run->max_id_before == 0 &&
          sqlite3_extended_errcode (run->db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_clear_error (error);
          add_duplicate_error (run, row, cb_case_get (record, CB_FIELD_CASE_REF));
          reject (run, row, cb_case_get (record, CB_FIELD_CASE_REF));
          return TRUE;
        }

      g_prefix_error (error, _("%s, line %u: "), run->self->display_name, row->line);
      return FALSE;
    }

  _cb_import_report_count (run->report, stored != NULL ? CB_IMPORT_OUTCOME_UPDATED
                                                       : CB_IMPORT_OUTCOME_ADDED);
  return TRUE;
}

/* In the importing thread: find the case, apply the rules, then save the
 * row or reject it with every reason found. Returns FALSE only when the
 * import cannot go on (a database failure). */
static gboolean
process_row (Run     *run,
             Row     *row,
             GError **error)
{
  g_autoptr(CbCase) stored = NULL;
  g_autoptr(CbCase) record = NULL;
  gint64 id;
  gboolean duplicate;

  if (row->blank)
    return TRUE;

  if (row->bad_width)
    {
      reject (run, row, NULL);
      return TRUE;
    }

  if (!look_up (run, row, &id, &duplicate, error))
    return FALSE;

  if (id > 0 && !duplicate)
    {
      if (!(stored = cb_case_store_get_by_id (run->self->store, id, error)))
        return FALSE;
      record = merge_into_stored (run, row, stored);
    }
  else
    record = g_object_ref (row->fresh);

  if (row->errors != NULL && row->errors->len > 0)
    {
      reject (run, row, cb_case_get (record, CB_FIELD_CASE_REF));
      return TRUE;
    }

  return save (run, row, record, stored, error);
}

static void
tell_progress (Run     *run,
               goffset  bytes_read)
{
  double fraction;

  if (run->progress == NULL || run->size <= 0)
    return;

  fraction = MIN (1.0, (double) bytes_read / run->size);
  if (fraction - run->last_fraction < 0.005)
    return;

  run->last_fraction = fraction;
  run->progress (fraction, run->progress_data);
}

static gboolean
same_header (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;

  return TRUE;
}

/* Opens the file again and checks it still has the inspected header. */
static gboolean
run_open (Run           *run,
          GCancellable  *cancellable,
          GError       **error)
{
  CbImporter *self = run->self;
  g_autoptr(GPtrArray) header = NULL;

  if (!(run->reader = open_reader (self, &run->size, cancellable, error)) ||
      !(header = read_header (self, run->reader, cancellable, error)))
    return FALSE;

  if (!same_header (header, self->header))
    {
      g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FILE_CHANGED,
                   _("%s changed after it was checked; open it again to import it"),
                   self->display_name);
      return FALSE;
    }

  run->report = _cb_import_report_new (self->display_name, self->header,
                                       (const char * const *) self->unknown_columns,
                                       (run->flags & CB_IMPORT_VALIDATE_ONLY) != 0);
  return TRUE;
}

static gint64
max_row_id (sqlite3  *db,
            GError  **error)
{
  gint64 max_id = -1;

  if (!_cb_sql_query_int (db, "SELECT coalesce(max(id), 0) FROM cases", &max_id, error))
    return -1;

  return max_id;
}

/* Connection settings for the length of a run. Statement journals go to
 * memory: each upsert may open one, and on disk that is a file write per
 * row, which tripled the time of a large import. The page cache gets
 * 8 MiB, a fixed bound whatever the size of the file: more made no
 * measurable difference. Both are put back afterwards; the indexes are
 * rebuilt with temporary data in files (see restore_indexes()). */
#define IMPORT_CACHE_SIZE (-8 * 1024)  /* KiB, as PRAGMA cache_size takes it */

typedef struct
{
  int temp_store;
  int cache_size;
} Settings;

static int
get_pragma (sqlite3    *db,
            const char *sql)
{
  gint64 value = 0;

  if (!_cb_sql_query_int (db, sql, &value, NULL))
    return 0;

  return (int) value;
}

static void
set_pragmas (sqlite3 *db,
             int      temp_store,
             int      cache_size)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA temp_store = %d; PRAGMA cache_size = %d",
                                          temp_store, cache_size);

  /* Only speed depends on these, so a failure is not one of the run. */
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_debug ("Cannot set %s: %s", sql, sqlite3_errmsg (db));
}

static void
settings_apply (Settings *saved,
                sqlite3  *db)
{
  saved->temp_store = get_pragma (db, "PRAGMA temp_store");
  saved->cache_size = get_pragma (db, "PRAGMA cache_size");
  set_pragmas (db, 2 /* MEMORY */, IMPORT_CACHE_SIZE);
}

static void
settings_restore (Settings *saved,
                  sqlite3  *db)
{
  set_pragmas (db, saved->temp_store, saved->cache_size);
}

/* A bulk load builds an index faster by one sort at the end than by an
 * insertion per row, so when the file likely holds at least as many rows
 * as the table (BULK_BYTES_PER_ROW is a short row's size), the secondary
 * indexes are dropped inside the transaction and made again before the
 * commit; a rollback brings them back by itself. Their definitions are
 * read from the schema, so the store stays their only author. The unique
 * index on case_ref stays: every row looks it up. */
#define BULK_BYTES_PER_ROW 128

static gboolean
suspend_indexes (Run     *run,
                 GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 n_cases = -1;
  int rc;

  if (!_cb_sql_query_int (run->db, "SELECT count(*) FROM cases", &n_cases, NULL) ||
      n_cases * BULK_BYTES_PER_ROW > run->size)
    return TRUE;

  stmt = _cb_sql_prepare (run->db,
                          "SELECT name, sql FROM sqlite_schema "
                          "WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL",
                          error);
  if (stmt == NULL)
    return FALSE;

  run->index_sql = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (run->index_sql, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _cb_sql_set_error (run->db, rc, error);

  for (guint i = 0; i < names->len; i++)
    {
      char *sql = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) g_ptr_array_index (names, i));

      rc = sqlite3_exec (run->db, sql, NULL, NULL, NULL);
      sqlite3_free (sql);
      if (rc != SQLITE_OK)
        return _cb_sql_set_error (run->db, rc, error);
    }

  return TRUE;
}

static gboolean
restore_indexes (Run     *run,
                 GError **error)
{
  /* The sorter that builds an index takes memory from one block of its
   * own only when its data may go to a file; with temp_store = MEMORY
   * (which the rows want for their statement journals) it allocated
   * every entry on its own, a fifth of the index time. It still sorts
   * in memory up to the cache size, and beyond that spills to a file
   * SQLite makes private and unlinks at once. */
  if (run->index_sql != NULL)
    set_pragmas (run->db, 1 /* FILE */, IMPORT_CACHE_SIZE);

  for (guint i = 0; run->index_sql != NULL && i < run->index_sql->len; i++)
    {
      int rc = sqlite3_exec (run->db, g_ptr_array_index (run->index_sql, i), NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        return _cb_sql_set_error (run->db, rc, error);
    }

  return TRUE;
}

/* Inside the transaction: the state the duplicate check starts from. */
static gboolean
run_prepare (Run     *run,
             GError **error)
{
  run->db = _cb_case_store_get_db (run->self->store);
  run->find_stmt = _cb_sql_prepare (run->db, "SELECT id FROM cases WHERE case_ref = ?", error);
  if (run->find_stmt == NULL)
    return FALSE;

  if ((run->max_id_before = max_row_id (run->db, error)) < 0)
    return FALSE;

  if (!suspend_indexes (run, error))
    return FALSE;

  id_set_init (&run->seen_ids, run->max_id_before);
  run->rejected_refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return TRUE;
}

/* A row an empty table takes as it is: valid, and with a reference no
 * rejected row had. */
static gboolean
is_plain_insert (Run *run,
                 Row *row)
{
  return !row->blank && !row->bad_width &&
         (row->errors == NULL || row->errors->len == 0) &&
         !was_rejected (run, cb_case_get (row->fresh, CB_FIELD_CASE_REF));
}

typedef enum
{
  GROUP_INSERTED,
  GROUP_NOT_PLAIN,    /* some row of it needs the row-by-row path */
  GROUP_FAILED,       /* undone; its rows one by one will say why */
  GROUP_ERROR,        /* the import cannot go on */
} GroupResult;

/* Into an empty table (a first import, the usual bulk load) the next
 * CB_CASE_STORE_INSERT_GROUP rows go in with one statement when all are
 * plain inserts: SQLite's work per statement is a tenth of an import's
 * database thread. A reference twice in the group fails it as a whole;
 * the rows then take the row-by-row path, which names the second row. */
static GroupResult
insert_group (Run     *run,
              Row     *rows,
              guint    n_rows,
              GError **error)
{
  CbCase *records[CB_CASE_STORE_INSERT_GROUP];
  CbGapFlags gaps[CB_CASE_STORE_INSERT_GROUP];
  g_autoptr(GError) local_error = NULL;

  if (run->max_id_before != 0 || n_rows < CB_CASE_STORE_INSERT_GROUP)
    return GROUP_NOT_PLAIN;

  for (guint i = 0; i < CB_CASE_STORE_INSERT_GROUP; i++)
    {
      if (!is_plain_insert (run, &rows[i]))
        return GROUP_NOT_PLAIN;
      records[i] = rows[i].fresh;
      gaps[i] = rows[i].fresh_gaps;
    }

  if (!_cb_case_store_insert_group (run->self->store, records, gaps, &local_error))
    {
      /* Unless SQLite ended the transaction, only the group was undone. */
      if (!sqlite3_get_autocommit (run->db))
        return GROUP_FAILED;

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("%s, lines %u to %u: "), run->self->display_name,
                                  rows[0].line, rows[CB_CASE_STORE_INSERT_GROUP - 1].line);
      return GROUP_ERROR;
    }

  for (guint i = 0; i < CB_CASE_STORE_INSERT_GROUP; i++)
    _cb_import_report_count (run->report, CB_IMPORT_OUTCOME_ADDED);
  return GROUP_INSERTED;
}

/* Saves or rejects the rows ahead, a group or a row at a time; sets
 * @n_done to how many. FALSE with @error when the import cannot go on. */
static gboolean
process_rows (Run     *run,
              Row     *rows,
              guint    n_rows,
              guint   *n_done,
              GError **error)
{
  switch (insert_group (run, rows, n_rows, error))
    {
    case GROUP_INSERTED:
      *n_done = CB_CASE_STORE_INSERT_GROUP;
      return TRUE;

    case GROUP_FAILED:
      /* Row by row for the whole group, not a group again from the next
       * row, which would fail as often as the duplicate stays inside. */
      *n_done = CB_CASE_STORE_INSERT_GROUP;
      for (guint i = 0; i < CB_CASE_STORE_INSERT_GROUP; i++)
        if (!process_row (run, &rows[i], error))
          return FALSE;
      return TRUE;

    case GROUP_NOT_PLAIN:
      *n_done = 1;
      return process_row (run, &rows[0], error);

    case GROUP_ERROR:
    default:
      return FALSE;
    }
}

/* Processes the rows of one batch; FALSE with @error when the import
 * cannot go on. */
static gboolean
process_batch (Run           *run,
               Batch         *batch,
               GCancellable  *cancellable,
               GError       **error)
{
  for (guint i = 0, n_done = 0; i < batch->n_rows; i += n_done)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !process_rows (run, &batch->rows[i], batch->n_rows - i, &n_done, error))
        return FALSE;
    }

  tell_progress (run, batch->bytes_read);

  if (batch->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&batch->error));
      return FALSE;
    }

  return TRUE;
}

/* Runs the reading thread and takes its batches until the last one or a
 * failure; then stops the thread and waits for it. */
static gboolean
run_rows (Run           *run,
          GCancellable  *cancellable,
          GError       **error)
{
  GThread *thread;
  gboolean ok = TRUE;
  gboolean last = FALSE;

  run->cancellable = cancellable;
  run->free_batches = g_async_queue_new_full ((GDestroyNotify) batch_free);
  run->full_batches = g_async_queue_new_full ((GDestroyNotify) batch_free);
  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (run->free_batches, g_new0 (Batch, 1));

  thread = g_thread_new ("casebook-import", read_rows, run);

  while (!last)
    {
      Batch *batch = g_async_queue_pop (run->full_batches);

      last = batch->last;
      if (ok && !process_batch (run, batch, cancellable, error))
        {
          /* Tell the thread to stop, and go on taking its batches until
           * the last, so it never waits for a free one in vain. */
          ok = FALSE;
          g_atomic_int_set (&run->stop, TRUE);
        }

      g_async_queue_push (run->free_batches, batch);
    }

  g_thread_join (thread);
  return ok;
}

/* Commits, or rolls back when nothing is to be saved. Returns FALSE with
 * @error when the import as a whole failed. */
static gboolean
run_finish (Run     *run,
            GError **error)
{
  CbCaseStore *store = run->self->store;
  guint n_rejected = cb_import_report_get_n_rejected (run->report);

  if (run->flags & CB_IMPORT_VALIDATE_ONLY)
    {
      _cb_case_store_rollback (store);
      return TRUE;
    }

  if (n_rejected > 0 && !(run->flags & CB_IMPORT_SKIP_INVALID))
    {
      _cb_case_store_rollback (store);
      g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_ROWS_REJECTED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s: %u row has errors, so nothing was imported; correct it and try again, or import only the valid rows",
                                "%s: %u rows have errors, so nothing was imported; correct them and try again, or import only the valid rows",
                                n_rejected),
                   run->self->display_name, n_rejected);
      return FALSE;
    }

  if (!restore_indexes (run, error))
    {
      _cb_case_store_rollback (store);
      return FALSE;
    }

  if (!_cb_case_store_commit (store, error))
    return FALSE;

  if (cb_import_report_get_n_added (run->report) + cb_import_report_get_n_updated (run->report) > 0)
    cb_case_store_emit_changed (store);

  return TRUE;
}

/**
 * cb_importer_run:
 * @flags: %CB_IMPORT_SKIP_INVALID to save the valid rows when some are
 *   rejected; %CB_IMPORT_VALIDATE_ONLY to check and count without saving
 * @progress: (nullable) (scope call): told the share of the file read; it
 *   may cancel @cancellable
 * @cancellable: (nullable): stops the import, leaving the database as it
 *   was
 *
 * Imports every row of the inspected file in one transaction. A row whose
 * case_ref is in the database updates that case (only in the columns the
 * file has); any other valid row adds a case. Rows that break a rule are
 * rejected with every reason, as are second rows for one case_ref.
 *
 * Without %CB_IMPORT_SKIP_INVALID, one rejected row means nothing is
 * saved: this then fails with %CB_IMPORT_ERROR_ROWS_REJECTED and
 * cb_importer_get_report() lists every error. A file that cannot be read
 * to its end, a database failure and cancellation also save nothing.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL on failure
 */
CbImportReport *
cb_importer_run (CbImporter      *self,
                 CbImportFlags    flags,
                 CbProgressFunc   progress,
                 gpointer         progress_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  Run run = { 0, };
  Settings settings;
  CbImportReport *report = NULL;
  sqlite3 *db;

  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (self->ready, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_clear_pointer (&self->report, cb_import_report_unref);
  run.self = self;
  run.flags = flags;
  run.progress = progress;
  run.progress_data = progress_data;

  if (!run_open (&run, cancellable, error))
    goto out;

  db = _cb_case_store_get_db (self->store);
  settings_apply (&settings, db);

  if (!_cb_case_store_begin (self->store, error))
    goto restore;

  if (!run_prepare (&run, error) ||
      !run_rows (&run, cancellable, error))
    {
      _cb_case_store_rollback (self->store);
      goto restore;
    }

  if (run_finish (&run, error))
    report = cb_import_report_ref (run.report);

  if (progress != NULL)
    progress (1.0, progress_data);

restore:
  settings_restore (&settings, db);
out:
  if (run.report != NULL)
    self->report = cb_import_report_ref (run.report);
  run_clear (&run);
  return report;
}

/**
 * cb_importer_get_report:
 *
 * Returns: (transfer none) (nullable): the report of the last run, also
 *   when it failed: then it covers the rows read before the failure, and
 *   all of them when the run failed because rows were rejected
 */
CbImportReport *
cb_importer_get_report (CbImporter *self)
{
  g_return_val_if_fail (CB_IS_IMPORTER (self), NULL);

  return self->report;
}
