"""Sealed files: AES-256-GCM from `cryptography`, in chunks, with a key from a passphrase (scrypt).

A sealed file is read and written through `SealedReader` / `SealedWriter`, seekable file objects
over the plaintext, so the sync bundle's reader and writer (exchange/bundle.py) work on it as on a
plain file. Layout:

    BOEUN-DESK-SEALED 1\\n
    {"kdf": "scrypt", "n": ..., "r": ..., "p": ..., "salt": hex, "chunk": 65536, "check": hex}\\n
    chunks: 12-byte random nonce + AES-GCM(plaintext chunk) + 16-byte tag, each `chunk` bytes of
    plaintext but the last

Every chunk is authenticated with the header, its index and whether it is the last one (the
additional data), so a changed byte, a chunk moved, dropped or added, a cut at a chunk boundary or
a changed header each fail. `check` (an HMAC of a fixed text under the key) tells a wrong
passphrase from a damaged file. Nonces are random per chunk write, so a chunk rewritten (the
bundle writer goes back to fill in its header) never reuses one.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import secrets
from typing import IO, Any

from boeun_desk.i18n import t
from boeun_desk.storage.cipher import normalized

MAGIC = b"BOEUN-DESK-SEALED 1\n"
CHUNK = 1 << 16
NONCE = 12
TAG = 16
SCRYPT = {"n": 1 << 17, "r": 8, "p": 1}  # 128 MiB, about 0.3-0.5 s: the cost of each guess
_CHECK_TEXT = b"boeun-desk sealed key check"
_MAX_HEADER = 1000


class SealError(ValueError):
    """A sealed file that cannot be opened; str() is Korean."""


class WrongBundlePassphrase(SealError):
    pass


def derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """The key of a passphrase (Unicode NFC first, as a database's: cipher.normalized)."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(normalized(passphrase).encode("utf-8"))


def _check(key: bytes) -> str:
    return hmac.new(key, _CHECK_TEXT, hashlib.sha256).hexdigest()


def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def is_sealed(handle: IO[bytes]) -> bool:
    """Whether the open file starts like a sealed file (the position is put back)."""
    at = handle.tell()
    try:
        return handle.read(len(MAGIC)) == MAGIC
    finally:
        handle.seek(at)


class SealedWriter(io.RawIOBase):
    """Seal what is written into `raw` (an empty, seekable binary file); close() finishes it.
    Seeking back and writing or truncating there is allowed (within what was written)."""

    def __init__(self, raw: IO[bytes], passphrase: str, *, params: dict[str, int] | None = None):
        super().__init__()
        params = dict(params or SCRYPT)
        salt = secrets.token_bytes(16)
        self._key = derive(passphrase, salt, **params)
        info = {"kdf": "scrypt", **params, "salt": salt.hex(), "chunk": CHUNK, "check": _check(self._key)}
        self._header = MAGIC + json.dumps(info).encode() + b"\n"
        self._raw, self._aes = raw, _aead(self._key)
        raw.write(self._header)
        self._pos = self._size = 0
        self._index, self._buffer, self._dirty = 0, bytearray(), False

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        target = {0: offset, 1: self._pos + offset, 2: self._size + offset}[whence]
        if not 0 <= target <= self._size:
            raise OSError("seek outside the sealed data")
        self._pos = target
        return target

    def _record_at(self, index: int) -> int:
        return len(self._header) + index * (NONCE + CHUNK + TAG)

    def _load(self, index: int) -> None:
        if index == self._index:
            return
        self._store()
        self._index, self._dirty = index, False
        if index * CHUNK >= self._size:
            self._buffer = bytearray()
            return
        self._raw.seek(self._record_at(index))
        record = self._raw.read(NONCE + CHUNK + TAG)
        self._buffer = bytearray(self._aes.decrypt(record[:NONCE], record[NONCE:], _aad(self._header, index, False)))
        self._buffer = self._buffer[:self._size - index * CHUNK]

    def _store(self, last: bool = False) -> None:
        if not self._dirty and not last:
            return
        nonce = secrets.token_bytes(NONCE)
        self._raw.seek(self._record_at(self._index))
        self._raw.write(nonce + self._aes.encrypt(nonce, bytes(self._buffer), _aad(self._header, self._index, last)))
        self._dirty = False

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        written = 0
        while written < len(view):
            index, offset = divmod(self._pos, CHUNK)
            self._load(index)
            take = min(CHUNK - offset, len(view) - written)
            self._buffer[offset:offset + take] = view[written:written + take]
            self._dirty = True
            written += take
            self._pos += take
            self._size = max(self._size, self._pos)
        return written

    def truncate(self, size: int | None = None) -> int:
        size = self._pos if size is None else size
        if not 0 <= size <= self._size:
            raise OSError("truncate outside the sealed data")
        index = size // CHUNK
        self._load(index)
        del self._buffer[size - index * CHUNK:]
        self._dirty, self._size = True, size
        self._raw.truncate(self._record_at(index))
        return size

    def close(self) -> None:
        if self.closed:
            return
        last = max(0, (self._size - 1) // CHUNK) if self._size else 0
        self._load(last)
        self._store(last=True)
        self._raw.truncate(self._raw.tell())
        self._raw.flush()
        super().close()


class SealedReader(io.RawIOBase):
    """The plaintext of a sealed file, read with its passphrase; SealError (Korean) when the
    passphrase is wrong or any chunk read is not exactly as it was sealed."""

    def __init__(self, raw: IO[bytes], passphrase: str, name: str = ""):
        super().__init__()
        self._raw, self._name = raw, name
        raw.seek(0)
        if raw.read(len(MAGIC)) != MAGIC:
            raise SealError(t("봉인된 파일이 아닙니다: {path}", path=name))
        line = raw.readline(_MAX_HEADER)
        self._header = MAGIC + line
        try:
            info = json.loads(line)
            if info.get("kdf") != "scrypt" or info.get("chunk") != CHUNK:
                raise ValueError(info)
            params = {k: int(info[k]) for k in ("n", "r", "p")}
            if params["n"] > 1 << 20 or params["r"] > 32 or params["p"] > 16:
                raise ValueError(params)  # a hand-made header must not make us spend gigabytes
            key = derive(passphrase, bytes.fromhex(info["salt"]), **params)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise self.damaged() from error
        if not hmac.compare_digest(_check(key), str(info.get("check", ""))):
            raise WrongBundlePassphrase(t("암호가 맞지 않습니다. 아무것도 가져오지 않았습니다: {path}", path=name))
        self._aes = _aead(key)
        body = os.fstat(raw.fileno()).st_size - len(self._header)
        record = NONCE + CHUNK + TAG
        self._chunks = max(1, -(-body // record))
        tail = body - (self._chunks - 1) * record
        if body <= 0 or tail < NONCE + TAG:
            raise self.damaged()
        self._size = (self._chunks - 1) * CHUNK + tail - NONCE - TAG
        self._pos, self._index, self._plain = 0, -1, b""

    def damaged(self) -> SealError:
        return SealError(t("봉인된 동기화 파일이 잘렸거나 바뀌었습니다. 아무것도 가져오지 않았습니다: {path}", path=self._name))

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = max(0, {0: offset, 1: self._pos + offset, 2: self._size + offset}[whence])
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if index != self._index:
            from cryptography.exceptions import InvalidTag

            record = NONCE + CHUNK + TAG
            self._raw.seek(len(self._header) + index * record)
            data = self._raw.read(record)
            try:
                self._plain = self._aes.decrypt(data[:NONCE], data[NONCE:],
                                                _aad(self._header, index, index == self._chunks - 1))
            except (InvalidTag, ValueError) as error:
                raise self.damaged() from error
            self._index = index
        return self._plain

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size:
            return 0
        index, offset = divmod(self._pos, CHUNK)
        data = self._chunk(index)[offset:offset + len(buffer)]
        buffer[:len(data)] = data
        self._pos += len(data)
        return len(data)

    def fileno(self) -> int:
        raise OSError("a sealed file has no plain descriptor")

    def close(self) -> None:
        self._raw.close()
        super().close()


def seal_bytes(key: bytes, data: bytes, aad: bytes = b"") -> bytes:
    """One small sealed value (a draft): nonce + ciphertext."""
    nonce = secrets.token_bytes(NONCE)
    return nonce + _aead(key).encrypt(nonce, data, aad)


def open_bytes(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """The inverse of seal_bytes(); ValueError when the key is wrong or the bytes changed."""
    from cryptography.exceptions import InvalidTag

    try:
        return _aead(key).decrypt(sealed[:NONCE], sealed[NONCE:], aad)
    except (InvalidTag, ValueError) as error:
        raise ValueError("sealed value does not open") from error
