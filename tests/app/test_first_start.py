"""A new tablet's first start shows the first sync's progress, then sign-in (never behind it)."""

from __future__ import annotations


def test_the_progress_screen_shows_until_the_first_sync_is_done(first_start_env):
    env = first_start_env
    screens = env.screens
    first_signin = next(i for i, (page, _done) in enumerate(screens) if page == "SignInPage")
    before = screens[:first_signin]
    # only the start-up screen before sign-in, from before the first sync was done
    assert before and {page for page, _done in before} == {"StartupPage"}
    assert [done for _page, done in before].count(False) > 1  # shown, then progress on it
    # it showed the sync's progress in counts, while it was on screen
    assert any(total > 0 for _done, total in env.progress)
    counted = [(done, total) for done, total in env.progress if total > 0]
    assert counted == sorted(counted) and counted[-1][0] > 0
    done, total = counted[-1]
    assert f"({done} of {total} records)" in env.window.startup.detail.text()
    # sign-in comes once the first sync is done
    assert screens[first_signin] == ("SignInPage", True)
    assert env.window.root.currentWidget() is env.window.signin
    assert env.window.startup.progress.isHidden()
