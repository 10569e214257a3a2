/* test-suppression.c — disclosure control for exported counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tables are compared through a rendering of the whole grid, totals
 * included, as a report would show it: cells of a row joined by spaces, the
 * row total after "|", rows joined by "; ", the column totals last.
 *
 * Besides the rule's mechanics, the tests check what the rule is for: that no
 * hidden value can be worked out from the shown values and the totals. They
 * do so independently of the implementation, by linear algebra: a hidden
 * value is recoverable exactly if and only if its unit vector lies in the row
 * space of the totals' equations restricted to the hidden values, that is if
 * dropping its column lowers the rank.
 */
#define G_LOG_DOMAIN "casebook-test-suppression"

#include <math.h>
#include <string.h>

#include "cb-suppression.h"

/* Helpers */

static CbSuppressionTable *
table_from_values (guint         n_rows,
                   guint         n_cols,
                   const gint64 *values)
{
  CbSuppressionTable *t = cb_suppression_table_new (n_rows, n_cols);

  for (guint i = 0; i < n_rows; i++)
    for (guint j = 0; j < n_cols; j++)
      cb_suppression_table_set (t, i, j, values[i * n_cols + j]);

  return t;
}

static void
append_value (GString *out,
              gint64   value,
              gboolean hidden)
{
  g_autofree char *text = cb_suppression_format_count (value, hidden);

  g_string_append (out, text);
}

static char *
render (CbSuppressionTable *t)
{
  guint n_rows = cb_suppression_table_get_n_rows (t);
  guint n_cols = cb_suppression_table_get_n_cols (t);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      for (guint j = 0; j < n_cols; j++)
        {
          append_value (out, cb_suppression_table_get (t, i, j),
                        cb_suppression_table_is_suppressed (t, i, j));
          g_string_append_c (out, ' ');
        }
      g_string_append (out, "| ");
      append_value (out, cb_suppression_table_get_row_total (t, i),
                    cb_suppression_table_is_row_total_suppressed (t, i));
      g_string_append (out, "; ");
    }

  for (guint j = 0; j < n_cols; j++)
    {
      append_value (out, cb_suppression_table_get_col_total (t, j),
                    cb_suppression_table_is_col_total_suppressed (t, j));
      g_string_append_c (out, ' ');
    }
  g_string_append (out, "| ");
  append_value (out, cb_suppression_table_get_grand_total (t),
                cb_suppression_table_is_grand_total_suppressed (t));

  return g_string_free (out, FALSE);
}

/* The hidden mask of the extended grid: (rows + 1) × (cols + 1), totals in
 * the last row and column. */
static guint8 *
hidden_mask (CbSuppressionTable *t)
{
  guint n_rows = cb_suppression_table_get_n_rows (t);
  guint n_cols = cb_suppression_table_get_n_cols (t);
  guint width = n_cols + 1;
  guint8 *mask = g_new0 (guint8, (n_rows + 1) * width);

  for (guint i = 0; i < n_rows; i++)
    {
      for (guint j = 0; j < n_cols; j++)
        mask[i * width + j] = cb_suppression_table_is_suppressed (t, i, j);
      mask[i * width + n_cols] = cb_suppression_table_is_row_total_suppressed (t, i);
    }
  for (guint j = 0; j < n_cols; j++)
    mask[n_rows * width + j] = cb_suppression_table_is_col_total_suppressed (t, j);
  mask[n_rows * width + n_cols] = cb_suppression_table_is_grand_total_suppressed (t);

  return mask;
}

/* Rank of an n_eq × n_var matrix (row-major), leaving out column @skip
 * (G_MAXUINT for none). Entries are small integers, so elimination in
 * doubles with a tolerance is exact enough. */
static guint
matrix_rank (const double *matrix,
             guint         n_eq,
             guint         n_var,
             guint         skip)
{
  g_autofree double *m = g_memdup2 (matrix, sizeof (double) * n_eq * n_var);
  guint rank = 0;

  for (guint col = 0; col < n_var && rank < n_eq; col++)
    {
      guint pivot = rank;

      if (col == skip)
        continue;

      for (guint r = rank + 1; r < n_eq; r++)
        if (fabs (m[r * n_var + col]) > fabs (m[pivot * n_var + col]))
          pivot = r;
      if (fabs (m[pivot * n_var + col]) < 1e-9)
        continue;

      for (guint c = 0; c < n_var; c++)
        {
          double tmp = m[rank * n_var + c];
          m[rank * n_var + c] = m[pivot * n_var + c];
          m[pivot * n_var + c] = tmp;
        }
      for (guint r = rank + 1; r < n_eq; r++)
        {
          double f = m[r * n_var + col] / m[rank * n_var + col];

          for (guint c = 0; c < n_var; c++)
            m[r * n_var + c] -= f * m[rank * n_var + c];
        }
      rank++;
    }

  return rank;
}

/* How many hidden entries of the extended grid a reader could work out
 * exactly from the shown values and the totals; @first_out gets the grid
 * index of the first one. Every grid row and column is an equation: the sum
 * of its entries minus its last entry (the total) is zero. */
static guint
count_recoverable (guint         n_rows,
                   guint         n_cols,
                   const guint8 *mask,
                   guint        *first_out)
{
  guint width = n_cols + 1;
  guint n_cells = (n_rows + 1) * width;
  guint n_eq = n_rows + n_cols + 2;
  g_autofree guint *var_of_cell = g_new (guint, n_cells);
  g_autofree guint *cell_of_var = g_new (guint, n_cells);
  g_autofree double *a = NULL;
  guint n_var = 0;
  guint n_found = 0;
  guint full_rank;

  for (guint e = 0; e < n_cells; e++)
    {
      var_of_cell[e] = mask[e] ? n_var : G_MAXUINT;
      if (mask[e])
        cell_of_var[n_var++] = e;
    }
  if (n_var == 0)
    return 0;

  a = g_new0 (double, n_eq * n_var);
  for (guint e = 0; e < n_cells; e++)
    {
      guint i = e / width, j = e % width;

      if (!mask[e])
        continue;
      a[i * n_var + var_of_cell[e]] = (j == n_cols) ? -1 : 1;
      a[(n_rows + 1 + j) * n_var + var_of_cell[e]] = (i == n_rows) ? -1 : 1;
    }

  full_rank = matrix_rank (a, n_eq, n_var, G_MAXUINT);
  for (guint v = 0; v < n_var; v++)
    if (matrix_rank (a, n_eq, n_var, v) < full_rank)
      {
        if (n_found++ == 0 && first_out != NULL)
          *first_out = cell_of_var[v];
      }

  return n_found;
}

static guint
table_count_recoverable (CbSuppressionTable *t)
{
  g_autofree guint8 *mask = hidden_mask (t);

  return count_recoverable (cb_suppression_table_get_n_rows (t),
                            cb_suppression_table_get_n_cols (t),
                            mask, NULL);
}

/* Single values */

static void
test_count_threshold_5 (void)
{
  g_assert_false (cb_suppression_count_is_hidden (0, 5));
  g_assert_true (cb_suppression_count_is_hidden (1, 5));
  g_assert_true (cb_suppression_count_is_hidden (4, 5));
  g_assert_false (cb_suppression_count_is_hidden (5, 5));
  g_assert_false (cb_suppression_count_is_hidden (6, 5));
  g_assert_false (cb_suppression_count_is_hidden (156000, 5));
  g_assert_cmpint (CB_SUPPRESSION_DEFAULT_THRESHOLD, ==, 5);
}

static void
test_count_threshold_3 (void)
{
  g_assert_false (cb_suppression_count_is_hidden (0, 3));
  g_assert_true (cb_suppression_count_is_hidden (1, 3));
  g_assert_true (cb_suppression_count_is_hidden (2, 3));
  g_assert_false (cb_suppression_count_is_hidden (3, 3));
  g_assert_false (cb_suppression_count_is_hidden (4, 3));
}

static void
test_count_threshold_10 (void)
{
  g_assert_false (cb_suppression_count_is_hidden (0, 10));
  g_assert_true (cb_suppression_count_is_hidden (1, 10));
  g_assert_true (cb_suppression_count_is_hidden (5, 10));
  g_assert_true (cb_suppression_count_is_hidden (9, 10));
  g_assert_false (cb_suppression_count_is_hidden (10, 10));
}

static void
test_count_threshold_off (void)
{
  /* A threshold of 0 or 1 leaves no count between 1 and threshold - 1. */
  g_assert_false (cb_suppression_count_is_hidden (1, 1));
  g_assert_false (cb_suppression_count_is_hidden (1, 0));
  g_assert_false (cb_suppression_count_is_hidden (0, 0));
}

static void
test_count_format (void)
{
  g_autofree char *hidden = cb_suppression_format_count (3, TRUE);
  g_autofree char *shown = cb_suppression_format_count (1234, FALSE);
  g_autofree char *zero = cb_suppression_format_count (0, FALSE);
  g_autofree char *big = cb_suppression_format_count (G_GINT64_CONSTANT (5000000000), FALSE);

  g_assert_cmpstr (hidden, ==, "*");
  g_assert_cmpstr (shown, ==, "1234");
  g_assert_cmpstr (zero, ==, "0");
  g_assert_cmpstr (big, ==, "5000000000");
}

static void
test_percentage (void)
{
  /* Numerator suppressed. */
  g_assert_true (cb_suppression_percentage_is_hidden (3, 40, 5));
  /* Denominator suppressed (and so the numerator, which cannot exceed it). */
  g_assert_true (cb_suppression_percentage_is_hidden (0, 3, 5));
  g_assert_true (cb_suppression_percentage_is_hidden (2, 4, 5));
  /* Both shown. */
  g_assert_false (cb_suppression_percentage_is_hidden (10, 40, 5));
  g_assert_false (cb_suppression_percentage_is_hidden (0, 40, 5));
  g_assert_false (cb_suppression_percentage_is_hidden (5, 5, 5));
  /* The threshold applies to both parts. */
  g_assert_true (cb_suppression_percentage_is_hidden (7, 40, 10));
  g_assert_true (cb_suppression_percentage_is_hidden (0, 9, 10));
  g_assert_false (cb_suppression_percentage_is_hidden (7, 40, 3));
  /* No denominator, no percentage: nothing to hide. */
  g_assert_false (cb_suppression_percentage_is_hidden (0, 0, 5));
}

/* Tables */

static void
test_table_totals (void)
{
  static const gint64 values[] = { 1, 2, 3,
                                   40, 50, 60 };
  g_autoptr(CbSuppressionTable) t = table_from_values (2, 3, values);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpuint (cb_suppression_table_get_n_rows (t), ==, 2);
  g_assert_cmpuint (cb_suppression_table_get_n_cols (t), ==, 3);
  g_assert_cmpint (cb_suppression_table_get (t, 1, 2), ==, 60);
  g_assert_cmpint (cb_suppression_table_get_row_total (t, 0), ==, 6);
  g_assert_cmpint (cb_suppression_table_get_row_total (t, 1), ==, 150);
  g_assert_cmpint (cb_suppression_table_get_col_total (t, 0), ==, 41);
  g_assert_cmpint (cb_suppression_table_get_col_total (t, 2), ==, 63);
  g_assert_cmpint (cb_suppression_table_get_grand_total (t), ==, 156);

  /* Before apply() nothing is hidden. */
  before = render (t);
  g_assert_cmpstr (before, ==, "1 2 3 | 6; 40 50 60 | 150; 41 52 63 | 156");

  /* Setting a cell again replaces it, and the totals follow. */
  cb_suppression_table_set (t, 0, 0, 10);
  g_assert_cmpint (cb_suppression_table_get_row_total (t, 0), ==, 15);
  g_assert_cmpint (cb_suppression_table_get_col_total (t, 0), ==, 50);
  g_assert_cmpint (cb_suppression_table_get_grand_total (t), ==, 165);
  after = render (t);
  g_assert_cmpstr (after, ==, "10 2 3 | 15; 40 50 60 | 150; 50 52 63 | 165");
}

static void
test_table_one_column (void)
{
  /* Counts by area with only a total: the common case. */
  static const gint64 values[] = { 12, 3, 40, 25 };
  g_autoptr(CbSuppressionTable) t = table_from_values (4, 1, values);
  g_autofree char *shown = NULL;
  gint64 visible_sum = 0;
  guint n_hidden = 0;

  cb_suppression_table_apply (t, 5);

  /* 3 is hidden; alone it would be 80 - 12 - 40 - 25, so the next smallest,
   * 12, goes too. A row total in a one-column table is the cell itself. */
  shown = render (t);
  g_assert_cmpstr (shown, ==, "* | *; * | *; 40 | 40; 25 | 25; 80 | 80");

  for (guint i = 0; i < 4; i++)
    {
      if (cb_suppression_table_is_suppressed (t, i, 0))
        n_hidden++;
      else
        visible_sum += cb_suppression_table_get (t, i, 0);
    }
  g_assert_cmpuint (n_hidden, ==, 2);
  g_assert_true (cb_suppression_table_is_suppressed (t, 0, 0));
  g_assert_true (cb_suppression_table_is_suppressed (t, 1, 0));
  g_assert_false (cb_suppression_table_is_col_total_suppressed (t, 0));

  /* What a reader gets from the total is the sum of the two hidden cells,
   * 15, which 1 + 14, 2 + 13, ... all fit: neither can be worked out. */
  g_assert_cmpint (cb_suppression_table_get_col_total (t, 0) - visible_sum, ==, 15);
  g_assert_cmpuint (table_count_recoverable (t), ==, 0);
}

static void
test_table_one_column_thresholds (void)
{
  static const gint64 values[] = { 6, 3, 8, 25, 40 };
  g_autoptr(CbSuppressionTable) t = table_from_values (5, 1, values);
  g_autofree char *at_3 = NULL;
  g_autofree char *at_5 = NULL;
  g_autofree char *at_10 = NULL;

  cb_suppression_table_apply (t, 3);
  at_3 = render (t);
  g_assert_cmpstr (at_3, ==, "6 | 6; 3 | 3; 8 | 8; 25 | 25; 40 | 40; 82 | 82");

  cb_suppression_table_apply (t, 5);
  at_5 = render (t);
  g_assert_cmpstr (at_5, ==, "* | *; * | *; 8 | 8; 25 | 25; 40 | 40; 82 | 82");

  /* Three primary cells already protect each other: no secondary needed. */
  cb_suppression_table_apply (t, 10);
  at_10 = render (t);
  g_assert_cmpstr (at_10, ==, "* | *; * | *; * | *; 25 | 25; 40 | 40; 82 | 82");
  g_assert_cmpuint (table_count_recoverable (t), ==, 0);
}

static void
test_table_prefers_non_zero (void)
{
  /* Hiding a 0 beside the 3 would tell the reader that the two hidden cells
   * add up to 3; the next smallest non-zero cell, 9, goes instead. */
  static const gint64 column[] = { 3, 0, 0, 9, 20 };
  static const gint64 grid[] = { 4, 0, 11,
                                 0, 0, 20,
                                 6, 7, 8 };
  g_autoptr(CbSuppressionTable) a = table_from_values (5, 1, column);
  g_autoptr(CbSuppressionTable) b = table_from_values (3, 3, grid);
  g_autofree char *shown_a = NULL;
  g_autofree char *shown_b = NULL;

  cb_suppression_table_apply (a, 5);
  shown_a = render (a);
  g_assert_cmpstr (shown_a, ==, "* | *; 0 | 0; 0 | 0; * | *; 20 | 20; 32 | 32");

  cb_suppression_table_apply (b, 5);
  shown_b = render (b);
  g_assert_cmpstr (shown_b, ==, "* 0 * | 15; 0 0 20 | 20; * 7 * | 21; 10 7 39 | 56");
  g_assert_cmpuint (table_count_recoverable (b), ==, 0);
}

static void
test_table_small_total (void)
{
  /* Everything about an area with 3 people is small: its cell, its row total
   * and the grand total are hidden primarily, and the zeros stay shown. */
  static const gint64 values[] = { 3, 0, 0 };
  g_autoptr(CbSuppressionTable) t = table_from_values (3, 1, values);
  g_autofree char *shown = NULL;

  cb_suppression_table_apply (t, 5);
  shown = render (t);
  g_assert_cmpstr (shown, ==, "* | *; 0 | 0; 0 | 0; * | *");
  g_assert_cmpuint (table_count_recoverable (t), ==, 0);
}

static void
test_table_cascade (void)
{
  /* The 2 hides 10 in its row and 30 in its column; those leave row 1 and
   * column 1 with one hidden cell each, which hide 7 and 8; the 7 then
   * leaves column 2 with one, which hides 20, and the 8 hides 50 in row 2.
   * Three rounds until stable. */
  static const gint64 values[] = { 2, 10, 20,
                                   30, 40, 7,
                                   50, 8, 60 };
  g_autoptr(CbSuppressionTable) t = table_from_values (3, 3, values);
  g_autofree char *shown = NULL;

  cb_suppression_table_apply (t, 5);
  shown = render (t);
  g_assert_cmpstr (shown, ==, "* * * | 32; * 40 * | 77; * * 60 | 118; 82 58 87 | 227");
  g_assert_cmpuint (table_count_recoverable (t), ==, 0);
}

static void
test_table_cascade_totals (void)
{
  /* Row 0 is all small, so its total 3 is hidden too; that total is alone
   * in the total column and takes the next smallest row total, 30, with it.
   * Columns 0 and 1 each take their next smallest cell, both in row 2. */
  static const gint64 values[] = { 1, 2, 0,
                                   10, 20, 30,
                                   6, 15, 9 };
  g_autoptr(CbSuppressionTable) t = table_from_values (3, 3, values);
  g_autofree char *shown = NULL;

  cb_suppression_table_apply (t, 5);
  shown = render (t);
  g_assert_cmpstr (shown, ==, "* * 0 | *; 10 20 30 | 60; * * 9 | *; 17 37 39 | 93");
  g_assert_cmpuint (table_count_recoverable (t), ==, 0);
}

static void
test_table_bridge (void)
{
  /* The NDTMS rule alone stops here, with two hidden in every line:
   *
   *     *  0  * | *        the 2 at the top left joins two groups of hidden
   *     0  0  * | *        values: {rows 0-1, column 2, totals} and
   *     *  * 10 | 15       {rows 2-T, columns 0-1}. From column 2 and the
   *     *  * 17 | 24       total column, 2 = (24 - 15) - (17 - 10).
   *
   * so it must close a cycle through that cell: the smallest non-zero cell
   * joining the two groups is the 10. */
  static const gint64 values[] = { 2, 0, 4,
                                   0, 0, 3,
                                   3, 2, 10 };
  static const guint8 rule_only[] = { 1, 0, 1, 1,
                                      0, 0, 1, 1,
                                      1, 1, 0, 0,
                                      1, 1, 0, 0 };
  g_autoptr(CbSuppressionTable) t = table_from_values (3, 3, values);
  g_autofree char *shown = NULL;
  guint first = G_MAXUINT;

  /* The checker sees the weakness in the rule-only pattern... */
  g_assert_cmpuint (count_recoverable (3, 3, rule_only, &first), ==, 1);
  g_assert_cmpuint (first, ==, 0);

  /* ...and apply() goes further. */
  cb_suppression_table_apply (t, 5);
  shown = render (t);
  g_assert_cmpstr (shown, ==, "* 0 * | *; 0 0 * | *; * * * | 15; * * 17 | 24");
  g_assert_cmpuint (table_count_recoverable (t), ==, 0);
}

static void
test_table_reapply (void)
{
  static const gint64 values[] = { 7, 3, 9,
                                   20, 30, 8 };
  g_autoptr(CbSuppressionTable) t = table_from_values (2, 3, values);
  g_autoptr(CbSuppressionTable) fresh = table_from_values (2, 3, values);
  g_autofree char *at_10_then_5 = NULL;
  g_autofree char *at_5 = NULL;
  g_autofree char *after_set = NULL;

  /* Applying again starts over rather than adding to what is hidden. */
  cb_suppression_table_apply (t, 10);
  cb_suppression_table_apply (t, 5);
  cb_suppression_table_apply (fresh, 5);
  at_10_then_5 = render (t);
  at_5 = render (fresh);
  g_assert_cmpstr (at_10_then_5, ==, at_5);
  g_assert_cmpstr (at_5, ==, "* * 9 | 19; * * 8 | 58; 27 33 17 | 77");

  /* Changing a count forgets the earlier result. */
  cb_suppression_table_set (t, 0, 1, 13);
  after_set = render (t);
  g_assert_cmpstr (after_set, ==, "7 13 9 | 29; 20 30 8 | 58; 27 43 17 | 87");
}

static void
test_table_boxed (void)
{
  CbSuppressionTable *t = cb_suppression_table_new (2, 2);
  CbSuppressionTable *copy;

  g_assert_true (G_TYPE_IS_BOXED (CB_TYPE_SUPPRESSION_TABLE));
  copy = g_boxed_copy (CB_TYPE_SUPPRESSION_TABLE, t);
  g_assert_true (copy == t);

  cb_suppression_table_set (copy, 1, 1, 42);
  g_boxed_free (CB_TYPE_SUPPRESSION_TABLE, copy);
  /* Still alive through the first reference. */
  g_assert_cmpint (cb_suppression_table_get_grand_total (t), ==, 42);
  cb_suppression_table_unref (t);
}

/* The property: for random small tables, after apply()
 *  1. every count 1..threshold-1, in the body or a total, is hidden;
 *  2. no line (grid row or column, totals included) has exactly one hidden
 *     value, so nothing can be worked out by subtraction along one line;
 *  3. more strongly, no hidden value can be worked out by any combination of
 *     the lines' equations (checked by rank, not by the code's own method);
 *  4. applying twice gives the same result. */

static gint64
random_count (GRand *rand,
              guint  threshold)
{
  gint kind = g_rand_int_range (rand, 0, 10);

  if (kind < 3)
    return 0;
  if (kind < 6)
    return g_rand_int_range (rand, 1, threshold);
  return g_rand_int_range (rand, threshold, threshold + 60);
}

static void
assert_lines_not_lone (const guint8 *mask,
                       guint         n_rows,
                       guint         n_cols)
{
  guint width = n_cols + 1;

  for (guint i = 0; i <= n_rows; i++)
    {
      guint n = 0;

      for (guint j = 0; j <= n_cols; j++)
        n += mask[i * width + j];
      g_assert_cmpuint (n, !=, 1);
    }

  for (guint j = 0; j <= n_cols; j++)
    {
      guint n = 0;

      for (guint i = 0; i <= n_rows; i++)
        n += mask[i * width + j];
      g_assert_cmpuint (n, !=, 1);
    }
}

static void
assert_small_counts_hidden (CbSuppressionTable *t,
                            const guint8       *mask,
                            guint               threshold)
{
  guint n_rows = cb_suppression_table_get_n_rows (t);
  guint n_cols = cb_suppression_table_get_n_cols (t);
  guint width = n_cols + 1;

  for (guint i = 0; i <= n_rows; i++)
    for (guint j = 0; j <= n_cols; j++)
      {
        gint64 value;

        if (i < n_rows && j < n_cols)
          value = cb_suppression_table_get (t, i, j);
        else if (i < n_rows)
          value = cb_suppression_table_get_row_total (t, i);
        else if (j < n_cols)
          value = cb_suppression_table_get_col_total (t, j);
        else
          value = cb_suppression_table_get_grand_total (t);

        if (value >= 1 && value < threshold)
          g_assert_true (mask[i * width + j]);
      }
}

static void
test_table_random (void)
{
  static const guint thresholds[] = { 3, 5, 10 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240501);
  guint n_with_secondary = 0;

  for (guint n = 0; n < 500; n++)
    {
      guint n_rows = g_rand_int_range (rand, 1, 7);
      guint n_cols = g_rand_int_range (rand, 1, 7);
      guint threshold = thresholds[g_rand_int_range (rand, 0, G_N_ELEMENTS (thresholds))];
      g_autoptr(CbSuppressionTable) t = cb_suppression_table_new (n_rows, n_cols);
      g_autofree guint8 *mask = NULL;
      g_autofree char *once = NULL;
      g_autofree char *twice = NULL;
      guint first = G_MAXUINT;
      gboolean secondary = FALSE;

      for (guint i = 0; i < n_rows; i++)
        for (guint j = 0; j < n_cols; j++)
          cb_suppression_table_set (t, i, j, random_count (rand, threshold));

      cb_suppression_table_apply (t, threshold);
      mask = hidden_mask (t);
      once = render (t);

      assert_small_counts_hidden (t, mask, threshold);
      assert_lines_not_lone (mask, n_rows, n_cols);
      if (count_recoverable (n_rows, n_cols, mask, &first) != 0)
        g_error ("table %u (threshold %u): hidden entry %u recoverable in %s",
                 n, threshold, first, once);

      cb_suppression_table_apply (t, threshold);
      twice = render (t);
      g_assert_cmpstr (once, ==, twice);

      for (guint i = 0; i < n_rows; i++)
        for (guint j = 0; j < n_cols; j++)
          if (cb_suppression_table_is_suppressed (t, i, j) &&
              !cb_suppression_count_is_hidden (cb_suppression_table_get (t, i, j), threshold))
            secondary = TRUE;
      n_with_secondary += secondary;
    }

  /* The sample must exercise secondary suppression, or it proves little. */
  g_assert_cmpuint (n_with_secondary, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/suppression/count/threshold-5", test_count_threshold_5);
  g_test_add_func ("/suppression/count/threshold-3", test_count_threshold_3);
  g_test_add_func ("/suppression/count/threshold-10", test_count_threshold_10);
  g_test_add_func ("/suppression/count/threshold-off", test_count_threshold_off);
  g_test_add_func ("/suppression/count/format", test_count_format);
  g_test_add_func ("/suppression/percentage", test_percentage);
  g_test_add_func ("/suppression/table/totals", test_table_totals);
  g_test_add_func ("/suppression/table/one-column", test_table_one_column);
  g_test_add_func ("/suppression/table/one-column-thresholds", test_table_one_column_thresholds);
  g_test_add_func ("/suppression/table/prefers-non-zero", test_table_prefers_non_zero);
  g_test_add_func ("/suppression/table/small-total", test_table_small_total);
  g_test_add_func ("/suppression/table/cascade", test_table_cascade);
  g_test_add_func ("/suppression/table/cascade-totals", test_table_cascade_totals);
  g_test_add_func ("/suppression/table/bridge", test_table_bridge);
  g_test_add_func ("/suppression/table/reapply", test_table_reapply);
  g_test_add_func ("/suppression/table/boxed", test_table_boxed);
  g_test_add_func ("/suppression/table/random", test_table_random);

  return g_test_run ();
}
