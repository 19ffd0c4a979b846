//! The injection detector (work in progress).
