/* cb-temp-file.c — a file written beside its target, then renamed over it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every writer that must never leave half a file under the name the user
 * chose (the CSV export, the rejects file, the workbook, the handout)
 * writes to a hidden sibling `.NAME-XXXXXX` and renames it over NAME once
 * the data is on disk. The sibling is in the target's folder so that the
 * rename stays on one file system and is atomic.
 *
 * The sibling is created with its final mode in the open() call itself
 * (0600 for case data), never widened or narrowed afterwards, so there is
 * no moment when another user could open it.
 *
 * A writer that is killed cannot remove its sibling. The next writer of
 * the same target removes such leftovers: only names of exactly our
 * pattern, regular files we own, unchanged for a minute, and not locked.
 * Each writer holds an flock() on its sibling until it is renamed, so an
 * export still running in another process (a big workbook can sit quiet
 * for a while before libxlsxwriter writes it out) keeps its file; a killed
 * process loses its lock with its descriptors.
 */
#define G_LOG_DOMAIN "casebook-temp-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cb-temp-file.h"

/* The XXXXXX of g_mkstemp_full() become this many letters or digits. */
#define RANDOM_PART_LENGTH 6

struct _CbTempFile
{
  char *target;
  char *path;
  int   fd;
};

/**
 * cb_temp_file_is_own_name:
 * @target: the file a writer puts in place
 * @name: a name in @target's folder
 *
 * Returns: whether @name has the form of a temporary file for @target:
 *   a dot, @target's name, a dash and six letters or digits, nothing more
 */
gboolean
cb_temp_file_is_own_name (const char *target,
                          const char *name)
{
  g_autofree char *base = NULL;
  gsize base_len;
  const char *random_part;

  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  base = g_path_get_basename (target);
  base_len = strlen (base);

  if (name[0] != '.' || strncmp (name + 1, base, base_len) != 0 || name[1 + base_len] != '-')
    return FALSE;

  random_part = name + 1 + base_len + 1;
  if (strlen (random_part) != RANDOM_PART_LENGTH)
    return FALSE;

  for (const char *p = random_part; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;

  return TRUE;
}

static gboolean
is_stale (const GStatBuf *st)
{
  time_t now = time (NULL);

  /* A time in the future means a clock we cannot judge by: leave it. */
  return S_ISREG (st->st_mode) &&
         st->st_uid == geteuid () &&
         st->st_mtime <= now &&
         now - st->st_mtime >= CB_TEMP_FILE_STALE_SECONDS;
}

/* Opened without following a link and without blocking on a FIFO; the
 * checks are made on what was opened, and the lock proves no writer has
 * it. */
static gboolean
remove_if_stale (const char *path)
{
  GStatBuf st;
  gboolean removed = FALSE;
  int fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;

  if (fstat (fd, &st) == 0 && is_stale (&st) &&
      flock (fd, LOCK_EX | LOCK_NB) == 0)
    removed = g_unlink (path) == 0;

  close (fd);
  return removed;
}

/**
 * cb_temp_file_sweep_stale:
 * @target: the file about to be written
 *
 * Removes the temporary files that earlier writers of @target left
 * behind when they were killed (see the top of this file for which ones
 * count as left behind). Failures are ignored: a leftover that cannot be
 * removed harms nothing but the tidiness of the folder.
 *
 * Returns: how many files were removed
 */
guint
cb_temp_file_sweep_stale (const char *target)
{
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_removed = 0;

  g_return_val_if_fail (target != NULL, 0);

  folder = g_path_get_dirname (target);
  if (!(dir = g_dir_open (folder, 0, NULL)))
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!cb_temp_file_is_own_name (target, name))
        continue;

      path = g_build_filename (folder, name, NULL);
      if (remove_if_stale (path))
        n_removed++;
    }

  if (n_removed > 0)
    g_debug ("Removed %u temporary files left by earlier writers", n_removed);

  return n_removed;
}

/**
 * cb_temp_file_new_beside:
 * @target: the file to write in the end
 * @mode: the file's permissions, such as %CB_TEMP_FILE_MODE_PRIVATE;
 *   the umask can only narrow them
 *
 * Removes stale temporary files of @target, then creates a new one, open
 * for reading and writing and locked until committed or freed.
 *
 * Returns: (transfer full) (nullable): the temporary file, or %NULL when
 *   @target's folder cannot be written
 */
CbTempFile *
cb_temp_file_new_beside (const char  *target,
                         int          mode,
                         GError     **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  CbTempFile *self;

  g_return_val_if_fail (target != NULL && target[0] != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cb_temp_file_sweep_stale (target);

  folder = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  name = g_strdup_printf (".%s-XXXXXX", base);

  self = g_new0 (CbTempFile, 1);
  self->target = g_strdup (target);
  self->path = g_build_filename (folder, name, NULL);
  self->fd = g_mkstemp_full (self->path, O_RDWR | O_CLOEXEC, mode);

  if (self->fd < 0)
    {
      int saved = errno;
      g_autofree char *display_folder = g_filename_display_name (folder);
      g_autofree char *display_name = g_filename_display_name (base);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write in the folder “%s” to save “%s”: %s; choose a folder you can write to"),
                   display_folder, display_name, g_strerror (saved));
      g_clear_pointer (&self->path, g_free);
      cb_temp_file_free (self);
      return NULL;
    }

  /* Without lock support (some network shares) the age rule alone keeps
   * other writers off this file. */
  (void) flock (self->fd, LOCK_EX | LOCK_NB);

  return self;
}

/**
 * cb_temp_file_get_fd:
 *
 * Returns: the open file, owned by @self; -1 once committed
 */
int
cb_temp_file_get_fd (CbTempFile *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->fd;
}

/**
 * cb_temp_file_get_path:
 *
 * Returns: the temporary file's name, for a library that opens files by
 *   name; %NULL once committed
 */
const char *
cb_temp_file_get_path (CbTempFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

static void
discard (CbTempFile *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;

  if (self->path != NULL)
    g_unlink (self->path);
  g_clear_pointer (&self->path, g_free);
}

/* The reasons a commit fails, as the user reads them. */
typedef enum
{
  FAILED_SYNC,
  FAILED_RENAME,
} Failure;

static gboolean
fail (CbTempFile  *self,
      Failure      failure,
      int          saved_errno,
      GError     **error)
{
  g_autofree char *display = g_filename_display_name (self->target);

  discard (self);
  if (failure == FAILED_SYNC)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Cannot save “%s”: %s; check that the disk has room and try again"),
                 display, g_strerror (saved_errno));
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Cannot save “%s”: %s; choose another name or folder"),
                 display, g_strerror (saved_errno));
  return FALSE;
}

/**
 * cb_temp_file_commit:
 *
 * Puts the file on disk, then under the target's name. The data reaches
 * the disk before the name does, so a crash leaves the old target or the
 * whole new one. On failure the temporary file is removed and the target
 * left as it was.
 */
gboolean
cb_temp_file_commit (CbTempFile  *self,
                     GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->fd >= 0, FALSE);

  /* EINVAL: a file system that cannot sync, where there is nothing to
   * wait for. Any data written through another descriptor of the file
   * (libxlsxwriter opens it by name) is synced too. */
  if (fsync (self->fd) != 0 && errno != EINVAL)
    return fail (self, FAILED_SYNC, errno, error);

  /* Renamed while still open and locked, so no sweeper can take it. */
  if (g_rename (self->path, self->target) != 0)
    return fail (self, FAILED_RENAME, errno, error);

  /* After a successful fsync() close() has nothing left to report. */
  close (self->fd);
  self->fd = -1;
  g_clear_pointer (&self->path, g_free);
  return TRUE;
}

/**
 * cb_temp_file_free:
 *
 * Closes the file, and removes it unless it was committed.
 */
void
cb_temp_file_free (CbTempFile *self)
{
  if (self == NULL)
    return;

  discard (self);
  g_free (self->target);
  g_free (self);
}
