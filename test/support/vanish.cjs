// Preloaded into the bundled server or CLI (NODE_OPTIONS=--require …) to make
// a race happen every time: right after a folder listing names the file
// KPI_TEST_VANISH, that file is deleted, as if it were renamed or removed
// between the scan that found it and the read of its text.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const target = process.env.KPI_TEST_VANISH;
if (target) {
  const readdirSync = fs.readdirSync;
  fs.readdirSync = function (dir, ...rest) {
    const entries = readdirSync.call(this, dir, ...rest);
    if (path.resolve(String(dir)) === path.dirname(target)) fs.rmSync(target, { force: true });
    return entries;
  };
}
