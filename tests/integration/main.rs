//! The integration harness: builds fixture sites with the real `keikaku` binary into
//! temporary folders and asserts on the files it writes and on what it prints.

mod harness;

mod atomic;
mod bad_input;
mod bundled;
mod commonmark;
mod corpus;
mod editions;
mod fuzz;
mod golden;
mod guide;
mod hostile;
mod library;
mod operation;
mod pdf;
mod search;
mod serve;
mod shape;
mod site;
