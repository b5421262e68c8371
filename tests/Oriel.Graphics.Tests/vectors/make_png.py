# Writes the PNG byte vectors png-*.hex (printed as name + hex; the .hex files were made from this output).
import zlib, struct, binascii
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", binascii.crc32(t + d) & 0xffffffff)
def png(w, h, depth, ct, raw, plte=None, extra=b"", level=9):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ct, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if plte: out += chunk(b"PLTE", plte)
    out += extra
    out += chunk(b"IDAT", zlib.compress(raw, level)) + chunk(b"IEND", b"")
    return out
# 2x2 truecolour, rows: filter 1 (Sub) and 2 (Up). pixels: red, green / blue, white
row0 = bytes([1, 255,0,0, 0,255,0])   # Sub: second pixel = (0-255, 255-0, 0-0) mod 256 -> stored differences
row0 = bytes([1, 255,0,0, (0-255)%256, 255, 0])
row1 = bytes([2, (0-255)%256, 0, 255, (255-0)%256, 0, 255])  # Up: blue=(0,0,255) - red(255,0,0); white - green
v1 = png(2,2,8,2,row0+row1)
# 3x1 indexed 2-bit with palette of 3 and a tEXt ancillary chunk
plte = bytes([0x10,0x20,0x30, 0xff,0x80,0x00, 0x00,0x00,0xff])
raw = bytes([0, 0b00011000])  # indices 0,1,2 -> bits 00 01 10 00
v2 = png(3,1,2,3,raw,plte,extra=chunk(b"tEXt", b"Comment\x00vector"))
# 2x1 RGBA with alpha 128 and 255, filter 4 (Paeth), first row: Paeth a=left,b=0,c=0 -> left
px = [(200,100,50,255),(0,0,0,128)]
r = [200,100,50,255, (0-200)%256,(0-100)%256,(0-50)%256,(128-255)%256]
v3 = png(2,1,8,6,bytes([4]+r))
# 4x2 greyscale 1-bit with Average filter on row 1
rows = bytes([0, 0b10100000, 3, 0b01010000])  # average of left(0 for first byte since bpp=1 byte) and up
v4 = png(4,2,1,0,rows)
for n,v in [("truecolor-sub-up",v1),("indexed-2bit-text",v2),("rgba-paeth",v3),("grey-1bit-average",v4)]:
    print(n, v.hex())
