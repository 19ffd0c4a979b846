//! The pii detector (work in progress).
