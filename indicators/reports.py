"""The four reports of the work plans as exportable tables and charts (Report), built from what the
computations return; the pages show the same charts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .assessment import UnitScore
from .bulletin import Bulletin
from .campaign import CampaignLine, Quarter
from .charts import Chart, Series
from .dispatch import HORIZON_DAYS, DispatchLine, Week
from .models import Rulebook, RuleLine
from .report_export import Report, Table
from .units import Row


def row_name(row: Row) -> str:
    return _("%(unit)s (own)") % {"unit": row.unit.name} if row.own else row.unit.name


def dispatch_report(lines: list[DispatchLine], week: Week, scope: str) -> Report:
    table = Table(_("Per unit"), [_("Unit"), _("Overdue"), _("Due soon"), _("Actions in the week"), _("Without action")],
                  [[row_name(ln.row), ln.overdue, ln.due_soon, ln.actions, ln.untouched] for ln in lines])
    chart = Chart("bar", _("Overdue and due soon at the week's end"), [row_name(ln.row) for ln in lines], [
        Series(_("Overdue"), [float(ln.overdue) for ln in lines]),
        Series(_("Due soon"), [float(ln.due_soon) for ln in lines])])
    return Report(_("Weekly dispatch %(week)s") % {"week": week.iso},
                  f"{week.monday} – {week.sunday} · {scope}", [table], [dispatch_definition()], [chart])


def dispatch_definition() -> str:
    return _("At the week's end (Sunday): overdue = a running office deadline whose last day has passed; due soon = "
             "its last day falls within the next %(days)s days. Paused clocks are left out. Actions = entries in the "
             "event log on those matters during the week (looking at personal data is not an action).") % {
                 "days": HORIZON_DAYS}


def bulletin_report(b: Bulletin, scope: str) -> Report:
    """One ranking table per rate, each in its own order, so the table fits a page."""
    tables = []
    for i, d in enumerate(b.indicators):
        lines = sorted(b.lines, key=lambda ln: (ln.cells[i].rank is None, ln.cells[i].rank or 0))
        tables.append(Table(d.name, [_("Rank"), _("Unit"), d.name, _("Δ points"), _("Numerator"), _("Denominator")],
                            [[ln.cells[i].rank, row_name(ln.row), ln.cells[i].figure.rate, ln.cells[i].change_pp,
                              ln.cells[i].figure.numerator, ln.cells[i].figure.denominator] for ln in lines], {2}, {3}))
    charts = [Chart("bar", d.name, [row_name(ln.row) for ln in b.lines], [
        Series(_("This month"), [ln.cells[i].figure.rate for ln in b.lines]),
        Series(_("Last month"), [ln.cells[i].before.rate for ln in b.lines])], percent=True)
        for i, d in enumerate(b.indicators)]
    notes = [f"{d.name}：{d.numerator} ÷ {d.denominator}" + (f"（{d.params}）" if d.params else "") for d in b.indicators]
    notes.append(_("Equal rates share a rank; a unit with nothing to measure is not ranked. Δ: change against the "
                   "previous month in percentage points."))
    return Report(_("Monthly bulletin %(month)s") % {"month": b.month.iso},
                  f"{b.month.period.start} – {b.month.period.end} · {scope}", tables, notes, charts)


def campaign_report(lines: list[CampaignLine], quarter: Quarter, scope: str) -> Report:
    table = Table(_("Backlog list progress"), [_("Unit"), _("Listed"), _("Signed off"), _("Signed off this quarter"),
                                              _("In progress"), _("Overdue"), _("Backlog resolution rate")],
                  [[row_name(ln.row), ln.listed, ln.signed_off, ln.signed_off_in_quarter, ln.in_progress, ln.overdue,
                    ln.rate] for ln in lines], {6})
    chart = Chart("bar", _("Backlog list progress"), [row_name(ln.row) for ln in lines], [
        Series(_("Listed"), [float(ln.listed) for ln in lines]),
        Series(_("Signed off"), [float(ln.signed_off) for ln in lines]),
        Series(_("Overdue"), [float(ln.overdue) for ln in lines])])
    return Report(_("Quarterly campaign %(quarter)s") % {"quarter": quarter.iso},
                  f"{quarter.period.start} – {quarter.period.end} · {scope}", [table], [campaign_definition()], [chart])


def campaign_definition() -> str:
    return _("Counted: backlog cases listed by the quarter's end and not signed off before it began. Signed off: "
             "approved by the quarter's end. Overdue: still open after its campaign period ended. Backlog resolution "
             "rate = signed off ÷ listed.")


def assessment_report(scores: list[UnitScore], book: Rulebook, year: int, scope: str) -> Report:
    lines = list(book.lines.all())
    summary = Table(_("Scores"), [_("Rank"), _("Unit"), *[ln.label for ln in lines], _("Total")],
                    [[s.rank, row_name(s.row), *[float(ls.points) for ls in s.lines], float(s.total)] for s in scores])
    detail = Table(_("Line by line"), [_("Unit"), _("Line"), _("Figure"), _("Points")],
                   [[row_name(s.row), ls.line.label, ls.explanation, float(ls.points)] for s in scores for ls in s.lines])
    chart = Chart("bar", _("Total score"), [row_name(s.row) for s in scores], [
        Series(_("Total"), [max(float(s.total), 0.0) for s in scores])])
    return Report(_("Annual assessment %(year)s") % {"year": year}, f"{book.name} · {scope}", [summary, detail],
                  [rule_text(ln) for ln in lines] + ([book.note] if book.note else []), [chart])


def rule_text(line: RuleLine) -> str:
    if line.kind == RuleLine.Kind.SCORE:
        return _("%(label)s: %(points)s points at or above %(target)s, none at or below %(floor)s, linear between; "
                 "nothing to measure: full points.") % {
            "label": line.label, "points": line.points, "target": f"{line.target:.1%}" if line.target is not None else "—",
            "floor": f"{(line.floor or 0):.1%}"}
    sign = _("minus") if line.kind == RuleLine.Kind.DEDUCTION else _("plus")
    text = _("%(label)s: %(sign)s %(per)s points per item") % {"label": line.label, "sign": sign, "per": line.per_item}
    return text + (_(", at most %(cap)s") % {"cap": line.cap} if line.cap is not None else "")
