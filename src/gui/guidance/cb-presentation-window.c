/* cb-presentation-window.c — guidance cards full screen, for training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One card at a time in large type, moved through with the keys a
 * presenter's clicker sends (Page Up/Down) as well as the arrows, Space
 * and Backspace; Esc leaves. The keys are caught in the capture phase so
 * they work whichever control has the focus: a presenter should never
 * have to click into the window first.
 *
 * The deck is a copy of the cards the Guidance page showed when the
 * presentation started, so searching on the page meanwhile changes nothing
 * here.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-guidance-slide.h"
#include "cb-guidance-util.h"
#include "cb-presentation-window.h"

struct _CbPresentationWindow
{
  AdwWindow        parent_instance;

  GListStore      *deck;
  guint            position;
  GtkCssProvider  *type_size;      /* the slides' base font size */
  int              base_px;
  guint            type_size_idle;

  GtkStack        *slide_stack;
  CbGuidanceSlide *slide_a;
  CbGuidanceSlide *slide_b;
  GtkProgressBar  *progress_bar;
  GtkLabel        *deck_label;
  GtkLabel        *position_label;
};

G_DEFINE_FINAL_TYPE (CbPresentationWindow, cb_presentation_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Key bindings: alternatives separated by "|", as GtkShortcutTrigger
 * parses them. */
static const struct {
  const char *keys;
  const char *action;
} key_bindings[] = {
  { "Right|Page_Down|space|Down|KP_Right|KP_Page_Down", "presentation.next" },
  { "Left|Page_Up|BackSpace|Up|KP_Left|KP_Page_Up", "presentation.previous" },
  { "Home|KP_Home", "presentation.first" },
  { "End|KP_End", "presentation.last" },
  { "Escape|F5", "presentation.leave" },
};

/* Large type means large for the screen in use: the base size follows the
 * window, so a card fills a 1280×800 projector and a 4K screen alike. The
 * width counts too, for squarer screens where lines wrap sooner. */
static int
base_size_for (int width,
               int height)
{
  return CLAMP (MIN (height / 40, width / 64), 12, 56);
}

static gboolean
apply_type_size (gpointer data)
{
  CbPresentationWindow *self = data;
  g_autofree char *css = g_strdup_printf (".slide { font-size: %dpx; }", self->base_px);

  self->type_size_idle = 0;
  gtk_css_provider_load_from_data (self->type_size, css, -1);

  return G_SOURCE_REMOVE;
}

/* The CSS changes after allocation, never during it. */
static void
cb_presentation_window_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (widget);
  int base_px = base_size_for (width, height);

  GTK_WIDGET_CLASS (cb_presentation_window_parent_class)->size_allocate (widget, width, height, baseline);

  if (base_px != self->base_px)
    {
      self->base_px = base_px;
      if (self->type_size_idle == 0)
        self->type_size_idle = g_idle_add (apply_type_size, self);
    }
}

static void
cb_presentation_window_realize (GtkWidget *widget)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (widget);

  GTK_WIDGET_CLASS (cb_presentation_window_parent_class)->realize (widget);
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (widget),
                                              GTK_STYLE_PROVIDER (self->type_size),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

static void
cb_presentation_window_unrealize (GtkWidget *widget)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (widget);

  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (widget),
                                                 GTK_STYLE_PROVIDER (self->type_size));
  GTK_WIDGET_CLASS (cb_presentation_window_parent_class)->unrealize (widget);
}

static guint
n_cards (CbPresentationWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->deck));
}

static void
update_controls (CbPresentationWindow *self)
{
  guint n = n_cards (self);
  g_autofree char *position = NULL;
  g_autofree char *description = NULL;

  /* Translators: the position in a presentation, e.g. "7 / 38" */
  position = g_strdup_printf (_("%u / %u"), self->position + 1, n);
  gtk_label_set_text (self->position_label, position);

  /* Translators: spoken by screen readers, e.g. "Card 7 of 38" */
  description = g_strdup_printf (_("Card %u of %u"), self->position + 1, n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->position_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);

  gtk_progress_bar_set_fraction (self->progress_bar, n > 0 ? (double) (self->position + 1) / n : 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "presentation.previous", self->position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "presentation.first", self->position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "presentation.next", self->position + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "presentation.last", self->position + 1 < n);
}

/* Shows the card at @position on whichever slide is hidden, then slides it
 * in from the side the presenter is moving towards. */
static void
show_position (CbPresentationWindow   *self,
               guint                   position,
               GtkStackTransitionType  transition)
{
  g_autoptr(CbGuidanceCard) card = g_list_model_get_item (G_LIST_MODEL (self->deck), position);
  GtkWidget *visible = gtk_stack_get_visible_child (self->slide_stack);
  CbGuidanceSlide *next = visible == GTK_WIDGET (self->slide_a) ? self->slide_b : self->slide_a;

  self->position = position;
  cb_guidance_slide_set_card (next, card);
  gtk_stack_set_transition_type (self->slide_stack, transition);
  gtk_stack_set_visible_child (self->slide_stack, GTK_WIDGET (next));

  update_controls (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

void
cb_presentation_window_go_to (CbPresentationWindow *self,
                              guint                 position)
{
  GtkStackTransitionType transition;

  g_return_if_fail (CB_IS_PRESENTATION_WINDOW (self));
  g_return_if_fail (position < n_cards (self));

  if (position == self->position)
    return;

  if (position == self->position + 1)
    transition = GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT;
  else if (position + 1 == self->position)
    transition = GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT;
  else
    transition = GTK_STACK_TRANSITION_TYPE_CROSSFADE;

  show_position (self, position, transition);
}

guint
cb_presentation_window_get_position (CbPresentationWindow *self)
{
  g_return_val_if_fail (CB_IS_PRESENTATION_WINDOW (self), 0);

  return self->position;
}

guint
cb_presentation_window_get_n_cards (CbPresentationWindow *self)
{
  g_return_val_if_fail (CB_IS_PRESENTATION_WINDOW (self), 0);

  return n_cards (self);
}

/**
 * cb_presentation_window_get_card:
 *
 * Returns: (transfer none): the card on screen
 */
CbGuidanceCard *
cb_presentation_window_get_card (CbPresentationWindow *self)
{
  GtkWidget *visible;

  g_return_val_if_fail (CB_IS_PRESENTATION_WINDOW (self), NULL);

  visible = gtk_stack_get_visible_child (self->slide_stack);
  return cb_guidance_slide_get_card (CB_GUIDANCE_SLIDE (visible));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (widget);

  if (self->position + 1 < n_cards (self))
    cb_presentation_window_go_to (self, self->position + 1);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (widget);

  if (self->position > 0)
    cb_presentation_window_go_to (self, self->position - 1);
}

static void
first_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  cb_presentation_window_go_to (CB_PRESENTATION_WINDOW (widget), 0);
}

static void
last_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (widget);

  cb_presentation_window_go_to (self, n_cards (self) - 1);
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
add_key_bindings (CbPresentationWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "presentation-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);

  for (guint i = 0; i < G_N_ELEMENTS (key_bindings); i++)
    {
      GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (key_bindings[i].keys);
      GtkShortcutAction *action = gtk_named_action_new (key_bindings[i].action);

      g_assert (trigger != NULL);
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger, action));
    }

  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
cb_presentation_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_presentation_window_dispose (GObject *object)
{
  CbPresentationWindow *self = CB_PRESENTATION_WINDOW (object);

  g_clear_handle_id (&self->type_size_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_PRESENTATION_WINDOW);
  g_clear_object (&self->deck);
  g_clear_object (&self->type_size);

  G_OBJECT_CLASS (cb_presentation_window_parent_class)->dispose (object);
}

static void
cb_presentation_window_class_init (CbPresentationWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_presentation_window_dispose;
  object_class->get_property = cb_presentation_window_get_property;
  widget_class->size_allocate = cb_presentation_window_size_allocate;
  widget_class->realize = cb_presentation_window_realize;
  widget_class->unrealize = cb_presentation_window_unrealize;

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CB_TYPE_GUIDANCE_SLIDE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cb-presentation-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPresentationWindow, slide_stack);
  gtk_widget_class_bind_template_child (widget_class, CbPresentationWindow, slide_a);
  gtk_widget_class_bind_template_child (widget_class, CbPresentationWindow, slide_b);
  gtk_widget_class_bind_template_child (widget_class, CbPresentationWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CbPresentationWindow, deck_label);
  gtk_widget_class_bind_template_child (widget_class, CbPresentationWindow, position_label);

  gtk_widget_class_install_action (widget_class, "presentation.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "presentation.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "presentation.first", NULL, first_action);
  gtk_widget_class_install_action (widget_class, "presentation.last", NULL, last_action);
  gtk_widget_class_install_action (widget_class, "presentation.leave", NULL, leave_action);
}

static void
cb_presentation_window_init (CbPresentationWindow *self)
{
  cb_guidance_load_css ();
  self->type_size = gtk_css_provider_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  add_key_bindings (self);
}

/**
 * cb_presentation_window_new:
 * @deck: a #GListModel of #CbGuidanceCard, not empty; it is copied
 * @deck_title: what the deck is, e.g. a section title, shown in the corner
 * @position: the card to start at
 *
 * Returns: (transfer none): a new window, owned by GTK like every toplevel;
 *   present it with gtk_window_fullscreen() and gtk_window_present()
 */
CbPresentationWindow *
cb_presentation_window_new (GListModel *deck,
                            const char *deck_title,
                            guint       position)
{
  CbPresentationWindow *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (deck), NULL);
  g_return_val_if_fail (g_list_model_get_n_items (deck) > 0, NULL);
  g_return_val_if_fail (position < g_list_model_get_n_items (deck), NULL);

  self = g_object_new (CB_TYPE_PRESENTATION_WINDOW, NULL);
  self->deck = g_list_store_new (CB_TYPE_GUIDANCE_CARD);
  n = g_list_model_get_n_items (deck);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbGuidanceCard) card = g_list_model_get_item (deck, i);
      g_list_store_append (self->deck, card);
    }

  gtk_label_set_text (self->deck_label, deck_title != NULL ? deck_title : "");
  show_position (self, position, GTK_STACK_TRANSITION_TYPE_NONE);

  return self;
}
