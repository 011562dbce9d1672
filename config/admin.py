from django.contrib import admin

from members.roles import roles_of


class SchoolAdminSite(admin.AdminSite):
    """Django admin, open to administrators (管理员) only."""

    site_header = "名班主任工作室管理系统 · 后台"
    site_title = "工作室管理后台"
    index_title = "后台管理"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_staff and roles_of(request.user).is_admin
