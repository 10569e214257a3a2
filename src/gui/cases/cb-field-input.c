/* cb-field-input.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One input per field of the field table, chosen by the field's type: an
 * entry row for text, dates and years; a text view for long text (notes);
 * a combo row for a code or a yes/no answer, with "Not recorded" first so
 * that it never reads as "no"; an expander of check rows for a set of
 * codes. Under each input sits a message row that says what is wrong.
 *
 * An input hands back the value it was loaded with, untouched, for as long
 * as the person has not changed it: saving an edit can then never rewrite
 * a field nobody looked at.
 */
#define G_LOG_DOMAIN "casebook-cases"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-field-input.h"

/* Longer texts than this get a multi-line text view. */
#define LONG_TEXT 200

typedef enum
{
  KIND_ENTRY,
  KIND_TEXT_VIEW,
  KIND_CHOICE,
  KIND_CHECKS,
} InputKind;

struct _CbFieldInput
{
  const CbField       *field;
  InputKind            kind;
  GtkWidget           *widget;       /* what the person edits */
  GtkWidget           *message_row;  /* the row under it, when in a list */
  GtkWidget           *text_box;     /* text view and its message, stacked */
  GtkLabel            *message;
  GtkLabel            *hint;         /* dates: how the typed text was read */
  GPtrArray           *checks;       /* KIND_CHECKS: a GtkCheckButton per code */
  char                *problem;
  char                *loaded;       /* the value last loaded, canonical */
  char                *loaded_state; /* the widgets' state that shows it */
  CbFieldInputChanged  changed;
  gpointer             user_data;
  gboolean             loading;
};

static const char *
yes_no_values[] = { NULL, "yes", "no" };

/* The widgets' state as a string, to tell whether the person changed it. */
static char *
get_state (CbFieldInput *self)
{
  switch (self->kind)
    {
    case KIND_ENTRY:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->widget)));

    case KIND_TEXT_VIEW:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->widget));
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      }

    case KIND_CHOICE:
      return g_strdup_printf ("%u", adw_combo_row_get_selected (ADW_COMBO_ROW (self->widget)));

    case KIND_CHECKS:
      {
        guint64 mask = 0;

        for (guint i = 0; i < self->checks->len; i++)
          if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
            mask |= G_GUINT64_CONSTANT (1) << i;
        return g_strdup_printf ("%" G_GUINT64_FORMAT, mask);
      }

    default:
      g_assert_not_reached ();
    }
}

static guint64
get_mask (CbFieldInput *self)
{
  g_autofree char *state = get_state (self);

  return g_ascii_strtoull (state, NULL, 10);
}

static void
update_checks_summary (CbFieldInput *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  for (guint i = 0; i < self->checks->len; i++)
    {
      if (!gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
        continue;
      if (summary->len > 0)
        g_string_append (summary, ", ");
      g_string_append (summary, _(self->field->codes[i].label));
    }

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->widget),
                                 summary->len > 0 ? summary->str : _("Not recorded"));
}

/* A date typed as 03/04/2025 is shown back as "3 April 2025", so nobody
 * has to wonder which of day and month was read. */
static void
update_date_hint (CbFieldInput *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->widget));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  GDate date;
  char shown[64];

  if (trimmed[0] == '\0' || !cb_date_parse (trimmed, &date))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->hint), FALSE);
      return;
    }

  g_date_strftime (shown, sizeof shown, "%-d %B %Y", &date);
  gtk_label_set_label (self->hint, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->hint), TRUE);
}

static void
on_widget_changed (CbFieldInput *self)
{
  if (self->hint != NULL)
    update_date_hint (self);
  if (self->kind == KIND_CHECKS)
    update_checks_summary (self);

  if (!self->loading && self->changed != NULL)
    self->changed (self, self->user_data);
}

static void
describe (GtkWidget     *widget,
          const CbField *field)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(field->label),
                                  -1);
  if (field->description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(field->description),
                                    -1);
}

static GtkWidget *
make_entry (CbFieldInput *self)
{
  const CbField *field = self->field;
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *tooltip = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->label));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);

  if (field->type == CB_FIELD_TYPE_DATE)
    {
      self->hint = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_add_css_class (GTK_WIDGET (self->hint), "dim-label");
      gtk_widget_set_visible (GTK_WIDGET (self->hint), FALSE);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), GTK_WIDGET (self->hint));
      tooltip = g_strdup_printf ("%s%s%s", field->description ? _(field->description) : "",
                                 field->description ? "\n" : "",
                                 _("Type the date as YYYY-MM-DD or DD/MM/YYYY"));
    }
  else if (field->type == CB_FIELD_TYPE_INTEGER)
    {
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      tooltip = g_strdup (field->description ? _(field->description) : NULL);
    }
  else
    tooltip = g_strdup (field->description ? _(field->description) : NULL);

  gtk_widget_set_tooltip_text (row, tooltip);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_widget_changed), self);

  return row;
}

static GtkWidget *
make_text_view (CbFieldInput *self)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  /* Tab moves on, as in every other input of the form. */
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                            G_CALLBACK (on_widget_changed), self);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);

  self->text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (self->text_box), scrolled);

  return view;
}

static GtkWidget *
make_choice (CbFieldInput *self)
{
  const CbField *field = self->field;
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  gtk_string_list_append (choices, _("Not recorded"));
  if (field->type == CB_FIELD_TYPE_YES_NO)
    {
      gtk_string_list_append (choices, _("Yes"));
      gtk_string_list_append (choices, _("No"));
    }
  else
    for (guint i = 0; i < field->n_codes; i++)
      gtk_string_list_append (choices, _(field->codes[i].label));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->label));
  if (field->description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(field->description));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (on_widget_changed), self);

  return row;
}

static GtkWidget *
make_checks (CbFieldInput *self)
{
  const CbField *field = self->field;
  GtkWidget *expander = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _(field->label));
  self->checks = g_ptr_array_new ();

  for (guint i = 0; i < field->n_codes; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      const char *label = _(field->codes[i].label);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_widget_changed), self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      g_ptr_array_add (self->checks, check);
    }

  return expander;
}

static GtkWidget *
make_message_row (CbFieldInput *self)
{
  GtkWidget *row = adw_preferences_row_new ();

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), GTK_WIDGET (self->message));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_visible (row, FALSE);

  return row;
}

static GtkLabel *
make_message_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "caption");

  return GTK_LABEL (label);
}

/**
 * cb_field_input_new:
 * @changed: (scope notified): called when the person changes the value
 */
CbFieldInput *
cb_field_input_new (CbFieldId            field,
                    CbFieldInputChanged  changed,
                    gpointer             user_data)
{
  CbFieldInput *self;

  g_return_val_if_fail (field < CB_N_FIELDS, NULL);

  self = g_new0 (CbFieldInput, 1);
  self->field = cb_field_get (field);
  self->changed = changed;
  self->user_data = user_data;
  self->message = make_message_label ();

  switch (self->field->type)
    {
    case CB_FIELD_TYPE_TEXT:
    case CB_FIELD_TYPE_DATE:
    case CB_FIELD_TYPE_INTEGER:
      if (self->field->max_length > LONG_TEXT)
        {
          self->kind = KIND_TEXT_VIEW;
          self->widget = make_text_view (self);
          gtk_box_append (GTK_BOX (self->text_box), GTK_WIDGET (self->message));
          gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
        }
      else
        {
          self->kind = KIND_ENTRY;
          self->widget = make_entry (self);
        }
      break;

    case CB_FIELD_TYPE_CODE:
    case CB_FIELD_TYPE_YES_NO:
      self->kind = KIND_CHOICE;
      self->widget = make_choice (self);
      break;

    case CB_FIELD_TYPE_CODES:
      self->kind = KIND_CHECKS;
      self->widget = make_checks (self);
      break;

    default:
      g_assert_not_reached ();
    }

  if (self->text_box == NULL)
    self->message_row = make_message_row (self);

  describe (self->widget, self->field);
  cb_field_input_load (self, NULL);

  return self;
}

/* The widgets belong to the group they were added to, which must still
 * exist here; this frees only the bookkeeping. */
void
cb_field_input_free (CbFieldInput *self)
{
  if (self == NULL)
    return;

  /* The widgets may outlive this struct for a moment; their signals must
   * not reach it any more. */
  g_signal_handlers_disconnect_by_data (self->widget, self);
  if (self->kind == KIND_TEXT_VIEW)
    g_signal_handlers_disconnect_by_data (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->widget)), self);
  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->checks, i), self);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_free (self->problem);
  g_free (self->loaded);
  g_free (self->loaded_state);
  g_free (self);
}

CbFieldId
cb_field_input_get_field (CbFieldInput *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->field->id;
}

/* Returns: (transfer none): the entry row, combo row, expander row or
 * text view the person edits */
GtkWidget *
cb_field_input_get_widget (CbFieldInput *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->widget;
}

void
cb_field_input_add_to_group (CbFieldInput        *self,
                             AdwPreferencesGroup *group)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  if (self->text_box != NULL)
    {
      adw_preferences_group_add (group, self->text_box);
      return;
    }

  adw_preferences_group_add (group, self->widget);
  adw_preferences_group_add (group, self->message_row);
}

static guint
choice_index (CbFieldInput *self,
              const char   *canonical)
{
  if (canonical == NULL)
    return 0;

  if (self->field->type == CB_FIELD_TYPE_YES_NO)
    return g_str_equal (canonical, "yes") ? 1 : g_str_equal (canonical, "no") ? 2 : 0;

  return cb_field_find_code (self->field, canonical) + 1;
}

static void
set_widgets (CbFieldInput *self,
             const char   *canonical)
{
  switch (self->kind)
    {
    case KIND_ENTRY:
      gtk_editable_set_text (GTK_EDITABLE (self->widget), canonical ? canonical : "");
      break;

    case KIND_TEXT_VIEW:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->widget)),
                                canonical ? canonical : "", -1);
      break;

    case KIND_CHOICE:
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->widget), choice_index (self, canonical));
      break;

    case KIND_CHECKS:
      {
        guint64 mask = cb_field_codes_to_mask (self->field, canonical);

        for (guint i = 0; i < self->checks->len; i++)
          gtk_check_button_set_active (g_ptr_array_index (self->checks, i),
                                       (mask & (G_GUINT64_CONSTANT (1) << i)) != 0);
        update_checks_summary (self);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * cb_field_input_load:
 * @canonical: (nullable): the stored value, %NULL for not recorded
 *
 * Shows a value without calling the changed callback.
 */
void
cb_field_input_load (CbFieldInput *self,
                     const char   *canonical)
{
  g_return_if_fail (self != NULL);

  self->loading = TRUE;
  set_widgets (self, canonical);
  self->loading = FALSE;

  g_free (self->loaded);
  self->loaded = g_strdup (canonical);
  g_free (self->loaded_state);
  self->loaded_state = get_state (self);
}

static char *
read_choice (CbFieldInput *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->widget));

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  if (self->field->type == CB_FIELD_TYPE_YES_NO)
    return g_strdup (yes_no_values[MIN (selected, 2)]);

  return g_strdup (self->field->codes[selected - 1].code);
}

/**
 * cb_field_input_read:
 * @canonical: (out) (transfer full) (nullable): the value, %NULL when not
 *   recorded
 *
 * Returns: %FALSE, with the reason, when the typed text does not fit the
 *   field
 */
gboolean
cb_field_input_read (CbFieldInput  *self,
                     char         **canonical,
                     GError       **error)
{
  g_autofree char *state = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (canonical != NULL, FALSE);

  state = get_state (self);
  if (g_strcmp0 (state, self->loaded_state) == 0)
    {
      *canonical = g_strdup (self->loaded);
      return TRUE;
    }

  switch (self->kind)
    {
    case KIND_ENTRY:
    case KIND_TEXT_VIEW:
      return cb_field_parse (self->field, state, canonical, error);

    case KIND_CHOICE:
      *canonical = read_choice (self);
      return TRUE;

    case KIND_CHECKS:
      *canonical = cb_field_mask_to_codes (self->field, get_mask (self));
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/**
 * cb_field_input_show_problem:
 * @message: (nullable): what is wrong, or %NULL when nothing is
 * @missing: the problem is only that a required value is not there yet,
 *   shown quietly rather than as an error
 */
void
cb_field_input_show_problem (CbFieldInput *self,
                             const char   *message,
                             gboolean      missing)
{
  gboolean error = message != NULL && !missing;

  g_return_if_fail (self != NULL);

  g_free (self->problem);
  self->problem = g_strdup (message);

  gtk_label_set_label (self->message, message ? message : "");
  gtk_widget_set_visible (self->message_row ? self->message_row : GTK_WIDGET (self->message),
                          message != NULL);
  if (error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
      gtk_widget_add_css_class (self->widget, "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message), "dim-label");
      gtk_widget_remove_css_class (self->widget, "error");
    }

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->widget),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message ? message
                                          : self->field->description ? _(self->field->description) : "",
                                  -1);
}

/* Returns: (nullable): the message shown under the input */
const char *
cb_field_input_get_problem (CbFieldInput *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->problem;
}
