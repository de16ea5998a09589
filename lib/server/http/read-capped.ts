/** Reads a byte stream as UTF-8 text, giving up (and cancelling it) past `cap` bytes. */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, cap: number, tooLarge: () => Error): Promise<string> {
  if (!stream) return "";
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
