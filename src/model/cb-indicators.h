/* cb-indicators.h — the indicators of the commissioning report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indicators of DATA-DICTIONARY.md ("Indicators of the commissioning
 * report") for the cases a query selects, with the same counts broken down
 * by area, substance group, sentence type, age band, gender and ethnicity.
 */
#pragma once

#include <gio/gio.h>

#include "cb-case-query.h"
#include "cb-case-store.h"

G_BEGIN_DECLS

/* In the order of the dictionary's table. */
typedef enum
{
  CB_INDICATOR_CASELOAD,
  CB_INDICATOR_DRUG_MISUSE,
  CB_INDICATOR_CLASS_A,
  CB_INDICATOR_TESTED,
  CB_INDICATOR_REFERRED,
  CB_INDICATOR_STARTED,
  CB_INDICATOR_WAITED_21,
  CB_INDICATOR_PRIORITY_INTERVENTION,
  CB_INDICATOR_CONTINUITY,
  CB_INDICATOR_NALOXONE,
  CB_INDICATOR_DRR_CONSENT,
  CB_INDICATOR_REQ_DRR,
  CB_INDICATOR_REQ_ATR,
  CB_INDICATOR_REQ_MHTR,
  CB_INDICATOR_REQ_DRUG_TESTING,
  CB_INDICATOR_DRUG_DEATHS,
  CB_INDICATOR_COMPLETE,
  CB_N_INDICATORS
} CbIndicatorKind;

typedef enum
{
  CB_BREAKDOWN_AREA,
  CB_BREAKDOWN_SUBSTANCE_GROUP,
  CB_BREAKDOWN_SENTENCE_TYPE,
  CB_BREAKDOWN_AGE_BAND,
  CB_BREAKDOWN_GENDER,
  CB_BREAKDOWN_ETHNICITY,
  CB_N_BREAKDOWNS
} CbBreakdownKind;

/* How a local figure stands against the national one, for colouring. */
typedef enum
{
  CB_COMPARISON_NONE,     /* no national figure, or nothing to compare */
  CB_COMPARISON_SIMILAR,  /* within CB_INDICATOR_SIMILAR_BAND */
  CB_COMPARISON_BETTER,
  CB_COMPARISON_WORSE,
} CbComparison;

/* Proportions this close to the national one (two percentage points)
 * count as similar: the national figures are themselves estimates. */
#define CB_INDICATOR_SIMILAR_BAND 0.02

/* The keys of the rows for a value not recorded (age band, gender,
 * ethnicity) and for an age under 18. Codes never hold '-', so these
 * cannot clash with a code. */
#define CB_BREAKDOWN_KEY_NOT_RECORDED "not-recorded"
#define CB_BREAKDOWN_KEY_UNDER_18     "under-18"

/* One indicator: numerator / denominator, with the national figure.
 * Strings are translated and owned by the library. */
typedef struct
{
  CbIndicatorKind  kind;
  const char      *id;               /* the dictionary's id, e.g. "tested" */
  const char      *label;
  const char      *description;      /* the definition in words */
  const char      *national_text;    /* e.g. "1 in 6…"; "" when none */
  double           national_value;   /* a proportion 0…1; NaN when none */
  gboolean         higher_is_better;
  gint64           numerator;
  gint64           denominator;
} CbIndicator;

/* One row of a breakdown: the indicators for the cases with that key. */
typedef struct
{
  const char  *key;     /* area text, code, age band or "not-recorded" */
  const char  *label;
  CbIndicator  values[CB_N_INDICATORS];
} CbBreakdownRow;

double           cb_indicator_get_proportion     (const CbIndicator *self);
double           cb_indicator_get_percentage     (const CbIndicator *self);
gboolean         cb_indicator_has_percentage     (const CbIndicator *self);
CbComparison     cb_indicator_compare_national   (const CbIndicator *self);

const CbIndicator *cb_indicator_kind_get_info    (CbIndicatorKind    kind);
gboolean         cb_indicator_kind_from_id       (const char        *id,
                                                  CbIndicatorKind   *kind);

const char      *cb_breakdown_kind_get_id        (CbBreakdownKind    kind);
const char      *cb_breakdown_kind_get_label     (CbBreakdownKind    kind);
gboolean         cb_breakdown_kind_from_id       (const char        *id,
                                                  CbBreakdownKind   *kind);

#define CB_TYPE_INDICATORS (cb_indicators_get_type ())

G_DECLARE_FINAL_TYPE (CbIndicators, cb_indicators, CB, INDICATORS, GObject)

CbIndicators      *cb_indicators_compute       (CbCaseStore       *store,
                                                CbCaseQuery       *query,
                                                GCancellable      *cancellable,
                                                GError           **error);
const char        *cb_indicators_get_from      (CbIndicators      *self);
const char        *cb_indicators_get_to        (CbIndicators      *self);
gint64             cb_indicators_get_caseload  (CbIndicators      *self);
guint              cb_indicators_get_n         (CbIndicators      *self);
const CbIndicator *cb_indicators_get           (CbIndicators      *self,
                                                CbIndicatorKind    kind);
const CbIndicator *cb_indicators_lookup        (CbIndicators      *self,
                                                const char        *id);
GPtrArray         *cb_indicators_get_breakdown (CbIndicators      *self,
                                                CbBreakdownKind    kind);
GPtrArray         *cb_indicators_get_cascade   (CbIndicators      *self);

G_END_DECLS
