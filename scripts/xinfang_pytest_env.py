"""Test environment, loaded as an early pytest plugin (`-p scripts.xinfang_pytest_env` in pyproject).

It must run before pytest-django imports xinfang.settings, which happens in pytest-django's
pytest_load_initial_conftests hook -- *before* any conftest.py is imported -- so this cannot live
in conftest.py. `-p` plugins are imported earlier, after `pythonpath` is applied.

Tests never touch ./var or real keys:
- XINFANG_VAR_DIR: a fresh temp dir per pytest process (removed at exit); each xdist worker has its own.
- XINFANG_KEY_FILE: a path inside that temp dir (not created here).
- XINFANG_DATA_KEYS / XINFANG_LOOKUP_KEY: fixed test-only Fernet keys (settings read these first).
- XINFANG_SQLITE_PATH: unset, so it defaults to inside the temp var dir.
- XINFANG_DB: kept if set (scripts/test.sh sets it), else sqlite.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Test-only keys (urlsafe base64 of 32 random bytes). NEVER use these outside tests.
TEST_DATA_KEY = "tjEHbKc9AJTjpP-VLoV3bkUtrpQHuL0wDS5En3o34-w="
TEST_OLD_DATA_KEY = "FECEwOr9PSCWVATjjkeKYrROcBlfShRKa_tLMuAXTe8="  # spare key for rotation tests
TEST_LOOKUP_KEY = "DnImNt3QbSIxeJ0HIjhFLf2NHSH-SIG-QNSOueWHVZE="

TEST_VAR_DIR = tempfile.mkdtemp(prefix="xinfang-test-var-")
atexit.register(shutil.rmtree, TEST_VAR_DIR, ignore_errors=True)
# STATIC_ROOT lives here; WhiteNoise warns on every request if it is missing.
os.makedirs(os.path.join(TEST_VAR_DIR, "staticfiles"), exist_ok=True)

os.environ["XINFANG_VAR_DIR"] = TEST_VAR_DIR
os.environ["XINFANG_KEY_FILE"] = os.path.join(TEST_VAR_DIR, "keys.env")
os.environ["XINFANG_DATA_KEYS"] = TEST_DATA_KEY
os.environ["XINFANG_LOOKUP_KEY"] = TEST_LOOKUP_KEY
os.environ.pop("XINFANG_SQLITE_PATH", None)
os.environ.setdefault("XINFANG_DB", "sqlite")
os.environ.setdefault("XINFANG_SECRET_KEY", "test-only-secret-key")
