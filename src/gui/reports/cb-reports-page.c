/* cb-reports-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What goes into a commissioning workbook, and the export itself. The
 * writer runs in a worker thread with its own connection to the database
 * and reports progress from there; the page shows it with a Cancel
 * button, then a toast that opens the file, or a dialog with the reason
 * it could not be written. The writer saves to a temporary file and
 * renames it at the end, so a cancelled or failed export leaves nothing
 * behind and never a half-written workbook under the chosen name.
 */
#define G_LOG_DOMAIN "casebook-reports"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-area-selector.h"
#include "cb-cases-page.h"
#include "cb-dashboard-util.h"
#include "cb-guidance-library.h"
#include "cb-period-selector.h"
#include "cb-progress-relay.h"
#include "cb-report-writer.h"
#include "cb-reports-page.h"

#define AREAS_DELAY_MS 250

struct _CbReportsPage
{
  AdwBin            parent_instance;

  AdwActionRow     *period_row;
  CbPeriodSelector *period_selector;
  AdwActionRow     *areas_row;
  CbAreaSelector   *area_selector;
  GtkSwitch        *use_cases_switch;
  AdwEntryRow      *title_row;
  GtkSwitch        *cases_switch;
  GtkSwitch        *notes_switch;
  AdwActionRow     *threshold_row;
  GtkSpinButton    *threshold_spin;
  GtkButton        *export_button;
  GtkRevealer      *progress_revealer;
  GtkLabel         *progress_label;
  GtkProgressBar   *progress_bar;
  GtkButton        *cancel_button;

  CbCaseStore      *store;
  CbCasesPage      *cases_page;    /* weak */
  GSettings        *settings;
  GCancellable     *cancellable;   /* set while an export runs */
  guint             areas_source;
};

G_DEFINE_FINAL_TYPE (CbReportsPage, cb_reports_page, ADW_TYPE_BIN)

/* The worker */

typedef struct
{
  char            *db_path;
  char            *path;
  CbReportOptions *options;
  CbProgressRelay *progress;
} Export;

static void
export_free (Export *export)
{
  g_free (export->db_path);
  g_free (export->path);
  cb_report_options_free (export->options);
  cb_progress_relay_unref (export->progress);
  g_free (export);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(CbCaseStore) store = NULL;
  GError *error = NULL;

  if (!(store = cb_case_store_open (export->db_path, &error)) ||
      !cb_report_writer_write (store, export->options, export->path,
                               cb_progress_relay_report, export->progress,
                               cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Settings */

static GSettings *
get_settings (CbReportsPage *self)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings != NULL)
    return self->settings;

  /* Templates are also built by gtk4-builder-tool, where the schema may
   * not be installed: then the page works without remembering. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL && (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    self->settings = g_settings_new (APP_ID);

  return self->settings;
}

static void
bind_settings (CbReportsPage *self)
{
  GSettings *settings = get_settings (self);

  if (settings == NULL)
    return;

  g_settings_bind (settings, "export-include-cases", self->cases_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "export-include-notes", self->notes_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "suppression-threshold",
                   gtk_spin_button_get_adjustment (self->threshold_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

/* The selection */

static CbCaseQuery *
cases_page_query (CbReportsPage *self)
{
  if (self->cases_page == NULL || cb_cases_page_get_query (self->cases_page) == NULL)
    return cb_case_query_new ();

  return cb_case_query_copy (cb_cases_page_get_query (self->cases_page));
}

/**
 * cb_reports_page_set_cases_page:
 * @cases_page: (nullable): the Cases page of the same window
 *
 * Names the page whose search and filters "Use the Cases page's
 * selection" exports. Held weakly: the window owns both pages.
 */
void
cb_reports_page_set_cases_page (CbReportsPage *self,
                                CbCasesPage   *cases_page)
{
  g_return_if_fail (CB_IS_REPORTS_PAGE (self));
  g_return_if_fail (cases_page == NULL || CB_IS_CASES_PAGE (cases_page));

  g_set_weak_pointer (&self->cases_page, cases_page);
}

/**
 * cb_reports_page_get_query:
 *
 * The cases a report would cover: the period chosen here, with the
 * areas chosen here or the Cases page's search and filters.
 *
 * Returns: (transfer full): a new query
 */
CbCaseQuery *
cb_reports_page_get_query (CbReportsPage *self)
{
  CbCaseQuery *query;

  g_return_val_if_fail (CB_IS_REPORTS_PAGE (self), NULL);

  if (gtk_switch_get_active (self->use_cases_switch))
    query = cases_page_query (self);
  else
    {
      g_auto(GStrv) areas = cb_area_selector_get_selected (self->area_selector);

      query = cb_case_query_new ();
      cb_case_query_set_areas (query, (const char * const *) areas);
    }

  cb_case_query_set_period (query,
                            cb_period_selector_get_from (self->period_selector),
                            cb_period_selector_get_to (self->period_selector));
  return query;
}

static CbReportOptions *
make_options (CbReportsPage *self)
{
  g_autoptr(CbCaseQuery) query = cb_reports_page_get_query (self);
  CbReportOptions *options = cb_report_options_new ();

  cb_report_options_set_query (options, query);
  cb_report_options_set_include_cases (options, gtk_switch_get_active (self->cases_switch));
  cb_report_options_set_include_notes (options,
                                       gtk_switch_get_active (self->cases_switch) &&
                                       gtk_switch_get_active (self->notes_switch));
  cb_report_options_set_threshold (options, gtk_spin_button_get_value_as_int (self->threshold_spin));
  cb_report_options_set_title (options, gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  cb_report_options_set_guidance (options, cb_guidance_library_get_default ());

  return options;
}

static void
on_scope_changed (CbReportsPage *self)
{
  g_autofree char *period = cb_period_selector_describe (self->period_selector);
  g_auto(GStrv) selected = cb_area_selector_get_selected (self->area_selector);
  g_autofree char *areas = selected ? g_strjoinv (", ", selected) : g_strdup (_("Every area with cases"));
  gboolean use_cases = gtk_switch_get_active (self->use_cases_switch);

  adw_action_row_set_subtitle (self->period_row, period);
  adw_action_row_set_subtitle (self->areas_row,
                               use_cases ? _("As filtered on the Cases page") : areas);
  gtk_widget_set_sensitive (GTK_WIDGET (self->area_selector), !use_cases);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button),
                            self->cancellable == NULL && self->store != NULL &&
                            cb_period_selector_is_valid (self->period_selector));
}

static void
on_threshold_changed (CbReportsPage *self)
{
  int threshold = gtk_spin_button_get_value_as_int (self->threshold_spin);
  g_autofree char *text = NULL;

  /* Translators: %d is the largest count hidden, e.g. 4 for a threshold of 5 */
  text = g_strdup_printf (_("Counts from 1 to %d are shown as “*”, with any cell that would let one be worked out"),
                          threshold - 1);
  adw_action_row_set_subtitle (self->threshold_row, text);
}

/* The areas */

static void
refresh_areas (CbReportsPage *self)
{
  g_auto(GStrv) areas = self->store ? cb_case_store_list_areas (self->store) : NULL;

  cb_area_selector_set_available (self->area_selector, (const char * const *) areas);
}

static gboolean
areas_timeout (gpointer data)
{
  CbReportsPage *self = data;

  self->areas_source = 0;
  refresh_areas (self);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (CbReportsPage *self)
{
  g_clear_handle_id (&self->areas_source, g_source_remove);
  self->areas_source = g_timeout_add (AREAS_DELAY_MS, areas_timeout, self);
}

void
cb_reports_page_set_store (CbReportsPage *self,
                           CbCaseStore   *store)
{
  g_return_if_fail (CB_IS_REPORTS_PAGE (self));
  g_return_if_fail (store == NULL || CB_IS_CASE_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);

  refresh_areas (self);
  on_scope_changed (self);
}

/* Reporting the outcome */

static void
on_uri_shown (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GtkWindow *parent = GTK_WINDOW (source);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (gtk_show_uri_full_finish (parent, result, &error))
    return;

  dialog = adw_message_dialog_new (parent, _("Could Not Open the Report"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Open" on the toast: the workbook in the user's spreadsheet program. */
static void
open_report (AdwToast   *toast,
             const char *uri)
{
  GApplication *application = g_application_get_default ();
  GtkWindow *parent = NULL;

  if (GTK_IS_APPLICATION (application))
    parent = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (parent == NULL)
    {
      g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
      return;
    }

  gtk_show_uri_full (parent, uri, GDK_CURRENT_TIME, NULL, on_uri_shown, NULL);
}

static void
add_toast (CbReportsPage *self,
           AdwToast      *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
show_saved (CbReportsPage *self,
            const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwToast *toast = adw_toast_new (_("Report saved"));

  adw_toast_set_button_label (toast, _("Open"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (open_report),
                         g_file_get_uri (file), (GClosureNotify) G_CALLBACK (g_free), 0);
  add_toast (self, toast);
}

static void
show_failure (CbReportsPage *self,
              const GError  *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Could Not Export the Report"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_busy (CbReportsPage *self,
          const char    *path)
{
  g_autofree char *name = path ? g_path_get_basename (path) : NULL;
  g_autofree char *text = NULL;

  if (name != NULL)
    {
      /* Translators: shown above the progress bar, e.g. "Writing casebook-report-2026-03-31.xlsx…" */
      text = g_strdup_printf (_("Writing %s…"), name);
      gtk_label_set_label (self->progress_label, text);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
    }

  gtk_revealer_set_reveal_child (self->progress_revealer, path != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), path != NULL);
  on_scope_changed (self);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbReportsPage *self = CB_REPORTS_PAGE (source);
  Export *export = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  cb_progress_relay_stop (export->progress);

  /* The page went away while the file was written. */
  if (self->cancellable == NULL)
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, NULL);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    show_saved (self, export->path);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    add_toast (self, adw_toast_new (_("Export cancelled")));
  else
    show_failure (self, error);
}

/* Exporting */

/**
 * cb_reports_page_export_to_path:
 * @path: where to save the workbook
 *
 * Writes the report as chosen on the page, in the background; the file
 * chooser of cb_reports_page_export() ends here.
 */
void
cb_reports_page_export_to_path (CbReportsPage *self,
                                const char    *path)
{
  g_autoptr(GTask) task = NULL;
  Export *export;

  g_return_if_fail (CB_IS_REPORTS_PAGE (self));
  g_return_if_fail (path != NULL);

  if (self->store == NULL || self->cancellable != NULL)
    return;

  export = g_new0 (Export, 1);
  export->db_path = g_strdup (cb_case_store_get_path (self->store));
  export->path = g_strdup (path);
  export->options = make_options (self);
  export->progress = cb_progress_relay_new (self->progress_bar);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_exported, NULL);
  g_task_set_source_tag (task, cb_reports_page_export_to_path);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  /* The writer's own answer counts: a cancel that comes after the file
   * was renamed into place must not report a saved file as cancelled. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, export_thread);

  set_busy (self, path);
}

void
cb_reports_page_cancel_export (CbReportsPage *self)
{
  g_return_if_fail (CB_IS_REPORTS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
}

gboolean
cb_reports_page_is_busy (CbReportsPage *self)
{
  g_return_val_if_fail (CB_IS_REPORTS_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

static char *
with_extension (const char *path)
{
  if (g_str_has_suffix (path, ".xlsx") || g_str_has_suffix (path, ".XLSX"))
    return g_strdup (path);

  return g_strconcat (path, ".xlsx", NULL);
}

static void
on_chooser_response (CbReportsPage        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) &&
      g_file_peek_path (file) != NULL)
    {
      folder = g_file_get_parent (file);
      if (folder != NULL && g_file_peek_path (folder) != NULL && get_settings (self) != NULL)
        g_settings_set_string (self->settings, "last-export-folder", g_file_peek_path (folder));

      path = with_extension (g_file_peek_path (file));
      cb_reports_page_export_to_path (self, path);
    }

  g_object_unref (chooser);
}

static char *
suggested_name (void)
{
  g_autofree char *today = cb_today_iso ();

  return g_strdup_printf ("casebook-report-%s.xlsx", today);
}

static void
set_last_folder (CbReportsPage  *self,
                 GtkFileChooser *chooser)
{
  g_autofree char *last = NULL;
  g_autoptr(GFile) folder = NULL;

  if (get_settings (self) == NULL)
    return;

  last = g_settings_get_string (self->settings, "last-export-folder");
  if (last[0] == '\0' || !g_file_test (last, G_FILE_TEST_IS_DIR))
    return;

  folder = g_file_new_for_path (last);
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

/**
 * cb_reports_page_export:
 *
 * Asks where to save the workbook, then writes it (win.export, Ctrl+E).
 */
void
cb_reports_page_export (CbReportsPage *self)
{
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  GtkRoot *root;

  g_return_if_fail (CB_IS_REPORTS_PAGE (self));

  if (self->store == NULL || self->cancellable != NULL ||
      !cb_period_selector_is_valid (self->period_selector))
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  chooser = gtk_file_chooser_native_new (_("Export Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Excel workbooks"));
  gtk_file_filter_add_mime_type (filter, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  gtk_file_filter_add_pattern (filter, "*.xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  set_last_folder (self, GTK_FILE_CHOOSER (chooser));
  name = suggested_name ();
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_clicked (CbReportsPage *self)
{
  cb_reports_page_export (self);
}

static void
on_cancel_clicked (CbReportsPage *self)
{
  cb_reports_page_cancel_export (self);
}

/* The widget */

static void
cb_reports_page_root (GtkWidget *widget)
{
  CbReportsPage *self = CB_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (cb_reports_page_parent_class)->root (widget);

  if (self->settings == NULL)
    bind_settings (self);
}

static void
cb_reports_page_dispose (GObject *object)
{
  CbReportsPage *self = CB_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->areas_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->cases_page);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_REPORTS_PAGE);

  G_OBJECT_CLASS (cb_reports_page_parent_class)->dispose (object);
}

static void
cb_reports_page_class_init (CbReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_reports_page_dispose;
  widget_class->root = cb_reports_page_root;

  g_type_ensure (CB_TYPE_PERIOD_SELECTOR);
  g_type_ensure (CB_TYPE_AREA_SELECTOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, period_row);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, period_selector);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, areas_row);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, area_selector);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, use_cases_switch);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, title_row);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, cases_switch);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, notes_switch);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CbReportsPage, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_scope_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_threshold_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
cb_reports_page_init (CbReportsPage *self)
{
  g_autoptr(CbReportOptions) defaults = cb_report_options_new ();

  cb_dashboard_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Commissioners read yearly figures: the last twelve months to start. */
  cb_period_selector_set_preset (self->period_selector, CB_PERIOD_LAST_12_MONTHS);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), cb_report_options_get_title (defaults));
  on_threshold_changed (self);
  on_scope_changed (self);
}
