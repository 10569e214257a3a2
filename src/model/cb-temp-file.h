/* cb-temp-file.h — a file written beside its target, then renamed over it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A temporary file is stale, and may be removed by the next writer of the
 * same target, once it has not changed for this long and no writer holds
 * it. */
#define CB_TEMP_FILE_STALE_SECONDS 60

/* For files that hold case data: the owner alone may read them. */
#define CB_TEMP_FILE_MODE_PRIVATE 0600

typedef struct _CbTempFile CbTempFile;

CbTempFile *cb_temp_file_new_beside  (const char  *target,
                                      int          mode,
                                      GError     **error);
int         cb_temp_file_get_fd      (CbTempFile  *self);
const char *cb_temp_file_get_path    (CbTempFile  *self);
gboolean    cb_temp_file_commit      (CbTempFile  *self,
                                      GError     **error);
void        cb_temp_file_free        (CbTempFile  *self);

gboolean    cb_temp_file_is_own_name (const char  *target,
                                      const char  *name);
guint       cb_temp_file_sweep_stale (const char  *target);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbTempFile, cb_temp_file_free)

G_END_DECLS
