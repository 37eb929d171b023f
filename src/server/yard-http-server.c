/* yard-http-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One HTTP port carries two things: /boot/, the boot root for iPXE (kernels, initrds and
 * multi-GiB ISOs for sanboot) plus each host's own script at /boot/<mac>.ipxe; and /api/v1,
 * the API, which stays up when the boot services are stopped.
 *
 * The listening sockets are ours, and so is every connection until its request head has come
 * whole: libsoup has no timeouts and no limits, and mishandles some heads (a half-read one
 * held for good, an unknown Transfer-Encoding leaking the path, a reset client's NULL
 * address), so it only ever gets complete heads that we have read and checked. Each head is
 * read with MSG_PEEK, so it stays in the socket until we know who answers it (one that comes
 * in pieces is taken out of the socket as it comes: conn_keep_partial()):
 *  - a GET or HEAD under /boot/ is answered here, on one epoll set for every connection: the
 *    head written by us and the body by sendfile(2), as nginx does. Sanboot's thousands of
 *    range reads cost a few system calls each, not libsoup's message machinery.
 *  - an API request (/api/v1) with the right token and plain framing goes to libsoup with the
 *    connection, for good (soup_server_accept_iostream): untouched, or with the part of the
 *    head we took out of it first (YardPrefixInputStream). libsoup reads the body.
 *  - everything else is answered here without reading a body: no token (401), other paths
 *    (404) and methods (405), framing that libsoup would read otherwise (400, 501), heads we
 *    do not parse (400) or larger than 16 KiB (431).
 * Limits, as nginx's client_header_timeout and limit_conn: a head must be whole HEAD_TIMEOUT
 * after its first byte (or after the connect), an idle keep-alive connection lasts
 * KEEP_ALIVE_TIMEOUT, one address holds at most max_per_address connections and all hold at
 * most max_conns (a share of the descriptor limit, split with TFTP by yard-fd-limits), where
 * the longest-waiting connection makes room for a new one.
 * Names from the network reach the disk only through yard_root_open_file(), the gate TFTP
 * uses.
 *
 * The "once" policy (Equinix Metal's one-time PXE): when a host with once=true has been served
 * its script, the next /boot/ file that the same client address fetches completely (its kernel
 * or image) switches the host to disk.
 *
 * This file holds the fast path (our epoll set, sendfile, the limits and timeouts), listening
 * and the object; the boot-file rules are in yard-http-boot.c, the libsoup path (the API
 * hand-off) in yard-http-soup.c, what they share in yard-http-server-private.h.
 */

#define _GNU_SOURCE  /* accept4 */
#define G_LOG_DOMAIN "yard-http-server"

#include "config.h"

#include "yard-http-server-private.h"

G_DEFINE_FINAL_TYPE (YardHttpServer, yard_http_server, G_TYPE_OBJECT)

/* Our part: every connection until its head is read; /boot/ and every refusal, on one epoll
 * set */


/* Everything a connection holds (its descriptors, its place in a queue and in per_address,
 * its buffers), so that only the Conn itself is left. Once only. */
static void
conn_release (Conn *c)
{
  YardHttpServer *self = c->self;

  if (c->released)
    return;
  c->released = TRUE;
  if (c->queue != NULL)
    g_queue_unlink (c->queue, &c->link);
  c->queue = NULL;
  if (c->state != CONN_LISTENER)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, c->peer));

      if (n > 1)
        g_hash_table_insert (self->per_address, g_strdup (c->peer), GUINT_TO_POINTER (n - 1));
      else
        g_hash_table_remove (self->per_address, c->peer);
    }
  if (c->fd >= 0)
    close (c->fd);  /* also leaves the epoll set */
  c->fd = -1;
  if (c->file_fd >= 0)
    close (c->file_fd);
  c->file_fd = -1;
  if (c->stats != NULL)
    stats_finish (self, g_steal_pointer (&c->stats));
  if (c->out != NULL)
    g_string_free (g_steal_pointer (&c->out), TRUE);
  if (c->partial != NULL)
    {
      self->partial_bytes -= c->partial->len;
      g_clear_pointer (&c->partial, g_byte_array_unref);
    }
}

static void
conn_free (Conn *c)
{
  conn_release (c);
  g_free (c);
}

void
conn_close (Conn *c)
{
  YardHttpServer *self = c->self;

  /* During a round of epoll events a later event of the round may still point at c (the
   * connection that made room for a new one, say): its descriptors go now, the Conn itself
   * after the round, when no event can name it (ASan: a use after free). */
  if (self->closing != NULL && g_hash_table_steal (self->conns, c))
    {
      conn_release (c);
      g_ptr_array_add (self->closing, c);
    }
  else
    g_hash_table_remove (self->conns, c);
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

/* One timer for every deadline: the queues are in deadline order (one timeout each), so only
 * their first connections need a look. */
static void
timer_arm (YardHttpServer *self,
           gint64          deadline)
{
  if (self->timer_ready < 0 || deadline < self->timer_ready)
    {
      self->timer_ready = deadline;
      g_source_set_ready_time (self->timer, deadline);
    }
}

/* Moves @c to @state and to the queue that closes it when it waits too long there. */
static void
conn_set_state (Conn      *c,
                ConnState  state)
{
  YardHttpServer *self = c->self;
  GQueue *queue = NULL;

  if (c->state == state)
    return;
  if (c->queue != NULL)
    g_queue_unlink (c->queue, &c->link);
  c->state = state;
  c->queue = NULL;
  if (state == CONN_IDLE)
    {
      queue = &self->idle_queue;
      c->deadline = g_get_monotonic_time () + KEEP_ALIVE_TIMEOUT_USEC;
    }
  else if (state == CONN_HEAD || state == CONN_LINGER)
    {
      queue = &self->head_queue;
      c->deadline = g_get_monotonic_time () + HEAD_TIMEOUT_USEC;
    }
  if (queue != NULL)
    {
      c->queue = queue;
      g_queue_push_tail_link (queue, &c->link);
      timer_arm (self, c->deadline);
    }
}

static gint64
queue_deadline (GQueue *queue)
{
  return queue->head != NULL ? ((Conn *) queue->head->data)->deadline : G_MAXINT64;
}

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

/* Heads not whole in time, idle keep-alive connections and lingering closes end here. A head
 * timeout gets no 408: nginx sends none either, and the client is one that did not finish. */
static gboolean
timer_cb (gpointer user_data)
{
  YardHttpServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 next;

  while (queue_deadline (&self->head_queue) <= now)
    conn_close (self->head_queue.head->data);
  while (queue_deadline (&self->idle_queue) <= now)
    conn_close (self->idle_queue.head->data);

  next = MIN (queue_deadline (&self->head_queue), queue_deadline (&self->idle_queue));
  self->timer_ready = next == G_MAXINT64 ? -1 : next;
  g_source_set_ready_time (self->timer, self->timer_ready);
  return G_SOURCE_CONTINUE;
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

static const char *
status_phrase (guint status)
{
  /* libsoup 3.2 has no name for these. */
  if (status == 431)
    return "Request Header Fields Too Large";
  return soup_status_get_phrase (status);
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
                          PACKAGE_VERSION "\r\n", status, status_phrase (status),
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

/* A header that must come once, or its value: a duplicated one is as good as absent. */
static const char *
single_header (const YardHttpRequest *req,
               const char            *name)
{
  return yard_http_request_count_header (req, name) == 1
           ? yard_http_request_get_header (req, name) : NULL;
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
  const char *range = single_header (req, "Range");
  const char *if_range = single_header (req, "If-Range");
  BootFile bf;

  /* Two Range or If-Range lines (RFC 9110 14.2 allows a server to ignore Range): the file. */
  if (if_range == NULL && yard_http_request_count_header (req, "If-Range") > 0)
    range = NULL;
  boot_file_open (self, name, name_len, c->peer, single_header (req, "If-None-Match"),
                  single_header (req, "If-Modified-Since"), if_range, range, &bf);

  if (bf.status == SOUP_STATUS_FORBIDDEN || bf.status == SOUP_STATUS_NOT_FOUND)
    {
      conn_text_response (c, bf.status, minor, head_only, NULL, "text/plain; charset=utf-8",
                          bf.text);
      emit_refused (self, c->peer, name, name_len, bf.status);
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

/* GET /boot/MAC.machine?manufacturer=...: what a host's iPXE script reports of the machine
 * (yard_ipxe_host_script writes the request). Only hosts the table has: a report never adds
 * one. */
static void
conn_serve_machine (Conn                  *c,
                    const YardHttpRequest *req,
                    gboolean               head_only,
                    const char            *mac,
                    const char            *query)
{
  YardHostTable *hosts = yard_server_get_host_table (c->self->server);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(YardMachine) machine = NULL;
  g_autoptr(GError) error = NULL;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  machine = yard_machine_new_from_query (params);
  if (machine == NULL)
    {
      conn_text_response (c, SOUP_STATUS_BAD_REQUEST, req->version_minor, head_only, NULL,
                          "text/plain; charset=utf-8",
                          "Give the machine's manufacturer, product, serial, uuid, memsize or "
                          "chip\n");
      return;
    }
  if (hosts == NULL || !yard_host_table_record_machine (hosts, mac, machine, &error))
    {
      conn_text_response (c, SOUP_STATUS_NOT_FOUND, req->version_minor, head_only, NULL,
                          "text/plain; charset=utf-8", "No such host\n");
      return;
    }
  g_debug ("HTTP: host %s reported its machine", mac);
  conn_text_response (c, SOUP_STATUS_OK, req->version_minor, head_only,
                      "Cache-Control: no-store\r\n", "text/plain; charset=utf-8", "ok\n");
}

static void
conn_serve_boot (Conn                  *c,
                 const YardHttpRequest *req,
                 const char            *path,
                 gboolean               head_only)
{
  g_autoptr(GBytes) name = NULL;
  g_autofree char *mac = NULL;
  const char *query = strchr (path, '?');
  gsize len = query ? (gsize) (query - path) : strlen (path);
  const char *data;

  name = strchr (path, '#') == NULL ? boot_name (path, len) : NULL;
  if (name == NULL)
    {
      conn_text_response (c, SOUP_STATUS_BAD_REQUEST, req->version_minor, head_only, NULL,
                          "text/plain; charset=utf-8", "Bad path\n");
      return;
    }
  data = g_bytes_get_data (name, &len);
  data = data ? data : "";
  if ((mac = host_file_mac (data, len, ".ipxe")) != NULL)
    conn_serve_script (c, req, head_only, mac);
  else if ((mac = host_file_mac (data, len, ".machine")) != NULL)
    conn_serve_machine (c, req, head_only, mac, query != NULL ? query + 1 : "");
  else
    conn_serve_file (c, req, head_only, data, len);
}

static gboolean
is_api_path (const char *path)
{
  return g_str_has_prefix (path, API_PREFIX) &&
         (path[strlen (API_PREFIX)] == '\0' || path[strlen (API_PREFIX)] == '/' ||
          path[strlen (API_PREFIX)] == '?');
}

static void conn_send (Conn *c);

/* Answers a head that came whole, or hands it on. libsoup gets only API requests that carry
 * the token and whose framing it reads as we do; everything else is answered here, without
 * reading a request body: a body only ever reaches libsoup behind a valid token. */
static void
conn_drop_partial (Conn *c)
{
  if (c->partial != NULL)
    {
      c->self->partial_bytes -= c->partial->len;
      g_clear_pointer (&c->partial, g_byte_array_unref);
    }
}

/* @have bytes of the head were read before (c->partial), the rest is still in the socket. */
static void
conn_answer (Conn            *c,
             YardHttpRequest *req,
             gsize            have)
{
  YardHttpServer *self = c->self;
  const char *path = yard_http_target_path (req->target);
  gboolean head_only = g_str_equal (req->method, "HEAD");
  guint minor = req->version_minor;
  YardHttpBody body;
  guint64 body_length;
  guint refused;
  ssize_t n;

  refused = yard_http_request_get_body (req, &body, &body_length);
  if (refused == 0 && path == NULL)
    refused = SOUP_STATUS_BAD_REQUEST;
  if (refused == 0 && is_api_path (path))
    {
      if (yard_http_request_count_header (req, "Authorization") == 1 &&
          yard_api_authorization_is_valid (self->api,
                                           yard_http_request_get_header (req, "Authorization")))
        {
          /* libsoup answers 400 to an HTTP/1.1 head without one Host, after reading its body */
          if (minor == 0 || yard_http_request_count_header (req, "Host") == 1)
            {
              conn_hand_to_soup (c);
              return;
            }
          refused = SOUP_STATUS_BAD_REQUEST;
        }
    }

  /* Ours: take the rest of the head out of the socket (the bytes we already have). */
  do
    n = recv (c->fd, NULL, req->head_len - have, MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t) (req->head_len - have))
    {
      conn_close (c);
      return;
    }
  conn_drop_partial (c);

  c->keep_alive = minor >= 1 ? !yard_http_request_has_token (req, "Connection", "close")
                             : yard_http_request_has_token (req, "Connection", "keep-alive");
  /* A body we do not read: the connection ends after the answer, and conn_drain() reads the
   * rest away so that the close does not reset the answer before the client has read it. */
  c->linger = refused != 0 || body != YARD_HTTP_BODY_NONE;
  if (c->linger)
    c->keep_alive = FALSE;

  if (refused != 0)
    conn_text_response (c, refused, minor, head_only, NULL, "text/plain; charset=utf-8",
                        refused == SOUP_STATUS_NOT_IMPLEMENTED
                          ? "Only the chunked Transfer-Encoding is understood: send a Content-Length\n"
                          : "Bad request\n");
  else if (is_api_path (path))
    conn_text_response (c, SOUP_STATUS_UNAUTHORIZED, minor, head_only,
                        "WWW-Authenticate: Bearer realm=\"bootyard\"\r\n", "application/json",
                        yard_api_get_unauthorized_json (self->api));
  else if (!g_str_has_prefix (path, "/boot/"))
    conn_text_response (c, SOUP_STATUS_NOT_FOUND, minor, head_only, NULL,
                        "text/plain; charset=utf-8",
                        "Not found. Boot files are under /boot/, the API under /api/v1/\n");
  else if (!g_str_equal (req->method, "GET") && !head_only)
    conn_text_response (c, SOUP_STATUS_METHOD_NOT_ALLOWED, minor, FALSE, "Allow: GET, HEAD\r\n",
                        "text/plain; charset=utf-8", "Method not allowed\n");
  else if (!self->serve_boot)
    conn_text_response (c, SOUP_STATUS_SERVICE_UNAVAILABLE, minor, head_only, NULL,
                        "text/plain; charset=utf-8",
                        "Boot files are not served: the boot services are stopped\n");
  else if (body != YARD_HTTP_BODY_NONE)
    conn_text_response (c, SOUP_STATUS_BAD_REQUEST, minor, head_only, NULL,
                        "text/plain; charset=utf-8", "A GET or HEAD request has no body\n");
  else
    conn_serve_boot (c, req, path, head_only);
  conn_send (c);
}

/* Takes the @n bytes just peeked, the start of a head, out of the socket into c->partial.
 * Left there, they could hold the kernel's receive buffer full (a segment mostly read holds
 * all its memory), and a client that pipelines would never send the rest. */
static gboolean
conn_keep_partial (Conn  *c,
                   gsize  have,
                   gsize  n)
{
  YardHttpServer *self = c->self;
  ssize_t got;

  do
    got = recv (c->fd, NULL, n, MSG_TRUNC);
  while (got < 0 && errno == EINTR);
  if (got != (ssize_t) n)
    return FALSE;
  if (c->partial == NULL)
    c->partial = g_byte_array_sized_new (have + n);
  g_byte_array_append (c->partial, (const guint8 *) self->head + have, n);
  self->partial_bytes += n;

  /* Bounded in all: those that have waited longest make room. */
  while (self->partial_bytes > PARTIAL_HEADS_MAX && self->head_queue.head != NULL &&
         self->head_queue.head->data != c)
    conn_close (self->head_queue.head->data);
  return self->partial_bytes <= PARTIAL_HEADS_MAX;
}

/* Reads the next head with MSG_PEEK: it stays in the socket until we know who answers it. A
 * head in pieces is read as it comes (c->partial) and put in front of the socket's bytes. */
static void
conn_read_request (Conn *c)
{
  YardHttpServer *self = c->self;
  YardHttpRequest req;
  YardHttpParse parsed;
  gsize have = c->partial != NULL ? c->partial->len : 0;
  ssize_t n;

  if (have > 0)
    memcpy (self->head, c->partial->data, have);
  do
    n = recv (c->fd, self->head + have, sizeof self->head - have, MSG_PEEK);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return;
  if (n <= 0)
    {
      conn_close (c);  /* the client closed it (between requests: nothing lost) */
      return;
    }

  parsed = yard_http_request_parse (self->head, have + n, &req);
  if (parsed == YARD_HTTP_PARSE_INCOMPLETE)
    {
      /* The rest is on its way, or never comes: from its first byte a head has
       * HEAD_TIMEOUT_USEC. */
      conn_set_state (c, CONN_HEAD);
      if (!conn_keep_partial (c, have, n))
        conn_close (c);
      return;
    }

  c->last_active = g_get_monotonic_time ();
  conn_set_state (c, CONN_SENDING);
  if (parsed == YARD_HTTP_PARSE_INVALID)
    {
      /* Not a head we take (RFC 9112 allows us to refuse what we do not parse), or one larger
       * than we read: answered here, whatever follows it read away and the connection closed. */
      c->keep_alive = FALSE;
      c->linger = TRUE;
      conn_drop_partial (c);
      if (have + n >= sizeof self->head)
        conn_text_response (c, 431, 1, FALSE, NULL, "text/plain; charset=utf-8",
                            "The request head is larger than 16 KiB\n");
      else
        conn_text_response (c, SOUP_STATUS_BAD_REQUEST, 1, FALSE, NULL,
                            "text/plain; charset=utf-8", "Bad request\n");
      conn_send (c);
      return;
    }
  conn_answer (c, &req, have);
}

/* What a client sends after a request we refused without reading its body: read and dropped,
 * up to LINGER_MAX_BYTES and for HEAD_TIMEOUT_USEC (nginx's lingering close), so that our
 * close does not reset the connection before the client has read the answer. */
static void
conn_drain (Conn *c)
{
  for (;;)
    {
      ssize_t n = recv (c->fd, c->self->head, sizeof c->self->head, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      c->drained += MAX (n, 0);
      if (n <= 0 || c->drained > LINGER_MAX_BYTES)
        {
          conn_close (c);
          return;
        }
    }
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
      c->unacked = -1;
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
      c->unacked = -1;
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
      if (!c->linger)
        {
          conn_close (c);
          return;
        }
      conn_set_state (c, CONN_LINGER);
      conn_watch (c, EPOLLIN);
      conn_drain (c);
      return;
    }
  conn_set_state (c, CONN_IDLE);
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
  self->closing = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < n; i++)
    {
      Conn *c = events[i].data.ptr;

      if (c->state == CONN_LISTENER)
        accept_all (self, c);
      else if (!g_hash_table_contains (self->conns, c))
        continue;  /* closed by an earlier event of this round */
      else if (c->state == CONN_SENDING)
        {
          if (events[i].events & (EPOLLERR | EPOLLHUP) && !(events[i].events & EPOLLOUT))
            conn_close (c);
          else
            conn_send (c);
        }
      else if (c->state == CONN_LINGER)
        conn_drain (c);
      else
        conn_read_request (c);
    }
  g_clear_pointer (&self->closing, g_ptr_array_unref);
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

/* Whether a new connection from @peer may stay: at most max_per_address from one address, so
 * that one client cannot take what the others need, and at most max_conns in all, where the
 * connection that has waited longest for a request makes room. */
static gboolean
admit (YardHttpServer *self,
       const char     *peer)
{
  guint from_peer = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, peer));
  gint64 now;

  if (from_peer < self->max_per_address)
    {
      if (g_hash_table_size (self->conns) < self->max_conns)
        return TRUE;
      if (self->idle_queue.head != NULL)
        {
          conn_close (self->idle_queue.head->data);
          return TRUE;
        }
      if (self->head_queue.head != NULL)
        {
          conn_close (self->head_queue.head->data);
          return TRUE;
        }
    }

  /* One line now and then, with a count, not one per connection of a flood. */
  self->refused++;
  now = g_get_monotonic_time ();
  if (now - self->refused_logged >= REFUSED_LOG_INTERVAL_USEC)
    {
      g_message ("HTTP refused %u connection%s (the last from %s): at most %u at once from one "
                 "address and %u in all", self->refused, self->refused == 1 ? "" : "s", peer,
                 self->max_per_address, self->max_conns);
      self->refused = 0;
      self->refused_logged = now;
    }
  return FALSE;
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
      char peer[INET6_ADDRSTRLEN];
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

      if (ss.ss_family == AF_INET6)
        inet_ntop (AF_INET6, &((struct sockaddr_in6 *) &ss)->sin6_addr, peer, sizeof peer);
      else if (ss.ss_family == AF_INET)
        inet_ntop (AF_INET, &((struct sockaddr_in *) &ss)->sin_addr, peer, sizeof peer);
      else
        g_strlcpy (peer, "unknown", sizeof peer);
      if (!admit (self, peer))
        {
          close (fd);
          continue;
        }

      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      c = g_new0 (Conn, 1);
      c->self = self;
      c->fd = fd;
      c->file_fd = -1;
      c->state = CONN_SENDING;  /* in no queue until conn_set_state() below */
      c->events = EPOLLIN;
      c->link.data = c;
      c->last_active = g_get_monotonic_time ();
      c->unacked = -1;
      memcpy (&c->remote, &ss, ss_len);
      c->remote_len = ss_len;
      g_strlcpy (c->peer, peer, sizeof c->peer);

      ev.data.ptr = c;
      if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
        {
          g_warning ("HTTP: cannot watch a new connection: %s", g_strerror (errno));
          close (fd);
          g_free (c);
          continue;
        }
      g_hash_table_add (self->conns, c);
      g_hash_table_insert (self->per_address, g_strdup (peer),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (
                             g_hash_table_lookup (self->per_address, peer)) + 1));
      /* From its connect, the first head has HEAD_TIMEOUT_USEC, as every later one has from
       * its first byte. */
      conn_set_state (c, CONN_HEAD);
    }
}

static gboolean
conn_is_stale (gpointer key,
               gpointer value,
               gpointer user_data)
{
  Conn *c = key;
  gint64 now = *(gint64 *) user_data;
  int unacked;

  if (c->state != CONN_SENDING)
    return FALSE;
  /* What we wrote and the client has not acknowledged yet: less than at the last sweep (and we
   * wrote nothing since, which resets it) means the client is reading, however slowly. */
  if (ioctl (c->fd, SIOCOUTQ, &unacked) == 0)
    {
      if (c->unacked >= 0 && unacked < c->unacked)
        c->last_active = now;
      c->unacked = unacked;
    }
  return now - c->last_active > SEND_TIMEOUT_USEC;
}

/* Clients that stopped reading their response are closed. */
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
  l->state = CONN_LISTENER;
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

/* The descriptor limit (the daemon raised it), split with TFTP in one place: yard-fd-limits. */
static void
size_limits (YardHttpServer *self)
{
  YardFdLimits limits;

  yard_fd_limits_for_process (&limits);
  self->max_conns = limits.http_connections;
  self->max_per_address = limits.http_per_address;
  g_debug ("HTTP: %" G_GUINT64_FORMAT " descriptors: at most %u connections, %u per address",
           limits.descriptors, self->max_conns, self->max_per_address);
}

static void
close_all (YardHttpServer *self)
{
  g_clear_handle_id (&self->epoll_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->resume_id, g_source_remove);
  g_hash_table_remove_all (self->conns);
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
  self->timer_ready = -1;
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
  size_limits (self);
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
  soup_server_add_handler (self->soup, API_PREFIX, api_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, default_handler, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);

  self->epoll_id = yard_fd_watch_add (self->epoll_fd, epoll_dispatch_cb, self, "[yard-http]");
  self->sweep_id = g_timeout_add_seconds (SWEEP_INTERVAL_SECONDS, sweep_cb, self);
  self->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_name (self->timer, "[yard-http] deadlines");
  g_source_attach (self->timer, NULL);

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
  g_clear_pointer (&self->per_address, g_hash_table_unref);
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
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->timer_ready = -1;
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
