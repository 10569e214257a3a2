/* cb-dashboard-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-case-list.h"
#include "cb-dashboard-page.h"

struct _CbDashboardPage
{
  AdwBin       parent_instance;

  GtkLabel    *caseload_label;
  GtkLabel    *active_label;

  CbCaseList  *all_cases;
  CbCaseList  *active_cases;
};

G_DEFINE_FINAL_TYPE (CbDashboardPage, cb_dashboard_page, ADW_TYPE_BIN)

static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

static void
update_counts (CbDashboardPage *self)
{
  g_autofree char *total = NULL;
  g_autofree char *active = NULL;
  g_autofree char *active_text = NULL;
  guint n_all = self->all_cases ? g_list_model_get_n_items (G_LIST_MODEL (self->all_cases)) : 0;
  guint n_active = self->active_cases ? g_list_model_get_n_items (G_LIST_MODEL (self->active_cases)) : 0;

  total = format_count (n_all);
  active = format_count (n_active);
  active_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%s case active today",
                                              "%s cases active today", n_active),
                                 active);

  gtk_label_set_label (self->caseload_label, total);
  gtk_label_set_label (self->active_label, active_text);
}

void
cb_dashboard_page_set_store (CbDashboardPage *self,
                             CbCaseStore     *store)
{
  g_autoptr(CbCaseQuery) active = NULL;

  g_return_if_fail (CB_IS_DASHBOARD_PAGE (self));

  g_clear_object (&self->all_cases);
  g_clear_object (&self->active_cases);

  if (store != NULL)
    {
      active = cb_case_query_new ();
      cb_case_query_set_status (active, CB_CASE_STATUS_ACTIVE);
      self->all_cases = cb_case_list_new (store, NULL);
      self->active_cases = cb_case_list_new (store, active);
      g_signal_connect_object (self->all_cases, "items-changed",
                               G_CALLBACK (update_counts), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->active_cases, "items-changed",
                               G_CALLBACK (update_counts), self, G_CONNECT_SWAPPED);
    }

  update_counts (self);
}

static void
cb_dashboard_page_dispose (GObject *object)
{
  CbDashboardPage *self = CB_DASHBOARD_PAGE (object);

  g_clear_object (&self->all_cases);
  g_clear_object (&self->active_cases);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_DASHBOARD_PAGE);

  G_OBJECT_CLASS (cb_dashboard_page_parent_class)->dispose (object);
}

static void
cb_dashboard_page_class_init (CbDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_dashboard_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, caseload_label);
  gtk_widget_class_bind_template_child (widget_class, CbDashboardPage, active_label);
}

static void
cb_dashboard_page_init (CbDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
