/** The items a slice at a time, to keep each statement of a sane size. */
export function* chunks<T>(items: T[], size: number) {
  for (let i = 0; i < items.length; i += size) {
    yield items.slice(i, i + size);
  }
}
