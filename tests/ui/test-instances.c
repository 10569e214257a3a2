/* test-instances.c — one Casebook at a time, and other programs on its file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built "casebook" and "casebook-cli" run as real processes beside the
 * application under test: a second casebook hands its file to the first
 * over the session bus, and casebook-cli writes the database the window
 * has open. A lock held on the file from another connection makes the
 * application's save wait out the busy timeout and say what to do.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cb-case-editor.h"
#include "cb-import-dialog.h"
#include "cb-ui-test-util.h"

#define CASEBOOK     BUILD_ROOT "/src/casebook"
#define CASEBOOK_CLI BUILD_ROOT "/src/cli/casebook-cli"

#define N_CASES      20
#define N_CLI_ROWS   2000

/* ---- helpers ---- */

static guint
count_main_windows (CbApplication *app)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    n += CB_IS_WINDOW (l->data);

  return n;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_process_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Runs the main context meanwhile: the application under test must answer
 * the bus while the other process talks to it. The limit only stops a hung
 * run; the assertion is on the exit status. */
static void
wait_for_exit (GSubprocess *process)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, on_process_done, &done);
  g_assert_true (cb_ui_wait_for (is_true, &done, 60000));
}

static char *
sql_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    g_error ("%s: %s (%d) in %s", sql, sqlite3_errmsg (db), sqlite3_extended_errcode (db),
             sqlite3_db_filename (db, "main"));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static CbCaseEditor *
open_first_case (CbUiFixture *fixture)
{
  GtkColumnView *view;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "cases");
  cb_ui_wait (50);
  view = GTK_COLUMN_VIEW (cb_ui_find_by_type (GTK_WIDGET (fixture->window), GTK_TYPE_COLUMN_VIEW));

  /* What Enter or a double-click on the first row does. */
  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_signal_emit_by_name (view, "activate", 0);
  g_assert_true (cb_ui_wait_for_toplevel (CB_TYPE_CASE_EDITOR, 3000));
  cb_ui_wait (50);

  return CB_CASE_EDITOR (cb_ui_find_toplevel (CB_TYPE_CASE_EDITOR));
}

static void
set_team (CbCaseEditor *editor,
          const char   *team)
{
  gtk_editable_set_text (GTK_EDITABLE (cb_case_editor_get_input (editor, CB_FIELD_TEAM)), team);
}

static char *
team_of_case (sqlite3 *db,
              gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce(team, '<null>') FROM cases WHERE id = %"
                                          G_GINT64_FORMAT, id);

  return sql_text (db, sql);
}

/* ---- a second casebook hands its file to the first ---- */

static void
test_second_instance (CbUiFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) csv = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  CbImportDialog *dialog;

  cb_ui_start_unique_app (fixture);
  csv = cb_ui_write_file (fixture, "handed-over.csv",
                    "case_ref,area,sentence_type,start_date\n"
                    "HAND-1,Leeds,licence,2024-01-10\n");
  g_assert_null (cb_ui_find_toplevel (CB_TYPE_IMPORT_DIALOG));

  second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                             CASEBOOK, g_file_peek_path (csv), NULL);
  g_assert_no_error (error);
  wait_for_exit (second);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);

  /* The first instance got the file: its import dialog, on its window. */
  g_assert_true (cb_ui_wait_for_toplevel (CB_TYPE_IMPORT_DIALOG, 10000));
  dialog = CB_IMPORT_DIALOG (cb_ui_find_toplevel (CB_TYPE_IMPORT_DIALOG));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "handed-over.csv")));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (dialog), "HAND-1")));
  g_assert_cmpuint (count_main_windows (fixture->app), ==, 1);
  cb_ui_save_screenshot (GTK_WIDGET (dialog), "second-instance-import.png");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* ---- casebook-cli and the window write the same file ---- */

typedef struct
{
  char   *path;
  gint    locked;      /* atomic */
  guint   hold_ms;
} LockHolder;

/* Another writer, in its own thread so the main thread can meanwhile be
 * blocked in the application's save. */
static gpointer
hold_write_lock (gpointer data)
{
  LockHolder *holder = data;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (holder->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_atomic_int_set (&holder->locked, 1);
  g_usleep (holder->hold_ms * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  return NULL;
}

static gboolean
is_locked (gpointer data)
{
  return g_atomic_int_get (&((LockHolder *) data)->locked) == 1;
}

static char *
make_cli_csv (void)
{
  GString *csv = g_string_new ("case_ref,area,sentence_type,start_date\n");

  for (guint i = 1; i <= N_CLI_ROWS; i++)
    g_string_append_printf (csv, "CLI-%05u,Cardiff,community_order,2024-02-%02u\n", i, 1 + i % 28);

  return g_string_free (csv, FALSE);
}

/* Both writers wait on the busy timeout for a third that holds the file
 * (shorter than the timeout), then for each other; both succeed, and
 * both changes are in the file. */
static void
test_cli_and_app_write (CbUiFixture   *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = cb_ui_default_db_path ();
  g_autofree char *csv_text = make_cli_csv ();
  g_autoptr(GFile) csv = NULL;
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_output = g_strdup_printf ("%u added", N_CLI_ROWS);
  g_autofree char *output = NULL;
  g_autofree char *team = NULL;
  g_autofree char *count = NULL;
  LockHolder holder = { path, 0, 1500 };
  GThread *thread;
  CbCaseEditor *editor;
  gint64 id;
  sqlite3 *db;

  cb_ui_fill_default_database (N_CASES, 5);
  csv = cb_ui_write_file (fixture, "from-cli.csv", csv_text);
  cb_ui_start_app (fixture);
  editor = open_first_case (fixture);
  id = cb_case_editor_get_case_id (editor);
  set_team (editor, "Saved while the CLI imports");

  thread = g_thread_new ("lock-holder", hold_write_lock, &holder);
  g_assert_true (cb_ui_wait_for (is_locked, &holder, 10000));

  cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                          CASEBOOK_CLI, "--db", path, "import", g_file_peek_path (csv), NULL);
  g_assert_no_error (error);

  /* Blocks in the busy handler until the lock holder lets go. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (cb_ui_wait_for_no_toplevel (CB_TYPE_CASE_EDITOR, 3000));
  g_assert_null (cb_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_subprocess_communicate_utf8 (cli, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (cli));
  g_assert_cmpint (g_subprocess_get_exit_status (cli), ==, 0);
  g_assert_nonnull (strstr (output, expected_output));
  g_thread_join (thread);

  db = cb_ui_open_db (NULL, SQLITE_OPEN_READWRITE);
  team = team_of_case (db, id);
  count = sql_text (db, "SELECT count(*) FROM cases");
  sqlite3_close (db);
  g_assert_cmpstr (team, ==, "Saved while the CLI imports");
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), ==, N_CASES + N_CLI_ROWS);
}

/* ---- what another process reads after the window saved ---- */

static char *
run_cli (const char *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) CASEBOOK_CLI);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  cli = g_subprocess_newv ((const char * const *) argv->pdata,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (cli, NULL, NULL, &output, &errors, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (cli) != 0)
    g_error ("casebook-cli %s failed: %s", first_arg, errors);

  return g_steal_pointer (&output);
}

/* casebook-cli runs (and ends) while the window is open, as a script
 * would; what the window saves afterwards must reach the file, where the
 * next program reads it. The dashboard has counted first: its worker
 * opens the file a second time in this process. */
static void
test_save_after_cli (CbUiFixture   *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = cb_ui_default_db_path ();
  g_autofree char *counted = g_strdup_printf ("%u cases on record", N_CASES);
  g_autofree char *export_path = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *exported = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  CbCaseEditor *editor;

  cb_ui_fill_default_database (N_CASES, 5);
  cb_ui_start_app (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "dashboard");
  g_assert_true (cb_ui_wait_for_label (GTK_WIDGET (fixture->window), counted, 10000));

  listing = run_cli ("--db", path, "list", NULL);
  lines = g_strsplit (listing, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, N_CASES);

  editor = open_first_case (fixture);
  set_team (editor, "Saved after the CLI ran");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (cb_ui_wait_for_no_toplevel (CB_TYPE_CASE_EDITOR, 3000));

  export_path = g_build_filename (fixture->data_dir, "after.csv", NULL);
  g_free (run_cli ("--db", path, "export-csv", export_path, NULL));
  g_file_get_contents (export_path, &exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (exported, "Saved after the CLI ran"));
}

/* ---- a writer that holds on longer than the busy timeout ---- */

static AdwMessageDialog *
find_busy_dialog (void)
{
  return ADW_MESSAGE_DIALOG (cb_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static void
test_busy_database (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *team_before = NULL;
  g_autofree char *team_during = NULL;
  g_autofree char *team_after = NULL;
  CbCaseEditor *editor;
  AdwMessageDialog *busy;
  sqlite3 *holder;
  gint64 id;

  cb_ui_fill_default_database (N_CASES, 5);
  cb_ui_start_app (fixture);
  editor = open_first_case (fixture);
  id = cb_case_editor_get_case_id (editor);
  set_team (editor, "Kept while the file was busy");

  holder = cb_ui_open_db (NULL, SQLITE_OPEN_READWRITE);
  team_before = team_of_case (holder, id);
  g_assert_cmpint (sqlite3_exec (holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  /* Waits the whole busy timeout, then gives up with the reason. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  cb_ui_wait (100);
  busy = find_busy_dialog ();
  g_assert_nonnull (busy);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (busy)) == GTK_WINDOW (editor));
  g_assert_cmpstr (adw_message_dialog_get_heading (busy), ==, "The Database Is Busy");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (busy), "busy in another program"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (busy), "try again"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (busy), "Press Save again"));
  cb_ui_save_screenshot (GTK_WIDGET (busy), "database-busy.png");

  /* Nothing lost: the edit is still in the editor, the file as it was. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cb_case_editor_get_input (editor, CB_FIELD_TEAM))),
                   ==, "Kept while the file was busy");
  team_during = team_of_case (holder, id);
  g_assert_cmpstr (team_during, ==, team_before);

  g_assert_cmpint (sqlite3_exec (holder, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  gtk_window_close (GTK_WINDOW (busy));
  cb_ui_wait (50);

  /* Save again, once the other writer is done: it goes through. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (cb_ui_wait_for_no_toplevel (CB_TYPE_CASE_EDITOR, 3000));
  team_after = team_of_case (holder, id);
  g_assert_cmpstr (team_after, ==, "Kept while the file was busy");
  sqlite3_close (holder);
}

int
main (int    argc,
      char **argv)
{
  cb_ui_test_init (&argc, &argv);

  CB_UI_ADD_TEST ("/instances/second-instance-hands-over", test_second_instance);
  CB_UI_ADD_TEST ("/instances/cli-and-app-write", test_cli_and_app_write);
  CB_UI_ADD_TEST ("/instances/save-after-cli", test_save_after_cli);
  CB_UI_ADD_TEST ("/instances/busy-database", test_busy_database);

  return g_test_run ();
}
