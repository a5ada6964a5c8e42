#!/usr/bin/env bash
# Make a bare git repository with the layout of a kubernetes/kubernetes release tag, for tests
# that cannot reach GitHub: k8s.io/kubernetes@<version> from the Go module proxy (the module zip
# lacks the nested staging modules and vendor/), each staging module the tag's go.work uses at
# v0.Y.Z under staging/src/k8s.io/<name>, and vendor/ regenerated with "go work vendor" as
# upstream's hack/update-vendor.sh does. One commit, tagged like upstream (annotated).
# Usage: fake_kubernetes_repo.sh vX.Y.Z DEST.git   (DEST.git must not exist yet)
set -euo pipefail
version=$1
dest=$2
[ ! -e "$dest" ] || { echo "$dest exists" >&2; exit 2; }
export GOFLAGS=-mod=mod GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
staging_version=v0.${version#v1.}
work=$(mktemp -d "${dest%/*}/.fake-kubernetes.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
moddir() { go mod download -json "$1" | python3 -c 'import json, sys; m = json.load(sys.stdin); print(m["Dir"]) if "Dir" in m else sys.exit(m.get("Error", "no Dir"))'; }

tree=$work/kubernetes
cp -r "$(moddir "k8s.io/kubernetes@$version")" "$tree"
chmod -R u+w "$tree"
mkdir -p "$tree/staging/src/k8s.io"
sed -n 's#^\s*\./staging/src/k8s.io/\([a-z0-9-]*\)$#\1#p' "$tree/go.work" | while read -r dir; do
  # The proxy refuses some modules at some patch releases (HTTP 403, for example the sample-*
  # modules at v0.33.13): take the newest patch of the same minor that it serves instead, and say so.
  if ! src=$(moddir "k8s.io/$dir@$staging_version" 2>/dev/null); then
    src=
    # Counting down: the proxy refuses even the version list of some of them.
    for ((patch = ${staging_version##*.} - 1; patch >= 0; patch--)); do
      other=${staging_version%.*}.$patch
      if src=$(moddir "k8s.io/$dir@$other" 2>/dev/null); then
        echo "k8s.io/$dir: the proxy does not serve $staging_version; using $other" >&2
        break
      fi
      src=
    done
    [ -n "$src" ] || { echo "k8s.io/$dir: no ${staging_version%.*}.* version on the proxy" >&2; exit 1; }
  fi
  cp -r "$src" "$tree/staging/src/k8s.io/$dir"
done
chmod -R u+w "$tree"
(cd "$tree" && nice -n 19 go work vendor)
date=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Time"])' \
  "$(go mod download -json "k8s.io/kubernetes@$version" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Info"])')")
export GIT_AUTHOR_NAME="Kubernetes Release Robot" GIT_AUTHOR_EMAIL=k8s-release-robot@users.noreply.github.com
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date
git -C "$tree" init -q -b master
git -C "$tree" add -A
git -C "$tree" commit -q -m "Release commit for Kubernetes $version (assembled from the Go module proxy)"
git -C "$tree" tag -a -m "Kubernetes $version" "$version"
git clone -q --bare "$tree" "$work/repo.git"
mv "$work/repo.git" "$dest"
echo "$dest: $(git -C "$dest" rev-parse "$version^{commit}") tagged $version"
