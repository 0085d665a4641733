//! Wake-ups between processes and within one: PostgreSQL `LISTEN/NOTIFY`, or an in-process
//! broadcast channel on SQLite, behind the one [`Notifier`] port.
//!
//! Notices are hints, not a log: a subscriber that gets [`Received::Resync`] (its connection
//! dropped and came back, or it fell behind) re-reads what it cares about from the store.

use std::collections::HashSet;
use std::time::Duration as StdDuration;

use lpm_core::ports::{Channel, Notice, Notifier, QueueError, Received, Subscription};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::broadcast;

use crate::{Db, Store, StoreError};

/// A live subscription to some channels.
#[derive(Debug)]
pub struct StoreSubscription {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Local {
        rx: broadcast::Receiver<Notice>,
        channels: HashSet<Channel>,
    },
    Postgres {
        pool: PgPool,
        listener: Option<PgListener>,
        channels: Vec<Channel>,
    },
}

impl Store {
    /// Sends a notice on its own (outside any change). On PostgreSQL every process listening
    /// on the channel receives it; on SQLite, every subscriber in this process.
    pub async fn notify(&self, notice: &Notice) -> Result<(), StoreError> {
        match &self.db {
            Db::Postgres(pool) => crate::notify_pg(pool, std::slice::from_ref(notice)).await?,
            Db::Sqlite(_) => {
                let _ = self.bus.send(notice.clone());
            }
        }
        Ok(())
    }

    /// Subscribes to channels. On PostgreSQL this holds one pooled connection that `LISTEN`s;
    /// if it drops, the subscription reconnects, listens again and reports a resync.
    pub async fn subscribe(&self, channels: &[Channel]) -> Result<StoreSubscription, StoreError> {
        let inner = match &self.db {
            Db::Sqlite(_) => Inner::Local {
                rx: self.bus.subscribe(),
                channels: channels.iter().copied().collect(),
            },
            Db::Postgres(pool) => {
                let listener = listen(pool, channels).await?;
                Inner::Postgres {
                    pool: pool.clone(),
                    listener: Some(listener),
                    channels: channels.to_vec(),
                }
            }
        };
        Ok(StoreSubscription { inner })
    }
}

async fn listen(pool: &PgPool, channels: &[Channel]) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener
        .listen_all(channels.iter().map(|c| c.as_str()))
        .await?;
    Ok(listener)
}

impl StoreSubscription {
    /// The next notice, or a resync after a gap; `None` once the store is closed.
    pub async fn recv(&mut self) -> Option<Received> {
        match &mut self.inner {
            Inner::Local { rx, channels } => loop {
                match rx.recv().await {
                    Ok(notice) if channels.contains(&notice.channel) => {
                        return Some(Received::Notice(notice));
                    }
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => return Some(Received::Resync),
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            },
            Inner::Postgres {
                pool,
                listener,
                channels,
            } => {
                let mut backoff = StdDuration::from_millis(100);
                loop {
                    if pool.is_closed() {
                        return None;
                    }
                    let Some(active) = listener.as_mut() else {
                        // Reconnect and LISTEN again; whatever was sent meanwhile is lost.
                        match listen(pool, channels).await {
                            Ok(l) => {
                                *listener = Some(l);
                                return Some(Received::Resync);
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "notification listener cannot reconnect; retrying");
                                tokio::time::sleep(backoff).await;
                                backoff = (backoff * 2).min(StdDuration::from_secs(5));
                                continue;
                            }
                        }
                    };
                    match active.try_recv().await {
                        Ok(Some(n)) => match n.channel().parse::<Channel>() {
                            Ok(channel) => {
                                return Some(Received::Notice(Notice {
                                    channel,
                                    payload: n.payload().to_owned(),
                                }));
                            }
                            Err(_) => continue,
                        },
                        // The connection dropped; sqlx has reconnected and re-LISTENed.
                        Ok(None) => return Some(Received::Resync),
                        Err(sqlx::Error::PoolClosed) => return None,
                        Err(e) => {
                            tracing::warn!(error = %e, "notification listener lost its connection");
                            *listener = None;
                        }
                    }
                }
            }
        }
    }
}

impl Subscription for StoreSubscription {
    async fn recv(&mut self) -> Option<Received> {
        StoreSubscription::recv(self).await
    }
}

impl Notifier for Store {
    type Subscription = StoreSubscription;

    async fn notify(&self, notice: Notice) -> Result<(), QueueError> {
        Ok(Store::notify(self, &notice).await?)
    }

    async fn subscribe(&self, channels: &[Channel]) -> Result<StoreSubscription, QueueError> {
        Ok(Store::subscribe(self, channels).await?)
    }
}
