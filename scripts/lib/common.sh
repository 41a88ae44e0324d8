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

# Starts `meiduo serve [ARGS…]` in folder $1 (made if missing) with the environment given, on a new port, and
# waits until it answers; sets port, base and SERVER_PID (a caller's locals, if it declared them) and adds the PID
# to the caller's pids array, which its cleanup kills.
serve_in() {
  mkdir -p "$1" && cd "$1"
  shift
  port=$(free_port)
  base="http://127.0.0.1:$port"
  start_meiduo serve.log serve --port "$port" "$@"
  pids+=("$SERVER_PID")
  wait_for_http "$base/healthz" 60
}

# Stops the server serve_in (or start_meiduo) started last.
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
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

# Registers user $2 on API $1, has the worker mail the verification to folder $3, and prints the API URL that
# verifies it (GET /emails/verification/?token=…), checked once.
verification_url() {
  local base=$1 user=$2 dir=$3 url
  local before
  before=$(mail_count "$dir")
  register_and_change "$base" "$user" >/dev/null
  wait_for_mail "$dir" 20 $((before + 1))
  url=$(link_in_newest_mail "$dir" | sed "s|^.*/success_verify_email.html?|$base/emails/verification/?|")
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || { echo "the verification link does not verify" >&2; return 1; }
  echo "$url"
}

# wrk's report in file $1 as "REQUESTS_PER_SECOND P50 P99 NON_2XX SOCKET_ERRORS" (run wrk with --latency).
wrk_summary() {
  awk '/^Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
       /Non-2xx or 3xx responses:/ { non2xx = $NF } /Socket errors/ { sockets++ }
       END { printf "%d %s %s %d %d\n", rps, p50, p99, non2xx, sockets }' "$1"
}

# Runs `wrk -t2 -c64` with the arguments given for BENCH_SECONDS (15) after a 3 s warm-up; prints wrk_summary's line.
wrk_measure() {
  local report
  report=$(mktemp)
  wrk -t2 -c64 -d3s "$@" >/dev/null
  wrk -t2 -c64 -d"${BENCH_SECONDS:-15}s" --latency "$@" > "$report"
  wrk_summary "$report"
  rm -f "$report"
}

# The messages postfix's smtp-sink has accepted so far, from its `-c` counter written to file $1 (only its end is
# read: the benchmarks poll this while measuring, on the same cores).
sink_count() {
  { tail -c 200 "$1" | tr '\r' '\n' | grep -o "mesg=[0-9]*" | tail -1 | cut -d= -f2; } 2>/dev/null | grep . || echo 0
}

# Has wrk send each user in token file $2 one PUT /email/ to API $1 (bench/email_once.lua), then waits until
# smtp-sink (counter file $3) has accepted as many more messages, or has accepted nothing for 10 s. Prints the
# messages per second from the first PUT to the last message accepted, and how many were accepted.
email_changes_to_sink() {
  local base=$1 tokens=$2 sink=$3 users before started count last_count last_change now
  users=$(wc -l < "$tokens")
  before=$(sink_count "$sink")
  started=$(date +%s.%N)
  # wrk sleeps out its duration even when every thread has stopped; SIGINT ends it.
  BENCH_TOKENS=$tokens BENCH_WRK_THREADS=2 wrk -t2 -c64 -d600s -s "$ROOT/bench/email_once.lua" "$base/email/" > "$tokens.wrk" &
  local wrk_pid=$!
  last_count=$before last_change=$started
  while true; do
    count=$(sink_count "$sink") now=$(date +%s.%N)
    if [ "$count" -ne "$last_count" ]; then last_count=$count last_change=$now; fi
    [ "$count" -ge $((before + users)) ] && break
    awk -v a="$last_change" -v b="$now" 'BEGIN { exit !(b - a > 10) }' && break
    sleep 0.1
  done
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" 2>/dev/null || true
  awk -v n=$((last_count - before)) -v s="$started" -v e="$last_change" 'BEGIN {printf "%.0f %d\n", n / (e - s), n}'
}

# $1 / $2 with two decimals, for the benchmarks' ratios.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# Appends "NAME VALUE" to the file named by BENCH_FIGURES, when set (bench/all makes its table from them).
figure() {
  if [ -n "${BENCH_FIGURES:-}" ]; then echo "$1 $2" >> "$BENCH_FIGURES"; fi
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
  # So may nginx's, with Debian's default site on port 80.
  if [ "$package" = nginx-light ]; then nginx -s quit >/dev/null 2>&1 || true; fi
}
