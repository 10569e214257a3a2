/* cb-window-backup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backing up and restoring the case database from the main menu. Both run
 * in a GTask thread with a connection of their own (SQLite connections are
 * not shared between threads), so the window stays usable meanwhile; a
 * strip under the header bar shows the progress (a toast would not do on
 * libadwaita 1.2, which may use freed memory when a toast is dismissed
 * before its show animation has ended), and a toast the result.
 *
 * Neither is offered in training mode: the demo database is not the
 * user's data, and a "backup" of it restored later into the live database
 * would mix demo cases with real ones, which training mode exists to
 * prevent.
 */
#define G_LOG_DOMAIN "casebook-backup"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-backup.h"
#include "cb-progress-relay.h"
#include "cb-window-backup.h"

/* What a window's backup or restore under way needs: its Cancel. */
typedef struct
{
  gboolean      busy;
  GCancellable *cancellable;
} BackupState;

static GQuark state_quark;

/* ------------------------------------------------------------------ */
/* Shared                                                             */
/* ------------------------------------------------------------------ */

static CbApplication *
get_application (CbWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  return CB_IS_APPLICATION (application) ? CB_APPLICATION (application) : NULL;
}

static void
backup_state_free (BackupState *state)
{
  g_clear_object (&state->cancellable);
  g_free (state);
}

static BackupState *
get_state (CbWindow *self)
{
  BackupState *state = g_object_get_qdata (G_OBJECT (self), state_quark);

  if (state == NULL)
    {
      state = g_new0 (BackupState, 1);
      g_object_set_qdata_full (G_OBJECT (self), state_quark, state,
                               (GDestroyNotify) backup_state_free);
    }

  return state;
}

gboolean
cb_window_backup_is_busy (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), FALSE);

  return get_state (self)->busy;
}

/* The database a backup or a restore may start on: none in training mode
 * (see the top of the file), nor while one is under way. */
static CbCaseStore *
usable_store (CbWindow *self)
{
  CbApplication *application = get_application (self);

  if (application == NULL ||
      cb_application_get_training (application) ||
      cb_window_backup_is_busy (self))
    return NULL;

  return cb_application_get_store (application);
}

/* The progress strip of the window's template, under the header bar. */
static GtkWidget *
template_child (CbWindow   *self,
                const char *id)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), CB_TYPE_WINDOW, id));
}

static void
update_actions (CbWindow *self)
{
  CbCaseStore *store = usable_store (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.backup", store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore",
                                 store != NULL && !cb_case_store_is_read_only (store));
}

/* Shows the progress strip with @text, or hides it when @text is %NULL;
 * Cancel is offered when there is a @cancellable. */
static void
set_busy (CbWindow     *self,
          const char   *text,
          GCancellable *cancellable)
{
  BackupState *state = get_state (self);

  state->busy = text != NULL;
  g_set_object (&state->cancellable, cancellable);

  if (text != NULL)
    {
      gtk_label_set_label (GTK_LABEL (template_child (self, "backup_progress_label")), text);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (template_child (self, "backup_progress_bar")), 0.0);
    }
  gtk_widget_set_visible (template_child (self, "backup_cancel_button"), cancellable != NULL);
  gtk_revealer_set_reveal_child (GTK_REVEALER (template_child (self, "backup_progress")), text != NULL);

  update_actions (self);
}

static void
on_cancel_clicked (CbWindow *self)
{
  BackupState *state = get_state (self);

  if (state->cancellable != NULL)
    g_cancellable_cancel (state->cancellable);
}

static void
show_error (CbWindow     *self,
            const char   *heading,
            const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Toast titles are markup, and file names may hold "&" or "<". */
static char *
markup_file_name (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);

  return g_markup_escape_text (name, -1);
}

/* ------------------------------------------------------------------ */
/* Jobs in a worker thread                                            */
/* ------------------------------------------------------------------ */

/* What a worker thread needs, copied so that it shares nothing with the
 * window (which may close meanwhile) but a weak hold on its progress bar.
 * Reference-counted: a restore's check hands its job on to the
 * confirmation, and that to the restore itself. */
typedef struct
{
  GWeakRef         window;
  char            *db_path;
  char            *file_path;   /* the backup written, or restored from */
  char            *kept_path;   /* where a restore keeps the replaced database */
  CbProgressRelay *progress;    /* NULL when the strip only pulses */
} Job;

static Job *
job_new (CbWindow    *self,
         CbCaseStore *store,
         GFile       *file)
{
  Job *job = g_atomic_rc_box_new0 (Job);

  g_weak_ref_init (&job->window, self);
  job->db_path = g_strdup (cb_case_store_get_path (store));
  job->file_path = g_file_get_path (file);
  return job;
}

static void
job_clear (gpointer data)
{
  Job *job = data;

  g_weak_ref_clear (&job->window);
  g_free (job->db_path);
  g_free (job->file_path);
  g_free (job->kept_path);
  g_clear_pointer (&job->progress, cb_progress_relay_unref);
}

static Job *
job_ref (Job *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, job_clear);
}

/* Shows @text in the progress strip, with Cancel when there is a
 * @cancellable, and runs @thread on @job (which the task takes over). */
static void
start_job (CbWindow            *self,
           Job                 *job,
           const char          *text,
           GCancellable        *cancellable,
           GTaskThreadFunc      thread,
           GAsyncReadyCallback  done)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, done, NULL);

  set_busy (self, text, cancellable);
  if (job->progress == NULL)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (template_child (self, "backup_progress_bar")));

  /* Report what happened: a Cancel that comes after the backup file is
   * complete must not say "cancelled" about a backup that was saved. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_unref);
  g_task_run_in_thread (task, thread);
}

/* Ends @result's job in the window, which hides the progress strip.
 *
 * Returns: (transfer full) (nullable): the window that started the job,
 *   or %NULL when it was closed meanwhile */
static CbWindow *
end_job (GAsyncResult *result)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  CbWindow *self = g_weak_ref_get (&job->window);

  if (job->progress != NULL)
    cb_progress_relay_stop (job->progress);

  if (self != NULL)
    set_busy (self, NULL, NULL);

  return self;
}

/* ------------------------------------------------------------------ */
/* Back up                                                            */
/* ------------------------------------------------------------------ */

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CbCaseStore) store = NULL;
  GError *error = NULL;

  if (!(store = cb_case_store_open (job->db_path, &error)) ||
      !cb_backup_save (store, job->file_path, cb_progress_relay_report, job->progress,
                       cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_backup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(CbWindow) self = end_job (result);
  g_autoptr(GError) error = NULL;
  gboolean saved = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL)
    return;

  if (saved)
    {
      g_autofree char *name = markup_file_name (job->file_path);
      /* Translators: %s is a file name, e.g. casebook-backup-2026-03-31.db */
      g_autofree char *title = g_strdup_printf (_("Backup saved as %s"), name);

      cb_window_add_toast (self, adw_toast_new (title));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cb_window_add_toast (self, adw_toast_new (_("Backup cancelled")));
  else
    show_error (self, _("Could Not Back Up the Database"), error);
}

/**
 * cb_window_backup_to_file:
 * @file: where the backup goes, as chosen by the user
 *
 * Starts a backup of the window's database to @file in a worker thread;
 * the window shows its progress (with Cancel), then a toast the result.
 */
void
cb_window_backup_to_file (CbWindow *self,
                          GFile    *file)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  CbCaseStore *store;
  Job *job;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (g_file_peek_path (file) != NULL);

  if (!(store = usable_store (self)))
    return;

  job = job_new (self, store, file);
  job->progress = cb_progress_relay_new (GTK_PROGRESS_BAR (template_child (self, "backup_progress_bar")));

  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Backing up to %s…"), name);
  start_job (self, job, text, cancellable, backup_thread, on_backup_done);
}

/* ------------------------------------------------------------------ */
/* Restore                                                            */
/* ------------------------------------------------------------------ */

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (!cb_backup_check (job->file_path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CbCaseStore) store = NULL;
  GError *error = NULL;
  char *kept;

  if (!(store = cb_case_store_open (job->db_path, &error)) ||
      !(kept = cb_backup_restore (store, job->file_path, job->kept_path, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, kept, g_free);
}

static void
on_restored (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CbWindow) self = end_job (result);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = g_task_propagate_pointer (G_TASK (result), &error);
  GApplication *application = g_application_get_default ();

  /* Every window shows the restored cases, even if this one closed. */
  if (kept != NULL && CB_IS_APPLICATION (application) &&
      !cb_application_reload_store (CB_APPLICATION (application), &error))
    g_prefix_error (&error, _("The backup was restored, but it cannot be opened: "));

  if (self == NULL)
    return;

  if (error != NULL)
    show_error (self, _("Could Not Restore the Backup"), error);
  else
    {
      g_autofree char *name = markup_file_name (kept);
      /* Translators: %s is a file name, e.g. casebook.db.replaced-20260331-101500 */
      g_autofree char *title = g_strdup_printf (_("Backup restored; the replaced database is kept as %s"),
                                                name);

      cb_window_add_toast (self, adw_toast_new (title));
    }
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Job              *job)
{
  g_autoptr(CbWindow) self = g_weak_ref_get (&job->window);
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (self == NULL || !g_str_equal (response, "restore"))
    {
      job_unref (job);
      return;
    }

  name = g_path_get_basename (job->file_path);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Restoring %s…"), name);

  /* Once under way a restore is quick (a copy of pages) and all or
   * nothing, so it offers no Cancel. */
  start_job (self, job, text, NULL, restore_thread, on_restored);
}

/* Takes over @job. */
static void
confirm_restore (CbWindow *self,
                 Job      *job)
{
  g_autofree char *backup_name = g_path_get_basename (job->file_path);
  g_autofree char *kept_name = NULL;
  g_autofree char *folder = g_path_get_dirname (job->db_path);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  job->kept_path = cb_backup_kept_path (job->db_path, NULL);
  kept_name = g_path_get_basename (job->kept_path);

  /* Translators: the first %s is the backup's file name, the second the
   * name the current database is saved under, the third its folder */
  body = g_strdup_printf (_("All the cases in Casebook now will be replaced by those in “%s”.\n\n"
                            "The current database will be kept aside as “%s” in %s."),
                          backup_name, kept_name, folder);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore the Backup?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), job);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(CbWindow) self = end_job (result);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    show_error (self, _("Cannot Restore This File"), error);
  else
    confirm_restore (self, job_ref (job));
}

/**
 * cb_window_restore_from_file:
 * @file: a backup, as chosen by the user
 *
 * Checks @file in a worker thread, then asks for confirmation; on
 * "Restore" the current database is kept aside and replaced by the
 * backup's cases, and every window shows them.
 */
void
cb_window_restore_from_file (CbWindow *self,
                             GFile    *file)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  CbCaseStore *store;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (g_file_peek_path (file) != NULL);

  if (!(store = usable_store (self)))
    return;

  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Checking %s…"), name);
  start_job (self, job_new (self, store, file), text, NULL, check_thread, on_checked);
}

/* ------------------------------------------------------------------ */
/* File choosers                                                      */
/* ------------------------------------------------------------------ */

static void
on_file_chosen (CbWindow             *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  GtkFileChooser *chooser_iface = GTK_FILE_CHOOSER (chooser);
  g_autoptr(GFile) file = NULL;

  /* The save chooser is Back Up's, the open one Restore's. */
  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (chooser_iface)) &&
      g_file_peek_path (file) != NULL)
    {
      if (gtk_file_chooser_get_action (chooser_iface) == GTK_FILE_CHOOSER_ACTION_SAVE)
        cb_window_backup_to_file (self, file);
      else
        cb_window_restore_from_file (self, file);
    }

  g_object_unref (chooser);
}

/* Owned by itself until it answers. */
static GtkFileChooserNative *
database_chooser_new (CbWindow             *self,
                      const char           *title,
                      GtkFileChooserAction  action,
                      const char           *accept_label)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Casebook backups"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_mime_type (filter, "application/vnd.sqlite3");
  gtk_file_filter_add_mime_type (filter, "application/x-sqlite3");

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept_label, _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_file_chosen), self);
  return chooser;
}

static void
backup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("casebook-backup-%s.db", date);
  GtkFileChooserNative *chooser;

  chooser = database_chooser_new (self, _("Back Up Database"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Back Up"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = database_chooser_new (self, _("Restore Database"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------ */
/* Set-up                                                             */
/* ------------------------------------------------------------------ */

void
_cb_window_class_backup_init (GtkWidgetClass *widget_class)
{
  state_quark = g_quark_from_static_string ("cb-window-backup-state");

  /* Reachable with gtk_widget_get_template_child(), without a field in
   * CbWindow's struct. */
  gtk_widget_class_bind_template_child_full (widget_class, "backup_progress", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "backup_progress_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "backup_progress_bar", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "backup_cancel_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.backup", NULL, backup_action);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, restore_action);
}

/* The actions follow training mode and the store. */
void
_cb_window_backup_attach (CbWindow      *self,
                          CbApplication *application)
{
  g_signal_connect_object (application, "notify::training",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::store",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (template_child (self, "backup_cancel_button"), "clicked",
                           G_CALLBACK (on_cancel_clicked), self, G_CONNECT_SWAPPED);
  update_actions (self);
}
