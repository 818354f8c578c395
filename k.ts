const pid = Number(Deno.args[0]);
try {
  Deno.kill(pid, "SIGKILL");
  console.log("killed");
} catch (e) {
  console.log("fail", e.name, e.message);
}
