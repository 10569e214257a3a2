/* cb-field.c — the field table and the parsing of values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-field"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cb-error.h"
#include "cb-field.h"
#include "cb-utf8-private.h"

#define CODES(list) list, G_N_ELEMENTS (list) - 1

static const CbCode sentence_types[] = {
  { "community_order", N_("Community order") },
  { "suspended_sentence_order", N_("Suspended sentence order") },
  { "licence", N_("Licence") },
  { "post_sentence_supervision", N_("Post-sentence supervision") },
  { "pre_sentence", N_("Pre-sentence (court report)") },
  { NULL, NULL }
};

static const CbCode genders[] = {
  { "male", N_("Male") },
  { "female", N_("Female") },
  { "non_binary", N_("Non-binary") },
  { "not_stated", N_("Not stated") },
  { NULL, NULL }
};

static const CbCode ethnicities[] = {
  { "white", N_("White") },
  { "mixed", N_("Mixed or multiple") },
  { "asian", N_("Asian") },
  { "black", N_("Black") },
  { "other", N_("Other ethnic group") },
  { "not_stated", N_("Not stated") },
  { NULL, NULL }
};

/* The order matters: the bit of a substance in the stored set is its
 * index here, so append new codes at the end. */
static const CbCode substances[] = {
  { "heroin", N_("Heroin") },
  { "methadone_not_prescribed", N_("Methadone (not prescribed)") },
  { "other_opiates", N_("Other opiates") },
  { "crack", N_("Crack cocaine") },
  { "cocaine", N_("Cocaine") },
  { "misused_prescribed", N_("Misused prescribed drugs") },
  { "benzodiazepines", N_("Benzodiazepines") },
  { "amphetamines", N_("Amphetamines") },
  { "hallucinogens", N_("Hallucinogens") },
  { "ecstasy", N_("Ecstasy") },
  { "cannabis", N_("Cannabis") },
  { "solvents", N_("Solvents") },
  { "steroids", N_("Steroids") },
  { "spice", N_("Spice (synthetic cannabinoids)") },
  { "ketamine", N_("Ketamine") },
  { "alcohol", N_("Alcohol") },
  { "other", N_("Other drug") },
  { NULL, NULL }
};

static const CbCode frequencies[] = {
  { "daily", N_("Daily") },
  { "weekly", N_("Weekly") },
  { "monthly", N_("Monthly") },
  { "occasional", N_("Occasional") },
  { NULL, NULL }
};

static const CbCode injecting[] = {
  { "never", N_("Never injected") },
  { "previously", N_("Injected previously") },
  { "currently", N_("Injecting now (last six months)") },
  { NULL, NULL }
};

static const CbCode motivations[] = {
  { "none", N_("None") },
  { "partial", N_("Partial") },
  { "full", N_("Full") },
  { "unknown", N_("Unknown") },
  { NULL, NULL }
};

/* Bits as for substances: append only. */
static const CbCode requirements[] = {
  { "drr", N_("Drug rehabilitation requirement (DRR)") },
  { "atr", N_("Alcohol treatment requirement (ATR)") },
  { "mhtr", N_("Mental health treatment requirement (MHTR)") },
  { "drug_testing", N_("Drug testing requirement") },
  { "licence_drug_testing", N_("Licence condition: drug testing") },
  { "licence_drug_appointment", N_("Licence condition: drug appointments") },
  { NULL, NULL }
};

static const CbCode test_results[] = {
  { "negative", N_("Negative") },
  { "positive", N_("Positive") },
  { "refused", N_("Refused") },
  { "not_known", N_("Not known") },
  { NULL, NULL }
};

static const CbCode interventions[] = {
  { "none", N_("None") },
  { "structured_treatment", N_("Structured treatment") },
  { "opioid_substitution", N_("Opioid substitution therapy") },
  { "psychosocial", N_("Psychosocial intervention") },
  { "recovery_support", N_("Recovery support") },
  { "accredited_programme", N_("Accredited programme") },
  { "brief_intervention", N_("Brief intervention") },
  { NULL, NULL }
};

static const CbCode death_causes[] = {
  { "yes", N_("Drug-related") },
  { "no", N_("Not drug-related") },
  { "suspected", N_("Suspected drug-related") },
  { NULL, NULL }
};

#define TEXT(id, name, label, desc, group, req, max) \
  { id, name, label, desc, CB_FIELD_TYPE_TEXT, group, req, max, NULL, 0 }
#define CODE(id, name, label, desc, group, req, list) \
  { id, name, label, desc, CB_FIELD_TYPE_CODE, group, req, 0, CODES (list) }
#define MULTI(id, name, label, desc, group, list) \
  { id, name, label, desc, CB_FIELD_TYPE_CODES, group, FALSE, 0, CODES (list) }
#define DATE(id, name, label, desc, group, req) \
  { id, name, label, desc, CB_FIELD_TYPE_DATE, group, req, 0, NULL, 0 }
#define YES_NO(id, name, label, desc, group) \
  { id, name, label, desc, CB_FIELD_TYPE_YES_NO, group, FALSE, 0, NULL, 0 }

static const CbField fields[CB_N_FIELDS] = {
  TEXT (CB_FIELD_CASE_REF, "case_ref", N_("Case reference"),
        N_("Local pseudonymised reference: letters, digits and _ . / -"),
        CB_FIELD_GROUP_IDENTITY, TRUE, 32),
  TEXT (CB_FIELD_AREA, "area", N_("Area"),
        N_("Probation delivery unit or local authority"),
        CB_FIELD_GROUP_IDENTITY, TRUE, 80),
  TEXT (CB_FIELD_TEAM, "team", N_("Team"),
        N_("Office or team"),
        CB_FIELD_GROUP_IDENTITY, FALSE, 80),
  CODE (CB_FIELD_SENTENCE_TYPE, "sentence_type", N_("Sentence type"),
        N_("The order or licence being supervised"),
        CB_FIELD_GROUP_IDENTITY, TRUE, sentence_types),
  DATE (CB_FIELD_START_DATE, "start_date", N_("Start date"),
        N_("Supervision (or report) start"),
        CB_FIELD_GROUP_IDENTITY, TRUE),
  DATE (CB_FIELD_END_DATE, "end_date", N_("End date"),
        N_("Case closed; empty while active"),
        CB_FIELD_GROUP_IDENTITY, FALSE),
  { CB_FIELD_BIRTH_YEAR, "birth_year", N_("Year of birth"),
    N_("Year only, never the full date"),
    CB_FIELD_TYPE_INTEGER, CB_FIELD_GROUP_DEMOGRAPHICS, FALSE, 4, NULL, 0 },
  CODE (CB_FIELD_GENDER, "gender", N_("Gender"), NULL,
        CB_FIELD_GROUP_DEMOGRAPHICS, FALSE, genders),
  CODE (CB_FIELD_ETHNICITY, "ethnicity", N_("Ethnicity"),
        N_("ONS five groups"),
        CB_FIELD_GROUP_DEMOGRAPHICS, FALSE, ethnicities),
  YES_NO (CB_FIELD_DRUG_MISUSE, "drug_misuse", N_("Drug misuse identified"),
          N_("OASys 8.1"), CB_FIELD_GROUP_DRUG_USE),
  MULTI (CB_FIELD_SUBSTANCES, "substances", N_("Substances"),
         N_("Every substance used"), CB_FIELD_GROUP_DRUG_USE, substances),
  CODE (CB_FIELD_MAIN_SUBSTANCE, "main_substance", N_("Main substance"),
        N_("One of the substances"),
        CB_FIELD_GROUP_DRUG_USE, FALSE, substances),
  CODE (CB_FIELD_USE_FREQUENCY, "use_frequency", N_("Frequency of use"),
        N_("Of the main substance"),
        CB_FIELD_GROUP_DRUG_USE, FALSE, frequencies),
  CODE (CB_FIELD_INJECTING, "injecting", N_("Injecting"), NULL,
        CB_FIELD_GROUP_DRUG_USE, FALSE, injecting),
  YES_NO (CB_FIELD_PRIORITY_FACTOR, "priority_factor",
          N_("Priority factor"),
          N_("Drug misuse is linked to offending and a priority in the sentence plan (OASys 8.99)"),
          CB_FIELD_GROUP_DRUG_USE),
  CODE (CB_FIELD_MOTIVATION, "motivation", N_("Motivation to change"), NULL,
        CB_FIELD_GROUP_DRUG_USE, FALSE, motivations),
  DATE (CB_FIELD_ASSESSED_ON, "assessed_on", N_("Assessed on"),
        N_("Drug-misuse assessment completed"),
        CB_FIELD_GROUP_ASSESSMENT, FALSE),
  YES_NO (CB_FIELD_SPECIALIST_ASSESSMENT, "specialist_assessment",
          N_("Specialist assessment"),
          N_("Specialist drugs assessment obtained for the court"),
          CB_FIELD_GROUP_ASSESSMENT),
  MULTI (CB_FIELD_REQUIREMENTS, "requirements", N_("Requirements"),
         N_("Order requirements and licence conditions"),
         CB_FIELD_GROUP_ASSESSMENT, requirements),
  YES_NO (CB_FIELD_DRR_CONSENT, "drr_consent", N_("DRR consent"),
          N_("Written consent to the DRR recorded"),
          CB_FIELD_GROUP_ASSESSMENT),
  YES_NO (CB_FIELD_DRR_REVIEWS, "drr_reviews", N_("DRR reviews"),
          N_("Court reviews of the DRR scheduled"),
          CB_FIELD_GROUP_ASSESSMENT),
  YES_NO (CB_FIELD_TESTED, "tested", N_("Tested"),
          N_("Drug-tested during supervision"), CB_FIELD_GROUP_TESTING),
  DATE (CB_FIELD_LAST_TEST_ON, "last_test_on", N_("Last test on"), NULL,
        CB_FIELD_GROUP_TESTING, FALSE),
  CODE (CB_FIELD_LAST_TEST_RESULT, "last_test_result",
        N_("Last test result"), NULL,
        CB_FIELD_GROUP_TESTING, FALSE, test_results),
  DATE (CB_FIELD_REFERRED_ON, "referred_on", N_("Referred on"),
        N_("Referred by probation to specialist drug treatment"),
        CB_FIELD_GROUP_TREATMENT, FALSE),
  TEXT (CB_FIELD_PROVIDER, "provider", N_("Treatment provider"), NULL,
        CB_FIELD_GROUP_TREATMENT, FALSE, 80),
  DATE (CB_FIELD_TREATMENT_STARTED_ON, "treatment_started_on",
        N_("Treatment started on"), N_("Not before the referral"),
        CB_FIELD_GROUP_TREATMENT, FALSE),
  CODE (CB_FIELD_INTERVENTION, "intervention", N_("Intervention"),
        N_("Drug intervention received"),
        CB_FIELD_GROUP_TREATMENT, FALSE, interventions),
  DATE (CB_FIELD_RELEASED_ON, "released_on", N_("Released on"),
        N_("Released from custody onto this supervision"),
        CB_FIELD_GROUP_CUSTODY, FALSE),
  YES_NO (CB_FIELD_CUSTODY_TREATMENT, "custody_treatment",
          N_("Treatment in custody"),
          N_("In drug treatment in custody before release"),
          CB_FIELD_GROUP_CUSTODY),
  DATE (CB_FIELD_COMMUNITY_TREATMENT_ON, "community_treatment_on",
        N_("Community treatment on"),
        N_("First community treatment contact after release"),
        CB_FIELD_GROUP_CUSTODY, FALSE),
  YES_NO (CB_FIELD_NALOXONE, "naloxone", N_("Naloxone supplied"), NULL,
          CB_FIELD_GROUP_HARM_REDUCTION),
  YES_NO (CB_FIELD_OVERDOSE_ADVICE, "overdose_advice",
          N_("Overdose advice given"), NULL,
          CB_FIELD_GROUP_HARM_REDUCTION),
  DATE (CB_FIELD_DIED_ON, "died_on", N_("Died on"),
        N_("Death under supervision"), CB_FIELD_GROUP_OUTCOME, FALSE),
  CODE (CB_FIELD_DEATH_DRUG_RELATED, "death_drug_related",
        N_("Death drug-related"), NULL,
        CB_FIELD_GROUP_OUTCOME, FALSE, death_causes),
  TEXT (CB_FIELD_NOTES, "notes", N_("Notes"),
        N_("Free text; left out of commissioning exports unless asked for"),
        CB_FIELD_GROUP_NOTES, FALSE, 4000),
};

static const char *group_labels[CB_N_FIELD_GROUPS] = {
  N_("Identity"),
  N_("Demographics"),
  N_("Drug use"),
  N_("Assessment and court"),
  N_("Testing"),
  N_("Treatment"),
  N_("Custody and release"),
  N_("Harm reduction"),
  N_("Outcome"),
  N_("Notes"),
};

const CbField *
cb_field_get (CbFieldId id)
{
  /* Asked for many times a row by bulk readers; the table's order is
   * held by test-field rather than checked here. */
  g_return_val_if_fail (id < CB_N_FIELDS, NULL);

  return &fields[id];
}

const char *
cb_field_group_get_label (CbFieldGroup group)
{
  g_return_val_if_fail (group < CB_N_FIELD_GROUPS, NULL);

  return _(group_labels[group]);
}

const char *
cb_field_get_property_name (CbFieldId id)
{
  static char *names[CB_N_FIELDS];
  static gsize initialised;

  g_return_val_if_fail (id < CB_N_FIELDS, NULL);

  if (g_once_init_enter (&initialised))
    {
      for (guint i = 0; i < CB_N_FIELDS; i++)
        names[i] = g_strdelimit (g_strdup (fields[i].name), "_", '-');
      g_once_init_leave (&initialised, 1);
    }

  return names[id];
}

/* Header names are matched case-insensitively after trimming, with '-' and
 * ' ' read as '_' (DATA-DICTIONARY.md, value conventions). */
char *
cb_field_normalise_header (const char *header)
{
  g_autofree char *copy = NULL;
  char *folded;

  g_return_val_if_fail (header != NULL, NULL);

  copy = g_strstrip (g_strdup (header));
  folded = g_utf8_strdown (copy, -1);
  g_strdelimit (folded, "- ", '_');
  return folded;
}

const CbField *
cb_field_lookup (const char *header)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (header != NULL, NULL);

  wanted = cb_field_normalise_header (header);
  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      g_autofree char *label = cb_field_normalise_header (fields[i].label);
      g_autofree char *translated = cb_field_normalise_header (_(fields[i].label));

      if (g_str_equal (wanted, fields[i].name) ||
          g_str_equal (wanted, label) ||
          g_str_equal (wanted, translated))
        return &fields[i];
    }

  return NULL;
}

/* Whether @code is the @len bytes at @text. Codes are lower-case
 * identifiers (the table test says so), so a match without regard to
 * case lowers the text alone. Every coded cell of an import comes
 * through here, hence no call per byte. A @len of 0 matches nothing, as
 * no code is empty. */
static inline gboolean
code_is (const char *code,
         const char *text,
         gsize       len,
         gboolean    any_case)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (any_case && c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
      if (code[i] != c)
        return FALSE;
    }

  return len > 0 && code[len] == '\0';
}

static int
find_by_code (const CbField *field,
              const char    *text,
              gsize          len)
{
  for (guint i = 0; i < field->n_codes; i++)
    if (code_is (field->codes[i].code, text, len, TRUE))
      return i;

  return -1;
}

/* Labels are collated as UTF-8, so other bytes match none. */
static int
find_by_label (const CbField *field,
               const char    *name)
{
  if (!g_utf8_validate (name, -1, NULL))
    return -1;

  for (guint i = 0; i < field->n_codes; i++)
    {
      const char *label = field->codes[i].label;

      if (g_ascii_strcasecmp (name, label) == 0 ||
          g_utf8_collate (name, _(label)) == 0)
        return i;
    }

  return -1;
}

/* The index of the code whose string of the table @text is (the same
 * pointer, not the same letters), or -1. */
static int
table_code_index (const CbField *field,
                  const char    *text)
{
  for (guint i = 0; text != NULL && i < field->n_codes; i++)
    if (text == field->codes[i].code)
      return i;

  return -1;
}

static const char yes_text[] = "yes";
static const char no_text[] = "no";

/* The canonical yes or no: one string each for the whole program, so
 * that readers of many rows can share it. */
const char *
cb_field_yes_no_text (gboolean yes)
{
  return yes ? yes_text : no_text;
}

/**
 * cb_field_is_shared_text:
 *
 * Whether @text is a string of the field table itself (one of its codes)
 * or the canonical yes or no: strings that live as long as the program,
 * which a case may keep without a copy.
 */
gboolean
cb_field_is_shared_text (const CbField *field,
                         const char    *text)
{
  g_return_val_if_fail (field != NULL, FALSE);

  return text == yes_text || text == no_text || table_code_index (field, text) >= 0;
}

/* Codes are matched by code or by label text, both without regard to
 * case, so that a spreadsheet showing labels imports as it is. */
int
cb_field_find_code (const CbField *field,
                    const char    *code_or_label)
{
  int index;

  g_return_val_if_fail (field != NULL, -1);
  g_return_val_if_fail (field->codes != NULL, -1);
  g_return_val_if_fail (code_or_label != NULL, -1);

  index = find_by_code (field, code_or_label, strlen (code_or_label));
  return index >= 0 ? index : find_by_label (field, code_or_label);
}

const char *
cb_field_get_code_label (const CbField *field,
                         const char    *code)
{
  int index;

  g_return_val_if_fail (field != NULL, NULL);

  if (code == NULL || field->codes == NULL)
    return NULL;

  index = cb_field_find_code (field, code);
  return index < 0 ? code : _(field->codes[index].label);
}

/* Asked for every birth year an import reads: reading the local time zone
 * each time cost a sixth of the import, so the year is looked up once per
 * minute at most. */
int
cb_field_birth_year_max (void)
{
  static gint cached_year;
  static gint64 cached_at;
  gint64 now = g_get_monotonic_time ();

  if (g_atomic_int_get (&cached_year) == 0 || now - cached_at > 60 * G_USEC_PER_SEC)
    {
      g_autoptr(GDateTime) today = g_date_time_new_now_local ();

      cached_at = now;
      g_atomic_int_set (&cached_year, g_date_time_get_year (today));
    }

  return g_atomic_int_get (&cached_year) - 16;
}

static gboolean
parse_digits (const char *text,
              guint       n_min,
              guint       n_max,
              guint      *value,
              const char **end)
{
  guint n = 0;
  guint v = 0;

  while (g_ascii_isdigit (text[n]) && n < n_max)
    {
      v = v * 10 + (text[n] - '0');
      n++;
    }

  if (n < n_min)
    return FALSE;

  *value = v;
  *end = text + n;
  return TRUE;
}

/* The three parts of a date as read, before they are known to be a day. */
typedef struct
{
  guint year, month, day;
} Ymd;

static gboolean
is_leap_year (guint year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static gboolean
ymd_valid (const Ymd *d)
{
  static const guint8 days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (d->month < 1 || d->month > 12 || d->day < 1)
    return FALSE;
  if (d->month == 2 && d->day == 29)
    return is_leap_year (d->year);

  return d->day <= days_in_month[d->month - 1];
}

/* Accepts YYYY-MM-DD, DD/MM/YYYY (as Excel writes UK dates) and
 * YYYY-MM-DDTHH:MM[:SS] with the time dropped. Never MM/DD. */
static gboolean
parse_ymd (const char *text,
           Ymd        *d)
{
  guint a, b, c;
  const char *p;

  if (!parse_digits (text, 1, 4, &a, &p))
    return FALSE;

  if (p - text == 4 && *p == '-')
    {
      if (!parse_digits (p + 1, 2, 2, &b, &p) || *p != '-' ||
          !parse_digits (p + 1, 2, 2, &c, &p))
        return FALSE;
      d->year = a, d->month = b, d->day = c;

      if (*p == 'T' || *p == 't')
        {
          guint hh, mm, ss;

          if (!parse_digits (p + 1, 2, 2, &hh, &p) || *p != ':' ||
              !parse_digits (p + 1, 2, 2, &mm, &p) || hh > 23 || mm > 59)
            return FALSE;
          if (*p == ':' && (!parse_digits (p + 1, 2, 2, &ss, &p) || ss > 60))
            return FALSE;
        }
    }
  else if (p - text <= 2 && *p == '/')
    {
      if (!parse_digits (p + 1, 1, 2, &b, &p) || *p != '/' ||
          !parse_digits (p + 1, 4, 4, &c, &p))
        return FALSE;
      d->day = a, d->month = b, d->year = c;
    }
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  /* Far-off years are typing slips, not dates of probation work. */
  if (d->year < 1900 || d->year > 2199)
    return FALSE;

  return ymd_valid (d);
}

gboolean
cb_date_parse (const char *text,
               GDate      *date)
{
  Ymd d;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);
  if (!parse_ymd (text, &d))
    return FALSE;

  g_date_set_dmy (date, d.day, d.month, d.year);
  return TRUE;
}

/* Written digit by digit: an import formats a date per date cell, and
 * printf's machinery was a tenth of the reading thread's time. Years are
 * four digits: parse_ymd() keeps them within 1900 to 2199. */
static char *
format_ymd (const Ymd *d)
{
  char *text = g_malloc (11);

  text[0] = '0' + d->year / 1000 % 10;
  text[1] = '0' + d->year / 100 % 10;
  text[2] = '0' + d->year / 10 % 10;
  text[3] = '0' + d->year % 10;
  text[4] = '-';
  text[5] = '0' + d->month / 10;
  text[6] = '0' + d->month % 10;
  text[7] = '-';
  text[8] = '0' + d->day / 10;
  text[9] = '0' + d->day % 10;
  text[10] = '\0';
  return text;
}

char *
cb_date_format (const GDate *date)
{
  Ymd d;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  d.year = g_date_get_year (date);
  d.month = g_date_get_month (date);
  d.day = g_date_get_day (date);
  if (d.year > 9999)
    return g_strdup_printf ("%u-%02u-%02u", d.year, d.month, d.day);

  return format_ymd (&d);
}

/* The day's number counted from 1 March of year 0 (proleptic Gregorian):
 * with the year taken to start in March, the leap day is the last of its
 * year, and a month's first day follows from its number alone. Years are
 * within 1900 to 2199 here (parse_ymd() sees to it). */
static int
ymd_day_number (const Ymd *d)
{
  int month_from_march = (d->month + 9) % 12;
  int year = d->year - (d->month <= 2);
  int day_of_year = (153 * month_from_march + 2) / 5 + d->day - 1;

  return year * 365 + year / 4 - year / 100 + year / 400 + day_of_year;
}

/* Laid out as a date is stored (YYYY-MM-DD), whether or not it is a day. */
static gboolean
has_stored_form (const char *text)
{
  return strlen (text) == 10 && text[4] == '-' && text[7] == '-';
}

/**
 * cb_date_is_before:
 *
 * Whether both are dates and @date is a day earlier than @other. Dates
 * in their stored form sort as text, so these need no counting of days:
 * the rules of every imported row ask this twice.
 */
gboolean
cb_date_is_before (const char *date,
                   const char *other)
{
  int days;

  if (date == NULL || other == NULL)
    return FALSE;

  if (has_stored_form (date) && has_stored_form (other))
    return strcmp (date, other) < 0;

  days = cb_date_days_between (date, other);
  return days != G_MININT && days > 0;
}

/* Days from one canonical date to another; G_MININT when either is unset
 * or not a date. Counted without GDate: an import asks for three spans a
 * row. */
int
cb_date_days_between (const char *from_iso,
                      const char *to_iso)
{
  Ymd from, to;

  if (from_iso == NULL || to_iso == NULL ||
      !parse_ymd (from_iso, &from) || !parse_ymd (to_iso, &to))
    return G_MININT;

  return ymd_day_number (&to) - ymd_day_number (&from);
}

static gboolean
is_reference_char (gunichar c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '/' || c == '-';
}

/* What a parser gives back: the canonical form, either lent (a string
 * of the field table itself, such as a code, "yes" or "no", or the input
 * when it is already in that form) or a new one. Neither is set for
 * "not recorded". */
typedef struct
{
  const char *borrowed;
  char       *owned;
} Parsed;

/* A reason quotes the input only when asked to and when it is valid
 * UTF-8: a message is shown and logged as text. */
static gboolean
may_quote (gboolean    quote,
           const char *input)
{
  return quote && g_utf8_validate (input, -1, NULL);
}

/* A character can take up to four bytes but never less than one, so a
 * value no longer in bytes than the limit is not counted. */
static gboolean
too_long (const CbField *field,
          const char    *value)
{
  gsize bytes;

  if (field->max_length == 0)
    return FALSE;

  bytes = strlen (value);
  return bytes > field->max_length &&
         g_utf8_strlen (value, bytes) > (glong) field->max_length;
}

/* @in_place: @input has no space to cut off either end. */
static gboolean
parse_text (const CbField  *field,
            const char     *input,
            gboolean        in_place,
            gboolean        quote,
            Parsed         *parsed,
            GError        **error)
{
  g_autofree char *copy = NULL;
  const char *value = input;

  if (!_cb_utf8_validate_len (input, strlen (input), NULL))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("%s is not valid UTF-8 text"), _(field->label));
      return FALSE;
    }

  /* Notes keep their layout; short fields lose stray spaces. */
  if (field->id != CB_FIELD_NOTES && !in_place)
    value = copy = g_strstrip (g_strdup (input));

  if (too_long (field, value))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("%s is longer than %u characters"),
                   _(field->label), field->max_length);
      return FALSE;
    }

  if (field->id == CB_FIELD_CASE_REF)
    {
      for (const char *p = value; *p; p++)
        if (!is_reference_char (*p))
          {
            if (quote)
              g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                           _("Case reference may hold only letters, digits and _ . / - (found “%c”)"),
                           g_ascii_isprint (*p) ? *p : '?');
            else
              g_set_error_literal (error, CB_ERROR, CB_ERROR_INVALID,
                                   _("Case reference may hold only letters, digits and _ . / -"));
            return FALSE;
          }
    }

  if (copy != NULL)
    parsed->owned = g_steal_pointer (&copy);
  else
    parsed->borrowed = input;
  return TRUE;
}

static gboolean
parse_code (const CbField  *field,
            const char     *input,
            gboolean        quote,
            Parsed         *parsed,
            GError        **error)
{
  int index = cb_field_find_code (field, input);

  if (index < 0)
    {
      if (may_quote (quote, input))
        g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                     _("“%s” is not a known %s (expected one of the codes, such as “%s”)"),
                     input, _(field->label), field->codes[0].code);
      else
        g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                     _("The value is not a known %s (expected one of the codes, such as “%s”)"),
                     _(field->label), field->codes[0].code);
      return FALSE;
    }

  parsed->borrowed = field->codes[index].code;
  return TRUE;
}

/* The code named by @len bytes at @text: by code, without a copy, or by
 * label, for which the name is copied to be collated. */
static int
find_code_in_span (const CbField *field,
                   const char    *text,
                   gsize          len)
{
  g_autofree char *name = NULL;
  int index = find_by_code (field, text, len);

  if (index >= 0)
    return index;

  name = g_strndup (text, len);
  return find_by_label (field, name);
}

/* A list is read where it lies: parts between ';' or '|', trimmed. */
static gboolean
parse_codes (const CbField  *field,
             const char     *input,
             gboolean        quote,
             Parsed         *parsed,
             GError        **error)
{
  guint64 mask = 0;
  const char *p = input;

  for (;;)
    {
      gsize len = strcspn (p, ";|");
      const char *next = p[len] != '\0' ? p + len + 1 : NULL;
      int index;

      while (len > 0 && g_ascii_isspace (*p))
        p++, len--;
      while (len > 0 && g_ascii_isspace (p[len - 1]))
        len--;

      if (len > 0 && (index = find_code_in_span (field, p, len)) < 0)
        {
          g_autofree char *part = g_strndup (p, len);

          if (may_quote (quote, part))
            g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                         _("“%s” is not a known code for %s"),
                         part, _(field->label));
          else
            g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                         _("A value in the list is not a known code for %s"),
                         _(field->label));
          return FALSE;
        }
      if (len > 0)
        mask |= G_GUINT64_CONSTANT (1) << index;

      if (next == NULL)
        break;
      p = next;
    }

  if (!(parsed->borrowed = cb_field_mask_to_single_code (field, mask)))
    parsed->owned = cb_field_mask_to_codes (field, mask);
  return TRUE;
}

static gboolean
parse_date (const CbField  *field,
            const char     *input,
            gboolean        in_place,
            gboolean        quote,
            Parsed         *parsed,
            GError        **error)
{
  Ymd date;

  if (!parse_ymd (input, &date))
    {
      if (may_quote (quote, input))
        g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                     _("“%s” is not a valid date for %s (use YYYY-MM-DD or DD/MM/YYYY)"),
                     input, _(field->label));
      else
        g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                     _("The value is not a valid date for %s (use YYYY-MM-DD or DD/MM/YYYY)"),
                     _(field->label));
      return FALSE;
    }

  /* Most files write dates as they are stored. */
  if (in_place && has_stored_form (input))
    parsed->borrowed = input;
  else
    parsed->owned = format_ymd (&date);
  return TRUE;
}

static gboolean
parse_yes_no (const CbField  *field,
              const char     *input,
              gboolean        quote,
              Parsed         *parsed,
              GError        **error)
{
  static const char *yes[] = { "yes", "y", "true", "1" };
  static const char *no[] = { "no", "n", "false", "0" };

  /* The stored forms first: most files use them. */
  if (strcmp (input, "yes") == 0 || strcmp (input, "no") == 0)
    {
      parsed->borrowed = cb_field_yes_no_text (input[0] == 'y');
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (input, yes[i]) == 0)
        {
          parsed->borrowed = cb_field_yes_no_text (TRUE);
          return TRUE;
        }
      if (g_ascii_strcasecmp (input, no[i]) == 0)
        {
          parsed->borrowed = cb_field_yes_no_text (FALSE);
          return TRUE;
        }
    }

  if (may_quote (quote, input))
    g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                 _("“%s” is not yes or no for %s (leave it empty when not recorded)"),
                 input, _(field->label));
  else
    g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                 _("The value is not yes or no for %s (leave it empty when not recorded)"),
                 _(field->label));
  return FALSE;
}

/* Digit by digit: printf's machinery cost more than the rest of reading
 * a year. */
static void
format_unsigned (char    *text,
                 gsize    size,
                 guint64  value)
{
  char digits[24];
  gsize n = 0;

  do
    {
      digits[n++] = '0' + value % 10;
      value /= 10;
    }
  while (value > 0 && n < sizeof digits);

  g_assert (n < size);
  for (gsize i = 0; i < n; i++)
    text[i] = digits[n - 1 - i];
  text[n] = '\0';
}

static gboolean
parse_integer (const CbField  *field,
               const char     *input,
               gboolean        in_place,
               gboolean        quote,
               Parsed         *parsed,
               GError        **error)
{
  char canonical[24];
  guint64 value = 0;
  int max = cb_field_birth_year_max ();

  if (!g_ascii_string_to_unsigned (input, 10, CB_BIRTH_YEAR_MIN, max, &value, NULL))
    {
      if (may_quote (quote, input))
        g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                     _("“%s” is not a year from %d to %d for %s"),
                     input, CB_BIRTH_YEAR_MIN, max, _(field->label));
      else
        g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                     _("The value is not a year from %d to %d for %s"),
                     CB_BIRTH_YEAR_MIN, max, _(field->label));
      return FALSE;
    }

  format_unsigned (canonical, sizeof canonical, value);
  if (in_place && strcmp (canonical, input) == 0)
    parsed->borrowed = input;
  else
    parsed->owned = g_strdup (canonical);
  return TRUE;
}

/* @quote: whether the reason may repeat the input, or part of it. Only
 * text is checked as UTF-8 as a whole: a code, date, year or yes/no is
 * ASCII when it reads at all, and the reasons quote the input only once
 * it is known to be valid text. */
static gboolean
parse_value (const CbField  *field,
             const char     *input,
             gboolean        quote,
             Parsed         *parsed,
             GError        **error)
{
  g_autofree char *trimmed = NULL;
  const char *start, *end;

  parsed->borrowed = NULL;
  parsed->owned = NULL;
  if (input == NULL)
    return TRUE;

  /* Trimmed without a copy unless spaces follow the value: an import
   * parses every cell, and most have none. */
  start = input;
  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (start == end)
    return TRUE;
  if (*end != '\0')
    start = trimmed = g_strndup (start, end - start);

  switch (field->type)
    {
    case CB_FIELD_TYPE_TEXT:
      return parse_text (field, input, start == input && trimmed == NULL, quote, parsed, error);
    case CB_FIELD_TYPE_CODE:
      return parse_code (field, start, quote, parsed, error);
    case CB_FIELD_TYPE_CODES:
      return parse_codes (field, start, quote, parsed, error);
    case CB_FIELD_TYPE_DATE:
      return parse_date (field, start, trimmed == NULL, quote, parsed, error);
    case CB_FIELD_TYPE_YES_NO:
      return parse_yes_no (field, start, quote, parsed, error);
    case CB_FIELD_TYPE_INTEGER:
      return parse_integer (field, start, trimmed == NULL, quote, parsed, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_owned (const CbField  *field,
             const char     *input,
             gboolean        quote,
             char          **canonical,
             GError        **error)
{
  Parsed parsed;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (canonical != NULL, FALSE);

  *canonical = NULL;
  if (!parse_value (field, input, quote, &parsed, error))
    return FALSE;

  *canonical = parsed.owned != NULL ? parsed.owned : g_strdup (parsed.borrowed);
  return TRUE;
}

/**
 * cb_field_parse:
 * @field: the field
 * @input: the text as typed or imported
 * @canonical: (out) (nullable): the stored form, or %NULL for not recorded
 * @error: the reason @input does not fit @field, quoting @input
 *
 * Reads a value in any of the forms the dictionary accepts and gives its
 * one canonical form. An empty input means "not recorded"; whether that is
 * allowed is a matter for the whole record (see cb_case_validate()).
 */
gboolean
cb_field_parse (const CbField  *field,
                const char     *input,
                char          **canonical,
                GError        **error)
{
  return parse_owned (field, input, TRUE, canonical, error);
}

/**
 * cb_field_parse_without_quoting:
 *
 * cb_field_parse(), with a reason that does not repeat @input: for
 * messages on a terminal or in a log, where case data must not go.
 */
gboolean
cb_field_parse_without_quoting (const CbField  *field,
                                const char     *input,
                                char          **canonical,
                                GError        **error)
{
  return parse_owned (field, input, FALSE, canonical, error);
}

/**
 * cb_field_parse_borrowing:
 * @borrowed: (out) (transfer none): the canonical form when it needs no
 *   copy: one of the field table's own strings (a code, "yes" or "no"),
 *   or @input itself (or its part past leading spaces) when that is
 *   already in canonical form; valid as long as @input is
 * @owned: (out) (transfer full): the canonical form otherwise
 *
 * cb_field_parse() for bulk readers: most values are not copied. On
 * success at most one of *@borrowed and *@owned is set; neither is for
 * "not recorded".
 */
gboolean
cb_field_parse_borrowing (const CbField  *field,
                          const char     *input,
                          const char    **borrowed,
                          char          **owned,
                          GError        **error)
{
  Parsed parsed;
  gboolean ok;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (borrowed != NULL && owned != NULL, FALSE);

  ok = parse_value (field, input, TRUE, &parsed, error);
  *borrowed = parsed.borrowed;
  *owned = parsed.owned;
  return ok;
}

guint64
cb_field_codes_to_mask (const CbField *field,
                        const char    *canonical)
{
  guint64 mask = 0;
  const char *p = canonical;
  int single;

  g_return_val_if_fail (field != NULL && field->type == CB_FIELD_TYPE_CODES, 0);

  /* A set of one read from a file or the store is the table's string. */
  if ((single = table_code_index (field, p)) >= 0)
    return G_GUINT64_CONSTANT (1) << single;

  /* A canonical list is in table order, so each code is looked for from
   * where the one before it was found: a list costs one pass over the
   * table, not one per code. Any other order still reads, only slower. */
  for (guint next = 0; p != NULL && *p != '\0'; )
    {
      const char *end = strchr (p, ';');
      gsize len = end ? (gsize) (end - p) : strlen (p);

      for (guint k = 0; k < field->n_codes; k++)
        {
          guint i = (next + k) % field->n_codes;

          if (code_is (field->codes[i].code, p, len, FALSE))
            {
              mask |= G_GUINT64_CONSTANT (1) << i;
              next = i + 1;
              break;
            }
        }

      p = end ? end + 1 : NULL;
    }

  return mask;
}

/* A set of one is the code itself: the field table's own string, which
 * a reader of many rows need not copy. NULL for any other set. */
const char *
cb_field_mask_to_single_code (const CbField *field,
                              guint64        mask)
{
  int index;

  g_return_val_if_fail (field != NULL && field->type == CB_FIELD_TYPE_CODES, NULL);

  if (mask == 0 || (mask & (mask - 1)) != 0)
    return NULL;

  index = g_bit_nth_lsf (mask, -1);
  return (guint) index < field->n_codes ? field->codes[index].code : NULL;
}

/* The canonical form of a set: codes in list order, joined by ';'. An
 * empty set is "not recorded" and gives NULL. */
char *
cb_field_mask_to_codes (const CbField *field,
                        guint64        mask)
{
  gsize len = 0;
  char *codes, *p;

  g_return_val_if_fail (field != NULL && field->type == CB_FIELD_TYPE_CODES, NULL);

  if (mask == 0)
    return NULL;

  /* Measured first, so that the list is one allocation. */
  for (guint i = 0; i < field->n_codes; i++)
    if (mask & (G_GUINT64_CONSTANT (1) << i))
      len += strlen (field->codes[i].code) + 1;

  p = codes = g_malloc (len);
  for (guint i = 0; i < field->n_codes; i++)
    {
      gsize n;

      if ((mask & (G_GUINT64_CONSTANT (1) << i)) == 0)
        continue;
      if (p > codes)
        *p++ = ';';
      n = strlen (field->codes[i].code);
      memcpy (p, field->codes[i].code, n);
      p += n;
    }
  *p = '\0';

  return codes;
}
