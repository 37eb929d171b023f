/* yard-boot-doctor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server sees every step of a network boot: the DHCP answer, the loader, its menu, the
 * kernel and initrds, over TFTP and HTTP. The doctor follows each client through those steps
 * from the server's own events and, where a boot stops, says why in words.
 *
 * Clients are known by MAC from DHCP, and by address from transfers. A transfer from an
 * address that no DHCP event named (ProxyDHCP does not see the router's lease) belongs to the
 * one client offered a boot file in the last minute that has no address yet; when several
 * are waiting, the transfer is followed under its address alone.
 */

#define G_LOG_DOMAIN "yard-boot-doctor"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "yard-arch.h"
#include "yard-boot-doctor.h"
#include "yard-boot-entry.h"
#include "yard-boot-record.h"
#include "yard-boot-step.h"
#include "yard-host-table.h"
#include "yard-json.h"
#include "yard-network-report.h"

#define SEC ((gint64) G_USEC_PER_SEC)

/* How long a client may stay quiet after an offer, or after its loader, before the doctor
 * says it stopped (firmware takes a few seconds between steps, TCG guests more). */
#define QUIET_AFTER_OFFER   (20 * SEC)
#define QUIET_AFTER_LOADER  (30 * SEC)
#define QUIET_AFTER_KERNEL  (30 * SEC)
/* A client that starts over within this long after its loader is the same boot, retried. */
#define RETRY_WINDOW        (120 * SEC)
/* The same loader this many times within LOOP_WINDOW is a loop. */
#define LOOP_COUNT          3
#define LOOP_WINDOW         (600 * SEC)
/* Clients are forgotten after an hour of silence, and there are never more than this many. */
#define CLIENT_IDLE_MAX     (3600 * SEC)
#define CLIENTS_MAX         1024
/* A DHCP answer this long after a client's last event begins a new boot in the history. */
#define BOOT_QUIET          (120 * SEC)

typedef struct
{
  char        *key;            /* the MAC, or "ip:ADDRESS" while the MAC is unknown */
  char        *mac;            /* NULL: only the address is known */
  char        *address;
  int          arch;           /* DHCP option 93; -1 unknown */
  gint64       last_activity;

  gint64       attempt_at;     /* the last DHCP answer that began a boot attempt */
  gint64       offered_at;     /* a DHCP answer no request has followed yet; 0 none */
  char        *offered_file;

  char        *loader;         /* the last loader sent, and when */
  gint64       loader_at;
  gboolean     loader_signed;
  gboolean     restarted;      /* a DHCP answer came after the loader, before any menu */
  guint        loader_count;   /* the same loader, since loader_first_at */
  gint64       loader_first_at;
  gboolean     config_seen;    /* a menu or module after the loader */

  char        *kernel;         /* the last kernel of a menu entry sent, and when */
  gint64       kernel_at;
  GPtrArray   *initrds_due;    /* initrds of its entry not sent yet */
  char        *entry_label;

  YardVerdict  last_verdict;
  gboolean     has_verdict;
  YardBootVerdict *verdict;    /* the latest */
  gint64       verdict_at;

  YardBootRecord *boot;        /* its boot in the history (shared with it), or NULL */
  gint64       boot_seen;      /* the last event of that boot */
} Client;

struct _YardBootDoctor
{
  GObject       parent_instance;

  char         *root_dir;
  YardBootMenu *menu;          /* NULL while the menu does not parse */
  YardNetworkReport *network;  /* the network doctor's last answer, or NULL */
  GHashTable   *clients;       /* key -> Client */
  GHashTable   *by_address;    /* address -> key */
  GQueue       *history;       /* of YardBootRecord, newest first */
  gint64        next_boot_id;
};

G_DEFINE_FINAL_TYPE (YardBootDoctor, yard_boot_doctor, G_TYPE_OBJECT)

enum
{
  SIGNAL_VERDICT,
  SIGNAL_HISTORY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
client_free (Client *c)
{
  g_free (c->key);
  g_free (c->mac);
  g_free (c->address);
  g_free (c->offered_file);
  g_free (c->loader);
  g_free (c->kernel);
  g_free (c->entry_label);
  g_clear_pointer (&c->initrds_due, g_ptr_array_unref);
  g_clear_object (&c->verdict);
  g_clear_object (&c->boot);
  g_free (c);
}

static void
yard_boot_doctor_finalize (GObject *object)
{
  YardBootDoctor *self = YARD_BOOT_DOCTOR (object);

  g_free (self->root_dir);
  g_clear_object (&self->menu);
  g_clear_object (&self->network);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->by_address, g_hash_table_unref);
  if (self->history != NULL)
    g_queue_free_full (self->history, g_object_unref);

  G_OBJECT_CLASS (yard_boot_doctor_parent_class)->finalize (object);
}

static void
yard_boot_doctor_class_init (YardBootDoctorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yard_boot_doctor_finalize;

  /**
   * YardBootDoctor::verdict:
   * @verdict: the verdict object
   */
  signals[SIGNAL_VERDICT] =
    g_signal_new ("verdict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  /**
   * YardBootDoctor::history-changed:
   */
  signals[SIGNAL_HISTORY_CHANGED] =
    g_signal_new ("history-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
yard_boot_doctor_init (YardBootDoctor *self)
{
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) client_free);
  self->by_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->history = g_queue_new ();
  self->next_boot_id = 1;
}

YardBootDoctor *
yard_boot_doctor_new (const char *root_dir)
{
  YardBootDoctor *self = g_object_new (YARD_TYPE_BOOT_DOCTOR, NULL);

  self->root_dir = g_strdup (root_dir);
  return self;
}

void
yard_boot_doctor_set_menu (YardBootDoctor *self,
                           YardBootMenu   *menu)
{
  g_return_if_fail (YARD_IS_BOOT_DOCTOR (self));
  g_set_object (&self->menu, menu);
}

void
yard_boot_doctor_set_network_report (YardBootDoctor    *self,
                                     YardNetworkReport *report)
{
  g_return_if_fail (YARD_IS_BOOT_DOCTOR (self));
  g_return_if_fail (report == NULL || YARD_IS_NETWORK_REPORT (report));
  g_set_object (&self->network, report);
}

/* Clients --------------------------------------------------------------------------------- */

/* "192.0.2.7:2070", "[::ffff:192.0.2.7]:2070", "::ffff:192.0.2.7" -> "192.0.2.7" */
static char *
peer_address (const char *peer)
{
  g_autofree char *addr = NULL;
  const char *colon;

  if (peer == NULL || *peer == '\0')
    return NULL;
  if (peer[0] == '[')
    {
      const char *end = strchr (peer, ']');

      addr = g_strndup (peer + 1, end != NULL ? (gsize) (end - peer - 1) : strlen (peer + 1));
    }
  else if ((colon = strchr (peer, ':')) != NULL && strchr (colon + 1, ':') == NULL)
    addr = g_strndup (peer, colon - peer);
  else
    addr = g_strdup (peer);
  if (g_str_has_prefix (addr, "::ffff:") && strchr (addr + 7, '.') != NULL)
    return g_strdup (addr + 7);
  return g_steal_pointer (&addr);
}

static void
forget_oldest (YardBootDoctor *self)
{
  GHashTableIter iter;
  Client *c, *oldest = NULL;

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    if (oldest == NULL || c->last_activity < oldest->last_activity)
      oldest = c;
  if (oldest == NULL)
    return;
  if (oldest->address != NULL &&
      g_strcmp0 (g_hash_table_lookup (self->by_address, oldest->address), oldest->key) == 0)
    g_hash_table_remove (self->by_address, oldest->address);
  g_hash_table_remove (self->clients, oldest->key);
}

static Client *
client_new (YardBootDoctor *self,
            const char     *key)
{
  Client *c;

  if (g_hash_table_size (self->clients) >= CLIENTS_MAX)
    forget_oldest (self);
  c = g_new0 (Client, 1);
  c->key = g_strdup (key);
  c->arch = -1;
  g_hash_table_insert (self->clients, c->key, c);
  return c;
}

static void
client_set_address (YardBootDoctor *self,
                    Client         *c,
                    const char     *address)
{
  if (address == NULL || *address == '\0' || g_strcmp0 (c->address, address) == 0)
    return;
  g_free (c->address);
  c->address = g_strdup (address);
  g_hash_table_insert (self->by_address, g_strdup (address), g_strdup (c->key));
}

static Client *
client_for_mac (YardBootDoctor *self,
                const char     *mac_text)
{
  g_autofree char *mac = yard_mac_normalize (mac_text, NULL);
  Client *c;

  if (mac == NULL)
    return NULL;
  c = g_hash_table_lookup (self->clients, mac);
  if (c == NULL)
    {
      c = client_new (self, mac);
      c->mac = g_strdup (mac);
    }
  return c;
}

/* The client a transfer from peer belongs to (see the top of the file). */
static Client *
client_for_peer (YardBootDoctor *self,
                 gint64          now,
                 const char     *peer)
{
  g_autofree char *address = peer_address (peer);
  g_autofree char *ip_key = NULL;
  GHashTableIter iter;
  const char *key;
  Client *c, *waiting = NULL;
  guint n_waiting = 0;

  if (address == NULL)
    return NULL;
  key = g_hash_table_lookup (self->by_address, address);
  if (key != NULL && (c = g_hash_table_lookup (self->clients, key)) != NULL)
    return c;

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    if (c->mac != NULL && c->address == NULL && c->offered_at != 0 &&
        now - c->offered_at < 60 * SEC)
      {
        waiting = c;
        n_waiting++;
      }
  if (n_waiting == 1)
    {
      client_set_address (self, waiting, address);
      return waiting;
    }

  ip_key = g_strconcat ("ip:", address, NULL);
  c = g_hash_table_lookup (self->clients, ip_key);
  if (c == NULL)
    {
      c = client_new (self, ip_key);
      client_set_address (self, c, address);
    }
  return c;
}

/* History --------------------------------------------------------------------------------- */

static char *
utc_now_iso8601 (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (utc);
}

/* The client's boot in the history; a new one when it has none or begin is TRUE. */
static YardBootRecord *
client_boot (YardBootDoctor *self,
             Client         *c,
             gint64          now,
             gboolean        begin)
{
  g_autofree char *time = NULL;
  YardBootRecord *boot;

  if (c->boot != NULL && !begin)
    return c->boot;

  time = utc_now_iso8601 ();
  boot = yard_boot_record_new (self->next_boot_id++, time);
  yard_boot_record_set_client (boot, c->mac, c->address, NULL);

  g_queue_push_head (self->history, g_object_ref (boot));
  while (g_queue_get_length (self->history) > YARD_BOOT_HISTORY_MAX)
    g_object_unref (g_queue_pop_tail (self->history));
  g_clear_object (&c->boot);
  c->boot = boot;
  c->boot_seen = now;
  return boot;
}

/* What the boot knows of its client now, and when it changed. */
static void
boot_touch (YardBootDoctor *self,
            Client         *c,
            YardBootRecord *boot)
{
  g_autofree char *time = utc_now_iso8601 ();
  g_autofree char *arch_name = c->arch >= 0 ? yard_client_arch_dup_name (c->arch) : NULL;

  yard_boot_record_set_client (boot, c->mac, c->address, arch_name);
  yard_boot_record_set_updated (boot, time);
  g_signal_emit (self, signals[SIGNAL_HISTORY_CHANGED], 0);
}

/* Adds a followed event to the client's boot: a DHCP answer after a verdict or a quiet spell
 * begins the next boot. */
static void
record_event (YardBootDoctor *self,
              Client         *c,
              gint64          now,
              const char     *kind,
              JsonObject     *payload)
{
  gboolean answer = strcmp (kind, "dhcp-answered") == 0 || strcmp (kind, "dhcp-unanswered") == 0;
  gboolean begin = c->boot == NULL || now - c->boot_seen > BOOT_QUIET ||
                   (answer && yard_boot_record_get_verdict (c->boot) != NULL);
  YardBootRecord *boot = client_boot (self, c, now, begin);

  c->boot_seen = now;
  if (yard_boot_record_get_events (boot)->len < YARD_BOOT_HISTORY_EVENTS_MAX)
    {
      g_autofree char *time = utc_now_iso8601 ();
      JsonNode *data = json_node_alloc ();
      g_autoptr(JsonNode) copy = NULL;
      g_autoptr(YardBootEvent) event = NULL;

      /* a copy: the history outlives the emitter's object */
      json_node_init_object (data, payload);
      copy = json_node_copy (data);
      json_node_unref (data);
      event = yard_boot_event_new (kind, time, json_node_get_object (copy));
      yard_boot_record_add_event (boot, event);
    }
  boot_touch (self, c, boot);
}

/* Verdicts -------------------------------------------------------------------------------- */

static const char *
arch_display (int arch)
{
  const YardClientArch *a = arch >= 0 ? yard_client_arch_lookup (arch) : NULL;

  return a != NULL ? a->display : NULL;
}

static gboolean
arch_is_uefi (int arch)
{
  const YardClientArch *a = arch >= 0 ? yard_client_arch_lookup (arch) : NULL;

  return a != NULL && a->uefi;
}

/* Records and announces a verdict. The same cause is announced once per boot attempt: again
 * only after a new DHCP answer or a different cause. */
static void
give_verdict (YardBootDoctor *self,
              Client         *c,
              gint64          now,
              YardVerdict     verdict,
              const char     *file,
              const char     *title,
              const char     *detail,
              const char     *advice)
{
  g_autofree char *time = utc_now_iso8601 ();
  g_autofree char *arch_name = c->arch >= 0 ? yard_client_arch_dup_name (c->arch) : NULL;
  g_autoptr(JsonObject) v = NULL;
  YardBootRecord *boot;

  if (c->has_verdict && c->last_verdict == verdict && c->verdict_at >= c->attempt_at &&
      verdict != YARD_VERDICT_TRANSFER_STOPPED)
    return;

  g_clear_object (&c->verdict);
  c->verdict = yard_boot_verdict_new (verdict, c->mac, c->address, arch_name, title, detail,
                                      advice, file, time);
  c->last_verdict = verdict;
  c->has_verdict = TRUE;
  c->verdict_at = now;

  boot = client_boot (self, c, now, FALSE);
  yard_boot_record_set_verdict (boot, c->verdict);
  boot_touch (self, c, boot);

  g_message ("Boot of %s: %s %s", c->mac != NULL ? c->mac : c->address, title, detail);
  v = yard_boot_verdict_to_json (c->verdict);
  g_signal_emit (self, signals[SIGNAL_VERDICT], 0, v);
}

/* Another boot server the network doctor found, as words, or NULL. */
static char *
describe_other_servers (YardBootDoctor *self)
{
  g_autoptr(GString) out = NULL;
  GPtrArray *responders;

  if (self->network == NULL)
    return NULL;
  responders = yard_network_report_get_responders (self->network);
  for (guint i = 0; i < responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (responders, i);
      const char *address = r->address != NULL ? r->address : "?";

      if (r->self || !r->pxe)
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      else
        g_string_append (out, ", ");
      if (r->boot_file != NULL && *r->boot_file != '\0')
        /* TRANSLATORS: a boot server on the network and the file it offers */
        g_string_append_printf (out, _("%s (offering “%s”)"), address, r->boot_file);
      else
        g_string_append (out, address);
    }
  return out != NULL ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* "images/x", "/images/x", "efi64/images/x" -> "images/x": how entries and requests name a
 * file of the root (syslinux.efi asks relative to efi64/). */
static const char *
root_relative (const char *file)
{
  while (*file == '/')
    file++;
  if (g_str_has_prefix (file, "efi64/"))
    file += strlen ("efi64/");
  return file;
}

static gboolean
same_file (const char *a,
           const char *b)
{
  return a != NULL && b != NULL && strcmp (root_relative (a), root_relative (b)) == 0;
}

/* The entry of the menu (submenus included) that names file as its kernel (or image), or as
 * one of its initrds; NULL when none does. */
static YardBootEntry *
find_entry_naming (YardBootMenu *menu,
                   const char   *file,
                   gboolean     *as_initrd)
{
  if (menu == NULL)
    return NULL;
  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    {
      YardBootEntry *e = yard_boot_menu_get_entry (menu, i);
      const char * const *initrds = yard_boot_entry_get_initrds (e);
      YardBootEntry *found;

      if (yard_boot_entry_get_kind (e) == YARD_BOOT_ENTRY_KIND_SUBMENU)
        {
          if ((found = find_entry_naming (yard_boot_entry_get_submenu (e), file, as_initrd)))
            return found;
          continue;
        }
      if ((yard_boot_entry_get_kind (e) == YARD_BOOT_ENTRY_KIND_LINUX &&
           same_file (yard_boot_entry_get_kernel (e), file)) ||
          same_file (yard_boot_entry_get_image (e), file))
        {
          *as_initrd = FALSE;
          return e;
        }
      for (guint j = 0; initrds != NULL && initrds[j] != NULL; j++)
        if (same_file (initrds[j], file))
          {
            *as_initrd = TRUE;
            return e;
          }
    }
  return NULL;
}

static gboolean
loader_is_signed (YardBootDoctor *self,
                  const char     *file)
{
  g_autofree char *path = NULL;
  YardKernelInfo info;

  if (self->root_dir == NULL || strstr (file, "..") != NULL)
    return FALSE;
  path = g_build_filename (self->root_dir, root_relative (file), NULL);
  return yard_kernel_info_from_file (path, &info, NULL) && info.signed_;
}

static void
secure_boot_verdict (YardBootDoctor *self,
                     Client         *c,
                     gint64          now)
{
  g_autofree char *detail =
    g_strdup_printf (_("This UEFI client was sent “%s”, which is not signed, and started over "
                       "without asking for a menu: its firmware refused the loader."),
                     c->loader);

  give_verdict (self, c, now, YARD_VERDICT_SECURE_BOOT, c->loader,
                _("Secure Boot refused the loader"), detail,
                _("Choose “Shim and GRUB” (or Automatic) as the UEFI boot loader so that "
                  "Secure Boot clients get Debian's signed shim, or turn Secure Boot off in "
                  "the client's firmware settings."));
}

/* Events ---------------------------------------------------------------------------------- */

static void
dhcp_answered (YardBootDoctor *self,
               gint64          now,
               JsonObject     *payload)
{
  Client *c = client_for_mac (self, json_object_get_string_member_with_default (payload, "mac",
                                                                                 NULL));
  const char *file = json_object_get_string_member_with_default (payload, "bootFile", "");

  if (c == NULL)
    return;
  c->last_activity = now;
  c->arch = (int) json_object_get_int_member_with_default (payload, "arch", c->arch);
  client_set_address (self, c,
                      json_object_get_string_member_with_default (payload, "address", NULL));

  /* The client is back for the same loader with no menu in between. Under Secure Boot a
   * refused unsigned loader looks exactly so; any loader that comes back again and again is
   * a loop. (iPXE asking after undionly.kpxe gets a script URL: another file.) */
  if (c->loader != NULL && !c->config_seen && now - c->loader_at < RETRY_WINDOW &&
      same_file (file, c->loader))
    {
      c->restarted = TRUE;
      if (arch_is_uefi (c->arch) && !c->loader_signed && c->loader_count < LOOP_COUNT)
        secure_boot_verdict (self, c, now);
    }

  /* A second answer of the same exchange (port 67, then 4011; OFFER, then ACK) keeps its
   * offer's time. */
  if (c->offered_at == 0 || g_strcmp0 (c->offered_file, file) != 0)
    c->offered_at = c->attempt_at = now;
  g_free (c->offered_file);
  c->offered_file = g_strdup (file);
}

static void
dhcp_unanswered (YardBootDoctor *self,
                 gint64          now,
                 JsonObject     *payload)
{
  Client *c = client_for_mac (self, json_object_get_string_member_with_default (payload, "mac",
                                                                                 NULL));
  int arch = (int) json_object_get_int_member_with_default (payload, "arch", -1);
  const char *reason = json_object_get_string_member_with_default (payload, "reason", "");
  const char *display = arch_display (arch);
  g_autofree char *detail = NULL;

  if (c == NULL)
    return;
  c->last_activity = now;
  c->arch = arch;
  c->offered_at = 0;
  if (display != NULL)
    detail = g_strdup_printf (_("The client is a %s machine (architecture %d) and the boot "
                                "root has no boot file for it: %s."), display, arch, reason);
  else
    detail = g_strdup_printf (_("The client says its architecture is %d, which Bootyard does "
                                "not know: %s."), arch, reason);
  give_verdict (self, c, now, YARD_VERDICT_UNSUPPORTED_ARCH, NULL,
                _("No boot file for this kind of machine"), detail,
                arch == 11 || arch == 19
                ? _("Install Debian's signed shim and GRUB for ARM64 "
                    "(debian-installer-12-netboot-arm64) or put an ARM64 iPXE at "
                    "arm64/ipxe.efi in the boot root.")
                : _("Switch the client's firmware to UEFI or legacy BIOS network boot for "
                    "its own CPU, or boot it another way."));
}

static void
dhcp_request (YardBootDoctor *self,
              gint64          now,
              JsonObject     *payload)
{
  Client *c = client_for_mac (self, json_object_get_string_member_with_default (payload, "mac",
                                                                                 NULL));
  const char *server = json_object_get_string_member_with_default (payload, "serverId", NULL);
  g_autofree char *detail = NULL;

  if (c == NULL)
    return;
  c->last_activity = now;
  client_set_address (self, c,
                      json_object_get_string_member_with_default (payload, "address", NULL));
  /* Only a full DHCP server's offer can be passed over: beside a router, the client takes
   * the router's lease (this REQUEST) and our boot file from the ProxyDHCP answer. */
  if (!json_object_get_boolean_member_with_default (payload, "leaseOffered", FALSE) ||
      json_object_get_boolean_member_with_default (payload, "ours", FALSE) || server == NULL)
    return;
  detail = g_strdup_printf (_("Bootyard offered this client an address and a boot file, but "
                              "it took the offer of the DHCP server at %s."), server);
  give_verdict (self, c, now, YARD_VERDICT_OTHER_SERVER, NULL,
                _("The client took another server's offer"), detail,
                _("There is another DHCP server on this network: turn Bootyard's DHCP server "
                  "off (“ProxyDHCP beside the router”), or turn the other one off."));
}

static void
transfer_sent (YardBootDoctor *self,
               gint64          now,
               Client         *c,
               const char     *file)
{
  YardBootStep step = yard_boot_step_for_file (file);

  c->offered_at = 0;
  switch (step)
    {
    case YARD_BOOT_STEP_LOADER:
      if (same_file (file, c->loader) && (c->restarted || c->config_seen) &&
          now - c->loader_first_at < LOOP_WINDOW)
        c->loader_count++;
      else if (!same_file (file, c->loader) || now - c->loader_first_at >= LOOP_WINDOW)
        {
          g_free (c->loader);
          c->loader = g_strdup (file);
          c->loader_count = 1;
          c->loader_first_at = now;
          c->loader_signed = loader_is_signed (self, file);
        }
      c->loader_at = now;
      c->restarted = FALSE;
      c->config_seen = FALSE;
      if (c->loader_count >= LOOP_COUNT)
        {
          g_autofree char *detail =
            g_strdup_printf (_("The client has fetched “%s” %u times in %d minutes: it loads "
                               "it, then starts its network boot over."), file,
                             c->loader_count, (int) ((now - c->loader_first_at) / (60 * SEC)) + 1);

          give_verdict (self, c, now, YARD_VERDICT_LOOP, file, _("The boot goes round in a loop"),
                        detail,
                        _("A loader that chains to itself (iPXE given iPXE again) loops: give "
                          "the host the menu or its own script, and check the menu's default "
                          "entry."));
        }
      break;

    case YARD_BOOT_STEP_CONFIG:
      c->config_seen = TRUE;
      break;

    case YARD_BOOT_STEP_KERNEL:
      {
        gboolean as_initrd = FALSE;
        YardBootEntry *e = find_entry_naming (self->menu, file, &as_initrd);

        c->config_seen = TRUE;
        if (e == NULL)
          break;
        if (!as_initrd)
          {
            const char * const *initrds = yard_boot_entry_get_initrds (e);

            g_free (c->kernel);
            c->kernel = g_strdup (file);
            c->kernel_at = now;
            g_free (c->entry_label);
            c->entry_label = g_strdup (yard_boot_entry_get_label (e));
            g_clear_pointer (&c->initrds_due, g_ptr_array_unref);
            c->initrds_due = g_ptr_array_new_with_free_func (g_free);
            for (guint j = 0; initrds != NULL && initrds[j] != NULL; j++)
              g_ptr_array_add (c->initrds_due, g_strdup (initrds[j]));
          }
        else if (c->initrds_due != NULL)
          {
            for (guint j = 0; j < c->initrds_due->len; j++)
              if (same_file (g_ptr_array_index (c->initrds_due, j), file))
                g_ptr_array_remove_index (c->initrds_due, j--);
          }
        if (c->kernel != NULL && c->initrds_due != NULL && c->initrds_due->len == 0)
          {
            g_autofree char *detail =
              g_strdup_printf (_("“%s” went out with everything it needs; the rest is up to "
                                 "the system that starts."), c->entry_label);

            give_verdict (self, c, now, YARD_VERDICT_BOOTED, c->kernel, _("Booted"), detail,
                          NULL);
            g_clear_pointer (&c->kernel, g_free);
            g_clear_pointer (&c->initrds_due, g_ptr_array_unref);
          }
      }
      break;

    case YARD_BOOT_STEP_DHCP:
    case YARD_N_BOOT_STEPS:
    default:
      break;
    }
}

static void
transfer_failed (YardBootDoctor *self,
                 gint64          now,
                 Client         *c,
                 JsonObject     *payload)
{
  const char *file = json_object_get_string_member_with_default (payload, "file", "?");
  const char *protocol = json_object_get_string_member_with_default (payload, "protocol", "");
  const char *error = json_object_get_string_member_with_default (payload, "error", "");
  gint64 size = json_object_get_int_member_with_default (payload, "size", 0);
  gint64 bytes = json_object_get_int_member_with_default (payload, "bytes", 0);
  /* TFTP reports bytesSent; the server copies it into bytes (docs/api.md) */
  gint64 blksize = json_object_get_int_member_with_default (payload, "blksize", 0);
  gint64 windowsize = json_object_get_int_member_with_default (payload, "windowsize", 0);
  g_autofree char *detail = NULL;
  const char *advice;

  /* Firmware asks for a file's size (tsize) and aborts before the first block, then asks
   * again for the file: that is no failure. */
  if (bytes == 0 && g_str_has_prefix (error, "The client aborted"))
    return;
  c->offered_at = 0;
  if (g_strcmp0 (protocol, "tftp") == 0)
    {
      /* %lld, not G_GINT64_FORMAT: xgettext cuts a msgid at a macro, and no translation
       * could match the string at run time */
      detail = g_strdup_printf (_("The TFTP transfer of “%s” stopped after %lld of %lld bytes "
                                  "(block size %lld, window %lld): %s."),
                                file, (long long) bytes, (long long) size, (long long) blksize,
                                (long long) windowsize, error);
      /* Blocks that do not fit the path's MTU never arrive: the client times out at once */
      advice = bytes == 0 && blksize > 1468
               ? _("The client asked for blocks larger than an Ethernet frame and none "
                   "arrived: a network with a smaller MTU (a VPN, a tunnel) or a switch that "
                   "drops fragments is in the way. Boot the client over HTTP (iPXE), or from "
                   "the same network segment.")
               : _("The client stopped acknowledging: it was reset or lost the network. If "
                   "it keeps happening at the same point, the client may not have enough "
                   "memory for this file.");
    }
  else
    {
      detail = g_strdup_printf (_("The HTTP transfer of “%s” stopped after %lld of %lld "
                                  "bytes: %s."),
                                file, (long long) bytes, (long long) size, error);
      advice = _("The client closed the connection: it was reset, ran out of memory for the "
                 "file, or its loader timed out.");
    }
  give_verdict (self, c, now, YARD_VERDICT_TRANSFER_STOPPED, file, _("A transfer stopped"),
                detail, advice);
}

/* A refused request: only the files a boot needs count (loaders probe for many optional
 * configuration files that are not there, and that is fine). */
static void
transfer_refused (YardBootDoctor *self,
                  gint64          now,
                  Client         *c,
                  JsonObject     *payload)
{
  const char *file = json_object_get_string_member_with_default (payload, "file", "?");
  const char *reason = json_object_get_string_member_with_default (payload, "reason", "");
  YardBootStep step = yard_boot_step_for_file (file);
  gboolean as_initrd = FALSE;
  YardBootEntry *e;
  g_autofree char *detail = NULL;

  if (g_strcmp0 (reason, "not-found") != 0 || step == YARD_BOOT_STEP_CONFIG)
    return;
  c->offered_at = 0;
  e = find_entry_naming (self->menu, file, &as_initrd);
  if (e != NULL)
    detail = g_strdup_printf (_("The client asked for “%s”, which the menu entry “%s” names, "
                                "but it is not in the boot root."), file,
                              yard_boot_entry_get_label (e));
  else
    detail = g_strdup_printf (_("The client asked for “%s”, which is not in the boot root."),
                              file);
  give_verdict (self, c, now, YARD_VERDICT_MISSING_FILE, file, _("A file is missing"), detail,
                e != NULL ? _("Add the image again, or edit the entry so that it names a file "
                              "of the boot root.")
                          : _("Put the file into the boot root, or fix what names it."));
}

void
yard_boot_doctor_feed (YardBootDoctor *self,
                       gint64          now,
                       const char     *kind,
                       JsonObject     *payload)
{
  Client *c;

  g_return_if_fail (YARD_IS_BOOT_DOCTOR (self));
  g_return_if_fail (kind != NULL && payload != NULL);

  if (strcmp (kind, "dhcp-answered") == 0 || strcmp (kind, "dhcp-unanswered") == 0 ||
      strcmp (kind, "dhcp-request") == 0)
    {
      /* the verdicts these give belong to the boot before; the event may begin the next */
      if (strcmp (kind, "dhcp-answered") == 0)
        dhcp_answered (self, now, payload);
      else if (strcmp (kind, "dhcp-unanswered") == 0)
        dhcp_unanswered (self, now, payload);
      else
        dhcp_request (self, now, payload);
      if ((c = client_for_mac (self, json_object_get_string_member_with_default (payload, "mac",
                                                                                  NULL))))
        record_event (self, c, now, kind, payload);
    }
  else if (strcmp (kind, "host-seen") == 0)
    {
      if ((c = client_for_mac (self, json_object_get_string_member_with_default (payload, "mac",
                                                                                  NULL))))
        client_set_address (self, c,
                            json_object_get_string_member_with_default (payload, "address",
                                                                        NULL));
    }
  else if (g_str_has_prefix (kind, "transfer-") && strcmp (kind, "transfer-progress") != 0)
    {
      c = client_for_peer (self, now,
                           json_object_get_string_member_with_default (payload, "peer", NULL));
      if (c == NULL)
        return;
      c->last_activity = now;
      if (strcmp (kind, "transfer-started") == 0)
        c->offered_at = 0;
      else if (strcmp (kind, "transfer-finished") == 0)
        transfer_sent (self, now, c,
                       json_object_get_string_member_with_default (payload, "file", ""));
      else if (strcmp (kind, "transfer-failed") == 0)
        transfer_failed (self, now, c, payload);
      else if (strcmp (kind, "transfer-refused") == 0)
        transfer_refused (self, now, c, payload);
      record_event (self, c, now, kind, payload);
    }
}

void
yard_boot_doctor_tick (YardBootDoctor *self,
                       gint64          now)
{
  GHashTableIter iter;
  Client *c;

  g_return_if_fail (YARD_IS_BOOT_DOCTOR (self));

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    {
      if (now - c->last_activity > CLIENT_IDLE_MAX)
        {
          if (c->address != NULL &&
              g_strcmp0 (g_hash_table_lookup (self->by_address, c->address), c->key) == 0)
            g_hash_table_remove (self->by_address, c->address);
          g_hash_table_iter_remove (&iter);
          continue;
        }

      if (c->offered_at != 0 && now - c->offered_at > QUIET_AFTER_OFFER)
        {
          g_autofree char *others = describe_other_servers (self);
          g_autofree char *detail = NULL;

          c->offered_at = 0;
          if (others != NULL)
            {
              detail = g_strdup_printf (_("Bootyard offered “%s”, but the client asked for no "
                                          "file. Another boot server answers on this network: "
                                          "%s; the client most likely took its offer."),
                                        c->offered_file, others);
              give_verdict (self, c, now, YARD_VERDICT_OTHER_SERVER, c->offered_file,
                            _("The client took another server's offer"), detail,
                            _("Two boot servers on one network confuse clients: turn the other "
                              "one's PXE or ProxyDHCP service off, or stop Bootyard's."));
            }
          else
            {
              detail = g_strdup_printf (_("Bootyard offered “%s”, but the client asked for no "
                                          "file."), c->offered_file);
              give_verdict (self, c, now, YARD_VERDICT_NO_REQUEST, c->offered_file,
                            _("The client did not ask for its boot file"), detail,
                            _("Another boot server may have answered first (run the network "
                              "doctor), or a firewall on this machine blocks TFTP (UDP port "
                              "69) or HTTP."));
            }
        }

      if (c->loader != NULL && !c->config_seen && c->loader_at != 0 &&
          now - c->loader_at > QUIET_AFTER_LOADER)
        {
          c->loader_at = 0;
          if (arch_is_uefi (c->arch) && !c->loader_signed)
            secure_boot_verdict (self, c, now);
          else
            {
              g_autofree char *detail =
                g_strdup_printf (_("“%s” was sent, but the client asked for no menu after it."),
                                 c->loader);

              give_verdict (self, c, now, YARD_VERDICT_LOADER_STALLED, c->loader,
                            _("The boot loader stopped"), detail,
                            _("Look at the client's screen: the loader may wait for a key, or "
                              "say why it cannot go on (a loader for another kind of "
                              "firmware, no network driver)."));
            }
        }

      if (c->kernel != NULL && c->initrds_due != NULL && c->initrds_due->len > 0 &&
          now - c->kernel_at > QUIET_AFTER_KERNEL)
        {
          g_autofree char *detail =
            g_strdup_printf (_("The kernel of “%s” was sent, but not its initrd “%s”."),
                             c->entry_label, (char *) g_ptr_array_index (c->initrds_due, 0));

          give_verdict (self, c, now, YARD_VERDICT_INITRD_MISSING, c->kernel,
                        _("The initrd was never asked for"), detail,
                        _("The loader may have run out of memory for the kernel, or stopped "
                          "on an error: look at the client's screen."));
          g_clear_pointer (&c->kernel, g_free);
        }
    }
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Client *ca = *(const Client **) a;
  const Client *cb = *(const Client **) b;

  return ca->verdict_at < cb->verdict_at ? 1 : ca->verdict_at > cb->verdict_at ? -1 : 0;
}

GPtrArray *
yard_boot_doctor_dup_verdicts (YardBootDoctor *self,
                               const char     *mac)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autofree char *wanted = NULL;
  GPtrArray *out;
  GHashTableIter iter;
  Client *c;

  g_return_val_if_fail (YARD_IS_BOOT_DOCTOR (self), NULL);

  out = g_ptr_array_new_with_free_func (g_object_unref);
  if (mac != NULL && (wanted = yard_mac_normalize (mac, NULL)) == NULL)
    return out;
  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    if (c->verdict != NULL && (wanted == NULL || g_strcmp0 (c->mac, wanted) == 0))
      g_ptr_array_add (list, c);
  g_ptr_array_sort (list, compare_newest_first);
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (out, g_object_ref (((Client *) g_ptr_array_index (list, i))->verdict));
  return out;
}

GPtrArray *
yard_boot_doctor_dup_history (YardBootDoctor *self,
                              const char     *mac)
{
  g_autofree char *wanted = NULL;
  GPtrArray *out;

  g_return_val_if_fail (YARD_IS_BOOT_DOCTOR (self), NULL);

  out = g_ptr_array_new_with_free_func (g_object_unref);
  if (mac != NULL && (wanted = yard_mac_normalize (mac, NULL)) == NULL)
    return out;
  for (GList *l = self->history->head; l != NULL; l = l->next)
    {
      YardBootRecord *boot = l->data;

      if (wanted == NULL || g_strcmp0 (yard_boot_record_get_mac (boot), wanted) == 0)
        g_ptr_array_add (out, g_object_ref (boot));
    }
  return out;
}

JsonArray *
yard_boot_doctor_save_history (YardBootDoctor *self)
{
  JsonArray *boots = json_array_new ();

  g_return_val_if_fail (YARD_IS_BOOT_DOCTOR (self), boots);

  for (GList *l = self->history->head; l != NULL; l = l->next)
    json_array_add_object_element (boots, yard_boot_record_to_json (l->data));
  return boots;
}

guint
yard_boot_doctor_restore_history (YardBootDoctor *self,
                                  JsonArray      *boots)
{
  guint taken = 0;

  g_return_val_if_fail (YARD_IS_BOOT_DOCTOR (self), 0);
  g_return_val_if_fail (boots != NULL, 0);

  for (guint i = 0; i < json_array_get_length (boots); i++)
    {
      JsonNode *node = json_array_get_element (boots, i);
      g_autoptr(GError) error = NULL;
      YardBootRecord *boot;
      gint64 id;

      if (g_queue_get_length (self->history) >= YARD_BOOT_HISTORY_MAX)
        break;
      /* a saved boot is what save_history wrote: core's reader takes it back */
      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (boot = yard_boot_record_new_from_json (json_node_get_object (node), &error)) == NULL)
        {
          g_debug ("A saved boot is skipped: %s",
                   error != NULL ? error->message : "not an object");
          continue;
        }
      yard_boot_record_truncate_events (boot, YARD_BOOT_HISTORY_EVENTS_MAX);
      id = yard_boot_record_get_id (boot);
      if (id >= self->next_boot_id)
        self->next_boot_id = id + 1;
      g_queue_push_tail (self->history, boot);
      taken++;
    }
  return taken;
}
