/* cb-practice-gaps.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks of DATA-DICTIONARY.md ("practice gaps"). Where the dictionary
 * leaves room, "no test" and "not referred" count only yes as done: a value
 * that was never recorded is itself the gap the inspection found.
 */
#define G_LOG_DOMAIN "casebook-gaps"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-practice-gaps.h"

static const CbGapInfo gaps[CB_N_GAPS] = {
  { CB_GAP_NOT_TESTED, "not_tested",
    N_("Drug misuse, not tested"),
    N_("Drug misuse is identified but no drug test is recorded"),
    "supervision-drug-testing" },
  { CB_GAP_PRIORITY_NO_INTERVENTION, "priority_no_intervention",
    N_("Priority, no intervention"),
    N_("Drug misuse is a priority factor but no intervention is recorded"),
    "supervision-priority-intervention" },
  { CB_GAP_NOT_REFERRED, "not_referred",
    N_("Not referred"),
    N_("Drug misuse is identified but there is no referral to treatment"),
    "partnership-referral-pathway" },
  { CB_GAP_DRR_NO_CONSENT, "drr_no_consent",
    N_("DRR without consent"),
    N_("A drug rehabilitation requirement has no written consent recorded"),
    "court-drr-consent" },
  { CB_GAP_OPIATE_NO_NALOXONE, "opiate_no_naloxone",
    N_("Opiate user without naloxone"),
    N_("Uses opiates but no naloxone supply is recorded"),
    "harm-naloxone" },
  { CB_GAP_CONTINUITY_MISSED, "continuity_missed",
    N_("Continuity of care missed"),
    N_("Treated in custody but no community treatment within 21 days of release"),
    "harm-continuity-from-custody" },
  { CB_GAP_INCOMPLETE, "incomplete",
    N_("Incomplete record"),
    N_("Required drug-use fields are not recorded"),
    "supervision-recording-drug-use" },
};

const CbGapInfo *
cb_practice_gaps_get_info (guint index)
{
  g_return_val_if_fail (index < CB_N_GAPS, NULL);

  return &gaps[index];
}

const CbGapInfo *
cb_practice_gaps_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < CB_N_GAPS; i++)
    if (g_str_equal (gaps[i].id, id))
      return &gaps[i];

  return NULL;
}

guint
cb_practice_gaps_count (CbGapFlags flags)
{
  guint n = 0;

  for (; flags != 0; flags &= flags - 1)
    n++;

  return n;
}

static gboolean
is_yes (CbCase    *self,
        CbFieldId  field)
{
  return cb_case_get_yes_no (self, field) == CB_YES_NO_YES;
}

static gboolean
continuity_missed (CbCase *self)
{
  int days;

  if (cb_case_get (self, CB_FIELD_RELEASED_ON) == NULL ||
      !is_yes (self, CB_FIELD_CUSTODY_TREATMENT))
    return FALSE;

  days = cb_date_days_between (cb_case_get (self, CB_FIELD_RELEASED_ON),
                               cb_case_get (self, CB_FIELD_COMMUNITY_TREATMENT_ON));
  return days == G_MININT || days < 0 || days > CB_CONTINUITY_DAYS;
}

/* The fields the "complete" indicator asks for, when drug misuse is
 * identified; a case whose drug misuse itself is not recorded is
 * incomplete too. */
static gboolean
is_incomplete (CbCase *self)
{
  static const CbFieldId needed[] = {
    CB_FIELD_SUBSTANCES, CB_FIELD_MAIN_SUBSTANCE, CB_FIELD_USE_FREQUENCY,
    CB_FIELD_INJECTING, CB_FIELD_PRIORITY_FACTOR, CB_FIELD_MOTIVATION,
    CB_FIELD_TESTED,
  };
  CbYesNo misuse = cb_case_get_yes_no (self, CB_FIELD_DRUG_MISUSE);

  if (misuse == CB_YES_NO_NOT_RECORDED)
    return TRUE;
  if (misuse == CB_YES_NO_NO)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (cb_case_get (self, needed[i]) == NULL)
      return TRUE;

  return FALSE;
}

static gboolean
no_intervention (CbCase *self)
{
  const char *intervention = cb_case_get (self, CB_FIELD_INTERVENTION);

  return intervention == NULL || g_str_equal (intervention, "none");
}

CbGapFlags
cb_practice_gaps_for_case (CbCase *self)
{
  gboolean misuse;
  CbGapFlags flags = 0;

  g_return_val_if_fail (CB_IS_CASE (self), 0);

  misuse = is_yes (self, CB_FIELD_DRUG_MISUSE);

  if (misuse && !is_yes (self, CB_FIELD_TESTED))
    flags |= CB_GAP_NOT_TESTED;
  if (is_yes (self, CB_FIELD_PRIORITY_FACTOR) && no_intervention (self))
    flags |= CB_GAP_PRIORITY_NO_INTERVENTION;
  if (misuse && cb_case_get (self, CB_FIELD_REFERRED_ON) == NULL)
    flags |= CB_GAP_NOT_REFERRED;
  if (cb_case_has_code (self, CB_FIELD_REQUIREMENTS, "drr") &&
      !is_yes (self, CB_FIELD_DRR_CONSENT))
    flags |= CB_GAP_DRR_NO_CONSENT;
  if (cb_case_is_opiate_user (self) && !is_yes (self, CB_FIELD_NALOXONE))
    flags |= CB_GAP_OPIATE_NO_NALOXONE;
  if (continuity_missed (self))
    flags |= CB_GAP_CONTINUITY_MISSED;
  if (is_incomplete (self))
    flags |= CB_GAP_INCOMPLETE;

  return flags;
}
