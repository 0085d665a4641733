// The web UI in a real browser against a real `lpm-server demo`: log in with a TOTP code, see
// the fleet, visit every page (a screenshot of each lands in target/ui-screenshots/), queue a
// patch job and watch it finish live, download a PDF report, run a discovery scan.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { before, describe, test } from "node:test";
import { demoInBrowser, screenshot, stepsOn, totp } from "./harness.mjs";

const AGENTS = 6;
/** Long enough for a debug build on a busy two-core machine; a functional wait, not a timing test. */
const LONG = 90_000;

describe("the web UI against lpm-server demo", () => {
  let demo;
  let page;
  let problems;
  const suite = demoInBrowser({ agents: AGENTS });
  before(() => ({ demo, page, problems } = suite));

  const step = stepsOn(() => page);

  async function visit(path, heading) {
    await page.goto(demo.url + path);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    await page.locator(".loading").first().waitFor({ state: "detached", timeout: LONG });
  }

  step("logs in with the password and a TOTP code", async () => {
    await page.goto(demo.url + "/");
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await screenshot(page, "01-login");
    await page.getByLabel("Username").fill(demo.credentials.username);
    await page.getByLabel("Password").fill(demo.credentials.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Second step" }).waitFor();
    await screenshot(page, "02-login-totp");
    await page.getByLabel(/6-digit code/).fill(totp(demo.credentials.totp_secret));
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
  });

  step("a reload keeps the session through the rotated refresh token", async () => {
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    assert.equal(await page.getByRole("heading", { name: "Log in" }).count(), 0);
  });

  step("the dashboard shows the fleet", async () => {
    await visit("/", "Dashboard");
    const hosts = page.getByRole("region", { name: "Hosts" });
    await hosts.getByText(String(AGENTS), { exact: true }).first().waitFor();
    await page.getByRole("button", { name: "Download root CA" }).waitFor();
    await screenshot(page, "03-dashboard");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "03-dashboard-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  step("every page renders without errors", async () => {
    const pages = [
      ["/hosts", "Hosts", "04-hosts"],
      ["/deploy", "Deploy patches", "06-deploy"],
      ["/jobs", "Jobs", "07-jobs"],
      ["/windows", "Maintenance windows", "09-windows"],
      ["/groups", "Groups", "10-groups"],
      ["/reports", "Reports", "11-reports"],
      ["/users", "Users", "12-users"],
      ["/audit", "Audit log", "12-audit"],
      ["/certificates", "Certificates", "13-certificates"],
      ["/settings", "Settings", "14-settings"],
      ["/discovery", "Discovery", "15-discovery"],
      ["/account", "Your account", "16-account"],
      ["/no-such-page", "Page not found", "17-not-found"],
    ];
    const broken = [];
    for (const [path, heading, shot] of pages) {
      await visit(path, heading);
      await screenshot(page, shot);
      const errors = page.getByRole("alert").filter({ hasText: "Something went wrong" });
      if (await errors.count()) broken.push(`${path}: ${await errors.first().innerText()}`);
    }
    // The first host's page, reached by clicking through the list.
    await visit("/hosts", "Hosts");
    await page.getByRole("table").getByRole("link").first().click();
    await page.getByRole("tab", { name: "Overview" }).waitFor();
    await page.locator(".loading").first().waitFor({ state: "detached" });
    await screenshot(page, "05-host-detail");
    await page.getByRole("tab", { name: /Patches/ }).click();
    await page.locator(".loading").first().waitFor({ state: "detached" });
    await screenshot(page, "05-host-detail-patches");
    assert.deepEqual(broken, [], "pages that show an error");
  });

  step("the audit log lists sign-ins and its hash chain verifies", async () => {
    await visit("/audit", "Audit log");
    await page.getByLabel("Action starts with").fill("auth.");
    // The filter applies once typing pauses: then every row shown is a sign-in event.
    await page.waitForFunction(() => {
      const actions = [...document.querySelectorAll("table[aria-label='Audit log'] tbody code")].map((c) => c.textContent);
      return actions.length > 0 && actions.every((a) => a?.startsWith("auth."));
    });
    await page.getByRole("button", { name: "Verify the chain" }).click();
    await page.getByRole("status").filter({ hasText: /rows? checked/ }).waitFor();
    assert.match(await page.getByRole("region", { name: "Integrity" }).innerText(), /intact/);
    await screenshot(page, "12-audit-verified");
  });

  step("queues a patch job for the next window and watches it complete live", async () => {
    await visit("/deploy", "Deploy patches");
    // The demo's `web` group has a window open now.
    await page.getByLabel("Group").selectOption({ label: "web" });
    await page.getByRole("button", { name: /Select all/ }).click();
    await page.getByLabel("Queue for each host's next maintenance window").check();
    await page.getByRole("button", { name: "Review" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(/next maintenance window/).first().waitFor();
    await screenshot(page, "06-deploy-confirm");
    await dialog.getByRole("button", { name: "Queue job" }).click();
    await page.getByRole("heading", { level: 1, name: /^Job #\d+/ }).waitFor();
    await page.getByText("Live", { exact: true }).waitFor();
    await screenshot(page, "08-job-detail-queued");
    const state = page.getByTestId("job-state");
    try {
      await page.waitForFunction(
        () => ["succeeded", "partially failed", "failed"].includes(document.querySelector("[data-testid=job-state]")?.textContent ?? ""),
        null,
        { timeout: LONG },
      );
    } catch {
      throw new Error(
        `the job stayed "${await state.textContent()}" for ${LONG / 1000} s: nothing ran it. ` +
          "This needs a worker in lpm-server demo (all-in-one); see the health banner on the page.",
      );
    }
    await screenshot(page, "08-job-detail-done");
    assert.equal(await state.textContent(), "succeeded");
    // Per-host progress and log lines were shown as they came.
    assert.ok((await page.getByRole("progressbar").count()) > 0);
  });

  step("downloads a compliance report as PDF", async () => {
    await visit("/reports", "Reports");
    await page.getByLabel("Report").selectOption("compliance");
    await page.getByLabel("PDF").check();
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: LONG }),
      page.getByRole("button", { name: "Download report" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 5).toString("latin1"), "%PDF-");
    await screenshot(page, "11-reports-downloaded");
  });

  step("runs a discovery scan and shows its progress", async () => {
    await visit("/discovery", "Discovery");
    // The demo's agents live in the first addresses of its /24.
    const firstIp = demo.firstAgentIp;
    await page.getByLabel("Network (CIDR)").fill(`${firstIp.replace(/\.1$/, ".0")}/28`);
    await page.getByLabel("Agent port").fill(String(demo.agentPort));
    await page.getByRole("button", { name: "Start scan" }).click();
    await page.getByRole("progressbar", { name: /Scan/ }).waitFor();
    await screenshot(page, "15-discovery-running");
    try {
      await page.getByText(/Finished/).first().waitFor({ timeout: LONG });
    } catch {
      throw new Error("the scan never finished: nothing ran it (discovery needs a worker in lpm-server demo)");
    }
    // The demo registered its agents as hosts by hand: the scan reports each as that host.
    const found = page.getByRole("table", { name: "Agents found" }).getByRole("row");
    await found.nth(AGENTS).waitFor();
    for (let row = 1; row <= AGENTS; row++)
      assert.match(await found.nth(row).innerText(), /yes, host #\d+/, `row ${row} of the scan`);
    assert.equal(await page.getByRole("checkbox", { name: /^Register / }).count(), 0, "nothing left to register");
    await page.getByText("Every agent found is a host already.").waitFor();
    await screenshot(page, "15-discovery-done");
  });

  step("a new operator enrols an authenticator app at first login", async () => {
    await visit("/users", "Users");
    await page.getByRole("button", { name: "New user" }).click();
    const create = page.getByRole("dialog", { name: "New user" });
    await create.getByLabel("Login name").fill("operator-one");
    await create.getByLabel("web").check();
    await create.getByRole("button", { name: "Create" }).click();
    const shown = page.getByRole("dialog", { name: /One-time password for operator-one/ });
    const password = await shown.getByLabel("One-time password").inputValue();
    assert.ok(password.length >= 12, password);
    await shown.getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Username").fill("operator-one");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Set up a second factor" }).waitFor();
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    await page.getByRole("img", { name: /QR code/ }).waitFor();
    await screenshot(page, "18-enrol-totp");
    const secret = (await page.locator(".secret").innerText()).trim();
    await page.getByLabel("Code from the app").fill(totp(secret));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    assert.equal(await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").count(), 10);
    await screenshot(page, "19-enrol-recovery-codes");
    await page.getByLabel("I have saved these codes").check();
    await page.getByRole("button", { name: "Continue to lpm" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    // An operator sees no admin pages.
    const nav = page.getByRole("navigation", { name: "Main" });
    assert.equal(await nav.getByRole("link", { name: "Users" }).count(), 0);
    assert.equal(await nav.getByRole("link", { name: "Settings" }).count(), 0);
    await page.locator(".loading").first().waitFor({ state: "detached", timeout: LONG });
    await screenshot(page, "20-operator-dashboard");
  });

  step("logs out", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.getByText("You have logged out.").waitFor();
  });

  test("shows no script or security-policy errors", () => {
    assert.deepEqual(problems, []);
  });
});
