"""The moments a teacher takes up or loses a place in a workroom (聘任,
DOMAIN.md §3, §4, §5). Higher layers take part through these hooks (see
``core.registry``): the archives issue the 聘书 and the 挂牌证书 and revoke
a 聘书 whose appointment ended early. Each is called inside the
transaction that makes the change, so a refusal rolls both back."""

from core.registry import Hook

# (workroom=, actor=): 审批 created the workroom and its host's term (DOMAIN.md §4).
workroom_approved = Hook("workroom_approved")
# (membership=, actor=): a member's agreement is filed, or a host is added
# later (副主持人, successor), so their term starts (DOMAIN.md §5, §3).
appointment_started = Hook("appointment_started")
# (membership=, actor=, reason=): a term ended before the cycle did: a host
# removed for a 师德 violation or replaced after a change of job, a member
# who withdrew or was removed (the office approved the change).
appointment_ended = Hook("appointment_ended")
# (workroom=, actor=, reason=): the workroom has a new 领衔人 (主持人变更) and
# carries the new lead's name: its 挂牌证书 is exchanged.
lead_changed = Hook("lead_changed")
