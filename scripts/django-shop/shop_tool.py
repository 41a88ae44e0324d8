"""The shop's side of the interoperability test, through Django's own ORM, hashers and simplejwt. One command per
call, JSON on standard output:

    create-user NAME PASSWORD        {"id", "access", "refresh", "drf_jwt", "hs512", "password"}: a user made by
                                     Django's create_user, with a simplejwt access and refresh token, a
                                     djangorestframework-jwt style token, and an HS512 one
    read NAME                        {"id", "email", "email_active", "password_hasher"}
    authenticate NAME PASSWORD       {"id"} or {"id": null}: django.contrib.auth.authenticate
    verify-url NAME EMAIL            sets the address unverified, as the shop did, and prints the seed's link
    set-password-hash NAME HASH      stores HASH as the password, as a shop with another hasher would hold it
    set-unusable NAME                set_unusable_password()
    set-staff NAME true|false        is_staff, as Django's admin sets it
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

import jwt  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import authenticate  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402
from users.models import User  # noqa: E402


def out(value):
    print(json.dumps(value, ensure_ascii=False))


command, args = sys.argv[1], sys.argv[2:]
if command == "create-user":
    user = User.objects.create_user(args[0], "", args[1])
    refresh = RefreshToken.for_user(user)
    exp = int(time.time()) + 3600
    drf = {"user_id": user.id, "username": user.username, "exp": exp, "email": user.email}
    out({
        "id": user.id,
        "access": str(refresh.access_token),
        "refresh": str(refresh),
        "drf_jwt": jwt.encode(drf, settings.SECRET_KEY, algorithm="HS256"),
        "hs512": jwt.encode(drf, settings.SECRET_KEY, algorithm="HS512"),
        "password": user.password,
    })
elif command == "read":
    user = User.objects.get(username=args[0])
    out({"id": user.id, "email": user.email, "email_active": user.email_active,
         "password_hasher": user.password.split("$", 1)[0]})
elif command == "authenticate":
    user = authenticate(username=args[0], password=args[1])
    out({"id": user.id if user else None})
elif command == "verify-url":
    user = User.objects.get(username=args[0])
    user.email, user.email_active = args[1], False
    user.save(update_fields=["email", "email_active"])
    out({"url": user.generate_email_verify_url()})
elif command == "set-password-hash":
    User.objects.filter(username=args[0]).update(password=args[1])
    out({"ok": True})
elif command == "set-unusable":
    user = User.objects.get(username=args[0])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    out({"ok": True})
elif command == "set-staff":
    User.objects.filter(username=args[0]).update(is_staff=args[1] == "true")
    out({"ok": True})
else:
    sys.exit(f"unknown command {command}")
