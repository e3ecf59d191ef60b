//! Long work the window can watch and stop: a statement with many
//! receipts, an export, rebuilding an export to restore it. The work runs
//! in its command; the window asks after it with `work_progress` (which
//! never waits on the data) and stops it with `stop_work`.

use std::sync::{Arc, Mutex, MutexGuard};

use careledger_core::progress::{Progress, WorkProgress};
use tauri::State;

/// The long work under way, if any.
#[derive(Default)]
pub struct LongWork(Mutex<Option<Arc<Progress>>>);

impl LongWork {
    fn slot(&self) -> MutexGuard<'_, Option<Arc<Progress>>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts watching work described as `what`; it is watched until the
    /// guard returned is dropped.
    pub fn start(&self, what: &str) -> WorkGuard<'_> {
        let progress = Arc::new(Progress::new(what));
        *self.slot() = Some(Arc::clone(&progress));
        WorkGuard {
            work: self,
            progress,
        }
    }
}

/// Work being watched; dropping it says the work is over.
pub struct WorkGuard<'a> {
    work: &'a LongWork,
    progress: Arc<Progress>,
}

impl WorkGuard<'_> {
    /// The work's progress, to hand to the thread doing it.
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }
}

impl Drop for WorkGuard<'_> {
    fn drop(&mut self) {
        let mut slot = self.work.slot();
        // Later work may have taken the place; leave that be.
        if slot
            .as_ref()
            .is_some_and(|current| Arc::ptr_eq(current, &self.progress))
        {
            *slot = None;
        }
    }
}

/// How far the long work under way has gone; `None` when there is none.
#[tauri::command]
pub fn work_progress(work: State<'_, LongWork>) -> Option<WorkProgress> {
    work.slot().as_ref().map(|progress| progress.now())
}

/// Asks the long work under way to stop; it stops at its next piece, with
/// nothing written.
#[tauri::command]
pub fn stop_work(work: State<'_, LongWork>) {
    if let Some(progress) = work.slot().as_ref() {
        progress.stop();
    }
}
