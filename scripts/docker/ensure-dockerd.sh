#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, starting one in the background when none does.
# Idempotent: when `docker info` already answers (a system service, Docker Desktop, a CI runner), it does nothing.
# Exit status: 0 when an engine answers at the end, 1 otherwise (the caller decides whether that is fatal).
#
# Why not `systemctl start docker`: CI machines and dev containers here run without systemd as PID 1, so the
# package's unit never starts; running dockerd directly is what works everywhere we run.
set -uo pipefail

LOG=${DOCKERD_LOG:-/var/log/dockerd.log}
WAIT_S=${DOCKERD_WAIT_S:-60}

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

if engine_answers; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-dockerd: no Docker engine answers and dockerd is not installed (apt-get install -y docker.io)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-dockerd: no Docker engine answers; starting dockerd needs root" >&2
  exit 1
fi

# A previous dockerd that died leaves its pid file behind and the new one refuses to start; only remove it when the
# process it names is gone, so a live daemon that is merely slow to answer is never disturbed.
for pidfile in /var/run/docker.pid /run/docker.pid; do
  if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; then
    rm -f "$pidfile"
  fi
done

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-dockerd: starting dockerd in the background (log: $LOG)" >&2
  mkdir -p "$(dirname "$LOG")"
  # setsid detaches it from this shell's process group, so it outlives the CI step / terminal that started it.
  setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
fi

for _ in $(seq 1 "$WAIT_S"); do
  if engine_answers; then
    echo "ensure-dockerd: Docker engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))" >&2
    exit 0
  fi
  sleep 1
done

echo "ensure-dockerd: dockerd did not answer within ${WAIT_S}s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 2>/dev/null || true
exit 1
