/* test-privacy.c — the privacy promises of issue #6
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "The database, training database, backups and temporary files are
 * created 0600 in 0700 folders; exports never include notes unless asked;
 * no case data is written to logs or stderr beyond the reference."
 *
 * The whole program runs under umask 000, so every mode checked here is
 * the one the code asked for, not one the umask happened to narrow.
 */
#define G_LOG_DOMAIN "casebook-test-privacy"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "cb-backup.h"
#include "cb-case-store.h"
#include "cb-csv-writer.h"
#include "cb-import-report.h"
#include "cb-importer.h"
#include "cb-report-writer.h"
#include "cb-temp-file.h"
#include "cb-test-util.h"

#ifndef BUILD_ROOT
# error "BUILD_ROOT must name the build tree"
#endif


/* Distinctive values, each in a field of its own, that must never reach a
 * diagnostic. */
#define NOTE_MARKER      "ZqNoteMarker"
#define AREA_MARKER      "ZqAreaMarker"
#define TEAM_MARKER      "ZqTeamMarker"
#define PROVIDER_MARKER  "ZqProviderMarker"
#define BAD_DATE_MARKER  "ZqDateMarker"
#define BAD_SUBST_MARKER "zqsubstancemarker"
#define BAD_CODE_MARKER  "zqsentencemarker"
#define BAD_YESNO_MARKER "zqyesnomarker"
#define BAD_YEAR_MARKER  "31337"
#define BAD_REF_MARKER   "Zq Name Marker"
#define LONG_AREA_MARKER "ZqLongAreaMarker"

static char *work_dir;

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

/* A fresh empty folder for one test. */
static char *
fresh_dir (const char *name)
{
  char *dir = work_path (name);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return dir;
}

#define assert_mode(path, expected) \
  G_STMT_START { \
    g_autofree char *_p = (path); \
    g_assert_cmpuint (cb_test_file_mode (_p), ==, (expected)); \
  } G_STMT_END

static CbCase *
marked_case (const char *ref)
{
  CbCase *record = cb_case_new ();

  cb_case_set (record, CB_FIELD_CASE_REF, ref);
  cb_case_set (record, CB_FIELD_AREA, AREA_MARKER);
  cb_case_set (record, CB_FIELD_TEAM, TEAM_MARKER);
  cb_case_set (record, CB_FIELD_SENTENCE_TYPE, "community_order");
  cb_case_set (record, CB_FIELD_START_DATE, "2024-01-15");
  cb_case_set (record, CB_FIELD_DRUG_MISUSE, "yes");
  cb_case_set (record, CB_FIELD_PROVIDER, PROVIDER_MARKER);
  cb_case_set (record, CB_FIELD_NOTES, NOTE_MARKER " may name a person");
  return record;
}

static CbCaseStore *
marked_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  CbCaseStore *store = cb_case_store_open (path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *ref = g_strdup_printf ("PRIV-%u", i + 1);
      g_autoptr(CbCase) record = marked_case (ref);

      g_assert_true (cb_case_store_save (store, record, &error));
      g_assert_no_error (error);
    }
  return store;
}

/* Whether any member of the workbook holds @needle; the members are
 * deflated, so Debian's python3 unpacks them. */
static gboolean
workbook_contains (const char *path,
                   const char *needle)
{
  const char *argv[] = {
    PYTHON3, "-c",
    "import sys, zipfile\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "sys.exit(0 if any(sys.argv[2].encode() in z.read(n) for n in z.namelist()) else 3)\n",
    path, needle, NULL
  };

  return cb_test_python_check (argv);
}

static gboolean
write_workbook (CbCaseStore  *store,
                const char   *path,
                gboolean      notes,
                GError      **error)
{
  g_autoptr(CbReportOptions) options = cb_report_options_new ();

  cb_report_options_set_include_cases (options, TRUE);
  cb_report_options_set_include_notes (options, notes);
  return cb_report_writer_write (store, options, path, NULL, NULL, NULL, error);
}

/* ------------------------------------------------------------------ */
/* casebook-cli                                                         */
/* ------------------------------------------------------------------ */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs the tool on @db with every debug message switched on. */
static void
run_cli (Run         *run,
         const char  *db,
         const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) CB_TEST_CLI);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "G_MESSAGES_DEBUG", "all", TRUE);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
  g_test_message ("%s: exit %d\nstdout: %s\nstderr: %s", args[0], run->status, run->out, run->err);
}

/* ------------------------------------------------------------------ */
/* 1. Modes                                                             */
/* ------------------------------------------------------------------ */

/* Folders made for the database, however deep, are the owner's alone;
 * so are the database and the files SQLite keeps beside it. */
static void
test_store_modes (void)
{
  g_autofree char *top = work_path ("store-modes");
  g_autofree char *db = g_build_filename (top, "deeper", "casebook.db", NULL);
  g_autoptr(CbCaseStore) store = marked_store (db);

  assert_mode (g_strdup (top), 0700);
  assert_mode (g_path_get_dirname (db), 0700);
  assert_mode (g_strdup (db), 0600);
  assert_mode (g_strconcat (db, "-wal", NULL), 0600);
  assert_mode (g_strconcat (db, "-shm", NULL), 0600);
}

/* The default and the training databases, in a data folder that does not
 * exist yet. */
static void
test_default_and_training_modes (void)
{
  g_autofree char *live = cb_case_store_get_default_path ();
  g_autofree char *training = cb_case_store_get_training_path ();
  g_autofree char *folder = g_path_get_dirname (live);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseStore) live_store = NULL;
  g_autoptr(CbCaseStore) training_store = NULL;

  g_assert_true (g_str_has_prefix (live, work_dir));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  live_store = cb_case_store_open (NULL, &error);
  g_assert_no_error (error);
  training_store = cb_case_store_open (training, &error);
  g_assert_no_error (error);

  assert_mode (g_strdup (folder), 0700);
  assert_mode (g_strdup (live), 0600);
  assert_mode (g_strdup (training), 0600);
}

/* The CLI makes the same files as the library. */
static void
test_cli_database_modes (void)
{
  g_autofree char *top = work_path ("cli-modes");
  g_autofree char *db = g_build_filename (top, "cases.db", NULL);
  g_auto(Run) run = { 0 };

  run_cli (&run, db, (const char *[]) { "demo", "--cases", "20", NULL });
  g_assert_cmpint (run.status, ==, 0);
  assert_mode (g_strdup (top), 0700);
  assert_mode (g_strdup (db), 0600);
}

typedef struct
{
  char  *folder;
  guint  n_checked;
} TempWatch;

/* Called from inside the export: the temporary file is already there and
 * must already be private. */
static void
check_temp_while_writing (double   fraction,
                          gpointer user_data)
{
  TempWatch *watch = user_data;
  g_autoptr(GDir) dir = g_dir_open (watch->folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (watch->folder, name, NULL);

      g_assert_cmpuint (cb_test_file_mode (path), ==, 0600);
      if (name[0] == '.')
        watch->n_checked++;
    }
}

static void
test_export_modes (void)
{
  g_autofree char *db = work_path ("exports.db");
  g_autofree char *folder = fresh_dir ("exports");
  g_autofree char *csv = g_build_filename (folder, "cases.csv", NULL);
  g_autofree char *xlsx = g_build_filename (folder, "report.xlsx", NULL);
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_autoptr(CbReportOptions) options = cb_report_options_new ();
  g_autoptr(GError) error = NULL;
  TempWatch watch = { folder, 0 };

  g_assert_true (cb_csv_writer_write_query (store, NULL, csv, FALSE,
                                            check_temp_while_writing, &watch, NULL, &error));
  g_assert_no_error (error);
  assert_mode (g_strdup (csv), 0600);

  cb_report_options_set_include_cases (options, TRUE);
  g_assert_true (cb_report_writer_write (store, options, xlsx,
                                         check_temp_while_writing, &watch, NULL, &error));
  g_assert_no_error (error);
  assert_mode (g_strdup (xlsx), 0600);

  /* The workbook was seen with its temporary file in place (the CSV
   * writer reports progress only every thousand cases; its temporary file
   * is checked by /privacy/modes/open-writer). */
  g_assert_cmpuint (watch.n_checked, >=, 1);
}

/* A writer's temporary file is private from the moment it exists. */
static void
test_open_writer_temp_mode (void)
{
  g_autofree char *folder = fresh_dir ("open-writer");
  g_autofree char *path = g_build_filename (folder, "rows.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvWriter) writer = cb_csv_writer_new (path, FALSE, &error);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *temp = g_build_filename (folder, name, NULL);

      g_assert_true (cb_temp_file_is_own_name (path, name));
      g_assert_cmpuint (cb_test_file_mode (temp), ==, 0600);
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

static void
test_cli_export_modes (void)
{
  g_autofree char *db = work_path ("cli-exports.db");
  g_autofree char *folder = fresh_dir ("cli-exports");
  g_autofree char *csv = g_build_filename (folder, "cases.csv", NULL);
  g_autofree char *xlsx = g_build_filename (folder, "report.xlsx", NULL);
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_auto(Run) exported_csv = { 0 };
  g_auto(Run) exported_xlsx = { 0 };

  run_cli (&exported_csv, db, (const char *[]) { "export-csv", csv, NULL });
  g_assert_cmpint (exported_csv.status, ==, 0);
  run_cli (&exported_xlsx, db, (const char *[]) { "export", xlsx, "--cases", NULL });
  g_assert_cmpint (exported_xlsx.status, ==, 0);

  assert_mode (g_strdup (csv), 0600);
  assert_mode (g_strdup (xlsx), 0600);
  /* The user's folder is theirs: exports do not change its mode. */
  assert_mode (g_strdup (folder), 0700);
}

/* A backup, the folder made for it, and the copy a restore keeps of the
 * database it replaces. */
static void
test_backup_modes (void)
{
  g_autofree char *db = work_path ("backed-up.db");
  g_autofree char *folder = work_path ("backups");
  g_autofree char *backup = g_build_filename (folder, "cases-backup.db", NULL);
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;

  g_assert_true (cb_backup_save (store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_mode (g_strdup (folder), 0700);
  assert_mode (g_strdup (backup), 0600);

  kept = cb_backup_restore (store, backup, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  assert_mode (g_strdup (kept), 0600);
}

/* ------------------------------------------------------------------ */
/* 2. Temporary files left by killed exports                            */
/* ------------------------------------------------------------------ */

static void
test_own_names (void)
{
  const char *target = "/some/folder/report.xlsx";

  g_assert_true (cb_temp_file_is_own_name (target, ".report.xlsx-aB3xY9"));
  g_assert_false (cb_temp_file_is_own_name (target, ".report.xlsx-aB3xY"));
  g_assert_false (cb_temp_file_is_own_name (target, ".report.xlsx-aB3xY90"));
  g_assert_false (cb_temp_file_is_own_name (target, ".report.xlsx-aB3x.9"));
  g_assert_false (cb_temp_file_is_own_name (target, ".report.xlsx.aB3xY9"));
  g_assert_false (cb_temp_file_is_own_name (target, "report.xlsx-aB3xY9"));
  g_assert_false (cb_temp_file_is_own_name (target, ".other.xlsx-aB3xY9"));
  g_assert_false (cb_temp_file_is_own_name (target, ".report.xlsx"));
  g_assert_false (cb_temp_file_is_own_name (target, "report.xlsx"));
}

static void
make_file (const char *path,
           gboolean    stale)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "left behind", -1, &error);
  g_assert_no_error (error);
  if (stale)
    {
      struct utimbuf old = { 0 };

      old.actime = old.modtime = time (NULL) - 2 * CB_TEMP_FILE_STALE_SECONDS;
      g_assert_cmpint (g_utime (path, &old), ==, 0);
    }
}

typedef struct
{
  char *folder;
  char *target;
  char *stale[2];
  char *keep[8];
  guint n_keep;
  int   locked_fd;
} LookAlikes;

static void
look_alikes_clear (LookAlikes *l)
{
  if (l->locked_fd >= 0)
    close (l->locked_fd);
  g_free (l->folder);
  g_free (l->target);
  for (guint i = 0; i < G_N_ELEMENTS (l->stale); i++)
    g_free (l->stale[i]);
  for (guint i = 0; i < G_N_ELEMENTS (l->keep); i++)
    g_free (l->keep[i]);
}

/* In a fresh folder: two stale leftovers of @name, and everything that
 * looks like one but must stay. */
static void
make_look_alikes (LookAlikes *l,
                  const char *folder_name,
                  const char *name)
{
  g_autofree char *stale_name = g_strdup_printf (".%s-Ab12Cd", name);
  g_autofree char *stale_name2 = g_strdup_printf (".%s-000000", name);
  guint k = 0;

  memset (l, 0, sizeof *l);
  l->locked_fd = -1;
  l->folder = fresh_dir (folder_name);
  l->target = g_build_filename (l->folder, name, NULL);

  l->stale[0] = g_build_filename (l->folder, stale_name, NULL);
  make_file (l->stale[0], TRUE);
  l->stale[1] = g_build_filename (l->folder, stale_name2, NULL);
  make_file (l->stale[1], TRUE);

#define KEEP(fmt, stale) \
  G_STMT_START { \
    g_autofree char *_n = g_strdup_printf (fmt, name); \
    l->keep[k] = g_build_filename (l->folder, _n, NULL); \
    make_file (l->keep[k], stale); \
    k++; \
  } G_STMT_END

  KEEP (".%s-Fresh1", FALSE);      /* an export running now */
  KEEP (".%s-Ab12C", TRUE);        /* not our pattern: */
  KEEP (".%s-Ab12Cde", TRUE);
  KEEP (".%s.Ab12Cd", TRUE);
  KEEP ("%s-Ab12Cd", TRUE);
  KEEP (".%s-Ab12Cd.bak", TRUE);
#undef KEEP

  /* A stale one that a running writer holds locked. */
  {
    g_autofree char *n = g_strdup_printf (".%s-Locked", name);

    l->keep[k] = g_build_filename (l->folder, n, NULL);
    make_file (l->keep[k], TRUE);
    l->locked_fd = g_open (l->keep[k], O_RDONLY | O_CLOEXEC, 0);
    g_assert_cmpint (flock (l->locked_fd, LOCK_EX | LOCK_NB), ==, 0);
    k++;
  }

  /* A stale one of another user's, when we can make one. */
  if (getuid () == 0)
    {
      g_autofree char *n = g_strdup_printf (".%s-Nobody", name);

      l->keep[k] = g_build_filename (l->folder, n, NULL);
      make_file (l->keep[k], TRUE);
      g_assert_cmpint (chown (l->keep[k], CB_TEST_NOBODY_ID, CB_TEST_NOBODY_ID), ==, 0);
      k++;
    }
  g_assert_cmpuint (k, <=, G_N_ELEMENTS (l->keep));
  l->n_keep = k;

  /* A folder and a link with our pattern, and what the link points to. */
  {
    g_autofree char *dir_name = g_strdup_printf (".%s-Folder", name);
    g_autofree char *link_name = g_strdup_printf (".%s-LinkAa", name);
    g_autofree char *dir_path = g_build_filename (l->folder, dir_name, NULL);
    g_autofree char *link_path = g_build_filename (l->folder, link_name, NULL);
    g_autofree char *pointed = g_build_filename (l->folder, "pointed-to", NULL);

    g_assert_cmpint (g_mkdir (dir_path, 0700), ==, 0);
    make_file (pointed, TRUE);
    g_assert_cmpint (symlink ("pointed-to", link_path), ==, 0);
  }
}

static void
assert_swept (LookAlikes *l)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (l->stale); i++)
    if (g_file_test (l->stale[i], G_FILE_TEST_EXISTS))
      g_error ("%s was left", l->stale[i]);

  for (guint i = 0; i < l->n_keep; i++)
    if (!g_file_test (l->keep[i], G_FILE_TEST_EXISTS))
      g_error ("%s was removed", l->keep[i]);

  /* Nothing else went, and the export left nothing of its own. */
  dir = g_dir_open (l->folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 1 /* target */ + 2 /* folder, link */ + 1 /* pointed-to */ +
                           l->n_keep);
  g_assert_true (g_file_test (l->target, G_FILE_TEST_IS_REGULAR));
}

static void
test_sweep_csv (void)
{
  g_autofree char *db = work_path ("sweep-csv.db");
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_autoptr(GError) error = NULL;
  LookAlikes l;

  make_look_alikes (&l, "sweep-csv", "cases.csv");
  g_assert_true (cb_csv_writer_write_query (store, NULL, l.target, FALSE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_swept (&l);
  look_alikes_clear (&l);
}

static void
test_sweep_workbook (void)
{
  g_autofree char *db = work_path ("sweep-xlsx.db");
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_autoptr(GError) error = NULL;
  LookAlikes l;

  make_look_alikes (&l, "sweep-xlsx", "report.xlsx");
  g_assert_true (write_workbook (store, l.target, FALSE, &error));
  g_assert_no_error (error);
  assert_swept (&l);
  look_alikes_clear (&l);
}

/* The CLI's workbook export, as a killed run of it would leave files. */
static void
test_sweep_cli (void)
{
  g_autofree char *db = work_path ("sweep-cli.db");
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_auto(Run) run = { 0 };
  LookAlikes l;

  make_look_alikes (&l, "sweep-cli", "cases.xlsx");
  run_cli (&run, db, (const char *[]) { "export", l.target, NULL });
  g_assert_cmpint (run.status, ==, 0);
  assert_swept (&l);
  look_alikes_clear (&l);
}

/* A failed write removes its own temporary file and leaves the others. */
static void
test_failed_write_cleans_up (void)
{
  g_autofree char *folder = fresh_dir ("failed-write");
  g_autofree char *target = g_build_filename (folder, "out.csv", NULL);
  g_autofree char *fresh = g_build_filename (folder, ".out.csv-Fresh1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTempFile) temp = NULL;
  g_autofree char *temp_path = NULL;

  make_file (fresh, FALSE);
  temp = cb_temp_file_new_beside (target, CB_TEMP_FILE_MODE_PRIVATE, &error);
  g_assert_no_error (error);
  temp_path = g_strdup (cb_temp_file_get_path (temp));
  g_assert_true (g_file_test (temp_path, G_FILE_TEST_IS_REGULAR));

  /* A folder in the target's place makes the rename fail. */
  g_assert_cmpint (g_mkdir (target, 0700), ==, 0);
  g_assert_false (cb_temp_file_commit (temp, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (temp_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------ */
/* 3. Notes only when asked for                                         */
/* ------------------------------------------------------------------ */

static void
test_csv_notes (void)
{
  g_autofree char *db = work_path ("notes-csv.db");
  g_autofree char *without = work_path ("notes-without.csv");
  g_autofree char *with = work_path ("notes-with.csv");
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_autoptr(GError) error = NULL;
  g_autofree char *text_without = NULL;
  g_autofree char *text_with = NULL;

  g_assert_true (cb_csv_writer_write_query (store, NULL, without, FALSE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_csv_writer_write_query (store, NULL, with, TRUE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  text_without = cb_test_read_text (without);
  text_with = cb_test_read_text (with);
  g_assert_null (strstr (text_without, NOTE_MARKER));
  g_assert_null (strstr (text_without, "notes"));
  g_assert_nonnull (strstr (text_with, NOTE_MARKER));
}

static void
test_cli_csv_notes (void)
{
  g_autofree char *db = work_path ("notes-cli-csv.db");
  g_autofree char *plain = work_path ("notes-cli-plain.csv");
  g_autofree char *old_way = work_path ("notes-cli-old.csv");
  g_autofree char *asked = work_path ("notes-cli-asked.csv");
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_auto(Run) run_plain = { 0 };
  g_auto(Run) run_old = { 0 };
  g_auto(Run) run_asked = { 0 };
  g_auto(Run) run_both = { 0 };
  g_autofree char *text_plain = NULL;
  g_autofree char *text_old = NULL;
  g_autofree char *text_asked = NULL;

  run_cli (&run_plain, db, (const char *[]) { "export-csv", plain, NULL });
  run_cli (&run_old, db, (const char *[]) { "export-csv", "--no-notes", old_way, NULL });
  run_cli (&run_asked, db, (const char *[]) { "export-csv", "--notes", asked, NULL });
  run_cli (&run_both, db, (const char *[]) { "export-csv", "--notes", "--no-notes", plain, NULL });
  g_assert_cmpint (run_plain.status, ==, 0);
  g_assert_cmpint (run_old.status, ==, 0);
  g_assert_cmpint (run_asked.status, ==, 0);
  g_assert_cmpint (run_both.status, ==, 2);

  text_plain = cb_test_read_text (plain);
  text_old = cb_test_read_text (old_way);
  text_asked = cb_test_read_text (asked);
  g_assert_null (strstr (text_plain, NOTE_MARKER));
  g_assert_null (strstr (text_old, NOTE_MARKER));
  g_assert_nonnull (strstr (text_asked, NOTE_MARKER));
}

static void
test_workbook_notes (void)
{
  g_autofree char *db = work_path ("notes-xlsx.db");
  g_autofree char *without = work_path ("notes-without.xlsx");
  g_autofree char *with = work_path ("notes-with.xlsx");
  g_autofree char *plain = work_path ("notes-plain.xlsx");
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_autoptr(CbReportOptions) defaults = cb_report_options_new ();
  g_autoptr(GError) error = NULL;

  /* A new set of options asks for neither the case list nor the notes. */
  g_assert_false (cb_report_options_get_include_notes (defaults));
  g_assert_true (cb_report_writer_write (store, defaults, plain, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (workbook_contains (plain, NOTE_MARKER));

  g_assert_true (write_workbook (store, without, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (write_workbook (store, with, TRUE, &error));
  g_assert_no_error (error);

  /* The case list is there both times; the notes only when asked. */
  g_assert_true (workbook_contains (without, "PRIV-2"));
  g_assert_false (workbook_contains (without, NOTE_MARKER));
  g_assert_true (workbook_contains (with, NOTE_MARKER));
}

static void
test_cli_workbook_notes (void)
{
  g_autofree char *db = work_path ("notes-cli-xlsx.db");
  g_autofree char *cases = work_path ("notes-cli-cases.xlsx");
  g_autofree char *notes = work_path ("notes-cli-notes.xlsx");
  g_autoptr(CbCaseStore) store = marked_store (db);
  g_auto(Run) run_cases = { 0 };
  g_auto(Run) run_notes = { 0 };
  g_auto(Run) run_notes_only = { 0 };

  run_cli (&run_cases, db, (const char *[]) { "export", cases, "--cases", NULL });
  run_cli (&run_notes, db, (const char *[]) { "export", notes, "--cases", "--notes", NULL });
  run_cli (&run_notes_only, db, (const char *[]) { "export", notes, "--notes", NULL });
  g_assert_cmpint (run_cases.status, ==, 0);
  g_assert_cmpint (run_notes.status, ==, 0);
  g_assert_cmpint (run_notes_only.status, ==, 2);

  g_assert_true (workbook_contains (cases, "PRIV-1"));
  g_assert_false (workbook_contains (cases, NOTE_MARKER));
  g_assert_true (workbook_contains (notes, NOTE_MARKER));
}

/* A rejects file gives the user's own rows back for fixing: every cell as
 * it was, notes too, so that the fixed file imports whole. It is private
 * like every file of case data. */
static void
test_rejects_echo_input (void)
{
  g_autofree char *db = work_path ("rejects.db");
  g_autofree char *csv = work_path ("rejects-in.csv");
  g_autofree char *rejects = work_path ("rejects-out.csv");
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbImporter) importer = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_file_set_contents (csv,
                       "case_ref,area,sentence_type,start_date,notes\n"
                       "R-1,Leeds,community_order,not a date," NOTE_MARKER "\n"
                       "R-2,Leeds,community_order,2024-01-15,fine\n", -1, &error);
  g_assert_no_error (error);

  store = cb_case_store_open (db, &error);
  g_assert_no_error (error);
  importer = cb_importer_new (store);
  g_assert_true (cb_importer_inspect (importer, file, NULL, &error));
  g_assert_no_error (error);
  report = cb_importer_run (importer, CB_IMPORT_SKIP_INVALID, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cb_import_report_save_rejects (report, rejects, &error));
  g_assert_no_error (error);

  text = cb_test_read_text (rejects);
  g_assert_nonnull (strstr (text, NOTE_MARKER));
  g_assert_null (strstr (text, "R-2"));
  assert_mode (g_strdup (rejects), 0600);
}

/* ------------------------------------------------------------------ */
/* 4. Diagnostics name the case, never its data                         */
/* ------------------------------------------------------------------ */

static const char *markers[] = {
  NOTE_MARKER, AREA_MARKER, TEAM_MARKER, PROVIDER_MARKER, BAD_DATE_MARKER,
  BAD_SUBST_MARKER, BAD_CODE_MARKER, BAD_YESNO_MARKER, BAD_YEAR_MARKER,
  BAD_REF_MARKER, LONG_AREA_MARKER, "2011-11-11", "11/11/2011",
};

/* The log lines on stdout (GLib writes debug and info there) and all of
 * stderr. */
static void
assert_no_markers (const Run *run,
                   gboolean   all_of_stdout)
{
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      if (strstr (run->err, markers[i]) != NULL)
        g_error ("stderr holds “%s”:\n%s", markers[i], run->err);

      for (guint j = 0; lines[j] != NULL; j++)
        {
          gboolean is_log = strstr (lines[j], "-DEBUG: ") != NULL || strstr (lines[j], "-INFO: ") != NULL;

          if ((all_of_stdout || is_log) && strstr (lines[j], markers[i]) != NULL)
            g_error ("stdout holds “%s”: %s", markers[i], lines[j]);
        }
    }
}

static char *
write_marked_import (void)
{
  g_autofree char *long_area = g_strnfill (90, 'x');
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = work_path ("marked-import.csv");

  g_string_append (csv, "case_ref,area,team,sentence_type,start_date,end_date,birth_year,"
                        "drug_misuse,substances,main_substance,provider,notes\n");
  /* line 2: valid, its text fields marked */
  g_string_append (csv, "OK-1," AREA_MARKER "," TEAM_MARKER ",community_order,11/11/2011,,1980,"
                        "yes,heroin,heroin," PROVIDER_MARKER "," NOTE_MARKER "\n");
  /* line 3: a date that does not read */
  g_string_append (csv, "BAD-3," AREA_MARKER "," TEAM_MARKER ",community_order," BAD_DATE_MARKER ",,1980,"
                        "yes,heroin,heroin," PROVIDER_MARKER "," NOTE_MARKER "\n");
  /* line 4: an unknown substance among known ones */
  g_string_append (csv, "BAD-4," AREA_MARKER ",,community_order,2011-11-11,,1980,"
                        "yes,heroin;" BAD_SUBST_MARKER ",heroin,," NOTE_MARKER "\n");
  /* line 5: an unknown code, a bad yes/no and a bad year in one row */
  g_string_append (csv, "BAD-5," AREA_MARKER ",," BAD_CODE_MARKER ",2011-11-11,,"
                        BAD_YEAR_MARKER "," BAD_YESNO_MARKER ",,,," NOTE_MARKER "\n");
  /* line 6: a reference that is no reference (a name, perhaps) */
  g_string_append (csv, BAD_REF_MARKER "," AREA_MARKER ",,community_order,2011-11-11,,,,,,,"
                        NOTE_MARKER "\n");
  /* line 7: an area too long */
  g_string_append_printf (csv, "BAD-7," LONG_AREA_MARKER "%s,,community_order,2011-11-11,,,,,,,"
                          NOTE_MARKER "\n", long_area);
  /* line 8: the rules between fields: the end before the start, the main
   * substance not among the substances */
  g_string_append (csv, "BAD-8," AREA_MARKER ",,community_order,2011-11-11,2010-01-01,,yes,crack,heroin,,"
                        NOTE_MARKER "\n");

  g_file_set_contents (path, csv->str, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_line (const Run  *run,
             const char *csv,
             guint       line,
             const char *column,
             const char *case_ref)
{
  g_autofree char *prefix = g_strdup_printf ("%s:%u: %s: ", csv, line, column);
  g_autofree char *suffix = case_ref ? g_strdup_printf ("(case %s)\n", case_ref) : NULL;
  const char *at = strstr (run->err, prefix);
  const char *end;

  if (at == NULL)
    g_error ("no “%s” on stderr", prefix);
  end = strchr (at, '\n');
  g_assert_nonnull (end);
  if (suffix != NULL)
    g_assert_true (strncmp (end + 1 - strlen (suffix), suffix, strlen (suffix)) == 0);
  else
    g_assert_null (g_strstr_len (at, end - at, "(case "));
}

static void
test_cli_diagnostics (void)
{
  g_autofree char *db = work_path ("diagnostics.db");
  g_autofree char *csv = write_marked_import ();
  g_autofree char *rejects = work_path ("diagnostics-rejects.csv");
  g_autofree char *xlsx = work_path ("diagnostics.xlsx");
  g_autofree char *out_csv = work_path ("diagnostics-out.csv");
  g_autofree char *rejected = NULL;
  g_auto(Run) refused = { 0 };
  g_auto(Run) skipped = { 0 };
  g_auto(Run) exported = { 0 };
  g_auto(Run) exported_csv = { 0 };
  g_auto(Run) stats = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) listed = { 0 };

  /* Everything refused: each error by file, line and column, with the
   * case when its reference is one, and none of the values. */
  run_cli (&refused, db, (const char *[]) { "import", csv, NULL });
  g_assert_cmpint (refused.status, ==, 1);
  assert_no_markers (&refused, TRUE);
  assert_line (&refused, csv, 3, "start_date", "BAD-3");
  assert_line (&refused, csv, 4, "substances", "BAD-4");
  assert_line (&refused, csv, 5, "sentence_type", "BAD-5");
  assert_line (&refused, csv, 5, "birth_year", "BAD-5");
  assert_line (&refused, csv, 5, "drug_misuse", "BAD-5");
  assert_line (&refused, csv, 6, "case_ref", NULL);
  assert_line (&refused, csv, 7, "area", "BAD-7");
  assert_line (&refused, csv, 8, "end_date", "BAD-8");
  assert_line (&refused, csv, 8, "main_substance", "BAD-8");
  /* Each still says what to change. */
  g_assert_nonnull (strstr (refused.err, "not a valid date for Start date (use YYYY-MM-DD"));
  g_assert_nonnull (strstr (refused.err, "not a known code for Substances"));

  /* The valid row saved, the others written where the user asked. */
  run_cli (&skipped, db, (const char *[]) { "import", csv, "--skip-invalid", "--rejects", rejects, NULL });
  g_assert_cmpint (skipped.status, ==, 0);
  assert_no_markers (&skipped, TRUE);
  rejected = cb_test_read_text (rejects);
  g_assert_nonnull (strstr (rejected, BAD_DATE_MARKER));
  g_assert_nonnull (strstr (rejected, BAD_SUBST_MARKER));

  run_cli (&exported, db, (const char *[]) { "export", xlsx, "--cases", "--notes", NULL });
  g_assert_cmpint (exported.status, ==, 0);
  assert_no_markers (&exported, TRUE);

  run_cli (&exported_csv, db, (const char *[]) { "export-csv", "--notes", out_csv, NULL });
  g_assert_cmpint (exported_csv.status, ==, 0);
  assert_no_markers (&exported_csv, TRUE);

  /* The indicators name areas on stdout, which the user asked to see. */
  run_cli (&stats, db, (const char *[]) { "stats", "--from", "2011-01-01", "--to", "2011-12-31", NULL });
  g_assert_cmpint (stats.status, ==, 0);
  assert_no_markers (&stats, FALSE);
  run_cli (&json, db, (const char *[]) { "stats", "--json", NULL });
  g_assert_cmpint (json.status, ==, 0);
  assert_no_markers (&json, FALSE);

  /* A listing shows the cases on stdout, as asked, and nothing on
   * stderr. */
  run_cli (&listed, db, (const char *[]) { "list", NULL });
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_nonnull (strstr (listed.out, "OK-1"));
  assert_no_markers (&listed, FALSE);
}

/* The reason for a terminal leaves the value out but keeps the rest. */
static void
test_reason_without_value (void)
{
  CbImportRowError date = { 3, (char *) "Start Date", (char *) "31/31/2024",
                            (char *) "“31/31/2024” is not a valid date for Start date", NULL };
  CbImportRowError rule = { 4, (char *) "end_date", (char *) "2020-01-01",
                            (char *) "The end date is before the start date", NULL };
  CbImportRowError row = { 5, NULL, NULL, (char *) "The row has 3 values", NULL };
  g_autofree char *date_reason = cb_import_row_error_dup_reason_without_value (&date);
  g_autofree char *rule_reason = cb_import_row_error_dup_reason_without_value (&rule);
  g_autofree char *row_reason = cb_import_row_error_dup_reason_without_value (&row);

  g_assert_null (strstr (date_reason, "31/31"));
  g_assert_nonnull (strstr (date_reason, "not a valid date for Start date"));
  g_assert_cmpstr (rule_reason, ==, rule.reason);
  g_assert_cmpstr (row_reason, ==, row.reason);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int result;

  /* No mode below may owe anything to the umask. */
  umask (0);

  work_dir = g_dir_make_tmp ("casebook-privacy-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (work_dir, "xdg-data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/privacy/modes/store", test_store_modes);
  g_test_add_func ("/privacy/modes/default-and-training", test_default_and_training_modes);
  g_test_add_func ("/privacy/modes/cli-database", test_cli_database_modes);
  g_test_add_func ("/privacy/modes/exports", test_export_modes);
  g_test_add_func ("/privacy/modes/open-writer", test_open_writer_temp_mode);
  g_test_add_func ("/privacy/modes/cli-exports", test_cli_export_modes);
  g_test_add_func ("/privacy/modes/backup", test_backup_modes);
  g_test_add_func ("/privacy/temp-files/own-names", test_own_names);
  g_test_add_func ("/privacy/temp-files/sweep-csv", test_sweep_csv);
  g_test_add_func ("/privacy/temp-files/sweep-workbook", test_sweep_workbook);
  g_test_add_func ("/privacy/temp-files/sweep-cli", test_sweep_cli);
  g_test_add_func ("/privacy/temp-files/failed-write", test_failed_write_cleans_up);
  g_test_add_func ("/privacy/notes/csv", test_csv_notes);
  g_test_add_func ("/privacy/notes/cli-csv", test_cli_csv_notes);
  g_test_add_func ("/privacy/notes/workbook", test_workbook_notes);
  g_test_add_func ("/privacy/notes/cli-workbook", test_cli_workbook_notes);
  g_test_add_func ("/privacy/notes/rejects", test_rejects_echo_input);
  g_test_add_func ("/privacy/diagnostics/cli", test_cli_diagnostics);
  g_test_add_func ("/privacy/diagnostics/reason-without-value", test_reason_without_value);

  result = g_test_run ();

  if (result == 0)
    {
      const char *argv_rm[] = { "rm", "-rf", work_dir, NULL };

      g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    NULL, NULL, NULL, NULL);
    }
  g_free (work_dir);
  return result;
}
