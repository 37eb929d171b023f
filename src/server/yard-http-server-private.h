/* yard-http-server-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the HTTP server share: yard-http-server.c (the fast path: our epoll set,
 * sendfile, limits and timeouts; listening and the object), yard-http-boot.c (the boot-file
 * rules: which /boot/ names map to which files, refusals, the per-host scripts, the "once"
 * policy) and yard-http-soup.c (the libsoup path: the API hand-off).
 */

#pragma once

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/sockios.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "yard-api.h"
#include "yard-error.h"
#include "yard-fd-limits.h"
#include "yard-host-table.h"
#include "yard-http-request.h"
#include "yard-http-server.h"
#include "yard-ipxe.h"
#include "yard-prefix-input-stream.h"
#include "yard-root-file.h"
#include "yard-socket.h"

#define PROGRESS_INTERVAL_USEC (500 * 1000)
/* At most this much per socket wake-up, so that 50 clients take turns. */
#define SEND_SLICE (4 * 1024 * 1024)
/* A request head must be whole this long after its first byte, or after the connect: iPXE and
 * curl send theirs in one segment, a client that trickles one is holding a descriptor. */
#define HEAD_TIMEOUT_USEC (5 * G_USEC_PER_SEC)
/* A kept-alive connection with no request for this long is closed. */
#define KEEP_ALIVE_TIMEOUT_USEC (60 * G_USEC_PER_SEC)
/* A client that takes no byte of its response for this long is closed: no byte acknowledged, not
 * only none written by us, since the socket's send buffer (up to tcp_wmem's 4 MiB) can hold
 * more than a minute of a slow reader's bytes (lpxelinux's small TCP stack recovering from
 * lost frames), and a closed socket then ends its file early. */
#define SEND_TIMEOUT_USEC (60 * G_USEC_PER_SEC)
#define SWEEP_INTERVAL_SECONDS 10
/* What a refused request may still send before the close: read and dropped (conn_drain). */
#define LINGER_MAX_BYTES (1024 * 1024)
#define REFUSED_LOG_INTERVAL_USEC (10 * G_USEC_PER_SEC)
/* Heads that came in pieces, taken out of their sockets: at most this much in all, the oldest
 * make room (one address holds at most max_per_address * 16 KiB of it). */
#define PARTIAL_HEADS_MAX (8 * 1024 * 1024)
#define MAX_EVENTS 64
#define API_PREFIX "/api/v1"

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
  GSource     *timer;        /* the first deadline of head_queue and idle_queue */
  gint64       timer_ready;  /* its ready time, -1: none */
  GPtrArray   *listeners;    /* Conn* in state CONN_LISTENER */
  GHashTable  *conns;        /* Conn* set: connections that are ours */
  GPtrArray   *closing;      /* Conn* closed during this round of epoll events; NULL between */
  GHashTable  *per_address;  /* peer address -> how many of conns */
  GQueue       head_queue;   /* Conn* waiting for a head, or lingering: by deadline */
  GQueue       idle_queue;   /* Conn* kept alive between requests: by deadline */
  guint        max_conns;
  guint        max_per_address;
  gsize        partial_bytes; /* of every Conn's partial */
  guint        refused;      /* connections refused since refused_logged */
  gint64       refused_logged;
  GHashTable  *once_pending; /* peer address -> mac: script served to a "once" host */
  gint64       date_second;
  char         date[32];     /* Date: for date_second */
  char         head[YARD_HTTP_MAX_HEAD];
};

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

typedef enum
{
  CONN_LISTENER,  /* a listening socket */
  CONN_IDLE,      /* kept alive, no byte of the next request yet: in idle_queue */
  CONN_HEAD,      /* a head on its way, to be whole within HEAD_TIMEOUT_USEC: in head_queue */
  CONN_SENDING,   /* a response on its way; the sweep closes a client that stopped reading */
  CONN_LINGER,    /* answered and shut for writing: in head_queue, see conn_drain() */
} ConnState;

struct _Conn
{
  YardHttpServer          *self;
  int                      fd;
  ConnState                state;
  guint32                  events;      /* what epoll watches for */
  GList                    link;        /* in ->queue; link.data is this Conn */
  GQueue                  *queue;       /* head_queue, idle_queue or NULL */
  gint64                   deadline;    /* closed then, while in a queue */
  gint64                   last_active; /* last byte written, or last one the client took */
  int                      unacked;     /* unacknowledged at the last sweep (SIOCOUTQ), -1: none */
  struct sockaddr_storage  remote;      /* from accept(): a reset socket has no peer to ask */
  socklen_t                remote_len;
  char                     peer[INET6_ADDRSTRLEN];
  GByteArray              *partial;     /* the start of a head that came in pieces, read */
  gboolean                 keep_alive;  /* after this response */
  gboolean                 linger;      /* a request body may follow, unread */
  guint64                  drained;
  gboolean                 released;    /* conn_release() ran: only the Conn is left */
  GString                 *out;         /* head (and a small body) still to send */
  gsize                    out_sent;
  int                      file_fd;     /* body by sendfile: next..end of file_fd */
  guint64                  next;
  guint64                  end;
  Stats                   *stats;
};

G_BEGIN_DECLS

/* yard-http-server.c */
void conn_close (Conn *c);

/* yard-http-boot.c */
Stats *stats_start (YardHttpServer *self,
                    char           *file,
                    const char     *peer,
                    guint64         size,
                    guint64         length);
void stats_progress (YardHttpServer *self,
                     Stats          *s);
void stats_finish (YardHttpServer *self,
                   Stats          *s);
void emit_refused (YardHttpServer *self,
                   const char     *peer,
                   const char     *name,
                   gsize           name_len,
                   guint           status);
void boot_file_clear (BootFile *bf);
void boot_file_open (YardHttpServer *self,
                     const char     *name,
                     gsize           name_len,
                     const char     *peer,
                     const char     *if_none_match,
                     const char     *if_modified_since,
                     const char     *if_range,
                     const char     *range_header,
                     BootFile       *bf);
const char *content_type_for (const char *name);
char *host_file_mac (const char *name,
                     gsize       len,
                     const char *suffix);
char *host_script_reply (YardHttpServer *self,
                         const char     *mac,
                         const char     *peer,
                         const char     *base,
                         guint          *status);
char *base_url_for_address (YardHttpServer *self,
                            GSocketAddress *local);
GBytes *boot_name (const char *path,
                   gsize       path_len);

/* yard-http-soup.c */
void api_handler (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data);
void default_handler (SoupServer        *soup,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data);
void request_started_cb (SoupServer        *soup,
                         SoupServerMessage *msg,
                         YardHttpServer    *self);
void conn_hand_to_soup (Conn *c);

G_END_DECLS
