/* yard-http-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One HTTP port carries two things: /boot/, the boot root for iPXE (kernels, initrds and
 * multi-GiB ISOs for sanboot) plus each host's own script at /boot/<mac>.ipxe; and /api/v1,
 * the API, which stays up when the boot services are stopped.
 *
 * The listening sockets are ours. Each new request's head is read with MSG_PEEK, so it stays in
 * the socket until we know who answers it:
 *  - a plain GET or HEAD under /boot/ is answered here, on one epoll set for every connection:
 *    the head written by us and the body by sendfile(2), as nginx does. Sanboot's thousands of
 *    range reads cost a few system calls each, not libsoup's message machinery.
 *  - anything else (the API, other paths and methods, a head that came in pieces or that the
 *    plain reader does not take) goes to libsoup with the connection, untouched, for good
 *    (soup_server_accept_iostream). libsoup also answers /boot/ on those connections, through
 *    a chunked copy.
 * Names from the network reach the disk only through yard_root_open_file(), the gate TFTP
 * uses.
 *
 * The "once" policy (Equinix Metal's one-time PXE): when a host with once=true has been served
 * its script, the next /boot/ file that the same client address fetches completely (its kernel
 * or image) switches the host to disk.
 */

#define _GNU_SOURCE  /* accept4 */
#define G_LOG_DOMAIN "yard-http-server"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "yard-api.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-http-request.h"
#include "yard-http-server.h"
#include "yard-ipxe.h"
#include "yard-root-file.h"
#include "yard-socket.h"

/* libsoup's path: big enough that a chunk costs few trips through the main loop, small enough
 * that 50 concurrent readers stay far below the memory of one kernel image. */
#define CHUNK_SIZE (512 * 1024)
#define PROGRESS_INTERVAL_USEC (500 * 1000)
/* At most this much per socket wake-up, so that 50 clients take turns. */
#define SEND_SLICE (4 * 1024 * 1024)
/* A connection that neither sends a request nor takes bytes for this long is closed. */
#define IDLE_TIMEOUT_USEC (60 * G_USEC_PER_SEC)
#define SWEEP_INTERVAL_SECONDS 10
#define MAX_EVENTS 64

typedef struct _Transfer Transfer;
typedef struct _Conn Conn;

struct _YardHttpServer
{
  GObject      parent_instance;
  YardServer  *server;       /* owner, not referenced */
  SoupServer  *soup;         /* NULL while not listening */
  YardApi     *api;
  guint16      port;
  gboolean     serve_boot;
  int          root_fd;      /* -1 until listening */
  int          epoll_fd;     /* listeners and our own connections; -1 until listening */
  guint        epoll_id;
  guint        sweep_id;
  guint        resume_id;    /* accepting paused after EMFILE */
  GPtrArray   *listeners;    /* Conn* of kind CONN_LISTENER */
  GHashTable  *conns;        /* Conn* set: connections answered here */
  GHashTable  *transfers;    /* Transfer* set: /boot/ bodies on libsoup's connections */
  GHashTable  *once_pending; /* peer address -> mac: script served to a "once" host */
  gint64       date_second;
  char         date[32];     /* Date: for date_second */
  char         head[YARD_HTTP_MAX_HEAD];
};

G_DEFINE_FINAL_TYPE (YardHttpServer, yard_http_server, G_TYPE_OBJECT)

/* One file body on its way to a client: what the events and the log say about it. */
typedef struct
{
  char    *file;
  char    *peer;
  guint64  size;     /* the file's size */
  guint64  length;   /* bytes this response carries */
  guint64  sent;
  gint64   started;
  gint64   last_progress;
} Stats;

static void
stats_free (Stats *s)
{
  g_free (s->file);
  g_free (s->peer);
  g_free (s);
}

static JsonObject *
stats_payload (Stats *s)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "protocol", "http");
  json_object_set_string_member (payload, "peer", s->peer);
  json_object_set_string_member (payload, "file", s->file);
  json_object_set_int_member (payload, "size", (gint64) s->size);
  json_object_set_int_member (payload, "bytes", (gint64) s->sent);
  json_object_set_double_member (payload, "duration",
                                 (g_get_monotonic_time () - s->started) / (double) G_USEC_PER_SEC);
  return payload;
}

static void
stats_emit (YardHttpServer *self,
            Stats          *s,
            const char     *kind)
{
  g_autoptr(JsonObject) payload = stats_payload (s);
  yard_server_emit_event (self->server, kind, payload);
}

static Stats *
stats_start (YardHttpServer *self,
             char           *file,
             const char     *peer,
             guint64         size,
             guint64         length)
{
  Stats *s = g_new0 (Stats, 1);

  s->file = file;
  s->peer = g_strdup (peer);
  s->size = size;
  s->length = length;
  s->started = s->last_progress = g_get_monotonic_time ();
  stats_emit (self, s, "transfer-started");
  return s;
}

static void
stats_progress (YardHttpServer *self,
                Stats          *s)
{
  gint64 now = g_get_monotonic_time ();

  if (now - s->last_progress >= PROGRESS_INTERVAL_USEC)
    {
      s->last_progress = now;
      stats_emit (self, s, "transfer-progress");
    }
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

/* Logs and announces the end of a transfer, then frees it; a complete one may end a host's
 * "once". */
static void
stats_finish (YardHttpServer *self,
              Stats          *s)
{
  double secs = (g_get_monotonic_time () - s->started) / (double) G_USEC_PER_SEC;

  if (s->sent >= s->length)
    {
      s->sent = s->length;
      stats_emit (self, s, "transfer-finished");
      /* One line per file; sanboot's thousands of range reads only at debug level. */
      g_log (G_LOG_DOMAIN, s->length == s->size ? G_LOG_LEVEL_MESSAGE : G_LOG_LEVEL_DEBUG,
             "HTTP sent %s to %s: %" G_GUINT64_FORMAT " bytes in %.2f s (%.1f MiB/s)",
             s->file, s->peer, s->sent, secs,
             secs > 0 ? s->sent / secs / (1024.0 * 1024.0) : 0.0);
      maybe_switch_once (self, s->peer);
    }
  else
    {
      g_autoptr(JsonObject) payload = stats_payload (s);

      json_object_set_string_member (payload, "error", "the client closed the connection");
      yard_server_emit_event (self->server, "transfer-failed", payload);
      g_message ("HTTP transfer of %s to %s stopped after %" G_GUINT64_FORMAT " of %"
                 G_GUINT64_FORMAT " bytes", s->file, s->peer, s->sent, s->length);
    }
  stats_free (s);
}

/* What GET or HEAD of one boot file answers, for both request paths. */
typedef struct
{
  guint        status;
  const char  *text;          /* the body of an error status */
  int          fd;            /* 200 and 206: the open file */
  struct stat  st;
  guint64      start;
  guint64      end;           /* one past the last byte */
  char        *file;          /* the normalized name */
  char         etag[96];
  char         last_modified[32];
  char         content_range[64];
} BootFile;

static void
boot_file_clear (BootFile *bf)
{
  if (bf->fd >= 0)
    close (bf->fd);
  bf->fd = -1;
  g_clear_pointer (&bf->file, g_free);
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

/* Opens @name under the root and weighs the request's validators and range against it. */
static void
boot_file_open (YardHttpServer *self,
                const char     *name,
                gsize           name_len,
                const char     *peer,
                const char     *if_none_match,
                const char     *if_modified_since,
                const char     *if_range,
                const char     *range_header,
                BootFile       *bf)
{
  g_autoptr(GError) error = NULL;
  YardHttpRange range = YARD_HTTP_RANGE_NONE;

  memset (bf, 0, sizeof *bf);
  bf->fd = yard_root_open_file (self->root_fd, name, name_len, &bf->st, &error);
  if (bf->fd < 0)
    {
      if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH))
        {
          g_message ("HTTP refused “%.*s” from %s: %s", (int) MIN (name_len, 200), name, peer,
                     error->message);
          bf->status = SOUP_STATUS_FORBIDDEN;
          bf->text = "Forbidden\n";
        }
      else
        {
          bf->status = SOUP_STATUS_NOT_FOUND;
          bf->text = "Not found\n";
        }
      return;
    }
  bf->file = yard_root_normalize_name (name, name_len, NULL);
  g_snprintf (bf->etag, sizeof bf->etag, "\"%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x-%"
              G_GINT64_MODIFIER "x\"", (gint64) bf->st.st_ino, (gint64) bf->st.st_size,
              (gint64) bf->st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
              bf->st.st_mtim.tv_nsec);
  yard_http_format_date (bf->st.st_mtim.tv_sec, bf->last_modified);

  /* RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since. */
  if ((if_none_match != NULL && yard_http_etag_list_matches (if_none_match, bf->etag)) ||
      (if_none_match == NULL && not_modified_since (if_modified_since, bf->st.st_mtim.tv_sec)))
    {
      bf->status = SOUP_STATUS_NOT_MODIFIED;
      close (bf->fd);
      bf->fd = -1;
      return;
    }

  if (if_range == NULL || g_str_equal (if_range, bf->etag) ||
      g_str_equal (if_range, bf->last_modified))
    range = yard_http_parse_range (range_header, bf->st.st_size, &bf->start, &bf->end);

  switch (range)
    {
    case YARD_HTTP_RANGE_UNSATISFIABLE:
      g_snprintf (bf->content_range, sizeof bf->content_range, "bytes */%" G_GINT64_FORMAT,
                  (gint64) bf->st.st_size);
      bf->status = SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE;
      bf->text = "Range not satisfiable\n";
      close (bf->fd);
      bf->fd = -1;
      return;
    case YARD_HTTP_RANGE_OK:
      g_snprintf (bf->content_range, sizeof bf->content_range,
                  "bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "/%" G_GINT64_FORMAT,
                  bf->start, bf->end - 1, (gint64) bf->st.st_size);
      bf->status = SOUP_STATUS_PARTIAL_CONTENT;
      break;
    case YARD_HTTP_RANGE_NONE:
    default:
      bf->start = 0;
      bf->end = bf->st.st_size;
      bf->status = SOUP_STATUS_OK;
      break;
    }
  /* Read-ahead hint: the kernel fetches ahead of the socket. */
  posix_fadvise (bf->fd, bf->start, bf->end - bf->start, POSIX_FADV_SEQUENTIAL);
}

static const char *
content_type_for (const char *name)
{
  if (name == NULL)
    return "application/octet-stream";
  if (g_str_has_suffix (name, ".ipxe") || g_str_has_suffix (name, ".cfg") ||
      g_str_has_suffix (name, ".txt") || strstr (name, "pxelinux.cfg/") != NULL)
    return "text/plain; charset=utf-8";
  if (g_str_has_suffix (name, ".iso"))
    return "application/x-iso9660-image";
  return "application/octet-stream";
}

/* "52:54:00:12:34:56.ipxe" or "52-54-00-12-34-56.ipxe" → normalized MAC, else NULL. */
static char *
host_script_mac (const char *name,
                 gsize       len)
{
  g_autofree char *mac = NULL;

  if (len != 17 + 5 || memchr (name, '\0', len) != NULL ||
      memcmp (name + 17, ".ipxe", 5) != 0)
    return NULL;
  mac = g_strndup (name, 17);
  return yard_mac_normalize (mac, NULL);
}

/* Per-host scripts */

static const YardIpxeHostMode ipxe_modes[] = {
  [YARD_HOST_MODE_MENU] = YARD_IPXE_HOST_MENU,
  [YARD_HOST_MODE_SCRIPT] = YARD_IPXE_HOST_SCRIPT,
  [YARD_HOST_MODE_URL] = YARD_IPXE_HOST_URL,
  [YARD_HOST_MODE_DISK] = YARD_IPXE_HOST_DISK,
  [YARD_HOST_MODE_IGNORE] = YARD_IPXE_HOST_IGNORE,
};

/* The host's script text, or NULL for an unknown MAC (the caller records it first). @base is
 * "http://ADDRESS:PORT" as the client reached us. */
static char *
build_host_script (YardHttpServer *self,
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

/* GET /boot/<mac>.ipxe for both request paths: records the host as seen and returns the
 * script, or a script that says what failed with status 500. */
static char *
host_script_reply (YardHttpServer *self,
                   const char     *mac,
                   const char     *peer,
                   const char     *base,
                   guint          *status)
{
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;
  char *script;

  host = yard_host_table_record_seen (yard_server_get_host_table (self->server), mac, -1, peer,
                                      NULL, NULL, NULL, &error);
  if (host == NULL)
    g_warning ("Could not record host %s: %s", mac, error->message);

  script = build_host_script (self, mac, base);
  if (script == NULL)
    {
      *status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
      return g_strdup ("#!ipxe\necho Bootyard could not write the script of this host\nexit 1\n");
    }

  if (host != NULL && host->once && host->mode != YARD_HOST_MODE_DISK &&
      host->mode != YARD_HOST_MODE_IGNORE)
    g_hash_table_replace (self->once_pending, g_strdup (peer), g_strdup (mac));

  g_message ("HTTP sent the %s script of host %s to %s",
             host ? yard_host_mode_to_string (host->mode) : "menu", mac, peer);
  *status = SOUP_STATUS_OK;
  return script;
}

/* "http://ADDRESS:PORT" for a local socket address: the address of the interface the client
 * came in on, so that a script's URLs work on every network the server is on. */
static char *
base_url_for_address (YardHttpServer *self,
                      GSocketAddress *local)
{
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

/* The file name in a request path under "/boot/", percent-decoded; NULL for a bad escape. */
static GBytes *
boot_name (const char *path,
           gsize       path_len)
{
  g_assert (path_len >= 6 && memcmp (path, "/boot/", 6) == 0);
  return g_uri_unescape_bytes (path + 6, path_len - 6, NULL, NULL);
}

/* libsoup's path: /boot/ on connections that libsoup owns */

struct _Transfer
{
  YardHttpServer    *self;
  SoupServerMessage *msg;
  int                fd;
  guint64            next;     /* next offset to read */
  guint64            end;      /* one past the last byte to send */
  guint64            queued;   /* bytes handed to libsoup */
  Stats             *stats;
};

static void
transfer_free (Transfer *t)
{
  if (t->msg != NULL)
    g_signal_handlers_disconnect_by_data (t->msg, t);
  g_clear_object (&t->msg);
  if (t->fd >= 0)
    close (t->fd);
  if (t->stats != NULL)
    stats_finish (t->self, t->stats);
  g_free (t);
}

/* Appends the next chunk, read with one pread, or completes the body. A read error ends the
 * body short: libsoup's answers say Connection: close (request_started_cb), so the client sees
 * a short body, never wrong bytes. */
static void
transfer_queue_chunk (Transfer *t)
{
  SoupMessageBody *body = soup_server_message_get_response_body (t->msg);
  gsize want;
  guint8 *buf;
  gssize n;

  if (t->next >= t->end)
    {
      soup_message_body_complete (body);
      return;
    }

  want = MIN ((guint64) CHUNK_SIZE, t->end - t->next);
  buf = g_malloc (want);
  do
    n = pread (t->fd, buf, want, (off_t) t->next);
  while (n < 0 && errno == EINTR);

  if (n <= 0)
    {
      g_free (buf);
      g_warning ("Reading “%s” for %s failed at byte %" G_GUINT64_FORMAT ": %s", t->stats->file,
                 t->stats->peer, t->next, n < 0 ? g_strerror (errno) : "the file got shorter");
      t->next = t->end;
      soup_message_body_complete (body);
      return;
    }

  t->next += n;
  t->queued += n;
  soup_message_body_append_take (body, buf, n);
}

static void
transfer_wrote_chunk_cb (SoupServerMessage *msg,
                         Transfer          *t)
{
  t->stats->sent = t->queued;
  stats_progress (t->self, t->stats);
  transfer_queue_chunk (t);
}

static void
transfer_finished_cb (SoupServerMessage *msg,
                      Transfer          *t)
{
  g_hash_table_remove (t->self->transfers, t);
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

static void
soup_serve_file (YardHttpServer    *self,
                 SoupServerMessage *msg,
                 const char        *name,
                 gsize              name_len,
                 const char        *peer)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  BootFile bf;
  Transfer *t;

  boot_file_open (self, name, name_len, peer, soup_message_headers_get_one (req, "If-None-Match"),
                  soup_message_headers_get_one (req, "If-Modified-Since"),
                  soup_message_headers_get_one (req, "If-Range"),
                  soup_message_headers_get_one (req, "Range"), &bf);
  /* Keep libsoup's own range handling out of it: we answer ranges ourselves. */
  soup_message_headers_remove (req, "Range");

  if (bf.status == SOUP_STATUS_FORBIDDEN || bf.status == SOUP_STATUS_NOT_FOUND)
    {
      set_text_response (msg, bf.status, bf.text);
      return;
    }
  soup_message_headers_replace (resp, "ETag", bf.etag);
  soup_message_headers_replace (resp, "Last-Modified", bf.last_modified);
  soup_message_headers_replace (resp, "Accept-Ranges", "bytes");
  if (bf.content_range[0] != '\0')
    soup_message_headers_replace (resp, "Content-Range", bf.content_range);
  if (bf.status == SOUP_STATUS_NOT_MODIFIED)
    {
      soup_server_message_set_status (msg, bf.status, NULL);
      boot_file_clear (&bf);
      return;
    }
  if (bf.text != NULL)
    {
      set_text_response (msg, bf.status, bf.text);
      boot_file_clear (&bf);
      return;
    }

  soup_server_message_set_status (msg, bf.status, NULL);
  soup_message_headers_set_content_type (resp, content_type_for (bf.file), NULL);
  soup_message_headers_set_encoding (resp, SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_length (resp, bf.end - bf.start);

  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD || bf.end == bf.start)
    {
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      boot_file_clear (&bf);
      return;
    }

  t = g_new0 (Transfer, 1);
  t->self = self;
  t->msg = g_object_ref (msg);
  t->fd = bf.fd;
  t->next = bf.start;
  t->end = bf.end;
  t->stats = stats_start (self, g_steal_pointer (&bf.file), peer, bf.st.st_size,
                          bf.end - bf.start);
  g_hash_table_add (self->transfers, t);

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (transfer_wrote_chunk_cb), t);
  g_signal_connect (msg, "finished", G_CALLBACK (transfer_finished_cb), t);
  transfer_queue_chunk (t);
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
  const char *host = soup_server_message_get_remote_host (msg);
  g_autofree char *peer = g_strdup (host ? host : "unknown");
  g_autoptr(GBytes) name = NULL;
  g_autofree char *mac = NULL;
  const char *data;
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
  name = boot_name (path, strlen (path));
  if (name == NULL)
    {
      set_text_response (msg, SOUP_STATUS_BAD_REQUEST, "Bad path\n");
      return;
    }

  data = g_bytes_get_data (name, &len);
  data = data ? data : "";
  if ((mac = host_script_mac (data, len)) != NULL)
    {
      g_autofree char *base = base_url_for_address (self,
                                                    soup_server_message_get_local_address (msg));
      guint status;
      char *script = host_script_reply (self, mac, peer, base, &status);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Cache-Control", "no-store");
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_TAKE,
                                        script, strlen (script));
      return;
    }
  soup_serve_file (self, msg, data, len, peer);
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

/* libsoup answers one request per connection. It has no listener (the listening sockets are
 * ours), and libsoup 3.2 keeps a connection alive only while it has one; it also never notices
 * a client that closes an idle connection, which would hold a descriptor for good. So every
 * answer from libsoup says so, and clients open a new connection for their next request. */
static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    YardHttpServer    *self)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  yard_api_request_started (self->api, msg);
}

/* Our path: plain GET and HEAD under /boot/, on an epoll set */

typedef enum
{
  CONN_CLIENT,    /* answered here */
  CONN_LISTENER,  /* a listening socket */
} ConnKind;

struct _Conn
{
  YardHttpServer *self;
  int             fd;
  ConnKind        kind;
  guint32         events;      /* what epoll watches for: EPOLLIN or EPOLLOUT */
  gint64          last_active;
  char            peer[INET6_ADDRSTRLEN];
  gboolean        keep_alive;  /* after this response */
  GString        *out;         /* head (and a small body) still to send */
  gsize           out_sent;
  int             file_fd;     /* body by sendfile: next..end of file_fd */
  guint64         next;
  guint64         end;
  Stats          *stats;
};

static void
conn_free (Conn *c)
{
  if (c->fd >= 0)
    close (c->fd);  /* also leaves the epoll set */
  if (c->file_fd >= 0)
    close (c->file_fd);
  if (c->stats != NULL)
    stats_finish (c->self, c->stats);
  if (c->out != NULL)
    g_string_free (c->out, TRUE);
  g_free (c);
}

static void
conn_close (Conn *c)
{
  g_hash_table_remove (c->self->conns, c);
}

static gboolean
conn_watch (Conn    *c,
            guint32  events)
{
  struct epoll_event ev = { .events = events, .data.ptr = c };

  if (c->events == events)
    return TRUE;
  if (epoll_ctl (c->self->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) != 0)
    {
      g_warning ("HTTP: cannot watch the connection of %s: %s", c->peer, g_strerror (errno));
      return FALSE;
    }
  c->events = events;
  return TRUE;
}

/* libsoup takes the connection for good, the request we peeked at still unread. */
static void
conn_hand_to_soup (Conn *c)
{
  YardHttpServer *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  int fd = c->fd;

  epoll_ctl (self->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
  c->fd = -1;
  conn_close (c);

  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    {
      g_warning ("HTTP: cannot hand a connection to the API server: %s", error->message);
      close (fd);
      return;
    }
  conn = g_socket_connection_factory_create_connection (socket);
  local = g_socket_get_local_address (socket, NULL);
  remote = g_socket_get_remote_address (socket, NULL);
  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (conn), local, remote, &error))
    {
      g_warning ("HTTP: the API server did not take a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
}

static const char *
cached_date (YardHttpServer *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (now != self->date_second)
    {
      self->date_second = now;
      yard_http_format_date (now, self->date);
    }
  return self->date;
}

/* Starts c->out with the status line and the headers every response has. */
static void
conn_begin_response (Conn       *c,
                     guint       status,
                     guint       version_minor)
{
  if (c->out == NULL)
    c->out = g_string_sized_new (512);
  g_string_truncate (c->out, 0);
  c->out_sent = 0;
  g_string_append_printf (c->out, "HTTP/1.1 %u %s\r\nDate: %s\r\nServer: bootyard/"
                          PACKAGE_VERSION "\r\n", status, soup_status_get_phrase (status),
                          cached_date (c->self));
  if (!c->keep_alive)
    g_string_append (c->out, "Connection: close\r\n");
  else if (version_minor == 0)
    g_string_append (c->out, "Connection: keep-alive\r\n");
}

static void
conn_text_response (Conn       *c,
                    guint       status,
                    guint       version_minor,
                    gboolean    head_only,
                    const char *extra,
                    const char *content_type,
                    const char *text)
{
  gsize len = strlen (text);

  conn_begin_response (c, status, version_minor);
  g_string_append_printf (c->out, "%sContent-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT
                          "\r\n\r\n", extra ? extra : "", content_type, len);
  if (!head_only)
    g_string_append_len (c->out, text, len);
}

static void
conn_serve_file (Conn                  *c,
                 const YardHttpRequest *req,
                 gboolean               head_only,
                 const char            *name,
                 gsize                  name_len)
{
  YardHttpServer *self = c->self;
  guint minor = req->version_minor;
  BootFile bf;

  boot_file_open (self, name, name_len, c->peer,
                  yard_http_request_get_header (req, "If-None-Match"),
                  yard_http_request_get_header (req, "If-Modified-Since"),
                  yard_http_request_get_header (req, "If-Range"),
                  yard_http_request_get_header (req, "Range"), &bf);

  if (bf.status == SOUP_STATUS_FORBIDDEN || bf.status == SOUP_STATUS_NOT_FOUND)
    {
      conn_text_response (c, bf.status, minor, head_only, NULL, "text/plain; charset=utf-8",
                          bf.text);
      return;
    }
  if (bf.status == SOUP_STATUS_NOT_MODIFIED)
    {
      conn_begin_response (c, bf.status, minor);
      g_string_append_printf (c->out, "ETag: %s\r\nLast-Modified: %s\r\n\r\n", bf.etag,
                              bf.last_modified);
      boot_file_clear (&bf);
      return;
    }
  if (bf.text != NULL)
    {
      g_autofree char *extra = g_strdup_printf ("Content-Range: %s\r\n", bf.content_range);

      conn_text_response (c, bf.status, minor, head_only, extra, "text/plain; charset=utf-8",
                          bf.text);
      boot_file_clear (&bf);
      return;
    }

  conn_begin_response (c, bf.status, minor);
  g_string_append_printf (c->out, "Content-Type: %s\r\nContent-Length: %" G_GUINT64_FORMAT
                          "\r\nAccept-Ranges: bytes\r\nETag: %s\r\nLast-Modified: %s\r\n",
                          content_type_for (bf.file), bf.end - bf.start, bf.etag,
                          bf.last_modified);
  if (bf.content_range[0] != '\0')
    g_string_append_printf (c->out, "Content-Range: %s\r\n", bf.content_range);
  g_string_append (c->out, "\r\n");

  if (head_only || bf.end == bf.start)
    {
      boot_file_clear (&bf);
      return;
    }
  c->file_fd = bf.fd;
  bf.fd = -1;
  c->next = bf.start;
  c->end = bf.end;
  c->stats = stats_start (self, g_steal_pointer (&bf.file), c->peer, bf.st.st_size,
                          bf.end - bf.start);
}

static void
conn_serve_script (Conn                  *c,
                   const YardHttpRequest *req,
                   gboolean               head_only,
                   const char            *mac)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *base = NULL;
  g_autofree char *script = NULL;
  struct sockaddr_storage ss;
  socklen_t ss_len = sizeof ss;
  guint status;

  if (getsockname (c->fd, (struct sockaddr *) &ss, &ss_len) == 0)
    local = g_socket_address_new_from_native (&ss, ss_len);
  base = base_url_for_address (c->self, local);
  script = host_script_reply (c->self, mac, c->peer, base, &status);
  conn_text_response (c, status, req->version_minor, head_only, "Cache-Control: no-store\r\n",
                      "text/plain; charset=utf-8", script);
}

/* Whether the request is one this path answers; FALSE hands the connection to libsoup. */
static gboolean
conn_takes (Conn                  *c,
            const YardHttpRequest *req)
{
  static const char * const once_only[] = { "Connection", "Range", "If-Range", "If-None-Match",
                                            "If-Modified-Since", "Content-Length" };
  const char *length = yard_http_request_get_header (req, "Content-Length");

  if (!c->self->serve_boot || req->version_minor > 1 ||
      (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD")) ||
      !g_str_has_prefix (req->target, "/boot/") || strchr (req->target, '#') != NULL)
    return FALSE;
  /* A body, or a handshake about one: libsoup reads it. */
  if ((length != NULL && !g_str_equal (length, "0")) ||
      yard_http_request_get_header (req, "Transfer-Encoding") != NULL ||
      yard_http_request_get_header (req, "Expect") != NULL ||
      yard_http_request_get_header (req, "Upgrade") != NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (once_only); i++)
    if (yard_http_request_count_header (req, once_only[i]) > 1)
      return FALSE;
  return TRUE;
}

static void conn_send (Conn *c);

static void
conn_read_request (Conn *c)
{
  YardHttpServer *self = c->self;
  YardHttpRequest req;
  g_autoptr(GBytes) name = NULL;
  g_autofree char *mac = NULL;
  const char *query;
  const char *data;
  gboolean head_only;
  gsize len;
  ssize_t n;

  do
    n = recv (c->fd, self->head, sizeof self->head, MSG_PEEK);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return;
  if (n <= 0)
    {
      conn_close (c);  /* the client closed it (between requests: nothing lost) */
      return;
    }

  if (yard_http_request_parse (self->head, n, &req) != YARD_HTTP_PARSE_OK || !conn_takes (c, &req))
    {
      conn_hand_to_soup (c);
      return;
    }

  /* Ours: take the head out of the socket (the bytes we already have). */
  do
    n = recv (c->fd, NULL, req.head_len, MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t) req.head_len)
    {
      conn_close (c);
      return;
    }

  c->last_active = g_get_monotonic_time ();
  c->keep_alive = req.version_minor >= 1
                    ? !yard_http_token_list_contains (
                        yard_http_request_get_header (&req, "Connection"), "close")
                    : yard_http_token_list_contains (
                        yard_http_request_get_header (&req, "Connection"), "keep-alive");
  head_only = g_str_equal (req.method, "HEAD");

  query = strchr (req.target, '?');
  len = query ? (gsize) (query - req.target) : strlen (req.target);
  name = boot_name (req.target, len);
  if (name == NULL)
    conn_text_response (c, SOUP_STATUS_BAD_REQUEST, req.version_minor, head_only, NULL,
                        "text/plain; charset=utf-8", "Bad path\n");
  else
    {
      data = g_bytes_get_data (name, &len);
      data = data ? data : "";
      if ((mac = host_script_mac (data, len)) != NULL)
        conn_serve_script (c, &req, head_only, mac);
      else
        conn_serve_file (c, &req, head_only, data, len);
    }
  conn_send (c);
}

/* Sends what is left of the response, as far as the socket takes it; then waits for the next
 * request, or closes. */
static void
conn_send (Conn *c)
{
  guint64 budget = SEND_SLICE;

  while (c->out != NULL && c->out_sent < c->out->len)
    {
      ssize_t n = send (c->fd, c->out->str + c->out_sent, c->out->len - c->out_sent,
                        MSG_NOSIGNAL | MSG_DONTWAIT | (c->file_fd >= 0 ? MSG_MORE : 0));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          conn_watch (c, EPOLLOUT);
          return;
        }
      if (n <= 0)
        {
          conn_close (c);
          return;
        }
      c->out_sent += n;
      c->last_active = g_get_monotonic_time ();
    }

  while (c->file_fd >= 0 && c->next < c->end)
    {
      off_t off = (off_t) c->next;
      ssize_t n;

      if (budget == 0)
        {
          /* Others' turn: epoll says again when this socket can take more. */
          conn_watch (c, EPOLLOUT);
          stats_progress (c->self, c->stats);
          return;
        }
      n = sendfile (c->fd, c->file_fd, &off, MIN (budget, c->end - c->next));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          conn_watch (c, EPOLLOUT);
          stats_progress (c->self, c->stats);
          return;
        }
      if (n <= 0)
        {
          if (n == 0)
            g_warning ("“%s” got shorter while %s was reading it", c->stats->file, c->peer);
          conn_close (c);
          return;
        }
      c->next += n;
      c->stats->sent += n;
      budget -= MIN ((guint64) n, budget);
      c->last_active = g_get_monotonic_time ();
    }

  if (c->file_fd >= 0)
    {
      close (c->file_fd);
      c->file_fd = -1;
      stats_finish (c->self, g_steal_pointer (&c->stats));
    }
  if (!c->keep_alive)
    {
      shutdown (c->fd, SHUT_WR);
      conn_close (c);
      return;
    }
  conn_watch (c, EPOLLIN);
}

static void
accept_all (YardHttpServer *self,
            Conn           *listener);

static gboolean
epoll_dispatch_cb (int           fd,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  YardHttpServer *self = user_data;
  struct epoll_event events[MAX_EVENTS];
  int n;

  n = epoll_wait (self->epoll_fd, events, MAX_EVENTS, 0);
  for (int i = 0; i < n; i++)
    {
      Conn *c = events[i].data.ptr;

      if (c->kind == CONN_LISTENER)
        accept_all (self, c);
      else if (!g_hash_table_contains (self->conns, c))
        continue;  /* closed by an earlier event of this round */
      else if ((c->out != NULL && c->out_sent < c->out->len) || c->file_fd >= 0)
        {
          if (events[i].events & (EPOLLERR | EPOLLHUP) && !(events[i].events & EPOLLOUT))
            conn_close (c);
          else
            conn_send (c);
        }
      else
        conn_read_request (c);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
resume_accept_cb (gpointer user_data)
{
  YardHttpServer *self = user_data;

  self->resume_id = 0;
  for (guint i = 0; i < self->listeners->len; i++)
    {
      Conn *l = g_ptr_array_index (self->listeners, i);
      struct epoll_event ev = { .events = EPOLLIN, .data.ptr = l };

      epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, l->fd, &ev);
    }
  return G_SOURCE_REMOVE;
}

static void
accept_all (YardHttpServer *self,
            Conn           *listener)
{
  for (;;)
    {
      struct sockaddr_storage ss;
      socklen_t ss_len = sizeof ss;
      struct epoll_event ev = { .events = EPOLLIN };
      int one = 1;
      Conn *c;
      int fd;

      fd = accept4 (listener->fd, (struct sockaddr *) &ss, &ss_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
          /* Out of file descriptors (or memory): stop accepting for a second rather than
           * spin on a listener that stays readable. */
          g_warning ("HTTP: cannot accept a connection: %s. Waiting a second; raise the limit "
                     "of open files (LimitNOFILE= in the unit, ulimit -n) if this repeats",
                     g_strerror (errno));
          if (self->resume_id == 0)
            {
              for (guint i = 0; i < self->listeners->len; i++)
                epoll_ctl (self->epoll_fd, EPOLL_CTL_DEL,
                           ((Conn *) g_ptr_array_index (self->listeners, i))->fd, NULL);
              self->resume_id = g_timeout_add_seconds (1, resume_accept_cb, self);
            }
          return;
        }

      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      c = g_new0 (Conn, 1);
      c->self = self;
      c->fd = fd;
      c->file_fd = -1;
      c->events = EPOLLIN;
      c->last_active = g_get_monotonic_time ();
      if (ss.ss_family == AF_INET6)
        inet_ntop (AF_INET6, &((struct sockaddr_in6 *) &ss)->sin6_addr, c->peer, sizeof c->peer);
      else if (ss.ss_family == AF_INET)
        inet_ntop (AF_INET, &((struct sockaddr_in *) &ss)->sin_addr, c->peer, sizeof c->peer);
      else
        g_strlcpy (c->peer, "unknown", sizeof c->peer);

      ev.data.ptr = c;
      if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
        {
          g_warning ("HTTP: cannot watch a new connection: %s", g_strerror (errno));
          c->fd = -1;
          close (fd);
          g_free (c);
          continue;
        }
      g_hash_table_add (self->conns, c);
    }
}

static gboolean
conn_is_stale (gpointer key,
               gpointer value,
               gpointer user_data)
{
  Conn *c = key;
  gint64 now = *(gint64 *) user_data;

  return now - c->last_active > IDLE_TIMEOUT_USEC;
}

/* Idle keep-alive connections, and clients that stopped reading, are closed. */
static gboolean
sweep_cb (gpointer user_data)
{
  YardHttpServer *self = user_data;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_foreach_remove (self->conns, conn_is_stale, &now);
  return G_SOURCE_CONTINUE;
}

/* Listening */

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

/* A listening TCP socket with a backlog like nginx's (511), so that 50 iPXE clients starting
 * at once do not wait for SYN retries. IPv6 sockets are IPv6 only, so that IPv4 clients see
 * their server as an IPv4 address. */
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

/* The listener joins the epoll set; its descriptor is ours from here on. */
static gboolean
add_listener (YardHttpServer  *self,
              GSocket         *socket,
              GError         **error)
{
  struct epoll_event ev = { .events = EPOLLIN };
  Conn *l = g_new0 (Conn, 1);

  l->self = self;
  l->kind = CONN_LISTENER;
  l->file_fd = -1;
  l->fd = dup (g_socket_get_fd (socket));
  ev.data.ptr = l;
  if (l->fd < 0 || !g_unix_set_fd_nonblocking (l->fd, TRUE, NULL) ||
      epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, l->fd, &ev) != 0)
    {
      int saved = errno;

      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "HTTP: cannot listen: %s",
                   g_strerror (saved));
      conn_free (l);
      return FALSE;
    }
  g_ptr_array_add (self->listeners, l);
  return TRUE;
}

static void
close_all (YardHttpServer *self)
{
  g_clear_handle_id (&self->epoll_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->resume_id, g_source_remove);
  g_hash_table_remove_all (self->conns);
  g_ptr_array_set_size (self->listeners, 0);
  if (self->epoll_fd >= 0)
    close (self->epoll_fd);
  self->epoll_fd = -1;
  if (self->root_fd >= 0)
    close (self->root_fd);
  self->root_fd = -1;
}

gboolean
yard_http_server_listen (YardHttpServer  *self,
                         const char      *address,
                         guint16          port,
                         GError         **error)
{
  const YardServerConfig *config;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *token = NULL;

  g_return_val_if_fail (YARD_IS_HTTP_SERVER (self), FALSE);

  if (self->soup != NULL)
    return TRUE;

  config = yard_server_get_config (self->server);
  token = yard_api_ensure_token (config->state_dir, error);
  if (token == NULL)
    return FALSE;

  inet = address ? g_inet_address_new_from_string (address)
                 : g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  if (inet == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "HTTP: “%s” is not an IPv4 or IPv6 address", address);
      return FALSE;
    }

  self->root_fd = open (config->root_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (self->root_fd < 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED,
                   "Cannot open the boot root “%s”: %s. Choose another with --root",
                   config->root_dir, g_strerror (saved));
      return FALSE;
    }
  self->epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  if (self->epoll_fd < 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "HTTP: epoll_create1: %s",
                   g_strerror (saved));
      close_all (self);
      return FALSE;
    }

  socket = tcp_listen (inet, port, &local_error);
  if (socket == NULL)
    {
      g_propagate_error (error, yard_socket_explain_bind_error (local_error, "HTTP", port,
                                                                "--http-port"));
      close_all (self);
      return FALSE;
    }
  self->port = socket_port (socket);
  if (!add_listener (self, socket, error))
    {
      close_all (self);
      return FALSE;
    }

  /* Every address: IPv6 too, on the same port, when the machine has IPv6. */
  if (address == NULL)
    {
      g_autoptr(GInetAddress) any6 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);
      g_autoptr(GError) v6_error = NULL;
      g_autoptr(GSocket) socket6 = tcp_listen (any6, self->port, &v6_error);

      if (socket6 == NULL || !add_listener (self, socket6, &v6_error))
        g_debug ("HTTP on IPv4 only: %s", v6_error->message);
    }

  self->soup = soup_server_new ("server-header", "bootyard/" PACKAGE_VERSION " ", NULL);
  self->api = yard_api_new (self->server, token);
  soup_server_add_handler (self->soup, "/boot", boot_handler, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1", api_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, default_handler, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);

  self->epoll_id = yard_fd_watch_add (self->epoll_fd, epoll_dispatch_cb, self, "[yard-http]");
  self->sweep_id = g_timeout_add_seconds (SWEEP_INTERVAL_SECONDS, sweep_cb, self);

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
  close_all (self);
  soup_server_disconnect (self->soup);
  g_signal_handlers_disconnect_by_data (self->soup, self);
  g_hash_table_remove_all (self->transfers);
  g_clear_object (&self->soup);
  g_clear_object (&self->api);
  g_hash_table_remove_all (self->once_pending);
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

  g_clear_pointer (&self->conns, g_hash_table_unref);
  g_clear_pointer (&self->listeners, g_ptr_array_unref);
  g_clear_pointer (&self->transfers, g_hash_table_unref);
  g_clear_pointer (&self->once_pending, g_hash_table_unref);

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
  self->epoll_fd = -1;
  self->conns = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) conn_free, NULL);
  self->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  self->transfers = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) transfer_free, NULL);
  self->once_pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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
