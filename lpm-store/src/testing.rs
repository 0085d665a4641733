//! Test helpers other crates share (feature `testing`): a throwaway PostgreSQL cluster started
//! from the installed server binaries, and fresh databases in it.
//!
//! No server, credentials or network are needed: the cluster lives in a temporary directory,
//! listens only on a Unix socket there, trusts local connections and runs with `fsync=off`.
//! When the process runs as root (CI does), `initdb` and `pg_ctl` run as the `postgres` system
//! user, because PostgreSQL refuses to run as root. A watcher process stops the cluster and
//! deletes its directory when the test process exits, however it exits.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use thiserror::Error;

/// Why a throwaway cluster could not be started.
#[derive(Debug, Error)]
pub enum TestDbError {
    /// The server binaries are not installed.
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or $LPM_PG_BIN: \
         install postgresql (Debian package `postgresql`)"
    )]
    NotInstalled,
    /// A command failed.
    #[error("{command} failed: {output}")]
    Command {
        /// What ran.
        command: String,
        /// What it printed.
        output: String,
    },
    /// File system trouble.
    #[error("throwaway PostgreSQL: {0}")]
    Io(#[from] std::io::Error),
}

/// A running throwaway PostgreSQL cluster.
#[derive(Debug)]
pub struct TempPostgres {
    root: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    port: u16,
    durable: bool,
}

static SHARED: OnceLock<Result<TempPostgres, String>> = OnceLock::new();

impl TempPostgres {
    /// The cluster shared by every test of this process, started on first use.
    ///
    /// # Panics
    /// When the cluster cannot start: a test that needs PostgreSQL must fail loudly, naming
    /// the package to install, never skip.
    #[allow(clippy::panic)]
    pub fn shared() -> &'static TempPostgres {
        match SHARED.get_or_init(|| Self::start().map_err(|e| e.to_string())) {
            Ok(pg) => pg,
            Err(e) => panic!("{e}"),
        }
    }

    /// Starts a new cluster tuned for tests: `fsync`, synchronous commit and full-page writes
    /// off, since its data is thrown away.
    pub fn start() -> Result<Self, TestDbError> {
        Self::start_with(false)
    }

    /// Starts a new cluster with PostgreSQL's durable defaults (`fsync` and synchronous commit
    /// on), for benchmarks whose figures should hold on a real installation.
    pub fn start_durable() -> Result<Self, TestDbError> {
        Self::start_with(true)
    }

    fn start_with(durable: bool) -> Result<Self, TestDbError> {
        let bin = find_bin()?;
        let as_postgres_user = std::fs::metadata("/proc/self")?.uid() == 0;
        let root = tempfile::Builder::new().prefix("lpm-pg-").tempdir()?.keep();
        let pg = Self {
            root,
            bin,
            as_postgres_user,
            port: 5432,
            durable,
        };
        std::fs::create_dir_all(pg.socket_dir())?;
        if as_postgres_user {
            let (uid, gid) = postgres_ids()?;
            for dir in [pg.root.as_path(), pg.socket_dir().as_path()] {
                std::os::unix::fs::chown(dir, Some(uid), Some(gid))?;
            }
        }
        pg.spawn_reaper()?;
        pg.run(
            "initdb",
            &[
                "-D",
                &pg.data_dir().to_string_lossy(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        )?;
        pg.pg_ctl(&["start", "-w", "-t", "60"])?;
        Ok(pg)
    }

    /// The URL of a database in this cluster.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@localhost:{}/{database}?host={}",
            self.port,
            self.socket_dir().display()
        )
    }

    /// Creates an empty database with a unique name and returns its URL.
    pub async fn fresh_database(&self) -> Result<String, sqlx::Error> {
        use sqlx::Connection;
        let name = format!("t_{}", ulid::Ulid::generate().to_string().to_lowercase());
        let mut admin = sqlx::PgConnection::connect(&self.url("postgres")).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        Ok(self.url(&name))
    }

    /// Restarts the server (`pg_ctl restart -m fast`), dropping every connection.
    pub fn restart(&self) -> Result<(), TestDbError> {
        self.pg_ctl(&["restart", "-m", "fast", "-w", "-t", "60"])
    }

    /// Cuts every connection to `database` except the caller's (`pg_terminate_backend`).
    pub async fn terminate_connections(&self, database: &str) -> Result<u64, sqlx::Error> {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&self.url("postgres")).await?;
        let cut: Vec<(bool,)> = sqlx::query_as(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(database)
        .fetch_all(&mut admin)
        .await?;
        admin.close().await?;
        Ok(cut.len() as u64)
    }

    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    fn socket_dir(&self) -> PathBuf {
        self.root.join("sock")
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), TestDbError> {
        let durability = if self.durable {
            ""
        } else {
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        };
        let options = format!(
            "-c listen_addresses='' -k {} -p {} -c max_connections=300 -c shared_buffers=128MB{durability}",
            self.socket_dir().display(),
            self.port
        );
        let data = self.data_dir().to_string_lossy().into_owned();
        let log = self.root.join("server.log").to_string_lossy().into_owned();
        let mut all = vec!["-D", &data, "-l", &log, "-o", &options];
        all.extend_from_slice(args);
        self.run("pg_ctl", &all)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.arg("-u").arg("postgres").arg("--").arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), TestDbError> {
        let out = self
            .command(program)
            .args(args)
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .output()?;
        if out.status.success() {
            Ok(())
        } else {
            let log = std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default();
            Err(TestDbError::Command {
                command: format!("{program} {}", args.join(" ")),
                output: format!(
                    "{}{}\n{log}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            })
        }
    }

    /// A shell that waits for this process to exit, then stops the cluster and removes it.
    fn spawn_reaper(&self) -> Result<(), TestDbError> {
        let pg_ctl = self.bin.join("pg_ctl");
        let stop = if self.as_postgres_user {
            format!(
                "runuser -u postgres -- {} -D {} stop -m immediate",
                pg_ctl.display(),
                self.data_dir().display()
            )
        } else {
            format!(
                "{} -D {} stop -m immediate",
                pg_ctl.display(),
                self.data_dir().display()
            )
        };
        let script = format!(
            "tail --pid={} -f /dev/null; {stop} >/dev/null 2>&1; rm -rf {}",
            std::process::id(),
            self.root.display()
        );
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(())
    }
}

fn find_bin() -> Result<PathBuf, TestDbError> {
    if let Some(dir) = std::env::var_os("LPM_PG_BIN") {
        let dir = PathBuf::from(dir);
        return has_server(&dir)
            .then_some(dir)
            .ok_or(TestDbError::NotInstalled);
    }
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| TestDbError::NotInstalled)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((major, e.path().join("bin")))
        })
        .filter(|(major, dir)| *major >= 15 && has_server(dir))
        .collect();
    candidates.sort();
    candidates
        .pop()
        .map(|(_, dir)| dir)
        .ok_or(TestDbError::NotInstalled)
}

fn has_server(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() && dir.join("postgres").is_file()
}

fn postgres_ids() -> Result<(u32, u32), TestDbError> {
    let id = |flag: &str| -> Result<u32, TestDbError> {
        let out = Command::new("id").arg(flag).arg("postgres").output()?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| TestDbError::Command {
                command: format!("id {flag} postgres"),
                output:
                    "no `postgres` system user: install postgresql (Debian package `postgresql`)"
                        .into(),
            })
    };
    Ok((id("-u")?, id("-g")?))
}

impl crate::Store {
    /// Runs raw SQL against the store, bypassing every rule: for tests that tamper with rows
    /// or seed in bulk. Returns the rows affected.
    pub async fn testing_execute(&self, sql: &str) -> Result<u64, crate::StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(crate::with_db!(self, db => sqlx::query(sql).execute(db).await?.rows_affected()))
    }

    /// Runs a raw query returning one text column, for tests that read what the API does not.
    pub async fn testing_strings(&self, sql: &str) -> Result<Vec<String>, crate::StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(crate::with_db!(self, db => sqlx::query_scalar(sql).fetch_all(db).await?))
    }
}

impl crate::Store {
    /// Inserts `n` hosts `10.x.y.z:12443` in one statement, for tests and benchmarks that need
    /// a large fleet fast. Ids run from the current maximum upwards.
    pub async fn testing_seed_hosts(
        &self,
        n: u32,
        created_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, crate::StoreError> {
        let at = match self.backend() {
            crate::BackendKind::Postgres => format!("'{}'::timestamptz", created_at.to_rfc3339()),
            crate::BackendKind::Sqlite => format!("'{}'", crate::ts(created_at).to_rfc3339()),
        };
        self.testing_execute(&format!(
            "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n}) \
             INSERT INTO hosts (ip, port, status, created_at) \
             SELECT '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256), 12443, 'pending', {at} FROM seq"
        ))
        .await
    }
}
