"""Amazon SNS's side of the SES webhook test, on this machine.

serve DIR PORT CERT KEY LOG   HTTPS on 127.0.0.1:PORT serving DIR's files (the signing certificate; any other GET,
                              such as a SubscribeURL, answers 200 too); each request's path is appended to LOG.
message KEY TYPE VERSION CERT_URL TOPIC MESSAGE_FILE [EXTRA_JSON]
                              prints an SNS message as SNS posts it, signed with the RSA KEY (PEM) as SNS signs:
                              SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2 (openssl does the RSA).
"""
import base64
import http.server
import json
import ssl
import subprocess
import sys
import uuid


def serve(directory, port, cert, key, log):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=directory, **kwargs)

        def do_GET(self):
            with open(log, "a") as f:
                f.write(self.path + "\n")
            if self.path.startswith("/confirm"):
                body = b"<ConfirmSubscriptionResponse/>"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


def message(key, kind, version, cert_url, topic, message_file, extra="{}"):
    fields = {
        "Type": kind,
        "MessageId": str(uuid.uuid4()),
        "TopicArn": topic,
        "Message": open(message_file).read(),
        "Timestamp": "2026-12-05T12:00:00.000Z",
        "SignatureVersion": version,
        "SigningCertURL": cert_url,
    }
    fields.update(json.loads(extra))
    if kind == "Notification":
        names = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        names = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    text = "".join(f"{name}\n{fields[name]}\n" for name in names if name in fields)
    digest = "-sha1" if version == "1" else "-sha256"
    signature = subprocess.run(["openssl", "dgst", digest, "-sign", key], input=text.encode(), capture_output=True, check=True).stdout
    fields["Signature"] = base64.b64encode(signature).decode()
    fields.setdefault("UnsubscribeURL", cert_url.rsplit("/", 1)[0] + "/?Action=Unsubscribe")
    print(json.dumps(fields))


if __name__ == "__main__":
    {"serve": serve, "message": message}[sys.argv[1]](*sys.argv[2:])
