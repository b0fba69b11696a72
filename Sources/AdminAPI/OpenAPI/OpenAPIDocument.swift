/// The OpenAPI 3.1 contract of the REST API, served at `GET /api/openapi.json`.
///
/// Identical to `OpenAPI/openapi.json` next to this file (a test checks it), embedded as a string
/// so the binary needs no resource bundle. Edit the JSON file, then copy it here.
public enum OpenAPIDocument {
    /// The document as JSON text, ending with a newline.
    public static let json: String = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "hy2scale REST API",
    "version": "1.0.0",
    "description": "REST API of a hy2scale node (Hysteria 2 mesh relay). `config.yaml` is the source of truth: every write edits that file in place (comments and layout kept), validates the whole result, writes it atomically, triggers a reconcile and answers with its outcome. Runtime facts (traffic counters, sessions, graph layout, TLS store) live in the state directory.\n\n**Authentication.** `POST /api/login` answers a token (32 lower-case hex). Every other route except the public ones (`security: []`) needs `Authorization: Bearer <token>`; `GET /api/graph-layout/stream` also takes `?token=`. Unauthenticated requests get 401 before any other check. A session that logged in with the initial password (generated on first start) or the default `admin` gets `force_password_change: true`, and every call but `PUT /api/settings/password` and `POST /api/logout` answers it 403 `{\"error\":\"change the initial admin password first\"}` (DECISIONS #23). A session ends when the password changes, however it is changed.\n\n**Transport.** The same port answers HTTPS and plain HTTP. With `force_https` it answers only HTTPS: a plain HTTP request gets `308` to the same URL over HTTPS (or `503` when no certificate can be loaded) and never reaches the API, and every answer carries `Strict-Transport-Security` (DECISIONS #24).\n\n**Bodies.** JSON (`Content-Type: application/json`), at most 1 MiB unless an operation says otherwise (413). Unknown keys are ignored. `PUT /api/node` and `PUT /api/settings/ui` are partial updates (only keys present change); every other PUT replaces the whole object, omitted keys taking the defaults shown in the schemas. `readOnly` keys are ignored on input. The v1.3 exit sync applies to users, proxies, rules and WireGuard peers (see `exit_via`).\n\n**Errors** (DECISIONS #5) are JSON `{\"error\": \"...\", \"field\": \"...\"}`: 400 the request itself is unusable (not JSON, wrong JSON type, bad parameter); 401 unauthenticated; 403 refused (wrong current password, upgrade not possible); 404 unknown id or name (also PUT on an unknown id: PUT never creates); 409 duplicate on POST, rename onto a taken name, or stale `If-Match`; 413 body too large; 422 the edited config fails validation, with `problems` (required fields, formats, enums, collisions are checked this way, on the whole file); 429 login rate limited, with `Retry-After`; 500 the file could not be written.\n\n**Revisions.** The revision is the lower-case hex SHA-256 of the config file. GETs of config-backed resources send it as `ETag: \"<revision>\"`; every config write accepts `If-Match` and answers 409 when it is stale (DECISIONS #22), and its response carries the new `ETag`. A write answers 200 with a `MutationResult` even when the reconcile could not apply everything (`applied: false`, `failures`).\n\n**Paths.** `{id}` and `{name}` are one path segment; percent-encode `/` (`us%2Fus-east`).",
    "license": {
      "name": "GPL-3.0-or-later",
      "identifier": "GPL-3.0-or-later"
    }
  },
  "servers": [
    {
      "url": "/scale",
      "description": "Default base path (`ui_base_path`)."
    }
  ],
  "security": [
    {
      "bearerAuth": []
    }
  ],
  "tags": [
    {
      "name": "Auth"
    },
    {
      "name": "System"
    },
    {
      "name": "Node"
    },
    {
      "name": "Peers"
    },
    {
      "name": "Topology"
    },
    {
      "name": "Clients"
    },
    {
      "name": "Proxies"
    },
    {
      "name": "Services"
    },
    {
      "name": "WireGuard"
    },
    {
      "name": "Users"
    },
    {
      "name": "Sessions"
    },
    {
      "name": "Rules"
    },
    {
      "name": "TLS"
    },
    {
      "name": "Settings"
    }
  ],
  "paths": {
    "/api/login": {
      "post": {
        "operationId": "login",
        "tags": [
          "Auth"
        ],
        "summary": "Log in",
        "description": "Checks the admin name and the client-side SHA-256 of the password; answers a new session token. Failures are rate-limited per client address (429 with `Retry-After`). The default password `admin` (a v1.3 file that never changed it) is accepted only from a loopback address (403 from anywhere else). With the initial or the default password, `force_password_change` is true and the session may only change the password or log out. Multiple sessions may coexist.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LoginRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LoginResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          }
        },
        "security": []
      }
    },
    "/api/logout": {
      "post": {
        "operationId": "logout",
        "tags": [
          "Auth"
        ],
        "summary": "Log out",
        "description": "Ends the caller's session; other sessions stay. Open to a session that must still change the initial password.",
        "responses": {
          "200": {
            "description": "The session has ended.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StatusOK"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/build-id": {
      "get": {
        "operationId": "getBuildID",
        "tags": [
          "System"
        ],
        "summary": "Build id of the embedded web UI",
        "description": "Answered with `Cache-Control: no-cache, no-store, must-revalidate`.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BuildID"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/internal/peers": {
      "get": {
        "operationId": "getInternalPeers",
        "tags": [
          "Peers"
        ],
        "summary": "Live peers for reverse nested discovery",
        "description": "Used between nodes; access is governed by the Hysteria 2 tunnel password, not by a web token. One element per live primary peer; may be empty.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/PeerInfo"
                  }
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/openapi.json": {
      "get": {
        "operationId": "getOpenAPIDocument",
        "tags": [
          "System"
        ],
        "summary": "This document",
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/status": {
      "get": {
        "operationId": "getStatus",
        "tags": [
          "System"
        ],
        "summary": "Reconcile status",
        "description": "Outcome of the last reconcile, whatever triggered it (API write, file change, SIGHUP, drift check). The `ETag` is the revision of the file on disk now.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReconcileStatus"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/node": {
      "get": {
        "operationId": "getNode",
        "tags": [
          "Node"
        ],
        "summary": "Node identity and Hysteria 2 server",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Node"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "updateNode",
        "tags": [
          "Node"
        ],
        "summary": "Update node identity and server (partial)",
        "description": "Partial update: only the keys present change (reference §5.2). Changing `node_id`, `name` or `server` reconnects peers and restarts the Hysteria 2 server when the values differ.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NodeUpdate"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/stats": {
      "get": {
        "operationId": "getStats",
        "tags": [
          "Node"
        ],
        "summary": "Traffic totals and rates",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Stats"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/topology": {
      "get": {
        "operationId": "getTopology",
        "tags": [
          "Peers"
        ],
        "summary": "Peer tree",
        "description": "Flat array of top-level peers, each with its nested `children`. Element 0 is always this node (`direction: local`, `is_self: true`); then configured clients and live peers sorted by name. Never blocks on the network.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/TopologyNode"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/peers": {
      "get": {
        "operationId": "listPeers",
        "tags": [
          "Peers"
        ],
        "summary": "This node and its live peers, with what nested discovery sees behind them",
        "description": "Element 0 is this node (`direction: local`, `is_self: true`); then every live primary peer by name, each with `children` when it is marked nested (`peers.<name>.nested`) and has reported its own peers. `nested`/`disabled` come from the `peers` section. Never blocks on the network.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/TopologyNode"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/peers/{name}/peers": {
      "get": {
        "operationId": "listSubPeers",
        "tags": [
          "Peers"
        ],
        "summary": "Ask a direct peer for its peer list",
        "description": "Asks the direct peer for its peer list over the relay now (3 s budget). A peer that is not connected, is a plain Hysteria 2 server, or does not answer in time gives 400 with the relay's reason (`relay: peer \"x\" not connected`).",
        "parameters": [
          {
            "$ref": "#/components/parameters/PeerPath"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/PeerInfo"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/peers/{name}/nested": {
      "put": {
        "operationId": "setPeerNested",
        "tags": [
          "Peers"
        ],
        "summary": "Toggle nested discovery for a peer or qualified path",
        "description": "Sets `peers[<name>].nested`, creating the entry (a flags record, so an unknown name is not 404). Disabling also removes every `peers` key under `<name>/`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/PeerPath"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NestedToggle"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/peers/{name}/disable": {
      "put": {
        "operationId": "setPeerDisabled",
        "tags": [
          "Peers"
        ],
        "summary": "Forbid or allow a peer or qualified path as an exit hop",
        "description": "Sets `peers[<name>].disabled`, creating the entry.",
        "parameters": [
          {
            "$ref": "#/components/parameters/PeerPath"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DisabledToggle"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/clients": {
      "get": {
        "operationId": "listClients",
        "tags": [
          "Clients"
        ],
        "summary": "Configured outbound peers",
        "description": "Each entry carries the read-only `connected`.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Client"
                  }
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "post": {
        "operationId": "createClient",
        "tags": [
          "Clients"
        ],
        "summary": "Add an outbound peer",
        "description": "409 when another client has the same `name` or the same `addr`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Client"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClientCreated"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/clients/{name}": {
      "get": {
        "operationId": "getClient",
        "tags": [
          "Clients"
        ],
        "summary": "One outbound peer",
        "description": "Matched by `name`, else by `addr`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Name"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Client"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      },
      "put": {
        "operationId": "replaceClient",
        "tags": [
          "Clients"
        ],
        "summary": "Replace an outbound peer",
        "description": "Full replacement (omitted keys take their defaults). An empty body `name` keeps the path name; a different one renames (409 if taken). The connection is restarted.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Name"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Client"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "delete": {
        "operationId": "deleteClient",
        "tags": [
          "Clients"
        ],
        "summary": "Remove an outbound peer",
        "description": "References in `peers`, exits and rules are left as they are (validation may then report them: 422).",
        "parameters": [
          {
            "$ref": "#/components/parameters/Name"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/clients/{name}/disable": {
      "put": {
        "operationId": "setClientDisabled",
        "tags": [
          "Clients"
        ],
        "summary": "Disable or enable an outbound peer",
        "parameters": [
          {
            "$ref": "#/components/parameters/Name"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DisabledToggle"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/proxies": {
      "get": {
        "operationId": "listProxies",
        "tags": [
          "Proxies"
        ],
        "summary": "SOCKS5 and HTTP listeners",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Proxy"
                  }
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "post": {
        "operationId": "createProxy",
        "tags": [
          "Proxies"
        ],
        "summary": "Add a listener",
        "description": "409 when the id exists. Shadowsocks is configured with `/api/ss`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Proxy"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProxyCreated"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/proxies/{id}": {
      "put": {
        "operationId": "replaceProxy",
        "tags": [
          "Proxies"
        ],
        "summary": "Replace a listener",
        "description": "Full replacement; the path id wins over a body `id`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Proxy"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "delete": {
        "operationId": "deleteProxy",
        "tags": [
          "Proxies"
        ],
        "summary": "Remove a listener",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/ss": {
      "get": {
        "operationId": "getShadowsocks",
        "tags": [
          "Services"
        ],
        "summary": "Shadowsocks server",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Shadowsocks"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "replaceShadowsocks",
        "tags": [
          "Services"
        ],
        "summary": "Replace the Shadowsocks server",
        "description": "Full replacement of the `ss` section; the listener is restarted.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Shadowsocks"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/l2tp": {
      "get": {
        "operationId": "getL2TP",
        "tags": [
          "Services"
        ],
        "summary": "L2TP/IPsec server",
        "description": "Defaults when the section is absent.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/L2TP"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "replaceL2TP",
        "tags": [
          "Services"
        ],
        "summary": "Replace the L2TP/IPsec server",
        "description": "Full replacement of the `l2tp` section; the service is restarted (hot reload). Saved even when the host is not capable: the reconcile then reports a failure (`applied: false`).",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/L2TP"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/ikev2": {
      "get": {
        "operationId": "getIKEv2",
        "tags": [
          "Services"
        ],
        "summary": "IKEv2 server",
        "description": "Defaults when the section is absent.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IKEv2"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "replaceIKEv2",
        "tags": [
          "Services"
        ],
        "summary": "Replace the IKEv2 server",
        "description": "Full replacement of the `ikev2` section; the service is restarted. Saved even when the host is not capable (reported as a reconcile failure).",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/IKEv2"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/wireguard": {
      "get": {
        "operationId": "getWireGuard",
        "tags": [
          "WireGuard"
        ],
        "summary": "WireGuard server and its peers",
        "description": "Defaults when the section is absent (`peers: []`).",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WireGuard"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "replaceWireGuard",
        "tags": [
          "WireGuard"
        ],
        "summary": "Replace the WireGuard server",
        "description": "Full replacement of the `wireguard` section, except that an absent or empty `peers` keeps the stored peers. The device is restarted.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/WireGuard"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/wireguard/peers": {
      "post": {
        "operationId": "createWireGuardPeer",
        "tags": [
          "WireGuard"
        ],
        "summary": "Add a WireGuard peer",
        "description": "Creates the `wireguard` section if absent. 409 when the name or public key exists.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/WireGuardPeer"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WireGuardPeerCreated"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/wireguard/peers/{name}": {
      "put": {
        "operationId": "replaceWireGuardPeer",
        "tags": [
          "WireGuard"
        ],
        "summary": "Replace a WireGuard peer",
        "description": "Full replacement. An empty body `name` keeps the path name; a different one renames (409 if taken).",
        "parameters": [
          {
            "$ref": "#/components/parameters/Name"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/WireGuardPeer"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "delete": {
        "operationId": "deleteWireGuardPeer",
        "tags": [
          "WireGuard"
        ],
        "summary": "Remove a WireGuard peer",
        "parameters": [
          {
            "$ref": "#/components/parameters/Name"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/wireguard/peers/{name}/config": {
      "get": {
        "operationId": "getWireGuardPeerConfig",
        "tags": [
          "WireGuard"
        ],
        "summary": "Client configuration file",
        "description": "404 when WireGuard is not configured or the peer is unknown.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Name"
          },
          {
            "name": "endpoint",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Host clients dial; written as `Endpoint = <host>:<listen_port>` (IPv6 in brackets). Omitted = no Endpoint line."
          }
        ],
        "responses": {
          "200": {
            "description": "WireGuard `.conf` ([Interface] PrivateKey, Address, DNS, MTU; [Peer] PublicKey, Endpoint when known, AllowedIPs `0.0.0.0/0, ::/0`, PersistentKeepalive when > 0). Sent with `Content-Disposition: attachment; filename=\"<name>.conf\"`.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        }
      }
    },
    "/api/wireguard/qr": {
      "get": {
        "operationId": "getWireGuardQRCode",
        "tags": [
          "WireGuard"
        ],
        "summary": "QR code of a peer's configuration",
        "description": "QR code of `GET /api/wireguard/peers/{name}/config` for `peer` (DECISIONS #21). `text` instead encodes arbitrary text (v1.3 compatibility). Exactly one of `peer` and `text` is required (else 400); 400 also when the text is too long for a QR code.",
        "parameters": [
          {
            "name": "peer",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "WireGuard peer name."
          },
          {
            "name": "endpoint",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "As for the configuration file."
          },
          {
            "name": "text",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "Arbitrary text to encode."
          }
        ],
        "responses": {
          "200": {
            "description": "512×512 PNG, medium error correction.",
            "content": {
              "image/png": {
                "schema": {
                  "type": "string",
                  "contentMediaType": "image/png"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/api/wireguard/generate-key": {
      "post": {
        "operationId": "generateWireGuardKey",
        "tags": [
          "WireGuard"
        ],
        "summary": "Generate a key pair",
        "description": "Random X25519 key pair, base64. Changes nothing.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WireGuardKeyPair"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/users": {
      "get": {
        "operationId": "listUsers",
        "tags": [
          "Users"
        ],
        "summary": "Users",
        "description": "Passwords included. `traffic_used` comes from the state directory.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/UserResponse"
                  }
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "post": {
        "operationId": "createUser",
        "tags": [
          "Users"
        ],
        "summary": "Add a user",
        "description": "409 when the username or id exists. The password must differ from the server password (422).",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/User"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserCreated"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/users/{id}": {
      "put": {
        "operationId": "replaceUser",
        "tags": [
          "Users"
        ],
        "summary": "Replace a user",
        "description": "Full replacement; the path id wins; `traffic_used` is kept. Changing the password, per-protocol passwords, disabled protocols or the username ends the user's live sessions. 409 when the new username is taken.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/User"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "delete": {
        "operationId": "deleteUser",
        "tags": [
          "Users"
        ],
        "summary": "Remove a user",
        "description": "Ends the user's live sessions (DECISIONS #10); the traffic counter is dropped.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/users/{id}/toggle": {
      "put": {
        "operationId": "setUserEnabled",
        "tags": [
          "Users"
        ],
        "summary": "Enable or disable a user",
        "description": "Disabling ends the user's live sessions.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EnabledToggle"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/users/{id}/reset-traffic": {
      "put": {
        "operationId": "resetUserTraffic",
        "tags": [
          "Users"
        ],
        "summary": "Reset a user's traffic counter",
        "description": "Sets `traffic_used` to 0 in the state directory (the config file is not written). No body.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StatusOK"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/api/users/conflicts": {
      "get": {
        "operationId": "getUserConflicts",
        "tags": [
          "Users"
        ],
        "summary": "Users sharing a password on hy2 or ss",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserConflicts"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/sessions": {
      "get": {
        "operationId": "listSessions",
        "tags": [
          "Sessions"
        ],
        "summary": "Connected devices",
        "description": "Runtime list; `devices` may be empty.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/sessions/{id}": {
      "delete": {
        "operationId": "kickSession",
        "tags": [
          "Sessions"
        ],
        "summary": "Kick a device",
        "description": "Ends all of the device's connections and refuses new ones from the same key for 60 s.",
        "parameters": [
          {
            "$ref": "#/components/parameters/SessionId"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StatusOK"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/api/rules": {
      "get": {
        "operationId": "listRules",
        "tags": [
          "Rules"
        ],
        "summary": "Routing rules",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RuleList"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "post": {
        "operationId": "createRule",
        "tags": [
          "Rules"
        ],
        "summary": "Add a rule",
        "description": "409 when the id exists. The id `tun-mode` is refused (400).",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Rule"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RuleCreated"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/rules/tun-mode": {
      "get": {
        "operationId": "getTunMode",
        "tags": [
          "Rules"
        ],
        "summary": "Legacy global TUN mode",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TunMode"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "replaceTunMode",
        "tags": [
          "Rules"
        ],
        "summary": "Set the legacy global TUN mode",
        "description": "Writes the `tun_mode` section. `enabled: false` with `mode: mixed` removes the section.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TunMode"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/rules/{id}": {
      "put": {
        "operationId": "replaceRule",
        "tags": [
          "Rules"
        ],
        "summary": "Replace a rule",
        "description": "Full replacement; the path id wins.",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Rule"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "delete": {
        "operationId": "deleteRule",
        "tags": [
          "Rules"
        ],
        "summary": "Remove a rule",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/rules/{id}/toggle": {
      "put": {
        "operationId": "setRuleEnabled",
        "tags": [
          "Rules"
        ],
        "summary": "Enable or disable a rule",
        "parameters": [
          {
            "$ref": "#/components/parameters/Id"
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EnabledToggle"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/tls": {
      "get": {
        "operationId": "listCertificates",
        "tags": [
          "TLS"
        ],
        "summary": "Certificates in the TLS store",
        "description": "Sorted by id; always an array. Unparsable files are skipped.",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Certificate"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/tls/import": {
      "post": {
        "operationId": "importCertificate",
        "tags": [
          "TLS"
        ],
        "summary": "Import a certificate (PEM in the body)",
        "description": "400 when the PEM is not a certificate or the key does not match. 409 when the id exists and `replace` is not true.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CertificateImport"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/tls/import-path": {
      "post": {
        "operationId": "importCertificateFromPath",
        "tags": [
          "TLS"
        ],
        "summary": "Import a certificate from files on the node",
        "description": "400 when a file cannot be read or is not a certificate/key. 409 when the id exists and `replace` is not true.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CertificateImportPath"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/tls/generate": {
      "post": {
        "operationId": "generateCertificate",
        "tags": [
          "TLS"
        ],
        "summary": "Generate a self-signed certificate or CA",
        "description": "ECDSA P-256, self-signed. 409 when the id exists and `replace` is not true.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CertificateGenerate"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/tls/sign": {
      "post": {
        "operationId": "signCertificate",
        "tags": [
          "TLS"
        ],
        "summary": "Issue a certificate from a CA in the store",
        "description": "RSA-2048 key; subject = the CA's subject with CN replaced by `cn`. 404 when `ca_id` is unknown; 400 when it is not a CA or has no key. 409 when the id exists and `replace` is not true.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CertificateSign"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/tls/{id}/pem": {
      "get": {
        "operationId": "getCertificatePEM",
        "tags": [
          "TLS"
        ],
        "summary": "Certificate PEM",
        "parameters": [
          {
            "$ref": "#/components/parameters/CertId"
          }
        ],
        "responses": {
          "200": {
            "description": "The stored certificate PEM (chain as stored). The private key is never returned.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/api/tls/{id}": {
      "delete": {
        "operationId": "deleteCertificate",
        "tags": [
          "TLS"
        ],
        "summary": "Remove a certificate",
        "description": "Removes the certificate, key and name. 409 when the config uses it (`field` names the reference: `proxies[0].tls_cert`, `ikev2.cert_id`, `https_cert_id`, `server.tls_cert`). The `default` certificate is never deleted (409, `field`: `id`): it is what the admin and Hysteria 2 servers present when nothing else is named, and every start makes it again; replace it instead.",
        "parameters": [
          {
            "$ref": "#/components/parameters/CertId"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/graph-layout": {
      "get": {
        "operationId": "getGraphLayout",
        "tags": [
          "Topology"
        ],
        "summary": "Saved graph layout",
        "description": "Stored in the state directory (not the config file).",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GraphLayout"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "replaceGraphLayout",
        "tags": [
          "Topology"
        ],
        "summary": "Replace the graph layout",
        "description": "Full snapshot, last writer wins; `{}` clears. Broadcast to every stream subscriber.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/GraphLayout"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StatusOK"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          }
        }
      }
    },
    "/api/graph-layout/stream": {
      "get": {
        "operationId": "streamGraphLayout",
        "tags": [
          "Topology"
        ],
        "summary": "Layout changes (Server-Sent Events)",
        "description": "EventSource cannot set headers, so this route also accepts the token as the `token` query parameter.",
        "parameters": [
          {
            "name": "token",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "pattern": "^[0-9a-f]{32}$"
            },
            "description": "Session token, when not sent as `Authorization: Bearer`."
          }
        ],
        "responses": {
          "200": {
            "description": "`text/event-stream` with `Cache-Control: no-cache`. First frame: the current layout; then one frame after every successful PUT (from any session); a `: ping` comment every 20 s. Each frame is `data: <GraphLayout JSON>` followed by a blank line (no `event:`/`id:`); a slow subscriber may miss frames (each is a full snapshot).",
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "string",
                  "description": "Event stream; the `data` of each event is a `GraphLayout`."
                },
                "x-event-data-schema": {
                  "$ref": "#/components/schemas/GraphLayout"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "queryToken": []
          }
        ]
      }
    },
    "/api/backup": {
      "get": {
        "operationId": "downloadBackup",
        "tags": [
          "System"
        ],
        "summary": "Download a backup",
        "responses": {
          "200": {
            "description": "gzip-compressed tar of `config.yaml` and the state directory (TLS store, node id, counters, layout). Contains every secret. Sent with `Content-Disposition: attachment; filename=\"hy2scale-backup.tar.gz\"`.",
            "content": {
              "application/gzip": {
                "schema": {
                  "type": "string",
                  "contentMediaType": "application/gzip"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/restore": {
      "post": {
        "operationId": "restoreBackup",
        "tags": [
          "System"
        ],
        "summary": "Restore a backup",
        "description": "Body: the archive of `GET /api/backup`, raw (`application/gzip`) or as the `file` field of a multipart form; at most 50 MiB. 400 for a corrupt archive or one without `config.yaml`; 422 when its config does not validate. Nothing is written unless the whole archive is valid; entries outside the config file and state directory are refused. Needs the current admin password again (its client-side SHA-256): the `current_password` form field, or the `X-Current-Password` header for a raw body; 400 when it is missing, 403 when it is wrong (counted with failed logins: 429 when rate limited). Logged with the caller's address.",
        "requestBody": {
          "required": true,
          "content": {
            "application/gzip": {
              "schema": {
                "type": "string",
                "contentMediaType": "application/gzip"
              }
            },
            "multipart/form-data": {
              "schema": {
                "$ref": "#/components/schemas/RestoreUpload"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Restored; the process exits shortly after answering and the service manager restarts it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StatusMessage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "name": "X-Current-Password",
            "in": "header",
            "required": false,
            "description": "Hex SHA-256 of the current admin password, for a raw (non-multipart) body.",
            "schema": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{64}$"
            }
          }
        ]
      }
    },
    "/api/build-info": {
      "get": {
        "operationId": "getBuildInfo",
        "tags": [
          "System"
        ],
        "summary": "Build information",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BuildInfo"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/system/arch": {
      "get": {
        "operationId": "getSystemArch",
        "tags": [
          "System"
        ],
        "summary": "Platform of this node",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SystemArch"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/upgrade": {
      "post": {
        "operationId": "uploadUpgrade",
        "tags": [
          "System"
        ],
        "summary": "Upgrade the binary",
        "description": "Body: a `.tar.gz` with the new binary, as the `file` field of a multipart form (or raw `application/gzip`); at most 200 MiB. The old binary is kept as `<path>.bak`. 400 for an invalid archive or one without a matching binary; 403 when the running binary cannot be replaced (e.g. it belongs to a system package). Needs the current admin password again (its client-side SHA-256): the `current_password` form field, or the `X-Current-Password` header for a raw body; 400 when it is missing, 403 when it is wrong (counted with failed logins: 429 when rate limited). Logged with the caller's address.",
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {
                "$ref": "#/components/schemas/UpgradeUpload"
              }
            },
            "application/gzip": {
              "schema": {
                "type": "string",
                "contentMediaType": "application/gzip"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Installed; the process exits shortly after answering and the service manager restarts it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StatusMessage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "name": "X-Current-Password",
            "in": "header",
            "required": false,
            "description": "Hex SHA-256 of the current admin password, for a raw (non-multipart) body.",
            "schema": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{64}$"
            }
          }
        ]
      }
    },
    "/api/check-ports": {
      "post": {
        "operationId": "checkPorts",
        "tags": [
          "System"
        ],
        "summary": "Check whether ports are free on the host",
        "description": "Changes nothing. 400 (with `field` such as `ports[2]`) for a port outside 1-65535.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PortCheckRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PortCheckResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          }
        }
      }
    },
    "/api/settings/password": {
      "put": {
        "operationId": "changePassword",
        "tags": [
          "Settings"
        ],
        "summary": "Change the admin name and/or password",
        "description": "Writes `web_username`/`web_password` (stored as a salted slow hash of the client hash, DECISIONS #4). Every session ends, the caller's included, and the initial password's file in the state directory is deleted. 403 when `current_password` is wrong (counted with failed logins: 429 when rate limited). 400 when `new_password` is `admin`, equals the current password, or is missing while the initial password must be changed.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PasswordChange"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MutationResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/api/settings/ui": {
      "get": {
        "operationId": "getUISettings",
        "tags": [
          "Settings"
        ],
        "summary": "Admin UI, DNS and limits settings",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UISettings"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "put": {
        "operationId": "updateUISettings",
        "tags": [
          "Settings"
        ],
        "summary": "Update UI settings (partial)",
        "description": "Partial update: only the keys present change. `note` is `applied live`, or names the settings that take effect at the next start (`restart_required`). 422 when `https_cert_id` names no certificate in the TLS store.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UISettingsUpdate"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Written, validated and reconciled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UISettingsResult"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "32 lower-case hex characters",
        "description": "Token from `POST /api/login`."
      },
      "queryToken": {
        "type": "apiKey",
        "in": "query",
        "name": "token",
        "description": "The same token as a query parameter; accepted on the SSE stream only."
      }
    },
    "parameters": {
      "Id": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1
        },
        "description": "Resource id (one path segment; percent-encode reserved characters)."
      },
      "Name": {
        "name": "name",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1
        },
        "description": "Resource name (one path segment; percent-encode reserved characters)."
      },
      "PeerPath": {
        "name": "name",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1
        },
        "description": "A peer name or a `/`-separated qualified path sent percent-encoded as one segment (`us%2Fus-east`). A first segment equal to this node's name or id is dropped.",
        "examples": {
          "direct": {
            "value": "jp"
          },
          "nested": {
            "value": "us/us-east"
          }
        }
      },
      "SessionId": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1
        },
        "description": "Device key `username|remote_ip|protocol`, percent-encoded.",
        "example": "alice|203.0.113.5|socks5"
      },
      "CertId": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "$ref": "#/components/schemas/CertificateID"
        },
        "description": "Certificate id."
      },
      "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": false,
        "schema": {
          "type": "string"
        },
        "description": "Optional optimistic lock: the `ETag` of a previous GET (`\"<revision>\"`, quotes optional; `*` matches any). When the config file no longer has that revision the write is refused with 409 (DECISIONS #22) and nothing is written.",
        "example": "\"3f0c...\""
      }
    },
    "headers": {
      "ETag": {
        "description": "`\"<revision>\"`: quoted lower-case hex SHA-256 of the config file.",
        "schema": {
          "type": "string",
          "pattern": "^\"[0-9a-f]{64}\"$"
        }
      },
      "RetryAfter": {
        "description": "Seconds until a login may be tried again.",
        "schema": {
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "Invalid input: the body is not JSON or a value has the wrong JSON type, a parameter is malformed, or a request-only rule is broken (`field` names it).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "Missing, unknown or expired token (`{\"error\":\"unauthorized\"}`); on login: invalid credentials.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Forbidden": {
        "description": "Refused: see the operation.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "NotFound": {
        "description": "Unknown id or name.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Conflict": {
        "description": "Duplicate (id, name or other unique key already used), conflicting edit, or stale `If-Match`: the config file changed since the revision given. Nothing was written.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "Body larger than the limit of the operation (1 MiB for JSON bodies).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Unprocessable": {
        "description": "The edited config fails validation; nothing was written. `problems` lists every error as `config.yaml:LINE:COL: PATH: message`; `field` is the path of the first.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "TooManyRequests": {
        "description": "Too many failed logins from this address.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        }
      },
      "InternalError": {
        "description": "The server could not complete the request (e.g. the config file could not be written).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "BadGateway": {
        "description": "The peer did not answer in time or answered something unusable.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "properties": {
          "error": {
            "type": "string",
            "description": "Human-readable message saying what is wrong and what would be accepted.",
            "examples": [
              "users[2].username: \"alice\" is already used by users[0]"
            ]
          },
          "field": {
            "type": "string",
            "description": "JSON/config path of the offending value when known, e.g. `users[2].username` (config path) or `ports[3]` (request path). On 422 it is the path of the first problem.",
            "examples": [
              "users[2].username"
            ]
          },
          "problems": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "422 only: every validation error of the edited config, sorted by position, each as `config.yaml:LINE:COL: PATH: message`.",
            "examples": [
              [
                "config.yaml:12:5: users[1].expiry: \"2025-13-01\" is not a date; use RFC 3339 or YYYY-MM-DD"
              ]
            ]
          }
        },
        "required": [
          "error"
        ],
        "description": "Every error response (DECISIONS #5). Content type `application/json`."
      },
      "StatusOK": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string",
            "const": "ok"
          }
        },
        "required": [
          "status"
        ],
        "description": "Acknowledgement of a call that changes no configuration."
      },
      "StatusMessage": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string",
            "const": "ok"
          },
          "message": {
            "type": "string"
          }
        },
        "required": [
          "status",
          "message"
        ],
        "description": "Acknowledgement with a human-readable note; used before the process restarts."
      },
      "MutationResult": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string",
            "const": "ok"
          },
          "applied": {
            "type": "boolean",
            "description": "True when, after the write, the reconcile succeeded completely: the running node matches the file. False when some change failed (see `failures`; retried on the next reconcile)."
          },
          "revision": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "Lower-case hex SHA-256 of the config file after the write (also sent as the `ETag` header). Unchanged when the call changed nothing."
          },
          "changes": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Plan lines carried out by the reconcile, each prefixed by its kind: `listeners: + socks5 0.0.0.0:1080`. Empty when nothing had to change.",
            "examples": [
              [
                "listeners: + socks5 0.0.0.0:1080"
              ]
            ]
          },
          "failures": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Plan lines that failed, with reasons, each prefixed by its kind.",
            "examples": [
              [
                "listeners: + socks5 0.0.0.0:1080  FAILED: address already in use"
              ]
            ]
          },
          "problems": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Validation problems of the file in force; empty on success (a write whose result does not validate is refused with 422 and not written)."
          }
        },
        "required": [
          "status",
          "applied",
          "revision",
          "changes",
          "failures",
          "problems"
        ],
        "description": "Answer of every write to the configuration (DECISIONS #6): the edit was validated, written atomically, and reconciled before the answer. Status is 200 even when `applied` is false."
      },
      "UserCreated": {
        "allOf": [
          {
            "$ref": "#/components/schemas/MutationResult"
          },
          {
            "type": "object",
            "properties": {
              "id": {
                "type": "string",
                "description": "Id of the new user (generated when the body had none)."
              },
              "user": {
                "$ref": "#/components/schemas/UserResponse"
              }
            },
            "required": [
              "id",
              "user"
            ]
          }
        ],
        "description": "MutationResult of `POST /api/users`."
      },
      "ProxyCreated": {
        "allOf": [
          {
            "$ref": "#/components/schemas/MutationResult"
          },
          {
            "type": "object",
            "properties": {
              "id": {
                "type": "string",
                "description": "Id of the new proxy (generated when the body had none)."
              }
            },
            "required": [
              "id"
            ]
          }
        ],
        "description": "MutationResult of `POST /api/proxies`."
      },
      "RuleCreated": {
        "allOf": [
          {
            "$ref": "#/components/schemas/MutationResult"
          },
          {
            "type": "object",
            "properties": {
              "id": {
                "type": "string",
                "description": "Id of the new rule (generated when the body had none)."
              }
            },
            "required": [
              "id"
            ]
          }
        ],
        "description": "MutationResult of `POST /api/rules`."
      },
      "ClientCreated": {
        "allOf": [
          {
            "$ref": "#/components/schemas/MutationResult"
          },
          {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              }
            },
            "required": [
              "name"
            ]
          }
        ],
        "description": "MutationResult of `POST /api/clients`."
      },
      "WireGuardPeerCreated": {
        "allOf": [
          {
            "$ref": "#/components/schemas/MutationResult"
          },
          {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              }
            },
            "required": [
              "name"
            ]
          }
        ],
        "description": "MutationResult of `POST /api/wireguard/peers`."
      },
      "CertificateResult": {
        "allOf": [
          {
            "$ref": "#/components/schemas/MutationResult"
          },
          {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "certificate": {
                "$ref": "#/components/schemas/Certificate"
              }
            },
            "required": [
              "id",
              "certificate"
            ]
          }
        ],
        "description": "Result of a TLS store write. The store lives in the state directory, not in the config file, so `revision` is the unchanged config revision; the node is reconciled because listeners may use the certificate."
      },
      "UISettingsResult": {
        "allOf": [
          {
            "$ref": "#/components/schemas/MutationResult"
          },
          {
            "type": "object",
            "properties": {
              "note": {
                "type": "string",
                "examples": [
                  "applied live"
                ]
              },
              "restart_required": {
                "type": "array",
                "items": {
                  "type": "string",
                  "enum": [
                    "listen",
                    "base_path"
                  ]
                },
                "description": "The changed settings that take effect at the next start: `listen` (the admin address) and `base_path`; empty when everything applied live."
              }
            },
            "required": [
              "note",
              "restart_required"
            ]
          }
        ],
        "description": "MutationResult of `PUT /api/settings/ui`."
      },
      "ReconcileStatus": {
        "type": "object",
        "properties": {
          "revision": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^[0-9a-f]{64}$",
            "description": "Revision (SHA-256 hex of the file) of the configuration in force; null before any valid configuration was loaded."
          },
          "applied": {
            "type": "boolean",
            "description": "True when the current file is valid, in force, and its last reconcile had no failures."
          },
          "problems": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Why the file as it is now on disk is refused (`config.yaml:LINE:COL: PATH: message`); empty when it is the one in force. While non-empty the previous good configuration keeps running."
          },
          "changes": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Plan lines carried out by the last reconcile, prefixed by kind."
          },
          "failures": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Plan lines that failed in the last reconcile, prefixed by kind; retried with backoff."
          }
        },
        "required": [
          "revision",
          "applied",
          "problems",
          "changes",
          "failures"
        ],
        "description": "Outcome of the last reconcile."
      },
      "LoginRequest": {
        "type": "object",
        "properties": {
          "username": {
            "type": "string",
            "examples": [
              "admin"
            ]
          },
          "password": {
            "type": "string",
            "pattern": "^[0-9a-fA-F]{64}$",
            "description": "Hex SHA-256 of the UTF-8 password, computed by the client."
          }
        },
        "required": [
          "username",
          "password"
        ]
      },
      "LoginResponse": {
        "type": "object",
        "properties": {
          "token": {
            "type": "string",
            "pattern": "^[0-9a-f]{32}$",
            "description": "Session token (16 random bytes, lower-case hex). Sliding expiry of `session_timeout_h` hours (12 by default)."
          },
          "force_password_change": {
            "type": "boolean",
            "description": "True when the password is the initial one generated on first start or the default `admin`: until it is changed, every call but `PUT /api/settings/password` and `POST /api/logout` answers 403."
          }
        },
        "required": [
          "token",
          "force_password_change"
        ]
      },
      "BuildID": {
        "type": "object",
        "properties": {
          "build_id": {
            "type": "string",
            "pattern": "^[0-9a-f]{16}$",
            "description": "First 8 bytes of SHA-256 of the embedded index.html, hex."
          }
        },
        "required": [
          "build_id"
        ]
      },
      "BuildInfo": {
        "type": "object",
        "properties": {
          "version": {
            "type": "string",
            "examples": [
              "1.3.0"
            ]
          },
          "license": {
            "type": "string",
            "examples": [
              "GPL-3.0-or-later"
            ]
          },
          "repository": {
            "type": "string",
            "format": "uri"
          },
          "go_deps": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "path": {
                  "type": "string"
                },
                "version": {
                  "type": "string"
                }
              },
              "required": [
                "path",
                "version"
              ]
            },
            "description": "Compiled-in packages sorted by path (for this build: its Swift packages; the key keeps the seed's name)."
          },
          "natives": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "name": {
                  "type": "string"
                },
                "version": {
                  "type": "string"
                },
                "license": {
                  "type": "string"
                },
                "source": {
                  "type": "string"
                }
              },
              "required": [
                "name",
                "version",
                "license",
                "source"
              ]
            },
            "description": "Native libraries and programs the node uses."
          }
        },
        "required": [
          "version",
          "license",
          "repository",
          "go_deps",
          "natives"
        ]
      },
      "SystemArch": {
        "type": "object",
        "properties": {
          "arch": {
            "type": "string",
            "examples": [
              "amd64"
            ]
          },
          "binary": {
            "type": "string",
            "examples": [
              "hy2scale"
            ]
          },
          "in_docker": {
            "type": "boolean"
          },
          "os": {
            "type": "string",
            "examples": [
              "linux"
            ]
          },
          "version": {
            "type": "string"
          }
        },
        "required": [
          "arch",
          "binary",
          "in_docker",
          "os",
          "version"
        ]
      },
      "ServerConfig": {
        "type": "object",
        "properties": {
          "listen": {
            "type": "string",
            "description": "UDP `host:port` of the Hysteria 2 server; may carry port hopping `host:5565,44000-45000`.",
            "examples": [
              "0.0.0.0:5565"
            ]
          },
          "password": {
            "type": "string",
            "description": "System password: peers that know it log in as relay nodes. At least 6 characters when `listen` is set; must differ from every user's password. Secret."
          },
          "tls_cert": {
            "type": "string",
            "description": "Filesystem path of the certificate PEM.",
            "examples": [
              "/var/lib/hy2scale/tls/default.crt"
            ]
          },
          "tls_key": {
            "type": "string",
            "description": "Filesystem path of the private key PEM."
          },
          "obfs": {
            "type": "object",
            "description": "Salamander obfuscation of every QUIC packet; clients must use the same password. Absent: plain QUIC. Kept when an update leaves it out.",
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "salamander"
                ]
              },
              "password": {
                "type": "string",
                "minLength": 4,
                "description": "Shared obfuscation key. Secret."
              }
            },
            "required": [
              "password"
            ]
          }
        },
        "required": [
          "listen",
          "password"
        ],
        "description": "`server` section. Missing `tls_cert`/`tls_key` become empty (ephemeral self-signed certificate)."
      },
      "Node": {
        "type": "object",
        "properties": {
          "node_id": {
            "type": "string",
            "description": "Stable node identifier (8 lower-case hex when generated).",
            "examples": [
              "ea1b2adb"
            ]
          },
          "name": {
            "type": "string",
            "description": "Name announced to peers.",
            "examples": [
              "sg-home"
            ]
          },
          "exit_node": {
            "type": "boolean"
          },
          "hy2_user_auth": {
            "type": "boolean",
            "description": "When true users may log in on the Hysteria 2 server; when false only peers (server password) may (DECISIONS #8)."
          },
          "compat": {
            "type": "boolean",
            "readOnly": true,
            "description": "NET_ADMIN present but nftables unusable."
          },
          "limited": {
            "type": "boolean",
            "readOnly": true,
            "description": "No NET_ADMIN capability."
          },
          "server": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ServerConfig"
              },
              {
                "type": "null"
              }
            ],
            "description": "null when the Hysteria 2 server is off."
          },
          "version": {
            "type": "string",
            "readOnly": true,
            "examples": [
              "1.3.0"
            ]
          },
          "active_paths": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            },
            "readOnly": true,
            "description": "Primary `exit_via` → the exit path that most recently won a multi-path race."
          }
        },
        "required": [
          "node_id",
          "name",
          "exit_node",
          "hy2_user_auth",
          "compat",
          "limited",
          "server",
          "version"
        ]
      },
      "NodeUpdate": {
        "type": "object",
        "properties": {
          "node_id": {
            "type": "string",
            "description": "When non-empty, sets both `node_id` and `name` (then `name`, if present, overrides `name`)."
          },
          "name": {
            "type": "string"
          },
          "exit_node": {
            "type": "boolean"
          },
          "hy2_user_auth": {
            "type": "boolean"
          },
          "server": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ServerConfig"
              },
              {
                "type": "null"
              }
            ],
            "description": "Replaces the whole `server` section. `null`, or an object whose `listen` and `password` are both empty, turns the Hysteria 2 server off."
          }
        },
        "description": "Partial update: only the keys present change.",
        "additionalProperties": true
      },
      "Stats": {
        "type": "object",
        "properties": {
          "tx_bytes": {
            "type": "integer",
            "format": "int64",
            "description": "Bytes sent since start."
          },
          "rx_bytes": {
            "type": "integer",
            "format": "int64",
            "description": "Bytes received since start."
          },
          "tx_rate": {
            "type": "integer",
            "format": "int64",
            "description": "Bytes/s, sampled every second."
          },
          "rx_rate": {
            "type": "integer",
            "format": "int64"
          },
          "conns": {
            "type": "integer",
            "description": "Active relayed streams."
          },
          "exit_clients": {
            "type": "integer",
            "description": "Inbound primary peers."
          }
        },
        "required": [
          "tx_bytes",
          "rx_bytes",
          "tx_rate",
          "rx_rate",
          "conns",
          "exit_clients"
        ]
      },
      "IPStatus": {
        "type": "object",
        "properties": {
          "addr": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "online",
              "offline",
              "mismatch",
              "native"
            ]
          },
          "latency_ms": {
            "type": "integer"
          }
        },
        "required": [
          "addr",
          "status"
        ]
      },
      "TopologyNode": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "addr": {
            "type": "string"
          },
          "addrs": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Only when the client has more than one address."
          },
          "ip_statuses": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/IPStatus"
            },
            "description": "Only when the client has more than one address."
          },
          "exit_node": {
            "type": "boolean"
          },
          "direction": {
            "type": "string",
            "enum": [
              "local",
              "outbound",
              "inbound"
            ]
          },
          "via": {
            "type": "string",
            "description": "Sub-peers only: the parent's name (our node id for our inbound children)."
          },
          "connected": {
            "type": "boolean"
          },
          "disabled": {
            "type": "boolean"
          },
          "nested": {
            "type": "boolean"
          },
          "native": {
            "type": "boolean",
            "description": "Vanilla Hysteria 2 server."
          },
          "version": {
            "type": "string"
          },
          "incompatible": {
            "type": "boolean",
            "description": "Peer version below 1.3.0."
          },
          "conflict": {
            "type": "boolean",
            "description": "Name conflict detected."
          },
          "unsupported": {
            "type": "boolean",
            "description": "Peer protocol generation newer than ours (3)."
          },
          "tun_capable": {
            "type": "boolean"
          },
          "latency_ms": {
            "type": "integer",
            "description": "-1 = unknown or not connected; cumulative from this node for sub-peers."
          },
          "tx_rate": {
            "type": "integer",
            "format": "int64"
          },
          "rx_rate": {
            "type": "integer",
            "format": "int64"
          },
          "max_rate": {
            "type": "integer",
            "format": "int64"
          },
          "is_self": {
            "type": "boolean"
          },
          "children": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TopologyNode"
            },
            "description": "Peers visible through this one by nested discovery."
          }
        },
        "required": [
          "name",
          "direction",
          "latency_ms"
        ],
        "description": "A node of the topology tree."
      },
      "PeerSummary": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "exit_node": {
            "type": "boolean"
          },
          "direction": {
            "type": "string",
            "enum": [
              "outbound",
              "inbound"
            ]
          },
          "nested": {
            "type": "boolean"
          },
          "disabled": {
            "type": "boolean"
          }
        },
        "required": [
          "name",
          "exit_node",
          "direction",
          "nested"
        ]
      },
      "PeerInfo": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "exit_node": {
            "type": "boolean"
          },
          "direction": {
            "type": "string",
            "enum": [
              "outbound",
              "inbound"
            ]
          },
          "native": {
            "type": "boolean"
          },
          "latency_ms": {
            "type": "integer"
          },
          "version": {
            "type": "string"
          },
          "node_id": {
            "type": "string"
          },
          "incompatible": {
            "type": "boolean"
          },
          "conflict": {
            "type": "boolean"
          },
          "tun_capable": {
            "type": "boolean"
          },
          "pv": {
            "type": "integer",
            "description": "Relay protocol generation."
          },
          "unsupported": {
            "type": "boolean"
          },
          "children": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TopologyNode"
            }
          }
        },
        "required": [
          "name",
          "exit_node",
          "direction",
          "native",
          "latency_ms"
        ],
        "description": "A live peer as announced over the relay protocol."
      },
      "NestedToggle": {
        "type": "object",
        "properties": {
          "enabled": {
            "type": "boolean"
          }
        },
        "required": [
          "enabled"
        ]
      },
      "DisabledToggle": {
        "type": "object",
        "properties": {
          "disabled": {
            "type": "boolean"
          }
        },
        "required": [
          "disabled"
        ]
      },
      "EnabledToggle": {
        "type": "object",
        "properties": {
          "enabled": {
            "type": "boolean"
          }
        },
        "required": [
          "enabled"
        ]
      },
      "Client": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string",
            "description": "Peer name; unique among clients. Required on POST; on PUT empty or omitted keeps the path name."
          },
          "addr": {
            "type": "string",
            "description": "Primary address `host:portspec` (portspec: comma-separated ports or ranges; only the first is dialled). Address sync: when `addrs` is non-empty `addr` becomes `addrs[0]`; else `addrs` becomes `[addr]`. Unique among clients.",
            "examples": [
              "jp.example.com:5565"
            ]
          },
          "addrs": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "All addresses, first = primary; extra addresses open extra connections."
          },
          "password": {
            "type": "string",
            "description": "The remote's server password. Required. Secret."
          },
          "sni": {
            "type": "string",
            "default": "",
            "description": "TLS SNI; empty = `hy2scale`."
          },
          "insecure": {
            "type": "boolean",
            "default": false
          },
          "ca": {
            "type": "string",
            "default": "",
            "description": "PEM of a trust anchor."
          },
          "max_tx": {
            "type": "integer",
            "format": "int64",
            "default": 0,
            "description": "Upload bandwidth hint, bytes/s; 0 = 125000000."
          },
          "max_rx": {
            "type": "integer",
            "format": "int64",
            "default": 0,
            "description": "Download bandwidth hint, bytes/s; 0 = 125000000."
          },
          "init_stream_window": {
            "type": "integer",
            "default": 0,
            "description": "0 = 8388608."
          },
          "max_stream_window": {
            "type": "integer",
            "default": 0,
            "description": "0 = 8388608."
          },
          "init_conn_window": {
            "type": "integer",
            "default": 0,
            "description": "0 = 16777216."
          },
          "max_conn_window": {
            "type": "integer",
            "default": 0,
            "description": "0 = 16777216."
          },
          "fast_open": {
            "type": "boolean",
            "default": false
          },
          "bbr_profile": {
            "type": "string",
            "enum": [
              "",
              "standard",
              "conservative",
              "aggressive"
            ],
            "default": ""
          },
          "disabled": {
            "type": "boolean",
            "default": false,
            "description": "Disabled peers are neither dialled nor accepted inbound."
          },
          "connected": {
            "type": "boolean",
            "readOnly": true,
            "description": "Lists only: live and not disabled."
          }
        },
        "required": [
          "addr",
          "password"
        ],
        "description": "`clients[]`: an outbound peer this node dials."
      },
      "Proxy": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "description": "Unique id. On POST, omitted or empty = 8 random lower-case hex. On PUT the path id wins.",
            "examples": [
              "socks5"
            ]
          },
          "protocol": {
            "type": "string",
            "enum": [
              "",
              "socks5",
              "http"
            ],
            "default": "socks5",
            "description": "`\"\"` means socks5. Shadowsocks is the `ss` section (`/api/ss`), not a proxies entry."
          },
          "listen": {
            "type": "string",
            "description": "TCP `host:port`. Required.",
            "examples": [
              "0.0.0.0:1080"
            ]
          },
          "enabled": {
            "type": "boolean",
            "default": false
          },
          "tls_cert": {
            "type": "string",
            "default": "",
            "description": "TLS store certificate id; when set the listener speaks TLS."
          },
          "exit_via": {
            "type": "string",
            "default": "",
            "description": "Primary exit path: a peer name or a `/`-separated chain such as `us/us-east`. Empty = leave from this node. Exit sync: when `exit_paths` is non-empty, `exit_via` is set to `exit_paths[0]`; when `exit_paths` is empty and `exit_via` is not, `exit_paths` becomes `[exit_via]`.",
            "examples": [
              "us/us-east"
            ]
          },
          "exit_paths": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "default": [],
            "description": "Ordered exit paths; the first is the primary (see `exit_via`)."
          },
          "exit_mode": {
            "type": "string",
            "enum": [
              "",
              "direct",
              "quality",
              "aggregate",
              "stability",
              "speed"
            ],
            "default": "",
            "description": "How several exit paths are used. `\"\"` and `\"direct\"` mean the same: the first path, the others as failover (DECISIONS #18). `quality` picks the best path adaptively; `aggregate` bonds all paths, which must then end at the same node. `stability` and `speed` are hy2scale v1.3 spellings of `quality` and `aggregate`, still accepted. The value is returned as stored."
          },
          "auth": {
            "type": "string",
            "enum": [
              "",
              "users",
              "none"
            ],
            "default": "",
            "description": "`\"\"`/`users`: clients must log in as a user; with no users every client is refused. `none`: open proxy, explicitly (DECISIONS #12)."
          }
        },
        "required": [
          "listen"
        ],
        "description": "`proxies[]`: a SOCKS5 or HTTP listener."
      },
      "Shadowsocks": {
        "type": "object",
        "properties": {
          "listen": {
            "type": "string",
            "default": "",
            "examples": [
              "0.0.0.0:8388"
            ]
          },
          "enabled": {
            "type": "boolean",
            "default": false
          },
          "method": {
            "type": "string",
            "enum": [
              "aes-128-gcm",
              "aes-256-gcm",
              "chacha20-ietf-poly1305",
              "2022-blake3-aes-128-gcm",
              "2022-blake3-aes-256-gcm",
              "none"
            ],
            "default": "aes-256-gcm"
          }
        },
        "required": [
          "listen",
          "enabled",
          "method"
        ],
        "description": "`ss` section. Users log in with their `ss` (or main) password. GET answers the defaults when the section is absent."
      },
      "L2TP": {
        "type": "object",
        "properties": {
          "listen": {
            "type": "string",
            "default": "1701",
            "description": "UDP port number, as a string."
          },
          "enabled": {
            "type": "boolean",
            "default": false
          },
          "pool": {
            "type": "string",
            "default": "192.168.25.1/24",
            "description": "Gateway IP/prefix; clients get the rest."
          },
          "psk": {
            "type": "string",
            "default": "",
            "description": "IPsec pre-shared key. Secret."
          },
          "proxy_port": {
            "type": "integer",
            "default": 12345,
            "description": "0 = 12345."
          },
          "mtu": {
            "type": "integer",
            "default": 1280,
            "description": "0 = 1280."
          },
          "capable": {
            "type": "boolean",
            "readOnly": true,
            "description": "The host supports the service."
          },
          "reason": {
            "type": "string",
            "readOnly": true,
            "description": "What is missing when not capable; empty otherwise."
          },
          "host_network": {
            "type": "boolean",
            "readOnly": true
          }
        },
        "required": [
          "listen",
          "enabled",
          "pool",
          "psk",
          "proxy_port",
          "mtu"
        ],
        "description": "`l2tp` section plus read-only capability keys (ignored on PUT)."
      },
      "IKEv2": {
        "type": "object",
        "properties": {
          "enabled": {
            "type": "boolean",
            "default": false
          },
          "mode": {
            "type": "string",
            "enum": [
              "",
              "mschapv2",
              "psk"
            ],
            "default": "mschapv2"
          },
          "pool": {
            "type": "string",
            "default": "192.168.26.1/24"
          },
          "cert_id": {
            "type": "string",
            "default": "",
            "description": "TLS store id of a CA certificate (mschapv2)."
          },
          "psk": {
            "type": "string",
            "default": "",
            "description": "Secret."
          },
          "local_id": {
            "type": "string",
            "default": "",
            "description": "Empty = node id."
          },
          "remote_id": {
            "type": "string",
            "default": "",
            "description": "Empty = any."
          },
          "psk_user_mode": {
            "type": "boolean",
            "default": false
          },
          "default_exit": {
            "type": "string",
            "default": ""
          },
          "default_exit_mode": {
            "type": "string",
            "enum": [
              "",
              "direct",
              "quality",
              "aggregate",
              "stability",
              "speed"
            ],
            "default": "",
            "description": "How several exit paths are used. `\"\"` and `\"direct\"` mean the same: the first path, the others as failover (DECISIONS #18). `quality` picks the best path adaptively; `aggregate` bonds all paths, which must then end at the same node. `stability` and `speed` are hy2scale v1.3 spellings of `quality` and `aggregate`, still accepted. The value is returned as stored."
          },
          "dns": {
            "type": "string",
            "default": ""
          },
          "proxy_port": {
            "type": "integer",
            "default": 12350,
            "description": "0 = 12350."
          },
          "mtu": {
            "type": "integer",
            "default": 1400,
            "description": "0 = 1400."
          },
          "capable": {
            "type": "boolean",
            "readOnly": true,
            "description": "The host supports the service."
          },
          "reason": {
            "type": "string",
            "readOnly": true,
            "description": "What is missing when not capable; empty otherwise."
          },
          "host_network": {
            "type": "boolean",
            "readOnly": true
          }
        },
        "required": [
          "enabled",
          "mode",
          "pool",
          "cert_id",
          "psk",
          "local_id",
          "remote_id",
          "proxy_port",
          "mtu"
        ],
        "description": "`ikev2` section plus read-only capability keys (ignored on PUT)."
      },
      "WireGuardPeer": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string",
            "description": "Unique; used in URLs. Required on POST; on PUT empty or omitted keeps the path name."
          },
          "public_key": {
            "type": "string",
            "description": "Base64 of 32 bytes. Required; unique."
          },
          "private_key": {
            "type": "string",
            "default": "",
            "description": "Base64; kept to render the client `.conf`. Secret."
          },
          "allowed_ips": {
            "type": "string",
            "description": "Comma-separated CIDRs: the client's tunnel addresses. Required.",
            "examples": [
              "10.0.0.2/32"
            ]
          },
          "keepalive": {
            "type": "integer",
            "default": 0,
            "description": "Persistent keepalive seconds; 0 = off."
          },
          "exit_via": {
            "type": "string",
            "default": "",
            "description": "Primary exit path: a peer name or a `/`-separated chain such as `us/us-east`. Empty = leave from this node. Exit sync: when `exit_paths` is non-empty, `exit_via` is set to `exit_paths[0]`; when `exit_paths` is empty and `exit_via` is not, `exit_paths` becomes `[exit_via]`.",
            "examples": [
              "us/us-east"
            ]
          },
          "exit_paths": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "default": [],
            "description": "Ordered exit paths; the first is the primary (see `exit_via`)."
          },
          "exit_mode": {
            "type": "string",
            "enum": [
              "",
              "direct",
              "quality",
              "aggregate",
              "stability",
              "speed"
            ],
            "default": "",
            "description": "How several exit paths are used. `\"\"` and `\"direct\"` mean the same: the first path, the others as failover (DECISIONS #18). `quality` picks the best path adaptively; `aggregate` bonds all paths, which must then end at the same node. `stability` and `speed` are hy2scale v1.3 spellings of `quality` and `aggregate`, still accepted. The value is returned as stored."
          }
        },
        "required": [
          "public_key",
          "allowed_ips"
        ],
        "description": "`wireguard.peers[]`."
      },
      "WireGuard": {
        "type": "object",
        "properties": {
          "enabled": {
            "type": "boolean",
            "default": false
          },
          "listen_port": {
            "type": "integer",
            "default": 51820,
            "description": "UDP port; 0 = 51820."
          },
          "private_key": {
            "type": "string",
            "description": "Base64 server private key. Secret."
          },
          "address": {
            "type": "string",
            "default": "10.0.0.1/24",
            "description": "Server tunnel address IP/prefix."
          },
          "dns": {
            "type": "string",
            "default": ""
          },
          "mtu": {
            "type": "integer",
            "default": 1420,
            "description": "0 = 1420."
          },
          "peers": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/WireGuardPeer"
            },
            "description": "On PUT: absent or empty keeps the stored peers (manage them with `/api/wireguard/peers`); a non-empty array replaces them."
          },
          "public_key": {
            "type": "string",
            "readOnly": true,
            "description": "Derived from `private_key`; empty when it cannot be derived."
          },
          "running": {
            "type": "boolean",
            "readOnly": true
          },
          "connected": {
            "type": "integer",
            "readOnly": true,
            "description": "Peers with at least one open flow."
          }
        },
        "required": [
          "enabled",
          "listen_port",
          "private_key",
          "address",
          "mtu",
          "peers"
        ],
        "description": "`wireguard` section plus read-only runtime keys (ignored on PUT)."
      },
      "WireGuardKeyPair": {
        "type": "object",
        "properties": {
          "private_key": {
            "type": "string"
          },
          "public_key": {
            "type": "string"
          }
        },
        "required": [
          "private_key",
          "public_key"
        ]
      },
      "User": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "description": "Stable id used in URLs. On POST, omitted or empty = 8 random lower-case hex; on PUT the path id wins.",
            "examples": [
              "a1b2c3d4"
            ]
          },
          "username": {
            "type": "string",
            "description": "Login name, case-sensitive, unique. Required.",
            "examples": [
              "alice"
            ]
          },
          "password": {
            "type": "string",
            "description": "Main password, plaintext (used by SOCKS5/HTTP/L2TP/IKEv2 and as the default on hy2/ss). Required; must differ from the server password. Secret."
          },
          "proxy_passwords": {
            "type": "object",
            "propertyNames": {
              "type": "string",
              "enum": [
                "hy2",
                "ss"
              ]
            },
            "additionalProperties": {
              "type": "string"
            },
            "default": {},
            "description": "Per-protocol passwords for the password-only protocols; empty value = main password. Secret."
          },
          "proxy_disabled": {
            "type": "array",
            "items": {
              "type": "string",
              "enum": [
                "hy2",
                "ss",
                "socks5",
                "http",
                "l2tp",
                "ikev2"
              ]
            },
            "default": [],
            "description": "Protocols this user may not use."
          },
          "exit_via": {
            "type": "string",
            "default": "",
            "description": "Primary exit path: a peer name or a `/`-separated chain such as `us/us-east`. Empty = leave from this node. Exit sync: when `exit_paths` is non-empty, `exit_via` is set to `exit_paths[0]`; when `exit_paths` is empty and `exit_via` is not, `exit_paths` becomes `[exit_via]`.",
            "examples": [
              "us/us-east"
            ]
          },
          "exit_paths": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "default": [],
            "description": "Ordered exit paths; the first is the primary (see `exit_via`)."
          },
          "exit_mode": {
            "type": "string",
            "enum": [
              "",
              "direct",
              "quality",
              "aggregate",
              "stability",
              "speed"
            ],
            "default": "",
            "description": "How several exit paths are used. `\"\"` and `\"direct\"` mean the same: the first path, the others as failover (DECISIONS #18). `quality` picks the best path adaptively; `aggregate` bonds all paths, which must then end at the same node. `stability` and `speed` are hy2scale v1.3 spellings of `quality` and `aggregate`, still accepted. The value is returned as stored."
          },
          "fallback": {
            "type": "string",
            "enum": [
              "",
              "none",
              "direct"
            ],
            "default": "",
            "description": "What a flow does when its exit cannot be reached (DECISIONS #14): `\"\"`/`none` fail closed, `direct` leaves from this node."
          },
          "traffic_limit_gb": {
            "type": "number",
            "minimum": 0,
            "default": 0,
            "description": "Quota in GiB (up+down); 0 = unlimited. Fractions allowed."
          },
          "expiry": {
            "type": "string",
            "default": "",
            "description": "Empty = never; else RFC 3339 (`2026-12-31T00:00:00Z`) or `YYYY-MM-DD` (expires at 00:00 UTC of that day).",
            "examples": [
              "2026-12-31T00:00:00Z"
            ]
          },
          "enabled": {
            "type": "boolean",
            "default": false,
            "description": "False when omitted (v1.3 compat)."
          },
          "traffic_used": {
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "readOnly": true,
            "description": "Bytes counted (up+down), from the state directory. Ignored on input."
          },
          "traffic_limit": {
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "deprecated": true,
            "writeOnly": true,
            "description": "v1.3 alias of the quota in bytes; input only, used when `traffic_limit_gb` is absent (DECISIONS #2)."
          },
          "expiry_date": {
            "type": "string",
            "deprecated": true,
            "writeOnly": true,
            "description": "v1.3 alias of `expiry`; input only, used when `expiry` is absent."
          }
        },
        "required": [
          "username",
          "password"
        ],
        "description": "`users[]`: a client account for every inbound protocol. Responses always use `traffic_limit_gb` and `expiry`; the file keeps whichever spelling the entry already uses."
      },
      "UserResponse": {
        "allOf": [
          {
            "$ref": "#/components/schemas/User"
          },
          {
            "type": "object",
            "properties": {},
            "required": [
              "id",
              "username",
              "password",
              "exit_via",
              "traffic_limit_gb",
              "expiry",
              "enabled",
              "traffic_used"
            ]
          }
        ]
      },
      "UserConflicts": {
        "type": "object",
        "additionalProperties": {
          "type": "object",
          "additionalProperties": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "description": "username → protocol (`hy2`/`ss`) → other enabled users sharing the same effective password there. Conflicted users are refused on that protocol. `{}` when none.",
        "examples": [
          {
            "alice": {
              "hy2": [
                "bob"
              ]
            }
          }
        ]
      },
      "Session": {
        "type": "object",
        "properties": {
          "key": {
            "type": "string",
            "description": "`username|remote_ip|protocol`; the `{id}` of DELETE.",
            "examples": [
              "alice|203.0.113.5|socks5"
            ]
          },
          "username": {
            "type": "string"
          },
          "remote_ip": {
            "type": "string"
          },
          "protocol": {
            "type": "string",
            "enum": [
              "hy2",
              "ss",
              "socks5",
              "http",
              "l2tp",
              "ikev2",
              "wireguard",
              "tun"
            ]
          },
          "connect_at": {
            "type": "integer",
            "format": "int64",
            "description": "Unix seconds of the first open connection."
          },
          "duration": {
            "type": "integer",
            "format": "int64",
            "description": "Seconds."
          },
          "conn_count": {
            "type": "integer"
          },
          "tx_bytes": {
            "type": "integer",
            "format": "int64",
            "description": "Bytes sent to the device, counted as they flow."
          },
          "rx_bytes": {
            "type": "integer",
            "format": "int64",
            "description": "Bytes received from the device, counted as they flow."
          }
        },
        "required": [
          "key",
          "username",
          "remote_ip",
          "protocol",
          "connect_at",
          "duration",
          "conn_count",
          "tx_bytes",
          "rx_bytes"
        ],
        "description": "A device: the open connections of one (user, client IP, protocol)."
      },
      "SessionList": {
        "type": "object",
        "properties": {
          "devices": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Session"
            }
          },
          "total": {
            "type": "integer"
          }
        },
        "required": [
          "devices",
          "total"
        ]
      },
      "Rule": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "description": "Unique id used in URLs. On POST, omitted or empty = 8 random lower-case hex; on PUT the path id wins. `tun-mode` is reserved.",
            "examples": [
              "netflix"
            ]
          },
          "name": {
            "type": "string",
            "default": ""
          },
          "type": {
            "type": "string",
            "enum": [
              "ip",
              "domain"
            ],
            "description": "Required."
          },
          "targets": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "`ip`: IPs, CIDRs or ranges `a.b.c.d-e.f.g.h`; `domain`: names. At least one.",
            "examples": [
              [
                "netflix.com"
              ]
            ]
          },
          "exit_via": {
            "type": "string",
            "default": "",
            "description": "Primary exit path: a peer name or a `/`-separated chain such as `us/us-east`. Empty = leave from this node. Exit sync: when `exit_paths` is non-empty, `exit_via` is set to `exit_paths[0]`; when `exit_paths` is empty and `exit_via` is not, `exit_paths` becomes `[exit_via]`.",
            "examples": [
              "us/us-east"
            ]
          },
          "exit_paths": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "default": [],
            "description": "Ordered exit paths; the first is the primary (see `exit_via`)."
          },
          "exit_mode": {
            "type": "string",
            "enum": [
              "",
              "direct",
              "quality",
              "aggregate",
              "stability",
              "speed"
            ],
            "default": "",
            "description": "How several exit paths are used. `\"\"` and `\"direct\"` mean the same: the first path, the others as failover (DECISIONS #18). `quality` picks the best path adaptively; `aggregate` bonds all paths, which must then end at the same node. `stability` and `speed` are hy2scale v1.3 spellings of `quality` and `aggregate`, still accepted. The value is returned as stored."
          },
          "fallback": {
            "type": "string",
            "enum": [
              "",
              "none",
              "direct"
            ],
            "default": "",
            "description": "What a flow does when its exit cannot be reached (DECISIONS #14): `\"\"`/`none` fail closed, `direct` leaves from this node."
          },
          "enabled": {
            "type": "boolean",
            "default": false
          },
          "priority": {
            "type": "integer",
            "default": 0,
            "description": "Higher wins where targets overlap."
          },
          "use_tun": {
            "type": "boolean",
            "default": false,
            "description": "Raw-IP TUN forwarding (`ip` rules only)."
          },
          "tun_active": {
            "type": "boolean",
            "readOnly": true,
            "description": "Whether the rule currently runs on the TUN path. Ignored on input."
          }
        },
        "required": [
          "type",
          "targets"
        ],
        "description": "`rules[]`: host and LAN traffic to the targets leaves through the exit (`exit_via` or `exit_paths` is required)."
      },
      "RuleList": {
        "type": "object",
        "properties": {
          "available": {
            "type": "boolean",
            "description": "Host traffic steering (nftables) is usable on this host."
          },
          "tun_active": {
            "type": "boolean",
            "description": "Whether any rule's traffic goes through the TUN device now."
          },
          "rules": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Rule"
            }
          }
        },
        "required": [
          "available",
          "rules"
        ]
      },
      "TunMode": {
        "type": "object",
        "properties": {
          "enabled": {
            "type": "boolean",
            "default": false,
            "description": "When true every `ip` rule is treated as `use_tun: true`."
          },
          "mode": {
            "type": "string",
            "enum": [
              "mixed",
              "full"
            ],
            "default": "mixed",
            "description": "Kept for v1.3 compatibility."
          }
        },
        "required": [
          "enabled",
          "mode"
        ],
        "description": "The v1.3 `tun_mode` section. GET answers `{\"enabled\": false, \"mode\": \"mixed\"}` when absent; prefer `use_tun` on rules."
      },
      "CertificateID": {
        "type": "string",
        "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$",
        "description": "1-128 of `A-Z a-z 0-9 . _ -`, not starting with `.`."
      },
      "Certificate": {
        "type": "object",
        "properties": {
          "id": {
            "$ref": "#/components/schemas/CertificateID"
          },
          "name": {
            "type": "string",
            "description": "Display name (defaults to the id)."
          },
          "subject": {
            "type": "string",
            "description": "Subject CN."
          },
          "issuer": {
            "type": "string",
            "description": "Issuer CN."
          },
          "not_after": {
            "type": "string",
            "format": "date",
            "description": "`YYYY-MM-DD`."
          },
          "is_ca": {
            "type": "boolean"
          },
          "key_file": {
            "type": "string",
            "description": "Absolute path; present only when the key exists."
          },
          "cert_file": {
            "type": "string",
            "description": "Absolute path."
          },
          "ca_parent_id": {
            "type": "string",
            "description": "Id of the CA that signed it (certificates made by `/api/tls/sign`)."
          }
        },
        "required": [
          "id",
          "name",
          "subject",
          "issuer",
          "not_after",
          "is_ca",
          "cert_file"
        ]
      },
      "CertificateImport": {
        "type": "object",
        "properties": {
          "id": {
            "$ref": "#/components/schemas/CertificateID"
          },
          "name": {
            "type": "string"
          },
          "cert": {
            "type": "string",
            "description": "PEM; the first block must be an X.509 certificate; the whole text is stored (chain)."
          },
          "key": {
            "type": "string",
            "description": "PEM private key; must match the certificate."
          },
          "replace": {
            "type": "boolean",
            "default": false,
            "description": "Overwrite an existing certificate with this id (renewal). Without it an existing id is 409."
          }
        },
        "required": [
          "id",
          "cert"
        ]
      },
      "CertificateImportPath": {
        "type": "object",
        "properties": {
          "id": {
            "$ref": "#/components/schemas/CertificateID"
          },
          "name": {
            "type": "string"
          },
          "cert_path": {
            "type": "string",
            "description": "Path on the node's filesystem."
          },
          "key_path": {
            "type": "string"
          },
          "replace": {
            "type": "boolean",
            "default": false,
            "description": "Overwrite an existing certificate with this id (renewal). Without it an existing id is 409."
          }
        },
        "required": [
          "id",
          "cert_path"
        ]
      },
      "CertificateGenerate": {
        "type": "object",
        "properties": {
          "id": {
            "$ref": "#/components/schemas/CertificateID"
          },
          "name": {
            "type": "string",
            "description": "Defaults to the id."
          },
          "domains": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "minItems": 1,
            "description": "CN = first; all become SANs (IP literals as IP SANs)."
          },
          "days": {
            "type": "integer",
            "default": 365,
            "description": "≤0 = 365."
          },
          "is_ca": {
            "type": "boolean",
            "default": false,
            "description": "Make a self-signed CA (can sign with `/api/tls/sign`, usable as IKEv2 `cert_id`)."
          },
          "replace": {
            "type": "boolean",
            "default": false,
            "description": "Overwrite an existing certificate with this id (renewal). Without it an existing id is 409."
          }
        },
        "required": [
          "id",
          "domains"
        ]
      },
      "CertificateSign": {
        "type": "object",
        "properties": {
          "ca_id": {
            "$ref": "#/components/schemas/CertificateID"
          },
          "id": {
            "$ref": "#/components/schemas/CertificateID"
          },
          "name": {
            "type": "string",
            "description": "Defaults to `cn`."
          },
          "cn": {
            "type": "string",
            "description": "Common name, also the only DNS SAN."
          },
          "days": {
            "type": "integer",
            "default": 7300,
            "description": "≤0 = 7300."
          },
          "replace": {
            "type": "boolean",
            "default": false,
            "description": "Overwrite an existing certificate with this id (renewal). Without it an existing id is 409."
          }
        },
        "required": [
          "ca_id",
          "id",
          "cn"
        ]
      },
      "GraphPosition": {
        "type": "object",
        "properties": {
          "x": {
            "type": "number"
          },
          "y": {
            "type": "number"
          }
        },
        "required": [
          "x",
          "y"
        ]
      },
      "GraphLayout": {
        "type": "object",
        "additionalProperties": {
          "$ref": "#/components/schemas/GraphPosition"
        },
        "description": "Bare map: node key (opaque to the server) → position (DECISIONS #19). `{}` when unset.",
        "examples": [
          {
            "jp": {
              "x": 1.5,
              "y": -20
            }
          }
        ]
      },
      "PasswordChange": {
        "type": "object",
        "properties": {
          "current_password": {
            "type": "string",
            "description": "Hex SHA-256 of the current password."
          },
          "new_username": {
            "type": "string",
            "description": "Non-empty replaces the admin name."
          },
          "new_password": {
            "type": "string",
            "pattern": "^[0-9a-fA-F]{64}$",
            "description": "Hex SHA-256 of the new password; non-empty replaces it."
          }
        },
        "required": [
          "current_password"
        ]
      },
      "UISettings": {
        "type": "object",
        "properties": {
          "listen": {
            "type": "string",
            "description": "Admin HTTP `host:port` (`ui_listen`). Restart needed."
          },
          "base_path": {
            "type": "string",
            "description": "`ui_base_path`. Restart needed."
          },
          "dns": {
            "type": "string",
            "description": "Comma/space-separated DNS servers."
          },
          "force_https": {
            "type": "boolean",
            "description": "Serve the UI and API over HTTPS only: plain HTTP gets a 308 redirect to HTTPS and `Strict-Transport-Security` is sent. Applies to new connections at once."
          },
          "https_cert_id": {
            "type": "string",
            "description": "TLS store id of the certificate the UI and API present; empty: the store's `default`. A new certificate applies to new connections at once."
          },
          "session_timeout_h": {
            "type": "integer",
            "description": "Admin session sliding timeout, hours; ≤0 = 12. Applies live."
          },
          "max_nested_depth": {
            "type": "integer",
            "description": "≤0 = 5, at most 10."
          },
          "max_response_nodes": {
            "type": "integer",
            "description": "≤0 = 1024, at most 65536."
          },
          "max_cache_entries": {
            "type": "integer",
            "description": "≤0 = 5000, at most 100000."
          },
          "max_response_bytes": {
            "type": "integer",
            "description": "≤0 = 1048576, at most 16777216."
          },
          "max_fetch_fan_out": {
            "type": "integer",
            "description": "≤0 = 8, at most 64."
          },
          "relay_admin_passthrough": {
            "type": "boolean"
          },
          "dns_resolver_enabled": {
            "type": "boolean",
            "description": "Effective value (unset = true)."
          },
          "dns_resolver_cache_ttl": {
            "type": "integer",
            "description": "Seconds; 0 = 300."
          },
          "dns_resolver_negative_ttl": {
            "type": "integer",
            "description": "Seconds; 0 = 30."
          },
          "dns_resolver_cache_size": {
            "type": "integer",
            "description": "0 = 1024."
          },
          "dns_resolver_query_timeout_ms": {
            "type": "integer",
            "description": "0 = 3000."
          }
        },
        "required": [
          "listen",
          "base_path",
          "dns",
          "force_https",
          "https_cert_id",
          "session_timeout_h",
          "max_nested_depth",
          "max_response_nodes",
          "max_cache_entries",
          "max_response_bytes",
          "max_fetch_fan_out",
          "relay_admin_passthrough",
          "dns_resolver_enabled",
          "dns_resolver_cache_ttl",
          "dns_resolver_negative_ttl",
          "dns_resolver_cache_size",
          "dns_resolver_query_timeout_ms"
        ],
        "description": "GET: effective values (`listen`/`base_path` as running; `dns` shows `8.8.8.8,1.1.1.1` when empty; `session_timeout_h` shows 12 when 0; `max_*` clamped; `dns_resolver_*` numbers as stored, 0 = default)."
      },
      "UISettingsUpdate": {
        "type": "object",
        "properties": {
          "listen": {
            "type": "string",
            "description": "Admin HTTP `host:port` (`ui_listen`). Restart needed."
          },
          "base_path": {
            "type": "string",
            "description": "`ui_base_path`. Restart needed."
          },
          "dns": {
            "type": "string",
            "description": "Comma/space-separated DNS servers."
          },
          "force_https": {
            "type": "boolean",
            "description": "Serve the UI and API over HTTPS only: plain HTTP gets a 308 redirect to HTTPS and `Strict-Transport-Security` is sent. Applies to new connections at once."
          },
          "https_cert_id": {
            "type": "string",
            "description": "TLS store id of the certificate the UI and API present; empty: the store's `default`. A new certificate applies to new connections at once."
          },
          "session_timeout_h": {
            "type": "integer",
            "description": "Admin session sliding timeout, hours; ≤0 = 12. Applies live."
          },
          "max_nested_depth": {
            "type": "integer",
            "description": "≤0 = 5, at most 10."
          },
          "max_response_nodes": {
            "type": "integer",
            "description": "≤0 = 1024, at most 65536."
          },
          "max_cache_entries": {
            "type": "integer",
            "description": "≤0 = 5000, at most 100000."
          },
          "max_response_bytes": {
            "type": "integer",
            "description": "≤0 = 1048576, at most 16777216."
          },
          "max_fetch_fan_out": {
            "type": "integer",
            "description": "≤0 = 8, at most 64."
          },
          "relay_admin_passthrough": {
            "type": "boolean"
          },
          "dns_resolver_enabled": {
            "type": "boolean",
            "description": "Effective value (unset = true)."
          },
          "dns_resolver_cache_ttl": {
            "type": "integer",
            "description": "Seconds; 0 = 300."
          },
          "dns_resolver_negative_ttl": {
            "type": "integer",
            "description": "Seconds; 0 = 30."
          },
          "dns_resolver_cache_size": {
            "type": "integer",
            "description": "0 = 1024."
          },
          "dns_resolver_query_timeout_ms": {
            "type": "integer",
            "description": "0 = 3000."
          }
        },
        "description": "Partial update: only the keys present change. Maps onto `ui_listen`, `ui_base_path`, `dns`, `force_https`, `https_cert_id`, `session_timeout_h`, `max_*`, `relay_admin_passthrough`, `dns_resolver.*`."
      },
      "PortCheckRequest": {
        "type": "object",
        "properties": {
          "ports": {
            "type": "array",
            "items": {
              "type": "integer",
              "minimum": 1,
              "maximum": 65535
            },
            "minItems": 1,
            "maxItems": 1024
          }
        },
        "required": [
          "ports"
        ]
      },
      "PortCheckResult": {
        "type": "object",
        "properties": {
          "results": {
            "type": "object",
            "propertyNames": {
              "type": "string",
              "pattern": "^[0-9]+$"
            },
            "additionalProperties": {
              "type": "boolean"
            },
            "description": "Port (decimal string) → true when free on the host (both TCP and UDP can be bound on all interfaces now)."
          }
        },
        "required": [
          "results"
        ],
        "examples": [
          {
            "results": {
              "5565": true,
              "1701": false
            }
          }
        ]
      },
      "RestoreUpload": {
        "type": "object",
        "properties": {
          "file": {
            "type": "string",
            "contentMediaType": "application/gzip",
            "description": "A `hy2scale-backup.tar.gz`."
          },
          "current_password": {
            "type": "string",
            "pattern": "^[0-9a-fA-F]{64}$",
            "description": "Hex SHA-256 of the current admin password."
          }
        },
        "required": [
          "file"
        ]
      },
      "UpgradeUpload": {
        "type": "object",
        "properties": {
          "file": {
            "type": "string",
            "contentMediaType": "application/gzip",
            "description": "A `.tar.gz` containing the `hy2scale` binary (`hy2scale`, `hy2scale-linux-<arch>` or `hy2scale_linux-<arch>`)."
          },
          "current_password": {
            "type": "string",
            "pattern": "^[0-9a-fA-F]{64}$",
            "description": "Hex SHA-256 of the current admin password."
          }
        },
        "required": [
          "file"
        ]
      }
    }
  }
}

"""#
}
