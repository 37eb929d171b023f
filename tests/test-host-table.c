/* test-host-table.c: the hosts table, its rules and its file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "yard-error.h"
#include "yard-host-table.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("yard-hosts-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "hosts.json", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->path);
}

static void
test_mac_normalize (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "52:54:00:12:34:56", "52:54:00:12:34:56" },
    { "52-54-00-AB-cd-EF", "52:54:00:ab:cd:ef" },
    { "52:54:00:12:34", NULL },
    { "52:54:00:12:34:567", NULL },
    { "52:54-00:12:34:56", NULL },
    { "52.54.00.12.34.56", NULL },
    { "5g:54:00:12:34:56", NULL },
    { "", NULL },
    { "525400123456", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *mac = yard_mac_normalize (cases[i].in, &error);

      g_assert_cmpstr (mac, ==, cases[i].out);
      if (cases[i].out == NULL)
        g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
      else
        g_assert_no_error (error);
    }
  g_assert_null (yard_mac_normalize (NULL, NULL));
}

static void
test_validate (void)
{
  g_autoptr(YardHost) host = yard_host_new ("52:54:00:12:34:56");
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  g_assert_true (yard_host_validate (host, &field, NULL));

  host->mode = YARD_HOST_MODE_SCRIPT;
  g_assert_false (yard_host_validate (host, &field, &error));
  g_assert_cmpstr (field, ==, "script");
  g_clear_error (&error);

  host->script = g_strdup ("echo hi\n");
  g_assert_false (yard_host_validate (host, &field, &error));
  g_assert_cmpstr (field, ==, "script");
  g_clear_error (&error);

  g_free (host->script);
  host->script = g_strdup ("#!ipxe\necho hi\n");
  g_assert_true (yard_host_validate (host, &field, NULL));

  host->mode = YARD_HOST_MODE_URL;
  g_assert_false (yard_host_validate (host, &field, &error));
  g_assert_cmpstr (field, ==, "scriptUrl");
  g_clear_error (&error);
  host->script_url = g_strdup ("ftp://example.org/x.ipxe");
  g_assert_false (yard_host_validate (host, &field, &error));
  g_assert_cmpstr (field, ==, "scriptUrl");
  g_clear_error (&error);
  g_free (host->script_url);
  host->script_url = g_strdup ("http://10.0.0.1/x.ipxe\nshell");
  g_assert_false (yard_host_validate (host, &field, &error));
  g_clear_error (&error);
  g_free (host->script_url);
  host->script_url = g_strdup ("https://example.org/x.ipxe");
  g_assert_true (yard_host_validate (host, &field, NULL));

  g_free (host->mac);
  host->mac = g_strdup ("nope");
  g_assert_false (yard_host_validate (host, &field, &error));
  g_assert_cmpstr (field, ==, "mac");
}

static void
test_put_persist_disk_clears_script (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  g_autoptr(YardHostTable) again = NULL;
  g_autoptr(YardHost) host = yard_host_new ("52-54-00-AA-BB-CC");
  g_autoptr(YardHost) got = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  GStatBuf st;

  g_assert_true (yard_host_table_load (table, &error));
  g_assert_no_error (error);

  host->mode = YARD_HOST_MODE_SCRIPT;
  host->script = g_strdup ("#!ipxe\nshell\n");
  host->once = TRUE;
  g_free (host->name);
  host->name = g_strdup ("lab-1");
  g_assert_true (yard_host_table_put (table, host, &created, &error));
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (yard_host_table_put (table, host, &created, &error));
  g_assert_false (created);

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A second table reads the same file back. */
  again = yard_host_table_new (f->path);
  g_assert_true (yard_host_table_load (again, &error));
  got = yard_host_table_dup_host (again, "52:54:00:aa:bb:cc");
  g_assert_nonnull (got);
  g_assert_cmpstr (got->mac, ==, "52:54:00:aa:bb:cc");
  g_assert_cmpstr (got->name, ==, "lab-1");
  g_assert_cmpint (got->mode, ==, YARD_HOST_MODE_SCRIPT);
  g_assert_cmpstr (got->script, ==, "#!ipxe\nshell\n");
  g_assert_true (got->once);
  g_clear_pointer (&got, yard_host_free);

  got = yard_host_table_switch_to_disk (again, "52:54:00:AA:BB:CC", &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->mode, ==, YARD_HOST_MODE_DISK);
  g_assert_null (got->script);
  g_clear_pointer (&got, yard_host_free);

  g_assert_true (yard_host_table_load (table, &error));
  got = yard_host_table_dup_host (table, "52:54:00:aa:bb:cc");
  g_assert_cmpint (got->mode, ==, YARD_HOST_MODE_DISK);
  g_assert_null (got->script);

  all = yard_host_table_dup_hosts (table);
  g_assert_cmpuint (all->len, ==, 1);

  g_assert_true (yard_host_table_remove (table, "52:54:00:aa:bb:cc", &error));
  g_assert_false (yard_host_table_remove (table, "52:54:00:aa:bb:cc", &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (yard_host_table_load (again, &error));
  g_assert_null (yard_host_table_dup_host (again, "52:54:00:aa:bb:cc"));
}

static void
seen_cb (YardHostTable  *table,
         const YardHost *host,
         guint          *count)
{
  g_assert_true (g_str_has_prefix (host->mac, "52:54:00:00:00:0"));
  (*count)++;
}

static void
test_record_seen (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  g_autoptr(YardHost) host = NULL;
  g_autoptr(YardHost) edited = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  guint count = 0;

  g_signal_connect (table, "host-seen", G_CALLBACK (seen_cb), &count);
  host = yard_host_table_record_seen (table, "52:54:00:00:00:01", 7, "10.0.0.5",
                                      "PXEClient:Arch:00007:UNDI:003016", NULL, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_MENU);
  g_assert_cmpstr (host->arch, ==, "efi-x64");
  g_assert_cmpstr (host->address, ==, "10.0.0.5");
  g_assert_cmpint (host->last_seen, >, 0);

  /* An API change keeps what DHCP saw; a later sighting keeps the policy. */
  edited = yard_host_table_dup_host (table, host->mac);
  edited->mode = YARD_HOST_MODE_IGNORE;
  g_clear_pointer (&edited->arch, g_free);
  g_assert_true (yard_host_table_put (table, edited, NULL, &error));
  g_clear_pointer (&host, yard_host_free);
  host = yard_host_table_record_seen (table, "52-54-00-00-00-01", -1, NULL, NULL, NULL, &created,
                                      &error);
  g_assert_false (created);
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_IGNORE);
  g_assert_cmpstr (host->arch, ==, "efi-x64");
  g_assert_cmpstr (host->vendor_class, ==, "PXEClient:Arch:00007:UNDI:003016");

  g_assert_null (yard_host_table_record_seen (table, "bad", 0, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Sightings are written together, within a second, or at flush. */
  g_clear_pointer (&host, yard_host_free);
  host = yard_host_table_record_seen (table, "52:54:00:00:00:02", 0, "10.0.0.6", NULL, NULL, NULL,
                                      &error);
  g_assert_nonnull (host);
  {
    g_autoptr(YardHostTable) reread = yard_host_table_new (f->path);
    g_autoptr(YardHost) got = NULL;
    gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < deadline)
      {
        g_assert_true (yard_host_table_load (reread, NULL));
        g_clear_pointer (&got, yard_host_free);
        got = yard_host_table_dup_host (reread, "52:54:00:00:00:02");
        if (got != NULL)
          break;
        g_main_context_iteration (NULL, TRUE);
      }
    g_assert_nonnull (got);
    g_assert_cmpstr (got->arch, ==, "bios");
  }
  g_clear_pointer (&host, yard_host_free);
  host = yard_host_table_record_seen (table, "52:54:00:00:00:03", -1, NULL, NULL, NULL, NULL,
                                      &error);
  g_assert_true (yard_host_table_flush (table, &error));
  g_assert_no_error (error);
  {
    g_autoptr(YardHostTable) reread = yard_host_table_new (f->path);
    g_autoptr(YardHost) got = NULL;

    g_assert_true (yard_host_table_load (reread, NULL));
    got = yard_host_table_dup_host (reread, "52:54:00:00:00:03");
    g_assert_nonnull (got);
  }
}

static void
test_corrupt_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *contents = NULL;
  const char *broken = "{\"hosts\": [ {\"mac\": \"52:54:00:00:00:01\", ";
  const char *name;

  g_assert_true (g_file_set_contents (f->path, broken, -1, NULL));
  g_assert_false (yard_host_table_load (table, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, ".broken-"));

  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "hosts.json.broken-"))
      aside = g_build_filename (f->dir, name, NULL);
  g_assert_nonnull (aside);
  g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, broken);
  g_clear_pointer (&contents, g_free);

  /* Load refused the file: it is still there, unchanged, until a change is saved. */
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, broken);
  g_clear_error (&error);

  /* A host with an invalid policy in the file is a broken file too. */
  g_assert_true (g_file_set_contents (f->path,
                                      "{\"hosts\": [{\"mac\": \"52:54:00:00:00:01\", "
                                      "\"mode\": \"script\", \"script\": \"rm -rf\"}]}",
                                      -1, NULL));
  g_assert_false (yard_host_table_load (table, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yard/host-table/mac-normalize", test_mac_normalize);
  g_test_add_func ("/yard/host-table/validate", test_validate);
  g_test_add ("/yard/host-table/put-persist-disk-clears-script", Fixture, NULL,
              fixture_set_up, test_put_persist_disk_clears_script, fixture_tear_down);
  g_test_add ("/yard/host-table/record-seen", Fixture, NULL,
              fixture_set_up, test_record_seen, fixture_tear_down);
  g_test_add ("/yard/host-table/corrupt-file", Fixture, NULL,
              fixture_set_up, test_corrupt_file, fixture_tear_down);

  return g_test_run ();
}
