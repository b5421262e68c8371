#!/usr/bin/env python3
"""Builds tdp-small.orec.hex by hand from docs/recording.md ("The tdp kind", "Keyframe") and docs/tdp.md,
independently of the C# and TypeScript code: its own bitwise CRC-32C, its own varints, TDP messages packed
with struct from the layouts. Run: python3 make_tdp_small.py > tdp-small.orec.hex

The recording: a 2x1 desktop drawn with two 1x1 PNG tiles (the real PNG of tests/vectors/tdp.json), one
keyframe split in two parts (as a writer with a 128-byte part cap splits it), input, a copy, a clipboard
note, the session end and the End record with a one-entry index."""
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

# TDP messages (docs/tdp.md): big-endian fields after the type byte.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63f8cfc0000003010100c9fe92ef0000000049454e44ae426082")
def desktop_size(w, h): return struct.pack(">BII", 103, w, h)
def png_frame2(left, top, right, bottom, png): return struct.pack(">BIIIII", 27, len(png), left, top, right, bottom) + png
def frame_marker(i): return struct.pack(">BI", 100, i)
def frame_ack(i): return struct.pack(">BI", 101, i)
def mouse_move(x, y): return struct.pack(">BII", 3, x, y)
def cursor_hidden(): return struct.pack(">BHHHHI", 102, 0, 0, 0, 0, 0)
def copy_rect(sx, sy, w, h, dx, dy): return struct.pack(">BIIIIII", 104, sx, sy, w, h, dx, dy)

lines = []
def emit(note, data):
    lines.append("# " + note)
    lines.append(data.hex(" "))

magic = bytes([0x89, 0x4F, 0x52, 0x43, 0x0D, 0x0A, 0x1A, 0x0A])
meta = b'{"v":1}'
fields = struct.pack(">q", 1700000000000) + str8("tdp") + str8("s-2") + str8("vnc1") + str8("alice") + struct.pack(">H", len(meta)) + meta
head = magic + bytes([1, 1]) + struct.pack(">H", len(fields)) + fields
head += struct.pack(">I", crc32c(head))
emit("header: magic, v1.1, fields_length, start 1700000000000 ms, kind tdp, session s-2, target vnc1, user alice, metadata {\"v\":1}, crc", head)

offset = len(head)
records = 0
client = 0
server = 0
def record(note, kind, t, payload):
    global offset, records, client, server
    body = bytes([kind]) + varint(t) + varint(len(payload)) + payload
    frame = body + struct.pack(">I", crc32c(body))
    emit(f"offset {offset}: {note}", frame)
    at = offset
    offset += len(frame)
    if kind != 0x7F: records += 1
    if kind == 0x01: client += len(payload)
    if kind == 0x02: server += len(payload)
    return at

tile0 = png_frame2(0, 0, 1, 1, PNG_1X1)
tile1 = png_frame2(1, 0, 2, 1, PNG_1X1)
record("SessionStart t=0", 0x10, 0, b"")
record("Resize t=0 2x1", 0x12, 0, struct.pack(">HH", 2, 1))
record("ServerData t=1000: desktop size 2x1, PNG frame 2 at 0,0-1,1, PNG frame 2 at 1,0-2,1, frame marker 1", 0x02, 1000,
       desktop_size(2, 1) + tile0 + tile1 + frame_marker(1))
record("ClientData t=1500: frame ack 1, mouse move 1,0", 0x01, 1500, frame_ack(1) + mouse_move(1, 0))
sync = (offset, 2000, records, client, server)
record(f"Sync t=2000: record_index {records}, client {client}, server {server}", 0x20, 2000, varint(records) + varint(client) + varint(server))
record("Keyframe t=2000 part 1 (flags 0): desktop size 2x1, PNG frame 2 at 0,0", 0x80, 2000, bytes([0]) + desktop_size(2, 1) + tile0)
record("Keyframe t=2000 part 2 (flags 1, last): PNG frame 2 at 1,0, cursor hidden", 0x80, 2000, bytes([1]) + tile1 + cursor_hidden())
record("ServerData t=2500: copy rect 0,0 1x1 to 1,0, frame marker 2", 0x02, 2500, copy_rect(0, 0, 1, 1, 1, 0) + frame_marker(2))
note = b"clipboard: 5 bytes from the browser"
record("Note t=2600 'clipboard: 5 bytes from the browser' (clipboard contents are never recorded)", 0x13, 2600, varint(len(note)) + note)
record("SessionEnd t=3000 reason 1 (client closed) 'bye'", 0x11, 3000, bytes([1]) + varint(3) + b"bye")
end_offset = offset
index = b"".join(varint(v) for v in sync)
end = varint(records) + varint(client) + varint(server) + varint(1) + index + struct.pack(">Q", end_offset)
record(f"End t=3000: records {records}, client {client}, server {server}, index [offset {sync[0]}, t 2000, {sync[2]}, {sync[3]}, {sync[4]}], end_offset {end_offset}", 0x7F, 3000, end)

print("# A small tdp stream recording (format 1.1) built by hand (make_tdp_small.py) from docs/recording.md and")
print("# docs/tdp.md, with an independent CRC-32C: the C# writer must produce exactly these bytes, and readers")
print("# (C# and the web player) must read these records, keyframe parts and TDP messages from it.")
print("\n".join(lines))
