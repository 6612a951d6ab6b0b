/** Privacy records from rows, shared by the SQL stores (same tables and columns in both). */
import type { AccountId, ChunkId, DeviceId } from '../../src/core/ids.ts';
import type { ConsentEntry, ConsentPurpose } from '../../src/core/policy/ledger.ts';
import type { InquiryMessage, InquiryRecord, InquiryStatus, OutboxMessage, StoredReceipt } from './privacy-ports.ts';
import type { Row } from './rows.ts';

export function consentFromRow(r: Row): ConsentEntry {
  return {
    seq: r.seq as number,
    purpose: r.purpose as ConsentPurpose,
    action: r.action as 'granted' | 'withdrawn',
    policyVersion: r.policy_version as number,
    policyHash: r.policy_hash as string,
    time: r.time as number,
    deviceId: r.device_id as DeviceId,
    screenVersion: r.screen_version as string,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}

export function outboxFromRow(r: Row): OutboxMessage {
  return { time: r.time as number, accountId: r.account_id as AccountId | null, to: r.recipient as string, subject: r.subject as string, body: r.body as string };
}

export function receiptFromRow(r: Row | undefined): StoredReceipt | undefined {
  return r && { id: r.id as string, signed: r.signed as string, signature: r.signature as Uint8Array, createdAt: r.created_at as number };
}

export function chunkInfoFromRow(r: Row) {
  return { id: r.id as ChunkId, size: r.size as number, createdAt: r.created_at as number };
}

/**
 * Inquiries from their rows, in that order, with their messages and their attachments' metadata
 * (inquiry_id, seq, name, media_type, size), each loaded for all of them in one query, in seq order.
 */
export function inquiriesFromRows(inquiries: readonly Row[], messages: readonly Row[], attachments: readonly Row[]): InquiryRecord[] {
  const byInquiry = (rows: readonly Row[]) => {
    const out = new Map<unknown, Row[]>();
    for (const r of rows) {
      const list = out.get(r.inquiry_id);
      if (list) list.push(r);
      else out.set(r.inquiry_id, [r]);
    }
    return out;
  };
  const messagesOf = byInquiry(messages);
  const attachmentsOf = byInquiry(attachments);
  return inquiries.map((r) => inquiryFromRows(r, messagesOf.get(r.id) ?? [], attachmentsOf.get(r.id) ?? []));
}

function inquiryFromRows(r: Row, messages: readonly Row[], attachments: readonly Row[]): InquiryRecord {
  return {
    id: r.id as string,
    accountId: r.account_id as AccountId,
    category: r.category as string,
    status: r.status as InquiryStatus,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    messages: messages.map((m): InquiryMessage => ({ author: m.author as 'user' | 'operator', body: m.body as string, time: m.time as number })),
    attachments: attachments.map((a) => ({ index: a.seq as number, name: a.name as string, type: a.media_type as string, size: a.size as number })),
  };
}

/**
 * Every table that holds rows of one account, with the column naming it, in the order a purge
 * deletes them (children before the rows they reference). The account row itself goes last.
 */
export const ACCOUNT_TABLES: readonly (readonly [table: string, counted: string])[] = [
  ['snapshot_refs', 'snapshotRefs'],
  ['snapshots', 'snapshots'],
  ['chunks', 'chunks'],
  ['sessions', 'sessions'],
  ['devices', 'devices'],
  ['access_log', 'accessLog'],
  ['consents', 'consents'],
  ['email_changes', 'emailChanges'],
  ['outbox', 'outbox'],
  ['inquiry_attachments', 'inquiryAttachments'],
  ['inquiry_messages', 'inquiryMessages'],
  ['inquiries', 'inquiries'],
  ['external_links', 'externalLinks'],
];
