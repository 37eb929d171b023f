/* test-boot-doctor.c: verdicts from recorded sequences of the server's events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case feeds what the server emits during a real boot (the kinds and members of
 * docs/api.md "Events", as TFTP, HTTP and ProxyDHCP fill them) with made-up times, and checks
 * the verdict, or that there is none.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "yard-boot-doctor.h"
#include "yard-boot-entry.h"
#include "yard-boot-menu.h"
#include "yard-boot-record.h"

#define SEC ((gint64) G_USEC_PER_SEC)
#define MAC "52:54:00:12:34:56"
#define SHIM "/usr/lib/shim/shimx64.efi.signed"

typedef struct
{
  char           *root;
  YardBootDoctor *doctor;
  YardBootMenu   *menu;
  GPtrArray      *verdicts; /* JsonObject, as announced */
  gint64          now;
} Fixture;

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
verdict_cb (YardBootDoctor *doctor,
            JsonObject     *verdict,
            Fixture        *f)
{
  g_ptr_array_add (f->verdicts, json_object_ref (verdict));
}

static void
write_root_file (Fixture    *f,
                 const char *name,
                 const char *contents)
{
  g_autofree char *path = g_build_filename (f->root, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *initrds[] = { "images/debian/initrd.gz", NULL };
  g_autoptr(YardBootEntry) linux_entry =
    yard_boot_entry_new_linux (NULL, "Debian installer", "images/debian/linux", initrds,
                               "priority=low");
  g_autoptr(GError) error = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS: a fresh data directory per test, removed after it */
  f->root = g_build_filename (g_get_user_data_dir (), "root", NULL);
  /* syslinux.efi and pxelinux.0 as Debian ships them: not signed */
  write_root_file (f, "efi64/syslinux.efi", "MZ not signed");
  write_root_file (f, "pxelinux.0", "pxelinux");

  f->menu = yard_boot_menu_new ();
  g_assert_true (yard_boot_menu_add_entry (f->menu, linux_entry, -1, NULL, &error));
  g_assert_no_error (error);

  f->doctor = yard_boot_doctor_new (f->root);
  yard_boot_doctor_set_menu (f->doctor, f->menu);
  g_signal_connect (f->doctor, "verdict", G_CALLBACK (verdict_cb), f);
  f->verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  f->now = 1000 * SEC;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_ptr_array_unref (f->verdicts);
  g_assert_finalize_object (f->doctor);
  g_assert_finalize_object (f->menu);
  g_free (f->root);
}

/* Feeds one event given as JSON text, dt seconds after the previous one. */
static void
feed (Fixture    *f,
      double      dt,
      const char *kind,
      const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  f->now += (gint64) (dt * SEC);
  yard_boot_doctor_feed (f->doctor, f->now, kind,
                         json_node_get_object (json_parser_get_root (parser)));
}

static void
tick (Fixture *f,
      double   dt)
{
  f->now += (gint64) (dt * SEC);
  yard_boot_doctor_tick (f->doctor, f->now);
}

static void
offer (Fixture    *f,
       int         arch,
       const char *file)
{
  g_autofree char *json =
    g_strdup_printf ("{\"mac\": \"" MAC "\", \"arch\": %d, \"bootFile\": \"%s\", \"port\": 67,"
                     " \"message\": \"offer\"}", arch, file);

  feed (f, 0.1, "dhcp-answered", json);
}

static void
sent (Fixture    *f,
      const char *protocol,
      const char *file)
{
  g_autofree char *json =
    g_strdup_printf ("{\"protocol\": \"%s\", \"peer\": \"192.168.1.50:%d\", \"file\": \"%s\","
                     " \"size\": 1000, \"bytes\": 1000}", protocol, 2000 + g_random_int_range (0, 999),
                     file);

  feed (f, 0.5, "transfer-started", json);
  feed (f, 0.5, "transfer-finished", json);
}

/* The only verdict announced, with its name; NULL when there was none. */
static JsonObject *
only_verdict (Fixture *f)
{
  g_assert_cmpuint (f->verdicts->len, <=, 1);
  return f->verdicts->len == 1 ? g_ptr_array_index (f->verdicts, 0) : NULL;
}

static void
assert_verdict (Fixture    *f,
                const char *verdict,
                const char *in_detail)
{
  JsonObject *v = only_verdict (f);

  g_assert_nonnull (v);
  g_assert_cmpstr (json_object_get_string_member (v, "verdict"), ==, verdict);
  g_assert_nonnull (strstr (json_object_get_string_member (v, "detail"), in_detail));
  g_assert_cmpstr (json_object_get_string_member (v, "title"), !=, "");
}

static void
test_bios_booted (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonObject *v;

  offer (f, 0, "pxelinux.0");
  offer (f, 0, "pxelinux.0");             /* the 4011 answer of the same exchange */
  /* a tsize probe that the firmware aborts: no failure */
  feed (f, 0.1, "transfer-failed",
        "{\"protocol\": \"tftp\", \"peer\": \"192.168.1.50:2001\", \"file\": \"pxelinux.0\","
        " \"size\": 46000, \"bytes\": 0, \"blksize\": 1456, \"windowsize\": 1,"
        " \"error\": \"The client aborted: TFTP Aborted (code 0)\"}");
  sent (f, "tftp", "pxelinux.0");
  sent (f, "tftp", "ldlinux.c32");
  /* pxelinux looks for configuration files that are not there: that is normal */
  feed (f, 0.1, "transfer-refused",
        "{\"protocol\": \"tftp\", \"peer\": \"192.168.1.50:2002\","
        " \"file\": \"pxelinux.cfg/01-52-54-00-12-34-56\", \"reason\": \"not-found\"}");
  sent (f, "tftp", "pxelinux.cfg/default");
  tick (f, 10);
  g_assert_null (only_verdict (f));
  sent (f, "tftp", "images/debian/linux");
  g_assert_null (only_verdict (f));
  sent (f, "tftp", "images/debian/initrd.gz");

  assert_verdict (f, "booted", "Debian installer");
  v = only_verdict (f);
  g_assert_cmpstr (json_object_get_string_member (v, "mac"), ==, MAC);
  g_assert_cmpstr (json_object_get_string_member (v, "address"), ==, "192.168.1.50");
  g_assert_cmpstr (json_object_get_string_member (v, "arch"), ==, "bios");
  g_assert_true (json_object_get_boolean_member (v, "ok"));

  /* the API's view, by either separator: the verdict that was announced */
  list = yard_boot_doctor_dup_verdicts (f->doctor, "52-54-00-12-34-56");
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (yard_boot_verdict_get_verdict (list->pdata[0]), ==, YARD_VERDICT_BOOTED);
  g_assert_cmpstr (yard_boot_verdict_get_mac (list->pdata[0]), ==, MAC);
  g_assert_cmpstr (yard_boot_verdict_get_time (list->pdata[0]), ==,
                   json_object_get_string_member (v, "time"));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = yard_boot_doctor_dup_verdicts (f->doctor, "52:54:00:00:00:01");
  g_assert_cmpuint (list->len, ==, 0);

  /* nothing more happens when it stays quiet */
  tick (f, 60);
  g_assert_cmpuint (f->verdicts->len, ==, 1);
}

/* Over HTTP (iPXE), syslinux.efi's relative names, and a kernel with its initrd */
static void
test_http_booted (Fixture       *f,
                  gconstpointer  data)
{
  feed (f, 0, "host-seen", "{\"mac\": \"" MAC "\", \"address\": \"192.168.1.50\"}");
  sent (f, "http", "boot/" MAC ".ipxe");
  sent (f, "http", "efi64/images/debian/linux");
  sent (f, "http", "/images/debian/initrd.gz");
  assert_verdict (f, "booted", "Debian installer");
}

static void
test_secure_boot_restart (Fixture       *f,
                          gconstpointer  data)
{
  offer (f, 7, "efi64/syslinux.efi");
  sent (f, "tftp", "efi64/syslinux.efi");
  /* the firmware refuses it and starts over */
  offer (f, 7, "efi64/syslinux.efi");
  assert_verdict (f, "secure-boot", "efi64/syslinux.efi");
  g_assert_nonnull (strstr (json_object_get_string_member (only_verdict (f), "advice"),
                            "Shim and GRUB"));

  /* and again: the same cause is said once per attempt... */
  sent (f, "tftp", "efi64/syslinux.efi");
  tick (f, 31);
  g_assert_cmpuint (f->verdicts->len, ==, 1);
}

static void
test_secure_boot_quiet (Fixture       *f,
                        gconstpointer  data)
{
  offer (f, 9, "efi64/syslinux.efi");
  sent (f, "tftp", "efi64/syslinux.efi");
  tick (f, 29);
  g_assert_null (only_verdict (f));
  tick (f, 2);
  assert_verdict (f, "secure-boot", "not signed");
}

/* A signed shim that then goes quiet is not Secure Boot's doing: the loader stalled. */
static void
test_signed_loader_stalled (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *shim = NULL;
  gsize len;

  if (!g_file_get_contents (SHIM, &shim, &len, NULL))
    {
      g_test_skip ("needs " SHIM " (shim-signed, build-aux/dev installs it)");
      return;
    }
  {
    g_autofree char *path = g_build_filename (f->root, "shimx64.efi", NULL);
    g_assert_true (g_file_set_contents (path, shim, len, NULL));
  }
  offer (f, 7, "shimx64.efi");
  sent (f, "tftp", "shimx64.efi");
  tick (f, 31);
  assert_verdict (f, "loader-stalled", "shimx64.efi");
}

static void
test_bios_loader_stalled (Fixture       *f,
                          gconstpointer  data)
{
  offer (f, 0, "pxelinux.0");
  sent (f, "tftp", "pxelinux.0");
  tick (f, 31);
  assert_verdict (f, "loader-stalled", "pxelinux.0");
}

static void
test_no_request (Fixture       *f,
                 gconstpointer  data)
{
  offer (f, 0, "pxelinux.0");
  tick (f, 19);
  g_assert_null (only_verdict (f));
  tick (f, 2);
  assert_verdict (f, "no-request", "pxelinux.0");
}

static void
test_other_proxy (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(YardNetworkReport) report = yard_network_report_new ("eth0", "2026-12-03T10:00:00Z");
  const YardResponder responders[] = {
    { .address = (char *) "192.168.1.1", .dhcp = TRUE,
      .offered_address = (char *) "192.168.1.50" },
    { .address = (char *) "192.168.1.7", .pxe = TRUE, .boot_file = (char *) "netboot.xyz.kpxe" },
    { .address = (char *) "192.168.1.20", .pxe = TRUE, .boot_file = (char *) "pxelinux.0",
      .self = TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (responders); i++)
    yard_network_report_add_responder (report, &responders[i]);
  yard_boot_doctor_set_network_report (f->doctor, report);
  /* the doctor keeps a ref of its own */
  g_clear_object (&report);
  offer (f, 0, "pxelinux.0");
  tick (f, 21);
  assert_verdict (f, "other-server", "192.168.1.7 (offering “netboot.xyz.kpxe”)");
  /* neither the router (no PXE) nor Bootyard itself is named */
  g_assert_null (strstr (json_object_get_string_member (only_verdict (f), "detail"),
                         "192.168.1.1 "));
  g_assert_null (strstr (json_object_get_string_member (only_verdict (f), "detail"),
                         "192.168.1.20"));

  /* NULL forgets it: the next boot that asks for nothing names no other server */
  g_ptr_array_set_size (f->verdicts, 0);
  yard_boot_doctor_set_network_report (f->doctor, NULL);
  offer (f, 0, "pxelinux.0");
  tick (f, 21);
  assert_verdict (f, "no-request", "pxelinux.0");
}

static void
test_other_dhcp_lease (Fixture       *f,
                       gconstpointer  data)
{
  /* beside a router the REQUEST for its lease is what every client does */
  feed (f, 0, "dhcp-request",
        "{\"mac\": \"" MAC "\", \"address\": \"192.168.1.50\", \"serverId\": \"192.168.1.1\","
        " \"ours\": false, \"leaseOffered\": false}");
  g_assert_null (only_verdict (f));
  /* in full DHCP mode it means our offer lost */
  feed (f, 0, "dhcp-request",
        "{\"mac\": \"" MAC "\", \"address\": \"10.9.0.50\", \"serverId\": \"10.9.0.1\","
        " \"ours\": false, \"leaseOffered\": true}");
  assert_verdict (f, "other-server", "10.9.0.1");
}

static void
test_unsupported_arch (Fixture       *f,
                       gconstpointer  data)
{
  feed (f, 0, "dhcp-unanswered",
        "{\"mac\": \"" MAC "\", \"arch\": 6, \"reason\": \"no loader is made for it\"}");
  assert_verdict (f, "unsupported-arch", "UEFI 32-bit x86");
  g_assert_cmpstr (json_object_get_string_member (only_verdict (f), "arch"), ==, "efi-ia32");
}

static void
test_loop (Fixture       *f,
           gconstpointer  data)
{
  for (int i = 0; i < 2; i++)
    {
      offer (f, 0, "undionly.kpxe");
      sent (f, "tftp", "undionly.kpxe");
      g_assert_null (only_verdict (f));
    }
  offer (f, 0, "undionly.kpxe");
  sent (f, "tftp", "undionly.kpxe");
  assert_verdict (f, "loop", "3 times");
}

/* iPXE after undionly.kpxe asks for its script: progress, no loop */
static void
test_chain_no_loop (Fixture       *f,
                    gconstpointer  data)
{
  offer (f, 0, "undionly.kpxe");
  sent (f, "tftp", "undionly.kpxe");
  offer (f, 1, "http://192.168.1.20:8080/boot/" MAC ".ipxe");
  sent (f, "http", "boot/" MAC ".ipxe");
  sent (f, "http", "images/debian/linux");
  sent (f, "http", "images/debian/initrd.gz");
  assert_verdict (f, "booted", "Debian installer");
}

static void
test_transfer_stopped (Fixture       *f,
                       gconstpointer  data)
{
  offer (f, 0, "pxelinux.0");
  feed (f, 1, "transfer-failed",
        "{\"protocol\": \"tftp\", \"peer\": \"192.168.1.50:2001\", \"file\": \"pxelinux.0\","
        " \"size\": 46000, \"bytes\": 0, \"blksize\": 8192, \"windowsize\": 4,"
        " \"error\": \"Timed out\"}");
  assert_verdict (f, "transfer-stopped", "after 0 of 46000 bytes (block size 8192, window 4)");
  g_assert_nonnull (strstr (json_object_get_string_member (only_verdict (f), "advice"), "MTU"));
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  offer (f, 0, "pxelinux.0");
  sent (f, "tftp", "pxelinux.0");
  sent (f, "tftp", "pxelinux.cfg/default");
  feed (f, 1, "transfer-refused",
        "{\"protocol\": \"tftp\", \"peer\": \"192.168.1.50:2001\","
        " \"file\": \"images/debian/linux\", \"reason\": \"not-found\"}");
  assert_verdict (f, "missing-file", "the menu entry “Debian installer” names");
}

/* The same over HTTP: iPXE's GET of a kernel that is not there (404) */
static void
test_missing_file_http (Fixture       *f,
                        gconstpointer  data)
{
  offer (f, 0, "undionly.kpxe");
  sent (f, "tftp", "undionly.kpxe");
  offer (f, 1, "http://192.168.1.20:8080/boot/" MAC ".ipxe");
  sent (f, "http", "boot/" MAC ".ipxe");
  feed (f, 1, "transfer-refused",
        "{\"protocol\": \"http\", \"peer\": \"192.168.1.50:40100\","
        " \"file\": \"images/debian/initrd.gz\", \"reason\": \"not-found\","
        " \"error\": \"Not found\"}");
  assert_verdict (f, "missing-file", "“images/debian/initrd.gz”, which the menu entry "
                  "“Debian installer” names");
}

static void
test_initrd_missing (Fixture       *f,
                     gconstpointer  data)
{
  offer (f, 0, "pxelinux.0");
  sent (f, "tftp", "pxelinux.0");
  sent (f, "tftp", "pxelinux.cfg/default");
  sent (f, "tftp", "images/debian/linux");
  tick (f, 31);
  assert_verdict (f, "initrd-missing", "images/debian/initrd.gz");
}

/* A transfer from an address no DHCP named, while two clients wait: followed by address */
static void
test_ambiguous_peer (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;

  offer (f, 0, "pxelinux.0");
  feed (f, 0, "dhcp-answered",
        "{\"mac\": \"52:54:00:00:00:02\", \"arch\": 0, \"bootFile\": \"pxelinux.0\"}");
  sent (f, "tftp", "pxelinux.0");
  tick (f, 31);
  list = yard_boot_doctor_dup_verdicts (f->doctor, NULL);
  /* two offers nobody took by MAC, one stalled loader by address */
  g_assert_cmpuint (list->len, ==, 3);
}

static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;

  for (guint i = 0; i < 1100; i++)
    {
      g_autofree char *json =
        g_strdup_printf ("{\"mac\": \"02:00:00:00:%02x:%02x\", \"arch\": 6, \"reason\": \"x\"}",
                         i >> 8, i & 0xff);
      feed (f, 0.01, "dhcp-unanswered", json);
    }
  list = yard_boot_doctor_dup_verdicts (f->doctor, NULL);
  g_assert_cmpuint (list->len, ==, 1024);
  /* newest first */
  g_assert_cmpstr (yard_boot_verdict_get_mac (list->pdata[0]), ==, "02:00:00:00:04:4b");
  /* an hour of silence forgets them all */
  tick (f, 3601);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = yard_boot_doctor_dup_verdicts (f->doctor, NULL);
  g_assert_cmpuint (list->len, ==, 0);
}

/* A booted client, then the same client again: two boots in the history, newest first, each
 * with its own events and verdict. */
static void
history_booted_boot (Fixture *f)
{
  offer (f, 0, "pxelinux.0");
  offer (f, 0, "pxelinux.0");
  sent (f, "tftp", "pxelinux.0");
  sent (f, "tftp", "pxelinux.cfg/default");
  sent (f, "tftp", "images/debian/linux");
  sent (f, "tftp", "images/debian/initrd.gz");
}

static void
test_history_boots (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) history = NULL;
  YardBootRecord *boot, *older;
  GPtrArray *events;
  guint changes = 0;

  g_signal_connect_swapped (f->doctor, "history-changed", G_CALLBACK (count_cb), &changes);
  history_booted_boot (f);
  g_assert_cmpuint (changes, >, 0);
  /* progress is no step of its own */
  feed (f, 0.1, "transfer-progress",
        "{\"protocol\": \"tftp\", \"peer\": \"192.168.1.50:2900\", \"file\": \"x\"}");
  /* the next morning: a new boot, which the shared menu does not finish */
  tick (f, 3000);
  offer (f, 7, "efi64/syslinux.efi");
  sent (f, "tftp", "efi64/syslinux.efi");

  history = yard_boot_doctor_dup_history (f->doctor, NULL);
  g_assert_cmpuint (history->len, ==, 2);
  boot = history->pdata[0];
  older = history->pdata[1];
  g_assert_cmpint (yard_boot_record_get_id (boot), >, yard_boot_record_get_id (older));

  g_assert_cmpstr (yard_boot_record_get_mac (older), ==, MAC);
  g_assert_cmpstr (yard_boot_record_get_address (older), ==, "192.168.1.50");
  g_assert_cmpstr (yard_boot_record_get_arch (older), ==, "bios");
  g_assert_cmpint (yard_boot_verdict_get_verdict (yard_boot_record_get_verdict (older)), ==,
                   YARD_VERDICT_BOOTED);
  /* the doctor's records carry no host name: the API names a copy */
  g_assert_null (yard_boot_record_get_name (older));
  events = yard_boot_record_get_events (older);
  /* two DHCP answers, four transfers started and finished; no progress */
  g_assert_cmpuint (events->len, ==, 10);
  g_assert_cmpstr (yard_boot_event_get_kind (events->pdata[0]), ==, "dhcp-answered");
  g_assert_cmpstr (yard_boot_event_get_file (events->pdata[9]), ==, "images/debian/initrd.gz");
  g_assert_nonnull (yard_boot_event_get_time (events->pdata[9]));

  g_assert_cmpstr (yard_boot_record_get_arch (boot), ==, "efi-x64");
  g_assert_null (yard_boot_record_get_verdict (boot));
  g_assert_cmpuint (yard_boot_record_get_events (boot)->len, ==, 3);

  /* refs to the doctor's own records: the boot that goes on shows in what was given out */
  sent (f, "tftp", "efi64/ldlinux.e64");
  g_assert_cmpuint (yard_boot_record_get_events (boot)->len, ==, 5);

  /* by MAC, any separator; another MAC has none */
  g_clear_pointer (&history, g_ptr_array_unref);
  history = yard_boot_doctor_dup_history (f->doctor, "52-54-00-12-34-56");
  g_assert_cmpuint (history->len, ==, 2);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = yard_boot_doctor_dup_history (f->doctor, "52:54:00:00:00:01");
  g_assert_cmpuint (history->len, ==, 0);
}

static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* The doctor keeps its boots and verdicts as core's types, so what it writes with core's codec
 * a client reads back and writes the same bytes: one codec. */
static void
test_history_core_codec (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;

  history_booted_boot (f);
  tick (f, 3000);
  offer (f, 7, "efi64/syslinux.efi");
  sent (f, "tftp", "efi64/syslinux.efi");
  tick (f, 3100);

  history = yard_boot_doctor_dup_history (f->doctor, NULL);
  verdicts = yard_boot_doctor_dup_verdicts (f->doctor, NULL);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpuint (verdicts->len, ==, 1);
  for (guint i = 0; i < history->len; i++)
    {
      g_autoptr(JsonObject) boot = yard_boot_record_to_json (history->pdata[i]);
      g_autoptr(GError) error = NULL;
      YardBootRecord *record = yard_boot_record_new_from_json (boot, &error);
      g_autoptr(JsonObject) again = NULL;
      g_autofree char *text = object_text (boot);
      g_autofree char *text_again = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (yard_boot_record_get_verdict (record));
      /* no "name": that is the API's, at its answer */
      g_assert_false (json_object_has_member (boot, "name"));
      again = yard_boot_record_to_json (record);
      text_again = object_text (again);
      g_assert_cmpstr (text_again, ==, text);
      g_assert_finalize_object (record);
    }
  {
    g_autoptr(JsonObject) verdict = yard_boot_verdict_to_json (verdicts->pdata[0]);
    g_autoptr(GError) error = NULL;
    YardBootVerdict *typed = yard_boot_verdict_new_from_json (verdict, &error);
    g_autoptr(JsonObject) again = NULL;
    g_autofree char *text = object_text (verdict);
    g_autofree char *text_again = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (yard_boot_verdict_get_verdict (typed), ==, YARD_VERDICT_SECURE_BOOT);
    again = yard_boot_verdict_to_json (typed);
    text_again = object_text (again);
    g_assert_cmpstr (text_again, ==, text);
    g_assert_finalize_object (typed);
  }
  /* the newest boot's verdict is the client's latest: one object, not two */
  g_assert_true (yard_boot_record_get_verdict (history->pdata[0]) == verdicts->pdata[0]);
}

/* The DHCP answers of one chainload (the ROM's, then iPXE's) are one boot; the answer after a
 * verdict begins the next. */
static void
test_history_chain_one_boot (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) history = NULL;

  offer (f, 0, "undionly.kpxe");
  sent (f, "tftp", "undionly.kpxe");
  offer (f, 0, "http://192.168.1.2:8080/boot/menu.ipxe");
  sent (f, "http", "boot/menu.ipxe");
  history = yard_boot_doctor_dup_history (f->doctor, NULL);
  g_assert_cmpuint (history->len, ==, 1);

  /* a Secure Boot refusal: the verdict goes to the boot before, the retry is a new boot */
  g_clear_pointer (&history, g_ptr_array_unref);
  offer (f, 7, "efi64/syslinux.efi");
  sent (f, "tftp", "efi64/syslinux.efi");
  offer (f, 7, "efi64/syslinux.efi");
  history = yard_boot_doctor_dup_history (f->doctor, NULL);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (yard_boot_verdict_get_verdict (yard_boot_record_get_verdict (history->pdata[1])),
                   ==, YARD_VERDICT_SECURE_BOOT);
  g_assert_null (yard_boot_record_get_verdict (history->pdata[0]));
}

/* The history is bounded in boots and in events per boot, and what was saved comes back
 * (cut to the same bounds, the broken parts left out) with new boots numbered after it. */
static void
test_history_bounds_and_restore (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(YardBootDoctor) restored = NULL;
  g_autoptr(JsonNode) saved = NULL;
  JsonArray *boots;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *broken = NULL;
  GPtrArray *events;

  for (guint i = 0; i < YARD_BOOT_HISTORY_MAX + 5; i++)
    {
      tick (f, 200);
      offer (f, 0, "pxelinux.0");
    }
  for (guint i = 0; i < YARD_BOOT_HISTORY_EVENTS_MAX + 10; i++)
    sent (f, "tftp", "pxelinux.cfg/default");
  history = yard_boot_doctor_dup_history (f->doctor, NULL);
  g_assert_cmpuint (history->len, ==, YARD_BOOT_HISTORY_MAX);
  events = yard_boot_record_get_events (history->pdata[0]);
  g_assert_cmpuint (events->len, ==, YARD_BOOT_HISTORY_EVENTS_MAX);

  /* saved as the server saves it, with a broken boot among them */
  boots = yard_boot_doctor_save_history (f->doctor);
  saved = json_node_init_array (json_node_alloc (), boots);
  json_array_unref (boots);
  text = json_to_string (saved, FALSE);
  g_assert_true (g_str_has_prefix (text, "["));
  text[0] = ' ';
  broken = g_strconcat ("[{\"id\": \"x\"}, 7,", text, NULL);
  json_parser_load_from_data (parser, broken, -1, &error);
  g_assert_no_error (error);

  restored = yard_boot_doctor_new (NULL);
  g_assert_cmpuint (yard_boot_doctor_restore_history (
                      restored, json_node_get_array (json_parser_get_root (parser))), ==,
                    YARD_BOOT_HISTORY_MAX);
  again = yard_boot_doctor_dup_history (restored, NULL);
  g_assert_cmpuint (again->len, ==, YARD_BOOT_HISTORY_MAX);
  g_assert_cmpint (yard_boot_record_get_id (again->pdata[0]), ==,
                   yard_boot_record_get_id (history->pdata[0]));

  /* a new boot after the restored ones: newest, with the next id */
  yard_boot_doctor_feed (restored, 1 * SEC, "dhcp-answered",
                         yard_boot_event_get_data (events->pdata[0]));
  g_clear_pointer (&again, g_ptr_array_unref);
  again = yard_boot_doctor_dup_history (restored, NULL);
  g_assert_cmpuint (again->len, ==, YARD_BOOT_HISTORY_MAX);
  g_assert_cmpint (yard_boot_record_get_id (again->pdata[0]), ==,
                   yard_boot_record_get_id (history->pdata[0]) + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/yard/boot-doctor/bios-booted", test_bios_booted);
  ADD ("/yard/boot-doctor/history/boots", test_history_boots);
  ADD ("/yard/boot-doctor/history/chain-one-boot", test_history_chain_one_boot);
  ADD ("/yard/boot-doctor/history/core-codec", test_history_core_codec);
  ADD ("/yard/boot-doctor/history/bounds-and-restore", test_history_bounds_and_restore);
  ADD ("/yard/boot-doctor/http-booted", test_http_booted);
  ADD ("/yard/boot-doctor/secure-boot/restart", test_secure_boot_restart);
  ADD ("/yard/boot-doctor/secure-boot/quiet", test_secure_boot_quiet);
  ADD ("/yard/boot-doctor/signed-loader-stalled", test_signed_loader_stalled);
  ADD ("/yard/boot-doctor/bios-loader-stalled", test_bios_loader_stalled);
  ADD ("/yard/boot-doctor/no-request", test_no_request);
  ADD ("/yard/boot-doctor/other-proxy", test_other_proxy);
  ADD ("/yard/boot-doctor/other-dhcp-lease", test_other_dhcp_lease);
  ADD ("/yard/boot-doctor/unsupported-arch", test_unsupported_arch);
  ADD ("/yard/boot-doctor/loop", test_loop);
  ADD ("/yard/boot-doctor/chain-no-loop", test_chain_no_loop);
  ADD ("/yard/boot-doctor/transfer-stopped", test_transfer_stopped);
  ADD ("/yard/boot-doctor/missing-file", test_missing_file);
  ADD ("/yard/boot-doctor/missing-file-http", test_missing_file_http);
  ADD ("/yard/boot-doctor/initrd-missing", test_initrd_missing);
  ADD ("/yard/boot-doctor/ambiguous-peer", test_ambiguous_peer);
  ADD ("/yard/boot-doctor/bounded", test_bounded);
#undef ADD

  return g_test_run ();
}
