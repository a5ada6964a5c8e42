#!/usr/bin/env bash
# Measure the image role's build path: a cold build (empty cache and empty Go build cache), a
# second run (must change nothing) and a warm rebuild (finished builds deleted, Go build cache
# kept), then print the wall time of each run and the size of every cached binary.
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
}

rm -rf "$bench_cache"
echo "versions: ${versions[*]}   cache: $bench_cache   cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
run cold
run second-run
for version in "${versions[@]}"; do
  rm -rf "$bench_cache/kubernetes/$version/builds" "$bench_cache/kubernetes/$version/bin"
done
run warm-rebuild

for version in "${versions[@]}"; do
  echo "binaries of $version:"
  find -L "$bench_cache/kubernetes/$version/bin" -maxdepth 1 -type f -perm -u+x -printf '  %-26f %10s bytes\n' | sort
done
