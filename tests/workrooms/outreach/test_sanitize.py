"""The allow-list sanitizer used by every rich-text field."""

import pytest

from core.sanitize import clean_html, clean_text
from tests.workrooms.outreach.factories import OutreachRecordFactory
from workrooms.models import OutreachRecord


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("<p>段落<strong>加粗</strong><em>强调</em></p>", "<p>段落<strong>加粗</strong><em>强调</em></p>"),
        ("<ul><li>一</li><li>二</li></ul>", "<ul><li>一</li><li>二</li></ul>"),
        ('<a href="https://example.cn/x">链接</a>', '<a href="https://example.cn/x" rel="noopener noreferrer nofollow">链接</a>'),
        ('<a href="javascript:alert(1)">链接</a>', '<a rel="noopener noreferrer nofollow">链接</a>'),
        ('<a href="JaVaScRiPt:alert(1)">链接</a>', '<a rel="noopener noreferrer nofollow">链接</a>'),
        ("<script>alert(1)</script>文字", "文字"),
        ('<img src="x" onerror="alert(1)">文字', "文字"),
        ('<p style="color:red" onclick="x()">文字</p>', "<p>文字</p>"),
        ("<style>p{}</style><!-- 注释 -->文字", "文字"),
        ('<table><tr><td colspan="2" onmouseover="x">格</td></tr></table>', '<table><tbody><tr><td colspan="2">格</td></tr></tbody></table>'),
        ("", ""),
        (None, ""),
    ],
)
def test_it_keeps_the_allow_list_and_drops_the_rest(raw, clean):
    assert clean_html(raw) == clean


def test_plain_text_loses_every_tag():
    assert clean_text("<b>王</b>老师 <script>x</script>& 朋友") == "王老师 & 朋友"


def test_a_rich_text_column_is_cleaned_on_every_save(workroom):
    record = OutreachRecordFactory(workroom=workroom, notes='<p onclick="x">记录</p><script>y</script>')
    assert OutreachRecord.objects.get(pk=record.pk).notes == "<p>记录</p>"


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("家长电话13900001111。", "家长电话***********。"),
        ("电话 19912345678、13800001111", "电话 ***********、***********"),
        ("身份证 11010119900307123X", "身份证 ******************"),
        ("身份证 110101199003071234", "身份证 ******************"),
        ("学号 2024001，40 人，经费 3000 元", "学号 2024001，40 人，经费 3000 元"),
        ("12345678901", "12345678901"),  # 12… is no mobile number
        ("139000011112", "139000011112"),  # twelve digits: not a phone number
        ("<p>13900001111</p>", "<p>***********</p>"),
        ("", ""),
    ],
)
def test_the_public_text_hides_phone_and_id_numbers(raw, shown):
    from core.sanitize import mask_personal_numbers

    assert mask_personal_numbers(raw) == shown
