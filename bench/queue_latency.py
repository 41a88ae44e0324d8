#!/usr/bin/env python3
"""Enqueue-to-delivery latency at idle: one PUT /email/ at a time, then wait for the mail file to appear.

  queue_latency.py --server http://127.0.0.1:8081 --mail-dir DIR --samples 100

The clock starts when the PUT is sent (the job commits before the answer), and stops when a new .eml is in DIR
(written by a worker in another process, woken by LISTEN/NOTIFY). Prints one summary line.
"""
import argparse
import http.client
import json
import os
import statistics
import time
import urllib.parse


def call(connection, method, path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "JWT " + token
    connection.request(method, path, body=json.dumps(body), headers=headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def mail_count(directory):
    try:
        return sum(1 for entry in os.scandir(directory) if entry.name.endswith(".eml"))
    except FileNotFoundError:
        return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--mail-dir", required=True)
    parser.add_argument("--samples", type=int, default=100)
    arguments = parser.parse_args()
    url = urllib.parse.urlsplit(arguments.server)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    user = "latency_%d" % int(time.time())
    call(connection, "POST", "/users/", {"username": user, "password": "password123"})
    _, body = call(connection, "POST", "/authorizations/", {"username": user, "password": "password123"})
    latencies = []
    for index in range(arguments.samples):
        before = mail_count(arguments.mail_dir)
        started = time.perf_counter()
        status, _ = call(connection, "PUT", "/email/", {"email": "%s_%d@example.com" % (user, index)}, body["token"])
        assert status == 200, status
        deadline = started + 10
        while mail_count(arguments.mail_dir) <= before:
            if time.perf_counter() > deadline:
                raise SystemExit("no mail within 10 s")
            time.sleep(0.0005)
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.2)
    latencies.sort()
    print("enqueue-to-delivery latency: p50 %.1f ms, p90 %.1f ms, max %.1f ms (%d samples, worker in another process)" % (
        statistics.median(latencies), latencies[int(len(latencies) * 0.9) - 1], latencies[-1], len(latencies)))


if __name__ == "__main__":
    main()
