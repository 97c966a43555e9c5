//! The connection pool. r2d2 can check every connection with a query before handing it out, which
//! costs a round trip per request; instead, a connection that fails in a way that leaves it
//! unusable (the server went away) is marked lost, and the pool drops it when it comes back.

use diesel::r2d2::{ConnectionManager, ManageConnection, R2D2Connection};

pub type Pool<C> = diesel::r2d2::Pool<Manager<C>>;

/// Opens Diesel connections of type `C` for the pool.
pub struct Manager<C: R2D2Connection + 'static> {
    inner: ConnectionManager<C>,
}

impl<C: R2D2Connection + 'static> Manager<C> {
    pub fn new(url: impl Into<String>) -> Self {
        Self { inner: ConnectionManager::new(url) }
    }
}

/// A pooled connection, and whether it was lost.
pub struct Tracked<C> {
    connection: C,
    lost: bool,
}

impl<C> Tracked<C> {
    pub fn connection(&mut self) -> &mut C {
        &mut self.connection
    }

    pub(crate) fn mark_lost(&mut self) {
        self.lost = true;
    }
}

impl<C: R2D2Connection + 'static> ManageConnection for Manager<C> {
    type Connection = Tracked<C>;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Tracked<C>, Self::Error> {
        Ok(Tracked { connection: self.inner.connect()?, lost: false })
    }

    fn is_valid(&self, tracked: &mut Tracked<C>) -> Result<(), Self::Error> {
        self.inner.is_valid(&mut tracked.connection)
    }

    fn has_broken(&self, tracked: &mut Tracked<C>) -> bool {
        tracked.lost || self.inner.has_broken(&mut tracked.connection)
    }
}
