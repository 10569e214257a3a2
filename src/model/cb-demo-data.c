/* cb-demo-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The proportions follow the inspection's national picture: about half of
 * the caseload with drug misuse identified, one in six of those tested,
 * under one in twenty-five referred to treatment, an intervention for just
 * under half of those whose drug use is a priority, and a third of prison
 * leavers treated in custody picked up in the community within 21 days.
 * Some values are left unrecorded on purpose, as they are in real records,
 * and free text carries the awkward characters an import must survive.
 */
#define G_LOG_DOMAIN "casebook-demo"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-case-store-private.h"
#include "cb-demo-data.h"
#include "cb-error.h"

typedef struct
{
  const char *value;
  double      weight;
} Choice;

#define PICK(rand, list) pick (rand, list, G_N_ELEMENTS (list))

static const char *
pick (GRand        *rand,
      const Choice *choices,
      guint         n_choices)
{
  double total = 0, r;

  for (guint i = 0; i < n_choices; i++)
    total += choices[i].weight;

  r = g_rand_double (rand) * total;
  for (guint i = 0; i < n_choices; i++)
    {
      if (r < choices[i].weight)
        return choices[i].value;
      r -= choices[i].weight;
    }

  return choices[n_choices - 1].value;
}

static gboolean
chance (GRand  *rand,
        double  p)
{
  return g_rand_double (rand) < p;
}

static const Choice areas[] = {
  { "Cardiff and Vale", 9 }, { "Swansea Bay", 6 }, { "Manchester North", 12 },
  { "Leeds", 11 }, { "Birmingham Central", 13 }, { "Lambeth", 8 },
  { "Middlesbrough", 7 }, { "Bristol", 9 }, { "Newcastle", 8 },
  { "Kent North", 10 }, { "Liverpool", 7 },
};

/* Awkward on purpose: quotes, commas, line breaks and non-ASCII text. */
static const Choice teams[] = {
  { "Central", 6 }, { "North \"Hub\", Station Road", 2 }, { "South", 5 },
  { "Tîm Cymraeg – Canolog", 1 }, { "East\nSatellite office", 1 },
  { "Courts team", 2 }, { "Resettlement", 2 }, { "Women's service", 1 },
};

static const Choice providers[] = {
  { "Change, Grow, Live", 5 }, { "We Are With You", 4 }, { "Forward Trust", 2 },
  { "Kaleidoscope – Gwent", 1 }, { "\"Turning Point\"", 2 },
  { "Dyfodol\nSwansea", 1 }, { "NHS Substance Misuse Service", 3 },
};

static const Choice notes[] = {
  { "Engaging well; attends weekly.", 4 },
  { "Says \"I'm ready this time\", wants a referral.", 2 },
  { "Moved address twice, phone changed.\nCheck contact details at next appointment.", 2 },
  { "Prefers appointments in Welsh — Cymraeg yn iawn.", 1 },
  { "=Disclosed relapse; see contact log", 1 },
  { "-ve test at induction, positive since", 1 },
  { "+1 missed appointment (illness, certificate seen)", 1 },
  { "@Café outreach: naloxone kit explained, déjà reçu", 1 },
  { "Partner's use is a risk factor; safeguarding referral made, ref \"S-22\".", 1 },
  { "Treatment slot offered in 28 days; waiting, motivated.", 2 },
};

static const Choice sentence_types[] = {
  { "community_order", 45 }, { "suspended_sentence_order", 20 },
  { "licence", 25 }, { "post_sentence_supervision", 5 }, { "pre_sentence", 5 },
};

static const Choice genders[] = {
  { "male", 84 }, { "female", 13 }, { "non_binary", 0.5 }, { "not_stated", 1.5 },
  { NULL, 1 },
};

static const Choice ethnicities[] = {
  { "white", 77 }, { "black", 8 }, { "asian", 7 }, { "mixed", 4 },
  { "other", 1.5 }, { "not_stated", 1.5 }, { NULL, 1 },
};

static const Choice main_substances[] = {
  { "heroin", 24 }, { "crack", 12 }, { "cocaine", 15 }, { "cannabis", 27 },
  { "amphetamines", 4 }, { "benzodiazepines", 3 }, { "spice", 4 },
  { "misused_prescribed", 3 }, { "ketamine", 1.5 }, { "ecstasy", 1.5 },
  { "methadone_not_prescribed", 1.5 }, { "other_opiates", 1.5 },
  { "hallucinogens", 0.5 }, { "steroids", 0.5 }, { "solvents", 0.3 },
  { "other", 0.7 },
};

static const Choice frequencies[] = {
  { "daily", 45 }, { "weekly", 30 }, { "monthly", 10 }, { "occasional", 15 },
};

static const Choice motivations[] = {
  { "none", 20 }, { "partial", 45 }, { "full", 20 }, { "unknown", 15 },
};

static const Choice test_results[] = {
  { "negative", 40 }, { "positive", 48 }, { "refused", 7 }, { "not_known", 5 },
};

static const Choice interventions[] = {
  { "structured_treatment", 30 }, { "opioid_substitution", 15 },
  { "psychosocial", 20 }, { "recovery_support", 15 },
  { "accredited_programme", 5 }, { "brief_intervention", 15 },
};

static const Choice death_causes[] = {
  { "yes", 40 }, { "suspected", 25 }, { "no", 35 },
};

static char *
date_plus (const GDate *base,
           int          days)
{
  GDate date = *base;

  if (days >= 0)
    g_date_add_days (&date, days);
  else
    g_date_subtract_days (&date, -days);

  return cb_date_format (&date);
}

static const char *
yes_no (GRand  *rand,
        double  p_yes,
        double  p_not_recorded)
{
  double r = g_rand_double (rand);

  if (r < p_not_recorded)
    return NULL;
  return r < p_not_recorded + p_yes ? "yes" : "no";
}

static void
set_if (CbCase     *record,
        CbFieldId   field,
        gboolean    condition,
        const char *value)
{
  if (condition)
    cb_case_set (record, field, value);
}

static void
make_substances (CbCase *record,
                 GRand  *rand)
{
  const char *main_substance = PICK (rand, main_substances);
  g_autoptr(GString) list = g_string_new (main_substance);
  g_autofree char *canonical = NULL;

  if (g_str_equal (main_substance, "heroin") && chance (rand, 0.55))
    g_string_append (list, ";crack");
  if (chance (rand, 0.3))
    g_string_append (list, ";alcohol");
  if (!g_str_equal (main_substance, "cannabis") && chance (rand, 0.3))
    g_string_append (list, ";cannabis");
  if (chance (rand, 0.05))
    g_string_append (list, ";benzodiazepines");

  if (!cb_field_parse (cb_field_get (CB_FIELD_SUBSTANCES), list->str, &canonical, NULL))
    g_assert_not_reached ();

  set_if (record, CB_FIELD_SUBSTANCES, !chance (rand, 0.05), canonical);
  if (cb_case_get (record, CB_FIELD_SUBSTANCES) != NULL)
    set_if (record, CB_FIELD_MAIN_SUBSTANCE, !chance (rand, 0.06), main_substance);
}

static void
make_drug_use (CbCase      *record,
               GRand       *rand,
               const GDate *start)
{
  gboolean opiate;

  make_substances (record, rand);
  opiate = cb_case_is_opiate_user (record);

  set_if (record, CB_FIELD_USE_FREQUENCY, !chance (rand, 0.08), PICK (rand, frequencies));
  if (!chance (rand, 0.08))
    {
      double current = opiate ? 0.25 : 0.02, before = opiate ? 0.30 : 0.08;
      double r = g_rand_double (rand);
      cb_case_set (record, CB_FIELD_INJECTING,
                   r < current ? "currently" : r < current + before ? "previously" : "never");
    }
  cb_case_set (record, CB_FIELD_PRIORITY_FACTOR, yes_no (rand, 0.68, 0.08));
  set_if (record, CB_FIELD_MOTIVATION, !chance (rand, 0.08), PICK (rand, motivations));
  if (chance (rand, 0.8))
    cb_case_take (record, CB_FIELD_ASSESSED_ON, date_plus (start, g_rand_int_range (rand, 0, 60)));
}

static void
make_testing (CbCase      *record,
              GRand       *rand,
              const GDate *start)
{
  /* One in six of known users tested; some never recorded either way. */
  cb_case_set (record, CB_FIELD_TESTED, yes_no (rand, 1.0 / 6.0, 0.10));
  if (cb_case_get_yes_no (record, CB_FIELD_TESTED) != CB_YES_NO_YES)
    return;

  cb_case_take (record, CB_FIELD_LAST_TEST_ON, date_plus (start, g_rand_int_range (rand, 7, 120)));
  cb_case_set (record, CB_FIELD_LAST_TEST_RESULT, PICK (rand, test_results));
}

static void
make_treatment (CbCase      *record,
                GRand       *rand,
                const GDate *start)
{
  gboolean priority = cb_case_get_yes_no (record, CB_FIELD_PRIORITY_FACTOR) == CB_YES_NO_YES;

  if (chance (rand, 0.035))
    {
      GDate referred = *start;
      int wait = g_rand_int_range (rand, 0, 45);

      g_date_add_days (&referred, g_rand_int_range (rand, 5, 90));
      cb_case_take (record, CB_FIELD_REFERRED_ON, cb_date_format (&referred));
      cb_case_set (record, CB_FIELD_PROVIDER, PICK (rand, providers));
      if (chance (rand, 0.75))
        cb_case_take (record, CB_FIELD_TREATMENT_STARTED_ON, date_plus (&referred, wait));
    }

  /* Only 47% of those whose drug use is a priority get an intervention. */
  if (chance (rand, priority ? 0.47 : 0.2))
    cb_case_set (record, CB_FIELD_INTERVENTION, PICK (rand, interventions));
  else if (chance (rand, 0.6))
    cb_case_set (record, CB_FIELD_INTERVENTION, "none");
}

static void
make_requirements (CbCase *record,
                   GRand  *rand)
{
  const char *sentence = cb_case_get (record, CB_FIELD_SENTENCE_TYPE);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *canonical = NULL;

  if (g_str_equal (sentence, "community_order") || g_str_equal (sentence, "suspended_sentence_order"))
    {
      if (chance (rand, 0.05))
        g_string_append (list, "drr;");
      if (chance (rand, 0.03))
        g_string_append (list, "atr;");
      if (chance (rand, 0.01))
        g_string_append (list, "mhtr;");
      if (chance (rand, 0.04))
        g_string_append (list, "drug_testing;");
    }
  else if (g_str_equal (sentence, "licence") || g_str_equal (sentence, "post_sentence_supervision"))
    {
      if (chance (rand, 0.15))
        g_string_append (list, "licence_drug_testing;");
      if (chance (rand, 0.2))
        g_string_append (list, "licence_drug_appointment;");
    }

  if (!cb_field_parse (cb_field_get (CB_FIELD_REQUIREMENTS), list->str, &canonical, NULL))
    g_assert_not_reached ();
  cb_case_set (record, CB_FIELD_REQUIREMENTS, canonical);

  if (cb_case_has_code (record, CB_FIELD_REQUIREMENTS, "drr"))
    {
      cb_case_set (record, CB_FIELD_DRR_CONSENT, yes_no (rand, 0.8, 0.1));
      cb_case_set (record, CB_FIELD_DRR_REVIEWS, yes_no (rand, 0.7, 0.1));
    }
}

static void
make_release (CbCase      *record,
              GRand       *rand,
              const GDate *start,
              gboolean     misuse)
{
  const char *sentence = cb_case_get (record, CB_FIELD_SENTENCE_TYPE);
  GDate released = *start;
  double r;

  if (!(g_str_equal (sentence, "licence") || g_str_equal (sentence, "post_sentence_supervision")) ||
      chance (rand, 0.1))
    return;

  cb_case_take (record, CB_FIELD_RELEASED_ON, cb_date_format (&released));
  if (!misuse)
    return;

  cb_case_set (record, CB_FIELD_CUSTODY_TREATMENT, yes_no (rand, 0.45, 0.1));
  if (cb_case_get_yes_no (record, CB_FIELD_CUSTODY_TREATMENT) != CB_YES_NO_YES)
    return;

  /* Two in three treated in custody are lost on release. */
  r = g_rand_double (rand);
  if (r < 1.0 / 3.0)
    cb_case_take (record, CB_FIELD_COMMUNITY_TREATMENT_ON,
                  date_plus (&released, g_rand_int_range (rand, 0, 22)));
  else if (r < 0.6)
    cb_case_take (record, CB_FIELD_COMMUNITY_TREATMENT_ON,
                  date_plus (&released, g_rand_int_range (rand, 22, 120)));
}

static void
make_harm_reduction (CbCase *record,
                     GRand  *rand)
{
  if (!cb_case_is_opiate_user (record))
    return;

  cb_case_set (record, CB_FIELD_NALOXONE, yes_no (rand, 0.3, 0.2));
  cb_case_set (record, CB_FIELD_OVERDOSE_ADVICE, yes_no (rand, 0.45, 0.2));
}

static void
make_outcome (CbCase      *record,
              GRand       *rand,
              const GDate *start,
              const GDate *anchor)
{
  int span = g_date_days_between (start, anchor);
  g_autofree char *died_on = NULL;

  if (span < 1 || !chance (rand, 0.004))
    return;

  died_on = date_plus (start, g_rand_int_range (rand, 0, span));
  cb_case_set (record, CB_FIELD_DIED_ON, died_on);
  cb_case_set (record, CB_FIELD_DEATH_DRUG_RELATED, PICK (rand, death_causes));
  if (cb_case_get (record, CB_FIELD_END_DATE) == NULL ||
      g_strcmp0 (cb_case_get (record, CB_FIELD_END_DATE), died_on) > 0)
    cb_case_set (record, CB_FIELD_END_DATE, died_on);
}

static void
make_identity (CbCase      *record,
               GRand       *rand,
               guint        index,
               const GDate *start,
               const GDate *anchor)
{
  g_autofree char *ref = g_strdup_printf ("DEMO-%06u", index + 1);
  int span = g_date_days_between (start, anchor);
  int age;

  cb_case_set (record, CB_FIELD_CASE_REF, ref);
  cb_case_set (record, CB_FIELD_AREA, PICK (rand, areas));
  set_if (record, CB_FIELD_TEAM, !chance (rand, 0.1), PICK (rand, teams));
  cb_case_set (record, CB_FIELD_SENTENCE_TYPE, PICK (rand, sentence_types));
  cb_case_take (record, CB_FIELD_START_DATE, cb_date_format (start));

  /* About a third of cases have ended, a few months to two years in. */
  if (span > 90 && chance (rand, 0.35))
    cb_case_take (record, CB_FIELD_END_DATE,
                  date_plus (start, g_rand_int_range (rand, 90, MIN (span, 730) + 1)));

  if (!chance (rand, 0.03))
    {
      double r = g_rand_double (rand);
      age = r < 0.22 ? g_rand_int_range (rand, 18, 26)
          : r < 0.37 ? g_rand_int_range (rand, 26, 30)
          : r < 0.85 ? g_rand_int_range (rand, 30, 50)
          : g_rand_int_range (rand, 50, 75);
      cb_case_take (record, CB_FIELD_BIRTH_YEAR,
                    g_strdup_printf ("%d", g_date_get_year (anchor) - age));
    }
  cb_case_set (record, CB_FIELD_GENDER, PICK (rand, genders));
  cb_case_set (record, CB_FIELD_ETHNICITY, PICK (rand, ethnicities));
}

/**
 * cb_demo_data_make_case:
 * @rand: the generator; the case depends only on its state and @index
 * @index: the case's number, from 0, which makes its reference
 * @anchor: the day the demo caseload is seen from
 */
CbCase *
cb_demo_data_make_case (GRand       *rand,
                        guint        index,
                        const GDate *anchor)
{
  CbCase *record = cb_case_new ();
  GDate start = *anchor;
  const char *misuse;

  g_return_val_if_fail (rand != NULL, NULL);
  g_return_val_if_fail (anchor != NULL && g_date_valid (anchor), NULL);

  g_date_subtract_days (&start, g_rand_int_range (rand, 0, 3 * 365));
  make_identity (record, rand, index, &start, anchor);

  misuse = yes_no (rand, 0.48, 0.07);
  cb_case_set (record, CB_FIELD_DRUG_MISUSE, misuse);
  if (g_strcmp0 (misuse, "yes") == 0)
    {
      make_drug_use (record, rand, &start);
      make_testing (record, rand, &start);
      make_treatment (record, rand, &start);
      cb_case_set (record, CB_FIELD_SPECIALIST_ASSESSMENT, yes_no (rand, 0.15, 0.25));
      make_harm_reduction (record, rand);
    }
  else if (chance (rand, 0.15))
    cb_case_set (record, CB_FIELD_SUBSTANCES, "alcohol");

  make_requirements (record, rand);
  make_release (record, rand, &start, g_strcmp0 (misuse, "yes") == 0);
  make_outcome (record, rand, &start, anchor);
  set_if (record, CB_FIELD_NOTES, chance (rand, 0.4), PICK (rand, notes));

  return record;
}

/**
 * cb_demo_data_generate:
 * @anchor: (nullable): ISO day the caseload is seen from, or %NULL for
 *   %CB_DEMO_DEFAULT_ANCHOR
 *
 * Adds @n_cases demo cases in one transaction; a reference already present
 * is updated, so generating twice with one seed gives the same database.
 */
gboolean
cb_demo_data_generate (CbCaseStore    *store,
                       guint           n_cases,
                       guint32         seed,
                       const char     *anchor,
                       CbProgressFunc  progress,
                       gpointer        progress_data,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GDate day;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), FALSE);

  if (!cb_date_parse (anchor ? anchor : CB_DEMO_DEFAULT_ANCHOR, &day))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("“%s” is not a date (use YYYY-MM-DD)"), anchor);
      return FALSE;
    }

  if (!_cb_case_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(CbCase) record = cb_demo_data_make_case (rand, i, &day);

      cb_case_set_id (record, _cb_case_store_find_id (store, cb_case_get (record, CB_FIELD_CASE_REF)));
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !_cb_case_store_write (store, record, error))
        {
          _cb_case_store_rollback (store);
          return FALSE;
        }

      if (progress != NULL && (i % 1000 == 999 || i + 1 == n_cases))
        progress ((double) (i + 1) / n_cases, progress_data);
    }

  if (!_cb_case_store_commit (store, error))
    return FALSE;

  cb_case_store_emit_changed (store);
  return TRUE;
}
