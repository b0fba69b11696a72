// Shadowsocks wire formats (the codecs in this folder; no sockets here).
//
// Classic AEAD, SIP004/SIP007 (shadowsocks.org/doc/aead.html):
//   key     = EVP_BytesToKey(MD5, password); subkey = HKDF-SHA1(key, salt, "ss-subkey")
//   nonce   = 12-byte little-endian counter from 0, +1 after every seal/open
//   TCP     = [salt][seal(u16be length ≤ 0x3FFF)][seal(payload)]...; the first payload starts
//             with the target in SOCKS address form
//   UDP     = [salt][seal(SOCKS address + payload)] with an all-zero nonce, both directions
//
// Shadowsocks 2022, SIP022 (shadowsocks.org/doc/sip022.html):
//   PSK     = base64 password of exactly key-size bytes
//   subkey  = BLAKE3 derive_key("shadowsocks 2022 session subkey", PSK + salt)
//   request = [salt][seal(type 0, u64be time, u16be n)][seal(n bytes: address, u16be padding
//             length, padding, initial payload)] then length/payload chunks (payload ≤ 0xFFFF)
//   reply   = [salt][seal(type 1, u64be time, request salt, u16be n)][seal(n bytes)] then chunks
//   UDP     = [AES-ECB(PSK, session id u64 + packet id u64be)][seal(body)] where the subkey uses
//             the session id as salt and the nonce is header bytes 4..<16; the body is
//             type, u64be time, (server: client session id), u16be padding length, padding,
//             SOCKS address, payload
//   Times more than 30 s from ours are replays; request salts are remembered for 60 s.

package import Hashing

/// Constants shared by the Shadowsocks codecs.
package enum ShadowsocksWire {
    /// Every supported AEAD appends a 16-byte tag.
    package static let tagLength = 16
    package static let nonceLength = 12
    /// The length chunk: a big-endian `UInt16`.
    package static let lengthFieldLength = 2

    /// SIP004 keeps the top two bits of the length reserved.
    package static let classicMaximumPayload = 0x3FFF
    package static let maximumPayload2022 = 0xFFFF
    /// What sealing adds to each chunk: the sealed length field and two tags.
    package static let chunkOverhead = lengthFieldLength + 2 * tagLength
    /// The most a response's first write adds before its chunks: a 32-byte salt and the sealed
    /// SIP022 response header (type, timestamp, request salt, length).
    package static let maximumHeaderOverhead = 32 + 1 + 8 + 32 + 2 + tagLength

    /// SIP022 header types.
    package static let clientType: UInt8 = 0
    package static let serverType: UInt8 = 1
    /// type + timestamp + length.
    package static let requestFixedHeaderLength = 1 + 8 + 2
    package static let maximumPadding = 900
    /// Seconds a SIP022 timestamp may differ from ours.
    package static let timestampTolerance: UInt64 = 30

    /// SIP022 UDP: session id and packet id, one AES block.
    package static let separateHeaderLength = 16
    package static let sessionIDLength = 8

    package static let classicSubkeyInfo = Array("ss-subkey".utf8)
    package static let subkeyDerivation = BLAKE3.KeyDerivation(context: "shadowsocks 2022 session subkey")
}
