/* cb-ui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test gets its own XDG_DATA_HOME, so the application opens a fresh
 * default database exactly as it would for a new user, and the memory
 * GSettings backend, so nothing leaks between tests.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cb-demo-data.h"
#include "cb-ui-test-util.h"

static char *data_home;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
cb_ui_test_init (int    *argc,
                 char ***argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);

  /* A private data folder, set before GLib caches it; each test starts
   * with no casebook folder in it, as a new user would. */
  data_home = g_dir_make_tmp ("casebook-ui-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

char *
cb_ui_default_db_path (void)
{
  return cb_case_store_get_default_path ();
}

void
cb_ui_fixture_setup (CbUiFixture   *fixture,
                     gconstpointer  data)
{
  fixture->data_dir = g_build_filename (data_home, "casebook", NULL);
  remove_tree (fixture->data_dir);
}

void
cb_ui_fixture_teardown (CbUiFixture   *fixture,
                        gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  cb_ui_wait (50);
  if (fixture->app != NULL)
    g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
  remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

/* Registers and activates the application without running its main loop,
 * so the test drives the main context itself. */
void
cb_ui_start_app (CbUiFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  static guint n_started;
  g_autofree char *app_id = g_strdup_printf (APP_ID ".Test%u", ++n_started);

  /* A fresh bus name per test: the session bus still holds the last one. */
  fixture->app = cb_application_new ();
  g_application_set_application_id (G_APPLICATION (fixture->app), app_id);
  g_application_set_flags (G_APPLICATION (fixture->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));

  window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  g_assert_true (CB_IS_WINDOW (window));
  fixture->window = CB_WINDOW (window);
  cb_ui_wait (100);
}

/* As a person starts Casebook: the real application id and flags, unique
 * on the session bus (dbus-run-session gives the tests their own), so a
 * second "casebook" hands its files to this one. Once per test program:
 * the bus name stays taken until the application is gone. */
void
cb_ui_start_unique_app (CbUiFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  fixture->app = cb_application_new ();
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (fixture->app)), ==, APP_ID);
  g_assert_false (g_application_get_flags (G_APPLICATION (fixture->app)) & G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (fixture->app)));
  g_application_activate (G_APPLICATION (fixture->app));

  window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  g_assert_true (CB_IS_WINDOW (window));
  fixture->window = CB_WINDOW (window);
  cb_ui_wait (100);
}

static gboolean
time_is_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
cb_ui_wait (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, time_is_up, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The valgrind test setup sets CASEBOOK_TEST_TIMEOUT_SCALE: under memcheck
 * everything runs 20-50 times slower, so the waits for work to finish do. */
static gint64
timeout_scale (void)
{
  const char *env = g_getenv ("CASEBOOK_TEST_TIMEOUT_SCALE");
  gint64 scale = env != NULL ? g_ascii_strtoll (env, NULL, 10) : 1;

  return MAX (scale, 1);
}

gboolean
cb_ui_wait_for (gboolean (*condition) (gpointer),
                gpointer   data,
                guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () +
                    timeout_scale () * timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

GtkWidget *
cb_ui_find_action_button (GtkWidget  *root,
                          const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      if ((found = cb_ui_find_action_button (child, action_name)))
        return found;
    }

  return NULL;
}

GtkWidget *
cb_ui_find_label (GtkWidget  *root,
                  const char *substring)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) &&
          strstr (gtk_label_get_label (GTK_LABEL (child)), substring) != NULL)
        return child;
      if ((found = cb_ui_find_label (child, substring)))
        return found;
    }

  return NULL;
}

GtkWidget *
cb_ui_find_by_type (GtkWidget *root,
                    GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = cb_ui_find_by_type (child, type)))
        return found;
    }

  return NULL;
}

/* Visible to a person: mapped, and every ancestor drawn. */
gboolean
cb_ui_is_shown (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_get_mapped (widget);
}

/* Saves what the user sees, for looking at by hand; set
 * CASEBOOK_SCREENSHOT_DIR to keep the pictures. */
void
cb_ui_save_screenshot (GtkWidget  *widget,
                       const char *name)
{
  const char *folder = g_getenv ("CASEBOOK_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (folder == NULL)
    return;

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (folder, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* Demo cases in the default database, made before the application starts
 * (it then finds a caseload, as on a second start). */
void
cb_ui_fill_default_database (guint   n_cases,
                             guint32 seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseStore) store = cb_case_store_open (NULL, &error);

  g_assert_no_error (error);
  cb_demo_data_generate (store, n_cases, seed, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A file in the test's casebook folder, for the window to open. */
GFile *
cb_ui_write_file (CbUiFixture *fixture,
                  const char  *name,
                  const char  *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->data_dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* A connection of the test's own to the file at @path (NULL: the
 * default database), beside the application's. */
sqlite3 *
cb_ui_open_db (const char *path,
               int         flags)
{
  g_autofree char *default_path = path == NULL ? cb_ui_default_db_path () : NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path != NULL ? path : default_path, &db, flags, NULL), ==, SQLITE_OK);
  return db;
}

/* The one number @sql selects from the file at @path (NULL: the default
 * database), read over a read-only connection of the test's own, beside
 * the application's. */
gint64
cb_ui_sql_int (const char *path,
               const char *sql)
{
  sqlite3 *db = cb_ui_open_db (path, SQLITE_OPEN_READONLY);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* How many cases of the default database match @where. */
guint
cb_ui_sql_count (const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cases WHERE %s", where);

  return cb_ui_sql_int (NULL, sql);
}

/* Whether any cell of the workbook holds @text, read with Debian's
 * openpyxl; a workbook openpyxl cannot read fails the test. */
gboolean
cb_ui_workbook_contains (const char *path,
                         const char *text)
{
  const char *argv[] = {
    "/usr/bin/python3", "-c",
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "found = any(sys.argv[2] in str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)\n"
    "sys.exit(0 if found else 3)\n",
    path, text, NULL,
  };

  return cb_test_python_check (argv);
}

/* The shown window of @type (a dialog, the case editor), or NULL. */
GtkWindow *
cb_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return GTK_WINDOW (item);
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return cb_ui_find_toplevel ((GType) GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
toplevel_gone (gpointer data)
{
  return cb_ui_find_toplevel ((GType) GPOINTER_TO_SIZE (data)) == NULL;
}

gboolean
cb_ui_wait_for_toplevel (GType type,
                         guint timeout_ms)
{
  return cb_ui_wait_for (toplevel_shown, GSIZE_TO_POINTER (type), timeout_ms);
}

gboolean
cb_ui_wait_for_no_toplevel (GType type,
                            guint timeout_ms)
{
  return cb_ui_wait_for (toplevel_gone, GSIZE_TO_POINTER (type), timeout_ms);
}

typedef struct
{
  GtkWidget  *root;
  const char *substring;
} LabelWanted;

static gboolean
label_shown (gpointer data)
{
  LabelWanted *wanted = data;

  return cb_ui_is_shown (cb_ui_find_label (wanted->root, wanted->substring));
}

/* Waits until a label below @root that holds @substring is shown. */
gboolean
cb_ui_wait_for_label (GtkWidget  *root,
                      const char *substring,
                      guint       timeout_ms)
{
  LabelWanted wanted = { root, substring };

  return cb_ui_wait_for (label_shown, &wanted, timeout_ms);
}
