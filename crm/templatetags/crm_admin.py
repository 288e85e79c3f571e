from django import template

from crm.languages import language_display

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """{{ person.preferred_language|language_name }}: the language by name, not its code."""
    return language_display(code)
