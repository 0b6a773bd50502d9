"""ReportLab renderers for the printed documents."""
