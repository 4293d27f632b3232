"""Suite-wide guards: a run in which no test passed is a failure, never a green "no tests ran"."""

import os


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or session.config.option.collectonly:
        return
    passed = len(reporter.stats.get("passed", []))
    minimum = int(os.environ.get("FINEPDFS_MIN_PASSED", "1"))
    if exitstatus == 0 and passed < minimum:
        reporter.write_line(f"only {passed} tests passed (minimum {minimum}): failing the run", red=True)
        session.exitstatus = 1
