#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh BINARY SECONDS SEED...: fuzzes BINARY for SECONDS from a fresh corpus of the SEED files;
# a crash, leak or timeout fails the test and leaves the input in the log.
set -eu
bin=$1
secs=$2
shift 2
dir=$(mktemp -d "${TMPDIR:-/tmp}/convene-fuzz.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus"
cp "$@" "$dir/corpus/"
cd "$dir"
exec "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -seed=1 \
    -print_final_stats=1 corpus
