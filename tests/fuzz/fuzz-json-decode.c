/* fuzz-json-decode.c: libFuzzer harness for the JSON decoders of core and the boot doctor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON comes from the network (the API's requests, the client's answers) and from files
 * (hosts.json, the boot history). The first byte of the input chooses a decoder, the rest is
 * the JSON text, read through the project's own entry point (yard_json_parse with
 * YARD_JSON_MAX_DEPTH). Where a decoder accepts the input, what it made is encoded again and
 * decoded again: the second decode must accept it and give the same JSON, so a decoder and
 * its encoder that disagree fail here, not only crashes.
 * See README.md for how to run it.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "yard-boot-doctor.h"
#include "yard-boot-entry.h"
#include "yard-boot-menu.h"
#include "yard-boot-support.h"
#include "yard-host-table.h"
#include "yard-image-file.h"
#include "yard-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* g_error() traps (SIGTRAP), which libFuzzer does not catch: abort, so that it keeps the input. */
#define fail(...) (g_printerr (__VA_ARGS__), g_printerr ("\n"), abort ())


enum {
  DECODE_MENU,          /* yard_boot_menu_decode_json: GET /menu answers */
  DECODE_ENTRY,         /* yard_boot_entry_decode_json: an entry in an answer */
  NEW_ENTRY,            /* yard_boot_entry_new_from_json: POST /menu/entries */
  UPDATE_ENTRY,         /* yard_boot_entry_update_from_json: PATCH /menu/entries/ID */
  NEW_HOST,             /* yard_host_new_from_json: hosts.json, host answers */
  UPDATE_HOST,          /* yard_host_update_from_json: PUT /hosts/MAC */
  NEW_IMAGE_FILE,       /* yard_image_file_new_from_json: GET /images answers */
  NEW_BOOT_SUPPORT,     /* yard_boot_support_new_from_json: an entry's "support" */
  RESTORE_HISTORY,      /* yard_boot_doctor_restore_history: the saved boot history */
  N_DECODERS
};

static char *
to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return to_string (node);
}

/* Parses what an encoder wrote, as a peer would read it. */
static JsonObject *
reparse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = yard_json_parse (text, -1, YARD_JSON_MAX_DEPTH, &error);

  if (root == NULL)
    fail ("an encoder wrote JSON that does not parse (%s): %s", error->message, text);
  g_assert (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_same (const char *what,
             const char *first,
             const char *second)
{
  if (strcmp (first, second) != 0)
    fail ("%s: the round trip changed the JSON:\n first: %s\nsecond: %s", what, first, second);
}

/* How each type is written and read back: dump (to_json as text), decode (from an object). */
typedef struct
{
  const char *what;
  char      *(*dump)   (gconstpointer value);
  gpointer   (*decode) (JsonObject *object, GError **error);
  GDestroyNotify free;
} Codec;

static char *
dump_entry (gconstpointer value)
{
  g_autoptr(JsonNode) node = yard_boot_entry_to_json ((YardBootEntry *) value);

  return to_string (node);
}

static gpointer
decode_entry (JsonObject *object, GError **error)
{
  return yard_boot_entry_decode_json (object, error);
}

static char *
dump_menu (gconstpointer value)
{
  g_autoptr(JsonNode) node = yard_boot_menu_to_json ((YardBootMenu *) value);

  return to_string (node);
}

static gpointer
decode_menu (JsonObject *object, GError **error)
{
  return yard_boot_menu_decode_json (object, error);
}

static char *
dump_host (gconstpointer value)
{
  g_autoptr(JsonObject) object = yard_host_to_json (value);

  return object_to_string (object);
}

static gpointer
decode_host (JsonObject *object, GError **error)
{
  return yard_host_new_from_json (object, error);
}

static char *
dump_image_file (gconstpointer value)
{
  g_autoptr(JsonObject) object = yard_image_file_to_json ((YardImageFile *) value);

  return object_to_string (object);
}

static gpointer
decode_image_file (JsonObject *object, GError **error)
{
  return yard_image_file_new_from_json (object, error);
}

static char *
dump_support (gconstpointer value)
{
  g_autoptr(JsonNode) node = yard_boot_support_to_json ((YardBootSupport *) value);

  return to_string (node);
}

static gpointer
decode_support (JsonObject *object, GError **error)
{
  return yard_boot_support_new_from_json (object, error);
}

static const Codec entry_codec = { "entry", dump_entry, decode_entry, g_object_unref };
static const Codec menu_codec = { "menu", dump_menu, decode_menu, g_object_unref };
static const Codec host_codec = { "host", dump_host, decode_host, (GDestroyNotify) yard_host_free };
static const Codec image_file_codec = { "image file", dump_image_file, decode_image_file,
                                        (GDestroyNotify) yard_image_file_free };
static const Codec support_codec = { "support", dump_support, decode_support,
                                     (GDestroyNotify) yard_boot_support_free };

/* What an encoder writes must decode, and be written again as the same text. */
static void
round_trip (const Codec *codec,
            const char  *what,
            gconstpointer value)
{
  g_autofree char *first = codec->dump (value);
  g_autoptr(JsonObject) again = reparse_object (first);
  g_autoptr(GError) error = NULL;
  gpointer decoded = codec->decode (again, &error);
  g_autofree char *second = NULL;

  if (decoded == NULL)
    fail ("%s: the %s's own JSON does not decode (%s): %s", what, codec->what, error->message,
          first);
  second = codec->dump (decoded);
  codec->free (decoded);
  assert_same (what, first, second);
}

static void
decode_object (guint       decoder,
               JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  char *field = NULL;

  switch (decoder)
    {
    case DECODE_MENU:
      {
        g_autoptr(YardBootMenu) menu = yard_boot_menu_decode_json (object, &error);

        if (menu != NULL)
          round_trip (&menu_codec, "menu", menu);
      }
      break;
    case DECODE_ENTRY:
      {
        g_autoptr(YardBootEntry) entry = yard_boot_entry_decode_json (object, &error);

        if (entry != NULL)
          round_trip (&entry_codec, "decoded entry", entry);
      }
      break;
    case NEW_ENTRY:
      {
        g_autoptr(YardBootEntry) entry = yard_boot_entry_new_from_json (object, &field, &error);

        g_assert ((entry == NULL) == (error != NULL));
        if (entry != NULL)
          round_trip (&entry_codec, "new entry", entry);
      }
      break;
    case UPDATE_ENTRY:
      {
        static const char * const initrds[] = { "images/debian/initrd.gz", NULL };
        g_autoptr(YardBootEntry) entry =
          yard_boot_entry_new_linux ("debian", "Debian 12", "images/debian/vmlinuz",
                                     initrds, "vga=788 --- quiet");
        g_autoptr(JsonNode) before = yard_boot_entry_to_json (entry);
        g_autofree char *before_text = to_string (before);

        if (yard_boot_entry_update_from_json (entry, object, &field, &error))
          round_trip (&entry_codec, "updated entry", entry);
        else
          {
            /* all or nothing: a refused patch changes nothing */
            g_autoptr(JsonNode) after = yard_boot_entry_to_json (entry);
            g_autofree char *after_text = to_string (after);

            g_assert (error != NULL);
            assert_same ("refused entry patch", before_text, after_text);
          }
      }
      break;
    case NEW_HOST:
      {
        g_autoptr(YardHost) host = yard_host_new_from_json (object, &error);

        g_assert ((host == NULL) == (error != NULL));
        if (host != NULL)
          round_trip (&host_codec, "new host", host);
      }
      break;
    case UPDATE_HOST:
      {
        g_autoptr(YardHost) host = yard_host_new ("52:54:00:12:34:56");
        g_autoptr(JsonObject) before = yard_host_to_json (host);
        g_autofree char *before_text = object_to_string (before);
        const char *host_field = NULL;

        if (yard_host_update_from_json (host, object, &host_field, &error))
          round_trip (&host_codec, "updated host", host);
        else
          {
            g_autoptr(JsonObject) after = yard_host_to_json (host);
            g_autofree char *after_text = object_to_string (after);

            g_assert (error != NULL);
            assert_same ("refused host patch", before_text, after_text);
          }
      }
      break;
    case NEW_IMAGE_FILE:
      {
        g_autoptr(YardImageFile) file = yard_image_file_new_from_json (object, &error);

        g_assert ((file == NULL) == (error != NULL));
        if (file != NULL)
          round_trip (&image_file_codec, "image file", file);
      }
      break;
    case NEW_BOOT_SUPPORT:
      {
        g_autoptr(YardBootSupport) support = yard_boot_support_new_from_json (object, &error);

        g_assert ((support == NULL) == (error != NULL));
        if (support != NULL)
          round_trip (&support_codec, "support", support);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  g_free (field);
}

/* The history file is {"boots": [...]} (yard-server.c); a bare array is tried as well. What
 * was restored, saved again and restored into a second doctor, must save the same. */
static void
restore_history (JsonNode *root)
{
  g_autoptr(YardBootDoctor) doctor = yard_boot_doctor_new (NULL);
  g_autoptr(YardBootDoctor) doctor2 = yard_boot_doctor_new (NULL);
  g_autoptr(JsonArray) saved = NULL;
  g_autoptr(JsonArray) saved2 = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  JsonArray *boots = NULL;
  guint taken, taken2;

  if (JSON_NODE_HOLDS_ARRAY (root))
    boots = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root) &&
           json_object_has_member (json_node_get_object (root), "boots") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "boots")))
    boots = json_object_get_array_member (json_node_get_object (root), "boots");
  if (boots == NULL)
    return;

  taken = yard_boot_doctor_restore_history (doctor, boots);
  g_assert (taken <= json_array_get_length (boots));
  saved = yard_boot_doctor_save_history (doctor);
  g_assert (json_array_get_length (saved) == taken);
  node = json_node_init_array (json_node_alloc (), saved);
  first = to_string (node);
  reparsed = yard_json_parse (first, -1, YARD_JSON_MAX_DEPTH, NULL);
  if (reparsed == NULL)
    fail ("history: the saved history does not parse: %s", first);
  taken2 = yard_boot_doctor_restore_history (doctor2, json_node_get_array (reparsed));
  if (taken2 != taken)
    fail ("history: %u boots restored, %u of their saved copy: %s", taken, taken2, first);
  saved2 = yard_boot_doctor_save_history (doctor2);
  node2 = json_node_init_array (json_node_alloc (), saved2);
  second = to_string (node2);
  assert_same ("history", first, second);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  guint decoder;

  if (size < 1)
    return 0;
  decoder = data[0] % N_DECODERS;
  root = yard_json_parse ((const char *) data + 1, size - 1, YARD_JSON_MAX_DEPTH, &error);
  g_assert ((root == NULL) == (error != NULL));
  if (root == NULL)
    return 0;
  if (decoder == RESTORE_HISTORY)
    restore_history (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    decode_object (decoder, json_node_get_object (root));
  return 0;
}
