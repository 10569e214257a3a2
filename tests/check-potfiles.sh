#!/bin/sh
# Every source file with translatable strings must be listed in POTFILES.in,
# or its strings never reach translators.
set -u
cd "$1" || exit 2
missing=0
for f in $(grep -rlE '(^|[^A-Za-z_])(_|N_|C_|NC_)\(|g_dngettext|translatable="yes"' src ui data --include='*.c' --include='*.ui' --include='*.in' --include='*.xml' | sort); do
  case "$f" in data/guidance/*) continue ;; esac
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $f" >&2
    missing=1
  fi
done
exit $missing
