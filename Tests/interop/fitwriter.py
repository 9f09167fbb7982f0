# SPDX-License-Identifier: MIT
"""A tiny FIT writer for the interop tests (crampd's own code, test-only).

Writes definition and data messages (either architecture, optional developer fields),
compressed-timestamp headers, the 14-byte header with its CRC and the file CRC, following the
FIT SDK's "FIT File Structure". Enough to build small activity files with a known content.
"""
import struct

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in Unix seconds

_CRC_TABLE = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT SDK's nibble-table CRC-16."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


# base type byte -> struct format character
_FORMATS = {0x00: "B", 0x02: "B", 0x84: "H", 0x83: "h", 0x86: "I", 0x8C: "I"}
_SIZES = {"B": 1, "H": 2, "h": 2, "I": 4}


class FitWriter:
    def __init__(self):
        self.records = bytearray()
        self.definitions = {}

    def define(self, local, global_number, fields, big_endian=False, developer=()):
        """fields: [(field number, base type byte)]; developer: [(number, size, index)]."""
        header = 0x40 | (0x20 if developer else 0) | local
        order = ">" if big_endian else "<"
        self.records += bytes([header, 0, 1 if big_endian else 0]) + struct.pack(order + "H", global_number)
        self.records.append(len(fields))
        for number, base in fields:
            self.records += bytes([number, _SIZES[_FORMATS[base]], base])
        if developer:
            self.records.append(len(developer))
            for d in developer:
                self.records += bytes(d)
        self.definitions[local] = (order, [_FORMATS[b] for _, b in fields], sum(d[1] for d in developer))

    def data(self, local, values, compressed_offset=None):
        order, formats, developer_bytes = self.definitions[local]
        if compressed_offset is None:
            self.records.append(local)
        else:
            self.records.append(0x80 | (local << 5) | (compressed_offset & 0x1F))
        self.records += struct.pack(order + "".join(formats), *values)
        self.records += b"\xAB" * developer_bytes

    def bytes(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.records), b".FIT")
        header += struct.pack("<H", crc16(header))
        body = header + bytes(self.records)
        return body + struct.pack("<H", crc16(body))


def run_with_pause(start_unix=1714548600, seconds=20, pause_after=10, pause_seconds=30):
    """A running activity: records each second (heart rate 120 + k, cadence 85 strides + 0.5,
    speed 3.0 + 0.01 k m/s, distance), a timer pause, one lap, one running session. Records
    after the first use compressed timestamps; the record definition is big endian and has a
    developer field."""
    t0 = start_unix - FIT_EPOCH
    w = FitWriter()
    w.define(0, 0, [(0, 0x00), (1, 0x84), (4, 0x86)])                       # file_id
    w.data(0, [4, 1, t0])
    w.define(1, 21, [(253, 0x86), (0, 0x00), (1, 0x00)])                     # event
    w.data(1, [t0, 0, 0])                                                    # timer start
    w.define(2, 20, [(253, 0x86), (3, 0x02), (4, 0x02), (53, 0x02), (6, 0x84), (5, 0x86)],
             big_endian=True, developer=[(0, 2, 0)])                         # record, full timestamp
    w.define(3, 20, [(3, 0x02), (4, 0x02), (53, 0x02), (6, 0x84), (5, 0x86)],
             big_endian=True, developer=[(0, 2, 0)])                         # record, compressed
    t, distance = t0, 0.0
    for k in range(seconds):
        if k == pause_after:
            w.data(1, [t, 0, 4])                                             # stop_all
            t += pause_seconds
            w.data(1, [t, 0, 0])                                             # start
        speed = 3.0 + 0.01 * k
        values = [120 + k, 85, 64, round(speed * 1000), round(distance * 100)]
        if k == 0 or k == pause_after:
            w.data(2, [t] + values)
        else:
            w.data(3, values, compressed_offset=t & 0x1F)
        distance += speed
        t += 1
    end = t - 1
    w.data(1, [end, 0, 4])
    w.define(4, 19, [(253, 0x86), (2, 0x86), (7, 0x86)])                     # lap
    w.data(4, [end, t0, (end - t0) * 1000])
    w.define(5, 18, [(253, 0x86), (2, 0x86), (5, 0x00), (7, 0x86)])          # session: running
    w.data(5, [end, t0, 1, (end - t0) * 1000])
    return w.bytes()
