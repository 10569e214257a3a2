/* cb-guidance-page.c — the effective-practice guidance cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sections in a sidebar, the cards of the chosen section (narrowed by the
 * search) in a grid, and a card's detail in place of the grid. The cards
 * shown make up the "deck": presentation mode and the printed handout both
 * take exactly the deck, so a trainer picks a section or searches, then
 * presents or prints what they see.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-guidance-card-view.h"
#include "cb-guidance-library.h"
#include "cb-guidance-page.h"
#include "cb-guidance-tile.h"
#include "cb-guidance-util.h"
#include "cb-handout.h"
#include "cb-presentation-window.h"
#include "cb-window.h"

struct _CbGuidancePage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwLeaflet           *leaflet;
  GtkListBox           *section_list;
  GtkStack             *content_stack;
  GtkWidget            *browse_box;
  GtkSearchEntry       *search_entry;
  GtkLabel             *deck_title_label;
  GtkLabel             *deck_subtitle_label;
  GtkStack             *results_stack;
  GtkFlowBox           *card_grid;
  AdwStatusPage        *empty_page;
  GtkWidget            *search_all_button;
  GtkWidget            *back_button;
  GtkLabel             *detail_position_label;
  CbGuidanceCardView   *card_view;

  CbGuidanceLibrary    *library;       /* borrowed: the shared default */
  GListStore           *deck;          /* the cards shown */
  char                 *section_id;    /* NULL for all cards */
  char                 *section_title;
  char                 *applied_query; /* the search the deck reflects */
  guint                 detail_position;
  CbPresentationWindow *presentation;  /* weak */
};

G_DEFINE_FINAL_TYPE (CbGuidancePage, cb_guidance_page, ADW_TYPE_BIN)

#define SECTION_ID_KEY "cb-section-id"

static gboolean
in_detail (CbGuidancePage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "detail") == 0;
}

static guint
deck_size (CbGuidancePage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->deck));
}

static const char *
deck_title (CbGuidancePage *self)
{
  return self->section_title != NULL ? self->section_title : _("All Cards");
}

static void
toast (CbGuidancePage *self,
       AdwToast       *new_toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), CB_TYPE_WINDOW);

  /* Outside a Casebook window (a test's bare window) there is nowhere to
   * show it. */
  if (window != NULL)
    cb_window_add_toast (CB_WINDOW (window), new_toast);
  else
    g_object_unref (new_toast);
}

/* The deck */

static void
update_heading (CbGuidancePage *self)
{
  guint n = deck_size (self);
  const char *query = self->applied_query != NULL ? self->applied_query : "";
  g_autofree char *subtitle = NULL;

  gtk_label_set_text (self->deck_title_label, deck_title (self));

  if (query[0] == '\0')
    subtitle = g_strdup_printf (ngettext ("%u card", "%u cards", n), n);
  else
    /* Translators: %u is a number of cards, %s the words searched for */
    subtitle = g_strdup_printf (ngettext ("%u card matches “%s”", "%u cards match “%s”", n), n, query);
  gtk_label_set_text (self->deck_subtitle_label, subtitle);
}

static void
update_empty_state (CbGuidancePage *self)
{
  g_autofree char *description = NULL;

  if (self->section_id != NULL)
    /* Translators: %s is the words searched for */
    description = g_strdup_printf (_("No card in this section mentions “%s”. Try other words, or search all the cards."),
                                   self->applied_query);
  else
    description = g_strdup_printf (_("No card mentions “%s”. Try other words."), self->applied_query);

  adw_status_page_set_description (self->empty_page, description);
  gtk_widget_set_visible (self->search_all_button, self->section_id != NULL);
}

static void
update_actions (CbGuidancePage *self)
{
  gboolean has_cards = deck_size (self) > 0;
  gboolean detail = in_detail (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guidance.present", has_cards);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guidance.export-handout", has_cards);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guidance.back", detail);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guidance.previous-card",
                                 detail && self->detail_position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guidance.next-card",
                                 detail && self->detail_position + 1 < deck_size (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guidance.search-all", self->section_id != NULL);
}

/* Rebuilds the deck from the chosen section and the search, in one
 * change so the grid rebuilds once. */
static void
update_deck (CbGuidancePage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) found = NULL;
  GListModel *source;
  guint n;

  if (self->library == NULL)
    return;

  if (self->section_id == NULL)
    source = found = cb_guidance_library_search (self->library, query);
  else
    source = cb_guidance_library_get_section_cards (self->library, self->section_id);

  n = source != NULL ? g_list_model_get_n_items (source) : 0;
  for (guint i = 0; i < n; i++)
    {
      CbGuidanceCard *card = g_list_model_get_item (source, i);

      if (cb_guidance_card_matches (card, query))
        g_ptr_array_add (cards, card);
      else
        g_object_unref (card);
    }

  g_free (self->applied_query);
  self->applied_query = g_strdup (query);
  g_list_store_splice (self->deck, 0, deck_size (self), cards->pdata, cards->len);

  update_heading (self);
  update_empty_state (self);
  gtk_stack_set_visible_child_name (self->results_stack, cards->len > 0 ? "grid" : "empty");
  update_actions (self);
}

static GtkWidget *
create_tile (gpointer item,
             gpointer user_data)
{
  CbGuidancePage *self = user_data;

  /* Tiles name their section only where the deck mixes sections. */
  return cb_guidance_tile_new (CB_GUIDANCE_CARD (item), self->section_id == NULL);
}

static gboolean
deck_find (CbGuidancePage *self,
           CbGuidanceCard *card,
           guint          *position)
{
  return g_list_store_find (self->deck, card, position);
}

/* The sidebar */

static GtkWidget *
section_row (const char *section_id,
             const char *title,
             guint       n_cards)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title_label = gtk_label_new (title);
  g_autofree char *count = g_strdup_printf ("%u", n_cards);
  GtkWidget *count_label = gtk_label_new (count);
  /* Translators: a section in the sidebar, read by screen readers, e.g.
   * "Case supervision, 9 cards" */
  g_autofree char *accessible = g_strdup_printf (ngettext ("%s, %u card", "%s, %u cards", n_cards),
                                                 title, n_cards);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title_label, TRUE);
  gtk_widget_add_css_class (count_label, "dim-label");
  gtk_widget_add_css_class (count_label, "guidance-count");
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), count_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, title);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (row), SECTION_ID_KEY, g_strdup (section_id), g_free);

  return row;
}

static void
fill_sections (CbGuidancePage *self)
{
  guint n_sections;

  if (self->library == NULL)
    return;

  gtk_list_box_append (self->section_list,
                       section_row (NULL, _("All Cards"),
                                    g_list_model_get_n_items (cb_guidance_library_get_cards (self->library))));

  n_sections = cb_guidance_library_get_n_sections (self->library);
  for (guint i = 0; i < n_sections; i++)
    {
      const char *id = cb_guidance_library_get_section_id (self->library, i);
      GListModel *cards = cb_guidance_library_get_section_cards (self->library, id);

      gtk_list_box_append (self->section_list,
                           section_row (id, cb_guidance_library_get_section_title (self->library, i),
                                        g_list_model_get_n_items (cards)));
    }
}

static GtkListBoxRow *
find_section_row (CbGuidancePage *self,
                  const char     *section_id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->section_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (row), SECTION_ID_KEY), section_id) == 0)
        return GTK_LIST_BOX_ROW (row);
    }

  return NULL;
}

static const char *
section_title_for (CbGuidancePage *self,
                   const char     *section_id)
{
  guint n_sections = cb_guidance_library_get_n_sections (self->library);

  for (guint i = 0; i < n_sections; i++)
    {
      if (g_str_equal (cb_guidance_library_get_section_id (self->library, i), section_id))
        return cb_guidance_library_get_section_title (self->library, i);
    }

  return NULL;
}

static void
show_browse (CbGuidancePage *self)
{
  gtk_stack_set_visible_child_name (self->content_stack, "browse");
  update_actions (self);
}

static void
on_section_selected (CbGuidancePage *self,
                     GtkListBoxRow  *row)
{
  const char *section_id;

  if (row == NULL || self->library == NULL)
    return;

  section_id = g_object_get_data (G_OBJECT (row), SECTION_ID_KEY);
  g_free (self->section_id);
  self->section_id = g_strdup (section_id);
  g_free (self->section_title);
  self->section_title = section_id != NULL ? g_strdup (section_title_for (self, section_id)) : NULL;

  update_deck (self);
  show_browse (self);
}

static void
on_section_activated (CbGuidancePage *self,
                      GtkListBoxRow  *row)
{
  /* On a narrow window the sidebar covers the cards: go to them. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

/**
 * cb_guidance_page_set_section:
 * @section_id: (nullable): a section of the guidance library, or %NULL for
 *   all cards
 *
 * Shows the cards of a section, as choosing it in the sidebar does.
 */
void
cb_guidance_page_set_section (CbGuidancePage *self,
                              const char     *section_id)
{
  GtkListBoxRow *row;

  g_return_if_fail (CB_IS_GUIDANCE_PAGE (self));

  row = find_section_row (self, section_id);
  g_return_if_fail (row != NULL);

  if (gtk_list_box_get_selected_row (self->section_list) == row)
    on_section_selected (self, row);
  else
    gtk_list_box_select_row (self->section_list, row);
}

/* The card detail */

static void
show_detail (CbGuidancePage *self,
             guint           position)
{
  g_autoptr(CbGuidanceCard) card = g_list_model_get_item (G_LIST_MODEL (self->deck), position);
  /* Translators: which card of the deck is shown, e.g. "3 of 9" */
  g_autofree char *where = g_strdup_printf (_("%u of %u"), position + 1, deck_size (self));

  g_return_if_fail (card != NULL);

  self->detail_position = position;
  cb_guidance_card_view_set_card (self->card_view, card);
  gtk_label_set_text (self->detail_position_label, where);
  gtk_stack_set_visible_child_name (self->content_stack, "detail");
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");

  update_actions (self);
  gtk_widget_grab_focus (self->back_button);
}

static void
on_tile_activated (CbGuidancePage  *self,
                   GtkFlowBoxChild *child)
{
  show_detail (self, (guint) gtk_flow_box_child_get_index (child));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (widget);
  GtkFlowBoxChild *tile;

  show_browse (self);

  /* Keyboard users carry on from the card they opened. */
  tile = gtk_flow_box_get_child_at_index (self->card_grid, (int) self->detail_position);
  if (tile != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (tile));
}

static void
previous_card_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (widget);

  if (self->detail_position > 0)
    show_detail (self, self->detail_position - 1);
}

static void
next_card_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (widget);

  if (self->detail_position + 1 < deck_size (self))
    show_detail (self, self->detail_position + 1);
}

/**
 * cb_guidance_page_show_card:
 * @card_id: the id of a guidance card
 *
 * Opens the card's detail, as "Read guidance" on a case's practice gap
 * does. A card outside the deck brings its whole section into view first,
 * so the previous and next buttons then walk through that section.
 */
void
cb_guidance_page_show_card (CbGuidancePage *self,
                            const char     *card_id)
{
  CbGuidanceCard *card;
  guint position;

  g_return_if_fail (CB_IS_GUIDANCE_PAGE (self));
  g_return_if_fail (card_id != NULL);

  card = self->library != NULL ? cb_guidance_library_find (self->library, card_id) : NULL;
  if (card == NULL)
    {
      /* Links come from cases and might outlive a card renamed upstream. */
      toast (self, adw_toast_new (_("That guidance card is not in this version of Casebook")));
      return;
    }

  if (!deck_find (self, card, &position))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      cb_guidance_page_set_section (self, cb_guidance_card_get_section_id (card));
      if (!deck_find (self, card, &position))
        g_return_if_reached ();
    }

  show_detail (self, position);
}

/**
 * cb_guidance_page_get_shown_card:
 *
 * Returns: (transfer none) (nullable): the card whose detail is shown, or
 *   %NULL while the grid is shown
 */
CbGuidanceCard *
cb_guidance_page_get_shown_card (CbGuidancePage *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_PAGE (self), NULL);

  return in_detail (self) ? cb_guidance_card_view_get_card (self->card_view) : NULL;
}

/**
 * cb_guidance_page_get_deck:
 *
 * Returns: (transfer none): a #GListModel of the #CbGuidanceCard shown:
 *   the chosen section's cards that match the search
 */
GListModel *
cb_guidance_page_get_deck (CbGuidancePage *self)
{
  g_return_val_if_fail (CB_IS_GUIDANCE_PAGE (self), NULL);

  return G_LIST_MODEL (self->deck);
}

/* Searching */

static void
on_search_changed (CbGuidancePage *self)
{
  if (g_strcmp0 (self->applied_query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) == 0)
    return;

  update_deck (self);
}

static void
on_stop_search (CbGuidancePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Enter in the search opens the first card found. */
static void
on_search_activate (CbGuidancePage *self)
{
  on_search_changed (self);
  if (deck_size (self) > 0)
    show_detail (self, 0);
}

void
cb_guidance_page_focus_search (CbGuidancePage *self)
{
  g_return_if_fail (CB_IS_GUIDANCE_PAGE (self));

  show_browse (self);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  cb_guidance_page_set_section (CB_GUIDANCE_PAGE (widget), NULL);
}

static void
show_sections_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  gtk_widget_grab_focus (GTK_WIDGET (self->section_list));
}

/* Presentation mode */

static void
present_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  guint start = in_detail (self) ? self->detail_position : 0;

  if (deck_size (self) == 0)
    return;

  /* One presentation at a time, of the deck as it is now. */
  if (self->presentation != NULL)
    gtk_window_destroy (GTK_WINDOW (self->presentation));

  self->presentation = cb_presentation_window_new (G_LIST_MODEL (self->deck), deck_title (self), start);
  g_object_add_weak_pointer (G_OBJECT (self->presentation), (gpointer *) &self->presentation);

  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->presentation), GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->presentation), TRUE);
    }
  gtk_window_fullscreen (GTK_WINDOW (self->presentation));
  gtk_window_present (GTK_WINDOW (self->presentation));
}

/* The handout */

typedef struct
{
  GListStore *cards;
  guint       cards_per_page;
  GFile      *file;
} HandoutJob;

static void
handout_job_free (HandoutJob *job)
{
  g_clear_object (&job->cards);
  g_clear_object (&job->file);
  g_free (job);
}

static void
write_handout_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  HandoutJob *job = task_data;
  GError *error = NULL;

  if (cb_handout_write (G_LIST_MODEL (job->cards), job->cards_per_page,
                        g_file_peek_path (job->file), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_open_handout (AdwToast *handout_toast,
                 GtkRoot  *root)
{
  const char *uri = g_object_get_data (G_OBJECT (handout_toast), "cb-uri");

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
show_error (CbGuidancePage *self,
            const char     *heading,
            const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_handout_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (source);
  HandoutJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  AdwToast *done;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error (self, _("Could Not Export the Handout"), error);
      return;
    }

  name = g_file_get_basename (job->file);
  done = adw_toast_new_format (_("Handout saved as “%s”"), name);
  adw_toast_set_button_label (done, _("_Open"));
  g_object_set_data_full (G_OBJECT (done), "cb-uri", g_file_get_uri (job->file), g_free);
  g_signal_connect (done, "button-clicked", G_CALLBACK (on_open_handout),
                    gtk_widget_get_root (GTK_WIDGET (self)));
  toast (self, done);
}

/**
 * cb_guidance_page_export_handout:
 * @file: a local file to write
 * @cards_per_page: 1 or 2
 *
 * Writes the deck as a PDF handout in a worker thread, then says so with a
 * toast (or an error dialog). The deck is copied first, so the page can be
 * used meanwhile.
 */
void
cb_guidance_page_export_handout (CbGuidancePage *self,
                                 GFile          *file,
                                 guint           cards_per_page)
{
  g_autoptr(GTask) task = NULL;
  HandoutJob *job;
  guint n;

  g_return_if_fail (CB_IS_GUIDANCE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cards_per_page == 1 || cards_per_page == 2);

  task = g_task_new (self, NULL, on_handout_written, NULL);
  g_task_set_source_tag (task, cb_guidance_page_export_handout);

  if (g_file_peek_path (file) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The handout can only be saved to a folder on this computer. Choose a local folder."));
      return;
    }

  job = g_new0 (HandoutJob, 1);
  job->cards = g_list_store_new (CB_TYPE_GUIDANCE_CARD);
  job->cards_per_page = cards_per_page;
  job->file = g_object_ref (file);
  n = deck_size (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbGuidanceCard) card = g_list_model_get_item (G_LIST_MODEL (self->deck), i);
      g_list_store_append (job->cards, card);
    }

  g_task_set_task_data (task, job, (GDestroyNotify) handout_job_free);
  g_task_run_in_thread (task, write_handout_thread);
}

static GSettings *
app_settings (CbGuidancePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return CB_IS_APPLICATION (app) ? cb_application_get_settings (CB_APPLICATION (app)) : NULL;
}

static void
on_handout_chooser_response (CbGuidancePage       *self,
                             int                   response,
                             GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  GSettings *settings = app_settings (self);
  const char *per_page;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      per_page = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "per-page");
      folder = g_file_get_parent (file);
      if (settings != NULL && folder != NULL && g_file_peek_path (folder) != NULL)
        g_settings_set_string (settings, "last-export-folder", g_file_peek_path (folder));

      cb_guidance_page_export_handout (self, file, g_strcmp0 (per_page, "2") == 0 ? 2 : 1);
    }

  g_object_unref (chooser);
}

static void
export_handout_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GSettings *settings = app_settings (self);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  const char *choice_ids[] = { "1", "2", NULL };
  const char *choice_labels[] = { _("One card per page"), _("Two cards per page"), NULL };

  chooser = gtk_file_chooser_native_new (_("Export Handout"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "per-page", _("Layout"),
                               choice_ids, choice_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "per-page", "1");

  /* Translators: the suggested file name of a handout; %s is the section
   * shown, e.g. "Guidance - Case supervision.pdf" */
  name = g_strdup_printf (_("Guidance - %s.pdf"), deck_title (self));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  if (settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-export-folder");

      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GFile) folder = g_file_new_for_path (last);
          gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
        }
    }

  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_handout_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Set-up */

/* F5 starts a presentation from anywhere in the window while this page is
 * shown: GTK skips the shortcuts of unmapped widgets. */
static void
add_window_shortcuts (CbGuidancePage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "guidance-window-keys");
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F5, 0),
                                                          gtk_named_action_new ("guidance.present")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
cb_guidance_page_dispose (GObject *object)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (object);

  if (self->presentation != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->presentation), (gpointer *) &self->presentation);
      gtk_window_destroy (GTK_WINDOW (self->presentation));
      self->presentation = NULL;
    }

  /* The leaflet is both the bin's child and a template child: the bin
   * lets go of it first, or the template would unparent it behind the
   * bin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_GUIDANCE_PAGE);
  g_clear_object (&self->deck);

  G_OBJECT_CLASS (cb_guidance_page_parent_class)->dispose (object);
}

static void
cb_guidance_page_finalize (GObject *object)
{
  CbGuidancePage *self = CB_GUIDANCE_PAGE (object);

  g_free (self->section_id);
  g_free (self->section_title);
  g_free (self->applied_query);

  G_OBJECT_CLASS (cb_guidance_page_parent_class)->finalize (object);
}

static void
cb_guidance_page_class_init (CbGuidancePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_guidance_page_dispose;
  object_class->finalize = cb_guidance_page_finalize;

  g_type_ensure (CB_TYPE_GUIDANCE_CARD_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-guidance-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, section_list);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, browse_box);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, deck_title_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, deck_subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, card_grid);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, search_all_button);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, detail_position_label);
  gtk_widget_class_bind_template_child (widget_class, CbGuidancePage, card_view);
  gtk_widget_class_bind_template_callback (widget_class, on_section_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_section_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_tile_activated);

  gtk_widget_class_install_action (widget_class, "guidance.present", NULL, present_action);
  gtk_widget_class_install_action (widget_class, "guidance.export-handout", NULL, export_handout_action);
  gtk_widget_class_install_action (widget_class, "guidance.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "guidance.previous-card", NULL, previous_card_action);
  gtk_widget_class_install_action (widget_class, "guidance.next-card", NULL, next_card_action);
  gtk_widget_class_install_action (widget_class, "guidance.search-all", NULL, search_all_action);
  gtk_widget_class_install_action (widget_class, "guidance.show-sections", NULL, show_sections_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "guidance.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "guidance.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "guidance.previous-card", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "guidance.next-card", NULL);
}

static void
cb_guidance_page_init (CbGuidancePage *self)
{
  cb_guidance_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->deck = g_list_store_new (CB_TYPE_GUIDANCE_CARD);
  self->library = cb_guidance_library_get_default ();

  /* Folded on a narrow window, the page opens on the cards; the sidebar
   * is a button away. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

  gtk_flow_box_bind_model (self->card_grid, G_LIST_MODEL (self->deck), create_tile, self, NULL);
  gtk_search_entry_set_key_capture_widget (self->search_entry, self->browse_box);
  add_window_shortcuts (self);

  if (self->library == NULL)
    {
      /* A packaging fault, already logged by the library. */
      adw_status_page_set_title (self->empty_page, _("Guidance Not Available"));
      adw_status_page_set_description (self->empty_page,
                                       _("The guidance cards could not be loaded. Reinstalling Casebook should fix this."));
      gtk_widget_set_visible (self->search_all_button, FALSE);
      gtk_stack_set_visible_child_name (self->results_stack, "empty");
      update_actions (self);
      return;
    }

  fill_sections (self);
  gtk_list_box_select_row (self->section_list, gtk_list_box_get_row_at_index (self->section_list, 0));
}
