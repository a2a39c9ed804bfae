"""Kernels forked from a warm template behave like ordinary kernels, one per trainee."""

from __future__ import annotations

import asyncio

from darktrail.course.kernels import KernelTemplate, TemplateKernelManager


async def _run(manager: TemplateKernelManager, code: str, cwd: str, env: dict) -> list[str]:
    await manager.start_kernel(cwd=cwd, env=env)
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        lines = []
        await client.execute_interactive(
            code,
            timeout=30,
            output_hook=lambda msg: lines.append(msg["content"].get("text", "")),
        )
        return "".join(lines).split()
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def test_forked_kernels_get_their_own_trainee_and_folder(tmp_path):
    """Each forked kernel sees its own DARKTRAIL_TRAINEE and working folder, and its own pid."""
    import os

    template = KernelTemplate().start()
    try:
        seen = []
        for trainee in ("det-01", "det-02"):
            folder = tmp_path / trainee
            folder.mkdir()
            manager = TemplateKernelManager(kernel_name="python3")
            manager.template = template.socket
            env = {**os.environ, "DARKTRAIL_TRAINEE": trainee}
            code = "import os; print(os.environ['DARKTRAIL_TRAINEE'], os.getcwd(), os.getpid())"
            seen.append(asyncio.run(_run(manager, code, str(folder), env)))
    finally:
        template.stop()
    assert [s[:2] for s in seen] == [
        ["det-01", str(tmp_path / "det-01")],
        ["det-02", str(tmp_path / "det-02")],
    ]
    assert seen[0][2] != seen[1][2]


def test_kernel_starts_ordinarily_without_a_template(tmp_path):
    """With no template listening, the kernel command is the ordinary one."""
    manager = TemplateKernelManager(kernel_name="python3")
    manager.template = str(tmp_path / "gone.sock")
    manager.connection_file = str(tmp_path / "kernel.json")
    assert manager.format_kernel_cmd()[1:3] == ["-m", "ipykernel_launcher"]
