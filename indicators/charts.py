"""Bar and line charts drawn by the server: one geometry, rendered as inline SVG for the pages and
drawn with fpdf2's own rectangles and lines for the PDF, so both show the same chart and nothing is
fetched at run time (no JS library, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Literal

from django.utils.safestring import SafeString, mark_safe
from fpdf import FPDF

PALETTE = ["#1f5fbf", "#b45309", "#1f7a3a", "#c62828", "#5b6b82", "#7c3aed", "#0e7490", "#a16207"]
W, H = 640.0, 260.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 12.0, 28.0, 40.0


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class Shape:
    kind: Literal["rect", "line", "text"]
    x: float
    y: float
    x2: float = 0.0  # width of a rect, end of a line
    y2: float = 0.0
    color: str = "#1d2633"
    text: str = ""
    anchor: Literal["start", "middle", "end"] = "start"
    size: float = 10.0


@dataclass(frozen=True)
class Chart:
    kind: Literal["bar", "line"]
    title: str
    labels: list[str]
    series: list[Series]
    percent: bool = False
    shapes: list[Shape] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shapes", _layout(self))

    def svg(self) -> SafeString:
        out = [f'<svg class="chart" viewBox="0 0 {W:.0f} {H:.0f}" role="img" aria-label="{escape(self.title)}" '
               f'style="width:100%;max-width:{W:.0f}px;height:auto" xmlns="http://www.w3.org/2000/svg">',
               f"<title>{escape(self.title)}</title>"]
        for s in self.shapes:
            if s.kind == "rect":
                out.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.x2:.1f}" height="{s.y2:.1f}" fill="{s.color}"/>')
            elif s.kind == "line":
                out.append(f'<line x1="{s.x:.1f}" y1="{s.y:.1f}" x2="{s.x2:.1f}" y2="{s.y2:.1f}" stroke="{s.color}" '
                           f'stroke-width="{s.size:.1f}"/>')
            else:
                out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size:.0f}" text-anchor="{s.anchor}" '
                           f'fill="{s.color}">{escape(s.text)}</text>')
        out.append("</svg>")
        return mark_safe("".join(out))  # noqa: S308 - every text in it is escaped above

    def draw(self, pdf: FPDF, x: float, y: float, width: float) -> float:
        """Draws the chart at (x, y), ``width`` mm wide, in the current font; returns its height in mm."""
        k = width / W
        family = pdf.font_family
        for s in self.shapes:
            if s.kind == "rect":
                pdf.set_fill_color(*_rgb(s.color))
                pdf.rect(x + s.x * k, y + s.y * k, s.x2 * k, s.y2 * k, style="F")
            elif s.kind == "line":
                pdf.set_draw_color(*_rgb(s.color))
                pdf.set_line_width(s.size * k)
                pdf.line(x + s.x * k, y + s.y * k, x + s.x2 * k, y + s.y2 * k)
            else:
                pdf.set_font(family, size=s.size * k * 72 / 25.4)
                pdf.set_text_color(*_rgb(s.color))
                tw = pdf.get_string_width(s.text)
                dx = {"start": 0.0, "middle": tw / 2, "end": tw}[s.anchor]
                pdf.text(x + s.x * k - dx, y + s.y * k, s.text)
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
        return H * k


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _nice_max(value: float) -> float:
    """The top of a count axis: four whole, round steps at or above ``value``."""
    step = 1.0
    while 4 * step < value:
        for m in (2, 2.5, 2):
            step *= m
            if 4 * step >= value:
                break
    return 4 * step


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else (f"{value:.0f}" if value == int(value) else f"{value:.1f}")


def _short(label: str, room: float) -> str:
    chars = max(2, int(room // 10))
    return label if len(label) <= chars else label[: chars - 1] + "…"


def _legend(c: Chart) -> tuple[list[Shape], float]:
    """Keys in rows under the title, wrapped to the width; returns them and the height they take."""
    if len(c.series) < 2:
        return [], 0.0
    shapes: list[Shape] = []
    x, y = LEFT, 24.0
    for j, s in enumerate(c.series):
        name = _short(s.name, 120)
        width = 24 + 10 * len(name)
        if x + width > W - RIGHT and x > LEFT:
            x, y = LEFT, y + 14
        color = PALETTE[j % len(PALETTE)]
        shapes += [Shape("rect", x, y, 9, 9, color=color), Shape("text", x + 13, y + 8, text=name, size=9)]
        x += width
    return shapes, y + 14 - 24


def _layout(c: Chart) -> list[Shape]:
    shapes = [Shape("text", LEFT, 16, text=c.title, size=12)]
    legend, legend_h = _legend(c)
    shapes += legend
    values = [v for s in c.series for v in s.values if v is not None]
    top = 1.0 if c.percent else _nice_max(max(values, default=0.0))
    plot_top = TOP + legend_h
    plot_w, plot_h = W - LEFT - RIGHT, H - plot_top - BOTTOM
    base = plot_top + plot_h
    for i in range(5):
        y = base - plot_h * i / 4
        shapes.append(Shape("line", LEFT, y, W - RIGHT, y, color="#e2e7ee", size=1))
        shapes.append(Shape("text", LEFT - 4, y + 3, text=_fmt(top * i / 4, c.percent), anchor="end", size=9,
                            color="#667085"))
    n = max(len(c.labels), 1)
    slot = plot_w / n
    step = max(1, int(n * 34 // plot_w) + 1)  # thin the axis labels so they never overlap
    for i, label in enumerate(c.labels):
        if i % step == 0:
            shapes.append(Shape("text", LEFT + slot * (i + 0.5), base + 14, text=_short(label, slot * step),
                                anchor="middle", size=9, color="#667085"))
    for j, s in enumerate(c.series):
        color = PALETTE[j % len(PALETTE)]
        if c.kind == "bar":
            bar = slot * 0.8 / max(len(c.series), 1)
            for i, v in enumerate(s.values):
                if v:
                    h = plot_h * min(v, top) / top
                    shapes.append(Shape("rect", LEFT + slot * (i + 0.1) + bar * j, base - h, bar, h, color=color))
        else:
            points = [None if v is None else (LEFT + slot * (i + 0.5), base - plot_h * min(v, top) / top)
                      for i, v in enumerate(s.values)]
            # A month with nothing to measure breaks the line rather than bridging it.
            shapes += [Shape("line", a[0], a[1], b[0], b[1], color=color, size=2)
                       for a, b in zip(points, points[1:], strict=False) if a is not None and b is not None]
            shapes += [Shape("rect", p[0] - 2, p[1] - 2, 4, 4, color=color) for p in points if p is not None]
    shapes.append(Shape("line", LEFT, base, W - RIGHT, base, color="#cfd6e0", size=1))
    return shapes
