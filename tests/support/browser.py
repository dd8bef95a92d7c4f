"""A real headless Chromium (Debian's ``chromium``) driven over the Chrome DevTools
Protocol: just enough to load a page, run JavaScript in it, type, press keys, click, emulate
a phone, a time zone, a locale, a clock or a colour scheme, and take a screenshot.

No browser is ever downloaded: the executable is /usr/bin/chromium (scripts/test
installs the Debian package). The profile lives in the test's temporary directory.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-port=0",
]


def chromium_path() -> str | None:
    return shutil.which("chromium")


class Page:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._ids = itertools.count(1)

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        call_id = next(self._ids)
        await self.ws.send(json.dumps({"id": call_id, "method": method, "params": params or {}}))
        while True:  # events arrive between replies; we do not need them
            reply = json.loads(await self.ws.recv())
            if reply.get("id") == call_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    async def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        result = await self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", {"url": url})
        await self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    async def wait_for(self, expression: str, within: float = 15.0) -> Any:
        """Poll a JavaScript expression until it is truthy (behaviour, not speed)."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"never true: {expression}")
            await asyncio.sleep(0.1)

    async def phone(self, width: int = 390, height: int = 844) -> None:
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
        )
        await self.settle()

    async def desktop(self, width: int = 1280, height: int = 900) -> None:
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        await self.settle()

    async def settle(self) -> None:
        """Wait until the page has laid out and painted what changed (two frames)."""
        await self.evaluate(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))",
            await_promise=True,
        )

    async def emulate(
        self, *, timezone: str | None = None, locale: str | None = None, dark: bool = False
    ) -> None:
        if timezone:
            await self.send("Emulation.setTimezoneOverride", {"timezoneId": timezone})
        if locale:
            await self.send("Emulation.setLocaleOverride", {"locale": locale})
        scheme = {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}
        await self.send("Emulation.setEmulatedMedia", {"features": [scheme]})

    async def set_clock(self, now: datetime) -> None:
        """From the next document on, the page's clock (``Date``) starts at ``now`` and
        runs; ``window.__clockShift`` (ms) moves it later."""
        await self.send(
            "Page.addScriptToEvaluateOnNewDocument", {"source": CLOCK % (now.timestamp() * 1000)}
        )

    async def press(self, key: str) -> None:
        """Press and release Tab or Enter as a keyboard does."""
        code, text = {"Tab": (9, ""), "Enter": (13, "\r")}[key]
        down = {"key": key, "code": key, "windowsVirtualKeyCode": code, "text": text}
        await self.send("Input.dispatchKeyEvent", {"type": "keyDown", **down})
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": key})

    async def click(self, x: float, y: float) -> None:
        """Press and release the left mouse button at (x, y) of the viewport."""
        at = {"x": x, "y": y, "button": "left", "clickCount": 1}
        await self.send("Input.dispatchMouseEvent", {"type": "mousePressed", **at})
        await self.send("Input.dispatchMouseEvent", {"type": "mouseReleased", **at})

    async def type(self, text: str) -> None:
        await self.send("Input.insertText", {"text": text})

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", {"format": "png"})
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
        return path


# The page's Date, shifted so that it starts at a given time (Page.set_clock); a Date
# built from arguments is untouched.
CLOCK = """(() => {
  const Real = Date, start = %r, shift = start - Real.now();
  const now = () => Real.now() + shift + (window.__clockShift || 0);
  function Clock(...args) {
    if (!new.target) return new Real(now()).toString();
    return args.length ? new Real(...args) : new Real(now());
  }
  Clock.prototype = Real.prototype;
  Clock.now = now;
  Clock.parse = Real.parse;
  Clock.UTC = Real.UTC;
  globalThis.Date = Clock;
})();"""


@contextlib.asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[Page]:
    executable = chromium_path()
    assert executable is not None
    proc = await asyncio.create_subprocess_exec(
        executable,
        *FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port = await _devtools_port(profile / "DevToolsActivePort")
        async with httpx.AsyncClient() as http:
            for _ in range(100):
                targets = (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    break
                await asyncio.sleep(0.05)
        async with connect(pages[0]["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024) as ws:
            page = Page(ws)
            await page.send("Page.enable")
            await page.send("Runtime.enable")
            yield page
    finally:
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def _devtools_port(port_file: Path) -> int:
    """Chromium writes the port it chose (``--remote-debugging-port=0``) to this file."""
    for _ in range(400):
        text = await asyncio.to_thread(lambda: port_file.read_text() if port_file.exists() else "")
        if text.count("\n") >= 1:
            return int(text.splitlines()[0])
        await asyncio.sleep(0.05)
    raise TimeoutError("chromium did not open its DevTools port")
