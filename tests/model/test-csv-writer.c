/* test-csv-writer.c — CbCsvWriter on real files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-test-csv-writer"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cb-csv-reader.h"
#include "cb-csv-writer.h"
#include "cb-demo-data.h"
#include "cb-test-util.h"

typedef struct
{
  char        *dir;
  CbCaseStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = NULL;

  f->dir = cb_test_make_temp_dir ("csv-writer");
  db = g_build_filename (f->dir, "cases.db", NULL);
  f->store = cb_test_open_store (db);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  cb_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
test_quoting (void)
{
  static const struct {
    const char *value;
    const char *written;
  } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { " lead", "\" lead\"" },
    { "trail ", "\"trail \"" },
    { "\ttab", "\"\ttab\"" },
    { "semi;colon", "semi;colon" },
    { "Tîm – Canolog", "Tîm – Canolog" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      cb_csv_append_cell (line, cases[i].value);
      g_assert_cmpstr (line->str, ==, cases[i].written);
    }

  {
    g_autoptr(GString) line = g_string_new ("x");
    cb_csv_append_cell (line, NULL);
    g_assert_cmpstr (line->str, ==, "x");
  }
}

static void
test_guard (void)
{
  static const struct {
    const char *value;
    gboolean    guarded;
  } cases[] = {
    { "=1+1", TRUE }, { "+1", TRUE }, { "-5", TRUE }, { "@x", TRUE },
    { "'=", TRUE }, { "''x", TRUE }, { "'+", TRUE }, { "'-", TRUE }, { "'@", TRUE },
    { "'", FALSE }, { "'abc", FALSE }, { "a=b", FALSE }, { "", FALSE }, { " =x", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *written = NULL;

      g_assert_cmpint (cb_csv_needs_guard (cases[i].value), ==, cases[i].guarded);

      /* Import undoes exactly what export adds. */
      written = cases[i].guarded ? g_strconcat ("'", cases[i].value, NULL)
                                 : g_strdup (cases[i].value);
      g_assert_cmpstr (cb_csv_strip_guard (written), ==, cases[i].value);
    }

  g_assert_false (cb_csv_needs_guard (NULL));
  g_assert_null (cb_csv_strip_guard (NULL));
}

static CbCase *
make_case (const char *ref,
           const char *team,
           const char *notes)
{
  CbCase *record = cb_case_new ();

  cb_case_set (record, CB_FIELD_CASE_REF, ref);
  cb_case_set (record, CB_FIELD_AREA, "Leeds");
  cb_case_set (record, CB_FIELD_TEAM, team);
  cb_case_set (record, CB_FIELD_SENTENCE_TYPE, "licence");
  cb_case_set (record, CB_FIELD_START_DATE, "2024-01-01");
  cb_case_set (record, CB_FIELD_SUBSTANCES, "heroin;crack");
  cb_case_set (record, CB_FIELD_NOTES, notes);
  return record;
}

static void
test_write_cases (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvWriter) writer = cb_csv_writer_new (path, TRUE, &error);
  g_autoptr(CbCase) first = make_case ("W-1", "=HYPERLINK(\"x\")", "-ve, then +ve\nnext line");
  g_autoptr(CbCase) second = make_case ("W-2", NULL, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) header = g_string_new (NULL);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpstr (cb_csv_writer_get_path (writer), ==, path);
  /* Nothing appears under the target name before the close. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  cb_csv_writer_write_header (writer, &error);
  g_assert_no_error (error);
  cb_csv_writer_write_case (writer, first, &error);
  g_assert_no_error (error);
  cb_csv_writer_write_case (writer, second, &error);
  g_assert_no_error (error);
  cb_csv_writer_close (writer, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < CB_N_FIELDS; i++)
    g_string_append_printf (header, "%s%s", i > 0 ? "," : "", cb_field_get (i)->name);
  g_string_append_c (header, '\n');

  contents = cb_test_read_text (path);
  /* UTF-8 without a BOM, LF line ends, header in table order. */
  g_assert_true (g_str_has_prefix (contents, header->str));
  g_assert_null (strchr (contents, '\r'));
  g_assert_nonnull (strstr (contents, "\nW-1,Leeds,\"'=HYPERLINK(\"\"x\"\")\",licence,2024-01-01,"));
  g_assert_nonnull (strstr (contents, ",heroin;crack,"));
  g_assert_true (g_str_has_suffix (contents, ",\"'-ve, then +ve\nnext line\"\n"
                                   "W-2,Leeds,,licence,2024-01-01,,,,,,heroin;crack,,,,,,,,,,,,,,,,,,,,,,,,,\n"));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autofree char *names = cb_test_list_folder (f->dir, "cases.db");
    g_assert_cmpstr (names, ==, "out.csv");
  }
}

static void
test_without_notes (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvWriter) writer = cb_csv_writer_new (path, FALSE, &error);
  g_autoptr(CbCase) record = make_case ("N-1", "North", "private words");
  g_autofree char *contents = NULL;

  cb_csv_writer_write_header (writer, &error);
  cb_csv_writer_write_case (writer, record, &error);
  cb_csv_writer_close (writer, &error);
  g_assert_no_error (error);

  contents = cb_test_read_text (path);
  g_assert_null (strstr (contents, "notes"));
  g_assert_null (strstr (contents, "private"));
  g_assert_true (g_str_has_suffix (contents, ",death_drug_related\nN-1,Leeds,North,licence,2024-01-01,,,,,,heroin;crack,,,,,,,,,,,,,,,,,,,,,,,,\n"));
}

static void
test_dropped_writer_keeps_old_file (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;

  g_file_set_contents (path, "old,file\n", -1, &error);
  g_assert_no_error (error);

  {
    g_autoptr(CbCsvWriter) writer = cb_csv_writer_new (path, TRUE, &error);
    g_assert_no_error (error);
    cb_csv_writer_write_header (writer, &error);
    g_assert_no_error (error);
    names = cb_test_list_folder (f->dir, "cases.db");
    g_assert_true (g_str_has_prefix (names, ".out.csv-"));
    g_clear_pointer (&names, g_free);
  }

  contents = cb_test_read_text (path);
  g_assert_cmpstr (contents, ==, "old,file\n");
  names = cb_test_list_folder (f->dir, "cases.db");
  g_assert_cmpstr (names, ==, "out.csv");
}

static void
test_unwritable_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "no-such-folder", "out.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvWriter) writer = cb_csv_writer_new (path, TRUE, &error);

  g_assert_null (writer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "out.csv"));
}

static void
test_write_row_and_line (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "rows.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvWriter) writer = cb_csv_writer_new (path, FALSE, &error);
  const char *cells[] = { "=raw", "a,b", "" };
  g_autofree char *contents = NULL;

  cb_csv_writer_write_row (writer, cells, G_N_ELEMENTS (cells), &error);
  g_assert_no_error (error);
  cb_csv_writer_write_line (writer, "x,\"y\"", &error);
  g_assert_no_error (error);
  cb_csv_writer_close (writer, &error);
  g_assert_no_error (error);

  /* Rows go out as given: no guard. */
  contents = cb_test_read_text (path);
  g_assert_cmpstr (contents, ==, "=raw,\"a,b\",\nx,\"y\"\n");
}

static void
count_progress (double   fraction,
                gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_write_query (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "all.csv", NULL);
  g_autofree char *some = g_build_filename (f->dir, "some.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCaseQuery) query = cb_case_query_new ();
  const char *areas[] = { "Leeds", NULL };
  double last = 0;
  g_autoptr(CbCsvReader) reader = NULL;
  GPtrArray *cells = NULL;
  guint n_rows = 0;
  guint n_leeds = 0;

  cb_demo_data_generate (f->store, 2500, CB_DEMO_DEFAULT_SEED, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  cb_csv_writer_write_query (f->store, NULL, path, TRUE, count_progress, &last, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);

  reader = cb_csv_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  while (cb_csv_reader_next (reader, &cells, NULL, &error))
    {
      g_assert_cmpuint (cells->len, ==, CB_N_FIELDS);
      if (n_rows > 0 && g_str_equal (g_ptr_array_index (cells, CB_FIELD_AREA), "Leeds"))
        n_leeds++;
      n_rows++;
      g_ptr_array_unref (cells);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 2501);
  g_assert_cmpuint (n_leeds, >, 0);

  /* A query picks the cases. */
  cb_case_query_set_areas (query, areas);
  cb_csv_writer_write_query (f->store, query, some, FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&reader);
  reader = cb_csv_reader_new_for_path (some, &error);
  n_rows = 0;
  while (cb_csv_reader_next (reader, &cells, NULL, &error))
    {
      g_assert_cmpuint (cells->len, ==, CB_N_FIELDS - 1);
      if (n_rows > 0)
        g_assert_cmpstr (g_ptr_array_index (cells, CB_FIELD_AREA), ==, "Leeds");
      n_rows++;
      g_ptr_array_unref (cells);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, n_leeds + 1);
}

static void
cancel_at_half (double   fraction,
                gpointer user_data)
{
  if (fraction >= 0.5)
    g_cancellable_cancel (user_data);
}

static void
test_cancelled_query_keeps_old_file (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "all.csv", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;

  cb_demo_data_generate (f->store, 3000, CB_DEMO_DEFAULT_SEED, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, "previous export\n", -1, &error);
  g_assert_no_error (error);

  g_assert_false (cb_csv_writer_write_query (f->store, NULL, path, TRUE, cancel_at_half,
                                             cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  contents = cb_test_read_text (path);
  g_assert_cmpstr (contents, ==, "previous export\n");
  names = cb_test_list_folder (f->dir, "cases.db");
  g_assert_cmpstr (names, ==, "all.csv");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/csv-writer/quoting", test_quoting);
  g_test_add_func ("/csv-writer/guard", test_guard);
  ADD ("/csv-writer/cases", test_write_cases);
  ADD ("/csv-writer/without-notes", test_without_notes);
  ADD ("/csv-writer/dropped-keeps-old-file", test_dropped_writer_keeps_old_file);
  ADD ("/csv-writer/unwritable-folder", test_unwritable_folder);
  ADD ("/csv-writer/row-and-line", test_write_row_and_line);
  ADD ("/csv-writer/query", test_write_query);
  ADD ("/csv-writer/cancelled-query", test_cancelled_query_keeps_old_file);

  return g_test_run ();
}
