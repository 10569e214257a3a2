/* fuzz-replay.c — runs the libFuzzer target on files, without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * make check builds fuzz-import.c with the ordinary compiler through this
 * driver and feeds it the kept crashers and the seed corpus, so the target
 * cannot stop building unnoticed between `make fuzz` runs, and every kept
 * input is replayed under ASan, UBSan and memcheck with the rest of the
 * model tests. Usage: fuzz-replay FILE-OR-FOLDER...
 */
#include <glib.h>
#include <stdint.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);

  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return 1;
}

static guint
replay (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return replay_file (path);

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!g_str_has_suffix (name, ".md"))
        n += replay_file (child);
    }

  return n;
}

int
main (int    argc,
      char **argv)
{
  guint n = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);

  if (n == 0)
    g_error ("no inputs found");

  g_print ("replayed %u inputs\n", n);
  return 0;
}
