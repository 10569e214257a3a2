/* cb-choice-popover.h — a popover of check buttons for a multi-choice filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CB_TYPE_CHOICE_POPOVER (cb_choice_popover_get_type ())

G_DECLARE_FINAL_TYPE (CbChoicePopover, cb_choice_popover, CB, CHOICE_POPOVER, GtkPopover)

CbChoicePopover *cb_choice_popover_new            (void);
void             cb_choice_popover_set_heading    (CbChoicePopover    *self,
                                                   const char         *heading);
void             cb_choice_popover_set_choices    (CbChoicePopover    *self,
                                                   const char * const *ids,
                                                   const char * const *labels,
                                                   const char * const *tooltips);
GStrv            cb_choice_popover_get_selected   (CbChoicePopover    *self);
guint            cb_choice_popover_get_n_selected (CbChoicePopover    *self);
void             cb_choice_popover_set_selected   (CbChoicePopover    *self,
                                                   const char * const *ids);
GtkCheckButton  *cb_choice_popover_get_check      (CbChoicePopover    *self,
                                                   const char         *id);

G_END_DECLS
