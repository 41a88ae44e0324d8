"""Requests a careful server refuses at once, and a client that pipelines without reading.

    http_abuse_client.py PORT refusals
        prints one line per case: NAME, the status line answered, and whether and how fast the connection closed
    http_abuse_client.py PORT flood SERVER_PID SECONDS
        pipelines 40,000 GET /openapi.yaml on one connection and never reads; prints the server's idle RSS, its
        peak RSS (MB, from /proc) and the seconds until the server dropped the connection (or "open")
"""
import socket
import sys
import time

port = int(sys.argv[1])


def answer(data, wait=3.0, body_after_continue=None):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(wait)
    sock.sendall(data)
    started = time.time()
    got = b""
    closed = None
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                closed = time.time() - started
                break
            got += chunk
            if body_after_continue is not None and got.startswith(b"HTTP/1.1 100") and b"\r\n\r\n" in got:
                sock.sendall(body_after_continue)
                body_after_continue = None
    except socket.timeout:
        pass
    sock.close()
    statuses = [line.decode() for line in got.split(b"\r\n") if line.startswith(b"HTTP/1.")]
    return " | ".join(statuses) or "-", ("closed %.2f" % closed) if closed is not None else "open"


def refusals():
    post = b"POST /users/ HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
    cases = {
        "malformed": (b"GET / HTTP/1.1\r\nHost x\r\n\r\n", None),
        "no-host": (b"GET /healthz HTTP/1.1\r\n\r\n", None),
        "two-hosts": (b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", None),
        "expect-continue": (post + b"Content-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", b"{}"),
        "expect-too-large": (post + b"Content-Length: 100000000\r\nExpect: 100-continue\r\n\r\n", None),
        "too-large-no-expect": (post + b"Content-Length: 100000000\r\n\r\n", None),
        "expect-other": (post + b"Content-Length: 2\r\nExpect: something-else\r\n\r\n", None),
    }
    for name, (data, body) in cases.items():
        status, closed = answer(data, body_after_continue=body)
        print(name, "|", status, "|", closed)


def rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def established(client_port):
    """Whether the server still holds its end of the connection from `client_port`."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            if int(local.split(":")[1], 16) == port and int(remote.split(":")[1], 16) == client_port and state == "01":
                return True
    return False


def flood(pid, seconds):
    idle = rss(pid)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    client_port = sock.getsockname()[1]
    data = b"GET /openapi.yaml HTTP/1.1\r\nHost: a\r\n\r\n" * 40000
    offset, peak, started, dropped = 0, idle, time.time(), None
    while time.time() - started < seconds:
        if offset < len(data):
            try:
                offset += sock.send(data[offset:offset + 65536])
            except BlockingIOError:
                pass
            except OSError:
                offset = len(data)
        peak = max(peak, rss(pid))
        if not established(client_port):
            dropped = time.time() - started
            break
        time.sleep(0.2)
    print(idle, peak, "%.1f" % dropped if dropped is not None else "open")


if sys.argv[2] == "refusals":
    refusals()
elif sys.argv[2] == "flood":
    flood(int(sys.argv[3]), float(sys.argv[4]))
