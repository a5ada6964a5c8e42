#!/bin/sh
# build-rootfs.sh FINAL_DIR SUITE MIRROR PACKAGES
# Builds a Debian root file system with debootstrap into FINAL_DIR.tmp and renames it to FINAL_DIR.
# Holds FINAL_DIR.lock for the whole time, so two runs on one host (two molecule scenarios, a test
# beside `make local`) never delete or publish each other's half-built tree. Prints "built" when
# it built, "cached" when another run finished the same tree while this one waited for the lock.
set -eu
final=$1 suite=$2 mirror=$3 packages=$4
mkdir -p "$(dirname "$final")"
exec 9>"$final.lock"
flock 9
if [ -x "$final/sbin/init" ] || [ -L "$final/sbin/init" ]; then
  echo cached
  exit 0
fi
# Only a run that held the lock and died leaves this behind.
rm -rf "$final.tmp"
debootstrap --variant=minbase --include="$packages" "$suite" "$final.tmp" "$mirror"
mv -T "$final.tmp" "$final"
echo built
