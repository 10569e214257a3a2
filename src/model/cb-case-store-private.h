/* cb-case-store-private.h — for the model's own modules only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "cb-case-store.h"
#include "cb-practice-gaps.h"

G_BEGIN_DECLS

/* The page size of a database the store creates. */
#define CB_CASE_STORE_PAGE_SIZE 16384

/* Records a single _cb_case_store_insert_group() statement inserts: more
 * gained little once SQLite's per-statement work was spread thin. */
#define CB_CASE_STORE_INSERT_GROUP 32

/* Every dictionary column, in field-table order, preceded by "id". */
const char *_cb_case_store_select_columns (void);
CbCase     *_cb_case_store_read_row       (sqlite3_stmt  *stmt);
sqlite3    *_cb_case_store_get_db         (CbCaseStore   *self);
gboolean    _cb_case_store_begin          (CbCaseStore   *self,
                                           GError       **error);
gboolean    _cb_case_store_commit         (CbCaseStore   *self,
                                           GError       **error);
void        _cb_case_store_rollback       (CbCaseStore   *self);
gboolean    _cb_case_store_write          (CbCaseStore   *self,
                                           CbCase        *record,
                                           GError       **error);
gboolean    _cb_case_store_write_with_gaps (CbCaseStore *self,
                                            CbCase      *record,
                                            CbGapFlags   gaps,
                                            GError     **error);
gboolean    _cb_case_store_insert_group   (CbCaseStore       *self,
                                           CbCase           **records,
                                           const CbGapFlags  *gaps,
                                           GError           **error);
gint64      _cb_case_store_find_id        (CbCaseStore   *self,
                                           const char    *case_ref);
gboolean    _cb_sql_set_error             (sqlite3       *db,
                                           int            rc,
                                           GError       **error);
sqlite3_stmt *_cb_sql_prepare             (sqlite3       *db,
                                           const char    *sql,
                                           GError       **error);
gboolean    _cb_sql_query_int             (sqlite3       *db,
                                           const char    *sql,
                                           gint64        *value,
                                           GError       **error);
gboolean    _cb_sql_exec                  (sqlite3       *db,
                                           const char    *sql,
                                           GError       **error);

G_END_DECLS
