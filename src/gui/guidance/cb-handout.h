/* cb-handout.h — guidance cards as a printable PDF handout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A4 portrait, in PostScript points. */
#define CB_HANDOUT_PAGE_WIDTH  595.0
#define CB_HANDOUT_PAGE_HEIGHT 842.0

gboolean cb_handout_write (GListModel  *cards,
                           guint        cards_per_page,
                           const char  *path,
                           GError     **error);

G_END_DECLS
