/**
 * memory_cap_test.ts again, every run through the warm pool (WASP_WALL=pool): the same tests,
 * with a single-use pool Worker as the wall instead of a walled process.
 */
import { useWall } from "./helpers/wasp.ts";

useWall("pool");
await import("./memory_cap_test.ts");
