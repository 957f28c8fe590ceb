#!/bin/bash
# faithful-tree.sh DIR: what a restore must give back exactly, made by bash: names of every kind (newline,
# tab, bytes that are not UTF-8, 255 bytes, leading dash and spaces, backslash, glob characters, a regular
# file named *.rclonelink), owners and groups of other users, set-id and sticky folders, POSIX ACLs (access
# and default), user.* extended attributes, hard links (within a folder and across two), symbolic links,
# empty folders, old modification times. Needs root (chown), setfacl and setfattr.
set -eu
d=$1
mkdir -p "$d/odd" "$d/shared/sub" "$d/links" "$d/empty/nested" "$d/sticky"
cd "$d/odd"
printf 'newline\n' > "$(printf 'new\nline.txt')"
printf 'tab\n' > "$(printf 'tab\tname.txt')"
printf 'latin-1\n' > "$(printf 'caf\xe9.txt')"
printf 'broken\n' > "$(printf 'bad\xff\xfe.bin')"
printf 'long\n' > "$(printf 'L%.0s' $(seq 255))"
printf 'dash\n' > -leading-dash.txt
printf 'spaces\n' > '  spaces around  '
printf 'backslash\n' > 'back\slash.txt'
printf 'glob\n' > '*?[x].txt'
printf 'lookalike\n' > plain.rclonelink
printf '#!/bin/sh\necho hi\n' > run.sh && chmod 0755 run.sh
printf 'secret\n' > private.key && chmod 0600 private.key
chown 65534:65534 "$(printf 'caf\xe9.txt')" run.sh
chown 1234:1234 -- -leading-dash.txt
cd "$d/shared"
chown 0:1234 . sub && chmod 2775 . sub
setfacl -m u:65534:rwx,g:1234:r-x .
setfacl -d -m g:1234:rwx,o::--- .
printf 'data\n' > data.txt && setfacl -m u:1234:rw- data.txt
printf 'noted\n' > noted.txt && setfattr -n user.comment -v 'checked by hand' noted.txt
setfattr -n user.binary -v 0x00ff10 noted.txt
setfattr -n user.project -v idream .
printf 'one inode\n' > sub/linked.dat
ln sub/linked.dat sub/second-name.dat
ln sub/linked.dat third-name.dat
cd "$d/links"
ln -s ../shared/data.txt relative
ln -s /etc/hostname absolute
ln -s nowhere dangling
ln -s "$(printf 'caf\xe9.txt')" odd-target
chmod 1777 "$d/sticky"
printf 'old\n' > "$d/old.txt" && touch -d '2001-02-03 04:05:06.789' "$d/old.txt"
touch -d '2002-03-04 05:06:07' "$d/empty/nested" "$d/empty"
