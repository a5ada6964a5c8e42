# shellcheck shell=bash
# What every benchmark shares: the collection's environment (hack/bootstrap.sh: the venv, the
# cache directory), the repository as working directory, a log directory, and how a playbook run
# is timed. Sourced by the scripts beside it, as root.
set -euo pipefail
export KUBEMARK_REQUIREMENTS=requirements.txt
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/../hack/bootstrap.sh"
cd "$KUBEMARK_REPO"
bench_log_dir=$(mktemp -d)
# Extra ansible-playbook arguments of every timed run (a script's mode, for example).
bench_args=()

# bench_run_status LOGNAME ANSIBLE-PLAYBOOK-ARGS...: runs ansible-playbook on $inventory with the
# script's bench_args and prints "SECONDS EXIT-CODE"; the output goes to $bench_log_dir/LOGNAME.
# For a play whose failure is itself a figure (clusterloader2's, say).
bench_run_status() {
  local name=$1 start rc=0
  shift
  start=$(date +%s.%N)
  ansible-playbook -i "${inventory:?a benchmark sets its inventory}" "${bench_args[@]}" "$@" >"$bench_log_dir/$name" 2>&1 || rc=$?
  echo "$(echo "$(date +%s.%N) - $start" | bc) $rc"
}

# bench_run LOGNAME ANSIBLE-PLAYBOOK-ARGS...: as bench_run_status, but prints the elapsed seconds
# only and ends the script when the play fails (the log's end to stderr).
bench_run() {
  local result
  result=$(bench_run_status "$@")
  [ "${result#* }" = 0 ] || { tail -n 80 "$bench_log_dir/$1" >&2; exit 1; }
  echo "${result% *}"
}

# changed_total LOGFILE: the sum of the changed counts of a play recap.
changed_total() { grep -Eo 'changed=[0-9]+' "$1" | cut -d= -f2 | paste -sd+ | bc; }

# The collection's default Kubernetes version (roles/kubemark/defaults).
bench_default_version() { sed -n 's/^kubemark_kubernetes_version: *//p' roles/kubemark/defaults/main.yml; }

# control_plane_usage MASTER [SECONDS]: kube-apiserver's and etcd's CPU (cores, averaged over
# SECONDS, default 30) and resident memory on the master MASTER, over SSH with the caller's
# ssh_opts. CPU is the processes' user + system time from /proc/<pid>/stat.
control_plane_usage() {
  # shellcheck disable=SC2016,SC2029,SC2154  # seconds is set here, the rest expands on the master; ssh_opts is the caller's
  ssh "${ssh_opts[@]}" "root@$1" "seconds=${2:-30}"'
    ticks() { awk "{print \$14 + \$15}" "/proc/$1/stat"; }
    api=$(pgrep -xo kube-apiserver); etcd=$(pgrep -xo etcd)
    [ -n "$api" ] && [ -n "$etcd" ] || { echo "kube-apiserver or etcd is not running on the master"; exit 0; }
    api_before=$(ticks "$api"); etcd_before=$(ticks "$etcd")
    sleep "$seconds"
    usage() {  # usage NAME PID TICKS-BEFORE
      awk -v name="$1" -v used="$(( $(ticks "$2") - $3 ))" -v hz="$(getconf CLK_TCK)" -v s="$seconds" \
        "/^VmRSS:/ {printf \"%s CPU %.2f cores, RSS %d MiB; \", name, used / hz / s, \$2 / 1024}" "/proc/$2/status"
    }
    usage kube-apiserver "$api" "$api_before"; usage etcd "$etcd" "$etcd_before"
    echo "(CPU over $seconds s)"'
}
