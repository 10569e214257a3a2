/* cb-case-columns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ten columns of the case list. The list is a CbCaseList, already in
 * the query's order: sorting happens in SQL, never by sorting objects.
 * Clicking a header still has to work, and GTK 4.8 does not say which
 * column its column view sorts by (GtkColumnViewSorter's getters came in
 * 4.10). So each column gets a stand-in sorter that never sees a case;
 * asking the view's sorter to compare a probe walks the sort columns in
 * order, and the first stand-in the probe meets names the primary column,
 * while the sign of the answer gives its direction.
 */
#define G_LOG_DOMAIN "casebook-cases"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-case-columns.h"
#include "cb-practice-gaps.h"

#define SORT_KEY "cb-sort-key"
#define PROBE_MAGIC 0x50524f42u

typedef enum
{
  CELL_VALUE,      /* the field's value, codes as labels */
  CELL_CLASS_A,    /* derived from the substances */
  CELL_GAP_COUNT,  /* derived from the practice gaps */
} CellKind;

typedef struct
{
  CbFieldId   field;     /* shown, and the sort key */
  CellKind    kind;
  const char *title;
  int         chars;     /* natural width, in characters */
  int         min_chars;
  gboolean    sortable;
} Column;

static const Column columns[] = {
  { CB_FIELD_CASE_REF, CELL_VALUE, N_("Reference"), 12, 10, TRUE },
  { CB_FIELD_AREA, CELL_VALUE, N_("Area"), 18, 8, TRUE },
  { CB_FIELD_SENTENCE_TYPE, CELL_VALUE, N_("Sentence"), 20, 8, TRUE },
  { CB_FIELD_START_DATE, CELL_VALUE, N_("Start date"), 10, 10, TRUE },
  { CB_FIELD_MAIN_SUBSTANCE, CELL_VALUE, N_("Main substance"), 14, 8, TRUE },
  /* No column holds Class A in SQL, and sorting by the substance set's
   * bits would mean nothing to a reader: not sortable. */
  { CB_FIELD_SUBSTANCES, CELL_CLASS_A, N_("Class A"), 9, 8, FALSE },
  { CB_FIELD_TESTED, CELL_VALUE, N_("Tested"), 12, 6, TRUE },
  { CB_FIELD_REFERRED_ON, CELL_VALUE, N_("Referred"), 10, 10, TRUE },
  { CB_FIELD_TREATMENT_STARTED_ON, CELL_VALUE, N_("Treatment started"), 10, 10, TRUE },
  { CB_SORT_GAP_COUNT, CELL_GAP_COUNT, N_("Gaps"), 3, 2, TRUE },
};

typedef struct
{
  guint      magic;
  gboolean   found;
  CbFieldId  sort_key;
} Probe;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  const Column *column = user_data;
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), column->chars);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), column->min_chars);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (column->kind == CELL_GAP_COUNT)
    gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 1.0);
  gtk_list_item_set_child (item, inscription);
}

static const char *
yes_no_text (CbYesNo value)
{
  switch (value)
    {
    case CB_YES_NO_YES:
      return _("Yes");
    case CB_YES_NO_NO:
      return _("No");
    case CB_YES_NO_NOT_RECORDED:
    default:
      return NULL;
    }
}

/* Returns: (transfer full) (nullable): the text of a cell, %NULL when
 * the value is not recorded */
static char *
cell_text (const Column *column,
           CbCase       *record)
{
  const CbField *field;
  const char *value;

  switch (column->kind)
    {
    case CELL_CLASS_A:
      if (cb_case_get (record, CB_FIELD_SUBSTANCES) == NULL)
        return NULL;
      return g_strdup (cb_case_is_class_a (record) ? _("Yes") : _("No"));

    case CELL_GAP_COUNT:
      return g_strdup_printf ("%u", cb_practice_gaps_count (cb_practice_gaps_for_case (record)));

    case CELL_VALUE:
    default:
      field = cb_field_get (column->field);
      value = cb_case_get (record, column->field);
      if (field->type == CB_FIELD_TYPE_YES_NO)
        return g_strdup (yes_no_text (cb_case_get_yes_no (record, column->field)));
      if (field->type == CB_FIELD_TYPE_CODE)
        return g_strdup (cb_field_get_code_label (field, value));
      return g_strdup (value);
    }
}

/* Not recorded is shown, dimmed, rather than left blank where a person
 * answers yes or no: the inspection's point is what was never captured. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  const Column *column = user_data;
  GtkWidget *inscription = gtk_list_item_get_child (item);
  g_autofree char *text = cell_text (column, gtk_list_item_get_item (item));
  gboolean show_missing = text == NULL &&
                          (column->kind == CELL_CLASS_A ||
                           cb_field_get (column->field)->type == CB_FIELD_TYPE_YES_NO);

  /* Without substances, whether the person uses Class A drugs is unknown. */
  if (show_missing)
    gtk_inscription_set_text (GTK_INSCRIPTION (inscription),
                              column->kind == CELL_CLASS_A ? _("Unknown") : _("Not recorded"));
  else
    gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
  if (show_missing)
    gtk_widget_add_css_class (inscription, "dim-label");
  else
    gtk_widget_remove_css_class (inscription, "dim-label");
}

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  Probe *probe = (Probe *) a;

  /* Only a probe ever comes here; anything else sorts as equal. */
  if (probe == NULL || probe->magic != PROBE_MAGIC)
    return GTK_ORDERING_EQUAL;

  if (!probe->found)
    {
      probe->found = TRUE;
      probe->sort_key = GPOINTER_TO_UINT (user_data);
    }

  return GTK_ORDERING_SMALLER;
}

void
cb_case_columns_add (GtkColumnView *view)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const Column *column = &columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) view_column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) column);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) column);

      view_column = gtk_column_view_column_new (_(column->title), factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_column_set_expand (view_column, column->chars >= 18);
      if (column->sortable)
        {
          g_autoptr(GtkSorter) sorter =
            GTK_SORTER (gtk_custom_sorter_new (probe_compare, GUINT_TO_POINTER (column->field), NULL));

          gtk_column_view_column_set_sorter (view_column, sorter);
          g_object_set_data (G_OBJECT (view_column), SORT_KEY, GUINT_TO_POINTER (column->field + 1));
        }
      gtk_column_view_append_column (view, view_column);
    }
}

/* Returns: (transfer none) (nullable): the column sorted by @sort_key */
GtkColumnViewColumn *
cb_case_columns_find (GtkColumnView *view,
                      CbFieldId      sort_key)
{
  GListModel *view_columns;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);

  view_columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (view_columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (view_columns, i);

      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (column), SORT_KEY)) == sort_key + 1)
        return column;
    }

  return NULL;
}

/**
 * cb_case_columns_read_sort:
 * @sort_key: (out): the field (or %CB_SORT_GAP_COUNT) of the primary column
 * @descending: (out): its direction
 *
 * Returns: %FALSE when no column is sorted
 */
gboolean
cb_case_columns_read_sort (GtkColumnView *view,
                           CbFieldId     *sort_key,
                           gboolean      *descending)
{
  Probe probe = { PROBE_MAGIC, FALSE, 0 };
  Probe other = { PROBE_MAGIC, FALSE, 0 };
  GtkOrdering order;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), FALSE);

  /* Two probes: a sorter takes an item as equal to itself unasked. */
  order = gtk_sorter_compare (gtk_column_view_get_sorter (view), &probe, &other);
  if (!probe.found || order == GTK_ORDERING_EQUAL)
    return FALSE;

  *sort_key = probe.sort_key;
  *descending = order == GTK_ORDERING_LARGER;
  return TRUE;
}
