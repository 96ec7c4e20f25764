export { createFame, normaliseAttributes } from './fame.js';
export type { Fame, FameDeps } from './fame.js';
export { fameCodec } from './codec.js';
export type { PublicKeyJson, MasterKeyJson, SecretKeyJson } from './codec.js';
export { FAME_HASH_DST, attributeHashInput, columnHashInput } from './hash-inputs.js';
export { FAME_SCHEME } from './types.js';
export type { FamePublicKey, FameMasterKey, FameSecretKey, FameCiphertext, FameEncapsulation } from './types.js';
