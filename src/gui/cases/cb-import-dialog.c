/* cb-import-dialog.c — checking a CSV file, then importing its valid rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-import-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cb-import-dialog.h"
#include "cb-importer.h"
#include "cb-progress-relay.h"
#include "cb-window.h"

/* A long error list is slow to build and no help to read; the rejects
 * file has every one. */
#define MAX_ERRORS_SHOWN 200

/* What a worker thread needs; it shares nothing with the dialog but the
 * progress relay, which holds the bar weakly, so the dialog may close
 * while it runs. */
typedef struct
{
  char            *db_path;
  GFile           *file;
  CbImportFlags    flags;
  CbProgressRelay *progress;  /* NULL when no bar shows the progress */
  CbImportReport  *report;    /* set on failure too, when there is one */
} ImportJob;

struct _CbImportDialog
{
  AdwWindow             parent_instance;

  CbCaseStore          *store;
  GFile                *file;
  GtkWindow            *parent;   /* weak */
  CbImportReport       *report;   /* from the validate-only run */
  GCancellable         *cancellable;
  guint                 n_errors_shown;
  ImportJob            *job;      /* of the running task, owned by it */
  gboolean              running;
  gboolean              checked;
  gboolean              failed;
  gboolean              closed;

  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *continue_button;
  GtkButton            *import_button;
  GtkStack             *stack;
  GtkSpinner           *checking_spinner;
  GtkLabel             *checking_label;
  AdwPreferencesGroup  *columns_group;
  GtkGrid              *preview_grid;
  GtkLabel             *summary_label;
  GtkLabel             *errors_note;
  GtkButton            *save_rejects_button;
  AdwPreferencesGroup  *errors_group;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *failed_page;
};

G_DEFINE_FINAL_TYPE (CbImportDialog, cb_import_dialog, ADW_TYPE_WINDOW)

static void
import_job_free (ImportJob *job)
{
  g_free (job->db_path);
  g_clear_object (&job->file);
  g_clear_pointer (&job->progress, cb_progress_relay_unref);
  g_clear_pointer (&job->report, cb_import_report_unref);
  g_free (job);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbImporter) importer = NULL;
  CbImportReport *report;

  /* SQLite connections are not shared across threads: this one is ours. */
  store = cb_case_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  importer = cb_importer_new (store);
  if (!cb_importer_inspect (importer, job->file, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report = cb_importer_run (importer, job->flags,
                            job->progress ? cb_progress_relay_report : NULL, job->progress,
                            cancellable, &error);
  if (report == NULL)
    {
      CbImportReport *partial = cb_importer_get_report (importer);

      if (partial != NULL)
        job->report = cb_import_report_ref (partial);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->report = report;  /* transfer full */
  g_task_return_boolean (task, TRUE);
}

/* @progress_bar: (nullable): where the run's progress shows */
static void
start_job (CbImportDialog      *self,
           CbImportFlags        flags,
           GtkProgressBar      *progress_bar,
           GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job = g_new0 (ImportJob, 1);

  job->db_path = g_strdup (cb_case_store_get_path (self->store));
  job->file = g_object_ref (self->file);
  job->flags = flags;
  if (progress_bar != NULL)
    job->progress = cb_progress_relay_new (progress_bar);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  self->job = job;

  task = g_task_new (self, self->cancellable, callback, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
}

static void
show_failure (CbImportDialog *self,
              const char     *message)
{
  self->failed = TRUE;
  adw_status_page_set_description (self->failed_page, message);
  gtk_stack_set_visible_child_name (self->stack, "failed");
  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_widget_set_visible (GTK_WIDGET (self->continue_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
}

static GtkWidget *
preview_label (const char *text,
               gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
fill_columns (CbImportDialog *self,
              CbImporter     *importer)
{
  guint n_columns = cb_importer_get_n_columns (importer);
  guint n_rows = MIN (cb_importer_get_n_preview_rows (importer), 10);

  for (guint c = 0; c < n_columns; c++)
    {
      const char *name = cb_importer_get_column_name (importer, c);
      const CbField *field = cb_importer_get_column_field (importer, c);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   field != NULL ? _(field->label) : _("Unknown — ignored"));
      if (field == NULL)
        gtk_widget_add_css_class (row, "warning");
      adw_preferences_group_add (self->columns_group, row);

      gtk_grid_attach (self->preview_grid, preview_label (name, TRUE), (int) c, 0, 1, 1);
    }

  for (guint r = 0; r < n_rows; r++)
    {
      const char * const *cells = cb_importer_get_preview_row (importer, r, NULL);

      for (guint c = 0; cells != NULL && c < n_columns && cells[c] != NULL; c++)
        gtk_grid_attach (self->preview_grid, preview_label (cells[c], FALSE), (int) c, (int) r + 1, 1, 1);
    }
}

static void
fill_errors (CbImportDialog *self)
{
  guint n_errors = cb_import_report_get_n_errors (self->report);
  guint n_kept = cb_import_report_get_n_errors_kept (self->report);
  guint n_shown = MIN (n_kept, MAX_ERRORS_SHOWN);

  for (guint i = 0; i < n_shown; i++)
    {
      const CbImportRowError *e = cb_import_report_get_error (self->report, i);
      g_autofree char *title = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (e->column != NULL && e->value != NULL)
        /* Translators: line number, column name and the cell's value */
        title = g_strdup_printf (_("Line %u, %s: “%s”"), e->line, e->column, e->value);
      else if (e->column != NULL)
        title = g_strdup_printf (_("Line %u, %s"), e->line, e->column);
      else
        title = g_strdup_printf (_("Line %u"), e->line);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), e->reason);
      adw_preferences_group_add (self->errors_group, row);
    }
  self->n_errors_shown = n_shown;

  gtk_widget_set_visible (GTK_WIDGET (self->errors_group), n_shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->save_rejects_button),
                          cb_import_report_get_n_rejected (self->report) > 0);

  if (n_errors > n_shown)
    {
      g_autofree char *note =
        g_strdup_printf (_("The first %u of %u errors are shown; save the rejected rows to see them all."),
                         n_shown, n_errors);
      gtk_label_set_text (self->errors_note, note);
    }
  else if (n_errors > 0)
    gtk_label_set_text (self->errors_note,
                        _("Rows with errors are left out. Save them to correct them and import them again."));
  else
    gtk_label_set_text (self->errors_note, _("Every row can be imported."));
}

static void
on_check_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CbImportDialog *self = CB_IMPORT_DIALOG (object);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  self->running = FALSE;
  self->job = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!self->closed)
        show_failure (self, error->message);
      return;
    }
  if (self->closed)
    return;

  self->report = g_steal_pointer (&job->report);
  self->checked = TRUE;
  summary = cb_import_report_dup_summary (self->report);
  gtk_label_set_text (self->summary_label, summary);
  fill_errors (self);

  gtk_spinner_set_spinning (self->checking_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->checking_spinner), FALSE);
  gtk_label_set_text (self->checking_label, summary);
  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button),
                            cb_import_report_get_n_valid (self->report) > 0);
}

static void
on_continue_clicked (CbImportDialog *self)
{
  if (!self->checked)
    return;

  gtk_stack_set_visible_child_name (self->stack, "summary");
  gtk_widget_set_visible (GTK_WIDGET (self->continue_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->import_button));
}

static void
stop_progress (CbImportDialog *self)
{
  if (self->job != NULL && self->job->progress != NULL)
    cb_progress_relay_stop (self->job->progress);
}

static void
on_import_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CbImportDialog *self = CB_IMPORT_DIALOG (object);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  GtkWindow *parent = self->parent;

  stop_progress (self);
  self->running = FALSE;
  self->job = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (CB_IS_WINDOW (parent))
            cb_window_add_toast (CB_WINDOW (parent),
                                 adw_toast_new (_("Import cancelled; no cases were changed")));
          if (!self->closed)
            gtk_window_destroy (GTK_WINDOW (self));
        }
      else if (!self->closed)
        show_failure (self, error->message);
      return;
    }

  /* The import saved through its own connection: tell the window's. */
  cb_case_store_emit_changed (self->store);

  summary = cb_import_report_dup_details (job->report);
  if (CB_IS_WINDOW (parent))
    cb_window_add_toast (CB_WINDOW (parent), adw_toast_new (summary));
  if (!self->closed)
    gtk_window_destroy (GTK_WINDOW (self));
}

void
cb_import_dialog_import_valid (CbImportDialog *self)
{
  g_return_if_fail (CB_IS_IMPORT_DIALOG (self));
  g_return_if_fail (self->checked && !self->running);

  gtk_stack_set_visible_child_name (self->stack, "progress");
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);

  start_job (self, CB_IMPORT_SKIP_INVALID, self->progress_bar, on_import_done);
}

static void
on_import_clicked (CbImportDialog *self)
{
  if (self->checked && !self->running)
    cb_import_dialog_import_valid (self);
}

gboolean
cb_import_dialog_save_rejects_to_path (CbImportDialog  *self,
                                       const char      *path,
                                       GError         **error)
{
  g_return_val_if_fail (CB_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->report != NULL, FALSE);

  return cb_import_report_save_rejects (self->report, path, error);
}

static void
on_save_response (CbImportDialog       *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      !cb_import_dialog_save_rejects_to_path (self, g_file_peek_path (file), &error))
    {
      GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (self),
                                                   _("The Rejected Rows Were Not Saved"),
                                                   error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
    }

  g_object_unref (chooser);
}

static void
on_save_rejects_clicked (CbImportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = g_file_get_parent (self->file);
  g_autofree char *base = g_file_get_basename (self->file);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  /* Translators: the name offered for the rejects file; %s is the imported file's name */
  name = g_strdup_printf (_("%s-rejects.csv"), base);

  chooser = gtk_file_chooser_native_new (_("Save Rejected Rows"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_close_request (CbImportDialog *self)
{
  /* A running thread finishes on its own; cancelling it leaves the
   * database as it was. */
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
inspect (CbImportDialog *self)
{
  g_autoptr(CbImporter) importer = cb_importer_new (self->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (self->file);

  adw_window_title_set_subtitle (self->window_title, name);

  /* Only the header and the preview rows are read here. */
  if (!cb_importer_inspect (importer, self->file, NULL, &error))
    {
      show_failure (self, error->message);
      return;
    }

  fill_columns (self, importer);
  start_job (self, CB_IMPORT_VALIDATE_ONLY, NULL, on_check_done);
}

static void
cb_import_dialog_dispose (GObject *object)
{
  CbImportDialog *self = CB_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  stop_progress (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (cb_import_dialog_parent_class)->dispose (object);
}

static void
cb_import_dialog_finalize (GObject *object)
{
  CbImportDialog *self = CB_IMPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->parent);
  g_clear_pointer (&self->report, cb_import_report_unref);

  G_OBJECT_CLASS (cb_import_dialog_parent_class)->finalize (object);
}

static void
cb_import_dialog_class_init (CbImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_import_dialog_dispose;
  object_class->finalize = cb_import_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/ui/cb-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, continue_button);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, checking_label);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, errors_note);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, save_rejects_button);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, errors_group);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, failed_page);
  gtk_widget_class_bind_template_callback (widget_class, on_close_request);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_rejects_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_import_dialog_init (CbImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CbImportDialog *
cb_import_dialog_new (GtkWindow   *parent,
                      CbCaseStore *store,
                      GFile       *file)
{
  CbImportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CB_IS_CASE_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CB_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  g_set_weak_pointer (&self->parent, parent);

  inspect (self);

  return self;
}

const char *
cb_import_dialog_get_summary (CbImportDialog *self)
{
  g_return_val_if_fail (CB_IS_IMPORT_DIALOG (self), NULL);

  return gtk_label_get_text (self->summary_label);
}

guint
cb_import_dialog_get_n_errors_shown (CbImportDialog *self)
{
  g_return_val_if_fail (CB_IS_IMPORT_DIALOG (self), 0);

  return self->n_errors_shown;
}

gboolean
cb_import_dialog_is_checked (CbImportDialog *self)
{
  g_return_val_if_fail (CB_IS_IMPORT_DIALOG (self), FALSE);

  return self->checked;
}

gboolean
cb_import_dialog_has_failed (CbImportDialog *self)
{
  g_return_val_if_fail (CB_IS_IMPORT_DIALOG (self), FALSE);

  return self->failed;
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  GtkRoot *root = gtk_widget_get_root (widget);
  GFile *file = g_value_get_object (value);

  if (!CB_IS_WINDOW (root) || file == NULL)
    return FALSE;

  cb_window_open_file (CB_WINDOW (root), file);
  return TRUE;
}

void
cb_import_dialog_install_drop_target (GtkWidget *widget)
{
  GtkDropTarget *target;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), NULL);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}
