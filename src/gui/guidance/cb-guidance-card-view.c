/* cb-guidance-card-view.c — everything on one guidance card, to read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The detail behind a tile: section, title, summary, key figure, points,
 * the "in practice" prompts, the discussion question and the source, in a
 * readable column.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-guidance-card-view.h"
#include "cb-guidance-source.h"
#include "cb-guidance-util.h"

struct _CbGuidanceCardView
{
  AdwBin             parent_instance;

  CbGuidanceCard    *card;

  GtkScrolledWindow *scroller;
  GtkLabel          *section_label;
  GtkLabel          *title_label;
  GtkLabel          *summary_label;
  GtkWidget         *figure_box;
  GtkLabel          *figure_value_label;
  GtkLabel          *figure_caption_label;
  GtkBox            *points_box;
  GtkWidget         *prompts_heading;
  GtkBox            *prompts_box;
  GtkLabel          *discussion_label;
  GtkLabel          *source_label;
};

G_DEFINE_FINAL_TYPE (CbGuidanceCardView, cb_guidance_card_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CARD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_card (CbGuidanceCardView *self)
{
  CbGuidanceCard *card = self->card;
  const char * const *prompts;
  g_autofree char *source = NULL;

  if (card == NULL)
    return;

  prompts = cb_guidance_card_get_prompts (card);
  source = cb_guidance_describe_source (card);

  gtk_label_set_text (self->section_label, cb_guidance_card_get_section_title (card));
  gtk_label_set_text (self->title_label, cb_guidance_card_get_title (card));
  gtk_label_set_text (self->summary_label, cb_guidance_card_get_summary (card));

  gtk_widget_set_visible (self->figure_box, cb_guidance_card_get_figure_value (card) != NULL);
  cb_guidance_set_text (self->figure_value_label, cb_guidance_card_get_figure_value (card));
  cb_guidance_set_text (self->figure_caption_label, cb_guidance_card_get_figure_caption (card));

  cb_guidance_fill_list (self->points_box, cb_guidance_card_get_points (card), "•", NULL);
  gtk_widget_set_visible (self->prompts_heading, prompts[0] != NULL);
  cb_guidance_fill_list (self->prompts_box, prompts, "›", NULL);

  gtk_label_set_text (self->discussion_label, cb_guidance_card_get_discussion (card));
  gtk_label_set_text (self->source_label, source);

  /* A new card is read from its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

void
cb_guidance_card_view_set_card (CbGuidanceCardView *self,
                                CbGuidanceCard     *card)
{
  g_return_if_fail (CB_IS_GUIDANCE_CARD_VIEW (self));
  g_return_if_fail (card == NULL || CB_IS_GUIDANCE_CARD (card));

  if (!g_set_object (&self->card, card))
    return;

  show_card (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD]);
}

CbGuidanceCard *
cb_guidance_card_view_get_card (CbGuidanceCardView *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD_VIEW (self), NULL);

  return self->card;
}

GtkWidget *
cb_guidance_card_view_new (void)
{
  return g_object_new (CB_TYPE_GUIDANCE_CARD_VIEW, NULL);
}

static void
cb_guidance_card_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CbGuidanceCardView *self = CB_GUIDANCE_CARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_CARD:
      g_value_set_object (value, self->card);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_guidance_card_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CbGuidanceCardView *self = CB_GUIDANCE_CARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_CARD:
      cb_guidance_card_view_set_card (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_guidance_card_view_dispose (GObject *object)
{
  CbGuidanceCardView *self = CB_GUIDANCE_CARD_VIEW (object);

  /* The scroller is both the bin's child and a template child: the bin
   * lets go of it first, or the template would unparent it behind the
   * bin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_GUIDANCE_CARD_VIEW);
  g_clear_object (&self->card);

  G_OBJECT_CLASS (cb_guidance_card_view_parent_class)->dispose (object);
}

static void
cb_guidance_card_view_class_init (CbGuidanceCardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_guidance_card_view_dispose;
  object_class->get_property = cb_guidance_card_view_get_property;
  object_class->set_property = cb_guidance_card_view_set_property;

  properties[PROP_CARD] =
    g_param_spec_object ("card", NULL, NULL,
                         CB_TYPE_GUIDANCE_CARD,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-guidance-card-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, scroller);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, section_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, figure_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, figure_value_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, figure_caption_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, points_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, prompts_heading);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, prompts_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, discussion_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceCardView, source_label);
}

static void
cb_guidance_card_view_init (CbGuidanceCardView *self)
{
  cb_guidance_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
