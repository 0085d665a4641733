// What the browser tests stand on: `lpm-server demo` on a temporary data directory and free
// ports, its credentials, TOTP codes computed here (RFC 6238), and Debian's Chromium driven by
// playwright-core. Nothing is downloaded: a missing browser fails naming the package.

import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { request } from "node:https";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const SCREENSHOTS = path.join(REPO, "target", "ui-screenshots");
const CHROMIUM = "/usr/bin/chromium";

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/=+$/, "").toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of `secret` for the time step `step`. */
export function totp(secret, step = Math.floor(Date.now() / 1000 / 30)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, "0");
}

/** The lpm-server binary: $LPM_SERVER_BIN, else the workspace's debug build. */
function serverBinary() {
  const bin = process.env.LPM_SERVER_BIN ?? path.join(REPO, "target", "debug", "lpm-server");
  if (!existsSync(bin))
    throw new Error(`${bin} does not exist: build it first (cargo build -p lpm-server), or set LPM_SERVER_BIN`);
  return bin;
}

/**
 * Starts `lpm-server demo` with `agents` simulated agents on a random 127.x.y.1 range, waits
 * until it answers, and returns {url, credentials, dataDir, log(), stop()}.
 */
export async function startDemo({ agents = 6 } = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "lpm-ui-"));
  const port = await freePort();
  const agentPort = await freePort();
  // A /24 of loopback addresses of its own, so parallel runs do not collide.
  const firstIp = `127.${100 + Math.floor(Math.random() * 100)}.${1 + Math.floor(Math.random() * 250)}.1`;
  let output = "";
  const child = spawn(
    serverBinary(),
    ["demo", "--data-dir", path.join(dataDir, "data"), "--listen", `127.0.0.1:${port}`,
      "--agents", String(agents), "--first-agent-ip", firstIp, "--agent-port", String(agentPort)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `https://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`lpm-server demo exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`lpm-server demo did not answer within 120 s:\n${output}`);
    }
    if (output.includes("listening")) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const credentials = JSON.parse(await readFile(path.join(dataDir, "data", "demo-credentials.json"), "utf8"));
  const caPem = await readFile(path.join(dataDir, "data", "ca", "ca.crt"), "utf8");
  return {
    url,
    credentials,
    /**
     * Calls the API from outside the browser, as a script would, trusting only the demo's CA:
     * resolves to {status, body} (the body parsed as JSON when it is JSON).
     */
    api: (apiPath, { token, method = "GET" } = {}) => callApi(url + apiPath, caPem, token, method),
    dataDir,
    firstAgentIp: firstIp,
    agentPort,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function callApi(url, caPem, token, method) {
  return new Promise((resolve, reject) => {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const req = request(url, { method, ca: caPem, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        let body = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: keep the text.
        }
        resolve({ status: res.statusCode, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Debian's Chromium, headless, trusting nothing but accepting the demo CA's certificate. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's \`chromium\` package (apt-get install chromium). The browser tests never download a browser.`,
    );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    colorScheme: "light",
  });
  return { browser, context };
}

/** Saves a full-page screenshot as target/ui-screenshots/NAME.png. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Collects script errors and blocked resources (CSP) on `page` into the returned list; HTTP
 * error answers are left to the pages, which show them.
 */
export function collectProblems(page) {
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Fills the login form's first step (username and password) and continues. */
export async function enterPassword(page, username, password) {
  await page.getByRole("heading", { name: "Log in" }).waitFor();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
}

/** Logs in at `url` with a password and a TOTP code from `secret`, up to the dashboard. */
export async function loginWithTotp(page, url, { username, password, secret }) {
  await page.goto(url + "/");
  await enterPassword(page, username, password);
  await page.getByRole("heading", { name: "Second step" }).waitFor();
  await page.getByLabel(/6-digit code/).fill(totp(secret));
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
}

/**
 * `step(name, body)`: a test that, when it fails, leaves a screenshot of the page (the one
 * `pageOf()` returns then) as it was at that moment.
 */
export function stepsOn(pageOf) {
  return (name, body) =>
    test(name, async () => {
      try {
        await body();
      } catch (error) {
        await screenshot(pageOf(), `failed-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`).catch(() => {});
        throw error;
      }
    });
}

/**
 * Registers hooks on the enclosing suite: before it, `lpm-server demo` with `agents` agents and
 * a browser page on it; after it, both stopped. The returned object holds {demo, browser,
 * context, page, problems} once the hooks ran; `problems` collects script and CSP errors.
 */
export function demoInBrowser({ agents }) {
  const suite = {};
  before(async () => {
    suite.demo = await startDemo({ agents });
    ({ browser: suite.browser, context: suite.context } = await launchBrowser());
    suite.page = await suite.context.newPage();
    suite.page.setDefaultTimeout(20_000);
    suite.problems = collectProblems(suite.page);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.demo?.stop();
  });
  return suite;
}
