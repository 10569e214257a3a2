/* test-window.c — the application shell in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cb-demo-data.h"
#include "cb-ui-test-util.h"

static void
test_empty_state (CbUiFixture   *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = NULL;
  GtkWidget *root;

  cb_ui_start_app (fixture);
  root = GTK_WIDGET (fixture->window);

  g_assert_true (gtk_widget_get_mapped (root));
  g_assert_true (cb_window_is_empty_state (fixture->window));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (root, "No Cases Yet")));

  /* The three ways to begin, each wired to its action. */
  g_assert_true (cb_ui_is_shown (cb_ui_find_action_button (root, "win.import")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_action_button (root, "win.new-case")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_action_button (root, "app.training-mode")));

  /* The first start made the private database. */
  path = cb_ui_default_db_path ();
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  cb_ui_save_screenshot (root, "empty-state.png");
}

static void
test_pages_by_action (CbUiFixture   *fixture,
                      gconstpointer  data)
{
  static const char *pages[] = { "cases", "guidance", "reports", "dashboard" };

  cb_ui_fill_default_database (50, 7);
  cb_ui_start_app (fixture);
  g_assert_false (cb_window_is_empty_state (fixture->window));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gboolean ok = gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                                "win.show-page", "s", pages[i]);
      g_assert_true (ok);
      cb_ui_wait (20);
      g_assert_cmpstr (cb_window_get_page (fixture->window), ==, pages[i]);
    }
}

static void
test_counts_shown (CbUiFixture   *fixture,
                   gconstpointer  data)
{
  GtkWidget *root;

  /* As "casebook-cli demo --cases 1000" would leave it. */
  cb_ui_fill_default_database (1000, 7);
  cb_ui_start_app (fixture);
  root = GTK_WIDGET (fixture->window);

  gtk_widget_activate_action (root, "win.show-page", "s", "dashboard");
  cb_ui_wait (50);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (root, "1000")) ||
                 cb_ui_is_shown (cb_ui_find_label (root, "1,000")));

  gtk_widget_activate_action (root, "win.show-page", "s", "cases");
  cb_ui_wait (50);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (root, "of 1000 cases")) ||
                 cb_ui_is_shown (cb_ui_find_label (root, "of 1,000 cases")));
  cb_ui_save_screenshot (root, "cases.png");
}

static gboolean
training_label_shown (gpointer data)
{
  CbUiFixture *fixture = data;

  return cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (fixture->window), "Demo Data"));
}

static void
test_training_mode (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *training_path = cb_case_store_get_training_path ();
  g_autofree char *live_path = cb_case_store_get_default_path ();
  CbCaseStore *store;

  cb_ui_start_app (fixture);
  g_assert_false (training_label_shown (fixture));

  /* The first-start page's button turns training mode on. */
  gtk_widget_activate (cb_ui_find_action_button (GTK_WIDGET (fixture->window), "app.training-mode"));
  g_assert_true (cb_ui_wait_for_label (GTK_WIDGET (fixture->window), "Demo Data", 5000));

  store = cb_application_get_store (fixture->app);
  g_assert_cmpstr (cb_case_store_get_path (store), ==, training_path);
  g_assert_cmpint (cb_case_store_count (store), ==, CB_TRAINING_CASES);
  g_assert_false (cb_window_is_empty_state (fixture->window));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "training.png");

  /* And off again: back to the (still empty) live database. */
  g_action_group_change_action_state (G_ACTION_GROUP (fixture->app), "training-mode",
                                      g_variant_new_boolean (FALSE));
  cb_ui_wait (50);
  g_assert_false (training_label_shown (fixture));
  g_assert_cmpstr (cb_case_store_get_path (cb_application_get_store (fixture->app)), ==, live_path);
  g_assert_true (cb_window_is_empty_state (fixture->window));
}

static void
test_window_size_remembered (CbUiFixture   *fixture,
                             gconstpointer  data)
{
  GSettings *settings;

  cb_ui_start_app (fixture);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  cb_ui_wait (50);
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  cb_ui_wait (50);

  settings = cb_application_get_settings (fixture->app);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
}

static void
test_database_is_private (CbUiFixture   *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  GStatBuf st;

  cb_ui_start_app (fixture);
  path = cb_ui_default_db_path ();
  folder = g_path_get_dirname (path);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

int
main (int    argc,
      char **argv)
{
  cb_ui_test_init (&argc, &argv);

  CB_UI_ADD_TEST ("/window/empty-state", test_empty_state);
  CB_UI_ADD_TEST ("/window/pages-by-action", test_pages_by_action);
  CB_UI_ADD_TEST ("/window/counts-shown", test_counts_shown);
  CB_UI_ADD_TEST ("/window/training-mode", test_training_mode);
  CB_UI_ADD_TEST ("/window/size-remembered", test_window_size_remembered);
  CB_UI_ADD_TEST ("/window/database-is-private", test_database_is_private);

  return g_test_run ();
}
