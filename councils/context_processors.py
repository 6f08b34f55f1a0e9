from .access import roles_for


def roles(request):
    """`roles` in every template, so navigation follows the user's role."""
    return {"roles": roles_for(request.user)}
