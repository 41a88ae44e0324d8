from rest_framework import serializers
from rest_framework_simplejwt.tokens import RefreshToken

from celery_tasks.email.tasks import send_verify_email

from .models import User


class CreateUserSerializer(serializers.ModelSerializer):
    token = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "password", "token")
        extra_kwargs = {"password": {"write_only": True, "min_length": 8, "max_length": 20},
                        "username": {"min_length": 5, "max_length": 20}}

    def create(self, validated_data):
        user = User.objects.create_user(**validated_data)
        user.token = str(RefreshToken.for_user(user).access_token)
        return user


class EmailSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email")
        extra_kwargs = {"email": {"required": True}}

    def update(self, instance, validated_data):
        instance.email = validated_data["email"]
        instance.save()
        verify_url = instance.generate_email_verify_url()
        send_verify_email.delay(instance.email, verify_url)
        return instance
