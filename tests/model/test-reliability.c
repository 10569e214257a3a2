/* test-reliability.c — data survives killed processes, a full disk,
 * a second writer and hostile text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each guarantee is proved by injecting the fault on real files: the
 * built casebook-cli is killed with SIGKILL at random moments, SQLite is
 * made to run out of pages, another connection holds the write lock.
 */
#define G_LOG_DOMAIN "casebook-test-reliability"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "cb-case-store-private.h"
#include "cb-csv-writer.h"
#include "cb-demo-data.h"
#include "cb-error.h"
#include "cb-importer.h"
#include "cb-test-util.h"

#ifndef BUILD_ROOT
# error "BUILD_ROOT must name the build tree"
#endif

/* The issue asks for 156,000 rows; CASEBOOK_RELIABILITY_ROWS can lower it
 * on a slow machine. */
#define DEFAULT_IMPORT_ROWS 156000
#define N_KILL_RUNS 10
#define N_KNOWN 5
#define EXPORT_CASES 20000
/* Sizes for CASEBOOK_TEST_QUICK=1, set by the valgrind test setup: under
 * memcheck, generating the full sizes in this process takes minutes, and
 * the kills still land at random points of a shorter run. */
#define QUICK_IMPORT_ROWS 2000
#define QUICK_EXPORT_CASES 2000

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static char *work_dir;

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static gboolean
quick_run (void)
{
  return g_strcmp0 (g_getenv ("CASEBOOK_TEST_QUICK"), "1") == 0;
}

static guint
import_rows (void)
{
  const char *env = g_getenv ("CASEBOOK_RELIABILITY_ROWS");

  if (env != NULL && *env != '\0')
    return (guint) g_ascii_strtoull (env, NULL, 10);
  return quick_run () ? QUICK_IMPORT_ROWS : DEFAULT_IMPORT_ROWS;
}

static guint
export_cases (void)
{
  return quick_run () ? QUICK_EXPORT_CASES : EXPORT_CASES;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, length, &error);
  g_assert_no_error (error);
}

static CbCase *
make_known_case (guint i)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (77 + i);
  g_autoptr(GDate) anchor = g_date_new_dmy (31, G_DATE_MARCH, 2026);
  CbCase *record = cb_demo_data_make_case (rand, i, anchor);
  g_autofree char *ref = g_strdup_printf ("KNOWN-%02u", i);

  cb_case_set (record, CB_FIELD_CASE_REF, ref);
  cb_case_set (record, CB_FIELD_NOTES, "known case: must survive every fault");
  return record;
}

/* A database holding N_KNOWN known cases; returns them in @known. */
static void
make_base_db (const char *path,
              GPtrArray  *known)
{
  g_autoptr(CbCaseStore) store = NULL;

  cb_test_remove_db (path);
  store = cb_test_open_store (path);
  for (guint i = 0; i < N_KNOWN; i++)
    {
      g_autoptr(GError) error = NULL;
      CbCase *record = make_known_case (i);

      g_assert_true (cb_case_store_save (store, record, &error));
      g_assert_no_error (error);
      g_ptr_array_add (known, record);
    }
}

static void
assert_known_intact (CbCaseStore *store,
                     GPtrArray   *known)
{
  for (guint i = 0; i < known->len; i++)
    {
      CbCase *want = g_ptr_array_index (known, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbCase) got = cb_case_store_get_by_ref (store,
                                                         cb_case_get (want, CB_FIELD_CASE_REF),
                                                         &error);

      g_assert_no_error (error);
      g_assert_nonnull (got);
      cb_case_set_id (want, cb_case_get_id (got));
      g_assert_true (cb_case_equal (want, got));
    }
}

/* Opens @path with plain SQLite (so a hot WAL or journal is recovered as
 * any reader would), checks its integrity and returns the case count. */
static gint64
check_db (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM cases", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* Every row of every table, as text, in a fixed order: equal dumps mean
 * equal content. */
static char *
dump_db (sqlite3 *db)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *tables = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1", name);
      g_autofree char *rows = cb_test_dump_query (db, sql);

      g_string_append_printf (out, "== %s\n%s", name, rows);
    }
  sqlite3_finalize (tables);
  return g_string_free (out, FALSE);
}

/* A CSV of @n demo cases, made once per size and kept for the run. */
static char *
make_csv (guint n)
{
  g_autofree char *name = g_strdup_printf ("demo-%u.csv", n);
  g_autofree char *db_name = g_strdup_printf ("demo-%u.db", n);
  g_autofree char *db_path = work_path (db_name);
  char *csv = work_path (name);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (g_file_test (csv, G_FILE_TEST_EXISTS))
    return csv;

  store = cb_test_open_store (db_path);
  g_assert_true (cb_demo_data_generate (store, n, CB_DEMO_DEFAULT_SEED, CB_DEMO_DEFAULT_ANCHOR,
                                        NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_case_store_count (store), ==, n);
  g_assert_true (cb_csv_writer_write_query (store, NULL, csv, TRUE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return csv;
}

/* Starts the CLI with output discarded; the caller reaps it. */
static GPid
spawn_cli (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static int
reap (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

/* Runs @argv to the end; returns its duration in seconds. */
static double
time_cli (const char * const *argv)
{
  gint64 start = g_get_monotonic_time ();
  int status = reap (spawn_cli (argv));

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Starts @argv and kills it with SIGKILL after @delay seconds; returns
 * TRUE if the kill landed before the program ended on its own. */
static gboolean
kill_cli_after (const char * const *argv,
                double              delay)
{
  GPid pid = spawn_cli (argv);
  int status;

  g_usleep ((gulong) (delay * G_USEC_PER_SEC));
  kill (pid, SIGKILL);
  status = reap (pid);
  return WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL;
}

/* ------------------------------------------------------------------ */
/* 1. A killed import leaves all of it or none of it                    */
/* ------------------------------------------------------------------ */

static void
test_killed_import (void)
{
  guint n = import_rows ();
  g_autofree char *csv = make_csv (n);
  g_autofree char *base = work_path ("import-base.db");
  g_autofree char *db = work_path ("import.db");
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260331);
  const char *argv[] = { CB_TEST_CLI, "--db", db, "import", csv, NULL };
  guint n_none = 0, n_all = 0, n_killed = 0;
  double full;

  make_base_db (base, known);

  /* One complete run first, to spread the kills over its duration. */
  cb_test_remove_db (db);
  copy_file (base, db);
  full = time_cli (argv);
  g_assert_cmpint (check_db (db), ==, N_KNOWN + n);
  g_test_message ("import of %u rows takes %.2f s", n, full);

  for (guint run = 0; run < N_KILL_RUNS; run++)
    {
      double delay = g_rand_double_range (rand, 0.0, full);
      g_autoptr(CbCaseStore) store = NULL;
      gint64 count;
      gboolean killed;

      cb_test_remove_db (db);
      copy_file (base, db);
      killed = kill_cli_after (argv, delay);
      n_killed += killed;

      count = check_db (db);
      if (count == N_KNOWN)
        n_none++;
      else if (count == N_KNOWN + (gint64) n)
        n_all++;
      else
        g_error ("run %u, killed after %.3f s: %" G_GINT64_FORMAT " cases, "
                 "neither %d (none) nor %u (all)", run, delay, count, N_KNOWN, N_KNOWN + n);

      store = cb_test_open_store (db);
      assert_known_intact (store, known);
      g_test_message ("run %u: kill after %.3f s (%s): %s", run, delay,
                      killed ? "killed" : "had already finished",
                      count == N_KNOWN ? "none" : "all");
    }

  g_test_message ("killed import of %u rows, %d runs (%u killed mid-run): "
                  "%u none, %u all, 0 partial, integrity ok every time",
                  n, N_KILL_RUNS, n_killed, n_none, n_all);
  cb_test_remove_db (db);
  cb_test_remove_db (base);
}

/* ------------------------------------------------------------------ */
/* 2. A killed export never leaves a half-written workbook              */
/* ------------------------------------------------------------------ */

/* A complete zip ends with the end-of-central-directory record (22 bytes
 * when there is no comment). */
static gboolean
is_complete_zip (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  if (length < 22 || memcmp (contents, "PK\x03\x04", 4) != 0)
    return FALSE;
  for (gsize i = length - 22; ; i--)
    {
      if (memcmp (contents + i, "PK\x05\x06", 4) == 0)
        return TRUE;
      if (i == 0 || length - i > 22 + 65535)
        return FALSE;
    }
}

/* Names in @dir other than @keep, removing them; returns how many. */
static guint
sweep_others (const char *dir,
              const char *keep,
              GString    *seen)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  GStatBuf st;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;

      if (g_strcmp0 (name, keep) == 0)
        continue;
      path = g_build_filename (dir, name, NULL);
      /* A leftover must be the writer's own hidden temporary file, and
       * as private as the workbook would have been. */
      g_assert_true (g_str_has_prefix (name, ".cases.xlsx-"));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 077, ==, 0);
      g_string_append_printf (seen, " %s", name);
      g_unlink (path);
      n++;
    }
  return n;
}

static void
test_killed_export (void)
{
  g_autofree char *db = work_path ("export.db");
  g_autofree char *out_dir = work_path ("export-out");
  g_autofree char *out = g_build_filename (out_dir, "cases.xlsx", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4096);
  const char *argv[] = { CB_TEST_CLI, "--db", db, "export", out, "--cases", NULL };
  guint n_absent = 0, n_complete = 0, n_leftover = 0;
  double full;

  {
    g_autoptr(CbCaseStore) store = cb_test_open_store (db);
    g_autoptr(GError) error = NULL;

    g_assert_true (cb_demo_data_generate (store, export_cases (), CB_DEMO_DEFAULT_SEED,
                                          CB_DEMO_DEFAULT_ANCHOR, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_mkdir_with_parents (out_dir, 0700), ==, 0);

  full = time_cli (argv);
  g_assert_true (is_complete_zip (out));
  g_test_message ("export of %u cases takes %.2f s", export_cases (), full);

  for (guint run = 0; run < N_KILL_RUNS; run++)
    {
      double delay = g_rand_double_range (rand, 0.0, full);
      g_autoptr(GString) others = g_string_new (NULL);
      gboolean killed;
      guint n_others;

      g_unlink (out);
      killed = kill_cli_after (argv, delay);

      if (!g_file_test (out, G_FILE_TEST_EXISTS))
        n_absent++;
      else if (is_complete_zip (out))
        n_complete++;
      else
        g_error ("run %u, killed after %.3f s: %s is there but not a complete zip",
                 run, delay, out);

      n_others = sweep_others (out_dir, "cases.xlsx", others);
      n_leftover += n_others > 0;
      g_test_message ("run %u: kill after %.3f s (%s): target %s; other files:%s", run, delay,
                      killed ? "killed" : "had already finished",
                      g_file_test (out, G_FILE_TEST_EXISTS) ? "complete" : "absent",
                      n_others > 0 ? others->str : " none");
    }

  g_test_message ("killed export, %d runs: target absent %u, complete %u, never partial; "
                  "temporary files left under another name in %u runs",
                  N_KILL_RUNS, n_absent, n_complete, n_leftover);
  g_unlink (out);
  g_rmdir (out_dir);
  cb_test_remove_db (db);
}

/* ------------------------------------------------------------------ */
/* 3. A full database refuses the import and keeps what it had          */
/* ------------------------------------------------------------------ */

static void
test_disk_full (void)
{
  g_autofree char *csv = make_csv (5000);
  g_autofree char *db_path = work_path ("full.db");
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbImporter) importer = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *limit = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 pages;

  make_base_db (db_path, known);
  store = cb_test_open_store (db_path);
  db = _cb_case_store_get_db (store);
  before = dump_db (db);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  /* Room for a few more pages, far too few for 5,000 cases. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 4);
  g_assert_cmpint (sqlite3_exec (db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  importer = cb_importer_new (store);
  g_assert_true (cb_importer_inspect (importer, file, NULL, &error));
  g_assert_no_error (error);
  report = cb_importer_run (importer, CB_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CB_ERROR, CB_ERROR_FULL);
  g_test_message ("import into a full database: %s", error->message);

  after = dump_db (db);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (cb_case_store_count (store), ==, N_KNOWN);
  assert_known_intact (store, known);

  /* And the store still works once there is room again. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_object (&importer);
  g_clear_error (&error);
  importer = cb_importer_new (store);
  g_assert_true (cb_importer_inspect (importer, file, NULL, &error));
  g_clear_object (&report);
  report = cb_importer_run (importer, CB_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpint (cb_case_store_count (store), ==, N_KNOWN + 5000);

  g_clear_object (&importer);
  g_clear_object (&store);
  cb_test_remove_db (db_path);
}

/* ------------------------------------------------------------------ */
/* 4. A second writer waits for the first                               */
/* ------------------------------------------------------------------ */

static void
test_two_writers (void)
{
  g_autofree char *csv = make_csv (2000);
  g_autofree char *db_path = work_path ("busy.db");
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_object_unref);
  const char *argv[] = { CB_TEST_CLI, "--db", db_path, "import", csv, NULL };
  sqlite3 *db = NULL;
  GPid pid;
  int status;
  gint64 start, waited;

  make_base_db (db_path, known);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE cases SET notes = 'held by the other writer' "
                                     "WHERE case_ref = 'KNOWN-00'", NULL, NULL, NULL), ==, SQLITE_OK);

  start = g_get_monotonic_time ();
  pid = spawn_cli (argv);
  g_usleep (G_USEC_PER_SEC);
  /* Still waiting on the lock, not given up with "busy". */
  g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  status = reap (pid);
  waited = g_get_monotonic_time () - start;
  sqlite3_close (db);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (check_db (db_path), ==, N_KNOWN + 2000);

  {
    g_autoptr(CbCaseStore) store = cb_test_open_store (db_path);
    g_autoptr(CbCase) held = cb_case_store_get_by_ref (store, "KNOWN-00", NULL);

    g_assert_nonnull (held);
    g_assert_cmpstr (cb_case_get (held, CB_FIELD_NOTES), ==, "held by the other writer");
  }
  g_test_message ("CLI import waited for a 1 s write transaction and succeeded after %.2f s",
                  waited / (double) G_USEC_PER_SEC);
  cb_test_remove_db (db_path);
}

/* ------------------------------------------------------------------ */
/* 5. Hostile text is stored, exported and read back as text            */
/* ------------------------------------------------------------------ */

static const char *hostile_notes[] = {
  "=HYPERLINK(\"https://example.org\",\"click\")",
  "+1+1",
  "-2+3",
  "@SUM(A1:A2)",
};

#define HOSTILE_AREA "'; DROP TABLE cases; --"

static void
test_injection (void)
{
  g_autofree char *src_path = work_path ("hostile.db");
  g_autofree char *dst_path = work_path ("hostile-copy.db");
  g_autofree char *csv = work_path ("hostile.csv");
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbCaseStore) src = NULL;
  g_autoptr(CbCaseStore) dst = NULL;
  g_autoptr(CbImporter) importer = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) areas = NULL;

  cb_test_remove_db (src_path);
  cb_test_remove_db (dst_path);
  src = cb_test_open_store (src_path);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_notes); i++)
    {
      CbCase *record = make_known_case (i);

      cb_case_set (record, CB_FIELD_AREA, HOSTILE_AREA);
      cb_case_set (record, CB_FIELD_NOTES, hostile_notes[i]);
      g_assert_true (cb_case_store_save (src, record, &error));
      g_assert_no_error (error);
      g_ptr_array_add (saved, record);
    }

  /* The table is still there and holds the text as given. */
  g_assert_cmpint (cb_case_store_count (src), ==, G_N_ELEMENTS (hostile_notes));
  areas = cb_case_store_list_areas (src);
  g_assert_nonnull (areas);
  g_assert_true (g_strv_contains ((const char * const *) areas, HOSTILE_AREA));
  assert_known_intact (src, saved);

  g_assert_true (cb_csv_writer_write_query (src, NULL, csv, TRUE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  dst = cb_test_open_store (dst_path);
  importer = cb_importer_new (dst);
  g_assert_true (cb_importer_inspect (importer, file, NULL, &error));
  g_assert_no_error (error);
  report = cb_importer_run (importer, CB_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  g_assert_cmpint (cb_case_store_count (dst), ==, G_N_ELEMENTS (hostile_notes));
  assert_known_intact (dst, saved);
  g_assert_cmpint (check_db (src_path), ==, G_N_ELEMENTS (hostile_notes));
  g_assert_cmpint (check_db (dst_path), ==, G_N_ELEMENTS (hostile_notes));

  g_clear_object (&importer);
  g_clear_object (&src);
  g_clear_object (&dst);
  cb_test_remove_db (src_path);
  cb_test_remove_db (dst_path);
  g_unlink (csv);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  work_dir = cb_test_make_temp_dir ("reliability");

  g_test_add_func ("/reliability/injection", test_injection);
  g_test_add_func ("/reliability/disk-full", test_disk_full);
  g_test_add_func ("/reliability/two-writers", test_two_writers);
  g_test_add_func ("/reliability/killed-import", test_killed_import);
  g_test_add_func ("/reliability/killed-export", test_killed_export);

  status = g_test_run ();
  cb_test_remove_tree (work_dir);
  g_free (work_dir);
  return status;
}
