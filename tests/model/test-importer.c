/* test-importer.c — CbImporter, CbImportReport and the CLI on real files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-test-importer"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cb-case-store-private.h"
#include "cb-csv-reader.h"
#include "cb-csv-writer.h"
#include "cb-demo-data.h"
#include "cb-error.h"
#include "cb-importer.h"
#include "cb-test-util.h"

#ifndef SOURCE_ROOT
# error "SOURCE_ROOT must name the source tree"
#endif
#ifndef BUILD_ROOT
# error "BUILD_ROOT must name the build tree"
#endif

/* ------------------------------------------------------------------ */
/* A fresh database in a temporary folder per test                      */
/* ------------------------------------------------------------------ */

typedef struct
{
  char        *dir;
  CbCaseStore *store;
} Fixture;

static CbCaseStore *
open_store (Fixture    *f,
            const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  return cb_test_open_store (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cb_test_make_temp_dir ("import");
  f->store = open_store (f, "cases.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  cb_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
data_path (const char *name)
{
  return g_build_filename (SOURCE_ROOT, "tests", "data", "import", name, NULL);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Inspects and runs; returns the report of the run, also when it failed
 * (then @error is set). */
static CbImportReport *
import_file (CbCaseStore    *store,
             const char     *path,
             CbImportFlags   flags,
             GError        **error)
{
  g_autoptr(CbImporter) importer = cb_importer_new (store);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CbImportReport) report = NULL;

  if (!cb_importer_inspect (importer, file, NULL, error))
    return NULL;

  report = cb_importer_run (importer, flags, NULL, NULL, NULL, error);
  g_assert_true ((report != NULL) == (error == NULL || *error == NULL));
  if (report == NULL && cb_importer_get_report (importer) != NULL)
    return cb_import_report_ref (cb_importer_get_report (importer));

  return g_steal_pointer (&report);
}

static CbImportReport *
import_ok (CbCaseStore   *store,
           const char    *path,
           CbImportFlags  flags)
{
  g_autoptr(GError) error = NULL;
  CbImportReport *report = import_file (store, path, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_counts (CbImportReport *report,
               guint           added,
               guint           updated,
               guint           unchanged,
               guint           rejected)
{
  g_assert_cmpuint (cb_import_report_get_n_added (report), ==, added);
  g_assert_cmpuint (cb_import_report_get_n_updated (report), ==, updated);
  g_assert_cmpuint (cb_import_report_get_n_unchanged (report), ==, unchanged);
  g_assert_cmpuint (cb_import_report_get_n_rejected (report), ==, rejected);
}

static CbCase *
get_case (CbCaseStore *store,
          const char  *ref)
{
  g_autoptr(GError) error = NULL;
  CbCase *record = cb_case_store_get_by_ref (store, ref, &error);

  g_assert_no_error (error);
  return record;
}

static void
assert_value (CbCaseStore *store,
              const char  *ref,
              CbFieldId    field,
              const char  *expected)
{
  g_autoptr(CbCase) record = get_case (store, ref);

  g_assert_cmpstr (cb_case_get (record, field), ==, expected);
}

/* Every row and the schema, as text: equal dumps mean equal databases. */
static char *
dump_database (CbCaseStore *store,
               gboolean     with_ids)
{
  sqlite3 *db = _cb_case_store_get_db (store);
  GString *dump = g_string_new (NULL);
  const char *queries[] = {
    "SELECT type, name, sql FROM sqlite_schema ORDER BY name",
    with_ids ? "SELECT * FROM cases ORDER BY id" : "SELECT * FROM cases ORDER BY case_ref",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *name = sqlite3_column_name (stmt, c);
              const char *text = (const char *) sqlite3_column_text (stmt, c);

              if (!with_ids && g_str_equal (name, "id"))
                continue;
              g_string_append_printf (dump, "%s=%s|", name, text ? text : "\\N");
            }
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
    }

  return g_string_free (dump, FALSE);
}

static void
add_demo_cases (CbCaseStore *store,
                guint        n)
{
  g_autoptr(GError) error = NULL;

  cb_demo_data_generate (store, n, CB_DEMO_DEFAULT_SEED, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
export_all (CbCaseStore *store,
            const char  *path)
{
  g_autoptr(GError) error = NULL;

  cb_csv_writer_write_query (store, NULL, path, TRUE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ */
/* Validation: one broken rule a row                                    */
/* ------------------------------------------------------------------ */

typedef struct
{
  guint       line;
  const char *column;
  const char *reason_part;
} ExpectedError;

static const ExpectedError rule_errors[] = {
  { 3, "start_date", "not a valid date" },
  { 4, "drug_misuse", "not yes or no" },
  { 5, "sentence_type", "“probation”" },
  { 6, "case_ref", "letters, digits" },
  { 7, "area", "longer than 80" },
  { 8, "end_date", "before the start" },
  { 9, "main_substance", "not among the substances" },
  { 10, "treatment_started_on", "before the referral" },
  { 11, "area", "required" },
  { 12, "case_ref", "earlier row" },
  { 13, "birth_year", "“1800”" },
  { 14, NULL, "header names 13 columns" },
  { 15, "substances", "“glue”" },
  { 16, "start_date", "“01/13/2024”" },
  { 16, "drug_misuse", "“perhaps”" },
  { 19, "drug_misuse", "“x”" },
  { 20, "case_ref", "earlier row" },
};

static void
assert_rule_errors (CbImportReport *report)
{
  g_assert_cmpuint (cb_import_report_get_n_errors (report), ==, G_N_ELEMENTS (rule_errors));
  g_assert_cmpuint (cb_import_report_get_n_errors_kept (report), ==, G_N_ELEMENTS (rule_errors));

  for (guint i = 0; i < G_N_ELEMENTS (rule_errors); i++)
    {
      const CbImportRowError *error = cb_import_report_get_error (report, i);

      g_test_message ("%u %s: %s", error->line, error->column, error->reason);
      g_assert_cmpuint (error->line, ==, rule_errors[i].line);
      g_assert_cmpstr (error->column, ==, rule_errors[i].column);
      g_assert_nonnull (strstr (error->reason, rule_errors[i].reason_part));
    }

  /* The error keeps the cell as it was. */
  g_assert_cmpstr (cb_import_report_get_error (report, 0)->value, ==, "2024-13-01");
}

static void
test_every_rule (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = data_path ("rules.csv");
  g_autoptr(CbImportReport) report = import_ok (f->store, path, CB_IMPORT_SKIP_INVALID);

  assert_counts (report, 2, 0, 0, 16);
  assert_rule_errors (report);

  /* The valid rows are saved, the multi-line one whole. */
  g_assert_cmpint (cb_case_store_count (f->store), ==, 2);
  assert_value (f->store, "OK-1", CB_FIELD_SUBSTANCES, "heroin;crack");
  assert_value (f->store, "OK-1", CB_FIELD_SENTENCE_TYPE, "community_order");
  assert_value (f->store, "OK-2", CB_FIELD_NOTES, "line one\nline two");
}

/* Into an empty table a second row for one case is caught by the unique
 * index; into a filled one by looking the reference up. Both must judge
 * the same rows alike. */
static void
test_every_rule_into_filled_store (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *path = data_path ("rules.csv");
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbCase) other = cb_case_new ();
  g_autoptr(GError) error = NULL;

  cb_case_set (other, CB_FIELD_CASE_REF, "OTHER-1");
  cb_case_set (other, CB_FIELD_AREA, "Leeds");
  cb_case_set (other, CB_FIELD_SENTENCE_TYPE, "licence");
  cb_case_set (other, CB_FIELD_START_DATE, "2024-01-01");
  g_assert_true (cb_case_store_save (f->store, other, &error));
  g_assert_no_error (error);

  report = import_ok (f->store, path, CB_IMPORT_SKIP_INVALID);
  assert_counts (report, 2, 0, 0, 16);
  assert_rule_errors (report);
  g_assert_cmpint (cb_case_store_count (f->store), ==, 3);
}

static void
test_rejected_rows_save_nothing (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *path = data_path ("rules.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report = import_file (f->store, path, CB_IMPORT_FLAGS_NONE, &error);

  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_ROWS_REJECTED);
  g_assert_nonnull (strstr (error->message, "16 rows"));
  /* Every error is still listed, not just the first. */
  g_assert_nonnull (report);
  g_assert_cmpuint (cb_import_report_get_n_errors (report), ==, 17);
  g_assert_cmpint (cb_case_store_count (f->store), ==, 0);
}

static void
test_missing_column (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = data_path ("missing-columns.csv");
  g_autoptr(CbImporter) importer = cb_importer_new (f->store);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_importer_inspect (importer, file, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_MISSING_COLUMNS);
  g_assert_nonnull (strstr (error->message, "sentence_type, start_date"));
  g_assert_null (strstr (error->message, "area"));

  /* The map and preview stay readable for the dialog. */
  g_assert_cmpuint (cb_importer_get_n_columns (importer), ==, 3);
  g_assert_cmpuint (cb_importer_get_n_preview_rows (importer), ==, 1);
  g_assert_cmpint (cb_case_store_count (f->store), ==, 0);

  if (g_test_undefined ())
    {
      g_autoptr(CbImportReport) report = NULL;

      g_test_expect_message ("casebook-importer", G_LOG_LEVEL_CRITICAL, "*self->ready*");
      report = cb_importer_run (importer, CB_IMPORT_FLAGS_NONE, NULL, NULL, NULL, NULL);
      g_test_assert_expected_messages ();
      g_assert_null (report);
    }
}

static void
test_duplicate_column (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = data_path ("duplicate-column.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report = import_file (f->store, path, CB_IMPORT_FLAGS_NONE, &error);

  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_DUPLICATE_COLUMN);
  g_assert_nonnull (strstr (error->message, "“start_date” and “Start Date”"));
  g_assert_null (report);
}

static void
test_empty_and_header_only (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *empty = write_file (f, "empty.csv", "");
  g_autofree char *header_only = data_path ("header-only.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) none = import_file (f->store, empty, CB_IMPORT_FLAGS_NONE, &error);
  g_autoptr(CbImportReport) report = NULL;

  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_NO_HEADER);
  g_assert_nonnull (strstr (error->message, "case_ref, area, sentence_type, start_date"));
  g_assert_null (none);

  report = import_ok (f->store, header_only, CB_IMPORT_FLAGS_NONE);
  assert_counts (report, 0, 0, 0, 0);
}

static void
test_broken_file_saves_nothing (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *path = data_path ("broken-quote.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report = import_file (f->store, path, CB_IMPORT_SKIP_INVALID, &error);

  g_assert_error (error, CB_CSV_READER_ERROR, CB_CSV_READER_ERROR_UNTERMINATED_QUOTE);
  g_assert_nonnull (strstr (error->message, "broken-quote.csv, line 3"));
  g_assert_cmpint (cb_case_store_count (f->store), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Formats: BOM, CRLF, ';', UK dates, labels, loose headers             */
/* ------------------------------------------------------------------ */

static void
test_bom_crlf_semicolon (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = data_path ("bom-crlf-semicolon.csv");
  g_autoptr(CbImporter) importer = cb_importer_new (f->store);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *unknown;
  const char * const *row;
  guint line = 0;

  cb_importer_inspect (importer, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_importer_get_delimiter (importer), ==, ';');
  g_assert_cmpuint (cb_importer_get_n_columns (importer), ==, 12);
  g_assert_cmpstr (cb_importer_get_column_name (importer, 0), ==, "Case Ref");
  g_assert_cmpstr (cb_importer_get_column_field (importer, 0)->name, ==, "case_ref");
  g_assert_cmpstr (cb_importer_get_column_field (importer, 1)->name, ==, "area");
  g_assert_cmpstr (cb_importer_get_column_field (importer, 2)->name, ==, "sentence_type");
  g_assert_null (cb_importer_get_column_field (importer, 5));

  unknown = cb_importer_get_unknown_columns (importer);
  g_assert_cmpuint (g_strv_length ((char **) unknown), ==, 2);
  g_assert_cmpstr (unknown[0], ==, "Officer");
  g_assert_cmpstr (unknown[1], ==, "column 12 (no name)");

  g_assert_cmpuint (cb_importer_get_n_preview_rows (importer), ==, 3);
  row = cb_importer_get_preview_row (importer, 2, &line);
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpstr (row[1], ==, "Leeds; North");

  report = cb_importer_run (importer, CB_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_counts (report, 3, 0, 0, 0);
  g_assert_cmpstr (cb_import_report_get_unknown_columns (report)[0], ==, "Officer");

  assert_value (f->store, "BCS-1", CB_FIELD_START_DATE, "2024-03-05");
  assert_value (f->store, "BCS-1", CB_FIELD_END_DATE, "2024-12-31");
  assert_value (f->store, "BCS-1", CB_FIELD_SENTENCE_TYPE, "community_order");
  assert_value (f->store, "BCS-1", CB_FIELD_DRUG_MISUSE, "yes");
  assert_value (f->store, "BCS-1", CB_FIELD_SUBSTANCES, "heroin;crack");
  assert_value (f->store, "BCS-1", CB_FIELD_ETHNICITY, "white");
  assert_value (f->store, "BCS-1", CB_FIELD_REQUIREMENTS, "drr;drug_testing");
  assert_value (f->store, "BCS-2", CB_FIELD_SENTENCE_TYPE, "suspended_sentence_order");
  assert_value (f->store, "BCS-2", CB_FIELD_START_DATE, "2024-02-29");
  assert_value (f->store, "BCS-2", CB_FIELD_DRUG_MISUSE, "no");
  assert_value (f->store, "BCS-2", CB_FIELD_ETHNICITY, "mixed");
  assert_value (f->store, "BCS-2", CB_FIELD_END_DATE, NULL);
  assert_value (f->store, "BCS-3", CB_FIELD_AREA, "Leeds; North");
  assert_value (f->store, "BCS-3", CB_FIELD_START_DATE, "2023-02-01");
  assert_value (f->store, "BCS-3", CB_FIELD_MAIN_SUBSTANCE, "cannabis");
  assert_value (f->store, "BCS-3", CB_FIELD_ETHNICITY, "not_stated");
  assert_value (f->store, "BCS-3", CB_FIELD_REQUIREMENTS, "licence_drug_testing");
}

static void
test_preview_is_bounded (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("case_ref,area,sentence_type,start_date\n");
  g_autofree char *path = NULL;
  g_autoptr(CbImporter) importer = cb_importer_new (f->store);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  guint line = 0;

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (csv, "P-%u,Leeds,licence,2024-01-01\n", i);
  path = write_file (f, "preview.csv", csv->str);
  file = g_file_new_for_path (path);

  cb_importer_inspect (importer, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_importer_get_n_preview_rows (importer), ==, CB_IMPORTER_PREVIEW_ROWS);
  g_assert_cmpstr (cb_importer_get_preview_row (importer, 19, &line)[0], ==, "P-19");
  g_assert_cmpuint (line, ==, 21);
  g_assert_null (cb_importer_get_unknown_columns (importer)[0]);
  g_assert_cmpint (cb_case_store_count (f->store), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Insert, update, unchanged                                            */
/* ------------------------------------------------------------------ */

static void
test_reimport_unchanged (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "export.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  add_demo_cases (f->store, 300);
  export_all (f->store, path);
  before = dump_database (f->store, TRUE);

  report = import_ok (f->store, path, CB_IMPORT_FLAGS_NONE);
  assert_counts (report, 0, 0, 300, 0);

  after = dump_database (f->store, TRUE);
  g_assert_cmpstr (before, ==, after);
}

static void
test_update_by_ref (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *first = write_file (f, "first.csv",
    "case_ref,area,team,sentence_type,start_date,tested\n"
    "U-1,Leeds,North,licence,2024-01-01,no\n"
    "U-2,Leeds,South,licence,2024-01-01,no\n");
  g_autofree char *second = write_file (f, "second.csv",
    "case_ref,area,team,sentence_type,start_date,tested\n"
    "U-1,Leeds,North,licence,2024-01-01,yes\n"
    "U-2,Leeds,South,licence,2024-01-01,no\n"
    "U-3,Bristol,,community_order,2024-02-01,\n");
  g_autoptr(CbImportReport) report1 = import_ok (f->store, first, CB_IMPORT_FLAGS_NONE);
  g_autoptr(CbCase) u1 = get_case (f->store, "U-1");
  g_autoptr(CbImportReport) report2 = NULL;
  g_autoptr(CbCase) u1_after = NULL;

  assert_counts (report1, 2, 0, 0, 0);
  report2 = import_ok (f->store, second, CB_IMPORT_FLAGS_NONE);
  assert_counts (report2, 1, 1, 1, 0);

  u1_after = get_case (f->store, "U-1");
  g_assert_cmpint (cb_case_get_id (u1_after), ==, cb_case_get_id (u1));
  g_assert_cmpstr (cb_case_get (u1_after, CB_FIELD_TESTED), ==, "yes");
  g_assert_cmpint (cb_case_store_count (f->store), ==, 3);
}

static void
test_partial_columns_keep_fields (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *full = write_file (f, "full.csv",
    "case_ref,area,team,sentence_type,start_date,tested,provider,notes\n"
    "P-1,Leeds,North,licence,2024-01-01,no,Forward Trust,keep me\n");
  g_autofree char *partial = write_file (f, "partial.csv",
    "case_ref,area,sentence_type,start_date,tested,provider\n"
    "P-1,Leeds,licence,2024-01-01,yes,\n");
  g_autoptr(CbImportReport) report1 = import_ok (f->store, full, CB_IMPORT_FLAGS_NONE);
  g_autoptr(CbImportReport) report2 = import_ok (f->store, partial, CB_IMPORT_FLAGS_NONE);

  assert_counts (report2, 0, 1, 0, 0);
  /* Absent columns keep their values... */
  assert_value (f->store, "P-1", CB_FIELD_TEAM, "North");
  assert_value (f->store, "P-1", CB_FIELD_NOTES, "keep me");
  /* ...present ones are replaced, an empty cell meaning not recorded. */
  assert_value (f->store, "P-1", CB_FIELD_TESTED, "yes");
  assert_value (f->store, "P-1", CB_FIELD_PROVIDER, NULL);
}

static void
test_update_checked_against_stored_fields (Fixture       *f,
                                           gconstpointer  data)
{
  g_autofree char *full = write_file (f, "full.csv",
    "case_ref,area,sentence_type,start_date,end_date\n"
    "C-1,Leeds,licence,2024-01-01,2024-06-01\n");
  g_autofree char *partial = write_file (f, "partial.csv",
    "case_ref,area,sentence_type,start_date\n"
    "C-1,Leeds,licence,2024-09-01\n");
  g_autoptr(CbImportReport) report1 = import_ok (f->store, full, CB_IMPORT_FLAGS_NONE);
  g_autoptr(CbImportReport) report2 = import_ok (f->store, partial, CB_IMPORT_SKIP_INVALID);
  const CbImportRowError *error;

  /* The stored end date is before the new start: the rule still holds. */
  assert_counts (report2, 0, 0, 0, 1);
  error = cb_import_report_get_error (report2, 0);
  g_assert_cmpuint (error->line, ==, 2);
  g_assert_cmpstr (error->column, ==, "end_date");
  assert_value (f->store, "C-1", CB_FIELD_START_DATE, "2024-01-01");
}

static void
count_signal (guint *count)
{
  (*count)++;
}

static void
test_validate_only (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = data_path ("rules.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *details = NULL;
  guint changed = 0;

  add_demo_cases (f->store, 20);
  before = dump_database (f->store, TRUE);
  g_signal_connect_swapped (f->store, "changed", G_CALLBACK (count_signal), &changed);

  report = import_file (f->store, path, CB_IMPORT_VALIDATE_ONLY, &error);
  g_assert_no_error (error);
  assert_counts (report, 2, 0, 0, 16);
  g_assert_true (cb_import_report_get_validate_only (report));
  g_assert_cmpuint (changed, ==, 0);

  after = dump_database (f->store, TRUE);
  g_assert_cmpstr (before, ==, after);

  summary = cb_import_report_dup_summary (report);
  g_assert_cmpstr (summary, ==, "2 valid, 16 with errors");
  details = cb_import_report_dup_details (report);
  g_assert_cmpstr (details, ==, "2 to add, 0 to update, 0 unchanged, 16 with errors");
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *good = write_file (f, "good.csv",
    "case_ref,area,sentence_type,start_date\nS-1,Leeds,licence,2024-01-01\n");
  g_autofree char *bad = data_path ("rules.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report1 = NULL;
  g_autoptr(CbImportReport) report2 = NULL;
  g_autoptr(CbImportReport) report3 = NULL;
  g_autofree char *details = NULL;
  guint changed = 0;

  g_signal_connect_swapped (f->store, "changed", G_CALLBACK (count_signal), &changed);

  report1 = import_ok (f->store, good, CB_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (changed, ==, 1);
  details = cb_import_report_dup_details (report1);
  g_assert_cmpstr (details, ==, "1 added, 0 updated, 0 unchanged, 0 rejected");

  /* Nothing changed, nothing saved: no signal. */
  report2 = import_ok (f->store, good, CB_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (changed, ==, 1);
  report3 = import_file (f->store, bad, CB_IMPORT_FLAGS_NONE, &error);
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_ROWS_REJECTED);
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_file_changed_after_inspect (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *path = write_file (f, "moving.csv",
    "case_ref,area,sentence_type,start_date\nM-1,Leeds,licence,2024-01-01\n");
  g_autoptr(CbImporter) importer = cb_importer_new (f->store);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;

  cb_importer_inspect (importer, file, NULL, &error);
  g_assert_no_error (error);
  again = write_file (f, "moving.csv", "case_ref,sentence_type,area,start_date\n");

  report = cb_importer_run (importer, CB_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FILE_CHANGED);
  g_assert_null (report);
}

/* ------------------------------------------------------------------ */
/* Export, spreadsheet safety and the round trip                        */
/* ------------------------------------------------------------------ */

static void
test_spreadsheet_safety_round_trip (Fixture       *f,
                                    gconstpointer  data)
{
  static const char *values[] = { "=1+1", "-5", "@x", "'=", "''x", "+1", "'abc", "'", "a=b" };
  static const char *written[] = { "'=1+1", "'-5", "'@x", "''=", "'''x", "'+1", "'abc", "'", "a=b" };
  g_autofree char *path = g_build_filename (f->dir, "safe.csv", NULL);
  g_autoptr(CbCaseStore) other = open_store (f, "other.db");
  g_autoptr(CbImportReport) report = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(CbCase) record = cb_case_new ();
      g_autofree char *ref = g_strdup_printf ("SAFE-%u", i);

      cb_case_set (record, CB_FIELD_CASE_REF, ref);
      cb_case_set (record, CB_FIELD_AREA, "Leeds");
      cb_case_set (record, CB_FIELD_SENTENCE_TYPE, "licence");
      cb_case_set (record, CB_FIELD_START_DATE, "2024-01-01");
      cb_case_set (record, CB_FIELD_TEAM, values[i]);
      cb_case_set (record, CB_FIELD_NOTES, values[i]);
      cb_case_store_save (f->store, record, &error);
      g_assert_no_error (error);
    }

  export_all (f->store, path);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *line = g_strdup_printf ("\nSAFE-%u,Leeds,%s,licence,", i, written[i]);

      g_assert_nonnull (strstr (contents, line));
    }

  report = import_ok (other, path, CB_IMPORT_FLAGS_NONE);
  assert_counts (report, G_N_ELEMENTS (values), 0, 0, 0);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *ref = g_strdup_printf ("SAFE-%u", i);

      assert_value (other, ref, CB_FIELD_TEAM, values[i]);
      assert_value (other, ref, CB_FIELD_NOTES, values[i]);
    }
}

static void
test_round_trip_demo (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "demo.csv", NULL);
  g_autoptr(CbCaseStore) other = open_store (f, "other.db");
  g_autoptr(CbImportReport) report = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *original = NULL;
  g_autofree char *copy = NULL;
  g_auto(GStrv) original_rows = NULL;
  g_auto(GStrv) copy_rows = NULL;
  g_autoptr(GError) error = NULL;

  add_demo_cases (f->store, 10000);
  export_all (f->store, path);

  /* The awkward text really is in the file. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "\"North \"\"Hub\"\", Station Road\""));
  g_assert_nonnull (strstr (contents, "'=Disclosed relapse"));
  g_assert_nonnull (strstr (contents, "Tîm Cymraeg – Canolog"));
  g_assert_nonnull (strstr (contents, "\"East\nSatellite office\""));

  report = import_ok (other, path, CB_IMPORT_FLAGS_NONE);
  assert_counts (report, 10000, 0, 0, 0);

  /* Every field of every case, and the derived gaps, compared by text. */
  original = dump_database (f->store, FALSE);
  copy = dump_database (other, FALSE);
  original_rows = g_strsplit (original, "\n", -1);
  copy_rows = g_strsplit (copy, "\n", -1);
  g_assert_cmpuint (g_strv_length (original_rows), ==, g_strv_length (copy_rows));
  for (guint i = 0; original_rows[i] != NULL; i++)
    g_assert_cmpstr (original_rows[i], ==, copy_rows[i]);
}

/* ------------------------------------------------------------------ */
/* Atomicity                                                            */
/* ------------------------------------------------------------------ */

/* 300 cases in the database; a file that changes 100 of them, adds 100
 * and, last, has one bad row. */
static char *
write_mixed_file (Fixture  *f,
                  gboolean  bad_last_row)
{
  g_autoptr(GString) csv = g_string_new ("case_ref,area,sentence_type,start_date,tested,notes\n");

  for (guint i = 1; i <= 100; i++)
    g_string_append_printf (csv, "DEMO-%06u,Leeds,licence,2023-01-01,yes,changed %u\n", i, i);
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (csv, "NEW-%u,Bristol,community_order,2024-02-01,no,\"new, %u\"\n", i, i);
  if (bad_last_row)
    g_string_append (csv, "BAD-LAST,Bristol,community_order,2024-02-31,no,\n");

  return write_file (f, "mixed.csv", csv->str);
}

static void
test_atomic_failed_last_row (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const CbImportRowError *row_error;

  add_demo_cases (f->store, 300);
  path = write_mixed_file (f, TRUE);
  before = dump_database (f->store, TRUE);

  report = import_file (f->store, path, CB_IMPORT_FLAGS_NONE, &error);
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_ROWS_REJECTED);
  g_assert_cmpuint (cb_import_report_get_n_errors (report), ==, 1);
  row_error = cb_import_report_get_error (report, 0);
  g_assert_cmpuint (row_error->line, ==, 5102);
  g_assert_cmpstr (row_error->column, ==, "start_date");

  after = dump_database (f->store, TRUE);
  g_assert_cmpstr (before, ==, after);
}

typedef struct
{
  GCancellable *cancellable;
  double        at;
  guint         calls;
  double        last;
} CancelData;

static void
cancel_halfway (double   fraction,
                gpointer user_data)
{
  CancelData *data = user_data;

  g_assert_cmpfloat (fraction, >=, data->last);
  data->last = fraction;
  data->calls++;
  if (fraction >= data->at)
    g_cancellable_cancel (data->cancellable);
}

static void
test_atomic_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CbImporter) importer = cb_importer_new (f->store);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  CancelData cancel = { cancellable, 0.5, 0, 0 };

  add_demo_cases (f->store, 300);
  path = write_mixed_file (f, FALSE);
  file = g_file_new_for_path (path);
  before = dump_database (f->store, TRUE);

  cb_importer_inspect (importer, file, NULL, &error);
  g_assert_no_error (error);
  report = cb_importer_run (importer, CB_IMPORT_SKIP_INVALID, cancel_halfway, &cancel,
                            cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_assert_cmpuint (cancel.calls, >, 0);
  g_assert_cmpfloat (cancel.last, <, 1.0);
  /* Some rows were done before the cancellation. */
  g_assert_cmpuint (cb_import_report_get_n_valid (cb_importer_get_report (importer)), >, 0);

  after = dump_database (f->store, TRUE);
  g_assert_cmpstr (before, ==, after);

  /* The same importer runs again to the end. */
  g_clear_error (&error);
  report = cb_importer_run (importer, CB_IMPORT_SKIP_INVALID, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_counts (report, 5000, 100, 0, 0);
}

static int
page_count (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int pages;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return pages;
}

static void
test_atomic_disk_full (Fixture       *f,
                       gconstpointer  data)
{
  sqlite3 *db = _cb_case_store_get_db (f->store);
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = NULL;

  add_demo_cases (f->store, 300);
  path = write_mixed_file (f, FALSE);
  before = dump_database (f->store, TRUE);

  /* A database that cannot grow much: SQLite says the disk is full. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %d", page_count (db) + 10);
  g_assert_cmpint (sqlite3_exec (db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  report = import_file (f->store, path, CB_IMPORT_SKIP_INVALID, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "mixed.csv, line "));

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==, SQLITE_OK);
  after = dump_database (f->store, TRUE);
  g_assert_cmpstr (before, ==, after);
}

/* ------------------------------------------------------------------ */
/* Bulk load: groups of rows in one statement                          */
/* ------------------------------------------------------------------ */

/* 300 rows with every kind of row the grouped path must hand back to the
 * row-by-row one, some inside a group of plain rows and some at its
 * edges: a reference twice in one group and across groups, an invalid
 * row, a row with the reference of a rejected one, a blank row and a
 * row cut short. */
static char *
write_bulk_file (Fixture *f)
{
  g_autoptr(GString) csv = g_string_new ("case_ref,area,sentence_type,start_date,tested\n");

  for (guint i = 0; i < 300; i++)
    {
      switch (i)
        {
        case 45:   /* the reference of row 40, in the same group */
          g_string_append (csv, "B-040,Leeds,licence,2024-01-01,yes\n");
          break;
        case 64:   /* the reference of row 3, in a group saved already */
          g_string_append (csv, "B-003,Leeds,licence,2024-01-01,yes\n");
          break;
        case 100:  /* no such day */
          g_string_append (csv, "B-100,Leeds,licence,2024-02-30,yes\n");
          break;
        case 101:  /* the reference of the rejected row before it */
          g_string_append (csv, "B-100,Leeds,licence,2024-01-01,no\n");
          break;
        case 160:
          g_string_append (csv, ",,,,\n");
          break;
        case 200:
          g_string_append (csv, "B-200,Leeds\n");
          break;
        case 299:  /* the last row, a duplicate in the last whole group */
          g_string_append (csv, "B-270,Leeds,licence,2024-01-01,no\n");
          break;
        default:
          g_string_append_printf (csv, "B-%03u,%s,licence,2024-%02u-01,%s\n",
                                  i, i % 2 ? "Leeds" : "Bristol", 1 + i % 12, i % 3 ? "yes" : "no");
          break;
        }
    }

  return write_file (f, "bulk.csv", csv->str);
}

static void
assert_same_errors (CbImportReport *a,
                    CbImportReport *b)
{
  g_assert_cmpuint (cb_import_report_get_n_errors (a), ==, cb_import_report_get_n_errors (b));
  for (guint i = 0; i < cb_import_report_get_n_errors (a); i++)
    {
      const CbImportRowError *x = cb_import_report_get_error (a, i);
      const CbImportRowError *y = cb_import_report_get_error (b, i);

      g_assert_cmpuint (x->line, ==, y->line);
      g_assert_cmpstr (x->column, ==, y->column);
      g_assert_cmpstr (x->reason, ==, y->reason);
    }
}

/* Into an empty table rows go in by groups; into a filled one row by
 * row. Both must save the same cases and report the same errors in the
 * same order, and the grouped rows get their ids in file order. */
static void
test_bulk_groups_match_row_by_row (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *path = write_bulk_file (f);
  g_autoptr(CbCaseStore) filled = open_store (f, "filled.db");
  g_autoptr(CbCase) other = cb_case_new ();
  g_autoptr(CbImportReport) grouped = NULL;
  g_autoptr(CbImportReport) by_row = NULL;
  g_autofree char *grouped_dump = NULL;
  g_autofree char *by_row_dump = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_id = 0;
  static const guint rejected_lines[] = { 47, 66, 102, 103, 202, 301 };

  cb_case_set (other, CB_FIELD_CASE_REF, "OTHER-1");
  cb_case_set (other, CB_FIELD_AREA, "Leeds");
  cb_case_set (other, CB_FIELD_SENTENCE_TYPE, "licence");
  cb_case_set (other, CB_FIELD_START_DATE, "2024-01-01");
  g_assert_true (cb_case_store_save (filled, other, &error));
  g_assert_no_error (error);

  grouped = import_ok (f->store, path, CB_IMPORT_SKIP_INVALID);
  by_row = import_ok (filled, path, CB_IMPORT_SKIP_INVALID);

  assert_counts (grouped, 293, 0, 0, 6);
  assert_counts (by_row, 293, 0, 0, 6);
  assert_same_errors (grouped, by_row);
  for (guint i = 0; i < G_N_ELEMENTS (rejected_lines); i++)
    g_assert_cmpuint (cb_import_report_get_error (grouped, i)->line, ==, rejected_lines[i]);
  g_assert_cmpstr (cb_import_report_get_error (grouped, 0)->column, ==, "case_ref");
  g_assert_cmpstr (cb_import_report_get_error (grouped, 2)->column, ==, "start_date");
  g_assert_cmpstr (cb_import_report_get_error (grouped, 3)->column, ==, "case_ref");

  g_assert_true (cb_case_store_delete (filled, cb_case_get_id (other), &error));
  g_assert_no_error (error);
  grouped_dump = dump_database (f->store, FALSE);
  by_row_dump = dump_database (filled, FALSE);
  g_assert_cmpstr (grouped_dump, ==, by_row_dump);

  /* Ids 1 to 293, in the order of the file. */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *ref = g_strdup_printf ("B-%03u", i);
      g_autoptr(CbCase) saved = cb_case_store_get_by_ref (f->store, ref, NULL);

      if (saved == NULL)
        continue;
      g_assert_cmpint (cb_case_get_id (saved), ==, last_id + 1);
      last_id = cb_case_get_id (saved);
    }
  g_assert_cmpint (last_id, ==, 293);
}

/* A disk that fills during a grouped load: nothing saved, and the
 * message names where in the file it stopped. */
static void
test_bulk_disk_full (Fixture       *f,
                     gconstpointer  data)
{
  sqlite3 *db = _cb_case_store_get_db (f->store);
  g_autofree char *path = write_mixed_file (f, FALSE);
  g_autofree char *before = dump_database (f->store, TRUE);
  g_autofree char *after = NULL;
  g_autofree char *limit = g_strdup_printf ("PRAGMA max_page_count = %d", page_count (db) + 3);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cb_case_store_count (f->store), ==, 0);
  g_assert_cmpint (sqlite3_exec (db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  report = import_file (f->store, path, CB_IMPORT_SKIP_INVALID, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "mixed.csv, line"));

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==, SQLITE_OK);
  after = dump_database (f->store, TRUE);
  g_assert_cmpstr (before, ==, after);

  /* With room again, the same file goes in whole. */
  g_clear_error (&error);
  g_clear_pointer (&report, cb_import_report_unref);
  report = import_ok (f->store, path, CB_IMPORT_SKIP_INVALID);
  assert_counts (report, 5100, 0, 0, 0);
}

/* ------------------------------------------------------------------ */
/* Rejects saved for correction                                         */
/* ------------------------------------------------------------------ */

static GPtrArray *
read_records (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new_for_path (path, &error);
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *cells = NULL;

  g_assert_no_error (error);
  while (cb_csv_reader_next (reader, &cells, NULL, &error))
    g_ptr_array_add (records, cells);
  g_assert_no_error (error);

  return records;
}

#define CELL(records, row, column) \
  ((const char *) g_ptr_array_index ((GPtrArray *) g_ptr_array_index (records, row), column))

static void
test_save_rejects (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (f, "some-bad.csv",
    "case_ref,area,sentence_type,start_date,Officer,notes\n"
    "R-1,Leeds,licence,2024-01-01,Jones,fine\n"
    "R-2,Leeds,licence,31/02/2024,Evans,\"said \"\"hi\"\", left\"\n"
    "R-3,Leeds,parole,2024-01-01,Smith,'=1+1\n");
  g_autofree char *rejects = g_build_filename (f->dir, "rejects.csv", NULL);
  g_autoptr(CbImportReport) report = import_ok (f->store, path, CB_IMPORT_SKIP_INVALID);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GString) fixed = NULL;
  g_autofree char *fixed_path = NULL;
  g_autoptr(CbImportReport) again = NULL;
  g_autoptr(GError) error = NULL;

  assert_counts (report, 1, 0, 0, 2);
  g_assert_true (cb_import_report_get_rejects_complete (report));
  cb_import_report_save_rejects (report, rejects, &error);
  g_assert_no_error (error);

  records = read_records (rejects);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (records, 0))->len, ==, 7);
  g_assert_cmpstr (CELL (records, 0, 4), ==, "Officer");
  g_assert_cmpstr (CELL (records, 0, 6), ==, "reason");
  /* The cells as they were, unknown column included. */
  g_assert_cmpstr (CELL (records, 1, 0), ==, "R-2");
  g_assert_cmpstr (CELL (records, 1, 3), ==, "31/02/2024");
  g_assert_cmpstr (CELL (records, 1, 4), ==, "Evans");
  g_assert_cmpstr (CELL (records, 1, 5), ==, "said \"hi\", left");
  g_assert_true (g_str_has_prefix (CELL (records, 1, 6), "start_date: "));
  g_assert_cmpstr (CELL (records, 2, 5), ==, "'=1+1");
  g_assert_true (g_str_has_prefix (CELL (records, 2, 6), "sentence_type: "));

  /* Corrected and imported again, the rows go in as the originals meant;
   * the reason column is ignored as unknown. */
  fixed = g_string_new (NULL);
  {
    g_autofree char *contents = NULL;

    g_file_get_contents (rejects, &contents, NULL, &error);
    g_assert_no_error (error);
    g_string_assign (fixed, contents);
    g_string_replace (fixed, "31/02/2024", "29/02/2024", 0);
    g_string_replace (fixed, ",parole,", ",licence,", 0);
  }
  fixed_path = write_file (f, "fixed.csv", fixed->str);
  again = import_ok (f->store, fixed_path, CB_IMPORT_FLAGS_NONE);
  assert_counts (again, 2, 0, 0, 0);
  g_assert_cmpstr (cb_import_report_get_unknown_columns (again)[1], ==, "reason");
  assert_value (f->store, "R-2", CB_FIELD_START_DATE, "2024-02-29");
  assert_value (f->store, "R-2", CB_FIELD_NOTES, "said \"hi\", left");
  assert_value (f->store, "R-3", CB_FIELD_NOTES, "=1+1");
}

static void
test_short_row_padded_in_rejects (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *path = write_file (f, "short.csv",
    "case_ref,area,sentence_type,start_date\n"
    "S-1,Leeds\n"
    "S-2,Leeds,licence,2024-01-01,,,\n");
  g_autofree char *rejects = g_build_filename (f->dir, "rejects.csv", NULL);
  g_autoptr(CbImportReport) report = import_ok (f->store, path, CB_IMPORT_SKIP_INVALID);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  /* Trailing empty cells are fine, a short row is not. */
  assert_counts (report, 1, 0, 0, 1);
  cb_import_report_save_rejects (report, rejects, &error);
  g_assert_no_error (error);
  records = read_records (rejects);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (records, 1))->len, ==, 5);
  g_assert_cmpstr (CELL (records, 1, 2), ==, "");
  g_assert_nonnull (strstr (CELL (records, 1, 4), "2 values"));
}

/* ------------------------------------------------------------------ */
/* The command line                                                     */
/* ------------------------------------------------------------------ */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Spawned;

static void
spawned_clear (Spawned *s)
{
  g_free (s->out);
  g_free (s->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Spawned, spawned_clear)

static void
run_cli (Fixture           *f,
         Spawned           *result,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *db = g_build_filename (f->dir, "cli.db", NULL);
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) BUILD_ROOT "/src/cli/casebook-cli");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  result->status = WEXITSTATUS (wait_status);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", result->status, result->out, result->err);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *rules = data_path ("rules.csv");
  g_autofree char *bom = data_path ("bom-crlf-semicolon.csv");
  g_autofree char *missing = data_path ("missing-columns.csv");
  g_autofree char *rejects = g_build_filename (f->dir, "rejects.csv", NULL);
  g_autofree char *export = g_build_filename (f->dir, "export.csv", NULL);
  g_autofree char *expected = NULL;
  g_auto(Spawned) fail = { 0, };
  g_auto(Spawned) skip = { 0, };
  g_auto(Spawned) good = { 0, };
  g_auto(Spawned) no_file = { 0, };
  g_auto(Spawned) no_column = { 0, };
  g_auto(Spawned) usage = { 0, };
  g_auto(Spawned) exported = { 0, };
  g_autofree char *contents = NULL;

  /* Any rejected row: nothing saved, every error listed, exit 1. */
  run_cli (f, &fail, (const char *[]) { "import", rules, NULL });
  g_assert_cmpint (fail.status, ==, 1);
  expected = g_strdup_printf ("%s:3: start_date: ", rules);
  g_assert_nonnull (strstr (fail.err, expected));
  g_free (expected);
  expected = g_strdup_printf ("%s:14: The row has", rules);
  g_assert_nonnull (strstr (fail.err, expected));
  g_free (expected);
  expected = g_strdup_printf ("%s:20: case_ref: ", rules);
  g_assert_nonnull (strstr (fail.err, expected));
  g_assert_nonnull (strstr (fail.err, "nothing was imported"));

  /* --skip-invalid: the valid rows are saved, the rest written out. */
  run_cli (f, &skip, (const char *[]) { "import", rules, "--skip-invalid", "--rejects", rejects, NULL });
  g_assert_cmpint (skip.status, ==, 0);
  g_assert_nonnull (strstr (skip.out, "2 added, 0 updated, 0 unchanged, 16 rejected"));
  g_assert_true (g_file_test (rejects, G_FILE_TEST_EXISTS));

  /* Unknown columns are named once. */
  run_cli (f, &good, (const char *[]) { "import", bom, NULL });
  g_assert_cmpint (good.status, ==, 0);
  g_assert_nonnull (strstr (good.err, "Officer, column 12 (no name)"));
  g_assert_null (strstr (strstr (good.err, "Officer") + 1, "Officer"));

  run_cli (f, &no_file, (const char *[]) { "import", "/nonexistent/cases.csv", NULL });
  g_assert_cmpint (no_file.status, ==, 1);
  run_cli (f, &no_column, (const char *[]) { "import", missing, NULL });
  g_assert_cmpint (no_column.status, ==, 1);
  g_assert_nonnull (strstr (no_column.err, "sentence_type, start_date"));
  run_cli (f, &usage, (const char *[]) { "import", NULL });
  g_assert_cmpint (usage.status, ==, 2);

  run_cli (f, &exported, (const char *[]) { "export-csv", "--notes", export, NULL });
  g_assert_cmpint (exported.status, ==, 0);
  g_assert_nonnull (strstr (exported.out, "Exported 5 cases"));
  g_file_get_contents (export, &contents, NULL, NULL);
  g_assert_nonnull (contents);
  g_assert_true (g_str_has_prefix (contents, "case_ref,area,team,"));
  g_assert_nonnull (strstr (contents, ",notes\n"));
  g_assert_nonnull (strstr (contents, "\"line one\nline two\""));
}

static void
test_cli_export_no_notes (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *rules = data_path ("rules.csv");
  g_autofree char *export = g_build_filename (f->dir, "export.csv", NULL);
  g_auto(Spawned) imported = { 0, };
  g_auto(Spawned) exported = { 0, };
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  run_cli (f, &imported, (const char *[]) { "import", "--skip-invalid", rules, NULL });
  g_assert_cmpint (imported.status, ==, 0);
  run_cli (f, &exported, (const char *[]) { "export-csv", "--no-notes", export, NULL });
  g_assert_cmpint (exported.status, ==, 0);
  g_file_get_contents (export, &contents, NULL, NULL);
  g_assert_nonnull (contents);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_suffix (lines[0], ",death_drug_related"));
  g_assert_null (strstr (contents, "notes"));
  g_assert_null (strstr (contents, "line one"));
  g_assert_true (g_str_has_prefix (lines[2], "OK-2,"));
  g_assert_true (g_str_has_suffix (lines[2], ",,"));
  g_assert_cmpstr (lines[3], ==, "");
}

/* ------------------------------------------------------------------ */
/* Fuzzer crashers, replayed                                            */
/* ------------------------------------------------------------------ */

static char *
query_text (CbCaseStore *store,
            const char  *sql)
{
  sqlite3_stmt *stmt = NULL;
  GString *text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (_cb_case_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s\n", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return g_string_free (text, FALSE);
}

/* The same steps as fuzz/fuzz-import.c; a crash fails the test, and so
 * does a database left damaged or without its indexes. */
static void
replay_one (Fixture    *f,
            const char *path)
{
  g_autofree char *schema_before = query_text (f->store, "SELECT sql FROM sqlite_schema ORDER BY name");
  g_autofree char *schema_after = NULL;
  g_autofree char *integrity = NULL;

  g_autoptr(CbImporter) importer = cb_importer_new (f->store);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *rejects = g_build_filename (f->dir, "fuzz-rejects.csv", NULL);

  static const CbImportFlags passes[] = {
    CB_IMPORT_VALIDATE_ONLY, CB_IMPORT_SKIP_INVALID, CB_IMPORT_FLAGS_NONE,
  };

  if (!cb_importer_inspect (importer, file, NULL, NULL))
    return;

  for (guint pass = 0; pass < G_N_ELEMENTS (passes); pass++)
    {
      g_autoptr(CbImportReport) report =
        cb_importer_run (importer, passes[pass], NULL, NULL, NULL, NULL);
      CbImportReport *last = cb_importer_get_report (importer);

      if (last != NULL)
        {
          g_autofree char *summary = cb_import_report_dup_summary (last);
          cb_import_report_save_rejects (last, rejects, NULL);
          g_assert_nonnull (summary);
        }
      g_assert_true (report == NULL || report == last);
    }

  schema_after = query_text (f->store, "SELECT sql FROM sqlite_schema ORDER BY name");
  g_assert_cmpstr (schema_before, ==, schema_after);
  integrity = query_text (f->store, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok\n");
  g_assert_cmpint (sqlite3_exec (_cb_case_store_get_db (f->store), "DELETE FROM cases",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
test_fuzz_crashers (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (SOURCE_ROOT, "tests", "data", "fuzz-crashers", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_str_has_suffix (name, ".md"))
        continue;
      g_test_message ("replaying %s", name);
      replay_one (f, path);
      n++;
    }

  g_assert_cmpuint (n, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/importer/rules/every-rule", test_every_rule);
  ADD ("/importer/rules/every-rule-into-filled-store", test_every_rule_into_filled_store);
  ADD ("/importer/rules/rejected-rows-save-nothing", test_rejected_rows_save_nothing);
  ADD ("/importer/file/missing-column", test_missing_column);
  ADD ("/importer/file/duplicate-column", test_duplicate_column);
  ADD ("/importer/file/empty-and-header-only", test_empty_and_header_only);
  ADD ("/importer/file/broken", test_broken_file_saves_nothing);
  ADD ("/importer/file/changed-after-inspect", test_file_changed_after_inspect);
  ADD ("/importer/format/bom-crlf-semicolon", test_bom_crlf_semicolon);
  ADD ("/importer/format/preview", test_preview_is_bounded);
  ADD ("/importer/update/reimport-unchanged", test_reimport_unchanged);
  ADD ("/importer/update/by-ref", test_update_by_ref);
  ADD ("/importer/update/partial-columns", test_partial_columns_keep_fields);
  ADD ("/importer/update/rules-with-stored-fields", test_update_checked_against_stored_fields);
  ADD ("/importer/validate-only", test_validate_only);
  ADD ("/importer/changed-signal", test_changed_signal);
  ADD ("/importer/round-trip/spreadsheet-safety", test_spreadsheet_safety_round_trip);
  ADD ("/importer/round-trip/demo-10000", test_round_trip_demo);
  ADD ("/importer/atomic/failed-last-row", test_atomic_failed_last_row);
  ADD ("/importer/atomic/cancel", test_atomic_cancel);
  ADD ("/importer/atomic/disk-full", test_atomic_disk_full);
  ADD ("/importer/bulk/groups-match-row-by-row", test_bulk_groups_match_row_by_row);
  ADD ("/importer/bulk/disk-full", test_bulk_disk_full);
  ADD ("/importer/rejects/save", test_save_rejects);
  ADD ("/importer/rejects/short-row", test_short_row_padded_in_rejects);
  ADD ("/importer/cli/import-export", test_cli);
  ADD ("/importer/cli/export-no-notes", test_cli_export_no_notes);
  ADD ("/importer/fuzz-crashers", test_fuzz_crashers);

  return g_test_run ();
}
