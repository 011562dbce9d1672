"""The kernel's models are administered in ``members.admin``: their lists
name people, which only that layer knows."""
