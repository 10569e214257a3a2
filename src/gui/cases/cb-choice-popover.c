/* cb-choice-popover.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filters of the Cases page that allow several values at once (areas,
 * sentence types, practice gaps) share this popover: one check button per
 * choice, a Clear button, and a "changed" signal when the person changes
 * the selection (never when the code does).
 */
#define G_LOG_DOMAIN "casebook-cases"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-choice-popover.h"

#define CHOICE_ID_KEY "cb-choice-id"

struct _CbChoicePopover
{
  GtkPopover  parent_instance;

  /* Template widgets */
  GtkLabel   *heading_label;
  GtkBox     *choice_box;
  GtkButton  *clear_button;

  GPtrArray  *checks;     /* GtkCheckButton, in choice order */
  gboolean    updating;
};

G_DEFINE_FINAL_TYPE (CbChoicePopover, cb_choice_popover, GTK_TYPE_POPOVER)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
check_get_id (GtkCheckButton *check)
{
  return g_object_get_data (G_OBJECT (check), CHOICE_ID_KEY);
}

static void
update_clear_button (CbChoicePopover *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button),
                            cb_choice_popover_get_n_selected (self) > 0);
}

static void
on_check_toggled (CbChoicePopover *self,
                  GtkCheckButton  *check)
{
  update_clear_button (self);
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_clear_clicked (CbChoicePopover *self,
                  GtkButton       *button)
{
  if (cb_choice_popover_get_n_selected (self) == 0)
    return;

  cb_choice_popover_set_selected (self, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
cb_choice_popover_dispose (GObject *object)
{
  CbChoicePopover *self = CB_CHOICE_POPOVER (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_CHOICE_POPOVER);

  G_OBJECT_CLASS (cb_choice_popover_parent_class)->dispose (object);
}

static void
cb_choice_popover_class_init (CbChoicePopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_choice_popover_dispose;

  /**
   * CbChoicePopover::changed:
   *
   * The person checked, unchecked or cleared a choice.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-choice-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, CbChoicePopover, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CbChoicePopover, choice_box);
  gtk_widget_class_bind_template_child (widget_class, CbChoicePopover, clear_button);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
}

static void
cb_choice_popover_init (CbChoicePopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->checks = g_ptr_array_new ();
}

CbChoicePopover *
cb_choice_popover_new (void)
{
  return g_object_new (CB_TYPE_CHOICE_POPOVER, NULL);
}

void
cb_choice_popover_set_heading (CbChoicePopover *self,
                               const char      *heading)
{
  g_return_if_fail (CB_IS_CHOICE_POPOVER (self));

  gtk_label_set_label (self->heading_label, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->heading_label), heading != NULL);
}

static GtkWidget *
make_check (CbChoicePopover *self,
            const char      *id,
            const char      *label,
            const char      *tooltip)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (check), CHOICE_ID_KEY, g_strdup (id), g_free);
  gtk_widget_set_tooltip_text (check, tooltip);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled),
                           self, G_CONNECT_SWAPPED);

  return check;
}

/**
 * cb_choice_popover_set_choices:
 * @ids: the choices' ids, %NULL-terminated
 * @labels: what the person reads, one per id
 * @tooltips: (nullable): a line of help per id
 *
 * Replaces the choices. A choice that was checked stays checked when its
 * id is still offered, so refreshing a list (areas) keeps the filter.
 */
void
cb_choice_popover_set_choices (CbChoicePopover    *self,
                               const char * const *ids,
                               const char * const *labels,
                               const char * const *tooltips)
{
  g_auto(GStrv) selected = NULL;
  GtkWidget *child;

  g_return_if_fail (CB_IS_CHOICE_POPOVER (self));
  g_return_if_fail (ids != NULL && labels != NULL);

  selected = cb_choice_popover_get_selected (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->choice_box))))
    gtk_box_remove (self->choice_box, child);
  g_ptr_array_set_size (self->checks, 0);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      GtkWidget *check = make_check (self, ids[i], labels[i], tooltips ? tooltips[i] : NULL);

      gtk_box_append (self->choice_box, check);
      g_ptr_array_add (self->checks, check);
    }

  cb_choice_popover_set_selected (self, (const char * const *) selected);
}

/* Returns: (transfer full): the checked ids in choice order, never NULL */
GStrv
cb_choice_popover_get_selected (CbChoicePopover *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (CB_IS_CHOICE_POPOVER (self), NULL);

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, check_get_id (check));
    }

  return g_strv_builder_end (builder);
}

guint
cb_choice_popover_get_n_selected (CbChoicePopover *self)
{
  guint n = 0;

  g_return_val_if_fail (CB_IS_CHOICE_POPOVER (self), 0);

  for (guint i = 0; i < self->checks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (self->checks, i));

  return n;
}

/**
 * cb_choice_popover_set_selected:
 * @ids: (nullable): the ids to check; every other choice is unchecked
 *
 * Does not emit #CbChoicePopover::changed: the caller already knows.
 */
void
cb_choice_popover_set_selected (CbChoicePopover    *self,
                                const char * const *ids)
{
  g_return_if_fail (CB_IS_CHOICE_POPOVER (self));

  self->updating = TRUE;
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);
      gboolean active = ids != NULL && g_strv_contains (ids, check_get_id (check));

      gtk_check_button_set_active (check, active);
    }
  self->updating = FALSE;

  update_clear_button (self);
}

/* Returns: (transfer none) (nullable): the check button of a choice */
GtkCheckButton *
cb_choice_popover_get_check (CbChoicePopover *self,
                             const char      *id)
{
  g_return_val_if_fail (CB_IS_CHOICE_POPOVER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (g_str_equal (check_get_id (check), id))
        return check;
    }

  return NULL;
}
