#!/usr/bin/env bash
# The whole test suite: ansible-lint (production profile), the collection tarball (build, offline
# install, ansible-doc), ansible-test sanity, unit tests (pytest); then the artifacts every later
# stage shares, built once (the default version's binaries, images, e2e.test, kwok and CRI-O);
# then two lanes at the same time, each on machines and networks of its own:
#   lane 1: integration (the perf suite on a cluster of processes), inventories, e2e (the README's
#           first command with clusterloader2 and e2e.test), the molecule scenario image_sources;
#   lane 2: the other molecule scenarios, one after the other.
# Installs what it needs. Stages can be chosen:
#   hack/test.sh lint build sanity units artifacts integration inventories e2e molecule molecule:kwok lanes
# (default: lint build sanity units lanes; lanes builds the artifacts first). Each stage's output is printed whole when it
# ends, so the two lanes never interleave.
set -uo pipefail
export KUBEMARK_REQUIREMENTS=requirements-test.txt
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" || exit 2
cd "$KUBEMARK_REPO" || exit 2
# bootstrap.sh stops at the first error; here a failed stage is recorded and the next one runs.
set +e

stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=(lint build sanity units lanes)

# ansible-test and pytest need the collection at .../ansible_collections/kubemark/kubemark: copy
# the files git knows (tracked and new, not ignored) into a scratch tree outside the checkout.
# One scratch tree per checkout, so two checkouts can test at the same time.
KUBEMARK_TEST_ROOT=${KUBEMARK_TEST_ROOT:-$KUBEMARK_CACHE_DIR/test-tree-$(printf '%s' "$KUBEMARK_REPO" | sha256sum | cut -c1-8)}
collection_copy() {
  local dest=$KUBEMARK_TEST_ROOT/ansible_collections/kubemark/kubemark
  rm -rf "$KUBEMARK_TEST_ROOT"
  mkdir -p "$dest"
  git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' \
    | tar --null -T - -cf - | tar -xf - -C "$dest"
  echo "$dest"
}

stage_lint() {
  ansible-lint --version | head -1
  ansible-lint
}

stage_build() {
  # The tarball users install elsewhere: it builds, installs offline into an empty collections
  # path beside its dependency collections (those of the ansible package, which is where
  # requirements.yml points users without Galaxy), shows the documentation of every module, and
  # one role's argument spec refuses a bad setting by name.
  local out rc=0 module deps
  out=$(mktemp -d)
  deps=$(python -c 'import ansible_collections, os; print(os.path.dirname(ansible_collections.__path__[0]))')
  if ! { ansible-galaxy collection build --output-path "$out" . >/dev/null &&
    ANSIBLE_COLLECTIONS_PATH=$out/collections:$deps ansible-galaxy collection install --offline \
      -p "$out/collections" "$out"/kubemark-kubemark-*.tar.gz >"$out/install.log" 2>&1 &&
    [ -f "$out/collections/ansible_collections/kubemark/kubemark/MANIFEST.json" ]; }; then
    cat "$out/install.log" 2>/dev/null
    rm -rf "$out"
    return 1
  fi
  for module in plugins/modules/*.py; do
    module=$(basename "$module" .py)
    if ! (cd "$out" && ANSIBLE_COLLECTIONS_PATH=$out/collections:$deps ANSIBLE_NOCOLOR=1 ansible-doc -t module "kubemark.kubemark.$module" \
      | grep -q "^> MODULE kubemark.kubemark.$module"); then
      echo "ansible-doc kubemark.kubemark.$module fails from the installed tarball"
      rc=1
    fi
  done
  mkdir -p "$out/play"
  printf '%s\n' '- name: The installed collection checks a setting by name' '  hosts: localhost' \
    '  connection: local' '  gather_facts: false' '  tasks:' '    - name: Validate the settings' \
    '      ansible.builtin.include_role:' '        name: kubemark.kubemark.kubemark' '        tasks_from: validate' \
    >"$out/play/validate.yml"
  if (cd "$out/play" && ANSIBLE_COLLECTIONS_PATH=$out/collections:$deps ansible-playbook -i localhost, validate.yml \
    -e kubemark_hollow_node_count=ten >"$out/validate.log" 2>&1); then
    echo "the installed collection accepted kubemark_hollow_node_count=ten"
    rc=1
  elif ! grep -q "kubemark_hollow_node_count" "$out/validate.log"; then
    echo "the installed collection refused kubemark_hollow_node_count=ten without naming it:"
    tail -n 20 "$out/validate.log"
    rc=1
  fi
  [ "$rc" -ne 0 ] || ls -l "$out"/kubemark-kubemark-*.tar.gz
  rm -rf "$out"
  return $rc
}

stage_sanity() {
  local dest pip_version
  dest=$(collection_copy)
  # ansible-test bootstraps pip in each of its venvs with a script it downloads from a host these
  # machines cannot reach; hack/get_pip_offline.py does the same from PyPI (see its header).
  pip_version=$(python -c 'import ansible_test._internal.python_requirements as r, inspect, re; \
print(re.search(r"pip=.([0-9.]+).", inspect.getsource(r)).group(1))')
  mkdir -p "$HOME/.ansible/test/cache"
  cp hack/get_pip_offline.py "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
  (cd "$dest" && git init -q && git add -A && ansible-test sanity --venv --requirements --python 3.11 --color no)
}

stage_units() {
  local dest
  dest=$(collection_copy)
  # Like ansible-test units: controller-side tests (filters) run in a process of their own,
  # because importing controller code switches module_utils (warnings, for instance) to
  # controller behaviour for every module test that runs after it in the same process.
  # pytest exits 5 when it collected nothing: that is a failure here, never a pass.
  (cd "$dest" && PYTHONPATH=$KUBEMARK_TEST_ROOT python -m pytest tests/unit/plugins/modules \
    tests/unit/plugins/module_utils tests/unit/roles -p no:cacheprovider --import-mode=importlib -q) &&
    (cd "$dest" && PYTHONPATH=$KUBEMARK_TEST_ROOT python -m pytest tests/unit/plugins/filter \
      -p no:cacheprovider --import-mode=importlib -q)
}

stage_integration() {
  # The perf suite against a real cluster of processes (etcd, kube-apiserver, controller-manager,
  # scheduler, hollow kubelets) built from the Go modules of the default version, and its HTML
  # report in headless Chromium; bad clusterloader2 and e2e.test inputs stop perf.yml early.
  # Its binaries come from the artifacts stage (the image role's cache).
  local dest
  stage_artifacts || return 1
  dest=$(collection_copy)
  (cd "$dest" && PYTHONPATH=$KUBEMARK_TEST_ROOT python -m pytest tests/integration -p no:cacheprovider \
    --import-mode=importlib -q)
}

stage_inventories() {
  # Every inventory renders, site.yml passes --syntax-check with it, and the placeholder check
  # refuses each cloud sample until its REPLACE_ME values are filled.
  # With each cloud's group_vars, site.yml --check --tags preflight also runs against the local
  # machine containers: create them when they are not there, and remove them after if this stage
  # made them (a developer's running local cluster is left alone).
  # "There" means answering over SSH, not a state directory: a machine host that rebooted (or a
  # CI machine restored from a snapshot) keeps /var/lib/kubemark/machines with no machine running.
  # machines.yml brings such stale machines back; only machines this stage created from nothing
  # are removed again.
  local made_machines=false rc
  if ! ansible -i inventories/local all -m ansible.builtin.ping -T 10 >/dev/null 2>&1; then
    [ -e /var/lib/kubemark/machines/machines ] || made_machines=true
    ansible-playbook -i inventories/local playbooks/machines.yml >"$KUBEMARK_CACHE_DIR/inventories-machines.log" 2>&1 ||
      { tail -n 30 "$KUBEMARK_CACHE_DIR/inventories-machines.log"; return 1; }
  fi
  KUBEMARK_INVENTORY_TEST_MACHINES=require bash tests/inventories/test_inventories.sh
  rc=$?
  if [ "$made_machines" = true ]; then
    ansible-playbook -i inventories/local playbooks/teardown.yml >"$KUBEMARK_CACHE_DIR/inventories-teardown.log" 2>&1 ||
      { tail -n 30 "$KUBEMARK_CACHE_DIR/inventories-teardown.log"; rc=1; }
  fi
  return $rc
}

stage_e2e() {
  # The README's first command on inventories/local with clusterloader2 (from the perf-tests
  # mirror) and e2e.test, checked like a user would (Ready hollow nodes, the report with
  # clusterloader2's measurements and e2e.test's summary, a second run with changed=0), then torn
  # down.
  stage_artifacts || return 1
  bash tests/e2e/test_local.sh
}

stage_molecule() {
  molecule test --all
}

# The artifacts every other stage uses, built once per run (and cached by their inputs across
# runs): the default version's binaries and images (control plane included) with e2e.test, kwok
# and CRI-O. Stages that need them call this too; a second call in a run returns at once.
stage_artifacts() {
  [ ! -e "$results_dir/artifacts.done" ] || return 0
  local log=$KUBEMARK_CACHE_DIR/ci-artifacts.log
  ansible-playbook playbooks/image.yml -e '{"image_push": false, "image_mirror_control_plane_images": true,
    "image_build_node_binaries": true, "image_build_e2e_test": true,
    "image_kwok_version": "{{ kubemark_kwok_version }}", "image_crio_version": "{{ kubemark_crio_version }}"}' \
    >"$log" 2>&1 || { tail -n 40 "$log"; return 1; }
  grep -A1 '^PLAY RECAP' "$log" | tail -n 1
  touch "$results_dir/artifacts.done"
}

# The kubernetes/perf-tests mirror for clusterloader2 (these machines cannot reach GitHub): set
# KUBEMARK_PERF_TESTS_MIRROR, or keep the project's shared folder beside the checkout.
if [ -z "${KUBEMARK_PERF_TESTS_MIRROR:-}" ]; then
  for candidate in "$KUBEMARK_REPO/../shared/mirrors/perf-tests.git" "$KUBEMARK_REPO/../../shared/mirrors/perf-tests.git" \
    /work/shared/mirrors/perf-tests.git; do
    if [ -d "$candidate" ]; then
      KUBEMARK_PERF_TESTS_MIRROR=$(cd "$candidate" && pwd)
      break
    fi
  done
fi
export KUBEMARK_PERF_TESTS_MIRROR=${KUBEMARK_PERF_TESTS_MIRROR:-}

# Two lanes of about the same length. The scenarios of lane 2 run one at a time: image and default
# share molecule/shared's network and machines. image_sources shares nothing with any of them (the
# control host only, its own caches, registry and ports) and its cold git build is long: lane 1.
lane1=(integration inventories e2e molecule:image_sources)
lane2=(molecule:master molecule:hollow_nodes molecule:kwok molecule:crio molecule:image molecule:default)

results_dir=$(mktemp -d)
trap 'rm -rf "$results_dir"' EXIT

# Run one stage with its output in a file, then print it whole (under a lock: lanes print one
# stage at a time) with its time, and record the result.
run_stage() {
  local stage=$1 start rc out
  out=$results_dir/${stage//[:\/]/_}.log
  start=$(date +%s)
  # A subshell: an unset variable or an exit in a stage ends that stage, not the suite.
  case "$stage" in
    molecule:*) (molecule test -s "${stage#molecule:}") >"$out" 2>&1 ;;
    *) ("stage_$stage") >"$out" 2>&1 ;;
  esac
  rc=$?
  {
    flock 9
    kubemark_log "stage: $stage"
    if [ "$rc" -eq 0 ]; then
      tail -n 30 "$out"
      kubemark_log "stage $stage passed in $(( $(date +%s) - start ))s"
      echo "$stage" >>"$results_dir/passed"
    else
      # The first failures with what follows them (a molecule log runs to thousands of lines and
      # its tail is the destroy step), then the end of the log.
      # (A scenario's first destroy meets machines that are not there: those are not failures.)
      # ansible-test says ERROR:, pytest E, the e2e script FAIL.
      grep -a -n -A 40 -m 3 -P 'FAILED! =>|\[ERROR\]: Task failed: (?!Data could not be sent)|^E   |^ERROR: |^FAIL ' "$out" | head -n 150
      echo '...'
      # Those may be failures a test provokes and rescues: the one that ended a playbook is the
      # last before the first recap with failed hosts.
      recap=$(grep -a -n -m 1 -E 'unreachable=[0-9]+ +failed=[1-9]' "$out" | cut -d: -f1)
      if [ -n "$recap" ]; then
        fatal=$(head -n "$recap" "$out" | grep -a -n -E 'FAILED! =>|\[ERROR\]: Task failed' | tail -n 1 | cut -d: -f1)
        if [ -n "$fatal" ]; then
          echo "... the failure that ended a playbook (line $fatal):"
          sed -n "$((fatal > 30 ? fatal - 30 : 1)),$((fatal + 30))p" "$out"
          echo '...'
        fi
      fi
      tail -n 80 "$out"
      kubemark_log "stage $stage FAILED after $(( $(date +%s) - start ))s"
      echo "$stage" >>"$results_dir/failed"
    fi
  } 9>"$results_dir/print.lock"
  return "$rc"
}

run_lane() {
  local stage
  for stage in "$@"; do
    run_stage "$stage"
  done
}

stage_lanes_run() {
  # Both lanes use the artifacts: build them first, once.
  if ! run_stage artifacts; then
    kubemark_log "the lanes did not start: they need the artifacts"
    printf '%s\n' "${lane1[@]}" "${lane2[@]}" >>"$results_dir/failed"
    return 1
  fi
  run_lane "${lane1[@]}" &
  local lane1_pid=$!
  run_lane "${lane2[@]}" &
  local lane2_pid=$!
  wait "$lane1_pid"
  wait "$lane2_pid"
}

suite_start=$(date +%s)
for stage in "${stages[@]}"; do
  if [ "$stage" = lanes ]; then
    stage_lanes_run
  else
    run_stage "$stage"
  fi
done
touch "$results_dir/passed" "$results_dir/failed"
passed=$(wc -l <"$results_dir/passed")
failed=$(wc -l <"$results_dir/failed")
[ "$failed" -eq 0 ] || kubemark_log "failed stages: $(tr '\n' ' ' <"$results_dir/failed")"
echo "test stages: $passed passed, $failed failed, in $(( $(date +%s) - suite_start ))s"
[ "$failed" -eq 0 ]
