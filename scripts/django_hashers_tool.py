"""Django's own password hashers, for the tests of the Swift implementation.

    django_hashers_tool.py make PASSWORD [ITERATIONS]   prints a pbkdf2_sha256 hash made by Django
    django_hashers_tool.py check PASSWORD ENCODED       prints True or False, Django's check_password
    django_hashers_tool.py unusable                     prints an unusable password, as set_unusable_password
"""
import sys

from django.conf import settings

settings.configure()

from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password  # noqa: E402

command = sys.argv[1]
if command == "make":
    hasher = PBKDF2PasswordHasher()
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else None
    print(hasher.encode(sys.argv[2], hasher.salt(), iterations))
elif command == "check":
    print(check_password(sys.argv[2], sys.argv[3]))
elif command == "unusable":
    print(make_password(None))
else:
    sys.exit(f"unknown command {command}")
