/* cb-guidance-card-view.h — everything on one guidance card, to read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-guidance-card.h"

G_BEGIN_DECLS

#define CB_TYPE_GUIDANCE_CARD_VIEW (cb_guidance_card_view_get_type ())

G_DECLARE_FINAL_TYPE (CbGuidanceCardView, cb_guidance_card_view, CB, GUIDANCE_CARD_VIEW, AdwBin)

GtkWidget      *cb_guidance_card_view_new      (void);
void            cb_guidance_card_view_set_card (CbGuidanceCardView *self,
                                                CbGuidanceCard     *card);
CbGuidanceCard *cb_guidance_card_view_get_card (CbGuidanceCardView *self);

G_END_DECLS
