// A template for a wasp guest in AssemblyScript (TypeScript-like, compiled to wasm).
// The WASI shim maps `console` and `process` onto wasi_snapshot_preview1, so the module is an
// ordinary WASI command:  wasp run build/task.wasm --env TASK_ID=abc123 -- hello world

const task = process.env.has("TASK_ID") ? process.env.get("TASK_ID") : "(none)";
const args = process.argv;
console.log(`task ${task}, ${args.length - 1} argument(s)`);
for (let i = 1; i < args.length; i++) {
  console.log(`arg ${i}: ${args[i]}`);
}
let sum: i64 = 0;
for (let i: i64 = 1; i <= 1000; i++) sum += i * i;
console.log(`sum of squares 1..1000 = ${sum}`);
process.exit(0);
