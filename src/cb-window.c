/* cb-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-window.h"
#include "cb-window-backup.h"
#include "gui/cases/cb-cases-page.h"
#include "gui/cases/cb-import-dialog.h"
#include "gui/dashboard/cb-dashboard-page.h"
#include "gui/guidance/cb-guidance-page.h"
#include "gui/reports/cb-reports-page.h"

struct _CbWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  AdwViewStack         *view_stack;
  GtkWidget            *training_label;
  GtkRevealer          *read_only_banner;
  GtkLabel             *read_only_label;
  CbDashboardPage      *dashboard_page;
  CbCasesPage          *cases_page;
  CbGuidancePage       *guidance_page;
  CbReportsPage        *reports_page;

  CbCaseStore          *store;
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (CbWindow, cb_window, ADW_TYPE_APPLICATION_WINDOW)

void
cb_window_add_toast (CbWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

gboolean
cb_window_is_empty_state (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), FALSE);

  return gtk_stack_get_visible_child (self->main_stack) == GTK_WIDGET (self->empty_page);
}

/* A database with no cases opens on the first-start page: the three ways
 * to begin are import, a first case, or demo data. */
static void
update_empty_state (CbWindow *self)
{
  gboolean empty = self->store == NULL || cb_case_store_count (self->store) == 0;

  gtk_stack_set_visible_child (self->main_stack,
                               empty ? GTK_WIDGET (self->empty_page)
                                     : GTK_WIDGET (self->view_stack));
}

static void
on_store_changed (CbWindow *self)
{
  update_empty_state (self);
}

/* A database the user may not change opens for viewing: the banner says
 * so for as long as it is open, and the ways to change it are off. */
static void
update_read_only (CbWindow *self)
{
  gboolean read_only = self->store != NULL && cb_case_store_is_read_only (self->store);

  if (read_only)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("Read-only: you may not change “%s”, so its cases can be "
                                "viewed but not edited. Ask for write access to the file "
                                "and its folder, or make a backup copy."),
                              cb_case_store_get_path (self->store));
      gtk_label_set_text (self->read_only_label, text);
    }
  gtk_revealer_set_reveal_child (self->read_only_banner, read_only);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-case", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", !read_only);
}

static void
set_store (CbWindow    *self,
           CbCaseStore *store)
{
  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);

  g_set_object (&self->store, store);

  if (self->store != NULL)
    g_signal_connect_object (self->store, "changed",
                             G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);

  cb_dashboard_page_set_store (self->dashboard_page, store);
  cb_cases_page_set_store (self->cases_page, store);
  cb_reports_page_set_store (self->reports_page, store);
  update_empty_state (self);
  update_read_only (self);
}

static void
on_app_store_changed (CbWindow      *self,
                      GParamSpec    *pspec,
                      CbApplication *application)
{
  set_store (self, cb_application_get_store (application));
}

void
cb_window_show_page (CbWindow   *self,
                     const char *name)
{
  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    {
      g_warning ("No page called “%s”", name);
      return;
    }

  adw_view_stack_set_visible_child_name (self->view_stack, name);
  if (self->store != NULL && cb_case_store_count (self->store) > 0)
    gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->view_stack));
}

const char *
cb_window_get_page (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/* The guidance page works without cases, so it is reachable from the
 * first-start page too. */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  cb_window_show_page (self, name);
  if (g_str_equal (name, "guidance"))
    gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->view_stack));
}

void
cb_window_open_file (CbWindow *self,
                     GFile    *file)
{
  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  cb_cases_page_import_file (self->cases_page, file);
}

static void
on_import_response (CbWindow             *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    {
      folder = g_file_get_parent (file);
      if (folder != NULL && g_file_peek_path (folder) != NULL)
        g_settings_set_string (self->settings, "last-import-folder", g_file_peek_path (folder));
      cb_window_open_file (self, file);
    }

  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *last = g_settings_get_string (self->settings, "last-import-folder");
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Cases"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (last[0] != '\0')
    {
      g_autoptr(GFile) folder = g_file_new_for_path (last);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_case_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->view_stack));
  adw_view_stack_set_visible_child_name (self->view_stack, "cases");
  cb_cases_page_new_case (self->cases_page);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (g_strcmp0 (cb_window_get_page (self), "guidance") == 0)
    cb_guidance_page_focus_search (self->guidance_page);
  else
    {
      cb_window_show_page (self, "cases");
      cb_cases_page_focus_search (self->cases_page);
    }
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  cb_window_show_page (self, "reports");
  cb_reports_page_export (self->reports_page);
}

/* "Read guidance" from a case's practice gap lands here. */
static void
show_card_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->view_stack));
  adw_view_stack_set_visible_child_name (self->view_stack, "guidance");
  cb_guidance_page_show_card (self->guidance_page, g_variant_get_string (parameter, NULL));
}

static void
save_window_state (CbWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_string (self->settings, "visible-page", cb_window_get_page (self));
}

static gboolean
cb_window_close_request (GtkWindow *window)
{
  save_window_state (CB_WINDOW (window));

  return GTK_WINDOW_CLASS (cb_window_parent_class)->close_request (window);
}

/* Settings and store come from the application, which a window only knows
 * once "application" is set, after construction. */
static void
attach_to_application (CbWindow      *self,
                       CbApplication *application)
{
  g_autofree char *page = NULL;

  self->settings = g_object_ref (cb_application_get_settings (application));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  page = g_settings_get_string (self->settings, "visible-page");
  adw_view_stack_set_visible_child_name (self->view_stack, page);

  g_object_bind_property (application, "training", self->training_label, "visible",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (application, "notify::store",
                           G_CALLBACK (on_app_store_changed), self, G_CONNECT_SWAPPED);
  set_store (self, cb_application_get_store (application));
  _cb_window_backup_attach (self, application);
}

static void
cb_window_dispose (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_WINDOW);

  G_OBJECT_CLASS (cb_window_parent_class)->dispose (object);
}

static void
cb_window_class_init (CbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cb_window_dispose;
  window_class->close_request = cb_window_close_request;

  g_type_ensure (CB_TYPE_DASHBOARD_PAGE);
  g_type_ensure (CB_TYPE_CASES_PAGE);
  g_type_ensure (CB_TYPE_GUIDANCE_PAGE);
  g_type_ensure (CB_TYPE_REPORTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, training_label);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, read_only_banner);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, cases_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, guidance_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, reports_page);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.new-case", NULL, new_case_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.show-card", "s", show_card_action);
  _cb_window_class_backup_init (widget_class);
}

static void
cb_window_init (CbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cb_reports_page_set_cases_page (self->reports_page, self->cases_page);
  cb_import_dialog_install_drop_target (GTK_WIDGET (self));
}

CbWindow *
cb_window_new (CbApplication *application)
{
  CbWindow *self;

  g_return_val_if_fail (CB_IS_APPLICATION (application), NULL);

  self = g_object_new (CB_TYPE_WINDOW, "application", application, NULL);
  attach_to_application (self, application);

  return self;
}
