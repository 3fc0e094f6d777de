/**
 * Freezes a value and everything reachable from it. Kept apart from the rest of lib/spec (no zod)
 * so worker threads can import it without loading the schema.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
