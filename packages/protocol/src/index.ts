/** The protocol's pure rules, shared by the server, the web app, the SDK and anyone's own verifier. */
export * from './beacon.js';
export * from './draw-proof.js';
export * from './fair-draw.js';
export * from './prizes.js';
export * from './signature.js';
export * from './track-id.js';
