/* cb-csv-reader.c — a streaming RFC 4180 reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader keeps one read buffer (64 KiB, larger only while the header
 * line is looked at) and one record buffer (at most 1 MiB), so memory does
 * not grow with the file. The bytes of each record's fields are gathered
 * one after the other in the record buffer, with the end offset of each
 * field; a record is checked for UTF-8 once, then cut into strings.
 *
 * Line ends are LF and CRLF. A CR not followed by LF outside quotes is kept
 * as data; inside quotes every byte is data, CR LF included. Line numbers
 * count LF bytes, so a CR LF inside a quoted field counts as one line.
 */
#define G_LOG_DOMAIN "casebook-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cb-csv-reader.h"
#include "cb-utf8-private.h"

#define READ_CHUNK (64 * 1024)

typedef enum
{
  STATE_FIELD_START,     /* nothing of the current field read yet */
  STATE_UNQUOTED,        /* inside a field that did not start with a quote */
  STATE_QUOTED,          /* inside a quoted field */
  STATE_QUOTE_IN_QUOTED, /* a quote seen in a quoted field: "" or the end? */
  STATE_AFTER_QUOTE_CR,  /* a closing quote, then CR: LF must follow */
} ParseState;

typedef enum
{
  STEP_MORE,   /* the buffer is used up; read on */
  STEP_RECORD, /* a record is complete */
  STEP_ERROR,
} StepResult;

struct _CbCsvReader
{
  GObject       parent_instance;

  GInputStream *stream;
  char         *display_name;

  /* Read buffer: bytes [buf_pos, buf_len) are not parsed yet. */
  guint8       *buf;
  gsize         buf_cap;
  gsize         buf_pos;
  gsize         buf_len;
  goffset       bytes_read;

  /* The record being gathered. */
  char         *rec;
  gsize         rec_len;
  gsize         rec_cap;
  gsize        *field_ends;
  guint         n_fields;
  ParseState    state;

  guint         line;         /* physical line of the parse position */
  guint         record_line;  /* line where the record being parsed started */
  guint         quote_line;   /* line where the open quoted field started */
  guint         last_line;    /* line of the last returned record */

  char          delimiter;    /* 0 until detected or forced */
  guint         started : 1;  /* BOM and delimiter handled */
  guint         eof : 1;
  guint         done : 1;     /* end of input returned, or failed */
  GError       *failure;      /* repeated on every call after a failure */
};

enum {
  PROP_0,
  PROP_STREAM,
  PROP_DISPLAY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CbCsvReader, cb_csv_reader, G_TYPE_OBJECT)

G_DEFINE_QUARK (cb-csv-reader-error-quark, cb_csv_reader_error)

static void
cb_csv_reader_finalize (GObject *object)
{
  CbCsvReader *self = (CbCsvReader *)object;

  g_clear_object (&self->stream);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->buf, g_free);
  g_clear_pointer (&self->rec, g_free);
  g_clear_pointer (&self->field_ends, g_free);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (cb_csv_reader_parent_class)->finalize (object);
}

static void
cb_csv_reader_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CbCsvReader *self = CB_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_csv_reader_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CbCsvReader *self = CB_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;

    case PROP_DISPLAY_NAME:
      g_free (self->display_name);
      self->display_name = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_csv_reader_class_init (CbCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_csv_reader_finalize;
  object_class->get_property = cb_csv_reader_get_property;
  object_class->set_property = cb_csv_reader_set_property;

  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL,
                         G_TYPE_INPUT_STREAM,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_csv_reader_init (CbCsvReader *self)
{
  self->buf_cap = READ_CHUNK;
  self->buf = g_malloc (self->buf_cap);
  self->rec_cap = 4096;
  self->rec = g_malloc (self->rec_cap);
  self->field_ends = g_new (gsize, CB_CSV_READER_MAX_FIELDS);
  self->line = 1;
}

/**
 * cb_csv_reader_new:
 * @stream: the CSV bytes
 * @display_name: (nullable): how to name the file in error messages,
 *   usually its basename
 *
 * Returns: (transfer full): a reader that will read @stream from its
 *   current position
 */
CbCsvReader *
cb_csv_reader_new (GInputStream *stream,
                   const char   *display_name)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (CB_TYPE_CSV_READER,
                       "stream", stream,
                       "display-name", display_name,
                       NULL);
}

/**
 * cb_csv_reader_new_for_path:
 * @path: a file name in the GLib file name encoding
 * @error: where to put a failure to open the file
 *
 * Returns: (transfer full) (nullable): a reader over the file at @path,
 *   which names the file by its basename in messages
 */
CbCsvReader *
cb_csv_reader_new_for_path (const char  *path,
                            GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;

  basename = g_path_get_basename (path);
  display_name = g_filename_display_name (basename);

  return cb_csv_reader_new (G_INPUT_STREAM (stream), display_name);
}

static const char *
reader_name (CbCsvReader *self)
{
  return self->display_name != NULL ? self->display_name : _("CSV file");
}

static StepResult
fail (CbCsvReader  *self,
      GError      **error,
      gint          code,
      guint         line,
      const char   *reason)
{
  /* Translators: file name, line number, then what is wrong there */
  g_set_error (&self->failure, CB_CSV_READER_ERROR, code,
               _("%s, line %u: %s"), reader_name (self), line, reason);
  g_propagate_error (error, g_error_copy (self->failure));
  self->done = TRUE;
  return STEP_ERROR;
}

/* Reads more bytes after buf_len, making room at the front first.
 * Returns the number of bytes added, 0 at end of input, -1 on error.
 */
static gssize
read_more (CbCsvReader   *self,
           GCancellable  *cancellable,
           GError       **error)
{
  gssize n;

  if (self->eof)
    return 0;

  /* Not every stream checks; memory and local files often do not. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  if (self->buf_pos > 0)
    {
      memmove (self->buf, self->buf + self->buf_pos, self->buf_len - self->buf_pos);
      self->buf_len -= self->buf_pos;
      self->buf_pos = 0;
    }

  g_assert (self->buf_len < self->buf_cap);

  n = g_input_stream_read (self->stream,
                           self->buf + self->buf_len,
                           self->buf_cap - self->buf_len,
                           cancellable, error);
  if (n < 0)
    {
      g_prefix_error (error, "%s: ", reader_name (self));
      return -1;
    }

  if (n == 0)
    self->eof = TRUE;

  self->buf_len += n;
  self->bytes_read += n;
  return n;
}

/* The header line decides the delimiter: the most frequent of , ; TAB
 * outside quotes, with ties going to the earlier one in that list.
 */
static char
count_delimiters (const guint8 *line,
                  gsize         len)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0, };
  gboolean in_quotes = FALSE;
  guint best = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (line[i] == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes)
        for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
          counts[c] += line[i] == (guint8)candidates[c];
    }

  for (guint c = 1; c < G_N_ELEMENTS (candidates); c++)
    if (counts[c] > counts[best])
      best = c;

  return candidates[best];
}

/* Makes sure the whole first line is in the buffer, growing it if the
 * header is longer than a chunk (up to the record limit; past that the
 * delimiter is decided on what was read, and the record limit will fail).
 * Returns the length of the line from buf_pos, without its LF; -1 on error.
 */
static gssize
buffer_first_line (CbCsvReader   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gboolean in_quotes = FALSE;
  gsize scanned = 0;

  for (;;)
    {
      const guint8 *line = self->buf + self->buf_pos;

      for (; scanned < self->buf_len - self->buf_pos; scanned++)
        {
          if (line[scanned] == '"')
            in_quotes = !in_quotes;
          else if (line[scanned] == '\n' && !in_quotes)
            return scanned;
        }

      if (self->eof)
        return scanned;

      /* read_more() makes room by itself when buf_pos > 0 */
      if (self->buf_len == self->buf_cap && self->buf_pos == 0)
        {
          if (self->buf_cap > CB_CSV_READER_MAX_RECORD_BYTES)
            return scanned;
          self->buf_cap *= 2;
          self->buf = g_realloc (self->buf, self->buf_cap);
        }

      if (read_more (self, cancellable, error) < 0)
        return -1;
    }
}

static gboolean
skip_bom (CbCsvReader   *self,
          GCancellable  *cancellable,
          GError       **error)
{
  static const guint8 bom[] = { 0xEF, 0xBB, 0xBF };

  while (self->buf_len < sizeof bom && !self->eof)
    if (read_more (self, cancellable, error) < 0)
      return FALSE;

  if (self->buf_len >= sizeof bom && memcmp (self->buf, bom, sizeof bom) == 0)
    self->buf_pos = sizeof bom;

  return TRUE;
}

static gboolean
start (CbCsvReader   *self,
       GCancellable  *cancellable,
       GError       **error)
{
  if (!skip_bom (self, cancellable, error))
    return FALSE;

  if (self->delimiter == 0)
    {
      gssize len = buffer_first_line (self, cancellable, error);

      if (len < 0)
        return FALSE;
      self->delimiter = count_delimiters (self->buf + self->buf_pos, len);
      g_debug ("%s: delimiter %#x", reader_name (self), (guint)self->delimiter);
    }

  self->started = TRUE;
  return TRUE;
}

/* Makes room for @len more bytes of record, or fails past the limit. */
static G_GNUC_NO_INLINE StepResult
grow_record (CbCsvReader  *self,
             gsize         len,
             GError      **error)
{
  if (self->rec_len + len > CB_CSV_READER_MAX_RECORD_BYTES)
    {
      if (self->state == STATE_QUOTED)
        return fail (self, error, CB_CSV_READER_ERROR_RECORD_TOO_LARGE, self->quote_line,
                     _("a quoted field starting here runs on for more than 1 MiB; "
                       "check for a missing \""));
      return fail (self, error, CB_CSV_READER_ERROR_RECORD_TOO_LARGE, self->record_line,
                   _("a record is larger than 1 MiB; is this really a CSV file?"));
    }

  while (self->rec_len + len > self->rec_cap)
    self->rec_cap *= 2;
  self->rec = g_realloc (self->rec, self->rec_cap);
  return STEP_MORE;
}

/* Called for every field: the common case is only a copy. */
static inline StepResult
append (CbCsvReader   *self,
        const guint8  *bytes,
        gsize          len,
        GError       **error)
{
  if (G_UNLIKELY (self->rec_len + len > self->rec_cap) &&
      grow_record (self, len, error) == STEP_ERROR)
    return STEP_ERROR;

  memcpy (self->rec + self->rec_len, bytes, len);
  self->rec_len += len;
  return STEP_MORE;
}

static StepResult
end_field (CbCsvReader  *self,
           GError      **error)
{
  if (G_UNLIKELY (self->n_fields == CB_CSV_READER_MAX_FIELDS))
    return fail (self, error, CB_CSV_READER_ERROR_TOO_MANY_FIELDS, self->record_line,
                 _("a record has more than 1000 fields; "
                   "check that the file is a CSV file with one case per line"));

  self->field_ends[self->n_fields++] = self->rec_len;
  self->state = STATE_FIELD_START;
  return STEP_MORE;
}

static void
start_record (CbCsvReader *self)
{
  self->rec_len = 0;
  self->n_fields = 0;
  self->state = STATE_FIELD_START;
  self->record_line = self->line;
}

static gsize
current_field_start (CbCsvReader *self)
{
  return self->n_fields > 0 ? self->field_ends[self->n_fields - 1] : 0;
}

/* A line end outside quotes: the record ends, unless nothing at all was on
 * the line, which is a blank line and no record.
 */
static StepResult
end_unquoted_line (CbCsvReader  *self,
                   GError      **error)
{
  gsize field_start = current_field_start (self);

  if (self->rec_len > field_start && self->rec[self->rec_len - 1] == '\r')
    self->rec_len--;

  if (self->n_fields == 0 && self->rec_len == 0)
    {
      start_record (self);
      return STEP_MORE;
    }

  if (end_field (self, error) == STEP_ERROR)
    return STEP_ERROR;
  return STEP_RECORD;
}

/* Reads unquoted fields one after another until a line end, a field that
 * opens with a quote, or the end of what was read: most records are only
 * that, and going back through step() for each field cost as much as
 * scanning it. */
static StepResult
step_unquoted (CbCsvReader  *self,
               GError      **error)
{
  const guint8 *p = self->buf + self->buf_pos;
  const guint8 *end = self->buf + self->buf_len;
  const guint8 delim = (guint8)self->delimiter;

  for (;;)
    {
      const guint8 *q = p;

      while (q < end && *q != delim && *q != '\n')
        q++;

      if (append (self, p, q - p, error) == STEP_ERROR)
        return STEP_ERROR;

      self->buf_pos = q - self->buf;
      if (q == end)
        return STEP_MORE;

      self->buf_pos++;
      if (*q == '\n')
        {
          self->line++;
          return end_unquoted_line (self, error);
        }

      if (end_field (self, error) == STEP_ERROR)
        return STEP_ERROR;

      /* The next field: step() opens a quoted one, or reads on. */
      p = q + 1;
      if (p == end || *p == '"')
        return STEP_MORE;
      self->state = STATE_UNQUOTED;
    }
}

static guint
count_newlines (const guint8 *p,
                const guint8 *end)
{
  guint n = 0;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      n++;
      p++;
    }

  return n;
}

static StepResult
step_quoted (CbCsvReader  *self,
             GError      **error)
{
  const guint8 *p = self->buf + self->buf_pos;
  const guint8 *end = self->buf + self->buf_len;
  const guint8 *q = memchr (p, '"', end - p);

  if (q == NULL)
    q = end;

  /* Append first, so an over-long field is blamed on its opening line. */
  if (append (self, p, q - p, error) == STEP_ERROR)
    return STEP_ERROR;

  self->line += count_newlines (p, q);
  self->buf_pos = q - self->buf;
  if (q < end)
    {
      self->buf_pos++;
      self->state = STATE_QUOTE_IN_QUOTED;
    }

  return STEP_MORE;
}

static StepResult
bad_quote (CbCsvReader  *self,
           GError      **error)
{
  return fail (self, error, CB_CSV_READER_ERROR_BAD_QUOTE, self->line,
               _("there is text after the closing quote of a field; "
                 "a quote inside a quoted field must be doubled (\"\")"));
}

static StepResult
end_quoted_line (CbCsvReader  *self,
                 GError      **error)
{
  self->buf_pos++;
  self->line++;
  if (end_field (self, error) == STEP_ERROR)
    return STEP_ERROR;
  return STEP_RECORD;
}

static StepResult
step_quote_in_quoted (CbCsvReader  *self,
                      GError      **error)
{
  guint8 c = self->buf[self->buf_pos];

  if (c == '"')
    {
      self->buf_pos++;
      self->state = STATE_QUOTED;
      return append (self, &c, 1, error);
    }

  if (c == (guint8)self->delimiter)
    {
      self->buf_pos++;
      return end_field (self, error);
    }

  if (c == '\n')
    return end_quoted_line (self, error);

  if (c == '\r')
    {
      self->buf_pos++;
      self->state = STATE_AFTER_QUOTE_CR;
      return STEP_MORE;
    }

  return bad_quote (self, error);
}

static StepResult
step (CbCsvReader  *self,
      GError      **error)
{
  switch (self->state)
    {
    case STATE_FIELD_START:
      if (self->buf[self->buf_pos] == '"')
        {
          self->buf_pos++;
          self->quote_line = self->line;
          self->state = STATE_QUOTED;
          return STEP_MORE;
        }
      self->state = STATE_UNQUOTED;
      G_GNUC_FALLTHROUGH;

    case STATE_UNQUOTED:
      return step_unquoted (self, error);

    case STATE_QUOTED:
      return step_quoted (self, error);

    case STATE_QUOTE_IN_QUOTED:
      return step_quote_in_quoted (self, error);

    case STATE_AFTER_QUOTE_CR:
      if (self->buf[self->buf_pos] == '\n')
        return end_quoted_line (self, error);
      return bad_quote (self, error);

    default:
      g_assert_not_reached ();
    }
}

/* The input ended: finish the record in progress, if there is one. */
static StepResult
step_at_end (CbCsvReader  *self,
             GError      **error)
{
  switch (self->state)
    {
    case STATE_FIELD_START:
      if (self->n_fields == 0)
        return STEP_MORE;
      break;

    case STATE_UNQUOTED:
      return end_unquoted_line (self, error);

    case STATE_QUOTED:
      return fail (self, error, CB_CSV_READER_ERROR_UNTERMINATED_QUOTE, self->quote_line,
                   _("a quoted field is never closed; check for a missing \""));

    case STATE_QUOTE_IN_QUOTED:
    case STATE_AFTER_QUOTE_CR:
      break;

    default:
      g_assert_not_reached ();
    }

  if (end_field (self, error) == STEP_ERROR)
    return STEP_ERROR;
  return STEP_RECORD;
}

/* The whole record is checked at once; then no field may begin in the
 * middle of a character (two halves of one character in two fields would
 * pass the first check). Returns the first bad byte, or NULL.
 */
static const char *
find_invalid_utf8 (CbCsvReader *self)
{
  const char *end;

  /* Plain ASCII has no character to cut in two. */
  if (_cb_utf8_is_plain_ascii (self->rec, self->rec_len))
    return NULL;

  if (!g_utf8_validate_len (self->rec, self->rec_len, &end))
    return end;

  for (guint i = 0; i + 1 < self->n_fields; i++)
    {
      gsize at = self->field_ends[i];

      if (at < self->rec_len && ((guint8)self->rec[at] & 0xC0) == 0x80)
        return self->rec + at;
    }

  return NULL;
}

static StepResult
check_utf8 (CbCsvReader  *self,
            GError      **error)
{
  const char *bad = find_invalid_utf8 (self);
  guint line;

  if (G_LIKELY (bad == NULL))
    return STEP_RECORD;

  line = self->record_line + count_newlines ((const guint8 *)self->rec,
                                             (const guint8 *)bad);
  if (*bad == '\0')
    return fail (self, error, CB_CSV_READER_ERROR_INVALID_UTF8, line,
                 _("the file contains a zero byte; is this really a CSV text file?"));

  return fail (self, error, CB_CSV_READER_ERROR_INVALID_UTF8, line,
               _("the text is not valid UTF-8; save the file as “CSV UTF-8” and try again"));
}

static GPtrArray *
take_record (CbCsvReader *self)
{
  GPtrArray *fields = g_ptr_array_new_full (self->n_fields, g_free);
  gsize start = 0;

  for (guint i = 0; i < self->n_fields; i++)
    {
      gsize len = self->field_ends[i] - start;

      g_ptr_array_add (fields, g_strndup (self->rec + start, len));
      start = self->field_ends[i];
    }

  self->last_line = self->record_line;
  return fields;
}

/* The same record as one block: the pointers, then the text of every
 * field, each ended by a zero byte. One allocation a record instead of
 * one a field: a bulk import reads millions of fields. */
static char **
take_packed_record (CbCsvReader *self)
{
  gsize table_size = (self->n_fields + 1) * sizeof (char *);
  char **fields = g_malloc (table_size + self->rec_len + self->n_fields);
  char *text = (char *) fields + table_size;
  gsize start = 0;

  for (guint i = 0; i < self->n_fields; i++)
    {
      gsize len = self->field_ends[i] - start;

      memcpy (text, self->rec + start, len);
      text[len] = '\0';
      fields[i] = text;
      text += len + 1;
      start = self->field_ends[i];
    }
  fields[self->n_fields] = NULL;

  self->last_line = self->record_line;
  return fields;
}

/* Runs the parser until a record is complete, the input ends, or a
 * failure. Returns STEP_MORE only at the end of the input.
 */
static StepResult
parse_record (CbCsvReader   *self,
              GCancellable  *cancellable,
              GError       **error)
{
  StepResult result;

  start_record (self);

  for (;;)
    {
      if (self->buf_pos == self->buf_len)
        {
          gssize n = read_more (self, cancellable, error);

          if (n < 0)
            return STEP_ERROR;
          if (n == 0)
            return step_at_end (self, error);
        }

      result = step (self, error);
      if (result != STEP_MORE)
        return result;
    }
}

/* Parses the next record into the reader's buffer. Returns TRUE with a
 * record; FALSE at the end of the input (@error not set) or on failure. */
static gboolean
read_record (CbCsvReader   *self,
             GCancellable  *cancellable,
             GError       **error)
{
  StepResult result;

  if (self->done)
    {
      if (self->failure != NULL)
        g_propagate_error (error, g_error_copy (self->failure));
      return FALSE;
    }

  if (!self->started && !start (self, cancellable, error))
    return FALSE;

  result = parse_record (self, cancellable, error);
  if (result == STEP_RECORD)
    result = check_utf8 (self, error);
  if (result == STEP_ERROR)
    return FALSE;

  if (result == STEP_MORE)
    {
      /* parse_record() says MORE only when the input ended between records */
      self->done = TRUE;
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_csv_reader_next:
 * @self: a reader
 * @fields_out: (out) (transfer full): where to put the record, an array of
 *   UTF-8 strings
 * @cancellable: (nullable): to stop a long read
 * @error: where to put a problem in the file or in reading it
 *
 * Reads the next record. Blank lines are skipped.
 *
 * Returns: %TRUE with a record; %FALSE with *@fields_out set to %NULL at
 *   the end of the input (@error not set) or on failure (@error set). After
 *   a failure every call fails the same way.
 */
gboolean
cb_csv_reader_next (CbCsvReader   *self,
                    GPtrArray    **fields_out,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (CB_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (fields_out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *fields_out = NULL;
  if (!read_record (self, cancellable, error))
    return FALSE;

  *fields_out = take_record (self);
  return TRUE;
}

/**
 * cb_csv_reader_next_packed:
 * @self: a reader
 * @fields_out: (out) (transfer full): where to put the record: a
 *   %NULL-terminated array of UTF-8 strings held in a single block, to be
 *   freed with one g_free() (not g_strfreev())
 * @n_fields_out: (out): the number of fields
 * @cancellable: (nullable): to stop a long read
 * @error: where to put a problem in the file or in reading it
 *
 * cb_csv_reader_next(), for readers of many records: each record costs
 * one allocation however many fields it has.
 *
 * Returns: as cb_csv_reader_next()
 */
gboolean
cb_csv_reader_next_packed (CbCsvReader   *self,
                           char        ***fields_out,
                           guint         *n_fields_out,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CB_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (fields_out != NULL, FALSE);
  g_return_val_if_fail (n_fields_out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *fields_out = NULL;
  *n_fields_out = 0;
  if (!read_record (self, cancellable, error))
    return FALSE;

  *fields_out = take_packed_record (self);
  *n_fields_out = self->n_fields;
  return TRUE;
}

/**
 * cb_csv_reader_get_line:
 * @self: a reader
 *
 * Returns: the physical line (from 1) on which the last record returned by
 *   cb_csv_reader_next() started, or 0 before the first
 */
guint
cb_csv_reader_get_line (CbCsvReader *self)
{
  g_return_val_if_fail (CB_IS_CSV_READER (self), 0);

  return self->last_line;
}

/**
 * cb_csv_reader_get_delimiter:
 * @self: a reader
 *
 * Returns: the field delimiter: the forced one, or the one detected from
 *   the header line; 0 if it is to be detected and no record was read yet
 */
char
cb_csv_reader_get_delimiter (CbCsvReader *self)
{
  g_return_val_if_fail (CB_IS_CSV_READER (self), 0);

  return self->delimiter;
}

/**
 * cb_csv_reader_set_delimiter:
 * @self: a reader
 * @delimiter: the field delimiter, or 0 to detect it from the header line
 *
 * Forces the delimiter. Call before the first cb_csv_reader_next().
 */
void
cb_csv_reader_set_delimiter (CbCsvReader *self,
                             char         delimiter)
{
  g_return_if_fail (CB_IS_CSV_READER (self));
  g_return_if_fail (!self->started);
  g_return_if_fail (delimiter != '"' && delimiter != '\n' && delimiter != '\r');

  self->delimiter = delimiter;
}

/**
 * cb_csv_reader_get_bytes_read:
 * @self: a reader
 *
 * Returns: how many bytes were read from the stream so far, for progress
 */
goffset
cb_csv_reader_get_bytes_read (CbCsvReader *self)
{
  g_return_val_if_fail (CB_IS_CSV_READER (self), 0);

  return self->bytes_read;
}

/**
 * cb_csv_reader_get_display_name:
 * @self: a reader
 *
 * Returns: (nullable): the name used for the file in messages
 */
const char *
cb_csv_reader_get_display_name (CbCsvReader *self)
{
  g_return_val_if_fail (CB_IS_CSV_READER (self), NULL);

  return self->display_name;
}
