#!/usr/bin/env bash
# The README's first command at a chosen size: `make local` (playbooks/site.yml on
# inventories/local) with N hollow nodes, on machine containers this script leaves as it found
# them. Prints: seconds of the whole run, the hollow nodes' startup percentiles as the role
# reported them, the perf suite's pod-startup p99 per load level and its verdict, and seconds of
# the teardown.
#
#   bash benchmarks/local.sh [N]          default: 50 hollow nodes
#
# Environment:
#   KUBEMARK_BENCH_KEEP=1    keep the cluster afterwards (no teardown)
#   KUBEMARK_BENCH_EXTRA     extra ansible-playbook arguments (JSON extra vars, say)
set -euo pipefail
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/../hack/bootstrap.sh"
cd "$KUBEMARK_REPO"

nodes=${1:-50}
log_dir=$KUBEMARK_CACHE_DIR/bench-local
results=$KUBEMARK_CACHE_DIR/perf/kubemark
mkdir -p "$log_dir"
newest_run() { find "$results" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort | tail -n 1; }
before=$(newest_run)

start=$(date +%s)
# shellcheck disable=SC2086 # KUBEMARK_BENCH_EXTRA is a list of arguments
bash hack/run-local.sh -e "{\"kubemark_hollow_node_count\": $nodes}" ${KUBEMARK_BENCH_EXTRA:-} \
  >"$log_dir/site-$nodes.log" 2>&1 || { tail -n 40 "$log_dir/site-$nodes.log"; exit 1; }
echo "make local with $nodes hollow nodes: $(( $(date +%s) - start )) s (log: $log_dir/site-$nodes.log)"

# The hollow_nodes role's own summary line (creation to Ready percentiles).
grep -A2 "msg: '$nodes of $nodes hollow nodes Ready" "$log_dir/site-$nodes.log" | tr -s ' \n' ' ' | sed "s/^ *msg: '//; s/'.*//"
echo

run=$(newest_run)
if [ -n "$run" ] && [ "$run" != "$before" ]; then
  python3 - "$run" <<'EOF'
import json, os, sys
report = json.load(open(os.path.join(sys.argv[1], 'report.json')))
print('perf run %s: %s pods of capacity, verdict %s' % (
    os.path.basename(sys.argv[1]), report['run']['cluster']['capacity'], report['verdict']))
for check in report['slo_checks']:
    if check['slo'] in ('pod_startup', 'node_startup'):
        where = 'nodes' if check.get('level') is None else 'level %g%%' % check['level']
        print('  %-12s %-11s p%d %.2f s over %d (SLO %.1f s) %s' % (
            check['slo'], where, check['percentile'], check['value'], check['count'], check['threshold'],
            check['verdict']))
EOF
else
  echo "no new perf run under $results"
fi

if [ "${KUBEMARK_BENCH_KEEP:-0}" != 1 ]; then
  start=$(date +%s)
  KUBEMARK_PLAYBOOK=playbooks/teardown.yml bash hack/run-local.sh >"$log_dir/teardown-$nodes.log" 2>&1 ||
    { tail -n 40 "$log_dir/teardown-$nodes.log"; exit 1; }
  echo "make teardown: $(( $(date +%s) - start )) s"
fi
