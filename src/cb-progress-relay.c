/* cb-progress-relay.c — a worker thread's progress, shown on a progress bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Long work (an import, an export, a backup) runs in a GTask thread and
 * reports its progress from there through a CbProgressFunc, but GTK may
 * only be touched from the main thread. The relay stores the latest
 * fraction and asks the main loop for one update at a time, so a worker
 * that reports thousands of times a second cannot flood the main loop, and
 * the bar shows the newest value whenever the main loop gets to it.
 *
 * The bar is held weakly: the window or dialog that shows it may go away
 * while the worker still runs, and the worker (through its task data) and
 * any queued update each hold a reference to the relay itself.
 */
#define G_LOG_DOMAIN "casebook-progress"

#include "config.h"

#include "cb-progress-relay.h"

struct _CbProgressRelay
{
  gint     permille;  /* atomic: the latest fraction reported, in thousandths */
  gint     pending;   /* atomic: whether an update is queued */
  GWeakRef bar;       /* touched in the main thread only */
};

/**
 * cb_progress_relay_new:
 * @bar: the bar that shows the progress; held weakly
 *
 * Call in the main thread; hand the result to the worker as the data of
 * cb_progress_relay_report().
 *
 * Returns: (transfer full): a new relay
 */
CbProgressRelay *
cb_progress_relay_new (GtkProgressBar *bar)
{
  CbProgressRelay *self;

  g_return_val_if_fail (GTK_IS_PROGRESS_BAR (bar), NULL);

  self = g_atomic_rc_box_new0 (CbProgressRelay);
  g_weak_ref_init (&self->bar, bar);
  return self;
}

CbProgressRelay *
cb_progress_relay_ref (CbProgressRelay *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
clear (gpointer data)
{
  CbProgressRelay *self = data;

  g_weak_ref_clear (&self->bar);
}

void
cb_progress_relay_unref (CbProgressRelay *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, clear);
}

static gboolean
show_latest (gpointer data)
{
  CbProgressRelay *self = data;
  g_autoptr(GtkProgressBar) bar = g_weak_ref_get (&self->bar);

  /* Cleared before the value is read, so that a report coming in
   * meanwhile queues an update of its own rather than being lost. */
  g_atomic_int_set (&self->pending, 0);

  if (bar != NULL)
    gtk_progress_bar_set_fraction (bar, g_atomic_int_get (&self->permille) / 1000.0);

  return G_SOURCE_REMOVE;
}

/**
 * cb_progress_relay_report:
 * @fraction: the share done, 0 to 1
 * @relay: (type CbProgressRelay): the relay
 *
 * A #CbProgressFunc, to be called from any thread: the bar shows
 * @fraction, or a later one, at the main loop's next chance.
 */
void
cb_progress_relay_report (double   fraction,
                          gpointer relay)
{
  CbProgressRelay *self = relay;

  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->permille, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000));

  if (g_atomic_int_compare_and_exchange (&self->pending, 0, 1))
    g_idle_add_full (G_PRIORITY_DEFAULT, show_latest,
                     cb_progress_relay_ref (self), (GDestroyNotify) cb_progress_relay_unref);
}

/**
 * cb_progress_relay_stop:
 *
 * Lets go of the bar: neither later reports nor updates already queued
 * change it any more, so it can be reset or reused for the next job. Call
 * in the main thread, when the work has ended.
 */
void
cb_progress_relay_stop (CbProgressRelay *self)
{
  g_return_if_fail (self != NULL);

  g_weak_ref_set (&self->bar, NULL);
}
