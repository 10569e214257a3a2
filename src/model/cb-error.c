/* cb-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cb-error.h"

G_DEFINE_QUARK (cb-error-quark, cb_error)
