/* cb-cases-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page where a partnership lead spends the day: every case in a column
 * view over a CbCaseList, so 156,000 rows cost an array of ids, with the
 * search and the filters held in one CbCaseQuery (the same selection can
 * be exported). New cases and edits go through CbCaseEditor; Delete removes
 * the selected case and offers to undo, which saves the copy back under
 * its old row id.
 */
#define G_LOG_DOMAIN "casebook-cases"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-case-columns.h"
#include "cb-case-editor.h"
#include "cb-case-list.h"
#include "cb-cases-page.h"
#include "cb-choice-popover.h"
#include "cb-import-dialog.h"
#include "cb-window.h"

#define DELETED_KEY "cb-deleted-case"

struct _CbCasesPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_dropdown;
  GtkMenuButton      *area_button;
  CbChoicePopover    *area_popover;
  GtkMenuButton      *sentence_button;
  CbChoicePopover    *sentence_popover;
  GtkMenuButton      *gaps_button;
  CbChoicePopover    *gaps_popover;
  GtkWidget          *clear_button;
  GtkLabel           *count_label;
  GtkStack           *content_stack;
  GtkColumnView      *column_view;

  CbCaseStore        *store;
  CbCaseQuery        *query;
  CbCaseList         *cases;
  GtkSingleSelection *selection;
  CbCaseEditor       *editor;       /* weak: the open editor, if any */
  gboolean            updating;     /* filter widgets set by code */
};

G_DEFINE_FINAL_TYPE (CbCasesPage, cb_cases_page, ADW_TYPE_BIN)

/* A deleted case kept by its toast, for Undo. */
typedef struct
{
  CbCaseStore *store;
  CbCase      *record;
} Deleted;

static void
deleted_free (gpointer data)
{
  Deleted *deleted = data;

  g_object_unref (deleted->store);
  g_object_unref (deleted->record);
  g_free (deleted);
}

static void
add_toast (CbCasesPage *self,
           AdwToast    *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), CB_TYPE_WINDOW);

  if (window != NULL)
    cb_window_add_toast (CB_WINDOW (window), toast);
  else
    g_object_unref (toast);
}

static void
show_message (CbCasesPage *self,
              const char  *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  add_toast (self, adw_toast_new (escaped));
}

/* "N of M cases", always: a filtered list must never pass for all. */
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
update_view (CbCasesPage *self)
{
  guint shown = self->cases ? g_list_model_get_n_items (G_LIST_MODEL (self->cases)) : 0;
  guint total = self->cases ? cb_case_list_get_total (self->cases) : 0;
  const char *page = shown > 0 ? "list" : total == 0 ? "empty" : "no-match";

  update_count (self);
  gtk_stack_set_visible_child_name (self->content_stack, page);
  gtk_widget_set_visible (self->clear_button, cb_case_query_is_filtered (self->query));
}

/* A menu button says what it filters by: "All Areas", one area's name, or
 * how many are chosen. Returns %NULL for several, which the caller words. */
static char *
filter_label (CbChoicePopover *popover,
              const char      *none,
              const char *   (*label_of) (const char *id),
              guint           *n_selected)
{
  g_auto(GStrv) selected = cb_choice_popover_get_selected (popover);

  *n_selected = g_strv_length (selected);
  if (*n_selected == 0)
    return g_strdup (none);
  if (*n_selected == 1)
    return g_strdup (label_of ? label_of (selected[0]) : selected[0]);

  return NULL;
}

static const char *
sentence_label (const char *code)
{
  return cb_field_get_code_label (cb_field_get (CB_FIELD_SENTENCE_TYPE), code);
}

static const char *
gap_label (const char *id)
{
  const CbGapInfo *info = cb_practice_gaps_lookup (id);

  return info ? _(info->title) : id;
}

static void
update_filter_buttons (CbCasesPage *self)
{
  g_autofree char *areas = NULL;
  g_autofree char *sentences = NULL;
  g_autofree char *gaps = NULL;
  guint n;

  if (!(areas = filter_label (self->area_popover, _("All Areas"), NULL, &n)))
    areas = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Area", "%u Areas", n), n);
  if (!(sentences = filter_label (self->sentence_popover, _("All Sentences"), sentence_label, &n)))
    sentences = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Sentence Type",
                                              "%u Sentence Types", n), n);
  if (!(gaps = filter_label (self->gaps_popover, _("Any Practice Gaps"), gap_label, &n)))
    gaps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Practice Gap",
                                         "%u Practice Gaps", n), n);

  gtk_menu_button_set_label (self->area_button, areas);
  gtk_menu_button_set_label (self->sentence_button, sentences);
  gtk_menu_button_set_label (self->gaps_button, gaps);
}

static void
on_items_changed (CbCasesPage *self)
{
  update_view (self);
}

/* A new list over the query; the view's model follows. */
static void
install_list (CbCasesPage *self)
{
  g_autoptr(GtkSingleSelection) selection = NULL;

  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  if (self->cases != NULL)
    g_signal_handlers_disconnect_by_data (self->cases, self);
  g_clear_object (&self->cases);

  if (self->store != NULL)
    {
      self->cases = cb_case_list_new (self->store, self->query);
      /* The list updates its total just after its items. */
      g_signal_connect_object (self->cases, "items-changed",
                               G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->cases, "notify::total",
                               G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);

      /* Nothing is selected until the person picks a row: Delete must
       * never act on a row chosen by default. */
      selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->cases)));
      gtk_single_selection_set_autoselect (selection, FALSE);
      gtk_single_selection_set_can_unselect (selection, TRUE);
      gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
      self->selection = g_object_ref (selection);
    }

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  update_view (self);
}

static void
refresh_areas (CbCasesPage *self)
{
  g_auto(GStrv) areas = self->store ? cb_case_store_list_areas (self->store) : g_new0 (char *, 1);

  cb_choice_popover_set_choices (self->area_popover,
                                 (const char * const *) areas,
                                 (const char * const *) areas,
                                 NULL);
}

static void
fill_fixed_choices (CbCasesPage *self)
{
  const CbField *sentence = cb_field_get (CB_FIELD_SENTENCE_TYPE);
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) details = g_strv_builder_new ();
  g_auto(GStrv) code_list = NULL, label_list = NULL;
  g_auto(GStrv) id_list = NULL, title_list = NULL, detail_list = NULL;

  for (guint i = 0; i < sentence->n_codes; i++)
    {
      g_strv_builder_add (codes, sentence->codes[i].code);
      g_strv_builder_add (labels, _(sentence->codes[i].label));
    }
  for (guint i = 0; i < CB_N_GAPS; i++)
    {
      const CbGapInfo *info = cb_practice_gaps_get_info (i);

      g_strv_builder_add (ids, info->id);
      g_strv_builder_add (titles, _(info->title));
      g_strv_builder_add (details, _(info->detail));
    }

  code_list = g_strv_builder_end (codes);
  label_list = g_strv_builder_end (labels);
  id_list = g_strv_builder_end (ids);
  title_list = g_strv_builder_end (titles);
  detail_list = g_strv_builder_end (details);

  cb_choice_popover_set_heading (self->area_popover, _("Areas"));
  cb_choice_popover_set_heading (self->sentence_popover, _("Sentence Types"));
  cb_choice_popover_set_heading (self->gaps_popover, _("Practice Gaps"));
  cb_choice_popover_set_choices (self->sentence_popover,
                                 (const char * const *) code_list,
                                 (const char * const *) label_list, NULL);
  cb_choice_popover_set_choices (self->gaps_popover,
                                 (const char * const *) id_list,
                                 (const char * const *) title_list,
                                 (const char * const *) detail_list);
}

/* Clearing swaps in a fresh query (keeping the sort), so the list runs
 * once rather than once per filter. */
static void
clear_filters (CbCasesPage *self)
{
  g_autoptr(CbCaseQuery) fresh = cb_case_query_new ();
  CbFieldId sort_key;
  gboolean descending;

  if (cb_case_columns_read_sort (self->column_view, &sort_key, &descending))
    cb_case_query_set_sort (fresh, sort_key, descending);

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  cb_choice_popover_set_selected (self->area_popover, NULL);
  cb_choice_popover_set_selected (self->sentence_popover, NULL);
  cb_choice_popover_set_selected (self->gaps_popover, NULL);
  self->updating = FALSE;

  g_set_object (&self->query, fresh);
  update_filter_buttons (self);
  install_list (self);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  clear_filters (CB_CASES_PAGE (widget));
}

static void
on_search_changed (CbCasesPage    *self,
                   GtkSearchEntry *entry)
{
  if (!self->updating)
    cb_case_query_set_text (self->query, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_stop_search (CbCasesPage    *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_status_changed (CbCasesPage *self,
                   GParamSpec  *pspec,
                   GtkDropDown *dropdown)
{
  static const CbCaseStatus statuses[] = {
    CB_CASE_STATUS_ANY, CB_CASE_STATUS_ACTIVE, CB_CASE_STATUS_CLOSED,
  };
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (!self->updating && selected < G_N_ELEMENTS (statuses))
    cb_case_query_set_status (self->query, statuses[selected]);
}

static void
on_areas_changed (CbCasesPage     *self,
                  CbChoicePopover *popover)
{
  g_auto(GStrv) areas = cb_choice_popover_get_selected (popover);

  update_filter_buttons (self);
  cb_case_query_set_areas (self->query, (const char * const *) areas);
}

static void
on_area_popover_show (CbCasesPage     *self,
                      CbChoicePopover *popover)
{
  /* Edits and imports add areas: list the ones there are now. */
  refresh_areas (self);
}

static void
on_sentence_types_changed (CbCasesPage     *self,
                           CbChoicePopover *popover)
{
  g_auto(GStrv) codes = cb_choice_popover_get_selected (popover);

  update_filter_buttons (self);
  cb_case_query_set_sentence_types (self->query, (const char * const *) codes);
}

static void
on_gaps_changed (CbCasesPage     *self,
                 CbChoicePopover *popover)
{
  g_auto(GStrv) ids = cb_choice_popover_get_selected (popover);
  CbGapFlags gaps = 0;

  for (guint i = 0; ids[i] != NULL; i++)
    gaps |= cb_practice_gaps_lookup (ids[i])->flag;

  update_filter_buttons (self);
  cb_case_query_set_gaps (self->query, gaps);
}

/* A header click changes the view's sorter; the query sorts in SQL. */
static void
on_sorter_changed (CbCasesPage *self)
{
  CbFieldId sort_key = CB_FIELD_CASE_REF;
  gboolean descending = FALSE;

  cb_case_columns_read_sort (self->column_view, &sort_key, &descending);
  cb_case_query_set_sort (self->query, sort_key, descending);
}

/* GTK 4.8 has no gtk_column_view_scroll_to(); its list view has an
 * action for it. */
static void
scroll_to (CbCasesPage *self,
           guint        position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static gboolean
select_case (CbCasesPage *self,
             gint64       id)
{
  int position = self->cases ? cb_case_list_find (self->cases, id) : -1;

  if (position < 0)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
  return TRUE;
}

static void
on_editor_saved (CbCasesPage  *self,
                 CbCase       *record,
                 CbCaseEditor *editor)
{
  if (!select_case (self, cb_case_get_id (record)))
    show_message (self, _("The case is saved, but the search or filters hide it"));
}

static void delete_case (CbCasesPage *self,
                         gint64       id);

static void
on_editor_delete_requested (CbCasesPage  *self,
                            gint64        id,
                            CbCaseEditor *editor)
{
  delete_case (self, id);
}

static void
open_editor (CbCasesPage *self,
             CbCase      *record)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  CbCaseEditor *editor;

  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return;
    }

  editor = cb_case_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               self->store, record);
  g_set_weak_pointer (&self->editor, editor);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "delete-requested", G_CALLBACK (on_editor_delete_requested),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
  gtk_widget_grab_focus (cb_case_editor_get_input (editor, CB_FIELD_CASE_REF));
}

/* The editor gets the case as stored now, not as the list last saw it. */
static void
edit_case_at (CbCasesPage *self,
              guint        position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCase) record = NULL;

  if (self->cases == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->cases)))
    return;

  record = cb_case_store_get_by_id (self->store, cb_case_list_get_id (self->cases, position), &error);
  if (record == NULL)
    {
      show_message (self, error->message);
      cb_case_list_refresh (self->cases, NULL);
      return;
    }

  open_editor (self, record);
}

static void
on_row_activated (CbCasesPage   *self,
                  guint          position,
                  GtkColumnView *view)
{
  edit_case_at (self, position);
}

static void
on_undo_clicked (CbCasesPage *self,
                 AdwToast    *toast)
{
  Deleted *deleted = g_object_get_data (G_OBJECT (toast), DELETED_KEY);
  g_autoptr(GError) error = NULL;

  /* Row ids are never reused, so the old id still belongs to no one. */
  if (!cb_case_store_save (deleted->store, deleted->record, &error))
    {
      show_message (self, error->message);
      return;
    }

  if (deleted->store == self->store)
    select_case (self, cb_case_get_id (deleted->record));
}

static void
offer_undo (CbCasesPage *self,
            CbCase      *record)
{
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  Deleted *deleted = g_new0 (Deleted, 1);
  AdwToast *toast;

  deleted->store = g_object_ref (self->store);
  deleted->record = g_object_ref (record);

  escaped = g_markup_escape_text (cb_case_get (record, CB_FIELD_CASE_REF), -1);
  title = g_strdup_printf (_("Case %s deleted"), escaped);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), DELETED_KEY, deleted, deleted_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked),
                           self, G_CONNECT_SWAPPED);
  add_toast (self, toast);
}

static void
delete_case (CbCasesPage *self,
             gint64       id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCase) record = NULL;
  guint position = gtk_single_selection_get_selected (self->selection);

  /* The copy for Undo is read from the store: every field, exactly. */
  record = cb_case_store_get_by_id (self->store, id, &error);
  if (record == NULL || !cb_case_store_delete (self->store, id, &error))
    {
      show_message (self, error->message);
      return;
    }

  offer_undo (self, record);

  /* The next row takes the deleted one's place, as in a file manager. */
  if (position != GTK_INVALID_LIST_POSITION &&
      g_list_model_get_n_items (G_LIST_MODEL (self->cases)) > 0)
    gtk_single_selection_set_selected (self->selection,
                                       MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->cases)) - 1));
}

static void
delete_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CbCasesPage *self = CB_CASES_PAGE (widget);
  guint position;

  if (self->selection == NULL)
    return;

  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  delete_case (self, cb_case_list_get_id (self->cases, position));
}

void
cb_cases_page_set_store (CbCasesPage *self,
                         CbCaseStore *store)
{
  g_return_if_fail (CB_IS_CASES_PAGE (self));
  g_return_if_fail (store == NULL || CB_IS_CASE_STORE (store));

  /* The window may still pass a store while it tears its pages down. */
  if (self->column_view == NULL)
    return;

  /* An editor on the other database would save into the wrong one. */
  if (self->editor != NULL && self->store != store)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  g_set_object (&self->store, store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.delete-selected",
                                 store != NULL && !cb_case_store_is_read_only (store));
  refresh_areas (self);
  clear_filters (self);
}

/**
 * cb_cases_page_get_query:
 *
 * Returns: (transfer none): the search and filters the page shows
 */
CbCaseQuery *
cb_cases_page_get_query (CbCasesPage *self)
{
  g_return_val_if_fail (CB_IS_CASES_PAGE (self), NULL);

  return self->query;
}

void
cb_cases_page_new_case (CbCasesPage *self)
{
  g_return_if_fail (CB_IS_CASES_PAGE (self));

  if (self->store == NULL)
    {
      show_message (self, _("There is no database open to add the case to"));
      return;
    }

  if (cb_case_store_is_read_only (self->store))
    {
      show_message (self, _("The database is read-only: no case can be added"));
      return;
    }

  open_editor (self, NULL);
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
  GtkRoot *root;
  CbImportDialog *dialog;

  g_return_if_fail (CB_IS_CASES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->store == NULL)
    {
      show_message (self, _("There is no database open to import the cases into"));
      return;
    }

  /* A file dropped on the window or handed over by a second instance
   * arrives here even while Import is off. */
  if (cb_case_store_is_read_only (self->store))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("“%s” was not imported: the database is read-only"),
                                                  name);

      show_message (self, message);
      return;
    }

  dialog = cb_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 self->store, file);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cb_cases_page_dispose (GObject *object)
{
  CbCasesPage *self = CB_CASES_PAGE (object);

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));
  g_clear_weak_pointer (&self->editor);

  /* The view's sorter changes as its columns go. */
  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                            on_sorter_changed, self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  g_clear_object (&self->selection);
  g_clear_object (&self->cases);
  g_clear_object (&self->query);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_CASES_PAGE);

  G_OBJECT_CLASS (cb_cases_page_parent_class)->dispose (object);
}

static void
cb_cases_page_class_init (CbCasesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_cases_page_dispose;

  g_type_ensure (CB_TYPE_CHOICE_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-cases-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, area_button);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, area_popover);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, sentence_button);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, sentence_popover);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, gaps_button);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, gaps_popover);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CbCasesPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_status_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_areas_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_area_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_sentence_types_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_gaps_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "cases.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "cases.delete-selected", NULL, delete_selected_action);
}

static void
cb_cases_page_init (CbCasesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->query = cb_case_query_new ();
  cb_case_columns_add (self->column_view);
  gtk_column_view_sort_by_column (self->column_view,
                                  cb_case_columns_find (self->column_view, CB_FIELD_CASE_REF),
                                  GTK_SORT_ASCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);

  fill_fixed_choices (self);
  update_filter_buttons (self);
  update_view (self);
}
