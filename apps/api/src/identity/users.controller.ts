import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCookieAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { UserEvent } from '@helpdesk/domain';
import { linkToken, linkUrl } from '@helpdesk/identity';
import { UserRecord, accessLog, getUser, listUsers } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import { AuthenticatedRequest, Roles, isStaff } from '../http/auth';
import { MinPositionInterceptor } from '../http/min-position.interceptor';
import { ApiProblems, MIN_POSITION_HEADER } from '../http/openapi';
import { notFound } from '../http/problem';
import { Envelopes } from '../http/request';
import { READ_STORE } from '../infrastructure/tokens';
import {
  AccessPageDto,
  AccessQueryDto,
  ApproverDto,
  ChangeRolesDto,
  InvitationAnswerDto,
  InviteUserDto,
  ReasonDto,
  UserCommandAnswerDto,
  UserDto,
  UserPageDto,
  UsersQueryDto,
} from './dtos';
import { IdentityService, defaultLanguage } from './identity.service';
import { InviteUserMessage, UserCommandMessage, UserCommandOutcome } from './user-handlers';

const CSRF_HEADER = { name: 'X-CSRF-Token', required: false, description: 'required with the session cookie: the csrfToken of GET /api/me' };

/** what a customer's contact sees of the other contacts of their customer */
function contactView(u: UserRecord): Partial<UserRecord> {
  return { userId: u.userId, kind: u.kind, email: u.email, name: u.name, roles: u.roles, customerId: u.customerId, approver: u.approver, status: u.status };
}

const staffView = ({ _id, ...u }: UserRecord) => u;

/**
 * People: staff (admin, supervisor, agent, auditor read everyone) and customers' contacts
 * (who see only their own customer's contacts, fewer fields). Invitations, roles, approver
 * rights, deactivation; the access log for auditors.
 */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class UsersController {
  constructor(
    private readonly bus: CommandBus,
    private readonly envelopes: Envelopes,
    private readonly identity: IdentityService,
    @Inject(READ_STORE) private readonly views: ReadStore,
  ) {}

  @Get('users')
  @Roles('admin', 'supervisor', 'agent', 'auditor', 'customer')
  @UseInterceptors(MinPositionInterceptor)
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiOperation({ summary: "People by name, paged by cursor; a customer's contact sees only their own customer's contacts" })
  @ApiResponse({ status: 200, type: UserPageDto })
  @ApiProblems(400, 401, [403, 'forbidden (finance)'], [503, 'read-model-behind (X-Min-Position not reached)'])
  async list(@Query() q: UsersQueryDto, @Req() req: AuthenticatedRequest) {
    const actor = req.principal!;
    if (isStaff(actor)) {
      const page = await listUsers(this.views, q);
      return { items: page.items.map(staffView), nextCursor: page.nextCursor };
    }
    if (q.kind === 'staff' || (q.customerId && q.customerId !== actor.customerId) || (q.role && q.role !== 'customer')) return { items: [], nextCursor: null };
    const page = await listUsers(this.views, { ...q, kind: 'contact', customerId: actor.customerId });
    return { items: page.items.map(contactView), nextCursor: page.nextCursor };
  }

  @Get('users/:userId')
  @Roles('admin', 'supervisor', 'agent', 'auditor', 'customer')
  @UseInterceptors(MinPositionInterceptor)
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiOperation({ summary: 'One person (404 outside a contact’s own customer)' })
  @ApiResponse({ status: 200, type: UserDto })
  @ApiProblems(401, [403, 'forbidden (finance)'], 404, [503, 'read-model-behind (X-Min-Position not reached)'])
  async detail(@Param('userId') userId: string, @Req() req: AuthenticatedRequest) {
    const actor = req.principal!;
    const user = await getUser(this.views, userId);
    if (!user) throw notFound(`user ${userId}`);
    if (isStaff(actor)) return staffView(user);
    if (user.kind !== 'contact' || !actor.customerId || user.customerId !== actor.customerId) throw notFound(`user ${userId}`);
    return contactView(user);
  }

  @Post('users/invitations')
  @HttpCode(201)
  @Roles('admin', 'supervisor', 'agent')
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({
    summary: "Invites a person: an admin invites staff; an admin, supervisor or agent invites a customer's contacts. The invitation link (one use, 7 days by default) is answered once when no e-mail is configured.",
  })
  @ApiResponse({ status: 201, type: InvitationAnswerDto })
  @ApiProblems(400, 401, [403, 'forbidden, csrf-token-invalid'], [404, 'not-found (the customer)'], [409, 'email-in-use (with userId)'])
  async invite(@Body() dto: InviteUserDto, @Req() req: AuthenticatedRequest) {
    const userId = this.identity.newId();
    const invitationId = this.identity.newId();
    const o = await this.bus.execute<InviteUserMessage, UserCommandOutcome>(
      new InviteUserMessage(
        {
          type: 'InviteUser',
          userId,
          invitationId,
          kind: dto.kind,
          email: dto.email,
          name: dto.name,
          roles: dto.roles,
          customerId: dto.customerId ?? null,
          approver: dto.approver,
          language: dto.language ?? defaultLanguage(this.identity.config),
          validForMinutes: this.identity.config.identity.invitationValidMinutes,
        },
        this.envelopes.for(req),
      ),
    );
    return this.invitationAnswer(userId, invitationId, o);
  }

  @Post('users/:userId/invitation')
  @HttpCode(200)
  @Roles('admin', 'supervisor', 'agent')
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'A new invitation link for a person who has not accepted yet (earlier links stop working)' })
  @ApiResponse({ status: 200, type: InvitationAnswerDto })
  @ApiProblems(401, [403, 'forbidden, csrf-token-invalid'], 404, [409, 'invitation-not-pending'])
  async renewInvitation(@Param('userId') userId: string, @Req() req: AuthenticatedRequest) {
    const invitationId = this.identity.newId();
    const o = await this.run(userId, { type: 'RenewInvitation', userId, invitationId, validForMinutes: this.identity.config.identity.invitationValidMinutes }, req);
    return this.invitationAnswer(userId, invitationId, o);
  }

  @Post('users/:userId/roles')
  @HttpCode(200)
  @Roles('admin')
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: "Changes a staff member's roles (admins); their open sessions end" })
  @ApiResponse({ status: 200, type: UserCommandAnswerDto })
  @ApiProblems(400, 401, [403, 'forbidden, csrf-token-invalid'], 404, [422, 'not-staff, self-lockout'])
  async roles(@Param('userId') userId: string, @Body() dto: ChangeRolesDto, @Req() req: AuthenticatedRequest) {
    return this.answer(await this.run(userId, { type: 'ChangeUserRoles', userId, roles: dto.roles, reason: dto.reason }, req));
  }

  @Post('users/:userId/approver')
  @HttpCode(200)
  @Roles('admin', 'supervisor')
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: "Grants (true) or revokes (false) a contact's right to accept or decline quotes (admins, supervisors); their open sessions end" })
  @ApiResponse({ status: 200, type: UserCommandAnswerDto })
  @ApiProblems(400, 401, [403, 'forbidden, csrf-token-invalid'], 404, [422, 'not-a-contact'])
  async approver(@Param('userId') userId: string, @Body() dto: ApproverDto, @Req() req: AuthenticatedRequest) {
    const command = dto.approver ? ({ type: 'GrantApprover', userId, reason: dto.reason } as const) : ({ type: 'RevokeApprover', userId, reason: dto.reason } as const);
    return this.answer(await this.run(userId, command, req));
  }

  @Post('users/:userId/deactivation')
  @HttpCode(200)
  @Roles('admin', 'supervisor')
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Deactivates a person (admins; supervisors for contacts): no more sign-ins, open sessions end at once' })
  @ApiResponse({ status: 200, type: UserCommandAnswerDto })
  @ApiProblems(400, 401, [403, 'forbidden, csrf-token-invalid'], 404, [422, 'self-lockout'])
  async deactivate(@Param('userId') userId: string, @Body() dto: ReasonDto, @Req() req: AuthenticatedRequest) {
    return this.answer(await this.run(userId, { type: 'DeactivateUser', userId, reason: dto.reason }, req));
  }

  @Post('users/:userId/reactivation')
  @HttpCode(200)
  @Roles('admin', 'supervisor')
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Reactivates a deactivated person (admins; supervisors for contacts)' })
  @ApiResponse({ status: 200, type: UserCommandAnswerDto })
  @ApiProblems(400, 401, [403, 'forbidden, csrf-token-invalid'], 404)
  async reactivate(@Param('userId') userId: string, @Body() dto: ReasonDto, @Req() req: AuthenticatedRequest) {
    return this.answer(await this.run(userId, { type: 'ReactivateUser', userId, reason: dto.reason }, req));
  }

  @Get('audit/access')
  @Roles('auditor', 'admin')
  @UseInterceptors(MinPositionInterceptor)
  @ApiTags('audit and finance')
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiOperation({
    summary: 'The access log, oldest first: sign-ins, failed sign-ins, sign-outs, session revocations, password and second-factor changes, invitations, role, approver and activation changes',
  })
  @ApiResponse({ status: 200, type: AccessPageDto })
  @ApiProblems(400, 401, 403, [503, 'read-model-behind (X-Min-Position not reached)'])
  async access(@Query() q: AccessQueryDto) {
    return accessLog(this.views, q);
  }

  private run(userId: string, command: UserCommandMessage['command'], req: AuthenticatedRequest) {
    return this.bus.execute<UserCommandMessage, UserCommandOutcome>(new UserCommandMessage(userId, command, this.envelopes.for(req)));
  }

  private answer(o: UserCommandOutcome) {
    return { userId: o.userId, version: o.version, position: o.position };
  }

  private invitationAnswer(userId: string, invitationId: string, o: UserCommandOutcome) {
    const expiresAt = o.state.invitation?.expiresAt ?? (o.events.find((e: UserEvent) => 'expiresAt' in e.data)?.data as { expiresAt?: string })?.expiresAt;
    const showLink = !this.identity.config.identity.smtpUrl;
    return {
      userId,
      invitationUrl: showLink ? linkUrl(this.identity.config.identity.publicUrl, 'invitation', linkToken(this.identity.keys, 'invitation', userId, invitationId)) : null,
      expiresAt,
      version: o.version,
      position: o.position,
    };
  }
}
