"""Schemathesis hooks: sign every request in with an admin API token made by the server's CLI.

The fuzzer may revoke the very token it is using (DELETE /api/tokens/{id}/ with a guessed id);
its next 401 makes schemathesis ask for a new one here.
"""

import os
import subprocess

import schemathesis


@schemathesis.auth(refresh_interval=3600)
class AdminToken:
    def get(self, case, context):
        made = subprocess.run(
            [os.environ["HELPDESK_BIN"], "tokens", "create", "--name", "schemathesis", "--role", "admin"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return made.stdout.strip()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
