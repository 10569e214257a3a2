/* cb-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-application.h"

G_BEGIN_DECLS

#define CB_TYPE_WINDOW (cb_window_get_type ())

G_DECLARE_FINAL_TYPE (CbWindow, cb_window, CB, WINDOW, AdwApplicationWindow)

CbWindow   *cb_window_new            (CbApplication *application);
void        cb_window_open_file      (CbWindow      *self,
                                      GFile         *file);
void        cb_window_show_page      (CbWindow      *self,
                                      const char    *name);
const char *cb_window_get_page       (CbWindow      *self);
void        cb_window_add_toast      (CbWindow      *self,
                                      AdwToast      *toast);
gboolean    cb_window_is_empty_state (CbWindow      *self);

G_END_DECLS
