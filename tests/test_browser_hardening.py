"""In a real browser: a double click sends a create form once; a large
roster is read in the background while its page shows the progress."""

import pytest

from assessment.models import BonusAward
from members.models import RosterImport
from members.roster import services
from tests.members.roster_files import roster_row, xlsx_bytes

pytestmark = pytest.mark.browser


def fill_award(page, teacher):
    page.select_option("select[name=teacher]", str(teacher.pk))
    page.fill("input[name=school_year]", "2025")
    page.select_option("select[name=semester]", "1")
    page.select_option("select[name=category]", "class_prize")
    page.fill("input[name=event]", "市文明班级")
    page.select_option("select[name=level]", "municipal")


def test_a_double_click_sends_the_form_once(page, login, office, teacher, axe):
    login(office)
    page.goto("/assessment/awards/new/")
    assert axe() == []
    fill_award(page, teacher)
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    with page.expect_navigation():
        page.dblclick("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    assert len(posts) == 1
    assert BonusAward.objects.count() == 1
    assert "该表单已提交" not in page.content()


def test_a_large_roster_shows_its_progress_then_its_preview(page, login, office, department, settings, monkeypatch, tmp_path, axe):
    settings.IMPORT_BACKGROUND_ROWS = 20
    sent = []
    monkeypatch.setattr("members.roster.views.roster_read.delay", sent.append)  # the worker starts it below
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(xlsx_bytes([roster_row(f"R{i:03d}", f"教师{i}") for i in range(40)]))
    login(office)
    page.goto("/people/roster/")
    page.set_input_files("input[type=file]", str(roster))
    page.click("text=上传并预览")
    page.wait_for_selector("#job")
    assert "0/40" in page.inner_text("#job-count")
    assert axe() == []
    roster_import = RosterImport.objects.get()
    assert sent == [roster_import.pk]
    services.roster_import_read(roster_import_id=roster_import.pk)
    page.wait_for_selector("#job-download:not(.d-none)")
    assert page.inner_text("#job-count") == "40/40"
    page.click("#job-download")
    page.wait_for_selector("#count-create")
    assert page.inner_text("#count-create") == "40"

