"""TS loop arithmetic: PTS/DTS/PCR and continuity counters shift, including across the 33-bit wrap."""

from __future__ import annotations

import pytest

from settop.demo.tsloop import PACKET, WRAP, LoopedStream, continuity_breaks, shift, timestamps


def _packet(pid: int, cc: int, pts: int | None = None, pcr: int | None = None) -> bytes:
    header = bytearray([0x47, (0x40 if pts is not None else 0) | (pid >> 8), pid & 0xFF, 0])
    body = bytearray()
    control = 0x01
    if pcr is not None:
        control |= 0x02
        field = bytearray([0x10]) + (pcr << 15 | 0x7E00).to_bytes(6)
        body += bytes([len(field)]) + field
    if pts is not None:
        stamp = bytearray(5)
        stamp[0] = 0x21 | ((pts >> 29) & 0x0E)
        stamp[1:3] = (((pts >> 14) & 0xFFFE) | 1).to_bytes(2)
        stamp[3:5] = (((pts << 1) & 0xFFFE) | 1).to_bytes(2)
        body += b"\x00\x00\x01\xe0\x00\x00\x80\x80\x05" + stamp
    header[3] = control << 4 | cc
    packet = header + body
    return bytes(packet + b"\xff" * (PACKET - len(packet)))


@pytest.mark.parametrize(
    ("pts", "ticks", "expected"),
    [(1000, 720_000, 721_000), (WRAP - 10, 20, 10), (0, 0, 0)],
    ids=["simple", "wraps", "zero"],
)
def test_shift_moves_pts_and_pcr(pts: int, ticks: int, expected: int) -> None:
    packet = _packet(0x100, 3, pts=pts, pcr=pts)
    shifted = shift(packet, ticks, {0x100: 5})
    assert timestamps(shifted) == {0x100: [expected]}
    assert shifted[3] & 0x0F == 8
    pcr = int.from_bytes(shifted[6:10]) << 1 | shifted[10] >> 7
    assert pcr == expected


def test_loop_of_packets_is_continuous() -> None:
    segments = [_packet(0x100, n, pts=n * 3600) + _packet(0x101, (2 * n) % 16) + _packet(0x101, (2 * n + 1) % 16)
                for n in range(3)]  # fmt: skip
    loop = LoopedStream.from_segments(segments, 3 * 3600)
    assert dict(loop.cc_advance) == {0x100: 3, 0x101: 6}
    stream = b"".join(loop.segment(seq) for seq in range(12))
    assert continuity_breaks(stream) == 0
    assert timestamps(stream)[0x100] == [n * 3600 for n in range(12)]


def test_rejects_what_is_not_ts() -> None:
    with pytest.raises(ValueError, match="188-byte"):
        LoopedStream.from_segments([b"\x47" * 100], 1)
