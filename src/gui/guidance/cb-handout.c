/* cb-handout.c — guidance cards as a printable PDF handout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For training sessions without a projector: the cards of the current deck
 * on A4, one or two to a page, drawn with cairo's PDF surface and laid out
 * with PangoCairo. Nothing here needs a display, so the handout can be made
 * from a test or a command line as well as from the Guidance page.
 *
 * Each card is laid out twice: once to measure it, once to draw it. A card
 * that does not fit its slot is laid out again at a smaller type size, so
 * long cards stay whole instead of running off the page.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "cb-guidance-card.h"
#include "cb-guidance-source.h"
#include "cb-handout.h"
#include "cb-temp-file.h"

#define MARGIN          56.0   /* about 2 cm */
#define FOOTER_HEIGHT   24.0
#define SLOT_GAP        36.0   /* between the two cards of a page */
#define MIN_SCALE       0.5
#define FONT_FAMILY     "Cantarell, Nimbus Sans, DejaVu Sans, Sans"

typedef struct { double r, g, b; } Colour;

static const Colour ink        = { 0.14, 0.12, 0.19 };
static const Colour dim_ink    = { 0.37, 0.36, 0.40 };
static const Colour accent     = { 0.11, 0.44, 0.85 };
static const Colour figure_bg  = { 0.91, 0.94, 0.99 };
static const Colour discuss_bg = { 0.95, 0.95, 0.96 };
static const Colour rule       = { 0.80, 0.80, 0.82 };

/* Where the next block goes, and whether to draw it or only measure it. */
typedef struct
{
  cairo_t      *cr;
  PangoContext *context;
  double        x;
  double        width;
  double        y;
  double        scale;
  gboolean      draw;
} Pen;

static void
set_colour (cairo_t      *cr,
            const Colour *colour)
{
  cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
}

static PangoLayout *
make_layout (Pen        *pen,
             const char *text,
             double      size,
             PangoWeight weight,
             PangoStyle  style,
             double      width)
{
  PangoLayout *layout = pango_layout_new (pen->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * pen->scale * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_font_description_set_style (font, style);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
show_layout (Pen          *pen,
             PangoLayout  *layout,
             double        x,
             double        y,
             const Colour *colour)
{
  if (!pen->draw)
    return;

  set_colour (pen->cr, colour);
  cairo_move_to (pen->cr, x, y);
  pango_cairo_show_layout (pen->cr, layout);
}

/* A paragraph across the pen's width, then @space_after points. */
static void
paragraph (Pen          *pen,
           const char   *text,
           double        size,
           PangoWeight   weight,
           PangoStyle    style,
           const Colour *colour,
           double        space_after)
{
  g_autoptr(PangoLayout) layout = make_layout (pen, text, size, weight, style, pen->width);

  show_layout (pen, layout, pen->x, pen->y, colour);
  pen->y += layout_height (layout) + space_after * pen->scale;
}

static void
eyebrow (Pen        *pen,
         const char *text)
{
  g_autofree char *upper = g_utf8_strup (text, -1);
  g_autoptr(PangoLayout) layout = make_layout (pen, upper, 8.5, PANGO_WEIGHT_BOLD,
                                               PANGO_STYLE_NORMAL, pen->width);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_letter_spacing_new ((int) (0.8 * pen->scale * PANGO_SCALE)));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  show_layout (pen, layout, pen->x, pen->y, &accent);
  pen->y += layout_height (layout) + 6 * pen->scale;
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* The key figure: the number large on the left, its caption beside it, on
 * a tinted panel with an accent bar. */
static void
figure_panel (Pen        *pen,
              const char *value,
              const char *caption)
{
  double pad = 12 * pen->scale;
  double bar = 4 * pen->scale;
  double inner = pen->width - 2 * pad - bar;
  g_autoptr(PangoLayout) value_layout = make_layout (pen, value, 24, PANGO_WEIGHT_HEAVY,
                                                     PANGO_STYLE_NORMAL, inner * 0.4);
  g_autoptr(PangoLayout) caption_layout = NULL;
  PangoRectangle logical;
  double value_width, value_height, caption_height, height;

  pango_layout_get_pixel_extents (value_layout, NULL, &logical);
  value_width = logical.width;
  value_height = layout_height (value_layout);
  caption_layout = make_layout (pen, caption ? caption : "", 10.5, PANGO_WEIGHT_NORMAL,
                                PANGO_STYLE_NORMAL, inner - value_width - pad);
  caption_height = layout_height (caption_layout);
  height = MAX (value_height, caption_height) + 2 * pad;

  if (pen->draw)
    {
      rounded_rectangle (pen->cr, pen->x, pen->y, pen->width, height, 6 * pen->scale);
      set_colour (pen->cr, &figure_bg);
      cairo_fill (pen->cr);
      cairo_rectangle (pen->cr, pen->x, pen->y + 6 * pen->scale, bar, height - 12 * pen->scale);
      set_colour (pen->cr, &accent);
      cairo_fill (pen->cr);
    }

  show_layout (pen, value_layout, pen->x + bar + pad,
               pen->y + (height - value_height) / 2, &accent);
  show_layout (pen, caption_layout, pen->x + bar + 2 * pad + value_width,
               pen->y + (height - caption_height) / 2, &ink);
  pen->y += height + 16 * pen->scale;
}

static void
heading (Pen        *pen,
         const char *text)
{
  paragraph (pen, text, 11.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, &ink, 5);
}

/* Items with a hanging marker: bullets for points, arrows for prompts. */
static void
item_list (Pen                *pen,
           const char * const *items,
           const char         *marker)
{
  double indent = 14 * pen->scale;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autoptr(PangoLayout) mark = make_layout (pen, marker, 10.5, PANGO_WEIGHT_BOLD,
                                                 PANGO_STYLE_NORMAL, indent);
      g_autoptr(PangoLayout) text = make_layout (pen, items[i], 10.5, PANGO_WEIGHT_NORMAL,
                                                 PANGO_STYLE_NORMAL, pen->width - indent);

      show_layout (pen, mark, pen->x, pen->y, &accent);
      show_layout (pen, text, pen->x + indent, pen->y, &ink);
      pen->y += layout_height (text) + 4 * pen->scale;
    }

  pen->y += 10 * pen->scale;
}

static void
discussion_panel (Pen        *pen,
                  const char *question)
{
  double pad = 12 * pen->scale;
  g_autoptr(PangoLayout) title = make_layout (pen, _("For discussion"), 9.5, PANGO_WEIGHT_BOLD,
                                              PANGO_STYLE_NORMAL, pen->width - 2 * pad);
  g_autoptr(PangoLayout) text = make_layout (pen, question, 11, PANGO_WEIGHT_NORMAL,
                                             PANGO_STYLE_ITALIC, pen->width - 2 * pad);
  double title_height = layout_height (title);
  double height = 2 * pad + title_height + 4 * pen->scale + layout_height (text);

  if (pen->draw)
    {
      rounded_rectangle (pen->cr, pen->x, pen->y, pen->width, height, 6 * pen->scale);
      set_colour (pen->cr, &discuss_bg);
      cairo_fill (pen->cr);
    }

  show_layout (pen, title, pen->x + pad, pen->y + pad, &dim_ink);
  show_layout (pen, text, pen->x + pad, pen->y + pad + title_height + 4 * pen->scale, &ink);
  pen->y += height + 12 * pen->scale;
}

/* Lays out (or only measures) one card from @pen's position; returns the
 * height it takes. */
static double
card_layout (Pen            *pen,
             CbGuidanceCard *card)
{
  double top = pen->y;
  const char *value = cb_guidance_card_get_figure_value (card);
  const char * const *prompts = cb_guidance_card_get_prompts (card);
  g_autofree char *source = cb_guidance_describe_source (card);

  eyebrow (pen, cb_guidance_card_get_section_title (card));
  paragraph (pen, cb_guidance_card_get_title (card), 20, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, &ink, 8);
  paragraph (pen, cb_guidance_card_get_summary (card), 12, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, &dim_ink, 14);

  if (value != NULL && value[0] != '\0')
    figure_panel (pen, value, cb_guidance_card_get_figure_caption (card));

  heading (pen, _("Key points"));
  item_list (pen, cb_guidance_card_get_points (card), "•");

  if (prompts[0] != NULL)
    {
      heading (pen, _("In practice"));
      item_list (pen, prompts, "›");
    }

  discussion_panel (pen, cb_guidance_card_get_discussion (card));
  paragraph (pen, source, 8, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, &dim_ink, 0);

  return pen->y - top;
}

/* The largest type scale, from @start down, at which @card fits @height. */
static double
fitting_scale (Pen            *pen,
               CbGuidanceCard *card,
               double          start,
               double          top,
               double          height)
{
  for (double scale = start; scale > MIN_SCALE; scale -= 0.05)
    {
      pen->scale = scale;
      pen->y = top;
      pen->draw = FALSE;
      if (card_layout (pen, card) <= height)
        return scale;
    }

  return MIN_SCALE;
}

/* Draws @card at @scale, clipped to its slot: even at the smallest size an
 * overlong card must not spill into the next slot or the footer. */
static void
draw_card (Pen            *pen,
           CbGuidanceCard *card,
           double          scale,
           double          top,
           double          height)
{
  cairo_save (pen->cr);
  cairo_rectangle (pen->cr, 0, top, CB_HANDOUT_PAGE_WIDTH, height);
  cairo_clip (pen->cr);
  pen->scale = scale;
  pen->y = top;
  pen->draw = TRUE;
  card_layout (pen, card);
  cairo_restore (pen->cr);
}

static void
draw_footer (Pen  *pen,
             guint page_number)
{
  /* Translators: the footer of each handout page; %u is the page number */
  g_autofree char *text = g_strdup_printf (_("Casebook — effective practice guidance — page %u"),
                                           page_number);
  g_autoptr(PangoLayout) layout = NULL;
  double y = CB_HANDOUT_PAGE_HEIGHT - MARGIN + 4;

  pen->scale = 1.0;
  pen->draw = TRUE;
  layout = make_layout (pen, text, 8, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, pen->width);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  set_colour (pen->cr, &rule);
  cairo_set_line_width (pen->cr, 0.5);
  cairo_move_to (pen->cr, MARGIN, y - 8);
  cairo_line_to (pen->cr, CB_HANDOUT_PAGE_WIDTH - MARGIN, y - 8);
  cairo_stroke (pen->cr);

  show_layout (pen, layout, MARGIN, y, &dim_ink);
}

/* A dashed line between two cards, to cut along. */
static void
draw_cut_line (cairo_t *cr,
               double   y)
{
  static const double dashes[] = { 4.0, 3.0 };

  cairo_save (cr);
  set_colour (cr, &rule);
  cairo_set_line_width (cr, 0.6);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_move_to (cr, MARGIN / 2, y);
  cairo_line_to (cr, CB_HANDOUT_PAGE_WIDTH - MARGIN / 2, y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
add_outline_entry (cairo_surface_t *surface,
                   CbGuidanceCard  *card,
                   guint            page_number)
{
  g_autofree char *link = g_strdup_printf ("page=%u", page_number);

  cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT,
                                 cb_guidance_card_get_title (card), link, 0);
}

static void
draw_pages (cairo_surface_t *surface,
            cairo_t         *cr,
            GListModel      *cards,
            guint            cards_per_page)
{
  PangoContext *context = pango_cairo_create_context (cr);
  double area = CB_HANDOUT_PAGE_HEIGHT - 2 * MARGIN - FOOTER_HEIGHT;
  double slot = cards_per_page == 1 ? area : (area - SLOT_GAP) / 2;
  double start_scale = cards_per_page == 1 ? 1.3 : 0.95;
  guint n_cards = g_list_model_get_n_items (cards);
  Pen pen = { cr, context, MARGIN, CB_HANDOUT_PAGE_WIDTH - 2 * MARGIN, MARGIN, 1.0, FALSE };

  /* Sizes are given in points: one point is one unit of the PDF surface. */
  pango_cairo_context_set_resolution (context, 72);

  for (guint first = 0, page_number = 1; first < n_cards; first += cards_per_page, page_number++)
    {
      guint n_on_page = MIN (cards_per_page, n_cards - first);
      CbGuidanceCard *page_cards[2] = { NULL, NULL };
      double scale = start_scale;

      /* Cards sharing a page share a type size: the one that fits both. */
      for (guint i = 0; i < n_on_page; i++)
        {
          page_cards[i] = g_list_model_get_item (cards, first + i);
          scale = MIN (scale, fitting_scale (&pen, page_cards[i], start_scale, MARGIN, slot));
        }

      for (guint i = 0; i < n_on_page; i++)
        {
          double top = MARGIN + i * (slot + SLOT_GAP);

          add_outline_entry (surface, page_cards[i], page_number);
          draw_card (&pen, page_cards[i], scale, top, slot);
          if (i + 1 < n_on_page)
            draw_cut_line (cr, top + slot + SLOT_GAP / 2);
          g_object_unref (page_cards[i]);
        }

      draw_footer (&pen, page_number);
      cairo_show_page (cr);
    }

  g_object_unref (context);
}

/* Writing goes to a file descriptor so that a full disk or a failing
 * network share is reported with the system's reason. */
typedef struct
{
  int fd;
  int saved_errno;
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  while (length > 0)
    {
      ssize_t written = write (sink->fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          sink->saved_errno = errno;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += written;
      length -= (unsigned int) written;
    }

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
render_to_fd (GListModel  *cards,
              guint        cards_per_page,
              int          fd,
              GError     **error)
{
  Sink sink = { fd, 0 };
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  surface = cairo_pdf_surface_create_for_stream (sink_write, &sink,
                                                 CB_HANDOUT_PAGE_WIDTH, CB_HANDOUT_PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Effective practice guidance"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Casebook " PACKAGE_VERSION);
  cr = cairo_create (surface);

  draw_pages (surface, cr, cards, cards_per_page);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.saved_errno != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (sink.saved_errno),
                   _("Could not write the handout: %s. Check there is space on the disk and try again."),
                   g_strerror (sink.saved_errno));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not make the handout: %s."), cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_handout_write:
 * @cards: a #GListModel of #CbGuidanceCard, in handout order
 * @cards_per_page: 1 or 2
 * @path: the PDF file to write
 * @error: return location for a #GError
 *
 * Writes the cards as an A4 PDF, @cards_per_page to a page, each page with
 * a numbered footer. The file is written next to @path under a temporary
 * name and renamed over it only once complete, so a failure never leaves a
 * half-written handout behind.
 *
 * Returns: %TRUE on success
 */
gboolean
cb_handout_write (GListModel  *cards,
                  guint        cards_per_page,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(CbTempFile) temp = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (cards), FALSE);
  g_return_val_if_fail (cards_per_page == 1 || cards_per_page == 2, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_list_model_get_n_items (cards) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There are no cards to put in the handout. Clear the search or choose another section."));
      return FALSE;
    }

  /* Guidance only, no case data: a handout is made to be shared, so it
   * gets the usual document permissions, as far as the umask allows. */
  if (!(temp = cb_temp_file_new_beside (path, 0666, error)))
    return FALSE;

  /* Freeing @temp removes it on the way out of a failure. */
  return render_to_fd (cards, cards_per_page, cb_temp_file_get_fd (temp), error) &&
         cb_temp_file_commit (temp, error);
}
