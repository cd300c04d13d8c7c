// Which cores must keep in step in virtual time. Cores interact only through what they share: a
// VM whose vCPUs may run on both (it migrates, its vCPUs poke each other), or a channel between VMs
// on each (doorbells, IPC, shared memory). Cores that share nothing cannot observe each other's
// clocks, so holding one back for the other would only cost time: each group syncs on its own.

/** Per core, the index of its group: the lowest core it is connected to, directly or not. */
export function syncGroups(
  cores: number,
  vms: readonly { affinity: readonly number[]; placement: readonly number[] }[],
  channels: readonly { endpoints: readonly { vm: number }[] }[],
): number[] {
  const parent = Array.from({ length: cores }, (_, c) => c);
  const find = (c: number): number => {
    while (parent[c] !== c) c = parent[c] = parent[parent[c]];
    return c;
  };
  const join = (list: readonly number[]) => {
    for (const c of list) {
      const a = find(list[0]);
      const b = find(c);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  };
  const coresOf = vms.map((vm) => [...new Set([...vm.affinity, ...vm.placement])].filter((c) => c >= 0 && c < cores));
  for (const list of coresOf) if (list.length > 0) join(list);
  for (const channel of channels) join(channel.endpoints.flatMap((e) => coresOf[e.vm] ?? []));
  return parent.map((_, c) => find(c));
}

/** How many worker threads a core-to-thread map uses. */
export function threadCount(threadOf: readonly number[]): number {
  return Math.max(0, ...threadOf) + 1;
}

/**
 * The worker thread of each core. Cores of different groups never wait for each other, so each
 * group gets threads of its own and the OS balances them; a group with more cores than the host
 * has CPUs shares `hostCpus` threads between its cores, which then keep in step by taking turns
 * instead of by a context switch per quantum. `threads` forces that many threads (core c on c % threads).
 */
export function coreThreads(syncGroup: readonly number[], hostCpus: number, threads?: number): number[] {
  if (threads !== undefined) {
    const n = Math.max(1, Math.min(syncGroup.length, threads));
    return syncGroup.map((_, c) => c % n);
  }
  const threadOf: number[] = [];
  const groups = new Map<number, { first: number; size: number; cores: number }>();
  let next = 0;
  syncGroup.forEach((g, c) => {
    let group = groups.get(g);
    if (group === undefined) {
      const size = syncGroup.filter((x) => x === g).length;
      group = { first: next, size: Math.min(size, Math.max(1, hostCpus)), cores: 0 };
      next += group.size;
      groups.set(g, group);
    }
    threadOf[c] = group.first + (group.cores++ % group.size);
  });
  return threadOf;
}
