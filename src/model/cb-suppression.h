/* cb-suppression.h — disclosure control for exported counts (NDTMS style)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The threshold of the NDTMS convention: counts 1 to 4 are hidden. */
#define CB_SUPPRESSION_DEFAULT_THRESHOLD 5

/* What a hidden value is shown as. */
#define CB_SUPPRESSION_MARK "*"

#define CB_TYPE_SUPPRESSION_TABLE (cb_suppression_table_get_type ())

/* A table of counts with its row totals, column totals and grand total, all
 * computed from the body cells. Ref-counted; not thread-safe to share while
 * one thread writes it. */
typedef struct _CbSuppressionTable CbSuppressionTable;

GType               cb_suppression_table_get_type                (void) G_GNUC_CONST;

CbSuppressionTable *cb_suppression_table_new                     (guint               n_rows,
                                                                  guint               n_cols);
CbSuppressionTable *cb_suppression_table_ref                     (CbSuppressionTable *t);
void                cb_suppression_table_unref                   (CbSuppressionTable *t);

guint               cb_suppression_table_get_n_rows              (CbSuppressionTable *t);
guint               cb_suppression_table_get_n_cols              (CbSuppressionTable *t);

void                cb_suppression_table_set                     (CbSuppressionTable *t,
                                                                  guint               row,
                                                                  guint               col,
                                                                  gint64              count);
gint64              cb_suppression_table_get                     (CbSuppressionTable *t,
                                                                  guint               row,
                                                                  guint               col);
gint64              cb_suppression_table_get_row_total           (CbSuppressionTable *t,
                                                                  guint               row);
gint64              cb_suppression_table_get_col_total           (CbSuppressionTable *t,
                                                                  guint               col);
gint64              cb_suppression_table_get_grand_total         (CbSuppressionTable *t);

void                cb_suppression_table_apply                   (CbSuppressionTable *t,
                                                                  guint               threshold);

gboolean            cb_suppression_table_is_suppressed           (CbSuppressionTable *t,
                                                                  guint               row,
                                                                  guint               col);
gboolean            cb_suppression_table_is_row_total_suppressed (CbSuppressionTable *t,
                                                                  guint               row);
gboolean            cb_suppression_table_is_col_total_suppressed (CbSuppressionTable *t,
                                                                  guint               col);
gboolean            cb_suppression_table_is_grand_total_suppressed (CbSuppressionTable *t);

gboolean            cb_suppression_count_is_hidden               (gint64              count,
                                                                  guint               threshold);
gboolean            cb_suppression_percentage_is_hidden          (gint64              numerator,
                                                                  gint64              denominator,
                                                                  guint               threshold);
char               *cb_suppression_format_count                  (gint64              count,
                                                                  gboolean            hidden);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSuppressionTable, cb_suppression_table_unref)

G_END_DECLS
