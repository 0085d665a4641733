//! API tokens for automation: stored as hashes, with a role, an optional group scope, an
//! optional expiry, and the addresses they were used from.
//!
//! The store never sees a token, only its hash (the caller hashes). Creation, revocation and
//! the first use from each address are audited in the same transaction as the change.
//! Deleting the owner deletes their tokens (foreign key cascade); whether a token still works
//! for its owner as they are now is decided at each use, by `Scope::for_api_token`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, UserId};
use lpm_core::model::Role;
use serde::Serialize;

use crate::audit::append;
use crate::fleet::{foreign_key, like_pattern};
use crate::{Actor, Direction, Page, PageRequest, Store, StoreError, ts, with_db, with_tx};

/// A stored API token (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Its id.
    pub id: i64,
    /// The user it acts for.
    pub owner: UserId,
    /// The owner's login name.
    pub owner_name: String,
    /// What it is for, unique per owner.
    pub name: String,
    /// The role it acts with (never more than its owner may grant).
    pub role: Role,
    /// The groups it is limited to (operator tokens), or `None` to follow the owner's.
    pub groups: Option<Vec<GroupId>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address it was last used from.
    pub last_used_ip: Option<String>,
}

impl ApiToken {
    /// Whether it has expired at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A token to create.
#[derive(Debug, Clone, Copy)]
pub struct NewApiToken<'a> {
    /// The user it acts for.
    pub owner: UserId,
    /// What it is for.
    pub name: &'a str,
    /// The role it acts with.
    pub role: Role,
    /// The groups it is limited to, or `None` to follow the owner's.
    pub groups: Option<&'a [GroupId]>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// SHA-256 of the secret; the secret itself never reaches the store.
    pub token_hash: &'a str,
}

/// Filters and order of the token list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiTokenQuery {
    /// Only this user's tokens.
    pub owner: Option<UserId>,
    /// Only tokens whose name contains this text.
    pub search: Option<String>,
    /// Sort order.
    pub sort: ApiTokenSort,
    /// Sort direction.
    pub direction: Direction,
}

/// What the token list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiTokenSort {
    /// Name.
    Name,
    /// Creation time.
    #[default]
    Created,
    /// Last use.
    LastUsed,
    /// Expiry.
    Expires,
}

impl ApiTokenSort {
    fn column(self) -> &'static str {
        match self {
            ApiTokenSort::Name => "t.name",
            ApiTokenSort::Created => "t.created_at",
            ApiTokenSort::LastUsed => "t.last_used_at",
            ApiTokenSort::Expires => "t.expires_at",
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    username: String,
    name: String,
    role: String,
    group_scoped: bool,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    last_used_ip: Option<String>,
}

impl TokenRow {
    fn into_token(self, groups: Vec<GroupId>) -> Result<ApiToken, StoreError> {
        Ok(ApiToken {
            id: self.id,
            owner: UserId::new(self.user_id)?,
            owner_name: self.username,
            name: self.name,
            role: self.role.parse()?,
            groups: self.group_scoped.then_some(groups),
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            last_used_ip: self.last_used_ip,
        })
    }
}

const TOKEN_COLUMNS: &str = "t.id, t.user_id, u.username, t.name, t.role, t.group_scoped, t.created_at, \
     t.expires_at, t.last_used_at, t.last_used_ip FROM api_tokens t JOIN users u ON u.id = t.user_id";

impl Store {
    /// Stores a new token (its hash) for `new.owner`. Audited as `api_token.created`. A name
    /// the owner already uses is a `Conflict`; an unknown group is `NotFound`.
    pub async fn create_api_token(
        &self,
        new: NewApiToken<'_>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<ApiToken, StoreError> {
        let now = ts(now);
        let expires_at = new.expires_at.map(ts);
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (user_id, name, role, token_hash, group_scoped, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(new.owner.get()).bind(new.name).bind(new.role.as_str()).bind(new.token_hash)
            .bind(new.groups.is_some()).bind(now).bind(expires_at)
            .fetch_one(&mut **t).await.map_err(|e| foreign_key(e, "API token with this name"))?;
            for group in new.groups.unwrap_or_default() {
                sqlx::query("INSERT INTO api_token_groups (token_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(group.get())
                    .execute(&mut **t).await.map_err(|e| foreign_key(e, "group"))?;
            }
            id
        });
        let entry = actor
            .entry("api_token.created", "api_token", id)
            .details(serde_json::json!({
                "name": new.name,
                "owner": new.owner.get(),
                "role": new.role.as_str(),
                "groups": new.groups.map(|g| g.iter().map(|g| g.get()).collect::<Vec<_>>()),
                "expires_at": expires_at,
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        self.get_api_token(id).await
    }

    /// One token by id.
    pub async fn get_api_token(&self, id: i64) -> Result<ApiToken, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} WHERE t.id = $1");
        let row: Option<TokenRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(db).await?
        });
        let row = row.ok_or(StoreError::NotFound { what: "API token" })?;
        let mut groups = self.groups_of_tokens(&[row.id]).await?;
        row.into_token(groups.remove(&id).unwrap_or_default())
    }

    /// The token with this hash, expired or not; `None` if there is none (never issued, or
    /// revoked).
    pub async fn api_token_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<ApiToken>, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} WHERE t.token_hash = $1");
        let row: Option<TokenRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(db).await?
        });
        let Some(row) = row else {
            return Ok(None);
        };
        let id = row.id;
        let mut groups = if row.group_scoped {
            self.groups_of_tokens(&[id]).await?
        } else {
            BTreeMap::new()
        };
        row.into_token(groups.remove(&id).unwrap_or_default())
            .map(Some)
    }

    /// Records a use of a token from `ip`: its last use, and, the first time the token is
    /// seen from that address, an `api_token.used_from_new_address` audit row. Returns
    /// whether the address was new.
    pub async fn record_api_token_use(
        &self,
        token: &ApiToken,
        ip: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let new_address = with_tx!(tx, t => {
            let added = sqlx::query(
                "INSERT INTO api_token_addresses (token_id, ip, first_seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(token.id).bind(ip).bind(now).execute(&mut **t).await?.rows_affected();
            sqlx::query("UPDATE api_tokens SET last_used_at = $2, last_used_ip = $3 WHERE id = $1")
                .bind(token.id).bind(now).bind(ip).execute(&mut **t).await?;
            added == 1
        });
        if new_address {
            let entry = actor
                .entry("api_token.used_from_new_address", "api_token", token.id)
                .details(serde_json::json!({ "name": token.name, "ip": ip }));
            append(&mut tx, &entry, now).await?;
        }
        tx.commit().await?;
        Ok(new_address)
    }

    /// A page of tokens in the query's order.
    pub async fn list_api_tokens(
        &self,
        query: &ApiTokenQuery,
        page: PageRequest,
    ) -> Result<Page<ApiToken>, StoreError> {
        const FILTER: &str =
            "($1 IS NULL OR t.user_id = $1) AND ($2 IS NULL OR LOWER(t.name) LIKE $2)";
        let owner = query.owner.map(|u| u.get());
        let search = query.search.as_deref().map(like_pattern);
        let dir = query.direction.sql();
        let nulls = match query.direction {
            Direction::Ascending => "NULLS LAST",
            Direction::Descending => "NULLS FIRST",
        };
        let list_sql = format!(
            "SELECT {TOKEN_COLUMNS} WHERE {FILTER} ORDER BY {} {dir} {nulls}, t.id {dir} LIMIT $3 OFFSET $4",
            query.sort.column(),
        );
        let (total, rows): (i64, Vec<TokenRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM api_tokens t WHERE {FILTER}"
            )))
            .bind(owner).bind(&search).fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(owner).bind(&search).bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, rows)
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut groups = self.groups_of_tokens(&ids).await?;
        let items = rows
            .into_iter()
            .map(|r| {
                let g = groups.remove(&r.id).unwrap_or_default();
                r.into_token(g)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// Revokes a token at once by deleting it; with `owner`, only if it is theirs (else
    /// `NotFound`, as for a token that does not exist). Audited as `api_token.revoked`.
    pub async fn revoke_api_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<ApiToken, StoreError> {
        let token = self.get_api_token(id).await?;
        if owner.is_some_and(|o| o != token.owner) {
            return Err(StoreError::NotFound { what: "API token" });
        }
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            sqlx::query("DELETE FROM api_tokens WHERE id = $1").bind(id).execute(&mut **t).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "API token" });
        }
        let entry = actor
            .entry("api_token.revoked", "api_token", id)
            .details(serde_json::json!({
                "name": token.name,
                "owner": token.owner.get(),
                "role": token.role.as_str(),
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(token)
    }

    async fn groups_of_tokens(
        &self,
        ids: &[i64],
    ) -> Result<BTreeMap<i64, Vec<GroupId>>, StoreError> {
        self.group_memberships("api_token_groups", "token_id", ids)
            .await
    }
}
