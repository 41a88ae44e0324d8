from django.contrib.auth import authenticate
from rest_framework import status
from rest_framework.generics import CreateAPIView, UpdateAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from .models import User
from .serializers import CreateUserSerializer, EmailSerializer


class CreateUserView(CreateAPIView):
    serializer_class = CreateUserSerializer


class ObtainTokenView(APIView):
    """djangorestframework-jwt's obtain_jwt_token as the seed used it: {token, user_id, username}."""

    def post(self, request):
        user = authenticate(username=request.data.get("username"), password=request.data.get("password"))
        if user is None:
            return Response({"non_field_errors": ["无法使用提供的认证信息登录。"]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"token": str(RefreshToken.for_user(user).access_token), "user_id": user.id,
                         "username": user.username})


class EmailView(UpdateAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = EmailSerializer

    def get_object(self):
        return self.request.user


class VerifyEmailView(APIView):
    def get(self, request):
        token = request.query_params.get("token")
        if not token:
            return Response({"message": "缺少token"}, status=status.HTTP_400_BAD_REQUEST)
        user = User.check_email_verify_token(token)
        if not user:
            return Response({"message": "无效token"}, status=status.HTTP_400_BAD_REQUEST)
        user.email_active = True
        user.save()
        return Response({"message": "OK"})
