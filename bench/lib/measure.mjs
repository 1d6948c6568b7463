// Runs a command as its own process and measures the CPU it used (user + sys, all its
// threads, from the kernel's accounting of waited-for children), its wall time and output.
import { spawn } from 'node:child_process';

// bash's `time` reads getrusage(RUSAGE_CHILDREN) around the command, to the millisecond;
// its report goes to fd 3, the command keeps the caller's stdout and stderr.
const TIMED = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" 2>&4 3>&- 4>&-; } 4>&2 2>&3';

/** Every measured process still running, by its process group (it leads one). */
const running = new Set();

/**
 * @typedef {object} Measurement
 * @property {boolean} ok exited with status 0, in time
 * @property {number} cpuMs user + sys
 * @property {number} wallMs
 * @property {string} stdout
 * @property {string} error why it failed ('' when ok)
 */

/**
 * @param {string[]} argv the command and its arguments
 * @param {{timeoutMs: number, env?: NodeJS.ProcessEnv}} options
 * @returns {Promise<Measurement>}
 */
export function measure(argv, { timeoutMs, env = process.env }) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', TIMED, 'measure', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout or an interrupt ends the command with it.
      detached: true,
      env,
    });
    running.add(child);
    const output = { stdout: '', stderr: '', report: '' };
    child.stdout.on('data', (data) => (output.stdout += data));
    child.stderr.on('data', (data) => (output.stderr += data));
    child.stdio[3].on('data', (data) => (output.report += data));
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      endGroup(child);
    }, timeoutMs);
    const settle = (status, failure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      running.delete(child);
      const [wall, user, sys] = output.report.trim().split(/\s+/).map(Number);
      let error = failure;
      if (!error && timedOut) error = `timed out after ${timeoutMs / 1000} s`;
      if (!error && status !== 0) error = `exit status ${status}`;
      if (!error && !Number.isFinite(user + sys)) error = 'no CPU time reported';
      if (error && output.stderr.trim()) error += `: ${output.stderr.trim().split('\n').pop()}`;
      resolve({
        ok: !error,
        cpuMs: (user + sys) * 1000,
        wallMs: wall * 1000,
        stdout: output.stdout,
        error: error ?? '',
      });
    };
    child.on('error', (error) => settle(null, error.message));
    child.on('close', (code, signal) => settle(code ?? signal, null));
  });
}

/** Ends every measured process still running (on an interrupt). */
export function endAll() {
  for (const child of running) endGroup(child);
}

function endGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
