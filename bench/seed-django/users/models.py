from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from itsdangerous import BadData
from itsdangerous import TimedJSONWebSignatureSerializer as TJSSerializer


class User(AbstractUser):
    email_active = models.BooleanField(default=False)

    def generate_email_verify_url(self):
        serializer = TJSSerializer(settings.SECRET_KEY, expires_in=settings.VERIFY_EMAIL_TOKEN_EXPIRES)
        data = {"user_id": self.id, "email": self.email}
        token = serializer.dumps(data).decode()
        return "http://www.meiduo.site:8080/success_verify_email.html?token=" + token

    @staticmethod
    def check_email_verify_token(token):
        serializer = TJSSerializer(settings.SECRET_KEY, expires_in=settings.VERIFY_EMAIL_TOKEN_EXPIRES)
        try:
            data = serializer.loads(token)
        except BadData:
            return None
        try:
            return User.objects.get(id=data.get("user_id"), email=data.get("email"))
        except User.DoesNotExist:
            return None
