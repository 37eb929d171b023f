/* bootyardctl.c: bootyard-server's API from a shell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A table of commands over YardClient: each command parses its own options (its own
 * GOptionContext, so each has --help), makes one or two API calls on the default main context
 * and prints a table for people or, with --json, the server's JSON for scripts. Errors go to
 * stderr and the exit status says what kind of failure it was.
 */

#define G_LOG_DOMAIN "bootyardctl"

#include "config.h"

#include "bootyardctl-private.h"

/* Helpers: waiting, errors, parsing */

void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Runs the default main context until the call that result_cb was given has finished. */
GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static int
exit_code_for (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_INTERRUPTED;
  if (error->domain != YARD_ERROR)
    return EXIT_SERVER_FAILED;

  switch (error->code)
    {
    case YARD_ERROR_INVALID_ARGUMENT:
      return EXIT_USAGE;
    case YARD_ERROR_UNREACHABLE:
      return EXIT_UNREACHABLE;
    case YARD_ERROR_UNAUTHORIZED:
      return EXIT_UNAUTHORIZED;
    case YARD_ERROR_NOT_FOUND:
      return EXIT_NOT_FOUND;
    case YARD_ERROR_INVALID_CONFIG:
      return EXIT_BROKEN_MENU;
    case YARD_ERROR_EXISTS:
    case YARD_ERROR_IN_USE:
      return EXIT_CONFLICT;
    default:
      return EXIT_SERVER_FAILED;
    }
}

int
fail (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("bootyardctl: interrupted\n");
  else
    g_printerr ("bootyardctl: %s\n", error->message);
  return exit_code_for (error);
}

int G_GNUC_PRINTF (2, 3)
usage_error (Ctl        *ctl,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (ctl->command != NULL && ctl->command->group != NULL)
    g_printerr ("bootyardctl: %s\nTry “bootyardctl %s %s --help”.\n", message,
                ctl->command->group, ctl->command->name);
  else if (ctl->command != NULL)
    g_printerr ("bootyardctl: %s\nTry “bootyardctl %s --help”.\n", message, ctl->command->name);
  else
    g_printerr ("bootyardctl: %s\nTry “bootyardctl --help”.\n", message);
  return EXIT_USAGE;
}

/* Parses a command's options (entries may be NULL), checks the number of positional
 * arguments, and connects the client. Returns -1 when the command should go on, else the
 * exit status. --server, --token-file and --json are accepted after the command too. */
int
parse_command (Ctl                *ctl,
               const GOptionEntry *entries,
               const char         *description,
               int                *argc,
               char             ***argv,
               int                 min_args,
               int                 max_args)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = NULL;
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  GOptionGroup *global;
  int n_args;
  const GOptionEntry common_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctl->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  const GOptionEntry global_entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Server to manage"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_("File holding the API token"), N_("FILE") },
    { NULL }
  };

  prgname = ctl->command->group
    ? g_strdup_printf ("bootyardctl %s %s", ctl->command->group, ctl->command->name)
    : g_strdup_printf ("bootyardctl %s", ctl->command->name);
  g_set_prgname (prgname);

  context = g_option_context_new (ctl->command->params);
  g_option_context_set_summary (context, _(ctl->command->summary));
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  global = g_option_group_new ("global", _("Options of every command:"),
                               _("Show the options that every command takes"), NULL, NULL);
  g_option_group_add_entries (global, global_entries);
  g_option_group_set_translation_domain (global, GETTEXT_PACKAGE);
  g_option_context_add_group (context, global);

  if (!g_option_context_parse (context, argc, argv, &error))
    return usage_error (ctl, "%s", error->message);

  if (server != NULL)
    {
      g_free (ctl->server);
      ctl->server = g_steal_pointer (&server);
    }
  if (token_file != NULL)
    {
      g_free (ctl->token_file);
      ctl->token_file = g_steal_pointer (&token_file);
    }

  n_args = *argc - 1;
  if (n_args < min_args)
    return usage_error (ctl, "missing argument: %s", ctl->command->params);
  if (n_args > max_args)
    return usage_error (ctl, "unexpected argument “%s”", (*argv)[1 + max_args]);

  ctl->client = yard_client_new_from_files (ctl->server, ctl->token_file, &error);
  if (ctl->client == NULL)
    return fail (error);
  return -1;
}

/* Output: JSON, tables, sizes */

void
print_json_node (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
print_json_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  print_json_node (node);
}

/* What `menu rm`, `image rm` and `host rm` print once the server removed @value (the @member of
 * a @what): {"removed": true, MEMBER: VALUE} with --json, a sentence otherwise. */
int
print_removed (Ctl        *ctl,
               const char *what,
               const char *member,
               const char *value)
{
  if (ctl->json)
    {
      g_autoptr(JsonObject) obj = json_object_new ();

      json_object_set_boolean_member (obj, "removed", TRUE);
      json_object_set_string_member (obj, member, value);
      print_json_object (obj);
    }
  else
    g_print ("Removed %s %s\n", what, value);
  return EXIT_SUCCESS;
}

/* --json: the server's answer as it sent it, through the raw request. */
int
print_raw_answer (Ctl        *ctl,
                  const char *method,
                  const char *path,
                  JsonObject *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) body_node = body ? json_node_init_object (json_node_alloc (), body) : NULL;

  yard_client_request_async (ctl->client, method, path, body_node, ctl->cancellable, result_cb,
                             &result);
  node = yard_client_request_finish (ctl->client, wait_for (&result), &error);
  if (node == NULL)
    return fail (error);
  print_json_node (node);
  return EXIT_SUCCESS;
}

/* list --json: the array (member of the answer) as the server sent it */
int
print_raw_list (Ctl        *ctl,
                const char *path,
                const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonNode *array = NULL;

  yard_client_request_async (ctl->client, "GET", path, NULL, ctl->cancellable, result_cb,
                             &result);
  node = yard_client_request_finish (ctl->client, wait_for (&result), &error);
  if (node == NULL)
    return fail (error);
  if (JSON_NODE_HOLDS_OBJECT (node))
    array = json_object_get_member (json_node_get_object (node), member);
  print_json_node (array != NULL ? array : node);
  return EXIT_SUCCESS;
}

/* path prefix + one escaped segment, as the client writes them */
char *
segment_path (const char *prefix,
              const char *segment,
              const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (segment, ":", FALSE);

  return g_strconcat (prefix, escaped, suffix, NULL);
}

/* text for a table: NULL and "" as "-" */
char *
text_or_dash (const char *text)
{
  return g_strdup (text != NULL && *text != '\0' ? text : "-");
}


Table *
table_new (const char *first_header,
           ...)
{
  Table *table = g_new0 (Table, 1);
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first_header);
  for (const char *h = first_header; h != NULL; h = va_arg (args, const char *))
    {
      g_strv_builder_add (builder, h);
      table->n_columns++;
    }
  va_end (args);

  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (table->rows, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);
  return table;
}

/* Takes ownership of each cell (n_columns of them). */
void
table_add_row (Table *table,
               ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->n_columns; i++)
    {
      char *cell = va_arg (args, char *);
      /* One line per row: a newline or tab in a label would break the columns. */
      row[i] = g_strdelimit (cell ? cell : g_strdup ("-"), "\n\t\r", ' ');
    }
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

void
table_print_and_free (Table *table)
{
  g_autofree glong *widths = g_new0 (glong, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      GString *line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < table->n_columns)
            for (glong pad = g_utf8_strlen (row[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
      g_string_free (line, TRUE);
    }

  g_ptr_array_unref (table->rows);
  g_free (table);
}
/* The command table */

static const Command commands[] = {
  { NULL, "status", "", N_("Show the server's version and each service's state"), cmd_status },
  { "services", "start", "", N_("Start ProxyDHCP, TFTP and HTTP boot serving"),
    cmd_services_start },
  { "services", "stop", "", N_("Stop ProxyDHCP, TFTP and HTTP boot serving"),
    cmd_services_stop },
  { "menu", "show", "", N_("Show the boot menu and its entries with their ids"), cmd_menu_show },
  { "menu", "set", "", N_("Change the menu's title, timeout, default entry, serial console or loader"),
    cmd_menu_set },
  { "menu", "add", "", N_("Add an entry: a Linux kernel, the local disk, a memdisk image, a "
                          "chain URL, or what the server suggests for an image"), cmd_menu_add },
  { "menu", "rm", "ID", N_("Remove an entry"), cmd_menu_rm },
  { "menu", "move", "ID POSITION", N_("Move an entry to a position, counted from 0"),
    cmd_menu_move },
  { "image", "add", "FILE", N_("Upload an ISO or disk image and show how it will boot"),
    cmd_image_add },
  { "image", "list", "", N_("List the images in the boot root"), cmd_image_list },
  { "image", "rm", "NAME", N_("Delete an image"), cmd_image_rm },
  { "host", "list", "", N_("List the hosts seen and their boot policy"), cmd_host_list },
  { "host", "show", "MAC", N_("Show one host"), cmd_host_show },
  { "host", "set", "MAC", N_("Set a host's boot policy: menu, its own script, a URL or disk"),
    cmd_host_set },
  { "host", "rm", "MAC", N_("Forget a host"), cmd_host_rm },
  { "host", "wake", "MAC", N_("Wake a machine with Wake-on-LAN, on the services' interface"),
    cmd_host_wake },
  { NULL, "activity", "[MAC]", N_("List the recent boots: who, what went out, the verdict"),
    cmd_activity },
  { NULL, "doctor", "[MAC]", N_("Say why boots stopped (or that they worked); --network: who "
                                "else answers DHCP and PXE"), cmd_doctor },
  { NULL, "events", "", N_("Follow the server's events, one line each"), cmd_events },
};

static char *
commands_help (const char *group)
{
  GString *s = g_string_new (NULL);

  g_string_append (s, _("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *words = NULL;

      if (group != NULL && g_strcmp0 (commands[i].group, group) != 0)
        continue;
      words = commands[i].group ? g_strdup_printf ("%s %s", commands[i].group, commands[i].name)
                                : g_strdup (commands[i].name);
      g_string_append_printf (s, "  %-15s %s\n", words, _(commands[i].summary));
    }
  if (group != NULL)
    return g_string_free (s, FALSE);

  g_string_append (s, _("\nEach command takes --help, and --json to print JSON.\n\n"
                        "Exit status:\n"
                        "  0    success\n"
                        "  1    the server could not do it (its message says why)\n"
                        "  2    bad command line, a value the server rejected, or a file that "
                        "cannot be read\n"
                        "  3    the server cannot be reached\n"
                        "  4    no API token, or the server refused it\n"
                        "  5    no such entry, image or host\n"
                        "  6    the menu file on the server fails to parse (fix it by hand)\n"
                        "  7    an image of that name is there, or menu entries boot it\n"
                        "  130  interrupted\n"));
  return g_string_free (s, FALSE);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  Ctl *ctl = user_data;

  g_cancellable_cancel (ctl->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
is_group (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, word) == 0)
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  gboolean version = FALSE;
  Ctl ctl = { 0, };
  const Command *command = NULL;
  int ret;
  guint sigint_id;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &ctl.server,
      N_("Server to manage (default: this machine's, on the port its state directory names, "
         "else 8067)"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &ctl.token_file,
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
  description = commands_help (NULL);
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

  if (is_group (argv[1]))
    {
      g_autofree char *list = commands_help (argv[1]);

      if (argc < 3 || g_str_equal (argv[2], "--help") || g_str_equal (argv[2], "-h"))
        {
          gboolean asked = argc >= 3;
          if (asked)
            g_print ("Usage:\n  bootyardctl %s COMMAND [OPTION…]\n\n%s", argv[1], list);
          else
            g_printerr ("bootyardctl: “%s” needs a command\n%s", argv[1], list);
          return asked ? EXIT_SUCCESS : EXIT_USAGE;
        }
      for (guint i = 0; i < G_N_ELEMENTS (commands) && command == NULL; i++)
        if (g_strcmp0 (commands[i].group, argv[1]) == 0 && g_str_equal (commands[i].name, argv[2]))
          command = &commands[i];
      if (command == NULL)
        {
          g_printerr ("bootyardctl: unknown command “%s %s”\n%s", argv[1], argv[2], list);
          return EXIT_USAGE;
        }
      argc -= 2;
      argv += 2;
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands) && command == NULL; i++)
        if (commands[i].group == NULL && g_str_equal (commands[i].name, argv[1]))
          command = &commands[i];
      if (command == NULL)
        {
          g_printerr ("bootyardctl: unknown command “%s”\nTry “bootyardctl --help”.\n", argv[1]);
          return EXIT_USAGE;
        }
      argc -= 1;
      argv += 1;
    }

  ctl.command = command;
  ctl.cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, &ctl);

  /* The command's own argv[0] is its name, as GOptionContext expects. */
  ret = command->func (&ctl, argc, argv);

  g_source_remove (sigint_id);
  g_clear_object (&ctl.client);
  g_clear_object (&ctl.cancellable);
  g_free (ctl.server);
  g_free (ctl.token_file);
  return ret;
}
