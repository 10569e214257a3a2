/* cb-area-selector.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A button that opens a list of the areas with cases, each with a check
 * box, and "All areas" above them. Ticking an area narrows the report to
 * the ticked ones; clearing the last one, or ticking "All areas", goes
 * back to every area, so the choice is never empty.
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-area-selector.h"

struct _CbAreaSelector
{
  GtkWidget       parent_instance;

  GtkMenuButton  *menu_button;
  GtkLabel       *button_label;
  GtkBox         *areas_box;
  GtkCheckButton *all_check;

  GPtrArray      *checks;   /* GtkCheckButton, one per area */
};

G_DEFINE_FINAL_TYPE (CbAreaSelector, cb_area_selector, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define AREA_KEY "cb-area"

static const char *
check_get_area (GtkCheckButton *check)
{
  return g_object_get_data (G_OBJECT (check), AREA_KEY);
}

static guint
count_selected (CbAreaSelector *self)
{
  guint n = 0;

  for (guint i = 0; i < self->checks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (self->checks, i));

  return n;
}

static void
update_label (CbAreaSelector *self)
{
  g_autofree char *text = cb_area_selector_describe (self);

  gtk_label_set_label (self->button_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
set_all_active (CbAreaSelector *self,
                gboolean        active);

static void
on_all_toggled (CbAreaSelector *self)
{
  if (gtk_check_button_get_active (self->all_check))
    {
      /* Every area: the ticks on single areas go. */
      for (guint i = 0; i < self->checks->len; i++)
        gtk_check_button_set_active (g_ptr_array_index (self->checks, i), FALSE);
    }
  else if (count_selected (self) == 0)
    {
      /* Nothing would be left: keep "All areas". */
      set_all_active (self, TRUE);
      return;
    }

  update_label (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_all_active (CbAreaSelector *self,
                gboolean        active)
{
  g_signal_handlers_block_by_func (self->all_check, on_all_toggled, self);
  gtk_check_button_set_active (self->all_check, active);
  g_signal_handlers_unblock_by_func (self->all_check, on_all_toggled, self);
}

static void
on_area_toggled (CbAreaSelector *self,
                 GtkCheckButton *check)
{
  /* "All areas" clearing the single areas is one change, not many. */
  if (gtk_check_button_get_active (self->all_check) && !gtk_check_button_get_active (check))
    return;

  set_all_active (self, count_selected (self) == 0);
  update_label (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkCheckButton *
add_check (CbAreaSelector *self,
           const char     *area)
{
  GtkWidget *check = gtk_check_button_new_with_label (area);

  g_object_set_data_full (G_OBJECT (check), AREA_KEY, g_strdup (area), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_area_toggled), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->areas_box, check);
  g_ptr_array_add (self->checks, check);

  return GTK_CHECK_BUTTON (check);
}

static void
remove_checks (CbAreaSelector *self)
{
  for (guint i = 0; i < self->checks->len; i++)
    gtk_box_remove (self->areas_box, g_ptr_array_index (self->checks, i));
  g_ptr_array_set_size (self->checks, 0);
}

/**
 * cb_area_selector_set_available:
 * @areas: the areas to offer, in order
 *
 * Areas still offered stay ticked; "changed" is emitted when a ticked area
 * is no longer offered.
 */
void
cb_area_selector_set_available (CbAreaSelector     *self,
                                const char * const *areas)
{
  g_auto(GStrv) selected = NULL;
  guint kept = 0;

  g_return_if_fail (CB_IS_AREA_SELECTOR (self));

  selected = cb_area_selector_get_selected (self);
  remove_checks (self);

  for (guint i = 0; areas != NULL && areas[i] != NULL; i++)
    {
      GtkCheckButton *check = add_check (self, areas[i]);

      if (selected != NULL && g_strv_contains ((const char * const *) selected, areas[i]))
        {
          g_signal_handlers_block_by_func (check, on_area_toggled, self);
          gtk_check_button_set_active (check, TRUE);
          g_signal_handlers_unblock_by_func (check, on_area_toggled, self);
          kept++;
        }
    }

  set_all_active (self, kept == 0);
  update_label (self);
  if (selected != NULL && kept != g_strv_length (selected))
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * cb_area_selector_get_selected:
 *
 * Returns: (transfer full) (nullable): the ticked areas, or %NULL for all
 */
GStrv
cb_area_selector_get_selected (CbAreaSelector *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (CB_IS_AREA_SELECTOR (self), NULL);

  if (gtk_check_button_get_active (self->all_check))
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, check_get_area (check));
    }

  return g_strv_builder_end (builder);
}

/**
 * cb_area_selector_set_selected:
 * @areas: (nullable): the areas to tick; %NULL or empty for all
 *
 * Areas that are not offered are ignored.
 */
void
cb_area_selector_set_selected (CbAreaSelector     *self,
                               const char * const *areas)
{
  g_return_if_fail (CB_IS_AREA_SELECTOR (self));

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);
      gboolean active = areas != NULL && g_strv_contains (areas, check_get_area (check));

      g_signal_handlers_block_by_func (check, on_area_toggled, self);
      gtk_check_button_set_active (check, active);
      g_signal_handlers_unblock_by_func (check, on_area_toggled, self);
    }

  set_all_active (self, count_selected (self) == 0);
  update_label (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* "All areas", the one area's name, or "3 areas". */
char *
cb_area_selector_describe (CbAreaSelector *self)
{
  guint n;

  g_return_val_if_fail (CB_IS_AREA_SELECTOR (self), NULL);

  n = gtk_check_button_get_active (self->all_check) ? 0 : count_selected (self);
  if (n == 0)
    return g_strdup (_("All areas"));

  if (n == 1)
    for (guint i = 0; i < self->checks->len; i++)
      if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
        return g_strdup (check_get_area (g_ptr_array_index (self->checks, i)));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u area", "%u areas", n), n);
}

static void
cb_area_selector_dispose (GObject *object)
{
  CbAreaSelector *self = CB_AREA_SELECTOR (object);
  GtkWidget *child;

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_AREA_SELECTOR);
  /* Children the template does not name are ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_area_selector_parent_class)->dispose (object);
}

static void
cb_area_selector_class_init (CbAreaSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_area_selector_dispose;

  /**
   * CbAreaSelector::changed:
   *
   * The ticked areas changed.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-area-selector.ui");
  gtk_widget_class_bind_template_child (widget_class, CbAreaSelector, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CbAreaSelector, button_label);
  gtk_widget_class_bind_template_child (widget_class, CbAreaSelector, areas_box);
  gtk_widget_class_bind_template_child (widget_class, CbAreaSelector, all_check);
  gtk_widget_class_bind_template_callback (widget_class, on_all_toggled);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cb_area_selector_init (CbAreaSelector *self)
{
  self->checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update_label (self);
}
