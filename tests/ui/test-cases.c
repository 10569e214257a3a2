/* test-cases.c — the Cases page and the case editor in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test drives the real widgets (check buttons, combo rows, entry
 * rows, the column view's header gesture and activate signal, the toast's
 * Undo button) and checks the result against the database file read over
 * a separate SQLite connection with SQL written here by hand.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cb-case-editor.h"
#include "cb-cases-page.h"
#include "cb-choice-popover.h"
#include "cb-demo-data.h"
#include "cb-ui-test-util.h"

/* The practice gaps of DATA-DICTIONARY.md over the raw columns: yes/no are
 * 1/0/NULL, substances and requirements bit sets in code-list order
 * (heroin, methadone_not_prescribed, other_opiates are bits 0-2; drr is
 * bit 0 of the requirements). Written from the dictionary, not from the
 * model's stored "gaps" column. */
static const struct {
  const char *id;
  const char *where;
} gap_sql[] = {
  { "not_tested", "drug_misuse = 1 AND (tested IS NULL OR tested = 0)" },
  { "priority_no_intervention",
    "priority_factor = 1 AND (intervention IS NULL OR intervention = 'none')" },
  { "not_referred", "drug_misuse = 1 AND referred_on IS NULL" },
  { "drr_no_consent", "(requirements & 1) != 0 AND (drr_consent IS NULL OR drr_consent = 0)" },
  { "opiate_no_naloxone", "(substances & 7) != 0 AND (naloxone IS NULL OR naloxone = 0)" },
  { "continuity_missed",
    "released_on IS NOT NULL AND custody_treatment = 1 AND "
    "(community_treatment_on IS NULL "
    " OR julianday(community_treatment_on) - julianday(released_on) < 0"
    " OR julianday(community_treatment_on) - julianday(released_on) > 21)" },
  { "incomplete",
    "drug_misuse IS NULL OR (drug_misuse = 1 AND (substances IS NULL OR main_substance IS NULL"
    " OR use_frequency IS NULL OR injecting IS NULL OR priority_factor IS NULL"
    " OR motivation IS NULL OR tested IS NULL))" },
};

/* ---- the database, read behind the application's back ---- */

static char *
sql_text (const char *sql)
{
  sqlite3 *db = cb_ui_open_db (NULL, SQLITE_OPEN_READONLY);
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* Every column of every row (the row id and the derived gap columns
 * too), NULL kept apart from empty, as one string to compare. */
static char *
dump_rows (const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM cases WHERE %s ORDER BY id", where);
  GString *dump = g_string_new (NULL);
  sqlite3 *db = cb_ui_open_db (NULL, SQLITE_OPEN_READONLY);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
            g_string_append_printf (dump, "%s=<null>|", sqlite3_column_name (stmt, i));
          else
            g_string_append_printf (dump, "%s=%s|", sqlite3_column_name (stmt, i),
                                    (const char *) sqlite3_column_text (stmt, i));
        }
      g_string_append_c (dump, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (dump, FALSE);
}

/* Compares two dumps row by row, so a failure names the row that differs. */
static void
assert_same_rows (const char *actual,
                  const char *expected)
{
  g_auto(GStrv) a = g_strsplit (actual, "\n", -1);
  g_auto(GStrv) b = g_strsplit (expected, "\n", -1);

  for (guint i = 0; a[i] != NULL && b[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
}

/* ---- finding what the person sees ---- */

static void
collect_widgets (GtkWidget *root,
                 GType      type,
                 GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect_widgets (child, type, found);
    }
}

static CbCasesPage *
show_cases_page (CbUiFixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "cases");
  cb_ui_wait (50);
  g_assert_cmpstr (cb_window_get_page (fixture->window), ==, "cases");

  return CB_CASES_PAGE (cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_CASES_PAGE));
}

static GtkColumnView *
page_view (CbCasesPage *page)
{
  return GTK_COLUMN_VIEW (cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW));
}

static GListModel *
page_model (CbCasesPage *page)
{
  return G_LIST_MODEL (gtk_column_view_get_model (page_view (page)));
}

/* The "N of M cases" label. */
static const char *
count_text (CbCasesPage *page)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (page), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_label (g_ptr_array_index (labels, i));

      if (g_regex_match_simple ("^[0-9]+ of [0-9]+ cases?$", text, 0, 0))
        {
          g_assert_true (cb_ui_is_shown (g_ptr_array_index (labels, i)));
          return text;
        }
    }

  g_assert_not_reached ();
}

static void
assert_shows (CbCasesPage *page,
              guint        shown,
              guint        total)
{
  g_autofree char *expected = g_strdup_printf ("%u of %u case%s", shown, total, total == 1 ? "" : "s");

  g_assert_cmpuint (g_list_model_get_n_items (page_model (page)), ==, shown);
  g_assert_cmpstr (count_text (page), ==, expected);
}

static GtkCheckButton *
find_choice (CbCasesPage *page,
             const char  *id)
{
  g_autoptr(GPtrArray) popovers = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (page), CB_TYPE_CHOICE_POPOVER, popovers);
  for (guint i = 0; i < popovers->len; i++)
    {
      GtkCheckButton *check = cb_choice_popover_get_check (g_ptr_array_index (popovers, i), id);

      if (check != NULL)
        return check;
    }

  g_assert_not_reached ();
}

static void
set_choice (CbCasesPage *page,
            const char  *id,
            gboolean     active)
{
  gtk_check_button_set_active (find_choice (page, id), active);
  cb_ui_wait (10);
}

static CbCaseEditor *
find_editor (void)
{
  return (CbCaseEditor *) cb_ui_find_toplevel (CB_TYPE_CASE_EDITOR);
}

static CbCaseEditor *
wait_for_editor (void)
{
  g_assert_true (cb_ui_wait_for_toplevel (CB_TYPE_CASE_EDITOR, 3000));
  cb_ui_wait (50);
  return find_editor ();
}

static void
wait_editor_closed (void)
{
  g_assert_true (cb_ui_wait_for_no_toplevel (CB_TYPE_CASE_EDITOR, 3000));
  cb_ui_wait (20);
}

static void
type_text (CbCaseEditor *editor,
           CbFieldId     field,
           const char   *text)
{
  GtkWidget *input = cb_case_editor_get_input (editor, field);

  if (GTK_IS_TEXT_VIEW (input))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (input), text);
}

static guint
combo_selected (CbCaseEditor *editor,
                CbFieldId     field)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (cb_case_editor_get_input (editor, field)));
}

/* Position 0 is "Not recorded"; then the codes, or Yes and No. */
static void
choose (CbCaseEditor *editor,
        CbFieldId     field,
        const char   *code)
{
  const CbField *info = cb_field_get (field);
  guint position = 0;

  if (code != NULL && info->type == CB_FIELD_TYPE_YES_NO)
    position = g_str_equal (code, "yes") ? 1 : 2;
  else if (code != NULL)
    position = cb_field_find_code (info, code) + 1;

  adw_combo_row_set_selected (ADW_COMBO_ROW (cb_case_editor_get_input (editor, field)), position);
}

static void
tick (CbCaseEditor *editor,
      CbFieldId     field,
      const char   *code,
      gboolean      active)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  int index = cb_field_find_code (cb_field_get (field), code);

  collect_widgets (cb_case_editor_get_input (editor, field), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, cb_field_get (field)->n_codes);
  gtk_check_button_set_active (g_ptr_array_index (checks, index), active);
}

/* A keyboard activation: GTK shows the button pressed for a moment and
 * emits "clicked" after 250 ms. */
static void
press (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  cb_ui_wait (400);
}

static void
click_save (CbCaseEditor *editor)
{
  GtkWidget *save = cb_ui_find_action_button (GTK_WIDGET (editor), "editor.save");

  g_assert_nonnull (save);
  g_assert_true (gtk_widget_is_sensitive (save));
  gtk_widget_activate (save);
  wait_editor_closed ();
}

/* The message shown under a field, as the person reads it. */
static void
assert_problem_shown (CbCaseEditor *editor,
                      CbFieldId     field,
                      const char   *fragment)
{
  const char *problem = cb_case_editor_get_problem (editor, field);
  GtkWidget *label;

  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, fragment));
  label = cb_ui_find_label (GTK_WIDGET (editor), problem);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label) && gtk_widget_get_child_visible (label));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (label)));
  g_assert_false (gtk_widget_is_sensitive (cb_ui_find_action_button (GTK_WIDGET (editor),
                                                                     "editor.save")));
}

static void
activate_row_of (CbCasesPage *page,
                 gint64       id)
{
  GListModel *model = page_model (page);
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CbCase) record = g_list_model_get_item (model, i);

      if (cb_case_get_id (record) == id)
        {
          position = i;
          break;
        }
    }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);

  /* What Enter or a double-click on the row emits. */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), position, TRUE);
  g_signal_emit_by_name (page_view (page), "activate", position);
}

static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);

  return NULL;
}

/* ---- the tests ---- */

/* Each practice-gap check button gives exactly the cases the dictionary's
 * rule selects, and the flags narrow together (AND). */
static void
test_gap_filters (CbUiFixture   *fixture,
                  gconstpointer  data)
{
  CbCasesPage *page;
  guint total;
  /* CASEBOOK_TEST_QUICK=1 (the valgrind setup): fewer cases, each
   * practice-gap check still selects some of them. */
  guint n_cases = g_strcmp0 (g_getenv ("CASEBOOK_TEST_QUICK"), "1") == 0 ? 2000 : 10000;

  cb_ui_fill_default_database (n_cases, 7);
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);
  total = cb_ui_sql_count ("1");
  g_assert_cmpuint (total, ==, n_cases);
  assert_shows (page, total, total);

  for (guint i = 0; i < G_N_ELEMENTS (gap_sql); i++)
    {
      guint expected = cb_ui_sql_count (gap_sql[i].where);

      g_test_message ("%s: %u cases", gap_sql[i].id, expected);
      g_assert_cmpuint (expected, >, 0);
      g_assert_cmpuint (expected, <, total);

      set_choice (page, gap_sql[i].id, TRUE);
      assert_shows (page, expected, total);
      set_choice (page, gap_sql[i].id, FALSE);
      assert_shows (page, total, total);
    }

  /* Two flags: cases failing both checks. */
  {
    g_autofree char *both = g_strdup_printf ("(%s) AND (%s)", gap_sql[0].where, gap_sql[2].where);
    g_autofree char *three = g_strdup_printf ("(%s) AND (%s) AND (%s)", gap_sql[0].where,
                                              gap_sql[4].where, gap_sql[6].where);

    set_choice (page, gap_sql[0].id, TRUE);
    set_choice (page, gap_sql[2].id, TRUE);
    assert_shows (page, cb_ui_sql_count (both), total);
    set_choice (page, gap_sql[2].id, FALSE);
    set_choice (page, gap_sql[4].id, TRUE);
    set_choice (page, gap_sql[6].id, TRUE);
    assert_shows (page, cb_ui_sql_count (three), total);
  }

  cb_ui_wait (150);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "cases-gap-filter.png");
  {
    GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (find_choice (page, "not_tested")),
                                                  CB_TYPE_CHOICE_POPOVER);

    gtk_popover_popup (GTK_POPOVER (popover));
    cb_ui_wait (300);
    cb_ui_save_screenshot (popover, "cases-gap-popover.png");
    gtk_popover_popdown (GTK_POPOVER (popover));
    cb_ui_wait (50);
  }
  gtk_widget_activate_action (GTK_WIDGET (page), "cases.clear-filters", NULL);
  cb_ui_wait (20);
  assert_shows (page, total, total);
}

static gboolean
count_is (gpointer data)
{
  gpointer *args = data;
  CbCasesPage *page = args[0];

  return g_list_model_get_n_items (page_model (page)) == GPOINTER_TO_UINT (args[1]);
}

/* Area, sentence type, status and the search box, each and together,
 * with "N of M" right after every change. */
static void
test_other_filters (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *today = cb_today_iso ();
  g_autofree char *active = g_strdup_printf ("start_date <= '%s' AND (end_date IS NULL OR end_date >= '%s')",
                                             today, today);
  g_autofree char *closed = g_strdup_printf ("end_date < '%s'", today);
  g_autofree char *active_leeds_licence = NULL;
  const char *search = "area LIKE '%leeds%' OR case_ref LIKE '%leeds%' OR team LIKE '%leeds%' "
                       "OR provider LIKE '%leeds%'";
  GtkDropDown *status;
  GtkSearchEntry *entry;
  CbCasesPage *page;
  gpointer args[2];
  guint total;

  cb_ui_fill_default_database (3000, 7);
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);
  total = cb_ui_sql_count ("1");

  set_choice (page, "Leeds", TRUE);
  assert_shows (page, cb_ui_sql_count ("area = 'Leeds'"), total);
  set_choice (page, "Bristol", TRUE);
  assert_shows (page, cb_ui_sql_count ("area IN ('Leeds', 'Bristol')"), total);
  set_choice (page, "Bristol", FALSE);

  set_choice (page, "licence", TRUE);
  assert_shows (page, cb_ui_sql_count ("area = 'Leeds' AND sentence_type = 'licence'"), total);

  status = GTK_DROP_DOWN (cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN));
  gtk_drop_down_set_selected (status, 1);
  cb_ui_wait (10);
  active_leeds_licence = g_strdup_printf ("area = 'Leeds' AND sentence_type = 'licence' AND %s", active);
  assert_shows (page, cb_ui_sql_count (active_leeds_licence), total);

  gtk_widget_activate_action (GTK_WIDGET (page), "cases.clear-filters", NULL);
  cb_ui_wait (10);
  assert_shows (page, total, total);
  g_assert_cmpuint (gtk_drop_down_get_selected (status), ==, 0);
  g_assert_false (gtk_check_button_get_active (find_choice (page, "Leeds")));

  gtk_drop_down_set_selected (status, 2);
  cb_ui_wait (10);
  assert_shows (page, cb_ui_sql_count (closed), total);
  gtk_drop_down_set_selected (status, 0);
  cb_ui_wait (10);

  /* The search box waits for a pause in typing, then filters. */
  entry = GTK_SEARCH_ENTRY (cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (entry), "leeds");
  args[0] = page;
  args[1] = GUINT_TO_POINTER (cb_ui_sql_count (search));
  g_assert_true (cb_ui_wait_for (count_is, args, 3000));
  assert_shows (page, cb_ui_sql_count (search), total);
}

/* A header click ends in the column view's sorter (GTK's header widget
 * checks the pointer button of a real event, which a test cannot fake):
 * sort by the column the header belongs to, as the click does. */
static void
sort_by_header (CbCasesPage *page,
                const char  *title,
                GtkSortType  order)
{
  GListModel *columns = gtk_column_view_get_columns (page_view (page));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_str_equal (gtk_column_view_column_get_title (column), title))
        {
          gtk_column_view_sort_by_column (page_view (page), column, order);
          cb_ui_wait (20);
          return;
        }
    }

  g_assert_not_reached ();
}

static void
assert_order (CbCasesPage *page,
              const char  *order_by)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM cases ORDER BY %s", order_by);
  GListModel *model = page_model (page);
  sqlite3 *db = cb_ui_open_db (NULL, SQLITE_OPEN_READONLY);
  sqlite3_stmt *stmt = NULL;
  guint position = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(CbCase) record = g_list_model_get_item (model, position++);

      g_assert_cmpint (cb_case_get_id (record), ==, sqlite3_column_int64 (stmt, 0));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (position, ==, g_list_model_get_n_items (model));
}

static void
test_sort_by_header (CbUiFixture   *fixture,
                     gconstpointer  data)
{
  CbCasesPage *page;
  GListModel *columns;

  cb_ui_fill_default_database (500, 7);
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);
  assert_order (page, "case_ref ASC, id ASC");

  sort_by_header (page, "Start date", GTK_SORT_ASCENDING);
  assert_order (page, "start_date ASC, id ASC");
  sort_by_header (page, "Start date", GTK_SORT_DESCENDING);
  assert_order (page, "start_date DESC, id DESC");

  sort_by_header (page, "Gaps", GTK_SORT_ASCENDING);
  assert_order (page, "gap_count ASC, id ASC");
  sort_by_header (page, "Gaps", GTK_SORT_DESCENDING);
  assert_order (page, "gap_count DESC, id DESC");

  /* The order survives a filter change. */
  set_choice (page, "not_tested", TRUE);
  assert_shows (page, cb_ui_sql_count (gap_sql[0].where), 500);
  set_choice (page, "not_tested", FALSE);
  assert_order (page, "gap_count DESC, id DESC");

  sort_by_header (page, "Referred", GTK_SORT_ASCENDING);
  assert_order (page, "referred_on ASC, id ASC");
  sort_by_header (page, "Tested", GTK_SORT_DESCENDING);
  assert_order (page, "tested DESC, id DESC");

  /* Class A has no column in SQL to sort by, so its header does not sort. */
  columns = gtk_column_view_get_columns (page_view (page));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      gboolean class_a = g_str_equal (gtk_column_view_column_get_title (column), "Class A");

      g_assert_true ((gtk_column_view_column_get_sorter (column) == NULL) == class_a);
    }
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 10);
  cb_ui_wait (150);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "cases-sorted.png");
}

/* A new case through the editor, edited, deleted and restored by Undo:
 * the store ends as it was before the delete, field for field and with
 * the same row id, and the other cases are never touched. */
static void
test_create_edit_delete_undo (CbUiFixture   *fixture,
                              gconstpointer  data)
{
  g_autofree char *others = NULL;
  g_autofree char *after_edit = NULL;
  g_autofree char *after_undo = NULL;
  g_autofree char *others_after = NULL;
  CbCaseStore *store;
  CbCasesPage *page;
  CbCaseEditor *editor;
  g_autoptr(CbCase) created = NULL;
  g_autoptr(CbCase) edited = NULL;
  GtkWidget *undo;
  gint64 id;

  cb_ui_fill_default_database (50, 7);
  others = dump_rows ("1");
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);
  store = cb_application_get_store (fixture->app);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-case", NULL);
  editor = wait_for_editor ();
  g_assert_false (cb_case_editor_can_save (editor));

  type_text (editor, CB_FIELD_CASE_REF, "T-0001");
  type_text (editor, CB_FIELD_AREA, "Leeds");
  choose (editor, CB_FIELD_SENTENCE_TYPE, "licence");
  type_text (editor, CB_FIELD_START_DATE, "03/04/2025");
  type_text (editor, CB_FIELD_BIRTH_YEAR, "1988");
  choose (editor, CB_FIELD_DRUG_MISUSE, "yes");
  tick (editor, CB_FIELD_SUBSTANCES, "heroin", TRUE);
  tick (editor, CB_FIELD_SUBSTANCES, "cannabis", TRUE);
  choose (editor, CB_FIELD_MAIN_SUBSTANCE, "heroin");
  choose (editor, CB_FIELD_TESTED, "no");
  tick (editor, CB_FIELD_REQUIREMENTS, "drr", TRUE);
  type_text (editor, CB_FIELD_NOTES, "First line\nSecond line, with “quotes”");
  g_assert_true (cb_case_editor_can_save (editor));
  cb_ui_wait (150);
  cb_ui_save_screenshot (GTK_WIDGET (editor), "case-editor-new.png");
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (cb_ui_find_by_type (GTK_WIDGET (editor),
                                                                           GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (cb_case_editor_get_input (editor, CB_FIELD_SUBSTANCES)), TRUE);
    cb_ui_wait (300);
    gtk_adjustment_set_value (adjustment, 1050);
    cb_ui_wait (150);
    cb_ui_save_screenshot (GTK_WIDGET (editor), "case-editor-drug-use.png");
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    cb_ui_wait (150);
    cb_ui_save_screenshot (GTK_WIDGET (editor), "case-editor-end.png");
  }
  click_save (editor);

  created = cb_case_store_get_by_ref (store, "T-0001", NULL);
  g_assert_nonnull (created);
  id = cb_case_get_id (created);
  g_assert_cmpstr (cb_case_get (created, CB_FIELD_START_DATE), ==, "2025-04-03");
  g_assert_cmpstr (cb_case_get (created, CB_FIELD_SUBSTANCES), ==, "heroin;cannabis");
  g_assert_cmpstr (cb_case_get (created, CB_FIELD_TESTED), ==, "no");
  g_assert_cmpstr (cb_case_get (created, CB_FIELD_REQUIREMENTS), ==, "drr");
  g_assert_cmpstr (cb_case_get (created, CB_FIELD_NOTES), ==, "First line\nSecond line, with “quotes”");
  g_assert_null (cb_case_get (created, CB_FIELD_NALOXONE));
  g_assert_null (cb_case_get (created, CB_FIELD_TEAM));
  assert_shows (page, 51, 51);

  /* Edit: Enter on the row opens it; two fields change, none other. */
  activate_row_of (page, id);
  editor = wait_for_editor ();
  g_assert_cmpint (cb_case_editor_get_case_id (editor), ==, id);
  g_assert_true (cb_case_editor_can_save (editor));
  g_assert_cmpuint (combo_selected (editor, CB_FIELD_NALOXONE), ==, 0);
  type_text (editor, CB_FIELD_TEAM, "North \"Hub\", Station Road");
  choose (editor, CB_FIELD_NALOXONE, "yes");
  click_save (editor);

  edited = cb_case_store_get_by_id (store, id, NULL);
  g_assert_cmpstr (cb_case_get (edited, CB_FIELD_TEAM), ==, "North \"Hub\", Station Road");
  g_assert_cmpstr (cb_case_get (edited, CB_FIELD_NALOXONE), ==, "yes");
  cb_case_set (created, CB_FIELD_TEAM, "North \"Hub\", Station Road");
  cb_case_set (created, CB_FIELD_NALOXONE, "yes");
  g_assert_true (cb_case_equal (created, edited));
  after_edit = dump_rows ("1");

  /* Delete on the selected row, then Undo on the toast. */
  activate_row_of (page, id);
  editor = wait_for_editor ();
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  wait_editor_closed ();
  gtk_widget_activate_action (GTK_WIDGET (page_view (page)), "cases.delete-selected", NULL);
  cb_ui_wait (50);
  g_assert_cmpint (cb_ui_sql_count ("1"), ==, 50);
  assert_shows (page, 50, 50);
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (fixture->window), "Case T-0001 deleted"));

  undo = find_button_labelled (GTK_WIDGET (fixture->window), "_Undo");
  press (undo);

  after_undo = dump_rows ("1");
  assert_same_rows (after_undo, after_edit);
  assert_shows (page, 51, 51);
  others_after = dump_rows ("case_ref != 'T-0001'");
  assert_same_rows (others_after, others);

  /* The restored case is selected again. */
  g_assert_cmpint (cb_case_get_id (gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (page_model (page)))),
                   ==, id);
}

/* Each kind of mistake keeps Save off and says why beside the field; "not
 * recorded" stays apart from "no" through a save and a reload. */
static void
test_invalid_input (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *taken = NULL;
  CbCasesPage *page;
  CbCaseEditor *editor;
  gint64 id;

  cb_ui_fill_default_database (20, 7);
  taken = sql_text ("SELECT case_ref FROM cases ORDER BY id LIMIT 1");
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-case", NULL);
  editor = wait_for_editor ();
  assert_problem_shown (editor, CB_FIELD_CASE_REF, "required");

  type_text (editor, CB_FIELD_CASE_REF, "bad ref!");
  assert_problem_shown (editor, CB_FIELD_CASE_REF, "only letters, digits");
  g_assert_true (gtk_widget_has_css_class (cb_case_editor_get_input (editor, CB_FIELD_CASE_REF), "error"));

  type_text (editor, CB_FIELD_CASE_REF, taken);
  assert_problem_shown (editor, CB_FIELD_CASE_REF, "already used by another case");

  type_text (editor, CB_FIELD_CASE_REF, "T-NEW-1");
  g_assert_null (cb_case_editor_get_problem (editor, CB_FIELD_CASE_REF));
  type_text (editor, CB_FIELD_AREA, "Bristol");
  choose (editor, CB_FIELD_SENTENCE_TYPE, "community_order");

  type_text (editor, CB_FIELD_START_DATE, "31/02/2025");
  assert_problem_shown (editor, CB_FIELD_START_DATE, "not a valid date");
  type_text (editor, CB_FIELD_START_DATE, "01/03/2025");
  type_text (editor, CB_FIELD_END_DATE, "2025-02-01");
  assert_problem_shown (editor, CB_FIELD_END_DATE, "end date is before the start date");
  type_text (editor, CB_FIELD_END_DATE, "");

  type_text (editor, CB_FIELD_REFERRED_ON, "2025-03-10");
  type_text (editor, CB_FIELD_TREATMENT_STARTED_ON, "2025-03-01");
  assert_problem_shown (editor, CB_FIELD_TREATMENT_STARTED_ON, "before the referral");
  type_text (editor, CB_FIELD_TREATMENT_STARTED_ON, "2025-03-20");

  tick (editor, CB_FIELD_SUBSTANCES, "crack", TRUE);
  choose (editor, CB_FIELD_MAIN_SUBSTANCE, "cocaine");
  assert_problem_shown (editor, CB_FIELD_MAIN_SUBSTANCE, "not among the substances");
  type_text (editor, CB_FIELD_BIRTH_YEAR, "1890");
  assert_problem_shown (editor, CB_FIELD_BIRTH_YEAR, "is not a year");
  cb_ui_wait (150);
  cb_ui_save_screenshot (GTK_WIDGET (editor), "case-editor-problems.png");

  type_text (editor, CB_FIELD_BIRTH_YEAR, "");
  choose (editor, CB_FIELD_MAIN_SUBSTANCE, "crack");
  choose (editor, CB_FIELD_DRUG_MISUSE, "no");
  choose (editor, CB_FIELD_TESTED, NULL);
  g_assert_true (cb_case_editor_can_save (editor));
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (editor), "T-NEW-1"));
  click_save (editor);

  /* On disk: no is 0, not recorded is NULL. */
  id = cb_ui_sql_int (NULL, "SELECT id FROM cases WHERE case_ref = 'T-NEW-1'");
  g_assert_cmpuint (cb_ui_sql_count ("case_ref = 'T-NEW-1' AND drug_misuse = 0 AND tested IS NULL "
                               "AND naloxone IS NULL AND start_date = '2025-03-01'"), ==, 1);

  /* Read back into a new editor: still "No" and "Not recorded". */
  activate_row_of (page, id);
  editor = wait_for_editor ();
  g_assert_cmpuint (combo_selected (editor, CB_FIELD_DRUG_MISUSE), ==, 2);
  g_assert_cmpuint (combo_selected (editor, CB_FIELD_TESTED), ==, 0);
  g_assert_cmpuint (combo_selected (editor, CB_FIELD_NALOXONE), ==, 0);
  g_assert_false (cb_case_editor_has_changes (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  wait_editor_closed ();
}

/* The editor lists the case's gaps with their guidance, follows the edits,
 * and "Read Guidance" opens the card in the window (asking first when
 * there are unsaved changes). */
static void
test_gaps_and_guidance (CbUiFixture   *fixture,
                        gconstpointer  data)
{
  CbCasesPage *page;
  CbCaseEditor *editor;
  GtkWidget *read;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GList) windows = NULL;
  gint64 id;

  cb_ui_fill_default_database (300, 7);
  id = cb_ui_sql_int (NULL, "SELECT id FROM cases WHERE (substances & 7) != 0 AND naloxone IS NULL "
                "ORDER BY id LIMIT 1");
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);

  activate_row_of (page, id);
  editor = wait_for_editor ();
  g_assert_true (cb_case_editor_get_gaps (editor) & CB_GAP_OPIATE_NO_NALOXONE);
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (editor), "Opiate user without naloxone"));
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (editor), "Guidance: "));
  cb_ui_wait (150);
  cb_ui_save_screenshot (GTK_WIDGET (editor), "case-editor-gaps.png");
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (cb_ui_find_by_type (GTK_WIDGET (editor),
                                                                           GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    cb_ui_wait (150);
    cb_ui_save_screenshot (GTK_WIDGET (editor), "case-editor-existing-end.png");
    gtk_adjustment_set_value (adjustment, 0);
  }
  g_assert_true (cb_ui_find_action_button (GTK_WIDGET (editor), "editor.delete") != NULL);

  /* Recording naloxone closes the gap as the person edits. */
  choose (editor, CB_FIELD_NALOXONE, "yes");
  g_assert_false (cb_case_editor_get_gaps (editor) & CB_GAP_OPIATE_NO_NALOXONE);
  choose (editor, CB_FIELD_NALOXONE, NULL);
  g_assert_true (cb_case_editor_get_gaps (editor) & CB_GAP_OPIATE_NO_NALOXONE);
  g_assert_true (cb_case_editor_has_changes (editor));

  read = NULL;
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    collect_widgets (GTK_WIDGET (editor), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      {
        GVariant *target = gtk_actionable_get_action_target_value (g_ptr_array_index (buttons, i));

        if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), "harm-naloxone"))
          read = g_ptr_array_index (buttons, i);
      }
  }
  press (read);

  /* Unsaved changes: the editor asks before it closes. */
  windows = gtk_window_list_toplevels ();
  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  wait_editor_closed ();

  g_assert_cmpstr (cb_window_get_page (fixture->window), ==, "guidance");
  g_assert_cmpuint (cb_ui_sql_count ("naloxone IS NULL AND id = (SELECT min(id) FROM cases WHERE "
                               "(substances & 7) != 0 AND naloxone IS NULL)"), ==, 1);
}

/* The editor's Delete Case button removes the case, and Undo puts it
 * back as it was. */
static void
test_delete_from_editor (CbUiFixture   *fixture,
                         gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *toast = NULL;
  CbCasesPage *page;
  CbCaseEditor *editor;
  gint64 id;

  cb_ui_fill_default_database (20, 7);
  before = dump_rows ("1");
  id = cb_ui_sql_int (NULL, "SELECT id FROM cases WHERE notes IS NOT NULL AND team IS NOT NULL ORDER BY id LIMIT 1");
  ref = sql_text ("SELECT case_ref FROM cases WHERE notes IS NOT NULL AND team IS NOT NULL "
                  "ORDER BY id LIMIT 1");
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);

  activate_row_of (page, id);
  editor = wait_for_editor ();
  press (cb_ui_find_action_button (GTK_WIDGET (editor), "editor.delete"));
  wait_editor_closed ();
  g_assert_cmpuint (cb_ui_sql_count ("1"), ==, 19);
  assert_shows (page, 19, 19);

  toast = g_strdup_printf ("Case %s deleted", ref);
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (fixture->window), toast));
  press (find_button_labelled (GTK_WIDGET (fixture->window), "_Undo"));
  after = dump_rows ("1");
  assert_same_rows (after, before);
  assert_shows (page, 20, 20);
}

/* A phone-sized window: the page no longer holds the window wide. The
 * filter row scrolls sideways, and a filter reached with the keyboard
 * is scrolled into view. */
static void
test_narrow_window (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) menu_buttons = g_ptr_array_new ();
  GtkScrolledWindow *filters;
  GtkAdjustment *adjustment;
  GtkWidget *gaps_button;
  CbCasesPage *page;
  int minimum;

  cb_ui_fill_default_database (300, 7);
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);

  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 400);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  cb_ui_wait (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page_view (page))), >, 0);
  assert_shows (page, 300, 300);

  /* The filters are wider than the window: their row scrolls. The last
   * filter button is the practice gaps one, at the far end. */
  collect_widgets (GTK_WIDGET (page), GTK_TYPE_MENU_BUTTON, menu_buttons);
  g_assert_cmpuint (menu_buttons->len, ==, 3);
  gaps_button = g_ptr_array_index (menu_buttons, menu_buttons->len - 1);
  filters = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (gaps_button, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_nonnull (filters);
  adjustment = gtk_scrolled_window_get_hadjustment (filters);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);

  gtk_widget_grab_focus (gaps_button);
  cb_ui_wait (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "cases-narrow.png");
}

/* The page's two empty states: no cases at all, and none matching. */
static void
test_empty_states (CbUiFixture   *fixture,
                   gconstpointer  data)
{
  CbCasesPage *page;
  CbCaseEditor *editor;
  GtkSearchEntry *entry;
  GtkWidget *clear;
  gpointer args[2];

  cb_ui_start_app (fixture);
  g_assert_true (cb_window_is_empty_state (fixture->window));

  /* "Add a Case" from the first-start page opens the editor on the page. */
  press (cb_ui_find_action_button (GTK_WIDGET (fixture->window), "win.new-case"));
  editor = wait_for_editor ();
  page = CB_CASES_PAGE (cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_CASES_PAGE));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (page), "No Cases")));
  assert_shows (page, 0, 0);

  /* Escape leaves an untouched editor at once. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  wait_editor_closed ();
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (page), "No Cases")));
  cb_ui_wait (150);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "cases-empty.png");

  /* Cases arrive (as from an import); a search that matches none. */
  cb_demo_data_generate (cb_application_get_store (fixture->app), 30, 7, NULL,
                         NULL, NULL, NULL, NULL);
  show_cases_page (fixture);
  assert_shows (page, 30, 30);

  entry = GTK_SEARCH_ENTRY (cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (entry), "no-such-case");
  args[0] = page;
  args[1] = GUINT_TO_POINTER (0);
  g_assert_true (cb_ui_wait_for (count_is, args, 3000));
  cb_ui_wait (20);
  assert_shows (page, 0, 30);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (page), "No Matching Cases")));
  cb_ui_wait (150);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "cases-no-match.png");

  /* The status page's own "Clear Filters" brings every case back. */
  clear = NULL;
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    collect_widgets (GTK_WIDGET (page), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)),
                     "cases.clear-filters") == 0 &&
          cb_ui_is_shown (g_ptr_array_index (buttons, i)) &&
          gtk_widget_has_css_class (g_ptr_array_index (buttons, i), "pill"))
        clear = g_ptr_array_index (buttons, i);
  }
  press (clear);
  assert_shows (page, 30, 30);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

static gboolean
read_status_kib (const char *key,
                 long       *kib)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      !(line = strstr (status, key)))
    return FALSE;

  *kib = strtol (line + strlen (key), NULL, 10);
  return TRUE;
}

/* Not a timed test: with CASEBOOK_UI_BENCH_CASES=N set, fills N demo cases
 * in another process, opens the Cases page, filters and scrolls, and
 * prints the resident memory. */
static void
test_memory (CbUiFixture   *fixture,
             gconstpointer  data)
{
  const char *cases = g_getenv ("CASEBOOK_UI_BENCH_CASES");
  g_autofree char *cli = g_build_filename (BUILD_ROOT, "src", "cli", "casebook-cli", NULL);
  g_autofree char *db = cb_ui_default_db_path ();
  g_autofree char *folder = g_path_get_dirname (db);
  g_autoptr(GError) error = NULL;
  GtkAdjustment *vadjustment;
  CbCasesPage *page;
  long hwm = 0, rss = 0;
  int status = 0;
  gint64 start;

  if (cases == NULL)
    {
      g_test_skip ("Set CASEBOOK_UI_BENCH_CASES to measure");
      return;
    }

  {
    const char *argv[] = { cli, "--db", db, "demo", "--cases", cases, NULL };

    g_mkdir_with_parents (folder, 0700);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                  NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  start = g_get_monotonic_time ();
  cb_ui_start_app (fixture);
  page = show_cases_page (fixture);
  g_test_message ("start-up with the Cases page: %.0f ms (including 150 ms of waits)",
                  (g_get_monotonic_time () - start) / 1000.0);

  set_choice (page, "not_referred", TRUE);
  set_choice (page, "not_referred", FALSE);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (cb_ui_find_by_type (GTK_WIDGET (page_view (page)),
                                                                                    GTK_TYPE_LIST_VIEW)));
  for (guint i = 1; i <= 20; i++)
    {
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment) * i / 20.0);
      cb_ui_wait (20);
    }

  g_assert_true (read_status_kib ("VmHWM:", &hwm));
  g_assert_true (read_status_kib ("VmRSS:", &rss));
  g_test_message ("%s cases: %s; peak resident %.1f MiB, now %.1f MiB",
                  cases, count_text (page), hwm / 1024.0, rss / 1024.0);
  g_printerr ("# cases page with %s cases: peak resident %.1f MiB, now %.1f MiB\n",
              cases, hwm / 1024.0, rss / 1024.0);
}

int
main (int    argc,
      char **argv)
{
  cb_ui_test_init (&argc, &argv);

  CB_UI_ADD_TEST ("/cases/gap-filters", test_gap_filters);
  CB_UI_ADD_TEST ("/cases/other-filters", test_other_filters);
  CB_UI_ADD_TEST ("/cases/sort-by-header", test_sort_by_header);
  CB_UI_ADD_TEST ("/cases/create-edit-delete-undo", test_create_edit_delete_undo);
  CB_UI_ADD_TEST ("/cases/invalid-input", test_invalid_input);
  CB_UI_ADD_TEST ("/cases/gaps-and-guidance", test_gaps_and_guidance);
  CB_UI_ADD_TEST ("/cases/delete-from-editor", test_delete_from_editor);
  CB_UI_ADD_TEST ("/cases/empty-states", test_empty_states);
  CB_UI_ADD_TEST ("/cases/narrow-window", test_narrow_window);
  CB_UI_ADD_TEST ("/cases/memory", test_memory);

  return g_test_run ();
}
