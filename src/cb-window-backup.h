/* cb-window-backup.h — the window's "Back Up Database…" and "Restore Database…"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-window.h"

G_BEGIN_DECLS

/* For CbWindow itself. */
void     _cb_window_class_backup_init (GtkWidgetClass *widget_class);
void     _cb_window_backup_attach     (CbWindow       *self,
                                       CbApplication  *application);

/* What the file choosers lead to; tests call them directly. */
void     cb_window_backup_to_file     (CbWindow       *self,
                                       GFile          *file);
void     cb_window_restore_from_file  (CbWindow       *self,
                                       GFile          *file);
gboolean cb_window_backup_is_busy     (CbWindow       *self);

G_END_DECLS
