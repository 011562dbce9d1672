"""Counts and sums of a subquery, for list annotations that must not multiply rows."""

from django.db.models import DecimalField, IntegerField, Subquery


class SubqueryCount(Subquery):
    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


class SubquerySum(Subquery):
    template = "(SELECT coalesce(sum(_sum.%(column)s), 0) FROM (%(subquery)s) _sum)"
    output_field = DecimalField(max_digits=12, decimal_places=2)

    def __init__(self, queryset, column, **extra):
        super().__init__(queryset, column=column, **extra)
