/* cb-case-store.h — the SQLite file that holds the cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-case.h"

G_BEGIN_DECLS

#define CB_TYPE_CASE_STORE (cb_case_store_get_type ())

G_DECLARE_FINAL_TYPE (CbCaseStore, cb_case_store, CB, CASE_STORE, GObject)

/* The schema this build writes; each step up is a migration. */
#define CB_SCHEMA_VERSION 2

char        *cb_case_store_get_default_path  (void);
char        *cb_case_store_get_training_path (void);
CbCaseStore *cb_case_store_open              (const char   *path,
                                              GError      **error);
const char  *cb_case_store_get_path          (CbCaseStore  *self);
gboolean     cb_case_store_is_read_only      (CbCaseStore  *self);
gint64       cb_case_store_count             (CbCaseStore  *self);
gboolean     cb_case_store_save              (CbCaseStore  *self,
                                              CbCase       *record,
                                              GError      **error);
gboolean     cb_case_store_save_all          (CbCaseStore  *self,
                                              GPtrArray    *records,
                                              GError      **error);
gboolean     cb_case_store_delete            (CbCaseStore  *self,
                                              gint64        id,
                                              GError      **error);
CbCase      *cb_case_store_get_by_id         (CbCaseStore  *self,
                                              gint64        id,
                                              GError      **error);
CbCase      *cb_case_store_get_by_ref        (CbCaseStore  *self,
                                              const char   *case_ref,
                                              GError      **error);
GStrv        cb_case_store_list_areas        (CbCaseStore  *self);
void         cb_case_store_emit_changed      (CbCaseStore  *self);

G_END_DECLS
