/* test-csv-reader.c — CbCsvReader on real files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-test-csv"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cb-csv-reader.h"

#ifndef SOURCE_ROOT
# error "SOURCE_ROOT must name the source tree"
#endif

/* ------------------------------------------------------------------ */
/* A stream that hands out at most a few bytes per read, so that every  */
/* chunk boundary the parser can meet is met.                           */
/* ------------------------------------------------------------------ */

#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *bytes;
  gsize         pos;
  gsize         chunk;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize size;
  const guint8 *data = g_bytes_get_data (self->bytes, &size);
  gsize n = MIN (MIN (count, self->chunk), size - self->pos);

  if (n > 0)
    memcpy (buffer, data + self->pos, n);
  self->pos += n;
  return n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (object);

  g_bytes_unref (self->bytes);
  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trickle_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static GInputStream *
trickle_stream_new (GBytes *bytes,
                    gsize   chunk)
{
  TestTrickleStream *self = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  self->bytes = g_bytes_ref (bytes);
  self->chunk = chunk;
  return G_INPUT_STREAM (self);
}

/* ------------------------------------------------------------------ */
/* Reading a whole file into records                                   */
/* ------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *records; /* of GPtrArray of char * */
  GArray    *lines;   /* guint, the start line of each record */
  GError    *error;   /* what stopped the reading, if not the end */
  char       delimiter;
  goffset    bytes_read;
} ReadResult;

static void
read_result_free (ReadResult *result)
{
  g_ptr_array_unref (result->records);
  g_array_unref (result->lines);
  g_clear_error (&result->error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReadResult, read_result_free)

static ReadResult *
read_all (CbCsvReader *reader)
{
  ReadResult *result = g_new0 (ReadResult, 1);
  GPtrArray *fields = NULL;

  result->records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  result->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  while (cb_csv_reader_next (reader, &fields, NULL, &result->error))
    {
      guint line = cb_csv_reader_get_line (reader);

      g_assert_nonnull (fields);
      g_ptr_array_add (result->records, fields);
      g_array_append_val (result->lines, line);
    }
  g_assert_null (fields);

  result->delimiter = cb_csv_reader_get_delimiter (reader);
  result->bytes_read = cb_csv_reader_get_bytes_read (reader);
  return result;
}

/* read_all() through cb_csv_reader_next_packed(), each record copied
 * into the same form for comparison. */
static ReadResult *
read_all_packed (CbCsvReader *reader)
{
  ReadResult *result = g_new0 (ReadResult, 1);
  char **fields = NULL;
  guint n_fields = 0;

  result->records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  result->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  while (cb_csv_reader_next_packed (reader, &fields, &n_fields, NULL, &result->error))
    {
      guint line = cb_csv_reader_get_line (reader);
      GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);

      g_assert_nonnull (fields);
      g_assert_cmpuint (g_strv_length (fields), ==, n_fields);
      for (guint i = 0; i < n_fields; i++)
        g_ptr_array_add (copy, g_strdup (fields[i]));
      g_free (fields);

      g_ptr_array_add (result->records, copy);
      g_array_append_val (result->lines, line);
    }
  g_assert_null (fields);
  g_assert_cmpuint (n_fields, ==, 0);

  result->delimiter = cb_csv_reader_get_delimiter (reader);
  result->bytes_read = cb_csv_reader_get_bytes_read (reader);
  return result;
}

static ReadResult *
read_bytes_with (GBytes     *bytes,
                 gsize       chunk,
                 const char *name,
                 gboolean    packed)
{
  g_autoptr(GInputStream) stream = trickle_stream_new (bytes, chunk);
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new (stream, name);

  return packed ? read_all_packed (reader) : read_all (reader);
}

static ReadResult *
read_bytes (GBytes     *bytes,
            gsize       chunk,
            const char *name)
{
  return read_bytes_with (bytes, chunk, name, FALSE);
}

static ReadResult *
read_string (const char *text,
             gssize      len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len < 0 ? strlen (text) : (gsize)len);

  return read_bytes (bytes, G_MAXSIZE, "test.csv");
}

static char *
fixture_path (const char *name)
{
  return g_build_filename (SOURCE_ROOT, "tests", "data", "csv", name, NULL);
}

static ReadResult *
read_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new_for_path (path, &error);

  g_assert_no_error (error);
  return read_all (reader);
}

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* Asserts that record @index is exactly the NULL-terminated list of fields. */
static void
assert_record (ReadResult *result,
               guint       index,
               guint       line,
               ...)
{
  GPtrArray *fields;
  const char *expected;
  va_list args;
  guint i = 0;

  g_assert_cmpuint (index, <, result->records->len);
  fields = g_ptr_array_index (result->records, index);
  g_assert_cmpuint (g_array_index (result->lines, guint, index), ==, line);

  va_start (args, line);
  while ((expected = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, fields->len);
      g_assert_cmpstr (g_ptr_array_index (fields, i), ==, expected);
      i++;
    }
  va_end (args);

  g_assert_cmpuint (fields->len, ==, i);
}

static void
assert_results_equal (ReadResult *a,
                      ReadResult *b)
{
  g_assert_cmpuint (a->records->len, ==, b->records->len);
  for (guint r = 0; r < a->records->len; r++)
    {
      GPtrArray *fa = g_ptr_array_index (a->records, r);
      GPtrArray *fb = g_ptr_array_index (b->records, r);

      g_assert_cmpuint (g_array_index (a->lines, guint, r), ==, g_array_index (b->lines, guint, r));
      g_assert_cmpuint (fa->len, ==, fb->len);
      for (guint f = 0; f < fa->len; f++)
        g_assert_cmpstr (g_ptr_array_index (fa, f), ==, g_ptr_array_index (fb, f));
    }

  g_assert_cmpint (a->delimiter, ==, b->delimiter);
  g_assert_true ((a->error == NULL) == (b->error == NULL));
  if (a->error != NULL)
    {
      g_assert_error (b->error, a->error->domain, a->error->code);
      g_assert_cmpstr (a->error->message, ==, b->error->message);
    }
  else
    {
      /* After a failure the two may have read ahead by different amounts. */
      g_assert_cmpint (a->bytes_read, ==, b->bytes_read);
    }
}

/* ------------------------------------------------------------------ */
/* A small reader for the corpus's JSON: an array of flat objects of    */
/* strings, or one such object. Anything else fails the test.           */
/* ------------------------------------------------------------------ */

static void
json_skip_space (const char **p)
{
  while (g_ascii_isspace (**p))
    (*p)++;
}

static void
json_expect (const char **p,
             char         c)
{
  json_skip_space (p);
  if (**p != c)
    g_error ("JSON: expected '%c' at “%.20s”", c, *p);
  (*p)++;
}

static gunichar
json_hex4 (const char **p)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value ((*p)[i]);

      if (digit < 0)
        g_error ("JSON: bad \\u escape at “%.20s”", *p);
      value = value * 16 + digit;
    }

  *p += 4;
  return value;
}

static void
json_unicode_escape (const char **p,
                     GString     *out)
{
  gunichar c = json_hex4 (p);

  if (c >= 0xD800 && c < 0xDC00 && (*p)[0] == '\\' && (*p)[1] == 'u')
    {
      gunichar low;

      *p += 2;
      low = json_hex4 (p);
      c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
    }

  g_string_append_unichar (out, c);
}

static char *
json_string (const char **p)
{
  GString *out = g_string_new (NULL);

  json_expect (p, '"');
  while (**p != '"')
    {
      char c = *(*p)++;

      if (c == '\0')
        g_error ("JSON: unterminated string");
      if (c != '\\')
        {
          g_string_append_c (out, c);
          continue;
        }

      c = *(*p)++;
      switch (c)
        {
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'u': json_unicode_escape (p, out); break;
        case '"': case '\\': case '/': g_string_append_c (out, c); break;
        default: g_error ("JSON: bad escape \\%c", c);
        }
    }
  (*p)++;

  return g_string_free (out, FALSE);
}

/* An object as an array of key, value, key, value… */
static GPtrArray *
json_object (const char **p)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);

  json_expect (p, '{');
  json_skip_space (p);
  if (**p == '}')
    {
      (*p)++;
      return pairs;
    }

  for (;;)
    {
      g_ptr_array_add (pairs, json_string (p));
      json_expect (p, ':');
      g_ptr_array_add (pairs, json_string (p));
      json_skip_space (p);
      if (**p != ',')
        break;
      (*p)++;
    }

  json_expect (p, '}');
  return pairs;
}

static GPtrArray *
json_parse_objects (const char *text)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  const char *p = text;

  json_skip_space (&p);
  if (*p == '{')
    g_ptr_array_add (objects, json_object (&p));
  else
    {
      json_expect (&p, '[');
      json_skip_space (&p);
      while (*p != ']')
        {
          g_ptr_array_add (objects, json_object (&p));
          json_skip_space (&p);
          if (*p == ',')
            p++;
          json_skip_space (&p);
        }
      p++;
    }

  json_skip_space (&p);
  if (*p != '\0')
    g_error ("JSON: trailing text “%.20s”", p);

  return objects;
}

static const char *
json_lookup (GPtrArray  *pairs,
             const char *key)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (g_str_equal (g_ptr_array_index (pairs, i), key))
      return g_ptr_array_index (pairs, i + 1);

  return NULL;
}

static void
test_json_reader (void)
{
  g_autoptr(GPtrArray) objects =
    json_parse_objects (" [ {\"a\": \"x\\\"y\\n\\u00e9\\ud83d\\ude00\", \"b\" : \"\"}, {} ] ");
  GPtrArray *first;

  g_assert_cmpuint (objects->len, ==, 2);
  first = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_lookup (first, "a"), ==, "x\"y\né\xF0\x9F\x98\x80");
  g_assert_cmpstr (json_lookup (first, "b"), ==, "");
  g_assert_null (json_lookup (first, "c"));
  g_assert_cmpuint (((GPtrArray *)g_ptr_array_index (objects, 1))->len, ==, 0);
}

/* ------------------------------------------------------------------ */
/* The csv-spectrum corpus                                              */
/* ------------------------------------------------------------------ */

/* Where the corpus's expected output disagrees with its own CSV file. Each
 * entry is checked both ways: the reader must give the CSV's value, and the
 * JSON must still say what is written here, so the entry cannot hide a
 * real difference and goes stale loudly if the corpus is corrected.
 */
static const struct {
  const char *file;
  guint       row;
  const char *column;
  const char *json_says;
  const char *csv_has;
} corpus_errata[] = {
  /* Upstream changed the phone number in the JSON only. */
  { "location_coordinates.csv", 0, "Contact Phone Number", "1234567890", "2095257564" },
};

static const char *
expected_value (const char *file,
                guint       row,
                const char *column,
                const char *json_value)
{
  for (guint i = 0; i < G_N_ELEMENTS (corpus_errata); i++)
    if (g_str_equal (corpus_errata[i].file, file) &&
        corpus_errata[i].row == row &&
        g_str_equal (corpus_errata[i].column, column))
      {
        g_assert_cmpstr (json_value, ==, corpus_errata[i].json_says);
        return corpus_errata[i].csv_has;
      }

  return json_value;
}

static char *
corpus_dir (void)
{
  const char *env = g_getenv ("CB_CSV_SPECTRUM_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (SOURCE_ROOT, "..", "shared", "testdata", "csv-spectrum", NULL);
}

/* The *_crlf files are CRLF files upstream. A copy that went through a
 * line-end conversion has lost its CRs; put them back rather than test
 * LF twice (the expected JSON keeps the CR LF inside a quoted field).
 */
static GBytes *
load_corpus_csv (const char *path,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  if (g_str_has_suffix (name, "_crlf.csv") && memchr (contents, '\r', len) == NULL)
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

      g_test_message ("%s has no CR bytes; restoring its CRLF line ends", name);
      g_free (contents);
      contents = g_strjoinv ("\r\n", lines);
      len = strlen (contents);
    }

  return g_bytes_new_take (contents, len);
}

static void
check_against_json (const char *name,
                    ReadResult *result,
                    GPtrArray  *objects)
{
  GPtrArray *header;

  g_assert_no_error (result->error);
  g_assert_cmpint (result->delimiter, ==, ',');
  g_assert_cmpuint (result->records->len, ==, objects->len + 1);

  header = g_ptr_array_index (result->records, 0);
  for (guint row = 0; row < objects->len; row++)
    {
      GPtrArray *fields = g_ptr_array_index (result->records, row + 1);
      GPtrArray *pairs = g_ptr_array_index (objects, row);

      g_assert_cmpuint (fields->len, ==, header->len);
      g_assert_cmpuint (pairs->len, ==, 2 * header->len);
      for (guint f = 0; f < header->len; f++)
        {
          const char *column = g_ptr_array_index (header, f);
          const char *json_value = json_lookup (pairs, column);

          g_assert_nonnull (json_value);
          g_assert_cmpstr (g_ptr_array_index (fields, f), ==,
                           expected_value (name, row, column, json_value));
        }
    }
}

static void
check_corpus_file (const char *dir,
                   const char *name)
{
  g_autofree char *csv_path = g_build_filename (dir, "csvs", name, NULL);
  g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".csv"));
  g_autofree char *json_name = g_strconcat (stem, ".json", NULL);
  g_autofree char *json_path = g_build_filename (dir, "json", json_name, NULL);
  g_autofree char *json_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GBytes) bytes = load_corpus_csv (csv_path, name);
  g_autoptr(ReadResult) whole = read_bytes (bytes, G_MAXSIZE, name);
  g_autoptr(ReadResult) trickled = read_bytes (bytes, 1, name);
  g_autoptr(ReadResult) packed = read_bytes_with (bytes, G_MAXSIZE, name, TRUE);
  g_autoptr(ReadResult) packed_trickled = read_bytes_with (bytes, 1, name, TRUE);

  g_file_get_contents (json_path, &json_text, NULL, &error);
  g_assert_no_error (error);
  objects = json_parse_objects (json_text);

  check_against_json (name, whole, objects);
  assert_results_equal (whole, trickled);
  assert_results_equal (whole, packed);
  assert_results_equal (whole, packed_trickled);
  g_assert_cmpint (whole->bytes_read, ==, g_bytes_get_size (bytes));
}

static void
test_spectrum (void)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *csvs = g_build_filename (dir, "csvs", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = g_dir_open (csvs, 0, &error);
  const char *name;
  guint n_files = 0;

  /* A missing corpus is a broken checkout, not a reason to pass. */
  g_assert_no_error (error);

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      if (!g_str_has_suffix (name, ".csv"))
        continue;
      g_test_message ("csv-spectrum: %s", name);
      check_corpus_file (dir, name);
      n_files++;
    }

  g_assert_cmpuint (n_files, >=, 12);
}

/* The packed form gives the same records, lines and failures as the
 * array form, whether the input comes whole or a byte at a time. */
static void
test_packed_matches (void)
{
  static const char *inputs[] = {
    "a,b,c\n1,2,3\n",
    "a;b\r\n\"x;y\";\"line\r\nbreak\"\r\n",
    "\xef\xbb\xbf" "a\tb\n\t\n\"\"\"q\"\"\"\t\n",
    "a,b\n,\n,,,\n\n\n1,\"\"\n",
    "a,b\n\"unterminated,2\n3,4\n",
    "a,b\nok,\xc3\n",
    "a,b\n1,2\n\"x\"y,3\n",
    "",
    "only\n",
  };

  static const gsize chunks[] = { 1, 7, G_MAXSIZE };
  guint n_failed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
      {
        g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], strlen (inputs[i]));
        g_autoptr(ReadResult) array = read_bytes_with (bytes, chunks[c], "t.csv", FALSE);
        g_autoptr(ReadResult) packed = read_bytes_with (bytes, chunks[c], "t.csv", TRUE);

        g_test_message ("input %u, chunk %" G_GSIZE_FORMAT, i, chunks[c]);
        assert_results_equal (array, packed);
        n_failed += array->error != NULL;
      }

  /* The unterminated quote, the cut UTF-8 and the text after a quote. */
  g_assert_cmpuint (n_failed, ==, 3 * G_N_ELEMENTS (chunks));
}

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

static void
test_bom_crlf_semicolon (void)
{
  g_autoptr(GBytes) raw = load_fixture ("bom-crlf-semicolon.csv");
  g_autoptr(ReadResult) result = read_fixture ("bom-crlf-semicolon.csv");

  /* A checkout that converts line ends would make this test meaningless. */
  g_assert_nonnull (memchr (g_bytes_get_data (raw, NULL), '\r', g_bytes_get_size (raw)));

  g_assert_no_error (result->error);
  g_assert_cmpint (result->delimiter, ==, ';');
  g_assert_cmpuint (result->records->len, ==, 4);
  assert_record (result, 0, 1, "case_ref", "area", "notes", NULL);
  assert_record (result, 1, 2, "A1", "north", "one; two", NULL);
  assert_record (result, 2, 3, "A2", "south", "line1\r\nline2", NULL);
  assert_record (result, 3, 5, "A3", "", "", NULL);
  g_assert_cmpint (result->bytes_read, ==, g_bytes_get_size (raw));
}

static void
test_tab (void)
{
  g_autoptr(ReadResult) result = read_fixture ("tab.csv");

  g_assert_no_error (result->error);
  g_assert_cmpint (result->delimiter, ==, '\t');
  g_assert_cmpuint (result->records->len, ==, 3);
  assert_record (result, 0, 1, "case_ref", "area", "notes", NULL);
  assert_record (result, 1, 2, "A1", "north", "a,b;c", NULL);
  assert_record (result, 2, 3, "A2", "south, east", "tab\there", NULL);
}

static void
test_line_numbers (void)
{
  g_autoptr(ReadResult) result = read_fixture ("line-numbers.csv");

  g_assert_no_error (result->error);
  g_assert_cmpuint (result->records->len, ==, 5);
  assert_record (result, 0, 1, "a", "b", NULL);
  assert_record (result, 1, 2, "1", "x\ny", NULL);
  /* lines 4 and 5 are blank; the blank line 7 is inside quotes, so data */
  assert_record (result, 2, 6, "2", "p\n\nq", NULL);
  assert_record (result, 3, 9, "3", "z", NULL);
  /* line 10 is a blank CRLF line; line 11 has no line end */
  assert_record (result, 4, 11, "4", "w", NULL);
}

static void
assert_failure (ReadResult *result,
                guint       n_records,
                gint        code,
                const char *where)
{
  g_assert_error (result->error, CB_CSV_READER_ERROR, code);
  g_assert_cmpuint (result->records->len, ==, n_records);
  g_test_message ("message: %s", result->error->message);
  g_assert_true (g_str_has_prefix (result->error->message, where));
}

static void
test_unterminated_quote (void)
{
  g_autoptr(ReadResult) result = read_fixture ("unterminated-quote.csv");

  assert_failure (result, 2, CB_CSV_READER_ERROR_UNTERMINATED_QUOTE,
                  "unterminated-quote.csv, line 3: ");
  g_assert_nonnull (strstr (result->error->message, "\""));
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(ReadResult) result = read_fixture ("invalid-utf8.csv");

  /* The bad byte is on line 4, after a record spanning lines 2 and 3. */
  assert_failure (result, 2, CB_CSV_READER_ERROR_INVALID_UTF8, "invalid-utf8.csv, line 4: ");
}

static void
test_invalid_utf8_in_quoted_field (void)
{
  g_autoptr(ReadResult) result = read_string ("a,b\n1,\"x\ny\xff\"\n", -1);

  /* The record starts on line 2; the bad byte is on line 3. */
  assert_failure (result, 1, CB_CSV_READER_ERROR_INVALID_UTF8, "test.csv, line 3: ");
}

static void
test_split_character (void)
{
  /* "é" is C3 A9: each half alone is invalid, the two together are not. */
  g_autoptr(ReadResult) result = read_string ("a,b\n\xc3,\xa9\n", -1);

  assert_failure (result, 1, CB_CSV_READER_ERROR_INVALID_UTF8, "test.csv, line 2: ");
}

static void
test_nul_byte (void)
{
  static const char text[] = "a,b\n1,2\n3,x\0y\n";
  g_autoptr(ReadResult) result = read_string (text, sizeof text - 1);

  assert_failure (result, 2, CB_CSV_READER_ERROR_INVALID_UTF8, "test.csv, line 3: ");
}

/* Records are checked eight bytes at a time when they are plain ASCII:
 * a bad byte must be found wherever it falls in a word or in the tail,
 * and text with characters of several bytes must still read. */
static void
test_bad_byte_at_every_position (void)
{
  static const char *bad_bytes[] = { "\x80", "\xff", "\xc3", "\xe2\x82" };
  static const char good[] = "Caf\xc3\xa9 \xe2\x82\xac" "5";

  for (guint at = 0; at < 24; at++)
    {
      for (guint b = 0; b < G_N_ELEMENTS (bad_bytes) + 1; b++)
        {
          g_autoptr(GString) text = g_string_new ("a,b\n1,");
          g_autoptr(ReadResult) result = NULL;
          gsize len;

          for (guint i = 0; i < 24; i++)
            {
              if (i != at)
                g_string_append_c (text, 'x');
              else if (b < G_N_ELEMENTS (bad_bytes))
                g_string_append (text, bad_bytes[b]);
              else
                g_string_append_len (text, "\0", 1);   /* a zero byte */
            }
          g_string_append (text, "\n2,ok\n");
          len = text->len;

          result = read_string (text->str, len);
          assert_failure (result, 1, CB_CSV_READER_ERROR_INVALID_UTF8, "test.csv, line 2: ");
        }
    }

  for (guint at = 0; at < 16; at++)
    {
      g_autoptr(GString) text = g_string_new ("a,b\n1,");
      g_autoptr(ReadResult) result = NULL;

      for (guint i = 0; i < at; i++)
        g_string_append_c (text, 'x');
      g_string_append (text, good);
      g_string_append (text, "\n");

      result = read_string (text->str, -1);
      g_assert_no_error (result->error);
      g_assert_cmpuint (result->records->len, ==, 2);
      g_assert_true (g_str_has_suffix (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (result->records, 1), 1), good));
    }
}

static void
test_stray_quote (void)
{
  g_autoptr(ReadResult) result = read_fixture ("stray-quote.csv");

  assert_failure (result, 1, CB_CSV_READER_ERROR_BAD_QUOTE, "stray-quote.csv, line 2: ");
}

static void
test_stray_cr_after_quote (void)
{
  g_autoptr(ReadResult) result = read_string ("a,b\n\"1\"\rx,2\n", -1);

  assert_failure (result, 1, CB_CSV_READER_ERROR_BAD_QUOTE, "test.csv, line 2: ");
}

static void
test_errors_repeat (void)
{
  g_autoptr(GInputStream) stream =
    g_memory_input_stream_new_from_data ("a\n\"open\n", -1, NULL);
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new (stream, "again.csv");
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) first = NULL;
  g_autoptr(GError) second = NULL;

  g_assert_true (cb_csv_reader_next (reader, &fields, NULL, NULL));
  g_clear_pointer (&fields, g_ptr_array_unref);
  g_assert_false (cb_csv_reader_next (reader, &fields, NULL, &first));
  g_assert_false (cb_csv_reader_next (reader, &fields, NULL, &second));
  g_assert_null (fields);
  g_assert_error (second, CB_CSV_READER_ERROR, CB_CSV_READER_ERROR_UNTERMINATED_QUOTE);
  g_assert_cmpstr (first->message, ==, second->message);
}

static void
test_empty (void)
{
  g_autoptr(ReadResult) file = read_fixture ("empty.csv");
  g_autoptr(ReadResult) bom_only = read_string ("\xef\xbb\xbf", -1);
  g_autoptr(ReadResult) blank_lines = read_string ("\n\r\n\n", -1);

  g_assert_no_error (file->error);
  g_assert_cmpuint (file->records->len, ==, 0);
  g_assert_cmpint (file->bytes_read, ==, 0);
  g_assert_no_error (bom_only->error);
  g_assert_cmpuint (bom_only->records->len, ==, 0);
  g_assert_no_error (blank_lines->error);
  g_assert_cmpuint (blank_lines->records->len, ==, 0);
}

static void
test_end_of_input_is_sticky (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("a", -1, NULL);
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new (stream, "once.csv");
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_csv_reader_next (reader, &fields, NULL, &error));
  g_clear_pointer (&fields, g_ptr_array_unref);
  g_assert_false (cb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_false (cb_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fields);
}

/* ------------------------------------------------------------------ */
/* Quoting and line ends                                               */
/* ------------------------------------------------------------------ */

static const char quoting_sample[] =
  "h1,h2,h3\r\n"
  "\"a\"\"b\",\"\",plain\r\n"
  "\"cr\rinside\",\"crlf\r\ninside\",\"lf\ninside\"\n"
  "lone\rcr,x\"y,\"\"\"\"\r\n"
  "\r\n"
  ",,\n"
  "\"last\",\"\"\r";

static void
test_quoting (void)
{
  g_autoptr(ReadResult) result = read_string (quoting_sample, -1);

  g_assert_no_error (result->error);
  g_assert_cmpuint (result->records->len, ==, 6);
  assert_record (result, 0, 1, "h1", "h2", "h3", NULL);
  assert_record (result, 1, 2, "a\"b", "", "plain", NULL);
  /* A lone CR is not a line end: this record spans lines 3 to 5. */
  assert_record (result, 2, 3, "cr\rinside", "crlf\r\ninside", "lf\ninside", NULL);
  assert_record (result, 3, 6, "lone\rcr", "x\"y", "\"", NULL);
  /* line 7 is a blank CRLF line */
  assert_record (result, 4, 8, "", "", "", NULL);
  assert_record (result, 5, 9, "last", "", NULL);
}

static void
test_trailing_delimiter (void)
{
  g_autoptr(ReadResult) result = read_string ("a,b\n1,", -1);

  g_assert_no_error (result->error);
  assert_record (result, 1, 2, "1", "", NULL);
}

/* Every fixture, the quoting sample and a few tricky strings, read one
 * byte (and a few bytes) at a time, must come out exactly as when read
 * in one piece: fields, line numbers, delimiter, errors.
 */
static void
check_chunking (GBytes *bytes)
{
  static const gsize chunks[] = { 1, 2, 3, 5, 7 };
  g_autoptr(ReadResult) whole = read_bytes (bytes, G_MAXSIZE, "chunks.csv");

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(ReadResult) pieces = read_bytes (bytes, chunks[i], "chunks.csv");

      assert_results_equal (whole, pieces);
    }
}

static void
test_chunk_boundaries (void)
{
  static const char *fixtures[] = {
    "bom-crlf-semicolon.csv", "tab.csv", "line-numbers.csv", "unterminated-quote.csv",
    "invalid-utf8.csv", "stray-quote.csv", "empty.csv",
  };
  static const char *samples[] = {
    quoting_sample,
    "\xef\xbb\xbf\"x;y\";b;c\r\n\"1\r\n\";\"\"\"\";\xc3\xa9\r\n",
    "a,b\n\"1\"\r\n\"2\"\r",
    "\xef\xbb",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GBytes) bytes = load_fixture (fixtures[i]);

      check_chunking (bytes);
    }

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (samples[i], strlen (samples[i]));

      check_chunking (bytes);
    }
}

/* ------------------------------------------------------------------ */
/* Delimiters                                                          */
/* ------------------------------------------------------------------ */

static char
detect (const char *text)
{
  g_autoptr(ReadResult) result = read_string (text, -1);

  g_assert_no_error (result->error);
  return result->delimiter;
}

static void
test_delimiter_detection (void)
{
  g_assert_cmpint (detect ("a,b,c\n1;2;3;4;5\n"), ==, ',');
  g_assert_cmpint (detect ("a;b;c\n1,2,3,4,5\n"), ==, ';');
  g_assert_cmpint (detect ("\"x,y\";\"z,w\";q\n"), ==, ';');
  g_assert_cmpint (detect ("a\tb;c\td\n"), ==, '\t');
  g_assert_cmpint (detect ("a,b;c\n"), ==, ',');
  g_assert_cmpint (detect ("single\n"), ==, ',');
  g_assert_cmpint (detect (""), ==, ',');
  /* decided on the first line only, even when the header has one column */
  g_assert_cmpint (detect ("ref\nx;y;z\n"), ==, ',');
}

/* A header longer than one read chunk: its first 64 KiB hold more commas
 * than semicolons, the whole line more semicolons, so the delimiter comes
 * out right only if the whole line is looked at.
 */
static void
test_long_header (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(ReadResult) result = NULL;
  GPtrArray *header;

  for (guint i = 0; i < 640; i++)
    g_string_append_printf (text, "%s%0100u", i ? "," : "", i);
  g_assert_cmpuint (text->len, <, 64 * 1024);
  for (guint i = 0; i < 700; i++)
    g_string_append_printf (text, ";col%04u", i);
  g_assert_cmpuint (text->len, >, 64 * 1024);
  g_string_append (text, "\nx\n");

  result = read_string (text->str, text->len);
  g_assert_no_error (result->error);
  g_assert_cmpint (result->delimiter, ==, ';');
  header = g_ptr_array_index (result->records, 0);
  g_assert_cmpuint (header->len, ==, 701);
  g_assert_cmpuint (strlen (g_ptr_array_index (header, 0)), ==, 640 * 101 - 1);
  g_assert_cmpstr (g_ptr_array_index (header, 700), ==, "col0699");
  assert_record (result, 1, 2, "x", NULL);
}

static void
test_forced_delimiter (void)
{
  g_autoptr(GInputStream) stream =
    g_memory_input_stream_new_from_data ("a|b,c\n1|2,3\n", -1, NULL);
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new (stream, "pipes.csv");
  g_autoptr(ReadResult) result = NULL;

  g_assert_cmpint (cb_csv_reader_get_delimiter (reader), ==, 0);
  cb_csv_reader_set_delimiter (reader, '|');
  result = read_all (reader);
  g_assert_no_error (result->error);
  g_assert_cmpint (result->delimiter, ==, '|');
  assert_record (result, 0, 1, "a", "b,c", NULL);
  assert_record (result, 1, 2, "1", "2,3", NULL);
}

/* ------------------------------------------------------------------ */
/* Limits, files, cancellation                                         */
/* ------------------------------------------------------------------ */

static void
test_too_many_fields (void)
{
  g_autoptr(GString) text = g_string_new ("a\n");
  g_autoptr(ReadResult) at_limit = NULL;
  g_autoptr(ReadResult) over = NULL;

  /* line 2 has exactly the most fields allowed, line 3 one more */
  for (guint i = 1; i < CB_CSV_READER_MAX_FIELDS; i++)
    g_string_append_c (text, ',');
  g_string_append_c (text, '\n');
  at_limit = read_string (text->str, text->len);
  g_assert_no_error (at_limit->error);
  g_assert_cmpuint (((GPtrArray *)g_ptr_array_index (at_limit->records, 1))->len,
                    ==, CB_CSV_READER_MAX_FIELDS);

  for (guint i = 0; i < CB_CSV_READER_MAX_FIELDS; i++)
    g_string_append_c (text, ',');
  g_string_append_c (text, '\n');
  over = read_string (text->str, text->len);
  assert_failure (over, 2, CB_CSV_READER_ERROR_TOO_MANY_FIELDS, "test.csv, line 3: ");
}

static void
test_record_too_large (void)
{
  gsize size = CB_CSV_READER_MAX_RECORD_BYTES + 10;
  g_autofree char *text = g_malloc (size);
  g_autoptr(ReadResult) quoted = NULL;
  g_autoptr(ReadResult) unquoted = NULL;

  /* A quote that is never closed swallows the rest of the file. */
  memcpy (text, "a\nb\n\"", 5);
  memset (text + 5, 'x', size - 5);
  quoted = read_string (text, size);
  assert_failure (quoted, 2, CB_CSV_READER_ERROR_RECORD_TOO_LARGE, "test.csv, line 3: ");

  text[4] = 'x';
  unquoted = read_string (text, size);
  assert_failure (unquoted, 2, CB_CSV_READER_ERROR_RECORD_TOO_LARGE, "test.csv, line 3: ");
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new_for_path ("/nonexistent/cases.csv", &error);

  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_cancelled (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("a,b\n", -1, NULL);
  g_autoptr(CbCsvReader) reader = cb_csv_reader_new (stream, "cancel.csv");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (cb_csv_reader_next (reader, &fields, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (fields);
}

/* ------------------------------------------------------------------ */
/* Benchmark (-m perf): 156,000 rows of 36 columns, about 60 MB        */
/* ------------------------------------------------------------------ */

#define PERF_ROWS    156000
#define PERF_COLUMNS 36

static void
write_perf_row (FILE  *out,
                guint  row)
{
  static const char *areas[] = { "north_east", "london", "wales", "south_west" };

  fprintf (out, "CB-%07u,%s,%04u-%02u-%02u,%s,%u", row, areas[row % 4],
           2015 + row % 10, 1 + row % 12, 1 + row % 28, row % 3 ? "yes" : "no", row % 97);
  for (guint c = 5; c < PERF_COLUMNS - 1; c++)
    fprintf (out, ",code_%u", (row + c) % 1000);
  if (row % 50 == 0)
    fprintf (out, ",\"said \"\"no\"\", then,\nagreed on review of the plan with the service\"\n");
  else
    fprintf (out, ",\"seen at the hub, referred on to the community drug service for review\"\n");
}

static void
test_perf (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("casebook-csv-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(CbCsvReader) reader = NULL;
  g_autoptr(GTimer) timer = NULL;
  GPtrArray *fields = NULL;
  guint rows = 0;
  FILE *out;
  double seconds;

  g_assert_no_error (error);
  path = g_build_filename (dir, "big.csv", NULL);
  out = g_fopen (path, "w");
  g_assert_nonnull (out);
  for (guint row = 0; row < PERF_ROWS; row++)
    write_perf_row (out, row);
  g_assert_cmpint (fclose (out), ==, 0);

  reader = cb_csv_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  timer = g_timer_new ();
  while (cb_csv_reader_next (reader, &fields, NULL, &error))
    {
      g_assert_cmpuint (fields->len, ==, PERF_COLUMNS);
      g_ptr_array_unref (fields);
      rows++;
    }
  seconds = g_timer_elapsed (timer, NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, PERF_ROWS);
  g_test_minimized_result (seconds, "parsed %u rows, %.1f MB in %.3f s",
                           rows, cb_csv_reader_get_bytes_read (reader) / 1e6, seconds);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv-reader/json-reader", test_json_reader);
  g_test_add_func ("/csv-reader/spectrum", test_spectrum);
  g_test_add_func ("/csv-reader/packed-matches", test_packed_matches);
  g_test_add_func ("/csv-reader/bom-crlf-semicolon", test_bom_crlf_semicolon);
  g_test_add_func ("/csv-reader/tab", test_tab);
  g_test_add_func ("/csv-reader/line-numbers", test_line_numbers);
  g_test_add_func ("/csv-reader/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/csv-reader/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/csv-reader/invalid-utf8-in-quoted-field", test_invalid_utf8_in_quoted_field);
  g_test_add_func ("/csv-reader/bad-byte-at-every-position", test_bad_byte_at_every_position);
  g_test_add_func ("/csv-reader/split-character", test_split_character);
  g_test_add_func ("/csv-reader/nul-byte", test_nul_byte);
  g_test_add_func ("/csv-reader/stray-quote", test_stray_quote);
  g_test_add_func ("/csv-reader/stray-cr-after-quote", test_stray_cr_after_quote);
  g_test_add_func ("/csv-reader/errors-repeat", test_errors_repeat);
  g_test_add_func ("/csv-reader/empty", test_empty);
  g_test_add_func ("/csv-reader/end-of-input-is-sticky", test_end_of_input_is_sticky);
  g_test_add_func ("/csv-reader/quoting", test_quoting);
  g_test_add_func ("/csv-reader/trailing-delimiter", test_trailing_delimiter);
  g_test_add_func ("/csv-reader/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/csv-reader/delimiter-detection", test_delimiter_detection);
  g_test_add_func ("/csv-reader/long-header", test_long_header);
  g_test_add_func ("/csv-reader/forced-delimiter", test_forced_delimiter);
  g_test_add_func ("/csv-reader/too-many-fields", test_too_many_fields);
  g_test_add_func ("/csv-reader/record-too-large", test_record_too_large);
  g_test_add_func ("/csv-reader/missing-file", test_missing_file);
  g_test_add_func ("/csv-reader/cancelled", test_cancelled);
  if (g_test_perf ())
    g_test_add_func ("/csv-reader/perf", test_perf);

  return g_test_run ();
}
