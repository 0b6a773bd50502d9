import sys

# A batch's worker processes start as copies of the program: in a frozen build they arrive here and
# freeze_support() runs their work and exits, before anything else is imported or started. From
# source (not frozen) it does nothing, so multiprocessing is not imported for it (10-20 ms of the
# window's start).
if getattr(sys, "frozen", False):
    import multiprocessing

    multiprocessing.freeze_support()

from boeun_desk.cli import main  # noqa: E402

raise SystemExit(main())
