#!/usr/bin/env python3
"""Deterministic benchmark data: the same seed gives the same trees, byte for byte.

  gen.py create OUT --dirs 4 --files 50000 [--seed 42] [--large 3]
      OUT/d0 ... OUT/d<dirs-1>, each with --files files: mostly small (0-64 KiB, most under 4 KiB),
      --large large ones (8-64 MiB), nested 1-4 levels, some names with spaces and unicode.
      About 17 KiB a file on average: 25 000 files are some 420 MiB.
  gen.py mutate OUT --percent 1 [--seed 7]    (a fraction too: --percent 0.1)
      changes that share of the files: a third rewritten with other content (same size), a third
      with another size, a third deleted; and as many new files.
"""
import argparse
import os
import random

NAMES = ["run", "event data", "calib", "détecteur", "σήμα", "ряд", "raw", "ana lysis", "data"]


def blob(rnd, size):
    # fast, deterministic, not compressible: a repeated random block shifted by the seed
    block = rnd.randbytes(min(size, 65536)) if size else b""
    out = bytearray()
    while len(out) < size:
        out += block
    return bytes(out[:size])


MAX_SIZE = None


def size_of(rnd):
    if MAX_SIZE is not None:
        return rnd.randint(0, MAX_SIZE)
    r = rnd.random()
    if r < 0.70:
        return rnd.randint(0, 4096)
    if r < 0.99:
        return rnd.randint(4096, 65536)
    return rnd.randint(65536, 1 << 20)


def path_of(rnd, root, i):
    depth = rnd.randint(1, 4)
    parts = [f"{rnd.choice(NAMES)} {rnd.randint(0, 20)}" if rnd.random() < 0.2 else f"l{d}-{rnd.randint(0, 9)}"
             for d in range(depth)]
    name = f"f{i:07d}" + (" é ü" if rnd.random() < 0.05 else "") + ".dat"
    return os.path.join(root, *parts, name)


def create(args):
    for d in range(args.dirs):
        rnd = random.Random(args.seed * 1000 + d)
        root = os.path.join(args.out, f"d{d}")
        for i in range(args.files):
            p = path_of(rnd, root, i)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(blob(rnd, size_of(rnd)))
        for i in range(args.large):
            p = os.path.join(root, "large", f"large-{i}.bin")
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(blob(rnd, rnd.randint(8 << 20, 64 << 20)))


def mutate(args):
    rnd = random.Random(args.seed)
    files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(args.out) for f in fs)
    n = max(1, int(len(files) * args.percent / 100))
    for k, p in enumerate(rnd.sample(files, n)):
        if k % 3 == 0:
            size = os.path.getsize(p)
            with open(p, "wb") as f:
                f.write(blob(rnd, size))
        elif k % 3 == 1:
            with open(p, "wb") as f:
                f.write(blob(rnd, size_of(rnd)))
        else:
            os.remove(p)
    dirs = sorted(d for d in os.listdir(args.out))
    for i in range(n):
        root = os.path.join(args.out, rnd.choice(dirs))
        p = path_of(rnd, root, 9_000_000 + args.seed * 10_000 + i)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(blob(rnd, size_of(rnd)))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create")
    c.add_argument("out")
    c.add_argument("--dirs", type=int, default=4)
    c.add_argument("--files", type=int, default=50000)
    c.add_argument("--large", type=int, default=3)
    c.add_argument("--seed", type=int, default=42)
    c.add_argument("--max-size", type=int, default=None, help="small files only, up to this many bytes")
    m = sub.add_parser("mutate")
    m.add_argument("out")
    m.add_argument("--percent", type=float, default=1)
    m.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    global MAX_SIZE
    MAX_SIZE = getattr(args, "max_size", None)
    create(args) if args.cmd == "create" else mutate(args)


if __name__ == "__main__":
    main()
