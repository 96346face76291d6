from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Require at least `min_classes` of: lowercase, uppercase, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                f"密码至少要包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return (
            f"密码至少 12 位，并包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"
        )
