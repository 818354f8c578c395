/**
 * The built-in samples: WAT sources under samples/, imported as text so that they are part of
 * wasp's module graph (cached with it when wasp runs from a URL, embedded by `deno compile`).
 * @module
 */
import { WaspError } from "../envelope.ts";
import envReport from "../../samples/env-report.wat" with { type: "text" };
import workspaceProbe from "../../samples/workspace-probe.wat" with { type: "text" };
import workspaceWrite from "../../samples/workspace-write.wat" with { type: "text" };

/** One built-in sample. */
export interface Sample {
  name: string;
  description: string;
  /** The WAT source text. */
  wat: string;
}

/** Every sample, in listing order. */
export const SAMPLES: readonly Sample[] = [
  {
    name: "workspace-probe",
    description: "prints the contents of input.txt from the granted workspace",
    wat: workspaceProbe,
  },
  {
    name: "workspace-write",
    description: "writes agent-note.txt into the workspace and prints written",
    wat: workspaceWrite,
  },
  {
    name: "env-report",
    description: "prints the injected environment, one KEY=VALUE a line",
    wat: envReport,
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
