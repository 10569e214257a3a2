/* cb-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-case-store.h"

G_BEGIN_DECLS

#define CB_TYPE_APPLICATION (cb_application_get_type ())

G_DECLARE_FINAL_TYPE (CbApplication, cb_application, CB, APPLICATION, AdwApplication)

CbApplication *cb_application_new          (void);
CbCaseStore   *cb_application_get_store    (CbApplication *self);
gboolean       cb_application_get_training (CbApplication *self);
GSettings     *cb_application_get_settings (CbApplication *self);
gboolean       cb_application_reload_store (CbApplication *self,
                                            GError       **error);

/* How many demo cases training mode starts with. */
#define CB_TRAINING_CASES 5000

G_END_DECLS
