"""Talks to `meiduo bounces` as a mail system (or an attacker) would; prints what the listener answered.

  bounce_client.py PORT rcpt ADDRESS            the reply to RCPT TO (after EHLO and MAIL FROM:<>)
  bounce_client.py PORT send ADDRESS FILE       sends FILE as a report to ADDRESS: the reply to the end of DATA
  bounce_client.py PORT big ADDRESS OCTETS      sends a message of OCTETS without announcing its SIZE
  bounce_client.py PORT silent SECONDS          connects, says nothing; prints what the listener sends before it closes
"""
import smtplib
import socket
import sys
import time

port, action = int(sys.argv[1]), sys.argv[2]

if action == "silent":
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(float(sys.argv[3]))
    received, started = b"", time.monotonic()
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except socket.timeout:
        print("still open after", sys.argv[3], "s")
        sys.exit(1)
    print(received.decode().strip().replace("\r\n", " | "), f"(closed after {time.monotonic() - started:.0f} s)")
    sys.exit(0)

client = smtplib.SMTP("127.0.0.1", port, timeout=30)
client.ehlo("mta.example")
code, _ = client.docmd("MAIL FROM:<>")
assert code == 250, code
code, text = client.docmd(f"RCPT TO:<{sys.argv[3]}>")
if action == "rcpt" or code != 250:
    print(code, text.decode())
    sys.exit(0)
if action == "send":
    body = open(sys.argv[4], "rb").read()
else:
    line = b"x" * 76 + b"\r\n"
    body = b"Subject: big\r\n\r\n" + line * (int(sys.argv[4]) // len(line))
code, _ = client.docmd("DATA")
assert code == 354, code
client.send(body.replace(b"\r\n.", b"\r\n..") + b"\r\n.\r\n")
code, text = client.getreply()
print(code, text.decode())
client.docmd("NOOP")
client.quit()
