/* cb-dashboard-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indicators for a period and a choice of areas: a tile for each,
 * the care cascade and one indicator by area. The counts are made in a
 * worker thread with its own connection to the database (a connection
 * belongs to one thread), so the window stays responsive at 156,000
 * cases; a newer request cancels the one still running, and its result,
 * if any, is dropped.
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-area-chart.h"
#include "cb-area-selector.h"
#include "cb-cascade-chart.h"
#include "cb-dashboard-page.h"
#include "cb-dashboard-util.h"
#include "cb-indicator-tile.h"
#include "cb-period-selector.h"

/* Selector changes are answered at once; a burst of store changes (an
 * import saving in batches, say) is answered once. */
#define FILTER_DELAY_MS  0
#define CHANGED_DELAY_MS 250

struct _CbDashboardPage
{
  AdwBin            parent_instance;

  CbPeriodSelector *period_selector;
  CbAreaSelector   *area_selector;
  GtkSpinner       *spinner;
  GtkWidget        *caseload_box;
  GtkLabel         *caseload_label;
  GtkLabel         *caseload_unit_label;
  GtkLabel         *title_label;
  GtkLabel         *summary_label;
  GtkLabel         *error_label;
  GtkFlowBox       *tiles_box;
  CbCascadeChart   *cascade_chart;
  GtkLabel         *cascade_note;
  CbAreaChart      *area_chart;
  GtkDropDown      *area_kind_drop_down;

  /* The caseload is the header's; every other indicator has a tile. */
  CbIndicatorTile  *tiles[CB_N_INDICATORS];

  CbCaseStore      *store;
  CbIndicators     *indicators;
  GCancellable     *cancellable;
  guint             update_source;
};

G_DEFINE_FINAL_TYPE (CbDashboardPage, cb_dashboard_page, ADW_TYPE_BIN)

/* The worker */

typedef struct
{
  char        *path;
  CbCaseQuery *query;
} Request;

typedef struct
{
  CbIndicators *indicators;
  GStrv         areas;
  gint64        total;
} Result;

static void
request_free (Request *request)
{
  g_free (request->path);
  g_clear_object (&request->query);
  g_free (request);
}

static void
result_free (Result *result)
{
  g_clear_object (&result->indicators);
  g_strfreev (result->areas);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(Result) result = g_new0 (Result, 1);
  GError *error = NULL;

  if (!(store = cb_case_store_open (request->path, &error)) ||
      !(result->indicators = cb_indicators_compute (store, request->query, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  result->areas = cb_case_store_list_areas (store);
  result->total = cb_case_store_count (store);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) result_free);
}

/* Showing the counts */

static void
show_tiles (CbDashboardPage *self)
{
  for (guint i = CB_INDICATOR_CASELOAD + 1; i < CB_N_INDICATORS; i++)
    cb_indicator_tile_set_indicator (self->tiles[i],
                                     self->indicators ? cb_indicators_get (self->indicators, i) : NULL);
}

/* The caseload large, beside the title: every tile counts among it. */
static void
show_caseload (CbDashboardPage *self)
{
  gint64 n = self->indicators ? cb_indicators_get_caseload (self->indicators) : 0;
  g_autofree char *count = cb_format_count (n);
  g_autofree char *spoken = NULL;

  gtk_widget_set_visible (self->caseload_box, self->indicators != NULL);
  gtk_label_set_label (self->caseload_label, count);
  gtk_label_set_label (self->caseload_unit_label,
                       g_dngettext (GETTEXT_PACKAGE, "case", "cases", n));

  spoken = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Caseload: %s case", "Caseload: %s cases", n),
                            count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->caseload_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

static void
show_title (CbDashboardPage *self)
{
  g_autofree char *areas = cb_area_selector_describe (self->area_selector);
  g_autofree char *period = NULL;
  g_autofree char *title = NULL;
  const char *from = cb_period_selector_get_from (self->period_selector);
  const char *to = cb_period_selector_get_to (self->period_selector);

  if (from == NULL && to == NULL)
    {
      g_autofree char *today = cb_today_iso ();
      g_autofree char *day = cb_format_date (today);

      /* Translators: the dashboard's title with no period, e.g. "Caseload on 23 November 2026" */
      period = g_strdup_printf (_("Caseload on %s"), day);
    }
  else
    period = cb_format_period (from, to);

  /* Translators: the dashboard's title, a period and the areas, e.g. "Last 12 months · All areas" */
  title = g_strdup_printf (_("%s · %s"), period, areas);
  gtk_label_set_label (self->title_label, title);
}

static void
show_summary (CbDashboardPage *self,
              gint64           total)
{
  const CbIndicator *caseload;
  g_autofree char *on_record = NULL;
  g_autofree char *text = NULL;

  if (self->indicators == NULL)
    {
      gtk_label_set_label (self->summary_label, "");
      return;
    }

  caseload = cb_indicators_get (self->indicators, CB_INDICATOR_CASELOAD);
  on_record = cb_format_count (total);
  /* Translators: under the dashboard's title; the second %s is the
   * national caseload, e.g. "≈156,000" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Active at some time in the period · %s case on record · national caseload %s",
                                       "Active at some time in the period · %s cases on record · national caseload %s",
                                       total),
                          on_record, caseload->national_text);
  gtk_label_set_label (self->summary_label, text);
}

static gint64
numerator (CbDashboardPage *self,
           CbIndicatorKind  kind)
{
  return cb_indicators_get (self->indicators, kind)->numerator;
}

/* The cascade in one sentence: where people drop out on the way to
 * treatment, for those who read rather than look. */
static void
show_cascade_note (CbDashboardPage *self)
{
  g_autofree char *misuse = NULL;
  g_autofree char *class_a = NULL;
  g_autofree char *tested = NULL;
  g_autofree char *referred = NULL;
  g_autofree char *started = NULL;
  g_autofree char *text = NULL;
  gint64 n;

  if (self->indicators == NULL || (n = numerator (self, CB_INDICATOR_DRUG_MISUSE)) == 0)
    {
      gtk_label_set_label (self->cascade_note, "");
      return;
    }

  misuse = cb_format_count (n);
  class_a = cb_format_count (numerator (self, CB_INDICATOR_CLASS_A));
  tested = cb_format_count (numerator (self, CB_INDICATOR_TESTED));
  referred = cb_format_count (numerator (self, CB_INDICATOR_REFERRED));
  started = cb_format_count (numerator (self, CB_INDICATOR_STARTED));
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Of the %s case with drug misuse identified, %s used a Class A drug, "
                                       "%s were tested and %s referred to treatment; %s of those referred started it.",
                                       "Of the %s cases with drug misuse identified, %s used a Class A drug, "
                                       "%s were tested and %s referred to treatment; %s of those referred started it.",
                                       n),
                          misuse, class_a, tested, referred, started);
  gtk_label_set_label (self->cascade_note, text);
}

static void
show_indicators (CbDashboardPage *self,
                 CbIndicators    *indicators)
{
  g_set_object (&self->indicators, indicators);
  show_caseload (self);
  show_tiles (self);
  cb_cascade_chart_set_indicators (self->cascade_chart, indicators);
  show_cascade_note (self);
  cb_area_chart_set_indicators (self->area_chart, indicators);
  show_title (self);
}

static void
show_error (CbDashboardPage *self,
            const GError    *error)
{
  gtk_label_set_label (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
set_busy (CbDashboardPage *self,
          gboolean         busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
on_computed (GObject      *source,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  CbDashboardPage *self = CB_DASHBOARD_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(Result) result = g_task_propagate_pointer (G_TASK (async_result), &error);

  /* Cancelled: a newer request is on its way, or the page is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);
  show_error (self, error);
  if (result == NULL)
    return;

  cb_area_selector_set_available (self->area_selector, (const char * const *) result->areas);
  show_indicators (self, result->indicators);
  show_summary (self, result->total);
}

/* The selection as a query: the period and areas of the selectors. */
CbCaseQuery *
cb_dashboard_page_get_query (CbDashboardPage *self)
{
  g_auto(GStrv) areas = NULL;
  CbCaseQuery *query;

  g_return_val_if_fail (CB_IS_DASHBOARD_PAGE (self), NULL);

  query = cb_case_query_new ();
  cb_case_query_set_period (query,
                            cb_period_selector_get_from (self->period_selector),
                            cb_period_selector_get_to (self->period_selector));
  areas = cb_area_selector_get_selected (self->area_selector);
  cb_case_query_set_areas (query, (const char * const *) areas);

  return query;
}

static void
start_update (CbDashboardPage *self)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL || !cb_period_selector_is_valid (self->period_selector))
    {
      set_busy (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  request = g_new0 (Request, 1);
  request->path = g_strdup (cb_case_store_get_path (self->store));
  request->query = cb_dashboard_page_get_query (self);

  task = g_task_new (self, self->cancellable, on_computed, NULL);
  g_task_set_source_tag (task, start_update);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  g_task_run_in_thread (task, compute_thread);
  set_busy (self, TRUE);
}

static gboolean
update_timeout (gpointer data)
{
  CbDashboardPage *self = data;

  self->update_source = 0;
  start_update (self);

  return G_SOURCE_REMOVE;
}

static void
queue_update (CbDashboardPage *self,
              guint            delay_ms)
{
  g_clear_handle_id (&self->update_source, g_source_remove);
  self->update_source = g_timeout_add (delay_ms, update_timeout, self);
}

static void
on_filter_changed (CbDashboardPage *self)
{
  show_title (self);
  queue_update (self, FILTER_DELAY_MS);
}

static void
on_store_changed (CbDashboardPage *self)
{
  queue_update (self, CHANGED_DELAY_MS);
}

static void
on_area_kind_changed (CbDashboardPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->area_kind_drop_down);

  if (selected < CB_N_INDICATORS)
    cb_area_chart_set_kind (self->area_chart, selected);
}

void
cb_dashboard_page_set_store (CbDashboardPage *self,
                             CbCaseStore     *store)
{
  g_return_if_fail (CB_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (store == NULL || CB_IS_CASE_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);

  /* Nothing of the last database stays on screen. */
  show_indicators (self, NULL);
  show_summary (self, 0);
  show_error (self, NULL);
  cb_area_selector_set_available (self->area_selector, NULL);
  queue_update (self, FILTER_DELAY_MS);
}

/**
 * cb_dashboard_page_get_indicators:
 *
 * Returns: (transfer none) (nullable): the counts on show
 */
CbIndicators *
cb_dashboard_page_get_indicators (CbDashboardPage *self)
{
  g_return_val_if_fail (CB_IS_DASHBOARD_PAGE (self), NULL);

  return self->indicators;
}

/* Whether counts are on their way (or about to be asked for). */
gboolean
cb_dashboard_page_is_busy (CbDashboardPage *self)
{
  g_return_val_if_fail (CB_IS_DASHBOARD_PAGE (self), FALSE);

  return self->update_source != 0 || self->cancellable != NULL;
}

static void
add_tiles (CbDashboardPage *self)
{
  for (guint i = CB_INDICATOR_CASELOAD + 1; i < CB_N_INDICATORS; i++)
    {
      self->tiles[i] = CB_INDICATOR_TILE (cb_indicator_tile_new (i));
      gtk_flow_box_append (self->tiles_box, GTK_WIDGET (self->tiles[i]));
    }
}

static void
fill_area_kinds (CbDashboardPage *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  /* Setting the model selects its first item: keep the chart's choice. */
  CbIndicatorKind kind = cb_area_chart_get_kind (self->area_chart);

  for (guint i = 0; i < CB_N_INDICATORS; i++)
    gtk_string_list_append (kinds, cb_indicator_kind_get_info (i)->label);

  gtk_drop_down_set_model (self->area_kind_drop_down, G_LIST_MODEL (kinds));
  gtk_drop_down_set_selected (self->area_kind_drop_down, kind);
}

static void
cb_dashboard_page_dispose (GObject *object)
{
  CbDashboardPage *self = CB_DASHBOARD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->update_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_clear_object (&self->store);
  g_clear_object (&self->indicators);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_DASHBOARD_PAGE);

  G_OBJECT_CLASS (cb_dashboard_page_parent_class)->dispose (object);
}

static void
cb_dashboard_page_class_init (CbDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_dashboard_page_dispose;

  g_type_ensure (CB_TYPE_PERIOD_SELECTOR);
  g_type_ensure (CB_TYPE_AREA_SELECTOR);
  g_type_ensure (CB_TYPE_CASCADE_CHART);
  g_type_ensure (CB_TYPE_AREA_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, period_selector);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, area_selector);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, caseload_box);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, caseload_label);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, caseload_unit_label);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, cascade_chart);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, cascade_note);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, area_chart);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, area_kind_drop_down);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_area_kind_changed);
}

static void
cb_dashboard_page_init (CbDashboardPage *self)
{
  cb_dashboard_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
  add_tiles (self);
  fill_area_kinds (self);
  show_title (self);
  set_busy (self, FALSE);
}
