/* cb-utf8-private.h — UTF-8 checks for the model's bulk readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

#define CB_UTF8_HIGH_BITS G_GUINT64_CONSTANT (0x8080808080808080)
#define CB_UTF8_LOW_BITS  G_GUINT64_CONSTANT (0x0101010101010101)

/* Whether @len bytes at @text are ASCII with no zero byte: then they are
 * valid UTF-8 text with nothing to decode. Eight bytes are looked at a
 * time; an import checks every byte of a file this way, and almost all
 * of a case file is ASCII. */
static inline gboolean
_cb_utf8_is_plain_ascii (const char *text,
                         gsize       len)
{
  const guint8 *bytes = (const guint8 *) text;
  gsize i = 0;

  for (; i + sizeof (guint64) <= len; i += sizeof (guint64))
    {
      guint64 word;

      memcpy (&word, bytes + i, sizeof word);
      /* A high bit set, or a zero byte (the borrow from subtracting one
       * from each byte reaches the high bit only where the byte was 0). */
      if ((word & CB_UTF8_HIGH_BITS) != 0 ||
          ((word - CB_UTF8_LOW_BITS) & ~word & CB_UTF8_HIGH_BITS) != 0)
        return FALSE;
    }

  for (; i < len; i++)
    if (bytes[i] == 0 || bytes[i] >= 0x80)
      return FALSE;

  return TRUE;
}

/* g_utf8_validate_len(), with ASCII text passed at once. */
static inline gboolean
_cb_utf8_validate_len (const char  *text,
                       gsize        len,
                       const char **end)
{
  if (_cb_utf8_is_plain_ascii (text, len))
    {
      if (end != NULL)
        *end = text + len;
      return TRUE;
    }

  return g_utf8_validate_len (text, len, end);
}

G_END_DECLS
