/* cb-period-selector.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A drop-down of the periods people report on, and two date entries for
 * any other. The selector resolves the choice to first and last days
 * (ISO), or to none for today's caseload, which is what the model takes
 * when a query has no period. It emits "changed" only for a period that
 * can be reported on, so a half-typed date never starts a computation.
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-case-query.h"
#include "cb-dashboard-util.h"
#include "cb-field.h"
#include "cb-period-selector.h"

/* The UK public sector's financial year starts on 1 April. */
#define FINANCIAL_YEAR_MONTH G_DATE_APRIL

struct _CbPeriodSelector
{
  GtkWidget     parent_instance;

  GtkDropDown  *preset_drop_down;
  GtkRevealer  *custom_revealer;
  GtkEntry     *from_entry;
  GtkEntry     *to_entry;

  char         *from;
  char         *to;
  gboolean      valid;
};

G_DEFINE_FINAL_TYPE (CbPeriodSelector, cb_period_selector, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
financial_year_start (const GDate *day,
                      GDate       *start)
{
  int year = g_date_get_year (day);

  if (g_date_get_month (day) < FINANCIAL_YEAR_MONTH)
    year--;
  g_date_set_dmy (start, 1, FINANCIAL_YEAR_MONTH, year);
}

/* The months before @today, counted so that the period holds @today and
 * as many whole months back: 3 months to 31 March start on 1 January. */
static void
months_back (const GDate *today,
             guint        months,
             GDate       *from)
{
  *from = *today;
  g_date_subtract_months (from, months);
  g_date_add_days (from, 1);
}

/**
 * cb_period_preset_resolve:
 * @today: the day the presets are counted from, ISO
 * @from: (out) (transfer full) (nullable): first day, ISO; %NULL for today
 * @to: (out) (transfer full) (nullable): last day, ISO; %NULL for today
 *
 * Returns: %FALSE for %CB_PERIOD_CUSTOM or an invalid @today
 */
gboolean
cb_period_preset_resolve (CbPeriodPreset   preset,
                          const char      *today,
                          char           **from,
                          char           **to)
{
  GDate day, first, last;

  g_return_val_if_fail (today != NULL, FALSE);
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);

  *from = *to = NULL;
  if (!cb_date_parse (today, &day))
    return FALSE;

  last = day;
  switch (preset)
    {
    case CB_PERIOD_TODAY:
      return TRUE;
    case CB_PERIOD_LAST_3_MONTHS:
      months_back (&day, 3, &first);
      break;
    case CB_PERIOD_LAST_12_MONTHS:
      months_back (&day, 12, &first);
      break;
    case CB_PERIOD_THIS_FINANCIAL_YEAR:
      financial_year_start (&day, &first);
      break;
    case CB_PERIOD_LAST_FINANCIAL_YEAR:
      financial_year_start (&day, &last);
      g_date_subtract_days (&last, 1);
      financial_year_start (&last, &first);
      break;
    case CB_PERIOD_CUSTOM:
    case CB_N_PERIODS:
    default:
      return FALSE;
    }

  *from = cb_date_format (&first);
  *to = cb_date_format (&last);
  return TRUE;
}

static gboolean
set_period (CbPeriodSelector *self,
            const char       *from,
            const char       *to,
            gboolean          valid)
{
  gboolean changed = valid != self->valid ||
                     g_strcmp0 (from, self->from) != 0 ||
                     g_strcmp0 (to, self->to) != 0;

  g_free (self->from);
  g_free (self->to);
  self->from = g_strdup (from);
  self->to = g_strdup (to);
  self->valid = valid;

  return changed;
}

static void
mark_entry (GtkEntry   *entry,
            const char *problem)
{
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), problem);
}

/* A date of an entry in ISO form, or NULL with the entry marked. */
static char *
read_entry (GtkEntry *entry)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  GDate date;

  if (!cb_date_parse (g_strstrip (text), &date))
    {
      mark_entry (entry, _("Write a date as YYYY-MM-DD or DD/MM/YYYY"));
      return NULL;
    }

  mark_entry (entry, NULL);
  return cb_date_format (&date);
}

static gboolean
read_custom (CbPeriodSelector *self)
{
  g_autofree char *from = read_entry (self->from_entry);
  g_autofree char *to = read_entry (self->to_entry);

  if (from != NULL && to != NULL && strcmp (from, to) > 0)
    {
      mark_entry (self->from_entry, _("The first day comes after the last day"));
      return set_period (self, NULL, NULL, FALSE);
    }

  return set_period (self, from, to, from != NULL && to != NULL);
}

static gboolean
read_preset (CbPeriodSelector *self,
             CbPeriodPreset    preset)
{
  g_autofree char *today = cb_today_iso ();
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  cb_period_preset_resolve (preset, today, &from, &to);
  return set_period (self, from, to, TRUE);
}

static void
update (CbPeriodSelector *self)
{
  CbPeriodPreset preset = cb_period_selector_get_preset (self);
  gboolean changed;

  gtk_revealer_set_reveal_child (self->custom_revealer, preset == CB_PERIOD_CUSTOM);
  if (preset == CB_PERIOD_CUSTOM)
    changed = read_custom (self);
  else
    changed = read_preset (self, preset);

  if (changed && self->valid)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* Custom dates start from the period shown before, so switching to
 * "Custom…" changes nothing until a date is edited. */
static void
fill_custom_entries (CbPeriodSelector *self)
{
  g_autofree char *today = cb_today_iso ();
  const char *from = self->from ? self->from : today;
  const char *to = self->to ? self->to : today;

  if (gtk_editable_get_text (GTK_EDITABLE (self->from_entry))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  if (gtk_editable_get_text (GTK_EDITABLE (self->to_entry))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
}

static void
on_entry_changed (CbPeriodSelector *self)
{
  update (self);
}

static void
on_preset_changed (CbPeriodSelector *self)
{
  if (cb_period_selector_get_preset (self) == CB_PERIOD_CUSTOM)
    {
      g_signal_handlers_block_by_func (self->from_entry, on_entry_changed, self);
      g_signal_handlers_block_by_func (self->to_entry, on_entry_changed, self);
      fill_custom_entries (self);
      g_signal_handlers_unblock_by_func (self->from_entry, on_entry_changed, self);
      g_signal_handlers_unblock_by_func (self->to_entry, on_entry_changed, self);
    }

  update (self);
}

CbPeriodPreset
cb_period_selector_get_preset (CbPeriodSelector *self)
{
  guint selected;

  g_return_val_if_fail (CB_IS_PERIOD_SELECTOR (self), CB_PERIOD_TODAY);

  selected = gtk_drop_down_get_selected (self->preset_drop_down);
  return selected < CB_N_PERIODS ? (CbPeriodPreset) selected : CB_PERIOD_TODAY;
}

void
cb_period_selector_set_preset (CbPeriodSelector *self,
                               CbPeriodPreset    preset)
{
  g_return_if_fail (CB_IS_PERIOD_SELECTOR (self));
  g_return_if_fail (preset < CB_N_PERIODS);

  gtk_drop_down_set_selected (self->preset_drop_down, preset);
}

/**
 * cb_period_selector_set_custom:
 *
 * Chooses "Custom…" with these days, as if typed.
 */
void
cb_period_selector_set_custom (CbPeriodSelector *self,
                               const char       *from,
                               const char       *to)
{
  g_return_if_fail (CB_IS_PERIOD_SELECTOR (self));
  g_return_if_fail (from != NULL && to != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
  cb_period_selector_set_preset (self, CB_PERIOD_CUSTOM);
}

/* The first day, ISO; %NULL for today's caseload. */
const char *
cb_period_selector_get_from (CbPeriodSelector *self)
{
  g_return_val_if_fail (CB_IS_PERIOD_SELECTOR (self), NULL);

  return self->from;
}

/* The last day, ISO; %NULL for today's caseload. */
const char *
cb_period_selector_get_to (CbPeriodSelector *self)
{
  g_return_val_if_fail (CB_IS_PERIOD_SELECTOR (self), NULL);

  return self->to;
}

gboolean
cb_period_selector_is_valid (CbPeriodSelector *self)
{
  g_return_val_if_fail (CB_IS_PERIOD_SELECTOR (self), FALSE);

  return self->valid;
}

/* "1 April 2025 to 31 March 2026", or "Today". */
char *
cb_period_selector_describe (CbPeriodSelector *self)
{
  g_return_val_if_fail (CB_IS_PERIOD_SELECTOR (self), NULL);

  if (!self->valid)
    return g_strdup (_("Choose the first and last days"));

  return cb_format_period (self->from, self->to);
}

static void
cb_period_selector_dispose (GObject *object)
{
  CbPeriodSelector *self = CB_PERIOD_SELECTOR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_PERIOD_SELECTOR);
  /* Children the template does not name are ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_period_selector_parent_class)->dispose (object);
}

static void
cb_period_selector_finalize (GObject *object)
{
  CbPeriodSelector *self = CB_PERIOD_SELECTOR (object);

  g_free (self->from);
  g_free (self->to);

  G_OBJECT_CLASS (cb_period_selector_parent_class)->finalize (object);
}

static void
cb_period_selector_class_init (CbPeriodSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_period_selector_dispose;
  object_class->finalize = cb_period_selector_finalize;

  /**
   * CbPeriodSelector::changed:
   *
   * The period changed to one that can be reported on.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-period-selector.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPeriodSelector, preset_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CbPeriodSelector, custom_revealer);
  gtk_widget_class_bind_template_child (widget_class, CbPeriodSelector, from_entry);
  gtk_widget_class_bind_template_child (widget_class, CbPeriodSelector, to_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cb_period_selector_init (CbPeriodSelector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
  read_preset (self, cb_period_selector_get_preset (self));
}
