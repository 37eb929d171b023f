/* yard-http-boot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The boot-file rules of the HTTP server: which /boot/ names map to which files under the root
 * (through yard_root_open_file(), the gate TFTP uses) and which are refused, validators and
 * ranges, the per-host scripts at /boot/<mac>.ipxe, the events a file body sends, and the
 * "once" policy (see yard-http-server.c).
 */

#define _GNU_SOURCE  /* accept4 */
#define G_LOG_DOMAIN "yard-http-server"

#include "config.h"

#include "yard-http-server-private.h"

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

Stats *
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

void
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
void
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

/* A boot file that is not served, as TFTP's refusals say it ("transfer-refused" with reason
 * "not-found" or "forbidden"), so that the boot doctor names a missing file whichever way the
 * loader asked. Only /boot/ files come here: API paths, per-host scripts and reports do not. */
void
emit_refused (YardHttpServer *self,
              const char     *peer,
              const char     *name,
              gsize           name_len,
              guint           status)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *file = yard_root_normalize_name (name, name_len, NULL);

  /* a name that is no path under the root (NUL, "..") is refused, not missing: as written */
  if (file == NULL)
    file = g_utf8_make_valid (name, MIN (name_len, 512));
  json_object_set_string_member (payload, "protocol", "http");
  json_object_set_string_member (payload, "peer", peer);
  json_object_set_string_member (payload, "file", file);
  json_object_set_string_member (payload, "reason",
                                 status == SOUP_STATUS_NOT_FOUND ? "not-found" : "forbidden");
  json_object_set_string_member (payload, "error",
                                 status == SOUP_STATUS_NOT_FOUND ? "Not found" : "Forbidden");
  yard_server_emit_event (self->server, "transfer-refused", payload);
}


void
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
void
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

const char *
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

/* "52:54:00:12:34:56.ipxe" or "52-54-00-12-34-56.ipxe" (suffix ".ipxe") → normalized MAC,
 * else NULL. */
char *
host_file_mac (const char *name,
               gsize       len,
               const char *suffix)
{
  g_autofree char *mac = NULL;
  gsize suffix_len = strlen (suffix);

  if (len != 17 + suffix_len || memchr (name, '\0', len) != NULL ||
      memcmp (name + 17, suffix, suffix_len) != 0)
    return NULL;
  mac = g_strndup (name, 17);
  return yard_mac_normalize (mac, NULL);
}

/* Per-host scripts */

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
  YardBootMenu *menu = NULL;
  char *script;

  host = yard_host_table_dup_host (yard_server_get_host_table (self->server), mac);
  if (host == NULL)
    return NULL;
  if (host->mode == YARD_HOST_MODE_MENU)
    menu = yard_server_get_menu (self->server, &menu_error);
  script = yard_ipxe_script_for_host (host, base, menu, menu_error,
                                      yard_server_get_config (self->server)->root_dir, &error);
  if (script == NULL)
    g_warning ("Cannot write the script of host %s: %s", host->mac, error->message);
  return script;
}

/* GET /boot/<mac>.ipxe for both request paths: records the host as seen and returns the
 * script, or a script that says what failed with status 500. */
char *
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
char *
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
GBytes *
boot_name (const char *path,
           gsize       path_len)
{
  g_assert (path_len >= 6 && memcmp (path, "/boot/", 6) == 0);
  return g_uri_unescape_bytes (path + 6, path_len - 6, NULL, NULL);
}
