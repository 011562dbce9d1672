"""The agreement (协议) between host and member (DOMAIN.md §5): the duties
(§6), the tasks and how the member is assessed (§9.4, §9.4a), worded from
the school's settings in force when the member was accepted."""

from dataclasses import dataclass
from decimal import Decimal


def _num(value) -> str:
    return f"{Decimal(value).normalize():f}"


@dataclass(frozen=True)
class AgreementTerms:
    member_duties: tuple[str, ...]
    host_duties: tuple[str, ...]
    workroom_duties: tuple[str, ...]
    assessment: tuple[str, ...]


def agreement_terms(rs) -> AgreementTerms:
    """The terms of the agreement under rule set ``rs`` (no database access)."""
    grades = "优秀 / 良好 / 不合格" if rs.member_grades == "good" else "优秀 / 合格 / 不合格"
    return AgreementTerms(
        member_duties=(
            f"每学期参加计划会 {rs.duty_planning_meetings} 次、阶段汇报会不少于 {rs.duty_progress_meetings} 次、"
            f"总结会 {rs.duty_summary_meetings} 次；每月参加例会 {rs.duty_regular_meetings_per_month} 次、"
            f"集中学习不少于 {rs.duty_group_study_per_month} 次。",
            f"每学年研读工作室推荐书目（德育/心理著作）不少于 {rs.duty_recommended_books_per_year} 本"
            + (f"、每学期阅读其他书籍不少于 {rs.duty_books_per_semester} 本" if rs.duty_books_per_semester else "")
            + "，每年撰写读书心得不少于 "
            f"{rs.duty_reflections_per_year} 篇（每篇不少于 {rs.reflection_min_chars} 字）；每学期阅读论文不少于 "
            f"{rs.duty_papers_read_per_semester} 篇。",
            f"每学期撰写教育叙事/案例不少于 {rs.duty_narratives_per_semester} 篇、学生个案不少于 "
            f"{rs.duty_student_cases_per_semester} 篇，投稿德育论文/文章不少于 {rs.duty_articles_per_semester} 篇。",
            f"每年上示范班会课不少于 {rs.duty_demo_classes_per_year} 节；每年参加培训不少于 "
            f"{rs.duty_training_hours_per_year} 课时，其中市级及以上专家讲座不少于 {rs.duty_expert_lectures_per_year} 次。",
            f"每学期参加跨工作室交流不少于 {rs.duty_exchanges_per_semester} 次；制订三年个人发展规划，记录成长手册。",
        ),
        host_duties=(
            f"主持人每年开设讲座不少于 {rs.duty_host_lectures_per_year} 次，听成员课不少于 "
            f"{rs.duty_host_observations_per_year} 节；组织活动、考勤，审阅成员记录并考核成员。",
        ),
        workroom_duties=(f"工作室每年取得区级及以上获奖成果不少于 {rs.duty_awarded_results_per_year} 项。",),
        assessment=(
            "主持人每学期、每学年从师德表现、工作态度、理论水平、管理能力、科研能力五个方面考核成员，"
            "并核对履职、出勤、任务与成果记录。",
            f"考核等级：{grades}。五个方面各 20 分，总分 {_num(rs.member_excellent_min)} 分及以上为优秀，"
            f"{_num(rs.member_pass_min)} 分及以上为合格，其余为不合格。",
            f"缺席工作室活动超过 {rs.absence_limit_numerator}/{rs.absence_limit_denominator} 的，"
            "不再参加工作室培训（调整出工作室）。",
            "年度考核不合格的，调整出工作室并报学校；成员可申请退出，由主持人转报、学校批准。",
        ),
    )
