#!/bin/bash
# hostile-tree.sh DIR: a tree of names and shapes that break naive backup tools, made by bash.
set -eu
d=$1
mkdir -p "$d/names" "$d/shapes"
cd "$d/names"
printf 'newline\n' > "$(printf 'new\nline.txt')"
printf 'tab\n' > "$(printf 'tab\tname.txt')"
printf 'not utf-8\n' > "$(printf 'bad\xff\xfe-latin1-\xe9.bin')"
printf 'long\n' > "$(printf 'L%.0s' $(seq 255))"
printf 'dash\n' > -leading-dash.txt
printf 'flag\n' > --looks-like-a-flag
printf 'quotes\n' > "it's \"quoted\".txt"
printf 'backslash\n' > 'back\slash.txt'
printf 'shell\n' > '$(touch pwned) `id`.txt'
printf 'unicode\n' > 'юникод 日本語 ünïcödé.txt'
printf 'star\n' > '*.txt'
printf 'hash\n' > '#not-a-comment'
printf 'a regular file rclone takes for a link\n' > plain.rclonelink
cd "$d/shapes"
deep=deep
for i in $(seq 2 100); do deep="$deep/$i"; done
mkdir -p "$deep"
printf 'bottom\n' > "$deep/bottom.txt"
ln -s loop-b loop-a
ln -s loop-a loop-b
ln -s self self
ln -s ../names/-leading-dash.txt relative-link
ln -s /etc/hostname absolute-link
ln -s ../names/tab* alike
printf 'a file named as rclone names the link beside it\n' > alike.rclonelink
mkfifo fifo
mkdir -p empty/nested-empty
