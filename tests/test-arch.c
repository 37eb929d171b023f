/* test-arch.c: kernels and EFI programs from Debian's packages, and heads built to break the
 * reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "yard-arch.h"
#include "yard-error.h"

#include "test-dirs.h"

#define DI_AMD64 "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/"
#define DI_ARM64 "/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64/"

typedef struct
{
  const char *name;     /* /yard/arch/file/<name> */
  const char *path;
  const char *package;  /* what build-aux/dev installs for it */
  YardCpu     cpu;
  gboolean    pe;
  gboolean    signed_;
  gboolean    bios;
} RealFile;

/* What each file is, as file(1) and the headers read by hand say. */
static const RealFile real_files[] = {
  /* bzImage with the EFI stub, signed by Debian */
  { "di-amd64-linux", DI_AMD64 "linux", "debian-installer-12-netboot-amd64",
    YARD_CPU_X86_64, TRUE, TRUE, TRUE },
  /* arm64 Image with the EFI stub, signed by Debian */
  { "di-arm64-linux", DI_ARM64 "linux", "debian-installer-12-netboot-arm64",
    YARD_CPU_ARM64, TRUE, TRUE, FALSE },
  { "di-grubaa64.efi", DI_ARM64 "grubaa64.efi", "debian-installer-12-netboot-arm64",
    YARD_CPU_ARM64, TRUE, TRUE, FALSE },
  { "di-grubx64.efi", DI_AMD64 "grubx64.efi", "debian-installer-12-netboot-amd64",
    YARD_CPU_X86_64, TRUE, TRUE, FALSE },
  { "shimx64.efi.signed", "/usr/lib/shim/shimx64.efi.signed", "shim-signed",
    YARD_CPU_X86_64, TRUE, TRUE, FALSE },
  { "grubnetx64.efi.signed", "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed",
    "grub-efi-amd64-signed", YARD_CPU_X86_64, TRUE, TRUE, FALSE },
  { "syslinux-efi64", "/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi", "syslinux-efi",
    YARD_CPU_X86_64, TRUE, FALSE, FALSE },
  /* PE32 (not PE32+): the other optional header layout */
  { "syslinux-efi32", "/usr/lib/SYSLINUX.EFI/efi32/syslinux.efi", "syslinux-efi",
    YARD_CPU_X86, TRUE, FALSE, FALSE },
  { "ipxe.efi", "/usr/lib/ipxe/ipxe.efi", "ipxe", YARD_CPU_X86_64, TRUE, FALSE, FALSE },
  /* memtest86+ 6.10: the .bin files are Linux boot protocol 2.12 images (xloadflags 0x9 and
   * 0x4), the .efi files the same with a PE header in front; ia32.efi is PE32, IA32. */
  { "memtest86-x64.bin", "/boot/memtest86+x64.bin", "memtest86+",
    YARD_CPU_X86_64, FALSE, FALSE, TRUE },
  { "memtest86-x64.efi", "/boot/memtest86+x64.efi", "memtest86+",
    YARD_CPU_X86_64, TRUE, FALSE, TRUE },
  { "memtest86-ia32.bin", "/boot/memtest86+ia32.bin", "memtest86+",
    YARD_CPU_X86, FALSE, FALSE, TRUE },
  { "memtest86-ia32.efi", "/boot/memtest86+ia32.efi", "memtest86+",
    YARD_CPU_X86, TRUE, FALSE, TRUE },
};

static GBytes *
read_head (const char *path,
           gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = g_input_stream_read_bytes (G_INPUT_STREAM (stream), size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, size);
  return g_steal_pointer (&bytes);
}

/* A copy of exactly length bytes, so that a read past the end is caught by valgrind or ASan */
static gboolean
info_from_copy (const guint8   *data,
                gsize           length,
                YardKernelInfo *info)
{
  g_autofree guint8 *copy = g_memdup2 (data, length);

  return yard_kernel_info_from_bytes (copy, length, info);
}

static void
assert_not_recognised (const guint8 *data,
                       gsize         length)
{
  YardKernelInfo info;
  const YardKernelInfo zero = { 0, };

  memset (&info, 0xff, sizeof info);
  g_assert_false (info_from_copy (data, length, &info));
  g_assert_cmpmem (&info, sizeof info, &zero, sizeof zero);
}

static void
test_real_file (gconstpointer data)
{
  const RealFile *f = data;
  g_autoptr(GError) error = NULL;
  YardKernelInfo info;

  if (!g_file_test (f->path, G_FILE_TEST_EXISTS))
    {
      g_test_fail_printf ("%s is missing: install %s (build-aux/dev does)", f->path, f->package);
      return;
    }

  g_assert_true (yard_kernel_info_from_file (f->path, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (yard_cpu_to_string (info.cpu), ==, yard_cpu_to_string (f->cpu));
  g_assert_cmpint (info.pe, ==, f->pe);
  g_assert_cmpint (info.signed_, ==, f->signed_);
  g_assert_cmpint (info.bios, ==, f->bios);
}

/* Every head from 0 to 0x300 bytes of real files: no read past the end, FALSE with a zeroed
 * info or a result, and the full answer once the headers are all there. */
static void
test_truncated_heads (void)
{
  const char *paths[] = {
    DI_AMD64 "linux",
    DI_ARM64 "linux",
    "/usr/lib/shim/shimx64.efi.signed",
    "/usr/lib/SYSLINUX.EFI/efi32/syslinux.efi",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GBytes) head = read_head (paths[i], 0x300);
      const guint8 *data = g_bytes_get_data (head, NULL);
      YardKernelInfo full;

      g_assert_true (info_from_copy (data, 0x300, &full));
      for (gsize length = 0; length <= 0x300; length++)
        {
          const YardKernelInfo zero = { 0, };
          YardKernelInfo info;
          gboolean ok = info_from_copy (data, length, &info);

          if (!ok)
            g_assert_cmpmem (&info, sizeof info, &zero, sizeof zero);
          if (length < 0x3c)  /* the arm64 magic ends at 0x3c */
            g_assert_false (ok);
          if (length >= 0x238)
            g_assert_cmpmem (&info, sizeof info, &full, sizeof full);
        }
    }

  g_assert_false (yard_kernel_info_from_bytes (NULL, 0, &(YardKernelInfo) { 0, }));
}

/* A minimal EFI program as a linker would write it: DOS header, "PE\0\0" at 0x40, the COFF
 * header, a PE32+ optional header with 16 data directory entries. */
#define PE_AT   0x40
#define OPT_AT  (PE_AT + 24)
#define SYNTH_SIZE 0x200

static void
put16 (guint8 *p,
       guint   v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static void
put32 (guint8  *p,
       guint32  v)
{
  put16 (p, v & 0xffff);
  put16 (p + 2, v >> 16);
}

static guint8 *
make_pe (guint    machine,
         gboolean pe32,
         guint32  certificate_size)
{
  guint8 *pe = g_malloc0 (SYNTH_SIZE);
  guint count_at = pe32 ? 92 : 108;

  pe[0] = 'M';
  pe[1] = 'Z';
  put32 (pe + 0x3c, PE_AT);
  memcpy (pe + PE_AT, "PE\0\0", 4);
  put16 (pe + PE_AT + 4, machine);
  put16 (pe + PE_AT + 20, count_at + 4 + 16 * 8);  /* SizeOfOptionalHeader */
  put16 (pe + OPT_AT, pe32 ? 0x10b : 0x20b);
  put16 (pe + OPT_AT + 68, 10);                     /* EFI application */
  put32 (pe + OPT_AT + count_at, 16);
  put32 (pe + OPT_AT + count_at + 4 + 4 * 8, certificate_size ? SYNTH_SIZE : 0);
  put32 (pe + OPT_AT + count_at + 4 + 4 * 8 + 4, certificate_size);
  return pe;
}

static void
test_synthetic_pe (void)
{
  struct { guint machine; gboolean pe32; guint32 cert; YardCpu cpu; } cases[] = {
    { 0x8664, FALSE, 0, YARD_CPU_X86_64 },
    { 0x8664, FALSE, 0x1000, YARD_CPU_X86_64 },
    { 0xaa64, FALSE, 0x800, YARD_CPU_ARM64 },
    { 0x014c, TRUE, 0x800, YARD_CPU_X86 },
    { 0x014c, TRUE, 0, YARD_CPU_X86 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *pe = make_pe (cases[i].machine, cases[i].pe32, cases[i].cert);
      YardKernelInfo info;

      g_assert_true (info_from_copy (pe, SYNTH_SIZE, &info));
      g_assert_cmpint (info.cpu, ==, cases[i].cpu);
      g_assert_true (info.pe);
      g_assert_cmpint (info.signed_, ==, cases[i].cert != 0);
      g_assert_false (info.bios);
    }
}

static void
test_pe_lfanew_past_end (void)
{
  g_autofree guint8 *pe = make_pe (0x8664, FALSE, 0);
  const guint32 offsets[] = { SYNTH_SIZE, SYNTH_SIZE - 4, SYNTH_SIZE - 24, SYNTH_SIZE - 25,
                              0x7fffffff, 0xfffffff0, 0xffffffff };

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (pe, SYNTH_SIZE);

      put32 (copy + 0x3c, offsets[i]);
      /* "PE\0\0" right where the end cuts the header short */
      if (offsets[i] <= SYNTH_SIZE - 4)
        memcpy (copy + offsets[i], "PE\0\0", 4);
      assert_not_recognised (copy, SYNTH_SIZE);
    }
}

/* Fields that lie: the data directory beyond the optional header or the buffer, a count that
 * leaves the certificate table out, and PEs that are no EFI program we know. */
static void
test_pe_lies (void)
{
  YardKernelInfo info;

  {
    g_autofree guint8 *pe = make_pe (0x8664, FALSE, 0x1000);

    put32 (pe + OPT_AT + 108, 4);  /* NumberOfRvaAndSizes without the certificate table */
    g_assert_true (info_from_copy (pe, SYNTH_SIZE, &info));
    g_assert_false (info.signed_);
  }
  {
    g_autofree guint8 *pe = make_pe (0x8664, FALSE, 0x1000);

    put16 (pe + PE_AT + 20, 112 + 4 * 8);  /* SizeOfOptionalHeader ends before entry 4 */
    g_assert_true (info_from_copy (pe, SYNTH_SIZE, &info));
    g_assert_false (info.signed_);
  }
  {
    g_autofree guint8 *pe = make_pe (0x8664, FALSE, 0x1000);

    put16 (pe + PE_AT + 20, 0xffff);
    put32 (pe + OPT_AT + 108, 0xffffffff);
    g_assert_true (info_from_copy (pe, SYNTH_SIZE, &info));
    g_assert_true (info.signed_);
    /* the buffer ends inside the certificate table's entry */
    g_assert_true (info_from_copy (pe, OPT_AT + 112 + 4 * 8 + 7, &info));
    g_assert_false (info.signed_);
  }
  {
    g_autofree guint8 *pe = make_pe (0x8664, FALSE, 0);

    put16 (pe + OPT_AT + 68, 3);  /* a Windows console program */
    assert_not_recognised (pe, SYNTH_SIZE);
    put16 (pe + OPT_AT + 68, 10);
    put16 (pe + PE_AT + 20, 68);  /* no room for the subsystem */
    assert_not_recognised (pe, SYNTH_SIZE);
  }
  {
    g_autofree guint8 *pe = make_pe (0x5064, FALSE, 0);  /* RISC-V 64 */

    assert_not_recognised (pe, SYNTH_SIZE);
    put16 (pe + PE_AT + 4, 0x8664);
    put16 (pe + OPT_AT, 0x107);  /* a ROM image's Magic */
    assert_not_recognised (pe, SYNTH_SIZE);
  }
}

/* Linux 6.x arm64 EFI zboot: a PE decompressor with "zimg" and the payload's type ahead of
 * the PE header. The outer Machine says the CPU. */
static void
test_efi_zboot (void)
{
  g_autofree guint8 *pe = make_pe (0xaa64, FALSE, 0);
  YardKernelInfo info;

  memcpy (pe + 4, "zimg", 4);
  put32 (pe + 8, SYNTH_SIZE);  /* payload offset */
  put32 (pe + 12, 0);          /* payload size */
  memcpy (pe + 0x18, "gzip", 4);

  g_assert_true (info_from_copy (pe, SYNTH_SIZE, &info));
  g_assert_cmpint (info.cpu, ==, YARD_CPU_ARM64);
  g_assert_true (info.pe);
  g_assert_false (info.signed_);
  g_assert_false (info.bios);
}

/* A bzImage head: boot protocol version and xloadflags decide 32- or 64-bit */
static void
test_bzimage_bits (void)
{
  struct { guint version; guint xloadflags; YardCpu cpu; } cases[] = {
    { 0x020f, 0x7f, YARD_CPU_X86_64 },
    { 0x020c, 0x09, YARD_CPU_X86_64 },
    { 0x020c, 0x04, YARD_CPU_X86 },
    { 0x020c, 0x00, YARD_CPU_X86 },
    { 0x020b, 0x00, YARD_CPU_X86_64 },  /* before xloadflags: no telling */
    { 0x0200, 0x00, YARD_CPU_X86_64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint8 head[0x300] = { 0, };
      YardKernelInfo info;

      head[0x1fe] = 0x55;
      head[0x1ff] = 0xaa;
      memcpy (head + 0x202, "HdrS", 4);
      put16 (head + 0x206, cases[i].version);
      put16 (head + 0x236, cases[i].xloadflags);

      g_assert_true (info_from_copy (head, sizeof head, &info));
      g_assert_cmpint (info.cpu, ==, cases[i].cpu);
      g_assert_false (info.pe);
      g_assert_true (info.bios);
    }

  {
    guint8 head[0x300] = { 0, };

    memcpy (head + 0x202, "HdrS", 4);  /* no boot flag */
    assert_not_recognised (head, sizeof head);
  }
}

static GBytes *
gzip_bytes (GBytes *bytes)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                 9);
  g_autoptr(GInputStream) plain = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) zipped = g_converter_input_stream_new (plain,
                                                                 G_CONVERTER (compressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, zipped, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Debian's arm64 vmlinuz is a gzip of the Image: the Image's first MiB stands for it. */
static void
test_gzip_arm64 (void)
{
  g_autoptr(GBytes) image = read_head (DI_ARM64 "linux", 1024 * 1024);
  g_autoptr(GBytes) zipped = gzip_bytes (image);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = yard_test_make_dir ("arch");
  g_autofree char *path = g_build_filename (tmpdir, "vmlinuz", NULL);
  const guint8 *data;
  gsize length;
  YardKernelInfo info;

  data = g_bytes_get_data (zipped, &length);
  g_assert_cmpuint (length, >, 64 * 1024);  /* the file reader sees only the head */

  g_assert_true (info_from_copy (data, length, &info));
  g_assert_cmpint (info.cpu, ==, YARD_CPU_ARM64);
  g_assert_true (info.pe);
  g_assert_true (info.signed_);
  g_assert_false (info.bios);

  g_assert_true (g_file_set_contents (path, (const char *) data, length, &error));
  g_assert_no_error (error);
  memset (&info, 0, sizeof info);
  g_assert_true (yard_kernel_info_from_file (path, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.cpu, ==, YARD_CPU_ARM64);
  g_assert_true (info.pe);
  g_assert_true (info.signed_);

  /* gzip heads cut anywhere in the first 2 KiB, and a corrupt stream */
  for (gsize cut = 0; cut <= 2048; cut++)
    info_from_copy (data, cut, &info);
  {
    g_autofree guint8 *corrupt = g_memdup2 (data, 4096);

    memset (corrupt + 20, 0xff, 64);
    info_from_copy (corrupt, 4096, &info);
  }

  /* one level only: a gzip of the gzip is not a kernel */
  {
    g_autoptr(GBytes) twice = gzip_bytes (zipped);

    data = g_bytes_get_data (twice, &length);
    assert_not_recognised (data, length);
  }
}

static void
test_random_bytes (void)
{
  g_autofree guint8 *buffer = g_malloc (64 * 1024);

  for (guint round = 0; round < 200; round++)
    {
      gsize length = g_test_rand_int_range (0, 64 * 1024 + 1);

      for (gsize i = 0; i < length; i++)
        buffer[i] = g_test_rand_int_range (0, 256);
      assert_not_recognised (buffer, length);

      /* and with the magic numbers in place, to reach the checks behind them */
      if (length >= 0x300)
        {
          YardKernelInfo info;

          buffer[0] = 'M';
          buffer[1] = 'Z';
          put32 (buffer + 0x3c, g_test_rand_int_range (0, 0x300 - 4));
          info_from_copy (buffer, length, &info);
          memcpy (buffer + (buffer[0x3c] | buffer[0x3d] << 8), "PE\0\0", 4);
          info_from_copy (buffer, length, &info);
          buffer[0] = 0x1f;
          buffer[1] = 0x8b;
          info_from_copy (buffer, length, &info);
        }
    }
}

static void
test_file_errors (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("arch");
  g_autofree char *text = g_build_filename (tmpdir, "readme.txt", NULL);
  g_autofree char *empty = g_build_filename (tmpdir, "empty", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing", NULL);
  g_autofree char *fifo = g_build_filename (tmpdir, "fifo", NULL);
  YardKernelInfo info;

  g_assert_true (g_file_set_contents (text, "Not a kernel at all.\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (yard_kernel_info_from_file (text, &info, &error));
    g_assert_error (error, YARD_ERROR, YARD_ERROR_NOT_BOOTABLE);
    g_assert_nonnull (strstr (error->message, text));
    g_assert_nonnull (strstr (error->message, "is not a Linux kernel or an EFI program"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (yard_kernel_info_from_file (empty, &info, &error));
    g_assert_error (error, YARD_ERROR, YARD_ERROR_NOT_BOOTABLE);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (yard_kernel_info_from_file (missing, &info, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (yard_kernel_info_from_file (tmpdir, &info, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  }
  {
    g_autoptr(GError) error = NULL;

    /* with no writer: opening it for reading must not wait for one */
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    g_assert_false (yard_kernel_info_from_file (fifo, &info, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  }
}

static void
test_cpu_strings (void)
{
  const YardCpu all[] = { YARD_CPU_UNKNOWN, YARD_CPU_X86, YARD_CPU_X86_64, YARD_CPU_ARM64 };
  YardCpu cpu;

  g_assert_null (yard_cpu_to_string (YARD_CPU_UNKNOWN));
  g_assert_cmpstr (yard_cpu_to_string (YARD_CPU_X86), ==, "x86");
  g_assert_cmpstr (yard_cpu_to_string (YARD_CPU_X86_64), ==, "x86-64");
  g_assert_cmpstr (yard_cpu_to_string (YARD_CPU_ARM64), ==, "arm64");

  g_assert_cmpstr (yard_cpu_to_display (YARD_CPU_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (yard_cpu_to_display (YARD_CPU_X86), ==, "32-bit x86");
  g_assert_cmpstr (yard_cpu_to_display (YARD_CPU_X86_64), ==, "x86-64");
  g_assert_cmpstr (yard_cpu_to_display (YARD_CPU_ARM64), ==, "ARM64");
  g_assert_cmpstr (yard_cpu_to_display ((YardCpu) 42), ==, "unknown");

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      cpu = (YardCpu) 42;
      g_assert_true (yard_cpu_from_string (yard_cpu_to_string (all[i]), &cpu));
      g_assert_cmpint (cpu, ==, all[i]);
    }

  cpu = YARD_CPU_ARM64;
  g_assert_false (yard_cpu_from_string ("amd64", &cpu));
  g_assert_false (yard_cpu_from_string ("X86-64", &cpu));
  g_assert_false (yard_cpu_from_string ("", &cpu));
  g_assert_cmpint (cpu, ==, YARD_CPU_ARM64);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (real_files); i++)
    {
      g_autofree char *test_path = g_strconcat ("/yard/arch/file/", real_files[i].name, NULL);

      g_test_add_data_func (test_path, &real_files[i], test_real_file);
    }
  g_test_add_func ("/yard/arch/truncated-heads", test_truncated_heads);
  g_test_add_func ("/yard/arch/synthetic-pe", test_synthetic_pe);
  g_test_add_func ("/yard/arch/pe-lfanew-past-end", test_pe_lfanew_past_end);
  g_test_add_func ("/yard/arch/pe-lies", test_pe_lies);
  g_test_add_func ("/yard/arch/efi-zboot", test_efi_zboot);
  g_test_add_func ("/yard/arch/bzimage-bits", test_bzimage_bits);
  g_test_add_func ("/yard/arch/gzip-arm64", test_gzip_arm64);
  g_test_add_func ("/yard/arch/random-bytes", test_random_bytes);
  g_test_add_func ("/yard/arch/file-errors", test_file_errors);
  g_test_add_func ("/yard/arch/cpu-strings", test_cpu_strings);

  return g_test_run ();
}
