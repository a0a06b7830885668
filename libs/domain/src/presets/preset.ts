/**
 * Policy presets: everything that differs between the seed companies is configuration.
 * A preset is a readable JSON file in config/presets/<name>.json; `parsePreset` validates
 * it (listing every problem at once, for a clear start-up failure) and normalises it into
 * a `Preset`. Pure apart from `loadPreset`/`listPresets`, which read the preset folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CalendarSpec,
  COLOMBIA_HOLIDAYS,
  CountingMode,
  HolidayRule,
  MEXICO_HOLIDAYS,
  validateCalendarSpec,
  Weekday,
  WorkingRange,
} from '@helpdesk/calendar';

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const SEVERITIES = [1, 2, 3, 4] as const;
/** 1 is the worst (seed 003) */
export type Severity = (typeof SEVERITIES)[number];
export type ClassificationScheme = 'priority' | 'severity';
/** a priority (string) or a severity (number), per the preset's scheme */
export type Classification = Priority | Severity;

/** Holiday rule sets a preset may reference by name. */
export const HOLIDAY_SETS: Readonly<Record<string, readonly HolidayRule[]>> = {
  MX: MEXICO_HOLIDAYS,
  CO: COLOMBIA_HOLIDAYS,
};

export interface ResponseTarget {
  /** business minutes allowed until the first staff response */
  minutes: number;
  /** business minutes after which the ticket is at risk */
  warningMinutes: number;
}

/** keyed by priority ('low' | 'medium' | 'high') or severity ('1' .. '4') */
export type ResponseTargetTable = Record<string, ResponseTarget>;

export interface SupportLevelPreset {
  level: number;
  name: string;
  calendarId: string;
  responseTargets: ResponseTargetTable;
}

export interface EscalationLevelPreset {
  level: number;
  name: string;
}

export interface ProductPreset {
  id: string;
  name: string;
  /** last supported day ('YYYY-MM-DD', in the ticket calendar's zone); null = supported */
  endOfLife: string | null;
}

export interface DepartmentPreset {
  id: string;
  name: string;
}

export interface ContactAttemptRules {
  /** attempts needed before closing as no-customer-response (003: three) */
  required: number;
  /** the attempts must fall on that many distinct business days */
  distinctBusinessDays: boolean;
  /** calendar whose business days and zone the attempts are counted in */
  calendarId: string;
  /** wait announced when an attempt does not state one, in business days */
  defaultWaitBusinessDays: number;
}

/** locales the product ships message catalogs for (the company's language) */
export const PRESET_LOCALES = ['es-MX', 'es-CO'] as const;
export type PresetLocale = (typeof PRESET_LOCALES)[number];
/** ISO 4217 currencies of the seed companies */
export const PRESET_CURRENCIES = ['MXN', 'COP'] as const;
export type PresetCurrency = (typeof PRESET_CURRENCIES)[number];

/** seed 002 rule 6: no chasing a ticket until 40 minutes have passed */
export const DEFAULT_FOLLOW_UP_MINUTES = 40;

export interface Preset {
  name: string;
  /** recorded in events so the past is never recomputed from today's rules */
  version: string;
  title: string;
  /** the company the deployment serves (shown by the console) */
  company: { name: string };
  /** the company's language and number/date format (es-MX, es-CO) */
  locale: PresetLocale;
  /** ISO 4217 currency of quotes and charges */
  currency: PresetCurrency;
  /** minutes a customer waits after opening a ticket, or after the last follow-up, before asking for another (seed 002) */
  followUpMinutes: number;
  /** seed documents the preset comes from */
  sources: string[];
  scheme: ClassificationScheme;
  /** classification of a ticket nobody classified (and whose reporter gave none) */
  defaultClassification: Classification;
  /** resolved calendars (holiday set names expanded), by id */
  calendars: Record<string, CalendarSpec>;
  /** false when the seed has one set of targets for everybody (then there is one level, 1) */
  hasSupportLevels: boolean;
  supportLevels: SupportLevelPreset[];
  defaultSupportLevel: number;
  escalation: { levels: EscalationLevelPreset[]; autoEscalateOnBreach: boolean };
  products: ProductPreset[];
  contactAttempts: ContactAttemptRules;
  departments: DepartmentPreset[];
  notes: string[];
}

export class PresetError extends Error {
  constructor(
    readonly presetName: string,
    readonly problems: string[],
  ) {
    super(`Invalid preset '${presetName}' (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PresetError';
  }
}

export function classificationKeys(scheme: ClassificationScheme): string[] {
  return scheme === 'priority' ? [...PRIORITIES] : SEVERITIES.map(String);
}

export function isPriority(v: unknown): v is Priority {
  return typeof v === 'string' && (PRIORITIES as readonly string[]).includes(v);
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'number' && (SEVERITIES as readonly number[]).includes(v);
}

/** true when `v` is a valid value of the scheme */
export function isClassificationOf(scheme: ClassificationScheme, v: unknown): v is Classification {
  return scheme === 'priority' ? isPriority(v) : isSeverity(v);
}

/** higher = more urgent: low 1 .. high 3; severity 4 -> 1 .. severity 1 -> 4 */
export function urgencyOf(c: Classification): number {
  if (typeof c === 'number') return 5 - c;
  return PRIORITIES.indexOf(c) + 1;
}

const WEEKDAY_KEYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const NAME_RE = /^[a-z0-9][a-z0-9-]*$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isRealDate = (v: unknown): v is string => {
  if (typeof v !== 'string' || !DATE_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

/**
 * Validates raw preset JSON and returns the normalised `Preset`.
 * Throws a `PresetError` whose message lists every problem found (path: what is wrong).
 */
export function parsePreset(json: unknown): Preset {
  const problems: string[] = [];
  const bad = (p: string, msg: string) => problems.push(`${p}: ${msg}`);
  if (!isObj(json)) throw new PresetError('?', ['(root): must be a JSON object']);
  const name = isNonEmptyString(json.name) ? json.name : '?';

  const known = new Set([
    'name', 'version', 'title', 'sources', 'scheme', 'defaultClassification', 'calendars', 'calendarId',
    'responseTargets', 'supportLevels', 'defaultSupportLevel', 'escalation', 'products', 'contactAttempts',
    'departments', 'notes', 'company', 'locale', 'currency', 'followUpMinutes',
  ]);
  for (const k of Object.keys(json)) if (!known.has(k)) bad(k, 'unknown field');

  if (!isNonEmptyString(json.name) || !NAME_RE.test(json.name)) bad('name', 'required, lower-case letters, digits and dashes');
  if (!isNonEmptyString(json.version)) bad('version', 'required non-empty string (it is recorded in events)');
  if (json.title !== undefined && typeof json.title !== 'string') bad('title', 'must be a string');
  if (json.sources !== undefined && !(Array.isArray(json.sources) && json.sources.every((s) => typeof s === 'string')))
    bad('sources', 'must be an array of strings');
  if (json.notes !== undefined && !(Array.isArray(json.notes) && json.notes.every((s) => typeof s === 'string')))
    bad('notes', 'must be an array of strings');

  if (!isObj(json.company) || !isNonEmptyString(json.company.name)) bad('company', 'required: {"name": "<the company the desk serves>"}');
  else for (const k of Object.keys(json.company)) if (k !== 'name') bad(`company.${k}`, 'unknown field');
  if (!(PRESET_LOCALES as readonly unknown[]).includes(json.locale))
    bad('locale', `must be one of ${PRESET_LOCALES.join(', ')}, got ${JSON.stringify(json.locale)}`);
  if (!(PRESET_CURRENCIES as readonly unknown[]).includes(json.currency))
    bad('currency', `must be an ISO 4217 code among ${PRESET_CURRENCIES.join(', ')}, got ${JSON.stringify(json.currency)}`);
  if (json.followUpMinutes !== undefined && !(isPositiveInt(json.followUpMinutes) && json.followUpMinutes <= 7 * 24 * 60))
    bad('followUpMinutes', `must be a positive integer of minutes up to 10080, got ${JSON.stringify(json.followUpMinutes)}`);

  const scheme: ClassificationScheme | null =
    json.scheme === 'priority' || json.scheme === 'severity' ? json.scheme : null;
  if (!scheme) bad('scheme', `must be 'priority' (low/medium/high) or 'severity' (1-4), got ${JSON.stringify(json.scheme)}`);
  const keys = scheme ? classificationKeys(scheme) : [];

  if (scheme && !isClassificationOf(scheme, json.defaultClassification))
    bad('defaultClassification', `must be one of ${scheme === 'priority' ? keys.join(', ') : '1, 2, 3, 4 (a number)'}`);

  // calendars
  const calendars: Record<string, CalendarSpec> = {};
  if (!isObj(json.calendars) || Object.keys(json.calendars).length === 0) bad('calendars', 'required: an object of calendars by id');
  else {
    for (const [id, raw] of Object.entries(json.calendars)) {
      const p = `calendars.${id}`;
      if (!isObj(raw)) {
        bad(p, 'must be an object');
        continue;
      }
      const holidays: HolidayRule[] = [];
      const sets = raw.holidays === undefined ? [] : typeof raw.holidays === 'string' ? [raw.holidays] : raw.holidays;
      if (!Array.isArray(sets)) bad(`${p}.holidays`, `must be a holiday set name or an array of them (${Object.keys(HOLIDAY_SETS).join(', ')})`);
      else
        for (const s of sets) {
          if (typeof s === 'string' && HOLIDAY_SETS[s]) holidays.push(...HOLIDAY_SETS[s]);
          else bad(`${p}.holidays`, `unknown holiday set ${JSON.stringify(s)} (known: ${Object.keys(HOLIDAY_SETS).join(', ')})`);
        }
      const week = isObj(raw.week) ? (raw.week as Partial<Record<Weekday, WorkingRange[]>>) : {};
      if (!isObj(raw.week)) bad(`${p}.week`, 'required: working ranges per weekday, e.g. {"mon": [{"start": "09:00", "end": "18:00"}]}');
      else
        for (const k of Object.keys(raw.week))
          if (!WEEKDAY_KEYS.includes(k as Weekday)) bad(`${p}.week.${k}`, `unknown weekday (use ${WEEKDAY_KEYS.join(', ')})`);
      const spec: CalendarSpec = {
        id,
        zone: raw.zone as string,
        mode: raw.mode as CountingMode,
        week,
        holidays,
        extraHolidays: raw.extraHolidays === undefined ? [] : (raw.extraHolidays as string[]),
      };
      let calendarProblems: string[];
      try {
        calendarProblems = validateCalendarSpec(spec);
      } catch (e) {
        calendarProblems = [(e as Error).message];
      }
      for (const cp of calendarProblems) bad(p, cp);
      calendars[id] = spec;
    }
  }
  const calendarIds = Object.keys(calendars);
  const checkCalendarRef = (p: string, v: unknown) => {
    if (!isNonEmptyString(v)) bad(p, 'required calendar id');
    else if (!calendars[v]) bad(p, `unknown calendar '${v}' (defined: ${calendarIds.join(', ') || 'none'})`);
  };

  const parseTargets = (p: string, raw: unknown): ResponseTargetTable => {
    const table: ResponseTargetTable = {};
    if (!isObj(raw)) {
      bad(p, `required: a target per ${scheme ?? 'classification'} (${keys.join(', ')})`);
      return table;
    }
    for (const k of Object.keys(raw)) if (!keys.includes(k)) bad(`${p}.${k}`, `not a ${scheme ?? 'classification'} of this preset (use ${keys.join(', ')})`);
    for (const k of keys) {
      const t = raw[k];
      if (!isObj(t)) {
        bad(`${p}.${k}`, 'missing target: {"minutes": <integer>, "warningMinutes"?: <integer>}');
        continue;
      }
      if (!isPositiveInt(t.minutes)) {
        bad(`${p}.${k}.minutes`, `must be a positive integer number of minutes, got ${JSON.stringify(t.minutes)}`);
        continue;
      }
      let warningMinutes = Math.floor((t.minutes * 3) / 4);
      if (t.warningMinutes !== undefined) {
        if (!isPositiveInt(t.warningMinutes) || t.warningMinutes >= t.minutes)
          bad(`${p}.${k}.warningMinutes`, `must be a positive integer below minutes (${t.minutes}), got ${JSON.stringify(t.warningMinutes)}`);
        else warningMinutes = t.warningMinutes;
      }
      table[k] = { minutes: t.minutes, warningMinutes };
    }
    return table;
  };

  // response targets: either one table + calendarId, or per support level
  let supportLevels: SupportLevelPreset[] = [];
  let hasSupportLevels = false;
  let defaultSupportLevel = 1;
  if (json.supportLevels !== undefined) {
    hasSupportLevels = true;
    if (json.responseTargets !== undefined || json.calendarId !== undefined)
      bad('responseTargets', 'give either top-level responseTargets + calendarId or supportLevels, not both');
    if (!isObj(json.supportLevels) || Object.keys(json.supportLevels).length === 0) bad('supportLevels', 'must be an object of levels by number, e.g. {"1": {...}}');
    else
      for (const [lv, raw] of Object.entries(json.supportLevels)) {
        const p = `supportLevels.${lv}`;
        const level = Number(lv);
        if (!Number.isInteger(level) || level < 1 || String(level) !== lv) {
          bad(p, 'level keys must be positive integers');
          continue;
        }
        if (!isObj(raw)) {
          bad(p, 'must be an object');
          continue;
        }
        if (!isNonEmptyString(raw.name)) bad(`${p}.name`, 'required');
        checkCalendarRef(`${p}.calendarId`, raw.calendarId);
        supportLevels.push({
          level,
          name: String(raw.name ?? ''),
          calendarId: String(raw.calendarId ?? ''),
          responseTargets: parseTargets(`${p}.responseTargets`, raw.responseTargets),
        });
      }
    supportLevels = supportLevels.sort((a, b) => a.level - b.level);
    if (json.defaultSupportLevel === undefined) defaultSupportLevel = supportLevels[0]?.level ?? 1;
    else if (!supportLevels.some((l) => l.level === json.defaultSupportLevel))
      bad('defaultSupportLevel', `must be one of the defined levels (${supportLevels.map((l) => l.level).join(', ')})`);
    else defaultSupportLevel = json.defaultSupportLevel as number;
  } else {
    if (json.defaultSupportLevel !== undefined) bad('defaultSupportLevel', 'only meaningful with supportLevels');
    checkCalendarRef('calendarId', json.calendarId);
    supportLevels = [
      { level: 1, name: 'standard', calendarId: String(json.calendarId ?? ''), responseTargets: parseTargets('responseTargets', json.responseTargets) },
    ];
  }

  // escalation
  const escalation: Preset['escalation'] = { levels: [], autoEscalateOnBreach: false };
  if (!isObj(json.escalation)) bad('escalation', 'required: {"levels": [names...], "autoEscalateOnBreach": boolean}');
  else {
    const lv = json.escalation.levels;
    if (!Array.isArray(lv) || lv.length === 0 || !lv.every(isNonEmptyString))
      bad('escalation.levels', 'must be a non-empty array of level names, level 1 first (e.g. "assigned engineer")');
    else escalation.levels = lv.map((n, i) => ({ level: i + 1, name: n as string }));
    if (typeof json.escalation.autoEscalateOnBreach !== 'boolean') bad('escalation.autoEscalateOnBreach', 'must be true or false');
    else escalation.autoEscalateOnBreach = json.escalation.autoEscalateOnBreach;
    for (const k of Object.keys(json.escalation))
      if (k !== 'levels' && k !== 'autoEscalateOnBreach') bad(`escalation.${k}`, 'unknown field');
  }

  // products
  const products: ProductPreset[] = [];
  if (json.products !== undefined && !Array.isArray(json.products)) bad('products', 'must be an array');
  else
    ((json.products as unknown[]) ?? []).forEach((raw, i) => {
      const p = `products[${i}]`;
      if (!isObj(raw)) return bad(p, 'must be an object {id, name, endOfLife}');
      if (!isNonEmptyString(raw.id)) bad(`${p}.id`, 'required');
      if (!isNonEmptyString(raw.name)) bad(`${p}.name`, 'required');
      const eol = raw.endOfLife ?? null;
      if (eol !== null && !isRealDate(eol)) bad(`${p}.endOfLife`, `must be null or a date YYYY-MM-DD, got ${JSON.stringify(eol)}`);
      if (products.some((x) => x.id === raw.id)) bad(`${p}.id`, `duplicate product id '${String(raw.id)}'`);
      products.push({ id: String(raw.id), name: String(raw.name), endOfLife: (eol as string | null) ?? null });
    });

  // contact attempts
  const contactAttempts: ContactAttemptRules = { required: 3, distinctBusinessDays: true, calendarId: supportLevels[0]?.calendarId ?? '', defaultWaitBusinessDays: 2 };
  if (!isObj(json.contactAttempts)) bad('contactAttempts', 'required: {"required": 3, "distinctBusinessDays": true, "calendarId": "...", "defaultWaitBusinessDays": 2}');
  else {
    const c = json.contactAttempts;
    if (!isPositiveInt(c.required)) bad('contactAttempts.required', 'must be a positive integer');
    else contactAttempts.required = c.required;
    if (typeof c.distinctBusinessDays !== 'boolean') bad('contactAttempts.distinctBusinessDays', 'must be true or false');
    else contactAttempts.distinctBusinessDays = c.distinctBusinessDays;
    checkCalendarRef('contactAttempts.calendarId', c.calendarId);
    contactAttempts.calendarId = String(c.calendarId ?? '');
    if (!(typeof c.defaultWaitBusinessDays === 'number' && Number.isInteger(c.defaultWaitBusinessDays) && c.defaultWaitBusinessDays >= 0))
      bad('contactAttempts.defaultWaitBusinessDays', 'must be a non-negative integer');
    else contactAttempts.defaultWaitBusinessDays = c.defaultWaitBusinessDays;
  }

  // departments
  const departments: DepartmentPreset[] = [];
  if (!Array.isArray(json.departments) || json.departments.length === 0) bad('departments', 'required: a non-empty array of {id, name}');
  else
    json.departments.forEach((raw, i) => {
      const p = `departments[${i}]`;
      if (!isObj(raw) || !isNonEmptyString(raw.id) || !isNonEmptyString(raw.name)) return bad(p, 'must be {"id": "...", "name": "..."}');
      if (departments.some((d) => d.id === raw.id)) bad(`${p}.id`, `duplicate department id '${raw.id}'`);
      departments.push({ id: raw.id, name: raw.name });
    });

  if (problems.length > 0) throw new PresetError(name, problems);
  return {
    name: json.name as string,
    version: json.version as string,
    title: (json.title as string | undefined) ?? (json.name as string),
    company: { name: (json.company as Obj).name as string },
    locale: json.locale as PresetLocale,
    currency: json.currency as PresetCurrency,
    followUpMinutes: (json.followUpMinutes as number | undefined) ?? DEFAULT_FOLLOW_UP_MINUTES,
    sources: (json.sources as string[] | undefined) ?? [],
    scheme: scheme as ClassificationScheme,
    defaultClassification: json.defaultClassification as Classification,
    calendars,
    hasSupportLevels,
    supportLevels,
    defaultSupportLevel,
    escalation,
    products,
    contactAttempts,
    departments,
    notes: (json.notes as string[] | undefined) ?? [],
  };
}

/** The support level whose targets apply (the default when absent or the preset has no levels). */
export function supportLevelFor(preset: Preset, supportLevel?: number | null): SupportLevelPreset {
  const wanted = preset.hasSupportLevels ? (supportLevel ?? preset.defaultSupportLevel) : preset.defaultSupportLevel;
  const found = preset.supportLevels.find((l) => l.level === wanted);
  if (!found)
    throw new Error(`preset ${preset.name} has no support level ${wanted} (levels: ${preset.supportLevels.map((l) => l.level).join(', ')})`);
  return found;
}

export interface ResolvedResponseTarget {
  minutes: number;
  warningMinutes: number;
  calendarId: string;
  mode: CountingMode;
  zone: string;
  /** the support level the target was read from; null when the preset has no levels */
  supportLevel: number | null;
}

/**
 * The response target for a classification (priority or severity, per the preset's
 * scheme) and a customer's support level. Throws when the classification does not
 * belong to the scheme.
 */
export function responseTargetFor(
  preset: Preset,
  query: { priority?: Priority | null; severity?: Severity | null; classification?: Classification | null; supportLevel?: number | null },
): ResolvedResponseTarget {
  const value = query.classification ?? (preset.scheme === 'priority' ? query.priority : query.severity);
  if (!isClassificationOf(preset.scheme, value))
    throw new Error(`preset ${preset.name} uses ${preset.scheme}; got ${JSON.stringify(query)}`);
  const level = supportLevelFor(preset, query.supportLevel);
  const target = level.responseTargets[String(value)];
  const calendar = preset.calendars[level.calendarId];
  return {
    minutes: target.minutes,
    warningMinutes: target.warningMinutes,
    calendarId: level.calendarId,
    mode: calendar.mode,
    zone: calendar.zone,
    supportLevel: preset.hasSupportLevels ? level.level : null,
  };
}

export function escalationLevelName(preset: Preset, level: number): string {
  return preset.escalation.levels.find((l) => l.level === level)?.name ?? `level ${level}`;
}

export function maxEscalationLevel(preset: Preset): number {
  return preset.escalation.levels.length;
}

/** Finds a catalog product by id or (case/accent-insensitive) name. */
export function findProduct(preset: Preset, product: string): ProductPreset | undefined {
  const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  const wanted = norm(product);
  return preset.products.find((p) => p.id === product || norm(p.id) === wanted || norm(p.name) === wanted);
}

/** Folder holding the shipped presets: $HELPDESK_PRESET_DIR, else the nearest config/presets up from here or the cwd. */
export function defaultPresetDir(): string {
  const env = process.env.HELPDESK_PRESET_DIR;
  if (env) return env;
  const starts = [__dirname, process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, 'config', 'presets');
      if (fs.existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return path.resolve(process.cwd(), 'config', 'presets');
}

export function listPresets(dir: string = defaultPresetDir()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Reads and validates config/presets/<name>.json. Unknown name: an error listing the available presets. */
export function loadPreset(name: string, dir: string = defaultPresetDir()): Preset {
  const available = listPresets(dir);
  if (!NAME_RE.test(name) || !available.includes(name))
    throw new Error(`Unknown preset '${name}' in ${dir}; available: ${available.join(', ') || '(none)'}`);
  const file = path.join(dir, `${name}.json`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PresetError(name, [`${file}: not readable JSON (${(e as Error).message})`]);
  }
  const preset = parsePreset(json);
  if (preset.name !== name) throw new PresetError(name, [`name: file ${name}.json declares name '${preset.name}'`]);
  return preset;
}
