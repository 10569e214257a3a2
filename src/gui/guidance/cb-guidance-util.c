/* cb-guidance-util.c — helpers shared by the guidance widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include "cb-guidance-util.h"

/* The guidance styles are loaded once for the display, the first time a
 * guidance widget is made. */
void
cb_guidance_load_css (void)
{
  static GtkCssProvider *provider;
  GdkDisplay *display = gdk_display_get_default ();

  if (provider != NULL || display == NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/ui/cb-guidance.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static GtkWidget *
marker_label (const char *marker)
{
  GtkWidget *mark = gtk_label_new (marker);

  gtk_widget_add_css_class (mark, "guidance-marker");
  gtk_widget_set_valign (mark, GTK_ALIGN_START);
  /* The marker is decoration; the text says it all. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  return mark;
}

static GtkWidget *
item_label (const char *text,
            const char *text_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  if (text_class != NULL)
    gtk_widget_add_css_class (label, text_class);

  return label;
}

/* Replaces the children of @box with the items, each with a hanging
 * @marker. One grid holds the whole list: a row of boxes, one per item,
 * would make GTK measure every wrapped line many times over (slow enough
 * to notice when a presenter moves on). */
void
cb_guidance_fill_list (GtkBox             *box,
                       const char * const *items,
                       const char         *marker,
                       const char         *text_class)
{
  GtkWidget *child;
  GtkWidget *grid;

  g_return_if_fail (GTK_IS_BOX (box));
  g_return_if_fail (items != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);

  grid = gtk_grid_new ();
  gtk_widget_add_css_class (grid, "guidance-list");
  for (guint i = 0; items[i] != NULL; i++)
    {
      gtk_grid_attach (GTK_GRID (grid), marker_label (marker), 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), item_label (items[i], text_class), 1, (int) i, 1, 1);
    }
  gtk_box_append (box, grid);
}

/* Sets @text, hiding the label when there is none. */
void
cb_guidance_set_text (GtkLabel   *label,
                      const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}
