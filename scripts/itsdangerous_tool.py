#!/usr/bin/env python3
"""The reference side of the token tests: itsdangerous 1.1.0's TimedJSONWebSignatureSerializer.

  itsdangerous_tool.py vectors                         -> JSON fixture of tokens minted at fixed times
  itsdangerous_tool.py dumps SECRET EXPIRES ALG JSON   -> a token for the JSON payload, minted now
  itsdangerous_tool.py loads SECRET EXPIRES ALG TOKEN  -> the payload as JSON, or exit 1 with the error class
"""
import json
import sys

import itsdangerous
from itsdangerous import TimedJSONWebSignatureSerializer

assert itsdangerous.__version__ == "1.1.0", itsdangerous.__version__


class FixedClock(TimedJSONWebSignatureSerializer):
    fixed_now = 0

    def now(self):
        return self.fixed_now


def vectors():
    cases = []
    payloads = [
        {"user_id": 203, "email": "sample1795592643@example.com"},
        {"user_id": 1, "email": "用户@例子.中国"},
        {"user_id": 9007199254740993, "email": "o'brien+\"quoted\"\\back/slash\t@example.com"},
    ]
    for alg in ("HS256", "HS384", "HS512"):
        for index, payload in enumerate(payloads):
            secret = "a-secret-key-of-at-least-thirty-two-bytes-%d" % index
            serializer = FixedClock(secret, expires_in=86400, algorithm_name=alg)
            serializer.fixed_now = 1795592644 + index
            cases.append({
                "secret_key": secret, "algorithm": alg, "expires_in": 86400, "iat": serializer.fixed_now,
                "payload": payload, "token": serializer.dumps(payload).decode("ascii"),
            })
    return {"generator": "itsdangerous %s" % itsdangerous.__version__, "cases": cases}


def main(argv):
    if argv[1] == "vectors":
        print(json.dumps(vectors(), ensure_ascii=False, indent=1))
        return 0
    mode, secret, expires, alg, value = argv[1:6]
    serializer = TimedJSONWebSignatureSerializer(secret, expires_in=int(expires), algorithm_name=alg)
    if mode == "dumps":
        print(serializer.dumps(json.loads(value)).decode("ascii"))
        return 0
    try:
        print(json.dumps(serializer.loads(value), ensure_ascii=False))
        return 0
    except itsdangerous.BadData as error:
        print(type(error).__name__)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
