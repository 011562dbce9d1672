"""Pages of group robots: permission matrix, the secret never shown again
in full, refused input kept, the test button, the delivery list."""

import pytest
from django.urls import reverse

from core.models import GroupRobot, RobotDelivery, RobotEvent
from core.robots import robot_connect
from tests import factories as f
from tests.workrooms.robots.conftest import SECRET

pytestmark = pytest.mark.django_db
LOGIN = "login"


@pytest.fixture
def department_robot(department, office, endpoint):
    return robot_connect(owner=department, actor=office, name="年级部群", platform=GroupRobot.Platform.WECOM,
                         webhook_url=f"{endpoint.wecom}deptkey-0001", events=[RobotEvent.RESULT_PUBLISHED])


@pytest.fixture
def personas(admin, office, leader, reviewer, teacher, host, member, outsider):
    return {"office": office, "leader": leader, "reviewer": reviewer, "teacher": teacher.user, "host": host,
            "member": member, "outsider": outsider}


W_READ = {"anonymous": LOGIN, "outsider": 404, "teacher": 404, "leader": 200, "member": 200, "host": 200, "office": 200}
W_PAGE = {"anonymous": LOGIN, "outsider": 404, "teacher": 404, "leader": 403, "member": 403, "host": 200, "office": 200}
W_POST = {**W_PAGE, "host": 302, "office": 302}
D_READ = {"anonymous": LOGIN, "outsider": 404, "host": 404, "reviewer": 200, "leader": 200, "office": 200}
D_PAGE = {"anonymous": LOGIN, "outsider": 404, "host": 404, "reviewer": 403, "leader": 403, "office": 200}
D_POST = {**D_PAGE, "office": 302}


def cases():
    return [
        ("workrooms:robot_index", lambda w, d, rw, rd: [], "get",
         {"anonymous": LOGIN, "outsider": 200, "host": 200, "office": 200}),
        ("workrooms:robots", lambda w, d, rw, rd: ["workroom", w.pk], "get", W_READ),
        ("workrooms:robot_create", lambda w, d, rw, rd: ["workroom", w.pk], "get", W_PAGE),
        ("workrooms:robot_edit", lambda w, d, rw, rd: [rw.pk], "get", W_PAGE),
        ("workrooms:robot_test", lambda w, d, rw, rd: [rw.pk], "post", W_POST),
        ("workrooms:robots", lambda w, d, rw, rd: ["department", d.pk], "get", D_READ),
        ("workrooms:robot_create", lambda w, d, rw, rd: ["department", d.pk], "get", D_PAGE),
        ("workrooms:robot_edit", lambda w, d, rw, rd: [rd.pk], "get", D_PAGE),
        ("workrooms:robot_test", lambda w, d, rw, rd: [rd.pk], "post", D_POST),
        ("workrooms:robot_delete", lambda w, d, rw, rd: [rd.pk], "post", D_POST),
    ]


@pytest.mark.parametrize("name,args,method,expected", cases())
def test_the_permission_matrix(client, personas, workroom, department, dingtalk_robot, department_robot, name, args,
                               method, expected, django_capture_on_commit_callbacks):
    url = reverse(name, args=args(workroom, department, dingtalk_robot, department_robot))
    for persona, want in expected.items():
        client.logout()
        if persona != "anonymous":
            client.force_login(personas[persona])
        with django_capture_on_commit_callbacks(execute=True):
            r = getattr(client, method)(url)
        if want == LOGIN:
            assert r.status_code == 302 and "/accounts/login/" in r.url, persona
        else:
            assert r.status_code == want, (persona, r.status_code)


def test_the_host_connects_a_robot_and_never_sees_the_secret_again(client, host, workroom, endpoint):
    client.force_login(host)
    url = f"{endpoint.dingtalk}abcdef0123456789token"
    r = client.post(reverse("workrooms:robot_create", args=["workroom", workroom.pk]), {
        "name": "成员群", "platform": "dingtalk", "webhook_url": url, "secret": SECRET, "msgtype": "markdown",
        "events": ["activity_tomorrow", "signin_open"], "is_active": "on",
    })
    assert r.status_code == 302
    robot = GroupRobot.objects.get()
    assert (robot.owner, robot.secret, robot.webhook_url) == (workroom, SECRET, url)
    assert robot.events == ["activity_tomorrow", "signin_open"]
    for page in (reverse("workrooms:robots", args=["workroom", workroom.pk]),
                 reverse("workrooms:robot_edit", args=[robot.pk])):
        html = client.get(page).content.decode()
        assert SECRET not in html and "abcdef0123456789token" not in html
        assert SECRET[-4:] in html  # recognisable by its end


def test_saving_with_blank_credentials_keeps_the_saved_ones(client, host, dingtalk_robot):
    client.force_login(host)
    r = client.post(reverse("workrooms:robot_edit", args=[dingtalk_robot.pk]), {
        "name": "改名了", "platform": "dingtalk", "webhook_url": "", "secret": "", "msgtype": "text",
        "events": ["duty_warning"],
    })
    assert r.status_code == 302
    robot = GroupRobot.objects.get(pk=dingtalk_robot.pk)
    assert (robot.name, robot.secret, robot.webhook_url, robot.is_active) == (
        "改名了", dingtalk_robot.secret, dingtalk_robot.webhook_url, False)


@pytest.mark.parametrize("data,field,message", [
    ({"platform": "wecom", "webhook_url": "http://10.0.0.5/admin"}, "webhook_url", "Webhook 地址应以"),
    ({"platform": "dingtalk", "webhook_url": "{dingtalk}tok", "secret": "notsec"}, "secret", "以 SEC 开头"),
    ({"platform": "wecom", "webhook_url": "{wecom}key1", "secret": "SECabc"}, "secret", "企业微信群机器人没有加签密钥"),
    ({"platform": "wecom", "webhook_url": "{wecom}key1", "events": []}, "events", "请至少选择一种"),
])
def test_a_refused_robot_says_why_keeps_the_input_and_saves_nothing(client, host, workroom, endpoint, data, field, message):
    client.force_login(host)
    post = {"name": "成员群", "msgtype": "markdown", "events": ["signin_open"], "secret": "", **data}
    post["webhook_url"] = post["webhook_url"].format(wecom=endpoint.wecom, dingtalk=endpoint.dingtalk)
    r = client.post(reverse("workrooms:robot_create", args=["workroom", workroom.pk]), post)
    assert r.status_code == 200
    assert message in str(r.context["form"].errors[field])
    assert r.context["form"]["name"].value() == "成员群"
    assert not GroupRobot.objects.exists()


def test_the_same_robot_twice_is_refused(client, host, workroom, wecom_robot):
    client.force_login(host)
    r = client.post(reverse("workrooms:robot_create", args=["workroom", workroom.pk]), {
        "name": "又一次", "platform": "wecom", "webhook_url": wecom_robot.webhook_url, "msgtype": "text",
        "events": ["signin_open"],
    })
    assert "已经连接过了" in str(r.context["form"].errors["webhook_url"])
    assert GroupRobot.objects.count() == 1


def test_the_test_button_sends_and_the_list_shows_the_outcome(client, host, dingtalk_robot, endpoint, workroom,
                                                              django_capture_on_commit_callbacks):
    endpoint.script = [(200, {"errcode": 300001, "errmsg": "token is not exist"})]
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("workrooms:robot_test", args=[dingtalk_robot.pk]))
    assert r.status_code == 302
    html = client.get(r.url).content.decode()
    assert "发送失败" in html and "token is not exist" in html
    assert RobotDelivery.objects.get().status == RobotDelivery.Status.FAILED


def test_the_delivery_list_filters_and_keeps_its_queries(client, host, workroom, dingtalk_robot,
                                                         django_assert_max_num_queries):
    client.force_login(host)
    url = reverse("workrooms:robots", args=["workroom", workroom.pk])
    RobotDelivery.objects.create(robot=dingtalk_robot, event="test", title="一条", status="sent")
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    RobotDelivery.objects.bulk_create([
        RobotDelivery(robot=dingtalk_robot, event="test", title=f"第{i}条", status="failed", error="HTTP 500")
        for i in range(40)
    ])
    with django_assert_max_num_queries(len(one.captured_queries)):
        r = client.get(url)
    assert "第39条" in r.content.decode()
    r = client.get(url, {"status": "sent"})
    assert "一条" in r.content.decode() and "第39条" not in r.content.decode()


def test_a_robot_of_another_workroom_is_not_found(client, host, department, ruleset, endpoint):
    other = f.WorkroomFactory(host=f.TeacherFactory(school=department.school, department=department))
    robot = robot_connect(owner=other, actor=other.host.user, name="别人的群", platform="wecom",
                          webhook_url=f"{endpoint.wecom}zzz1", events=["signin_open"])
    client.force_login(host)
    assert client.get(reverse("workrooms:robot_edit", args=[robot.pk])).status_code == 404
