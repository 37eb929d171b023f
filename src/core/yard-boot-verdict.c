/* yard-boot-verdict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-boot-verdict"

#include "config.h"

#include <string.h>

#include "yard-boot-verdict.h"
#include "yard-json.h"
#include "yard-json-member.h"

struct _YardBootVerdict
{
  GObject      parent_instance;

  YardVerdict  verdict;
  char        *mac;      /* NULL while only the address is known */
  char        *address;
  char        *arch;
  char        *title;
  char        *detail;
  char        *advice;   /* NULL: none */
  char        *file;     /* NULL: none */
  char        *time;     /* ISO 8601, UTC */
};

G_DEFINE_FINAL_TYPE (YardBootVerdict, yard_boot_verdict, G_TYPE_OBJECT)

static const char * const verdict_names[] = {
  [YARD_VERDICT_BOOTED] = "booted",
  [YARD_VERDICT_NO_REQUEST] = "no-request",
  [YARD_VERDICT_OTHER_SERVER] = "other-server",
  [YARD_VERDICT_SECURE_BOOT] = "secure-boot",
  [YARD_VERDICT_UNSUPPORTED_ARCH] = "unsupported-arch",
  [YARD_VERDICT_LOOP] = "loop",
  [YARD_VERDICT_TRANSFER_STOPPED] = "transfer-stopped",
  [YARD_VERDICT_MISSING_FILE] = "missing-file",
  [YARD_VERDICT_LOADER_STALLED] = "loader-stalled",
  [YARD_VERDICT_INITRD_MISSING] = "initrd-missing",
};

const char *
yard_verdict_to_string (YardVerdict verdict)
{
  g_return_val_if_fail ((guint) verdict < G_N_ELEMENTS (verdict_names), NULL);
  return verdict_names[verdict];
}

gboolean
yard_verdict_from_string (const char  *name,
                          YardVerdict *verdict)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (verdict_names); i++)
    if (strcmp (name, verdict_names[i]) == 0)
      {
        *verdict = (YardVerdict) i;
        return TRUE;
      }
  return FALSE;
}

static void
yard_boot_verdict_finalize (GObject *object)
{
  YardBootVerdict *self = YARD_BOOT_VERDICT (object);

  g_free (self->mac);
  g_free (self->address);
  g_free (self->arch);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->advice);
  g_free (self->file);
  g_free (self->time);

  G_OBJECT_CLASS (yard_boot_verdict_parent_class)->finalize (object);
}

static void
yard_boot_verdict_class_init (YardBootVerdictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yard_boot_verdict_finalize;
}

static void
yard_boot_verdict_init (YardBootVerdict *self)
{
}

YardBootVerdict *
yard_boot_verdict_new (YardVerdict  verdict,
                       const char  *mac,
                       const char  *address,
                       const char  *arch,
                       const char  *title,
                       const char  *detail,
                       const char  *advice,
                       const char  *file,
                       const char  *time)
{
  YardBootVerdict *self;

  g_return_val_if_fail ((guint) verdict < G_N_ELEMENTS (verdict_names), NULL);

  self = g_object_new (YARD_TYPE_BOOT_VERDICT, NULL);
  self->verdict = verdict;
  self->mac = g_strdup (mac);
  self->address = g_strdup (address);
  self->arch = g_strdup (arch);
  self->title = g_strdup (title);
  self->detail = g_strdup (detail);
  self->advice = g_strdup (advice);
  self->file = g_strdup (file);
  self->time = g_strdup (time);
  return self;
}

#define GETTER(member)                                                   \
  const char *                                                           \
  yard_boot_verdict_get_##member (YardBootVerdict *self)                 \
  {                                                                      \
    g_return_val_if_fail (YARD_IS_BOOT_VERDICT (self), NULL);            \
    return self->member;                                                 \
  }

GETTER (mac)
GETTER (address)
GETTER (arch)
GETTER (title)
GETTER (detail)
GETTER (advice)
GETTER (file)
GETTER (time)

#undef GETTER

YardVerdict
yard_boot_verdict_get_verdict (YardBootVerdict *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_VERDICT (self), YARD_VERDICT_BOOTED);
  return self->verdict;
}

gboolean
yard_boot_verdict_get_ok (YardBootVerdict *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_VERDICT (self), FALSE);
  return self->verdict == YARD_VERDICT_BOOTED;
}

JsonObject *
yard_boot_verdict_to_json (YardBootVerdict *self)
{
  JsonObject *v = json_object_new ();

  g_return_val_if_fail (YARD_IS_BOOT_VERDICT (self), v);

  yard_json_set_string_or_null (v, "mac", self->mac);
  yard_json_set_string_or_null (v, "address", self->address);
  yard_json_set_string_or_null (v, "arch", self->arch);
  json_object_set_string_member (v, "verdict", yard_verdict_to_string (self->verdict));
  json_object_set_boolean_member (v, "ok", self->verdict == YARD_VERDICT_BOOTED);
  yard_json_set_string_or_null (v, "title", self->title);
  yard_json_set_string_or_null (v, "detail", self->detail);
  yard_json_set_string_or_null (v, "advice", self->advice);
  yard_json_set_string_or_null (v, "file", self->file);
  yard_json_set_string_or_null (v, "time", self->time);
  return v;
}

YardBootVerdict *
yard_boot_verdict_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  static const char what[] = "a boot verdict";
  g_autoptr(YardBootVerdict) self = g_object_new (YARD_TYPE_BOOT_VERDICT, NULL);
  g_autofree char *name = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!yard_json_member_read_string (object, what, "verdict", TRUE, &name, error))
    return NULL;
  if (!yard_verdict_from_string (name, &self->verdict))
    {
      yard_json_member_error (error, what, "verdict");
      return NULL;
    }
  if (!yard_json_member_read_string (object, what, "mac", FALSE, &self->mac, error) ||
      !yard_json_member_read_string (object, what, "address", FALSE, &self->address, error) ||
      !yard_json_member_read_string (object, what, "arch", FALSE, &self->arch, error) ||
      !yard_json_member_read_string (object, what, "title", FALSE, &self->title, error) ||
      !yard_json_member_read_string (object, what, "detail", FALSE, &self->detail, error) ||
      !yard_json_member_read_string (object, what, "advice", FALSE, &self->advice, error) ||
      !yard_json_member_read_string (object, what, "file", FALSE, &self->file, error) ||
      !yard_json_member_read_string (object, what, "time", FALSE, &self->time, error))
    return NULL;
  return g_steal_pointer (&self);
}
