/* test-dhcp-packet.c: what the DHCP parser accepts, refuses, and what the builder writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "yard-dhcp-packet.h"

static const guint8 mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* A DISCOVER as a BIOS PXE ROM sends it (options in the order Intel's ROM uses). */
static gsize
build_pxe_discover (guint8 *buf,
                    gsize   size)
{
  YardDhcpBuilder b;
  static const guint8 arch[2] = { 0, 0 };
  static const guint8 ndi[3] = { 1, 2, 1 };
  static const guint8 uuid[17] = { 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                   0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 };
  static const guint8 params[] = { 1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 43, 54, 60, 67,
                                   128, 129, 130, 131, 132, 133, 134, 135 };

  yard_dhcp_builder_init_request (&b, buf, size, htonl (0xdeadbeef), mac, YARD_DHCP_DISCOVER);
  yard_dhcp_builder_add_u32 (&b, YARD_DHCP_OPTION_MAX_MESSAGE_SIZE, 1260);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_PARAMETER_LIST, params, sizeof params);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_UUID, uuid, sizeof uuid);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_NDI, ndi, sizeof ndi);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_ARCH, arch, sizeof arch);
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS,
                                "PXEClient:Arch:00000:UNDI:002001");
  return yard_dhcp_builder_finish (&b);
}

static void
test_parse_pxe_discover (void)
{
  guint8 buf[YARD_DHCP_MAX_PACKET];
  YardDhcpPacket p;
  const char *reason = NULL;
  gsize len = build_pxe_discover (buf, sizeof buf);
  char text[64];
  char uuid[37];
  guint16 arch = 99;

  /* 240 + 53 (3) + 57 (4) + 55 (26) + 97 (19) + 94 (5) + 93 (4) + 60 (34) + END */
  g_assert_cmpuint (len, ==, 240 + 98);
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, &reason));
  g_assert_null (reason);
  g_assert_cmpuint (p.op, ==, YARD_DHCP_BOOTREQUEST);
  g_assert_cmpuint (p.htype, ==, 1);
  g_assert_cmpuint (p.hlen, ==, 6);
  g_assert_cmpuint (ntohl (p.xid), ==, 0xdeadbeef);
  g_assert_cmpuint (p.flags, ==, YARD_DHCP_FLAG_BROADCAST);
  g_assert_cmpuint (yard_dhcp_packet_get_message_type (&p), ==, YARD_DHCP_DISCOVER);
  g_assert_true (yard_dhcp_packet_has_vendor_class_prefix (&p, "PXEClient"));
  g_assert_false (yard_dhcp_packet_has_vendor_class_prefix (&p, "HTTPClient"));
  g_assert_cmpuint (yard_dhcp_packet_copy_vendor_class (&p, text, sizeof text), ==, 32);
  g_assert_cmpstr (text, ==, "PXEClient:Arch:00000:UNDI:002001");
  g_assert_cmpuint (yard_dhcp_packet_copy_vendor_class (&p, text, 10), ==, 9);
  g_assert_cmpstr (text, ==, "PXEClient");
  g_assert_true (yard_dhcp_packet_get_client_arch (&p, &arch));
  g_assert_cmpuint (arch, ==, 0);
  g_assert_true (yard_dhcp_packet_format_mac (&p, text));
  g_assert_cmpstr (text, ==, "52:54:00:12:34:56");
  g_assert_true (yard_dhcp_packet_format_uuid (&p, uuid));
  g_assert_cmpstr (uuid, ==, "11223344-5566-7788-99aa-bbccddeeff00");
  g_assert_false (yard_dhcp_packet_has_user_class (&p, "iPXE"));
  g_assert_cmpstr (p.file, ==, "");
  g_assert_cmpstr (p.sname, ==, "");
}

static void
test_parse_refuses (void)
{
  guint8 buf[YARD_DHCP_MAX_PACKET + 10];
  guint8 copy[YARD_DHCP_MAX_PACKET + 10];
  YardDhcpPacket p;
  const char *reason = NULL;
  gsize len = build_pxe_discover (buf, YARD_DHCP_MAX_PACKET);
  gsize end;

  /* Every prefix of the packet is refused as truncated: the END option is its last byte. */
  for (end = 0; end < len; end++)
    {
      memcpy (copy, buf, end);
      g_assert_false (yard_dhcp_packet_parse (&p, copy, end, &reason));
      g_assert_nonnull (strstr (reason, "truncated"));
    }
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, &reason));
  g_assert_false (yard_dhcp_packet_parse (&p, buf, 252, &reason));
  g_assert_cmpstr (reason, ==, "truncated: an option runs past the end of its field");

  g_assert_false (yard_dhcp_packet_parse (&p, buf, YARD_DHCP_MAX_PACKET + 1, &reason));
  g_assert_nonnull (strstr (reason, "oversized"));

  memcpy (copy, buf, len);
  copy[236] = 0;
  g_assert_false (yard_dhcp_packet_parse (&p, copy, len, &reason));
  g_assert_nonnull (strstr (reason, "cookie"));

  memcpy (copy, buf, len);
  copy[2] = 17;
  g_assert_false (yard_dhcp_packet_parse (&p, copy, len, &reason));
  g_assert_nonnull (strstr (reason, "hardware address"));

  /* An option whose length reaches past the end of the datagram */
  memcpy (copy, buf, len);
  copy[240] = 60;
  copy[241] = 255;
  g_assert_false (yard_dhcp_packet_parse (&p, copy, len, &reason));
  g_assert_nonnull (strstr (reason, "past the end"));

  /* A code as the very last byte, no room for its length */
  memcpy (copy, buf, YARD_DHCP_MIN_PACKET);
  copy[240] = 60;
  g_assert_false (yard_dhcp_packet_parse (&p, copy, 241, &reason));
  g_assert_nonnull (strstr (reason, "no length"));

  /* Only padding: no END */
  memset (copy + 240, 0, 20);
  g_assert_false (yard_dhcp_packet_parse (&p, copy, 260, &reason));
  g_assert_nonnull (strstr (reason, "no end"));
}

/* Options spilling into file and sname (option 52), and the loop this must not allow. */
static void
test_parse_overload (void)
{
  guint8 buf[YARD_DHCP_MAX_PACKET];
  YardDhcpPacket p;
  const char *reason = NULL;
  gsize len;
  const guint8 *value;
  gsize vlen;
  guint16 arch = 0;

  memset (buf, 0, sizeof buf);
  buf[0] = 1; buf[1] = 1; buf[2] = 6;
  memcpy (buf + 28, mac, 6);
  buf[236] = 99; buf[237] = 130; buf[238] = 83; buf[239] = 99;
  /* options: 53=1, 52=3, 60="PXE" (first piece), END */
  len = 240;
  buf[len++] = 53; buf[len++] = 1; buf[len++] = 1;
  buf[len++] = 52; buf[len++] = 1; buf[len++] = 3;
  buf[len++] = 60; buf[len++] = 3; memcpy (buf + len, "PXE", 3); len += 3;
  buf[len++] = 255;
  /* file (108): 60="Client" (second piece), 93=00 07, END */
  memcpy (buf + 108, "\x3c\x06" "Client" "\x5d\x02\x00\x07\xff", 13);
  /* sname (44): 60=":Arch" (third piece), no END: the field is simply full of padding */
  memcpy (buf + 44, "\x3c\x05:Arch", 7);

  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, &reason));
  g_assert_cmpuint (p.overload, ==, 3);
  value = yard_dhcp_packet_get_option (&p, YARD_DHCP_OPTION_VENDOR_CLASS, &vlen);
  g_assert_nonnull (value);
  g_assert_cmpmem (value, vlen, "PXEClient:Arch", 14);
  g_assert_true (yard_dhcp_packet_get_client_arch (&p, &arch));
  g_assert_cmpuint (arch, ==, 7);
  g_assert_cmpstr (p.file, ==, "");
  g_assert_cmpstr (p.sname, ==, "");
  g_assert_null (yard_dhcp_packet_get_option (&p, YARD_DHCP_OPTION_OVERLOAD, &vlen));

  /* An overload option inside the file field: refused, not followed */
  buf[108 + 13] = 52; buf[108 + 14] = 1; buf[108 + 15] = 3;
  buf[108 + 12] = 0;  /* move END after it */
  buf[108 + 16] = 255;
  g_assert_false (yard_dhcp_packet_parse (&p, buf, len, &reason));
  g_assert_nonnull (strstr (reason, "loop"));

  /* Overload with a bad value, or twice */
  memset (buf + 108, 0, 128);
  buf[245] = 4;
  g_assert_false (yard_dhcp_packet_parse (&p, buf, len, &reason));
  g_assert_nonnull (strstr (reason, "overload"));
  buf[245] = 1;
  memmove (buf + 246 + 3, buf + 246, len - 246);
  buf[246] = 52; buf[247] = 1; buf[248] = 1;
  g_assert_false (yard_dhcp_packet_parse (&p, buf, len + 3, &reason));
  g_assert_nonnull (strstr (reason, "twice"));

  /* An option in an overloaded field running past the field */
  memset (buf + 44, 0, 64 + 128);
  memmove (buf + 246, buf + 249, len - 246);
  buf[108 + 126] = 60; buf[108 + 127] = 5;
  g_assert_false (yard_dhcp_packet_parse (&p, buf, len, &reason));
  g_assert_nonnull (strstr (reason, "past the end"));
}

static void
test_parse_strings_and_classes (void)
{
  guint8 buf[YARD_DHCP_MAX_PACKET];
  YardDhcpBuilder b;
  YardDhcpPacket p;
  gsize len;
  guint16 arch = 0;
  char text[64];
  static const guint8 rfc3004[] = { 3, 'f', 'o', 'o', 4, 'i', 'P', 'X', 'E' };
  static const guint8 broken3004[] = { 3, 'f', 'o', 'o', 9, 'i', 'P', 'X', 'E' };

  yard_dhcp_builder_init_request (&b, buf, sizeof buf, 1, mac, YARD_DHCP_REQUEST);
  g_assert_true (yard_dhcp_builder_set_file (&b, "pxelinux.0"));
  g_assert_true (yard_dhcp_builder_set_sname (&b, "server"));
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS, "PXEClient:Arch:00011:x");
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_USER_CLASS, "iPXE");
  len = yard_dhcp_builder_finish (&b);
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, NULL));
  g_assert_cmpstr (p.file, ==, "pxelinux.0");
  g_assert_cmpstr (p.sname, ==, "server");
  g_assert_true (yard_dhcp_packet_has_user_class (&p, "iPXE"));
  g_assert_false (yard_dhcp_packet_has_user_class (&p, "iPX"));
  /* No option 93: the arch comes from option 60 */
  g_assert_true (yard_dhcp_packet_get_client_arch (&p, &arch));
  g_assert_cmpuint (arch, ==, 11);

  /* file and sname fields filled to the last byte are still read as bounded strings */
  memset (buf + 44, 'A', 64);
  memset (buf + 108, 'B', 128);
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, NULL));
  g_assert_cmpuint (strlen (p.sname), ==, 64);
  g_assert_cmpuint (strlen (p.file), ==, 128);

  yard_dhcp_builder_init_request (&b, buf, sizeof buf, 1, mac, YARD_DHCP_DISCOVER);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_USER_CLASS, rfc3004, sizeof rfc3004);
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS, "PXEClient:Arch:0001x");
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS, "\x01\xff");
  len = yard_dhcp_builder_finish (&b);
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, NULL));
  g_assert_true (yard_dhcp_packet_has_user_class (&p, "iPXE"));
  g_assert_false (yard_dhcp_packet_get_client_arch (&p, &arch));
  /* Repeated option 60 is one value (RFC 3396), non-printable bytes shown as '?' */
  yard_dhcp_packet_copy_vendor_class (&p, text, sizeof text);
  g_assert_cmpstr (text, ==, "PXEClient:Arch:0001x??");

  yard_dhcp_builder_init_request (&b, buf, sizeof buf, 1, mac, YARD_DHCP_DISCOVER);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_USER_CLASS, broken3004, sizeof broken3004);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_ARCH, "\x00", 1);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_UUID, "\x00\x01", 2);
  len = yard_dhcp_builder_finish (&b);
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, NULL));
  g_assert_false (yard_dhcp_packet_has_user_class (&p, "iPXE"));
  g_assert_false (yard_dhcp_packet_get_client_arch (&p, &arch));
  g_assert_false (yard_dhcp_packet_format_uuid (&p, text));
}

static void
test_pxe_suboptions (void)
{
  guint8 buf[YARD_DHCP_MAX_PACKET];
  YardDhcpBuilder b;
  YardDhcpPacket p;
  gsize len, vlen;
  const guint8 *v;
  static const guint8 good[] = { 0, 6, 1, 8, 71, 4, 0x80, 0, 0, 0, 255 };
  static const guint8 bad[] = { 6, 1, 8, 71, 9, 0x80, 0 };

  yard_dhcp_builder_init_request (&b, buf, sizeof buf, 1, mac, YARD_DHCP_REQUEST);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_VENDOR_SPECIFIC, good, sizeof good);
  len = yard_dhcp_builder_finish (&b);
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, NULL));
  v = yard_dhcp_packet_get_pxe_suboption (&p, YARD_PXE_BOOT_ITEM, &vlen);
  g_assert_nonnull (v);
  g_assert_cmpmem (v, vlen, "\x80\x00\x00\x00", 4);
  v = yard_dhcp_packet_get_pxe_suboption (&p, YARD_PXE_DISCOVERY_CONTROL, &vlen);
  g_assert_cmpmem (v, vlen, "\x08", 1);
  g_assert_null (yard_dhcp_packet_get_pxe_suboption (&p, YARD_PXE_BOOT_MENU, &vlen));

  yard_dhcp_builder_init_request (&b, buf, sizeof buf, 1, mac, YARD_DHCP_REQUEST);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_VENDOR_SPECIFIC, bad, sizeof bad);
  len = yard_dhcp_builder_finish (&b);
  g_assert_true (yard_dhcp_packet_parse (&p, buf, len, NULL));
  g_assert_null (yard_dhcp_packet_get_pxe_suboption (&p, YARD_PXE_BOOT_ITEM, &vlen));
  g_assert_cmpuint (vlen, ==, 0);
}

/* A reply carries the request's identity, reads back as written, and never overflows. */
static void
test_build_reply (void)
{
  guint8 req[YARD_DHCP_MAX_PACKET];
  guint8 out[YARD_DHCP_MIN_REPLY];
  guint8 big[400];
  YardDhcpBuilder b;
  YardDhcpPacket request, reply;
  gsize len;
  guint32 addr = 0;
  guint8 filler[255];

  len = build_pxe_discover (req, sizeof req);
  g_assert_true (yard_dhcp_packet_parse (&request, req, len, NULL));

  yard_dhcp_builder_init_reply (&b, out, sizeof out, &request, YARD_DHCP_OFFER);
  yard_dhcp_builder_set_address (&b, YARD_DHCP_SIADDR, inet_addr ("10.0.0.2"));
  g_assert_true (yard_dhcp_builder_set_file (&b, "pxelinux.0"));
  g_assert_true (yard_dhcp_builder_set_sname (&b, "10.0.0.2"));
  g_assert_true (yard_dhcp_builder_add_address (&b, YARD_DHCP_OPTION_SERVER_ID,
                                                inet_addr ("10.0.0.2")));
  g_assert_true (yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS, "PXEClient"));
  len = yard_dhcp_builder_finish (&b);
  g_assert_cmpuint (len, ==, YARD_DHCP_MIN_REPLY);

  g_assert_true (yard_dhcp_packet_parse (&reply, out, len, NULL));
  g_assert_cmpuint (reply.op, ==, YARD_DHCP_BOOTREPLY);
  g_assert_cmpuint (reply.xid, ==, request.xid);
  g_assert_cmpuint (reply.flags, ==, YARD_DHCP_FLAG_BROADCAST);
  g_assert_cmpmem (reply.chaddr, 16, request.chaddr, 16);
  g_assert_cmpuint (reply.yiaddr, ==, 0);
  g_assert_cmpuint (reply.siaddr, ==, inet_addr ("10.0.0.2"));
  g_assert_cmpstr (reply.file, ==, "pxelinux.0");
  g_assert_cmpstr (reply.sname, ==, "10.0.0.2");
  g_assert_cmpuint (yard_dhcp_packet_get_message_type (&reply), ==, YARD_DHCP_OFFER);
  g_assert_true (yard_dhcp_packet_get_address (&reply, YARD_DHCP_OPTION_SERVER_ID, &addr));
  g_assert_cmpuint (addr, ==, inet_addr ("10.0.0.2"));

  /* 300 bytes hold 57 bytes of options at most: 240 + 3 (type) + ... + END */
  yard_dhcp_builder_init_reply (&b, out, sizeof out, &request, YARD_DHCP_OFFER);
  memset (filler, 'x', sizeof filler);
  g_assert_true (yard_dhcp_builder_add_option (&b, 60, filler, 300 - 240 - 3 - 2 - 1));
  g_assert_false (yard_dhcp_builder_add_option (&b, 61, filler, 0));
  g_assert_cmpuint (yard_dhcp_builder_finish (&b), ==, 0);

  yard_dhcp_builder_init_reply (&b, big, sizeof big, &request, YARD_DHCP_OFFER);
  g_assert_true (yard_dhcp_builder_add_option (&b, 60, filler, 50));
  g_assert_cmpuint (yard_dhcp_builder_finish (&b), ==, 300);
  g_assert_false (yard_dhcp_builder_set_file (&b, "a-name-that-is-far-too-long-for-the-file-field-"
                                                   "of-a-bootp-header-which-holds-128-bytes-"
                                                   "including-its-nul-byte-aaaaaaaaaaaaaaaaaa"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yard/dhcp-packet/parse-pxe-discover", test_parse_pxe_discover);
  g_test_add_func ("/yard/dhcp-packet/parse-refuses", test_parse_refuses);
  g_test_add_func ("/yard/dhcp-packet/parse-overload", test_parse_overload);
  g_test_add_func ("/yard/dhcp-packet/strings-and-classes", test_parse_strings_and_classes);
  g_test_add_func ("/yard/dhcp-packet/pxe-suboptions", test_pxe_suboptions);
  g_test_add_func ("/yard/dhcp-packet/build-reply", test_build_reply);

  return g_test_run ();
}
