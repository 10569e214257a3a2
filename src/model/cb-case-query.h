/* cb-case-query.h — a selection of cases, compiled to parameterised SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cb-field.h"
#include "cb-practice-gaps.h"

G_BEGIN_DECLS

#define CB_TYPE_CASE_QUERY (cb_case_query_get_type ())

G_DECLARE_FINAL_TYPE (CbCaseQuery, cb_case_query, CB, CASE_QUERY, GObject)

typedef enum
{
  CB_CASE_STATUS_ANY,
  CB_CASE_STATUS_ACTIVE,   /* active on the reference date */
  CB_CASE_STATUS_CLOSED,   /* ended before the reference date */
} CbCaseStatus;

/* Sorting keys beyond the dictionary's own columns. */
#define CB_SORT_GAP_COUNT ((CbFieldId) CB_N_FIELDS)

CbCaseQuery  *cb_case_query_new                (void);
CbCaseQuery  *cb_case_query_copy               (CbCaseQuery        *self);
void          cb_case_query_set_text           (CbCaseQuery        *self,
                                                const char         *text);
const char   *cb_case_query_get_text           (CbCaseQuery        *self);
void          cb_case_query_set_areas          (CbCaseQuery        *self,
                                                const char * const *areas);
const char * const *cb_case_query_get_areas    (CbCaseQuery        *self);
void          cb_case_query_set_sentence_types (CbCaseQuery        *self,
                                                const char * const *codes);
const char * const *cb_case_query_get_sentence_types (CbCaseQuery *self);
void          cb_case_query_set_status         (CbCaseQuery        *self,
                                                CbCaseStatus        status);
CbCaseStatus  cb_case_query_get_status         (CbCaseQuery        *self);
void          cb_case_query_set_gaps           (CbCaseQuery        *self,
                                                CbGapFlags          gaps);
CbGapFlags    cb_case_query_get_gaps           (CbCaseQuery        *self);
void          cb_case_query_set_period         (CbCaseQuery        *self,
                                                const char         *from,
                                                const char         *to);
const char   *cb_case_query_get_period_from    (CbCaseQuery        *self);
const char   *cb_case_query_get_period_to      (CbCaseQuery        *self);
void          cb_case_query_set_reference_date (CbCaseQuery        *self,
                                                const char         *date);
char         *cb_case_query_get_reference_date (CbCaseQuery        *self);
void          cb_case_query_set_sort           (CbCaseQuery        *self,
                                                CbFieldId           field,
                                                gboolean            descending);
gboolean      cb_case_query_is_filtered        (CbCaseQuery        *self);
char         *cb_case_query_build_sql          (CbCaseQuery        *self,
                                                const char         *columns,
                                                gboolean            ordered,
                                                GPtrArray         **params);

char         *cb_today_iso                     (void);

G_END_DECLS
