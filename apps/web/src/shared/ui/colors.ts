/**
 * Text colours dark enough for WCAG AA (4.5:1) on Mantine's light tints: the palettes' own
 * darkest shades of green, orange and yellow are not (axe measures it in the browser tests).
 */
const DARK: Record<string, string> = {
  green: '#1b5e20',
  teal: '#0b4f45',
  orange: '#7a3300',
  yellow: '#5c4400',
  red: '#8b1a1a',
  gray: '#343a40',
  blue: '#0b4a8b',
  violet: '#4b2a91',
  grape: '#6a1b6e',
};

export const darkText = (color: string): string => DARK[color] ?? '#212529';
