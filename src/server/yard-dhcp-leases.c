/* yard-dhcp-leases.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full DHCP mode hands out addresses from --dhcp-range. A host keeps its address across
 * restarts of the server: bound leases are written to dhcp-leases.json in the state
 * directory, atomically (a crash leaves the old file whole). Offers are only reserved in
 * memory for a minute: a client that never sends its REQUEST does not use up the pool.
 */

#define G_LOG_DOMAIN "yard-dhcp-leases"

#include "config.h"

#include <arpa/inet.h>
#include <json-glib/json-glib.h>

#include "yard-dhcp-leases.h"
#include "yard-error.h"
#include "yard-json.h"
#include "yard-rate-limit.h"

#define OFFER_SECONDS    60
#define MAX_RANGE_SIZE   65536
#define DEFAULT_LEASE    3600
#define FULL_WARNING_INTERVAL 60  /* seconds between two "no free address" warnings */

typedef enum
{
  LEASE_OFFERED,
  LEASE_BOUND,
  LEASE_DECLINED,   /* someone else uses the address: keep it out of the pool for a while */
} LeaseState;

typedef struct
{
  char       *mac;
  guint32     address;
  gint64      expires;
  LeaseState  state;
} Lease;

struct _YardDhcpLeases
{
  guint32     start;
  guint32     end;
  guint       lease_seconds;
  guint32     server_address;
  char       *path;
  GHashTable *by_address;  /* GUINT_TO_POINTER (address) -> Lease (owned) */
  GHashTable *by_mac;      /* mac -> Lease (borrowed from by_address) */
  YardRateLimit full_warnings;
};

static void
lease_free (Lease *lease)
{
  g_free (lease->mac);
  g_free (lease);
}

static gboolean
parse_ipv4 (const char *text,
            guint32    *out)
{
  struct in_addr in;

  if (inet_pton (AF_INET, text, &in) != 1)
    return FALSE;
  *out = ntohl (in.s_addr);
  return TRUE;
}

static char *
format_ipv4 (guint32 address)
{
  struct in_addr in = { .s_addr = htonl (address) };
  char buf[INET_ADDRSTRLEN];

  return g_strdup (inet_ntop (AF_INET, &in, buf, sizeof buf));
}

/* "10.0.0.100,10.0.0.200[,LEASE]" where LEASE is seconds or 30m, 12h, 2d */
gboolean
yard_dhcp_range_parse (const char  *range,
                       guint32     *start,
                       guint32     *end,
                       guint       *lease_seconds,
                       GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 lease = DEFAULT_LEASE;

  g_return_val_if_fail (range != NULL, FALSE);

  parts = g_strsplit (range, ",", -1);
  if (g_strv_length (parts) < 2 || g_strv_length (parts) > 3 ||
      !parse_ipv4 (g_strstrip (parts[0]), start) || !parse_ipv4 (g_strstrip (parts[1]), end))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "--dhcp-range “%s” is not START,END[,LEASE]: give two IPv4 addresses of "
                   "the interface's network, for example 192.168.50.100,192.168.50.200,12h",
                   range);
      return FALSE;
    }
  if (*end < *start)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "--dhcp-range “%s” ends before it starts: give the lower address first",
                   range);
      return FALSE;
    }
  if ((guint64) *end - *start + 1 > MAX_RANGE_SIZE)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "--dhcp-range “%s” holds more than %u addresses: give a smaller range",
                   range, MAX_RANGE_SIZE);
      return FALSE;
    }
  if (parts[2] != NULL)
    {
      char *s = g_strstrip (parts[2]);
      char *endp = NULL;
      guint64 mult = 1;

      lease = g_ascii_strtoull (s, &endp, 10);
      if (endp != NULL && *endp != '\0')
        {
          if (g_str_equal (endp, "s"))
            mult = 1;
          else if (g_str_equal (endp, "m"))
            mult = 60;
          else if (g_str_equal (endp, "h"))
            mult = 3600;
          else if (g_str_equal (endp, "d"))
            mult = 86400;
          else
            mult = 0;
        }
      if (endp == s || mult == 0 || lease == 0 || lease * mult < 60 || lease * mult > 365 * 86400)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       "--dhcp-range: the lease time “%s” is not a duration between 60 seconds "
                       "and a year: give seconds, or a number with m, h or d (for example 12h)",
                       s);
          return FALSE;
        }
      lease *= mult;
    }
  *lease_seconds = (guint) lease;
  return TRUE;
}

YardDhcpLeases *
yard_dhcp_leases_new (guint32     start,
                      guint32     end,
                      guint       lease_seconds,
                      guint32     server_address,
                      const char *path)
{
  YardDhcpLeases *leases = g_new0 (YardDhcpLeases, 1);

  g_return_val_if_fail (start <= end, NULL);

  leases->start = start;
  leases->end = end;
  leases->lease_seconds = lease_seconds;
  leases->server_address = server_address;
  leases->path = g_strdup (path);
  leases->by_address = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) lease_free);
  leases->by_mac = g_hash_table_new (g_str_hash, g_str_equal);
  return leases;
}

void
yard_dhcp_leases_free (YardDhcpLeases *leases)
{
  if (leases == NULL)
    return;
  g_hash_table_unref (leases->by_mac);
  g_hash_table_unref (leases->by_address);
  g_free (leases->path);
  g_free (leases);
}

static gboolean
in_range (YardDhcpLeases *leases,
          guint32         address)
{
  return address >= leases->start && address <= leases->end &&
         address != leases->server_address;
}

static void
remove_lease (YardDhcpLeases *leases,
              Lease          *lease)
{
  if (lease->mac != NULL && g_hash_table_lookup (leases->by_mac, lease->mac) == lease)
    g_hash_table_remove (leases->by_mac, lease->mac);
  g_hash_table_remove (leases->by_address, GUINT_TO_POINTER (lease->address));
}

static Lease *
add_lease (YardDhcpLeases *leases,
           const char     *mac,
           guint32         address,
           gint64          expires,
           LeaseState      state)
{
  Lease *lease = g_new0 (Lease, 1);
  Lease *old;

  old = g_hash_table_lookup (leases->by_address, GUINT_TO_POINTER (address));
  if (old != NULL)
    remove_lease (leases, old);
  if (mac != NULL && (old = g_hash_table_lookup (leases->by_mac, mac)) != NULL)
    remove_lease (leases, old);

  lease->mac = g_strdup (mac);
  lease->address = address;
  lease->expires = expires;
  lease->state = state;
  g_hash_table_insert (leases->by_address, GUINT_TO_POINTER (address), lease);
  if (lease->mac != NULL)
    g_hash_table_insert (leases->by_mac, lease->mac, lease);
  return lease;
}

static gboolean
save (YardDhcpLeases  *leases,
      GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autoptr(GList) values = NULL;

  if (leases->path == NULL)
    return TRUE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "leases");
  json_builder_begin_array (builder);
  values = g_hash_table_get_values (leases->by_address);
  for (GList *l = values; l != NULL; l = l->next)
    {
      Lease *lease = l->data;
      g_autofree char *address = NULL;

      if (lease->state != LEASE_BOUND)
        continue;
      address = format_ipv4 (lease->address);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mac");
      json_builder_add_string_value (builder, lease->mac);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address);
      json_builder_set_member_name (builder, "expires");
      json_builder_add_int_value (builder, lease->expires);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  if (!g_file_set_contents_full (leases->path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      g_prefix_error (error, "Cannot save the DHCP leases (check the state directory): ");
      return FALSE;
    }
  return TRUE;
}

/* A missing file is an empty pool; a broken one is an error naming the file, since silently
 * dropping leases would hand the same address to two hosts. */
gboolean
yard_dhcp_leases_load (YardDhcpLeases  *leases,
                       gint64           now,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonArray *array;
  JsonObject *object;

  if (leases->path == NULL || !g_file_test (leases->path, G_FILE_TEST_EXISTS))
    return TRUE;

  /* Read whole, then parsed with its nesting bounded: json-glib recurses. */
  if (!g_file_get_contents (leases->path, &contents, &length, &local_error) ||
      (root = yard_json_parse (contents, length, YARD_JSON_MAX_DEPTH, &local_error)) == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   "%s: %s. Fix or remove the file (hosts then get new addresses)",
                   leases->path, local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member ((object = json_node_get_object (root)), "leases") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "leases")))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   "%s: not a Bootyard lease file (no \"leases\" list). Fix or remove the "
                   "file (hosts then get new addresses)", leases->path);
      return FALSE;
    }

  array = json_object_get_array_member (object, "leases");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *item;
      const char *mac, *address;
      guint32 addr;
      gint64 expires;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      mac = json_object_get_string_member_with_default (item, "mac", NULL);
      address = json_object_get_string_member_with_default (item, "address", NULL);
      expires = json_object_get_int_member_with_default (item, "expires", 0);
      if (mac == NULL || address == NULL || !parse_ipv4 (address, &addr))
        {
          g_warning ("%s: lease %u is incomplete; ignoring it", leases->path, i);
          continue;
        }
      /* A lease outside today's range stays out: the range was changed on purpose. */
      if (!in_range (leases, addr))
        continue;
      add_lease (leases, mac, addr, expires, LEASE_BOUND);
    }
  g_debug ("Loaded %u leases from %s", g_hash_table_size (leases->by_address), leases->path);
  return TRUE;
}

static gboolean
is_free (YardDhcpLeases *leases,
         guint32         address,
         const char     *mac,
         gint64          now)
{
  Lease *lease = g_hash_table_lookup (leases->by_address, GUINT_TO_POINTER (address));

  if (!in_range (leases, address))
    return FALSE;
  if (lease == NULL)
    return TRUE;
  if (lease->mac != NULL && g_strcmp0 (lease->mac, mac) == 0 && lease->state != LEASE_DECLINED)
    return TRUE;
  /* Expired offers are free; expired bound leases only when nothing else is (see offer). */
  return lease->state == LEASE_OFFERED && lease->expires <= now;
}

/* The address to offer @mac: its own lease, else the one it asks for, else a never-used one,
 * else the longest-expired one. 0 when the pool is exhausted. */
guint32
yard_dhcp_leases_offer (YardDhcpLeases *leases,
                        const char     *mac,
                        guint32         requested,
                        gint64          now)
{
  Lease *mine = g_hash_table_lookup (leases->by_mac, mac);
  Lease *oldest = NULL;
  guint32 address = 0;

  g_return_val_if_fail (mac != NULL, 0);

  if (mine != NULL && in_range (leases, mine->address) && mine->state != LEASE_DECLINED)
    {
      if (mine->state == LEASE_OFFERED)
        mine->expires = now + OFFER_SECONDS;
      else if (mine->expires <= now)
        mine->expires = now + OFFER_SECONDS;   /* lapsed, but still this host's address */
      return mine->address;
    }

  if (requested != 0 && is_free (leases, requested, mac, now))
    address = requested;

  for (guint32 a = leases->start; address == 0 && a <= leases->end && a >= leases->start; a++)
    if (is_free (leases, a, mac, now))
      address = a;

  if (address == 0)
    {
      GHashTableIter iter;
      Lease *lease;

      g_hash_table_iter_init (&iter, leases->by_address);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lease))
        if (lease->expires <= now && (oldest == NULL || lease->expires < oldest->expires))
          oldest = lease;
      if (oldest == NULL)
        return 0;
      address = oldest->address;
    }

  add_lease (leases, mac, address, now + OFFER_SECONDS, LEASE_OFFERED);
  return address;
}

/* REQUEST: binds @address to @mac if it is free or already @mac's, and saves the pool. */
gboolean
yard_dhcp_leases_request (YardDhcpLeases  *leases,
                          const char      *mac,
                          guint32          address,
                          gint64           now,
                          GError         **error)
{
  Lease *lease = g_hash_table_lookup (leases->by_address, GUINT_TO_POINTER (address));

  if (!in_range (leases, address))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL, "address outside the range");
      return FALSE;
    }
  if (lease != NULL && g_strcmp0 (lease->mac, mac) != 0 &&
      !(lease->expires <= now && lease->state != LEASE_DECLINED))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL, "address leased to another host");
      return FALSE;
    }
  if (lease != NULL && lease->state == LEASE_DECLINED)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL, "address declined as in use");
      return FALSE;
    }

  add_lease (leases, mac, address, now + leases->lease_seconds, LEASE_BOUND);
  return save (leases, error);
}

void
yard_dhcp_leases_release (YardDhcpLeases *leases,
                          const char     *mac,
                          guint32         address)
{
  Lease *lease = g_hash_table_lookup (leases->by_address, GUINT_TO_POINTER (address));
  g_autoptr(GError) error = NULL;

  if (lease == NULL || g_strcmp0 (lease->mac, mac) != 0)
    return;
  /* Keep the pairing, expired: the host gets the same address next time if still free. */
  lease->expires = 0;
  if (!save (leases, &error))
    g_warning ("%s", error->message);
}

void
yard_dhcp_leases_decline (YardDhcpLeases *leases,
                          const char     *mac,
                          guint32         address,
                          gint64          now)
{
  Lease *lease = g_hash_table_lookup (leases->by_address, GUINT_TO_POINTER (address));
  g_autoptr(GError) error = NULL;

  if (lease == NULL || g_strcmp0 (lease->mac, mac) != 0)
    return;
  add_lease (leases, NULL, address, now + leases->lease_seconds, LEASE_DECLINED);
  if (!save (leases, &error))
    g_warning ("%s", error->message);
}

/* @mac's bound, unexpired address; 0 if none */
guint32
yard_dhcp_leases_lookup (YardDhcpLeases *leases,
                         const char     *mac)
{
  Lease *lease = g_hash_table_lookup (leases->by_mac, mac);

  return (lease != NULL && lease->state == LEASE_BOUND) ? lease->address : 0;
}

guint
yard_dhcp_leases_get_lease_time (YardDhcpLeases *leases)
{
  return leases->lease_seconds;
}

guint32
yard_dhcp_leases_get_start (YardDhcpLeases *leases)
{
  return leases->start;
}

guint32
yard_dhcp_leases_get_end (YardDhcpLeases *leases)
{
  return leases->end;
}

/* For a DISCOVER that found no free address (offer() gave 0): a flood of DISCOVERs must not
 * write one warning each, so there is one a minute at most, with the count since the last. */
void
yard_dhcp_leases_warn_full (YardDhcpLeases *leases,
                            const char     *mac,
                            gint64          now)
{
  guint suppressed = 0;

  g_return_if_fail (leases != NULL);

  if (!yard_rate_limit_check (&leases->full_warnings, now, FULL_WARNING_INTERVAL, &suppressed))
    return;
  if (suppressed > 0)
    g_warning ("No free address left in --dhcp-range for %s: widen the range (%u more "
               "DISCOVERs found the pool full since the last warning)", mac, suppressed);
  else
    g_warning ("No free address left in --dhcp-range for %s: widen the range", mac);
}
