"""学校设置: the administrator edits; every save is a new version."""

from decimal import Decimal

import pytest

from workrooms.forms import SETTINGS_FIELDS, SETTINGS_SECTIONS
from workrooms.models import RuleSet

URL = "/workrooms/settings/"


def _data(ruleset, **changes):
    from workrooms.forms import RuleSetForm

    form = RuleSetForm(instance=ruleset)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_groups_every_setting_into_exactly_one_section():
    grouped = [n for _, names in SETTINGS_SECTIONS for n in names]
    assert len(grouped) == len(set(grouped))
    settings_fields = {
        f.name for f in RuleSet._meta.fields if f.name not in {"id", "version", "created_at", "created_by", "change_note"}
    }
    assert set(grouped) == settings_fields
    assert "evaluation_rubric" not in SETTINGS_FIELDS  # edited with the evaluation rubric, copied forward here


def test_it_saves_a_change_as_the_next_version_and_keeps_the_old_one(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, host_min_years=9, change_note="按003方案3改为9年"))
    assert r.status_code == 302
    old, new = RuleSet.objects.order_by("version")
    assert (old.version, old.host_min_years, old.change_note) == (1, 6, "")
    assert (new.version, new.host_min_years, new.change_note, new.created_by) == (2, 9, "按003方案3改为9年", admin)
    assert new.max_members == old.max_members
    assert RuleSet.objects.current() == new


def test_it_lists_versions_with_author_and_note(client, admin, ruleset):
    client.force_login(admin)
    client.post(URL, _data(ruleset, public_notice_days=7, change_note="公示期延长为7天"))
    body = client.get("/workrooms/settings/versions/").content.decode()
    assert "第 2 版" in body and "公示期延长为7天" in body and "admin" in body


def test_it_requires_a_change_note_and_keeps_what_was_typed(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, max_members=10, change_note=""))
    body = r.content.decode()
    assert r.status_code == 200 and "这个字段是必填项" in body
    assert 'name="max_members" value="10"' in body
    assert RuleSet.objects.count() == 1


def test_it_refuses_a_save_that_changes_nothing(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, change_note="无修改"))
    assert "没有修改任何设置" in r.content.decode()
    assert RuleSet.objects.count() == 1


def test_it_refuses_out_of_range_values_in_chinese(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, own_school_max_share="1.5", change_note="试试"))
    assert "确保该值小于或等于1" in r.content.decode()
    assert RuleSet.objects.count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"monthly_pass_mark": "-5"}, "月考核合格分须在 0 到满分 100 之间。"),
        ({"monthly_pass_mark": "150"}, "月考核合格分须在 0 到满分 100 之间。"),
        ({"monthly_full_mark": "0"}, "月考核满分必须大于 0。"),
        ({"monthly_dept_weight": "0.9", "monthly_office_weight": "0.5"}, "之和须为 100%（现为 140%）"),
        ({"monthly_dept_weight": "0.4", "monthly_office_weight": "0.5"}, "之和须为 100%（现为 90%）"),
        ({"alt_monthly_weight": "0.7", "alt_annual_weight": "0.4"}, "学年综合考核占比之和须为 100%（现为 110%）"),
        ({"public_notice_days": "0"}, "公示天数必须大于 0。"),
        ({"duty_warning_days": "0"}, "学期结束前提醒天数必须大于 0。"),
        ({"member_max_age": "0"}, "成员最高年龄必须大于 0。"),
        ({"mentees_per_mentor": "0"}, "每位导师带教学员数必须大于 0。"),
        ({"allowance_months_per_year": "0"}, "每年津贴月数必须大于 0。"),
        ({"allowance_months_per_year": "13"}, "每年津贴月数不能超过 12。"),
        ({"excellent_top_n": "0"}, "优秀班队：年级部前N名必须大于 0。"),
        ({"activity_max_training_hours": "0"}, "确保该值大于或等于0.5"),
        ({"alt_tier1_share": "0.6", "alt_tier2_share": "0.5"}, "一等奖与二等奖比例之和不能超过 100%（现为 110%）"),
        ({"monthly_allowance": "-200"}, "每月合格津贴（元）不能为负数。"),
        ({"annual_funding": "-1"}, "每年专项经费（元）不能为负数。"),
        ({"bonus_school": "-1"}, "校级加分不能为负数。"),
        ({"bonus_county": "6"}, "加分须按级别从高到低不增"),
        ({"member_pass_min": "95"}, "成员考核合格分数线须低于优秀分数线。"),
        ({"member_excellent_min": "120"}, "成员优秀分数线须在 0 到 100 之间。"),
        ({"evaluation_pass_min": "90"}, "工作室评估合格分数线须低于优秀分数线。"),
        ({"evaluation_pass_min": "-1"}, "工作室评估合格分数线须在 0 到 100 之间。"),
        ({"evaluation_weight_overall": "30"}, "工作室评估四个一级指标的权重之和须为满分 100 分（现为 105 分）。"),
        ({"evaluation_weight_overall": "20", "evaluation_weight_members": "20"}, "权重之和须为满分 100 分（现为 90 分）。"),
        ({"evaluation_weight_overall": "-5", "evaluation_weight_members": "55"}, "评估权重：总体要求（分）不能为负数。"),
        ({"absence_limit_numerator": "3"}, "缺席上限的分子须小于分母"),
        ({"absence_limit_numerator": "0"}, "缺席上限（分子）必须大于 0。"),
        ({"model_top_n": "5"}, "标兵班队名额不能多于优秀班队名额"),
        ({"excellent_min_conditions": "5"}, "至少满足条件数不能超过 4"),
        ({"training_hours_per_credit": "0"}, "每学分培训学时必须大于 0。"),
        ({"model_rate_grades_1_2": "100.5"}, "标兵班队：一、二年级优秀率须在 0% 到 100% 之间。"),
        ({"model_rate_grades_3_4": "-1"}, "标兵班队：三、四年级优秀率须在 0% 到 100% 之间。"),
        ({"model_rate_grades_5_6": "150"}, "标兵班队：五、六年级优秀率须在 0% 到 100% 之间。"),
        ({"training_hours_per_credit": "-10"}, "确保该值大于或等于0"),
        ({"certificate_training_hours": "-1"}, "确保该值大于或等于0"),
    ],
)
def test_it_refuses_settings_that_cannot_make_sense_keeping_what_was_typed(client, admin, ruleset, changes, message):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, **changes, change_note="试试这组设置"))
    body = r.content.decode()
    assert r.status_code == 200
    assert message in body
    for name, value in changes.items():
        assert f'name="{name}" value="{value}"' in body
    assert 'value="试试这组设置"' in body
    assert RuleSet.objects.count() == 1


def test_it_accepts_rubric_weights_that_make_the_full_score(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(
        ruleset, evaluation_weight_overall="40", evaluation_weight_members="10", evaluation_weight_practice="30",
        evaluation_weight_results="20", change_note="按考核细则调整评估权重",
    ))
    assert r.status_code == 302
    new = RuleSet.objects.current()
    assert (new.version, new.evaluation_weight_overall, new.evaluation_weight_members) == (2, Decimal("40"), Decimal("10"))


def test_it_accepts_a_consistent_change_of_weights_and_marks(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(
        ruleset, monthly_dept_weight="0.6", monthly_office_weight="0.4", monthly_full_mark="150", monthly_pass_mark="90",
        change_note="满分改为150",
    ))
    assert r.status_code == 302
    new = RuleSet.objects.current()
    assert (new.version, new.monthly_full_mark, new.monthly_pass_mark) == (2, 150, Decimal("90"))


@pytest.mark.parametrize(
    "persona, get_code, post_code",
    [
        ("anonymous", 302, 302),
        ("admin", 200, 302),
        ("office", 200, 403),
        ("leader", 200, 403),
        ("teacher", 403, 403),
        ("expert", 403, 403),
        ("reviewer", 403, 403),
        ("host", 403, 403),
    ],
)
def test_it_lets_the_administrator_save_and_office_and_leaders_read(client, request, ruleset, persona, get_code, post_code):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    assert client.get(URL).status_code == get_code
    assert client.get("/workrooms/settings/versions/").status_code == get_code
    assert client.post(URL, _data(ruleset, max_members=8, change_note="改")).status_code == post_code
    assert RuleSet.objects.count() == (2 if persona == "admin" else 1)


def test_it_shows_the_settings_read_only_to_the_office(client, office, ruleset):
    client.force_login(office)
    body = client.get(URL).content.decode()
    assert "只有管理员可以修改" in body
    assert "保存为新版本" not in body
    assert 'name="max_members"' in body and "disabled" in body


# --- 比较两个版本 ------------------------------------------------------------------------

COMPARE = "/workrooms/settings/compare/"


def test_it_compares_two_versions_field_by_field_with_chinese_labels(client, admin, ruleset):
    client.force_login(admin)
    client.post(URL, _data(ruleset, public_notice_days=7, monthly_pass_mark="65", change_note="公示7天，合格分65"))
    body = client.get(COMPARE, {"old": 1, "new": 2}).content.decode()
    assert "第 1 版（初始设置）→ 第 2 版（公示7天，合格分65）" in body
    assert '<th scope="row" class="fw-normal">公示天数</th><td>5</td><td>7 <span class="badge' in body
    assert '<th scope="row" class="fw-normal">月考核合格分</th><td>60</td><td>65 <span class="badge' in body
    assert '<th scope="row" class="fw-normal">每室成员上限</th><td>12</td><td>12</td>' in body
    assert body.count("已修改</span>") == 2


def test_it_compares_the_newest_with_the_previous_version_by_default_and_can_hide_equal_settings(client, admin, ruleset):
    client.force_login(admin)
    client.post(URL, _data(ruleset, assessment_scheme="alternative", change_note="改用学月岗位考核方案"))
    body = client.get(COMPARE).content.decode()
    assert "班主任考核方案" in body and "学月岗位考核70%+学年综合考核30%" in body
    only = client.get(COMPARE, {"old": 1, "new": 2, "only_changed": "on"}).content.decode()
    assert "班主任考核方案" in only and "每室成员上限" not in only
    same = client.get(COMPARE, {"old": 2, "new": 2, "only_changed": "on"}).content.decode()
    assert "两个版本的设置完全相同" in same


def test_it_says_so_when_a_version_does_not_exist(client, office, ruleset):
    client.force_login(office)
    body = client.get(COMPARE, {"old": 1, "new": 9}).content.decode()
    assert "没有这个版本" in body


def test_it_links_each_version_to_a_comparison_with_the_one_before(client, admin, ruleset):
    client.force_login(admin)
    client.post(URL, _data(ruleset, max_members=10, change_note="成员上限10"))
    body = client.get("/workrooms/settings/versions/").content.decode()
    assert f"{COMPARE}?old=1&amp;new=2&amp;only_changed=on" in body


@pytest.mark.parametrize(
    "persona, code",
    [("anonymous", 302), ("outsider", 403), ("teacher", 403), ("host", 403), ("leader", 200), ("office", 200), ("admin", 200)],
)
def test_it_shows_the_comparison_to_those_who_read_the_settings(client, request, ruleset, persona, code):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    r = client.get(COMPARE)
    assert r.status_code == code
    if persona == "anonymous":
        assert r["Location"].startswith("/accounts/login/")


def test_it_refuses_a_primary_title_rule_above_the_secondary_one(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, host_min_title="intermediate", host_min_title_primary="senior",
                               change_note="小学要求高级"))
    assert r.status_code == 200
    assert "小学主持人的最低职称不能高于中学主持人的最低职称。" in r.content.decode()
    assert RuleSet.objects.count() == 1


def test_it_saves_a_title_rule_split_by_school_stage(client, admin, ruleset):
    client.force_login(admin)
    r = client.post(URL, _data(ruleset, host_min_title="senior", host_min_title_primary="intermediate",
                               change_note="003方案3：中学高级、小学中级"))
    assert r.status_code == 302
    new = RuleSet.objects.current()
    assert (new.host_min_title, new.host_min_title_primary) == ("senior", "intermediate")


def test_it_shows_and_saves_the_training_credit_settings(client, admin, ruleset):
    client.force_login(admin)
    body = client.get(URL).content.decode()
    assert "继续教育学分与培训合格证书" in body
    assert 'name="training_hours_per_credit" value="10"' in body and 'name="certificate_training_hours" value="30"' in body
    assert "每人每年培训课时" in body  # the help text says why 30
    r = client.post(
        URL, _data(ruleset, training_hours_per_credit=12, certificate_training_hours=0, change_note="按省平台 12 学时 1 学分")
    )
    assert r.status_code == 302
    new = RuleSet.objects.current()
    assert (new.version, new.training_hours_per_credit, new.certificate_training_hours) == (2, 12, 0)


def test_it_shows_and_saves_the_model_class_rates_by_grade_band(client, admin, ruleset):
    client.force_login(admin)
    body = client.get(URL).content.decode()
    assert "标兵班队：一、二年级优秀率（%）" in body and 'name="model_rate_grades_5_6" value="70.0"' in body
    r = client.post(URL, _data(ruleset, model_rate_grades_3_4="85", model_rate_grades_5_6="100", change_note="按新方案"))
    assert r.status_code == 302
    new = RuleSet.objects.current()
    assert (new.version, new.model_rate_grades_1_2, new.model_rate_grades_3_4, new.model_rate_grades_5_6) == (
        2, Decimal("90"), Decimal("85"), Decimal("100"),
    )
