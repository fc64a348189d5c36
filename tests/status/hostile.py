#!/usr/bin/env python3
"""Writes hostile status archives into DIR (argument), from a healthy
archive DIR/good.tgz made by tools/make-status-archive: truncated gzip,
too many members, names leaving the folder, a symlink, a 1 GB member."""
import gzip, io, os, sys, tarfile

d = sys.argv[1]
good = open(os.path.join(d, "good.tgz"), "rb").read()
open(os.path.join(d, "truncated.tgz"), "wb").write(good[: len(good) // 2])


def tgz(name, entries, raw_tail=b""):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for ti, data in entries:
            ti.mtime = 0
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    raw = buf.getvalue()
    if raw_tail:  # drop the end-of-archive blocks, keep 512-byte alignment
        raw = raw.rstrip(b"\0")
        raw += b"\0" * (-len(raw) % 512) + raw_tail
    open(os.path.join(d, name), "wb").write(gzip.compress(raw, mtime=0))


def reg(name, data):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    return ti, data


inner = tarfile.open(fileobj=io.BytesIO(gzip.decompress(good)))
members = [(ti, inner.extractfile(ti).read() if ti.isfile() else None)
           for ti in inner.getmembers()]

tgz("many.tgz", members + [reg("status_output/x%05d.txt" % i, b"") for i in range(5000)])
tgz("escape.tgz", members + [reg("status_output/../IPsec-SPD.txt", b"No SPD entries.\n"),
                             reg("/etc/IPsec-SAD.txt", b"No SAD entries.\n"),
                             reg("status_output/sub/Network-ARP Table.txt", b"")])
link = tarfile.TarInfo("status_output/IPsec-SAD.txt")
link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
tgz("symlink.tgz", [m for m in members if not m[0].name.endswith("IPsec-SAD.txt")] + [(link, None)])
# a 1 GB member: the header says so; the data is cut short
big = tarfile.TarInfo("status_output/Log-IPsec-Last 1000 entries.txt")
big.size = 1 << 30
hdr = big.tobuf(format=tarfile.USTAR_FORMAT)
tgz("huge.tgz", [m for m in members if "Log-IPsec" not in m[0].name], hdr + b"x" * 4096)
open(os.path.join(d, "notgz.tgz"), "wb").write(b"\x1f\x8b\x08\x00" + b"\x00" * 40)
# a 4 GB member nobody reads: reading stops instead of inflating it
big2 = tarfile.TarInfo("status_output/OS-Disk usage.txt")
big2.size = 4 << 30
tgz("huge-unread.tgz", members, big2.tobuf(format=tarfile.GNU_FORMAT) + b"y" * 4096)
