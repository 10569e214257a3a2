/* cb-report-writer.h — the commissioning report as an Excel workbook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-case-query.h"
#include "cb-case-store.h"
#include "cb-guidance-library.h"
#include "cb-progress.h"

G_BEGIN_DECLS

/* The thresholds a report accepts; the dictionary's default is
 * CB_SUPPRESSION_DEFAULT_THRESHOLD. */
#define CB_REPORT_THRESHOLD_MIN 2
#define CB_REPORT_THRESHOLD_MAX 100

#define CB_TYPE_REPORT_OPTIONS (cb_report_options_get_type ())

/* What goes into a workbook. A plain value: copy it to hand it to a worker
 * thread. */
typedef struct _CbReportOptions CbReportOptions;

GType            cb_report_options_get_type          (void) G_GNUC_CONST;

CbReportOptions *cb_report_options_new               (void);
CbReportOptions *cb_report_options_copy              (const CbReportOptions *self);
void             cb_report_options_free              (CbReportOptions       *self);

void             cb_report_options_set_query         (CbReportOptions       *self,
                                                      CbCaseQuery           *query);
CbCaseQuery     *cb_report_options_get_query         (const CbReportOptions *self);
void             cb_report_options_set_include_cases (CbReportOptions       *self,
                                                      gboolean               include);
gboolean         cb_report_options_get_include_cases (const CbReportOptions *self);
void             cb_report_options_set_include_notes (CbReportOptions       *self,
                                                      gboolean               include);
gboolean         cb_report_options_get_include_notes (const CbReportOptions *self);
void             cb_report_options_set_threshold     (CbReportOptions       *self,
                                                      guint                  threshold);
guint            cb_report_options_get_threshold     (const CbReportOptions *self);
void             cb_report_options_set_title         (CbReportOptions       *self,
                                                      const char            *title);
const char      *cb_report_options_get_title         (const CbReportOptions *self);
void             cb_report_options_set_guidance      (CbReportOptions       *self,
                                                      CbGuidanceLibrary     *library);

gboolean         cb_report_writer_write              (CbCaseStore           *store,
                                                      const CbReportOptions *options,
                                                      const char            *path,
                                                      CbProgressFunc         progress,
                                                      gpointer               progress_data,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbReportOptions, cb_report_options_free)

G_END_DECLS
