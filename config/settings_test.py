"""Test settings: the production settings module with test-only environment defaults
(pretix's pattern). DEBUG stays off, so tests see production behaviour; only the HTTPS
redirect is off because the test client speaks plain HTTP."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "k" * 50)
os.environ.setdefault("AUDIT_HMAC_KEY", "test-only-audit-hmac-key-" + "a" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("HUEY_IMMEDIATE", "true")
# A fixed test key (32 bytes, base64); production keys never appear in the repository.
os.environ.setdefault("PERSONAL_DATA_KEYS", "test1:" + "dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEta2V5LTMyYnk=")

from config.settings import *  # noqa: F403

# Uploads are scanned by a fake in the unit tests and by a real clamd in tests/core/test_clamd.py;
# set here (not in os.environ) so the deploy-check subprocess still sees production defaults.
MALWARE_SCANNER = os.environ.get("MALWARE_SCANNER", "none")
