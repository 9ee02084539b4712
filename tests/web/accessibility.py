"""What a screen reader needs from a page's HTML, checked without a browser (the crawl runs it on every
page of every role): a language, one element per id, a label for every field (and a field for every
label), a target for every link within the page (an error summary's links to its fields), a text
alternative for every image, a name for every link and button."""

from __future__ import annotations

from collections import Counter

from lxml import html

BUTTON_TYPES = "@type='hidden' or @type='submit' or @type='button' or @type='reset'"
FIELDS = f"//input[not({BUTTON_TYPES})]|//select|//textarea"


def accessibility_problems(text: str) -> list[str]:
    document = html.fromstring(text)
    found: list[str] = []
    if not document.xpath("/html/@lang") and document.tag == "html":
        found.append("the page does not say its language (<html lang>)")
    repeated = [value for value, count in Counter(document.xpath("//@id")).items() if count > 1]
    found += [f"id {value!r} is used more than once" for value in repeated]
    ids = set(document.xpath("//@id"))
    labelled = set(document.xpath("//label/@for"))
    for field in document.xpath(FIELDS):
        if not _has_label(field, labelled):
            found.append(f"the {field.tag} {field.get('name')!r} has no label")
    found += [f"a label is for {target!r}, which is not on the page" for target in labelled - ids]
    anchors = {href[1:] for href in document.xpath("//a/@href") if href.startswith("#") and len(href) > 1}
    found += [f"a link leads to #{target}, which is not on the page" for target in sorted(anchors - ids)]
    found += ["an image has no alt text" for _image in document.xpath("//img[not(@alt)]")]
    for element in document.xpath("//a|//button"):
        if not _has_name(element):
            kind = "link" if element.tag == "a" else "button"
            found.append(f"a {kind} has no text ({element.get('href') or element.get('class')!r})")
    return found


def _has_label(field: html.HtmlElement, labelled: set[str]) -> bool:
    if field.get("aria-label") or field.get("aria-labelledby") or field.get("title"):
        return True
    if field.get("id") in labelled:
        return True
    return any(ancestor.tag == "label" for ancestor in field.iterancestors())


def _has_name(element: html.HtmlElement) -> bool:
    if "".join(element.itertext()).strip() or element.get("aria-label") or element.get("title"):
        return True
    return bool(element.xpath(".//img[@alt!='']|.//*[local-name()='title']"))
