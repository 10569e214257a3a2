/* cb-guidance-library.h — the effective-practice guidance cards, by section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-guidance-card.h"

G_BEGIN_DECLS

/* Where the application's GResource holds the cards. */
#define CB_GUIDANCE_RESOURCE_PATH "/io/github/casebook/Casebook/guidance/cards.xml"

#define CB_TYPE_GUIDANCE_LIBRARY (cb_guidance_library_get_type ())

G_DECLARE_FINAL_TYPE (CbGuidanceLibrary, cb_guidance_library, CB, GUIDANCE_LIBRARY, GObject)

CbGuidanceLibrary *cb_guidance_library_new_from_bytes        (GBytes             *xml,
                                                              GError            **error);
CbGuidanceLibrary *cb_guidance_library_new_from_resource     (const char         *resource_path,
                                                              GError            **error);
CbGuidanceLibrary *cb_guidance_library_get_default           (void);

GListModel        *cb_guidance_library_get_cards             (CbGuidanceLibrary  *self);
guint              cb_guidance_library_get_n_sections        (CbGuidanceLibrary  *self);
const char        *cb_guidance_library_get_section_id        (CbGuidanceLibrary  *self,
                                                              guint               position);
const char        *cb_guidance_library_get_section_title     (CbGuidanceLibrary  *self,
                                                              guint               position);
GListModel        *cb_guidance_library_get_section_cards     (CbGuidanceLibrary  *self,
                                                              const char         *section_id);
CbGuidanceCard    *cb_guidance_library_find                  (CbGuidanceLibrary  *self,
                                                              const char         *card_id);
GListModel        *cb_guidance_library_search                (CbGuidanceLibrary  *self,
                                                              const char         *query);

G_END_DECLS
