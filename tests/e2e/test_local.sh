#!/usr/bin/env bash
# The README's first command, end to end, as a user runs it: `make local` (playbooks/site.yml on
# inventories/local: machine containers, registry, images, master, hollow nodes, perf suite), then
# checks what a user would look at:
#   - every hollow node of kubemark_hollow_node_count is Ready in the kubemark cluster;
#   - the perf run's report.json is complete, without errors, with a pod-startup and API-call
#     verdict for every load level, kube-scheduler metrics scraped with certificate verification,
#     and report.md / report.html exist;
#   - a second site.yml run (every stage but perf, which is a new measurement each time) reports
#     changed=0 on every host;
#   - `make teardown` leaves no machine, no machine network namespace and no registry behind.
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
version=$(awk '/^kubemark_kubernetes_version:/ {print $2}' inventories/local/group_vars/all/main.yml)
expected_nodes=$(awk '/^kubemark_hollow_node_count:/ {print $2}' inventories/local/group_vars/all/main.yml)
results=$cache/perf/kubemark
kubectl=$cache/kubernetes/$version/bin/kubectl
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

made_cluster=true
if cluster_answers; then
  made_cluster=false
  printf 'note a local cluster already answers: it is used and kept\n'
fi
newest_run() { find "$results" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort | tail -n 1; }
last_report_before=$(newest_run)

# 1. make local
start=$(date +%s)
site_ok=true
if bash hack/run-local.sh >"$log_dir/site.log" 2>&1; then
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
  report_dir=$(newest_run)
  if [ -z "$report_dir" ] || [ "$report_dir" = "$last_report_before" ]; then
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

  # 4. idempotence of the whole path
  start=$(date +%s)
  if bash hack/run-local.sh --skip-tags perf >"$log_dir/site-again.log" 2>&1; then
    changed=$(recap_changed "$log_dir/site-again.log")
    if [ "$changed" = 0 ]; then
      pass "second site.yml run (without perf) changed=0 in $(( $(date +%s) - start )) s"
    else
      grep -B2 -A6 '^changed:' "$log_dir/site-again.log" >"$log_dir/changed.txt"
      fail "second site.yml run (without perf) changed=$changed" "$log_dir/changed.txt"
    fi
  else
    fail "second site.yml run (without perf)" "$log_dir/site-again.log"
  fi

fi

# 5. teardown
if [ "$made_cluster" = true ]; then
  start=$(date +%s)
  if KUBEMARK_PLAYBOOK=playbooks/teardown.yml bash hack/run-local.sh >"$log_dir/teardown.log" 2>&1; then
    # Only this inventory's machines and registry: molecule scenarios may run their own.
    left=$(( $(ip netns list | grep -c -E '^kubemark-kubemark-(master|hollow-1)( |$)') +
      $(pgrep -fc 'registry-10\.199\.0\.1-5000\.yml') ))
    if [ "$left" -eq 0 ] && [ ! -e /var/lib/kubemark/machines/machines ]; then
      pass "make teardown in $(( $(date +%s) - start )) s: no machine, namespace or registry left"
    else
      { ip netns list; pgrep -fa 'registry-10\.199\.0\.1-5000\.yml'; } >"$log_dir/left.txt"
      fail "make teardown left $left things behind" "$log_dir/left.txt"
    fi
  else
    fail "make teardown" "$log_dir/teardown.log"
  fi
fi

printf 'e2e local: %d passed, %d failed (logs in %s)\n' "$passed" "$failed" "$log_dir"
[ "$failed" -eq 0 ]
