/**
 * Draws the Teams app icons into manifest/teams/: `color.png` (192×192, full colour) and
 * `outline.png` (32×32, white on transparent), as the Teams manifest requires.
 * Run: npx tsx scripts/make-teams-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/** The PortalOps mark: an arch (a portal) over a base line, as coverage 0..1 at a point. */
function mark(x: number, y: number, size: number, stroke: number): number {
  const cx = size / 2;
  const top = size * 0.22;
  const bottom = size * 0.78;
  const half = size * 0.26;
  const radius = half;
  const centreY = top + radius;
  // Arch: the upper half of a ring, continued down by two legs.
  const dx = x - cx;
  const dy = y - centreY;
  const distance = Math.sqrt(dx * dx + dy * dy);
  const onRing = y <= centreY && Math.abs(distance - radius) <= stroke / 2;
  const onLegs = y > centreY && y <= bottom && Math.abs(Math.abs(dx) - radius) <= stroke / 2;
  const onBase = Math.abs(y - bottom) <= stroke / 2 && Math.abs(dx) <= radius + stroke;
  return onRing || onLegs || onBase ? 1 : 0;
}

/** Supersampled coverage, for smooth edges. */
function coverage(px: number, py: number, size: number, stroke: number): number {
  let sum = 0;
  const n = 4;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) sum += mark(px + (i + 0.5) / n, py + (j + 0.5) / n, size, stroke);
  return sum / (n * n);
}

function draw(size: number, background: [number, number, number] | undefined, stroke: number): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const c = coverage(x, y, size, stroke);
      if (background) {
        png.data[i] = Math.round(background[0] * (1 - c) + 255 * c);
        png.data[i + 1] = Math.round(background[1] * (1 - c) + 255 * c);
        png.data[i + 2] = Math.round(background[2] * (1 - c) + 255 * c);
        png.data[i + 3] = 255;
      } else {
        png.data[i] = 255;
        png.data[i + 1] = 255;
        png.data[i + 2] = 255;
        png.data[i + 3] = Math.round(255 * c);
      }
    }
  }
  return PNG.sync.write(png);
}

const dir = path.resolve(import.meta.dirname, '../manifest/teams');
writeFileSync(path.join(dir, 'color.png'), draw(192, [0x3a, 0x5b, 0xa0], 14));
writeFileSync(path.join(dir, 'outline.png'), draw(32, undefined, 3));
console.log(`Wrote ${dir}/color.png and outline.png`);
