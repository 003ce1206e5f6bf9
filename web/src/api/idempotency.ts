/**
 * Idempotency keys for review actions (docs/review-engine.md): every POST that changes a case carries
 * `Idempotency-Key: <uuid>`; the server answers a repeated key with the first response and changes
 * nothing. One key per user intent: a double click or a retry of the same submit after a network error
 * reuses the key, so the action happens at most once; a new intent gets a new key.
 */
import { ApiError } from './errors'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'

type RandomSource = Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string }

/**
 * A random (version 4) UUID. `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost); a
 * platform served over plain HTTP on an intranet address still has `crypto.getRandomValues`.
 */
export function newIdempotencyKey(source: RandomSource | undefined = globalThis.crypto): string {
  if (source && typeof source.randomUUID === 'function') return source.randomUUID()
  const bytes = new Uint8Array(16)
  if (source && typeof source.getRandomValues === 'function') source.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Whether the outcome of a failed request is unknown, so a retry must reuse its key: no answer at all
 * (network failure, status 0) or a server/gateway failure (5xx: a proxy may time out after the server
 * committed). A 4xx is a definite refusal: nothing happened, and the next attempt is a new intent.
 */
export function outcomeUnknown(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true
  return e.status === 0 || e.status >= 500
}

/**
 * The key of one user intent (a dialog submit, a batch approve). `key()` hands out the same key until
 * `settle()` is told how the attempt ended: success or a definite refusal start a new intent, an unknown
 * outcome keeps the key for the retry. `reset()` when the user starts over (dialog reopened).
 */
export class IntentKey {
  private current: string | null = null

  constructor(private readonly generate: () => string = () => newIdempotencyKey()) {}

  key(): string {
    if (!this.current) this.current = this.generate()
    return this.current
  }

  /** After an attempt: `error` undefined = success. */
  settle(error?: unknown): void {
    if (error === undefined || !outcomeUnknown(error)) this.current = null
  }

  reset(): void {
    this.current = null
  }

  /** The key a retry would reuse, if any (for tests and diagnostics). */
  get pending(): string | null {
    return this.current
  }
}
