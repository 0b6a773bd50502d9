from boeun_desk.cli import main

raise SystemExit(main())
