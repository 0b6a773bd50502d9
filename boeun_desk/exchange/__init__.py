"""Excel import/export, sync bundles and backups (pure Python, no Qt)."""
