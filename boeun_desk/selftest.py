"""`boeun-desk --self-test`: prove an installation (source or frozen) works end to end.

Opens a temporary database, migrates it, loads the demo, renders every document, checks the Hangul
font is found and embedded, starts the Qt application offscreen with the main window, and prints
a short report. Exit 0 when every step passed, 1 with the reason otherwise.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from boeun_desk import __version__
from boeun_desk.paths import resource
from boeun_desk.reports import api
from boeun_desk.services import Services
from boeun_desk.services.demo import build_demo
from boeun_desk.storage.engine import current_revision, head_revision, open_database


def run_self_test(out: Callable[[str], None] = print) -> int:
    frozen = getattr(sys, "frozen", False)
    out(f"Boeun Desk {__version__} self-test ({'frozen build' if frozen else 'from source'}, Python "
        f"{sys.version.split()[0]})")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="boeun-selftest-") as folder:
        work = Path(folder)
        state: dict[str, object] = {}

        def step(name: str, action: Callable[[], str]) -> None:
            nonlocal failures
            started = time.perf_counter()
            try:
                detail = action()
            except Exception as error:  # the report must name every failure, then go on
                failures += 1
                out(f"  FAIL {name}: {type(error).__name__}: {error}")
                out("       " + traceback.format_exc().strip().splitlines()[-1])
                return
            out(f"  ok   {name} ({(time.perf_counter() - started) * 1000:.0f} ms){': ' + detail if detail else ''}")

        def database() -> str:
            db = open_database(work / "selftest.sqlite3")
            state["db"] = db
            assert current_revision(db.engine) == head_revision()
            return f"migrated to {head_revision()}"

        def demo() -> str:
            services = Services(state["db"], "self-test")  # type: ignore[arg-type]
            build_demo(services.database)
            state["services"] = services
            stats = services.queries.annual_stats(2024)
            assert (stats.firms_supported, stats.cases_total, stats.supply_companies_matched) == (13, 37, 10)
            return "2024: 13 firms, 37 cases, 10 supply companies"

        def encrypted() -> str:
            from boeun_desk.storage import cipher, convert

            path = work / "encrypted.sqlite3"
            open_database(path).close()
            convert.convert(path, None, cipher.Key("self-test passphrase"))
            raw = path.read_bytes()
            assert cipher.is_encrypted(path) and b"alembic_version" not in raw, "file not encrypted"
            db = open_database(path, key=cipher.Key("self-test passphrase"))
            try:
                revision = current_revision(db.engine)
                with db.engine.connect() as conn:
                    version = conn.exec_driver_sql("PRAGMA cipher_version").scalar()
            finally:
                db.close()
            assert revision == head_revision()
            # Sealed bundles and drafts: cryptography's scrypt and AES-GCM travel with the build.
            from boeun_desk.storage import seal

            sealed_key = seal.derive("self-test 암호", b"0" * 16, n=1 << 14, r=8, p=1)
            assert seal.open_bytes(sealed_key, seal.seal_bytes(sealed_key, b"sealed")) == b"sealed"
            return f"SQLCipher {version}, reopened at {revision}; AES-GCM sealed and opened"

        def fonts() -> str:
            paths = [resource("fonts", name) for name in ("NanumGothic.ttf", "NanumGothicBold.ttf")]
            assert all(p.stat().st_size > 1_000_000 for p in paths), "Hangul font files missing"
            return str(paths[0].parent)

        def documents() -> str:
            services = state["services"]
            firm_id = services.firms.ids()[0]  # type: ignore[attr-defined]
            visit_id = services.visits.ids()[0]  # type: ignore[attr-defined]
            files = [api.render_firm_summary(services, firm_id, work / "firm.pdf"),
                     api.render_visit_record(services, visit_id, work / "visit.pdf"),
                     api.render_certifications(services, work / "certs.pdf"),
                     api.render_annual_report(services, 2024, work / "annual.pdf")]
            for path in files:
                data = path.read_bytes()
                assert data.startswith(b"%PDF") and b"NanumGothic" in data and b"/FontFile2" in data, path.name
            # The editable 한글 copy: python-hwpx and its template and schemas travel with the build.
            hwpx = api.render_annual_report(services, 2024, work / "annual.hwpx")
            from hwpx.tools.package_validator import validate_package

            assert validate_package(hwpx).ok and b"Contents/section0.xml" in hwpx.read_bytes(), hwpx.name
            files.append(hwpx)
            import importlib.util

            # ReportLab's C helpers (rl_accel) halve the time of every document; a build without them works, slowly.
            assert importlib.util.find_spec("_rl_accel") is not None, "ReportLab accelerator (rl_accel) missing"
            return ", ".join(f"{p.name} {p.stat().st_size // 1024} KB" for p in files) + ", rl_accel"

        def photos() -> str:
            # A visit's photos as an officer attaches them (JPEG from a phone, PNG, WebP) go through Pillow
            # into the visit record: a build that left out a decoder prints a note instead of a picture.
            from PIL import Image

            services = state["services"]
            visit_id = services.visits.ids()[0]  # type: ignore[attr-defined]
            before = api.render_visit_record(services, visit_id, work / "photos.pdf").read_bytes()
            for colour, name in (((200, 60, 60), "현장.jpg"), ((60, 120, 200), "설비.png"), ((60, 160, 80), "제품.webp")):
                Image.new("RGB", (640, 480), colour).save(work / name)
                services.attachments.attach("visit", visit_id, work / name, caption=name)  # type: ignore[attr-defined]
            data = api.render_visit_record(services, visit_id, work / "photos.pdf").read_bytes()
            pictures = data.count(b"/Subtype /Image") - before.count(b"/Subtype /Image")
            assert pictures == 3, f"{pictures} of 3 photos in the visit record"
            return "JPEG, PNG and WebP photos printed in the visit record"

        def batch() -> str:
            # A batch draws on worker processes: in a frozen build they start as copies of the
            # program (freeze_support in __main__), import the drawing and the fonts, and must end.
            import multiprocessing

            services = state["services"]
            firm_ids = services.firms.ids()[:4]  # type: ignore[attr-defined]
            result = api.render_firm_batch(services, firm_ids, work / "batch", combined=False, workers=2)
            assert not result.skipped, [(s.name, s.reason) for s in result.skipped]
            assert len(result.paths) == 4 and all(p.read_bytes().startswith(b"%PDF") for p in result.paths)
            # The editable copies too: python-hwpx, its template and schemas, imported by a worker.
            from hwpx.tools.package_validator import validate_package

            copies = api.render_firm_batch(services, firm_ids[:2], work / "batch-hwpx", combined=False, workers=2,
                                           hwpx=True)
            assert not copies.skipped, [(s.name, s.reason) for s in copies.skipped]
            assert len(copies.paths) == 2 and all(validate_package(p).ok for p in copies.paths), copies.paths
            assert not multiprocessing.active_children(), "worker processes left running"
            return f"{len(result.paths)} firm summaries (and {len(copies.paths)} HWPX) drawn on 2 worker processes"

        def excel() -> str:
            # The writer (rvgsrust_xlsxwriter, a native extension) and the reader (openpyxl) travel with the build.
            from boeun_desk.exchange.excel_export import export_workbook
            from boeun_desk.exchange.excel_import import plan_import

            path = work / "firms.xlsx"
            (written,) = export_workbook(state["db"], ["firms"], path).values()  # type: ignore[arg-type]
            plan = plan_import(state["db"], "firms", path)  # type: ignore[arg-type]
            assert plan.ok and plan.unchanged == written and not plan.new, (plan.errors[:3], plan.new[:3])
            return f"{written} firms written and read back unchanged"

        def gui() -> str:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            probe = importlib.import_module("boeun_desk.ui.probe")
            return probe.open_main_window(state["services"])

        def qt_parts() -> str:  # what a smaller build could lose: Qt's Korean, its image formats, collation
            return importlib.import_module("boeun_desk.ui.probe").qt_parts()

        for name, action in (("database", database), ("demo data", demo), ("encrypted database", encrypted),
                             ("Hangul font", fonts),
                             ("documents", documents), ("photos", photos), ("batch on worker processes", batch),
                             ("Excel", excel), ("Qt main window", gui), ("Qt parts", qt_parts)):
            step(name, action)
        if "db" in state:
            state["db"].close()  # type: ignore[attr-defined]
    out("self-test passed" if failures == 0 else f"self-test FAILED ({failures} step(s))")
    return 0 if failures == 0 else 1
