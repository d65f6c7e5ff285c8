"""Turns a few MPEG-TS segments into an endless stream: each repeat of the loop gets shifted timestamps and counters.

A looped live stream must never go back in time, or players see a discontinuity at every repeat. For repeat ``n``
every PCR, PTS and DTS moves forward by ``n`` loop lengths and every continuity counter by ``n`` times its per-loop
advance, so the concatenation of any segments in order is one continuous transport stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PACKET = 188
SYNC = 0x47
WRAP = 1 << 33
NULL_PID = 0x1FFF


def _read_ts(data: bytes | bytearray, at: int) -> int:
    return (
        ((data[at] >> 1) & 0x07) << 30
        | data[at + 1] << 22
        | (data[at + 2] >> 1) << 15
        | data[at + 3] << 7
        | data[at + 4] >> 1
    )


def _write_ts(data: bytearray, at: int, value: int) -> None:
    marker = data[at] & 0xF0  # keeps the '0010'/'0011'/'0001' prefix
    data[at] = marker | ((value >> 29) & 0x0E) | 0x01
    data[at + 1] = (value >> 22) & 0xFF
    data[at + 2] = ((value >> 14) & 0xFE) | 0x01
    data[at + 3] = (value >> 7) & 0xFF
    data[at + 4] = ((value << 1) & 0xFE) | 0x01


def _packets(data: bytes) -> range:
    if len(data) % PACKET or any(data[i] != SYNC for i in range(0, len(data), PACKET)):
        raise ValueError("not a whole MPEG-TS stream of 188-byte packets")
    return range(0, len(data), PACKET)


@dataclass(frozen=True, slots=True)
class LoopedStream:
    """A loop of TS segments of equal duration; ``segment(seq)`` is segment ``seq`` of the endless stream.

    loop_ticks: the loop's length on the 90 kHz clock (frames x 90000 / fps).
    cc_advance: per PID, how far its continuity counter moves over one loop (mod 16).
    """

    segments: tuple[bytes, ...]
    loop_ticks: int
    cc_advance: tuple[tuple[int, int], ...]

    @classmethod
    def from_segments(cls, segments: Sequence[bytes], loop_ticks: int) -> LoopedStream:
        """Check the segments and measure each PID's continuity counter advance over one loop."""
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for segment in segments:
            for at in _packets(segment):
                pid = ((segment[at + 1] & 0x1F) << 8) | segment[at + 2]
                if pid == NULL_PID or not (segment[at + 3] >> 4) & 0x01:
                    continue
                first.setdefault(pid, segment[at + 3] & 0x0F)
                last[pid] = segment[at + 3] & 0x0F
        advance = tuple(sorted((pid, (last[pid] + 1 - first[pid]) % 16) for pid in first))
        return cls(tuple(segments), loop_ticks, advance)

    def segment(self, seq: int, base_loop: int = 0) -> bytes:
        """Segment ``seq`` (any integer) with timestamps of repeat ``seq // len(segments) - base_loop``."""
        count = len(self.segments)
        repeat = seq // count - base_loop
        source = self.segments[seq % count]
        if repeat == 0:
            return source
        counters = {pid: (repeat * advance) % 16 for pid, advance in self.cc_advance}
        return shift(source, (repeat * self.loop_ticks) % WRAP, counters)


def shift(segment: bytes, ticks: int, cc_shift: dict[int, int]) -> bytes:
    """``segment`` with every PCR, PTS and DTS moved ``ticks`` forward and continuity counters moved per PID."""
    data = bytearray(segment)
    for at in range(0, len(data), PACKET):
        pid = ((data[at + 1] & 0x1F) << 8) | data[at + 2]
        if pid == NULL_PID:
            continue
        control = (data[at + 3] >> 4) & 0x03
        if cc_shift.get(pid):
            data[at + 3] = (data[at + 3] & 0xF0) | (((data[at + 3] & 0x0F) + cc_shift[pid]) % 16)
        payload = at + 4
        if control & 0x02:
            length = data[at + 4]
            if length and data[at + 5] & 0x10 and length >= 7:  # PCR present
                base = int.from_bytes(data[at + 6 : at + 10]) << 1 | data[at + 10] >> 7
                base = (base + ticks) % WRAP
                data[at + 6] = (base >> 25) & 0xFF
                data[at + 7] = (base >> 17) & 0xFF
                data[at + 8] = (base >> 9) & 0xFF
                data[at + 9] = (base >> 1) & 0xFF
                data[at + 10] = ((base & 0x01) << 7) | (data[at + 10] & 0x7F)
            payload = at + 5 + length
        end = at + PACKET
        if not (control & 0x01 and data[at + 1] & 0x40) or payload + 19 > end:
            continue
        if data[payload : payload + 3] != b"\x00\x00\x01" or data[payload + 3] in (0xBC, 0xBE, 0xBF, 0xF0, 0xF1, 0xFF):
            continue
        flags = data[payload + 7] >> 6
        if flags & 0x02:
            _write_ts(data, payload + 9, (_read_ts(data, payload + 9) + ticks) % WRAP)
        if flags == 0x03:
            _write_ts(data, payload + 14, (_read_ts(data, payload + 14) + ticks) % WRAP)
    return bytes(data)


def timestamps(segment: bytes) -> dict[int, list[int]]:
    """Every PTS per PID, in order (for tests and checks)."""
    found: dict[int, list[int]] = {}
    for at in _packets(segment):
        pid = ((segment[at + 1] & 0x1F) << 8) | segment[at + 2]
        control = (segment[at + 3] >> 4) & 0x03
        payload = at + 4 + (1 + segment[at + 4] if control & 0x02 else 0)
        starts_pes = control & 0x01 and segment[at + 1] & 0x40 and segment[payload : payload + 3] == b"\x00\x00\x01"
        if starts_pes and payload + 14 <= at + PACKET and segment[payload + 7] & 0x80:
            found.setdefault(pid, []).append(_read_ts(segment, payload + 9))
    return found


def continuity_breaks(stream: bytes) -> int:
    """How many times a PID's continuity counter skips (0 for a continuous stream)."""
    counters: dict[int, int] = {}
    breaks = 0
    for at in _packets(stream):
        pid = ((stream[at + 1] & 0x1F) << 8) | stream[at + 2]
        if pid == NULL_PID or not (stream[at + 3] >> 4) & 0x01:
            continue
        counter = stream[at + 3] & 0x0F
        if pid in counters and (counters[pid] + 1) % 16 != counter:
            breaks += 1
        counters[pid] = counter
    return breaks
