#!/usr/bin/env bash
# clusterloader2's load config (testing/load/config.yaml, as the perf role runs it: upstream's
# kubemark overrides and the role's) at N hollow kubelets on inventories/local, for each N in turn:
# seconds of the scale play to N Ready, clusterloader2's own time for the config (its junit
# testsuite time), its testcases and failures, and the seconds of the perf play (the density test
# at its smallest level, 10 %, runs first: the role always runs it). e2e.test does not run.
# clusterloader2 is built from PERF_TESTS_REPO (default: a writable copy of the perf-tests mirror
# that hack/test.sh finds, KUBEMARK_PERF_TESTS_MIRROR) at the role's pinned commit.
# Machines, registry, images and master are made when the cluster does not answer, and torn down
# at the end unless KEEP=1.
# Usage: bash benchmarks/clusterloader2.sh [N...]   (as root; default N = 50 100)
# shellcheck source=benchmarks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
counts=("$@")
[ "${#counts[@]}" -gt 0 ] || counts=(50 100)
inventory=inventories/local
kubeconfig=$HOME/.local/share/kubemark/kubemark/admin.kubeconfig
kubectl=("$KUBEMARK_CACHE_DIR/kubernetes/$(bench_default_version)/bin/kubectl" --kubeconfig "$kubeconfig")
results=$KUBEMARK_CACHE_DIR/perf/kubemark

repo=${PERF_TESTS_REPO:-}
if [ -z "$repo" ]; then
  mirror=${KUBEMARK_PERF_TESTS_MIRROR:-$KUBEMARK_REPO/../shared/mirrors/perf-tests.git}
  [ -d "$mirror" ] || { echo "no perf-tests mirror at $mirror: set KUBEMARK_PERF_TESTS_MIRROR or PERF_TESTS_REPO" >&2; exit 2; }
  # The mirror is read-only and has no refs/ directory, without which git does not take it for a repository.
  repo=$bench_log_dir/perf-tests.git
  cp -r "$mirror" "$repo" && chmod -R u+w "$repo" && mkdir -p "$repo/refs/heads" "$repo/refs/tags"
  repo=file://$repo
fi

if ! "${kubectl[@]}" get --raw /readyz >/dev/null 2>&1; then
  echo "machines, registry, images and master: $(bench_run create playbooks/site.yml --skip-tags=hollow_nodes,perf)s"
fi

for n in "${counts[@]}"; do
  up=$(bench_run "up-$n" playbooks/scale.yml -e kubemark_hollow_nodes_mode=systemd -e "kubemark_hollow_node_count=$n")
  run=clusterloader2-$n-$(date -u +%Y%m%dT%H%M%SZ)
  # The perf play fails when clusterloader2 does (after writing the report), and a failed config
  # is a figure too: only a run without clusterloader2's junit ends the script.
  read -r seconds rc < <(bench_run_status "perf-$n" playbooks/perf.yml -e kubemark_clusterloader2=true \
    -e kubemark_e2e_test=false -e "perf_clusterloader2_repo=$repo" -e perf_fail_on_slo=false \
    -e '{"perf_load_levels": [10]}' -e "perf_run_id=$run")
  junit=$results/$run/clusterloader2/load/junit.xml
  [ -f "$junit" ] || { tail -n 80 "$bench_log_dir/perf-$n" >&2; exit 1; }
  suite=$(python3 -c 'import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
cases = suite.findall("testcase")
failed = [c.get("name") for c in cases if c.find("failure") is not None]
print("%.0f s, %d testcases, %d failed%s" % (float(suite.get("time") or 0), len(cases), len(failed),
      "".join("\n  failed: " + name for name in failed)))' "$junit")
  echo "N=$n: scale play to $n Ready ${up}s; clusterloader2 load config $suite"
  echo "N=$n: perf play ${seconds}s (exit $rc); results $results/$run"
done

if [ "${KEEP:-0}" != 1 ]; then
  bench_run destroy playbooks/teardown.yml >/dev/null
fi
