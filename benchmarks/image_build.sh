#!/usr/bin/env bash
# Measure the image role's build path: a cold build (empty cache and empty Go build cache), a
# second run (must change nothing) and a warm rebuild (finished builds deleted, Go build cache
# kept), then print the wall time of each run, the seconds each binary's build took in the runs
# that built it and the size of every cached binary. Binaries are built one after the other with
# one Go build cache (e2e.test last), so a binary's seconds are what it adds to those built before
# it: with '-e image_build_e2e_test=true', the e2e.test line is e2e.test's own cost.
#
#   benchmarks/image_build.sh [VERSION...]        default: v1.33.13
#
# Environment:
#   KUBEMARK_BENCH_CACHE  cache root used instead of the real one (default: $KUBEMARK_CACHE_DIR/bench-image);
#                         it is emptied first, so the cold run is really cold.
#   KUBEMARK_BENCH_EXTRA  extra ansible-playbook arguments, such as
#                         '-e {"image_mirror_control_plane_images":true}'.
# Images are not pushed (image_push=false): this measures compiling, not the registry.
set -euo pipefail
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/../hack/bootstrap.sh"
cd "$KUBEMARK_REPO"

versions=("$@")
[ "${#versions[@]}" -gt 0 ] || versions=(v1.33.13)
bench_cache=${KUBEMARK_BENCH_CACHE:-$KUBEMARK_CACHE_DIR/bench-image}
versions_json=$(printf '"%s",' "${versions[@]}")
extra_vars="{\"image_kubernetes_versions\":[${versions_json%,}],\"image_cache_dir\":\"$bench_cache\",\"image_push\":false}"
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

run() {
  local name=$1 start end changed
  start=$(date +%s)
  # shellcheck disable=SC2086 # KUBEMARK_BENCH_EXTRA is a list of arguments on purpose
  ansible-playbook playbooks/image.yml -e "$extra_vars" ${KUBEMARK_BENCH_EXTRA:-} >"$log_dir/$name.log" 2>&1 || {
    tail -n 40 "$log_dir/$name.log" >&2
    echo "image_build: the $name run failed" >&2
    exit 1
  }
  end=$(date +%s)
  changed=$(sed -n 's/^localhost *:.* changed=\([0-9]*\).*/\1/p' "$log_dir/$name.log" | tail -n 1)
  printf '%-14s %6d s   changed=%s\n' "$name" "$((end - start))" "${changed:-?}"
  build_seconds
}

# Every build directory's build.json records the seconds of each output it holds; print those not
# printed yet (the outputs this run built).
build_seconds() {
  local record
  for record in "$bench_cache"/*/*/builds/*/build.json; do
    [ -e "$record" ] || continue
    python3 - "$record" "$log_dir/printed" "$bench_cache" <<'PY'
import json, os, sys
record, printed_file, cache = sys.argv[1:4]
printed = set(open(printed_file).read().split()) if os.path.exists(printed_file) else set()
build_dir = os.path.dirname(record)
with open(record) as handle:
    seconds = json.load(handle).get('seconds', {})
with open(printed_file, 'a') as out:
    for name, value in seconds.items():
        key = '%s/%s' % (build_dir, name)
        if key not in printed:
            print('  built %-24s %7.1f s   (%s)' % (name, value, os.path.relpath(build_dir, cache)))
            out.write(key + '\n')
PY
  done
}

rm -rf "$bench_cache"
echo "versions: ${versions[*]}   cache: $bench_cache   cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
run cold
run second-run
for version in "${versions[@]}"; do
  rm -rf "$bench_cache/kubernetes/$version/builds" "$bench_cache/kubernetes/$version/bin"
  # Those builds are made again: their seconds are new figures.
  sed -i "\|/kubernetes/$version/builds/|d" "$log_dir/printed"
done
run warm-rebuild

for version in "${versions[@]}"; do
  echo "binaries of $version:"
  find -L "$bench_cache/kubernetes/$version/bin" -maxdepth 1 -type f -perm -u+x -printf '  %-26f %10s bytes\n' | sort
done
