"""Fixtures for the app's tests: a small complete story, and apps made for testing (market clock frozen,
text shown at once, no animations, settings never written), each in its own data home (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

import pytest

from collapse_tui.engine import Story, load_story
from collapse_tui.ui.app import AppOptions, CollapseApp
from collapse_tui.ui.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def mini_story() -> Story:
    return load_story(MINI)


def make_app(story: Story, *, seed: int = 1, settings: Settings | None = None,
             app_class: type[CollapseApp] = CollapseApp, **options: Any) -> CollapseApp:
    """A test app: `options` are AppOptions fields (freeze_market, skip_title …) or CollapseApp arguments."""
    app_options = {key: options.pop(key) for key in list(options) if key in AppOptions.__dataclass_fields__}
    app_options.setdefault("persist_settings", False)
    return app_class(story, seed=seed, settings=settings or Settings(), options=AppOptions.for_tests(**app_options),
                       **options)


@pytest.fixture
def app_for(mini_story):
    """Make a test app on the mini story: `app_for(skip_title=True, locale='zh', …)`."""

    def build(**options: Any) -> CollapseApp:
        return make_app(mini_story, **options)

    return build


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests in their own event loop (no asyncio plugin needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**arguments))
        return True
    return None
