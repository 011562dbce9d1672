"""The parameters every assessment rule reads, as one frozen value.

``rules_from_ruleset`` is the one place where a school's settings (a
``RuleSet`` row, DOMAIN.md §9 and §9.4a) become rule parameters; the rules
themselves never touch the database, so their tests need none."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

ONE_PLACE = Decimal("0.1")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

# Levels of an award, lowest first (the values of ``members.choices.Level``).
LEVELS = ("school", "county", "municipal", "provincial", "national")
LEVEL_LABELS = {"school": "校级", "county": "县级", "municipal": "市级", "provincial": "省级", "national": "国家级"}


def round_score(value: Decimal) -> Decimal:
    """Scores: one decimal place, rounded half up (DOMAIN.md §9.4a)."""
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    """Money: 0.01 元, rounded half up (DOMAIN.md §9.4a)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_count(value: Decimal) -> int:
    """Head counts: a whole number, rounded half up (DOMAIN.md §9.4a)."""
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Rules:
    """Every §9 setting as the rules need it; defaults are DOMAIN.md's."""

    version: int = 0
    scheme: str = "default"  # "default" (§9.1) or "alternative" (§9.2)
    # §9.1
    dept_weight: Decimal = Decimal("0.50")
    office_weight: Decimal = Decimal("0.50")
    full_mark: Decimal = Decimal("100")
    pass_mark: Decimal = Decimal("60")
    monthly_allowance: Decimal = Decimal("200")
    allowance_months_per_year: int = 10
    # §9.2
    alt_monthly_weight: Decimal = Decimal("0.70")
    alt_annual_weight: Decimal = Decimal("0.30")
    alt_base_allowance: Decimal = Decimal("300")
    tier1_share: Decimal = Decimal("0.30")
    tier2_share: Decimal = Decimal("0.40")
    tier_base_amount: Decimal = Decimal("500")
    tier_step: Decimal = Decimal("50")
    # §9.3
    bonus_by_level: tuple = (
        ("school", Decimal("1")),
        ("county", Decimal("2")),
        ("municipal", Decimal("3")),
        ("provincial", Decimal("4")),
        ("national", Decimal("5")),
    )
    excellent_top_n: int = 4
    excellent_min_conditions: int = 2
    model_top_n: int = 2
    # 标兵班队 excellence rate of 语文/数学/外语 by grade band, as fractions
    model_rate_grades_1_2: Decimal = Decimal("0.90")
    model_rate_grades_3_4: Decimal = Decimal("0.80")
    model_rate_grades_5_6: Decimal = Decimal("0.70")
    # §9.4
    member_grades: str = "pass"  # "pass": 优秀/合格/不合格; "good": 优秀/良好/不合格
    member_excellent_min: Decimal = Decimal("90")
    member_pass_min: Decimal = Decimal("60")
    absence_limit_numerator: int = 1
    absence_limit_denominator: int = 3
    # §9.5
    evaluation_excellent_min: Decimal = Decimal("90")
    evaluation_pass_min: Decimal = Decimal("60")
    # ((indicator, weight), ...): the four first-level indicators in points of
    # the 100-point total (settings, equal by default); a second-level
    # indicator named here weighs relative to its siblings (1 when not named).
    rubric_weights: tuple = (
        ("总体要求", Decimal("25")),
        ("工作室成员", Decimal("25")),
        ("建设实践", Decimal("25")),
        ("建设成效", Decimal("25")),
    )

    def bonus_points(self, level: str) -> Decimal:
        return self._bonus_map[level]

    # Derived values computed once per Rules value (the dataclass is frozen,
    # so they never go stale).
    @cached_property
    def _bonus_map(self) -> dict:
        return dict(self.bonus_by_level)

    @cached_property
    def grade_bands(self) -> tuple:
        """((first grade, last grade, excellence rate), ...) of 标兵班队 (§9.3)."""
        return (
            (1, 2, self.model_rate_grades_1_2),
            (3, 4, self.model_rate_grades_3_4),
            (5, 6, self.model_rate_grades_5_6),
        )

    @cached_property
    def dept_percent(self) -> str:
        return f"{self.dept_weight:%}"

    @cached_property
    def office_percent(self) -> str:
        return f"{self.office_weight:%}"

    @cached_property
    def alt_monthly_percent(self) -> str:
        return f"{self.alt_monthly_weight:%}"

    def as_dict(self) -> dict:
        """A JSON-able snapshot stored with every computed result."""
        out = {}
        for name in self.__dataclass_fields__:  # fields only, not the cached values
            value = getattr(self, name)
            if isinstance(value, tuple):
                value = [[k, str(v)] for k, v in value]
            elif isinstance(value, Decimal):
                value = str(value)
            out[name] = value
        return out


def rules_from_ruleset(rs) -> Rules:
    """Build the rule parameters from a school's ``RuleSet`` (§9, §9.4a)."""
    rubric = rs.evaluation_rubric or {}
    weights = rubric.get("weights", rubric) if isinstance(rubric, dict) else {}
    first_level = {
        "总体要求": rs.evaluation_weight_overall,
        "工作室成员": rs.evaluation_weight_members,
        "建设实践": rs.evaluation_weight_practice,
        "建设成效": rs.evaluation_weight_results,
    }
    second_level = {str(k): Decimal(str(v)) for k, v in weights.items() if str(k) not in first_level}
    return Rules(
        version=rs.version,
        scheme=rs.assessment_scheme,
        dept_weight=rs.monthly_dept_weight,
        office_weight=rs.monthly_office_weight,
        full_mark=Decimal(rs.monthly_full_mark),
        pass_mark=rs.monthly_pass_mark,
        monthly_allowance=rs.monthly_allowance,
        allowance_months_per_year=rs.allowance_months_per_year,
        alt_monthly_weight=rs.alt_monthly_weight,
        alt_annual_weight=rs.alt_annual_weight,
        alt_base_allowance=rs.alt_base_allowance,
        tier1_share=rs.alt_tier1_share,
        tier2_share=rs.alt_tier2_share,
        tier_base_amount=rs.alt_tier_base_amount,
        tier_step=rs.alt_tier_step,
        bonus_by_level=(
            ("school", rs.bonus_school),
            ("county", rs.bonus_county),
            ("municipal", rs.bonus_municipal),
            ("provincial", rs.bonus_provincial),
            ("national", rs.bonus_national),
        ),
        excellent_top_n=rs.excellent_top_n,
        excellent_min_conditions=rs.excellent_min_conditions,
        model_top_n=rs.model_top_n,
        # The settings hold percentages (90 = 90%); the rules compare fractions.
        model_rate_grades_1_2=rs.model_rate_grades_1_2 / HUNDRED,
        model_rate_grades_3_4=rs.model_rate_grades_3_4 / HUNDRED,
        model_rate_grades_5_6=rs.model_rate_grades_5_6 / HUNDRED,
        member_grades=rs.member_grades,
        member_excellent_min=rs.member_excellent_min,
        member_pass_min=rs.member_pass_min,
        absence_limit_numerator=rs.absence_limit_numerator,
        absence_limit_denominator=rs.absence_limit_denominator,
        evaluation_excellent_min=rs.evaluation_excellent_min,
        evaluation_pass_min=rs.evaluation_pass_min,
        rubric_weights=(*first_level.items(), *sorted(second_level.items())),
    )
