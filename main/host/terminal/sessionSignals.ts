import { readdirSync, readFileSync } from 'node:fs';

// Signals everything a terminal started. A shell in a pty leads its own session; jobs it runs get
// process groups of their own inside that session, and a shell without job-control habits (dash)
// leaves background jobs running when it is hung up. So the whole session is signalled.

/** The pids whose session id is `sid`, read from /proc (Linux); empty elsewhere. */
export function sessionMembers(sid: number): number[] {
  if (process.platform !== 'linux') return [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may itself hold spaces:
      // state ppid pgrp session ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[3]) === sid) members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

/** Sends `signal` to the session led by `sid`: its process group and, on Linux, every member. */
export function signalSession(sid: number, signal: NodeJS.Signals): void {
  const targets = [-sid, ...sessionMembers(sid)];
  for (const target of targets) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone.
    }
  }
}
