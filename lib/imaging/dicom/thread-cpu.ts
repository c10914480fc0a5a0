// Processor time of one thread of this process, read from Linux's /proc (another thread's own
// counters are not reachable from Node otherwise). A codec thread's budget is charged in the processor
// time it used, not the wall-clock time that passed: on a machine busy with other work, a valid frame
// waits for a core without using its budget, while a codec spinning on a damaged frame uses it up.
import fs from "node:fs";

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** The thread's user + system time in milliseconds, or null where /proc cannot tell (not Linux, thread gone). */
export function threadCpuMs(tid: number | undefined): number | null {
  if (tid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "latin1");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) and stime (15), 1-based
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
