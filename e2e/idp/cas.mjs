// A real CAS server for the browser suite: django-cas-server (PyPI, pinned
// in e2e/requirements.txt) in the minimal Django project of e2e/idp/cas,
// run with `manage.py runserver` on a free loopback port after `migrate`
// and the creation of the test user and of RefNum's service pattern.
//
// The Python comes from the virtualenv that scripts/test prepares
// (e2e/idp/.venv), or from REFNUM_CAS_PYTHON.

import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const projectDir = path.join(here, "cas");

export const CAS_USER = {
  username: "elodie.caron",
  password: "mot-de-passe-cas-e2e",
  email: "enseignant.malherbe@ac-normandie.test",
};

function python() {
  const fromEnv = process.env.REFNUM_CAS_PYTHON;
  if (fromEnv) {
    return fromEnv;
  }
  const venv = path.join(here, ".venv", "bin", "python");
  if (!existsSync(venv)) {
    throw new Error(
      `no Python for the CAS server: create the virtualenv with\n` +
        `  python3 -m venv e2e/idp/.venv && e2e/idp/.venv/bin/pip install -r e2e/requirements.txt\n` +
        `(scripts/test does it), or set REFNUM_CAS_PYTHON`,
    );
  }
  return venv;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the CAS server. Returns { url, stop() } where `url` is the CAS
 * base (`http://127.0.0.1:PORT/cas`).
 */
export async function startCasServer() {
  const py = python();
  const dir = await mkdtemp(path.join(tmpdir(), "refnum-cas-"));
  const env = {
    ...process.env,
    CAS_IDP_DB: path.join(dir, "cas.sqlite3"),
    PYTHONDONTWRITEBYTECODE: "1",
  };
  const manage = (args) =>
    execFileAsync(py, ["manage.py", ...args], { cwd: projectDir, env, maxBuffer: 4 * 1024 * 1024 });
  try {
    await manage(["migrate", "--noinput"]);
    await manage([
      "setup_test_idp",
      "--username",
      CAS_USER.username,
      "--password",
      CAS_USER.password,
      "--email",
      CAS_USER.email,
      "--service-pattern",
      "^http://127\\.0\\.0\\.1:[0-9]+/connexion/sso/ent/retour$",
    ]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`CAS server setup failed: ${e.message}\n${e.stderr ?? ""}`);
  }
  const port = await freePort();
  const child = spawn(py, ["manage.py", "runserver", `127.0.0.1:${port}`, "--noreload"], {
    cwd: projectDir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}/cas`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`CAS server exited early\n${stderr}`);
    }
    try {
      const r = await fetch(`${url}/login`);
      if (r.status === 200) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`CAS server did not start in 30 s\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, stop };
}
