/* yard-http-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One libsoup server carries two things: /boot/, the boot root for iPXE (kernels, initrds and
 * multi-GiB ISOs for sanboot, so files are streamed chunk by chunk from a pread, never read
 * whole), plus each host's own script at /boot/<mac>.ipxe; and /api/v1, the API, which stays
 * up when the boot services are stopped. Names from the network reach the disk only through
 * yard_root_open_file(), the same gate TFTP uses.
 *
 * The "once" policy (Equinix Metal's one-time PXE): when a host with once=true has been served
 * its script, the next /boot/ file that the same client address fetches completely (its kernel
 * or image) switches the host to disk.
 */

#define G_LOG_DOMAIN "yard-http-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "yard-api.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-http-server.h"
#include "yard-ipxe.h"
#include "yard-root-file.h"
#include "yard-socket.h"

/* Big enough that a chunk costs few trips through the main loop, small enough that 50
 * concurrent readers stay far below the memory of one kernel image. */
#define CHUNK_SIZE (512 * 1024)
#define PROGRESS_INTERVAL_USEC (500 * 1000)
/* Bodies from this size on (kernels, initrds, images, sanboot's larger reads) go out by
 * sendfile(2): no copy through user space, as nginx does. For that the connection is taken
 * from libsoup for the body and handed back to it afterwards (soup_server_accept_iostream),
 * so keep-alive still works. Smaller ones (scripts, HEAD, 304, errors) stay with libsoup. */
#define SENDFILE_MIN (256 * 1024)
/* At most this much per socket wake-up, so that 50 clients take turns. */
#define SENDFILE_SLICE (4 * 1024 * 1024)

typedef struct _Transfer Transfer;

struct _YardHttpServer
{
  GObject      parent_instance;
  YardServer  *server;       /* owner, not referenced */
  SoupServer  *soup;         /* NULL while not listening */
  YardApi     *api;
  guint16      port;
  gboolean     serve_boot;
  int          root_fd;      /* -1 until listening */
  GHashTable  *transfers;    /* Transfer* set */
  GHashTable  *once_pending; /* peer address -> mac: script served to a "once" host */
  GHashTable  *adopted;      /* "ip:port" -> GSocket of connections handed back to libsoup */
};

G_DEFINE_FINAL_TYPE (YardHttpServer, yard_http_server, G_TYPE_OBJECT)

struct _Transfer
{
  YardHttpServer    *self;
  SoupServerMessage *msg;
  int                fd;
  char              *file;
  char              *peer;
  guint64            size;     /* the file's size */
  guint64            next;     /* next offset to read */
  guint64            end;      /* one past the last byte to send */
  guint64            length;   /* bytes this response carries */
  guint64            queued;   /* bytes handed to libsoup */
  guint64            sent;     /* bytes written to the socket */
  gint64             started;
  gint64             last_progress;
  gboolean           done;
  /* sendfile path: the connection taken from libsoup, the response head we write ourselves */
  GIOStream         *conn;
  GSocket           *socket;
  GString           *head;
  gsize              head_sent;
  GSource           *watch;
  guint              take_over_id;
  gboolean           keep_alive;
};

static void
transfer_free (Transfer *t)
{
  g_clear_handle_id (&t->take_over_id, g_source_remove);
  if (t->watch != NULL)
    {
      g_source_destroy (t->watch);
      g_clear_pointer (&t->watch, g_source_unref);
    }
  if (t->conn != NULL)
    g_io_stream_close (t->conn, NULL, NULL);
  g_clear_object (&t->conn);
  g_clear_object (&t->socket);
  if (t->head != NULL)
    g_string_free (t->head, TRUE);
  if (t->fd >= 0)
    close (t->fd);
  g_clear_object (&t->msg);
  g_free (t->file);
  g_free (t->peer);
  g_free (t);
}

static JsonObject *
transfer_payload (Transfer *t)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "protocol", "http");
  json_object_set_string_member (payload, "peer", t->peer);
  json_object_set_string_member (payload, "file", t->file);
  json_object_set_int_member (payload, "size", (gint64) t->size);
  json_object_set_int_member (payload, "bytes", (gint64) t->sent);
  json_object_set_double_member (payload, "duration",
                                 (g_get_monotonic_time () - t->started) / (double) G_USEC_PER_SEC);
  return payload;
}

static void
emit_transfer (Transfer   *t,
               const char *kind)
{
  g_autoptr(JsonObject) payload = transfer_payload (t);
  yard_server_emit_event (t->self->server, kind, payload);
}

/* Appends the next chunk, read with one pread, or completes the body. FALSE on a read error
 * (the connection is then cut: the client sees a short body, never wrong bytes). */
static gboolean
transfer_queue_chunk (Transfer *t)
{
  SoupMessageBody *body = soup_server_message_get_response_body (t->msg);
  gsize want;
  guint8 *buf;
  gssize n;

  if (t->next >= t->end)
    {
      soup_message_body_complete (body);
      return TRUE;
    }

  want = MIN ((guint64) CHUNK_SIZE, t->end - t->next);
  buf = g_malloc (want);
  do
    n = pread (t->fd, buf, want, (off_t) t->next);
  while (n < 0 && errno == EINTR);

  if (n <= 0)
    {
      g_free (buf);
      g_warning ("Reading “%s” for %s failed at byte %" G_GUINT64_FORMAT ": %s", t->file,
                 t->peer, t->next, n < 0 ? g_strerror (errno) : "the file got shorter");
      return FALSE;
    }

  t->next += n;
  t->queued += n;
  soup_message_body_append_take (body, buf, n);
  return TRUE;
}

static GSocket *message_socket (YardHttpServer *self, SoupServerMessage *msg);

static void
cut_connection (YardHttpServer    *self,
                SoupServerMessage *msg)
{
  GSocket *socket = message_socket (self, msg);

  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static void
transfer_wrote_chunk_cb (SoupServerMessage *msg,
                         Transfer          *t)
{
  gint64 now = g_get_monotonic_time ();

  t->sent = t->queued;
  if (now - t->last_progress >= PROGRESS_INTERVAL_USEC)
    {
      t->last_progress = now;
      emit_transfer (t, "transfer-progress");
    }
  if (!transfer_queue_chunk (t))
    cut_connection (t->self, msg);
}

static void
maybe_switch_once (YardHttpServer *self,
                   const char     *peer)
{
  const char *mac = g_hash_table_lookup (self->once_pending, peer);
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;

  if (mac == NULL)
    return;

  host = yard_host_table_switch_to_disk (yard_server_get_host_table (self->server), mac, &error);
  if (host == NULL)
    g_warning ("Could not switch host %s to its local disk after its one boot: %s", mac,
               error->message);
  else
    g_message ("Host %s booted once: it boots from its local disk from now on", mac);
  g_hash_table_remove (self->once_pending, peer);
}

/* Logs and announces the end of a transfer; a complete one may end a host's "once". */
static void
transfer_report (Transfer *t)
{
  YardHttpServer *self = t->self;
  double secs = (g_get_monotonic_time () - t->started) / (double) G_USEC_PER_SEC;

  t->done = TRUE;
  if (t->sent >= t->length)
    {
      t->sent = t->length;
      emit_transfer (t, "transfer-finished");
      /* One line per file; sanboot's thousands of range reads only at debug level. */
      g_log (G_LOG_DOMAIN, t->length == t->size ? G_LOG_LEVEL_MESSAGE : G_LOG_LEVEL_DEBUG,
             "HTTP sent %s to %s: %" G_GUINT64_FORMAT " bytes in %.2f s (%.1f MiB/s)",
             t->file, t->peer, t->sent, secs,
             secs > 0 ? t->sent / secs / (1024.0 * 1024.0) : 0.0);
      maybe_switch_once (self, t->peer);
    }
  else
    {
      g_autoptr(JsonObject) payload = transfer_payload (t);

      json_object_set_string_member (payload, "error", "the client closed the connection");
      yard_server_emit_event (self->server, "transfer-failed", payload);
      g_message ("HTTP transfer of %s to %s stopped after %" G_GUINT64_FORMAT " of %"
                 G_GUINT64_FORMAT " bytes", t->file, t->peer, t->sent, t->length);
    }
}

static void
transfer_finished_cb (SoupServerMessage *msg,
                      Transfer          *t)
{
  transfer_report (t);
  g_signal_handlers_disconnect_by_data (msg, t);
  g_hash_table_remove (t->self->transfers, t);
}

static char *
address_key (GSocketAddress *address)
{
  g_autofree char *ip = NULL;

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  ip = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf ("%s:%u", ip,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

static gboolean
socket_is_closed_cb (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  return g_socket_is_closed (value);
}

/* The socket under a message: libsoup knows it for connections it accepted itself; for those
 * we handed back after a sendfile it does not, and we remember it by the peer's address. */
static GSocket *
message_socket (YardHttpServer    *self,
                SoupServerMessage *msg)
{
  g_autofree char *key = NULL;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    return socket;
  g_hash_table_foreach_remove (self->adopted, socket_is_closed_cb, NULL);
  key = address_key (soup_server_message_get_remote_address (msg));
  return key ? g_hash_table_lookup (self->adopted, key) : NULL;
}

/* The body is out: the connection goes back to libsoup for the client's next request, or is
 * closed when the client asked for that (or something failed). */
static gboolean
sendfile_finish (Transfer *t)
{
  YardHttpServer *self = t->self;

  transfer_report (t);
  g_clear_pointer (&t->watch, g_source_unref);

  if (t->keep_alive && t->sent >= t->length && t->conn != NULL && self->soup != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (t->socket, NULL);
      g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (t->socket, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *key = address_key (remote);

      if (key != NULL && soup_server_accept_iostream (self->soup, t->conn, local, remote, &error))
        {
          g_hash_table_replace (self->adopted, g_steal_pointer (&key), g_object_ref (t->socket));
          g_clear_object (&t->conn);
        }
      else if (error != NULL)
        g_debug ("Could not keep the connection of %s: %s", t->peer, error->message);
    }

  g_hash_table_remove (self->transfers, t);
  return G_SOURCE_REMOVE;
}

/* The sendfile path: runs whenever the socket can take more. */
static gboolean
sendfile_ready_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  Transfer *t = user_data;
  int sock = g_socket_get_fd (socket);
  guint64 budget = SENDFILE_SLICE;
  gint64 now;

  while (t->head_sent < t->head->len)
    {
      ssize_t n = send (sock, t->head->str + t->head_sent, t->head->len - t->head_sent,
                        MSG_NOSIGNAL | MSG_DONTWAIT | MSG_MORE);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return G_SOURCE_CONTINUE;
      if (n <= 0)
        return sendfile_finish (t);
      t->head_sent += n;
    }

  while (t->next < t->end && budget > 0)
    {
      off_t off = (off_t) t->next;
      ssize_t n = sendfile (sock, t->fd, &off, MIN (budget, t->end - t->next));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        break;
      if (n <= 0)
        {
          if (n == 0)
            g_warning ("“%s” got shorter while %s was reading it", t->file, t->peer);
          return sendfile_finish (t);
        }
      t->next += n;
      t->sent += n;
      budget -= MIN ((guint64) n, budget);
    }

  now = g_get_monotonic_time ();
  if (t->next < t->end)
    {
      if (now - t->last_progress >= PROGRESS_INTERVAL_USEC)
        {
          t->last_progress = now;
          emit_transfer (t, "transfer-progress");
        }
      return G_SOURCE_CONTINUE;
    }
  return sendfile_finish (t);
}

/* Takes the connection from libsoup outside of its handler (it frees the message). */
static gboolean
sendfile_take_over_cb (gpointer user_data)
{
  Transfer *t = user_data;

  t->take_over_id = 0;
  t->conn = soup_server_message_steal_connection (t->msg);
  g_clear_object (&t->msg);
  if (t->conn == NULL)
    {
      transfer_report (t);
      g_hash_table_remove (t->self->transfers, t);
      return G_SOURCE_REMOVE;
    }

  t->watch = g_socket_create_source (t->socket, G_IO_OUT | G_IO_ERR | G_IO_HUP, NULL);
  g_source_set_callback (t->watch, (GSourceFunc) (void (*) (void)) sendfile_ready_cb, t, NULL);
  g_source_attach (t->watch, NULL);
  return G_SOURCE_REMOVE;
}

/* Conditional requests and ranges */

static char *
make_etag (const struct stat *st)
{
  return g_strdup_printf ("\"%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x-%"
                          G_GINT64_MODIFIER "x\"",
                          (gint64) st->st_ino, (gint64) st->st_size,
                          (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                          st->st_mtim.tv_nsec);
}

static gboolean
etag_list_matches (const char *list,
                   const char *etag)
{
  g_auto(GStrv) items = NULL;

  if (list == NULL)
    return FALSE;
  items = g_strsplit (list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (g_str_has_prefix (item, "W/"))
        item += 2;
      if (g_str_equal (item, "*") || g_str_equal (item, etag))
        return TRUE;
    }
  return FALSE;
}

static gboolean
not_modified_since (const char *header,
                    gint64      mtime)
{
  g_autoptr(GDateTime) since = NULL;

  if (header == NULL)
    return FALSE;
  since = soup_date_time_new_from_http_string (header);
  return since != NULL && g_date_time_to_unix (since) >= mtime;
}

static gboolean
parse_u64 (const char *text,
           gsize       len,
           guint64    *out)
{
  guint64 value = 0;

  if (len == 0 || len > 19)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  *out = value;
  return TRUE;
}

typedef enum
{
  RANGE_NONE,           /* no usable Range header: send the whole file */
  RANGE_OK,             /* one satisfiable range: 206 */
  RANGE_UNSATISFIABLE,  /* 416 */
} RangeResult;

/* One "bytes=A-B", "bytes=A-" or "bytes=-N". Several ranges or a malformed header are
 * ignored (RFC 9110 allows answering 200 with the whole file). */
static RangeResult
parse_range (const char *header,
             guint64     size,
             guint64    *start,
             guint64    *end)
{
  const char *spec;
  const char *dash;
  guint64 a, b;

  if (header == NULL)
    return RANGE_NONE;
  while (*header == ' ')
    header++;
  if (g_ascii_strncasecmp (header, "bytes=", 6) != 0)
    return RANGE_NONE;
  spec = header + 6;
  while (*spec == ' ')
    spec++;
  if (strchr (spec, ',') != NULL)
    return RANGE_NONE;
  dash = strchr (spec, '-');
  if (dash == NULL)
    return RANGE_NONE;

  {
    g_autofree char *last = g_strstrip (g_strdup (dash + 1));
    gsize first_len = dash - spec;

    while (first_len > 0 && spec[first_len - 1] == ' ')
      first_len--;

    if (first_len == 0)
      {
        /* suffix: the last N bytes */
        if (!parse_u64 (last, strlen (last), &b))
          return RANGE_NONE;
        if (b == 0 || size == 0)
          return RANGE_UNSATISFIABLE;
        *start = size > b ? size - b : 0;
        *end = size;
        return RANGE_OK;
      }

    if (!parse_u64 (spec, first_len, &a))
      return RANGE_NONE;
    if (*last == '\0')
      b = G_MAXUINT64;
    else if (!parse_u64 (last, strlen (last), &b) || b < a)
      return RANGE_NONE;

    if (a >= size)
      return RANGE_UNSATISFIABLE;
    *start = a;
    *end = (b >= size - 1) ? size : b + 1;
    return RANGE_OK;
  }
}

static const char *
content_type_for (const char *name)
{
  if (g_str_has_suffix (name, ".ipxe") || g_str_has_suffix (name, ".cfg") ||
      g_str_has_suffix (name, ".txt") || strstr (name, "pxelinux.cfg/") != NULL)
    return "text/plain; charset=utf-8";
  if (g_str_has_suffix (name, ".iso"))
    return "application/x-iso9660-image";
  return "application/octet-stream";
}

static void
set_text_response (SoupServerMessage *msg,
                   guint              status,
                   const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static char *
peer_of (SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);
  return g_strdup (host ? host : "unknown");
}

/* "http://ADDRESS:PORT" as the client reached us: the address of the interface it came in
 * on, so the script's URLs work on every network the server is on. */
static char *
base_url_for (YardHttpServer    *self,
              SoupServerMessage *msg)
{
  GSocketAddress *local = soup_server_message_get_local_address (msg);
  g_autofree char *addr = NULL;
  guint16 port = self->port;

  if (local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
    {
      GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));

      addr = g_inet_address_to_string (inet);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
        {
          char *bracketed = g_strdup_printf ("[%s]", addr);
          g_free (addr);
          addr = bracketed;
        }
    }
  else
    addr = g_strdup (yard_server_get_config (self->server)->address ?: "127.0.0.1");

  return g_strdup_printf ("http://%s:%u", addr, port);
}

/* Per-host scripts */

static const YardIpxeHostMode ipxe_modes[] = {
  [YARD_HOST_MODE_MENU] = YARD_IPXE_HOST_MENU,
  [YARD_HOST_MODE_SCRIPT] = YARD_IPXE_HOST_SCRIPT,
  [YARD_HOST_MODE_URL] = YARD_IPXE_HOST_URL,
  [YARD_HOST_MODE_DISK] = YARD_IPXE_HOST_DISK,
  [YARD_HOST_MODE_IGNORE] = YARD_IPXE_HOST_IGNORE,
};

/* The host's script text (GET /boot/<mac>.ipxe), or NULL for an unknown MAC (the caller
 * records it first). @base is "http://ADDRESS:PORT" as the client reached us. */
char *
yard_http_server_build_host_script (YardHttpServer *self,
                                    const char     *mac,
                                    const char     *base)
{
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) menu_error = NULL;
  g_autofree char *boot_url = NULL;
  g_autofree char *script = NULL;
  YardBootMenu *menu = NULL;
  YardIpxeHostMode mode;
  const char *payload = NULL;
  const char *nl;

  g_return_val_if_fail (YARD_IS_HTTP_SERVER (self), NULL);

  host = yard_host_table_dup_host (yard_server_get_host_table (self->server), mac);
  if (host == NULL)
    return NULL;

  boot_url = g_strconcat (base, "/boot", NULL);
  mode = ipxe_modes[host->mode];
  if (host->mode == YARD_HOST_MODE_SCRIPT)
    payload = host->script;
  else if (host->mode == YARD_HOST_MODE_URL)
    payload = host->script_url;
  else if (host->mode == YARD_HOST_MODE_MENU)
    {
      menu = yard_server_get_menu (self->server, &menu_error);
      if (menu == NULL)
        {
          /* Say why on the client's screen, then leave it its disk rather than a loop. */
          g_autofree char *text = yard_ipxe_sanitize_text (menu_error->message);
          g_autoptr(GString) out = g_string_new ("#!ipxe\n");

          g_string_append_printf (out, "set bootyard_server %s\n", base);
          g_string_append_printf (out, "set bootyard_http %s\n", boot_url);
          g_string_append_printf (out, "set bootyard_mac %s\n", host->mac);
          g_string_append_printf (out, "echo Bootyard: the boot menu is broken: %s\n", text);
          g_string_append (out, "sleep 10\n");
          g_string_append (out, yard_ipxe_local_disk_commands ());
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
    }

  script = yard_ipxe_host_script (base, host->mac, mode, payload, menu, boot_url, &error);
  if (script == NULL)
    {
      g_warning ("Cannot write the script of host %s: %s", host->mac, error->message);
      return NULL;
    }

  /* Kernel arguments of imported images name the boot root as ${bootyard_http}: set it with
   * the other two, before anything of the host's own. */
  if (strstr (script, "set bootyard_http ") == NULL &&
      (nl = strstr (script, "\nset bootyard_mac ")) != NULL &&
      (nl = strchr (nl + 1, '\n')) != NULL)
    {
      g_autofree char *head = g_strndup (script, nl + 1 - script);
      char *with = g_strdup_printf ("%sset bootyard_http %s\n%s", head, boot_url, nl + 1);

      g_free (script);
      script = with;
    }
  return g_steal_pointer (&script);
}

/* "52:54:00:12:34:56.ipxe" or "52-54-00-12-34-56.ipxe" → normalized MAC, else NULL. */
static char *
host_script_mac (const char *name)
{
  g_autofree char *mac = NULL;

  if (strlen (name) != 17 + 5 || !g_str_has_suffix (name, ".ipxe"))
    return NULL;
  mac = g_strndup (name, 17);
  return yard_mac_normalize (mac, NULL);
}

static void
serve_host_script (YardHttpServer    *self,
                   SoupServerMessage *msg,
                   const char        *mac)
{
  g_autofree char *peer = peer_of (msg);
  g_autofree char *base = base_url_for (self, msg);
  g_autofree char *script = NULL;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;

  host = yard_host_table_record_seen (yard_server_get_host_table (self->server), mac, -1, peer,
                                      NULL, NULL, NULL, &error);
  if (host == NULL)
    g_warning ("Could not record host %s: %s", mac, error->message);

  script = yard_http_server_build_host_script (self, mac, base);
  if (script == NULL)
    {
      set_text_response (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                         "#!ipxe\necho Bootyard could not write the script of this host\n"
                         "exit 1\n");
      return;
    }

  if (host != NULL && host->once && host->mode != YARD_HOST_MODE_DISK &&
      host->mode != YARD_HOST_MODE_IGNORE)
    g_hash_table_replace (self->once_pending, g_strdup (peer), g_strdup (mac));

  g_message ("HTTP sent the %s script of host %s to %s",
             host ? yard_host_mode_to_string (host->mode) : "menu", mac, peer);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    {
      soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg),
                                               strlen (script));
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                             "text/plain", NULL);
      return;
    }
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&script), strlen (script));
}

/* Boot files */

static void
serve_file (YardHttpServer    *self,
            SoupServerMessage *msg,
            const char        *name,
            gsize              name_len)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) mtime = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  g_autofree char *normal = NULL;
  const char *if_none_match;
  const char *if_modified_since;
  const char *if_range;
  gboolean use_range = TRUE;
  guint64 start = 0, end = 0;
  RangeResult range;
  struct stat st;
  Transfer *t;
  int fd;

  fd = yard_root_open_file (self->root_fd, name, name_len, &st, &error);
  if (fd < 0)
    {
      if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH))
        {
          g_autofree char *peer = peer_of (msg);
          g_message ("HTTP refused “%.*s” from %s: %s", (int) MIN (name_len, 200), name, peer,
                     error->message);
          set_text_response (msg, SOUP_STATUS_FORBIDDEN, "Forbidden\n");
        }
      else
        set_text_response (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
      return;
    }
  normal = yard_root_normalize_name (name, name_len, NULL);

  etag = make_etag (&st);
  mtime = g_date_time_new_from_unix_utc (st.st_mtim.tv_sec);
  last_modified = soup_date_time_to_string (mtime, SOUP_DATE_HTTP);
  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Last-Modified", last_modified);
  soup_message_headers_replace (resp, "Accept-Ranges", "bytes");

  /* RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since. */
  if_none_match = soup_message_headers_get_one (req, "If-None-Match");
  if_modified_since = soup_message_headers_get_one (req, "If-Modified-Since");
  if ((if_none_match != NULL && etag_list_matches (if_none_match, etag)) ||
      (if_none_match == NULL && not_modified_since (if_modified_since, st.st_mtim.tv_sec)))
    {
      close (fd);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  if_range = soup_message_headers_get_one (req, "If-Range");
  if (if_range != NULL && !g_str_equal (if_range, etag) && !g_str_equal (if_range, last_modified))
    use_range = FALSE;

  range = use_range ? parse_range (soup_message_headers_get_one (req, "Range"), st.st_size,
                                   &start, &end)
                    : RANGE_NONE;
  /* Keep libsoup's own range handling out of it: we answer ranges ourselves. */
  soup_message_headers_remove (req, "Range");

  if (range == RANGE_UNSATISFIABLE)
    {
      g_autofree char *cr = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, (gint64) st.st_size);
      close (fd);
      soup_message_headers_replace (resp, "Content-Range", cr);
      set_text_response (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
                         "Range not satisfiable\n");
      return;
    }
  if (range == RANGE_NONE)
    {
      start = 0;
      end = st.st_size;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_message_headers_set_content_range (resp, start, end - 1, st.st_size);
    }

  soup_message_headers_set_content_type (resp, content_type_for (normal ? normal : ""), NULL);
  soup_message_headers_set_encoding (resp, SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_length (resp, end - start);

  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD || end == start)
    {
      close (fd);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      return;
    }

  t = g_new0 (Transfer, 1);
  t->self = self;
  t->msg = g_object_ref (msg);
  t->fd = fd;
  t->file = g_steal_pointer (&normal);
  t->peer = peer_of (msg);
  t->size = st.st_size;
  t->next = start;
  t->end = end;
  t->length = end - start;
  t->started = t->last_progress = g_get_monotonic_time ();
  g_hash_table_add (self->transfers, t);

  /* Read-ahead hint: the kernel fetches ahead of the socket. */
  posix_fadvise (fd, start, end - start, POSIX_FADV_SEQUENTIAL);

  if (end - start >= SENDFILE_MIN && message_socket (self, msg) != NULL &&
      soup_server_message_get_http_version (msg) == SOUP_HTTP_1_1)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
      SoupMessageHeadersIter iter;
      const char *hname, *hvalue;

      t->socket = g_object_ref (message_socket (self, msg));
      t->keep_alive = !soup_message_headers_header_contains (req, "Connection", "close");
      t->head = g_string_new (NULL);
      g_string_append_printf (t->head, "HTTP/1.1 %u %s\r\n",
                              soup_server_message_get_status (msg),
                              soup_status_get_phrase (soup_server_message_get_status (msg)));
      g_string_append_printf (t->head, "Date: %s\r\nServer: bootyard/" PACKAGE_VERSION "\r\n",
                              date);
      soup_message_headers_iter_init (&iter, resp);
      while (soup_message_headers_iter_next (&iter, &hname, &hvalue))
        g_string_append_printf (t->head, "%s: %s\r\n", hname, hvalue);
      g_string_append (t->head, t->keep_alive ? "\r\n" : "Connection: close\r\n\r\n");

      emit_transfer (t, "transfer-started");
      soup_server_message_pause (msg);
      t->take_over_id = g_idle_add_full (G_PRIORITY_HIGH, sendfile_take_over_cb, t, NULL);
      return;
    }

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (transfer_wrote_chunk_cb), t);
  g_signal_connect (msg, "finished", G_CALLBACK (transfer_finished_cb), t);
  emit_transfer (t, "transfer-started");

  if (!transfer_queue_chunk (t))
    {
      /* Nothing sent yet: a clean error instead of a cut connection. */
      g_signal_handlers_disconnect_by_data (msg, t);
      g_hash_table_remove (self->transfers, t);
      soup_message_headers_remove (resp, "Content-Range");
      soup_message_headers_set_encoding (resp, SOUP_ENCODING_CONTENT_LENGTH);
      set_text_response (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Read error\n");
    }
}

static void
boot_handler (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  YardHttpServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GBytes) name = NULL;
  g_autofree char *mac = NULL;
  const char *rest;
  gsize len;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      set_text_response (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed\n");
      return;
    }

  if (!self->serve_boot)
    {
      set_text_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                         "Boot files are not served: the boot services are stopped\n");
      return;
    }

  if (!g_str_has_prefix (path, "/boot/"))
    {
      set_text_response (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
      return;
    }

  rest = path + strlen ("/boot/");
  name = g_uri_unescape_bytes (rest, -1, NULL, NULL);
  if (name == NULL)
    {
      set_text_response (msg, SOUP_STATUS_BAD_REQUEST, "Bad path\n");
      return;
    }

  {
    const char *data = g_bytes_get_data (name, &len);
    g_autofree char *text = g_strndup (data, len);

    if (strlen (text) == len && (mac = host_script_mac (text)) != NULL)
      {
        serve_host_script (self, msg, mac);
        return;
      }
    serve_file (self, msg, data ? data : "", len);
  }
}

static void
api_handler (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  YardHttpServer *self = user_data;
  yard_api_handle (self->api, msg, path);
}

static void
default_handler (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  set_text_response (msg, SOUP_STATUS_NOT_FOUND,
                     "Not found. Boot files are under /boot/, the API under /api/v1/\n");
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    YardHttpServer    *self)
{
  yard_api_request_started (self->api, msg);
}

static void
write_port_file (YardHttpServer *self)
{
  const YardServerConfig *config = yard_server_get_config (self->server);
  g_autofree char *path = g_build_filename (config->state_dir, "http-port", NULL);
  g_autofree char *text = g_strdup_printf ("%u\n", self->port);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    g_warning ("Could not write %s: %s", path, error->message);
}

/* A listening TCP socket with a backlog like nginx's (511): libsoup's own listeners queue only
 * 10 connections, and 50 iPXE clients starting at once would wait for SYN retries. IPv6
 * sockets are IPv6 only, so that IPv4 clients see their server as an IPv4 address. */
static GSocket *
tcp_listen (GInetAddress  *inet,
            guint16        port,
            GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      int one = 1;
      setsockopt (g_socket_get_fd (socket), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
  g_socket_set_listen_backlog (socket, 511);
  sockaddr = g_inet_socket_address_new (inet, port);
  if (!g_socket_bind (socket, sockaddr, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static guint16
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

  return local ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : 0;
}

gboolean
yard_http_server_listen (YardHttpServer  *self,
                         const char      *address,
                         guint16          port,
                         GError         **error)
{
  const YardServerConfig *config;
  g_autoptr(SoupServer) soup = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *token = NULL;
  GSList *uris;
  gboolean ok;

  g_return_val_if_fail (YARD_IS_HTTP_SERVER (self), FALSE);

  if (self->soup != NULL)
    return TRUE;

  config = yard_server_get_config (self->server);
  token = yard_api_ensure_token (config->state_dir, error);
  if (token == NULL)
    return FALSE;

  self->root_fd = open (config->root_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (self->root_fd < 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED,
                   "Cannot open the boot root “%s”: %s. Choose another with --root",
                   config->root_dir, g_strerror (saved));
      return FALSE;
    }

  soup = soup_server_new ("server-header", "bootyard/" PACKAGE_VERSION " ", NULL);
  {
    g_autoptr(GInetAddress) inet = NULL;
    g_autoptr(GSocket) socket = NULL;

    inet = address ? g_inet_address_new_from_string (address)
                   : g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
    if (inet == NULL)
      {
        g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                     "HTTP: “%s” is not an IPv4 or IPv6 address", address);
        close (self->root_fd);
        self->root_fd = -1;
        return FALSE;
      }

    socket = tcp_listen (inet, port, &local_error);
    ok = socket != NULL && soup_server_listen_socket (soup, socket, 0, &local_error);

    /* Every address: IPv6 too, on the same port, when the machine has IPv6. */
    if (ok && address == NULL)
      {
        g_autoptr(GInetAddress) any6 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);
        g_autoptr(GError) v6_error = NULL;
        g_autoptr(GSocket) socket6 = tcp_listen (any6, socket_port (socket), &v6_error);

        if (socket6 == NULL || !soup_server_listen_socket (soup, socket6, 0, &v6_error))
          g_debug ("HTTP on IPv4 only: %s", v6_error->message);
      }
  }

  if (!ok)
    {
      g_propagate_error (error, yard_socket_explain_bind_error (local_error, "HTTP", port,
                                                                "--http-port"));
      close (self->root_fd);
      self->root_fd = -1;
      return FALSE;
    }

  uris = soup_server_get_uris (soup);
  self->port = uris ? g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->api = yard_api_new (self->server, token);
  soup_server_add_handler (soup, "/boot", boot_handler, self, NULL);
  soup_server_add_handler (soup, "/api/v1", api_handler, self, NULL);
  soup_server_add_handler (soup, NULL, default_handler, self, NULL);
  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), self);
  self->soup = g_steal_pointer (&soup);

  if (address != NULL && strchr (address, ':') != NULL)
    g_message ("HTTP listening on [%s]:%u", address, self->port);
  else
    g_message ("HTTP listening on %s:%u", address ? address : "0.0.0.0", self->port);
  write_port_file (self);
  return TRUE;
}

void
yard_http_server_shutdown (YardHttpServer *self)
{
  g_return_if_fail (YARD_IS_HTTP_SERVER (self));

  if (self->soup == NULL)
    return;

  if (self->api != NULL)
    yard_api_close_streams (self->api);
  soup_server_disconnect (self->soup);
  g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_object (&self->soup);
  g_clear_object (&self->api);
  g_hash_table_remove_all (self->transfers);
  g_hash_table_remove_all (self->once_pending);
  g_hash_table_remove_all (self->adopted);
  if (self->root_fd >= 0)
    close (self->root_fd);
  self->root_fd = -1;
  self->port = 0;
}

guint16
yard_http_server_get_port (YardHttpServer *self)
{
  g_return_val_if_fail (YARD_IS_HTTP_SERVER (self), 0);
  return self->port;
}

void
yard_http_server_set_serve_boot (YardHttpServer *self,
                                 gboolean        serve)
{
  g_return_if_fail (YARD_IS_HTTP_SERVER (self));
  self->serve_boot = !!serve;
}

gboolean
yard_http_server_get_serve_boot (YardHttpServer *self)
{
  g_return_val_if_fail (YARD_IS_HTTP_SERVER (self), FALSE);
  return self->serve_boot;
}

static void
transfer_drop (gpointer data)
{
  Transfer *t = data;

  if (t->msg != NULL)
    g_signal_handlers_disconnect_by_data (t->msg, t);
  transfer_free (t);
}

static void
yard_http_server_dispose (GObject *object)
{
  YardHttpServer *self = YARD_HTTP_SERVER (object);

  yard_http_server_shutdown (self);

  G_OBJECT_CLASS (yard_http_server_parent_class)->dispose (object);
}

static void
yard_http_server_finalize (GObject *object)
{
  YardHttpServer *self = YARD_HTTP_SERVER (object);

  g_clear_pointer (&self->transfers, g_hash_table_unref);
  g_clear_pointer (&self->once_pending, g_hash_table_unref);
  g_clear_pointer (&self->adopted, g_hash_table_unref);

  G_OBJECT_CLASS (yard_http_server_parent_class)->finalize (object);
}

static void
yard_http_server_class_init (YardHttpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_http_server_dispose;
  object_class->finalize = yard_http_server_finalize;
}

static void
yard_http_server_init (YardHttpServer *self)
{
  self->root_fd = -1;
  self->transfers = g_hash_table_new_full (NULL, NULL, transfer_drop, NULL);
  self->once_pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->adopted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

YardHttpServer *
yard_http_server_new (YardServer *server)
{
  YardHttpServer *self;

  g_return_val_if_fail (YARD_IS_SERVER (server), NULL);

  self = g_object_new (YARD_TYPE_HTTP_SERVER, NULL);
  self->server = server;
  return self;
}
