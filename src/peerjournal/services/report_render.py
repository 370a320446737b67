"""Render report data to Markdown (Jinja2 templates) and to one self-contained HTML file.

Templates ship in ``peerjournal/templates``; a file of the same name in ``<home>/templates``
overrides one, so an organisation can change headings, add its name or drop a section without
code. Markdown is the source; HTML is the same Markdown rendered by markdown-it-py with the
charts inlined, the CSS inlined, and nothing fetched from the network.
"""

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from peerjournal.errors import RecordError
from peerjournal.services import privacy
from peerjournal.services.reports import Chart, ReportData
from peerjournal.store.atomic import write_atomic
from peerjournal.store.layout import DataHome
from peerjournal.units import duration, hours_of

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_SLUG_DROP = re.compile(r"[^\w\- ]")


@dataclass(frozen=True)
class Rendered:
    """A report ready to print or write: its main text and the chart files that go beside it."""

    text: str
    files: dict[str, str]  # file name -> SVG, for Markdown written to a file
    findings: tuple[tuple[str, privacy.Finding], ...]  # (record and part, finding)


def escape_md(value: Any) -> str:  # noqa: ANN401 - templates pass any value
    """Inline text that can never become Markdown syntax or raw HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def anchor(heading: str) -> str:
    """The anchor GitHub and our HTML give a heading: lowercase, spaces to hyphens."""
    return _SLUG_DROP.sub("", heading.strip().lower()).replace(" ", "-")


def environment(home: DataHome | None) -> jinja2.Environment:
    """Templates from the home first, then the package; undefined names are errors."""
    loaders: list[jinja2.BaseLoader] = []
    if home is not None and home.templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(home.templates_dir)))
    loaders.append(jinja2.PackageLoader("peerjournal", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # HTML templates escape by default; Markdown ones escape with the md filter
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
    )
    env.filters["md"] = escape_md
    env.filters["anchor"] = anchor
    env.filters["num"] = lambda v: "-" if v is None else f"{v:.2f}"
    env.filters["count"] = lambda n, one, many: f"{n} {one if n == 1 else many}"
    env.filters["duration"] = duration
    env.filters["hours_of"] = hours_of
    return env


def render_markdown(
    data: ReportData,
    home: DataHome | None,
    chart_src: Callable[[Chart], str],
    *,
    embedded: bool = False,
) -> str:
    """The report as Markdown from its template."""
    env = environment(home)

    def part(section: ReportData) -> str:
        text = render_markdown(section, home, chart_src, embedded=True)
        return re.sub(r"^(#+) ", r"#\1 ", text, flags=re.MULTILINE)  # one level deeper

    return _render(
        env, f"{data.kind}.md.j2", data=data, chart_src=chart_src, embedded=embedded, part=part
    )


def render(
    data: ReportData,
    home: DataHome | None,
    *,
    fmt: str,
    stem: str,
    watch_names: Sequence[str] = (),
    allow: Sequence[str] = (),
    pseudonymise: bool = False,
    chart_files: bool = True,
) -> Rendered:
    """Markdown with chart files named after ``stem``, or one HTML file with charts inside.

    Without ``chart_files`` (Markdown printed, not written), no chart is linked: the table of
    its numbers stands alone, rather than an image that was never written.
    """
    files = {f"{stem}-{chart.name}.svg": chart.svg for chart in data.charts}
    linked = chart_files or fmt == "html"
    markdown = render_markdown(
        data, home, (lambda chart: f"{stem}-{chart.name}.svg") if linked else (lambda _: "")
    )
    if not linked:
        files = {}
    if pseudonymise:
        markdown = pseudonymise_names(markdown, watch_names)
    findings = tuple(
        (where, finding)
        for where, text in data.all_free_text()
        if text
        for finding in privacy.scan(text, watch_names=watch_names, allow=allow)
        if not (pseudonymise and finding.kind == "name")  # those were replaced
    )
    if fmt == "md":
        return Rendered(markdown, files, findings)
    body = to_html(markdown, files)
    page = _render(environment(home), "page.html.j2", data=data, body=body)
    return Rendered(page, {}, findings)


def to_html(markdown: str, svgs: dict[str, str]) -> str:
    """CommonMark with tables to HTML, headings with ids, chart images replaced by inline SVG."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
    tokens = md.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", anchor(tokens[index + 1].content))
    html = md.renderer.render(tokens, md.options, {})

    def inline(match: re.Match[str]) -> str:
        svg = svgs.get(match.group(1))
        return f'<figure class="chart">{svg}</figure>' if svg else match.group(0)

    return re.sub(r'<img src="([^"]+)" alt="[^"]*" ?/?>', inline, html)


def pseudonymise_names(text: str, watch_names: Sequence[str]) -> str:
    """Replace watch-list names with stable pseudonyms ('Person 3F2A' is always the same name)."""
    findings = [f for f in privacy.scan(text, watch_names=watch_names) if f.kind == "name"]
    for found in sorted(findings, key=lambda f: f.start, reverse=True):
        name = " ".join(text[found.start : found.end].split()).casefold()
        code = hashlib.sha256(name.encode("utf-8")).hexdigest()[:4].upper()
        text = f"{text[: found.start]}Person {code}{text[found.end :]}"
    return text


def write(rendered: Rendered, path: Path) -> list[Path]:
    """Write the report and its chart files, private like every record; returns what was written."""
    written = []
    for name, svg in rendered.files.items():
        target = path.with_name(name)
        write_atomic(target, svg + "\n")
        written.append(target)
    write_atomic(path, rendered.text)
    return [path, *written]


def _render(env: jinja2.Environment, name: str, **values: Any) -> str:  # noqa: ANN401
    try:
        return env.get_template(name).render(**values)
    except jinja2.TemplateSyntaxError as error:
        raise RecordError(
            f"template error: {error.message}", path=error.filename or name, line=error.lineno
        ) from None
    except jinja2.TemplateNotFound as error:
        raise RecordError(f"template {error.name!r} was not found") from None
    except (jinja2.UndefinedError, TypeError, AttributeError) as error:
        origin = _template_line(error, name)
        raise RecordError(f"template error: {error}", path=origin[0], line=origin[1]) from None


def _template_line(error: BaseException, fallback: str) -> tuple[str, int | None]:
    """The template file and line a render error happened on, from the traceback."""
    tb = error.__traceback__
    found: tuple[str, int | None] = (fallback, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
