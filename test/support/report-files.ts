// Reading back what a report attaches: its CSV (RFC 4180, as a spreadsheet reads it) and its chart (a PNG's
// size from its header, and where the bars are from its pixels).

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks; lines end in CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      [row, cell] = [[], ''];
      i++;
    } else cell += c;
  }
  return rows;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's width and height from its IHDR chunk; undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR')
    return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * The bars of one colour in a chart, left to right: each run of columns holding that colour, with its middle
 * and its height in pixels (the tallest stretch of that colour in its middle column).
 */
export async function barsIn(png: Buffer, color: string): Promise<{ x: number; height: number }[]> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, image.width, image.height);
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(color.slice(at, at + 2), 16));
  const isBar = (x: number, y: number) => {
    const at = (y * width + x) * 4;
    return data[at] === r && data[at + 1] === g && data[at + 2] === b;
  };
  const heightAt = (x: number) => {
    let tallest = 0;
    let run = 0;
    for (let y = 0; y < height; y++) {
      run = isBar(x, y) ? run + 1 : 0;
      tallest = Math.max(tallest, run);
    }
    return tallest;
  };
  const bars: { x: number; height: number }[] = [];
  let start: number | undefined;
  for (let x = 0; x <= width; x++) {
    const inside = x < width && heightAt(x) > 0;
    if (inside && start === undefined) start = x;
    if (!inside && start !== undefined) {
      const middle = Math.floor((start + x - 1) / 2);
      bars.push({ x: middle, height: heightAt(middle) });
      start = undefined;
    }
  }
  return bars;
}
