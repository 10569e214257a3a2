/* test-import.c — the import dialog on a small file with one bad row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cb-import-dialog.h"
#include "cb-ui-test-util.h"

/* The bad start date is on line 4 of the file (line 1 is the header). */
static const char small_csv[] =
  "case_ref,area,sentence_type,start_date,shoe_size\n"
  "IMP-1,Leeds,licence,2024-01-10,9\n"
  "IMP-2,Leeds,licence,2024-02-11,8\n"
  "IMP-BAD,Leeds,licence,2024-13-01,7\n"
  "IMP-3,Cardiff,licence,2024-03-12,10\n";

static CbImportDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (CB_IS_IMPORT_DIALOG (item))
        return CB_IMPORT_DIALOG (item);
    }
  return NULL;
}

static gboolean
dialog_checked (gpointer data)
{
  return cb_import_dialog_is_checked (data);
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static CbImportDialog *
open_file (CbUiFixture *fixture,
           GFile       *file)
{
  CbImportDialog *dialog;

  /* As "Import Cases…" or a drop would: through the window. */
  cb_window_open_file (fixture->window, file);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  return dialog;
}

static void
test_one_bad_row (CbUiFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects_path = NULL;
  g_autofree char *rejects = NULL;
  CbCaseStore *store;
  CbImportDialog *dialog;
  GtkWidget *button;

  cb_ui_start_app (fixture);
  store = cb_application_get_store (fixture->app);
  g_assert_cmpint (cb_case_store_count (store), ==, 0);

  file = cb_ui_write_file (fixture, "small.csv", small_csv);
  dialog = open_file (fixture, file);

  /* Step 1: the columns and how they map, the preview. */
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "small.csv")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "shoe_size")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "Unknown — ignored")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "IMP-BAD")));

  g_assert_true (cb_ui_wait_for (dialog_checked, dialog, 10000));
  cb_ui_wait (100);
  cb_ui_save_screenshot (GTK_WIDGET (dialog), "import-columns.png");

  /* Step 2: the summary and the error list. */
  button = cb_ui_find_label (GTK_WIDGET (dialog), "ontinue");
  g_assert_nonnull (button);
  button = gtk_widget_get_ancestor (button, GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  cb_ui_wait (300);

  g_assert_nonnull (strstr (cb_import_dialog_get_summary (dialog), "3 valid"));
  g_assert_nonnull (strstr (cb_import_dialog_get_summary (dialog), "1 with errors"));
  g_assert_cmpuint (cb_import_dialog_get_n_errors_shown (dialog), ==, 1);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "Line 4, start_date: “2024-13-01”")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "Save Rejected Rows")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "Import Valid Rows")));
  cb_ui_save_screenshot (GTK_WIDGET (dialog), "import-summary.png");

  /* The rejects: the bad row as it was, with its reason. */
  rejects_path = g_build_filename (fixture->data_dir, "small-rejects.csv", NULL);
  g_assert_true (cb_import_dialog_save_rejects_to_path (dialog, rejects_path, &error));
  g_assert_no_error (error);
  g_file_get_contents (rejects_path, &rejects, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("rejects:\n%s", rejects);
  g_assert_true (g_str_has_prefix (rejects, "case_ref,area,sentence_type,start_date,shoe_size,"));
  g_assert_nonnull (strstr (rejects, "IMP-BAD,Leeds,licence,2024-13-01,7,"));
  g_assert_null (strstr (rejects, "IMP-1"));
  g_assert_null (strstr (rejects, "IMP-3"));

  /* Nothing is saved before the user says so. */
  g_assert_cmpint (cb_case_store_count (store), ==, 0);

  cb_import_dialog_import_valid (dialog);
  g_assert_true (cb_ui_wait_for (dialog_gone, NULL, 10000));
  cb_ui_wait (500);

  /* Saved, and the window heard of it: no longer the empty state. */
  g_assert_cmpint (cb_case_store_count (store), ==, 3);
  g_assert_false (cb_window_is_empty_state (fixture->window));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (fixture->window), "3 added")));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "import-done.png");
}

static void
test_missing_column (CbUiFixture   *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  CbImportDialog *dialog;

  cb_ui_start_app (fixture);
  file = cb_ui_write_file (fixture, "short.csv", "case_ref,area\nM-1,Leeds\n");
  dialog = open_file (fixture, file);
  cb_ui_wait (100);

  g_assert_true (cb_import_dialog_has_failed (dialog));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "This File Cannot Be Imported")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "start_date")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "Close")));
  g_assert_false (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "Import Valid Rows")));
  g_assert_false (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "ontinue")));
  cb_ui_save_screenshot (GTK_WIDGET (dialog), "import-missing-column.png");

  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cb_ui_wait_for (dialog_gone, NULL, 5000));
}

/* Starts the application, opens @contents as the file @name, and waits
 * until the dialog has checked every row. */
static CbImportDialog *
start_with_checked_file (CbUiFixture *fixture,
                         const char  *name,
                         const char  *contents)
{
  g_autoptr(GFile) file = NULL;
  CbImportDialog *dialog;

  cb_ui_start_app (fixture);
  file = cb_ui_write_file (fixture, name, contents);
  dialog = open_file (fixture, file);
  g_assert_true (cb_ui_wait_for (dialog_checked, dialog, 30000));
  return dialog;
}

static void
test_cancel_import (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("case_ref,area,sentence_type,start_date\n");
  CbCaseStore *store;
  CbImportDialog *dialog;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (csv, "BIG-%u,Leeds,licence,2024-01-10\n", i);

  dialog = start_with_checked_file (fixture, "big.csv", csv->str);
  store = cb_application_get_store (fixture->app);
  /* The separator in "20,000" depends on the locale. */
  g_assert_nonnull (strstr (cb_import_dialog_get_summary (dialog), " valid"));
  g_assert_null (strstr (cb_import_dialog_get_summary (dialog), "with errors"));

  /* Cancel as soon as the import starts: nothing may be saved. */
  cb_import_dialog_import_valid (dialog);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "Importing")));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cb_ui_wait_for (dialog_gone, NULL, 10000));
  cb_ui_wait (1000);

  g_assert_cmpint (cb_case_store_count (store), ==, 0);
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (fixture->window), "Import cancelled"));
}

/* A file large enough that the import inserts its rows in groups, with a
 * repeated reference and a bad date among them, imported to the end from
 * the window while the application's own connection stays open. */
static void
test_large_file (CbUiFixture   *fixture,
                 gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("case_ref,area,sentence_type,start_date\n");
  CbCaseStore *store;
  CbImportDialog *dialog;

  for (guint i = 0; i < 20000; i++)
    {
      if (i == 5000)
        g_string_append (csv, "BIG-4990,Leeds,licence,2024-01-10\n");
      else if (i == 12000)
        g_string_append (csv, "BIG-12000,Leeds,licence,2024-02-30\n");
      else
        g_string_append_printf (csv, "BIG-%u,%s,licence,2024-01-%02u\n",
                                i, i % 2 ? "Leeds" : "Cardiff", 1 + i % 28);
    }

  dialog = start_with_checked_file (fixture, "large.csv", csv->str);
  store = cb_application_get_store (fixture->app);
  g_assert_nonnull (strstr (cb_import_dialog_get_summary (dialog), "2 with errors"));

  cb_import_dialog_import_valid (dialog);
  g_assert_true (cb_ui_wait_for (dialog_gone, NULL, 30000));
  cb_ui_wait (500);

  g_assert_cmpint (cb_case_store_count (store), ==, 19998);
  g_assert_cmpuint (cb_ui_sql_count ("case_ref = 'BIG-4990'"), ==, 1);
  g_assert_cmpuint (cb_ui_sql_count ("case_ref = 'BIG-12000'"), ==, 0);
  g_assert_cmpuint (cb_ui_sql_count ("area = 'Cardiff'"), ==, 9998);
  g_assert_false (cb_window_is_empty_state (fixture->window));
}

int
main (int    argc,
      char **argv)
{
  cb_ui_test_init (&argc, &argv);

  CB_UI_ADD_TEST ("/import/one-bad-row", test_one_bad_row);
  CB_UI_ADD_TEST ("/import/missing-column", test_missing_column);
  CB_UI_ADD_TEST ("/import/cancel", test_cancel_import);
  CB_UI_ADD_TEST ("/import/large-file", test_large_file);

  return g_test_run ();
}
