/* test-practice-gaps.c — each named check on hand-built cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-test-gaps"

#include <gio/gio.h>

#include "cb-case.h"
#include "cb-guidance-library.h"
#include "cb-practice-gaps.h"

#ifndef SOURCE_ROOT
# error "SOURCE_ROOT must name the source tree"
#endif

#define CARDS_PATH SOURCE_ROOT "/data/guidance/cards.xml"

/* A valid case with nothing recorded beyond the required fields, and drug
 * misuse answered "no", so that it fails no check at all. */
static CbCase *
clean_case (void)
{
  CbCase *c = cb_case_new ();

  cb_case_set (c, CB_FIELD_CASE_REF, "GAP-1");
  cb_case_set (c, CB_FIELD_AREA, "Leeds");
  cb_case_set (c, CB_FIELD_SENTENCE_TYPE, "licence");
  cb_case_set (c, CB_FIELD_START_DATE, "2024-01-01");
  cb_case_set (c, CB_FIELD_DRUG_MISUSE, "no");

  g_assert_cmphex (cb_practice_gaps_for_case (c), ==, 0);
  return c;
}

/* Drug misuse identified with every "complete" field recorded, tested and
 * referred: again no gap. */
static CbCase *
complete_user (void)
{
  CbCase *c = clean_case ();

  cb_case_set (c, CB_FIELD_DRUG_MISUSE, "yes");
  cb_case_set (c, CB_FIELD_SUBSTANCES, "cannabis");
  cb_case_set (c, CB_FIELD_MAIN_SUBSTANCE, "cannabis");
  cb_case_set (c, CB_FIELD_USE_FREQUENCY, "daily");
  cb_case_set (c, CB_FIELD_INJECTING, "never");
  cb_case_set (c, CB_FIELD_PRIORITY_FACTOR, "no");
  cb_case_set (c, CB_FIELD_MOTIVATION, "partial");
  cb_case_set (c, CB_FIELD_TESTED, "yes");
  cb_case_set (c, CB_FIELD_REFERRED_ON, "2024-02-01");

  g_assert_cmphex (cb_practice_gaps_for_case (c), ==, 0);
  return c;
}

static void
assert_gaps (CbCase     *c,
             CbGapFlags  expected,
             const char *why)
{
  CbGapFlags got = cb_practice_gaps_for_case (c);

  if (got != expected)
    g_error ("%s: gaps 0x%x, expected 0x%x", why, got, expected);
}

static void
test_not_tested (void)
{
  g_autoptr(CbCase) c = complete_user ();

  cb_case_set (c, CB_FIELD_TESTED, "no");
  assert_gaps (c, CB_GAP_NOT_TESTED, "tested no");
  /* Not recorded is the gap itself, and makes the record incomplete. */
  cb_case_set (c, CB_FIELD_TESTED, NULL);
  assert_gaps (c, CB_GAP_NOT_TESTED | CB_GAP_INCOMPLETE, "tested not recorded");
  cb_case_set (c, CB_FIELD_TESTED, "yes");
  assert_gaps (c, 0, "tested yes");

  /* Without drug misuse identified, no test is owed. */
  cb_case_set (c, CB_FIELD_TESTED, "no");
  cb_case_set (c, CB_FIELD_DRUG_MISUSE, "no");
  assert_gaps (c, 0, "no misuse, not tested");
}

static void
test_priority_no_intervention (void)
{
  g_autoptr(CbCase) c = complete_user ();

  cb_case_set (c, CB_FIELD_PRIORITY_FACTOR, "yes");
  assert_gaps (c, CB_GAP_PRIORITY_NO_INTERVENTION, "priority, intervention NULL");
  cb_case_set (c, CB_FIELD_INTERVENTION, "none");
  assert_gaps (c, CB_GAP_PRIORITY_NO_INTERVENTION, "priority, intervention none");
  cb_case_set (c, CB_FIELD_INTERVENTION, "psychosocial");
  assert_gaps (c, 0, "priority, psychosocial");
  cb_case_set (c, CB_FIELD_INTERVENTION, "opioid_substitution");
  assert_gaps (c, 0, "priority, opioid substitution");

  cb_case_set (c, CB_FIELD_INTERVENTION, "none");
  cb_case_set (c, CB_FIELD_PRIORITY_FACTOR, "no");
  assert_gaps (c, 0, "not a priority, none");
  cb_case_set (c, CB_FIELD_PRIORITY_FACTOR, NULL);
  assert_gaps (c, CB_GAP_INCOMPLETE, "priority not recorded, none");
}

static void
test_not_referred (void)
{
  g_autoptr(CbCase) c = complete_user ();

  cb_case_set (c, CB_FIELD_REFERRED_ON, NULL);
  assert_gaps (c, CB_GAP_NOT_REFERRED, "misuse, no referral");
  /* A provider named without a referral date is still no referral. */
  cb_case_set (c, CB_FIELD_PROVIDER, "Forward Trust");
  assert_gaps (c, CB_GAP_NOT_REFERRED, "provider but no date");
  cb_case_set (c, CB_FIELD_DRUG_MISUSE, "no");
  assert_gaps (c, 0, "no misuse, no referral");
}

static void
test_drr_no_consent (void)
{
  g_autoptr(CbCase) c = clean_case ();

  cb_case_set (c, CB_FIELD_REQUIREMENTS, "drr");
  assert_gaps (c, CB_GAP_DRR_NO_CONSENT, "DRR, consent not recorded");
  cb_case_set (c, CB_FIELD_DRR_CONSENT, "no");
  assert_gaps (c, CB_GAP_DRR_NO_CONSENT, "DRR, consent no");
  cb_case_set (c, CB_FIELD_DRR_CONSENT, "yes");
  assert_gaps (c, 0, "DRR, consent yes");

  cb_case_set (c, CB_FIELD_DRR_CONSENT, NULL);
  cb_case_set (c, CB_FIELD_REQUIREMENTS, "drr;drug_testing");
  assert_gaps (c, CB_GAP_DRR_NO_CONSENT, "DRR among others");
  cb_case_set (c, CB_FIELD_REQUIREMENTS, "atr;mhtr;drug_testing;licence_drug_testing");
  assert_gaps (c, 0, "requirements without a DRR");
}

static void
test_opiate_no_naloxone (void)
{
  static const char *opiates[] = { "heroin", "methadone_not_prescribed", "other_opiates" };
  static const char *others[] = { "crack", "cocaine", "misused_prescribed", "benzodiazepines", "alcohol" };
  g_autoptr(CbCase) c = clean_case ();

  for (guint i = 0; i < G_N_ELEMENTS (opiates); i++)
    {
      g_autofree char *with_crack = g_strdup_printf ("%s;crack", opiates[i]);

      cb_case_set (c, CB_FIELD_NALOXONE, NULL);
      cb_case_set (c, CB_FIELD_SUBSTANCES, opiates[i]);
      assert_gaps (c, CB_GAP_OPIATE_NO_NALOXONE, opiates[i]);
      cb_case_set (c, CB_FIELD_SUBSTANCES, with_crack);
      assert_gaps (c, CB_GAP_OPIATE_NO_NALOXONE, with_crack);
      cb_case_set (c, CB_FIELD_NALOXONE, "no");
      assert_gaps (c, CB_GAP_OPIATE_NO_NALOXONE, "naloxone no");
      cb_case_set (c, CB_FIELD_NALOXONE, "yes");
      assert_gaps (c, 0, "naloxone yes");
    }

  cb_case_set (c, CB_FIELD_NALOXONE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      cb_case_set (c, CB_FIELD_SUBSTANCES, others[i]);
      assert_gaps (c, 0, others[i]);
    }
}

static void
test_continuity (void)
{
  g_autoptr(CbCase) c = clean_case ();

  cb_case_set (c, CB_FIELD_RELEASED_ON, "2024-01-01");
  cb_case_set (c, CB_FIELD_CUSTODY_TREATMENT, "yes");

  assert_gaps (c, CB_GAP_CONTINUITY_MISSED, "no community contact");
  cb_case_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON, "2024-01-01");
  assert_gaps (c, 0, "contact on the day of release");
  cb_case_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON, "2024-01-22");
  assert_gaps (c, 0, "contact at 21 days");
  cb_case_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON, "2024-01-23");
  assert_gaps (c, CB_GAP_CONTINUITY_MISSED, "contact at 22 days");
  cb_case_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON, "2023-12-31");
  assert_gaps (c, CB_GAP_CONTINUITY_MISSED, "contact dated before release");

  /* Across a month and a leap day: 2024-02-20 + 21 = 2024-03-12. */
  cb_case_set (c, CB_FIELD_RELEASED_ON, "2024-02-20");
  cb_case_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON, "2024-03-12");
  assert_gaps (c, 0, "21 days over 29 February");
  cb_case_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON, "2024-03-13");
  assert_gaps (c, CB_GAP_CONTINUITY_MISSED, "22 days over 29 February");

  /* Only people treated in custody and released are counted. */
  cb_case_set (c, CB_FIELD_CUSTODY_TREATMENT, "no");
  assert_gaps (c, 0, "not treated in custody");
  cb_case_set (c, CB_FIELD_CUSTODY_TREATMENT, NULL);
  assert_gaps (c, 0, "custody treatment not recorded");
  cb_case_set (c, CB_FIELD_CUSTODY_TREATMENT, "yes");
  cb_case_set (c, CB_FIELD_RELEASED_ON, NULL);
  cb_case_set (c, CB_FIELD_COMMUNITY_TREATMENT_ON, NULL);
  assert_gaps (c, 0, "no release date");
}

static void
test_incomplete (void)
{
  static const CbFieldId needed[] = {
    CB_FIELD_SUBSTANCES, CB_FIELD_MAIN_SUBSTANCE, CB_FIELD_USE_FREQUENCY,
    CB_FIELD_INJECTING, CB_FIELD_PRIORITY_FACTOR, CB_FIELD_MOTIVATION,
    CB_FIELD_TESTED,
  };
  g_autoptr(CbCase) no_misuse = clean_case ();

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      g_autoptr(CbCase) c = complete_user ();
      CbGapFlags expected = CB_GAP_INCOMPLETE;

      /* A missing test answer is also a missing test. */
      if (needed[i] == CB_FIELD_TESTED)
        expected |= CB_GAP_NOT_TESTED;
      /* Taking away the substances takes the main one with them. */
      if (needed[i] == CB_FIELD_SUBSTANCES)
        cb_case_set (c, CB_FIELD_MAIN_SUBSTANCE, NULL);

      cb_case_set (c, needed[i], NULL);
      assert_gaps (c, expected, cb_field_get (needed[i])->name);
    }

  /* Drug misuse not recorded at all is incomplete; "no" is complete. */
  cb_case_set (no_misuse, CB_FIELD_DRUG_MISUSE, NULL);
  assert_gaps (no_misuse, CB_GAP_INCOMPLETE, "misuse not recorded");
  cb_case_set (no_misuse, CB_FIELD_DRUG_MISUSE, "no");
  assert_gaps (no_misuse, 0, "misuse no");
}

/* A case can fail every check at once. */
static void
test_all_gaps (void)
{
  g_autoptr(CbCase) c = clean_case ();
  CbGapFlags all = 0;

  cb_case_set (c, CB_FIELD_DRUG_MISUSE, "yes");
  cb_case_set (c, CB_FIELD_SUBSTANCES, "heroin");
  cb_case_set (c, CB_FIELD_PRIORITY_FACTOR, "yes");
  cb_case_set (c, CB_FIELD_REQUIREMENTS, "drr");
  cb_case_set (c, CB_FIELD_RELEASED_ON, "2024-01-01");
  cb_case_set (c, CB_FIELD_CUSTODY_TREATMENT, "yes");

  for (guint i = 0; i < CB_N_GAPS; i++)
    all |= cb_practice_gaps_get_info (i)->flag;

  assert_gaps (c, all, "every gap");
  g_assert_cmpuint (cb_practice_gaps_count (cb_practice_gaps_for_case (c)), ==, CB_N_GAPS);
  g_assert_cmpuint (cb_practice_gaps_count (0), ==, 0);
  g_assert_cmpuint (cb_practice_gaps_count (CB_GAP_NOT_TESTED | CB_GAP_INCOMPLETE), ==, 2);
}

/* Every gap is described and points at a guidance card that exists. */
static void
test_info_and_cards (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CbGuidanceLibrary) library = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) cards = g_hash_table_new (g_str_hash, g_str_equal);
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (CARDS_PATH, &contents, &length, &error));
  g_assert_no_error (error);
  bytes = g_bytes_new_take (contents, length);
  library = cb_guidance_library_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < CB_N_GAPS; i++)
    {
      const CbGapInfo *info = cb_practice_gaps_get_info (i);

      g_assert_cmphex (info->flag, ==, 1u << i);
      g_assert_nonnull (info->id);
      g_assert_nonnull (info->title);
      g_assert_nonnull (info->detail);
      g_assert_nonnull (info->card_id);
      g_assert_cmpstr (info->title, !=, "");
      g_assert_cmpstr (info->detail, !=, "");
      g_assert_true (g_hash_table_add (ids, (gpointer) info->id));
      g_assert_true (g_hash_table_add (cards, (gpointer) info->card_id));
      g_assert_true (cb_practice_gaps_lookup (info->id) == info);

      if (cb_guidance_library_find (library, info->card_id) == NULL)
        g_error ("gap %s names card “%s”, which is not in cards.xml", info->id, info->card_id);
    }

  g_assert_null (cb_practice_gaps_lookup ("no_such_gap"));
  g_assert_null (cb_practice_gaps_lookup (""));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gaps/not-tested", test_not_tested);
  g_test_add_func ("/gaps/priority-no-intervention", test_priority_no_intervention);
  g_test_add_func ("/gaps/not-referred", test_not_referred);
  g_test_add_func ("/gaps/drr-no-consent", test_drr_no_consent);
  g_test_add_func ("/gaps/opiate-no-naloxone", test_opiate_no_naloxone);
  g_test_add_func ("/gaps/continuity", test_continuity);
  g_test_add_func ("/gaps/incomplete", test_incomplete);
  g_test_add_func ("/gaps/all", test_all_gaps);
  g_test_add_func ("/gaps/info-and-cards", test_info_and_cards);

  return g_test_run ();
}
