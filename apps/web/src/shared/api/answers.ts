/**
 * The bodies the OpenAPI document declares for successful answers (openapi.d.ts, generated):
 * screens type what they read from the server's own schemas.
 */
import type { paths } from './openapi';

type Json200<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

/** the JSON body of `GET path` answering 200 */
export type GetAnswer<P extends keyof paths> = paths[P] extends { get: infer Op } ? Json200<Op> : never;
/** the JSON body of `POST path` answering 200 */
export type PostAnswer<P extends keyof paths> = paths[P] extends { post: infer Op } ? Json200<Op> : never;
/** the query parameters of `GET path` */
export type GetQuery<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;
