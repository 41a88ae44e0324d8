#!/usr/bin/env python3
"""The seed's token code on the same workload as TokenBench: itsdangerous 1.1.0's TimedJSONWebSignatureSerializer
with the seed's settings (HS512, a day), COUNT tokens signed then verified on one thread.
Prints "SIGN_PER_SECOND VERIFY_PER_SECOND"."""
import sys
import time

import itsdangerous
from itsdangerous import TimedJSONWebSignatureSerializer

assert itsdangerous.__version__ == "1.1.0", itsdangerous.__version__
count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
serializer = TimedJSONWebSignatureSerializer("bench-secret-key-of-at-least-thirty-two-bytes", 60 * 60 * 24)
started = time.perf_counter()
tokens = [serializer.dumps({"user_id": index, "email": "user%d@example.com" % index}).decode() for index in range(count)]
signed = time.perf_counter()
verified = sum(1 for index, token in enumerate(tokens) if serializer.loads(token)["user_id"] == index)
finished = time.perf_counter()
assert verified == count, verified
print(round(count / (signed - started)), round(count / (finished - signed)))
