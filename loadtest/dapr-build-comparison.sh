#!/usr/bin/env bash
# Cold build of Dapr's binaries by the project's own installer, slim then stable, each with empty
# Go module and build caches (so downloads from the Go module proxy are included). Results are
# appended to $OUT (default /tmp/daprbench/results.txt). Takes about 15 minutes on 2 cores.
set -u
OUT=${OUT:-/tmp/daprbench/results.txt}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$(dirname "$OUT")"
cd "$ROOT"
npx tsc -b
for f in slim stable; do
  dir=$(mktemp -d /tmp/daprbench-$f.XXXX)
  t0=$(date +%s.%N)
  TODO_CACHE_DIR=$dir TODO_DAPR_BUILD=$f node -e "require('./dist/stack/install/dapr').installDapr().then(()=>process.exit(0),e=>{console.error(e);process.exit(1)})" > "$dir.out" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  echo "$f rc=$rc seconds=$(echo "$t1 - $t0" | bc) daprd_bytes=$(stat -c %s "$dir/dapr-1.18.2/bin/daprd" 2>/dev/null)" >> "$OUT"
  rm -rf "$dir"
done
cat "$OUT"
