#!/usr/bin/env bash
# Hollow-node figures (services or pods mode): seconds from the playbook start to N hollow nodes Ready,
# startup p50/p99 (creation to Ready) as the role reports it, RSS and USS per hollow node (kubelet
# + proxy) on the hosts, whether the largest N stays Ready for a while, and the changed count of an
# idempotent re-run; kube-apiserver's and etcd's CPU and memory at each N.
# Two setups (KUBEMARK_BENCH_INVENTORY):
#   molecule (default)  the molecule/hollow_nodes inventory (its own network 10.195.0.0/24, two
#                       hollow hosts): machines, registry and master are created when they are not
#                       there, and removed at the end unless KEEP=1.
#   local               inventories/local (one hollow host beside the master, as `make local`):
#                       machines and master are made by site.yml without hollow nodes and perf when
#                       the cluster is not there, and torn down at the end unless KEEP=1.
# Two modes (KUBEMARK_BENCH_MODE):
#   systemd (default)   hollow nodes as units on the hollow hosts.
#   pods                hollow nodes as pods of a Deployment in the physical cluster, which is the
#                       master itself (master_schedulable: true, so the master has to be created
#                       in this mode); memory is measured on the master. Requests per container:
#                       KUBEMARK_BENCH_POD_CPU (default 5m instead of upstream's 40m + 20m, at
#                       which two cores beside the control plane schedule only about 20 pods) and
#                       KUBEMARK_BENCH_POD_MEMORY (default 100Mi, upstream's; a hollow node's own
#                       memory is about 30 MiB). KUBEMARK_BENCH_NODES_PER_POD packs that many nodes
#                       into each pod (default 1; above about 100 nodes the master's 110-pod limit
#                       needs it).
# Usage: bash benchmarks/hollow_nodes.sh [N...]   (as root; default N = 10 25; one line per figure)
# STABLE_SECONDS=600 (default 0: skipped) watches the Ready count at the largest N for that long
# (every 30 s) and prints the lowest count seen and the memory at the end.
# KUBEMARK_BENCH_EXTRA: extra ansible-playbook arguments of every run, e.g.
# '-e hollow_nodes_wait_timeout=1800' for a size that takes longer than the role's 600 s wait.
# shellcheck source=benchmarks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
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
master=${hosts[0]%.*}.10
mode_args=()
case ${KUBEMARK_BENCH_MODE:-systemd} in
  systemd) ;;
  pods)
    cpu=${KUBEMARK_BENCH_POD_CPU:-5m}
    memory=${KUBEMARK_BENCH_POD_MEMORY:-100Mi}
    per_pod=${KUBEMARK_BENCH_NODES_PER_POD:-1}
    hosts=("$master")  # the physical cluster's one node
    mode_args=(-e hollow_nodes_mode=pods -e master_schedulable=true -e "hollow_nodes_nodes_per_pod=$per_pod"
      -e "{\"hollow_nodes_kubelet_resources\": {\"requests\": {\"cpu\": \"$cpu\", \"memory\": \"$memory\"}},
           \"hollow_nodes_proxy_resources\": {\"requests\": {\"cpu\": \"$cpu\", \"memory\": \"$memory\"}}}")
    ;;
  *) echo "KUBEMARK_BENCH_MODE must be systemd or pods" >&2; exit 2 ;;
esac
kubectl=$KUBEMARK_CACHE_DIR/kubernetes/$(bench_default_version)/bin/kubectl
# shellcheck disable=SC2206 # KUBEMARK_BENCH_EXTRA is a list of arguments on purpose
bench_args=("${mode_args[@]}" ${KUBEMARK_BENCH_EXTRA:-})
mem_mib() {  # mem_mib MORPH: "RSS USS" in MiB of the hollow kubelets or proxies (--morph=MORPH) on all hosts
  # RSS counts the pages of the kubemark binary that every process maps and shares; USS (private
  # clean + dirty pages) is what one more hollow node costs.
  local rss=0 uss=0 host out
  for host in "${hosts[@]}"; do
    # shellcheck disable=SC2029,SC2016  # $1 is meant to expand here, the rest on the host
    out=$(ssh "${ssh_opts[@]}" "root@$host" 'r=0 u=0; for p in $(pgrep -x kubemark); do
        grep -q -- "--morph='"$1"'" /proc/$p/cmdline 2>/dev/null || continue
        set -- $(awk "/^Rss:/ {r=\$2} /^Private_(Clean|Dirty):/ {u+=\$2} END {print r+0, u+0}" /proc/$p/smaps_rollup 2>/dev/null || echo 0 0)
        r=$((r + $1)); u=$((u + $2)); done; echo $r $u')
    rss=$((rss + ${out% *}))
    uss=$((uss + ${out#* }))
  done
  echo "$(echo "scale=1; $rss / 1024" | bc) $(echo "scale=1; $uss / 1024" | bc)"
}
memory() {  # memory N: one line of RSS and USS, in all and per hollow node
  local kubelet proxy
  read -r -a kubelet <<<"$(mem_mib kubelet)"
  read -r -a proxy <<<"$(mem_mib proxy)"
  echo "RSS kubelet ${kubelet[0]} MiB + proxy ${proxy[0]} MiB" \
    "= $(echo "scale=1; (${kubelet[0]} + ${proxy[0]}) / $1" | bc) MiB per hollow node;" \
    "USS kubelet ${kubelet[1]} MiB + proxy ${proxy[1]} MiB" \
    "= $(echo "scale=1; (${kubelet[1]} + ${proxy[1]}) / $1" | bc) MiB per hollow node"
}

if ! "$kubectl" --kubeconfig "$kubeconfig" get --raw /readyz >/dev/null 2>&1; then
  echo "creating machines, registry and master: $(bench_run create "${create[@]}")s"
fi

for n in "${counts[@]}"; do
  seconds=$(bench_run "up-$n" playbooks/scale.yml -e "kubemark_hollow_node_count=$n" -e hollow_nodes_wait_poll=2)
  startup=$(grep -Eo 'p50 [0-9.]+ s, *p90 [0-9.]+ s, *p99 [0-9.]+ s' "$bench_log_dir/up-$n" | tail -1)
  echo "N=$n: playbook to $n Ready ${seconds}s; startup $startup; $(memory "$n")"
  echo "N=$n: $(control_plane_usage "$master")"
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
  echo "N=$n for ${STABLE_SECONDS}s: lowest Ready count $lowest of $n (polled every 30 s); after it $(memory "$n")"
fi

again=$(bench_run again playbooks/scale.yml -e "kubemark_hollow_node_count=${counts[-1]}")
echo "idempotent re-run at N=${counts[-1]}: ${again}s, changed=$(changed_total "$bench_log_dir/again")"

echo "teardown of ${counts[-1]} nodes: $(bench_run teardown playbooks/hollow_nodes_teardown.yml)s"
if [ "${KEEP:-0}" != 1 ]; then
  bench_run destroy "${destroy[@]}" >/dev/null
fi
