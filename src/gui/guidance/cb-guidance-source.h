/* cb-guidance-source.h — naming where a guidance card comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-guidance-card.h"

G_BEGIN_DECLS

const char *cb_guidance_source_title    (const char     *seed_id);
char       *cb_guidance_describe_source (CbGuidanceCard *card);

G_END_DECLS
