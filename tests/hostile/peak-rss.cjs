// Preloaded into a salty run by tests/hostile: at exit, writes the host
// process's peak resident set (VmHWM, in KiB) and the CPU seconds it used
// (user + system, so a loaded machine does not count) to $SALTY_PEAK_RSS_FILE.
const { readFileSync, writeFileSync } = require('node:fs');
process.on('exit', () => {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  const cpu = process.cpuUsage();
  writeFileSync(process.env.SALTY_PEAK_RSS_FILE, `${m ? m[1] : process.resourceUsage().maxRSS} ${(cpu.user + cpu.system) / 1e6}`);
});
