/** Byte-stream input accepted across the core: a web ReadableStream or any (async) iterable. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * Iterates a byte source block by block. A ReadableStream is read through its reader (async
 * iteration of streams is missing in some browsers we support) and cancelled if the consumer stops
 * early, so a file handle is not left open.
 */
export async function* blocksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (!(typeof ReadableStream !== 'undefined' && source instanceof ReadableStream)) {
    yield* source as AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
