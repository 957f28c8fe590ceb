#!/usr/bin/env python3
"""tree-state.py DIR: every entry below DIR as an independent reader sees it, one line each, sorted by the
name's bytes: path (bytes, escaped), kind, mode, owner, group, modification time (ns), size and SHA-256 of a
file, a link's target (bytes), POSIX ACLs (getfacl -n, numeric) and user.* extended attributes, and for a
file with several hard links the other names it shares its inode with. Reads names as bytes (os.fsencode):
no locale, no Java."""
import hashlib
import os
import stat
import subprocess
import sys


def esc(b):
    return b.decode('utf-8', 'backslashreplace').encode('unicode_escape').decode('ascii')


def acl(path):
    out = subprocess.run(['getfacl', '-n', '-p', '-s', '--', path], capture_output=True)
    lines = [l for l in out.stdout.split(b'\n') if l and not l.startswith(b'#')]
    return b' '.join(lines).decode('ascii', 'backslashreplace')


def main(root):
    root = os.fsencode(root)
    entries = []
    inodes = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root)
            st = os.lstat(p)
            entries.append((rel, p, st))
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                inodes.setdefault(st.st_ino, []).append(rel)
    for rel, p, st in sorted(entries):
        mode = stat.S_IMODE(st.st_mode)
        parts = [esc(rel)]
        if stat.S_ISLNK(st.st_mode):
            parts += ['link', esc(os.readlink(p))]
        elif stat.S_ISDIR(st.st_mode):
            parts += ['dir', oct(mode)]
        elif stat.S_ISREG(st.st_mode):
            with open(p, 'rb') as f:
                parts += ['file', oct(mode), str(st.st_size), hashlib.sha256(f.read()).hexdigest()[:16]]
        else:
            parts += ['other']
        parts += ['%d:%d' % (st.st_uid, st.st_gid)]
        if not stat.S_ISLNK(st.st_mode):
            parts += ['mtime=%d' % st.st_mtime_ns]
            extended = acl(p)
            if extended:
                parts += ['acl=' + extended]
            for x in sorted(os.listxattr(p, follow_symlinks=False)):
                if x.startswith('user.'):
                    parts += ['%s=%s' % (x, os.getxattr(p, x, follow_symlinks=False).hex())]
        else:
            parts += ['mtime=%d' % (st.st_mtime_ns // 1000 * 1000)]
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            others = sorted(esc(o) for o in inodes.get(st.st_ino, []) if o != rel)
            parts += ['links=' + ','.join(others)]
        print(' | '.join(parts))


main(sys.argv[1])
