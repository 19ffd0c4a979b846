//! The secrets detector (work in progress).
