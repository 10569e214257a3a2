/* cb-case-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor works on a copy of the whole case: every field of the field
 * table has an input, grouped as the dictionary groups them, and Save
 * writes the whole copy, so no field is lost on the way. Each change runs
 * the model's checks on the copy and shows every reason beside its field;
 * Save stays off until there are none. The case's practice gaps follow the
 * edits, each with a link to the guidance card that addresses it.
 */
#define G_LOG_DOMAIN "casebook-cases"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-case-editor.h"
#include "cb-error.h"
#include "cb-field-input.h"
#include "cb-guidance-library.h"

struct _CbCaseEditor
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *gaps_group;

  CbCaseStore         *store;
  CbCase              *working;        /* the full case, as edited */
  CbFieldInput        *inputs[CB_N_FIELDS];
  GPtrArray           *gap_rows;
  CbGapFlags           shown_gaps;
  guint                n_problems;
  gboolean             is_new;
  gboolean             read_only;      /* the store cannot be written */
  gboolean             gaps_shown;
  gboolean             dirty;
  gboolean             closing;        /* close without asking */
  char                *pending_card;   /* guidance to open once closed */
};

G_DEFINE_FINAL_TYPE (CbCaseEditor, cb_case_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (CbCaseEditor *self,
              const char   *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
update_title (CbCaseEditor *self)
{
  const char *ref = cb_case_get (self->working, CB_FIELD_CASE_REF);
  g_autofree char *subtitle = NULL;

  if (self->read_only)
    subtitle = g_strdup (_("Read-only database: changes cannot be saved"));
  else if (self->n_problems > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u problem to fix before saving",
                                             "%u problems to fix before saving",
                                             self->n_problems),
                                self->n_problems);
  else
    subtitle = g_strdup (ref ? ref : "");

  adw_window_title_set_title (self->window_title, self->is_new ? _("New Case") : _("Edit Case"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), self->is_new ? _("New Case") : _("Edit Case"));
}

static GtkWidget *
make_gap_row (const CbGapInfo *info)
{
  CbGuidanceLibrary *library = cb_guidance_library_get_default ();
  CbGuidanceCard *card = library ? cb_guidance_library_find (library, info->card_id) : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *button_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Read _Guidance"));

  subtitle = card ? g_strdup_printf (_("Guidance: %s"), cb_guidance_card_get_title (card))
                  : g_strdup (_(info->detail));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(info->title));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, _(info->detail));

  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  /* Every row has a "Read Guidance" button: say which gap it is for. */
  button_label = g_strdup_printf (_("Read guidance on “%s”"), _(info->title));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_label, -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "editor.read-guidance");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", info->card_id);
  gtk_widget_set_sensitive (button, card != NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
update_gaps (CbCaseEditor *self)
{
  CbGapFlags gaps = cb_practice_gaps_for_case (self->working);
  guint n = cb_practice_gaps_count (gaps);
  g_autofree char *description = NULL;

  if (self->gaps_shown && gaps == self->shown_gaps)
    return;

  for (guint i = 0; i < self->gap_rows->len; i++)
    adw_preferences_group_remove (self->gaps_group, g_ptr_array_index (self->gap_rows, i));
  g_ptr_array_set_size (self->gap_rows, 0);

  for (guint i = 0; i < CB_N_GAPS; i++)
    {
      const CbGapInfo *info = cb_practice_gaps_get_info (i);
      GtkWidget *row;

      if ((gaps & info->flag) == 0)
        continue;
      row = make_gap_row (info);
      adw_preferences_group_add (self->gaps_group, row);
      g_ptr_array_add (self->gap_rows, row);
    }

  if (n == 0)
    description = g_strdup (_("The case passes every practice check."));
  else
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The case fails %u practice check; the guidance says how to close it.",
                                                "The case fails %u practice checks; the guidance says how to close them.",
                                                n),
                                   n);
  adw_preferences_group_set_description (self->gaps_group, description);

  self->shown_gaps = gaps;
  self->gaps_shown = TRUE;
}

/* Reads every input into the working copy; an input whose text does not
 * parse leaves its field not recorded there and returns the reason. */
static void
read_inputs (CbCaseEditor *self,
             char        **parse_errors)
{
  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      g_autoptr(GError) error = NULL;
      char *canonical = NULL;

      if (!cb_field_input_read (self->inputs[i], &canonical, &error))
        parse_errors[i] = g_strdup (error->message);
      cb_case_take (self->working, i, canonical);
    }
}

/* The one check the record cannot make on its own. */
static char *
check_reference (CbCaseEditor *self)
{
  const char *ref = cb_case_get (self->working, CB_FIELD_CASE_REF);
  g_autoptr(CbCase) other = NULL;

  if (ref == NULL)
    return NULL;

  other = cb_case_store_get_by_ref (self->store, ref, NULL);
  if (other != NULL && cb_case_get_id (other) != cb_case_get_id (self->working))
    return g_strdup (_("The case reference is already used by another case"));

  return NULL;
}

static void
revalidate (CbCaseEditor *self)
{
  char *parse_errors[CB_N_FIELDS] = { NULL };
  const char *messages[CB_N_FIELDS] = { NULL };
  g_autofree char *duplicate = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  read_inputs (self, parse_errors);
  problems = cb_case_collect_problems (self->working, TRUE);

  /* One reason per field: what the person typed first, then the checks
   * on the record. */
  for (guint i = 0; i < CB_N_FIELDS; i++)
    messages[i] = parse_errors[i];
  for (guint i = 0; i < problems->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);

      if (messages[problem->field] == NULL)
        messages[problem->field] = problem->message;
    }
  if (messages[CB_FIELD_CASE_REF] == NULL && (duplicate = check_reference (self)))
    messages[CB_FIELD_CASE_REF] = duplicate;

  self->n_problems = 0;
  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      /* An empty required field is not a mistake yet: said quietly. */
      gboolean missing = parse_errors[i] == NULL && cb_case_get (self->working, i) == NULL;

      cb_field_input_show_problem (self->inputs[i], messages[i], missing);
      self->n_problems += messages[i] != NULL;
      g_free (parse_errors[i]);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->n_problems == 0 && !self->read_only);
  update_title (self);
  update_gaps (self);
}

static void
on_input_changed (CbFieldInput *input,
                  gpointer      user_data)
{
  CbCaseEditor *self = user_data;

  self->dirty = TRUE;
  revalidate (self);
}

static void
build_groups (CbCaseEditor *self)
{
  for (guint g = 0; g < CB_N_FIELD_GROUPS; g++)
    {
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

      adw_preferences_group_set_title (group, cb_field_group_get_label (g));
      for (guint i = 0; i < CB_N_FIELDS; i++)
        {
          if (cb_field_get (i)->group != g)
            continue;
          self->inputs[i] = cb_field_input_new (i, on_input_changed, self);
          cb_field_input_add_to_group (self->inputs[i], group);
        }
      adw_preferences_page_add (self->page, group);
    }
}

static void
add_delete_group (CbCaseEditor *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Delete Case"));

  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_add_css_class (button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "editor.delete");
  adw_preferences_group_add (group, button);
  adw_preferences_page_add (self->page, group);
}

static gboolean
save_case (CbCaseEditor  *self,
           GError       **error)
{
  g_autoptr(CbCase) record = NULL;

  revalidate (self);
  if (self->n_problems > 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("The case cannot be saved yet: fix the problems shown under the fields"));
      return FALSE;
    }

  record = cb_case_copy (self->working);
  if (!cb_case_store_save (self->store, record, error))
    return FALSE;

  self->dirty = FALSE;
  g_signal_emit (self, signals[SAVED], 0, record);
  return TRUE;
}

static void
close_now (CbCaseEditor *self)
{
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* Another program (casebook-cli, or Casebook elsewhere) held the file for
 * longer than the store waits. The edits are still in the editor, and the
 * person must know that saving again is all it takes. */
static void
show_busy (CbCaseEditor *self,
           const GError *error)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf ("%s\n\n%s", error->message,
                          _("Nothing is lost: your changes are still here. Press Save again "
                            "when the other program has finished."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Database Is Busy"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
try_save (CbCaseEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (save_case (self, &error))
    close_now (self);
  else if (g_error_matches (error, CB_ERROR, CB_ERROR_BUSY))
    show_busy (self, error);
  else
    show_message (self, error->message);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  try_save (CB_CASE_EDITOR (widget));
}

/* Ctrl+S works while Save is off too, so the keyboard gets the reason
 * (problems to fix, a read-only database) instead of silence. */
static gboolean
save_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  try_save (CB_CASE_EDITOR (widget));
  return TRUE;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbCaseEditor *self = CB_CASE_EDITOR (widget);

  g_signal_emit (self, signals[DELETE_REQUESTED], 0, cb_case_get_id (self->working));
  close_now (self);
}

/* The card opens in the main window, which this modal dialog covers: the
 * editor closes first (asking about unsaved changes). */
static void
read_guidance_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbCaseEditor *self = CB_CASE_EDITOR (widget);

  g_free (self->pending_card);
  self->pending_card = g_variant_dup_string (parameter, NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
show_pending_card (CbCaseEditor *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *card = g_steal_pointer (&self->pending_card);

  if (card != NULL && parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-card", "s", card);
}

static gboolean
close_when_idle (gpointer data)
{
  close_now (CB_CASE_EDITOR (data));

  return G_SOURCE_REMOVE;
}

/* The question's dialog is transient for the editor: it must be gone
 * before the editor goes, so the editor closes once the dialog has. */
static void
on_changes_response (CbCaseEditor     *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "discard") ||
      (g_str_equal (response, "save") && save_case (self, &error)))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_when_idle,
                     g_object_ref (self), g_object_unref);
  else
    {
      g_clear_pointer (&self->pending_card, g_free);
      if (g_error_matches (error, CB_ERROR, CB_ERROR_BUSY))
        show_busy (self, error);
      else if (error != NULL)
        show_message (self, error->message);
    }
}

static void
ask_about_changes (CbCaseEditor *self)
{
  gboolean can_save = self->n_problems == 0 && !self->read_only;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"),
                                   self->read_only
                                   ? _("The case has changes, but the database is read-only, so they cannot be saved. Changes that are not saved are lost.")
                                   : can_save
                                   ? _("The case has changes that are not saved. Changes that are not saved are lost.")
                                   : _("The case has changes that cannot be saved until the problems shown are fixed. Changes that are not saved are lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", can_save);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           can_save ? "save" : "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_changes_response),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
cb_case_editor_close_request (GtkWindow *window)
{
  CbCaseEditor *self = CB_CASE_EDITOR (window);

  if (self->dirty && !self->closing)
    {
      ask_about_changes (self);
      return TRUE;
    }

  show_pending_card (self);
  return GTK_WINDOW_CLASS (cb_case_editor_parent_class)->close_request (window);
}

static void
cb_case_editor_dispose (GObject *object)
{
  CbCaseEditor *self = CB_CASE_EDITOR (object);

  /* Before the widgets go: the inputs hold signal handlers on them. */
  for (guint i = 0; i < CB_N_FIELDS; i++)
    g_clear_pointer (&self->inputs[i], cb_field_input_free);
  g_clear_pointer (&self->gap_rows, g_ptr_array_unref);
  g_clear_object (&self->working);
  g_clear_object (&self->store);
  g_clear_pointer (&self->pending_card, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_CASE_EDITOR);

  G_OBJECT_CLASS (cb_case_editor_parent_class)->dispose (object);
}

static void
cb_case_editor_class_init (CbCaseEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cb_case_editor_dispose;
  window_class->close_request = cb_case_editor_close_request;

  /**
   * CbCaseEditor::saved:
   * @record: the case as saved, with its row id
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CB_TYPE_CASE);

  /**
   * CbCaseEditor::delete-requested:
   * @id: the row id of the case to delete
   *
   * The person asked to delete the case; the editor closes, and whoever
   * opened it deletes the case (and offers to undo).
   */
  signals[DELETE_REQUESTED] =
    g_signal_new ("delete-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-case-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CbCaseEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbCaseEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbCaseEditor, page);
  gtk_widget_class_bind_template_child (widget_class, CbCaseEditor, gaps_group);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.read-guidance", "s", read_guidance_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, save_shortcut, NULL);
}

static void
cb_case_editor_init (CbCaseEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->gap_rows = g_ptr_array_new ();
}

/**
 * cb_case_editor_new:
 * @parent: the window the editor belongs to (and opens guidance in)
 * @record: (nullable): the case to edit, or %NULL for a new case; the
 *   editor works on a copy
 */
CbCaseEditor *
cb_case_editor_new (GtkWindow   *parent,
                    CbCaseStore *store,
                    CbCase      *record)
{
  CbCaseEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CB_IS_CASE_STORE (store), NULL);
  g_return_val_if_fail (record == NULL || CB_IS_CASE (record), NULL);

  self = g_object_new (CB_TYPE_CASE_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->is_new = record == NULL;
  self->read_only = cb_case_store_is_read_only (store);
  self->working = record ? cb_case_copy (record) : cb_case_new ();

  build_groups (self);
  if (!self->is_new)
    add_delete_group (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", !self->is_new && !self->read_only);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    cb_field_input_load (self->inputs[i], cb_case_get (self->working, i));
  revalidate (self);

  return self;
}

/* 0 for a case not saved yet. */
gint64
cb_case_editor_get_case_id (CbCaseEditor *self)
{
  g_return_val_if_fail (CB_IS_CASE_EDITOR (self), 0);

  return cb_case_get_id (self->working);
}

gboolean
cb_case_editor_can_save (CbCaseEditor *self)
{
  g_return_val_if_fail (CB_IS_CASE_EDITOR (self), FALSE);

  return self->n_problems == 0 && !self->read_only;
}

gboolean
cb_case_editor_has_changes (CbCaseEditor *self)
{
  g_return_val_if_fail (CB_IS_CASE_EDITOR (self), FALSE);

  return self->dirty;
}

/**
 * cb_case_editor_get_input:
 *
 * Returns: (transfer none): the widget a person uses for @field: an
 *   #AdwEntryRow, #AdwComboRow, #AdwExpanderRow or #GtkTextView
 */
GtkWidget *
cb_case_editor_get_input (CbCaseEditor *self,
                          CbFieldId     field)
{
  g_return_val_if_fail (CB_IS_CASE_EDITOR (self), NULL);
  g_return_val_if_fail (field < CB_N_FIELDS, NULL);

  return cb_field_input_get_widget (self->inputs[field]);
}

/* Returns: (nullable): the reason shown beside @field */
const char *
cb_case_editor_get_problem (CbCaseEditor *self,
                            CbFieldId     field)
{
  g_return_val_if_fail (CB_IS_CASE_EDITOR (self), NULL);
  g_return_val_if_fail (field < CB_N_FIELDS, NULL);

  return cb_field_input_get_problem (self->inputs[field]);
}

/* The practice gaps of the case as it stands in the editor. */
CbGapFlags
cb_case_editor_get_gaps (CbCaseEditor *self)
{
  g_return_val_if_fail (CB_IS_CASE_EDITOR (self), 0);

  return self->shown_gaps;
}
