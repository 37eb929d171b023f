/* test-host-table.c: the hosts table, its rules and its file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "yard-error.h"
#include "yard-host-table.h"

#include "test-dirs.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = yard_test_make_dir ("hosts");
  f->path = g_build_filename (f->dir, "hosts.json", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
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

/* A hosts.json nested 200 000 deep crashed the server at every start (issue 19). */
static void
test_deep_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  g_autoptr(GError) error = NULL;
  GString *deep = g_string_new ("{\"hosts\": ");

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_true (g_file_set_contents (f->path, deep->str, deep->len, NULL));
  g_string_free (deep, TRUE);

  g_assert_false (yard_host_table_load (table, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "nested more than"));
}

/* A broken file is not only in the log: the table keeps the error for GET /status until a
 * load succeeds. */
static void
test_load_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  const GError *problem;

  g_assert_null (yard_host_table_get_load_error (table));
  g_assert_true (g_file_set_contents (f->path, "{\"hosts\": [", -1, NULL));
  g_assert_false (yard_host_table_load (table, NULL));
  problem = yard_host_table_get_load_error (table);
  g_assert_error ((GError *) problem, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (problem->message, f->path));
  g_assert_nonnull (strstr (problem->message, "put it back"));

  g_assert_true (g_file_set_contents (f->path, "{\"hosts\": []}", -1, NULL));
  g_assert_true (yard_host_table_load (table, NULL));
  g_assert_null (yard_host_table_get_load_error (table));
}

static void
count_removed_cb (YardHostTable *table,
                  const char    *mac,
                  guint         *removed)
{
  (*removed)++;
}

static char *
flood_mac (guint i)
{
  return g_strdup_printf ("02:00:00:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff,
                          i & 0xff);
}

/* Sightings of hosts nobody set a policy for (GET /boot/MAC.ipxe, DHCP) stay bounded: past
 * 4096 the least recently seen go first; hosts set through the API never go, even with the
 * default policy, also after a restart (issue 19: 200 000 made hosts.json 59 MB). */
static void
test_bounded_sightings (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  g_autoptr(YardHost) plain = yard_host_new ("52:54:00:00:00:01");
  g_autoptr(YardHost) named = yard_host_new ("52:54:00:00:00:02");
  g_autoptr(GError) error = NULL;
  guint removed = 0;
  const guint max = 4096;

  g_signal_connect (table, "host-removed", G_CALLBACK (count_removed_cb), &removed);
  g_assert_true (yard_host_table_load (table, NULL));
  g_assert_true (yard_host_table_put (table, plain, NULL, &error));
  g_free (named->name);
  named->name = g_strdup ("lab-1");
  g_assert_true (yard_host_table_put (table, named, NULL, &error));

  for (guint i = 0; i < max + 100; i++)
    {
      g_autofree char *mac = flood_mac (i);
      g_autoptr(YardHost) seen = NULL;

      seen = yard_host_table_record_seen (table, mac, 0, "10.0.0.9", NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      /* Seen again early on: no longer among the oldest. */
      if (i == 4000)
        {
          g_autofree char *again = flood_mac (10);
          g_autoptr(YardHost) h = yard_host_table_record_seen (table, again, 0, NULL, NULL,
                                                               NULL, NULL, NULL);
        }
    }

  {
    g_autoptr(GPtrArray) hosts = yard_host_table_dup_hosts (table);
    g_autofree char *first = flood_mac (0);
    g_autofree char *tenth = flood_mac (10);
    g_autofree char *kept = flood_mac (101);
    g_autofree char *dropped = flood_mac (100);
    g_autofree char *last = flood_mac (max + 99);
    g_autoptr(YardHost) h1 = yard_host_table_dup_host (table, first);
    g_autoptr(YardHost) h2 = yard_host_table_dup_host (table, tenth);
    g_autoptr(YardHost) h3 = yard_host_table_dup_host (table, kept);
    g_autoptr(YardHost) h4 = yard_host_table_dup_host (table, dropped);
    g_autoptr(YardHost) h5 = yard_host_table_dup_host (table, last);

    g_assert_cmpuint (hosts->len, ==, max + 2);
    g_assert_cmpuint (removed, ==, 100);
    g_assert_null (h1);
    g_assert_nonnull (h2);
    g_assert_nonnull (h3);
    g_assert_null (h4);
    g_assert_nonnull (h5);
  }

  /* After a restart the managed hosts are still managed: another flood keeps them. */
  g_assert_true (yard_host_table_flush (table, &error));
  {
    g_autoptr(YardHostTable) reread = yard_host_table_new (f->path);
    g_autoptr(YardHost) h1 = NULL;
    g_autoptr(YardHost) h2 = NULL;
    g_autoptr(GPtrArray) hosts = NULL;

    g_assert_true (yard_host_table_load (reread, &error));
    for (guint i = 0; i < max; i++)
      {
        g_autofree char *mac = flood_mac (0x100000 + i);
        g_autoptr(YardHost) seen = yard_host_table_record_seen (reread, mac, 0, NULL, NULL,
                                                                NULL, NULL, NULL);
      }
    hosts = yard_host_table_dup_hosts (reread);
    g_assert_cmpuint (hosts->len, ==, max + 2);
    h1 = yard_host_table_dup_host (reread, "52:54:00:00:00:01");
    h2 = yard_host_table_dup_host (reread, "52:54:00:00:00:02");
    g_assert_nonnull (h1);
    g_assert_nonnull (h2);
    g_assert_cmpstr (h2->name, ==, "lab-1");
  }
}

/* A file from before the bound, with more sightings than it allows: the newest are kept. */
static void
test_bounded_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GError) error = NULL;
  GString *text = g_string_new ("{\"hosts\": [");

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *mac = flood_mac (i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (1700000000 + i);
      g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");

      g_string_append_printf (text, "%s{\"mac\": \"%s\", \"lastSeen\": \"%s\"}",
                              i > 0 ? ", " : "", mac, iso);
    }
  g_string_append (text, ", {\"mac\": \"52:54:00:00:00:01\", \"mode\": \"disk\"}]}");
  g_assert_true (g_file_set_contents (f->path, text->str, text->len, NULL));
  g_string_free (text, TRUE);

  g_assert_true (yard_host_table_load (table, &error));
  g_assert_no_error (error);
  hosts = yard_host_table_dup_hosts (table);
  g_assert_cmpuint (hosts->len, ==, 4096 + 1);
  {
    g_autofree char *oldest_kept = flood_mac (5000 - 4096);
    g_autofree char *newest_dropped = flood_mac (5000 - 4096 - 1);
    g_autoptr(YardHost) kept = yard_host_table_dup_host (table, oldest_kept);
    g_autoptr(YardHost) dropped = yard_host_table_dup_host (table, newest_dropped);
    g_autoptr(YardHost) disk = yard_host_table_dup_host (table, "52:54:00:00:00:01");

    g_assert_nonnull (kept);
    g_assert_null (dropped);
    g_assert_nonnull (disk);
  }
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* A host's patch: the members given change, all or nothing, each refusal names its member. */
static void
test_update_from_json (void)
{
  static const struct { const char *patch; const char *field; } refused[] = {
    { "{\"name\": \"lab\", \"mode\": \"sideways\"}", "mode" },
    { "{\"name\": 7}", "name" },
    { "{\"name\": \"two\\nlines\"}", "name" },
    { "{\"name\": \"bell\\u0007\"}", "name" },
    { "{\"colour\": \"red\"}", "colour" },
    { "{\"mac\": \"52:54:00:00:00:01\"}", "mac" },
    { "{\"mode\": \"script\", \"script\": \"echo hi\"}", "script" },
    { "{\"mode\": \"url\", \"scriptUrl\": \"ftp://x/\"}", "scriptUrl" },
    { "{\"mode\": \"url\"}", "scriptUrl" },
    { "{\"script\": 3}", "script" },
    { "{\"once\": \"yes\"}", "once" },
  };
  g_autoptr(YardHost) host = yard_host_new ("52:54:00:12:34:56");
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  patch = parse_object ("{\"name\": \"office\", \"mode\": \"script\", \"once\": true,"
                        " \"script\": \"#!ipxe\\nshell\\n\", \"mac\": \"52-54-00-12-34-56\","
                        " \"arch\": \"bios\", \"lastSeen\": null}");
  g_assert_true (yard_host_update_from_json (host, patch, &field, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (host->name, ==, "office");
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_SCRIPT);
  g_assert_true (host->once);
  g_assert_cmpstr (host->script, ==, "#!ipxe\nshell\n");
  /* read-only members are taken and ignored */
  g_assert_null (host->arch);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_clear_pointer (&patch, json_object_unref);
      g_clear_error (&error);
      patch = parse_object (refused[i].patch);
      field = NULL;
      g_assert_false (yard_host_update_from_json (host, patch, &field, &error));
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (field, ==, refused[i].field);
      /* nothing changed */
      g_assert_cmpstr (host->name, ==, "office");
      g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_SCRIPT);
      g_assert_cmpstr (host->script, ==, "#!ipxe\nshell\n");
    }

  /* null clears; the rest stays */
  g_clear_pointer (&patch, json_object_unref);
  g_clear_error (&error);
  patch = parse_object ("{\"mode\": \"menu\", \"script\": null}");
  g_assert_true (yard_host_update_from_json (host, patch, &field, &error));
  g_assert_null (host->script);
  g_assert_cmpstr (host->name, ==, "office");
  g_assert_true (host->once);
}

/* What a host's iPXE reports: checked, bounded, only for hosts the table has, kept in the
 * file, and the API's patch cannot write it. */
static void
test_record_machine (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(YardMachine) machine = NULL;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(YardHostTable) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_text = g_strnfill (200, 'x');
  g_autoptr(YardHostTable) table = yard_host_table_new (f->path);
  g_autoptr(JsonObject) host_json = NULL;
  JsonObject *m;

  g_assert_null (yard_machine_new_from_query (params));
  g_hash_table_insert (params, "manufacturer", "QEMU");
  g_hash_table_insert (params, "product", "Standard PC\x01 (i440FX)");
  g_hash_table_insert (params, "serial", long_text);
  g_hash_table_insert (params, "uuid", "");
  g_hash_table_insert (params, "memsize", "512");
  g_hash_table_insert (params, "chip", "virtio-net");
  g_hash_table_insert (params, "colour", "red");
  machine = yard_machine_new_from_query (params);
  g_assert_nonnull (machine);
  g_assert_cmpstr (machine->manufacturer, ==, "QEMU");
  g_assert_cmpstr (machine->product, ==, "Standard PC (i440FX)");
  g_assert_cmpuint (strlen (machine->serial), ==, 64);
  g_assert_null (machine->uuid);
  g_assert_cmpint (machine->memory, ==, 512 * 1024 * 1024);
  g_assert_cmpstr (machine->nic, ==, "virtio-net");

  /* memsize must be a plain number of MiB */
  {
    g_autoptr(GHashTable) bad = g_hash_table_new (g_str_hash, g_str_equal);

    g_hash_table_insert (bad, "memsize", "-5");
    g_assert_null (yard_machine_new_from_query (bad));
    g_hash_table_insert (bad, "memsize", "12abc");
    g_assert_null (yard_machine_new_from_query (bad));
    g_hash_table_insert (bad, "manufacturer", "\xff\xfe");
    g_assert_null (yard_machine_new_from_query (bad));
  }

  /* an unknown host: refused, the table stays as it was */
  g_assert_false (yard_host_table_record_machine (table, "52:54:00:00:00:09", machine, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (yard_host_table_dup_host (table, "52:54:00:00:00:09"));

  g_clear_pointer (&host, yard_host_free);
  host = yard_host_table_record_seen (table, "52:54:00:00:00:09", 0, "10.0.0.9", NULL, NULL,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_true (yard_host_table_record_machine (table, "52-54-00-00-00-09", machine, &error));
  g_assert_no_error (error);
  g_assert_true (yard_host_table_flush (table, &error));
  g_assert_no_error (error);

  again = yard_host_table_new (f->path);
  g_assert_true (yard_host_table_load (again, &error));
  g_assert_no_error (error);
  g_clear_pointer (&host, yard_host_free);
  host = yard_host_table_dup_host (again, "52:54:00:00:00:09");
  g_assert_nonnull (host);
  g_assert_nonnull (host->machine);
  g_assert_cmpstr (host->machine->manufacturer, ==, "QEMU");
  g_assert_cmpint (host->machine->memory, ==, 512 * 1024 * 1024);
  g_assert_nonnull (host->machine->reported);

  /* a policy change keeps it; the JSON shows it */
  host->mode = YARD_HOST_MODE_DISK;
  g_assert_true (yard_host_table_put (again, host, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&host, yard_host_free);
  host = yard_host_table_dup_host (again, "52:54:00:00:00:09");
  host_json = yard_host_to_json (host);
  m = json_object_get_object_member (host_json, "machine");
  g_assert_nonnull (m);
  g_assert_cmpstr (json_object_get_string_member (m, "nic"), ==, "virtio-net");
}

/* GRUB's report is a file name: "boot/MAC.machine/KEY=VALUE/...", read by the same rule as
 * iPXE's query. What is not a report stays a file name; a value cannot add a part. */
static void
test_machine_from_path (void)
{
  static const char report[] = "/boot/52-54-00-12-34-56.machine/manufacturer=QEMU/"
                               "product=Standard PC (Q35 + ICH9, 2009)/serial=/colour=red/"
                               "uuid=1234abcd-0000-0000-0000-000000000001";
  static const char * const not_reports[] = {
    "boot/52:54:00:12:34:56.ipxe", "boot/52:54:00:12:34:5.machine/manufacturer=x",
    "images/52:54:00:12:34:56.machine/manufacturer=x", "boot/52:54:00:12:34:56.machinex",
    "boot/zz:54:00:12:34:56.machine/manufacturer=x", "52:54:00:12:34:56.machine",
  };
  g_autofree char *mac = NULL;
  g_autoptr(YardMachine) machine = NULL;

  g_assert_true (yard_machine_from_path (report, strlen (report), &mac, &machine));
  g_assert_cmpstr (mac, ==, "52:54:00:12:34:56");
  g_assert_nonnull (machine);
  g_assert_cmpstr (machine->manufacturer, ==, "QEMU");
  g_assert_cmpstr (machine->product, ==,
                   "Standard PC (Q35 + ICH9, 2009)");
  g_assert_cmpstr (machine->uuid, ==,
                   "1234abcd-0000-0000-0000-000000000001");
  g_assert_null (machine->serial);
  g_assert_null (machine->nic);
  g_assert_cmpint (machine->memory, ==, 0);
  g_clear_pointer (&mac, g_free);
  g_clear_pointer (&machine, yard_machine_free);

  /* a report with nothing usable is still a report: GRUB gets its empty file */
  g_assert_true (yard_machine_from_path ("boot/52:54:00:12:34:56.machine", 30, &mac,
                                              &machine));
  g_assert_null (machine);
  g_clear_pointer (&mac, g_free);

  /* the checks of the query: control characters out, invalid UTF-8 out, 64 bytes at most */
  {
    g_autofree char *long_serial = g_strnfill (100, 's');
    g_autofree char *long_name = g_strdup_printf ("boot/52:54:00:12:34:56.machine/"
                                                  "manufacturer=%s\x01/product=\xff\xfe/"
                                                  "serial=%s", "Dell", long_serial);

    g_assert_true (yard_machine_from_path (long_name, strlen (long_name), &mac, &machine));
    g_assert_cmpstr (machine->manufacturer, ==, "Dell");
    g_assert_null (machine->product);
    g_assert_cmpuint (strlen (machine->serial), ==, 64);
    g_clear_pointer (&mac, g_free);
    g_clear_pointer (&machine, yard_machine_free);
  }
  /* a NUL ends no name here: the whole request is refused as a report */
  {
    static const char with_nul[] = "boot/52:54:00:12:34:56.machine/\0x";

    g_assert_false (yard_machine_from_path (with_nul, sizeof with_nul - 1, &mac, &machine));
  }

  for (guint i = 0; i < G_N_ELEMENTS (not_reports); i++)
    {
      g_assert_false (yard_machine_from_path (not_reports[i], strlen (not_reports[i]),
                                                   &mac, &machine));
      g_assert_null (mac);
      g_assert_null (machine);
    }
}

/* yard_host_to_json and yard_host_new_from_json are one codec: what the API writes (read-only
 * members included) reads back the same. */
static void
test_host_json_round_trip (void)
{
  g_autoptr(YardHost) host = yard_host_new ("52:54:00:12:34:56");
  g_autoptr(YardHost) back = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) bad = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  g_free (host->name);
  host->name = g_strdup ("lab-1");
  host->mode = YARD_HOST_MODE_SCRIPT;
  host->script = g_strdup ("#!ipxe\nboot\n");
  host->once = TRUE;
  host->arch = g_strdup ("efi-x64");
  host->last_seen = 1764745200;
  host->address = g_strdup ("192.168.1.50");
  host->vendor_class = g_strdup ("PXEClient:Arch:00007");
  host->uuid = g_strdup ("4c4c4544-0000-1000-8000-000000000000");
  host->machine = g_new0 (YardMachine, 1);
  host->machine->manufacturer = g_strdup ("LENOVO");
  host->machine->memory = 17179869184;

  json = yard_host_to_json (host);
  back = yard_host_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "lab-1");
  g_assert_cmpint (back->mode, ==, YARD_HOST_MODE_SCRIPT);
  g_assert_true (back->once);
  g_assert_cmpint (back->last_seen, ==, 1764745200);
  g_assert_cmpstr (back->vendor_class, ==, "PXEClient:Arch:00007");
  again = yard_host_to_json (back);
  a = json_node_init_object (json_node_alloc (), json);
  b = json_node_init_object (json_node_alloc (), again);
  g_assert_true (json_node_equal (a, b));

  json_object_set_string_member (bad, "mac", "52:54:00:12:34");
  g_assert_null (yard_host_new_from_json (bad, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  json_object_set_string_member (bad, "mac", "52:54:00:12:34:56");
  json_object_set_string_member (bad, "mode", "boot");
  g_assert_null (yard_host_new_from_json (bad, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/yard/host-table/mac-normalize", test_mac_normalize);
  g_test_add_func ("/yard/host-table/validate", test_validate);
  g_test_add_func ("/yard/host-table/update-from-json", test_update_from_json);
  g_test_add_func ("/yard/host-table/json-round-trip", test_host_json_round_trip);
  g_test_add ("/yard/host-table/put-persist-disk-clears-script", Fixture, NULL,
              fixture_set_up, test_put_persist_disk_clears_script, fixture_tear_down);
  g_test_add_func ("/yard/host-table/machine-from-path", test_machine_from_path);
  g_test_add ("/yard/host-table/record-machine", Fixture, NULL,
              fixture_set_up, test_record_machine, fixture_tear_down);
  g_test_add ("/yard/host-table/record-seen", Fixture, NULL,
              fixture_set_up, test_record_seen, fixture_tear_down);
  g_test_add ("/yard/host-table/corrupt-file", Fixture, NULL,
              fixture_set_up, test_corrupt_file, fixture_tear_down);
  g_test_add ("/yard/host-table/deep-file", Fixture, NULL,
              fixture_set_up, test_deep_file, fixture_tear_down);
  g_test_add ("/yard/host-table/load-error", Fixture, NULL,
              fixture_set_up, test_load_error, fixture_tear_down);
  g_test_add ("/yard/host-table/bounded-sightings", Fixture, NULL,
              fixture_set_up, test_bounded_sightings, fixture_tear_down);
  g_test_add ("/yard/host-table/bounded-file", Fixture, NULL,
              fixture_set_up, test_bounded_file, fixture_tear_down);

  return g_test_run ();
}
