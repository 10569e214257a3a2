/* cb-indicator-tile.h — one indicator on the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-indicators.h"

G_BEGIN_DECLS

#define CB_TYPE_INDICATOR_TILE (cb_indicator_tile_get_type ())

G_DECLARE_FINAL_TYPE (CbIndicatorTile, cb_indicator_tile, CB, INDICATOR_TILE, GtkWidget)

GtkWidget       *cb_indicator_tile_new           (CbIndicatorKind    kind);
CbIndicatorKind  cb_indicator_tile_get_kind      (CbIndicatorTile   *self);
void             cb_indicator_tile_set_indicator (CbIndicatorTile   *self,
                                                  const CbIndicator *indicator);
CbComparison     cb_indicator_tile_get_comparison (CbIndicatorTile  *self);

G_END_DECLS
