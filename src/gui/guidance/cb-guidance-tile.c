/* cb-guidance-tile.c — one card in the Guidance page's grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A flow box child itself, so the grid neither wraps it nor needs a second
 * focusable widget: the tile is what the keyboard lands on and what screen
 * readers announce.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include "cb-guidance-tile.h"
#include "cb-guidance-util.h"

struct _CbGuidanceTile
{
  GtkFlowBoxChild  parent_instance;

  CbGuidanceCard  *card;

  GtkLabel        *section_label;
  GtkLabel        *title_label;
  GtkLabel        *summary_label;
  GtkWidget       *figure_box;
  GtkLabel        *figure_value_label;
  GtkLabel        *figure_caption_label;
};

G_DEFINE_FINAL_TYPE (CbGuidanceTile, cb_guidance_tile, GTK_TYPE_FLOW_BOX_CHILD)

static void
show_card (CbGuidanceTile *self,
           gboolean        show_section)
{
  const char *value = cb_guidance_card_get_figure_value (self->card);

  gtk_label_set_text (self->section_label, cb_guidance_card_get_section_title (self->card));
  gtk_widget_set_visible (GTK_WIDGET (self->section_label), show_section);
  gtk_label_set_text (self->title_label, cb_guidance_card_get_title (self->card));
  gtk_label_set_text (self->summary_label, cb_guidance_card_get_summary (self->card));

  gtk_widget_set_visible (self->figure_box, value != NULL);
  if (value != NULL)
    {
      gtk_label_set_text (self->figure_value_label, value);
      cb_guidance_set_text (self->figure_caption_label, cb_guidance_card_get_figure_caption (self->card));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cb_guidance_card_get_title (self->card),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, cb_guidance_card_get_summary (self->card),
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), cb_guidance_card_get_title (self->card));
}

static void
cb_guidance_tile_dispose (GObject *object)
{
  CbGuidanceTile *self = CB_GUIDANCE_TILE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_GUIDANCE_TILE);
  g_clear_object (&self->card);

  G_OBJECT_CLASS (cb_guidance_tile_parent_class)->dispose (object);
}

static void
cb_guidance_tile_class_init (CbGuidanceTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_guidance_tile_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-guidance-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceTile, section_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceTile, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceTile, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceTile, figure_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceTile, figure_value_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceTile, figure_caption_label);
}

static void
cb_guidance_tile_init (CbGuidanceTile *self)
{
  cb_guidance_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cb_guidance_tile_new:
 * @card: the card to show
 * @show_section: whether to name the card's section, for decks that mix
 *   sections (all cards, search results)
 */
GtkWidget *
cb_guidance_tile_new (CbGuidanceCard *card,
                      gboolean        show_section)
{
  CbGuidanceTile *self;

  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (card), NULL);

  self = g_object_new (CB_TYPE_GUIDANCE_TILE, NULL);
  self->card = g_object_ref (card);
  show_card (self, show_section);

  return GTK_WIDGET (self);
}

CbGuidanceCard *
cb_guidance_tile_get_card (CbGuidanceTile *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_TILE (self), NULL);

  return self->card;
}
