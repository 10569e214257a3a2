/* cb-cases-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-cases"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-case-list.h"
#include "cb-cases-page.h"

struct _CbCasesPage
{
  AdwBin          parent_instance;

  GtkSearchEntry *search_entry;
  GtkLabel       *count_label;
  GtkColumnView  *column_view;

  CbCaseQuery    *query;
  CbCaseList     *cases;
};

G_DEFINE_FINAL_TYPE (CbCasesPage, cb_cases_page, ADW_TYPE_BIN)

static const CbFieldId columns[] = {
  CB_FIELD_CASE_REF, CB_FIELD_AREA, CB_FIELD_SENTENCE_TYPE, CB_FIELD_START_DATE,
  CB_FIELD_MAIN_SUBSTANCE, CB_FIELD_TESTED, CB_FIELD_REFERRED_ON,
  CB_FIELD_TREATMENT_STARTED_ON,
};

static void
update_count (CbCasesPage *self)
{
  guint shown = self->cases ? g_list_model_get_n_items (G_LIST_MODEL (self->cases)) : 0;
  guint total = self->cases ? cb_case_list_get_total (self->cases) : 0;
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u of %'u case", "%'u of %'u cases", total),
                          shown, total);
  gtk_label_set_label (self->count_label, text);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_inscription_new (NULL));
}

/* Codes show as their labels; other values as stored. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  CbFieldId field = GPOINTER_TO_UINT (user_data);
  CbCase *record = gtk_list_item_get_item (item);
  const char *value = cb_case_get (record, field);
  const CbField *info = cb_field_get (field);

  if (info->type == CB_FIELD_TYPE_CODE)
    value = cb_field_get_code_label (info, value);
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), value);
}

static void
add_columns (CbCasesPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (columns[i]));
      column = gtk_column_view_column_new (_(cb_field_get (columns[i])->label), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, i == 1);
      gtk_column_view_append_column (self->column_view, column);
    }
}

void
cb_cases_page_set_store (CbCasesPage *self,
                         CbCaseStore *store)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  g_return_if_fail (CB_IS_CASES_PAGE (self));

  g_clear_object (&self->cases);
  if (store != NULL)
    {
      self->cases = cb_case_list_new (store, self->query);
      g_signal_connect_object (self->cases, "items-changed",
                               G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
      selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->cases))));
    }

  gtk_column_view_set_model (self->column_view, selection);
  update_count (self);
}

void
cb_cases_page_new_case (CbCasesPage *self)
{
  g_return_if_fail (CB_IS_CASES_PAGE (self));
  /* The case editor comes with the Cases issue. */
}

void
cb_cases_page_focus_search (CbCasesPage *self)
{
  g_return_if_fail (CB_IS_CASES_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
cb_cases_page_import_file (CbCasesPage *self,
                           GFile       *file)
{
  g_return_if_fail (CB_IS_CASES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  /* The import dialog comes with the Import issue. */
}

static void
on_search_changed (CbCasesPage    *self,
                   GtkSearchEntry *entry)
{
  cb_case_query_set_text (self->query, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
cb_cases_page_dispose (GObject *object)
{
  CbCasesPage *self = CB_CASES_PAGE (object);

  g_clear_object (&self->cases);
  g_clear_object (&self->query);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_CASES_PAGE);

  G_OBJECT_CLASS (cb_cases_page_parent_class)->dispose (object);
}

static void
cb_cases_page_class_init (CbCasesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_cases_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-cases-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
cb_cases_page_init (CbCasesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->query = cb_case_query_new ();
  add_columns (self);
  update_count (self);
}
