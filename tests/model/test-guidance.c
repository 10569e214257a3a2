/* test-guidance.c — the guidance cards and CbGuidanceLibrary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads the real data/guidance/cards.xml from the source tree and checks
 * its content against the contract of the cards (fields, ids the practice
 * gaps link to, coverage of every take-away of the effective practice guide),
 * then the library's search and error reporting.
 */
#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libintl.h>

#include "cb-guidance-library.h"

#ifndef SOURCE_ROOT
# error "SOURCE_ROOT must name the top of the source tree"
#endif

#define CARDS_PATH     SOURCE_ROOT "/data/guidance/cards.xml"
#define ITS_PATH       SOURCE_ROOT "/data/guidance/casebook-guidance.its"
#define TAKEAWAYS_PATH SOURCE_ROOT "/tests/data/seed-takeaways.txt"

#define SEED_REPORT "000_34c2e7fbcc744687"
#define SEED_GUIDE  "003_2bd396b44cfb5aa5"

static const char * const section_ids[] = {
  "findings", "leadership", "court", "supervision", "harm", NULL
};

static const char * const section_titles[] = {
  "What the inspection found",
  "Leadership and partnership",
  "Advice to court",
  "Case supervision",
  "Reducing harm",
  NULL
};

/* Helpers */

static CbGuidanceLibrary *
load_string (const char  *xml,
             GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (xml, strlen (xml));

  return cb_guidance_library_new_from_bytes (bytes, error);
}

static CbGuidanceLibrary *
load_cards (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  CbGuidanceLibrary *library;
  gsize len = 0;

  g_file_get_contents (CARDS_PATH, &contents, &len, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);

  library = cb_guidance_library_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (library);

  return library;
}

static CbGuidanceCard *
card_at (GListModel *model,
         guint       position)
{
  /* The list keeps its own reference, so dropping ours is safe. */
  g_autoptr(CbGuidanceCard) card = g_list_model_get_item (model, position);

  g_assert_nonnull (card);
  return card;
}

static guint
strv_length (const char * const *strv)
{
  return g_strv_length ((char **)strv);
}

/* Every translatable string of a card, for checks that apply to them all. */
static GPtrArray *
card_strings (CbGuidanceCard *card)
{
  GPtrArray *strings = g_ptr_array_new ();
  const char * const *points = cb_guidance_card_get_points (card);
  const char * const *prompts = cb_guidance_card_get_prompts (card);

  g_ptr_array_add (strings, (char *)cb_guidance_card_get_title (card));
  g_ptr_array_add (strings, (char *)cb_guidance_card_get_summary (card));
  g_ptr_array_add (strings, (char *)cb_guidance_card_get_discussion (card));
  if (cb_guidance_card_get_figure_value (card) != NULL)
    {
      g_ptr_array_add (strings, (char *)cb_guidance_card_get_figure_value (card));
      g_ptr_array_add (strings, (char *)cb_guidance_card_get_figure_caption (card));
    }
  for (guint i = 0; points[i] != NULL; i++)
    g_ptr_array_add (strings, (char *)points[i]);
  for (guint i = 0; prompts[i] != NULL; i++)
    g_ptr_array_add (strings, (char *)prompts[i]);

  return strings;
}

static gboolean
text_contains_word (const char *text,
                    const char *word)
{
  g_autofree char *haystack = NULL;
  g_autofree char *needle = NULL;

  if (text == NULL)
    return FALSE;

  haystack = g_utf8_casefold (text, -1);
  needle = g_utf8_casefold (word, -1);
  return strstr (haystack, needle) != NULL;
}

static gboolean
model_contains_id (GListModel *model,
                   const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      if (g_str_equal (cb_guidance_card_get_id (card_at (model, i)), id))
        return TRUE;
    }

  return FALSE;
}

static char *
model_ids (GListModel *model)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_string_append (ids, cb_guidance_card_get_id (card_at (model, i)));
      g_string_append_c (ids, ' ');
    }

  return g_string_free (ids, FALSE);
}

/* Reads tests/data/seed-takeaways.txt: key → seed section. */
static GHashTable *
load_takeaways (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_file_get_contents (TAKEAWAYS_PATH, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[i][0] == '\0')
        continue;

      fields = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      g_assert_cmpstr (fields[0], !=, "");
      g_assert_cmpstr (fields[1], !=, "");
      g_assert_cmpstr (fields[2], !=, "");
      g_assert_false (g_hash_table_contains (keys, fields[0]));
      g_hash_table_insert (keys, g_strdup (fields[0]), g_strdup (fields[1]));
    }

  return keys;
}

/* The content of cards.xml */

static void
test_cards_parse (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *cards = cb_guidance_library_get_cards (library);
  guint n_cards = g_list_model_get_n_items (cards);
  guint in_sections = 0;

  g_assert_true (g_list_model_get_item_type (cards) == CB_TYPE_GUIDANCE_CARD);
  g_assert_cmpuint (n_cards, >=, 35);
  g_assert_cmpuint (n_cards, <=, 45);

  for (guint i = 0; i < n_cards; i++)
    {
      CbGuidanceCard *card = card_at (cards, i);
      const char *id = cb_guidance_card_get_id (card);

      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (char *)id);
      g_assert_true (cb_guidance_library_find (library, id) == card);
    }

  for (guint i = 0; i < cb_guidance_library_get_n_sections (library); i++)
    {
      const char *section_id = cb_guidance_library_get_section_id (library, i);

      in_sections += g_list_model_get_n_items (cb_guidance_library_get_section_cards (library, section_id));
    }
  g_assert_cmpuint (in_sections, ==, n_cards);
}

static void
test_cards_sections (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  GListModel *cards = cb_guidance_library_get_cards (library);
  guint n_sections = cb_guidance_library_get_n_sections (library);
  guint position = 0;

  g_assert_cmpuint (n_sections, ==, g_strv_length ((char **)section_ids));

  for (guint i = 0; i < n_sections; i++)
    {
      const char *section_id = cb_guidance_library_get_section_id (library, i);
      GListModel *section;

      g_assert_cmpstr (section_id, ==, section_ids[i]);
      g_assert_cmpstr (cb_guidance_library_get_section_title (library, i), ==, section_titles[i]);

      section = cb_guidance_library_get_section_cards (library, section_id);
      g_assert_nonnull (section);
      g_assert_cmpuint (g_list_model_get_n_items (section), >, 0);

      /* The sections partition the full list, in file order. */
      for (guint j = 0; j < g_list_model_get_n_items (section); j++, position++)
        {
          CbGuidanceCard *card = card_at (section, j);

          g_assert_true (card == card_at (cards, position));
          g_assert_cmpstr (cb_guidance_card_get_section_id (card), ==, section_id);
          g_assert_cmpstr (cb_guidance_card_get_section_title (card), ==, section_titles[i]);
        }
    }

  g_assert_null (cb_guidance_library_get_section_cards (library, "no-such-section"));
  g_assert_null (cb_guidance_library_find (library, "no-such-card"));
}

static gboolean
is_one_sentence (const char *text)
{
  gsize len = strlen (text);

  return len > 1 && strchr (".?", text[len - 1]) != NULL &&
         strstr (text, ". ") == NULL && strstr (text, "? ") == NULL;
}

static void
assert_card_fields (CbGuidanceCard *card)
{
  g_autoptr(GPtrArray) strings = card_strings (card);
  const char *seed = cb_guidance_card_get_source_seed (card);
  const char *value = cb_guidance_card_get_figure_value (card);
  const char *caption = cb_guidance_card_get_figure_caption (card);

  g_test_message ("card %s", cb_guidance_card_get_id (card));

  g_assert_true (is_one_sentence (cb_guidance_card_get_summary (card)));
  g_assert_cmpuint (strv_length (cb_guidance_card_get_points (card)), >=, 2);
  g_assert_cmpuint (strv_length (cb_guidance_card_get_points (card)), <=, 5);
  g_assert_cmpuint (strv_length (cb_guidance_card_get_prompts (card)), >=, 1);
  g_assert_cmpuint (strv_length (cb_guidance_card_get_prompts (card)), <=, 3);
  g_assert_true ((value == NULL) == (caption == NULL));

  /* xgettext 0.21 keeps these as entities in the msgid, so a string that
   * holds one could never be found in a translation. */
  for (guint i = 0; i < strings->len; i++)
    {
      const char *text = g_ptr_array_index (strings, i);

      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
      g_assert_null (strpbrk (text, "<>&"));
    }

  g_assert_true (g_strcmp0 (seed, SEED_REPORT) == 0 || g_strcmp0 (seed, SEED_GUIDE) == 0);
  g_assert_cmpstr (cb_guidance_card_get_source_section (card), !=, "");
  if (g_str_equal (seed, SEED_REPORT))
    g_assert_cmpuint (strv_length (cb_guidance_card_get_takeaways (card)), ==, 0);
}

static void
test_cards_fields (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  GListModel *cards = cb_guidance_library_get_cards (library);

  for (guint i = 0; i < g_list_model_get_n_items (cards); i++)
    assert_card_fields (card_at (cards, i));
}

static void
test_cards_properties (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  CbGuidanceCard *card = cb_guidance_library_find (library, "harm-continuity-from-custody");
  g_autofree char *id = NULL;
  g_autofree char *section_title = NULL;
  g_autofree char *value = NULL;
  g_autofree char *source_seed = NULL;
  g_auto(GStrv) points = NULL;
  g_auto(GStrv) takeaways = NULL;

  g_assert_nonnull (card);
  g_object_get (card,
                "id", &id,
                "section-title", &section_title,
                "figure-value", &value,
                "source-seed", &source_seed,
                "points", &points,
                "takeaways", &takeaways,
                NULL);

  g_assert_cmpstr (id, ==, "harm-continuity-from-custody");
  g_assert_cmpstr (section_title, ==, "Reducing harm");
  g_assert_cmpstr (value, ==, "2 in 3");
  g_assert_cmpstr (source_seed, ==, SEED_REPORT);
  g_assert_true (g_strv_equal ((const char * const *)points, cb_guidance_card_get_points (card)));
  g_assert_cmpuint (g_strv_length (takeaways), ==, 0);
}

typedef struct
{
  const char *id;
  const char *section;
  const char *title_word;   /* the topic, as it appears in the title */
  const char *figure;       /* the inspection's figure, or NULL */
} GapCard;

/* The practice-gap checks of the data dictionary link to these. */
static const GapCard gap_cards[] = {
  { "supervision-drug-testing", "supervision", "testing", "1 in 6" },
  { "supervision-priority-intervention", "supervision", "priority", "47%" },
  { "partnership-referral-pathway", "leadership", "referral", "Under 3,000" },
  { "court-drr-consent", "court", "consent", NULL },
  { "harm-naloxone", "harm", "naloxone", NULL },
  { "harm-continuity-from-custody", "harm", "custody", "2 in 3" },
  { "supervision-recording-drug-use", "supervision", "record", NULL },
};

static void
test_cards_gap_ids (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();

  for (guint i = 0; i < G_N_ELEMENTS (gap_cards); i++)
    {
      CbGuidanceCard *card = cb_guidance_library_find (library, gap_cards[i].id);

      g_test_message ("gap card %s", gap_cards[i].id);
      g_assert_nonnull (card);
      g_assert_cmpstr (cb_guidance_card_get_section_id (card), ==, gap_cards[i].section);
      g_assert_true (text_contains_word (cb_guidance_card_get_title (card), gap_cards[i].title_word));
      g_assert_cmpstr (cb_guidance_card_get_figure_value (card), ==, gap_cards[i].figure);
    }

  /* A card about naloxone has to say who it is for. */
  g_assert_true (text_contains_word (cb_guidance_card_get_summary (cb_guidance_library_find (library, "harm-naloxone")),
                                     "opiates"));
}

static void
test_cards_takeaways (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  g_autoptr(GHashTable) keys = load_takeaways ();
  g_autoptr(GHashTable) covered = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *cards = cb_guidance_library_get_cards (library);
  GHashTableIter iter;
  const char *key;

  /* Nine on leadership, seven on court plus two sub-points, six components
   * of case supervision, five strengths of harm reduction. */
  g_assert_cmpuint (g_hash_table_size (keys), ==, 29);

  for (guint i = 0; i < g_list_model_get_n_items (cards); i++)
    {
      CbGuidanceCard *card = card_at (cards, i);
      const char * const *takeaways = cb_guidance_card_get_takeaways (card);

      for (guint j = 0; takeaways[j] != NULL; j++)
        {
          g_test_message ("card %s covers %s", cb_guidance_card_get_id (card), takeaways[j]);
          g_assert_true (g_hash_table_contains (keys, takeaways[j]));
          g_assert_cmpstr (cb_guidance_card_get_source_seed (card), ==, SEED_GUIDE);
          g_hash_table_add (covered, (char *)takeaways[j]);
        }
    }

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, (gpointer *)&key, NULL))
    {
      g_test_message ("take-away %s", key);
      g_assert_true (g_hash_table_contains (covered, key));
    }
}

/* Search */

static void
test_search_point_word (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  CbGuidanceCard *card = cb_guidance_library_find (library, "court-risk-and-wellbeing");
  const char *word = "exploitation";
  g_autoptr(GListModel) results = NULL;
  const char * const *points;
  gboolean in_points = FALSE;

  g_assert_nonnull (card);

  /* The word is in a point and nowhere else on the card. */
  points = cb_guidance_card_get_points (card);
  for (guint i = 0; points[i] != NULL; i++)
    in_points |= text_contains_word (points[i], word);
  g_assert_true (in_points);
  g_assert_false (text_contains_word (cb_guidance_card_get_title (card), word));
  g_assert_false (text_contains_word (cb_guidance_card_get_summary (card), word));
  g_assert_false (text_contains_word (cb_guidance_card_get_discussion (card), word));
  for (guint i = 0; cb_guidance_card_get_prompts (card)[i] != NULL; i++)
    g_assert_false (text_contains_word (cb_guidance_card_get_prompts (card)[i], word));

  results = cb_guidance_library_search (library, word);
  g_assert_true (model_contains_id (results, "court-risk-and-wellbeing"));
  g_assert_true (cb_guidance_card_matches (card, word));

  /* Every result really holds the word somewhere. */
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(GPtrArray) strings = card_strings (card_at (results, i));
      gboolean found = FALSE;

      for (guint j = 0; j < strings->len; j++)
        found |= text_contains_word (g_ptr_array_index (strings, j), word);
      g_assert_true (found);
    }
}

static void
test_search_case (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  g_autoptr(GListModel) lower = cb_guidance_library_search (library, "naloxone");
  g_autoptr(GListModel) upper = cb_guidance_library_search (library, "NALOXONE");
  g_autofree char *lower_ids = model_ids (lower);
  g_autofree char *upper_ids = model_ids (upper);

  g_assert_cmpuint (g_list_model_get_n_items (lower), >, 0);
  g_assert_true (model_contains_id (lower, "harm-naloxone"));
  g_assert_cmpstr (lower_ids, ==, upper_ids);
}

static void
test_search_words (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  g_autoptr(GListModel) naloxone = cb_guidance_library_search (library, "naloxone");
  g_autoptr(GListModel) custody = cb_guidance_library_search (library, "custody");
  g_autoptr(GListModel) both = cb_guidance_library_search (library, "  Custody\tnaloxone ");
  g_autoptr(GListModel) none = cb_guidance_library_search (library, "naloxone zebra");
  g_autoptr(GListModel) all = cb_guidance_library_search (library, " ");
  GListModel *cards = cb_guidance_library_get_cards (library);

  /* All words must match, in any order, anywhere on the card. */
  g_assert_cmpuint (g_list_model_get_n_items (both), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (both), <, g_list_model_get_n_items (custody));
  g_assert_true (model_contains_id (both, "harm-naloxone"));
  for (guint i = 0; i < g_list_model_get_n_items (both); i++)
    {
      const char *id = cb_guidance_card_get_id (card_at (both, i));

      g_assert_true (model_contains_id (naloxone, id));
      g_assert_true (model_contains_id (custody, id));
    }

  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, g_list_model_get_n_items (cards));
}

static void
test_search_accents (void)
{
  g_autoptr(CbGuidanceLibrary) library = load_cards ();
  g_autoptr(GListModel) plain = cb_guidance_library_search (library, "naive");
  g_autoptr(GListModel) accented = cb_guidance_library_search (library, "NAÏVE");
  g_autoptr(GListModel) query_accented = cb_guidance_library_search (library, "nalóxone");
  g_autoptr(GListModel) query_plain = cb_guidance_library_search (library, "naloxone");
  g_autofree char *plain_ids = model_ids (plain);
  g_autofree char *accented_ids = model_ids (accented);
  g_autofree char *query_accented_ids = model_ids (query_accented);
  g_autofree char *query_plain_ids = model_ids (query_plain);

  /* court-motivation spells it "naïve": a plain query finds accented text. */
  g_assert_true (model_contains_id (plain, "court-motivation"));
  g_assert_cmpstr (plain_ids, ==, accented_ids);

  /* An accented query finds plain text. */
  g_assert_cmpuint (g_list_model_get_n_items (query_accented), >, 0);
  g_assert_cmpstr (query_accented_ids, ==, query_plain_ids);
}

static void
assert_normalised (const char *text,
                   const char *expected)
{
  g_autofree char *normalised = cb_guidance_normalise (text);

  g_assert_cmpstr (normalised, ==, expected);
}

static void
test_search_normalise (void)
{
  assert_normalised ("Café", "cafe");
  assert_normalised ("cafe\xcc\x81", "cafe");      /* e + combining acute */
  assert_normalised ("ÉCOLE Ynys Môn", "ecole ynys mon");
  assert_normalised ("Straße", "strasse");
  assert_normalised ("\xef\xac\x81le", "file");    /* the "fi" ligature */
  assert_normalised ("\xc4\xb0stanbul", "istanbul"); /* capital I with dot */
  assert_normalised ("2 in 3", "2 in 3");
  assert_normalised ("", "");
}

/* Errors */

static void
assert_load_fails (const char *xml,
                   const char *line,
                   const char *mentions)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbGuidanceLibrary) library = load_string (xml, &error);

  g_assert_null (library);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_MARKUP_ERROR);
  g_test_message ("%s", error->message);
  if (line != NULL)
    g_assert_nonnull (strstr (error->message, line));
  g_assert_nonnull (strstr (error->message, mentions));
}

#define CARD_BODY \
  "<title>T</title><summary>S.</summary><point>P1</point><point>P2</point>" \
  "<prompt>Q?</prompt><discussion>D?</discussion>" \
  "<source seed=\"" SEED_GUIDE "\" section=\"Reducing harm\" takeaways=\"k\"/>"

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbGuidanceLibrary) good = NULL;

  /* The minimal valid file, as the baseline the broken ones differ from. */
  good = load_string ("<guidance>\n<section id=\"s\"><title>S</title>\n"
                      "<card id=\"a-1\">" CARD_BODY "</card>\n</section>\n</guidance>\n",
                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cb_guidance_library_get_cards (good)), ==, 1);

  /* Malformed XML: a closing tag that does not match. */
  assert_load_fails ("<guidance>\n<section id=\"s\"><title>S</title>\n"
                     "<card id=\"a\">\n<title>T</summary>\n</card></section></guidance>",
                     "line 4", "summary");
  /* Not closed at all. */
  assert_load_fails ("<guidance>\n<section id=\"s\">\n", "line 3", "section");
  /* A card without a summary. */
  assert_load_fails ("<guidance>\n<section id=\"s\"><title>S</title>\n<card id=\"a\">\n"
                     "<title>T</title><point>P</point><prompt>Q</prompt><discussion>D</discussion>"
                     "<source seed=\"x\" section=\"y\"/>\n</card>\n</section></guidance>",
                     "line 5", "summary");
  /* An element the format does not know. */
  assert_load_fails ("<guidance>\n<section id=\"s\"><title>S</title>\n<card id=\"a\">\n\n"
                     "<pont>typo</pont>\n</card></section></guidance>",
                     "line 5", "pont");
  /* Two cards with one id. */
  assert_load_fails ("<guidance><section id=\"s\"><title>S</title>\n"
                     "<card id=\"a\">" CARD_BODY "</card>\n"
                     "<card id=\"a\">" CARD_BODY "</card></section></guidance>",
                     "line 3", "“a”");
  /* An id that could not be used in a link. */
  assert_load_fails ("<guidance><section id=\"s\"><title>S</title>\n"
                     "<card id=\"Bad Id\">" CARD_BODY "</card></section></guidance>",
                     "line 2", "Bad Id");
  /* A source without its section. */
  assert_load_fails ("<guidance><section id=\"s\"><title>S</title>\n<card id=\"a\">\n\n"
                     "<source seed=\"x\"/></card></section></guidance>",
                     "line 4", "section");
  /* A figure without its caption. */
  assert_load_fails ("<guidance><section id=\"s\"><title>S</title>\n<card id=\"a\">\n"
                     "<figure><value>1</value></figure></card></section></guidance>",
                     "line 3", "caption");
  /* Some other XML file altogether. */
  assert_load_fails ("<?xml version=\"1.0\"?>\n<component>\n</component>", "line 2", "component");
  /* Nothing at all. */
  assert_load_fails ("", NULL, "empty");
}

static void
test_resource_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbGuidanceLibrary) library = NULL;

  if (g_test_subprocess ())
    {
      /* Only the warning is expected here; it must not abort the child. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      g_assert_null (cb_guidance_library_get_default ());
      g_assert_null (cb_guidance_library_get_default ());
      return;
    }

  library = cb_guidance_library_new_from_resource ("/io/github/casebook/Casebook/no-such/cards.xml", &error);
  g_assert_null (library);
  g_assert_error (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);

  /* The test program links no resources: the default library is absent,
   * which is reported once as a warning. A child process checks it, as the
   * model logs with structured logging, which g_test_expect_message()
   * cannot intercept. */
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Could not load the guidance cards from "
                             CB_GUIDANCE_RESOURCE_PATH "*");
  g_test_trap_assert_stderr_unmatched ("*Could not load*Could not load*");
}

/* Translation: what xgettext extracts is what the library looks up */

static gboolean
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_test_message ("%s failed: %s", argv[0], err);
      return FALSE;
    }
  return TRUE;
}

static void
assert_pseudo_translated (const char *text)
{
  g_assert_nonnull (text);
  if (!g_str_has_prefix (text, "XX "))
    g_error ("not found in the extracted catalogue: “%s”", text);
}

/* In the child: every string shown must come from the catalogue. */
static void
check_translated (void)
{
  g_autoptr(CbGuidanceLibrary) library = NULL;
  GListModel *cards;

  g_setenv ("LANGUAGE", "xx", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  bindtextdomain ("casebook", g_getenv ("CB_TEST_LOCALEDIR"));
  bind_textdomain_codeset ("casebook", "UTF-8");

  library = load_cards ();
  cards = cb_guidance_library_get_cards (library);

  for (guint i = 0; i < cb_guidance_library_get_n_sections (library); i++)
    assert_pseudo_translated (cb_guidance_library_get_section_title (library, i));

  for (guint i = 0; i < g_list_model_get_n_items (cards); i++)
    {
      g_autoptr(GPtrArray) strings = card_strings (card_at (cards, i));

      for (guint j = 0; j < strings->len; j++)
        assert_pseudo_translated (g_ptr_array_index (strings, j));
    }

  /* Ids and source references are never translated. */
  g_assert_cmpstr (cb_guidance_card_get_id (card_at (cards, 0)), ==, "findings-scale");
}

static void
test_translation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pot = NULL;
  g_autofree char *en = NULL;
  g_autofree char *xx = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *mo = NULL;
  g_autofree char *lang = NULL;
  const char * const tools[] = { "xgettext", "msgen", "msgfilter", "msgfmt", NULL };

  if (g_test_subprocess ())
    {
      check_translated ();
      return;
    }

  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_test_skip ("the gettext tools are not installed");
          return;
        }
    }

  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("the C.UTF-8 locale is not available");
      return;
    }
  setlocale (LC_ALL, "C");

  dir = g_dir_make_tmp ("casebook-guidance-XXXXXX", &error);
  g_assert_no_error (error);
  pot = g_build_filename (dir, "casebook.pot", NULL);
  en = g_build_filename (dir, "en.po", NULL);
  xx = g_build_filename (dir, "xx.po", NULL);
  lang = g_build_filename (dir, "xx", NULL);
  messages = g_build_filename (lang, "LC_MESSAGES", NULL);
  mo = g_build_filename (messages, "casebook.mo", NULL);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);

  /* A pseudo-translation that prefixes every msgstr with "XX ". */
  g_assert_true (run ((const char *[]) { "xgettext", "--its=" ITS_PATH, "-o", pot, CARDS_PATH, NULL }));
  g_assert_true (run ((const char *[]) { "msgen", "-o", en, pot, NULL }));
  g_assert_true (run ((const char *[]) { "msgfilter", "--keep-header", "-i", en, "-o", xx,
                                         "sed", "-e", "s/^/XX /", NULL }));
  g_assert_true (run ((const char *[]) { "msgfmt", "-o", mo, xx, NULL }));

  g_setenv ("CB_TEST_LOCALEDIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_remove (mo);
  g_rmdir (messages);
  g_rmdir (lang);
  g_remove (xx);
  g_remove (en);
  g_remove (pot);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/guidance/cards/parse", test_cards_parse);
  g_test_add_func ("/guidance/cards/sections", test_cards_sections);
  g_test_add_func ("/guidance/cards/fields", test_cards_fields);
  g_test_add_func ("/guidance/cards/properties", test_cards_properties);
  g_test_add_func ("/guidance/cards/gap-ids", test_cards_gap_ids);
  g_test_add_func ("/guidance/cards/takeaways", test_cards_takeaways);
  g_test_add_func ("/guidance/search/point-word", test_search_point_word);
  g_test_add_func ("/guidance/search/case", test_search_case);
  g_test_add_func ("/guidance/search/words", test_search_words);
  g_test_add_func ("/guidance/search/accents", test_search_accents);
  g_test_add_func ("/guidance/search/normalise", test_search_normalise);
  g_test_add_func ("/guidance/errors", test_errors);
  g_test_add_func ("/guidance/resource/missing", test_resource_missing);
  g_test_add_func ("/guidance/translation", test_translation);

  return g_test_run ();
}
