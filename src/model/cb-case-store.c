/* cb-case-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store owns one SQLite connection, used from one thread: a worker
 * thread (import, export) opens a store of its own on the same file. The
 * file is private to its owner (0600 in a 0700 folder), journalled with WAL
 * so a killed process leaves either all of a transaction or none of it.
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb-case-store-private.h"
#include "cb-error.h"
#include "cb-practice-gaps.h"

#define BUSY_TIMEOUT_MS 5000

struct _CbCaseStore
{
  GObject       parent_instance;
  char         *path;
  sqlite3      *db;
  sqlite3_stmt *insert_stmt;
  sqlite3_stmt *insert_group_stmt;
  sqlite3_stmt *update_stmt;
  sqlite3_stmt *by_id_stmt;
  gboolean      read_only;
};

G_DEFINE_FINAL_TYPE (CbCaseStore, cb_case_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cb_case_store_finalize (GObject *object)
{
  CbCaseStore *self = (CbCaseStore *)object;

  g_clear_pointer (&self->insert_stmt, sqlite3_finalize);
  g_clear_pointer (&self->insert_group_stmt, sqlite3_finalize);
  g_clear_pointer (&self->update_stmt, sqlite3_finalize);
  g_clear_pointer (&self->by_id_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cb_case_store_parent_class)->finalize (object);
}

static void
cb_case_store_class_init (CbCaseStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_case_store_finalize;

  /**
   * CbCaseStore::changed:
   *
   * Cases were added, changed or removed through this store.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cb_case_store_init (CbCaseStore *self)
{
}

static char *
data_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "casebook", NULL);
}

char *
cb_case_store_get_default_path (void)
{
  g_autofree char *folder = data_folder ();

  return g_build_filename (folder, "casebook.db", NULL);
}

char *
cb_case_store_get_training_path (void)
{
  g_autofree char *folder = data_folder ();

  return g_build_filename (folder, "training.db", NULL);
}

gboolean
_cb_sql_set_error (sqlite3  *db,
                   int       rc,
                   GError  **error)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CB_ERROR, CB_ERROR_BUSY,
                   _("The database is busy in another program; try again in a moment"));
      break;
    case SQLITE_FULL:
      g_set_error (error, CB_ERROR, CB_ERROR_FULL,
                   _("The disk is full; free some space and try again"));
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, CB_ERROR, CB_ERROR_READ_ONLY,
                   _("The database is read-only; changes cannot be saved"));
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, CB_ERROR, CB_ERROR_DATABASE,
                   _("The file is not a Casebook database or is damaged (%s)"),
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      break;
    default:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, CB_ERROR, CB_ERROR_DUPLICATE,
                     _("The case reference is already used by another case"));
      else
        g_set_error (error, CB_ERROR, CB_ERROR_DATABASE,
                     _("The database reported an error: %s"),
                     db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      break;
    }

  return FALSE;
}

sqlite3_stmt *
_cb_sql_prepare (sqlite3     *db,
                 const char  *sql,
                 GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _cb_sql_set_error (db, rc, error);
      return NULL;
    }

  return stmt;
}

/* Runs @sql, a statement whose first row's first column is an integer,
 * such as a count or a pragma; FALSE with @error when it gives no row. */
gboolean
_cb_sql_query_int (sqlite3     *db,
                   const char  *sql,
                   gint64      *value,
                   GError     **error)
{
  sqlite3_stmt *stmt = _cb_sql_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW || _cb_sql_set_error (db, rc, error);
}

/* Runs @sql, any number of statements that return no rows. */
gboolean
_cb_sql_exec (sqlite3     *db,
              const char  *sql,
              GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || _cb_sql_set_error (db, rc, error);
}

static const char *
sql_type (const CbField *field)
{
  switch (field->type)
    {
    case CB_FIELD_TYPE_CODES:
    case CB_FIELD_TYPE_YES_NO:
    case CB_FIELD_TYPE_INTEGER:
      return "INTEGER";
    case CB_FIELD_TYPE_TEXT:
    case CB_FIELD_TYPE_CODE:
    case CB_FIELD_TYPE_DATE:
    default:
      return "TEXT";
    }
}

/* Version 1: the dictionary's columns plus the practice gaps, which are
 * derived at every write so that filters and counts stay in SQL. Row ids
 * are never reused (AUTOINCREMENT): undoing a delete saves the copy under
 * its old id, which must not by then belong to a newer case. */
static char *
schema_v1 (void)
{
  GString *sql = g_string_new ("CREATE TABLE cases (\n  id INTEGER PRIMARY KEY AUTOINCREMENT");

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);

      g_string_append_printf (sql, ",\n  %s %s%s%s", field->name, sql_type (field),
                              field->required ? " NOT NULL" : "",
                              i == CB_FIELD_CASE_REF ? " UNIQUE" : "");
    }

  g_string_append (sql,
                   ",\n  gaps INTEGER NOT NULL DEFAULT 0"
                   ",\n  gap_count INTEGER NOT NULL DEFAULT 0\n);\n"
                   "CREATE INDEX cases_area ON cases (area);\n"
                   "CREATE INDEX cases_sentence_type ON cases (sentence_type);\n"
                   "CREATE INDEX cases_start_date ON cases (start_date);\n"
                   "CREATE INDEX cases_end_date ON cases (end_date);\n");

  return g_string_free (sql, FALSE);
}

/* Version 2: the Cases page sorts by practice gaps and main substance
 * as often as by date; without an index each such sort read the whole
 * table (65 ms at the national caseload, 5 ms with one). */
static const char schema_v2[] =
  "CREATE INDEX cases_gap_count ON cases (gap_count);\n"
  "CREATE INDEX cases_main_substance ON cases (main_substance);\n";

static int
get_user_version (sqlite3 *db)
{
  gint64 version = -1;

  if (!_cb_sql_query_int (db, "PRAGMA user_version", &version, NULL))
    return -1;

  return (int) version;
}

static gboolean
has_foreign_tables (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema LIMIT 1", -1, &stmt, NULL) == SQLITE_OK)
    found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  return found;
}

static gboolean
migrate_step (sqlite3  *db,
              int       from_version,
              GError  **error)
{
  g_autofree char *sql = NULL;

  switch (from_version)
    {
    case 0:
      if (has_foreign_tables (db))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_DATABASE,
                       _("The file holds another program's database, not Casebook's"));
          return FALSE;
        }
      sql = schema_v1 ();
      return _cb_sql_exec (db, sql, error);

    case 1:
      return _cb_sql_exec (db, schema_v2, error);

    default:
      g_assert_not_reached ();
    }
}

/* Each step runs in one transaction with its version bump, so a failed or
 * interrupted migration leaves the file at the version it had. */
static gboolean
migrate (CbCaseStore  *self,
         GError      **error)
{
  int version = get_user_version (self->db);

  if (version < 0)
    return _cb_sql_set_error (self->db, sqlite3_errcode (self->db), error);

  if (version > CB_SCHEMA_VERSION)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_TOO_NEW,
                   _("The database was written by a newer version of Casebook (schema %d); update Casebook to open it"),
                   version);
      return FALSE;
    }

  if (version < CB_SCHEMA_VERSION && self->read_only)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_READ_ONLY,
                   _("The database needs an upgrade but is read-only; open it once with write access"));
      return FALSE;
    }

  for (; version < CB_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!_cb_sql_exec (self->db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!migrate_step (self->db, version, error) ||
          !_cb_sql_exec (self->db, bump, error) ||
          !_cb_sql_exec (self->db, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}

/* Makes a missing file, private to its owner. Nothing can hold a lock on
 * a file made just now, so closing the descriptor here is harmless. */
static gboolean
create_file (const char  *path,
             GError     **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0 && errno != EEXIST)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot open “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }

  if (fd >= 0)
    close (fd);
  return TRUE;
}

/* The file and, where we make it, its folder are for the owner alone:
 * the cases are health and offending data.
 *
 * An existing file is only looked at by name, never opened here: closing
 * any descriptor of it drops every POSIX lock this process holds on it,
 * the locks SQLite's other connections in this process (the window's, a
 * worker's) rely on. Another program (casebook-cli) would then take itself
 * for the file's last user when it closes, checkpoint and delete the WAL
 * under those connections, and their later commits would be lost. */
static gboolean
prepare_file (const char  *path,
              gboolean    *read_only,
              GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf st;

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR) &&
      g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s”: %s"), folder, g_strerror (saved));
      return FALSE;
    }

  if (!create_file (path, error))
    return FALSE;

  if (g_stat (path, &st) != 0 || access (path, R_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot open “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }

  /* WAL needs to create its side files beside the database. */
  *read_only = access (path, W_OK) != 0 || access (folder, W_OK) != 0;

  if (st.st_uid == getuid () && (st.st_mode & 077) != 0)
    g_chmod (path, st.st_mode & 0700);

  return TRUE;
}

static gboolean
configure (CbCaseStore  *self,
           GError      **error)
{
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, 1);

  if (self->read_only)
    return _cb_sql_exec (self->db, "PRAGMA query_only = ON", error);

  /* WAL keeps readers going while the import thread writes; NORMAL
   * synchronisation is still atomic under a crash in WAL mode. A new
   * file gets pages of 16 KiB (an existing one keeps its size): a bulk
   * import and every full scan then handle a quarter as many pages,
   * which made a national import 10% faster. */
  return _cb_sql_exec (self->db,
                       "PRAGMA page_size = " G_STRINGIFY (CB_CASE_STORE_PAGE_SIZE) ";"
                       "PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = NORMAL;"
                       "PRAGMA foreign_keys = ON;",
                       error);
}

/* SQLite cannot read a WAL database whose folder it cannot write (it must
 * create the -shm file there) unless told that nothing will change the file
 * while it is open. That holds when no one can write the folder's WAL;
 * a -wal left by a crash must still be read, so then open normally. */
static char *
sqlite_target (const char *path,
               gboolean    read_only,
               int        *flags)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *uri = NULL;

  if (!read_only || access (folder, W_OK) == 0 || g_file_test (wal, G_FILE_TEST_EXISTS))
    return g_strdup (path);

  if (!(uri = g_filename_to_uri (path, NULL, NULL)))
    return g_strdup (path);

  *flags |= SQLITE_OPEN_URI;
  return g_strconcat (uri, "?immutable=1", NULL);
}

/**
 * cb_case_store_open:
 * @path: (nullable): the database file, or %NULL for the default one
 *
 * Opens the file, creating it (and its folder) when missing, and brings its
 * schema up to date.
 */
CbCaseStore *
cb_case_store_open (const char  *path,
                    GError     **error)
{
  g_autoptr(CbCaseStore) self = g_object_new (CB_TYPE_CASE_STORE, NULL);
  g_autofree char *target = NULL;
  int flags;
  int rc;

  self->path = path ? g_strdup (path) : cb_case_store_get_default_path ();

  if (!prepare_file (self->path, &self->read_only, error))
    return NULL;

  flags = self->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  target = sqlite_target (self->path, self->read_only, &flags);
  rc = sqlite3_open_v2 (target, &self->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _cb_sql_set_error (self->db, rc, error);
      g_prefix_error (error, _("Cannot open “%s”: "), self->path);
      return NULL;
    }

  if (!configure (self, error) || !migrate (self, error))
    {
      g_prefix_error (error, _("Cannot open “%s”: "), self->path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
cb_case_store_get_path (CbCaseStore *self)
{
  g_return_val_if_fail (CB_IS_CASE_STORE (self), NULL);

  return self->path;
}

gboolean
cb_case_store_is_read_only (CbCaseStore *self)
{
  g_return_val_if_fail (CB_IS_CASE_STORE (self), TRUE);

  return self->read_only;
}

sqlite3 *
_cb_case_store_get_db (CbCaseStore *self)
{
  g_return_val_if_fail (CB_IS_CASE_STORE (self), NULL);

  return self->db;
}

void
cb_case_store_emit_changed (CbCaseStore *self)
{
  g_return_if_fail (CB_IS_CASE_STORE (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

gint64
cb_case_store_count (CbCaseStore *self)
{
  gint64 count = 0;

  g_return_val_if_fail (CB_IS_CASE_STORE (self), 0);

  if (!_cb_sql_query_int (self->db, "SELECT count(*) FROM cases", &count, NULL))
    return 0;

  return count;
}

const char *
_cb_case_store_select_columns (void)
{
  static gsize columns;

  if (g_once_init_enter (&columns))
    {
      GString *list = g_string_new ("id");

      for (guint i = 0; i < CB_N_FIELDS; i++)
        g_string_append_printf (list, ", %s", cb_field_get (i)->name);
      g_once_init_leave (&columns, (gsize) g_string_free (list, FALSE));
    }

  return (const char *) columns;
}

/* A column's value in canonical form. A code, a set of one code, and
 * yes or no come back as the field table's own string, in *@borrowed;
 * anything else as a new string. */
static char *
read_value (sqlite3_stmt  *stmt,
            int            column,
            const CbField *field,
            gboolean      *borrowed)
{
  *borrowed = FALSE;
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  switch (field->type)
    {
    case CB_FIELD_TYPE_CODES:
      {
        guint64 mask = sqlite3_column_int64 (stmt, column);
        const char *code = cb_field_mask_to_single_code (field, mask);

        *borrowed = code != NULL;
        return code != NULL ? (char *) code : cb_field_mask_to_codes (field, mask);
      }
    case CB_FIELD_TYPE_YES_NO:
      *borrowed = TRUE;
      return (char *) cb_field_yes_no_text (sqlite3_column_int (stmt, column) != 0);
    case CB_FIELD_TYPE_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
    case CB_FIELD_TYPE_TEXT:
    case CB_FIELD_TYPE_CODE:
    case CB_FIELD_TYPE_DATE:
    default:
      return g_strdup ((const char *) sqlite3_column_text (stmt, column));
    }
}

/* Reads a row selected with _cb_case_store_select_columns(). */
CbCase *
_cb_case_store_read_row (sqlite3_stmt *stmt)
{
  char *values[CB_N_FIELDS];
  guint64 borrowed_fields = 0;

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      gboolean borrowed;

      values[i] = read_value (stmt, i + 1, cb_field_get (i), &borrowed);
      if (borrowed)
        borrowed_fields |= G_GUINT64_CONSTANT (1) << i;
    }

  return cb_case_new_with_values (sqlite3_column_int64 (stmt, 0), values, borrowed_fields);
}

static void
bind_value (sqlite3_stmt  *stmt,
            int            index,
            CbCase        *record,
            const CbField *field)
{
  const char *value = cb_case_get (record, field->id);

  if (value == NULL)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }

  switch (field->type)
    {
    case CB_FIELD_TYPE_CODES:
      /* Worked out once per case: the practice gaps asked for it too. */
      sqlite3_bind_int64 (stmt, index, cb_case_get_mask (record, field->id));
      break;
    case CB_FIELD_TYPE_YES_NO:
      sqlite3_bind_int (stmt, index, g_str_equal (value, "yes"));
      break;
    case CB_FIELD_TYPE_INTEGER:
      sqlite3_bind_int64 (stmt, index, g_ascii_strtoll (value, NULL, 10));
      break;
    case CB_FIELD_TYPE_TEXT:
    case CB_FIELD_TYPE_CODE:
    case CB_FIELD_TYPE_DATE:
    default:
      sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
      break;
    }
}

/* The writing statements number a record's parameters alike: ?1 the row
 * id, then the dictionary's columns in table order, then the two derived
 * gap columns. A statement inserting several records gives each the next
 * PARAMS_PER_RECORD. */
#define PARAMS_PER_RECORD (CB_N_FIELDS + 3)

static char *
insert_rows_sql (guint n_rows)
{
  GString *sql = g_string_new ("INSERT INTO cases (");

  g_string_append (sql, _cb_case_store_select_columns ());
  g_string_append (sql, ", gaps, gap_count) VALUES ");
  for (guint row = 0; row < n_rows; row++)
    for (guint i = 0; i < PARAMS_PER_RECORD; i++)
      g_string_append_printf (sql, "%s?%u%s",
                              i == 0 ? (row == 0 ? "(" : ", (") : ", ",
                              row * PARAMS_PER_RECORD + i + 1,
                              i + 1 == PARAMS_PER_RECORD ? ")" : "");

  return g_string_free (sql, FALSE);
}

static char *
insert_sql (void)
{
  return insert_rows_sql (1);
}

static char *
insert_group_sql (void)
{
  return insert_rows_sql (CB_CASE_STORE_INSERT_GROUP);
}

static char *
update_sql (void)
{
  GString *sql = g_string_new ("UPDATE cases SET ");

  for (guint i = 0; i < CB_N_FIELDS; i++)
    g_string_append_printf (sql, "%s = ?%u, ", cb_field_get (i)->name, i + 2);
  g_string_append_printf (sql, "gaps = ?%u, gap_count = ?%u WHERE id = ?1",
                          CB_N_FIELDS + 2, CB_N_FIELDS + 3);

  return g_string_free (sql, FALSE);
}

static sqlite3_stmt *
writing_stmt (CbCaseStore   *self,
              sqlite3_stmt **cached,
              char         *(*make_sql) (void),
              GError       **error)
{
  if (*cached == NULL)
    {
      g_autofree char *sql = make_sql ();

      *cached = _cb_sql_prepare (self->db, sql, error);
    }

  return *cached;
}

/* The record's strings are bound without a copy: they outlive the step,
 * and every parameter is bound afresh before the next one. @first is the
 * number of the record's first parameter. */
static void
bind_record (sqlite3_stmt *stmt,
             int           first,
             CbCase       *record,
             CbGapFlags    gaps)
{
  if (cb_case_get_id (record) > 0)
    sqlite3_bind_int64 (stmt, first, cb_case_get_id (record));
  else
    sqlite3_bind_null (stmt, first);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    bind_value (stmt, first + 1 + i, record, cb_field_get (i));

  sqlite3_bind_int (stmt, first + CB_N_FIELDS + 1, gaps);
  sqlite3_bind_int (stmt, first + CB_N_FIELDS + 2, cb_practice_gaps_count (gaps));
}

static gboolean
step_done (CbCaseStore   *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || _cb_sql_set_error (self->db, rc, error);
}

/* Inserts or updates one valid record, inside the caller's transaction.
 * A new record (id 0) gets its row id back. A record with an id that is
 * no longer in the table (a deleted case brought back by Undo) is
 * inserted under that same id. Separate INSERT and UPDATE statements,
 * rather than one upsert, keep an import's per-row path as short as
 * SQLite allows: no conflict target to probe, nothing to return.
 * @gaps are the record's practice gaps: an importer works them out in
 * its reading thread, off the path that holds the write lock. */
gboolean
_cb_case_store_write_with_gaps (CbCaseStore  *self,
                                CbCase       *record,
                                CbGapFlags    gaps,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  if (self->read_only)
    return _cb_sql_set_error (self->db, SQLITE_READONLY, error);

  if (cb_case_get_id (record) > 0)
    {
      if (!(stmt = writing_stmt (self, &self->update_stmt, update_sql, error)))
        return FALSE;
      bind_record (stmt, 1, record, gaps);
      if (!step_done (self, stmt, error))
        return FALSE;
      if (sqlite3_changes (self->db) > 0)
        return TRUE;
    }

  if (!(stmt = writing_stmt (self, &self->insert_stmt, insert_sql, error)))
    return FALSE;
  bind_record (stmt, 1, record, gaps);
  if (!step_done (self, stmt, error))
    return FALSE;

  cb_case_set_id (record, sqlite3_last_insert_rowid (self->db));
  return TRUE;
}

/* Inserts CB_CASE_STORE_INSERT_GROUP new records (each with id 0) in one
 * statement, inside the caller's transaction: a bulk load then pays
 * SQLite's work per statement (AUTOINCREMENT reads and rewrites its
 * sequence each time) once per group instead of once per row. All of
 * them are inserted, or on failure none: the statement is undone, and
 * the transaction goes on unless SQLite itself rolled it back (see
 * sqlite3_get_autocommit()). Each record gets its row id back: AUTOINCREMENT
 * numbers the rows of one statement one after another. */
gboolean
_cb_case_store_insert_group (CbCaseStore       *self,
                             CbCase           **records,
                             const CbGapFlags  *gaps,
                             GError           **error)
{
  sqlite3_stmt *stmt;
  gint64 last_id;

  if (self->read_only)
    return _cb_sql_set_error (self->db, SQLITE_READONLY, error);

  if (!(stmt = writing_stmt (self, &self->insert_group_stmt, insert_group_sql, error)))
    return FALSE;

  for (guint i = 0; i < CB_CASE_STORE_INSERT_GROUP; i++)
    {
      g_return_val_if_fail (cb_case_get_id (records[i]) == 0, FALSE);
      bind_record (stmt, 1 + i * PARAMS_PER_RECORD, records[i], gaps[i]);
    }

  if (!step_done (self, stmt, error))
    return FALSE;

  last_id = sqlite3_last_insert_rowid (self->db);
  for (guint i = 0; i < CB_CASE_STORE_INSERT_GROUP; i++)
    cb_case_set_id (records[i], last_id - (CB_CASE_STORE_INSERT_GROUP - 1) + i);
  return TRUE;
}

gboolean
_cb_case_store_write (CbCaseStore  *self,
                      CbCase       *record,
                      GError      **error)
{
  return _cb_case_store_write_with_gaps (self, record, cb_practice_gaps_for_case (record), error);
}

gboolean
_cb_case_store_begin (CbCaseStore  *self,
                      GError      **error)
{
  if (self->read_only)
    return _cb_sql_set_error (self->db, SQLITE_READONLY, error);

  return _cb_sql_exec (self->db, "BEGIN IMMEDIATE", error);
}

gboolean
_cb_case_store_commit (CbCaseStore  *self,
                       GError      **error)
{
  if (_cb_sql_exec (self->db, "COMMIT", error))
    return TRUE;

  _cb_case_store_rollback (self);
  return FALSE;
}

void
_cb_case_store_rollback (CbCaseStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* A rolled-back insert gave its record a row id that was never kept; left
 * there, a second save would write over whichever case takes that id. */
static void
restore_ids (GPtrArray *records,
             GArray    *ids)
{
  for (guint i = 0; i < records->len; i++)
    cb_case_set_id (g_ptr_array_index (records, i), g_array_index (ids, gint64, i));
}

/**
 * cb_case_store_save_all:
 * @records: (element-type CbCase): cases to insert or update
 *
 * Saves every record or, when any fails, none of them.
 */
gboolean
cb_case_store_save_all (CbCaseStore  *self,
                        GPtrArray    *records,
                        GError      **error)
{
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (CB_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (records->len == 0)
    return TRUE;

  for (guint i = 0; i < records->len; i++)
    if (!cb_case_validate (g_ptr_array_index (records, i), error))
      return FALSE;

  if (!_cb_case_store_begin (self, error))
    return FALSE;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), records->len);
  for (guint i = 0; i < records->len; i++)
    {
      gint64 id = cb_case_get_id (g_ptr_array_index (records, i));
      g_array_append_val (ids, id);
    }

  for (guint i = 0; i < records->len; i++)
    {
      CbCase *record = g_ptr_array_index (records, i);

      if (!_cb_case_store_write (self, record, error))
        {
          g_prefix_error (error, "%s: ", cb_case_get (record, CB_FIELD_CASE_REF));
          _cb_case_store_rollback (self);
          restore_ids (records, ids);
          return FALSE;
        }
    }

  if (!_cb_case_store_commit (self, error))
    {
      restore_ids (records, ids);
      return FALSE;
    }

  cb_case_store_emit_changed (self);
  return TRUE;
}

gboolean
cb_case_store_save (CbCaseStore  *self,
                    CbCase       *record,
                    GError      **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  g_return_val_if_fail (CB_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (CB_IS_CASE (record), FALSE);

  g_ptr_array_add (records, record);
  return cb_case_store_save_all (self, records, error);
}

gboolean
cb_case_store_delete (CbCaseStore  *self,
                      gint64        id,
                      GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_CASE_STORE (self), FALSE);

  if (self->read_only)
    return _cb_sql_set_error (self->db, SQLITE_READONLY, error);

  if (!(stmt = _cb_sql_prepare (self->db, "DELETE FROM cases WHERE id = ?", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return _cb_sql_set_error (self->db, rc, error);

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND,
                   _("The case no longer exists"));
      return FALSE;
    }

  cb_case_store_emit_changed (self);
  return TRUE;
}

static CbCase *
get_one (CbCaseStore   *self,
         sqlite3_stmt  *stmt,
         GError       **error)
{
  int rc = sqlite3_step (stmt);
  CbCase *record = NULL;

  if (rc == SQLITE_ROW)
    record = _cb_case_store_read_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("No such case"));
  else
    _cb_sql_set_error (self->db, rc, error);

  sqlite3_reset (stmt);
  return record;
}

CbCase *
cb_case_store_get_by_id (CbCaseStore  *self,
                         gint64        id,
                         GError      **error)
{
  g_return_val_if_fail (CB_IS_CASE_STORE (self), NULL);

  if (self->by_id_stmt == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM cases WHERE id = ?",
                                              _cb_case_store_select_columns ());

      if (!(self->by_id_stmt = _cb_sql_prepare (self->db, sql, error)))
        return NULL;
    }

  sqlite3_bind_int64 (self->by_id_stmt, 1, id);
  return get_one (self, self->by_id_stmt, error);
}

CbCase *
cb_case_store_get_by_ref (CbCaseStore  *self,
                          const char   *case_ref,
                          GError      **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  CbCase *record;

  g_return_val_if_fail (CB_IS_CASE_STORE (self), NULL);
  g_return_val_if_fail (case_ref != NULL, NULL);

  sql = g_strdup_printf ("SELECT %s FROM cases WHERE case_ref = ?",
                         _cb_case_store_select_columns ());
  if (!(stmt = _cb_sql_prepare (self->db, sql, error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, case_ref, -1, SQLITE_TRANSIENT);
  record = get_one (self, stmt, error);
  sqlite3_finalize (stmt);

  return record;
}

gint64
_cb_case_store_find_id (CbCaseStore *self,
                        const char  *case_ref)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  stmt = _cb_sql_prepare (self->db, "SELECT id FROM cases WHERE case_ref = ?", NULL);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, case_ref, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return id;
}

/**
 * cb_case_store_list_areas:
 *
 * Returns: (transfer full): the distinct areas of the cases, sorted
 */
GStrv
cb_case_store_list_areas (CbCaseStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CB_IS_CASE_STORE (self), NULL);

  stmt = _cb_sql_prepare (self->db,
                          "SELECT DISTINCT area FROM cases ORDER BY area COLLATE NOCASE",
                          NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return g_strv_builder_end (builder);
}
