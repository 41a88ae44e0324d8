#!/usr/bin/env python3
"""Registers N users and changes each one's email once, spread round-robin over several API servers.

  load_email_changes.py --servers http://127.0.0.1:8081,http://127.0.0.1:8082 --users 2000 --prefix run1

Prints one line of counts; exits 1 if any request did not get the expected status. Uses threads and the standard
library only; every request goes to 127.0.0.1.
"""
import argparse
import concurrent.futures
import http.client
import json
import sys
import threading
import urllib.parse

local = threading.local()


def request(server, method, path, body=None, token=None):
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
            return response.status, json.loads(response.read() or b"{}")
        except (http.client.HTTPException, OSError):
            connection.close()
            connections.pop(server, None)
            if attempt == 1:
                raise


def one_user(index, servers, prefix):
    server = servers[index % len(servers)]
    username = "%s_%05d" % (prefix, index)
    status, _ = request(server, "POST", "/users/", {"username": username, "password": "password123"})
    if status != 201:
        return "register %d" % status
    status, body = request(server, "POST", "/authorizations/", {"username": username, "password": "password123"})
    if status != 200:
        return "sign-in %d" % status
    status, _ = request(server, "PUT", "/email/", {"email": username + "@example.com"}, body["token"])
    return "ok" if status == 200 else "email %d" % status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--threads", type=int, default=16)
    arguments = parser.parse_args()
    servers = arguments.servers.split(",")
    outcomes = {}
    with concurrent.futures.ThreadPoolExecutor(arguments.threads) as pool:
        for outcome in pool.map(lambda i: one_user(i, servers, arguments.prefix), range(arguments.users)):
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print("email changes: " + ", ".join("%s=%d" % item for item in sorted(outcomes.items())))
    return 0 if outcomes.get("ok", 0) == arguments.users else 1


if __name__ == "__main__":
    sys.exit(main())
