/**
 * The built-in samples: WAT sources under samples/, assembled at run time.
 * @module
 */
import { WaspError } from "../envelope.ts";

/** One built-in sample. */
export interface Sample {
  name: string;
  description: string;
  /** URL of the WAT source. */
  source: URL;
}

const DIR = new URL("../../samples/", import.meta.url);

/** Every sample, in listing order. */
export const SAMPLES: readonly Sample[] = [
  {
    name: "workspace-probe",
    description: "prints the contents of input.txt from the granted workspace",
    source: new URL("workspace-probe.wat", DIR),
  },
  {
    name: "workspace-write",
    description: "writes agent-note.txt into the workspace and prints written",
    source: new URL("workspace-write.wat", DIR),
  },
  {
    name: "env-report",
    description: "prints the injected environment, one KEY=VALUE a line",
    source: new URL("env-report.wat", DIR),
  },
];

/** Looks a sample up by name, or throws invalid_argument listing the known names. */
export function findSample(name: string): Sample {
  const found = SAMPLES.find((s) => s.name === name);
  if (!found) {
    throw new WaspError(
      "invalid_argument",
      `unknown sample "${name}"; known samples: ${SAMPLES.map((s) => s.name).join(", ")}`,
    );
  }
  return found;
}
