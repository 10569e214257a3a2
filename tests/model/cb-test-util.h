/* cb-test-util.h — what the model tests share: temporary folders, stores,
 * files and a plain SQLite connection of the test's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "cb-case-store.h"

G_BEGIN_DECLS

#ifdef BUILD_ROOT
/* The built command-line tool, run as a real process. */
# define CB_TEST_CLI BUILD_ROOT "/src/cli/casebook-cli"
#endif

/* The account a root test run drops to, to meet file permissions. */
#define CB_TEST_NOBODY_ID 65534

/* Files and folders */
char        *cb_test_make_temp_dir (const char *purpose);
void         cb_test_remove_tree   (const char *path);
void         cb_test_remove_db     (const char *path);
guint        cb_test_file_mode     (const char *path);
char        *cb_test_read_text     (const char *path);
char        *cb_test_list_folder   (const char *folder,
                                    const char *skip_prefix);
gboolean     cb_test_become_nobody (void);

/* Checks written in Python */
gboolean     cb_test_python_check  (const char * const *argv);

/* Stores */
CbCaseStore *cb_test_open_store    (const char *path);

/* The database file behind the model's back */
sqlite3     *cb_test_open_sqlite   (const char *path,
                                    int         flags);
void         cb_test_exec_sql      (sqlite3    *db,
                                    const char *sql);
gint64       cb_test_sql_int       (sqlite3    *db,
                                    const char *sql);
gint64       cb_test_query_int     (const char *path,
                                    const char *sql);
char        *cb_test_dump_query    (sqlite3    *db,
                                    const char *sql);
char        *cb_test_dump_file     (const char *path,
                                    const char *sql);

G_END_DECLS
