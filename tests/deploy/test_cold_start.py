"""benchmarks/cold_start.py runs, and what it reports about the ack path holds: no boto3 before the
ack unless the credentials come from AWS, and then one `ssm` client only. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT


def test_cold_start_keeps_boto3_off_the_ack_path():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "cold_start.py"), "--runs", "1", "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)
    [environment] = results["credentials in the environment"]
    [ssm] = results["credentials in SSM (moto)"]
    for run in (environment, ssm):
        assert run["status"] == [200, 200]
        assert {"import_ms", "first_ms", "warm_ms"} <= set(run)
    assert environment["loaded_before_ack"] == [] and environment["clients_before_ack"] == []
    assert ssm["clients_before_ack"] == ["ssm"]
