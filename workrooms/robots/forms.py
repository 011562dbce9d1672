"""The form that connects a group robot, and the filter of its deliveries."""

import django_filters
from django import forms

from core.filters import StyledFilterSet
from core.models import GroupRobot, RobotDelivery, RobotEvent
from workrooms.models import Workroom


class RobotForm(forms.Form):
    name = forms.CharField(label="名称", max_length=50, help_text="例如“工作室成员群”。")
    platform = forms.ChoiceField(label="平台", choices=GroupRobot.Platform.choices)
    webhook_url = forms.CharField(
        label="Webhook 地址", max_length=500, required=False,
        help_text="在群设置 → 群机器人 → 机器人详情中复制完整地址。保存后不再完整显示。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = forms.CharField(
        label="加签密钥（仅钉钉）", max_length=200, required=False,
        help_text="钉钉机器人安全设置选“加签”，填写以 SEC 开头的密钥；企业微信留空。保存后不再完整显示。",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    msgtype = forms.ChoiceField(label="消息格式", choices=GroupRobot.Format.choices, initial=GroupRobot.Format.MARKDOWN)
    events = forms.MultipleChoiceField(
        label="发送的事件", choices=RobotEvent.choices, widget=forms.CheckboxSelectMultiple,
        help_text="群里只收到标题、时间和系统链接，不含任何人的分数或异议内容。",
        error_messages={"required": "请至少选择一种要发送的事件。"},
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, robot: GroupRobot | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.robot = robot
        if robot is None:
            self.fields["webhook_url"].required = True
            self.fields["webhook_url"].error_messages["required"] = "请填写 Webhook 地址。"
        else:
            self.fields["webhook_url"].help_text = "已保存，留空表示不修改；要更换时粘贴新的完整地址。"
            self.fields["secret"].help_text = "已保存的密钥不再显示，留空表示不修改。"


class DeliveryFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=RobotDelivery.Status.choices, empty_label="全部")
    event = django_filters.ChoiceFilter(label="事件", choices=RobotDelivery.EVENT_CHOICES, empty_label="全部")
    q = django_filters.CharFilter(label="标题包含", field_name="title", lookup_expr="icontains")

    class Meta:
        model = RobotDelivery
        fields = ["status", "event", "q"]


class RobotOwnerFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="工作室名称", field_name="name", lookup_expr="icontains")

    class Meta:
        model = Workroom
        fields = ["q"]
