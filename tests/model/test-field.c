/* test-field.c — the field table and the parsing of every accepted form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected table below is typed from DATA-DICTIONARY.md by hand, not
 * derived from the code, so a drift between the two fails here.
 */
#define G_LOG_DOMAIN "casebook-test-field"

#include <glib.h>
#include <string.h>

#include "cb-case.h"
#include "cb-error.h"
#include "cb-field.h"

typedef struct
{
  const char  *name;
  CbFieldType  type;
  gboolean     required;
  guint        max_length;   /* text only */
  guint        n_codes;      /* code lists only */
} ExpectedField;

#define T CB_FIELD_TYPE_TEXT
#define C CB_FIELD_TYPE_CODE
#define M CB_FIELD_TYPE_CODES
#define D CB_FIELD_TYPE_DATE
#define Y CB_FIELD_TYPE_YES_NO
#define I CB_FIELD_TYPE_INTEGER

/* Every row of the dictionary's field table, in its order. */
static const ExpectedField dictionary[] = {
  { "case_ref", T, TRUE, 32, 0 },
  { "area", T, TRUE, 80, 0 },
  { "team", T, FALSE, 80, 0 },
  { "sentence_type", C, TRUE, 0, 5 },
  { "start_date", D, TRUE, 0, 0 },
  { "end_date", D, FALSE, 0, 0 },
  { "birth_year", I, FALSE, 0, 0 },
  { "gender", C, FALSE, 0, 4 },
  { "ethnicity", C, FALSE, 0, 6 },
  { "drug_misuse", Y, FALSE, 0, 0 },
  { "substances", M, FALSE, 0, 17 },
  { "main_substance", C, FALSE, 0, 17 },
  { "use_frequency", C, FALSE, 0, 4 },
  { "injecting", C, FALSE, 0, 3 },
  { "priority_factor", Y, FALSE, 0, 0 },
  { "motivation", C, FALSE, 0, 4 },
  { "assessed_on", D, FALSE, 0, 0 },
  { "specialist_assessment", Y, FALSE, 0, 0 },
  { "requirements", M, FALSE, 0, 6 },
  { "drr_consent", Y, FALSE, 0, 0 },
  { "drr_reviews", Y, FALSE, 0, 0 },
  { "tested", Y, FALSE, 0, 0 },
  { "last_test_on", D, FALSE, 0, 0 },
  { "last_test_result", C, FALSE, 0, 4 },
  { "referred_on", D, FALSE, 0, 0 },
  { "provider", T, FALSE, 80, 0 },
  { "treatment_started_on", D, FALSE, 0, 0 },
  { "intervention", C, FALSE, 0, 7 },
  { "released_on", D, FALSE, 0, 0 },
  { "custody_treatment", Y, FALSE, 0, 0 },
  { "community_treatment_on", D, FALSE, 0, 0 },
  { "naloxone", Y, FALSE, 0, 0 },
  { "overdose_advice", Y, FALSE, 0, 0 },
  { "died_on", D, FALSE, 0, 0 },
  { "death_drug_related", C, FALSE, 0, 3 },
  { "notes", T, FALSE, 4000, 0 },
};

#undef T
#undef C
#undef M
#undef D
#undef Y
#undef I

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

/* Where the bulk parser may lend @input instead of a copy: a text that
 * needs no trimming (notes are never trimmed), or a date or year written
 * as it is stored, past any leading spaces. */
static const char *
expected_loan (const CbField *field,
               const char    *input,
               const char    *canonical)
{
  gsize len = strlen (input);
  const char *start = input;

  if (field->type == CB_FIELD_TYPE_TEXT && field->id == CB_FIELD_NOTES)
    return input;
  if (len > 0 && g_ascii_isspace (input[len - 1]))
    return NULL;
  while (g_ascii_isspace (*start))
    start++;
  if (field->type == CB_FIELD_TYPE_TEXT)
    return start == input ? input : NULL;

  return strcmp (start, canonical) == 0 ? start : NULL;
}

/* cb_field_parse_borrowing() must agree with cb_field_parse(), and copy
 * nothing for a code, a set of one code or a yes/no, nor for a value
 * already in canonical form, which it lends from @input. */
static void
assert_borrowing_agrees (const CbField *field,
                         const char    *input,
                         const char    *canonical)
{
  g_autoptr(GError) error = NULL;
  const char *borrowed = NULL;
  g_autofree char *owned = NULL;

  if (!cb_field_parse_borrowing (field, input, &borrowed, &owned, &error))
    g_error ("%s: “%s” was refused when borrowing: %s", field->name, input, error->message);

  g_assert_true (borrowed == NULL || owned == NULL);
  g_assert_cmpstr (borrowed != NULL ? borrowed : owned, ==, canonical);

  if (canonical == NULL)
    return;

  if (field->type == CB_FIELD_TYPE_CODE || field->type == CB_FIELD_TYPE_YES_NO ||
      (field->type == CB_FIELD_TYPE_CODES && strchr (canonical, ';') == NULL))
    {
      g_assert_nonnull (borrowed);
      g_assert_true (cb_field_is_shared_text (field, borrowed));
      if (field->type != CB_FIELD_TYPE_YES_NO)
        g_assert_true (borrowed == field->codes[cb_field_find_code (field, borrowed)].code);
    }
  else if (field->type == CB_FIELD_TYPE_CODES)
    g_assert_null (borrowed);
  else
    g_assert_true (borrowed == expected_loan (field, input, canonical));
}

static char *
parse_ok (CbFieldId   id,
          const char *input)
{
  g_autoptr(GError) error = NULL;
  char *canonical = NULL;

  if (!cb_field_parse (cb_field_get (id), input, &canonical, &error))
    g_error ("%s: “%s” was refused: %s", cb_field_get (id)->name, input, error->message);
  g_assert_no_error (error);

  assert_borrowing_agrees (cb_field_get (id), input, canonical);
  return canonical;
}

static void
assert_parses_to (CbFieldId   id,
                  const char *input,
                  const char *expected)
{
  g_autofree char *canonical = parse_ok (id, input);

  if (g_strcmp0 (canonical, expected) != 0)
    g_error ("%s: “%s” parsed to “%s”, expected “%s”",
             cb_field_get (id)->name, input, canonical, expected);
}

/* A refused value is a CB_ERROR_INVALID whose message is valid UTF-8 and
 * names the field as the user sees it (its label). */
static void
assert_rejected (CbFieldId   id,
                 const char *input)
{
  const CbField *field = cb_field_get (id);
  g_autoptr(GError) error = NULL;
  char *canonical = NULL;
  gboolean ok;

  ok = cb_field_parse (field, input, &canonical, &error);
  if (ok)
    g_error ("%s: “%s” was accepted as “%s”", field->name, input, canonical);

  g_assert_null (canonical);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, field->label) == NULL)
    g_error ("%s: the message “%s” does not name “%s”",
             field->name, error->message, field->label);

  /* The bulk form refuses it for the same reason. */
  {
    g_autoptr(GError) borrowing_error = NULL;
    const char *borrowed = NULL;
    char *owned = NULL;

    g_assert_false (cb_field_parse_borrowing (field, input, &borrowed, &owned, &borrowing_error));
    g_assert_null (borrowed);
    g_assert_null (owned);
    g_assert_error (borrowing_error, CB_ERROR, CB_ERROR_INVALID);
    g_assert_cmpstr (borrowing_error->message, ==, error->message);
  }
}

static void
foreach_field_of_type (CbFieldType  type,
                       void       (*check) (CbFieldId id, gpointer data),
                       gpointer     data)
{
  guint n = 0;

  for (guint i = 0; i < CB_N_FIELDS; i++)
    if (cb_field_get (i)->type == type)
      {
        check (i, data);
        n++;
      }

  g_assert_cmpuint (n, >, 0);
}

/* ------------------------------------------------------------------ */
/* The table                                                          */
/* ------------------------------------------------------------------ */

static void
test_table_matches_dictionary (void)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (G_N_ELEMENTS (dictionary), ==, CB_N_FIELDS);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);
      const ExpectedField *want = &dictionary[i];
      g_autofree char *property = g_strdelimit (g_strdup (want->name), "_", '-');

      g_test_message ("field %u: %s", i, want->name);
      g_assert_cmpint (field->id, ==, i);
      g_assert_cmpstr (field->name, ==, want->name);
      g_assert_cmpint (field->type, ==, want->type);
      g_assert_cmpint (field->required, ==, want->required);
      g_assert_nonnull (field->label);
      g_assert_cmpstr (field->label, !=, "");
      g_assert_cmpint (field->group, <, CB_N_FIELD_GROUPS);
      g_assert_nonnull (cb_field_group_get_label (field->group));
      g_assert_cmpstr (cb_field_get_property_name (i), ==, property);
      g_assert_true (g_hash_table_add (names, (gpointer) field->name));

      if (want->type == CB_FIELD_TYPE_TEXT)
        g_assert_cmpuint (field->max_length, ==, want->max_length);

      if (want->type == CB_FIELD_TYPE_CODE || want->type == CB_FIELD_TYPE_CODES)
        {
          g_assert_nonnull (field->codes);
          g_assert_cmpuint (field->n_codes, ==, want->n_codes);
          g_assert_null (field->codes[field->n_codes].code);
          for (guint c = 0; c < field->n_codes; c++)
            {
              g_assert_nonnull (field->codes[c].label);
              /* Codes are lower-case identifiers. */
              for (const char *p = field->codes[c].code; *p; p++)
                g_assert_true (g_ascii_islower (*p) || *p == '_');
            }
        }
      else
        {
          g_assert_null (field->codes);
          g_assert_cmpuint (field->n_codes, ==, 0);
        }
    }
}

static void
assert_codes (CbFieldId           id,
              const char * const *codes)
{
  const CbField *field = cb_field_get (id);
  guint n = g_strv_length ((char **) codes);

  g_assert_cmpuint (field->n_codes, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (field->codes[i].code, ==, codes[i]);
}

/* Code lists copied from the dictionary; for the multi-valued ones the
 * order is also the bit order in the database, so it must never change. */
static void
test_code_lists (void)
{
  static const char *sentence_types[] = {
    "community_order", "suspended_sentence_order", "licence",
    "post_sentence_supervision", "pre_sentence", NULL
  };
  static const char *substances[] = {
    "heroin", "methadone_not_prescribed", "other_opiates", "crack", "cocaine",
    "misused_prescribed", "benzodiazepines", "amphetamines", "hallucinogens",
    "ecstasy", "cannabis", "solvents", "steroids", "spice", "ketamine",
    "alcohol", "other", NULL
  };
  static const char *requirements[] = {
    "drr", "atr", "mhtr", "drug_testing", "licence_drug_testing",
    "licence_drug_appointment", NULL
  };
  static const char *interventions[] = {
    "none", "structured_treatment", "opioid_substitution", "psychosocial",
    "recovery_support", "accredited_programme", "brief_intervention", NULL
  };
  static const char *ethnicities[] = {
    "white", "mixed", "asian", "black", "other", "not_stated", NULL
  };
  static const char *deaths[] = { "yes", "no", "suspected", NULL };

  assert_codes (CB_FIELD_SENTENCE_TYPE, sentence_types);
  assert_codes (CB_FIELD_SUBSTANCES, substances);
  assert_codes (CB_FIELD_MAIN_SUBSTANCE, substances);
  assert_codes (CB_FIELD_REQUIREMENTS, requirements);
  assert_codes (CB_FIELD_INTERVENTION, interventions);
  assert_codes (CB_FIELD_ETHNICITY, ethnicities);
  assert_codes (CB_FIELD_DEATH_DRUG_RELATED, deaths);
}

/* ------------------------------------------------------------------ */
/* Dates                                                              */
/* ------------------------------------------------------------------ */

static const struct {
  const char *input;
  const char *canonical;
} good_dates[] = {
  { "2024-02-29", "2024-02-29" },
  { "29/02/2024", "2024-02-29" },
  { "05/03/2024", "2024-03-05" },       /* 5 March, never 3 May */
  { "5/3/2024", "2024-03-05" },
  { "31/12/2023", "2023-12-31" },
  { "2024-03-05T10:30", "2024-03-05" },
  { "2024-03-05T23:59:59", "2024-03-05" },
  { "2024-03-05t00:00", "2024-03-05" },
  { "  2024-03-05  ", "2024-03-05" },
  { "  2024-03-05", "2024-03-05" },     /* lent past the spaces */
  { "\t01/01/2000\n", "2000-01-01" },
  { "2000-02-29", "2000-02-29" },       /* a century divisible by 400 */
  { "1900-01-01", "1900-01-01" },
  { "31/12/2199", "2199-12-31" },
  { "2024-11-30", "2024-11-30" },
};

static const char *bad_dates[] = {
  "31/02/2024",          /* no 31 February */
  "29/02/2023",          /* not a leap year */
  "2023-02-29",
  "2024-13-01",          /* month 13 */
  "2024-00-10",
  "2024-04-31",
  "1900-02-29",          /* a century not divisible by 400 */
  "2024-01-00",
  "2024-06-31",
  "1899-12-31",          /* before 1900 */
  "2200-01-01",
  "12/31/2024",          /* MM/DD is never read */
  "00/01/2024",
  "2024-1-5",            /* ISO needs two digits */
  "2024/03/05",
  "05-03-2024",
  "05.03.2024",
  "2024-03-05 10:30",
  "2024-03-05T25:00",
  "2024-03-05T10:61",
  "2024-03-05T10",
  "2024-03-05Z",
  "20240305",
  "1899-12-31",
  "2024-03-05x",
  "05/03/24",
  "yesterday",
  "-",
};

static void
check_good_dates (CbFieldId id,
                  gpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_dates); i++)
    assert_parses_to (id, good_dates[i].input, good_dates[i].canonical);
}

static void
check_bad_dates (CbFieldId id,
                 gpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_dates); i++)
    assert_rejected (id, bad_dates[i]);
}

static void
test_dates_accepted (void)
{
  foreach_field_of_type (CB_FIELD_TYPE_DATE, check_good_dates, NULL);
}

static void
test_dates_rejected (void)
{
  foreach_field_of_type (CB_FIELD_TYPE_DATE, check_bad_dates, NULL);
}

static void
test_date_helpers (void)
{
  GDate date;
  g_autofree char *formatted = NULL;

  g_assert_true (cb_date_parse ("01/02/2024", &date));
  g_assert_cmpuint (g_date_get_day (&date), ==, 1);
  g_assert_cmpuint (g_date_get_month (&date), ==, 2);
  g_assert_cmpuint (g_date_get_year (&date), ==, 2024);
  formatted = cb_date_format (&date);
  g_assert_cmpstr (formatted, ==, "2024-02-01");

  g_assert_false (cb_date_parse ("2024-02-30", &date));
  g_assert_false (g_date_valid (&date));

  g_assert_cmpint (cb_date_days_between ("2024-02-28", "2024-03-01"), ==, 2);
  g_assert_cmpint (cb_date_days_between ("2023-02-28", "2023-03-01"), ==, 1);
  g_assert_cmpint (cb_date_days_between ("2024-03-01", "2024-02-28"), ==, -2);
  g_assert_cmpint (cb_date_days_between ("2024-01-01", "2024-01-01"), ==, 0);
  g_assert_cmpint (cb_date_days_between (NULL, "2024-01-01"), ==, G_MININT);
  g_assert_cmpint (cb_date_days_between ("2024-01-01", NULL), ==, G_MININT);
  g_assert_cmpint (cb_date_days_between ("2024-01-01", "soon"), ==, G_MININT);
  g_assert_cmpint (cb_date_days_between ("2024-01-01", "2024-13-01"), ==, G_MININT);
  g_assert_cmpint (cb_date_days_between ("29/02/2024", "01/03/2024"), ==, 1);

  /* Earlier by text in the stored form, by counting days in any other. */
  g_assert_true (cb_date_is_before ("2023-12-31", "2024-01-01"));
  g_assert_false (cb_date_is_before ("2024-01-01", "2024-01-01"));
  g_assert_false (cb_date_is_before ("2024-01-02", "2024-01-01"));
  g_assert_true (cb_date_is_before ("28/02/2024", "2024-02-29"));
  g_assert_false (cb_date_is_before ("01/03/2024", "2024-02-29"));
  g_assert_false (cb_date_is_before (NULL, "2024-01-01"));
  g_assert_false (cb_date_is_before ("2024-01-01", NULL));
  g_assert_false (cb_date_is_before ("soon", "2024-01-01"));
}

/* Day spans are counted without GDate; they must agree with it on every
 * day of the years dates may take, across month, leap-day and century
 * boundaries, and over spans of any length. */
static void
test_date_days_between_matches_gdate (void)
{
  GDate origin, day;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1066);
  char origin_text[11];
  /* Every day takes memcheck 12 s; a prime stride still lands on many
   * month ends, leap days and century turns over three centuries. */
  guint stride = g_strcmp0 (g_getenv ("CASEBOOK_TEST_QUICK"), "1") == 0 ? 17 : 1;

  g_date_clear (&origin, 1);
  g_date_clear (&day, 1);
  g_date_set_dmy (&origin, 1, G_DATE_JANUARY, 1900);
  g_date_strftime (origin_text, sizeof origin_text, "%Y-%m-%d", &origin);
  day = origin;

  while (g_date_get_year (&day) <= 2199)
    {
      char text[11];
      char other_text[11];
      GDate other = origin;

      g_date_strftime (text, sizeof text, "%Y-%m-%d", &day);
      g_assert_cmpint (cb_date_days_between (origin_text, text), ==,
                       g_date_days_between (&origin, &day));

      /* And against a day at random, either way round. */
      g_date_add_days (&other, g_rand_int_range (rand, 0, 300 * 365));
      g_date_strftime (other_text, sizeof other_text, "%Y-%m-%d", &other);
      if (g_date_get_year (&other) <= 2199)
        g_assert_cmpint (cb_date_days_between (text, other_text), ==,
                         g_date_days_between (&day, &other));

      g_date_add_days (&day, stride);
    }
}

/* ------------------------------------------------------------------ */
/* Yes / no                                                           */
/* ------------------------------------------------------------------ */

static void
check_yes_no (CbFieldId id,
              gpointer  data)
{
  static const char *yes[] = {
    "yes", "YES", "Yes", "yEs", "y", "Y", "true", "TRUE", "True", "1", " yes ",
  };
  static const char *no[] = {
    "no", "NO", "No", "n", "N", "false", "FALSE", "False", "0", "\tno\n",
  };
  static const char *bad[] = {
    "yeah", "nope", "2", "-1", "01", "yes no", "ja", "t", "f", "on", "off",
    "not recorded", "?",
  };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    assert_parses_to (id, yes[i], "yes");
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    assert_parses_to (id, no[i], "no");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_rejected (id, bad[i]);
}

static void
test_yes_no (void)
{
  foreach_field_of_type (CB_FIELD_TYPE_YES_NO, check_yes_no, NULL);
}

/* ------------------------------------------------------------------ */
/* Codes                                                              */
/* ------------------------------------------------------------------ */

/* Every code by itself, shouted, and its label text in any case. */
static void
check_every_code (CbFieldId id,
                  gpointer  data)
{
  const CbField *field = cb_field_get (id);

  for (guint i = 0; i < field->n_codes; i++)
    {
      const char *code = field->codes[i].code;
      g_autofree char *upper = g_ascii_strup (code, -1);
      g_autofree char *label_upper = g_ascii_strup (field->codes[i].label, -1);
      g_autofree char *label_lower = g_ascii_strdown (field->codes[i].label, -1);
      g_autofree char *padded = g_strdup_printf ("  %s ", code);

      assert_parses_to (id, code, code);
      assert_parses_to (id, upper, code);
      assert_parses_to (id, padded, code);
      assert_parses_to (id, field->codes[i].label, code);
      assert_parses_to (id, label_upper, code);
      assert_parses_to (id, label_lower, code);
      g_assert_cmpint (cb_field_find_code (field, code), ==, i);
      g_assert_cmpstr (cb_field_get_code_label (field, code), ==, field->codes[i].label);
    }

  assert_rejected (id, "definitely_not_a_code");
  assert_rejected (id, "é");
}

static void
test_codes (void)
{
  const CbField *sentence = cb_field_get (CB_FIELD_SENTENCE_TYPE);

  foreach_field_of_type (CB_FIELD_TYPE_CODE, check_every_code, NULL);
  foreach_field_of_type (CB_FIELD_TYPE_CODES, check_every_code, NULL);

  assert_parses_to (CB_FIELD_SENTENCE_TYPE, "Community Order", "community_order");
  assert_parses_to (CB_FIELD_SENTENCE_TYPE, "PRE-SENTENCE (COURT REPORT)", "pre_sentence");
  assert_parses_to (CB_FIELD_MAIN_SUBSTANCE, "crack cocaine", "crack");
  assert_parses_to (CB_FIELD_INJECTING, "Injecting now (last six months)", "currently");

  /* Near misses are refused, not guessed. */
  assert_rejected (CB_FIELD_SENTENCE_TYPE, "community");
  assert_rejected (CB_FIELD_SENTENCE_TYPE, "community order x");
  assert_rejected (CB_FIELD_SENTENCE_TYPE, "community-order");
  assert_rejected (CB_FIELD_SENTENCE_TYPE, "heroin");
  assert_rejected (CB_FIELD_GENDER, "m");
  assert_rejected (CB_FIELD_MAIN_SUBSTANCE, "heroin;crack");
  assert_rejected (CB_FIELD_DEATH_DRUG_RELATED, "maybe");

  g_assert_cmpint (cb_field_find_code (sentence, "nothing"), ==, -1);
  g_assert_null (cb_field_get_code_label (sentence, NULL));
  /* An unknown stored code is shown as it is rather than hidden. */
  g_assert_cmpstr (cb_field_get_code_label (sentence, "mystery"), ==, "mystery");
}

static void
test_multi_codes (void)
{
  const CbField *substances = cb_field_get (CB_FIELD_SUBSTANCES);
  g_autofree char *all_reversed = NULL;
  g_autofree char *all_canonical = NULL;
  g_autoptr(GString) reversed = g_string_new (NULL);
  g_autoptr(GString) forward = g_string_new (NULL);

  /* Canonical order is list order, whatever order was typed. */
  assert_parses_to (CB_FIELD_SUBSTANCES, "crack;heroin", "heroin;crack");
  assert_parses_to (CB_FIELD_SUBSTANCES, "crack|heroin", "heroin;crack");
  assert_parses_to (CB_FIELD_SUBSTANCES, "alcohol|crack;heroin", "heroin;crack;alcohol");
  /* Duplicates, spaces, empty items and labels in any case. */
  assert_parses_to (CB_FIELD_SUBSTANCES, "cannabis;cannabis", "cannabis");
  assert_parses_to (CB_FIELD_SUBSTANCES, " Heroin | crack cocaine ;CRACK; ", "heroin;crack");
  assert_parses_to (CB_FIELD_SUBSTANCES, "ketamine;;spice", "spice;ketamine");
  assert_parses_to (CB_FIELD_REQUIREMENTS, "Drug testing requirement;DRR", "drr;drug_testing");
  assert_parses_to (CB_FIELD_REQUIREMENTS, "licence_drug_appointment|atr", "atr;licence_drug_appointment");
  /* Nothing but separators is nothing recorded. */
  assert_parses_to (CB_FIELD_SUBSTANCES, ";", NULL);
  assert_parses_to (CB_FIELD_SUBSTANCES, " ; | ", NULL);

  for (guint i = 0; i < substances->n_codes; i++)
    {
      g_string_append_printf (forward, "%s%s", i ? ";" : "", substances->codes[i].code);
      g_string_prepend (reversed, substances->codes[i].code);
      if (i + 1 < substances->n_codes)
        g_string_prepend (reversed, i % 2 ? "|" : ";");
    }
  all_reversed = parse_ok (CB_FIELD_SUBSTANCES, reversed->str);
  g_assert_cmpstr (all_reversed, ==, forward->str);

  /* The stored bit set gives the same text back. */
  g_assert_cmphex (cb_field_codes_to_mask (substances, forward->str), ==,
                   (G_GUINT64_CONSTANT (1) << substances->n_codes) - 1);
  all_canonical = cb_field_mask_to_codes (substances, (G_GUINT64_CONSTANT (1) << substances->n_codes) - 1);
  g_assert_cmpstr (all_canonical, ==, forward->str);
  g_assert_cmphex (cb_field_codes_to_mask (substances, "heroin;crack"), ==, 0x9);
  /* Out of table order (not canonical) it still reads; unknown parts and
   * a copy of a single code (not the table's string) too. */
  g_assert_cmphex (cb_field_codes_to_mask (substances, "crack;heroin"), ==, 0x9);
  g_assert_cmphex (cb_field_codes_to_mask (substances, "crack;tea;heroin"), ==, 0x9);
  {
    g_autofree char *copy = g_strdup (substances->codes[3].code);

    g_assert_cmphex (cb_field_codes_to_mask (substances, copy), ==, 0x8);
  }
  g_assert_cmphex (cb_field_codes_to_mask (substances, NULL), ==, 0);
  g_assert_null (cb_field_mask_to_codes (substances, 0));

  /* Every set of every coded list, canonical and in reverse. */
  for (guint f = 0; f < CB_N_FIELDS; f++)
    {
      const CbField *field = cb_field_get (f);
      guint64 all = (G_GUINT64_CONSTANT (1) << field->n_codes) - 1;

      if (field->type != CB_FIELD_TYPE_CODES)
        continue;
      for (guint64 mask = 1; mask <= all; mask = mask * 3 + 1)
        {
          g_autofree char *text = cb_field_mask_to_codes (field, mask & all);
          g_auto(GStrv) parts = g_strsplit (text, ";", -1);
          guint n = g_strv_length (parts);
          g_autoptr(GString) backwards = g_string_new (NULL);

          for (guint i = n; i > 0; i--)
            g_string_append_printf (backwards, "%s%s", i < n ? ";" : "", parts[i - 1]);
          g_assert_cmphex (cb_field_codes_to_mask (field, text), ==, mask & all);
          g_assert_cmphex (cb_field_codes_to_mask (field, backwards->str), ==, mask & all);
        }
    }

  /* A set of one is the table's own code; any other set is not one code. */
  for (guint i = 0; i < substances->n_codes; i++)
    g_assert_true (cb_field_mask_to_single_code (substances, G_GUINT64_CONSTANT (1) << i) ==
                   substances->codes[i].code);
  g_assert_null (cb_field_mask_to_single_code (substances, 0));
  g_assert_null (cb_field_mask_to_single_code (substances, 0x9));
  g_assert_null (cb_field_mask_to_single_code (substances, G_GUINT64_CONSTANT (1) << substances->n_codes));

  assert_rejected (CB_FIELD_SUBSTANCES, "heroin;tea");
  assert_rejected (CB_FIELD_SUBSTANCES, "heroin,crack");   /* a comma is not a separator */
  assert_rejected (CB_FIELD_REQUIREMENTS, "drr;heroin");
}

/* ------------------------------------------------------------------ */
/* Year of birth                                                      */
/* ------------------------------------------------------------------ */

static void
test_birth_year (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int max = g_date_time_get_year (now) - 16;
  g_autofree char *max_text = g_strdup_printf ("%d", max);
  g_autofree char *over_text = g_strdup_printf ("%d", max + 1);
  g_autofree char *padded_max = g_strdup_printf (" %d ", max);

  g_assert_cmpint (cb_field_birth_year_max (), ==, max);
  g_assert_cmpint (CB_BIRTH_YEAR_MIN, ==, 1920);

  assert_parses_to (CB_FIELD_BIRTH_YEAR, "1920", "1920");
  assert_parses_to (CB_FIELD_BIRTH_YEAR, "1985", "1985");
  assert_parses_to (CB_FIELD_BIRTH_YEAR, max_text, max_text);
  assert_parses_to (CB_FIELD_BIRTH_YEAR, padded_max, max_text);
  assert_parses_to (CB_FIELD_BIRTH_YEAR, " 1985", "1985");
  assert_parses_to (CB_FIELD_BIRTH_YEAR, "01985", "1985");

  assert_rejected (CB_FIELD_BIRTH_YEAR, "1919");
  assert_rejected (CB_FIELD_BIRTH_YEAR, over_text);
  assert_rejected (CB_FIELD_BIRTH_YEAR, "0");
  assert_rejected (CB_FIELD_BIRTH_YEAR, "-1980");
  assert_rejected (CB_FIELD_BIRTH_YEAR, "1980.5");
  assert_rejected (CB_FIELD_BIRTH_YEAR, "1980a");
  assert_rejected (CB_FIELD_BIRTH_YEAR, "19 80");
  assert_rejected (CB_FIELD_BIRTH_YEAR, "1980-01-01");
  assert_rejected (CB_FIELD_BIRTH_YEAR, "nineteen");
  assert_rejected (CB_FIELD_BIRTH_YEAR, "99999999999999999999999");
}

/* ------------------------------------------------------------------ */
/* Text                                                               */
/* ------------------------------------------------------------------ */

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);

  return g_string_free (s, FALSE);
}

static void
test_case_ref (void)
{
  g_autofree char *longest = repeat ("a", 32);
  g_autofree char *too_long = repeat ("a", 33);
  static const char *bad[] = {
    "AB 12", "AB,12", "AB;12", "AB\"12", "AB'12", "AB\\12", "AB:12", "AB\n12",
    "ABé12", "=1+1", "AB%12", "AB*12", "AB\t12",
  };

  assert_parses_to (CB_FIELD_CASE_REF, "Az09_./-", "Az09_./-");
  assert_parses_to (CB_FIELD_CASE_REF, "  X-1  ", "X-1");
  assert_parses_to (CB_FIELD_CASE_REF, longest, longest);
  assert_rejected (CB_FIELD_CASE_REF, too_long);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_rejected (CB_FIELD_CASE_REF, bad[i]);
}

static void
test_text_lengths (void)
{
  static const CbFieldId short_texts[] = {
    CB_FIELD_AREA, CB_FIELD_TEAM, CB_FIELD_PROVIDER,
  };
  g_autofree char *ascii_80 = repeat ("x", 80);
  g_autofree char *ascii_81 = repeat ("x", 81);
  g_autofree char *accented_80 = repeat ("é", 80);  /* 160 bytes, 80 characters */
  g_autofree char *accented_81 = repeat ("é", 81);
  g_autofree char *notes_4000 = repeat ("ŵ", 4000);
  g_autofree char *notes_4001 = repeat ("n", 4001);

  for (guint i = 0; i < G_N_ELEMENTS (short_texts); i++)
    {
      assert_parses_to (short_texts[i], ascii_80, ascii_80);
      assert_parses_to (short_texts[i], accented_80, accented_80);
      assert_rejected (short_texts[i], ascii_81);
      assert_rejected (short_texts[i], accented_81);
      /* Stray spaces go from short fields. */
      assert_parses_to (short_texts[i], "  North \"Hub\", Station Road\t", "North \"Hub\", Station Road");
    }

  assert_parses_to (CB_FIELD_NOTES, notes_4000, notes_4000);
  assert_rejected (CB_FIELD_NOTES, notes_4001);
  /* Notes keep their layout, including leading spaces and line breaks. */
  assert_parses_to (CB_FIELD_NOTES, "  line one,\n  \"two\"\r\n", "  line one,\n  \"two\"\r\n");
  /* Formula-looking text is text: the model stores it as typed. */
  assert_parses_to (CB_FIELD_NOTES, "=SUM(A1:A9)", "=SUM(A1:A9)");
  assert_parses_to (CB_FIELD_TEAM, "@Team", "@Team");
}

/* Bytes that are not UTF-8 are refused by every kind of field, with a
 * message that is itself valid text. */
static void
test_non_utf8 (void)
{
  static const char *inputs[] = {
    "\xff\xfe",
    "abc\xc3",          /* a sequence cut off by the end of the string */
    "North \xe9" "ast",  /* Latin-1 é */
    "\xc0\xaf",         /* an over-long '/' */
  };

  for (guint f = 0; f < CB_N_FIELDS; f++)
    for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
      assert_rejected (f, inputs[i]);
}

/* ------------------------------------------------------------------ */
/* Not recorded                                                       */
/* ------------------------------------------------------------------ */

static void
test_empty_is_not_recorded (void)
{
  static const char *empties[] = { "", " ", "   ", "\t", "\r\n" };
  g_autoptr(CbCase) record = cb_case_new ();
  g_autoptr(GError) error = NULL;

  for (guint f = 0; f < CB_N_FIELDS; f++)
    {
      char *canonical = NULL;

      g_assert_true (cb_field_parse (cb_field_get (f), NULL, &canonical, &error));
      g_assert_no_error (error);
      g_assert_null (canonical);

      for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
        {
          g_assert_true (cb_field_parse (cb_field_get (f), empties[i], &canonical, &error));
          g_assert_no_error (error);
          g_assert_null (canonical);
        }
    }

  /* Empty is not recorded; "no" is a recorded answer. */
  g_assert_true (cb_case_set_from_text (record, CB_FIELD_TESTED, "", &error));
  g_assert_no_error (error);
  g_assert_null (cb_case_get (record, CB_FIELD_TESTED));
  g_assert_cmpint (cb_case_get_yes_no (record, CB_FIELD_TESTED), ==, CB_YES_NO_NOT_RECORDED);

  g_assert_true (cb_case_set_from_text (record, CB_FIELD_TESTED, "N", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cb_case_get (record, CB_FIELD_TESTED), ==, "no");
  g_assert_cmpint (cb_case_get_yes_no (record, CB_FIELD_TESTED), ==, CB_YES_NO_NO);

  g_assert_true (cb_case_set_from_text (record, CB_FIELD_TESTED, "true", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_case_get_yes_no (record, CB_FIELD_TESTED), ==, CB_YES_NO_YES);

  /* A refused value leaves the old one in place. */
  g_assert_false (cb_case_set_from_text (record, CB_FIELD_TESTED, "perhaps", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_cmpstr (cb_case_get (record, CB_FIELD_TESTED), ==, "yes");
  g_clear_error (&error);

  g_assert_true (cb_case_set_from_text (record, CB_FIELD_TESTED, "  ", &error));
  g_assert_no_error (error);
  g_assert_null (cb_case_get (record, CB_FIELD_TESTED));
}

/* A case made from values holds the borrowed ones without copying or
 * freeing them, and a value put over one is owned again. The sanitizer
 * and memcheck runs of this test catch a borrowed value freed, or an
 * owned one leaked. */
static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *n)
{
  (*n)++;
}

static void
test_case_with_values (void)
{
  char *values[CB_N_FIELDS] = { NULL, };
  g_autoptr(CbCase) record = NULL;
  g_autoptr(CbCase) copy = NULL;
  const char *first = cb_field_get (CB_FIELD_GENDER)->codes[0].code;
  const char *second = cb_field_get (CB_FIELD_GENDER)->codes[1].code;
  char buffer[64];
  char cell[] = "Leeds";
  guint n_notified = 0;

  g_strlcpy (buffer, first, sizeof buffer);
  values[CB_FIELD_CASE_REF] = g_strdup ("REF-1");
  values[CB_FIELD_AREA] = cell;             /* lent by the row it was read from */
  values[CB_FIELD_GENDER] = (char *) first;
  values[CB_FIELD_TESTED] = (char *) cb_field_yes_no_text (TRUE);
  record = cb_case_new_with_values (42, values,
                                    (G_GUINT64_CONSTANT (1) << CB_FIELD_AREA) |
                                    (G_GUINT64_CONSTANT (1) << CB_FIELD_GENDER) |
                                    (G_GUINT64_CONSTANT (1) << CB_FIELD_TESTED));

  /* The case took the values and emptied the array. */
  for (guint i = 0; i < CB_N_FIELDS; i++)
    g_assert_null (values[i]);
  g_assert_cmpint (cb_case_get_id (record), ==, 42);
  g_assert_cmpstr (cb_case_get (record, CB_FIELD_CASE_REF), ==, "REF-1");
  g_assert_true (cb_case_get (record, CB_FIELD_GENDER) == first);
  g_assert_cmpint (cb_case_get_yes_no (record, CB_FIELD_TESTED), ==, CB_YES_NO_YES);
  g_assert_true (cb_case_get (record, CB_FIELD_AREA) == cell);

  g_signal_connect (record, "notify::gender", G_CALLBACK (count_notify), &n_notified);

  /* The same value again changes nothing. */
  cb_case_set (record, CB_FIELD_GENDER, buffer);
  g_assert_cmpuint (n_notified, ==, 0);

  /* A copy stands alone: it outlives a change to the original. */
  copy = cb_case_copy (record);
  g_assert_true (cb_case_equal (copy, record));
  g_assert_cmpint (cb_case_get_id (copy), ==, 42);
  cb_case_set (record, CB_FIELD_GENDER, second);
  g_assert_cmpuint (n_notified, ==, 1);
  g_assert_cmpstr (cb_case_get (copy, CB_FIELD_GENDER), ==, first);

  /* It shares the strings that live for ever, and copies a lent one,
   * which may go with the row the original was read from. */
  g_assert_true (cb_case_get (copy, CB_FIELD_GENDER) == first);
  g_assert_true (cb_case_get (copy, CB_FIELD_TESTED) == cb_field_yes_no_text (TRUE));
  g_assert_true (cb_case_get (copy, CB_FIELD_AREA) != cell);
  memset (cell, 'x', strlen (cell));
  g_assert_cmpstr (cb_case_get (copy, CB_FIELD_AREA), ==, "Leeds");
  g_clear_object (&record);

  /* A list's bit set follows every change of the list. */
  {
    const CbField *substances = cb_field_get (CB_FIELD_SUBSTANCES);

    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0);
    cb_case_set (copy, CB_FIELD_SUBSTANCES, "heroin;crack");
    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0x9);
    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0x9);
    cb_case_set (copy, CB_FIELD_SUBSTANCES, substances->codes[3].code);
    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0x8);
    g_assert_true (cb_case_has_code (copy, CB_FIELD_SUBSTANCES, "crack"));
    g_assert_false (cb_case_has_code (copy, CB_FIELD_SUBSTANCES, "heroin"));
    cb_case_set (copy, CB_FIELD_SUBSTANCES, NULL);
    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0);
  }

  /* One case given every value anew, as a reader of many rows reuses it:
   * owned values are freed (memcheck and ASan would tell), the id, the
   * borrowed set and the cached bit sets start again. */
  {
    char *again[CB_N_FIELDS] = { NULL, };
    char lent[] = "heroin;crack";

    cb_case_set (copy, CB_FIELD_SUBSTANCES, "crack");
    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0x8);
    again[CB_FIELD_CASE_REF] = g_strdup ("REF-2");
    again[CB_FIELD_SUBSTANCES] = lent;
    cb_case_replace_values (copy, 7, again, G_GUINT64_CONSTANT (1) << CB_FIELD_SUBSTANCES);
    g_assert_null (again[CB_FIELD_CASE_REF]);
    g_assert_cmpint (cb_case_get_id (copy), ==, 7);
    g_assert_cmpstr (cb_case_get (copy, CB_FIELD_CASE_REF), ==, "REF-2");
    g_assert_null (cb_case_get (copy, CB_FIELD_GENDER));
    g_assert_true (cb_case_get (copy, CB_FIELD_SUBSTANCES) == lent);
    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0x9);

    cb_case_replace_values (copy, 0, NULL, 0);
    g_assert_cmpint (cb_case_get_id (copy), ==, 0);
    for (guint i = 0; i < CB_N_FIELDS; i++)
      g_assert_null (cb_case_get (copy, i));
    g_assert_cmphex (cb_case_get_mask (copy, CB_FIELD_SUBSTANCES), ==, 0);
  }

  /* Owned over borrowed, and not recorded over borrowed. */
  cb_case_take (copy, CB_FIELD_TESTED, g_strdup ("no"));
  cb_case_set (copy, CB_FIELD_GENDER, NULL);
  g_assert_null (cb_case_get (copy, CB_FIELD_GENDER));
  g_assert_cmpstr (cb_case_get (copy, CB_FIELD_TESTED), ==, "no");
}

/* The two order rules, judged on canonical dates as text: the same day
 * is fine, a day earlier is not, across month and year ends too. */
static gboolean
breaks_order (CbFieldId   earlier,
              const char *earlier_date,
              CbFieldId   later,
              const char *later_date)
{
  g_autoptr(CbCase) record = cb_case_new ();
  g_autoptr(GPtrArray) problems = NULL;

  cb_case_set (record, earlier, earlier_date);
  cb_case_set (record, later, later_date);
  problems = cb_case_collect_problems (record, FALSE);
  for (guint i = 0; i < problems->len; i++)
    if (((CbProblem *) g_ptr_array_index (problems, i))->field == later)
      return TRUE;

  return FALSE;
}

static void
test_date_order_rules (void)
{
  static const struct {
    const char *earlier, *later;
    gboolean    broken;
  } cases[] = {
    { "2024-03-05", "2024-03-05", FALSE },
    { "2024-03-05", "2024-03-04", TRUE },
    { "2024-03-05", "2024-03-06", FALSE },
    { "2024-01-01", "2023-12-31", TRUE },
    { "2023-12-31", "2024-01-01", FALSE },
    { "2024-02-29", "2024-03-01", FALSE },
    { "2024-03-01", "2024-02-29", TRUE },
    { "1999-12-31", "2000-01-01", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (breaks_order (CB_FIELD_START_DATE, cases[i].earlier,
                                     CB_FIELD_END_DATE, cases[i].later), ==, cases[i].broken);
      g_assert_cmpint (breaks_order (CB_FIELD_REFERRED_ON, cases[i].earlier,
                                     CB_FIELD_TREATMENT_STARTED_ON, cases[i].later), ==, cases[i].broken);
    }

  /* Either date missing: nothing to judge. */
  g_assert_false (breaks_order (CB_FIELD_START_DATE, "2024-03-05", CB_FIELD_END_DATE, NULL));
  g_assert_false (breaks_order (CB_FIELD_START_DATE, NULL, CB_FIELD_END_DATE, "2024-03-05"));
}

/* ------------------------------------------------------------------ */
/* Header lookup                                                      */
/* ------------------------------------------------------------------ */

static void
assert_lookup (const char *header,
               CbFieldId   expected)
{
  const CbField *field = cb_field_lookup (header);

  if (field == NULL)
    g_error ("header “%s” matched no field, expected %s", header,
             cb_field_get (expected)->name);
  if (field->id != expected)
    g_error ("header “%s” matched %s, expected %s", header, field->name,
             cb_field_get (expected)->name);
}

static void
test_header_lookup (void)
{
  g_autofree char *normalised = NULL;

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);
      g_autofree char *upper = g_ascii_strup (field->name, -1);
      g_autofree char *spaced = g_strdelimit (g_strdup (field->name), "_", ' ');
      g_autofree char *hyphened = g_strdelimit (g_strdup (upper), "_", '-');
      g_autofree char *padded = g_strdup_printf ("  %s\t", spaced);
      g_autofree char *label_upper = g_ascii_strup (field->label, -1);

      assert_lookup (field->name, i);
      assert_lookup (upper, i);
      assert_lookup (spaced, i);
      assert_lookup (hyphened, i);
      assert_lookup (padded, i);
      assert_lookup (field->label, i);
      assert_lookup (label_upper, i);
    }

  assert_lookup ("Case-Ref", CB_FIELD_CASE_REF);
  assert_lookup ("Case reference", CB_FIELD_CASE_REF);
  assert_lookup ("year of birth", CB_FIELD_BIRTH_YEAR);
  assert_lookup ("Year-Of-Birth", CB_FIELD_BIRTH_YEAR);
  assert_lookup ("Frequency of use", CB_FIELD_USE_FREQUENCY);
  assert_lookup ("Main Substance", CB_FIELD_MAIN_SUBSTANCE);
  assert_lookup ("treatment started on", CB_FIELD_TREATMENT_STARTED_ON);

  g_assert_null (cb_field_lookup ("favourite_colour"));
  g_assert_null (cb_field_lookup (""));
  g_assert_null (cb_field_lookup ("   "));
  g_assert_null (cb_field_lookup ("case"));
  g_assert_null (cb_field_lookup ("case_ref_2"));
  g_assert_null (cb_field_lookup ("caseref"));

  normalised = cb_field_normalise_header ("  Start-Date Of ORDER ");
  g_assert_cmpstr (normalised, ==, "start_date_of_order");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/field/table", test_table_matches_dictionary);
  g_test_add_func ("/field/code-lists", test_code_lists);
  g_test_add_func ("/field/dates/accepted", test_dates_accepted);
  g_test_add_func ("/field/dates/rejected", test_dates_rejected);
  g_test_add_func ("/field/dates/helpers", test_date_helpers);
  g_test_add_func ("/field/dates/days-between", test_date_days_between_matches_gdate);
  g_test_add_func ("/field/yes-no", test_yes_no);
  g_test_add_func ("/field/codes", test_codes);
  g_test_add_func ("/field/multi-codes", test_multi_codes);
  g_test_add_func ("/field/birth-year", test_birth_year);
  g_test_add_func ("/field/case-ref", test_case_ref);
  g_test_add_func ("/field/text-lengths", test_text_lengths);
  g_test_add_func ("/field/non-utf8", test_non_utf8);
  g_test_add_func ("/field/empty-is-not-recorded", test_empty_is_not_recorded);
  g_test_add_func ("/field/header-lookup", test_header_lookup);
  g_test_add_func ("/field/case-with-values", test_case_with_values);
  g_test_add_func ("/field/date-order-rules", test_date_order_rules);

  return g_test_run ();
}
