/* test-case-store.c — CbCaseStore on real SQLite files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-test-store"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <libglib-testing/signal-logger.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb-case-store.h"
#include "cb-csv-reader.h"
#include "cb-csv-writer.h"
#include "cb-error.h"
#include "cb-field.h"
#include "cb-practice-gaps.h"
#include "cb-test-util.h"

/* Every row and column of the cases table: the ground truth for
 * "nothing changed". */
#define ALL_CASES_BY_ID "SELECT * FROM cases ORDER BY id"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static void
set_text (CbCase     *record,
          CbFieldId   field,
          const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!cb_case_set_from_text (record, field, text, &error))
    g_error ("%s: %s", cb_field_get (field)->name, error->message);
}

static CbCase *
make_minimal_case (const char *ref)
{
  CbCase *record = cb_case_new ();

  set_text (record, CB_FIELD_CASE_REF, ref);
  set_text (record, CB_FIELD_AREA, "Leeds");
  set_text (record, CB_FIELD_SENTENCE_TYPE, "community_order");
  set_text (record, CB_FIELD_START_DATE, "2024-01-15");

  return record;
}

static char *
all_codes (CbFieldId id)
{
  const CbField *field = cb_field_get (id);

  return cb_field_mask_to_codes (field, (G_GUINT64_CONSTANT (1) << field->n_codes) - 1);
}

/* Every field set, to values away from any default and awkward to store:
 * quotes, commas, line breaks, non-ASCII, formula-like text, the first
 * and last days allowed, every code of the multi-valued fields. */
static CbCase *
make_full_case (const char *ref)
{
  CbCase *record = cb_case_new ();
  g_autofree char *substances = all_codes (CB_FIELD_SUBSTANCES);
  g_autofree char *requirements = all_codes (CB_FIELD_REQUIREMENTS);

  set_text (record, CB_FIELD_CASE_REF, ref);
  set_text (record, CB_FIELD_AREA, "Caerdydd \"Canol\", Bae – ŵŷ");
  set_text (record, CB_FIELD_TEAM, "Line one\nline two, 'quoted' \"twice\"");
  set_text (record, CB_FIELD_SENTENCE_TYPE, "post_sentence_supervision");
  set_text (record, CB_FIELD_START_DATE, "2020-02-29");
  set_text (record, CB_FIELD_END_DATE, "2024-12-31");
  set_text (record, CB_FIELD_BIRTH_YEAR, "1920");
  set_text (record, CB_FIELD_GENDER, "non_binary");
  set_text (record, CB_FIELD_ETHNICITY, "not_stated");
  set_text (record, CB_FIELD_DRUG_MISUSE, "yes");
  set_text (record, CB_FIELD_SUBSTANCES, substances);
  set_text (record, CB_FIELD_MAIN_SUBSTANCE, "other");
  set_text (record, CB_FIELD_USE_FREQUENCY, "occasional");
  set_text (record, CB_FIELD_INJECTING, "previously");
  set_text (record, CB_FIELD_PRIORITY_FACTOR, "no");
  set_text (record, CB_FIELD_MOTIVATION, "unknown");
  set_text (record, CB_FIELD_ASSESSED_ON, "2020-03-01");
  set_text (record, CB_FIELD_SPECIALIST_ASSESSMENT, "no");
  set_text (record, CB_FIELD_REQUIREMENTS, requirements);
  set_text (record, CB_FIELD_DRR_CONSENT, "no");
  set_text (record, CB_FIELD_DRR_REVIEWS, "yes");
  set_text (record, CB_FIELD_TESTED, "yes");
  set_text (record, CB_FIELD_LAST_TEST_ON, "2021-01-31");
  set_text (record, CB_FIELD_LAST_TEST_RESULT, "refused");
  set_text (record, CB_FIELD_REFERRED_ON, "2020-04-01");
  set_text (record, CB_FIELD_PROVIDER, "=Dyfodol, \"Cymru\"\nAbertawe – 😀");
  set_text (record, CB_FIELD_TREATMENT_STARTED_ON, "2020-04-01");
  set_text (record, CB_FIELD_INTERVENTION, "brief_intervention");
  set_text (record, CB_FIELD_RELEASED_ON, "2020-02-29");
  set_text (record, CB_FIELD_CUSTODY_TREATMENT, "yes");
  set_text (record, CB_FIELD_COMMUNITY_TREATMENT_ON, "2020-03-21");
  set_text (record, CB_FIELD_NALOXONE, "no");
  set_text (record, CB_FIELD_OVERDOSE_ADVICE, "yes");
  set_text (record, CB_FIELD_DIED_ON, "2024-12-31");
  set_text (record, CB_FIELD_DEATH_DRUG_RELATED, "suspected");
  set_text (record, CB_FIELD_NOTES,
            "  -starts with a minus, \"quoted\", 'single';\r\n"
            "\ttab, comma, newline\n@at =1+1 — déjà vu 😀 \\ back\\slash %_ ");

  return record;
}

static void
assert_cases_equal (CbCase *expected,
                    CbCase *actual)
{
  for (guint i = 0; i < CB_N_FIELDS; i++)
    if (g_strcmp0 (cb_case_get (expected, i), cb_case_get (actual, i)) != 0)
      g_error ("%s: expected “%s”, got “%s”", cb_field_get (i)->name,
               cb_case_get (expected, i), cb_case_get (actual, i));

  g_assert_true (cb_case_equal (expected, actual));
}

static void
assert_message_contains (const GError *error,
                         const char   *needle)
{
  g_autofree char *haystack = g_utf8_strdown (error->message, -1);
  g_autofree char *lower = g_utf8_strdown (needle, -1);

  if (strstr (haystack, lower) == NULL)
    g_error ("the message “%s” does not name “%s”", error->message, needle);
}

/* ------------------------------------------------------------------ */
/* Fixture: one store in a fresh folder                               */
/* ------------------------------------------------------------------ */

typedef struct
{
  char           *dir;
  char           *path;
  CbCaseStore    *store;
  GtSignalLogger *logger;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = cb_test_make_temp_dir ("store");
  fixture->path = g_build_filename (fixture->dir, "cases.db", NULL);
  fixture->store = cb_case_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  g_assert_false (cb_case_store_is_read_only (fixture->store));
  g_assert_cmpstr (cb_case_store_get_path (fixture->store), ==, fixture->path);

  fixture->logger = gt_signal_logger_new ();
  gt_signal_logger_connect (fixture->logger, fixture->store, "changed");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gt_signal_logger_assert_no_emissions (fixture->logger);
  g_clear_pointer (&fixture->logger, gt_signal_logger_free);
  g_clear_object (&fixture->store);
  cb_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static void
assert_changed_once (Fixture *fixture)
{
  gt_signal_logger_assert_emission_pop (fixture->logger, fixture->store, "changed", NULL);
  gt_signal_logger_assert_no_emissions (fixture->logger);
}

static void
save_ok (Fixture *fixture,
         CbCase  *record)
{
  g_autoptr(GError) error = NULL;

  if (!cb_case_store_save (fixture->store, record, &error))
    g_error ("saving %s: %s", cb_case_get (record, CB_FIELD_CASE_REF), error->message);
  g_assert_cmpint (cb_case_get_id (record), >, 0);
  assert_changed_once (fixture);
}

static CbCase *
reload (CbCaseStore *store,
        gint64       id)
{
  g_autoptr(GError) error = NULL;
  CbCase *record = cb_case_store_get_by_id (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (cb_case_get_id (record), ==, id);

  return record;
}

/* ------------------------------------------------------------------ */
/* Round trips                                                        */
/* ------------------------------------------------------------------ */

static void
test_round_trip_every_field (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CbCase) record = make_full_case ("Ref_01./-x");
  g_autoptr(CbCase) loaded = NULL;
  g_autoptr(CbCase) by_ref = NULL;
  g_autoptr(CbCase) reopened = NULL;
  g_autoptr(CbCaseStore) store2 = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* The record must be complete for the test to mean anything. */
  for (guint i = 0; i < CB_N_FIELDS; i++)
    g_assert_nonnull (cb_case_get (record, i));
  g_assert_true (cb_case_validate (record, &error));
  g_assert_no_error (error);

  save_ok (fixture, record);
  id = cb_case_get_id (record);
  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 1);

  loaded = reload (fixture->store, id);
  assert_cases_equal (record, loaded);

  by_ref = cb_case_store_get_by_ref (fixture->store, "Ref_01./-x", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_case_get_id (by_ref), ==, id);
  assert_cases_equal (record, by_ref);

  /* And from the file itself, after the first connection has gone. */
  g_clear_pointer (&fixture->logger, gt_signal_logger_free);
  g_clear_object (&fixture->store);
  store2 = cb_case_store_open (fixture->path, &error);
  g_assert_no_error (error);
  reopened = reload (store2, id);
  assert_cases_equal (record, reopened);
  fixture->logger = gt_signal_logger_new ();
}

/* Each code of each code field survives the trip on its own. */
static void
test_round_trip_every_code (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CbCase) record = make_full_case ("CODES-1");

  save_ok (fixture, record);

  for (guint f = 0; f < CB_N_FIELDS; f++)
    {
      const CbField *field = cb_field_get (f);

      if (field->type != CB_FIELD_TYPE_CODE && field->type != CB_FIELD_TYPE_CODES)
        continue;

      for (guint c = 0; c < field->n_codes; c++)
        {
          g_autoptr(CbCase) loaded = NULL;

          cb_case_set (record, f, field->codes[c].code);
          if (f == CB_FIELD_SUBSTANCES)
            cb_case_set (record, CB_FIELD_MAIN_SUBSTANCE, field->codes[c].code);
          save_ok (fixture, record);
          loaded = reload (fixture->store, cb_case_get_id (record));
          assert_cases_equal (record, loaded);
        }

      /* Back to every code, so the main substance can be any of them. */
      if (field->type == CB_FIELD_TYPE_CODES)
        {
          g_autofree char *every = all_codes (f);
          cb_case_set (record, f, every);
        }
    }

  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 1);
}

/* Not recorded stays NULL; a recorded "no" stays "no". */
static void
test_round_trip_unset (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CbCase) bare = make_minimal_case ("BARE-1");
  g_autoptr(CbCase) noes = make_minimal_case ("NOES-1");
  g_autoptr(CbCase) loaded_bare = NULL;
  g_autoptr(CbCase) loaded_noes = NULL;

  for (guint i = 0; i < CB_N_FIELDS; i++)
    if (cb_field_get (i)->type == CB_FIELD_TYPE_YES_NO)
      set_text (noes, i, "no");

  save_ok (fixture, bare);
  save_ok (fixture, noes);

  loaded_bare = reload (fixture->store, cb_case_get_id (bare));
  loaded_noes = reload (fixture->store, cb_case_get_id (noes));
  assert_cases_equal (bare, loaded_bare);
  assert_cases_equal (noes, loaded_noes);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    {
      const CbField *field = cb_field_get (i);

      if (field->required)
        continue;
      if (field->type == CB_FIELD_TYPE_YES_NO)
        {
          g_assert_cmpstr (cb_case_get (loaded_noes, i), ==, "no");
          g_assert_cmpint (cb_case_get_yes_no (loaded_noes, i), ==, CB_YES_NO_NO);
          g_assert_cmpint (cb_case_get_yes_no (loaded_bare, i), ==, CB_YES_NO_NOT_RECORDED);
        }
      g_assert_null (cb_case_get (loaded_bare, i));
    }

  /* In the table too: NULL, not 0 or an empty string. */
  g_assert_cmpint (cb_test_query_int (fixture->path,
                              "SELECT count(*) FROM cases WHERE case_ref = 'BARE-1' AND "
                              "tested IS NULL AND substances IS NULL AND notes IS NULL AND birth_year IS NULL"), ==, 1);
  g_assert_cmpint (cb_test_query_int (fixture->path,
                              "SELECT count(*) FROM cases WHERE case_ref = 'NOES-1' AND tested = 0 AND naloxone = 0"), ==, 1);
}

/* ------------------------------------------------------------------ */
/* Invalid records                                                    */
/* ------------------------------------------------------------------ */

typedef void (*Spoil) (CbCase *record);

static void spoil_ref (CbCase *r) { cb_case_set (r, CB_FIELD_CASE_REF, NULL); }
static void spoil_area (CbCase *r) { cb_case_set (r, CB_FIELD_AREA, NULL); }
static void spoil_sentence (CbCase *r) { cb_case_set (r, CB_FIELD_SENTENCE_TYPE, NULL); }
static void spoil_start (CbCase *r) { cb_case_set (r, CB_FIELD_START_DATE, NULL); }
static void spoil_end (CbCase *r) { cb_case_set (r, CB_FIELD_END_DATE, "2019-12-31"); }
static void spoil_main (CbCase *r)
{
  cb_case_set (r, CB_FIELD_SUBSTANCES, "heroin;crack");
  cb_case_set (r, CB_FIELD_MAIN_SUBSTANCE, "cannabis");
}
static void spoil_main_alone (CbCase *r)
{
  cb_case_set (r, CB_FIELD_SUBSTANCES, NULL);
  cb_case_set (r, CB_FIELD_MAIN_SUBSTANCE, "heroin");
}
static void spoil_treatment (CbCase *r)
{
  cb_case_set (r, CB_FIELD_REFERRED_ON, "2024-03-10");
  cb_case_set (r, CB_FIELD_TREATMENT_STARTED_ON, "2024-03-09");
}
static void spoil_yes_no (CbCase *r) { cb_case_set (r, CB_FIELD_TESTED, "Y"); }
static void spoil_date (CbCase *r) { cb_case_set (r, CB_FIELD_ASSESSED_ON, "15/01/2024"); }
static void spoil_code (CbCase *r) { cb_case_set (r, CB_FIELD_GENDER, "Male"); }
static void spoil_order (CbCase *r) { cb_case_set (r, CB_FIELD_SUBSTANCES, "crack;heroin"); }
static void spoil_ref_chars (CbCase *r) { cb_case_set (r, CB_FIELD_CASE_REF, "A B"); }
static void spoil_year (CbCase *r) { cb_case_set (r, CB_FIELD_BIRTH_YEAR, "1850"); }

static const struct {
  const char *what;
  Spoil       spoil;
  int         code;
  const char *names;
} spoilers[] = {
  { "no case_ref", spoil_ref, CB_ERROR_REQUIRED, "case_ref" },
  { "no area", spoil_area, CB_ERROR_REQUIRED, "area" },
  { "no sentence_type", spoil_sentence, CB_ERROR_REQUIRED, "sentence_type" },
  { "no start_date", spoil_start, CB_ERROR_REQUIRED, "start_date" },
  { "end before start", spoil_end, CB_ERROR_INVALID, "end_date" },
  { "main substance not listed", spoil_main, CB_ERROR_INVALID, "main_substance" },
  { "main substance without substances", spoil_main_alone, CB_ERROR_INVALID, "main_substance" },
  { "treatment before referral", spoil_treatment, CB_ERROR_INVALID, "treatment_started_on" },
  { "yes/no not canonical", spoil_yes_no, CB_ERROR_INVALID, "tested" },
  { "date not canonical", spoil_date, CB_ERROR_INVALID, "assessed_on" },
  { "code not canonical", spoil_code, CB_ERROR_INVALID, "gender" },
  { "codes out of order", spoil_order, CB_ERROR_INVALID, "substances" },
  { "bad reference", spoil_ref_chars, CB_ERROR_INVALID, "case_ref" },
  { "year out of range", spoil_year, CB_ERROR_INVALID, "birth_year" },
};

static void
test_invalid_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CbCase) existing = make_full_case ("KEEP-1");
  g_autofree char *before = NULL;

  save_ok (fixture, existing);
  before = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);

  for (guint i = 0; i < G_N_ELEMENTS (spoilers); i++)
    {
      g_autoptr(CbCase) fresh = make_minimal_case ("NEW-1");
      g_autoptr(CbCase) edited = cb_case_copy (existing);
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("%s", spoilers[i].what);

      spoilers[i].spoil (fresh);
      g_assert_false (cb_case_store_save (fixture->store, fresh, &error));
      g_assert_error (error, CB_ERROR, spoilers[i].code);
      assert_message_contains (error, spoilers[i].names);
      g_assert_cmpint (cb_case_get_id (fresh), ==, 0);
      g_clear_error (&error);

      /* An edit of a saved case is refused the same way. */
      spoilers[i].spoil (edited);
      g_assert_false (cb_case_store_save (fixture->store, edited, &error));
      g_assert_error (error, CB_ERROR, spoilers[i].code);
      assert_message_contains (error, spoilers[i].names);

      after = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);
      g_assert_cmpstr (after, ==, before);
      gt_signal_logger_assert_no_emissions (fixture->logger);
    }
}

static void
test_duplicate_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbCase) first = make_full_case ("DUP-1");
  g_autoptr(CbCase) second = make_minimal_case ("DUP-1");
  g_autoptr(CbCase) other = make_minimal_case ("OTHER-1");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  save_ok (fixture, first);
  save_ok (fixture, other);
  before = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);

  /* A new case with a reference in use. */
  g_assert_false (cb_case_store_save (fixture->store, second, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_DUPLICATE);
  assert_message_contains (error, cb_field_get (CB_FIELD_CASE_REF)->label);
  assert_message_contains (error, "DUP-1");
  g_assert_cmpint (cb_case_get_id (second), ==, 0);
  g_clear_error (&error);

  /* An edit that takes another case's reference. */
  cb_case_set (other, CB_FIELD_CASE_REF, "DUP-1");
  g_assert_false (cb_case_store_save (fixture->store, other, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_DUPLICATE);
  g_clear_error (&error);

  after = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 2);
  gt_signal_logger_assert_no_emissions (fixture->logger);

  /* The store is still usable after the failed statement. */
  cb_case_set (second, CB_FIELD_CASE_REF, "DUP-2");
  save_ok (fixture, second);
  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 3);
}

/* ------------------------------------------------------------------ */
/* Files                                                              */
/* ------------------------------------------------------------------ */

static void
test_file_modes (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *outer = g_build_filename (dir, "made", NULL);
  g_autofree char *inner = g_build_filename (outer, "by-store", NULL);
  g_autofree char *path = g_build_filename (inner, "cases.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbCase) record = make_minimal_case ("MODE-1");
  g_autoptr(GError) error = NULL;
  mode_t old_umask = umask (0);   /* the modes must not rely on the umask */

  store = cb_case_store_open (path, &error);
  umask (old_umask);
  g_assert_no_error (error);

  g_assert_cmpuint (cb_test_file_mode (path), ==, 0600);
  g_assert_cmpuint (cb_test_file_mode (inner), ==, 0700);
  g_assert_cmpuint (cb_test_file_mode (outer), ==, 0700);

  g_assert_true (cb_case_store_save (store, record, &error));
  g_assert_no_error (error);
  /* The journal holds the same data: no wider than the file. */
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpuint (cb_test_file_mode (wal) & 077, ==, 0);

  g_clear_object (&store);
  cb_test_remove_tree (dir);
}

/* A file someone made readable to all is made private on open. */
static void
test_file_mode_tightened (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *path = g_build_filename (dir, "cases.db", NULL);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_test_file_mode (path), ==, 0600);

  g_clear_object (&store);
  cb_test_remove_tree (dir);
}

static void
test_second_connection (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbCaseStore) other = NULL;
  g_autoptr(CbCase) first = make_full_case ("CONN-1");
  g_autoptr(CbCase) second = make_minimal_case ("CONN-2");
  g_autoptr(CbCase) seen = NULL;
  g_autoptr(CbCase) seen_back = NULL;
  g_autoptr(GError) error = NULL;

  other = cb_case_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_case_store_count (other), ==, 0);

  save_ok (fixture, first);
  g_assert_cmpint (cb_case_store_count (other), ==, 1);
  seen = cb_case_store_get_by_ref (other, "CONN-1", &error);
  g_assert_no_error (error);
  assert_cases_equal (first, seen);

  g_assert_true (cb_case_store_save (other, second, &error));
  g_assert_no_error (error);
  seen_back = reload (fixture->store, cb_case_get_id (second));
  assert_cases_equal (second, seen_back);
  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 2);

  /* The other connection's writes are its own to announce. */
  gt_signal_logger_assert_no_emissions (fixture->logger);
}

/* ------------------------------------------------------------------ */
/* Schema versions                                                    */
/* ------------------------------------------------------------------ */

static void
assert_current_schema (const char *path)
{
  sqlite3 *db = cb_test_open_sqlite (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA table_info(cases)", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpint (cb_test_query_int (path, "PRAGMA user_version"), ==, CB_SCHEMA_VERSION);

  /* id, then every dictionary column in order, then the derived ones. */
  g_assert_cmpuint (columns->len, >=, CB_N_FIELDS + 1);
  g_assert_cmpstr (g_ptr_array_index (columns, 0), ==, "id");
  for (guint i = 0; i < CB_N_FIELDS; i++)
    g_assert_cmpstr (g_ptr_array_index (columns, i + 1), ==, cb_field_get (i)->name);
}

/* Another process opens the file and closes it, as casebook-cli does. */
static void
touch_from_other_process (const char *path)
{
  const char *argv[] = { "sqlite3", path, "SELECT count(*) FROM cases", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* A window's store and a worker's store share the file; opening the second
 * must not take away the first one's locks. With them gone, another process
 * closing the file took itself for the last user and removed the WAL under
 * the first store, whose later saves then reported success and were lost. */
static void
test_second_store_keeps_locks (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *path = g_build_filename (dir, "shared.db", NULL);
  g_autoptr(CbCaseStore) window_store = NULL;
  g_autoptr(CbCaseStore) worker_store = NULL;
  g_autoptr(CbCase) first = make_full_case ("LOCK-1");
  g_autoptr(CbCase) second = make_full_case ("LOCK-2");
  g_autoptr(GError) error = NULL;

  window_store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_case_store_save (window_store, first, &error));
  g_assert_no_error (error);

  worker_store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&worker_store);

  touch_from_other_process (path);
  g_assert_true (cb_case_store_save (window_store, second, &error));
  g_assert_no_error (error);

  /* What another process finds is what the window saved. */
  g_assert_cmpint (cb_test_query_int (path, "SELECT count(*) FROM cases WHERE case_ref LIKE 'LOCK-%'"), ==, 2);
  g_assert_cmpint (cb_test_query_int (path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), ==, 1);

  g_clear_object (&window_store);
  g_assert_cmpint (cb_test_query_int (path, "SELECT count(*) FROM cases WHERE case_ref LIKE 'LOCK-%'"), ==, 2);
  cb_test_remove_tree (dir);
}

static void
test_migrate_empty_file (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbCase) record = make_full_case ("MIG-1");
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);

  store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  assert_current_schema (path);
  g_assert_true (cb_case_store_save (store, record, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* A second open finds the schema current and the data kept. */
  store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_case_store_count (store), ==, 1);
  assert_current_schema (path);

  g_clear_object (&store);
  cb_test_remove_tree (dir);
}

/* A valid SQLite file at version 0 with no tables is also ours to use. */
static void
test_migrate_empty_database (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *path = g_build_filename (dir, "v0.db", NULL);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = cb_test_open_sqlite (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  cb_test_exec_sql (db, "PRAGMA page_size = 8192; VACUUM;");
  sqlite3_close (db);
  g_assert_cmpint (cb_test_query_int (path, "PRAGMA user_version"), ==, 0);

  store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  assert_current_schema (path);

  g_clear_object (&store);
  cb_test_remove_tree (dir);
}

/* The file an earlier Casebook wrote, copied so the test can migrate it. */
static char *
copy_fixture (const char *dir,
              const char *name)
{
  g_autofree char *source = g_build_filename (SOURCE_ROOT, "tests", "data", "schema", name, NULL);
  char *copy = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents_full (copy, contents, length, G_FILE_SET_CONTENTS_NONE,
                                           0600, &error));
  g_assert_no_error (error);
  return copy;
}

/* Every value of the export the old version made of its own file (the
 * canonical form it read back, guard undone on text) against the case
 * the current version reads from the migrated file. */
static void
assert_cases_equal_csv (CbCaseStore *store,
                        const char  *csv_name)
{
  g_autofree char *csv = g_build_filename (SOURCE_ROOT, "tests", "data", "schema", csv_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new_for_path (csv, &error);
  g_autoptr(GPtrArray) header = NULL;
  GPtrArray *cells = NULL;
  guint n_rows = 0;

  g_assert_no_error (error);
  g_assert_true (cb_csv_reader_next (reader, &header, NULL, &error));
  g_assert_cmpuint (header->len, ==, CB_N_FIELDS);

  while (cb_csv_reader_next (reader, &cells, NULL, &error))
    {
      g_autoptr(GPtrArray) row = cells;
      g_autoptr(CbCase) stored = NULL;

      stored = cb_case_store_get_by_ref (store, g_ptr_array_index (row, CB_FIELD_CASE_REF), &error);
      g_assert_no_error (error);
      g_assert_nonnull (stored);

      for (guint i = 0; i < CB_N_FIELDS; i++)
        {
          const CbField *field = cb_field_get (i);
          const char *cell = g_ptr_array_index (row, i);
          g_autofree char *expected = NULL;

          g_assert_cmpstr (g_ptr_array_index (header, i), ==, field->name);
          if (field->type == CB_FIELD_TYPE_TEXT)
            cell = cb_csv_strip_guard (cell);
          g_assert_true (cb_field_parse (field, cell, &expected, &error));
          g_assert_no_error (error);
          g_assert_cmpstr (cb_case_get (stored, i), ==, expected);
        }
      n_rows++;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, >, 0);
  g_assert_cmpint (cb_case_store_count (store), ==, n_rows);
}

/* One fixture per earlier schema version, each written by that version
 * (demo cases, a case with SQL, formula characters, quotes, a line break
 * and non-ASCII text, and one with most fields not recorded), with the
 * CSV that version exported of it. Opening migrates it with every value,
 * derived column and row id as it was. */
static void
test_upgrade_fixtures (void)
{
  static const struct { int version; const char *db; const char *csv; } fixtures[] = {
    { 1, "casebook-v1.db", "casebook-v1-cases.csv" },
  };

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *dir = cb_test_make_temp_dir ("store");
      g_autofree char *path = copy_fixture (dir, fixtures[f].db);
      g_autoptr(CbCaseStore) store = NULL;
      g_autoptr(GError) error = NULL;
      gint64 ids_before, gaps_before;

      g_test_message ("schema version %d: %s", fixtures[f].version, fixtures[f].db);
      g_assert_cmpint (cb_test_query_int (path, "PRAGMA user_version"), ==, fixtures[f].version);
      ids_before = cb_test_query_int (path, "SELECT sum(id * 7 + length(case_ref)) FROM cases");
      gaps_before = cb_test_query_int (path, "SELECT sum(gaps * 3 + gap_count) FROM cases");

      store = cb_case_store_open (path, &error);
      g_assert_no_error (error);
      assert_current_schema (path);
      assert_cases_equal_csv (store, fixtures[f].csv);

      g_assert_cmpint (cb_test_query_int (path, "SELECT sum(id * 7 + length(case_ref)) FROM cases"), ==, ids_before);
      g_assert_cmpint (cb_test_query_int (path, "SELECT sum(gaps * 3 + gap_count) FROM cases"), ==, gaps_before);
      g_assert_cmpint (cb_test_query_int (path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), ==, 1);
      g_assert_cmpint (cb_test_query_int (path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                        "AND name IN ('cases_gap_count', 'cases_main_substance')"), ==, 2);

      g_clear_object (&store);
      cb_test_remove_tree (dir);
    }
}

static void
test_refuse_foreign_tables (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *path = g_build_filename (dir, "invoices.db", NULL);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = cb_test_open_sqlite (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  cb_test_exec_sql (db, "CREATE TABLE invoices (number INTEGER, total REAL);"
                "INSERT INTO invoices VALUES (1, 9.5), (2, 12.0);");
  sqlite3_close (db);

  store = cb_case_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CB_ERROR, CB_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, path));

  /* The other program's file is left exactly as it was. */
  g_assert_cmpint (cb_test_query_int (path, "PRAGMA user_version"), ==, 0);
  g_assert_cmpint (cb_test_query_int (path, "SELECT count(*) FROM invoices"), ==, 2);
  g_assert_cmpint (cb_test_query_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'cases'"), ==, 0);

  cb_test_remove_tree (dir);
}

static void
test_refuse_too_new (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *path = g_build_filename (dir, "future.db", NULL);
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", CB_SCHEMA_VERSION + 1);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = cb_test_open_sqlite (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  cb_test_exec_sql (db, "CREATE TABLE cases (id INTEGER PRIMARY KEY, case_ref TEXT, hologram BLOB)");
  cb_test_exec_sql (db, bump);
  sqlite3_close (db);

  store = cb_case_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CB_ERROR, CB_ERROR_TOO_NEW);
  g_assert_cmpint (cb_test_query_int (path, "PRAGMA user_version"), ==, CB_SCHEMA_VERSION + 1);

  cb_test_remove_tree (dir);
}

static void
test_refuse_not_a_database (void)
{
  g_autofree char *dir = cb_test_make_temp_dir ("store");
  g_autofree char *path = g_build_filename (dir, "notes.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "case_ref,area\nA1,Leeds\n"
                     "This is a CSV file someone renamed, not a database at all.\n";

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);

  store = cb_case_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CB_ERROR, CB_ERROR_DATABASE);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, text);

  cb_test_remove_tree (dir);
}

/* ------------------------------------------------------------------ */
/* Transactions and signals                                           */
/* ------------------------------------------------------------------ */

static void
test_save_all_atomic (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CbCase) a = make_full_case ("ATOM-A");
  g_autoptr(CbCase) b = make_minimal_case ("ATOM-B");
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  CbCase *edit_a, *fresh, *last;

  save_ok (fixture, a);
  save_ok (fixture, b);
  before = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);

  /* An edit and a new case, then an invalid record last. */
  edit_a = cb_case_copy (a);
  cb_case_set (edit_a, CB_FIELD_AREA, "Changed area");
  fresh = make_minimal_case ("ATOM-NEW");
  last = make_minimal_case ("ATOM-BAD");
  cb_case_set (last, CB_FIELD_END_DATE, "2000-01-01");
  g_ptr_array_add (batch, edit_a);
  g_ptr_array_add (batch, fresh);
  g_ptr_array_add (batch, last);

  g_assert_false (cb_case_store_save_all (fixture->store, batch, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  assert_message_contains (error, "end_date");
  g_clear_error (&error);
  {
    g_autofree char *after = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);
    g_assert_cmpstr (after, ==, before);
  }
  gt_signal_logger_assert_no_emissions (fixture->logger);

  /* The same with a duplicate reference last: the first two rows are
   * written inside the transaction before the third fails. */
  cb_case_set (last, CB_FIELD_END_DATE, NULL);
  cb_case_set (last, CB_FIELD_CASE_REF, "ATOM-B");
  g_assert_false (cb_case_store_save_all (fixture->store, batch, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_DUPLICATE);
  assert_message_contains (error, "ATOM-B");
  g_clear_error (&error);
  {
    g_autofree char *after = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);
    g_assert_cmpstr (after, ==, before);
  }
  gt_signal_logger_assert_no_emissions (fixture->logger);
  /* A new record rolled back is still new: it was never given a row. */
  g_assert_cmpint (cb_case_get_id (fresh), ==, 0);
  g_assert_cmpint (cb_case_get_id (last), ==, 0);

  /* Two new records sharing a reference in one batch. */
  cb_case_set (last, CB_FIELD_CASE_REF, "ATOM-NEW");
  g_assert_false (cb_case_store_save_all (fixture->store, batch, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_DUPLICATE);
  g_clear_error (&error);
  {
    g_autofree char *after = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);
    g_assert_cmpstr (after, ==, before);
  }
  gt_signal_logger_assert_no_emissions (fixture->logger);

  /* Corrected, the whole batch goes in with one announcement. */
  cb_case_set (last, CB_FIELD_CASE_REF, "ATOM-GOOD");
  g_assert_true (cb_case_store_save_all (fixture->store, batch, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture);
  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 4);
  g_assert_cmpint (cb_case_get_id (edit_a), ==, cb_case_get_id (a));
  for (guint i = 0; i < batch->len; i++)
    {
      CbCase *record = g_ptr_array_index (batch, i);
      g_autoptr(CbCase) loaded = reload (fixture->store, cb_case_get_id (record));
      assert_cases_equal (record, loaded);
    }
}

static void
test_changed_signal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CbCase) one = make_minimal_case ("SIG-1");
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  /* save: once */
  save_ok (fixture, one);
  /* an edit: once */
  cb_case_set (one, CB_FIELD_TEAM, "Courts");
  save_ok (fixture, one);

  /* save_all of three: once, not three times */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *ref = g_strdup_printf ("SIG-B%u", i);
      g_ptr_array_add (batch, make_minimal_case (ref));
    }
  g_assert_true (cb_case_store_save_all (fixture->store, batch, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture);

  /* delete: once */
  g_assert_true (cb_case_store_delete (fixture->store, cb_case_get_id (one), &error));
  g_assert_no_error (error);
  assert_changed_once (fixture);

  /* failures: never */
  g_assert_false (cb_case_store_delete (fixture->store, cb_case_get_id (one), &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  cb_case_set (one, CB_FIELD_AREA, NULL);
  g_assert_false (cb_case_store_save (fixture->store, one, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_REQUIRED);
  g_clear_error (&error);
  gt_signal_logger_assert_no_emissions (fixture->logger);

  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 3);
}

static void
test_undo_delete (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CbCase) first = make_full_case ("UNDO-1");
  g_autoptr(CbCase) second = make_minimal_case ("UNDO-2");
  g_autoptr(CbCase) loaded = NULL;
  g_autoptr(CbCase) kept = NULL;
  g_autoptr(CbCase) gone = NULL;
  g_autoptr(CbCase) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 id;

  save_ok (fixture, first);
  save_ok (fixture, second);
  before = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);

  id = cb_case_get_id (first);
  loaded = reload (fixture->store, id);
  kept = cb_case_copy (loaded);

  g_assert_true (cb_case_store_delete (fixture->store, id, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture);
  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 1);

  gone = cb_case_store_get_by_id (fixture->store, id, &error);
  g_assert_null (gone);
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cb_case_store_save (fixture->store, kept, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture);
  g_assert_cmpint (cb_case_get_id (kept), ==, id);

  restored = reload (fixture->store, id);
  assert_cases_equal (first, restored);
  after = cb_test_dump_file (fixture->path, ALL_CASES_BY_ID);
  g_assert_cmpstr (after, ==, before);
}

/* Undo after someone added a case meanwhile: the deleted row's id must not
 * have been handed to the newcomer, or the undo would overwrite it. */
static void
test_undo_after_insert (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbCase) first = make_minimal_case ("UNDO-A");
  g_autoptr(CbCase) last = make_full_case ("UNDO-B");
  g_autoptr(CbCase) newcomer = make_minimal_case ("UNDO-C");
  g_autoptr(CbCase) copy = NULL;
  g_autoptr(CbCase) still_there = NULL;
  g_autoptr(CbCase) restored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  save_ok (fixture, first);
  save_ok (fixture, last);
  id = cb_case_get_id (last);
  copy = cb_case_copy (last);

  g_assert_true (cb_case_store_delete (fixture->store, id, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture);

  save_ok (fixture, newcomer);
  g_assert_cmpint (cb_case_get_id (newcomer), !=, id);

  g_assert_true (cb_case_store_save (fixture->store, copy, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture);

  g_assert_cmpint (cb_case_store_count (fixture->store), ==, 3);
  still_there = reload (fixture->store, cb_case_get_id (newcomer));
  assert_cases_equal (newcomer, still_there);
  restored = reload (fixture->store, id);
  assert_cases_equal (last, restored);
}

static void
test_list_areas (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char *areas[] = { "Leeds", "bristol", "Cardiff and Vale", "Leeds", "Ynys Môn" };
  g_auto(GStrv) none = cb_case_store_list_areas (fixture->store);
  g_auto(GStrv) listed = NULL;

  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      g_autofree char *ref = g_strdup_printf ("AREA-%u", i);
      g_autoptr(CbCase) record = make_minimal_case (ref);

      cb_case_set (record, CB_FIELD_AREA, areas[i]);
      save_ok (fixture, record);
    }

  /* Distinct, sorted without regard to case. */
  listed = cb_case_store_list_areas (fixture->store);
  g_assert_cmpuint (g_strv_length (listed), ==, 4);
  g_assert_cmpstr (listed[0], ==, "bristol");
  g_assert_cmpstr (listed[1], ==, "Cardiff and Vale");
  g_assert_cmpstr (listed[2], ==, "Leeds");
  g_assert_cmpstr (listed[3], ==, "Ynys Môn");
  g_assert_null (listed[4]);
}

/* ------------------------------------------------------------------ */
/* Read-only files and folders                                        */
/* ------------------------------------------------------------------ */

static void
check_store_read_only (const char *path)
{
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbCase) loaded = NULL;
  g_autoptr(CbCase) fresh = make_minimal_case ("RO-NEW");
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (cb_case_store_is_read_only (store));
  gt_signal_logger_connect (logger, store, "changed");

  /* Reading works. */
  g_assert_cmpint (cb_case_store_count (store), ==, 1);
  loaded = cb_case_store_get_by_ref (store, "RO-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  /* Writing is refused, each way, with the reason. */
  g_assert_false (cb_case_store_save (store, fresh, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_READ_ONLY);
  g_clear_error (&error);

  cb_case_set (loaded, CB_FIELD_TEAM, "Edited");
  g_ptr_array_add (batch, loaded);
  g_assert_false (cb_case_store_save_all (store, batch, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_false (cb_case_store_delete (store, cb_case_get_id (loaded), &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_READ_ONLY);
  g_clear_error (&error);

  gt_signal_logger_assert_no_emissions (logger);
  g_clear_object (&store);
}

static void
make_one_case_file (const char *path)
{
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbCase) record = make_full_case ("RO-1");
  g_autoptr(GError) error = NULL;

  store = cb_case_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_case_store_save (store, record, &error));
  g_assert_no_error (error);
}

static void
run_read_only_case (gboolean lock_folder)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (g_test_subprocess ())
    {
      path = g_strdup (g_getenv ("CB_TEST_READ_ONLY_PATH"));
      g_assert_nonnull (path);
      if (!cb_test_become_nobody ())
        {
          /* Leave a note for the parent: a skip cannot cross processes. */
          marker = g_strconcat (path, ".cannot-drop", NULL);
          g_file_set_contents (marker, "", 0, NULL);
          return;
        }
      check_store_read_only (path);
      return;
    }

  dir = cb_test_make_temp_dir ("store");
  path = g_build_filename (dir, "cases.db", NULL);
  marker = g_strconcat (path, ".cannot-drop", NULL);
  make_one_case_file (path);
  before = cb_test_dump_file (path, ALL_CASES_BY_ID);

  if (lock_folder)
    g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  else
    g_assert_cmpint (g_chmod (path, 0400), ==, 0);

  if (geteuid () == 0)
    {
      g_assert_cmpint (chown (dir, CB_TEST_NOBODY_ID, CB_TEST_NOBODY_ID), ==, 0);
      g_assert_cmpint (chown (path, CB_TEST_NOBODY_ID, CB_TEST_NOBODY_ID), ==, 0);
    }

  g_setenv ("CB_TEST_READ_ONLY_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CB_TEST_READ_ONLY_PATH");

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    g_test_skip ("running as root and cannot switch to an unprivileged account, "
                 "so file permissions cannot be tested");
  else
    {
      g_test_trap_assert_passed ();
      g_chmod (dir, 0700);
      g_chmod (path, 0600);
      after = cb_test_dump_file (path, ALL_CASES_BY_ID);
      g_assert_cmpstr (after, ==, before);
    }

  cb_test_remove_tree (dir);
}

static void
test_read_only_file (void)
{
  run_read_only_case (FALSE);
}

static void
test_read_only_folder (void)
{
  run_read_only_case (TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/round-trip/every-field", test_round_trip_every_field);
  ADD ("/store/round-trip/every-code", test_round_trip_every_code);
  ADD ("/store/round-trip/unset", test_round_trip_unset);
  ADD ("/store/invalid/refused", test_invalid_refused);
  ADD ("/store/invalid/duplicate", test_duplicate_refused);
  g_test_add_func ("/store/file/modes", test_file_modes);
  g_test_add_func ("/store/file/mode-tightened", test_file_mode_tightened);
  g_test_add_func ("/store/file/second-store-keeps-locks", test_second_store_keeps_locks);
  ADD ("/store/file/second-connection", test_second_connection);
  g_test_add_func ("/store/schema/empty-file", test_migrate_empty_file);
  g_test_add_func ("/store/schema/empty-database", test_migrate_empty_database);
  g_test_add_func ("/store/schema/upgrade-fixtures", test_upgrade_fixtures);
  g_test_add_func ("/store/schema/foreign-tables", test_refuse_foreign_tables);
  g_test_add_func ("/store/schema/too-new", test_refuse_too_new);
  g_test_add_func ("/store/schema/not-a-database", test_refuse_not_a_database);
  ADD ("/store/write/save-all-atomic", test_save_all_atomic);
  ADD ("/store/write/changed-signal", test_changed_signal);
  ADD ("/store/write/undo-delete", test_undo_delete);
  ADD ("/store/write/undo-after-insert", test_undo_after_insert);
  ADD ("/store/list-areas", test_list_areas);
  g_test_add_func ("/store/read-only/file", test_read_only_file);
  g_test_add_func ("/store/read-only/folder", test_read_only_folder);

#undef ADD

  return g_test_run ();
}
