/* cb-indicator-tile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local percentage large, the counts behind it, the national figure
 * and how the two compare, in words as well as colour. The caseload tile
 * shows the count alone.
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-dashboard-util.h"
#include "cb-indicator-tile.h"

struct _CbIndicatorTile
{
  GtkWidget        parent_instance;

  GtkLabel        *title_label;
  GtkLabel        *value_label;
  GtkLabel        *fraction_label;
  GtkLabel        *national_label;
  GtkLabel        *comparison_label;

  CbIndicatorKind  kind;
  CbComparison     comparison;
};

G_DEFINE_FINAL_TYPE (CbIndicatorTile, cb_indicator_tile, GTK_TYPE_WIDGET)

static const CbComparison comparisons[] = {
  CB_COMPARISON_NONE, CB_COMPARISON_SIMILAR, CB_COMPARISON_BETTER, CB_COMPARISON_WORSE,
};

static void
set_comparison (CbIndicatorTile *self,
                CbComparison     comparison)
{
  GtkWidget *badge = GTK_WIDGET (self->comparison_label);
  const char *style;

  for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), cb_comparison_get_name (comparisons[i]));
      gtk_widget_remove_css_class (badge, cb_comparison_get_name (comparisons[i]));
      if ((style = cb_comparison_get_style_class (comparisons[i])))
        gtk_widget_remove_css_class (GTK_WIDGET (self->value_label), style);
    }

  self->comparison = comparison;
  gtk_widget_add_css_class (GTK_WIDGET (self), cb_comparison_get_name (comparison));
  gtk_widget_add_css_class (badge, cb_comparison_get_name (comparison));
  if ((style = cb_comparison_get_style_class (comparison)))
    gtk_widget_add_css_class (GTK_WIDGET (self->value_label), style);

  gtk_label_set_label (self->comparison_label, cb_comparison_get_text (comparison));
  gtk_widget_set_visible (badge, comparison != CB_COMPARISON_NONE);
}

/* Plain text, for the screen reader's sentence. */
static char *
national_text (const CbIndicator *indicator)
{
  if (indicator->national_text == NULL || indicator->national_text[0] == '\0')
    return g_strdup (_("No national figure"));

  /* Translators: the inspection's national figure, e.g. "National: 1 in 6" */
  return g_strdup_printf (_("National: %s"), indicator->national_text);
}

/* The same on the tile, with the word "National" set apart. */
static char *
national_markup (const CbIndicator *indicator)
{
  g_autofree char *escaped = NULL;

  if (indicator->national_text == NULL || indicator->national_text[0] == '\0')
    return g_markup_escape_text (_("No national figure"), -1);

  escaped = g_markup_escape_text (indicator->national_text, -1);
  /* Translators: the inspection's national figure on a tile; keep the markup */
  return g_strdup_printf (_("<b>National</b>  %s"), escaped);
}

static void
show_caseload (CbIndicatorTile   *self,
               const CbIndicator *indicator)
{
  g_autofree char *count = cb_format_count (indicator->denominator);

  gtk_label_set_label (self->value_label, count);
  gtk_label_set_label (self->fraction_label,
                       g_dngettext (GETTEXT_PACKAGE, "case", "cases", indicator->denominator));
}

static void
show_proportion (CbIndicatorTile   *self,
                 const CbIndicator *indicator)
{
  g_autofree char *percentage = cb_format_percentage (cb_indicator_get_percentage (indicator));
  g_autofree char *fraction = cb_format_fraction (indicator);

  gtk_label_set_label (self->value_label, percentage);
  gtk_label_set_label (self->fraction_label, fraction);
}

/* One sentence for a screen reader: the whole tile, in reading order. */
static void
update_accessible (CbIndicatorTile   *self,
                   const CbIndicator *indicator)
{
  g_autofree char *value = cb_format_indicator (indicator);
  g_autofree char *national = national_text (indicator);
  g_autofree char *text = NULL;

  if (self->comparison == CB_COMPARISON_NONE)
    text = g_strdup_printf ("%s: %s. %s.", indicator->label, value, national);
  else
    text = g_strdup_printf ("%s: %s. %s. %s.", indicator->label, value, national,
                            cb_comparison_get_text (self->comparison));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, indicator->description,
                                  -1);
}

/**
 * cb_indicator_tile_set_indicator:
 * @indicator: (nullable): the counts, or %NULL while there are none
 */
void
cb_indicator_tile_set_indicator (CbIndicatorTile   *self,
                                 const CbIndicator *indicator)
{
  g_autofree char *national = NULL;

  g_return_if_fail (CB_IS_INDICATOR_TILE (self));
  g_return_if_fail (indicator == NULL || indicator->kind == self->kind);

  if (indicator == NULL)
    indicator = cb_indicator_kind_get_info (self->kind);

  if (self->kind == CB_INDICATOR_CASELOAD)
    show_caseload (self, indicator);
  else
    show_proportion (self, indicator);

  national = national_markup (indicator);
  gtk_label_set_label (self->title_label, indicator->label);
  gtk_label_set_label (self->national_label, national);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), indicator->description);
  set_comparison (self, cb_indicator_compare_national (indicator));
  update_accessible (self, indicator);
}

CbIndicatorKind
cb_indicator_tile_get_kind (CbIndicatorTile *self)
{
  g_return_val_if_fail (CB_IS_INDICATOR_TILE (self), CB_INDICATOR_CASELOAD);

  return self->kind;
}

CbComparison
cb_indicator_tile_get_comparison (CbIndicatorTile *self)
{
  g_return_val_if_fail (CB_IS_INDICATOR_TILE (self), CB_COMPARISON_NONE);

  return self->comparison;
}

GtkWidget *
cb_indicator_tile_new (CbIndicatorKind kind)
{
  CbIndicatorTile *self;

  g_return_val_if_fail (kind < CB_N_INDICATORS, NULL);

  self = g_object_new (CB_TYPE_INDICATOR_TILE, NULL);
  self->kind = kind;
  cb_indicator_tile_set_indicator (self, NULL);

  return GTK_WIDGET (self);
}

static void
cb_indicator_tile_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_INDICATOR_TILE);
  /* Children the template does not name are ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_indicator_tile_parent_class)->dispose (object);
}

static void
cb_indicator_tile_class_init (CbIndicatorTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_indicator_tile_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-indicator-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, CbIndicatorTile, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbIndicatorTile, value_label);
  gtk_widget_class_bind_template_child (widget_class, CbIndicatorTile, fraction_label);
  gtk_widget_class_bind_template_child (widget_class, CbIndicatorTile, national_label);
  gtk_widget_class_bind_template_child (widget_class, CbIndicatorTile, comparison_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "indicatortile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cb_indicator_tile_init (CbIndicatorTile *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);
}
