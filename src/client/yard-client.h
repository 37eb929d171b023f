/* yard-client.h: the one client of bootyard-server's HTTP JSON API (docs/api.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call is asynchronous, with a GCancellable, and its callback runs in the thread-default
 * main context of the caller. Failures are GErrors:
 *   - the server's {"error", "field"} answers: YARD_ERROR with a code from the status
 *     (400/413 INVALID_ARGUMENT, 401 UNAUTHORIZED, 404 NOT_FOUND, 409 INVALID_CONFIG,
 *     other FAILED) and the server's own sentence (plus the field);
 *   - a server that cannot be reached: YARD_ERROR_UNREACHABLE;
 *   - cancellation: G_IO_ERROR_CANCELLED.
 * Results are owned by the caller. The menu, its entries, hosts and the image list are core's
 * types (the doctor's verdicts, boots and network reports too), decoded by core's own readers of what the server wrote (yard_boot_menu_decode_json(),
 * yard_host_new_from_json(), yard_image_file_new_from_json(),
 * yard_server_status_new_from_json(), yard_boot_record_new_from_json()...), so client and server cannot disagree on a member; an
 * answer that does not read is YARD_ERROR_PROTOCOL. yard_client_request_*() gives the JSON as
 * sent (for printing it unchanged). An image's inspection (get, upload) is core's too
 * (YardImageFile's inspection, yard-image-inspection.h).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yard-boot-menu.h"
#include "yard-boot-record.h"
#include "yard-host-table.h"
#include "yard-image-file.h"
#include "yard-network-report.h"
#include "yard-server-status.h"

G_BEGIN_DECLS

/**
 * YardClientProgressFunc:
 * @sent: bytes sent so far
 * @total: bytes to send in all
 * @user_data: the data given with the function
 *
 * Called on the caller's main context as an upload goes.
 */
typedef void (*YardClientProgressFunc) (goffset  sent,
                                        goffset  total,
                                        gpointer user_data);

/**
 * YardClientUploadFlags:
 * @YARD_CLIENT_UPLOAD_NONE: an image of that name already there is an error,
 *   %YARD_ERROR_EXISTS, whose message says what to do
 * @YARD_CLIENT_UPLOAD_REPLACE: replace an image of that name
 */
typedef enum
{
  YARD_CLIENT_UPLOAD_NONE    = 0,
  YARD_CLIENT_UPLOAD_REPLACE = 1 << 0,
} YardClientUploadFlags;

#define YARD_TYPE_CLIENT (yard_client_get_type ())
G_DECLARE_FINAL_TYPE (YardClient, yard_client, YARD, CLIENT, GObject)

YardClient *yard_client_new                     (const char          *base_url,
                                                 const char          *token);
YardClient *yard_client_new_from_files          (const char          *base_url,
                                                 const char          *token_file,
                                                 GError             **error);
const char *yard_client_get_base_url            (YardClient          *self);

/* Any request: path is below /api/v1 (e.g. "/status"); body may be NULL. The result is the
 * answer's JSON (a JSON null node for 204). */
void        yard_client_request_async           (YardClient          *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 JsonNode            *body,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonNode   *yard_client_request_finish          (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
JsonNode   *yard_client_request_sync            (YardClient          *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 JsonNode            *body,
                                                 GCancellable        *cancellable,
                                                 GError             **error);

/* Status and services: each returns the server's status (GET /status). */
void        yard_client_get_status_async        (YardClient          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardServerStatus *yard_client_get_status_finish       (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        yard_client_start_services_async    (YardClient          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardServerStatus *yard_client_start_services_finish   (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        yard_client_stop_services_async     (YardClient          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardServerStatus *yard_client_stop_services_finish    (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* The menu. get, update (PATCH: any of title, timeout, default, serial, loader, uefiLoader),
 * replace and move return the menu (entries with the server's "support": see
 * yard_boot_entry_get_support()) and, when loader / uefi_loader are not NULL, the server's
 * loader settings beside it (NULL from a server without them); add and update_entry return the
 * entry (with its id and support). */
void        yard_client_get_menu_async          (YardClient          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardBootMenu *yard_client_get_menu_finish         (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 char               **loader,
                                                 char               **uefi_loader,
                                                 GError             **error);
void        yard_client_update_menu_async       (YardClient          *self,
                                                 JsonObject          *changes,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardBootMenu *yard_client_update_menu_finish      (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 char               **loader,
                                                 char               **uefi_loader,
                                                 GError             **error);
/* PUT /menu: the whole menu; entries keep their ids (and unmodelled lines), new ones have none. */
void        yard_client_replace_menu_async      (YardClient          *self,
                                                 JsonObject          *menu,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardBootMenu *yard_client_replace_menu_finish     (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 char               **loader,
                                                 char               **uefi_loader,
                                                 GError             **error);
/* POST /menu/entries: the entry as core writes it (yard_boot_entry_to_json; without an id
 * the server makes one from the label) at position (-1: the end). answer (may be NULL) gets
 * the entry as the server sent it, for printing it unchanged. */
void        yard_client_add_menu_entry_async    (YardClient          *self,
                                                 YardBootEntry       *entry,
                                                 int                  position,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardBootEntry *yard_client_add_menu_entry_finish   (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 JsonObject         **answer,
                                                 GError             **error);
void        yard_client_update_menu_entry_async (YardClient          *self,
                                                 const char          *id,
                                                 JsonObject          *changes,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardBootEntry *yard_client_update_menu_entry_finish (YardClient         *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);
void        yard_client_remove_menu_entry_async (YardClient          *self,
                                                 const char          *id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    yard_client_remove_menu_entry_finish (YardClient         *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);
void        yard_client_move_menu_entry_async   (YardClient          *self,
                                                 const char          *id,
                                                 guint                position,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardBootMenu *yard_client_move_menu_entry_finish  (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 char               **loader,
                                                 char               **uefi_loader,
                                                 GError             **error);

/* Hosts: list returns the hosts (YardHost, freed with the array); get and put a host, put's
 * host being the JSON patch of docs/api.md. mac in any form the server takes
 * (52:54:00:12:34:56, 52-54-00-12-34-56). */
void        yard_client_list_hosts_async        (YardClient          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray  *yard_client_list_hosts_finish       (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        yard_client_get_host_async          (YardClient          *self,
                                                 const char          *mac,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardHost   *yard_client_get_host_finish         (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        yard_client_put_host_async          (YardClient          *self,
                                                 const char          *mac,
                                                 JsonObject          *host,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardHost   *yard_client_put_host_finish         (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        yard_client_delete_host_async       (YardClient          *self,
                                                 const char          *mac,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    yard_client_delete_host_finish      (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* POST /hosts/MAC/wake: the Wake-on-LAN packet; with policy (the PUT patch, NULL or empty:
 * none) the host first boots that way once, and *host (may be NULL) is the host as it then
 * is (NULL without a policy). YARD_ERROR_INVALID_CONFIG: the server has no interface. */
void        yard_client_wake_host_async         (YardClient          *self,
                                                 const char          *mac,
                                                 JsonObject          *policy,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    yard_client_wake_host_finish        (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 YardHost           **host,
                                                 GError             **error);

/* Images: list returns the images (YardImageFile, freed with the array). */
void        yard_client_list_images_async       (YardClient          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray  *yard_client_list_images_finish      (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* One image inspected again (its inspection, with the entry to suggest, or its error). */
void        yard_client_get_image_async         (YardClient          *self,
                                                 const char          *name,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardImageFile *yard_client_get_image_finish     (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* An image that menu entries boot is %YARD_ERROR_IN_USE (the message names them) unless
 * remove_entries: then they are removed first. */
void        yard_client_delete_image_async      (YardClient          *self,
                                                 const char          *name,
                                                 gboolean             remove_entries,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    yard_client_delete_image_finish     (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Streams file to PUT /images/{name} (name NULL: the file's basename) without reading it
 * into memory, from a worker thread, once the server has answered "100 Continue": a name
 * already there (%YARD_ERROR_EXISTS), a bad name or a wrong token is refused before any of it
 * is sent. progress (may be NULL) is called on the caller's main context as bytes go out, at
 * most once per 1/1000 of the file or 50 ms and always at the end; progress_notify frees
 * progress_data when the upload is done. Cancelling aborts the upload (the server removes
 * its temporary file). The result is the server's answer: the image with its inspection;
 * answer (may be NULL) gets it as sent, for printing it unchanged. */
void        yard_client_upload_image_async      (YardClient             *self,
                                                 GFile                  *file,
                                                 const char             *name,
                                                 YardClientUploadFlags   flags,
                                                 YardClientProgressFunc  progress,
                                                 gpointer                progress_data,
                                                 GDestroyNotify          progress_notify,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
YardImageFile *yard_client_upload_image_finish  (YardClient             *self,
                                                 GAsyncResult           *result,
                                                 JsonObject            **answer,
                                                 GError                **error);

/* Streams file to PUT /files/{path} ("debian/linux": folders allowed), as
 * yard_client_upload_image_async () does; the result is where it is in the boot root
 * ("files/PATH"), and size (may be NULL) how many bytes the server stored. */
void        yard_client_upload_file_async       (YardClient             *self,
                                                 GFile                  *file,
                                                 const char             *path,
                                                 YardClientUploadFlags   flags,
                                                 YardClientProgressFunc  progress,
                                                 gpointer                progress_data,
                                                 GDestroyNotify          progress_notify,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
char       *yard_client_upload_file_finish      (YardClient             *self,
                                                 GAsyncResult           *result,
                                                 goffset                *size,
                                                 GError                **error);

/* The doctor (docs/api.md "The doctor"): get returns the latest verdict of each client
 * (YardBootVerdict, newest first; mac != NULL: that client's only) and, when network is not
 * NULL, the last network report (NULL when none); probe asks the network now (POST
 * /doctor/network, about 4 s). */
void        yard_client_get_doctor_async        (YardClient          *self,
                                                 const char          *mac,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray  *yard_client_get_doctor_finish       (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 YardNetworkReport  **network,
                                                 GError             **error);
void        yard_client_probe_network_async     (YardClient          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
YardNetworkReport *yard_client_probe_network_finish (YardClient      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* GET /activity[/MAC]: the recent boots (YardBootRecord, newest first, with the host's name;
 * freed with the array). */
void        yard_client_get_activity_async      (YardClient          *self,
                                                 const char          *mac,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray  *yard_client_get_activity_finish     (YardClient          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
