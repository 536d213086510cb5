"""Another device on the store's floor, over real HTTP: a kiosk that calls an associate,
or a second tablet that takes a call and reads what central holds.

``FloorDevice(central_url, mode="kiosk")`` enrolls with the demo code; ``call(message,
loyalty_id)`` scans the card (a kiosk-shopper session) and sends ``call_associate``; ``take(task_id, staff_id)`` signs the associate in
online with their demo PIN (once) and sends ``take_task`` with that session;
``task(task_id)`` pulls the device's feed (from where it last ended) and returns that task's data as this
device receives it (None when its feed does not hold it). Used by the UI tests and the
screenshot scripts.
"""

from __future__ import annotations

import uuid
from typing import Any

from central.demo_data.pins import DEMO_ASSOCIATES
from sync.wire import utc_now
from tests.support.central_server import enroll, http_client


class FloorDevice:
    def __init__(
        self, central_url: str, mode: str = "kiosk", store_id: str = "S001", name: str = ""
    ) -> None:
        self.info = enroll(central_url, store_id, mode, name or f"floor {mode}")
        self.client = http_client(central_url, self.info["token"])
        self.number = 0
        self._cursor = ""
        self._tasks: dict[str, dict[str, Any]] = {}
        self._sessions: dict[str, str] = {}

    def session(self, staff_id: str) -> str:
        """The session central issues ``staff_id`` on this device (signed in online once)."""
        if staff_id not in self._sessions:
            pin = next(a["pin"] for a in DEMO_ASSOCIATES if a["staff_id"] == staff_id)
            response = self.client.post("/v1/sessions", json={"staff_id": staff_id, "pin": pin})
            response.raise_for_status()
            self._sessions[staff_id] = str(response.json()["session_id"])
        return self._sessions[staff_id]

    def send(
        self, name: str, args: dict[str, Any], staff_id: str | None, created_at: str | None = None
    ) -> dict[str, Any]:
        """One command; ``created_at``: when it was done (default now; earlier: queued)."""
        self.number += 1
        command = {
            "id": str(uuid.uuid4()),
            "number": self.number,
            "name": name,
            "args": args,
            "created_at": created_at or utc_now(),
            "staff_id": staff_id,
            "session_id": None if staff_id is None else self.session(staff_id),
            "signed_in": None if staff_id is None else "online",
        }
        response = self.client.post("/v1/sync/commands", json={"commands": [command]})
        response.raise_for_status()
        result: dict[str, Any] = response.json()["results"][0]
        return result

    def call(self, message: str, loyalty_id: str | None = None) -> str:
        """A kiosk's "call an associate", for the shopper whose card it scanned when
        ``loyalty_id`` is given (a kiosk names only a shopper it serves); returns the task id."""
        shopper_id = None
        if loyalty_id is not None:
            response = self.client.post("/v1/kiosk/sessions", json={"loyalty_id": loyalty_id})
            response.raise_for_status()
            shopper_id = str(response.json()["shopper"]["id"])
        task_id = str(uuid.uuid4())
        args = {"task_id": task_id, "message": message, "shopper_id": shopper_id}
        result = self.send("call_associate", args, None)
        assert result["status"] == "applied", result
        return task_id

    def take(self, task_id: str, staff_id: str) -> dict[str, Any]:
        return self.send("take_task", {"task_id": task_id}, staff_id)

    def task(self, task_id: str) -> dict[str, Any] | None:
        while True:  # from where the last look ended
            response = self.client.get("/v1/sync/changes", params={"cursor": self._cursor})
            response.raise_for_status()
            page = response.json()
            for change in page["changes"]:
                if change["entity"] == "task":
                    self._tasks[change["id"]] = change["data"]
            self._cursor = page["next_cursor"]
            if not page["has_more"]:
                return self._tasks.get(task_id)

    def close(self) -> None:
        self.client.close()
