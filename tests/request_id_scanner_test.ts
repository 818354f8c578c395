import { assertEquals } from "./helpers/assert.ts";
import { RequestIdScanner } from "../src/mcp/request_id_scanner.ts";

function scan(text: string, pieces = 3): string | number | null {
  const bytes = new TextEncoder().encode(text);
  const s = new RequestIdScanner();
  const step = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += step) s.push(bytes.subarray(at, at + step));
  return s.id();
}

Deno.test("RequestIdScanner finds only the top-level id, wherever it is and however split", () => {
  assertEquals(scan('{"jsonrpc":"2.0","id":7,"method":"x"}'), 7);
  assertEquals(scan('{"method":"x","params":{"id":5,"a":[{"id":6}]},"id":"last"}'), "last");
  assertEquals(scan('{"params":{"id":5}}'), null);
  assertEquals(scan('{ "id" : "a\\"b\\\\" , "x": 1 }'), 'a"b\\');
  assertEquals(scan('{"idx":1,"xid":2}'), null);
  assertEquals(scan('{"id":null}'), null);
  assertEquals(scan('{"id":{"nested":1}}'), null);
  assertEquals(scan('{"id":-12.5e1}'), -125);
  assertEquals(scan('{"a":"}{\\"id\\":9","id":3}'), 3);
  assertEquals(scan('{"id":"' + "x".repeat(1000) + '"}'), null); // too long to keep
  assertEquals(scan("[1,2,3]"), null);
  assertEquals(scan('{"id":42', 1), 42); // cut off mid-message: the id is already known
});
