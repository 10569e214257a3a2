/* test-progress-relay.c — a worker thread's progress on a real progress bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relay serves the import dialog, the Reports page and the backup
 * strip; their own tests see it work end to end. These pin down what they
 * rely on: a report from another thread reaches the bar through the main
 * loop, the latest value wins, and after stop (or once the bar is gone)
 * nothing reaches it.
 */
#include "config.h"

#include "cb-progress-relay.h"
#include "cb-ui-test-util.h"

typedef struct
{
  GtkWindow      *window;
  GtkProgressBar *bar;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->bar));
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
}

/* Runs what is queued on the main loop, the relay's updates included;
 * they are queued by the time report() returns, so nothing is timed. */
static void
run_main_loop (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

typedef struct
{
  CbProgressRelay *relay;
  const double    *fractions;
  guint            n_fractions;
} Worker;

static gpointer
report_all (gpointer data)
{
  Worker *worker = data;

  for (guint i = 0; i < worker->n_fractions; i++)
    cb_progress_relay_report (worker->fractions[i], worker->relay);

  return NULL;
}

static void
report_from_thread (CbProgressRelay *relay,
                    const double    *fractions,
                    guint            n_fractions)
{
  Worker worker = { relay, fractions, n_fractions };

  g_thread_join (g_thread_new ("worker", report_all, &worker));
}

static void
test_from_worker_thread (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CbProgressRelay) relay = cb_progress_relay_new (fixture->bar);
  static const double first[] = { 0.1, 0.25 };
  static const double many[] = { 0.3, 0.4, 0.5, 0.6, 0.75 };

  g_assert_cmpfloat (gtk_progress_bar_get_fraction (fixture->bar), ==, 0.0);

  report_from_thread (relay, first, G_N_ELEMENTS (first));
  run_main_loop ();
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (fixture->bar), 0.25, 1e-9);

  /* Reports faster than the main loop runs: the bar shows the last. */
  report_from_thread (relay, many, G_N_ELEMENTS (many));
  run_main_loop ();
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (fixture->bar), 0.75, 1e-9);
}

/* Once the job has ended, the bar is the window's again: neither an
 * update already queued nor a late report changes it. */
static void
test_stopped (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CbProgressRelay) relay = cb_progress_relay_new (fixture->bar);

  cb_progress_relay_report (0.4, relay);
  run_main_loop ();
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (fixture->bar), 0.4, 1e-9);

  cb_progress_relay_report (0.8, relay);
  cb_progress_relay_stop (relay);
  gtk_progress_bar_set_fraction (fixture->bar, 0.0);
  run_main_loop ();
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (fixture->bar), ==, 0.0);

  cb_progress_relay_report (0.9, relay);
  run_main_loop ();
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (fixture->bar), ==, 0.0);
}

/* The window closes while an update is queued and the worker runs on:
 * the relay outlives the bar without touching it (the sanitizer and
 * valgrind runs would see it if it did). */
static void
test_bar_gone (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CbProgressRelay) relay = cb_progress_relay_new (fixture->bar);
  static const double late[] = { 0.7 };
  GtkProgressBar *bar = fixture->bar;

  g_object_add_weak_pointer (G_OBJECT (bar), (gpointer *) &bar);
  cb_progress_relay_report (0.5, relay);

  gtk_window_destroy (g_steal_pointer (&fixture->window));
  run_main_loop ();
  g_assert_null (bar);

  report_from_thread (relay, late, G_N_ELEMENTS (late));
  run_main_loop ();
}

int
main (int   argc,
      char *argv[])
{
  cb_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/progress-relay/from-worker-thread", test_from_worker_thread);
  ADD ("/progress-relay/stopped", test_stopped);
  ADD ("/progress-relay/bar-gone", test_bar_gone);

#undef ADD

  return g_test_run ();
}
