// Preloaded with `node --import` when /usr/bin/time is missing: writes this process's peak RSS
// (KiB, as GNU time's %M) to $BENCH_RSS_FILE on exit, so the real CLI process is still measured.
import fs from 'node:fs'

const file = process.env.BENCH_RSS_FILE
if (file) process.on('exit', () => fs.writeFileSync(file, `${process.resourceUsage().maxRSS}\n`))
