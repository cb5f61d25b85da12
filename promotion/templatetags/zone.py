from decimal import Decimal

from django import template

from ..units import Unit, quantity

register = template.Library()


@register.simple_tag
def yuan(amount: Decimal) -> str:
    """An amount of yuan in the reader's language: "350 million yuan", "3.5亿元"."""
    return str(quantity(amount, Unit.YUAN))
