"""Run the real `casebridge` command in a subprocess, as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

PASSWORD = "a real long password"


def casebridge(
    data_dir: Path, *args: str, database_url: str = "", demo: bool = False, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CASEBRIDGE_DATA_DIR": str(data_dir),
        "CASEBRIDGE_DATABASE_URL": database_url,
        "CASEBRIDGE_DEMO_MODE": "true" if demo else "false",
        "CASEBRIDGE_ENV": "test",  # the cheapest password hashing
        "COLUMNS": "200",
    }
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "casebridge", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"casebridge {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def create_real_user(
    data_dir: Path, username: str, database_url: str = "", check: bool = True
) -> subprocess.CompletedProcess[str]:
    """A real (non-demo) officer of NCB FR, in the demo world; the password is PASSWORD."""
    return casebridge(
        data_dir,
        "user",
        "create",
        username,
        "--country",
        "FR",
        "--agency",
        "NCB FR",
        "--role",
        "ncb_officer",
        "--password",
        PASSWORD,
        database_url=database_url,
        check=check,
    )
