/* cb-ui-test-util.h — driving the real application under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-application.h"
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

G_END_DECLS
