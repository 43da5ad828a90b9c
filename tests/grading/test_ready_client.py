"""autograder/plugins/ready_client.py: ready as soon as the kernel is, and no output lost."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
import json
import sys

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets.config import Config

from autograder.plugins.ready_client import ReadyClient

CONFIG = Config()
CONFIG.AsyncKernelManager.client_class = "autograder.plugins.ready_client.ReadyClient"


def test_the_first_cells_output_arrives_whole(tmp_path):
    """Right after the start, a cell's stream, display and result outputs all arrive (5 fresh kernels)."""
    for _ in range(5):
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("print('first'); display('shown'); 6 * 7"),
            nbformat.v4.new_code_cell("import sys; print('err', file=sys.stderr)")])
        client = NotebookClient(nb, timeout=30, kernel_name="python3", config=CONFIG,
                                resources={"metadata": {"path": str(tmp_path)}})
        assert client.create_kernel_manager().client_factory is ReadyClient
        client.execute()
        first = nb.cells[0].outputs
        assert [o["output_type"] for o in first] == ["stream", "display_data", "execute_result"], first
        assert first[0]["text"] == "first\n" and first[2]["data"]["text/plain"] == "42"
        assert nb.cells[1].outputs[0]["name"] == "stderr"
        assert nb.metadata["language_info"]["name"] == "python"


def test_a_kernel_that_dies_on_start_is_reported(tmp_path):
    spec = tmp_path / "kernels" / "dies"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(
        {"argv": [sys.executable, "-c", "import sys; sys.exit(3)", "{connection_file}"],
         "display_name": "dies", "language": "python"}))

    async def start():
        km = AsyncKernelManager(kernel_name="dies", config=CONFIG,
                                kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))
        await km.start_kernel()
        kc = km.client()
        assert isinstance(kc, ReadyClient)
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=20)
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    # in a thread of its own: a session's browser (Playwright's sync API) keeps an event loop running here
    with pytest.raises(RuntimeError, match="Kernel died before replying"), ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, start()).result()
