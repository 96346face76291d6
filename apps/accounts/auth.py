from ninja.security import django_auth

api_auth = [django_auth]
