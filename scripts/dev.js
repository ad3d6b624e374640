// npm run dev: the API server (restarting on change) and Vite (hot reload, proxying /api and /go to it).
import { spawn } from 'node:child_process';

const children = [
  spawn('npm', ['run', 'dev', '--workspace', '@proofdrop/server'], { stdio: 'inherit' }),
  spawn('npm', ['run', 'dev', '--workspace', '@proofdrop/web'], { stdio: 'inherit' }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}

for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
