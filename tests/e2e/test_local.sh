#!/usr/bin/env bash
# The README's first command, end to end, as a user runs it: `make local` (playbooks/site.yml on
# inventories/local: machine containers, registry, images, master, hollow nodes, perf suite), then
# checks what a user would look at:
#   - every hollow node of kubemark_hollow_node_count is Ready in the kubemark cluster;
#   - the perf run's report.json is complete, without errors, with a pod-startup and API-call
#     verdict for every load level, kube-scheduler metrics scraped with certificate verification,
#     and report.md / report.html exist;
#   - clusterloader2 (built from the kubernetes/perf-tests mirror, KUBEMARK_PERF_TESTS_MIRROR)
#     ran testing/load/config.yaml unmodified: junit with no failure, and TestMetrics' EtcdMetrics,
#     SchedulingMetrics and MetricsForE2E each with data in its result file;
#   - e2e.test of the cluster's version ran its default set with no failure;
#   - a second site.yml run (every stage but perf, which is a new measurement each time) reports
#     changed=0 on every host, and so does site.yml --check --diff (perf included);
#   - `make teardown` leaves no machine, no machine network namespace, no registry (nor its image
#     storage when no other registry instance runs) and no /etc/kubemark behind.
# A local cluster that already answers before the test (a developer's) is used and kept; one the
# test brought up is torn down at the end.
#
#   bash tests/e2e/test_local.sh        (needs root, like hack/)
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if ! command -v ansible-playbook >/dev/null 2>&1 || [ -z "${VIRTUAL_ENV:-}" ]; then
  # shellcheck source-path=SCRIPTDIR/../.. source=hack/bootstrap.sh
  source "$repo/hack/bootstrap.sh" || exit 2
fi
cd "$repo" || exit 2

cache=${KUBEMARK_CACHE_DIR:-$HOME/.cache/kubemark}
state=$HOME/.local/share/kubemark/kubemark
admin_kubeconfig=$state/admin.kubeconfig
# The local inventory carries only its own choices: every other setting is the settings role's.
setting() {
  local value
  value=$(awk -v name="$1:" '$1 == name {print $2}' inventories/local/group_vars/all/main.yml)
  [ -n "$value" ] || value=$(awk -v name="$1:" '$1 == name {print $2}' roles/kubemark/defaults/main.yml)
  echo "$value"
}
version=$(setting kubemark_kubernetes_version)
expected_nodes=$(setting kubemark_hollow_node_count)
results=$cache/perf/kubemark
kubectl=$cache/kubernetes/$version/bin/kubectl

# clusterloader2 from a writable copy of the perf-tests mirror (the mirror is read-only and has no
# refs/ directory, without which git does not take it for a repository).
if [ -z "${KUBEMARK_PERF_TESTS_MIRROR:-}" ] || [ ! -d "$KUBEMARK_PERF_TESTS_MIRROR" ]; then
  echo "FAIL KUBEMARK_PERF_TESTS_MIRROR (${KUBEMARK_PERF_TESTS_MIRROR:-unset}) names no kubernetes/perf-tests mirror"
  exit 1
fi
perf_tests_repo=$(mktemp -d)/perf-tests.git
cp -r "$KUBEMARK_PERF_TESTS_MIRROR" "$perf_tests_repo" && chmod -R u+w "$perf_tests_repo" &&
  mkdir -p "$perf_tests_repo/refs/heads" "$perf_tests_repo/refs/tags" || exit 1
suite_vars=(-e kubemark_clusterloader2=true -e kubemark_e2e_test=true -e "perf_clusterloader2_repo=file://$perf_tests_repo")
log_dir=$cache/e2e-local
mkdir -p "$log_dir"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() {
  failed=$((failed + 1)); printf 'FAIL %s\n' "$1"
  if [ -n "${2:-}" ] && [ -s "$2" ]; then sed 's/^/     | /' "$2" | tail -n 40; fi
}

cluster_answers() {
  [ -s "$admin_kubeconfig" ] && [ -x "$kubectl" ] &&
    "$kubectl" --kubeconfig "$admin_kubeconfig" --request-timeout=10s get --raw /readyz >/dev/null 2>&1
}

recap_changed() {
  # Sum of changed= over every host of a PLAY RECAP.
  local sum=0 count
  while read -r count; do
    sum=$((sum + count))
  done < <(sed -n '/PLAY RECAP/,$p' "$1" | grep -o 'changed=[0-9]*' | cut -d= -f2)
  echo "$sum"
}

# A run of site.yml (with the suite's settings and the given arguments) that must pass with
# changed=0; its log is <log>.log in the log directory.
expect_unchanged() {
  local what=$1 log=$log_dir/$2.log changed start
  shift 2
  start=$(date +%s)
  if bash hack/run-local.sh "${suite_vars[@]}" "$@" >"$log" 2>&1; then
    changed=$(recap_changed "$log")
    if [ "$changed" = 0 ]; then
      pass "$what: changed=0 in $(( $(date +%s) - start )) s"
    else
      grep -B2 -A12 '^changed:' "$log" >"${log%.log}-changed.txt"
      fail "$what: changed=$changed" "${log%.log}-changed.txt"
    fi
  else
    fail "$what" "$log"
  fi
}

made_cluster=true
if cluster_answers; then
  made_cluster=false
  printf 'note a local cluster already answers: it is used and kept\n'
fi
# The run this test makes is the directory that was not there before (runs named by perf_run_id,
# a benchmark's for example, do not sort by time).
run_dirs() { find "$results" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort; }
run_dirs >"$log_dir/runs-before"

# 1. make local
start=$(date +%s)
site_ok=true
if bash hack/run-local.sh "${suite_vars[@]}" >"$log_dir/site.log" 2>&1; then
  pass "make local (site.yml on inventories/local) in $(( $(date +%s) - start )) s"
else
  site_ok=false
  fail "make local (site.yml on inventories/local) after $(( $(date +%s) - start )) s" "$log_dir/site.log"
fi

# 2-4 only make sense on a cluster that came up; the teardown (5) runs either way.
if [ "$site_ok" = true ]; then
  # 2. hollow nodes Ready
  ready=$("$kubectl" --kubeconfig "$admin_kubeconfig" get nodes -l hollow-node=true \
    -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>"$log_dir/nodes.err" |
    grep -c '^True$')
  if [ "${ready:-0}" -eq "$expected_nodes" ]; then
    pass "$ready of $expected_nodes hollow nodes Ready"
  else
    fail "${ready:-0} of $expected_nodes hollow nodes Ready" "$log_dir/nodes.err"
  fi

  # 3. the perf report
  report_dir=$(run_dirs | comm -13 "$log_dir/runs-before" - | tail -n 1)
  if [ -z "$report_dir" ]; then
    fail "a new perf run directory under $results"
  else
    if python3 - "$report_dir" >"$log_dir/report.check" 2>&1 <<'EOF'
import json, os, sys
run_dir = sys.argv[1]
report = json.load(open(os.path.join(run_dir, 'report.json')))
assert report['status'] == 'complete', 'status %r' % report['status']
assert not report['errors'], 'errors %r' % report['errors']
levels = report['run']['parameters']['load_levels']
for slo in ('pod_startup', 'api_call'):
    seen = {check['level'] for check in report['slo_checks'] if check['slo'] == slo}
    missing = [level for level in levels if level not in seen]
    assert not missing, '%s: no verdict for levels %r' % (slo, missing)
for name in ('report.md', 'report.html'):
    assert os.path.getsize(os.path.join(run_dir, name)) > 0, name
# kube-scheduler's metrics were scraped at every level, with its certificate verified.
tls = report['run'].get('component_tls') or {}
assert tls.get('validate_certs') is True, 'scheduler scraped without certificate verification: %r' % tls
server = report.get('server') or {}
assert server and all(level.get('scheduler') for level in server.values()), 'no scheduler metrics in %r' % sorted(server)
pod = [check for check in report['slo_checks'] if check['slo'] == 'pod_startup']
print('verdict %s; pod startup p99 per level: %s; scheduler metrics verified with the %s CA' % (
    report['verdict'], ', '.join('%g%%: %.2f s' % (check['level'], check['value']) for check in pod), tls.get('ca_source')))
EOF
    then
      pass "perf report $(basename "$report_dir"): $(cat "$log_dir/report.check")"
    else
      fail "perf report $report_dir" "$log_dir/report.check"
    fi
  fi

  # 3b. clusterloader2 and e2e.test, from their own result files
  if [ -n "$report_dir" ] && python3 - "$report_dir" >"$log_dir/suite.check" 2>&1 <<'EOF'
import glob, json, os, sys
import xml.etree.ElementTree as ET
run_dir = sys.argv[1]
cl2 = os.path.join(run_dir, 'clusterloader2', 'load')
# clusterloader2 never sets the suite's 'tests' attribute (always 0): its testcases are counted.
cl2_cases = list(ET.parse(os.path.join(cl2, 'junit.xml')).getroot().iter('testcase'))
cl2_failed = [case.get('name') for case in cl2_cases if case.find('failure') is not None or case.find('error') is not None]
tests = len(cl2_cases)
assert tests > 0 and not cl2_failed, 'clusterloader2 junit: %d testcases, failed: %r' % (tests, cl2_failed[:10])
def measurement(name):
    files = glob.glob(os.path.join(cl2, name + '_*.json'))
    assert files, 'no %s result file in %s' % (name, cl2)
    return json.load(open(files[0]))
# What the master serves for TestMetrics: etcd's metrics listener, the scheduler's and the
# controller-manager's /metrics through the API server's proxy.
assert measurement('EtcdMetrics').get('backendCommitDuration'), 'EtcdMetrics without etcd data'
assert (measurement('SchedulingMetrics').get('schedulingLatency') or {}).get('Perc99', 0) > 0, 'SchedulingMetrics without latency'
e2e_metrics = measurement('MetricsForE2E')
for component in ('APIServerMetrics', 'ControllerManagerMetrics', 'SchedulerMetrics'):
    assert e2e_metrics.get(component), 'MetricsForE2E without %s' % component
e2e = os.path.join(run_dir, 'e2e')
status = json.load(open(os.path.join(e2e, 'status.json')))
assert status['status'] == 'ok', 'e2e.test: %r' % status
junit = ET.parse(os.path.join(e2e, 'junit_01.xml')).getroot()
# Specs only: the setup and teardown nodes ([SynchronizedBeforeSuite], one per ginkgo process...)
# are testcases too.
cases = [case for case in junit.iter('testcase') if case.find('skipped') is None and case.get('name', '').startswith('[It] ')]
failed = [case.get('name') for case in cases if case.find('failure') is not None or case.find('error') is not None]
assert cases and not failed, 'e2e.test: %d run, failed: %r' % (len(cases), failed)
report = json.load(open(os.path.join(run_dir, 'report.json')))
print('clusterloader2 load: %d testcases, none failed, TestMetrics with data; e2e.test: %d passed; report verdict %s' % (
    tests, len(cases), report['verdict']))
EOF
  then
    pass "$(cat "$log_dir/suite.check")"
  else
    fail "clusterloader2 and e2e.test results in ${report_dir:-no run}" "$log_dir/suite.check"
  fi

  # 4. idempotence of the whole path, then check mode on the converged cluster: every role, perf
  # included (which checks its inputs and measures nothing), passes and would change nothing.
  expect_unchanged "second site.yml run (without perf)" site-again --skip-tags perf
  expect_unchanged "site.yml --check --diff on the converged cluster" site-check --check --diff
fi

# 5. teardown
if [ "$made_cluster" = true ]; then
  start=$(date +%s)
  if KUBEMARK_PLAYBOOK=playbooks/teardown.yml bash hack/run-local.sh >"$log_dir/teardown.log" 2>&1; then
    # Only this inventory's machines and registry: molecule scenarios may run their own.
    left=$(( $(ip netns list | grep -c -E '^kubemark-kubemark-(master|hollow-1)( |$)') +
      $(pgrep -fc 'registry-10\.199\.0\.1-5000\.yml') ))
    # The image storage is shared by every registry instance of the host: it goes with the last.
    if ! compgen -G '/run/kubemark/registry-*.pid' >/dev/null && [ -e /var/lib/kubemark/registry ]; then
      left=$((left + 1))
    fi
    [ ! -e /etc/kubemark ] || [ -n "$(ls -A /etc/kubemark)" ] || left=$((left + 1))
    if [ "$left" -eq 0 ] && [ ! -e /var/lib/kubemark/machines/machines ]; then
      pass "make teardown in $(( $(date +%s) - start )) s: no machine, namespace, registry or empty /etc/kubemark left"
    else
      { ip netns list; pgrep -fa 'registry-10\.199\.0\.1-5000\.yml'; ls -d /var/lib/kubemark/registry /etc/kubemark; } >"$log_dir/left.txt" 2>&1
      fail "make teardown left $left things behind" "$log_dir/left.txt"
    fi
  else
    fail "make teardown" "$log_dir/teardown.log"
  fi
fi

rm -rf "$(dirname "$perf_tests_repo")"
printf 'e2e local: %d passed, %d failed (logs in %s)\n' "$passed" "$failed" "$log_dir"
[ "$failed" -eq 0 ]
