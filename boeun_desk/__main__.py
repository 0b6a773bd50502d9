# A batch's worker processes start as copies of the program: in a frozen build they arrive here and
# freeze_support() runs their work and exits, before anything else is imported or started.
import multiprocessing

multiprocessing.freeze_support()

from boeun_desk.cli import main  # noqa: E402

raise SystemExit(main())
