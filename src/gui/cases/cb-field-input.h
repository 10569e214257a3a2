/* cb-field-input.h — the editor's input for one field of the field table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-field.h"

G_BEGIN_DECLS

typedef struct _CbFieldInput CbFieldInput;

typedef void (*CbFieldInputChanged) (CbFieldInput *input,
                                     gpointer      user_data);

CbFieldInput *cb_field_input_new          (CbFieldId             field,
                                           CbFieldInputChanged   changed,
                                           gpointer              user_data);
void          cb_field_input_free         (CbFieldInput         *self);
CbFieldId     cb_field_input_get_field    (CbFieldInput         *self);
GtkWidget    *cb_field_input_get_widget   (CbFieldInput         *self);
void          cb_field_input_add_to_group (CbFieldInput         *self,
                                           AdwPreferencesGroup  *group);
void          cb_field_input_load         (CbFieldInput         *self,
                                           const char           *canonical);
gboolean      cb_field_input_read         (CbFieldInput         *self,
                                           char                **canonical,
                                           GError              **error);
void          cb_field_input_show_problem (CbFieldInput         *self,
                                           const char           *message,
                                           gboolean              missing);
const char   *cb_field_input_get_problem  (CbFieldInput         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbFieldInput, cb_field_input_free)

G_END_DECLS
