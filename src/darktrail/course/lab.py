"""Open JupyterLab on the course: the trainee's Assignments tab and the instructor's formgrader.

This is the single-machine lab (self-study, or the instructor's own machine): one Jupyter
server, one user. Its layout follows what nbgrader's formgrader needs: the formgrader finds
the course root *relative to the server's root folder* and refuses a course outside it
("The course directory root is not a subdirectory of the notebook server root"), so the
server's root is the checkout, which holds both the course (``grading/``) and the lab's
workspace (``lab/``, not committed):

- nbgrader fetches released assignments into ``lab/`` (``c.Exchange.assignment_dir``), as it
  would into a trainee's home folder, and the file browser opens there;
- the file browser's top level lists ``lab/`` alone (:class:`LabContents`): the course and
  the exercise sources are reached only by the formgrader's own links, as before only by a
  terminal, so a trainee at this lab is not shown the solutions;
- the lab's own configuration lives in ``lab/.jupyter/`` (on ``JUPYTER_CONFIG_PATH``): the
  nbgrader configuration that loads ``grading/nbgrader_config.py``, the page configuration
  that turns JupyterLab's news and update checks off (a training room may be offline), the
  lab's token, kept from one start to the next, and JupyterLab's settings overrides
  (``lab/.jupyter/lab/settings/overrides.json``): the interface's language is the course's
  (:mod:`darktrail.course.language`), with the JupyterLab language pack the project installs;
- the lab's kernels are told the course language (``DARKTRAIL_LANG``), in which
  :mod:`darktrail.handin` speaks to the trainee.

A room of trainees needs one server each (JupyterHub), not this lab on ``0.0.0.0``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from traitlets import List, Unicode

from darktrail.course.engine import CONFIG, CourseError, Project
from darktrail.course.language import LANGUAGES, CourseLanguage

__all__ = [
    "LabContents",
    "LabServer",
    "check_port",
    "lab_server",
    "lab_token",
    "prepare_workspace",
    "start_lab",
]

#: The lab's workspace in the checkout; the file browser opens here.
WORKSPACE = "lab"
#: The lab's Jupyter configuration folder inside the workspace (hidden from the file browser).
SETTINGS = ".jupyter"
#: The JupyterLab plug-in that asks about, and fetches, Jupyter news and update notices.
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
#: The JupyterLab plug-in whose ``locale`` setting is the interface's language.
TRANSLATION = "@jupyterlab/translation-extension:plugin"
#: JupyterLab's application settings folder of the lab (its ``overrides.json``), in ``.jupyter``.
APP_SETTINGS = Path("lab") / "settings"
_MARK = '"""Written by darktrail'


class LabContents(AsyncLargeFileManager):
    """Jupyter's file manager with a short top level: only the workspace is listed there.

    The server's root is the checkout, so that nbgrader's formgrader finds the course in it;
    the course, the exercise sources and the package are still served by path (the
    formgrader's links to ``grading/source`` work), but the file browser does not show them.
    """

    listed = List(
        Unicode(), [WORKSPACE], help="Names the file browser lists at the server's root"
    ).tag(config=True)

    async def get(self, path, content=True, type=None, format=None, **kwargs):  # noqa: A002
        """The model of ``path``; at the root, only :attr:`listed` entries."""
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if path.strip("/") == "" and model["type"] == "directory" and model.get("content"):
            model["content"] = [e for e in model["content"] if e["name"] in self.listed]
        return model


def prepare_workspace(project: Project, lang: str | None = None) -> Path:
    """Create ``lab/`` and its configuration ``lab/.jupyter/``; return the workspace.

    ``lab/.jupyter/nbgrader_config.py`` loads the course configuration (``grading/``) and
    sends fetched assignments to ``lab/``; ``labconfig/page_config.json`` turns off
    JupyterLab's news and update checks; ``lab/settings/overrides.json`` makes ``lang``
    (default: the course's language) the interface's default language, which a user may
    still change in *Settings → Language*. All are rewritten on every start.
    """
    if lang is None:
        lang = CourseLanguage(config=project.course().config).lang
    workspace = project.root / WORKSPACE
    settings = workspace / SETTINGS
    (settings / "labconfig").mkdir(parents=True, exist_ok=True)
    course_config = (project.grading / CONFIG).resolve()
    if not course_config.is_file():
        raise CourseError(f"{course_config} is missing: the lab serves the course configured there")
    (settings / CONFIG).write_text(
        f'{_MARK}: the lab uses the course configuration in grading/."""\n\n'
        "c = get_config()  # noqa: F821 (traitlets provides get_config)\n"
        f"load_subconfig({str(course_config)!r})  # noqa: F821\n"
        "# Fetched assignments go to the lab's workspace, as into a trainee's home folder.\n"
        f"c.Exchange.assignment_dir = {str(workspace.resolve())!r}\n",
        encoding="utf-8",
    )
    page_config = {"disabledExtensions": {ANNOUNCEMENTS: True}}
    (settings / "labconfig" / "page_config.json").write_text(
        json.dumps(page_config, indent=2) + "\n", encoding="utf-8"
    )
    app_settings = settings / APP_SETTINGS
    app_settings.mkdir(parents=True, exist_ok=True)
    overrides = {TRANSLATION: {"locale": LANGUAGES[lang].locale}}
    (app_settings / "overrides.json").write_text(
        json.dumps(overrides, indent=2) + "\n", encoding="utf-8"
    )
    news = {
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
            # Instead of <prefix>/share/jupyter/lab/settings, shared by every lab of the venv.
            "app_settings_dir": str(app_settings.resolve()),
        }
    }
    (settings / "jupyter_server_config.json").write_text(
        json.dumps(news, indent=2) + "\n", encoding="utf-8"
    )
    stale = workspace / CONFIG  # earlier labs kept their configuration in the workspace itself
    if stale.is_file() and stale.read_text(encoding="utf-8").startswith(_MARK):
        stale.unlink()
    return workspace


def lab_token(workspace: Path) -> str:
    """The lab's token: ``DARKTRAIL_LAB_TOKEN`` if set, else one kept in ``lab/.jupyter/token``.

    The kept token is made on the first start (owner-only) and reused, so a bookmarked lab
    address keeps working after a restart; delete the file for a new one.
    """
    chosen = os.environ.get("DARKTRAIL_LAB_TOKEN", "").strip()
    if chosen:
        return chosen
    kept = workspace / SETTINGS / "token"
    if kept.is_file():
        token = kept.read_text(encoding="ascii").strip()
        if token:
            return token
    kept.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(24)
    descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    return token


def check_port(port: int, ip: str = "127.0.0.1") -> None:
    """Refuse, with what to do instead, a port something already listens on at ``ip``."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("" if ip == "0.0.0.0" else ip, port))
        except OSError as error:
            raise CourseError(
                f"port {port} on {ip or '0.0.0.0'} is not free ({error.strerror}): "
                f"choose another, e.g. make lab PORT={port + 2}"
            ) from error


@dataclass(frozen=True)
class LabServer:
    """How to start the lab's Jupyter server: the command, its environment and folder."""

    argv: list[str]
    env: dict[str, str] = field(repr=False)
    cwd: Path
    url: str = field(repr=False)


def lab_server(project: Project, port: int = 8888, ip: str = "127.0.0.1") -> LabServer:
    """The lab's server for ``project``, as :func:`start_lab` runs it (tests start the same).

    The token goes in the environment (``JUPYTER_TOKEN``), not on the command line, where
    any user of the machine could read it.
    """
    course = project.course()
    lang = CourseLanguage(config=course.config).lang
    workspace = prepare_workspace(project, lang)
    token = lab_token(workspace)
    jupyter = Path(sys.executable).parent / "jupyter"
    argv = [
        str(jupyter),
        "lab",
        "--no-browser",
        f"--ip={ip}",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={project.root.resolve()}",
        "--ServerApp.contents_manager_class=darktrail.course.lab.LabContents",
        f"--FileContentsManager.preferred_dir={WORKSPACE}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers and training VMs often run as root
    settings = str((workspace / SETTINGS).resolve())
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [settings, *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    )
    env["JUPYTER_TOKEN"] = token
    # Kernels find the trainee's issued evidence bundle here (darktrail.evidence).
    env["DARKTRAIL_LOCKER"] = str(course.locker.path / "evidence")
    # Kernels speak the course language to the trainee (darktrail.handin).
    env["DARKTRAIL_LANG"] = lang
    host = "127.0.0.1" if ip in ("0.0.0.0", "") else ip
    return LabServer(argv, env, workspace, f"http://{host}:{port}/lab?token={token}")


def start_lab(project: Project, port: int = 8888, ip: str = "127.0.0.1") -> None:
    """Replace this process with JupyterLab on the checkout, opening in ``lab/``; print its URL."""
    check_port(port, ip)
    server = lab_server(project, port, ip)
    lang = server.env["DARKTRAIL_LANG"]
    print(f"starting JupyterLab (course language: {LANGUAGES[lang].name})", flush=True)
    print(f"\n  darktrail lab: {server.url}\n", flush=True)
    os.chdir(server.cwd)
    os.execve(server.argv[0], server.argv, server.env)
