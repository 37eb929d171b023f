/* bootyard-server.c: the headless boot server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bootyard-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "yard-boot-root.h"
#include "yard-error.h"
#include "yard-fd-limits.h"
#include "yard-paths.h"
#include "yard-release-fetch.h"
#include "yard-sd-notify.h"
#include "yard-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping on signal");
  yard_sd_notify ("STOPPING=1");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* SIGUSR1, from the app that started us, before it closes with "Keep Serving": we no longer
 * end with it (its PR_SET_PDEATHSIG) and stop writing to its pipe, which is about to close. */
static gboolean
detach_cb (gpointer user_data)
{
  int null_fd;

  g_message ("Serving in the background: the app that started this server is closing");
  if (prctl (PR_SET_PDEATHSIG, 0) != 0)
    g_warning ("Could not outlive the app: %s", g_strerror (errno));
  null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0)
    {
      dup2 (null_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      close (null_fd);
    }
  return G_SOURCE_CONTINUE;
}

static void
boot_root_downloaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  YardBootRoot *boot_root = YARD_BOOT_ROOT (source);
  g_autoptr(GError) error = NULL;

  if (!yard_boot_root_install_finish (boot_root, result, &error))
    g_warning ("Installing the bootloaders failed: %s", error->message);
  else if (yard_boot_root_is_complete (boot_root))
    g_message ("Downloaded the missing bootloaders into %s", yard_boot_root_get_dir (boot_root));
  else
    for (guint i = 0; i < YARD_BOOT_ROOT_N_SETS; i++)
      if (yard_boot_root_get_set_error (boot_root, i) != NULL)
        g_warning ("%s", yard_boot_root_get_set_error (boot_root, i));
}

/* Fills an empty or partial boot root with the system's bootloaders and a starter menu before
 * anything is served (fast, local); what the system lacks is downloaded in the background. */
static YardBootRoot *
install_boot_root (const char *root_dir)
{
  g_autoptr(YardBootRoot) boot_root = yard_boot_root_new (root_dir);
  g_autoptr(GError) error = NULL;

  if (!yard_boot_root_install_sync (boot_root, NULL, &error))
    {
      g_warning ("Could not install the bootloaders: %s", error->message);
      return NULL;
    }
  if (yard_boot_root_is_complete (boot_root))
    return NULL;

  yard_boot_root_set_fetch_func (boot_root, yard_release_fetch);
  yard_boot_root_install_async (boot_root, NULL, boot_root_downloaded_cb, NULL);
  return g_steal_pointer (&boot_root);
}

static gboolean
parse_port (const char  *name,
            int          value,
            guint16     *out,
            GError     **error)
{
  if (value < 0 || value > 65535)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "--%s %d is not a port: use 0 to 65535 (0 picks a free one)", name, value);
      return FALSE;
    }
  *out = (guint16) value;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(YardServerConfig) config = { 0, };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(YardBootRoot) boot_root = NULL;
  gboolean version = FALSE;
  int tftp_port = YARD_DEFAULT_TFTP_PORT;
  int http_port = YARD_DEFAULT_HTTP_PORT;
  int dhcp_port = YARD_DEFAULT_DHCP_PORT;
  int pxe_port = YARD_DEFAULT_PXE_PORT;
  const GOptionEntry entries[] = {
    { "root", 'r', 0, G_OPTION_ARG_FILENAME, &config.root_dir,
      N_("Boot root to serve (default: $XDG_DATA_HOME/bootyard/root)"), N_("DIR") },
    { "state-dir", 's', 0, G_OPTION_ARG_FILENAME, &config.state_dir,
      N_("Hosts, settings and the API token (default: $XDG_STATE_HOME/bootyard, "
         "/var/lib/bootyard as a system service)"), N_("DIR") },
    { "address", 'a', 0, G_OPTION_ARG_STRING, &config.address,
      N_("This server's address, sent to clients as next-server"), N_("ADDR") },
    { "interface", 'i', 0, G_OPTION_ARG_STRING, &config.interface,
      N_("Network interface that ProxyDHCP answers on (default: the default route’s)"), N_("IFACE") },
    { "tftp-port", 0, 0, G_OPTION_ARG_INT, &tftp_port, N_("TFTP port (default: 69)"), N_("N") },
    { "http-port", 0, 0, G_OPTION_ARG_INT, &http_port,
      N_("HTTP port for boot files and the API (default: 8067)"), N_("N") },
    { "dhcp-port", 0, 0, G_OPTION_ARG_INT, &dhcp_port, N_("DHCP port (default: 67)"), N_("N") },
    { "pxe-port", 0, 0, G_OPTION_ARG_INT, &pxe_port,
      N_("PXE boot server port (default: 4011)"), N_("N") },
    { "no-dhcp", 0, 0, G_OPTION_ARG_NONE, &config.no_dhcp, N_("Do not run ProxyDHCP"), NULL },
    { "no-tftp", 0, 0, G_OPTION_ARG_NONE, &config.no_tftp, N_("Do not run TFTP"), NULL },
    { "services-off", 0, 0, G_OPTION_ARG_NONE, &config.services_off,
      N_("Start with the boot services stopped: the API starts them (the app's switch, "
         "“bootyardctl services start”)"), NULL },
    { "no-http", 0, 0, G_OPTION_ARG_NONE, &config.no_http,
      N_("Do not serve boot files over HTTP (the API stays up)"), NULL },
    { "tftp-allow-upload", 0, 0, G_OPTION_ARG_NONE, &config.tftp_allow_upload,
      N_("Accept TFTP write requests"), NULL },
    { "dhcp-range", 0, 0, G_OPTION_ARG_STRING, &config.dhcp_range,
      N_("Hand out addresses too, for a network without a router"), N_("START,END[,LEASE]") },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Serve network boot (PXE): ProxyDHCP, TFTP and HTTP."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bootyard-server: %s\nTry “bootyard-server --help”.\n", error->message);
      return EXIT_FAILURE;
    }

  if (version)
    {
      g_print ("bootyard-server %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    {
      g_printerr ("bootyard-server: unexpected argument “%s”\nTry “bootyard-server --help”.\n",
                  argv[1]);
      return EXIT_FAILURE;
    }

  /* Before any service sizes its share of the descriptors (yard-fd-limits). */
  yard_fd_limits_raise ();

  if (!parse_port ("tftp-port", tftp_port, &config.tftp_port, &error) ||
      !parse_port ("http-port", http_port, &config.http_port, &error) ||
      !parse_port ("dhcp-port", dhcp_port, &config.dhcp_port, &error) ||
      !parse_port ("pxe-port", pxe_port, &config.pxe_port, &error))
    {
      g_printerr ("bootyard-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (config.address != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (config.address);
      if (inet == NULL)
        {
          g_printerr ("bootyard-server: --address “%s” is not an IPv4 or IPv6 address\n",
                      config.address);
          return EXIT_FAILURE;
        }
    }

  if (config.interface != NULL && if_nametoindex (config.interface) == 0)
    {
      g_printerr ("bootyard-server: there is no network interface “%s” (see “ip link”)\n",
                  config.interface);
      return EXIT_FAILURE;
    }

  if (config.root_dir == NULL)
    config.root_dir = yard_default_root_dir ();
  if (config.state_dir == NULL)
    config.state_dir = yard_default_state_dir ();

  if (g_mkdir_with_parents (config.root_dir, 0755) == 0)
    boot_root = install_boot_root (config.root_dir);

  server = yard_server_new (&config);
  if (!yard_server_start (server, &error))
    {
      g_printerr ("bootyard-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGUSR1, detach_cb, NULL);

  g_message ("Serving %s (state in %s)", config.root_dir, config.state_dir);
  yard_sd_notify ("READY=1\nSTATUS=Serving network boot");
  g_main_loop_run (loop);

  yard_server_stop (server);
  return EXIT_SUCCESS;
}
