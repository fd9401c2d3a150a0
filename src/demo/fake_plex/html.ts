/**
 * The HTML pages Plex answers errors with (401, 404, 400), not JSON.
 *
 * @module
 */
/** Plex's 401 page. */
export const HTML_401 =
  "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";
/** Plex's 404 page. */
export const HTML_404 =
  "<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>";
/** Plex's 400 page. */
export const HTML_400 =
  "<html><head><title>Bad Request</title></head><body><h1>400 Bad Request</h1></body></html>";

/** An HTML answer with `status`. */
export function html(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html" },
  });
}
