#!/usr/bin/env bash
# The performance suite on this machine, in one command: a real cluster of processes on 127.0.0.1
# (etcd, kube-apiserver, kube-controller-manager, kube-scheduler and N hollow kubelets from the
# binaries the image role built, tests/integration/perf/cluster.py), then playbooks/perf.yml against
# it with the density design (30 pods per node, levels 10/25/50/90/100 %) and the report. Prints
# the percentile tables and how long it all took. clusterloader2 (which reads the master over SSH)
# and e2e.test (which needs machines) run on a machine cluster: benchmarks/local.sh.
#
#   benchmarks/perf.sh [NODES]           default: 50 hollow nodes
#
# Environment:
#   KUBEMARK_BENCH_OUT=DIR   keep the run (raw samples and report) there (default: a temporary directory, kept)
#   KUBEMARK_BENCH_EXTRA     extra ansible-playbook arguments, e.g. '-e {"perf_api_probes":100}'
# Uses the perf test ports (127.0.0.1:23xxx): do not run it together with tests/integration/perf.
set -euo pipefail
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/../hack/bootstrap.sh"
cd "$KUBEMARK_REPO"

nodes=${1:-50}
out=${KUBEMARK_BENCH_OUT:-$(mktemp -d /tmp/kubemark-perf-bench.XXXXXX)}
mkdir -p "$out"
work=$(mktemp -d /tmp/kubemark-perf-cluster.XXXXXX)
cluster_pid=
cleanup() {
  if [ -n "$cluster_pid" ]; then
    kill "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Every hollow kubelet holds 2 inotify instances; the default per-user limit (128) stops at about
# 50. Upstream kubemark raises it to 1000 in an init container; do the same here, and say so.
inotify_limit=$(cat /proc/sys/fs/inotify/max_user_instances)
if [ "$inotify_limit" -lt $((nodes * 2 + 256)) ]; then
  echo "raising fs.inotify.max_user_instances from $inotify_limit to $((nodes * 2 + 1024)) for $nodes hollow kubelets"
  sysctl -qw fs.inotify.max_user_instances=$((nodes * 2 + 1024))
fi
echo "hollow nodes: $nodes   cores: $(nproc)   memory: $(free -g | awk '/^Mem:/ {print $2}') GiB   load: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
python tests/integration/perf/cluster.py --nodes "$nodes" --dir "$work/cluster" --ready-file "$work/ready.json" \
  >"$out/cluster.log" 2>&1 &
cluster_pid=$!
while [ ! -e "$work/ready.json" ]; do
  if ! kill -0 "$cluster_pid" 2>/dev/null; then
    tail -n 30 "$out/cluster.log" >&2
    echo "perf: the cluster did not come up" >&2
    exit 1
  fi
  sleep 1
done
cluster_up=$(date +%s)
facts=$(cat "$work/ready.json")
kubeconfig=$(python -c 'import json,sys; print(json.loads(sys.argv[1])["kubeconfig"])' "$facts")
scheduler=$(python -c 'import json,sys; print(json.loads(sys.argv[1])["scheduler_metrics_url"])' "$facts")
extra_vars=$(printf '{"perf_kubeconfig":"%s","perf_scheduler_metrics_url":"%s","perf_results_dir":"%s","perf_nodes":%d,"perf_fail_on_slo":false,"perf_clusterloader2_enabled":false,"perf_e2e_enabled":false,"perf_run_id":"bench-%s"}' \
  "$kubeconfig" "$scheduler" "$out" "$nodes" "$(date -u +%Y%m%dt%H%M%Sz)")
printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' "$(command -v python)" >"$work/hosts"
rc=0
# shellcheck disable=SC2086 # KUBEMARK_BENCH_EXTRA is a list of arguments on purpose
ansible-playbook -i "$work/hosts" playbooks/perf.yml -e "$extra_vars" ${KUBEMARK_BENCH_EXTRA:-} >"$out/playbook.log" 2>&1 || rc=$?
end=$(date +%s)
run_dir=$(dirname "$(find "$out" -mindepth 2 -maxdepth 2 -name run.json | sort | tail -n 1)")

echo "cluster of $nodes hollow nodes Ready in $((cluster_up - start)) s; suite $((end - cluster_up)) s; total $((end - start)) s (playbook exit $rc)"
echo "run: $run_dir"
python - "$run_dir/report.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
levels = data['levels']

def cell(v):
    return '-' if v is None else ('%.1f ms' % (v * 1000) if v < 1 else '%.3f s' % v)

def table(title, by_level):
    print('\n' + title)
    print('| | ' + ' | '.join('%s%%-full' % l for l in levels) + ' |')
    print('|---|' + '---|' * len(levels))
    for p in (10, 50, 90, 99):
        print('| %dth percentile | ' % p + ' | '.join(cell((by_level.get(str(l)) or {}).get('p%d' % p)) for l in levels) + ' |')
    print('| samples | ' + ' | '.join(str((by_level.get(str(l)) or {}).get('count', 0)) for l in levels) + ' |')

print('verdict: %s   status: %s   errors: %s' % (data['verdict'], data['status'], data['errors'] or 'none'))
table('Pod startup latency (creation to all containers running, by watch)', data['pod_startup'])
for row in data['api_calls']:
    if row['verb'] in ('PUT', 'POST', 'LIST', 'GET') and row['resource'] in ('nodes', 'pods', 'replicationcontrollers'):
        table('API call latency %s %s (scope %s)' % (row['verb'], row['resource'], row['scope']), row['levels'])
node = data['node_startup']
print('\nnode startup (creation to Ready): %d nodes, p50 %s, p99 %s' % (node['count'], cell(node['p50']), cell(node['p99'])))
print('\nscheduler: ' + '; '.join('%s%%: %s pods/s, attempt p99 %s' % (l, ('%.1f' % s['throughput_pods_per_second']) if s.get('throughput_pods_per_second') else '-', cell(s.get('attempt_duration_p99')))
                                 for l, s in ((l, (data['server'].get(str(l)) or {}).get('scheduler') or {}) for l in levels)))
failed = [c for c in data['slo_checks'] if c['verdict'] != 'pass']
print('SLO checks: %d, not passed: %s' % (len(data['slo_checks']), ', '.join('%s %s@%s%% %s' % (c['slo'], c['subject'], c['level'], cell(c['value'])) for c in failed) or 'none'))
cl2 = data['clusterloader2']
print('\nclusterloader2: %s %s' % (cl2.get('status'), cl2.get('reason') or ''))
for config in cl2.get('configs') or []:
    print('  %s (%s): %s' % (config['name'], config.get('config') or '', config['status']))
    for row in config.get('pod_startup') or []:
        if row['metric'] == 'pod_startup':
            print('    %-55s p50 %s p90 %s p99 %s ms' % (row['summary'], row['p50'], row['p90'], row['p99']))
    if config.get('scheduling_throughput'):
        print('    scheduling throughput max %s pods/s' % config['scheduling_throughput']['max'])
e2e = data.get('e2e') or {}
counts = e2e.get('counts') or {}
print('e2e.test: %s %s %s' % (e2e.get('status'), ', '.join('%s %s' % (v, k) for k, v in sorted(counts.items())), e2e.get('reason') or ''))
PY
