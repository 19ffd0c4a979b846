//! The exfiltration detector (work in progress).
