/**
 * Traditional → Simplified Chinese (OpenCC's Taiwan and Hong Kong tables):
 * people type 規上工業總產值, and some reports (older ones, from Hong Kong or
 * Taiwan) are written in Traditional script, while the rest is Simplified.
 * Folding both sides makes them meet. Characters already Simplified pass
 * through unchanged. Use it for matching, never for text that is quoted.
 */
import * as OpenCC from 'opencc-js/t2cn';

const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });

/** @example toSimplified('規上工業總產值') // '规上工业总产值' */
export function toSimplified(text: string): string {
  return fromHongKong(fromTaiwan(text));
}
