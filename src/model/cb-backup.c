/* cb-backup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups use SQLite's online backup API rather than copying the file: a
 * plain copy of a WAL database taken while the application writes can miss
 * the pages still in the -wal file, or catch a transaction half written.
 *
 * A backup holds a read transaction on its source for the whole copy, so
 * the copy is one consistent snapshot even though it is made in steps; in
 * WAL mode other connections go on writing meanwhile (without the held
 * snapshot, every write by another connection would restart the copy).
 *
 * The copy is written to a private temporary file beside the target (a
 * CbTempFile) and renamed into place only when complete, so a failed or
 * cancelled backup never leaves a partial file under the name the user
 * chose, and the next backup to that name sweeps up what a killed one left.
 * The sweep knows the temporary file's own name only, so SQLite must not
 * create files of its own beside it: see write_copy().
 */
#define G_LOG_DOMAIN "casebook-backup"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cb-backup.h"
#include "cb-case-store-private.h"
#include "cb-error.h"
#include "cb-temp-file.h"

/* 256 KiB a step: small enough to notice a Cancel at once and to report
 * progress smoothly, big enough that a 40 MB database takes a few hundred
 * steps. */
#define BYTES_PER_STEP (256 * 1024)

/* How long a step waits for a lock before it gives up, in 10 ms naps. */
#define MAX_BUSY_NAPS 500

static gboolean
is_same_file (const char *a,
              const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* A folder we make holds health data: only its owner may look inside.
 * A folder the user already has (say, Documents) is left as it is. */
static gboolean
ensure_folder (const char  *folder,
               GError     **error)
{
  if (g_file_test (folder, G_FILE_TEST_IS_DIR))
    return TRUE;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s”: %s; choose another folder"),
                   folder, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/* Steps are counted in pages, whose size depends on the file. */
static int
pages_per_step (sqlite3 *source)
{
  gint64 page_size = 0;

  if (!_cb_sql_query_int (source, "PRAGMA page_size", &page_size, NULL) || page_size <= 0)
    return 64;

  return MAX (1, BYTES_PER_STEP / page_size);
}

/* Copies every page of @source into @dest in steps, between which the
 * source's other connections keep working. The destination is written in
 * one transaction, which SQLite rolls back when the copy does not finish. */
static gboolean
copy_pages (sqlite3         *dest,
            sqlite3         *source,
            CbProgressFunc   progress,
            gpointer         progress_data,
            GCancellable    *cancellable,
            GError         **error)
{
  sqlite3_backup *backup;
  int step_pages = pages_per_step (source);
  guint naps = 0;
  int rc;

  backup = sqlite3_backup_init (dest, "main", source, "main");
  if (backup == NULL)
    return _cb_sql_set_error (dest, sqlite3_errcode (dest), error);

  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_backup_finish (backup);
          return FALSE;
        }

      rc = sqlite3_backup_step (backup, step_pages);

      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++naps < MAX_BUSY_NAPS)
        {
          g_usleep (10 * G_TIME_SPAN_MILLISECOND);
          rc = SQLITE_OK;
          continue;
        }

      if (progress != NULL && (rc == SQLITE_OK || rc == SQLITE_DONE))
        {
          int total = sqlite3_backup_pagecount (backup);
          int left = sqlite3_backup_remaining (backup);

          progress (total > 0 ? (double) (total - left) / total : 1.0, progress_data);
        }
    }
  while (rc == SQLITE_OK);

  sqlite3_backup_finish (backup);

  /* sqlite3_backup_finish() leaves the step's error message on the
   * destination connection, whichever side failed. */
  if (rc != SQLITE_DONE)
    return _cb_sql_set_error (dest, rc, error);

  return TRUE;
}

/* Offset of the two file format version bytes in a database header: 1
 * for a rollback journal, 2 for WAL (https://sqlite.org/fileformat2.html). */
#define HEADER_FORMAT_VERSIONS_OFFSET 18

/* The copy takes its header from the source, so a copy of a WAL database
 * says WAL too. PRAGMA journal_mode = DELETE would undo that only by first
 * opening the WAL, which creates -wal and -shm files beside the temporary
 * one; writing the two bytes, with no connection open, is what that pragma
 * does in the end, since the copy itself never went through a WAL. */
static gboolean
set_rollback_journal_mode (int      fd,
                           GError **error)
{
  static const guint8 rollback[2] = { 1, 1 };

  if (pwrite (fd, rollback, sizeof rollback, HEADER_FORMAT_VERSIONS_OFFSET) != sizeof rollback)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s", g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/* The backup is a single self-contained file in rollback-journal mode: no
 * -wal beside it to lose when it is copied to a USB stick, and readable
 * from a folder that cannot be written.
 *
 * Nothing but @temp itself is ever created on disk. The journal is kept in
 * memory: it could only roll back a file that is thrown away when the copy
 * fails, and on disk a killed backup would leave `.NAME-XXXXXX-journal`,
 * which no sweep would ever remove. */
static gboolean
write_copy (sqlite3         *source,
            CbTempFile      *temp,
            CbProgressFunc   progress,
            gpointer         progress_data,
            GCancellable    *cancellable,
            GError         **error)
{
  sqlite3 *dest = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (cb_temp_file_get_path (temp), &dest,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                        NULL);
  if (rc != SQLITE_OK)
    ok = _cb_sql_set_error (dest, rc, error);
  else
    ok = _cb_sql_exec (dest, "PRAGMA journal_mode = MEMORY", error) &&
         copy_pages (dest, source, progress, progress_data, cancellable, error);

  sqlite3_close (dest);

  return ok && set_rollback_journal_mode (cb_temp_file_get_fd (temp), error);
}

/**
 * cb_backup_save:
 * @store: the database to copy, with a connection of the calling thread
 * @dest_path: where the backup goes; an existing file there is replaced
 *
 * Writes a consistent copy of @store to @dest_path, in steps so that
 * @cancellable and @progress work and other connections (the application,
 * when this runs in a worker thread) keep reading and writing. The file is
 * private to its owner (0600); a folder made for it is too (0700).
 */
gboolean
cb_backup_save (CbCaseStore     *store,
                const char      *dest_path,
                CbProgressFunc   progress,
                gpointer         progress_data,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CbTempFile) temp = NULL;
  sqlite3 *source;
  g_autofree char *folder = NULL;
  gboolean snapshot;
  gboolean ok;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = _cb_case_store_get_db (store);

  if (is_same_file (cb_case_store_get_path (store), dest_path))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("“%s” is the database itself; choose another file for the backup"),
                   dest_path);
      return FALSE;
    }

  folder = g_path_get_dirname (dest_path);
  if (!ensure_folder (folder, error) ||
      !(temp = cb_temp_file_new_beside (dest_path, CB_TEMP_FILE_MODE_PRIVATE, error)))
    return FALSE;

  /* Hold one snapshot for all the steps (see the top of the file); a
   * caller already inside a transaction has its own. */
  snapshot = sqlite3_get_autocommit (source) &&
             _cb_sql_exec (source, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL);

  ok = write_copy (source, temp, progress, progress_data, cancellable, &local_error);

  if (snapshot)
    sqlite3_exec (source, "COMMIT", NULL, NULL, NULL);

  /* On failure the temporary file goes with @temp. */
  if (!ok)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&local_error, _("Could not save the backup “%s”: "), dest_path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Its errors name the file already. */
  return cb_temp_file_commit (temp, error);
}

/* SQLite reads a file shorter than its header says as if the missing pages
 * were blank, and integrity_check does not always notice when whole
 * trailing pages are gone. Pages still in a -wal beside the file may
 * legitimately lie past its end, so check only without one. */
static gboolean
is_truncated (sqlite3    *db,
              const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gint64 expected = -1;
  GStatBuf st;

  if (g_file_test (wal, G_FILE_TEST_EXISTS) || g_stat (path, &st) != 0)
    return FALSE;

  if (!_cb_sql_query_int (db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                          &expected, NULL))
    return FALSE;

  return expected > st.st_size;
}

static gboolean
passes_integrity_check (sqlite3  *db,
                        GError  **error)
{
  sqlite3_stmt *stmt = _cb_sql_prepare (db, "PRAGMA integrity_check(1)", error);
  gboolean ok;
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  ok = rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  if (rc != SQLITE_ROW)
    _cb_sql_set_error (db, rc, error);
  else if (!ok)
    g_set_error (error, CB_ERROR, CB_ERROR_DATABASE, _("the file is damaged"));
  sqlite3_finalize (stmt);

  return ok;
}

/* Opens a would-be backup read-only and makes sure restoring it would give
 * a database this build can use; %NULL with the reason otherwise. */
static sqlite3 *
open_checked (const char  *path,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db = NULL;
  gint64 version = -1;
  gint64 tables = 0;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” is not a file that can be read; choose a backup file"), path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    sqlite3_extended_result_codes (db, 1);

  if (rc != SQLITE_OK ||
      !passes_integrity_check (db, &local_error) ||
      is_truncated (db, path))
    {
      g_debug ("%s fails the check: %s", path,
               local_error ? local_error->message : "shorter than its header says");
      g_set_error (error, CB_ERROR, CB_ERROR_DATABASE,
                   _("“%s” is not a Casebook backup, or it is damaged or incomplete; "
                     "choose another backup file"),
                   path);
      sqlite3_close (db);
      return NULL;
    }

  if (!_cb_sql_query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'cases'",
                  &tables, NULL) ||
      tables != 1 ||
      !_cb_sql_query_int (db, "PRAGMA user_version", &version, NULL) ||
      version < 1)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("“%s” is a database but not a Casebook backup; choose another backup file"),
                   path);
      sqlite3_close (db);
      return NULL;
    }

  if (version > CB_SCHEMA_VERSION)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_TOO_NEW,
                   _("“%s” was made by a newer version of Casebook (schema %d); "
                     "update Casebook to restore it"),
                   path, (int) version);
      sqlite3_close (db);
      return NULL;
    }

  return db;
}

/**
 * cb_backup_check:
 * @backup_path: a file the user chose to restore
 *
 * Whether restoring @backup_path would give a database this build can
 * open: a readable SQLite file that passes `PRAGMA integrity_check`, holds
 * the cases table and was not written by a newer Casebook.
 */
gboolean
cb_backup_check (const char  *backup_path,
                 GError     **error)
{
  sqlite3 *db;

  g_return_val_if_fail (backup_path != NULL, FALSE);

  db = open_checked (backup_path, error);
  sqlite3_close (db);

  return db != NULL;
}

/**
 * cb_backup_kept_path:
 * @db_path: the live database
 * @when: (nullable): the time to name it by; now when %NULL
 *
 * Where a restore keeps the database it replaces: beside it, named
 * `casebook.db.replaced-YYYYMMDD-HHMMSS`, with `-2`, `-3`… added should
 * that name be taken already.
 */
char *
cb_backup_kept_path (const char *db_path,
                     GDateTime  *when)
{
  g_autoptr(GDateTime) now = when ? g_date_time_ref (when) : g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *base = g_strdup_printf ("%s.replaced-%s", db_path, stamp);
  char *path = g_strdup (base);

  g_return_val_if_fail (db_path != NULL, NULL);

  for (guint n = 2; g_file_test (path, G_FILE_TEST_EXISTS); n++)
    {
      g_free (path);
      path = g_strdup_printf ("%s-%u", base, n);
    }

  return path;
}

/* A restore killed while it saved the replaced database leaves that
 * copy's temporary file, `.casebook.db.replaced-TIME-XXXXXX`. The sweep of
 * cb_temp_file_new_beside() looks only for leftovers of the very name
 * being written, and no later restore uses that time again, so look for
 * them by their pattern here; CbTempFile's own rules decide (stale,
 * unlocked, ours). */
static void
sweep_kept_leftovers (const char *db_path)
{
  g_autofree char *folder = g_path_get_dirname (db_path);
  g_autofree char *base = g_path_get_basename (db_path);
  g_autofree char *prefix = g_strdup_printf (".%s.replaced-", base);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      const char *dash = strrchr (name, '-');
      g_autofree char *target_name = NULL;
      g_autofree char *target = NULL;

      if (!g_str_has_prefix (name, prefix) || dash == NULL)
        continue;

      /* Without the leading dot and the random part: the kept path. */
      target_name = g_strndup (name + 1, dash - (name + 1));
      target = g_build_filename (folder, target_name, NULL);
      if (cb_temp_file_is_own_name (target, name))
        cb_temp_file_sweep_stale (target);
    }
}

/* WAL cannot change its page size, and the backup API copies pages as
 * they are. A backup whose pages differ from the live file's (one taken
 * before new databases moved to 16 KiB pages, or of a file another tool
 * made) is rewritten first, with the live size, by VACUUM INTO a private
 * file beside the live one: *@backup then reads that copy, which
 * *@converted removes when freed. */
static gboolean
match_page_size (sqlite3      *live,
                 const char   *live_path,
                 sqlite3     **backup,
                 CbTempFile  **converted,
                 GError      **error)
{
  g_autoptr(CbTempFile) temp = NULL;
  gint64 live_size = 0, backup_size = 0;
  sqlite3 *copy = NULL;
  char *sql;
  gboolean vacuumed;
  int rc;

  if (!_cb_sql_query_int (live, "PRAGMA page_size", &live_size, error) ||
      !_cb_sql_query_int (*backup, "PRAGMA page_size", &backup_size, error))
    return FALSE;

  if (live_size == backup_size)
    return TRUE;

  if (!(temp = cb_temp_file_new_beside (live_path, CB_TEMP_FILE_MODE_PRIVATE, error)))
    return FALSE;

  sql = sqlite3_mprintf ("PRAGMA page_size = %lld; VACUUM INTO %Q",
                         (long long) live_size, cb_temp_file_get_path (temp));
  vacuumed = _cb_sql_exec (*backup, sql, error);
  sqlite3_free (sql);
  if (!vacuumed)
    return FALSE;

  rc = sqlite3_open_v2 (cb_temp_file_get_path (temp), &copy,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _cb_sql_set_error (copy, rc, error);
      sqlite3_close (copy);
      return FALSE;
    }

  sqlite3_close (*backup);
  *backup = copy;
  *converted = g_steal_pointer (&temp);
  return TRUE;
}

/**
 * cb_backup_restore:
 * @store: the live database, with a connection of the calling thread
 * @backup_path: the backup to put in its place
 * @kept_path: (nullable): where to keep the replaced database; from
 *   cb_backup_kept_path() when %NULL
 *
 * Checks the backup (as cb_backup_check() does), saves the current
 * database aside as @kept_path, then replaces the contents of the live
 * database with the backup's in one transaction: if anything fails the live
 * database is as it was. The caller then reopens its stores, which brings an
 * older backup's schema up to date.
 *
 * Returns: (transfer full): the path of the kept copy, or %NULL on failure
 */
char *
cb_backup_restore (CbCaseStore   *store,
                   const char    *backup_path,
                   const char    *kept_path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *live_path;
  g_autofree char *kept = NULL;
  g_autoptr(CbTempFile) converted = NULL;
  sqlite3 *backup;
  gboolean ok;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), NULL);
  g_return_val_if_fail (backup_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  live_path = cb_case_store_get_path (store);

  if (is_same_file (live_path, backup_path))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("“%s” is the database in use; choose a backup file"), backup_path);
      return NULL;
    }

  if (cb_case_store_is_read_only (store))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_READ_ONLY,
                   _("“%s” is read-only, so the backup cannot replace it"), live_path);
      return NULL;
    }

  kept = kept_path ? g_strdup (kept_path) : cb_backup_kept_path (live_path, NULL);
  if (g_file_test (kept, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” exists already; try the restore again"), kept);
      return NULL;
    }

  if (!(backup = open_checked (backup_path, error)))
    return NULL;

  sweep_kept_leftovers (live_path);

  ok = match_page_size (_cb_case_store_get_db (store), live_path, &backup, &converted,
                        &local_error) &&
       cb_backup_save (store, kept, NULL, NULL, cancellable, &local_error);

  if (ok && !copy_pages (_cb_case_store_get_db (store), backup, NULL, NULL,
                         cancellable, &local_error))
    {
      /* The live database is as it was, so the kept copy is not needed. */
      g_unlink (kept);
      ok = FALSE;
    }

  sqlite3_close (backup);

  if (!ok)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&local_error, _("Could not restore “%s”: "), backup_path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&kept);
}
