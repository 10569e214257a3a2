/* cb-progress-relay.h — a worker thread's progress, shown on a progress bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _CbProgressRelay CbProgressRelay;

CbProgressRelay *cb_progress_relay_new    (GtkProgressBar  *bar);
CbProgressRelay *cb_progress_relay_ref    (CbProgressRelay *self);
void             cb_progress_relay_unref  (CbProgressRelay *self);
void             cb_progress_relay_report (double           fraction,
                                           gpointer         relay);
void             cb_progress_relay_stop   (CbProgressRelay *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbProgressRelay, cb_progress_relay_unref)

G_END_DECLS
