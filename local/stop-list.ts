/** What stops the stack: each part's close, run in the reverse order of starting (dependants first). */
export function stopList() {
  const closers: Array<() => Promise<void>> = [];
  return {
    push(close: () => Promise<void>): void {
      closers.push(close);
    },
    remember<T extends { close(): Promise<void> }>(part: T): T {
      closers.push(() => part.close());
      return part;
    },
    async stopAll(): Promise<void> {
      for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    },
  };
}
export type StopList = ReturnType<typeof stopList>;
