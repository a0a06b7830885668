import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Multipart } from '@fastify/multipart';
import { APP_CONFIG, AppConfig } from '../config';
import { AuthenticatedRequest, Roles } from '../http/auth';
import { ApiProblems, PayloadTooLargeProblem } from '../http/openapi';
import { ProblemException, invalidRequest, problem } from '../http/problem';
import { Envelopes } from '../http/request';
import { AttachmentStore, AttachmentTooLargeError, cleanFileName, sniffContentType } from './attachment-store.port';
import { ATTACHMENT_STORE, uploadScopeOf } from './attachments';

const SHA256 = '^[0-9a-f]{64}$';

export class AttachmentDto {
  @ApiProperty({ pattern: SHA256, description: 'the id to reference in attachments[] (= sha256)' }) attachmentId!: string;
  @ApiProperty({ maxLength: 255, description: 'the name it was uploaded under (last path segment)' }) fileName!: string;
  @ApiProperty({
    enum: ['image/png', 'image/jpeg', 'image/gif', 'application/pdf', 'application/zip', 'text/plain; charset=utf-8', 'application/octet-stream'],
    description: 'sniffed from the first bytes, never taken from the client',
  })
  contentType!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'bytes' }) size!: number;
  @ApiProperty({ pattern: SHA256, description: 'SHA-256 of the content, hex' }) sha256!: string;
}

class UploadFormDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'the file (one per request; at most ATTACHMENTS_MAX_BYTES, default 20 MB)' }) file!: unknown;
}

const tooLarge = (max: number) => new ProblemException(problem(413, 'payload-too-large', `the file is larger than ${max} bytes (ATTACHMENTS_MAX_BYTES)`, { maxBytes: max }));

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly envelopes: Envelopes,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('customer', 'agent', 'supervisor')
  @ApiOperation({
    summary:
      'Upload one file (multipart/form-data, field `file`); stored by the SHA-256 of its content. Reference its attachmentId in attachments[] when opening a ticket or posting a message (an upload by a customer can be referenced by that customer only)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFormDto })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiProblems(
    [400, 'invalid-request: no `file` part, an empty file, another file or field beside it'],
    401,
    403,
    [413, 'payload-too-large: the file is larger than ATTACHMENTS_MAX_BYTES', PayloadTooLargeProblem],
    [415, 'unsupported-media-type: the body is not multipart/form-data'],
    [503, 'store-unavailable'],
  )
  async upload(@Req() req: AuthenticatedRequest): Promise<AttachmentDto> {
    if (!req.isMultipart()) {
      throw new ProblemException(problem(415, 'unsupported-media-type', 'send the file as multipart/form-data in a field named file'));
    }
    const max = this.config.attachmentsMaxBytes;
    let stored: { sha256: string; size: number; head: Buffer; fileName: string } | null = null;
    let parts: AsyncIterableIterator<Multipart>;
    try {
      parts = req.parts({ limits: { fileSize: max + 1, files: 2, fields: 10, fieldSize: 1024, parts: 12 } });
      for await (const part of parts) {
        if (part.type !== 'file') throw invalidRequest([{ path: part.fieldname, message: 'unknown field (send only the file, in a field named file)' }]);
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw invalidRequest([{ path: part.fieldname, message: 'unknown field (the file goes in a field named file)' }]);
        }
        if (stored) {
          part.file.resume();
          throw invalidRequest([{ path: 'file', message: 'one file per upload' }]);
        }
        const result = await this.store.put(part.file, max);
        if (part.file.truncated) throw tooLarge(max);
        stored = { ...result, fileName: cleanFileName(part.filename) };
      }
    } catch (err) {
      if (err instanceof AttachmentTooLargeError) throw tooLarge(max);
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(max);
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        throw invalidRequest([{ path: 'file', message: 'send one file, in a field named file, and nothing else' }]);
      // a body the multipart parser cannot read (no boundary, a malformed part, cut short): the request's fault, not a 500
      if (err instanceof Error && /^(Multipart: |Unexpected end of (form|multipart)|Malformed part header|Part terminated early)/i.test(err.message))
        throw invalidRequest([{ path: 'body', message: `not a readable multipart/form-data body: ${err.message}` }]);
      throw err;
    }
    if (!stored) throw invalidRequest([{ path: 'file', message: 'required: the file, in a multipart field named file' }]);
    if (stored.size === 0) throw invalidRequest([{ path: 'file', message: 'the file is empty' }]);
    const contentType = sniffContentType(stored.head, stored.size > stored.head.length);
    const actor = req.principal!;
    await this.store.recordUpload({
      sha256: stored.sha256,
      scope: uploadScopeOf(actor),
      uploadedBy: actor.id,
      fileName: stored.fileName,
      contentType,
      size: stored.size,
      uploadedAt: this.envelopes.now(),
    });
    return { attachmentId: stored.sha256, fileName: stored.fileName, contentType, size: stored.size, sha256: stored.sha256 };
  }
}
