/* cb-backup.h — consistent copies of a case database, and putting one back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-case-store.h"
#include "cb-progress.h"

G_BEGIN_DECLS

gboolean  cb_backup_save         (CbCaseStore     *store,
                                  const char      *dest_path,
                                  CbProgressFunc   progress,
                                  gpointer         progress_data,
                                  GCancellable    *cancellable,
                                  GError         **error);
gboolean  cb_backup_check        (const char      *backup_path,
                                  GError         **error);
char     *cb_backup_kept_path    (const char      *db_path,
                                  GDateTime       *when);
char     *cb_backup_restore      (CbCaseStore     *store,
                                  const char      *backup_path,
                                  const char      *kept_path,
                                  GCancellable    *cancellable,
                                  GError         **error);

G_END_DECLS
