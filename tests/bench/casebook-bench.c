/* casebook-bench.c — whole-operation timings and peak memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each measurement runs in a child process of its own, so the peak
 * resident memory reported is that operation's alone (wait4's ru_maxrss).
 * Sizes: 1,000 / 10,000 / 156,000 demo cases (the national caseload).
 * Usage: casebook-bench [--sizes 1000,10000,156000] [--dir DIR] [--only TEXT]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cb-bench.h"

static GPtrArray *operations;

void
cb_bench_register (const char   *name,
                   CbBenchFunc   prepare,
                   CbBenchFunc   run)
{
  CbBenchOperation *op = g_new0 (CbBenchOperation, 1);

  op->name = name;
  op->prepare = prepare;
  op->run = run;
  g_ptr_array_add (operations, op);
}

double
cb_bench_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* The demo database of a size, made once and shared by the operations
 * that read it. */
char *
cb_bench_demo_db (const CbBenchContext *context)
{
  return g_strdup_printf ("%s/demo-%u.db", context->dir, context->n_cases);
}

static void
report_failure (const char *what, const GError *error)
{
  g_printerr ("casebook-bench: %s: %s\n", what, error ? error->message : "failed");
  _exit (3);
}

void
cb_bench_check (gboolean ok, const char *what, const GError *error)
{
  if (!ok)
    report_failure (what, error);
}

typedef struct
{
  double seconds;
  char   note[200];
} ChildResult;

static gboolean
measure (CbBenchOperation     *op,
         CbBenchContext       *context,
         double               *seconds,
         long                 *peak_kib,
         char                 *note,
         gsize                 note_size)
{
  int fds[2];
  pid_t pid;
  int status;
  struct rusage usage;
  ChildResult result = { 0 };

  if (op->prepare != NULL)
    op->prepare (context);

  if (pipe (fds) != 0)
    return FALSE;

  pid = fork ();
  if (pid == 0)
    {
      close (fds[0]);
      context->note = result.note;
      context->note_size = sizeof result.note;
      result.seconds = op->run (context);
      if (write (fds[1], &result, sizeof result) != sizeof result)
        _exit (4);
      _exit (0);
    }

  close (fds[1]);
  if (read (fds[0], &result, sizeof result) != sizeof result)
    result.seconds = -1;
  close (fds[0]);
  wait4 (pid, &status, 0, &usage);

  *seconds = result.seconds;
  *peak_kib = usage.ru_maxrss;
  g_strlcpy (note, result.note, note_size);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 && result.seconds >= 0;
}

static guint *
parse_sizes (const char *text, guint *n_sizes)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint *sizes = g_new0 (guint, g_strv_length (parts));

  *n_sizes = 0;
  for (guint i = 0; parts[i]; i++)
    sizes[(*n_sizes)++] = g_ascii_strtoull (parts[i], NULL, 10);

  return sizes;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sizes_text = g_strdup ("1000,10000,156000");
  g_autofree char *dir = NULL;
  g_autofree char *only = NULL;
  g_autofree guint *sizes = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("— Casebook benchmarks");
  g_autoptr(GError) error = NULL;
  guint n_sizes;
  gboolean failed = FALSE;
  const GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Case counts, comma-separated", "N,N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Work folder (default: a new temporary one)", "DIR" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Run only the operations whose name contains TEXT", "TEXT" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("casebook-bench: %s\n", error->message);
      return 2;
    }

  if (dir == NULL)
    dir = g_dir_make_tmp ("casebook-bench-XXXXXX", NULL);
  g_mkdir_with_parents (dir, 0700);
  sizes = parse_sizes (sizes_text, &n_sizes);

  operations = g_ptr_array_new_with_free_func (g_free);
  cb_bench_register_all ();

  g_print ("%-34s %9s %10s %11s  %s\n", "operation", "cases", "seconds", "peak MiB", "notes");
  g_print ("%-34s %9s %10s %11s  %s\n", "---------", "-----", "-------", "--------", "-----");

  for (guint s = 0; s < n_sizes; s++)
    for (guint i = 0; i < operations->len; i++)
      {
        CbBenchOperation *op = g_ptr_array_index (operations, i);
        CbBenchContext context = { dir, sizes[s], NULL, 0 };
        char note[200] = "";
        double seconds;
        long peak_kib;

        if (only != NULL && strstr (op->name, only) == NULL)
          continue;

        if (!measure (op, &context, &seconds, &peak_kib, note, sizeof note))
          {
            g_print ("%-34s %9u %10s %11s  %s\n", op->name, sizes[s], "FAILED", "-", note);
            failed = TRUE;
            continue;
          }

        g_print ("%-34s %9u %10.3f %11.1f  %s\n", op->name, sizes[s], seconds,
                 peak_kib / 1024.0, note);
      }

  return failed ? 1 : 0;
}
