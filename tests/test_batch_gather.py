"""A batch gathers its firms' data many at a time: the same data as firm by firm, a deleted firm
still skipped and named, a round that fails gathered firm by firm."""

from __future__ import annotations

import pytest

from boeun_desk.reports import batch
from boeun_desk.services.base import NotFound
from boeun_desk.services.documents import Documents
from tests.conftest import DEMO_TODAY


def test_firms_gathered_together_are_the_firms_gathered_one_by_one(demo, monkeypatch):
    monkeypatch.setattr("boeun_desk.services.queries.DETAILS_AT_ONCE", 4)  # several rounds
    ids = demo.firms.ids()
    assert len(ids) > 8
    deleted = ids[3]
    demo.firms.delete(deleted)
    together = demo.queries.firm_details([*ids, "no-such-firm", ids[0]], today=DEMO_TODAY)
    assert list(together) == [x for x in ids if x != deleted]
    for firm_id, detail in together.items():
        assert detail == demo.queries.firm_detail(firm_id, today=DEMO_TODAY)
    assert any(d.cases and d.visits and d.certifications for d in together.values())
    with pytest.raises(NotFound, match="기업을 찾을 수 없습니다"):
        demo.queries.firm_detail(deleted)
    summaries = Documents(demo).firm_summaries(ids[:5], today=DEMO_TODAY)
    assert summaries[ids[0]] == Documents(demo).firm_summary(ids[0], today=DEMO_TODAY)
    assert deleted not in summaries


def test_each_firm_data_names_the_missing_and_survives_a_failed_round(demo, monkeypatch):
    monkeypatch.setattr(batch, "GATHERED_AT_ONCE", 3)
    ids = demo.firms.ids()[:7]
    demo.firms.delete(ids[1])
    documents = Documents(demo)
    found = list(batch.each_firm_data(documents, [*ids, "no-such-firm"]))
    assert [(position, firm_id) for position, firm_id, _d in found] == list(enumerate([*ids, "no-such-firm"]))
    assert [type(d).__name__ for _p, _f, d in found] == ["FirmSummaryData", "NotFound", *["FirmSummaryData"] * 5,
                                                          "NotFound"]
    assert "기업을 찾을 수 없습니다" in str(found[1][2])

    def broken(_self, firm_ids, **_k):
        raise RuntimeError("a round failed")

    monkeypatch.setattr(Documents, "firm_summaries", broken)
    one_by_one = list(batch.each_firm_data(documents, ids))
    assert [d == f[2] for d, f in zip([d for _p, _f, d in one_by_one], found, strict=False)][2:] == [True] * 5
    assert isinstance(one_by_one[1][2], NotFound)


def test_a_folder_batch_skips_a_firm_deleted_before_it_and_prints_the_rest(demo, tmp_path):
    ids = demo.firms.ids()[:4]
    demo.firms.delete(ids[2])
    result = batch.render_firm_batch(demo, ids, tmp_path / "out", combined=False, workers=0)
    assert len(result.paths) == 3 and [s.firm_id for s in result.skipped] == [ids[2]]
    assert "기업을 찾을 수 없습니다" in result.skipped[0].reason
