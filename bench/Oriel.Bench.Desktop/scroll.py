# The scripted scroll workload of the Oriel desktop benchmark (bench/README.md).
# Prints numbered lines of text at a steady, bounded rate until killed. The text is a
# deterministic function of the line number, so every run draws exactly the same lines.
# usage: python3 -u scroll.py LINES_PER_SECOND COLUMNS
import sys
import time

rate = float(sys.argv[1])
columns = int(sys.argv[2])
words = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike "
         "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu "
         "0 1 2 3 4 5 6 7 8 9 { } ( ) [ ] ; := -> => == != <= >= && || ++ --").split()

def line(n):
    state = (n * 2654435761) & 0xFFFFFFFF
    parts = ["%08d" % n]
    length = 9
    # Lines vary in length (40%..100% of the width) so the right edge changes too.
    target = columns * (40 + (n * 37) % 61) // 100
    while True:
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        word = words[(state >> 8) % len(words)]
        if length + 1 + len(word) > target:
            break
        parts.append(word)
        length += 1 + len(word)
    return " ".join(parts)

interval = 1.0 / rate
out = sys.stdout
n = 0
next_at = time.monotonic()
while True:
    n += 1
    out.write(line(n) + "\n")
    out.flush()
    next_at += interval
    delay = next_at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    elif delay < -1.0:
        # Far behind (the machine stalled): do not burst to catch up, keep the rate bounded.
        next_at = time.monotonic()
