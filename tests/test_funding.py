"""The funding sums have one definition (funding.py, with its SQL twin SupportCase.funding_sums()):
nothing else adds the money up, and every query and document agrees with it."""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

from sqlalchemy import select

from boeun_desk.funding import FUNDING_COLUMNS, Funding
from boeun_desk.models import Firm, ProgramYear, SupportCase
from boeun_desk.services.documents import Documents
from boeun_desk.services.queries import COUNTED

PACKAGE = Path(__file__).resolve().parent.parent / "boeun_desk"

MONEY = {*FUNDING_COLUMNS, *(f.name for f in fields(Funding)), "grant", "total"}


def _money_sums(tree: ast.AST) -> list[int]:
    """Lines that add money: `a.national + ...`, `func.sum(SupportCase.grant_county)`, and
    `sum(getattr(c, f) ...) for f in ("national", ...)`."""
    def adds(node: ast.AST) -> bool:
        function = node.func if isinstance(node, ast.Call) else None
        return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
                or isinstance(function, ast.Name) and function.id == "sum"
                or isinstance(function, ast.Attribute) and function.attr == "sum")

    def money(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Attribute) and n.attr in MONEY or isinstance(n, ast.Constant) and n.value in MONEY
                   for n in ast.walk(node))

    lines = [node.lineno for node in ast.walk(tree) if adds(node) and money(node)]
    lines += [node.lineno for node in ast.walk(tree) if isinstance(node, ast.GeneratorExp | ast.ListComp)
              and any(money(g.iter) for g in node.generators) and any(map(adds, ast.walk(node.elt)))]
    return sorted(set(lines))


def test_the_money_is_added_up_only_in_funding_py():
    found = {str(path.relative_to(PACKAGE)): lines for path in PACKAGE.rglob("*.py")
             if "migrations" not in path.parts and path.name != "funding.py"
             for lines in [_money_sums(ast.parse(path.read_text(encoding="utf-8")))] if lines}
    assert found == {}


def test_funding_adds_up_the_same_in_sql_in_python_and_in_every_document(demo):
    with demo.database.sessions() as session:
        year = session.scalars(select(ProgramYear).order_by(ProgramYear.year)).first()
        counted = (select(SupportCase).join(Firm, SupportCase.firm_id == Firm.id)
                   .where(SupportCase.program_year_id == year.id, COUNTED))
        by_case = Funding.add_up(case.funding for case in session.scalars(counted))
        in_sql = Funding.from_sums(session.execute(counted.with_only_columns(*SupportCase.funding_sums())).one())
        year = year.year
    assert by_case == in_sql and by_case.total > 0
    assert by_case.grant == by_case.national + by_case.provincial + by_case.county
    assert by_case.total == by_case.grant + by_case.firm_cash + by_case.firm_in_kind
    stats = demo.queries.annual_stats(year)
    assert stats.funding == by_case == Funding.add_up(tc.funding for tc in stats.cases_by_type)
    report = Documents(demo).annual_report(year)
    assert Funding.add_up(line.funding for line in report.firms) == by_case
