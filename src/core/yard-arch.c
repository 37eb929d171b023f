/* yard-arch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is told from the head of the file, with every offset checked against what was
 * read (these are files users upload):
 *
 *  - PE/COFF: "MZ", e_lfanew at 0x3c, "PE\0\0", the Machine, an EFI subsystem, and the
 *    certificate table's entry in the data directory. This covers shim, GRUB, syslinux.efi,
 *    iPXE, memtest86+'s .efi, EFI-stub kernels and EFI zboot kernels (whose outer PE is the
 *    decompressor, built for the same CPU as the kernel in it);
 *  - x86 Linux boot protocol: 0xAA55 at 510 and "HdrS" at 0x202, the bzImage that pxelinux
 *    and iPXE load on a BIOS PC, memtest86+'s .bin included;
 *  - arm64 Image: "ARM\x64" at 0x38;
 *  - gzip: the first 64 KiB decompressed, then the same rules once more.
 *
 * References: the PE format (learn.microsoft.com/windows/win32/debug/pe-format), Linux's
 * Documentation/arch/x86/boot.rst and Documentation/arch/arm64/booting.rst.
 */

#define G_LOG_DOMAIN "yard-arch"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "yard-arch.h"
#include "yard-error.h"

/* The headers we read end within the first few KiB; 64 KiB leaves room for a PE header
 * placed late, and is one read. */
#define HEAD_SIZE (64 * 1024)

/* x86 Linux boot protocol */
#define BOOT_FLAG_OFFSET           0x1fe   /* 0x55 0xAA */
#define HDRS_OFFSET                0x202   /* "HdrS" */
#define PROTOCOL_VERSION_OFFSET    0x206
#define XLOADFLAGS_OFFSET          0x236
#define PROTOCOL_WITH_XLOADFLAGS   0x020c  /* 2.12, Linux 3.8 */
#define XLF_KERNEL_64              (1 << 0)

/* arm64 Image */
#define ARM64_MAGIC_OFFSET         0x38
#define ARM64_MAGIC                0x644d5241  /* "ARM\x64" */

/* PE/COFF */
#define DOS_HEADER_SIZE            0x40
#define DOS_LFANEW_OFFSET          0x3c
#define COFF_HEADER_SIZE           24      /* "PE\0\0" + the file header */
#define COFF_MACHINE_OFFSET        4
#define COFF_OPTIONAL_SIZE_OFFSET  20
#define PE_MACHINE_I386            0x014c
#define PE_MACHINE_AMD64           0x8664
#define PE_MACHINE_ARM64           0xaa64
#define PE32_MAGIC                 0x010b
#define PE32_PLUS_MAGIC            0x020b
#define OPTIONAL_SUBSYSTEM_OFFSET  68      /* the same in PE32 and PE32+ */
#define SUBSYSTEM_EFI_APPLICATION  10
#define SUBSYSTEM_EFI_ROM          13      /* 11 and 12 are EFI drivers */
#define DIRECTORY_ENTRY_SIZE       8       /* address, size */
#define DIRECTORY_ENTRY_SECURITY   4       /* the certificate table */

/* count bytes at offset lie within length, without overflow */
static gboolean
has_bytes (gsize length,
           gsize offset,
           gsize count)
{
  return offset <= length && count <= length - offset;
}

static guint16
read_le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* The CPU of a PE/COFF EFI image, or YARD_CPU_UNKNOWN when data holds none that we know. */
static YardCpu
pe_cpu (const guint8 *data,
        gsize         length,
        gboolean     *signed_)
{
  gsize pe_offset;
  gsize optional;       /* start of the optional header */
  gsize optional_size;  /* what the COFF header says, which may be less than the layout needs */
  gsize count_offset;   /* NumberOfRvaAndSizes */
  gsize security;       /* the certificate table's directory entry */
  guint subsystem;
  YardCpu cpu;

  *signed_ = FALSE;

  if (!has_bytes (length, 0, DOS_HEADER_SIZE) || data[0] != 'M' || data[1] != 'Z')
    return YARD_CPU_UNKNOWN;
  pe_offset = read_le32 (data + DOS_LFANEW_OFFSET);
  /* the COFF header and the optional header's Magic */
  if (!has_bytes (length, pe_offset, COFF_HEADER_SIZE + 2)
      || memcmp (data + pe_offset, "PE\0\0", 4) != 0)
    return YARD_CPU_UNKNOWN;

  switch (read_le16 (data + pe_offset + COFF_MACHINE_OFFSET))
    {
    case PE_MACHINE_I386:
      cpu = YARD_CPU_X86;
      break;
    case PE_MACHINE_AMD64:
      cpu = YARD_CPU_X86_64;
      break;
    case PE_MACHINE_ARM64:
      cpu = YARD_CPU_ARM64;
      break;
    default:
      /* 32-bit ARM, RISC-V, LoongArch...: no client of ours runs them */
      return YARD_CPU_UNKNOWN;
    }

  optional_size = read_le16 (data + pe_offset + COFF_OPTIONAL_SIZE_OFFSET);
  optional = pe_offset + COFF_HEADER_SIZE;
  switch (read_le16 (data + optional))
    {
    case PE32_MAGIC:
      count_offset = 92;
      break;
    case PE32_PLUS_MAGIC:
      count_offset = 108;
      break;
    default:
      return YARD_CPU_UNKNOWN;
    }

  /* The subsystem tells an EFI program from a Windows one uploaded by mistake. */
  if (optional_size < OPTIONAL_SUBSYSTEM_OFFSET + 2
      || !has_bytes (length, optional, OPTIONAL_SUBSYSTEM_OFFSET + 2))
    return YARD_CPU_UNKNOWN;
  subsystem = read_le16 (data + optional + OPTIONAL_SUBSYSTEM_OFFSET);
  if (subsystem < SUBSYSTEM_EFI_APPLICATION || subsystem > SUBSYSTEM_EFI_ROM)
    return YARD_CPU_UNKNOWN;

  /* The data directory follows NumberOfRvaAndSizes. An entry counts only when both that
   * number and the optional header's size include it; a head cut short before it reads as
   * unsigned. */
  security = count_offset + 4 + DIRECTORY_ENTRY_SECURITY * DIRECTORY_ENTRY_SIZE;
  if (optional_size >= security + DIRECTORY_ENTRY_SIZE
      && has_bytes (length, optional, security + DIRECTORY_ENTRY_SIZE)
      && read_le32 (data + optional + count_offset) > DIRECTORY_ENTRY_SECURITY)
    *signed_ = read_le32 (data + optional + security + 4) != 0;

  return cpu;
}

static gboolean
is_bzimage (const guint8 *data,
            gsize         length)
{
  return has_bytes (length, HDRS_OFFSET, 4)
         && data[BOOT_FLAG_OFFSET] == 0x55 && data[BOOT_FLAG_OFFSET + 1] == 0xaa
         && memcmp (data + HDRS_OFFSET, "HdrS", 4) == 0;
}

/* Linux's header.S sets XLF_KERNEL_64 in every 64-bit build, and memtest86+ does the same, so
 * from protocol 2.12 on a clear bit means a 32-bit program. Before 2.12 there is no telling:
 * x86-64 it is, the CPU of every PC that boots them today. */
static YardCpu
bzimage_cpu (const guint8 *data,
             gsize         length)
{
  if (has_bytes (length, XLOADFLAGS_OFFSET, 2)
      && read_le16 (data + PROTOCOL_VERSION_OFFSET) >= PROTOCOL_WITH_XLOADFLAGS
      && (read_le16 (data + XLOADFLAGS_OFFSET) & XLF_KERNEL_64) == 0)
    return YARD_CPU_X86;
  return YARD_CPU_X86_64;
}

static gboolean
is_arm64_image (const guint8 *data,
                gsize         length)
{
  return has_bytes (length, ARM64_MAGIC_OFFSET, 4)
         && read_le32 (data + ARM64_MAGIC_OFFSET) == ARM64_MAGIC;
}

static gboolean
is_gzip (const guint8 *data,
         gsize         length)
{
  return length >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/* Up to HEAD_SIZE bytes of what data decompresses to: as much as the head of a gzip stream
 * gives, so a cut-off or corrupt stream yields what came out before the cut. */
static guint8 *
gunzip_head (const guint8 *data,
             gsize         length,
             gsize        *out_length)
{
  g_autoptr(GZlibDecompressor) decompressor =
    g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autofree guint8 *out = g_malloc (HEAD_SIZE);
  gsize in_pos = 0;
  gsize out_pos = 0;

  while (out_pos < HEAD_SIZE)
    {
      g_autoptr(GError) error = NULL;
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (decompressor),
                                    data + in_pos, length - in_pos,
                                    out + out_pos, HEAD_SIZE - out_pos,
                                    G_CONVERTER_INPUT_AT_END,
                                    &bytes_read, &bytes_written, &error);
      if (result == G_CONVERTER_ERROR)
        {
          g_debug ("gzip head: %s", error->message);
          break;
        }
      in_pos += bytes_read;
      out_pos += bytes_written;
      if (result == G_CONVERTER_FINISHED || (bytes_read == 0 && bytes_written == 0))
        break;
    }

  *out_length = out_pos;
  return g_steal_pointer (&out);
}

static gboolean
inspect (const guint8   *data,
         gsize           length,
         YardKernelInfo *info)
{
  gboolean signed_ = FALSE;
  YardCpu cpu = pe_cpu (data, length, &signed_);
  gboolean bzimage = is_bzimage (data, length);

  if (cpu != YARD_CPU_UNKNOWN)
    {
      /* An EFI-stub kernel is also a bzImage or an arm64 Image: the PE Machine is what the
       * firmware checks, and it agrees with the rest in any real kernel. */
      info->cpu = cpu;
      info->pe = TRUE;
      info->signed_ = signed_;
    }
  else if (bzimage)
    info->cpu = bzimage_cpu (data, length);
  else if (is_arm64_image (data, length))
    info->cpu = YARD_CPU_ARM64;
  else
    return FALSE;

  /* An ARM64 PE with "HdrS" is no bzImage: a BIOS would jump into arm64 code */
  info->bios = bzimage && (info->cpu == YARD_CPU_X86 || info->cpu == YARD_CPU_X86_64);
  return TRUE;
}

gboolean
yard_kernel_info_from_bytes (const guint8   *data,
                             gsize           length,
                             YardKernelInfo *info)
{
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);

  if (is_gzip (data, length))
    {
      gsize inner_length = 0;
      g_autofree guint8 *inner = gunzip_head (data, length, &inner_length);

      /* inspect () does not look into gzip again: one level, as GRUB */
      return inspect (inner, inner_length, info);
    }

  return inspect (data, length, info);
}

gboolean
yard_kernel_info_from_file (const char      *path,
                            YardKernelInfo  *info,
                            GError         **error)
{
  g_autofree guint8 *head = NULL;
  g_autofree char *display = NULL;
  gsize length = 0;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (info, 0, sizeof *info);
  display = g_filename_display_name (path);

  /* O_NONBLOCK: a FIFO where a kernel should be must not hang us in open () */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not open “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not read “%s”: %s", display, g_strerror (saved));
      close (fd);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "“%s” is not a regular file", display);
      close (fd);
      return FALSE;
    }

  head = g_malloc (HEAD_SIZE);
  while (length < HEAD_SIZE)
    {
      gssize n = pread (fd, head + length, HEAD_SIZE - length, (off_t) length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Could not read “%s”: %s", display, g_strerror (saved));
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);

  if (!yard_kernel_info_from_bytes (head, length, info))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_BOOTABLE,
                   "“%s” is not a Linux kernel or an EFI program Bootyard knows: choose an "
                   "x86 bzImage, an arm64 Image (gzip-compressed or not), or an EFI program "
                   "for x86, x86-64 or ARM64",
                   display);
      return FALSE;
    }
  return TRUE;
}

const char *
yard_cpu_to_string (YardCpu cpu)
{
  switch (cpu)
    {
    case YARD_CPU_X86:
      return "x86";
    case YARD_CPU_X86_64:
      return "x86-64";
    case YARD_CPU_ARM64:
      return "arm64";
    case YARD_CPU_UNKNOWN:
    default:
      return NULL;
    }
}

gboolean
yard_cpu_from_string (const char *str,
                      YardCpu    *cpu)
{
  g_return_val_if_fail (cpu != NULL, FALSE);

  if (str == NULL)
    *cpu = YARD_CPU_UNKNOWN;
  else if (g_str_equal (str, "x86"))
    *cpu = YARD_CPU_X86;
  else if (g_str_equal (str, "x86-64"))
    *cpu = YARD_CPU_X86_64;
  else if (g_str_equal (str, "arm64"))
    *cpu = YARD_CPU_ARM64;
  else
    return FALSE;
  return TRUE;
}

const char *
yard_cpu_to_display (YardCpu cpu)
{
  switch (cpu)
    {
    case YARD_CPU_X86:
      return _("32-bit x86");
    case YARD_CPU_X86_64:
      return "x86-64";
    case YARD_CPU_ARM64:
      return "ARM64";
    case YARD_CPU_UNKNOWN:
    default:
      /* TRANSLATORS: the CPU architecture of a kernel Bootyard cannot read */
      return _("unknown");
    }
}

/* Client architectures ------------------------------------------------------------------- */

static const YardClientArch client_arches[] = {
  [0] = { "bios", "BIOS", YARD_CPU_X86, FALSE, FALSE },
  [6] = { "efi-ia32", "UEFI 32-bit x86", YARD_CPU_X86, TRUE, FALSE },
  [7] = { "efi-x64", "UEFI x86-64", YARD_CPU_X86_64, TRUE, FALSE },
  [9] = { "efi-bc", "UEFI x86-64 (EFI BC)", YARD_CPU_X86_64, TRUE, FALSE },
  [10] = { "efi-arm32", "UEFI ARM32", YARD_CPU_UNKNOWN, TRUE, FALSE },
  [11] = { "efi-arm64", "UEFI ARM64", YARD_CPU_ARM64, TRUE, FALSE },
  [15] = { "efi-ia32-http", "UEFI 32-bit x86 (HTTP Boot)", YARD_CPU_X86, TRUE, TRUE },
  [16] = { "efi-x64-http", "UEFI x86-64 (HTTP Boot)", YARD_CPU_X86_64, TRUE, TRUE },
  [18] = { "efi-arm32-http", "UEFI ARM32 (HTTP Boot)", YARD_CPU_UNKNOWN, TRUE, TRUE },
  [19] = { "efi-arm64-http", "UEFI ARM64 (HTTP Boot)", YARD_CPU_ARM64, TRUE, TRUE },
};

const YardClientArch *
yard_client_arch_lookup (guint code)
{
  if (code < G_N_ELEMENTS (client_arches) && client_arches[code].name != NULL)
    return &client_arches[code];
  return NULL;
}

char *
yard_client_arch_dup_name (guint code)
{
  const YardClientArch *arch = yard_client_arch_lookup (code);

  return arch != NULL ? g_strdup (arch->name) : g_strdup_printf ("arch-%u", code);
}

gboolean
yard_client_arch_from_name (const char *name,
                            guint      *code)
{
  guint64 n;
  char *end = NULL;

  g_return_val_if_fail (code != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (client_arches); i++)
    if (client_arches[i].name != NULL && strcmp (client_arches[i].name, name) == 0)
      return (*code = i), TRUE;
  if (!g_str_has_prefix (name, "arch-") || !g_ascii_isdigit (name[5]))
    return FALSE;
  n = g_ascii_strtoull (name + 5, &end, 10);
  if (*end != '\0' || n > G_MAXUINT16)
    return FALSE;
  *code = (guint) n;
  return TRUE;
}

gboolean
yard_cpu_runs_on (YardCpu program,
                  YardCpu machine)
{
  return program == YARD_CPU_UNKNOWN || program == machine;
}

int
yard_cpu_menu_default (const gboolean *boots,
                       guint           n,
                       int             default_pos)
{
  g_return_val_if_fail (boots != NULL || n == 0, -1);

  if (default_pos >= 0 && (guint) default_pos < n && boots[default_pos])
    return default_pos;
  for (guint i = 0; i < n; i++)
    {
      if (boots[i])
        return (int) i;
    }
  return -1;
}
