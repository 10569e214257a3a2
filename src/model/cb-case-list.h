/* cb-case-list.h — the cases a query selects, as a lazy GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-case-query.h"
#include "cb-case-store.h"

G_BEGIN_DECLS

#define CB_TYPE_CASE_LIST (cb_case_list_get_type ())

G_DECLARE_FINAL_TYPE (CbCaseList, cb_case_list, CB, CASE_LIST, GObject)

CbCaseList  *cb_case_list_new         (CbCaseStore  *store,
                                       CbCaseQuery  *query);
CbCaseStore *cb_case_list_get_store   (CbCaseList   *self);
CbCaseQuery *cb_case_list_get_query   (CbCaseList   *self);
guint        cb_case_list_get_total   (CbCaseList   *self);
gboolean     cb_case_list_refresh     (CbCaseList   *self,
                                       GError      **error);
gint64       cb_case_list_get_id      (CbCaseList   *self,
                                       guint         position);
int          cb_case_list_find        (CbCaseList   *self,
                                       gint64        id);

G_END_DECLS
