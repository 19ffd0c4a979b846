//! The poisoning detector (work in progress).
