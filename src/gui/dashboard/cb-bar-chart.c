/* cb-bar-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard's charts are rows of horizontal bars: a label, a bar on
 * a faint track that shows the full scale, and the value in words after
 * the bar, so every number can be read without judging lengths. An
 * optional marker (the national figure) crosses all rows. The rows are
 * also spoken: each row's sentence goes into the accessible description
 * and into the row's tooltip.
 */
#define G_LOG_DOMAIN "casebook-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cb-bar-chart.h"
#include "cb-dashboard-util.h"

#define ROW_HEIGHT      32
#define BAR_HEIGHT      18
#define BAR_RADIUS      4
#define COLUMN_GAP      12
#define MARKER_HEADER   22
#define TOTAL_GAP       8
#define MAX_LABEL_WIDTH 220

typedef struct
{
  char    *label;
  double   fraction;     /* of the track, 0…1 */
  char    *value_text;
  char    *color_name;   /* a named colour of the theme */
  gboolean total;        /* drawn bold, after a rule */
  char    *spoken;       /* the row in a sentence */
} Row;

typedef struct
{
  GArray  *rows;
  double   marker;       /* NaN for none */
  char    *marker_label;
  char    *empty_text;
  char    *title;
  char    *description;
} CbBarChartPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (CbBarChart, cb_bar_chart, GTK_TYPE_WIDGET)

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->label);
  g_free (row->value_text);
  g_free (row->color_name);
  g_free (row->spoken);
}

/* Layout */

static int
header_height (CbBarChartPrivate *priv)
{
  return isnan (priv->marker) ? 4 : MARKER_HEADER;
}

static int
row_top (CbBarChartPrivate *priv,
         guint              index)
{
  int y = header_height (priv) + (int) index * ROW_HEIGHT;

  /* The total row stands apart from the rows it sums. */
  for (guint i = 0; i <= index && i < priv->rows->len; i++)
    if (g_array_index (priv->rows, Row, i).total)
      y += TOTAL_GAP;

  return y;
}

static int
content_height (CbBarChartPrivate *priv)
{
  if (priv->rows->len == 0)
    return ROW_HEIGHT * 2;

  return row_top (priv, priv->rows->len - 1) + ROW_HEIGHT + 4;
}

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *text,
             gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (bold)
    {
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
    }

  return layout;
}

static int
text_width (GtkWidget  *widget,
            const char *text,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = make_layout (widget, text, bold);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* The widest label and value, so columns line up across rows. */
static void
measure_columns (CbBarChart *self,
                 int        *label_width,
                 int        *value_width)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  *label_width = *value_width = 0;
  for (guint i = 0; i < priv->rows->len; i++)
    {
      Row *row = &g_array_index (priv->rows, Row, i);

      *label_width = MAX (*label_width, text_width (GTK_WIDGET (self), row->label, row->total));
      *value_width = MAX (*value_width, text_width (GTK_WIDGET (self), row->value_text, row->total));
    }
  *label_width = MIN (*label_width, MAX_LABEL_WIDTH);
}

typedef struct
{
  int label_width;
  int track_x;
  int track_width;
} Columns;

static void
get_columns (CbBarChart *self,
             int         width,
             Columns    *columns)
{
  int value_width;

  measure_columns (self, &columns->label_width, &value_width);
  /* On a narrow window the labels give way before the bars do. */
  columns->label_width = MIN (columns->label_width, width * 2 / 5);
  columns->track_x = columns->label_width + COLUMN_GAP;
  columns->track_width = MAX (width - columns->track_x - value_width - COLUMN_GAP, 40);
}

static void
cb_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  CbBarChart *self = CB_BAR_CHART (widget);
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int label_width, value_width;

      measure_columns (self, &label_width, &value_width);
      *minimum = MIN (label_width, 100) + value_width + 2 * COLUMN_GAP + 40;
      *natural = label_width + value_width + 2 * COLUMN_GAP + 200;
    }
  else
    *minimum = *natural = content_height (priv);
}

/* Drawing */

static void
append_rounded (GtkSnapshot   *snapshot,
                float          x,
                float          y,
                float          width,
                float          height,
                const GdkRGBA *color)
{
  GskRoundedRect outline;
  float radius = MIN (BAR_RADIUS, width / 2);

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (x, y, width, height), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
  gtk_snapshot_pop (snapshot);
}

static void
draw_label (GtkWidget   *widget,
            GtkSnapshot *snapshot,
            const Row   *row,
            int          width,
            int          y)
{
  g_autoptr(PangoLayout) layout = make_layout (widget, row->label, row->total);
  GdkRGBA color;
  int height;

  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &height);
  cb_chart_get_foreground (widget, 1.0, &color);
  cb_chart_draw_text (snapshot, layout, 0, y + (ROW_HEIGHT - height) / 2.0f, &color);
}

static void
draw_row (CbBarChart    *self,
          GtkSnapshot   *snapshot,
          const Row     *row,
          const Columns *columns,
          int            y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) value = make_layout (widget, row->value_text, row->total);
  float bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0f;
  float bar_width = CLAMP (row->fraction, 0.0, 1.0) * columns->track_width;
  GdkRGBA track, bar, text;
  int text_height;

  draw_label (widget, snapshot, row, columns->label_width, y);

  cb_chart_get_foreground (widget, 0.07, &track);
  append_rounded (snapshot, columns->track_x, bar_y, columns->track_width, BAR_HEIGHT, &track);

  /* Any count above none shows, however small next to the largest. */
  if (row->fraction > 0)
    bar_width = MAX (bar_width, 3);
  cb_chart_lookup_color (widget, row->color_name, &bar);
  if (bar_width > 0)
    append_rounded (snapshot, columns->track_x, bar_y, bar_width, BAR_HEIGHT, &bar);

  cb_chart_get_foreground (widget, 0.85, &text);
  pango_layout_get_pixel_size (value, NULL, &text_height);
  cb_chart_draw_text (snapshot, value,
                      columns->track_x + columns->track_width + COLUMN_GAP,
                      y + (ROW_HEIGHT - text_height) / 2.0f, &text);
}

static void
draw_total_rule (GtkWidget   *widget,
                 GtkSnapshot *snapshot,
                 int          width,
                 int          y)
{
  GdkRGBA color;

  cb_chart_get_foreground (widget, 0.15, &color);
  gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (0, y - TOTAL_GAP / 2.0f, width, 1));
}

static void
draw_marker (CbBarChart    *self,
             GtkSnapshot   *snapshot,
             const Columns *columns,
             int            bottom)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = make_layout (widget, priv->marker_label, FALSE);
  float x = columns->track_x + CLAMP (priv->marker, 0.0, 1.0) * columns->track_width;
  GdkRGBA line, text;
  int text_width;

  cb_chart_get_foreground (widget, 0.6, &line);
  for (int y = MARKER_HEADER - 2; y < bottom; y += 6)
    gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x - 1, y, 2, MIN (4, bottom - y)));

  pango_layout_get_pixel_size (layout, &text_width, NULL);
  cb_chart_get_foreground (widget, 0.7, &text);
  cb_chart_draw_text (snapshot, layout,
                      CLAMP (x - text_width / 2.0f, 0, gtk_widget_get_width (widget) - text_width),
                      0, &text);
}

static void
draw_empty (CbBarChart  *self,
            GtkSnapshot *snapshot)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = make_layout (widget, priv->empty_text ? priv->empty_text : "", FALSE);
  GdkRGBA color;
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cb_chart_get_foreground (widget, 0.55, &color);
  cb_chart_draw_text (snapshot, layout,
                      (gtk_widget_get_width (widget) - width) / 2.0f,
                      (gtk_widget_get_height (widget) - height) / 2.0f, &color);
}

static void
cb_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  CbBarChart *self = CB_BAR_CHART (widget);
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);
  int width = gtk_widget_get_width (widget);
  Columns columns;

  if (priv->rows->len == 0)
    {
      draw_empty (self, snapshot);
      return;
    }

  get_columns (self, width, &columns);
  for (guint i = 0; i < priv->rows->len; i++)
    {
      const Row *row = &g_array_index (priv->rows, Row, i);
      int y = row_top (priv, i);

      if (row->total)
        draw_total_rule (widget, snapshot, width, y);
      draw_row (self, snapshot, row, &columns, y);
    }

  if (!isnan (priv->marker))
    draw_marker (self, snapshot, &columns, content_height (priv));
}

/* Each row tells its own sentence when pointed at. */
static gboolean
cb_bar_chart_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_tooltip,
                            GtkTooltip *tooltip)
{
  CbBarChart *self = CB_BAR_CHART (widget);
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  if (keyboard_tooltip)
    return FALSE;

  for (guint i = 0; i < priv->rows->len; i++)
    {
      const Row *row = &g_array_index (priv->rows, Row, i);
      int top = row_top (priv, i);

      if (y >= top && y < top + ROW_HEIGHT)
        {
          gtk_tooltip_set_text (tooltip, row->spoken);
          gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { 0, top, gtk_widget_get_width (widget), ROW_HEIGHT });
          return TRUE;
        }
    }

  return FALSE;
}

static void
cb_bar_chart_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (cb_bar_chart_parent_class)->css_changed (widget, change);

  /* Theme colours and fonts may have changed: light to dark, say. */
  gtk_widget_queue_resize (widget);
}

/* Accessibility */

static void
update_description (CbBarChart *self)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < priv->rows->len; i++)
    {
      if (i > 0)
        g_string_append (text, "; ");
      g_string_append (text, g_array_index (priv->rows, Row, i).spoken);
    }
  if (!isnan (priv->marker) && priv->marker_label != NULL)
    g_string_append_printf (text, text->len > 0 ? ". %s" : "%s", priv->marker_label);
  if (text->len == 0 && priv->empty_text != NULL)
    g_string_append (text, priv->empty_text);

  g_free (priv->description);
  priv->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, priv->description,
                                  -1);
}

static void
changed (CbBarChart *self)
{
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* API */

void
cb_bar_chart_clear (CbBarChart *self)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_return_if_fail (CB_IS_BAR_CHART (self));

  g_array_set_size (priv->rows, 0);
  priv->marker = NAN;
  g_clear_pointer (&priv->marker_label, g_free);
  changed (self);
}

/**
 * cb_bar_chart_add_row:
 * @fraction: the bar's length, 0 to 1 of the track
 * @value_text: the value as shown after the bar
 * @color_name: the theme colour of the bar, e.g. "accent_bg_color"
 * @total: whether the row sums the others (set apart and bold)
 * @spoken: the row as a sentence, for tooltips and screen readers
 */
void
cb_bar_chart_add_row (CbBarChart *self,
                      const char *label,
                      double      fraction,
                      const char *value_text,
                      const char *color_name,
                      gboolean    total,
                      const char *spoken)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);
  Row row;

  g_return_if_fail (CB_IS_BAR_CHART (self));
  g_return_if_fail (label != NULL && value_text != NULL && color_name != NULL);

  row.label = g_strdup (label);
  row.fraction = isnan (fraction) ? 0.0 : fraction;
  row.value_text = g_strdup (value_text);
  row.color_name = g_strdup (color_name);
  row.total = total;
  row.spoken = g_strdup (spoken ? spoken : label);
  g_array_append_val (priv->rows, row);
  changed (self);
}

/**
 * cb_bar_chart_set_marker:
 * @fraction: where the line crosses the tracks, 0 to 1; NaN for none
 * @label: (nullable): the words above the line
 */
void
cb_bar_chart_set_marker (CbBarChart *self,
                         double      fraction,
                         const char *label)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_return_if_fail (CB_IS_BAR_CHART (self));

  priv->marker = label != NULL ? fraction : NAN;
  g_free (priv->marker_label);
  priv->marker_label = g_strdup (label);
  changed (self);
}

void
cb_bar_chart_set_empty_text (CbBarChart *self,
                             const char *text)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_return_if_fail (CB_IS_BAR_CHART (self));

  g_free (priv->empty_text);
  priv->empty_text = g_strdup (text);
  changed (self);
}

/* The chart's name for screen readers, e.g. "Care cascade". */
void
cb_bar_chart_set_title (CbBarChart *self,
                        const char *title)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_return_if_fail (CB_IS_BAR_CHART (self));

  g_free (priv->title);
  priv->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
}

guint
cb_bar_chart_get_n_rows (CbBarChart *self)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_return_val_if_fail (CB_IS_BAR_CHART (self), 0);

  return priv->rows->len;
}

const char *
cb_bar_chart_get_row_label (CbBarChart *self,
                            guint       row)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_return_val_if_fail (CB_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (row < priv->rows->len, NULL);

  return g_array_index (priv->rows, Row, row).label;
}

/* The chart in words, as given to assistive technologies. */
const char *
cb_bar_chart_get_description (CbBarChart *self)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_return_val_if_fail (CB_IS_BAR_CHART (self), NULL);

  return priv->description;
}

static void
cb_bar_chart_finalize (GObject *object)
{
  CbBarChart *self = CB_BAR_CHART (object);
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  g_array_unref (priv->rows);
  g_free (priv->marker_label);
  g_free (priv->empty_text);
  g_free (priv->title);
  g_free (priv->description);

  G_OBJECT_CLASS (cb_bar_chart_parent_class)->finalize (object);
}

static void
cb_bar_chart_class_init (CbBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cb_bar_chart_finalize;

  widget_class->measure = cb_bar_chart_measure;
  widget_class->snapshot = cb_bar_chart_snapshot;
  widget_class->query_tooltip = cb_bar_chart_query_tooltip;
  widget_class->css_changed = cb_bar_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cb_bar_chart_init (CbBarChart *self)
{
  CbBarChartPrivate *priv = cb_bar_chart_get_instance_private (self);

  priv->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_array_set_clear_func (priv->rows, row_clear);
  priv->marker = NAN;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  /* Keyboard users reach the chart, and with it its description. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}
