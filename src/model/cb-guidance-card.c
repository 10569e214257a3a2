/* cb-guidance-card.c — one effective-practice guidance card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card is immutable once CbGuidanceLibrary has parsed it. The card parses
 * its own <card> element (as a GMarkup sub-parser pushed by the library), so
 * the XML shape of a card and the fields it fills live in one file.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#ifndef GETTEXT_PACKAGE
# define GETTEXT_PACKAGE "casebook"
#endif

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-guidance-card.h"

/* State that only exists while the card's XML is being read. */
typedef struct
{
  GStrvBuilder *points;
  GStrvBuilder *prompts;
  GString      *text;       /* text of the open leaf element */
  const char   *leaf;       /* interned name of the open leaf element */
  guint         n_points;
  guint         n_prompts;
  guint         in_figure : 1;
  guint         seen_figure : 1;
  guint         seen_source : 1;
} CardParse;

struct _CbGuidanceCard
{
  GObject    parent_instance;

  char      *id;
  char      *section_id;
  char      *section_title;
  char      *title;
  char      *summary;
  char      *figure_value;
  char      *figure_caption;
  char      *discussion;
  char      *source_seed;
  char      *source_section;
  GStrv      points;
  GStrv      prompts;
  GStrv      takeaways;

  /* Every searchable field, normalised, one per line so that a query word
   * never matches across two fields. */
  char      *haystack;

  CardParse *parse;
};

G_DEFINE_FINAL_TYPE (CbGuidanceCard, cb_guidance_card, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SECTION_ID,
  PROP_SECTION_TITLE,
  PROP_TITLE,
  PROP_SUMMARY,
  PROP_FIGURE_VALUE,
  PROP_FIGURE_CAPTION,
  PROP_DISCUSSION,
  PROP_SOURCE_SEED,
  PROP_SOURCE_SECTION,
  PROP_POINTS,
  PROP_PROMPTS,
  PROP_TAKEAWAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const empty_strv[] = { NULL };

static void
card_parse_free (CardParse *parse)
{
  if (parse == NULL)
    return;

  g_clear_pointer (&parse->points, g_strv_builder_unref);
  g_clear_pointer (&parse->prompts, g_strv_builder_unref);
  if (parse->text != NULL)
    g_string_free (parse->text, TRUE);
  g_free (parse);
}

static void
cb_guidance_card_finalize (GObject *object)
{
  CbGuidanceCard *self = (CbGuidanceCard *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->section_id, g_free);
  g_clear_pointer (&self->section_title, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->figure_value, g_free);
  g_clear_pointer (&self->figure_caption, g_free);
  g_clear_pointer (&self->discussion, g_free);
  g_clear_pointer (&self->source_seed, g_free);
  g_clear_pointer (&self->source_section, g_free);
  g_clear_pointer (&self->points, g_strfreev);
  g_clear_pointer (&self->prompts, g_strfreev);
  g_clear_pointer (&self->takeaways, g_strfreev);
  g_clear_pointer (&self->haystack, g_free);
  g_clear_pointer (&self->parse, card_parse_free);

  G_OBJECT_CLASS (cb_guidance_card_parent_class)->finalize (object);
}

static void
cb_guidance_card_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CbGuidanceCard *self = CB_GUIDANCE_CARD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SECTION_ID:
      g_value_set_string (value, self->section_id);
      break;

    case PROP_SECTION_TITLE:
      g_value_set_string (value, self->section_title);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_FIGURE_VALUE:
      g_value_set_string (value, self->figure_value);
      break;

    case PROP_FIGURE_CAPTION:
      g_value_set_string (value, self->figure_caption);
      break;

    case PROP_DISCUSSION:
      g_value_set_string (value, self->discussion);
      break;

    case PROP_SOURCE_SEED:
      g_value_set_string (value, self->source_seed);
      break;

    case PROP_SOURCE_SECTION:
      g_value_set_string (value, self->source_section);
      break;

    case PROP_POINTS:
      g_value_set_boxed (value, cb_guidance_card_get_points (self));
      break;

    case PROP_PROMPTS:
      g_value_set_boxed (value, cb_guidance_card_get_prompts (self));
      break;

    case PROP_TAKEAWAYS:
      g_value_set_boxed (value, cb_guidance_card_get_takeaways (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name,
                 const char *nick)
{
  return g_param_spec_string (name, nick, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
strv_property (const char *name,
               const char *nick)
{
  return g_param_spec_boxed (name, nick, NULL, G_TYPE_STRV,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
cb_guidance_card_class_init (CbGuidanceCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_guidance_card_finalize;
  object_class->get_property = cb_guidance_card_get_property;

  properties[PROP_ID] = string_property ("id", "Id");
  properties[PROP_SECTION_ID] = string_property ("section-id", "Section id");
  properties[PROP_SECTION_TITLE] = string_property ("section-title", "Section title");
  properties[PROP_TITLE] = string_property ("title", "Title");
  properties[PROP_SUMMARY] = string_property ("summary", "Summary");
  properties[PROP_FIGURE_VALUE] = string_property ("figure-value", "Figure value");
  properties[PROP_FIGURE_CAPTION] = string_property ("figure-caption", "Figure caption");
  properties[PROP_DISCUSSION] = string_property ("discussion", "Discussion");
  properties[PROP_SOURCE_SEED] = string_property ("source-seed", "Source seed");
  properties[PROP_SOURCE_SECTION] = string_property ("source-section", "Source section");
  properties[PROP_POINTS] = strv_property ("points", "Points");
  properties[PROP_PROMPTS] = strv_property ("prompts", "Prompts");
  properties[PROP_TAKEAWAYS] = strv_property ("takeaways", "Take-aways");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_guidance_card_init (CbGuidanceCard *self G_GNUC_UNUSED)
{
}

/* Getters */

const char *
cb_guidance_card_get_id (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->id;
}

const char *
cb_guidance_card_get_section_id (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->section_id;
}

const char *
cb_guidance_card_get_section_title (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->section_title;
}

const char *
cb_guidance_card_get_title (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->title;
}

const char *
cb_guidance_card_get_summary (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->summary;
}

/* NULL when the card has no key figure. */
const char *
cb_guidance_card_get_figure_value (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->figure_value;
}

const char *
cb_guidance_card_get_figure_caption (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->figure_caption;
}

const char *
cb_guidance_card_get_discussion (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->discussion;
}

const char *
cb_guidance_card_get_source_seed (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->source_seed;
}

const char *
cb_guidance_card_get_source_section (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->source_section;
}

const char * const *
cb_guidance_card_get_points (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->points ? (const char * const *)self->points : empty_strv;
}

const char * const *
cb_guidance_card_get_prompts (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->prompts ? (const char * const *)self->prompts : empty_strv;
}

/* The keys of the effective-practice guide's take-aways that this card
 * covers; empty for cards drawn from elsewhere. */
const char * const *
cb_guidance_card_get_takeaways (CbGuidanceCard *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), NULL);
  return self->takeaways ? (const char * const *)self->takeaways : empty_strv;
}

/* Searching */

/* Case folding comes first because folding can itself produce a combining
 * mark (U+0130 folds to "i" + U+0307); decomposing afterwards lets the
 * filter below remove it. */
char *
cb_guidance_normalise (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  folded = g_utf8_casefold (valid, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
  out = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x0300 && c <= 0x036F)
        continue;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static void
append_normalised (GString    *haystack,
                   const char *text)
{
  g_autofree char *normalised = NULL;

  if (text == NULL)
    return;

  normalised = cb_guidance_normalise (text);
  g_string_append (haystack, normalised);
  g_string_append_c (haystack, '\n');
}

static void
build_haystack (CbGuidanceCard *self)
{
  GString *haystack = g_string_new (NULL);

  append_normalised (haystack, self->title);
  append_normalised (haystack, self->summary);
  append_normalised (haystack, self->figure_value);
  append_normalised (haystack, self->figure_caption);
  for (guint i = 0; self->points[i] != NULL; i++)
    append_normalised (haystack, self->points[i]);
  for (guint i = 0; self->prompts[i] != NULL; i++)
    append_normalised (haystack, self->prompts[i]);
  append_normalised (haystack, self->discussion);

  g_free (self->haystack);
  self->haystack = g_string_free (haystack, FALSE);
}

/**
 * cb_guidance_card_matches:
 * @self: a card
 * @query: words typed by the user
 *
 * Whether every word of @query occurs in the card's title, summary, key
 * figure, points, prompts or discussion question, ignoring case and
 * accents. A query with no words matches every card.
 */
gboolean
cb_guidance_card_matches (CbGuidanceCard *self,
                          const char     *query)
{
  g_autofree char *normalised = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (self->haystack != NULL, FALSE);

  normalised = cb_guidance_normalise (query);
  words = g_strsplit_set (normalised, " \t\r\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0' && strstr (self->haystack, words[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* Parsing: the library pushes this sub-parser for each <card> element. */

/* In callbacks GMarkup reports the position just past the tag, after one
 * more character; when that character ended the line, the tag itself was
 * on the line before. */
static int
current_line (GMarkupParseContext *context)
{
  int line = 0;
  int column = 0;

  g_markup_parse_context_get_position (context, &line, &column);
  return column <= 1 && line > 1 ? line - 1 : line;
}

/* GMarkup gives a position in the errors it finds itself, not in those
 * our callbacks raise, so the guidance parsers add the line to each of
 * theirs. */
void
_cb_guidance_markup_error (GMarkupParseContext  *context,
                           GError              **error,
                           GMarkupError          code,
                           const char           *format,
                           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_MARKUP_ERROR, code,
               /* Translators: a line number of the guidance file, then
                * what is wrong there */
               _("Guidance file, line %d: %s"),
               current_line (context), message);
}

/* For errors from g_markup_collect_attributes(), which has no position. */
void
_cb_guidance_markup_prefix_error (GMarkupParseContext  *context,
                                  GError              **error)
{
  g_prefix_error (error, _("Guidance file, line %d: "), current_line (context));
}

CbGuidanceCard *
_cb_guidance_card_new (const char *id,
                       const char *section_id,
                       const char *section_title)
{
  CbGuidanceCard *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (section_id != NULL, NULL);
  g_return_val_if_fail (section_title != NULL, NULL);

  self = g_object_new (CB_TYPE_GUIDANCE_CARD, NULL);
  self->id = g_strdup (id);
  self->section_id = g_strdup (section_id);
  self->section_title = g_strdup (section_title);

  self->parse = g_new0 (CardParse, 1);
  self->parse->points = g_strv_builder_new ();
  self->parse->prompts = g_strv_builder_new ();
  self->parse->text = g_string_new (NULL);

  return self;
}

/* Collapse runs of white space and trim, as xgettext does for ITS text by
 * default, so the string looked up at run time is the extracted msgid. */
char *
_cb_guidance_collapse_whitespace (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Returns the translation, or @msgid itself when there is none. */
static const char *
translate (const char *msgid)
{
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

static const char * const leaf_elements[] = {
  "title", "summary", "discussion", "point", "prompt", NULL
};

static const char * const figure_elements[] = { "value", "caption", NULL };

static char **
single_field_for (CbGuidanceCard *self,
                  const char     *element)
{
  if (g_str_equal (element, "title"))
    return &self->title;
  if (g_str_equal (element, "summary"))
    return &self->summary;
  if (g_str_equal (element, "discussion"))
    return &self->discussion;
  if (g_str_equal (element, "value"))
    return &self->figure_value;
  if (g_str_equal (element, "caption"))
    return &self->figure_caption;
  return NULL;
}

static gboolean
open_leaf (CbGuidanceCard       *self,
           GMarkupParseContext  *context,
           const char           *element,
           GError              **error)
{
  char **field = single_field_for (self, element);

  if (field != NULL && *field != NULL)
    {
      _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("card “%s” has more than one <%s>; keep only one"),
                                 self->id, element);
      return FALSE;
    }

  self->parse->leaf = g_intern_string (element);
  g_string_truncate (self->parse->text, 0);
  return TRUE;
}

/* Keys are separated by white space; repeated spaces give no empty keys. */
static GStrv
split_keys (const char *text)
{
  g_auto(GStrv) pieces = g_strsplit_set (text ? text : "", " \t\r\n", -1);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      if (pieces[i][0] != '\0')
        g_strv_builder_add (keys, pieces[i]);
    }

  return g_strv_builder_end (keys);
}

static gboolean
read_source (CbGuidanceCard       *self,
             GMarkupParseContext  *context,
             const char          **names,
             const char          **values,
             GError              **error)
{
  const char *seed = NULL;
  const char *section = NULL;
  const char *takeaways = NULL;

  if (self->parse->seen_source)
    {
      _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("card “%s” has more than one <source>; keep only one"),
                                 self->id);
      return FALSE;
    }

  if (!g_markup_collect_attributes ("source", names, values, error,
                                    G_MARKUP_COLLECT_STRING, "seed", &seed,
                                    G_MARKUP_COLLECT_STRING, "section", &section,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "takeaways", &takeaways,
                                    G_MARKUP_COLLECT_INVALID))
    {
      _cb_guidance_markup_prefix_error (context, error);
      return FALSE;
    }

  self->parse->seen_source = TRUE;
  self->source_seed = g_strdup (seed);
  self->source_section = g_strdup (section);
  self->takeaways = split_keys (takeaways);

  return TRUE;
}

static void
card_start_element (GMarkupParseContext  *context,
                    const char           *element,
                    const char          **names,
                    const char          **values,
                    gpointer              user_data,
                    GError              **error)
{
  CbGuidanceCard *self = user_data;
  CardParse *parse = self->parse;

  if (parse->leaf != NULL)
    _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                               _("<%s> is not allowed inside <%s>; use plain text"),
                               element, parse->leaf);
  else if (parse->in_figure && g_strv_contains (figure_elements, element))
    open_leaf (self, context, element, error);
  else if (parse->in_figure)
    _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                               _("<%s> is not allowed inside <figure>; use <value> and <caption>"),
                               element);
  else if (g_strv_contains (leaf_elements, element))
    open_leaf (self, context, element, error);
  else if (g_str_equal (element, "figure") && !parse->seen_figure)
    parse->in_figure = parse->seen_figure = TRUE;
  else if (g_str_equal (element, "source"))
    read_source (self, context, names, values, error);
  else
    _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                               _("unexpected <%s> in card “%s”"),
                               element, self->id);
}

static gboolean
close_leaf (CbGuidanceCard       *self,
            GMarkupParseContext  *context,
            GError              **error)
{
  CardParse *parse = self->parse;
  g_autofree char *text = _cb_guidance_collapse_whitespace (parse->text->str);
  char **field;

  if (text[0] == '\0')
    {
      _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("<%s> of card “%s” is empty; write its text or remove it"),
                                 parse->leaf, self->id);
      return FALSE;
    }

  if ((field = single_field_for (self, parse->leaf)) != NULL)
    *field = g_strdup (translate (text));
  else if (parse->leaf == g_intern_static_string ("point"))
    {
      g_strv_builder_add (parse->points, translate (text));
      parse->n_points++;
    }
  else
    {
      g_strv_builder_add (parse->prompts, translate (text));
      parse->n_prompts++;
    }

  parse->leaf = NULL;
  return TRUE;
}

static void
card_end_element (GMarkupParseContext  *context,
                  const char           *element,
                  gpointer              user_data,
                  GError              **error)
{
  CbGuidanceCard *self = user_data;
  CardParse *parse = self->parse;

  if (parse->leaf != NULL)
    {
      close_leaf (self, context, error);
    }
  else if (g_str_equal (element, "figure"))
    {
      parse->in_figure = FALSE;
      if (self->figure_value == NULL || self->figure_caption == NULL)
        _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                   _("the <figure> of card “%s” needs both a <value> and a <caption>"),
                                   self->id);
    }
}

static void
card_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 text_len,
           gpointer              user_data,
           GError              **error)
{
  CbGuidanceCard *self = user_data;

  if (self->parse->leaf != NULL)
    {
      g_string_append_len (self->parse->text, text, text_len);
      return;
    }

  for (gsize i = 0; i < text_len; i++)
    {
      if (!g_ascii_isspace (text[i]))
        {
          _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                     _("text outside an element in card “%s”; put it inside <point> or another element"),
                                     self->id);
          return;
        }
    }
}

static const GMarkupParser card_parser = {
  card_start_element,
  card_end_element,
  card_text,
  NULL,
  NULL,
};

void
_cb_guidance_card_push_parser (CbGuidanceCard      *self,
                               GMarkupParseContext *context)
{
  g_return_if_fail (CB_IS_GUIDANCE_CARD (self));
  g_return_if_fail (self->parse != NULL);

  g_markup_parse_context_push (context, &card_parser, self);
}

static const char *
first_missing_element (CbGuidanceCard *self)
{
  if (self->title == NULL)
    return "title";
  if (self->summary == NULL)
    return "summary";
  if (self->parse->n_points == 0)
    return "point";
  if (self->parse->n_prompts == 0)
    return "prompt";
  if (self->discussion == NULL)
    return "discussion";
  if (!self->parse->seen_source)
    return "source";
  return NULL;
}

/* Called by the library at </card>, after it popped the sub-parser: checks
 * that nothing a view relies on is missing, and freezes the card. */
gboolean
_cb_guidance_card_finish (CbGuidanceCard       *self,
                          GMarkupParseContext  *context,
                          GError              **error)
{
  const char *missing;

  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (self), FALSE);
  g_return_val_if_fail (self->parse != NULL, FALSE);

  if ((missing = first_missing_element (self)) != NULL)
    {
      _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("card “%s” has no <%s>; every card needs one"),
                                 self->id, missing);
      return FALSE;
    }

  self->points = g_strv_builder_end (self->parse->points);
  self->prompts = g_strv_builder_end (self->parse->prompts);
  g_clear_pointer (&self->parse, card_parse_free);
  build_haystack (self);

  return TRUE;
}
