"""Open JupyterLab on the course: the trainee's Assignments tab and the instructor's formgrader.

The lab runs in ``lab/`` (not committed): nbgrader fetches released assignments into it, as it
would into a trainee's home folder, while the course itself stays in ``grading/``.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

from darktrail.course.engine import CONFIG, CourseError, Project

__all__ = ["prepare_workspace", "start_lab"]


def prepare_workspace(project: Project) -> Path:
    """Create ``lab/`` with an nbgrader config that points at the course in ``grading/``."""
    workspace = project.root / "lab"
    workspace.mkdir(exist_ok=True)
    course_config = (project.grading / CONFIG).resolve()
    (workspace / CONFIG).write_text(
        '"""Written by darktrail: the lab uses the course configuration in grading/."""\n\n'
        f"load_subconfig({str(course_config)!r})  # noqa: F821\n",
        encoding="utf-8",
    )
    return workspace


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_lab(project: Project, port: int = 8888, ip: str = "127.0.0.1") -> None:
    """Replace this process with JupyterLab serving ``lab/``; print its URL first."""
    if not _port_free(port):
        raise CourseError(f"port {port} is already in use; choose another: make lab PORT=8890")
    workspace = prepare_workspace(project)
    token = os.environ.get("DARKTRAIL_LAB_TOKEN") or secrets.token_hex(16)
    host = "127.0.0.1" if ip in ("0.0.0.0", "") else ip
    print(f"\n  darktrail lab: http://{host}:{port}/lab?token={token}\n", flush=True)
    jupyter = Path(sys.executable).parent / "jupyter"
    argv = [
        str(jupyter),
        "lab",
        "--no-browser",
        f"--ip={ip}",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={workspace}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers and training VMs often run as root
    # Kernels find the trainee's issued evidence bundle here (darktrail.evidence).
    os.environ["DARKTRAIL_LOCKER"] = str(project.course().locker.path / "evidence")
    os.chdir(workspace)
    os.execv(str(jupyter), argv)
