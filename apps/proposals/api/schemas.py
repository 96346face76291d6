"""API shapes both sides of the proposals API share: the error answer and the actions open now."""

from ninja import Field, Schema


class ActionOut(Schema):
    """One thing the caller may do now, as the workflow decides it (the app shows a button for
    each enabled one, and a disabled one with its reason)."""

    name: str = Field(description="操作代码，如 submit、withdraw、rate、receive、submit_reply")
    label: str = Field(description="操作名称（中文）")
    enabled: bool = Field(description="现在可以执行")
    reason: str = Field(description="暂不能执行的原因（enabled 为 false 时）")
