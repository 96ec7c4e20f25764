import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import type { RouteContext } from '../http/context.js';

/** The file name MISP gives a download: the attachment's value, or a malware sample's file name with `.zip`. */
function downloadName(type: string, value: string): string {
  const name = type === 'malware-sample' ? `${value.split('|')[0] ?? value}.zip` : value;
  // The last path segment (Windows or POSIX), without characters a header cannot carry.
  return (name.split(/[\\/]/).pop() ?? name).replace(/["\r\n]/g, '_') || 'attachment';
}

/**
 * MISP's `attributes/downloadAttachment/download/{id}`: the content of an `attachment` or
 * `malware-sample` attribute as a file (a malware sample is the password-protected zip its
 * producer uploaded, as MISP stores it). The attribute is read through the same path as
 * `attributes/view`, so visibility and outbound anonymisation apply alike.
 */
export function registerAttachmentDownload(app: FastifyInstance, ctx: RouteContext): void {
  const download = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const p = await ctx.principal(request);
    const a = await ctx.services.attributes.view(p, String((request.params as { id?: unknown }).id ?? ''));
    const type = String(a.type ?? '');
    if (type !== 'attachment' && type !== 'malware-sample') {
      throw new InputError(`Attribute ${String(a.id)} is a ${type}, not an attachment or malware-sample: it has no file to download`, { field: 'id' });
    }
    if (typeof a.data !== 'string' || a.data === '') throw new NotFoundError(`Attribute ${String(a.id)} has no stored file content.`);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${downloadName(type, String(a.value ?? ''))}"`)
      .send(Buffer.from(a.data, 'base64'));
  };
  // downloadAttachment arrives as download_attachment (the app's URL rewrite, as for restSearch).
  for (const url of ['/attributes/download_attachment/download/:id', '/attributes/download_attachment/:id']) {
    app.get(url, download);
  }
}
