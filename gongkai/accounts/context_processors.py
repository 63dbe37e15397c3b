from gongkai.core.access import user_roles


def staff_context(request):
    """The signed-in person's agency and roles, for the workbench header and navigation."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.agency_id):
        return {}
    roles = user_roles(user)
    return {"staff_roles": roles, "staff_agency": user.agency}
