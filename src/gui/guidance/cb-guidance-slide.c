/* cb-guidance-slide.c — one guidance card in large type, for presenting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Laid out for a projector: title and summary across the top, the points
 * and prompts on the left, the key figure and the discussion question on
 * the right where a room can see them while it talks.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include "cb-guidance-slide.h"
#include "cb-guidance-source.h"
#include "cb-guidance-util.h"

struct _CbGuidanceSlide
{
  AdwBin             parent_instance;

  CbGuidanceCard    *card;

  GtkScrolledWindow *scroller;
  GtkLabel          *section_label;
  GtkLabel          *title_label;
  GtkLabel          *summary_label;
  GtkBox            *points_box;
  GtkWidget         *prompts_heading;
  GtkBox            *prompts_box;
  GtkWidget         *figure_box;
  GtkLabel          *figure_value_label;
  GtkLabel          *figure_caption_label;
  GtkLabel          *discussion_label;
  GtkLabel          *source_label;
};

G_DEFINE_FINAL_TYPE (CbGuidanceSlide, cb_guidance_slide, ADW_TYPE_BIN)

void
cb_guidance_slide_set_card (CbGuidanceSlide *self,
                            CbGuidanceCard  *card)
{
  const char * const *prompts;
  g_autofree char *source = NULL;

  g_return_if_fail (CB_IS_GUIDANCE_SLIDE (self));
  g_return_if_fail (CB_IS_GUIDANCE_CARD (card));

  g_set_object (&self->card, card);
  prompts = cb_guidance_card_get_prompts (card);
  source = cb_guidance_describe_source (card);

  gtk_label_set_text (self->section_label, cb_guidance_card_get_section_title (card));
  gtk_label_set_text (self->title_label, cb_guidance_card_get_title (card));
  gtk_label_set_text (self->summary_label, cb_guidance_card_get_summary (card));

  cb_guidance_fill_list (self->points_box, cb_guidance_card_get_points (card), "•", "slide-text");
  gtk_widget_set_visible (self->prompts_heading, prompts[0] != NULL);
  cb_guidance_fill_list (self->prompts_box, prompts, "›", "slide-text");

  gtk_widget_set_visible (self->figure_box, cb_guidance_card_get_figure_value (card) != NULL);
  cb_guidance_set_text (self->figure_value_label, cb_guidance_card_get_figure_value (card));
  cb_guidance_set_text (self->figure_caption_label, cb_guidance_card_get_figure_caption (card));

  gtk_label_set_text (self->discussion_label, cb_guidance_card_get_discussion (card));
  gtk_label_set_text (self->source_label, source);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

CbGuidanceCard *
cb_guidance_slide_get_card (CbGuidanceSlide *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_SLIDE (self), NULL);

  return self->card;
}

GtkWidget *
cb_guidance_slide_new (void)
{
  return g_object_new (CB_TYPE_GUIDANCE_SLIDE, NULL);
}

static void
cb_guidance_slide_dispose (GObject *object)
{
  CbGuidanceSlide *self = CB_GUIDANCE_SLIDE (object);

  /* The scroller is both the bin's child and a template child: the bin
   * lets go of it first, or the template would unparent it behind the
   * bin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_GUIDANCE_SLIDE);
  g_clear_object (&self->card);

  G_OBJECT_CLASS (cb_guidance_slide_parent_class)->dispose (object);
}

static void
cb_guidance_slide_class_init (CbGuidanceSlideClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_guidance_slide_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-guidance-slide.ui");
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, scroller);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, section_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, points_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, prompts_heading);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, prompts_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, figure_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, figure_value_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, figure_caption_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, discussion_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidanceSlide, source_label);
}

static void
cb_guidance_slide_init (CbGuidanceSlide *self)
{
  cb_guidance_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
