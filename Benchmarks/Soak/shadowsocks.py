"""A Shadowsocks AEAD (classic, aes-256-gcm) TCP client codec, enough for the soak's flows.

The classic AEAD construction (shadowsocks.org, "AEAD ciphers"): the master key comes from the
password by OpenSSL's EVP_BytesToKey with MD5; each direction starts with a random salt, and its
session key is HKDF-SHA1(master key, salt, "ss-subkey"). The stream is a sequence of chunks, each
an encrypted 2-byte length (at most 0x3FFF) and an encrypted payload, each with its own 16-byte
tag; the nonce is a 12-byte little-endian counter that goes up by one per encryption. The first
payload the client sends starts with the target address (SOCKS5 address form).
"""

import hashlib
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_SIZE = 32
SALT_SIZE = 32
TAG_SIZE = 16
MAX_PAYLOAD = 0x3FFF


def master_key(password: str) -> bytes:
    """EVP_BytesToKey(MD5, no salt, one round), as every classic Shadowsocks implementation."""
    key, previous = b"", b""
    while len(key) < KEY_SIZE:
        previous = hashlib.md5(previous + password.encode()).digest()
        key += previous
    return key[:KEY_SIZE]


def session_cipher(key: bytes, salt: bytes) -> AESGCM:
    subkey = HKDF(algorithm=hashes.SHA1(), length=KEY_SIZE, salt=salt, info=b"ss-subkey").derive(key)
    return AESGCM(subkey)


class Sealer:
    """The client-to-server direction: salt first, then chunks."""

    def __init__(self, key: bytes):
        self.salt = os.urandom(SALT_SIZE)
        self.cipher = session_cipher(key, self.salt)
        self.nonce = 0
        self.started = False

    def _seal(self, data: bytes) -> bytes:
        out = self.cipher.encrypt(self.nonce.to_bytes(12, "little"), data, None)
        self.nonce += 1
        return out

    def seal(self, data: bytes) -> bytes:
        out = bytearray()
        if not self.started:
            out += self.salt
            self.started = True
        for i in range(0, len(data), MAX_PAYLOAD):
            piece = data[i:i + MAX_PAYLOAD]
            out += self._seal(struct.pack(">H", len(piece)))
            out += self._seal(piece)
        return bytes(out)


class Opener:
    """The server-to-client direction: reads the salt, then whole chunks as they arrive."""

    def __init__(self, key: bytes):
        self.key = key
        self.cipher = None
        self.nonce = 0
        self.buffer = bytearray()
        self.pending_length = None

    def _open(self, data: bytes) -> bytes:
        out = self.cipher.decrypt(self.nonce.to_bytes(12, "little"), data, None)
        self.nonce += 1
        return out

    def feed(self, data: bytes) -> bytes:
        """Returns the plaintext of every chunk completed by `data`; raises on a bad tag."""
        self.buffer += data
        out = bytearray()
        if self.cipher is None:
            if len(self.buffer) < SALT_SIZE:
                return b""
            self.cipher = session_cipher(self.key, bytes(self.buffer[:SALT_SIZE]))
            del self.buffer[:SALT_SIZE]
        while True:
            if self.pending_length is None:
                if len(self.buffer) < 2 + TAG_SIZE:
                    break
                self.pending_length = struct.unpack(">H", self._open(bytes(self.buffer[:2 + TAG_SIZE])))[0]
                del self.buffer[:2 + TAG_SIZE]
            size = self.pending_length + TAG_SIZE
            if len(self.buffer) < size:
                break
            out += self._open(bytes(self.buffer[:size]))
            del self.buffer[:size]
            self.pending_length = None
        return bytes(out)


def address_header(host: str, port: int) -> bytes:
    """An IPv4 target in SOCKS5 address form (type 1)."""
    return b"\x01" + bytes(int(part) for part in host.split(".")) + struct.pack(">H", port)
