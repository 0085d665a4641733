//! `lpm-server admin …`: account bootstrap and recovery on the host itself, and the
//! calibration of password hashing. There is never a default password: the first admin is
//! created here, with a generated password and a TOTP secret shown once on the console.

use lpm_core::model::{Role, User, Username};
use lpm_core::rbac::Scope;
use lpm_store::{Actor, Store, StoreError, StoreOptions};

use crate::auth::{
    Argon2Params, ExposeSecret, PasswordHasher, SecretString, calibrate, generate_password, totp,
};
use crate::cli::{AdminCommand, CliError};
use crate::config::Config;

/// The `system_config` key where `admin calibrate` records the Argon2id parameters.
pub(crate) const ARGON2_KEY: &str = crate::settings::ARGON2_KEY;

pub(crate) fn run(command: AdminCommand) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Invalid(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        match command {
            AdminCommand::Create {
                config,
                username,
                role,
            } => create(config.as_deref(), &username, role).await,
            AdminCommand::Allowlist(crate::cli::AllowlistCommand::Reset { config }) => {
                reset_allowlist(config.as_deref()).await
            }
            AdminCommand::Calibrate {
                config,
                target_ms,
                max_memory_mib,
            } => calibrate_argon2(config.as_deref(), target_ms, max_memory_mib).await,
        }
    })
}

async fn open_store(config: Option<&std::path::Path>) -> Result<Store, CliError> {
    let loaded =
        Config::load(config, std::env::vars()).map_err(|e| CliError::Invalid(e.to_string()))?;
    let url = loaded
        .config
        .database_url()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    Store::open(&url, &StoreOptions::default())
        .await
        .map_err(|e| CliError::Invalid(format!("database: {e}")))
}

/// An account created on the host's own console, with its secrets to show once.
pub(crate) struct ConsoleAccount {
    /// The account.
    pub(crate) user: User,
    /// Its generated password.
    pub(crate) password: SecretString,
    /// Its TOTP secret (base32), already confirmed.
    pub(crate) totp_secret: SecretString,
}

/// Creates an account with a generated password (hashed with the calibrated parameters, or the
/// SDD's starting point) and a TOTP secret confirmed at once: the console that shows the secret
/// is the trust anchor, so that is the enrolment. `on_conflict` names the error for an
/// existing username.
pub(crate) async fn create_console_account(
    store: &Store,
    username: &Username,
    role: Role,
    actor: &Actor,
    on_conflict: impl FnOnce() -> CliError,
) -> Result<ConsoleAccount, CliError> {
    let db = |e: StoreError| CliError::Invalid(format!("database: {e}"));
    let invalid = |e: crate::auth::AuthError| CliError::Invalid(e.to_string());
    let params: Argon2Params = store
        .config_get(ARGON2_KEY)
        .await
        .map_err(db)?
        .unwrap_or_default();
    let hasher = PasswordHasher::new(params).map_err(invalid)?;
    let password = generate_password().map_err(invalid)?;
    let hash = hasher.hash(&password).map_err(invalid)?;
    let totp_secret = totp::new_secret().map_err(invalid)?;
    let admin = Scope::system()
        .require_admin()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let now = chrono::Utc::now();
    let user = store
        .create_user(&admin, username, role, &[], actor, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => on_conflict(),
            other => db(other),
        })?;
    store
        .set_password_hash(user.id, &hash, actor, now)
        .await
        .map_err(db)?;
    store
        .begin_totp_enrolment(user.id, totp_secret.expose_secret(), actor, now)
        .await
        .map_err(db)?;
    store
        .confirm_mfa(user.id, "totp", actor, now)
        .await
        .map_err(db)?;
    Ok(ConsoleAccount {
        user,
        password,
        totp_secret,
    })
}

async fn create(
    config: Option<&std::path::Path>,
    username: &str,
    role: crate::cli::RoleArg,
) -> Result<(), CliError> {
    let username = Username::new(username).map_err(|e| CliError::Invalid(e.to_string()))?;
    let role = match role {
        crate::cli::RoleArg::Admin => Role::Admin,
        crate::cli::RoleArg::Operator => Role::Operator,
        crate::cli::RoleArg::Auditor => Role::Auditor,
    };
    let store = open_store(config).await?;
    let actor = Actor {
        user: None,
        name: "lpm-server admin".into(),
        ip: None,
    };
    let account = create_console_account(&store, &username, role, &actor, || {
        CliError::Invalid(format!("a user named {username} already exists"))
    })
    .await?;
    let (user, password, secret) = (account.user, account.password, account.totp_secret);
    let uri = totp::otpauth_uri(&secret, username.as_str())
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    store.close().await;

    println!("created {} {} (id {})", role.as_str(), username, user.id);
    println!("password: {}", password.expose_secret());
    println!("totp secret: {}", secret.expose_secret());
    println!("totp uri: {uri}");
    println!("These are shown once. Add the TOTP secret to an authenticator app, then sign in.");
    Ok(())
}

async fn reset_allowlist(config: Option<&std::path::Path>) -> Result<(), CliError> {
    let store = open_store(config).await?;
    let admin = Scope::system()
        .require_admin()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let actor = Actor {
        user: None,
        name: "lpm-server admin".into(),
        ip: None,
    };
    let before: Option<Vec<String>> = store
        .config_get(crate::http::allowlist::ALLOWLIST_KEY)
        .await
        .map_err(|e| CliError::Invalid(format!("database: {e}")))?;
    let empty: Vec<String> = Vec::new();
    store
        .config_set(
            &admin,
            crate::http::allowlist::ALLOWLIST_KEY,
            &empty,
            &actor,
            chrono::Utc::now(),
        )
        .await
        .map_err(|e| CliError::Invalid(format!("database: {e}")))?;
    store.close().await;
    println!(
        "cleared the IP allowlist (was: {}); every address may connect after the server restarts",
        before
            .filter(|b| !b.is_empty())
            .map(|b| b.join(", "))
            .unwrap_or_else(|| "empty".into())
    );
    Ok(())
}

async fn calibrate_argon2(
    config: Option<&std::path::Path>,
    target: crate::cli::TargetMs,
    max_memory_mib: u32,
) -> Result<(), CliError> {
    let store = open_store(config).await?;
    let db = |e: StoreError| CliError::Invalid(format!("database: {e}"));
    let before: Option<Argon2Params> = store.config_get(ARGON2_KEY).await.map_err(db)?;
    let range = std::time::Duration::from_millis(target.low)
        ..=std::time::Duration::from_millis(target.high);
    println!(
        "measuring Argon2id: one hash should take {}-{} ms, with at most {max_memory_mib} MiB",
        target.low, target.high
    );
    let start = before.unwrap_or_default();
    let result =
        tokio::task::spawn_blocking(move || calibrate(range, start, max_memory_mib * 1024))
            .await
            .map_err(|e| CliError::Invalid(format!("calibration stopped: {e}")))?
            .map_err(|e| CliError::Invalid(e.to_string()))?;
    let admin = Scope::system()
        .require_admin()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let actor = Actor {
        user: None,
        name: "lpm-server admin".into(),
        ip: None,
    };
    store
        .config_set(
            &admin,
            ARGON2_KEY,
            &result.params,
            &actor,
            chrono::Utc::now(),
        )
        .await
        .map_err(db)?;
    store.close().await;
    println!("measured: {} ms", result.measured.as_millis());
    println!("params: {}", result.params);
    if !result.in_target {
        println!(
            "note: the limits stopped the search outside the target; these are the closest \
             parameters found (raise --max-memory-mib or widen --target-ms)"
        );
    }
    println!(
        "recorded as {ARGON2_KEY} (was: {}); serve uses them from its next start, and each \
         password is re-hashed at its owner's next login",
        before.map_or_else(
            || "the default m=65536,t=3,p=1".to_owned(),
            |b| b.to_string()
        )
    );
    Ok(())
}
