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

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-client.h"
#include "yard-error.h"
#include "yard-event-stream.h"
#include "yard-host-table.h"

/* Exit codes scripts can tell apart; --help and bootyardctl(1) list them. */
enum {
  EXIT_SERVER_FAILED = 1, /* the server could not do it */
  EXIT_USAGE = 2,         /* bad command line, a value the server rejected, a missing file */
  EXIT_UNREACHABLE = 3,
  EXIT_UNAUTHORIZED = 4,  /* no token file, or the server refused the token */
  EXIT_NOT_FOUND = 5,     /* no such entry, image or host */
  EXIT_BROKEN_MENU = 6,   /* the menu file on the server fails to parse */
  EXIT_CONFLICT = 7,      /* an image of that name is there, or menu entries boot it */
  EXIT_INTERRUPTED = 130, /* Ctrl+C, as shells report SIGINT */
};

typedef struct _Command Command;

typedef struct
{
  YardClient    *client;
  GCancellable  *cancellable;  /* cancelled by SIGINT */
  const Command *command;
  char          *server;       /* --server, global or after the command */
  char          *token_file;
  gboolean       json;
} Ctl;

typedef int (*CommandFunc) (Ctl *ctl, int argc, char **argv);

struct _Command
{
  const char  *group;   /* "menu" for "menu show"; NULL for a command of one word */
  const char  *name;
  const char  *params;  /* positional arguments, for the usage line */
  const char  *summary;
  CommandFunc  func;
};

/* Helpers: waiting, errors, parsing */

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Runs the default main context until the call that result_cb was given has finished. */
static GAsyncResult *
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

static int
fail (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("bootyardctl: interrupted\n");
  else
    g_printerr ("bootyardctl: %s\n", error->message);
  return exit_code_for (error);
}

static int G_GNUC_PRINTF (2, 3)
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
static int
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

static void
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

static void
print_json_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  print_json_node (node);
}

/* --json: the server's answer as it sent it, through the raw request. */
static int
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
static int
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
static char *
segment_path (const char *prefix,
              const char *segment,
              const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (segment, ":", FALSE);

  return g_strconcat (prefix, escaped, suffix, NULL);
}

/* text for a table: NULL and "" as "-" */
static char *
text_or_dash (const char *text)
{
  return g_strdup (text != NULL && *text != '\0' ? text : "-");
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  return json_node_get_int (node);
}

/* Tables: a header row and rows of cells, columns as wide as their widest cell (in
 * characters), two spaces apart; the last column is not padded. */
typedef struct
{
  guint      n_columns;
  GPtrArray *rows; /* of GStrv */
} Table;

static Table *
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
static void
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

static void
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

/* status */

static void
print_status (Ctl                    *ctl,
              const YardServerStatus *status)
{
  Table *table;

  g_print ("Server:    %s (bootyard-server %s)\n", yard_client_get_base_url (ctl->client),
           status->version ? status->version : "?");
  if (status->root != NULL)
    g_print ("Root:      %s\n", status->root);
  g_print ("Services:  %s\n", status->services_running ? "running" : "stopped");
  /* Files the server could not use (a broken hosts.json), each saying what to do. */
  for (guint i = 0; i < status->problems->len; i++)
    {
      const YardStatusProblem *problem = g_ptr_array_index (status->problems, i);

      g_print ("%s%s: %s\n", i == 0 ? "Problems:  " : "           ",
               problem->file ? problem->file : "?", problem->error ? problem->error : "?");
    }
  if (status->services->len == 0)
    return;

  g_print ("\n");
  table = table_new ("SERVICE", "STATE", "ADDRESS", "PORT", "ERROR", NULL);
  for (guint i = 0; i < status->services->len; i++)
    {
      const YardServiceStatus *svc = g_ptr_array_index (status->services, i);
      const char *error = svc->last_error;

      table_add_row (table, g_strdup (svc->name),
                     g_strdup (yard_service_state_to_string (svc->state)),
                     g_strdup (svc->address && *svc->address ? svc->address : "*"),
                     svc->port > 0 ? g_strdup_printf ("%u", svc->port) : g_strdup ("-"),
                     error != NULL ? text_or_dash (error) : g_strdup (""));
    }
  table_print_and_free (table);
}

static int
cmd_status (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardServerStatus) status = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_answer (ctl, "GET", "/status", NULL);

  yard_client_get_status_async (ctl->client, ctl->cancellable, result_cb, &result);
  status = yard_client_get_status_finish (ctl->client, wait_for (&result), &error);
  if (status == NULL)
    return fail (error);
  print_status (ctl, status);
  return EXIT_SUCCESS;
}

static int
cmd_services (Ctl      *ctl,
              int       argc,
              char    **argv,
              gboolean  start)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardServerStatus) status = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_answer (ctl, "POST", start ? "/services/start" : "/services/stop", NULL);

  if (start)
    {
      yard_client_start_services_async (ctl->client, ctl->cancellable, result_cb, &result);
      status = yard_client_start_services_finish (ctl->client, wait_for (&result), &error);
    }
  else
    {
      yard_client_stop_services_async (ctl->client, ctl->cancellable, result_cb, &result);
      status = yard_client_stop_services_finish (ctl->client, wait_for (&result), &error);
    }
  if (status == NULL)
    return fail (error);
  print_status (ctl, status);
  return EXIT_SUCCESS;
}

static int
cmd_services_start (Ctl   *ctl,
                    int    argc,
                    char **argv)
{
  return cmd_services (ctl, argc, argv, TRUE);
}

static int
cmd_services_stop (Ctl   *ctl,
                   int    argc,
                   char **argv)
{
  return cmd_services (ctl, argc, argv, FALSE);
}

/* menu */

/* What an entry boots, in a few words: the rest of the row after its kind. */
static char *
entry_details (YardBootEntry *entry)
{
  YardBootEntryKind kind = yard_boot_entry_get_kind (entry);
  const char *append = yard_boot_entry_get_append (entry);
  GString *s = g_string_new (NULL);

  if (kind == YARD_BOOT_ENTRY_KIND_LINUX || kind == YARD_BOOT_ENTRY_KIND_COM32)
    {
      g_autofree char *initrds = g_strjoinv (",", (GStrv) yard_boot_entry_get_initrds (entry));

      g_string_append (s, yard_boot_entry_get_kernel (entry) ?: "?");
      if (*initrds != '\0')
        g_string_append_printf (s, " initrd=%s", initrds);
      if (append != NULL && *append != '\0')
        g_string_append_printf (s, " %s", append);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_MEMDISK)
    {
      g_string_append_printf (s, "%s (%s)", yard_boot_entry_get_image (entry) ?: "?",
                              yard_memdisk_type_to_string (yard_boot_entry_get_image_type (entry)));
      if (append != NULL && *append != '\0')
        g_string_append_printf (s, " %s", append);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_CHAIN)
    g_string_append (s, yard_boot_entry_get_url (entry) ?: "?");
  else if (kind == YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT)
    {
      const char *script = yard_boot_entry_get_script (entry);
      guint lines = 0;
      for (const char *p = script; p != NULL && *p != '\0'; p++)
        lines += (*p == '\n');
      g_string_append_printf (s, "iPXE script, %u lines", lines);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_SUBMENU)
    {
      YardBootMenu *submenu = yard_boot_entry_get_submenu (entry);
      g_string_append_printf (s, "%u entries",
                              submenu ? yard_boot_menu_get_n_entries (submenu) : 0);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_LOCAL)
    g_string_append (s, "the local disk");

  if (yard_boot_entry_get_hidden (entry))
    g_string_append (s, " (hidden)");
  return g_string_free (s, FALSE);
}

static void
print_menu (YardBootMenu *menu,
            const char   *loader,
            const char   *uefi_loader)
{
  const char *default_id = yard_boot_menu_get_default_id (menu);
  guint timeout = yard_boot_menu_get_timeout (menu);
  guint port, baud;
  guint n = yard_boot_menu_get_n_entries (menu);
  Table *table;

  g_print ("Title:    %s\n", yard_boot_menu_get_title (menu) ?: "");
  if (timeout > 0)
    g_print ("Timeout:  %u s\n", timeout);
  else
    g_print ("Timeout:  none (waits for a choice)\n");
  g_print ("Default:  %s\n", default_id ? default_id : "none");
  if (yard_boot_menu_get_serial (menu, &port, &baud))
    g_print ("Serial:   port %u, %u baud\n", port, baud);
  else
    g_print ("Serial:   none\n");
  if (loader != NULL)
    g_print ("Loader:   %s on BIOS, %s on UEFI (what hosts in menu mode boot)\n",
             loader, uefi_loader ? uefi_loader : "?");

  if (n == 0)
    {
      g_print ("\nNo entries: add one with “bootyardctl menu add”.\n");
      return;
    }

  g_print ("\n");
  table = table_new ("POS", "ID", "LABEL", "KIND", "BOOTS", NULL);
  for (guint i = 0; i < n; i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char *id = yard_boot_entry_get_id (entry);

      table_add_row (table,
                     g_strdup_printf ("%u%s", i, g_strcmp0 (id, default_id) == 0 ? "*" : ""),
                     text_or_dash (id), text_or_dash (yard_boot_entry_get_label (entry)),
                     g_strdup (yard_boot_entry_kind_to_string (yard_boot_entry_get_kind (entry))),
                     entry_details (entry));
    }
  table_print_and_free (table);
  if (default_id != NULL)
    g_print ("(* the default entry)\n");
}

/* The menu a typed call answered with, in words */
static int
finish_menu (YardBootMenu *menu,
             const char   *loader,
             const char   *uefi_loader,
             GError       *error)
{
  if (menu == NULL)
    return fail (error);
  print_menu (menu, loader, uefi_loader);
  return EXIT_SUCCESS;
}

static int
cmd_menu_show (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_answer (ctl, "GET", "/menu", NULL);

  yard_client_get_menu_async (ctl->client, ctl->cancellable, result_cb, &result);
  menu = yard_client_get_menu_finish (ctl->client, wait_for (&result), &loader, &uefi_loader,
                                      &error);
  return finish_menu (menu, loader, uefi_loader, error);
}

/* "0,115200" → {"port": 0, "baud": 115200}; "none" → NULL with no error. */
static gboolean
parse_serial (const char  *text,
              JsonNode   **out,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint64 port, baud;
  g_autoptr(JsonObject) serial = NULL;

  if (g_str_equal (text, "none") || g_str_equal (text, "off"))
    {
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 3, &port, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 50, 4000000, &baud, NULL))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "--serial “%s” is not PORT,BAUD: give a port 0 to 3 and a speed, "
                   "as in --serial 0,115200 (or --serial none)", text);
      return FALSE;
    }

  serial = json_object_new ();
  json_object_set_int_member (serial, "port", port);
  json_object_set_int_member (serial, "baud", baud);
  *out = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (*out, serial);
  return TRUE;
}

static gboolean
parse_count (const char  *option,
             const char  *text,
             guint64      max,
             guint64     *out,
             GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "%s “%s” is not a number from 0 to %" G_GUINT64_FORMAT, option, text, max);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_menu_set (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader_now = NULL;
  g_autofree char *uefi_loader_now = NULL;
  g_autofree char *title = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *default_id = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  gboolean no_default = FALSE;
  int ret;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The menu's title"), N_("T") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout,
      N_("Seconds before the default entry boots (0: wait for a choice)"), N_("SECONDS") },
    { "default", 0, 0, G_OPTION_ARG_STRING, &default_id,
      N_("The entry that boots when the time is up"), N_("ID") },
    { "no-default", 0, 0, G_OPTION_ARG_NONE, &no_default, N_("Remove the default entry"), NULL },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial,
      N_("Serial console for pxelinux and iPXE, e.g. 0,115200 (“none” removes it)"),
      N_("PORT,BAUD") },
    { "loader", 0, 0, G_OPTION_ARG_STRING, &loader,
      N_("What BIOS hosts in menu mode boot: pxelinux, or ipxe (which reaches sanboot and chain "
         "entries)"), N_("pxelinux|ipxe") },
    { "uefi-loader", 0, 0, G_OPTION_ARG_STRING, &uefi_loader,
      N_("What UEFI hosts in menu mode boot: auto (shim and GRUB with Bootyard's DHCP, "
         "syslinux beside a router), grub (signed: boots with Secure Boot on), syslinux or "
         "ipxe"), N_("auto|grub|syslinux|ipxe") },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;

  if (title != NULL)
    json_object_set_string_member (changes, "title", title);
  if (timeout != NULL)
    {
      guint64 seconds;
      if (!parse_count ("--timeout", timeout, 86400, &seconds, &error))
        return fail (error);
      json_object_set_int_member (changes, "timeout", seconds);
    }
  if (default_id != NULL && no_default)
    return usage_error (ctl, "--default and --no-default exclude each other");
  if (default_id != NULL)
    json_object_set_string_member (changes, "default", default_id);
  if (no_default)
    json_object_set_null_member (changes, "default");
  if (serial != NULL)
    {
      JsonNode *node = NULL;
      if (!parse_serial (serial, &node, &error))
        return fail (error);
      json_object_set_member (changes, "serial", node);
    }
  /* the server checks the values: one rule, in one place */
  if (loader != NULL)
    json_object_set_string_member (changes, "loader", loader);
  if (uefi_loader != NULL)
    json_object_set_string_member (changes, "uefiLoader", uefi_loader);

  if (json_object_get_size (changes) == 0)
    return usage_error (ctl, "nothing to change: give --title, --timeout, --default, --serial, "
                        "--loader or --uefi-loader");

  if (ctl->json)
    return print_raw_answer (ctl, "PATCH", "/menu", changes);
  yard_client_update_menu_async (ctl->client, changes, ctl->cancellable, result_cb, &result);
  menu = yard_client_update_menu_finish (ctl->client, wait_for (&result), &loader_now,
                                         &uefi_loader_now, &error);
  return finish_menu (menu, loader_now, uefi_loader_now, error);
}

static int
cmd_menu_add (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(YardBootEntry) added = NULL;
  g_autoptr(JsonNode) added_json = NULL;
  const char *added_id;
  int position_number = -1;
  g_autofree char *label = NULL;
  g_autofree char *kernel = NULL;
  g_auto(GStrv) initrds = NULL;
  g_autofree char *append = NULL;
  gboolean localboot = FALSE;
  g_autofree char *memdisk = NULL;
  g_autofree char *memdisk_type = NULL;
  g_autofree char *chain = NULL;
  g_autofree char *image = NULL;
  g_autofree char *position = NULL;
  gboolean make_default = FALSE;
  guint kinds;
  int ret;
  const GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("What the menu shows (required)"), N_("L") },
    { "kernel", 0, 0, G_OPTION_ARG_STRING, &kernel,
      N_("Boot a Linux kernel, a path in the boot root"), N_("K") },
    { "initrd", 0, 0, G_OPTION_ARG_STRING_ARRAY, &initrds,
      N_("An initrd for --kernel (repeat for several, in order)"), N_("I") },
    { "append", 0, 0, G_OPTION_ARG_STRING, &append,
      N_("Kernel arguments (or memdisk's, with --memdisk)"), N_("A") },
    { "localboot", 0, 0, G_OPTION_ARG_NONE, &localboot, N_("Boot the local disk"), NULL },
    { "memdisk", 0, 0, G_OPTION_ARG_STRING, &memdisk,
      N_("Boot a disk image with memdisk, a path in the boot root (e.g. images/dos.iso)"),
      N_("IMAGE") },
    { "memdisk-type", 0, 0, G_OPTION_ARG_STRING, &memdisk_type,
      N_("The image's type for --memdisk: iso (default), floppy or harddisk"), N_("TYPE") },
    { "chain", 0, 0, G_OPTION_ARG_STRING, &chain,
      N_("Chain to an iPXE script or image at an http(s) URL"), N_("URL") },
    { "image", 0, 0, G_OPTION_ARG_STRING, &image,
      N_("What the server suggests for an image on it (image list), as after image add"),
      N_("NAME") },
    { "position", 0, 0, G_OPTION_ARG_STRING, &position,
      N_("Where to add it, counted from 0 (default: at the end)"), N_("N") },
    { "default", 0, 0, G_OPTION_ARG_NONE, &make_default,
      N_("Make it the default entry"), NULL },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;

  kinds = (kernel != NULL) + localboot + (memdisk != NULL) + (chain != NULL) + (image != NULL);
  if (kinds != 1)
    return usage_error (ctl, "give one of --kernel, --localboot, --memdisk, --chain or --image");
  if ((label == NULL || *label == '\0') && image == NULL)
    return usage_error (ctl, "give the entry's --label");
  if (initrds != NULL && kernel == NULL)
    return usage_error (ctl, "--initrd goes with --kernel");
  if (append != NULL && kernel == NULL && memdisk == NULL && image == NULL)
    return usage_error (ctl, "--append goes with --kernel, --memdisk or --image");
  if (memdisk_type != NULL && memdisk == NULL)
    return usage_error (ctl, "--memdisk-type goes with --memdisk");

  if (image != NULL)
    {
      /* The server inspects the image again and suggests its entry (memdisk, the kernel it
       * copied out, or sanboot); --label, --append, --position and --default still apply. */
      g_autoptr(GAsyncResult) got = NULL;
      g_autoptr(YardImageFile) answer = NULL;
      YardBootEntry *suggested;

      yard_client_get_image_async (ctl->client, image, ctl->cancellable, result_cb, &got);
      answer = yard_client_get_image_finish (ctl->client, wait_for (&got), &error);
      if (answer == NULL)
        return fail (error);
      suggested = answer->inspection != NULL
                  ? yard_image_inspection_get_entry (answer->inspection) : NULL;
      if (suggested == NULL)
        {
          const char *why = answer->inspection != NULL
                            ? yard_image_inspection_get_reason (answer->inspection)
                            : answer->error;
          g_printerr ("bootyardctl: the server suggests no menu entry for %s: %s\n", image,
                      why ? why : "it is not a boot image");
          return EXIT_USAGE;
        }
      /* a copy: the entry the request sends gets this command's label and options */
      entry = yard_boot_entry_copy (suggested);
      if (label == NULL || *label == '\0')
        label = g_strdup (yard_boot_entry_get_label (entry));
    }
  /* The request is the entry as core writes it; the server checks it (one rule, its own). */
  else if (kernel != NULL)
    entry = yard_boot_entry_new_linux (NULL, label, kernel, (const char * const *) initrds, NULL);
  else if (localboot)
    entry = yard_boot_entry_new_local (NULL, label);
  else if (memdisk != NULL)
    {
      YardMemdiskType type = YARD_MEMDISK_ISO;

      if (memdisk_type != NULL && !yard_memdisk_type_from_string (memdisk_type, &type))
        return usage_error (ctl, "--memdisk-type “%s” is not one of iso, floppy, harddisk",
                            memdisk_type);
      entry = yard_boot_entry_new_memdisk (NULL, label, memdisk, type, TRUE);
    }
  else
    entry = yard_boot_entry_new_chain (NULL, label, chain);
  yard_boot_entry_set_label (entry, label);
  if (append != NULL)
    yard_boot_entry_set_append (entry, append);
  if (position != NULL)
    {
      guint64 pos;
      if (!parse_count ("--position", position, G_MAXINT32, &pos, &error))
        return fail (error);
      position_number = pos;
    }

  if (ctl->json)
    {
      /* --json prints the server's answer as it came */
      g_autoptr(JsonNode) body = yard_boot_entry_to_json (entry);

      json_object_remove_member (json_node_get_object (body), "id");
      if (position_number >= 0)
        json_object_set_int_member (json_node_get_object (body), "position", position_number);

      yard_client_request_async (ctl->client, "POST", "/menu/entries", body, ctl->cancellable,
                                 result_cb, &result);
      added_json = yard_client_request_finish (ctl->client, wait_for (&result), &error);
      if (added_json == NULL)
        return fail (error);
      added_id = JSON_NODE_HOLDS_OBJECT (added_json)
                 ? string_member (json_node_get_object (added_json), "id") : NULL;
    }
  else
    {
      yard_client_add_menu_entry_async (ctl->client, entry, position_number, ctl->cancellable,
                                        result_cb, &result);
      added = yard_client_add_menu_entry_finish (ctl->client, wait_for (&result), &error);
      if (added == NULL)
        return fail (error);
      added_id = yard_boot_entry_get_id (added);
    }

  if (make_default && added_id != NULL)
    {
      g_autoptr(GAsyncResult) result2 = NULL;
      g_autoptr(JsonObject) changes = json_object_new ();
      g_autoptr(YardBootMenu) menu = NULL;

      json_object_set_string_member (changes, "default", added_id);
      yard_client_update_menu_async (ctl->client, changes, ctl->cancellable, result_cb, &result2);
      menu = yard_client_update_menu_finish (ctl->client, wait_for (&result2), NULL, NULL,
                                             &error);
      if (menu == NULL)
        {
          g_prefix_error (&error, "Added entry %s, but could not make it the default: ",
                          added_id);
          return fail (error);
        }
    }

  if (ctl->json)
    print_json_node (added_json);
  else
    g_print ("Added entry %s (“%s”)%s\n", added_id,
             yard_boot_entry_get_label (added) ?: label, make_default ? ", the default" : "");
  return EXIT_SUCCESS;
}

static int
cmd_menu_rm (Ctl   *ctl,
             int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;

  yard_client_remove_menu_entry_async (ctl->client, argv[1], ctl->cancellable, result_cb,
                                       &result);
  if (!yard_client_remove_menu_entry_finish (ctl->client, wait_for (&result), &error))
    return fail (error);

  if (ctl->json)
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      json_object_set_boolean_member (obj, "removed", TRUE);
      json_object_set_string_member (obj, "id", argv[1]);
      print_json_object (obj);
    }
  else
    g_print ("Removed entry %s\n", argv[1]);
  return EXIT_SUCCESS;
}

static int
cmd_menu_move (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  guint64 position;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 2, 2)) >= 0)
    return ret;

  if (!parse_count ("POSITION", argv[2], G_MAXINT32, &position, &error))
    return fail (error);

  if (ctl->json)
    {
      g_autofree char *path = segment_path ("/menu/entries/", argv[1], "/move");
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_int_member (body, "position", position);
      return print_raw_answer (ctl, "POST", path, body);
    }
  yard_client_move_menu_entry_async (ctl->client, argv[1], position, ctl->cancellable,
                                     result_cb, &result);
  menu = yard_client_move_menu_entry_finish (ctl->client, wait_for (&result), &loader,
                                             &uefi_loader, &error);
  return finish_menu (menu, loader, uefi_loader, error);
}

/* images */

typedef struct
{
  char     *name;
  gboolean  tty;
  gint64    started;      /* monotonic µs */
  gint64    last_draw;
  int       last_percent; /* plain output: the last quarter printed */
} Progress;

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_free (progress->name);
  g_free (progress);
}

/* g_format_size() puts a no-break space before the unit; the progress line counts bytes. */
static char *
format_size_ascii (guint64 size)
{
  g_autofree char *text = g_format_size (size);
  GString *s = g_string_new (text);

  g_string_replace (s, "\u00a0", " ", 0);
  return g_string_free (s, FALSE);
}

static int
terminal_width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
    return ws.ws_col;
  return 80;
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();
  int percent = total > 0 ? (int) (sent * 100 / total) : 100;

  if (progress->started == 0)
    progress->started = now;

  if (progress->tty)
    {
      g_autofree char *done = NULL;
      g_autofree char *all = NULL;
      g_autofree char *rate = NULL;
      g_autofree char *tail = NULL;
      GString *line;
      double seconds = (now - progress->started) / (double) G_USEC_PER_SEC;
      int bar;
      int filled;

      /* Redraw at most ten times a second, and always at the end. */
      if (sent < total && now - progress->last_draw < G_USEC_PER_SEC / 10)
        return;
      progress->last_draw = now;

      done = format_size_ascii (sent);
      all = format_size_ascii (total);
      rate = seconds > 0.2 ? format_size_ascii ((guint64) (sent / seconds)) : g_strdup ("");
      /* Fixed widths, so the bar does not jitter as the numbers change. */
      tail = g_strdup_printf (" %3d%%  %9s / %-9s  %9s%s", percent, done, all, rate,
                              *rate ? "/s" : "  ");

      line = g_string_new ("\r");
      g_string_append_printf (line, "%-16.16s [", progress->name);
      bar = terminal_width () - 16 - 3 - (int) strlen (tail) - 1;
      bar = CLAMP (bar, 10, 60);
      filled = total > 0 ? (int) (bar * sent / total) : bar;
      for (int i = 0; i < bar; i++)
        g_string_append_c (line, i < filled ? '#' : '-');
      g_string_append_printf (line, "]%s\033[K", tail);
      fputs (line->str, stderr);
      fflush (stderr);
      g_string_free (line, TRUE);
    }
  else if (percent / 25 > progress->last_percent / 25 || (sent == 0 && progress->last_percent < 0))
    {
      /* A log, not an animation: one line at the start and each quarter. */
      g_autofree char *done = g_format_size (sent);
      g_autofree char *all = g_format_size (total);

      progress->last_percent = percent;
      g_printerr ("Uploading %s: %d%% (%s of %s)\n", progress->name, percent, done, all);
    }
}

static void
print_inspection (const YardImageFile *image)
{
  YardImageInspection *inspection = image->inspection;
  YardBootEntry *suggested = inspection != NULL ? yard_image_inspection_get_entry (inspection)
                                                : NULL;
  g_autofree char *size = g_format_size (image->size);

  g_print ("Image:      %s\n", image->name ? image->name : "?");
  g_print ("Size:       %s\n", size);
  if (inspection == NULL)
    return;
  /* the human name (what an entry is called), not the ISO volume label ("ISOIMAGE") */
  if (yard_image_inspection_get_label (inspection) != NULL)
    g_print ("Name:       %s\n", yard_image_inspection_get_label (inspection));
  if (yard_image_inspection_get_volume_label (inspection) != NULL)
    g_print ("Volume label: %s\n", yard_image_inspection_get_volume_label (inspection));
  if (yard_image_inspection_get_distribution (inspection) != NULL)
    g_print ("System:     %s\n", yard_image_inspection_get_distribution (inspection));
  g_print ("Bootable:   %s\n", yard_image_inspection_get_bootable (inspection) ? "yes" : "no");
  if (yard_image_inspection_get_image_class (inspection) != NULL)
    g_print ("Boots with: %s\n", yard_image_inspection_get_image_class (inspection));
  if (yard_image_inspection_get_reason (inspection) != NULL)
    g_print ("Why:        %s\n", yard_image_inspection_get_reason (inspection));
  if (suggested != NULL)
    {
      g_autofree char *details = entry_details (suggested);

      g_print ("Suggested:  “%s” (%s: %s)\n", yard_boot_entry_get_label (suggested) ?: "?",
               yard_boot_entry_kind_to_string (yard_boot_entry_get_kind (suggested)), details);
    }
}

static int
cmd_image_add (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(YardImageFile) image = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(YardBootEntry) added = NULL;
  g_autofree char *name = NULL;
  gboolean no_entry = FALSE;
  gboolean replace = FALSE;
  Progress *progress;
  int ret;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("Name on the server (default: the file's name)"), N_("NAME") },
    { "no-entry", 0, 0, G_OPTION_ARG_NONE, &no_entry,
      N_("Only upload: add no boot menu entry"), NULL },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace an image of that name on the server"), NULL },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries,
                            _("Uploads the file into the boot root's images/ directory, shows "
                              "what it is and how it will boot, and adds its boot menu "
                              "entry. An image of that name already there is left alone "
                              "unless --replace."),
                            &argc, &argv, 1, 1)) >= 0)
    return ret;

  file = g_file_new_for_commandline_arg (argv[1]);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            ctl->cancellable, &error);
  if (info == NULL)
    {
      g_printerr ("bootyardctl: cannot read “%s”: %s\n", argv[1], error->message);
      return EXIT_USAGE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_printerr ("bootyardctl: “%s” is not a regular file: give an ISO or disk image\n",
                  argv[1]);
      return EXIT_USAGE;
    }

  progress = g_new0 (Progress, 1);
  progress->name = name ? g_strdup (name) : g_file_get_basename (file);
  progress->tty = isatty (STDERR_FILENO);
  progress->last_percent = -1;

  yard_client_upload_image_async (ctl->client, file, name,
                                  replace ? YARD_CLIENT_UPLOAD_REPLACE : YARD_CLIENT_UPLOAD_NONE,
                                  progress_cb, progress, progress_free, ctl->cancellable,
                                  result_cb, &result);
  image = yard_client_upload_image_finish (ctl->client, wait_for (&result), &answer, &error);
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");
  if (image == NULL)
    {
      /* A local read error is the caller's; anything else is the server's or the network's. */
      if (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED)
        {
          g_printerr ("bootyardctl: %s\n", error->message);
          return EXIT_USAGE;
        }
      if (g_error_matches (error, YARD_ERROR, YARD_ERROR_EXISTS))
        {
          g_printerr ("bootyardctl: %s (--replace, or --name NAME)\n", error->message);
          return EXIT_CONFLICT;
        }
      return fail (error);
    }

  /* One step, as a drop in the app: the entry the server suggests goes into the menu, unless
   * entries boot it already (a replaced image keeps its entries: they name the same files). */
  if (!no_entry && image->menu_entries->len == 0)
    {
      YardBootEntry *suggested = image->inspection != NULL
                                 ? yard_image_inspection_get_entry (image->inspection) : NULL;
      g_autoptr(GAsyncResult) result2 = NULL;

      if (suggested == NULL)
        {
          const char *reason = image->inspection != NULL
                               ? yard_image_inspection_get_reason (image->inspection) : NULL;

          g_printerr ("bootyardctl: the image was uploaded, but the server suggests no menu "
                      "entry for it (%s); “bootyardctl image rm %s” removes it\n",
                      reason != NULL ? reason : "not bootable", image->name);
          return EXIT_SERVER_FAILED;
        }
      yard_client_add_menu_entry_async (ctl->client, suggested, -1, ctl->cancellable, result_cb,
                                        &result2);
      added = yard_client_add_menu_entry_finish (ctl->client, wait_for (&result2), &error);
      if (added == NULL)
        {
          g_prefix_error (&error, "The image was uploaded, but adding its entry failed: ");
          return fail (error);
        }
    }

  if (ctl->json)
    {
      /* the server's answer, and the entry as the server wrote it: core's codec both ways */
      if (added != NULL)
        {
          JsonNode *added_json = yard_boot_entry_to_json (added);

          if (yard_boot_entry_get_support (added) != NULL)
            json_object_set_member (json_node_get_object (added_json), "support",
                                    yard_boot_support_to_json (yard_boot_entry_get_support (added)));
          json_object_set_member (answer, "addedEntry", added_json);
        }
      print_json_object (answer);
    }
  else
    {
      print_inspection (image);
      if (added != NULL)
        g_print ("Added entry %s to the menu\n", yard_boot_entry_get_id (added));
      for (guint i = 0; !no_entry && added == NULL && i < image->menu_entries->len; i++)
        g_print ("Already in the menu: %s\n",
                 ((YardImageEntryRef *) g_ptr_array_index (image->menu_entries, i))->id);
    }
  return EXIT_SUCCESS;
}

static int
cmd_image_list (Ctl   *ctl,
                int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) images = NULL;
  Table *table;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_list (ctl, "/images", "images");

  yard_client_list_images_async (ctl->client, ctl->cancellable, result_cb, &result);
  images = yard_client_list_images_finish (ctl->client, wait_for (&result), &error);
  if (images == NULL)
    return fail (error);

  if (images->len == 0)
    {
      g_print ("No images: upload one with “bootyardctl image add FILE”.\n");
      return EXIT_SUCCESS;
    }

  table = table_new ("NAME", "SIZE", "BYTES", "MODIFIED", NULL);
  for (guint i = 0; i < images->len; i++)
    {
      const YardImageFile *image = g_ptr_array_index (images, i);
      g_autoptr(GDateTime) modified = image->modified > 0
                                      ? g_date_time_new_from_unix_utc (image->modified) : NULL;

      table_add_row (table, text_or_dash (image->name), g_format_size (image->size),
                     g_strdup_printf ("%" G_GUINT64_FORMAT, image->size),
                     modified ? g_date_time_format (modified, "%Y-%m-%dT%H:%M:%SZ")
                              : g_strdup ("-"));
    }
  table_print_and_free (table);
  return EXIT_SUCCESS;
}

static int
cmd_image_rm (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean with_entries = FALSE;
  int ret;
  const GOptionEntry entries[] = {
    { "with-entries", 0, 0, G_OPTION_ARG_NONE, &with_entries,
      N_("Also remove the boot menu entries that boot it"), NULL },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries,
                            _("Deletes an image and what was copied out of it. An image that "
                              "boot menu entries use is kept, naming them, unless "
                              "--with-entries."),
                            &argc, &argv, 1, 1)) >= 0)
    return ret;

  yard_client_delete_image_async (ctl->client, argv[1], with_entries, ctl->cancellable,
                                  result_cb, &result);
  if (!yard_client_delete_image_finish (ctl->client, wait_for (&result), &error))
    {
      if (g_error_matches (error, YARD_ERROR, YARD_ERROR_IN_USE))
        {
          g_printerr ("bootyardctl: %s (--with-entries)\n", error->message);
          return EXIT_CONFLICT;
        }
      return fail (error);
    }

  if (ctl->json)
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      json_object_set_boolean_member (obj, "removed", TRUE);
      json_object_set_string_member (obj, "name", argv[1]);
      print_json_object (obj);
    }
  else
    g_print ("Removed image %s\n", argv[1]);
  return EXIT_SUCCESS;
}

/* hosts */

/* What the server takes (core's one rule), checked before anything is sent. */
static gboolean
check_mac (const char  *mac,
           GError     **error)
{
  g_autofree char *normalized = yard_mac_normalize (mac, error);

  return normalized != NULL;
}

/* lastSeen as the API writes it (yard_host_to_json), "-" for never */
static char *
host_last_seen_text (const YardHost *host)
{
  g_autoptr(GDateTime) dt = NULL;

  if (host->last_seen <= 0)
    return g_strdup ("-");
  dt = g_date_time_new_from_unix_utc (host->last_seen);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static void
print_host (const YardHost *host)
{
  g_autofree char *last_seen = host_last_seen_text (host);
  const struct { const char *title; const char *text; } rows[] = {
    { "MAC", host->mac },
    { "Name", host->name },
    { "Mode", yard_host_mode_to_string (host->mode) },
    { "Once", host->once ? "yes" : "no" },
    { "Script URL", host->script_url },
    { "Arch", host->arch },
    { "Address", host->address },
    { "Last seen", last_seen },
    { "Vendor", host->vendor_class },
    { "UUID", host->uuid },
  };
  static const struct { const char *member; const char *title; } machine_rows[] = {
    { "manufacturer", "Maker" },
    { "product", "Product" },
    { "serial", "Serial" },
    { "uuid", "SMBIOS UUID" },
    { "nic", "NIC" },
  };
  JsonObject *machine = host->machine;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *text = text_or_dash (rows[i].text);
      g_print ("%-11s %s\n", rows[i].title, text);
    }
  /* what its iPXE reported (yard_host_machine_from_query: checked text, memory in bytes) */
  if (machine != NULL)
    {
      gint64 memory = int_member (machine, "memory", 0);

      for (guint i = 0; i < G_N_ELEMENTS (machine_rows); i++)
        if (string_member (machine, machine_rows[i].member) != NULL)
          g_print ("%-11s %s\n", machine_rows[i].title,
                   string_member (machine, machine_rows[i].member));
      if (memory > 0)
        {
          g_autofree char *size = g_format_size_full (memory, G_FORMAT_SIZE_IEC_UNITS);

          g_print ("%-11s %s\n", "Memory", size);
        }
    }

  if (host->script != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (host->script, "\n", -1);
      guint n = g_strv_length (lines);

      /* A trailing newline makes no empty last line. */
      if (n > 0 && lines[n - 1][0] == '\0')
        n--;
      g_print ("Script:\n");
      for (guint i = 0; i < n; i++)
        g_print ("    %s\n", lines[i]);
    }
  else
    g_print ("%-11s -\n", "Script");
}

static int
cmd_host_list (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  Table *table;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_list (ctl, "/hosts", "hosts");

  yard_client_list_hosts_async (ctl->client, ctl->cancellable, result_cb, &result);
  hosts = yard_client_list_hosts_finish (ctl->client, wait_for (&result), &error);
  if (hosts == NULL)
    return fail (error);

  if (hosts->len == 0)
    {
      g_print ("No hosts yet: they appear when they PXE boot, or with “bootyardctl host set”.\n");
      return EXIT_SUCCESS;
    }

  table = table_new ("MAC", "NAME", "MODE", "ONCE", "ARCH", "ADDRESS", "LAST SEEN", NULL);
  for (guint i = 0; i < hosts->len; i++)
    {
      const YardHost *host = g_ptr_array_index (hosts, i);

      table_add_row (table, text_or_dash (host->mac), text_or_dash (host->name),
                     g_strdup (yard_host_mode_to_string (host->mode)),
                     g_strdup (host->once ? "yes" : "no"), text_or_dash (host->arch),
                     text_or_dash (host->address), host_last_seen_text (host));
    }
  table_print_and_free (table);
  return EXIT_SUCCESS;
}

static int
cmd_host_show (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardHost) host = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);
  if (ctl->json)
    {
      g_autofree char *path = segment_path ("/hosts/", argv[1], NULL);
      return print_raw_answer (ctl, "GET", path, NULL);
    }

  yard_client_get_host_async (ctl->client, argv[1], ctl->cancellable, result_cb, &result);
  host = yard_client_get_host_finish (ctl->client, wait_for (&result), &error);
  if (host == NULL)
    return fail (error);
  print_host (host);
  return EXIT_SUCCESS;
}

static gboolean
read_script (const char  *path,
             char       **out,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
                                  &local_error) < 0)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       "Cannot read the script from standard input: %s", local_error->message);
          return FALSE;
        }
      g_output_stream_write (mem, "", 1, NULL, NULL);
      *out = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (mem));
    }
  else if (!g_file_get_contents (path, out, NULL, &local_error))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "Cannot read the script: %s", local_error->message);
      return FALSE;
    }

  if (!g_utf8_validate (*out, -1, NULL))
    {
      g_clear_pointer (out, g_free);
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The script “%s” is not UTF-8 text", path);
      return FALSE;
    }
  return TRUE;
}

/* A host policy's members from --mode, --script FILE and --url, as PUT /hosts takes them
 * (host set, host wake). */
static gboolean
set_policy_members (JsonObject  *policy,
                    const char  *mode,
                    const char  *script_file,
                    const char  *url,
                    GError     **error)
{
  g_autofree char *script = NULL;

  if (script_file != NULL && !read_script (script_file, &script, error))
    return FALSE;
  if (mode != NULL)
    json_object_set_string_member (policy, "mode", mode);
  if (script != NULL)
    json_object_set_string_member (policy, "script", script);
  if (url != NULL)
    json_object_set_string_member (policy, "scriptUrl", url);
  return TRUE;
}

static int
cmd_host_set (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(YardHost) host = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *script_file = NULL;
  g_autofree char *url = NULL;
  g_autofree char *name = NULL;
  gboolean once = FALSE;
  gboolean always = FALSE;
  int ret;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("menu (the shared menu), script (its own), url (chain to a URL), disk (local disk) "
         "or ignore"), N_("MODE") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script_file,
      N_("The host's iPXE script, a file starting with #!ipxe (- reads standard input)"),
      N_("FILE") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The http(s) URL of its script"), N_("URL") },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_("Boot this way once, then from the local disk"), NULL },
    { "always", 0, 0, G_OPTION_ARG_NONE, &always,
      N_("Boot this way every time (undoes --once)"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("A name for people"), N_("NAME") },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);

  if (mode != NULL && !g_strv_contains ((const char *[]) { "menu", "script", "url", "disk",
                                                           "ignore", NULL }, mode))
    return usage_error (ctl, "--mode “%s” is not one of menu, script, url, disk, ignore", mode);
  if (once && always)
    return usage_error (ctl, "--once and --always exclude each other");
  if (!set_policy_members (changes, mode, script_file, url, &error))
    return fail (error);

  if (name != NULL)
    json_object_set_string_member (changes, "name", name);
  if (once || always)
    json_object_set_boolean_member (changes, "once", once);

  if (json_object_get_size (changes) == 0)
    return usage_error (ctl, "nothing to change: give --mode, --script, --url, --once, --always "
                        "or --name");

  if (ctl->json)
    {
      g_autofree char *path = segment_path ("/hosts/", argv[1], NULL);
      return print_raw_answer (ctl, "PUT", path, changes);
    }
  yard_client_put_host_async (ctl->client, argv[1], changes, ctl->cancellable, result_cb,
                              &result);
  host = yard_client_put_host_finish (ctl->client, wait_for (&result), &error);
  if (host == NULL)
    return fail (error);
  print_host (host);
  return EXIT_SUCCESS;
}

static int
cmd_host_rm (Ctl   *ctl,
             int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);

  yard_client_delete_host_async (ctl->client, argv[1], ctl->cancellable, result_cb, &result);
  if (!yard_client_delete_host_finish (ctl->client, wait_for (&result), &error))
    return fail (error);

  if (ctl->json)
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      json_object_set_boolean_member (obj, "removed", TRUE);
      json_object_set_string_member (obj, "mac", argv[1]);
      print_json_object (obj);
    }
  else
    g_print ("Removed host %s\n", argv[1]);
  return EXIT_SUCCESS;
}

static int
cmd_host_wake (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) policy = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *script_file = NULL;
  g_autofree char *url = NULL;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("Boot this way once (menu, script, url, disk), then from the local disk"), N_("MODE") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script_file,
      N_("The iPXE script for that boot, a file starting with #!ipxe (- reads standard input)"),
      N_("FILE") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The http(s) URL of its script"), N_("URL") },
    { NULL }
  };
  int ret;

  if ((ret = parse_command (ctl, entries,
                            _("Sends the Wake-on-LAN packet. With --mode, --script or --url the "
                              "host first gets that policy for one boot."),
                            &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);
  /* --script or --url alone say the mode */
  if (mode == NULL && (script_file != NULL || url != NULL))
    mode = g_strdup (script_file != NULL ? "script" : "url");
  if (!set_policy_members (policy, mode, script_file, url, &error))
    return fail (error);
  if (json_object_get_size (policy) > 0)
    body = json_node_init_object (json_node_alloc (), policy);

  escaped = g_uri_escape_string (argv[1], NULL, FALSE);
  path = g_strdup_printf ("/hosts/%s/wake", escaped);
  yard_client_request_async (ctl->client, "POST", path, body, ctl->cancellable, result_cb,
                             &result);
  answer = yard_client_request_finish (ctl->client, wait_for (&result), &error);
  if (answer == NULL)
    return fail (error);
  if (ctl->json)
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      json_object_set_boolean_member (obj, "woken", TRUE);
      json_object_set_string_member (obj, "mac", argv[1]);
      if (JSON_NODE_HOLDS_OBJECT (answer))
        json_object_set_object_member (obj, "host",
                                       json_object_ref (json_node_get_object (answer)));
      print_json_object (obj);
    }
  else
    {
      if (mode != NULL)
        g_print (_("Host %s boots with “%s” once, then from its disk\n"), argv[1], mode);
      g_print (_("Sent the Wake-on-LAN packet to %s\n"), argv[1]);
    }
  return EXIT_SUCCESS;
}

/* doctor */

/* text for a line: NULL as "" */
static const char *
text_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static void
print_responders (YardNetworkReport *report)
{
  GPtrArray *responders = yard_network_report_get_responders (report);

  g_print (_("Network on %s (%s):\n"), text_or_empty (yard_network_report_get_interface (report)),
           text_or_empty (yard_network_report_get_time (report)));
  for (guint i = 0; i < responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (responders, i);
      const char *file = text_or_empty (r->boot_file);

      g_print ("  %-16s %s%s%s%s\n", text_or_empty (r->address),
               r->pxe && r->dhcp ? _("DHCP and PXE boot server") : r->pxe ? _("PXE boot server")
                                                                        : _("DHCP server"),
               *file != '\0' ? ", " : "", file, r->self ? _(" (this Bootyard)") : "");
    }
  if (responders->len == 0)
    g_print (_("  Nobody answered a PXE client's DHCP request.\n"));
  else if (yard_network_report_count_other_servers (report) > 0)
    g_print (_("  Another boot server answers here: clients may boot from it instead.\n"));
}

/* GET COLLECTION, or COLLECTION/MAC for one client's part (doctor, activity), as sent: what
 * --json prints. */
static int
print_for_mac (Ctl        *ctl,
               const char *collection,
               const char *mac)
{
  g_autofree char *path = mac != NULL ? segment_path (collection, mac, "")
                                      : g_strndup (collection, strlen (collection) - 1);

  return print_raw_answer (ctl, "GET", path, NULL);
}

static int
cmd_doctor (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(YardNetworkReport) report = NULL;
  gboolean network = FALSE;
  const GOptionEntry entries[] = {
    { "network", 0, 0, G_OPTION_ARG_NONE, &network,
      N_("Ask the network now who answers DHCP and PXE (takes a few seconds)"), NULL },
    { NULL }
  };
  const char *mac;
  int ret;

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 0, 1)) >= 0)
    return ret;
  if (argc == 2 && !check_mac (argv[1], &error))
    return fail (error);
  mac = argc == 2 ? argv[1] : NULL;

  if (network)
    {
      if (ctl->json)
        return print_raw_answer (ctl, "POST", "/doctor/network", NULL);
      yard_client_probe_network_async (ctl->client, ctl->cancellable, result_cb, &result);
      report = yard_client_probe_network_finish (ctl->client, wait_for (&result), &error);
      if (report == NULL)
        return fail (error);
      print_responders (report);
      return EXIT_SUCCESS;
    }

  if (ctl->json)
    return print_for_mac (ctl, "/doctor/", mac);
  yard_client_get_doctor_async (ctl->client, mac, ctl->cancellable, result_cb, &result);
  verdicts = yard_client_get_doctor_finish (ctl->client, wait_for (&result), &report, &error);
  if (verdicts == NULL)
    return fail (error);

  if (verdicts->len == 0)
    g_print (_("No boot to report yet.\n"));
  for (guint i = 0; i < verdicts->len; i++)
    {
      YardBootVerdict *v = g_ptr_array_index (verdicts, i);
      const char *address = text_or_empty (yard_boot_verdict_get_address (v));
      const char *advice = text_or_empty (yard_boot_verdict_get_advice (v));

      g_print ("%s %s%s%s%s  %s\n", text_or_empty (yard_boot_verdict_get_time (v)),
               text_or_empty (yard_boot_verdict_get_mac (v)), *address ? " (" : "", address,
               *address ? ")" : "", text_or_empty (yard_boot_verdict_get_title (v)));
      g_print ("  %s\n", text_or_empty (yard_boot_verdict_get_detail (v)));
      if (*advice != '\0')
        g_print (_("  What to do: %s\n"), advice);
    }
  if (mac == NULL && report != NULL)
    print_responders (report);
  return EXIT_SUCCESS;
}

/* activity */

/* "2026-12-03T04:40:12Z" -> "2026-12-03 05:40" in local time; the text itself if it does not
 * parse. */
static char *
local_time_text (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (iso ? iso : "?");
}

/* "efi-x64" -> "UEFI x86-64" (yard-arch.h); the name itself when the table has none. */
static const char *
arch_words (const char *name)
{
  const YardClientArch *arch;
  guint code;

  if (name == NULL || !yard_client_arch_from_name (name, &code) ||
      (arch = yard_client_arch_lookup (code)) == NULL)
    return name;
  return arch->display;
}

static void
print_boot (YardBootRecord *boot)
{
  YardBootVerdict *verdict = yard_boot_record_get_verdict (boot);
  GPtrArray *events = yard_boot_record_get_events (boot);
  g_autofree char *started = local_time_text (yard_boot_record_get_started (boot));
  g_autoptr(GString) who = g_string_new (yard_boot_record_get_name (boot));
  g_autoptr(GString) steps = g_string_new (NULL);
  const char *arch = arch_words (yard_boot_record_get_arch (boot));
  const char *mac = text_or_empty (yard_boot_record_get_mac (boot));
  const char *address = text_or_empty (yard_boot_record_get_address (boot));

  if (*mac != '\0')
    g_string_append_printf (who, who->len > 0 ? " (%s)" : "%s", mac);
  if (*address != '\0')
    g_string_append_printf (who, who->len > 0 ? " %s" : "%s", address);
  g_print ("%s  %s%s%s  %s\n", started, who->str, arch != NULL ? ", " : "", arch ? arch : "",
           verdict != NULL ? text_or_empty (yard_boot_verdict_get_title (verdict))
                           : _("(no verdict yet)"));

  /* what went out, in order: the boot file offered, then each file sent */
  for (guint i = 0; i < events->len; i++)
    {
      YardBootEvent *event = g_ptr_array_index (events, i);
      const char *kind = yard_boot_event_get_kind (event);
      const char *file = NULL;

      if (g_str_equal (kind, "dhcp-answered"))
        file = yard_boot_event_get_boot_file (event);
      else if (g_str_equal (kind, "transfer-finished"))
        file = yard_boot_event_get_file (event);
      else if (g_str_equal (kind, "transfer-failed"))
        {
          g_string_append_printf (steps, "%s%s (%s)", steps->len > 0 ? ", " : "",
                                  text_or_empty (yard_boot_event_get_file (event)), _("stopped"));
          continue;
        }
      if (file == NULL || *file == '\0')
        continue;
      g_string_append_printf (steps, "%s%s%s", steps->len > 0 ? ", " : "",
                              g_str_equal (kind, "dhcp-answered") ? _("offered ") : "", file);
    }
  if (steps->len > 0)
    g_print ("  %s\n", steps->str);
  if (verdict != NULL && !yard_boot_verdict_get_ok (verdict))
    {
      const char *advice = text_or_empty (yard_boot_verdict_get_advice (verdict));

      g_print ("  %s\n", text_or_empty (yard_boot_verdict_get_detail (verdict)));
      if (*advice != '\0')
        g_print (_("  What to do: %s\n"), advice);
    }
}

static int
cmd_activity (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) boots = NULL;
  int count = 20;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count,
      N_("Show the N most recent boots (default 20; 0: all the server keeps)"), N_("N") },
    { NULL }
  };
  const char *mac;
  int ret;

  if ((ret = parse_command (ctl, entries,
                            _("Lists the recent network boots, newest first: who booted, what "
                              "went out, and the boot doctor's verdict. The server keeps the "
                              "last 200 across restarts."),
                            &argc, &argv, 0, 1)) >= 0)
    return ret;
  if (count < 0)
    {
      g_printerr ("bootyardctl: --count must be 0 or more\n");
      return EXIT_USAGE;
    }
  if (argc == 2 && !check_mac (argv[1], &error))
    return fail (error);
  mac = argc == 2 ? argv[1] : NULL;
  if (ctl->json)
    return print_for_mac (ctl, "/activity/", mac);
  yard_client_get_activity_async (ctl->client, mac, ctl->cancellable, result_cb, &result);
  boots = yard_client_get_activity_finish (ctl->client, wait_for (&result), &error);
  if (boots == NULL)
    return fail (error);
  if (boots->len == 0)
    g_print (_("No boot yet.\n"));
  for (guint i = 0; i < boots->len && (count == 0 || i < (guint) count); i++)
    print_boot (g_ptr_array_index (boots, i));
  return EXIT_SUCCESS;
}

/* events */

typedef struct
{
  Ctl       *ctl;
  GMainLoop *loop;
  gint64     remaining;  /* --count: events left to print, or -1 */
  gboolean   ever_connected;
  int        status;
} Follow;

static void
follow_event_cb (YardEventStream *stream,
                 const char      *kind,
                 JsonObject      *data,
                 gpointer         user_data)
{
  Follow *follow = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  if (follow->ctl->json)
    {
      g_autoptr(JsonObject) line = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;
      g_autofree char *iso = g_date_time_format_iso8601 (now);

      json_object_set_string_member (line, "time", iso);
      json_object_set_string_member (line, "kind", kind);
      json_object_set_object_member (line, "data", json_object_ref (data));
      json_node_set_object (node, line);
      text = json_to_string (node, FALSE);
      g_print ("%s\n", text);
    }
  else
    {
      g_autoptr(GList) members = json_object_get_members (data);
      GString *line = g_string_new (NULL);

      g_string_append_printf (line, "%s %s", time, kind);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (data, l->data);
          g_autofree char *value = NULL;

          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            {
              const char *s = json_node_get_string (node);
              /* Quote only what would not read as one word. */
              value = (*s == '\0' || strpbrk (s, " \t\n\"=") != NULL) ? json_to_string (node, FALSE)
                                                                      : g_strdup (s);
            }
          else
            value = json_to_string (node, FALSE);
          g_string_append_printf (line, " %s=%s", (const char *) l->data, value);
        }
      g_print ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
  /* One line per event, as it happens, also into a pipe. */
  fflush (stdout);

  if (follow->remaining > 0 && --follow->remaining == 0)
    {
      follow->status = EXIT_SUCCESS;
      g_main_loop_quit (follow->loop);
    }
}

static void
follow_notify_connected_cb (YardEventStream *stream,
                            GParamSpec      *pspec,
                            gpointer         user_data)
{
  Follow *follow = user_data;

  if (yard_event_stream_get_connected (stream))
    follow->ever_connected = TRUE;
}

static void
follow_disconnected_cb (YardEventStream *stream,
                        const GError    *error,
                        gpointer         user_data)
{
  Follow *follow = user_data;

  /* Before the first connection, or with a refused token, there is nothing to follow; a
   * stream that worked once comes back by itself (a server restart). */
  if (!follow->ever_connected || g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    {
      follow->status = fail (error);
      g_main_loop_quit (follow->loop);
      return;
    }
  g_printerr ("bootyardctl: %s; reconnecting\n", error->message);
}

static gboolean
follow_interrupt_cb (gpointer user_data)
{
  Follow *follow = user_data;

  follow->status = EXIT_SUCCESS;
  g_main_loop_quit (follow->loop);
  return G_SOURCE_CONTINUE;
}

static int
cmd_events (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(YardEventStream) stream = NULL;
  g_autofree char *count = NULL;
  g_autoptr(GError) error = NULL;
  Follow follow = { ctl, NULL, -1, FALSE, EXIT_SUCCESS };
  guint sigint_id;
  int ret;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count,
      N_("Exit after N events (the first is always “hello”)"), N_("N") },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries,
                            _("Prints one line per event until interrupted: the time, the "
                              "event's kind and its fields. With --json, one JSON object per "
                              "line: {\"time\", \"kind\", \"data\"}."),
                            &argc, &argv, 0, 0)) >= 0)
    return ret;

  if (count != NULL)
    {
      guint64 n;
      if (!parse_count ("--count", count, G_MAXINT32, &n, &error))
        return fail (error);
      if (n == 0)
        return usage_error (ctl, "--count must be at least 1");
      follow.remaining = n;
    }

  follow.loop = g_main_loop_new (NULL, FALSE);
  stream = yard_event_stream_new (ctl->client);
  g_signal_connect (stream, "event", G_CALLBACK (follow_event_cb), &follow);
  g_signal_connect (stream, "disconnected", G_CALLBACK (follow_disconnected_cb), &follow);
  g_signal_connect (stream, "notify::connected", G_CALLBACK (follow_notify_connected_cb),
                    &follow);
  /* Ctrl+C ends following normally: it is how one stops it. */
  sigint_id = g_unix_signal_add (SIGINT, follow_interrupt_cb, &follow);

  yard_event_stream_start (stream);
  g_main_loop_run (follow.loop);

  g_source_remove (sigint_id);
  g_signal_handlers_disconnect_by_data (stream, &follow);
  yard_event_stream_stop (stream);
  g_main_loop_unref (follow.loop);
  return follow.status;
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
