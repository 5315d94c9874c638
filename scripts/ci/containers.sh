#!/usr/bin/env bash
# CI fragment: make this machine able to run the tests on a containerized engine and the compose stack.
#
#   source scripts/ci/containers.sh && containers_setup     # from .ci/run (exports the variables below)
#   scripts/ci/containers.sh                               # standalone: same steps, prints the exports
#
# Steps, each skipped when already satisfied:
#   1. apt-get install docker.io docker-compose busybox-static when docker / dockerd / docker-compose / static busybox
#      are missing (Debian's packages: Docker 20.10, compose 1.29);
#   2. start dockerd in the background when no Docker engine answers (scripts/docker/ensure-dockerd.sh);
#   3. make the images available: official ones when present or pullable, else local stand-ins built from what the
#      machine has (scripts/docker/build-images.sh), plus the project's indexer and search-api images.
# Exports: MEILI_IMAGE, NODE_IMAGE, INDEXER_IMAGE, SEARCH_API_IMAGE (what the machine uses), NPM_OFFLINE=true,
# TESTCONTAINERS_RYUK_DISABLED=true, and REQUIRE_DOCKER=1 so the tests fail instead of skipping or falling back to the
# embedded engine when the container path breaks.
# Needs root for steps 1-2 (CI runs as root); a machine where Docker already answers needs neither.

containers_log() { echo "ci/containers: $*" >&2; }

containers_install() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v docker >/dev/null 2>&1 || need+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
  if ! command -v busybox >/dev/null 2>&1 || ldd "$(command -v busybox)" >/dev/null 2>&1; then
    need+=(busybox-static)
  fi
  [ ${#need[@]} -eq 0 ] && return 0
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  containers_log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt (unattended upgrades, a parallel setup step) may hold the lock: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

containers_setup() {
  local root t0
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  t0=$(date +%s)
  containers_install || { containers_log "could not install the container tools"; return 1; }
  "$root/scripts/docker/ensure-dockerd.sh" || { containers_log "no Docker engine"; return 1; }
  "$root/scripts/docker/build-images.sh" || { containers_log "image build failed"; return 1; }

  local choice="$root/.data/docker-build/images.env" line
  while IFS= read -r line; do
    case $line in
      MEILI_IMAGE=* | NODE_IMAGE=* | INDEXER_IMAGE=* | SEARCH_API_IMAGE=*) export "${line?}" ;;
    esac
  done < "$choice"
  export NPM_OFFLINE=true TESTCONTAINERS_RYUK_DISABLED=true REQUIRE_DOCKER=1
  containers_log "ready in $(($(date +%s) - t0)) s: MEILI_IMAGE=$MEILI_IMAGE NODE_IMAGE=$NODE_IMAGE"
}

# Executed rather than sourced: run the steps and print what a caller should export.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  containers_setup
  for v in MEILI_IMAGE NODE_IMAGE INDEXER_IMAGE SEARCH_API_IMAGE NPM_OFFLINE TESTCONTAINERS_RYUK_DISABLED REQUIRE_DOCKER; do
    echo "export $v=${!v}"
  done
fi
