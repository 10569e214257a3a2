/* cb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application owns the case store the windows show: the live database,
 * or in training mode a separate demo database, so that demo and real data
 * can never be mixed up.
 */
#define G_LOG_DOMAIN "casebook-app"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-application.h"
#include "cb-demo-data.h"
#include "cb-window.h"

struct _CbApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
  CbCaseStore    *store;
  GError         *store_error;
  gboolean        training;
};

G_DEFINE_FINAL_TYPE (CbApplication, cb_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TRAINING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CbApplication *
cb_application_new (void)
{
  return g_object_new (CB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

CbCaseStore *
cb_application_get_store (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);
  return self->store;
}

gboolean
cb_application_get_training (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), FALSE);
  return self->training;
}

GSettings *
cb_application_get_settings (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);
  return self->settings;
}

static void
set_store (CbApplication *self,
           CbCaseStore   *store,
           gboolean       training)
{
  g_set_object (&self->store, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);

  if (self->training != training)
    {
      self->training = training;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
    }
}

/**
 * cb_application_reload_store:
 *
 * Opens the current database afresh and hands it to every window, after
 * its file was replaced wholesale (a restored backup): a new connection
 * brings an older backup's schema up to date, and the windows' pages
 * rebind through #CbApplication:store as they do for training mode.
 */
gboolean
cb_application_reload_store (CbApplication  *self,
                             GError        **error)
{
  g_autoptr(CbCaseStore) store = NULL;

  g_return_val_if_fail (CB_IS_APPLICATION (self), FALSE);

  store = cb_case_store_open (self->store ? cb_case_store_get_path (self->store) : NULL, error);
  if (store == NULL)
    return FALSE;

  set_store (self, store, self->training);
  return TRUE;
}

static CbCaseStore *
open_training_store (GError **error)
{
  g_autofree char *path = cb_case_store_get_training_path ();
  g_autoptr(CbCaseStore) store = cb_case_store_open (path, error);

  if (store == NULL)
    return NULL;

  /* Demo data is quick to make (about 0.1 s for 5,000 cases). */
  if (cb_case_store_count (store) == 0 &&
      !cb_demo_data_generate (store, CB_TRAINING_CASES, CB_DEMO_DEFAULT_SEED,
                              NULL, NULL, NULL, NULL, error))
    return NULL;

  return g_steal_pointer (&store);
}

static void
show_error (CbApplication *self,
            const char    *heading,
            const GError  *error)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
change_training_mode (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  CbApplication *self = user_data;
  gboolean training = g_variant_get_boolean (state);
  g_autoptr(CbCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (training == self->training)
    return;

  store = training ? open_training_store (&error) : cb_case_store_open (NULL, &error);
  if (store == NULL)
    {
      show_error (self, training ? _("Cannot Open the Demo Data") : _("Cannot Open the Database"), error);
      return;
    }

  set_store (self, store, training);
  g_simple_action_set_state (action, state);
}

static void
show_about (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  CbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Casebook developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Casebook"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Casebook developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Track drug work with people on probation, "
                                       "learn from the inspection's effective practice, "
                                       "and report the indicators commissioners need."),
                         "website", "https://github.com/casebook/casebook",
                         "issue-url", "https://github.com/casebook/casebook/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "copyright", "© 2026 The Casebook developers",
                         NULL);
}

static void
quit (GSimpleAction *action,
      GVariant      *parameter,
      gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Close windows rather than exit, so each saves its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "about", show_about },
  { "quit", quit },
  { "training-mode", NULL, NULL, "false", change_training_mode },
};

static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "win.show-page::dashboard", { "<Alt>1", NULL } },
  { "win.show-page::cases", { "<Alt>2", NULL } },
  { "win.show-page::guidance", { "<Alt>3", NULL } },
  { "win.show-page::reports", { "<Alt>4", NULL } },
  { "win.import", { "<Control>i", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.new-case", { "<Control>n", NULL } },
  { "win.search", { "<Control>f", NULL } },
};

static void
cb_application_startup (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);

  G_APPLICATION_CLASS (cb_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accelerators[i].action,
                                           accelerators[i].accels);

  self->settings = g_settings_new (APP_ID);
  self->store = cb_case_store_open (NULL, &self->store_error);
}

static CbWindow *
get_window (CbApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (cb_window_new (self));

  return CB_WINDOW (window);
}

static void
cb_application_activate (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);
  CbWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));

  if (self->store_error != NULL)
    {
      show_error (self, _("Cannot Open the Database"), self->store_error);
      g_clear_error (&self->store_error);
    }
}

/* Files handed over by the desktop or a second instance: CSV files go to
 * the import dialog. */
static void
cb_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CbApplication *self = CB_APPLICATION (application);
  CbWindow *window;

  cb_application_activate (application);
  window = get_window (self);

  for (int i = 0; i < n_files; i++)
    cb_window_open_file (window, files[i]);
}

static void
cb_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbApplication *self = CB_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_application_finalize (GObject *object)
{
  CbApplication *self = (CbApplication *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (cb_application_parent_class)->finalize (object);
}

static void
cb_application_class_init (CbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cb_application_finalize;
  object_class->get_property = cb_application_get_property;

  app_class->startup = cb_application_startup;
  app_class->activate = cb_application_activate;
  app_class->open = cb_application_open;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CB_TYPE_CASE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_application_init (CbApplication *self)
{
}
