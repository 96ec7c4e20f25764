import { createRequire } from 'node:module';
import mcl from 'mcl-wasm';

/** The parts of mcl's Emscripten module we call directly (not wrapped by mcl-wasm's JS API). */
interface RawModule {
  readonly HEAP8: Int8Array;
  readonly HEAP32: Int32Array;
  stackSave(): number;
  stackRestore(p: number): void;
  stackAlloc(n: number): number;
  _mclBnG1_hashAndMapToWithDst(out: number, msg: number, msgLen: number, dst: number, dstLen: number): number;
  _mclBn_millerLoopVec(out: number, g1s: number, g2s: number, n: number): void;
}

/** mcl-wasm's internal helpers on its value classes (present in 1.x, not in its typings). */
interface Wrapped {
  readonly a_: Uint32Array;
  _salloc(): number;
  _save(pos: number): void;
}

const encoder = new TextEncoder();

function rawModule(): RawModule {
  // mcl-wasm exposes the Emscripten module only from its internal file; the require
  // cache makes this the same instance the public API initialised.
  const mod = (createRequire(import.meta.url)('mcl-wasm/dist/mcl.js') as { mod?: RawModule }).mod;
  if (mod === undefined || typeof mod._mclBnG1_hashAndMapToWithDst !== 'function' || typeof mod._mclBn_millerLoopVec !== 'function') {
    throw new Error('mcl-wasm: this version does not expose mclBnG1_hashAndMapToWithDst / mclBn_millerLoopVec');
  }
  return mod;
}

/**
 * RFC 9380 hash_to_curve to G1 with a per-call domain separation tag. mcl-wasm's
 * public `hashAndMapToG1` uses a process-wide DST; calling the C function with an
 * explicit DST keeps us from changing global state other users of mcl rely on.
 */
export function mclHashToG1(): (message: Uint8Array, dst: string) => mcl.G1 {
  const mod = rawModule();
  return (message, dst) => {
    const out = new mcl.G1();
    const wrapped = out as unknown as Wrapped;
    const d = encoder.encode(dst);
    const stack = mod.stackSave();
    try {
      const outPos = wrapped._salloc();
      const msgPos = mod.stackAlloc(message.length + 1);
      mod.HEAP8.set(message, msgPos);
      const dstPos = mod.stackAlloc(d.length + 1);
      mod.HEAP8.set(d, dstPos);
      const rc = mod._mclBnG1_hashAndMapToWithDst(outPos, msgPos, message.length, dstPos, d.length);
      if (rc !== 0) throw new Error(`mcl: hash to G1 failed (${rc})`);
      wrapped._save(outPos);
    } finally {
      mod.stackRestore(stack);
    }
    return out;
  };
}

/**
 * Π millerLoop(P_i, Q_i) in one call (mclBn_millerLoopVec shares the squarings across
 * the pairs); mcl-wasm's JS API only wraps the single loop.
 */
export function mclMillerLoopVec(): (g1s: readonly mcl.G1[], g2s: readonly mcl.G2[]) => mcl.GT {
  const mod = rawModule();
  const copy = (values: readonly Wrapped[]): number => {
    const words = values[0]?.a_.length ?? 0;
    const pos = mod.stackAlloc(values.length * words * 4);
    values.forEach((v, i) => mod.HEAP32.set(v.a_, pos / 4 + i * words));
    return pos;
  };
  return (g1s, g2s) => {
    const out = new mcl.GT();
    const wrapped = out as unknown as Wrapped;
    const stack = mod.stackSave();
    try {
      const xPos = copy(g1s as unknown as Wrapped[]);
      const yPos = copy(g2s as unknown as Wrapped[]);
      const outPos = wrapped._salloc();
      mod._mclBn_millerLoopVec(outPos, xPos, yPos, g1s.length);
      wrapped._save(outPos);
    } finally {
      mod.stackRestore(stack);
    }
    return out;
  };
}
