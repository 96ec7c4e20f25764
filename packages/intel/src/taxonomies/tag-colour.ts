/**
 * The colours MISP gives taxonomy tags that carry no `colour` of their own
 * (ColourPaletteTool::generatePaletteFromString): the hue comes from the sum of
 * the namespace's character codes, and the brightness steps from 20% to 100%
 * over the taxonomy's tags in order. Reproduced so tags created by waggle look
 * the same as on a MISP instance.
 */
export function taxonomyPalette(namespace: string, count: number): string[] {
  let sum = 0;
  // PHP converts to ASCII first: every non-ASCII character becomes '?'.
  for (const char of namespace) sum += char.charCodeAt(0) < 128 ? char.charCodeAt(0) : 63;
  const hue = (sum % 100) / 100;
  const steps = 80 / count;
  const colours: string[] = [];
  for (let i = 0; i < count; i++) colours.push(hsvToHex(hue, 1, (20 + steps * (i + 1)) / 100));
  return colours;
}

function hsvToHex(hue: number, saturation: number, value: number): string {
  const h = hue * 6;
  const sector = Math.floor(h);
  const f = h - sector;
  const m = value * (1 - saturation);
  const n = value * (1 - saturation * f);
  const k = value * (1 - saturation * (1 - f));
  const rgb: readonly [number, number, number] =
    sector === 0 ? [value, k, m] : sector === 1 ? [n, value, m] : sector === 2 ? [m, value, k] : sector === 3 ? [m, n, value] : sector === 4 ? [k, m, value] : [value, m, n];
  return `#${rgb.map((channel) => Math.round(channel * 255).toString(16).padStart(2, '0')).join('')}`;
}
