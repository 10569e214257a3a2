/* cb-guidance-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-guidance-page.h"

struct _CbGuidancePage
{
  AdwBin          parent_instance;

  GtkSearchEntry *search_entry;
};

G_DEFINE_FINAL_TYPE (CbGuidancePage, cb_guidance_page, ADW_TYPE_BIN)

void
cb_guidance_page_focus_search (CbGuidancePage *self)
{
  g_return_if_fail (CB_IS_GUIDANCE_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
cb_guidance_page_show_card (CbGuidancePage *self,
                            const char     *card_id)
{
  g_return_if_fail (CB_IS_GUIDANCE_PAGE (self));
  g_return_if_fail (card_id != NULL);
}

static void
cb_guidance_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_GUIDANCE_PAGE);

  G_OBJECT_CLASS (cb_guidance_page_parent_class)->dispose (object);
}

static void
cb_guidance_page_class_init (CbGuidancePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_guidance_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-guidance-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, search_entry);
}

static void
cb_guidance_page_init (CbGuidancePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
