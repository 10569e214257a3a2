/* cb-guidance-source.c — naming where a guidance card comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cards name their source by the file name of a seed document, which
 * means nothing to a reader; this turns it into a citation. GLib only, so
 * the handout writer can use it without a display.
 */
#define G_LOG_DOMAIN "casebook-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-guidance-source.h"

static const struct {
  const char *seed_id;
  const char *title;
} sources[] = {
  { "000_34c2e7fbcc744687",
    N_("Joint thematic inspection of drug work with people on probation "
       "(HM Inspectorate of Probation and Care Quality Commission, 2021)") },
  { "003_2bd396b44cfb5aa5",
    N_("Effective practice guide: working with people on probation who use drugs "
       "(HM Inspectorate of Probation, 2021)") },
};

/**
 * cb_guidance_source_title:
 * @seed_id: a card's source seed
 *
 * Returns: (transfer none): the translated title of the source document,
 *   or @seed_id itself for a source this version does not know
 */
const char *
cb_guidance_source_title (const char *seed_id)
{
  g_return_val_if_fail (seed_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      if (g_str_equal (sources[i].seed_id, seed_id))
        return _(sources[i].title);
    }

  return seed_id;
}

/**
 * cb_guidance_describe_source:
 * @card: a guidance card
 *
 * Returns: (transfer full): a one-line citation such as
 *   "Source: Joint thematic inspection …, “Headline findings”"
 */
char *
cb_guidance_describe_source (CbGuidanceCard *card)
{
  const char *section;

  g_return_val_if_fail (CB_IS_GUIDANCE_CARD (card), NULL);

  section = cb_guidance_card_get_source_section (card);
  if (section == NULL || section[0] == '\0')
    /* Translators: %s is the title of a report */
    return g_strdup_printf (_("Source: %s"),
                            cb_guidance_source_title (cb_guidance_card_get_source_seed (card)));

  /* Translators: the first %s is the title of a report, the second the
   * heading of the part of it the card draws on */
  return g_strdup_printf (_("Source: %s, section “%s”"),
                          cb_guidance_source_title (cb_guidance_card_get_source_seed (card)),
                          section);
}
