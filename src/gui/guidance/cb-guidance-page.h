/* cb-guidance-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-case-store.h"
#include "cb-guidance-card.h"

G_BEGIN_DECLS

#define CB_TYPE_GUIDANCE_PAGE (cb_guidance_page_get_type ())

G_DECLARE_FINAL_TYPE (CbGuidancePage, cb_guidance_page, CB, GUIDANCE_PAGE, AdwBin)

void            cb_guidance_page_focus_search    (CbGuidancePage *self);
void            cb_guidance_page_show_card       (CbGuidancePage *self,
                                                  const char     *card_id);
void            cb_guidance_page_set_section     (CbGuidancePage *self,
                                                  const char     *section_id);
GListModel     *cb_guidance_page_get_deck        (CbGuidancePage *self);
CbGuidanceCard *cb_guidance_page_get_shown_card  (CbGuidancePage *self);
void            cb_guidance_page_export_handout  (CbGuidancePage *self,
                                                  GFile          *file,
                                                  guint           cards_per_page);

G_END_DECLS
