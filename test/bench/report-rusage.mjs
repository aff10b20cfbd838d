// Preloaded (`node --import`) into a benchmarked command: at exit it writes the process's own CPU
// time and peak RSS (worker threads included: they are threads of this process) as one JSON line
// on stderr, prefixed so the bench can find it.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nRUSAGE ${JSON.stringify({ cpuSec: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMb: u.maxRSS / 1024 })}\n`);
});
