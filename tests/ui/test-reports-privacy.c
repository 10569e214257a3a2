/* test-reports-privacy.c — the Reports page keeps notes in unless asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue #6: exports never include notes unless asked, and every exported
 * file is private to its owner. This drives the real Reports page: the
 * workbook it saves with the case list on leaves the notes out until the
 * "Include case notes" switch is on.
 */
#define G_LOG_DOMAIN "casebook-test-reports-privacy"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cb-case-query.h"
#include "cb-case-store.h"
#include "cb-reports-page.h"
#include "cb-ui-test-util.h"

#define NOTE_MARKER "ZqReportsNoteMarker"

static void
save_marked_case (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseStore) store = cb_case_store_open (NULL, &error);
  g_autoptr(CbCase) record = cb_case_new ();

  g_assert_no_error (error);
  cb_case_set (record, CB_FIELD_CASE_REF, "NOTES-1");
  cb_case_set (record, CB_FIELD_AREA, "Leeds");
  cb_case_set (record, CB_FIELD_SENTENCE_TYPE, "community_order");
  cb_case_set (record, CB_FIELD_START_DATE, "2024-01-15");
  cb_case_set (record, CB_FIELD_NOTES, NOTE_MARKER " said something personal");
  g_assert_true (cb_case_store_save (store, record, &error));
  g_assert_no_error (error);
}

static gboolean
reports_idle (gpointer data)
{
  return !cb_reports_page_is_busy (data);
}

static void
export_and_wait (CbReportsPage *page,
                 const char    *path)
{
  cb_reports_page_export_to_path (page, path);
  g_assert_true (cb_reports_page_is_busy (page));
  g_assert_true (cb_ui_wait_for (reports_idle, page, 30000));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_notes_only_when_asked (CbUiFixture   *fixture,
                            gconstpointer  data)
{
  g_autofree char *folder = g_dir_make_tmp ("casebook-notes-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (folder, "plain.xlsx", NULL);
  g_autofree char *with_notes = g_build_filename (folder, "with-notes.xlsx", NULL);
  CbReportsPage *page;
  GSettings *settings;
  GtkWidget *notes_switch;

  save_marked_case ();
  cb_ui_start_app (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "reports");
  page = CB_REPORTS_PAGE (cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_REPORTS_PAGE));
  settings = cb_application_get_settings (fixture->app);

  /* Out of the box the notes switch is off. */
  notes_switch = gtk_widget_get_ancestor (cb_ui_find_label (GTK_WIDGET (page), "Include Case Notes"),
                                          ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (notes_switch);
  notes_switch = cb_ui_find_by_type (notes_switch, GTK_TYPE_SWITCH);
  g_assert_nonnull (notes_switch);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (notes_switch)));

  /* The case list, without being asked for the notes. */
  g_settings_set_boolean (settings, "export-include-cases", TRUE);
  cb_ui_wait (50);
  export_and_wait (page, plain);
  g_assert_true (cb_ui_workbook_contains (plain, "NOTES-1"));
  g_assert_false (cb_ui_workbook_contains (plain, NOTE_MARKER));
  g_assert_cmpuint (cb_test_file_mode (plain), ==, 0600);

  /* The user turns the switch on: now the notes go too. */
  gtk_switch_set_active (GTK_SWITCH (notes_switch), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "export-include-notes"));
  export_and_wait (page, with_notes);
  g_assert_true (cb_ui_workbook_contains (with_notes, NOTE_MARKER));
  g_assert_cmpuint (cb_test_file_mode (with_notes), ==, 0600);

  g_settings_reset (settings, "export-include-cases");
  g_settings_reset (settings, "export-include-notes");
  g_unlink (plain);
  g_unlink (with_notes);
  g_rmdir (folder);
}

int
main (int    argc,
      char **argv)
{
  /* The file's mode must not owe anything to the umask. */
  umask (0);
  cb_ui_test_init (&argc, &argv);

  g_test_add ("/reports/notes-only-when-asked", CbUiFixture, NULL,
              cb_ui_fixture_setup, test_notes_only_when_asked, cb_ui_fixture_teardown);

  return g_test_run ();
}
