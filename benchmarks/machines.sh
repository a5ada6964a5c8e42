#!/usr/bin/env bash
# Machine-container figures: seconds to create 3 machine containers (root file system cached) until SSH
# answers on all of them, changed count of a second run, seconds to destroy them.
# Usage: bash benchmarks/machines.sh   (as root; prints one line per figure)
set -euo pipefail
export KUBEMARK_REQUIREMENTS=requirements.txt
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/../hack/bootstrap.sh"
cd "$KUBEMARK_REPO"
inventory=benchmarks/machines/inventory
log=$(mktemp -d)/machines

run() {  # run PLAYBOOK LOGNAME: prints elapsed seconds; the recap goes to $log.LOGNAME
  local start end
  start=$(date +%s.%N)
  ansible-playbook -i "$inventory" "$1" >"$log.$2" 2>&1 || { cat "$log.$2" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
changed_total() { grep -Eo 'changed=[0-9]+' "$1" | cut -d= -f2 | paste -sd+ | bc; }

# Start from nothing, but with the root file system in the cache (a cold debootstrap is not
# part of this figure: it is printed separately when it happens).
run playbooks/teardown.yml clean >/dev/null
warm=$(run playbooks/machines.yml warmup)
run playbooks/teardown.yml clean2 >/dev/null
echo "first run (root file system cache filled if it was empty): ${warm}s"

create=$(run playbooks/machines.yml create)
echo "create 3 machines until SSH answers on all: ${create}s"
again=$(run playbooks/machines.yml again)
echo "second run: ${again}s, changed=$(changed_total "$log.again")"
destroy=$(run playbooks/teardown.yml destroy)
echo "destroy 3 machines: ${destroy}s"
