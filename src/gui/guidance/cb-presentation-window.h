/* cb-presentation-window.h — guidance cards full screen, for training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-guidance-card.h"

G_BEGIN_DECLS

#define CB_TYPE_PRESENTATION_WINDOW (cb_presentation_window_get_type ())

G_DECLARE_FINAL_TYPE (CbPresentationWindow, cb_presentation_window, CB, PRESENTATION_WINDOW, AdwWindow)

CbPresentationWindow *cb_presentation_window_new          (GListModel           *deck,
                                                           const char           *deck_title,
                                                           guint                 position);
guint                 cb_presentation_window_get_position (CbPresentationWindow *self);
guint                 cb_presentation_window_get_n_cards  (CbPresentationWindow *self);
CbGuidanceCard       *cb_presentation_window_get_card     (CbPresentationWindow *self);
void                  cb_presentation_window_go_to        (CbPresentationWindow *self,
                                                           guint                 position);

G_END_DECLS
