/* cb-ui-test-util.h — driving the real application under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "cb-application.h"
#include "cb-test-util.h"
#include "cb-window.h"

G_BEGIN_DECLS

typedef struct
{
  char          *data_dir;   /* the casebook folder of the test's data home */
  CbApplication *app;
  CbWindow      *window;
} CbUiFixture;

void       cb_ui_test_init          (int          *argc,
                                     char       ***argv);
char      *cb_ui_default_db_path    (void);
void       cb_ui_fixture_setup      (CbUiFixture  *fixture,
                                     gconstpointer data);
void       cb_ui_fixture_teardown   (CbUiFixture  *fixture,
                                     gconstpointer data);
void       cb_ui_start_app          (CbUiFixture  *fixture);
void       cb_ui_start_unique_app   (CbUiFixture  *fixture);
void       cb_ui_wait               (guint         milliseconds);
gboolean   cb_ui_wait_for           (gboolean    (*condition) (gpointer),
                                     gpointer      data,
                                     guint         timeout_ms);
GtkWidget *cb_ui_find_action_button (GtkWidget    *root,
                                     const char   *action_name);
GtkWidget *cb_ui_find_label         (GtkWidget    *root,
                                     const char   *substring);
GtkWidget *cb_ui_find_by_type       (GtkWidget    *root,
                                     GType         type);
gboolean   cb_ui_is_shown           (GtkWidget    *widget);
void       cb_ui_save_screenshot    (GtkWidget    *widget,
                                     const char   *name);

/* Adds a test that runs with a fresh CbUiFixture. */
#define CB_UI_ADD_TEST(path, func) \
  g_test_add ((path), CbUiFixture, NULL, cb_ui_fixture_setup, (func), cb_ui_fixture_teardown)

/* The default database and other files, before and behind the window */
void       cb_ui_fill_default_database (guint         n_cases,
                                        guint32       seed);
GFile     *cb_ui_write_file         (CbUiFixture  *fixture,
                                     const char   *name,
                                     const char   *contents);
sqlite3   *cb_ui_open_db            (const char   *path,
                                     int           flags);
gint64     cb_ui_sql_int            (const char   *path,
                                     const char   *sql);
guint      cb_ui_sql_count          (const char   *where);
gboolean   cb_ui_workbook_contains  (const char   *path,
                                     const char   *text);

/* Windows and labels that appear and go */
GtkWindow *cb_ui_find_toplevel      (GType         type);
gboolean   cb_ui_wait_for_toplevel  (GType         type,
                                     guint         timeout_ms);
gboolean   cb_ui_wait_for_no_toplevel (GType       type,
                                       guint       timeout_ms);
gboolean   cb_ui_wait_for_label     (GtkWidget    *root,
                                     const char   *substring,
                                     guint         timeout_ms);

G_END_DECLS
