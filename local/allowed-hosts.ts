import { hostname, networkInterfaces } from 'node:os'
import { LOOPBACK_HOSTS } from '#functions/api/host-check.ts'

const WILDCARD = new Set(['0.0.0.0', '::', '[::]'])

/**
 * The Host names the local stack answers for: the loopback names, the address it listens on, and
 * when it listens on every interface, this machine's name and interface addresses (so collectors on
 * other hosts reach it by IP). A page on any other name (DNS rebinding) gets 421. `extra` adds names
 * (`--allowed-host`, a reverse proxy's name).
 */
export function localAllowedHosts(listenHost: string, extra: readonly string[] = []): string[] {
  const names = new Set<string>(LOOPBACK_HOSTS)
  const bracket = (address: string) => (address.includes(':') ? `[${address}]` : address)
  if (WILDCARD.has(listenHost)) {
    names.add(hostname().toLowerCase())
    for (const list of Object.values(networkInterfaces()))
      for (const entry of list ?? []) names.add(bracket(entry.address.split('%')[0]))
  } else {
    names.add(bracket(listenHost.replace(/^\[|\]$/g, '')))
  }
  for (const name of extra) names.add(name.toLowerCase())
  return [...names]
}
