/**
 * A real headless browser for the tests that drive pages as a person
 * would: Debian's chromium (`/usr/bin/chromium`, installed by `.ci/run`
 * when missing), driven over the Chrome DevTools Protocol on loopback
 * (playwright-core needs `--allow-all` under Deno, which the test run does
 * not grant: CDP needs only `--allow-run` and `--allow-net=127.0.0.1`).
 *
 * plex.tv's sign-in page (https://app.plex.tv/auth) cannot be reached
 * from a test, so it is played by a small page answered inside the browser
 * (CDP `Fetch`): its "Sign in" button does what app.plex.tv does after a
 * sign-in, following the `forwardUrl` in the link's fragment (API.md
 * §2.1); the fake plex.tv links the PIN when it is polled.
 */
import { childEnv } from "./helpers.ts";

/** Where a browser may be; the first that exists is used. */
const CANDIDATES = [
  Deno.env.get("PLEXMCP_TEST_BROWSER"),
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
].filter((p): p is string => !!p);

/** The browser's path, or why there is none (the test then skips, saying so). */
export function findBrowser(): { path: string } | { why: string } {
  for (const path of CANDIDATES) {
    try {
      if (Deno.statSync(path).isFile) return { path };
    } catch { /* next */ }
  }
  return {
    why: `no chromium found (looked at ${
      CANDIDATES.join(", ")
    }): apt-get install -y chromium, or set PLEXMCP_TEST_BROWSER`,
  };
}

/** The stand-in for app.plex.tv's sign-in page. */
const SIGN_IN_PAGE =
  `<!doctype html><html><head><title>Plex sign-in</title></head>
<body><h1>Sign in to Plex</h1><button id="sign-in">Sign in</button>
<script>
document.getElementById("sign-in").onclick = () => {
  const params = new URLSearchParams(location.hash.replace(/^#\\??/, ""));
  location.href = params.get("forwardUrl");
};
</script></body></html>`;

type Json = Record<string, unknown>;

/** One page (a CDP target) of the browser. */
export class BrowserPage {
  constructor(
    readonly browser: TestBrowser,
    readonly session: string,
    readonly targetId: string,
  ) {}

  /** Sends a CDP command to this page. */
  send(method: string, params: Json = {}): Promise<Json> {
    return this.browser.send(method, params, this.session);
  }

  /** Evaluates `expression` in the page (or a context); returns its value. */
  async evaluate<T = unknown>(
    expression: string,
    contextId?: number,
  ): Promise<T> {
    const r = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
      ...(contextId ? { contextId } : {}),
    });
    if (r.exceptionDetails) {
      throw new Error(`in the page: ${JSON.stringify(r.exceptionDetails)}`);
    }
    return (r.result as { value: T }).value;
  }

  /** The page's address now. */
  url(): Promise<string> {
    return this.evaluate<string>("location.href");
  }

  /** Goes to `url` and waits until it has loaded. */
  async goto(url: string): Promise<void> {
    await this.send("Page.navigate", { url });
    await this.waitFor((u) => u !== "about:blank", 15_000);
    await this.waitForLoad();
  }

  /** Waits for the document to finish loading. */
  async waitForLoad(ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const ready = await this.evaluate<string>("document.readyState").catch(
        () => "loading",
      );
      if (ready === "complete") return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the page did not finish loading");
  }

  /** Waits until the address passes `test`; returns it. */
  async waitFor(test: (url: string) => boolean, ms = 15_000): Promise<string> {
    const end = Date.now() + ms;
    let last = "";
    while (Date.now() < end) {
      last = await this.url().catch(() => last);
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    const text = await this.text().catch(() => "");
    throw new Error(`the page stayed at ${last}: ${text.slice(0, 400)}`);
  }

  /** The page's visible text. */
  text(): Promise<string> {
    return this.evaluate<string>(
      "document.body ? document.body.innerText : ''",
    );
  }

  /** Clicks the button whose text is `name`, as a person would. */
  async click(name: string): Promise<void> {
    const found = await this.evaluate<boolean>(`(() => {
      const b = [...document.querySelectorAll("button")]
        .find((e) => e.textContent.trim() === ${JSON.stringify(name)});
      if (!b) return false;
      b.click();
      return true;
    })()`);
    if (!found) {
      throw new Error(`no button ${JSON.stringify(name)} on the page`);
    }
  }

  /** The text of each child frame (empty when it shows nothing of its own). */
  async frameTexts(): Promise<{ url: string; text: string }[]> {
    const tree = await this.send("Page.getFrameTree");
    const children =
      ((tree.frameTree as Json).childFrames as { frame: Json }[] | undefined) ??
        [];
    const out: { url: string; text: string }[] = [];
    for (const child of children) {
      const world = await this.send("Page.createIsolatedWorld", {
        frameId: child.frame.id,
      });
      const text = await this.evaluate<string>(
        "document.body ? document.body.innerText : ''",
        world.executionContextId as number,
      ).catch(() => "");
      out.push({ url: String(child.frame.url), text });
    }
    return out;
  }

  /** Closes the page. */
  async close(): Promise<void> {
    await this.browser.send("Target.closeTarget", { targetId: this.targetId })
      .catch(() => {});
  }
}

/** A running chromium with a fresh profile. */
export class TestBrowser {
  #ws!: WebSocket;
  #next = 1;
  readonly #waiting = new Map<
    number,
    { resolve(v: Json): void; reject(e: Error): void }
  >();
  #child!: Deno.ChildProcess;
  #profile = "";

  /** Starts chromium at `path`. */
  static async launch(path: string): Promise<TestBrowser> {
    const b = new TestBrowser();
    b.#profile = await Deno.makeTempDir({ prefix: "plexmcp-browser-" });
    b.#child = new Deno.Command(path, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${b.#profile}`,
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
      ],
      env: childEnv(),
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = "";
      const timer = setTimeout(
        () => reject(new Error(`chromium did not start: ${text.slice(-500)}`)),
        30_000,
      );
      (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of b.#child.stderr) {
          text += decoder.decode(chunk, { stream: true });
          const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        }
        clearTimeout(timer);
        reject(new Error(`chromium exited: ${text.slice(-500)}`));
      })().catch(() => {});
    });
    b.#ws = new WebSocket(endpoint);
    await new Promise<void>((resolve, reject) => {
      b.#ws.onopen = () => resolve();
      b.#ws.onerror = () =>
        reject(new Error("cannot reach chromium's DevTools"));
    });
    b.#ws.onmessage = (e) => b.#receive(JSON.parse(String(e.data)));
    return b;
  }

  #receive(msg: Json): void {
    if (typeof msg.id === "number") {
      const w = this.#waiting.get(msg.id);
      this.#waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(JSON.stringify(msg.error)));
      else w?.resolve((msg.result ?? {}) as Json);
      return;
    }
    if (msg.method === "Fetch.requestPaused") {
      const p = msg.params as { requestId: string; request: { url: string } };
      const session = msg.sessionId as string;
      if (p.request.url.startsWith("https://app.plex.tv/")) {
        this.send("Fetch.fulfillRequest", {
          requestId: p.requestId,
          responseCode: 200,
          responseHeaders: [{ name: "Content-Type", value: "text/html" }],
          body: btoa(SIGN_IN_PAGE),
        }, session).catch(() => {});
      } else {
        this.send("Fetch.continueRequest", { requestId: p.requestId }, session)
          .catch(() => {});
      }
    }
  }

  /** Sends a CDP command (to a page's session, if given). */
  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = this.#next++;
    const { promise, resolve, reject } = Promise.withResolvers<Json>();
    this.#waiting.set(id, { resolve, reject });
    this.#ws.send(
      JSON.stringify({
        id,
        method,
        params,
        ...(sessionId ? { sessionId } : {}),
      }),
    );
    return promise;
  }

  /** Opens a page, with plex.tv's sign-in page played in the browser. */
  async page(): Promise<BrowserPage> {
    const { targetId } = await this.send("Target.createTarget", {
      url: "about:blank",
    });
    const { sessionId } = await this.send("Target.attachToTarget", {
      targetId,
      flatten: true,
    });
    const page = new BrowserPage(this, sessionId as string, targetId as string);
    await page.send("Page.enable");
    await page.send("Runtime.enable");
    await page.send("Fetch.enable", {
      patterns: [{ urlPattern: "https://app.plex.tv/*" }],
    });
    return page;
  }

  /** Ends chromium and removes its profile. */
  async close(): Promise<void> {
    try {
      this.#ws.close();
    } catch { /* closed */ }
    try {
      this.#child.kill("SIGKILL");
    } catch { /* gone */ }
    await this.#child.status.catch(() => {});
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}
