/* cb-indicators.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the counts are made. The dictionary's rules are SQL predicates over
 * the stored columns, built below from the field table. One statement
 * reads the selected cases once and returns, per case, a bit set of the
 * predicates it meets and its breakdown keys; this file adds the bits up
 * for the report and for every breakdown row at the same time.
 *
 * Why not SQL aggregates with one GROUP BY per breakdown: measured on a
 * 156,000-case demo database (105,000 active on the day) on the 2-core
 * build machine, one pass of 21
 * count(*) FILTER aggregates takes ~45 ms, but each GROUP BY with them
 * takes ~95 ms more (SQLite sorts the rows with every column the
 * aggregates read), so six breakdowns would cost over half a second; a
 * GROUP BY over all six keys at once, ~260 ms. The single pass below
 * takes ~80 ms for everything with all 156,000 cases in the report, ~60 ms
 * for the 105,000 active on one day. What costs is reading columns: SQLite
 * reads a column again for every expression that names it, so
 *  - a predicate is only evaluated under its parent (see predicate_parent),
 *  - the fixed breakdowns' indices come packed in one integer,
 *  - the age band and the substance group are derived here from the one
 *    stored value each (a CASE would read it once per WHEN), the group
 *    by cb_substance_group_from_mask(), as a case's own group is.
 *
 * Each indicator names the predicates of its denominator and those its
 * numerator adds; a case counts in the numerator only when it also meets
 * the denominator's, so every numerator is counted inside its
 * denominator by construction.
 */
#define G_LOG_DOMAIN "casebook-indicators"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-case-query-private.h"
#include "cb-case-store-private.h"
#include "cb-error.h"
#include "cb-indicators.h"
#include "cb-practice-gaps.h"

/* The dictionary's rules, one bit each in the per-case bit set. */
typedef enum
{
  P_MISUSE,            /* drug_misuse = yes */
  P_CLASS_A,           /* a Class A substance */
  P_TESTED,            /* tested = yes */
  P_COMPLETE,          /* the drug-use fields all recorded */
  P_REFERRED,          /* referred_on set */
  P_STARTED,           /* treatment_started_on set */
  P_WAITED_21,         /* started 0–21 days after referral */
  P_PRIORITY,          /* priority_factor = yes */
  P_INTERVENTION,      /* intervention set and not none */
  P_RELEASED_TREATED,  /* released_on set and custody_treatment = yes */
  P_CONTINUITY,        /* community contact 0–21 days after release */
  P_OPIATE,            /* an opiate substance */
  P_NALOXONE,          /* naloxone = yes */
  P_ANY_REQUIREMENT,   /* one of the four requirements below */
  P_DRR,               /* requirements has drr */
  P_DRR_CONSENT,       /* drr_consent = yes */
  P_ATR,
  P_MHTR,
  P_DRUG_TESTING,
  P_DRUG_DEATH,        /* died_on set, death drug-related or suspected */
  N_PREDICATES
} Predicate;

#define P(p) (G_GUINT64_CONSTANT (1) << (p))
#define ROOT (-1)

typedef struct
{
  const char *id;
  const char *label;
  const char *description;
  const char *national_text;
  double      national_value;
  gboolean    higher_is_better;
  guint64     denominator;   /* predicates; 0 = every case in the report */
  guint64     numerator;     /* predicates added to the denominator's */
} IndicatorInfo;

static const IndicatorInfo infos[CB_N_INDICATORS] = {
  [CB_INDICATOR_CASELOAD] =
  { "caseload", N_("Caseload"),
    N_("Cases active at some time in the period: started on or before its last day and not closed before its first day"),
    N_("≈156,000"), NAN, FALSE,
    0, 0 },
  [CB_INDICATOR_DRUG_MISUSE] =
  { "drug_misuse", N_("Drug misuse identified"),
    N_("Cases with drug misuse identified (OASys 8.1), out of the caseload"),
    /* xgettext:no-c-format */
    N_("~48% (≈75,000)"), 0.48, FALSE,
    0, P (P_MISUSE) },
  [CB_INDICATOR_CLASS_A] =
  { "class_a", N_("Class A users"),
    N_("Cases using a Class A drug (heroin, non-prescribed methadone, other opiates, crack, cocaine, ecstasy or hallucinogens), out of those with drug misuse identified"),
    N_("not known nationally: the inspection's point"), NAN, TRUE,
    P (P_MISUSE), P (P_CLASS_A) },
  [CB_INDICATOR_TESTED] =
  { "tested", N_("Tested for drugs"),
    N_("Cases drug-tested during supervision, out of those with drug misuse identified"),
    N_("1 in 6 of the inspected sample"), 1.0 / 6.0, TRUE,
    P (P_MISUSE), P (P_TESTED) },
  [CB_INDICATOR_REFERRED] =
  { "referred", N_("Referred to treatment"),
    N_("Cases referred by probation to specialist drug treatment, out of those with drug misuse identified"),
    N_("under 1 in 25 (< 3,000)"), 0.04, TRUE,
    P (P_MISUSE), P (P_REFERRED) },
  [CB_INDICATOR_STARTED] =
  { "started", N_("Started treatment"),
    N_("Cases with a treatment start date, out of those referred to treatment"),
    "", NAN, TRUE,
    P (P_REFERRED), P (P_STARTED) },
  [CB_INDICATOR_WAITED_21] =
  { "waited_21", N_("Started within 21 days"),
    N_("Cases that started treatment 0 to 21 days after their referral, out of those with both dates recorded"),
    "", NAN, TRUE,
    P (P_REFERRED) | P (P_STARTED), P (P_WAITED_21) },
  [CB_INDICATOR_PRIORITY_INTERVENTION] =
  { "priority_intervention", N_("Intervention where a priority"),
    N_("Cases that received a drug intervention (other than none), out of those where drug misuse is a priority factor of the sentence plan"),
    /* xgettext:no-c-format */
    N_("47%"), 0.47, TRUE,
    P (P_PRIORITY), P (P_INTERVENTION) },
  [CB_INDICATOR_CONTINUITY] =
  { "continuity", N_("Continuity of care"),
    N_("Cases in community treatment 0 to 21 days after release, out of those released from custody who were in drug treatment there"),
    N_("about 1 in 3"), 1.0 / 3.0, TRUE,
    P (P_RELEASED_TREATED), P (P_CONTINUITY) },
  [CB_INDICATOR_NALOXONE] =
  { "naloxone", N_("Naloxone for opiate users"),
    N_("Cases supplied with naloxone, out of those using opiates"),
    "", NAN, TRUE,
    P (P_OPIATE), P (P_NALOXONE) },
  [CB_INDICATOR_DRR_CONSENT] =
  { "drr_consent", N_("DRRs with written consent"),
    N_("Cases with a drug rehabilitation requirement whose written consent is recorded, out of all cases with one"),
    N_("should be all"), NAN, TRUE,
    P (P_DRR), P (P_DRR_CONSENT) },
  [CB_INDICATOR_REQ_DRR] =
  { "req_drr", N_("Drug rehabilitation requirements"),
    N_("Cases with a drug rehabilitation requirement (DRR), out of the caseload"),
    /* xgettext:no-c-format */
    N_("DRRs down 75% since 2008"), NAN, TRUE,
    0, P (P_DRR) },
  [CB_INDICATOR_REQ_ATR] =
  { "req_atr", N_("Alcohol treatment requirements"),
    N_("Cases with an alcohol treatment requirement (ATR), out of the caseload"),
    "", NAN, TRUE,
    0, P (P_ATR) },
  [CB_INDICATOR_REQ_MHTR] =
  { "req_mhtr", N_("Mental health treatment requirements"),
    N_("Cases with a mental health treatment requirement (MHTR), out of the caseload"),
    "", NAN, TRUE,
    0, P (P_MHTR) },
  [CB_INDICATOR_REQ_DRUG_TESTING] =
  { "req_drug_testing", N_("Drug testing requirements"),
    N_("Cases with a drug testing requirement in their order, out of the caseload"),
    "", NAN, TRUE,
    0, P (P_DRUG_TESTING) },
  [CB_INDICATOR_DRUG_DEATHS] =
  { "drug_deaths", N_("Drug-related deaths"),
    N_("Deaths under supervision that were drug-related or suspected to be, out of the caseload"),
    N_("rising"), NAN, FALSE,
    0, P (P_DRUG_DEATH) },
  [CB_INDICATOR_COMPLETE] =
  { "complete", N_("Records complete"),
    N_("Cases with substances, main substance, frequency of use, injecting, priority factor, motivation and testing all recorded, out of those with drug misuse identified"),
    "", NAN, TRUE,
    P (P_MISUSE), P (P_COMPLETE) },
};

/* The chart's funnel: each step is counted among an earlier one. */
static const CbIndicatorKind cascade[] = {
  CB_INDICATOR_CASELOAD, CB_INDICATOR_DRUG_MISUSE, CB_INDICATOR_CLASS_A,
  CB_INDICATOR_TESTED, CB_INDICATOR_REFERRED, CB_INDICATOR_STARTED,
};

static const struct {
  const char *id;
  const char *label;
} breakdowns[CB_N_BREAKDOWNS] = {
  [CB_BREAKDOWN_AREA] = { "area", N_("Area") },
  [CB_BREAKDOWN_SUBSTANCE_GROUP] = { "substance_group", N_("Substance group") },
  [CB_BREAKDOWN_SENTENCE_TYPE] = { "sentence_type", N_("Sentence type") },
  [CB_BREAKDOWN_AGE_BAND] = { "age_band", N_("Age band") },
  [CB_BREAKDOWN_GENDER] = { "gender", N_("Gender") },
  [CB_BREAKDOWN_ETHNICITY] = { "ethnicity", N_("Ethnicity") },
};

/* The rows of the substance group breakdown, in the NDTMS order with no
 * substance last. */
static const CbSubstanceGroup group_rows[] = {
  CB_SUBSTANCE_GROUP_OPIATE, CB_SUBSTANCE_GROUP_NON_OPIATE_AND_ALCOHOL,
  CB_SUBSTANCE_GROUP_NON_OPIATE_ONLY, CB_SUBSTANCE_GROUP_ALCOHOL_ONLY,
  CB_SUBSTANCE_GROUP_NONE,
};

/* Age bands at the report's last day, from the year of birth alone (the
 * record holds no date of birth): age = that day's year − birth_year. The
 * dictionary names the four adult bands; a person under 18 (possible near
 * the field's lower limit of 16, or in a report on past years) and a
 * missing year of birth get rows of their own, so that the rows always
 * add up to the caseload. */
static const struct {
  const char *key;
  const char *label;
  int         last_age;
} age_rows[] = {
  { CB_BREAKDOWN_KEY_UNDER_18, N_("Under 18"), 17 },
  { "18-25", N_("18–25"), 25 },
  { "26-29", N_("26–29"), 29 },
  { "30-49", N_("30–49"), 49 },
  { "50+", N_("50 and over"), G_MAXINT },
  { CB_BREAKDOWN_KEY_NOT_RECORDED, N_("Not recorded"), G_MAXINT },
};

#define AGE_ROW_NOT_RECORDED (G_N_ELEMENTS (age_rows) - 1)

/* The columns of the statement. PACKED holds the row index of each code
 * breakdown (KEY_BITS bits each, in this order) below the predicate
 * bits: one integer rather than four columns, since at 156,000 cases
 * every value handed over counts. */
enum {
  COL_AREA,
  COL_BIRTH_YEAR,
  COL_SUBSTANCES,
  COL_PACKED,
};

static const struct {
  CbBreakdownKind kind;
  CbFieldId       field;
} packed_keys[] = {
  { CB_BREAKDOWN_SENTENCE_TYPE, CB_FIELD_SENTENCE_TYPE },
  { CB_BREAKDOWN_GENDER, CB_FIELD_GENDER },
  { CB_BREAKDOWN_ETHNICITY, CB_FIELD_ETHNICITY },
};

#define KEY_BITS 3
#define KEY_MASK ((1u << KEY_BITS) - 1)
#define PREDICATE_SHIFT (KEY_BITS * G_N_ELEMENTS (packed_keys))

#define CANCEL_CHECK_ROWS 4096

/* The counts while the statement runs: two small arrays per row keep the
 * counting within the processor's cache. */
typedef struct
{
  gint64 denominator[CB_N_INDICATORS];
  gint64 numerator[CB_N_INDICATORS];
} Tally;

typedef struct
{
  CbBreakdownRow  row;   /* first, so that a Row is a CbBreakdownRow */
  char           *key;
  char           *label;
  Tally           tally;
} Row;

struct _CbIndicators
{
  GObject      parent_instance;
  char        *from;
  char        *to;
  int          to_year;
  CbIndicator  values[CB_N_INDICATORS];
  Tally        tally;
  GPtrArray   *breakdowns[CB_N_BREAKDOWNS];
};

G_DEFINE_FINAL_TYPE (CbIndicators, cb_indicators, G_TYPE_OBJECT)

/* The predicate tree */

/* A predicate is evaluated only for the cases that meet its parent: half
 * the cases have no drug misuse recorded, and most no referral, release
 * or requirement, so this spares SQLite most of its reading. Its bit is
 * then "parent and predicate", which is right for every indicator that
 * requires the parent too (checked in class_init) and for a predicate
 * that implies its parent (@implied: a DRR is one of the four
 * requirements). */
static int
predicate_parent (Predicate  predicate,
                  gboolean  *implied)
{
  *implied = FALSE;

  switch (predicate)
    {
    case P_MISUSE:
    case P_REFERRED:
    case P_PRIORITY:
    case P_RELEASED_TREATED:
    case P_OPIATE:
    case P_ANY_REQUIREMENT:
    case P_DRUG_DEATH:
      return ROOT;
    case P_CLASS_A:
    case P_TESTED:
    case P_COMPLETE:
      return P_MISUSE;
    case P_STARTED:
      return P_REFERRED;
    case P_WAITED_21:
      return P_STARTED;
    case P_INTERVENTION:
      return P_PRIORITY;
    case P_CONTINUITY:
      return P_RELEASED_TREATED;
    case P_NALOXONE:
      return P_OPIATE;
    case P_DRR_CONSENT:
      return P_DRR;
    case P_DRR:
    case P_ATR:
    case P_MHTR:
    case P_DRUG_TESTING:
      *implied = TRUE;
      return P_ANY_REQUIREMENT;
    case N_PREDICATES:
      break;
    }

  g_assert_not_reached ();
  return ROOT;
}

static gboolean
has_children (int predicate)
{
  gboolean implied;

  for (guint p = 0; p < N_PREDICATES; p++)
    if (predicate_parent (p, &implied) == predicate)
      return TRUE;

  return FALSE;
}

static gboolean
uses_parents (const IndicatorInfo *info)
{
  guint64 used = info->denominator | info->numerator;

  for (guint p = 0; p < N_PREDICATES; p++)
    {
      gboolean implied;
      int parent = predicate_parent (p, &implied);

      if ((used & P (p)) && parent != ROOT && !implied && !(used & P (parent)))
        return FALSE;
    }

  return TRUE;
}

/* Indicator values */

/**
 * cb_indicator_get_proportion:
 *
 * Returns: numerator / denominator, or NaN when the denominator is 0
 */
double
cb_indicator_get_proportion (const CbIndicator *self)
{
  g_return_val_if_fail (self != NULL, NAN);

  if (self->denominator <= 0)
    return NAN;

  return (double) self->numerator / (double) self->denominator;
}

/**
 * cb_indicator_get_percentage:
 *
 * Returns: the proportion in percent, or NaN when the denominator is 0
 */
double
cb_indicator_get_percentage (const CbIndicator *self)
{
  return 100.0 * cb_indicator_get_proportion (self);
}

gboolean
cb_indicator_has_percentage (const CbIndicator *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->denominator > 0;
}

/**
 * cb_indicator_compare_national:
 *
 * Whether the local proportion is better or worse than the national one,
 * given which way is better; %CB_COMPARISON_NONE where there is no
 * national proportion or no local denominator.
 */
CbComparison
cb_indicator_compare_national (const CbIndicator *self)
{
  double difference;

  g_return_val_if_fail (self != NULL, CB_COMPARISON_NONE);

  if (isnan (self->national_value) || self->denominator <= 0)
    return CB_COMPARISON_NONE;

  /* How much drug misuse a caseload has is a fact about its people, not a
   * standard of practice: identifying less of it is not "better". */
  if (self->kind == CB_INDICATOR_DRUG_MISUSE)
    return CB_COMPARISON_NONE;

  difference = cb_indicator_get_proportion (self) - self->national_value;
  /* A hair of slack, so that 46% against 48% is "similar" despite
   * rounding in the doubles. */
  if (fabs (difference) <= CB_INDICATOR_SIMILAR_BAND + 1e-9)
    return CB_COMPARISON_SIMILAR;

  if ((difference > 0) == !!self->higher_is_better)
    return CB_COMPARISON_BETTER;

  return CB_COMPARISON_WORSE;
}

static void
fill_info (CbIndicator     *value,
           CbIndicatorKind  kind)
{
  const IndicatorInfo *info = &infos[kind];

  value->kind = kind;
  value->id = info->id;
  value->label = _(info->label);
  value->description = _(info->description);
  value->national_text = info->national_text[0] ? _(info->national_text) : "";
  value->national_value = info->national_value;
  value->higher_is_better = info->higher_is_better;
  value->numerator = 0;
  value->denominator = 0;
}

static void
fill_infos (CbIndicator *values)
{
  for (guint i = 0; i < CB_N_INDICATORS; i++)
    fill_info (&values[i], i);
}

/**
 * cb_indicator_kind_get_info:
 *
 * The fixed part of an indicator (id, label, description, national
 * figure) with zero counts: for an About sheet or a legend.
 */
const CbIndicator *
cb_indicator_kind_get_info (CbIndicatorKind kind)
{
  static CbIndicator values[CB_N_INDICATORS];
  static gsize filled;

  g_return_val_if_fail (kind < CB_N_INDICATORS, NULL);

  if (g_once_init_enter (&filled))
    {
      fill_infos (values);
      g_once_init_leave (&filled, 1);
    }

  return &values[kind];
}

gboolean
cb_indicator_kind_from_id (const char      *id,
                           CbIndicatorKind *kind)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < CB_N_INDICATORS; i++)
    if (g_str_equal (infos[i].id, id))
      {
        if (kind != NULL)
          *kind = i;
        return TRUE;
      }

  return FALSE;
}

const char *
cb_breakdown_kind_get_id (CbBreakdownKind kind)
{
  g_return_val_if_fail (kind < CB_N_BREAKDOWNS, NULL);

  return breakdowns[kind].id;
}

const char *
cb_breakdown_kind_get_label (CbBreakdownKind kind)
{
  g_return_val_if_fail (kind < CB_N_BREAKDOWNS, NULL);

  return _(breakdowns[kind].label);
}

gboolean
cb_breakdown_kind_from_id (const char      *id,
                           CbBreakdownKind *kind)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < CB_N_BREAKDOWNS; i++)
    if (g_str_equal (breakdowns[i].id, id))
      {
        if (kind != NULL)
          *kind = i;
        return TRUE;
      }

  return FALSE;
}

/* The SQL. Column names come from the field table and codes from its
 * code lists; nothing a user typed is pasted in. Yes/no columns hold 1, 0
 * or NULL; code sets hold one bit per code of the list. */

static const char *
column (CbFieldId field)
{
  return cb_field_get (field)->name;
}

static guint64
code_bit (CbFieldId   field,
          const char *code)
{
  int index = cb_field_find_code (cb_field_get (field), code);

  g_assert (index >= 0);
  return G_GUINT64_CONSTANT (1) << index;
}

static guint64
requirement_mask (void)
{
  return code_bit (CB_FIELD_REQUIREMENTS, "drr") | code_bit (CB_FIELD_REQUIREMENTS, "atr") |
         code_bit (CB_FIELD_REQUIREMENTS, "mhtr") | code_bit (CB_FIELD_REQUIREMENTS, "drug_testing");
}

static char *
sql_is_yes (CbFieldId field)
{
  return g_strdup_printf ("%s = 1", column (field));
}

static char *
sql_is_set (CbFieldId field)
{
  return g_strdup_printf ("%s IS NOT NULL", column (field));
}

static char *
sql_has_any (CbFieldId field,
             guint64   mask)
{
  return g_strdup_printf ("(%s & %" G_GUINT64_FORMAT ") != 0", column (field), mask);
}

static char *
sql_has_code (CbFieldId   field,
              const char *code)
{
  return sql_has_any (field, code_bit (field, code));
}

/* The second date 0 to max_days days after the first; julianday() of a
 * missing date is NULL, which no CASE counts. */
static char *
sql_days_within (CbFieldId from,
                 CbFieldId to,
                 int       max_days)
{
  return g_strdup_printf ("julianday(%s) - julianday(%s) BETWEEN 0 AND %d",
                          column (to), column (from), max_days);
}

static char *
sql_all_set (const CbFieldId *fields,
             guint            n_fields)
{
  GString *sql = g_string_new (NULL);

  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (sql, "%s%s IS NOT NULL", i ? " AND " : "", column (fields[i]));

  return g_string_free (sql, FALSE);
}

static char *
sql_drug_death (void)
{
  const CbField *cause = cb_field_get (CB_FIELD_DEATH_DRUG_RELATED);

  g_assert (cb_field_find_code (cause, "yes") >= 0);
  g_assert (cb_field_find_code (cause, "suspected") >= 0);
  return g_strdup_printf ("%s IS NOT NULL AND %s IN ('yes', 'suspected')",
                          column (CB_FIELD_DIED_ON), cause->name);
}

static char *
sql_intervention (void)
{
  const char *intervention = column (CB_FIELD_INTERVENTION);

  g_assert (cb_field_find_code (cb_field_get (CB_FIELD_INTERVENTION), "none") >= 0);
  return g_strdup_printf ("%s IS NOT NULL AND %s <> 'none'", intervention, intervention);
}

static char *
sql_released_treated (void)
{
  return g_strdup_printf ("%s IS NOT NULL AND %s = 1",
                          column (CB_FIELD_RELEASED_ON), column (CB_FIELD_CUSTODY_TREATMENT));
}

static char *
sql_predicate (Predicate predicate)
{
  static const CbFieldId complete[] = {
    CB_FIELD_SUBSTANCES, CB_FIELD_MAIN_SUBSTANCE, CB_FIELD_USE_FREQUENCY,
    CB_FIELD_INJECTING, CB_FIELD_PRIORITY_FACTOR, CB_FIELD_MOTIVATION,
    CB_FIELD_TESTED,
  };

  switch (predicate)
    {
    case P_MISUSE: return sql_is_yes (CB_FIELD_DRUG_MISUSE);
    case P_CLASS_A: return sql_has_any (CB_FIELD_SUBSTANCES, cb_substance_mask_class_a ());
    case P_TESTED: return sql_is_yes (CB_FIELD_TESTED);
    case P_COMPLETE: return sql_all_set (complete, G_N_ELEMENTS (complete));
    case P_REFERRED: return sql_is_set (CB_FIELD_REFERRED_ON);
    case P_STARTED: return sql_is_set (CB_FIELD_TREATMENT_STARTED_ON);
    case P_WAITED_21: return sql_days_within (CB_FIELD_REFERRED_ON, CB_FIELD_TREATMENT_STARTED_ON, 21);
    case P_PRIORITY: return sql_is_yes (CB_FIELD_PRIORITY_FACTOR);
    case P_INTERVENTION: return sql_intervention ();
    case P_RELEASED_TREATED: return sql_released_treated ();
    case P_CONTINUITY: return sql_days_within (CB_FIELD_RELEASED_ON, CB_FIELD_COMMUNITY_TREATMENT_ON,
                                               CB_CONTINUITY_DAYS);
    case P_OPIATE: return sql_has_any (CB_FIELD_SUBSTANCES, cb_substance_mask_opiate ());
    case P_NALOXONE: return sql_is_yes (CB_FIELD_NALOXONE);
    case P_ANY_REQUIREMENT: return sql_has_any (CB_FIELD_REQUIREMENTS, requirement_mask ());
    case P_DRR: return sql_has_code (CB_FIELD_REQUIREMENTS, "drr");
    case P_DRR_CONSENT: return sql_is_yes (CB_FIELD_DRR_CONSENT);
    case P_ATR: return sql_has_code (CB_FIELD_REQUIREMENTS, "atr");
    case P_MHTR: return sql_has_code (CB_FIELD_REQUIREMENTS, "mhtr");
    case P_DRUG_TESTING: return sql_has_code (CB_FIELD_REQUIREMENTS, "drug_testing");
    case P_DRUG_DEATH: return sql_drug_death ();
    case N_PREDICATES:
      break;
    }

  g_assert_not_reached ();
  return NULL;
}

/* The bits of the predicates under @parent, each a CASE nested in its
 * parent's. CASE rather than a sum of booleans, because SQLite evaluates
 * a WHEN with short-circuits and a NULL never leaks into the sum. */
static void
append_predicate_bits (GString *sql,
                       int      parent)
{
  gboolean first = TRUE;

  for (int p = 0; p < N_PREDICATES; p++)
    {
      g_autofree char *predicate = NULL;
      gboolean implied;

      if (predicate_parent (p, &implied) != parent)
        continue;

      predicate = sql_predicate (p);
      g_string_append_printf (sql, "%s(CASE WHEN %s THEN %" G_GUINT64_FORMAT,
                              first ? "" : " + ", predicate, P (p));
      if (has_children (p))
        {
          g_string_append (sql, " + ");
          append_predicate_bits (sql, p);
        }
      g_string_append (sql, " ELSE 0 END)");
      first = FALSE;
    }
}

/* The index of the value in the field's code list; the list's length
 * (the "not recorded" row) when NULL. */
static void
append_code_index (GString   *sql,
                   CbFieldId  field_id)
{
  const CbField *field = cb_field_get (field_id);

  g_string_append_printf (sql, "CASE %s", field->name);
  for (guint i = 0; i < field->n_codes; i++)
    g_string_append_printf (sql, " WHEN '%s' THEN %u", field->codes[i].code, i);
  g_string_append_printf (sql, " ELSE %u END", field->n_codes);
}

/* NOT INDEXED: the period's "start_date <= to" holds for nearly every
 * case, yet SQLite picks the start_date index for it and then fetches each
 * row through the index, which measured five times slower than reading
 * the table straight through. */
static char *
build_sql (CbCaseQuery *query,
           GPtrArray   *params)
{
  GString *sql = g_string_new ("SELECT ");

  g_string_append_printf (sql, "%s, %s, %s, ", column (CB_FIELD_AREA),
                          column (CB_FIELD_BIRTH_YEAR), column (CB_FIELD_SUBSTANCES));
  for (guint i = 0; i < G_N_ELEMENTS (packed_keys); i++)
    {
      g_string_append (sql, "((");
      append_code_index (sql, packed_keys[i].field);
      g_string_append_printf (sql, ") << %u) | ", i * KEY_BITS);
    }
  g_string_append (sql, "((");
  append_predicate_bits (sql, ROOT);
  g_string_append_printf (sql, ") << %u) FROM cases NOT INDEXED", (guint) PREDICATE_SHIFT);

  _cb_case_query_append_where (query, sql, params);

  return g_string_free (sql, FALSE);
}

/* Keys derived here */

static guint
age_row (sqlite3_stmt *stmt,
         int           to_year)
{
  guint row = 0;
  int age;

  if (sqlite3_column_type (stmt, COL_BIRTH_YEAR) == SQLITE_NULL)
    return AGE_ROW_NOT_RECORDED;

  age = to_year - sqlite3_column_int (stmt, COL_BIRTH_YEAR);
  while (age > age_rows[row].last_age)
    row++;

  return row;
}

/* Counting */

/* g_bit_nth_lsf() walks the bits one by one; this runs for every case and
 * each of its rows, so use the processor's instruction where there is
 * one. */
static inline guint
lowest_bit (guint32 bits)
{
#if defined(__GNUC__) || defined(__clang__)
  return (guint) __builtin_ctz (bits);
#else
  return (guint) g_bit_nth_lsf (bits, -1);
#endif
}

static void
count_case (Tally   *tally,
            guint32  denominators,
            guint32  numerators)
{
  for (; denominators != 0; denominators &= denominators - 1)
    tally->denominator[lowest_bit (denominators)]++;
  for (; numerators != 0; numerators &= numerators - 1)
    tally->numerator[lowest_bit (numerators)]++;
}

/* Which indicators a case with these predicate bits counts in. */
static void
indicator_hits (guint64  bits,
                guint32 *denominators,
                guint32 *numerators)
{
  *denominators = 0;
  *numerators = 0;

  for (guint i = 0; i < CB_N_INDICATORS; i++)
    {
      guint64 need = infos[i].denominator;

      if ((bits & need) != need)
        continue;
      *denominators |= 1u << i;
      need |= infos[i].numerator;
      if ((bits & need) == need)
        *numerators |= 1u << i;
    }
}

static void
tally_to_values (const Tally *tally,
                 CbIndicator *values)
{
  for (guint i = 0; i < CB_N_INDICATORS; i++)
    {
      values[i].denominator = tally->denominator[i];
      values[i].numerator = tally->numerator[i];
    }
}

static void
row_free (Row *row)
{
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

static Row *
row_new (const char *key,
         const char *label)
{
  Row *row = g_new0 (Row, 1);

  row->key = g_strdup (key);
  row->label = g_strdup (label);
  row->row.key = row->key;
  row->row.label = row->label;
  fill_infos (row->row.values);

  return row;
}

static Tally *
row_tally (GPtrArray *rows,
           guint      index)
{
  return &((Row *) g_ptr_array_index (rows, index))->tally;
}

static GPtrArray *
rows_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
}

static GPtrArray *
code_rows_new (CbFieldId field_id,
               gboolean  not_recorded)
{
  const CbField *field = cb_field_get (field_id);
  GPtrArray *rows = rows_new ();

  for (guint i = 0; i < field->n_codes; i++)
    g_ptr_array_add (rows, row_new (field->codes[i].code, _(field->codes[i].label)));
  if (not_recorded)
    g_ptr_array_add (rows, row_new (CB_BREAKDOWN_KEY_NOT_RECORDED, _("Not recorded")));

  return rows;
}

/* Every row but the areas' exists from the start, in its fixed order, so
 * reports on different selections have the same rows. */
static void
create_fixed_rows (CbIndicators *self)
{
  GPtrArray *rows;

  self->breakdowns[CB_BREAKDOWN_AREA] = rows_new ();

  rows = self->breakdowns[CB_BREAKDOWN_SUBSTANCE_GROUP] = rows_new ();
  for (guint i = 0; i < G_N_ELEMENTS (group_rows); i++)
    g_ptr_array_add (rows, row_new (cb_substance_group_get_code (group_rows[i]),
                                    cb_substance_group_get_label (group_rows[i])));

  /* Required, so never missing. */
  self->breakdowns[CB_BREAKDOWN_SENTENCE_TYPE] = code_rows_new (CB_FIELD_SENTENCE_TYPE, FALSE);

  rows = self->breakdowns[CB_BREAKDOWN_AGE_BAND] = rows_new ();
  for (guint i = 0; i < G_N_ELEMENTS (age_rows); i++)
    g_ptr_array_add (rows, row_new (age_rows[i].key, _(age_rows[i].label)));

  self->breakdowns[CB_BREAKDOWN_GENDER] = code_rows_new (CB_FIELD_GENDER, TRUE);
  self->breakdowns[CB_BREAKDOWN_ETHNICITY] = code_rows_new (CB_FIELD_ETHNICITY, TRUE);
}

/* Where each case's counts go; the fixed rows are looked up by index. */
typedef struct
{
  CbIndicators *self;
  GHashTable   *areas;   /* area text → Row, owned by the breakdown */
  Tally        *groups[CB_N_SUBSTANCE_GROUPS];
  Tally        *ages[G_N_ELEMENTS (age_rows)];
  Tally        *codes[G_N_ELEMENTS (packed_keys)][KEY_MASK + 1];
  guint         n_codes[G_N_ELEMENTS (packed_keys)];
} Counter;

static void
counter_init (Counter      *counter,
              CbIndicators *self)
{
  memset (counter, 0, sizeof *counter);
  counter->self = self;
  counter->areas = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (group_rows); i++)
    counter->groups[group_rows[i]] = row_tally (self->breakdowns[CB_BREAKDOWN_SUBSTANCE_GROUP], i);

  for (guint i = 0; i < G_N_ELEMENTS (age_rows); i++)
    counter->ages[i] = row_tally (self->breakdowns[CB_BREAKDOWN_AGE_BAND], i);

  for (guint k = 0; k < G_N_ELEMENTS (packed_keys); k++)
    {
      GPtrArray *rows = self->breakdowns[packed_keys[k].kind];

      /* Each index must fit its KEY_BITS. */
      g_assert (rows->len <= KEY_MASK + 1);
      counter->n_codes[k] = rows->len;
      for (guint r = 0; r < rows->len; r++)
        counter->codes[k][r] = row_tally (rows, r);
    }
}

static Tally *
area_tally (Counter    *counter,
            const char *area)
{
  Row *row;

  if (area == NULL)
    area = "";

  row = g_hash_table_lookup (counter->areas, area);
  if (row == NULL)
    {
      row = row_new (area, area);
      g_ptr_array_add (counter->self->breakdowns[CB_BREAKDOWN_AREA], row);
      g_hash_table_insert (counter->areas, row->key, row);
    }

  return &row->tally;
}

static void
count_statement_row (Counter      *counter,
                     sqlite3_stmt *stmt)
{
  guint64 packed = sqlite3_column_int64 (stmt, COL_PACKED);
  guint64 substances = sqlite3_column_int64 (stmt, COL_SUBSTANCES);
  CbSubstanceGroup group = cb_substance_group_from_mask (substances);
  guint32 denominators, numerators;

  indicator_hits (packed >> PREDICATE_SHIFT, &denominators, &numerators);

  count_case (&counter->self->tally, denominators, numerators);
  count_case (area_tally (counter, (const char *) sqlite3_column_text (stmt, COL_AREA)),
              denominators, numerators);
  count_case (counter->groups[group], denominators, numerators);
  count_case (counter->ages[age_row (stmt, counter->self->to_year)], denominators, numerators);

  for (guint k = 0; k < G_N_ELEMENTS (packed_keys); k++)
    {
      guint index = (packed >> (k * KEY_BITS)) & KEY_MASK;

      /* append_code_index() returns at most the list's length. */
      g_assert (index < counter->n_codes[k]);
      count_case (counter->codes[k][index], denominators, numerators);
    }
}

static int
compare_areas (gconstpointer a,
               gconstpointer b)
{
  const Row *row_a = *(const Row * const *) a;
  const Row *row_b = *(const Row * const *) b;
  int cmp = g_ascii_strcasecmp (row_a->key, row_b->key);

  return cmp != 0 ? cmp : strcmp (row_a->key, row_b->key);
}

/* Hands the counts over to the public CbIndicator values. */
static void
publish_counts (CbIndicators *self)
{
  tally_to_values (&self->tally, self->values);

  for (guint kind = 0; kind < CB_N_BREAKDOWNS; kind++)
    {
      GPtrArray *rows = self->breakdowns[kind];

      for (guint r = 0; r < rows->len; r++)
        {
          Row *row = g_ptr_array_index (rows, r);

          tally_to_values (&row->tally, row->row.values);
        }
    }

  g_ptr_array_sort (self->breakdowns[CB_BREAKDOWN_AREA], compare_areas);
}

static gboolean
run_statement (CbIndicators  *self,
               sqlite3       *db,
               sqlite3_stmt  *stmt,
               GCancellable  *cancellable,
               GError       **error)
{
  Counter counter;
  guint64 n_rows = 0;
  gboolean ok = TRUE;
  int rc;

  counter_init (&counter, self);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      count_statement_row (&counter, stmt);
      if (++n_rows % CANCEL_CHECK_ROWS == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }

  if (ok && rc != SQLITE_DONE)
    ok = _cb_sql_set_error (db, rc, error);

  g_hash_table_unref (counter.areas);
  publish_counts (self);

  return ok;
}

/* The period */

/* A date of the query in canonical form; FALSE with an error when it is
 * not a date. */
static gboolean
canonical_date (const char  *text,
                char       **canonical,
                GDate       *date,
                GError     **error)
{
  if (!cb_date_parse (text, date))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("“%s” is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"), text);
      return FALSE;
    }

  *canonical = cb_date_format (date);
  return TRUE;
}

/* With no period the report is the caseload of today; with one end only,
 * a missing last day is today and a missing first day is the last day. */
static gboolean
resolve_period (CbIndicators  *self,
                CbCaseQuery   *query,
                GError       **error)
{
  const char *from = cb_case_query_get_period_from (query);
  const char *to = cb_case_query_get_period_to (query);
  g_autofree char *today = cb_today_iso ();
  GDate from_date, to_date;

  if (!canonical_date (to ? to : today, &self->to, &to_date, error) ||
      !canonical_date (from ? from : self->to, &self->from, &from_date, error))
    return FALSE;

  if (g_date_compare (&from_date, &to_date) > 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("The period starts on %s, after it ends on %s; swap the two dates"),
                   self->from, self->to);
      return FALSE;
    }

  self->to_year = g_date_get_year (&to_date);
  return TRUE;
}

/* The object */

static void
cb_indicators_finalize (GObject *object)
{
  CbIndicators *self = (CbIndicators *)object;

  g_free (self->from);
  g_free (self->to);
  for (guint i = 0; i < CB_N_BREAKDOWNS; i++)
    g_clear_pointer (&self->breakdowns[i], g_ptr_array_unref);

  G_OBJECT_CLASS (cb_indicators_parent_class)->finalize (object);
}

static void
cb_indicators_class_init (CbIndicatorsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_indicators_finalize;

  for (guint i = 0; i < CB_N_INDICATORS; i++)
    g_assert (uses_parents (&infos[i]));
}

static void
cb_indicators_init (CbIndicators *self)
{
  fill_infos (self->values);
  create_fixed_rows (self);
}

static sqlite3_stmt *
prepare (CbIndicators  *self,
         sqlite3       *db,
         CbCaseQuery   *query,
         GError       **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(CbCaseQuery) report = cb_case_query_copy (query);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  cb_case_query_set_period (report, self->from, self->to);
  sql = build_sql (report, params);

  if (!(stmt = _cb_sql_prepare (db, sql, error)))
    return NULL;

  _cb_sql_bind_params (stmt, params);
  return stmt;
}

/**
 * cb_indicators_compute:
 * @store: the cases
 * @query: (nullable): the selection; %NULL for every case. Its period is
 *   the report's; with none, the report is today's caseload.
 * @cancellable: (nullable): stops the count
 *
 * Counts the indicators and their breakdowns for the cases active at some
 * time in the period and selected by the query's other filters (areas,
 * sentence types, text, status, practice gaps). Runs on the store's
 * thread.
 *
 * Returns: (transfer full): the counts, or %NULL with @error set
 */
CbIndicators *
cb_indicators_compute (CbCaseStore   *store,
                       CbCaseQuery   *query,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(CbIndicators) self = NULL;
  g_autoptr(CbCaseQuery) all = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 started = g_get_monotonic_time ();
  gboolean ok;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), NULL);
  g_return_val_if_fail (query == NULL || CB_IS_CASE_QUERY (query), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (query == NULL)
    query = all = cb_case_query_new ();

  self = g_object_new (CB_TYPE_INDICATORS, NULL);
  db = _cb_case_store_get_db (store);

  if (!resolve_period (self, query, error) ||
      !(stmt = prepare (self, db, query, error)))
    return NULL;

  ok = run_statement (self, db, stmt, cancellable, error);
  sqlite3_finalize (stmt);
  if (!ok)
    return NULL;

  g_debug ("Indicators for %s to %s: %" G_GINT64_FORMAT " cases in %.1f ms",
           self->from, self->to, cb_indicators_get_caseload (self),
           (g_get_monotonic_time () - started) / 1000.0);

  return g_steal_pointer (&self);
}

/* The first day of the report's period, ISO. */
const char *
cb_indicators_get_from (CbIndicators *self)
{
  g_return_val_if_fail (CB_IS_INDICATORS (self), NULL);

  return self->from;
}

/* The last day of the report's period, ISO; age bands are taken here. */
const char *
cb_indicators_get_to (CbIndicators *self)
{
  g_return_val_if_fail (CB_IS_INDICATORS (self), NULL);

  return self->to;
}

gint64
cb_indicators_get_caseload (CbIndicators *self)
{
  g_return_val_if_fail (CB_IS_INDICATORS (self), 0);

  return self->values[CB_INDICATOR_CASELOAD].denominator;
}

guint
cb_indicators_get_n (CbIndicators *self)
{
  g_return_val_if_fail (CB_IS_INDICATORS (self), 0);

  return CB_N_INDICATORS;
}

const CbIndicator *
cb_indicators_get (CbIndicators    *self,
                   CbIndicatorKind  kind)
{
  g_return_val_if_fail (CB_IS_INDICATORS (self), NULL);
  g_return_val_if_fail (kind < CB_N_INDICATORS, NULL);

  return &self->values[kind];
}

/**
 * cb_indicators_lookup:
 * @id: an indicator id of the dictionary, e.g. "tested"
 *
 * Returns: (nullable): the indicator, or %NULL for an unknown id
 */
const CbIndicator *
cb_indicators_lookup (CbIndicators *self,
                      const char   *id)
{
  CbIndicatorKind kind;

  g_return_val_if_fail (CB_IS_INDICATORS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!cb_indicator_kind_from_id (id, &kind))
    return NULL;

  return &self->values[kind];
}

/**
 * cb_indicators_get_breakdown:
 *
 * Areas come in alphabetical order, and only those with cases; the other
 * breakdowns list every value of their code list in its order, even with
 * no cases, then "not recorded". The rows add up to the caseload.
 *
 * Returns: (transfer none) (element-type CbBreakdownRow): the rows
 */
GPtrArray *
cb_indicators_get_breakdown (CbIndicators    *self,
                             CbBreakdownKind  kind)
{
  g_return_val_if_fail (CB_IS_INDICATORS (self), NULL);
  g_return_val_if_fail (kind < CB_N_BREAKDOWNS, NULL);

  return self->breakdowns[kind];
}

/**
 * cb_indicators_get_cascade:
 *
 * The funnel for the chart: caseload, drug misuse identified, Class A
 * users, tested, referred and started treatment.
 *
 * Returns: (transfer container) (element-type CbIndicator): the steps,
 *   pointing into @self
 */
GPtrArray *
cb_indicators_get_cascade (CbIndicators *self)
{
  GPtrArray *steps;

  g_return_val_if_fail (CB_IS_INDICATORS (self), NULL);

  steps = g_ptr_array_sized_new (G_N_ELEMENTS (cascade));
  for (guint i = 0; i < G_N_ELEMENTS (cascade); i++)
    g_ptr_array_add (steps, &self->values[cascade[i]]);

  return steps;
}
