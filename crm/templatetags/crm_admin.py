from django import template

from crm.languages import language_display, readable_time_zone

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """{{ person.preferred_language|language_name }}: the language by name, not its code."""
    return language_display(code)


@register.filter
def time_zone_name(zone: str) -> str:
    """ "Asia/Shanghai" as 中国时间 (Shanghai) in a Chinese admin: CLDR's name through Babel."""
    return readable_time_zone(zone)
