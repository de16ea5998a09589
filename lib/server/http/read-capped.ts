/**
 * How much of a refused request body is still read (and dropped) before the 413 goes out: a
 * client still sending then reads the answer instead of a connection reset ("lingering close").
 * A body beyond these bounds has the connection closed under it.
 */
export const LINGER = { bytes: 16 * 1024 * 1024, ms: 2_000 };

/**
 * Reads a byte stream as UTF-8 text, giving up (and cancelling it) past `cap` bytes. With
 * `linger`, the rest of an over-long stream is read and dropped within those bounds first.
 */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, cap: number, tooLarge: () => Error, linger?: typeof LINGER): Promise<string> {
  if (!stream) return "";
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      if (linger) await dropRest(reader, linger);
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads and drops what is left of a refused request body, within `linger`'s bounds. */
export async function dropBody(stream: ReadableStream<Uint8Array> | null, linger = LINGER): Promise<void> {
  if (!stream) return;
  const reader = stream.getReader();
  await dropRest(reader, linger);
  await reader.cancel().catch(() => undefined);
}

async function dropRest(reader: ReadableStreamDefaultReader<Uint8Array>, linger: typeof LINGER) {
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), linger.ms)));
  try {
    while (seen < linger.bytes) {
      const r = await Promise.race([reader.read(), late]).catch(() => "late" as const);
      if (r === "late" || r.done) return;
      seen += r.value.byteLength;
    }
  } finally {
    clearTimeout(timer);
  }
}
