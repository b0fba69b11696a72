#ifndef CNGTCP2_SHIM_H
#define CNGTCP2_SHIM_H

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* ngtcp2 0.12.1 spells its versioned calls as function-like macros, which Swift cannot import;
 * each wrapper below is the macro's expansion and nothing more (spec/hysteria2-and-quic.md §4.1). */

static inline int CNgtcp2_conn_client_new(ngtcp2_conn **pconn, const ngtcp2_cid *dcid,
                                          const ngtcp2_cid *scid, const ngtcp2_path *path,
                                          uint32_t version, const ngtcp2_callbacks *callbacks,
                                          const ngtcp2_settings *settings,
                                          const ngtcp2_transport_params *params, void *user_data) {
    return ngtcp2_conn_client_new(pconn, dcid, scid, path, version, callbacks, settings, params,
                                  NULL, user_data);
}

static inline int CNgtcp2_conn_read_pkt(ngtcp2_conn *conn, const ngtcp2_path *path,
                                        const ngtcp2_pkt_info *pi, const uint8_t *pkt,
                                        size_t pktlen, ngtcp2_tstamp ts) {
    return ngtcp2_conn_read_pkt(conn, path, pi, pkt, pktlen, ts);
}

static inline ngtcp2_ssize CNgtcp2_conn_writev_stream(ngtcp2_conn *conn, ngtcp2_path *path,
                                                      ngtcp2_pkt_info *pi, uint8_t *dest,
                                                      size_t destlen, ngtcp2_ssize *pdatalen,
                                                      uint32_t flags, int64_t stream_id,
                                                      const ngtcp2_vec *datav, size_t datavcnt,
                                                      ngtcp2_tstamp ts) {
    return ngtcp2_conn_writev_stream(conn, path, pi, dest, destlen, pdatalen, flags, stream_id,
                                     datav, datavcnt, ts);
}

static inline ngtcp2_ssize CNgtcp2_conn_writev_datagram(ngtcp2_conn *conn, ngtcp2_path *path,
                                                        ngtcp2_pkt_info *pi, uint8_t *dest,
                                                        size_t destlen, int *paccepted,
                                                        uint32_t flags, uint64_t dgram_id,
                                                        const ngtcp2_vec *datav, size_t datavcnt,
                                                        ngtcp2_tstamp ts) {
    return ngtcp2_conn_writev_datagram(conn, path, pi, dest, destlen, paccepted, flags, dgram_id,
                                       datav, datavcnt, ts);
}

static inline ngtcp2_ssize CNgtcp2_conn_write_connection_close(
    ngtcp2_conn *conn, ngtcp2_path *path, ngtcp2_pkt_info *pi, uint8_t *dest, size_t destlen,
    const ngtcp2_connection_close_error *ccerr, ngtcp2_tstamp ts) {
    return ngtcp2_conn_write_connection_close(conn, path, pi, dest, destlen, ccerr, ts);
}

static inline void CNgtcp2_settings_default(ngtcp2_settings *settings) {
    ngtcp2_settings_default(settings);
}

static inline void CNgtcp2_transport_params_default(ngtcp2_transport_params *params) {
    ngtcp2_transport_params_default(params);
}

static inline int CNgtcp2_conn_server_new(ngtcp2_conn **pconn, const ngtcp2_cid *dcid,
                                          const ngtcp2_cid *scid, const ngtcp2_path *path,
                                          uint32_t version, const ngtcp2_callbacks *callbacks,
                                          const ngtcp2_settings *settings,
                                          const ngtcp2_transport_params *params, void *user_data) {
    return ngtcp2_conn_server_new(pconn, dcid, scid, path, version, callbacks, settings, params,
                                  NULL, user_data);
}

/* GNUTLS_CLIENT and GNUTLS_SERVER are both macros and enum cases; gnutls_init's flags want the
 * macros. Servers send no session tickets (no resumption, no 0-RTT). */
static inline unsigned int CNgtcp2_gnutls_client_flags(void) { return GNUTLS_CLIENT; }
static inline unsigned int CNgtcp2_gnutls_server_flags(void) {
    return GNUTLS_SERVER | GNUTLS_NO_AUTO_SEND_TICKET;
}

/* gnutls_free is a macro over a function-pointer variable. */
static inline void CNgtcp2_gnutls_free(void *pointer) { gnutls_free(pointer); }

#endif
