//! Long work's progress (a statement with hundreds of receipts, an export,
//! a restore), shared between the thread doing it and the window asking
//! after it, and the person's wish to stop it. Work that takes one checks
//! [`Progress::step`] between pieces and stops with [`Error::Cancelled`]
//! before it writes anything, so stopping never leaves half a file.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// How far long work has gone, for a progress bar.
#[derive(Debug, Default)]
pub struct Progress {
    what: Mutex<String>,
    done: AtomicU64,
    total: AtomicU64,
    stopping: AtomicBool,
}

/// Long work as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkProgress {
    /// What is being done, in words: "Drawing the receipts".
    pub what: String,
    /// Pieces done.
    pub done: u64,
    /// Pieces in all; 0 while not yet known.
    pub total: u64,
    /// Whether the person asked to stop and it is stopping.
    pub stopping: bool,
}

impl Progress {
    /// Progress of work with nothing done yet.
    pub fn new(what: &str) -> Progress {
        let progress = Progress::default();
        progress.stage(what, 0);
        progress
    }

    /// Starts a stage of the work: `what` it is, and how many pieces.
    pub fn stage(&self, what: &str, total: u64) {
        *self.what.lock().unwrap_or_else(|p| p.into_inner()) = what.to_owned();
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// One more piece done; stops the work (with [`Error::Cancelled`]) if
    /// the person asked.
    pub fn step(&self) -> Result<()> {
        self.check()?;
        self.done.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Stops the work (with [`Error::Cancelled`]) if the person asked.
    pub fn check(&self) -> Result<()> {
        if self.stopping.load(Ordering::Relaxed) {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Asks the work to stop at its next piece.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    /// How far it has gone.
    pub fn now(&self) -> WorkProgress {
        WorkProgress {
            what: self.what.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            stopping: self.stopping.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pieces_and_stops_when_asked() {
        let progress = Progress::new("Drawing the receipts");
        progress.stage("Drawing the receipts", 3);
        progress.step().unwrap();
        progress.step().unwrap();
        assert_eq!(
            progress.now(),
            WorkProgress {
                what: "Drawing the receipts".into(),
                done: 2,
                total: 3,
                stopping: false
            }
        );
        progress.stop();
        assert!(matches!(progress.step(), Err(Error::Cancelled)));
        assert_eq!(progress.now().done, 2, "a refused step is not counted");
        assert!(progress.now().stopping);
    }
}
