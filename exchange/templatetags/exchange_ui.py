from django import template

from exchange.services import may_import

register = template.Library()


@register.simple_tag(takes_context=True)
def user_may_import(context: template.Context) -> bool:
    user = context.get("user")
    return bool(user is not None and user.is_authenticated and may_import(user))
