//! [`Tarpit`]: a listener that accepts connections and never sends a byte, for discovery
//! timeouts (a host whose firewall lets the SYN through and whose service hangs).

use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio_util::sync::{CancellationToken, DropGuard};

/// A running tarpit. Connections it accepted are held open, silent, until it is dropped.
#[derive(Debug)]
pub struct Tarpit {
    addr: SocketAddr,
    _stop: DropGuard,
}

impl Tarpit {
    /// Listens on `addr` (port 0 picks one).
    pub async fn bind(addr: SocketAddr) -> io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let stop = CancellationToken::new();
        let token = stop.clone();
        tokio::spawn(async move {
            let mut held = Vec::new();
            loop {
                tokio::select! {
                    () = token.cancelled() => return,
                    accepted = listener.accept() => match accepted {
                        Ok((socket, _)) => held.push(socket),
                        Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
                    },
                }
            }
        });
        Ok(Self {
            addr,
            _stop: stop.drop_guard(),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}
