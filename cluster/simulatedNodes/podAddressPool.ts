// Pod IPs from a node's /24 pod CIDR, as the node's bridge hands them out: .1 is the bridge itself,
// pods get .2–.254, an address is held by one pod at a time and reused after that pod ends.

export class PodAddressPool {
  private readonly prefix: string;
  private readonly byOwner = new Map<string, number>();
  private readonly used = new Set<number>();
  private next = 2;

  constructor(cidr: string) {
    const [network = ''] = cidr.split('/');
    this.prefix = network.split('.').slice(0, 3).join('.');
  }

  /** The owner's address, allocating one if it has none; undefined when the range is used up. */
  allocate(owner: string): string | undefined {
    const held = this.byOwner.get(owner);
    if (held !== undefined) return `${this.prefix}.${held}`;
    for (let tried = 0; tried < 253; tried++) {
      const host = this.next;
      this.next = host >= 254 ? 2 : host + 1;
      if (this.used.has(host)) continue;
      this.used.add(host);
      this.byOwner.set(owner, host);
      return `${this.prefix}.${host}`;
    }
    return undefined;
  }

  /** Claims an address a pod already reports (after a restart); false if it is not ours to give. */
  reserve(owner: string, ip: string): boolean {
    const dot = ip.lastIndexOf('.');
    const host = Number(ip.slice(dot + 1));
    if (ip.slice(0, dot) !== this.prefix || host < 2 || host > 254) return false;
    const held = this.byOwner.get(owner);
    if (held === host) return true;
    if (this.used.has(host)) return false;
    if (held !== undefined) this.used.delete(held);
    this.used.add(host);
    this.byOwner.set(owner, host);
    return true;
  }

  release(owner: string): void {
    const held = this.byOwner.get(owner);
    if (held === undefined) return;
    this.used.delete(held);
    this.byOwner.delete(owner);
  }

  get size(): number {
    return this.used.size;
  }
}
