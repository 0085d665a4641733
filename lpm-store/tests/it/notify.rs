//! Notifications: delivered on commit only, filtered by channel, and surviving a dropped
//! PostgreSQL connection.

use std::time::Duration as StdDuration;

use lpm_core::job::JobKind;
use lpm_core::ports::{Channel, Notice, Received};
use lpm_store::jobs::JobEvent;
use lpm_store::testing::TempPostgres;
use lpm_store::{Store, StoreOptions};

use crate::harness::{TestStore, actor, admin_scope, hosts, t0};
use crate::jobs::immediate;

async fn next_notice(sub: &mut lpm_store::notify::StoreSubscription) -> Notice {
    loop {
        match tokio::time::timeout(StdDuration::from_secs(10), sub.recv())
            .await
            .expect("a notice within 10 s")
        {
            Some(Received::Notice(n)) => return n,
            Some(Received::Resync) => continue,
            None => panic!("subscription closed"),
        }
    }
}

async fn changes_notify_their_channels(t: TestStore) {
    let s = &t.store;
    let mut hosts_sub = s.subscribe(&[Channel::HostRegistered]).await.unwrap();
    let mut jobs_sub = s
        .subscribe(&[Channel::JobEnqueued, Channel::JobEvents])
        .await
        .unwrap();
    let ids = hosts(s, 1, &[]).await;
    assert_eq!(
        next_notice(&mut hosts_sub).await,
        Notice {
            channel: Channel::HostRegistered,
            payload: ids[0].to_string()
        }
    );

    let job = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let mut got = [
        next_notice(&mut jobs_sub).await,
        next_notice(&mut jobs_sub).await,
    ];
    got.sort_by_key(|n| n.channel.as_str());
    assert_eq!(
        got[0],
        Notice {
            channel: Channel::JobEnqueued,
            payload: job.to_string()
        }
    );
    let event: JobEvent = serde_json::from_str(&got[1].payload).unwrap();
    assert_eq!((event.job_id, event.state.as_str()), (job.get(), "queued"));

    s.notify(&Notice {
        channel: Channel::RefreshRequested,
        payload: "7".into(),
    })
    .await
    .unwrap();
    s.notify(&Notice {
        channel: Channel::JobEnqueued,
        payload: "8".into(),
    })
    .await
    .unwrap();
    assert_eq!(
        next_notice(&mut jobs_sub).await.payload,
        "8",
        "other channels are filtered out"
    );
}

async fn a_failed_change_notifies_nobody(t: TestStore) {
    let s = &t.store;
    let mut sub = s.subscribe(&[Channel::JobEnqueued]).await.unwrap();
    let missing = lpm_core::ids::HostId::new(12345).unwrap();
    assert!(
        s.create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &[missing]),
            &actor(),
            t0()
        )
        .await
        .is_err()
    );
    s.notify(&Notice {
        channel: Channel::JobEnqueued,
        payload: "marker".into(),
    })
    .await
    .unwrap();
    assert_eq!(
        next_notice(&mut sub).await.payload,
        "marker",
        "the rolled-back job sent nothing"
    );
}

crate::on_both_backends!(
    changes_notify_their_channels,
    a_failed_change_notifies_nobody
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_listener_reconnects_and_listens_again_after_its_connection_is_cut() {
    let pg = TempPostgres::shared();
    let url = pg.fresh_database().await.unwrap();
    let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
    let mut sub = store.subscribe(&[Channel::JobEnqueued]).await.unwrap();
    store
        .notify(&Notice {
            channel: Channel::JobEnqueued,
            payload: "before".into(),
        })
        .await
        .unwrap();
    assert_eq!(next_notice(&mut sub).await.payload, "before");

    let database = url
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(pg.terminate_connections(&database).await.unwrap() >= 1);

    // Keep sending until the re-established listener hears one: proof that it LISTENs again.
    let sender = tokio::spawn({
        let store = store.clone();
        async move {
            for i in 0..100 {
                let _ = store
                    .notify(&Notice {
                        channel: Channel::JobEnqueued,
                        payload: format!("after-{i}"),
                    })
                    .await;
                tokio::time::sleep(StdDuration::from_millis(100)).await;
            }
        }
    });
    let mut resynced = false;
    let heard = loop {
        match tokio::time::timeout(StdDuration::from_secs(15), sub.recv())
            .await
            .expect("recovers within 15 s")
        {
            Some(Received::Resync) => resynced = true,
            Some(Received::Notice(n)) => break n,
            None => panic!("closed"),
        }
    };
    sender.abort();
    assert!(resynced, "the gap was reported");
    assert!(heard.payload.starts_with("after-"), "{heard:?}");
}
