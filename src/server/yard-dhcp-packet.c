/* yard-dhcp-packet.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The only code that reads bytes from a DHCP client. It is pure (no sockets, no state, no
 * allocation) so that tests and the fuzzer can feed it anything. Every length is checked
 * against the field it lies in before a byte is read; options may be split and repeated
 * (RFC 3396) and may spill into the file and sname fields (option 52), but an overload option
 * inside an overloaded field, which would make a naive parser loop, is refused.
 *
 * Failures are reported as static strings rather than GErrors: a busy network sends plenty of
 * packets that are not for us, and dropping one should cost nothing.
 */

#define G_LOG_DOMAIN "yard-dhcp-packet"

#include "config.h"

#include <string.h>

#include "yard-dhcp-packet.h"

static const guint8 magic_cookie[4] = { 99, 130, 83, 99 };

#define SNAME_OFFSET   44
#define SNAME_LENGTH   64
#define FILE_OFFSET    108
#define FILE_LENGTH    128
#define OPTIONS_OFFSET 240

typedef struct
{
  guint16 offset;   /* into the datagram */
  guint8  code;
  guint8  length;
  guint16 next;     /* index of the next occurrence of the same code, or G_MAXUINT16 */
} Occurrence;

typedef struct
{
  Occurrence occ[YARD_DHCP_MAX_OCCURRENCES];
  guint      n_occ;
  guint16    first[256];
  guint16    last[256];
  guint8     overload;
  gboolean   seen_overload;
} Scan;

static gboolean
scan_field (Scan          *scan,
            const guint8  *data,
            gsize          start,
            gsize          end,
            gboolean       main_field,
            const char   **reason)
{
  gsize i = start;

  while (i < end)
    {
      guint8 code = data[i];
      guint8 len;

      if (code == YARD_DHCP_OPTION_PAD)
        {
          i++;
          continue;
        }
      if (code == YARD_DHCP_OPTION_END)
        return TRUE;

      if (i + 1 >= end)
        {
          *reason = "truncated: an option has no length byte";
          return FALSE;
        }
      len = data[i + 1];
      if (i + 2 + len > end)
        {
          *reason = "truncated: an option runs past the end of its field";
          return FALSE;
        }

      if (code == YARD_DHCP_OPTION_OVERLOAD)
        {
          if (!main_field)
            {
              *reason = "malformed: option overload inside an overloaded field (a loop)";
              return FALSE;
            }
          if (scan->seen_overload)
            {
              *reason = "malformed: option overload given twice";
              return FALSE;
            }
          if (len != 1 || data[i + 2] < 1 || data[i + 2] > 3)
            {
              *reason = "malformed: option overload must be one byte, 1 to 3";
              return FALSE;
            }
          scan->seen_overload = TRUE;
          scan->overload = data[i + 2];
        }
      else
        {
          Occurrence *o;

          if (scan->n_occ >= G_N_ELEMENTS (scan->occ))
            {
              *reason = "malformed: too many options";
              return FALSE;
            }
          o = &scan->occ[scan->n_occ];
          o->offset = (guint16) (i + 2);
          o->code = code;
          o->length = len;
          o->next = G_MAXUINT16;
          if (scan->first[code] == G_MAXUINT16)
            scan->first[code] = (guint16) scan->n_occ;
          else
            scan->occ[scan->last[code]].next = (guint16) scan->n_occ;
          scan->last[code] = (guint16) scan->n_occ;
          scan->n_occ++;
        }

      i += 2 + (gsize) len;
    }

  /* The options field must say where it ends: without an END option the packet was cut.
   * The file and sname fields may simply be full. */
  if (main_field)
    {
      *reason = "truncated: the options have no end option";
      return FALSE;
    }
  return TRUE;
}

static void
copy_field_string (char         *dest,
                   const guint8 *src,
                   gsize         size)
{
  gsize n = 0;

  while (n < size && src[n] != '\0')
    n++;
  memcpy (dest, src, n);
  dest[n] = '\0';
}

gboolean
yard_dhcp_packet_parse (YardDhcpPacket  *packet,
                        const guint8    *data,
                        gsize            length,
                        const char     **reason)
{
  Scan scan;   /* about 6 KiB of stack, nothing on the heap */
  const char *dummy;
  gsize used = 0;

  if (reason == NULL)
    reason = &dummy;
  *reason = NULL;

  g_return_val_if_fail (packet != NULL, FALSE);

  if (data == NULL || length < YARD_DHCP_MIN_PACKET)
    {
      *reason = "truncated: shorter than a DHCP header";
      return FALSE;
    }
  if (length > YARD_DHCP_MAX_PACKET)
    {
      *reason = "oversized: longer than 1500 bytes";
      return FALSE;
    }
  if (memcmp (data + YARD_DHCP_HEADER_LENGTH, magic_cookie, 4) != 0)
    {
      *reason = "malformed: no DHCP magic cookie (a plain BOOTP packet?)";
      return FALSE;
    }
  if (data[2] > 16)
    {
      *reason = "malformed: hardware address longer than 16 bytes";
      return FALSE;
    }

  memset (packet->present, 0, sizeof packet->present);
  packet->op = data[0];
  packet->htype = data[1];
  packet->hlen = data[2];
  packet->hops = data[3];
  memcpy (&packet->xid, data + 4, 4);
  packet->secs = (guint16) ((data[8] << 8) | data[9]);
  packet->flags = (guint16) ((data[10] << 8) | data[11]);
  memcpy (&packet->ciaddr, data + 12, 4);
  memcpy (&packet->yiaddr, data + 16, 4);
  memcpy (&packet->siaddr, data + 20, 4);
  memcpy (&packet->giaddr, data + 24, 4);
  memcpy (packet->chaddr, data + 28, 16);

  memset (scan.first, 0xff, sizeof scan.first);
  scan.n_occ = 0;
  scan.overload = 0;
  scan.seen_overload = FALSE;

  /* RFC 3396: the options field, then file, then sname, in that order. */
  if (!scan_field (&scan, data, OPTIONS_OFFSET, length, TRUE, reason))
    return FALSE;
  if ((scan.overload & 1) &&
      !scan_field (&scan, data, FILE_OFFSET, FILE_OFFSET + FILE_LENGTH, FALSE, reason))
    return FALSE;
  if ((scan.overload & 2) &&
      !scan_field (&scan, data, SNAME_OFFSET, SNAME_OFFSET + SNAME_LENGTH, FALSE, reason))
    return FALSE;

  packet->overload = scan.overload;
  if (scan.overload & 1)
    packet->file[0] = '\0';
  else
    copy_field_string (packet->file, data + FILE_OFFSET, FILE_LENGTH);
  if (scan.overload & 2)
    packet->sname[0] = '\0';
  else
    copy_field_string (packet->sname, data + SNAME_OFFSET, SNAME_LENGTH);

  /* Concatenate each code's pieces, in the order codes first appear (walking occurrences,
   * not all 256 codes, keeps this proportional to the packet). The sum of all pieces is below
   * the datagram's length, so data[] cannot overflow; the assertion documents it. */
  for (guint k = 0; k < scan.n_occ; k++)
    {
      guint8 code = scan.occ[k].code;
      guint16 total = 0;

      if (scan.first[code] != k)
        continue;

      packet->option_offset[code] = (guint16) used;
      for (guint16 j = (guint16) k; j != G_MAXUINT16; j = scan.occ[j].next)
        {
          g_assert (used + scan.occ[j].length <= sizeof packet->data);
          memcpy (packet->data + used, data + scan.occ[j].offset, scan.occ[j].length);
          used += scan.occ[j].length;
          total += scan.occ[j].length;
        }
      packet->option_length[code] = total;
      packet->present[code / 8] |= (guint8) (1u << (code % 8));
    }

  return TRUE;
}

const guint8 *
yard_dhcp_packet_get_option (const YardDhcpPacket *packet,
                             guint8                code,
                             gsize                *length)
{
  g_return_val_if_fail (packet != NULL, NULL);

  if (!(packet->present[code / 8] & (1u << (code % 8))))
    {
      if (length)
        *length = 0;
      return NULL;
    }
  if (length)
    *length = packet->option_length[code];
  return packet->data + packet->option_offset[code];
}

/* 0 when absent or not one byte */
guint8
yard_dhcp_packet_get_message_type (const YardDhcpPacket *packet)
{
  gsize len;
  const guint8 *value = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_MESSAGE_TYPE, &len);

  return (value != NULL && len == 1) ? value[0] : 0;
}

gboolean
yard_dhcp_packet_get_address (const YardDhcpPacket *packet,
                              guint8                code,
                              guint32              *address)
{
  gsize len;
  const guint8 *value = yard_dhcp_packet_get_option (packet, code, &len);

  if (value == NULL || len != 4)
    return FALSE;
  memcpy (address, value, 4);
  return TRUE;
}

gboolean
yard_dhcp_packet_has_vendor_class_prefix (const YardDhcpPacket *packet,
                                          const char           *prefix)
{
  gsize len;
  gsize plen = strlen (prefix);
  const guint8 *value = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_VENDOR_CLASS, &len);

  return value != NULL && len >= plen && memcmp (value, prefix, plen) == 0;
}

/* Copies option 60 as printable ASCII (anything else becomes '?'); returns its length. */
gsize
yard_dhcp_packet_copy_vendor_class (const YardDhcpPacket *packet,
                                    char                 *buffer,
                                    gsize                 size)
{
  gsize len, n;
  const guint8 *value = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_VENDOR_CLASS, &len);

  g_return_val_if_fail (size > 0, 0);

  if (value == NULL)
    len = 0;
  n = MIN (len, size - 1);
  for (gsize i = 0; i < n; i++)
    buffer[i] = (value[i] >= 0x20 && value[i] < 0x7f) ? (char) value[i] : '?';
  buffer[n] = '\0';
  return n;
}

/* Option 93 (RFC 4578: a list of 16-bit types, the first is the one in use), or the
 * "PXEClient:Arch:xxxxx" form of option 60 that older ROMs send instead. */
gboolean
yard_dhcp_packet_get_client_arch (const YardDhcpPacket *packet,
                                  guint16              *arch)
{
  gsize len;
  const guint8 *value = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_CLIENT_ARCH, &len);
  static const char prefix[] = "PXEClient:Arch:";

  if (value != NULL)
    {
      if (len < 2 || len % 2 != 0)
        return FALSE;
      *arch = (guint16) ((value[0] << 8) | value[1]);
      return TRUE;
    }

  value = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_VENDOR_CLASS, &len);
  if (value != NULL && len >= sizeof prefix - 1 + 5 &&
      memcmp (value, prefix, sizeof prefix - 1) == 0)
    {
      guint n = 0;

      for (gsize i = sizeof prefix - 1; i < sizeof prefix - 1 + 5; i++)
        {
          if (!g_ascii_isdigit (value[i]))
            return FALSE;
          n = n * 10 + (guint) (value[i] - '0');
        }
      if (n > G_MAXUINT16)
        return FALSE;
      *arch = (guint16) n;
      return TRUE;
    }

  return FALSE;
}

/* Option 77 as iPXE sends it (the plain string) or as RFC 3004 says (length-prefixed items). */
gboolean
yard_dhcp_packet_has_user_class (const YardDhcpPacket *packet,
                                 const char           *user_class)
{
  gsize len;
  gsize want = strlen (user_class);
  const guint8 *value = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_USER_CLASS, &len);
  gsize i = 0;

  if (value == NULL)
    return FALSE;
  if (len == want && memcmp (value, user_class, want) == 0)
    return TRUE;

  while (i < len)
    {
      gsize item = value[i];

      if (item == 0 || i + 1 + item > len)
        return FALSE;
      if (item == want && memcmp (value + i + 1, user_class, want) == 0)
        return TRUE;
      i += 1 + item;
    }
  return FALSE;
}

/* Option 97: type 0 and 16 bytes of the machine's UUID, printed in the byte order sent. */
gboolean
yard_dhcp_packet_format_uuid (const YardDhcpPacket *packet,
                              char                  buffer[37])
{
  gsize len;
  const guint8 *v = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_CLIENT_UUID, &len);

  buffer[0] = '\0';
  if (v == NULL || len != 17 || v[0] != 0)
    return FALSE;
  v++;
  g_snprintf (buffer, 37,
              "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
              v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]);
  return TRUE;
}

/* "52:54:00:12:34:56": lower case, colons; FALSE for an empty hardware address. */
gboolean
yard_dhcp_packet_format_mac (const YardDhcpPacket *packet,
                             char                  buffer[49])
{
  static const char hex[] = "0123456789abcdef";
  gsize pos = 0;

  buffer[0] = '\0';
  if (packet->hlen == 0 || packet->hlen > 16)
    return FALSE;
  for (guint i = 0; i < packet->hlen; i++)
    {
      if (i > 0)
        buffer[pos++] = ':';
      buffer[pos++] = hex[packet->chaddr[i] >> 4];
      buffer[pos++] = hex[packet->chaddr[i] & 0xf];
    }
  buffer[pos] = '\0';
  return TRUE;
}

/* A sub-option of option 43 (PXE vendor options), bounds-checked like the rest. */
const guint8 *
yard_dhcp_packet_get_pxe_suboption (const YardDhcpPacket *packet,
                                    guint8                code,
                                    gsize                *length)
{
  gsize len, i = 0;
  const guint8 *v = yard_dhcp_packet_get_option (packet, YARD_DHCP_OPTION_VENDOR_SPECIFIC, &len);

  *length = 0;
  if (v == NULL)
    return NULL;
  while (i < len)
    {
      guint8 sub = v[i];

      if (sub == YARD_DHCP_OPTION_PAD)
        {
          i++;
          continue;
        }
      if (sub == YARD_DHCP_OPTION_END || i + 1 >= len || i + 2 + v[i + 1] > len)
        return NULL;
      if (sub == code)
        {
          *length = v[i + 1];
          return v + i + 2;
        }
      i += 2 + (gsize) v[i + 1];
    }
  return NULL;
}

static void
builder_init (YardDhcpBuilder *builder,
              guint8          *buffer,
              gsize            size)
{
  g_assert (size >= YARD_DHCP_MIN_REPLY);

  memset (buffer, 0, MIN (size, (gsize) YARD_DHCP_MAX_PACKET));
  builder->data = buffer;
  builder->size = size;
  builder->length = OPTIONS_OFFSET;
  builder->overflow = FALSE;
  memcpy (buffer + YARD_DHCP_HEADER_LENGTH, magic_cookie, 4);
}

/* A BOOTREPLY to @request: its xid, flags, giaddr and hardware address; all addresses 0. */
void
yard_dhcp_builder_init_reply (YardDhcpBuilder      *builder,
                              guint8               *buffer,
                              gsize                 size,
                              const YardDhcpPacket *request,
                              guint8                message_type)
{
  guint8 *d;

  builder_init (builder, buffer, size);
  d = builder->data;
  d[0] = YARD_DHCP_BOOTREPLY;
  d[1] = request->htype;
  d[2] = request->hlen;
  memcpy (d + 4, &request->xid, 4);
  d[10] = (guint8) (request->flags >> 8);
  d[11] = (guint8) (request->flags & 0xff);
  memcpy (d + 24, &request->giaddr, 4);
  memcpy (d + 28, request->chaddr, 16);
  yard_dhcp_builder_add_u8 (builder, YARD_DHCP_OPTION_MESSAGE_TYPE, message_type);
}

/* A BOOTREQUEST from an Ethernet address, broadcast flag set (for the probe and tests). */
void
yard_dhcp_builder_init_request (YardDhcpBuilder *builder,
                                guint8          *buffer,
                                gsize            size,
                                guint32          xid,
                                const guint8    *mac,
                                guint8           message_type)
{
  guint8 *d;

  builder_init (builder, buffer, size);
  d = builder->data;
  d[0] = YARD_DHCP_BOOTREQUEST;
  d[1] = 1;
  d[2] = 6;
  memcpy (d + 4, &xid, 4);
  d[10] = 0x80;
  memcpy (d + 28, mac, 6);
  yard_dhcp_builder_add_u8 (builder, YARD_DHCP_OPTION_MESSAGE_TYPE, message_type);
}

void
yard_dhcp_builder_set_address (YardDhcpBuilder *builder,
                               guint            field_offset,
                               guint32          address)
{
  g_return_if_fail (field_offset == YARD_DHCP_CIADDR || field_offset == YARD_DHCP_YIADDR ||
                    field_offset == YARD_DHCP_SIADDR || field_offset == YARD_DHCP_GIADDR);
  memcpy (builder->data + field_offset, &address, 4);
}

static gboolean
set_field (YardDhcpBuilder *builder,
           gsize            offset,
           gsize            size,
           const char      *value)
{
  gsize len = strlen (value);

  /* The field needs its terminating NUL: some ROMs read it as a C string. */
  if (len >= size)
    return FALSE;
  memset (builder->data + offset, 0, size);
  memcpy (builder->data + offset, value, len);
  return TRUE;
}

gboolean
yard_dhcp_builder_set_sname (YardDhcpBuilder *builder,
                             const char      *sname)
{
  return set_field (builder, SNAME_OFFSET, SNAME_LENGTH, sname);
}

gboolean
yard_dhcp_builder_set_file (YardDhcpBuilder *builder,
                            const char      *file)
{
  return set_field (builder, FILE_OFFSET, FILE_LENGTH, file);
}

gboolean
yard_dhcp_builder_add_option (YardDhcpBuilder *builder,
                              guint8           code,
                              const void      *data,
                              gsize            length)
{
  g_return_val_if_fail (code != YARD_DHCP_OPTION_PAD && code != YARD_DHCP_OPTION_END, FALSE);

  /* Room for this option and the END option after it. */
  if (builder->overflow || length > 255 || builder->length + 2 + length + 1 > builder->size)
    {
      builder->overflow = TRUE;
      return FALSE;
    }
  builder->data[builder->length] = code;
  builder->data[builder->length + 1] = (guint8) length;
  if (length > 0)
    memcpy (builder->data + builder->length + 2, data, length);
  builder->length += 2 + length;
  return TRUE;
}

gboolean
yard_dhcp_builder_add_string (YardDhcpBuilder *builder,
                              guint8           code,
                              const char      *value)
{
  return yard_dhcp_builder_add_option (builder, code, value, strlen (value));
}

gboolean
yard_dhcp_builder_add_u8 (YardDhcpBuilder *builder,
                          guint8           code,
                          guint8           value)
{
  return yard_dhcp_builder_add_option (builder, code, &value, 1);
}

gboolean
yard_dhcp_builder_add_u32 (YardDhcpBuilder *builder,
                           guint8           code,
                           guint32          value)
{
  guint32 be = GUINT32_TO_BE (value);

  return yard_dhcp_builder_add_option (builder, code, &be, 4);
}

gboolean
yard_dhcp_builder_add_address (YardDhcpBuilder *builder,
                               guint8           code,
                               guint32          address)
{
  return yard_dhcp_builder_add_option (builder, code, &address, 4);
}

/* Ends the options and pads to BOOTP's 300 bytes; returns the length to send, 0 if anything
 * added did not fit. */
gsize
yard_dhcp_builder_finish (YardDhcpBuilder *builder)
{
  if (builder->overflow || builder->length + 1 > builder->size)
    return 0;
  builder->data[builder->length++] = YARD_DHCP_OPTION_END;
  if (builder->length < YARD_DHCP_MIN_REPLY)
    builder->length = YARD_DHCP_MIN_REPLY;
  return builder->length;
}
