#!/usr/bin/env bash
# Install what the control host needs, once: Debian packages, a Python venv (cached by the hash of
# the requirements files) and the link that lets ansible find this checkout as kubemark.kubemark.
# Sourced by hack/run-local.sh and hack/test.sh; safe to run again (it only does what is missing).
set -euo pipefail

KUBEMARK_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KUBEMARK_CACHE_DIR=${KUBEMARK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubemark}
KUBEMARK_REQUIREMENTS=${KUBEMARK_REQUIREMENTS:-requirements.txt}
export KUBEMARK_REPO KUBEMARK_CACHE_DIR

kubemark_log() { printf '\n==> %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "kubemark: run this as root: machine containers need network namespaces, loop devices and" >&2
  echo "privileged containers (sudo make ...)." >&2
  exit 2
fi

# Debian packages of the control host. containerd/runc/debootstrap run the machine containers;
# podman builds images without a daemon; docker-registry is the local image registry; git and the
# linter of shell scripts serve the tests; busybox-static gives tests a container root file system;
# gcc and libc6-dev build the static pause binary; chromium checks the perf report in the tests.
# Go itself is not a Debian package here: the role uses the go on PATH (image_go).
KUBEMARK_DEBIAN_PACKAGES=(python3-venv git containerd runc debootstrap iproute2 util-linux
  openssh-client e2fsprogs podman docker-registry shellcheck busybox-static gcc libc6-dev chromium)
missing=()
for package in "${KUBEMARK_DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  kubemark_log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The venv lives in the cache, keyed by the requirements, so a fresh clone reuses it.
requirements_hash=$(cat "$KUBEMARK_REPO"/requirements*.txt | sha256sum | cut -c1-12)
KUBEMARK_VENV=${KUBEMARK_VENV:-$KUBEMARK_CACHE_DIR/venv-$(basename "$KUBEMARK_REQUIREMENTS" .txt)-$requirements_hash}
if [ ! -x "$KUBEMARK_VENV/bin/ansible-playbook" ] || [ ! -e "$KUBEMARK_VENV/.complete" ]; then
  kubemark_log "creating the Python venv $KUBEMARK_VENV"
  rm -rf "$KUBEMARK_VENV"
  python3 -m venv "$KUBEMARK_VENV"
  "$KUBEMARK_VENV/bin/pip" install -q --upgrade pip
  "$KUBEMARK_VENV/bin/pip" install -q -r "$KUBEMARK_REPO/$KUBEMARK_REQUIREMENTS"
  touch "$KUBEMARK_VENV/.complete"
fi
export VIRTUAL_ENV=$KUBEMARK_VENV
export PATH=$KUBEMARK_VENV/bin:$PATH

# ansible.cfg points collections_path at .collections; this link makes the checkout the
# collection kubemark.kubemark without installing a copy that would go stale.
mkdir -p "$KUBEMARK_REPO/.collections/ansible_collections/kubemark"
ln -sfn ../../.. "$KUBEMARK_REPO/.collections/ansible_collections/kubemark/kubemark"
