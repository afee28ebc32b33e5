"""`{% memo "name" [value …] %}…{% endmemo %}`: a part of the page shell rendered once per
process, language and values, then reused by every page (guidance/memo.py, per_language).

Only for markup that depends on nothing but the code, the interface translations, the
language and the values named: the site's navigation (`nav` says which item is current)
and the footer's links and licence. Anything that varies by page (the language switcher's
links, the canonical address) stays outside.
"""

from django import template

from guidance.memo import per_language

register = template.Library()


class MemoNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        values = tuple(str(value.resolve(context)) for value in self.values)
        return per_language(self.name, lambda *_: self.nodelist.render(context), *values)


@register.tag
def memo(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% memo "name" [value …] %} needs a quoted name')
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])
