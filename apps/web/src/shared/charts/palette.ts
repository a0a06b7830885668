/** series colours for charts: distinct, dark enough on white; series are always named too */
export const SERIES_COLORS = ['blue.8', 'teal.8', 'grape.7', 'orange.8', 'indigo.6', 'cyan.9', 'pink.8', 'lime.9', 'violet.8', 'yellow.9'];
export const OTHER_COLOR = 'gray.6';

/** minutes as hours with one decimal (charts' unit) */
export const hours = (minutes: number): number => Math.round(minutes / 6) / 10;
