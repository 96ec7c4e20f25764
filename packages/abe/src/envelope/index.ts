export { createEnvelopes, ed25519PublicKeyFromRaw } from './envelope.js';
export type { SealInput, OpenInput, Opened, Encapsulation, DecapsulationCache } from './envelope.js';
export { ENVELOPE_VERSION, ENVELOPE_ALG, parseEnvelope, serializeEnvelope, associatedData, signedBytes, lengthPrefixed, normaliseUuid } from './format.js';
export type { Envelope, EnvelopeSignature } from './format.js';
