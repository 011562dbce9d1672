"""公示 of head-teacher results (DOMAIN.md §12): the window (days, a
setting) enforced at its boundary days, the list for the staff concerned,
final only after the window and every answer, the office reopening after an
upheld objection, correcting and publishing again with what changed shown,
missing scores confirmed first, no 0.00 for a month that pays nothing."""

from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from assessment import services
from assessment.models import PeriodObjection, Result
from assessment.workflow import ASSESSMENT_PERIOD
from core.models import Notification, NotificationKind, Publication
from core.publicity import final_refusal, notice_window, objection_refusal
from core.workflow import TransitionRefused
from members.choices import DepartmentKind
from tests import factories as f
from tests.assessment.factories import MonthlyScoreFactory
from workrooms.models import NoticeScope, RuleSet

pytestmark = pytest.mark.django_db

MONDAY = "2025-11-03 09:00 +08:00"


@pytest.fixture
def colleague(grade_dept):
    return f.TeacherFactory(name="孙同", school=grade_dept.school, department=grade_dept)


@pytest.fixture
def other_grade(school):
    return f.DepartmentFactory(school=school, name="高二年级部", kind=DepartmentKind.GRADE, grade=2)


@pytest.fixture
def stranger(other_grade):
    """A head teacher of another grade department of the same school."""
    return f.TeacherFactory(name="钱远", school=other_grade.school, department=other_grade)


@pytest.fixture
def published(time_machine, month, grade_dept, teacher, colleague, stranger, office):
    """October published on Monday 3 November with the default 5 days."""
    time_machine.move_to(MONDAY)
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)  # 80 / 90 → 85.0
    MonthlyScoreFactory(period=month, teacher=colleague, department=grade_dept, dept_score=D("70"), office_score=D("70"))
    MonthlyScoreFactory(period=month, teacher=stranger, department=stranger.department)
    services.period_compute(period=month, actor=office)
    services.period_publish(period=month, actor=office)
    month.refresh_from_db()
    return month


# --- the window ----------------------------------------------------------------------------


def test_a_window_of_five_days_ends_on_the_fifth_day():
    from datetime import date

    assert notice_window(days=5, today=date(2025, 11, 3)) == (date(2025, 11, 3), date(2025, 11, 7))
    assert notice_window(days=1, today=date(2025, 11, 3)) == (date(2025, 11, 3), date(2025, 11, 3))


def test_it_records_the_round_and_its_window(published, office):
    publication = Publication.objects.get()
    assert (publication.round, str(publication.starts_on), str(publication.ends_on)) == (1, "2025-11-03", "2025-11-07")
    assert published.notice_ends_on == publication.ends_on and publication.published_by == office


@pytest.mark.parametrize("moment, accepted", [
    ("2025-11-07 23:59 +08:00", True),   # the last day of the window
    ("2025-11-08 00:01 +08:00", False),  # the day after
])
def test_it_takes_objections_only_inside_the_window(time_machine, published, teacher, moment, accepted):
    time_machine.move_to(moment)
    if accepted:
        services.objection_raise(period=published, text="抽查分有误", actor=teacher.user)
        assert PeriodObjection.objects.count() == 1
    else:
        with pytest.raises(ValidationError, match="公示期已于2025年11月7日结束"):
            services.objection_raise(period=published, text="抽查分有误", actor=teacher.user)
        assert not PeriodObjection.objects.exists()


@pytest.mark.parametrize("moment, allowed", [("2025-11-07 18:00 +08:00", False), ("2025-11-08 08:00 +08:00", True)])
def test_it_makes_results_final_only_after_the_window(time_machine, published, office, moment, allowed):
    time_machine.move_to(moment)
    if allowed:
        ASSESSMENT_PERIOD.apply(published, "freeze", actor=office)
        published.refresh_from_db()
        assert published.status == "frozen"
    else:
        with pytest.raises(TransitionRefused, match="公示期至2025年11月7日结束"):
            ASSESSMENT_PERIOD.apply(published, "freeze", actor=office)
        published.refresh_from_db()
        assert published.status == "publicized"


def test_it_takes_the_window_length_from_the_settings(time_machine, month, grade_dept, teacher, office):
    time_machine.move_to(MONDAY)
    RuleSet.objects.create(version=RuleSet.objects.current().version + 1, public_notice_days=3)
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)
    services.period_compute(period=month, actor=office)
    services.period_publish(period=month, actor=office)
    assert str(Publication.objects.get().ends_on) == "2025-11-05"


def test_the_refusals_name_what_is_missing():
    from datetime import date

    assert objection_refusal(None) == "尚未公示，不能提出异议。"
    assert final_refusal(None, open_objections=0) == "尚未公示，不能定稿。"
    p = Publication(starts_on=date(2025, 11, 3), ends_on=date(2025, 11, 7))
    assert final_refusal(p, open_objections=2, today=date(2025, 11, 8)) == "还有 2 条异议未答复，答复后才能定稿。"
    assert final_refusal(p, open_objections=0, today=date(2025, 11, 8)) == ""
    assert objection_refusal(p, today=date(2025, 11, 2)).startswith("公示自2025年11月3日开始")


def test_the_page_shows_final_disabled_with_the_reason(client, published, office):
    client.force_login(office)
    html = client.get(reverse("assessment:period_detail", args=[published.pk])).content.decode()
    button = html.split(reverse("assessment:period_transition", args=[published.pk, "freeze"]))[1].split("</form>")[0]
    assert "disabled" in button and "公示期至2025年11月7日结束，公示期满后才能定稿。" in button


def test_a_refused_final_post_says_why_and_changes_nothing(client, published, office):
    client.force_login(office)
    response = client.post(reverse("assessment:period_transition", args=[published.pk, "freeze"]), follow=True)
    assert "公示期满后才能定稿" in response.content.decode()
    published.refresh_from_db()
    assert published.status == "publicized"


# --- the list for the staff concerned ----------------------------------------------------------


def _results_table(client, user, period) -> str:
    client.force_login(user)
    html = client.get(reverse("assessment:period_detail", args=[period.pk])).content.decode()
    return html.split('id="results"')[1].split("</table>")[0]


def test_a_colleague_of_the_department_sees_the_list_without_money(client, published, teacher, colleague, stranger):
    table = _results_table(client, teacher.user, published)
    assert "孙同" in table and "70.0" in table and "不合格" not in table.split("孙同")[0]
    assert "钱远" not in table  # another grade department: not concerned (default scope)
    assert "金额" not in table and "名次" not in table
    colleague_result = Result.objects.get(teacher=colleague)
    assert reverse("assessment:result_detail", args=[colleague_result.pk]) not in table


def test_the_whole_school_sees_the_list_when_the_setting_says_so(client, published, teacher, office):
    published.ruleset.public_notice_scope = NoticeScope.SCHOOL
    published.ruleset.save()
    assert "钱远" in _results_table(client, teacher.user, published)


def test_nobody_but_the_teacher_sees_the_list_outside_公示(client, month, grade_dept, teacher, colleague, office):
    MonthlyScoreFactory(period=month, teacher=colleague, department=grade_dept)
    services.period_compute(period=month, actor=office)
    assert "孙同" not in _results_table(client, teacher.user, month)


def test_an_outsider_does_not_see_the_period(client, published, outsider):
    client.force_login(outsider)
    assert client.get(reverse("assessment:period_detail", args=[published.pk])).status_code == 404


# --- corrections ----------------------------------------------------------------------------------


def test_the_office_reopens_only_after_an_upheld_objection(time_machine, published, teacher, office):
    objection = services.objection_raise(period=published, text="抽查分录错了", actor=teacher.user)
    services.objection_answer(objection=objection, answer="已复核，无误。", actor=office, upheld=False)
    with pytest.raises(TransitionRefused, match="异议经答复认定成立"):
        services.period_reopen(period=published, actor=office, reason="更正")
    published.refresh_from_db()
    assert published.status == "publicized"
    second = services.objection_raise(period=published, text="还是不对", actor=teacher.user)
    services.objection_answer(objection=second, answer="复核属实，予以更正。", actor=office, upheld=True)
    services.period_reopen(period=published, actor=office, reason="抽查分录入错误")
    published.refresh_from_db()
    publication = Publication.objects.get()
    assert published.status == "open"
    assert (publication.reopened_by, publication.reopen_reason) == (office, "抽查分录入错误")


def test_the_objector_is_told_the_answer(published, teacher, office, django_capture_on_commit_callbacks):
    objection = services.objection_raise(period=published, text="抽查分录错了", actor=teacher.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_answer(objection=objection, answer="复核属实，予以更正。", actor=office, upheld=True)
    note = Notification.objects.get(user=teacher.user, kind=NotificationKind.OBJECTION_ANSWERED)
    assert note.body == "复核属实，予以更正。"


def test_a_correction_shows_old_and_new_per_person(client, time_machine, published, grade_dept, teacher, office):
    objection = services.objection_raise(period=published, text="抽查分录错了", actor=teacher.user)
    services.objection_answer(objection=objection, answer="属实", actor=office, upheld=True)
    services.period_reopen(period=published, actor=office, reason="抽查分录入错误")
    services.monthly_scores_save(
        period=published, department=grade_dept, values={teacher.pk: {"office": D("70")}}, actor=office, reason="复核更正",
    )
    services.period_compute(period=published, actor=office)
    services.period_publish(period=published, actor=office)
    assert list(Publication.objects.values_list("round", flat=True)) == [1, 2]
    client.force_login(office)
    html = client.get(reverse("assessment:period_detail", args=[published.pk])).content.decode()
    changes = html.split("第 2 次公示与第 1 次相比的变化")[1].split("</table>")[0]
    assert "李堃" in changes and "85.0 → 75.0" in changes
    assert "孙同" not in changes  # unchanged results are not listed
    assert "抽查分录入错误" in html  # the reason of the reopening
    # The score's own 修改记录 keeps who, old → new and why.
    grid = client.get(reverse("assessment:grid", args=[published.pk, grade_dept.pk])).content.decode()
    assert "复核更正" in grid and "90 → 70" in grid.replace("90.0", "90").replace("70.0", "70")


def test_a_colleague_sees_what_changed_after_the_new_round(client, published, grade_dept, teacher, colleague, office, admin):
    services.period_reopen(period=published, actor=admin, reason="补录")
    services.monthly_scores_save(
        period=published, department=grade_dept, values={teacher.pk: {"office": D("70")}}, actor=office, reason="复核",
    )
    services.period_compute(period=published, actor=office)
    services.period_publish(period=published, actor=office)
    client.force_login(colleague.user)
    html = client.get(reverse("assessment:period_detail", args=[published.pk])).content.decode()
    assert "85.0 → 75.0" in html


# --- missing scores ------------------------------------------------------------------------------


def test_it_asks_for_confirmation_before_computing_with_missing_scores(client, month, grade_dept, other_grade, teacher, stranger, office):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)
    client.force_login(office)
    url = reverse("assessment:period_compute", args=[month.pk])
    html = client.post(url, follow=True).content.decode()
    assert "以下成绩尚未录齐" in html and "高二年级部：1 位班主任均无完整成绩" in html
    assert not Result.objects.exists()
    client.post(url, {"confirm_missing": "on"})
    assert Result.objects.count() == 1


def test_it_asks_for_confirmation_before_publishing_with_missing_scores(client, month, grade_dept, other_grade, teacher, stranger, office):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)
    services.period_compute(period=month, actor=office, missing_confirmed=True)
    client.force_login(office)
    url = reverse("assessment:period_transition", args=[month.pk, "publish"])
    html = client.post(url, follow=True).content.decode()
    assert "高二年级部：1 位班主任均无完整成绩" in html
    month.refresh_from_db()
    assert month.status == "open" and not Publication.objects.exists()
    client.post(url, {"confirm_missing": "on"})
    month.refresh_from_db()
    assert month.status == "publicized"


def test_a_semester_lists_its_months_not_yet_final(office, school):
    from assessment.models import Period
    from assessment.selectors import missing_inputs

    semester = Period.objects.create(school=school, kind=Period.Kind.SEMESTER, school_year=2025, semester=1)
    Period.objects.create(school=school, kind=Period.Kind.MONTH, school_year=2025, semester=1, month=9, status="frozen")
    Period.objects.create(school=school, kind=Period.Kind.MONTH, school_year=2025, semester=1, month=10)
    assert missing_inputs(period=semester) == [
        "2025年10月：月考核录入中，尚未定稿", "2025年11月：尚未建立月考核", "2025年12月：尚未建立月考核",
        "2026年1月：尚未建立月考核",
    ]


# --- money column --------------------------------------------------------------------------------


def test_a_month_of_the_default_scheme_shows_no_money_of_its_own(client, published, teacher, office):
    client.force_login(office)
    table = _results_table(client, office, published)
    assert "按学期发放" in table and "0.00" not in table
    result = Result.objects.get(teacher=teacher)
    detail = client.get(reverse("assessment:result_detail", args=[result.pk])).content.decode()
    assert "本月不单独发放津贴" in detail and "金额 0.00" not in detail
    notice = render_to_string("pdf/assessment_notice.html", {"result": result, "teacher": teacher, "period": published})
    assert "本月不单独发放" in notice and "0.00 元" not in notice


def test_the_monthly_sheet_leaves_the_money_blank_and_says_why(client, published, office):
    client.force_login(office)
    response = client.get(f"/archives/periods/{published.pk}/assessment.xlsx")
    wb = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    ws = wb["高一年级部"]
    headers = [c.value for c in ws[2]]
    column = headers.index("津贴（元，按学期发放）")
    assert [row[column].value for row in ws.iter_rows(min_row=3)][:-1] == [None, None]


def _republished(period, grade_dept, teacher, office, extra: int):
    MonthlyScoreFactory(period=period, teacher=teacher, department=grade_dept)
    for _ in range(extra):
        MonthlyScoreFactory(period=period, teacher=f.TeacherFactory(school=grade_dept.school, department=grade_dept), department=grade_dept)
    services.period_compute(period=period, actor=office)
    services.period_publish(period=period, actor=office)
    services.period_reopen(period=period, actor=f.UserFactory(is_superuser=True), reason="补录")
    period.scores.update(office_score=D("60"))
    services.period_compute(period=period, actor=office)
    services.period_publish(period=period, actor=office)


def test_the_period_page_costs_the_same_queries_for_one_or_many_rows(client, time_machine, month, school, grade_dept, teacher, office, django_assert_max_num_queries):
    """Two rounds of 公示 with their changes: 1 row and 13 rows cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.assessment.factories import MonthPeriodFactory

    time_machine.move_to(MONDAY)
    november = MonthPeriodFactory(school=school, school_year=2025, month=11)
    _republished(month, grade_dept, teacher, office, extra=0)
    _republished(november, grade_dept, teacher, office, extra=12)
    client.force_login(teacher.user)
    client.get(reverse("assessment:period_detail", args=[month.pk]))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assessment:period_detail", args=[month.pk]))
    with django_assert_max_num_queries(len(one)):
        html = client.get(reverse("assessment:period_detail", args=[november.pk])).content.decode()
    assert html.count("→ ") >= 13 * 2  # every person's score and outcome in the changes


def test_a_period_published_before_rounds_were_kept_uses_its_stored_last_day(time_machine, published, teacher, office):
    from datetime import date

    Publication.objects.all().delete()
    published.notice_ends_on = date(2025, 11, 4)
    published.save(update_fields=["notice_ends_on"])
    with pytest.raises(TransitionRefused, match="公示期至2025年11月4日结束"):
        ASSESSMENT_PERIOD.apply(published, "freeze", actor=office)
    time_machine.move_to("2025-11-05 09:00 +08:00")
    with pytest.raises(ValidationError, match="公示期已于2025年11月4日结束"):
        services.objection_raise(period=published, text="有误", actor=teacher.user)
    ASSESSMENT_PERIOD.apply(published, "freeze", actor=office)


# --- the 公示名单 to print ---------------------------------------------------------------------


def _notice_pdf(client, user, period, tmp_path):
    from tests.conftest import pdftotext

    client.force_login(user)
    response = client.get(reverse("archives:period_notice_sheet", args=[period.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    out = tmp_path / "notice.pdf"
    out.write_bytes(response.content)
    return pdftotext(out).replace(" ", "")


def test_the_printed_list_is_the_list_the_person_sees(client, published, teacher, office, tmp_path):
    text = _notice_pdf(client, teacher.user, published, tmp_path)
    assert "李堃" in text and "孙同" in text and "70.0" in text
    assert "钱远" not in text  # another grade department: not on this teacher's list
    assert "至2025年11月7日" in text and "德育处" in text
    assert "金额" not in text
    assert "钱远" in _notice_pdf(client, office, published, tmp_path)  # the office prints the whole list


@pytest.mark.parametrize("persona, code", [("anonymous", 302), ("outsider", 404), ("leader", 200), ("office", 200)])
def test_the_printed_list_answers_each_persona(client, request, published, persona, code):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("archives:period_notice_sheet", args=[published.pk]))
    assert response.status_code == code
    if code == 302:
        assert "/accounts/login/" in response["Location"]


def test_a_period_not_in_公示_prints_no_list(client, month, grade_dept, teacher, office):
    MonthlyScoreFactory(period=month, teacher=teacher, department=grade_dept)
    services.period_compute(period=month, actor=office)
    client.force_login(office)
    response = client.get(reverse("archives:period_notice_sheet", args=[month.pk]))
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == ["该考核周期不在公示期，没有可打印的公示名单。"]
    assert reverse("archives:period_notice_sheet", args=[month.pk]) not in client.get(
        reverse("assessment:period_detail", args=[month.pk])
    ).content.decode()


def test_the_period_page_links_the_list_during_公示(client, published, teacher):
    client.force_login(teacher.user)
    body = client.get(reverse("assessment:period_detail", args=[published.pk])).content.decode()
    assert reverse("archives:period_notice_sheet", args=[published.pk]) in body


def test_the_printed_list_costs_the_same_queries_for_more_rows(
    client, published, grade_dept, office, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    url = reverse("archives:period_notice_sheet", args=[published.pk])
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    for i in range(10):
        t = f.TeacherFactory(name=f"周{i}", school=grade_dept.school, department=grade_dept)
        MonthlyScoreFactory(period=published, teacher=t, department=grade_dept)
        Result.objects.create(period=published, teacher=t, department=grade_dept, ruleset=published.ruleset, score=D("80"), outcome="合格")
    with django_assert_max_num_queries(len(three)):
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
