/* cb-bench-import.c — CSV import against the sqlite3 shell's .import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The yardstick: a file of N rows with every column filled,
 * imported into an empty database, against `sqlite3 -cmd ".mode csv"
 * ".import FILE t"` loading the same file into a plain table with no
 * checks at all. The file is written and the shell is run in prepare(),
 * in the parent, so the shell's time is taken on the same machine state
 * while the peak memory reported stays the importer's. A second
 * operation imports the same file again into the filled database: every
 * row is then looked up, compared and counted as unchanged.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cb-bench.h"
#include "cb-case.h"
#include "cb-csv-writer.h"
#include "cb-importer.h"

/* Set by prepare() in the parent; the child forked for run() inherits it. */
static double shell_seconds = -1;

/* One valid case with every field recorded, including the ones only a
 * released, deceased person has; rows differ in reference, area, team,
 * dates and substances, so indexes and pages see varied keys. */
static const char *full_case[CB_N_FIELDS] = {
  [CB_FIELD_SENTENCE_TYPE] = "licence",
  [CB_FIELD_END_DATE] = "2026-01-31",
  [CB_FIELD_BIRTH_YEAR] = "1984",
  [CB_FIELD_GENDER] = "female",
  [CB_FIELD_ETHNICITY] = "white",
  [CB_FIELD_DRUG_MISUSE] = "yes",
  [CB_FIELD_USE_FREQUENCY] = "daily",
  [CB_FIELD_INJECTING] = "previously",
  [CB_FIELD_PRIORITY_FACTOR] = "yes",
  [CB_FIELD_MOTIVATION] = "partial",
  [CB_FIELD_ASSESSED_ON] = "2024-02-01",
  [CB_FIELD_SPECIALIST_ASSESSMENT] = "no",
  [CB_FIELD_REQUIREMENTS] = "licence_drug_testing;licence_drug_appointment",
  [CB_FIELD_DRR_CONSENT] = "no",
  [CB_FIELD_DRR_REVIEWS] = "no",
  [CB_FIELD_TESTED] = "yes",
  [CB_FIELD_LAST_TEST_ON] = "2024-03-15",
  [CB_FIELD_LAST_TEST_RESULT] = "positive",
  [CB_FIELD_REFERRED_ON] = "2024-02-10",
  [CB_FIELD_PROVIDER] = "Change, Grow, Live",
  [CB_FIELD_TREATMENT_STARTED_ON] = "2024-02-24",
  [CB_FIELD_INTERVENTION] = "opioid_substitution",
  [CB_FIELD_RELEASED_ON] = "2024-01-15",
  [CB_FIELD_CUSTODY_TREATMENT] = "yes",
  [CB_FIELD_COMMUNITY_TREATMENT_ON] = "2024-01-29",
  [CB_FIELD_NALOXONE] = "yes",
  [CB_FIELD_OVERDOSE_ADVICE] = "yes",
  [CB_FIELD_DIED_ON] = "2025-12-01",
  [CB_FIELD_DEATH_DRUG_RELATED] = "suspected",
  [CB_FIELD_NOTES] = "Moved address twice, phone changed.\nCheck contact details; \"urgent\".",
};

static const char *areas[] = { "Leeds", "Bristol", "Cardiff and Vale", "Lambeth", "Durham" };
static const char *teams[] = { "North \"Hub\", Station Road", "City Centre", "East", "Valleys" };
static const char *substances[][2] = {
  { "heroin;crack;alcohol", "heroin" },
  { "crack;cannabis", "crack" },
  { "cocaine", "cocaine" },
  { "heroin;benzodiazepines", "heroin" },
};

static char *
csv_path (const CbBenchContext *context)
{
  return g_strdup_printf ("%s/import-%u.csv", context->dir, context->n_cases);
}

static char *
import_db_path (const CbBenchContext *context)
{
  return g_strdup_printf ("%s/import-%u.db", context->dir, context->n_cases);
}

static void
write_csv (const CbBenchContext *context)
{
  g_autofree char *path = csv_path (context);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvWriter) writer = cb_csv_writer_new (path, TRUE, &error);
  g_autoptr(CbCase) record = cb_case_new ();
  gboolean ok;

  cb_bench_check (writer != NULL, "csv", error);
  for (guint i = 0; i < CB_N_FIELDS; i++)
    cb_case_set (record, i, full_case[i]);

  ok = cb_csv_writer_write_header (writer, &error);
  for (guint i = 0; ok && i < context->n_cases; i++)
    {
      g_autofree char *ref = g_strdup_printf ("BENCH-%07u", i);
      g_autofree char *start = g_strdup_printf ("2023-%02u-%02u", 1 + i % 12, 1 + i % 28);

      cb_case_set (record, CB_FIELD_CASE_REF, ref);
      cb_case_set (record, CB_FIELD_AREA, areas[i % G_N_ELEMENTS (areas)]);
      cb_case_set (record, CB_FIELD_TEAM, teams[i % G_N_ELEMENTS (teams)]);
      cb_case_set (record, CB_FIELD_START_DATE, start);
      cb_case_set (record, CB_FIELD_SUBSTANCES, substances[i % G_N_ELEMENTS (substances)][0]);
      cb_case_set (record, CB_FIELD_MAIN_SUBSTANCE, substances[i % G_N_ELEMENTS (substances)][1]);
      ok = cb_csv_writer_write_case (writer, record, &error);
    }

  cb_bench_check (ok && cb_csv_writer_close (writer, &error), "csv", error);
}

static double
time_shell_import (const CbBenchContext *context)
{
  g_autofree char *csv = csv_path (context);
  g_autofree char *db = g_strdup_printf ("%s/shell-%u.db", context->dir, context->n_cases);
  g_autofree char *command = g_strdup_printf (".import '%s' t", csv);
  const char *argv[] = { "sqlite3", db, "-cmd", ".mode csv", command, NULL };
  g_autoptr(GError) error = NULL;
  double start;
  int status;

  g_unlink (db);
  start = cb_bench_now ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("casebook-bench: sqlite3 .import did not run: %s\n", error->message);
      return -1;
    }

  return cb_bench_now () - start;
}

static double
prepare_import (CbBenchContext *context)
{
  g_autofree char *db = import_db_path (context);

  write_csv (context);
  g_unlink (db);
  shell_seconds = time_shell_import (context);
  return shell_seconds;
}

/* Opening the store and inspecting the header are part of the import the
 * user waits for, so they are timed with the rows. */
static double
time_import (const CbBenchContext *context,
             CbImportReport      **report)
{
  g_autofree char *csv = csv_path (context);
  g_autofree char *db = import_db_path (context);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(CbImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  double start = cb_bench_now ();

  store = cb_case_store_open (db, &error);
  cb_bench_check (store != NULL, "open", error);
  importer = cb_importer_new (store);
  cb_bench_check (cb_importer_inspect (importer, file, NULL, &error), "inspect", error);
  *report = cb_importer_run (importer, CB_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  cb_bench_check (*report != NULL, "import", error);

  return cb_bench_now () - start;
}

static double
run_import (CbBenchContext *context)
{
  g_autoptr(CbImportReport) report = NULL;
  double seconds = time_import (context, &report);

  cb_bench_check (cb_import_report_get_n_added (report) == context->n_cases,
                  "every row added", NULL);
  if (shell_seconds > 0)
    g_snprintf (context->note, context->note_size, "sqlite3 .import %.3f s, ratio %.2f",
                shell_seconds, seconds / shell_seconds);
  else
    g_snprintf (context->note, context->note_size, "sqlite3 shell not available");

  return seconds;
}

static double
run_reimport (CbBenchContext *context)
{
  g_autoptr(CbImportReport) report = NULL;
  double seconds = time_import (context, &report);

  cb_bench_check (cb_import_report_get_n_unchanged (report) == context->n_cases,
                  "every row unchanged", NULL);
  g_snprintf (context->note, context->note_size, "%u unchanged", context->n_cases);
  return seconds;
}

void cb_bench_register_import (void);

void
cb_bench_register_import (void)
{
  cb_bench_register ("import: csv, every column", prepare_import, run_import);
  cb_bench_register ("import: same file again", NULL, run_reimport);
}
