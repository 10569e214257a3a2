/* cb-case-editor.h — the dialog that enters a new case or edits one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-case-store.h"
#include "cb-practice-gaps.h"

G_BEGIN_DECLS

#define CB_TYPE_CASE_EDITOR (cb_case_editor_get_type ())

G_DECLARE_FINAL_TYPE (CbCaseEditor, cb_case_editor, CB, CASE_EDITOR, AdwWindow)

CbCaseEditor *cb_case_editor_new         (GtkWindow    *parent,
                                          CbCaseStore  *store,
                                          CbCase       *record);
gint64        cb_case_editor_get_case_id (CbCaseEditor *self);
gboolean      cb_case_editor_can_save    (CbCaseEditor *self);
gboolean      cb_case_editor_has_changes (CbCaseEditor *self);
GtkWidget    *cb_case_editor_get_input   (CbCaseEditor *self,
                                          CbFieldId     field);
const char   *cb_case_editor_get_problem (CbCaseEditor *self,
                                          CbFieldId     field);
CbGapFlags    cb_case_editor_get_gaps    (CbCaseEditor *self);

G_END_DECLS
