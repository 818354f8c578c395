/**
 * args, environ, clocks, random, process, scheduling, poll_oneoff and the socket stubs.
 * @module
 */
import { CLOCK, E, EVENT } from "./constants.ts";
import type { WasiContext } from "./context.ts";

/** Thrown by proc_exit to unwind the guest with its exit code. */
export class ExitSignal extends Error {
  /** The code passed to proc_exit. */
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

function now(clock: number): bigint | null {
  switch (clock) {
    case CLOCK.REALTIME:
      return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
    case CLOCK.MONOTONIC:
    case CLOCK.PROCESS_CPUTIME:
    case CLOCK.THREAD_CPUTIME:
      return BigInt(Math.round(performance.now() * 1e6));
    default:
      return null;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the guest's thread for `ns` nanoseconds. */
function sleepNs(ns: bigint): void {
  if (ns <= 0n) return;
  Atomics.wait(sleeper, 0, 0, Number(ns) / 1e6);
}

function writeList(ctx: WasiContext, list: Uint8Array[], ptrs: number, buf: number): number {
  let at = buf;
  list.forEach((item, i) => {
    ctx.memory.u32(ptrs + i * 4, at);
    const dst = ctx.memory.bytes(at, item.length + 1);
    dst.set(item);
    dst[item.length] = 0;
    at += item.length + 1;
  });
  return E.SUCCESS;
}

function sizes(ctx: WasiContext, list: Uint8Array[], count: number, size: number): number {
  ctx.memory.u32(count, list.length);
  ctx.memory.u32(size, list.reduce((n, s) => n + s.length + 1, 0));
  return E.SUCCESS;
}

interface PendingEvent {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  /** eventrwflags: FD_READWRITE_HANGUP when the stream's writer is gone (stdin at EOF). */
  flags?: number;
}

/** eventrwflags::fd_readwrite_hangup. */
const HANGUP = 1;

/** The miscellaneous family. */
export function miscCalls(ctx: WasiContext) {
  const mem = ctx.memory;
  const notSocket = (fd: number) => (ctx.fds.peek(fd) ? E.NOTSOCK : E.BADF);
  return {
    args_get: (argv: number, buf: number) => writeList(ctx, ctx.args, argv, buf),
    args_sizes_get: (count: number, size: number) => sizes(ctx, ctx.args, count, size),
    environ_get: (env: number, buf: number) => writeList(ctx, ctx.env, env, buf),
    environ_sizes_get: (count: number, size: number) => sizes(ctx, ctx.env, count, size),

    clock_res_get(id: number, ptr: number): number {
      if (now(id) === null) return E.INVAL;
      mem.u64(ptr, 1000n);
      return E.SUCCESS;
    },

    clock_time_get(id: number, _precision: bigint, ptr: number): number {
      const t = now(id);
      if (t === null) return E.INVAL;
      mem.u64(ptr, t);
      return E.SUCCESS;
    },

    random_get(buf: number, len: number): number {
      const view = mem.bytes(buf, len);
      for (let i = 0; i < len; i += 65536) {
        crypto.getRandomValues(view.subarray(i, Math.min(len, i + 65536)));
      }
      return E.SUCCESS;
    },

    proc_exit(code: number): never {
      throw new ExitSignal(code);
    },

    proc_raise: (_sig: number) => E.NOSYS,
    sched_yield: () => E.SUCCESS,

    poll_oneoff(inPtr: number, outPtr: number, nsubs: number, nevents: number): number {
      mem.check(nevents, 4);
      if (nsubs === 0) return E.INVAL;
      mem.bytes(inPtr, nsubs * 48);
      mem.bytes(outPtr, nsubs * 32);
      const ready: PendingEvent[] = [];
      const clocks: { userdata: bigint; wait: bigint }[] = [];
      for (let i = 0; i < nsubs; i++) {
        const s = inPtr + i * 48;
        const userdata = mem.getU64(s);
        const type = mem.getU8(s + 8);
        if (type === EVENT.CLOCK) {
          const id = mem.getU32(s + 16);
          const timeout = mem.getU64(s + 24);
          const abs = (mem.getU16(s + 40) & 1) !== 0;
          // Like wasmtime: a CPU-time clock cannot be waited on, and the whole call fails.
          if (id === CLOCK.PROCESS_CPUTIME || id === CLOCK.THREAD_CPUTIME) return E.INVAL;
          const t = now(id);
          if (t === null) {
            ready.push({ userdata, error: E.INVAL, type, nbytes: 0n });
            continue;
          }
          clocks.push({ userdata, wait: abs ? timeout - t : timeout });
        } else if (type === EVENT.FD_READ || type === EVENT.FD_WRITE) {
          const fd = mem.getU32(s + 16);
          const e = ctx.fds.peek(fd);
          let nbytes = 0n;
          let error: number = E.SUCCESS;
          let flags = 0;
          if (!e) error = E.BADF;
          else if (type === EVENT.FD_READ && e.kind === "stdin") {
            // stdin is a closed pipe once drained: Linux reports POLLIN|POLLHUP
            nbytes = BigInt(e.data.length - e.pos);
            if (nbytes === 0n) flags = HANGUP;
          } else if (type === EVENT.FD_READ && e.kind === "file") {
            const pos = e.file.seekSync(0, Deno.SeekMode.Current);
            nbytes = BigInt(Math.max(0, e.file.statSync().size - pos));
          } else if (e.kind === "dir") error = E.BADF;
          ready.push({ userdata, error, type, nbytes, flags });
        } else {
          return E.INVAL;
        }
      }
      if (ready.length === 0 && clocks.length > 0) {
        const min = clocks.reduce((m, c) => (c.wait < m ? c.wait : m), clocks[0].wait);
        sleepNs(min);
        for (const c of clocks) {
          if (c.wait <= min) {
            ready.push({ userdata: c.userdata, error: 0, type: EVENT.CLOCK, nbytes: 0n });
          }
        }
      } else {
        for (const c of clocks) {
          if (c.wait <= 0n) {
            ready.push({ userdata: c.userdata, error: 0, type: EVENT.CLOCK, nbytes: 0n });
          }
        }
      }
      ready.forEach((ev, i) => {
        const p = outPtr + i * 32;
        mem.bytes(p, 32).fill(0);
        mem.u64(p, ev.userdata);
        mem.u16(p + 8, ev.error);
        mem.u8At(p + 10, ev.type);
        mem.u64(p + 16, ev.nbytes);
        mem.u16(p + 24, ev.flags ?? 0);
      });
      mem.u32(nevents, ready.length);
      return E.SUCCESS;
    },

    sock_accept: (fd: number, _flags: number, _out: number) => notSocket(fd),
    sock_recv: (fd: number, _a: number, _b: number, _c: number, _d: number, _e: number) =>
      notSocket(fd),
    sock_send: (fd: number, _a: number, _b: number, _c: number, _d: number) => notSocket(fd),
    sock_shutdown: (fd: number, _how: number) => notSocket(fd),
  };
}
