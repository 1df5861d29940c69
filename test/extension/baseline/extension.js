/* global module */
// Does nothing: its activation time is what the extension host itself costs.
module.exports = { activate: () => ({}), deactivate: () => {} };
