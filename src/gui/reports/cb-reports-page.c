/* cb-reports-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-reports"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-reports-page.h"

struct _CbReportsPage
{
  AdwBin       parent_instance;

  CbCaseStore *store;
};

G_DEFINE_FINAL_TYPE (CbReportsPage, cb_reports_page, ADW_TYPE_BIN)

void
cb_reports_page_set_store (CbReportsPage *self,
                           CbCaseStore   *store)
{
  g_return_if_fail (CB_IS_REPORTS_PAGE (self));

  g_set_object (&self->store, store);
}

void
cb_reports_page_export (CbReportsPage *self)
{
  g_return_if_fail (CB_IS_REPORTS_PAGE (self));
  /* The workbook export comes with the Reports issue. */
}

static void
cb_reports_page_dispose (GObject *object)
{
  CbReportsPage *self = CB_REPORTS_PAGE (object);

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_REPORTS_PAGE);

  G_OBJECT_CLASS (cb_reports_page_parent_class)->dispose (object);
}

static void
cb_reports_page_class_init (CbReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_reports_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-reports-page.ui");
}

static void
cb_reports_page_init (CbReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
