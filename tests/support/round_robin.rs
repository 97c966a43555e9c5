//! A load balancer for tests: hands each new connection to the next of its backends in turn.
//! A client that opens a connection per request (no keep-alive) alternates between them.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

pub struct RoundRobin {
    pub address: SocketAddr,
    stopped: Arc<AtomicBool>,
}

impl RoundRobin {
    pub fn start(backends: Vec<SocketAddr>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the balancer");
        let address = listener.local_addr().expect("its address");
        let stopped = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stopped);
        thread::spawn(move || {
            let next = AtomicUsize::new(0);
            for client in listener.incoming() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(client) = client else { continue };
                let backend = backends[next.fetch_add(1, Ordering::Relaxed) % backends.len()];
                thread::spawn(move || relay(client, backend));
            }
        });
        Self { address, stopped }
    }
}

impl Drop for RoundRobin {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.address);
    }
}

fn relay(client: TcpStream, backend: SocketAddr) {
    let Ok(server) = TcpStream::connect(backend) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let (Ok(client_reader), Ok(server_writer)) = (client.try_clone(), server.try_clone()) else { return };
    let upstream = thread::spawn(move || copy(client_reader, server_writer));
    copy(server, client);
    let _ = upstream.join();
}

/// Copies until either side closes, then closes the writing side so the other end sees it.
fn copy(mut from: TcpStream, mut to: TcpStream) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buffer[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}
