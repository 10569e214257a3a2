/* cb-guidance-library.c — the effective-practice guidance cards, by section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cards ship as XML in the application's GResource:
 *
 *   <guidance>
 *     <section id="…"><title>…</title>
 *       <card id="…">…</card>   (see cb-guidance-card.c)
 *     </section>
 *   </guidance>
 *
 * The library reads sections and hands each <card> element to the card's own
 * GMarkup sub-parser. Strings are translated as they are read, so every view
 * shows the user's language without doing anything itself.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#ifndef GETTEXT_PACKAGE
# define GETTEXT_PACKAGE "casebook"
#endif

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-guidance-library.h"

typedef struct
{
  char       *id;
  char       *title;
  GListStore *cards;
} Section;

struct _CbGuidanceLibrary
{
  GObject     parent_instance;

  GListStore *cards;      /* every card, in file order */
  GPtrArray  *sections;   /* of Section, in file order */
  GHashTable *by_id;      /* card id → CbGuidanceCard, borrowed from @cards */
};

G_DEFINE_FINAL_TYPE (CbGuidanceLibrary, cb_guidance_library, G_TYPE_OBJECT)

static void
section_free (Section *section)
{
  g_free (section->id);
  g_free (section->title);
  g_clear_object (&section->cards);
  g_free (section);
}

static void
cb_guidance_library_finalize (GObject *object)
{
  CbGuidanceLibrary *self = (CbGuidanceLibrary *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_object (&self->cards);

  G_OBJECT_CLASS (cb_guidance_library_parent_class)->finalize (object);
}

static void
cb_guidance_library_class_init (CbGuidanceLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_guidance_library_finalize;
}

static void
cb_guidance_library_init (CbGuidanceLibrary *self)
{
  self->cards = g_list_store_new (CB_TYPE_GUIDANCE_CARD);
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify)section_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Parsing */

typedef struct
{
  CbGuidanceLibrary   *self;
  GMarkupParseContext *context;
  Section             *section;     /* the open <section>, or NULL */
  CbGuidanceCard      *card;        /* the open <card>, or NULL */
  GString             *title;       /* text of the open section <title> */
  guint                in_title : 1;
  guint                seen_root : 1;
  guint                closed_root : 1;
} LibraryParse;

/* Ids end up in links from the practice-gap checks, so keep them plain. */
static gboolean
id_is_valid (const char *id)
{
  if (id[0] == '\0')
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

static Section *
find_section (CbGuidanceLibrary *self,
              const char        *section_id)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (g_str_equal (section->id, section_id))
        return section;
    }

  return NULL;
}

static void
open_root (LibraryParse         *parse,
           const char           *element,
           const char          **names,
           const char          **values,
           GError              **error)
{
  const char *version = NULL;

  if (!g_str_equal (element, "guidance") || parse->closed_root)
    {
      _cb_guidance_markup_error (parse->context, error, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                                 _("expected the <guidance> element but found <%s>; is this a Casebook guidance file?"),
                                 element);
      return;
    }

  if (!g_markup_collect_attributes (element, names, values, error,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "version", &version,
                                    G_MARKUP_COLLECT_INVALID))
    {
      _cb_guidance_markup_prefix_error (parse->context, error);
      return;
    }

  parse->seen_root = TRUE;
}

static void
open_section (LibraryParse         *parse,
              const char           *element,
              const char          **names,
              const char          **values,
              GError              **error)
{
  const char *id = NULL;
  Section *section;

  if (!g_str_equal (element, "section"))
    {
      _cb_guidance_markup_error (parse->context, error, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                                 _("unexpected <%s>; only <section> elements may appear in <guidance>"),
                                 element);
      return;
    }

  if (!g_markup_collect_attributes (element, names, values, error,
                                    G_MARKUP_COLLECT_STRING, "id", &id,
                                    G_MARKUP_COLLECT_INVALID))
    {
      _cb_guidance_markup_prefix_error (parse->context, error);
      return;
    }

  if (!id_is_valid (id))
    {
      _cb_guidance_markup_error (parse->context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("the section id “%s” is not valid; use only lower-case letters, digits and hyphens"),
                                 id);
      return;
    }

  if (find_section (parse->self, id) != NULL)
    {
      _cb_guidance_markup_error (parse->context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("there are two sections with the id “%s”; give each a different id"),
                                 id);
      return;
    }

  section = g_new0 (Section, 1);
  section->id = g_strdup (id);
  section->cards = g_list_store_new (CB_TYPE_GUIDANCE_CARD);
  g_ptr_array_add (parse->self->sections, section);
  parse->section = section;
}

static void
open_card (LibraryParse         *parse,
           GMarkupParseContext  *context,
           const char          **names,
           const char          **values,
           GError              **error)
{
  const char *id = NULL;

  if (parse->section->title == NULL)
    {
      _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("section “%s” needs its <title> before its first <card>"),
                                 parse->section->id);
      return;
    }

  if (!g_markup_collect_attributes ("card", names, values, error,
                                    G_MARKUP_COLLECT_STRING, "id", &id,
                                    G_MARKUP_COLLECT_INVALID))
    {
      _cb_guidance_markup_prefix_error (parse->context, error);
      return;
    }

  if (!id_is_valid (id))
    {
      _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("the card id “%s” is not valid; use only lower-case letters, digits and hyphens"),
                                 id);
      return;
    }

  if (g_hash_table_contains (parse->self->by_id, id))
    {
      _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("there are two cards with the id “%s”; give each a different id"),
                                 id);
      return;
    }

  parse->card = _cb_guidance_card_new (id, parse->section->id, parse->section->title);
  _cb_guidance_card_push_parser (parse->card, context);
}

static void
library_start_element (GMarkupParseContext  *context,
                       const char           *element,
                       const char          **names,
                       const char          **values,
                       gpointer              user_data,
                       GError              **error)
{
  LibraryParse *parse = user_data;

  if (!parse->seen_root || parse->closed_root)
    open_root (parse, element, names, values, error);
  else if (parse->section == NULL)
    open_section (parse, element, names, values, error);
  else if (parse->in_title)
    _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                               _("<%s> is not allowed inside a section <title>; use plain text"),
                               element);
  else if (g_str_equal (element, "title") && parse->section->title == NULL)
    {
      parse->in_title = TRUE;
      g_string_truncate (parse->title, 0);
    }
  else if (g_str_equal (element, "card"))
    open_card (parse, context, names, values, error);
  else
    _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                               _("unexpected <%s> in section “%s”; a section holds one <title> and then <card> elements"),
                               element, parse->section->id);
}

static void
close_title (LibraryParse  *parse,
             GError       **error)
{
  g_autofree char *title = _cb_guidance_collapse_whitespace (parse->title->str);

  parse->in_title = FALSE;

  if (title[0] == '\0')
    {
      _cb_guidance_markup_error (parse->context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                 _("the <title> of section “%s” is empty; write the section's title"),
                                 parse->section->id);
      return;
    }

  parse->section->title = g_strdup (g_dgettext (GETTEXT_PACKAGE, title));
}

static void
close_card (LibraryParse         *parse,
            GMarkupParseContext  *context,
            GError              **error)
{
  g_autoptr(CbGuidanceCard) card = g_steal_pointer (&parse->card);

  g_markup_parse_context_pop (context);

  if (!_cb_guidance_card_finish (card, context, error))
    return;

  g_list_store_append (parse->self->cards, card);
  g_list_store_append (parse->section->cards, card);
  g_hash_table_insert (parse->self->by_id,
                       (gpointer)cb_guidance_card_get_id (card), card);
}

static void
close_section (LibraryParse  *parse,
               GError       **error)
{
  if (parse->section->title == NULL)
    _cb_guidance_markup_error (parse->context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                               _("section “%s” has no <title>; every section needs one"),
                               parse->section->id);
  parse->section = NULL;
}

static void
library_end_element (GMarkupParseContext  *context,
                     const char           *element,
                     gpointer              user_data,
                     GError              **error)
{
  LibraryParse *parse = user_data;

  if (parse->in_title)
    close_title (parse, error);
  else if (parse->card != NULL)
    close_card (parse, context, error);
  else if (parse->section != NULL)
    close_section (parse, error);
  else if (g_str_equal (element, "guidance"))
    parse->closed_root = TRUE;
}

static void
library_text (GMarkupParseContext  *context,
              const char           *text,
              gsize                 text_len,
              gpointer              user_data,
              GError              **error)
{
  LibraryParse *parse = user_data;

  if (parse->in_title)
    {
      g_string_append_len (parse->title, text, text_len);
      return;
    }

  for (gsize i = 0; i < text_len; i++)
    {
      if (!g_ascii_isspace (text[i]))
        {
          _cb_guidance_markup_error (context, error, G_MARKUP_ERROR_INVALID_CONTENT,
                                     _("text outside a card; put it inside a card's elements"));
          return;
        }
    }
}

static const GMarkupParser library_parser = {
  library_start_element,
  library_end_element,
  library_text,
  NULL,
  NULL,
};

static gboolean
parse_xml (CbGuidanceLibrary  *self,
           GBytes             *xml,
           GError            **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  LibraryParse parse = { self, NULL, NULL, NULL, NULL, FALSE, FALSE, FALSE };
  gsize len = 0;
  const char *data = g_bytes_get_data (xml, &len);
  gboolean ok;

  parse.title = g_string_new (NULL);
  context = g_markup_parse_context_new (&library_parser, 0, &parse, NULL);
  parse.context = context;

  ok = g_markup_parse_context_parse (context, data ? data : "", len, error) &&
       g_markup_parse_context_end_parse (context, error);

  if (ok && !parse.seen_root)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY,
                           _("The guidance file is empty; it should hold a <guidance> element"));
      ok = FALSE;
    }

  /* On error GMarkup has already unwound the card's sub-parser; the card
   * itself is still ours to drop. */
  g_clear_object (&parse.card);
  g_string_free (parse.title, TRUE);

  return ok;
}

/* Public API */

/**
 * cb_guidance_library_new_from_bytes:
 * @xml: the contents of a cards.xml file
 * @error: return location for an error
 *
 * Reads every section and card of @xml. An error names the line and the
 * element at fault.
 *
 * Returns: (transfer full): a new library, or %NULL with @error set
 */
CbGuidanceLibrary *
cb_guidance_library_new_from_bytes (GBytes  *xml,
                                    GError **error)
{
  g_autoptr(CbGuidanceLibrary) self = NULL;

  g_return_val_if_fail (xml != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CB_TYPE_GUIDANCE_LIBRARY, NULL);
  if (!parse_xml (self, xml, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * cb_guidance_library_new_from_resource:
 * @resource_path: a path in the registered GResources
 * @error: return location for an error
 *
 * Returns: (transfer full): a new library, or %NULL with @error set
 */
CbGuidanceLibrary *
cb_guidance_library_new_from_resource (const char  *resource_path,
                                       GError     **error)
{
  g_autoptr(GBytes) xml = NULL;

  g_return_val_if_fail (resource_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  xml = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (xml == NULL)
    return NULL;

  return cb_guidance_library_new_from_bytes (xml, error);
}

/**
 * cb_guidance_library_get_default:
 *
 * The cards shipped in the application's resources, loaded on first use.
 * The load is tried only once; a missing or broken resource is a packaging
 * fault, reported as a warning.
 *
 * Returns: (transfer none) (nullable): the shared library, or %NULL
 */
CbGuidanceLibrary *
cb_guidance_library_get_default (void)
{
  static CbGuidanceLibrary *library;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GError) error = NULL;

      library = cb_guidance_library_new_from_resource (CB_GUIDANCE_RESOURCE_PATH, &error);
      if (library == NULL)
        g_warning ("Could not load the guidance cards from %s: %s",
                   CB_GUIDANCE_RESOURCE_PATH, error->message);
      g_once_init_leave (&initialized, 1);
    }

  return library;
}

/**
 * cb_guidance_library_get_cards:
 *
 * Returns: (transfer none): a #GListModel of every #CbGuidanceCard, in
 *   file order
 */
GListModel *
cb_guidance_library_get_cards (CbGuidanceLibrary *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_LIBRARY (self), NULL);

  return G_LIST_MODEL (self->cards);
}

guint
cb_guidance_library_get_n_sections (CbGuidanceLibrary *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_LIBRARY (self), 0);

  return self->sections->len;
}

const char *
cb_guidance_library_get_section_id (CbGuidanceLibrary *self,
                                    guint              position)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_LIBRARY (self), NULL);
  g_return_val_if_fail (position < self->sections->len, NULL);

  return ((Section *)g_ptr_array_index (self->sections, position))->id;
}

/* The title is translated. */
const char *
cb_guidance_library_get_section_title (CbGuidanceLibrary *self,
                                       guint              position)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_LIBRARY (self), NULL);
  g_return_val_if_fail (position < self->sections->len, NULL);

  return ((Section *)g_ptr_array_index (self->sections, position))->title;
}

/**
 * cb_guidance_library_get_section_cards:
 *
 * Returns: (transfer none) (nullable): the cards of the section, in file
 *   order, or %NULL if there is no such section
 */
GListModel *
cb_guidance_library_get_section_cards (CbGuidanceLibrary *self,
                                       const char        *section_id)
{
  Section *section;

  g_return_val_if_fail (CB_IS_GUIDANCE_LIBRARY (self), NULL);
  g_return_val_if_fail (section_id != NULL, NULL);

  section = find_section (self, section_id);
  return section ? G_LIST_MODEL (section->cards) : NULL;
}

/**
 * cb_guidance_library_find:
 *
 * Returns: (transfer none) (nullable): the card with @card_id, or %NULL
 */
CbGuidanceCard *
cb_guidance_library_find (CbGuidanceLibrary *self,
                          const char        *card_id)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_LIBRARY (self), NULL);
  g_return_val_if_fail (card_id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, card_id);
}

/**
 * cb_guidance_library_search:
 * @query: words typed by the user
 *
 * The cards that contain every word of @query (see
 * cb_guidance_card_matches()), in file order. A query with no words gives
 * every card.
 *
 * Returns: (transfer full): a new #GListModel of #CbGuidanceCard
 */
GListModel *
cb_guidance_library_search (CbGuidanceLibrary *self,
                            const char        *query)
{
  GListStore *results;
  guint n_cards;

  g_return_val_if_fail (CB_IS_GUIDANCE_LIBRARY (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  results = g_list_store_new (CB_TYPE_GUIDANCE_CARD);
  n_cards = g_list_model_get_n_items (G_LIST_MODEL (self->cards));

  for (guint i = 0; i < n_cards; i++)
    {
      g_autoptr(CbGuidanceCard) card = g_list_model_get_item (G_LIST_MODEL (self->cards), i);

      if (cb_guidance_card_matches (card, query))
        g_list_store_append (results, card);
    }

  return G_LIST_MODEL (results);
}
