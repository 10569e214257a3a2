/* cb-case-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At national scale (156,000 cases) a list of objects costs hundreds of
 * megabytes; this model holds only the matching row ids, sorted by SQL,
 * and builds a CbCase when a row is asked for. Built cases are shared while
 * anyone holds them (a weak cache), so a widget and the editor see one
 * object.
 */
#define G_LOG_DOMAIN "casebook-list"

#include "config.h"

#include "cb-case-list.h"
#include "cb-case-query-private.h"
#include "cb-case-store-private.h"

struct _CbCaseList
{
  GObject      parent_instance;
  CbCaseStore *store;
  CbCaseQuery *query;
  GArray      *ids;      /* gint64, in query order */
  GHashTable  *alive;    /* id → CbCase, weak */
  guint        total;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbCaseList, cb_case_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
cb_case_list_get_item_type (GListModel *model)
{
  return CB_TYPE_CASE;
}

static guint
cb_case_list_get_n_items (GListModel *model)
{
  return CB_CASE_LIST (model)->ids->len;
}

static void
forget_case (gpointer  data,
             GObject  *where_the_object_was)
{
  CbCaseList *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->alive);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

static gpointer
cb_case_list_get_item (GListModel *model,
                       guint       position)
{
  CbCaseList *self = CB_CASE_LIST (model);
  g_autoptr(GError) error = NULL;
  CbCase *record;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  record = g_hash_table_lookup (self->alive, &id);
  if (record != NULL)
    return g_object_ref (record);

  record = cb_case_store_get_by_id (self->store, id, &error);
  if (record == NULL)
    {
      /* Deleted by another program since the query ran: show an empty row
       * rather than break the list's count. */
      g_debug ("Case %" G_GINT64_FORMAT " is gone: %s", id, error->message);
      record = cb_case_new ();
      cb_case_set_id (record, id);
    }

  g_hash_table_insert (self->alive, g_memdup2 (&id, sizeof id), record);
  g_object_weak_ref (G_OBJECT (record), forget_case, self);

  return record;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cb_case_list_get_item_type;
  iface->get_n_items = cb_case_list_get_n_items;
  iface->get_item = cb_case_list_get_item;
}

static void
stop_watching (CbCaseList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->alive);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, forget_case, self);
  g_hash_table_remove_all (self->alive);
}

static void
on_changed (CbCaseList *self)
{
  g_autoptr(GError) error = NULL;

  if (!cb_case_list_refresh (self, &error))
    g_warning ("Cannot list the cases: %s", error->message);
}

static void
cb_case_list_dispose (GObject *object)
{
  CbCaseList *self = (CbCaseList *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_changed, self);
  if (self->query != NULL)
    g_signal_handlers_disconnect_by_func (self->query, on_changed, self);
  g_clear_object (&self->store);
  g_clear_object (&self->query);

  G_OBJECT_CLASS (cb_case_list_parent_class)->dispose (object);
}

static void
cb_case_list_finalize (GObject *object)
{
  CbCaseList *self = (CbCaseList *)object;

  stop_watching (self);
  g_hash_table_unref (self->alive);
  g_array_unref (self->ids);

  G_OBJECT_CLASS (cb_case_list_parent_class)->finalize (object);
}

static void
cb_case_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CbCaseList *self = CB_CASE_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_case_list_class_init (CbCaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_case_list_dispose;
  object_class->finalize = cb_case_list_finalize;
  object_class->get_property = cb_case_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_case_list_init (CbCaseList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->alive = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * cb_case_list_new:
 * @query: (nullable): the selection, or %NULL for every case
 *
 * The list runs its query at once and again whenever the store or the
 * query changes.
 */
CbCaseList *
cb_case_list_new (CbCaseStore *store,
                  CbCaseQuery *query)
{
  CbCaseList *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CB_IS_CASE_STORE (store), NULL);
  g_return_val_if_fail (query == NULL || CB_IS_CASE_QUERY (query), NULL);

  self = g_object_new (CB_TYPE_CASE_LIST, NULL);
  self->store = g_object_ref (store);
  self->query = query ? g_object_ref (query) : cb_case_query_new ();

  g_signal_connect_swapped (self->store, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->query, "changed", G_CALLBACK (on_changed), self);

  if (!cb_case_list_refresh (self, &error))
    g_warning ("Cannot list the cases: %s", error->message);

  return self;
}

CbCaseStore *
cb_case_list_get_store (CbCaseList *self)
{
  g_return_val_if_fail (CB_IS_CASE_LIST (self), NULL);
  return self->store;
}

CbCaseQuery *
cb_case_list_get_query (CbCaseList *self)
{
  g_return_val_if_fail (CB_IS_CASE_LIST (self), NULL);
  return self->query;
}

/* The number of cases in the store, the M of "N of M cases". */
guint
cb_case_list_get_total (CbCaseList *self)
{
  g_return_val_if_fail (CB_IS_CASE_LIST (self), 0);
  return self->total;
}

gint64
cb_case_list_get_id (CbCaseList *self,
                     guint       position)
{
  g_return_val_if_fail (CB_IS_CASE_LIST (self), 0);
  g_return_val_if_fail (position < self->ids->len, 0);

  return g_array_index (self->ids, gint64, position);
}

int
cb_case_list_find (CbCaseList *self,
                   gint64      id)
{
  g_return_val_if_fail (CB_IS_CASE_LIST (self), -1);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      return i;

  return -1;
}

static GArray *
fetch_ids (CbCaseList  *self,
           GError     **error)
{
  sqlite3 *db = _cb_case_store_get_db (self->store);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cb_case_query_prepare (self->query, db, "id", TRUE, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _cb_sql_set_error (db, rc, error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

/**
 * cb_case_list_refresh:
 *
 * Runs the query again and replaces the contents with one items-changed.
 * Cases already built are dropped from the cache, so edits made elsewhere
 * show.
 */
gboolean
cb_case_list_refresh (CbCaseList  *self,
                      GError     **error)
{
  g_autoptr(GArray) ids = NULL;
  guint removed;
  guint total;

  g_return_val_if_fail (CB_IS_CASE_LIST (self), FALSE);

  if (!(ids = fetch_ids (self, error)))
    return FALSE;

  stop_watching (self);
  removed = self->ids->len;
  g_array_unref (self->ids);
  self->ids = g_steal_pointer (&ids);
  total = cb_case_store_count (self->store);

  /* The total first, so handlers of items-changed read "N of M" whole. */
  if (total != self->total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->ids->len);
  if (removed != self->ids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return TRUE;
}
