/* test-read-only.c — a database the user may not change, in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The database is made read-only for real: its file and folder lose their
 * write permission. Root writes whatever the permissions say, so a root
 * run does the test as "nobody", keeping root as its saved user id to
 * tidy up afterwards; the application then opens the file exactly as it
 * would for a person without write access.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cb-case-editor.h"
#include "cb-import-dialog.h"
#include "cb-ui-test-util.h"

#define NOBODY_ID 65534
#define N_CASES   30

static const char small_csv[] =
  "case_ref,area,sentence_type,start_date\n"
  "RO-1,Leeds,licence,2024-01-10\n";

/* ---- privileges ---- */

typedef struct
{
  gboolean  dropped;
  GArray   *groups;
} Privileges;

/* Gives up root for the real and effective ids (access(2), which the store
 * asks, checks the real one) but keeps it as the saved id, to come back. */
static gboolean
drop_root (Privileges *saved)
{
  int n = getgroups (0, NULL);

  saved->groups = g_array_sized_new (FALSE, TRUE, sizeof (gid_t), MAX (n, 1));
  g_array_set_size (saved->groups, MAX (n, 0));
  if (n > 0 && getgroups (n, (gid_t *) saved->groups->data) != n)
    return FALSE;

  if (setgroups (0, NULL) != 0 ||
      setresgid (NOBODY_ID, NOBODY_ID, 0) != 0 ||
      setresuid (NOBODY_ID, NOBODY_ID, 0) != 0)
    return FALSE;

  /* Keep /proc/self readable after the id change. */
  prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
  saved->dropped = TRUE;
  return getuid () == NOBODY_ID && geteuid () == NOBODY_ID;
}

static void
restore_root (Privileges *saved)
{
  if (saved->dropped)
    {
      g_assert_cmpint (setresuid (0, 0, 0), ==, 0);
      g_assert_cmpint (setresgid (0, 0, 0), ==, 0);
      g_assert_cmpint (setgroups (saved->groups->len, (gid_t *) saved->groups->data), ==, 0);
      saved->dropped = FALSE;
    }
  g_clear_pointer (&saved->groups, g_array_unref);
}

/* ---- the database ---- */

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* No one but root may write the file or its folder; everyone may read
 * them, so "nobody" can open the file. */
static void
lock_database (CbUiFixture *fixture,
               const char  *path)
{
  g_autofree char *data_home = g_path_get_dirname (fixture->data_dir);

  if (geteuid () == 0)
    g_assert_cmpint (g_chmod (data_home, 0711), ==, 0);
  g_assert_cmpint (g_chmod (fixture->data_dir, 0555), ==, 0);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
}

static void
unlock_database (CbUiFixture *fixture,
                 const char  *path)
{
  g_autofree char *data_home = g_path_get_dirname (fixture->data_dir);

  g_chmod (data_home, 0700);
  g_chmod (fixture->data_dir, 0700);
  g_chmod (path, 0600);
}

/* ---- what the person sees ---- */

/* What a key press does: the widget's own shortcut for @accelerator runs,
 * as GTK would run it. */
static void
press_shortcut (GtkWidget  *widget,
                const char *accelerator)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcut) found = NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; found == NULL && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            found = g_steal_pointer (&shortcut);
        }
    }
  g_clear_object (&controllers);

  g_assert_nonnull (found);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (found), 0, widget,
                                               gtk_shortcut_get_arguments (found)));
}

static GtkColumnView *
show_cases (CbUiFixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "cases");
  cb_ui_wait (100);
  g_assert_cmpstr (cb_window_get_page (fixture->window), ==, "cases");
  return GTK_COLUMN_VIEW (cb_ui_find_by_type (GTK_WIDGET (fixture->window), GTK_TYPE_COLUMN_VIEW));
}

static void
assert_action_off (GtkWidget  *root,
                   const char *action_name)
{
  GtkWidget *button = cb_ui_find_action_button (root, action_name);

  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));
}

/* ---- the checks, made as a person who may not write the file ---- */

static void
check_cases_shown (CbUiFixture   *fixture,
                   GtkColumnView *view)
{
  g_autofree char *count = g_strdup_printf ("%u of %u cases", N_CASES, N_CASES);
  GtkWidget *root = GTK_WIDGET (fixture->window);

  g_assert_true (cb_case_store_is_read_only (cb_application_get_store (fixture->app)));
  g_assert_false (cb_window_is_empty_state (fixture->window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), ==, N_CASES);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (root, count)));
}

static void
check_banner (CbUiFixture *fixture,
              const char  *path)
{
  GtkWidget *banner = cb_ui_find_label (GTK_WIDGET (fixture->window), path);
  GtkWidget *backup;

  g_assert_true (cb_ui_is_shown (banner));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (banner)), "Read-only"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (banner)), "write access"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (banner)), "backup copy"));

  /* A copy can be made from right there. */
  backup = cb_ui_find_action_button (gtk_widget_get_parent (banner), "win.backup");
  g_assert_true (cb_ui_is_shown (backup));
  g_assert_true (gtk_widget_is_sensitive (backup));

  /* Still there on another page: it is the window's, not a page's. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "dashboard");
  cb_ui_wait (50);
  g_assert_true (cb_ui_is_shown (banner));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "read-only.png");
}

static void
check_actions_off (CbUiFixture   *fixture,
                   GtkColumnView *view)
{
  GtkWidget *root = GTK_WIDGET (fixture->window);
  GtkSelectionModel *model = gtk_column_view_get_model (view);

  assert_action_off (root, "win.new-case");
  assert_action_off (root, "win.import");

  /* Shortcuts reach the actions too: they do nothing. */
  gtk_widget_activate_action (root, "win.new-case", NULL);
  cb_ui_wait (100);
  g_assert_null (cb_ui_find_toplevel (CB_TYPE_CASE_EDITOR));

  gtk_selection_model_select_item (model, 0, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (view), "cases.delete-selected", NULL);
  cb_ui_wait (50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_CASES);
  g_assert_null (cb_ui_find_label (root, "deleted"));
}

/* The editor opens for viewing; a save tried from the keyboard all the
 * same is refused with the reason, and the edit stays on screen. */
static void
check_editor_refuses (CbUiFixture   *fixture,
                      GtkColumnView *view)
{
  CbCaseEditor *editor;
  GtkWidget *team;
  AdwMessageDialog *question;

  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_signal_emit_by_name (view, "activate", 0);
  g_assert_true (cb_ui_wait_for_toplevel (CB_TYPE_CASE_EDITOR, 3000));
  editor = CB_CASE_EDITOR (cb_ui_find_toplevel (CB_TYPE_CASE_EDITOR));

  g_assert_false (cb_case_editor_can_save (editor));
  assert_action_off (GTK_WIDGET (editor), "editor.save");
  assert_action_off (GTK_WIDGET (editor), "editor.delete");
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (editor),
                                                    "Read-only database: changes cannot be saved")));

  team = cb_case_editor_get_input (editor, CB_FIELD_TEAM);
  gtk_editable_set_text (GTK_EDITABLE (team), "Changed while read-only");
  press_shortcut (GTK_WIDGET (editor), "<Control>s");
  g_assert_true (cb_ui_wait_for_label (GTK_WIDGET (editor), "The database is read-only", 3000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (team)), ==, "Changed while read-only");
  cb_ui_save_screenshot (GTK_WIDGET (editor), "read-only-editor.png");

  /* Closing asks about the change, without offering to save it. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  cb_ui_wait (100);
  question = ADW_MESSAGE_DIALOG (cb_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "read-only"));
  g_assert_false (adw_message_dialog_get_response_enabled (question, "save"));
  adw_message_dialog_response (question, "discard");
  g_assert_true (cb_ui_wait_for_no_toplevel (CB_TYPE_CASE_EDITOR, 3000));
}

/* A file dropped on the window, or handed over by a second instance, goes
 * through cb_window_open_file(): refused with a message, no dialog. */
static void
check_import_refused (CbUiFixture *fixture)
{
  g_autofree char *csv_path = g_build_filename (fixture->data_dir, "small.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);

  cb_window_open_file (fixture->window, csv);
  cb_ui_wait (100);
  g_assert_null (cb_ui_find_toplevel (CB_TYPE_IMPORT_DIALOG));
  g_assert_true (cb_ui_wait_for_label (GTK_WIDGET (fixture->window),
                                       "“small.csv” was not imported: the database is read-only",
                                       3000));
}

static void
test_read_only_database (CbUiFixture   *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = cb_ui_default_db_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *csv_path = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  Privileges saved = { FALSE, NULL };
  GtkColumnView *view;

  cb_ui_fill_default_database (N_CASES, 11);
  csv_path = g_build_filename (fixture->data_dir, "small.csv", NULL);
  g_file_set_contents (csv_path, small_csv, -1, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  before = read_bytes (path);

  /* The session bus admits only its own user: join it while still root. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  lock_database (fixture, path);
  if (geteuid () == 0 && !drop_root (&saved))
    {
      restore_root (&saved);
      unlock_database (fixture, path);
      g_test_skip ("running as root and cannot act as an unprivileged user, "
                   "so file permissions cannot be tested");
      return;
    }

  cb_ui_start_app (fixture);
  view = show_cases (fixture);
  check_cases_shown (fixture, view);
  check_banner (fixture, path);
  check_actions_off (fixture, view);
  check_editor_refuses (fixture, view);
  check_import_refused (fixture);

  restore_root (&saved);
  unlock_database (fixture, path);

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cb_ui_sql_int (path, "SELECT count(*) FROM cases"), ==, N_CASES);
}

/* The same database with write access: no banner, and every action on. */
static void
test_writable_database (CbUiFixture   *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = cb_ui_default_db_path ();
  GtkWidget *root;

  cb_ui_fill_default_database (N_CASES, 11);
  cb_ui_start_app (fixture);
  root = GTK_WIDGET (fixture->window);
  show_cases (fixture);

  g_assert_false (cb_case_store_is_read_only (cb_application_get_store (fixture->app)));
  g_assert_false (cb_ui_is_shown (cb_ui_find_label (root, path)));
  g_assert_true (gtk_widget_is_sensitive (cb_ui_find_action_button (root, "win.new-case")));
  g_assert_true (gtk_widget_is_sensitive (cb_ui_find_action_button (root, "win.import")));
}

int
main (int    argc,
      char **argv)
{
  cb_ui_test_init (&argc, &argv);

  CB_UI_ADD_TEST ("/read-only/database", test_read_only_database);
  CB_UI_ADD_TEST ("/read-only/writable", test_writable_database);

  return g_test_run ();
}
