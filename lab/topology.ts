/** One command of a lab construction; optional ones (offload tweaks) may fail without aborting. */
export interface Step {
  argv: string[]
  optional?: boolean
}

/** Namespaces and commands that build one scenario, in order. Pure data: nothing runs here. */
export interface Topology {
  namespaces: string[]
  steps: Step[]
}

/** Options of a VXLAN device. */
export interface VxlanOptions {
  id: number
  local: string
  dev: string
  port: number
  mtu: number
  /** Flood (all-zero MAC) destinations: the other VTEPs. */
  remotes?: string[]
  /** flannel style: no learning, static MAC, FDB and neighbour entries added by the caller. */
  nolearning?: boolean
  mac?: string
}

/** Lab settings that change the construction. */
export interface BuildOptions {
  /** Turn TSO/GSO/GRO off on every lab interface (each ~1.4 kB packet then crosses every hop). */
  offloadsOff: boolean
}

/**
 * A small builder for namespace topologies: `ip`/`bridge`/`sysctl`/`iptables` commands, each
 * scoped to a namespace whose name starts with `prefix` (e.g. `nlk-os-s1-`), so teardown can
 * never touch anything else.
 */
export function createTopology(prefix: string, options: BuildOptions) {
  const namespaces: string[] = []
  const steps: Step[] = []
  const add = (...argv: string[]) => steps.push({ argv })
  const offload = (ns: string, dev: string) => {
    if (options.offloadsOff)
      steps.push({
        argv: [
          'ip',
          'netns',
          'exec',
          ns,
          'ethtool',
          '-K',
          dev,
          'tso',
          'off',
          'gso',
          'off',
          'gro',
          'off',
        ],
        optional: true,
      })
  }
  return {
    /** Creates namespace `<prefix><role>` with loopback up (ip_forward stays 0 until `forward`). */
    ns(role: string): string {
      const name = `${prefix}${role}`
      namespaces.push(name)
      add('ip', 'netns', 'add', name)
      add('ip', '-n', name, 'link', 'set', 'lo', 'up')
      return name
    },
    /** A veth pair `a:ifA` ↔ `b:ifB`, both up, with an MTU. */
    veth(a: string, ifA: string, b: string, ifB: string, mtu: number) {
      add(
        'ip',
        '-n',
        a,
        'link',
        'add',
        ifA,
        'mtu',
        String(mtu),
        'type',
        'veth',
        'peer',
        'name',
        ifB,
        'mtu',
        String(mtu),
        'netns',
        b,
      )
      add('ip', '-n', a, 'link', 'set', ifA, 'up')
      add('ip', '-n', b, 'link', 'set', ifB, 'up')
      offload(a, ifA)
      offload(b, ifB)
    },
    /** A Linux bridge, up. */
    bridge(ns: string, name: string) {
      add('ip', '-n', ns, 'link', 'add', name, 'type', 'bridge')
      add('ip', '-n', ns, 'link', 'set', name, 'up')
    },
    /** Makes `dev` a port of `bridge`. */
    attach(ns: string, dev: string, bridge: string) {
      add('ip', '-n', ns, 'link', 'set', dev, 'master', bridge)
    },
    /** An address on an interface. */
    addr(ns: string, dev: string, cidr: string) {
      add('ip', '-n', ns, 'addr', 'add', cidr, 'dev', dev)
    },
    /** A route: `ip route add ...args`. */
    route(ns: string, ...args: string[]) {
      add('ip', '-n', ns, 'route', 'add', ...args)
    },
    /** Enables IPv4 forwarding (0 in every new namespace). */
    forward(ns: string) {
      add('ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    },
    /** A VXLAN device, up, with flood entries to the remote VTEPs. */
    vxlan(ns: string, name: string, o: VxlanOptions) {
      const extra = o.nolearning ? ['nolearning'] : []
      add(
        'ip',
        '-n',
        ns,
        'link',
        'add',
        name,
        ...(o.mac ? ['address', o.mac] : []),
        'mtu',
        String(o.mtu),
        'type',
        'vxlan',
        'id',
        String(o.id),
        'local',
        o.local,
        'dev',
        o.dev,
        'dstport',
        String(o.port),
        ...extra,
      )
      add('ip', '-n', ns, 'link', 'set', name, 'up')
      for (const remote of o.remotes ?? [])
        add('bridge', '-n', ns, 'fdb', 'append', '00:00:00:00:00:00', 'dev', name, 'dst', remote)
      offload(ns, name)
    },
    /** A static FDB entry (flannel: the peer VTEP MAC → its underlay IP). */
    fdb(ns: string, dev: string, mac: string, dst: string) {
      add('bridge', '-n', ns, 'fdb', 'append', mac, 'dev', dev, 'dst', dst, 'self', 'permanent')
    },
    /** A permanent neighbour entry. */
    neigh(ns: string, dev: string, ip: string, mac: string) {
      add('ip', '-n', ns, 'neigh', 'replace', ip, 'lladdr', mac, 'dev', dev, 'nud', 'permanent')
    },
    /** An iptables rule inside the namespace (nf_tables backend on Debian 12). */
    iptables(ns: string, ...args: string[]) {
      add('ip', 'netns', 'exec', ns, 'iptables', ...args)
    },
    /** The finished construction. */
    build(): Topology {
      return { namespaces: [...namespaces], steps: [...steps] }
    },
  }
}

/** The builder's type, for scenario modules. */
export type TopologyBuilder = ReturnType<typeof createTopology>
