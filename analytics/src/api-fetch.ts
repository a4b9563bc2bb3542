/**
 * Same-origin API calls. The local stack lets loopback browsers read without a token; in AWS every
 * route needs one, so on a 401 the notebook asks once for a reader token and keeps it in this
 * browser's localStorage (never in the URL).
 */
const TOKEN_KEY = 'netlake.readerToken'

/** GET an API path, with the stored token when there is one; asks for a token on 401. */
export async function apiGet(path: string): Promise<Response> {
  const response = await fetch(new URL(path, location.href), { headers: authHeaders() })
  if (response.status !== 401) return response
  const token = window.prompt(
    'This netlake API needs a reader token (netlake token create --scope reader). It is kept in this browser only.',
  )
  if (!token) return response
  localStorage.setItem(TOKEN_KEY, token.trim())
  return fetch(new URL(path, location.href), { headers: authHeaders() })
}

function authHeaders(): Record<string, string> {
  const token = localStorage.getItem(TOKEN_KEY)
  return token ? { Authorization: `Bearer ${token}` } : {}
}
