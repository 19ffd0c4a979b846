//! The rugpull detector (work in progress).
