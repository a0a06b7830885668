import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BusinessCalendar } from '@helpdesk/calendar';
import { DateTime } from 'luxon';
import { listPresets, loadPreset, parsePreset, Preset, PresetError, responseTargetFor, urgencyOf } from '../../src/presets';

const PRESET_DIR = path.resolve(__dirname, '../../../../config/presets');
const raw = (name: string) => JSON.parse(fs.readFileSync(path.join(PRESET_DIR, `${name}.json`), 'utf8'));
const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const inZone = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

function dueLocal(preset: Preset, query: Parameters<typeof responseTargetFor>[1], receivedLocal: string) {
  const t = responseTargetFor(preset, query);
  const cal = new BusinessCalendar(preset.calendars[t.calendarId]);
  const start = local(receivedLocal, t.zone);
  return {
    due: inZone(cal.addBusinessMinutes(start, t.minutes), t.zone),
    warning: inZone(cal.addBusinessMinutes(start, t.warningMinutes), t.zone),
    target: t,
  };
}

describe('shipped presets', () => {
  it('lists and loads the three presets from config/presets', () => {
    expect(listPresets(PRESET_DIR)).toEqual(['impera', 'intecnia', 'soporte-niveles']);
    for (const name of ['impera', 'intecnia', 'soporte-niveles']) {
      const p = loadPreset(name, PRESET_DIR);
      expect(p.name).toBe(name);
      expect(p.version).toMatch(/\S/);
      for (const spec of Object.values(p.calendars)) expect(() => new BusinessCalendar(spec)).not.toThrow();
    }
  });

  it('names the company, its locale and currency, and the follow-up wait (seed 002: 40 minutes)', () => {
    const got = ['impera', 'intecnia', 'soporte-niveles'].map((n) => {
      const p = loadPreset(n, PRESET_DIR);
      return [p.name, p.locale, p.currency, p.followUpMinutes, p.company.name.length > 0];
    });
    expect(got).toEqual([
      ['impera', 'es-MX', 'MXN', 40, true],
      ['intecnia', 'es-MX', 'MXN', 40, true],
      ['soporte-niveles', 'es-CO', 'COP', 40, true],
    ]);
    const withoutWait = raw('impera');
    delete withoutWait.followUpMinutes;
    expect(parsePreset(withoutWait).followUpMinutes).toBe(40);
  });

  it('finds config/presets without being told the folder', () => {
    expect(loadPreset('impera').name).toBe('impera');
  });

  it('impera: priority scheme, 72/48/24 h of business days, warning at 75%, MX holidays resolved', () => {
    const p = loadPreset('impera', PRESET_DIR);
    expect(p.scheme).toBe('priority');
    expect(p.hasSupportLevels).toBe(false);
    expect(p.supportLevels[0].responseTargets).toEqual({
      low: { minutes: 4320, warningMinutes: 3240 },
      medium: { minutes: 2880, warningMinutes: 2160 },
      high: { minutes: 1440, warningMinutes: 1080 },
    });
    const cal = p.calendars['mx-attention'];
    expect(cal.mode).toBe('business-days');
    expect(cal.zone).toBe('America/Mexico_City');
    expect(cal.holidays.length).toBeGreaterThan(5);
    expect(p.escalation.autoEscalateOnBreach).toBe(false);
    expect(p.contactAttempts).toMatchObject({ required: 3, distinctBusinessDays: true });
  });

  it('intecnia: severity 1-4 = 8/10/12/24 business hours, three escalation levels, auto-escalation', () => {
    const p = loadPreset('intecnia', PRESET_DIR);
    expect(p.scheme).toBe('severity');
    expect(p.defaultClassification).toBe(1);
    expect([1, 2, 3, 4].map((s) => responseTargetFor(p, { severity: s as 1 }).minutes)).toEqual([480, 600, 720, 1440]);
    expect(responseTargetFor(p, { severity: 1 }).warningMinutes).toBe(360);
    expect(p.escalation.levels.map((l) => l.name)).toEqual(['assigned engineer', 'quality lead', 'operations manager']);
    expect(p.escalation.autoEscalateOnBreach).toBe(true);
    expect(p.calendars['mx-split-day'].week.mon).toEqual([
      { start: '09:00', end: '14:00' },
      { start: '16:00', end: '19:00' },
    ]);
  });

  it('soporte-niveles: per-level targets with seed ranges as warning, level 3 on 24/7, default level 1', () => {
    const p = loadPreset('soporte-niveles', PRESET_DIR);
    expect(p.hasSupportLevels).toBe(true);
    expect(responseTargetFor(p, { priority: 'medium', supportLevel: 1 })).toMatchObject({ minutes: 300, warningMinutes: 180, calendarId: 'co-business', supportLevel: 1 });
    expect(responseTargetFor(p, { priority: 'low', supportLevel: 1 })).toMatchObject({ minutes: 360, warningMinutes: 300 });
    expect(responseTargetFor(p, { priority: 'high', supportLevel: 1 })).toMatchObject({ minutes: 60, warningMinutes: 45 });
    expect(responseTargetFor(p, { priority: 'medium', supportLevel: 2 })).toMatchObject({ minutes: 180, warningMinutes: 120 });
    expect(responseTargetFor(p, { priority: 'low', supportLevel: 2 })).toMatchObject({ minutes: 240, warningMinutes: 180 });
    expect(responseTargetFor(p, { priority: 'low', supportLevel: 3 })).toMatchObject({ minutes: 60, calendarId: 'always-open', zone: 'America/Bogota' });
    expect(responseTargetFor(p, { priority: 'low' })).toMatchObject({ supportLevel: 1, minutes: 360 });
    expect(() => responseTargetFor(p, { priority: 'low', supportLevel: 7 })).toThrow(/no support level 7/);
  });

  it('responseTargetFor refuses a classification of the other scheme', () => {
    expect(() => responseTargetFor(loadPreset('impera', PRESET_DIR), { severity: 1 })).toThrow(/uses priority/);
    expect(() => responseTargetFor(loadPreset('intecnia', PRESET_DIR), { priority: 'high' })).toThrow(/uses severity/);
  });

  it('urgency orders priorities and severities (1 is the worst)', () => {
    expect(urgencyOf('high')).toBeGreaterThan(urgencyOf('medium'));
    expect(urgencyOf('medium')).toBeGreaterThan(urgencyOf('low'));
    expect(urgencyOf(1)).toBeGreaterThan(urgencyOf(2));
    expect(urgencyOf(3)).toBeGreaterThan(urgencyOf(4));
  });
});

describe('response targets on real instants', () => {
  it('impera high received Friday 2026-11-13 15:00 before the Monday 16 holiday is due Tuesday 17 15:00', () => {
    const r = dueLocal(loadPreset('impera', PRESET_DIR), { priority: 'high' }, '2026-11-13T15:00');
    expect(r.due).toBe('2026-11-17T15:00');
    // 18 h of business days: 9 h on Friday, then 9 h of Tuesday
    expect(r.warning).toBe('2026-11-17T09:00');
  });

  it('impera low (72 h of business days) received on a Saturday starts counting Monday 00:00', () => {
    const r = dueLocal(loadPreset('impera', PRESET_DIR), { priority: 'low' }, '2026-03-07T11:00');
    expect(r.due).toBe('2026-03-12T00:00');
  });

  it('intecnia severity 1 on the split day: 8 business hours from Monday 12:00 ends Tuesday 12:00', () => {
    // Mon 12-14 (2 h) + 16-19 (3 h) + Tue 09-12 (3 h)
    const r = dueLocal(loadPreset('intecnia', PRESET_DIR), { severity: 1 }, '2026-03-02T12:00');
    expect(r.due).toBe('2026-03-03T12:00');
    expect(r.warning).toBe('2026-03-03T10:00');
  });

  it('intecnia severity 1 received during the lunch gap starts at 16:00 and ends at 19:00 the next day', () => {
    const r = dueLocal(loadPreset('intecnia', PRESET_DIR), { severity: 1 }, '2026-03-02T14:30');
    // Mon 16-19 (3 h) + Tue 09-14 (5 h)
    expect(r.due).toBe('2026-03-03T14:00');
  });

  it('soporte-niveles level 3 runs 24/7: Saturday 23:30 is due Sunday 00:30', () => {
    const r = dueLocal(loadPreset('soporte-niveles', PRESET_DIR), { priority: 'low', supportLevel: 3 }, '2026-05-02T23:30');
    expect(r.due).toBe('2026-05-03T00:30');
    expect(r.warning).toBe('2026-05-03T00:15');
  });

  it('soporte-niveles level 1 high on Friday 17:30 skips the weekend and the Monday Ascension holiday', () => {
    const r = dueLocal(loadPreset('soporte-niveles', PRESET_DIR), { priority: 'high', supportLevel: 1 }, '2026-05-15T17:30');
    expect(r.due).toBe('2026-05-19T08:30');
  });

  it('soporte-niveles level 2 medium: 3 business hours, warning after 2', () => {
    const r = dueLocal(loadPreset('soporte-niveles', PRESET_DIR), { priority: 'medium', supportLevel: 2 }, '2026-03-03T16:00');
    expect(r.due).toBe('2026-03-04T09:00');
    // a target used up exactly at closing ends there, not at the next opening
    expect(r.warning).toBe('2026-03-03T18:00');
  });
});

describe('broken presets', () => {
  it('lists every problem with its path', () => {
    const broken = raw('intecnia');
    broken.version = '';
    broken.scheme = 'stars';
    broken.calendars['mx-split-day'].zone = 'Mars/Olympus';
    broken.calendars['mx-split-day'].holidays = ['XX'];
    broken.responseTargets['1'] = { minutes: 7.5 };
    broken.escalation.autoEscalateOnBreach = 'yes';
    broken.products.push({ id: 'x', name: 'X', endOfLife: '2020-02-30' });
    broken.colour = 'blue';
    broken.company = { name: '' };
    broken.locale = 'pt-BR';
    broken.currency = 'usd';
    broken.followUpMinutes = 0;
    let error: unknown;
    try {
      parsePreset(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PresetError);
    const problems = (error as PresetError).problems.join('\n');
    expect(problems).toMatch(/^version:/m);
    expect(problems).toMatch(/^scheme: must be 'priority'.*'severity'/m);
    expect(problems).toMatch(/calendars\.mx-split-day: zone "Mars\/Olympus"/);
    expect(problems).toMatch(/calendars\.mx-split-day\.holidays: unknown holiday set "XX" \(known: MX, CO\)/);
    expect(problems).toMatch(/escalation\.autoEscalateOnBreach/);
    expect(problems).toMatch(/products\[5\]\.endOfLife/);
    expect(problems).toMatch(/^colour: unknown field/m);
    expect(problems).toMatch(/^company: required/m);
    expect(problems).toMatch(/^locale: must be one of es-MX, es-CO, got "pt-BR"/m);
    expect(problems).toMatch(/^currency: must be an ISO 4217 code among MXN, COP, got "usd"/m);
    expect(problems).toMatch(/^followUpMinutes: must be a positive integer/m);
    expect((error as Error).message).toMatch(/^Invalid preset 'intecnia' \(\d+ problems\):\n  - /);
  });

  it('checks targets against the scheme and calendar references', () => {
    const broken = raw('soporte-niveles');
    delete broken.supportLevels['2'].responseTargets.low;
    broken.supportLevels['1'].responseTargets.medium = { minutes: 300, warningMinutes: 300 };
    broken.supportLevels['3'].calendarId = 'nope';
    broken.supportLevels['3'].responseTargets['1'] = { minutes: 60 };
    broken.defaultClassification = 2;
    expect(() => parsePreset(broken)).toThrow(PresetError);
    try {
      parsePreset(broken);
    } catch (e) {
      const problems = (e as PresetError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^supportLevels\.2\.responseTargets\.low: missing target/),
          expect.stringMatching(/^supportLevels\.1\.responseTargets\.medium\.warningMinutes: must be a positive integer below minutes \(300\)/),
          expect.stringMatching(/^supportLevels\.3\.calendarId: unknown calendar 'nope' \(defined: co-business, always-open\)/),
          expect.stringMatching(/^supportLevels\.3\.responseTargets\.1: not a priority of this preset/),
          expect.stringMatching(/^defaultClassification: must be one of low, medium, high/),
        ]),
      );
    }
  });

  it('rejects a non-object', () => {
    expect(() => parsePreset([])).toThrow(/must be a JSON object/);
  });

  it('an unknown preset name lists the available ones; a file whose name differs is refused', () => {
    expect(() => loadPreset('softlik', PRESET_DIR)).toThrow("Unknown preset 'softlik' in " + PRESET_DIR + '; available: impera, intecnia, soporte-niveles');
    expect(() => loadPreset('../impera', PRESET_DIR)).toThrow(/Unknown preset/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presets-'));
    fs.writeFileSync(path.join(dir, 'copy.json'), JSON.stringify(raw('impera')));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    expect(() => loadPreset('copy', dir)).toThrow(/declares name 'impera'/);
    expect(() => loadPreset('bad', dir)).toThrow(/not readable JSON/);
  });
});
