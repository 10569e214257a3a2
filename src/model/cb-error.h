/* cb-error.h — the error domain of the Casebook model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CB_ERROR (cb_error_quark ())

typedef enum
{
  CB_ERROR_INVALID,    /* a value does not fit its field */
  CB_ERROR_REQUIRED,   /* a required field is empty */
  CB_ERROR_DUPLICATE,  /* a case reference is already in use */
  CB_ERROR_NOT_FOUND,  /* no such case */
  CB_ERROR_DATABASE,   /* SQLite reported a failure */
  CB_ERROR_BUSY,       /* another program holds the database */
  CB_ERROR_READ_ONLY,  /* the database cannot be written */
  CB_ERROR_FULL,       /* the disk or the database is full */
  CB_ERROR_TOO_NEW,    /* written by a newer Casebook */
} CbError;

GQuark cb_error_quark (void);

G_END_DECLS
