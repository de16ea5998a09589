// Setup file of the system tests (vitest.config.ts): every answer the app gives to a test's
// fetch is recorded for the schema check at the end of `npm test` (api-responses.ts). The app
// is told apart from the test's stand-ins (Prometheus, GitHub, OIDC) by the request id its HTTP
// server puts on every answer.
import { expect } from "vitest";
import { mediaType, recordResponse, wantsRecording } from "./api-responses";

const realFetch = globalThis.fetch;

globalThis.fetch = async function recordingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const res = await realFetch(input, init);
  try {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    if (res.headers.has("x-request-id") && method !== "HEAD" && wantsRecording(method, url.pathname, res.status)) {
      const type = mediaType(res.headers.get("content-type"));
      const source = `system ${expect.getState().testPath?.split("/").pop() ?? "?"}`;
      if (type === "application/json" || type.endsWith("+json")) {
        // A clone, read on the side: the test reads the original as it would have.
        void res
          .clone()
          .text()
          .then(
            (text) => {
              let body: unknown;
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
              recordResponse("system", { method, path: url.pathname, status: res.status, type, body, source });
            },
            () => undefined, // cut off on purpose (fault tests): nothing whole to check
          );
      } else {
        recordResponse("system", { method, path: url.pathname, status: res.status, type, body: null, source });
      }
    }
  } catch {
    // Recording never changes what a test sees.
  }
  return res;
};
