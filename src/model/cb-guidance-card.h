/* cb-guidance-card.h — one effective-practice guidance card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CB_TYPE_GUIDANCE_CARD (cb_guidance_card_get_type ())

G_DECLARE_FINAL_TYPE (CbGuidanceCard, cb_guidance_card, CB, GUIDANCE_CARD, GObject)

const char         *cb_guidance_card_get_id             (CbGuidanceCard *self);
const char         *cb_guidance_card_get_section_id     (CbGuidanceCard *self);
const char         *cb_guidance_card_get_section_title  (CbGuidanceCard *self);
const char         *cb_guidance_card_get_title          (CbGuidanceCard *self);
const char         *cb_guidance_card_get_summary        (CbGuidanceCard *self);
const char         *cb_guidance_card_get_figure_value   (CbGuidanceCard *self);
const char         *cb_guidance_card_get_figure_caption (CbGuidanceCard *self);
const char         *cb_guidance_card_get_discussion     (CbGuidanceCard *self);
const char         *cb_guidance_card_get_source_seed    (CbGuidanceCard *self);
const char         *cb_guidance_card_get_source_section (CbGuidanceCard *self);
const char * const *cb_guidance_card_get_points         (CbGuidanceCard *self);
const char * const *cb_guidance_card_get_prompts        (CbGuidanceCard *self);
const char * const *cb_guidance_card_get_takeaways      (CbGuidanceCard *self);
gboolean            cb_guidance_card_matches            (CbGuidanceCard *self,
                                                         const char     *query);

char               *cb_guidance_normalise               (const char     *text);

/*< private >
 * Used by CbGuidanceLibrary while it parses cards.xml; not for views.
 */
CbGuidanceCard     *_cb_guidance_card_new               (const char           *id,
                                                         const char           *section_id,
                                                         const char           *section_title);
void                _cb_guidance_card_push_parser       (CbGuidanceCard       *self,
                                                         GMarkupParseContext  *context);
gboolean            _cb_guidance_card_finish            (CbGuidanceCard       *self,
                                                         GMarkupParseContext  *context,
                                                         GError              **error);
char               *_cb_guidance_collapse_whitespace    (const char           *text);
void                _cb_guidance_markup_error           (GMarkupParseContext  *context,
                                                         GError              **error,
                                                         GMarkupError          code,
                                                         const char           *format,
                                                         ...) G_GNUC_PRINTF (4, 5);
void                _cb_guidance_markup_prefix_error    (GMarkupParseContext  *context,
                                                         GError              **error);

G_END_DECLS
