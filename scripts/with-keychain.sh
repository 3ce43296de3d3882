#!/usr/bin/env bash
# Runs its arguments inside a private D-Bus session with gnome-keyring started and unlocked, so
# keytar (libsecret) has a working Secret Service. The keyring lives in a fresh temp dir per session
# (never the user's own login keyring): the unlock creates the "login" keyring with the test password.
#
#   bash scripts/with-keychain.sh npx vitest run tests/integration
#
# Env: TEST_KEYRING_PASSWORD (default test-keyring), TEST_KEYRING_DIR (keep the keyring there instead
# of a temp dir; must have been created with the same password). Inside such a session the script sets
# TENANT_CONSOLE_KEYCHAIN_SESSION=1, and nested calls just run the command.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ "${TENANT_CONSOLE_KEYCHAIN_SESSION:-}" = "1" ]; then
  exec "$@"
fi

for cmd in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "with-keychain: $cmd not found (install dbus and gnome-keyring: bash scripts/setup.sh)" >&2
    exit 127
  fi
done

export TEST_KEYRING_PASSWORD="${TEST_KEYRING_PASSWORD:-test-keyring}"
export TENANT_CONSOLE_KEYCHAIN_SESSION=1

# The keyring folder is made here, outside the session, so this shell can remove it whatever ends the
# run: a normal exit, Ctrl-C (INT), `kill` (TERM) or a closed terminal (HUP).
if [ -n "${TEST_KEYRING_DIR:-}" ]; then
  keyring_home="$TEST_KEYRING_DIR"; own_dir=0
else
  keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/tracardi-keyring.XXXXXX")"; own_dir=1
fi
export WITH_KEYCHAIN_HOME="$keyring_home"

# Runs inside the new session bus: start + unlock the keyring, run the command, stop the daemon.
inner='
set -uo pipefail
keyring_home="$WITH_KEYCHAIN_HOME"
stop_daemon() {
  if [ -n "${daemon_pid:-}" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
}
trap stop_daemon EXIT
trap "exit 143" TERM
trap "exit 129" HUP
mkdir -p "$keyring_home/keyrings"
chmod 700 "$keyring_home" "$keyring_home/keyrings"
# Nothing of an outer session may leak in: the daemon would hand the unlock to that session'"'"'s daemon.
unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID
# In the foreground (of a background job) so its pid is known and it is stopped with the session; a
# daemonised one outlives the session. It prints its GNOME_KEYRING_CONTROL=... line once it is ready.
# The daemon stores keyrings in $XDG_DATA_HOME/keyrings; only the daemon sees this XDG_DATA_HOME.
printf "%s" "$TEST_KEYRING_PASSWORD" |
  XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$keyring_home/daemon.env" 2>"$keyring_home/daemon.err" &
daemon_pid=$!
ready=0
for _ in $(seq 1 200); do
  if grep -q "^GNOME_KEYRING_CONTROL=" "$keyring_home/daemon.env" 2>/dev/null; then ready=1; break; fi
  kill -0 "$daemon_pid" 2>/dev/null || break
  sleep 0.05
done
if [ "$ready" != 1 ]; then
  echo "with-keychain: gnome-keyring-daemon --unlock did not start:" >&2
  cat "$keyring_home/daemon.err" >&2
  exit 1
fi
# GNOME_KEYRING_CONTROL=... lines: export them (libsecret itself talks over the session bus).
while IFS= read -r line; do
  case "$line" in GNOME_KEYRING_*=*) export "$line" ;; esac
done <"$keyring_home/daemon.env"
"$@"
'

# Ends the session's processes (children first: the command, the inner shell, the bus), found by
# walking down from our own child, so nothing this script did not start is touched.
stop_tree() {
  local pid="$1" child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do stop_tree "$child"; done
  kill -TERM "$pid" 2>/dev/null || true
}

session_pid=""
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$session_pid" ] && kill -0 "$session_pid" 2>/dev/null; then
    stop_tree "$session_pid"
    wait "$session_pid" 2>/dev/null || true
  fi
  if [ "$own_dir" = 1 ]; then rm -rf "$keyring_home"; fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

# In the background (stdin passed on explicitly) so a signal runs the trap at once; bash would
# otherwise wait for a foreground command to end before handling it.
dbus-run-session -- bash -c "$inner" with-keychain "$@" <&0 &
session_pid=$!
set +e
wait "$session_pid"
rc=$?
set -e
exit "$rc"
