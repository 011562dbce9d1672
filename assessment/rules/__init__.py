"""The assessment rules of DOMAIN.md §9, as pure functions.

Find a rule by its name:

- monthly score and pass/fail with vetoes ...... ``monthly.monthly_result`` (§9.1)
- semester allowance, halving, substitutes ..... ``allowance.semester_allowance`` (§9.1)
- alternative monthly post allowance ........... ``allowance.alt_monthly_allowance`` (§9.2)
- annual award with the veto list .............. ``annual.annual_awards`` (§9.2)
- bonus points and semester composite .......... ``bonus.bonus_points``, ``bonus.semester_composite`` (§9.3)
- prize tiers with ties ........................ ``tiers.prize_tiers`` (§9.2, §9.4a)
- class titles ................................. ``titles.class_titles`` (§9.3)
- member grade ................................. ``member.member_grade`` (§9.4)
- workroom evaluation .......................... ``evaluation.workroom_evaluation`` (§9.5)
- weekly 优秀班级 / monthly 窗口班级 ............ ``honours.class_title_refusal`` (§9.1)
- 优秀工作室成员 ............................... ``honours.outstanding_member_refusal`` (§9.4)
- extending the construction cycle ............. ``honours.cycle_extension_refusal`` (§9.5)

Parameters come from ``params.rules_from_ruleset(ruleset)``."""

from assessment.rules.params import Rules, rules_from_ruleset

__all__ = ["Rules", "rules_from_ruleset"]
