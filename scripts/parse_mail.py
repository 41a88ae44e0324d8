#!/usr/bin/env python3
"""Parses one RFC 5322 message with Python's own email package and prints what a mail client would show, as JSON.

  parse_mail.py FILE      (or - for standard input)
"""
import email
import email.policy
import email.utils
import json
import sys


def main(path):
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    from_name, from_address = email.utils.parseaddr(str(message["From"]))
    parts = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts[part.get_content_type()] = part.get_content()
    lines = raw.split(b"\r\n")
    print(json.dumps({
        "from_name": from_name,
        "from_address": from_address,
        "to": [address for _, address in email.utils.getaddresses([str(message["To"])])],
        "subject": str(message["Subject"]),
        "date": str(message["Date"]),
        "message_id": str(message["Message-ID"]),
        "content_type": message.get_content_type(),
        "text": parts.get("text/plain"),
        "html": parts.get("text/html"),
        "defects": [type(defect).__name__ for part in message.walk() for defect in part.defects],
        "bare_line_feeds": raw.replace(b"\r\n", b"").count(b"\n"),
        "longest_line": max(len(line) for line in lines),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
