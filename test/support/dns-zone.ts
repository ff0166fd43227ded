// In-memory zone behind the test DNS server: stores records and works out the authoritative answer to a question.
import net from 'node:net';
import dnsPacket, { type Answer, type Question } from 'dns-packet';

export type DnsRecord =
  | { name: string; type: 'A'; address: string }
  | { name: string; type: 'AAAA'; address: string }
  | { name: string; type: 'CNAME'; target: string }
  | { name: string; type: 'MX'; exchange: string; priority: number }
  | { name: string; type: 'SRV'; target: string; port: number; priority: number; weight: number }
  | { name: string; type: 'TXT'; text: string };

export const RCODE_NOERROR = 0;
export const RCODE_NXDOMAIN = 3;

export interface ZoneAnswer {
  rcode: number;
  answers: Answer[];
}

export interface DnsZone {
  setRecords(records: DnsRecord[]): void;
  addRecords(records: DnsRecord[]): void;
  answer(question: Question, ttl: number): ZoneAnswer;
}

/** Real resolvers give up on long chains too; 8 is what the brief for these fixtures asks for. */
const MAX_CNAME_HOPS = 8;
/** A TXT character-string holds at most 255 bytes; longer texts must be split or the packet is corrupt. */
const TXT_CHUNK_BYTES = 255;

/** Lower-cases and drops trailing dots, so "Example.TEST." and "example.test" are one name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, '');
}

export function createZone(initial: DnsRecord[] = []): DnsZone {
  const byName = new Map<string, DnsRecord[]>();
  const addRecords = (records: DnsRecord[]): void => {
    for (const record of records) {
      checkEncodable(record);
      const key = normalizeName(record.name);
      byName.set(key, [...(byName.get(key) ?? []), record]);
    }
  };
  addRecords(initial);
  return {
    setRecords(records) {
      byName.clear();
      addRecords(records);
    },
    addRecords,
    answer: (question, ttl) => answerQuestion(byName, question, ttl),
  };
}

function answerQuestion(byName: Map<string, DnsRecord[]>, question: Question, ttl: number): ZoneAnswer {
  let name = normalizeName(question.name);
  if (!byName.has(name)) return { rcode: RCODE_NXDOMAIN, answers: [] };
  // dns-packet's RecordType omits ANY although decode() produces it, hence the widening to string.
  const askedType: string = question.type;
  const answers: Answer[] = [];
  for (let hops = 0; ; hops++) {
    const records = byName.get(name) ?? [];
    const matching = records.filter((record) => askedType === 'ANY' || record.type === askedType);
    if (matching.length > 0) {
      answers.push(...matching.map((record) => toAnswer(record, name, ttl)));
      break;
    }
    const cname = records.find((record) => record.type === 'CNAME');
    if (!cname || hops >= MAX_CNAME_HOPS) break;
    answers.push(toAnswer(cname, name, ttl));
    name = normalizeName(cname.target);
  }
  // A CNAME pointing outside the zone still answers NOERROR: the resolver is expected to chase it elsewhere.
  return { rcode: RCODE_NOERROR, answers };
}

function toAnswer(record: DnsRecord, owner: string, ttl: number): Answer {
  const base = { name: owner, ttl, class: 'IN' as const };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: record.type, data: record.address };
    case 'CNAME':
      return { ...base, type: 'CNAME', data: record.target };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: record.priority, exchange: record.exchange } };
    case 'SRV': {
      // dns-packet strips leading/trailing dots, so "." encodes as the root name (a lone zero byte): RFC 2782's
      // "service decidedly not available". Node's resolveSrv hands it back as name "" (see support-dns-server test).
      const { priority, weight, port, target } = record;
      return { ...base, type: 'SRV', data: { priority, weight, port, target } };
    }
    case 'TXT':
      return { ...base, type: 'TXT', data: splitTxt(record.text) };
  }
}

function splitTxt(text: string): Buffer[] {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += TXT_CHUNK_BYTES) {
    chunks.push(bytes.subarray(offset, offset + TXT_CHUNK_BYTES));
  }
  return chunks.length > 0 ? chunks : [Buffer.alloc(0)];
}

/** Fails at setup, with the culprit named, rather than as a silently dropped answer mid-test. */
function checkEncodable(record: DnsRecord): void {
  // dns-packet encodes a malformed address as garbage bytes instead of throwing, so check those ourselves.
  const badAddress =
    (record.type === 'A' && !net.isIPv4(record.address)) ||
    (record.type === 'AAAA' && !net.isIPv6(record.address));
  if (badAddress) throw new Error(`test DNS record has a bad address: ${JSON.stringify(record)}`);
  try {
    dnsPacket.encode({ type: 'response', answers: [toAnswer(record, normalizeName(record.name), 0)] });
  } catch (error) {
    throw new Error(`test DNS record cannot be encoded: ${JSON.stringify(record)}`, { cause: error });
  }
}
