"""The API contract, checked by schemathesis against a running RefNum.

Seeds a demo académie in a fresh data directory, creates an API token for
the referent of Lycée Malherbe, starts `refnum serve` on a free loopback
port, creates the few records the demo lacks (a ticket with an attachment,
a loan), then runs schemathesis on `/api/openapi.json` with the settings of
`schemathesis.toml` beside this file: every check, a fixed number of
examples per operation and a fixed seed. Exits non-zero on any failure.

Usage: e2e/contract/.venv/bin/python e2e/contract/run.py [--bin target/debug/refnum]
Environment: REFNUM_CONTRACT_EXAMPLES (examples per operation, default 60),
REFNUM_CONTRACT_SEED, REFNUM_CONTRACT_TIMEOUT (seconds, default 480).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ACCOUNT = "referent.malherbe@ac-normandie.test"


def start_server(binary: str, data: Path) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, REFNUM_LOG="warn")
    log = open(data / "serve.log", "w")
    proc = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"listening on (http://[0-9.:]+)/", line)
        if m:
            return proc, m.group(1)
    proc.kill()
    sys.exit(f"refnum serve did not start; see {data / 'serve.log'}")


class Api:
    def __init__(self, base: str, token: str):
        self.base = base
        self.s = requests.Session()
        self.s.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kw):
        r = self.s.request(method, self.base + path, timeout=30, **kw)
        if r.status_code >= 300:
            sys.exit(f"setup: {method} {path} answered {r.status_code}: {r.text[:300]}")
        return r.json()


def test_data(api: Api) -> dict[str, str]:
    """Ids of real records of the referent's school, for the config's `${…}`."""
    me = api.call("GET", "/api/v1/me")
    school = next(m["scope_id"] for m in me["memberships"] if m["scope"] == "etablissement")
    rooms = api.call("GET", f"/api/v1/etablissements/{school}/rooms")["items"]
    assets = api.call("GET", f"/api/v1/etablissements/{school}/assets", params={"per_page": 200})["items"]
    free = [a for a in assets if a["status"] == "in_service" and a["parent_id"] is None]
    resources = api.call("GET", f"/api/v1/etablissements/{school}/booking-resources")
    bookings = api.call("GET", "/api/v1/me/bookings")
    orgs = api.call("GET", "/api/v1/support-organisations")["items"]
    ticket = api.call(
        "POST",
        f"/api/v1/etablissements/{school}/tickets",
        json={"title": "Vidéoprojecteur sans image", "room_id": rooms[0]["id"]},
    )
    attachment = api.call(
        "POST",
        f"/api/v1/tickets/{ticket['id']}/attachments",
        files={"file": ("notes.txt", b"Le cable HDMI est dans le tiroir.\n", "text/plain")},
    )
    loan = api.call(
        "POST",
        f"/api/v1/etablissements/{school}/loans",
        json={
            "asset": free[-1]["id"],
            "borrower": f"staff:{me['id']}",
            "start_on": time.strftime("%Y-%m-%d"),
            "due_on": time.strftime("%Y-%m-%d", time.localtime(time.time() + 30 * 86400)),
        },
    )
    # `refnum demo` signs the school's mission letters.
    letters = api.call("GET", f"/api/v1/etablissements/{school}/mission-letters")
    return {
        "REFNUM_LETTER_ID": letters[0]["id"],
        "REFNUM_ACCOUNT_ID": me["id"],
        "REFNUM_SCHOOL_ID": school,
        "REFNUM_ROOM_ID": rooms[0]["id"],
        "REFNUM_ASSET_ID": free[0]["id"],
        "REFNUM_RESOURCE_ID": resources[0]["id"],
        "REFNUM_BOOKING_ID": bookings[0]["id"],
        "REFNUM_ORGANISATION_ID": orgs[0]["id"],
        "REFNUM_TICKET_ID": ticket["id"],
        "REFNUM_ATTACHMENT_ID": attachment["id"],
        "REFNUM_LOAN_ID": loan["id"],
        "REFNUM_PARTY_ID": loan["parties"][0]["id"],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "debug" / "refnum"))
    ap.add_argument("--report-dir", default=None, help="keep schemathesis's JUnit report here")
    args = ap.parse_args()
    examples = os.environ.get("REFNUM_CONTRACT_EXAMPLES", "60")
    seed = os.environ.get("REFNUM_CONTRACT_SEED", "20261")
    budget = int(os.environ.get("REFNUM_CONTRACT_TIMEOUT", "480"))

    data = Path(tempfile.mkdtemp(prefix="refnum-contract-"))
    server = None
    try:
        subprocess.run(
            [args.bin, "demo", "--data-dir", str(data)], check=True, stdout=subprocess.DEVNULL
        )
        token = subprocess.run(
            [args.bin, "token", "create", "--data-dir", str(data), "--email", ACCOUNT, "--name", "schemathesis"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        server, base = start_server(args.bin, data)
        ids = dict(test_data(Api(base, token)), REFNUM_API_TOKEN=token)
        ids["REFNUM_CONTRACT_HOOKS"] = str(HERE / "rules.py")
        ids["REFNUM_TODAY"] = time.strftime("%Y-%m-%d")
        ids["REFNUM_IN_A_MONTH"] = time.strftime(
            "%Y-%m-%d", time.localtime(time.time() + 30 * 86400)
        )
        # The settings with the ids written in (in lists too, where
        # schemathesis's own `${…}` does not reach).
        config = data / "schemathesis.toml"
        text = (HERE / "schemathesis.toml").read_text()
        config.write_text(re.sub(r"\$\{(REFNUM_[A-Z_]+)\}", lambda m: ids[m.group(1)], text))
        env = dict(os.environ)
        cmd = [
            str(HERE / ".venv" / "bin" / "schemathesis"),
            "--config-file",
            str(config),
            "run",
            f"{base}/api/openapi.json",
            "--max-examples",
            examples,
            "--seed",
            seed,
            "--no-color",
        ]
        if args.report_dir:
            cmd += ["--report", "junit", "--report-dir", args.report_dir]
        print("$ " + " ".join(cmd[3:]), flush=True)
        started = time.monotonic()
        try:
            rc = subprocess.run(cmd, env=env, cwd=data, timeout=budget).returncode
        except subprocess.TimeoutExpired:
            print(f"schemathesis ran past its budget of {budget} s", file=sys.stderr)
            rc = 1
        print(f"schemathesis took {time.monotonic() - started:.0f} s", flush=True)
        if rc != 0:
            log = (data / "serve.log").read_text(errors="replace")
            if log.strip():
                print("---- server log ----\n" + log[-4000:], file=sys.stderr)
        return rc
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
