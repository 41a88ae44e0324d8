from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from itsdangerous import TimedJSONWebSignatureSerializer as TJSSerializer


class User(AbstractUser):
    """The seed's users.models.User, trimmed to the email fields."""

    email_active = models.BooleanField(default=False, verbose_name="邮箱验证状态")

    class Meta:
        db_table = "tb_users"
        verbose_name = "用户"
        verbose_name_plural = verbose_name

    def generate_email_verify_url(self):
        """The seed's link, signed by the shop before it switched the endpoint over."""
        serializer = TJSSerializer(settings.SECRET_KEY, expires_in=settings.VERIFY_EMAIL_TOKEN_EXPIRES)
        token = serializer.dumps({"user_id": self.id, "email": self.email}).decode()
        return "http://www.meiduo.site:8080/success_verify_email.html?token=" + token
