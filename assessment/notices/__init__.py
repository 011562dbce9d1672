"""公示 of the results that are not a period's (DOMAIN.md §12): a workroom's
member grades of a semester (with its 优秀工作室成员), its annual member
grades, a workroom evaluation. Each is published through ``core.publicity``
like the periods; this package says, per kind, what the list shows, who
the staff concerned are and where the records' history is."""
