/**
 * Children keep the caller's certificate settings: the servers the tests
 * spawn, npm and npx (through runCommand), the conformance suite's Deno,
 * so that where the caller's Deno reaches npm through an extra CA, they do
 * too, and a test that needs npm runs instead of skipping.
 */
import assert from "node:assert/strict";
import { certificateEnv, childEnv, runCommand } from "../support/helpers.ts";

const CA = {
  NODE_EXTRA_CA_CERTS: "/certs/node-extra.pem",
  DENO_CERT: "/certs/deno.pem",
  SSL_CERT_FILE: "/certs/ssl.pem",
  DENO_TLS_CA_STORE: "system,mozilla",
};

Deno.test("childEnv() passes NODE_EXTRA_CA_CERTS, DENO_CERT, SSL_CERT_FILE and DENO_TLS_CA_STORE on", () => {
  const env = childEnv({}, { PATH: "/usr/bin", HOME: "/home/me", ...CA });
  for (const [name, value] of Object.entries(CA)) {
    assert.equal(env[name], value, name);
  }
  assert.equal(childEnv({}, { PATH: "/usr/bin" }).DENO_CERT, undefined);
});

Deno.test("a CA Deno trusts through DENO_CERT is given to Node (npm, npx) as NODE_EXTRA_CA_CERTS", () => {
  assert.deepEqual(certificateEnv({ DENO_CERT: "/certs/deno.pem" }), {
    DENO_CERT: "/certs/deno.pem",
    NODE_EXTRA_CA_CERTS: "/certs/deno.pem",
  });
  assert.equal(
    certificateEnv({ DENO_CERT: "/a.pem", NODE_EXTRA_CA_CERTS: "/b.pem" })
      .NODE_EXTRA_CA_CERTS,
    "/b.pem",
    "Node's own setting is kept",
  );
});

Deno.test("runCommand (npm, npx) children see the caller's certificates", async () => {
  const saved = Deno.env.toObject();
  try {
    Deno.env.delete("NODE_EXTRA_CA_CERTS");
    Deno.env.set("DENO_CERT", "/certs/deno.pem");
    const r = await runCommand("sh", [
      "-c",
      'printf "%s|%s" "$DENO_CERT" "$NODE_EXTRA_CA_CERTS"',
    ]);
    assert.equal(r.code, 0, r.text);
    assert.equal(r.text, "/certs/deno.pem|/certs/deno.pem");
  } finally {
    for (const name of ["DENO_CERT", "NODE_EXTRA_CA_CERTS"]) {
      if (saved[name] === undefined) Deno.env.delete(name);
      else Deno.env.set(name, saved[name]);
    }
  }
});

Deno.test("the conformance runner starts its children with the caller's certificates", async () => {
  const script = `import { suiteEnv } from ${
    JSON.stringify(new URL("../../conformance/run.ts", import.meta.url).href)
  }; console.log(JSON.stringify(suiteEnv()));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    env: { ...childEnv(), ...CA },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const dec = new TextDecoder();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  const env = JSON.parse(dec.decode(out.stdout));
  for (const [name, value] of Object.entries(CA)) {
    assert.equal(env[name], value, name);
  }
});
