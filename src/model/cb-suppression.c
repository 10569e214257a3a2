/* cb-suppression.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Disclosure control for exported reports, following the NDTMS convention of
 * DATA-DICTIONARY.md: a count from 1 to threshold-1 is shown as "*" (primary
 * suppression; 0 is shown) and further cells are hidden so that no hidden
 * count can be worked out from what is shown (secondary suppression).
 *
 * The table is held as an extended grid of (rows + 1) × (cols + 1) values:
 * the last column holds the row totals, the last row the column totals, and
 * the corner the grand total. Totals are counts like any other, so they are
 * suppressed by the same rules. Every grid row and grid column is a "line"
 * whose last value is the sum of the others.
 *
 * What a reader can work out: give the totals a minus sign (and the corner a
 * plus sign) and every line sums to zero. The hidden values are then the
 * edges of a bipartite graph between grid rows and grid columns, and what is
 * shown fixes them only up to adding a value around a cycle of that graph. So
 * a hidden value can be recovered exactly, by any sum or difference of the
 * shown values, if and only if its edge lies on no cycle (it is a "bridge").
 * A line with a single hidden value is the simplest such case.
 *
 * What apply() guarantees: every count 1..threshold-1 is hidden, and every
 * hidden value lies on a cycle of hidden values, so none of them can be
 * computed from the shown values and totals; in particular no line has
 * exactly one hidden value. It is built in two steps, repeated until nothing
 * changes:
 *
 *  1. the NDTMS rule: where a line has exactly one hidden value, hide the
 *     next smallest shown value in that line (lines are visited row by row,
 *     the total row last, then column by column, the total column last);
 *  2. where the hidden values still include a bridge (two groups of hidden
 *     cells joined by a single cell), hide the smallest shown cell that closes
 *     a cycle through it.
 *
 * Which value is "next smallest": the smallest shown non-zero value, the
 * first in reading order on ties; a zero only when the line has nothing else.
 * Every shown non-zero value is at least the threshold, so hiding one beside
 * a small count makes the hidden pair add up to more than the threshold and
 * the reader cannot tell which of the two is small, or how small. Hiding a 0
 * instead would leave the pair adding up to the small count itself, so the
 * reader learns that both are small and what they add up to (a pair adding
 * up to 1 says one person is in one of two cells). It still hides more than
 * one unknown in the line, so it is the fall-back and not the rule.
 *
 * This protects against exact recovery by arithmetic on the table. It does
 * not search for the fewest cells to hide, and it does not rule out a reader
 * narrowing a hidden value to a range by knowing counts cannot be negative.
 */
#define G_LOG_DOMAIN "casebook-suppression"

#include <string.h>

#include "cb-suppression.h"

#define NO_ENTRY G_MAXSIZE

struct _CbSuppressionTable
{
  grefcount  ref_count;
  guint      n_rows;   /* body rows; grid row n_rows holds the column totals */
  guint      n_cols;   /* body columns; grid column n_cols holds the row totals */
  gint64    *values;   /* (n_rows + 1) × (n_cols + 1), row-major */
  guint8    *hidden;   /* same shape as values */
};

/* A grid row (is_row) or grid column, totals included. */
typedef struct
{
  gboolean is_row;
  guint    index;
} Line;

G_DEFINE_BOXED_TYPE (CbSuppressionTable, cb_suppression_table,
                     cb_suppression_table_ref, cb_suppression_table_unref)

static inline gsize
grid_size (CbSuppressionTable *t)
{
  return (gsize) (t->n_rows + 1) * (t->n_cols + 1);
}

static inline gsize
entry (CbSuppressionTable *t,
       guint               row,
       guint               col)
{
  return (gsize) row * (t->n_cols + 1) + col;
}

CbSuppressionTable *
cb_suppression_table_new (guint n_rows,
                          guint n_cols)
{
  CbSuppressionTable *t;

  g_return_val_if_fail (n_rows > 0 && n_rows < G_MAXUINT, NULL);
  g_return_val_if_fail (n_cols > 0 && n_cols < G_MAXUINT, NULL);

  t = g_new0 (CbSuppressionTable, 1);
  g_ref_count_init (&t->ref_count);
  t->n_rows = n_rows;
  t->n_cols = n_cols;
  t->values = g_new0 (gint64, grid_size (t));
  t->hidden = g_new0 (guint8, grid_size (t));

  return t;
}

CbSuppressionTable *
cb_suppression_table_ref (CbSuppressionTable *t)
{
  g_return_val_if_fail (t != NULL, NULL);

  g_ref_count_inc (&t->ref_count);

  return t;
}

void
cb_suppression_table_unref (CbSuppressionTable *t)
{
  g_return_if_fail (t != NULL);

  if (!g_ref_count_dec (&t->ref_count))
    return;

  g_free (t->values);
  g_free (t->hidden);
  g_free (t);
}

guint
cb_suppression_table_get_n_rows (CbSuppressionTable *t)
{
  g_return_val_if_fail (t != NULL, 0);

  return t->n_rows;
}

guint
cb_suppression_table_get_n_cols (CbSuppressionTable *t)
{
  g_return_val_if_fail (t != NULL, 0);

  return t->n_cols;
}

/* Changing a count makes an earlier apply() meaningless, so it is forgotten:
 * the caller applies again once the table is filled. */
void
cb_suppression_table_set (CbSuppressionTable *t,
                          guint               row,
                          guint               col,
                          gint64              count)
{
  gint64 delta;

  g_return_if_fail (t != NULL);
  g_return_if_fail (row < t->n_rows);
  g_return_if_fail (col < t->n_cols);
  g_return_if_fail (count >= 0);

  delta = count - t->values[entry (t, row, col)];
  t->values[entry (t, row, col)] = count;
  t->values[entry (t, row, t->n_cols)] += delta;
  t->values[entry (t, t->n_rows, col)] += delta;
  t->values[entry (t, t->n_rows, t->n_cols)] += delta;

  memset (t->hidden, 0, grid_size (t));
}

gint64
cb_suppression_table_get (CbSuppressionTable *t,
                          guint               row,
                          guint               col)
{
  g_return_val_if_fail (t != NULL, 0);
  g_return_val_if_fail (row < t->n_rows, 0);
  g_return_val_if_fail (col < t->n_cols, 0);

  return t->values[entry (t, row, col)];
}

gint64
cb_suppression_table_get_row_total (CbSuppressionTable *t,
                                    guint               row)
{
  g_return_val_if_fail (t != NULL, 0);
  g_return_val_if_fail (row < t->n_rows, 0);

  return t->values[entry (t, row, t->n_cols)];
}

gint64
cb_suppression_table_get_col_total (CbSuppressionTable *t,
                                    guint               col)
{
  g_return_val_if_fail (t != NULL, 0);
  g_return_val_if_fail (col < t->n_cols, 0);

  return t->values[entry (t, t->n_rows, col)];
}

gint64
cb_suppression_table_get_grand_total (CbSuppressionTable *t)
{
  g_return_val_if_fail (t != NULL, 0);

  return t->values[entry (t, t->n_rows, t->n_cols)];
}

static guint
line_length (CbSuppressionTable *t,
             Line                line)
{
  return line.is_row ? t->n_cols + 1 : t->n_rows + 1;
}

static gsize
line_entry (CbSuppressionTable *t,
            Line                line,
            guint               k)
{
  return line.is_row ? entry (t, line.index, k) : entry (t, k, line.index);
}

static guint
line_count_hidden (CbSuppressionTable *t,
                   Line                line)
{
  guint n = 0;

  for (guint k = 0; k < line_length (t, line); k++)
    n += t->hidden[line_entry (t, line, k)];

  return n;
}

/* The order of preference for secondary suppression (see the top of the
 * file): non-zero before zero, then smaller before larger. On a tie the
 * entry found first stays. */
static gboolean
is_better_candidate (CbSuppressionTable *t,
                     gsize               candidate,
                     gsize               best)
{
  gint64 a, b;

  if (best == NO_ENTRY)
    return TRUE;

  a = t->values[candidate];
  b = t->values[best];

  if ((a == 0) != (b == 0))
    return b == 0;

  return a < b;
}

static void
hide_next_smallest_in_line (CbSuppressionTable *t,
                            Line                line)
{
  gsize best = NO_ENTRY;

  for (guint k = 0; k < line_length (t, line); k++)
    {
      gsize e = line_entry (t, line, k);

      if (!t->hidden[e] && is_better_candidate (t, e, best))
        best = e;
    }

  /* Every line has at least two entries (a cell and its total), and only
   * lines with one hidden entry come here. */
  g_assert (best != NO_ENTRY);
  t->hidden[best] = TRUE;
}

/* Step 1: the NDTMS rule, one sweep over all lines. */
static gboolean
protect_lone_entries (CbSuppressionTable *t)
{
  gboolean changed = FALSE;

  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean is_row = (pass == 0);
      guint n_lines = is_row ? t->n_rows + 1 : t->n_cols + 1;

      for (guint i = 0; i < n_lines; i++)
        {
          Line line = { is_row, i };

          if (line_count_hidden (t, line) == 1)
            {
              hide_next_smallest_in_line (t, line);
              changed = TRUE;
            }
        }
    }

  return changed;
}

/* Graph vertices: grid rows 0..n_rows, then grid columns after them. */
static inline guint
row_vertex (guint row)
{
  return row;
}

static inline guint
col_vertex (CbSuppressionTable *t,
            guint               col)
{
  return t->n_rows + 1 + col;
}

/* Marks in @seen every vertex reachable from @start through hidden entries,
 * not using the entry @skip. */
static void
mark_reachable (CbSuppressionTable *t,
                guint               start,
                gsize               skip,
                guint8             *seen)
{
  guint n_vertices = t->n_rows + t->n_cols + 2;
  g_autofree guint *stack = g_new (guint, n_vertices);
  guint depth = 0;

  seen[start] = TRUE;
  stack[depth++] = start;

  while (depth > 0)
    {
      guint v = stack[--depth];
      gboolean is_row = v <= t->n_rows;
      Line line = { is_row, is_row ? v : v - (t->n_rows + 1) };

      for (guint k = 0; k < line_length (t, line); k++)
        {
          gsize e = line_entry (t, line, k);
          guint w = is_row ? col_vertex (t, k) : row_vertex (k);

          if (e == skip || !t->hidden[e] || seen[w])
            continue;

          seen[w] = TRUE;
          stack[depth++] = w;
        }
    }
}

/* With the bridge @bridge removed, @side_a and @side_b are the two groups it
 * joined. Any cell from a row of one to a column of the other closes a cycle
 * through the bridge; hide the best of them. */
static void
close_cycle_through (CbSuppressionTable *t,
                     const guint8       *side_a,
                     const guint8       *side_b)
{
  gsize best = NO_ENTRY;

  for (guint i = 0; i <= t->n_rows; i++)
    for (guint j = 0; j <= t->n_cols; j++)
      {
        gsize e = entry (t, i, j);
        guint r = row_vertex (i);
        guint c = col_vertex (t, j);
        gboolean crosses = (side_a[r] && side_b[c]) || (side_b[r] && side_a[c]);

        if (crosses && !t->hidden[e] && is_better_candidate (t, e, best))
          best = e;
      }

  /* After step 1 each end of the bridge has another hidden entry, so there
   * is a row on one side and a column on the other that are not yet joined
   * (if they were, the bridge would already lie on a cycle). */
  g_assert (best != NO_ENTRY);
  t->hidden[best] = TRUE;
}

/* Step 2: finds the first hidden entry, in reading order, that lies on no
 * cycle of hidden entries and closes a cycle through it. */
static gboolean
protect_one_bridge (CbSuppressionTable *t)
{
  guint n_vertices = t->n_rows + t->n_cols + 2;
  g_autofree guint8 *side_a = g_new (guint8, n_vertices);
  g_autofree guint8 *side_b = g_new (guint8, n_vertices);

  for (guint i = 0; i <= t->n_rows; i++)
    for (guint j = 0; j <= t->n_cols; j++)
      {
        gsize e = entry (t, i, j);

        if (!t->hidden[e])
          continue;

        memset (side_a, 0, n_vertices);
        mark_reachable (t, row_vertex (i), e, side_a);
        if (side_a[col_vertex (t, j)])
          continue;

        memset (side_b, 0, n_vertices);
        mark_reachable (t, col_vertex (t, j), e, side_b);
        close_cycle_through (t, side_a, side_b);
        return TRUE;
      }

  return FALSE;
}

static void
hide_small_counts (CbSuppressionTable *t,
                   guint               threshold)
{
  for (gsize e = 0; e < grid_size (t); e++)
    t->hidden[e] = cb_suppression_count_is_hidden (t->values[e], threshold);
}

/* Each step only ever hides more entries, and the grid is finite, so the
 * loop ends. Applying again starts from scratch, so a different threshold
 * gives the same result as on a fresh table. */
void
cb_suppression_table_apply (CbSuppressionTable *t,
                            guint               threshold)
{
  g_return_if_fail (t != NULL);

  hide_small_counts (t, threshold);

  do
    {
      while (protect_lone_entries (t))
        ;
    }
  while (protect_one_bridge (t));
}

gboolean
cb_suppression_table_is_suppressed (CbSuppressionTable *t,
                                    guint               row,
                                    guint               col)
{
  g_return_val_if_fail (t != NULL, FALSE);
  g_return_val_if_fail (row < t->n_rows, FALSE);
  g_return_val_if_fail (col < t->n_cols, FALSE);

  return t->hidden[entry (t, row, col)];
}

gboolean
cb_suppression_table_is_row_total_suppressed (CbSuppressionTable *t,
                                              guint               row)
{
  g_return_val_if_fail (t != NULL, FALSE);
  g_return_val_if_fail (row < t->n_rows, FALSE);

  return t->hidden[entry (t, row, t->n_cols)];
}

gboolean
cb_suppression_table_is_col_total_suppressed (CbSuppressionTable *t,
                                              guint               col)
{
  g_return_val_if_fail (t != NULL, FALSE);
  g_return_val_if_fail (col < t->n_cols, FALSE);

  return t->hidden[entry (t, t->n_rows, col)];
}

gboolean
cb_suppression_table_is_grand_total_suppressed (CbSuppressionTable *t)
{
  g_return_val_if_fail (t != NULL, FALSE);

  return t->hidden[entry (t, t->n_rows, t->n_cols)];
}

/* Primary suppression. A threshold of 0 or 1 hides nothing. */
gboolean
cb_suppression_count_is_hidden (gint64 count,
                                guint  threshold)
{
  g_return_val_if_fail (count >= 0, FALSE);

  return count >= 1 && count < (gint64) threshold;
}

/* For a percentage shown on its own. A percentage of a table cell follows
 * that cell's cb_suppression_table_is_suppressed() as well, since a cell can
 * be hidden secondarily. A zero denominator gives no percentage to show, so
 * there is nothing to hide. */
gboolean
cb_suppression_percentage_is_hidden (gint64 numerator,
                                     gint64 denominator,
                                     guint  threshold)
{
  g_return_val_if_fail (numerator >= 0, FALSE);
  g_return_val_if_fail (denominator >= 0, FALSE);

  return cb_suppression_count_is_hidden (numerator, threshold) ||
         cb_suppression_count_is_hidden (denominator, threshold);
}

/* Plain digits, no grouping, so the text is the same in every locale. */
char *
cb_suppression_format_count (gint64   count,
                             gboolean hidden)
{
  if (hidden)
    return g_strdup (CB_SUPPRESSION_MARK);

  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}
