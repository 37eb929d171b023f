/* yard-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The composition root of the headless server: it owns the boot root, the state directory and
 * each service, starts and stops them, and funnels their events into one "event" signal that
 * the log and the API's event stream both read. The daemon's main() only parses options.
 */

#define G_LOG_DOMAIN "yard-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "yard-error.h"
#include "yard-proxy-dhcp.h"
#include "yard-boot-root.h"
#include "yard-boot-doctor.h"
#include "yard-dhcp-probe.h"
#include "yard-wol.h"
#include "yard-cleanup.h"
#include "yard-grub.h"
#include "yard-server.h"
#include "yard-boot-menu.h"
#include "yard-host-table.h"
#include "yard-http-server.h"
#include "yard-image.h"
#include "yard-ipxe.h"
#include "yard-json.h"
#include "yard-net-interface.h"
#include "yard-pxelinux.h"
#include "yard-root-file.h"
#include "yard-state-file.h"
#include "yard-tftp-server.h"

struct _YardServer
{
  GObject           parent_instance;
  YardServerConfig  config;
  gboolean          running;          /* directories made, API up */
  gboolean          services_running; /* what the app's one switch turns on */
  GHashTable       *last_errors;      /* service name -> GError of its last failure */
  YardHostTable    *hosts;            /* from start on */
  YardBootMenu     *menu;             /* NULL while pxelinux.cfg/default does not parse */
  GError           *menu_error;       /* why it does not */
  YardHttpServer   *http;             /* the API and /boot/: up from start to stop */
  YardBootDoctor   *doctor;           /* follows every boot through the events; from start on */
  guint             doctor_tick_id;
  guint             history_save_id;  /* a save of the boot history is due */
  YardStateFile    *history_file;     /* STATE-DIR/activity.json */
  YardNetworkReport *network;         /* the network doctor's last report, or NULL */
  char             *default_interface; /* the default route's, when none is configured */
  /* Each service's object lives here, NULL while stopped. */
  YardTftpServer   *tftp;
  YardProxyDhcp    *dhcp;
  YardBootFlavor    loaders[YARD_N_LOADER_SETTINGS]; /* menu-mode hosts, per firmware */
};

G_DEFINE_FINAL_TYPE (YardServer, yard_server, G_TYPE_OBJECT)

/* The boot services the app's switch and POST /services/start control. Each one adds its row
 * here: start binds and begins serving (a clear GError otherwise), stop frees everything,
 * port returns the bound port (0 while stopped). disabled says whether the config turned it
 * off (--no-tftp, ...). */
typedef struct
{
  const char *name;
  gboolean  (*disabled) (YardServer *self);
  gboolean  (*start)    (YardServer *self, GError **error);
  void      (*stop)     (YardServer *self);
  guint16   (*port)     (YardServer *self);
} ServiceOps;

/* GRUB's report of what the machine is, over TFTP: kept as iPXE's over HTTP is */
static void
tftp_machine_cb (YardTftpServer *tftp,
                 const char     *mac,
                 YardMachine    *machine,
                 YardServer     *self)
{
  g_autoptr(GError) error = NULL;

  if (self->hosts == NULL || !yard_host_table_record_machine (self->hosts, mac, machine, &error))
    g_debug ("TFTP: the machine report of %s is not kept: %s", mac,
             error != NULL ? error->message : "no host table");
}

static void
tftp_event_cb (YardTftpServer *tftp,
               const char     *kind,
               JsonObject     *payload,
               YardServer     *self)
{
  /* The event stream's transfer events read the same for TFTP and HTTP (docs/api.md):
   * protocol, bytes and duration in seconds beside TFTP's own fields. */
  if (g_str_has_prefix (kind, "transfer-"))
    {
      json_object_set_string_member (payload, "protocol", "tftp");
      if (json_object_has_member (payload, "bytesSent") &&
          !json_object_has_member (payload, "bytes"))
        json_object_set_int_member (payload, "bytes",
                                    json_object_get_int_member (payload, "bytesSent"));
      if (json_object_has_member (payload, "durationMs") &&
          !json_object_has_member (payload, "duration"))
        json_object_set_double_member (payload, "duration",
                                       json_object_get_int_member (payload, "durationMs") / 1000.0);
    }
  yard_server_emit_event (self, kind, payload);
}

static gboolean
tftp_disabled (YardServer *self)
{
  return self->config.no_tftp;
}

/* With no --address, "::" takes IPv6 and (as ::ffff:a.b.c.d) IPv4 clients; a machine without
 * IPv6 falls back to 0.0.0.0. */
static gboolean
tftp_start (YardServer  *self,
            GError     **error)
{
  g_autoptr(YardTftpServer) tftp = yard_tftp_server_new (self->config.root_dir);
  g_autoptr(GError) local_error = NULL;

  yard_tftp_server_set_allow_upload (tftp, self->config.tftp_allow_upload);
  g_signal_connect (tftp, "transfer-event", G_CALLBACK (tftp_event_cb), self);
  g_signal_connect (tftp, "machine-reported", G_CALLBACK (tftp_machine_cb), self);

  if (self->config.address != NULL)
    {
      if (!yard_tftp_server_start (tftp, self->config.address, self->config.tftp_port, error))
        return FALSE;
    }
  else if (!yard_tftp_server_start (tftp, "::", self->config.tftp_port, &local_error))
    {
      if (g_error_matches (local_error, YARD_ERROR, YARD_ERROR_ADDRESS_IN_USE) ||
          g_error_matches (local_error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED) ||
          !yard_tftp_server_start (tftp, "0.0.0.0", self->config.tftp_port, error))
        {
          if (local_error != NULL && (error == NULL || *error == NULL))
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  self->tftp = g_steal_pointer (&tftp);
  return TRUE;
}

static void
tftp_stop (YardServer *self)
{
  if (self->tftp == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->tftp, tftp_event_cb, self);
  yard_tftp_server_stop (self->tftp);
  g_clear_object (&self->tftp);
}

static guint16
tftp_port (YardServer *self)
{
  return self->tftp != NULL ? yard_tftp_server_get_port (self->tftp) : 0;
}

static void
dhcp_event_cb (YardProxyDhcp *dhcp,
               const char    *kind,
               JsonObject    *payload,
               YardServer    *self)
{
  yard_server_emit_event (self, kind, payload);
}

static gboolean
dhcp_disabled (YardServer *self)
{
  return self->config.no_dhcp;
}

/* Every PXE request is recorded in the hosts table; a host set to disk or ignore gets no
 * offer, a host with its own script (or URL) gets iPXE so that it fetches that script. */
static void
dhcp_host_seen_cb (YardProxyDhcp *dhcp,
                   const char    *mac,
                   guint          arch,
                   const char    *vendor_class,
                   const char    *uuid,
                   const char    *interface,
                   gint64         time,
                   YardServer    *self)
{
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;

  host = yard_host_table_record_seen (self->hosts, mac, (int) arch, NULL, vendor_class, uuid,
                                      NULL, &error);
  if (host == NULL)
    g_warning ("Could not record host %s: %s", mac, error->message);
}

static YardBootFlavor
dhcp_policy_cb (const char *mac,
                guint       arch,
                gpointer    user_data)
{
  YardServer *self = user_data;
  g_autoptr(YardHost) host = yard_host_table_dup_host (self->hosts, mac);

  if (host == NULL)
    return YARD_BOOT_DEFAULT;
  switch (host->mode)
    {
    case YARD_HOST_MODE_DISK:
    case YARD_HOST_MODE_IGNORE:
      return YARD_BOOT_NONE;
    case YARD_HOST_MODE_SCRIPT:
    case YARD_HOST_MODE_URL:
      return YARD_BOOT_IPXE;
    case YARD_HOST_MODE_MENU:
    default:
      return YARD_BOOT_DEFAULT;
    }
}

static YardBootFlavor effective_uefi_flavor (YardServer *self);

/* The interface the services answer on (or will): the running ProxyDHCP's, else --interface,
 * else (no --address either) the one with the default route, looked up again each time. */
static const char *
service_interface (YardServer *self)
{
  if (self->dhcp != NULL && yard_proxy_dhcp_get_interface (self->dhcp) != NULL)
    return yard_proxy_dhcp_get_interface (self->dhcp);
  if (self->config.interface != NULL || self->config.address != NULL)
    return self->config.interface;
  g_free (self->default_interface);
  self->default_interface = yard_net_interface_dup_default ();
  return self->default_interface;
}

/* ProxyDHCP, or full DHCP with --dhcp-range. The hosts table's policy and the menu flavor are
 * set on self->dhcp by whoever owns them (yard_proxy_dhcp_set_policy_func ()). */
static gboolean
dhcp_start (YardServer  *self,
            GError     **error)
{
  g_autoptr(YardProxyDhcp) dhcp = yard_proxy_dhcp_new (service_interface (self),
                                                       self->config.address,
                                                       self->config.root_dir);

  yard_proxy_dhcp_set_ports (dhcp, self->config.dhcp_port, self->config.pxe_port);
  /* The bound port: --http-port 0 picks one at start. */
  yard_proxy_dhcp_set_http_port (dhcp, yard_server_get_http_port (self));
  /* lpxelinux over HTTP only while /boot/ is served (http_start / http_stop follow) */
  yard_proxy_dhcp_set_http_boot (dhcp, self->http != NULL &&
                                       yard_http_server_get_serve_boot (self->http));
  if (self->config.dhcp_range != NULL &&
      !yard_proxy_dhcp_set_range (dhcp, self->config.dhcp_range, self->config.state_dir, error))
    return FALSE;
  g_signal_connect (dhcp, "dhcp-event", G_CALLBACK (dhcp_event_cb), self);
  g_signal_connect (dhcp, "host-seen", G_CALLBACK (dhcp_host_seen_cb), self);
  yard_proxy_dhcp_set_policy_func (dhcp, dhcp_policy_cb, self, NULL);
  yard_proxy_dhcp_set_menu_flavor (dhcp, self->loaders[YARD_LOADER_BIOS],
                                   effective_uefi_flavor (self));

  if (!yard_proxy_dhcp_start (dhcp, error))
    return FALSE;

  self->dhcp = g_steal_pointer (&dhcp);
  return TRUE;
}

static void
dhcp_stop (YardServer *self)
{
  if (self->dhcp == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->dhcp, dhcp_event_cb, self);
  g_signal_handlers_disconnect_by_func (self->dhcp, dhcp_host_seen_cb, self);
  yard_proxy_dhcp_stop (self->dhcp);
  g_clear_object (&self->dhcp);
}

static guint16
dhcp_port (YardServer *self)
{
  return self->dhcp != NULL ? yard_proxy_dhcp_get_port (self->dhcp) : 0;
}

/* Hosts and the menu: YardServer owns them, the API and the services read them. */

static void
host_seen_cb (YardHostTable  *table,
              const YardHost *host,
              YardServer     *self)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "mac", host->mac);
  if (host->address != NULL)
    json_object_set_string_member (payload, "address", host->address);
  else
    json_object_set_null_member (payload, "address");
  if (host->arch != NULL)
    json_object_set_string_member (payload, "arch", host->arch);
  else
    json_object_set_null_member (payload, "arch");
  if (host->vendor_class != NULL)
    json_object_set_string_member (payload, "vendorClass", host->vendor_class);
  else
    json_object_set_null_member (payload, "vendorClass");
  if (host->uuid != NULL)
    json_object_set_string_member (payload, "uuid", host->uuid);
  else
    json_object_set_null_member (payload, "uuid");
  yard_server_emit_event (self, "host-seen", payload);
}

static void
host_changed_cb (YardHostTable  *table,
                 const YardHost *host,
                 YardServer     *self)
{
  g_autoptr(JsonObject) payload = yard_host_to_json (host);
  yard_server_emit_event (self, "host-changed", payload);
}

static void
host_removed_cb (YardHostTable *table,
                 const char    *mac,
                 YardServer    *self)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "mac", mac);
  yard_server_emit_event (self, "host-removed", payload);
}

YardHostTable *
yard_server_get_host_table (YardServer *self)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);
  return self->hosts;
}

/* ROOT/boot/menu.ipxe, for scripts that chain the shared menu. Per-host scripts do not read
 * it: they write the menu with the URL the client came in on. */
static gboolean
write_ipxe_menu (YardServer    *self,
                 YardBootMenu  *menu,
                 GError       **error)
{
  g_autofree char *path = g_build_filename (self->config.root_dir, "boot", "menu.ipxe", NULL);
  g_autofree char *text = NULL;

  /* Paths relative to /boot/boot/ would miss: the menu's own URLs come from the variable that
   * every Bootyard script sets first. */
  text = yard_ipxe_menu_script_for_root (menu, "${bootyard_http}", self->config.root_dir, NULL);
  if (text == NULL &&
      (text = yard_ipxe_menu_script_for_root (menu, NULL, self->config.root_dir, error)) == NULL)
    return FALSE;
  return yard_root_write_file (path, text, -1, error);
}

static gboolean http_disabled (YardServer *self);

/* ROOT/grub/grub.cfg, for shim + GRUB on UEFI. Kernels come over HTTP from our port when
 * /boot/ is served, over TFTP otherwise. */
static gboolean
write_grub_menu (YardServer    *self,
                 YardBootMenu  *menu,
                 GError       **error)
{
  YardGrubOptions options = {
    .root_dir = self->config.root_dir,
    .http_port = http_disabled (self) ? 0 : yard_server_get_http_port (self),
  };
  g_autofree char *path = g_build_filename (self->config.root_dir, YARD_BOOT_ROOT_GRUB_CONFIG,
                                            NULL);
  g_autofree char *text = yard_grub_menu_config (menu, &options);

  return yard_root_write_file (path, text, -1, error);
}

/* The menus written from pxelinux.cfg/default (UEFI syslinux, GRUB, iPXE), each atomically.
 * Also at every start: a crash between two of them, or a new HTTP port, leaves none stale. */
static gboolean
write_derived_menus (YardServer    *self,
                     YardBootMenu  *menu,
                     GError       **error)
{
  return yard_pxelinux_save_efi_root (menu, self->config.root_dir, error) &&
         write_grub_menu (self, menu, error) &&
         write_ipxe_menu (self, menu, error);
}

/* Reads ROOT/pxelinux.cfg/default; a root without one gets the starter menu, written out.
 * A file that does not parse leaves the menu NULL and its error for the API to show: it is
 * never overwritten. */
static gboolean
load_menu (YardServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_load_root (self->config.root_dir, &error);

  if (menu == NULL && g_error_matches (error, YARD_ERROR, YARD_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      menu = yard_boot_menu_new_starter (NULL);
      if (!yard_pxelinux_save_root (menu, self->config.root_dir, &error) ||
          !write_derived_menus (self, menu, &error))
        {
          g_warning ("Could not write the starter menu: %s", error->message);
          g_clear_error (&error);
        }
    }

  g_clear_object (&self->menu);
  if (self->doctor != NULL)
    yard_boot_doctor_set_menu (self->doctor, NULL);
  if (menu == NULL)
    {
      /* Read again on each API call until fixed: say it once per new error, not each time. */
      if (self->menu_error == NULL || g_strcmp0 (self->menu_error->message, error->message) != 0)
        g_warning ("%s", error->message);
      g_clear_error (&self->menu_error);
      self->menu_error = g_steal_pointer (&error);
      return FALSE;
    }
  g_clear_error (&self->menu_error);
  self->menu = g_steal_pointer (&menu);
  if (self->doctor != NULL)
    yard_boot_doctor_set_menu (self->doctor, self->menu);

  /* A root set up by someone else (or by the boot root installer) lacks the iPXE menu. */
  {
    g_autofree char *ipxe = g_build_filename (self->config.root_dir, "boot", "menu.ipxe", NULL);

    if (!g_file_test (ipxe, G_FILE_TEST_EXISTS) && !write_ipxe_menu (self, self->menu, &error))
      g_warning ("Could not write %s: %s", ipxe, error->message);
  }
  return TRUE;
}

/* The shared menu (borrowed), or NULL with the parse error of pxelinux.cfg/default
 * (YARD_ERROR_INVALID_CONFIG, naming file and line). A broken file is read again on each
 * call, so a hand fix is picked up. */
YardBootMenu *
yard_server_get_menu (YardServer  *self,
                      GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);

  if (self->menu == NULL)
    load_menu (self);
  if (self->menu == NULL)
    {
      if (self->menu_error != NULL)
        g_propagate_error (error, g_error_copy (self->menu_error));
      else
        g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "The menu is not loaded");
      return NULL;
    }
  return self->menu;
}

/* pxelinux has no variables: the ${bootyard_http} that imported images' kernel arguments use
 * (iPXE scripts set it) has to become this server's URL in the file. Known when the server
 * has an address of its own: --address, or the one ProxyDHCP took from --interface. */
static char *
dup_boot_url (YardServer *self)
{
  const char *address = self->config.address;
  guint16 port = yard_server_get_http_port (self);
  g_autoptr(GInetAddress) inet = NULL;

  if (address == NULL && self->dhcp != NULL)
    address = yard_proxy_dhcp_get_address (self->dhcp);
  if (address == NULL || port == 0 ||
      (inet = g_inet_address_new_from_string (address)) == NULL ||
      g_inet_address_get_is_any (inet))
    return NULL;
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u/boot", address, port);
  return g_strdup_printf ("http://%s:%u/boot", address, port);
}

static void
resolve_boot_url (YardServer   *self,
                  YardBootMenu *menu,
                  const char   *boot_url)
{
  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char *append = yard_boot_entry_get_append (entry);
      g_autoptr(GString) resolved = NULL;

      if (yard_boot_entry_get_submenu (entry) != NULL)
        resolve_boot_url (self, yard_boot_entry_get_submenu (entry), boot_url);
      if (append == NULL || strstr (append, YARD_IMAGE_HTTP_PLACEHOLDER) == NULL ||
          yard_boot_entry_get_read_only (entry))
        continue;
      if (boot_url == NULL)
        {
          g_message ("Entry “%s” names this server's URL in its kernel arguments, which "
                     "pxelinux clients cannot know: start bootyard-server with --address",
                     yard_boot_entry_get_id (entry));
          continue;
        }
      resolved = g_string_new (append);
      g_string_replace (resolved, YARD_IMAGE_HTTP_PLACEHOLDER, boot_url, 0);
      yard_boot_entry_set_append (entry, resolved->str);
    }
}

/* After a change to the menu: pxelinux.cfg/default, efi64/pxelinux.cfg/default and
 * boot/menu.ipxe, each atomically. On failure the menu is read back from disk, so what the
 * API shows is what clients get. */
gboolean
yard_server_save_menu (YardServer  *self,
                       GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->menu != NULL, FALSE);

  {
    g_autofree char *boot_url = dup_boot_url (self);
    resolve_boot_url (self, self->menu, boot_url);
  }

  if (!yard_pxelinux_save_root (self->menu, self->config.root_dir, error) ||
      !write_grub_menu (self, self->menu, error) ||
      !write_ipxe_menu (self, self->menu, error))
    {
      load_menu (self);
      return FALSE;
    }
  return TRUE;
}

/* pxelinux.cfg/default greys out the entries that cannot boot from the root's files now
 * (yard_pxelinux_refresh_root_marks): when those marks change, the file is written, and read
 * again so that the model's file is the one on disk. */
static gboolean
refresh_bios_marks (YardServer  *self,
                    GError     **error)
{
  gboolean changed = FALSE;

  if (!yard_pxelinux_refresh_root_marks (self->config.root_dir, &changed, error))
    return FALSE;
  if (changed)
    load_menu (self);
  return TRUE;
}

/* After the images changed (an upload, a delete): the menus written from the model
 * (efi64, GRUB, iPXE) leave out entries whose files are missing and take back those whose
 * files returned; pxelinux.cfg/default, the source of truth, keeps them and only its
 * derived marks (MENU DISABLE) follow. */
gboolean
yard_server_refresh_menus (YardServer  *self,
                           GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);

  if (self->menu == NULL)
    return TRUE; /* a menu file that does not parse: nothing is derived from it */
  if (!refresh_bios_marks (self, error))
    {
      g_prefix_error (error, "Could not rewrite pxelinux.cfg/default: ");
      return FALSE;
    }
  if (self->menu != NULL && !write_derived_menus (self, self->menu, error))
    {
      g_prefix_error (error, "Could not rewrite the menus for UEFI and iPXE: ");
      return FALSE;
    }
  return TRUE;
}

/* HTTP listens from yard_server_start() to yard_server_stop(): it carries the API. The "http"
 * boot service only turns the serving of /boot/ on and off. */
static gboolean
http_disabled (YardServer *self)
{
  return self->config.no_http;
}

static gboolean
http_start (YardServer  *self,
            GError     **error)
{
  if (self->http == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "The HTTP server is not running");
      return FALSE;
    }
  yard_http_server_set_serve_boot (self->http, TRUE);
  if (self->dhcp != NULL)
    yard_proxy_dhcp_set_http_boot (self->dhcp, TRUE);
  return TRUE;
}

static void
http_stop (YardServer *self)
{
  if (self->http != NULL)
    yard_http_server_set_serve_boot (self->http, FALSE);
  if (self->dhcp != NULL)
    yard_proxy_dhcp_set_http_boot (self->dhcp, FALSE);
}

static guint16
http_port (YardServer *self)
{
  if (self->http == NULL || !yard_http_server_get_serve_boot (self->http))
    return 0;
  return yard_http_server_get_port (self->http);
}

/* The port the API and /boot/ listen on (0 before start). */
guint16
yard_server_get_http_port (YardServer *self)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), 0);
  return self->http != NULL ? yard_http_server_get_port (self->http) : 0;
}

/* Settings: STATE-DIR/settings.json, {"loader": "pxelinux" | "lpxelinux" | "ipxe",
 * "uefiLoader": "auto" | "grub" | "syslinux" | "ipxe"}, written atomically. Members this
 * version does not know are kept; a file that does not parse is never overwritten. */

typedef struct
{
  const char     *member;
  const char     *names[4];
  YardBootFlavor  flavors[4];
} LoaderSetting;

/* The first value of each is the default. */
static const LoaderSetting loader_settings[YARD_N_LOADER_SETTINGS] = {
  /* "pxelinux": pxelinux.0, every file over TFTP; "lpxelinux": lpxelinux.0, which fetches
   * the rest over HTTP while /boot/ is served (faster, but not the default: some boots stall
   * in lpxelinux's own TCP stack, bench/README.md) */
  [YARD_LOADER_BIOS] = { "loader", { "pxelinux", "lpxelinux", "ipxe", NULL },
                         { YARD_BOOT_PXELINUX, YARD_BOOT_LPXELINUX, YARD_BOOT_IPXE } },
  /* "auto" (DEFAULT here): Debian 12's signed GRUB takes its TFTP server only from the DHCP
   * answer that gave the address, never from a ProxyDHCP's, so it works when Bootyard hands
   * out the addresses (--dhcp-range), and syslinux.efi (Secure Boot off) beside a router.
   * "grub" is for a router whose next-server is this machine. */
  [YARD_LOADER_UEFI] = { "uefiLoader", { "auto", "grub", "syslinux", "ipxe" },
                         { YARD_BOOT_DEFAULT, YARD_BOOT_GRUB, YARD_BOOT_PXELINUX,
                           YARD_BOOT_IPXE } },
};

/* What ProxyDHCP gives UEFI hosts on the menu */
static YardBootFlavor
effective_uefi_flavor (YardServer *self)
{
  if (self->loaders[YARD_LOADER_UEFI] != YARD_BOOT_DEFAULT)
    return self->loaders[YARD_LOADER_UEFI];
  return self->config.dhcp_range != NULL ? YARD_BOOT_GRUB : YARD_BOOT_PXELINUX;
}

static char *
settings_path (YardServer *self)
{
  return g_build_filename (self->config.state_dir, "settings.json", NULL);
}

static gboolean
loader_from_string (YardLoaderSetting  setting,
                    const char        *text,
                    YardBootFlavor    *flavor)
{
  for (guint i = 0; i < G_N_ELEMENTS (loader_settings[setting].names); i++)
    if (loader_settings[setting].names[i] != NULL &&
        g_strcmp0 (text, loader_settings[setting].names[i]) == 0)
      {
        *flavor = loader_settings[setting].flavors[i];
        return TRUE;
      }
  return FALSE;
}

/* "\"a\", \"b\" or \"c\"", for messages */
static char *
loader_choices (YardLoaderSetting setting)
{
  const char * const *names = loader_settings[setting].names;
  GString *out = g_string_new (NULL);
  guint n = 0;

  while (n < G_N_ELEMENTS (loader_settings[setting].names) && names[n] != NULL)
    n++;
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"%s\"", i == 0 ? "" : i == n - 1 ? " or " : ", ",
                            names[i]);
  return g_string_free (out, FALSE);
}

/* "loader" or "uefiLoader", the JSON member (of settings.json and the API's menu object) */
const char *
yard_loader_setting_to_string (YardLoaderSetting setting)
{
  g_return_val_if_fail (setting < YARD_N_LOADER_SETTINGS, NULL);
  return loader_settings[setting].member;
}

/* The file's object (an empty one when there is none) and its loaders (the defaults when
 * unset), or NULL with an error that names the file. A file from before the UEFI setting
 * existed that says "loader": "ipxe" meant iPXE for UEFI too. */
static JsonObject *
read_settings (YardServer      *self,
               YardBootFlavor  *loaders,
               GError         **error)
{
  g_autofree char *path = settings_path (self);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  JsonObject *object;

  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    loaders[i] = loader_settings[i].flavors[0];
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return json_object_new ();
      g_set_error (error, YARD_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES)
                     ? YARD_ERROR_PERMISSION_DENIED : YARD_ERROR_FAILED,
                   "Cannot read the settings file: %s", local_error->message);
      return NULL;
    }
  if ((root = yard_json_parse (data, length, YARD_JSON_MAX_DEPTH, &local_error)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   "The settings file “%s” is not a JSON object%s%s: fix it by hand or remove "
                   "it (the defaults apply without it)", path,
                   local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }
  object = json_node_get_object (root);
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      JsonNode *node = json_object_get_member (object, loader_settings[i].member);

      if (node != NULL &&
          (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
           !loader_from_string (i, json_node_get_string (node), &loaders[i])))
        {
          g_autofree char *choices = loader_choices (i);

          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                       "“%s” in the settings file “%s” must be %s: fix it by hand or remove it",
                       loader_settings[i].member, path, choices);
          return NULL;
        }
    }
  if (loaders[YARD_LOADER_BIOS] == YARD_BOOT_IPXE &&
      !json_object_has_member (object, loader_settings[YARD_LOADER_UEFI].member))
    loaders[YARD_LOADER_UEFI] = YARD_BOOT_IPXE;
  return json_object_ref (object);
}

/* What menu-mode hosts of that firmware get from ProxyDHCP, as its settings value. */
const char *
yard_server_get_loader (YardServer        *self,
                        YardLoaderSetting  setting)
{
  const LoaderSetting *s;

  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);
  g_return_val_if_fail (setting < YARD_N_LOADER_SETTINGS, NULL);

  s = &loader_settings[setting];
  for (guint i = 0; i < G_N_ELEMENTS (s->names); i++)
    if (s->names[i] != NULL && s->flavors[i] == self->loaders[setting])
      return s->names[i];
  g_return_val_if_reached (NULL);
}

/* Sets a loader (@loader: one of the setting's values, else YARD_ERROR_INVALID_ARGUMENT),
 * writes it to STATE-DIR/settings.json before anything changes, and tells a running
 * ProxyDHCP. A settings file that does not parse fails with YARD_ERROR_INVALID_CONFIG and
 * stays as it is. */
gboolean
yard_server_set_loader (YardServer         *self,
                        YardLoaderSetting   setting,
                        const char         *loader,
                        GError            **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  YardBootFlavor flavor;
  YardBootFlavor stored[YARD_N_LOADER_SETTINGS];

  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (setting < YARD_N_LOADER_SETTINGS, FALSE);

  if (!loader_from_string (setting, loader, &flavor))
    {
      g_autofree char *choices = loader_choices (setting);

      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a boot loader for “%s”: use %s", loader ? loader : "",
                   loader_settings[setting].member, choices);
      return FALSE;
    }

  /* Read again: members written by hand stay, and a broken file is not overwritten. Both
   * loaders are written, so an old "loader": "ipxe" no longer stands for UEFI too. */
  if ((settings = read_settings (self, stored, error)) == NULL)
    return FALSE;
  stored[setting] = flavor;
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      YardBootFlavor saved = self->loaders[i];

      self->loaders[i] = stored[i];
      json_object_set_string_member (settings, loader_settings[i].member,
                                     yard_server_get_loader (self, i));
      self->loaders[i] = saved;
    }
  node = json_node_init_object (json_node_alloc (), settings);
  text = json_to_string (node, TRUE);
  path = settings_path (self);
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, YARD_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES)
                     ? YARD_ERROR_PERMISSION_DENIED : YARD_ERROR_FAILED,
                   "Cannot save the settings: %s", local_error->message);
      return FALSE;
    }

  memcpy (self->loaders, stored, sizeof self->loaders);
  if (self->dhcp != NULL)
    yard_proxy_dhcp_set_menu_flavor (self->dhcp, self->loaders[YARD_LOADER_BIOS],
                                     effective_uefi_flavor (self));
  return TRUE;
}

static void
doctor_verdict_cb (YardBootDoctor *doctor,
                   JsonObject     *verdict,
                   YardServer     *self)
{
  yard_server_emit_event (self, "boot-verdict", verdict);
}

static gboolean
doctor_tick_cb (gpointer user_data)
{
  YardServer *self = user_data;

  yard_boot_doctor_tick (self->doctor, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

/* The boot history: STATE-DIR/activity.json ------------------------------------------------- */

/* The recent boots outlive a restart; a few seconds after a change is soon enough (a crash
 * loses those seconds at most). */
#define HISTORY_SAVE_DELAY_S 3

static char *
history_path (YardServer *self)
{
  return g_build_filename (self->config.state_dir, "activity.json", NULL);
}

/* {"version": 1, "boots": [BOOT]}: the doctor's yard_boot_doctor_save_history (without the
 * API's "name"), as restore_history takes it back. */
static char *
history_text (YardServer *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_int_member (object, "version", 1);
  json_object_set_array_member (object, "boots", yard_boot_doctor_save_history (self->doctor));
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

/* While serving, a worker thread writes the file (yard-state-file: the fsync stays off the
 * main loop); at stop it is written before the server goes. */
static void
save_history (YardServer *self,
              gboolean    now)
{
  g_autoptr(GError) error = NULL;

  if (self->history_file == NULL)
    {
      g_autofree char *path = history_path (self);

      self->history_file = yard_state_file_new (path);
    }
  if (!now)
    yard_state_file_save_async (self->history_file, history_text (self));
  else
    {
      g_autofree char *text = history_text (self);

      /* A full disk keeps the history in memory; the next change tries again. */
      if (!yard_state_file_save (self->history_file, text, &error))
        g_warning ("Could not save the boot history: %s", error->message);
    }
}

static gboolean
history_save_cb (gpointer user_data)
{
  YardServer *self = user_data;

  self->history_save_id = 0;
  save_history (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
doctor_history_changed_cb (YardBootDoctor *doctor,
                           YardServer     *self)
{
  if (self->history_save_id == 0)
    self->history_save_id = g_timeout_add_seconds (HISTORY_SAVE_DELAY_S, history_save_cb, self);
}

/* A missing file is no history; a broken one is copied aside and the history starts empty. */
static void
load_history (YardServer *self)
{
  g_autofree char *path = history_path (self);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  JsonNode *boots = NULL;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Cannot read the boot history: %s", error->message);
      return;
    }
  if ((root = yard_json_parse (contents, length, YARD_JSON_MAX_DEPTH, &error)) != NULL &&
      (!JSON_NODE_HOLDS_OBJECT (root) ||
       (boots = json_object_get_member (json_node_get_object (root), "boots")) == NULL ||
       !JSON_NODE_HOLDS_ARRAY (boots)))
    g_set_error (&error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                 "expected an object {\"boots\": [...]}");
  if (error != NULL)
    {
      g_autofree char *aside = yard_json_keep_broken_copy (path, contents, length);

      g_warning ("The boot history “%s” is broken (%s); it was copied to “%s” and the "
                 "history starts empty", path, error->message, aside ? aside : "(copy failed)");
      return;
    }
  yard_boot_doctor_restore_history (self->doctor, json_node_get_array (boots));
}

static gboolean
start_core (YardServer  *self,
            GError     **error)
{
  g_autofree char *hosts_path = g_build_filename (self->config.state_dir, "hosts.json", NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(YardHttpServer) http = NULL;

  /* Before anything writes: what interrupted writes left behind goes (issue 19). */
  yard_cleanup_stale_temporaries (self->config.root_dir, self->config.state_dir,
                                  YARD_CLEANUP_MIN_AGE_S);

  if (self->hosts == NULL)
    {
      self->hosts = yard_host_table_new (hosts_path);
      g_signal_connect (self->hosts, "host-seen", G_CALLBACK (host_seen_cb), self);
      g_signal_connect (self->hosts, "host-changed", G_CALLBACK (host_changed_cb), self);
      g_signal_connect (self->hosts, "host-removed", G_CALLBACK (host_removed_cb), self);
    }
  if (!yard_host_table_load (self->hosts, &local_error))
    g_warning ("%s", local_error->message);

  if (self->doctor == NULL)
    {
      self->doctor = yard_boot_doctor_new (self->config.root_dir);
      g_signal_connect (self->doctor, "verdict", G_CALLBACK (doctor_verdict_cb), self);
      load_history (self);
      g_signal_connect (self->doctor, "history-changed",
                        G_CALLBACK (doctor_history_changed_cb), self);
    }
  if (self->doctor_tick_id == 0)
    self->doctor_tick_id = g_timeout_add_seconds (5, doctor_tick_cb, self);

  load_menu (self);

  {
    g_autoptr(GError) settings_error = NULL;
    g_autoptr(JsonObject) settings = read_settings (self, self->loaders, &settings_error);

    if (settings == NULL)
      g_warning ("%s", settings_error->message);
  }

  http = yard_http_server_new (self);
  if (!yard_http_server_listen (http, self->config.address, self->config.http_port, error))
    return FALSE;
  self->http = g_steal_pointer (&http);

  /* With the HTTP port known: GRUB's menu names it */
  {
    g_autoptr(GError) menus_error = NULL;

    /* files may have come or gone while the server was not running */
    if (self->menu != NULL && !refresh_bios_marks (self, &menus_error))
      {
        g_warning ("Could not rewrite pxelinux.cfg/default: %s", menus_error->message);
        g_clear_error (&menus_error);
      }
    if (self->menu != NULL && !write_derived_menus (self, self->menu, &menus_error))
      g_warning ("Could not write the menus for UEFI and iPXE: %s", menus_error->message);
  }
  return TRUE;
}

static void
stop_core (YardServer *self)
{
  g_autoptr(GError) error = NULL;

  if (self->hosts != NULL && !yard_host_table_flush (self->hosts, &error))
    g_warning ("%s", error->message);
  g_clear_handle_id (&self->doctor_tick_id, g_source_remove);
  if (self->history_save_id != 0)
    {
      g_clear_handle_id (&self->history_save_id, g_source_remove);
      save_history (self, TRUE);
    }
  /* A save still in a worker thread is on disk before the process may exit. */
  if (self->history_file != NULL)
    yard_state_file_wait (self->history_file);
  if (self->http != NULL)
    {
      yard_http_server_shutdown (self->http);
      g_clear_object (&self->http);
    }
}

static const ServiceOps services[] = {
  { "tftp", tftp_disabled, tftp_start, tftp_stop, tftp_port },
  { "dhcp", dhcp_disabled, dhcp_start, dhcp_stop, dhcp_port },
  { "http", http_disabled, http_start, http_stop, http_port },
  { NULL, }
};

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
yard_server_config_clear (YardServerConfig *config)
{
  g_clear_pointer (&config->root_dir, g_free);
  g_clear_pointer (&config->state_dir, g_free);
  g_clear_pointer (&config->address, g_free);
  g_clear_pointer (&config->interface, g_free);
  g_clear_pointer (&config->dhcp_range, g_free);
}

static void
yard_server_dispose (GObject *object)
{
  YardServer *self = YARD_SERVER (object);

  yard_server_stop (self);

  G_OBJECT_CLASS (yard_server_parent_class)->dispose (object);
}

static void
yard_server_finalize (GObject *object)
{
  YardServer *self = YARD_SERVER (object);

  yard_server_config_clear (&self->config);
  g_clear_pointer (&self->last_errors, g_hash_table_unref);
  g_clear_object (&self->http);
  g_clear_object (&self->menu);
  g_clear_handle_id (&self->history_save_id, g_source_remove);
  g_clear_pointer (&self->history_file, yard_state_file_unref);
  if (self->doctor != NULL)
    g_signal_handlers_disconnect_by_data (self->doctor, self);
  g_clear_object (&self->doctor);
  g_clear_object (&self->network);
  g_clear_pointer (&self->default_interface, g_free);
  g_clear_error (&self->menu_error);
  if (self->hosts != NULL)
    g_signal_handlers_disconnect_by_data (self->hosts, self);
  g_clear_object (&self->hosts);

  G_OBJECT_CLASS (yard_server_parent_class)->finalize (object);
}

static void
yard_server_class_init (YardServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_server_dispose;
  object_class->finalize = yard_server_finalize;

  /**
   * YardServer::event:
   * @kind: "host-seen", "dhcp-answered", "transfer-started", "transfer-progress",
   *        "transfer-finished", "transfer-failed", "service-state", ...
   * @payload: the event's fields, as the API's event stream sends them
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);
}

static void
yard_server_init (YardServer *self)
{
  self->last_errors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) g_error_free);
  self->loaders[YARD_LOADER_BIOS] = YARD_BOOT_PXELINUX;
  self->loaders[YARD_LOADER_UEFI] = YARD_BOOT_DEFAULT;
}

YardServer *
yard_server_new (const YardServerConfig *config)
{
  YardServer *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->root_dir != NULL, NULL);
  g_return_val_if_fail (config->state_dir != NULL, NULL);

  self = g_object_new (YARD_TYPE_SERVER, NULL);
  self->config = *config;
  self->config.root_dir = g_strdup (config->root_dir);
  self->config.state_dir = g_strdup (config->state_dir);
  self->config.address = g_strdup (config->address);
  self->config.interface = g_strdup (config->interface);
  self->config.dhcp_range = g_strdup (config->dhcp_range);
  return self;
}

const YardServerConfig *
yard_server_get_config (YardServer *self)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);
  return &self->config;
}

void
yard_server_emit_event (YardServer *self,
                        const char *kind,
                        JsonObject *payload)
{
  g_return_if_fail (YARD_IS_SERVER (self));
  if (self->doctor != NULL)
    yard_boot_doctor_feed (self->doctor, g_get_monotonic_time (), kind, payload);
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, kind, payload);
}

/* The recent boots (yard-boot-doctor.h), newest first; mac: only that client's. */
GPtrArray *
yard_server_dup_history (YardServer *self,
                         const char *mac)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);
  if (self->doctor == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  return yard_boot_doctor_dup_history (self->doctor, mac);
}

/* The boot doctor's latest verdict per client (yard-boot-doctor.h), newest first; mac: only
 * that client's. */
GPtrArray *
yard_server_dup_verdicts (YardServer *self,
                          const char *mac)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);
  if (self->doctor == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  return yard_boot_doctor_dup_verdicts (self->doctor, mac);
}

static gboolean
ensure_directory (const char  *path,
                  int          mode,
                  const char  *what,
                  GError     **error)
{
  if (g_mkdir_with_parents (path, mode) != 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR,
                   saved == EACCES ? YARD_ERROR_PERMISSION_DENIED : YARD_ERROR_FAILED,
                   "Cannot create the %s “%s”: %s. Choose another with --%s",
                   what, path, g_strerror (saved),
                   g_str_equal (what, "boot root") ? "root" : "state-dir");
      return FALSE;
    }
  return TRUE;
}

static void
emit_service_state (YardServer *self,
                    const char *name,
                    const char *state)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  const GError *error = g_hash_table_lookup (self->last_errors, name);

  json_object_set_string_member (payload, "service", name);
  json_object_set_string_member (payload, "state", state);
  if (error != NULL)
    json_object_set_string_member (payload, "lastError", error->message);
  yard_server_emit_event (self, "service-state", payload);
}

/* Starts every enabled service; on the first failure stops those already started, so the
 * switch is all or nothing, and remembers the error for GET /status. */
/* One error for every service that could not start: the first's code (what to act on), and
 * each message on a line of its own. */
static GError *
join_start_errors (GPtrArray *failures)
{
  const GError *first = g_ptr_array_index (failures, 0);
  g_autoptr(GString) message = NULL;

  if (failures->len == 1)
    return g_error_copy (first);
  message = g_string_new ("");
  g_string_append_printf (message, "%u boot services cannot start:", failures->len);
  for (guint i = 0; i < failures->len; i++)
    g_string_append_printf (message, "\n• %s",
                            ((const GError *) g_ptr_array_index (failures, i))->message);
  return g_error_new_literal (first->domain, first->code, message->str);
}

gboolean
yard_server_start_services (YardServer  *self,
                            GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);

  if (self->services_running)
    return TRUE;

  /* Every service is tried, so that one answer names every port refused (not one per
   * attempt); then all or nothing. */
  {
    g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
    gboolean started[G_N_ELEMENTS (services)] = { FALSE, };

    for (guint i = 0; services[i].name != NULL; i++)
      {
        GError *local_error = NULL;

        if (services[i].disabled (self))
          continue;
        if (!services[i].start (self, &local_error))
          {
            g_hash_table_replace (self->last_errors, (gpointer) services[i].name,
                                  g_error_copy (local_error));
            emit_service_state (self, services[i].name, "failed");
            g_ptr_array_add (failures, local_error);
            continue;
          }
        started[i] = TRUE;
        g_hash_table_remove (self->last_errors, services[i].name);
      }

    if (failures->len > 0)
      {
        for (guint i = 0; services[i].name != NULL; i++)
          if (started[i])
            services[i].stop (self);
        g_propagate_error (error, join_start_errors (failures));
        return FALSE;
      }
    for (guint i = 0; services[i].name != NULL; i++)
      if (started[i])
        emit_service_state (self, services[i].name, "running");
  }

  self->services_running = TRUE;
  /* Beside a router, another ProxyDHCP is the classic reason a boot goes elsewhere: look once
   * now, so the doctor can name it. (Full DHCP looked before it started.) */
  if (self->dhcp != NULL && self->config.dhcp_range == NULL)
    yard_server_probe_network_async (self, NULL, NULL, NULL);
  return TRUE;
}

/* The network doctor ------------------------------------------------------------------------ */

#define NETWORK_PROBE_MS 4000


static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  YardServer *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardNetworkReport) report = yard_dhcp_probe_finish (result, &error);
  g_autoptr(JsonObject) event = NULL;
  GPtrArray *responders;

  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  responders = yard_network_report_get_responders (report);
  for (guint i = 0; i < responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (responders, i);

      if (r->self)
        continue;
      g_message ("Network doctor: %s answers on %s as a %s",
                 r->address != NULL ? r->address : "a server of unknown address",
                 yard_network_report_get_interface (report),
                 r->pxe && r->dhcp ? "DHCP and PXE boot server"
                 : r->pxe ? "PXE boot server" : "DHCP server");
    }
  g_set_object (&self->network, report);
  if (self->doctor != NULL)
    yard_boot_doctor_set_network_report (self->doctor, report);
  event = yard_network_report_to_json (report);
  yard_server_emit_event (self, "network-report", event);
  g_task_return_pointer (task, g_steal_pointer (&report), g_object_unref);
}

/* Asks the network, as a PXE client would, who answers DHCP and PXE on the services'
 * interface (yard-dhcp-probe.h); the report is kept for GET /doctor, given to the boot doctor
 * and announced as a network-report event (as yard_network_report_to_json writes it). */
void
yard_server_probe_network_async (YardServer          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *if_name = service_interface (self);

  g_task_set_source_tag (task, yard_server_probe_network_async);
  if (if_name == NULL)
    {
      g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                               "Choose the interface of the network that clients boot on "
                               "(--interface, or Interface in the app's preferences): the "
                               "network doctor asks on that one only");
      return;
    }
  yard_dhcp_probe_async (if_name, self->config.dhcp_port ? self->config.dhcp_port : 67,
                         NETWORK_PROBE_MS, cancellable, probe_done_cb, g_steal_pointer (&task));
}

YardNetworkReport *
yard_server_probe_network_finish (YardServer    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The last report, or NULL (borrowed). */
YardNetworkReport *
yard_server_get_network_report (YardServer *self)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);
  return self->network;
}

/* Wakes a machine with the magic packet, on the services' interface only. */
gboolean
yard_server_wake_host (YardServer  *self,
                       const char  *mac,
                       GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);

  if (service_interface (self) == NULL)
    {
      g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                           "Choose the interface of the network the machine is on "
                           "(--interface, or Interface in the app's preferences): Wake-on-LAN "
                           "goes out on that one only");
      return FALSE;
    }
  if (!yard_wol_send (service_interface (self), mac, NULL, error))
    return FALSE;
  g_message ("Sent Wake-on-LAN to %s on %s", mac, service_interface (self));
  return TRUE;
}

void
yard_server_stop_services (YardServer *self)
{
  g_return_if_fail (YARD_IS_SERVER (self));

  if (!self->services_running)
    return;

  for (guint i = 0; services[i].name != NULL; i++)
    {
      if (services[i].disabled (self))
        continue;
      services[i].stop (self);
      emit_service_state (self, services[i].name, "stopped");
    }
  self->services_running = FALSE;
}

gboolean
yard_server_get_services_running (YardServer *self)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);
  return self->services_running;
}

/* The address that clients are told to boot from: ProxyDHCP's while it runs, else --address,
 * else the first IPv4 address of the services' interface; NULL when there is none. */
static char *
dup_server_address (YardServer *self)
{
  const char *if_name;
  g_auto(GStrv) addresses = NULL;

  if (self->dhcp != NULL && yard_proxy_dhcp_get_address (self->dhcp) != NULL)
    return g_strdup (yard_proxy_dhcp_get_address (self->dhcp));
  if (self->config.address != NULL)
    return g_strdup (self->config.address);
  if_name = service_interface (self);
  if (if_name == NULL)
    return NULL;
  addresses = yard_net_interface_dup_addresses (if_name);
  return g_strdup (addresses[0]);
}

/* GET /status (the API adds the problems and sends it with yard_server_status_to_json) */
YardServerStatus *
yard_server_dup_status (YardServer *self)
{
  g_autoptr(YardServerStatus) status = NULL;

  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);

  status = yard_server_status_new ();
  status->version = g_strdup (PACKAGE_VERSION);
  status->services_running = self->services_running;
  status->root = g_strdup (self->config.root_dir);
  /* The program to grant privileges to (setcap), as the server's machine names it. */
  status->program = g_file_read_link ("/proc/self/exe", NULL);
  status->interface = g_strdup (service_interface (self));
  status->server_address = dup_server_address (self);
  for (guint i = 0; services[i].name != NULL; i++)
    {
      const GError *error = g_hash_table_lookup (self->last_errors, services[i].name);
      YardServiceState state;
      YardServiceStatus *service;

      if (services[i].disabled (self))
        state = YARD_SERVICE_STATE_DISABLED;
      else if (error != NULL)
        state = YARD_SERVICE_STATE_FAILED;
      else if (self->services_running)
        state = YARD_SERVICE_STATE_RUNNING;
      else
        state = YARD_SERVICE_STATE_STOPPED;

      service = yard_server_status_add_service (status, services[i].name, state);
      g_free (service->address);
      service->address = g_strdup (self->config.address ? self->config.address : "");
      service->port = services[i].port (self);
      if (error != NULL)
        {
          service->last_error = g_strdup (error->message);
          service->error_code = error->domain == YARD_ERROR ? error->code : YARD_ERROR_FAILED;
          service->error_port = yard_error_get_port (error);
        }
    }
  return g_steal_pointer (&status);
}

/* Makes the directories and brings up what must always run (the API), then the boot services. */
gboolean
yard_server_start (YardServer  *self,
                   GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);

  if (self->running)
    return TRUE;

  if (!ensure_directory (self->config.root_dir, 0755, "boot root", error) ||
      !ensure_directory (self->config.state_dir, 0700, "state directory", error))
    return FALSE;

  if (!start_core (self, error))
    {
      stop_core (self);
      return FALSE;
    }

  self->running = TRUE;

  /* With --services-off the API comes up alone: the app starts the server this way, so that a
   * port the user may not bind is shown where the user switches the services on, instead of
   * ending the server the app talks to. */
  if (!self->config.services_off && !yard_server_start_services (self, error))
    {
      yard_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

void
yard_server_stop (YardServer *self)
{
  g_return_if_fail (YARD_IS_SERVER (self));

  if (!self->running)
    return;

  yard_server_stop_services (self);
  stop_core (self);
  self->running = FALSE;
}
