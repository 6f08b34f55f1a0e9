"""Post a form back as a browser would: the values the page's HTML shows, not the view's context
(so a hidden field the template forgets to render is missed here too)."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append((attrs.get("action"), self._form))
        elif self._form is None:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form.append(
                (
                    attrs.get("name"),
                    attrs.get("value", "on" if kind in ("checkbox", "radio") else ""),
                )
            )
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self._form.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline right after <textarea>; a browser drops it.
            name, value = self._textarea
            self._form.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(response, field="version", *, action=None):
    """The fields of the page's form that has an input named `field` (and posts to `action`),
    as a browser posts them (a dict; a name that occurs several times, such as checkboxes, maps
    to a list)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    for form_action, form in reader.forms:
        if action is not None and form_action != action:
            continue
        if any(name == field for name, _ in form):
            data = {}
            for name, value in form:
                if name is None or name == "csrfmiddlewaretoken":
                    continue
                if name in data:
                    data[name] = (
                        [*data[name], value]
                        if isinstance(data[name], list)
                        else [data[name], value]
                    )
                else:
                    data[name] = value
            return data
    raise AssertionError(f"No form with a field named {field!r} on the page.")
