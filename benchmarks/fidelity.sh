#!/usr/bin/env bash
# The same density test at the same size on kubemark's hollow nodes and on kwok's nodes, against
# one master (inventories/local: the master and one hollow host, as `make local`):
#   1. N hollow kubelets (systemd units on the hollow host), the perf suite's density test
#      (run fidelity-kubemark-N-<time>);
#   2. the hollow nodes removed, N kwok nodes (a kwok controller on the same host), the same test
#      (run fidelity-kwok-N-<time>), whose report sets the first run beside it (perf_compare_runs):
#      pod startup and API call percentiles, API server requests per node and minute by verb and
#      resource, kube-apiserver's and etcd's CPU and memory, watches and stored objects.
# Prints the seconds of each step and the comparison (the "Backends side by side" section of the
# kwok run's report.md); docs/fidelity.md explains each difference.
# Machines, registry, images and master are made when the cluster does not answer, and torn down at
# the end unless KEEP=1. clusterloader2 and e2e.test do not run (the comparison is the density test's).
# Usage: bash benchmarks/fidelity.sh [N]   (as root; default N = 100)
# shellcheck source=benchmarks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n=${1:-100}
inventory=inventories/local
kubeconfig=$HOME/.local/share/kubemark/kubemark/admin.kubeconfig
kubectl=("$KUBEMARK_CACHE_DIR/kubernetes/$(bench_default_version)/bin/kubectl" --kubeconfig "$kubeconfig")
stamp=$(date -u +%Y%m%dT%H%M%SZ)
kubemark_run=fidelity-kubemark-$n-$stamp
kwok_run=fidelity-kwok-$n-$stamp
suite=(-e kubemark_clusterloader2=false -e kubemark_e2e_test=false -e perf_fail_on_slo=false)

if ! "${kubectl[@]}" get --raw /readyz >/dev/null 2>&1; then
  echo "machines, registry, images and master: $(bench_run create playbooks/site.yml --skip-tags=hollow_nodes,perf)s"
fi

echo "N=$n hollow kubelets Ready: $(bench_run kubemark-up playbooks/scale.yml -e kubemark_hollow_nodes_mode=systemd \
  -e "kubemark_hollow_node_count=$n")s"
echo "density test on them: $(bench_run kubemark-perf playbooks/perf.yml "${suite[@]}" -e "perf_run_id=$kubemark_run")s"
echo "hollow kubelets removed: $(bench_run kubemark-down playbooks/hollow_nodes_teardown.yml -e kubemark_hollow_nodes_mode=systemd)s"

# site.yml rather than scale.yml: the image stage builds the kwok controller in kwok mode.
echo "N=$n kwok nodes Ready (kwok built when not cached): $(bench_run kwok-up playbooks/site.yml --skip-tags=perf \
  -e kubemark_hollow_nodes_mode=kwok -e "kubemark_hollow_node_count=$n")s"
echo "density test on them: $(bench_run kwok-perf playbooks/perf.yml "${suite[@]}" -e "perf_run_id=$kwok_run" \
  -e "{\"perf_compare_runs\": [\"$kubemark_run\"]}")s"
report=$(grep -Eo "Report: [^\"',]+report\.md" "$bench_log_dir/kwok-perf" | tail -1 | cut -d' ' -f2)
echo "report: $report"
sed -n '/^## Backends side by side/,$p' "$report" | sed '/^## Profiles/,$d'

echo "kwok nodes removed: $(bench_run kwok-down playbooks/hollow_nodes_teardown.yml -e kubemark_hollow_nodes_mode=kwok)s"
if [ "${KEEP:-0}" != 1 ]; then
  bench_run destroy playbooks/teardown.yml >/dev/null
fi
