/* cb-demo-data.h — realistic synthetic cases for training, tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-case-store.h"
#include "cb-progress.h"

G_BEGIN_DECLS

/* Demo cases are dated relative to this day unless told otherwise, so the
 * same seed always gives the same rows. */
#define CB_DEMO_DEFAULT_ANCHOR "2026-03-31"
#define CB_DEMO_DEFAULT_SEED 2021

CbCase   *cb_demo_data_make_case (GRand          *rand,
                                  guint           index,
                                  const GDate    *anchor);
gboolean  cb_demo_data_generate  (CbCaseStore    *store,
                                  guint           n_cases,
                                  guint32         seed,
                                  const char     *anchor,
                                  CbProgressFunc  progress,
                                  gpointer        progress_data,
                                  GCancellable   *cancellable,
                                  GError        **error);

G_END_DECLS
