/* yard-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows one server: while connecting or unreachable a status page says so (with
 * Retry), otherwise the four pages. The header holds the one switch for the boot services;
 * its popover shows each service's state and, for a server on this computer, the interface.
 */

#define G_LOG_DOMAIN "yard-window"

#include "config.h"

#include <glib/gi18n.h>
#include <net/if.h>

#include "yard-activity-page.h"
#include "yard-client.h"
#include "yard-connection.h"
#include "yard-gui-model.h"
#include "yard-hosts-page.h"
#include "yard-images-page.h"
#include "yard-menu-page.h"
#include "yard-error.h"
#include "yard-net-interface.h"
#include "yard-paths.h"
#include "yard-preferences-window-private.h"
#include "yard-privileges.h"
#include "yard-system-service.h"
#include "yard-window-private.h"

struct _YardWindow
{
  AdwApplicationWindow  parent_instance;

  YardConnection       *connection;
  GtkStringList        *interfaces;     /* what the Interface row shows */
  GPtrArray            *interface_names; /* the setting for each of its items ("" first) */
  GtkDropTarget        *drop_target;
  gboolean              services_busy;
  gboolean              close_decided;   /* the user answered the close question */
  char                 *setcap_command;  /* what the banner's Copy buttons copy */
  char                 *sysctl_command;
  AdwMessageDialog     *close_dialog;    /* while it asks, NULL otherwise */
  GCancellable         *unit_query;      /* is the systemd unit installed? for the banner */
  gboolean              starting_unit;   /* "Run as System Service" waits for systemd */

  /* template */
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  GtkStack             *connection_stack;
  AdwStatusPage        *status_page;
  GtkSpinner           *status_spinner;
  GtkWidget            *retry_button;
  GtkWidget            *preferences_button;
  GtkSwitch            *services_switch;
  GtkWidget            *services_box;
  GtkLabel             *services_summary;
  GtkLabel             *boot_address_label;
  GtkPopover           *services_popover;
  GtkListBox           *services_list;
  AdwComboRow          *interface_row;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkWidget            *banner_actions;
  GtkRevealer          *problems_revealer;
  GtkLabel             *problems_label;
  GtkWidget            *copy_setcap_button;
  GtkWidget            *copy_sysctl_button;
  GtkWidget            *port_settings_button;
  GtkWidget            *system_service_button;
  AdwToastOverlay      *toast_overlay;
  YardMenuPage         *menu_page;
  YardImagesPage       *images_page;
  YardHostsPage        *hosts_page;
  YardActivityPage     *activity_page;
};

G_DEFINE_FINAL_TYPE (YardWindow, yard_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *
service_title (const char *name)
{
  if (g_strcmp0 (name, "dhcp") == 0)
    return _("ProxyDHCP");
  if (g_strcmp0 (name, "tftp") == 0)
    return _("TFTP");
  if (g_strcmp0 (name, "http") == 0)
    return _("HTTP Boot Files");
  return name;
}

/* A failed service's error_code and error_port (GET /status) are said in the app's words: the
 * server's own (its last_error) name its command-line options, which the app has not. */
static char *
service_subtitle (const YardServiceStatus *service)
{
  const char *error = service->last_error;
  const char *address = service->address;
  guint port = service->port;

  if (service->state == YARD_SERVICE_STATE_FAILED)
    {
      int code = service->error_code;
      guint refused = service->error_port;

      if (code == YARD_ERROR_PERMISSION_DENIED && refused != 0)
        return g_strdup_printf (_("Failed: port %u needs privileges (what to do is in the "
                                  "window)"), refused);
      if (code == YARD_ERROR_PERMISSION_DENIED)
        return g_strdup (_("Failed: needs privileges (what to do is in the window)"));
      if (code == YARD_ERROR_ADDRESS_IN_USE && refused != 0)
        return g_strdup_printf (_("Failed: another program uses port %u"), refused);
      return g_strdup_printf (_("Failed: %s"), error ? error : _("no reason given"));
    }
  if (service->state == YARD_SERVICE_STATE_RUNNING)
    {
      if (address != NULL && *address != '\0')
        return g_strdup_printf (_("Running on %s port %d"), address, (int) port);
      return g_strdup_printf (_("Running on port %d"), (int) port);
    }
  if (service->state == YARD_SERVICE_STATE_DISABLED)
    return g_strdup (_("Turned off by the server’s options"));
  return g_strdup (_("Stopped"));
}

static const char *
service_icon (YardServiceState state)
{
  if (state == YARD_SERVICE_STATE_RUNNING)
    return "emblem-ok-symbolic";
  if (state == YARD_SERVICE_STATE_FAILED)
    return "dialog-error-symbolic";
  return "media-playback-stop-symbolic";
}

/* Where clients are sent: the server's own answer (GET /status), so that it is what the
 * server tells them, not what the app guesses. */
static void
update_boot_address (YardWindow             *self,
                     const YardServerStatus *status)
{
  const char *address = status != NULL ? status->server_address : NULL;
  const char *if_name = status != NULL ? status->interface : NULL;
  g_autofree char *text = NULL;

  if (status == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->boot_address_label), FALSE);
      return;
    }
  if (address != NULL && if_name != NULL)
    text = g_strdup_printf (_("Clients boot from %s (%s)"), address, if_name);
  else if (address != NULL)
    text = g_strdup_printf (_("Clients boot from %s"), address);
  else
    text = g_strdup (_("No network to answer on: choose an interface below"));
  gtk_label_set_label (self->boot_address_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->boot_address_label), TRUE);
}

/* The files the server could not use (GET /status "problems": a broken hosts.json, a menu
 * that does not parse), each with what to do, which the server's words say: shown for as long
 * as the server lists them. */
static void
update_problems (YardWindow             *self,
                 const YardServerStatus *status)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; status != NULL && i < status->problems->len; i++)
    {
      const YardStatusProblem *problem = g_ptr_array_index (status->problems, i);
      const char *file = problem->file;
      const char *error = problem->error;

      if (error == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* The server's words name the file as a rule; say which one when they do not. */
      if (file != NULL && strstr (error, file) == NULL)
        g_string_append_printf (text, "%s: %s", file, error);
      else
        g_string_append (text, error);
      n++;
    }
  if (n > 0)
    g_string_prepend (text, g_dngettext (GETTEXT_PACKAGE,
                                         "The boot server could not use this file:\n",
                                         "The boot server could not use these files:\n", n));
  gtk_label_set_label (self->problems_label, text->str);
  gtk_revealer_set_reveal_child (self->problems_revealer, n > 0);
}

static void
update_services (YardWindow *self)
{
  const YardServerStatus *status = yard_connection_get_status (self->connection);
  gboolean running = status != NULL && status->services_running;
  guint n_failed = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->services_list))) != NULL)
    gtk_list_box_remove (self->services_list, child);

  for (guint i = 0; status != NULL && i < status->services->len; i++)
    {
      const YardServiceStatus *service = g_ptr_array_index (status->services, i);
      g_autofree char *subtitle = service_subtitle (service);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (service_icon (service->state));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), service_title (service->name));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_set_name (row, service->name);
      if (service->state == YARD_SERVICE_STATE_FAILED)
        {
          gtk_widget_add_css_class (icon, "error");
          n_failed++;
        }
      else if (service->state == YARD_SERVICE_STATE_RUNNING)
        gtk_widget_add_css_class (icon, "success");
      gtk_list_box_append (self->services_list, row);
    }

  update_boot_address (self, status);
  update_problems (self, status);

  if (n_failed > 0)
    gtk_label_set_label (self->services_summary,
                         _("A boot service failed: its fix is below"));
  else if (running)
    gtk_label_set_label (self->services_summary, _("Boot services are running"));
  else
    gtk_label_set_label (self->services_summary, _("Boot services are stopped"));

  if (n_failed > 0)
    gtk_widget_add_css_class (self->services_box, "error");
  else
    gtk_widget_remove_css_class (self->services_box, "error");

  if (!self->services_busy)
    {
      gtk_switch_set_active (self->services_switch, running);
      gtk_switch_set_state (self->services_switch, running);
    }
}

static GSettings *window_settings (YardWindow *self);

/* The window was closed with "Keep Serving": the server we find now is that one. */
static void
say_if_served_in_background (YardWindow *self)
{
  GSettings *settings = window_settings (self);

  if (settings == NULL || !g_settings_get_boolean (settings, "served-in-background") ||
      !yard_connection_get_is_local (self->connection))
    return;
  g_settings_set_boolean (settings, "served-in-background", FALSE);
  /* It stopped meanwhile, and we started a new one: nothing served in the background. */
  if (yard_connection_get_started_server (self->connection))
    return;
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("The boot server kept serving while Bootyard "
                                                "was closed")));
}

static void
update_connection (YardWindow *self)
{
  YardConnectionState state = yard_connection_get_state (self->connection);
  gboolean connected = state == YARD_CONNECTION_CONNECTED;

  gtk_widget_set_sensitive (self->services_box, connected);
  /* No page switcher over a status page. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, connected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->interface_row),
                            yard_connection_get_is_local (self->connection));
  gtk_stack_set_visible_child_name (self->connection_stack, connected ? "main" : "status");
  gtk_spinner_set_spinning (self->status_spinner, state == YARD_CONNECTION_CONNECTING);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), state == YARD_CONNECTION_CONNECTING);
  gtk_widget_set_visible (self->retry_button, state != YARD_CONNECTION_CONNECTING);
  gtk_widget_set_visible (self->preferences_button, state == YARD_CONNECTION_FAILED);

  switch (state)
    {
    case YARD_CONNECTION_CONNECTING:
      adw_status_page_set_icon_name (self->status_page, "network-server-symbolic");
      adw_status_page_set_title (self->status_page, _("Connecting…"));
      adw_status_page_set_description (self->status_page,
                                       yard_connection_get_is_local (self->connection)
                                       ? _("Connecting to the boot server on this computer, "
                                           "starting it if needed")
                                       : _("Connecting to the remote boot server"));
      break;
    case YARD_CONNECTION_FAILED:
      switch (yard_connection_get_problem (self->connection))
        {
        case YARD_CONNECTION_PROBLEM_SERVER_STOPPED:
          adw_status_page_set_icon_name (self->status_page, "media-playback-stop-symbolic");
          adw_status_page_set_title (self->status_page, _("Server Stopped"));
          gtk_button_set_label (GTK_BUTTON (self->retry_button), _("_Start Server"));
          break;
        case YARD_CONNECTION_PROBLEM_START_FAILED:
          adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
          adw_status_page_set_title (self->status_page, _("Server Could Not Start"));
          gtk_button_set_label (GTK_BUTTON (self->retry_button), _("_Try Again"));
          break;
        case YARD_CONNECTION_PROBLEM_TOKEN_REFUSED:
          adw_status_page_set_icon_name (self->status_page, "dialog-password-symbolic");
          adw_status_page_set_title (self->status_page, _("API Token Refused"));
          gtk_button_set_label (GTK_BUTTON (self->retry_button), _("_Retry"));
          break;
        case YARD_CONNECTION_PROBLEM_UNREACHABLE:
        case YARD_CONNECTION_PROBLEM_NONE:
        default:
          adw_status_page_set_icon_name (self->status_page, "network-error-symbolic");
          adw_status_page_set_title (self->status_page, _("Server Unreachable"));
          gtk_button_set_label (GTK_BUTTON (self->retry_button), _("_Retry"));
          break;
        }
      adw_status_page_set_description (self->status_page,
                                       yard_connection_get_error_message (self->connection));
      break;
    case YARD_CONNECTION_DISCONNECTED:
      adw_status_page_set_icon_name (self->status_page, "network-server-symbolic");
      if (self->starting_unit)
        {
          /* Ours stopped to free its port for the unit's; polkit may be asking meanwhile. */
          adw_status_page_set_title (self->status_page, _("Starting the System Service…"));
          adw_status_page_set_description (self->status_page,
                                           _("systemd starts bootyard-server; it may ask for "
                                             "your password first"));
          gtk_spinner_set_spinning (self->status_spinner, TRUE);
          gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), TRUE);
          gtk_widget_set_visible (self->retry_button, FALSE);
          break;
        }
      adw_status_page_set_title (self->status_page, _("No Server"));
      adw_status_page_set_description (self->status_page,
                                       _("Bootyard is not connected to a boot server"));
      break;
    case YARD_CONNECTION_CONNECTED:
      say_if_served_in_background (self);
      break;
    default:
      break;
    }

  update_services (self);
}

static void
connection_state_cb (YardWindow *self)
{
  update_connection (self);
}

static void
hide_banner_actions (YardWindow *self)
{
  g_cancellable_cancel (self->unit_query);
  g_clear_object (&self->unit_query);
  gtk_widget_set_visible (gtk_widget_get_parent (self->system_service_button), FALSE);
  gtk_widget_set_visible (self->banner_actions, FALSE);
  g_clear_pointer (&self->setcap_command, g_free);
  g_clear_pointer (&self->sysctl_command, g_free);
}

/* The program that setcap must name: the server's own answer, else the one we would start. */
static char *
dup_server_program (const YardServerStatus *status)
{
  const char *program = status != NULL ? status->program : NULL;
  g_autofree char *ours = NULL;
  char *real;

  if (program != NULL && *program != '\0')
    return g_strdup (program);
  ours = yard_connection_dup_server_program ();
  real = realpath (ours, NULL);
  return real != NULL ? real : g_steal_pointer (&ours);
}

static void
unit_installed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(YardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean installed = yard_system_service_query_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!installed)
    g_debug ("No Run as System Service: %s", error->message);
  g_clear_object (&self->unit_query);
  gtk_widget_set_visible (gtk_widget_get_parent (self->system_service_button), installed);
}

/* Why the boot services did not start, from GET /status: one message for every failed service,
 * in the app's words (its settings, not the server's options), with buttons for the fixes: the
 * setcap and sysctl commands (core's, as the server and the README give them) and the port
 * settings. FALSE when the status names no failure. */
static gboolean
show_start_failure (YardWindow             *self,
                    const YardServerStatus *status)
{
  g_autoptr(GString) privileged = g_string_new (NULL);  /* "69 (TFTP), 67 (ProxyDHCP)" */
  g_autoptr(GString) others = g_string_new (NULL);      /* a paragraph per other failure */
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean local = yard_connection_get_is_local (self->connection);
  gboolean needs_setcap = FALSE;
  gboolean tftp_port_helps = FALSE;
  guint n_privileged = 0;
  guint n_failed = 0;
  guint16 lowest = 0;

  for (guint i = 0; status != NULL && i < status->services->len; i++)
    {
      const YardServiceStatus *service = g_ptr_array_index (status->services, i);
      const char *title = service_title (service->name);
      gboolean tftp = g_str_equal (service->name, "tftp");
      guint16 port;
      int code;

      if (service->state != YARD_SERVICE_STATE_FAILED)
        continue;
      n_failed++;
      code = service->error_code;
      port = (guint16) service->error_port;
      if (others->len > 0)
        g_string_append_c (others, '\n');
      if (code == YARD_ERROR_PERMISSION_DENIED && port != 0)
        {
          if (privileged->len > 0)
            g_string_append (privileged, ", ");
          g_string_append_printf (privileged, "%u (%s)", port, title);
          n_privileged++;
          lowest = lowest == 0 ? port : MIN (lowest, port);
          needs_setcap = TRUE;
          tftp_port_helps |= tftp;
        }
      else if (code == YARD_ERROR_PERMISSION_DENIED)
        {
          /* ProxyDHCP's binding to its interface (CAP_NET_RAW on older kernels). */
          g_string_append_printf (others, _("%s may not bind to its network interface without "
                                            "privileges: the setcap command grants them."),
                                  title);
          needs_setcap = TRUE;
        }
      else if (code == YARD_ERROR_ADDRESS_IN_USE && port != 0)
        {
          g_string_append_printf (others,
                                  tftp ? _("Port %u (%s) is used by another program, such as "
                                           "tftpd-hpa or dnsmasq: stop it (“sudo ss -lunp sport "
                                           "= :%u” names it).")
                                       : _("Port %u (%s) is used by another program, such as "
                                           "dnsmasq or another DHCP server: stop it (“sudo ss "
                                           "-lunp sport = :%u” names it)."),
                                  port, title, port);
          tftp_port_helps |= tftp;
        }
      else if (code == YARD_ERROR_NO_SUCH_INTERFACE)
        g_string_append_printf (others, _("%s cannot answer on the chosen network interface: "
                                          "choose another one in the Services menu."), title);
      else
        g_string_append_printf (others, "%s: %s", title,
                                service->last_error ?: _("no reason given"));
    }
  if (n_failed == 0)
    return FALSE;

  if (n_privileged > 0)
    {
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "As a normal user, the boot services may not use port "
                                           "%s: ports below 1024 need privileges.",
                                           "As a normal user, the boot services may not use ports "
                                           "%s: ports below 1024 need privileges.",
                                           n_privileged),
                              privileged->str);
    }
  if (others->len > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, others->str);
    }
  if (needs_setcap)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, local ? _("Copy a command below, run it in a terminal, then turn "
                                       "Services on again: setcap grants the privileges to this "
                                       "bootyard-server only (a rebuilt one loses them), sysctl "
                                       "lets every program use low ports until the next restart. "
                                       "The bootyard-server system service has them too.")
                                   : _("Copy a command below and run it on the server’s machine, "
                                       "then turn Services on again, or run the bootyard-server "
                                       "system service there."));
    }
  if (tftp_port_helps && local)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Or give TFTP another port in Preferences."));
    }

  g_debug ("%s", text->str);
  gtk_label_set_label (self->banner_label, text->str);
  hide_banner_actions (self);
  if (needs_setcap)
    {
      g_autofree char *program = dup_server_program (status);

      self->setcap_command = yard_privileges_setcap_command (program);
    }
  /* The sysctl opens ports, not ProxyDHCP's interface binding. */
  if (lowest != 0)
    self->sysctl_command = yard_privileges_sysctl_command (lowest);
  gtk_widget_set_visible (gtk_widget_get_parent (self->copy_setcap_button),
                          self->setcap_command != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (self->copy_sysctl_button),
                          self->sysctl_command != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (self->port_settings_button),
                          tftp_port_helps && local);
  gtk_widget_set_visible (self->banner_actions,
                          needs_setcap || (tftp_port_helps && local));
  /* The system service has the privileges: offered when its unit is installed here. */
  if (needs_setcap && local)
    {
      self->unit_query = g_cancellable_new ();
      yard_system_service_query_async (self->unit_query, unit_installed_cb, g_object_ref (self));
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
  return TRUE;
}

typedef struct
{
  YardWindow *window;
  char       *server_error;
} FailureData;

static void
failure_data_free (FailureData *data)
{
  g_object_unref (data->window);
  g_free (data->server_error);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FailureData, failure_data_free)

static void
failure_status_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FailureData) data = user_data;
  g_autoptr(YardServerStatus) status = yard_client_get_status_finish (YARD_CLIENT (source),
                                                                      result, NULL);

  if (!show_start_failure (data->window, status))
    {
      g_autofree char *message = g_strdup_printf (_("Could not start the boot services: %s"),
                                                  data->server_error);

      yard_window_show_error (data->window, message);
    }
}

static void
services_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(YardWindow) self = user_data;
  g_autoptr(YardServerStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  gboolean starting = gtk_switch_get_active (self->services_switch);

  if (starting)
    status = yard_client_start_services_finish (YARD_CLIENT (source), result, &error);
  else
    status = yard_client_stop_services_finish (YARD_CLIENT (source), result, &error);

  self->services_busy = FALSE;
  if (status == NULL)
    {
      g_autofree char *message = NULL;

      if (starting)
        {
          FailureData *data = g_new0 (FailureData, 1);

          /* The answer names the server's options; its status says what failed. */
          data->window = g_object_ref (self);
          data->server_error = g_strdup (error->message);
          yard_client_get_status_async (YARD_CLIENT (source), NULL, failure_status_cb, data);
        }
      else
        {
          message = g_strdup_printf (_("Could not stop the boot services: %s"), error->message);
          yard_window_show_error (self, message);
        }
    }
  else
    gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);

  /* The switch shows what the server says, not what was asked. */
  yard_connection_refresh_status (self->connection);
  if (status != NULL)
    {
      gboolean running = status->services_running;

      gtk_switch_set_active (self->services_switch, running);
      gtk_switch_set_state (self->services_switch, running);
    }
  else
    {
      gtk_switch_set_active (self->services_switch, !starting);
      gtk_switch_set_state (self->services_switch, !starting);
    }
}

static gboolean
services_state_set_cb (YardWindow *self,
                       gboolean    state,
                       GtkSwitch  *widget)
{
  YardClient *client = yard_connection_get_client (self->connection);

  /* "state" is what the server last confirmed; "active" what the user asks for. */
  if (client == NULL || self->services_busy || state == gtk_switch_get_state (widget))
    {
      gtk_switch_set_state (widget, state);
      return TRUE;
    }

  self->services_busy = TRUE;
  if (state)
    yard_client_start_services_async (client, NULL, services_done_cb, g_object_ref (self));
  else
    yard_client_stop_services_async (client, NULL, services_done_cb, g_object_ref (self));
  /* The switch's state follows when the server has answered. */
  return TRUE;
}

/* "eth0 — 192.168.1.20, 10.0.0.1": the name is what the setting keeps, the addresses are
 * how a user recognises the network. */
static char *
dup_interface_label (const char *name)
{
  g_auto(GStrv) addresses = yard_net_interface_dup_addresses (name);
  g_autofree char *joined = NULL;

  if (addresses[0] == NULL)
    return g_strdup_printf (_("%s — no IPv4 address"), name);
  joined = g_strjoinv (", ", addresses);
  return g_strdup_printf ("%s — %s", name, joined);
}

static void
fill_interfaces (YardWindow *self)
{
  struct if_nameindex *names = if_nameindex ();
  GSettings *settings = NULL;
  g_autofree char *current = NULL;
  g_autofree char *default_if = yard_net_interface_dup_default ();
  g_autofree char *default_label = NULL;
  guint selected = 0;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL)
    settings = yard_application_get_settings (YARD_APPLICATION (app));
  if (settings != NULL)
    current = g_settings_get_string (settings, "interface");

  /* Nothing set: the server answers where the default route is (yard-net-interface.c). */
  if (default_if != NULL)
    default_label = g_strdup_printf (_("Automatic (%s)"), default_if);
  else
    default_label = g_strdup (_("Automatic (no default route)"));
  gtk_string_list_append (self->interfaces, default_label);
  g_ptr_array_add (self->interface_names, g_strdup (""));
  for (guint i = 0; names != NULL && names[i].if_index != 0; i++)
    {
      g_autofree char *label = NULL;

      if (g_str_equal (names[i].if_name, "lo"))
        continue;
      label = dup_interface_label (names[i].if_name);
      gtk_string_list_append (self->interfaces, label);
      g_ptr_array_add (self->interface_names, g_strdup (names[i].if_name));
      if (g_strcmp0 (current, names[i].if_name) == 0)
        selected = self->interface_names->len - 1;
    }
  if (names != NULL)
    if_freenameindex (names);

  adw_combo_row_set_model (self->interface_row, G_LIST_MODEL (self->interfaces));
  adw_combo_row_set_selected (self->interface_row, selected);
}

static void
interface_selected_cb (YardWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  guint selected = adw_combo_row_get_selected (self->interface_row);
  const char *name = "";

  if (app == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected < self->interface_names->len)
    name = g_ptr_array_index (self->interface_names, selected);

  /* The interface is an option of the server's command line: a server that Bootyard did not
   * start (a system service, one started by hand) keeps its own until it is restarted. */
  if (yard_connection_get_state (self->connection) == YARD_CONNECTION_CONNECTED &&
      !yard_connection_get_started_server (self->connection))
    {
      g_autofree char *message = NULL;

      if (*name != '\0')
        message = g_strdup_printf (_("The boot server on this computer was not started by "
                                     "Bootyard, so it keeps its interface. Restart it with "
                                     "“--interface %s” (for the system service: systemctl "
                                     "edit bootyard-server) to answer on that interface."),
                                   name);
      else
        message = g_strdup (_("The boot server on this computer was not started by Bootyard, "
                              "so it keeps its interface. Restart it without --interface to "
                              "answer on the interface of the default route."));
      yard_window_show_error (self, message);
    }

  /* The application restarts a server it started with the new interface. */
  g_settings_set_string (yard_application_get_settings (YARD_APPLICATION (app)),
                         "interface", name);
}

/* Files over the window: the whole content lights up as the place to drop them. */
static GdkDragAction
drop_enter_cb (YardWindow *self,
               double      x,
               double      y)
{
  gtk_widget_add_css_class (GTK_WIDGET (self->toast_overlay), "yard-drop-target");
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (YardWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->toast_overlay), "yard-drop-target");
}

static gboolean
drop_cb (YardWindow   *self,
         const GValue *value,
         double        x,
         double        y)
{
  GdkFileList *list;
  g_autoptr(GSList) files = NULL;

  drop_leave_cb (self);
  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  if (yard_connection_get_client (self->connection) == NULL)
    {
      yard_window_show_error (self, _("Connect to a server before adding images"));
      return FALSE;
    }

  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  if (files == NULL)
    return FALSE;

  adw_view_stack_set_visible_child_name (self->view_stack, "images");
  yard_images_page_upload_files (self->images_page, files);
  return TRUE;
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  YardWindow *self = YARD_WINDOW (widget);

  yard_connection_connect (self->connection);
}

/* Ctrl+O from any page: the Images page, and its chooser. */
static void
add_images_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  YardWindow *self = YARD_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "images");
  gtk_widget_activate_action (GTK_WIDGET (self->images_page), "images.add", NULL);
}

/* The banner's Copy buttons: the command on the clipboard, and what to do with it. */
static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  YardWindow *self = YARD_WINDOW (widget);
  const char *which = g_variant_get_string (param, NULL);
  const char *command = g_str_equal (which, "setcap") ? self->setcap_command
                                                       : self->sysctl_command;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (command == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  title = g_strdup_printf (_("Copied “%s”: run it in a terminal, then turn Services on"),
                           command);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
system_service_started_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(YardWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->starting_unit = FALSE;
  /* Either way the app connects to the server on this computer: the system service, found
   * as a running server is (with the system's token), or else ours again. */
  yard_connection_connect (self->connection);
  if (!yard_system_service_start_finish (result, &error))
    {
      yard_window_show_error (self, error->message);
      return;
    }
  {
    g_autofree char *root = g_build_filename (YARD_SYSTEM_STATE_DIR, "root", NULL);
    g_autofree char *title = g_strdup_printf (_("The bootyard-server system service runs now; "
                                                "it keeps its own boot files, in %s"), root);

    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
  }
}

/* The banner's "Run as System Service": systemd starts the unit, which has the privileges
 * for the ports. It listens on the same HTTP port as the server we started, so ours stops
 * first (the Services switch of the unit's server is its own: it starts its services). */
static void
run_system_service_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  YardWindow *self = YARD_WINDOW (widget);

  if (self->starting_unit)
    return;
  self->starting_unit = TRUE;
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  hide_banner_actions (self);
  yard_connection_disconnect (self->connection);
  yard_system_service_start_async (NULL, system_service_started_cb, g_object_ref (self));
}

/* Once the row has its place: its page scrolled so that the row shows (the ports come below
 * the server's rows, out of a new window's sight). */
static gboolean
scroll_to_row_cb (GtkWidget     *row,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = scrolled ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled))
                                : NULL;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

  if (content == NULL || group == NULL)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_height (row) == 0 || gtk_widget_get_height (scrolled) == 0 ||
      !gtk_widget_compute_bounds (group, content, &bounds))
    return G_SOURCE_CONTINUE;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  /* Its group at the top, title and all (as far as the page goes). */
  gtk_adjustment_set_value (adjustment, bounds.origin.y - 12);
  return G_SOURCE_REMOVE;
}

/* The banner's Port Settings: Preferences, with the TFTP port's row focused and in sight, since
 * that is the port the message asks to change. */
static void
port_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  g_autoptr(GList) toplevels = NULL;

  if (app == NULL)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (YARD_IS_PREFERENCES_WINDOW (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (widget))
      {
        YardPreferencesWindow *prefs = l->data;

        GtkWidget *row = GTK_WIDGET (_yard_preferences_window_get_port_row (prefs,
                                                                            "tftp-port"));

        gtk_window_set_focus (GTK_WINDOW (prefs), row);
        gtk_widget_add_tick_callback (row, scroll_to_row_cb, NULL, NULL);
      }
}

static void
dismiss_banner_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  gtk_revealer_set_reveal_child (YARD_WINDOW (widget)->banner_revealer, FALSE);
}

/* The window shows the application's connection: set up once "application" is set. */
static void
application_set_cb (YardWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->connection != NULL || !YARD_IS_APPLICATION (app))
    return;

  self->connection = g_object_ref (yard_application_get_connection (YARD_APPLICATION (app)));
  g_signal_connect_object (self->connection, "notify::state",
                           G_CALLBACK (connection_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::error-message",
                           G_CALLBACK (connection_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::status",
                           G_CALLBACK (update_services), self, G_CONNECT_SWAPPED);

  yard_menu_page_set_connection (self->menu_page, self->connection);
  yard_images_page_set_connection (self->images_page, self->connection);
  yard_hosts_page_set_connection (self->hosts_page, self->connection);
  yard_activity_page_set_connection (self->activity_page, self->connection);

  /* The window comes back at the size it was left at. */
  g_settings_bind (yard_application_get_settings (YARD_APPLICATION (app)), "window-width",
                   self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (yard_application_get_settings (YARD_APPLICATION (app)), "window-height",
                   self, "default-height", G_SETTINGS_BIND_DEFAULT);

  fill_interfaces (self);
  g_signal_connect_object (self->interface_row, "notify::selected",
                           G_CALLBACK (interface_selected_cb), self, G_CONNECT_SWAPPED);
  update_connection (self);
}

static void
yard_window_dispose (GObject *object)
{
  YardWindow *self = YARD_WINDOW (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->interfaces);
  g_clear_pointer (&self->interface_names, g_ptr_array_unref);
  g_clear_pointer (&self->setcap_command, g_free);
  g_clear_pointer (&self->sysctl_command, g_free);
  g_cancellable_cancel (self->unit_query);
  g_clear_object (&self->unit_query);

  G_OBJECT_CLASS (yard_window_parent_class)->dispose (object);
}

/* Closing the window ends the app, and with it the server it started: while a server on this
 * computer serves, computers on the network may be booting from it, so it is the user's
 * choice. One found running at start (left serving before, or started by hand) is asked about
 * the same way. */
static gboolean
serving_here (YardWindow *self)
{
  const YardServerStatus *status = self->connection ? yard_connection_get_status (self->connection)
                                                    : NULL;

  return status != NULL && yard_connection_get_is_local (self->connection) &&
         status->services_running;
}

static GSettings *
window_settings (YardWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return YARD_IS_APPLICATION (app) ? yard_application_get_settings (YARD_APPLICATION (app))
                                   : NULL;
}

static void
keep_serving (YardWindow *self)
{
  GSettings *settings = window_settings (self);
  /* One we found running goes on by itself; ours is let go of first. */
  gboolean serving = !yard_connection_get_started_server (self->connection) ||
                     yard_connection_detach_server (self->connection);

  if (serving && settings != NULL)
    g_settings_set_boolean (settings, "served-in-background", TRUE);
}

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
attached_stopped_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(YardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardServerStatus) status = yard_client_stop_services_finish (YARD_CLIENT (source),
                                                                        result, &error);

  if (status == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not stop the boot services: %s"),
                                                  error->message);

      /* The window stays, saying why, rather than leave it serving unasked. */
      self->close_decided = FALSE;
      yard_window_show_error (self, message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

/* "Stop Serving" for a server that Bootyard did not start: quitting does not end it (it may be
 * the system service), so its boot services are stopped through the API before the window
 * closes. FALSE when there is nothing to wait for (a server we started goes with the app). */
static gboolean
stop_attached_server (YardWindow *self)
{
  YardClient *client = yard_connection_get_client (self->connection);

  if (yard_connection_get_started_server (self->connection) || client == NULL)
    return FALSE;
  self->close_decided = TRUE;
  yard_client_stop_services_async (client, NULL, attached_stopped_cb, g_object_ref (self));
  return TRUE;
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   YardWindow       *self)
{
  GtkCheckButton *remember = GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog));
  GSettings *settings = window_settings (self);

  self->close_dialog = NULL;
  if (!g_str_equal (response, "keep-serving") && !g_str_equal (response, "stop"))
    return;
  if (settings != NULL && gtk_check_button_get_active (remember))
    g_settings_set_string (settings, "close-with-services", response);
  if (g_str_equal (response, "keep-serving"))
    keep_serving (self);
  else if (stop_attached_server (self))
    return;
  self->close_decided = TRUE;
  /* After the dialog has finished its response (it closes itself, transient for us). */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
}

static void
ask_how_to_close (YardWindow *self)
{
  GtkWidget *dialog;
  GtkWidget *remember;

  if (self->close_dialog != NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Keep Serving in the Background?"),
                                   _("Computers on your network can go on booting from this "
                                     "computer while Bootyard is closed. Bootyard finds the "
                                     "server again when you open it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop Serving"),
                                    "keep-serving", _("_Keep Serving"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep-serving",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep-serving");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  remember = gtk_check_button_new_with_mnemonic (_("_Remember my choice"));
  gtk_widget_set_halign (remember, GTK_ALIGN_CENTER);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), remember);
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
  self->close_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
yard_window_close_request (GtkWindow *window)
{
  YardWindow *self = YARD_WINDOW (window);
  GSettings *settings = window_settings (self);
  g_autofree char *choice = NULL;

  if (!self->close_decided && serving_here (self))
    {
      choice = settings ? g_settings_get_string (settings, "close-with-services")
                        : g_strdup ("ask");
      if (g_str_equal (choice, "keep-serving"))
        keep_serving (self);
      else if (g_str_equal (choice, "stop") && stop_attached_server (self))
        return TRUE;
      else if (!g_str_equal (choice, "stop"))
        {
          ask_how_to_close (self);
          return TRUE;
        }
    }
  return GTK_WINDOW_CLASS (yard_window_parent_class)->close_request (window);
}

static void
yard_window_class_init (YardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = yard_window_dispose;
  window_class->close_request = yard_window_close_request;

  g_type_ensure (YARD_TYPE_MENU_PAGE);
  g_type_ensure (YARD_TYPE_IMAGES_PAGE);
  g_type_ensure (YARD_TYPE_HOSTS_PAGE);
  g_type_ensure (YARD_TYPE_ACTIVITY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, YardWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, connection_stack);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, services_switch);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, services_box);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, services_summary);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, services_list);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, interface_row);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, boot_address_label);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, services_popover);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, banner_actions);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, problems_label);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, copy_setcap_button);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, copy_sysctl_button);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, port_settings_button);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, system_service_button);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, menu_page);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, images_page);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, hosts_page);
  gtk_widget_class_bind_template_child (widget_class, YardWindow, activity_page);

  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL,
                                   dismiss_banner_action);
  gtk_widget_class_install_action (widget_class, "win.copy-command", "s", copy_command_action);
  gtk_widget_class_install_action (widget_class, "win.port-settings", NULL,
                                   port_settings_action);
  gtk_widget_class_install_action (widget_class, "win.run-system-service", NULL,
                                   run_system_service_action);
  gtk_widget_class_install_action (widget_class, "win.add-images", NULL, add_images_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.add-images", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reconnect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reconnect", NULL);
}

static void
yard_window_init (YardWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->interfaces = gtk_string_list_new (NULL);
  self->interface_names = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (self, "notify::application", G_CALLBACK (application_set_cb), NULL);
  g_signal_connect_swapped (self->services_switch, "state-set",
                            G_CALLBACK (services_state_set_cb), self);

  /* ISOs and disk images dragged from the file manager anywhere onto the window. */
  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_swapped (self->drop_target, "drop", G_CALLBACK (drop_cb), self);
  g_signal_connect_swapped (self->drop_target, "enter", G_CALLBACK (drop_enter_cb), self);
  g_signal_connect_swapped (self->drop_target, "leave", G_CALLBACK (drop_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}

YardWindow *
yard_window_new (YardApplication *application)
{
  return g_object_new (YARD_TYPE_WINDOW, "application", application, NULL);
}

void
yard_window_add_toast (YardWindow *self,
                       AdwToast   *toast)
{
  g_return_if_fail (YARD_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A failure that is not tied to one row or dialog: stays until dismissed or fixed. */
void
yard_window_show_error (YardWindow *self,
                        const char *message)
{
  g_return_if_fail (YARD_IS_WINDOW (self));

  g_debug ("%s", message);
  hide_banner_actions (self);
  gtk_label_set_label (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

GtkWidget *
_yard_window_get_page (YardWindow *self,
                       const char *name)
{
  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

GtkSwitch *
_yard_window_get_services_switch (YardWindow *self)
{
  return self->services_switch;
}

GtkDropTarget *
_yard_window_get_drop_target (YardWindow *self)
{
  return self->drop_target;
}

GtkWidget *
_yard_window_get_banner_label (YardWindow *self)
{
  return GTK_WIDGET (self->banner_label);
}

const char *
_yard_window_get_visible_child (YardWindow *self)
{
  return gtk_stack_get_visible_child_name (self->connection_stack);
}

/* The pages are shown and no transition from the connection's status page is running. */
gboolean
_yard_window_is_connected_and_still (YardWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->connection_stack), "main") == 0 &&
         !gtk_stack_get_transition_running (self->connection_stack);
}

GtkLabel *
_yard_window_get_boot_address_label (YardWindow *self)
{
  return self->boot_address_label;
}

AdwMessageDialog *
_yard_window_get_close_dialog (YardWindow *self)
{
  return self->close_dialog;
}

GtkPopover *
_yard_window_get_services_popover (YardWindow *self)
{
  return self->services_popover;
}

/* The command that the banner's Copy button @which ("setcap", "sysctl") copies; NULL while
 * that button is hidden. */
const char *
_yard_window_get_banner_command (YardWindow *self,
                                 const char *which)
{
  GtkWidget *button = g_str_equal (which, "setcap") ? self->copy_setcap_button
                                                    : self->copy_sysctl_button;

  if (!gtk_widget_get_mapped (button))
    return NULL;
  return g_str_equal (which, "setcap") ? self->setcap_command : self->sysctl_command;
}

GtkWidget *
_yard_window_get_port_settings_button (YardWindow *self)
{
  return self->port_settings_button;
}

GtkWidget *
_yard_window_get_system_service_button (YardWindow *self)
{
  return self->system_service_button;
}

/* The text of the banner for the files the server could not use; NULL while it is hidden. */
const char *
_yard_window_get_problems_text (YardWindow *self)
{
  if (!gtk_revealer_get_reveal_child (self->problems_revealer))
    return NULL;
  return gtk_label_get_label (self->problems_label);
}
