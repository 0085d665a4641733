//! `lpm-bench login`: the password step of a login against the real server over HTTPS, on a
//! durable throwaway PostgreSQL, with Argon2id calibrated on this machine as
//! `lpm-server admin calibrate` does.
//!
//! Each timed request is a complete `POST /api/v1/auth/login` with the right password for a
//! TOTP-enrolled user: throttle, store lookup, one Argon2id verification on the blocking pool,
//! MFA token. The throttle's limits are raised for the run (the figures are of the server's
//! work, not of its refusals); everything else is as `serve` runs it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;
use lpm_core::model::{Role, Username};
use lpm_core::rbac::Scope;
use lpm_server::auth::password::DEFAULT_TARGET;
use lpm_server::auth::rotation::{KeyDir, KeyRotation};
use lpm_server::auth::webauthn::{DEFAULT_PUBLIC_ORIGIN, relying_party};
use lpm_server::auth::{
    Argon2Params, ExposeSecret, PasswordHasher, SecretString, Throttle, ThrottleConfig, calibrate,
    totp,
};
use lpm_server::clock::SystemClock;
use lpm_server::http::{AppState, AuthContext, app, serve, web_tls_config};
use lpm_store::testing::TempPostgres;
use lpm_store::{Actor, Store, StoreOptions};

use crate::BenchResult;

const PASSWORD: &str = "bench password, long enough";

/// Users logging in at once in the concurrent phase.
const CONCURRENT: usize = 20;

/// The `p`-th percentile (nearest rank) of `samples`, in milliseconds.
fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    let index = rank.clamp(1, samples.len().max(1)) - 1;
    samples
        .get(index)
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

async fn login(client: &reqwest::Client, url: &str, user: &str) -> BenchResult<Duration> {
    let started = Instant::now();
    let response = client
        .post(url)
        .json(&serde_json::json!({"username": user, "password": PASSWORD}))
        .send()
        .await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await?;
    let took = started.elapsed();
    if !status.is_success() || body["mfa_required"] != true {
        return Err(format!("login of {user} answered {status}: {body}").into());
    }
    Ok(took)
}

/// `m=KIB,t=N,p=N`, as `Argon2Params` displays itself.
fn parse_params(raw: &str) -> BenchResult<Argon2Params> {
    let mut params = Argon2Params::default();
    for part in raw.split(',') {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not key=value"))?;
        let value: u32 = value.trim().parse()?;
        match key.trim() {
            "m" => params.m_kib = value,
            "t" => params.t = value,
            "p" => params.p = value,
            other => return Err(format!("unknown Argon2 parameter {other:?}").into()),
        }
    }
    Ok(params)
}

/// Runs the scenario: `sequential` logins one after another, then `rounds` rounds of
/// [`CONCURRENT`] logins at once, with `argon2` parameters or calibrated ones.
pub(crate) async fn run(sequential: usize, rounds: usize, argon2: Option<&str>) -> BenchResult<()> {
    let pg = TempPostgres::start_durable()?;
    let store = Store::open(&pg.fresh_database().await?, &StoreOptions::default()).await?;
    let data = tempfile::tempdir()?;

    let params = match argon2 {
        Some(raw) => parse_params(raw)?,
        None => {
            eprintln!("calibrating Argon2id (target 250-500 ms, at most 64 MiB)");
            let calibration = tokio::task::spawn_blocking(|| {
                calibrate(DEFAULT_TARGET, Argon2Params::default(), 65536)
            })
            .await??;
            eprintln!(
                "calibrated: {} takes {} ms per hash (in target: {})",
                calibration.params,
                calibration.measured.as_millis(),
                calibration.in_target
            );
            calibration.params
        }
    };
    let hasher = PasswordHasher::new(params)?;
    let one_hash = {
        let hasher = hasher.clone();
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            hasher
                .hash(&SecretString::from(PASSWORD.to_owned()))
                .map(|hash| (hash, started.elapsed()))
        })
        .await??
    };
    let (hash, hash_time) = one_hash;
    eprintln!(
        "argon2id {params}: one hash took {} ms",
        hash_time.as_millis()
    );
    let admin = Scope::system().require_admin()?;
    let now = chrono::Utc::now();
    store
        .config_set(&admin, "auth.argon2", &params, &Actor::system(), now)
        .await?;

    eprintln!("creating {CONCURRENT} users with a password and TOTP");
    let mut names = Vec::new();
    for i in 0..CONCURRENT {
        let name = format!("bench{i:02}");
        let user = store
            .create_user(
                &admin,
                &Username::new(&name)?,
                Role::Operator,
                &[],
                &Actor::system(),
                now,
            )
            .await?;
        store
            .set_password_hash(user.id, &hash, &Actor::system(), now)
            .await?;
        let secret = totp::new_secret()?;
        store
            .begin_totp_enrolment(user.id, secret.expose_secret(), &Actor::system(), now)
            .await?;
        store
            .confirm_mfa(user.id, "totp", &Actor::system(), now)
            .await?;
        names.push(name);
    }

    let keys = KeyRotation::new(store.clone(), KeyDir::open(data.path())?)
        .key_ring(now)
        .await?;
    let unlimited = ThrottleConfig {
        ip_per_minute: 1e9,
        ip_burst: 1e9,
        account_per_minute: 1e9,
        account_burst: 1e9,
        ..ThrottleConfig::default()
    };
    let origin = url::Url::parse(DEFAULT_PUBLIC_ORIGIN)?;
    let auth = AuthContext::new(
        keys,
        hasher,
        Throttle::new(unlimited),
        relying_party(&origin)?,
    );
    let state = AppState::new(store.clone(), Arc::new(SystemClock), Arc::new(auth));

    let issued_at = OffsetDateTime::now_utc();
    let ca = Ca::generate("lpm-bench CA", issued_at)?;
    let web = ca.issue_web_server(&["localhost"], &["127.0.0.1".parse()?], issued_at)?;
    let tls = web_tls_config(&web.cert_pem, web.key_pem.expose_secret())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, tls, app(state), async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(ca.root_pem().as_bytes())?])
        .build()?;
    let url = format!("https://localhost:{port}/api/v1/auth/login");

    // Warm up connections and caches.
    for name in names.iter().take(2) {
        login(&client, &url, name).await?;
    }
    eprintln!("{sequential} sequential logins");
    let mut one_by_one = Vec::with_capacity(sequential);
    for i in 0..sequential {
        one_by_one.push(login(&client, &url, &names[i % names.len()]).await?);
    }
    eprintln!("{rounds} rounds of {CONCURRENT} concurrent logins");
    let mut at_once = Vec::with_capacity(rounds * CONCURRENT);
    for _ in 0..rounds {
        let tasks: Vec<_> = names
            .iter()
            .map(|name| {
                let (client, url, name) = (client.clone(), url.clone(), name.clone());
                tokio::spawn(async move { login(&client, &url, &name).await })
            })
            .collect();
        for task in tasks {
            at_once.push(task.await??);
        }
    }
    let _ = stop.send(());
    server.await??;
    store.close().await;

    println!("login_argon2_hash_ms: {} ms", hash_time.as_millis());
    println!("login_p50_ms: {:.0} ms", percentile(&mut one_by_one, 50.0));
    println!("login_p99_ms: {:.0} ms", percentile(&mut one_by_one, 99.0));
    println!(
        "login_concurrent20_p50_ms: {:.0} ms",
        percentile(&mut at_once, 50.0)
    );
    println!(
        "login_concurrent20_p99_ms: {:.0} ms",
        percentile(&mut at_once, 99.0)
    );
    Ok(())
}
