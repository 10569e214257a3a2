/* cb-period-selector.h — the period a report covers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* In the order of the drop-down. */
typedef enum
{
  CB_PERIOD_TODAY,
  CB_PERIOD_LAST_3_MONTHS,
  CB_PERIOD_LAST_12_MONTHS,
  CB_PERIOD_THIS_FINANCIAL_YEAR,
  CB_PERIOD_LAST_FINANCIAL_YEAR,
  CB_PERIOD_CUSTOM,
  CB_N_PERIODS
} CbPeriodPreset;

gboolean cb_period_preset_resolve (CbPeriodPreset   preset,
                                   const char      *today,
                                   char           **from,
                                   char           **to);

#define CB_TYPE_PERIOD_SELECTOR (cb_period_selector_get_type ())

G_DECLARE_FINAL_TYPE (CbPeriodSelector, cb_period_selector, CB, PERIOD_SELECTOR, GtkWidget)

CbPeriodPreset cb_period_selector_get_preset (CbPeriodSelector *self);
void           cb_period_selector_set_preset (CbPeriodSelector *self,
                                              CbPeriodPreset    preset);
void           cb_period_selector_set_custom (CbPeriodSelector *self,
                                              const char       *from,
                                              const char       *to);
const char    *cb_period_selector_get_from   (CbPeriodSelector *self);
const char    *cb_period_selector_get_to     (CbPeriodSelector *self);
gboolean       cb_period_selector_is_valid   (CbPeriodSelector *self);
char          *cb_period_selector_describe   (CbPeriodSelector *self);

G_END_DECLS
