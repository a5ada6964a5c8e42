#!/usr/bin/env bash
# The main job on one machine: machine containers, then the whole local kubemark cluster.
set -euo pipefail
# shellcheck source=hack/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$KUBEMARK_REPO"
exec ansible-playbook "${KUBEMARK_PLAYBOOK:-playbooks/site.yml}" -i inventories/local "$@"
