import type { MasterKeyJson, PublicKeyJson, SecretKeyJson } from '../fame/codec.js';
import type { Envelope } from '../envelope/format.js';

/** Operations a worker runs; keys travel in their JSON forms, keys for signing as PEM. */
export interface WorkerOps {
  keygen(masterKey: MasterKeyJson, attributes: readonly string[]): SecretKeyJson;
  encrypt(publicKey: PublicKeyJson, policy: string): { key: Uint8Array; ciphertext: Uint8Array; policy: string };
  decrypt(secretKey: SecretKeyJson, ciphertext: Uint8Array, policy: string): Uint8Array | null;
  seal(input: { publicKey: PublicKeyJson; policy: string; plaintext: Uint8Array; eventUuid?: string; attributeUuid?: string; signingKeyPem?: string }): Envelope;
  open(input: { envelope: Envelope | string; secretKey: SecretKeyJson; verifyKeyPem?: string; eventUuid?: string; attributeUuid?: string }): {
    plaintext: Uint8Array; policy: string; eventUuid: string | null; attributeUuid: string | null; signer: string | null;
  };
}

export type OpName = keyof WorkerOps;

export interface Request {
  readonly id: number;
  readonly op: OpName;
  readonly args: readonly unknown[];
}

export type Response =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { name: string; code: string | undefined; message: string; details: Record<string, unknown> | undefined } };
