/* cb-area-selector.h — which areas a report counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CB_TYPE_AREA_SELECTOR (cb_area_selector_get_type ())

G_DECLARE_FINAL_TYPE (CbAreaSelector, cb_area_selector, CB, AREA_SELECTOR, GtkWidget)

void   cb_area_selector_set_available (CbAreaSelector     *self,
                                       const char * const *areas);
GStrv  cb_area_selector_get_selected  (CbAreaSelector     *self);
void   cb_area_selector_set_selected  (CbAreaSelector     *self,
                                       const char * const *areas);
char  *cb_area_selector_describe      (CbAreaSelector     *self);

G_END_DECLS
