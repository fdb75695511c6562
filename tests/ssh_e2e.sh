#!/usr/bin/env bash
# End-to-end: an SSH login pinned to a staff id by a forced command asks the password,
# shows the ledger, quits with q, and ignores the command the client asks for.
# Needs root (installs openssh-server/tmux if missing). Uses target/debug/daicho or $DAICHO_BIN.
set -euo pipefail
started=$SECONDS
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${DAICHO_BIN:-$ROOT/target/debug/daicho}
BIN=$(readlink -f "$BIN" || echo "$BIN")
fail() { echo "ssh_e2e: FAIL: $*"; [ -n "${TMP:-}" ] && tmux -L "$SOCK" capture-pane -p -t e2e 2>/dev/null | sed 's/^/  | /' || true; exit 1; }
[ -x "$BIN" ] || fail "no daicho binary at $BIN (cargo build first)"
if ! command -v sshd >/dev/null && [ ! -x /usr/sbin/sshd ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server tmux >/dev/null
fi
command -v tmux >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null; }
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
mkdir -p /run/sshd

TMP=$(mktemp -d)
chmod 700 "$TMP"
SOCK="daicho-e2e-$$-1"
SSHD_PID=""
cleanup() {
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  tmux -L "daicho-e2e-$$-1" kill-server 2>/dev/null || true
  tmux -L "daicho-e2e-$$-2" kill-server 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# Poll the tmux pane until it shows $1 (timeout $2 seconds).
wait_for() {
  local text=$1 limit=$2 t0=$SECONDS
  while (( SECONDS - t0 < limit )); do
    if tmux -L "$SOCK" capture-pane -p -t e2e 2>/dev/null | grep -qF -- "$text"; then return 0; fi
    sleep 0.1
  done
  return 1
}
# Poll until the tmux session is gone (the ssh client exited).
wait_gone() {
  local limit=$1 t0=$SECONDS
  while (( SECONDS - t0 < limit )); do
    tmux -L "$SOCK" has-session -t e2e >/dev/null 2>&1 || return 0
    sleep 0.1
  done
  return 1
}

ssh-keygen -q -t ed25519 -N '' -f "$TMP/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/client"
DB="$TMP/data/daicho.db"
mkdir -m 700 "$TMP/data"
"$BIN" demo --out "$DB" --facilities 20 >/dev/null 2>&1 || fail "daicho demo"
# The demo database has demo-admin (password admin-demo, printed by `daicho demo`);
# with --staff even a demo database asks the password. Add the reviewer k001.
printf 'admin-demo\nk001-password\n' | "$BIN" --db "$DB" --staff demo-admin user add k001 --name '審査 一郎' --role reviewer >/dev/null || fail "add k001"
"$BIN" --db "$DB" --staff k001 admin ssh-key --key "$TMP/client.pub" > "$TMP/authorized_keys" || fail "admin ssh-key"
grep -q '^restrict,pty,command="' "$TMP/authorized_keys" || fail "authorized_keys line: $(cat "$TMP/authorized_keys")"
chmod 600 "$TMP/authorized_keys"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$TMP/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $TMP/host_key
AuthorizedKeysFile $TMP/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
PidFile $TMP/sshd.pid
UsePAM no
AcceptEnv LANG LC_*
CONF
"$SSHD" -D -f "$TMP/sshd_config" -E "$TMP/sshd.log" &
SSHD_PID=$!
t0=$SECONDS
until python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null; do
  (( SECONDS - t0 < 10 )) || fail "sshd did not start: $(cat "$TMP/sshd.log")"
  sleep 0.1
done

SSH="ssh -tt -i $TMP/client -p $PORT -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o SendEnv=LANG root@127.0.0.1"

# 1. Log in: password prompt, the overview (the first screen), q quits.
tmux -L "$SOCK" new-session -d -s e2e -x 80 -y 24 "env LANG=C.UTF-8 $SSH" || fail "tmux new-session"
wait_for "k001 のパスワード" 15 || fail "no password prompt"
tmux -L "$SOCK" send-keys -t e2e 'k001-password' Enter
wait_for "更新案内" 20 || fail "overview not shown after login"
wait_for "k001" 5 || fail "header does not show k001"
tmux -L "$SOCK" send-keys -t e2e q
wait_gone 10 || fail "q did not end the session"

# 2. The client asks for another identity: the forced command wins.
# A fresh tmux server: the first one may still be shutting down.
SOCK="daicho-e2e-$$-2"
tmux -L "$SOCK" new-session -d -s e2e -x 80 -y 24 "env LANG=C.UTF-8 $SSH $BIN --staff other" || fail "tmux new-session"
wait_for "k001 のパスワード" 15 || fail "forced command not applied (prompt is not for k001)"
tmux -L "$SOCK" send-keys -t e2e 'k001-password' Enter
wait_for "更新案内" 20 || fail "overview not shown in second session"
wait_for "k001" 5 || fail "second session does not run as k001"
if tmux -L "$SOCK" capture-pane -p -t e2e | grep -q "other"; then fail "session shows staff id 'other'"; fi
tmux -L "$SOCK" send-keys -t e2e q
wait_gone 10 || fail "q did not end the second session"

echo "ssh_e2e: PASS ($((SECONDS - started)) s)"
