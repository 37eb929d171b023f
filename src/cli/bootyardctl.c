/* bootyardctl.c: bootyard-server's API from a shell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bootyardctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "yard-client.h"
#include "yard-error.h"

/* Exit codes scripts can tell apart. */
enum {
  EXIT_USAGE = 2,
  EXIT_UNREACHABLE = 3,
  EXIT_REFUSED = 4,
};

typedef struct
{
  YardClient *client;
  gboolean    json;
} Ctl;

typedef int (*CommandFunc) (Ctl *ctl, int argc, char **argv);

static void
print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);
  g_print ("%s\n", text);
}

static int
fail (const GError *error)
{
  g_printerr ("bootyardctl: %s\n", error->message);
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT))
    return EXIT_USAGE;
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, YARD_ERROR, YARD_ERROR_NOT_FOUND) ||
      g_error_matches (error, YARD_ERROR, YARD_ERROR_EXISTS))
    return EXIT_REFUSED;
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_FAILED))
    return EXIT_UNREACHABLE;
  return EXIT_FAILURE;
}

static int
cmd_status (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;
  JsonObject *services;

  node = yard_client_request_sync (ctl->client, "GET", "/status", NULL, NULL, &error);
  if (node == NULL)
    return fail (error);

  if (ctl->json || !JSON_NODE_HOLDS_OBJECT (node))
    {
      print_json (node);
      return EXIT_SUCCESS;
    }

  obj = json_node_get_object (node);
  g_print ("Server:   %s (bootyard-server %s)\n", yard_client_get_base_url (ctl->client),
           json_object_get_string_member_with_default (obj, "version", "?"));
  services = json_object_get_object_member (obj, "services");
  if (services != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (services);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonObject *svc = json_object_get_object_member (services, l->data);
          const char *err = json_object_get_string_member_with_default (svc, "lastError", NULL);
          g_print ("%-9s %-8s %s:%" G_GINT64_FORMAT "%s%s\n", (const char *) l->data,
                   json_object_get_string_member_with_default (svc, "state", "?"),
                   json_object_get_string_member_with_default (svc, "address", "*"),
                   json_object_get_int_member_with_default (svc, "port", 0),
                   err ? "  error: " : "", err ? err : "");
        }
    }
  return EXIT_SUCCESS;
}

static const struct
{
  const char  *name;
  CommandFunc  func;
  const char  *help;
} commands[] = {
  { "status", cmd_status, N_("Show the server's version and each service's state") },
};

static char *
commands_help (void)
{
  GString *s = g_string_new (_("Commands:\n"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  %-10s %s\n", commands[i].name, _(commands[i].help));
  return g_string_free (s, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *description = NULL;
  gboolean version = FALSE;
  Ctl ctl = { 0, };
  int ret;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("Server to manage (default: http://127.0.0.1:8067)"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_("File holding the API token (default: the local server's)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctl.json, N_("Print JSON for scripts"), NULL },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGS…]"));
  g_option_context_set_summary (context, _("Manage a Bootyard network boot server."));
  description = commands_help ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bootyardctl: %s\nTry “bootyardctl --help”.\n", error->message);
      return EXIT_USAGE;
    }

  if (version)
    {
      g_print ("bootyardctl %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc < 2)
    {
      g_printerr ("bootyardctl: no command given\nTry “bootyardctl --help”.\n");
      return EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (argv[1], commands[i].name))
        continue;

      ctl.client = yard_client_new_from_files (server, token_file, &error);
      if (ctl.client == NULL)
        return fail (error);
      ret = commands[i].func (&ctl, argc - 1, argv + 1);
      g_object_unref (ctl.client);
      return ret;
    }

  g_printerr ("bootyardctl: unknown command “%s”\nTry “bootyardctl --help”.\n", argv[1]);
  return EXIT_USAGE;
}
