//! The responses the council holds, below every feature that writes or reads them: storing a
//! response and its answers, its reference, what erased responses leave behind (so they are not
//! brought back), the running totals every answer updates, and the filters that say which
//! responses a figure counts.

pub mod erased;
pub mod filters;
pub mod reference;
pub mod store;
pub mod tally;
