"""Rendered map text stays text: branca must not compile it again as a Jinja template.

branca (0.8.2, pinned) keeps each element's rendered header/html/script as `Element(text)`, and
`Element.__init__` compiles `text` as a new Jinja template, rendered again with the page. That
costs seconds for a city's GeoJSON (6,000 communities: Jinja tokenises megabytes of coordinates
on every map build) and evaluates any `{{ … }}` inside the data — a community name from an
uploaded boundary file — as template code on the server. Every `Element` given a template
*string* in branca and folium holds such rendered or static text (elements with real templates
are subclasses with their own `_template`), so a plain `Element(text)` now returns `text` as is.
"""

from __future__ import annotations

from branca.element import Element

_original_init = Element.__init__


def _init(self: Element, template: str | None = None, template_name: str | None = None) -> None:
    if type(self) is Element and template is not None:
        _original_init(self)  # the class template (children only), compiled once at import
        self._verbatim = template
    else:
        _original_init(self, template, template_name)


def _render(self: Element, **kwargs) -> str:
    text = self.__dict__.get("_verbatim")
    if text is not None:
        return text
    return self._template.render(this=self, kwargs=kwargs)


def install() -> None:
    """Make plain `Element(text)` verbatim (idempotent)."""
    Element.__init__ = _init
    Element.render = _render
