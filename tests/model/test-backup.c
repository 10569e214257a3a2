/* test-backup.c — backing up and restoring real SQLite files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-test-backup"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include "cb-backup.h"
#include "cb-case-store.h"
#include "cb-demo-data.h"
#include "cb-test-util.h"
#include "cb-error.h"
#include "cb-field.h"
#include "cb-temp-file.h"

/* Enough demo cases (about 800 KiB) for a copy of several steps. */
#define MANY_CASES 3000

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

typedef struct
{
  char *dir;
  char *db_path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = cb_test_make_temp_dir ("backup");
  fixture->db_path = g_build_filename (fixture->dir, "data", "casebook.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  cb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static char *
in_dir (Fixture    *fixture,
        const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static CbCaseStore *
open_demo_store (const char *path,
                 guint       n_cases,
                 guint32     seed)
{
  g_autoptr(GError) error = NULL;
  CbCaseStore *store = cb_test_open_store (path);

  cb_demo_data_generate (store, n_cases, seed, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return store;
}

static void
append_value (GString      *out,
              sqlite3_stmt *stmt,
              int           column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      g_string_append (out, "NULL");
      break;
    case SQLITE_INTEGER:
      g_string_append_printf (out, "i:%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_FLOAT:
      g_string_append_printf (out, "f:%.17g", sqlite3_column_double (stmt, column));
      break;
    case SQLITE_BLOB:
      {
        const guchar *bytes = sqlite3_column_blob (stmt, column);
        int n = sqlite3_column_bytes (stmt, column);

        g_string_append (out, "b:");
        for (int i = 0; i < n; i++)
          g_string_append_printf (out, "%02x", bytes[i]);
      }
      break;
    default:
      g_string_append_printf (out, "t:%s", sqlite3_column_text (stmt, column));
      break;
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every table's every row and column, rows sorted (some tables have no
 * rowid), after the schema and the user_version. */
static void
dump_table (sqlite3    *db,
            const char *table,
            GString    *out)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", table);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          g_string_append_printf (row, "%s=", sqlite3_column_name (stmt, c));
          append_value (row, stmt, c);
          g_string_append_c (row, '|');
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_ptr_array_sort (rows, compare_strings);
  g_string_append_printf (out, "table %s: %u rows\n", table, rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (rows, i));
}

static char *
dump_database (const char *path)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append_printf (out, "user_version %d\n", sqlite3_column_int (stmt, 0));
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);

      g_string_append_printf (out, "%s %s: %s\n", type, name,
                              sqlite3_column_text (stmt, 2) ? (const char *) sqlite3_column_text (stmt, 2) : "");
      if (g_str_equal (type, "table"))
        g_ptr_array_add (tables, g_strdup (name));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    dump_table (db, g_ptr_array_index (tables, i), out);

  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_integrity_ok (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
exec_on_file (const char *path,
              const char *sql)
{
  sqlite3 *db = cb_test_open_sqlite (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  cb_test_exec_sql (db, sql);
  sqlite3_close (db);
}

/* Bytes 18 and 19 of an SQLite header: 1 for a rollback journal, 2 for WAL. */
static void
assert_rollback_journal_mode (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 19);
  g_assert_cmpint (contents[18], ==, 1);
  g_assert_cmpint (contents[19], ==, 1);
}

static CbCase *
make_case (const char *ref)
{
  g_autoptr(GError) error = NULL;
  CbCase *record = cb_case_new ();

  cb_case_set_from_text (record, CB_FIELD_CASE_REF, ref, &error);
  cb_case_set_from_text (record, CB_FIELD_AREA, "Leeds", &error);
  cb_case_set_from_text (record, CB_FIELD_SENTENCE_TYPE, "licence", &error);
  cb_case_set_from_text (record, CB_FIELD_START_DATE, "2025-06-01", &error);
  g_assert_no_error (error);
  return record;
}

/* ------------------------------------------------------------------ */
/* Back up                                                            */
/* ------------------------------------------------------------------ */

static void
test_backup_equals_source (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 500, 7);
  g_autofree char *folder = in_dir (fixture, "backups");
  g_autofree char *backup = g_build_filename (folder, "casebook-backup.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The store stays open and in use: the source's own dump is taken now,
   * through another connection, pages still in its -wal included. */
  before = dump_database (fixture->db_path);
  copy = dump_database (backup);
  g_assert_nonnull (strstr (copy, "table cases: 500 rows"));
  g_assert_cmpstr (copy, ==, before);
  assert_integrity_ok (backup);

  /* Private: the file and the folder made for it. */
  g_assert_cmpuint (cb_test_file_mode (backup), ==, 0600);
  g_assert_cmpuint (cb_test_file_mode (folder), ==, 0700);

  /* One self-contained file: no -wal or temporary file beside it, and
   * none needed when it is opened (the header says rollback journal, not
   * WAL, although the source is in WAL mode). */
  names = cb_test_list_folder (folder, NULL);
  g_assert_cmpstr (names, ==, "casebook-backup.db");
  assert_rollback_journal_mode (backup);

  /* The store works on after the backup. */
  {
    g_autoptr(CbCase) extra = make_case ("AFTER-BACKUP");

    g_assert_true (cb_case_store_save (store, extra, &error));
    g_assert_no_error (error);
    g_assert_cmpint (cb_case_store_count (store), ==, 501);
  }
  after = dump_database (backup);
  g_assert_cmpstr (after, ==, before);
}

static void
test_backup_replaces_existing (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 50, 8);
  g_autofree char *backup = in_dir (fixture, "old.db");
  g_autofree char *source = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (backup, "an older file", -1, &error);
  g_assert_no_error (error);
  g_chmod (backup, 0644);

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  source = dump_database (fixture->db_path);
  copy = dump_database (backup);
  g_assert_cmpstr (copy, ==, source);
  g_assert_cmpuint (cb_test_file_mode (backup), ==, 0600);
}

typedef struct
{
  CbCaseStore *writer;
  guint        n_calls;
  guint        n_written;
} WriteBetweenSteps;

/* Called after each step of the copy: another connection, as the
 * application would, saves a case in between. */
static void
write_between_steps (double   fraction,
                     gpointer user_data)
{
  WriteBetweenSteps *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = g_strdup_printf ("DURING-%u", state->n_calls);
  g_autoptr(CbCase) record = make_case (ref);

  state->n_calls++;
  g_assert_true (fraction >= 0.0 && fraction <= 1.0);
  if (fraction >= 1.0)
    return;

  g_assert_true (cb_case_store_save (state->writer, record, &error));
  g_assert_no_error (error);
  state->n_written++;
}

static void
test_backup_while_writing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, MANY_CASES, 9);
  g_autoptr(CbCaseStore) writer = cb_test_open_store (fixture->db_path);
  g_autofree char *backup = in_dir (fixture, "during.db");
  g_autofree char *before = dump_database (fixture->db_path);
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;
  WriteBetweenSteps state = { writer, 0, 0 };

  g_assert_true (cb_backup_save (store, backup, write_between_steps, &state, NULL, &error));
  g_assert_no_error (error);

  /* Several steps, with a write between each, all of which landed. */
  g_assert_cmpuint (state.n_written, >=, 2);
  g_assert_cmpint (cb_case_store_count (writer), ==, MANY_CASES + state.n_written);
  g_assert_cmpint (cb_case_store_count (store), ==, MANY_CASES + state.n_written);

  /* The copy is the database as the backup began: one consistent state. */
  assert_integrity_ok (backup);
  copy = dump_database (backup);
  g_assert_cmpstr (copy, ==, before);
}

typedef struct
{
  char    *db_path;
  gint     stop;      /* atomic */
  guint    n_written;
} Writer;

static gpointer
keep_writing (gpointer data)
{
  Writer *writer = data;
  g_autoptr(CbCaseStore) store = cb_test_open_store (writer->db_path);

  while (!g_atomic_int_get (&writer->stop))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *ref = g_strdup_printf ("THREAD-%06u", writer->n_written);
      g_autoptr(CbCase) record = make_case (ref);

      if (!cb_case_store_save (store, record, &error))
        g_error ("The writer could not save while a backup ran: %s", error->message);
      writer->n_written++;
    }

  return NULL;
}

static void
signal_started (double   fraction,
                gpointer user_data)
{
  Writer *writer = user_data;

  /* Let the writer get going before the copy goes on. */
  while (writer->n_written == 0 && !g_atomic_int_get (&writer->stop))
    g_usleep (1000);
}

/* A writer in another thread saves cases one after another the whole
 * time; the backup still ends, and holds the cases as they were at one
 * moment: the demo cases and the writer's first N, none half-written. */
static void
test_backup_with_writer_thread (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, MANY_CASES, 10);
  g_autofree char *backup = in_dir (fixture, "thread.db");
  g_autoptr(GError) error = NULL;
  Writer writer = { fixture->db_path, 0, 0 };
  GThread *thread;
  gint64 in_backup, in_sequence, max_thread_ref;

  thread = g_thread_new ("writer", keep_writing, &writer);
  g_assert_true (cb_backup_save (store, backup, signal_started, &writer, NULL, &error));
  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (thread);
  g_assert_no_error (error);

  assert_integrity_ok (backup);
  g_assert_cmpuint (writer.n_written, >, 0);

  /* Writer's cases are numbered from 0 in order: a consistent copy
   * holds exactly 0 … k-1 for some k. */
  in_backup = cb_test_query_int (backup, "SELECT count(*) FROM cases WHERE case_ref LIKE 'THREAD-%'");
  max_thread_ref = cb_test_query_int (backup,
                                "SELECT coalesce(max(CAST(substr(case_ref, 8) AS INTEGER)), -1) "
                                "FROM cases WHERE case_ref LIKE 'THREAD-%'");
  g_assert_cmpint (max_thread_ref, ==, in_backup - 1);
  g_assert_cmpint (cb_test_query_int (backup, "SELECT count(*) FROM cases"), ==, MANY_CASES + in_backup);

  /* The sequence table agrees with the rows: no torn transaction. */
  in_sequence = cb_test_query_int (backup, "SELECT seq FROM sqlite_sequence WHERE name = 'cases'");
  g_assert_cmpint (in_sequence, ==, cb_test_query_int (backup, "SELECT max(id) FROM cases"));

  g_assert_cmpint (cb_case_store_count (store), ==, MANY_CASES + writer.n_written);
}

static void
cancel_at_first_step (double   fraction,
                      gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_backup_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, MANY_CASES, 11);
  g_autofree char *folder = in_dir (fixture, "out");
  g_autofree char *backup = g_build_filename (folder, "cancelled.db", NULL);
  g_autofree char *kept = g_build_filename (folder, "kept.db", NULL);
  g_autofree char *names = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_backup_save (store, backup, cancel_at_first_step, cancellable,
                                  cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Nothing under the target name, and no temporary file left behind. */
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
  names = cb_test_list_folder (folder, NULL);
  g_assert_cmpstr (names, ==, "");

  /* A file already there keeps its content when the backup is cancelled. */
  g_file_set_contents (backup, "previous backup", -1, &error);
  g_assert_no_error (error);
  g_cancellable_reset (cancellable);
  g_assert_false (cb_backup_save (store, backup, cancel_at_first_step, cancellable,
                                  cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  {
    g_autofree char *contents = NULL;

    g_file_get_contents (backup, &contents, NULL, NULL);
    g_assert_cmpstr (contents, ==, "previous backup");
  }
  g_clear_pointer (&names, g_free);
  names = cb_test_list_folder (folder, NULL);
  g_assert_cmpstr (names, ==, "cancelled.db");

  /* The store is not left inside a transaction. */
  {
    g_autoptr(CbCase) extra = make_case ("AFTER-CANCEL");

    g_clear_error (&error);
    g_assert_true (cb_case_store_save (store, extra, &error));
    g_assert_no_error (error);
  }
  g_assert_true (cb_backup_save (store, kept, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Where the killed backup's subprocess finds the test's folder. */
#define KILLED_BACKUP_DIR_ENV "CASEBOOK_TEST_KILLED_BACKUP_DIR"

static void
die_mid_copy (double   fraction,
              gpointer user_data)
{
  raise (SIGKILL);
}

/* In a subprocess: a backup killed halfway, as by a crash or kill -9, so
 * that none of its own clean-up runs. */
static void
run_killed_backup (void)
{
  const char *dir = g_getenv (KILLED_BACKUP_DIR_ENV);
  g_autofree char *db_path = g_build_filename (dir, "data", "casebook.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "out", "backup.db", NULL);
  g_autoptr(CbCaseStore) store = cb_test_open_store (db_path);

  cb_backup_save (store, backup, die_mid_copy, NULL, NULL, NULL);
  g_error ("The backup was not killed");
}

/* Kills a backup to @fixture's out/backup.db halfway; returns the one
 * file it leaves in out/, which must be its temporary file and nothing
 * else (no -journal, -wal or -shm of SQLite's beside it: the next backup
 * could never tell those are garbage). */
static char *
kill_backup_halfway (Fixture *fixture)
{
  g_autofree char *out = in_dir (fixture, "out");
  g_autofree char *backup = g_build_filename (out, "backup.db", NULL);
  g_autofree char *names_before = g_file_test (out, G_FILE_TEST_IS_DIR) ? cb_test_list_folder (out, NULL) : g_strdup ("");
  g_autofree char *names_after = NULL;
  g_auto(GStrv) before = g_strsplit (names_before, " ", -1);
  g_auto(GStrv) after = NULL;
  const char *leftover = NULL;

  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_failed ();
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));

  names_after = cb_test_list_folder (out, NULL);
  after = g_strsplit (names_after, " ", -1);
  for (guint i = 0; after[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) before, after[i]))
      {
        g_assert_null (leftover);
        leftover = after[i];
      }
  g_assert_nonnull (leftover);
  g_test_message ("The killed backup left %s", leftover);
  g_assert_true (cb_temp_file_is_own_name (backup, leftover));

  return g_build_filename (out, leftover, NULL);
}

static void
make_older (const char *path)
{
  struct utimbuf old;

  old.actime = old.modtime = time (NULL) - 2 * CB_TEMP_FILE_STALE_SECONDS;
  g_assert_cmpint (g_utime (path, &old), ==, 0);
}

/* What a killed backup leaves is its temporary file alone, which the next
 * backup to the same name removes once it is stale; a fresh one (perhaps
 * a backup still running in another process) is kept. */
static void
test_backup_killed_leftovers (void)
{
  Fixture fixture;
  g_autoptr(CbCaseStore) store = NULL;
  g_autofree char *out = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *fresh_name = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      run_killed_backup ();
      return;
    }

  fixture_setup (&fixture, NULL);
  g_setenv (KILLED_BACKUP_DIR_ENV, fixture.dir, TRUE);
  store = open_demo_store (fixture.db_path, MANY_CASES, 21);
  out = in_dir (&fixture, "out");
  backup = g_build_filename (out, "backup.db", NULL);

  stale = kill_backup_halfway (&fixture);
  g_assert_cmpuint (cb_test_file_mode (stale), ==, 0600);
  make_older (stale);
  fresh = kill_backup_halfway (&fixture);

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_integrity_ok (backup);

  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  fresh_name = g_path_get_basename (fresh);
  expected = g_strdup_printf ("%s backup.db", fresh_name);
  names = cb_test_list_folder (out, NULL);
  g_assert_cmpstr (names, ==, expected);

  g_clear_object (&store);
  fixture_teardown (&fixture, NULL);
}

static void
test_backup_refuses_itself (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 20, 12);
  g_autofree char *before = dump_database (fixture->db_path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_backup_save (store, fixture->db_path, NULL, NULL, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, fixture->db_path));

  after = dump_database (fixture->db_path);
  g_assert_cmpstr (after, ==, before);
}

static void
test_backup_unwritable_folder (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 20, 13);
  g_autofree char *not_folder = in_dir (fixture, "plain-file");
  g_autofree char *backup = g_build_filename (not_folder, "backup.db", NULL);
  g_autoptr(GError) error = NULL;

  /* A file where the folder should be fails for root too. */
  g_file_set_contents (not_folder, "x", -1, &error);
  g_assert_no_error (error);

  g_assert_false (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, not_folder));
  g_assert_nonnull (strstr (error->message, "choose another folder"));
}

/* ------------------------------------------------------------------ */
/* Restore                                                            */
/* ------------------------------------------------------------------ */

static void
test_restore_keeps_replaced (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 300, 14);
  g_autoptr(CbCaseStore) app_store = cb_test_open_store (fixture->db_path);
  g_autoptr(CbCaseStore) reopened = NULL;
  g_autofree char *backup = in_dir (fixture, "backup.db");
  g_autofree char *backup_dump = NULL;
  g_autofree char *replaced_dump = NULL;
  g_autofree char *kept_dump = NULL;
  g_autofree char *live_dump = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_name = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  backup_dump = dump_database (backup);

  /* Later work that the restore will replace: more cases, one deleted. */
  cb_demo_data_generate (store, 40, 15, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cb_case_store_delete (store, 1, &error));
  g_assert_no_error (error);
  replaced_dump = dump_database (fixture->db_path);
  g_assert_cmpstr (replaced_dump, !=, backup_dump);

  kept = cb_backup_restore (store, backup, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);

  /* Kept beside the live file, private, with the replaced content. */
  folder = g_path_get_dirname (fixture->db_path);
  g_assert_true (g_str_has_prefix (kept, folder));
  kept_name = g_path_get_basename (kept);
  g_assert_true (g_regex_match_simple ("^casebook\\.db\\.replaced-[0-9]{8}-[0-9]{6}$", kept_name, 0, 0));
  g_assert_cmpuint (cb_test_file_mode (kept), ==, 0600);
  g_assert_cmpuint (cb_test_file_mode (folder), ==, 0700);
  assert_integrity_ok (kept);
  kept_dump = dump_database (kept);
  g_assert_cmpstr (kept_dump, ==, replaced_dump);

  /* The live file now holds the backup, for every connection. */
  live_dump = dump_database (fixture->db_path);
  g_assert_cmpstr (live_dump, ==, backup_dump);
  assert_integrity_ok (fixture->db_path);
  g_assert_cmpint (cb_case_store_count (app_store), ==, 300);
  reopened = cb_test_open_store (fixture->db_path);
  g_assert_cmpint (cb_case_store_count (reopened), ==, 300);
  g_assert_cmpuint (cb_test_file_mode (fixture->db_path), ==, 0600);

  /* The restored database works: a new case can be saved. */
  {
    g_autoptr(CbCase) extra = make_case ("AFTER-RESTORE");

    g_assert_true (cb_case_store_save (reopened, extra, &error));
    g_assert_no_error (error);
    g_assert_cmpint (cb_case_store_count (app_store), ==, 301);
  }
}

static void
test_restore_named_kept_path (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 30, 16);
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, 3, 31, 9, 5, 7);
  g_autofree char *backup = in_dir (fixture, "backup.db");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  first = cb_backup_kept_path (fixture->db_path, when);
  g_assert_true (g_str_has_suffix (first, "/casebook.db.replaced-20260331-090507"));

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kept = cb_backup_restore (store, backup, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, first);

  /* The same second again gets a name of its own. */
  second = cb_backup_kept_path (fixture->db_path, when);
  g_assert_true (g_str_has_suffix (second, "/casebook.db.replaced-20260331-090507-2"));

  /* A kept path that is taken is refused, not overwritten. */
  g_clear_pointer (&kept, g_free);
  kept = cb_backup_restore (store, backup, first, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (kept);
}

/* A backup with pages of 4 KiB, as databases had before new ones moved
 * to 16 KiB, restores through a converted private copy that is gone
 * afterwards; the live file keeps its own page size. */
static void
test_restore_other_page_size (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 200, 23);
  g_autofree char *backup = in_dir (fixture, "backup.db");
  g_autofree char *old = in_dir (fixture, "old-pages.db");
  g_autofree char *folder = g_path_get_dirname (fixture->db_path);
  g_autofree char *old_dump = NULL;
  g_autofree char *live_dump = NULL;
  g_autofree char *names_before = NULL;
  g_autofree char *names_after = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_name = NULL;
  g_auto(GStrv) expected_names = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA page_size = 4096; VACUUM INTO '%s'", old);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_cmpint (cb_test_query_int (fixture->db_path, "PRAGMA page_size"), ==, 16384);
  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  db = cb_test_open_sqlite (backup, SQLITE_OPEN_READONLY);
  cb_test_exec_sql (db, sql);
  sqlite3_close (db);
  g_assert_cmpint (cb_test_query_int (old, "PRAGMA page_size"), ==, 4096);
  g_unlink (backup);
  old_dump = dump_database (old);

  /* Later work, so that the restore has something to replace. */
  cb_demo_data_generate (store, 20, 24, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  names_before = cb_test_list_folder (folder, NULL);

  kept = cb_backup_restore (store, old, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);

  live_dump = dump_database (fixture->db_path);
  g_assert_cmpstr (live_dump, ==, old_dump);
  assert_integrity_ok (fixture->db_path);
  g_assert_cmpint (cb_test_query_int (fixture->db_path, "PRAGMA page_size"), ==, 16384);
  g_assert_cmpint (cb_case_store_count (store), ==, 200);

  /* Only the kept copy is new in the folder: no converted leftover. */
  kept_name = g_path_get_basename (kept);
  expected_names = g_strsplit (names_before, " ", -1);
  names_after = cb_test_list_folder (folder, NULL);
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) with_kept = NULL;
    g_autofree char *joined = NULL;

    g_strv_builder_addv (builder, (const char **) expected_names);
    g_strv_builder_add (builder, kept_name);
    with_kept = g_strv_builder_end (builder);
    qsort (with_kept, g_strv_length (with_kept), sizeof (char *), compare_strings);
    joined = g_strjoinv (" ", with_kept);
    g_assert_cmpstr (names_after, ==, joined);
  }
}

static void
assert_restore_refused (Fixture    *fixture,
                        CbCaseStore *store,
                        const char  *bad_path,
                        GQuark       domain,
                        int          code)
{
  g_autofree char *folder = g_path_get_dirname (fixture->db_path);
  g_autofree char *names_before = cb_test_list_folder (folder, NULL);
  g_autofree char *before = dump_database (fixture->db_path);
  g_autofree char *names_after = NULL;
  g_autofree char *after = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_backup_check (bad_path, &error));
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, bad_path));
  g_clear_error (&error);

  kept = cb_backup_restore (store, bad_path, NULL, NULL, &error);
  g_assert_null (kept);
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, bad_path));
  g_test_message ("Refused: %s", error->message);

  /* The live database as it was, and no kept copy made. */
  after = dump_database (fixture->db_path);
  g_assert_cmpstr (after, ==, before);
  names_after = cb_test_list_folder (folder, NULL);
  g_assert_cmpstr (names_after, ==, names_before);
}

static void
test_restore_refuses_bad_files (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 500, 17);
  g_autofree char *text = in_dir (fixture, "notes.txt");
  g_autofree char *empty = in_dir (fixture, "empty.db");
  g_autofree char *good = in_dir (fixture, "good.db");
  g_autofree char *truncated = in_dir (fixture, "truncated.db");
  g_autofree char *foreign = in_dir (fixture, "foreign.db");
  g_autofree char *too_new = in_dir (fixture, "too-new.db");
  g_autofree char *missing = in_dir (fixture, "missing.db");
  g_autofree char *contents = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_set_contents (text, "case_ref,area\nA-1,Leeds\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);

  /* A good backup cut to half its length. */
  g_assert_true (cb_backup_save (store, good, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (good, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (truncated, contents, length / 2, &error);
  g_assert_no_error (error);

  exec_on_file (foreign, "CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB);"
                         "PRAGMA user_version = 3;");

  g_assert_true (cb_backup_save (store, too_new, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("PRAGMA user_version = %d", CB_SCHEMA_VERSION + 1);
  exec_on_file (too_new, sql);

  assert_restore_refused (fixture, store, text, CB_ERROR, CB_ERROR_DATABASE);
  assert_restore_refused (fixture, store, truncated, CB_ERROR, CB_ERROR_DATABASE);
  assert_restore_refused (fixture, store, empty, CB_ERROR, CB_ERROR_INVALID);
  assert_restore_refused (fixture, store, foreign, CB_ERROR, CB_ERROR_INVALID);
  assert_restore_refused (fixture, store, too_new, CB_ERROR, CB_ERROR_TOO_NEW);
  assert_restore_refused (fixture, store, missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* The good one passes the same check. */
  g_assert_true (cb_backup_check (good, &error));
  g_assert_no_error (error);
}

static void
test_restore_refuses_live_file (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 20, 18);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  kept = cb_backup_restore (store, fixture->db_path, NULL, NULL, &error);
  g_assert_null (kept);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_cmpint (cb_case_store_count (store), ==, 20);
}

static char *
make_leftover (const char *folder,
               const char *name,
               gboolean    stale)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (folder, name, NULL);

  g_file_set_contents (path, "half a kept copy", -1, &error);
  g_assert_no_error (error);
  if (stale)
    make_older (path);
  return path;
}

/* A restore killed while it saved the replaced database leaves that
 * copy's temporary file, named after a time no later restore uses again:
 * the next restore removes it once stale, whatever its time. */
static void
test_restore_sweeps_kept_leftovers (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 30, 22);
  g_autofree char *folder = g_path_get_dirname (fixture->db_path);
  g_autofree char *backup = in_dir (fixture, "backup.db");
  g_autofree char *stale = make_leftover (folder, ".casebook.db.replaced-20250101-090000-Ab12Cd", TRUE);
  g_autofree char *stale2 = make_leftover (folder, ".casebook.db.replaced-20250101-090000-2-000000", TRUE);
  g_autofree char *fresh = make_leftover (folder, ".casebook.db.replaced-20250101-090000-Zz98Yx", FALSE);
  g_autofree char *not_ours = make_leftover (folder, ".casebook.db.replaced-20250101-090000-Ab12", TRUE);
  g_autofree char *other_db = make_leftover (folder, ".other.db.replaced-20250101-090000-Ab12Cd", TRUE);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kept = cb_backup_restore (store, backup, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);

  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale2, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (not_ours, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other_db, G_FILE_TEST_EXISTS));
}

/* Cancelled before the copy: the live database is untouched and no kept
 * copy is left. */
static void
test_restore_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbCaseStore) store = open_demo_store (fixture->db_path, 100, 19);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *backup = in_dir (fixture, "backup.db");
  g_autofree char *folder = g_path_get_dirname (fixture->db_path);
  g_autofree char *names_before = NULL;
  g_autofree char *names_after = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  cb_demo_data_generate (store, 10, 20, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  before = dump_database (fixture->db_path);
  names_before = cb_test_list_folder (folder, NULL);

  g_cancellable_cancel (cancellable);
  kept = cb_backup_restore (store, backup, NULL, cancellable, &error);
  g_assert_null (kept);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  after = dump_database (fixture->db_path);
  g_assert_cmpstr (after, ==, before);
  names_after = cb_test_list_folder (folder, NULL);
  g_assert_cmpstr (names_after, ==, names_before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/backup/save/equals-source", test_backup_equals_source);
  ADD ("/backup/save/replaces-existing", test_backup_replaces_existing);
  ADD ("/backup/save/while-writing", test_backup_while_writing);
  ADD ("/backup/save/writer-thread", test_backup_with_writer_thread);
  ADD ("/backup/save/cancelled", test_backup_cancelled);
  g_test_add_func ("/backup/save/killed-leftovers", test_backup_killed_leftovers);
  ADD ("/backup/save/refuses-itself", test_backup_refuses_itself);
  ADD ("/backup/save/unwritable-folder", test_backup_unwritable_folder);
  ADD ("/backup/restore/keeps-replaced", test_restore_keeps_replaced);
  ADD ("/backup/restore/named-kept-path", test_restore_named_kept_path);
  ADD ("/backup/restore/other-page-size", test_restore_other_page_size);
  ADD ("/backup/restore/refuses-bad-files", test_restore_refuses_bad_files);
  ADD ("/backup/restore/refuses-live-file", test_restore_refuses_live_file);
  ADD ("/backup/restore/cancelled", test_restore_cancelled);
  ADD ("/backup/restore/sweeps-kept-leftovers", test_restore_sweeps_kept_leftovers);

#undef ADD

  return g_test_run ();
}
