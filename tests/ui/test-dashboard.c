/* test-dashboard.c — the Dashboard and Reports pages in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cb-area-chart.h"
#include "cb-area-selector.h"
#include "cb-cascade-chart.h"
#include "cb-dashboard-page.h"
#include "cb-dashboard-util.h"
#include "cb-indicator-tile.h"
#include "cb-period-selector.h"
#include "cb-reports-page.h"
#include "cb-ui-test-util.h"

#define N_CASES 1000

static CbDashboardPage *
get_dashboard (CbUiFixture *fixture)
{
  GtkWidget *page = cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_DASHBOARD_PAGE);

  g_assert_nonnull (page);
  return CB_DASHBOARD_PAGE (page);
}

static CbReportsPage *
get_reports (CbUiFixture *fixture)
{
  GtkWidget *page = cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_REPORTS_PAGE);

  g_assert_nonnull (page);
  return CB_REPORTS_PAGE (page);
}

static gboolean
dashboard_ready (gpointer data)
{
  CbDashboardPage *page = data;

  return !cb_dashboard_page_is_busy (page) && cb_dashboard_page_get_indicators (page) != NULL;
}

static void
wait_for_dashboard (CbDashboardPage *page)
{
  g_assert_true (cb_ui_wait_for (dashboard_ready, page, 10000));
  cb_ui_wait (50);
}

static CbIndicatorTile *
find_tile (GtkWidget       *root,
           CbIndicatorKind  kind)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      CbIndicatorTile *found;

      if (CB_IS_INDICATOR_TILE (child) && cb_indicator_tile_get_kind (CB_INDICATOR_TILE (child)) == kind)
        return CB_INDICATOR_TILE (child);
      if ((found = find_tile (child, kind)))
        return found;
    }

  return NULL;
}

/* The counts the model gives for the same selection, computed here
 * independently of the page. */
static CbIndicators *
compute (CbUiFixture        *fixture,
         const char         *from,
         const char         *to,
         const char * const *areas)
{
  CbCaseStore *store = cb_application_get_store (fixture->app);
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  g_autoptr(GError) error = NULL;
  CbIndicators *indicators;

  cb_case_query_set_period (query, from, to);
  cb_case_query_set_areas (query, areas);
  indicators = cb_indicators_compute (store, query, NULL, &error);
  g_assert_no_error (error);

  return indicators;
}

/* The tile shows the model's n / N, as a person reads it. */
static void
assert_tile_shows (CbDashboardPage   *page,
                   const CbIndicator *expected)
{
  CbIndicatorTile *tile = find_tile (GTK_WIDGET (page), expected->kind);
  g_autofree char *fraction = cb_format_fraction (expected);
  g_autofree char *percentage = cb_format_percentage (cb_indicator_get_percentage (expected));

  g_assert_nonnull (tile);
  g_assert_true (cb_ui_is_shown (GTK_WIDGET (tile)));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (tile), fraction)));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (tile), percentage)));
  g_assert_cmpint (cb_indicator_tile_get_comparison (tile), ==, cb_indicator_compare_national (expected));
}

static GtkWidget *
find_by_css_class (GtkWidget  *root,
                   const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (gtk_widget_has_css_class (child, css_class))
        return child;
      if ((found = find_by_css_class (child, css_class)))
        return found;
    }

  return NULL;
}

/* The caseload stands large in the page's header, not on a tile. */
static void
assert_caseload_shown (CbDashboardPage *page,
                       gint64           caseload)
{
  g_autofree char *count = cb_format_count (caseload);
  GtkWidget *label = find_by_css_class (GTK_WIDGET (page), "caseload-value");

  g_assert_true (GTK_IS_LABEL (label));
  g_assert_true (cb_ui_is_shown (label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, count);
  g_assert_null (find_tile (GTK_WIDGET (page), CB_INDICATOR_CASELOAD));
}

/* Chooses "Custom…"; returns the two date entries it reveals. */
static void
choose_custom_period (CbDashboardPage  *page,
                      GtkWidget       **from_entry,
                      GtkWidget       **to_entry)
{
  GtkWidget *selector = cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_PERIOD_SELECTOR);
  GtkWidget *drop_down = cb_ui_find_by_type (selector, GTK_TYPE_DROP_DOWN);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), CB_PERIOD_CUSTOM);
  *from_entry = cb_ui_find_by_type (selector, GTK_TYPE_ENTRY);
  *to_entry = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (*from_entry));
  g_assert_true (GTK_IS_ENTRY (*to_entry));
  /* The entries slide in. */
  g_assert_true (cb_ui_wait_for ((gboolean (*) (gpointer)) cb_ui_is_shown, *from_entry, 5000));
  g_assert_true (cb_ui_is_shown (*to_entry));
}

/* Types the two days as a person would. */
static void
set_custom_period_as_user (CbDashboardPage *page,
                           const char      *from,
                           const char      *to)
{
  GtkWidget *from_entry, *to_entry;

  choose_custom_period (page, &from_entry, &to_entry);
  gtk_editable_set_text (GTK_EDITABLE (from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (to_entry), to);
}

static void
test_period_updates_tiles (CbUiFixture   *fixture,
                           gconstpointer  data)
{
  g_autoptr(CbIndicators) today = NULL;
  g_autoptr(CbIndicators) period = NULL;
  CbDashboardPage *page;

  cb_ui_fill_default_database (N_CASES, 7);
  cb_ui_start_app (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "dashboard");
  page = get_dashboard (fixture);
  wait_for_dashboard (page);

  /* At first: today's caseload. */
  today = compute (fixture, NULL, NULL, NULL);
  assert_caseload_shown (page, cb_indicators_get_caseload (today));
  for (guint i = CB_INDICATOR_DRUG_MISUSE; i < CB_N_INDICATORS; i++)
    assert_tile_shows (page, cb_indicators_get (today, i));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "dashboard.png");
  cb_ui_save_screenshot (cb_ui_find_by_type (GTK_WIDGET (page), ADW_TYPE_CLAMP), "dashboard-full.png");

  /* The demo cases start over the three years to 31 March 2026: the
   * first quarter of 2024 leaves out those that started later. */
  set_custom_period_as_user (page, "2024-01-01", "31/03/2024");
  period = compute (fixture, "2024-01-01", "2024-03-31", NULL);
  g_assert_cmpint (cb_indicators_get_caseload (period), <, N_CASES);
  g_assert_cmpint (cb_indicators_get_caseload (period), !=, cb_indicators_get_caseload (today));
  g_assert_cmpint (cb_indicators_get_caseload (period), >, 0);
  cb_ui_wait (50);
  wait_for_dashboard (page);

  g_assert_cmpstr (cb_indicators_get_from (cb_dashboard_page_get_indicators (page)), ==, "2024-01-01");
  g_assert_cmpstr (cb_indicators_get_to (cb_dashboard_page_get_indicators (page)), ==, "2024-03-31");
  assert_caseload_shown (page, cb_indicators_get_caseload (period));
  for (guint i = CB_INDICATOR_DRUG_MISUSE; i < CB_N_INDICATORS; i++)
    assert_tile_shows (page, cb_indicators_get (period, i));
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (page), "1 January 2024 to 31 March 2024"));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "dashboard-period.png");
}

static void
test_bad_period_keeps_counts (CbUiFixture   *fixture,
                              gconstpointer  data)
{
  CbDashboardPage *page;
  CbIndicators *before;
  GtkWidget *selector, *from_entry, *to_entry;

  cb_ui_fill_default_database (200, 7);
  cb_ui_start_app (fixture);
  page = get_dashboard (fixture);
  wait_for_dashboard (page);
  choose_custom_period (page, &from_entry, &to_entry);
  wait_for_dashboard (page);
  before = cb_dashboard_page_get_indicators (page);
  selector = cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_PERIOD_SELECTOR);
  g_assert_true (cb_period_selector_is_valid (CB_PERIOD_SELECTOR (selector)));

  /* Half-typed and reversed periods are not counted, and say why. */
  gtk_editable_set_text (GTK_EDITABLE (from_entry), "2024-13-01");
  cb_ui_wait (100);
  g_assert_false (cb_period_selector_is_valid (CB_PERIOD_SELECTOR (selector)));
  g_assert_true (gtk_widget_has_css_class (from_entry, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (from_entry));
  g_assert_false (gtk_widget_has_css_class (to_entry, "error"));
  g_assert_false (cb_dashboard_page_is_busy (page));
  g_assert_true (cb_dashboard_page_get_indicators (page) == before);

  gtk_editable_set_text (GTK_EDITABLE (from_entry), "2025-01-01");
  gtk_editable_set_text (GTK_EDITABLE (to_entry), "2024-03-31");
  cb_ui_wait (100);
  g_assert_false (cb_period_selector_is_valid (CB_PERIOD_SELECTOR (selector)));
  g_assert_true (gtk_widget_has_css_class (from_entry, "error"));
  g_assert_true (cb_dashboard_page_get_indicators (page) == before);

  /* Put right, it counts again. */
  gtk_editable_set_text (GTK_EDITABLE (to_entry), "2025-12-31");
  g_assert_true (cb_period_selector_is_valid (CB_PERIOD_SELECTOR (selector)));
  g_assert_false (gtk_widget_has_css_class (from_entry, "error"));
  wait_for_dashboard (page);
  g_assert_cmpstr (cb_indicators_get_to (cb_dashboard_page_get_indicators (page)), ==, "2025-12-31");
}

static void
test_area_filter (CbUiFixture   *fixture,
                  gconstpointer  data)
{
  const char *leeds[] = { "Leeds", NULL };
  g_autoptr(CbIndicators) expected = NULL;
  g_auto(GStrv) selected = NULL;
  CbDashboardPage *page;
  GtkWidget *selector;

  cb_ui_fill_default_database (N_CASES, 7);
  cb_ui_start_app (fixture);
  page = get_dashboard (fixture);
  wait_for_dashboard (page);

  /* Tick Leeds in the popover's list. */
  selector = cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_AREA_SELECTOR);
  g_assert_nonnull (selector);
  {
    GtkWidget *popover = cb_ui_find_by_type (selector, GTK_TYPE_POPOVER);
    GtkWidget *check = NULL;

    g_assert_nonnull (popover);
    for (GtkWidget *box = cb_ui_find_by_type (popover, GTK_TYPE_CHECK_BUTTON);
         box != NULL && check == NULL;
         box = gtk_widget_get_next_sibling (box))
      if (GTK_IS_CHECK_BUTTON (box) &&
          g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (box)), "Leeds") == 0)
        check = box;
    g_assert_nonnull (check);
    gtk_menu_button_popup (GTK_MENU_BUTTON (cb_ui_find_by_type (selector, GTK_TYPE_MENU_BUTTON)));
    cb_ui_wait (200);
    g_assert_true (cb_ui_is_shown (check));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    cb_ui_wait (200);
    cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "dashboard-areas.png");
    cb_ui_save_screenshot (popover, "dashboard-areas-popover.png");
    gtk_popover_popdown (GTK_POPOVER (popover));
  }

  selected = cb_area_selector_get_selected (CB_AREA_SELECTOR (selector));
  g_assert_nonnull (selected);
  g_assert_cmpstrv (selected, leeds);
  cb_ui_wait (50);
  wait_for_dashboard (page);

  expected = compute (fixture, NULL, NULL, leeds);
  g_assert_cmpint (cb_indicators_get_caseload (expected), <, N_CASES);
  assert_caseload_shown (page, cb_indicators_get_caseload (expected));
  assert_tile_shows (page, cb_indicators_get (expected, CB_INDICATOR_TESTED));
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (page), "Leeds"));

  /* The by-area chart now has the one area. */
  {
    CbBarChart *chart = CB_BAR_CHART (cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_AREA_CHART));

    g_assert_cmpuint (cb_bar_chart_get_n_rows (chart), ==, 1);
    g_assert_cmpstr (cb_bar_chart_get_row_label (chart, 0), ==, "Leeds");
  }
}

static gboolean
taller_than_100 (gpointer widget)
{
  return gtk_widget_get_height (widget) > 100;
}

static void
test_charts_described (CbUiFixture   *fixture,
                       gconstpointer  data)
{
  g_autoptr(CbIndicators) expected = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  CbDashboardPage *page;
  CbBarChart *cascade, *areas;
  GPtrArray *rows;
  const char *description;

  cb_ui_fill_default_database (N_CASES, 7);
  cb_ui_start_app (fixture);
  page = get_dashboard (fixture);
  wait_for_dashboard (page);
  expected = compute (fixture, NULL, NULL, NULL);

  cascade = CB_BAR_CHART (cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_CASCADE_CHART));
  g_assert_nonnull (cascade);
  g_assert_true (cb_ui_is_shown (GTK_WIDGET (cascade)));
  /* Six rows of bars, laid out once the counts came. */
  g_assert_true (cb_ui_wait_for (taller_than_100, cascade, 5000));

  /* Every step is in the words, with its numbers. */
  steps = cb_indicators_get_cascade (expected);
  g_assert_cmpuint (cb_bar_chart_get_n_rows (cascade), ==, steps->len);
  description = cb_bar_chart_get_description (cascade);
  for (guint i = 0; i < steps->len; i++)
    {
      const CbIndicator *step = g_ptr_array_index (steps, i);
      g_autofree char *text = cb_format_indicator (step);

      g_assert_cmpstr (cb_bar_chart_get_row_label (cascade, i), ==, step->label);
      g_assert_nonnull (strstr (description, step->label));
      g_assert_nonnull (strstr (description, text));
    }

  /* One row per area, then the total; the national line in words. */
  areas = CB_BAR_CHART (cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_AREA_CHART));
  g_assert_nonnull (areas);
  g_assert_true (cb_ui_is_shown (GTK_WIDGET (areas)));
  rows = cb_indicators_get_breakdown (expected, CB_BREAKDOWN_AREA);
  g_assert_cmpuint (rows->len, >, 1);
  g_assert_cmpuint (cb_bar_chart_get_n_rows (areas), ==, rows->len + 1);
  description = cb_bar_chart_get_description (areas);
  for (guint i = 0; i < rows->len; i++)
    {
      CbBreakdownRow *row = g_ptr_array_index (rows, i);
      g_autofree char *text = cb_format_indicator (&row->values[CB_INDICATOR_TESTED]);
      g_autofree char *spoken = g_strdup_printf ("%s: %s", row->label, text);

      g_assert_nonnull (strstr (description, spoken));
    }
  g_assert_nonnull (strstr (description, "National"));

  /* Another indicator from the chart's drop-down. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cb_ui_find_by_type (gtk_widget_get_parent (GTK_WIDGET (areas)),
                                                                 GTK_TYPE_DROP_DOWN)),
                              CB_INDICATOR_CASELOAD);
  g_assert_cmpint (cb_area_chart_get_kind (CB_AREA_CHART (areas)), ==, CB_INDICATOR_CASELOAD);
  g_assert_cmpuint (cb_bar_chart_get_n_rows (areas), ==, rows->len);
  description = cb_bar_chart_get_description (areas);
  {
    CbBreakdownRow *row = g_ptr_array_index (rows, 0);
    g_autofree char *count = cb_format_count (row->values[CB_INDICATOR_CASELOAD].denominator);
    g_autofree char *spoken = g_strdup_printf ("%s: %s", row->label, count);

    g_assert_nonnull (strstr (description, spoken));
  }
}

static void
test_updates_when_cases_change (CbUiFixture   *fixture,
                                gconstpointer  data)
{
  g_autoptr(CbCase) record = cb_case_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIndicators) expected = NULL;
  g_autofree char *today = cb_today_iso ();
  CbDashboardPage *page;
  gint64 before;

  cb_ui_fill_default_database (100, 7);
  cb_ui_start_app (fixture);
  page = get_dashboard (fixture);
  wait_for_dashboard (page);
  before = cb_indicators_get_caseload (cb_dashboard_page_get_indicators (page));

  /* A new case, active today, saved as the editor would save it. */
  cb_case_set (record, CB_FIELD_CASE_REF, "NEW-0001");
  cb_case_set (record, CB_FIELD_AREA, "A New Area");
  cb_case_set (record, CB_FIELD_SENTENCE_TYPE, "community_order");
  cb_case_set (record, CB_FIELD_START_DATE, today);
  cb_case_set (record, CB_FIELD_DRUG_MISUSE, "yes");
  cb_case_store_save (cb_application_get_store (fixture->app), record, &error);
  g_assert_no_error (error);

  cb_ui_wait (400);
  wait_for_dashboard (page);
  expected = compute (fixture, NULL, NULL, NULL);
  g_assert_cmpint (cb_indicators_get_caseload (expected), ==, before + 1);
  assert_caseload_shown (page, before + 1);
  assert_tile_shows (page, cb_indicators_get (expected, CB_INDICATOR_DRUG_MISUSE));

  /* And the new area is offered. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "reports");
  cb_ui_wait (400);
  {
    GtkWidget *selector = cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_AREA_SELECTOR);
    GtkWidget *popover = cb_ui_find_by_type (selector, GTK_TYPE_POPOVER);
    gboolean found = FALSE;

    for (GtkWidget *check = cb_ui_find_by_type (popover, GTK_TYPE_CHECK_BUTTON);
         check != NULL;
         check = gtk_widget_get_next_sibling (check))
      if (GTK_IS_CHECK_BUTTON (check))
        found |= g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), "A New Area") == 0;
    g_assert_true (found);
  }
}

static void
assert_narrow (GtkWidget *page)
{
  int minimum;

  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 400);
}

/* A phone-sized window in the dark style: everything still fits. */
static void
test_narrow_dark (CbUiFixture   *fixture,
                  gconstpointer  data)
{
  CbDashboardPage *page;
  GtkWidget *cascade, *tile;
  int width;

  cb_ui_fill_default_database (300, 7);
  cb_ui_start_app (fixture);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 760);
  page = get_dashboard (fixture);
  wait_for_dashboard (page);
  cb_ui_wait (300);

  /* The pages ask for little width (the window's minimum is the widest
   * page's); what they get, they fill without overflowing. */
  assert_narrow (GTK_WIDGET (page));
  assert_narrow (GTK_WIDGET (get_reports (fixture)));
  width = gtk_widget_get_width (GTK_WIDGET (page));
  cascade = cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_CASCADE_CHART);
  tile = GTK_WIDGET (find_tile (GTK_WIDGET (page), CB_INDICATOR_TESTED));
  g_assert_cmpint (gtk_widget_get_width (cascade), >, 0);
  g_assert_cmpint (gtk_widget_get_width (cascade), <, width);
  g_assert_cmpint (gtk_widget_get_width (tile), <, width);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "dashboard-narrow-dark.png");
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (cascade, GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    cb_ui_wait (100);
    cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "dashboard-narrow-dark-charts.png");
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - 2 * gtk_adjustment_get_page_size (adjustment));
    cb_ui_wait (100);
    cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "dashboard-narrow-dark-cascade.png");
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "reports");
  cb_ui_wait (300);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "reports-narrow-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* Reports */

static gboolean
reports_idle (gpointer data)
{
  return !cb_reports_page_is_busy (data);
}

static gboolean
reports_busy (gpointer data)
{
  return cb_reports_page_is_busy (data);
}

static char *
read_sheet_names (const char *path)
{
  const char *argv[] = {
    "/usr/bin/python3", "-c",
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "print('|'.join(wb.sheetnames))\n",
    path, NULL,
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openpyxl could not open %s: %s", path, err);

  return g_strdup (g_strstrip (out));
}

static void
test_export (CbUiFixture   *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = g_dir_make_tmp ("casebook-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "report.xlsx", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sheets = NULL;
  g_autoptr(GError) error = NULL;
  CbReportsPage *page;
  GSettings *settings;
  gsize length;

  cb_ui_fill_default_database (N_CASES, 7);
  cb_ui_start_app (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "reports");
  page = get_reports (fixture);

  /* The switches follow the preferences, and the export follows them. */
  settings = cb_application_get_settings (fixture->app);
  g_settings_set_boolean (settings, "export-include-cases", TRUE);
  g_settings_set_int (settings, "suppression-threshold", 7);
  cb_ui_wait (100);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_SPIN_BUTTON))), ==, 7);
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (page), "Counts from 1 to 6"));
  /* And the other way: the spin button writes the preference. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_SPIN_BUTTON)), 9);
  g_assert_cmpint (g_settings_get_int (settings, "suppression-threshold"), ==, 9);
  g_assert_nonnull (cb_ui_find_label (GTK_WIDGET (page), "Counts from 1 to 8"));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "reports.png");

  gtk_editable_set_text (GTK_EDITABLE (cb_ui_find_by_type (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW)),
                         "Leeds and Bristol review, Q4");
  cb_reports_page_export_to_path (page, path);
  g_assert_true (cb_reports_page_is_busy (page));
  cb_ui_wait (30);
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "reports-exporting.png");
  g_assert_true (cb_ui_wait_for (reports_idle, page, 30000));
  cb_ui_wait (50);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 4);
  g_assert_cmpmem (contents, 2, "PK", 2);

  sheets = read_sheet_names (path);
  g_assert_true (g_str_has_prefix (sheets, "Summary|"));
  g_assert_nonnull (strstr (sheets, "|Cases|"));
  g_assert_true (g_str_has_suffix (sheets, "|About"));
  /* The page's choices reached the workbook: its title and threshold. */
  g_assert_true (cb_ui_workbook_contains (path, "Leeds and Bristol review, Q4"));
  g_assert_true (cb_ui_workbook_contains (path, "from 1 to 8"));
  g_assert_false (cb_ui_workbook_contains (path, "from 1 to 4"));

  /* Nothing but the workbook is left in the folder. */
  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);

    g_assert_cmpstr (g_dir_read_name (dir), ==, "report.xlsx");
    g_assert_null (g_dir_read_name (dir));
  }
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "reports-saved.png");
  g_settings_reset (settings, "export-include-cases");
  g_settings_reset (settings, "suppression-threshold");

  g_unlink (path);
  g_rmdir (folder);
}

static gboolean
find_file_chooser (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = GTK_WINDOW (window);
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
chooser_in_folder (gpointer data)
{
  GtkFileChooser *chooser = data;
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (chooser);
  const char *expected = g_object_get_data (G_OBJECT (chooser), "test-folder");

  return folder != NULL && g_strcmp0 (g_file_peek_path (folder), expected) == 0;
}

/* Ctrl+E: the Reports page, a save dialog with a dated name, then the
 * workbook where the user put it; the folder is remembered. */
static void
test_export_through_dialog (CbUiFixture   *fixture,
                            gconstpointer  data)
{
  g_autofree char *folder = g_dir_make_tmp ("casebook-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "my report.xlsx", NULL);
  g_autofree char *today = cb_today_iso ();
  g_autofree char *suggested = g_strdup_printf ("casebook-report-%s.xlsx", today);
  g_autofree char *name = NULL;
  g_autofree char *last = NULL;
  g_autofree char *sheets = NULL;
  GtkWindow *dialog = NULL;
  CbReportsPage *page;

  cb_ui_fill_default_database (200, 7);
  cb_ui_start_app (fixture);
  page = get_reports (fixture);

  /* No case list this time (the memory settings outlive a test). */
  g_settings_set_boolean (cb_application_get_settings (fixture->app), "export-include-cases", FALSE);

  /* The last folder used is offered first. */
  g_settings_set_string (cb_application_get_settings (fixture->app), "last-export-folder", folder);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export", NULL));
  g_assert_cmpstr (cb_window_get_page (fixture->window), ==, "reports");
  g_assert_true (cb_ui_wait_for (find_file_chooser, &dialog, 5000));
  g_object_set_data_full (G_OBJECT (dialog), "test-folder", g_strdup (folder), g_free);
  g_assert_true (cb_ui_wait_for (chooser_in_folder, dialog, 5000));
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
  g_assert_cmpstr (name, ==, suggested);

  /* The user types a name without the extension. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "my report");
  cb_ui_wait (200);
  /* The dialog's own "Export" button: the dialog checks the name first. */
  g_signal_emit_by_name (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT),
                         "clicked");

  /* The dialog checks whether the file exists before it answers. */
  g_assert_true (cb_ui_wait_for (reports_busy, page, 5000));
  g_assert_true (cb_ui_wait_for (reports_idle, page, 30000));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  sheets = read_sheet_names (path);
  g_assert_true (g_str_has_prefix (sheets, "Summary|"));
  g_assert_null (strstr (sheets, "|Cases|"));

  last = g_settings_get_string (cb_application_get_settings (fixture->app), "last-export-folder");
  g_assert_cmpstr (last, ==, folder);
  g_assert_false (g_file_test ("my report.xlsx", G_FILE_TEST_EXISTS));

  g_unlink (path);
  g_rmdir (folder);
}

static void
test_export_cancel (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *folder = g_dir_make_tmp ("casebook-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "report.xlsx", NULL);
  g_autoptr(GDir) dir = NULL;
  CbReportsPage *page;
  GSettings *settings;
  GtkWidget *cancel;

  /* Enough work (a case list of 20,000 rows) that the Cancel comes
   * well before the end. */
  cb_ui_fill_default_database (20000, 7);
  cb_ui_start_app (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "reports");
  page = get_reports (fixture);
  settings = cb_application_get_settings (fixture->app);
  g_settings_set_boolean (settings, "export-include-cases", TRUE);

  cb_reports_page_export_to_path (page, path);
  g_assert_true (cb_reports_page_is_busy (page));

  /* The Cancel button beside the progress bar. */
  cancel = cb_ui_find_label (GTK_WIDGET (page), "_Cancel");
  g_assert_nonnull (cancel);
  cancel = gtk_widget_get_ancestor (cancel, GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_is_sensitive (cancel));
  /* As a pointer click does: keyboard activation waits 250 ms first. */
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_false (gtk_widget_is_sensitive (cancel));

  g_assert_true (cb_ui_wait_for (reports_idle, page, 30000));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  cb_ui_wait (300);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (fixture->window), "Export cancelled")));
  g_settings_reset (settings, "export-include-cases");
  dir = g_dir_open (folder, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
  g_rmdir (folder);
}

static gboolean
find_message_dialog (gpointer data)
{
  GtkWindow *dialog = cb_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  if (dialog != NULL)
    *(GtkWindow **) data = dialog;
  return dialog != NULL;
}

static void
test_export_failure (CbUiFixture   *fixture,
                     gconstpointer  data)
{
  const char *path = "/nonexistent-casebook-folder/report.xlsx";
  GtkWindow *dialog = NULL;
  CbReportsPage *page;

  cb_ui_fill_default_database (50, 7);
  cb_ui_start_app (fixture);
  page = get_reports (fixture);

  cb_reports_page_export_to_path (page, path);
  g_assert_true (cb_ui_wait_for (reports_idle, page, 30000));
  g_assert_true (cb_ui_wait_for (find_message_dialog, &dialog, 5000));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Could Not Export the Report");
  g_assert_true (strlen (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog))) > 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_window_destroy (dialog);
}

/* The report covers the cases the Cases page is filtered to, when asked. */
static void
test_report_query (CbUiFixture   *fixture,
                   gconstpointer  data)
{
  const char *leeds[] = { "Leeds", NULL };
  g_autoptr(CbCaseQuery) plain = NULL;
  g_autoptr(CbCaseQuery) filtered = NULL;
  CbReportsPage *page;
  GtkWidget *selector;
  GtkWidget *use_cases;

  cb_ui_fill_default_database (100, 7);
  cb_ui_start_app (fixture);
  page = get_reports (fixture);

  selector = cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_AREA_SELECTOR);
  cb_area_selector_set_selected (CB_AREA_SELECTOR (selector), leeds);
  plain = cb_reports_page_get_query (page);
  g_assert_cmpstrv ((GStrv) cb_case_query_get_areas (plain), leeds);
  /* The default period is the last twelve months. */
  g_assert_nonnull (cb_case_query_get_period_from (plain));
  g_assert_nonnull (cb_case_query_get_period_to (plain));

  use_cases = cb_ui_find_label (GTK_WIDGET (page), "Use the Cases Page’s Filters");
  g_assert_nonnull (use_cases);
  use_cases = cb_ui_find_by_type (gtk_widget_get_ancestor (use_cases, ADW_TYPE_ACTION_ROW), GTK_TYPE_SWITCH);
  gtk_switch_set_active (GTK_SWITCH (use_cases), TRUE);
  g_assert_false (gtk_widget_get_sensitive (selector));
  filtered = cb_reports_page_get_query (page);
  g_assert_true (cb_case_query_get_areas (filtered) == NULL ||
                 cb_case_query_get_areas (filtered)[0] == NULL);
  g_assert_cmpstr (cb_case_query_get_period_from (filtered), ==, cb_case_query_get_period_from (plain));
}

int
main (int    argc,
      char **argv)
{
  cb_ui_test_init (&argc, &argv);

  CB_UI_ADD_TEST ("/dashboard/period-updates-tiles", test_period_updates_tiles);
  CB_UI_ADD_TEST ("/dashboard/bad-period-keeps-counts", test_bad_period_keeps_counts);
  CB_UI_ADD_TEST ("/dashboard/area-filter", test_area_filter);
  CB_UI_ADD_TEST ("/dashboard/charts-described", test_charts_described);
  CB_UI_ADD_TEST ("/dashboard/updates-when-cases-change", test_updates_when_cases_change);
  CB_UI_ADD_TEST ("/dashboard/narrow-dark", test_narrow_dark);
  CB_UI_ADD_TEST ("/reports/export", test_export);
  CB_UI_ADD_TEST ("/reports/export-through-dialog", test_export_through_dialog);
  CB_UI_ADD_TEST ("/reports/export-cancel", test_export_cancel);
  CB_UI_ADD_TEST ("/reports/export-failure", test_export_failure);
  CB_UI_ADD_TEST ("/reports/query", test_report_query);

  return g_test_run ();
}
