/* cb-case.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A case keeps every value in its canonical text form (NULL = not
 * recorded): the form the CSV export writes, so that a case is compared,
 * copied and exported without conversions. Each dictionary column is also a
 * string property named as the column with '-', for binding in views.
 */
#define G_LOG_DOMAIN "casebook-case"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cb-case.h"
#include "cb-error.h"

struct _CbCase
{
  GObject  parent_instance;
  gint64   id;
  char    *values[CB_N_FIELDS];
  guint64  borrowed;            /* bit per field: the value is not ours to free */

  /* A list of codes as a bit set, worked out on first use: an import
   * asks for the substances and requirements of each row several times
   * (practice gaps, rules, binding). A case is used by one thread at a
   * time, so the cache needs no lock. */
  guint64  masks_known;         /* bit per field */
  guint64  masks[CB_N_FIELDS];
};

G_STATIC_ASSERT (CB_N_FIELDS <= 64);

#define FIELD_BIT(field) (G_GUINT64_CONSTANT (1) << (field))

G_DEFINE_FINAL_TYPE (CbCase, cb_case, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FIRST_FIELD,
  N_PROPS = PROP_FIRST_FIELD + CB_N_FIELDS
};

static GParamSpec *properties[N_PROPS];
static gint n_alive;

static void
free_values (CbCase *self)
{
  for (guint i = 0; i < CB_N_FIELDS; i++)
    if (!(self->borrowed & FIELD_BIT (i)))
      g_free (self->values[i]);
}

static void
cb_case_finalize (GObject *object)
{
  CbCase *self = (CbCase *)object;

  free_values (self);

  g_atomic_int_add (&n_alive, -1);

  G_OBJECT_CLASS (cb_case_parent_class)->finalize (object);
}

static void
cb_case_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CbCase *self = CB_CASE (object);

  if (prop_id == PROP_ID)
    g_value_set_int64 (value, self->id);
  else if (prop_id >= PROP_FIRST_FIELD && prop_id < N_PROPS)
    g_value_set_string (value, self->values[prop_id - PROP_FIRST_FIELD]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cb_case_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CbCase *self = CB_CASE (object);

  if (prop_id == PROP_ID)
    cb_case_set_id (self, g_value_get_int64 (value));
  else if (prop_id >= PROP_FIRST_FIELD && prop_id < N_PROPS)
    cb_case_set (self, prop_id - PROP_FIRST_FIELD, g_value_get_string (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cb_case_class_init (CbCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_case_finalize;
  object_class->get_property = cb_case_get_property;
  object_class->set_property = cb_case_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The field table names the properties, so no column is spelled twice. */
  for (guint i = 0; i < CB_N_FIELDS; i++)
    properties[PROP_FIRST_FIELD + i] =
      g_param_spec_string (cb_field_get_property_name (i), NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_case_init (CbCase *self)
{
  g_atomic_int_inc (&n_alive);
}

CbCase *
cb_case_new (void)
{
  return g_object_new (CB_TYPE_CASE, NULL);
}

/**
 * cb_case_new_with_values:
 * @id: the row id, 0 for a case not yet saved
 * @values: (array fixed-size=CB_N_FIELDS) (transfer full): every field's
 *   canonical value, %NULL for not recorded; emptied by the call
 * @borrowed: a bit per field (1 << field) whose value is not to be freed:
 *   a string that outlives the case, such as a code of the field table or
 *   a cell of the record the case was read from
 *
 * A case made in one step, for readers of many rows (the store, an
 * import): no value is copied, and no property is notified, as nothing
 * can be listening to a case that does not exist yet.
 */
CbCase *
cb_case_new_with_values (gint64   id,
                         char   **values,
                         guint64  borrowed)
{
  CbCase *self;

  g_return_val_if_fail (values != NULL, NULL);

  self = cb_case_new ();
  cb_case_replace_values (self, id, values, borrowed);
  return self;
}

/**
 * cb_case_replace_values:
 * @values: (array fixed-size=CB_N_FIELDS) (transfer full) (nullable): as
 *   for cb_case_new_with_values(); %NULL to empty the case
 *
 * Gives a case every value anew, as cb_case_new_with_values() gives a new
 * one: for a reader of many rows that keeps one case per row slot rather
 * than making and finalising an object a row. Nothing must be listening:
 * no property is notified.
 */
void
cb_case_replace_values (CbCase   *self,
                        gint64    id,
                        char    **values,
                        guint64   borrowed)
{
  g_return_if_fail (CB_IS_CASE (self));

  free_values (self);
  self->id = id;
  self->masks_known = 0;
  if (values == NULL)
    {
      memset (self->values, 0, sizeof self->values);
      self->borrowed = 0;
      return;
    }

  self->borrowed = borrowed;
  memcpy (self->values, values, sizeof self->values);
  memset (values, 0, sizeof self->values);
}

/* For tests: how many cases exist, to prove lists create them lazily. */
guint
cb_case_get_n_alive (void)
{
  return g_atomic_int_get (&n_alive);
}

void
cb_problem_free (CbProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

CbCase *
cb_case_copy (CbCase *self)
{
  CbCase *copy;

  g_return_val_if_fail (CB_IS_CASE (self), NULL);

  copy = cb_case_new ();
  copy->id = self->id;

  /* A borrowed value may live only as long as @self (a cell of the row
   * it was read from); the copy shares only what lives for ever. */
  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const char *value = self->values[i];

      if ((self->borrowed & FIELD_BIT (i)) && cb_field_is_shared_text (cb_field_get (i), value))
        {
          copy->values[i] = (char *) value;
          copy->borrowed |= FIELD_BIT (i);
        }
      else
        copy->values[i] = g_strdup (value);
    }

  return copy;
}

/* Field for field, leaving the row id aside. */
gboolean
cb_case_equal (CbCase *a,
               CbCase *b)
{
  g_return_val_if_fail (CB_IS_CASE (a), FALSE);
  g_return_val_if_fail (CB_IS_CASE (b), FALSE);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    if (g_strcmp0 (a->values[i], b->values[i]) != 0)
      return FALSE;

  return TRUE;
}

gint64
cb_case_get_id (CbCase *self)
{
  g_return_val_if_fail (CB_IS_CASE (self), 0);

  return self->id;
}

void
cb_case_set_id (CbCase *self,
                gint64  id)
{
  g_return_if_fail (CB_IS_CASE (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
cb_case_get (CbCase    *self,
             CbFieldId  field)
{
  g_return_val_if_fail (CB_IS_CASE (self), NULL);
  g_return_val_if_fail (field < CB_N_FIELDS, NULL);

  return self->values[field];
}

/**
 * cb_case_take:
 * @canonical: (transfer full) (nullable): a value already in canonical form
 *
 * Stores a value that came from cb_field_parse() or the database. Values
 * from people go through cb_case_set_from_text() instead.
 */
/* Stores @canonical, freed with the case unless @borrowed. */
void
cb_case_take (CbCase    *self,
              CbFieldId  field,
              char      *canonical)
{
  g_return_if_fail (CB_IS_CASE (self));
  g_return_if_fail (field < CB_N_FIELDS);

  if (g_strcmp0 (self->values[field], canonical) == 0)
    {
      g_free (canonical);
      return;
    }

  if (!(self->borrowed & FIELD_BIT (field)))
    g_free (self->values[field]);
  self->values[field] = canonical;
  self->borrowed &= ~FIELD_BIT (field);
  self->masks_known &= ~FIELD_BIT (field);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_FIELD + field]);
}


void
cb_case_set (CbCase     *self,
             CbFieldId   field,
             const char *canonical)
{
  cb_case_take (self, field, g_strdup (canonical));
}

gboolean
cb_case_set_from_text (CbCase      *self,
                       CbFieldId    field,
                       const char  *text,
                       GError     **error)
{
  char *canonical = NULL;

  g_return_val_if_fail (CB_IS_CASE (self), FALSE);
  g_return_val_if_fail (field < CB_N_FIELDS, FALSE);

  if (!cb_field_parse (cb_field_get (field), text, &canonical, error))
    return FALSE;

  cb_case_take (self, field, canonical);
  return TRUE;
}

CbYesNo
cb_case_get_yes_no (CbCase    *self,
                    CbFieldId  field)
{
  const char *value = cb_case_get (self, field);

  if (value == NULL)
    return CB_YES_NO_NOT_RECORDED;
  return g_str_equal (value, "yes") ? CB_YES_NO_YES : CB_YES_NO_NO;
}

guint64
cb_case_get_mask (CbCase    *self,
                  CbFieldId  field)
{
  g_return_val_if_fail (CB_IS_CASE (self), 0);
  g_return_val_if_fail (field < CB_N_FIELDS, 0);

  if (!(self->masks_known & FIELD_BIT (field)))
    {
      self->masks[field] = cb_field_codes_to_mask (cb_field_get (field), self->values[field]);
      self->masks_known |= FIELD_BIT (field);
    }

  return self->masks[field];
}

gboolean
cb_case_has_code (CbCase     *self,
                  CbFieldId   field,
                  const char *code)
{
  const CbField *info = cb_field_get (field);
  int index;

  if (info->type != CB_FIELD_TYPE_CODES)
    return g_strcmp0 (cb_case_get (self, field), code) == 0;

  index = cb_field_find_code (info, code);
  g_return_val_if_fail (index >= 0, FALSE);

  return (cb_case_get_mask (self, field) & (G_GUINT64_CONSTANT (1) << index)) != 0;
}

/* Worked out once: the practice gaps ask for these for every case an
 * import or a report reads. A set never includes bit 63, so the cached
 * value is never the zero of "not yet". */
static guint64
substance_mask (gsize              *cached,
                const char * const *codes)
{
  if (g_once_init_enter (cached))
    {
      const CbField *field = cb_field_get (CB_FIELD_SUBSTANCES);
      guint64 mask = G_GUINT64_CONSTANT (1) << 63;

      for (guint i = 0; codes[i] != NULL; i++)
        {
          int index = cb_field_find_code (field, codes[i]);

          g_assert (index >= 0 && index < 63);
          mask |= G_GUINT64_CONSTANT (1) << index;
        }
      g_once_init_leave (cached, mask);
    }

  return *cached & ~(G_GUINT64_CONSTANT (1) << 63);
}

/* Misuse of Drugs Act 1971 Class A; other opiates counted as OASys does. */
guint64
cb_substance_mask_class_a (void)
{
  static const char *codes[] = {
    "heroin", "methadone_not_prescribed", "other_opiates", "crack",
    "cocaine", "ecstasy", "hallucinogens", NULL
  };
  static gsize mask;
  return substance_mask (&mask, codes);
}

guint64
cb_substance_mask_opiate (void)
{
  static const char *codes[] = {
    "heroin", "methadone_not_prescribed", "other_opiates", NULL
  };
  static gsize mask;
  return substance_mask (&mask, codes);
}

guint64
cb_substance_mask_alcohol (void)
{
  static const char *codes[] = { "alcohol", NULL };
  static gsize mask;
  return substance_mask (&mask, codes);
}

gboolean
cb_case_is_class_a (CbCase *self)
{
  return (cb_case_get_mask (self, CB_FIELD_SUBSTANCES) & cb_substance_mask_class_a ()) != 0;
}

gboolean
cb_case_is_opiate_user (CbCase *self)
{
  return (cb_case_get_mask (self, CB_FIELD_SUBSTANCES) & cb_substance_mask_opiate ()) != 0;
}

CbSubstanceGroup
cb_case_get_substance_group (CbCase *self)
{
  return cb_substance_group_from_mask (cb_case_get_mask (self, CB_FIELD_SUBSTANCES));
}

/**
 * cb_substance_group_from_mask:
 * @mask: a set of substances as cb_case_get_mask() gives it
 *
 * The dictionary's NDTMS hierarchy: any opiate first, then non-opiates
 * with or without alcohol, then alcohol alone.
 */
CbSubstanceGroup
cb_substance_group_from_mask (guint64 mask)
{
  guint64 alcohol = cb_substance_mask_alcohol ();

  if (mask & cb_substance_mask_opiate ())
    return CB_SUBSTANCE_GROUP_OPIATE;
  if ((mask & ~alcohol) && (mask & alcohol))
    return CB_SUBSTANCE_GROUP_NON_OPIATE_AND_ALCOHOL;
  if (mask & ~alcohol)
    return CB_SUBSTANCE_GROUP_NON_OPIATE_ONLY;
  if (mask & alcohol)
    return CB_SUBSTANCE_GROUP_ALCOHOL_ONLY;
  return CB_SUBSTANCE_GROUP_NONE;
}

static const struct {
  const char *code;
  const char *label;
} substance_groups[CB_N_SUBSTANCE_GROUPS] = {
  { "none", N_("No substance recorded") },
  { "opiate", N_("Opiate") },
  { "non_opiate_and_alcohol", N_("Non-opiate and alcohol") },
  { "non_opiate_only", N_("Non-opiate only") },
  { "alcohol_only", N_("Alcohol only") },
};

const char *
cb_substance_group_get_code (CbSubstanceGroup group)
{
  g_return_val_if_fail (group < CB_N_SUBSTANCE_GROUPS, NULL);
  return substance_groups[group].code;
}

const char *
cb_substance_group_get_label (CbSubstanceGroup group)
{
  g_return_val_if_fail (group < CB_N_SUBSTANCE_GROUPS, NULL);
  return _(substance_groups[group].label);
}

static void
add_problem (GPtrArray  *problems,
             CbFieldId   field,
             const char *message)
{
  CbProblem *problem = g_new0 (CbProblem, 1);

  problem->field = field;
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

/* A value set with cb_case_set() must already be canonical: parsing it
 * again must give it back unchanged. */
static void
check_value (CbCase    *self,
             CbFieldId  field,
             GPtrArray *problems)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;

  if (self->values[field] == NULL)
    return;

  if (!cb_field_parse (cb_field_get (field), self->values[field], &canonical, &error))
    add_problem (problems, field, error->message);
  else if (g_strcmp0 (canonical, self->values[field]) != 0)
    add_problem (problems, field, _("The value is not in its stored form"));
}

static void
check_order (CbCase     *self,
             CbFieldId   earlier,
             CbFieldId   later,
             const char *message,
             GPtrArray  *problems)
{
  if (cb_date_is_before (self->values[later], self->values[earlier]))
    add_problem (problems, later, _(message));
}

static void
check_main_substance (CbCase    *self,
                      GPtrArray *problems)
{
  const char *main_substance = self->values[CB_FIELD_MAIN_SUBSTANCE];

  if (main_substance != NULL &&
      !cb_case_has_code (self, CB_FIELD_SUBSTANCES, main_substance))
    add_problem (problems, CB_FIELD_MAIN_SUBSTANCE,
                 _("The main substance is not among the substances"));
}

/**
 * cb_case_collect_problems:
 * @check_values: also check that each value is in canonical form
 *
 * Returns: (transfer full) (element-type CbProblem): every reason the
 *   record cannot be saved, empty when it can
 */
GPtrArray *
cb_case_collect_problems (CbCase   *self,
                          gboolean  check_values)
{
  GPtrArray *problems;

  g_return_val_if_fail (CB_IS_CASE (self), NULL);

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_problem_free);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);

      if (field->required && self->values[i] == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("%s is required"), _(field->label));
          add_problem (problems, i, message);
        }
      else if (check_values)
        check_value (self, i, problems);
    }

  /* Translated only when broken: an import checks every row. */
  check_order (self, CB_FIELD_START_DATE, CB_FIELD_END_DATE,
               N_("The end date is before the start date"), problems);
  check_order (self, CB_FIELD_REFERRED_ON, CB_FIELD_TREATMENT_STARTED_ON,
               N_("Treatment started before the referral"), problems);
  check_main_substance (self, problems);

  return problems;
}

/* Fails with the first problem, naming its column for imports and logs. */
gboolean
cb_case_validate (CbCase  *self,
                  GError **error)
{
  g_autoptr(GPtrArray) problems = cb_case_collect_problems (self, TRUE);
  const CbProblem *first;

  if (problems->len == 0)
    return TRUE;

  first = g_ptr_array_index (problems, 0);
  g_set_error (error, CB_ERROR,
               self->values[first->field] == NULL ? CB_ERROR_REQUIRED : CB_ERROR_INVALID,
               "%s: %s", cb_field_get (first->field)->name, first->message);
  return FALSE;
}
