/* fuzz-import.c — libFuzzer target for CbCsvReader + CbImporter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is written to a file and imported the way the import dialog
 * does it: inspect, check (validate only), import the valid rows, save the
 * rejects. The database lives in a folder on /dev/shm when there is one,
 * and is emptied after every input so each input runs alone and a crash
 * replays from the input alone (tests/model/test-importer.c replays the
 * files of tests/data/fuzz-crashers/ with the same steps).
 */
#define G_LOG_DOMAIN "casebook-fuzz"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "cb-case-store-private.h"
#include "cb-importer.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static CbCaseStore *store;
static char *folder;
static char *csv_path;
static char *rejects_path;

/* libFuzzer ends a timed run with exit(): leave no scratch files behind. */
static void
remove_folder (void)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_clear_object (&store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_unlink (path);
    }
  g_rmdir (folder);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;

  /* A failed g_return_if_fail() is a finding: make it abort. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    folder = g_mkdtemp (g_strdup ("/dev/shm/casebook-fuzz-XXXXXX"));
  else
    folder = g_dir_make_tmp ("casebook-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_nonnull (folder);

  db_path = g_build_filename (folder, "fuzz.db", NULL);
  csv_path = g_build_filename (folder, "input.csv", NULL);
  rejects_path = g_build_filename (folder, "rejects.csv", NULL);

  store = cb_case_store_open (db_path, &error);
  g_assert_no_error (error);
  atexit (remove_folder);
  return 0;
}

static void
import_once (CbImporter    *importer,
             CbImportFlags  flags)
{
  g_autoptr(CbImportReport) report = cb_importer_run (importer, flags, NULL, NULL, NULL, NULL);
  CbImportReport *last = cb_importer_get_report (importer);

  g_assert_true (report == NULL || report == last);
  if (last != NULL)
    {
      g_autofree char *summary = cb_import_report_dup_summary (last);
      g_autofree char *details = cb_import_report_dup_details (last);

      g_assert_true (summary[0] != '\0' && details[0] != '\0');
      for (guint i = 0; i < cb_import_report_get_n_errors_kept (last); i++)
        g_assert_nonnull (cb_import_report_get_error (last, i)->reason);
      cb_import_report_save_rejects (last, rejects_path, NULL);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CbImporter) importer = cb_importer_new (store);
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (csv_path, (const char *) data, size, &error);
  g_assert_no_error (error);

  if (cb_importer_inspect (importer, file, NULL, NULL))
    {
      for (guint i = 0; i < cb_importer_get_n_preview_rows (importer); i++)
        g_assert_nonnull (cb_importer_get_preview_row (importer, i, NULL));

      import_once (importer, CB_IMPORT_VALIDATE_ONLY);
      import_once (importer, CB_IMPORT_SKIP_INVALID);
      import_once (importer, CB_IMPORT_FLAGS_NONE);
    }

  g_assert_cmpint (sqlite3_exec (_cb_case_store_get_db (store), "DELETE FROM cases",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  return 0;
}
