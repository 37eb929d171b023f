/* yard-arch.h: which CPU a kernel or an EFI program runs on, and whether it is signed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* JSON names: "x86", "x86-64", "arm64", null (unknown). */
typedef enum
{
  YARD_CPU_UNKNOWN,
  YARD_CPU_X86,     /* 32-bit x86: an IA32 EFI program, or a bzImage that says it is 32-bit */
  YARD_CPU_X86_64,
  YARD_CPU_ARM64,
} YardCpu;

/* What the first bytes of a file say of the program in it.
 *
 * cpu is what the program is built for. For a PE image it is the PE Machine, which is what
 * UEFI firmware checks. A bzImage without a PE header is YARD_CPU_X86 only when its boot
 * protocol (2.12 or later) has xloadflags without XLF_KERNEL_64, which every 64-bit build
 * sets; older headers say nothing of it and count as YARD_CPU_X86_64. Any x86 PC's BIOS boots
 * a bzImage whatever its cpu: a BIOS menu should test bios, not cpu. */
typedef struct
{
  YardCpu  cpu;
  gboolean pe;      /* a PE/COFF (EFI) image: an EFI-stub kernel, a .efi program */
  gboolean signed_; /* a PE image with an Authenticode signature (certificate table) */
  gboolean bios;    /* a BIOS-bootable x86 kernel (bzImage boot protocol, or memtest86+'s .bin) */
} YardKernelInfo;

/* Reads the first 64 KiB of the file. A gzip-compressed kernel is decompressed (64 KiB of
 * it, one level, as GRUB does), and info describes the kernel inside. FALSE with
 * YARD_ERROR_NOT_BOOTABLE when it is no kernel or EFI program we know; I/O errors, and
 * G_IO_ERROR_NOT_REGULAR_FILE, in GIO's domain. info is all zero after FALSE. */
gboolean      yard_kernel_info_from_file   (const char     *path,
                                            YardKernelInfo *info,
                                            GError        **error);
/* The same from bytes already read (the first 64 KiB are plenty; any length is safe). */
gboolean      yard_kernel_info_from_bytes  (const guint8   *data,
                                            gsize           length,
                                            YardKernelInfo *info);

/* NULL for YARD_CPU_UNKNOWN. */
const char   *yard_cpu_to_string           (YardCpu         cpu);
/* The reverse, exactly (no aliases such as "amd64"): NULL gives YARD_CPU_UNKNOWN; FALSE, and
 * cpu untouched, for any other string. */
gboolean      yard_cpu_from_string         (const char     *str,
                                            YardCpu        *cpu);
/* Whether a program built for @program runs where the loader is built for @machine: on the
 * same CPU, and a program for no CPU we know (YARD_CPU_UNKNOWN) everywhere. The rule of every
 * menu written per CPU (GRUB's $grub_cpu, iPXE's ${buildarch}). */
gboolean      yard_cpu_runs_on             (YardCpu         program,
                                            YardCpu         machine);

/* The entry a menu starts on for one CPU: default_pos when boots[default_pos], else the
 * first that boots; -1 when none does (default_pos -1: no default). */
int           yard_cpu_menu_default        (const gboolean *boots,
                                            guint           n,
                                            int             default_pos);

/* What the user reads: "x86-64", "ARM64", "32-bit x86", "unknown" (translated). */
const char   *yard_cpu_to_display          (YardCpu         cpu);

/* A DHCP client's architecture (option 93, RFC 4578 and IANA's "Processor Architecture
 * Types"), the one table of them: 0 BIOS, 6 UEFI IA32, 7 and 9 UEFI x86-64, 10 UEFI ARM32,
 * 11 UEFI ARM64, 15/16/18/19 the same over UEFI HTTP Boot. */
typedef struct
{
  const char *name;     /* JSON name: "bios", "efi-x64", "efi-arm64-http", ...; for a code
                         * not in the table, NULL */
  const char *display;  /* for people: "BIOS", "UEFI x86-64", "UEFI ARM64 (HTTP Boot)" */
  YardCpu     cpu;      /* what the firmware runs: YARD_CPU_X86 for BIOS and IA32 */
  gboolean    uefi;
  gboolean    http;     /* UEFI HTTP Boot: the boot file is a URL */
} YardClientArch;

/* NULL for a code not in the table. */
const YardClientArch *yard_client_arch_lookup      (guint           code);
/* The JSON name of any code: the table's, else "arch-N". */
char                 *yard_client_arch_dup_name    (guint           code);
/* From a JSON name ("efi-x64", or "arch-N"); FALSE for anything else. */
gboolean              yard_client_arch_from_name   (const char     *name,
                                                    guint          *code);

G_END_DECLS
