/* cb-progress.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called now and then during long work with the share done, 0 to 1; may be
 * called from a worker thread. */
typedef void (*CbProgressFunc) (double   fraction,
                                gpointer user_data);

G_END_DECLS
