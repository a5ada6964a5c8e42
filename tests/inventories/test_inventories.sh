#!/usr/bin/env bash
# Keeps the sample inventories from rotting, and holds the first play's input checks to their
# word. For every inventory: ansible-inventory --list succeeds and has the kubemark groups, and
# site.yml passes --syntax-check. For every cloud inventory: playbooks/preflight.yml refuses it,
# naming a placeholder variable; it holds nothing that looks like a secret; and, combined with the
# local machine containers (the cloud's group_vars with the placeholders filled in by local
# values), the settings pass the first play, every role variable renders and is accepted by its
# role (tests/inventories/render.yml), and when the local machines answer over SSH, site.yml
# --check --tags preflight passes against them. The same for inventories/local and for
# tests/inventories/minimal, an inventory of a few lines written from scratch (hosts, groups, the
# version and the addresses). Bad settings (a count of -3, ten or 0, a version 1.31 or v1.99.0, a
# CRI-O version 1.34, a loopback registry) are refused by the first play of site.yml, naming the
# kubemark_* setting, before any other play runs.
#
#   bash tests/inventories/test_inventories.sh            (from anywhere; needs root like hack/)
#   KUBEMARK_INVENTORY_TEST_MACHINES=require ...           fail instead of skip without machines
#   KUBEMARK_INVENTORY_TEST_MACHINES=skip ...              never touch the machines
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if ! command -v ansible-playbook >/dev/null 2>&1 || [ -z "${VIRTUAL_ENV:-}" ]; then
  # shellcheck source-path=SCRIPTDIR/../.. source=hack/bootstrap.sh
  source "$repo/hack/bootstrap.sh" || exit 2
fi
cd "$repo" || exit 2

clouds=(aliyun gce aws pre-existing)
required_groups=(kubemark_master kubemark_hollow_hosts)
machines_mode=${KUBEMARK_INVENTORY_TEST_MACHINES:-auto}
work=$(mktemp -d)
# The cloud inventories run clusterloader2 (the settings' default), whose repository the first
# play asks for its commit: these machines cannot reach GitHub, so the checks against the local
# machines use a writable copy of the perf-tests mirror (KUBEMARK_PERF_TESTS_MIRROR, which
# hack/test.sh finds).
perf_tests_repo=""
if [ -n "${KUBEMARK_PERF_TESTS_MIRROR:-}" ] && [ -d "$KUBEMARK_PERF_TESTS_MIRROR" ]; then
  cp -r "$KUBEMARK_PERF_TESTS_MIRROR" "$work/perf-tests.git" && chmod -R u+w "$work/perf-tests.git" &&
    mkdir -p "$work/perf-tests.git/refs/heads" "$work/perf-tests.git/refs/tags" &&
    perf_tests_repo=file://$work/perf-tests.git
fi
export KUBEMARK_TEST_PERF_TESTS_REPO=$perf_tests_repo
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
skipped=0
failures=()

pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() {
  failed=$((failed + 1)); failures+=("$1"); printf 'FAIL %s\n' "$1"
  if [ -n "${2:-}" ] && [ -s "$2" ]; then sed 's/^/     | /' "$2" | tail -n 40; fi
}
skip() { skipped=$((skipped + 1)); printf 'skip %s: %s\n' "$1" "$2"; }

# run NAME COMMAND...: the command must succeed.
run() {
  local name=$1 log=$work/log
  shift
  if "$@" >"$log" 2>&1; then pass "$name"; else fail "$name" "$log"; fi
}

check_inventory_lists() {
  local inventory=$1 json=$work/inventory.json group missing=()
  if ! ansible-inventory -i "$inventory" --list >"$json" 2>"$work/log"; then
    fail "$inventory: ansible-inventory --list" "$work/log"
    return
  fi
  for group in "${required_groups[@]}"; do
    python3 -c 'import json, sys; sys.exit(0 if sys.argv[2] in json.load(open(sys.argv[1])) else 1)' \
      "$json" "$group" || missing+=("$group")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    pass "$inventory: ansible-inventory --list has ${required_groups[*]}"
  else
    echo "groups missing: ${missing[*]}" >"$work/log"
    fail "$inventory: ansible-inventory --list has ${required_groups[*]}" "$work/log"
  fi
}

check_placeholders_refused() {
  local inventory=$1 log=$work/log
  if ansible-playbook -i "$inventory" playbooks/preflight.yml >"$log" 2>&1; then
    fail "$inventory: playbooks/preflight.yml refuses the placeholders (it passed)" "$log"
  elif grep -q 'Inventory placeholder(s) not filled in' "$log" &&
    grep -Eq 'kubemark_master_private_ip=REPLACE_ME_[A-Za-z0-9_]+' "$log" &&
    ! grep -q 'changed=[1-9]' "$log"; then
    pass "$inventory: playbooks/preflight.yml refuses the placeholders, naming kubemark_master_private_ip"
  else
    fail "$inventory: playbooks/preflight.yml refuses the placeholders, naming kubemark_master_private_ip" "$log"
  fi
}

check_no_secrets() {
  local inventory=$1 log=$work/log
  # Private keys, AWS access keys, Aliyun AccessKey IDs, GCP service-account keys, passwords and
  # tokens with a value that is not a placeholder or a template.
  if grep -rEn -e '-----BEGIN [A-Z ]*PRIVATE KEY' -e 'AKIA[0-9A-Z]{16}' -e 'LTAI[0-9A-Za-z]{12,}' \
    -e '"private_key_id"' -e '^[^#]*(password|passwd|secret|token)[A-Za-z_]*:[[:space:]]*[^[:space:]"{R]' \
    "$inventory" >"$log" 2>&1; then
    fail "$inventory: no secrets" "$log"
  else
    pass "$inventory: no secrets"
  fi
}

# A cloud's group_vars on the local machine containers: the hosts and their connection settings
# come from inventories/local, the cloud's settings fill in the rest, and local values replace the
# placeholders.
make_local_overlay() {
  local cloud=$1 overlay=$work/$1-on-local
  rm -rf "$overlay"
  mkdir -p "$overlay/group_vars/all"
  cp inventories/local/hosts.yml "$overlay/hosts.yml"
  cp inventories/local/group_vars/kubemark_machine_containers.yml "$overlay/group_vars/"
  cp "inventories/$cloud/group_vars/all/"*.yml "$overlay/group_vars/all/"
  python3 - "$overlay/group_vars/all/zz_local_machines.yml" <<'EOF'
import os
import sys

import yaml

local = yaml.safe_load(open("inventories/local/group_vars/all/main.yml"))
masters = yaml.safe_load(open("inventories/local/hosts.yml"))["all"]["children"]
machines = masters["kubemark_machine_containers"]["hosts"]
master = next(iter(masters["kubemark_master"]["hosts"]))
gateway = local["kubemark_control_host_private_ip"]
values = {
    "machines_state_dir": local["machines_state_dir"],
    "machines_network_cidr": local["machines_network_cidr"],
    "ansible_user": "root",
    "ansible_ssh_private_key_file": local["machines_state_dir"] + "/ssh/id_ed25519",
    "kubemark_master_private_ip": machines[master]["ansible_host"],
    "kubemark_master_public_ip": "",
    "kubemark_control_host_private_ip": gateway,
    "kubemark_push_registry": gateway + ":5000",
    "kubemark_registry": gateway + ":5000",
    "kubemark_master_etcd_disk": "/dev/vdb",
    "kubemark_physical_kubeconfig": "/nonexistent/physical.kubeconfig",
}
if os.environ.get("KUBEMARK_TEST_PERF_TESTS_REPO"):
    values["perf_clusterloader2_repo"] = os.environ["KUBEMARK_TEST_PERF_TESTS_REPO"]
with open(sys.argv[1], "w") as out:
    out.write("---\n# Local values for the placeholders of the cloud inventory (test only).\n")
    yaml.safe_dump(values, out, default_flow_style=False)
EOF
  echo "$overlay"
}

machines_answer() {
  local inventory=$1
  [ "$machines_mode" != skip ] || return 1
  ansible -i "$inventory" 'kubemark_master:kubemark_hollow_hosts' -m ansible.builtin.ping -o \
    -T 10 >"$work/ping.log" 2>&1
}

check_cloud_on_local_machines() {
  local cloud=$1 overlay
  overlay=$(make_local_overlay "$cloud")
  run "$cloud on local machines: ansible-inventory --list" ansible-inventory -i "$overlay" --list
  run "$cloud on local machines: placeholder check passes with local values" \
    ansible-playbook -i "$overlay" playbooks/preflight.yml
  run "$cloud on local machines: role variables render, are known to and accepted by the roles" \
    ansible-playbook -i "$overlay" tests/inventories/render.yml
  if machines_answer "$overlay"; then
    run "$cloud on local machines: site.yml --check --tags preflight" \
      ansible-playbook -i "$overlay" site.yml --check --tags preflight
    run "$cloud on local machines: playbooks/preflight_hosts.yml --check" \
      ansible-playbook -i "$overlay" playbooks/preflight_hosts.yml --check
  elif [ "$machines_mode" = require ]; then
    fail "$cloud on local machines: the machines answer over SSH (run make local first)" "$work/ping.log"
  else
    skip "$cloud on local machines: site.yml --check --tags preflight" \
      "the local machine containers do not answer (make local starts them)"
  fi
}

for inventory in local "${clouds[@]}"; do
  check_inventory_lists "inventories/$inventory"
  run "inventories/$inventory: site.yml --syntax-check" \
    ansible-playbook -i "inventories/$inventory" site.yml --syntax-check
done

run "inventories/local: playbooks/preflight.yml passes" ansible-playbook -i inventories/local playbooks/preflight.yml
run "inventories/local: role variables render, are accepted by the roles" \
  ansible-playbook -i inventories/local tests/inventories/render.yml
# CRI-O instead of containerd, and kwok nodes instead of hollow kubelets: the role variables they
# drive render and pass the roles' specs.
run "inventories/local with kubemark_container_runtime=crio: role variables render, are accepted by the roles" \
  ansible-playbook -i inventories/local tests/inventories/render.yml -e kubemark_container_runtime=crio
run "inventories/local with kubemark_hollow_nodes_mode=kwok: role variables render, are accepted by the roles" \
  ansible-playbook -i inventories/local tests/inventories/render.yml -e kubemark_hollow_nodes_mode=kwok
run "tests/inventories/minimal: role variables render, are accepted by the roles" \
  ansible-playbook -i tests/inventories/minimal tests/inventories/render.yml

# refused SETTINGS... -- EXPECTED: site.yml must stop in its first play, with EXPECTED in the message,
# before any other play starts (nothing changed).
refused() {
  local name=$1 expected=$2 log=$work/refused.log
  shift 2
  if ansible-playbook -i inventories/local site.yml "$@" >"$log" 2>&1; then
    fail "site.yml refuses $name (it passed)" "$log"
  elif grep -qF -- "$expected" "$log" && ! grep -q '^PLAY \[Machine containers' "$log" &&
    ! grep -q 'changed=[1-9]' "$log"; then
    pass "site.yml refuses $name in its first play, naming it"
  else
    fail "site.yml refuses $name in its first play, naming it (expected: $expected)" "$log"
  fi
}
refused "kubemark_hollow_node_count=-3" "kubemark_hollow_node_count is '-3'" -e kubemark_hollow_node_count=-3
refused "kubemark_hollow_node_count=ten" "kubemark_hollow_node_count" -e kubemark_hollow_node_count=ten
refused "kubemark_hollow_node_count=0" "kubemark_hollow_node_count is '0'" -e kubemark_hollow_node_count=0
refused "kubemark_kubernetes_version=1.31" "kubemark_kubernetes_version is '1.31'" -e kubemark_kubernetes_version=1.31
refused "kubemark_kubernetes_version=v1.99.0" "kubemark_kubernetes_version is 'v1.99.0'" -e kubemark_kubernetes_version=v1.99.0
refused "kubemark_kubernetes_version=v1.36.99 (not on the module proxy)" \
  "Change kubemark_kubernetes_version to a release the proxy serves" -e kubemark_kubernetes_version=v1.36.99
refused "kubemark_crio_version=1.34" "kubemark_crio_version ('1.34') must be a CRI-O release tag" \
  -e kubemark_container_runtime=crio -e kubemark_crio_version=1.34
refused "kubemark_registry=127.0.0.1:5000" "not the control host's loopback" -e kubemark_registry=127.0.0.1:5000
refused "kubemark_hollow_nodes_mode=kwoc" "kubemark_hollow_nodes_mode" -e kubemark_hollow_nodes_mode=kwoc
refused "an unreachable clusterloader2 repository" "perf_clusterloader2_repo file://$work/nowhere.git does not answer" \
  -e kubemark_clusterloader2=true -e "perf_clusterloader2_repo=file://$work/nowhere.git"
if [ -n "$perf_tests_repo" ]; then
  refused "a clusterloader2 version the repository does not have" \
    "perf_clusterloader2_version 'no-such-ref' is neither a commit" \
    -e kubemark_clusterloader2=true -e "perf_clusterloader2_repo=$perf_tests_repo" -e perf_clusterloader2_version=no-such-ref
else
  fail "KUBEMARK_PERF_TESTS_MIRROR names a kubernetes/perf-tests mirror (${KUBEMARK_PERF_TESTS_MIRROR:-unset})"
fi
minimal_vars=()
[ -z "$perf_tests_repo" ] || minimal_vars=(-e "perf_clusterloader2_repo=$perf_tests_repo")

if machines_answer inventories/local; then
  run "inventories/local: site.yml --check --tags preflight" \
    ansible-playbook -i inventories/local site.yml --check --tags preflight
  run "tests/inventories/minimal: site.yml --check --tags preflight" \
    ansible-playbook -i tests/inventories/minimal site.yml --check --tags preflight "${minimal_vars[@]}"
elif [ "$machines_mode" = require ]; then
  fail "inventories/local: the machines answer over SSH (run make local first)" "$work/ping.log"
else
  skip "inventories/local: site.yml --check --tags preflight" "the local machine containers do not answer (make local starts them)"
fi

for cloud in "${clouds[@]}"; do
  check_placeholders_refused "inventories/$cloud"
  check_no_secrets "inventories/$cloud"
  check_cloud_on_local_machines "$cloud"
done

echo "inventory tests: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
  exit 1
fi
