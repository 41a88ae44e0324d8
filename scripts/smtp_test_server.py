#!/usr/bin/env python3
"""Real SMTP servers for the tests (aiosmtpd), on 127.0.0.1. Prints "ready PORT" once it accepts connections and
runs until killed. Each accepted message is saved in --save-dir as N.eml plus N.json ({"mail_from", "rcpt_tos"});
a server started again on the same folder goes on counting.

  smtp_test_server.py --save-dir D [--port P] [--starttls CERT KEY] [--implicit-tls CERT KEY] [--auth USER:PASSWORD] [--smtputf8]
                      [--rcpt-reply "550 5.1.1 No such user"] [--data-delay SECONDS] [--stall]
                      [--step-delay SECONDS [--slow-sessions N]]

--stall accepts connections and never answers (to prove client timeouts). --data-delay holds each message that
long after its data arrived before accepting it (to catch a client in the middle of sending). --step-delay holds
each reply to EHLO, MAIL and RCPT that long, in the first N sessions only with --slow-sessions (a relay that is
slow for a while). Sessions started and messages accepted are counted in sessions.log, one line each.
"""
import argparse
import asyncio
import json
import os
import socket
import ssl
import sys
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SavingHandler:
    def __init__(self, directory, rcpt_reply, data_delay, step_delay=0, slow_sessions=None):
        self.directory = directory
        self.rcpt_reply = rcpt_reply
        self.data_delay = data_delay
        self.step_delay = step_delay
        self.slow_sessions = slow_sessions
        self.sessions = 0
        self.count = len([name for name in os.listdir(directory) if name.endswith(".eml")]) if directory else 0

    def note(self, line):
        if self.directory:
            with open(os.path.join(self.directory, "sessions.log"), "a") as out:
                out.write("%.3f %s\n" % (time.time(), line))

    async def slow_step(self, session):
        if self.step_delay and (self.slow_sessions is None or session.number <= self.slow_sessions):
            await asyncio.sleep(self.step_delay)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if not hasattr(session, "number"):
            self.sessions += 1
            session.number = self.sessions
            self.note("session %d" % session.number)
        session.host_name = hostname
        await self.slow_step(session)
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        await self.slow_step(session)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await self.slow_step(session)
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        self.count += 1
        base = os.path.join(self.directory, "%d" % self.count)
        with open(base + ".eml.tmp", "wb") as out:
            out.write(envelope.content)
        with open(base + ".json", "w") as out:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "mail_options": envelope.mail_options}, out)
        os.rename(base + ".eml.tmp", base + ".eml")
        self.note("accepted %d" % self.count)
        return "250 2.0.0 Message accepted"


def tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def stall(port):
    async def never_answer(reader, writer):
        await asyncio.sleep(3600)

    async def main():
        server = await asyncio.start_server(never_answer, "127.0.0.1", port)
        print("ready %d" % port, flush=True)
        await server.serve_forever()

    asyncio.run(main())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--save-dir")
    parser.add_argument("--starttls", nargs=2)
    parser.add_argument("--implicit-tls", nargs=2)
    parser.add_argument("--auth")
    parser.add_argument("--rcpt-reply")
    parser.add_argument("--stall", action="store_true")
    parser.add_argument("--data-delay", type=float, default=0)
    parser.add_argument("--step-delay", type=float, default=0)
    parser.add_argument("--slow-sessions", type=int)
    parser.add_argument("--port", type=int)
    parser.add_argument("--smtputf8", action="store_true")
    arguments = parser.parse_args()
    port = arguments.port or free_port()
    if arguments.stall:
        return stall(port)

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    options = {}
    if arguments.starttls:
        options.update(tls_context=tls_context(*arguments.starttls), require_starttls=True)
    if arguments.auth:
        user, password = arguments.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            accepted = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                        and auth_data.password == password.encode())
            return AuthResult(success=accepted, handled=False)

        options.update(authenticator=authenticator, auth_required=True,
                       auth_require_tls=bool(arguments.starttls or arguments.implicit_tls))
    # aiosmtpd's Controller offers SMTPUTF8 unless told otherwise: only with --smtputf8 here.
    options.update(enable_SMTPUTF8=arguments.smtputf8)
    ssl_context = tls_context(*arguments.implicit_tls) if arguments.implicit_tls else None
    controller = Controller(SavingHandler(arguments.save_dir, arguments.rcpt_reply, arguments.data_delay,
                                          arguments.step_delay, arguments.slow_sessions), hostname="127.0.0.1", port=port,
                            ssl_context=ssl_context, server_hostname="localhost", **options)
    controller.start()
    print("ready %d" % port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
