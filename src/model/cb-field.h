/* cb-field.h — the one table that describes every column of a case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every column of DATA-DICTIONARY.md is described once, here. The SQL
 * schema, CSV header matching, validation, the editor's rows, the list's
 * columns and the export's columns are all derived from this table.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CB_FIELD_TYPE_TEXT,
  CB_FIELD_TYPE_CODE,     /* one code of a list */
  CB_FIELD_TYPE_CODES,    /* several codes of a list, kept as a bit set */
  CB_FIELD_TYPE_DATE,     /* ISO YYYY-MM-DD */
  CB_FIELD_TYPE_YES_NO,   /* yes, no or not recorded */
  CB_FIELD_TYPE_INTEGER,
} CbFieldType;

typedef enum
{
  CB_FIELD_GROUP_IDENTITY,
  CB_FIELD_GROUP_DEMOGRAPHICS,
  CB_FIELD_GROUP_DRUG_USE,
  CB_FIELD_GROUP_ASSESSMENT,
  CB_FIELD_GROUP_TESTING,
  CB_FIELD_GROUP_TREATMENT,
  CB_FIELD_GROUP_CUSTODY,
  CB_FIELD_GROUP_HARM_REDUCTION,
  CB_FIELD_GROUP_OUTCOME,
  CB_FIELD_GROUP_NOTES,
  CB_N_FIELD_GROUPS
} CbFieldGroup;

/* In the order of the dictionary, which is also the CSV export order. */
typedef enum
{
  CB_FIELD_CASE_REF,
  CB_FIELD_AREA,
  CB_FIELD_TEAM,
  CB_FIELD_SENTENCE_TYPE,
  CB_FIELD_START_DATE,
  CB_FIELD_END_DATE,
  CB_FIELD_BIRTH_YEAR,
  CB_FIELD_GENDER,
  CB_FIELD_ETHNICITY,
  CB_FIELD_DRUG_MISUSE,
  CB_FIELD_SUBSTANCES,
  CB_FIELD_MAIN_SUBSTANCE,
  CB_FIELD_USE_FREQUENCY,
  CB_FIELD_INJECTING,
  CB_FIELD_PRIORITY_FACTOR,
  CB_FIELD_MOTIVATION,
  CB_FIELD_ASSESSED_ON,
  CB_FIELD_SPECIALIST_ASSESSMENT,
  CB_FIELD_REQUIREMENTS,
  CB_FIELD_DRR_CONSENT,
  CB_FIELD_DRR_REVIEWS,
  CB_FIELD_TESTED,
  CB_FIELD_LAST_TEST_ON,
  CB_FIELD_LAST_TEST_RESULT,
  CB_FIELD_REFERRED_ON,
  CB_FIELD_PROVIDER,
  CB_FIELD_TREATMENT_STARTED_ON,
  CB_FIELD_INTERVENTION,
  CB_FIELD_RELEASED_ON,
  CB_FIELD_CUSTODY_TREATMENT,
  CB_FIELD_COMMUNITY_TREATMENT_ON,
  CB_FIELD_NALOXONE,
  CB_FIELD_OVERDOSE_ADVICE,
  CB_FIELD_DIED_ON,
  CB_FIELD_DEATH_DRUG_RELATED,
  CB_FIELD_NOTES,
  CB_N_FIELDS
} CbFieldId;

typedef struct
{
  const char *code;
  const char *label;   /* translatable, marked with N_() */
} CbCode;

typedef struct
{
  CbFieldId     id;
  const char   *name;        /* column and CSV header; property name with '-' */
  const char   *label;       /* translatable, marked with N_() */
  const char   *description; /* translatable, one line of help */
  CbFieldType   type;
  CbFieldGroup  group;
  gboolean      required;
  guint         max_length;  /* text: characters; 0 = no limit */
  const CbCode *codes;       /* code lists, terminated by { NULL, NULL } */
  guint         n_codes;
} CbField;

/* A yes/no value: not recorded is kept apart from no on purpose, because
 * the inspection's point is that the information was never captured. */
typedef enum
{
  CB_YES_NO_NOT_RECORDED = -1,
  CB_YES_NO_NO = 0,
  CB_YES_NO_YES = 1,
} CbYesNo;

const CbField *cb_field_get              (CbFieldId           id);
const CbField *cb_field_lookup           (const char         *header);
char          *cb_field_normalise_header (const char         *header);
const char    *cb_field_get_property_name (CbFieldId          id);
const char    *cb_field_group_get_label  (CbFieldGroup        group);
const char    *cb_field_yes_no_text      (gboolean            yes);
gboolean       cb_field_is_shared_text   (const CbField      *field,
                                          const char         *text);
int            cb_field_find_code        (const CbField      *field,
                                          const char         *code_or_label);
const char    *cb_field_get_code_label   (const CbField      *field,
                                          const char         *code);
gboolean       cb_field_parse            (const CbField      *field,
                                          const char         *input,
                                          char              **canonical,
                                          GError            **error);
gboolean       cb_field_parse_without_quoting (const CbField *field,
                                               const char    *input,
                                               char         **canonical,
                                               GError       **error);
gboolean       cb_field_parse_borrowing  (const CbField      *field,
                                          const char         *input,
                                          const char        **borrowed,
                                          char              **owned,
                                          GError            **error);
guint64        cb_field_codes_to_mask    (const CbField      *field,
                                          const char         *canonical);
char          *cb_field_mask_to_codes    (const CbField      *field,
                                          guint64             mask);
const char    *cb_field_mask_to_single_code (const CbField   *field,
                                             guint64          mask);
gboolean       cb_date_parse             (const char         *text,
                                          GDate              *date);
char          *cb_date_format            (const GDate        *date);
gboolean       cb_date_is_before         (const char         *date,
                                          const char         *other);
int            cb_date_days_between      (const char         *from_iso,
                                          const char         *to_iso);
int            cb_field_birth_year_max   (void);

#define CB_BIRTH_YEAR_MIN 1920

G_END_DECLS
