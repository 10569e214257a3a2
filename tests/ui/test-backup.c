/* test-backup.c — "Back Up Database…" and "Restore Database…" in the real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * File choosers cannot be driven under Xvfb, so the tests start where the
 * choosers hand over: cb_window_backup_to_file() and
 * cb_window_restore_from_file().
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "cb-cases-page.h"
#include "cb-demo-data.h"
#include "cb-test-util.h"
#include "cb-ui-test-util.h"
#include "cb-window-backup.h"

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWanted;

static gboolean
label_shown (gpointer data)
{
  LabelWanted *wanted = data;

  return cb_ui_is_shown (cb_ui_find_label (wanted->root, wanted->text));
}

static void
wait_for_label (CbUiFixture *fixture,
                const char  *text)
{
  LabelWanted wanted = { GTK_WIDGET (fixture->window), text };

  if (!cb_ui_wait_for (label_shown, &wanted, 20000))
    g_error ("“%s” never appeared in the window", text);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

/* As a person would: the dialog's button, which also closes it. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *text = cb_ui_find_label (GTK_WIDGET (dialog), label);
  GtkWidget *button = text ? gtk_widget_get_ancestor (text, GTK_TYPE_BUTTON) : NULL;

  g_assert_nonnull (button);
  g_assert_true (cb_ui_is_shown (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
window_idle (gpointer data)
{
  return !cb_window_backup_is_busy (data);
}

static GtkWidget *
find_primary_menu_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_MENU_BUTTON (child) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (child)))
        return child;
      if ((found = find_primary_menu_button (child)))
        return found;
    }

  return NULL;
}

/* The menu's items are model buttons, found by the text they show. */
static GtkWidget *
find_menu_text (GtkWidget  *root,
                const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *shown = NULL;
      GtkWidget *found;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "text") &&
          g_str_equal (G_OBJECT_TYPE_NAME (child), "GtkModelButton"))
        {
          g_object_get (child, "text", &shown, NULL);
          if (g_strcmp0 (shown, text) == 0)
            return child;
        }
      if ((found = find_menu_text (child, text)))
        return found;
    }

  return NULL;
}

/* The item of the main menu, as the person would see it. */
static GtkWidget *
menu_item (CbUiFixture *fixture,
           const char  *text)
{
  GtkWidget *button = find_primary_menu_button (GTK_WIDGET (fixture->window));
  GtkPopover *popover;

  g_assert_nonnull (button);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  return find_menu_text (GTK_WIDGET (popover), text);
}

static void
assert_menu_sensitive (CbUiFixture *fixture,
                       gboolean     sensitive)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (find_primary_menu_button (GTK_WIDGET (fixture->window)));
  GtkWidget *backup, *restore;

  gtk_menu_button_popup (button);
  cb_ui_wait (100);
  backup = menu_item (fixture, "Back Up Database…");
  restore = menu_item (fixture, "Restore Database…");
  g_assert_nonnull (backup);
  g_assert_nonnull (restore);
  g_assert_true (cb_ui_is_shown (backup));
  g_assert_cmpint (gtk_widget_get_sensitive (backup), ==, sensitive);
  g_assert_cmpint (gtk_widget_get_sensitive (restore), ==, sensitive);
  gtk_menu_button_popdown (button);
  cb_ui_wait (50);
}

/* The strip under the header bar while a backup or restore runs. */
static void
assert_progress_shown (CbUiFixture *fixture,
                       const char  *text,
                       gboolean     cancel)
{
  GtkWidget *revealer = cb_ui_find_by_type (GTK_WIDGET (fixture->window), GTK_TYPE_REVEALER);
  GtkWidget *strip = NULL;

  /* The window has more than one revealer: the strip is the one with a
   * progress bar. */
  for (; revealer != NULL; revealer = gtk_widget_get_next_sibling (revealer))
    if (GTK_IS_REVEALER (revealer) && cb_ui_find_by_type (revealer, GTK_TYPE_PROGRESS_BAR))
      strip = revealer;
  g_assert_nonnull (strip);

  g_assert_cmpint (gtk_revealer_get_reveal_child (GTK_REVEALER (strip)), ==, text != NULL);
  if (text != NULL)
    {
      GtkWidget *button = cb_ui_find_label (strip, "_Cancel");

      g_assert_nonnull (cb_ui_find_label (strip, text));
      g_assert_nonnull (button);
      g_assert_cmpint (gtk_widget_get_visible (gtk_widget_get_ancestor (button, GTK_TYPE_BUTTON)), ==, cancel);
    }
}

/* The "N of M cases" label of the Cases page. */
static gboolean
cases_page_shows (CbUiFixture *fixture,
                  const char  *expected)
{
  GtkWidget *page = cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_CASES_PAGE);
  GtkWidget *label = cb_ui_find_label (page, expected);

  return cb_ui_is_shown (label) && g_str_equal (gtk_label_get_label (GTK_LABEL (label)), expected);
}

typedef struct
{
  CbUiFixture *fixture;
  const char  *expected;
} CountWanted;

static gboolean
count_shown (gpointer data)
{
  CountWanted *wanted = data;

  return cases_page_shows (wanted->fixture, wanted->expected);
}

static char *
find_kept_file (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_regex_match_simple ("^casebook\\.db\\.replaced-[0-9]{8}-[0-9]{6}$", name, 0, 0))
      return g_build_filename (folder, name, NULL);

  return NULL;
}

static void
test_backup_then_restore (CbUiFixture   *fixture,
                          gconstpointer  data)
{
  g_autofree char *db_path = cb_ui_default_db_path ();
  g_autofree char *folder = NULL;
  g_autofree char *backup_path = NULL;
  g_autofree char *live_dump = NULL;
  g_autofree char *backup_dump = NULL;
  g_autofree char *restored_dump = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GFile) backup = NULL;
  g_autoptr(GError) error = NULL;
  CountWanted wanted = { fixture, "60 of 60 cases" };
  AdwMessageDialog *dialog;
  CbCaseStore *store;

  cb_ui_start_app (fixture);
  store = cb_application_get_store (fixture->app);
  cb_demo_data_generate (store, 60, 31, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_menu_sensitive (fixture, TRUE);

  /* Back up, as the save dialog would, into a folder that is made for it. */
  folder = g_build_filename (fixture->data_dir, "backups", NULL);
  backup_path = g_build_filename (folder, "casebook-backup-2026-03-31.db", NULL);
  backup = g_file_new_for_path (backup_path);
  cb_window_backup_to_file (fixture->window, backup);
  assert_progress_shown (fixture, "Backing up to casebook-backup-2026-03-31.db…", TRUE);
  g_assert_true (cb_window_backup_is_busy (fixture->window));
  wait_for_label (fixture, "Backup saved as casebook-backup-2026-03-31.db");
  g_assert_true (cb_ui_wait_for (window_idle, fixture->window, 5000));
  /* Let the toast finish sliding in, as it has long before a person can
   * act: libadwaita 1.2 writes to freed memory when a toast still opening
   * is taken away (seen under valgrind, where the restore below came
   * within the animation's quarter second). */
  cb_ui_wait (500);
  assert_progress_shown (fixture, NULL, FALSE);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "backup-saved.png");

  live_dump = cb_test_dump_file (db_path, "SELECT * FROM cases ORDER BY id");
  backup_dump = cb_test_dump_file (backup_path, "SELECT * FROM cases ORDER BY id");
  g_assert_cmpstr (backup_dump, ==, live_dump);
  g_assert_cmpint (cb_test_query_int (backup_path, "SELECT count(*) FROM cases"), ==, 60);
  g_assert_cmpuint (cb_test_file_mode (backup_path), ==, 0600);
  g_assert_cmpuint (cb_test_file_mode (folder), ==, 0700);

  /* Later changes, which the restore will undo. */
  for (gint64 id = 1; id <= 10; id++)
    {
      g_assert_true (cb_case_store_delete (store, id, &error));
      g_assert_no_error (error);
    }
  cb_window_show_page (fixture->window, "cases");
  wanted.expected = "50 of 50 cases";
  g_assert_true (cb_ui_wait_for (count_shown, &wanted, 10000));

  /* Restore: the file is checked, then a confirmation names the kept copy. */
  cb_window_restore_from_file (fixture->window, backup);
  g_assert_true (cb_ui_wait_for (message_dialog_shown, NULL, 10000));
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Restore the Backup?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "casebook.db.replaced-"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "casebook-backup-2026-03-31.db"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "restore"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpint (cb_test_query_int (db_path, "SELECT count(*) FROM cases"), ==, 50);
  cb_ui_save_screenshot (GTK_WIDGET (dialog), "restore-confirm.png");

  click_response (dialog, "_Restore");
  wait_for_label (fixture, "Backup restored; the replaced database is kept as casebook.db.replaced-");
  g_assert_true (cb_ui_wait_for (window_idle, fixture->window, 5000));

  /* Every page now shows the restored cases, through a new store. */
  g_assert_true (cb_application_get_store (fixture->app) != store);
  wanted.expected = "60 of 60 cases";
  g_assert_true (cb_ui_wait_for (count_shown, &wanted, 10000));
  restored_dump = cb_test_dump_file (db_path, "SELECT * FROM cases ORDER BY id");
  g_assert_cmpstr (restored_dump, ==, backup_dump);

  /* The replaced database is kept beside it, private, with its 50 cases. */
  kept = find_kept_file (fixture->data_dir);
  g_assert_nonnull (kept);
  g_assert_cmpuint (cb_test_file_mode (kept), ==, 0600);
  g_assert_cmpint (cb_test_query_int (kept, "SELECT count(*) FROM cases"), ==, 50);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "restore-done.png");
}

static void
test_restore_declined_and_refused (CbUiFixture   *fixture,
                                   gconstpointer  data)
{
  g_autofree char *db_path = cb_ui_default_db_path ();
  g_autofree char *backup_path = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GFile) backup = NULL;
  g_autoptr(GFile) text = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  CbCaseStore *store;

  cb_ui_start_app (fixture);
  store = cb_application_get_store (fixture->app);
  cb_demo_data_generate (store, 20, 32, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  backup_path = g_build_filename (fixture->data_dir, "backup.db", NULL);
  backup = g_file_new_for_path (backup_path);
  cb_window_backup_to_file (fixture->window, backup);
  wait_for_label (fixture, "Backup saved as backup.db");
  g_assert_true (cb_ui_wait_for (window_idle, fixture->window, 5000));
  g_assert_true (cb_case_store_delete (store, 1, &error));
  g_assert_no_error (error);

  /* Cancel in the confirmation: nothing changes, nothing is kept. */
  cb_window_restore_from_file (fixture->window, backup);
  g_assert_true (cb_ui_wait_for (message_dialog_shown, NULL, 10000));
  click_response (find_message_dialog (), "_Cancel");
  cb_ui_wait (200);
  g_assert_true (cb_application_get_store (fixture->app) == store);
  g_assert_cmpint (cb_test_query_int (db_path, "SELECT count(*) FROM cases"), ==, 19);
  kept = find_kept_file (fixture->data_dir);
  g_assert_null (kept);

  /* A file that is not a backup is refused before any question. */
  g_assert_false (message_dialog_shown (NULL));
  text_path = g_build_filename (fixture->data_dir, "cases.csv", NULL);
  g_file_set_contents (text_path, "case_ref,area\nA-1,Leeds\n", -1, &error);
  g_assert_no_error (error);
  text = g_file_new_for_path (text_path);
  cb_window_restore_from_file (fixture->window, text);
  g_assert_true (cb_ui_wait_for (message_dialog_shown, NULL, 10000));
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cannot Restore This File");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "cases.csv"));
  g_assert_false (adw_message_dialog_has_response (dialog, "restore"));
  click_response (dialog, "_Close");
  cb_ui_wait (100);
  g_assert_cmpint (cb_test_query_int (db_path, "SELECT count(*) FROM cases"), ==, 19);
  g_assert_true (cb_application_get_store (fixture->app) == store);
}

static gboolean
training_on (gpointer data)
{
  return cb_application_get_training (data);
}

/* Neither is offered on the demo data: a demo "backup" restored later
 * would mix demo cases into the real database. */
static void
test_not_in_training_mode (CbUiFixture   *fixture,
                           gconstpointer  data)
{
  cb_ui_start_app (fixture);
  assert_menu_sensitive (fixture, TRUE);

  g_action_group_change_action_state (G_ACTION_GROUP (fixture->app), "training-mode",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (cb_ui_wait_for (training_on, fixture->app, 10000));
  assert_menu_sensitive (fixture, FALSE);

  g_action_group_change_action_state (G_ACTION_GROUP (fixture->app), "training-mode",
                                      g_variant_new_boolean (FALSE));
  cb_ui_wait (100);
  g_assert_false (cb_application_get_training (fixture->app));
  assert_menu_sensitive (fixture, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  cb_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, CbUiFixture, NULL, cb_ui_fixture_setup, func, cb_ui_fixture_teardown)

  ADD ("/backup/backup-then-restore", test_backup_then_restore);
  ADD ("/backup/restore-declined-and-refused", test_restore_declined_and_refused);
  ADD ("/backup/not-in-training-mode", test_not_in_training_mode);

#undef ADD

  return g_test_run ();
}
