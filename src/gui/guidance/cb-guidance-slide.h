/* cb-guidance-slide.h — one guidance card in large type, for presenting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-guidance-card.h"

G_BEGIN_DECLS

#define CB_TYPE_GUIDANCE_SLIDE (cb_guidance_slide_get_type ())

G_DECLARE_FINAL_TYPE (CbGuidanceSlide, cb_guidance_slide, CB, GUIDANCE_SLIDE, AdwBin)

GtkWidget      *cb_guidance_slide_new      (void);
void            cb_guidance_slide_set_card (CbGuidanceSlide *self,
                                            CbGuidanceCard  *card);
CbGuidanceCard *cb_guidance_slide_get_card (CbGuidanceSlide *self);

G_END_DECLS
