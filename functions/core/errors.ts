/*
 * netlake's one error hierarchy. Every error the code throws on purpose is a `NetlakeError` and
 * keeps what caused it in `cause`, so a log line (`describeError`) always carries the underlying
 * reason: "dynamodb put run failed: ... <- ECONNREFUSED 127.0.0.1:8000".
 */

/** Options every netlake error takes. */
export interface ErrorOptions {
  cause?: unknown
}

/** The base of every netlake error; `name` is the subclass's name. */
export class NetlakeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** Input that fails validation; `field` names the field, parameter or byte offset. */
export class InvalidInputError extends NetlakeError {
  constructor(
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** Raised by `ObjectStore.put` with `ifAbsent` when the key exists. */
export class ObjectExistsError extends NetlakeError {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`object already exists: ${key}`, options)
  }
}

/** Raised by conditional catalog writes: the item is already there (means "already done"). */
export class ConditionFailedError extends NetlakeError {}

/** Raised for a cursor that is malformed or belongs to another listing (the API answers 400). */
export class InvalidCursorError extends InvalidInputError {
  constructor(message = 'invalid cursor', options?: ErrorOptions) {
    super(message, 'cursor', options)
  }
}

/** Raised for a filter or limit the catalog cannot serve, such as an unparseable `from` (400). */
export class InvalidFilterError extends InvalidInputError {
  constructor(message: string, field: string, options?: ErrorOptions) {
    super(message, field, options)
  }
  declare readonly field: string
}

/** A catalog call failed after the SDK's retries, or an item did not match its record schema. */
export class CatalogError extends NetlakeError {
  constructor(operation: string, options: { cause: unknown }) {
    super(`dynamodb ${operation} failed: ${messageOf(options.cause)}`, options)
  }
}

const messageOf = (value: unknown) => (value instanceof Error ? value.message : String(value))

/**
 * One line for a log: `Name: message` of the error and of every cause below it, outermost first,
 * each once (a cause whose message is already in its parent's is not repeated).
 */
export function describeError(error: unknown): string {
  const parts: string[] = []
  const seen = new Set<unknown>()
  for (let e: unknown = error; e !== undefined && e !== null && !seen.has(e);) {
    seen.add(e)
    const message = messageOf(e)
    if (!parts.some((p) => p.includes(message)))
      parts.push(e instanceof Error ? `${e.name}: ${message}` : message)
    e = e instanceof Error ? e.cause : undefined
  }
  return parts.join(' <- ')
}
