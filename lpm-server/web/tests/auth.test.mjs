// Accounts and access in a real browser against a real `lpm-server demo`: a security key
// (WebAuthn, through Chromium's virtual authenticator) registered on the account page and used
// at login; an API token made on the users page, used from outside the browser and revoked;
// and an auditor, who reads everything and is offered nothing to change.

import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { demoInBrowser, enterPassword, loginWithTotp, screenshot, stepsOn, totp } from "./harness.mjs";

describe("accounts and access in the browser", () => {
  let demo;
  let context;
  let page;
  let problems;
  const suite = demoInBrowser({ agents: 2 });
  before(() => ({ demo, context, page, problems } = suite));

  const step = stepsOn(() => page);

  const admin = () => ({
    username: demo.credentials.username,
    password: demo.credentials.password,
    secret: demo.credentials.totp_secret,
  });

  step("the page is served from the origin WebAuthn is bound to", async () => {
    await page.goto(demo.url + "/");
    assert.equal(new URL(page.url()).origin, demo.url);
    assert.equal(await page.evaluate(() => window.isSecureContext), true);
    assert.equal(await page.evaluate(() => typeof window.PublicKeyCredential), "function");
  });

  step("registers a security key on the account page and logs in with it", async () => {
    // A platform authenticator that says yes to every request, as a real key would when touched.
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await loginWithTotp(page, demo.url, admin());
    await page.goto(demo.url + "/account");
    await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();
    await page.getByRole("button", { name: "Add a security key" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a security key" });
    await dialog.getByLabel("Name for this key").fill("Test key");
    await screenshot(page, "21-account-add-security-key");
    await dialog.getByRole("button", { name: "Register a security key" }).click();
    await page.getByText("Security key added.").waitFor();
    const keys = page.getByRole("region", { name: "Second factors" });
    await keys.getByText("Test key").waitFor();
    await screenshot(page, "22-account-security-key-added");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1, "the authenticator holds the new credential");
    assert.equal(credentials[0].rpId, "localhost");

    await page.getByRole("button", { name: "Log out" }).click();
    await enterPassword(page, admin().username, admin().password);
    await page.getByRole("heading", { name: "Second step" }).waitFor();
    await page.getByRole("tab", { name: "Security key" }).click();
    await screenshot(page, "23-login-security-key");
    await page.getByRole("button", { name: "Use security key" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    const afterLogin = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.ok(afterLogin.credentials[0].signCount > credentials[0].signCount, "the key signed the login");
    await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
  });

  step("an API token is shown once, works from a script and stops at once when revoked", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: demo.url });
    await page.goto(demo.url + "/users?tab=tokens");
    const section = page.getByRole("region", { name: "API tokens" });
    await section.getByText("No API tokens yet.").waitFor();
    await screenshot(page, "24-tokens-empty");

    await section.getByRole("button", { name: "New token" }).click();
    const form = page.getByRole("dialog", { name: "New API token" });
    await form.getByLabel("Name").fill("ci-pipeline");
    await form.getByLabel("Role").selectOption("operator");
    await form.getByLabel("web").check();
    await form.getByLabel("Expires").selectOption({ label: "In 30 days" });
    await screenshot(page, "25-token-new");
    await form.getByRole("button", { name: "Create token" }).click();

    const shown = page.getByRole("dialog", { name: "Token ci-pipeline created" });
    await shown.getByRole("alert").filter({ hasText: "you will not see this token again" }).waitFor();
    const token = await shown.getByLabel("New API token").inputValue();
    assert.match(token, /^lpm_/);
    await shown.getByRole("button", { name: "Copy" }).click();
    await shown.getByRole("button", { name: "Copied" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token, "Copy put the token on the clipboard");
    await screenshot(page, "26-token-created");
    await shown.getByRole("button", { name: "Done" }).click();
    const row = section.getByRole("row").filter({ hasText: "ci-pipeline" });
    await row.getByText("never").first().waitFor();
    assert.equal(await section.getByLabel("New API token").count(), 0, "the secret is gone from the page");

    // A script with the token: an operator token limited to `web` sees that group's host only.
    const hosts = await demo.api("/api/v1/hosts", { token });
    assert.equal(hosts.status, 200, JSON.stringify(hosts.body));
    assert.equal(hosts.body.total, 1, "the token reaches the web group's host alone");
    assert.equal((await demo.api("/api/v1/users", { token })).status, 403, "an operator token is no admin");
    await page.reload();
    await section.getByRole("row").filter({ hasText: "ci-pipeline" }).getByText(/from 127\.0\.0\.1/).waitFor();
    await screenshot(page, "27-tokens-used");

    await section.getByRole("button", { name: "Revoke ci-pipeline" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke ci-pipeline?" });
    await confirm.getByRole("button", { name: "Revoke token" }).click();
    await page.getByText("Revoked ci-pipeline.").waitFor();
    await section.getByText("No API tokens yet.").waitFor();
    const after = await demo.api("/api/v1/hosts", { token });
    assert.equal(after.status, 401, "a revoked token is refused at once");
  });

  step("an auditor reads everything and is offered nothing to change", async () => {
    await page.goto(demo.url + "/users");
    await page.getByRole("button", { name: "New user" }).click();
    const create = page.getByRole("dialog", { name: "New user" });
    await create.getByLabel("Login name").fill("auditor-one");
    await create.getByLabel("Role").selectOption("auditor");
    assert.equal(await create.getByRole("group", { name: "Groups" }).count(), 0, "groups scope operators only");
    await create.getByRole("button", { name: "Create" }).click();
    const shown = page.getByRole("dialog", { name: /One-time password for auditor-one/ });
    const password = await shown.getByLabel("One-time password").inputValue();
    await shown.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: "Log out" }).click();

    await enterPassword(page, "auditor-one", password);
    await page.getByRole("heading", { name: "Set up a second factor" }).waitFor();
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const secret = (await page.locator(".secret").innerText()).trim();
    await page.getByLabel("Code from the app").fill(totp(secret));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByLabel("I have saved these codes").check();
    await page.getByRole("button", { name: "Continue to lpm" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await page.getByText("(auditor)").waitFor();
    await page.getByText("Read-only access").waitFor();

    const nav = page.getByRole("navigation", { name: "Main" });
    for (const link of ["Hosts", "Jobs", "Reports", "Audit log", "Users", "Settings", "Discovery", "Certificates"])
      await nav.getByRole("link", { name: link, exact: true }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "Deploy patches" }).count(), 0);

    // Every button or link that would change something, by its words.
    const changing = /^(new |add |edit|delete|remove|register|save|refresh now|deploy|cancel (job|scan)|roll back|revoke|renew|start scan|issue|reset|select all|more actions)/i;
    async function offered() {
      const names = [];
      for (const control of await page.locator("main").getByRole("button").or(page.locator("main").getByRole("link")).all()) {
        const name = ((await control.getAttribute("aria-label")) ?? (await control.innerText())).trim();
        if (changing.test(name) && !(await control.isDisabled())) names.push(name);
      }
      return names;
    }
    const pages = [
      ["/hosts", "Hosts", (p) => p.getByRole("table", { name: "Hosts" }).getByRole("link").first()],
      ["/jobs", "Jobs", null],
      ["/windows", "Maintenance windows", (p) => p.getByRole("table", { name: "Maintenance windows" }).getByRole("row").nth(1)],
      ["/groups", "Groups", (p) => p.getByRole("table", { name: "Groups" }).getByRole("link", { name: "web", exact: true })],
      ["/reports", "Reports", null],
      ["/audit", "Audit log", (p) => p.getByRole("table", { name: "Audit log" }).getByText("auth.login").first()],
      ["/users", "Users", (p) => p.getByRole("table", { name: "Users" }).getByText("auditor-one")],
      ["/users?tab=tokens", "Users", (p) => p.getByRole("region", { name: "API tokens" })],
      ["/certificates", "Certificates", null],
      ["/settings", "Settings", (p) => p.getByRole("region", { name: "Poll intervals" })],
      ["/discovery", "Discovery", (p) => p.getByRole("region", { name: "Recent scans" })],
    ];
    const found = {};
    for (const [path, heading, content] of pages) {
      await page.goto(demo.url + path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await page.locator(".loading").first().waitFor({ state: "detached" });
      if (content) await content(page).waitFor();
      const names = await offered();
      if (names.length) found[path] = names;
    }
    // A group's members are shown, not offered for change.
    await page.goto(demo.url + "/groups");
    await page.getByRole("button", { name: "Members of web" }).click();
    const members = page.getByRole("dialog", { name: "Members of web" });
    await members.getByRole("checkbox").first().waitFor();
    assert.equal(await members.getByRole("button", { name: "Save members" }).count(), 0);
    assert.equal(await members.getByRole("checkbox", { disabled: false }).count(), 0, "every member box is read-only");
    await members.getByRole("button", { name: "Close" }).click();
    await page.goto(demo.url + "/hosts");
    await page.getByRole("table", { name: "Hosts" }).getByRole("link").first().click();
    await page.getByRole("tab", { name: "Overview" }).waitFor();
    await page.locator(".loading").first().waitFor({ state: "detached" });
    const host = await offered();
    if (host.length) found["a host"] = host;
    await screenshot(page, "28-auditor-host");
    // The token list offers making one's own (auditor) token, which an auditor may; nothing else.
    assert.deepEqual(found, { "/users?tab=tokens": ["New token"] }, "controls that change something, by page");

    // Reading works: the audit log's chain verifies and the audit report downloads.
    await page.goto(demo.url + "/audit");
    await page.getByRole("button", { name: "Verify the chain" }).click();
    await page.getByRole("status").filter({ hasText: /rows? checked/ }).waitFor();
    await screenshot(page, "29-auditor-audit");
    await page.goto(demo.url + "/reports");
    await page.getByLabel("Report").selectOption("audit");
    await page.getByLabel("CSV").check();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download report" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    // A page that only changes things says so instead of offering a form.
    await page.goto(demo.url + "/deploy");
    await page.getByRole("alert").filter({ hasText: "read-only access" }).waitFor();
    await page.goto(demo.url + "/settings");
    await page.getByRole("region", { name: "Poll intervals" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Save" }).count(), 0);
    await screenshot(page, "30-auditor-settings");
  });

  test("shows no script or security-policy errors", () => {
    assert.deepEqual(problems, []);
  });
});
