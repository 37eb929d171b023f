/* yard-server-status.h: the server's state as GET /status reports it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  YARD_SERVICE_STATE_STOPPED,
  YARD_SERVICE_STATE_RUNNING,
  YARD_SERVICE_STATE_DISABLED, /* turned off by an option such as --no-tftp */
  YARD_SERVICE_STATE_FAILED,   /* with last_error */
} YardServiceState;

/* "running", "stopped", "disabled", "failed": how the API names a state; NULL when unknown */
const char *yard_service_state_to_string   (YardServiceState  state);
gboolean    yard_service_state_from_string (const char       *name,
                                            YardServiceState *state);

/* One boot service: "tftp", "dhcp" or "http" */
typedef struct
{
  char             *name;
  YardServiceState  state;
  char             *address;    /* the address it binds, "" for every address */
  guint             port;       /* the bound port, 0 when not running */
  char             *last_error; /* a failed service's error message, else NULL */
  int               error_code; /* a failed service's YARD_ERROR code (YARD_ERROR_FAILED) */
  guint             error_port; /* the port refused, 0 when the failure is not about one */
} YardServiceStatus;

/* A file the server could not use, and what to do */
typedef struct
{
  char *file;
  char *error;
} YardStatusProblem;

/* The server builds it (yard_server_dup_status) and sends it with yard_server_status_to_json;
 * a client reads it back with yard_server_status_new_from_json: one codec. */
typedef struct
{
  char      *version;
  gboolean   services_running;
  char      *root;           /* the boot root */
  char      *program;        /* the server's executable (what setcap grants), or NULL */
  char      *interface;      /* the interface the boot services answer on, or NULL */
  char      *server_address; /* the address clients are told to boot from, or NULL */
  GPtrArray *services;       /* YardServiceStatus, in the server's order */
  GPtrArray *problems;       /* YardStatusProblem */
} YardServerStatus;

#define YARD_TYPE_SERVER_STATUS (yard_server_status_get_type ())
GType              yard_server_status_get_type       (void) G_GNUC_CONST;
YardServerStatus  *yard_server_status_new            (void);
YardServerStatus  *yard_server_status_copy           (const YardServerStatus *status);
void               yard_server_status_free           (YardServerStatus       *status);
/* Adds a service (owned by the status) and returns it to fill in */
YardServiceStatus *yard_server_status_add_service    (YardServerStatus       *status,
                                                      const char             *name,
                                                      YardServiceState        state);
/* The service called name, or NULL */
const YardServiceStatus *yard_server_status_find_service (const YardServerStatus *status,
                                                          const char             *name);
void               yard_server_status_add_problem    (YardServerStatus       *status,
                                                      const char             *file,
                                                      const char             *error);
/* {"version", "servicesRunning", "root", "program" (absent when unknown), "interface",
 *  "serverAddress" (null when none), "services": {name: {"state", "address", "port",
 *  "lastError", "errorCode", "errorPort"}}, "problems": [{"file", "error"}]} — docs/api.md */
JsonObject        *yard_server_status_to_json        (const YardServerStatus *status) G_GNUC_WARN_UNUSED_RESULT;
/* What to_json wrote; YARD_ERROR_PROTOCOL naming the member that does not read. */
YardServerStatus  *yard_server_status_new_from_json  (JsonObject             *object,
                                                      GError                **error) G_GNUC_WARN_UNUSED_RESULT;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardServerStatus, yard_server_status_free)

G_END_DECLS
