#!/usr/bin/env bash
# Figures of issue 5 (services mode): seconds from the playbook start to N hollow nodes Ready,
# startup p50/p99 (creation to Ready) as the role reports it, RSS per hollow node (kubelet +
# proxy) on the hosts, whether the largest N stays Ready for a while, and the changed count of an
# idempotent re-run.
# Two setups (KUBEMARK_BENCH_INVENTORY):
#   molecule (default)  the molecule/hollow_nodes inventory (its own network 10.195.0.0/24, two
#                       hollow hosts): machines, registry and master are created when they are not
#                       there, and removed at the end unless KEEP=1.
#   local               inventories/local (one hollow host beside the master, as `make local`):
#                       machines and master are made by site.yml without hollow nodes and perf when
#                       the cluster is not there, and torn down at the end unless KEEP=1.
# Usage: bash benchmarks/hollow_nodes.sh [N...]   (as root; default N = 10 25; one line per figure)
# STABLE_SECONDS=600 (default 0: skipped) watches the Ready count at the largest N for that long
# (every 30 s) and prints the lowest count seen and the RSS at the end.
set -euo pipefail
export KUBEMARK_REQUIREMENTS=requirements.txt
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/../hack/bootstrap.sh"
cd "$KUBEMARK_REPO"
log=$(mktemp -d)/hollow
counts=("$@")
[ "${#counts[@]}" -gt 0 ] || counts=(10 25)
case ${KUBEMARK_BENCH_INVENTORY:-molecule} in
  molecule)
    inventory=molecule/hollow_nodes/inventory
    machines_dir=/var/lib/kubemark/molecule-hn/machines
    hosts=(10.195.0.11 10.195.0.12)
    kubeconfig=/var/lib/kubemark/molecule-hn/cluster/admin.kubeconfig
    create=(molecule/hollow_nodes/create.yml)
    destroy=(molecule/hollow_nodes/destroy.yml)
    ;;
  local)
    inventory=inventories/local
    machines_dir=/var/lib/kubemark/machines
    hosts=(10.199.0.11)
    kubeconfig=$HOME/.local/share/kubemark/kubemark/admin.kubeconfig
    create=(playbooks/site.yml "--skip-tags=hollow_nodes,perf")
    destroy=(playbooks/teardown.yml)
    ;;
  *) echo "KUBEMARK_BENCH_INVENTORY must be molecule or local" >&2; exit 2 ;;
esac
ssh_opts=(-o "UserKnownHostsFile=$machines_dir/ssh/known_hosts" -i "$machines_dir/ssh/id_ed25519")
kubectl=$KUBEMARK_CACHE_DIR/kubernetes/v1.33.13/bin/kubectl

run() {  # run LOGNAME ANSIBLE-PLAYBOOK-ARGS...: prints elapsed seconds; output in $log.LOGNAME
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  ansible-playbook -i "$inventory" "$@" >"$log.$name" 2>&1 || { cat "$log.$name" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
changed_total() { grep -Eo 'changed=[0-9]+' "$1" | cut -d= -f2 | paste -sd+ | bc; }
rss_mib() {  # total RSS in MiB of the hollow kubelets or proxies (morph $1) on all hosts
  local total=0 host kib
  for host in "${hosts[@]}"; do
    # shellcheck disable=SC2029  # $1 is meant to expand here
    kib=$(ssh "${ssh_opts[@]}" "root@$host" "ps -C kubemark -o rss=,args= | grep -- '--morph=$1' | awk '{s+=\$1} END {print s+0}'")
    total=$((total + kib))
  done
  echo "scale=1; $total / 1024" | bc
}

if ! "$kubectl" --kubeconfig "$kubeconfig" get --raw /readyz >/dev/null 2>&1; then
  echo "creating machines, registry and master: $(run create "${create[@]}")s"
fi

for n in "${counts[@]}"; do
  seconds=$(run "up-$n" playbooks/scale.yml -e "kubemark_hollow_node_count=$n" -e hollow_nodes_wait_poll=2)
  startup=$(grep -Eo 'p50 [0-9.]+ s, *p90 [0-9.]+ s, *p99 [0-9.]+ s' "$log.up-$n" | tail -1)
  kubelet=$(rss_mib kubelet)
  proxy=$(rss_mib proxy)
  echo "N=$n: playbook to $n Ready ${seconds}s; startup $startup; RSS kubelet ${kubelet} MiB + proxy ${proxy} MiB" \
    "= $(echo "scale=1; ($kubelet + $proxy) / $n" | bc) MiB per hollow node"
done

if [ "${STABLE_SECONDS:-0}" -gt 0 ]; then
  n=${counts[-1]}
  lowest=$n
  end=$(( $(date +%s) + STABLE_SECONDS ))
  while [ "$(date +%s)" -lt "$end" ]; do
    sleep 30
    ready=$("$kubectl" --kubeconfig "$kubeconfig" get nodes -l hollow-node=true --no-headers 2>/dev/null |
      awk '$2 == "Ready"' | wc -l)
    [ "$ready" -ge "$lowest" ] || lowest=$ready
  done
  kubelet=$(rss_mib kubelet)
  proxy=$(rss_mib proxy)
  echo "N=$n for ${STABLE_SECONDS}s: lowest Ready count $lowest of $n (polled every 30 s);" \
    "RSS after it kubelet ${kubelet} MiB + proxy ${proxy} MiB"
fi

again=$(run again playbooks/scale.yml -e "kubemark_hollow_node_count=${counts[-1]}")
echo "idempotent re-run at N=${counts[-1]}: ${again}s, changed=$(changed_total "$log.again")"

echo "teardown of ${counts[-1]} nodes: $(run teardown playbooks/hollow_nodes_teardown.yml)s"
if [ "${KEEP:-0}" != 1 ]; then
  run destroy "${destroy[@]}" >/dev/null
fi
