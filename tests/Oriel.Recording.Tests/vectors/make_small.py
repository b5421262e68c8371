#!/usr/bin/env python3
"""Builds small.orec.hex by hand from docs/recording.md, independently of the C# code:
its own bitwise CRC-32C, its own varints. Run: python3 make_small.py > small.orec.hex"""
import struct

def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF

assert crc32c(b"123456789") == 0xE3069283

def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)

def str8(s):
    b = s.encode()
    return bytes([len(b)]) + b

lines = []
def emit(note, data):
    lines.append("# " + note)
    lines.append(data.hex(" "))

magic = bytes([0x89, 0x4F, 0x52, 0x43, 0x0D, 0x0A, 0x1A, 0x0A])
meta = b'{"v":1}'
fields = struct.pack(">q", 1700000000000) + str8("rfb-passthrough") + str8("s-1") + str8("vnc1") + str8("alice") + struct.pack(">H", len(meta)) + meta
head = magic + bytes([1, 0]) + struct.pack(">H", len(fields)) + fields
head += struct.pack(">I", crc32c(head))
emit("header: magic, v1.0, fields_length, start 1700000000000 ms, kind rfb-passthrough, session s-1, target vnc1, user alice, metadata {\"v\":1}, crc", head)

offset = len(head)
def record(note, kind, t, payload):
    global offset
    body = bytes([kind]) + varint(t) + varint(len(payload)) + payload
    frame = body + struct.pack(">I", crc32c(body))
    emit(f"offset {offset}: {note}", frame)
    at = offset
    offset += len(frame)
    return at

version = b"RFB 003.008\n"
record("SessionStart t=0", 0x10, 0, b"")
record("ServerData t=1000 'RFB 003.008\\n'", 0x02, 1000, version)
record("ClientData t=1500 'RFB 003.008\\n'", 0x01, 1500, version)
record("Resize t=2000 1024x768", 0x12, 2000, struct.pack(">HH", 1024, 768))
record("Note t=2500 'hi'", 0x13, 2500, varint(2) + b"hi")
sync_at = record("Sync t=3000 record_index 5, client 12, server 12", 0x20, 3000, varint(5) + varint(12) + varint(12))
record("SessionEnd t=4000 reason 1 (client closed) 'bye'", 0x11, 4000, bytes([1]) + varint(3) + b"bye")
end_offset = offset
index = varint(sync_at) + varint(3000) + varint(5) + varint(12) + varint(12)
end = varint(7) + varint(12) + varint(12) + varint(1) + index + struct.pack(">Q", end_offset)
record("End t=4000 records 7, client 12, server 12, index [sync], end_offset", 0x7F, 4000, end)

print("# A small stream recording built by hand (make_small.py) from docs/recording.md,")
print("# with an independent CRC-32C: the C# writer must produce exactly these bytes.")
print("\n".join(lines))
