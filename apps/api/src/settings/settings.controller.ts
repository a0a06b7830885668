import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { TicketRules } from '@helpdesk/domain';
import { APP_CONFIG, AppConfig } from '../config';
import { ApiProblems } from '../http/openapi';
import { CLOCK, Clock, TICKET_RULES } from '../infrastructure/tokens';
import { settingsOf } from './settings';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const CLOCK_TIME = '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$';

class CompanyDto {
  @ApiProperty({ example: 'Impera Consultoría en T.I.' }) name!: string;
}
class PresetRefDto {
  @ApiProperty({ example: 'impera' }) name!: string;
  @ApiProperty({ example: '2026.1' }) version!: string;
  @ApiProperty() title!: string;
}
class WorkingRangeDto {
  @ApiProperty({ pattern: CLOCK_TIME, example: '09:00' }) start!: string;
  @ApiProperty({ pattern: CLOCK_TIME, example: '18:00' }) end!: string;
}
class WeekDto {
  @ApiProperty({ type: [WorkingRangeDto] }) mon!: WorkingRangeDto[];
  @ApiProperty({ type: [WorkingRangeDto] }) tue!: WorkingRangeDto[];
  @ApiProperty({ type: [WorkingRangeDto] }) wed!: WorkingRangeDto[];
  @ApiProperty({ type: [WorkingRangeDto] }) thu!: WorkingRangeDto[];
  @ApiProperty({ type: [WorkingRangeDto] }) fri!: WorkingRangeDto[];
  @ApiProperty({ type: [WorkingRangeDto] }) sat!: WorkingRangeDto[];
  @ApiProperty({ type: [WorkingRangeDto] }) sun!: WorkingRangeDto[];
}
class HolidayDto {
  @ApiProperty({ format: 'date', pattern: DATE, example: '2026-11-16' }) date!: string;
  @ApiProperty({ example: 'Día de la Revolución' }) name!: string;
}
class CalendarDto {
  @ApiProperty({ example: 'mx-attention' }) id!: string;
  @ApiProperty({ example: 'America/Mexico_City', description: 'IANA time zone' }) zone!: string;
  @ApiProperty({ enum: ['business-hours', 'business-days'], description: 'business-hours: only minutes inside the working ranges count; business-days: every minute of a business day counts' })
  mode!: 'business-hours' | 'business-days';
  @ApiProperty({ type: WeekDto, description: 'working ranges per weekday (empty: day off)' }) week!: WeekDto;
  @ApiProperty({ type: [HolidayDto], description: "holidays of the current year and the next, in the calendar's zone" }) holidays!: HolidayDto[];
}
class ClassificationDto {
  @ApiProperty({ enum: ['priority', 'severity'] }) scheme!: 'priority' | 'severity';
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'string', enum: ['low', 'medium', 'high'] }, { type: 'integer', minimum: 1, maximum: 4 }] },
    description: "priority: ['low','medium','high']; severity: [1,2,3,4] (1 is the worst)",
  })
  values!: Array<string | number>;
  @ApiProperty({ oneOf: [{ type: 'string', enum: ['low', 'medium', 'high'] }, { type: 'integer', minimum: 1, maximum: 4 }], description: 'the class of a ticket nobody classified' })
  default!: string | number;
}
class ResponseTargetDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'business minutes until the first response' }) minutes!: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'business minutes after which the ticket is at risk' }) warningMinutes!: number;
}
@ApiExtraModels(ResponseTargetDto)
class SupportLevelDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) level!: number;
  @ApiProperty() name!: string;
  @ApiProperty() calendarId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ResponseTargetDto) },
    description: "by priority ('low','medium','high') or severity ('1'..'4')",
  })
  responseTargets!: Record<string, ResponseTargetDto>;
}
class NamedDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}
class ProductDto extends NamedDto {
  @ApiProperty({ type: String, format: 'date', pattern: DATE, nullable: true, description: 'last supported day; null: supported' }) endOfLife!: string | null;
}
class PlanDto {
  @ApiProperty({ enum: ['basic', 'business', 'business-plus', 'corporate'] }) id!: string;
  @ApiProperty({ type: 'integer', description: 'minutes a year' }) minutes!: number;
  @ApiProperty({ type: 'integer', description: "included advice at the company's facilities, minutes" }) facilityMinutes!: number;
  @ApiProperty({ type: 'integer', description: 'included advice on site, minutes' }) onSiteMinutes!: number;
}
class EscalationLevelDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) level!: number;
  @ApiProperty({ example: 'quality lead' }) name!: string;
}
class AttachmentLimitsDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'largest upload accepted, bytes (ATTACHMENTS_MAX_BYTES)' }) maxBytes!: number;
}

export class SettingsDto {
  @ApiProperty({ type: CompanyDto }) company!: CompanyDto;
  @ApiProperty({ type: PresetRefDto }) preset!: PresetRefDto;
  @ApiProperty({ enum: ['es-MX', 'es-CO'] }) locale!: 'es-MX' | 'es-CO';
  @ApiProperty({ enum: ['MXN', 'COP'], description: 'ISO 4217' }) currency!: 'MXN' | 'COP';
  @ApiProperty({ example: 'America/Mexico_City', description: "the company's zone (the default calendar's)" }) timeZone!: string;
  @ApiProperty() defaultCalendarId!: string;
  @ApiProperty({ type: [CalendarDto] }) calendars!: CalendarDto[];
  @ApiProperty({ type: ClassificationDto }) classification!: ClassificationDto;
  @ApiProperty({ type: [SupportLevelDto] }) supportLevels!: SupportLevelDto[];
  @ApiProperty({ type: [NamedDto] }) departments!: NamedDto[];
  @ApiProperty({ type: [ProductDto] }) products!: ProductDto[];
  @ApiProperty({ type: [PlanDto] }) plans!: PlanDto[];
  @ApiProperty({ type: [EscalationLevelDto] }) escalationLevels!: EscalationLevelDto[];
  @ApiProperty({ type: 'integer', minimum: 1, example: 40, description: 'minutes a customer waits after opening a ticket, or after the last follow-up, before asking for another (seed 002)' })
  followUpMinutes!: number;
  @ApiProperty({ type: AttachmentLimitsDto }) attachments!: AttachmentLimitsDto;
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TICKET_RULES) private readonly rules: TicketRules,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: "The deployment's settings: company, preset, locale, currency, zone, calendars with this year's and next year's holidays, classification, support levels, departments, products, plans, escalation levels" })
  @ApiOkResponse({ type: SettingsDto })
  @ApiProblems(401)
  settings(): SettingsDto {
    return settingsOf(this.config.preset, (id) => this.rules.calendar(id), this.clock.now().getTime(), this.config.attachmentsMaxBytes) as SettingsDto;
  }
}
