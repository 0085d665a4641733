// The app's frame: restores or asks for a session, loads who is logged in, and shows the page
// the URL names inside the shell (navigation, worker banner, theme and logout).

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { api, unwrap, type Schemas } from "./api/client";
import { logout, restore, useSession } from "./api/session";
import { Link, match, navigate, useLocation } from "./router";
import { ErrorNotice, Loading, PageHead, Toasts } from "./ui/components";
import { useInterval, useLoad } from "./lib/hooks";
import { applyTheme, savedTheme, type Theme } from "./lib/theme";
import { accessOf, READ_ONLY } from "./lib/access";
import { LoginPage } from "./pages/Login";
import { DashboardPage } from "./pages/Dashboard";
import { HostsPage } from "./pages/Hosts";
import { HostDetailPage } from "./pages/HostDetail";
import { DeployPage } from "./pages/Deploy";
import { JobsPage } from "./pages/Jobs";
import { JobDetailPage } from "./pages/JobDetail";
import { WindowsPage } from "./pages/Windows";
import { GroupsPage } from "./pages/Groups";
import { ReportsPage } from "./pages/Reports";
import { UsersPage } from "./pages/Users";
import { CertificatesPage } from "./pages/Certificates";
import { SettingsPage } from "./pages/Settings";
import { DiscoveryPage } from "./pages/Discovery";
import { AccountPage } from "./pages/Account";
import { AuditPage } from "./pages/Audit";
import { NotFoundPage } from "./pages/NotFound";

/** The logged-in user, for pages that adapt to the role. */
export const MeContext = createContext<Schemas["MeView"] | null>(null);

/** The logged-in user (pages render only inside a session). */
export function useMe(): Schemas["MeView"] {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe outside a session");
  return me;
}

/** Who may open a page besides admins: `readsAll` adds auditors, `changes` every role but auditors. */
type Audience = "admin" | "readsAll" | "changes";

interface RouteDef {
  path: string;
  render: (params: Record<string, string>) => ReactNode;
  only?: Audience;
}

const ROUTES: RouteDef[] = [
  { path: "/", render: () => <DashboardPage /> },
  { path: "/hosts", render: () => <HostsPage /> },
  { path: "/hosts/:id", render: (p) => <HostDetailPage id={Number(p.id)} /> },
  { path: "/deploy", render: () => <DeployPage />, only: "changes" },
  { path: "/jobs", render: () => <JobsPage /> },
  { path: "/jobs/:id", render: (p) => <JobDetailPage id={Number(p.id)} /> },
  { path: "/windows", render: () => <WindowsPage /> },
  { path: "/discovery", render: () => <DiscoveryPage />, only: "readsAll" },
  { path: "/groups", render: () => <GroupsPage /> },
  { path: "/reports", render: () => <ReportsPage /> },
  { path: "/users", render: () => <UsersPage />, only: "readsAll" },
  { path: "/audit", render: () => <AuditPage />, only: "readsAll" },
  { path: "/certificates", render: () => <CertificatesPage /> },
  { path: "/settings", render: () => <SettingsPage />, only: "readsAll" },
  { path: "/account", render: () => <AccountPage /> },
];

interface NavItem {
  to: string;
  label: string;
  only?: Audience;
}

const NAV: { section: string; items: NavItem[] }[] = [
  {
    section: "Fleet",
    items: [
      { to: "/", label: "Dashboard" },
      { to: "/hosts", label: "Hosts" },
      { to: "/deploy", label: "Deploy patches", only: "changes" },
      { to: "/jobs", label: "Jobs" },
      { to: "/windows", label: "Maintenance windows" },
      { to: "/discovery", label: "Discovery", only: "readsAll" },
    ],
  },
  {
    section: "Manage",
    items: [
      { to: "/groups", label: "Groups" },
      { to: "/reports", label: "Reports" },
      { to: "/certificates", label: "Certificates" },
      { to: "/users", label: "Users", only: "readsAll" },
      { to: "/audit", label: "Audit log", only: "readsAll" },
      { to: "/settings", label: "Settings", only: "readsAll" },
    ],
  },
];

export function App() {
  const session = useSession();
  useEffect(() => {
    if (session.status === "restoring") void restore();
  }, [session.status]);
  return (
    <>
      {session.status === "restoring" && (
        <div className="auth-page">
          <Loading what="Restoring your session" />
        </div>
      )}
      {session.status === "anonymous" && <LoginPage notice={session.endedBecause} />}
      {session.status === "active" && <Authenticated />}
      <Toasts />
    </>
  );
}

function Authenticated() {
  const me = useLoad(() => unwrap(api.GET("/api/v1/auth/me")), []);
  if (me.data) {
    return (
      <MeContext.Provider value={me.data}>
        <Shell me={me.data} />
      </MeContext.Provider>
    );
  }
  if (me.error !== undefined) {
    return (
      <div className="auth-page">
        <div className="auth-card">
          <ErrorNotice error={me.error} retry={me.reload} />
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <Loading what="Loading your account" />
    </div>
  );
}

/** Why a page is not for this user, in a sentence. */
const NOT_FOR: Record<Audience, string> = {
  admin: "This page is for admins.",
  readsAll: "This page is for admins and auditors.",
  changes: READ_ONLY,
};

function Shell({ me }: { me: Schemas["MeView"] }) {
  const { path } = useLocation();
  const access = accessOf(me.role);
  const allowed = (only: Audience | undefined) => only === undefined || access[only];
  let page: ReactNode = <NotFoundPage />;
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (!params) continue;
    page = allowed(route.only) ? (
      route.render(params)
    ) : (
      <>
        <PageHead title="Not allowed" />
        <div className="notice warn" role="alert">
          {NOT_FOR[route.only ?? "admin"]} <Link to="/">Go to the dashboard</Link>
        </div>
      </>
    );
    break;
  }
  // Screen readers and keyboards start at the new page's content after a navigation.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);
  const current = (to: string) =>
    to === "/" ? path === "/" : path === to || path.startsWith(to + "/");
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" />
          lpm
        </Link>
        <nav aria-label="Main">
          {NAV.map((group) => (
            <div key={group.section}>
              <div className="nav-section" aria-hidden="true">
                {group.section}
              </div>
              <ul className="nav">
                {group.items
                  .filter((item) => allowed(item.only))
                  .map((item) => (
                    <li key={item.to}>
                      <Link to={item.to} aria-current={current(item.to) ? "page" : undefined}>
                        {item.label}
                      </Link>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </nav>
        <div className="sidebar-foot">
          <div>
            <Link to="/account" aria-current={current("/account") ? "page" : undefined}>
              {me.username}
            </Link>{" "}
            <span className="muted small">({me.role})</span>
            {!access.changes && <div className="muted small">Read-only access</div>}
          </div>
          <ThemeSelect />
          <button
            type="button"
            onClick={() => {
              // The next person to log in here starts on the dashboard.
              navigate("/", { replace: true });
              void logout();
            }}
          >
            Log out
          </button>
        </div>
      </aside>
      <div>
        <WorkerBanner />
        <main id="main" className="main" tabIndex={-1}>
          {page}
        </main>
      </div>
    </div>
  );
}

function ThemeSelect() {
  const [theme, setTheme] = useState<Theme>(savedTheme());
  return (
    <label className="small">
      <span className="muted">Theme</span>
      <select
        className="theme-select"
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          applyTheme(next);
        }}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

interface Health {
  status: string;
  database: string;
  worker: string;
}

/** The stale-worker banner (SDD §13): the manager's own health, checked every minute. */
function WorkerBanner() {
  const [health, setHealth] = useState<Health | null>(null);
  const check = () => {
    fetch("/status/health")
      .then((r) => r.json() as Promise<Health>)
      .then(setHealth, () => setHealth({ status: "unhealthy", database: "unknown", worker: "unknown" }));
  };
  useEffect(check, []);
  useInterval(check, 60_000, true);
  if (!health || health.status === "ok") return null;
  const text =
    health.database !== "ok"
      ? "The manager cannot reach its database: data on screen may be stale and changes may fail."
      : health.worker === "absent"
        ? "No worker is running: queued jobs, polls and discovery scans will not progress until one starts."
        : "The worker has not reported for over 90 seconds: jobs, polls and scans may be stalled.";
  return (
    <div className={`banner ${health.database !== "ok" ? "bad" : ""}`} role="alert">
      {text}
    </div>
  );
}
