# Shared by the scripts: repository root, swift on PATH, and small helpers.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
command -v swift >/dev/null 2>&1 || export PATH=/opt/swift/usr/bin:$PATH

say() { printf '==> %s\n' "$*" >&2; }

# A TCP port that nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# Waits until URL answers (any HTTP status), or fails after $2 seconds.
wait_for_http() {
  local url=$1 seconds=${2:-30}
  for _ in $(seq $((seconds * 10))); do
    curl -s -o /dev/null "$url" && return 0
    sleep 0.1
  done
  echo "no answer from $url after ${seconds}s" >&2
  return 1
}

MEIDUO=${MEIDUO_BINARY:-$ROOT/.build/debug/meiduo}
# The scripts run the binary in scratch folders, so they point it at the repository's templates and page.
# The scripts register thousands of users from 127.0.0.1; the rate limit has tests of its own.
export AUTH_RATE_LIMIT=${AUTH_RATE_LIMIT:-off}
export TEMPLATES_DIR=${TEMPLATES_DIR:-$ROOT/Resources/Views} PUBLIC_DIR=${PUBLIC_DIR:-$ROOT/Public}

# Starts `meiduo ARGS…` in the background in the current folder, logging to $1; sets SERVER_PID.
start_meiduo() {
  local log=$1; shift
  "$MEIDUO" "$@" >> "$log" 2>&1 &
  SERVER_PID=$!
}

# Waits (up to $2 seconds) until folder $1 holds at least $3 .eml files.
wait_for_mail() {
  local dir=$1 seconds=$2 count=${3:-1}
  for _ in $(seq $((seconds * 10))); do
    [ "$(mail_count "$dir")" -ge "$count" ] && return 0
    sleep 0.1
  done
  echo "expected $count mail(s) in $dir within ${seconds}s, found $(mail_count "$dir")" >&2
  return 1
}

# Waits (up to $3 seconds) until `meiduo jobs stats` counts $2 jobs in state $1.
wait_for_jobs() {
  local state=$1 count=$2 seconds=$3
  for _ in $(seq $((seconds * 5))); do
    "$MEIDUO" jobs stats 2>/dev/null | grep -Eq "^$state +$count$" && return 0
    sleep 0.2
  done
  echo "expected $count job(s) $state within ${seconds}s; jobs stats:" >&2
  "$MEIDUO" jobs stats >&2 || true
  return 1
}

# Starts scripts/smtp_test_server.py with ARGS… (saving into folder $1) and waits until it listens; sets SMTP_PID
# and SMTP_PORT. The Python is the test venv's (aiosmtpd).
start_smtp_server() {
  local dir=$1; shift
  local out
  out=$(mktemp)
  mkdir -p "$dir"
  "${MEIDUO_TEST_PYTHON:-$ROOT/.venv-test/bin/python}" "$ROOT/scripts/smtp_test_server.py" --save-dir "$dir" "$@" > "$out" &
  SMTP_PID=$!
  for _ in $(seq 100); do grep -q ready "$out" 2>/dev/null && break; sleep 0.1; done
  SMTP_PORT=$(awk '/ready/ {print $2}' "$out")
  rm -f "$out"
  [ -n "$SMTP_PORT" ] || { echo "the test SMTP server did not start" >&2; return 1; }
}

mail_count() { { find "$1" -maxdepth 1 -name '*.eml' 2>/dev/null || true; } | wc -l; }

# The verification link in the text part of the newest mail in folder $1.
link_in_newest_mail() {
  local newest
  newest=$(ls -t "$1"/*.eml | head -1)
  python3 "$ROOT/scripts/parse_mail.py" "$newest" |
    python3 -c 'import json,re,sys; print(re.search(r"https?://\S*token=[A-Za-z0-9_.-]+", json.load(sys.stdin)["text"]).group(0))'
}

# Registers user $2 (password password123) on API $1, sets the address $2@example.com, prints the session JWT.
register_and_change() {
  local base=$1 user=$2 token
  curl -sf -X POST "$base/users/" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"password123\"}" >/dev/null
  token=$(curl -sf -X POST "$base/authorizations/" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"password123\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  curl -sf -X PUT "$base/email/" -H "Authorization: JWT $token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$user@example.com\"}" >/dev/null
  echo "$token"
}

# Installs a Debian package when its command is missing (CI machines start without them).
need_command() {
  local command=$1 package=${2:-$1}
  command -v "$command" >/dev/null 2>&1 && return 0
  say "installing $package"
  if [ "$(id -u)" -ne 0 ]; then echo "$command is missing; install the Debian package $package" >&2; return 1; fi
  [ -n "$(find /var/lib/apt/lists -name '*Packages*' -newermt '-1 day' 2>/dev/null | head -1)" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  # postfix's package may start its daemon; the tests run their own servers on 127.0.0.1 only.
  if [ "$package" = postfix ]; then postfix stop >/dev/null 2>&1 || true; fi
}
