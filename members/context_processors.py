from members.roles import roles_of


def roles(request):
    return {"roles": roles_of(request.user)}
