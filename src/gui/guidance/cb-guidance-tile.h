/* cb-guidance-tile.h — one card in the Guidance page's grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-guidance-card.h"

G_BEGIN_DECLS

#define CB_TYPE_GUIDANCE_TILE (cb_guidance_tile_get_type ())

G_DECLARE_FINAL_TYPE (CbGuidanceTile, cb_guidance_tile, CB, GUIDANCE_TILE, GtkFlowBoxChild)

GtkWidget      *cb_guidance_tile_new      (CbGuidanceCard *card,
                                           gboolean        show_section);
CbGuidanceCard *cb_guidance_tile_get_card (CbGuidanceTile *self);

G_END_DECLS
