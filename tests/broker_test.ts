/**
 * The parent's symlink broker checks every request itself, so a compromised walled child
 * cannot use it to create links outside its read-write grants.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { buildPolicy } from "../src/policy.ts";
import { brokerSymlink } from "../src/wall/broker.ts";

Deno.test("brokerSymlink creates links only where the policy allows writing", async () => {
  const box = await sandbox();
  await Deno.symlink(box.secret, `${box.ws}/door`);
  const policy = buildPolicy({
    module: await cGuest("hello"),
    dirs: [{ host: box.ws, access: "read-write" }, { host: box.ro, access: "read-only" }],
  });
  const cases: [string, string, string | null][] = [
    ["data.txt", `${box.ws}/ok-link`, null],
    ["/etc/passwd", `${box.ws}/abs`, "EPERM"],
    ["x", `${box.ro}/in-ro`, "EROFS"],
    ["x", `${box.secret}/outside`, "ENOTCAPABLE"],
    ["x", `${box.ws}/door/through-link`, "ENOTCAPABLE"],
    ["x", `${box.ws}/../secret/dotdot`, "EINVAL"],
    ["x", "relative/path", "EINVAL"],
    ["x", `${box.ws}/ok-link`, "EEXIST"],
    ["", `${box.ws}/empty`, "ENOENT"],
  ];
  for (const [target, path, error] of cases) {
    assertEquals(brokerSymlink(policy, target, path).error, error, path);
  }
  assertEquals(await Deno.readLink(`${box.ws}/ok-link`), "data.txt");
  assertEquals([...Deno.readDirSync(box.secret)].map((e) => e.name), ["s.txt"]);
});
