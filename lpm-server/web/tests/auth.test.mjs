// Logging in with more than a TOTP code, in a real browser against a real `lpm-server demo`: a
// security key (WebAuthn, through Chromium's virtual authenticator) registered on the account
// page and then used at login.

import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { demoInBrowser, enterPassword, loginWithTotp, screenshot, stepsOn } from "./harness.mjs";

describe("second factors in the browser", () => {
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

  test("shows no script or security-policy errors", () => {
    assert.deepEqual(problems, []);
  });
});
