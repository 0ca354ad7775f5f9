"""Tests that drive an outside tool (Chromium, Nginx, shellcheck, …) when it is missing.

On a developer's laptop such a test skips with one line naming what to install.
CI sets REQUIRE_TOOLS=1 (.ci/run installs every tool), and there a missing tool
fails the run instead, so a broken install step cannot hide behind skips.
"""

import os

import pytest


def require_tool(available, reason):
    if available:
        return
    if os.environ.get("REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (REQUIRE_TOOLS=1: this run must have every tool)", pytrace=False)
    pytest.skip(reason)
