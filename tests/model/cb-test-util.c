/* cb-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every helper fails the test (g_error or a GLib assertion) rather than
 * return an error: a test that cannot set up its files has nothing to say.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cb-test-util.h"

/* ------------------------------------------------------------------ */
/* Files and folders                                                  */
/* ------------------------------------------------------------------ */

/* A new private folder named after what the test does with it, such as
 * "store" for casebook-store-XXXXXX. */
char *
cb_test_make_temp_dir (const char *purpose)
{
  g_autofree char *template = g_strdup_printf ("casebook-%s-XXXXXX", purpose);
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes @path and everything below it. Folders a test made unreadable
 * or unwritable are opened up first; links are removed, never followed. */
void
cb_test_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      cb_test_remove_tree (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/* A database file and whatever SQLite keeps beside it. */
void
cb_test_remove_db (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* The permission bits of @path itself (a link is not followed). */
guint
cb_test_file_mode (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    g_error ("%s: %s", path, g_strerror (errno));
  return st.st_mode & 07777;
}

char *
cb_test_read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @folder, sorted and joined with spaces, leaving out those
 * that start with @skip_prefix (if not NULL): a listing to compare, which
 * shows a stray temporary file by name. */
char *
cb_test_list_folder (const char *folder,
                     const char *skip_prefix)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (skip_prefix == NULL || !g_str_has_prefix (name, skip_prefix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

/* Root reads and writes whatever the permissions say, so a root test run
 * checks them in a child process that has become "nobody" for good.
 * TRUE when the process is not root (any more); FALSE when it cannot
 * give root up. */
gboolean
cb_test_become_nobody (void)
{
  if (geteuid () != 0)
    return TRUE;

  if (setgroups (0, NULL) != 0 || setgid (CB_TEST_NOBODY_ID) != 0 || setuid (CB_TEST_NOBODY_ID) != 0)
    return FALSE;

  /* Keep /proc/self readable, which the sanitizers need. */
  prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
  return geteuid () == CB_TEST_NOBODY_ID;
}

/* ------------------------------------------------------------------ */
/* Stores                                                             */
/* ------------------------------------------------------------------ */

CbCaseStore *
cb_test_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  CbCaseStore *store = cb_case_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* ------------------------------------------------------------------ */
/* The database file behind the model's back                          */
/* ------------------------------------------------------------------ */

/* A connection of the test's own, sharing no code with CbCaseStore. */
sqlite3 *
cb_test_open_sqlite (const char *path,
                     int         flags)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    g_error ("sqlite3_open %s: %s", path, sqlite3_errmsg (db));

  return db;
}

void
cb_test_exec_sql (sqlite3    *db,
                  const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The one number @sql selects over @db. */
gint64
cb_test_sql_int (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* The one number @sql selects from the file at @path. */
gint64
cb_test_query_int (const char *path,
                   const char *sql)
{
  sqlite3 *db = cb_test_open_sqlite (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  gint64 value = cb_test_sql_int (db, sql);

  sqlite3_close (db);
  return value;
}

/* Every row @sql selects, each column as name, storage class and text,
 * NULL kept apart from empty text: equal dumps mean equal rows. */
char *
cb_test_dump_query (sqlite3    *db,
                    const char *sql)
{
  GString *dump = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *name = sqlite3_column_name (stmt, c);

          if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
            g_string_append_printf (dump, "%s=<null>|", name);
          else
            g_string_append_printf (dump, "%s=%d:%s|", name, sqlite3_column_type (stmt, c),
                                    (const char *) sqlite3_column_text (stmt, c));
        }
      g_string_append_c (dump, '\n');
    }
  sqlite3_finalize (stmt);

  return g_string_free (dump, FALSE);
}

/* cb_test_dump_query() on the file at @path. Opened for writing, so that
 * as the last connection to close it folds the WAL back into the file and
 * removes it, as the application's own connection would. */
char *
cb_test_dump_file (const char *path,
                   const char *sql)
{
  sqlite3 *db = cb_test_open_sqlite (path, SQLITE_OPEN_READWRITE);
  char *dump = cb_test_dump_query (db, sql);

  sqlite3_close (db);
  return dump;
}

/* Runs a checking script (@argv, Python first) that exits 0 for yes and
 * 3 for no; anything else, such as a file it cannot read, fails the
 * test rather than answer no. */
gboolean
cb_test_python_check (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, NULL))
    return TRUE;
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 3);
  return FALSE;
}
