#!/usr/bin/env bash
# kwok figures on the molecule/kwok inventory (one machine: the master, which is also the hollow
# host running the kwok controller; its own network 10.193.0.0/24):
#   - for each N: seconds of playbooks/scale.yml to N kwok nodes, and seconds from the play's start
#     until N kwok nodes are Ready (counted from a watch of the nodes);
#   - PODS pods of one Deployment on the kwok nodes: seconds until all are available (Running and
#     Ready: the Deployment's status, read every second), then the Deployment is deleted;
#   - BOUND_PODS bare pods whose .spec.nodeName is already set (kwok's own pod benchmark: no
#     ReplicaSet controller, no scheduler): seconds to create them and until all are Running
#     (kwok_bound_pods.py), then they are deleted;
#   - kube-apiserver's and etcd's CPU (over 30 s) and resident memory on the master after each step.
# Machines, registry, images, kwok and master are created when the cluster does not answer, and
# removed at the end unless KEEP=1.
# Usage: bash benchmarks/kwok.sh [N...]   (as root; default N = 1000 5000; PODS=10000, 0 to skip;
#   BOUND_PODS=0, 10000 to measure bound pods too;
#   KUBEMARK_BENCH_EXTRA: extra ansible-playbook arguments of every run, the master's creation
#   included, e.g. '-e {"master_components_kube_api_qps":1000}')
# shellcheck source=benchmarks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
counts=("$@")
[ "${#counts[@]}" -gt 0 ] || counts=(1000 5000)
pods=${PODS:-10000}
bound_pods=${BOUND_PODS:-0}
# shellcheck disable=SC2206 # KUBEMARK_BENCH_EXTRA is a list of arguments on purpose
bench_args=(${KUBEMARK_BENCH_EXTRA:-})
inventory=molecule/kwok/inventory
machines_dir=/var/lib/kubemark/molecule-kwok/machines
master=10.193.0.10
kubeconfig=/var/lib/kubemark/molecule-kwok/cluster/admin.kubeconfig
ssh_opts=(-o "UserKnownHostsFile=$machines_dir/ssh/known_hosts" -i "$machines_dir/ssh/id_ed25519")
kubectl=("$KUBEMARK_CACHE_DIR/kubernetes/$(bench_default_version)/bin/kubectl" --kubeconfig "$kubeconfig")
# seconds_until_ready START TARGET: seconds from START until TARGET kwok nodes are Ready, counted
# from a watch (a list every second would load the API server with megabytes of nodes and skew
# what is measured).
seconds_until_ready() {
  local start=$1 target=$2 fifo watch errors=$bench_log_dir/watch-$2.err
  fifo=$(mktemp -u) && mkfifo "$fifo"
  # A new Node has no conditions yet: jsonpath prints the missing one as empty. A watch can end by
  # itself (one begun on an empty list did, about 10 s in, without an error): it is started again
  # (its first list repeats the nodes seen so far, which awk counts once) until awk has TARGET.
  while [ ! -e "$fifo.done" ]; do
    "${kubectl[@]}" get nodes -l hollow-nodes.kubemark.io/backend=kwok --watch \
      -o 'jsonpath={.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}' 2>>"$errors"
    sleep 0.2
  done >"$fifo" &
  watch=$!
  awk -v target="$target" '$2 == "True" && !($1 in ready) {ready[$1] = 1; if (++count >= target) exit}' <"$fifo"
  echo "$(date +%s.%N) - $start" | bc
  touch "$fifo.done"  # the loop ends with its watch, which would otherwise wait for its next event
  pkill -P "$watch" 2>/dev/null || true
  wait "$watch" 2>/dev/null || true
  rm -f "$fifo" "$fifo.done"
}
# seconds_until_available START TARGET: seconds from START until the Deployment bench-kwok has
# TARGET available replicas (one small GET a second).
seconds_until_available() {
  local start=$1 target=$2
  until [ "$("${kubectl[@]}" get deployment -n default bench-kwok -o 'jsonpath={.status.availableReplicas}' 2>/dev/null || echo 0)" \
    -ge "$target" ] 2>/dev/null; do sleep 1; done
  echo "$(date +%s.%N) - $start" | bc
}
if ! "${kubectl[@]}" get --raw /readyz >/dev/null 2>&1; then
  echo "creating machine, registry, images and master: $(bench_run create molecule/kwok/create.yml)s"
fi

for n in "${counts[@]}"; do
  start=$(date +%s.%N)
  seconds_until_ready "$start" "$n" >"$bench_log_dir/ready-$n" &
  watcher=$!
  # A failed play ends the script: the watcher goes with it.
  trap 'pkill -P "$watcher" 2>/dev/null; kill "$watcher" 2>/dev/null' EXIT
  seconds=$(bench_run "up-$n" playbooks/scale.yml -e "kubemark_hollow_node_count=$n")
  wait "$watcher"
  echo "N=$n: $n kwok nodes Ready $(cat "$bench_log_dir/ready-$n")s after the play started; play ${seconds}s;" \
    "$(control_plane_usage "$master")"
done

if [ "$pods" -gt 0 ]; then
  start=$(date +%s.%N)
  "${kubectl[@]}" apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: bench-kwok, namespace: default}
spec:
  replicas: $pods
  selector: {matchLabels: {app: bench-kwok}}
  template:
    metadata: {labels: {app: bench-kwok}}
    spec:
      nodeSelector: {hollow-nodes.kubemark.io/backend: kwok}
      containers: [{name: pause, image: registry.k8s.io/pause:3.10}]
EOF
  echo "$pods pods of one Deployment Running on ${counts[-1]} kwok nodes: $(seconds_until_available "$start" "$pods")s;" \
    "$(control_plane_usage "$master")"
  "${kubectl[@]}" delete deployment -n default bench-kwok --wait=false >/dev/null
fi

if [ "$bound_pods" -gt 0 ]; then
  echo "$(python3 "$(dirname "${BASH_SOURCE[0]}")/kwok_bound_pods.py" --kubeconfig "$kubeconfig" --count "$bound_pods");" \
    "$(control_plane_usage "$master")"
fi

again=$(bench_run again playbooks/scale.yml -e "kubemark_hollow_node_count=${counts[-1]}")
echo "idempotent re-run at N=${counts[-1]}: ${again}s, changed=$(changed_total "$bench_log_dir/again")"
echo "teardown of ${counts[-1]} kwok nodes: $(bench_run teardown playbooks/hollow_nodes_teardown.yml)s"
if [ "${KEEP:-0}" != 1 ]; then
  bench_run destroy molecule/kwok/destroy.yml >/dev/null
fi
