/* cb-bench.h — the benchmark registry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each area of Casebook adds its operations in its own file and lists its
 * register function in cb_bench_register_all() (cb-bench-core.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *dir;        /* work folder, shared by all operations */
  guint       n_cases;
  char       *note;       /* run() may write a short note here */
  gsize       note_size;
} CbBenchContext;

/* prepare() runs in the parent, untimed; run() in a child process and
 * returns the seconds the operation itself took. */
typedef double (*CbBenchFunc) (CbBenchContext *context);

typedef struct
{
  const char  *name;
  CbBenchFunc  prepare;
  CbBenchFunc  run;
} CbBenchOperation;

void    cb_bench_register     (const char           *name,
                               CbBenchFunc           prepare,
                               CbBenchFunc           run);
void    cb_bench_register_all (void);
double  cb_bench_now          (void);
char   *cb_bench_demo_db      (const CbBenchContext *context);
void    cb_bench_check        (gboolean              ok,
                               const char           *what,
                               const GError         *error);

G_END_DECLS
