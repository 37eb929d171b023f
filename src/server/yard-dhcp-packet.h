/* yard-dhcp-packet.h: DHCP/BOOTP packets, parsed and built without allocating
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define YARD_DHCP_HEADER_LENGTH 236   /* the fixed BOOTP header */
#define YARD_DHCP_MIN_PACKET    240   /* header + magic cookie */
#define YARD_DHCP_MAX_PACKET    1500  /* anything larger is dropped as oversized */
#define YARD_DHCP_MIN_REPLY     300   /* BOOTP clients expect at least this much */
#define YARD_DHCP_MAX_OCCURRENCES 768 /* each option takes >= 2 bytes of <= 1452 option bytes */

#define YARD_DHCP_BOOTREQUEST 1
#define YARD_DHCP_BOOTREPLY   2
#define YARD_DHCP_FLAG_BROADCAST 0x8000

typedef enum
{
  YARD_DHCP_DISCOVER = 1,
  YARD_DHCP_OFFER    = 2,
  YARD_DHCP_REQUEST  = 3,
  YARD_DHCP_DECLINE  = 4,
  YARD_DHCP_ACK      = 5,
  YARD_DHCP_NAK      = 6,
  YARD_DHCP_RELEASE  = 7,
  YARD_DHCP_INFORM   = 8,
} YardDhcpMessageType;

typedef enum
{
  YARD_DHCP_OPTION_PAD               = 0,
  YARD_DHCP_OPTION_SUBNET_MASK       = 1,
  YARD_DHCP_OPTION_ROUTER            = 3,
  YARD_DHCP_OPTION_HOST_NAME         = 12,
  YARD_DHCP_OPTION_VENDOR_SPECIFIC   = 43,
  YARD_DHCP_OPTION_REQUESTED_ADDRESS = 50,
  YARD_DHCP_OPTION_LEASE_TIME        = 51,
  YARD_DHCP_OPTION_OVERLOAD          = 52,
  YARD_DHCP_OPTION_MESSAGE_TYPE      = 53,
  YARD_DHCP_OPTION_SERVER_ID         = 54,
  YARD_DHCP_OPTION_PARAMETER_LIST    = 55,
  YARD_DHCP_OPTION_MESSAGE           = 56,
  YARD_DHCP_OPTION_MAX_MESSAGE_SIZE  = 57,
  YARD_DHCP_OPTION_RENEWAL_TIME      = 58,
  YARD_DHCP_OPTION_REBINDING_TIME    = 59,
  YARD_DHCP_OPTION_VENDOR_CLASS      = 60,
  YARD_DHCP_OPTION_CLIENT_ID         = 61,
  YARD_DHCP_OPTION_TFTP_SERVER       = 66,
  YARD_DHCP_OPTION_BOOTFILE          = 67,
  YARD_DHCP_OPTION_USER_CLASS        = 77,
  YARD_DHCP_OPTION_CLIENT_ARCH       = 93,
  YARD_DHCP_OPTION_CLIENT_NDI        = 94,
  YARD_DHCP_OPTION_CLIENT_UUID       = 97,
  YARD_DHCP_OPTION_IPXE_ENCAP        = 175,
  YARD_DHCP_OPTION_PXELINUX_PATH_PREFIX = 210,   /* RFC 5071 */
  YARD_DHCP_OPTION_END               = 255,
} YardDhcpOption;

/* PXE 2.1 sub-options inside option 43 */
#define YARD_PXE_DISCOVERY_CONTROL 6
#define YARD_PXE_BOOT_SERVERS      8
#define YARD_PXE_BOOT_MENU         9
#define YARD_PXE_MENU_PROMPT       10
#define YARD_PXE_BOOT_ITEM         71

/* A parsed packet. It lives on the caller's stack: every option is copied into data[]
 * (repeated options concatenated as RFC 3396 says), so nothing points into the datagram
 * and nothing needs freeing. Addresses stay in network byte order. */
typedef struct
{
  guint8  op;
  guint8  htype;
  guint8  hlen;
  guint8  hops;
  guint32 xid;        /* network byte order */
  guint16 secs;       /* host byte order */
  guint16 flags;      /* host byte order */
  guint32 ciaddr;     /* network byte order, as are the three below */
  guint32 yiaddr;
  guint32 siaddr;
  guint32 giaddr;
  guint8  chaddr[16];
  char    sname[65];  /* NUL-terminated; empty when the field carries options */
  char    file[129];  /* NUL-terminated; empty when the field carries options */
  guint8  overload;   /* option 52: 1 file, 2 sname, 3 both carry options */

  guint8  present[32];          /* bit per option code */
  guint16 option_offset[256];   /* into data[] */
  guint16 option_length[256];
  guint8  data[YARD_DHCP_MAX_PACKET];
} YardDhcpPacket;

gboolean      yard_dhcp_packet_parse          (YardDhcpPacket       *packet,
                                               const guint8         *data,
                                               gsize                 length,
                                               const char          **reason);
const guint8 *yard_dhcp_packet_get_option     (const YardDhcpPacket *packet,
                                               guint8                code,
                                               gsize                *length);
guint8        yard_dhcp_packet_get_message_type (const YardDhcpPacket *packet);
gboolean      yard_dhcp_packet_get_address    (const YardDhcpPacket *packet,
                                               guint8                code,
                                               guint32              *address);
gboolean      yard_dhcp_packet_has_vendor_class_prefix (const YardDhcpPacket *packet,
                                                        const char           *prefix);
gsize         yard_dhcp_packet_copy_vendor_class (const YardDhcpPacket *packet,
                                                  char                 *buffer,
                                                  gsize                 size);
gboolean      yard_dhcp_packet_get_client_arch (const YardDhcpPacket *packet,
                                                guint16              *arch);
gboolean      yard_dhcp_packet_has_user_class  (const YardDhcpPacket *packet,
                                                const char           *user_class);
gboolean      yard_dhcp_packet_format_uuid     (const YardDhcpPacket *packet,
                                                char                  buffer[37]);
gboolean      yard_dhcp_packet_format_mac      (const YardDhcpPacket *packet,
                                                char                  buffer[49]);
const guint8 *yard_dhcp_packet_get_pxe_suboption (const YardDhcpPacket *packet,
                                                  guint8                code,
                                                  gsize                *length);

/* Builds a packet into a caller's buffer. Every add checks the space left; once anything
 * did not fit, the builder is spoiled and finish() returns 0. */
typedef struct
{
  guint8  *data;
  gsize    size;
  gsize    length;
  gboolean overflow;
} YardDhcpBuilder;

void     yard_dhcp_builder_init_reply    (YardDhcpBuilder      *builder,
                                          guint8               *buffer,
                                          gsize                 size,
                                          const YardDhcpPacket *request,
                                          guint8                message_type);
void     yard_dhcp_builder_init_request  (YardDhcpBuilder      *builder,
                                          guint8               *buffer,
                                          gsize                 size,
                                          guint32               xid,
                                          const guint8         *mac,
                                          guint8                message_type);
void     yard_dhcp_builder_set_address   (YardDhcpBuilder      *builder,
                                          guint                 field_offset,
                                          guint32               address);
gboolean yard_dhcp_builder_set_sname     (YardDhcpBuilder      *builder,
                                          const char           *sname);
gboolean yard_dhcp_builder_set_file      (YardDhcpBuilder      *builder,
                                          const char           *file);
gboolean yard_dhcp_builder_add_option    (YardDhcpBuilder      *builder,
                                          guint8                code,
                                          const void           *data,
                                          gsize                 length);
gboolean yard_dhcp_builder_add_string    (YardDhcpBuilder      *builder,
                                          guint8                code,
                                          const char           *value);
gboolean yard_dhcp_builder_add_u8        (YardDhcpBuilder      *builder,
                                          guint8                code,
                                          guint8                value);
gboolean yard_dhcp_builder_add_u32       (YardDhcpBuilder      *builder,
                                          guint8                code,
                                          guint32               value);
gboolean yard_dhcp_builder_add_address   (YardDhcpBuilder      *builder,
                                          guint8                code,
                                          guint32               address);
gsize    yard_dhcp_builder_finish        (YardDhcpBuilder      *builder);

/* Offsets of the address fields, for yard_dhcp_builder_set_address() */
#define YARD_DHCP_CIADDR 12
#define YARD_DHCP_YIADDR 16
#define YARD_DHCP_SIADDR 20
#define YARD_DHCP_GIADDR 24

G_END_DECLS
