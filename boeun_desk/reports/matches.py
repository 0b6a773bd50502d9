"""공급기업 매칭 현황: a program year's matches of supply companies with beneficiary firms, counted
by result per supply company (each row and the total row re-add), and listed one by one.
A cancelled match counts nowhere; a note says how many there were."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from boeun_desk.i18n import t
from boeun_desk.models.choices import MATCH_STATUS
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.format import rate, row_text, text
from boeun_desk.services.meeting_documents import CANCELLED, MatchesData
from boeun_desk.services.queries import MatchRow

# The results a counted match can have, in the order of the table's columns.
RESULTS = tuple(code for code in MATCH_STATUS if code != CANCELLED)
SIGNED = ("contracted", "done")  # a match that became a contract


def match_words(matches: Iterable[MatchRow]) -> list[str]:
    """The companies, fields and firms of matches: no one's name (지식재산권 출원 대리 is a service)."""
    return [value for m in matches for value in (m.supply_company, m.supply_fields, m.firm_name, m.occasion)]


def _status(code: str) -> str:
    return t(MATCH_STATUS.get(code, code))


class MatchReport(Renderer):
    title = "공급기업 매칭 현황"

    def document_title(self, data: MatchesData) -> str:
        return t("{year}년 공급기업 매칭 현황", year=data.year)

    def public_words(self, data: MatchesData) -> list[str]:
        return match_words(data.matches + data.cancelled)

    def blocks(self, data: MatchesData) -> list[b.Block]:
        matches = data.matches
        signed = sum(1 for m in matches if m.status in SIGNED)
        return [
            b.title_block(self.document_title(data), data.program_name, data.settings, data.today),
            b.Heading(t("1. 요약")),
            b.Fields((
                (t("매칭 건수"), t("{n}건", n=len(matches))),
                (t("참여 공급기업"), t("{n}개사", n=len({m.supply_company for m in matches}))),
                (t("매칭 수혜기업"), t("{n}개사", n=len({m.firm_name for m in matches}))),
                (t("계약 전환"), t("{n}건 ({rate})", n=signed, rate=rate(signed, len(matches)))),
                (t("협의·제안 중"), t("{n}건", n=len(matches) - signed)),
                (t("취소 (집계 제외)"), t("{n}건", n=len(data.cancelled))),
                (t("매칭 계기"), ", ".join(t("{occasion} {n}건", occasion=text(occasion), n=n)
                                       for occasion, n in Counter(m.occasion for m in matches).most_common())
                 or "-"))),
            b.Heading(t("2. 공급기업별 매칭 결과 (단위: 건)")),
            self._by_company(data),
            b.Heading(t("3. 매칭 목록")),
            b.Grid((t("번호"), t("공급기업"), t("분야"), t("수혜기업"), t("매칭일"), t("결과")),
                   tuple(row_text((i, m.supply_company, m.supply_fields, m.firm_name, m.matched_on,
                                   _status(m.status))) for i, m in enumerate(matches, start=1)),
                   (0.06, 0.21, 0.25, 0.26, 0.13, 0.09), "clllcc", empty=t("매칭 기록이 없습니다.")),
            *([b.Text(t("※ 취소된 매칭 {n}건은 집계에 넣지 않았습니다: {which}", n=len(data.cancelled),
                        which=", ".join(f"{m.supply_company} – {m.firm_name} ({text(m.matched_on)})"
                                        for m in data.cancelled)), "note")] if data.cancelled else []),
        ]

    def _by_company(self, data: MatchesData) -> b.Grid:
        """One row per supply company: its matches by result and their sum; the total row sums the rows."""
        counts: dict[tuple[str, str], Counter[str]] = {}
        for m in data.matches:
            counts.setdefault((m.supply_company, m.supply_fields), Counter())[m.status] += 1
        rows = tuple(row_text((name, fields, *(c[r] or "-" for r in RESULTS), sum(c.values())))
                     for (name, fields), c in sorted(counts.items()))
        totals = Counter(m.status for m in data.matches)
        return b.Grid((t("공급기업"), t("분야"), *(_status(r) for r in RESULTS), t("계")), rows,
                      (0.24, 0.3, 0.09, 0.09, 0.09, 0.09, 0.1), "llrrrrr",
                      total=(t("합계"), t("{n}개사", n=len(counts)), *(text(totals[r] or "-") for r in RESULTS),
                             text(len(data.matches))),
                      empty=t("매칭 기록이 없습니다."))
