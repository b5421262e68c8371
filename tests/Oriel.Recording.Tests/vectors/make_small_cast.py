#!/usr/bin/env python3
"""Builds small.cast, an asciicast v2 file, independently of the C# code: Python's own json module
(ensure_ascii=False, default separators, which is how asciinema's recorder writes lines) and its own
UTF-8 decoder. Times are written as seconds with six decimals, as docs/asciicast.md says Oriel does.
Run: python3 make_small_cast.py > small.cast   (AsciicastVectorTests replays the same events.)"""
import json, sys

def line(value):
    return json.dumps(value, ensure_ascii=False) + "\n"

def event(us, code, data):
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")  # U+FFFD per maximal ill-formed subsequence
    time = "%d.%06d" % (us // 1_000_000, us % 1_000_000)
    return "[" + time + ", " + json.dumps(code, ensure_ascii=False) + ", " + json.dumps(data, ensure_ascii=False) + "]\n"

out = line({"version": 2, "width": 80, "height": 24, "timestamp": 1700000000,
            "title": "demo \"one\"", "env": {"TERM": "xterm-256color", "SHELL": "/bin/bash"}})
out += event(0, "o", b"$ ")
out += event(500_000, "i", b"ls\r")
out += event(512_345, "o", b"ls\r\n\x1b[1;32mfile\x1b[0m\r\n")
out += event(1_000_000, "o", "é€😀".encode())          # the test feeds it split inside every character
out += event(1_250_000, "r", "100x30")
out += event(1_500_000, "m", "chapter 1")
out += event(2_000_000, "o", b"a\xffb\xc3(")            # invalid bytes: each becomes U+FFFD
out += event(2_000_001, "o", b"\t\x7f\"\\\x00\x08\x0c\x01\x1f")
out += event(3_000_000, "o", b"\xe2\x82")              # held back at the end, written by Finish
sys.stdout.buffer.write(out.encode())
