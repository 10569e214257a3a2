/* ui-types-preload.c — lets gtk4-builder-tool validate our templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gtk4-builder-tool only knows types that are registered in its process,
 * so templates whose parents are libadwaita or Casebook classes fail to
 * validate. Preloaded with LD_PRELOAD, this module registers them before
 * the tool's main() runs; the tool then checks every property, signal and
 * child of the real templates.
 */
#include "config.h"

#include <adwaita.h>

#include "cb-case-editor.h"
#include "cb-cases-page.h"
#include "cb-choice-popover.h"
#include "cb-import-dialog.h"
#include "cb-area-chart.h"
#include "cb-area-selector.h"
#include "cb-cascade-chart.h"
#include "cb-dashboard-page.h"
#include "cb-indicator-tile.h"
#include "cb-period-selector.h"
#include "cb-guidance-page.h"
#include "cb-guidance-card-view.h"
#include "cb-guidance-slide.h"
#include "cb-guidance-tile.h"
#include "cb-presentation-window.h"
#include "cb-reports-page.h"

void cb_ui_types_preload (void) __attribute__ ((constructor));

void
cb_ui_types_preload (void)
{
  GType types[] = {
    ADW_TYPE_APPLICATION_WINDOW, ADW_TYPE_BIN, ADW_TYPE_CLAMP,
    ADW_TYPE_HEADER_BAR, ADW_TYPE_STATUS_PAGE, ADW_TYPE_TOAST_OVERLAY,
    ADW_TYPE_VIEW_STACK, ADW_TYPE_VIEW_STACK_PAGE, ADW_TYPE_VIEW_SWITCHER_BAR,
    ADW_TYPE_VIEW_SWITCHER_TITLE, ADW_TYPE_PREFERENCES_GROUP, ADW_TYPE_PREFERENCES_PAGE,
    ADW_TYPE_ACTION_ROW, ADW_TYPE_ENTRY_ROW, ADW_TYPE_COMBO_ROW, ADW_TYPE_EXPANDER_ROW,
    ADW_TYPE_LEAFLET, ADW_TYPE_FLAP, ADW_TYPE_CAROUSEL, ADW_TYPE_SPLIT_BUTTON,
    ADW_TYPE_WINDOW, ADW_TYPE_WINDOW_TITLE, ADW_TYPE_MESSAGE_DIALOG,
    CB_TYPE_CASE_EDITOR, CB_TYPE_CHOICE_POPOVER,
    CB_TYPE_IMPORT_DIALOG,
    CB_TYPE_CASES_PAGE, CB_TYPE_DASHBOARD_PAGE, CB_TYPE_GUIDANCE_PAGE,
    CB_TYPE_GUIDANCE_TILE, CB_TYPE_GUIDANCE_CARD_VIEW, CB_TYPE_GUIDANCE_SLIDE,
    CB_TYPE_PRESENTATION_WINDOW, ADW_TYPE_LEAFLET_PAGE, ADW_TYPE_BUTTON_CONTENT, ADW_TYPE_SQUEEZER,
    CB_TYPE_REPORTS_PAGE,
    CB_TYPE_PERIOD_SELECTOR, CB_TYPE_AREA_SELECTOR, CB_TYPE_INDICATOR_TILE,
    CB_TYPE_CASCADE_CHART, CB_TYPE_AREA_CHART,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_type_ensure (types[i]);
}
