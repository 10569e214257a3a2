/* cb-case-columns.h — the columns of the case list, sorted in SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-case-query.h"

G_BEGIN_DECLS

void                 cb_case_columns_add       (GtkColumnView  *view);
GtkColumnViewColumn *cb_case_columns_find      (GtkColumnView  *view,
                                                CbFieldId       sort_key);
gboolean             cb_case_columns_read_sort (GtkColumnView  *view,
                                                CbFieldId      *sort_key,
                                                gboolean       *descending);

G_END_DECLS
