/* test-guidance.c — the Guidance page, presentation mode and the handout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cb-case-editor.h"
#include "cb-demo-data.h"
#include "cb-guidance-card-view.h"
#include "cb-guidance-library.h"
#include "cb-guidance-page.h"
#include "cb-guidance-tile.h"
#include "cb-handout.h"
#include "cb-practice-gaps.h"
#include "cb-presentation-window.h"
#include "cb-ui-test-util.h"

#define LINKED_CARD "supervision-drug-testing"

static CbGuidancePage *
show_guidance_page (CbUiFixture *fixture)
{
  GtkWidget *page;

  cb_ui_start_app (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-page", "s", "guidance"));
  /* With no cases the window cross-fades from its first-start page. */
  cb_ui_wait (400);

  page = cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_GUIDANCE_PAGE);
  g_assert_nonnull (page);
  g_assert_true (cb_ui_is_shown (page));

  return CB_GUIDANCE_PAGE (page);
}

static CbGuidanceLibrary *
library (void)
{
  CbGuidanceLibrary *lib = cb_guidance_library_get_default ();

  g_assert_nonnull (lib);
  return lib;
}

static guint
n_tiles (CbGuidancePage *page)
{
  GtkWidget *grid = cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_FLOW_BOX);
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (grid);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CB_IS_GUIDANCE_TILE (child))
        n++;
    }

  return n;
}

static gboolean
widget_hidden (gpointer widget)
{
  return !cb_ui_is_shown (widget);
}

static gboolean
widget_shown (gpointer widget)
{
  return cb_ui_is_shown (widget);
}

/* Page changes cross-fade: the old page stays drawn until the fade ends. */
static void
wait_hidden (GtkWidget *widget)
{
  g_assert_true (cb_ui_wait_for (widget_hidden, widget, 3000));
}

static GtkWidget *
card_view (CbGuidancePage *page)
{
  return cb_ui_find_by_type (GTK_WIDGET (page), CB_TYPE_GUIDANCE_CARD_VIEW);
}

/* The card's title is on screen in the detail view, not just in a tile. */
static void
assert_detail_shows (CbGuidancePage *page,
                     CbGuidanceCard *card)
{
  GtkWidget *view = card_view (page);

  g_assert_true (cb_ui_wait_for (widget_shown, view, 3000));
  g_assert_true (cb_guidance_page_get_shown_card (page) == card);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (view, cb_guidance_card_get_title (card))));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (view, cb_guidance_card_get_summary (card))));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (view, cb_guidance_card_get_discussion (card))));
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (view, cb_guidance_card_get_points (card)[0])));
}

/* Keys, as GTK would dispatch them: find the shortcut of @widget's
 * controllers whose trigger is @keyval with @modifiers and activate its
 * action. Alternatives ("Right|Page_Down") are followed. */
static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               keyval,
                 GdkModifierType     modifiers)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, modifiers) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, modifiers);

  return GTK_IS_KEYVAL_TRIGGER (trigger) &&
         gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
         gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers;
}

static GtkShortcut *
find_shortcut_in (GtkWidget              *widget,
                  guint                   keyval,
                  GdkModifierType         modifiers,
                  GtkShortcutController **found_in)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      guint n_shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      n_shortcuts = g_list_model_get_n_items (G_LIST_MODEL (controller));
      for (guint j = 0; j < n_shortcuts; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, modifiers))
            {
              if (found_in != NULL)
                *found_in = GTK_SHORTCUT_CONTROLLER (controller);
              return shortcut;
            }
        }
    }

  return NULL;
}

static GtkShortcut *
find_shortcut (GtkWidget       *widget,
               guint            keyval,
               GdkModifierType  modifiers)
{
  return find_shortcut_in (widget, keyval, modifiers, NULL);
}

static const char *
shortcut_action_name (GtkShortcut *shortcut)
{
  GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

  return GTK_IS_NAMED_ACTION (action) ? gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)) : NULL;
}

static void
press_key (GtkWidget  *widget,
           guint       keyval,
           const char *expected_action)
{
  GtkShortcut *shortcut = find_shortcut (widget, keyval, 0);

  g_assert_nonnull (shortcut);
  g_assert_cmpstr (shortcut_action_name (shortcut), ==, expected_action);
  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                widget, gtk_shortcut_get_arguments (shortcut));
  cb_ui_wait (30);
}

static CbPresentationWindow *
find_presentation (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (CB_IS_PRESENTATION_WINDOW (l->data) && gtk_widget_get_visible (l->data))
        return l->data;
    }

  return NULL;
}

static gboolean
presentation_gone (gpointer data)
{
  return find_presentation () == NULL;
}

/* F5, as the page's window-wide shortcut sends it. */
static CbPresentationWindow *
start_presentation (CbGuidancePage *page)
{
  CbPresentationWindow *presentation;
  GtkShortcutController *controller = NULL;
  GtkShortcut *f5 = find_shortcut_in (GTK_WIDGET (page), GDK_KEY_F5, 0, &controller);

  g_assert_nonnull (f5);
  g_assert_cmpstr (shortcut_action_name (f5), ==, "guidance.present");
  /* Window-wide, so F5 works wherever the focus is while the page shows. */
  g_assert_cmpint (gtk_shortcut_controller_get_scope (controller), ==, GTK_SHORTCUT_SCOPE_GLOBAL);

  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (f5), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                               GTK_WIDGET (page), NULL));
  cb_ui_wait (150);

  presentation = find_presentation ();
  g_assert_nonnull (presentation);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (presentation)));

  return presentation;
}

static void
assert_position_shown (CbPresentationWindow *presentation,
                       guint                 position,
                       guint                 n)
{
  g_autofree char *text = g_strdup_printf ("%u / %u", position, n);
  GtkWidget *label = cb_ui_find_label (GTK_WIDGET (presentation), text);

  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, text);
  g_assert_true (cb_ui_is_shown (label));
  g_assert_cmpuint (cb_presentation_window_get_position (presentation), ==, position - 1);
}

/* Tests */

static void
test_grid_and_detail (CbUiFixture   *fixture,
                      gconstpointer  data)
{
  CbGuidancePage *page = show_guidance_page (fixture);
  guint n_cards = g_list_model_get_n_items (cb_guidance_library_get_cards (library ()));
  GtkWidget *grid = cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_FLOW_BOX);
  GtkFlowBoxChild *tile;
  CbGuidanceCard *card;
  g_autofree char *count = g_strdup_printf ("%u cards", n_cards);

  /* All cards to begin with, each a tile, and the sections in the sidebar. */
  g_assert_cmpuint (g_list_model_get_n_items (cb_guidance_page_get_deck (page)), ==, n_cards);
  g_assert_cmpuint (n_tiles (page), ==, n_cards);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (page), count)));
  for (guint i = 0; i < cb_guidance_library_get_n_sections (library ()); i++)
    g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (page),
                                                     cb_guidance_library_get_section_title (library (), i))));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "guidance-grid.png");

  /* Activating a tile (click or Enter) opens the card. */
  tile = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (grid), 2);
  card = cb_guidance_tile_get_card (CB_GUIDANCE_TILE (tile));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (tile)));
  cb_ui_wait (100);
  assert_detail_shows (page, card);
  wait_hidden (grid);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (page), "3 of ")));
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "guidance-detail.png");

  /* Next and previous walk the deck. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "guidance.next-card", NULL));
  cb_ui_wait (30);
  {
    g_autoptr(CbGuidanceCard) next = g_list_model_get_item (cb_guidance_page_get_deck (page), 3);
    assert_detail_shows (page, next);
  }
  gtk_widget_activate_action (GTK_WIDGET (page), "guidance.previous-card", NULL);
  cb_ui_wait (30);
  assert_detail_shows (page, card);

  /* Esc (the page's key binding) goes back to the grid, onto the tile. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "guidance.back", NULL));
  cb_ui_wait (50);
  g_assert_true (cb_ui_is_shown (grid));
  wait_hidden (card_view (page));
  g_assert_null (cb_guidance_page_get_shown_card (page));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (tile)));
}

static void
test_section_filter (CbUiFixture   *fixture,
                     gconstpointer  data)
{
  CbGuidancePage *page = show_guidance_page (fixture);
  GListModel *section = cb_guidance_library_get_section_cards (library (), "harm");
  GtkWidget *list = cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_LIST_BOX);
  GtkListBoxRow *row = NULL;

  /* Choosing the section in the sidebar, as a click does. */
  for (GtkWidget *child = gtk_widget_get_first_child (list); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && cb_ui_find_label (child, "Reducing harm") != NULL)
        row = GTK_LIST_BOX_ROW (child);
    }
  g_assert_nonnull (row);
  gtk_widget_activate (GTK_WIDGET (row));
  cb_ui_wait (50);

  g_assert_cmpuint (g_list_model_get_n_items (cb_guidance_page_get_deck (page)), ==,
                    g_list_model_get_n_items (section));
  g_assert_cmpuint (n_tiles (page), ==, g_list_model_get_n_items (section));
  for (guint i = 0; i < g_list_model_get_n_items (section); i++)
    {
      g_autoptr(CbGuidanceCard) card = g_list_model_get_item (cb_guidance_page_get_deck (page), i);
      g_assert_cmpstr (cb_guidance_card_get_section_id (card), ==, "harm");
    }
}

/* On a narrow window the sidebar and the cards take turns: a button shows
 * the sections, choosing one goes back to its cards. Dark style too. The
 * page gets a phone-sized window of its own, so the other pages' widths do
 * not decide whether it folds. */
static void
test_narrow_window (CbUiFixture   *fixture,
                    gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window = adw_window_new ();
  CbGuidancePage *page = g_object_new (CB_TYPE_GUIDANCE_PAGE, NULL);
  AdwLeaflet *leaflet = ADW_LEAFLET (cb_ui_find_by_type (GTK_WIDGET (page), ADW_TYPE_LEAFLET));
  GtkWidget *sections_button = cb_ui_find_action_button (GTK_WIDGET (page), "guidance.show-sections");
  GtkWidget *list = cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_LIST_BOX);
  int min_width;

  /* Narrow enough for a phone. */
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_present (GTK_WINDOW (window));
  cb_ui_wait (400);

  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  g_assert_true (cb_ui_is_shown (sections_button));
  cb_ui_save_screenshot (window, "guidance-narrow-dark.png");

  gtk_widget_activate (sections_button);
  cb_ui_wait (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
  g_assert_true (cb_ui_is_shown (list));

  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 4)));
  cb_ui_wait (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  g_assert_cmpuint (g_list_model_get_n_items (cb_guidance_page_get_deck (page)), ==,
                    g_list_model_get_n_items (cb_guidance_library_get_section_cards (
                      library (), cb_guidance_library_get_section_id (library (), 3))));

  /* The detail reads on a phone-sized window too. */
  gtk_widget_activate (GTK_WIDGET (gtk_flow_box_get_child_at_index (
    GTK_FLOW_BOX (cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_FLOW_BOX)), 0)));
  cb_ui_wait (400);
  g_assert_nonnull (cb_guidance_page_get_shown_card (page));
  cb_ui_save_screenshot (window, "guidance-narrow-dark-detail.png");

  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  cb_ui_wait (50);
}

static gboolean
deck_has_size (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (cb_guidance_page_get_deck (args[0])) == GPOINTER_TO_UINT (args[1]);
}

static void
search_for (CbGuidancePage *page,
            const char     *text,
            guint           expected)
{
  GtkWidget *entry = cb_ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  gpointer args[] = { page, GUINT_TO_POINTER (expected) };

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* Search as you type: after the entry's short delay, no Enter needed. */
  g_assert_true (cb_ui_wait_for (deck_has_size, args, 3000));
  cb_ui_wait (30);
}

static guint
count_matches (const char *query)
{
  g_autoptr(GListModel) found = cb_guidance_library_search (library (), query);

  return g_list_model_get_n_items (found);
}

/* Presentation: F5 opens it full screen on the deck, the keys move, Esc
 * leaves. */
static void
test_presentation_keys (CbUiFixture   *fixture,
                        gconstpointer  data)
{
  CbGuidancePage *page = show_guidance_page (fixture);
  guint n = g_list_model_get_n_items (cb_guidance_library_get_section_cards (library (), "supervision"));
  CbPresentationWindow *presentation;
  GtkWidget *window;
  g_autoptr(CbGuidanceCard) second = NULL;

  cb_guidance_page_set_section (page, "supervision");
  cb_ui_wait (50);
  g_assert_cmpuint (n, >, 3);

  presentation = start_presentation (page);
  window = GTK_WIDGET (presentation);
  g_assert_cmpuint (cb_presentation_window_get_n_cards (presentation), ==, n);
  assert_position_shown (presentation, 1, n);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (window, "Case supervision")));
  cb_ui_wait (300);
  cb_ui_save_screenshot (window, "guidance-presentation.png");

  /* Forward and back with each key a presenter might use. */
  press_key (window, GDK_KEY_Right, "presentation.next");
  assert_position_shown (presentation, 2, n);
  second = g_list_model_get_item (cb_guidance_page_get_deck (page), 1);
  g_assert_true (cb_presentation_window_get_card (presentation) == second);
  press_key (window, GDK_KEY_Left, "presentation.previous");
  assert_position_shown (presentation, 1, n);

  press_key (window, GDK_KEY_Page_Down, "presentation.next");
  assert_position_shown (presentation, 2, n);
  press_key (window, GDK_KEY_Page_Up, "presentation.previous");
  assert_position_shown (presentation, 1, n);

  press_key (window, GDK_KEY_space, "presentation.next");
  press_key (window, GDK_KEY_space, "presentation.next");
  assert_position_shown (presentation, 3, n);
  press_key (window, GDK_KEY_BackSpace, "presentation.previous");
  assert_position_shown (presentation, 2, n);

  press_key (window, GDK_KEY_End, "presentation.last");
  assert_position_shown (presentation, n, n);
  /* No wrapping round at either end. */
  press_key (window, GDK_KEY_Right, "presentation.next");
  assert_position_shown (presentation, n, n);
  press_key (window, GDK_KEY_Home, "presentation.first");
  assert_position_shown (presentation, 1, n);
  press_key (window, GDK_KEY_Left, "presentation.previous");
  assert_position_shown (presentation, 1, n);

  /* Esc leaves, back to the page as it was. */
  press_key (window, GDK_KEY_Escape, "presentation.leave");
  g_assert_true (cb_ui_wait_for (presentation_gone, NULL, 3000));
  g_assert_true (cb_ui_is_shown (GTK_WIDGET (page)));
}

static GtkWidget *
visible_slide (CbPresentationWindow *presentation)
{
  GtkStack *stack = GTK_STACK (cb_ui_find_by_type (GTK_WIDGET (presentation), GTK_TYPE_STACK));

  return gtk_stack_get_visible_child (stack);
}

/* Large type, yet every card fits a 1280×800 projector without scrolling:
 * the slide's scroller has nothing more to show. */
static void
test_presentation_fits (CbUiFixture   *fixture,
                        gconstpointer  data)
{
  CbGuidancePage *page = show_guidance_page (fixture);
  guint n = g_list_model_get_n_items (cb_guidance_library_get_cards (library ()));
  CbPresentationWindow *presentation = start_presentation (page);
  GtkWidget *window = GTK_WIDGET (presentation);
  GtkSettings *settings = gtk_settings_get_default ();

  /* Only the layout matters here: no slide animations to wait for. */
  g_object_set (settings, "gtk-enable-animations", FALSE, NULL);
  gtk_window_unfullscreen (GTK_WINDOW (presentation));
  gtk_window_set_default_size (GTK_WINDOW (presentation), 1280, 800);
  cb_ui_wait (300);
  g_assert_cmpint (gtk_widget_get_width (window), <=, 1280);
  g_assert_cmpint (gtk_widget_get_height (window), <=, 800);
  g_assert_cmpuint (cb_presentation_window_get_n_cards (presentation), ==, n);

  for (guint i = 0; i < n; i++)
    {
      GtkScrolledWindow *scroller;
      GtkAdjustment *adjustment;

      cb_presentation_window_go_to (presentation, i);
      cb_ui_wait (i == 0 ? 300 : 30);
      scroller = GTK_SCROLLED_WINDOW (cb_ui_find_by_type (visible_slide (presentation), GTK_TYPE_SCROLLED_WINDOW));
      adjustment = gtk_scrolled_window_get_vadjustment (scroller);
      if (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 1)
        {
          g_autofree char *name = g_strdup_printf ("guidance-presentation-overflow-%u.png", i);
          cb_ui_save_screenshot (window, name);
          g_error ("Card %s does not fit: %.0f px of text in %.0f px",
                   cb_guidance_card_get_id (cb_presentation_window_get_card (presentation)),
                   gtk_adjustment_get_upper (adjustment), gtk_adjustment_get_page_size (adjustment));
        }
      if (g_str_equal (cb_guidance_card_get_id (cb_presentation_window_get_card (presentation)), "findings-workforce"))
        cb_ui_save_screenshot (window, "guidance-presentation-longest.png");
    }

  press_key (window, GDK_KEY_Escape, "presentation.leave");
  g_assert_true (cb_ui_wait_for (presentation_gone, NULL, 3000));
  gtk_settings_reset_property (settings, "gtk-enable-animations");
}

/* The deck is what the search shows, and presentation takes that deck. */
static void
test_search_deck (CbUiFixture   *fixture,
                  gconstpointer  data)
{
  CbGuidancePage *page = show_guidance_page (fixture);
  guint n_all = g_list_model_get_n_items (cb_guidance_library_get_cards (library ()));
  guint n = count_matches ("custody");
  CbPresentationWindow *presentation;
  g_autofree char *subtitle = NULL;
  GtkWidget *empty;

  g_assert_cmpuint (n, >, 1);
  g_assert_cmpuint (n, <, n_all);

  /* Case and accents are ignored. */
  search_for (page, "CÜSTODY", n);
  g_assert_cmpuint (n_tiles (page), ==, n);
  subtitle = g_strdup_printf ("%u cards match", n);
  g_assert_true (cb_ui_is_shown (cb_ui_find_label (GTK_WIDGET (page), subtitle)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbGuidanceCard) card = g_list_model_get_item (cb_guidance_page_get_deck (page), i);
      g_assert_true (cb_guidance_card_matches (card, "custody"));
    }
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "guidance-search.png");

  presentation = start_presentation (page);
  g_assert_cmpuint (cb_presentation_window_get_n_cards (presentation), ==, n);
  assert_position_shown (presentation, 1, n);
  press_key (GTK_WIDGET (presentation), GDK_KEY_Right, "presentation.next");
  assert_position_shown (presentation, 2, n);
  press_key (GTK_WIDGET (presentation), GDK_KEY_Escape, "presentation.leave");
  g_assert_true (cb_ui_wait_for (presentation_gone, NULL, 3000));

  /* Nothing found: an empty state, and nothing to present or print. */
  search_for (page, "zzqxv", 0);
  empty = cb_ui_find_label (GTK_WIDGET (page), "No Matching Cards");
  g_assert_true (cb_ui_is_shown (empty));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "guidance.present", NULL) &&
                  find_presentation () != NULL);
  g_assert_null (find_presentation ());
  cb_ui_save_screenshot (GTK_WIDGET (fixture->window), "guidance-empty.png");

  /* Clearing the search brings every card back. */
  search_for (page, "", n_all);
  wait_hidden (empty);
}

/* "Read guidance" on a case's practice gap lands on the linked card, even
 * when a search on the page would hide it. */
static void
test_show_card_action (CbUiFixture   *fixture,
                       gconstpointer  data)
{
  CbGuidancePage *page = show_guidance_page (fixture);
  CbGuidanceCard *card = cb_guidance_library_find (library (), LINKED_CARD);

  g_assert_nonnull (card);
  search_for (page, "zzqxv", 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "dashboard");
  cb_ui_wait (50);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-card", "s", LINKED_CARD));
  cb_ui_wait (100);
  g_assert_cmpstr (cb_window_get_page (fixture->window), ==, "guidance");
  assert_detail_shows (page, card);

  /* The deck is now the card's section, so Present runs through it. */
  g_assert_cmpuint (g_list_model_get_n_items (cb_guidance_page_get_deck (page)), ==,
                    g_list_model_get_n_items (cb_guidance_library_get_section_cards (library (), "supervision")));

  /* An unknown card leaves the page as it was. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-card", "s", "no-such-card");
  cb_ui_wait (50);
  assert_detail_shows (page, card);
}

static CbCase *
case_with_gap (CbCaseStore *store,
               CbGapFlags   gap)
{
  gint64 n = cb_case_store_count (store);

  for (gint64 id = 1; id <= n; id++)
    {
      g_autoptr(CbCase) record = cb_case_store_get_by_id (store, id, NULL);

      if (record != NULL && (cb_practice_gaps_for_case (record) & gap) != 0)
        return g_steal_pointer (&record);
    }

  return NULL;
}

static GtkWidget *
find_button_with_target (GtkWidget  *root,
                         const char *target)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child))
        {
          GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (child));

          if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
              g_str_equal (g_variant_get_string (value, NULL), target))
            return child;
        }
      if ((found = find_button_with_target (child, target)))
        return found;
    }

  return NULL;
}

static gboolean
card_shown (gpointer data)
{
  CbGuidancePage *page = data;
  CbGuidanceCard *shown = cb_guidance_page_get_shown_card (page);

  return shown != NULL && g_str_equal (cb_guidance_card_get_id (shown), LINKED_CARD);
}

/* The same from the real case editor: a case that was never tested. */
static void
test_read_guidance_from_case (CbUiFixture   *fixture,
                              gconstpointer  data)
{
  g_autoptr(CbCase) record = NULL;
  CbCaseStore *store;
  CbCaseEditor *editor;
  CbGuidancePage *page;
  GtkWidget *button;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CbCaseStore) live = cb_case_store_open (NULL, &error);

    g_assert_no_error (error);
    cb_demo_data_generate (live, 200, 11, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  cb_ui_start_app (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "cases");
  cb_ui_wait (50);
  page = CB_GUIDANCE_PAGE (cb_ui_find_by_type (GTK_WIDGET (fixture->window), CB_TYPE_GUIDANCE_PAGE));

  store = cb_application_get_store (fixture->app);
  record = case_with_gap (store, CB_GAP_NOT_TESTED);
  g_assert_nonnull (record);

  editor = cb_case_editor_new (GTK_WINDOW (fixture->window), store, record);
  gtk_window_present (GTK_WINDOW (editor));
  cb_ui_wait (150);
  g_assert_true (cb_case_editor_get_gaps (editor) & CB_GAP_NOT_TESTED);

  button = find_button_with_target (GTK_WIDGET (editor), LINKED_CARD);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);

  g_assert_true (cb_ui_wait_for (card_shown, page, 5000));
  g_assert_cmpstr (cb_window_get_page (fixture->window), ==, "guidance");
  assert_detail_shows (page, cb_guidance_library_find (library (), LINKED_CARD));
}

/* The handout */

static guint
pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *line;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  line = strstr (out, "\nPages:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nPages:"), NULL, 10);
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return out;
}

/* pdftotext breaks lines where the layout wrapped them. */
static gboolean
text_contains (const char *text,
               const char *needle)
{
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *flat_text = g_regex_replace_literal (spaces, text, -1, 0, " ", 0, NULL);
  g_autofree char *flat_needle = g_regex_replace_literal (spaces, needle, -1, 0, " ", 0, NULL);

  return strstr (flat_text, flat_needle) != NULL;
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
test_handout_pages (void)
{
  g_autofree char *folder = g_dir_make_tmp ("casebook-handout-XXXXXX", NULL);
  g_autofree char *one = g_build_filename (folder, "one.pdf", NULL);
  g_autofree char *two = g_build_filename (folder, "two.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *footer = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *section = cb_guidance_library_get_section_cards (library (), "supervision");
  guint n = g_list_model_get_n_items (section);
  g_autoptr(CbGuidanceCard) first = g_list_model_get_item (section, 0);
  g_autoptr(CbGuidanceCard) last = g_list_model_get_item (section, n - 1);

  g_assert_cmpuint (n, >, 2);

  /* One card per page. */
  g_assert_true (cb_handout_write (section, 1, one, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_pages (one), ==, n);

  /* The card's text is really there, with a numbered footer per page. */
  text = pdf_text (one);
  g_assert_true (text_contains (text, cb_guidance_card_get_title (first)));
  g_assert_true (text_contains (text, cb_guidance_card_get_summary (first)));
  footer = g_strdup_printf ("Casebook — effective practice guidance — page %u", n);
  g_assert_nonnull (strstr (text, footer));
  g_assert_nonnull (strstr (text, "Casebook — effective practice guidance — page 1"));

  /* Two per page: half the pages, rounded up; every card still there. */
  g_assert_true (cb_handout_write (section, 2, two, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_pages (two), ==, (n + 1) / 2);
  g_clear_pointer (&text, g_free);
  text = pdf_text (two);
  g_assert_true (text_contains (text, cb_guidance_card_get_title (first)));
  g_assert_true (text_contains (text, cb_guidance_card_get_title (last)));

  /* Every card in the library fits, one and two to a page. */
  g_assert_true (cb_handout_write (cb_guidance_library_get_cards (library ()), 2, two, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_pages (two), ==,
                    (g_list_model_get_n_items (cb_guidance_library_get_cards (library ())) + 1) / 2);

  /* Only the two handouts: no temporary files left behind. */
  g_assert_cmpuint (count_files (folder), ==, 2);

  g_unlink (one);
  g_unlink (two);
  g_rmdir (folder);
}

static void
test_handout_errors (void)
{
  g_autofree char *folder = g_dir_make_tmp ("casebook-handout-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (folder, "no-such-folder", "handout.pdf", NULL);
  g_autofree char *path = g_build_filename (folder, "handout.pdf", NULL);
  g_autoptr(GListStore) none = g_list_store_new (CB_TYPE_GUIDANCE_CARD);
  g_autoptr(GError) error = NULL;

  /* A folder that is not there: said so, nothing written. */
  g_assert_false (cb_handout_write (cb_guidance_library_get_cards (library ()), 1, missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  {
    /* The message may start a sentence with it or follow a semicolon. */
    g_autofree char *lower = g_utf8_strdown (error->message, -1);

    g_assert_nonnull (strstr (lower, "choose a folder"));
  }
  g_clear_error (&error);

  /* No cards: no empty PDF. */
  g_assert_false (cb_handout_write (G_LIST_MODEL (none), 1, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (folder), ==, 0);

  g_rmdir (folder);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* Export Handout… from the page, past the file chooser: the deck as shown. */
static void
test_handout_from_page (CbUiFixture   *fixture,
                        gconstpointer  data)
{
  CbGuidancePage *page = show_guidance_page (fixture);
  g_autofree char *folder = g_dir_make_tmp ("casebook-handout-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "Guidance - harm.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint n = count_matches ("custody");

  search_for (page, "custody", n);
  g_assert_true (cb_ui_find_action_button (GTK_WIDGET (page), "guidance.export-handout") != NULL);

  cb_guidance_page_export_handout (page, file, 2);
  g_assert_true (cb_ui_wait_for (file_exists, path, 10000));
  cb_ui_wait (100);
  g_assert_cmpuint (pdf_pages (path), ==, (n + 1) / 2);

  g_unlink (path);
  g_rmdir (folder);
}

int
main (int    argc,
      char **argv)
{
  cb_ui_test_init (&argc, &argv);

  CB_UI_ADD_TEST ("/guidance/grid-and-detail", test_grid_and_detail);
  CB_UI_ADD_TEST ("/guidance/section-filter", test_section_filter);
  CB_UI_ADD_TEST ("/guidance/narrow-window", test_narrow_window);
  CB_UI_ADD_TEST ("/guidance/presentation-keys", test_presentation_keys);
  CB_UI_ADD_TEST ("/guidance/presentation-fits", test_presentation_fits);
  CB_UI_ADD_TEST ("/guidance/search-deck", test_search_deck);
  CB_UI_ADD_TEST ("/guidance/show-card-action", test_show_card_action);
  CB_UI_ADD_TEST ("/guidance/read-guidance-from-case", test_read_guidance_from_case);
  CB_UI_ADD_TEST ("/guidance/handout-from-page", test_handout_from_page);
  g_test_add_func ("/guidance/handout-pages", test_handout_pages);
  g_test_add_func ("/guidance/handout-errors", test_handout_errors);

  return g_test_run ();
}
