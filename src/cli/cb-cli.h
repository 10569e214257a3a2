/* cb-cli.h — the commands of casebook-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command gets the open store and its own arguments (argv[0] is the
 * command's name) and returns the process exit status. Errors go to stderr
 * as one line that says what to do.
 */
#pragma once

#include "cb-case-store.h"

G_BEGIN_DECLS

typedef int (*CbCliCommand) (CbCaseStore *store,
                             int          argc,
                             char       **argv);

int  cb_cli_demo      (CbCaseStore *store, int argc, char **argv);
int  cb_cli_list      (CbCaseStore *store, int argc, char **argv);
int  cb_cli_import    (CbCaseStore *store, int argc, char **argv);
int  cb_cli_export_csv (CbCaseStore *store, int argc, char **argv);
int  cb_cli_stats     (CbCaseStore *store, int argc, char **argv);
int  cb_cli_export    (CbCaseStore *store, int argc, char **argv);

/* Parses a command's options; prints the error and returns FALSE. */
gboolean cb_cli_parse (GOptionContext  *context,
                       int             *argc,
                       char          ***argv);
int      cb_cli_fail  (const char      *what,
                       const GError    *error);

/* The selection options that several commands share: each replaces the
 * value with its canonical form, or prints why it cannot and returns FALSE. */
gboolean cb_cli_canonicalise_date           (const char  *command,
                                             const char  *option,
                                             char       **value);
gboolean cb_cli_canonicalise_sentence_types (const char  *command,
                                             GStrv        codes);

G_END_DECLS
