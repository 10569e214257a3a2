/* cb-case-query-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "cb-case-query.h"

G_BEGIN_DECLS

void          _cb_case_query_append_where (CbCaseQuery  *self,
                                           GString      *sql,
                                           GPtrArray    *params);
void          _cb_sql_bind_params         (sqlite3_stmt *stmt,
                                           GPtrArray    *params);
sqlite3_stmt *_cb_case_query_prepare      (CbCaseQuery  *self,
                                           sqlite3      *db,
                                           const char   *columns,
                                           gboolean      ordered,
                                           GError      **error);

G_END_DECLS
