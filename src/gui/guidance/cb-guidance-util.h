/* cb-guidance-util.h — helpers shared by the guidance widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void cb_guidance_load_css  (void);
void cb_guidance_fill_list (GtkBox             *box,
                            const char * const *items,
                            const char         *marker,
                            const char         *text_class);
void cb_guidance_set_text  (GtkLabel           *label,
                            const char         *text);

G_END_DECLS
