#!/bin/bash
# fuzz/build.sh — build the CSV import fuzzer and run it for a bounded time
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash fuzz/build.sh [SECONDS]     (default 60; `make fuzz` passes FUZZ_SECONDS)
#
# Builds fuzz/fuzz-import.c with clang and libFuzzer against the model
# sources directly (AddressSanitizer and UndefinedBehaviorSanitizer on),
# seeds a working corpus from the test fixtures, and runs. A crash stops the
# run with a non-zero status and leaves its input in _build-fuzz/crashers/;
# after fixing the bug, copy that input to tests/data/fuzz-crashers/ so
# test-importer replays it from then on.
set -euo pipefail

seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/_build-fuzz
work=$root/fuzz/corpus-work
cc=${CC_FUZZ:-clang}

# The model sources the importer needs; the rest of the library is left
# out so work in progress elsewhere cannot break this build.
sources=(
  cb-case.c
  cb-case-query.c
  cb-case-store.c
  cb-csv-reader.c
  cb-csv-writer.c
  cb-error.c
  cb-field.c
  cb-import-report.c
  cb-importer.c
  cb-practice-gaps.c
  cb-temp-file.c
)

mkdir -p "$out/crashers" "$work"

cat > "$out/config.h" <<'EOF'
#pragma once
#define APP_ID "io.github.casebook.Casebook"
#define GETTEXT_PACKAGE "casebook"
#define LOCALEDIR "/usr/share/locale"
#define PACKAGE_VERSION "fuzz"
#define RESOURCE_BASE "/io/github/casebook/Casebook"
EOF

paths=()
for s in "${sources[@]}"; do
  paths+=("$root/src/model/$s")
done

# shellcheck disable=SC2046
"$cc" -g -O1 -std=c11 -D_GNU_SOURCE \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
  -Wall -Wno-unused-parameter \
  -I "$out" -I "$root/src/model" \
  $(pkg-config --cflags gio-2.0 sqlite3) \
  "$root/fuzz/fuzz-import.c" "${paths[@]}" \
  $(pkg-config --libs gio-2.0 sqlite3) -lm \
  -o "$out/fuzz-import"

# Seeds: the import and reader fixtures, the crashers kept as tests, and
# fuzz/corpus (a demo export with quotes, line breaks and guarded text).
for dir in tests/data/import tests/data/csv tests/data/fuzz-crashers fuzz/corpus; do
  for f in "$root/$dir"/*; do
    [ -f "$f" ] || continue
    case "$f" in *.md) continue ;; esac
    cp -f "$f" "$work/seed-$(basename "$dir")-$(basename "$f")"
  done
done

# A dictionary of the header names and codes, read from the field table so
# that it never goes stale.
grep -o '"[a-z_]\{2,\}"' "$root/src/model/cb-field.c" | sort -u > "$out/import.dict"
cat >> "$out/import.dict" <<'EOF'
","
";"
"\x09"
"\x0d\x0a"
"\"\""
"'="
"''"
"\xef\xbb\xbf"
"/"
"T10:30"
EOF

echo "Fuzzing CbCsvReader + CbImporter for ${seconds}s (corpus: $work)"
"$out/fuzz-import" \
  -max_total_time="$seconds" \
  -max_len=4096 \
  -timeout=20 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -dict="$out/import.dict" \
  -artifact_prefix="$out/crashers/" \
  "$work"
