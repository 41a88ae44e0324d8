"""Clients of the HTTP port that curl cannot be: slow ones, as an attacker sends them (slowloris), an idle
keep-alive one, a pipelining one and one that speaks no HTTP.

  http_clients.py PORT CONNECTIONS SECONDS   opens CONNECTIONS connections that each send a request head one
                                            header line per second for SECONDS; meanwhile GET /healthz every
                                            0.5 s on a fresh connection. Prints one JSON line: how long the first
                                            probe took to be answered (null: never), how many slow connections
                                            the server closed (how many of them with a 408), and after how many
                                            seconds at most.
  http_clients.py PORT idle SECONDS          one complete request on a keep-alive connection, then silence:
                                            prints after how many seconds the server closed it (null: still
                                            open after SECONDS).
  http_clients.py PORT pipeline              three requests in one write; prints the statuses in the order answered.
  http_clients.py PORT garbage               a line that is not HTTP; prints the status line of the answer.
"""
import re
import select
import json
import socket
import sys
import threading
import time

port = int(sys.argv[1])


def connect():
    sock = socket.socket()
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    return sock


def read_all(sock):
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except socket.timeout:
        pass
    return data


if sys.argv[2] == "pipeline":
    sock = connect()
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    print(" ".join(status.decode() for status in re.findall(rb"HTTP/1\.1 (\d{3})", read_all(sock))))
    sys.exit(0)

if sys.argv[2] == "garbage":
    sock = connect()
    sock.sendall(b"HELLO THERE\r\n\r\n")
    print(read_all(sock).split(b"\r\n")[0].decode())
    sys.exit(0)

if sys.argv[2] == "idle":
    limit = float(sys.argv[3])
    sock = connect()
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.recv(65536)
    start = time.monotonic()
    sock.settimeout(limit)
    try:
        while sock.recv(4096):
            pass
        print(json.dumps({"closed_after": round(time.monotonic() - start, 1)}))
    except socket.timeout:
        print(json.dumps({"closed_after": None}))
    sys.exit(0)

count, seconds = int(sys.argv[2]), float(sys.argv[3])
closed = []
lock = threading.Lock()
start = time.monotonic()


timeouts = []


def slow():
    opened = time.monotonic()
    try:
        sock = connect()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        opened = time.monotonic()
        while time.monotonic() - start < seconds:
            if select.select([sock], [], [], 1)[0]:
                answer = sock.recv(100)
                with lock:
                    closed.append(time.monotonic() - opened)
                    if answer.startswith(b"HTTP/1.1 408"):
                        timeouts.append(1)
                return
            sock.sendall(b"X-Slow: 1\r\n")
        sock.close()
    except OSError:
        with lock:
            closed.append(time.monotonic() - opened)


threads = [threading.Thread(target=slow, daemon=True) for _ in range(count)]
for thread in threads:
    thread.start()
time.sleep(1)
answered = None
probe_start = time.monotonic()
while time.monotonic() - start < seconds and answered is None:
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=2)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        if sock.recv(64).startswith(b"HTTP/1.1 200"):
            answered = round(time.monotonic() - probe_start, 1)
        sock.close()
    except OSError:
        pass
    if answered is None:
        time.sleep(0.5)
for thread in threads:
    thread.join()
print(json.dumps({"healthz_answered_after": answered, "slow_connections_closed": len(closed), "answered_408": len(timeouts),
                  "closed_within": round(max(closed), 1) if closed else None}))
