"""Repo-wide pytest setup.

Module-level code here runs before pytest-django imports the settings, so the environment set
below is what xinfang.settings sees. Tests never touch ./var or real keys:

- XINFANG_VAR_DIR: a fresh temp dir per test process (removed at exit); each xdist worker has its own.
- XINFANG_KEY_FILE: a path inside that temp dir (not created here).
- XINFANG_DATA_KEYS / XINFANG_LOOKUP_KEY: fixed test-only Fernet keys (settings read these first).
- XINFANG_DB: left alone if set (scripts/test.sh sets it), else sqlite.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Test-only keys (urlsafe base64 of 32 random bytes). NEVER use these outside tests.
TEST_DATA_KEY = "tjEHbKc9AJTjpP-VLoV3bkUtrpQHuL0wDS5En3o34-w="
TEST_OLD_DATA_KEY = "FECEwOr9PSCWVATjjkeKYrROcBlfShRKa_tLMuAXTe8="  # for key-rotation tests
TEST_LOOKUP_KEY = "DnImNt3QbSIxeJ0HIjhFLf2NHSH-SIG-QNSOueWHVZE="

_test_var_dir = tempfile.mkdtemp(prefix="xinfang-test-var-")
atexit.register(shutil.rmtree, _test_var_dir, ignore_errors=True)

os.environ["XINFANG_VAR_DIR"] = _test_var_dir
os.environ["XINFANG_KEY_FILE"] = os.path.join(_test_var_dir, "keys.env")
os.environ["XINFANG_DATA_KEYS"] = TEST_DATA_KEY
os.environ["XINFANG_LOOKUP_KEY"] = TEST_LOOKUP_KEY
os.environ.pop("XINFANG_SQLITE_PATH", None)  # default: inside the temp var dir
os.environ.setdefault("XINFANG_DB", "sqlite")
os.environ.setdefault("XINFANG_SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
