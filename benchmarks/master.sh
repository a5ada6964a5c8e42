#!/usr/bin/env bash
# Master figures: seconds from a fresh machine to /readyz ok (artifacts and images cached,
# machine and registry already up), and seconds and changed count of an idempotent re-run.
# Uses the molecule/master inventory (its own network 10.196.0.0/24) and removes it at the end.
# Usage: bash benchmarks/master.sh   (as root; prints one line per figure)
set -euo pipefail
export KUBEMARK_REQUIREMENTS=requirements.txt
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/../hack/bootstrap.sh"
cd "$KUBEMARK_REPO"
inventory=molecule/master/inventory
log=$(mktemp -d)/master
# The collection's default version (roles/kubemark/defaults).
version=$(sed -n 's/^kubemark_kubernetes_version: *//p' roles/kubemark/defaults/main.yml)
kubectl=$KUBEMARK_CACHE_DIR/kubernetes/$version/bin/kubectl
kubeconfig=/var/lib/kubemark/molecule-master/state/admin.kubeconfig

run() {  # run PLAYBOOK LOGNAME: prints elapsed seconds; the output goes to $log.LOGNAME
  local start end
  start=$(date +%s.%N)
  ansible-playbook -i "$inventory" "$1" >"$log.$2" 2>&1 || { cat "$log.$2" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
changed_total() { grep -Eo 'changed=[0-9]+' "$1" | cut -d= -f2 | paste -sd+ | bc; }

run molecule/master/destroy.yml clean >/dev/null
setup=$(run molecule/master/create.yml create)
echo "fresh machine and registry (not part of the master figure): ${setup}s"

start=$(date +%s.%N)
run playbooks/master.yml first >/dev/null
until [ "$("$kubectl" --kubeconfig "$kubeconfig" get --raw /readyz 2>/dev/null)" = ok ]; do sleep 1; done
end=$(date +%s.%N)
echo "fresh machine to /readyz ok (role run included): $(echo "$end - $start" | bc)s"

again=$(run playbooks/master.yml again)
echo "idempotent re-run: ${again}s, changed=$(changed_total "$log.again")"

run molecule/master/destroy.yml destroy >/dev/null
