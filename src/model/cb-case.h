/* cb-case.h — one person on probation, seen through the lens of drug work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cb-field.h"

G_BEGIN_DECLS

#define CB_TYPE_CASE (cb_case_get_type ())

G_DECLARE_FINAL_TYPE (CbCase, cb_case, CB, CASE, GObject)

typedef enum
{
  CB_SUBSTANCE_GROUP_NONE,
  CB_SUBSTANCE_GROUP_OPIATE,
  CB_SUBSTANCE_GROUP_NON_OPIATE_AND_ALCOHOL,
  CB_SUBSTANCE_GROUP_NON_OPIATE_ONLY,
  CB_SUBSTANCE_GROUP_ALCOHOL_ONLY,
  CB_N_SUBSTANCE_GROUPS
} CbSubstanceGroup;

/* One reason a record is not valid, for showing beside its field. */
typedef struct
{
  CbFieldId  field;
  char      *message;
} CbProblem;

void        cb_problem_free            (CbProblem *problem);

CbCase     *cb_case_new                (void);
CbCase     *cb_case_new_with_values    (gint64       id,
                                        char       **values,
                                        guint64      borrowed);
void        cb_case_replace_values     (CbCase      *self,
                                        gint64       id,
                                        char       **values,
                                        guint64      borrowed);
CbCase     *cb_case_copy               (CbCase      *self);
gboolean    cb_case_equal              (CbCase      *a,
                                        CbCase      *b);
gint64      cb_case_get_id             (CbCase      *self);
void        cb_case_set_id             (CbCase      *self,
                                        gint64       id);
const char *cb_case_get                (CbCase      *self,
                                        CbFieldId    field);
void        cb_case_set                (CbCase      *self,
                                        CbFieldId    field,
                                        const char  *canonical);
void        cb_case_take               (CbCase      *self,
                                        CbFieldId    field,
                                        char        *canonical);
gboolean    cb_case_set_from_text      (CbCase      *self,
                                        CbFieldId    field,
                                        const char  *text,
                                        GError     **error);
CbYesNo     cb_case_get_yes_no         (CbCase      *self,
                                        CbFieldId    field);
guint64     cb_case_get_mask           (CbCase      *self,
                                        CbFieldId    field);
gboolean    cb_case_has_code           (CbCase      *self,
                                        CbFieldId    field,
                                        const char  *code);
gboolean    cb_case_is_class_a         (CbCase      *self);
gboolean    cb_case_is_opiate_user     (CbCase      *self);
CbSubstanceGroup cb_case_get_substance_group (CbCase *self);
CbSubstanceGroup cb_substance_group_from_mask (guint64 mask);
GPtrArray  *cb_case_collect_problems   (CbCase      *self,
                                        gboolean     check_values);
gboolean    cb_case_validate           (CbCase      *self,
                                        GError     **error);
guint       cb_case_get_n_alive        (void);

const char *cb_substance_group_get_code  (CbSubstanceGroup group);
const char *cb_substance_group_get_label (CbSubstanceGroup group);
guint64     cb_substance_mask_class_a    (void);
guint64     cb_substance_mask_opiate     (void);
guint64     cb_substance_mask_alcohol    (void);

G_END_DECLS
