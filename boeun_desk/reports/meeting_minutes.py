"""회의록: a meeting's date, time and place, agenda, attendance list (구분·소속·직위·성명), what was
discussed and decided, the follow-up actions with who does them by when, and the recorder's
signature line. The handout masks every person's name wherever it appears."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from boeun_desk.i18n import t
from boeun_desk.models.choices import MEETING_KIND
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.format import WEEKDAYS, day_text, row_text, text, when_text
from boeun_desk.services.meeting_documents import MinutesData

_NUMBERED = re.compile(r"^\s*(\d+[.)]|[-·•※○□▪])\s*")


def meeting_when(day: date, start: str, end: str) -> str:
    """2024. 11. 28.(목) 14:00~17:30; without a time, the day and its weekday."""
    if not start:
        return f"{day_text(day)}({WEEKDAYS[day.weekday()]})"
    starts = datetime.combine(day, time.fromisoformat(start))
    return when_text(starts, datetime.combine(day, time.fromisoformat(end)) if end else None)


def numbered(value: str) -> str:
    """Lines as a numbered list (1. … 2. …); a single line, or lines already numbered, as they are."""
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    if len(lines) < 2 or any(_NUMBERED.match(line) for line in lines):
        return text("\n".join(lines))
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


class MeetingMinutes(Renderer):
    title = "회의록"

    def document_title(self, data: MinutesData) -> str:
        return t("{meeting} 회의록", meeting=self._name(data))

    def personal_names(self, data: MinutesData) -> list[str]:
        """Every person the minutes name: the attendees, the actions' 담당자 and the recorder."""
        return [a.name for a in data.attendees] + [a.owner for a in data.actions] + [data.settings.author]

    def public_words(self, data: MinutesData) -> list[str]:
        """What the attendance list says of each person besides the name: 구분, 소속, 직위."""
        return [value for a in data.attendees for value in (a.category, a.organisation, a.position)]

    def _name(self, data: MinutesData) -> str:
        m = data.meeting
        return m.title or t("{year}년 {kind}", year=data.year, kind=t(MEETING_KIND.get(m.kind, m.kind)))

    def blocks(self, data: MinutesData) -> list[b.Block]:
        m = data.meeting
        done = sum(1 for a in data.actions if a.done)
        return [
            b.title_block(self.document_title(data), data.program_name, data.settings, data.written_on),
            b.Heading(t("1. 회의 개요")),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("회의명"), self._name(data)), (t("회의 종류"), t(MEETING_KIND.get(m.kind, m.kind))),
                (t("일시"), meeting_when(m.held_on, m.start_time, m.end_time)), (t("장소"), m.place),
                (t("참석 현황"), m.attendees))), columns=1),
            b.Heading(t("2. 안건")),
            b.Box(numbered(m.agenda)),
            b.Heading(t("3. 참석자 명단 ({n}명)", n=len(data.attendees))),
            b.Grid((t("번호"), t("구분"), t("소속"), t("직위"), t("성명")),
                   tuple(row_text((i, a.category, a.organisation, a.position, a.name))
                         for i, a in enumerate(data.attendees, start=1)),
                   (0.07, 0.15, 0.44, 0.17, 0.17), "cclcc", empty=t("참석자 명단이 없습니다.")),
            b.Heading(t("4. 주요 논의")),
            b.Box(numbered(m.findings)),
            b.Heading(t("5. 결정·권고 사항")),
            b.Box(numbered(m.recommendations)),
            # The last section and the signature line on one page: a signature never stands alone.
            b.Group((
                b.Heading(t("6. 후속 조치")),
                *([b.Text(t("후속 조치 {n}건 (완료 {done} · 미완료 {open})", n=len(data.actions), done=done,
                            open=len(data.actions) - done), "note")] if data.actions else []),
                b.Grid((t("번호"), t("조치 내용"), t("담당"), t("기한"), t("이행")),
                       tuple(row_text((i, a.action, a.owner, a.due_date, t("완료") if a.done else t("미완료")))
                             for i, a in enumerate(data.actions, start=1)),
                       (0.07, 0.53, 0.14, 0.14, 0.12), "clccc", empty=t("후속 조치가 없습니다.")),
                b.Signatures(((t("작성자"), data.settings.author),)),
            )),
        ]
