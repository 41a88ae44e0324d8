#!/usr/bin/env python3
"""Registers users and changes each one's email, spread round-robin over several API servers.

  load_email_changes.py --servers http://127.0.0.1:8081,http://127.0.0.1:8082 --users 2000 --prefix run1
  load_email_changes.py --servers URL --seconds 60 --changes-per-user 1000 --prefix load --timeline t.txt --last-addresses a.txt

With --users, N users each change their address once; exits 1 unless every request got the expected status.
With --seconds, the threads keep taking new users until the time is up, each changing its address up to
--changes-per-user times (set VERIFY_EMAIL_RESEND_INTERVAL=0 on the server); exits 0 and leaves the verdict to the
caller. --changes-per-user 0 only registers and signs in; --tokens writes each user's session JWT, one per line.
--timeline writes one line per request, "UNIX_TIME STAGE STATUS" (STATUS "error" for a failed connection);
--last-addresses writes, per user whose address was changed, the address of their last successful change.
Prints one line of counts. Uses threads and the standard library only; every request goes to 127.0.0.1.
"""
import argparse
import concurrent.futures
import http.client
import itertools
import json
import sys
import threading
import time
import urllib.parse

local = threading.local()
lock = threading.Lock()
timeline = []


def request(server, stage, method, path, body=None, token=None):
    connections = local.__dict__.setdefault("connections", {})
    url = urllib.parse.urlsplit(server)
    for attempt in range(2):
        connection = connections.get(server)
        if connection is None:
            connection = connections[server] = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "JWT " + token
        try:
            connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = connection.getresponse()
            status, payload = response.status, response.read()
            break
        except (http.client.HTTPException, OSError):
            connection.close()
            connections.pop(server, None)
            if attempt == 1:
                status, payload = "error", b""
    with lock:
        timeline.append((time.time(), stage, status))
    try:
        return status, json.loads(payload or b"{}")
    except ValueError:
        return status, {}


def one_user(index, servers, prefix, changes, deadline, tokens):
    """Returns (outcome, last address changed successfully or None)."""
    server = servers[index % len(servers)]
    username = "%s_%05d" % (prefix, index)
    status, _ = request(server, "register", "POST", "/users/", {"username": username, "password": "password123"})
    if status != 201:
        return "register %s" % status, None
    status, body = request(server, "sign-in", "POST", "/authorizations/", {"username": username, "password": "password123"})
    if status != 200:
        return "sign-in %s" % status, None
    with lock:
        tokens.append(body["token"])
    last = None
    outcome = "ok"
    for change in range(changes):
        if change > 0 and time.time() >= deadline:
            break
        address = "%s.%d@example.com" % (username, change) if changes > 1 else username + "@example.com"
        status, _ = request(server, "email", "PUT", "/email/", {"email": address}, body["token"])
        if status == 200:
            last = address
        else:
            outcome = "email %s" % status
    return outcome, last


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", required=True)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--changes-per-user", type=int, default=1)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--timeline")
    parser.add_argument("--last-addresses")
    parser.add_argument("--tokens")
    arguments = parser.parse_args()
    if (arguments.users is None) == (arguments.seconds is None):
        parser.error("give one of --users and --seconds")
    servers = arguments.servers.split(",")
    deadline = time.time() + arguments.seconds if arguments.seconds else float("inf")
    indices = itertools.count()
    outcomes, last_addresses, tokens = {}, [], []

    def run(index):
        outcome, last = one_user(index, servers, arguments.prefix, arguments.changes_per_user, deadline, tokens)
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if last:
                last_addresses.append(last)

    def until_deadline():
        while time.time() < deadline:
            with lock:
                index = next(indices)
            run(index)

    with concurrent.futures.ThreadPoolExecutor(arguments.threads) as pool:
        if arguments.seconds:
            for future in [pool.submit(until_deadline) for _ in range(arguments.threads)]:
                future.result()
        else:
            list(pool.map(run, range(arguments.users)))
    if arguments.timeline:
        with open(arguments.timeline, "w") as out:
            out.writelines("%.3f %s %s\n" % entry for entry in sorted(timeline))
    if arguments.tokens:
        with open(arguments.tokens, "w") as out:
            out.writelines(token + "\n" for token in tokens)
    if arguments.last_addresses:
        with open(arguments.last_addresses, "w") as out:
            out.writelines(address + "\n" for address in sorted(last_addresses))
    requests = len(timeline)
    print("users: " + ", ".join("%s=%d" % item for item in sorted(outcomes.items())) + "; requests: %d" % requests)
    return 0 if arguments.seconds or outcomes.get("ok", 0) == arguments.users else 1


if __name__ == "__main__":
    sys.exit(main())
