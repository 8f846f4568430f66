/**
 * A small PNG writer for the benchmark plot: an RGB canvas with rectangles and a 5x7 bitmap font,
 * encoded with node:zlib (PNG is zlib-deflated scanlines in CRC-checked chunks), so the plot needs
 * no native or downloaded dependency.
 */
import { deflateSync } from 'node:zlib';

type Rgb = [number, number, number];

// 5x7 glyphs, rows top to bottom, '#' set. Labels are drawn upper-cased.
const FONT: Record<string, string> = {
  A: '.###.#...##...#######...##...##...#',
  B: '####.#...##...#####.#...##...#####.',
  C: '.###.#...##....#....#....#...#.###.',
  D: '###..#..#.#...##...##...##..#.###..',
  E: '######....#....####.#....#....#####',
  F: '######....#....####.#....#....#....',
  G: '.###.#...##....#.####...##...#.####',
  H: '#...##...##...#######...##...##...#',
  I: '.###...#....#....#....#....#...###.',
  J: '..###...#....#....#....#.#..#..##..',
  K: '#...##..#.#.#..##...#.#..#..#.#...#',
  L: '#....#....#....#....#....#....#####',
  M: '#...###.###.#.##...##...##...##...#',
  N: '#...##...###..##.#.##..###...##...#',
  O: '.###.#...##...##...##...##...#.###.',
  P: '####.#...##...#####.#....#....#....',
  Q: '.###.#...##...##...##.#.##..#..##.#',
  R: '####.#...##...#####.#.#..#..#.#...#',
  S: '.#####....#.....###.....#....#####.',
  T: '#####..#....#....#....#....#....#..',
  U: '#...##...##...##...##...##...#.###.',
  V: '#...##...##...##...##...#.#.#...#..',
  W: '#...##...##...##.#.##.#.##.#.#.#.#.',
  X: '#...##...#.#.#...#...#.#.#...##...#',
  Y: '#...##...#.#.#...#....#....#....#..',
  Z: '#####....#...#...#...#...#....#####',
  '0': '.###.#...##..###.#.###..##...#.###.',
  '1': '..#...##....#....#....#....#...###.',
  '2': '.###.#...#....#...#...#...#...#####',
  '3': '#####...#...#.....#.....##...#.###.',
  '4': '...#...##..#.#.#..#.#####...#....#.',
  '5': '######....####.....#....##...#.###.',
  '6': '..##..#...#....####.#...##...#.###.',
  '7': '#####....#...#...#...#....#....#...',
  '8': '.###.#...##...#.###.#...##...#.###.',
  '9': '.###.#...##...#.####....#...#..##..',
  ' ': '...................................',
  '.': '..............................##...',
  ',': '.....................##....#...#...',
  ':': '.......##....##.........##....##...',
  '/': '.........#...#...#...#...#.........',
  '+': '.......#....#..#####..#....#.......',
  '-': '...............#####...............',
  '(': '...#...#...#....#....#.....#.....#.',
  ')': '.#.....#.....#....#....#...#...#...',
  '%': '##...##..#...#...#...#...#..##...##',
  '=': '..........#####.....#####..........',
  '>': '.#.....#.....#.....#...#...#...#...',
  _: '..............................#####',
  '#': '.#.#..#.#.#####.#.#.#####.#.#..#.#.',
  '*': '.......#..#.#.#.###.#.#.#..#.......',
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export class Canvas {
  private readonly pixels: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.pixels = Buffer.alloc(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let yy = Math.max(0, Math.round(y)); yy < Math.min(this.height, Math.round(y + h)); yy++) {
      for (let xx = Math.max(0, Math.round(x)); xx < Math.min(this.width, Math.round(x + w)); xx++) {
        const at = (yy * this.width + xx) * 3;
        this.pixels[at] = color[0];
        this.pixels[at + 1] = color[1];
        this.pixels[at + 2] = color[2];
      }
    }
  }

  /** Draws text at (x, y), the top-left corner; `scale` pixels per font dot. Returns the width drawn. */
  text(x: number, y: number, text: string, color: Rgb = [0, 0, 0], scale = 2): number {
    let cx = x;
    for (const ch of text.toUpperCase()) {
      const glyph = FONT[ch] ?? FONT['*'];
      for (let i = 0; i < 35; i++) {
        if (glyph[i] === '#') {
          this.rect(cx + (i % 5) * scale, y + Math.floor(i / 5) * scale, scale, scale, color);
        }
      }
      cx += 6 * scale;
    }
    return cx - x;
  }

  static textWidth(text: string, scale = 2): number {
    return text.length * 6 * scale;
  }

  toPng(): Buffer {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (this.width * 3 + 1)] = 0; // filter: none
      this.pixels.copy(raw, y * (this.width * 3 + 1) + 1, y * this.width * 3, (y + 1) * this.width * 3);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header[8] = 8; // bit depth
    header[9] = 2; // colour type: RGB
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

export interface PlotRow {
  label: string;
  /** Bar length: the ratio to the bare NestJS route. */
  ratio: number;
  /** Printed at the bar's end. */
  note: string;
  /** Where the target sits, drawn as a tick. */
  target?: number;
  met?: boolean;
}

/** Horizontal bars of ratio to bare NestJS, with the target as a black tick and the figures written. */
export function ratioPlot(title: string, subtitle: string, rows: PlotRow[]): Buffer {
  const labelWidth = Math.max(...rows.map((r) => Canvas.textWidth(r.label))) + 20;
  const plotWidth = 620;
  const maxRatio = 1.5;
  const rowHeight = 34;
  const top = 70;
  const width = labelWidth + plotWidth + 330;
  const height = top + rows.length * rowHeight + 50;
  const c = new Canvas(width, height);
  c.text(10, 10, title, [0, 0, 0], 3);
  c.text(10, 42, subtitle, [90, 90, 90], 2);
  const x0 = labelWidth;
  const xOf = (ratio: number): number => x0 + (Math.min(ratio, maxRatio) / maxRatio) * plotWidth;
  for (const grid of [0.25, 0.5, 0.75, 1, 1.25, 1.5]) {
    c.rect(xOf(grid), top - 6, 1, rows.length * rowHeight + 6, [220, 220, 220]);
    c.text(xOf(grid) - 12, top + rows.length * rowHeight + 8, grid.toFixed(2), [90, 90, 90], 2);
  }
  rows.forEach((row, n) => {
    const y = top + n * rowHeight;
    c.text(10, y + 8, row.label, [0, 0, 0], 2);
    const color: Rgb = row.met === undefined ? [120, 144, 176] : row.met ? [64, 160, 96] : [208, 96, 64];
    c.rect(x0, y + 4, xOf(row.ratio) - x0, rowHeight - 10, color);
    if (row.ratio > maxRatio) {
      c.text(xOf(maxRatio) - 40, y + 8, '>>', [255, 255, 255], 2);
    }
    if (row.target !== undefined) {
      c.rect(xOf(row.target) - 1, y, 3, rowHeight - 2, [0, 0, 0]);
    }
    c.text(Math.max(xOf(row.ratio), row.target === undefined ? 0 : xOf(row.target)) + 8, y + 8, row.note, [0, 0, 0], 2);
  });
  c.rect(x0, top - 6, 1, rows.length * rowHeight + 6, [0, 0, 0]);
  c.text(x0, height - 18, 'RATIO TO THE BARE NESTJS ROUTE (BLACK TICK: TARGET)', [90, 90, 90], 1);
  return c.toPng();
}
