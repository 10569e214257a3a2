/* cb-practice-gaps.h — the named checks a case can fail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-case.h"

G_BEGIN_DECLS

typedef enum
{
  CB_GAP_NOT_TESTED              = 1 << 0,
  CB_GAP_PRIORITY_NO_INTERVENTION = 1 << 1,
  CB_GAP_NOT_REFERRED            = 1 << 2,
  CB_GAP_DRR_NO_CONSENT          = 1 << 3,
  CB_GAP_OPIATE_NO_NALOXONE      = 1 << 4,
  CB_GAP_CONTINUITY_MISSED       = 1 << 5,
  CB_GAP_INCOMPLETE              = 1 << 6,
} CbGapFlags;

#define CB_N_GAPS 7

typedef struct
{
  CbGapFlags  flag;
  const char *id;       /* stable, for CSV and command-line use */
  const char *title;    /* translatable: the filter and list label */
  const char *detail;   /* translatable: what the check looks at */
  const char *card_id;  /* the guidance card that addresses the gap */
} CbGapInfo;

const CbGapInfo *cb_practice_gaps_get_info   (guint       index);
const CbGapInfo *cb_practice_gaps_lookup     (const char *id);
CbGapFlags       cb_practice_gaps_for_case   (CbCase     *self);
guint            cb_practice_gaps_count      (CbGapFlags  gaps);

/* Within this many days of release, a first community contact keeps
 * continuity of care (the OHID indicator). */
#define CB_CONTINUITY_DAYS 21

G_END_DECLS
